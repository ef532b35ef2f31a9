#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "output.h"
#include "svcaccount.h"

/* ---- groups and roles ------------------------------------------------- */

const struct svc_crm_kind svc_crm_kinds[SVC_G_COUNT] = {
	[SVC_G_DOMAIN_USERS] = { NULL, "Domain Users", NULL, "domain_users" },
	[SVC_G_PRIV_USER] = { "PrivUserGroup {", "PrivUserGroup {...}",
	    "--priv-user-group", "priv_user_group" },
	[SVC_G_SQL_ACCESS] = { "SQLAccessGroup {", "SQLAccessGroup {...}",
	    "--sql-access-group", "sql_access_group" },
	[SVC_G_REPORTING] = { "ReportingGroup {", "ReportingGroup {...}",
	    "--reporting-group", "reporting_group" },
};

#define DU SVC_NEED(SVC_G_DOMAIN_USERS)
#define PRIV SVC_NEED(SVC_G_PRIV_USER)
#define SQL SVC_NEED(SVC_G_SQL_ACCESS)

#define PLU SVC_LOCAL(SVC_L_PERF_LOG_USERS)
#define WPG SVC_LOCAL(SVC_L_CRM_WPG)
#define ADM SVC_LOCAL(SVC_L_ADMINISTRATORS)
#define BKO SVC_LOCAL(SVC_L_BACKUP_OPERATORS)

const struct svc_local_group svc_local_groups[SVC_L_COUNT] = {
	[SVC_L_PERF_LOG_USERS] = { "Performance Log Users", 0x22f },
	[SVC_L_CRM_WPG] = { "CRM_WPG", 0 },
	[SVC_L_ADMINISTRATORS] = { "Administrators", 0x220 },
	[SVC_L_BACKUP_OPERATORS] = { "Backup Operators", 0x227 },
};

/* DOMAIN.md section 1 and Microsoft's minimum permissions guide. The
 * local groups --server checks: app Performance Log Users and CRM_WPG;
 * deployment Administrators and CRM_WPG; async and sandbox Performance
 * Log Users; vss Backup Operators; monitoring none (Administrators with
 * --front-end). */
const struct svc_role svc_roles[SVC_ROLE_COUNT] = {
	{ "app", "Application Service (CRMAppPool)", DU | PRIV | SQL,
	    "Performance Log Users and CRM_WPG, newer documentation also the "
	    "local Administrators", PLU | WPG },
	{ "deployment", "Deployment Web Service (CRMDeploymentServiceAppPool)",
	    DU | PRIV | SQL,
	    "the local Administrators on its server and on the SQL Server, "
	    "CRM_WPG and the SQL Server sysadmin role", ADM | WPG },
	{ "async", "Asynchronous Processing Service", DU | PRIV | SQL,
	    "Performance Log Users", PLU },
	{ "sandbox", "Sandbox Processing Service", DU,
	    "Performance Log Users", PLU },
	{ "vss", "VSS Writer Service", DU | PRIV | SQL,
	    "Backup Operators on its server", BKO },
	{ "monitoring", "Monitoring Service", DU | SQL,
	    "the local Administrators on a Front End server", 0 },
};

#undef PLU
#undef WPG
#undef ADM
#undef BKO
#undef DU
#undef PRIV
#undef SQL

int
svc_roles_parse(const char *list, unsigned *set, struct cs_error *err)
{
	const char *p = list;

	for (;;) {
		const char *start, *end;
		size_t len, i;

		while (*p == ' ')
			p++;
		start = p;
		p += strcspn(p, ",");
		end = p;
		while (end > start && end[-1] == ' ')
			end--;
		len = (size_t)(end - start);
		for (i = 0; i < SVC_ROLE_COUNT; i++)
			if (strlen(svc_roles[i].id) == len &&
			    strncasecmp(svc_roles[i].id, start, len) == 0)
				break;
		if (i == SVC_ROLE_COUNT)
			return cs_error_set(err, CS_ERR_USAGE,
			    "--role: %s '%.*s': say app, deployment, async, "
			    "sandbox, vss or monitoring", len ? "unknown role" :
			    "empty role in", len ? (int)len : (int)strlen(list),
			    len ? start : list);
		*set |= 1u << i;
		if (*p == '\0')
			return 0;
		p++;	/* ',' */
	}
}

unsigned
svc_roles_needs(unsigned set)
{
	unsigned needs = 0;

	for (size_t i = 0; i < SVC_ROLE_COUNT; i++)
		if (set & (1u << i))
			needs |= svc_roles[i].needs;
	return needs;
}

int
svc_crm_kind_of(const char *name)
{
	for (int k = 0; k < SVC_G_COUNT; k++) {
		const char *pre = svc_crm_kinds[k].prefix;

		if (pre != NULL && strncasecmp(name, pre, strlen(pre)) == 0)
			return k;
	}
	return -1;
}

/* ---- SIDs ------------------------------------------------------------- */

