/* check_aspnet_debug's rules and effective values, as a pure function of
 * the configuration files' contents. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"
#include "check_aspnet_debug.d/aspnet.h"
#include "netconfig.h"

#define CFG(body) "<configuration>" body "</configuration>"
#define WEB(body) "<system.web>" body "</system.web>"

struct file {
	enum aspnet_level level;
	const char *name;
	const char *dir;     /* for ASPNET_WEB: relative directory */
	const char *xml;
};

/* Evaluates FILES (NULL-terminated by name) and returns the check. All
 * web.config files are targets of tree 0. */
static struct cs_check *
run(const struct file *files, const struct aspnet_opts *o)
{
	struct aspnet_model m = { 0 };
	struct cs_check *c = cs_check_new("check_aspnet_debug", "ASPNET_DEBUG");

	for (const struct file *f = files; f->name; f++) {
		struct cs_error err = { 0 };
		struct cs_netcfg *cfg = NULL;
		char *key = NULL;
		int depth = 0;

		if (cs_netcfg_parse(f->xml, strlen(f->xml), f->name, 1 << 20,
		    &cfg, &err) != 0)
			fail_msg("%s: %s", f->name, err.msg);
		if (f->level == ASPNET_WEB) {
			key = aspnet_scope_key(0, f->dir);
			assert_int_equal(aspnet_add_target(&m, key), 0);
			depth = *f->dir ? 1 : 0;
			for (const char *p = f->dir; *p; p++)
				depth += *p == '/';
		}
		assert_int_equal(aspnet_gather(&m, cfg, f->level, key, depth,
		    &err), 0);
		free(key);
		cs_netcfg_free(cfg);
	}
	aspnet_evaluate(&m, o, c);
	aspnet_model_free(&m);
	return c;
}

/* The findings as "STATE rule file:line;" in report order. */
static void
describe(const struct cs_check *c, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < c->nfindings; i++) {
		const struct cs_finding *f = &c->findings[i];

		used += (size_t)snprintf(buf + used, len - used, "%s %s %s:%ld;",
		    cs_state_name(f->state), f->rule ? f->rule : "-",
		    f->file ? f->file : "-", f->line);
	}
}

static void
expect(const struct file *files, const struct aspnet_opts *o,
    const char *want)
{
	struct aspnet_opts none = { 0 };
	struct cs_check *c = run(files, o ? o : &none);
	char got[4096];

	describe(c, got, sizeof(got));
	if (strcmp(got, want) != 0)
		fail_msg("findings:\n  got:  %s\n  want: %s", got, want);
	cs_check_free(c);
}

static void
test_machine_alone_and_as_parent(void **state)
{
	const struct file alone[] = {
		{ ASPNET_MACHINE, "machine.config", NULL,
		    CFG(WEB("<compilation debug=\"true\"/>")) },
		{ 0 } };
	const struct file overridden[] = {
		{ ASPNET_MACHINE, "machine.config", NULL,
		    CFG(WEB("<compilation debug=\"true\"/>")) },
		{ ASPNET_WEB, "web.config", "",
		    CFG(WEB("<compilation debug=\"false\"/>")) },
		{ 0 } };
	const struct file inherited[] = {
		{ ASPNET_MACHINE, "machine.config", NULL,
		    CFG("\n" WEB("<compilation debug=\"TRUE\"/>")) },
		{ ASPNET_WEB, "web.config", "", CFG(WEB("<pages/>")) },
		{ 0 } };

	(void)state;
	expect(alone, NULL, "WARNING debug machine.config:1;");
	expect(overridden, NULL, "");
	expect(inherited, NULL, "WARNING debug machine.config:2;");
}

static void
test_nested_web_configs(void **state)
{
	/* parent debug=true, child overrides: the parent still fires */
	const struct file f[] = {
		{ ASPNET_WEB, "CRMWeb/web.config", "",
		    CFG(WEB("<compilation debug=\"true\"/>")) },
		{ ASPNET_WEB, "CRMWeb/ISV/web.config", "isv",
		    CFG(WEB("<compilation debug=\"false\"/>")) },
		{ 0 } };
	/* parent clean, grandchild debug */
	const struct file g[] = {
		{ ASPNET_WEB, "CRMWeb/web.config", "",
		    CFG(WEB("<compilation debug=\"false\"/>")) },
		{ ASPNET_WEB, "CRMWeb/ISV/Portal/web.config", "isv/portal",
		    CFG(WEB("<compilation debug=\"true\"/>")) },
		{ 0 } };

	(void)state;
	expect(f, NULL, "WARNING debug CRMWeb/web.config:1;");
	expect(g, NULL, "WARNING debug CRMWeb/ISV/Portal/web.config:1;");
}

