#include "config.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <ftw.h>
#include <poll.h>
#include <sys/wait.h>

#include "buf.h"
#include "samr.h"

/* The child writes one record per line, fields separated by tabs:
 *   H rc message          the host failed as a whole
 *   A index rc text       alias INDEX: rc 0 and the domain, or rc and why
 *   S index sid           a member of alias INDEX
 *   D                     done
 */
#define REC_MAX 8192

static double
now_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One line for the pipe: no tabs, no newlines. */
static void
put_field(FILE *f, const char *s)
{
	for (; s && *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

static void
put_host_error(FILE *f, int rc, const char *msg)
{
	fprintf(f, "H\t%d\t", rc);
	put_field(f, msg);
	fputs("\n", f);
}

#ifdef HAVE_SAMR

#include <fcntl.h>
#include <netdb.h>
#include <sys/socket.h>
#include <arpa/inet.h>
#include <netinet/in.h>

/* Samba's headers are not written for -Wextra */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include <talloc.h>
#include <tevent.h>
#include <core/ntstatus.h>
#include <credentials.h>
#include <param.h>
#include <dcerpc.h>
#include <rpc_common.h>
#include <gen_ndr/samr.h>
#include <gen_ndr/ndr_samr.h>
#pragma GCC diagnostic pop

bool
cs_samr_available(void)
{
	return true;
}

static void
put_alias(FILE *f, size_t i, int rc, const char *text)
{
	fprintf(f, "A\t%zu\t%d\t", i, rc);
	put_field(f, text);
	fputs("\n", f);
}

/* "S-1-5-32-544" into BUF. */
static void
sid_text(const struct dom_sid *s, char *buf, size_t len)
{
	uint64_t auth = 0;
	size_t off;

	for (int i = 0; i < 6; i++)
		auth = (auth << 8) | s->id_auth[i];
	off = (size_t)snprintf(buf, len, "S-%u-%llu", s->sid_rev_num,
	    (unsigned long long)auth);
	for (int i = 0; i < s->num_auths && i < 15 && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "-%u",
		    s->sub_auths[i]);
}

/*
 * A plain TCP connect to port 445 first: it tells a refused or unreachable
 * host and an unknown name apart, which the RPC layer reports vaguely
 * (a refused connection can surface as NT_STATUS_NO_MEMORY).
 */
static int
probe_tcp(const char *host, double deadline, struct cs_error *err)
{
	struct addrinfo hints = { 0 }, *res = NULL, *ai;
	int rc, last = 0;

	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(host, "445", &hints, &res)) != 0)
		return cs_error_set(err, CS_ERR_CONNECT, "cannot resolve the "
		    "host name (%s)", gai_strerror(rc));
	for (ai = res; ai; ai = ai->ai_next) {
		int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK,
		    ai->ai_protocol);
		struct pollfd p;
		socklen_t sl = sizeof(last);

		if (fd < 0) {
			last = errno;
			continue;
		}
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
			close(fd);
			freeaddrinfo(res);
			return 0;
		}
		if (errno != EINPROGRESS) {
			last = errno;
			close(fd);
			continue;
		}
		p.fd = fd;
		p.events = POLLOUT;
		rc = poll(&p, 1, (int)fmax(0, (deadline - now_mono()) * 1000));
		if (rc == 0) {
			close(fd);
			freeaddrinfo(res);
			return cs_error_set(err, CS_ERR_TIMEOUT, "timed out "
			    "connecting to port 445");
		}
		if (rc > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &last,
		    &sl) == 0 && last == 0) {
			close(fd);
			freeaddrinfo(res);
			return 0;
		}
		close(fd);
	}
	freeaddrinfo(res);
	switch (last) {
	case ECONNREFUSED:
		return cs_error_set(err, CS_ERR_CONNECT, "connection refused "
		    "(port 445)");
	case EHOSTUNREACH:
	case ENETUNREACH:
		return cs_error_set(err, CS_ERR_CONNECT, "host unreachable");
	}
	return cs_error_set(err, CS_ERR_CONNECT, "cannot connect to port "
	    "445: %s", strerror(last));
}

