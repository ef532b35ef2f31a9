/*
 * The ini files of the Monitoring Plugins' --extra-opts: "[section]"
 * headers, "key = value" or a bare "key" (a flag), comments starting with
 * '#' or ';'. A value may be wrapped in double quotes.
 */
#ifndef CS_INI_H
#define CS_INI_H

#include <stddef.h>

#include "error.h"

/* Largest ini file read, to bound a mistaken path such as a log file. */
#define CS_INI_MAX_BYTES (1024 * 1024)

/* Called per key of the section; VALUE is NULL for a bare key. Returns 0 to
 * go on or an error code to stop. */
typedef int (*cs_ini_cb)(const char *key, const char *value, void *ctx);

/*
 * Calls CB for each key of SECTION in the ini text BUF (LEN bytes), in
 * order. SECTION NULL means the keys before any section header (files
 * such as smbclient's -A credentials have no sections). Returns 0, CS_ERR_NOT_FOUND when the section does not exist,
 * CS_ERR_PARSE for a malformed line (ERR names it), or CB's error.
 * NAME is used in messages.
 */
int cs_ini_parse(const char *buf, size_t len, const char *name,
    const char *section, cs_ini_cb cb, void *ctx, struct cs_error *err);

/* The same for the file PATH. */
int cs_ini_read(const char *path, const char *section, cs_ini_cb cb,
    void *ctx, struct cs_error *err);

#endif
