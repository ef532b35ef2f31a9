/*
 * Safe XML loading for configuration files that attackers may have
 * touched: no network, no DTD, no entities, no external anything; a size
 * cap; UTF-8 (with or without BOM) and UTF-16 handled; one-line errors
 * naming the file and line. libxml2's own messages are never printed.
 */
#ifndef CS_XMLLOAD_H
#define CS_XMLLOAD_H

#include <stddef.h>

#include <libxml/tree.h>

#include "error.h"

/* Default cap for one configuration file: the file, libxml2's copy of it and
 * the tree together stay under 64 MB of memory (tests/hostile). */
#define CS_XML_MAX_BYTES (8u * 1024 * 1024)

/*
 * Bounds on the shape of a document, checked on the raw bytes before
 * libxml2 builds anything: the tree costs several hundred bytes a node, so
 * a file of empty elements far under the size cap would take hundreds of
 * megabytes; and libxml2 compares each attribute of an element with every
 * earlier one, so one element with 200,000 attributes (2 MB) takes minutes.
 * Real IIS and ASP.NET files have a few thousand elements with at most a
 * few dozen attributes each.
 */
#define CS_XML_MAX_NODES 50000    /* elements plus attributes */
#define CS_XML_MAX_ATTRS 256      /* attributes of one element */

/*
 * Parses LEN bytes of BUF as one XML document. NAME is used in messages.
 * A document with a DOCTYPE is refused (IIS and ASP.NET configuration
 * never has one; refusing it rules out entity expansion and external
 * DTDs); so is one over the bounds above (CS_ERR_TOO_LARGE). Returns 0
 * and *DOC (free with xmlFreeDoc), or CS_ERR_PARSE, CS_ERR_INSECURE,
 * CS_ERR_TOO_LARGE, CS_ERR_NOMEM with ERR naming NAME and the line.
 */
int cs_xml_parse(const char *buf, size_t len, const char *name,
    xmlDocPtr *doc, struct cs_error *err);

/* Reads PATH (a file or smb:// URL, at most MAX bytes) and parses it as
 * cs_xml_parse does. */
int cs_xml_load(const char *path, size_t max, xmlDocPtr *doc,
    struct cs_error *err);

/* Line of NODE in its file (large files included), or 0. */
long cs_xml_line(xmlNodePtr node);

/*
 * Value of attribute NAME of NODE (no namespace), or NULL. The returned
 * string belongs to the document: valid while the document lives.
 */
const char *cs_xml_attr(xmlNodePtr node, const char *name);

/* The local name of an element node (namespace prefix ignored). */
const char *cs_xml_name(xmlNodePtr node);

/* First/next child element of NODE called NAME (NULL: any element). */
xmlNodePtr cs_xml_child(xmlNodePtr node, const char *name);
xmlNodePtr cs_xml_next(xmlNodePtr node, const char *name);

#endif
