/*
 * Configuration files where they are: local paths and smb:// URLs behind
 * one small interface (read a whole file, tell a file from a directory,
 * list a directory), so the configuration plugins judge files read over
 * SMB exactly as files read locally.
 */
#ifndef CS_VFS_H
#define CS_VFS_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

enum cs_vfs_type {
	CS_VFS_FILE,
	CS_VFS_DIR,
	CS_VFS_LINK_DIR,   /* a symbolic link to a directory: not followed */
	CS_VFS_OTHER,
};

struct cs_vfs_entry {
	char *name;
	enum cs_vfs_type type;
};

/* True for "smb://..." (any case). */
bool cs_vfs_is_url(const char *path);

/*
 * Reads PATH (a local file or an smb:// URL) into *BUF, NUL-terminated,
 * at most MAX bytes; errors as cs_file_read's, with one-line messages.
 */
int cs_vfs_read(const char *path, size_t max, char **buf, size_t *len,
    struct cs_error *err);

/* What PATH is; CS_ERR_NOT_FOUND when it does not exist. */
int cs_vfs_stat(const char *path, enum cs_vfs_type *type,
    struct cs_error *err);

/*
 * The entries of directory PATH ("." and ".." left out), sorted by name.
 * Free with cs_vfs_list_free. Returns 0 or an error naming PATH.
 */
int cs_vfs_list(const char *path, struct cs_vfs_entry **ents, size_t *n,
    struct cs_error *err);
void cs_vfs_list_free(struct cs_vfs_entry *ents, size_t n);

/* PATH joined with NAME by '/', for local paths and URLs alike. */
char *cs_vfs_join(const char *path, const char *name);

#endif
