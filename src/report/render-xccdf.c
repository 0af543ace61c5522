/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * XCCDF 1.2 results, as `oscap xccdf eval --results` writes them: a
 * Benchmark with one Group per category and one Rule per check (generated
 * from the checks of the report; CCI and SRG identifiers as ident, NIST
 * SP 800-53 controls as reference), followed by one TestResult with a
 * rule-result per result (check and object).  Tools that read SCAP results
 * (`oscap xccdf generate report`, SCAP result viewers) import it.
 *
 * Status mapping: pass and fail as such, error as error, skip as
 * notchecked (not evaluated, with the reason as message), waived as fail
 * with a message naming the waiver: XCCDF has no accepted-risk result,
 * and an override would claim an authority kvmaudit does not have.
 */
#include <libxml/tree.h>
#include <libxml/xmlsave.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "strv.h"
#include "text-escape.h"
#include "util.h"

#define XCCDF_NS "http://checklists.nist.gov/xccdf/1.2"
/* XCCDF 1.2 ids are xccdf_<reverse DNS>_<type>_<name>; kvmaudit.invalid
 * is the name its JSON schema uses. */
#define XCCDF_PREFIX "xccdf_invalid.kvmaudit_"
#define DC_NS "http://purl.org/dc/elements/1.1/"
/* The "checking system" of a rule: kvmaudit's own catalogue. */
#define CHECK_SYSTEM "https://kvmaudit.invalid/check-format"
#define CCI_SYSTEM "http://cyber.mil/cci"
#define NIST_HREF "https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final"
#define SRG_HREF "https://public.cyber.mil/stigs/downloads/?_dl_facet_stigs=app-security%2Cvirtualization"
/* TestResult needs an end time; --reproducible reports record none. */
#define XCCDF_NO_TIME "1970-01-01T00:00:00Z"

static void
xml_doc_freep(xmlDoc **d)
{
        if (*d)
                xmlFreeDoc(*d);
}

/* What XML 1.0 cannot carry becomes a visible escape first (as in
 * render-junit.c); libxml2 writes the entities. */
static int
set_prop(xmlNode *n, const char *name, const char *value)
{
        _cleanup_free_ char *v = text_escape(ESCAPE_LINES, value);

        if (!v || !xmlNewProp(n, BAD_CAST name, BAD_CAST v))
                return -ENOMEM;
        return 0;
}

static xmlNode *
child(xmlNode *parent, const char *name, const char *text)
{
        _cleanup_free_ char *t = NULL;

        if (text && !(t = text_escape(ESCAPE_LINES, text)))
                return NULL;
        return xmlNewTextChild(parent, NULL, BAD_CAST name, BAD_CAST t);
}

/* XCCDF severities: unknown, info, low, medium, high. */
static const char *
xccdf_severity(Severity s)
{
        return s == SEVERITY_CRITICAL ? "high" : severity_to_string(s);
}

static const char *
xccdf_result(Status s)
{
        switch (s) {
        case STATUS_PASS:
                return "pass";
        case STATUS_FAIL:
        case STATUS_WAIVED:
                return "fail";
        case STATUS_ERROR:
                return "error";
        default:
                return "notchecked";
        }
}

static char *
rule_id(const Check *c)
{
        return xasprintf(XCCDF_PREFIX "rule_%s", c->id);
}

/* The identifiers of @c: CCI and SRG as ident, NIST as reference.  In a
 * Rule, references come before idents (@refs false: only idents, for a
 * rule-result). */
static int
add_controls(xmlNode *n, const Check *c, bool refs, bool idents)
{
        xmlNode *x;

        if (refs)
                STRV_FOREACH(id, c->controls[FRAMEWORK_NIST_800_53])
                        if (!(x = child(n, "reference", *id)) || set_prop(x, "href", NIST_HREF) < 0)
                                return -ENOMEM;
        if (refs)
                STRV_FOREACH(id, c->controls[FRAMEWORK_VMM_SRG])
                        if (!(x = child(n, "reference", *id)) || set_prop(x, "href", SRG_HREF) < 0)
                                return -ENOMEM;
        if (idents)
                STRV_FOREACH(id, c->controls[FRAMEWORK_CCI])
                        if (!(x = child(n, "ident", *id)) || set_prop(x, "system", CCI_SYSTEM) < 0)
                                return -ENOMEM;
        return 0;
}

