/* Rendering a check as Nagios plugin output or as one JSON object. */
#ifndef CS_OUTPUT_H
#define CS_OUTPUT_H

#include <stddef.h>

#include "check.h"

enum cs_format {
	CS_FORMAT_NAGIOS,
	CS_FORMAT_JSON,
};

#define CS_OUTPUT_MAX_DEFAULT 8192
#define CS_OUTPUT_MAX_MIN 256

/*
 * Nagios format: "LABEL STATE - summary | perfdata" and then one finding a
 * line, worst first and in insertion order within a state. The text is at
 * most MAX bytes: long output that does not fit ends with "... and N more";
 * the perfdata is never cut (the summary is shortened first).
 *
 * JSON format: {"plugin","state","summary","findings":[{"state","rule",
 * "text","file","line"}],"perfdata":[{"label","value","uom","warn","crit",
 * "min","max"}],"data":{...}} on one line; MAX does not apply.
 *
 * Returns a string the caller frees, or NULL when out of memory.
 */
char *cs_output_render(const struct cs_check *c, enum cs_format format,
    size_t max);

/* Writes VALUE as perfdata does ("U" for NAN, no exponent) into BUF. */
void cs_output_number(double value, char *buf, size_t len);

#endif
