/*
 * check_aspnet_debug - ASP.NET and IIS must not run debug builds, trace
 * requests or send detailed errors to clients (Dynamics 365 CE on-premises
 * security best practices; CIS IIS 10 items 3.1-3.5).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check_aspnet_debug.d/aspnet.h"
#include "buf.h"
#include "cli.h"
#include "netconfig.h"
#include "smb.h"
#include "vfs.h"
#include "xmlload.h"

#define MAX_INPUTS 64

struct config {
	const char *files[MAX_INPUTS];   /* -f: web.config files or dirs */
	size_t nfiles;
	const char *machine;             /* -m */
	const char *root_web;            /* -r */
	const char *apphost;             /* -A */
	size_t max_bytes;
	struct aspnet_opts rules;
	struct cs_smb_opts smb;          /* smb:// paths, --crm-host */
	char *crm_paths[4];              /* paths --crm-host filled in */
};

enum {
	OPT_REQUIRE_RETAIL = CS_OPT_PLUGIN,
	OPT_IGNORE,
	OPT_MAX_FILE_SIZE,
};

static const struct option longopts[] = {
	{ "file", required_argument, NULL, 'f' },
	{ "machine-config", required_argument, NULL, 'm' },
	{ "root-web-config", required_argument, NULL, 'r' },
	{ "applicationhost", required_argument, NULL, 'A' },
	{ "require-retail", no_argument, NULL, OPT_REQUIRE_RETAIL },
	{ "ignore", required_argument, NULL, OPT_IGNORE },
	{ "max-file-size", required_argument, NULL, OPT_MAX_FILE_SIZE },
	{ NULL, 0, NULL, 0 },
};

static int
handle_option(void *vcfg, int opt, const char *arg, struct cs_error *err)
{
	struct config *cfg = vcfg;
	long v;
	int r;

	switch (opt) {
	case 'f':
		if (cfg->nfiles == MAX_INPUTS)
			return cs_error_set(err, CS_ERR_USAGE,
			    "-f: at most %d paths", MAX_INPUTS);
		cfg->files[cfg->nfiles++] = arg;
		return 0;
	case 'm':
		cfg->machine = arg;
		return 0;
	case 'r':
		cfg->root_web = arg;
		return 0;
	case 'A':
		cfg->apphost = arg;
		return 0;
	case OPT_REQUIRE_RETAIL:
		cfg->rules.require_retail = true;
		return 0;
	case OPT_IGNORE:
		if ((r = aspnet_rule_by_name(arg)) < 0)
			return cs_error_set(err, CS_ERR_USAGE,
			    "--ignore: no rule '%s' (see --help)", arg);
		cfg->rules.ignore |= 1u << r;
		return 0;
	case OPT_MAX_FILE_SIZE:
		if (cs_parse_long(arg, 1024, 1024L * 1024 * 1024, &v,
		    "--max-file-size", err) != 0)
			return CS_ERR_USAGE;
		cfg->max_bytes = (size_t)v;
		return 0;
	}
	if ((r = cs_smb_option(&cfg->smb, opt, arg, err)) != 1)
		return r;
	return cs_error_set(err, CS_ERR_USAGE, "unhandled option");
}

