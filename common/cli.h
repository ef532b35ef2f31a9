/*
 * The plugin runtime: the options every plugin shares (-h, -V, -v, -t,
 * --extra-opts, --output-format, --max-output), the help layout, usage
 * errors, the timeout and the final output. A plugin describes itself in a
 * struct cs_plugin and handles only its own options.
 */
#ifndef CS_CLI_H
#define CS_CLI_H

#include <getopt.h>
#include <stddef.h>

#include "check.h"
#include "error.h"
#include "output.h"
#include "state.h"

#define CS_TIMEOUT_DEFAULT 10
#define CS_TIMEOUT_MAX 86400

/* Long-only options of the plugins use values from here on. */
#define CS_OPT_PLUGIN 0x100
/* ... shared option groups (ad.h) from here on ... */
#define CS_OPT_GROUP 0x800
/* ... and the common ones from here on. */
#define CS_OPT_COMMON 0x1000

struct cs_plugin {
	const char *name;      /* executable: "check_aspnet_debug" */
	const char *label;     /* first-line prefix: "ASPNET_DEBUG" */
	const char *purpose;   /* what it checks, a short paragraph */
	const char *usage;     /* arguments after the name, one line */
	const char *options;   /* help text of the plugin's own options */
	const char *notes;     /* rules, states, perfdata ... */
	const char *examples;  /* at least two real examples */
	const char *shortopts; /* the plugin's getopt letters */
	const struct option *longopts; /* the plugin's own, zero-terminated */
	/* a shared option group the plugin uses (e.g. the AD connection
	 * options of ad.h); its options reach P->option too */
	const char *group_shortopts;
	const struct option *group_longopts;
	const char *group_title;       /* "Active Directory connection" */
	const char *group_options;     /* its help text */
	/*
	 * Handles one of the plugin's options (OPT as getopt_long returns it).
	 * Returns 0, or an error with ERR set: a usage error naming the
	 * problem.
	 */
	int (*option)(void *cfg, int opt, const char *arg, struct cs_error *err);
};

struct cs_runtime {
	const struct cs_plugin *plugin;
	int verbose;               /* 0-3 */
	unsigned timeout;          /* seconds */
	enum cs_state timeout_state;
	enum cs_format format;
	size_t max_output;
	/* the argument vector after --extra-opts expansion (owned) */
	int argc;
	char **argv;
};

/* Help text for -w/-c ranges, shared by the plugins that take them. */
#define CS_HELP_RANGES \
	"Ranges (-w, -c) follow the Monitoring Plugins guidelines: N means 0..N,\n" \
	"N: means N or more, ~:N means N or less, N:M means N..M, and a leading @\n" \
	"alerts inside the range instead of outside. Endpoints are inclusive.\n"

/*
 * Parses the command line: expands --extra-opts, handles the common
 * options into RT and passes the plugin's own to P->option with CFG. Exits
 * for --help and --version (state UNKNOWN, 3) and for usage errors (one
 * line saying what is wrong, the short usage, state UNKNOWN). Arms the
 * timeout before returning. Free RT with cs_runtime_free.
 */
void cs_cli_parse(const struct cs_plugin *p, void *cfg, struct cs_runtime *rt,
    int argc, char **argv);

void cs_runtime_free(struct cs_runtime *rt);

/* A usage error found after parsing (missing or conflicting options):
 * prints it as cs_cli_parse does and exits 3. */
__attribute__((noreturn, format(printf, 2, 3)))
void cs_usage_error(const struct cs_runtime *rt, const char *fmt, ...);

/* Prints "LABEL STATE - message" (or the JSON equivalent) and exits with
 * STATE: for a failure that ends the check before any finding. */
__attribute__((noreturn, format(printf, 3, 4)))
void cs_die(const struct cs_runtime *rt, enum cs_state state,
    const char *fmt, ...);

/*
 * Disarms the timeout, prints C in the chosen format and returns the exit
 * code (its state). Frees C.
 */
int cs_finish(const struct cs_runtime *rt, struct cs_check *c);

/* FN runs in cs_finish before the result is printed (one hook). */
void cs_finish_hook(void (*fn)(void));

/* A new check for RT's plugin; dies UNKNOWN when out of memory. */
struct cs_check *cs_check_for(const struct cs_runtime *rt);

/* Prints to standard error when the verbosity is at least LEVEL (1-3).
 * Standard output carries only the result. Never pass secrets. */
void cs_log(int level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Parses "N[:STATE]" for -t. Returns 0 or CS_ERR_USAGE with ERR set. */
int cs_parse_timeout(const char *arg, unsigned *secs, enum cs_state *state,
    struct cs_error *err);

/* Parses a whole decimal number in [MIN, MAX]; 0 or CS_ERR_USAGE. */
int cs_parse_long(const char *arg, long min, long max, long *out,
    const char *what, struct cs_error *err);

/* Timeout handling (used by cs_cli_parse and cs_finish). */
void cs_timeout_arm(const struct cs_runtime *rt);
void cs_timeout_disarm(void);

#endif
