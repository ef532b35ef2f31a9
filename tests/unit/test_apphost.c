/* The applicationHost.config model: pools with inherited identities, sites
 * and applications with inherited pools, location-scoped
 * windowsAuthentication, and the configurations IIS would refuse. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "apphost.h"
#include "netconfig.h"

#define CFG(body) "<configuration>\n" body "</configuration>\n"
#define POOLS(body) "<system.applicationHost><applicationPools>\n" body \
	"</applicationPools></system.applicationHost>\n"
#define SITES(body) "<system.applicationHost><sites>\n" body \
	"</sites></system.applicationHost>\n"
#define WINAUTH(attrs, inner) "<system.webServer><security><authentication>" \
	"<windowsAuthentication " attrs ">" inner "</windowsAuthentication>" \
	"</authentication></security></system.webServer>\n"
#define LOCATION(path, body) "<location path=\"" path "\">\n" body \
	"</location>\n"

#define SECRET "S3cr3t-Pa55word"

/* Parses XML as "t.config"; fails the test on error. */
static struct cs_apphost *
model(const char *xml)
{
	struct cs_error err = { 0 };
	struct cs_netcfg *cfg = NULL;
	struct cs_apphost *h = NULL;

	if (cs_netcfg_parse(xml, strlen(xml), "t.config", 1 << 20, &cfg,
	    &err) != 0)
		fail_msg("parse: %s", err.msg);
	if (cs_apphost_read(cfg, &h, &err) != 0)
		fail_msg("read: %s", err.msg);
	cs_netcfg_free(cfg);
	return h;
}

/* Reads XML expecting error CODE with a message containing WANT. */
static void
model_fails(const char *xml, int code, const char *want)
{
	struct cs_error err = { 0 };
	struct cs_netcfg *cfg = NULL;
	struct cs_apphost *h = (struct cs_apphost *)1;
	int rc;

	rc = cs_netcfg_parse(xml, strlen(xml), "t.config", 1 << 20, &cfg, &err);
	if (rc == 0) {
		rc = cs_apphost_read(cfg, &h, &err);
		assert_null(h);
	}
	cs_netcfg_free(cfg);
	if (rc != code || strstr(err.msg, want) == NULL)
		fail_msg("expected %d with \"%s\", got %d: %s\n  in %s", code,
		    want, rc, err.msg, xml);
}

