/* SPN parsing, URL derivation, the HOST alias, the duplicate index, and
 * RFC 4515 escaping of filter values. No directory needed. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ad.h"
#include "spn.h"

static void
test_parse(void **state)
{
	static const struct {
		const char *in;
		int rc;
		const char *sclass, *host;
		unsigned port;
		const char *name;
	} rows[] = {
		{ "HTTP/crm.contoso.test", 0, "HTTP", "crm.contoso.test", 0, "" },
		{ "http/CRM", 0, "http", "CRM", 0, "" },
		{ "HTTP/crm.contoso.test:443", 0, "HTTP", "crm.contoso.test", 443, "" },
		{ "MSSQLSvc/sql01.contoso.test:1433", 0, "MSSQLSvc",
		    "sql01.contoso.test", 1433, "" },
		{ "ldap/dc1.contoso.test/contoso.test", 0, "ldap",
		    "dc1.contoso.test", 0, "contoso.test" },
		{ "ldap/dc1:389/contoso.test", 0, "ldap", "dc1", 389,
		    "contoso.test" },
		{ "kadmin/changepw", 0, "kadmin", "changepw", 0, "" },
		{ "", CS_ERR_PARSE, NULL, NULL, 0, NULL },
		{ "HTTP", CS_ERR_PARSE, NULL, NULL, 0, NULL },
		{ "/host", CS_ERR_PARSE, NULL, NULL, 0, NULL },
		{ "HTTP/", CS_ERR_PARSE, NULL, NULL, 0, NULL },
		{ "HTTP/:80", CS_ERR_PARSE, NULL, NULL, 0, NULL },
		{ "HTTP/h:", CS_ERR_PARSE, NULL, NULL, 0, NULL },
		{ "HTTP/h:0", CS_ERR_PARSE, NULL, NULL, 0, NULL },
		{ "HTTP/h:65536", CS_ERR_PARSE, NULL, NULL, 0, NULL },
		{ "HTTP/h:8x", CS_ERR_PARSE, NULL, NULL, 0, NULL },
		{ "HTTP/h/", CS_ERR_PARSE, NULL, NULL, 0, NULL },
		{ "HTTP/h\nx", CS_ERR_PARSE, NULL, NULL, 0, NULL },
		{ NULL, 0, NULL, NULL, 0, NULL },
	};

	(void)state;
	for (size_t i = 0; rows[i].in; i++) {
		struct cs_spn s;
		struct cs_error err = { 0 };
		int rc = cs_spn_parse(rows[i].in, &s, &err);

		if (rc != rows[i].rc)
			fail_msg("'%s': rc %d (%s)", rows[i].in, rc, err.msg);
		if (rc != 0)
			continue;
		assert_string_equal(s.service_class, rows[i].sclass);
		assert_string_equal(s.host, rows[i].host);
		assert_int_equal(s.port, rows[i].port);
		assert_string_equal(s.service_name, rows[i].name);
	}
}

static void
test_urls(void **state)
{
	static const struct {
		const char *url;
		int with_port;
		const char *want; /* joined with ' ' */
	} rows[] = {
		{ "https://crm.contoso.test", 0, "HTTP/crm.contoso.test HTTP/crm" },
		{ "https://crm.contoso.test/", 0, "HTTP/crm.contoso.test HTTP/crm" },
		{ "http://crm.contoso.test:5555/org/main.aspx", 0,
		    "HTTP/crm.contoso.test HTTP/crm" },
		{ "http://crm.contoso.test:5555/org", 1,
		    "HTTP/crm.contoso.test HTTP/crm.contoso.test:5555 HTTP/crm "
		    "HTTP/crm:5555" },
		{ "https://crm.contoso.test", 1, "HTTP/crm.contoso.test HTTP/crm" },
		{ "http://crmfe01", 0, "HTTP/crmfe01" },
		{ "HTTPS://user@crm.contoso.test/x", 0,
		    "HTTP/crm.contoso.test HTTP/crm" },
		{ NULL, 0, NULL },
	};
	static const char *const bad[] = { "ftp://x", "crm.contoso.test",
	    "http://", "http://10.0.0.1/", "http://[::1]/", "http://h:0/",
	    "http://h:99999", "http://h:80x", NULL };

	(void)state;
	for (size_t i = 0; rows[i].url; i++) {
		char **list = NULL, joined[512] = "";
		size_t n = 0;
		struct cs_error err = { 0 };

		assert_int_equal(cs_spn_from_url(rows[i].url, rows[i].with_port,
		    &list, &n, &err), 0);
		for (size_t k = 0; k < n; k++) {
			strcat(joined, k ? " " : "");
			strcat(joined, list[k]);
			free(list[k]);
		}
		free(list);
		if (strcmp(joined, rows[i].want) != 0)
			fail_msg("%s: '%s'", rows[i].url, joined);
	}
	for (size_t i = 0; bad[i]; i++) {
		char **list = NULL;
		size_t n = 0;
		struct cs_error err = { 0 };

		if (cs_spn_from_url(bad[i], 1, &list, &n, &err) == 0)
			fail_msg("%s accepted", bad[i]);
		assert_int_equal(n, 0);
		free(list);
	}
}

