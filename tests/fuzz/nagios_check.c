#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "nagios_check.h"
#include "text.h"

static const char *const states[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

/* Length of a state name at P followed by SEP, or 0. */
static size_t
state_at(const char *p, const char *sep)
{
	for (size_t i = 0; i < 4; i++) {
		size_t n = strlen(states[i]);

		if (strncmp(p, states[i], n) == 0 &&
		    strncmp(p + n, sep, strlen(sep)) == 0)
			return n + strlen(sep);
	}
	return 0;
}

/* One perfdata item at *PP (up to END); advances *PP past it. */
static bool
perf_item(const char **pp, const char *end)
{
	const char *p = *pp;
	int fields = 0;

	if (p < end && *p == '\'') {
		p++;
		for (;;) {
			if (p >= end)
				return false;
			if (*p == '\'') {
				if (p + 1 < end && p[1] == '\'') {
					p += 2;
					continue;
				}
				break;
			}
			p++;
		}
		if (p == *pp + 1)
			return false; /* '' is no label */
		p++;
	} else {
		const char *s = p;

		while (p < end && *p != '=' && *p != ' ' && *p != '\'')
			p++;
		if (p == s)
			return false;
	}
	if (p >= end || *p++ != '=')
		return false;
	if (p < end && *p == 'U') {
		p++;
	} else {
		const char *s;

		if (p < end && *p == '-')
			p++;
		s = p;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		if (p == s)
			return false;
		if (p < end && *p == '.') {
			p++;
			s = p;
			while (p < end && *p >= '0' && *p <= '9')
				p++;
			if (p == s)
				return false;
		}
		while (p < end && (*p == '%' || (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z')))
			p++;
	}
	while (p < end && *p == ';') {
		if (++fields > 4)
			return false;
		p++;
		while (p < end && strchr("0123456789.+-:~@", *p) != NULL &&
		    *p != '\0')
			p++;
	}
	if (p < end && *p != ' ')
		return false;
	*pp = p;
	return true;
}

const char *
nagios_check(const char *out, const char *label, size_t max)
{
	size_t len = strlen(out), n;
	const char *p, *nl, *bar;

	if (len == 0 || out[len - 1] != '\n')
		return "no final newline";
	for (const unsigned char *u = (const unsigned char *)out; *u;) {
		size_t l = cs_utf8_seqlen(u, strlen((const char *)u));

		if (l == 0)
			return "invalid UTF-8";
		if ((*u < 0x20 && *u != '\n') || *u == 0x7f)
			return "a C0 control character or DEL";
		if (l == 2 && u[0] == 0xc2 && u[1] < 0xa0)
			return "a C1 control character";
		u += l;
	}
	/* the first line */
	nl = strchr(out, '\n');
	n = strlen(label);
	if (strncmp(out, label, n) != 0 || out[n] != ' ')
		return "first line does not start with the label";
	p = out + n + 1;
	if ((n = state_at(p, " - ")) == 0)
		return "no state after the label";
	p += n;
	bar = memchr(p, '|', (size_t)(nl - p));
	if (bar != NULL) {
		if (memchr(bar + 1, '|', (size_t)(nl - bar - 1)) != NULL)
			return "more than one '|' in the first line";
		if (bar == p || bar[-1] != ' ' || bar[1] != ' ')
			return "'|' not between spaces";
		p = bar + 2;
		for (;;) {
			if (!perf_item(&p, nl))
				return "perfdata that does not parse";
			if (p == nl)
				break;
			p++; /* the space */
		}
	}
	/* the long output */
	for (p = nl + 1; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (state_at(p, ": ") == 0 && strncmp(p, "... and ", 8) != 0)
			return "a line that is neither a finding nor '... and N more'";
	}
	/* the cap: only perfdata, which is never cut, may push the first
	 * line over it; the summary is then at its floor (40 bytes) and
	 * nothing but "... and N more" may follow */
	if (max != 0 && len > max) {
		const char *summary = out + strlen(label) + 1;

		summary += state_at(summary, " - ");
		nl = strchr(out, '\n');
		if ((size_t)((bar ? bar - 1 : nl) - summary) > 40 ||
		    (nl[1] != '\0' && strncmp(nl + 1, "... and ", 8) != 0))
			return "longer than the cap";
	}
	return NULL;
}

void
nagios_assert(const char *out, const char *label, size_t max)
{
	const char *why = nagios_check(out, label, max);

	if (why != NULL) {
		fprintf(stderr, "malformed Nagios output: %s\n---\n%s---\n", why,
		    out);
		abort();
	}
}

char *
fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}