static void
test_locations(void **state)
{
	const struct file f[] = {
		{ ASPNET_WEB, "web.config", "", CFG(
		    WEB("<customErrors mode=\"RemoteOnly\"/>") "\n"
		    "<location path=\"Tools\">" WEB("<customErrors mode=\"Off\"/>")
		    "</location>") },
		{ 0 } };
	/* a child web.config in Tools overrides the parent's location */
	const struct file g[] = {
		{ ASPNET_WEB, "web.config", "", CFG(
		    "<location path=\"Tools\">" WEB("<customErrors mode=\"Off\"/>")
		    "</location>") },
		{ ASPNET_WEB, "Tools/web.config", "Tools",
		    CFG(WEB("<customErrors mode=\"On\"/>")) },
		{ 0 } };
	/* "." and "" mean the file itself; paths compare in any case */
	const struct file h[] = {
		{ ASPNET_WEB, "web.config", "", CFG(
		    "<location path=\".\">" WEB("<customErrors mode=\"Off\"/>")
		    "</location><location path=\"\">"
		    WEB("<compilation debug=\"true\"/>") "</location>") },
		{ 0 } };
	const struct file i[] = {
		{ ASPNET_WEB, "web.config", "", CFG(
		    "<location path=\"tools\">" WEB("<customErrors mode=\"Off\"/>")
		    "</location>") },
		{ ASPNET_WEB, "Tools/web.config", "TOOLS",
		    CFG(WEB("<customErrors mode=\"RemoteOnly\"/>")) },
		{ 0 } };
	/* machine-level location for an IIS path */
	const struct file j[] = {
		{ ASPNET_ROOT_WEB, "root.config", NULL, CFG(
		    "<location path=\"Default Web Site/Legacy\">"
		    WEB("<trace enabled=\"true\" localOnly=\"false\"/>")
		    "</location>") },
		{ ASPNET_WEB, "web.config", "", CFG(WEB("<pages/>")) },
		{ 0 } };
	struct cs_check *c;

	(void)state;
	expect(f, NULL, "CRITICAL custom-errors-off web.config:2;");
	expect(g, NULL, "");
	expect(h, NULL, "WARNING debug web.config:1;"
	    "CRITICAL custom-errors-off web.config:1;");
	expect(i, NULL, "");
	expect(j, NULL, "CRITICAL trace root.config:1;");
	c = run(f, &(struct aspnet_opts){ 0 });
	assert_non_null(strstr(c->findings[0].text, "(location \"Tools\")"));
	cs_check_free(c);
}

static void
test_retail(void **state)
{
	const struct file f[] = {
		{ ASPNET_MACHINE, "machine.config", NULL,
		    CFG(WEB("<deployment retail=\"true\"/>")) },
		{ ASPNET_WEB, "web.config", "", CFG(
		    WEB("<compilation debug=\"true\"/><customErrors mode=\"Off\"/>"
		    "<trace enabled=\"true\"/>")
		    "<appSettings><add key=\"DevErrors\" value=\"On\"/></appSettings>"
		    "<system.webServer><httpErrors errorMode=\"Detailed\"/>"
		    "</system.webServer>") },
		{ 0 } };
	const struct file off[] = {
		{ ASPNET_MACHINE, "machine.config", NULL, CFG(WEB("<pages/>")) },
		{ 0 } };
	const struct file misplaced[] = {
		{ ASPNET_WEB, "web.config", "",
		    CFG(WEB("<deployment retail=\"true\"/>")) },
		{ 0 } };
	struct aspnet_opts req = { .require_retail = true, .have_machine = true };
	struct aspnet_opts have = { .have_machine = true };

	(void)state;
	/* retail forces debug, trace and customErrors off, not the others */
	expect(f, &have, "OK - machine.config:1;"
	    "CRITICAL http-errors-detailed web.config:1;"
	    "CRITICAL crm-dev-errors web.config:1;");
	expect(off, &req, "WARNING retail -:0;");
	expect(off, &have, "OK - -:0;");
	expect(misplaced, NULL, "WARNING invalid-value web.config:1;");
}

