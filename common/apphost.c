#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "apphost.h"
#include "xmlload.h"

#define POOLS_SECTION "system.applicationHost/applicationPools"
#define SITES_SECTION "system.applicationHost/sites"
#define WINAUTH_SECTION \
	"system.webServer/security/authentication/windowsAuthentication"
#define DEFAULT_APP_POOL "DefaultAppPool"

/* windowsAuthentication attributes the model keeps */
enum wa_attr {
	WA_ENABLED,
	WA_KERNEL,
	WA_CREDENTIALS,
	WA_TOKEN,
	WA_COUNT,
};

static const char *const wa_names[WA_COUNT] = {
	[WA_ENABLED] = "enabled",
	[WA_KERNEL] = "useKernelMode",
	[WA_CREDENTIALS] = "useAppPoolCredentials",
	[WA_TOKEN] = "extendedProtection tokenChecking",
};

static const char *const booleans[] = { "true", "false", NULL };
static const char *const token_values[] = { "None", "Allow", "Require",
	NULL };
static const char *const wa_accepted[WA_COUNT] = {
	[WA_ENABLED] = "true or false",
	[WA_KERNEL] = "true or false",
	[WA_CREDENTIALS] = "true or false",
	[WA_TOKEN] = "None, Allow or Require",
};

/* One windowsAuthentication attribute set somewhere. */
struct cs_apphost_decl {
	int attr;
	const char *value;        /* canonical spelling, static */
	const char *file;         /* interned */
	long line;
	char *location;           /* path= as written, NULL outside */
	char *site;               /* site part of the location, NULL: global */
	char *rest;               /* path below the site ("" for its root) */
	size_t depth;             /* 0 global, 1 site, 2 site/app, ... */
	bool inherit;             /* inheritInChildApplications */
	const struct cs_apphost_app *app; /* application of the location */
	size_t seq;
};

/* ---- paths --------------------------------------------------------------
 * IIS paths compare case-insensitively, segment by segment; empty segments
 * and "." do not count, '\' separates as '/' does.
 */

/* The next segment of *P: sets *LEN and returns its start, or NULL. */
static const char *
next_segment(const char **p, size_t *len)
{
	const char *s = *p;

	for (;;) {
		while (*s == '/' || *s == '\\')
			s++;
		if (*s == '\0') {
			*p = s;
			return NULL;
		}
		*len = strcspn(s, "/\\");
		*p = s + *len;
		if (!(*len == 1 && s[0] == '.'))
			return s;
		s = *p;
	}
}

static size_t
path_depth(const char *p)
{
	size_t n = 0, len;

	while (next_segment(&p, &len) != NULL)
		n++;
	return n;
}

/* Number of segments of PREFIX when it is PATH or a parent of it, else -1. */
static long
path_prefix(const char *prefix, const char *path)
{
	const char *a, *b;
	size_t la, lb;
	long n = 0;

	for (;;) {
		if ((a = next_segment(&prefix, &la)) == NULL)
			return n;
		if ((b = next_segment(&path, &lb)) == NULL || la != lb ||
		    strncasecmp(a, b, la) != 0)
			return -1;
		n++;
	}
}

static bool
path_equal(const char *a, const char *b)
{
	return path_prefix(a, b) >= 0 && path_depth(a) == path_depth(b);
}

/* "/seg/seg" (case kept) for P, "/" for the root; NULL out of memory. */
static char *
path_clean(const char *p)
{
	char *s = malloc(strlen(p) + 2), *o = s;
	const char *seg;
	size_t len;

	if (s == NULL)
		return NULL;
	while ((seg = next_segment(&p, &len)) != NULL) {
		*o++ = '/';
		memcpy(o, seg, len);
		o += len;
	}
	if (o == s)
		*o++ = '/';
	*o = '\0';
	return s;
}

/* ---- reading ----------------------------------------------------------- */

struct raw_pool {
	const char *name;
	const char *file;
	long line;
	const char *location;
	xmlNodePtr pm;            /* its processModel, or NULL */
};

struct raw_app {
	const char *path;
	const char *pool;         /* NULL: not set */
	const char *file;
	long line;
	const char *location;
};

struct raw_site {
	const char *name;
	const char *id;
	const char *file;
	long line;
	const char *defpool;      /* the site's applicationDefaults */
	long defpool_line;
	const char *location;
	struct raw_app *apps;
	size_t napps, cap;
};

