#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "authfile.h"
#include "cli.h"
#include "fileio.h"
#include "ini.h"
#include "smb.h"
#include "smbload.h"

/* ---- options --------------------------------------------------------------- */

enum {
	OPT_AUTH_FILE = CS_OPT_GROUP + 0x40,
	OPT_MIN_PROTOCOL,
	OPT_CRM_HOST,
	OPT_SHARE,
	OPT_INSTALL_DIR,
	OPT_USER,
	OPT_PASSWORD,
	OPT_DOMAIN,
};

const char cs_smb_shortopts[] = "k";

const struct option cs_smb_longopts[] = {
	{ "smb-auth-file", required_argument, NULL, OPT_AUTH_FILE },
	{ "kerberos", no_argument, NULL, 'k' },
	{ "smb-min-protocol", required_argument, NULL, OPT_MIN_PROTOCOL },
	{ "crm-host", required_argument, NULL, OPT_CRM_HOST },
	{ "share", required_argument, NULL, OPT_SHARE },
	{ "crm-install-dir", required_argument, NULL, OPT_INSTALL_DIR },
	{ "smb-user", required_argument, NULL, OPT_USER },
	{ "smb-password", required_argument, NULL, OPT_PASSWORD },
	{ "smb-domain", required_argument, NULL, OPT_DOMAIN },
	{ NULL, 0, NULL, 0 },
};

const char cs_smb_help[] =
    " Any file or directory option also takes smb://HOST/SHARE/PATH (file\n"
    " names match in any case, as on Windows).\n"
    " --crm-host=HOST\n"
    "    Read the standard locations of a Dynamics server through its\n"
    "    administrative share C$: applicationHost.config, the framework's\n"
    "    machine.config and root web.config, and the CRM web root (for the\n"
    "    options not given explicitly). Kerberos needs the DNS name, not an IP.\n"
    " --share=NAME\n"
    "    The share that holds the server's C: drive (default C$); better a\n"
    "    dedicated read-only share for the monitoring account (README).\n"
    " --crm-install-dir=PATH\n"
    "    Dynamics' install directory below the share (default\n"
    "    \"Program Files/Microsoft Dynamics CRM\").\n"
    " --smb-auth-file=FILE\n"
    "    Credentials as for smbclient -A: lines \"username = ...\",\n"
    "    \"password = ...\", \"domain = ...\"; refused when group or others can\n"
    "    read it (chmod 600). Or smb-user, smb-password, smb-domain in the\n"
    "    --extra-opts file.\n"
    " --smb-user=NAME, --smb-password=PASSWORD, --smb-domain=DOMAIN\n"
    "    The same one by one. WARNING: on the command line the password can\n"
    "    be read by anyone on the host in the process list; put it in the\n"
    "    --extra-opts file or use --smb-auth-file.\n"
    " -k, --kerberos\n"
    "    Log on with the Kerberos ticket cache (KRB5CCNAME) or a keytab\n"
    "    (KRB5_CLIENT_KTNAME) instead.\n"
    " --smb-min-protocol=PROTOCOL\n"
    "    Oldest protocol to speak (default SMB3; SMB2_10 for old servers).\n"
    "    Encryption cannot be enforced by this client: enforce it on the share\n"
    "    (Set-SmbShare -EncryptData $true).\n";

static int
set_secret(char **dst, const char *arg, struct cs_error *err)
{
	if (*dst != NULL) {
		cs_file_wipe(*dst, strlen(*dst));
		free(*dst);
	}
	if ((*dst = strdup(arg)) == NULL)
		return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
	return 0;
}

int
cs_smb_option(struct cs_smb_opts *o, int opt, const char *arg,
    struct cs_error *err)
{
	static const char *const protocols[] = { "NT1", "SMB2", "SMB2_02",
		"SMB2_10", "SMB3", "SMB3_00", "SMB3_02", "SMB3_11", NULL };

