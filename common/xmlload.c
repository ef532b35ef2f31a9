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

/* libxml2's context-free messages (encoding errors in UTF-16 input) go to
 * its generic handler, which prints to stderr: silenced while parsing. */
static void
no_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
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

/*
 * Counts elements and attributes on the raw bytes (UTF-8 or any ASCII
 * superset, UTF-16 or UTF-32 in either byte order: only ASCII characters
 * matter) and refuses a document over CS_XML_MAX_NODES or with an element
 * over CS_XML_MAX_ATTRS. Comments, CDATA, processing instructions and
 * quoted values are skipped. Malformed input is the parser's business:
 * this only counts. Returns 0 or CS_ERR_TOO_LARGE with ERR set.
 */
static int
check_shape(const unsigned char *b, size_t len, const char *name,
    struct cs_error *err)
{
	enum { TEXT, TAG, QUOTE, COMMENT, CDATA, PI } state = TEXT;
	size_t unit = 1, lo = 0, nodes = 0, attrs = 0, line = 1;
	int quote = 0;
	char last[3] = { 0 };

	/* the position of the ASCII byte in a code unit */
	if (len >= 4 && b[2] == 0 && b[3] == 0 && b[0] != 0 && b[1] == 0)
		unit = 4;                               /* UTF-32LE */
	else if (len >= 4 && b[0] == 0 && b[1] == 0)
		unit = 4, lo = 3;                       /* UTF-32BE */
	else if (len >= 2 && b[0] == 0xfe && b[1] == 0xff)
		unit = 2, lo = 1;                       /* UTF-16BE, BOM */
	else if (len >= 2 && b[0] == 0xff && b[1] == 0xfe)
		unit = 2;                               /* UTF-16LE, BOM */
	else if (len >= 2 && b[0] == 0 && b[1] != 0)
		unit = 2, lo = 1;
	else if (len >= 2 && b[0] != 0 && b[1] == 0)
		unit = 2;
	for (size_t i = 0; i + unit <= len; i += unit) {
		int c = b[i + lo];

		for (size_t k = 0; k < unit; k++)
			if (k != lo && b[i + k] != 0)
				c = 0x80; /* not ASCII */
		if (c == '\n')
			line++;
		switch (state) {
		case TEXT:
			if (c == '<')
				state = TAG, attrs = 0, nodes++;
			break;
		case TAG:
			if (last[2] == '<' && c == '/')
				nodes--, state = PI; /* an end tag */
			else if (last[2] == '<' && c == '?')
				nodes--, state = PI;
			else if (last[2] == '<' && c == '!')
				nodes--, state = PI; /* <!DOCTYPE, <!-- or <![ */
			else if (c == '"' || c == '\'')
				quote = c, state = QUOTE;
			else if (c == '>')
				state = TEXT;
			else if (c == '=') {
				nodes++;
				if (++attrs > CS_XML_MAX_ATTRS)
					return cs_error_set(err,
					    CS_ERR_TOO_LARGE, "%s:%zu: an "
					    "element with more than %d "
					    "attributes", name, line,
					    CS_XML_MAX_ATTRS);
			}
			break;
		case QUOTE:
			if (c == quote)
				state = TAG;
			break;
		case PI:
			if (last[1] == '<' && last[2] == '!' && c == '-')
				state = COMMENT;
			else if (last[1] == '<' && last[2] == '!' && c == '[')
				state = CDATA;
			else if (c == '>')
				state = TEXT;
			break;
		case COMMENT:
			if (c == '>' && last[1] == '-' && last[2] == '-')
				state = TEXT;
			break;
		case CDATA:
			if (c == '>' && last[1] == ']' && last[2] == ']')
				state = TEXT;
			break;
		}
		if (nodes > CS_XML_MAX_NODES)
			return cs_error_set(err, CS_ERR_TOO_LARGE, "%s:%zu: more "
			    "than %d elements and attributes", name, line,
			    CS_XML_MAX_NODES);
		last[0] = last[1];
		last[1] = last[2];
		last[2] = (char)c;
	}
	return 0;
}

int
cs_xml_parse(const char *buf, size_t len, const char *name, xmlDocPtr *docp,
    struct cs_error *err)
{
	struct parse_state st = { err, name, 0 };
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc = NULL;
	xmlExternalEntityLoader old_loader;
	xmlGenericErrorFunc old_generic;
	void *old_generic_ctx;
	int opts;

	*docp = NULL;
	if (len > (size_t)INT32_MAX)
		return cs_error_set(err, CS_ERR_TOO_LARGE, "%s: too large",
		    name);
	if (len == 0)
		return cs_error_set(err, CS_ERR_PARSE, "%s: empty file", name);
	if (check_shape((const unsigned char *)buf, len, name, err) != 0)
		return CS_ERR_TOO_LARGE;
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
	old_generic = xmlGenericError;
	old_generic_ctx = xmlGenericErrorContext;
	xmlSetGenericErrorFunc(NULL, no_generic);
	/* NONET and no NOENT/DTDLOAD/DTDATTR/XINCLUDE: nothing is fetched or
	 * expanded; BIG_LINES keeps line numbers right past 65535. */
	opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	    XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, name, NULL, opts);
	xmlSetExternalEntityLoader(old_loader);
	xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
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
