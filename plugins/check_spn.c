/*
 * check_spn - duplicate and misplaced service principal names in Active
 * Directory: what `setspn -X` finds by hand, and whether the SPNs a
 * Dynamics 365 URL needs are registered exactly once, on the right account.
 */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ad.h"
#include "buf.h"
#include "cli.h"
#include "spn.h"

#define MAX_ITEMS 64

struct config {
	struct cs_ad_opts ad;
	const char *spns[MAX_ITEMS];      /* --spn */
	size_t nspns;
	const char *urls[MAX_ITEMS];      /* --url */
	size_t nurls;
	const char *excludes[MAX_ITEMS];  /* --exclude */
	size_t nexcludes;
	bool with_port, all, aliases, no_default_excludes;
	const char *expect_owner;         /* -o */
	struct cs_thresholds th;          /* on duplicated SPNs (--all) */
};

enum {
	OPT_SPN = CS_OPT_PLUGIN,
	OPT_URL,
	OPT_WITH_PORT,
	OPT_EXCLUDE,
	OPT_NO_DEFAULT_EXCLUDES,
	OPT_ALIASES,
};

/* By design on every domain's krbtgt account (DOMAIN.md §3). */
static const char *const default_excludes[] = { "kadmin/changepw", NULL };

static const struct option longopts[] = {
	{ "spn", required_argument, NULL, OPT_SPN },
	{ "url", required_argument, NULL, OPT_URL },
	{ "with-port", no_argument, NULL, OPT_WITH_PORT },
	{ "expect-owner", required_argument, NULL, 'o' },
	{ "all", no_argument, NULL, 'a' },
	{ "exclude", required_argument, NULL, OPT_EXCLUDE },
	{ "no-default-excludes", no_argument, NULL, OPT_NO_DEFAULT_EXCLUDES },
	{ "aliases", no_argument, NULL, OPT_ALIASES },
	{ "warning", required_argument, NULL, 'w' },
	{ "critical", required_argument, NULL, 'c' },
	{ NULL, 0, NULL, 0 },
};

static int
add_item(const char **v, size_t *n, const char *arg, const char *what,
    struct cs_error *err)
{
	if (*n == MAX_ITEMS)
		return cs_error_set(err, CS_ERR_USAGE, "%s: at most %d", what,
		    MAX_ITEMS);
	v[(*n)++] = arg;
	return 0;
}

static int
handle_option(void *vcfg, int opt, const char *arg, struct cs_error *err)
{
	struct config *cfg = vcfg;
	struct cs_spn spn;
	int rc;

	switch (opt) {
	case OPT_SPN:
		if (cs_spn_parse(arg, &spn, err) != 0)
			return CS_ERR_USAGE;
		return add_item(cfg->spns, &cfg->nspns, arg, "--spn", err);
	case OPT_URL:
		return add_item(cfg->urls, &cfg->nurls, arg, "--url", err);
	case OPT_WITH_PORT:
		cfg->with_port = true;
		return 0;
	case 'o':
		cfg->expect_owner = arg;
		return 0;
	case 'a':
		cfg->all = true;
		return 0;
	case OPT_EXCLUDE:
		return add_item(cfg->excludes, &cfg->nexcludes, arg,
		    "--exclude", err);
	case OPT_NO_DEFAULT_EXCLUDES:
		cfg->no_default_excludes = true;
		return 0;
	case OPT_ALIASES:
		cfg->aliases = true;
		return 0;
	}
	if ((rc = cs_thresholds_option(&cfg->th, opt, arg, err)) != 1)
		return rc;
	if ((rc = cs_ad_option(&cfg->ad, opt, arg, err)) != 1)
		return rc;
	return cs_error_set(err, CS_ERR_USAGE, "unhandled option");
}