	switch (opt) {
	case OPT_AUTH_FILE:
		o->auth_file = arg;
		return 0;
	case 'k':
		o->kerberos = true;
		return 0;
	case OPT_MIN_PROTOCOL:
		for (int i = 0; protocols[i]; i++) {
			if (strcasecmp(arg, protocols[i]) == 0) {
				o->min_protocol = protocols[i];
				return 0;
			}
		}
		return cs_error_set(err, CS_ERR_USAGE, "--smb-min-protocol: '%s' "
		    "is not one of SMB2_10, SMB3, SMB3_11 ...", arg);
	case OPT_CRM_HOST:
		if (*arg == '\0' || strpbrk(arg, "/\\@ ") != NULL)
			return cs_error_set(err, CS_ERR_USAGE,
			    "--crm-host: '%s' is not a host name", arg);
		o->crm_host = arg;
		return 0;
	case OPT_SHARE:
		if (*arg == '\0' || strpbrk(arg, "/\\") != NULL)
			return cs_error_set(err, CS_ERR_USAGE,
			    "--share: '%s' is not a share name", arg);
		o->share = arg;
		return 0;
	case OPT_INSTALL_DIR:
		o->install_dir = arg;
		return 0;
	case OPT_USER:
		return set_secret(&o->user, arg, err);
	case OPT_PASSWORD:
		return set_secret(&o->password, arg, err);
	case OPT_DOMAIN:
		return set_secret(&o->domain, arg, err);
	}
	return 1;
}

int
cs_smb_validate(const struct cs_smb_opts *o, struct cs_error *err)
{
	if (o->kerberos && (o->auth_file || o->password))
		return cs_error_set(err, CS_ERR_USAGE, "-k (Kerberos) and a "
		    "password exclude each other");
	if (o->auth_file && (o->user || o->password))
		return cs_error_set(err, CS_ERR_USAGE, "give SMB credentials "
		    "once: --smb-auth-file or smb-user/smb-password");
	if ((o->share || o->install_dir) && !o->crm_host)
		return cs_error_set(err, CS_ERR_USAGE,
		    "--share and --crm-install-dir need --crm-host");
	return 0;
}

char *
cs_smb_location(const struct cs_smb_opts *o, enum cs_smb_location what)
{
	static const char net[] = "Windows/Microsoft.NET/Framework64/v4.0.30319/"
	    "Config/";
	const char *share = o->share ? o->share : "C$";
	char *dir = NULL, *s = NULL;
	int r = -1;

	if (o->crm_host == NULL)
		return NULL;
	switch (what) {
	case CS_SMB_APPHOST:
		r = asprintf(&s, "smb://%s/%s/Windows/System32/inetsrv/config/"
		    "applicationHost.config", o->crm_host, share);
		break;
	case CS_SMB_MACHINE_CONFIG:
		r = asprintf(&s, "smb://%s/%s/%smachine.config", o->crm_host,
		    share, net);
		break;
	case CS_SMB_ROOT_WEB_CONFIG:
		r = asprintf(&s, "smb://%s/%s/%sweb.config", o->crm_host,
		    share, net);
		break;
	case CS_SMB_CRMWEB:
		if ((dir = strdup(o->install_dir ? o->install_dir :
		    "Program Files/Microsoft Dynamics CRM")) == NULL)
			return NULL;
		/* "C:\Program Files\..." -> "Program Files/..." */
		for (char *p = dir; *p; p++)
			if (*p == '\\')
				*p = '/';
		{
			const char *rel = dir;

			if (rel[0] && rel[1] == ':')
				rel += 2;
			while (*rel == '/')
				rel++;
			r = asprintf(&s, "smb://%s/%s/%s%sCRMWeb", o->crm_host,
			    share, rel, *rel && rel[strlen(rel) - 1] != '/' ?
			    "/" : "");
		}
		free(dir);
		break;
	}
	return r < 0 ? NULL : s;
}

/* ---- the client --------------------------------------------------------------- */

static struct {
	struct cs_smb_opts *o;
	unsigned timeout;
	int verbose;
	SMBCCTX *ctx;
	struct cs_auth_file cred;	/* --smb-auth-file or --extra-opts */
	bool failed;
	struct cs_error init_err;
} smb;

void
cs_smb_setup(struct cs_smb_opts *o, unsigned timeout, int verbose)
{
	smb.o = o;
	smb.timeout = timeout;
	smb.verbose = verbose;
	cs_finish_hook(cs_smb_shutdown);
}

