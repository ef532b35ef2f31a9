/* What well-formed Nagios plugin output is, asserted by the fuzz targets. */
#ifndef NAGIOS_CHECK_H
#define NAGIOS_CHECK_H

#include <stddef.h>

/*
 * Checks OUT, the Nagios-format rendering of a check labelled LABEL: a
 * first line "LABEL STATE - summary[ | perfdata]" with at most one '|',
 * perfdata items that parse ('label'=value[uom][;warn[;crit[;min[;max]]]]),
 * every further line "STATE: ..." or "... and N more", valid UTF-8, no
 * control character but the line ends (no C0, DEL or C1), a final newline
 * and at most MAX bytes when MAX is not 0. Returns NULL when well formed,
 * else a static string saying what is wrong.
 */
const char *nagios_check(const char *out, const char *label, size_t max);

/* nagios_check, printing OUT and aborting when it is not well formed. */
void nagios_assert(const char *out, const char *label, size_t max);

#endif