static const struct cs_plugin plugin = {
	.name = "check_spn",
	.label = "SPN",
	.purpose =
	    "Checks service principal names in Active Directory: each SPN a\n"
	    "Dynamics 365 URL or service needs must be registered exactly once, on\n"
	    "the right account, and no SPN may be registered on two accounts\n"
	    "(Kerberos then fails with KRB_AP_ERR_MODIFIED and falls back to NTLM).\n"
	    "Like `setspn -X` (or -X -F with -G), scheduled, from Linux.\n",
	.usage = "-H URI [-D NAME --password-file FILE | -Y GSSAPI] "
	    "(--spn SPN | --url URL)... [-o ACCOUNT] | --all [-w RANGE] [-c RANGE]",
	.options =
	    " --spn=SPN\n"
	    "    An SPN that must be registered exactly once in the domain (with -G:\n"
	    "    the forest), e.g. HTTP/crm.contoso.com. Repeatable. Missing: WARNING;\n"
	    "    on two or more accounts: CRITICAL. An SPN whose service class the\n"
	    "    KDC maps to HOST (sPNMappings: http, www, cifs, ...) and which is not\n"
	    "    registered counts as present when HOST/<same host> is on a computer\n"
	    "    account: that is the normal kernel-mode setup.\n"
	    " --url=URL\n"
	    "    Check the SPNs a browser asks for URL: HTTP/<host>, and the NetBIOS\n"
	    "    form HTTP/<first label> when the host is a DNS name. Repeatable.\n"
	    " --with-port\n"
	    "    With --url, also HTTP/<host>:<port> when the URL names a port\n"
	    "    (browsers leave the port out unless configured otherwise).\n"
	    " -o, --expect-owner=ACCOUNT\n"
	    "    The --spn/--url SPNs must be on ACCOUNT (sAMAccountName, DOMAIN\\name,\n"
	    "    UPN, computer NAME$ or DN); found elsewhere: CRITICAL. Which account:\n"
	    "    IIS kernel-mode authentication on (the default, and the advice for\n"
	    "    web farms): the computer account of the CRM server (HOST/ covers\n"
	    "    HTTP/), unless useAppPoolCredentials=\"true\", then the application\n"
	    "    pool's account (CRMAppPool). Kernel-mode off: the application pool's\n"
	    "    account. check_apppool reports both settings.\n"
	    " -a, --all\n"
	    "    Every SPN in scope (the domain, or the forest with -G): report each\n"
	    "    SPN registered on more than one account, like setspn -X.\n"
	    " --exclude=SPN\n"
	    "    With --all, ignore SPN (any case). Repeatable. kadmin/changepw, on\n"
	    "    every domain's krbtgt account by design, is excluded by default.\n"
	    " --no-default-excludes\n"
	    "    Do not exclude kadmin/changepw.\n"
	    " --aliases\n"
	    "    Also report (as OK) SPNs that exist both explicitly on one account and\n"
	    "    through HOST/ on a computer account: the KDC uses the explicit one.\n"
	    " -w, --warning=RANGE\n"
	    "    With --all: number of duplicated SPNs for WARNING (default none).\n"
	    " -c, --critical=RANGE\n"
	    "    With --all: number of duplicated SPNs for CRITICAL (default 0: any\n"
	    "    duplicate is CRITICAL).\n"
	    CS_HELP_RANGES,
	.notes =
	    "Rules (id - state):\n"
	    " spn-duplicate  CRITICAL  an SPN on two or more accounts (each named)\n"
	    " spn-missing    WARNING   a --spn/--url SPN registered nowhere\n"
	    " spn-misplaced  CRITICAL  on another account than --expect-owner\n"
	    "\n"
	    "Perfdata: duplicates (with -w/-c), spns (distinct SPNs seen), accounts\n"
	    "(objects carrying them), time (seconds, s).\n",
	.examples =
	    " check_spn -H ldaps://dc1.contoso.com --cacert /etc/ssl/contoso-ca.pem \\\n"
	    "     -D svc-monitor@contoso.com --password-file /etc/crmsec/ldap.pw \\\n"
	    "     --url https://crm.contoso.com -o CRMFE01$\n"
	    "    The SPNs of the CRM URL, on the front-end's computer account.\n"
	    " check_spn -H dc1.contoso.com -Z -Y GSSAPI --all -G\n"
	    "    Every duplicated SPN in the forest, with a Kerberos ticket.\n"
	    " check_spn --extra-opts=ad@/etc/crmsec/crmsec.ini --all -w 0 -c 5\n"
	    "    Connection settings from an ini file; up to 5 duplicates WARNING.\n",
	.shortopts = "o:aw:c:",
	.longopts = longopts,
	.group_shortopts = cs_ad_shortopts,
	.group_longopts = cs_ad_longopts,
	.group_title = CS_AD_HELP_TITLE,
	.group_options = cs_ad_help,
	.option = handle_option,
};