static void
test_trace(void **state)
{
	const struct file local[] = {
		{ ASPNET_WEB, "web.config", "",
		    CFG(WEB("<trace enabled=\"true\"/>")) },
		{ 0 } };
	/* localOnly=false inherited from a parent makes it worse */
	const struct file remote[] = {
		{ ASPNET_ROOT_WEB, "root.config", NULL,
		    CFG(WEB("<trace localOnly=\"false\"/>")) },
		{ ASPNET_WEB, "web.config", "",
		    CFG(WEB("<trace enabled=\"true\"/>")) },
		{ 0 } };
	const struct file page[] = {
		{ ASPNET_WEB, "web.config", "",
		    CFG(WEB("<trace enabled=\"true\" pageOutput=\"True\"/>")) },
		{ 0 } };
	const struct file disabled[] = {
		{ ASPNET_WEB, "web.config", "",
		    CFG(WEB("<trace enabled=\"false\" localOnly=\"false\"/>")) },
		{ 0 } };

	(void)state;
	expect(local, NULL, "WARNING trace web.config:1;");
	expect(remote, NULL, "CRITICAL trace web.config:1;");
	expect(page, NULL, "CRITICAL trace web.config:1;");
	expect(disabled, NULL, "");
}

static void
test_dev_errors(void **state)
{
	const struct file f[] = {
		{ ASPNET_WEB, "web.config", "", CFG(
		    "<appSettings><add key=\"devErrors\" value=\"on\"/>"
		    "</appSettings>") },
		{ ASPNET_WEB, "sub/web.config", "sub", CFG(
		    "<appSettings><remove key=\"DevErrors\"/></appSettings>") },
		{ ASPNET_WEB, "sub2/web.config", "sub2", CFG(
		    "<appSettings><clear/></appSettings>") },
		{ 0 } };
	/* the last add wins inside one section */
	const struct file g[] = {
		{ ASPNET_WEB, "web.config", "", CFG(
		    "<appSettings><add key=\"DevErrors\" value=\"On\"/>\n"
		    "<add key=\"DevErrors\" value=\"Off\"/></appSettings>") },
		{ 0 } };

	(void)state;
	expect(f, NULL, "CRITICAL crm-dev-errors web.config:1;");
	expect(g, NULL, "");
}

static void
test_invalid_and_ignore(void **state)
{
	const struct file f[] = {
		{ ASPNET_WEB, "web.config", "", CFG(
		    WEB("<compilation debug=\"yes\"/>\n"
		    "<customErrors mode=\"Maybe\"/>")
		    "<system.webServer><httpErrors errorMode=\"detailed\"/>"
		    "</system.webServer>") },
		{ 0 } };
	struct aspnet_opts ign = { .ignore =
	    (1u << ASPNET_R_INVALID_VALUE) |
	    (1u << ASPNET_R_HTTP_ERRORS_DETAILED) };

	(void)state;
	expect(f, NULL, "WARNING invalid-value web.config:1;"
	    "WARNING invalid-value web.config:2;"
	    "CRITICAL http-errors-detailed web.config:2;");
	expect(f, &ign, "");
}

static void
test_rule_names(void **state)
{
	static const char *const names[] = { "debug", "custom-errors-off",
	    "http-errors-detailed", "trace", "crm-dev-errors", "retail",
	    "invalid-value", NULL };

	(void)state;
	for (int i = 0; names[i]; i++) {
		assert_int_equal(aspnet_rule_by_name(names[i]), i);
		assert_string_equal(aspnet_rule_name(i), names[i]);
	}
	assert_int_equal(aspnet_rule_by_name("Debug"), -1);
	assert_int_equal(aspnet_rule_by_name(""), -1);
}

static void
test_scope_keys(void **state)
{
	char *k;

	(void)state;
	k = aspnet_scope_key(3, "ISV\\Portal/./x/");
	assert_string_equal(k, "#3/isv/portal/x");
	free(k);
	k = aspnet_scope_key(0, "");
	assert_string_equal(k, "#0");
	free(k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_machine_alone_and_as_parent),
		cmocka_unit_test(test_nested_web_configs),
		cmocka_unit_test(test_locations),
		cmocka_unit_test(test_retail),
		cmocka_unit_test(test_trace),
		cmocka_unit_test(test_dev_errors),
		cmocka_unit_test(test_invalid_and_ignore),
		cmocka_unit_test(test_rule_names),
		cmocka_unit_test(test_scope_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
