/* The RFC 4515 escaper: the result holds no character a filter value must
 * not carry raw, and unescaping it gives the input back. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "ad.h"
#include "fuzz.h"

static int
hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size), *e = cs_ad_escape(s);
	size_t n = strlen(s), j = 0;

	if (e == NULL)
		abort();
	for (size_t i = 0; e[i]; i++) {
		int c = (unsigned char)e[i];

		if (c == '(' || c == ')' || c == '*')
			abort();
		if (c == '\\') {
			int hi = hex(e[i + 1]), lo = hi < 0 ? -1 : hex(e[i + 2]);

			if (hi < 0 || lo < 0)
				abort();
			c = hi * 16 + lo;
			i += 2;
		}
		if (j >= n || (unsigned char)s[j] != c)
			abort(); /* unescaping must give S back */
		j++;
	}
	if (j != n)
		abort();
	free(e);
	free(s);
	return 0;
}