int
svc_sid_from_bin(const void *p, size_t len, struct svc_sid *out)
{
	const unsigned char *b = p;

	memset(out, 0, sizeof(*out));
	if (len < 8 || b[0] != 1 || b[1] > SVC_SID_MAX_SUB ||
	    len != 8 + 4 * (size_t)b[1])
		return CS_ERR_PARSE;
	out->revision = b[0];
	out->nsub = b[1];
	for (int i = 0; i < 6; i++)
		out->authority = (out->authority << 8) | b[2 + i];
	for (int i = 0; i < out->nsub; i++) {
		const unsigned char *q = b + 8 + 4 * i;

		out->sub[i] = (uint32_t)q[0] | (uint32_t)q[1] << 8 |
		    (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24;
	}
	return 0;
}

size_t
svc_sid_to_bin(const struct svc_sid *s, unsigned char *buf, size_t len)
{
	size_t need = 8 + 4 * (size_t)s->nsub;

	if (len < need || s->nsub > SVC_SID_MAX_SUB)
		return 0;
	buf[0] = s->revision;
	buf[1] = s->nsub;
	for (int i = 0; i < 6; i++)
		buf[2 + i] = (unsigned char)(s->authority >> (8 * (5 - i)));
	for (int i = 0; i < s->nsub; i++) {
		unsigned char *q = buf + 8 + 4 * i;

		q[0] = (unsigned char)s->sub[i];
		q[1] = (unsigned char)(s->sub[i] >> 8);
		q[2] = (unsigned char)(s->sub[i] >> 16);
		q[3] = (unsigned char)(s->sub[i] >> 24);
	}
	return need;
}

void
svc_sid_to_string(const struct svc_sid *s, char *buf, size_t len)
{
	size_t used;

	/* MS-DTYP 2.4.2.1: the authority in hex when it needs 48 bits */
	if (s->authority < (1ULL << 32))
		used = (size_t)snprintf(buf, len, "S-%u-%" PRIu64,
		    (unsigned)s->revision, s->authority);
	else
		used = (size_t)snprintf(buf, len, "S-%u-0x%012" PRIX64,
		    (unsigned)s->revision, s->authority);
	for (int i = 0; i < s->nsub && i < SVC_SID_MAX_SUB && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "-%" PRIu32,
		    s->sub[i]);
}

/* A decimal (or 0x hex) number at *P up to MAX; advances *P. */
static int
parse_num(const char **p, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;
	int base = 10;

	if (!isdigit((unsigned char)**p))
		return -1;
	if ((*p)[0] == '0' && ((*p)[1] == 'x' || (*p)[1] == 'X'))
		base = 16;
	errno = 0;
	v = strtoull(*p, &end, base);
	if (errno != 0 || end == *p || v > max)
		return -1;
	*p = end;
	*out = v;
	return 0;
}

int
svc_sid_parse(const char *str, struct svc_sid *out)
{
	const char *p = str;
	uint64_t v;

	memset(out, 0, sizeof(*out));
	if ((p[0] != 'S' && p[0] != 's') || p[1] != '-')
		return CS_ERR_PARSE;
	p += 2;
	if (parse_num(&p, 1, &v) != 0 || v != 1 || *p++ != '-')
		return CS_ERR_PARSE;
	out->revision = 1;
	if (parse_num(&p, (1ULL << 48) - 1, &out->authority) != 0)
		return CS_ERR_PARSE;
	while (*p == '-') {
		p++;
		if (out->nsub == SVC_SID_MAX_SUB ||
		    parse_num(&p, UINT32_MAX, &v) != 0)
			return CS_ERR_PARSE;
		out->sub[out->nsub++] = (uint32_t)v;
	}
	return *p == '\0' ? 0 : CS_ERR_PARSE;
}

bool
svc_sid_equal(const struct svc_sid *a, const struct svc_sid *b)
{
	if (a->revision != b->revision || a->nsub != b->nsub ||
	    a->authority != b->authority)
		return false;
	for (int i = 0; i < a->nsub; i++)
		if (a->sub[i] != b->sub[i])
			return false;
	return true;
}

bool
svc_sid_is_domain(const struct svc_sid *s)
{
	return s->revision == 1 && s->authority == 5 && s->nsub == 4 &&
	    s->sub[0] == 21;
}

bool
svc_sid_split(const struct svc_sid *s, struct svc_sid *domain, uint32_t *rid)
{
	struct svc_sid d;

	if (s->revision != 1 || s->authority != 5 || s->nsub != 5 ||
	    s->sub[0] != 21)
		return false;
	d = *s;
	d.nsub = 4;
	d.sub[4] = 0;
	if (domain != NULL)
		*domain = d;
	if (rid != NULL)
		*rid = s->sub[4];
	return true;
}

void
svc_sid_compose(const struct svc_sid *domain, uint32_t rid,
    struct svc_sid *out)
{
	*out = *domain;
	if (out->nsub < SVC_SID_MAX_SUB)
		out->sub[out->nsub++] = rid;
}

char *
svc_sid_filter_value(const struct svc_sid *s)
{
	unsigned char bin[8 + 4 * SVC_SID_MAX_SUB];
	size_t n = svc_sid_to_bin(s, bin, sizeof(bin));
	char *out = malloc(3 * n + 1);

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		snprintf(out + 3 * i, 4, "\\%02x", bin[i]);
	out[3 * n] = '\0';
	return out;
}

/* ---- privileged groups -------------------------------------------------- */

/* DOMAIN.md section 4: compared by SID, never by (localised) name. */
const struct svc_priv svc_privileged[] = {
	{ SVC_SCOPE_BUILTIN, 544, "Administrators", false },
	{ SVC_SCOPE_BUILTIN, 548, "Account Operators", false },
	{ SVC_SCOPE_BUILTIN, 549, "Server Operators", false },
	{ SVC_SCOPE_BUILTIN, 550, "Print Operators", false },
	{ SVC_SCOPE_BUILTIN, 551, "Backup Operators", false },
	{ SVC_SCOPE_BUILTIN, 552, "Replicator", false },
	{ SVC_SCOPE_BUILTIN, 569, "Cryptographic Operators", false },
	{ SVC_SCOPE_DOMAIN, 500, "Administrator", true },
	{ SVC_SCOPE_DOMAIN, 512, "Domain Admins", false },
	{ SVC_SCOPE_DOMAIN, 517, "Cert Publishers", false },
	{ SVC_SCOPE_FOREST, 518, "Schema Admins", false },
	{ SVC_SCOPE_FOREST, 519, "Enterprise Admins", false },
	{ SVC_SCOPE_DOMAIN, 520, "Group Policy Creator Owners", false },
	{ SVC_SCOPE_DOMAIN, 526, "Key Admins", false },
	{ SVC_SCOPE_FOREST, 527, "Enterprise Key Admins", false },
	{ SVC_SCOPE_BUILTIN, 0, NULL, false },
};

const struct svc_priv *
svc_priv_match(const struct svc_sid *sid, const struct svc_sid *domain,
    const struct svc_sid *root)
{
	struct svc_sid dom;
	uint32_t rid;
	bool builtin = sid->revision == 1 && sid->authority == 5 &&
	    sid->nsub == 2 && sid->sub[0] == 32;

	if (!builtin && !svc_sid_split(sid, &dom, &rid))
		return NULL;
	for (const struct svc_priv *p = svc_privileged; p->name; p++) {
		const struct svc_sid *want;

		if (builtin) {
			if (p->scope == SVC_SCOPE_BUILTIN && p->rid == sid->sub[1])
				return p;
			continue;
		}
		if (p->scope == SVC_SCOPE_BUILTIN || p->rid != rid)
			continue;
		want = p->scope == SVC_SCOPE_FOREST ? root : domain;
		if (want == NULL || svc_sid_equal(want, &dom))
			return p;
	}
	return NULL;
}

/* ---- FILETIME ------------------------------------------------------------ */

int64_t
svc_filetime_from_unix(time_t t)
{
	return (int64_t)t * SVC_FT_PER_SEC + SVC_FT_UNIX_EPOCH;
}

double
svc_filetime_to_unix(int64_t ft)
{
	return ((double)ft - (double)SVC_FT_UNIX_EPOCH) / (double)SVC_FT_PER_SEC;
}

bool
svc_interval_unlimited(int64_t iv)
{
	return iv == 0 || iv == INT64_MIN;
}

int64_t
svc_filetime_add(int64_t ft, int64_t iv)
{
	int64_t mag = iv == INT64_MIN ? INT64_MAX : iv < 0 ? -iv : iv;

	if (ft > INT64_MAX - mag)
		return SVC_FT_NEVER;
	return ft + mag;
}

void
svc_filetime_format(int64_t ft, char *buf, size_t len)
{
	time_t t;
	struct tm tm;

	if (ft == SVC_FT_NEVER) {
		snprintf(buf, len, "never");
		return;
	}
	t = (time_t)floor(svc_filetime_to_unix(ft));
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(buf, len, "FILETIME %" PRId64, ft);
}

void
svc_filetime_iso(int64_t ft, char *buf, size_t len)
{
	time_t t = (time_t)floor(svc_filetime_to_unix(ft));
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "FILETIME %" PRId64, ft);
}

double
svc_days_between(int64_t now, int64_t expires)
{
	const int64_t unit = 864LL * SVC_FT_PER_SEC;	/* 1/100 day */
	int64_t diff, q;

	if (now < 0 || expires < 0)	/* not FILETIMEs: no exact answer */
		return floor(((double)expires - (double)now) / (double)unit) /
		    100.0;
	diff = expires - now;	/* cannot overflow: both are >= 0 */
	q = diff / unit;
	if (diff % unit != 0 && diff < 0)
		q--;		/* round towards -infinity */
	return (double)q / 100.0;
}

/* ---- distinguished names --------------------------------------------------- */

/* The next unescaped ',' at or after P, or the end. */
static const char *
dn_next(const char *p)
{
	for (; *p; p++) {
		if (*p == '\\' && p[1] != '\0')
			p++;
		else if (*p == ',')
			return p;
	}
	return p;
}

char *
svc_dn_domain(const char *dn)
{
	const char *p = dn;

	while (*p) {
		while (*p == ' ')
			p++;
		if (strncasecmp(p, "DC=", 3) == 0)
			return strdup(p);
		p = dn_next(p);
		if (*p == ',')
			p++;
	}
	return NULL;
}

