/*
 * .NET / IIS configuration files (machine.config, web.config,
 * applicationHost.config): the root <configuration>, sections addressed
 * by path ("system.web/compilation") at the top level or inside
 * <location path="..."> blocks, and sections moved to another file with
 * configSource="...". Comments never count (the DOM has none in the way).
 */
#ifndef CS_NETCONFIG_H
#define CS_NETCONFIG_H

#include <stddef.h>

#include <libxml/tree.h>

#include "error.h"

struct cs_netcfg;

struct cs_netcfg_section {
	const char *file;     /* path of the file holding the element */
	const char *location; /* path attribute of the enclosing <location>,
	                         "" for a location without one, NULL outside */
	xmlNodePtr location_node; /* the <location> element, or NULL */
	xmlNodePtr node;      /* the section element itself */
};

/* Called per matching section, in document order. Returns 0 to go on. */
typedef int (*cs_netcfg_cb)(const struct cs_netcfg_section *s, void *ctx);

/*
 * Loads PATH (at most MAX bytes; configSource files get the same cap) and
 * checks that its root element is <configuration>. Returns 0 and *OUT (free
 * with cs_netcfg_free) or an error with ERR set.
 */
int cs_netcfg_load(const char *path, size_t max, struct cs_netcfg **out,
    struct cs_error *err);

/* The same for LEN bytes of BUF already read from PATH (e.g. over SMB):
 * configSource files are still looked up relative to PATH. */
int cs_netcfg_parse(const char *buf, size_t len, const char *path,
    size_t max, struct cs_netcfg **out, struct cs_error *err);

/*
 * Calls CB for each element at SECTION_PATH, e.g. "system.web/compilation",
 * under the root and under each <location>. A section with configSource is
 * replaced by the root element of that file (relative to PATH's directory;
 * absolute paths and ".." are refused, as ASP.NET does). Returns 0, CB's
 * error, or a loading error of a configSource file with ERR set.
 */
int cs_netcfg_foreach(struct cs_netcfg *cfg, const char *section_path,
    cs_netcfg_cb cb, void *ctx, struct cs_error *err);

/* Loads a file referenced by CFG (appSettings file=, configSource=) with
 * the same rules; the document stays owned by CFG. *ROOT is its root
 * element; *FILE its path. */
int cs_netcfg_load_related(struct cs_netcfg *cfg, xmlNodePtr from,
    const char *relpath, xmlNodePtr *root, const char **file,
    struct cs_error *err);

/* Path given to cs_netcfg_load. */
const char *cs_netcfg_path(const struct cs_netcfg *cfg);

/* Number of files read so far: the file itself and its configSource files. */
size_t cs_netcfg_nfiles(const struct cs_netcfg *cfg);

void cs_netcfg_free(struct cs_netcfg *cfg);

#endif
