/*
 * check_svcaccount's rules, as data and pure functions: the Dynamics 365
 * roles and the domain groups each needs, the well-known privileged SIDs,
 * SIDs in binary and string form, FILETIME arithmetic (password expiry,
 * lockout), distinguished-name helpers, the memberOf graph that explains
 * a membership, the CRM group discovery, and the evaluation of one account
 * gathered from AD (struct svc_account) into findings. No directory
 * needed: the unit tests build a struct svc_account by hand.
 */
#ifndef SVCACCOUNT_H
#define SVCACCOUNT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "check.h"
#include "error.h"
#include "range.h"

/* ---- groups and roles ------------------------------------------------- */

/* The domain groups a role may need (DOMAIN.md section 1). */
enum svc_group_kind {
	SVC_G_DOMAIN_USERS,
	SVC_G_PRIV_USER,     /* PrivUserGroup {GUID} */
	SVC_G_SQL_ACCESS,    /* SQLAccessGroup {GUID} */
	SVC_G_REPORTING,     /* ReportingGroup {GUID}: all Dynamics users */
	SVC_G_COUNT,
};
#define SVC_NEED(k) (1u << (k))

/* The CRM groups: name prefix (discovery) and the option naming the DN. */
struct svc_crm_kind {
	const char *prefix;   /* "PrivUserGroup {" */
	const char *label;    /* "PrivUserGroup {...}" for messages */
	const char *option;   /* "--priv-user-group" */
	const char *key;      /* JSON member: "priv_user_group" */
};
/* Indexed by enum svc_group_kind; the SVC_G_DOMAIN_USERS row is empty. */
extern const struct svc_crm_kind svc_crm_kinds[SVC_G_COUNT];

/* The local groups of the Dynamics servers a role may need (DOMAIN.md
 * section 1), read over SAMR with --server. */
enum svc_local_kind {
	SVC_L_PERF_LOG_USERS,   /* BUILTIN\Performance Log Users */
	SVC_L_CRM_WPG,          /* <server>\CRM_WPG, made by Dynamics Setup */
	SVC_L_ADMINISTRATORS,   /* BUILTIN\Administrators */
	SVC_L_BACKUP_OPERATORS, /* BUILTIN\Backup Operators */
	SVC_L_COUNT,
};
#define SVC_LOCAL(k) (1u << (k))

struct svc_local_group {
	const char *name;     /* English name, also for messages */
	uint32_t rid;         /* the BUILTIN alias RID (any language); 0: a
	                       * local group found by name */
};
/* Indexed by enum svc_local_kind. */
extern const struct svc_local_group svc_local_groups[SVC_L_COUNT];

struct svc_role {
	const char *id;       /* -r value: "app" */
	const char *service;  /* "Application Service (CRMAppPool)" */
	unsigned needs;       /* SVC_NEED() bits: required domain groups */
	const char *local;    /* local groups on its host: not in AD */
	unsigned local_needs; /* SVC_LOCAL() bits: what --server checks */
};
#define SVC_ROLE_COUNT 6
/* The role table, in the order of the documentation. */
extern const struct svc_role svc_roles[SVC_ROLE_COUNT];

/*
 * Adds the roles of LIST ("app,async", any case, spaces allowed around
 * commas) to the bit set *SET (bit i = svc_roles[i]). Returns 0, or
 * CS_ERR_USAGE with ERR naming the unknown role and the known ones.
 */
int svc_roles_parse(const char *list, unsigned *set, struct cs_error *err);

/* The SVC_NEED() bits the roles of SET need together. */
unsigned svc_roles_needs(unsigned set);

/* The kind of CRM group NAME is by its prefix (case-insensitive), or -1. */
int svc_crm_kind_of(const char *name);

/* ---- SIDs ------------------------------------------------------------- */

#define SVC_SID_MAX_SUB 15
#define SVC_SID_STR_MAX 192  /* "S-1-" + 15 * "-4294967295" and more */

struct svc_sid {
	uint8_t revision;
	uint8_t nsub;
	uint64_t authority;  /* 48 bits */
	uint32_t sub[SVC_SID_MAX_SUB];
};