/* ---- gather: owners of one SPN ---------------------------------------- */

struct owner {
	char *dn;
	char *name;        /* DOMAIN\sam (DN) */
	bool computer;
};

struct owners {
	struct owner v[16];
	size_t n;          /* may exceed 16: counted, not kept */
};

static void
owners_free(struct owners *o)
{
	for (size_t i = 0; i < o->n && i < 16; i++) {
		free(o->v[i].dn);
		free(o->v[i].name);
	}
	o->n = 0;
}

static bool
has_class(struct cs_ad *ad, LDAPMessage *e, const char *cls)
{
	struct berval **v = ldap_get_values_len(ad->ld, e, "objectClass");
	bool found = false;

	for (size_t i = 0; v && v[i] && !found; i++)
		found = strncasecmp(v[i]->bv_val, cls, v[i]->bv_len) == 0 &&
		    strlen(cls) == v[i]->bv_len;
	ldap_value_free_len(v);
	return found;
}

static int
on_owner(struct cs_ad *ad, LDAPMessage *e, void *vctx)
{
	struct owners *o = vctx;
	char *dn;

	if (o->n < 16) {
		dn = ldap_get_dn(ad->ld, e);
		o->v[o->n].dn = dn ? strdup(dn) : NULL;
		ldap_memfree(dn);
		o->v[o->n].name = cs_ad_describe(ad, e);
		o->v[o->n].computer = has_class(ad, e, "computer");
		if (o->v[o->n].dn == NULL || o->v[o->n].name == NULL)
			return CS_ERR_NOMEM;
	}
	o->n++;
	return 0;
}

static const char *const owner_attrs[] = { "sAMAccountName", "objectClass",
	NULL };

static int
find_owners(struct cs_ad *ad, const char *spn, struct owners *o,
    struct cs_error *err)
{
	char *esc = cs_ad_escape(spn), *filter = NULL;
	int rc;

	o->n = 0;
	if (esc == NULL || asprintf(&filter, "(servicePrincipalName=%s)",
	    esc) < 0) {
		free(esc);
		return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
	}
	rc = cs_ad_search(ad, NULL, LDAP_SCOPE_SUBTREE, filter, owner_attrs,
	    on_owner, o, err);
	if (rc == CS_ERR_NOMEM)
		cs_error_set(err, rc, "out of memory");
	free(esc);
	free(filter);
	return rc;
}

/* "a (dn), b (dn)" for messages. */
static void
owner_list(const struct owners *o, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < o->n && i < 16 && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
		    i ? ", " : "", o->v[i].name);
	if (o->n > 16 && used < len)
		snprintf(buf + used, len - used, " and %zu more", o->n - 16);
}

/* ---- sPNMappings --------------------------------------------------------- */

struct mappings {
	char **v;      /* NULL-terminated values, or NULL: Windows' default */
	size_t n;
};

static int
on_mappings(struct cs_ad *ad, LDAPMessage *e, void *vctx)
{
	struct mappings *m = vctx;
	struct berval **v = ldap_get_values_len(ad->ld, e, "sPNMappings");
	size_t k = 0;

	while (v && v[k])
		k++;
	if (k > 0 && (m->v = calloc(k + 1, sizeof(*m->v))) != NULL) {
		for (size_t i = 0; i < k; i++)
			m->v[m->n++] = strndup(v[i]->bv_val, v[i]->bv_len);
	}
	ldap_value_free_len(v);
	return 0;
}

