/*
 * The output builder: a check made of arbitrary summary, finding texts,
 * rule ids, file names, perfdata labels, values, units and thresholds
 * always renders as well-formed Nagios output within its cap, and as one
 * JSON object that parses.
 *
 * Input: a control byte (output cap, summary or not), then fields separated
 * by '\n': the summary, then per finding "state-byte rule", text, file; a
 * field starting with '=' is a perfdata item instead: "=label", and the
 * next field "value;warn;crit" (the ranges as -w/-c would take them).
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "check.h"
#include "output.h"
#include "range.h"

#include "fuzz.h"
#include "nagios_check.h"

/* The next '\n'-separated field of *P, or NULL at the end. */
static char *
field(char **p)
{
	char *s = *p, *nl;

	if (s == NULL)
		return NULL;
	if ((nl = strchr(s, '\n')) != NULL) {
		*nl = '\0';
		*p = nl + 1;
	} else {
		*p = NULL;
	}
	return s;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const uoms[] = { "", "s", "ms", "us", "%", "B",
	    "KB", "MB", "TB", "c" };
	static const size_t caps[] = { CS_OUTPUT_MAX_MIN, 300, 1024,
	    CS_OUTPUT_MAX_DEFAULT };
	struct cs_check *c;
	char *s, *p, *f, *out;
	size_t max;
	json_object *j;

	if (size < 1)
		return 0;
	max = caps[data[0] & 3];
	p = s = fuzz_strndup(data + 1, size - 1);
	if ((c = cs_check_new("check_fuzz", "FUZZ")) == NULL)
		abort();
	if ((data[0] & 4) && (f = field(&p)) != NULL)
		cs_check_summary(c, "%s", f);
	while ((f = field(&p)) != NULL) {
		if (f[0] == '=') {
			struct cs_thresholds t = { 0 };
			struct cs_error err;
			char *v = field(&p), *w, *cr;
			double value = NAN;

			if (v != NULL) {
				value = strtod(v, &w);
				if ((w = strchr(v, ';')) != NULL) {
					*w++ = '\0';
					if ((cr = strchr(w, ';')) != NULL) {
						*cr++ = '\0';
						(void)cs_range_parse(cr,
						    &t.crit, &err);
					}
					(void)cs_range_parse(w, &t.warn, &err);
				}
			}
			cs_check_perf(c, f + 1, value,
			    uoms[(unsigned char)f[0] % 10], &t,
			    (data[0] & 8) ? 0 : NAN, (data[0] & 16) ? 100 : NAN);
		} else {
			enum cs_state st = (enum cs_state)((unsigned char)f[0] % 4);
			char *text = field(&p), *file = field(&p);

			cs_check_add(c, st, f[0] ? f + 1 : NULL, file,
			    (long)size, "%s", text ? text : "");
		}
	}
	if ((out = cs_output_render(c, CS_FORMAT_NAGIOS, max)) == NULL)
		abort();
	nagios_assert(out, "FUZZ", max);
	free(out);
	if ((out = cs_output_render(c, CS_FORMAT_JSON, max)) == NULL)
		abort();
	if ((j = json_tokener_parse(out)) == NULL ||
	    !json_object_is_type(j, json_type_object))
		abort();
	json_object_put(j);
	free(out);
	cs_check_free(c);
	free(s);
	return 0;
}
