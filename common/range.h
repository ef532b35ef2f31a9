/*
 * Nagios ranges and thresholds, as the Monitoring Plugins Development
 * Guidelines define them:
 *   10      alert if < 0 or > 10          (0..10 is fine)
 *   10:     alert if < 10                 (10..inf is fine)
 *   ~:10    alert if > 10                 (-inf..10 is fine)
 *   10:20   alert if < 10 or > 20
 *   @10:20  alert if >= 10 and <= 20      (inside the range)
 * Endpoints are inclusive; numbers may be negative and have decimals.
 */
#ifndef CS_RANGE_H
#define CS_RANGE_H

#include <stdbool.h>

#include "error.h"
#include "state.h"

#define CS_RANGE_TEXT_MAX 64

struct cs_range {
	bool set;          /* false: no range given, never alerts */
	double start, end;
	bool start_inf;    /* start is -infinity ("~") */
	bool end_inf;      /* end is +infinity (nothing after ':') */
	bool inside;       /* '@': alert inside instead of outside */
	char text[CS_RANGE_TEXT_MAX]; /* as given, for perfdata */
};

/*
 * Parses S into *R. Returns 0, or CS_ERR_PARSE (junk, empty, start > end)
 * or CS_ERR_RANGE (a number that does not fit a double) with ERR set.
 * *R is left unset (r->set false) on error.
 */
int cs_range_parse(const char *s, struct cs_range *r, struct cs_error *err);

/* True when VALUE is in the alert zone of R; an unset range never alerts. */
bool cs_range_alerts(const struct cs_range *r, double value);

/* A warning and a critical range, as given by -w and -c. */
struct cs_thresholds {
	struct cs_range warn;
	struct cs_range crit;
};

/* CRITICAL if VALUE alerts the critical range, else WARNING if it alerts
 * the warning range, else OK. */
enum cs_state cs_thresholds_eval(const struct cs_thresholds *t, double value);

/* Handles the options -w RANGE and -c RANGE into *T for a plugin's option
 * callback: 0 when taken, CS_ERR_USAGE for a bad range, 1 for any other
 * option. */
int cs_thresholds_option(struct cs_thresholds *t, int opt, const char *arg,
    struct cs_error *err);

#endif
