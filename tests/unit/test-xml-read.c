/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of src/xml: what the one hardened XML reader refuses, and how
 * it names the place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"
#include "xml-read.h"

static int
read_str(const char *text, const XmlReadLimits *lim, xmlDoc **ret_doc, char **ret_error)
{
        return xml_read(text, strlen(text), "t.xml", lim, ret_doc, ret_error);
}

static void
expect_refused(const char *text, const XmlReadLimits *lim, int err, const char *message)
{
        xmlDoc *doc = NULL;
        char *error = NULL;

        assert_int_equal(read_str(text, lim, &doc, &error), err);
        assert_null(doc);
        assert_non_null(error);
        if (!strstr(error, message))
                print_error("message \"%s\" lacks \"%s\"\n", error, message);
        assert_non_null(strstr(error, message));
        free(error);
}

static void
test_ok(void **state)
{
        xmlDoc *doc = NULL;
        char *error = NULL, *t = NULL;
        xmlNode *root;

        (void) state;
        assert_int_equal(read_str("<network><name>a&amp;b<![CDATA[<c>]]></name></network>", NULL, &doc, &error), 0);
        assert_null(error);
        root = xmlDocGetRootElement(doc);
        assert_string_equal((const char *) root->name, "network");
        assert_int_equal(xml_node_text(root->children, 64, &t), 0);
        assert_string_equal(t, "a&b<c>"); /* predefined entities and CDATA are text */
        free(t);
        assert_int_equal(xml_node_text(root->children, 5, &t), -EFBIG);
        xmlFreeDoc(doc);
}

static void
test_doctype(void **state)
{
        const XmlReadLimits lim = {.what = "network XML"};

        (void) state;
        /* Entity expansion, the case in miniature. */
        expect_refused("<?xml version=\"1.0\"?>\n<!DOCTYPE network [\n<!ENTITY e \"xxxxxxxx\">\n]>\n"
                       "<network><name>&e;&e;&e;</name></network>",
                       &lim, -EBADMSG, "t.xml:2: a DOCTYPE is not allowed in network XML");
        /* External entity / DTD: never fetched, refused first. */
        expect_refused("<!DOCTYPE domain SYSTEM \"file:///etc/passwd\">\n<domain/>", NULL, -EBADMSG,
                       "t.xml:1: a DOCTYPE is not allowed");
        /* Parameter entities. */
        expect_refused("<!DOCTYPE d [<!ENTITY % p SYSTEM \"http://example.invalid/x\"> %p;]><d/>", NULL, -EBADMSG,
                       "a DOCTYPE is not allowed");
        /* Without a declaration an entity reference is an error, never looked up. */
        expect_refused("<domain>\n<name>&xxe;</name></domain>", NULL, -EBADMSG,
                       "t.xml:2: not well-formed XML: Entity 'xxe' not defined");
}

static void
test_limits(void **state)
{
        const XmlReadLimits lim = {.max_bytes = 16, .max_depth = 3};
        xmlDoc *doc = NULL;
        char *error = NULL;
        StrBuf b = {};

        (void) state;
        expect_refused("<a><b><c><d/></c></b></a>", &(XmlReadLimits) {.max_depth = 3}, -E2BIG,
                       "t.xml:1: elements nested deeper than 3");
        expect_refused("<a>0123456789abcdef</a>", &lim, -EFBIG, "t.xml: 23 bytes of XML, more than the 16 allowed");
        expect_refused("", NULL, -EBADMSG, "t.xml: empty input, not XML");
        expect_refused("<a>", NULL, -EBADMSG, "t.xml:1: not well-formed XML");
        /* The ceiling holds whatever the caller asks. */
        for (unsigned i = 0; i <= XML_DEPTH_MAX; i++)
                strbuf_append(&b, "<e>");
        assert_non_null(b.s);
        expect_refused(b.s, &(XmlReadLimits) {.max_depth = 1000}, -E2BIG, "nested deeper than 128");
        expect_refused(b.s, NULL, -E2BIG, "nested deeper than 64"); /* XML_DEPTH_DEFAULT */
        strbuf_done(&b);
        /* Without an error pointer the code alone comes back. */
        assert_int_equal(xml_read("<a>", 3, "x", NULL, &doc, NULL), -EBADMSG);
        assert_null(doc);
        assert_null(error);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_ok),
                cmocka_unit_test(test_doctype),
                cmocka_unit_test(test_limits),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
