/*
 * check_svcaccount - one Dynamics 365 service account in Active Directory:
 * a dedicated, enabled, low-privilege domain user in Domain Users and the
 * CRM groups its roles need, not a Dynamics user, with a password that is
 * not about to expire. The rules live in check_svcaccount.d/svcaccount.c;
 * this file reads the facts from AD.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "check_svcaccount.d/svcaccount.h"
#include "ad.h"
#include "authfile.h"
#include "buf.h"
#include "cli.h"
#include "fileio.h"
#include "samr.h"

struct config {
	struct cs_ad_opts ad;
	const char *account;                 /* -a */
	unsigned roles;                      /* -r */
	const char *crm_ou;                  /* --crm-groups-ou */
	const char *group_dn[SVC_G_COUNT];   /* --priv-user-group ... */
	struct cs_thresholds th;             /* days to password expiry */
	const char *servers[SVC_HOSTS_MAX];  /* -S */
	size_t nservers;
	const char *local_groups[SVC_LOCAL_MAX]; /* --local-group */
	size_t nlocal_groups;
	bool front_end;                      /* --front-end */
	const char *smb_auth_file;           /* --smb-auth-file */
};

enum {
	OPT_CRM_OU = CS_OPT_PLUGIN,
	OPT_PRIV_USER_GROUP,
	OPT_SQL_ACCESS_GROUP,
	OPT_REPORTING_GROUP,
	OPT_LOCAL_GROUP,
	OPT_FRONT_END,
	OPT_SMB_AUTH_FILE,
};

static const struct option longopts[] = {
	{ "account", required_argument, NULL, 'a' },
	{ "role", required_argument, NULL, 'r' },
	{ "crm-groups-ou", required_argument, NULL, OPT_CRM_OU },
	{ "priv-user-group", required_argument, NULL, OPT_PRIV_USER_GROUP },
	{ "sql-access-group", required_argument, NULL, OPT_SQL_ACCESS_GROUP },
	{ "reporting-group", required_argument, NULL, OPT_REPORTING_GROUP },
	{ "warning", required_argument, NULL, 'w' },
	{ "critical", required_argument, NULL, 'c' },
	{ "server", required_argument, NULL, 'S' },
	{ "local-group", required_argument, NULL, OPT_LOCAL_GROUP },
	{ "front-end", no_argument, NULL, OPT_FRONT_END },
	{ "smb-auth-file", required_argument, NULL, OPT_SMB_AUTH_FILE },
	{ NULL, 0, NULL, 0 },
};

static int
handle_option(void *vcfg, int opt, const char *arg, struct cs_error *err)
{
	struct config *cfg = vcfg;
	int rc;

	switch (opt) {
	case 'a':
		cfg->account = arg;
		return 0;
	case 'r':
		return svc_roles_parse(arg, &cfg->roles, err);
	case OPT_CRM_OU:
		cfg->crm_ou = arg;
		return 0;
	case OPT_PRIV_USER_GROUP:
		cfg->group_dn[SVC_G_PRIV_USER] = arg;
		return 0;
	case OPT_SQL_ACCESS_GROUP:
		cfg->group_dn[SVC_G_SQL_ACCESS] = arg;
		return 0;
	case OPT_REPORTING_GROUP:
		cfg->group_dn[SVC_G_REPORTING] = arg;
		return 0;
	case 'S':
		if (*arg == '\0' || strpbrk(arg, "/\\@ :") != NULL)
			return cs_error_set(err, CS_ERR_USAGE, "--server: '%s' is "
			    "not a host name", arg);
		if (cfg->nservers == SVC_HOSTS_MAX)
			return cs_error_set(err, CS_ERR_USAGE, "--server: at most "
			    "%d servers per check", SVC_HOSTS_MAX);
		cfg->servers[cfg->nservers++] = arg;
		return 0;
	case OPT_LOCAL_GROUP:
		if (*arg == '\0' || strlen(arg) > 256 || strpbrk(arg, "\\/\t\n"))
			return cs_error_set(err, CS_ERR_USAGE, "--local-group: "
			    "'%s' is not a local group name", arg);
		if (cfg->nlocal_groups == SVC_LOCAL_MAX - SVC_L_COUNT)
			return cs_error_set(err, CS_ERR_USAGE, "--local-group: at "
			    "most %d groups", SVC_LOCAL_MAX - SVC_L_COUNT);
		cfg->local_groups[cfg->nlocal_groups++] = arg;
		return 0;
	case OPT_FRONT_END:
		cfg->front_end = true;
		return 0;
	case OPT_SMB_AUTH_FILE:
		cfg->smb_auth_file = arg;
		return 0;
	}
	if ((rc = cs_thresholds_option(&cfg->th, opt, arg, err)) != 1)
		return rc;
	if ((rc = cs_ad_option(&cfg->ad, opt, arg, err)) != 1)
		return rc;
	return cs_error_set(err, CS_ERR_USAGE, "unhandled option");
}