/* Reads sPNMappings; falls back to Windows' default with a note. */
static void
read_mappings(struct cs_ad *ad, struct cs_check *c, struct mappings *m)
{
	static const char *const attrs[] = { "sPNMappings", NULL };
	struct cs_error err = { 0 };
	char *base = NULL;

	m->v = NULL;
	m->n = 0;
	if (ad->config_nc != NULL && asprintf(&base, "CN=Directory Service,"
	    "CN=Windows NT,CN=Services,%s", ad->config_nc) >= 0 &&
	    cs_ad_search(ad, base, LDAP_SCOPE_BASE, "(objectClass=*)", attrs,
	    on_mappings, m, &err) == 0 && m->v != NULL) {
		free(base);
		return;
	}
	free(base);
	cs_check_add(c, CS_OK, NULL, NULL, 0, "sPNMappings not readable%s%s: "
	    "using Windows' default list of classes HOST/ covers",
	    err.msg[0] ? ": " : "", err.msg);
}

static void
mappings_free(struct mappings *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->v[i]);
	free(m->v);
}

/* ---- evaluate: targeted SPNs ---------------------------------------------- */

struct expected {
	char *dn;
	char *name;
};

static int
on_expected(struct cs_ad *ad, LDAPMessage *e, void *vctx)
{
	struct expected *x = vctx;
	char *dn = ldap_get_dn(ad->ld, e);

	x->dn = dn ? strdup(dn) : NULL;
	ldap_memfree(dn);
	x->name = cs_ad_describe(ad, e);
	return (x->dn && x->name) ? 0 : CS_ERR_NOMEM;
}

/* Judges one targeted SPN; returns a search error, or 0. */
static int
check_one(struct cs_ad *ad, struct cs_check *c, const char *spn,
    const struct mappings *m, const struct expected *want, bool aliases,
    struct cs_error *err)
{
	struct owners o = { .n = 0 }, host = { .n = 0 };
	struct cs_spn parts;
	char list[1024], *alias = NULL;
	bool mapped;
	int rc;

	if ((rc = find_owners(ad, spn, &o, err)) != 0)
		return rc;
	if (cs_spn_parse(spn, &parts, NULL) != 0) {
		owners_free(&o);
		return cs_error_set(err, CS_ERR_USAGE, "bad SPN '%s'", spn);
	}
	mapped = cs_spn_maps_to_host(&parts, (const char *const *)m->v);
	if (mapped && (o.n == 0 || aliases)) {
		if ((alias = cs_spn_host_alias(&parts)) == NULL) {
			owners_free(&o);
			return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
		}
		if ((rc = find_owners(ad, alias, &host, err)) != 0)
			goto out;
	}
	if (o.n >= 2) {
		owner_list(&o, list, sizeof(list));
		cs_check_add(c, CS_CRITICAL, "spn-duplicate", NULL, 0,
		    "%s is registered on %zu accounts: %s", spn, o.n, list);
	} else if (o.n == 1) {
		if (want->dn && strcasecmp(o.v[0].dn, want->dn) != 0)
			cs_check_add(c, CS_CRITICAL, "spn-misplaced", NULL, 0,
			    "%s is on %s, expected on %s", spn, o.v[0].name,
			    want->name);
		else
			cs_check_add(c, CS_OK, NULL, NULL, 0, "%s is on %s",
			    spn, o.v[0].name);
		if (aliases && host.n > 0) {
			owner_list(&host, list, sizeof(list));
			cs_check_add(c, CS_OK, "alias-shadowed", NULL, 0,
			    "%s is explicit on %s and also covered by %s on %s: "
			    "the KDC uses the explicit one", spn, o.v[0].name,
			    alias, list);
		}
	} else if (host.n >= 2) {
		owner_list(&host, list, sizeof(list));
		cs_check_add(c, CS_CRITICAL, "spn-duplicate", NULL, 0,
		    "%s is not registered; %s, which covers it, is on %zu "
		    "accounts: %s", spn, alias, host.n, list);
	} else if (host.n == 1 && host.v[0].computer) {
		if (want->dn && strcasecmp(host.v[0].dn, want->dn) != 0)
			cs_check_add(c, CS_CRITICAL, "spn-misplaced", NULL, 0,
			    "%s is covered through %s on %s, expected on %s",
			    spn, alias, host.v[0].name, want->name);
		else
			cs_check_add(c, CS_OK, NULL, NULL, 0,
			    "%s is covered through %s on %s", spn, alias,
			    host.v[0].name);
	} else {
		cs_check_add(c, CS_WARNING, "spn-missing", NULL, 0,
		    "%s is not registered%s%s: Kerberos falls back to NTLM",
		    spn, mapped ? " (nor " : "", mapped ? "HOST/ on a computer)" :
		    "");
	}
out:
	free(alias);
	owners_free(&o);
	owners_free(&host);
	return rc;
}

