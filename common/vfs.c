#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "fileio.h"
#include "smb.h"
#include "vfs.h"

bool
cs_vfs_is_url(const char *path)
{
	return strncasecmp(path, "smb://", 6) == 0;
}

int
cs_vfs_read(const char *path, size_t max, char **buf, size_t *len,
    struct cs_error *err)
{
	if (cs_vfs_is_url(path))
		return cs_smb_read(path, max, buf, len, err);
	return cs_file_read(path, max, buf, len, err);
}

int
cs_vfs_stat(const char *path, enum cs_vfs_type *type, struct cs_error *err)
{
	struct stat lst, st;

	if (cs_vfs_is_url(path))
		return cs_smb_stat(path, type, err);
	if (lstat(path, &lst) != 0)
		return cs_error_set(err, errno == ENOENT || errno == ENOTDIR ?
		    CS_ERR_NOT_FOUND : CS_ERR_IO, "%s: %s", path,
		    strerror(errno));
	if (S_ISLNK(lst.st_mode) && stat(path, &st) == 0)
		*type = S_ISDIR(st.st_mode) ? CS_VFS_LINK_DIR :
		    S_ISREG(st.st_mode) ? CS_VFS_FILE : CS_VFS_OTHER;
	else
		*type = S_ISDIR(lst.st_mode) ? CS_VFS_DIR :
		    S_ISREG(lst.st_mode) ? CS_VFS_FILE : CS_VFS_OTHER;
	return 0;
}

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct cs_vfs_entry *)a)->name,
	    ((const struct cs_vfs_entry *)b)->name);
}

int
cs_vfs_list(const char *path, struct cs_vfs_entry **entsp, size_t *np,
    struct cs_error *err)
{
	struct cs_vfs_entry *ents = NULL;
	size_t n = 0, cap = 0;
	struct dirent *d;
	DIR *dir;
	int rc = 0;

	*entsp = NULL;
	*np = 0;
	if (cs_vfs_is_url(path)) {
		if ((rc = cs_smb_list(path, &ents, &n, err)) != 0)
			return rc;
		goto sorted;
	}
	if ((dir = opendir(path)) == NULL)
		return cs_error_set(err, CS_ERR_IO,
		    "%s: cannot read directory: %s", path, strerror(errno));
	while ((errno = 0, d = readdir(dir)) != NULL) {
		char *full;

		if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
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
		ents[n].name = strdup(d->d_name);
		full = cs_vfs_join(path, d->d_name);
		if (ents[n].name == NULL || full == NULL) {
			free(ents[n].name);
			free(full);
			rc = cs_error_set(err, CS_ERR_NOMEM, "out of memory");
			break;
		}
		if (cs_vfs_stat(full, &ents[n].type, NULL) != 0)
			ents[n].type = CS_VFS_OTHER; /* vanished meanwhile */
		free(full);
		n++;
	}
	if (rc == 0 && errno != 0)
		rc = cs_error_set(err, CS_ERR_IO, "%s: cannot read directory: "
		    "%s", path, strerror(errno));
	closedir(dir);
	if (rc != 0) {
		cs_vfs_list_free(ents, n);
		return rc;
	}
sorted:
	if (n > 1)
		qsort(ents, n, sizeof(*ents), cmp_entry);
	*entsp = ents;
	*np = n;
	return 0;
}

void
cs_vfs_list_free(struct cs_vfs_entry *ents, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ents[i].name);
	free(ents);
}

char *
cs_vfs_join(const char *path, const char *name)
{
	size_t pl = strlen(path);
	char *s = NULL;

	if (*name == '\0')
		return strdup(path);
	if (pl == 0)
		return strdup(name);
	if (asprintf(&s, "%s%s%s", path, path[pl - 1] == '/' ? "" : "/",
	    name) < 0)
		return NULL;
	return s;
}
