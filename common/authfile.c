#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "authfile.h"
#include "fileio.h"
#include "ini.h"

/* more than any real auth file, little enough to keep in memory */
#define AUTH_FILE_MAX 8192

struct reader {
	struct cs_auth_file *a;
	const char *what;
	struct cs_error *err;
};

static int
on_key(const char *key, const char *value, void *ctx)
{
	struct reader *r = ctx;
	char *dst;
	size_t len;

	if (value == NULL)
		return cs_error_set(r->err, CS_ERR_PARSE, "%s: '%s' has no "
		    "value", r->what, key);
	if (strcasecmp(key, "username") == 0) {
		dst = r->a->user;
		len = sizeof(r->a->user);
	} else if (strcasecmp(key, "password") == 0) {
		dst = r->a->password;
		len = sizeof(r->a->password);
	} else if (strcasecmp(key, "domain") == 0) {
		dst = r->a->domain;
		len = sizeof(r->a->domain);
	} else
		return cs_error_set(r->err, CS_ERR_PARSE, "%s: unknown key "
		    "'%s' (username, password, domain)", r->what, key);
	if (strlen(value) >= len)
		return cs_error_set(r->err, CS_ERR_PARSE, "%s: %s too long",
		    r->what, key);
	strcpy(dst, value);
	return 0;
}

int
cs_auth_file_read(const char *path, const char *what, struct cs_auth_file *a,
    struct cs_error *err)
{
	struct reader r = { a, what, err };
	char *buf = NULL;
	size_t len;
	int rc;

	memset(a, 0, sizeof(*a));
	if ((rc = cs_file_read_secret(path, AUTH_FILE_MAX, &buf, &len, what,
	    err)) != 0)
		return rc;
	rc = cs_ini_parse(buf, len, path, NULL, on_key, &r, err);
	cs_file_wipe(buf, len);
	free(buf);
	if (rc == 0 && a->user[0] == '\0')
		rc = cs_error_set(err, CS_ERR_FORMAT, "%s %s has no username",
		    what, path);
	if (rc != 0)
		cs_auth_file_wipe(a);
	return rc;
}

void
cs_auth_file_wipe(struct cs_auth_file *a)
{
	cs_file_wipe(a, sizeof(*a));
}