static void
test_host_alias(void **state)
{
	static const char *const custom[] = { "host=ldap,smtp", NULL };
	struct cs_spn s;
	char *a;

	(void)state;
	assert_int_equal(cs_spn_parse("HTTP/crm.contoso.test", &s, NULL), 0);
	assert_true(cs_spn_maps_to_host(&s, NULL));
	assert_false(cs_spn_maps_to_host(&s, custom));
	a = cs_spn_host_alias(&s);
	assert_string_equal(a, "HOST/crm.contoso.test");
	free(a);
	assert_int_equal(cs_spn_parse("www/crm:8080/svc", &s, NULL), 0);
	assert_true(cs_spn_maps_to_host(&s, NULL));
	a = cs_spn_host_alias(&s);
	assert_string_equal(a, "HOST/crm:8080/svc");
	free(a);
	assert_int_equal(cs_spn_parse("MSSQLSvc/sql01:1433", &s, NULL), 0);
	assert_false(cs_spn_maps_to_host(&s, NULL));
	assert_int_equal(cs_spn_parse("HOST/x", &s, NULL), 0);
	assert_false(cs_spn_maps_to_host(&s, NULL));
	assert_int_equal(cs_spn_parse("smtp/x", &s, NULL), 0);
	assert_true(cs_spn_maps_to_host(&s, custom));
}

struct collected {
	char text[1024];
	size_t calls;
};

static int
collect(const char *spn, const uint32_t *owners, size_t n, void *ctx)
{
	struct collected *c = ctx;
	size_t l = strlen(c->text);

	c->calls++;
	/* keep the text while it fits; the calls are counted regardless */
	if (l + strlen(spn) + 16 * (n + 1) >= sizeof(c->text))
		return 0;
	l += (size_t)snprintf(c->text + l, sizeof(c->text) - l, "%s:", spn);
	for (size_t i = 0; i < n; i++)
		l += (size_t)snprintf(c->text + l, sizeof(c->text) - l, "%u%s",
		    owners[i], i + 1 < n ? "," : ";");
	return 0;
}

static void
test_index(void **state)
{
	struct cs_spn_index *x = cs_spn_index_new();
	struct collected c = { "", 0 };

	(void)state;
	assert_non_null(x);
	assert_int_equal(cs_spn_index_add(x, "HTTP/crm.contoso.test", 1), 0);
	assert_int_equal(cs_spn_index_add(x, "HTTP/crm", 1), 0);
	assert_int_equal(cs_spn_index_add(x, "HTTP/crm.contoso.test", 2), 0);
	/* case-variant duplicate */
	assert_int_equal(cs_spn_index_add(x, "http/CRMBE01.contoso.test", 3), 0);
	assert_int_equal(cs_spn_index_add(x, "HTTP/crmbe01.contoso.test", 4), 0);
	/* the same account twice in different case is not a duplicate */
	assert_int_equal(cs_spn_index_add(x, "HOST/crmfe01", 5), 0);
	assert_int_equal(cs_spn_index_add(x, "host/CRMFE01", 5), 0);
	/* three owners */
	assert_int_equal(cs_spn_index_add(x, "HTTP/crm.contoso.test", 6), 0);
	/* port makes a different SPN */
	assert_int_equal(cs_spn_index_add(x, "HTTP/crm:443", 7), 0);
	assert_int_equal(cs_spn_index_count(x), 5);
	assert_int_equal(cs_spn_index_duplicates(x, collect, &c), 0);
	assert_int_equal(c.calls, 2);
	assert_string_equal(c.text, "HTTP/crm.contoso.test:1,2,6;"
	    "http/CRMBE01.contoso.test:3,4;");
	cs_spn_index_free(x);
	cs_spn_index_free(NULL);
}

