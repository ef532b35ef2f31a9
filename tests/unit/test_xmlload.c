/* The safe XML loader: encodings, refusals, errors with file and line. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fileio.h"
#include "netconfig.h"
#include "xmlload.h"

static char tmpdir[] = "/tmp/crmsec-xml.XXXXXX";

/* Converts ASCII TEXT to UTF-16 (LE or BE), with or without a BOM. */
static char *
utf16(const char *text, int be, int bom, size_t *len)
{
	size_t n = strlen(text), o = 0;
	char *b = malloc(2 * n + 2);

	if (bom) {
		b[o++] = be ? '\xfe' : '\xff';
		b[o++] = be ? '\xff' : '\xfe';
	}
	for (size_t i = 0; i < n; i++) {
		b[o++] = be ? 0 : text[i];
		b[o++] = be ? text[i] : 0;
	}
	*len = o;
	return b;
}

static xmlDocPtr
parse_ok(const char *buf, size_t len)
{
	struct cs_error err = { 0 };
	xmlDocPtr doc = NULL;

	if (cs_xml_parse(buf, len, "t.config", &doc, &err) != 0)
		fail_msg("parse failed: %s", err.msg);
	return doc;
}

static void
test_encodings(void **state)
{
	static const char x[] = "<?xml version=\"1.0\" encoding=\"utf-16\"?>"
	    "<configuration><a v=\"caf\xc3\xa9\"/></configuration>";
	static const char plain[] = "<configuration><a v=\"x\"/></configuration>";
	static const char bom8[] = "\xef\xbb\xbf<?xml version=\"1.0\" "
	    "encoding=\"utf-8\"?>\r\n<configuration>\r\n<a v=\"x\"/>"
	    "</configuration>";
	xmlDocPtr doc;
	char *b;
	size_t len;

	(void)state;
	doc = parse_ok(plain, strlen(plain));
	xmlFreeDoc(doc);
	doc = parse_ok(bom8, strlen(bom8));
	assert_int_equal(cs_xml_line(cs_xml_child(xmlDocGetRootElement(doc),
	    "a")), 3);
	xmlFreeDoc(doc);
	(void)x;
	for (int be = 0; be < 2; be++) {
		for (int bom = 0; bom < 2; bom++) {
			b = utf16("<?xml version=\"1.0\" encoding=\"utf-16\"?>"
			    "<configuration><a v=\"y\"/></configuration>", be,
			    bom, &len);
			doc = parse_ok(b, len);
			assert_string_equal(cs_xml_attr(cs_xml_child(
			    xmlDocGetRootElement(doc), "a"), "v"), "y");
			xmlFreeDoc(doc);
			free(b);
		}
	}
}

struct bad {
	const char *name;
	const char *xml;
	int rc;
	const char *msg; /* a part of the message */
};

static const struct bad bads[] = {
	{ "malformed", "<configuration>\n<a>\n</configuration>",
	    CS_ERR_PARSE, "t.config:3: malformed XML" },
	{ "truncated", "<configuration><a b=\"", CS_ERR_PARSE, "malformed" },
	{ "empty", "", CS_ERR_PARSE, "empty" },
	{ "garbage", "\x01\x02\x03 binary", CS_ERR_PARSE, "malformed" },
	{ "text only", "just text", CS_ERR_PARSE, "malformed" },
	{ "doctype", "<!DOCTYPE configuration><configuration/>",
	    CS_ERR_INSECURE, "DOCTYPE" },
	{ "xxe file", "<?xml version=\"1.0\"?>\n<!DOCTYPE c [<!ENTITY x SYSTEM "
	    "\"file:///etc/passwd\">]>\n<configuration>&x;</configuration>",
	    CS_ERR_INSECURE, "t.config:2: DOCTYPE" },
	{ "xxe url", "<!DOCTYPE c [<!ENTITY x SYSTEM \"http://127.0.0.1:9/\">]>"
	    "<configuration>&x;</configuration>", CS_ERR_INSECURE, "DOCTYPE" },
	{ "external dtd", "<!DOCTYPE configuration SYSTEM \"/etc/passwd\">"
	    "<configuration/>", CS_ERR_INSECURE, "DOCTYPE" },
	{ "parameter entity", "<!DOCTYPE c [<!ENTITY % p SYSTEM "
	    "\"file:///etc/passwd\"> %p;]><configuration/>", CS_ERR_INSECURE,
	    "DOCTYPE" },
	{ "billion laughs", "<!DOCTYPE l [<!ENTITY a \"aaaaaaaaaa\">"
	    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
	    "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>"
	    "<configuration v=\"&c;\"/>", CS_ERR_INSECURE, "DOCTYPE" },
	{ "undefined entity", "<configuration v=\"&x;\"/>", CS_ERR_PARSE,
	    "malformed" },
	{ "invalid utf8", "<configuration v=\"\xff\xfe\"/>", CS_ERR_PARSE,
	    "malformed" },
	{ "two roots", "<configuration/><configuration/>", CS_ERR_PARSE,
	    "malformed" },
	{ NULL, NULL, 0, NULL },
};

