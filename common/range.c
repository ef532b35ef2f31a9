#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "range.h"

/*
 * Parses one endpoint: an optional sign, digits with an optional fraction.
 * No exponents, "inf" or "nan": strtod would accept those, the guidelines
 * do not.
 */
static int
parse_number(const char *s, size_t len, double *out, struct cs_error *err,
    const char *whole)
{
	char buf[CS_RANGE_TEXT_MAX];
	size_t i = 0, digits = 0;
	char *end;

	if (len == 0 || len >= sizeof(buf))
		return cs_error_set(err, CS_ERR_PARSE,
		    "invalid range '%s': bad number", whole);
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (buf[i] == '-' || buf[i] == '+')
		i++;
	for (; buf[i] >= '0' && buf[i] <= '9'; i++)
		digits++;
	if (buf[i] == '.') {
		for (i++; buf[i] >= '0' && buf[i] <= '9'; i++)
			digits++;
	}
	if (digits == 0 || buf[i] != '\0')
		return cs_error_set(err, CS_ERR_PARSE,
		    "invalid range '%s': '%s' is not a number", whole, buf);
	errno = 0;
	*out = strtod(buf, &end);
	if (errno == ERANGE || !isfinite(*out))
		return cs_error_set(err, CS_ERR_RANGE,
		    "invalid range '%s': '%s' is out of range", whole, buf);
	return 0;
}

int
cs_range_parse(const char *s, struct cs_range *r, struct cs_error *err)
{
	struct cs_range tmp;
	const char *p, *colon;
	int rc;

	memset(r, 0, sizeof(*r));
	memset(&tmp, 0, sizeof(tmp));
	if (s == NULL || *s == '\0')
		return cs_error_set(err, CS_ERR_PARSE, "empty range");
	if (strlen(s) >= sizeof(tmp.text))
		return cs_error_set(err, CS_ERR_PARSE,
		    "invalid range: longer than %d characters",
		    CS_RANGE_TEXT_MAX - 1);
	p = s;
	if (*p == '@') {
		tmp.inside = true;
		p++;
	}
	colon = strchr(p, ':');
	if (colon == NULL) {
		/* "10" means 0..10 */
		tmp.start = 0;
		if ((rc = parse_number(p, strlen(p), &tmp.end, err, s)) != 0)
			return rc;
	} else {
		if (strchr(colon + 1, ':') != NULL)
			return cs_error_set(err, CS_ERR_PARSE,
			    "invalid range '%s': more than one ':'", s);
		if (colon - p == 1 && *p == '~')
			tmp.start_inf = true;
		else if (colon == p)
			tmp.start = 0; /* ":10" is 0..10, as monitoring-plugins */
		else if ((rc = parse_number(p, (size_t)(colon - p),
		    &tmp.start, err, s)) != 0)
			return rc;
		if (colon[1] == '\0')
			tmp.end_inf = true;
		else if ((rc = parse_number(colon + 1, strlen(colon + 1),
		    &tmp.end, err, s)) != 0)
			return rc;
	}
	if (!tmp.start_inf && !tmp.end_inf && tmp.start > tmp.end)
		return cs_error_set(err, CS_ERR_PARSE,
		    "invalid range '%s': start is greater than end", s);
	strcpy(tmp.text, s);
	tmp.set = true;
	*r = tmp;
	return 0;
}

bool
cs_range_alerts(const struct cs_range *r, double value)
{
	bool within;

	if (r == NULL || !r->set)
		return false;
	if (isnan(value))
		return false;
	within = (r->start_inf || value >= r->start) &&
	    (r->end_inf || value <= r->end);
	return r->inside ? within : !within;
}

enum cs_state
cs_thresholds_eval(const struct cs_thresholds *t, double value)
{
	if (t == NULL)
		return CS_OK;
	if (cs_range_alerts(&t->crit, value))
		return CS_CRITICAL;
	if (cs_range_alerts(&t->warn, value))
		return CS_WARNING;
	return CS_OK;
}

int
cs_thresholds_option(struct cs_thresholds *t, int opt, const char *arg,
    struct cs_error *err)
{
	struct cs_range *r;

	if (opt == 'w')
		r = &t->warn;
	else if (opt == 'c')
		r = &t->crit;
	else
		return 1;
	return cs_range_parse(arg, r, err) != 0 ? CS_ERR_USAGE : 0;
}