static const char restrict_sam[] = "access denied to the SAM: on Windows "
    "Server 2016 and later, allow the monitoring account in \"Network "
    "access: Restrict clients allowed to make remote calls to SAM\" "
    "(RestrictRemoteSAM)";

/* One line for a failed connect or call. */
static int
rpc_error(NTSTATUS st, const char *what, struct cs_error *err)
{
	if (NT_STATUS_EQUAL(st, NT_STATUS_LOGON_FAILURE) ||
	    NT_STATUS_EQUAL(st, NT_STATUS_WRONG_PASSWORD) ||
	    NT_STATUS_EQUAL(st, NT_STATUS_NO_SUCH_USER))
		return cs_error_set(err, CS_ERR_AUTH, "logon failed: wrong user "
		    "name or password");
	if (NT_STATUS_EQUAL(st, NT_STATUS_ACCOUNT_DISABLED) ||
	    NT_STATUS_EQUAL(st, NT_STATUS_ACCOUNT_LOCKED_OUT) ||
	    NT_STATUS_EQUAL(st, NT_STATUS_PASSWORD_EXPIRED) ||
	    NT_STATUS_EQUAL(st, NT_STATUS_PASSWORD_MUST_CHANGE) ||
	    NT_STATUS_EQUAL(st, NT_STATUS_ACCOUNT_RESTRICTION) ||
	    NT_STATUS_EQUAL(st, NT_STATUS_INVALID_LOGON_HOURS) ||
	    NT_STATUS_EQUAL(st, NT_STATUS_INVALID_WORKSTATION))
		return cs_error_set(err, CS_ERR_AUTH, "logon refused: %s",
		    nt_errstr(st));
	if (NT_STATUS_EQUAL(st, NT_STATUS_ACCESS_DENIED) ||
	    NT_STATUS_EQUAL(st, NT_STATUS_NETWORK_ACCESS_DENIED))
		return cs_error_set(err, CS_ERR_AUTH, "%s (%s)", restrict_sam,
		    what);
	if (NT_STATUS_EQUAL(st, NT_STATUS_IO_TIMEOUT))
		return cs_error_set(err, CS_ERR_TIMEOUT, "timed out (%s)", what);
	if (NT_STATUS_EQUAL(st, NT_STATUS_CONNECTION_REFUSED))
		return cs_error_set(err, CS_ERR_CONNECT, "connection refused");
	if (NT_STATUS_EQUAL(st, NT_STATUS_HOST_UNREACHABLE) ||
	    NT_STATUS_EQUAL(st, NT_STATUS_NETWORK_UNREACHABLE))
		return cs_error_set(err, CS_ERR_CONNECT, "host unreachable");
	if (NT_STATUS_EQUAL(st, NT_STATUS_CONNECTION_RESET) ||
	    NT_STATUS_EQUAL(st, NT_STATUS_CONNECTION_DISCONNECTED) ||
	    NT_STATUS_EQUAL(st, NT_STATUS_END_OF_FILE))
		return cs_error_set(err, CS_ERR_CONNECT, "the server closed "
		    "the connection (%s)", what);
	if (NT_STATUS_EQUAL(st, NT_STATUS_OBJECT_NAME_NOT_FOUND) ||
	    NT_STATUS_EQUAL(st, NT_STATUS_RPC_INTERFACE_NOT_FOUND))
		return cs_error_set(err, CS_ERR_PROTOCOL, "the server offers no "
		    "SAMR pipe (%s)", nt_errstr(st));
	return cs_error_set(err, CS_ERR_PROTOCOL, "%s: %s", what,
	    nt_errstr(st));
}

struct conn {
	TALLOC_CTX *mem;
	struct dcerpc_binding_handle *h;
	struct policy_handle connect;
	struct policy_handle builtin, account;
	bool have_builtin, have_account;
	char *account_name;    /* the host's own domain */
};