/* <check> naming the catalogue entry that decided the rule. */
static int
add_check_ref(xmlNode *n, const Check *c)
{
        xmlNode *chk = xmlNewChild(n, NULL, BAD_CAST "check", NULL), *ref;

        if (!chk || set_prop(chk, "system", CHECK_SYSTEM) < 0)
                return -ENOMEM;
        ref = xmlNewChild(chk, NULL, BAD_CAST "check-content-ref", NULL);
        if (!ref || set_prop(ref, "href", "kvmaudit-catalogue") < 0 || set_prop(ref, "name", c->id) < 0)
                return -ENOMEM;
        return 0;
}

static int
add_rule(xmlNode *group, const Check *c)
{
        _cleanup_free_ char *id = rule_id(c);
        char weight[16];
        xmlNode *rule;

        snprintf(weight, sizeof(weight), "%u.0", severity_weight(c->severity));
        rule = xmlNewChild(group, NULL, BAD_CAST "Rule", NULL);
        if (!id || !rule || set_prop(rule, "id", id) < 0 || set_prop(rule, "selected", "true") < 0 ||
            set_prop(rule, "severity", xccdf_severity(c->severity)) < 0 || set_prop(rule, "weight", weight) < 0)
                return -ENOMEM;
        /* the rationale is the description: a check's "expected" differs
         * per result for some evaluators, and a report read back must
         * render the same rule */
        if (!child(rule, "title", c->title) || !child(rule, "description", c->rationale))
                return -ENOMEM;
        STRV_FOREACH(ref, c->refs) {
                xmlNode *x = child(rule, "reference", *ref);
                if (!x || set_prop(x, "href", *ref) < 0)
                        return -ENOMEM;
        }
        if (add_controls(rule, c, true, false) < 0 || add_controls(rule, c, false, true) < 0 || !child(rule, "fixtext", c->remediation) ||
            add_check_ref(rule, c) < 0)
                return -ENOMEM;
        return 0;
}

static int
add_rule_result(xmlNode *tr, const Result *res, const char *time)
{
        _cleanup_free_ char *id = rule_id(res->check), *msg = NULL;
        xmlNode *rr, *m, *inst;

        rr = xmlNewChild(tr, NULL, BAD_CAST "rule-result", NULL);
        if (!id || !rr || set_prop(rr, "idref", id) < 0 || set_prop(rr, "time", time) < 0 ||
            set_prop(rr, "severity", xccdf_severity(res->check->severity)) < 0)
                return -ENOMEM;
        if (!child(rr, "result", xccdf_result(res->status)) || add_controls(rr, res->check, false, true) < 0)
                return -ENOMEM;
        if (res->status == STATUS_WAIVED)
                msg = xasprintf("waived: %s", strna(res->waiver));
        else if (res->status == STATUS_PASS || res->status == STATUS_FAIL)
                msg = xasprintf("observed: %s; expected: %s", strna(res->observed), strna(res->expected));
        else
                msg = strdup(strna(res->observed));
        m = msg ? child(rr, "message", msg) : NULL;
        if (!m || set_prop(m, "severity", res->status == STATUS_ERROR ? "error" : "info") < 0)
                return -ENOMEM;
        /* the object of a per-object result: host, a path, domain:NAME, process:PID */
        inst = child(rr, "instance", res->subject);
        if (!inst || set_prop(inst, "context", "kvmaudit-subject") < 0 || add_check_ref(rr, res->check) < 0)
                return -ENOMEM;
        return 0;
}

