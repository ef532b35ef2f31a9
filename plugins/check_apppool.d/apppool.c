#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "apppool.h"
#include "buf.h"
#include "cli.h"
#include "text.h"

/* ---- the rules --------------------------------------------------------- */

static const struct rule {
	const char *name;
	enum cs_state state;
} rules[APPPOOL_R_COUNT] = {
	[APPPOOL_R_BUILTIN_IDENTITY] = { "builtin-identity", CS_WARNING },
	[APPPOOL_R_NOT_DOMAIN_ACCOUNT] = { "not-domain-account", CS_WARNING },
	[APPPOOL_R_SHARED_IDENTITY] = { "shared-identity", CS_WARNING },
	[APPPOOL_R_FOREIGN_APP] = { "foreign-app", CS_WARNING },
	[APPPOOL_R_KERNEL_MODE] = { "kernel-mode", CS_CRITICAL },
	[APPPOOL_R_POOL_MISSING] = { "pool-missing", CS_CRITICAL },
	[APPPOOL_R_SITE] = { "site", CS_UNKNOWN },
};

const char *
apppool_rule_name(int rule)
{
	return (rule >= 0 && rule < APPPOOL_R_COUNT) ? rules[rule].name : NULL;
}

/* Account "domains" that are not domains: Windows' own principals. */
static const char *const wellknown_domains[] = {
	"NT AUTHORITY", "BUILTIN", "NT SERVICE", "IIS APPPOOL",
	"NT VIRTUAL MACHINE", "Window Manager", "Font Driver Host", NULL,
};

/* ---- account names ----------------------------------------------------- */

static bool
ends_with_dollar(const char *s, size_t len)
{
	return len > 0 && s[len - 1] == '$';
}

/* True when DOM (LEN bytes) is the server's own NetBIOS name. */
static bool
is_host(const char *dom, size_t len, const char *hostname)
{
	size_t hl;

	if (hostname == NULL || *hostname == '\0')
		return false;
	hl = strcspn(hostname, ".");
	return hl == len && strncasecmp(dom, hostname, len) == 0;
}

enum apppool_account
apppool_account_kind(const char *user, const char *hostname)
{
	const char *bs, *at;
	size_t dl;

	if (user == NULL || *user == '\0')
		return APPPOOL_ACCT_EMPTY;
	if ((bs = strchr(user, '\\')) != NULL) {
		const char *name = bs + 1;

		dl = (size_t)(bs - user);
		if (*name == '\0' || strchr(name, '\\') != NULL)
			return APPPOOL_ACCT_MALFORMED;
		if (dl == 0 || (dl == 1 && user[0] == '.'))
			return APPPOOL_ACCT_LOCAL;
		for (const char *const *w = wellknown_domains; *w; w++) {
			if (strlen(*w) != dl || strncasecmp(user, *w, dl) != 0)
				continue;
			if (strcasecmp(*w, "NT AUTHORITY") == 0 &&
			    (strcasecmp(name, "SYSTEM") == 0 ||
			    strcasecmp(name, "LocalSystem") == 0))
				return APPPOOL_ACCT_SYSTEM;
			return APPPOOL_ACCT_WELLKNOWN;
		}
		if (is_host(user, dl, hostname))
			return APPPOOL_ACCT_HOST;
		if (ends_with_dollar(name, strlen(name)))
			return APPPOOL_ACCT_MANAGED;
		return APPPOOL_ACCT_DOMAIN;
	}
	if ((at = strrchr(user, '@')) != NULL) {
		if (at == user || at[1] == '\0')
			return APPPOOL_ACCT_MALFORMED;
		if (ends_with_dollar(user, (size_t)(at - user)))
			return APPPOOL_ACCT_MANAGED;
		return APPPOOL_ACCT_UPN;
	}
	if (strcasecmp(user, "SYSTEM") == 0 ||
	    strcasecmp(user, "LocalSystem") == 0)
		return APPPOOL_ACCT_SYSTEM;
	return APPPOOL_ACCT_LOCAL;
}

static char *
lower_dup(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		d[i] = (char)tolower((unsigned char)s[i]);
	d[n] = '\0';
	return d;
}

