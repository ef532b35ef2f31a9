#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "output.h"
#include "text.h"

void
cs_output_number(double value, char *buf, size_t len)
{
	char *p;

	if (isnan(value) || isinf(value)) {
		snprintf(buf, len, "U");
		return;
	}
	if (value == floor(value) && fabs(value) < 1e15) {
		snprintf(buf, len, "%.0f", value);
		return;
	}
	if (fabs(value) >= 1e15) {
		/* all digits, or U when they do not fit: never a cut number */
		char big[400];

		if ((size_t)snprintf(big, sizeof(big), "%.0f", value) < len)
			snprintf(buf, len, "%s", big);
		else
			snprintf(buf, len, "U");
		return;
	}
	snprintf(buf, len, "%.6f", value);
	/* trim trailing zeros of the fraction */
	if (strchr(buf, '.') != NULL) {
		p = buf + strlen(buf) - 1;
		while (*p == '0')
			*p-- = '\0';
		if (*p == '.')
			*p = '\0';
	}
}

static int
cmp_finding(const void *a, const void *b)
{
	const struct cs_finding *fa = *(const struct cs_finding *const *)a;
	const struct cs_finding *fb = *(const struct cs_finding *const *)b;
	int ra = cs_state_rank(fa->state), rb = cs_state_rank(fb->state);

	if (ra != rb)
		return rb - ra;
	return fa->seq < fb->seq ? -1 : fa->seq > fb->seq;
}

/* Findings sorted worst first; NULL when out of memory (or none). */
static const struct cs_finding **
sorted_findings(const struct cs_check *c)
{
	const struct cs_finding **v;

	if (c->nfindings == 0)
		return NULL;
	if ((v = calloc(c->nfindings, sizeof(*v))) == NULL)
		return NULL;
	for (size_t i = 0; i < c->nfindings; i++)
		v[i] = &c->findings[i];
	qsort(v, c->nfindings, sizeof(*v), cmp_finding);
	return v;
}

static char *
default_summary(const struct cs_check *c)
{
	size_t crit = cs_check_count(c, CS_CRITICAL);
	size_t warn = cs_check_count(c, CS_WARNING);
	size_t unk = cs_check_count(c, CS_UNKNOWN);
	char *s = NULL;

	if (c->nomem)
		return strdup("out of memory while building the result");
	if (crit + warn + unk == 0)
		return strdup("no findings");
	if (asprintf(&s, "%zu critical, %zu warning, %zu unknown", crit, warn,
	    unk) < 0)
		return NULL;
	return s;
}

static int
render_perf(const struct cs_check *c, struct cs_buf *b)
{
	char num[64];
	int rc = 0;

	for (size_t i = 0; i < c->nperf && rc == 0; i++) {
		const struct cs_perf *p = &c->perf[i];
		char *label = cs_text_perf_label(p->label);

		if (label == NULL)
			return CS_ERR_NOMEM;
		cs_output_number(p->value, num, sizeof(num));
		rc |= cs_buf_printf(b, "%s%s=%s%s", i ? " " : "", label, num,
		    strcmp(num, "U") == 0 ? "" : p->uom);
		free(label);
		rc |= cs_buf_printf(b, ";%s;%s;", p->warn.set ? p->warn.text : "",
		    p->crit.set ? p->crit.text : "");
		if (!isnan(p->min)) {
			cs_output_number(p->min, num, sizeof(num));
			rc |= cs_buf_adds(b, num);
		}
		rc |= cs_buf_adds(b, ";");
		if (!isnan(p->max)) {
			cs_output_number(p->max, num, sizeof(num));
			rc |= cs_buf_adds(b, num);
		}
		/* drop empty trailing fields: "x=1;;;0;" -> "x=1;;;0" */
		while (b->len > 0 && b->s[b->len - 1] == ';')
			b->s[--b->len] = '\0';
	}
	return rc ? CS_ERR_NOMEM : 0;
}

/* One long-output line for F, sanitised, without the newline. */
static char *
finding_line(const struct cs_finding *f)
{
	char *text = cs_text_line(f->text, CS_TEXT_MAX);
	char *rule = f->rule ? cs_text_line(f->rule, 64) : NULL;
	char *s = NULL;

	if (text != NULL && (f->rule == NULL || rule != NULL)) {
		if (asprintf(&s, "%s: %s%s%s", cs_state_name(f->state),
		    rule ? rule : "", rule ? ": " : "", text) < 0)
			s = NULL;
	}
	free(text);
	free(rule);
	return s;
}