/* ---- gather + evaluate: --all ----------------------------------------- */

struct scan {
	struct cs_spn_index *index;
	const char *const *excludes;   /* folded */
	size_t nexcludes;
	char **dn;                     /* per owner number */
	char **sam;
	size_t nowners, cap;
	struct cs_error *err;
};

static bool
excluded(const struct scan *s, const char *spn, size_t len)
{
	for (size_t i = 0; i < s->nexcludes; i++)
		if (strlen(s->excludes[i]) == len &&
		    strncasecmp(s->excludes[i], spn, len) == 0)
			return true;
	return false;
}

/* Indexes VALS as the SPNs of OWNER. */
static int
index_spns(struct scan *s, uint32_t owner, const struct berval *vals,
    size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char spn[CS_SPN_MAX];
		size_t len = vals[i].bv_len < CS_SPN_MAX - 1 ? vals[i].bv_len :
		    CS_SPN_MAX - 1;

		memcpy(spn, vals[i].bv_val, len);
		spn[len] = '\0';
		if (excluded(s, spn, len))
			continue;
		if (cs_spn_index_add(s->index, spn, owner) != 0)
			return cs_error_set(s->err, CS_ERR_NOMEM,
			    "out of memory");
	}
	return 0;
}

/* What one pass over an entry found (cs_ad_entry_each). */
struct entry_view {
	struct scan *s;
	uint32_t owner;
	size_t nspns;
	bool ranged;                   /* more SPNs than one reply holds */
	char *sam;
};

static bool
attr_is(const struct berval *a, const char *name)
{
	size_t n = strlen(name);

	return a->bv_len == n && strncasecmp(a->bv_val, name, n) == 0;
}

static int
on_attr(const struct berval *attr, const struct berval *vals, void *vctx)
{
	struct entry_view *v = vctx;
	size_t n = 0;

	while (vals != NULL && vals[n].bv_val != NULL)
		n++;
	if (attr_is(attr, "servicePrincipalName")) {
		/* indexed at once: VALS is only borrowed */
		v->nspns = n;
		return index_spns(v->s, v->owner, vals, n);
	}
	if (attr->bv_len > 20 &&
	    strncasecmp(attr->bv_val, "servicePrincipalName;", 21) == 0)
		v->ranged = true;
	else if (attr_is(attr, "sAMAccountName") && n > 0 && v->sam == NULL &&
	    (v->sam = strndup(vals[0].bv_val, vals[0].bv_len)) == NULL)
		return -1;
	return 0;
}

static int
on_spn_entry(struct cs_ad *ad, LDAPMessage *e, void *vctx)
{
	struct scan *s = vctx;
	struct entry_view v = { .s = s };
	struct berval dn;
	uint32_t owner;
	int rc;

	if (s->nowners == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 1024;
		char **a = realloc(s->dn, ncap * sizeof(*a));

		if (a == NULL)
			goto nomem;
		s->dn = a;
		if ((a = realloc(s->sam, ncap * sizeof(*a))) == NULL)
			goto nomem;
		s->sam = a;
		s->cap = ncap;
	}
	owner = v.owner = (uint32_t)s->nowners;
	s->dn[owner] = s->sam[owner] = NULL;
	/* one decoding pass (the entry's BER is parsed once, not once per
	 * attribute asked for): SPN values are indexed as they are seen */
	rc = cs_ad_entry_each(ad, e, &dn, on_attr, &v, s->err);
	if (rc != 0) {
		if (rc == -1)
			goto nomem;
		goto out;
	}
	if (v.ranged) {
		/* over 1,500 values: fetch the ranges the slow way */
		struct berval **all = NULL;
		size_t n = 0;

		if ((rc = cs_ad_values(ad, e, "servicePrincipalName", &all,
		    s->err)) != 0)
			goto out;
		for (; all != NULL && all[n] != NULL; n++)
			if ((rc = index_spns(s, owner, all[n], 1)) != 0)
				break;
		ldap_value_free_len(all);
		if (rc != 0)
			goto out;
	} else if (v.nspns == 0) {
		free(v.sam);
		return 0;
	}
	if ((s->dn[owner] = strndup(dn.bv_val, dn.bv_len)) == NULL)
		goto nomem;
	s->sam[owner] = v.sam;
	s->nowners++;
	return 0;
nomem:
	rc = cs_error_set(s->err, CS_ERR_NOMEM, "out of memory");
out:
	free(v.sam);
	return rc;
}