char *
apppool_account_key(const char *user, const struct apppool_opts *o)
{
	const char *bs = strchr(user, '\\'), *at = strrchr(user, '@');
	char *key = NULL, *u, *d;

	if (bs != NULL) {
		size_t dl = (size_t)(bs - user);

		for (size_t i = 0; i < o->ndomains; i++) {
			const struct apppool_domain *m = &o->domains[i];

			if (strlen(m->netbios) != dl ||
			    strncasecmp(m->netbios, user, dl) != 0)
				continue;
			u = lower_dup(bs + 1, strlen(bs + 1));
			d = lower_dup(m->dns, strlen(m->dns));
			if (u != NULL && d != NULL &&
			    asprintf(&key, "%s@%s", u, d) < 0)
				key = NULL;
			free(u);
			free(d);
			return key;
		}
	} else if (at != NULL) {
		/* a UPN already is user@dns; a trailing dot means nothing */
		size_t n = strlen(user);

		if (n > 1 && user[n - 1] == '.')
			n--;
		return lower_dup(user, n);
	}
	return lower_dup(user, strlen(user));
}

/* The user part of an account name (LEN set), for hints. */
static const char *
user_part(const char *user, size_t *len)
{
	const char *bs = strchr(user, '\\'), *at = strrchr(user, '@');

	if (bs != NULL) {
		*len = strlen(bs + 1);
		return bs + 1;
	}
	*len = at != NULL ? (size_t)(at - user) : strlen(user);
	return user;
}

int
apppool_kernel_parse(const char *s, enum apppool_kernel *out)
{
	static const char *const names[] = {
		[APPPOOL_KERNEL_ANY] = "any",
		[APPPOOL_KERNEL_REQUIRED] = "required",
		[APPPOOL_KERNEL_FORBIDDEN] = "forbidden",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(s, names[i]) == 0) {
			*out = (enum apppool_kernel)i;
			return 0;
		}
	}
	return -1;
}

int
apppool_domain_parse(const char *s, struct apppool_domain *out)
{
	const char *eq = strchr(s, '=');
	size_t nl;

	if (eq == NULL)
		return -1;
	nl = (size_t)(eq - s);
	if (nl == 0 || nl >= sizeof(out->netbios) || eq[1] == '\0' ||
	    strlen(eq + 1) >= sizeof(out->dns) || strchr(eq + 1, '=') ||
	    strpbrk(s, "\\@/ ") != NULL)
		return -1;
	memcpy(out->netbios, s, nl);
	out->netbios[nl] = '\0';
	strcpy(out->dns, eq + 1);
	return 0;
}

void
apppool_app_path(const char *path, char *buf, size_t len)
{
	size_t o = 0;

	if (len == 0)
		return;
	while (*path) {
		size_t n;

		while (*path == '/' || *path == '\\')
			path++;
		if ((n = strcspn(path, "/\\")) == 0)
			break;
		if (!(n == 1 && path[0] == '.')) {
			if (o + n + 2 > len)
				break;
			buf[o++] = '/';
			memcpy(buf + o, path, n);
			o += n;
		}
		path += n;
	}
	if (o == 0 && len > 1)
		buf[o++] = '/';
	buf[o] = '\0';
}

/* ---- evaluation -------------------------------------------------------- */

enum kstate { K_UNUSED, K_ON, K_OFF, K_MIXED };

static const char *const kstate_names[] = {
	[K_UNUSED] = "not used", [K_ON] = "on", [K_OFF] = "off",
	[K_MIXED] = "mixed",
};

struct pool_state {
	const char *name;                 /* as asked */
	const struct cs_apphost_pool *p;  /* NULL: does not exist */
	bool optional;
	char *account;                    /* the Windows account it runs as */
	bool builtin;                     /* runs as a built-in identity */
	struct cs_buf apps;               /* "site/path, ..." */
	size_t napps;
	struct json_object *japps;
};

struct ev {
	const struct cs_apphost *h;
	const struct apppool_opts *o;
	struct cs_check *c;
	struct apppool_result *res;
	struct pool_state ps[APPPOOL_MAX];
	size_t n;
	const struct cs_apphost_site *site;
	bool detected;
	enum kstate kernel;
};

/* Where a value comes from, for the long output:
 * "line 12", "from applicationPoolDefaults, line 160", "IIS default",
 * "location \"Site\", line 40", "other.config:3". */
static void
src_text(const struct ev *e, const struct cs_apphost_src *s, const char *from,
    char *buf, size_t len)
{
	char where[600], loc[300] = "";

	if (s->origin == CS_APPHOST_DEFAULT) {
		snprintf(buf, len, "IIS default");
		return;
	}
	if (s->file != NULL && strcmp(s->file, e->h->path) != 0)
		snprintf(where, sizeof(where), "%s:%ld", s->file, s->line);
	else
		snprintf(where, sizeof(where), "line %ld", s->line);
	if (s->location != NULL && *s->location != '\0' &&
	    strcmp(s->location, ".") != 0)
		snprintf(loc, sizeof(loc), "location \"%s\", ", s->location);
	if (s->origin == CS_APPHOST_INHERITED && from != NULL)
		snprintf(buf, len, "from %s, %s%s", from, loc, where);
	else
		snprintf(buf, len, "%s%s", loc, where);
}

