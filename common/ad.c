#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <sys/socket.h>

#include <sasl/sasl.h>

#include "ad.h"
#include "fileio.h"

/* ---- options ------------------------------------------------------------ */

enum {
	OPT_INSECURE = CS_OPT_GROUP,
	OPT_CACERT,
	OPT_PASSWORD_FILE,
	OPT_PAGE_SIZE,
};

const char cs_ad_shortopts[] = "H:p:ZGD:P:Y:b:";

const struct option cs_ad_longopts[] = {
	{ "host", required_argument, NULL, 'H' },
	{ "port", required_argument, NULL, 'p' },
	{ "starttls", no_argument, NULL, 'Z' },
	{ "global-catalog", no_argument, NULL, 'G' },
	{ "insecure", no_argument, NULL, OPT_INSECURE },
	{ "cacert", required_argument, NULL, OPT_CACERT },
	{ "bind-dn", required_argument, NULL, 'D' },
	{ "password-file", required_argument, NULL, OPT_PASSWORD_FILE },
	{ "password", required_argument, NULL, 'P' },
	{ "sasl-mech", required_argument, NULL, 'Y' },
	{ "base", required_argument, NULL, 'b' },
	{ "page-size", required_argument, NULL, OPT_PAGE_SIZE },
	{ NULL, 0, NULL, 0 },
};

const char cs_ad_help[] =
    " -H, --host=URI\n"
    "    A domain controller: ldap://dc1.example.com, ldaps://dc1.example.com or\n"
    "    a bare host name. Repeatable: the next is tried when one cannot be\n"
    "    reached (failover); the long output says which one answered.\n"
    " -p, --port=PORT\n"
    "    Port for bare host names (default 389, 636 for LDAPS; with -G 3268,\n"
    "    3269).\n"
    " -Z, --starttls\n"
    "    Upgrade ldap:// with StartTLS; failure to do so is an error.\n"
    " --cacert=FILE\n"
    "    CA certificates (PEM) to verify the DC's certificate with; default: the\n"
    "    system store. The host name is always checked against the certificate.\n"
    " --insecure\n"
    "    Do not verify the certificate (the long output says so). Avoid.\n"
    " -G, --global-catalog\n"
    "    Search the whole forest through the Global Catalog (port 3268/3269).\n"
    " -D, --bind-dn=NAME\n"
    "    Simple bind as NAME: a DN, user@domain.fqdn or DOMAIN\\user. A read-only\n"
    "    account in Domain Users is enough.\n"
    " --password-file=FILE\n"
    "    The bind password is the first line of FILE, which must not be\n"
    "    readable by group or others (chmod 600). Or set LDAP_PASSWORD in the\n"
    "    environment, or password=... in the --extra-opts ini file.\n"
    " -P, --password=PASSWORD\n"
    "    The bind password on the command line. WARNING: anyone on the host can\n"
    "    read it in the process list; use --password-file or --extra-opts.\n"
    " -Y, --sasl-mech=GSSAPI\n"
    "    Kerberos bind with the credential cache (KRB5CCNAME) or a keytab\n"
    "    (KRB5_CLIENT_KTNAME); -H must name the DC by its DNS name.\n"
    " -b, --base=DN\n"
    "    Search base (default: the domain's defaultNamingContext; with -G the\n"
    "    whole forest).\n"
    " --page-size=N\n"
    "    Entries per page of a paged search (default 1000, AD's maximum).\n"
    "Referrals are never chased. A size or time limit, a lost page or a\n"
    "timeout make the result UNKNOWN: nothing is judged on partial data.\n";

int
cs_ad_option(struct cs_ad_opts *o, int opt, const char *arg,
    struct cs_error *err)
{
	long v;

	switch (opt) {
	case 'H':
		if (o->nhosts == CS_AD_MAX_HOSTS)
			return cs_error_set(err, CS_ERR_USAGE,
			    "-H: at most %d hosts", CS_AD_MAX_HOSTS);
		o->hosts[o->nhosts++] = arg;
		return 0;
	case 'p':
		if (cs_parse_long(arg, 1, 65535, &v, "--port", err) != 0)
			return CS_ERR_USAGE;
		o->port = (int)v;
		return 0;
	case 'Z':
		o->starttls = true;
		return 0;
	case 'G':
		o->gc = true;
		return 0;
	case OPT_INSECURE:
		o->insecure = true;
		return 0;
	case OPT_CACERT:
		o->cacert = arg;
		return 0;
	case 'D':
		o->bind_dn = arg;
		return 0;
	case OPT_PASSWORD_FILE:
		o->password_file = arg;
		return 0;
	case 'P':
		if (o->password != NULL) {
			cs_file_wipe(o->password, strlen(o->password));
			free(o->password);
		}
		if ((o->password = strdup(arg)) == NULL)
			return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
		return 0;
	case 'Y':
		if (strcasecmp(arg, "GSSAPI") != 0)
			return cs_error_set(err, CS_ERR_USAGE,
			    "--sasl-mech: only GSSAPI is supported, not '%s'",
			    arg);
		o->mech = "GSSAPI";
		return 0;
	case 'b':
		o->base = arg;
		return 0;
	case OPT_PAGE_SIZE:
		if (cs_parse_long(arg, 1, 100000, &v, "--page-size", err) != 0)
			return CS_ERR_USAGE;
		o->page_size = (int)v;
		return 0;
	}
	return 1;
}

int
cs_ad_validate(const struct cs_ad_opts *o, struct cs_error *err)
{
	if (o->nhosts == 0)
		return cs_error_set(err, CS_ERR_USAGE,
		    "no domain controller: give -H");
	if (o->mech != NULL && o->bind_dn != NULL)
		return cs_error_set(err, CS_ERR_USAGE,
		    "-Y GSSAPI and -D exclude each other: Kerberos binds as the "
		    "ticket's principal");
	if (o->mech == NULL && o->bind_dn == NULL &&
	    (o->password || o->password_file))
		return cs_error_set(err, CS_ERR_USAGE,
		    "a password without -D: whose password is it?");
	if (o->password != NULL && o->password_file != NULL)
		return cs_error_set(err, CS_ERR_USAGE,
		    "give the password once: --password or --password-file");
	if (o->insecure && o->cacert != NULL)
		return cs_error_set(err, CS_ERR_USAGE,
		    "--insecure and --cacert exclude each other");
	for (size_t i = 0; i < o->nhosts; i++) {
		if (o->starttls && strncasecmp(o->hosts[i], "ldaps://", 8) == 0)
			return cs_error_set(err, CS_ERR_USAGE,
			    "-Z (StartTLS) with %s: LDAPS is already TLS",
			    o->hosts[i]);
	}
	return 0;
}

void
cs_ad_opts_clear(struct cs_ad_opts *o)
{
	if (o->password != NULL) {
		cs_file_wipe(o->password, strlen(o->password));
		free(o->password);
		o->password = NULL;
	}
}

