#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "text.h"

size_t
cs_utf8_seqlen(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	size_t len;
	unsigned int cp;

	if (n == 0)
		return 0;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	/* overlong forms, UTF-16 surrogates, beyond U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

static char *
clean(const char *s, size_t max, bool line)
{
	struct cs_buf b;
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p);
	int rc = 0;

	cs_buf_init(&b, 0);
	rc = cs_buf_add(&b, "", 0);
	while (n > 0 && rc == 0) {
		size_t l = cs_utf8_seqlen(p, n);
		char esc[8];
		const char *out = esc;
		size_t outlen;

		if (l == 0) {
			out = "?";
			outlen = 1;
			l = 1;
		} else if (line && *p == '|') {
			out = "\xc2\xa6";
			outlen = 2;
		} else if (line && (*p == '\t' || *p == '\n' || *p == '\r')) {
			out = " ";
			outlen = 1;
		} else if (line && (*p < 0x20 || *p == 0x7f)) {
			snprintf(esc, sizeof(esc), "\\x%02x", *p);
			outlen = 4;
		} else if (line && l == 2 && p[0] == 0xc2 && p[1] < 0xa0) {
			/* C1 controls: U+009B is CSI to a terminal, U+0085 NEL */
			snprintf(esc, sizeof(esc), "\\u%04x", p[1]);
			outlen = 6;
		} else if (line && l == 3 && p[0] == 0xe2 && p[1] == 0x80 &&
		    (p[2] == 0xa8 || p[2] == 0xa9)) {
			/* U+2028, U+2029: line and paragraph separators */
			out = " ";
			outlen = 1;
		} else {
			out = (const char *)p;
			outlen = l;
		}
		rc = cs_buf_add(&b, out, outlen);
		p += l;
		n -= l;
		if (b.len > max + 8)
			break; /* enough to know it must be cut */
	}
	if (rc != 0) {
		cs_buf_free(&b);
		return NULL;
	}
	if (b.len > max) {
		size_t cut = max > 3 ? max - 3 : 0;

		/* back up to the start of a UTF-8 character */
		while (cut > 0 && ((unsigned char)b.s[cut] & 0xc0) == 0x80)
			cut--;
		memcpy(b.s + cut, "...", 4);
		b.len = cut + 3;
	}
	return b.s;
}

char *
cs_text_line(const char *s, size_t max)
{
	return clean(s, max, true);
}

char *
cs_text_utf8(const char *s, size_t max)
{
	return clean(s, max, false);
}

char *
cs_text_perf_label(const char *label)
{
	char *c = clean(label, 128, true);
	struct cs_buf b;
	bool quote = false;
	int rc = 0;

	if (c == NULL)
		return NULL;
	if (c[0] == '\0') {
		/* "=1" would not parse: an empty label is "_" */
		free(c);
		return strdup("_");
	}
	for (char *p = c; *p; p++) {
		if (*p == '=' || *p == '\\')
			*p = '_';
		if (*p == ' ' || *p == '\'')
			quote = true;
	}
	/* the line cleaner turned '|' into a two-byte mark; labels keep '_' */
	for (char *p = c; (p = strstr(p, "\xc2\xa6")) != NULL;)
		memmove(p, "_", 1), memmove(p + 1, p + 2, strlen(p + 2) + 1);
	if (!quote)
		return c;
	cs_buf_init(&b, 0);
	rc |= cs_buf_add(&b, "'", 1);
	for (char *p = c; *p && rc == 0; p++)
		rc |= (*p == '\'') ? cs_buf_add(&b, "''", 2) : cs_buf_add(&b, p, 1);
	rc |= cs_buf_add(&b, "'", 1);
	free(c);
	if (rc != 0) {
		cs_buf_free(&b);
		return NULL;
	}
	return b.s;
}