static void
test_pool_identities(void **state)
{
	struct cs_apphost *h = model(CFG(POOLS(
	    "<add name=\"Explicit\">\n"
	    "  <processModel identityType=\"SpecificUser\" "
	    "userName=\"CONTOSO\\svc-crm\" password=\"" SECRET "\" />\n"
	    "</add>\n"
	    "<add name=\"Inherits\"/>\n"
	    "<add name=\"HalfSet\"><processModel identityType=\"specificuser\"/>"
	    "</add>\n"
	    "<add name=\"Numeric\"><processModel identityType=\"0\"/></add>\n"
	    "<applicationPoolDefaults>\n"
	    "  <processModel identityType=\"NetworkService\" "
	    "userName=\"CONTOSO\\fallback\" "
	    "password=\"[enc:IISCngProvider:AAAA:enc]\"/>\n"
	    "</applicationPoolDefaults>\n")));
	const struct cs_apphost_pool *p;

	(void)state;
	assert_int_equal(h->npools, 4);
	assert_string_equal(h->path, "t.config");

	p = cs_apphost_pool(h, "explicit");
	assert_non_null(p);
	assert_string_equal(p->name, "Explicit");
	assert_int_equal(p->identity, CS_APPHOST_SPECIFIC_USER);
	assert_int_equal(p->identity_src.origin, CS_APPHOST_SET);
	assert_int_equal(p->identity_src.line, 4);
	assert_string_equal(p->identity_src.file, "t.config");
	assert_null(p->identity_src.location);
	assert_string_equal(p->user_name, "CONTOSO\\svc-crm");
	assert_int_equal(p->user_src.origin, CS_APPHOST_SET);
	assert_int_equal(p->password, CS_APPHOST_PW_CLEAR);
	assert_int_equal(p->line, 3);

	/* everything from applicationPoolDefaults, even after the pools */
	p = cs_apphost_pool(h, "Inherits");
	assert_int_equal(p->identity, CS_APPHOST_NETWORK_SERVICE);
	assert_int_equal(p->identity_src.origin, CS_APPHOST_INHERITED);
	assert_int_equal(p->identity_src.line, 10);
	assert_string_equal(p->user_name, "CONTOSO\\fallback");
	assert_int_equal(p->user_src.origin, CS_APPHOST_INHERITED);
	assert_int_equal(p->password, CS_APPHOST_PW_ENCRYPTED);

	/* attribute by attribute */
	p = cs_apphost_pool(h, "HalfSet");
	assert_int_equal(p->identity, CS_APPHOST_SPECIFIC_USER);
	assert_int_equal(p->identity_src.origin, CS_APPHOST_SET);
	assert_string_equal(p->user_name, "CONTOSO\\fallback");
	assert_int_equal(p->user_src.origin, CS_APPHOST_INHERITED);

	p = cs_apphost_pool(h, "NUMERIC");
	assert_int_equal(p->identity, CS_APPHOST_LOCAL_SYSTEM);
	assert_null(cs_apphost_pool(h, "Nope"));
	cs_apphost_free(h);

	/* no defaults at all: IIS's ApplicationPoolIdentity, no user */
	h = model(CFG(POOLS("<add name=\"A\"/>\n<applicationPoolDefaults/>\n")));
	p = cs_apphost_pool(h, "A");
	assert_int_equal(p->identity, CS_APPHOST_APPPOOL_IDENTITY);
	assert_int_equal(p->identity_src.origin, CS_APPHOST_DEFAULT);
	assert_null(p->identity_src.file);
	assert_int_equal(p->identity_src.line, 0);
	assert_string_equal(p->user_name, "");
	assert_int_equal(p->user_src.origin, CS_APPHOST_DEFAULT);
	assert_int_equal(p->password, CS_APPHOST_PW_NONE);
	cs_apphost_free(h);
}

static void
test_pool_collection(void **state)
{
	struct cs_apphost *h = model(CFG(POOLS(
	    "<add name=\"Gone\"/>\n<clear/>\n<add name=\"A\"/>\n"
	    "<add name=\"B\"/>\n<add name=\"C\"/>\n<remove name=\"b\"/>\n"
	    "<remove name=\"never-there\"/>\n")));

	(void)state;
	assert_int_equal(h->npools, 2);
	assert_string_equal(h->pools[0].name, "A");
	assert_string_equal(h->pools[1].name, "C");
	assert_null(cs_apphost_pool(h, "Gone"));
	cs_apphost_free(h);

	/* an empty configuration is a valid one */
	h = model(CFG(""));
	assert_int_equal(h->npools, 0);
	assert_int_equal(h->nsites, 0);
	cs_apphost_free(h);
}

