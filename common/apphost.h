/*
 * IIS applicationHost.config as the plugins need it:
 *  - application pools and the identity each runs as, with the processModel
 *    attributes a pool does not set inherited from
 *    applicationPools/applicationPoolDefaults/processModel (IIS default
 *    identityType: ApplicationPoolIdentity);
 *  - sites and their applications, each with the pool it runs in: its own
 *    applicationPool, else the site's <applicationDefaults>, else
 *    sites/applicationDefaults, else DefaultAppPool;
 *  - system.webServer/security/authentication/windowsAuthentication as it
 *    applies to a path of a site: the global section, overridden attribute
 *    by attribute by <location path="Site"> and <location path="Site/app">
 *    (paths compare case-insensitively; the deepest matching location wins;
 *    inheritInChildApplications="false" stops a location at its
 *    application).
 * Sections moved out with configSource= are read (common/netconfig.h).
 *
 * Passwords are never read: the model records only whether a password is
 * set and whether it is encrypted ("[enc:...:enc]"), never its value.
 *
 * Ownership: cs_apphost_load/cs_apphost_read return a model that owns every
 * string and array reachable from it (file names included); everything is
 * valid until cs_apphost_free. Nothing here keeps the XML document.
 */
#ifndef CS_APPHOST_H
#define CS_APPHOST_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "netconfig.h"

/* processModel/@identityType */
enum cs_apphost_identity {
	CS_APPHOST_LOCAL_SYSTEM,
	CS_APPHOST_LOCAL_SERVICE,
	CS_APPHOST_NETWORK_SERVICE,
	CS_APPHOST_SPECIFIC_USER,
	CS_APPHOST_APPPOOL_IDENTITY,
};

/* Where an effective value comes from. */
enum cs_apphost_origin {
	CS_APPHOST_SET,       /* on the element itself */
	CS_APPHOST_INHERITED, /* from a defaults element or an outer level */
	CS_APPHOST_DEFAULT,   /* IIS's built-in default: no file, no line */
};

struct cs_apphost_src {
	enum cs_apphost_origin origin;
	const char *file;     /* NULL for CS_APPHOST_DEFAULT */
	long line;            /* 0 when unknown */
	const char *location; /* path= of the enclosing <location> as
	                         written, NULL outside one */
};

/* processModel/@password, described without its value. */
enum cs_apphost_password {
	CS_APPHOST_PW_NONE,      /* absent or empty */
	CS_APPHOST_PW_ENCRYPTED, /* "[enc:Provider:...:enc]" */
	CS_APPHOST_PW_CLEAR,     /* anything else: a clear-text password */
};

struct cs_apphost_pool {
	char *name;
	enum cs_apphost_identity identity;     /* effective */
	struct cs_apphost_src identity_src;
	char *user_name;          /* effective userName, "" when none; IIS
	                             uses it only for SpecificUser */
	struct cs_apphost_src user_src;
	enum cs_apphost_password password;     /* effective */
	const char *file;         /* where the pool's <add> is */
	long line;
};

struct cs_apphost_app {
	size_t site;              /* index of its site in h->sites */
	char *path;               /* "/", "/Help", as written */
	char *pool;               /* effective applicationPool */
	struct cs_apphost_src pool_src;
	const char *file;
	long line;
};

struct cs_apphost_site {
	char *name;
	long id;                  /* -1 when absent or not a number */
	const char *file;
	long line;
	struct cs_apphost_app *apps; /* document order */
	size_t napps;
	/* The paths of the site where windowsAuthentication may differ:
	 * "/" first, then every application and every <location> below the
	 * site that sets windowsAuthentication, sorted, each once (compared
	 * case-insensitively), as written. */
	char **auth_paths;
	size_t nauth_paths;
};

struct cs_apphost_decl;       /* a windowsAuthentication attribute */

struct cs_apphost {
	char *path;               /* the file given */
	struct cs_apphost_pool *pools;  /* document order */
	size_t npools;
	struct cs_apphost_site *sites;  /* document order */
	size_t nsites;
	/* private */
	struct cs_apphost_decl *decls;
	size_t ndecls, decls_cap;
	char **strings;           /* interned file names and location paths */
	size_t nstrings;
};

/* Effective windowsAuthentication at one path of a site. */
struct cs_apphost_winauth {
	bool enabled;                 /* IIS default false */
	bool use_kernel_mode;         /* IIS default true */
	bool use_app_pool_credentials;/* IIS default false */
	const char *token_checking;   /* extendedProtection: "None" (default),
	                                 "Allow" or "Require"; static */
	struct cs_apphost_src enabled_src, kernel_src, credentials_src,
	    token_src;
};

/*
 * Reads applicationHost.config from PATH (at most MAX bytes per file).
 * Returns 0 and *OUT (free with cs_apphost_free), or an error with ERR set
 * to one line naming the file and, where known, the line: unreadable or
 * malformed XML, not a <configuration>, a pool or site without a name, a
 * duplicate pool, site or application, an identityType or a
 * windowsAuthentication value IIS would refuse. *OUT is NULL on error.
 */
int cs_apphost_load(const char *path, size_t max, struct cs_apphost **out,
    struct cs_error *err);

/* The same from a configuration already loaded (e.g. with
 * cs_netcfg_parse); CFG stays the caller's and may be freed afterwards. */
int cs_apphost_read(struct cs_netcfg *cfg, struct cs_apphost **out,
    struct cs_error *err);

/* Frees H and everything it owns. Accepts NULL. */
void cs_apphost_free(struct cs_apphost *h);

/* The pool called NAME (any case), or NULL. Owned by H. */
const struct cs_apphost_pool *cs_apphost_pool(const struct cs_apphost *h,
    const char *name);

/* The site called NAME (any case), or NULL. Owned by H. */
const struct cs_apphost_site *cs_apphost_site(const struct cs_apphost *h,
    const char *name);

/* The application of S that serves PATH ("/Help/x" -> "/Help"): the
 * longest application path that is PATH or a parent of it; NULL when S has
 * no root application. Owned by H. */
const struct cs_apphost_app *cs_apphost_app_for(const struct cs_apphost *h,
    const struct cs_apphost_site *s, const char *path);

/*
 * Effective windowsAuthentication for PATH ("/", "/Help") of the site
 * called SITE (it need not exist in H). Fills *OUT; its strings belong to H
 * (or are static).
 */
void cs_apphost_winauth(const struct cs_apphost *h, const char *site,
    const char *path, struct cs_apphost_winauth *out);

/* "LocalSystem", "LocalService", "NetworkService", "SpecificUser",
 * "ApplicationPoolIdentity". */
const char *cs_apphost_identity_name(enum cs_apphost_identity id);

/* Parses an identityType value as IIS does (names in any case, or the
 * numbers 0-4). Returns 0, or -1 for anything else. */
int cs_apphost_identity_parse(const char *s, enum cs_apphost_identity *out);

/*
 * The Windows account P runs as: its userName for SpecificUser,
 * "NT AUTHORITY\SYSTEM", "NT AUTHORITY\LOCAL SERVICE",
 * "NT AUTHORITY\NETWORK SERVICE" or "IIS APPPOOL\<name>". Returns a string
 * the caller frees, or NULL when out of memory.
 */
char *cs_apphost_pool_account(const struct cs_apphost_pool *p);

#endif
