/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "check-objects.h"
#include "strv.h"
#include "util.h"

static void
domain_set_free(void *p)
{
        DomainSet *ds = p;

        if (!ds)
                return;
        for (size_t i = 0; i < ds->n; i++) {
                free(ds->v[i].name);
                free(ds->v[i].subject);
                free(ds->v[i].error);
                domain_free(ds->v[i].model);
        }
        free(ds->v);
        free(ds);
}

static int
domain_set_build(FactStore *facts, const Fact *list, DomainSet **ret)
{
        DomainSet *ds = calloc(1, sizeof(*ds));
        size_t n = strv_length(list->list);

        if (!ds)
                return -ENOMEM;
        ds->v = calloc(n ? n : 1, sizeof(DomainEntry));
        if (!ds->v) {
                free(ds);
                return -ENOMEM;
        }
        for (size_t i = 0; i < n; i++) {
                DomainEntry *e = &ds->v[ds->n++];
                const char *name = list->list[i];
                const Fact *xml = fact_store_get2(facts, "domain", name);
                const Fact *state = fact_store_get2(facts, "domainstate", name);

                e->name = strdup(name);
                e->subject = xasprintf("domain:%s", name);
                if (!e->name || !e->subject) {
                        domain_set_free(ds);
                        return -ENOMEM;
                }
                e->state = state->kind == FACT_STRING ? state->string : NULL;
                if (xml->kind == FACT_STRING) {
                        _cleanup_free_ char *origin = xasprintf("domain %s", name);
                        int r = domain_parse(xml->string, strlen(xml->string), origin ? origin : name, &e->model,
                                             &e->error);
                        if (r == -ENOMEM) {
                                domain_set_free(ds);
                                return r;
                        }
                        if (r < 0 && !e->error)
                                e->error = strdup(strerror(-r));
                } else
                        e->error = strdup(xml->kind == FACT_ERROR && xml->string ? xml->string
                                                                                  : "no domain definition");
        }
        *ret = ds;
        return 0;
}

const DomainSet *
eval_domains(EvalContext *ctx, const Fact **ret_list)
{
        const Fact *list = fact_store_get(ctx->facts, "libvirt:domains");
        DomainSet *ds;

        *ret_list = list;
        if (list->kind != FACT_LIST)
                return NULL;
        ds = fact_store_attachment(ctx->facts, "domains");
        if (ds)
                return ds;
        if (domain_set_build(ctx->facts, list, &ds) < 0)
                return NULL;
        if (fact_store_attach(ctx->facts, "domains", ds, domain_set_free) < 0) {
                domain_set_free(ds);
                return NULL;
        }
        return ds;
}

bool
domain_entry_running(const DomainEntry *e)
{
        return e->state && (streq(e->state, "running") || streq(e->state, "paused") || streq(e->state, "blocked") ||
                            streq(e->state, "pmsuspended"));
}

int
eval_for_each_domain(EvalContext *ctx, DomainFunc fn, void *userdata)
{
        const Fact *list;
        const DomainSet *ds = eval_domains(ctx, &list);
        int r;

        if (!ds) {
                if ((r = eval_fact_unusable(ctx, "host", list)) != 0)
                        return r < 0 ? r : 0;
                if (list->kind == FACT_ABSENT)
                        return eval_emit(ctx, STATUS_SKIP, "host", "no libvirt domain source", NULL);
                return -ENOMEM;
        }
        if (ds->n == 0) {
                const Fact *src = fact_store_get(ctx->facts, "libvirt:source");
                return eval_emitf(ctx, STATUS_SKIP, "host", "no libvirt domains defined (source: %s)",
                                  src->kind == FACT_STRING ? src->string : "unknown");
        }
        for (size_t i = 0; i < ds->n; i++) {
                const DomainEntry *e = &ds->v[i];

                if (!e->model)
                        r = eval_emitf(ctx, STATUS_ERROR, e->subject, "%s", e->error ? e->error : "unparsable definition");
                else
                        r = fn(ctx, e, userdata);
                if (r < 0)
                        return r;
        }
        return 0;
}

const Fact *
eval_process_fact(EvalContext *ctx, const char *pid, const char *field)
{
        _cleanup_free_ char *key = xasprintf("process:%s/%s", pid, field);

        return fact_store_get(ctx->facts, key ? key : "process:?");
}

char *
eval_process_subject(EvalContext *ctx, const char *pid)
{
        const Fact *name = eval_process_fact(ctx, pid, "name"), *uuid = eval_process_fact(ctx, pid, "uuid");

        /* The VM, not the PID: a PID changes at every restart, and diff,
         * SARIF fingerprints, JUnit names and Prometheus series would
         * churn with it.  The PID stays in the evidence. */
        if (name->kind == FACT_STRING && uuid->kind == FACT_STRING)
                return xasprintf("process:%s/%s", name->string, uuid->string);
        if (name->kind == FACT_STRING)
                return xasprintf("process:%s", name->string);
        return xasprintf("process:%s", pid);
}

int
eval_for_each_process(EvalContext *ctx, ProcessFunc fn, void *userdata)
{
        const Fact *pids = fact_store_get(ctx->facts, "qemu:pids");
        int r;

        if ((r = eval_fact_unusable(ctx, "host", pids)) != 0)
                return r < 0 ? r : 0;
        if (pids->kind != FACT_LIST || !pids->list || !pids->list[0])
                return eval_emit(ctx, STATUS_SKIP, "host", "no running QEMU process", NULL);
        STRV_FOREACH(p, pids->list) {
                _cleanup_free_ char *subject = eval_process_subject(ctx, *p);
                size_t before = ctx->out->n;

                if (!subject)
                        return -ENOMEM;
                r = fn(ctx, *p, subject, userdata);
                if (r < 0)
                        return r;
                for (size_t i = before; i < ctx->out->n; i++) {
                        Result *res = &ctx->out->v[i];
                        char *o;

                        if (!streq(res->subject, subject) || streq(subject + strlen("process:"), *p))
                                continue;
                        o = xasprintf("pid %s: %s", *p, res->observed ? res->observed : "");
                        if (!o)
                                return -ENOMEM;
                        free(res->observed);
                        res->observed = o;
                }
        }
        return 0;
}

