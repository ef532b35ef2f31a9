/*
 * One error vocabulary for the whole project. Functions return 0 or a
 * negative CS_ERR_* code and fill a struct cs_error with a one-line message
 * for the administrator; cs_error_state() is the one place that maps an
 * error to a plugin state.
 */
#ifndef CS_ERROR_H
#define CS_ERROR_H

#include "state.h"

enum cs_errcode {
	CS_ERR_NONE = 0,
	CS_ERR_NOMEM = -1,      /* out of memory */
	CS_ERR_USAGE = -2,      /* invalid command line */
	CS_ERR_IO = -3,         /* cannot open or read */
	CS_ERR_NOT_FOUND = -4,  /* file, section, account ... does not exist */
	CS_ERR_TOO_LARGE = -5,  /* input exceeds a configured limit */
	CS_ERR_PARSE = -6,      /* malformed input (XML, ini, number) */
	CS_ERR_FORMAT = -7,     /* well-formed but not what was expected */
	CS_ERR_RANGE = -8,      /* number out of range */
	CS_ERR_TIMEOUT = -9,    /* deadline reached */
	CS_ERR_CONNECT = -10,   /* server unreachable */
	CS_ERR_AUTH = -11,      /* authentication failed */
	CS_ERR_TLS = -12,       /* TLS negotiation or certificate failure */
	CS_ERR_INCOMPLETE = -13,/* partial result: limits, referrals, lost pages */
	CS_ERR_PROTOCOL = -14,  /* unexpected answer from a server */
	CS_ERR_INSECURE = -15,  /* refused for safety (file permissions, DTD) */
	CS_ERR_INTERNAL = -16,  /* a bug */
};

#define CS_ERROR_MSG_MAX 512

struct cs_error {
	int code;
	char msg[CS_ERROR_MSG_MAX];
};

/*
 * Records CODE and a printf-style message in E (E may be NULL). The message
 * is one line: newlines are replaced. Returns CODE so callers can write
 * `return cs_error_set(err, CS_ERR_IO, "cannot open %s", path);`.
 */
int cs_error_set(struct cs_error *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Clears E. */
void cs_error_clear(struct cs_error *e);

/* A short generic text for CODE ("out of memory", "parse error", ...). */
const char *cs_strerror(int code);

/* The plugin state an error leads to: always UNKNOWN today, in one place. */
enum cs_state cs_error_state(int code);

#endif
