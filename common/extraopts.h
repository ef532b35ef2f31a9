/*
 * --extra-opts=[SECTION][@FILE], with the semantics of the Monitoring
 * Plugins: SECTION defaults to the plugin name, FILE to $MP_CONFIG_FILE or
 * /etc/monitoring-plugins/monitoring-plugins.ini; each "key = value" of the
 * section becomes "--key=value" and is placed before the command line's own
 * options, so the command line wins for single-valued options.
 */
#ifndef CS_EXTRAOPTS_H
#define CS_EXTRAOPTS_H

#include "error.h"

#define CS_EXTRAOPTS_DEFAULT_FILE "/etc/monitoring-plugins/monitoring-plugins.ini"

/*
 * Builds a new argument vector from ARGC/ARGV with every --extra-opts
 * replaced by the options it names. On success *NARGV is a NULL-terminated
 * heap array of heap strings (free with cs_extraopts_free, which wipes
 * them: they may hold passwords) and ARGV is untouched. Without any
 * --extra-opts, *NARGV is still a copy. Returns 0 or an error with ERR set.
 */
int cs_extraopts_expand(const char *plugin, int argc, char **argv,
    int *nargc, char ***nargv, struct cs_error *err);

void cs_extraopts_free(int argc, char **argv);

#endif