char *const daemon_names_all[] = {"libvirtd", "virtqemud", "virtproxyd", NULL};

int
eval_for_each_daemon(EvalContext *ctx, char *const *names, DaemonObjFunc fn, void *userdata)
{
        unsigned n = 0;
        int r;

        if (!names)
                names = daemon_names_all;
        STRV_FOREACH(name, names) {
                _cleanup_free_ char *path = xasprintf("/etc/libvirt/%s.conf", *name);
                _cleanup_free_ char *conf = xasprintf("%s.conf", *name);
                _cleanup_free_ char *any_key = xasprintf("%s.conf:audit_level", *name);
                _cleanup_free_ char *binary = xasprintf("/usr/sbin/%s", *name);
                const Fact *any, *meta, *bin;

                if (!path || !conf || !any_key || !binary)
                        return -ENOMEM;
                /* Any key loads the file; a parse error fails every key. */
                any = fact_store_get(ctx->facts, any_key);
                if ((r = eval_fact_unusable(ctx, path, any)) != 0) {
                        if (r < 0)
                                return r;
                        n++;
                        continue;
                }
                meta = fact_store_get2(ctx->facts, "meta", conf);
                if (meta->kind != FACT_STRING) {
                        bin = fact_store_get2(ctx->facts, "stat", binary);
                        if (bin->kind == FACT_ABSENT)
                                continue;
                        if ((r = eval_fact_unusable(ctx, path, bin)) != 0) {
                                if (r < 0)
                                        return r;
                                n++;
                                continue;
                        }
                }
                n++;
                r = fn(ctx, *name, path, userdata);
                if (r < 0)
                        return r;
        }
        if (n == 0) {
                StrBuf b = {};

                STRV_FOREACH(name, names)
                        strbuf_printf(&b, "%s/etc/libvirt/%s.conf, /usr/sbin/%s", b.len ? "; " : "", *name, *name);
                _cleanup_free_ char *l = strbuf_steal(&b);
                return l ? eval_emitf(ctx, STATUS_SKIP, "host", "no libvirt daemon: none of %s exists", l) : -ENOMEM;
        }
        return 0;
}

int
check_object_sources(const Check *c, char ***ret)
{
        static const char *const domain[] = {"libvirt:domains", "libvirt:source", "domain:*", "domainstate:*", NULL};
        static const char *const process[] = {"qemu:pids", "process:*/name", "process:*/uuid", NULL};
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *));
        char *const *daemons;

        if (!l)
                return -ENOMEM;
        switch (c->scope) {
        case SCOPE_DOMAIN:
                for (const char *const *p = domain; *p; p++)
                        if (strv_extend(&l, *p) < 0)
                                return -ENOMEM;
                break;
        case SCOPE_PROCESS:
                for (const char *const *p = process; *p; p++)
                        if (strv_extend(&l, *p) < 0)
                                return -ENOMEM;
                break;
        case SCOPE_DAEMON:
                daemons = check_param(c, "daemons");
                STRV_FOREACH(d, daemons ? daemons : daemon_names_all)
                        if (strv_consume(&l, xasprintf("%s.conf:audit_level", *d)) < 0 ||
                            strv_consume(&l, xasprintf("meta:%s.conf", *d)) < 0 ||
                            strv_consume(&l, xasprintf("stat:/usr/sbin/%s", *d)) < 0)
                                return -ENOMEM;
                break;
        default:
                break;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

/* Whether daemon @name counts as an object (eval_for_each_daemon()): its
 * file exists or cannot be read, or its binary exists or cannot be
 * stat'ed. */
static int
daemon_present(FactStore *facts, const char *name)
{
        _cleanup_free_ char *any_key = xasprintf("%s.conf:audit_level", name);
        _cleanup_free_ char *meta_key = xasprintf("meta:%s.conf", name);
        _cleanup_free_ char *bin_key = xasprintf("stat:/usr/sbin/%s", name);

        if (!any_key || !meta_key || !bin_key)
                return -ENOMEM;
        if (fact_store_get(facts, any_key)->kind == FACT_ERROR ||
            fact_store_get(facts, meta_key)->kind == FACT_STRING)
                return 1;
        return fact_store_get(facts, bin_key)->kind != FACT_ABSENT;
}

int
check_object_keys(const Check *c, FactStore *facts, char ***ret)
{
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *));
        const Fact *f;
        char *const *daemons;
        int r;

        if (!l)
                return -ENOMEM;
        switch (c->scope) {
        case SCOPE_DOMAIN:
        case SCOPE_PROCESS:
                f = fact_store_get(facts, c->scope == SCOPE_DOMAIN ? "libvirt:domains" : "qemu:pids");
                STRV_FOREACH(o, f->kind == FACT_LIST ? f->list : NULL)
                        if (strv_extend(&l, *o) < 0)
                                return -ENOMEM;
                break;
        case SCOPE_DAEMON:
                daemons = check_param(c, "daemons");
                STRV_FOREACH(d, daemons ? daemons : daemon_names_all) {
                        r = daemon_present(facts, *d);
                        if (r < 0)
                                return r;
                        if (r > 0 && strv_extend(&l, *d) < 0)
                                return -ENOMEM;
                }
                break;
        default:
                break;
        }
        *ret = TAKE_PTR(l);
        return 0;
}
