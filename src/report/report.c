/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "strv.h"
#include "util.h"

void
report_done(Report *r)
{
        free(r->tool_version);
        free(r->hostname);
        free(r->kernel);
        free(r->root);
        free(r->libvirt_uri);
        free(r->started_at);
        free(r->kconfig_source);
        free(r->selection.gate);
        strv_free(r->selection.only);
        strv_free(r->selection.skip);
        free(r->selection.waivers);
        free(r->selection.waivers_sha256);
        strv_free(r->warnings);
        results_done(&r->results);
        for (size_t i = 0; i < r->n_categories; i++)
                free(r->categories[i].name);
        free(r->categories);
        for (size_t i = 0; i < r->n_controls; i++) {
                free(r->controls[i].id);
                strv_free(r->controls[i].checks);
                strv_free(r->controls[i].failing);
        }
        free(r->controls);
        *r = (Report) {};
}

static const char *const control_status_table[_CONTROL_STATUS_MAX] = {
        [CONTROL_PASS] = "pass",
        [CONTROL_FAIL] = "fail",
        [CONTROL_WAIVED] = "waived",
        [CONTROL_NOT_ASSESSED] = "not-assessed",
};
_Static_assert(ELEMENTSOF(control_status_table) == _CONTROL_STATUS_MAX, "control_status_table out of sync");

const char *
control_status_to_string(ControlStatus s)
{
        return s >= 0 && s < _CONTROL_STATUS_MAX ? control_status_table[s] : NULL;
}

static ControlView *
control_get(Report *r, const char *id)
{
        ControlView *n;

        for (size_t i = 0; i < r->n_controls; i++)
                if (streq(r->controls[i].id, id))
                        return &r->controls[i];
        n = realloc(r->controls, (r->n_controls + 1) * sizeof(ControlView));
        if (!n)
                return NULL;
        r->controls = n;
        r->controls[r->n_controls] = (ControlView) {.id = strdup(id)};
        if (!r->controls[r->n_controls].id)
                return NULL;
        return &r->controls[r->n_controls++];
}

/* "AC-6(9)" before "AC-6(10)", "SC-7" before "SC-39": numbers compare as numbers. */
static int
cmp_control(const void *a, const void *b)
{
        return strverscmp(((const ControlView *) a)->id, ((const ControlView *) b)->id);
}

int
report_controls(Report *r, Framework f)
{
        for (size_t i = 0; i < r->n_controls; i++) {
                free(r->controls[i].id);
                strv_free(r->controls[i].checks);
                strv_free(r->controls[i].failing);
        }
        free(r->controls);
        r->controls = NULL;
        r->n_controls = 0;
        r->has_framework = f >= 0 && f < _FRAMEWORK_MAX;
        r->framework = f;
        if (!r->has_framework)
                return 0;

        for (size_t i = 0; i < r->results.n; i++) {
                const Result *res = &r->results.v[i];

                STRV_FOREACH(id, res->check->controls[f]) {
                        ControlView *v = control_get(r, *id);

                        if (!v)
                                return -ENOMEM;
                        v->counts[res->status]++;
                        if (!strv_contains(v->checks, res->check->id) && strv_extend(&v->checks, res->check->id) < 0)
                                return -ENOMEM;
                        if (res->status == STATUS_FAIL && !strv_contains(v->failing, res->check->id) &&
                            strv_extend(&v->failing, res->check->id) < 0)
                                return -ENOMEM;
                }
        }
        for (size_t i = 0; i < r->n_controls; i++) {
                ControlView *v = &r->controls[i];

                strv_sort(v->checks);
                strv_sort(v->failing);
                v->status = v->counts[STATUS_FAIL] > 0     ? CONTROL_FAIL
                            : v->counts[STATUS_WAIVED] > 0 ? CONTROL_WAIVED
                            : v->counts[STATUS_PASS] > 0   ? CONTROL_PASS
                                                           : CONTROL_NOT_ASSESSED;
        }
        if (r->n_controls > 1)
                qsort(r->controls, r->n_controls, sizeof(ControlView), cmp_control);
        return 0;
}

double
score_round1(double v)
{
        /* The sums are ratios of small integers; the nudge keeps 72.45
         * computed as 72.4499999 from rounding down. */
        return round(v * 10.0 + (v >= 0 ? 1e-9 : -1e-9)) / 10.0;
}

typedef struct Acc {
        double earned, total;
} Acc;