struct reader {
	struct cs_apphost *h;
	struct cs_error *err;
	struct raw_pool *pools;
	size_t npools, pools_cap;
	struct raw_site *sites;
	size_t nsites, sites_cap;
	xmlNodePtr pool_defaults; /* applicationPoolDefaults/processModel */
	const char *pool_defaults_file;
	const char *pool_defaults_location;
	const char *app_defpool;  /* sites/applicationDefaults */
	const char *app_defpool_file;
	long app_defpool_line;
	const char *app_defpool_location;
};

static int
nomem(struct cs_error *err)
{
	return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
}

static int
grow(void **arr, size_t *cap, size_t n, size_t size)
{
	void *a;
	size_t ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	if ((a = reallocarray(*arr, ncap, size)) == NULL)
		return -1;
	*arr = a;
	*cap = ncap;
	return 0;
}

/* A copy of FILE (a file name or a location path) owned by H, shared by
 * every user of the same string, for the lifetime of H. */
static const char *
intern(struct cs_apphost *h, const char *file)
{
	char **nf, *s;

	for (size_t i = 0; i < h->nstrings; i++)
		if (strcmp(h->strings[i], file) == 0)
			return h->strings[i];
	if ((s = strdup(file)) == NULL)
		return NULL;
	nf = reallocarray(h->strings, h->nstrings + 1, sizeof(*nf));
	if (nf == NULL) {
		free(s);
		return NULL;
	}
	h->strings = nf;
	h->strings[h->nstrings++] = s;
	return s;
}

/* True when a <location> path means the whole server ("", "."). */
static bool
location_is_global(const char *loc)
{
	return loc == NULL || path_depth(loc) == 0;
}

/* The system.applicationHost sections are valid only at the top level. */
static int
check_global(const struct cs_netcfg_section *s, const char *what,
    struct cs_error *err)
{
	if (location_is_global(s->location))
		return 0;
	return cs_error_set(err, CS_ERR_FORMAT, "%s:%ld: <%s> inside <location "
	    "path=\"%s\">: IIS accepts it only at the top level", s->file,
	    cs_xml_line(s->location_node), what, s->location);
}

static int
on_pools(const struct cs_netcfg_section *s, void *vctx)
{
	struct reader *r = vctx;
	const char *file = intern(r->h, s->file);
	int rc;

	if (file == NULL)
		return nomem(r->err);
	if ((rc = check_global(s, "applicationPools", r->err)) != 0)
		return rc;
	for (xmlNodePtr c = cs_xml_child(s->node, NULL); c;
	    c = cs_xml_next(c, NULL)) {
		const char *el = cs_xml_name(c), *name = cs_xml_attr(c, "name");

		if (strcmp(el, "applicationPoolDefaults") == 0) {
			r->pool_defaults = cs_xml_child(c, "processModel");
			r->pool_defaults_file = file;
			r->pool_defaults_location = s->location;
		} else if (strcmp(el, "clear") == 0) {
			r->npools = 0;
		} else if (strcmp(el, "remove") == 0 && name != NULL) {
			for (size_t i = 0; i < r->npools; i++) {
				if (strcasecmp(r->pools[i].name, name) != 0)
					continue;
				memmove(&r->pools[i], &r->pools[i + 1],
				    (r->npools - i - 1) * sizeof(*r->pools));
				r->npools--;
				break;
			}
		} else if (strcmp(el, "add") == 0) {
			if (name == NULL || *name == '\0')
				return cs_error_set(r->err, CS_ERR_FORMAT,
				    "%s:%ld: application pool without a name",
				    file, cs_xml_line(c));
			for (size_t i = 0; i < r->npools; i++) {
				const struct raw_pool *o = &r->pools[i];

				if (strcasecmp(o->name, name) != 0)
					continue;
				return cs_error_set(r->err, CS_ERR_FORMAT,
				    "%s:%ld: application pool '%s' defined "
				    "twice (first at %s:%ld)", file,
				    cs_xml_line(c), name, o->file, o->line);
			}
			if (grow((void **)&r->pools, &r->pools_cap, r->npools,
			    sizeof(*r->pools)) != 0)
				return nomem(r->err);
			r->pools[r->npools++] = (struct raw_pool){ name, file,
			    cs_xml_line(c), s->location,
			    cs_xml_child(c, "processModel") };
		}
	}
	return 0;
}

static struct raw_site *
find_raw_site(struct reader *r, const char *name)
{
	for (size_t i = 0; i < r->nsites; i++)
		if (strcasecmp(r->sites[i].name, name) == 0)
			return &r->sites[i];
	return NULL;
}

