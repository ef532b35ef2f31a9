#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aspnet.h"
#include "cli.h"
#include "xmlload.h"

/* ---- what is read ------------------------------------------------------ */

enum setting_id {
	S_DEBUG,
	S_CUSTOM_ERRORS,
	S_TRACE_ENABLED,
	S_TRACE_LOCAL_ONLY,
	S_TRACE_PAGE_OUTPUT,
	S_HTTP_ERRORS,
	S_RETAIL,
	S_DEV_ERRORS,
	S_COUNT,
};

static const char *const booleans[] = { "true", "false", NULL };
static const char *const custom_errors_modes[] = { "On", "Off", "RemoteOnly",
	NULL };
static const char *const http_error_modes[] = { "DetailedLocalOnly",
	"Custom", "Detailed", NULL };

static const struct setting {
	const char *section;        /* below <configuration> */
	const char *attr;           /* NULL: the appSettings key below */
	const char *label;          /* how findings name it */
	const char *const *valid;   /* accepted values, any case; NULL: any */
} settings[S_COUNT] = {
	[S_DEBUG] = { "system.web/compilation", "debug", "compilation debug",
	    booleans },
	[S_CUSTOM_ERRORS] = { "system.web/customErrors", "mode",
	    "customErrors mode", custom_errors_modes },
	[S_TRACE_ENABLED] = { "system.web/trace", "enabled", "trace enabled",
	    booleans },
	[S_TRACE_LOCAL_ONLY] = { "system.web/trace", "localOnly",
	    "trace localOnly", booleans },
	[S_TRACE_PAGE_OUTPUT] = { "system.web/trace", "pageOutput",
	    "trace pageOutput", booleans },
	[S_HTTP_ERRORS] = { "system.webServer/httpErrors", "errorMode",
	    "httpErrors errorMode", http_error_modes },
	[S_RETAIL] = { "system.web/deployment", "retail", "deployment retail",
	    booleans },
	[S_DEV_ERRORS] = { "appSettings", NULL, "appSettings DevErrors", NULL },
};

/* The CRM web.config key that shows developer error details to users. */
#define DEV_ERRORS_KEY "DevErrors"

/* ---- the rules --------------------------------------------------------- */

static const struct rule {
	const char *name;
	enum cs_state state;
	int setting;                /* -1: not a value rule */
	const char *fires_on;       /* effective value that breaks it */
	bool retail_overrides;      /* deployment retail=true forces it off */
	/* a second setting that makes the finding worse */
	int worse[2];
	const char *worse_on[2];
	enum cs_state worse_state;
} rules[ASPNET_R_COUNT] = {
	[ASPNET_R_DEBUG] = { "debug", CS_WARNING, S_DEBUG, "true", true,
	    { -1, -1 }, { NULL, NULL }, CS_OK },
	[ASPNET_R_CUSTOM_ERRORS_OFF] = { "custom-errors-off", CS_CRITICAL,
	    S_CUSTOM_ERRORS, "Off", true, { -1, -1 }, { NULL, NULL }, CS_OK },
	[ASPNET_R_HTTP_ERRORS_DETAILED] = { "http-errors-detailed",
	    CS_CRITICAL, S_HTTP_ERRORS, "Detailed", false, { -1, -1 },
	    { NULL, NULL }, CS_OK },
	[ASPNET_R_TRACE] = { "trace", CS_WARNING, S_TRACE_ENABLED, "true",
	    true, { S_TRACE_LOCAL_ONLY, S_TRACE_PAGE_OUTPUT },
	    { "false", "true" }, CS_CRITICAL },
	[ASPNET_R_CRM_DEV_ERRORS] = { "crm-dev-errors", CS_CRITICAL,
	    S_DEV_ERRORS, "On", false, { -1, -1 }, { NULL, NULL }, CS_OK },
	[ASPNET_R_RETAIL] = { "retail", CS_WARNING, -1, NULL, false,
	    { -1, -1 }, { NULL, NULL }, CS_OK },
	[ASPNET_R_INVALID_VALUE] = { "invalid-value", CS_WARNING, -1, NULL,
	    false, { -1, -1 }, { NULL, NULL }, CS_OK },
};