static const struct cs_plugin plugin = {
	.name = "check_aspnet_debug",
	.label = "ASPNET_DEBUG",
	.purpose =
	    "Checks that ASP.NET and IIS configuration does not build debug code,\n"
	    "trace requests or send detailed errors to clients, as the Dynamics 365\n"
	    "Customer Engagement (on-premises) security best practices ask for\n"
	    "machine.config and web.config. Values are effective values: each\n"
	    "web.config inherits from machine.config, the root web.config,\n"
	    "applicationHost.config and the web.config files of its parent\n"
	    "directories; <location> blocks apply to their paths.\n",
	.usage = "[-m FILE] [-r FILE] [-A FILE] [-f PATH]... [--require-retail] "
	    "[--ignore=RULE]... [-t SECONDS] [-v]",
	.options =
	    " -f, --file=PATH\n"
	    "    A web.config, or a directory: every web.config beneath it (names match\n"
	    "    in any case), each inheriting from those of its parent directories, as\n"
	    "    nested ASP.NET applications do. Repeatable. A directory without any\n"
	    "    web.config is UNKNOWN: nothing was checked.\n"
	    " -m, --machine-config=FILE\n"
	    "    machine.config, e.g. a copy of\n"
	    "    C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\Config\\machine.config\n"
	    " -r, --root-web-config=FILE\n"
	    "    The framework's root web.config, beside machine.config.\n"
	    " -A, --applicationhost=FILE\n"
	    "    IIS applicationHost.config (for system.webServer/httpErrors), from\n"
	    "    C:\\Windows\\System32\\inetsrv\\config\\.\n"
	    " --require-retail\n"
	    "    Warn when machine.config does not set <deployment retail=\"true\"/>\n"
	    "    (CIS IIS 10 3.1). Needs -m.\n"
	    " --ignore=RULE\n"
	    "    Do not report RULE (a rule id below). Repeatable.\n"
	    " --max-file-size=BYTES\n"
	    "    Refuse larger configuration files (default 8388608).\n"
	    "At least one of -f, -m, -r, -A, --crm-host is required. Every file given must be\n"
	    "read completely: a missing, unreadable, oversized or malformed file\n"
	    "makes the result UNKNOWN (or CRITICAL if something else is).\n",
	.notes =
	    "Rules (id - state - what fires it):\n"
	    " debug                 WARNING   system.web/compilation debug=\"true\"\n"
	    " custom-errors-off     CRITICAL  system.web/customErrors mode=\"Off\":\n"
	    "                                 detailed errors go to remote clients\n"
	    " http-errors-detailed  CRITICAL  system.webServer/httpErrors\n"
	    "                                 errorMode=\"Detailed\"\n"
	    " trace                 WARNING   system.web/trace enabled=\"true\";\n"
	    "                       CRITICAL  with localOnly=\"false\" or pageOutput=\"true\"\n"
	    " crm-dev-errors        CRITICAL  appSettings DevErrors=\"On\" (Dynamics shows\n"
	    "                                 developer error details to users)\n"
	    " retail                WARNING   with --require-retail: machine.config lacks\n"
	    "                                 <deployment retail=\"true\"/>\n"
	    " invalid-value         WARNING   a value ASP.NET refuses (debug=\"yes\"), or\n"
	    "                                 deployment outside machine.config\n"
	    "Retail mode on in machine.config forces debug, trace and customErrors off:\n"
	    "those rules then report nothing. Values compare in any case; comments\n"
	    "never count; configSource= and appSettings file= files are read.\n"
	    "Each finding names the rule, file, line and <location> path.\n"
	    "\n"
	    "Perfdata: findings (non-OK findings), critical, warning, files (files\n"
	    "read).\n",
	.examples =
	    " check_aspnet_debug -m /mnt/crmfe01/machine.config \\\n"
	    "     -f '/mnt/crmfe01/Program Files/Microsoft Dynamics CRM/CRMWeb'\n"
	    "    The CRM web root and every application below it.\n"
	    " check_aspnet_debug -m machine.config -r web.config -A applicationHost.config \\\n"
	    "     -f CRMWeb --require-retail --output-format=json\n"
	    "    Everything, with retail mode required, as JSON.\n"
	    " check_aspnet_debug --crm-host crmfe01.contoso.com \\\n"
	    "     --smb-auth-file /etc/crmsec/smb.auth --require-retail\n"
	    "    The standard locations on the server, read over SMB.\n",
	.shortopts = "f:m:r:A:",
	.longopts = longopts,
	.group_shortopts = cs_smb_shortopts,
	.group_longopts = cs_smb_longopts,
	.group_title = CS_SMB_HELP_TITLE,
	.group_options = cs_smb_help,
	.option = handle_option,
};

/* ---- gather ------------------------------------------------------------ */

/* Loads PATH and reads its settings into M; a failure becomes an UNKNOWN
 * finding, since the file was not checked. */
