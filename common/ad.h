/*
 * The Active Directory layer: connection options shared by the AD plugins,
 * connecting with failover over LDAP, LDAPS or StartTLS, simple and SASL
 * GSSAPI binds, rootDSE discovery, paged searches that report incomplete
 * results as errors, ranged attribute values, RFC 4515 escaping and
 * account name resolution.
 */
#ifndef CS_AD_H
#define CS_AD_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <getopt.h>
#include <ldap.h>

#include "check.h"
#include "cli.h"
#include "error.h"

#define CS_AD_MAX_HOSTS 8
#define CS_AD_PAGE_SIZE 1000   /* AD's MaxPageSize */

struct cs_ad_opts {
	const char *hosts[CS_AD_MAX_HOSTS]; /* -H: URIs or bare host names */
	size_t nhosts;
	int port;                /* -p; 0: by scheme (389/636, GC 3268/3269) */
	bool starttls;           /* -Z */
	bool insecure;           /* --insecure: no certificate check */
	bool gc;                 /* -G: the forest through the Global Catalog */
	const char *cacert;      /* --cacert */
	const char *bind_dn;     /* -D: DN, UPN or DOMAIN\user */
	const char *password_file; /* --password-file */
	char *password;          /* -P / ini; heap copy, wiped after the bind */
	const char *mech;        /* -Y: SASL mechanism (GSSAPI) or NULL */
	const char *base;        /* -b */
	int page_size;
};

/* An open, bound connection and what the rootDSE said. */
struct cs_ad {
	LDAP *ld;
	char *uri;               /* the URI in use */
	char *default_nc;        /* defaultNamingContext */
	char *config_nc;         /* configurationNamingContext */
	char *root_nc;           /* rootDomainNamingContext */
	char *dns_host_name;     /* dnsHostName of the DC */
	char *base;              /* the search base in effect */
	bool gc;                 /* connected to the Global Catalog */
	bool encrypted;          /* LDAPS or StartTLS */
	bool verified;           /* server certificate verified */
	int page_size;
	struct timespec deadline;
	/* nCName -> nETBIOSName of the forest's domains (cs_ad_describe) */
	char **xref_nc, **xref_netbios;
	size_t nxref;
	bool xref_loaded;
	/* statistics of the searches so far */
	unsigned long pages, entries, references;
};

/* Option vocabulary for struct cs_plugin's group_* members. */
extern const char cs_ad_shortopts[];
extern const struct option cs_ad_longopts[];
extern const char cs_ad_help[];
#define CS_AD_HELP_TITLE "Active Directory connection"

/*
 * Handles OPT if it is one of the AD options: returns 0, an error (a usage
 * error with ERR set), or 1 when OPT is not an AD option.
 */
int cs_ad_option(struct cs_ad_opts *o, int opt, const char *arg,
    struct cs_error *err);

/* Checks the AD options for contradictions; 0 or a usage error. */
int cs_ad_validate(const struct cs_ad_opts *o, struct cs_error *err);

/* Wipes and frees the password held in O. */
void cs_ad_opts_clear(struct cs_ad_opts *o);

/*
 * Connects to the first host that answers (failover in -H order), sets up
 * TLS, binds and reads the rootDSE, all within TIMEOUT seconds. A host
 * that cannot be reached or fails TLS gives way to the next; a failed bind
 * stops (another DC would reject the same credentials and count a bad
 * password again). Notes about the connection (URI, TLS, earlier hosts
 * that failed) are added to C as OK findings. The password is wiped after
 * the bind. Returns 0 and *OUT (close with cs_ad_close), or an error.
 */
int cs_ad_connect(struct cs_ad_opts *o, unsigned timeout, struct cs_check *c,
    struct cs_ad **out, struct cs_error *err);

void cs_ad_close(struct cs_ad *ad);

/* Called per entry; a non-zero return stops the search with that code. */
typedef int (*cs_ad_entry_cb)(struct cs_ad *ad, LDAPMessage *entry,
    void *ctx);

/*
 * Searches with the paged-results control, calling CB for every entry as
 * each page arrives (entries are freed after CB returns). Search result
 * references are counted and not chased. A size or time limit, a failed
 * page, a referral for the base itself, or the deadline make it fail with
 * CS_ERR_INCOMPLETE or CS_ERR_TIMEOUT: the caller must not judge on what
 * it saw so far. BASE NULL means ad->base.
 */
int cs_ad_search(struct cs_ad *ad, const char *base, int scope,
    const char *filter, const char *const *attrs, cs_ad_entry_cb cb,
    void *ctx, struct cs_error *err);

/*
 * The values of ATTR of ENTRY, fetching the remaining ranges when AD
 * returned "ATTR;range=0-1499". Returns 0 and *VALS (NULL-terminated, free
 * with ldap_value_free_len; NULL when there are none) or an error.
 */
int cs_ad_values(struct cs_ad *ad, LDAPMessage *entry, const char *attr,
    struct berval ***vals, struct cs_error *err);

/*
 * One decoding pass over ENTRY, for hot loops: CB gets each attribute's
 * name (as sent: a ranged one reads "attr;range=0-1499") and its values,
 * borrowed for the call. *DN is the entry's DN, borrowed until the next
 * entry. A non-zero return of CB stops and is returned.
 */
typedef int (*cs_ad_attr_cb)(const struct berval *attr,
    const struct berval *vals, void *ctx);
int cs_ad_entry_each(struct cs_ad *ad, LDAPMessage *entry,
    struct berval *dn, cs_ad_attr_cb cb, void *ctx, struct cs_error *err);

/* The first value of ATTR as a new string, or NULL. */
char *cs_ad_first(struct cs_ad *ad, LDAPMessage *entry, const char *attr);

/* S escaped for an LDAP filter value (RFC 4515); NULL when out of memory.
 * The caller frees with free(). */
char *cs_ad_escape(const char *s);

/*
 * Finds the one object NAME denotes: a DN, DOMAIN\name, a UPN, a
 * sAMAccountName, or a computer's NAME (NAME$). Calls CB with it.
 * Returns 0, CS_ERR_NOT_FOUND (nothing), CS_ERR_FORMAT (several objects:
 * ERR lists them), or a search error.
 */
int cs_ad_find_account(struct cs_ad *ad, const char *name,
    const char *const *attrs, cs_ad_entry_cb cb, void *ctx,
    struct cs_error *err);

/*
 * "DOMAIN\sAMAccountName (DN)" for messages: the NetBIOS domain name comes
 * from the crossRef objects of the configuration partition (read once),
 * matched to the DN. Caller frees; NULL when out of memory.
 */
char *cs_ad_describe(struct cs_ad *ad, LDAPMessage *entry);
char *cs_ad_describe_dn(struct cs_ad *ad, const char *dn, const char *sam);

/* Seconds left before the deadline (may be <= 0). */
double cs_ad_remaining(const struct cs_ad *ad);

#endif