/* Transport and server status of one call in one. */
static NTSTATUS
call(struct conn *c, uint32_t opnum, void *r, NTSTATUS *result)
{
	NTSTATUS st = dcerpc_binding_handle_call(c->h, NULL, &ndr_table_samr,
	    opnum, c->mem, r);

	return NT_STATUS_IS_OK(st) ? *result : st;
}

static NTSTATUS
open_domain(struct conn *c, const struct dom_sid *sid, struct policy_handle *out)
{
	struct samr_OpenDomain r = { 0 };

	r.in.connect_handle = &c->connect;
	r.in.access_mask = SAMR_DOMAIN_ACCESS_OPEN_ACCOUNT |
	    SAMR_DOMAIN_ACCESS_LOOKUP_ALIAS;
	r.in.sid = discard_const_p(struct dom_sid2, sid);
	r.out.domain_handle = out;
	return call(c, NDR_SAMR_OPENDOMAIN, &r, &r.out.result);
}

static void
close_handle(struct conn *c, struct policy_handle *h)
{
	struct samr_Close r = { 0 };

	r.in.handle = h;
	r.out.handle = h;
	(void)call(c, NDR_SAMR_CLOSE, &r, &r.out.result);
}

/* The host's own (account) domain: the one EnumDomains lists besides
 * Builtin. */
static NTSTATUS
open_account_domain(struct conn *c)
{
	struct samr_EnumDomains e = { 0 };
	struct samr_LookupDomain l = { 0 };
	struct samr_SamArray *sam = NULL;
	struct dom_sid2 *sid = NULL;
	uint32_t resume = 0, num = 0;
	struct lsa_String name = { 0 };
	NTSTATUS st;

	e.in.connect_handle = &c->connect;
	e.in.resume_handle = &resume;
	e.in.buf_size = 0xffff;
	e.out.resume_handle = &resume;
	e.out.sam = &sam;
	e.out.num_entries = &num;
	st = call(c, NDR_SAMR_ENUMDOMAINS, &e, &e.out.result);
	if (!NT_STATUS_IS_OK(st))
		return st;
	for (uint32_t i = 0; sam && i < sam->count; i++) {
		const char *n = sam->entries[i].name.string;

		if (n && strcasecmp(n, "Builtin") != 0) {
			c->account_name = talloc_strdup(c->mem, n);
			break;
		}
	}
	if (c->account_name == NULL)
		return NT_STATUS_NO_SUCH_DOMAIN;
	name.string = c->account_name;
	l.in.connect_handle = &c->connect;
	l.in.domain_name = &name;
	l.out.sid = &sid;
	st = call(c, NDR_SAMR_LOOKUPDOMAIN, &l, &l.out.result);
	if (!NT_STATUS_IS_OK(st))
		return st;
	if (sid == NULL)
		return NT_STATUS_NO_SUCH_DOMAIN;
	st = open_domain(c, sid, &c->account);
	c->have_account = NT_STATUS_IS_OK(st);
	return st;
}

/* The RID of the alias NAME in domain D, or NT_STATUS_NONE_MAPPED. */
static NTSTATUS
lookup_alias(struct conn *c, struct policy_handle *d, const char *name,
    uint32_t *rid)
{
	struct samr_LookupNames r = { 0 };
	struct lsa_String n = { 0 };
	struct samr_Ids rids = { 0 }, types = { 0 };
	NTSTATUS st;

	n.string = name;
	r.in.domain_handle = d;
	r.in.num_names = 1;
	r.in.names = &n;
	r.out.rids = &rids;
	r.out.types = &types;
	st = call(c, NDR_SAMR_LOOKUPNAMES, &r, &r.out.result);
	if (!NT_STATUS_IS_OK(st))
		return st;
	if (rids.count != 1 || types.count != 1 ||
	    types.ids[0] != SID_NAME_ALIAS)
		return NT_STATUS_NONE_MAPPED;	/* a user or global group */
	*rid = rids.ids[0];
	return NT_STATUS_OK;
}