/* Returns whether PATH was read completely. */
static bool
gather_file(struct cs_check *c, struct aspnet_model *m, const char *path,
    enum aspnet_level level, const char *scope, int depth, size_t max)
{
	struct cs_error err = { 0 };
	struct cs_netcfg *cfg = NULL;
	bool ok = true;

	cs_log(1, "reading %s", path);
	if (cs_netcfg_load(path, max, &cfg, &err) != 0 ||
	    aspnet_gather(m, cfg, level, scope, depth, &err) != 0) {
		cs_check_add(c, cs_error_state(err.code), "unreadable", path, 0,
		    "%s", err.msg);
		if (cfg != NULL)
			m->files += cs_netcfg_nfiles(cfg);
		ok = false;
	}
	cs_netcfg_free(cfg);
	return ok;
}

struct found {
	char **rel;        /* directories (relative) holding a web.config */
	char **names;      /* the file name as spelt on disk */
	size_t n, cap;
};

static int
found_add(struct found *f, const char *rel, const char *name)
{
	if (f->n == f->cap) {
		size_t ncap = f->cap ? f->cap * 2 : 16;
		char **a = reallocarray(f->rel, ncap, sizeof(*a));

		if (a == NULL)
			return -1;
		f->rel = a;
		if ((a = reallocarray(f->names, ncap, sizeof(*a))) == NULL)
			return -1;
		f->names = a;
		f->cap = ncap;
	}
	f->rel[f->n] = strdup(rel);
	f->names[f->n] = strdup(name);
	if (f->rel[f->n] == NULL || f->names[f->n] == NULL) {
		free(f->rel[f->n]);
		free(f->names[f->n]);
		return -1;
	}
	f->n++;
	return 0;
}

static void
found_free(struct found *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->rel[i]);
		free(f->names[i]);
	}
	free(f->rel);
	free(f->names);
}

/*
 * Collects every web.config below BASE/REL (a local directory or an smb://
 * URL) in sorted order. Symbolic links to directories are not followed (no
 * loops); a directory that cannot be read is an UNKNOWN finding, since
 * files may be missed.
 */
static void
find_web_configs(struct cs_check *c, const char *base, const char *rel,
    int depth, struct found *f)
{
	struct cs_vfs_entry *ents = NULL;
	struct cs_error err = { 0 };
	char *dir = cs_vfs_join(base, rel);
	size_t n = 0;

	if (dir == NULL) {
		c->nomem = 1;
		return;
	}
	if (depth > 64) {
		cs_check_add(c, CS_UNKNOWN, "unreadable", dir, 0,
		    "%s: directories nested too deep (over 64 levels)", dir);
		free(dir);
		return;
	}
	if (cs_vfs_list(dir, &ents, &n, &err) != 0) {
		cs_check_add(c, cs_error_state(err.code), "unreadable", dir, 0,
		    "%s", err.msg);
		free(dir);
		return;
	}
	/* files first, so a directory's web.config precedes its children;
	 * one that is not a regular file (a FIFO, a dangling or looping
	 * link) is kept too: the loader then says why it was not checked */
	for (size_t i = 0; i < n; i++)
		if ((ents[i].type == CS_VFS_FILE ||
		    ents[i].type == CS_VFS_OTHER) &&
		    strcasecmp(ents[i].name, "web.config") == 0 &&
		    found_add(f, rel, ents[i].name) != 0)
			c->nomem = 1;
	for (size_t i = 0; i < n; i++) {
		char *sub;

		if (ents[i].type == CS_VFS_LINK_DIR)
			cs_log(1, "%s/%s: symbolic link to a directory, not "
			    "followed", dir, ents[i].name);
		if (ents[i].type != CS_VFS_DIR)
			continue;
		if ((sub = cs_vfs_join(rel, ents[i].name)) == NULL) {
			c->nomem = 1;
			continue;
		}
		find_web_configs(c, base, sub, depth + 1, f);
		free(sub);
	}
	cs_vfs_list_free(ents, n);
	free(dir);
}

static int
depth_of(const char *rel)
{
	int d = *rel ? 1 : 0;

	for (; *rel; rel++)
		if (*rel == '/')
			d++;
	return d;
}

