#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"

static const struct {
	int code;
	const char *text;
} errtab[] = {
	{ CS_ERR_NONE, "success" },
	{ CS_ERR_NOMEM, "out of memory" },
	{ CS_ERR_USAGE, "invalid usage" },
	{ CS_ERR_IO, "input/output error" },
	{ CS_ERR_NOT_FOUND, "not found" },
	{ CS_ERR_TOO_LARGE, "input too large" },
	{ CS_ERR_PARSE, "parse error" },
	{ CS_ERR_FORMAT, "unexpected format" },
	{ CS_ERR_RANGE, "value out of range" },
	{ CS_ERR_TIMEOUT, "timed out" },
	{ CS_ERR_CONNECT, "cannot connect" },
	{ CS_ERR_AUTH, "authentication failed" },
	{ CS_ERR_TLS, "TLS error" },
	{ CS_ERR_INCOMPLETE, "incomplete result" },
	{ CS_ERR_PROTOCOL, "protocol error" },
	{ CS_ERR_INSECURE, "refused as insecure" },
	{ CS_ERR_INTERNAL, "internal error" },
};

int
cs_error_set(struct cs_error *e, int code, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return code;
	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	for (char *p = e->msg; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return code;
}

void
cs_error_clear(struct cs_error *e)
{
	if (e == NULL)
		return;
	e->code = CS_ERR_NONE;
	e->msg[0] = '\0';
}

const char *
cs_strerror(int code)
{
	for (size_t i = 0; i < sizeof(errtab) / sizeof(errtab[0]); i++)
		if (errtab[i].code == code)
			return errtab[i].text;
	return "unknown error";
}

enum cs_state
cs_error_state(int code)
{
	(void)code;
	/* Every internal or input error means the check could not be done. */
	return CS_UNKNOWN;
}