static const struct cs_plugin plugin = {
	.name = "check_svcaccount",
	.label = "SVCACCOUNT",
	.purpose =
	    "Checks one Dynamics 365 service account in Active Directory against\n"
	    "its role(s): a dedicated, enabled, low-privilege domain user account,\n"
	    "member of Domain Users and of the CRM groups the role needs, not a\n"
	    "Dynamics 365 user, not in a privileged group (by SID, nested and\n"
	    "primary memberships included), with a password that does not expire\n"
	    "unnoticed. Schedule one service per Dynamics service account.\n",
	.usage = "-H URI [-D NAME --password-file FILE | -Y GSSAPI] -a ACCOUNT "
	    "[-r ROLE[,ROLE...]] [--crm-groups-ou DN] [-w RANGE] [-c RANGE] "
	    "[-S HOST [-S HOST...] [--local-group NAME] [--front-end] "
	    "[--smb-auth-file FILE]]",
	.options =
	    " -a, --account=NAME\n"
	    "    The service account: sAMAccountName, DOMAIN\\name, UPN or DN.\n"
	    "    Required. Not found: CRITICAL; several match: UNKNOWN.\n"
	    " -r, --role=ROLE[,ROLE...]\n"
	    "    What the account runs (repeatable; Setup may use one account for\n"
	    "    several). The domain groups each role needs:\n"
	    "      app         Application Service (CRMAppPool): Domain Users,\n"
	    "                  PrivUserGroup, SQLAccessGroup\n"
	    "      deployment  Deployment Web Service (CRMDeploymentServiceAppPool):\n"
	    "                  Domain Users, PrivUserGroup, SQLAccessGroup\n"
	    "      async       Asynchronous Processing Service: Domain Users,\n"
	    "                  PrivUserGroup, SQLAccessGroup\n"
	    "      sandbox     Sandbox Processing Service: Domain Users\n"
	    "      vss         VSS Writer Service: Domain Users, PrivUserGroup,\n"
	    "                  SQLAccessGroup\n"
	    "      monitoring  Monitoring Service: Domain Users, SQLAccessGroup\n"
	    "    Without -r the CRM groups of a role are not checked.\n"
	    " --crm-groups-ou=DN\n"
	    "    The OU holding the deployment's PrivUserGroup {GUID},\n"
	    "    SQLAccessGroup {GUID} and ReportingGroup {GUID}. Without it (and\n"
	    "    without the three options below) they are found by name prefix in\n"
	    "    the domain: one deployment is used; several make the CRM group\n"
	    "    rules UNKNOWN until this option says which.\n"
	    " --priv-user-group=DN, --sql-access-group=DN, --reporting-group=DN\n"
	    "    A CRM group by DN, for groups created under other names.\n"
	    " -w, --warning=RANGE\n"
	    "    Days until the password expires for WARNING (default 14:).\n"
	    " -c, --critical=RANGE\n"
	    "    Days until the password expires for CRITICAL (default 3:).\n"
	    " -S, --server=HOST\n"
	    "    A Dynamics server whose local groups the account's roles need\n"
	    "    (repeatable, up to 16; all asked at once over MS-RPC SAMR,\n"
	    "    \\\\HOST\\IPC$): app Performance Log Users and CRM_WPG;\n"
	    "    deployment Administrators and CRM_WPG; async and sandbox\n"
	    "    Performance Log Users; vss Backup Operators; monitoring none.\n"
	    "    Membership counts directly or through a domain group nested\n"
	    "    into the local group (tokenGroups). Logs on as the LDAP bind\n"
	    "    identity (-D as a UPN or DOMAIN\\name with its password, or the\n"
	    "    Kerberos ticket cache with -Y GSSAPI), or --smb-auth-file.\n"
	    " --local-group=NAME\n"
	    "    A further local group every --server must grant (repeatable).\n"
	    " --front-end\n"
	    "    The servers are Front End servers: the monitoring role needs the\n"
	    "    local Administrators there.\n"
	    " --smb-auth-file=FILE\n"
	    "    Another identity for --server, as for smbclient -A: lines\n"
	    "    \"username = ...\", \"password = ...\", \"domain = ...\"; refused\n"
	    "    when group or others can read it (chmod 600).\n"
	    CS_HELP_RANGES,
	.notes =
	    "Rules (id - state):\n"
	    " account-missing   CRITICAL  no such account (UNKNOWN: ambiguous name)\n"
	    " not-user          WARNING   a computer, gMSA/sMSA or other object, not\n"
	    "                             a user account (Dynamics does not support\n"
	    "                             managed service accounts)\n"
	    " disabled          CRITICAL  userAccountControl 0x2\n"
	    " locked            CRITICAL  locked out (msDS-User-Account-Control-\n"
	    "                             Computed, else lockoutTime within the\n"
	    "                             lockout duration)\n"
	    " password-expiry   -w/-c     days until the password expires\n"
	    "                             (msDS-UserPasswordExpiryTimeComputed, else\n"
	    "                             pwdLastSet + maxPwdAge of the fine-grained\n"
	    "                             or domain policy); expired or \"must\n"
	    "                             change\": CRITICAL by the default -c\n"
	    " privileged        CRITICAL  member, directly, nested or through the\n"
	    "                             primary group, of Administrators, Account,\n"
	    "                             Server, Print or Backup Operators,\n"
	    "                             Replicator, Cryptographic Operators, Domain/\n"
	    "                             Enterprise/Schema/Key/Enterprise Key Admins,\n"
	    "                             Cert Publishers or Group Policy Creator\n"
	    "                             Owners (matched by SID in tokenGroups; the\n"
	    "                             path found through memberOf); or the\n"
	    "                             built-in Administrator (RID 500) itself\n"
	    " stale-admincount  WARNING   adminCount=1 without such a membership\n"
	    " domain-users      WARNING   not in Domain Users (primary group or token)\n"
	    " role-group        WARNING   not in a CRM group a role needs\n"
	    " crm-user          CRITICAL  in ReportingGroup {GUID}: a Dynamics user\n"
	    " shared-account    WARNING   SPNs of other services than Dynamics'\n"
	    "                             (HTTP/, MSCRMAsyncService/,\n"
	    "                             MSCRMSandboxService/), e.g. MSSQLSvc/\n"
	    " delegation        WARNING   trusted for unconstrained delegation\n"
	    "Data that cannot be read (a failed search, tokenGroups not readable by\n"
	    "the bind account, ambiguous CRM groups) makes the rules that need it\n"
	    "UNKNOWN, never OK.\n"
	    "\n"
	    " local-group       WARNING   with --server: not in a local group its\n"
	    "                             role needs on that server (names the\n"
	    "                             host, the group and the role); a host\n"
	    "                             that cannot be asked (unreachable, logon\n"
	    "                             failed, access denied, timed out) or a\n"
	    "                             missing group: UNKNOWN for that host, the\n"
	    "                             other hosts and the AD rules still report\n"
	    "Without --server the local groups are not checked (the long output\n"
	    "lists them per role). Access denied from Windows Server 2016 and\n"
	    "later: allow the monitoring account in the policy \"Network access:\n"
	    "Restrict clients allowed to make remote calls to SAM\" (README).\n"
	    "\n"
	    "Perfdata: days_to_expiry (with -w/-c; U when the password never\n"
	    "expires), groups (security groups in the token), privileged_groups,\n"
	    "local_groups_missing (with --server).\n",
	.examples =
	    " check_svcaccount -H ldaps://dc1.contoso.com --cacert /etc/ssl/ca.pem \\\n"
	    "     -D svc-monitor@contoso.com --password-file /etc/crmsec/ldap.pw \\\n"
	    "     -a CONTOSO\\svc-crmapp -r app \\\n"
	    "     --crm-groups-ou 'OU=CRM Groups,OU=Dynamics,DC=contoso,DC=com'\n"
	    "    The CRMAppPool account.\n"
	    " check_svcaccount --extra-opts=ad@/etc/crmsec/crmsec.ini \\\n"
	    "     -a svc-crmdeploy -r deployment\n"
	    "    The Deployment Web Service account (CRMDeploymentServiceAppPool).\n"
	    " check_svcaccount --extra-opts=ad@/etc/crmsec/crmsec.ini \\\n"
	    "     -a svc-crmasync@contoso.com -r async,sandbox -w 30: -c 7:\n"
	    "    One account for the Asynchronous and the Sandbox Processing\n"
	    "    Services; warn 30 days before the password expires.\n"
	    " check_svcaccount --extra-opts=ad@/etc/crmsec/crmsec.ini -a svc-crmvss -r vss\n"
	    " check_svcaccount --extra-opts=ad@/etc/crmsec/crmsec.ini -a svc-crmmon \\\n"
	    "     -r monitoring\n"
	    "    The VSS Writer and the Monitoring Service accounts.\n"
	    " check_svcaccount --extra-opts=ad@/etc/crmsec/crmsec.ini \\\n"
	    "     -a svc-crm -r app,async -S crmfe01 -S crmbe01\n"
	    "    The AD rules, and the local groups of both Dynamics servers.\n",
	.shortopts = "a:r:w:c:S:",
	.longopts = longopts,
	.group_shortopts = cs_ad_shortopts,
	.group_longopts = cs_ad_longopts,
	.group_title = CS_AD_HELP_TITLE,
	.group_options = cs_ad_help,
	.option = handle_option,
};