/* ---- time --------------------------------------------------------------- */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

double
cs_ad_remaining(const struct cs_ad *ad)
{
	return (double)ad->deadline.tv_sec +
	    (double)ad->deadline.tv_nsec / 1e9 - now();
}

static struct timeval
tv_of(double secs)
{
	struct timeval tv;

	if (secs < 0.05)
		secs = 0.05;
	tv.tv_sec = (time_t)secs;
	tv.tv_usec = (suseconds_t)((secs - (double)tv.tv_sec) * 1e6);
	return tv;
}

/*
 * libldap reopens a lost connection by itself on the next request, without
 * TLS when it was StartTLS and without the bind: anonymous. Every request
 * after the connection is up must check that it is still the one we bound.
 */
static int
check_alive(struct cs_ad *ad, struct cs_error *err)
{
	ber_socket_t fd = -1;

	if (ldap_get_option(ad->ld, LDAP_OPT_DESC, &fd) != LDAP_OPT_SUCCESS ||
	    fd < 0)
		return cs_error_set(err, CS_ERR_INCOMPLETE, "%s: connection lost "
		    "after %lu pages: not reconnecting without the bind",
		    ad->uri, ad->pages);
	return 0;
}

/* ---- URIs ----------------------------------------------------------------- */

/*
 * Builds "scheme://host:port" from -H VALUE: a URI or a bare host. Returns
 * a new string, or NULL with ERR set.
 */
static char *
make_uri(const struct cs_ad_opts *o, const char *value, struct cs_error *err)
{
	const char *scheme = "ldap", *host = value, *p;
	char hostbuf[512];
	size_t hl;
	long port = 0;
	bool tls;
	char *uri = NULL;

	if ((p = strstr(value, "://")) != NULL) {
		if (strncasecmp(value, "ldaps://", 8) == 0)
			scheme = "ldaps";
		else if (strncasecmp(value, "ldap://", 7) != 0) {
			cs_error_set(err, CS_ERR_USAGE,
			    "-H %s: only ldap:// and ldaps:// are supported",
			    value);
			return NULL;
		}
		host = p + 3;
	}
	/* host, [v6 literal], optional :port, optional trailing '/' */
	if (*host == '[') {
		const char *close = strchr(host, ']');

		if (close == NULL)
			goto bad;
		hl = (size_t)(close - host) + 1;
		p = close + 1;
	} else {
		hl = strcspn(host, ":/");
		p = host + hl;
	}
	if (hl == 0 || hl >= sizeof(hostbuf))
		goto bad;
	memcpy(hostbuf, host, hl);
	hostbuf[hl] = '\0';
	if (*p == ':') {
		char *end;

		port = strtol(p + 1, &end, 10);
		if (end == p + 1 || port < 1 || port > 65535)
			goto bad;
		p = end;
		if (o->port != 0 && o->port != port) {
			cs_error_set(err, CS_ERR_USAGE,
			    "-H %s names port %ld, -p says %d", value, port,
			    o->port);
			return NULL;
		}
	}
	if (*p == '/')
		p++;
	if (*p != '\0')
		goto bad;
	tls = strcmp(scheme, "ldaps") == 0;
	if (port == 0)
		port = o->port ? o->port :
		    o->gc ? (tls ? 3269 : 3268) : (tls ? 636 : 389);
	if (asprintf(&uri, "%s://%s:%ld", scheme, hostbuf, port) < 0) {
		cs_error_set(err, CS_ERR_NOMEM, "out of memory");
		return NULL;
	}
	return uri;
bad:
	cs_error_set(err, CS_ERR_USAGE, "-H %s: not a host name or LDAP URI",
	    value);
	return NULL;
}

/* ---- errors ------------------------------------------------------------- */

/* AD puts the reason for a failed bind in "data NNN" of the diagnostic. */
static const struct {
	const char *code;
	const char *text;
} ad_bind_reasons[] = {
	{ "525", "no such user" },
	{ "52e", "wrong user name or password" },
	{ "530", "not permitted to log on at this time" },
	{ "531", "not permitted to log on from this workstation" },
	{ "532", "password expired" },
	{ "533", "account disabled" },
	{ "568", "too many security IDs" },
	{ "701", "account expired" },
	{ "773", "password must be changed" },
	{ "775", "account locked out" },
};

/*
 * Kerberos errors of a GSSAPI bind. Cyrus SASL passes MIT's minor code on
 * as "(Unknown error N)" or as MIT's text (krb5_err.et, base -1765328384);
 * either way the administrator gets what to do about it.
 */
static const struct {
	long code;
	const char *mit;
	const char *text;
} krb5_reasons[] = {
	{ -1765328378, "Client not found in Kerberos database",
	  "the KDC does not know the ticket's client" },
	{ -1765328377, "Server not found in Kerberos database",
	  "the KDC knows no ldap/ service principal for the DC name in -H: "
	  "give the DC's DNS name" },
	{ -1765328366, "Client's credentials have been revoked",
	  "the account is disabled or locked out" },
	{ -1765328361, "Password has expired", "the password has expired" },
	{ -1765328352, "Ticket expired",
	  "the Kerberos ticket has expired: renew it (kinit, k5start)" },
	{ -1765328347, "Clock skew too great",
	  "this host's clock and the DC's differ by more than 5 minutes" },
	{ -1765328343, "Message stream modified",
	  "the DC cannot decrypt the ticket: its ldap/ SPN may be registered "
	  "on another account too (see check_spn)" },
	{ -1765328243, "Matching credential not found",
	  "the ticket cache holds no usable ticket" },
	{ -1765328230, "Cannot find KDC for requested realm",
	  "no KDC is known for the realm (krb5.conf)" },
	{ -1765328228, "Cannot contact any KDC for requested realm",
	  "no KDC of the realm answered" },
	{ -1765328189, "No credentials cache found",
	  "no Kerberos ticket cache: run kinit or set KRB5CCNAME" },
	/* GSSAPI's own words for an empty or missing cache */
	{ 0, "No Kerberos credentials available",
	  "no Kerberos ticket: run kinit (or k5start with a keytab) or set "
	  "KRB5CCNAME" },
};

/* The entry of krb5_reasons that DIAG names, or -1. */
static int
krb5_reason(const char *diag)
{
	const char *p = strstr(diag, "Unknown error ");
	long code = p != NULL ? strtol(p + 14, NULL, 10) : 0;

	for (size_t i = 0; i < sizeof(krb5_reasons) /
	    sizeof(krb5_reasons[0]); i++)
		if ((code != 0 && krb5_reasons[i].code == code) ||
		    strstr(diag, krb5_reasons[i].mit) != NULL)
			return (int)i;
	return -1;
}