int
aspnet_rule_by_name(const char *name)
{
	for (int i = 0; i < ASPNET_R_COUNT; i++)
		if (strcmp(rules[i].name, name) == 0)
			return i;
	return -1;
}

const char *
aspnet_rule_name(int rule)
{
	return (rule >= 0 && rule < ASPNET_R_COUNT) ? rules[rule].name : "?";
}

/* ---- scopes -------------------------------------------------------------
 * A scope key says where a declaration applies:
 *   ""            everywhere (machine-level files outside <location>)
 *   "@site/app"   an IIS path named by a machine-level <location>
 *   "#N/dir/sub"  below the N-th -f argument
 * lower-cased (IIS paths are case-insensitive), '/' separated, no leading
 * or trailing '/'. A key applies to itself and to the keys below it.
 */

/* Appends the normalised form of PATH (as in a location path= or a
 * directory) to KEY; returns a new string or NULL. */
static char *
scope_join(const char *key, const char *path)
{
	size_t kl = strlen(key), pl = strlen(path);
	char *s = malloc(kl + pl + 2), *o;
	const char *p = path;

	if (s == NULL)
		return NULL;
	memcpy(s, key, kl);
	o = s + kl;
	while (*p) {
		size_t n;

		while (*p == '/' || *p == '\\')
			p++;
		n = strcspn(p, "/\\");
		if (n == 0)
			break;
		if (!(n == 1 && p[0] == '.')) {
			if (o != s)
				*o++ = '/';
			for (size_t i = 0; i < n; i++)
				*o++ = (char)tolower((unsigned char)p[i]);
		}
		p += n;
	}
	*o = '\0';
	return s;
}

char *
aspnet_scope_key(unsigned tree, const char *dir)
{
	char head[24];

	snprintf(head, sizeof(head), "#%u", tree);
	return scope_join(head, dir ? dir : "");
}

/* True when a location path means the file's own level ("", "."). */
static bool
location_is_root(const char *loc)
{
	char *k;
	bool root;

	if (loc == NULL)
		return true;
	if ((k = scope_join("", loc)) == NULL)
		return false;
	root = (*k == '\0');
	free(k);
	return root;
}

/* ---- gathering --------------------------------------------------------- */

struct gather_ctx {
	struct aspnet_model *m;
	struct cs_netcfg *cfg;
	enum aspnet_level level;
	const char *scope;      /* the file's own scope key */
	int depth;
	int setting;
	struct cs_error *err;
};

static int
add_decl(struct gather_ctx *g, int setting, const char *value,
    const char *file, xmlNodePtr node, const char *location)
{
	struct aspnet_model *m = g->m;
	struct aspnet_decl d = { .setting = setting, .level = g->level };
	bool root = location_is_root(location);

	if (m->ndecls == m->decls_cap) {
		size_t ncap = m->decls_cap ? m->decls_cap * 2 : 64;
		struct aspnet_decl *nd = reallocarray(m->decls, ncap,
		    sizeof(*nd));

		if (nd == NULL)
			goto nomem;
		m->decls = nd;
		m->decls_cap = ncap;
	}
	d.line = cs_xml_line(node);
	d.seq = m->ndecls;
	d.value = value ? strdup(value) : NULL;
	d.file = strdup(file);
	d.location = location ? strdup(location) : NULL;
	if (g->level == ASPNET_WEB) {
		d.order = 10 + 2 * g->depth + (root ? 0 : 1);
		d.scope = root ? strdup(g->scope) : scope_join(g->scope,
		    location);
	} else {
		/* machine-level <location> blocks act at the site level,
		 * after every machine-level default */
		d.order = root ? (int)g->level : 3 + (int)g->level;
		d.scope = root ? strdup("") : scope_join("@", location);
	}
	if ((value && !d.value) || !d.file || (location && !d.location) ||
	    !d.scope) {
		free(d.value);
		free(d.file);
		free(d.location);
		free(d.scope);
		goto nomem;
	}
	m->decls[m->ndecls++] = d;
	return 0;
nomem:
	return cs_error_set(g->err, CS_ERR_NOMEM, "out of memory");
}