/* ---- attribute helpers ------------------------------------------------ */

/* The first value of ATTR as a signed 64-bit number. */
static bool
get_i64(struct cs_ad *ad, LDAPMessage *e, const char *attr, int64_t *out)
{
	char *s = cs_ad_first(ad, e, attr), *end;
	long long v;
	bool ok;

	if (s == NULL)
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	ok = errno == 0 && end != s && *end == '\0';
	if (ok)
		*out = (int64_t)v;
	free(s);
	return ok;
}

static bool
get_u32(struct cs_ad *ad, LDAPMessage *e, const char *attr, uint32_t *out)
{
	int64_t v;

	if (!get_i64(ad, e, attr, &v) || v < INT32_MIN || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;	/* AD writes some flag sets as signed */
	return true;
}

static bool
get_sid(struct cs_ad *ad, LDAPMessage *e, struct svc_sid *out)
{
	struct berval **v = ldap_get_values_len(ad->ld, e, "objectSid");
	bool ok = v && v[0] && svc_sid_from_bin(v[0]->bv_val, v[0]->bv_len,
	    out) == 0;

	ldap_value_free_len(v);
	return ok;
}

static char *
entry_dn(struct cs_ad *ad, LDAPMessage *e)
{
	char *dn = ldap_get_dn(ad->ld, e), *copy;

	copy = dn ? strdup(dn) : NULL;
	ldap_memfree(dn);
	return copy;
}

/* ---- the account ------------------------------------------------------- */

struct gather {
	struct svc_account *a;
	struct cs_error *err;
	bool seen;
};

static int
on_found(struct cs_ad *ad, LDAPMessage *e, void *vctx)
{
	struct gather *g = vctx;

	if ((g->a->dn = entry_dn(ad, e)) == NULL)
		return cs_error_set(g->err, CS_ERR_NOMEM, "out of memory");
	return 0;
}

/* Adds the DNs of VALS as groups node FROM is a direct member of. */
static int
add_parents(struct svc_graph *gr, size_t from, struct berval **vals)
{
	for (size_t i = 0; vals && vals[i]; i++) {
		char *dn = strndup(vals[i]->bv_val, vals[i]->bv_len);
		size_t idx;
		int rc;

		if (dn == NULL)
			return CS_ERR_NOMEM;
		rc = svc_graph_node(gr, dn, &idx, NULL);
		free(dn);
		if (rc == CS_ERR_TOO_LARGE)
			return 0;	/* gr->truncated says so */
		if (rc != 0 || (rc = svc_graph_edge(gr, from, idx, false)) != 0)
			return rc;
	}
	return 0;
}

static int
on_account(struct cs_ad *ad, LDAPMessage *e, void *vctx)
{
	struct gather *g = vctx;
	struct svc_account *a = g->a;
	struct berval **v = NULL;
	char **classes = NULL;
	size_t n = 0, idx;
	int64_t ac;
	int rc = 0;

	g->seen = true;
	/* objectClass */
	v = ldap_get_values_len(ad->ld, e, "objectClass");
	while (v && v[n])
		n++;
	if ((classes = calloc(n + 1, sizeof(*classes))) == NULL)
		goto nomem;
	for (size_t i = 0; i < n; i++)
		if ((classes[i] = strndup(v[i]->bv_val, v[i]->bv_len)) == NULL)
			goto nomem;
	a->kind = svc_kind_of((const char *const *)classes);
	ldap_value_free_len(v);
	v = NULL;

	a->sam = cs_ad_first(ad, e, "sAMAccountName");
	if ((a->display = cs_ad_describe(ad, e)) == NULL)
		goto nomem;
	{
		/* "DOMAIN\sam (DN)" -> "DOMAIN\sam", with the DN that
		 * cs_ad_describe used */
		char *dn = ldap_get_dn(ad->ld, e);
		size_t dl = strlen(a->display), nl = dn ? strlen(dn) : 1;

		ldap_memfree(dn);
		a->name = dl > nl + 3 ? strndup(a->display, dl - nl - 3) :
		    strdup(a->display);
		if (a->name == NULL)
			goto nomem;
	}
	a->have_sid = get_sid(ad, e, &a->sid);
	a->have_uac = get_u32(ad, e, "userAccountControl", &a->uac);
	a->have_uac_computed = get_u32(ad, e,
	    "msDS-User-Account-Control-Computed", &a->uac_computed);
	a->have_lockout_time = get_i64(ad, e, "lockoutTime", &a->lockout_time);
	a->have_pwd_last_set = get_i64(ad, e, "pwdLastSet", &a->pwd_last_set);
	a->have_expiry_computed = get_i64(ad, e,
	    "msDS-UserPasswordExpiryTimeComputed", &a->expiry_computed);
	a->have_primary_group = get_u32(ad, e, "primaryGroupID",
	    &a->primary_group);
	if (get_i64(ad, e, "adminCount", &ac))
		a->admin_count = (long)ac;
	a->pso_dn = cs_ad_first(ad, e, "msDS-ResultantPSO");

	/* servicePrincipalName (ranged when long) */
	if ((rc = cs_ad_values(ad, e, "servicePrincipalName", &v, g->err)) != 0)
		goto out;
	n = 0;
	while (v && v[n])
		n++;
	if (n && (a->spns = calloc(n, sizeof(*a->spns))) == NULL)
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		if ((a->spns[i] = strndup(v[i]->bv_val, v[i]->bv_len)) == NULL)
			goto nomem;
		a->nspns++;
	}
	ldap_value_free_len(v);
	v = NULL;

	/* tokenGroups: every security group SID, nested and primary */
	if ((rc = cs_ad_values(ad, e, "tokenGroups", &v, g->err)) != 0)
		goto out;
	n = 0;
	while (v && v[n])
		n++;
	if (n > 0) {
		if ((a->token = calloc(n, sizeof(*a->token))) == NULL)
			goto nomem;
		for (size_t i = 0; i < n; i++)
			if (svc_sid_from_bin(v[i]->bv_val, v[i]->bv_len,
			    &a->token[a->ntoken].sid) == 0)
				a->ntoken++;
		a->token_read = a->ntoken > 0;
	}
	ldap_value_free_len(v);
	v = NULL;

	/* memberOf: the first step of every membership path */
	if ((rc = svc_graph_node(&a->graph, a->dn, &idx, NULL)) != 0)
		goto out;
	a->graph.v[idx].have_sid = a->have_sid;
	a->graph.v[idx].sid = a->sid;
	a->graph.v[idx].name = a->sam ? strdup(a->sam) : NULL;
	a->graph.v[idx].expanded = true;
	if ((rc = cs_ad_values(ad, e, "memberOf", &v, g->err)) != 0)
		goto out;
	if ((rc = add_parents(&a->graph, idx, v)) != 0)
		goto nomem;
	goto out;
nomem:
	rc = cs_error_set(g->err, CS_ERR_NOMEM, "out of memory");
out:
	ldap_value_free_len(v);
	for (size_t i = 0; classes && classes[i]; i++)
		free(classes[i]);
	free(classes);
	return rc;
}