static const char *
diagnostic(LDAP *ld)
{
	static char buf[256];
	char *msg = NULL;

	buf[0] = '\0';
	if (ld != NULL && ldap_get_option(ld, LDAP_OPT_DIAGNOSTIC_MESSAGE,
	    &msg) == LDAP_OPT_SUCCESS && msg != NULL) {
		snprintf(buf, sizeof(buf), "%s", msg);
		ldap_memfree(msg);
	}
	/* one line, no trailing NUL-padding or newline */
	for (char *p = buf; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return buf;
}

static bool
looks_like_tls(const char *diag)
{
	static const char *const words[] = { "TLS", "certificate", "cert ",
		"handshake", "SSL", "issuer", "hostname", "x509", NULL };

	for (int i = 0; words[i]; i++)
		if (strcasestr(diag, words[i]) != NULL)
			return true;
	return false;
}

/*
 * libldap says only "Can't contact LDAP server" when a TLS handshake fails.
 * If a plain TCP connection to the same host and port succeeds, the server
 * is there and TLS is what failed.
 */
static bool
tcp_reachable(const char *uri)
{
	const char *h = strstr(uri, "://");
	char host[256], port[8];
	struct addrinfo hints = { 0 }, *res = NULL;
	const char *colon;
	bool ok = false;

	if (h == NULL || (colon = strrchr(h + 3, ':')) == NULL)
		return false;
	h += 3;
	if ((size_t)(colon - h) >= sizeof(host) || strlen(colon + 1) >= sizeof(port))
		return false;
	memcpy(host, h, (size_t)(colon - h));
	host[colon - h] = '\0';
	if (host[0] == '[') {	/* [v6] */
		memmove(host, host + 1, strlen(host));
		host[strcspn(host, "]")] = '\0';
	}
	strcpy(port, colon + 1);
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(host, port, &hints, &res) != 0)
		return false;
	for (struct addrinfo *a = res; a && !ok; a = a->ai_next) {
		int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, a->ai_protocol);
		struct pollfd pfd;
		int e = 0;
		socklen_t el = sizeof(e);

		if (fd < 0)
			continue;
		if (connect(fd, a->ai_addr, a->ai_addrlen) == 0)
			ok = true;
		else if (errno == EINPROGRESS) {
			pfd.fd = fd;
			pfd.events = POLLOUT;
			if (poll(&pfd, 1, 1000) == 1 && getsockopt(fd, SOL_SOCKET,
			    SO_ERROR, &e, &el) == 0 && e == 0)
				ok = true;
		}
		close(fd);
	}
	freeaddrinfo(res);
	return ok;
}

/* Turns a libldap result code of operation WHAT into our error. */
static int
ldap_error(LDAP *ld, int rc, const char *uri, const char *what,
    struct cs_error *err)
{
	const char *diag = diagnostic(ld);
	const char *sep;

	if (strcmp(diag, "(unknown error code)") == 0)
		diag = "";
	sep = *diag ? ": " : "";
	switch (rc) {
	case LDAP_SERVER_DOWN:
	case LDAP_CONNECT_ERROR:
		if (looks_like_tls(diag))
			return cs_error_set(err, CS_ERR_TLS,
			    "%s: TLS failed during %s%s%s", uri, what, sep,
			    diag);
		if ((strncmp(uri, "ldaps://", 8) == 0 ||
		    strcmp(what, "StartTLS") == 0) && tcp_reachable(uri))
			return cs_error_set(err, CS_ERR_TLS,
			    "%s: TLS handshake failed: the DC's certificate is "
			    "not trusted (see --cacert), has expired, or does "
			    "not name the host in the URI", uri);
		return cs_error_set(err, CS_ERR_CONNECT,
		    "%s: cannot connect (%s)%s%s", uri, ldap_err2string(rc),
		    sep, diag);
	case LDAP_TIMEOUT:
		return cs_error_set(err, CS_ERR_TIMEOUT,
		    "%s: no answer to %s in time", uri, what);
	case LDAP_INVALID_CREDENTIALS:
		for (size_t i = 0; i < sizeof(ad_bind_reasons) /
		    sizeof(ad_bind_reasons[0]); i++) {
			char pat[16];

			snprintf(pat, sizeof(pat), "data %s,",
			    ad_bind_reasons[i].code);
			if (strstr(diag, pat) != NULL)
				return cs_error_set(err, CS_ERR_AUTH,
				    "%s: bind refused: %s", uri,
				    ad_bind_reasons[i].text);
		}
		return cs_error_set(err, CS_ERR_AUTH,
		    "%s: bind refused: invalid credentials", uri);
	case LDAP_STRONG_AUTH_REQUIRED:
	case LDAP_CONFIDENTIALITY_REQUIRED:
		return cs_error_set(err, CS_ERR_AUTH,
		    "%s: the DC requires a protected connection for %s: use "
		    "ldaps:// or -Z%s%s", uri, what, sep, diag);
	case LDAP_INAPPROPRIATE_AUTH:
	case LDAP_INSUFFICIENT_ACCESS:
	case LDAP_AUTH_METHOD_NOT_SUPPORTED:
	case LDAP_AUTH_UNKNOWN:
		return cs_error_set(err, CS_ERR_AUTH, "%s: %s: %s%s%s", uri,
		    what, ldap_err2string(rc), sep, diag);
	case LDAP_LOCAL_ERROR: {
		/* SASL/GSSAPI failures surface here */
		int k = krb5_reason(diag);

		if (k >= 0)
			return cs_error_set(err, CS_ERR_AUTH, "%s: %s failed: "
			    "%s (Kerberos: %s)", uri, what, krb5_reasons[k].text,
			    krb5_reasons[k].mit);
		return cs_error_set(err, CS_ERR_AUTH, "%s: %s failed: %s%s%s",
		    uri, what, ldap_err2string(rc), sep, diag);
	}
	case LDAP_SIZELIMIT_EXCEEDED:
	case LDAP_TIMELIMIT_EXCEEDED:
	case LDAP_ADMINLIMIT_EXCEEDED:
	case LDAP_REFERRAL:
	case LDAP_PARTIAL_RESULTS:
		return cs_error_set(err, CS_ERR_INCOMPLETE,
		    "%s: incomplete result of %s: %s%s%s", uri, what,
		    ldap_err2string(rc), sep, diag);
	case LDAP_NO_MEMORY:
		return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
	}
	return cs_error_set(err, CS_ERR_PROTOCOL, "%s: %s failed: %s%s%s", uri,
	    what, ldap_err2string(rc), sep, diag);
}

/* ---- passwords ------------------------------------------------------------ */

/* Reads the password file, refusing one that others can read. */
static int
read_password_file(const char *path, char **out, struct cs_error *err)
{
	char *buf = NULL;
	size_t len;
	int rc;

	*out = NULL;
	if ((rc = cs_file_read_secret(path, 4096, &buf, &len,
	    "--password-file", err)) != 0)
		return rc;
	/* the first line is the password */
	len = strcspn(buf, "\r\n");
	buf[len] = '\0';
	if (len == 0) {
		free(buf);
		return cs_error_set(err, CS_ERR_FORMAT,
		    "--password-file %s: empty password", path);
	}
	*out = buf;
	return 0;
}