static void
test_refusals(void **state)
{
	(void)state;
	for (const struct bad *b = bads; b->name; b++) {
		struct cs_error err = { 0 };
		xmlDocPtr doc = NULL;
		int rc = cs_xml_parse(b->xml, strlen(b->xml), "t.config", &doc,
		    &err);

		if (rc != b->rc || doc != NULL || !strstr(err.msg, b->msg))
			fail_msg("%s: rc %d, message '%s'", b->name, rc,
			    err.msg);
		if (strchr(err.msg, '\n') != NULL)
			fail_msg("%s: message has a newline", b->name);
		if (strstr(err.msg, "root:") != NULL)
			fail_msg("%s: message leaks /etc/passwd", b->name);
	}
}

static void
test_nul_byte(void **state)
{
	static const char x[] = "<configuration>\0<a/></configuration>";
	struct cs_error err = { 0 };
	xmlDocPtr doc = NULL;

	(void)state;
	assert_int_not_equal(cs_xml_parse(x, sizeof(x) - 1, "t.config", &doc,
	    &err), 0);
	assert_null(doc);
}

static void
test_deep_nesting(void **state)
{
	size_t depth = 10000, o = 0;
	char *b = malloc(depth * 7 + 64);
	struct cs_error err = { 0 };
	xmlDocPtr doc = NULL;

	(void)state;
	for (size_t i = 0; i < depth; i++)
		o += (size_t)sprintf(b + o, "<a>");
	for (size_t i = 0; i < depth; i++)
		o += (size_t)sprintf(b + o, "</a>");
	assert_int_equal(cs_xml_parse(b, o, "deep.config", &doc, &err),
	    CS_ERR_PARSE);
	assert_null(doc);
	free(b);
}

static void
test_big_line_numbers(void **state)
{
	size_t lines = 70000, o = 0;
	char *b = malloc(lines + 128);
	xmlDocPtr doc;

	(void)state;
	o += (size_t)sprintf(b, "<configuration>");
	memset(b + o, '\n', lines);
	o += lines;
	o += (size_t)sprintf(b + o, "<a/></configuration>");
	doc = parse_ok(b, o);
	assert_int_equal(cs_xml_line(cs_xml_child(xmlDocGetRootElement(doc),
	    "a")), (long)lines + 1);
	xmlFreeDoc(doc);
	free(b);
}

static void
test_attr_helpers(void **state)
{
	static const char x[] = "<configuration xmlns=\"urn:x\"><!-- <a v=\"c\"/>"
	    " --><a v=\"a&amp;b&#124;c\" e=\"\"/><b/><a v=\"2\"/>"
	    "</configuration>";
	xmlDocPtr doc = parse_ok(x, strlen(x));
	xmlNodePtr root = xmlDocGetRootElement(doc), a;

	(void)state;
	assert_string_equal(cs_xml_name(root), "configuration");
	a = cs_xml_child(root, "a");
	assert_non_null(a);
	assert_string_equal(cs_xml_attr(a, "v"), "a&b|c");
	assert_string_equal(cs_xml_attr(a, "e"), "");
	assert_null(cs_xml_attr(a, "missing"));
	a = cs_xml_next(a, "a");
	assert_string_equal(cs_xml_attr(a, "v"), "2");
	assert_null(cs_xml_next(a, "a"));
	xmlFreeDoc(doc);
}

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