static int
load_credentials(struct cs_error *err)
{
	const struct cs_smb_opts *o = smb.o;

	if (o->kerberos)
		return 0;
	if (o->auth_file != NULL)
		return cs_auth_file_read(o->auth_file, "--smb-auth-file",
		    &smb.cred, err);
	if (o->user != NULL)
		snprintf(smb.cred.user, sizeof(smb.cred.user), "%s", o->user);
	if (o->password != NULL)
		snprintf(smb.cred.password, sizeof(smb.cred.password), "%s",
		    o->password);
	if (o->domain != NULL)
		snprintf(smb.cred.domain, sizeof(smb.cred.domain), "%s",
		    o->domain);
	if (smb.cred.user[0] == '\0')
		return cs_error_set(err, CS_ERR_USAGE, "reading over SMB needs "
		    "credentials: --smb-auth-file, -k, or smb-user and "
		    "smb-password in the --extra-opts file");
	return 0;
}

static void
auth_fn(SMBCCTX *c, const char *srv, const char *shr, char *wg, int wglen,
    char *un, int unlen, char *pw, int pwlen)
{
	(void)c;
	(void)srv;
	(void)shr;
	if (smb.o->kerberos)
		return;
	snprintf(un, (size_t)unlen, "%s", smb.cred.user);
	snprintf(pw, (size_t)pwlen, "%s", smb.cred.password);
	if (smb.cred.domain[0] != '\0')
		snprintf(wg, (size_t)wglen, "%s", smb.cred.domain);
}

static void
log_fn(void *priv, int level, const char *msg)
{
	(void)priv;
	(void)level;
	/* only at -vvv, and never on stdout, which carries the result */
	if (smb.verbose >= 3)
		fprintf(stderr, "smb: %s", msg);
}

/*
 * A private directory for libsmbclient's configuration and caches, so the
 * plugin neither reads nor writes the host's Samba state. One per user,
 * reused; refused unless it is ours and private.
 */
static int
private_dir(char *out, size_t len, struct cs_error *err)
{
	const char *base = getenv("CRMSEC_SMB_DIR");
	struct stat st;
	char conf[PATH_MAX + 32];
	FILE *f;

	if (base != NULL && *base != '\0')
		snprintf(out, len, "%s", base);
	else
		snprintf(out, len, "%s/crmsec-smb-%u", getenv("TMPDIR") &&
		    *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
		    (unsigned)getuid());
	if (strlen(out) + 1 >= len || strlen(out) > PATH_MAX - 32)
		return cs_error_set(err, CS_ERR_USAGE, "%s: path too long", out);
	if (mkdir(out, 0700) != 0 && errno != EEXIST)
		return cs_error_set(err, CS_ERR_IO, "%s: %s", out,
		    strerror(errno));
	if (lstat(out, &st) != 0 || !S_ISDIR(st.st_mode) ||
	    st.st_uid != getuid() || (st.st_mode & 077) != 0)
		return cs_error_set(err, CS_ERR_INSECURE, "%s must be a "
		    "directory of ours with mode 0700", out);
	snprintf(conf, sizeof(conf), "%s/.smb", out);
	if (mkdir(conf, 0700) != 0 && errno != EEXIST)
		return cs_error_set(err, CS_ERR_IO, "%s: %s", conf,
		    strerror(errno));
	snprintf(conf, sizeof(conf), "%s/.smb/smb.conf", out);
	if ((f = fopen(conf, "w")) == NULL)
		return cs_error_set(err, CS_ERR_IO, "%s: %s", conf,
		    strerror(errno));
	fprintf(f, "# written by crmsec-plugins for libsmbclient\n"
	    "[global]\n"
	    "\tclient min protocol = %s\n"
	    "\tname resolve order = host\n"
	    "\tlog level = %d\n"
	    "\tlock directory = %s\n"
	    "\tstate directory = %s\n"
	    "\tcache directory = %s\n"
	    "\tprivate dir = %s\n"
	    "\tncalrpc dir = %s\n",
	    smb.o->min_protocol ? smb.o->min_protocol : "SMB3",
	    smb.verbose >= 3 ? 3 : 0, out, out, out, out, out);
	if (fclose(f) != 0)
		return cs_error_set(err, CS_ERR_IO, "%s: write error", conf);
	return 0;
}