/* The binary form (objectSid, tokenGroups): 0, or CS_ERR_PARSE when LEN
 * does not match the sub-authority count or the revision is not 1. */
int svc_sid_from_bin(const void *p, size_t len, struct svc_sid *out);

/* Writes the binary form into BUF (8 + 4 * nsub bytes); returns the
 * length, or 0 when BUF is too small. */
size_t svc_sid_to_bin(const struct svc_sid *s, unsigned char *buf,
    size_t len);

/* "S-1-5-21-1-2-3-512" into BUF (SVC_SID_STR_MAX is always enough). */
void svc_sid_to_string(const struct svc_sid *s, char *buf, size_t len);

/* Parses "S-1-5-32-544": 0 or CS_ERR_PARSE. */
int svc_sid_parse(const char *str, struct svc_sid *out);

bool svc_sid_equal(const struct svc_sid *a, const struct svc_sid *b);

/* S-1-5-21-x-y-z: the SID of a domain (not of an account in it). */
bool svc_sid_is_domain(const struct svc_sid *s);

/* The domain part and the RID of an account or group SID of a domain
 * (S-1-5-21-x-y-z-RID); false for other SIDs. */
bool svc_sid_split(const struct svc_sid *s, struct svc_sid *domain,
    uint32_t *rid);

/* DOMAIN + RID. */
void svc_sid_compose(const struct svc_sid *domain, uint32_t rid,
    struct svc_sid *out);

/* The binary SID escaped for an LDAP filter value ("\01\05..."); NULL when
 * out of memory. The caller frees. */
char *svc_sid_filter_value(const struct svc_sid *s);

/* ---- privileged groups (DOMAIN.md section 4) -------------------------- */

enum svc_scope {
	SVC_SCOPE_BUILTIN,   /* S-1-5-32-RID */
	SVC_SCOPE_DOMAIN,    /* the account's domain SID + RID */
	SVC_SCOPE_FOREST,    /* the forest root domain's SID + RID */
};

struct svc_priv {
	enum svc_scope scope;
	uint32_t rid;
	const char *name;    /* English name, for when AD's is unknown */
	bool account;        /* an account (RID 500), not a group */
};
/* The well-known privileged SIDs; the last row has name NULL. */
extern const struct svc_priv svc_privileged[];

/*
 * The row of svc_privileged that SID is, or NULL. DOMAIN is the account's
 * domain SID and ROOT the forest root domain's; either may be NULL when
 * unknown, and then any domain SID matches that scope's RIDs (RIDs below
 * 1000 are reserved for these well-known accounts and groups, so this
 * errs only towards reporting).
 */
const struct svc_priv *svc_priv_match(const struct svc_sid *sid,
    const struct svc_sid *domain, const struct svc_sid *root);

/* ---- FILETIME --------------------------------------------------------- */

/* 100 ns intervals since 1601-01-01 UTC. */
#define SVC_FT_NEVER INT64_MAX              /* 0x7FFFFFFFFFFFFFFF */
#define SVC_FT_PER_SEC 10000000LL
#define SVC_FT_UNIX_EPOCH 116444736000000000LL

int64_t svc_filetime_from_unix(time_t t);
/* Seconds since 1970 (may be negative). */
double svc_filetime_to_unix(int64_t ft);

/*
 * An interval attribute (maxPwdAge, lockoutDuration, their PSO forms:
 * negative 100 ns counts) that means "no limit": 0 and INT64_MIN
 * (-9223372036854775808, 0x8000000000000000).
 */
bool svc_interval_unlimited(int64_t iv);

/* FT + |IV|, saturating at SVC_FT_NEVER. */
int64_t svc_filetime_add(int64_t ft, int64_t iv);

/* "2025-11-18 10:11 UTC" into BUF (at least 32 bytes); "never" for
 * SVC_FT_NEVER. */
void svc_filetime_format(int64_t ft, char *buf, size_t len);

/* "2025-11-18T10:11:42Z" (ISO 8601, for JSON) into BUF. */
void svc_filetime_iso(int64_t ft, char *buf, size_t len);

/* ---- distinguished names ---------------------------------------------- */

/* The domain naming context of DN: the suffix from its first "DC="
 * component, honouring escapes. Returns a new string or NULL (none, or out
 * of memory). */
