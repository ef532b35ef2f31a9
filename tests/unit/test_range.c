/* Nagios ranges: every endpoint of every form, and the errors. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "range.h"

struct probe {
	double value;
	int alerts;
};

static const struct row {
	const char *range;
	int rc;                 /* 0, CS_ERR_PARSE or CS_ERR_RANGE */
	struct probe p[8];      /* terminated by alerts == -1 */
} rows[] = {
	/* "10": 0..10 */
	{ "10", 0, { { -1, 1 }, { 0, 0 }, { 0.5, 0 }, { 10, 0 }, { 10.001, 1 },
	    { 11, 1 }, { 0, -1 } } },
	/* "10:": 10 or more */
	{ "10:", 0, { { 9.999, 1 }, { 10, 0 }, { 1e9, 0 }, { -1, 1 }, { 0, 1 },
	    { 0, -1 } } },
	/* "~:10": 10 or less */
	{ "~:10", 0, { { -1e9, 0 }, { -1, 0 }, { 0, 0 }, { 10, 0 }, { 10.5, 1 },
	    { 0, -1 } } },
	/* "10:20" */
	{ "10:20", 0, { { 9, 1 }, { 10, 0 }, { 15, 0 }, { 20, 0 }, { 21, 1 },
	    { 0, -1 } } },
	/* "@10:20": alert inside, inclusive */
	{ "@10:20", 0, { { 9, 0 }, { 10, 1 }, { 15, 1 }, { 20, 1 }, { 21, 0 },
	    { 0, -1 } } },
	/* "0": only 0 is fine (any duplicate alerts) */
	{ "0", 0, { { -1, 1 }, { 0, 0 }, { 1, 1 }, { 0, -1 } } },
	/* "@0": alert on 0 only */
	{ "@0", 0, { { -1, 0 }, { 0, 1 }, { 1, 0 }, { 0, -1 } } },
	/* "@~:0": alert on 0 and below */
	{ "@~:0", 0, { { -1, 1 }, { 0, 1 }, { 0.1, 0 }, { 0, -1 } } },
	/* negative and decimal endpoints */
	{ "-5:-1", 0, { { -6, 1 }, { -5, 0 }, { -1, 0 }, { 0, 1 }, { 0, -1 } } },
	{ "1.5:2.5", 0, { { 1.4, 1 }, { 1.5, 0 }, { 2.5, 0 }, { 2.6, 1 },
	    { 0, -1 } } },
	{ ".5", 0, { { 0.5, 0 }, { 0.6, 1 }, { 0, -1 } } },
	{ "~:", 0, { { -1e300, 0 }, { 1e300, 0 }, { 0, -1 } } },
	{ ":10", 0, { { -1, 1 }, { 0, 0 }, { 10, 0 }, { 0, -1 } } },
	{ "3:3", 0, { { 2, 1 }, { 3, 0 }, { 4, 1 }, { 0, -1 } } },
	/* "14:" as check_svcaccount's default: 14 days or more is fine */
	{ "14:", 0, { { 13, 1 }, { 14, 0 }, { 0, -1 } } },
	/* errors */
	{ "", CS_ERR_PARSE, { { 0, -1 } } },
	{ "10:5", CS_ERR_PARSE, { { 0, -1 } } },
	{ "abc", CS_ERR_PARSE, { { 0, -1 } } },
	{ "10x", CS_ERR_PARSE, { { 0, -1 } } },
	{ "1:2:3", CS_ERR_PARSE, { { 0, -1 } } },
	{ "@", CS_ERR_PARSE, { { 0, -1 } } },
	{ "~", CS_ERR_PARSE, { { 0, -1 } } },
	{ "1e3", CS_ERR_PARSE, { { 0, -1 } } },
	{ "inf", CS_ERR_PARSE, { { 0, -1 } } },
	{ "nan", CS_ERR_PARSE, { { 0, -1 } } },
	{ "-", CS_ERR_PARSE, { { 0, -1 } } },
	{ "10:~", CS_ERR_PARSE, { { 0, -1 } } },
	{ " 10", CS_ERR_PARSE, { { 0, -1 } } },
	{ "1" "00000000000000000000000000000000000000000000000000000000000000"
	    "0000000000",
	    CS_ERR_PARSE, { { 0, -1 } } }, /* longer than the text limit */
	{ NULL, 0, { { 0, -1 } } },
};