static int
client(struct cs_error *err)
{
	char dir[PATH_MAX];
	char *home = NULL;
	const char *old;
	int rc;

	if (smb.ctx != NULL)
		return 0;
	if (smb.failed) {
		if (err != NULL)
			*err = smb.init_err;
		return smb.init_err.code;
	}
	smb.failed = true;
	if (smb.o == NULL) {
		rc = cs_error_set(&smb.init_err, CS_ERR_USAGE, "this plugin does "
		    "not read over SMB");
		goto fail;
	}
	if ((rc = cs_smbc_load(&smb.init_err)) != 0)
		goto fail;
	if ((rc = load_credentials(&smb.init_err)) != 0 ||
	    (rc = private_dir(dir, sizeof(dir), &smb.init_err)) != 0)
		goto fail;
	/* libsmbclient reads $HOME/.smb/smb.conf (ours) instead of the
	 * system's when its first context is made */
	if ((old = getenv("HOME")) != NULL && (home = strdup(old)) == NULL) {
		rc = cs_error_set(&smb.init_err, CS_ERR_NOMEM, "out of memory");
		goto fail;
	}
	setenv("HOME", dir, 1);
	smb.ctx = cs_smbc.smbc_new_context();
	if (smb.ctx != NULL) {
		cs_smbc.smbc_setOptionDebugToStderr(smb.ctx, 1);
		cs_smbc.smbc_setDebug(smb.ctx, smb.verbose >= 3 ? 3 : 0);
		cs_smbc.smbc_setLogCallback(smb.ctx, NULL, log_fn);
		cs_smbc.smbc_setTimeout(smb.ctx, (int)smb.timeout * 1000);
		cs_smbc.smbc_setFunctionAuthDataWithContext(smb.ctx, auth_fn);
		cs_smbc.smbc_setOptionUseKerberos(smb.ctx, smb.o->kerberos);
		cs_smbc.smbc_setOptionFallbackAfterKerberos(smb.ctx, !smb.o->kerberos);
		cs_smbc.smbc_setOptionUseCCache(smb.ctx, smb.o->kerberos);
		cs_smbc.smbc_setOptionNoAutoAnonymousLogin(smb.ctx, 1);
		cs_smbc.smbc_setOptionProtocols(smb.ctx, smb.o->min_protocol ?
		    smb.o->min_protocol : "SMB3", NULL);
		if (cs_smbc.smbc_init_context(smb.ctx) == NULL) {
			cs_smbc.smbc_free_context(smb.ctx, 1);
			smb.ctx = NULL;
		}
	}
	if (home != NULL)
		setenv("HOME", home, 1);
	else
		unsetenv("HOME");
	free(home);
	if (smb.ctx == NULL) {
		rc = cs_error_set(&smb.init_err, CS_ERR_INTERNAL,
		    "cannot set up the SMB client: %s", strerror(errno));
		goto fail;
	}
	cs_smbc.smbc_set_context(smb.ctx);
	smb.failed = false;
	return 0;
fail:
	if (err != NULL)
		*err = smb.init_err;
	return rc;
}

void
cs_smb_shutdown(void)
{
	if (smb.ctx != NULL)
		cs_smbc.smbc_free_context(smb.ctx, 1);
	smb.ctx = NULL;
	cs_auth_file_wipe(&smb.cred);
	if (smb.o != NULL) {
		/* the copies set_secret made of the --extra-opts values */
		char **secrets[] = { &smb.o->user, &smb.o->password,
			&smb.o->domain };

		for (size_t i = 0; i < sizeof(secrets) / sizeof(*secrets); i++) {
			if (*secrets[i] != NULL)
				cs_file_wipe(*secrets[i], strlen(*secrets[i]));
			free(*secrets[i]);
			*secrets[i] = NULL;
		}
	}
}

/* ---- errors --------------------------------------------------------------------- */

/* smb://HOST/SHARE/ of URL, or NULL. */
static char *
share_root(const char *url)
{
	const char *p = url + 6, *slash;
	size_t hl;
	char *s = NULL;

	if ((slash = strchr(p, '/')) == NULL)
		return NULL;
	hl = (size_t)(slash - p);
	slash = strchr(slash + 1, '/');
	if (asprintf(&s, "smb://%.*s/%.*s/", (int)hl, p,
	    (int)(slash ? (size_t)(slash - p) - hl - 1 : strlen(p) - hl - 1),
	    p + hl + 1) < 0)
		return NULL;
	return s;
}