static int
on_attribute_section(const struct cs_netcfg_section *s, void *vctx)
{
	struct gather_ctx *g = vctx;
	const char *v = cs_xml_attr(s->node, settings[g->setting].attr);

	if (v == NULL)
		return 0;
	return add_decl(g, g->setting, v, s->file, s->node, s->location);
}

/* <add key="DevErrors" value=..>, <remove key="DevErrors"/>, <clear/> */
static int
read_app_settings(struct gather_ctx *g, xmlNodePtr sect, const char *file,
    const char *location)
{
	int rc;

	for (xmlNodePtr c = cs_xml_child(sect, NULL); c; c = cs_xml_next(c, NULL)) {
		const char *name = cs_xml_name(c);
		const char *key = cs_xml_attr(c, "key");

		if (strcmp(name, "clear") == 0)
			rc = add_decl(g, S_DEV_ERRORS, NULL, file, c, location);
		else if (key == NULL || strcasecmp(key, DEV_ERRORS_KEY) != 0)
			continue;
		else if (strcmp(name, "add") == 0)
			rc = add_decl(g, S_DEV_ERRORS,
			    cs_xml_attr(c, "value") ? cs_xml_attr(c, "value") :
			    "", file, c, location);
		else if (strcmp(name, "remove") == 0)
			rc = add_decl(g, S_DEV_ERRORS, NULL, file, c, location);
		else
			continue;
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int
on_app_settings(const struct cs_netcfg_section *s, void *vctx)
{
	struct gather_ctx *g = vctx;
	const char *extra = cs_xml_attr(s->node, "file");
	xmlNodePtr root;
	const char *file;
	int rc;

	if ((rc = read_app_settings(g, s->node, s->file, s->location)) != 0)
		return rc;
	if (extra == NULL || *extra == '\0')
		return 0;
	/* appSettings file="..." overrides the section's own values; ASP.NET
	 * ignores a file that does not exist, and so do we */
	rc = cs_netcfg_load_related(g->cfg, s->node, extra, &root, &file,
	    g->err);
	if (rc == CS_ERR_NOT_FOUND) {
		cs_log(1, "%s: appSettings file '%s' does not exist (ignored, "
		    "as ASP.NET does)", s->file, extra);
		cs_error_clear(g->err);
		return 0;
	}
	if (rc != 0)
		return rc;
	if (strcmp(cs_xml_name(root), "appSettings") != 0)
		return cs_error_set(g->err, CS_ERR_FORMAT,
		    "%s:%ld: appSettings file must have root element "
		    "<appSettings>", file, cs_xml_line(root));
	return read_app_settings(g, root, file, s->location);
}

int
aspnet_gather(struct aspnet_model *m, struct cs_netcfg *cfg,
    enum aspnet_level level, const char *scope, int depth,
    struct cs_error *err)
{
	struct gather_ctx g = { m, cfg, level, scope ? scope : "", depth, 0,
	    err };
	size_t before = cs_netcfg_nfiles(cfg);
	int rc;

	for (g.setting = 0; g.setting < S_COUNT; g.setting++) {
		if (g.setting == S_DEV_ERRORS)
			rc = cs_netcfg_foreach(cfg, settings[g.setting].section,
			    on_app_settings, &g, err);
		else
			rc = cs_netcfg_foreach(cfg, settings[g.setting].section,
			    on_attribute_section, &g, err);
		if (rc != 0)
			return rc;
	}
	(void)before;
	m->files += cs_netcfg_nfiles(cfg);
	return 0;
}

int
aspnet_add_target(struct aspnet_model *m, const char *scope)
{
	char *s;

	if (m->ntargets == m->targets_cap) {
		size_t ncap = m->targets_cap ? m->targets_cap * 2 : 16;
		char **nt = reallocarray(m->targets, ncap, sizeof(*nt));

		if (nt == NULL)
			return CS_ERR_NOMEM;
		m->targets = nt;
		m->targets_cap = ncap;
	}
	if ((s = strdup(scope)) == NULL)
		return CS_ERR_NOMEM;
	m->targets[m->ntargets++] = s;
	return 0;
}

void
aspnet_model_free(struct aspnet_model *m)
{
	for (size_t i = 0; i < m->ndecls; i++) {
		free(m->decls[i].value);
		free(m->decls[i].file);
		free(m->decls[i].location);
		free(m->decls[i].scope);
	}
	free(m->decls);
	for (size_t i = 0; i < m->ntargets; i++)
		free(m->targets[i]);
	free(m->targets);
	memset(m, 0, sizeof(*m));
}

/* ---- evaluation -------------------------------------------------------- */

struct eval {
	const struct aspnet_model *m;
	const struct aspnet_opts *o;
	struct cs_check *c;
	const struct aspnet_decl **sorted; /* valid decls by (scope, setting) */
	size_t nsorted;
	bool *invalid;                     /* per decl: ignored as invalid */
};

static bool
value_is(const char *v, const char *want)
{
	return v != NULL && strcasecmp(v, want) == 0;
}

static bool
value_valid(int setting, const char *v)
{
	const char *const *ok = settings[setting].valid;

	if (v == NULL || ok == NULL)
		return true;
	for (; *ok; ok++)
		if (strcasecmp(v, *ok) == 0)
			return true;
	return false;
}

static int
cmp_decl(const void *a, const void *b)
{
	const struct aspnet_decl *da = *(const struct aspnet_decl *const *)a;
	const struct aspnet_decl *db = *(const struct aspnet_decl *const *)b;
	int r = strcmp(da->scope, db->scope);

	if (r != 0)
		return r;
	if (da->setting != db->setting)
		return da->setting - db->setting;
	return da->seq < db->seq ? -1 : da->seq > db->seq;
}

/* The deeper of two declarations (NULL-safe). */
static const struct aspnet_decl *
deeper(const struct aspnet_decl *a, const struct aspnet_decl *b)
{
	if (a == NULL)
		return b;
	if (b == NULL)
		return a;
	if (a->order != b->order)
		return a->order > b->order ? a : b;
	return a->seq > b->seq ? a : b;
}

/* The deepest valid declaration of SETTING made exactly at SCOPE. */
static const struct aspnet_decl *
at_scope(const struct eval *e, const char *scope, size_t scopelen,
    int setting)
{
	size_t lo = 0, hi = e->nsorted;
	const struct aspnet_decl *best = NULL;

	/* lower bound of (scope, setting) */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct aspnet_decl *d = e->sorted[mid];
		int r = strncmp(d->scope, scope, scopelen);

		if (r == 0 && d->scope[scopelen] != '\0')
			r = 1;
		if (r == 0)
			r = d->setting - setting;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < e->nsorted; lo++) {
		const struct aspnet_decl *d = e->sorted[lo];

		if (strncmp(d->scope, scope, scopelen) != 0 ||
		    d->scope[scopelen] != '\0' || d->setting != setting)
			break;
		best = deeper(best, d);
	}
	return best;
}

/* The effective declaration of SETTING at LEAF: the deepest among the
 * declarations at LEAF and every scope above it. */
static const struct aspnet_decl *
effective(const struct eval *e, const char *leaf, int setting)
{
	const struct aspnet_decl *best = NULL;
	size_t len = strlen(leaf);

	for (;;) {
		best = deeper(best, at_scope(e, leaf, len, setting));
		if (len == 0)
			break;
		while (len > 0 && leaf[len - 1] != '/')
			len--;
		if (len > 0)
			len--; /* drop the '/' */
		else if (leaf[0] == '@' || leaf[0] == '#')
			len = 0; /* "@x" and "#N" sit directly below "" */
	}
	return best;
}

struct hit {
	int rule;
	const struct aspnet_decl *d;
	const struct aspnet_decl *worse; /* what made it worse, or NULL */
	enum cs_state state;
};

struct hits {
	struct hit *v;
	size_t n, cap;
};

static int
record(struct hits *h, int rule, const struct aspnet_decl *d,
    const struct aspnet_decl *worse, enum cs_state state)
{
	for (size_t i = 0; i < h->n; i++) {
		if (h->v[i].rule == rule && h->v[i].d == d) {
			if (cs_state_rank(state) > cs_state_rank(h->v[i].state)) {
				h->v[i].state = state;
				h->v[i].worse = worse;
			}
			return 0;
		}
	}
	if (h->n == h->cap) {
		size_t ncap = h->cap ? h->cap * 2 : 16;
		struct hit *nv = reallocarray(h->v, ncap, sizeof(*nv));

		if (nv == NULL)
			return CS_ERR_NOMEM;
		h->v = nv;
		h->cap = ncap;
	}
	h->v[h->n++] = (struct hit){ rule, d, worse, state };
	return 0;
}

static void
evaluate_leaf(const struct eval *e, const char *leaf, bool retail,
    struct hits *h)
{
	for (int r = 0; r < ASPNET_R_COUNT; r++) {
		const struct rule *ru = &rules[r];
		const struct aspnet_decl *d, *worse = NULL;
		enum cs_state st = ru->state;

		if (ru->setting < 0 || (e->o->ignore & (1u << r)))
			continue;
		if (retail && ru->retail_overrides)
			continue;
		d = effective(e, leaf, ru->setting);
		if (d == NULL || !value_is(d->value, ru->fires_on))
			continue;
		for (int w = 0; w < 2; w++) {
			const struct aspnet_decl *x;

			if (ru->worse[w] < 0)
				continue;
			x = effective(e, leaf, ru->worse[w]);
			if (x != NULL && value_is(x->value, ru->worse_on[w])) {
				st = ru->worse_state;
				worse = x;
				break;
			}
		}
		if (record(h, r, d, worse, st) != 0)
			e->c->nomem = 1;
	}
}

static int
cmp_hit(const void *a, const void *b)
{
	const struct hit *ha = a, *hb = b;

	if (ha->d->seq != hb->d->seq)
		return ha->d->seq < hb->d->seq ? -1 : 1;
	return ha->rule - hb->rule;
}

/* " (location \"Tools\")" or "" */
static void
location_suffix(const struct aspnet_decl *d, char *buf, size_t len)
{
	if (d->location != NULL && !location_is_root(d->location))
		snprintf(buf, len, " (location \"%s\")", d->location);
	else
		buf[0] = '\0';
}

static void
report_hit(struct cs_check *c, const struct hit *h)
{
	const struct aspnet_decl *d = h->d;
	char loc[256], wloc[256];

	location_suffix(d, loc, sizeof(loc));
	if (h->worse != NULL) {
		location_suffix(h->worse, wloc, sizeof(wloc));
		cs_check_add(c, h->state, rules[h->rule].name, d->file, d->line,
		    "%s=%s in %s:%ld%s, with %s=%s in %s:%ld%s",
		    settings[d->setting].label, d->value, d->file, d->line, loc,
		    settings[h->worse->setting].label, h->worse->value,
		    h->worse->file, h->worse->line, wloc);
		return;
	}
	cs_check_add(c, h->state, rules[h->rule].name, d->file, d->line,
	    "%s=%s in %s:%ld%s", settings[d->setting].label, d->value,
	    d->file, d->line, loc);
}

/* Finds declarations ASP.NET would reject and marks them to be ignored. */
static void
check_values(struct eval *e)
{
	const struct aspnet_model *m = e->m;
	bool report = !(e->o->ignore & (1u << ASPNET_R_INVALID_VALUE));

	for (size_t i = 0; i < m->ndecls; i++) {
		const struct aspnet_decl *d = &m->decls[i];
		char loc[256];

		location_suffix(d, loc, sizeof(loc));
		if (d->setting == S_RETAIL && (d->level != ASPNET_MACHINE ||
		    !location_is_root(d->location))) {
			e->invalid[i] = true;
			if (report)
				cs_check_add(e->c, CS_WARNING, "invalid-value",
				    d->file, d->line, "deployment retail in "
				    "%s:%ld%s: only allowed at the top of "
				    "machine.config, ASP.NET refuses it here",
				    d->file, d->line, loc);
			continue;
		}
		if (value_valid(d->setting, d->value))
			continue;
		e->invalid[i] = true;
		if (report)
			cs_check_add(e->c, CS_WARNING, "invalid-value", d->file,
			    d->line, "%s=\"%s\" in %s:%ld%s is not a valid "
			    "value: ASP.NET refuses this configuration",
			    settings[d->setting].label, d->value, d->file,
			    d->line, loc);
	}
}

/* Effective deployment retail of machine.config, or NULL. */
static const struct aspnet_decl *
retail_decl(const struct eval *e)
{
	const struct aspnet_decl *best = NULL;

	for (size_t i = 0; i < e->m->ndecls; i++) {
		const struct aspnet_decl *d = &e->m->decls[i];

		if (d->setting == S_RETAIL && !e->invalid[i])
			best = deeper(best, d);
	}
	return best;
}

/* The leaves: every place whose effective values are judged. */
static int
collect_leaves(const struct eval *e, const char ***out, size_t *nout)
{
	const struct aspnet_model *m = e->m;
	size_t cap = m->ntargets + m->ndecls + 1, n = 0;
	const char **v = calloc(cap, sizeof(*v));

	if (v == NULL)
		return CS_ERR_NOMEM;
	/* without web.config files the machine level is judged by itself;
	 * with them, it is judged through them (their parents) */
	if (m->ntargets == 0)
		v[n++] = "";
	for (size_t i = 0; i < m->ntargets; i++)
		v[n++] = m->targets[i];
	for (size_t i = 0; i < m->ndecls; i++)
		if (m->decls[i].scope[0] != '\0')
			v[n++] = m->decls[i].scope;
	*out = v;
	*nout = n;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void
aspnet_evaluate(const struct aspnet_model *m, const struct aspnet_opts *o,
    struct cs_check *c)
{
	struct eval e = { m, o, c, NULL, 0, NULL };
	struct hits h = { 0 };
	const struct aspnet_decl *retail;
	const char **leaves = NULL;
	size_t nleaves = 0;
	bool retail_on;

	e.invalid = calloc(m->ndecls + 1, sizeof(*e.invalid));
	e.sorted = calloc(m->ndecls + 1, sizeof(*e.sorted));
	if (e.invalid == NULL || e.sorted == NULL)
		goto nomem;
	check_values(&e);
	for (size_t i = 0; i < m->ndecls; i++)
		if (!e.invalid[i])
			e.sorted[e.nsorted++] = &m->decls[i];
	qsort(e.sorted, e.nsorted, sizeof(*e.sorted), cmp_decl);

	retail = retail_decl(&e);
	retail_on = retail != NULL && value_is(retail->value, "true");
	if (retail_on)
		cs_check_add(c, CS_OK, NULL, retail->file, retail->line,
		    "retail mode is on (%s:%ld): debug, trace and customErrors "
		    "are forced off for every application", retail->file,
		    retail->line);
	else if (o->have_machine && o->require_retail &&
	    !(o->ignore & (1u << ASPNET_R_RETAIL)))
		cs_check_add(c, CS_WARNING, "retail", retail ? retail->file :
		    NULL, retail ? retail->line : 0, "retail mode is off: "
		    "machine.config has no <deployment retail=\"true\"/>%s%s",
		    retail ? ", see " : "", retail ? retail->file : "");
	else if (o->have_machine)
		cs_check_add(c, CS_OK, NULL, NULL, 0, "retail mode is off "
		    "(--require-retail makes this a warning)");

	if (collect_leaves(&e, &leaves, &nleaves) != 0)
		goto nomem;
	qsort(leaves, nleaves, sizeof(*leaves), cmp_str);
	for (size_t i = 0; i < nleaves; i++) {
		if (i > 0 && strcmp(leaves[i], leaves[i - 1]) == 0)
			continue;
		evaluate_leaf(&e, leaves[i], retail_on, &h);
	}
	if (h.n > 0)
		qsort(h.v, h.n, sizeof(*h.v), cmp_hit);
	for (size_t i = 0; i < h.n; i++)
		report_hit(c, &h.v[i]);
	goto out;
nomem:
	c->nomem = 1;
out:
	free(h.v);
	free(leaves);
	free(e.sorted);
	free(e.invalid);
}