static const char *const find_attrs[] = { "objectClass", "sAMAccountName",
	NULL };

static const char *const account_attrs[] = { "objectClass",
	"sAMAccountName", "objectSid", "userAccountControl",
	"msDS-User-Account-Control-Computed", "lockoutTime", "pwdLastSet",
	"msDS-UserPasswordExpiryTimeComputed", "msDS-ResultantPSO",
	"primaryGroupID", "adminCount", "memberOf", "servicePrincipalName",
	"tokenGroups", NULL };

/* Reads the account at A->dn with a base-scope search (tokenGroups is only
 * returned for the base object). */
static int
read_account(struct cs_ad *ad, struct svc_account *a, struct cs_error *err)
{
	struct gather g = { a, err, false };
	int rc;

	rc = cs_ad_search(ad, a->dn, LDAP_SCOPE_BASE, "(objectClass=*)",
	    account_attrs, on_account, &g, err);
	if (rc == 0 && !g.seen)
		rc = cs_error_set(err, CS_ERR_INCOMPLETE, "%s: the account's "
		    "entry could not be read", a->dn);
	return rc;
}

/* ---- the domain and the forest root ------------------------------------ */

struct domain_ctx {
	struct svc_account *a;
	bool root;
	bool seen;
};

static int
on_domain(struct cs_ad *ad, LDAPMessage *e, void *vctx)
{
	struct domain_ctx *d = vctx;
	struct svc_account *a = d->a;

	d->seen = true;
	if (d->root) {
		a->have_root_sid = get_sid(ad, e, &a->root_sid) &&
		    svc_sid_is_domain(&a->root_sid);
		return 0;
	}
	a->have_domain_sid = get_sid(ad, e, &a->domain_sid) &&
	    svc_sid_is_domain(&a->domain_sid);
	a->have_max_pwd_age = get_i64(ad, e, "maxPwdAge", &a->max_pwd_age);
	a->have_lockout_duration = get_i64(ad, e, "lockoutDuration",
	    &a->lockout_duration);
	return 0;
}

static void
read_domain(struct cs_ad *ad, struct svc_account *a, const char *nc,
    struct cs_check *c)
{
	static const char *const attrs[] = { "objectSid", "maxPwdAge",
		"lockoutDuration", NULL };
	struct domain_ctx d = { a, false, false };
	struct cs_error err = { 0 };
	struct svc_sid dom;

	if (nc != NULL && cs_ad_search(ad, nc, LDAP_SCOPE_BASE,
	    "(objectClass=*)", attrs, on_domain, &d, &err) != 0)
		cs_check_add(c, CS_UNKNOWN, NULL, NULL, 0, "cannot read the "
		    "domain object %s: %s", nc, err.msg);
	/* the account's own SID names its domain too */
	if (!a->have_domain_sid && a->have_sid &&
	    svc_sid_split(&a->sid, &dom, NULL)) {
		a->domain_sid = dom;
		a->have_domain_sid = true;
	}
	/* Enterprise and Schema Admins belong to the forest root domain */
	if (ad->root_nc == NULL || (nc != NULL &&
	    strcasecmp(ad->root_nc, nc) == 0)) {
		a->root_sid = a->domain_sid;
		a->have_root_sid = a->have_domain_sid;
		return;
	}
	d.root = true;
	cs_error_clear(&err);
	if (cs_ad_search(ad, ad->root_nc, LDAP_SCOPE_BASE, "(objectClass=*)",
	    attrs, on_domain, &d, &err) != 0 || !a->have_root_sid)
		cs_check_add(c, CS_OK, NULL, NULL, 0, "the forest root domain's "
		    "SID could not be read (%s): Enterprise, Schema and "
		    "Enterprise Key Admins are matched by their RID in any domain",
		    err.msg[0] ? err.msg : "no objectSid");
}

