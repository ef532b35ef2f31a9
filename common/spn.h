/*
 * Service principal names: "serviceclass/host[:port][/servicename]".
 * Parsing, the case-insensitive comparison key, the SPNs a browser asks for
 * a URL, the HOST/ alias of sPNMappings, and an index that finds SPNs
 * registered on more than one account.
 */
#ifndef CS_SPN_H
#define CS_SPN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define CS_SPN_MAX 1024

struct cs_spn {
	char service_class[64];
	char host[256];
	unsigned port;          /* 0 when absent */
	char service_name[512]; /* "" when absent */
};

/*
 * Parses S. Returns 0, or CS_ERR_PARSE with ERR saying what is wrong (no
 * '/', empty class or host, bad port, too long, control characters).
 */
int cs_spn_parse(const char *s, struct cs_spn *out, struct cs_error *err);

/* The comparison key of SPN: ASCII case folded (SPNs compare
 * case-insensitively). Returns a new string or NULL. */
char *cs_spn_key(const char *spn);

/*
 * The SPNs a browser requests for URL: HTTP/<host>, plus HTTP/<first
 * label> when the host is a DNS name with dots, and with WITH_PORT the same
 * with ":<port>" when the URL names a port. Appends new strings to
 * *LIST (grown with realloc; *N updated). Returns 0 or an error.
 */
int cs_spn_from_url(const char *url, bool with_port, char ***list,
    size_t *n, struct cs_error *err);

/*
 * sPNMappings ("host=alerter,http,www,...") values: true when the service
 * class of SPN is one that the KDC maps to HOST. MAPPINGS is a
 * NULL-terminated list of attribute values; NULL means Windows' default.
 */
bool cs_spn_maps_to_host(const struct cs_spn *spn,
    const char *const *mappings);

/* "HOST/<host>[:port][/servicename]" for SPN: what the KDC looks up when
 * SPN itself is not registered. Returns a new string or NULL. */
char *cs_spn_host_alias(const struct cs_spn *spn);

/* ---- the duplicate index (check_spn --all) ---- */

struct cs_spn_index;

/* A new index; NULL when out of memory. */
struct cs_spn_index *cs_spn_index_new(void);
void cs_spn_index_free(struct cs_spn_index *x);

/*
 * Records that the account numbered OWNER carries SPN. The same account
 * carrying the same SPN twice (in different case) counts once. Returns 0
 * or CS_ERR_NOMEM.
 */
int cs_spn_index_add(struct cs_spn_index *x, const char *spn, uint32_t owner);

/* Distinct SPNs seen. */
size_t cs_spn_index_count(const struct cs_spn_index *x);

/* Called for each SPN held by two or more accounts, in the order first
 * seen; SPN is as first seen, OWNERS in the order seen. */
typedef int (*cs_spn_dup_cb)(const char *spn, const uint32_t *owners,
    size_t n, void *ctx);
int cs_spn_index_duplicates(const struct cs_spn_index *x, cs_spn_dup_cb cb,
    void *ctx);

#endif