static int
read_site(struct reader *r, xmlNodePtr node, const char *file,
    const char *location)
{
	const char *name = cs_xml_attr(node, "name");
	struct raw_site *rs;

	if (name == NULL || *name == '\0')
		return cs_error_set(r->err, CS_ERR_FORMAT,
		    "%s:%ld: site without a name", file, cs_xml_line(node));
	if ((rs = find_raw_site(r, name)) != NULL)
		return cs_error_set(r->err, CS_ERR_FORMAT, "%s:%ld: site '%s' "
		    "defined twice (first at %s:%ld)", file, cs_xml_line(node),
		    name, rs->file, rs->line);
	if (grow((void **)&r->sites, &r->sites_cap, r->nsites,
	    sizeof(*r->sites)) != 0)
		return nomem(r->err);
	rs = &r->sites[r->nsites++];
	*rs = (struct raw_site){ .name = name, .id = cs_xml_attr(node, "id"),
	    .file = file, .line = cs_xml_line(node), .location = location };

	for (xmlNodePtr c = cs_xml_child(node, NULL); c;
	    c = cs_xml_next(c, NULL)) {
		const char *el = cs_xml_name(c), *path = cs_xml_attr(c, "path");

		if (strcmp(el, "applicationDefaults") == 0) {
			if (cs_xml_attr(c, "applicationPool") != NULL) {
				rs->defpool = cs_xml_attr(c, "applicationPool");
				rs->defpool_line = cs_xml_line(c);
			}
		} else if (strcmp(el, "clear") == 0) {
			rs->napps = 0;
		} else if (strcmp(el, "remove") == 0 && path != NULL) {
			for (size_t i = 0; i < rs->napps; i++) {
				if (!path_equal(rs->apps[i].path, path))
					continue;
				memmove(&rs->apps[i], &rs->apps[i + 1],
				    (rs->napps - i - 1) * sizeof(*rs->apps));
				rs->napps--;
				break;
			}
		} else if (strcmp(el, "application") == 0) {
			if (path == NULL || *path == '\0')
				return cs_error_set(r->err, CS_ERR_FORMAT,
				    "%s:%ld: application of site '%s' without "
				    "a path", file, cs_xml_line(c), name);
			for (size_t i = 0; i < rs->napps; i++) {
				if (!path_equal(rs->apps[i].path, path))
					continue;
				return cs_error_set(r->err, CS_ERR_FORMAT,
				    "%s:%ld: application '%s' of site '%s' "
				    "defined twice (first at line %ld)", file,
				    cs_xml_line(c), path, name,
				    rs->apps[i].line);
			}
			if (grow((void **)&rs->apps, &rs->cap, rs->napps,
			    sizeof(*rs->apps)) != 0)
				return nomem(r->err);
			rs->apps[rs->napps++] = (struct raw_app){ path,
			    cs_xml_attr(c, "applicationPool"), file,
			    cs_xml_line(c), location };
		}
	}
	return 0;
}

static int
on_sites(const struct cs_netcfg_section *s, void *vctx)
{
	struct reader *r = vctx;
	const char *file = intern(r->h, s->file);
	int rc;

	if (file == NULL)
		return nomem(r->err);
	if ((rc = check_global(s, "sites", r->err)) != 0)
		return rc;
	for (xmlNodePtr c = cs_xml_child(s->node, NULL); c;
	    c = cs_xml_next(c, NULL)) {
		const char *el = cs_xml_name(c), *name = cs_xml_attr(c, "name");

		if (strcmp(el, "site") == 0) {
			if ((rc = read_site(r, c, file, s->location)) != 0)
				return rc;
		} else if (strcmp(el, "applicationDefaults") == 0) {
			if (cs_xml_attr(c, "applicationPool") != NULL) {
				r->app_defpool = cs_xml_attr(c,
				    "applicationPool");
				r->app_defpool_file = file;
				r->app_defpool_line = cs_xml_line(c);
				r->app_defpool_location = s->location;
			}
		} else if (strcmp(el, "clear") == 0) {
			for (size_t i = 0; i < r->nsites; i++)
				free(r->sites[i].apps);
			r->nsites = 0;
		} else if (strcmp(el, "remove") == 0 && name != NULL) {
			struct raw_site *rs = find_raw_site(r, name);

			if (rs == NULL)
				continue;
			free(rs->apps);
			memmove(rs, rs + 1, (size_t)(r->sites + r->nsites -
			    rs - 1) * sizeof(*rs));
			r->nsites--;
		}
	}
	return 0;
}

