/*
 * check_apppool - the Dynamics 365 application pools run under separate,
 * dedicated domain user accounts, host no other application, and the
 * Dynamics site's kernel-mode authentication is what the farm needs
 * (Dynamics 365 CE on-premises security best practices; DOMAIN.md 1-3).
 */
#include "config.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "apphost.h"
#include "check_apppool.d/apppool.h"
#include "cli.h"
#include "smb.h"
#include "xmlload.h"

struct config {
	const char *file;                     /* -f */
	size_t max_bytes;
	const char *named[APPPOOL_MAX];       /* -p */
	size_t nnamed;
	const char *optional[APPPOOL_MAX];    /* --optional-pool */
	size_t noptional;
	struct apppool_opts rules;
	struct cs_smb_opts smb;               /* smb:// paths, --crm-host */
	char *crm_path;                       /* what --crm-host filled in */
};

enum {
	OPT_OPTIONAL_POOL = CS_OPT_PLUGIN,
	OPT_ALLOW_APP,
	OPT_KERNEL_MODE,
	OPT_DOMAIN_MAP,
	OPT_MAX_FILE_SIZE,
};

static const struct option longopts[] = {
	{ "config", required_argument, NULL, 'f' },
	{ "pool", required_argument, NULL, 'p' },
	{ "site", required_argument, NULL, 's' },
	{ "hostname", required_argument, NULL, 'H' },
	{ "optional-pool", required_argument, NULL, OPT_OPTIONAL_POOL },
	{ "allow-app", required_argument, NULL, OPT_ALLOW_APP },
	{ "kernel-mode", required_argument, NULL, OPT_KERNEL_MODE },
	{ "domain-map", required_argument, NULL, OPT_DOMAIN_MAP },
	{ "max-file-size", required_argument, NULL, OPT_MAX_FILE_SIZE },
	{ NULL, 0, NULL, 0 },
};

/* Adds NAME to a list of at most APPPOOL_MAX names (once, in any case). */
static int
add_name(const char **v, size_t *n, const char *name, const char *what,
    struct cs_error *err)
{
	if (*name == '\0')
		return cs_error_set(err, CS_ERR_USAGE, "%s: empty name", what);
	for (size_t i = 0; i < *n; i++)
		if (strcasecmp(v[i], name) == 0)
			return 0;
	if (*n == APPPOOL_MAX)
		return cs_error_set(err, CS_ERR_USAGE, "%s: at most %d", what,
		    APPPOOL_MAX);
	v[(*n)++] = name;
	return 0;
}

static int
handle_option(void *vcfg, int opt, const char *arg, struct cs_error *err)
{
	struct config *cfg = vcfg;
	struct apppool_opts *r = &cfg->rules;
	long v;
	int rc;

	switch (opt) {
	case 'f':
		cfg->file = arg;
		return 0;
	case 'p':
		return add_name(cfg->named, &cfg->nnamed, arg, "-p/--pool",
		    err);
	case 's':
		if (*arg == '\0')
			return cs_error_set(err, CS_ERR_USAGE,
			    "-s/--site: empty name");
		r->site = arg;
		return 0;
	case 'H':
		if (*arg == '\0' || strpbrk(arg, "\\/@ ") != NULL)
			return cs_error_set(err, CS_ERR_USAGE,
			    "-H/--hostname: '%s' is not a host name", arg);
		r->hostname = arg;
		return 0;
	case OPT_OPTIONAL_POOL:
		return add_name(cfg->optional, &cfg->noptional, arg,
		    "--optional-pool", err);
	case OPT_ALLOW_APP:
		return add_name(r->allow, &r->nallow, arg, "--allow-app", err);
	case OPT_KERNEL_MODE:
		if (apppool_kernel_parse(arg, &r->kernel) != 0)
			return cs_error_set(err, CS_ERR_USAGE, "--kernel-mode: "
			    "'%s' is not required, forbidden or any", arg);
		return 0;
	case OPT_DOMAIN_MAP:
		if (r->ndomains == APPPOOL_MAX)
			return cs_error_set(err, CS_ERR_USAGE,
			    "--domain-map: at most %d", APPPOOL_MAX);
		if (apppool_domain_parse(arg, &r->domains[r->ndomains]) != 0)
			return cs_error_set(err, CS_ERR_USAGE, "--domain-map: "
			    "'%s' is not NETBIOS=dns.name", arg);
		r->ndomains++;
		return 0;
	case OPT_MAX_FILE_SIZE:
		if (cs_parse_long(arg, 1024, 1024L * 1024 * 1024, &v,
		    "--max-file-size", err) != 0)
			return CS_ERR_USAGE;
		cfg->max_bytes = (size_t)v;
		return 0;
	}
	if ((rc = cs_smb_option(&cfg->smb, opt, arg, err)) != 1)
		return rc;
	return cs_error_set(err, CS_ERR_USAGE, "unhandled option");
}