/* One -f argument: a web.config, or a directory of them. */
static void
gather_tree(struct cs_check *c, struct aspnet_model *m, unsigned tree,
    const char *path, size_t max)
{
	struct found f = { 0 };
	enum cs_vfs_type type = CS_VFS_OTHER;
	char *key;

	if (cs_vfs_stat(path, &type, NULL) != 0 || type != CS_VFS_DIR) {
		/* a file (or nothing: the loader says which) */
		if ((key = aspnet_scope_key(tree, "")) == NULL ||
		    aspnet_add_target(m, key) != 0)
			c->nomem = 1;
		else
			gather_file(c, m, path, ASPNET_WEB, key, 0, max);
		free(key);
		return;
	}
	find_web_configs(c, path, "", 0, &f);
	if (f.n == 0)
		cs_check_add(c, CS_UNKNOWN, "no-input", path, 0,
		    "%s: no web.config beneath it, nothing was checked", path);
	for (size_t i = 0; i < f.n; i++) {
		char *dir = cs_vfs_join(path, f.rel[i]);
		char *file = dir ? cs_vfs_join(dir, f.names[i]) : NULL;

		key = aspnet_scope_key(tree, f.rel[i]);
		if (file == NULL || key == NULL || aspnet_add_target(m, key) != 0)
			c->nomem = 1;
		else
			gather_file(c, m, file, ASPNET_WEB, key,
			    depth_of(f.rel[i]), max);
		free(key);
		free(file);
		free(dir);
	}
	found_free(&f);
}

/* ---- report ------------------------------------------------------------ */

static void
summarise(struct cs_check *c, const struct aspnet_model *m)
{
	size_t n[3] = { cs_check_count(c, CS_CRITICAL),
	    cs_check_count(c, CS_WARNING), cs_check_count(c, CS_UNKNOWN) };
	static const char *const names[3] = { "critical", "warning", "unknown" };
	const struct cs_finding *first_unknown = NULL;
	struct cs_buf b;
	const char *files = m->files == 1 ? "" : "s";

	for (size_t i = 0; i < c->nfindings && !first_unknown; i++)
		if (c->findings[i].state == CS_UNKNOWN)
			first_unknown = &c->findings[i];
	if (n[0] + n[1] + n[2] == 0) {
		cs_check_summary(c, "no debug, trace or detailed error output "
		    "in %zu configuration file%s", m->files, files);
		return;
	}
	if (n[0] + n[1] == 0) {
		/* nothing found, something not checked: say what */
		cs_check_summary(c, "%s%s", first_unknown->text, n[2] > 1 ?
		    " (and more files not checked)" : "");
		return;
	}
	/* "1 critical, 2 warning in 7 configuration files: rule, rule" */
	cs_buf_init(&b, 512);
	for (int i = 0; i < 3; i++)
		if (n[i] > 0)
			cs_buf_printf(&b, "%s%zu %s", b.len ? ", " : "", n[i],
			    names[i]);
	cs_buf_printf(&b, " in %zu configuration file%s:", m->files, files);
	for (int rank = 3; rank >= 1; rank--) {
		for (size_t i = 0; i < c->nfindings; i++) {
			const struct cs_finding *f = &c->findings[i];
			bool seen = false;

			if (cs_state_rank(f->state) != rank || f->rule == NULL)
				continue;
			for (size_t j = 0; j < i && !seen; j++)
				seen = c->findings[j].rule != NULL &&
				    strcmp(c->findings[j].rule, f->rule) == 0 &&
				    cs_state_rank(c->findings[j].state) >= rank;
			for (size_t j = i + 1; j < c->nfindings && !seen; j++)
				seen = c->findings[j].rule != NULL &&
				    strcmp(c->findings[j].rule, f->rule) == 0 &&
				    cs_state_rank(c->findings[j].state) > rank;
			if (!seen)
				cs_buf_printf(&b, " %s,", f->rule);
		}
	}
	if (b.len > 0 && b.s[b.len - 1] == ',')
		b.s[--b.len] = '\0';
	cs_check_summary(c, "%s", cs_buf_str(&b));
	cs_buf_free(&b);
}