char *
svc_dn_parent(const char *dn)
{
	const char *p = dn_next(dn);

	if (*p != ',')
		return NULL;
	p++;
	while (*p == ' ')
		p++;
	return *p ? strdup(p) : NULL;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

char *
svc_dn_rdn_value(const char *dn)
{
	const char *eq = strchr(dn, '='), *end;
	char *out, *o;

	if (eq == NULL || (end = dn_next(dn)) < eq)
		return strdup(dn);
	if ((out = malloc((size_t)(end - eq))) == NULL)
		return NULL;
	o = out;
	for (const char *p = eq + 1; p < end; p++) {
		if (*p == '\\' && p + 1 < end) {
			if (p + 2 < end && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
				*o++ = (char)(hexval(p[1]) * 16 + hexval(p[2]));
				p += 2;
			} else {
				*o++ = *++p;
			}
			continue;
		}
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

/* ---- the membership graph ---------------------------------------------------- */

int
svc_graph_node(struct svc_graph *g, const char *dn, size_t *idx, bool *added)
{
	struct svc_node *v;

	if (added != NULL)
		*added = false;
	for (size_t i = 0; i < g->n; i++)
		if (strcasecmp(g->v[i].dn, dn) == 0) {
			*idx = i;
			return 0;
		}
	if (g->n >= SVC_GRAPH_MAX) {
		g->truncated = true;
		return CS_ERR_TOO_LARGE;
	}
	if (g->n == g->cap) {
		size_t ncap = g->cap ? g->cap * 2 : 16;

		if ((v = reallocarray(g->v, ncap, sizeof(*v))) == NULL)
			return CS_ERR_NOMEM;
		g->v = v;
		g->cap = ncap;
	}
	memset(&g->v[g->n], 0, sizeof(g->v[g->n]));
	if ((g->v[g->n].dn = strdup(dn)) == NULL)
		return CS_ERR_NOMEM;
	*idx = g->n++;
	if (added != NULL)
		*added = true;
	return 0;
}

int
svc_graph_edge(struct svc_graph *g, size_t from, size_t to, bool primary)
{
	struct svc_node *n = &g->v[from];

	for (size_t i = 0; i < n->nup; i++)
		if (n->up[i].to == to)
			return 0;
	if (n->nup == n->upcap) {
		size_t ncap = n->upcap ? n->upcap * 2 : 8;
		struct svc_edge *e = reallocarray(n->up, ncap, sizeof(*e));

		if (e == NULL)
			return CS_ERR_NOMEM;
		n->up = e;
		n->upcap = ncap;
	}
	n->up[n->nup].to = to;
	n->up[n->nup].primary = primary;
	n->nup++;
	return 0;
}

long
svc_graph_find_sid(const struct svc_graph *g, const struct svc_sid *sid)
{
	for (size_t i = 0; i < g->n; i++)
		if (g->v[i].have_sid && svc_sid_equal(&g->v[i].sid, sid))
			return (long)i;
	return -1;
}

int
svc_graph_path(const struct svc_graph *g, size_t from, size_t to,
    size_t *path, size_t max, size_t *len)
{
	size_t *prev = NULL, *queue = NULL, head = 0, tail = 0, n = 0, at;
	int rc = CS_ERR_NOT_FOUND;

	*len = 0;
	if (from >= g->n || to >= g->n)
		return CS_ERR_NOT_FOUND;
	prev = malloc(g->n * sizeof(*prev));
	queue = malloc(g->n * sizeof(*queue));
	if (prev == NULL || queue == NULL) {
		rc = CS_ERR_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < g->n; i++)
		prev[i] = SIZE_MAX;
	prev[from] = from;
	queue[tail++] = from;
	while (head < tail) {
		size_t cur = queue[head++];

		if (cur == to)
			break;
		for (size_t i = 0; i < g->v[cur].nup; i++) {
			size_t next = g->v[cur].up[i].to;

			if (next < g->n && prev[next] == SIZE_MAX) {
				prev[next] = cur;
				queue[tail++] = next;
			}
		}
	}
	if (prev[to] == SIZE_MAX)
		goto out;
	for (at = to; at != from; at = prev[at])
		n++;
	n++;
	if (n > max) {
		rc = CS_ERR_TOO_LARGE;
		goto out;
	}
	at = to;
	for (size_t i = n; i-- > 0; at = prev[at])
		path[i] = at;
	*len = n;
	rc = 0;
out:
	free(prev);
	free(queue);
	return rc;
}

/* A node's name for messages: sAMAccountName, else the RDN value. */
static char *
node_name(const struct svc_node *n)
{
	return n->name ? strdup(n->name) : svc_dn_rdn_value(n->dn);
}

char *
svc_graph_path_text(const struct svc_graph *g, const size_t *path, size_t len)
{
	struct cs_buf b;
	char *s;
	int rc = 0;

	cs_buf_init(&b, 0);
	for (size_t i = 0; i < len && rc == 0; i++) {
		const struct svc_node *n = &g->v[path[i]];
		bool primary = false;
		char *name = node_name(n);

		if (name == NULL) {
			rc = CS_ERR_NOMEM;
			break;
		}
		if (i > 0) {
			const struct svc_node *p = &g->v[path[i - 1]];

			for (size_t k = 0; k < p->nup; k++)
				if (p->up[k].to == path[i])
					primary = p->up[k].primary;
		}
		rc = cs_buf_printf(&b, "%s%s%s", i ? " \xe2\x86\x92 " : "", name,
		    primary ? " (primary group)" : "");
		free(name);
	}
	if (rc != 0 || b.s == NULL) {
		cs_buf_free(&b);
		return rc == 0 ? strdup("") : NULL;
	}
	s = b.s;	/* ownership passes to the caller */
	return s;
}

void
svc_graph_free(struct svc_graph *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->v[i].dn);
		free(g->v[i].name);
		free(g->v[i].up);
	}
	free(g->v);
	memset(g, 0, sizeof(*g));
}

/* ---- CRM group discovery ------------------------------------------------------ */

void
svc_crm_pick(const struct svc_candidate *c, size_t n, const char *where,
    struct svc_pick out[SVC_G_COUNT])
{
	char *containers[8];
	size_t ncont = 0, more = 0, count[SVC_G_COUNT] = { 0 };
	char list[400];
	size_t used = 0;

	for (int k = 0; k < SVC_G_COUNT; k++) {
		out[k].status = k == SVC_G_DOMAIN_USERS ? SVC_CRM_UNSET :
		    SVC_CRM_NONE;
		out[k].index = 0;
		out[k].why[0] = '\0';
	}
	/* deployments: the distinct containers of the groups */
	for (size_t i = 0; i < n; i++) {
		char *parent = svc_dn_parent(c[i].dn);
		bool seen = false;

		if (parent == NULL)
			continue;
		for (size_t j = 0; j < ncont && !seen; j++)
			seen = strcasecmp(containers[j], parent) == 0;
		if (seen)
			free(parent);
		else if (ncont < sizeof(containers) / sizeof(*containers))
			containers[ncont++] = parent;
		else {
			free(parent);
			more++;
		}
	}
	list[0] = '\0';
	for (size_t j = 0; j < ncont && used < sizeof(list); j++)
		used += (size_t)snprintf(list + used, sizeof(list) - used,
		    "%s%s", j ? "; " : "", containers[j]);
	if (ncont + more > 1) {
		for (int k = 0; k < SVC_G_COUNT; k++) {
			if (k == SVC_G_DOMAIN_USERS)
				continue;
			out[k].status = SVC_CRM_AMBIGUOUS;
			snprintf(out[k].why, sizeof(out[k].why), "CRM groups of "
			    "%zu deployments %s (%s%s): give --crm-groups-ou",
			    ncont + more, where, list, more ? "; ..." : "");
		}
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		int k = c[i].kind;

		if (k <= SVC_G_DOMAIN_USERS || k >= SVC_G_COUNT)
			continue;
		if (count[k]++ == 0)
			out[k].index = i;
	}
	for (int k = 0; k < SVC_G_COUNT; k++) {
		if (k == SVC_G_DOMAIN_USERS)
			continue;
		if (count[k] == 1) {
			out[k].status = SVC_CRM_FOUND;
		} else if (count[k] == 0) {
			out[k].status = SVC_CRM_NONE;
			snprintf(out[k].why, sizeof(out[k].why), "no %s group %s: "
			    "give --crm-groups-ou or %s", svc_crm_kinds[k].label,
			    where, svc_crm_kinds[k].option);
		} else {
			out[k].status = SVC_CRM_AMBIGUOUS;
			snprintf(out[k].why, sizeof(out[k].why), "%zu %s groups "
			    "%s (%s): give %s", count[k], svc_crm_kinds[k].label,
			    where, list, svc_crm_kinds[k].option);
		}
	}
out:
	for (size_t j = 0; j < ncont; j++)
		free(containers[j]);
}

/* ---- SPNs ------------------------------------------------------------------ */

const char *const svc_dynamics_spn_classes[] = {
	"HTTP", "MSCRMAsyncService", "MSCRMSandboxService", NULL,
};

bool
svc_spn_is_dynamics(const char *spn)
{
	size_t len = strcspn(spn, "/");

	if (spn[len] != '/')
		return false;
	for (size_t i = 0; svc_dynamics_spn_classes[i]; i++)
		if (strlen(svc_dynamics_spn_classes[i]) == len &&
		    strncasecmp(svc_dynamics_spn_classes[i], spn, len) == 0)
			return true;
	return false;
}

/* ---- the account -------------------------------------------------------------- */

enum svc_kind
svc_kind_of(const char *const *classes)
{
	bool user = false, computer = false, msa = false, gmsa = false;

	for (size_t i = 0; classes && classes[i]; i++) {
		const char *cl = classes[i];

		if (strcasecmp(cl, "msDS-GroupManagedServiceAccount") == 0)
			gmsa = true;
		else if (strcasecmp(cl, "msDS-ManagedServiceAccount") == 0 ||
		    strcasecmp(cl, "msDS-DelegatedManagedServiceAccount") == 0)
			msa = true;
		else if (strcasecmp(cl, "computer") == 0)
			computer = true;
		else if (strcasecmp(cl, "user") == 0)
			user = true;
	}
	return gmsa ? SVC_KIND_GMSA : msa ? SVC_KIND_MSA :
	    computer ? SVC_KIND_COMPUTER : user ? SVC_KIND_USER :
	    SVC_KIND_OTHER;
}

void
svc_account_free(struct svc_account *a)
{
	if (a == NULL)
		return;
	free(a->dn);
	free(a->name);
	free(a->display);
	free(a->sam);
	free(a->pso_dn);
	for (size_t i = 0; i < a->nspns; i++)
		free(a->spns[i]);
	free(a->spns);
	for (size_t i = 0; i < a->ntoken; i++) {
		free(a->token[i].name);
		free(a->token[i].dn);
	}
	free(a->token);
	svc_graph_free(&a->graph);
	for (int k = 0; k < SVC_G_COUNT; k++) {
		free(a->crm[k].dn);
		free(a->crm[k].name);
		free(a->crm[k].reason);
	}
	memset(a, 0, sizeof(*a));
}

/* ---- password expiry and lockout ------------------------------------------------ */

void
svc_password_expiry(const struct svc_account *a, struct svc_pwd *out)
{
	int64_t max;

	out->expires = 0;
	if (a->have_uac && (a->uac & SVC_UF_DONT_EXPIRE_PASSWD)) {
		out->state = SVC_PWD_NEVER;
		out->how = "\"password never expires\" is set (userAccountControl "
		    "0x10000)";
		return;
	}
	if (a->have_expiry_computed) {
		if (a->expiry_computed == SVC_FT_NEVER) {
			out->state = SVC_PWD_NEVER;
			out->how = "msDS-UserPasswordExpiryTimeComputed: no "
			    "maximum password age applies";
			return;
		}
		if (a->expiry_computed == 0 && (!a->have_pwd_last_set ||
		    a->pwd_last_set == 0)) {
			out->state = SVC_PWD_MUST_CHANGE;
			out->how = "msDS-UserPasswordExpiryTimeComputed 0, "
			    "pwdLastSet 0";
			return;
		}
		if (a->expiry_computed > 0) {
			out->state = SVC_PWD_EXPIRES;
			out->expires = a->expiry_computed;
			out->how = "msDS-UserPasswordExpiryTimeComputed";
			return;
		}
		/* a value that contradicts pwdLastSet: compute it ourselves */
	}
	if (!a->have_pwd_last_set) {
		out->state = SVC_PWD_UNKNOWN;
		out->how = "neither msDS-UserPasswordExpiryTimeComputed nor "
		    "pwdLastSet could be read";
		return;
	}
	if (a->pwd_last_set == 0) {
		out->state = SVC_PWD_MUST_CHANGE;
		out->how = "pwdLastSet 0";
		return;
	}
	if (a->pso_dn != NULL) {
		if (!a->have_pso_max_age) {
			out->state = SVC_PWD_UNKNOWN;
			out->how = "a fine-grained password policy applies "
			    "(msDS-ResultantPSO) and its msDS-MaximumPasswordAge "
			    "cannot be read";
			return;
		}
		max = a->pso_max_age;
		out->how = "pwdLastSet + msDS-MaximumPasswordAge of the "
		    "fine-grained password policy";
	} else {
		if (!a->have_max_pwd_age) {
			out->state = SVC_PWD_UNKNOWN;
			out->how = "the domain's maxPwdAge could not be read";
			return;
		}
		max = a->max_pwd_age;
		out->how = "pwdLastSet + the domain's maxPwdAge";
	}
	if (svc_interval_unlimited(max)) {
		out->state = SVC_PWD_NEVER;
		out->how = a->pso_dn ? "the fine-grained password policy sets no "
		    "maximum password age" : "the domain sets no maximum "
		    "password age (maxPwdAge)";
		return;
	}
	out->state = SVC_PWD_EXPIRES;
	out->expires = svc_filetime_add(a->pwd_last_set, max);
	if (out->expires == SVC_FT_NEVER) {
		out->state = SVC_PWD_NEVER;
		out->how = "the maximum password age reaches beyond year 30000";
	}
}

/* When a lockout at TIME with DURATION ends (SVC_FT_NEVER: never). */
static int64_t
lockout_end(int64_t time, int64_t duration)
{
	if (duration >= 0 || duration == INT64_MIN)
		return SVC_FT_NEVER;
	return svc_filetime_add(time, duration);
}

enum svc_lock_state
svc_lockout(const struct svc_account *a, int64_t *until, const char **how)
{
	bool have_dur;
	int64_t dur = 0;

	*until = 0;
	if (a->pso_dn != NULL) {
		have_dur = a->have_pso_lockout;
		dur = a->pso_lockout;
	} else {
		have_dur = a->have_lockout_duration;
		dur = a->lockout_duration;
	}
	if (a->have_uac_computed) {
		*how = "msDS-User-Account-Control-Computed";
		if (!(a->uac_computed & SVC_UF_LOCKOUT))
			return SVC_LOCK_NO;
		if (have_dur && a->have_lockout_time && a->lockout_time != 0)
			*until = lockout_end(a->lockout_time, dur);
		return SVC_LOCK_YES;
	}
	/* no lockoutTime: never locked out (the attribute is readable by
	 * authenticated users) */
	if (!a->have_lockout_time || a->lockout_time == 0) {
		*how = "lockoutTime";
		return SVC_LOCK_NO;
	}
	if (!have_dur) {
		*how = a->pso_dn ? "lockoutTime is set and the fine-grained "
		    "policy's msDS-LockoutDuration cannot be read" :
		    "lockoutTime is set and the domain's lockoutDuration could "
		    "not be read";
		return SVC_LOCK_UNKNOWN;
	}
	*how = a->pso_dn ? "lockoutTime and the fine-grained policy's "
	    "msDS-LockoutDuration" : "lockoutTime and the domain's "
	    "lockoutDuration";
	*until = lockout_end(a->lockout_time, dur);
	/* MS-ADTS 3.1.1.4.5.17: a duration of 0 (or INT64_MIN) locks until
	 * an administrator unlocks the account */
	return *until == SVC_FT_NEVER || a->now < *until ? SVC_LOCK_YES :
	    SVC_LOCK_NO;
}

/* ---- local groups on the Dynamics servers ----------------------------------------- */

/* Appends TEXT to a requirement's list of reasons (once). */
static void
req_why(struct svc_local_req *r, const char *text)
{
	size_t len = strlen(r->why);

	if (strstr(r->why, text) != NULL)
		return;
	snprintf(r->why + len, sizeof(r->why) - len, "%s%s", len ? ", " : "",
	    text);
}

size_t
svc_local_requirements(unsigned roles, bool front_end,
    const char *const *extra, size_t nextra, struct svc_local_req *out,
    size_t max)
{
	size_t n = 0;

	for (int k = 0; k < SVC_L_COUNT && n < max; k++) {
		bool used = false;

		for (size_t i = 0; i < SVC_ROLE_COUNT; i++) {
			bool fe = front_end && i + 1 == SVC_ROLE_COUNT &&
			    k == SVC_L_ADMINISTRATORS;

			if (!(roles & (1u << i)) ||
			    !((svc_roles[i].local_needs & SVC_LOCAL(k)) || fe))
				continue;
			if (!used) {
				memset(&out[n], 0, sizeof(out[n]));
				out[n].name = svc_local_groups[k].name;
				out[n].rid = svc_local_groups[k].rid;
				used = true;
			}
			if (fe && !(svc_roles[i].local_needs & SVC_LOCAL(k))) {
				char t[64];

				snprintf(t, sizeof(t), "%s (--front-end)",
				    svc_roles[i].id);
				req_why(&out[n], t);
			} else {
				req_why(&out[n], svc_roles[i].id);
			}
		}
		if (used)
			n++;
	}
	for (size_t j = 0; j < nextra; j++) {
		size_t i;

		for (i = 0; i < n; i++)
			if (strcasecmp(out[i].name, extra[j]) == 0)
				break;
		if (i == n) {
			if (n == max)
				continue;
			memset(&out[n], 0, sizeof(out[n]));
			out[n].name = extra[j];
			for (int k = 0; k < SVC_L_COUNT; k++)
				if (strcasecmp(svc_local_groups[k].name,
				    extra[j]) == 0) {
					out[n].name = svc_local_groups[k].name;
					out[n].rid = svc_local_groups[k].rid;
				}
			n++;
		}
		req_why(&out[i], "--local-group");
	}
	return n;
}

enum svc_via
svc_local_match(const struct svc_account *a, const struct svc_sid *members,
    size_t n, struct svc_match *m)
{
	static const struct {
		const char *sid, *name;
	} well_known[] = {
		{ "S-1-1-0", "Everyone" },
		{ "S-1-5-11", "Authenticated Users" },
	};

	memset(m, 0, sizeof(*m));
	for (size_t i = 0; a->have_sid && i < n; i++)
		if (svc_sid_equal(&members[i], &a->sid))
			return m->via = SVC_VIA_ACCOUNT;
	for (size_t t = 0; t < a->ntoken; t++)
		for (size_t i = 0; i < n; i++)
			if (svc_sid_equal(&members[i], &a->token[t].sid)) {
				m->group = &a->token[t];
				return m->via = SVC_VIA_GROUP;
			}
	for (size_t w = 0; w < sizeof(well_known) / sizeof(well_known[0]); w++) {
		struct svc_sid s;

		svc_sid_parse(well_known[w].sid, &s);
		for (size_t i = 0; i < n; i++)
			if (svc_sid_equal(&members[i], &s)) {
				m->well_known = well_known[w].name;
				return m->via = SVC_VIA_WELL_KNOWN;
			}
	}
	return m->via = SVC_VIA_NONE;
}

void
svc_hosts_free(struct svc_host *h, size_t n)
{
	for (size_t i = 0; h && i < n; i++) {
		free(h[i].error);
		h[i].error = NULL;
		for (size_t j = 0; h[i].g && j < h[i].ng; j++) {
			free(h[i].g[j].error);
			free(h[i].g[j].domain);
			free(h[i].g[j].members);
		}
		free(h[i].g);
		h[i].g = NULL;
		h[i].ng = 0;
	}
}

/* ---- evaluation ------------------------------------------------------------------ */

struct ev {
	const struct svc_account *a;
	const struct svc_opts *o;
	struct cs_check *c;
	struct cs_buf phrases[4];      /* by state rank: summary parts */
	struct json_object *data;
	size_t nprivileged;
	bool rid500;
	size_t nlocal_missing;
};

/* Adds a summary phrase for state ST (once). */
__attribute__((format(printf, 3, 4)))
static void
phrase(struct ev *e, enum cs_state st, const char *fmt, ...)
{
	struct cs_buf *b = &e->phrases[cs_state_rank(st)];
	char *s = NULL;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s == NULL) {
		e->c->nomem = 1;
		return;
	}
	if (b->len == 0 || strstr(cs_buf_str(b), s) == NULL)
		cs_buf_printf(b, "%s%s", b->len ? "; " : "", s);
	free(s);
}

