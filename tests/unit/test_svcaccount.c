/* check_svcaccount's pure parts: the role table, SIDs and the privileged
 * SID table, FILETIME arithmetic (password expiry, lockout), DN helpers,
 * the memberOf graph, CRM group discovery, and the evaluation of accounts
 * built by hand. No directory needed. */
#include "config.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check_svcaccount.d/svcaccount.h"

#define DAY (86400LL * SVC_FT_PER_SEC)
#define DOM "S-1-5-21-1004336348-1177238915-682003330"
/* 2025-01-01 00:00 UTC */
#define NOW (SVC_FT_UNIX_EPOCH + 1735689600LL * SVC_FT_PER_SEC)

/* ---- roles ------------------------------------------------------------- */

static void
test_roles(void **state)
{
	static const struct {
		const char *in;
		int rc;
		unsigned set;
	} rows[] = {
		{ "app", 0, 1u << 0 },
		{ "APP", 0, 1u << 0 },
		{ "deployment", 0, 1u << 1 },
		{ "async,sandbox", 0, 1u << 2 | 1u << 3 },
		{ " vss , monitoring ", 0, 1u << 4 | 1u << 5 },
		{ "app,app", 0, 1u << 0 },
		{ "", CS_ERR_USAGE, 0 },
		{ "app,", CS_ERR_USAGE, 0 },
		{ ",app", CS_ERR_USAGE, 0 },
		{ "web", CS_ERR_USAGE, 0 },
		{ "apps", CS_ERR_USAGE, 0 },
		{ "ap", CS_ERR_USAGE, 0 },
		{ NULL, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; rows[i].in; i++) {
		struct cs_error err = { 0 };
		unsigned set = 0;
		int rc = svc_roles_parse(rows[i].in, &set, &err);

		if (rc != rows[i].rc || (rc == 0 && set != rows[i].set))
			fail_msg("'%s': rc %d set 0x%x (%s)", rows[i].in, rc, set,
			    err.msg);
		if (rc != 0 && strstr(err.msg, "monitoring") == NULL)
			fail_msg("'%s': the error does not list the roles: %s",
			    rows[i].in, err.msg);
	}
}

/* The role table is DOMAIN.md section 1: pinned row by row. */
static void
test_role_table(void **state)
{
	const unsigned du = SVC_NEED(SVC_G_DOMAIN_USERS);
	const unsigned pr = SVC_NEED(SVC_G_PRIV_USER);
	const unsigned sq = SVC_NEED(SVC_G_SQL_ACCESS);
	static const struct {
		const char *id;
		unsigned needs;
	} want[SVC_ROLE_COUNT] = {
		{ "app", 0 }, { "deployment", 0 }, { "async", 0 },
		{ "sandbox", 0 }, { "vss", 0 }, { "monitoring", 0 },
	};
	const unsigned needs[SVC_ROLE_COUNT] = { du | pr | sq, du | pr | sq,
		du | pr | sq, du, du | pr | sq, du | sq };

	(void)state;
	for (size_t i = 0; i < SVC_ROLE_COUNT; i++) {
		assert_string_equal(svc_roles[i].id, want[i].id);
		if (svc_roles[i].needs != needs[i])
			fail_msg("%s needs 0x%x, expected 0x%x", svc_roles[i].id,
			    svc_roles[i].needs, needs[i]);
		assert_non_null(svc_roles[i].local);
		assert_false(svc_roles[i].needs & SVC_NEED(SVC_G_REPORTING));
	}
	/* the local groups are named where the roles need them */
	assert_non_null(strstr(svc_roles[2].local, "Performance Log Users"));
	assert_non_null(strstr(svc_roles[3].local, "Performance Log Users"));
	assert_non_null(strstr(svc_roles[0].local, "Performance Log Users"));
	assert_int_equal(svc_roles_needs(0), 0);
	assert_int_equal(svc_roles_needs(1u << 3 | 1u << 5), du | sq);
	assert_int_equal(svc_roles_needs(1u << 3), du);
}

static void
test_crm_kinds(void **state)
{
	(void)state;
	assert_int_equal(svc_crm_kind_of("PrivUserGroup {6a2b}"), SVC_G_PRIV_USER);
	assert_int_equal(svc_crm_kind_of("privusergroup {x}"), SVC_G_PRIV_USER);
	assert_int_equal(svc_crm_kind_of("SQLAccessGroup {x}"), SVC_G_SQL_ACCESS);
	assert_int_equal(svc_crm_kind_of("ReportingGroup {x}"), SVC_G_REPORTING);
	assert_int_equal(svc_crm_kind_of("PrivReportingGroup {x}"), -1);
	assert_int_equal(svc_crm_kind_of("PrivUserGroup"), -1);
	assert_int_equal(svc_crm_kind_of("Domain Users"), -1);
	assert_int_equal(svc_crm_kind_of(""), -1);
}

/* ---- SIDs --------------------------------------------------------------- */

static void
test_sid_binary(void **state)
{
	/* S-1-5-21-4104393560-3865657202-3237129130-512, as AD sends it */
	static const unsigned char da[] = { 1, 5, 0, 0, 0, 0, 0, 5,
		0x15, 0, 0, 0, 0x58, 0x13, 0xa4, 0xf4, 0x72, 0x3f, 0x69, 0xe6,
		0xaa, 0xab, 0xf2, 0xc0, 0x00, 0x02, 0x00, 0x00 };
	static const unsigned char admins[] = { 1, 2, 0, 0, 0, 0, 0, 5,
		0x20, 0, 0, 0, 0x20, 0x02, 0, 0 };
	unsigned char out[64];
	struct svc_sid s, d;
	char str[SVC_SID_STR_MAX];
	char *f;
	uint32_t rid;

	(void)state;
	assert_int_equal(svc_sid_from_bin(da, sizeof(da), &s), 0);
	svc_sid_to_string(&s, str, sizeof(str));
	assert_string_equal(str, "S-1-5-21-4104393560-3865657202-3237129130-512");
	assert_int_equal(svc_sid_to_bin(&s, out, sizeof(out)), sizeof(da));
	assert_memory_equal(out, da, sizeof(da));
	assert_int_equal(svc_sid_to_bin(&s, out, 10), 0);
	assert_true(svc_sid_split(&s, &d, &rid));
	assert_int_equal(rid, 512);
	assert_true(svc_sid_is_domain(&d));
	svc_sid_to_string(&d, str, sizeof(str));
	assert_string_equal(str, "S-1-5-21-4104393560-3865657202-3237129130");
	assert_int_equal(svc_sid_from_bin(admins, sizeof(admins), &s), 0);
	svc_sid_to_string(&s, str, sizeof(str));
	assert_string_equal(str, "S-1-5-32-544");
	assert_false(svc_sid_split(&s, NULL, NULL));
	assert_false(svc_sid_is_domain(&s));
	f = svc_sid_filter_value(&s);
	assert_string_equal(f, "\\01\\02\\00\\00\\00\\00\\00\\05\\20\\00\\00"
	    "\\00\\20\\02\\00\\00");
	free(f);
	/* truncated, too long, bad revision, too many sub-authorities */
	assert_int_equal(svc_sid_from_bin(da, sizeof(da) - 1, &s), CS_ERR_PARSE);
	assert_int_equal(svc_sid_from_bin(da, 7, &s), CS_ERR_PARSE);
	assert_int_equal(svc_sid_from_bin(da, 0, &s), CS_ERR_PARSE);
	{
		unsigned char bad[sizeof(da) + 4];

		memcpy(bad, da, sizeof(da));
		memset(bad + sizeof(da), 0, 4);
		assert_int_equal(svc_sid_from_bin(bad, sizeof(bad), &s),
		    CS_ERR_PARSE);
		bad[0] = 2;
		assert_int_equal(svc_sid_from_bin(bad, sizeof(da), &s),
		    CS_ERR_PARSE);
		bad[0] = 1;
		bad[1] = 16;
		assert_int_equal(svc_sid_from_bin(bad, 8 + 64, &s),
		    CS_ERR_PARSE);
	}
}

static void
test_sid_strings(void **state)
{
	static const struct {
		const char *in;
		int rc;
		const char *out;   /* NULL: same as in */
	} rows[] = {
		{ "S-1-5-32-544", 0, NULL },
		{ "s-1-5-32-544", 0, "S-1-5-32-544" },
		{ "S-1-5-21-1-2-3-500", 0, NULL },
		{ "S-1-1-0", 0, NULL },
		{ "S-1-5", 0, NULL },
		{ "S-1-0x123456789ABC-1", 0, "S-1-0x123456789ABC-1" },
		{ "S-1-5-21-4294967295-1-2-3", 0, NULL },
		{ "S-1-5-21-4294967296", CS_ERR_PARSE, NULL },
		{ "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15", 0, NULL },
		{ "S-1-5-1-2-3-4-5-6-7-8-9-10-11-12-13-14-15-16", CS_ERR_PARSE,
		    NULL },
		{ "S-2-5-32", CS_ERR_PARSE, NULL },
		{ "S-1-", CS_ERR_PARSE, NULL },
		{ "S-1-5-", CS_ERR_PARSE, NULL },
		{ "S-1-5-x", CS_ERR_PARSE, NULL },
		{ "S-1-5-32-544 ", CS_ERR_PARSE, NULL },
		{ "X-1-5", CS_ERR_PARSE, NULL },
		{ "", CS_ERR_PARSE, NULL },
		{ "S-1--5", CS_ERR_PARSE, NULL },
		{ NULL, 0, NULL },
	};

	(void)state;
	for (size_t i = 0; rows[i].in; i++) {
		struct svc_sid s, back;
		unsigned char bin[80];
		char str[SVC_SID_STR_MAX];
		size_t n;
		int rc = svc_sid_parse(rows[i].in, &s);

		if (rc != rows[i].rc)
			fail_msg("'%s': rc %d", rows[i].in, rc);
		if (rc != 0)
			continue;
		svc_sid_to_string(&s, str, sizeof(str));
		if (strcmp(str, rows[i].out ? rows[i].out : rows[i].in) != 0)
			fail_msg("'%s' -> '%s'", rows[i].in, str);
		/* binary round trip */
		n = svc_sid_to_bin(&s, bin, sizeof(bin));
		assert_int_not_equal(n, 0);
		assert_int_equal(svc_sid_from_bin(bin, n, &back), 0);
		assert_true(svc_sid_equal(&s, &back));
	}
}

static struct svc_sid
sid(const char *s)
{
	struct svc_sid out;

	if (svc_sid_parse(s, &out) != 0)
		fail_msg("bad SID in the test: %s", s);
	return out;
}

static void
test_privileged_table(void **state)
{
	static const struct {
		const char *sid;
		const char *name;      /* NULL: not privileged */
	} rows[] = {
		{ "S-1-5-32-544", "Administrators" },
		{ "S-1-5-32-548", "Account Operators" },
		{ "S-1-5-32-549", "Server Operators" },
		{ "S-1-5-32-550", "Print Operators" },
		{ "S-1-5-32-551", "Backup Operators" },
		{ "S-1-5-32-552", "Replicator" },
		{ "S-1-5-32-569", "Cryptographic Operators" },
		{ "S-1-5-32-545", NULL },             /* Users */
		{ "S-1-5-32-559", NULL },             /* Performance Log Users */
		{ "S-1-5-32-555", NULL },             /* Remote Desktop Users */
		{ DOM "-500", "Administrator" },
		{ DOM "-512", "Domain Admins" },
		{ DOM "-513", NULL },                 /* Domain Users */
		{ DOM "-517", "Cert Publishers" },
		{ DOM "-520", "Group Policy Creator Owners" },
		{ DOM "-526", "Key Admins" },
		{ DOM "-572", NULL },                 /* Denied RODC ... */
		{ DOM "-1104", NULL },
		/* the forest root's groups under the root's SID */
		{ "S-1-5-21-9-9-9-518", "Schema Admins" },
		{ "S-1-5-21-9-9-9-519", "Enterprise Admins" },
		{ "S-1-5-21-9-9-9-527", "Enterprise Key Admins" },
		/* ... and not under the child domain's */
		{ DOM "-518", NULL },
		{ DOM "-519", NULL },
		{ DOM "-527", NULL },
		/* another domain's Domain Admins */
		{ "S-1-5-21-9-9-9-512", NULL },
		{ "S-1-5-21-7-7-7-512", NULL },
		/* not domain SIDs at all */
		{ "S-1-5-32", NULL },
		{ "S-1-5-18", NULL },
		{ "S-1-1-0", NULL },
		{ "S-1-5-21-1-2-512", NULL },
		{ NULL, NULL },
	};
	struct svc_sid dom = sid(DOM), root = sid("S-1-5-21-9-9-9");

	(void)state;
	for (size_t i = 0; rows[i].sid; i++) {
		struct svc_sid s = sid(rows[i].sid);
		const struct svc_priv *p = svc_priv_match(&s, &dom, &root);

		if ((p == NULL) != (rows[i].name == NULL) ||
		    (p && strcmp(p->name, rows[i].name) != 0))
			fail_msg("%s: got %s, expected %s", rows[i].sid,
			    p ? p->name : "none", rows[i].name ? rows[i].name :
			    "none");
	}
	/* account flag only on RID 500 */
	{
		struct svc_sid s = sid(DOM "-500");

		assert_true(svc_priv_match(&s, &dom, &root)->account);
		s = sid(DOM "-512");
		assert_false(svc_priv_match(&s, &dom, &root)->account);
	}
	/* single-domain forest: root == domain */
	{
		struct svc_sid s = sid(DOM "-519");

		assert_string_equal(svc_priv_match(&s, &dom, &dom)->name,
		    "Enterprise Admins");
	}
	/* unknown root: forest RIDs match any domain SID; unknown domain:
	 * domain RIDs likewise */
	{
		struct svc_sid s = sid("S-1-5-21-5-5-5-519");

		assert_non_null(svc_priv_match(&s, &dom, NULL));
		s = sid("S-1-5-21-5-5-5-512");
		assert_null(svc_priv_match(&s, &dom, NULL));
		assert_non_null(svc_priv_match(&s, NULL, NULL));
	}
	/* the table holds exactly the SIDs of DOMAIN.md section 4 */
	{
		size_t n = 0;

		for (const struct svc_priv *p = svc_privileged; p->name; p++)
			n++;
		assert_int_equal(n, 15);
	}
}

/* ---- FILETIME ------------------------------------------------------------ */

static void
test_filetime(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(svc_filetime_from_unix(0), 116444736000000000LL);
	assert_true(svc_filetime_to_unix(116444736000000000LL) == 0.0);
	assert_true(svc_filetime_to_unix(NOW) == 1735689600.0);
	svc_filetime_format(NOW, buf, sizeof(buf));
	assert_string_equal(buf, "2025-01-01 00:00 UTC");
	svc_filetime_iso(NOW + 90 * SVC_FT_PER_SEC, buf, sizeof(buf));
	assert_string_equal(buf, "2025-01-01T00:01:30Z");
	svc_filetime_format(SVC_FT_NEVER, buf, sizeof(buf));
	assert_string_equal(buf, "never");
	svc_filetime_format(0, buf, sizeof(buf));
	assert_string_equal(buf, "1601-01-01 00:00 UTC");
	/* the "no limit" intervals */
	assert_true(svc_interval_unlimited(0));
	assert_true(svc_interval_unlimited(INT64_MIN));
	assert_false(svc_interval_unlimited(-1));
	assert_false(svc_interval_unlimited(-42 * DAY));
	/* adding an interval: its magnitude, saturating */
	assert_int_equal(svc_filetime_add(NOW, -42 * DAY), NOW + 42 * DAY);
	assert_int_equal(svc_filetime_add(NOW, 42 * DAY), NOW + 42 * DAY);
	assert_int_equal(svc_filetime_add(NOW, INT64_MIN), SVC_FT_NEVER);
	assert_int_equal(svc_filetime_add(SVC_FT_NEVER - 5, -6), SVC_FT_NEVER);
	assert_int_equal(svc_filetime_add(SVC_FT_NEVER - 5, -5), SVC_FT_NEVER);
	assert_int_equal(svc_filetime_add(SVC_FT_NEVER - 5, -4),
	    SVC_FT_NEVER - 1);
	/* days, rounded down to 1/100 */
	assert_true(svc_days_between(NOW, NOW + 5 * DAY) == 5.0);
	assert_true(svc_days_between(NOW, NOW + 5 * DAY - 1) == 4.99);
	assert_true(svc_days_between(NOW, NOW) == 0.0);
	assert_true(svc_days_between(NOW, NOW - DAY / 2) == -0.5);
	assert_true(svc_days_between(NOW, NOW - 1) == -0.01);
	assert_true(svc_days_between(NOW, SVC_FT_NEVER) > 1e7);
}

/* A bare user account at NOW (heap strings: svc_account_free frees). */
static void
base_account(struct svc_account *a)
{
	memset(a, 0, sizeof(*a));
	a->dn = strdup("CN=svc-crmapp,OU=Service Accounts,DC=contoso,DC=test");
	a->name = strdup("CONTOSO\\svc-crmapp");
	a->display = strdup("CONTOSO\\svc-crmapp (CN=svc-crmapp,OU=Service "
	    "Accounts,DC=contoso,DC=test)");
	a->sam = strdup("svc-crmapp");
	a->kind = SVC_KIND_USER;
	a->now = NOW;
}

static void
test_password_expiry(void **state)
{
	static const struct {
		const char *what;
		uint32_t uac;
		bool computed;
		int64_t expiry;
		bool last;
		int64_t pwd_last_set;
		bool pso, pso_readable;
		int64_t pso_max;
		bool domain;
		int64_t max_age;
		enum svc_pwd_state want;
		int64_t expires;
	} rows[] = {
		{ "computed", 512, true, NOW + 9 * DAY, true, NOW - 33 * DAY,
		    false, false, 0, true, -42 * DAY, SVC_PWD_EXPIRES,
		    NOW + 9 * DAY },
		{ "computed wins over the domain policy (PSO)", 512, true,
		    NOW + 5 * DAY, true, NOW, true, false, 0, true, -42 * DAY,
		    SVC_PWD_EXPIRES, NOW + 5 * DAY },
		{ "computed 0x7FFFFFFFFFFFFFFF: never", 512, true, SVC_FT_NEVER,
		    true, NOW, false, false, 0, true, -42 * DAY, SVC_PWD_NEVER,
		    0 },
		{ "computed 0, pwdLastSet 0: must change", 512, true, 0, true, 0,
		    false, false, 0, true, -42 * DAY, SVC_PWD_MUST_CHANGE, 0 },
		{ "computed 0, no pwdLastSet: must change", 512, true, 0, false,
		    0, false, false, 0, true, -42 * DAY, SVC_PWD_MUST_CHANGE, 0 },
		{ "computed 0 contradicting pwdLastSet: computed here", 512,
		    true, 0, true, NOW - DAY, false, false, 0, true, -42 * DAY,
		    SVC_PWD_EXPIRES, NOW + 41 * DAY },
		{ "uac 0x10000 beats everything", 66048, true, NOW + DAY, true,
		    NOW, false, false, 0, true, -42 * DAY, SVC_PWD_NEVER, 0 },
		{ "pwdLastSet + maxPwdAge", 512, false, 0, true, NOW - 40 * DAY,
		    false, false, 0, true, -42 * DAY, SVC_PWD_EXPIRES,
		    NOW + 2 * DAY },
		{ "expired already", 512, false, 0, true, NOW - 50 * DAY, false,
		    false, 0, true, -42 * DAY, SVC_PWD_EXPIRES, NOW - 8 * DAY },
		{ "maxPwdAge 0: never", 512, false, 0, true, NOW, false, false,
		    0, true, 0, SVC_PWD_NEVER, 0 },
		{ "maxPwdAge -9223372036854775808: never", 512, false, 0, true,
		    NOW, false, false, 0, true, INT64_MIN, SVC_PWD_NEVER, 0 },
		{ "maxPwdAge unreadable: unknown", 512, false, 0, true, NOW,
		    false, false, 0, false, 0, SVC_PWD_UNKNOWN, 0 },
		{ "no pwdLastSet: unknown", 512, false, 0, false, 0, false,
		    false, 0, true, -42 * DAY, SVC_PWD_UNKNOWN, 0 },
		{ "pwdLastSet 0: must change", 512, false, 0, true, 0, false,
		    false, 0, true, -42 * DAY, SVC_PWD_MUST_CHANGE, 0 },
		{ "PSO max age beats the domain's", 512, false, 0, true, NOW,
		    true, true, -5 * DAY, true, -42 * DAY, SVC_PWD_EXPIRES,
		    NOW + 5 * DAY },
		{ "PSO unreadable: unknown, not the domain's", 512, false, 0,
		    true, NOW, true, false, 0, true, -42 * DAY, SVC_PWD_UNKNOWN,
		    0 },
		{ "PSO max age 0: never", 512, false, 0, true, NOW, true, true,
		    0, true, -42 * DAY, SVC_PWD_NEVER, 0 },
		{ "PSO max age INT64_MIN: never", 512, false, 0, true, NOW, true,
		    true, INT64_MIN, true, -42 * DAY, SVC_PWD_NEVER, 0 },
		{ "beyond year 30828: never", 512, false, 0, true,
		    SVC_FT_NEVER - DAY, false, false, 0, true, -42 * DAY,
		    SVC_PWD_NEVER, 0 },
		{ NULL, 0, false, 0, false, 0, false, false, 0, false, 0, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; rows[i].what; i++) {
		struct svc_account a;
		struct svc_pwd p;

		base_account(&a);
		a.have_uac = true;
		a.uac = rows[i].uac;
		a.have_expiry_computed = rows[i].computed;
		a.expiry_computed = rows[i].expiry;
		a.have_pwd_last_set = rows[i].last;
		a.pwd_last_set = rows[i].pwd_last_set;
		if (rows[i].pso)
			a.pso_dn = strdup("CN=PSO,CN=Password Settings Container");
		a.have_pso_max_age = rows[i].pso_readable;
		a.pso_max_age = rows[i].pso_max;
		a.have_max_pwd_age = rows[i].domain;
		a.max_pwd_age = rows[i].max_age;
		svc_password_expiry(&a, &p);
		if (p.state != rows[i].want || (p.state == SVC_PWD_EXPIRES &&
		    p.expires != rows[i].expires))
			fail_msg("%s: state %d expires %lld, expected %d %lld (%s)",
			    rows[i].what, p.state, (long long)p.expires,
			    rows[i].want, (long long)rows[i].expires, p.how);
		assert_non_null(p.how);
		svc_account_free(&a);
	}
}

static void
test_lockout(void **state)
{
	static const struct {
		const char *what;
		bool computed;
		uint32_t uacc;
		bool have_time;
		int64_t time;
		bool pso, pso_readable;
		int64_t pso_dur;
		bool domain;
		int64_t dur;
		enum svc_lock_state want;
		int64_t until;
	} rows[] = {
		{ "computed: locked", true, 0x10, true, NOW - 60, false, false, 0,
		    true, -DAY, SVC_LOCK_YES, NOW - 60 + DAY },
		{ "computed: locked, duration unknown", true, 0x10, true,
		    NOW - 60, false, false, 0, false, 0, SVC_LOCK_YES, 0 },
		{ "computed: not locked, stale lockoutTime", true, 0, true,
		    NOW - 2 * DAY, false, false, 0, true, -DAY, SVC_LOCK_NO, 0 },
		{ "no lockoutTime", false, 0, false, 0, false, false, 0, true,
		    -DAY, SVC_LOCK_NO, 0 },
		{ "lockoutTime 0", false, 0, true, 0, false, false, 0, true, -DAY,
		    SVC_LOCK_NO, 0 },
		{ "within the duration", false, 0, true, NOW - DAY / 2, false,
		    false, 0, true, -DAY, SVC_LOCK_YES, NOW + DAY / 2 },
		{ "after the duration", false, 0, true, NOW - 2 * DAY, false,
		    false, 0, true, -DAY, SVC_LOCK_NO, NOW - DAY },
		{ "exactly at the end", false, 0, true, NOW - DAY, false, false,
		    0, true, -DAY, SVC_LOCK_NO, NOW },
		{ "duration 0: until unlocked", false, 0, true, NOW - 300 * DAY,
		    false, false, 0, true, 0, SVC_LOCK_YES, SVC_FT_NEVER },
		{ "duration INT64_MIN: until unlocked", false, 0, true,
		    NOW - 300 * DAY, false, false, 0, true, INT64_MIN, SVC_LOCK_YES,
		    SVC_FT_NEVER },
		{ "duration unreadable: unknown", false, 0, true, NOW - 60, false,
		    false, 0, false, 0, SVC_LOCK_UNKNOWN, 0 },
		{ "PSO duration wins", false, 0, true, NOW - DAY / 2, true, true,
		    -DAY / 4, true, -DAY, SVC_LOCK_NO, NOW - DAY / 4 },
		{ "PSO unreadable: unknown", false, 0, true, NOW - 60, true,
		    false, 0, true, -DAY, SVC_LOCK_UNKNOWN, 0 },
		{ NULL, false, 0, false, 0, false, false, 0, false, 0, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; rows[i].what; i++) {
		struct svc_account a;
		int64_t until = -1;
		const char *how = NULL;
		enum svc_lock_state st;

		base_account(&a);
		a.have_uac_computed = rows[i].computed;
		a.uac_computed = rows[i].uacc;
		a.have_lockout_time = rows[i].have_time;
		a.lockout_time = rows[i].time;
		if (rows[i].pso)
			a.pso_dn = strdup("CN=PSO");
		a.have_pso_lockout = rows[i].pso_readable;
		a.pso_lockout = rows[i].pso_dur;
		a.have_lockout_duration = rows[i].domain;
		a.lockout_duration = rows[i].dur;
		st = svc_lockout(&a, &until, &how);
		if (st != rows[i].want || (rows[i].until && until != rows[i].until))
			fail_msg("%s: state %d until %lld, expected %d %lld",
			    rows[i].what, st, (long long)until, rows[i].want,
			    (long long)rows[i].until);
		assert_non_null(how);
		svc_account_free(&a);
	}
}

/* ---- distinguished names ------------------------------------------------- */

static void
test_dn(void **state)
{
	static const struct {
		const char *dn, *domain, *parent, *rdn;
	} rows[] = {
		{ "CN=svc-crmapp,OU=Service Accounts,OU=Dynamics,DC=contoso,DC=test",
		    "DC=contoso,DC=test", "OU=Service Accounts,OU=Dynamics,"
		    "DC=contoso,DC=test", "svc-crmapp" },
		{ "CN=a\\,DC=fake,OU=x,DC=child,DC=contoso,DC=test",
		    "DC=child,DC=contoso,DC=test", "OU=x,DC=child,DC=contoso,"
		    "DC=test", "a,DC=fake" },
		{ "CN=svc-crm*)(cn\\3Dx,OU=Service Accounts,DC=contoso,DC=test",
		    "DC=contoso,DC=test", "OU=Service Accounts,DC=contoso,DC=test",
		    "svc-crm*)(cn=x" },
		{ "CN=PrivUserGroup {6a2b},OU=CRM Groups, DC=c,DC=t", "DC=c,DC=t",
		    "OU=CRM Groups, DC=c,DC=t", "PrivUserGroup {6a2b}" },
		{ "dc=contoso,dc=test", "dc=contoso,dc=test", "dc=test", "contoso" },
		{ "CN=Schema,CN=Configuration", NULL, "CN=Configuration", "Schema" },
		{ "CN=x\\\\,OU=y", NULL, "OU=y", "x\\" },
		{ "CN=only", NULL, NULL, "only" },
		{ NULL, NULL, NULL, NULL },
	};

	(void)state;
	for (size_t i = 0; rows[i].dn; i++) {
		char *d = svc_dn_domain(rows[i].dn);
		char *p = svc_dn_parent(rows[i].dn);
		char *r = svc_dn_rdn_value(rows[i].dn);

		if ((d == NULL) != (rows[i].domain == NULL) ||
		    (d && strcmp(d, rows[i].domain) != 0))
			fail_msg("domain of %s: %s", rows[i].dn, d ? d : "NULL");
		if ((p == NULL) != (rows[i].parent == NULL) ||
		    (p && strcmp(p, rows[i].parent) != 0))
			fail_msg("parent of %s: %s", rows[i].dn, p ? p : "NULL");
		if (strcmp(r, rows[i].rdn) != 0)
			fail_msg("rdn of %s: %s", rows[i].dn, r);
		free(d);
		free(p);
		free(r);
	}
}

/* ---- the membership graph ------------------------------------------------ */

static size_t
node(struct svc_graph *g, const char *dn, const char *name, const char *s)
{
	size_t idx;
	bool added;

	assert_int_equal(svc_graph_node(g, dn, &idx, &added), 0);
	if (added && name)
		g->v[idx].name = strdup(name);
	if (added && s) {
		g->v[idx].sid = sid(s);
		g->v[idx].have_sid = true;
	}
	return idx;
}

static char *
path_to(const struct svc_graph *g, const char *s)
{
	struct svc_sid want = sid(s);
	size_t path[16], len;
	long to = svc_graph_find_sid(g, &want);

	if (to < 0 || svc_graph_path(g, 0, (size_t)to, path, 16, &len) != 0)
		return NULL;
	return svc_graph_path_text(g, path, len);
}

static void
test_graph(void **state)
{
	struct svc_graph g = { 0 };
	size_t me, l1, l2, da, adm, du, other, again, path[2], len;
	char *t;

	(void)state;
	me = node(&g, "CN=svc-x,OU=S,DC=c", "svc-x", DOM "-1200");
	l1 = node(&g, "CN=L1,OU=G,DC=c", "CRM Admins L1", DOM "-1111");
	l2 = node(&g, "CN=L2,OU=G,DC=c", "CRM Admins L2", DOM "-1112");
	da = node(&g, "CN=Domain Admins,CN=Users,DC=c", "Domain Admins",
	    DOM "-512");
	adm = node(&g, "CN=Administrators,CN=Builtin,DC=c", NULL, "S-1-5-32-544");
	du = node(&g, "CN=Domain Users,CN=Users,DC=c", "Domain Users",
	    DOM "-513");
	other = node(&g, "CN=Other,DC=c", "Other", DOM "-1300");
	again = node(&g, "cn=l1,ou=g,dc=c", NULL, NULL);
	assert_int_equal(again, l1);               /* DNs compare in any case */
	assert_int_equal(g.n, 7);
	assert_int_equal(svc_graph_edge(&g, me, l1, false), 0);
	assert_int_equal(svc_graph_edge(&g, me, l1, false), 0); /* ignored */
	assert_int_equal(g.v[me].nup, 1);
	assert_int_equal(svc_graph_edge(&g, l1, l2, false), 0);
	assert_int_equal(svc_graph_edge(&g, l2, l1, false), 0); /* a cycle */
	assert_int_equal(svc_graph_edge(&g, l2, da, false), 0);
	assert_int_equal(svc_graph_edge(&g, da, adm, false), 0);
	assert_int_equal(svc_graph_edge(&g, me, du, true), 0);

	t = path_to(&g, DOM "-512");
	assert_string_equal(t, "svc-x \xe2\x86\x92 CRM Admins L1 \xe2\x86\x92 "
	    "CRM Admins L2 \xe2\x86\x92 Domain Admins");
	free(t);
	/* a node without a name shows its RDN */
	t = path_to(&g, "S-1-5-32-544");
	assert_non_null(strstr(t, "Domain Admins \xe2\x86\x92 Administrators"));
	free(t);
	t = path_to(&g, DOM "-513");
	assert_string_equal(t, "svc-x \xe2\x86\x92 Domain Users (primary group)");
	free(t);
	/* unreachable, and a path longer than the buffer */
	assert_null(path_to(&g, DOM "-1300"));
	assert_int_equal(svc_graph_path(&g, me, other, path, 2, &len),
	    CS_ERR_NOT_FOUND);
	assert_int_equal(svc_graph_path(&g, me, da, path, 2, &len),
	    CS_ERR_TOO_LARGE);
	assert_int_equal(svc_graph_path(&g, me, me, path, 2, &len), 0);
	assert_int_equal(len, 1);
	{
		struct svc_sid none = sid("S-1-5-21-1-1-1-1");

		assert_int_equal(svc_graph_find_sid(&g, &none), -1);
	}
	svc_graph_free(&g);
	assert_int_equal(g.n, 0);
}

static void
test_graph_limit(void **state)
{
	struct svc_graph g = { 0 };
	char dn[64];
	size_t idx;

	(void)state;
	for (int i = 0; i < SVC_GRAPH_MAX; i++) {
		snprintf(dn, sizeof(dn), "CN=g%d,DC=c", i);
		assert_int_equal(svc_graph_node(&g, dn, &idx, NULL), 0);
	}
	assert_false(g.truncated);
	assert_int_equal(svc_graph_node(&g, "CN=one more,DC=c", &idx, NULL),
	    CS_ERR_TOO_LARGE);
	assert_true(g.truncated);
	/* an existing node is still found */
	assert_int_equal(svc_graph_node(&g, "CN=g7,DC=c", &idx, NULL), 0);
	assert_int_equal(idx, 7);
	svc_graph_free(&g);
}

/* ---- CRM group discovery ----------------------------------------------------- */

#define OU1 "OU=CRM Groups,OU=Dynamics,DC=c,DC=t"
#define OU2 "OU=CRM Groups 2,OU=Dynamics,DC=c,DC=t"

static void
test_crm_pick(void **state)
{
	const struct svc_candidate one[] = {
		{ SVC_G_PRIV_USER, "CN=PrivUserGroup {1}," OU1 },
		{ SVC_G_SQL_ACCESS, "CN=SQLAccessGroup {1}," OU1 },
		{ SVC_G_REPORTING, "CN=ReportingGroup {1}," OU1 },
	};
	const struct svc_candidate two[] = {
		{ SVC_G_PRIV_USER, "CN=PrivUserGroup {1}," OU1 },
		{ SVC_G_SQL_ACCESS, "CN=SQLAccessGroup {1}," OU1 },
		{ SVC_G_REPORTING, "CN=ReportingGroup {1}," OU1 },
		{ SVC_G_PRIV_USER, "CN=PrivUserGroup {2}," OU2 },
		{ SVC_G_SQL_ACCESS, "CN=SQLAccessGroup {2}," OU2 },
	};
	const struct svc_candidate shared_ou[] = {
		{ SVC_G_PRIV_USER, "CN=PrivUserGroup {1}," OU1 },
		{ SVC_G_PRIV_USER, "CN=PrivUserGroup {2}," OU1 },
		{ SVC_G_REPORTING, "CN=ReportingGroup {1}," OU1 },
	};
	struct svc_pick p[SVC_G_COUNT];

	(void)state;
	/* one deployment */
	svc_crm_pick(one, 3, "in DC=c,DC=t", p);
	assert_int_equal(p[SVC_G_DOMAIN_USERS].status, SVC_CRM_UNSET);
	assert_int_equal(p[SVC_G_PRIV_USER].status, SVC_CRM_FOUND);
	assert_int_equal(p[SVC_G_PRIV_USER].index, 0);
	assert_int_equal(p[SVC_G_SQL_ACCESS].status, SVC_CRM_FOUND);
	assert_int_equal(p[SVC_G_SQL_ACCESS].index, 1);
	assert_int_equal(p[SVC_G_REPORTING].status, SVC_CRM_FOUND);
	assert_int_equal(p[SVC_G_REPORTING].index, 2);
	/* two deployments: every kind ambiguous, both OUs named */
	svc_crm_pick(two, 5, "in DC=c,DC=t", p);
	for (int k = SVC_G_PRIV_USER; k < SVC_G_COUNT; k++) {
		assert_int_equal(p[k].status, SVC_CRM_AMBIGUOUS);
		assert_non_null(strstr(p[k].why, "2 deployments"));
		assert_non_null(strstr(p[k].why, OU1));
		assert_non_null(strstr(p[k].why, OU2));
		assert_non_null(strstr(p[k].why, "--crm-groups-ou"));
	}
	/* none */
	svc_crm_pick(NULL, 0, "under OU=x", p);
	for (int k = SVC_G_PRIV_USER; k < SVC_G_COUNT; k++) {
		assert_int_equal(p[k].status, SVC_CRM_NONE);
		assert_non_null(strstr(p[k].why, "under OU=x"));
		assert_non_null(strstr(p[k].why, svc_crm_kinds[k].option));
	}
	/* one OU holding two groups of one kind, none of another */
	svc_crm_pick(shared_ou, 3, "under " OU1, p);
	assert_int_equal(p[SVC_G_PRIV_USER].status, SVC_CRM_AMBIGUOUS);
	assert_non_null(strstr(p[SVC_G_PRIV_USER].why, "--priv-user-group"));
	assert_int_equal(p[SVC_G_SQL_ACCESS].status, SVC_CRM_NONE);
	assert_int_equal(p[SVC_G_REPORTING].status, SVC_CRM_FOUND);
	assert_int_equal(p[SVC_G_REPORTING].index, 2);
}

/* ---- SPNs and object kinds ----------------------------------------------------- */

static void
test_spn_classes(void **state)
{
	static const struct {
		const char *spn;
		bool dynamics;
	} rows[] = {
		{ "HTTP/crm.contoso.test", true },
		{ "http/CRM", true },
		{ "HTTP/crm.contoso.test:443", true },
		{ "MSCRMAsyncService/crmbe01", true },
		{ "mscrmasyncservice/crmbe01.contoso.test", true },
		{ "MSCRMSandboxService/crmbe01", true },
		{ "MSSQLSvc/sql01.contoso.test:1433", false },
		{ "HOST/crmfe01", false },
		{ "HTTPS/crm", false },
		{ "HTT/crm", false },
		{ "HTTP", false },
		{ "", false },
		{ "/HTTP", false },
		{ NULL, false },
	};

	(void)state;
	for (size_t i = 0; rows[i].spn; i++)
		if (svc_spn_is_dynamics(rows[i].spn) != rows[i].dynamics)
			fail_msg("%s", rows[i].spn);
}

static void
test_kinds(void **state)
{
	const char *user[] = { "top", "person", "organizationalPerson", "user",
		NULL };
	const char *inet[] = { "top", "person", "organizationalPerson", "user",
		"inetOrgPerson", NULL };
	const char *comp[] = { "top", "person", "organizationalPerson", "user",
		"computer", NULL };
	const char *gmsa[] = { "top", "person", "organizationalPerson", "user",
		"computer", "msDS-GroupManagedServiceAccount", NULL };
	const char *msa[] = { "top", "person", "organizationalPerson", "user",
		"computer", "msDS-ManagedServiceAccount", NULL };
	const char *group[] = { "top", "group", NULL };
	const char *none[] = { NULL };

	(void)state;
	assert_int_equal(svc_kind_of(user), SVC_KIND_USER);
	assert_int_equal(svc_kind_of(inet), SVC_KIND_USER);
	assert_int_equal(svc_kind_of(comp), SVC_KIND_COMPUTER);
	assert_int_equal(svc_kind_of(gmsa), SVC_KIND_GMSA);
	assert_int_equal(svc_kind_of(msa), SVC_KIND_MSA);
	assert_int_equal(svc_kind_of(group), SVC_KIND_OTHER);
	assert_int_equal(svc_kind_of(none), SVC_KIND_OTHER);
	assert_int_equal(svc_kind_of(NULL), SVC_KIND_OTHER);
}

/* ---- evaluation ------------------------------------------------------------------ */

static void
token(struct svc_account *a, const char *s, const char *name)
{
	a->token = realloc(a->token, (a->ntoken + 1) * sizeof(*a->token));
	assert_non_null(a->token);
	memset(&a->token[a->ntoken], 0, sizeof(a->token[a->ntoken]));
	a->token[a->ntoken].sid = sid(s);
	a->token[a->ntoken].name = name ? strdup(name) : NULL;
	a->ntoken++;
	a->token_read = true;
}

static void
crm(struct svc_account *a, int k, const char *s, const char *name)
{
	a->crm[k].status = SVC_CRM_FOUND;
	a->crm[k].source = "--crm-groups-ou";
	a->crm[k].name = strdup(name);
	if (asprintf(&a->crm[k].dn, "CN=%s," OU1, name) < 0)
		fail();
	a->crm[k].sid = sid(s);
	a->crm[k].have_sid = true;
}

/* A clean Application Service account: Domain Users (primary), the CRM
 * groups, a password that expires in 30 days. */
static void
clean_account(struct svc_account *a)
{
	base_account(a);
	a->have_sid = true;
	a->sid = sid(DOM "-1114");
	a->have_domain_sid = a->have_root_sid = true;
	a->domain_sid = a->root_sid = sid(DOM);
	a->have_uac = a->have_uac_computed = true;
	a->uac = 512;
	a->have_pwd_last_set = a->have_expiry_computed = true;
	a->pwd_last_set = NOW - 12 * DAY;
	a->expiry_computed = NOW + 30 * DAY;
	a->have_primary_group = true;
	a->primary_group = 513;
	token(a, DOM "-513", "Domain Users");
	token(a, "S-1-5-32-545", "Users");
	token(a, DOM "-1103", "PrivUserGroup {1}");
	token(a, DOM "-1104", "SQLAccessGroup {1}");
	crm(a, SVC_G_PRIV_USER, DOM "-1103", "PrivUserGroup {1}");
	crm(a, SVC_G_SQL_ACCESS, DOM "-1104", "SQLAccessGroup {1}");
	crm(a, SVC_G_REPORTING, DOM "-1105", "ReportingGroup {1}");
	a->spns = calloc(2, sizeof(*a->spns));
	a->spns[0] = strdup("HTTP/crm.contoso.test");
	a->spns[1] = strdup("HTTP/crm");
	a->nspns = 2;
	a->graph_read = true;
}

static struct svc_opts
opts(unsigned roles)
{
	struct svc_opts o = { .roles = roles };

	assert_int_equal(cs_range_parse("14:", &o.th.warn, NULL), 0);
	assert_int_equal(cs_range_parse("3:", &o.th.crit, NULL), 0);
	return o;
}

static struct cs_check *
run(const struct svc_account *a, unsigned roles)
{
	struct cs_check *c = cs_check_new("check_svcaccount", "SVCACCOUNT");
	struct svc_opts o = opts(roles);

	assert_non_null(c);
	svc_evaluate(a, &o, c);
	assert_false(c->nomem);
	return c;
}

/* The first finding of RULE (NULL: any) in STATE whose text has NEEDLE. */
static const struct cs_finding *
finding(const struct cs_check *c, const char *rule, enum cs_state st,
    const char *needle)
{
	for (size_t i = 0; i < c->nfindings; i++) {
		const struct cs_finding *f = &c->findings[i];

		if (f->state == st && (rule == NULL || (f->rule &&
		    strcmp(f->rule, rule) == 0)) && (needle == NULL ||
		    strstr(f->text, needle) != NULL))
			return f;
	}
	return NULL;
}

/* The rules of the non-OK findings, sorted and joined with ' '. */
static void
bad_rules(const struct cs_check *c, char *buf, size_t len)
{
	const char *v[64];
	size_t n = 0, used = 0;

	for (size_t i = 0; i < c->nfindings && n < 64; i++)
		if (c->findings[i].state != CS_OK)
			v[n++] = c->findings[i].rule ? c->findings[i].rule : "-";
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			const char *t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	buf[0] = '\0';
	for (size_t i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
		    i ? " " : "", v[i]);
}

static double
perf(const struct cs_check *c, const char *label)
{
	for (size_t i = 0; i < c->nperf; i++)
		if (strcmp(c->perf[i].label, label) == 0)
			return c->perf[i].value;
	fail_msg("no perfdata %s", label);
	return 0;
}

#define APP (1u << 0)
#define SANDBOX (1u << 3)
#define VSS (1u << 4)
#define MONITORING (1u << 5)

static void
expect_rules(struct svc_account *a, unsigned roles, const char *want,
    enum cs_state state)
{
	struct cs_check *c = run(a, roles);
	char got[512];

	bad_rules(c, got, sizeof(got));
	if (strcmp(got, want) != 0 || cs_check_state(c) != state)
		fail_msg("rules '%s' state %s, expected '%s' %s (%s)", got,
		    cs_state_name(cs_check_state(c)), want, cs_state_name(state),
		    c->summary);
	cs_check_free(c);
}

static void
test_eval_clean(void **state)
{
	struct svc_account a;
	struct cs_check *c;

	(void)state;
	clean_account(&a);
	c = run(&a, APP);
	assert_int_equal(cs_check_state(c), CS_OK);
	assert_non_null(strstr(c->summary, "CONTOSO\\svc-crmapp (app): all AD "
	    "checks passed; password expires in 30 days"));
	assert_non_null(finding(c, "password-expiry", CS_OK, "in 30 days"));
	assert_non_null(finding(c, "privileged", CS_OK, "4 token groups"));
	assert_non_null(finding(c, "domain-users", CS_OK, "primary group"));
	assert_non_null(finding(c, "role-group", CS_OK, "PrivUserGroup {1}, "
	    "SQLAccessGroup {1}"));
	assert_non_null(finding(c, "crm-user", CS_OK, NULL));
	assert_non_null(finding(c, "shared-account", CS_OK, "HTTP/crm"));
	assert_non_null(finding(c, NULL, CS_OK, "effective groups (4, from "
	    "tokenGroups): Domain Users, PrivUserGroup {1}, SQLAccessGroup "
	    "{1}, Users"));
	assert_non_null(finding(c, NULL, CS_OK, "Performance Log Users"));
	assert_true(perf(c, "days_to_expiry") == 30.0);
	assert_true(perf(c, "groups") == 4.0);
	assert_true(perf(c, "privileged_groups") == 0.0);
	cs_check_free(c);
	/* sandbox needs no CRM group; monitoring only SQLAccessGroup */
	expect_rules(&a, SANDBOX, "", CS_OK);
	expect_rules(&a, MONITORING, "", CS_OK);
	expect_rules(&a, 0, "", CS_OK);
	c = run(&a, 0);
	assert_non_null(finding(c, NULL, CS_OK, "no --role given"));
	cs_check_free(c);
	svc_account_free(&a);
}

static void
test_eval_password(void **state)
{
	static const struct {
		int64_t expires;
		enum cs_state st;
		double days;
	} rows[] = {
		{ NOW + 30 * DAY, CS_OK, 30 },
		{ NOW + 14 * DAY, CS_OK, 14 },
		{ NOW + 14 * DAY - 1, CS_WARNING, 13.99 },
		{ NOW + 3 * DAY, CS_WARNING, 3 },
		{ NOW + 3 * DAY - 1, CS_CRITICAL, 2.99 },
		{ NOW + 1, CS_CRITICAL, 0 },
		{ NOW - 2 * DAY, CS_CRITICAL, -2 },
		{ 0, 0, 0 },
	};
	struct svc_account a;
	struct cs_check *c;

	(void)state;
	clean_account(&a);
	for (size_t i = 0; rows[i].expires; i++) {
		a.expiry_computed = rows[i].expires;
		c = run(&a, APP);
		if (cs_check_state(c) != rows[i].st ||
		    perf(c, "days_to_expiry") != rows[i].days)
			fail_msg("row %zu: %s %g: %s", i,
			    cs_state_name(cs_check_state(c)),
			    perf(c, "days_to_expiry"), c->summary);
		if (rows[i].days < 0)
			assert_non_null(finding(c, "password-expiry", CS_CRITICAL,
			    "expired 2 days ago"));
		cs_check_free(c);
	}
	/* never: OK, perfdata U */
	a.expiry_computed = SVC_FT_NEVER;
	c = run(&a, APP);
	assert_int_equal(cs_check_state(c), CS_OK);
	assert_true(isnan(perf(c, "days_to_expiry")));
	assert_non_null(finding(c, "password-expiry", CS_OK, "never expires"));
	assert_non_null(strstr(c->summary, "password never expires"));
	cs_check_free(c);
	/* must change at the next logon */
	a.expiry_computed = 0;
	a.pwd_last_set = 0;
	expect_rules(&a, APP, "password-expiry", CS_CRITICAL);
	/* unknown: never OK */
	a.have_expiry_computed = a.have_pwd_last_set = false;
	expect_rules(&a, APP, "password-expiry", CS_UNKNOWN);
	svc_account_free(&a);
}

static void
test_eval_privileged(void **state)
{
	struct svc_account a;
	struct cs_check *c;
	const struct cs_finding *f;
	size_t me, l1, l2, da, adm;

	(void)state;
	clean_account(&a);
	token(&a, DOM "-1111", "CRM Admins L1");
	token(&a, DOM "-1112", "CRM Admins L2");
	token(&a, DOM "-512", "Domain Admins");
	token(&a, "S-1-5-32-544", "Administrators");
	token(&a, DOM "-572", "Denied RODC Password Replication Group");
	me = node(&a.graph, a.dn, "svc-crmapp", DOM "-1114");
	l1 = node(&a.graph, "CN=CRM Admins L1,OU=G,DC=c", "CRM Admins L1",
	    DOM "-1111");
	l2 = node(&a.graph, "CN=CRM Admins L2,OU=G,DC=c", "CRM Admins L2",
	    DOM "-1112");
	da = node(&a.graph, "CN=Domain Admins,CN=Users,DC=c", "Domain Admins",
	    DOM "-512");
	adm = node(&a.graph, "CN=Administrators,CN=Builtin,DC=c",
	    "Administrators", "S-1-5-32-544");
	svc_graph_edge(&a.graph, me, l1, false);
	svc_graph_edge(&a.graph, l1, l2, false);
	svc_graph_edge(&a.graph, l2, da, false);
	svc_graph_edge(&a.graph, da, adm, false);
	c = run(&a, APP);
	assert_int_equal(cs_check_state(c), CS_CRITICAL);
	f = finding(c, "privileged", CS_CRITICAL, "Domain Admins (" DOM "-512)");
	assert_non_null(f);
	assert_non_null(strstr(f->text, "svc-crmapp \xe2\x86\x92 CRM Admins L1 "
	    "\xe2\x86\x92 CRM Admins L2 \xe2\x86\x92 Domain Admins"));
	assert_non_null(finding(c, "privileged", CS_CRITICAL,
	    "Administrators (S-1-5-32-544): svc-crmapp"));
	assert_null(finding(c, "privileged", CS_CRITICAL, "Denied"));
	assert_true(perf(c, "privileged_groups") == 2.0);
	assert_non_null(strstr(c->summary, "privileged: Domain Admins, "
	    "Administrators"));
	cs_check_free(c);
	/* without a visible path, still CRITICAL, and it says so */
	svc_graph_free(&a.graph);
	c = run(&a, APP);
	assert_non_null(finding(c, "privileged", CS_CRITICAL,
	    "not visible through memberOf"));
	cs_check_free(c);
	/* adminCount=1 with the membership is not stale */
	a.admin_count = 1;
	expect_rules(&a, APP, "privileged privileged", CS_CRITICAL);
	svc_account_free(&a);
}

static void
test_eval_primary_and_builtin(void **state)
{
	struct svc_account a;
	struct cs_check *c;
	size_t me, dag;

	(void)state;
	/* privileged through the primary group, which memberOf never shows */
	clean_account(&a);
	a.primary_group = 512;
	token(&a, DOM "-512", "Domain Admins");
	me = node(&a.graph, a.dn, "svc-crmapp", DOM "-1114");
	dag = node(&a.graph, "CN=Domain Admins,CN=Users,DC=c", "Domain Admins",
	    DOM "-512");
	svc_graph_edge(&a.graph, me, dag, true);
	c = run(&a, APP);
	assert_non_null(finding(c, "privileged", CS_CRITICAL, "svc-crmapp "
	    "\xe2\x86\x92 Domain Admins (primary group)"));
	/* still in Domain Users through the token */
	assert_non_null(finding(c, "domain-users", CS_OK, NULL));
	cs_check_free(c);
	svc_account_free(&a);

	/* Backup Operators with the vss role: CRITICAL with a hint */
	clean_account(&a);
	token(&a, "S-1-5-32-551", "Backup Operators");
	c = run(&a, VSS);
	assert_non_null(finding(c, "privileged", CS_CRITICAL, "Backup Operators "
	    "of its own server"));
	cs_check_free(c);
	svc_account_free(&a);

	/* the forest root's Enterprise Admins, from a child domain */
	clean_account(&a);
	a.root_sid = sid("S-1-5-21-9-9-9");
	token(&a, "S-1-5-21-9-9-9-519", NULL);
	c = run(&a, APP);
	/* unresolved name: the table's */
	assert_non_null(finding(c, "privileged", CS_CRITICAL, "Enterprise "
	    "Admins (S-1-5-21-9-9-9-519)"));
	cs_check_free(c);
	svc_account_free(&a);
}

static void
test_eval_rid500(void **state)
{
	struct svc_account a;
	struct cs_check *c;

	(void)state;
	clean_account(&a);
	a.sid = sid(DOM "-500");
	a.admin_count = 1;
	c = run(&a, APP);
	assert_non_null(finding(c, "privileged", CS_CRITICAL, "built-in "
	    "Administrator account"));
	assert_null(finding(c, "stale-admincount", CS_WARNING, NULL));
	assert_null(finding(c, "privileged", CS_OK, NULL));
	cs_check_free(c);
	/* RID 500 of another domain is not this domain's Administrator */
	a.sid = sid("S-1-5-21-7-7-7-500");
	a.admin_count = 0;
	expect_rules(&a, APP, "", CS_OK);
	svc_account_free(&a);
}

static void
test_eval_token_unreadable(void **state)
{
	struct svc_account a;
	struct cs_check *c;

	(void)state;
	clean_account(&a);
	a.token_read = false;
	a.primary_group = 1113;
	a.admin_count = 1;
	c = run(&a, APP);
	/* never OK: every rule that needs the token says UNKNOWN */
	assert_int_equal(cs_check_state(c), CS_UNKNOWN);
	assert_non_null(finding(c, "privileged", CS_UNKNOWN, "tokenGroups"));
	assert_non_null(finding(c, "domain-users", CS_UNKNOWN, NULL));
	assert_non_null(finding(c, "role-group", CS_UNKNOWN, NULL));
	assert_non_null(finding(c, "crm-user", CS_UNKNOWN, NULL));
	assert_null(finding(c, "stale-admincount", CS_WARNING, NULL));
	assert_null(finding(c, "privileged", CS_OK, NULL));
	assert_true(isnan(perf(c, "groups")));
	assert_true(isnan(perf(c, "privileged_groups")));
	cs_check_free(c);
	/* primary group 513 alone proves Domain Users */
	a.primary_group = 513;
	c = run(&a, APP);
	assert_non_null(finding(c, "domain-users", CS_OK, NULL));
	cs_check_free(c);
	svc_account_free(&a);
}

static void
test_eval_rules(void **state)
{
	struct svc_account a;
	struct cs_check *c;

	(void)state;
	/* disabled */
	clean_account(&a);
	a.uac = 514;
	expect_rules(&a, APP, "disabled", CS_CRITICAL);
	a.have_uac = false;
	expect_rules(&a, APP, "disabled", CS_UNKNOWN);
	svc_account_free(&a);
	/* locked */
	clean_account(&a);
	a.uac_computed = 0x10;
	a.have_lockout_time = true;
	a.lockout_time = NOW - 60;
	a.have_lockout_duration = true;
	a.lockout_duration = -DAY;
	c = run(&a, APP);
	assert_non_null(finding(c, "locked", CS_CRITICAL, "until "
	    "2025-01-01 23:59 UTC"));
	cs_check_free(c);
	a.lockout_duration = INT64_MIN;
	c = run(&a, APP);
	assert_non_null(finding(c, "locked", CS_CRITICAL, "until an "
	    "administrator unlocks it"));
	cs_check_free(c);
	svc_account_free(&a);
	/* stale adminCount */
	clean_account(&a);
	a.admin_count = 1;
	expect_rules(&a, APP, "stale-admincount", CS_WARNING);
	svc_account_free(&a);
	/* not in Domain Users */
	clean_account(&a);
	a.primary_group = 1113;
	free(a.token[0].name);
	a.token[0].name = strdup("CRM Service Accounts");
	a.token[0].sid = sid(DOM "-1113");
	c = run(&a, APP);
	assert_non_null(finding(c, "domain-users", CS_WARNING, "its primary "
	    "group is CRM Service Accounts, RID 1113"));
	cs_check_free(c);
	expect_rules(&a, APP, "domain-users", CS_WARNING);
	/* Domain Users through the token only (explicit member) */
	a.token[1].sid = sid(DOM "-513");
	expect_rules(&a, APP, "", CS_OK);
	svc_account_free(&a);
	/* role groups */
	clean_account(&a);
	a.token[3].sid = sid(DOM "-1300");   /* no SQLAccessGroup */
	c = run(&a, APP | MONITORING);
	assert_non_null(finding(c, "role-group", CS_WARNING, "SQLAccessGroup "
	    "{1} (CN=SQLAccessGroup {1}," OU1 "), which app, monitoring need"));
	cs_check_free(c);
	expect_rules(&a, APP, "role-group", CS_WARNING);
	expect_rules(&a, SANDBOX, "", CS_OK);
	svc_account_free(&a);
	/* CRM groups ambiguous or missing: UNKNOWN for that part only */
	clean_account(&a);
	for (int k = SVC_G_PRIV_USER; k < SVC_G_COUNT; k++) {
		a.crm[k].status = SVC_CRM_AMBIGUOUS;
		a.crm[k].reason = strdup("CRM groups of 2 deployments: give "
		    "--crm-groups-ou");
	}
	c = run(&a, APP);
	assert_non_null(finding(c, "role-group", CS_UNKNOWN, "give "
	    "--crm-groups-ou"));
	assert_non_null(strstr(c->summary, "give --crm-groups-ou"));
	cs_check_free(c);
	expect_rules(&a, APP, "crm-user role-group role-group", CS_UNKNOWN);
	expect_rules(&a, SANDBOX, "crm-user", CS_UNKNOWN);
	svc_account_free(&a);
	/* a Dynamics user */
	clean_account(&a);
	token(&a, DOM "-1105", "ReportingGroup {1}");
	expect_rules(&a, APP, "crm-user", CS_CRITICAL);
	svc_account_free(&a);
	/* shared account */
	clean_account(&a);
	a.spns = realloc(a.spns, 4 * sizeof(*a.spns));
	a.spns[2] = strdup("MSSQLSvc/sql01.contoso.test:1433");
	a.spns[3] = strdup("MSSQLSvc/sql01.contoso.test");
	a.nspns = 4;
	c = run(&a, APP);
	assert_non_null(finding(c, "shared-account", CS_WARNING, "2 SPNs of "
	    "services other than Dynamics 365 (MSSQLSvc/sql01.contoso.test:1433, "
	    "MSSQLSvc/sql01.contoso.test)"));
	assert_non_null(strstr(c->summary, "shared with MSSQLSvc"));
	assert_null(strstr(c->summary, "MSSQLSvc, MSSQLSvc"));
	cs_check_free(c);
	svc_account_free(&a);
	/* delegation */
	clean_account(&a);
	a.uac = 512 | 0x80000;
	expect_rules(&a, APP, "delegation", CS_WARNING);
	svc_account_free(&a);
	/* several at once: the summary lists them worst first */
	clean_account(&a);
	a.uac = 514 | 0x80000;
	a.admin_count = 1;
	c = run(&a, APP);
	assert_non_null(strstr(c->summary, "CONTOSO\\svc-crmapp: disabled; "
	    "stale adminCount=1; unconstrained delegation"));
	cs_check_free(c);
	svc_account_free(&a);
}

static void
test_eval_not_user(void **state)
{
	struct svc_account a;
	struct cs_check *c;

	(void)state;
	clean_account(&a);
	a.kind = SVC_KIND_COMPUTER;
	a.uac = 4096;
	a.primary_group = 515;
	c = run(&a, APP);
	assert_int_equal(cs_check_state(c), CS_WARNING);
	assert_non_null(finding(c, "not-user", CS_WARNING, "computer account"));
	/* the user-only rules are skipped, and say so */
	assert_null(finding(c, "password-expiry", CS_OK, NULL));
	assert_null(finding(c, "role-group", CS_OK, NULL));
	assert_non_null(finding(c, NULL, CS_OK, "were skipped"));
	assert_true(isnan(perf(c, "days_to_expiry")));
	cs_check_free(c);
	/* privileged is still judged */
	token(&a, DOM "-512", "Domain Admins");
	expect_rules(&a, APP, "not-user privileged", CS_CRITICAL);
	a.kind = SVC_KIND_GMSA;
	c = run(&a, APP);
	assert_non_null(finding(c, "not-user", CS_WARNING, "does not support "
	    "managed service accounts"));
	cs_check_free(c);
	a.kind = SVC_KIND_OTHER;
	expect_rules(&a, APP, "not-user", CS_WARNING);
	svc_account_free(&a);
}

/* ---- local groups (--server) -------------------------------------------------- */

#define DEPLOYMENT (1u << 1)
#define ASYNC (1u << 2)

static void
test_local_table(void **state)
{
	/* the table: role -> local groups */
	static const struct {
		unsigned roles;
		bool fe;
		const char *want;  /* "name=why|name=why" */
	} rows[] = {
		{ APP, false, "Performance Log Users=app|CRM_WPG=app" },
		{ DEPLOYMENT, false, "CRM_WPG=deployment|Administrators=deployment" },
		{ ASYNC, false, "Performance Log Users=async" },
		{ SANDBOX, false, "Performance Log Users=sandbox" },
		{ VSS, false, "Backup Operators=vss" },
		{ MONITORING, false, "" },
		{ MONITORING, true, "Administrators=monitoring (--front-end)" },
		{ APP | ASYNC, false, "Performance Log Users=app, async|CRM_WPG=app" },
		{ APP | DEPLOYMENT | MONITORING, true, "Performance Log Users=app|"
		    "CRM_WPG=app, deployment|Administrators=deployment, "
		    "monitoring (--front-end)" },
		{ 0, false, "" },
		{ ~0u, false, NULL },
	};

	(void)state;
	for (size_t i = 0; rows[i].want; i++) {
		struct svc_local_req r[SVC_LOCAL_MAX];
		size_t n = svc_local_requirements(rows[i].roles, rows[i].fe,
		    NULL, 0, r, SVC_LOCAL_MAX);
		char got[512] = "";
		size_t used = 0;

		for (size_t j = 0; j < n; j++)
			used += (size_t)snprintf(got + used, sizeof(got) - used,
			    "%s%s=%s", j ? "|" : "", r[j].name, r[j].why);
		if (strcmp(got, rows[i].want) != 0)
			fail_msg("row %zu: '%s', expected '%s'", i, got,
			    rows[i].want);
	}
	/* builtin aliases go by RID (any language), CRM_WPG by name */
	assert_int_equal(svc_local_groups[SVC_L_PERF_LOG_USERS].rid, 0x22f);
	assert_int_equal(svc_local_groups[SVC_L_ADMINISTRATORS].rid, 0x220);
	assert_int_equal(svc_local_groups[SVC_L_BACKUP_OPERATORS].rid, 0x227);
	assert_int_equal(svc_local_groups[SVC_L_CRM_WPG].rid, 0);
}

static void
test_local_extra(void **state)
{
	const char *extra[] = { "Remote Desktop Users", "crm_wpg",
		"backup operators", "Remote Desktop Users" };
	struct svc_local_req r[SVC_LOCAL_MAX];
	size_t n;

	(void)state;
	n = svc_local_requirements(APP, false, extra, 4, r, SVC_LOCAL_MAX);
	assert_int_equal(n, 4);
	assert_string_equal(r[1].name, "CRM_WPG");
	assert_string_equal(r[1].why, "app, --local-group");
	assert_string_equal(r[2].name, "Remote Desktop Users");
	assert_int_equal(r[2].rid, 0);
	assert_string_equal(r[2].why, "--local-group");
	/* a table group by another case: its RID, its spelling */
	assert_string_equal(r[3].name, "Backup Operators");
	assert_int_equal(r[3].rid, 0x227);
	/* the output never overflows */
	n = svc_local_requirements(APP, false, extra, 4, r, 1);
	assert_int_equal(n, 1);
}

static void
test_local_match(void **state)
{
	struct svc_account a;
	struct svc_match m;
	struct svc_sid mem[3];

	(void)state;
	clean_account(&a);
	/* nobody */
	mem[0] = sid("S-1-5-21-9-9-9-1001");
	assert_int_equal(svc_local_match(&a, mem, 1, &m), SVC_VIA_NONE);
	assert_int_equal(svc_local_match(&a, mem, 0, &m), SVC_VIA_NONE);
	/* the account itself wins over a group */
	mem[1] = sid(DOM "-1103");
	mem[2] = sid(DOM "-1114");
	assert_int_equal(svc_local_match(&a, mem, 3, &m), SVC_VIA_ACCOUNT);
	/* a domain group of its token, nested into the local group */
	assert_int_equal(svc_local_match(&a, mem, 2, &m), SVC_VIA_GROUP);
	assert_string_equal(m.group->name, "PrivUserGroup {1}");
	/* the primary group (Domain Users) is in the token too */
	mem[0] = sid(DOM "-513");
	assert_int_equal(svc_local_match(&a, mem, 1, &m), SVC_VIA_GROUP);
	assert_string_equal(m.group->name, "Domain Users");
	/* Authenticated Users, Everyone */
	mem[0] = sid("S-1-5-11");
	assert_int_equal(svc_local_match(&a, mem, 1, &m), SVC_VIA_WELL_KNOWN);
	assert_string_equal(m.well_known, "Authenticated Users");
	mem[0] = sid("S-1-1-0");
	assert_int_equal(svc_local_match(&a, mem, 1, &m), SVC_VIA_WELL_KNOWN);
	/* same RID, another domain: not a match */
	mem[0] = sid("S-1-5-21-1-2-3-1114");
	assert_int_equal(svc_local_match(&a, mem, 1, &m), SVC_VIA_NONE);
	/* without a SID only the token can match */
	a.have_sid = false;
	mem[0] = sid(DOM "-1114");
	assert_int_equal(svc_local_match(&a, mem, 1, &m), SVC_VIA_NONE);
	svc_account_free(&a);
}

/* A host answer: group r has the members given as "SID SID ..." or
 * "!" (no such group) or "?text" (an error). */
static void
host_group(struct svc_host *h, size_t r, const char *spec)
{
	struct svc_host_group *g = &h->g[r];
	char *copy, *save = NULL;

	free(g->error);
	free(g->domain);
	free(g->members);
	memset(g, 0, sizeof(*g));
	if (spec[0] == '!') {
		g->rc = CS_ERR_NOT_FOUND;
		g->error = strdup("no such local group on the host");
		return;
	}
	if (spec[0] == '?') {
		g->rc = CS_ERR_AUTH;
		g->error = strdup(spec + 1);
		return;
	}
	g->domain = strdup(r == 1 ? "CRMFE01" : "BUILTIN");
	g->members = calloc(8, sizeof(*g->members));
	copy = strdup(spec);
	for (char *t = strtok_r(copy, " ", &save); t && g->nmembers < 8;
	    t = strtok_r(NULL, " ", &save))
		g->members[g->nmembers++] = sid(t);
	free(copy);
}

static struct cs_check *
run_local(const struct svc_account *a, unsigned roles,
    const struct svc_local_req *req, size_t nreq, struct svc_host *h,
    size_t nh)
{
	struct cs_check *c = cs_check_new("check_svcaccount", "SVCACCOUNT");
	struct svc_opts o = opts(roles);

	o.req = req;
	o.nreq = nreq;
	o.hosts = h;
	o.nhosts = nh;
	svc_evaluate(a, &o, c);
	assert_false(c->nomem);
	return c;
}

static void
test_eval_local(void **state)
{
	struct svc_account a;
	struct svc_local_req req[SVC_LOCAL_MAX];
	struct svc_host h[3] = { { .name = "crmfe01" }, { .name = "crmbe01" },
		{ .name = "crmdown" } };
	struct cs_check *c;
	size_t nreq;

	(void)state;
	clean_account(&a);
	nreq = svc_local_requirements(APP, false, NULL, 0, req, SVC_LOCAL_MAX);
	assert_int_equal(nreq, 2);
	for (size_t i = 0; i < 2; i++) {
		h[i].g = calloc(nreq, sizeof(*h[i].g));
		h[i].ng = nreq;
	}
	/* crmfe01: directly in Performance Log Users, CRM_WPG through a
	 * domain group */
	host_group(&h[0], 0, "S-1-5-21-9-9-9-1001 " DOM "-1114");
	host_group(&h[0], 1, DOM "-1103");
	c = run_local(&a, APP, req, nreq, h, 1);
	assert_int_equal(cs_check_state(c), CS_OK);
	assert_non_null(finding(c, "local-group", CS_OK, "crmfe01: "
	    "BUILTIN\\Performance Log Users (needed by app): OK, the account "
	    "itself is a member"));
	assert_non_null(finding(c, "local-group", CS_OK, "crmfe01: "
	    "CRMFE01\\CRM_WPG (needed by app): OK, through the domain group "
	    "PrivUserGroup {1} (" DOM "-1103)"));
	assert_true(perf(c, "local_groups_missing") == 0.0);
	assert_non_null(strstr(c->summary, "all AD and local group checks "
	    "passed"));
	cs_check_free(c);
	/* crmbe01: CRM_WPG without the account; crmdown: unreachable */
	host_group(&h[1], 0, DOM "-513");
	host_group(&h[1], 1, "S-1-5-21-9-9-9-1001");
	h[2].rc = CS_ERR_CONNECT;
	h[2].error = strdup("connection refused (port 445)");
	c = run_local(&a, APP, req, nreq, h, 3);
	assert_int_equal(cs_check_state(c), CS_UNKNOWN);
	assert_non_null(finding(c, "local-group", CS_WARNING, "crmbe01: "
	    "CONTOSO\\svc-crmapp is not in the local group CRMFE01\\CRM_WPG, "
	    "which role app needs"));
	assert_non_null(finding(c, "local-group", CS_OK, "crmbe01: "
	    "BUILTIN\\Performance Log Users (needed by app): OK, through the "
	    "domain group Domain Users"));
	assert_non_null(finding(c, "local-group", CS_UNKNOWN, "crmdown: "
	    "connection refused (port 445)"));
	/* the AD rules still report */
	assert_non_null(finding(c, "password-expiry", CS_OK, "in 30 days"));
	assert_true(perf(c, "local_groups_missing") == 1.0);
	assert_non_null(strstr(c->summary, "not in local group CRM_WPG on "
	    "crmbe01 (app)"));
	assert_non_null(strstr(c->summary, "crmdown: connection refused"));
	cs_check_free(c);
	/* a group missing on the host, a group the account may not read */
	svc_hosts_free(&h[1], 1);
	h[1].g = calloc(nreq, sizeof(*h[1].g));
	h[1].ng = nreq;
	host_group(&h[1], 0, "?access denied");
	host_group(&h[1], 1, "!");
	c = run_local(&a, APP, req, nreq, &h[1], 1);
	assert_int_equal(cs_check_state(c), CS_UNKNOWN);
	assert_non_null(finding(c, "local-group", CS_UNKNOWN, "crmbe01: no "
	    "local group CRM_WPG on the host (needed by app)"));
	assert_non_null(finding(c, "local-group", CS_UNKNOWN, "crmbe01: "
	    "Performance Log Users: access denied"));
	assert_true(perf(c, "local_groups_missing") == 0.0);
	cs_check_free(c);
	/* tokenGroups unreadable: only a direct membership can be told */
	host_group(&h[0], 1, DOM "-1103");
	for (size_t i = 0; i < a.ntoken; i++)
		free(a.token[i].name);
	free(a.token);
	a.token = NULL;
	a.ntoken = 0;
	a.token_read = false;
	c = run_local(&a, APP, req, nreq, h, 1);
	assert_non_null(finding(c, "local-group", CS_OK, "itself is a member"));
	assert_non_null(finding(c, "local-group", CS_UNKNOWN, "tokenGroups "
	    "could not be read"));
	assert_null(finding(c, "local-group", CS_WARNING, NULL));
	cs_check_free(c);
	/* no role needing a local group */
	nreq = svc_local_requirements(MONITORING, false, NULL, 0, req,
	    SVC_LOCAL_MAX);
	c = run_local(&a, MONITORING, req, nreq, h, 1);
	assert_non_null(finding(c, "local-group", CS_OK, "crmfe01: the roles "
	    "given need no local group"));
	cs_check_free(c);
	svc_hosts_free(h, 3);
	svc_account_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_local_table),
		cmocka_unit_test(test_local_extra),
		cmocka_unit_test(test_local_match),
		cmocka_unit_test(test_eval_local),
		cmocka_unit_test(test_role_table),
		cmocka_unit_test(test_crm_kinds),
		cmocka_unit_test(test_sid_binary),
		cmocka_unit_test(test_sid_strings),
		cmocka_unit_test(test_privileged_table),
		cmocka_unit_test(test_filetime),
		cmocka_unit_test(test_password_expiry),
		cmocka_unit_test(test_lockout),
		cmocka_unit_test(test_dn),
		cmocka_unit_test(test_graph),
		cmocka_unit_test(test_graph_limit),
		cmocka_unit_test(test_crm_pick),
		cmocka_unit_test(test_spn_classes),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_eval_clean),
		cmocka_unit_test(test_eval_password),
		cmocka_unit_test(test_eval_privileged),
		cmocka_unit_test(test_eval_primary_and_builtin),
		cmocka_unit_test(test_eval_rid500),
		cmocka_unit_test(test_eval_token_unreadable),
		cmocka_unit_test(test_eval_rules),
		cmocka_unit_test(test_eval_not_user),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