static void
test_files(void **state)
{
	struct cs_error err = { 0 };
	xmlDocPtr doc = NULL;
	char *p, *fifo = NULL;
	static const char big[] = "<configuration>      </configuration>";

	p = write_file("big.config", big, sizeof(big) - 1);
	assert_int_equal(cs_xml_load(p, sizeof(big) - 2, &doc, &err),
	    CS_ERR_TOO_LARGE);
	assert_non_null(strstr(err.msg, "big.config"));
	(void)state;
	assert_int_equal(cs_xml_load(p, sizeof(big) - 1, &doc, &err), 0);
	xmlFreeDoc(doc);
	unlink(p);
	free(p);
	assert_int_equal(cs_xml_load("/nonexistent/web.config", 100, &doc,
	    &err), CS_ERR_NOT_FOUND);
	assert_non_null(strstr(err.msg, "/nonexistent/web.config: no such"));
	assert_int_equal(cs_xml_load(tmpdir, 100, &doc, &err), CS_ERR_FORMAT);
	assert_non_null(strstr(err.msg, "directory"));
	assert_true(asprintf(&fifo, "%s/fifo", tmpdir) > 0);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(cs_xml_load(fifo, 100, &doc, &err), CS_ERR_FORMAT);
	unlink(fifo);
	free(fifo);
}

static int
count_sections(const struct cs_netcfg_section *s, void *ctx)
{
	char *acc = ctx;

	strcat(acc, s->location ? s->location : "-");
	strcat(acc, "=");
	strcat(acc, cs_xml_attr(s->node, "debug") ? cs_xml_attr(s->node,
	    "debug") : "?");
	strcat(acc, ";");
	return 0;
}

static void
test_netconfig(void **state)
{
	static const char main_cfg[] =
	    "<configuration><system.web><compilation debug=\"false\"/>"
	    "</system.web><location path=\"Tools\"><system.web>"
	    "<compilation configSource=\"sub/comp.config\"/></system.web>"
	    "</location><location><system.web><compilation debug=\"x\"/>"
	    "</system.web></location></configuration>";
	static const char comp[] = "<compilation debug=\"true\"/>";
	static const char evil[] = "<configuration><system.web><compilation "
	    "configSource=\"../../etc/passwd\"/></system.web></configuration>";
	struct cs_error err = { 0 };
	struct cs_netcfg *cfg = NULL;
	char acc[256] = "", *p, *sub = NULL;

	(void)state;
	assert_true(asprintf(&sub, "%s/sub", tmpdir) > 0);
	mkdir(sub, 0700);
	p = write_file("sub/comp.config", comp, sizeof(comp) - 1);
	free(p);
	p = write_file("web.config", main_cfg, sizeof(main_cfg) - 1);
	assert_int_equal(cs_netcfg_load(p, 4096, &cfg, &err), 0);
	assert_int_equal(cs_netcfg_foreach(cfg, "system.web/compilation",
	    count_sections, acc, &err), 0);
	assert_string_equal(acc, "-=false;Tools=true;=x;");
	assert_int_equal(cs_netcfg_nfiles(cfg), 2);
	cs_netcfg_free(cfg);
	unlink(p);
	free(p);

	p = write_file("web.config", evil, sizeof(evil) - 1);
	assert_int_equal(cs_netcfg_load(p, 4096, &cfg, &err), 0);
	assert_int_equal(cs_netcfg_foreach(cfg, "system.web/compilation",
	    count_sections, acc, &err), CS_ERR_FORMAT);
	assert_non_null(strstr(err.msg, "relative path"));
	cs_netcfg_free(cfg);
	unlink(p);
	free(p);

	assert_int_equal(cs_netcfg_parse("<settings/>", 11, "x.config", 4096,
	    &cfg, &err), CS_ERR_FORMAT);
	assert_non_null(strstr(err.msg, "not a configuration file"));
	p = NULL;
	assert_true(asprintf(&p, "%s/sub/comp.config", tmpdir) > 0);
	unlink(p);
	free(p);
	rmdir(sub);
	free(sub);
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
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
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_big_line_numbers),
		cmocka_unit_test(test_attr_helpers),
		cmocka_unit_test(test_files),
		cmocka_unit_test(test_netconfig),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