static int
build_doc(const Report *r, xmlDoc *doc)
{
        const char *time = r->started_at ? r->started_at : XCCDF_NO_TIME;
        xmlNode *root, *tr, *x;
        xmlNs *ns, *dc;
        char score[32];
        int q;

        root = xmlNewDocNode(doc, NULL, BAD_CAST "Benchmark", NULL);
        if (!root)
                return -ENOMEM;
        xmlDocSetRootElement(doc, root);
        ns = xmlNewNs(root, BAD_CAST XCCDF_NS, NULL);
        if (!ns)
                return -ENOMEM;
        xmlSetNs(root, ns);
        if (set_prop(root, "id", XCCDF_PREFIX "benchmark_kvmaudit") < 0 || set_prop(root, "resolved", "1") < 0)
                return -ENOMEM;
        xmlNodeSetLang(root, BAD_CAST "en");
        if (!child(root, "status", "draft") || !child(root, "title", "kvmaudit: KVM host security audit") ||
            !child(root, "description",
                   "The checks of this kvmaudit report as XCCDF rules: one group per category, with their "
                   "NIST SP 800-53 rev. 5 controls and DISA VMM SRG requirements as references and CCIs as "
                   "idents (docs/compliance/)."))
                return -ENOMEM;
        /* the checks read Linux hosts (the URI binding: oscap 1.3 refuses the
         * formatted-string binding the schematron prefers, and warns about this
         * one); the Dublin Core creator is what
         * the schematron rules of XCCDF 1.2.1 section 6.2.4 ask for */
        x = xmlNewChild(root, NULL, BAD_CAST "platform", NULL);
        if (!x || set_prop(x, "idref", "cpe:/o:linux:linux_kernel") < 0)
                return -ENOMEM;
        if (!child(root, "version", r->tool_version ? r->tool_version : "unknown"))
                return -ENOMEM;
        x = xmlNewChild(root, NULL, BAD_CAST "metadata", NULL);
        dc = x ? xmlNewNs(x, BAD_CAST DC_NS, BAD_CAST "dc") : NULL;
        if (!dc || !xmlNewTextChild(x, dc, BAD_CAST "creator", BAD_CAST "kvmaudit"))
                return -ENOMEM;

        /* Results are sorted by category, then id: a Group per category,
         * a Rule per check. */
        for (size_t i = 0; i < r->results.n;) {
                const char *cat = r->results.v[i].check->category;
                _cleanup_free_ char *gid = xasprintf(XCCDF_PREFIX "group_%s", cat);
                xmlNode *g = xmlNewChild(root, NULL, BAD_CAST "Group", NULL);

                if (!gid || !g || set_prop(g, "id", gid) < 0 || !child(g, "title", cat))
                        return -ENOMEM;
                for (; i < r->results.n && streq(r->results.v[i].check->category, cat); i++) {
                        if (i > 0 && r->results.v[i - 1].check == r->results.v[i].check)
                                continue;
                        q = add_rule(g, r->results.v[i].check);
                        if (q < 0)
                                return q;
                }
        }

        tr = xmlNewChild(root, NULL, BAD_CAST "TestResult", NULL);
        if (!tr || set_prop(tr, "id", XCCDF_PREFIX "testresult_kvmaudit") < 0 ||
            set_prop(tr, "start-time", time) < 0 || set_prop(tr, "end-time", time) < 0 ||
            set_prop(tr, "test-system", "kvmaudit") < 0 ||
            (r->tool_version && set_prop(tr, "version", r->tool_version) < 0))
                return -ENOMEM;
        x = xmlNewChild(tr, NULL, BAD_CAST "benchmark", NULL);
        if (!x || set_prop(x, "href", "#" XCCDF_PREFIX "benchmark_kvmaudit") < 0 ||
            set_prop(x, "id", XCCDF_PREFIX "benchmark_kvmaudit") < 0)
                return -ENOMEM;
        /* (oscap 1.3 warns about <remark>, so the note goes in the title) */
        if (!child(tr, "title", r->started_at ? "kvmaudit scan"
                                              : "kvmaudit scan (times not recorded, --reproducible: placeholders)"))
                return -ENOMEM;
        if (!child(tr, "target", r->hostname ? r->hostname : (r->root ? r->root : "unknown")))
                return -ENOMEM;
        for (size_t i = 0; i < r->results.n; i++) {
                q = add_rule_result(tr, &r->results.v[i], time);
                if (q < 0)
                        return q;
        }
        snprintf(score, sizeof(score), "%.1f", r->has_score ? r->score : 0.0);
        x = child(tr, "score", score);
        if (!x || set_prop(x, "system", "urn:kvmaudit:scoring:severity-weighted") < 0 ||
            set_prop(x, "maximum", "100") < 0)
                return -ENOMEM;
        return 0;
}

int
render_xccdf(const Report *r, const RenderOptions *o, FILE *out)
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