/* The JSON string of untrusted text S (valid UTF-8), or null. */
static struct json_object *
jstr(const char *s)
{
	struct json_object *o;
	char *clean;

	if (s == NULL || (clean = cs_text_utf8(s, CS_TEXT_MAX)) == NULL)
		return NULL;
	o = json_object_new_string(clean);
	free(clean);
	return o;
}

static struct pool_state *
state_for(struct ev *e, const char *pool)
{
	for (size_t i = 0; i < e->n; i++)
		if (e->ps[i].p != NULL && strcasecmp(e->ps[i].p->name, pool) == 0)
			return &e->ps[i];
	return NULL;
}

static void
resolve_pools(struct ev *e)
{
	for (size_t i = 0; i < e->o->npools && i < APPPOOL_MAX; i++) {
		struct pool_state *s = &e->ps[e->n++];

		s->name = e->o->pools[i];
		s->optional = e->o->optional[i];
		s->p = cs_apphost_pool(e->h, s->name);
		cs_buf_init(&s->apps, 0);
		if ((s->japps = json_object_new_array()) == NULL)
			e->c->nomem = 1;
		if (s->p == NULL) {
			if (s->optional)
				cs_check_add(e->c, CS_OK, NULL, NULL, 0,
				    "pool %s does not exist (optional)",
				    s->name);
			else
				cs_check_add(e->c, CS_CRITICAL,
				    rules[APPPOOL_R_POOL_MISSING].name,
				    e->h->path, 0, "application pool %s does "
				    "not exist in %s", s->name, e->h->path);
			continue;
		}
		e->res->pools++;
		if ((s->account = cs_apphost_pool_account(s->p)) == NULL)
			e->c->nomem = 1;
		cs_log(2, "pool %s: identityType %s, account %s", s->p->name,
		    cs_apphost_identity_name(s->p->identity),
		    s->account ? s->account : "?");
	}
}

/* The pool that serves the Dynamics site's root: CRMAppPool when it is
 * checked, else the first pool named. */
static const char *
main_pool(const struct apppool_opts *o)
{
	for (size_t i = 0; i < o->npools; i++)
		if (strcasecmp(o->pools[i], APPPOOL_CRM) == 0)
			return o->pools[i];
	return o->npools > 0 ? o->pools[0] : APPPOOL_CRM;
}


/* Appends "'name'" of every site (whose root runs in ROOT_POOL, when not
 * NULL) to B; returns how many. */
static size_t
site_names(const struct cs_apphost *h, const char *root_pool,
    struct cs_buf *b, const struct cs_apphost_site **last)
{
	size_t n = 0;

	for (size_t i = 0; i < h->nsites; i++) {
		const struct cs_apphost_site *s = &h->sites[i];
		const struct cs_apphost_app *root;

		if (root_pool != NULL &&
		    ((root = cs_apphost_app_for(h, s, "/")) == NULL ||
		    strcasecmp(root->pool, root_pool) != 0))
			continue;
		n++;
		*last = s;
		/* a full buffer drops names, not the message */
		(void)cs_buf_printf(b, "%s'%s'", n > 1 ? ", " : "", s->name);
	}
	return n;
}

static void
resolve_site(struct ev *e)
{
	const struct cs_apphost *h = e->h;
	const char *pool = main_pool(e->o);
	const struct cs_apphost_site *last = NULL;
	struct cs_buf names;
	size_t n;

	cs_buf_init(&names, 1024);
	if (e->o->site != NULL) {
		if ((e->site = cs_apphost_site(h, e->o->site)) == NULL) {
			n = site_names(h, NULL, &names, &last);
			cs_check_add(e->c, CS_UNKNOWN, rules[APPPOOL_R_SITE].name,
			    h->path, 0, "site '%s' does not exist in %s "
			    "(sites: %s)", e->o->site, h->path,
			    n ? cs_buf_str(&names) : "none");
		}
		cs_buf_free(&names);
		return;
	}
	n = site_names(h, pool, &names, &last);
	if (n == 1) {
		e->site = last;
		e->detected = true;
		cs_log(2, "Dynamics site: '%s' (its root application runs in "
		    "%s)", last->name, pool);
	} else if (n == 0) {
		cs_check_add(e->c, CS_UNKNOWN, rules[APPPOOL_R_SITE].name,
		    h->path, 0, "no site in %s has its root application in %s: "
		    "name the Dynamics 365 site with -s/--site", h->path, pool);
	} else {
		cs_check_add(e->c, CS_UNKNOWN, rules[APPPOOL_R_SITE].name,
		    h->path, 0, "%zu sites in %s have their root application in "
		    "%s (%s): name the Dynamics 365 site with -s/--site", n,
		    h->path, pool, cs_buf_str(&names));
	}
	cs_buf_free(&names);
}

