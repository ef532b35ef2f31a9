/* Samba auth files (the smbclient -A format), for logons over SMB and SAMR. */
#ifndef CS_AUTHFILE_H
#define CS_AUTHFILE_H

#include "error.h"

struct cs_auth_file {
	char user[256];
	char password[256];
	char domain[256];
};

/*
 * Reads PATH ("username = NAME", "password = SECRET", "domain = DOMAIN")
 * into *A, refusing a file that group or others may access and any other
 * key. WHAT names the option in messages ("--smb-auth-file"). A file
 * without a username is CS_ERR_FORMAT. On error *A holds no secret.
 */
int cs_auth_file_read(const char *path, const char *what,
    struct cs_auth_file *a, struct cs_error *err);

/* Overwrites the whole of *A with zeros. */
void cs_auth_file_wipe(struct cs_auth_file *a);

#endif