struct pso_ctx {
	struct svc_account *a;
};

static int
on_pso(struct cs_ad *ad, LDAPMessage *e, void *vctx)
{
	struct pso_ctx *p = vctx;

	p->a->have_pso_max_age = get_i64(ad, e, "msDS-MaximumPasswordAge",
	    &p->a->pso_max_age);
	p->a->have_pso_lockout = get_i64(ad, e, "msDS-LockoutDuration",
	    &p->a->pso_lockout);
	return 0;
}

/* The fine-grained policy, needed only when the DC did not compute the
 * expiry and lockout itself. Usually only administrators may read it: the
 * rules then say UNKNOWN. */
static void
read_pso(struct cs_ad *ad, struct svc_account *a)
{
	static const char *const attrs[] = { "msDS-MaximumPasswordAge",
		"msDS-LockoutDuration", NULL };
	struct pso_ctx p = { a };
	struct cs_error err = { 0 };

	if (a->pso_dn == NULL ||
	    (a->have_expiry_computed && a->have_uac_computed))
		return;
	if (cs_ad_search(ad, a->pso_dn, LDAP_SCOPE_BASE, "(objectClass=*)",
	    attrs, on_pso, &p, &err) != 0)
		cs_log(1, "cannot read the password settings object: %s",
		    err.msg);
}

/* ---- names of the token's groups ------------------------------------------ */

struct names_ctx {
	struct svc_account *a;
};

static int
on_name(struct cs_ad *ad, LDAPMessage *e, void *vctx)
{
	struct names_ctx *n = vctx;
	struct svc_sid sid;

	if (!get_sid(ad, e, &sid))
		return 0;
	for (size_t i = 0; i < n->a->ntoken; i++) {
		struct svc_group *g = &n->a->token[i];

		if (g->name != NULL || !svc_sid_equal(&g->sid, &sid))
			continue;
		g->name = cs_ad_first(ad, e, "sAMAccountName");
		g->dn = entry_dn(ad, e);
		if (g->dn == NULL)
			return CS_ERR_NOMEM;
	}
	return 0;
}

#define SIDS_PER_SEARCH 40

/* Resolves the token's SIDs to group names, a few dozen per search. */
static int
resolve_names(struct cs_ad *ad, struct svc_account *a, const char *base,
    struct cs_error *err)
{
	static const char *const attrs[] = { "objectSid", "sAMAccountName",
		NULL };
	struct names_ctx n = { a };
	int rc = 0;

	for (size_t i = 0; i < a->ntoken && rc == 0; i += SIDS_PER_SEARCH) {
		struct cs_buf f;

		cs_buf_init(&f, 0);
		cs_buf_adds(&f, "(|");
		for (size_t j = i; j < a->ntoken && j < i + SIDS_PER_SEARCH; j++) {
			char *val = svc_sid_filter_value(&a->token[j].sid);

			if (val == NULL || cs_buf_printf(&f, "(objectSid=%s)",
			    val) != 0) {
				free(val);
				cs_buf_free(&f);
				return cs_error_set(err, CS_ERR_NOMEM,
				    "out of memory");
			}
			free(val);
		}
		if (cs_buf_adds(&f, ")") != 0)
			rc = cs_error_set(err, CS_ERR_NOMEM, "out of memory");
		else
			rc = cs_ad_search(ad, base, LDAP_SCOPE_SUBTREE,
			    cs_buf_str(&f), attrs, on_name, &n, err);
		if (rc == CS_ERR_NOMEM && err->msg[0] == '\0')
			cs_error_set(err, rc, "out of memory");
		cs_buf_free(&f);
	}
	return rc;
}

/* ---- membership paths: walking memberOf ------------------------------------ */

struct walk_ctx {
	struct svc_account *a;
	size_t node;
	struct cs_error *err;
};

static int
on_group(struct cs_ad *ad, LDAPMessage *e, void *vctx)
{
	struct walk_ctx *w = vctx;
	struct svc_node *n = &w->a->graph.v[w->node];
	struct berval **v = NULL;
	int rc;

	n->have_sid = get_sid(ad, e, &n->sid);
	n->name = cs_ad_first(ad, e, "sAMAccountName");
	if ((rc = cs_ad_values(ad, e, "memberOf", &v, w->err)) != 0)
		return rc;
	rc = add_parents(&w->a->graph, w->node, v);
	ldap_value_free_len(v);
	if (rc == CS_ERR_NOMEM)
		return cs_error_set(w->err, rc, "out of memory");
	return rc;
}

/*
 * Walks memberOf upwards from the account (and from its primary group,
 * which memberOf never lists) so each privileged membership can be shown
 * as a path. Only done when the token holds a privileged SID.
 */
static int
walk_memberof(struct cs_ad *ad, struct svc_account *a, struct cs_error *err)
{
	static const char *const attrs[] = { "objectSid", "sAMAccountName",
		"memberOf", NULL };
	const struct svc_sid *dom = a->have_domain_sid ? &a->domain_sid : NULL;
	const struct svc_sid *root = a->have_root_sid ? &a->root_sid : NULL;
	bool needed = false;
	int rc = 0;

	for (size_t i = 0; i < a->ntoken && !needed; i++)
		needed = svc_priv_match(&a->token[i].sid, dom, root) != NULL;
	if (!needed || a->graph.n == 0)
		return 0;
	/* the primary group, from the token's resolved names */
	if (a->have_primary_group && a->have_domain_sid) {
		struct svc_sid pg;

		svc_sid_compose(&a->domain_sid, a->primary_group, &pg);
		for (size_t i = 0; i < a->ntoken; i++) {
			size_t idx;

			if (!svc_sid_equal(&a->token[i].sid, &pg) ||
			    a->token[i].dn == NULL)
				continue;
			if ((rc = svc_graph_node(&a->graph, a->token[i].dn, &idx,
			    NULL)) == 0)
				rc = svc_graph_edge(&a->graph, 0, idx, true);
			if (rc == CS_ERR_NOMEM)
				return cs_error_set(err, rc, "out of memory");
			break;
		}
	}
	/* breadth first: the graph grows while we walk it */
	for (size_t i = 0; i < a->graph.n && rc == 0; i++) {
		struct walk_ctx w = { a, i, err };

		if (a->graph.v[i].expanded)
			continue;
		a->graph.v[i].expanded = true;
		rc = cs_ad_search(ad, a->graph.v[i].dn, LDAP_SCOPE_BASE,
		    "(objectClass=*)", attrs, on_group, &w, err);
	}
	if (rc == 0)
		a->graph_read = true;
	return rc;
}