static const char *
kind_text(enum svc_kind k)
{
	switch (k) {
	case SVC_KIND_USER:
		return "user account";
	case SVC_KIND_COMPUTER:
		return "computer account";
	case SVC_KIND_MSA:
		return "managed service account";
	case SVC_KIND_GMSA:
		return "group managed service account";
	case SVC_KIND_OTHER:
		break;
	}
	return "not an account";
}

/* The token entry with SID, or NULL. */
static const struct svc_group *
token_find(const struct svc_account *a, const struct svc_sid *sid)
{
	for (size_t i = 0; i < a->ntoken; i++)
		if (svc_sid_equal(&a->token[i].sid, sid))
			return &a->token[i];
	return NULL;
}

static void
roles_text(unsigned set, unsigned need_bit, struct cs_buf *b)
{
	size_t n = 0;

	for (size_t i = 0; i < SVC_ROLE_COUNT; i++)
		if ((set & (1u << i)) && (need_bit == 0 ||
		    (svc_roles[i].needs & need_bit)))
			cs_buf_printf(b, "%s%s", n++ ? ", " : "", svc_roles[i].id);
}

static void
eval_notes(struct ev *e)
{
	const struct svc_account *a = e->a;
	char sid[SVC_SID_STR_MAX];
	struct cs_buf b;

	if (a->have_sid)
		svc_sid_to_string(&a->sid, sid, sizeof(sid));
	cs_check_add(e->c, CS_OK, NULL, NULL, 0, "account %s, %s%s%s",
	    a->display ? a->display : a->dn, kind_text(a->kind),
	    a->have_sid ? ", SID " : "", a->have_sid ? sid : "");
	cs_buf_init(&b, 0);
	for (size_t i = 0; i < SVC_ROLE_COUNT; i++)
		if (e->o->roles & (1u << i))
			cs_buf_printf(&b, "%s%s = %s", b.len ? ", " : "",
			    svc_roles[i].id, svc_roles[i].service);
	if (b.len)
		cs_check_add(e->c, CS_OK, NULL, NULL, 0, "roles: %s",
		    cs_buf_str(&b));
	else
		cs_check_add(e->c, CS_OK, NULL, NULL, 0, "no --role given: "
		    "the CRM groups a role needs (role-group) are not checked");
	cs_buf_free(&b);
	cs_buf_init(&b, 0);
	for (int k = 0; k < SVC_G_COUNT; k++) {
		const struct svc_crm *g = &a->crm[k];

		if (g->status == SVC_CRM_FOUND)
			cs_buf_printf(&b, "%s%s (%s; %s)", b.len ? ", " : "",
			    g->name ? g->name : "?", g->dn ? g->dn : "?",
			    g->source ? g->source : "given");
	}
	if (b.len)
		cs_check_add(e->c, CS_OK, NULL, NULL, 0, "CRM groups: %s",
		    cs_buf_str(&b));
	cs_buf_free(&b);
}

