/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Folding host reports into a fleet report (report-merge.h). */
#include <stdlib.h>
#include <string.h>

#include "report-diff.h"
#include "report-merge.h"
#include "util.h"

static const char *
or_empty(const char *s)
{
        return s ? s : "";
}

static void
finding_done(FleetFinding *x)
{
        free(x->id);
        free(x->subject);
        *x = (FleetFinding) {};
}

static void
host_done(FleetHost *h)
{
        free(h->label);
        free(h->hostname);
        free(h->kernel);
        free(h->started_at);
        free(h->tool_version);
        for (size_t i = 0; i < h->n_worst; i++)
                finding_done(&h->worst[i]);
        for (size_t i = 0; i < h->n_new_listed; i++)
                finding_done(&h->new_failures[i]);
}

void
fleet_done(Fleet *f)
{
        for (size_t i = 0; i < f->n_hosts; i++)
                host_done(&f->hosts[i]);
        free(f->hosts);
        for (size_t i = 0; i < f->n_checks; i++) {
                free(f->checks[i].id);
                free(f->checks[i].title);
                free(f->checks[i].category);
                free(f->checks[i].hosts);
        }
        free(f->checks);
        *f = (Fleet) {};
}

static int
finding_set(FleetFinding *x, const Result *res)
{
        *x = (FleetFinding) {
                .id = strdup(res->check->id),
                .subject = strdup(res->subject ? res->subject : "host"),
                .severity = res->check->severity,
                .status = res->status,
        };
        if (!x->id || !x->subject) {
                finding_done(x);
                return -ENOMEM;
        }
        return 0;
}

/* Worse first: a failure before an error (an error says nothing about the
 * host), then higher severity, then id and subject for a stable order. */
static int
result_worse_cmp(const Result *a, const Result *b)
{
        if (a->status != b->status)
                return a->status == STATUS_FAIL ? -1 : 1;
        if (a->check->severity != b->check->severity)
                return a->check->severity > b->check->severity ? -1 : 1;
        int c = strcmp(a->check->id, b->check->id);
        return c ? c : strcmp(or_empty(a->subject), or_empty(b->subject));
}

static bool
is_finding(const Result *res)
{
        return res->status == STATUS_FAIL || res->status == STATUS_ERROR;
}

/* Keeps the FLEET_WORST_MAX worst findings of @r, most severe first:
 * one pass, insertion into a short array. */
static int
host_set_worst(FleetHost *h, const Report *r)
{
        const Result *top[FLEET_WORST_MAX];
        size_t n = 0;

        for (size_t i = 0; i < r->results.n; i++) {
                const Result *res = &r->results.v[i];
                size_t k;

                if (!is_finding(res))
                        continue;
                h->n_findings++;
                if (n == FLEET_WORST_MAX && result_worse_cmp(res, top[n - 1]) >= 0)
                        continue;
                k = n < FLEET_WORST_MAX ? n++ : n - 1;
                while (k > 0 && result_worse_cmp(res, top[k - 1]) < 0) {
                        top[k] = top[k - 1];
                        k--;
                }
                top[k] = res;
        }
        for (size_t i = 0; i < n; i++) {
                if (finding_set(&h->worst[i], top[i]) < 0)
                        return -ENOMEM;
                h->n_worst = i + 1;
        }
        return 0;
}

static int
host_set_change(FleetHost *h, const Report *previous, const Report *current)
{
        ReportDiff d = {};
        int r;

        r = report_diff(previous, current, &d);
        if (r < 0)
                return r;
        h->has_previous = true;
        h->has_delta = d.has_delta;
        h->delta = d.delta;
        h->n_new_failures = (unsigned) d.new_failures.n;
        h->n_fixed = (unsigned) d.fixed.n;
        for (size_t i = 0; i < d.new_failures.n && i < FLEET_CHANGES_MAX; i++) {
                r = finding_set(&h->new_failures[i], d.new_failures.v[i].new);
                if (r < 0)
                        break;
                h->n_new_listed = i + 1;
        }
        report_diff_done(&d);
        return r < 0 ? r : 0;
}

static int
check_cmp_id(const void *key, const void *elem)
{
        return strcmp(key, ((const FleetCheck *) elem)->id);
}

