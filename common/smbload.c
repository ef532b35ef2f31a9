#include "config.h"

#include <dlfcn.h>
#include <string.h>

#include "smbload.h"

/* The run-time name of the library configure found (Debian: soname 0). */
#ifndef CS_SMBCLIENT_SONAME
#define CS_SMBCLIENT_SONAME "libsmbclient.so.0"
#endif

struct cs_smbc cs_smbc;

#ifdef CS_SMBC_LINKED
/* Sanitizer builds link libsmbclient: LeakSanitizer's scan at exit
 * crashes now and then on it when it was loaded with dlopen. */
int
cs_smbc_load(struct cs_error *err)
{
	(void)err;
#define CS_SMBC_SET(name) cs_smbc.name = name;
	CS_SMBC_FUNCS(CS_SMBC_SET)
#undef CS_SMBC_SET
	return 0;
}
#else
int
cs_smbc_load(struct cs_error *err)
{
	static void *lib;
	const char *missing = NULL;
	void *h, *p;

	if (lib != NULL)
		return 0;
	/* never closed: libsmbclient keeps global state until exit */
	if ((h = dlopen(CS_SMBCLIENT_SONAME, RTLD_NOW | RTLD_LOCAL)) == NULL)
		return cs_error_set(err, CS_ERR_INTERNAL, "cannot load %s "
		    "(Debian package libsmbclient): %s", CS_SMBCLIENT_SONAME,
		    dlerror());
#define CS_SMBC_LOAD(name) \
	if ((p = dlsym(h, #name)) == NULL && missing == NULL) \
		missing = #name; \
	memcpy(&cs_smbc.name, &p, sizeof(p));
	CS_SMBC_FUNCS(CS_SMBC_LOAD)
#undef CS_SMBC_LOAD
	if (missing != NULL)
		return cs_error_set(err, CS_ERR_INTERNAL, "%s lacks %s",
		    CS_SMBCLIENT_SONAME, missing);
	lib = h;
	return 0;
}
#endif
