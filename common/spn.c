#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/linkhash.h>

#include "spn.h"

int
cs_spn_parse(const char *s, struct cs_spn *out, struct cs_error *err)
{
	const char *slash, *hostp, *end, *colon, *rest;
	size_t len = strlen(s), cl, hl;

	memset(out, 0, sizeof(*out));
	if (len == 0 || len >= CS_SPN_MAX)
		return cs_error_set(err, CS_ERR_PARSE, "SPN '%.64s': %s", s,
		    len ? "too long" : "empty");
	for (const char *p = s; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return cs_error_set(err, CS_ERR_PARSE,
			    "SPN has a control character");
	if ((slash = strchr(s, '/')) == NULL)
		return cs_error_set(err, CS_ERR_PARSE,
		    "SPN '%s' is not serviceclass/host", s);
	cl = (size_t)(slash - s);
	if (cl == 0 || cl >= sizeof(out->service_class))
		return cs_error_set(err, CS_ERR_PARSE,
		    "SPN '%s': bad service class", s);
	memcpy(out->service_class, s, cl);
	hostp = slash + 1;
	rest = strchr(hostp, '/');
	end = rest ? rest : hostp + strlen(hostp);
	colon = memchr(hostp, ':', (size_t)(end - hostp));
	hl = (size_t)((colon ? colon : end) - hostp);
	if (hl == 0 || hl >= sizeof(out->host))
		return cs_error_set(err, CS_ERR_PARSE, "SPN '%s': bad host", s);
	memcpy(out->host, hostp, hl);
	if (colon != NULL) {
		unsigned long port = 0;
		const char *p;

		for (p = colon + 1; p < end && isdigit((unsigned char)*p); p++)
			port = port * 10 + (unsigned long)(*p - '0');
		if (p != end || p == colon + 1 || port == 0 || port > 65535)
			return cs_error_set(err, CS_ERR_PARSE,
			    "SPN '%s': bad port", s);
		out->port = (unsigned)port;
	}
	if (rest != NULL) {
		if (rest[1] == '\0' || strlen(rest + 1) >=
		    sizeof(out->service_name))
			return cs_error_set(err, CS_ERR_PARSE,
			    "SPN '%s': bad service name", s);
		strcpy(out->service_name, rest + 1);
	}
	return 0;
}

char *
cs_spn_key(const char *spn)
{
	char *k = strdup(spn);

	for (char *p = k; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return k;
}

static int
push(char ***list, size_t *n, char *s, struct cs_error *err)
{
	char **l;

	if (s == NULL)
		return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < *n; i++) {
		if (strcasecmp((*list)[i], s) == 0) {
			free(s);
			return 0;
		}
	}
	if ((l = realloc(*list, (*n + 1) * sizeof(*l))) == NULL) {
		free(s);
		return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
	}
	*list = l;
	l[(*n)++] = s;
	return 0;
}

static char *
spnf(const char *host, size_t hl, unsigned port)
{
	char *s = NULL;
	int r;

	r = port ? asprintf(&s, "HTTP/%.*s:%u", (int)hl, host, port) :
	    asprintf(&s, "HTTP/%.*s", (int)hl, host);
	return r < 0 ? NULL : s;
}

int
cs_spn_from_url(const char *url, bool with_port, char ***list, size_t *n,
    struct cs_error *err)
{
	const char *p = strstr(url, "://"), *host, *end;
	size_t hl;
	unsigned long port = 0;
	bool is_ip = true;
	int rc;

	if (p == NULL || (strncasecmp(url, "http://", 7) != 0 &&
	    strncasecmp(url, "https://", 8) != 0))
		return cs_error_set(err, CS_ERR_USAGE,
		    "--url %s: not an http:// or https:// URL", url);
	host = p + 3;
	if ((p = strchr(host, '@')) != NULL && p < host + strcspn(host, "/"))
		host = p + 1; /* user info is not part of the host */
	if (*host == '[')
		return cs_error_set(err, CS_ERR_USAGE,
		    "--url %s: an IP address has no SPN", url);
	hl = strcspn(host, ":/?#");
	if (hl == 0)
		return cs_error_set(err, CS_ERR_USAGE, "--url %s: no host", url);
	end = host + hl;
	if (*end == ':') {
		char *e;

		port = strtoul(end + 1, &e, 10);
		if (e == end + 1 || port == 0 || port > 65535 ||
		    (*e != '\0' && *e != '/' && *e != '?' && *e != '#'))
			return cs_error_set(err, CS_ERR_USAGE,
			    "--url %s: bad port", url);
	}
	for (size_t i = 0; i < hl; i++)
		if (!isdigit((unsigned char)host[i]) && host[i] != '.')
			is_ip = false;
	if (is_ip)
		return cs_error_set(err, CS_ERR_USAGE,
		    "--url %s: an IP address has no SPN (browsers fall back to "
		    "NTLM)", url);
	if ((rc = push(list, n, spnf(host, hl, 0), err)) != 0)
		return rc;
	if (with_port && port != 0 &&
	    (rc = push(list, n, spnf(host, hl, (unsigned)port), err)) != 0)
		return rc;
	if (memchr(host, '.', hl) != NULL) {
		size_t sl = strcspn(host, ".");

		if ((rc = push(list, n, spnf(host, sl, 0), err)) != 0)
			return rc;
		if (with_port && port != 0 && (rc = push(list, n,
		    spnf(host, sl, (unsigned)port), err)) != 0)
			return rc;
	}
	return 0;
}

/* Windows' default sPNMappings value (the classes that HOST stands for). */
static const char default_mappings[] =
    "host=alerter,appmgmt,cisvc,clipsrv,browser,dhcp,dnscache,replicator,"
    "eventlog,eventsystem,policyagent,oakley,dmserver,dns,mcsvc,fax,msiserver,"
    "ias,messenger,netlogon,netman,netdde,netddedsm,nmagent,plugplay,"
    "protectedstorage,rasman,rpclocator,rpc,rpcss,remoteaccess,rsvp,samss,"
    "scardsvr,scesrv,seclogon,scm,dcom,cifs,spooler,snmp,schedule,tapisrv,"
    "trksvr,trkwks,ups,time,wins,www,http,w3svc,iisadmin,msdtc";

static bool
in_mapping(const char *value, const char *sclass)
{
	const char *eq = strchr(value, '='), *p;
	size_t cl = strlen(sclass);

	if (eq == NULL || (size_t)(eq - value) != 4 ||
	    strncasecmp(value, "host", 4) != 0)
		return false;
	for (p = eq + 1; *p;) {
		size_t n = strcspn(p, ",");

		while (n > 0 && p[n - 1] == ' ')
			n--;
		if (n == cl && strncasecmp(p, sclass, cl) == 0)
			return true;
		p += strcspn(p, ",");
		if (*p == ',')
			p++;
		while (*p == ' ')
			p++;
	}
	return false;
}

bool
cs_spn_maps_to_host(const struct cs_spn *spn, const char *const *mappings)
{
	if (strcasecmp(spn->service_class, "host") == 0)
		return false;
	if (mappings == NULL)
		return in_mapping(default_mappings, spn->service_class);
	for (; *mappings; mappings++)
		if (in_mapping(*mappings, spn->service_class))
			return true;
	return false;
}

char *
cs_spn_host_alias(const struct cs_spn *spn)
{
	char *s = NULL, port[16] = "";

	if (spn->port)
		snprintf(port, sizeof(port), ":%u", spn->port);
	if (asprintf(&s, "HOST/%s%s%s%s", spn->host, port,
	    spn->service_name[0] ? "/" : "", spn->service_name) < 0)
		return NULL;
	return s;
}

/* ---- the index ---- */

struct spn_entry {
	uint32_t first;         /* the first owner */
	uint32_t nmore;         /* further owners */
	uint32_t *more;
	char *key;              /* points into text, after the SPN */
	char text[];            /* the SPN as first seen, NUL, its key, NUL */
};

struct cs_spn_index {
	struct lh_table *t;
};

static void
free_entry(struct lh_entry *e)
{
	struct spn_entry *se = lh_entry_v(e);

	if (se != NULL)
		free(se->more);
	free(se);
}

struct cs_spn_index *
cs_spn_index_new(void)
{
	struct cs_spn_index *x = calloc(1, sizeof(*x));

	if (x == NULL)
		return NULL;
	if ((x->t = lh_kchar_table_new(1024, free_entry)) == NULL) {
		free(x);
		return NULL;
	}
	return x;
}

void
cs_spn_index_free(struct cs_spn_index *x)
{
	if (x == NULL)
		return;
	lh_table_free(x->t);
	free(x);
}

int
cs_spn_index_add(struct cs_spn_index *x, const char *spn, uint32_t owner)
{
	size_t len = strlen(spn);
	char key[CS_SPN_MAX];
	struct lh_entry *e;
	struct spn_entry *se;
	unsigned long h;

	if (len >= CS_SPN_MAX)
		len = CS_SPN_MAX - 1; /* AD caps values far below this */
	for (size_t i = 0; i < len; i++)
		key[i] = (char)tolower((unsigned char)spn[i]);
	key[len] = '\0';
	h = lh_get_hash(x->t, key);
	if ((e = lh_table_lookup_entry_w_hash(x->t, key, h)) != NULL) {
		uint32_t *m;

		se = lh_entry_v(e);
		if (se->first == owner)
			return 0;
		for (uint32_t i = 0; i < se->nmore; i++)
			if (se->more[i] == owner)
				return 0;
		if ((m = realloc(se->more, (se->nmore + 1) * sizeof(*m))) ==
		    NULL)
			return CS_ERR_NOMEM;
		se->more = m;
		m[se->nmore++] = owner;
		return 0;
	}
	if ((se = malloc(sizeof(*se) + 2 * len + 2)) == NULL)
		return CS_ERR_NOMEM;
	se->first = owner;
	se->nmore = 0;
	se->more = NULL;
	memcpy(se->text, spn, len);
	se->text[len] = '\0';
	se->key = se->text + len + 1;
	memcpy(se->key, key, len + 1);
	if (lh_table_insert_w_hash(x->t, se->key, se, h, 0) != 0) {
		free(se);
		return CS_ERR_NOMEM;
	}
	return 0;
}

size_t
cs_spn_index_count(const struct cs_spn_index *x)
{
	return (size_t)lh_table_length(x->t);
}

int
cs_spn_index_duplicates(const struct cs_spn_index *x, cs_spn_dup_cb cb,
    void *ctx)
{
	struct lh_entry *e;
	int rc;

	lh_foreach(x->t, e) {
		const struct spn_entry *se = lh_entry_v(e);
		uint32_t *owners;

		if (se->nmore == 0)
			continue;
		if ((owners = malloc((se->nmore + 1) * sizeof(*owners))) == NULL)
			return CS_ERR_NOMEM;
		owners[0] = se->first;
		memcpy(owners + 1, se->more, se->nmore * sizeof(*owners));
		rc = cb(se->text, owners, se->nmore + 1, ctx);
		free(owners);
		if (rc != 0)
			return rc;
	}
	return 0;
}
