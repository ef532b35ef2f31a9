#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"

void
cs_file_wipe(void *p, size_t len)
{
	if (p != NULL)
		explicit_bzero(p, len);
}

static int
open_error(const char *path, int e, struct cs_error *err)
{
	if (e == ENOENT || e == ENOTDIR)
		return cs_error_set(err, CS_ERR_NOT_FOUND,
		    "%s: no such file", path);
	if (e == EACCES || e == EPERM)
		return cs_error_set(err, CS_ERR_IO,
		    "%s: permission denied", path);
	return cs_error_set(err, CS_ERR_IO, "%s: cannot open: %s", path,
	    strerror(e));
}

/*
 * Reads the open file FD (named PATH in messages) into *BUFP; closes FD.
 * SECRET_WHAT non-NULL: refuse a file group or others may access.
 */
static int
read_fd(int fd, const char *path, size_t max, char **bufp, size_t *lenp,
    const char *secret_what, struct cs_error *err)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0, cap;
	int rc = 0;

	*bufp = NULL;
	*lenp = 0;
	if (fstat(fd, &st) != 0) {
		rc = cs_error_set(err, CS_ERR_IO, "%s: cannot stat: %s", path,
		    strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		rc = cs_error_set(err, CS_ERR_FORMAT, "%s: is a directory",
		    path);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = cs_error_set(err, CS_ERR_FORMAT,
		    "%s: not a regular file", path);
		goto out;
	}
	if (secret_what != NULL && (st.st_mode & (S_IRWXG | S_IRWXO))) {
		rc = cs_error_set(err, CS_ERR_INSECURE,
		    "%s %s is accessible by group or others (mode %03o): "
		    "chmod 600 it", secret_what, path,
		    (unsigned)(st.st_mode & 0777));
		goto out;
	}
	if ((size_t)st.st_size > max) {
		rc = cs_error_set(err, CS_ERR_TOO_LARGE,
		    "%s: file too large (%lld bytes, limit %zu)", path,
		    (long long)st.st_size, max);
		goto out;
	}
	/* read until EOF, not st_size: the file may change while we read */
	cap = (size_t)st.st_size + 1;
	if ((buf = malloc(cap + 1)) == NULL) {
		rc = cs_error_set(err, CS_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (;;) {
		ssize_t n;

		if (len == cap) {
			char *nb;

			if (len > max) {
				rc = cs_error_set(err, CS_ERR_TOO_LARGE,
				    "%s: file too large (limit %zu bytes)",
				    path, max);
				goto out;
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			if (cap <= len)
				cap = len + 1;
			if ((nb = realloc(buf, cap + 1)) == NULL) {
				rc = cs_error_set(err, CS_ERR_NOMEM,
				    "out of memory");
				goto out;
			}
			buf = nb;
		}
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = cs_error_set(err, CS_ERR_IO, "%s: read error: %s",
			    path, strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	if (len > max) {
		rc = cs_error_set(err, CS_ERR_TOO_LARGE,
		    "%s: file too large (limit %zu bytes)", path, max);
		goto out;
	}
	buf[len] = '\0';
	*bufp = buf; /* ownership passes to the caller */
	*lenp = len;
	buf = NULL;
out:
	free(buf);
	close(fd);
	return rc;
}

int
cs_file_read(const char *path, size_t max, char **bufp, size_t *lenp,
    struct cs_error *err)
{
	int fd;

	*bufp = NULL;
	*lenp = 0;
	/* O_NONBLOCK: opening a FIFO must not hang the plugin */
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)) < 0)
		return open_error(path, errno, err);
	return read_fd(fd, path, max, bufp, lenp, NULL, err);
}

int
cs_file_read_secret(const char *path, size_t max, char **bufp, size_t *lenp,
    const char *what, struct cs_error *err)
{
	int fd;

	*bufp = NULL;
	*lenp = 0;
	if ((fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)) < 0) {
		struct cs_error e = { 0 };
		int rc = open_error(path, errno, &e);

		return cs_error_set(err, rc, "%s %s", what, e.msg);
	}
	/* the mode is checked on the file that is read, not on the name */
	return read_fd(fd, path, max, bufp, lenp, what, err);
}
