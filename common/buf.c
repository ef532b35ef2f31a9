#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"

void
cs_buf_init(struct cs_buf *b, size_t max)
{
	b->s = NULL;
	b->len = 0;
	b->cap = 0;
	b->max = max;
}

int
cs_buf_add(struct cs_buf *b, const char *s, size_t len)
{
	size_t need;

	if (b->max != 0 && (len > b->max || b->len > b->max - len))
		return CS_ERR_TOO_LARGE;
	need = b->len + len + 1;
	if (need > b->cap) {
		size_t ncap = b->cap ? b->cap : 64;
		char *n;

		while (ncap < need)
			ncap *= 2;
		if ((n = realloc(b->s, ncap)) == NULL)
			return CS_ERR_NOMEM;
		b->s = n;
		b->cap = ncap;
	}
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
	return 0;
}

int
cs_buf_adds(struct cs_buf *b, const char *s)
{
	return cs_buf_add(b, s, strlen(s));
}

int
cs_buf_printf(struct cs_buf *b, const char *fmt, ...)
{
	va_list ap;
	char small[256], *big = NULL;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return CS_ERR_INTERNAL;
	if ((size_t)n < sizeof(small))
		return cs_buf_add(b, small, (size_t)n);
	if ((big = malloc((size_t)n + 1)) == NULL)
		return CS_ERR_NOMEM;
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rc = cs_buf_add(b, big, (size_t)n);
	free(big);
	return rc;
}

const char *
cs_buf_str(const struct cs_buf *b)
{
	return b->s ? b->s : "";
}

void
cs_buf_free(struct cs_buf *b)
{
	if (b == NULL)
		return;
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}