static void
judge_identity(struct ev *e, struct pool_state *s)
{
	const struct cs_apphost_pool *p = s->p;
	const struct cs_apphost_src *us = &p->user_src;
	const char *builtin = rules[APPPOOL_R_BUILTIN_IDENTITY].name;
	const char *notdom = rules[APPPOOL_R_NOT_DOMAIN_ACCOUNT].name;
	enum apppool_account kind;
	const char *file;
	char src[1024];
	long line;

	if (p->identity != CS_APPHOST_SPECIFIC_USER) {
		src_text(e, &p->identity_src, "applicationPoolDefaults", src,
		    sizeof(src));
		s->builtin = true;
		cs_check_add(e->c, p->identity == CS_APPHOST_LOCAL_SYSTEM ?
		    CS_CRITICAL : CS_WARNING, builtin, p->identity_src.file,
		    p->identity_src.line, "%s runs as %s (%s; %s): use a "
		    "dedicated low-privilege domain user account", p->name,
		    cs_apphost_identity_name(p->identity), s->account, src);
		return;
	}
	if (us->origin == CS_APPHOST_DEFAULT)
		us = &p->identity_src;
	src_text(e, us, "applicationPoolDefaults", src, sizeof(src));
	file = us->file;
	line = us->line;
	kind = apppool_account_kind(p->user_name, e->o->hostname);
	switch (kind) {
	case APPPOOL_ACCT_DOMAIN:
	case APPPOOL_ACCT_UPN:
		break;
	case APPPOOL_ACCT_SYSTEM:
	case APPPOOL_ACCT_WELLKNOWN:
		s->builtin = true;
		cs_check_add(e->c, kind == APPPOOL_ACCT_SYSTEM ? CS_CRITICAL :
		    CS_WARNING, builtin,
		    file, line, "%s runs as %s, a built-in account "
		    "(SpecificUser, %s): use a dedicated low-privilege domain "
		    "user account", p->name, p->user_name, src);
		break;
	case APPPOOL_ACCT_EMPTY:
		cs_check_add(e->c, CS_WARNING, notdom, file, line, "%s is "
		    "SpecificUser without a userName (%s): IIS cannot start "
		    "it; use a domain user account", p->name, src);
		break;
	case APPPOOL_ACCT_LOCAL:
		cs_check_add(e->c, CS_WARNING, notdom, file, line, "%s runs as "
		    "%s, a local account (%s): use a domain user account",
		    p->name, p->user_name, src);
		break;
	case APPPOOL_ACCT_HOST:
		cs_check_add(e->c, CS_WARNING, notdom, file, line, "%s runs as "
		    "%s, a local account of %s itself (%s): use a domain user "
		    "account", p->name, p->user_name, e->o->hostname, src);
		break;
	case APPPOOL_ACCT_MANAGED:
		cs_check_add(e->c, CS_WARNING, notdom, file, line, "%s runs as "
		    "%s, a managed service or computer account (%s): Dynamics "
		    "365 supports only domain user accounts", p->name,
		    p->user_name, src);
		break;
	case APPPOOL_ACCT_MALFORMED:
		cs_check_add(e->c, CS_WARNING, notdom, file, line, "%s: "
		    "userName \"%s\" is not an account name (%s)", p->name,
		    p->user_name, src);
		break;
	}
}

/* Kernel-mode authentication over the paths of the site where Windows
 * authentication is enabled. */
static enum kstate
kernel_state(const struct ev *e)
{
	bool on = false, off = false;
	struct cs_apphost_winauth wa;

	if (e->site == NULL)
		return K_UNUSED;
	for (size_t i = 0; i < e->site->nauth_paths; i++) {
		cs_apphost_winauth(e->h, e->site->name, e->site->auth_paths[i],
		    &wa);
		if (!wa.enabled)
			continue;
		if (wa.use_kernel_mode)
			on = true;
		else
			off = true;
	}
	if (on && off)
		return K_MIXED;
	return on ? K_ON : off ? K_OFF : K_UNUSED;
}

static bool
differ_only_in_form(const char *a, const char *b)
{
	size_t la, lb;
	const char *ua = user_part(a, &la), *ub = user_part(b, &lb);

	if ((strchr(a, '\\') != NULL) == (strchr(b, '\\') != NULL))
		return false;
	return la == lb && strncasecmp(ua, ub, la) == 0;
}

