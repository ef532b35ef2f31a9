/*
 * check_aspnet_debug's model: the ASP.NET/IIS settings it reads from each
 * configuration file, the rules it applies, and the effective-value
 * evaluation over the inheritance hierarchy
 *   machine.config -> root web.config -> applicationHost.config ->
 *   parent web.config -> web.config,
 * with <location> blocks applying to their sub-paths. Gathering reads a
 * loaded file into declarations; evaluation is a pure function of them.
 */
#ifndef ASPNET_H
#define ASPNET_H

#include <stdbool.h>
#include <stddef.h>

#include "check.h"
#include "netconfig.h"

enum aspnet_level {
	ASPNET_MACHINE,   /* machine.config */
	ASPNET_ROOT_WEB,  /* the framework's root web.config */
	ASPNET_APPHOST,   /* applicationHost.config */
	ASPNET_WEB,       /* a site's or application's web.config */
};

/* One attribute value set somewhere (or reset by <remove>/<clear>). */
struct aspnet_decl {
	int setting;            /* index into the settings table */
	char *value;            /* as written; NULL: back to the default */
	char *file;
	long line;
	char *location;         /* location path as written; NULL outside */
	char *scope;            /* where it applies (normalised key) */
	int order;              /* depth in the hierarchy: deeper wins */
	size_t seq;             /* document order, for ties */
	enum aspnet_level level;
};

struct aspnet_model {
	struct aspnet_decl *decls;
	size_t ndecls, decls_cap;
	char **targets;         /* scope keys of the web.config files given */
	size_t ntargets, targets_cap;
	size_t files;           /* configuration files read */
};

/* Rule ids, also the bits of struct aspnet_opts.ignore. */
enum aspnet_rule {
	ASPNET_R_DEBUG,
	ASPNET_R_CUSTOM_ERRORS_OFF,
	ASPNET_R_HTTP_ERRORS_DETAILED,
	ASPNET_R_TRACE,
	ASPNET_R_CRM_DEV_ERRORS,
	ASPNET_R_RETAIL,
	ASPNET_R_INVALID_VALUE,
	ASPNET_R_COUNT,
};

struct aspnet_opts {
	unsigned ignore;        /* 1 << rule for each --ignore */
	bool require_retail;    /* --require-retail */
	bool have_machine;      /* machine.config was given (-m) */
};

/* The rule called NAME, or -1. */
int aspnet_rule_by_name(const char *name);

/* "debug", "custom-errors-off", ... */
const char *aspnet_rule_name(int rule);

/*
 * Reads the settings of CFG into M. For ASPNET_WEB, SCOPE is the scope key
 * of the file's directory and DEPTH its depth below the -f directory (0 for
 * the top). Returns 0 or an error with ERR set (a configSource file that
 * cannot be read, out of memory).
 */
int aspnet_gather(struct aspnet_model *m, struct cs_netcfg *cfg,
    enum aspnet_level level, const char *scope, int depth,
    struct cs_error *err);

/* Declares SCOPE (a web.config's directory key) as a file to evaluate. */
int aspnet_add_target(struct aspnet_model *m, const char *scope);

/*
 * Builds the scope key for a web.config: TREE numbers the -f argument, DIR
 * is its directory relative to that argument ("" for the top).
 * Returns a string the caller frees, or NULL.
 */
char *aspnet_scope_key(unsigned tree, const char *dir);

/*
 * Adds to C a finding for every effective setting that breaks a rule, and
 * the notes an administrator needs (retail mode). Pure: reads M only.
 */
void aspnet_evaluate(const struct aspnet_model *m,
    const struct aspnet_opts *o, struct cs_check *c);

void aspnet_model_free(struct aspnet_model *m);

#endif