/* Adds one check's contribution: weight x passing / (passing + failing). */
static void
acc_add(Acc *a, unsigned weight, unsigned pass, unsigned fail)
{
        if (weight == 0 || pass + fail == 0)
                return;
        a->earned += (double) weight * pass / (pass + fail);
        a->total += weight;
}

static CategoryStats *
category_get(Report *r, const char *name)
{
        for (size_t i = 0; i < r->n_categories; i++)
                if (streq(r->categories[i].name, name))
                        return &r->categories[i];
        CategoryStats *n = realloc(r->categories, (r->n_categories + 1) * sizeof(CategoryStats));
        if (!n)
                return NULL;
        r->categories = n;
        r->categories[r->n_categories] = (CategoryStats) {.name = strdup(name)};
        if (!r->categories[r->n_categories].name)
                return NULL;
        return &r->categories[r->n_categories++];
}

int
report_score(Report *r)
{
        Acc all = {};

        results_sort(&r->results);
        memset(r->summary, 0, sizeof(r->summary));
        /* Scoring again (after waivers, say) starts from nothing. */
        for (size_t k = 0; k < r->n_categories; k++)
                free(r->categories[k].name);
        free(r->categories);
        r->categories = NULL;
        r->n_categories = 0;

        r->checks = r->judged = 0;
        /* Results are sorted by category then id: walk check by check. */
        for (size_t i = 0; i < r->results.n;) {
                const Check *c = r->results.v[i].check;
                CategoryStats *cat = category_get(r, c->category);
                unsigned pass = 0, fail = 0;
                bool judged = false;
                size_t j;

                if (!cat)
                        return -ENOMEM;
                for (j = i; j < r->results.n && r->results.v[j].check == c; j++) {
                        Status s = r->results.v[j].status;
                        r->summary[s]++;
                        cat->counts[s]++;
                        pass += s == STATUS_PASS;
                        fail += s == STATUS_FAIL;
                        /* A skip is no evidence, however right it is:
                         * coverage counts what was actually judged. */
                        judged = judged || s == STATUS_PASS || s == STATUS_FAIL || s == STATUS_WAIVED;
                }
                acc_add(&all, severity_weight(c->severity), pass, fail);
                cat->checks++;
                cat->judged += judged;
                r->checks++;
                r->judged += judged;
                i = j;
        }
        r->coverage = r->checks ? score_round1(100.0 * r->judged / r->checks) : 0;
        r->has_score = all.total > 0;
        r->score = r->has_score ? score_round1(100.0 * all.earned / all.total) : 0;

        for (size_t k = 0; k < r->n_categories; k++) {
                CategoryStats *cat = &r->categories[k];
                Acc a = {};

                for (size_t i = 0; i < r->results.n;) {
                        const Check *c = r->results.v[i].check;
                        unsigned pass = 0, fail = 0;
                        size_t j;

                        for (j = i; j < r->results.n && r->results.v[j].check == c; j++) {
                                pass += r->results.v[j].status == STATUS_PASS;
                                fail += r->results.v[j].status == STATUS_FAIL;
                        }
                        if (streq(c->category, cat->name))
                                acc_add(&a, severity_weight(c->severity), pass, fail);
                        i = j;
                }
                cat->has_score = a.total > 0;
                cat->score = cat->has_score ? score_round1(100.0 * a.earned / a.total) : 0;
        }
        return 0;
}

bool
report_gate_failed(const Report *r, double fail_under, int fail_on)
{
        if (fail_under >= 0 && r->has_score && r->score < fail_under)
                return true;
        if (fail_on >= 0)
                for (size_t i = 0; i < r->results.n; i++)
                        if (r->results.v[i].status == STATUS_FAIL && (int) r->results.v[i].check->severity >= fail_on)
                                return true;
        return false;
}

static const Renderer renderers[] = {
        {"html", render_html},
        {"json", render_json},
        {"junit", render_junit},
        {"markdown", render_markdown},
        {"prometheus", render_prometheus},
        {"sarif", render_sarif},
        {"text", render_text},
        {"xccdf", render_xccdf},
};

const Renderer *
renderer_find(const char *name)
{
        for (size_t i = 0; i < ELEMENTSOF(renderers); i++)
                if (streq(renderers[i].name, name))
                        return &renderers[i];
        return NULL;
}

const char *
renderer_names(void)
{
        return "text, json, junit, markdown, sarif, prometheus, html, xccdf";
}