static bool
eval_not_user(struct ev *e)
{
	const struct svc_account *a = e->a;
	const char *who = a->name ? a->name : a->dn;

	switch (a->kind) {
	case SVC_KIND_USER:
		return true;
	case SVC_KIND_COMPUTER:
		cs_check_add(e->c, CS_WARNING, "not-user", NULL, 0, "%s is a "
		    "computer account, not a domain user account: run each "
		    "Dynamics 365 service under a dedicated low-privilege domain "
		    "user account", who);
		phrase(e, CS_WARNING, "a computer account, not a user");
		break;
	case SVC_KIND_MSA:
	case SVC_KIND_GMSA:
		cs_check_add(e->c, CS_WARNING, "not-user", NULL, 0, "%s is a %s: "
		    "Dynamics 365 does not support managed service accounts; "
		    "use a dedicated domain user account", who,
		    kind_text(a->kind));
		phrase(e, CS_WARNING, "a %s, not a user", kind_text(a->kind));
		break;
	case SVC_KIND_OTHER:
		cs_check_add(e->c, CS_WARNING, "not-user", NULL, 0, "%s is not "
		    "an account (no objectClass user): no service can run "
		    "under it", who);
		phrase(e, CS_WARNING, "not an account");
		return false;
	}
	cs_check_add(e->c, CS_OK, NULL, NULL, 0, "the password, Domain Users, "
	    "role group, Dynamics user and SPN rules apply to user accounts "
	    "only and were skipped");
	return false;
}

static void
eval_disabled_locked(struct ev *e)
{
	const struct svc_account *a = e->a;
	char t1[48], t2[48];
	int64_t until;
	const char *how;

	if (!a->have_uac) {
		cs_check_add(e->c, CS_UNKNOWN, "disabled", NULL, 0,
		    "userAccountControl could not be read");
		phrase(e, CS_UNKNOWN, "userAccountControl unreadable");
	} else if (a->uac & SVC_UF_ACCOUNTDISABLE) {
		cs_check_add(e->c, CS_CRITICAL, "disabled", NULL, 0, "the account "
		    "is disabled (userAccountControl 0x%" PRIx32 "): the services "
		    "cannot log on", a->uac);
		phrase(e, CS_CRITICAL, "disabled");
	}
	switch (svc_lockout(a, &until, &how)) {
	case SVC_LOCK_NO:
		break;
	case SVC_LOCK_YES:
		svc_filetime_format(a->lockout_time, t1, sizeof(t1));
		svc_filetime_format(until, t2, sizeof(t2));
		cs_check_add(e->c, CS_CRITICAL, "locked", NULL, 0, "the account "
		    "is locked out%s%s%s%s (%s): the services cannot log on",
		    a->have_lockout_time && a->lockout_time ? " since " : "",
		    a->have_lockout_time && a->lockout_time ? t1 : "",
		    until == SVC_FT_NEVER ? " until an administrator unlocks it" :
		    until ? " until " : "", until && until != SVC_FT_NEVER ? t2 :
		    "", how);
		phrase(e, CS_CRITICAL, "locked out");
		break;
	case SVC_LOCK_UNKNOWN:
		cs_check_add(e->c, CS_UNKNOWN, "locked", NULL, 0,
		    "lockout state unknown: %s", how);
		phrase(e, CS_UNKNOWN, "lockout state unknown");
		break;
	}
}

static void
days_text(double days, char *buf, size_t len)
{
	cs_output_number(fabs(days), buf, len);
}

/* Returns the days to expiry for perfdata (NAN: none). */
static double
eval_password(struct ev *e)
{
	const struct svc_account *a = e->a;
	struct svc_pwd p;
	struct json_object *jp = json_object_new_object();
	char last[48] = "", when[48], d[32], age[32], lastpart[128] = "";
	char iso[48];
	double days = NAN;
	enum cs_state st;

	svc_password_expiry(a, &p);
	if (a->have_pwd_last_set && a->pwd_last_set > 0) {
		svc_filetime_format(a->pwd_last_set, last, sizeof(last));
		days_text(svc_days_between(a->pwd_last_set, a->now), age,
		    sizeof(age));
		snprintf(lastpart, sizeof(lastpart), "last set %s, %s days ago",
		    last, age);
		svc_filetime_iso(a->pwd_last_set, iso, sizeof(iso));
		json_object_object_add(jp, "last_set",
		    json_object_new_string(iso));
	}
	switch (p.state) {
	case SVC_PWD_NEVER:
		cs_check_add(e->c, CS_OK, "password-expiry", NULL, 0, "the "
		    "password never expires: %s%s%s", p.how, *lastpart ? "; " :
		    "", lastpart);
		phrase(e, CS_OK, "password never expires");
		json_object_object_add(jp, "state",
		    json_object_new_string("never"));
		break;
	case SVC_PWD_MUST_CHANGE:
		days = 0;
		cs_check_add(e->c, CS_CRITICAL, "password-expiry", NULL, 0, "the "
		    "password must be changed at the next logon (%s): the "
		    "services cannot log on", p.how);
		phrase(e, CS_CRITICAL, "password must be changed");
		json_object_object_add(jp, "state",
		    json_object_new_string("must-change"));
		break;
	case SVC_PWD_UNKNOWN:
		cs_check_add(e->c, CS_UNKNOWN, "password-expiry", NULL, 0,
		    "password expiry unknown: %s", p.how);
		phrase(e, CS_UNKNOWN, "password expiry unknown");
		json_object_object_add(jp, "state",
		    json_object_new_string("unknown"));
		break;
	case SVC_PWD_EXPIRES:
		days = svc_days_between(a->now, p.expires);
		st = cs_thresholds_eval(&e->o->th, days);
		svc_filetime_format(p.expires, when, sizeof(when));
		days_text(days, d, sizeof(d));
		if (days >= 0) {
			cs_check_add(e->c, st, "password-expiry", NULL, 0, "the "
			    "password expires in %s days, on %s (%s%s%s)", d,
			    when, p.how, *lastpart ? "; " : "", lastpart);
			phrase(e, st, "password expires in %s days", d);
		} else {
			cs_check_add(e->c, st, "password-expiry", NULL, 0, "the "
			    "password expired %s days ago, on %s (%s%s%s): the "
			    "services cannot log on", d, when, p.how,
			    *lastpart ? "; " : "", lastpart);
			phrase(e, st, "password expired %s days ago", d);
		}
		json_object_object_add(jp, "state",
		    json_object_new_string(days >= 0 ? "expires" : "expired"));
		svc_filetime_iso(p.expires, iso, sizeof(iso));
		json_object_object_add(jp, "expires",
		    json_object_new_string(iso));
		json_object_object_add(jp, "days", json_object_new_double(days));
		break;
	}
	json_object_object_add(e->data, "password", jp);
	return days;
}