static void
test_table(void **state)
{
	int failures = 0;

	(void)state;
	/* report every failing row, then fail once */
	for (const struct row *r = rows; r->range != NULL; r++) {
		struct cs_range range;
		struct cs_error err = { 0 };
		int rc = cs_range_parse(r->range, &range, &err);

		if (rc != r->rc) {
			print_error("range '%s': rc %d, expected %d (%s)\n",
			    r->range, rc, r->rc, err.msg);
			failures++;
			continue;
		}
		if (rc != 0) {
			if (range.set || err.msg[0] == '\0') {
				print_error("range '%s': error without message "
				    "or range left set\n", r->range);
				failures++;
			}
			continue;
		}
		if (strcmp(range.text, r->range) != 0) {
			print_error("range '%s': text '%s'\n", r->range,
			    range.text);
			failures++;
		}
		for (const struct probe *p = r->p; p->alerts != -1; p++) {
			int got = cs_range_alerts(&range, p->value);

			if (got != p->alerts) {
				print_error("range '%s' value %g: alerts %d, "
				    "expected %d\n", r->range, p->value, got,
				    p->alerts);
				failures++;
			}
		}
	}
	assert_int_equal(failures, 0);
}

static void
test_huge_number(void **state)
{
	struct cs_range r;
	struct cs_error err = { 0 };
	char big[CS_RANGE_TEXT_MAX];

	(void)state;
	/* the longest number the text limit allows still fits a double */
	memset(big, '9', sizeof(big) - 2);
	big[sizeof(big) - 2] = '\0';
	assert_int_equal(cs_range_parse(big, &r, &err), 0);
	assert_true(cs_range_alerts(&r, 1e300));
}

static void
test_thresholds(void **state)
{
	struct cs_thresholds t = { 0 };
	struct cs_error err = { 0 };

	(void)state;
	assert_int_equal(cs_thresholds_eval(&t, 1e9), CS_OK); /* none set */
	assert_int_equal(cs_range_parse("14:", &t.warn, &err), 0);
	assert_int_equal(cs_range_parse("3:", &t.crit, &err), 0);
	assert_int_equal(cs_thresholds_eval(&t, 30), CS_OK);
	assert_int_equal(cs_thresholds_eval(&t, 14), CS_OK);
	assert_int_equal(cs_thresholds_eval(&t, 13), CS_WARNING);
	assert_int_equal(cs_thresholds_eval(&t, 3), CS_WARNING);
	assert_int_equal(cs_thresholds_eval(&t, 2), CS_CRITICAL);
	assert_int_equal(cs_thresholds_eval(&t, -1), CS_CRITICAL);
	assert_int_equal(cs_thresholds_eval(&t, NAN), CS_OK); /* unknown */
}

/* -w and -c as a plugin's option callback sees them */
static void
test_thresholds_option(void **state)
{
	struct cs_thresholds th;
	struct cs_error err = { 0 };

	(void)state;
	memset(&th, 0, sizeof(th));
	assert_int_equal(cs_thresholds_option(&th, 'w', "10", &err), 0);
	assert_int_equal(cs_thresholds_option(&th, 'c', "@5:20", &err), 0);
	assert_int_equal(cs_thresholds_eval(&th, 3), CS_OK);
	assert_int_equal(cs_thresholds_eval(&th, 11), CS_CRITICAL);
	assert_int_equal(cs_thresholds_eval(&th, 21), CS_WARNING);
	assert_int_equal(cs_thresholds_option(&th, 'w', "x:y", &err),
	    CS_ERR_USAGE);
	assert_true(err.msg[0] != '\0');
	/* any other option is not ours */
	assert_int_equal(cs_thresholds_option(&th, 'H', "ldap://dc", &err), 1);
}

static void
test_states(void **state)
{
	enum cs_state s;

	(void)state;
	assert_int_equal(cs_state_worst(CS_OK, CS_WARNING), CS_WARNING);
	assert_int_equal(cs_state_worst(CS_WARNING, CS_UNKNOWN), CS_UNKNOWN);
	assert_int_equal(cs_state_worst(CS_UNKNOWN, CS_CRITICAL), CS_CRITICAL);
	assert_int_equal(cs_state_worst(CS_CRITICAL, CS_UNKNOWN), CS_CRITICAL);
	assert_int_equal(cs_state_worst(CS_OK, CS_OK), CS_OK);
	assert_int_equal(cs_state_parse("critical", &s), 0);
	assert_int_equal(s, CS_CRITICAL);
	assert_int_equal(cs_state_parse("Warning", &s), 0);
	assert_int_equal(s, CS_WARNING);
	assert_int_equal(cs_state_parse("0", &s), 0);
	assert_int_equal(s, CS_OK);
	assert_int_equal(cs_state_parse("3", &s), 0);
	assert_int_equal(s, CS_UNKNOWN);
	assert_int_equal(cs_state_parse("4", &s), -1);
	assert_int_equal(cs_state_parse("", &s), -1);
	assert_int_equal(cs_state_parse("okay", &s), -1);
	assert_string_equal(cs_state_name(CS_UNKNOWN), "UNKNOWN");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_huge_number),
		cmocka_unit_test(test_thresholds),
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_thresholds_option),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