/* The fleet's entry for @c, added in id order when new; NULL on OOM. */
static FleetCheck *
fleet_check(Fleet *f, const Check *c)
{
        /* bsearch() on no array at all is undefined (UBSan says so) */
        FleetCheck *x = f->n_checks > 0 ? bsearch(c->id, f->checks, f->n_checks, sizeof(FleetCheck), check_cmp_id)
                                        : NULL;
        size_t at = 0;

        if (x)
                return x;
        if (f->n_checks == f->n_checks_alloc) {
                size_t n = f->n_checks_alloc ? f->n_checks_alloc * 2 : 64;
                FleetCheck *v = reallocarray(f->checks, n, sizeof(FleetCheck));

                if (!v)
                        return NULL;
                f->checks = v;
                f->n_checks_alloc = n;
        }
        while (at < f->n_checks && strcmp(f->checks[at].id, c->id) < 0)
                at++;
        x = &f->checks[at];
        memmove(x + 1, x, (f->n_checks - at) * sizeof(FleetCheck));
        *x = (FleetCheck) {
                .id = strdup(c->id),
                .title = strdup(or_empty(c->title)),
                .category = strdup(or_empty(c->category)),
                .severity = c->severity,
        };
        f->n_checks++;
        if (!x->id || !x->title || !x->category)
                return NULL;    /* freed with the fleet */
        return x;
}

static int
check_add_host(FleetCheck *x, size_t host)
{
        if (x->n_hosts > 0 && x->hosts[x->n_hosts - 1] == host)
                return 0;       /* one host, several subjects: counted once */
        if (x->n_hosts == x->n_alloc) {
                size_t n = x->n_alloc ? x->n_alloc * 2 : 8;
                size_t *v = reallocarray(x->hosts, n, sizeof(size_t));

                if (!v)
                        return -ENOMEM;
                x->hosts = v;
                x->n_alloc = n;
        }
        x->hosts[x->n_hosts++] = host;
        return 0;
}

static char *
strdup_or_null(const char *s)
{
        return s ? strdup(s) : NULL;
}

int
fleet_add_host(Fleet *f, const char *label, const Report *current, const Report *previous)
{
        FleetHost *h;
        size_t index = f->n_hosts;
        int r;

        for (size_t i = 0; i < f->n_hosts; i++)
                if (streq(f->hosts[i].label, label))
                        return -EEXIST;
        if (f->n_hosts >= FLEET_HOSTS_MAX)
                return -E2BIG;
        if (f->n_hosts == f->n_hosts_alloc) {
                size_t n = f->n_hosts_alloc ? f->n_hosts_alloc * 2 : 64;
                FleetHost *v = reallocarray(f->hosts, n, sizeof(FleetHost));

                if (!v)
                        return -ENOMEM;
                f->hosts = v;
                f->n_hosts_alloc = n;
        }
        h = &f->hosts[f->n_hosts++];
        *h = (FleetHost) {
                .label = strdup(label),
                .hostname = strdup_or_null(current->hostname),
                .kernel = strdup_or_null(current->kernel),
                .started_at = strdup_or_null(current->started_at),
                .tool_version = strdup_or_null(current->tool_version),
                .has_score = current->has_score,
                .score = current->score,
        };
        if (!h->label || (current->hostname && !h->hostname) || (current->kernel && !h->kernel) ||
            (current->started_at && !h->started_at) || (current->tool_version && !h->tool_version))
                return -ENOMEM;
        for (Status s = 0; s < _STATUS_MAX; s++) {
                h->summary[s] = current->summary[s];
                f->summary[s] += current->summary[s];
        }
        r = host_set_worst(h, current);
        if (r < 0)
                return r;
        if (previous) {
                r = host_set_change(h, previous, current);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < current->results.n; i++) {
                const Result *res = &current->results.v[i];
                FleetCheck *x;

                if (res->status != STATUS_FAIL)
                        continue;
                x = fleet_check(f, res->check);
                if (!x)
                        return -ENOMEM;
                r = check_add_host(x, index);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Most hosts first, then severity, then id. */
static int
check_cmp_spread(const void *a, const void *b)
{
        const FleetCheck *x = a, *y = b;

        if (x->n_hosts != y->n_hosts)
                return x->n_hosts > y->n_hosts ? -1 : 1;
        if (x->severity != y->severity)
                return x->severity > y->severity ? -1 : 1;
        return strcmp(x->id, y->id);
}

void
fleet_finish(Fleet *f)
{
        double sum = 0;
        size_t n = 0;

        if (f->n_checks > 0)
                qsort(f->checks, f->n_checks, sizeof(FleetCheck), check_cmp_spread);
        for (size_t i = 0; i < f->n_hosts; i++)
                if (f->hosts[i].has_score) {
                        sum += f->hosts[i].score;
                        n++;
                }
        f->has_score = n > 0;
        f->score = n > 0 ? score_round1(sum / (double) n) : 0;
}
