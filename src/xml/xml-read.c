/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The hardened XML reader (xml-read.h says what it refuses and why).
 *
 * libxml2 builds the tree through its own SAX2 handlers; we wrap three of
 * them so that a DOCTYPE stops the parse before any declaration in it is
 * read (so no entity ever exists to expand) and an element deeper than the
 * limit stops it before the node is built.
 */
#include <assert.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>

#include "macro.h"
#include "util.h"
#include "xml-read.h"

typedef struct Reader {
        unsigned depth, max_depth;
        long stop_line;
        bool doctype;
        bool too_deep;
} Reader;

static void
sax_stop(xmlParserCtxtPtr ctxt)
{
        Reader *rd = ctxt->_private;

        rd->stop_line = xmlSAX2GetLineNumber(ctxt);
        xmlStopParser(ctxt);
}

static void
sax_internal_subset(void *ctx, const xmlChar *name _unused_, const xmlChar *external_id _unused_,
                    const xmlChar *system_id _unused_)
{
        xmlParserCtxtPtr ctxt = ctx;
        Reader *rd = ctxt->_private;

        rd->doctype = true;
        sax_stop(ctxt);
}

static void
sax_entity_decl(void *ctx, const xmlChar *name _unused_, int type _unused_,
                const xmlChar *public_id _unused_, const xmlChar *system_id _unused_,
                xmlChar *content _unused_)
{
        /* Unreachable without a DOCTYPE; refused again for good measure. */
        sax_internal_subset(ctx, NULL, NULL, NULL);
}

static xmlEntityPtr
sax_get_entity(void *ctx _unused_, const xmlChar *name _unused_)
{
        /* No entity but the five predefined ones (which libxml2 resolves
         * without asking) exists: "&x;" is then an undeclared entity, an
         * error libxml2 reports with its name and line. */
        return NULL;
}

static void
sax_start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
                  int nb_namespaces, const xmlChar **namespaces, int nb_attributes,
                  int nb_defaulted, const xmlChar **attributes)
{
        xmlParserCtxtPtr ctxt = ctx;
        Reader *rd = ctxt->_private;

        if (++rd->depth > rd->max_depth) {
                rd->too_deep = true;
                sax_stop(ctxt);
                return;
        }
        xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces,
                              nb_attributes, nb_defaulted, attributes);
}

static void
sax_end_element(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
        xmlParserCtxtPtr ctxt = ctx;
        Reader *rd = ctxt->_private;

        if (rd->depth > 0)
                rd->depth--;
        xmlSAX2EndElementNs(ctx, localname, prefix, uri);
}

static void
sax_structured_error(void *data _unused_, xmlErrorPtr error _unused_)
{
        /* A library layer does not print: the error is read back from the
         * context after the parse. */
}