/* The canonical spelling of V among VALID (any case), or NULL. */
static const char *
canonical(const char *v, const char *const *valid)
{
	for (; *valid; valid++)
		if (strcasecmp(v, *valid) == 0)
			return *valid;
	return NULL;
}

static int
add_decl(struct reader *r, const struct cs_netcfg_section *s,
    const char *file, xmlNodePtr node, int attr, const char *raw)
{
	struct cs_apphost *h = r->h;
	const char *const *valid = attr == WA_TOKEN ? token_values : booleans;
	const char *value = canonical(raw, valid);
	struct cs_apphost_decl d = { .attr = attr, .value = value,
		.file = file, .line = cs_xml_line(node), .seq = h->ndecls,
		.inherit = true };
	const char *inherit = s->location_node ?
	    cs_xml_attr(s->location_node, "inheritInChildApplications") : NULL;

	if (value == NULL)
		return cs_error_set(r->err, CS_ERR_FORMAT, "%s:%ld: "
		    "windowsAuthentication %s=\"%s\" is not a value IIS "
		    "accepts (%s)", file, d.line, wa_names[attr], raw,
		    wa_accepted[attr]);
	if (inherit != NULL && strcasecmp(inherit, "false") == 0)
		d.inherit = false;
	if (!location_is_global(s->location)) {
		const char *p = s->location, *slash;

		while (*p == '/' || *p == '\\')
			p++;
		slash = p + strcspn(p, "/\\");
		d.site = strndup(p, (size_t)(slash - p));
		d.rest = path_clean(slash);
		if (d.site == NULL || d.rest == NULL)
			goto fail;
		d.depth = 1 + path_depth(d.rest);
	}
	if (s->location != NULL && (d.location = strdup(s->location)) == NULL)
		goto fail;
	if (grow((void **)&h->decls, &h->decls_cap, h->ndecls,
	    sizeof(*h->decls)) != 0)
		goto fail;
	h->decls[h->ndecls++] = d;
	return 0;
fail:
	free(d.site);
	free(d.rest);
	free(d.location);
	return nomem(r->err);
}

static int
on_winauth(const struct cs_netcfg_section *s, void *vctx)
{
	struct reader *r = vctx;
	const char *file = intern(r->h, s->file);
	static const int attrs[] = { WA_ENABLED, WA_KERNEL, WA_CREDENTIALS };
	xmlNodePtr ep;
	const char *v;
	int rc;

	if (file == NULL)
		return nomem(r->err);
	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		if ((v = cs_xml_attr(s->node, wa_names[attrs[i]])) != NULL &&
		    (rc = add_decl(r, s, file, s->node, attrs[i], v)) != 0)
			return rc;
	}
	for (ep = cs_xml_child(s->node, "extendedProtection"); ep;
	    ep = cs_xml_next(ep, "extendedProtection")) {
		if ((v = cs_xml_attr(ep, "tokenChecking")) != NULL &&
		    (rc = add_decl(r, s, file, ep, WA_TOKEN, v)) != 0)
			return rc;
	}
	return 0;
}

/* ---- building the model ------------------------------------------------ */

static struct cs_apphost_src
src_of(enum cs_apphost_origin o, const char *file, long line,
    const char *location)
{
	return (struct cs_apphost_src){ o, o == CS_APPHOST_DEFAULT ? NULL :
	    file, o == CS_APPHOST_DEFAULT ? 0 : line, location };
}

/* A location path owned by the document, copied into H. */
static const char *
keep(struct cs_apphost *h, const char *s, int *oom)
{
	const char *k;

	if (s == NULL)
		return NULL;
	if ((k = intern(h, s)) == NULL)
		*oom = 1;
	return k;
}

static enum cs_apphost_password
password_kind(const char *pw)
{
	size_t n;

	if (pw == NULL || *pw == '\0')
		return CS_APPHOST_PW_NONE;
	n = strlen(pw);
	if (n > 10 && strncmp(pw, "[enc:", 5) == 0 &&
	    strcmp(pw + n - 5, ":enc]") == 0)
		return CS_APPHOST_PW_ENCRYPTED;
	return CS_APPHOST_PW_CLEAR;
}

