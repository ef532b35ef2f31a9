/* The result builder: sanitising, perfdata, ordering, the output cap,
 * and the JSON format. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "buf.h"
#include "check.h"
#include "error.h"
#include "output.h"
#include "text.h"

static void
test_buf_cap(void **state)
{
	struct cs_buf b;

	(void)state;
	cs_buf_init(&b, 10);
	assert_int_equal(cs_buf_adds(&b, "12345"), 0);
	assert_int_equal(cs_buf_adds(&b, "678901"), CS_ERR_TOO_LARGE);
	assert_string_equal(cs_buf_str(&b), "12345"); /* nothing appended */
	assert_int_equal(cs_buf_printf(&b, "%d", 67890), 0);
	assert_int_equal(b.len, 10);
	assert_int_equal(cs_buf_adds(&b, "x"), CS_ERR_TOO_LARGE);
	cs_buf_free(&b);
	cs_buf_free(NULL);
}

static const struct {
	const char *in;
	size_t max;
	const char *line;   /* cs_text_line */
	const char *utf8;   /* cs_text_utf8 */
} texts[] = {
	{ "plain", 100, "plain", "plain" },
	{ "a|b", 100, "a\xc2\xa6" "b", "a|b" },
	{ "two\nlines\r\tx", 100, "two lines  x", "two\nlines\r\tx" },
	{ "esc\x1b[31mred", 100, "esc\\x1b[31mred", "esc\x1b[31mred" },
	{ "del\x7f", 100, "del\\x7f", "del\x7f" },
	{ "bad\xff\xfe utf8", 100, "bad?? utf8", "bad?? utf8" },
	{ "overlong \xc0\xaf", 100, "overlong ??", "overlong ??" },
	{ "surrogate \xed\xa0\x80", 100, "surrogate ???", "surrogate ???" },
	{ "truncated \xe2\x82", 100, "truncated ??", "truncated ??" },
	{ "caf\xc3\xa9", 100, "caf\xc3\xa9", "caf\xc3\xa9" },
	{ "0123456789", 10, "0123456789", "0123456789" },
	{ "0123456789A", 10, "0123456...", "0123456..." },
	/* never cut inside a character */
	{ "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 8, "\xc3\xa9\xc3\xa9...",
	    "\xc3\xa9\xc3\xa9..." },
	{ "", 10, "", "" },
	{ NULL, 0, NULL, NULL },
};

static void
test_text(void **state)
{
	int failures = 0;

	(void)state;
	for (size_t i = 0; texts[i].in != NULL; i++) {
		char *l = cs_text_line(texts[i].in, texts[i].max);
		char *u = cs_text_utf8(texts[i].in, texts[i].max);

		assert_non_null(l);
		assert_non_null(u);
		if (strcmp(l, texts[i].line) != 0) {
			print_error("line(%s): '%s', expected '%s'\n",
			    texts[i].in, l, texts[i].line);
			failures++;
		}
		if (strcmp(u, texts[i].utf8) != 0) {
			print_error("utf8(%s): '%s', expected '%s'\n",
			    texts[i].in, u, texts[i].utf8);
			failures++;
		}
		free(l);
		free(u);
	}
	assert_int_equal(failures, 0);
}

static void
test_perf_labels(void **state)
{
	static const struct {
		const char *in, *out;
	} labels[] = {
		{ "files", "files" },
		{ "two words", "'two words'" },
		{ "it's", "'it''s'" },
		{ "a=b", "a_b" },
		{ "a|b", "a_b" },
		{ "nl\nx", "'nl x'" },
		{ NULL, NULL },
	};

	(void)state;
	for (size_t i = 0; labels[i].in; i++) {
		char *l = cs_text_perf_label(labels[i].in);

		assert_string_equal(l, labels[i].out);
		free(l);
	}
}

static void
test_numbers(void **state)
{
	char b[64];

	(void)state;
	cs_output_number(0, b, sizeof(b));
	assert_string_equal(b, "0");
	cs_output_number(-3, b, sizeof(b));
	assert_string_equal(b, "-3");
	cs_output_number(1.25, b, sizeof(b));
	assert_string_equal(b, "1.25");
	cs_output_number(0.0001234, b, sizeof(b));
	assert_string_equal(b, "0.000123");
	cs_output_number(1e20, b, sizeof(b));
	assert_null(strchr(b, 'e'));
	cs_output_number(NAN, b, sizeof(b));
	assert_string_equal(b, "U");
}

static struct cs_check *
sample(void)
{
	struct cs_check *c = cs_check_new("check_x", "X");
	struct cs_thresholds t = { 0 };

	assert_non_null(c);
	assert_int_equal(cs_range_parse("10:", &t.warn, NULL), 0);
	assert_int_equal(cs_range_parse("0", &t.crit, NULL), 0);
	cs_check_add(c, CS_OK, NULL, NULL, 0, "a note");
	cs_check_add(c, CS_WARNING, "w1", "f.config", 3, "first warning");
	cs_check_add(c, CS_CRITICAL, "c1", NULL, 0, "first critical");
	cs_check_add(c, CS_UNKNOWN, "u1", NULL, 0, "an unknown");
	cs_check_add(c, CS_WARNING, "w2", NULL, 0, "second | warning");
	cs_check_add(c, CS_CRITICAL, "c2", NULL, 0, "second critical");
	cs_check_summary(c, "summary with | pipe");
	cs_check_perf(c, "dups", 2, NULL, &t, 0, NAN);
	cs_check_perf(c, "time", 0.5, "s", NULL, NAN, NAN);
	cs_check_perf(c, "days left", NAN, NULL, NULL, NAN, NAN);
	return c;
}