char *svc_dn_domain(const char *dn);

/* The parent of DN (after the first unescaped ','), a new string, or NULL
 * when DN has one component or on out of memory. */
char *svc_dn_parent(const char *dn);

/* The value of DN's first component, unescaped ("svc-crm*)(cn=x" for
 * "CN=svc-crm*)(cn\3Dx,OU=..."); a new string or NULL. */
char *svc_dn_rdn_value(const char *dn);

/* ---- the membership graph (memberOf) ---------------------------------- */

struct svc_edge {
	size_t to;
	bool primary;        /* the primary group (primaryGroupID) */
};

struct svc_node {
	char *dn;
	char *name;          /* sAMAccountName, or NULL */
	bool have_sid;
	struct svc_sid sid;
	struct svc_edge *up; /* the groups this node is a direct member of */
	size_t nup, upcap;
	bool expanded;       /* its memberOf has been read */
};

struct svc_graph {
	struct svc_node *v;  /* v[0] is the account */
	size_t n, cap;
	bool truncated;      /* stopped at SVC_GRAPH_MAX nodes */
};
#define SVC_GRAPH_MAX 2000

/* The node of DN (case-insensitive), added when new (*ADDED true).
 * Returns 0, CS_ERR_TOO_LARGE (g->truncated set) or CS_ERR_NOMEM. */
int svc_graph_node(struct svc_graph *g, const char *dn, size_t *idx,
    bool *added);

/* FROM is a direct member of TO. 0 or CS_ERR_NOMEM; duplicates ignored. */
int svc_graph_edge(struct svc_graph *g, size_t from, size_t to,
    bool primary);

/* The node whose SID is SID, or -1. */
long svc_graph_find_sid(const struct svc_graph *g, const struct svc_sid *sid);

/*
 * A shortest membership path from node FROM up to node TO (breadth first;
 * cycles of nested groups are fine). Writes the node indices, FROM first
 * and TO last, into PATH (at most MAX) and their number into *LEN.
 * Returns 0, CS_ERR_NOT_FOUND, CS_ERR_TOO_LARGE or CS_ERR_NOMEM.
 */
int svc_graph_path(const struct svc_graph *g, size_t from, size_t to,
    size_t *path, size_t max, size_t *len);

/* "svc-crm -> CRM Admins -> Domain Admins" (with U+2192 arrows, and
 * " (primary group)" after a group reached through primaryGroupID); a new
 * string or NULL. */
char *svc_graph_path_text(const struct svc_graph *g, const size_t *path,
    size_t len);

void svc_graph_free(struct svc_graph *g);

/* ---- CRM group discovery ---------------------------------------------- */

struct svc_candidate {       /* a group found by name prefix */
	int kind;                /* enum svc_group_kind */
	const char *dn;
};

enum svc_crm_status {
	SVC_CRM_UNSET,           /* not looked for */
	SVC_CRM_FOUND,
	SVC_CRM_NONE,            /* nothing by that prefix */
	SVC_CRM_AMBIGUOUS,       /* several deployments or several groups */
	SVC_CRM_ERROR,           /* the search failed */
};

struct svc_pick {
	enum svc_crm_status status;
	size_t index;            /* into the candidates when FOUND */
	char why[512];           /* when NONE or AMBIGUOUS: what and what to do */
};

/*
 * Picks one group per CRM kind from the candidates found by name prefix:
 * a deployment is the container (OU) of its groups. Several containers:
 * every kind is AMBIGUOUS. One: per kind, one group is FOUND, none NONE,
 * two or more AMBIGUOUS. WHERE ("in DC=contoso,DC=test") ends the
 * sentences in out[].why. Only the CRM kinds (not SVC_G_DOMAIN_USERS) are
 * set.
 */
void svc_crm_pick(const struct svc_candidate *c, size_t n, const char *where,
    struct svc_pick out[SVC_G_COUNT]);

/* ---- SPNs --------------------------------------------------------------- */

/* Service classes of Dynamics 365 itself (case-insensitive); the last
 * row is NULL. */
extern const char *const svc_dynamics_spn_classes[];

/* True when SPN's service class is one of Dynamics'. */
bool svc_spn_is_dynamics(const char *spn);

