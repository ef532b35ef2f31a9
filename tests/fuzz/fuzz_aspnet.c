/*
 * The safe XML loader and check_aspnet_debug's evaluator: the input is a
 * configuration file (the first byte picks its level and the options),
 * read as check_aspnet_debug reads one, judged, and rendered in both
 * formats. The Nagios output must be well formed whatever the file holds.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "check_aspnet_debug.d/aspnet.h"
#include "check.h"
#include "netconfig.h"
#include "output.h"

#include "fuzz.h"
#include "nagios_check.h"

static void
silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum aspnet_level levels[] = { ASPNET_WEB, ASPNET_MACHINE,
	    ASPNET_ROOT_WEB, ASPNET_APPHOST };
	struct aspnet_opts o = { 0 };
	struct aspnet_model m = { 0 };
	struct cs_error err = { 0 };
	struct cs_netcfg *cfg = NULL;
	struct cs_check *c;
	enum aspnet_level level;
	char *key = NULL, *out;
	size_t max;

	if (size < 1)
		return 0;
	xmlSetGenericErrorFunc(NULL, silent);
	level = levels[data[0] & 3];
	o.require_retail = (data[0] & 4) != 0;
	o.have_machine = (data[0] & 8) != 0 || level == ASPNET_MACHINE;
	o.ignore = (data[0] & 16) ? 1u << ASPNET_R_DEBUG : 0;
	max = (data[0] & 32) ? CS_OUTPUT_MAX_MIN : CS_OUTPUT_MAX_DEFAULT;
	if ((c = cs_check_new("check_aspnet_debug", "ASPNET_DEBUG")) == NULL)
		abort();
	if (level == ASPNET_WEB && ((key = aspnet_scope_key(0, "App")) == NULL ||
	    aspnet_add_target(&m, key) != 0))
		abort();
	/* a path under which no configSource file exists */
	if (cs_netcfg_parse((const char *)data + 1, size - 1,
	    "/nonexistent-fuzz/App/web.config", 1 << 20, &cfg, &err) != 0 ||
	    aspnet_gather(&m, cfg, level, key, 1, &err) != 0) {
		if (err.msg[0] == '\0' || strchr(err.msg, '\n') != NULL)
			abort();
		cs_check_add(c, CS_UNKNOWN, "unreadable", "web.config", 0,
		    "%s", err.msg);
	}
	cs_netcfg_free(cfg);
	aspnet_evaluate(&m, &o, c);
	cs_check_perf(c, "files", (double)m.files, NULL, NULL, 0, NAN);
	if ((out = cs_output_render(c, CS_FORMAT_NAGIOS, max)) == NULL)
		abort();
	nagios_assert(out, "ASPNET_DEBUG", max);
	free(out);
	if ((out = cs_output_render(c, CS_FORMAT_JSON, max)) == NULL ||
	    out[0] != '{')
		abort();
	free(out);
	cs_check_free(c);
	aspnet_model_free(&m);
	free(key);
	return 0;
}