/* The password to bind with, from -P/ini, the file or LDAP_PASSWORD. */
static int
get_password(struct cs_ad_opts *o, char **out, struct cs_error *err)
{
	const char *env = getenv("LDAP_PASSWORD");

	*out = NULL;
	if (o->password != NULL) {
		if ((*out = strdup(o->password)) == NULL)
			return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
		return 0;
	}
	if (o->password_file != NULL)
		return read_password_file(o->password_file, out, err);
	if (env != NULL && *env != '\0') {
		if ((*out = strdup(env)) == NULL)
			return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
		return 0;
	}
	return cs_error_set(err, CS_ERR_USAGE,
	    "-D %s needs a password: --password-file, LDAP_PASSWORD or "
	    "password= in the --extra-opts file", o->bind_dn);
}

static void
wipe_free(char *s)
{
	if (s != NULL) {
		cs_file_wipe(s, strlen(s));
		free(s);
	}
}

/* ---- connecting ------------------------------------------------------------ */

static int
sasl_interact(LDAP *ld, unsigned flags, void *defaults, void *in)
{
	sasl_interact_t *i = in;

	(void)ld;
	(void)flags;
	(void)defaults;
	/* GSSAPI asks at most for an authorisation id: none */
	for (; i->id != SASL_CB_LIST_END; i++) {
		i->result = i->defresult ? i->defresult : "";
		i->len = (unsigned)strlen(i->result);
	}
	return LDAP_SUCCESS;
}

static int
set_timeouts(LDAP *ld, double secs)
{
	struct timeval tv = tv_of(secs);

	if (ldap_set_option(ld, LDAP_OPT_NETWORK_TIMEOUT, &tv) !=
	    LDAP_OPT_SUCCESS || ldap_set_option(ld, LDAP_OPT_TIMEOUT, &tv) !=
	    LDAP_OPT_SUCCESS)
		return -1;
	return 0;
}

static char *
first_value(LDAP *ld, LDAPMessage *e, const char *attr)
{
	struct berval **v = ldap_get_values_len(ld, e, attr);
	char *s = NULL;

	if (v != NULL && v[0] != NULL)
		s = strndup(v[0]->bv_val, v[0]->bv_len);
	ldap_value_free_len(v);
	return s;
}

static int
read_root_dse(struct cs_ad *ad, struct cs_error *err)
{
	static const char *attrs[] = { "defaultNamingContext",
		"configurationNamingContext", "rootDomainNamingContext",
		"dnsHostName", NULL };
	LDAPMessage *res = NULL, *e;
	struct timeval tv = tv_of(cs_ad_remaining(ad));
	int rc;

	rc = ldap_search_ext_s(ad->ld, "", LDAP_SCOPE_BASE, "(objectClass=*)",
	    (char **)attrs, 0, NULL, NULL, &tv, 0, &res);
	if (rc != LDAP_SUCCESS) {
		ldap_msgfree(res);
		return ldap_error(ad->ld, rc, ad->uri, "reading the rootDSE",
		    err);
	}
	if ((e = ldap_first_entry(ad->ld, res)) == NULL) {
		ldap_msgfree(res);
		return cs_error_set(err, CS_ERR_PROTOCOL,
		    "%s: the rootDSE is empty", ad->uri);
	}
	ad->default_nc = first_value(ad->ld, e, "defaultNamingContext");
	ad->config_nc = first_value(ad->ld, e, "configurationNamingContext");
	ad->root_nc = first_value(ad->ld, e, "rootDomainNamingContext");
	ad->dns_host_name = first_value(ad->ld, e, "dnsHostName");
	ldap_msgfree(res);
	return 0;
}

/* One attempt at one URI: TLS, bind, rootDSE. */
/*
 * A watchdog for one DC's connection. libldap 2.5 retries a non-blocking
 * read of a stalled LDAPS (or StartTLS) handshake without ever waiting
 * (LDAP_OPT_NETWORK_TIMEOUT bounds only the TCP connect), so the plugin
 * would spin until its alarm and never try the next -H. A timer shuts the
 * socket down (async-signal-safe) shortly after the DC's budget: the
 * handshake then fails at once and the failover goes on. libldap hands us
 * the socket through a connection callback, before TLS starts.
 */
#define WATCHDOG_SIGNAL SIGRTMIN
#define WATCHDOG_GRACE 0.25 /* after LDAP_OPT_TIMEOUT, which says more */

static volatile sig_atomic_t watch_fd = -1;
static volatile sig_atomic_t watch_fired;
static timer_t watch_timer;
static bool watch_ready;

static void
on_watchdog(int sig)
{
	int fd = watch_fd;

	(void)sig;
	if (fd >= 0) {
		watch_fired = 1;
		shutdown(fd, SHUT_RDWR);
	}
}

static int
watch_conn_add(LDAP *ld, Sockbuf *sb, LDAPURLDesc *srv, struct sockaddr *addr,
    struct ldap_conncb *ctx)
{
	ber_socket_t fd;

	(void)ld;
	(void)srv;
	(void)addr;
	(void)ctx;
	if (ber_sockbuf_ctrl(sb, LBER_SB_OPT_GET_FD, &fd) == 1)
		watch_fd = fd;
	return 0;
}

static void
watch_conn_del(LDAP *ld, Sockbuf *sb, struct ldap_conncb *ctx)
{
	(void)ld;
	(void)sb;
	(void)ctx;
	watch_fd = -1;
}

static struct ldap_conncb watch_cb = { watch_conn_add, watch_conn_del, NULL };

/* Arms the watchdog for SECS seconds (0 disarms it). Without a timer the
 * plugin's alarm stays the only bound. */
static void
watchdog(double secs)
{
	struct itimerspec its = { { 0, 0 }, { 0, 0 } };

	if (!watch_ready) {
		struct sigaction sa = { 0 };
		struct sigevent sev = { 0 };

		sa.sa_handler = on_watchdog;
		sigemptyset(&sa.sa_mask);
		sev.sigev_notify = SIGEV_SIGNAL;
		sev.sigev_signo = WATCHDOG_SIGNAL;
		if (sigaction(WATCHDOG_SIGNAL, &sa, NULL) != 0 ||
		    timer_create(CLOCK_MONOTONIC, &sev, &watch_timer) != 0)
			return;
		watch_ready = true;
	}
	if (secs > 0) {
		its.it_value.tv_sec = (time_t)secs;
		its.it_value.tv_nsec = (long)((secs - (double)(time_t)secs) *
		    1e9);
	} else {
		watch_fd = -1;
	}
	watch_fired = 0;
	timer_settime(watch_timer, 0, &its, NULL);
}

