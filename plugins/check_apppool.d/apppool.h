/*
 * check_apppool's rules: the identities of the Dynamics 365 application
 * pools, the applications running in them and the site's kernel-mode
 * authentication, judged from the applicationHost.config model
 * (common/apphost.h). Evaluation is a pure function of the model and the
 * options: it adds findings, long-output notes and JSON data to a check.
 */
#ifndef APPPOOL_H
#define APPPOOL_H

#include <stdbool.h>
#include <stddef.h>

#include "apphost.h"
#include "check.h"

#define APPPOOL_MAX 32          /* entries of each repeatable option */
#define APPPOOL_NAME_MAX 256

/* The pools Dynamics 365 Server Setup creates. */
#define APPPOOL_CRM "CRMAppPool"
#define APPPOOL_DEPLOYMENT "CRMDeploymentServiceAppPool"

/* --kernel-mode */
enum apppool_kernel {
	APPPOOL_KERNEL_ANY,
	APPPOOL_KERNEL_REQUIRED,
	APPPOOL_KERNEL_FORBIDDEN,
};

/* Rule ids. */
enum apppool_rule {
	APPPOOL_R_BUILTIN_IDENTITY,
	APPPOOL_R_NOT_DOMAIN_ACCOUNT,
	APPPOOL_R_SHARED_IDENTITY,
	APPPOOL_R_FOREIGN_APP,
	APPPOOL_R_KERNEL_MODE,
	APPPOOL_R_POOL_MISSING,
	APPPOOL_R_SITE,             /* the Dynamics site is unknown */
	APPPOOL_R_COUNT,
};

/* --domain-map NETBIOS=dns.name */
struct apppool_domain {
	char netbios[APPPOOL_NAME_MAX];
	char dns[APPPOOL_NAME_MAX];
};

struct apppool_opts {
	const char *pools[APPPOOL_MAX]; /* the pools to check, in order */
	bool optional[APPPOOL_MAX];     /* absence is not pool-missing */
	size_t npools;
	const char *site;               /* -s; NULL: detect */
	const char *allow[APPPOOL_MAX]; /* allowed applications of the site */
	size_t nallow;
	enum apppool_kernel kernel;
	struct apppool_domain domains[APPPOOL_MAX];
	size_t ndomains;
	const char *hostname;           /* -H: the server's own name, or NULL */
};

/* What the report needs besides the findings. */
struct apppool_result {
	size_t pools;          /* checked pools that exist */
	size_t applications;   /* applications (any site) in those pools */
	size_t foreign;        /* foreign-app findings */
	bool site_known;       /* false: foreign apps were not judged */
	size_t builtin;        /* pools running as a built-in identity */
	const char *site;      /* the Dynamics site's name (owned by the
	                          model), or NULL */
	const char *kernel;    /* "on", "off", "mixed", "not used" or NULL */
};

/* How an account name reads. */
enum apppool_account {
	APPPOOL_ACCT_DOMAIN,    /* DOMAIN\user */
	APPPOOL_ACCT_UPN,       /* user@dns.domain */
	APPPOOL_ACCT_EMPTY,     /* no userName at all */
	APPPOOL_ACCT_LOCAL,     /* .\user or a bare name */
	APPPOOL_ACCT_HOST,      /* HOST\user with the server's own name */
	APPPOOL_ACCT_MANAGED,   /* ends in $: gMSA, sMSA or computer */
	APPPOOL_ACCT_WELLKNOWN, /* NT AUTHORITY\..., BUILTIN\..., ... */
	APPPOOL_ACCT_SYSTEM,    /* NT AUTHORITY\SYSTEM */
	APPPOOL_ACCT_MALFORMED, /* DOMAIN\ or @dns or a\b\c */
};

/* "builtin-identity", ...; NULL for an out-of-range RULE. */
const char *apppool_rule_name(int rule);

/* Classifies USER (a userName). HOSTNAME (NetBIOS or FQDN) may be NULL. */
enum apppool_account apppool_account_kind(const char *user,
    const char *hostname);

/*
 * The form in which two account names compare: "user@dns" (lower case) for
 * a UPN and for DOMAIN\user whose DOMAIN O maps (--domain-map), else the
 * name as written in lower case. Returns a string the caller frees, or NULL
 * when out of memory.
 */
char *apppool_account_key(const char *user, const struct apppool_opts *o);

/* Parses --kernel-mode. Returns 0 or -1. */
int apppool_kernel_parse(const char *s, enum apppool_kernel *out);

/* Parses "NETBIOS=dns.name" into *OUT. Returns 0 or -1. */
int apppool_domain_parse(const char *s, struct apppool_domain *out);

/* An application path as --allow-app means it: "/Help/" and "Help" are
 * "/Help", "" is "/". Writes at most LEN bytes to BUF. */
void apppool_app_path(const char *path, char *buf, size_t len);

/*
 * Judges H with O into C: one finding per rule broken, long-output notes
 * per pool and per path of the site, and the JSON data (pools, site).
 * Fills *RES for the summary and the perfdata.
 */
void apppool_evaluate(const struct cs_apphost *h,
    const struct apppool_opts *o, struct cs_check *c,
    struct apppool_result *res);

#endif