/* ---- the account ---------------------------------------------------------- */

enum svc_kind {
	SVC_KIND_USER,
	SVC_KIND_COMPUTER,
	SVC_KIND_MSA,        /* msDS-ManagedServiceAccount */
	SVC_KIND_GMSA,       /* msDS-GroupManagedServiceAccount */
	SVC_KIND_OTHER,      /* not an account at all (group, contact ...) */
};

/* Kind of an object from its objectClass values (NULL-terminated). */
enum svc_kind svc_kind_of(const char *const *classes);

/* userAccountControl bits used here. */
#define SVC_UF_ACCOUNTDISABLE 0x2u
#define SVC_UF_LOCKOUT 0x10u
#define SVC_UF_DONT_EXPIRE_PASSWD 0x10000u
#define SVC_UF_TRUSTED_FOR_DELEGATION 0x80000u
#define SVC_UF_PASSWORD_EXPIRED 0x800000u

#define SVC_RID_ADMINISTRATOR 500u
#define SVC_RID_DOMAIN_USERS 513u

struct svc_group {           /* a SID of the token, with its name */
	struct svc_sid sid;
	char *name;              /* NULL: not resolved */
	char *dn;
};

struct svc_crm {             /* a CRM group a rule needs */
	enum svc_crm_status status;
	const char *source;      /* "--priv-user-group", "--crm-groups-ou", ... */
	char *dn;
	char *name;
	bool have_sid;
	struct svc_sid sid;
	char *reason;            /* why not FOUND */
};

struct svc_account {
	char *dn;
	char *name;              /* "DOMAIN\sam" */
	char *display;           /* "DOMAIN\sam (DN)" */
	char *sam;
	enum svc_kind kind;
	bool have_sid;
	struct svc_sid sid;
	bool have_uac, have_uac_computed;
	uint32_t uac, uac_computed;
	bool have_lockout_time, have_pwd_last_set, have_expiry_computed;
	int64_t lockout_time, pwd_last_set, expiry_computed;
	bool have_primary_group;
	uint32_t primary_group;
	long admin_count;
	char *pso_dn;            /* msDS-ResultantPSO, or NULL */
	bool have_pso_max_age, have_pso_lockout;
	int64_t pso_max_age, pso_lockout;
	char **spns;
	size_t nspns;
	/* tokenGroups (read with a base-scope search) */
	bool token_read;
	struct svc_group *token;
	size_t ntoken;
	/* the domain and the forest root */
	bool have_domain_sid, have_root_sid;
	struct svc_sid domain_sid, root_sid;
	bool have_max_pwd_age, have_lockout_duration;
	int64_t max_pwd_age, lockout_duration;
	/* memberOf, walked for the membership paths */
	struct svc_graph graph;
	bool graph_read;
	/* CRM groups, indexed by enum svc_group_kind */
	struct svc_crm crm[SVC_G_COUNT];
	int64_t now;             /* FILETIME of the check */
};

void svc_account_free(struct svc_account *a);

/* ---- local groups on the Dynamics servers (--server) ------------------- */

#define SVC_LOCAL_MAX 24      /* required groups per check */
#define SVC_HOSTS_MAX 16      /* --server */

struct svc_local_req {        /* one local group every host must grant */
	const char *name;
	uint32_t rid;         /* BUILTIN RID, or 0: by name */
	char why[128];        /* "app, async", "monitoring (--front-end)",
	                       * "--local-group" */
};

/*
 * The local groups that ROLES need (the role table's local_needs, plus
 * Administrators for monitoring when FRONT_END), then the NEXTRA names of
 * --local-group (one naming a group of the table, in any case, joins its
 * row). Writes at most MAX rows to OUT, each group once, in table order;
 * returns their number.
 */
size_t svc_local_requirements(unsigned roles, bool front_end,
    const char *const *extra, size_t nextra, struct svc_local_req *out,
    size_t max);

enum svc_via {
	SVC_VIA_NONE,
	SVC_VIA_ACCOUNT,      /* the account's own SID is a member */
	SVC_VIA_GROUP,        /* a SID of its tokenGroups (a domain group) */
	SVC_VIA_WELL_KNOWN,   /* Everyone or Authenticated Users */
};

