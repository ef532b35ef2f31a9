#include "config.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

struct cs_check *
cs_check_new(const char *name, const char *label)
{
	struct cs_check *c = calloc(1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c->name = strdup(name);
	c->label = strdup(label);
	if (c->name == NULL || c->label == NULL) {
		cs_check_free(c);
		return NULL;
	}
	return c;
}

void
cs_check_free(struct cs_check *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nfindings; i++) {
		free(c->findings[i].rule);
		free(c->findings[i].text);
		free(c->findings[i].file);
	}
	free(c->findings);
	for (size_t i = 0; i < c->nperf; i++)
		free(c->perf[i].label);
	free(c->perf);
	json_object_put(c->data);
	free(c->summary);
	free(c->name);
	free(c->label);
	free(c);
}

/* Grows *ARR (of SIZE-byte elements) to hold one more than N. */
static int
grow(void **arr, size_t *cap, size_t n, size_t size)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 16;
	if ((p = reallocarray(*arr, ncap, size)) == NULL)
		return -1;
	*arr = p;
	*cap = ncap;
	return 0;
}

static char *
vformat(const char *fmt, va_list ap)
{
	char *s = NULL;

	if (vasprintf(&s, fmt, ap) < 0)
		return NULL;
	return s;
}

void
cs_check_add(struct cs_check *c, enum cs_state state, const char *rule,
    const char *file, long line, const char *fmt, ...)
{
	struct cs_finding f = { .state = state, .line = line };
	va_list ap;

	va_start(ap, fmt);
	f.text = vformat(fmt, ap);
	va_end(ap);
	f.rule = rule ? strdup(rule) : NULL;
	f.file = file ? strdup(file) : NULL;
	if (f.text == NULL || (rule && !f.rule) || (file && !f.file) ||
	    grow((void **)&c->findings, &c->findings_cap, c->nfindings,
	    sizeof(f)) != 0) {
		free(f.text);
		free(f.rule);
		free(f.file);
		c->nomem = 1;
		return;
	}
	f.seq = c->nfindings;
	c->findings[c->nfindings++] = f;
}

void
cs_check_summary(struct cs_check *c, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vformat(fmt, ap);
	va_end(ap);
	if (s == NULL) {
		c->nomem = 1;
		return;
	}
	free(c->summary);
	c->summary = s;
}

void
cs_check_perf(struct cs_check *c, const char *label, double value,
    const char *uom, const struct cs_thresholds *t, double min, double max)
{
	struct cs_perf p = { .value = value, .min = min, .max = max };

	if (uom != NULL)
		snprintf(p.uom, sizeof(p.uom), "%s", uom);
	if (t != NULL) {
		p.warn = t->warn;
		p.crit = t->crit;
	}
	if ((p.label = strdup(label)) == NULL ||
	    grow((void **)&c->perf, &c->perf_cap, c->nperf, sizeof(p)) != 0) {
		free(p.label);
		c->nomem = 1;
		return;
	}
	c->perf[c->nperf++] = p;
}

void
cs_check_data(struct cs_check *c, const char *key, struct json_object *val)
{
	if (c->data == NULL && (c->data = json_object_new_object()) == NULL) {
		json_object_put(val);
		c->nomem = 1;
		return;
	}
	if (json_object_object_add(c->data, key, val) != 0) {
		json_object_put(val);
		c->nomem = 1;
	}
}

void
cs_check_fail(struct cs_check *c, enum cs_state state)
{
	c->floor = cs_state_worst(c->floor, state);
}

enum cs_state
cs_check_state(const struct cs_check *c)
{
	enum cs_state s = c->floor;

	for (size_t i = 0; i < c->nfindings; i++)
		s = cs_state_worst(s, c->findings[i].state);
	if (c->nomem)
		s = cs_state_worst(s, CS_UNKNOWN);
	return s;
}

size_t
cs_check_count(const struct cs_check *c, enum cs_state state)
{
	size_t n = 0;

	for (size_t i = 0; i < c->nfindings; i++)
		if (c->findings[i].state == state)
			n++;
	return n;
}
