/*
 * The safe XML loader, the applicationHost.config model and check_apppool's
 * evaluator: the input is an applicationHost.config (the first byte picks
 * the options), judged and rendered in both formats. The Nagios output must
 * be well formed and no password="..." value may reach either output.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "check_apppool.d/apppool.h"
#include "apphost.h"
#include "check.h"
#include "netconfig.h"
#include "output.h"

#include "fuzz.h"
#include "nagios_check.h"

/* Aborts when the value of a password="..." attribute of the input (one
 * of 6 bytes or more that occurs nowhere else in the input) is in OUT. */
static void
assert_no_password(const char *in, const char *out)
{
	for (const char *p = in; (p = strstr(p, "password=\"")) != NULL;) {
		const char *v = p + 10, *e = strchr(v, '"');
		char *val;

		p = v;
		if (e == NULL || e - v < 6)
			continue;
		val = strndup(v, (size_t)(e - v));
		if (val == NULL)
			abort();
		if (strstr(v + 1, val) == NULL &&
		    strstr(in, val) == v && strstr(out, val) != NULL)
			abort(); /* a password in the output */
		free(val);
	}
}

static void
silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct apppool_opts o = { 0 };
	struct apppool_result res = { 0 };
	struct cs_error err = { 0 };
	struct cs_netcfg *cfg = NULL;
	struct cs_apphost *h = NULL;
	struct cs_check *c;
	char *out, *in;
	int rc;

	if (size < 1)
		return 0;
	xmlSetGenericErrorFunc(NULL, silent);
	in = fuzz_strndup(data + 1, size - 1);
	o.pools[o.npools++] = APPPOOL_CRM;
	o.pools[o.npools++] = APPPOOL_DEPLOYMENT;
	if (data[0] & 1) {
		o.pools[o.npools] = "DefaultAppPool";
		o.optional[o.npools++] = true;
	}
	o.allow[o.nallow++] = "/";
	o.allow[o.nallow++] = "/Help";
	o.allow[o.nallow++] = "/XRMDeployment";
	o.kernel = (enum apppool_kernel)((data[0] >> 1) % 3);
	if (data[0] & 8)
		o.site = "Microsoft Dynamics 365";
	if (data[0] & 16)
		o.hostname = "crmfe01.contoso.test";
	if (data[0] & 32) {
		strcpy(o.domains[0].netbios, "CONTOSO");
		strcpy(o.domains[0].dns, "contoso.test");
		o.ndomains = 1;
	}
	rc = cs_netcfg_parse((const char *)data + 1, size - 1,
	    "/nonexistent-fuzz/applicationHost.config", 1 << 20, &cfg, &err);
	if (rc == 0)
		rc = cs_apphost_read(cfg, &h, &err);
	cs_netcfg_free(cfg);
	if (rc != 0) {
		if (h != NULL || err.msg[0] == '\0' || strchr(err.msg, '\n'))
			abort();
		free(in);
		return 0;
	}
	if ((c = cs_check_new("check_apppool", "APPPOOL")) == NULL)
		abort();
	apppool_evaluate(h, &o, c, &res);
	cs_check_perf(c, "pools", (double)res.pools, NULL, NULL, 0, NAN);
	cs_check_perf(c, "foreign_apps", res.site_known ?
	    (double)res.foreign : NAN, NULL, NULL, 0, NAN);
	if ((out = cs_output_render(c, CS_FORMAT_NAGIOS, 8192)) == NULL)
		abort();
	nagios_assert(out, "APPPOOL", 8192);
	assert_no_password(in, out);
	free(out);
	if ((out = cs_output_render(c, CS_FORMAT_JSON, 0)) == NULL ||
	    out[0] != '{')
		abort();
	assert_no_password(in, out);
	free(out);
	free(in);
	cs_check_free(c);
	cs_apphost_free(h);
	return 0;
}