static int
connect_steps(struct cs_ad_opts *o, struct cs_ad *ad, double budget,
    const char *password, struct cs_error *err)
{
	int version = LDAP_VERSION3, rc, reqcert, zero = 0;
	int tlsmin = LDAP_OPT_X_TLS_PROTOCOL_TLS1_2;
	bool ldaps = strncmp(ad->uri, "ldaps://", 8) == 0;

	if ((rc = ldap_initialize(&ad->ld, ad->uri)) != LDAP_SUCCESS)
		return cs_error_set(err, CS_ERR_USAGE, "%s: %s", ad->uri,
		    ldap_err2string(rc));
	if (ldap_set_option(ad->ld, LDAP_OPT_PROTOCOL_VERSION, &version) !=
	    LDAP_OPT_SUCCESS ||
	    ldap_set_option(ad->ld, LDAP_OPT_REFERRALS, LDAP_OPT_OFF) !=
	    LDAP_OPT_SUCCESS || set_timeouts(ad->ld, budget) != 0 ||
	    ldap_set_option(ad->ld, LDAP_OPT_CONNECT_CB, &watch_cb) !=
	    LDAP_OPT_SUCCESS)
		return cs_error_set(err, CS_ERR_INTERNAL,
		    "%s: cannot set LDAP options", ad->uri);
	if (ldaps || o->starttls) {
		reqcert = o->insecure ? LDAP_OPT_X_TLS_NEVER :
		    LDAP_OPT_X_TLS_DEMAND;
		if (ldap_set_option(ad->ld, LDAP_OPT_X_TLS_REQUIRE_CERT,
		    &reqcert) != LDAP_OPT_SUCCESS ||
		    ldap_set_option(ad->ld, LDAP_OPT_X_TLS_PROTOCOL_MIN,
		    &tlsmin) != LDAP_OPT_SUCCESS ||
		    (o->cacert != NULL && ldap_set_option(ad->ld,
		    LDAP_OPT_X_TLS_CACERTFILE, o->cacert) != LDAP_OPT_SUCCESS) ||
		    /* a context of this handle's own, not the process's */
		    ldap_set_option(ad->ld, LDAP_OPT_X_TLS_NEWCTX, &zero) !=
		    LDAP_OPT_SUCCESS)
			return cs_error_set(err, CS_ERR_TLS,
			    "%s: cannot set up TLS%s%s", ad->uri,
			    o->cacert ? " with --cacert " : "",
			    o->cacert ? o->cacert : "");
		ad->encrypted = true;
		ad->verified = !o->insecure;
	}
	if (o->starttls) {
		rc = ldap_start_tls_s(ad->ld, NULL, NULL);
		if (rc != LDAP_SUCCESS) {
			rc = ldap_error(ad->ld, rc, ad->uri, "StartTLS", err);
			/* a refused StartTLS is a TLS problem, not a dead DC */
			if (rc == CS_ERR_PROTOCOL)
				err->code = rc = CS_ERR_TLS;
			return rc;
		}
	}
	if (o->mech != NULL) {
		rc = ldap_sasl_interactive_bind_s(ad->ld, NULL, o->mech, NULL,
		    NULL, LDAP_SASL_QUIET, sasl_interact, NULL);
		if (rc != LDAP_SUCCESS)
			return ldap_error(ad->ld, rc, ad->uri, "the Kerberos "
			    "(GSSAPI) bind", err);
	} else if (o->bind_dn != NULL) {
		struct berval cred;

		cred.bv_val = (char *)password;
		cred.bv_len = strlen(password);
		rc = ldap_sasl_bind_s(ad->ld, o->bind_dn, LDAP_SASL_SIMPLE,
		    &cred, NULL, NULL, NULL);
		if (rc != LDAP_SUCCESS)
			return ldap_error(ad->ld, rc, ad->uri, "the bind", err);
	}
	/* the first operation proves the connection (ldap_initialize does not
	 * connect); for an anonymous session this is it */
	return read_root_dse(ad, err);
}

/* One DC: connect, TLS, bind and the rootDSE within BUDGET seconds. */
static int
connect_one(struct cs_ad_opts *o, struct cs_ad *ad, double budget,
    const char *password, struct cs_error *err)
{
	bool fired;
	int rc;

	watchdog(budget + WATCHDOG_GRACE);
	rc = connect_steps(o, ad, budget, password, err);
	fired = watch_fired;
	watchdog(0);
	if (rc != 0 && fired)
		rc = cs_error_set(err, CS_ERR_TIMEOUT, "%s: no answer within "
		    "%.1f s (the TLS handshake or the bind stalled)", ad->uri,
		    budget);
	return rc;
}

static void
reset(struct cs_ad *ad)
{
	if (ad->ld != NULL)
		ldap_unbind_ext_s(ad->ld, NULL, NULL);
	ad->ld = NULL;
	free(ad->default_nc);
	free(ad->config_nc);
	free(ad->root_nc);
	free(ad->dns_host_name);
	ad->default_nc = ad->config_nc = ad->root_nc = NULL;
	ad->dns_host_name = NULL;
	ad->encrypted = ad->verified = false;
}

int
cs_ad_connect(struct cs_ad_opts *o, unsigned timeout, struct cs_check *c,
    struct cs_ad **out, struct cs_error *err)
{
	struct cs_ad *ad;
	char *password = NULL;
	double start = now(), total;
	int rc = CS_ERR_CONNECT;

	*out = NULL;
	if ((ad = calloc(1, sizeof(*ad))) == NULL)
		return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
	/* finish before the plugin's own alarm, to say what timed out */
	total = timeout > 2 ? (double)timeout - 0.7 : (double)timeout * 0.8;
	ad->deadline.tv_sec = (time_t)(start + total);
	ad->deadline.tv_nsec = (long)((start + total -
	    (double)(time_t)(start + total)) * 1e9);
	ad->gc = o->gc;
	ad->page_size = o->page_size > 0 ? o->page_size : CS_AD_PAGE_SIZE;
	if (o->mech == NULL && o->bind_dn != NULL &&
	    (rc = get_password(o, &password, err)) != 0)
		goto fail;
	for (size_t i = 0; i < o->nhosts; i++) {
		double left = cs_ad_remaining(ad);
		/* leave later hosts a share of the time */
		double budget = left / (double)(o->nhosts - i);

		if (left <= 0.05) {
			rc = cs_error_set(err, CS_ERR_TIMEOUT,
			    "no domain controller answered within %u s",
			    timeout);
			break;
		}
		free(ad->uri);
		if ((ad->uri = make_uri(o, o->hosts[i], err)) == NULL) {
			rc = err->code;
			break;
		}
		cs_log(1, "connecting to %s", ad->uri);
		rc = connect_one(o, ad, budget, password, err);
		if (rc == 0)
			break;
		cs_log(1, "%s", err->msg);
		reset(ad);
		/* a wrong password is wrong on every DC: do not count it
		 * against the account again */
		if (rc != CS_ERR_CONNECT && rc != CS_ERR_TLS &&
		    rc != CS_ERR_TIMEOUT)
			break;
		if (i + 1 < o->nhosts)
			cs_check_add(c, CS_OK, NULL, NULL, 0,
			    "failover: %s", err->msg);
	}
	wipe_free(password);
	cs_ad_opts_clear(o);
	if (rc != 0)
		goto fail;
	/* the rest of the budget applies to the searches */
	set_timeouts(ad->ld, cs_ad_remaining(ad));
	if (o->base != NULL)
		ad->base = strdup(o->base);
	else if (o->gc)
		ad->base = strdup("");
	else if (ad->default_nc != NULL)
		ad->base = strdup(ad->default_nc);
	else {
		rc = cs_error_set(err, CS_ERR_FORMAT, "%s: the server names no "
		    "defaultNamingContext (not Active Directory?): give -b",
		    ad->uri);
		goto fail;
	}
	if (ad->base == NULL) {
		rc = cs_error_set(err, CS_ERR_NOMEM, "out of memory");
		goto fail;
	}
	cs_check_add(c, CS_OK, NULL, NULL, 0, "connected to %s%s%s (%s), "
	    "searching %s%s", ad->uri, ad->dns_host_name ? " " : "",
	    ad->dns_host_name ? ad->dns_host_name : "",
	    !ad->encrypted ? "no TLS" : ad->verified ?
	    "TLS, certificate verified" : "TLS, certificate NOT verified "
	    "(--insecure)", *ad->base ? ad->base : "the whole forest",
	    ad->gc ? " in the Global Catalog" : "");
	*out = ad;
	return 0;
fail:
	cs_ad_close(ad);
	return rc;
}