static void
test_identity_names(void **state)
{
	static const struct {
		const char *in;
		int ok;
		enum cs_apphost_identity want;
	} rows[] = {
		{ "LocalSystem", 1, CS_APPHOST_LOCAL_SYSTEM },
		{ "localservice", 1, CS_APPHOST_LOCAL_SERVICE },
		{ "NETWORKSERVICE", 1, CS_APPHOST_NETWORK_SERVICE },
		{ "SpecificUser", 1, CS_APPHOST_SPECIFIC_USER },
		{ "ApplicationPoolIdentity", 1, CS_APPHOST_APPPOOL_IDENTITY },
		{ "0", 1, CS_APPHOST_LOCAL_SYSTEM },
		{ "3", 1, CS_APPHOST_SPECIFIC_USER },
		{ "4", 1, CS_APPHOST_APPPOOL_IDENTITY },
		{ "5", 0, 0 },
		{ "-1", 0, 0 },
		{ "03", 0, 0 },
		{ "", 0, 0 },
		{ "Network Service", 0, 0 },
		{ "SpecificUser ", 0, 0 },
		{ NULL, 0, 0 },
	};
	size_t bad = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		enum cs_apphost_identity id = CS_APPHOST_LOCAL_SERVICE;
		int rc = cs_apphost_identity_parse(rows[i].in, &id);

		if ((rc == 0) != rows[i].ok || (rc == 0 && id != rows[i].want)) {
			print_error("row %zu \"%s\": rc %d id %d\n", i,
			    rows[i].in ? rows[i].in : "(null)", rc, (int)id);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
	assert_string_equal(cs_apphost_identity_name(CS_APPHOST_SPECIFIC_USER),
	    "SpecificUser");
	assert_string_equal(cs_apphost_identity_name(
	    CS_APPHOST_APPPOOL_IDENTITY), "ApplicationPoolIdentity");
}

static void
test_pool_account(void **state)
{
	static const struct {
		enum cs_apphost_identity id;
		const char *want;
	} rows[] = {
		{ CS_APPHOST_LOCAL_SYSTEM, "NT AUTHORITY\\SYSTEM" },
		{ CS_APPHOST_LOCAL_SERVICE, "NT AUTHORITY\\LOCAL SERVICE" },
		{ CS_APPHOST_NETWORK_SERVICE, "NT AUTHORITY\\NETWORK SERVICE" },
		{ CS_APPHOST_SPECIFIC_USER, "svc@contoso.test" },
		{ CS_APPHOST_APPPOOL_IDENTITY, "IIS APPPOOL\\CRMAppPool" },
	};
	struct cs_apphost_pool p = { .name = (char *)"CRMAppPool",
		.user_name = (char *)"svc@contoso.test" };

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		char *s;

		p.identity = rows[i].id;
		s = cs_apphost_pool_account(&p);
		assert_non_null(s);
		assert_string_equal(s, rows[i].want);
		free(s);
	}
}

static const char sites_xml[] = CFG(SITES(
    "<site name=\"Default Web Site\" id=\"1\">\n"              /* 3 */
    "  <application path=\"/\">\n"                             /* 4 */
    "    <virtualDirectory path=\"/\" physicalPath=\"c:\\w\"/>\n"
    "  </application>\n"
    "  <application path=\"/Tools\"/>\n"                      /* 7 */
    "  <application path=\"/Legacy\" applicationPool=\"CRMAppPool\"/>\n"
    "</site>\n"
    "<site name=\"Microsoft Dynamics 365\" id=\"2\">\n"        /* 10 */
    "  <application path=\"/\" applicationPool=\"CRMAppPool\"/>\n"
    "  <application path=\"/Help\" applicationPool=\"CRMAppPool\"/>\n"
    "  <application path=\"/XRMDeployment/\" "
    "applicationPool=\"CRMDeploymentServiceAppPool\"/>\n"
    "</site>\n"
    "<site name=\"Intranet\" id=\"x3\">\n"                     /* 15 */
    "  <applicationDefaults applicationPool=\"IntranetPool\"/>\n"
    "  <application path=\"/\"/>\n"                            /* 17 */
    "  <application path=\"/Old\"/>\n"
    "  <remove path=\"/old/\"/>\n"
    "</site>\n"
    "<site name=\"Empty\">\n"                                  /* 21 */
    "  <application path=\"/Sub\"/>\n"
    "</site>\n"
    "<siteDefaults/>\n"
    "<applicationDefaults applicationPool=\"SharedPool\"/>\n"  /* 25 */
    ));