/* ---- CRM groups -------------------------------------------------------------- */

struct crm_one {
	struct svc_crm *g;
	bool seen;
};

static int
on_crm_one(struct cs_ad *ad, LDAPMessage *e, void *vctx)
{
	struct crm_one *o = vctx;

	o->seen = true;
	o->g->have_sid = get_sid(ad, e, &o->g->sid);
	o->g->name = cs_ad_first(ad, e, "sAMAccountName");
	if (o->g->name == NULL)
		o->g->name = cs_ad_first(ad, e, "cn");
	o->g->dn = entry_dn(ad, e);
	return 0;
}

struct crm_scan {
	struct svc_candidate *c;
	char **names;
	struct svc_sid *sids;
	bool *have_sid;
	size_t n, cap;
	int nomem;
};

static int
on_crm_candidate(struct cs_ad *ad, LDAPMessage *e, void *vctx)
{
	struct crm_scan *s = vctx;
	char *cn = cs_ad_first(ad, e, "cn");
	char *sam = cs_ad_first(ad, e, "sAMAccountName");
	int kind = cn ? svc_crm_kind_of(cn) : -1;

	if (kind < 0 && sam != NULL)
		kind = svc_crm_kind_of(sam);
	if (kind < 0)
		goto out;
	if (s->n == s->cap) {
		size_t ncap = s->cap ? s->cap * 2 : 8;
		struct svc_candidate *c = reallocarray(s->c, ncap, sizeof(*c));
		char **nm;
		struct svc_sid *sd;
		bool *hs;

		if (c == NULL)
			goto nomem;
		s->c = c;
		if ((nm = reallocarray(s->names, ncap, sizeof(*nm))) == NULL)
			goto nomem;
		s->names = nm;
		if ((sd = reallocarray(s->sids, ncap, sizeof(*sd))) == NULL)
			goto nomem;
		s->sids = sd;
		if ((hs = reallocarray(s->have_sid, ncap, sizeof(*hs))) == NULL)
			goto nomem;
		s->have_sid = hs;
		s->cap = ncap;
	}
	s->c[s->n].kind = kind;
	if ((s->c[s->n].dn = entry_dn(ad, e)) == NULL)
		goto nomem;
	s->names[s->n] = sam ? sam : cn;
	if (sam)
		free(cn);
	else
		free(sam);
	s->have_sid[s->n] = get_sid(ad, e, &s->sids[s->n]);
	s->n++;
	return 0;
nomem:
	s->nomem = 1;
out:
	free(cn);
	free(sam);
	return 0;
}

/*
 * Finds the CRM groups: by DN where an option names one, else by name
 * prefix under --crm-groups-ou or in the whole search base. What cannot be
 * found leaves a reason for the rules that need it.
 */
static void
find_crm_groups(struct cs_ad *ad, const struct config *cfg,
    struct svc_account *a)
{
	static const char *const attrs[] = { "cn", "sAMAccountName",
		"objectSid", NULL };
	struct crm_scan s = { 0 };
	struct svc_pick pick[SVC_G_COUNT] = { 0 };
	struct cs_error err = { 0 };
	char where[600];
	bool need_scan = false;
	int rc;

	for (int k = 0; k < SVC_G_COUNT; k++) {
		struct svc_crm *g = &a->crm[k];
		struct crm_one one = { g, false };

		if (svc_crm_kinds[k].prefix == NULL)
			continue;
		if (cfg->group_dn[k] == NULL) {
			need_scan = true;
			continue;
		}
		g->source = svc_crm_kinds[k].option;
		cs_error_clear(&err);
		rc = cs_ad_search(ad, cfg->group_dn[k], LDAP_SCOPE_BASE,
		    "(objectClass=group)", attrs, on_crm_one, &one, &err);
		if (rc == 0 && one.seen && g->have_sid) {
			g->status = SVC_CRM_FOUND;
			continue;
		}
		g->status = SVC_CRM_ERROR;
		if (asprintf(&g->reason, "%s %s: %s", svc_crm_kinds[k].option,
		    cfg->group_dn[k], rc ? err.msg : one.seen ?
		    "no objectSid (not a security group?)" :
		    "not a group") < 0)
			g->reason = NULL;
	}
	if (!need_scan)
		return;
	snprintf(where, sizeof(where), "%s %s", cfg->crm_ou ? "under" : "in",
	    cfg->crm_ou ? cfg->crm_ou : *ad->base ? ad->base : "the forest");
	cs_error_clear(&err);
	rc = cs_ad_search(ad, cfg->crm_ou ? cfg->crm_ou : NULL,
	    LDAP_SCOPE_SUBTREE, "(&(objectClass=group)(|(cn=PrivUserGroup {*)"
	    "(cn=SQLAccessGroup {*)(cn=ReportingGroup {*)(sAMAccountName="
	    "PrivUserGroup {*)(sAMAccountName=SQLAccessGroup {*)"
	    "(sAMAccountName=ReportingGroup {*)))", attrs, on_crm_candidate, &s,
	    &err);
	if (rc == 0 && s.nomem)
		rc = cs_error_set(&err, CS_ERR_NOMEM, "out of memory");
	if (rc == 0)
		svc_crm_pick(s.c, s.n, where, pick);
	for (int k = 0; k < SVC_G_COUNT; k++) {
		struct svc_crm *g = &a->crm[k];

		if (svc_crm_kinds[k].prefix == NULL || cfg->group_dn[k] != NULL)
			continue;
		g->source = cfg->crm_ou ? "--crm-groups-ou" : "found by name";
		if (rc != 0) {
			g->status = SVC_CRM_ERROR;
			if (asprintf(&g->reason, "searching the CRM groups %s "
			    "failed: %s", where, err.msg) < 0)
				g->reason = NULL;
			continue;
		}
		g->status = pick[k].status;
		if (g->status != SVC_CRM_FOUND) {
			g->reason = strdup(pick[k].why);
			continue;
		}
		if (!s.have_sid[pick[k].index]) {
			g->status = SVC_CRM_ERROR;
			if (asprintf(&g->reason, "%s has no readable objectSid",
			    s.c[pick[k].index].dn) < 0)
				g->reason = NULL;
			continue;
		}
		g->dn = strdup(s.c[pick[k].index].dn);
		g->name = s.names[pick[k].index] ?
		    strdup(s.names[pick[k].index]) : NULL;
		g->sid = s.sids[pick[k].index];
		g->have_sid = true;
	}
	for (size_t i = 0; i < s.n; i++) {
		free((char *)s.c[i].dn);
		free(s.names[i]);
	}
	free(s.c);
	free(s.names);
	free(s.sids);
	free(s.have_sid);
}