static NTSTATUS
alias_members(struct conn *c, struct policy_handle *d, uint32_t rid,
    size_t idx, FILE *out)
{
	struct samr_OpenAlias o = { 0 };
	struct samr_GetMembersInAlias g = { 0 };
	struct policy_handle ah;
	struct lsa_SidArray sids = { 0 };
	NTSTATUS st;

	o.in.domain_handle = d;
	o.in.access_mask = SAMR_ALIAS_ACCESS_GET_MEMBERS;
	o.in.rid = rid;
	o.out.alias_handle = &ah;
	st = call(c, NDR_SAMR_OPENALIAS, &o, &o.out.result);
	if (!NT_STATUS_IS_OK(st))
		return st;
	g.in.alias_handle = &ah;
	g.out.sids = &sids;
	st = call(c, NDR_SAMR_GETMEMBERSINALIAS, &g, &g.out.result);
	if (NT_STATUS_IS_OK(st)) {
		for (uint32_t i = 0; i < sids.num_sids; i++) {
			char s[200];

			if (sids.sids[i].sid == NULL)
				continue;
			sid_text(sids.sids[i].sid, s, sizeof(s));
			fprintf(out, "S\t%zu\t%s\n", idx, s);
		}
	}
	close_handle(c, &ah);
	return st;
}

/* One alias: found (its members written) or why not. A missing alias is
 * the alias's problem; a failed call the host's (returned). */
static NTSTATUS
one_alias(struct conn *c, const struct cs_samr_alias *a, size_t idx,
    FILE *out)
{
	struct cs_error err = { 0 };
	uint32_t rid = a->builtin_rid;
	struct policy_handle *d = &c->builtin;
	const char *dom = "BUILTIN";
	NTSTATUS st;

	if (rid == 0) {
		st = lookup_alias(c, &c->builtin, a->name, &rid);
		if (NT_STATUS_EQUAL(st, NT_STATUS_NONE_MAPPED) ||
		    NT_STATUS_EQUAL(st, NT_STATUS_SOME_NOT_MAPPED)) {
			if (!c->have_account) {
				st = open_account_domain(c);
				if (!NT_STATUS_IS_OK(st))
					return st;
			}
			d = &c->account;
			dom = c->account_name;
			st = lookup_alias(c, d, a->name, &rid);
		}
		if (NT_STATUS_EQUAL(st, NT_STATUS_NONE_MAPPED) ||
		    NT_STATUS_EQUAL(st, NT_STATUS_SOME_NOT_MAPPED)) {
			put_alias(out, idx, CS_ERR_NOT_FOUND, "no such local "
			    "group on the host");
			return NT_STATUS_OK;
		}
		if (!NT_STATUS_IS_OK(st))
			return st;
	}
	/* the header line first: the member lines follow it */
	put_alias(out, idx, 0, dom);
	st = alias_members(c, d, rid, idx, out);
	if (NT_STATUS_EQUAL(st, NT_STATUS_NO_SUCH_ALIAS)) {
		put_alias(out, idx, CS_ERR_NOT_FOUND, "no such local group on "
		    "the host");
		return NT_STATUS_OK;
	}
	if (NT_STATUS_EQUAL(st, NT_STATUS_ACCESS_DENIED)) {
		rpc_error(st, "reading the group's members", &err);
		put_alias(out, idx, err.code, err.msg);
		return NT_STATUS_OK;
	}
	return st;
}

/* Splits "DOMAIN\user" for the credentials. */
static void
set_user(struct cli_credentials *cr, const struct cs_samr_creds *c)
{
	const char *bs = c->user ? strchr(c->user, '\\') : NULL;

	if (bs != NULL) {
		char *dom = strndup(c->user, (size_t)(bs - c->user));

		if (dom != NULL)
			cli_credentials_set_domain(cr, dom, CRED_SPECIFIED);
		free(dom);
		cli_credentials_set_username(cr, bs + 1, CRED_SPECIFIED);
	} else {
		cli_credentials_set_username(cr, c->user, CRED_SPECIFIED);
		/* a UPN names its realm itself; otherwise no domain: the
		 * server's own accounts */
		cli_credentials_set_domain(cr, c->domain ? c->domain : "",
		    CRED_SPECIFIED);
	}
	if (bs != NULL && c->domain != NULL)
		cli_credentials_set_domain(cr, c->domain, CRED_SPECIFIED);
}

