/*
 * Making untrusted text (attribute values, account names, file names) safe
 * for plugin output. Every string that reaches stdout passes through here.
 */
#ifndef CS_TEXT_H
#define CS_TEXT_H

#include <stddef.h>

/* Longest text a finding may carry before it is shortened. */
#define CS_TEXT_MAX 1024

/*
 * A copy of S for one Nagios output line: invalid UTF-8 bytes become '?',
 * '|' (the perfdata separator) becomes U+00A6 '¦', tab, CR and LF become a
 * space and other control characters (terminal escapes) become "\xNN"; C1
 * controls (U+0080..U+009F, e.g. CSI) become "\u00NN" and the Unicode line
 * and paragraph separators a space.
 * Longer than MAX bytes: cut on a character boundary and "..." appended.
 * Returns NULL only when out of memory; the caller frees.
 */
char *cs_text_line(const char *s, size_t max);

/* A copy of S that is valid UTF-8 (bad bytes become '?'), cut as above;
 * for JSON, whose encoder escapes control characters itself. */
char *cs_text_utf8(const char *s, size_t max);

/*
 * A perfdata label for LABEL: control characters, '=' and '|' become '_'
 * (an empty label is "_");
 * quoted with single quotes (a quote doubled) when it contains a space or a
 * quote. Returns NULL only when out of memory; the caller frees.
 */
char *cs_text_perf_label(const char *label);

/* Length of the valid UTF-8 sequence at P (at most N bytes), or 0. */
size_t cs_utf8_seqlen(const unsigned char *p, size_t n);

#endif
