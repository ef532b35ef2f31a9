/*
 * Local groups of Windows servers over MS-RPC SAMR: the member SIDs of a
 * builtin or local alias (by RID or by name) on each of several hosts,
 * through Samba's public DCE/RPC client API (dcerpc_pipe_connect to
 * ncacn_np:HOST, dcerpc_binding_handle_call with the gen_ndr structs).
 *
 * Each host is asked by a child process of its own, all at once, so the
 * deadline bounds connect, logon and every call whatever the library does
 * (the parent kills a child that has not answered in time), and Samba's
 * global state never touches the plugin's. Credentials reach the child in
 * memory, never on a command line.
 */
#ifndef CS_SAMR_H
#define CS_SAMR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct cs_samr_creds {
	const char *user;       /* "name", "DOMAIN\name" or "name@REALM" */
	const char *domain;     /* NULL: from USER, else none */
	const char *password;   /* NULL with kerberos */
	bool kerberos;          /* the ticket cache (KRB5CCNAME) instead */
};

struct cs_samr_alias {          /* what to look up on every host */
	const char *name;       /* "Performance Log Users", "CRM_WPG" */
	uint32_t builtin_rid;   /* 0x22f: BUILTIN by RID (any language);
	                         * 0: by NAME, BUILTIN first, then the
	                         * host's own domain */
};

struct cs_samr_members {        /* one alias on one host */
	int rc;                 /* 0, CS_ERR_NOT_FOUND (no such group), ... */
	struct cs_error err;    /* when rc != 0 */
	char *domain;           /* where it was found: "BUILTIN", "CRMFE01" */
	char **sids;            /* "S-1-5-21-...", n of them */
	size_t n;
};

struct cs_samr_host {
	const char *host;       /* set by the caller */
	int rc;                 /* the host as a whole: 0 or why not */
	struct cs_error err;
	struct cs_samr_members *aliases; /* one per alias when rc == 0 */
	size_t naliases;
	double seconds;         /* how long the host took */
};

/* True when this build can speak SAMR (configure found Samba's
 * DCE/RPC libraries); otherwise every host fails with CS_ERR_INTERNAL
 * "not built with SAMR support". */
bool cs_samr_available(void);

/*
 * Asks every host in HOSTS (NHOSTS, each ->host set) for the members of
 * the NAL aliases in AL, all hosts at once, giving up on a host after
 * SECONDS. Fills each host's rc/err, and its aliases[] (NAL of them) when
 * the host answered. VERBOSE 3 lets Samba's client log on standard error
 * (never a password). Returns 0, or CS_ERR_NOMEM / CS_ERR_INTERNAL when
 * nothing could be tried. Free with cs_samr_hosts_free.
 */
int cs_samr_query(struct cs_samr_host *hosts, size_t nhosts,
    const struct cs_samr_alias *al, size_t nal,
    const struct cs_samr_creds *cred, double seconds, int verbose);

/* Frees what cs_samr_query put into HOSTS (not HOSTS itself). */
void cs_samr_hosts_free(struct cs_samr_host *hosts, size_t nhosts);

#endif