/* true for "192.0.2.1", "2001:db8::1" and "[2001:db8::1]" */
static bool
is_ip_literal(const char *host)
{
	unsigned char buf[sizeof(struct in6_addr)];
	char v6[INET6_ADDRSTRLEN + 2];
	size_t n = strlen(host);

	if (inet_pton(AF_INET, host, buf) == 1 ||
	    inet_pton(AF_INET6, host, buf) == 1)
		return true;
	if (n > 2 && n < sizeof(v6) && host[0] == '[' && host[n - 1] == ']') {
		memcpy(v6, host + 1, n - 2);
		v6[n - 2] = '\0';
		return inet_pton(AF_INET6, v6, buf) == 1;
	}
	return false;
}

/* The child: asks HOST and writes the records to OUT. */
static void
query_host(const char *host, const struct cs_samr_alias *al, size_t nal,
    const struct cs_samr_creds *cred, double deadline, int verbose,
    const char *dir, FILE *out)
{
	static const struct dom_sid builtin_sid = { 1, 1, { 0, 0, 0, 0, 0, 5 },
		{ 32 } };
	struct cs_error err = { 0 };
	struct conn c = { 0 };
	struct tevent_context *ev;
	struct loadparm_context *lp;
	struct cli_credentials *cr;
	struct dcerpc_pipe *p = NULL;
	struct samr_Connect2 r = { 0 };
	char *binding, *sysname;
	NTSTATUS st;
	double left;

	/* Samba's GENSEC refuses Kerberos to an IP address (a bare
	 * NT_STATUS_INVALID_PARAMETER): say so before connecting */
	if (cred->kerberos && is_ip_literal(host)) {
		put_host_error(out, CS_ERR_USAGE, "Kerberos needs the server's "
		    "host name, not an IP address (give -S NAME, or "
		    "--smb-auth-file for a password logon)");
		return;
	}
	if (probe_tcp(host, deadline, &err) != 0) {
		put_host_error(out, err.code, err.msg);
		return;
	}
	/* registers the GENSEC (NTLMSSP, SPNEGO, Kerberos) modules */
	dcerpc_init();
	c.mem = talloc_new(NULL);
	ev = tevent_context_init(c.mem);
	lp = loadparm_init(c.mem);
	cr = cli_credentials_init(c.mem);
	if (ev == NULL || lp == NULL || cr == NULL) {
		put_host_error(out, CS_ERR_NOMEM, "out of memory");
		goto out;
	}
	/* no smb.conf is read; the client's caches go to the parent's
	 * private directory DIR, never to the host's Samba state */
	lpcfg_set_cmdline(lp, "log level", verbose >= 3 ? "2" : "0");
	lpcfg_set_cmdline(lp, "private dir", dir);
	lpcfg_set_cmdline(lp, "lock dir", dir);
	lpcfg_set_cmdline(lp, "state directory", dir);
	lpcfg_set_cmdline(lp, "cache directory", dir);
	lpcfg_set_cmdline(lp, "ncalrpc dir", dir);
	lpcfg_set_cmdline(lp, "name resolve order", "host");
	lpcfg_set_cmdline(lp, "client min protocol", "SMB2_02");
	cli_credentials_set_conf(cr, lp);
	if (cred->kerberos) {
		const char *why = NULL;

		cli_credentials_set_kerberos_state(cr,
		    CRED_USE_KERBEROS_REQUIRED, CRED_SPECIFIED);
		if (cli_credentials_set_ccache(cr, lp, NULL, CRED_SPECIFIED,
		    &why) != 0) {
			put_host_error(out, CS_ERR_AUTH, why ? why :
			    "no usable Kerberos ticket cache");
			goto out;
		}
	} else {
		set_user(cr, cred);
		cli_credentials_set_password(cr, cred->password ?
		    cred->password : "", CRED_SPECIFIED);
		cli_credentials_set_kerberos_state(cr,
		    CRED_USE_KERBEROS_DESIRED, CRED_SPECIFIED);
	}
	binding = talloc_asprintf(c.mem, "ncacn_np:%s", host);
	sysname = talloc_asprintf(c.mem, "\\\\%s", host);
	/* connect and logon: no timeout of their own; the parent's deadline
	 * ends this process */
	st = dcerpc_pipe_connect(c.mem, &p, binding, &ndr_table_samr, cr, ev,
	    lp);
	if (!NT_STATUS_IS_OK(st)) {
		/* what GENSEC returns when it gets no service ticket */
		if (cred->kerberos &&
		    NT_STATUS_EQUAL(st, NT_STATUS_INVALID_PARAMETER))
			cs_error_set(&err, CS_ERR_AUTH, "no Kerberos ticket for "
			    "cifs/%s: the realm does not know this name, or its "
			    "KDC did not answer (%s)", host, nt_errstr(st));
		else
			rpc_error(st, "connecting to the SAMR pipe", &err);
		put_host_error(out, err.code, err.msg);
		goto out;
	}
	c.h = p->binding_handle;
	left = deadline - now_mono();
	dcerpc_binding_handle_set_timeout(c.h, left < 1 ? 1 :
	    (uint32_t)ceil(left));
	r.in.system_name = sysname;
	r.in.access_mask = SAMR_ACCESS_CONNECT_TO_SERVER |
	    SAMR_ACCESS_ENUM_DOMAINS | SAMR_ACCESS_LOOKUP_DOMAIN;
	r.out.connect_handle = &c.connect;
	st = call(&c, NDR_SAMR_CONNECT2, &r, &r.out.result);
	if (!NT_STATUS_IS_OK(st)) {
		rpc_error(st, "SamrConnect", &err);
		put_host_error(out, err.code, err.msg);
		goto out;
	}
	st = open_domain(&c, &builtin_sid, &c.builtin);
	if (!NT_STATUS_IS_OK(st)) {
		rpc_error(st, "opening the BUILTIN domain", &err);
		put_host_error(out, err.code, err.msg);
		goto out;
	}
	c.have_builtin = true;
	for (size_t i = 0; i < nal; i++) {
		st = one_alias(&c, &al[i], i, out);
		if (!NT_STATUS_IS_OK(st)) {
			char what[300];

			snprintf(what, sizeof(what), "reading group %s",
			    al[i].name);
			rpc_error(st, what, &err);
			put_host_error(out, err.code, err.msg);
			goto out;
		}
	}
	fputs("D\n", out);
out:
	if (c.have_account)
		close_handle(&c, &c.account);
	if (c.have_builtin)
		close_handle(&c, &c.builtin);
	if (c.h != NULL)
		close_handle(&c, &c.connect);
	talloc_free(c.mem);
}