static void
test_sites_and_pools(void **state)
{
	struct cs_apphost *h = model(sites_xml);
	const struct cs_apphost_site *s;
	const struct cs_apphost_app *a;

	(void)state;
	assert_int_equal(h->nsites, 4);

	s = cs_apphost_site(h, "default web site");
	assert_non_null(s);
	assert_int_equal(s->id, 1);
	assert_int_equal(s->line, 3);
	assert_int_equal(s->napps, 3);
	/* no applicationPool: sites/applicationDefaults, even after the sites */
	a = &s->apps[0];
	assert_string_equal(a->path, "/");
	assert_string_equal(a->pool, "SharedPool");
	assert_int_equal(a->pool_src.origin, CS_APPHOST_INHERITED);
	assert_int_equal(a->pool_src.line, 25);
	assert_int_equal(a->line, 4);
	assert_int_equal(a->site, 0);
	assert_string_equal(s->apps[1].pool, "SharedPool");
	assert_string_equal(s->apps[2].pool, "CRMAppPool");
	assert_int_equal(s->apps[2].pool_src.origin, CS_APPHOST_SET);
	assert_int_equal(s->apps[2].pool_src.line, 8);

	s = cs_apphost_site(h, "Microsoft Dynamics 365");
	assert_int_equal(s->id, 2);
	assert_string_equal(s->apps[2].pool, "CRMDeploymentServiceAppPool");
	assert_int_equal(s->apps[2].site, 1);

	/* the site's own applicationDefaults comes first */
	s = cs_apphost_site(h, "Intranet");
	assert_int_equal(s->id, -1);
	assert_int_equal(s->napps, 1);
	assert_string_equal(s->apps[0].pool, "IntranetPool");
	assert_int_equal(s->apps[0].pool_src.origin, CS_APPHOST_INHERITED);
	assert_int_equal(s->apps[0].pool_src.line, 16);
	assert_null(cs_apphost_site(h, "Nowhere"));
	cs_apphost_free(h);

	/* without any applicationDefaults: DefaultAppPool */
	h = model(CFG(SITES("<site name=\"S\"><application path=\"/\"/></site>")));
	a = &h->sites[0].apps[0];
	assert_string_equal(a->pool, "DefaultAppPool");
	assert_int_equal(a->pool_src.origin, CS_APPHOST_DEFAULT);
	assert_null(a->pool_src.file);
	assert_int_equal(h->sites[0].id, -1);
	cs_apphost_free(h);

	/* <clear/> and <remove name=> on sites */
	h = model(CFG(SITES("<site name=\"A\"/><clear/><site name=\"B\"/>"
	    "<site name=\"C\"/><remove name=\"b\"/>")));
	assert_int_equal(h->nsites, 1);
	assert_string_equal(h->sites[0].name, "C");
	cs_apphost_free(h);
}