static _printf_(4, 5) int
fail(char **ret_error, const char *origin, long line, const char *fmt, ...)
{
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int r;

        if (!ret_error)
                return 0;
        va_start(ap, fmt);
        r = vasprintf(&msg, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        *ret_error = line > 0 ? xasprintf("%s:%ld: %s", origin, line, msg) : xasprintf("%s: %s", origin, msg);
        if (!*ret_error)
                return -ENOMEM;
        text_sanitize(*ret_error); /* it may quote the input */
        return 0;
}

int
xml_read(const char *text, size_t len, const char *origin, const XmlReadLimits *limits,
         xmlDoc **ret_doc, char **ret_error)
{
        size_t max_bytes = XML_INPUT_MAX;
        Reader rd = {.max_depth = XML_DEPTH_DEFAULT};
        const char *what = "XML";
        xmlParserCtxtPtr ctxt;
        xmlDocPtr doc = NULL;
        int r;

        assert(text || len == 0);
        assert(ret_doc);

        if (!origin)
                origin = "XML";
        if (limits) {
                if (limits->max_bytes > 0 && limits->max_bytes < max_bytes)
                        max_bytes = limits->max_bytes;
                if (limits->max_depth > 0)
                        rd.max_depth = limits->max_depth < XML_DEPTH_MAX ? limits->max_depth : XML_DEPTH_MAX;
                if (limits->what)
                        what = limits->what;
        }
        if (len > max_bytes)
                return fail(ret_error, origin, 0, "%zu bytes of XML, more than the %zu allowed", len,
                            max_bytes) ?: -EFBIG;
        if (len == 0)
                return fail(ret_error, origin, 0, "empty input, not %s", what) ?: -EBADMSG;

        xmlInitParser();
        ctxt = xmlCreateMemoryParserCtxt(text, (int) len);
        if (!ctxt)
                return -ENOMEM;
        /* Not XML_PARSE_NOENT (entity substitution), DTDLOAD, DTDATTR,
         * DTDVALID, XINCLUDE or HUGE; NONET in case a later libxml2 would
         * fetch anything at all. */
        xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                        XML_PARSE_COMPACT | XML_PARSE_NOBLANKS | XML_PARSE_NOCDATA);
        ctxt->_private = &rd;
        ctxt->sax->internalSubset = sax_internal_subset;
        ctxt->sax->externalSubset = sax_internal_subset;
        ctxt->sax->entityDecl = sax_entity_decl;
        ctxt->sax->getEntity = sax_get_entity;
        ctxt->sax->getParameterEntity = sax_get_entity;
        ctxt->sax->startElementNs = sax_start_element;
        ctxt->sax->endElementNs = sax_end_element;
        ctxt->sax->serror = sax_structured_error;

        (void) xmlParseDocument(ctxt);

        if (rd.doctype)
                r = fail(ret_error, origin, rd.stop_line,
                         "a DOCTYPE is not allowed in %s (entities are never expanded)", what) ?: -EBADMSG;
        else if (rd.too_deep)
                r = fail(ret_error, origin, rd.stop_line, "elements nested deeper than %u",
                         rd.max_depth) ?: -E2BIG;
        else if (!ctxt->wellFormed || !ctxt->myDoc) {
                const xmlError *err = xmlCtxtGetLastError(ctxt);

                if (err && err->code == XML_ERR_NO_MEMORY)
                        r = -ENOMEM;
                else {
                        _cleanup_free_ char *msg =
                                strdup(err && err->message ? err->message : "not well-formed");

                        r = msg ? fail(ret_error, origin, err ? err->line : 0, "not well-formed XML: %s",
                                       strstrip(msg)) ?: -EBADMSG
                                : -ENOMEM;
                }
        } else {
                doc = TAKE_PTR(ctxt->myDoc);
                r = 0;
        }

        xmlFreeDoc(ctxt->myDoc);
        ctxt->myDoc = NULL;
        xmlFreeParserCtxt(ctxt);
        if (r < 0)
                return r;
        *ret_doc = doc;
        return 0;
}

int
xml_node_text(const xmlNode *n, size_t max, char **ret)
{
        StrBuf b = {};
        const xmlNode *c;

        assert(n && ret);

        /* Depth-first over @n's descendants, without recursion. */
        c = n->children;
        while (c) {
                if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
                        if (c->content) {
                                size_t l = strlen((const char *) c->content);

                                if (l > max || b.len > max - l) {
                                        strbuf_done(&b);
                                        return -EFBIG;
                                }
                                strbuf_appendn(&b, (const char *) c->content, l);
                        }
                } else if (c->type == XML_ELEMENT_NODE && c->children) {
                        c = c->children;
                        continue;
                }
                /* XML_ENTITY_REF_NODE and everything else: skipped, never
                 * expanded. */
                while (c != n && !c->next)
                        c = c->parent;
                if (c == n)
                        break;
                c = c->next;
        }
        *ret = strbuf_steal(&b);
        return *ret ? 0 : -ENOMEM;
}