/* ---- the names of the duplicates' owners ---------------------------------------
 * The scan asks only for servicePrincipalName: every further attribute of
 * 20,000 entries costs the DC more than the whole client does. The few
 * owners of duplicates get their sAMAccountName afterwards, in batches. */

#define NAME_BATCH 64

static int
on_dup_mark(const char *spn, const uint32_t *owners, size_t n, void *vctx)
{
	bool *want = vctx;

	(void)spn;
	for (size_t i = 0; i < n; i++)
		want[owners[i]] = true;
	return 0;
}

struct name_batch {
	struct scan *s;
	const uint32_t *ids;
	size_t n;
};

static int
on_name(struct cs_ad *ad, LDAPMessage *e, void *vctx)
{
	struct name_batch *b = vctx;
	char *dn = ldap_get_dn(ad->ld, e);

	for (size_t i = 0; dn != NULL && i < b->n; i++) {
		uint32_t id = b->ids[i];

		if (b->s->sam[id] == NULL && strcasecmp(b->s->dn[id], dn) == 0) {
			b->s->sam[id] = cs_ad_first(ad, e, "sAMAccountName");
			break;
		}
	}
	ldap_memfree(dn);
	return 0;
}

static int
fetch_names(struct cs_ad *ad, struct scan *s, struct cs_error *err)
{
	static const char *const attrs[] = { "sAMAccountName", NULL };
	bool *want = calloc(s->nowners ? s->nowners : 1, sizeof(*want));
	uint32_t ids[NAME_BATCH];
	struct cs_buf f;
	size_t id = 0;
	int rc = 0;

	if (want == NULL)
		return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
	cs_buf_init(&f, 0);
	cs_spn_index_duplicates(s->index, on_dup_mark, want);
	while (rc == 0 && id < s->nowners) {
		struct name_batch b = { s, ids, 0 };
		int brc;

		cs_buf_free(&f);
		cs_buf_init(&f, 0);
		brc = cs_buf_adds(&f, "(|");
		for (; brc == 0 && id < s->nowners && b.n < NAME_BATCH; id++) {
			char *esc;

			if (!want[id] || s->sam[id] != NULL)
				continue;
			if ((esc = cs_ad_escape(s->dn[id])) == NULL) {
				brc = CS_ERR_NOMEM;
				break;
			}
			brc = cs_buf_printf(&f, "(distinguishedName=%s)", esc);
			free(esc);
			ids[b.n++] = (uint32_t)id;
		}
		if (brc == 0)
			brc = cs_buf_adds(&f, ")");
		if (brc != 0) {
			rc = cs_error_set(err, CS_ERR_NOMEM, "out of memory");
			break;
		}
		if (b.n == 0)
			break;
		rc = cs_ad_search(ad, NULL, LDAP_SCOPE_SUBTREE, cs_buf_str(&f),
		    attrs, on_name, &b, err);
	}
	cs_buf_free(&f);
	free(want);
	return rc;
}

struct dup_ctx {
	struct cs_ad *ad;
	struct cs_check *c;
	const struct scan *s;
	enum cs_state state;
	struct json_object *list;
	size_t n;
};