static const struct cs_plugin plugin = {
	.name = "check_apppool",
	.label = "APPPOOL",
	.purpose =
	    "Checks, from IIS's applicationHost.config, that the Dynamics 365\n"
	    "application pools (CRMAppPool and CRMDeploymentServiceAppPool) run\n"
	    "under separate, dedicated domain user accounts rather than built-in\n"
	    "identities, that no other application runs in them, and what the\n"
	    "Dynamics site's kernel-mode authentication is, as the Dynamics 365\n"
	    "Customer Engagement (on-premises) security best practices ask.\n"
	    "Values are effective values: a pool inherits what it does not set\n"
	    "from applicationPoolDefaults, an application its pool from\n"
	    "applicationDefaults, and windowsAuthentication follows the <location>\n"
	    "blocks of the site and its applications.\n",
	.usage = "-f FILE [-p POOL]... [--optional-pool=POOL]... [-s SITE] "
	    "[--allow-app=PATH]... [--kernel-mode=required|forbidden|any] "
	    "[--domain-map=NETBIOS=DNS]... [-H HOST] [-t SECONDS] [-v]",
	.options =
	    " -f, --config=FILE\n"
	    "    applicationHost.config, a copy of\n"
	    "    C:\\Windows\\System32\\inetsrv\\config\\applicationHost.config. Required.\n"
	    " -p, --pool=NAME\n"
	    "    A pool to check. Repeatable. Default: CRMAppPool and\n"
	    "    CRMDeploymentServiceAppPool. A pool that does not exist is CRITICAL.\n"
	    " --optional-pool=NAME\n"
	    "    Check NAME when it exists; its absence is not a problem (e.g. a\n"
	    "    front-end server without the Deployment Web Service). Added to the\n"
	    "    pools to check when -p did not name it. Repeatable.\n"
	    " -s, --site=NAME\n"
	    "    The Dynamics 365 site. Default: the one site whose root application\n"
	    "    runs in CRMAppPool (or in the first -p pool when CRMAppPool is not\n"
	    "    checked); none or several such sites is UNKNOWN.\n"
	    " --allow-app=PATH\n"
	    "    An application of the Dynamics site allowed in the checked pools.\n"
	    "    Repeatable; replaces the default /, /Help and /XRMDeployment.\n"
	    "    Paths compare in any case.\n"
	    " --kernel-mode=required|forbidden|any\n"
	    "    What windowsAuthentication useKernelMode must be where Windows\n"
	    "    authentication is enabled in the Dynamics site (default any).\n"
	    " --domain-map=NETBIOS=DNS\n"
	    "    NETBIOS\\user and user@DNS are the same account (for\n"
	    "    shared-identity). Repeatable. Without it, names compare as written.\n"
	    " -H, --hostname=NAME\n"
	    "    The server's own name: NAME\\user is then a local account.\n"
	    " --max-file-size=BYTES\n"
	    "    Refuse larger configuration files (default 8388608).\n"
	    "A missing, unreadable, oversized or malformed file is UNKNOWN.\n",
	.notes =
	    "Rules (id - state - what fires it):\n"
	    " builtin-identity    WARNING   a checked pool runs as NetworkService,\n"
	    "                               LocalService or ApplicationPoolIdentity\n"
	    "                               (also when inherited), or as such an\n"
	    "                               account named in userName;\n"
	    "                     CRITICAL  LocalSystem\n"
	    " not-domain-account  WARNING   SpecificUser whose userName is not a\n"
	    "                               domain user: empty, .\\user, a bare\n"
	    "                               name, HOST\\user (with -H), a name\n"
	    "                               ending in $ (gMSA, computer)\n"
	    " shared-identity     WARNING   two checked pools run as the same\n"
	    "                               account; OK (a note) when kernel-mode\n"
	    "                               authentication is off in the site,\n"
	    "                               where one account avoids duplicate SPNs\n"
	    " foreign-app         WARNING   an application of any site runs in a\n"
	    "                               checked pool and is not an allowed\n"
	    "                               application of the Dynamics site\n"
	    " kernel-mode         CRITICAL  --kernel-mode=required and\n"
	    "                               useKernelMode is false;\n"
	    "                     WARNING   --kernel-mode=forbidden and it is true\n"
	    " pool-missing        CRITICAL  a checked pool does not exist\n"
	    " site                UNKNOWN   the Dynamics site does not exist or\n"
	    "                               cannot be told apart\n"
	    "The long output shows each pool's identity, account and applications,\n"
	    "and for each path of the site Windows authentication, useKernelMode,\n"
	    "useAppPoolCredentials, extendedProtection tokenChecking and where the\n"
	    "HTTP SPN belongs. Passwords are never shown, not even encrypted.\n"
	    "\n"
	    "Perfdata: pools (checked pools that exist), applications (in them, all\n"
	    "sites), foreign_apps (U when the site is unknown), builtin_identities.\n",
	.examples =
	    " check_apppool -f /mnt/crmfe01/inetsrv/config/applicationHost.config\n"
	    "    The two Dynamics pools and the site running CRMAppPool.\n"
	    " check_apppool -f applicationHost.config --kernel-mode=required \\\n"
	    "     --domain-map=CONTOSO=contoso.com --optional-pool=CRMDeploymentServiceAppPool\n"
	    "    A web farm front end: kernel-mode authentication must stay on.\n"
	    " check_apppool --crm-host crmfe01.contoso.com --smb-auth-file /etc/crmsec/smb.auth\n"
	    "    The server's applicationHost.config, read over SMB (C$).\n",
	.shortopts = "f:p:s:H:",
	.longopts = longopts,
	.group_shortopts = cs_smb_shortopts,
	.group_longopts = cs_smb_longopts,
	.group_title = CS_SMB_HELP_TITLE,
	.group_options = cs_smb_help,
	.option = handle_option,
};

