/* The Nagios range parser: never crashes; a parsed range is consistent
 * (start <= end, its text fits) and evaluating it is defined. */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "range.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_error err = { 0 };
	struct cs_thresholds t = { 0 };
	struct cs_range r;
	char *s = fuzz_strndup(data, size);
	int rc = cs_range_parse(s, &r, &err);

	if (rc == 0) {
		if (!r.set || memchr(r.text, '\0', sizeof(r.text)) == NULL)
			abort();
		if (!r.start_inf && !r.end_inf && r.start > r.end)
			abort();
		(void)cs_range_alerts(&r, 0);
		(void)cs_range_alerts(&r, -1e300);
		(void)cs_range_alerts(&r, NAN);
		t.crit = r;
		if (cs_thresholds_eval(&t, 1e300) > CS_UNKNOWN)
			abort();
	} else if (r.set || err.msg[0] == '\0' || strchr(err.msg, '\n')) {
		abort(); /* errors leave it unset, with a one-line message */
	}
	free(s);
	return 0;
}
