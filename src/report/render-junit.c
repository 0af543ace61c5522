/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* JUnit XML for CI dashboards (Jenkins, GitLab): one testsuite per
 * category, one testcase per result.  Built with libxml2's tree API so
 * that escaping is libxml2's job, never ours. */
#include <libxml/tree.h>
#include <libxml/xmlsave.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "strv.h"
#include "text-escape.h"
#include "util.h"

static void
xml_doc_freep(xmlDoc **d)
{
        if (*d)
                xmlFreeDoc(*d);
}

/*
 * The XML must stay well-formed whatever a catalogue, host or report
 * string holds, and libxml2 does not help: it writes what XML 1.0 cannot
 * carry (C0 controls, U+FFFE, U+FFFF, bytes that are not UTF-8) and then
 * fails with "output error", dropping it and its neighbour.  Such
 * characters become visible escapes first (text-escape.h, ESCAPE_LINES);
 * libxml2 still writes the entities.  Returns a copy (caller frees) or
 * NULL on OOM.
 */
static char *
xml_clean(const char *s)
{
        return text_escape(ESCAPE_LINES, s);
}

/* Sets @name to @value; a NULL @value is left out.  0 or -ENOMEM. */
static int
set_prop(xmlNode *n, const char *name, const char *value)
{
        _cleanup_free_ char *v = NULL;

        if (!value)
                return 0;
        v = xml_clean(value);
        if (!v || !xmlNewProp(n, BAD_CAST name, BAD_CAST v))
                return -ENOMEM;
        return 0;
}

static int
set_prop_uint(xmlNode *n, const char *name, unsigned value)
{
        char buf[16];

        snprintf(buf, sizeof(buf), "%u", value);
        return set_prop(n, name, buf);
}

/* The JUnit counters: waived results are reported as skipped.  Jenkins'
 * junit-10.xsd (tests/schemas/vendor/) allows "skipped" on <testsuite>
 * only, not on <testsuites>. */
static int
set_counts(xmlNode *n, const unsigned *c, bool suite)
{
        unsigned tests = 0;

        for (Status s = 0; s < _STATUS_MAX; s++)
                tests += c[s];
        if (set_prop_uint(n, "tests", tests) < 0 || set_prop_uint(n, "failures", c[STATUS_FAIL]) < 0 ||
            set_prop_uint(n, "errors", c[STATUS_ERROR]) < 0 ||
            (suite && set_prop_uint(n, "skipped", c[STATUS_SKIP] + c[STATUS_WAIVED]) < 0))
                return -ENOMEM;
        return 0;
}

/* A child element with escaped text content (NULL for none). */
static xmlNode *
new_child(xmlNode *parent, const char *name, const char *text)
{
        _cleanup_free_ char *t = NULL;

        if (text) {
                t = xml_clean(text);
                if (!t)
                        return NULL;
        }
        return xmlNewTextChild(parent, NULL, BAD_CAST name, BAD_CAST t);
}

static int
add_property(xmlNode *props, const char *name, const char *value)
{
        xmlNode *p;

        if (!value)
                return 0;
        p = new_child(props, "property", NULL);
        if (!p || set_prop(p, "name", name) < 0 || set_prop(p, "value", value) < 0)
                return -ENOMEM;
        return 0;
}

static int
add_testcase(xmlNode *suite, const Result *res)
{
        const Check *c = res->check;
        _cleanup_free_ char *name = NULL, *text = NULL, *msg = NULL;
        xmlNode *tc, *n;

        name = streq(res->subject, "host") ? strdup(c->id) : xasprintf("%s [%s]", c->id, res->subject);
        tc = new_child(suite, "testcase", NULL);
        if (!name || !tc || set_prop(tc, "classname", c->category) < 0 || set_prop(tc, "name", name) < 0)
                return -ENOMEM;
        switch (res->status) {
        case STATUS_FAIL:
                text = xasprintf("observed: %s\nexpected: %s\nremediation: %s", strna(res->observed),
                                 strna(res->expected), strna(c->remediation));
                n = text ? new_child(tc, "failure", text) : NULL;
                if (!n || set_prop(n, "message", c->title) < 0 ||
                    set_prop(n, "type", severity_to_string(c->severity)) < 0)
                        return -ENOMEM;
                break;
        case STATUS_ERROR:
                n = new_child(tc, "error", res->observed);
                if (!n || set_prop(n, "message", strna(res->observed)) < 0)
                        return -ENOMEM;
                break;
        case STATUS_SKIP:
                n = new_child(tc, "skipped", NULL);
                if (!n || set_prop(n, "message", strna(res->observed)) < 0)
                        return -ENOMEM;
                break;
        case STATUS_WAIVED:
                msg = xasprintf("waived: %s", strna(res->waiver));
                n = msg ? new_child(tc, "skipped", NULL) : NULL;
                if (!n || set_prop(n, "message", msg) < 0)
                        return -ENOMEM;
                break;
        default:
                break;
        }
        return 0;
}

