#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "ini.h"

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

int
cs_ini_parse(const char *buf, size_t len, const char *name,
    const char *section, cs_ini_cb cb, void *ctx, struct cs_error *err)
{
	char *copy, *line, *next;
	bool in = section == NULL, found = section == NULL;
	long lineno = 0;
	int rc = 0;

	if (memchr(buf, '\0', len) != NULL)
		return cs_error_set(err, CS_ERR_PARSE,
		    "%s: not a text file (NUL byte)", name);
	if ((copy = malloc(len + 1)) == NULL)
		return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
	memcpy(copy, buf, len);
	copy[len] = '\0';
	/* a UTF-8 byte order mark is allowed at the start */
	line = copy;
	if (len >= 3 && memcmp(line, "\xef\xbb\xbf", 3) == 0)
		line += 3;
	for (; line != NULL && rc == 0; line = next) {
		char *s, *eq, *key, *val;

		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		s = trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']');

			if (close == NULL || *trim(close + 1) != '\0') {
				rc = cs_error_set(err, CS_ERR_PARSE,
				    "%s:%ld: malformed section header", name,
				    lineno);
				break;
			}
			*close = '\0';
			in = section != NULL && strcmp(trim(s + 1), section) == 0;
			found |= in;
			continue;
		}
		if (!in)
			continue;
		eq = strchr(s, '=');
		if (eq != NULL)
			*eq = '\0';
		key = trim(s);
		if (*key == '\0' || strchr(key, ' ') != NULL) {
			rc = cs_error_set(err, CS_ERR_PARSE,
			    "%s:%ld: malformed option name", name, lineno);
			break;
		}
		val = NULL;
		if (eq != NULL) {
			size_t vl;

			val = trim(eq + 1);
			vl = strlen(val);
			if (vl >= 2 && val[0] == '"' && val[vl - 1] == '"') {
				val[vl - 1] = '\0';
				val++;
			}
		}
		rc = cb(key, val, ctx);
	}
	free(copy);
	if (rc == 0 && !found)
		rc = cs_error_set(err, CS_ERR_NOT_FOUND,
		    "section [%s] not found in %s", section, name);
	return rc;
}

int
cs_ini_read(const char *path, const char *section, cs_ini_cb cb, void *ctx,
    struct cs_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	int rc;

	if ((rc = cs_file_read(path, CS_INI_MAX_BYTES, &buf, &len, err)) != 0)
		return rc;
	rc = cs_ini_parse(buf, len, path, section, cb, ctx, err);
	cs_file_wipe(buf, len);
	free(buf);
	return rc;
}