static bool
host_resolves(const char *url)
{
	const char *p = url + 6;
	char host[256];
	size_t hl = strcspn(p, "/:");
	struct addrinfo hints = { 0 }, *res = NULL;
	bool ok;

	if (hl == 0 || hl >= sizeof(host))
		return false;
	memcpy(host, p, hl);
	host[hl] = '\0';
	hints.ai_socktype = SOCK_STREAM;
	ok = getaddrinfo(host, NULL, &hints, &res) == 0;
	if (res != NULL)
		freeaddrinfo(res);
	return ok;
}

/* 0 when the credentials list the shares of URL's server, 1 when that
 * logon is refused, -1 when the probe tells nothing. */
static int
logon_probe(const char *url)
{
	const char *p = url + 6;
	char *root = NULL;
	int dh, r;

	if (asprintf(&root, "smb://%.*s/", (int)strcspn(p, "/"), p) < 0)
		return -1;
	dh = cs_smbc.smbc_opendir(root);
	r = dh >= 0 ? 0 : (errno == EACCES || errno == EPERM) ? 1 : -1;
	if (dh >= 0)
		cs_smbc.smbc_closedir(dh);
	free(root);
	return r;
}

/* One line for errno E of an operation on URL. */
static int
smb_error(const char *url, int e, struct cs_error *err)
{
	char *root;
	int dh;

	switch (e) {
	case ENOENT:
	case ENOTDIR:
		if (!host_resolves(url))
			return cs_error_set(err, CS_ERR_CONNECT,
			    "%s: cannot resolve the host name", url);
		/* libsmbclient says ENOENT for a missing share too */
		if ((root = share_root(url)) != NULL) {
			dh = cs_smbc.smbc_opendir(root);
			if (dh < 0 && (errno == ENOENT || errno == ENODEV)) {
				cs_error_set(err, CS_ERR_NOT_FOUND,
				    "%s: no such share on the server", root);
				free(root);
				return CS_ERR_NOT_FOUND;
			}
			if (dh >= 0)
				cs_smbc.smbc_closedir(dh);
			free(root);
		}
		return cs_error_set(err, CS_ERR_NOT_FOUND, "%s: no such file",
		    url);
	case ENODEV:
		return cs_error_set(err, CS_ERR_NOT_FOUND,
		    "%s: no such share on the server", url);
	case EPERM:
		return cs_error_set(err, CS_ERR_AUTH, "%s: logon failed: wrong "
		    "user name or password, or the account may not log on",
		    url);
	case EACCES:
		/* libsmbclient says EACCES for a failed logon too: a logon
		 * that fails to list the server's shares was the cause */
		switch (logon_probe(url)) {
		case 0:
			return cs_error_set(err, CS_ERR_AUTH, "%s: access "
			    "denied by the share's or the file's permissions",
			    url);
		case 1:
			return cs_error_set(err, CS_ERR_AUTH, "%s: logon "
			    "failed: wrong user name or password, or the "
			    "account may not log on", url);
		}
		return cs_error_set(err, CS_ERR_AUTH, "%s: access denied (share "
		    "or file permissions, or a failed logon)", url);
	case ECONNREFUSED:
		return cs_error_set(err, CS_ERR_CONNECT,
		    "%s: connection refused", url);
	case ETIMEDOUT:
	case EAGAIN:
		return cs_error_set(err, CS_ERR_TIMEOUT, "%s: timed out", url);
	case EHOSTUNREACH:
	case ENETUNREACH:
		return cs_error_set(err, CS_ERR_CONNECT, "%s: host unreachable",
		    url);
	case EINVAL:
		if (!host_resolves(url))
			return cs_error_set(err, CS_ERR_CONNECT,
			    "%s: cannot resolve the host name", url);
		return cs_error_set(err, CS_ERR_USAGE, "%s: not a valid "
		    "smb://host/share/path URL", url);
	}
	return cs_error_set(err, CS_ERR_IO, "%s: %s", url, strerror(e));
}

/* URLs carry no credentials: they end up in messages and process lists. */
static int
check_url(const char *url, struct cs_error *err)
{
	const char *p = url + 6;
	const char *at = strchr(p, '@'), *slash = strchr(p, '/');

	if (at != NULL && (slash == NULL || at < slash))
		return cs_error_set(err, CS_ERR_USAGE, "smb:// URLs must not "
		    "carry credentials: use --smb-auth-file");
	if (slash == NULL || slash == p)
		return cs_error_set(err, CS_ERR_USAGE, "%s: not a valid "
		    "smb://host/share/path URL", url);
	return 0;
}