static int
on_duplicate(const char *spn, const uint32_t *owners, size_t n, void *vctx)
{
	struct dup_ctx *d = vctx;
	struct json_object *jo = json_object_new_object();
	struct json_object *ja = json_object_new_array();
	char list[2048];
	size_t used = 0;

	list[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char *name = cs_ad_describe_dn(d->ad, d->s->dn[owners[i]],
		    d->s->sam[owners[i]]);

		if (used < sizeof(list))
			used += (size_t)snprintf(list + used, sizeof(list) - used,
			    "%s%s", i ? ", " : "", name ? name : "?");
		json_object_array_add(ja, json_object_new_string(
		    d->s->dn[owners[i]]));
		free(name);
	}
	cs_check_add(d->c, d->state, "spn-duplicate", NULL, 0,
	    "%s is registered on %zu accounts: %s", spn, n, list);
	json_object_object_add(jo, "spn", json_object_new_string(spn));
	json_object_object_add(jo, "owners", ja);
	json_object_array_add(d->list, jo);
	d->n++;
	return 0;
}

static int
scan_all(struct cs_ad *ad, struct cs_check *c, const struct config *cfg,
    struct cs_error *err)
{
	static const char *const attrs[] = { "servicePrincipalName", NULL };
	const char *ex[MAX_ITEMS + 2];
	struct scan s = { .err = err, .excludes = ex };
	struct dup_ctx d = { ad, c, &s, CS_OK, NULL, 0 };
	size_t dups = 0;
	int rc;

	if (!cfg->no_default_excludes)
		for (size_t i = 0; default_excludes[i]; i++)
			ex[s.nexcludes++] = default_excludes[i];
	for (size_t i = 0; i < cfg->nexcludes; i++)
		ex[s.nexcludes++] = cfg->excludes[i];
	if ((s.index = cs_spn_index_new()) == NULL)
		return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
	rc = cs_ad_search(ad, NULL, LDAP_SCOPE_SUBTREE,
	    "(servicePrincipalName=*)", attrs, on_spn_entry, &s, err);
	if (rc == 0)
		rc = fetch_names(ad, &s, err);
	if (rc == 0) {
		d.list = json_object_new_array();
		d.state = CS_OK;
		rc = cs_spn_index_duplicates(s.index, on_duplicate, &d);
		dups = d.n;
		/* every duplicate line carries the state the count earns */
		d.state = cs_thresholds_eval(&cfg->th, (double)dups);
		for (size_t i = 0; i < c->nfindings; i++)
			if (c->findings[i].rule != NULL &&
			    strcmp(c->findings[i].rule, "spn-duplicate") == 0)
				c->findings[i].state = d.state;
		cs_check_data(c, "duplicates", d.list);
		cs_check_perf(c, "duplicates", (double)dups, NULL, &cfg->th, 0,
		    NAN);
		cs_check_perf(c, "spns", (double)cs_spn_index_count(s.index),
		    NULL, NULL, 0, NAN);
		cs_check_perf(c, "accounts", (double)s.nowners, NULL, NULL, 0,
		    NAN);
		cs_log(2, "%zu accounts, %zu distinct SPNs, %zu duplicated",
		    s.nowners, cs_spn_index_count(s.index), dups);
	}
	for (size_t i = 0; i < s.nowners; i++) {
		free(s.dn[i]);
		free(s.sam[i]);
	}
	free(s.dn);
	free(s.sam);
	cs_spn_index_free(s.index);
	return rc;
}

/* ---- report ------------------------------------------------------------ */