static void
judge_shared(struct ev *e)
{
	char *keys[APPPOOL_MAX] = { NULL };
	char si[1024], sj[1024];

	for (size_t i = 0; i < e->n; i++) {
		const struct cs_apphost_pool *p = e->ps[i].p;

		if (p == NULL || p->identity != CS_APPHOST_SPECIFIC_USER ||
		    p->user_name[0] == '\0')
			continue;
		if ((keys[i] = apppool_account_key(p->user_name, e->o)) == NULL)
			e->c->nomem = 1;
	}
	for (size_t i = 0; i < e->n; i++) {
		for (size_t j = i + 1; j < e->n && keys[i] != NULL; j++) {
			const struct cs_apphost_pool *a = e->ps[i].p;
			const struct cs_apphost_pool *b = e->ps[j].p;
			bool same;

			if (keys[j] == NULL)
				continue;
			if (strcmp(keys[i], keys[j]) != 0) {
				if (differ_only_in_form(a->user_name,
				    b->user_name))
					cs_check_add(e->c, CS_OK, NULL, NULL, 0,
					    "%s (%s) and %s (%s) may be the "
					    "same account: --domain-map="
					    "NETBIOS=dns.name compares the two "
					    "forms", a->name, a->user_name,
					    b->name, b->user_name);
				continue;
			}
			src_text(e, &a->user_src, "applicationPoolDefaults",
			    si, sizeof(si));
			src_text(e, &b->user_src, "applicationPoolDefaults",
			    sj, sizeof(sj));
			if (e->kernel == K_OFF) {
				cs_check_add(e->c, CS_OK, NULL, NULL, 0,
				    "%s and %s share the account %s: accepted, "
				    "kernel-mode authentication is off for "
				    "site '%s', and one account for both "
				    "avoids duplicate HTTP SPNs", a->name,
				    b->name, b->user_name, e->site->name);
				continue;
			}
			same = strcasecmp(a->user_name, b->user_name) == 0;
			cs_check_add(e->c, CS_WARNING,
			    rules[APPPOOL_R_SHARED_IDENTITY].name,
			    b->user_src.file, b->user_src.line, "%s (%s) and %s "
			    "(%s) %s %s%s%s: use separate domain user accounts "
			    "(least privilege; one shared account is advised "
			    "only when kernel-mode authentication is off)",
			    a->name, si, b->name, sj, same ? "both run as" :
			    "run as one account,", same ? "" : a->user_name,
			    same ? "" : " = ", b->user_name);
		}
	}
	for (size_t i = 0; i < e->n; i++)
		free(keys[i]);
}

static bool
allowed(const struct ev *e, const char *path)
{
	char want[512], have[512];

	apppool_app_path(path, have, sizeof(have));
	for (size_t i = 0; i < e->o->nallow; i++) {
		apppool_app_path(e->o->allow[i], want, sizeof(want));
		if (strcasecmp(want, have) == 0)
			return true;
	}
	return false;
}

static void
judge_apps(struct ev *e)
{
	const struct cs_apphost *h = e->h;
	struct cs_buf allow;
	char src[1024], path[512];

	cs_buf_init(&allow, 1024);
	for (size_t i = 0; i < e->o->nallow; i++) {
		apppool_app_path(e->o->allow[i], path, sizeof(path));
		(void)cs_buf_printf(&allow, "%s%s", i ? ", " : "", path);
	}
	for (size_t si = 0; si < h->nsites; si++) {
		const struct cs_apphost_site *s = &h->sites[si];

		for (size_t ai = 0; ai < s->napps; ai++) {
			const struct cs_apphost_app *a = &s->apps[ai];
			struct pool_state *ps = state_for(e, a->pool);
			struct json_object *ja;
			bool foreign;

			cs_log(3, "application %s%s runs in %s", s->name,
			    a->path, a->pool);
			if (ps == NULL)
				continue;
			apppool_app_path(a->path, path, sizeof(path));
			foreign = e->site != NULL &&
			    !(s == e->site && allowed(e, a->path));
			e->res->applications++;
			ps->napps++;
			if (cs_buf_printf(&ps->apps, "%s%s%s", ps->apps.len ?
			    ", " : "", s->name, path) != 0)
				e->c->nomem = 1;
			if ((ja = json_object_new_object()) == NULL) {
				e->c->nomem = 1;
			} else {
				json_object_object_add(ja, "site", jstr(s->name));
				json_object_object_add(ja, "path", jstr(path));
				json_object_object_add(ja, "foreign", e->site ?
				    json_object_new_boolean(foreign) : NULL);
				json_object_array_add(ps->japps, ja);
			}
			if (!foreign)
				continue;
			e->res->foreign++;
			src_text(e, &a->pool_src, "applicationDefaults", src,
			    sizeof(src));
			cs_check_add(e->c, CS_WARNING,
			    rules[APPPOOL_R_FOREIGN_APP].name, a->file, a->line,
			    "%s%s runs in %s (%s): only %s of site '%s' belong "
			    "in the Dynamics 365 pools", s->name, path,
			    ps->p->name, src, cs_buf_str(&allow),
			    e->site->name);
		}
	}
	cs_buf_free(&allow);
}