/* The pools to check: -p's (or the two defaults), then the optional ones
 * not named yet; each optional pool is marked. */
static void
pool_list(struct config *cfg)
{
	static const char *const defaults[] = { APPPOOL_CRM,
		APPPOOL_DEPLOYMENT };
	struct apppool_opts *r = &cfg->rules;
	struct cs_error err = { 0 };

	if (cfg->nnamed == 0)
		for (size_t i = 0; i < 2; i++)
			cfg->named[cfg->nnamed++] = defaults[i];
	for (size_t i = 0; i < cfg->nnamed; i++)
		(void)add_name(r->pools, &r->npools, cfg->named[i], "", &err);
	for (size_t i = 0; i < cfg->noptional; i++)
		(void)add_name(r->pools, &r->npools, cfg->optional[i], "", &err);
	for (size_t i = 0; i < r->npools; i++)
		for (size_t j = 0; j < cfg->noptional; j++)
			if (strcasecmp(r->pools[i], cfg->optional[j]) == 0)
				r->optional[i] = true;
	if (r->nallow == 0) {
		r->allow[r->nallow++] = "/";
		r->allow[r->nallow++] = "/Help";
		r->allow[r->nallow++] = "/XRMDeployment";
	}
}

/* ---- report ------------------------------------------------------------ */

