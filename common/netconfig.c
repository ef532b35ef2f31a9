#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "netconfig.h"
#include "xmlload.h"

struct related {
	char *path;
	xmlDocPtr doc;
};

struct cs_netcfg {
	char *path;
	size_t max;
	xmlDocPtr doc;
	struct related *rel;  /* configSource and appSettings file= documents */
	size_t nrel;
};

static int
netcfg_new(const char *path, size_t max, struct cs_netcfg **out,
    struct cs_error *err)
{
	struct cs_netcfg *cfg;

	*out = NULL;
	if ((cfg = calloc(1, sizeof(*cfg))) == NULL ||
	    (cfg->path = strdup(path)) == NULL) {
		free(cfg);
		return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
	}
	cfg->max = max;
	*out = cfg;
	return 0;
}

/* Takes the loaded document in CFG and checks its root element. */
static int
netcfg_check(struct cs_netcfg *cfg, struct cs_netcfg **out,
    struct cs_error *err)
{
	xmlNodePtr root = xmlDocGetRootElement(cfg->doc);
	int rc;

	if (strcmp(cs_xml_name(root), "configuration") != 0) {
		rc = cs_error_set(err, CS_ERR_FORMAT,
		    "%s:%ld: not a configuration file (root element <%s>)",
		    cfg->path, cs_xml_line(root), cs_xml_name(root));
		cs_netcfg_free(cfg);
		return rc;
	}
	*out = cfg;
	return 0;
}

int
cs_netcfg_load(const char *path, size_t max, struct cs_netcfg **out,
    struct cs_error *err)
{
	struct cs_netcfg *cfg;
	int rc;

	if ((rc = netcfg_new(path, max, &cfg, err)) != 0)
		return rc;
	if ((rc = cs_xml_load(path, max, &cfg->doc, err)) != 0) {
		cs_netcfg_free(cfg);
		*out = NULL;
		return rc;
	}
	return netcfg_check(cfg, out, err);
}

int
cs_netcfg_parse(const char *buf, size_t len, const char *path, size_t max,
    struct cs_netcfg **out, struct cs_error *err)
{
	struct cs_netcfg *cfg;
	int rc;

	if ((rc = netcfg_new(path, max, &cfg, err)) != 0)
		return rc;
	if (len > max)
		rc = cs_error_set(err, CS_ERR_TOO_LARGE,
		    "%s: file too large (%zu bytes, limit %zu)", path, len, max);
	else
		rc = cs_xml_parse(buf, len, path, &cfg->doc, err);
	if (rc != 0) {
		cs_netcfg_free(cfg);
		*out = NULL;
		return rc;
	}
	return netcfg_check(cfg, out, err);
}

void
cs_netcfg_free(struct cs_netcfg *cfg)
{
	if (cfg == NULL)
		return;
	for (size_t i = 0; i < cfg->nrel; i++) {
		free(cfg->rel[i].path);
		xmlFreeDoc(cfg->rel[i].doc);
	}
	free(cfg->rel);
	xmlFreeDoc(cfg->doc);
	free(cfg->path);
	free(cfg);
}

const char *
cs_netcfg_path(const struct cs_netcfg *cfg)
{
	return cfg->path;
}

size_t
cs_netcfg_nfiles(const struct cs_netcfg *cfg)
{
	return 1 + cfg->nrel;
}

/* A relative path that stays at or below the configuration's directory. */
static int
safe_relpath(const char *rel)
{
	const char *p = rel;

	if (*rel == '\0' || *rel == '/' || *rel == '\\' || strchr(rel, ':'))
		return 0;
	while (*p) {
		size_t n = strcspn(p, "/\\");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 0;
		p += n;
		if (*p)
			p++;
	}
	return 1;
}

int
cs_netcfg_load_related(struct cs_netcfg *cfg, xmlNodePtr from,
    const char *relpath, xmlNodePtr *root, const char **file,
    struct cs_error *err)
{
	const char *slash = strrchr(cfg->path, '/');
	size_t dirlen = slash ? (size_t)(slash - cfg->path) + 1 : 0;
	struct related *nr;
	char *full;
	xmlDocPtr doc;
	int rc;