static void
note_pools(struct ev *e)
{
	static const char *const pw[] = {
		[CS_APPHOST_PW_NONE] = ", no password set",
		[CS_APPHOST_PW_ENCRYPTED] = ", password encrypted",
		[CS_APPHOST_PW_CLEAR] = ", password stored in clear text",
	};
	char src[1024];

	for (size_t i = 0; i < e->n; i++) {
		const struct pool_state *s = &e->ps[i];
		const struct cs_apphost_pool *p = s->p;
		bool user = p != NULL && p->identity == CS_APPHOST_SPECIFIC_USER;

		if (p == NULL)
			continue;
		src_text(e, user && p->user_src.origin != CS_APPHOST_DEFAULT ?
		    &p->user_src : &p->identity_src, "applicationPoolDefaults",
		    src, sizeof(src));
		cs_check_add(e->c, CS_OK, NULL, NULL, 0, "pool %s: %s %s (%s)%s; "
		    "%zu application%s%s%s", p->name,
		    cs_apphost_identity_name(p->identity),
		    s->account ? s->account : "?", src,
		    user ? pw[p->password] : "", s->napps,
		    s->napps == 1 ? "" : "s", s->napps ? ": " : "",
		    cs_buf_str(&s->apps));
	}
}

/* Where the HTTP SPN of an application belongs (DOMAIN.md section 3), or
 * NULL when it cannot be said. *POOL_ACCOUNT is set when it is the pool's. */
static const char *
spn_home(const struct ev *e, const struct cs_apphost_winauth *wa,
    const struct cs_apphost_app *app, const char **pool_account)
{
	const struct cs_apphost_pool *p;

	*pool_account = NULL;
	if (!wa->enabled)
		return NULL;
	if (wa->use_kernel_mode && !wa->use_app_pool_credentials)
		return "machine";
	if (app == NULL || (p = cs_apphost_pool(e->h, app->pool)) == NULL)
		return NULL;
	switch (p->identity) {
	case CS_APPHOST_SPECIFIC_USER:
		*pool_account = p->user_name;
		return "pool";
	case CS_APPHOST_NETWORK_SERVICE:
	case CS_APPHOST_APPPOOL_IDENTITY:
	case CS_APPHOST_LOCAL_SYSTEM:
		return "machine";
	case CS_APPHOST_LOCAL_SERVICE:
		break;
	}
	return NULL;
}

struct kgroup {
	const char *file;
	long line;
	const struct cs_apphost_src *src;
	struct cs_buf paths;
};