void
cs_ad_close(struct cs_ad *ad)
{
	if (ad == NULL)
		return;
	reset(ad);
	for (size_t i = 0; i < ad->nxref; i++) {
		free(ad->xref_nc[i]);
		free(ad->xref_netbios[i]);
	}
	free(ad->xref_nc);
	free(ad->xref_netbios);
	free(ad->uri);
	free(ad->base);
	free(ad);
}

/* ---- searching -------------------------------------------------------------- */

int
cs_ad_search(struct cs_ad *ad, const char *base, int scope,
    const char *filter, const char *const *attrs, cs_ad_entry_cb cb,
    void *ctx, struct cs_error *err)
{
	struct berval *cookie = NULL;
	LDAPControl *pctrl = NULL, *ctrls[2] = { NULL, NULL };
	LDAPMessage *msg = NULL;
	int rc = 0, lrc, msgid = -1, page_size = ad->page_size;
	unsigned long pages0 = ad->pages, entries0 = ad->entries;
	unsigned long refs0 = ad->references;
	bool more = true;

	if (base == NULL)
		base = ad->base;
	cs_log(2, "search base \"%s\" filter %s", base, filter);
	while (more && rc == 0) {
		struct timeval tv;

		lrc = ldap_create_page_control(ad->ld, page_size, cookie, 1,
		    &pctrl);
		ber_bvfree(cookie);
		cookie = NULL;
		if (lrc != LDAP_SUCCESS) {
			rc = ldap_error(ad->ld, lrc, ad->uri, "the search", err);
			break;
		}
		ctrls[0] = pctrl;
		if ((rc = check_alive(ad, err)) != 0) {
			ldap_control_free(pctrl);
			pctrl = NULL;
			break;
		}
		tv = tv_of(cs_ad_remaining(ad));
		lrc = ldap_search_ext(ad->ld, base, scope, filter,
		    (char **)attrs, 0, ctrls, NULL, &tv, LDAP_NO_LIMIT, &msgid);
		ldap_control_free(pctrl);
		pctrl = NULL;
		if (lrc != LDAP_SUCCESS) {
			rc = ldap_error(ad->ld, lrc, ad->uri, "the search", err);
			break;
		}
		more = false;
		for (;;) {
			int type;

			if (cs_ad_remaining(ad) <= 0) {
				rc = cs_error_set(err, CS_ERR_TIMEOUT,
				    "%s: search timed out after %lu pages: "
				    "the result would be incomplete", ad->uri,
				    ad->pages);
				break;
			}
			tv = tv_of(cs_ad_remaining(ad));
			type = ldap_result(ad->ld, msgid, LDAP_MSG_ONE, &tv,
			    &msg);
			if (type == 0)
				continue; /* the deadline check above ends it */
			if (type < 0) {
				int e = 0;

				ldap_get_option(ad->ld, LDAP_OPT_RESULT_CODE, &e);
				rc = ldap_error(ad->ld, e ? e : LDAP_SERVER_DOWN,
				    ad->uri, "the search", err);
				if (rc == CS_ERR_CONNECT)
					rc = cs_error_set(err, CS_ERR_INCOMPLETE,
					    "%s: connection lost during the "
					    "search after %lu pages", ad->uri,
					    ad->pages);
				break;
			}
			if (type == LDAP_RES_SEARCH_ENTRY) {
				ad->entries++;
				rc = cb ? cb(ad, msg, ctx) : 0;
				ldap_msgfree(msg);
				msg = NULL;
				if (rc != 0)
					break;
				continue;
			}
			if (type == LDAP_RES_SEARCH_REFERENCE) {
				/* other naming contexts: expected, not chased */
				ad->references++;
				ldap_msgfree(msg);
				msg = NULL;
				continue;
			}
			if (type == LDAP_RES_SEARCH_RESULT) {
				LDAPControl **sctrls = NULL;
				int result = 0;
				ber_int_t count;

				ad->pages++;
				lrc = ldap_parse_result(ad->ld, msg, &result,
				    NULL, NULL, NULL, &sctrls, 0);
				if (lrc != LDAP_SUCCESS)
					result = lrc;
				if (result != LDAP_SUCCESS) {
					rc = ldap_error(ad->ld, result,
					    ad->uri, "the search", err);
					ldap_controls_free(sctrls);
					break;
				}
				pctrl = ldap_control_find(
				    LDAP_CONTROL_PAGEDRESULTS, sctrls, NULL);
				if (pctrl != NULL &&
				    ldap_parse_pageresponse_control(ad->ld,
				    pctrl, &count, (cookie = ber_memcalloc(1,
				    sizeof(*cookie)))) == LDAP_SUCCESS &&
				    cookie->bv_len > 0)
					more = true;
				pctrl = NULL;
				ldap_controls_free(sctrls);
				cs_log(3, "page %lu done, %s", ad->pages,
				    more ? "more follow" : "last page");
				break;
			}
			/* anything else: ignore */
			ldap_msgfree(msg);
			msg = NULL;
		}
		ldap_msgfree(msg);
		msg = NULL;
		if (rc != 0 && msgid >= 0)
			ldap_abandon_ext(ad->ld, msgid, NULL, NULL);
	}
	ber_bvfree(cookie);
	cs_log(2, "search done: %lu pages, %lu entries, %lu references not "
	    "followed", ad->pages - pages0, ad->entries - entries0,
	    ad->references - refs0);
	return rc;
}