static void
summarise(struct cs_check *c, size_t targeted, bool all)
{
	size_t dup = 0, missing = 0, misplaced = 0;
	enum cs_state st = cs_check_state(c);

	for (size_t i = 0; i < c->nfindings; i++) {
		const char *r = c->findings[i].rule;

		if (r == NULL)
			continue;
		dup += strcmp(r, "spn-duplicate") == 0;
		missing += strcmp(r, "spn-missing") == 0;
		misplaced += strcmp(r, "spn-misplaced") == 0;
	}
	if (dup + missing + misplaced == 0) {
		cs_check_summary(c, "%s%s%s", targeted ? "every SPN checked is "
		    "registered once" : "", targeted && all ? "; " : "",
		    all ? "no duplicate SPNs" : "");
		return;
	}
	/* "2 duplicate SPNs, 1 missing" */
	{
		const struct {
			size_t n;
			const char *what;
		} parts[] = { { dup, "duplicate" }, { missing, "missing" },
		    { misplaced, "misplaced" } };
		struct cs_buf b;

		cs_buf_init(&b, 256);
		for (size_t i = 0; i < 3; i++) {
			if (parts[i].n == 0)
				continue;
			cs_buf_printf(&b, "%s%zu %s", b.len ? ", " : "",
			    parts[i].n, parts[i].what);
			if (b.len == strlen(parts[i].what) + 1 +
			    (size_t)snprintf(NULL, 0, "%zu", parts[i].n))
				cs_buf_printf(&b, " SPN%s", parts[i].n == 1 ?
				    "" : "s");
		}
		cs_check_summary(c, "%s%s", cs_buf_str(&b), st == CS_OK ?
		    " (within thresholds)" : "");
		cs_buf_free(&b);
	}
}

int
main(int argc, char **argv)
{
	struct config cfg = { 0 };
	struct cs_runtime rt;
	struct cs_check *c;
	struct cs_ad *ad = NULL;
	struct cs_error err = { 0 };
	struct mappings m = { 0 };
	struct expected want = { 0 };
	char **targets = NULL;
	size_t ntargets = 0;
	struct timespec t0, t1;
	int rc = 0;

	/* default: any duplicate is CRITICAL */
	cs_range_parse("0", &cfg.th.crit, NULL);
	cs_cli_parse(&plugin, &cfg, &rt, argc, argv);
	if (cs_ad_validate(&cfg.ad, &err) != 0)
		cs_usage_error(&rt, "%s", err.msg);
	if (!cfg.all && cfg.nspns == 0 && cfg.nurls == 0)
		cs_usage_error(&rt, "nothing to check: give --spn, --url or --all");
	if (cfg.expect_owner && cfg.nspns == 0 && cfg.nurls == 0)
		cs_usage_error(&rt, "--expect-owner needs --spn or --url");
	for (size_t i = 0; i < cfg.nspns; i++) {
		char *s = strdup(cfg.spns[i]);
		char **t = realloc(targets, (ntargets + 1) * sizeof(*t));

		if (s == NULL || t == NULL)
			cs_die(&rt, CS_UNKNOWN, "out of memory");
		targets = t;
		targets[ntargets++] = s;
	}
	for (size_t i = 0; i < cfg.nurls; i++)
		if (cs_spn_from_url(cfg.urls[i], cfg.with_port, &targets,
		    &ntargets, &err) != 0)
			cs_usage_error(&rt, "%s", err.msg);

	c = cs_check_for(&rt);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rc = cs_ad_connect(&cfg.ad, rt.timeout, c, &ad, &err)) != 0)
		goto failed;
	if (ntargets > 0) {
		read_mappings(ad, c, &m);
		if (cfg.expect_owner && (rc = cs_ad_find_account(ad,
		    cfg.expect_owner, owner_attrs, on_expected, &want, &err)) != 0)
			goto failed;
		for (size_t i = 0; i < ntargets; i++)
			if ((rc = check_one(ad, c, targets[i], &m, &want,
			    cfg.aliases, &err)) != 0)
				goto failed;
	}
	if (cfg.all && (rc = scan_all(ad, c, &cfg, &err)) != 0)
		goto failed;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	summarise(c, ntargets, cfg.all);
	cs_check_perf(c, "time", (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9, "s", NULL, 0, NAN);
	cs_log(1, "%lu pages, %lu entries, %lu references not followed",
	    ad->pages, ad->entries, ad->references);
	goto done;
failed:
	/* incomplete data: never a verdict, say why */
	cs_check_add(c, cs_error_state(rc), NULL, NULL, 0, "%s", err.msg);
	cs_check_summary(c, "%s", err.msg);
done:
	cs_ad_close(ad);
	cs_ad_opts_clear(&cfg.ad);
	mappings_free(&m);
	free(want.dn);
	free(want.name);
	for (size_t i = 0; i < ntargets; i++)
		free(targets[i]);
	free(targets);
	rc = cs_finish(&rt, c);
	cs_runtime_free(&rt);
	return rc;
}