static void
judge_site(struct ev *e, struct json_object *jsite)
{
	const struct cs_apphost_site *s = e->site;
	struct json_object *jpaths = json_object_new_array();
	struct kgroup *g = calloc(s->nauth_paths + 1, sizeof(*g));
	struct cs_apphost_winauth *was = calloc(s->nauth_paths + 1,
	    sizeof(*was));
	size_t ng = 0;
	char se[1024], sk[1024], sc[1024], st[1024], where[600];

	if (g == NULL || was == NULL || jpaths == NULL) {
		e->c->nomem = 1;
		goto out;
	}
	for (size_t i = 0; i < s->nauth_paths; i++) {
		const char *path = s->auth_paths[i], *acct, *home;
		struct cs_apphost_winauth *wa = &was[i];
		const struct cs_apphost_app *app;
		struct json_object *jp;
		char apath[512];
		bool bad;

		cs_apphost_winauth(e->h, s->name, path, wa);
		cs_log(3, "site '%s' %s: enabled=%d useKernelMode=%d "
		    "useAppPoolCredentials=%d tokenChecking=%s", s->name, path,
		    wa->enabled, wa->use_kernel_mode,
		    wa->use_app_pool_credentials, wa->token_checking);
		app = cs_apphost_app_for(e->h, s, path);
		home = spn_home(e, wa, app, &acct);
		if (app != NULL)
			apppool_app_path(app->path, apath, sizeof(apath));
		if (app == NULL)
			snprintf(where, sizeof(where), "no application");
		else if (strcasecmp(apath, path) == 0)
			snprintf(where, sizeof(where), "pool %s", app->pool);
		else
			snprintf(where, sizeof(where), "application %s, pool %s",
			    apath, app->pool);
		src_text(e, &wa->enabled_src, NULL, se, sizeof(se));
		src_text(e, &wa->kernel_src, NULL, sk, sizeof(sk));
		src_text(e, &wa->credentials_src, NULL, sc, sizeof(sc));
		src_text(e, &wa->token_src, NULL, st, sizeof(st));
		if (!wa->enabled)
			cs_check_add(e->c, CS_OK, NULL, NULL, 0, "site '%s' %s "
			    "(%s): Windows authentication off (%s)", s->name,
			    path, where, se);
		else
			cs_check_add(e->c, CS_OK, NULL, NULL, 0, "site '%s' %s "
			    "(%s): Windows authentication on (%s), "
			    "useKernelMode=%s (%s), useAppPoolCredentials=%s "
			    "(%s), extendedProtection tokenChecking=%s (%s)%s%s%s",
			    s->name, path, where, se,
			    wa->use_kernel_mode ? "true" : "false", sk,
			    wa->use_app_pool_credentials ? "true" : "false", sc,
			    wa->token_checking, st,
			    home == NULL ? "" : ": HTTP SPN on ",
			    home == NULL ? "" : acct ? acct :
			    "the machine account",
			    home != NULL && acct != NULL ? " (the pool's "
			    "account)" : "");

		if ((jp = json_object_new_object()) == NULL) {
			e->c->nomem = 1;
		} else {
			json_object_object_add(jp, "path", jstr(path));
			json_object_object_add(jp, "application",
			    app ? jstr(apath) : NULL);
			json_object_object_add(jp, "pool",
			    app ? jstr(app->pool) : NULL);
			json_object_object_add(jp, "windowsAuthentication",
			    json_object_new_boolean(wa->enabled));
			json_object_object_add(jp, "useKernelMode",
			    json_object_new_boolean(wa->use_kernel_mode));
			json_object_object_add(jp, "useAppPoolCredentials",
			    json_object_new_boolean(
			    wa->use_app_pool_credentials));
			json_object_object_add(jp, "tokenChecking",
			    json_object_new_string(wa->token_checking));
			json_object_object_add(jp, "httpSpn",
			    home ? json_object_new_string(home) : NULL);
			json_object_array_add(jpaths, jp);
		}

		bad = wa->enabled && ((e->o->kernel == APPPOOL_KERNEL_REQUIRED &&
		    !wa->use_kernel_mode) ||
		    (e->o->kernel == APPPOOL_KERNEL_FORBIDDEN &&
		    wa->use_kernel_mode));
		if (!bad)
			continue;
		/* one finding per setting that causes it */
		{
			size_t k;

			for (k = 0; k < ng; k++)
				if (g[k].file == wa->kernel_src.file &&
				    g[k].line == wa->kernel_src.line)
					break;
			if (k == ng) {
				g[ng].file = wa->kernel_src.file;
				g[ng].line = wa->kernel_src.line;
				g[ng].src = &wa->kernel_src;
				cs_buf_init(&g[ng].paths, 0);
				ng++;
			}
			if (cs_buf_printf(&g[k].paths, "%s%s",
			    g[k].paths.len ? ", " : "", path) != 0)
				e->c->nomem = 1;
		}
	}
	for (size_t k = 0; k < ng; k++) {
		bool req = e->o->kernel == APPPOOL_KERNEL_REQUIRED;

		src_text(e, g[k].src, NULL, sk, sizeof(sk));
		cs_check_add(e->c, req ? CS_CRITICAL : CS_WARNING,
		    rules[APPPOOL_R_KERNEL_MODE].name, g[k].file, g[k].line,
		    "kernel-mode authentication is %s for site '%s' at %s "
		    "(useKernelMode=%s, %s): --kernel-mode=%s", req ? "off" :
		    "on", s->name, cs_buf_str(&g[k].paths), req ? "false" :
		    "true", sk, req ? "required" : "forbidden");
	}
	if (s->nauth_paths > 0) {
		/* the site's own values are those of its root, "/" */
		json_object_object_add(jsite, "windowsAuthentication",
		    json_object_new_boolean(was[0].enabled));
		json_object_object_add(jsite, "useKernelMode",
		    json_object_new_boolean(was[0].use_kernel_mode));
		json_object_object_add(jsite, "useAppPoolCredentials",
		    json_object_new_boolean(was[0].use_app_pool_credentials));
		json_object_object_add(jsite, "tokenChecking",
		    json_object_new_string(was[0].token_checking));
	}
	json_object_object_add(jsite, "kernelMode",
	    json_object_new_string(kstate_names[e->kernel]));
	json_object_object_add(jsite, "paths", jpaths);
	jpaths = NULL;
out:
	for (size_t k = 0; k < ng; k++)
		cs_buf_free(&g[k].paths);
	free(g);
	free(was);
	json_object_put(jpaths);
}

