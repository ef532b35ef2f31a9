/*
 * libsmbclient, loaded the first time an smb:// path is read. Linked
 * normally, its ~100 shared libraries would be mapped and initialised on
 * every run of every configuration check, most of which read local files:
 * that start-up alone costs more than parsing the files does.
 */
#ifndef CS_SMBLOAD_H
#define CS_SMBLOAD_H

#include <libsmbclient.h>

#include "error.h"

/* Every libsmbclient function the plugins call. */
#define CS_SMBC_FUNCS(X) \
	X(smbc_new_context) X(smbc_free_context) X(smbc_init_context) \
	X(smbc_set_context) X(smbc_setDebug) X(smbc_setOptionDebugToStderr) \
	X(smbc_setLogCallback) X(smbc_setTimeout) \
	X(smbc_setFunctionAuthDataWithContext) X(smbc_setOptionUseKerberos) \
	X(smbc_setOptionFallbackAfterKerberos) X(smbc_setOptionUseCCache) \
	X(smbc_setOptionNoAutoAnonymousLogin) X(smbc_setOptionProtocols) \
	X(smbc_open) X(smbc_fstat) X(smbc_read) X(smbc_close) X(smbc_stat) \
	X(smbc_opendir) X(smbc_readdir) X(smbc_closedir)

#define CS_SMBC_MEMBER(name) __typeof__(name) *name;
struct cs_smbc {
	CS_SMBC_FUNCS(CS_SMBC_MEMBER)
};

/* The functions, valid once cs_smbc_load returned 0. */
extern struct cs_smbc cs_smbc;

/* Loads libsmbclient once; 0, or CS_ERR_INTERNAL saying why. */
int cs_smbc_load(struct cs_error *err);

#endif