	*root = NULL;
	*file = NULL;
	if (!safe_relpath(relpath))
		return cs_error_set(err, CS_ERR_FORMAT,
		    "%s:%ld: '%s' must be a relative path below the "
		    "configuration's directory", cfg->path, cs_xml_line(from),
		    relpath);
	if ((full = malloc(dirlen + strlen(relpath) + 1)) == NULL)
		return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
	memcpy(full, cfg->path, dirlen);
	strcpy(full + dirlen, relpath);
	for (char *p = full + dirlen; *p; p++)
		if (*p == '\\')
			*p = '/';
	for (size_t i = 0; i < cfg->nrel; i++) {
		if (strcmp(cfg->rel[i].path, full) == 0) {
			free(full);
			*root = xmlDocGetRootElement(cfg->rel[i].doc);
			*file = cfg->rel[i].path;
			return 0;
		}
	}
	if ((rc = cs_xml_load(full, cfg->max, &doc, err)) != 0) {
		free(full);
		return rc;
	}
	if ((nr = reallocarray(cfg->rel, cfg->nrel + 1, sizeof(*nr))) == NULL) {
		xmlFreeDoc(doc);
		free(full);
		return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
	}
	cfg->rel = nr;
	cfg->rel[cfg->nrel].path = full; /* owned by cfg from here on */
	cfg->rel[cfg->nrel].doc = doc;
	cfg->nrel++;
	*root = xmlDocGetRootElement(doc);
	*file = full;
	return 0;
}

/* Follows SECTION_PATH ("a/b/c") from NODE; calls back on each match. */
static int
walk(struct cs_netcfg *cfg, xmlNodePtr node, const char *path,
    const char *location, xmlNodePtr locnode, cs_netcfg_cb cb, void *ctx,
    struct cs_error *err)
{
	size_t n = strcspn(path, "/");
	int rc;

	for (xmlNodePtr c = cs_xml_child(node, NULL); c; c = cs_xml_next(c, NULL)) {
		const char *name = cs_xml_name(c);
		struct cs_netcfg_section s;
		const char *src;

		if (strlen(name) != n || strncmp(name, path, n) != 0)
			continue;
		if (path[n] == '/') {
			if ((rc = walk(cfg, c, path + n + 1, location, locnode,
			    cb, ctx, err)) != 0)
				return rc;
			continue;
		}
		s.file = cfg->path;
		s.location = location;
		s.location_node = locnode;
		s.node = c;
		if ((src = cs_xml_attr(c, "configSource")) != NULL) {
			xmlNodePtr root;
			const char *file;

			if ((rc = cs_netcfg_load_related(cfg, c, src, &root,
			    &file, err)) != 0)
				return rc;
			if (strcmp(cs_xml_name(root), name) != 0)
				return cs_error_set(err, CS_ERR_FORMAT,
				    "%s:%ld: configSource file must have root "
				    "element <%s>, not <%s>", file,
				    cs_xml_line(root), name, cs_xml_name(root));
			s.file = file;
			s.node = root;
		}
		if ((rc = cb(&s, ctx)) != 0)
			return rc;
	}
	return 0;
}

int
cs_netcfg_foreach(struct cs_netcfg *cfg, const char *section_path,
    cs_netcfg_cb cb, void *ctx, struct cs_error *err)
{
	xmlNodePtr root = xmlDocGetRootElement(cfg->doc);
	int rc;

	if ((rc = walk(cfg, root, section_path, NULL, NULL, cb, ctx, err)) != 0)
		return rc;
	for (xmlNodePtr l = cs_xml_child(root, "location"); l;
	    l = cs_xml_next(l, "location")) {
		const char *p = cs_xml_attr(l, "path");

		if ((rc = walk(cfg, l, section_path, p ? p : "", l, cb, ctx,
		    err)) != 0)
			return rc;
	}
	return 0;
}
