/* Option handling: --extra-opts and its ini files, -t, numbers, auth files. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "authfile.h"
#include "cli.h"
#include "extraopts.h"
#include "ini.h"

static char tmpdir[] = "/tmp/crmsec-unit.XXXXXX";

static char *
write_file(const char *name, const char *text, size_t len)
{
	char *path = NULL;
	FILE *f;

	assert_true(asprintf(&path, "%s/%s", tmpdir, name) > 0);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
	return path;
}

struct collected {
	char text[1024];
};

static int
collect(const char *key, const char *value, void *ctx)
{
	struct collected *c = ctx;
	size_t n = strlen(c->text);

	snprintf(c->text + n, sizeof(c->text) - n, "%s%s%s;", key,
	    value ? "=" : "", value ? value : "");
	return 0;
}

static void
test_ini(void **state)
{
	static const char ini[] =
	    "\xef\xbb\xbf# comment\n"
	    "; another\n"
	    "[other]\n"
	    "bind-dn = cn=other\n"
	    "[check_spn]\n"
	    "  bind-dn = CN=svc monitor,OU=x,DC=contoso,DC=test  \n"
	    "password-file=/etc/crmsec/pw\r\n"
	    "starttls\n"
	    "quoted = \"a value \"\n"
	    "empty =\n"
	    "[ check_spn ]\n"
	    "host = ldap://dc2\n";
	struct collected c = { "" };
	struct cs_error err = { 0 };

	(void)state;
	assert_int_equal(cs_ini_parse(ini, sizeof(ini) - 1, "t.ini",
	    "check_spn", collect, &c, &err), 0);
	assert_string_equal(c.text,
	    "bind-dn=CN=svc monitor,OU=x,DC=contoso,DC=test;"
	    "password-file=/etc/crmsec/pw;starttls;quoted=a value ;empty=;"
	    "host=ldap://dc2;");
	memset(&c, 0, sizeof(c));
	assert_int_equal(cs_ini_parse(ini, sizeof(ini) - 1, "t.ini",
	    "missing", collect, &c, &err), CS_ERR_NOT_FOUND);
	assert_non_null(strstr(err.msg, "[missing]"));
}

static void
test_ini_errors(void **state)
{
	struct collected c = { "" };
	struct cs_error err = { 0 };
	static const char nul[] = "[a]\nx=1\0y\n";

	(void)state;
	assert_int_equal(cs_ini_parse("[a\nx=1\n", 7, "t.ini", "a", collect,
	    &c, &err), CS_ERR_PARSE);
	assert_non_null(strstr(err.msg, "t.ini:1"));
	assert_int_equal(cs_ini_parse("[a]\n= 1\n", 8, "t.ini", "a", collect,
	    &c, &err), CS_ERR_PARSE);
	assert_non_null(strstr(err.msg, "t.ini:2"));
	assert_int_equal(cs_ini_parse("[a]\nx y=1\n", 10, "t.ini", "a",
	    collect, &c, &err), CS_ERR_PARSE);
	assert_int_equal(cs_ini_parse(nul, sizeof(nul) - 1, "t.ini", "a",
	    collect, &c, &err), CS_ERR_PARSE);
	assert_int_equal(cs_ini_read("/nonexistent/x.ini", "a", collect, &c,
	    &err), CS_ERR_NOT_FOUND);
	assert_non_null(strstr(err.msg, "/nonexistent/x.ini"));
}

static void
test_extra_opts(void **state)
{
	static const char ini[] =
	    "[check_x]\nwarning=5\nverbose\n[sec]\npassword=s3cret\n";
	char *path = write_file("x.ini", ini, sizeof(ini) - 1);
	char *spec = NULL;
	char *argv[] = { "check_x", "-c", "10", NULL, "--", "--extra-opts",
	    NULL };
	struct cs_error err = { 0 };
	char **nargv;
	int nargc;

	(void)state;
	assert_int_equal(chmod(path, 0600), 0);
	assert_true(asprintf(&spec, "--extra-opts=@%s", path) > 0);
	argv[3] = spec;
	assert_int_equal(cs_extraopts_expand("check_x", 6, argv, &nargc,
	    &nargv, &err), 0);
	/* ini options first, then the command line's; nothing after "--"
	 * is expanded */
	assert_int_equal(nargc, 7);
	assert_string_equal(nargv[0], "check_x");
	assert_string_equal(nargv[1], "--warning=5");
	assert_string_equal(nargv[2], "--verbose");
	assert_string_equal(nargv[3], "-c");
	assert_string_equal(nargv[4], "10");
	assert_string_equal(nargv[5], "--");
	assert_string_equal(nargv[6], "--extra-opts");
	assert_null(nargv[7]);
	cs_extraopts_free(nargc, nargv);
	free(spec);

	/* "section@file" as a separate argument; MP_CONFIG_FILE default */
	setenv("MP_CONFIG_FILE", path, 1);
	{
		char *argv2[] = { "check_x", "--extra-opts", "sec", NULL };
		char *argv3[] = { "check_x", "--extra-opts", NULL };
		char *argv4[] = { "check_x", "--extra-opts=nosuch", NULL };

		assert_int_equal(cs_extraopts_expand("check_x", 3, argv2,
		    &nargc, &nargv, &err), 0);
		assert_int_equal(nargc, 2);
		assert_string_equal(nargv[1], "--password=s3cret");
		cs_extraopts_free(nargc, nargv);
		/* a password in a file others may read is refused; the
		 * group (the monitoring engine's) may read it */
		assert_int_equal(chmod(path, 0604), 0);
		assert_int_equal(cs_extraopts_expand("check_x", 3, argv2,
		    &nargc, &nargv, &err), CS_ERR_INSECURE);
		assert_non_null(strstr(err.msg, "holds a password"));
		assert_int_equal(chmod(path, 0640), 0);
		assert_int_equal(cs_extraopts_expand("check_x", 3, argv2,
		    &nargc, &nargv, &err), 0);
		cs_extraopts_free(nargc, nargv);
		assert_int_equal(cs_extraopts_expand("check_x", 2, argv3,
		    &nargc, &nargv, &err), 0);
		assert_int_equal(nargc, 3); /* default section: plugin name */
		cs_extraopts_free(nargc, nargv);
		assert_int_equal(cs_extraopts_expand("check_x", 2, argv4,
		    &nargc, &nargv, &err), CS_ERR_NOT_FOUND);
		assert_null(nargv);
	}
	unsetenv("MP_CONFIG_FILE");
	unlink(path);
	free(path);
}