static void
test_nagios(void **state)
{
	struct cs_check *c = sample();
	char *out;

	(void)state;
	assert_int_equal(cs_check_state(c), CS_CRITICAL);
	out = cs_output_render(c, CS_FORMAT_NAGIOS, 8192);
	assert_non_null(out);
	assert_string_equal(out,
	    "X CRITICAL - summary with \xc2\xa6 pipe | dups=2;10:;0;0 "
	    "time=0.5s 'days left'=U\n"
	    "CRITICAL: c1: first critical\n"
	    "CRITICAL: c2: second critical\n"
	    "UNKNOWN: u1: an unknown\n"
	    "WARNING: w1: first warning\n"
	    "WARNING: w2: second \xc2\xa6 warning\n"
	    "OK: a note\n");
	free(out);
	cs_check_free(c);
}

static void
test_cap(void **state)
{
	struct cs_check *c = cs_check_new("check_x", "X");
	char *out, *nl;

	(void)state;
	for (int i = 0; i < 200; i++)
		cs_check_add(c, CS_WARNING, "r", NULL, 0, "finding number %03d "
		    "with some text to fill the line", i);
	cs_check_summary(c, "many");
	cs_check_perf(c, "findings", 200, NULL, NULL, 0, NAN);
	out = cs_output_render(c, CS_FORMAT_NAGIOS, 1024);
	assert_non_null(out);
	assert_true(strlen(out) <= 1024);
	nl = strchr(out, '\n');
	assert_non_null(nl);
	/* the perfdata is whole */
	assert_memory_equal(nl - 18, "| findings=200;;;0", 18);
	assert_non_null(strstr(out, "... and "));
	assert_non_null(strstr(out, " more\n"));
	/* the count is right: shown + N = 200 */
	{
		int shown = 0, more = 0;

		for (char *p = out; (p = strstr(p, "WARNING: r:")); p++)
			shown++;
		assert_int_equal(sscanf(strstr(out, "... and "), "... and %d",
		    &more), 1);
		assert_int_equal(shown + more, 200);
	}
	free(out);
	cs_check_free(c);
}

static void
test_cap_keeps_perfdata(void **state)
{
	struct cs_check *c = cs_check_new("check_x", "X");
	char *out, label[32];

	(void)state;
	cs_check_summary(c, "%0600d", 7); /* a summary longer than the cap */
	for (int i = 0; i < 20; i++) {
		snprintf(label, sizeof(label), "label_%02d", i);
		cs_check_perf(c, label, i, NULL, NULL, 0, 100);
	}
	out = cs_output_render(c, CS_FORMAT_NAGIOS, 400);
	assert_non_null(out);
	assert_non_null(strstr(out, "... | label_00=0;;;0;100 "));
	assert_non_null(strstr(out, " label_19=19;;;0;100\n"));
	assert_null(strstr(out, "  ")); /* single spaces only */
	free(out);
	cs_check_free(c);
}

static void
test_json(void **state)
{
	struct cs_check *c = sample();
	struct json_object *o, *f, *p, *v;
	char *out;

	(void)state;
	cs_check_data(c, "extra", json_object_new_string("x"));
	out = cs_output_render(c, CS_FORMAT_JSON, 10);
	assert_non_null(out);
	o = json_tokener_parse(out);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "state", &v));
	assert_string_equal(json_object_get_string(v), "CRITICAL");
	assert_true(json_object_object_get_ex(o, "exit_code", &v));
	assert_int_equal(json_object_get_int(v), 2);
	assert_true(json_object_object_get_ex(o, "summary", &v));
	assert_string_equal(json_object_get_string(v), "summary with | pipe");
	assert_true(json_object_object_get_ex(o, "findings", &f));
	assert_int_equal(json_object_array_length(f), 6); /* not capped */
	v = json_object_array_get_idx(f, 0);
	assert_string_equal(json_object_get_string(
	    json_object_object_get(v, "rule")), "c1");
	v = json_object_array_get_idx(f, 3);
	assert_string_equal(json_object_get_string(
	    json_object_object_get(v, "file")), "f.config");
	assert_int_equal(json_object_get_int(json_object_object_get(v,
	    "line")), 3);
	assert_true(json_object_object_get_ex(o, "perfdata", &p));
	v = json_object_array_get_idx(p, 0);
	assert_string_equal(json_object_get_string(
	    json_object_object_get(v, "warn")), "10:");
	v = json_object_array_get_idx(p, 2);
	assert_null(json_object_object_get(v, "value")); /* NAN: null */
	assert_true(json_object_object_get_ex(o, "data", &v));
	json_object_put(o);
	free(out);
	cs_check_free(c);
}

static void
test_floor_and_empty(void **state)
{
	struct cs_check *c = cs_check_new("check_x", "X");
	char *out;

	(void)state;
	out = cs_output_render(c, CS_FORMAT_NAGIOS, 8192);
	assert_string_equal(out, "X OK - no findings\n");
	free(out);
	cs_check_fail(c, CS_UNKNOWN);
	cs_check_summary(c, "cannot read");
	out = cs_output_render(c, CS_FORMAT_NAGIOS, 8192);
	assert_string_equal(out, "X UNKNOWN - cannot read\n");
	free(out);
	cs_check_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_cap),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_perf_labels),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_nagios),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_cap_keeps_perfdata),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_floor_and_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