static int
build_pools(struct reader *r)
{
	struct cs_apphost *h = r->h;
	xmlNodePtr dpm = r->pool_defaults;
	const char *d_id = cs_xml_attr(dpm, "identityType");
	const char *d_user = cs_xml_attr(dpm, "userName");
	const char *d_pw = cs_xml_attr(dpm, "password");
	enum cs_apphost_identity d_identity = CS_APPHOST_APPPOOL_IDENTITY;
	int oom = 0;

	if (d_id != NULL && cs_apphost_identity_parse(d_id, &d_identity) != 0)
		return cs_error_set(r->err, CS_ERR_FORMAT, "%s:%ld: "
		    "applicationPoolDefaults: identityType=\"%s\" is not one "
		    "IIS accepts", r->pool_defaults_file, cs_xml_line(dpm),
		    d_id);
	if (r->npools > 0 &&
	    (h->pools = calloc(r->npools, sizeof(*h->pools))) == NULL)
		return nomem(r->err);
	for (size_t i = 0; i < r->npools; i++) {
		const struct raw_pool *rp = &r->pools[i];
		struct cs_apphost_pool *p = &h->pools[h->npools++];
		const char *id = cs_xml_attr(rp->pm, "identityType");
		const char *user = cs_xml_attr(rp->pm, "userName");
		const char *pw = cs_xml_attr(rp->pm, "password");
		const char *loc = keep(h, rp->location, &oom);
		const char *dloc = keep(h, r->pool_defaults_location, &oom);
		long pml = cs_xml_line(rp->pm);

		p->file = rp->file;
		p->line = rp->line;
		if ((p->name = strdup(rp->name)) == NULL)
			oom = 1;
		if (id != NULL) {
			if (cs_apphost_identity_parse(id, &p->identity) != 0)
				return cs_error_set(r->err, CS_ERR_FORMAT,
				    "%s:%ld: application pool '%s': "
				    "identityType=\"%s\" is not one IIS "
				    "accepts", rp->file, pml, rp->name, id);
			p->identity_src = src_of(CS_APPHOST_SET, rp->file, pml,
			    loc);
		} else {
			p->identity = d_identity;
			p->identity_src = src_of(d_id ? CS_APPHOST_INHERITED :
			    CS_APPHOST_DEFAULT, r->pool_defaults_file,
			    cs_xml_line(dpm), dloc);
		}
		if (user != NULL)
			p->user_src = src_of(CS_APPHOST_SET, rp->file, pml,
			    loc);
		else
			p->user_src = src_of(d_user ? CS_APPHOST_INHERITED :
			    CS_APPHOST_DEFAULT, r->pool_defaults_file,
			    cs_xml_line(dpm), dloc);
		if (user == NULL)
			user = d_user ? d_user : "";
		if ((p->user_name = strdup(user)) == NULL)
			oom = 1;
		/* the value itself is looked at here and nowhere else */
		p->password = password_kind(pw != NULL ? pw : d_pw);
	}
	return oom ? nomem(r->err) : 0;
}

static int
build_sites(struct reader *r)
{
	struct cs_apphost *h = r->h;
	int oom = 0;

	if (r->nsites > 0 &&
	    (h->sites = calloc(r->nsites, sizeof(*h->sites))) == NULL)
		return nomem(r->err);
	for (size_t i = 0; i < r->nsites; i++) {
		const struct raw_site *rs = &r->sites[i];
		struct cs_apphost_site *s = &h->sites[h->nsites++];
		const char *loc = keep(h, rs->location, &oom);
		const char *gloc = keep(h, r->app_defpool_location, &oom);
		char *end;

		s->file = rs->file;
		s->line = rs->line;
		s->id = -1;
		if (rs->id != NULL && *rs->id != '\0') {
			errno = 0;
			s->id = strtol(rs->id, &end, 10);
			if (*end != '\0' || errno != 0 || s->id < 0)
				s->id = -1;
		}
		if ((s->name = strdup(rs->name)) == NULL)
			oom = 1;
		if (rs->napps > 0 &&
		    (s->apps = calloc(rs->napps, sizeof(*s->apps))) == NULL)
			return nomem(r->err);
		for (size_t j = 0; j < rs->napps; j++) {
			const struct raw_app *ra = &rs->apps[j];
			struct cs_apphost_app *a = &s->apps[s->napps++];
			const char *pool;

			a->site = i;
			a->file = ra->file;
			a->line = ra->line;
			if (ra->pool != NULL) {
				pool = ra->pool;
				a->pool_src = src_of(CS_APPHOST_SET, ra->file,
				    ra->line, loc);
			} else if (rs->defpool != NULL) {
				pool = rs->defpool;
				a->pool_src = src_of(CS_APPHOST_INHERITED,
				    rs->file, rs->defpool_line, loc);
			} else if (r->app_defpool != NULL) {
				pool = r->app_defpool;
				a->pool_src = src_of(CS_APPHOST_INHERITED,
				    r->app_defpool_file, r->app_defpool_line,
				    gloc);
			} else {
				pool = DEFAULT_APP_POOL;
				a->pool_src = src_of(CS_APPHOST_DEFAULT, NULL,
				    0, NULL);
			}
			if ((a->path = strdup(ra->path)) == NULL ||
			    (a->pool = strdup(pool)) == NULL)
				oom = 1;
		}
	}
	return oom ? nomem(r->err) : 0;
}