static char *
render_nagios(const struct cs_check *c, size_t max)
{
	struct cs_buf perf, out;
	const struct cs_finding **v = NULL;
	char *raw = NULL, *summary = NULL, *label = NULL, *result = NULL;
	enum cs_state state = cs_check_state(c);
	size_t head, budget, i;

	cs_buf_init(&perf, 0);
	cs_buf_init(&out, 0);
	if (render_perf(c, &perf) != 0)
		goto out;
	if ((label = cs_text_line(c->label, 64)) == NULL)
		goto out;
	raw = c->summary ? strdup(c->summary) : default_summary(c);
	if (raw == NULL)
		goto out;
	/* the summary gets what the cap leaves after label, state and perf */
	head = strlen(label) + strlen(cs_state_name(state)) + 4 +
	    (perf.len ? perf.len + 3 : 0) + 1;
	/* and room for "... and N more" should no finding fit after it */
	if (c->nfindings > 0)
		head += (size_t)snprintf(NULL, 0, "... and %zu more\n",
		    c->nfindings);
	budget = max > head + 40 ? max - head : 40;
	if (budget > CS_TEXT_MAX)
		budget = CS_TEXT_MAX;
	if ((summary = cs_text_line(raw, budget)) == NULL)
		goto out;
	if (cs_buf_printf(&out, "%s %s - %s%s%s\n", label,
	    cs_state_name(state), summary, perf.len ? " | " : "",
	    cs_buf_str(&perf)) != 0)
		goto out;

	if (c->nfindings > 0 && (v = sorted_findings(c)) == NULL)
		goto out;
	for (i = 0; i < c->nfindings; i++) {
		char *line = finding_line(v[i]);
		char more[48];
		size_t reserve;

		if (line == NULL)
			goto out;
		/* keep room for the "... and N more" line unless this is last */
		reserve = (i + 1 < c->nfindings) ?
		    (size_t)snprintf(more, sizeof(more), "... and %zu more\n",
		    c->nfindings - i - 1) : 0;
		if (out.len + strlen(line) + 1 + reserve > max) {
			free(line);
			break;
		}
		if (cs_buf_printf(&out, "%s\n", line) != 0) {
			free(line);
			goto out;
		}
		free(line);
	}
	if (i < c->nfindings &&
	    cs_buf_printf(&out, "... and %zu more\n", c->nfindings - i) != 0)
		goto out;
	result = out.s; /* ownership passes to the caller */
	out.s = NULL;
out:
	free(v);
	free(raw);
	free(summary);
	free(label);
	cs_buf_free(&perf);
	cs_buf_free(&out);
	return result;
}

/* A JSON string of S made valid UTF-8, or JSON null for NULL. */
static struct json_object *
jstr(const char *s, size_t max)
{
	char *clean;
	struct json_object *o;

	if (s == NULL)
		return NULL;
	if ((clean = cs_text_utf8(s, max)) == NULL)
		return NULL;
	o = json_object_new_string(clean);
	free(clean);
	return o;
}

static struct json_object *
jnum(double v)
{
	if (isnan(v) || isinf(v))
		return NULL;
	if (v == floor(v) && fabs(v) < 9e15)
		return json_object_new_int64((int64_t)v);
	return json_object_new_double(v);
}

static char *
render_json(const struct cs_check *c)
{
	struct json_object *root = json_object_new_object();
	struct json_object *fs = json_object_new_array();
	struct json_object *ps = json_object_new_array();
	const struct cs_finding **v = NULL;
	char *summary = NULL, *result = NULL;
	enum cs_state state = cs_check_state(c);

	if (root == NULL || fs == NULL || ps == NULL)
		goto out;
	summary = c->summary ? strdup(c->summary) : default_summary(c);
	if (summary == NULL)
		goto out;
	json_object_object_add(root, "plugin", jstr(c->name, 64));
	json_object_object_add(root, "state",
	    json_object_new_string(cs_state_name(state)));
	json_object_object_add(root, "exit_code", json_object_new_int(state));
	json_object_object_add(root, "summary", jstr(summary, CS_TEXT_MAX));
	if (c->nfindings > 0 && (v = sorted_findings(c)) == NULL)
		goto out;
	for (size_t i = 0; i < c->nfindings; i++) {
		struct json_object *f = json_object_new_object();

		if (f == NULL)
			goto out;
		json_object_object_add(f, "state",
		    json_object_new_string(cs_state_name(v[i]->state)));
		json_object_object_add(f, "rule", jstr(v[i]->rule, 64));
		json_object_object_add(f, "text", jstr(v[i]->text, CS_TEXT_MAX));
		json_object_object_add(f, "file", jstr(v[i]->file, CS_TEXT_MAX));
		json_object_object_add(f, "line",
		    v[i]->line > 0 ? json_object_new_int64(v[i]->line) : NULL);
		json_object_array_add(fs, f);
	}
	json_object_object_add(root, "findings", fs);
	fs = NULL;
	for (size_t i = 0; i < c->nperf; i++) {
		const struct cs_perf *p = &c->perf[i];
		struct json_object *o = json_object_new_object();

		if (o == NULL)
			goto out;
		json_object_object_add(o, "label", jstr(p->label, 128));
		json_object_object_add(o, "value", jnum(p->value));
		json_object_object_add(o, "uom", json_object_new_string(p->uom));
		json_object_object_add(o, "warn",
		    p->warn.set ? json_object_new_string(p->warn.text) : NULL);
		json_object_object_add(o, "crit",
		    p->crit.set ? json_object_new_string(p->crit.text) : NULL);
		json_object_object_add(o, "min", jnum(p->min));
		json_object_object_add(o, "max", jnum(p->max));
		json_object_array_add(ps, o);
	}
	json_object_object_add(root, "perfdata", ps);
	ps = NULL;
	if (c->data != NULL)
		json_object_object_add(root, "data", json_object_get(c->data));
	{
		const char *s = json_object_to_json_string_ext(root,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);

		if (s != NULL && asprintf(&result, "%s\n", s) < 0)
			result = NULL;
	}
out:
	free(v);
	free(summary);
	json_object_put(fs);
	json_object_put(ps);
	json_object_put(root);
	return result;
}

char *
cs_output_render(const struct cs_check *c, enum cs_format format, size_t max)
{
	if (format == CS_FORMAT_JSON)
		return render_json(c);
	return render_nagios(c, max);
}