static bool
has_role(unsigned set, const char *id)
{
	for (size_t i = 0; i < SVC_ROLE_COUNT; i++)
		if (strcmp(svc_roles[i].id, id) == 0)
			return (set & (1u << i)) != 0;
	return false;
}

static void
eval_privileged(struct ev *e)
{
	const struct svc_account *a = e->a;
	const struct svc_sid *dom = a->have_domain_sid ? &a->domain_sid : NULL;
	const struct svc_sid *root = a->have_root_sid ? &a->root_sid : NULL;
	struct json_object *jl = json_object_new_array();
	struct cs_buf names;
	char sid[SVC_SID_STR_MAX];
	const struct svc_priv *p;

	cs_buf_init(&names, 0);
	if (a->have_sid && (p = svc_priv_match(&a->sid, dom, root)) != NULL &&
	    p->account) {
		e->rid500 = true;
		svc_sid_to_string(&a->sid, sid, sizeof(sid));
		cs_check_add(e->c, CS_CRITICAL, "privileged", NULL, 0, "%s is the "
		    "domain's built-in Administrator account (%s, RID 500): never "
		    "run a service under it", a->name ? a->name : a->dn, sid);
		phrase(e, CS_CRITICAL, "the built-in Administrator account");
	}
	if (!a->token_read) {
		cs_check_add(e->c, CS_UNKNOWN, "privileged", NULL, 0, "tokenGroups "
		    "could not be read, so nested and primary group memberships "
		    "are unknown: the bind account needs read access to "
		    "tokenGroups (members of Pre-Windows 2000 Compatible Access or "
		    "Windows Authorization Access Group have it)");
		phrase(e, CS_UNKNOWN, "group memberships unknown (tokenGroups)");
		json_object_put(jl);
		cs_buf_free(&names);
		return;
	}
	for (size_t i = 0; i < a->ntoken; i++) {
		const struct svc_group *g = &a->token[i];
		struct json_object *jo;
		char *path = NULL, extra[160] = "";
		size_t idx[64], len = 0;
		long to;
		const char *gname;

		if ((p = svc_priv_match(&g->sid, dom, root)) == NULL || p->account)
			continue;
		e->nprivileged++;
		gname = g->name ? g->name : p->name;
		svc_sid_to_string(&g->sid, sid, sizeof(sid));
		if (a->graph_read && a->graph.n > 0 &&
		    (to = svc_graph_find_sid(&a->graph, &g->sid)) >= 0 &&
		    svc_graph_path(&a->graph, 0, (size_t)to, idx,
		    sizeof(idx) / sizeof(*idx), &len) == 0)
			path = svc_graph_path_text(&a->graph, idx, len);
		if (p->scope == SVC_SCOPE_BUILTIN && p->rid == 551 &&
		    has_role(e->o->roles, "vss"))
			snprintf(extra, sizeof(extra), " (the VSS Writer needs "
			    "Backup Operators of its own server, not the "
			    "domain's)");
		if (path != NULL)
			cs_check_add(e->c, CS_CRITICAL, "privileged", NULL, 0,
			    "member of %s (%s): %s%s", gname, sid, path, extra);
		else
			cs_check_add(e->c, CS_CRITICAL, "privileged", NULL, 0,
			    "member of %s (%s); the membership path is not visible "
			    "through memberOf (a group of another domain, or "
			    "memberOf not readable)%s", gname, sid, extra);
		cs_buf_printf(&names, "%s%s", names.len ? ", " : "", gname);
		jo = json_object_new_object();
		json_object_object_add(jo, "name", json_object_new_string(gname));
		json_object_object_add(jo, "sid", json_object_new_string(sid));
		json_object_object_add(jo, "path", path ?
		    json_object_new_string(path) : NULL);
		json_object_array_add(jl, jo);
		free(path);
	}
	if (e->nprivileged > 0) {
		phrase(e, CS_CRITICAL, "privileged: %s", cs_buf_str(&names));
		if (a->graph.truncated)
			cs_check_add(e->c, CS_OK, NULL, NULL, 0, "the memberOf walk "
			    "stopped after %d groups: paths may be missing",
			    SVC_GRAPH_MAX);
	} else if (!e->rid500) {
		cs_check_add(e->c, CS_OK, "privileged", NULL, 0, "no membership in "
		    "a privileged group (%zu token groups compared by SID)",
		    a->ntoken);
	}
	json_object_object_add(e->data, "privileged", jl);
	cs_buf_free(&names);
}

static void
eval_admincount(struct ev *e)
{
	const struct svc_account *a = e->a;

	if (a->admin_count != 1 || !a->token_read || e->nprivileged > 0 ||
	    e->rid500)
		return;
	cs_check_add(e->c, CS_WARNING, "stale-admincount", NULL, 0,
	    "adminCount=1 without a privileged group membership today: a "
	    "leftover of a former one, which leaves the AdminSDHolder "
	    "permissions and disabled inheritance on the account; clear "
	    "adminCount and restore inheritance");
	phrase(e, CS_WARNING, "stale adminCount=1");
}

static void
eval_domain_users(struct ev *e)
{
	const struct svc_account *a = e->a;
	struct svc_sid du, pg;
	const struct svc_group *g = NULL;
	char pgname[256] = "";

	if (!a->have_domain_sid) {
		cs_check_add(e->c, CS_UNKNOWN, "domain-users", NULL, 0,
		    "the domain SID is unknown: cannot tell Domain Users");
		phrase(e, CS_UNKNOWN, "Domain Users membership unknown");
		return;
	}
	svc_sid_compose(&a->domain_sid, SVC_RID_DOMAIN_USERS, &du);
	if (a->have_primary_group && a->primary_group == SVC_RID_DOMAIN_USERS) {
		cs_check_add(e->c, CS_OK, "domain-users", NULL, 0, "member of "
		    "Domain Users (primary group)");
		return;
	}
	if (a->token_read && token_find(a, &du) != NULL) {
		cs_check_add(e->c, CS_OK, "domain-users", NULL, 0, "member of "
		    "Domain Users");
		return;
	}
	if (!a->token_read) {
		cs_check_add(e->c, CS_UNKNOWN, "domain-users", NULL, 0, "the "
		    "primary group is not Domain Users and tokenGroups could not "
		    "be read: Domain Users membership unknown");
		phrase(e, CS_UNKNOWN, "Domain Users membership unknown");
		return;
	}
	if (a->have_primary_group) {
		svc_sid_compose(&a->domain_sid, a->primary_group, &pg);
		g = token_find(a, &pg);
		snprintf(pgname, sizeof(pgname), " (its primary group is %s, "
		    "RID %" PRIu32 ")", g && g->name ? g->name : "unresolved",
		    a->primary_group);
	}
	cs_check_add(e->c, CS_WARNING, "domain-users", NULL, 0, "not a member "
	    "of Domain Users%s: every Dynamics 365 service account must be",
	    pgname);
	phrase(e, CS_WARNING, "not in Domain Users");
}

/* The CRM group of kind K as "name (DN)". */
static void
crm_text(const struct svc_crm *g, char *buf, size_t len)
{
	snprintf(buf, len, "%s (%s)", g->name ? g->name : "?",
	    g->dn ? g->dn : "?");
}

/* The summary phrase for a CRM group that is not FOUND. */
static const char *
crm_phrase(const struct svc_crm *g)
{
	switch (g->status) {
	case SVC_CRM_AMBIGUOUS:
		return "CRM groups ambiguous: give --crm-groups-ou";
	case SVC_CRM_ERROR:
		return "CRM group lookup failed";
	default:
		return "CRM groups not found";
	}
}

static bool
token_has_crm(const struct svc_account *a, const struct svc_crm *g)
{
	return g->have_sid && token_find(a, &g->sid) != NULL;
}