/* Appends copies of SRC to the berval array *DST (ber-allocated). */
static int
append_values(struct berval ***dst, size_t *n, struct berval **src)
{
	size_t add = 0;
	struct berval **v;

	while (src != NULL && src[add] != NULL)
		add++;
	v = ber_memrealloc(*dst, (*n + add + 1) * sizeof(*v));
	if (v == NULL)
		return -1;
	*dst = v;
	for (size_t i = 0; i < add; i++) {
		if ((v[*n] = ber_dupbv(NULL, src[i])) == NULL) {
			v[*n] = NULL;
			return -1;
		}
		(*n)++;
	}
	v[*n] = NULL;
	return 0;
}

struct range_ctx {
	const char *attr;
	struct berval ***vals;
	size_t *n;
	char *next;   /* the next range to ask for, or NULL: done */
	int nomem;
};

/* Finds "ATTR;range=LOW-HIGH" in ENTRY: returns its name (ldap_memfree)
 * and sets *HIGH (-1 for '*'). NULL when ATTR is not ranged. */
static char *
ranged_attr(LDAP *ld, LDAPMessage *e, const char *attr, long *high)
{
	BerElement *ber = NULL;
	size_t al = strlen(attr);
	char *a, *found = NULL;

	for (a = ldap_first_attribute(ld, e, &ber); a;
	    a = ldap_next_attribute(ld, e, ber)) {
		if (found == NULL && strncasecmp(a, attr, al) == 0 &&
		    strncasecmp(a + al, ";range=", 7) == 0) {
			const char *dash = strchr(a + al + 7, '-');

			*high = (dash && dash[1] != '*') ?
			    strtol(dash + 1, NULL, 10) : -1;
			found = a;
			continue;
		}
		ldap_memfree(a);
	}
	ber_free(ber, 0);
	return found;
}

static int
on_range(struct cs_ad *ad, LDAPMessage *e, void *vctx)
{
	struct range_ctx *r = vctx;
	long high = -1;
	char *name = ranged_attr(ad->ld, e, r->attr, &high);
	struct berval **v;

	free(r->next);
	r->next = NULL;
	if (name == NULL)
		return 0;
	v = ldap_get_values_len(ad->ld, e, name);
	if (append_values(r->vals, r->n, v) != 0)
		r->nomem = 1;
	ldap_value_free_len(v);
	if (high >= 0 && asprintf(&r->next, "%s;range=%ld-*", r->attr,
	    high + 1) < 0)
		r->nomem = 1;
	ldap_memfree(name);
	return 0;
}

int
cs_ad_values(struct cs_ad *ad, LDAPMessage *entry, const char *attr,
    struct berval ***vals, struct cs_error *err)
{
	struct berval **v = NULL;
	size_t n = 0;
	long high = -1;
	char *name, *dn;
	struct range_ctx r = { attr, vals, &n, NULL, 0 };
	int rc = 0;

	*vals = NULL;
	if ((name = ranged_attr(ad->ld, entry, attr, &high)) == NULL) {
		*vals = ldap_get_values_len(ad->ld, entry, attr);
		return 0;
	}
	/* "attr;range=0-1499": fetch the rest with base searches */
	v = ldap_get_values_len(ad->ld, entry, name);
	ldap_memfree(name);
	if (append_values(vals, &n, v) != 0)
		r.nomem = 1;
	ldap_value_free_len(v);
	if ((dn = ldap_get_dn(ad->ld, entry)) == NULL)
		return cs_error_set(err, CS_ERR_PROTOCOL, "entry without DN");
	if (high >= 0 && asprintf(&r.next, "%s;range=%ld-*", attr,
	    high + 1) < 0)
		r.nomem = 1;
	while (rc == 0 && r.next != NULL && !r.nomem) {
		const char *attrs[2] = { r.next, NULL };
		char *asked = r.next;

		r.next = NULL;
		rc = cs_ad_search(ad, dn, LDAP_SCOPE_BASE, "(objectClass=*)",
		    attrs, on_range, &r, err);
		free(asked);
	}
	free(r.next);
	ldap_memfree(dn);
	if (rc == 0 && r.nomem)
		rc = cs_error_set(err, CS_ERR_NOMEM, "out of memory");
	if (rc != 0) {
		ldap_value_free_len(*vals);
		*vals = NULL;
	}
	return rc;
}

int
cs_ad_entry_each(struct cs_ad *ad, LDAPMessage *entry, struct berval *dn,
    cs_ad_attr_cb cb, void *ctx, struct cs_error *err)
{
	BerElement *ber = NULL;
	struct berval attr, *vals = NULL;
	int rc = 0;

	if (ldap_get_dn_ber(ad->ld, entry, &ber, dn) != LDAP_SUCCESS) {
		ber_free(ber, 0);
		return cs_error_set(err, CS_ERR_PROTOCOL, "entry without DN");
	}
	for (;;) {
		if (ldap_get_attribute_ber(ad->ld, entry, ber, &attr, &vals) !=
		    LDAP_SUCCESS) {
			rc = cs_error_set(err, CS_ERR_PROTOCOL, "an entry of "
			    "%s does not decode", ad->uri);
			break;
		}
		if (attr.bv_val == NULL)
			break;
		rc = cb(&attr, vals, ctx);
		ber_memfree(vals);
		vals = NULL;
		if (rc != 0)
			break;
	}
	ber_free(ber, 0);
	return rc;
}

char *
cs_ad_first(struct cs_ad *ad, LDAPMessage *entry, const char *attr)
{
	return first_value(ad->ld, entry, attr);
}

char *
cs_ad_escape(const char *s)
{
	struct berval in, out = { 0, NULL };
	char *r;

	in.bv_val = (char *)s;
	in.bv_len = strlen(s);
	if (ldap_bv2escaped_filter_value(&in, &out) != 0)
		return NULL;
	/* hand back a malloc'd string, whatever allocator libldap used; an
	 * empty value comes back without a buffer */
	r = out.bv_val ? strndup(out.bv_val, out.bv_len) : strdup("");
	ber_memfree(out.bv_val);
	return r;
}

/* ---- accounts ------------------------------------------------------------- */

static int
on_xref(struct cs_ad *ad, LDAPMessage *e, void *ctx)
{
	char *nc = first_value(ad->ld, e, "nCName");
	char *nb = first_value(ad->ld, e, "nETBIOSName");
	char **a, **b;

	(void)ctx;
	if (nc == NULL || nb == NULL)
		goto skip;
	a = realloc(ad->xref_nc, (ad->nxref + 1) * sizeof(*a));
	if (a == NULL)
		goto skip;
	ad->xref_nc = a;
	b = realloc(ad->xref_netbios, (ad->nxref + 1) * sizeof(*b));
	if (b == NULL)
		goto skip;
	ad->xref_netbios = b;
	a[ad->nxref] = nc;
	b[ad->nxref] = nb;
	ad->nxref++;
	return 0;
skip:
	free(nc);
	free(nb);
	return 0;
}

/* Reads the domains' NetBIOS names once; without them names are shown
 * without a domain. */