static void
test_app_for(void **state)
{
	struct cs_apphost *h = model(sites_xml);
	const struct cs_apphost_site *crm = cs_apphost_site(h,
	    "Microsoft Dynamics 365");
	const struct cs_apphost_site *empty = cs_apphost_site(h, "Empty");
	static const struct {
		const char *path;
		const char *app;
	} rows[] = {
		{ "/", "/" },
		{ "", "/" },
		{ "/Help", "/Help" },
		{ "/help/", "/Help" },
		{ "/Help/sub/page.aspx", "/Help" },
		{ "/HelpDesk", "/" },
		{ "/xrmdeployment/2011", "/XRMDeployment/" },
		{ "//XRMDeployment", "/XRMDeployment/" },
		{ "/./Help", "/Help" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct cs_apphost_app *a = cs_apphost_app_for(h, crm,
		    rows[i].path);

		assert_non_null(a);
		if (strcmp(a->path, rows[i].app) != 0)
			fail_msg("%s: got %s, want %s", rows[i].path, a->path,
			    rows[i].app);
	}
	/* no root application: nothing serves "/" */
	assert_null(cs_apphost_app_for(h, empty, "/"));
	assert_string_equal(cs_apphost_app_for(h, empty, "/sub/x")->path,
	    "/Sub");
	cs_apphost_free(h);
}

static const char winauth_xml[] = CFG(
    SITES(
    "<site name=\"Microsoft Dynamics 365\" id=\"2\">\n"
    "  <application path=\"/\" applicationPool=\"CRMAppPool\"/>\n"
    "  <application path=\"/Help\" applicationPool=\"CRMAppPool\"/>\n"
    "  <application path=\"/XRMDeployment\" "
    "applicationPool=\"CRMDeploymentServiceAppPool\"/>\n"
    "</site>\n"
    "<site name=\"Other\"><application path=\"/\"/>"
    "<application path=\"/Child\"/></site>\n")
    WINAUTH("enabled=\"false\" useAppPoolCredentials=\"false\"",
    "<extendedProtection tokenChecking=\"Allow\"/>")           /* 10 */
    LOCATION("microsoft DYNAMICS 365",
    WINAUTH("enabled=\"true\" useKernelMode=\"false\"",
    "<extendedProtection tokenChecking=\"require\"/>"))        /* 12 */
    LOCATION("Microsoft Dynamics 365/XRMDeployment",
    WINAUTH("useKernelMode=\"True\" useAppPoolCredentials=\"true\"",
    ""))                                                       /* 15 */
    LOCATION("Microsoft Dynamics 365/Help/Sub/",
    WINAUTH("enabled=\"false\"", ""))
    LOCATION("Other/Child", WINAUTH("enabled=\"true\"", ""))
    LOCATION(".", WINAUTH("useKernelMode=\"true\"", ""))       /* 24 */
    "<location path=\"Other\" inheritInChildApplications=\"false\">\n"
    WINAUTH("useKernelMode=\"false\"", "")                     /* 27 */
    "</location>\n");

static void
test_winauth(void **state)
{
	struct cs_apphost *h = model(winauth_xml);
	const struct cs_apphost_site *s;
	struct cs_apphost_winauth w;

	(void)state;
	/* the site's location (in any case) over the global section */
	cs_apphost_winauth(h, "Microsoft Dynamics 365", "/", &w);
	assert_true(w.enabled);
	assert_int_equal(w.enabled_src.origin, CS_APPHOST_SET);
	assert_int_equal(w.enabled_src.line, 12);
	assert_string_equal(w.enabled_src.location, "microsoft DYNAMICS 365");
	assert_false(w.use_kernel_mode);
	assert_int_equal(w.kernel_src.line, 12);
	assert_false(w.use_app_pool_credentials);
	assert_int_equal(w.credentials_src.origin, CS_APPHOST_INHERITED);
	assert_int_equal(w.credentials_src.line, 10);
	assert_null(w.credentials_src.location);
	assert_string_equal(w.token_checking, "Require");
	assert_int_equal(w.token_src.line, 12);

	/* a child application inherits the site's location */
	cs_apphost_winauth(h, "MICROSOFT DYNAMICS 365", "/help", &w);
	assert_true(w.enabled);
	assert_false(w.use_kernel_mode);
	assert_int_equal(w.kernel_src.origin, CS_APPHOST_INHERITED);

	/* and its own location wins, attribute by attribute */
	cs_apphost_winauth(h, "Microsoft Dynamics 365", "/XRMDeployment", &w);
	assert_true(w.enabled);
	assert_int_equal(w.enabled_src.line, 12);
	assert_true(w.use_kernel_mode);
	assert_int_equal(w.kernel_src.line, 15);
	assert_int_equal(w.kernel_src.origin, CS_APPHOST_SET);
	assert_true(w.use_app_pool_credentials);
	assert_string_equal(w.token_checking, "Require");

	/* a deeper path than any location still gets the deepest */
	cs_apphost_winauth(h, "Microsoft Dynamics 365", "/XRMDeployment/x/y",
	    &w);
	assert_true(w.use_kernel_mode);
	assert_int_equal(w.kernel_src.origin, CS_APPHOST_INHERITED);

	/* a location below an application does not reach up */
	cs_apphost_winauth(h, "Microsoft Dynamics 365", "/Help", &w);
	assert_true(w.enabled);
	cs_apphost_winauth(h, "Microsoft Dynamics 365", "/Help/sub/x", &w);
	assert_false(w.enabled);

	/* location path="." is global; "/HelpDesk" is not below "/Help" */
	cs_apphost_winauth(h, "Unknown Site", "/", &w);
	assert_false(w.enabled);
	assert_true(w.use_kernel_mode);
	assert_int_equal(w.kernel_src.line, 24);
	assert_string_equal(w.token_checking, "Allow");

	/* inheritInChildApplications="false" stops at its application */
	cs_apphost_winauth(h, "Other", "/", &w);
	assert_false(w.use_kernel_mode);
	assert_int_equal(w.kernel_src.line, 27);
	cs_apphost_winauth(h, "Other", "/folder", &w);
	assert_false(w.use_kernel_mode);
	cs_apphost_winauth(h, "Other", "/Child", &w);
	assert_true(w.use_kernel_mode);
	assert_int_equal(w.kernel_src.line, 24);
	assert_true(w.enabled);

	/* the paths to judge: root, applications, locations; sorted, once */
	s = cs_apphost_site(h, "Microsoft Dynamics 365");
	assert_int_equal(s->nauth_paths, 4);
	assert_string_equal(s->auth_paths[0], "/");
	assert_string_equal(s->auth_paths[1], "/Help");
	assert_string_equal(s->auth_paths[2], "/Help/Sub");
	assert_string_equal(s->auth_paths[3], "/XRMDeployment");
	s = cs_apphost_site(h, "Other");
	assert_int_equal(s->nauth_paths, 2);
	cs_apphost_free(h);

	/* nothing configured: IIS's defaults */
	h = model(CFG(""));
	cs_apphost_winauth(h, "S", "/", &w);
	assert_false(w.enabled);
	assert_true(w.use_kernel_mode);
	assert_false(w.use_app_pool_credentials);
	assert_string_equal(w.token_checking, "None");
	assert_int_equal(w.enabled_src.origin, CS_APPHOST_DEFAULT);
	assert_int_equal(w.kernel_src.origin, CS_APPHOST_DEFAULT);
	assert_null(w.kernel_src.file);
	assert_int_equal(w.token_src.origin, CS_APPHOST_DEFAULT);
	cs_apphost_free(h);
}

static void
test_refusals(void **state)
{
	static const struct {
		const char *xml;
		int code;
		const char *want;
	} rows[] = {
		{ "<configuration><sites>", CS_ERR_PARSE,
		    "t.config:1: malformed XML" },
		{ "<configurations/>", CS_ERR_FORMAT, "not a configuration" },
		{ CFG(POOLS("<add/>")), CS_ERR_FORMAT,
		    "t.config:3: application pool without a name" },
		{ CFG(POOLS("<add name=\"A\"/>\n<add name=\"a\"/>")),
		    CS_ERR_FORMAT, "t.config:4: application pool 'a' defined "
		    "twice (first at t.config:3)" },
		{ CFG(POOLS("<add name=\"A\"><processModel "
		    "identityType=\"Admin\"/></add>")), CS_ERR_FORMAT,
		    "t.config:3: application pool 'A': identityType=\"Admin\"" },
		{ CFG(POOLS("<applicationPoolDefaults>\n<processModel "
		    "identityType=\"root\"/></applicationPoolDefaults>")),
		    CS_ERR_FORMAT, "t.config:4: applicationPoolDefaults" },
		{ CFG(SITES("<site id=\"1\"/>")), CS_ERR_FORMAT,
		    "t.config:3: site without a name" },
		{ CFG(SITES("<site name=\"S\"/>\n<site name=\"s\"/>")),
		    CS_ERR_FORMAT, "site 's' defined twice" },
		{ CFG(SITES("<site name=\"S\"><application path=\"/Help\"/>\n"
		    "<application path=\"/help/\"/></site>")), CS_ERR_FORMAT,
		    "t.config:4: application '/help/' of site 'S' defined "
		    "twice" },
		{ CFG(SITES("<site name=\"S\"><application/></site>")),
		    CS_ERR_FORMAT, "application of site 'S' without a path" },
		{ CFG(WINAUTH("useKernelMode=\"yes\"", "")), CS_ERR_FORMAT,
		    "t.config:2: windowsAuthentication useKernelMode=\"yes\" is "
		    "not a value IIS accepts (true or false)" },
		{ CFG(LOCATION("S", WINAUTH("", "<extendedProtection "
		    "tokenChecking=\"Always\"/>"))), CS_ERR_FORMAT,
		    "tokenChecking=\"Always\" is not a value IIS accepts (None, "
		    "Allow or Require)" },
		{ CFG(LOCATION("S", SITES(""))), CS_ERR_FORMAT,
		    "t.config:2: <sites> inside <location path=\"S\">" },
		{ CFG(LOCATION("S/app", POOLS(""))), CS_ERR_FORMAT,
		    "<applicationPools> inside <location" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		model_fails(rows[i].xml, rows[i].code, rows[i].want);
}

static void
test_global_location(void **state)
{
	/* location path="" is the top level for the AppHostOnly sections */
	struct cs_apphost *h = model(CFG(LOCATION("",
	    POOLS("<add name=\"A\"/>") SITES("<site name=\"S\"/>"))));

	(void)state;
	assert_int_equal(h->npools, 1);
	assert_int_equal(h->nsites, 1);
	assert_null(h->pools[0].identity_src.file);
	cs_apphost_free(h);
}

static char tmpdir[] = "/tmp/crmsec-apphost.XXXXXX";

static char *
write_file(const char *name, const char *text)
{
	char *path = NULL;
	FILE *f;

	assert_true(asprintf(&path, "%s/%s", tmpdir, name) > 0);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void
test_files(void **state)
{
	char *main_path = write_file("applicationHost.config", CFG(
	    POOLS("<add name=\"CRMAppPool\"><processModel "
	    "identityType=\"SpecificUser\" userName=\"CONTOSO\\svc\"/></add>")
	    "<system.applicationHost><sites configSource=\"sites.config\"/>"
	    "</system.applicationHost>\n"));
	char *sites_path = write_file("sites.config", "<sites>\n"
	    "<site name=\"CRM\"><application path=\"/\" "
	    "applicationPool=\"CRMAppPool\"/></site>\n</sites>\n");
	char *missing = NULL;
	struct cs_error err = { 0 };
	struct cs_apphost *h = NULL;

	(void)state;
	assert_int_equal(cs_apphost_load(main_path, 1 << 20, &h, &err), 0);
	assert_string_equal(h->path, main_path);
	assert_int_equal(h->nsites, 1);
	assert_string_equal(h->sites[0].file, sites_path);
	assert_int_equal(h->sites[0].line, 2);
	assert_string_equal(h->sites[0].apps[0].pool_src.file, sites_path);
	assert_string_equal(h->pools[0].file, main_path);
	cs_apphost_free(h);

	/* too large, missing: an error naming the file */
	h = (struct cs_apphost *)1;
	assert_int_not_equal(cs_apphost_load(main_path, 16, &h, &err), 0);
	assert_null(h);
	assert_non_null(strstr(err.msg, main_path));
	assert_true(asprintf(&missing, "%s/nope.config", tmpdir) > 0);
	assert_int_not_equal(cs_apphost_load(missing, 1 << 20, &h, &err), 0);
	assert_null(h);
	assert_non_null(strstr(err.msg, missing));

	/* a configSource file that is missing */
	unlink(sites_path);
	assert_int_not_equal(cs_apphost_load(main_path, 1 << 20, &h, &err), 0);
	assert_null(h);
	assert_non_null(strstr(err.msg, "sites.config"));
	unlink(main_path);
	free(missing);
	free(sites_path);
	free(main_path);
	cs_apphost_free(NULL);
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
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
		cmocka_unit_test(test_pool_identities),
		cmocka_unit_test(test_pool_collection),
		cmocka_unit_test(test_identity_names),
		cmocka_unit_test(test_pool_account),
		cmocka_unit_test(test_sites_and_pools),
		cmocka_unit_test(test_app_for),
		cmocka_unit_test(test_winauth),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_global_location),
		cmocka_unit_test(test_files),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