static void
eval_role_groups(struct ev *e)
{
	const struct svc_account *a = e->a;
	unsigned needs = svc_roles_needs(e->o->roles);
	static const int kinds[] = { SVC_G_PRIV_USER, SVC_G_SQL_ACCESS };
	struct cs_buf ok;
	bool all_ok = true, any = false;

	if (e->o->roles == 0)
		return;
	cs_buf_init(&ok, 0);
	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++) {
		int k = kinds[i];
		const struct svc_crm *g = &a->crm[k];
		struct cs_buf roles;
		char gt[600];

		if (!(needs & SVC_NEED(k)))
			continue;
		any = true;
		cs_buf_init(&roles, 0);
		roles_text(e->o->roles, SVC_NEED(k), &roles);
		if (g->status != SVC_CRM_FOUND) {
			all_ok = false;
			cs_check_add(e->c, CS_UNKNOWN, "role-group", NULL, 0,
			    "cannot check %s for %s: %s", svc_crm_kinds[k].label,
			    cs_buf_str(&roles), g->reason ? g->reason :
			    "not looked for");
			phrase(e, CS_UNKNOWN, "%s", crm_phrase(g));
		} else if (!a->token_read) {
			all_ok = false;
			cs_check_add(e->c, CS_UNKNOWN, "role-group", NULL, 0,
			    "cannot check %s for %s: tokenGroups could not be "
			    "read", g->name, cs_buf_str(&roles));
			phrase(e, CS_UNKNOWN, "group memberships unknown "
			    "(tokenGroups)");
		} else if (!token_has_crm(a, g)) {
			all_ok = false;
			crm_text(g, gt, sizeof(gt));
			cs_check_add(e->c, CS_WARNING, "role-group", NULL, 0,
			    "not a member of %s, which %s need%s", gt,
			    cs_buf_str(&roles), strchr(cs_buf_str(&roles), ',') ?
			    "" : "s");
			phrase(e, CS_WARNING, "not in %s", g->name);
		} else {
			cs_buf_printf(&ok, "%s%s", ok.len ? ", " : "", g->name);
		}
		cs_buf_free(&roles);
	}
	if (!any)
		cs_check_add(e->c, CS_OK, "role-group", NULL, 0, "the roles given "
		    "need no CRM group, only Domain Users");
	else if (all_ok)
		cs_check_add(e->c, CS_OK, "role-group", NULL, 0, "member of %s, "
		    "as the roles need", cs_buf_str(&ok));
	cs_buf_free(&ok);
}

static void
eval_crm_user(struct ev *e)
{
	const struct svc_account *a = e->a;
	const struct svc_crm *g = &a->crm[SVC_G_REPORTING];
	char gt[600];

	if (g->status != SVC_CRM_FOUND) {
		cs_check_add(e->c, CS_UNKNOWN, "crm-user", NULL, 0, "cannot tell "
		    "whether it is a Dynamics 365 user: %s", g->reason ?
		    g->reason : "ReportingGroup {...} not looked for");
		phrase(e, CS_UNKNOWN, "%s", crm_phrase(g));
		return;
	}
	if (!a->token_read) {
		cs_check_add(e->c, CS_UNKNOWN, "crm-user", NULL, 0, "cannot tell "
		    "whether it is a Dynamics 365 user: tokenGroups could not be "
		    "read");
		phrase(e, CS_UNKNOWN, "group memberships unknown (tokenGroups)");
		return;
	}
	crm_text(g, gt, sizeof(gt));
	if (token_has_crm(a, g)) {
		cs_check_add(e->c, CS_CRITICAL, "crm-user", NULL, 0, "member of "
		    "%s, which holds every Dynamics 365 user: a service account "
		    "must not be a Dynamics 365 user", gt);
		phrase(e, CS_CRITICAL, "a Dynamics 365 user (%s)", g->name);
	} else {
		cs_check_add(e->c, CS_OK, "crm-user", NULL, 0, "not a Dynamics "
		    "365 user (not in %s)", g->name);
	}
}