static void
summarise(struct cs_check *c, const struct apppool_result *res)
{
	size_t crit = cs_check_count(c, CS_CRITICAL);
	size_t warn = cs_check_count(c, CS_WARNING);
	size_t unk = cs_check_count(c, CS_UNKNOWN);
	char rules[256] = "";
	size_t used = 0;

	if (crit + warn + unk == 1) {
		for (size_t i = 0; i < c->nfindings; i++)
			if (c->findings[i].state != CS_OK)
				cs_check_summary(c, "%s", c->findings[i].text);
		return;
	}
	if (crit + warn + unk == 0) {
		bool unused = res->kernel == NULL ||
		    strcmp(res->kernel, "not used") == 0;

		cs_check_summary(c, "%zu pool%s on domain accounts, %zu "
		    "application%s, none foreign; site '%s': %s%s", res->pools,
		    res->pools == 1 ? "" : "s", res->applications,
		    res->applications == 1 ? "" : "s",
		    res->site ? res->site : "?", unused ? "Windows "
		    "authentication off" : "kernel-mode authentication ",
		    unused ? "" : res->kernel);
		return;
	}
	/* the rule ids that fired, worst first, each once */
	for (int rank = 3; rank >= 1; rank--) {
		for (size_t i = 0; i < c->nfindings; i++) {
			const struct cs_finding *f = &c->findings[i];

			if (cs_state_rank(f->state) != rank || f->rule == NULL ||
			    strstr(rules, f->rule) != NULL)
				continue;
			used += (size_t)snprintf(rules + used,
			    used < sizeof(rules) ? sizeof(rules) - used : 0,
			    "%s%s", used ? ", " : "", f->rule);
			if (used >= sizeof(rules))
				used = sizeof(rules) - 1;
		}
	}
	if (unk > 0)
		cs_check_summary(c, "%zu critical, %zu warning, %zu unknown: %s",
		    crit, warn, unk, rules);
	else
		cs_check_summary(c, "%zu critical, %zu warning: %s", crit, warn,
		    rules);
}

static void
add_perfdata(struct cs_check *c, const struct apppool_result *res)
{
	cs_check_perf(c, "pools", (double)res->pools, NULL, NULL, 0, NAN);
	cs_check_perf(c, "applications", (double)res->applications, NULL,
	    NULL, 0, NAN);
	cs_check_perf(c, "foreign_apps", res->site_known ?
	    (double)res->foreign : NAN, NULL, NULL, 0, NAN);
	cs_check_perf(c, "builtin_identities", (double)res->builtin, NULL,
	    NULL, 0, NAN);
}

int
main(int argc, char **argv)
{
	struct config cfg = { .max_bytes = CS_XML_MAX_BYTES };
	struct apppool_result res;
	struct cs_error err = { 0 };
	struct cs_apphost *h = NULL;
	struct cs_runtime rt;
	struct cs_check *c;
	int rc;

	cs_cli_parse(&plugin, &cfg, &rt, argc, argv);
	if (cs_smb_validate(&cfg.smb, &err) != 0)
		cs_usage_error(&rt, "%s", err.msg);
	cs_smb_setup(&cfg.smb, rt.timeout, rt.verbose);
	if (cfg.file == NULL && cfg.smb.crm_host != NULL) {
		if ((cfg.crm_path = cs_smb_location(&cfg.smb,
		    CS_SMB_APPHOST)) == NULL)
			cs_die(&rt, CS_UNKNOWN, "out of memory");
		cfg.file = cfg.crm_path;
	}
	if (cfg.file == NULL)
		cs_usage_error(&rt, "no applicationHost.config: give "
		    "-f/--config or --crm-host");
	pool_list(&cfg);

	cs_log(1, "reading %s", cfg.file);
	if (cs_apphost_load(cfg.file, cfg.max_bytes, &h, &err) != 0)
		cs_die(&rt, cs_error_state(err.code), "%s", err.msg);
	cs_log(2, "%zu application pools, %zu sites", h->npools, h->nsites);

	c = cs_check_for(&rt);
	apppool_evaluate(h, &cfg.rules, c, &res);
	summarise(c, &res);
	add_perfdata(c, &res);
	cs_apphost_free(h);
	rc = cs_finish(&rt, c);
	free(cfg.crm_path);
	cs_runtime_free(&rt);
	xmlCleanupParser();
	return rc;
}
