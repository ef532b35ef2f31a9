/*
 * A growable string with a hard maximum size (after curl's dynbuf): an
 * append that would pass the maximum appends nothing and fails, so callers
 * decide what to drop instead of cutting text in the middle.
 */
#ifndef CS_BUF_H
#define CS_BUF_H

#include <stddef.h>

struct cs_buf {
	char *s;      /* always NUL-terminated once anything was added */
	size_t len;
	size_t cap;
	size_t max;   /* maximum len; 0 means no limit */
};

void cs_buf_init(struct cs_buf *b, size_t max);

/* Appends LEN bytes of S. Returns 0, CS_ERR_TOO_LARGE (nothing appended)
 * or CS_ERR_NOMEM. */
int cs_buf_add(struct cs_buf *b, const char *s, size_t len);
int cs_buf_adds(struct cs_buf *b, const char *s);
int cs_buf_printf(struct cs_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The contents ("" when empty); valid until the next append or free. */
const char *cs_buf_str(const struct cs_buf *b);

/* Frees the contents; B may be reused after cs_buf_init. Accepts NULL. */
void cs_buf_free(struct cs_buf *b);

#endif
