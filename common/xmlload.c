#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include "vfs.h"
#include "xmlload.h"

struct parse_state {
	struct cs_error *err;
	const char *name;
	int code;       /* first error recorded */
};

/* Records the first error only: later ones are usually its echoes. */
static void
on_error(void *data, xmlErrorPtr e)
{
	xmlParserCtxtPtr ctxt = data;
	struct parse_state *st = ctxt->_private;
	char msg[256];
	size_t n;

	if (st == NULL || st->code != 0 || e == NULL)
		return;
	if (e->level == XML_ERR_WARNING)
		return;
	snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "error");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	st->code = (e->code == XML_ERR_NO_MEMORY) ? CS_ERR_NOMEM : CS_ERR_PARSE;
	cs_error_set(st->err, st->code, "%s:%d: malformed XML: %s", st->name,
	    e->line, msg);
}

/* Any DOCTYPE stops the parse before its contents are looked at. */
static void
on_doctype(void *data, const xmlChar *name, const xmlChar *extid,
    const xmlChar *sysid)
{
	xmlParserCtxtPtr ctxt = data;
	struct parse_state *st = ctxt->_private;

	(void)name;
	(void)extid;
	(void)sysid;
	if (st != NULL && st->code == 0) {
		st->code = CS_ERR_INSECURE;
		cs_error_set(st->err, CS_ERR_INSECURE,
		    "%s:%d: DOCTYPE not allowed in a configuration file",
		    st->name, xmlSAX2GetLineNumber(ctxt));
	}
	xmlStopParser(ctxt);
}

static void
on_entity_decl(void *data, const xmlChar *name, int type,
    const xmlChar *publicId, const xmlChar *systemId, xmlChar *content)
{
	(void)type;
	(void)publicId;
	(void)systemId;
	(void)content;
	on_doctype(data, name, NULL, NULL);
}

/* Unknown entity references (no DTD) must not be resolved either. */
static xmlEntityPtr
on_get_entity(void *data, const xmlChar *name)
{
	(void)data;
	return xmlGetPredefinedEntity(name);
}

/* Never load anything from outside, whatever the document asks. */
static xmlParserInputPtr
no_external(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

int
cs_xml_parse(const char *buf, size_t len, const char *name, xmlDocPtr *docp,
    struct cs_error *err)
{
	struct parse_state st = { err, name, 0 };
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc = NULL;
	xmlExternalEntityLoader old_loader;
	int opts;

	*docp = NULL;
	if (len > (size_t)INT32_MAX)
		return cs_error_set(err, CS_ERR_TOO_LARGE, "%s: too large",
		    name);
	if (len == 0)
		return cs_error_set(err, CS_ERR_PARSE, "%s: empty file", name);
	xmlInitParser();
	if ((ctxt = xmlNewParserCtxt()) == NULL)
		return cs_error_set(err, CS_ERR_NOMEM, "out of memory");
	ctxt->_private = &st;
	ctxt->sax->serror = on_error;
	ctxt->sax->internalSubset = on_doctype;
	ctxt->sax->externalSubset = on_doctype;
	ctxt->sax->entityDecl = on_entity_decl;
	ctxt->sax->getEntity = on_get_entity;
	ctxt->sax->getParameterEntity = on_get_entity;
	ctxt->vctxt.error = NULL;
	ctxt->vctxt.warning = NULL;
	old_loader = xmlGetExternalEntityLoader();
	xmlSetExternalEntityLoader(no_external);
	/* NONET and no NOENT/DTDLOAD/DTDATTR/XINCLUDE: nothing is fetched or
	 * expanded; BIG_LINES keeps line numbers right past 65535. */
	opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, name, NULL, opts);
	xmlSetExternalEntityLoader(old_loader);
	if (st.code == 0 && (doc == NULL || !ctxt->wellFormed)) {
		xmlErrorPtr e = xmlCtxtGetLastError(ctxt);

		cs_error_set(err, CS_ERR_PARSE, "%s:%d: malformed XML%s%s",
		    name, e ? e->line : 0, e && e->message ? ": " : "",
		    e && e->message ? e->message : "");
		st.code = CS_ERR_PARSE;
	}
	if (st.code == 0 && xmlDocGetRootElement(doc) == NULL) {
		cs_error_set(err, CS_ERR_PARSE, "%s: no root element", name);
		st.code = CS_ERR_PARSE;
	}
	xmlFreeParserCtxt(ctxt);
	if (st.code != 0) {
		xmlFreeDoc(doc);
		return st.code;
	}
	*docp = doc; /* ownership passes to the caller */
	return 0;
}

int
cs_xml_load(const char *path, size_t max, xmlDocPtr *docp,
    struct cs_error *err)
{
	char *buf;
	size_t len;
	int rc;

	*docp = NULL;
	if ((rc = cs_vfs_read(path, max, &buf, &len, err)) != 0)
		return rc;
	rc = cs_xml_parse(buf, len, path, docp, err);
	free(buf);
	return rc;
}

long
cs_xml_line(xmlNodePtr node)
{
	long l = node ? xmlGetLineNo(node) : 0;

	return l > 0 ? l : 0;
}

const char *
cs_xml_attr(xmlNodePtr node, const char *name)
{
	for (xmlAttrPtr a = node ? node->properties : NULL; a; a = a->next) {
		if (a->ns == NULL && strcmp((const char *)a->name, name) == 0) {
			if (a->children == NULL)
				return "";
			if (a->children->type == XML_TEXT_NODE &&
			    a->children->next == NULL)
				return (const char *)a->children->content;
			/* entity references in the value: not expanded */
			return NULL;
		}
	}
	return NULL;
}

const char *
cs_xml_name(xmlNodePtr node)
{
	return node ? (const char *)node->name : "";
}

xmlNodePtr
cs_xml_next(xmlNodePtr node, const char *name)
{
	for (xmlNodePtr n = node ? node->next : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    (name == NULL || strcmp((const char *)n->name, name) == 0))
			return n;
	return NULL;
}

xmlNodePtr
cs_xml_child(xmlNodePtr node, const char *name)
{
	xmlNodePtr n = node ? node->children : NULL;

	if (n == NULL)
		return NULL;
	if (n->type == XML_ELEMENT_NODE &&
	    (name == NULL || strcmp((const char *)n->name, name) == 0))
		return n;
	return cs_xml_next(n, name);
}