/* ---- file operations ------------------------------------------------------------- */

int
cs_smb_read(const char *url, size_t max, char **bufp, size_t *lenp,
    struct cs_error *err)
{
	char *buf = NULL;
	size_t len = 0, cap;
	struct stat st;
	int fd, rc = 0;

	*bufp = NULL;
	*lenp = 0;
	if ((rc = check_url(url, err)) != 0 || (rc = client(err)) != 0)
		return rc;
	cs_log(1, "reading %s", url);
	if ((fd = cs_smbc.smbc_open(url, O_RDONLY, 0)) < 0)
		return smb_error(url, errno, err);
	if (cs_smbc.smbc_fstat(fd, &st) != 0) {
		rc = smb_error(url, errno, err);
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = cs_error_set(err, CS_ERR_FORMAT, "%s: is a directory", url);
		goto out;
	}
	if ((size_t)st.st_size > max) {
		rc = cs_error_set(err, CS_ERR_TOO_LARGE, "%s: file too large "
		    "(%lld bytes, limit %zu)", url, (long long)st.st_size, max);
		goto out;
	}
	cap = (size_t)st.st_size + 1;
	if ((buf = malloc(cap + 1)) == NULL) {
		rc = cs_error_set(err, CS_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (;;) {
		ssize_t n;

		if (len == cap) {
			/* the file grew while we read it: the cap still holds */
			if (len > max) {
				rc = cs_error_set(err, CS_ERR_TOO_LARGE,
				    "%s: file too large (limit %zu)", url, max);
				goto out;
			}
			rc = cs_error_set(err, CS_ERR_IO, "%s: the file changed "
			    "while it was read", url);
			goto out;
		}
		n = cs_smbc.smbc_read(fd, buf + len, cap - len);
		if (n < 0) {
			rc = smb_error(url, errno, err);
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	*bufp = buf; /* ownership passes to the caller */
	*lenp = len;
	buf = NULL;
out:
	free(buf);
	cs_smbc.smbc_close(fd);
	return rc;
}

int
cs_smb_stat(const char *url, enum cs_vfs_type *type, struct cs_error *err)
{
	struct stat st;
	int rc;

	if ((rc = check_url(url, err)) != 0 || (rc = client(err)) != 0)
		return rc;
	if (cs_smbc.smbc_stat(url, &st) != 0)
		return smb_error(url, errno, err);
	*type = S_ISDIR(st.st_mode) ? CS_VFS_DIR : CS_VFS_FILE;
	return 0;
}

int
cs_smb_list(const char *url, struct cs_vfs_entry **entsp, size_t *np,
    struct cs_error *err)
{
	struct cs_vfs_entry *ents = NULL;
	struct smbc_dirent *d;
	size_t n = 0, cap = 0;
	int dh, rc;

	*entsp = NULL;
	*np = 0;
	if ((rc = check_url(url, err)) != 0 || (rc = client(err)) != 0)
		return rc;
	if ((dh = cs_smbc.smbc_opendir(url)) < 0)
		return smb_error(url, errno, err);
	while ((errno = 0, d = cs_smbc.smbc_readdir((unsigned)dh)) != NULL) {
		if (strcmp(d->name, ".") == 0 || strcmp(d->name, "..") == 0)
			continue;
		if (d->smbc_type != SMBC_DIR && d->smbc_type != SMBC_FILE)
			continue;
		if (n == cap) {
			size_t ncap = cap ? cap * 2 : 32;
			struct cs_vfs_entry *ne = reallocarray(ents, ncap,
			    sizeof(*ne));

			if (ne == NULL) {
				rc = cs_error_set(err, CS_ERR_NOMEM,
				    "out of memory");
				break;
			}
			ents = ne;
			cap = ncap;
		}
		if ((ents[n].name = strdup(d->name)) == NULL) {
			rc = cs_error_set(err, CS_ERR_NOMEM, "out of memory");
			break;
		}
		ents[n].type = d->smbc_type == SMBC_DIR ? CS_VFS_DIR :
		    CS_VFS_FILE;
		n++;
	}
	if (rc == 0 && errno != 0)
		rc = smb_error(url, errno, err);
	cs_smbc.smbc_closedir(dh);
	if (rc != 0) {
		cs_vfs_list_free(ents, n);
		return rc;
	}
	*entsp = ents;
	*np = n;
	return 0;
}