/* True when the ", "-separated LIST holds ITEM (any case). */
static bool
list_has(const char *list, const char *item)
{
	size_t il = strlen(item);

	for (const char *p = list; *p;) {
		size_t l = strcspn(p, ",");

		if (l == il && strncasecmp(p, item, il) == 0)
			return true;
		p += l;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return false;
}

static void
eval_spns(struct ev *e)
{
	const struct svc_account *a = e->a;
	struct cs_buf all, foreign, classes;
	struct json_object *js = json_object_new_array();
	size_t nforeign = 0;

	cs_buf_init(&all, 0);
	cs_buf_init(&foreign, 0);
	cs_buf_init(&classes, 0);
	for (size_t i = 0; i < a->nspns; i++) {
		const char *s = a->spns[i];
		char cl[64];
		size_t l = strcspn(s, "/");

		json_object_array_add(js, json_object_new_string(s));
		cs_buf_printf(&all, "%s%s", all.len ? ", " : "", s);
		if (svc_spn_is_dynamics(s))
			continue;
		nforeign++;
		cs_buf_printf(&foreign, "%s%s", foreign.len ? ", " : "", s);
		snprintf(cl, sizeof(cl), "%.*s", (int)(l < 63 ? l : 63), s);
		if (!list_has(cs_buf_str(&classes), cl))
			cs_buf_printf(&classes, "%s%s", classes.len ? ", " : "",
			    cl);
	}
	json_object_object_add(e->data, "spns", js);
	if (nforeign > 0) {
		cs_check_add(e->c, CS_WARNING, "shared-account", NULL, 0, "carries "
		    "%zu SPN%s of services other than Dynamics 365 (%s): the "
		    "account is not dedicated to Dynamics", nforeign,
		    nforeign == 1 ? "" : "s", cs_buf_str(&foreign));
		phrase(e, CS_WARNING, "shared with %s", cs_buf_str(&classes));
	} else {
		cs_check_add(e->c, CS_OK, "shared-account", NULL, 0, "%s%s",
		    a->nspns ? "SPNs (Dynamics 365 only): " : "no SPNs",
		    cs_buf_str(&all));
	}
	if (nforeign > 0)
		cs_check_add(e->c, CS_OK, NULL, NULL, 0, "SPNs: %s",
		    cs_buf_str(&all));
	cs_buf_free(&all);
	cs_buf_free(&foreign);
	cs_buf_free(&classes);
}

static void
eval_delegation(struct ev *e)
{
	const struct svc_account *a = e->a;

	if (!a->have_uac || !(a->uac & SVC_UF_TRUSTED_FOR_DELEGATION))
		return;
	cs_check_add(e->c, CS_WARNING, "delegation", NULL, 0, "trusted for "
	    "unconstrained delegation (userAccountControl 0x80000): whoever "
	    "controls the service can act as any user towards any service; "
	    "use constrained delegation or none");
	phrase(e, CS_WARNING, "unconstrained delegation");
}

static int
cmp_names(const void *x, const void *y)
{
	const char *a = *(const char *const *)x, *b = *(const char *const *)y;

	return strcasecmp(a, b);
}

static void
eval_groups_note(struct ev *e)
{
	const struct svc_account *a = e->a;
	struct json_object *jg = json_object_new_array();
	char **names = NULL;
	struct cs_buf b;

	if (!a->token_read) {
		json_object_put(jg);
		return;
	}
	names = calloc(a->ntoken ? a->ntoken : 1, sizeof(*names));
	if (names == NULL) {
		e->c->nomem = 1;
		json_object_put(jg);
		return;
	}
	for (size_t i = 0; i < a->ntoken; i++) {
		char sid[SVC_SID_STR_MAX];
		struct json_object *jo = json_object_new_object();

		svc_sid_to_string(&a->token[i].sid, sid, sizeof(sid));
		names[i] = strdup(a->token[i].name ? a->token[i].name : sid);
		json_object_object_add(jo, "name", a->token[i].name ?
		    json_object_new_string(a->token[i].name) : NULL);
		json_object_object_add(jo, "sid", json_object_new_string(sid));
		json_object_array_add(jg, jo);
		if (names[i] == NULL)
			e->c->nomem = 1;
	}
	qsort(names, a->ntoken, sizeof(*names), cmp_names);
	cs_buf_init(&b, 0);
	for (size_t i = 0; i < a->ntoken; i++)
		cs_buf_printf(&b, "%s%s", i ? ", " : "", names[i] ? names[i] :
		    "?");
	cs_check_add(e->c, CS_OK, NULL, NULL, 0, "effective groups (%zu, from "
	    "tokenGroups): %s", a->ntoken, cs_buf_str(&b));
	cs_buf_free(&b);
	for (size_t i = 0; i < a->ntoken; i++)
		free(names[i]);
	free(names);
	json_object_object_add(e->data, "groups", jg);
}

static void
eval_local_note(struct ev *e)
{
	struct cs_buf b;

	cs_buf_init(&b, 0);
	for (size_t i = 0; i < SVC_ROLE_COUNT; i++)
		if (e->o->roles & (1u << i))
			cs_buf_printf(&b, "%s%s needs %s", b.len ? "; " : "",
			    svc_roles[i].id, svc_roles[i].local);
	if (b.len)
		cs_check_add(e->c, CS_OK, NULL, NULL, 0, "not checked, as they "
		    "live on the CRM servers and not in AD (-S HOST checks "
		    "them): %s", cs_buf_str(&b));
	cs_buf_free(&b);
}

/* Which local groups each --server grants (rule local-group). */
static void
eval_local(struct ev *e)
{
	const struct svc_account *a = e->a;
	const struct svc_opts *o = e->o;
	const char *who = a->name ? a->name : a->sam ? a->sam : a->dn;
	struct json_object *jh = json_object_new_array();

	for (size_t h = 0; h < o->nhosts; h++) {
		const struct svc_host *host = &o->hosts[h];
		struct json_object *jo = json_object_new_object();
		struct json_object *jg = json_object_new_array();

		json_object_object_add(jo, "host",
		    json_object_new_string(host->name));
		if (host->rc != 0) {
			cs_check_add(e->c, CS_UNKNOWN, "local-group", NULL, 0,
			    "%s: %s", host->name, host->error ? host->error :
			    "failed");
			phrase(e, CS_UNKNOWN, "%s: %s", host->name,
			    host->error ? host->error : "failed");
			json_object_object_add(jo, "error", json_object_new_string(
			    host->error ? host->error : "failed"));
			json_object_object_add(jo, "groups", jg);
			json_object_array_add(jh, jo);
			continue;
		}
		if (o->nreq == 0)
			cs_check_add(e->c, CS_OK, "local-group", NULL, 0, "%s: the "
			    "roles given need no local group", host->name);
		for (size_t r = 0; r < o->nreq && r < host->ng; r++) {
			const struct svc_local_req *q = &o->req[r];
			const struct svc_host_group *g = &host->g[r];
			struct json_object *j = json_object_new_object();
			struct svc_match m;
			const char *state = "unknown";
			char sid[SVC_SID_STR_MAX];

			json_object_object_add(j, "name",
			    json_object_new_string(q->name));
			json_object_object_add(j, "required_by",
			    json_object_new_string(q->why));
			if (g->rc == CS_ERR_NOT_FOUND) {
				cs_check_add(e->c, CS_UNKNOWN, "local-group", NULL,
				    0, "%s: no local group %s on the host "
				    "(needed by %s)", host->name, q->name, q->why);
				phrase(e, CS_UNKNOWN, "%s: no local group %s",
				    host->name, q->name);
			} else if (g->rc != 0) {
				cs_check_add(e->c, CS_UNKNOWN, "local-group", NULL,
				    0, "%s: %s: %s", host->name, q->name,
				    g->error ? g->error : "failed");
				phrase(e, CS_UNKNOWN, "%s: %s: %s", host->name,
				    q->name, g->error ? g->error : "failed");
			} else if (svc_local_match(a, g->members, g->nmembers,
			    &m) == SVC_VIA_ACCOUNT) {
				state = "ok";
				cs_check_add(e->c, CS_OK, "local-group", NULL, 0,
				    "%s: %s\\%s (needed by %s): OK, the account "
				    "itself is a member", host->name, g->domain ?
				    g->domain : "", q->name, q->why);
				json_object_object_add(j, "via",
				    json_object_new_string("account"));
			} else if (m.via == SVC_VIA_GROUP) {
				state = "ok";
				svc_sid_to_string(&m.group->sid, sid, sizeof(sid));
				cs_check_add(e->c, CS_OK, "local-group", NULL, 0,
				    "%s: %s\\%s (needed by %s): OK, through the "
				    "domain group %s (%s) nested into it",
				    host->name, g->domain ? g->domain : "",
				    q->name, q->why, m.group->name ?
				    m.group->name : sid, sid);
				json_object_object_add(j, "via",
				    json_object_new_string(m.group->name ?
				    m.group->name : sid));
			} else if (m.via == SVC_VIA_WELL_KNOWN) {
				state = "ok";
				cs_check_add(e->c, CS_OK, "local-group", NULL, 0,
				    "%s: %s\\%s (needed by %s): OK, through %s",
				    host->name, g->domain ? g->domain : "",
				    q->name, q->why, m.well_known);
				json_object_object_add(j, "via",
				    json_object_new_string(m.well_known));
			} else if (!a->have_sid) {
				cs_check_add(e->c, CS_UNKNOWN, "local-group", NULL,
				    0, "%s: %s: cannot tell, the account's SID "
				    "is unknown", host->name, q->name);
				phrase(e, CS_UNKNOWN, "local groups: the account's "
				    "SID is unknown");
			} else if (!a->token_read) {
				cs_check_add(e->c, CS_UNKNOWN, "local-group", NULL,
				    0, "%s: %s: the account is not a direct "
				    "member, and tokenGroups could not be read to "
				    "tell a nested membership", host->name,
				    q->name);
				phrase(e, CS_UNKNOWN, "%s: %s: nested membership "
				    "unknown", host->name, q->name);
			} else {
				state = "missing";
				e->nlocal_missing++;
				cs_check_add(e->c, CS_WARNING, "local-group", NULL,
				    0, "%s: %s is not in the local group %s\\%s, "
				    "which role %s needs (%zu member%s, none the "
				    "account or one of its groups)", host->name,
				    who, g->domain ? g->domain : "", q->name,
				    q->why, g->nmembers, g->nmembers == 1 ? "" :
				    "s");
				phrase(e, CS_WARNING, "not in local group %s on %s "
				    "(%s)", q->name, host->name, q->why);
			}
			json_object_object_add(j, "state",
			    json_object_new_string(state));
			json_object_array_add(jg, j);
		}
		json_object_object_add(jo, "groups", jg);
		json_object_array_add(jh, jo);
	}
	json_object_object_add(e->data, "local_groups", jh);
}

static void
summarise(struct ev *e)
{
	const struct svc_account *a = e->a;
	const char *who = a->name ? a->name : a->sam ? a->sam : a->dn;
	struct cs_buf s, roles;
	bool bad = false;

	cs_buf_init(&s, 0);
	cs_buf_init(&roles, 0);
	/* worst first: CRITICAL, UNKNOWN, WARNING */
	for (int r = 3; r >= 1; r--) {
		if (e->phrases[r].len == 0)
			continue;
		cs_buf_printf(&s, "%s%s", bad ? "; " : "",
		    cs_buf_str(&e->phrases[r]));
		bad = true;
	}
	roles_text(e->o->roles, 0, &roles);
	if (!bad) {
		cs_check_summary(e->c, "%s%s%s%s: all AD %schecks passed%s%s",
		    who, roles.len ? " (" : "", cs_buf_str(&roles), roles.len ?
		    ")" : "", e->o->nhosts ? "and local group " : "",
		    e->phrases[0].len ? "; " : "",
		    cs_buf_str(&e->phrases[0]));
	} else {
		cs_check_summary(e->c, "%s: %s", who, cs_buf_str(&s));
	}
	cs_buf_free(&s);
	cs_buf_free(&roles);
}

void
svc_evaluate(const struct svc_account *a, const struct svc_opts *o,
    struct cs_check *c)
{
	struct ev e = { .a = a, .o = o, .c = c };
	struct json_object *jr = json_object_new_array();
	struct json_object *jc = json_object_new_object();
	double days = NAN;
	bool user;
	char sid[SVC_SID_STR_MAX];

	for (int i = 0; i < 4; i++)
		cs_buf_init(&e.phrases[i], 0);
	e.data = json_object_new_object();
	json_object_object_add(e.data, "dn", json_object_new_string(a->dn));
	json_object_object_add(e.data, "name", a->name ?
	    json_object_new_string(a->name) : NULL);
	json_object_object_add(e.data, "kind",
	    json_object_new_string(kind_text(a->kind)));
	if (a->have_sid) {
		svc_sid_to_string(&a->sid, sid, sizeof(sid));
		json_object_object_add(e.data, "sid", json_object_new_string(sid));
	}
	for (size_t i = 0; i < SVC_ROLE_COUNT; i++)
		if (o->roles & (1u << i))
			json_object_array_add(jr,
			    json_object_new_string(svc_roles[i].id));
	json_object_object_add(e.data, "roles", jr);
	for (int k = 0; k < SVC_G_COUNT; k++)
		if (svc_crm_kinds[k].prefix != NULL)
			json_object_object_add(jc, svc_crm_kinds[k].key,
			    a->crm[k].status == SVC_CRM_FOUND && a->crm[k].dn ?
			    json_object_new_string(a->crm[k].dn) : NULL);
	json_object_object_add(e.data, "crm_groups", jc);

	eval_notes(&e);
	user = eval_not_user(&e);
	if (a->kind != SVC_KIND_OTHER) {
		eval_disabled_locked(&e);
		if (user)
			days = eval_password(&e);
		eval_privileged(&e);
		eval_admincount(&e);
		if (user) {
			eval_domain_users(&e);
			eval_role_groups(&e);
			eval_crm_user(&e);
			eval_spns(&e);
		}
		eval_delegation(&e);
		eval_groups_note(&e);
		if (o->nhosts > 0)
			eval_local(&e);
		else if (user)
			eval_local_note(&e);
	}
	cs_check_perf(c, "days_to_expiry", days, NULL, &o->th, NAN, NAN);
	cs_check_perf(c, "groups", a->token_read ? (double)a->ntoken : NAN,
	    NULL, NULL, 0, NAN);
	cs_check_perf(c, "privileged_groups", a->token_read ?
	    (double)e.nprivileged : NAN, NULL, NULL, 0, NAN);
	if (o->nhosts > 0)
		cs_check_perf(c, "local_groups_missing",
		    (double)e.nlocal_missing, NULL, NULL, 0, NAN);
	summarise(&e);
	cs_check_data(c, "account", e.data);
	for (int i = 0; i < 4; i++)
		cs_buf_free(&e.phrases[i]);
}