/* ---- local groups on the Dynamics servers (SAMR) --------------------------- */

struct samr_ident {
	char *user, *password, *domain;
	bool kerberos;
};

static void
ident_clear(struct samr_ident *id)
{
	if (id->password != NULL)
		cs_file_wipe(id->password, strlen(id->password));
	free(id->user);
	free(id->password);
	free(id->domain);
	memset(id, 0, sizeof(*id));
}

/*
 * Who logs on to the servers: --smb-auth-file (the smbclient -A format,
 * read as --smb-auth-file is everywhere: a file others can read is
 * refused), else the LDAP bind identity with its password (-P, extra-opts,
 * --password-file, LDAP_PASSWORD), else with -Y GSSAPI the Kerberos
 * ticket cache. Read before the LDAP bind, which wipes the password.
 */
static int
samr_identity(const struct config *cfg, struct samr_ident *id,
    struct cs_error *err)
{
	const struct cs_ad_opts *ad = &cfg->ad;
	const char *env = getenv("LDAP_PASSWORD");
	char *buf = NULL;
	size_t len;
	int rc;

	memset(id, 0, sizeof(*id));
	if (cfg->smb_auth_file != NULL) {
		struct cs_auth_file a;

		if ((rc = cs_auth_file_read(cfg->smb_auth_file,
		    "--smb-auth-file", &a, err)) != 0)
			return rc;
		if (a.password[0] == '\0')
			rc = cs_error_set(err, CS_ERR_FORMAT, "--smb-auth-file "
			    "%s has no password", cfg->smb_auth_file);
		else if ((id->user = strdup(a.user)) == NULL ||
		    (id->password = strdup(a.password)) == NULL ||
		    (a.domain[0] != '\0' &&
		    (id->domain = strdup(a.domain)) == NULL))
			rc = cs_error_set(err, CS_ERR_NOMEM, "out of memory");
		cs_auth_file_wipe(&a);
		return rc;
	}
	if (ad->mech != NULL) {
		id->kerberos = true;
		return 0;
	}
	if (ad->bind_dn == NULL)
		return cs_error_set(err, CS_ERR_USAGE, "--server needs "
		    "credentials: -D with a password, -Y GSSAPI, or "
		    "--smb-auth-file");
	if (strchr(ad->bind_dn, '=') != NULL)
		return cs_error_set(err, CS_ERR_USAGE, "--server cannot log on "
		    "as a DN (-D %s): give -D as a UPN or DOMAIN\\name, or "
		    "--smb-auth-file", ad->bind_dn);
	if ((id->user = strdup(ad->bind_dn)) == NULL)
		return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
	if (ad->password != NULL) {
		id->password = strdup(ad->password);
	} else if (ad->password_file != NULL) {
		if ((rc = cs_file_read_secret(ad->password_file, 4096, &buf,
		    &len, "--password-file", err)) != 0)
			return rc;
		buf[strcspn(buf, "\r\n")] = '\0';
		id->password = buf;
	} else if (env != NULL && *env != '\0') {
		id->password = strdup(env);
	} else {
		return cs_error_set(err, CS_ERR_USAGE, "--server: -D %s needs a "
		    "password", ad->bind_dn);
	}
	if (id->password == NULL)
		return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
	return 0;
}

/*
 * Asks every --server for the members of the required local groups and
 * turns the answers into struct svc_host (SIDs parsed). SECONDS bounds
 * the whole, all hosts at once.
 */
static int
read_local_groups(const struct config *cfg, const struct samr_ident *id,
    const struct svc_local_req *req, size_t nreq, struct svc_host *hosts,
    double seconds, int verbose)
{
	struct cs_samr_host sh[SVC_HOSTS_MAX] = { 0 };
	struct cs_samr_alias al[SVC_LOCAL_MAX];
	struct cs_samr_creds cr = { id->user, id->domain, id->password,
		id->kerberos };
	int rc;

	for (size_t r = 0; r < nreq; r++) {
		al[r].name = req[r].name;
		al[r].builtin_rid = req[r].rid;
	}
	for (size_t h = 0; h < cfg->nservers; h++) {
		sh[h].host = cfg->servers[h];
		hosts[h].name = cfg->servers[h];
	}
	cs_log(1, "asking %zu server(s) for %zu local group(s) over SAMR as "
	    "%s (%.1f s)", cfg->nservers, nreq, id->kerberos ?
	    "the Kerberos ticket cache" : id->user, seconds);
	if (!cs_samr_available()) {
		for (size_t h = 0; h < cfg->nservers; h++) {
			hosts[h].rc = CS_ERR_INTERNAL;
			hosts[h].error = strdup("not built with SAMR support");
		}
		return 0;
	}
	if ((rc = cs_samr_query(sh, cfg->nservers, al, nreq, &cr, seconds,
	    verbose)) != 0) {
		for (size_t h = 0; h < cfg->nservers; h++) {
			hosts[h].rc = rc;
			if (asprintf(&hosts[h].error, "cannot run the SAMR "
			    "query: %s", cs_strerror(rc)) < 0)
				hosts[h].error = NULL;
		}
		cs_samr_hosts_free(sh, cfg->nservers);
		return 0;
	}
	for (size_t h = 0; rc == 0 && h < cfg->nservers; h++) {
		struct svc_host *o = &hosts[h];

		cs_log(2, "%s: answered in %.2f s: %s", o->name, sh[h].seconds,
		    sh[h].rc ? sh[h].err.msg : "OK");
		if ((o->rc = sh[h].rc) != 0) {
			if ((o->error = strdup(sh[h].err.msg)) == NULL)
				rc = CS_ERR_NOMEM;
			continue;
		}
		if ((o->g = calloc(nreq ? nreq : 1, sizeof(*o->g))) == NULL) {
			rc = CS_ERR_NOMEM;
			break;
		}
		o->ng = nreq;
		for (size_t r = 0; r < nreq && r < sh[h].naliases; r++) {
			struct cs_samr_members *m = &sh[h].aliases[r];
			struct svc_host_group *g = &o->g[r];

			g->rc = m->rc;
			if (m->rc != 0) {
				g->error = strdup(m->err.msg);
				continue;
			}
			g->domain = m->domain ? strdup(m->domain) : NULL;
			if (m->n && (g->members = calloc(m->n,
			    sizeof(*g->members))) == NULL) {
				rc = CS_ERR_NOMEM;
				break;
			}
			for (size_t k = 0; k < m->n; k++) {
				cs_log(3, "%s: %s member %s", o->name,
				    req[r].name, m->sids[k]);
				if (svc_sid_parse(m->sids[k],
				    &g->members[g->nmembers]) == 0)
					g->nmembers++;
			}
		}
	}
	cs_samr_hosts_free(sh, cfg->nservers);
	return rc;
}

