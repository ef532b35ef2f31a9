/* The SPN parser and normaliser: parse, key, HOST/ alias, the URL
 * expansion and the duplicate index on arbitrary strings. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fuzz.h"
#include "spn.h"

static int
on_dup(const char *spn, const uint32_t *owners, size_t n, void *ctx)
{
	(void)spn;
	(void)owners;
	(void)ctx;
	if (n < 2)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_error err = { 0 };
	struct cs_spn spn;
	struct cs_spn_index *x;
	char *s = fuzz_strndup(data, size), *key, *alias, **list = NULL;
	size_t n = 0;

	if (cs_spn_parse(s, &spn, &err) == 0) {
		if (spn.service_class[0] == '\0' || spn.host[0] == '\0')
			abort();
		(void)cs_spn_maps_to_host(&spn, NULL);
		if ((alias = cs_spn_host_alias(&spn)) != NULL &&
		    strncasecmp(alias, "HOST/", 5) != 0)
			abort();
		free(alias);
	} else if (strchr(err.msg, '\n') != NULL) {
		abort();
	}
	if ((key = cs_spn_key(s)) != NULL) {
		/* the key is idempotent and case-insensitive */
		char *again = cs_spn_key(key);

		if (again == NULL || strcmp(again, key) != 0)
			abort();
		free(again);
	}
	if (cs_spn_from_url(s, size % 2 == 0, &list, &n, &err) == 0) {
		for (size_t i = 0; i < n; i++)
			if (strncmp(list[i], "HTTP/", 5) != 0)
				abort();
	}
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
	/* the index: the string split at '\n' into SPNs of two owners */
	if ((x = cs_spn_index_new()) != NULL) {
		uint32_t owner = 0;

		for (char *p = s, *e; p != NULL; p = e, owner ^= 1) {
			if ((e = strchr(p, '\n')) != NULL)
				*e++ = '\0';
			(void)cs_spn_index_add(x, p, owner);
		}
		(void)cs_spn_index_duplicates(x, on_dup, NULL);
		cs_spn_index_free(x);
	}
	free(key);
	free(s);
	return 0;
}