static void
test_index_many(void **state)
{
	struct cs_spn_index *x = cs_spn_index_new();
	struct collected c = { "", 0 };
	char spn[64];

	(void)state;
	/* grows past its initial size; every 1000th is duplicated */
	for (uint32_t i = 0; i < 50000; i++) {
		snprintf(spn, sizeof(spn), "svc/host%05u.contoso.test", i);
		assert_int_equal(cs_spn_index_add(x, spn, i), 0);
	}
	for (uint32_t i = 0; i < 50000; i += 1000) {
		snprintf(spn, sizeof(spn), "SVC/HOST%05u.CONTOSO.TEST", i);
		assert_int_equal(cs_spn_index_add(x, spn, 100000 + i), 0);
	}
	assert_int_equal(cs_spn_index_count(x), 50000);
	c.text[0] = '\0';
	assert_int_equal(cs_spn_index_duplicates(x, collect, &c), 0);
	assert_int_equal(c.calls, 50);
	cs_spn_index_free(x);
}

static void
test_escape(void **state)
{
	static const struct {
		const char *in, *out;
	} rows[] = {
		{ "svc-crmapp", "svc-crmapp" },
		{ "*)(cn=*", "\\2a\\29\\28cn=\\2a" },
		{ "a\\b", "a\\5cb" },
		{ "(x)", "\\28x\\29" },
		{ "", "" },
		{ "caf\xc3\xa9", "caf\\c3\\a9" }, /* any octet may be escaped */
		{ NULL, NULL },
	};

	(void)state;
	for (size_t i = 0; rows[i].in; i++) {
		char *e = cs_ad_escape(rows[i].in);

		assert_non_null(e);
		if (strcasecmp(e, rows[i].out) != 0)
			fail_msg("escape '%s': '%s', want '%s'", rows[i].in, e,
			    rows[i].out);
		free(e);
	}
}

static void
test_ad_options(void **state)
{
	struct cs_ad_opts o = { 0 };
	struct cs_error err = { 0 };

	(void)state;
	assert_int_equal(cs_ad_validate(&o, &err), CS_ERR_USAGE); /* no -H */
	assert_int_equal(cs_ad_option(&o, 'H', "ldaps://dc1", &err), 0);
	assert_int_equal(cs_ad_option(&o, 'Z', NULL, &err), 0);
	assert_int_equal(cs_ad_validate(&o, &err), CS_ERR_USAGE);
	assert_non_null(strstr(err.msg, "LDAPS is already TLS"));
	o.starttls = false;
	assert_int_equal(cs_ad_option(&o, 'Y', "DIGEST-MD5", &err),
	    CS_ERR_USAGE);
	assert_int_equal(cs_ad_option(&o, 'Y', "gssapi", &err), 0);
	assert_int_equal(cs_ad_option(&o, 'D', "svc@x", &err), 0);
	assert_int_equal(cs_ad_validate(&o, &err), CS_ERR_USAGE);
	o.mech = NULL;
	assert_int_equal(cs_ad_option(&o, 'P', "secret", &err), 0);
	assert_int_equal(cs_ad_validate(&o, &err), 0);
	assert_int_equal(cs_ad_option(&o, 'p', "70000", &err), CS_ERR_USAGE);
	assert_int_equal(cs_ad_option(&o, 'x', NULL, &err), 1); /* not ours */
	cs_ad_opts_clear(&o);
	assert_null(o.password);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_urls),
		cmocka_unit_test(test_host_alias),
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_index_many),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_ad_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