static void
test_extra_opts_refuses_recursion(void **state)
{
	static const char ini[] = "[check_x]\nextra-opts=@/etc/passwd\n";
	char *path = write_file("r.ini", ini, sizeof(ini) - 1);
	char *spec = NULL;
	char *argv[] = { "check_x", NULL, NULL };
	struct cs_error err = { 0 };
	char **nargv;
	int nargc;

	(void)state;
	assert_int_equal(chmod(path, 0600), 0);
	assert_true(asprintf(&spec, "--extra-opts=@%s", path) > 0);
	argv[1] = spec;
	assert_int_equal(cs_extraopts_expand("check_x", 2, argv, &nargc,
	    &nargv, &err), CS_ERR_PARSE);
	unlink(path);
	free(path);
	free(spec);
}

static void
test_timeout(void **state)
{
	static const struct {
		const char *arg;
		int rc;
		unsigned secs;
		enum cs_state st;
	} rows[] = {
		{ "10", 0, 10, CS_UNKNOWN },
		{ "1", 0, 1, CS_UNKNOWN },
		{ "86400", 0, 86400, CS_UNKNOWN },
		{ "5:critical", 0, 5, CS_CRITICAL },
		{ "5:WARNING", 0, 5, CS_WARNING },
		{ "5:0", 0, 5, CS_OK },
		{ "5:3", 0, 5, CS_UNKNOWN },
		{ "0", CS_ERR_USAGE, 0, 0 },
		{ "-1", CS_ERR_USAGE, 0, 0 },
		{ "86401", CS_ERR_USAGE, 0, 0 },
		{ "", CS_ERR_USAGE, 0, 0 },
		{ "x", CS_ERR_USAGE, 0, 0 },
		{ "10s", CS_ERR_USAGE, 0, 0 },
		{ "5:bad", CS_ERR_USAGE, 0, 0 },
		{ "5:", CS_ERR_USAGE, 0, 0 },
		{ "99999999999999999999", CS_ERR_USAGE, 0, 0 },
		{ NULL, 0, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; rows[i].arg; i++) {
		unsigned secs = 0;
		enum cs_state st = CS_UNKNOWN;
		struct cs_error err = { 0 };
		int rc = cs_parse_timeout(rows[i].arg, &secs, &st, &err);

		if (rc != rows[i].rc)
			fail_msg("timeout '%s': rc %d", rows[i].arg, rc);
		if (rc == 0 && (secs != rows[i].secs || st != rows[i].st))
			fail_msg("timeout '%s': %u/%d", rows[i].arg, secs, st);
		if (rc != 0 && err.msg[0] == '\0')
			fail_msg("timeout '%s': no message", rows[i].arg);
	}
}

static void
test_parse_long(void **state)
{
	long v;
	struct cs_error err = { 0 };

	(void)state;
	assert_int_equal(cs_parse_long("42", 0, 100, &v, "n", &err), 0);
	assert_int_equal(v, 42);
	assert_int_equal(cs_parse_long("101", 0, 100, &v, "n", &err),
	    CS_ERR_USAGE);
	assert_non_null(strstr(err.msg, "out of range"));
	assert_int_equal(cs_parse_long("4x", 0, 100, &v, "n", &err),
	    CS_ERR_USAGE);
	assert_int_equal(cs_parse_long("", 0, 100, &v, "n", &err),
	    CS_ERR_USAGE);
	assert_int_equal(cs_parse_long("9223372036854775808", 0, 100, &v,
	    "n", &err), CS_ERR_USAGE);
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

/* --smb-auth-file: the smbclient -A format, refused when others may read it */
static void
test_auth_file(void **state)
{
	static const char good[] = "# monitoring\nusername = crmmon\n"
	    "password = p=ss word\ndomain = CRMFE01\n";
	static const char bad_key[] = "username = a\nuser = b\n";
	static const char no_user[] = "password = x\n";
	struct cs_auth_file a;
	struct cs_error err = { 0 };
	char *path = write_file("good.auth", good, sizeof(good) - 1);
	char *p2 = write_file("badkey.auth", bad_key, sizeof(bad_key) - 1);
	char *p3 = write_file("nouser.auth", no_user, sizeof(no_user) - 1);
	char big[400];

	(void)state;
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(cs_auth_file_read(path, "--smb-auth-file", &a, &err),
	    0);
	assert_string_equal(a.user, "crmmon");
	assert_string_equal(a.password, "p=ss word");
	assert_string_equal(a.domain, "CRMFE01");
	cs_auth_file_wipe(&a);
	assert_string_equal(a.password, "");

	/* others may read it: refused, nothing read */
	assert_int_equal(chmod(path, 0604), 0);
	assert_int_not_equal(cs_auth_file_read(path, "--smb-auth-file", &a,
	    &err), 0);
	assert_non_null(strstr(err.msg, "--smb-auth-file"));
	assert_string_equal(a.password, "");

	assert_int_equal(chmod(p2, 0600), 0);
	assert_int_equal(cs_auth_file_read(p2, "--smb-auth-file", &a, &err),
	    CS_ERR_PARSE);
	assert_non_null(strstr(err.msg, "unknown key 'user'"));
	assert_string_equal(a.user, "");

	assert_int_equal(chmod(p3, 0600), 0);
	assert_int_equal(cs_auth_file_read(p3, "--smb-auth-file", &a, &err),
	    CS_ERR_FORMAT);
	assert_non_null(strstr(err.msg, "has no username"));
	assert_string_equal(a.password, "");

	/* a value longer than the field */
	memcpy(big, "username = ", 11);
	memset(big + 11, 'u', sizeof(big) - 12);
	big[sizeof(big) - 1] = '\n';
	unlink(p2);
	free(p2);
	p2 = write_file("long.auth", big, sizeof(big));
	assert_int_equal(chmod(p2, 0600), 0);
	assert_int_equal(cs_auth_file_read(p2, "--smb-auth-file", &a, &err),
	    CS_ERR_PARSE);
	assert_non_null(strstr(err.msg, "username too long"));

	unlink(path);
	unlink(p2);
	unlink(p3);
	free(path);
	free(p2);
	free(p3);
}

static int
teardown(void **state)
{
	(void)state;
	return rmdir(tmpdir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ini),
		cmocka_unit_test(test_ini_errors),
		cmocka_unit_test(test_extra_opts),
		cmocka_unit_test(test_extra_opts_refuses_recursion),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_parse_long),
		cmocka_unit_test(test_auth_file),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
