/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The one reader of XML in kvmaudit.  Every document the tool parses (domain
 * XML from a file, libvirt or a --root tree, status XML, network
 * definitions) is untrusted: a tenant may write it, a compromised host may
 * plant it.  So the reader
 *   - refuses a DOCTYPE outright: libvirt never writes one, and without it
 *     no entity can be declared, so neither external entities nor entity
 *     expansion ("billion laughs") can happen;
 *   - never loads a DTD, never substitutes entities, never touches the
 *     network, never reads XInclude, keeps libxml2's own limits (no
 *     XML_PARSE_HUGE);
 *   - bounds the input size and the element depth (the caller's limits, by
 *     default XML_INPUT_MAX and XML_DEPTH_DEFAULT, never beyond
 *     XML_INPUT_MAX and XML_DEPTH_MAX);
 *   - reports an error as "ORIGIN:LINE: message", sanitized.
 * This is the only file that calls libxml2's parser entry points
 * (tests/style.sh holds everyone else to it).
 */

#include <stddef.h>

#include <libxml/tree.h>

/* Hard ceilings; a caller may ask for less. */
#define XML_INPUT_MAX (4u * 1024u * 1024u) /* bytes of one document */
#define XML_DEPTH_MAX 128u                 /* element nesting, root = 1 */
/* libvirt's deepest documents nest about 10 levels; 64 leaves room. */
#define XML_DEPTH_DEFAULT 64u

typedef struct XmlReadLimits {
        size_t max_bytes;  /* 0: XML_INPUT_MAX */
        unsigned max_depth; /* 0: XML_DEPTH_DEFAULT */
        const char *what;   /* what the document is, for messages: "domain XML" */
} XmlReadLimits;

/*
 * Parses @len bytes of @text.  @origin names where they came from (a path,
 * "--xml FILE", a domain name) and prefixes every message.  On success
 * *ret_doc is the tree (caller frees with xmlFreeDoc()).  On failure, with
 * @ret_error non-NULL, *ret_error is "ORIGIN[:LINE]: message" (caller frees):
 *   -EFBIG    more than the size limit
 *   -E2BIG    elements nested deeper than the depth limit
 *   -EBADMSG  empty, not well-formed, or a DOCTYPE / entity declaration
 *   -ENOMEM   (no message)
 */
int xml_read(const char *text, size_t len, const char *origin, const XmlReadLimits *limits,
             xmlDoc **ret_doc, char **ret_error);

/*
 * The text inside @n (its text and CDATA descendants, as xmlNodeGetContent()
 * but never expanding an entity reference and never longer than @max bytes:
 * -EFBIG beyond).  *ret is a malloc()ed copy.
 */
int xml_node_text(const xmlNode *n, size_t max, char **ret);
