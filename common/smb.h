/*
 * Reading Windows servers' files over SMB with libsmbclient, for the
 * configuration plugins: the option group (--smb-auth-file, -k,
 * --smb-min-protocol, --crm-host ...), an isolated client (its own
 * smb.conf and caches in a private directory, logging on standard error
 * only), and one-line errors that tell a wrong password from a missing
 * share from a missing file.
 */
#ifndef CS_SMB_H
#define CS_SMB_H

#include <stdbool.h>
#include <stddef.h>

#include <getopt.h>

#include "error.h"
#include "vfs.h"

struct cs_smb_opts {
	const char *auth_file;     /* --smb-auth-file */
	bool kerberos;             /* -k */
	const char *min_protocol;  /* --smb-min-protocol (default SMB3) */
	const char *crm_host;      /* --crm-host */
	const char *share;         /* --share (default C$) */
	const char *install_dir;   /* --crm-install-dir */
	char *user, *password, *domain; /* from --extra-opts: smb-user ... */
};

/* Option vocabulary for struct cs_plugin's group_* members. */
extern const char cs_smb_shortopts[];
extern const struct option cs_smb_longopts[];
extern const char cs_smb_help[];
#define CS_SMB_HELP_TITLE "Reading over SMB"

/* Handles OPT if it is an SMB option: 0, an error, or 1 (not ours). */
int cs_smb_option(struct cs_smb_opts *o, int opt, const char *arg,
    struct cs_error *err);

/* Checks the SMB options; 0 or a usage error. */
int cs_smb_validate(const struct cs_smb_opts *o, struct cs_error *err);

/*
 * Makes O the settings for every smb:// access of this process (the
 * client is created on first use). VERBOSE 3 lets libsmbclient talk on
 * standard error.
 */
void cs_smb_setup(struct cs_smb_opts *o, unsigned timeout, int verbose);

/* The standard locations of a Dynamics server, as smb:// URLs through the
 * administrative share (or --share) of --crm-host. NULL without
 * --crm-host. Caller frees. */
enum cs_smb_location {
	CS_SMB_APPHOST,         /* ...inetsrv/config/applicationHost.config */
	CS_SMB_MACHINE_CONFIG,  /* ...Framework64/v4.0.30319/Config/machine.config */
	CS_SMB_ROOT_WEB_CONFIG, /* ...Framework64/v4.0.30319/Config/web.config */
	CS_SMB_CRMWEB,          /* <install dir>/CRMWeb */
};
char *cs_smb_location(const struct cs_smb_opts *o, enum cs_smb_location what);

/* The SMB halves of cs_vfs_read, cs_vfs_stat, cs_vfs_list. */
int cs_smb_read(const char *url, size_t max, char **buf, size_t *len,
    struct cs_error *err);
int cs_smb_stat(const char *url, enum cs_vfs_type *type,
    struct cs_error *err);
int cs_smb_list(const char *url, struct cs_vfs_entry **ents, size_t *n,
    struct cs_error *err);

/* Frees the client and removes its private directory (at exit). */
void cs_smb_shutdown(void);

#endif
