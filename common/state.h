/* Plugin states and the rule that combines them. */
#ifndef CS_STATE_H
#define CS_STATE_H

/* Exit codes of the Monitoring Plugins Development Guidelines. */
enum cs_state {
	CS_OK = 0,
	CS_WARNING = 1,
	CS_CRITICAL = 2,
	CS_UNKNOWN = 3,
};

/*
 * The worse of two states: OK < WARNING < UNKNOWN < CRITICAL, as
 * monitoring-plugins' max_state_alt. A CRITICAL found in the data that could
 * be read outranks an UNKNOWN about the data that could not.
 */
enum cs_state cs_state_worst(enum cs_state a, enum cs_state b);

/* Severity rank used for sorting: OK 0, WARNING 1, UNKNOWN 2, CRITICAL 3. */
int cs_state_rank(enum cs_state s);

/* "OK", "WARNING", "CRITICAL", "UNKNOWN". */
const char *cs_state_name(enum cs_state s);

/*
 * Parses a state given by name (any case, "ok", "warning", "critical",
 * "unknown") or by number 0-3. Returns 0 and sets *out, or -1.
 */
int cs_state_parse(const char *s, enum cs_state *out);

#endif