static void
add_perfdata(struct cs_check *c, const struct aspnet_model *m)
{
	size_t crit = cs_check_count(c, CS_CRITICAL);
	size_t warn = cs_check_count(c, CS_WARNING);
	size_t unk = cs_check_count(c, CS_UNKNOWN);

	cs_check_perf(c, "findings", (double)(crit + warn + unk), NULL, NULL,
	    0, NAN);
	cs_check_perf(c, "critical", (double)crit, NULL, NULL, 0, NAN);
	cs_check_perf(c, "warning", (double)warn, NULL, NULL, 0, NAN);
	cs_check_perf(c, "files", (double)m->files, NULL, NULL, 0, NAN);
}

/* --crm-host: the server's standard locations for what was not given. */
static void
use_crm_host(struct config *cfg, const struct cs_runtime *rt)
{
	const char **slots[3] = { &cfg->machine, &cfg->root_web,
	    &cfg->apphost };
	const enum cs_smb_location where[4] = { CS_SMB_MACHINE_CONFIG,
	    CS_SMB_ROOT_WEB_CONFIG, CS_SMB_APPHOST, CS_SMB_CRMWEB };

	for (int i = 0; i < 4; i++) {
		if (i < 3 && *slots[i] != NULL)
			continue;
		if (i == 3 && cfg->nfiles > 0)
			continue;
		if ((cfg->crm_paths[i] = cs_smb_location(&cfg->smb,
		    where[i])) == NULL)
			cs_die(rt, CS_UNKNOWN, "out of memory");
		if (i < 3)
			*slots[i] = cfg->crm_paths[i];
		else
			cfg->files[cfg->nfiles++] = cfg->crm_paths[i];
	}
}

int
main(int argc, char **argv)
{
	struct config cfg = { .max_bytes = CS_XML_MAX_BYTES };
	struct aspnet_model model = { 0 };
	struct cs_runtime rt;
	struct cs_check *c;
	struct cs_error err = { 0 };
	int rc;

	cs_cli_parse(&plugin, &cfg, &rt, argc, argv);
	if (cs_smb_validate(&cfg.smb, &err) != 0)
		cs_usage_error(&rt, "%s", err.msg);
	cs_smb_setup(&cfg.smb, rt.timeout, rt.verbose);
	if (cfg.smb.crm_host != NULL)
		use_crm_host(&cfg, &rt);
	if (cfg.nfiles == 0 && !cfg.machine && !cfg.root_web && !cfg.apphost)
		cs_usage_error(&rt, "nothing to check: give -f, -m, -r, -A "
		    "or --crm-host");
	if (cfg.rules.require_retail && !cfg.machine)
		cs_usage_error(&rt, "--require-retail needs machine.config (-m)");
	c = cs_check_for(&rt);
	/* retail mode is judged only on a machine.config that was read */
	if (cfg.machine)
		cfg.rules.have_machine = gather_file(c, &model, cfg.machine,
		    ASPNET_MACHINE, NULL, 0, cfg.max_bytes);
	if (cfg.root_web)
		gather_file(c, &model, cfg.root_web, ASPNET_ROOT_WEB, NULL, 0,
		    cfg.max_bytes);
	if (cfg.apphost)
		gather_file(c, &model, cfg.apphost, ASPNET_APPHOST, NULL, 0,
		    cfg.max_bytes);
	for (size_t i = 0; i < cfg.nfiles; i++)
		gather_tree(c, &model, (unsigned)i, cfg.files[i], cfg.max_bytes);

	aspnet_evaluate(&model, &cfg.rules, c);

	summarise(c, &model);
	add_perfdata(c, &model);
	cs_check_data(c, "files_read", json_object_new_int64((int64_t)model.files));
	aspnet_model_free(&model);
	rc = cs_finish(&rt, c);
	for (int i = 0; i < 4; i++)
		free(cfg.crm_paths[i]);
	cs_runtime_free(&rt);
	xmlCleanupParser();
	return rc;
}