/* The report's metadata, which junit-10.xsd allows in a <testsuite>'s
 * <properties> only: repeated in each suite, with the category's own
 * score next to the host's. */
static int
add_properties(xmlNode *suite, const Report *r, const CategoryStats *cat)
{
        xmlNode *props = new_child(suite, "properties", NULL);
        char score[32], cat_score[32], coverage[32], cat_coverage[32], counts[64], cat_counts[64];

        if (!props)
                return -ENOMEM;
        snprintf(score, sizeof(score), "%.1f", r->score);
        snprintf(cat_score, sizeof(cat_score), "%.1f", cat->score);
        /* Coverage next to the score: a CI job reading only JUnit sees how
         * much of the selection was judged (issue 14). */
        snprintf(coverage, sizeof(coverage), "%.1f", r->coverage);
        snprintf(cat_coverage, sizeof(cat_coverage), "%.1f",
                 cat->checks ? score_round1(100.0 * cat->judged / cat->checks) : 0.0);
        snprintf(counts, sizeof(counts), "%u of %u", r->judged, r->checks);
        snprintf(cat_counts, sizeof(cat_counts), "%u of %u", cat->judged, cat->checks);
        if (add_property(props, "score", r->has_score ? score : NULL) < 0 ||
            add_property(props, "category_score", cat->has_score ? cat_score : NULL) < 0 ||
            add_property(props, "coverage", coverage) < 0 || add_property(props, "checks_judged", counts) < 0 ||
            add_property(props, "category_coverage", cat_coverage) < 0 ||
            add_property(props, "category_checks_judged", cat_counts) < 0 ||
            add_property(props, "tool_version", r->tool_version) < 0 ||
            add_property(props, "hostname", r->hostname) < 0 || add_property(props, "kernel", r->kernel) < 0)
                return -ENOMEM;
        /* Each check's control identifiers, "CHECK:FRAMEWORK" = "ID, ID":
         * junit-10.xsd has no <properties> in a <testcase>, so they sit with
         * the suite's (results are sorted by check: one entry per check). */
        for (size_t i = 0; i < r->results.n; i++) {
                const Check *c = r->results.v[i].check;

                if (!streq(c->category, cat->name) || (i > 0 && r->results.v[i - 1].check == c))
                        continue;
                for (Framework f = 0; f < _FRAMEWORK_MAX; f++) {
                        _cleanup_free_ char *name = NULL, *ids = NULL;

                        if (!c->controls[f])
                                continue;
                        name = xasprintf("%s:%s", c->id, framework_to_string(f));
                        ids = strv_join(c->controls[f], ", ");
                        if (!name || !ids || add_property(props, name, ids) < 0)
                                return -ENOMEM;
                }
        }
        return 0;
}

static int
build_doc(const Report *r, xmlDoc *doc)
{
        xmlNode *root;

        root = xmlNewDocNode(doc, NULL, BAD_CAST "testsuites", NULL);
        if (!root)
                return -ENOMEM;
        xmlDocSetRootElement(doc, root);
        if (set_prop(root, "name", "kvmaudit") < 0 || set_counts(root, r->summary, false) < 0)
                return -ENOMEM;

        for (size_t k = 0; k < r->n_categories; k++) {
                const CategoryStats *cat = &r->categories[k];
                xmlNode *suite = new_child(root, "testsuite", NULL);

                if (!suite || set_prop(suite, "name", cat->name) < 0 || set_counts(suite, cat->counts, true) < 0 ||
                    set_prop(suite, "hostname", r->hostname) < 0 || add_properties(suite, r, cat) < 0)
                        return -ENOMEM;
                for (size_t i = 0; i < r->results.n; i++) {
                        int q;

                        if (!streq(r->results.v[i].check->category, cat->name))
                                continue;
                        q = add_testcase(suite, &r->results.v[i]);
                        if (q < 0)
                                return q;
                }
        }
        return 0;
}

int
render_junit(const Report *r, const RenderOptions *o, FILE *out)
{
        _cleanup_(xml_doc_freep) xmlDoc *doc = NULL;
        int q;

        (void) o;
        doc = xmlNewDoc(BAD_CAST "1.0");
        if (!doc)
                return -ENOMEM;
        q = build_doc(r, doc);
        if (q < 0)
                return q;
        if (xmlDocFormatDump(out, doc, 1) < 0)
                return -EIO;
        return ferror(out) ? -EIO : 0;
}