static int
cmp_path(const void *a, const void *b)
{
	return strcasecmp(*(char *const *)a, *(char *const *)b);
}

/* A site's name and index, sorted by name (case-insensitive), then index. */
struct site_ref {
	const char *name;
	size_t i;
};

static int
cmp_site_ref(const void *a, const void *b)
{
	const struct site_ref *x = a, *y = b;
	int c = strcasecmp(x->name, y->name);

	return c != 0 ? c : (x->i > y->i) - (x->i < y->i);
}

/* The first entry of the N sorted REFS named NAME, or N. */
static size_t
site_ref_find(const struct site_ref *refs, size_t n, const char *name)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcasecmp(refs[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcasecmp(refs[lo].name, name) == 0 ? lo : n;
}

/* Site I's auth paths: "/", its applications' paths and the paths of the
 * NB location declarations B[] (indexes into h->decls) that name it, sorted
 * and without duplicates. */
static int
site_auth_paths(struct cs_apphost *h, size_t i, const size_t *b, size_t nb,
    struct cs_error *err)
{
	struct cs_apphost_site *s = &h->sites[i];
	size_t n = 0, out = 0;
	char **v = calloc(1 + s->napps + nb, sizeof(*v));

	if (v == NULL)
		return nomem(err);
	s->auth_paths = v;
	if ((v[n++] = path_clean("/")) == NULL)
		return nomem(err);
	for (size_t j = 0; j < s->napps; j++)
		if ((v[n++] = path_clean(s->apps[j].path)) == NULL)
			return nomem(err);
	for (size_t j = 0; j < nb; j++)
		if ((v[n++] = path_clean(h->decls[b[j]].rest)) == NULL)
			return nomem(err);
	qsort(v, n, sizeof(*v), cmp_path);
	for (size_t j = 0; j < n; j++) {
		if (out > 0 && strcasecmp(v[out - 1], v[j]) == 0) {
			free(v[j]);
			continue;
		}
		v[out++] = v[j];
	}
	s->nauth_paths = out;
	return 0;
}

/*
 * After the sites exist: each location's application, each site's paths.
 * Declarations are matched to sites through a sorted index and gathered per
 * site, so hundreds of sites with a <location> each cost n log n, not n².
 */
static int
build_auth_paths(struct cs_apphost *h, struct cs_error *err)
{
	size_t ns = h->nsites, nd = h->ndecls, nlinks = 0;
	struct site_ref *refs = calloc(ns + 1, sizeof(*refs));
	size_t *start = calloc(ns + 1, sizeof(*start));
	size_t *fill = calloc(ns + 1, sizeof(*fill));
	size_t *bucket = NULL;
	int rc = 0;

	if (refs == NULL || start == NULL || fill == NULL) {
		rc = nomem(err);
		goto out;
	}
	for (size_t i = 0; i < ns; i++)
		refs[i] = (struct site_ref){ h->sites[i].name, i };
	qsort(refs, ns, sizeof(*refs), cmp_site_ref);
	/* each declaration's application (in the first site of its name),
	 * and how many declarations each site gets (all sites of the name) */
	for (size_t j = 0; j < nd; j++) {
		struct cs_apphost_decl *d = &h->decls[j];
		size_t k;

		if (d->site == NULL ||
		    (k = site_ref_find(refs, ns, d->site)) == ns)
			continue;
		d->app = cs_apphost_app_for(h, &h->sites[refs[k].i], d->rest);
		for (; k < ns && strcasecmp(refs[k].name, d->site) == 0; k++) {
			start[refs[k].i + 1]++;
			nlinks++;
		}
	}
	for (size_t i = 0; i < ns; i++)
		start[i + 1] += start[i];
	if ((bucket = calloc(nlinks + 1, sizeof(*bucket))) == NULL) {
		rc = nomem(err);
		goto out;
	}
	for (size_t j = 0; j < nd; j++) {
		const char *site = h->decls[j].site;
		size_t k;

		if (site == NULL || (k = site_ref_find(refs, ns, site)) == ns)
			continue;
		for (; k < ns && strcasecmp(refs[k].name, site) == 0; k++) {
			size_t i = refs[k].i;

			bucket[start[i] + fill[i]++] = j;
		}
	}
	for (size_t i = 0; i < ns && rc == 0; i++)
		rc = site_auth_paths(h, i, bucket + start[i], start[i + 1] -
		    start[i], err);
out:
	free(refs);
	free(start);
	free(fill);
	free(bucket);
	return rc;
}

static void
reader_free(struct reader *r)
{
	for (size_t i = 0; i < r->nsites; i++)
		free(r->sites[i].apps);
	free(r->sites);
	free(r->pools);
}

int
cs_apphost_read(struct cs_netcfg *cfg, struct cs_apphost **out,
    struct cs_error *err)
{
	struct reader r = { .err = err };
	int rc;

	*out = NULL;
	if ((r.h = calloc(1, sizeof(*r.h))) == NULL ||
	    (r.h->path = strdup(cs_netcfg_path(cfg))) == NULL) {
		free(r.h);
		return nomem(err);
	}
	if ((rc = cs_netcfg_foreach(cfg, POOLS_SECTION, on_pools, &r,
	    err)) != 0 ||
	    (rc = cs_netcfg_foreach(cfg, SITES_SECTION, on_sites, &r,
	    err)) != 0 ||
	    (rc = cs_netcfg_foreach(cfg, WINAUTH_SECTION, on_winauth, &r,
	    err)) != 0 ||
	    (rc = build_pools(&r)) != 0 ||
	    (rc = build_sites(&r)) != 0 ||
	    (rc = build_auth_paths(r.h, err)) != 0) {
		reader_free(&r);
		cs_apphost_free(r.h);
		return rc;
	}
	reader_free(&r);
	*out = r.h; /* ownership passes to the caller */
	return 0;
}

int
cs_apphost_load(const char *path, size_t max, struct cs_apphost **out,
    struct cs_error *err)
{
	struct cs_netcfg *cfg = NULL;
	int rc;

	*out = NULL;
	if ((rc = cs_netcfg_load(path, max, &cfg, err)) != 0)
		return rc;
	rc = cs_apphost_read(cfg, out, err);
	cs_netcfg_free(cfg);
	return rc;
}

void
cs_apphost_free(struct cs_apphost *h)
{
	if (h == NULL)
		return;
	for (size_t i = 0; i < h->npools; i++) {
		free(h->pools[i].name);
		free(h->pools[i].user_name);
	}
	free(h->pools);
	for (size_t i = 0; i < h->nsites; i++) {
		struct cs_apphost_site *s = &h->sites[i];

		for (size_t j = 0; j < s->napps; j++) {
			free(s->apps[j].path);
			free(s->apps[j].pool);
		}
		free(s->apps);
		for (size_t j = 0; j < s->nauth_paths; j++)
			free(s->auth_paths[j]);
		free(s->auth_paths);
		free(s->name);
	}
	free(h->sites);
	for (size_t i = 0; i < h->ndecls; i++) {
		free(h->decls[i].location);
		free(h->decls[i].site);
		free(h->decls[i].rest);
	}
	free(h->decls);
	for (size_t i = 0; i < h->nstrings; i++)
		free(h->strings[i]);
	free(h->strings);
	free(h->path);
	free(h);
}

/* ---- queries ----------------------------------------------------------- */

const struct cs_apphost_pool *
cs_apphost_pool(const struct cs_apphost *h, const char *name)
{
	for (size_t i = 0; i < h->npools; i++)
		if (strcasecmp(h->pools[i].name, name) == 0)
			return &h->pools[i];
	return NULL;
}

const struct cs_apphost_site *
cs_apphost_site(const struct cs_apphost *h, const char *name)
{
	for (size_t i = 0; i < h->nsites; i++)
		if (strcasecmp(h->sites[i].name, name) == 0)
			return &h->sites[i];
	return NULL;
}

const struct cs_apphost_app *
cs_apphost_app_for(const struct cs_apphost *h,
    const struct cs_apphost_site *s, const char *path)
{
	const struct cs_apphost_app *best = NULL;
	long best_depth = -1, d;

	(void)h;
	for (size_t i = 0; i < s->napps; i++) {
		if ((d = path_prefix(s->apps[i].path, path)) > best_depth) {
			best = &s->apps[i];
			best_depth = d;
		}
	}
	return best;
}

/* True when D applies at PATH of SITE, whose application is APP. */
static bool
decl_applies(const struct cs_apphost_decl *d, const char *site,
    const char *path, const struct cs_apphost_app *app)
{
	if (d->site == NULL)
		return true;
	if (strcasecmp(d->site, site) != 0 || path_prefix(d->rest, path) < 0)
		return false;
	/* inheritInChildApplications="false": not below its application */
	return d->inherit || d->app == app;
}

void
cs_apphost_winauth(const struct cs_apphost *h, const char *site,
    const char *path, struct cs_apphost_winauth *out)
{
	const struct cs_apphost_decl *best[WA_COUNT] = { NULL };
	const struct cs_apphost_site *s = cs_apphost_site(h, site);
	const struct cs_apphost_app *app = s ? cs_apphost_app_for(h, s, path) :
	    NULL;
	size_t depth = 1 + path_depth(path);
	struct cs_apphost_src *srcs[WA_COUNT] = { &out->enabled_src,
		&out->kernel_src, &out->credentials_src, &out->token_src };

	for (size_t i = 0; i < h->ndecls; i++) {
		const struct cs_apphost_decl *d = &h->decls[i];
		const struct cs_apphost_decl *b = best[d->attr];

		if (!decl_applies(d, site, path, app))
			continue;
		if (b == NULL || d->depth > b->depth ||
		    (d->depth == b->depth && d->seq > b->seq))
			best[d->attr] = d;
	}
	out->enabled = false;
	out->use_kernel_mode = true;
	out->use_app_pool_credentials = false;
	out->token_checking = token_values[0];
	for (int a = 0; a < WA_COUNT; a++) {
		const struct cs_apphost_decl *d = best[a];

		if (d == NULL) {
			*srcs[a] = src_of(CS_APPHOST_DEFAULT, NULL, 0, NULL);
			continue;
		}
		*srcs[a] = src_of(d->depth == depth ? CS_APPHOST_SET :
		    CS_APPHOST_INHERITED, d->file, d->line, d->location);
		switch (a) {
		case WA_ENABLED:
			out->enabled = strcmp(d->value, "true") == 0;
			break;
		case WA_KERNEL:
			out->use_kernel_mode = strcmp(d->value, "true") == 0;
			break;
		case WA_CREDENTIALS:
			out->use_app_pool_credentials =
			    strcmp(d->value, "true") == 0;
			break;
		case WA_TOKEN:
			out->token_checking = d->value;
			break;
		}
	}
}

static const char *const identity_names[] = {
	[CS_APPHOST_LOCAL_SYSTEM] = "LocalSystem",
	[CS_APPHOST_LOCAL_SERVICE] = "LocalService",
	[CS_APPHOST_NETWORK_SERVICE] = "NetworkService",
	[CS_APPHOST_SPECIFIC_USER] = "SpecificUser",
	[CS_APPHOST_APPPOOL_IDENTITY] = "ApplicationPoolIdentity",
};

const char *
cs_apphost_identity_name(enum cs_apphost_identity id)
{
	if ((unsigned)id < sizeof(identity_names) / sizeof(identity_names[0]))
		return identity_names[id];
	return "?";
}

int
cs_apphost_identity_parse(const char *s, enum cs_apphost_identity *out)
{
	size_t n = sizeof(identity_names) / sizeof(identity_names[0]);

	if (s == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (strcasecmp(s, identity_names[i]) == 0) {
			*out = (enum cs_apphost_identity)i;
			return 0;
		}
	}
	/* IIS also takes the schema's numbers */
	if (s[0] >= '0' && s[0] < (char)('0' + n) && s[1] == '\0') {
		*out = (enum cs_apphost_identity)(s[0] - '0');
		return 0;
	}
	return -1;
}

char *
cs_apphost_pool_account(const struct cs_apphost_pool *p)
{
	char *s = NULL;

	switch (p->identity) {
	case CS_APPHOST_LOCAL_SYSTEM:
		return strdup("NT AUTHORITY\\SYSTEM");
	case CS_APPHOST_LOCAL_SERVICE:
		return strdup("NT AUTHORITY\\LOCAL SERVICE");
	case CS_APPHOST_NETWORK_SERVICE:
		return strdup("NT AUTHORITY\\NETWORK SERVICE");
	case CS_APPHOST_SPECIFIC_USER:
		return strdup(p->user_name);
	case CS_APPHOST_APPPOOL_IDENTITY:
		if (asprintf(&s, "IIS APPPOOL\\%s", p->name) < 0)
			return NULL;
		return s;
	}
	return NULL;
}
