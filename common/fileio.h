/* Reading whole files with a size cap: the one place files are opened. */
#ifndef CS_FILEIO_H
#define CS_FILEIO_H

#include <stddef.h>

#include "error.h"

/*
 * Reads the regular file PATH into *BUF (NUL-terminated, *LEN bytes without
 * the NUL). Refuses anything but a regular file (a FIFO would block) and a
 * file larger than MAX bytes. Returns 0 or CS_ERR_NOT_FOUND, CS_ERR_IO,
 * CS_ERR_TOO_LARGE, CS_ERR_FORMAT (not a regular file), CS_ERR_NOMEM with a
 * one-line message naming PATH. On error *BUF is NULL. The caller frees.
 */
int cs_file_read(const char *path, size_t max, char **buf, size_t *len,
    struct cs_error *err);

/*
 * Reads a file holding a secret (a password file, SMB credentials) like
 * cs_file_read, but refuses one that group or others may access. WHAT
 * names the option in messages ("--password-file").
 */
int cs_file_read_secret(const char *path, size_t max, char **buf,
    size_t *len, const char *what, struct cs_error *err);

/* Overwrites LEN bytes at P with zeros in a way the compiler keeps (for
 * buffers that held secrets). Accepts NULL. */
void cs_file_wipe(void *p, size_t len);

#endif