#else /* !HAVE_SAMR */

bool
cs_samr_available(void)
{
	return false;
}

static void
query_host(const char *host, const struct cs_samr_alias *al, size_t nal,
    const struct cs_samr_creds *cred, double deadline, int verbose,
    const char *dir, FILE *out)
{
	(void)dir;
	(void)host;
	(void)al;
	(void)nal;
	(void)cred;
	(void)deadline;
	(void)verbose;
	put_host_error(out, CS_ERR_INTERNAL, "not built with SAMR support "
	    "(configure found no Samba DCE/RPC libraries: install samba-dev "
	    "and rebuild)");
}

#endif /* HAVE_SAMR */

/* ---- the parent ------------------------------------------------------------ */

static int
remove_entry(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}


struct child {
	pid_t pid;
	int fd;
	struct cs_buf out;
	bool eof, killed;
};

/* Splits line L (modified) at tabs into at most MAX fields. */
static size_t
fields(char *l, char **f, size_t max)
{
	size_t n = 0;

	while (n < max) {
		f[n++] = l;
		if (n == max || (l = strchr(l, '\t')) == NULL)
			break;
		*l++ = '\0';
	}
	return n;
}

static int
parse_records(struct cs_samr_host *h, char *text, size_t nal)
{
	bool done = false;
	char *save = NULL;

	if ((h->aliases = calloc(nal ? nal : 1, sizeof(*h->aliases))) == NULL)
		return CS_ERR_NOMEM;
	h->naliases = nal;
	for (char *l = strtok_r(text, "\n", &save); l;
	    l = strtok_r(NULL, "\n", &save)) {
		char *f[4];
		size_t n = fields(l, f, 4);
		size_t i;

		if (f[0][0] == 'D') {
			done = true;
		} else if (f[0][0] == 'H' && n == 3) {
			h->rc = cs_error_set(&h->err, (int)strtol(f[1], NULL, 10),
			    "%s", f[2]);
			if (h->rc == 0)
				h->rc = cs_error_set(&h->err, CS_ERR_INTERNAL,
				    "%s", f[2]);
			break;
		} else if (f[0][0] == 'A' && n == 4 &&
		    (i = strtoul(f[1], NULL, 10)) < nal) {
			struct cs_samr_members *m = &h->aliases[i];
			int rc = (int)strtol(f[2], NULL, 10);

			free(m->domain);
			m->domain = NULL;
			m->rc = rc;
			if (rc != 0)
				cs_error_set(&m->err, rc, "%s", f[3]);
			else if ((m->domain = strdup(f[3])) == NULL)
				return CS_ERR_NOMEM;
		} else if (f[0][0] == 'S' && n == 3 &&
		    (i = strtoul(f[1], NULL, 10)) < nal) {
			struct cs_samr_members *m = &h->aliases[i];
			char **ns = reallocarray(m->sids, m->n + 1,
			    sizeof(*ns));

			if (ns == NULL)
				return CS_ERR_NOMEM;
			m->sids = ns;
			if ((m->sids[m->n] = strdup(f[2])) == NULL)
				return CS_ERR_NOMEM;
			m->n++;
		}
	}
	if (!done && h->rc == 0)
		h->rc = cs_error_set(&h->err, CS_ERR_INTERNAL, "the SAMR query "
		    "ended without an answer");
	return 0;
}

