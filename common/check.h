/*
 * The result of one plugin run: findings (each with a state, a rule id and
 * one line of text, optionally a file and line), perfdata, a summary, and
 * optional plugin data for the JSON format. The overall state is the worst
 * finding's. Rendering is in output.h.
 */
#ifndef CS_CHECK_H
#define CS_CHECK_H

#include <stddef.h>

#include <json-c/json.h>

#include "range.h"
#include "state.h"

struct cs_finding {
	enum cs_state state;
	char *rule;   /* rule id, or NULL for a plain note */
	char *text;   /* one line, unsanitised; sanitised when rendered */
	char *file;   /* NULL when not about a file */
	long line;    /* 0 when unknown */
	size_t seq;   /* insertion order, for a stable sort */
};

struct cs_perf {
	char *label;
	double value;        /* NAN renders as U (unknown) */
	char uom[4];
	struct cs_range warn;
	struct cs_range crit;
	double min, max;     /* NAN when absent */
};

struct cs_check {
	char *label;         /* first-line prefix, e.g. ASPNET_DEBUG */
	char *name;          /* executable name, e.g. check_aspnet_debug */
	char *summary;       /* NULL: a summary is made from the counts */
	struct cs_finding *findings;
	size_t nfindings, findings_cap;
	struct cs_perf *perf;
	size_t nperf, perf_cap;
	struct json_object *data; /* extra JSON members, owned */
	int nomem;           /* an allocation failed: the result is UNKNOWN */
	enum cs_state floor; /* at least this state (cs_check_fail) */
};

/* A new, empty check; NULL when out of memory. */
struct cs_check *cs_check_new(const char *name, const char *label);

/* Frees C and everything it owns. Accepts NULL. */
void cs_check_free(struct cs_check *c);

/*
 * Adds a finding. RULE and FILE may be NULL, LINE 0. A note for the long
 * output is a finding in state CS_OK. Strings are copied.
 */
void cs_check_add(struct cs_check *c, enum cs_state state, const char *rule,
    const char *file, long line, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Sets the summary of the first line (replacing an earlier one). */
void cs_check_summary(struct cs_check *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Adds a perfdata item. UOM may be NULL or "", s, ms, us, %, B, KB, MB, TB
 * or c. T may be NULL. MIN and MAX may be NAN.
 */
void cs_check_perf(struct cs_check *c, const char *label, double value,
    const char *uom, const struct cs_thresholds *t, double min, double max);

/* Sets member KEY of the JSON "data" object; takes ownership of VAL. */
void cs_check_data(struct cs_check *c, const char *key,
    struct json_object *val);

/* Makes the overall state at least STATE without adding a finding (for a
 * summary-only result such as a usage error). */
void cs_check_fail(struct cs_check *c, enum cs_state state);

/* The worst state of all findings (UNKNOWN after an allocation failure). */
enum cs_state cs_check_state(const struct cs_check *c);

/* Number of findings in STATE. */
size_t cs_check_count(const struct cs_check *c, enum cs_state state);

#endif