struct svc_match {
	enum svc_via via;
	const struct svc_group *group;  /* SVC_VIA_GROUP */
	const char *well_known;         /* SVC_VIA_WELL_KNOWN: its name */
};

/*
 * Whether A is an effective member of a local group with the N member
 * SIDs in MEMBERS: its own SID first, then every SID of its token, then
 * the well-known groups every network or service logon of a domain
 * account holds (S-1-1-0 Everyone, S-1-5-11 Authenticated Users).
 * Returns M->via.
 */
enum svc_via svc_local_match(const struct svc_account *a,
    const struct svc_sid *members, size_t n, struct svc_match *m);

struct svc_host_group {       /* one required group on one host */
	int rc;               /* 0 read; CS_ERR_NOT_FOUND no such group; other */
	char *error;          /* when rc != 0 */
	char *domain;         /* where found: "BUILTIN", "CRMFE01" */
	struct svc_sid *members;
	size_t nmembers;
};

struct svc_host {             /* one --server */
	const char *name;
	int rc;               /* the host as a whole (connect, logon ...) */
	char *error;
	struct svc_host_group *g; /* one per requirement when rc == 0 */
	size_t ng;
};

void svc_hosts_free(struct svc_host *h, size_t n);

/* ---- password expiry and lockout ---------------------------------------- */

enum svc_pwd_state {
	SVC_PWD_EXPIRES,         /* at .expires */
	SVC_PWD_NEVER,
	SVC_PWD_MUST_CHANGE,     /* pwdLastSet 0: expired now */
	SVC_PWD_UNKNOWN,
};

struct svc_pwd {
	enum svc_pwd_state state;
	int64_t expires;         /* FILETIME when SVC_PWD_EXPIRES */
	const char *how;         /* the source, or why never / unknown */
};

/*
 * When A's password expires: msDS-UserPasswordExpiryTimeComputed when the
 * server gave it (0x7FFFFFFFFFFFFFFF never; 0 with pwdLastSet 0: must
 * change), else pwdLastSet + the maximum age of the fine-grained policy
 * that applies (msDS-ResultantPSO; unreadable: UNKNOWN) or of the domain
 * (maxPwdAge; 0 and INT64_MIN: never). userAccountControl 0x10000: never.
 */
void svc_password_expiry(const struct svc_account *a, struct svc_pwd *out);

enum svc_lock_state {
	SVC_LOCK_NO,
	SVC_LOCK_YES,
	SVC_LOCK_UNKNOWN,
};

/*
 * Whether A is locked out now: msDS-User-Account-Control-Computed bit 0x10
 * when the server gave it, else lockoutTime against the effective lockout
 * duration (the PSO's, else the domain's lockoutDuration; 0 and INT64_MIN
 * mean "until an administrator unlocks it", MS-ADTS 3.1.1.4.5.17). *UNTIL
 * is the FILETIME the lockout ends (SVC_FT_NEVER: until unlocked; 0: not
 * known). *HOW says what was used.
 */
enum svc_lock_state svc_lockout(const struct svc_account *a, int64_t *until,
    const char **how);

/* Days from NOW to EXPIRES, rounded down to 1/100 day (negative: past). */
double svc_days_between(int64_t now, int64_t expires);

/* ---- evaluation ------------------------------------------------------------- */

struct svc_opts {
	unsigned roles;              /* bit set of svc_roles */
	struct cs_thresholds th;     /* days to password expiry */
	/* --server: the required local groups and what each host said */
	const struct svc_local_req *req;
	size_t nreq;
	const struct svc_host *hosts;
	size_t nhosts;
};

/*
 * Adds to C a finding per rule (rule ids: not-user, disabled, locked,
 * password-expiry, privileged, stale-admincount, domain-users, role-group,
 * crm-user, shared-account, delegation, and local-group with hosts), the
 * long-output notes, the perfdata days_to_expiry, groups and
 * privileged_groups (and local_groups_missing with hosts), the JSON data
 * "account", and the summary. Pure: reads A and O only. Data that A lacks
 * makes the rules that need it UNKNOWN, never OK.
 */
void svc_evaluate(const struct svc_account *a, const struct svc_opts *o,
    struct cs_check *c);

#endif