int
cs_samr_query(struct cs_samr_host *hosts, size_t nhosts,
    const struct cs_samr_alias *al, size_t nal,
    const struct cs_samr_creds *cred, double seconds, int verbose)
{
	struct child *ch;
	struct pollfd *pf;
	double start = now_mono(), deadline = start + seconds;
	const char *tmp = getenv("TMPDIR");
	char dir[4096];
	size_t open = 0;
	int rc = 0;

	if (nhosts == 0)
		return 0;
	/* one private directory for the clients' caches, removed here even
	 * when a child had to be killed */
	if ((size_t)snprintf(dir, sizeof(dir), "%s/crmsec-samr.XXXXXX",
	    tmp && *tmp ? tmp : "/tmp") >= sizeof(dir) || mkdtemp(dir) == NULL)
		return CS_ERR_IO;
	ch = calloc(nhosts, sizeof(*ch));
	pf = calloc(nhosts, sizeof(*pf));
	if (ch == NULL || pf == NULL) {
		free(ch);
		free(pf);
		rmdir(dir);
		return CS_ERR_NOMEM;
	}
	fflush(stdout);
	fflush(stderr);
	for (size_t i = 0; i < nhosts; i++) {
		int p[2];

		cs_buf_init(&ch[i].out, 1024 * 1024);
		ch[i].fd = -1;
		ch[i].pid = -1;
		hosts[i].rc = 0;
		cs_error_clear(&hosts[i].err);
		if (seconds <= 0) {
			hosts[i].rc = cs_error_set(&hosts[i].err, CS_ERR_TIMEOUT,
			    "no time left for the SAMR query");
			continue;
		}
		if (pipe(p) != 0) {
			hosts[i].rc = cs_error_set(&hosts[i].err, CS_ERR_INTERNAL,
			    "pipe: %s", strerror(errno));
			continue;
		}
		ch[i].pid = fork();
		if (ch[i].pid < 0) {
			hosts[i].rc = cs_error_set(&hosts[i].err, CS_ERR_INTERNAL,
			    "fork: %s", strerror(errno));
			close(p[0]);
			close(p[1]);
			continue;
		}
		if (ch[i].pid == 0) {
			FILE *out;

			/* the child: no alarm of the parent's, its own as a
			 * backstop; _exit, so no atexit handler of the
			 * parent (output, leak checks) runs here */
			signal(SIGALRM, SIG_DFL);
			alarm((unsigned)ceil(seconds) + 1);
			close(p[0]);
			for (size_t j = 0; j < i; j++)
				if (ch[j].fd >= 0)
					close(ch[j].fd);
			if ((out = fdopen(p[1], "w")) == NULL)
				_exit(1);
			query_host(hosts[i].host, al, nal, cred, deadline,
			    verbose, dir, out);
			fclose(out);
			_exit(0);
		}
		close(p[1]);
		ch[i].fd = p[0];
		open++;
	}
	while (open > 0) {
		size_t n = 0;
		double left = deadline - now_mono();
		int r;

		if (left <= 0)
			break;
		for (size_t i = 0; i < nhosts; i++) {
			if (ch[i].fd < 0 || ch[i].eof)
				continue;
			pf[n].fd = ch[i].fd;
			pf[n].events = POLLIN;
			pf[n].revents = 0;
			n++;
		}
		r = poll(pf, n, (int)ceil(left * 1000));
		if (r < 0 && errno != EINTR)
			break;
		for (size_t k = 0, i = 0; r > 0 && k < n; k++) {
			char buf[4096];
			ssize_t got;

			if (pf[k].revents == 0)
				continue;
			while (ch[i].fd != pf[k].fd)
				i++;
			got = read(ch[i].fd, buf, sizeof(buf));
			if (got > 0 && cs_buf_add(&ch[i].out, buf,
			    (size_t)got) == 0)
				continue;
			ch[i].eof = true;
			hosts[i].seconds = now_mono() - start;
			open--;
		}
	}
	for (size_t i = 0; i < nhosts; i++) {
		int status;

		if (ch[i].pid <= 0)
			continue;
		if (!ch[i].eof) {
			ch[i].killed = true;
			hosts[i].seconds = now_mono() - start;
		}
		/* a child that has answered may still be busy exiting (under
		 * valgrind, checking for leaks): its answer is all we need */
		kill(ch[i].pid, SIGKILL);
		while (waitpid(ch[i].pid, &status, 0) < 0 && errno == EINTR)
			;
		if (ch[i].fd >= 0)
			close(ch[i].fd);
		if (ch[i].killed) {
			hosts[i].rc = cs_error_set(&hosts[i].err, CS_ERR_TIMEOUT,
			    "timed out after %.1f s (connect, logon or a SAMR "
			    "call did not finish)", hosts[i].seconds);
			continue;
		}
		if (ch[i].out.s == NULL && cs_buf_add(&ch[i].out, "", 0) != 0)
			rc = CS_ERR_NOMEM;
		else if (parse_records(&hosts[i], ch[i].out.s, nal) != 0)
			rc = CS_ERR_NOMEM;
		/* an incomplete answer (a crash) says so in parse_records */
		(void)status;
	}
	for (size_t i = 0; i < nhosts; i++)
		cs_buf_free(&ch[i].out);
	free(ch);
	free(pf);
	nftw(dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
	return rc;
}

void
cs_samr_hosts_free(struct cs_samr_host *hosts, size_t nhosts)
{
	for (size_t i = 0; hosts && i < nhosts; i++) {
		for (size_t j = 0; j < hosts[i].naliases; j++) {
			struct cs_samr_members *m = &hosts[i].aliases[j];

			for (size_t k = 0; k < m->n; k++)
				free(m->sids[k]);
			free(m->sids);
			free(m->domain);
		}
		free(hosts[i].aliases);
		hosts[i].aliases = NULL;
		hosts[i].naliases = 0;
	}
}