/* ---- main ------------------------------------------------------------------ */

int
main(int argc, char **argv)
{
	struct config cfg = { 0 };
	struct cs_runtime rt;
	struct cs_check *c;
	struct cs_ad *ad = NULL;
	struct cs_error err = { 0 };
	struct svc_account a = { 0 };
	struct svc_opts opts;
	struct gather g = { &a, &err, false };
	struct samr_ident id = { 0 };
	struct svc_local_req req[SVC_LOCAL_MAX];
	struct svc_host hosts[SVC_HOSTS_MAX] = { 0 };
	size_t nreq = 0;
	struct timespec t0;
	char *nc = NULL;
	int rc;

	cs_range_parse("14:", &cfg.th.warn, NULL);
	cs_range_parse("3:", &cfg.th.crit, NULL);
	cs_cli_parse(&plugin, &cfg, &rt, argc, argv);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (cs_ad_validate(&cfg.ad, &err) != 0)
		cs_usage_error(&rt, "%s", err.msg);
	if (cfg.account == NULL)
		cs_usage_error(&rt, "which account? give -a");
	if (cfg.crm_ou && cfg.group_dn[SVC_G_PRIV_USER] &&
	    cfg.group_dn[SVC_G_SQL_ACCESS] && cfg.group_dn[SVC_G_REPORTING])
		cs_usage_error(&rt, "--crm-groups-ou has nothing left to find: "
		    "all three CRM groups are given by DN");
	if (cfg.nservers == 0 && (cfg.nlocal_groups || cfg.front_end ||
	    cfg.smb_auth_file))
		cs_usage_error(&rt, "--local-group, --front-end and "
		    "--smb-auth-file need --server");
	if (cfg.nservers > 0) {
		nreq = svc_local_requirements(cfg.roles, cfg.front_end,
		    cfg.local_groups, cfg.nlocal_groups, req, SVC_LOCAL_MAX);
		if (cs_samr_available() && samr_identity(&cfg, &id, &err) != 0) {
			ident_clear(&id);
			cs_usage_error(&rt, "%s", err.msg);
		}
	}

	c = cs_check_for(&rt);
	a.now = svc_filetime_from_unix(time(NULL));
	if ((rc = cs_ad_connect(&cfg.ad, rt.timeout, c, &ad, &err)) != 0)
		goto failed;
	rc = cs_ad_find_account(ad, cfg.account, find_attrs, on_found, &g, &err);
	if (rc == CS_ERR_NOT_FOUND || rc == CS_ERR_FORMAT) {
		/* missing: CRITICAL; ambiguous: UNKNOWN */
		enum cs_state st = rc == CS_ERR_NOT_FOUND ? CS_CRITICAL :
		    CS_UNKNOWN;

		cs_check_add(c, st, "account-missing", NULL, 0, "%s", err.msg);
		cs_check_summary(c, "%s", err.msg);
		goto done;
	}
	if (rc != 0 || (rc = read_account(ad, &a, &err)) != 0)
		goto failed;

	nc = svc_dn_domain(a.dn);
	read_domain(ad, &a, nc, c);
	read_pso(ad, &a);
	if (a.token_read && (rc = resolve_names(ad, &a, ad->gc ? "" :
	    nc ? nc : ad->base, &err)) != 0) {
		cs_check_add(c, CS_UNKNOWN, NULL, NULL, 0, "cannot resolve the "
		    "names of the account's groups: %s", err.msg);
		cs_error_clear(&err);
	}
	if (a.token_read && (rc = walk_memberof(ad, &a, &err)) != 0) {
		cs_check_add(c, CS_UNKNOWN, NULL, NULL, 0, "cannot follow "
		    "memberOf for the membership paths: %s", err.msg);
		cs_error_clear(&err);
	}
	if (a.kind == SVC_KIND_USER)
		find_crm_groups(ad, &cfg, &a);

	memset(&opts, 0, sizeof(opts));
	if (cfg.nservers > 0) {
		struct timespec t1;
		double left;

		clock_gettime(CLOCK_MONOTONIC, &t1);
		/* the answer must leave before the common alarm at -t */
		left = (double)rt.timeout - 0.6 - ((double)(t1.tv_sec -
		    t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
		if (read_local_groups(&cfg, &id, req, nreq, hosts, left,
		    rt.verbose) != 0)
			cs_check_add(c, CS_UNKNOWN, NULL, NULL, 0, "out of "
			    "memory reading the local groups");
		opts.req = req;
		opts.nreq = nreq;
		opts.hosts = hosts;
		opts.nhosts = cfg.nservers;
	}
	ident_clear(&id);
	opts.roles = cfg.roles;
	opts.th = cfg.th;
	svc_evaluate(&a, &opts, c);
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
	ident_clear(&id);
	svc_hosts_free(hosts, cfg.nservers);
	svc_account_free(&a);
	free(nc);
	rc = cs_finish(&rt, c);
	cs_runtime_free(&rt);
	return rc;
}
