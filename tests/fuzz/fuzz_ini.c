/* The --extra-opts ini parser: every section the input could name, keys
 * and values handed out as C strings without control characters but tab. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ini.h"

static int
on_key(const char *key, const char *value, void *ctx)
{
	size_t *n = ctx;

	if (key == NULL || strchr(key, '\n') != NULL ||
	    (value != NULL && strchr(value, '\n') != NULL))
		abort();
	(*n)++;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const sections[] = { NULL, "check_aspnet_debug",
	    "a", "", "x y" };
	struct cs_error err = { 0 };
	size_t n = 0;

	for (size_t i = 0; i < sizeof(sections) / sizeof(*sections); i++) {
		int rc = cs_ini_parse((const char *)data, size, "fuzz.ini",
		    sections[i], on_key, &n, &err);

		if (rc != 0 && (err.msg[0] == '\0' || strchr(err.msg, '\n')))
			abort();
	}
	/* the first line as a section name */
	if (size > 0) {
		char *s = fuzz_strndup(data, size), *nl = strchr(s, '\n');

		if (nl != NULL)
			*nl = '\0';
		(void)cs_ini_parse((const char *)data, size, "fuzz.ini", s,
		    on_key, &n, &err);
		free(s);
	}
	return 0;
}
