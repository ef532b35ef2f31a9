#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "extraopts.h"
#include "fileio.h"
#include "ini.h"

struct vec {
	char **v;
	int n, cap;
};

static int
push(struct vec *a, char *s)
{
	if (s == NULL)
		return CS_ERR_NOMEM;
	if (a->n + 1 >= a->cap) {
		int ncap = a->cap ? a->cap * 2 : 16;
		char **nv = reallocarray(a->v, (size_t)ncap, sizeof(*nv));

		if (nv == NULL) {
			free(s);
			return CS_ERR_NOMEM;
		}
		a->v = nv;
		a->cap = ncap;
	}
	a->v[a->n++] = s;
	a->v[a->n] = NULL;
	return 0;
}

struct ini_ctx {
	struct vec *out;
	struct cs_error *err;
	const char *file;
	int secret; /* the section holds a password */
};

static int
add_ini_option(const char *key, const char *value, void *vctx)
{
	struct ini_ctx *ctx = vctx;
	char *s;

	if (strcmp(key, "extra-opts") == 0 || key[0] == '-')
		return cs_error_set(ctx->err, CS_ERR_PARSE,
		    "%s: option '%s' is not allowed in an ini file", ctx->file,
		    key);
	if (value != NULL && strstr(key, "password") != NULL &&
	    strstr(key, "password-file") == NULL)
		ctx->secret = 1;
	if (value != NULL) {
		size_t n = strlen(key) + strlen(value) + 4;

		if ((s = malloc(n)) != NULL) {
			strcpy(s, "--");
			strcat(s, key);
			strcat(s, "=");
			strcat(s, value);
		}
	} else if ((s = malloc(strlen(key) + 3)) != NULL) {
		strcpy(s, "--");
		strcat(s, key);
	}
	if (push(ctx->out, s) != 0)
		return cs_error_set(ctx->err, CS_ERR_NOMEM, "out of memory");
	return 0;
}

static int
expand_one(const char *plugin, const char *spec, struct vec *out,
    struct cs_error *err)
{
	const char *at = strchr(spec, '@');
	const char *file;
	char *section;
	struct ini_ctx ctx = { out, err, NULL, 0 };
	struct stat st;
	int rc;

	section = at ? strndup(spec, (size_t)(at - spec)) : strdup(spec);
	if (section == NULL)
		return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
	if (at != NULL && at[1] != '\0')
		file = at + 1;
	else if ((file = getenv("MP_CONFIG_FILE")) == NULL || *file == '\0')
		file = CS_EXTRAOPTS_DEFAULT_FILE;
	ctx.file = file;
	rc = cs_ini_read(file, *section ? section : plugin, add_ini_option,
	    &ctx, err);
	free(section);
	/* a password in a file everyone can read is no secret (a group of the
	 * monitoring user alone may read it: examples/crmsec.ini) */
	if (rc == 0 && ctx.secret && stat(file, &st) == 0 &&
	    (st.st_mode & S_IRWXO) != 0)
		rc = cs_error_set(err, CS_ERR_INSECURE,
		    "%s holds a password and others can access it (mode %03o): "
		    "chmod 600 it", file, (unsigned)(st.st_mode & 0777));
	return rc;
}

static int
is_extra_opts(const char *arg)
{
	return strncmp(arg, "--extra-opts", 12) == 0 &&
	    (arg[12] == '\0' || arg[12] == '=');
}

int
cs_extraopts_expand(const char *plugin, int argc, char **argv, int *nargc,
    char ***nargv, struct cs_error *err)
{
	struct vec out = { 0 }, rest = { 0 };
	int rc = 0, i;
	int ended = 0; /* seen "--": nothing after it is an option */

	*nargc = 0;
	*nargv = NULL;
	if ((rc = push(&out, strdup(argc > 0 ? argv[0] : plugin))) != 0)
		goto nomem;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!ended && strcmp(a, "--") == 0)
			ended = 1;
		if (ended || !is_extra_opts(a)) {
			if ((rc = push(&rest, strdup(a))) != 0)
				goto nomem;
			continue;
		}
		if (a[12] == '=')
			rc = expand_one(plugin, a + 13, &out, err);
		else if (i + 1 < argc && argv[i + 1][0] != '-')
			rc = expand_one(plugin, argv[++i], &out, err);
		else
			rc = expand_one(plugin, "", &out, err);
		if (rc != 0)
			goto fail;
	}
	for (i = 0; i < rest.n; i++) {
		if ((rc = push(&out, rest.v[i])) != 0) {
			rest.v[i] = NULL;
			goto nomem;
		}
		rest.v[i] = NULL; /* moved to out */
	}
	free(rest.v);
	*nargc = out.n;
	*nargv = out.v;
	return 0;
nomem:
	rc = cs_error_set(err, CS_ERR_NOMEM, "out of memory");
fail:
	cs_extraopts_free(rest.n, rest.v);
	cs_extraopts_free(out.n, out.v);
	return rc;
}

void
cs_extraopts_free(int argc, char **argv)
{
	if (argv == NULL)
		return;
	for (int i = 0; i < argc; i++) {
		if (argv[i] != NULL) {
			cs_file_wipe(argv[i], strlen(argv[i]));
			free(argv[i]);
		}
	}
	free(argv);
}