static const char *const password_names[] = {
	[CS_APPHOST_PW_NONE] = "none",
	[CS_APPHOST_PW_ENCRYPTED] = "encrypted",
	[CS_APPHOST_PW_CLEAR] = "clear",
};

static const char *const origin_names[] = {
	[CS_APPHOST_SET] = "set",
	[CS_APPHOST_INHERITED] = "inherited",
	[CS_APPHOST_DEFAULT] = "default",
};

static struct json_object *
pools_json(struct ev *e)
{
	struct json_object *a = json_object_new_array();

	if (a == NULL) {
		e->c->nomem = 1;
		return NULL;
	}
	for (size_t i = 0; i < e->n; i++) {
		struct pool_state *s = &e->ps[i];
		const struct cs_apphost_pool *p = s->p;
		struct json_object *o = json_object_new_object();
		bool user = p != NULL && p->identity == CS_APPHOST_SPECIFIC_USER;

		if (o == NULL) {
			e->c->nomem = 1;
			continue;
		}
		json_object_object_add(o, "name", jstr(p ? p->name : s->name));
		json_object_object_add(o, "exists",
		    json_object_new_boolean(p != NULL));
		json_object_object_add(o, "optional",
		    json_object_new_boolean(s->optional));
		json_object_object_add(o, "identityType", p ?
		    json_object_new_string(cs_apphost_identity_name(
		    p->identity)) : NULL);
		json_object_object_add(o, "identitySource", p ?
		    json_object_new_string(origin_names[
		    p->identity_src.origin]) : NULL);
		json_object_object_add(o, "userName",
		    user ? jstr(p->user_name) : NULL);
		json_object_object_add(o, "account", jstr(s->account));
		json_object_object_add(o, "password", user ?
		    json_object_new_string(password_names[p->password]) : NULL);
		json_object_object_add(o, "builtinIdentity", p ?
		    json_object_new_boolean(s->builtin) : NULL);
		json_object_object_add(o, "applications", s->japps);
		s->japps = NULL; /* owned by O from here on */
		json_object_array_add(a, o);
	}
	return a;
}

void
apppool_evaluate(const struct cs_apphost *h, const struct apppool_opts *o,
    struct cs_check *c, struct apppool_result *res)
{
	struct ev e = { .h = h, .o = o, .c = c, .res = res };
	struct json_object *jsite = NULL;

	memset(res, 0, sizeof(*res));
	resolve_pools(&e);
	resolve_site(&e);
	e.kernel = kernel_state(&e);
	res->site_known = e.site != NULL;
	res->site = e.site ? e.site->name : NULL;
	res->kernel = e.site ? kstate_names[e.kernel] : NULL;

	for (size_t i = 0; i < e.n; i++)
		if (e.ps[i].p != NULL)
			judge_identity(&e, &e.ps[i]);
	for (size_t i = 0; i < e.n; i++)
		res->builtin += e.ps[i].builtin;
	judge_apps(&e);
	note_pools(&e);
	if (e.site != NULL) {
		if ((jsite = json_object_new_object()) == NULL) {
			c->nomem = 1;
		} else {
			json_object_object_add(jsite, "name", jstr(e.site->name));
			json_object_object_add(jsite, "id", e.site->id >= 0 ?
			    json_object_new_int64(e.site->id) : NULL);
			json_object_object_add(jsite, "detected",
			    json_object_new_boolean(e.detected));
			judge_site(&e, jsite);
		}
		if (e.kernel == K_UNUSED)
			cs_check_add(c, CS_OK, NULL, NULL, 0, "Windows "
			    "authentication is off everywhere in site '%s': "
			    "kernel-mode settings do not apply",
			    e.site->name);
	}
	judge_shared(&e);

	cs_check_data(c, "config", jstr(h->path));
	cs_check_data(c, "pools", pools_json(&e));
	cs_check_data(c, "site", jsite);
	for (size_t i = 0; i < e.n; i++) {
		free(e.ps[i].account);
		cs_buf_free(&e.ps[i].apps);
		json_object_put(e.ps[i].japps);
	}
}