static void
load_xrefs(struct cs_ad *ad)
{
	static const char *const attrs[] = { "nCName", "nETBIOSName", NULL };
	struct cs_error err = { 0 };
	char *base = NULL;

	if (ad->xref_loaded)
		return;
	ad->xref_loaded = true;
	if (ad->config_nc == NULL ||
	    asprintf(&base, "CN=Partitions,%s", ad->config_nc) < 0)
		return;
	if (cs_ad_search(ad, base, LDAP_SCOPE_ONELEVEL,
	    "(&(objectClass=crossRef)(nETBIOSName=*))", attrs, on_xref, NULL,
	    &err) != 0)
		cs_log(1, "cannot read the domains' NetBIOS names: %s", err.msg);
	free(base);
}

/* True when DN ends with the naming context NC (case-insensitive). */
static bool
dn_under(const char *dn, const char *nc)
{
	size_t dl = strlen(dn), nl = strlen(nc);

	return dl >= nl && strcasecmp(dn + dl - nl, nc) == 0 &&
	    (dl == nl || dn[dl - nl - 1] == ',');
}

char *
cs_ad_describe_dn(struct cs_ad *ad, const char *dn, const char *sam)
{
	const char *domain = NULL;
	size_t best = 0;
	char *s = NULL;

	load_xrefs(ad);
	for (size_t i = 0; i < ad->nxref; i++) {
		size_t l = strlen(ad->xref_nc[i]);

		if (l > best && dn_under(dn, ad->xref_nc[i])) {
			best = l;
			domain = ad->xref_netbios[i];
		}
	}
	if (asprintf(&s, "%s%s%s (%s)", domain ? domain : "",
	    domain ? "\\" : "", sam ? sam : "?", dn) < 0)
		return NULL;
	return s;
}

char *
cs_ad_describe(struct cs_ad *ad, LDAPMessage *entry)
{
	char *sam = first_value(ad->ld, entry, "sAMAccountName");
	char *dn = ldap_get_dn(ad->ld, entry);
	char *s = cs_ad_describe_dn(ad, dn ? dn : "?", sam);

	free(sam);
	ldap_memfree(dn);
	return s;
}

/* One synchronous search expected to return few entries. */
static int
search_few(struct cs_ad *ad, const char *base, int scope, const char *filter,
    const char *const *attrs, LDAPMessage **res, struct cs_error *err)
{
	struct timeval tv = tv_of(cs_ad_remaining(ad));
	int rc;

	*res = NULL;
	if ((rc = check_alive(ad, err)) != 0)
		return rc;
	rc = ldap_search_ext_s(ad->ld, base, scope, filter, (char **)attrs, 0,
	    NULL, NULL, &tv, 10, res);
	if (rc == LDAP_NO_SUCH_OBJECT && scope == LDAP_SCOPE_BASE) {
		ldap_msgfree(*res);
		*res = NULL;
		return CS_ERR_NOT_FOUND;
	}
	if (rc != LDAP_SUCCESS) {
		ldap_msgfree(*res);
		*res = NULL;
		rc = ldap_error(ad->ld, rc, ad->uri, "the account lookup", err);
		if (rc == CS_ERR_CONNECT) /* it was up: lost, not unreachable */
			rc = cs_error_set(err, CS_ERR_INCOMPLETE, "%s: connection "
			    "lost during the account lookup", ad->uri);
		return rc;
	}
	return 0;
}

int
cs_ad_find_account(struct cs_ad *ad, const char *name,
    const char *const *attrs, cs_ad_entry_cb cb, void *ctx,
    struct cs_error *err)
{
	LDAPMessage *res = NULL, *e;
	char *esc = NULL, *filter = NULL, *alt = NULL;
	const char *bs = strchr(name, '\\'), *at = strchr(name, '@');
	const char *eq = strchr(name, '=');
	int rc, n;

	if (*name == '\0')
		return cs_error_set(err, CS_ERR_USAGE, "empty account name");
	if (eq != NULL && strchr(name, ',') != NULL && (!bs || eq < bs)) {
		/* a DN (its RDN values may hold escapes: CN=Smith\, Jo,...) */
		rc = search_few(ad, name, LDAP_SCOPE_BASE, "(objectClass=*)",
		    attrs, &res, err);
		goto count;
	}
	if ((esc = cs_ad_escape(bs ? bs + 1 : name)) == NULL)
		return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
	if (at != NULL && !bs) {
		char *local = strndup(name, (size_t)(at - name));
		char *lesc = local ? cs_ad_escape(local) : NULL;

		/* an explicit UPN, or the implicit one (sAMAccountName@domain) */
		if (lesc == NULL || asprintf(&filter, "(|(userPrincipalName=%s)"
		    "(&(sAMAccountName=%s)(!(userPrincipalName=*))))", esc,
		    lesc) < 0)
			filter = NULL;
		free(local);
		free(lesc);
	} else {
		if (asprintf(&filter, "(sAMAccountName=%s)", esc) < 0)
			filter = NULL;
		/* a computer named without its '$' */
		if (name[strlen(name) - 1] != '$' &&
		    asprintf(&alt, "(sAMAccountName=%s$)", esc) < 0)
			alt = NULL;
	}
	if (filter == NULL) {
		rc = cs_error_set(err, CS_ERR_NOMEM, "out of memory");
		goto out;
	}
	rc = search_few(ad, ad->base, LDAP_SCOPE_SUBTREE, filter, attrs, &res,
	    err);
	if (rc == 0 && alt != NULL && ldap_count_entries(ad->ld, res) == 0) {
		ldap_msgfree(res);
		rc = search_few(ad, ad->base, LDAP_SCOPE_SUBTREE, alt, attrs,
		    &res, err);
	}
count:
	if (rc == CS_ERR_NOT_FOUND || (rc == 0 &&
	    (n = ldap_count_entries(ad->ld, res)) == 0)) {
		rc = cs_error_set(err, CS_ERR_NOT_FOUND, "no account '%s' in %s",
		    name, *ad->base ? ad->base : "the forest");
		goto out;
	}
	if (rc != 0)
		goto out;
	if (n > 1) {
		char list[384] = "";
		size_t used = 0;

		for (e = ldap_first_entry(ad->ld, res); e && used < sizeof(list);
		    e = ldap_next_entry(ad->ld, e)) {
			char *dn = ldap_get_dn(ad->ld, e);

			used += (size_t)snprintf(list + used, sizeof(list) - used,
			    "%s%s", used ? "; " : "", dn ? dn : "?");
			ldap_memfree(dn);
		}
		rc = cs_error_set(err, CS_ERR_FORMAT, "'%s' is ambiguous: %d "
		    "accounts match: %s", name, n, list);
		goto out;
	}
	e = ldap_first_entry(ad->ld, res);
	rc = cb ? cb(ad, e, ctx) : 0;
out:
	ldap_msgfree(res);
	free(esc);
	free(filter);
	free(alt);
	return rc;
}
