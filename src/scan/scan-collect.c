/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What "kvmaudit collect" saves (docs/facts.md, "What collect saves"):
 * the facts the catalogue declares, expanded per object and per pattern,
 * the sources of the derived ones, what the engine and the report read,
 * and where each saved fact came from.  No check is evaluated.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "check-objects.h"
#include "domain-files.h"
#include "probe-expand.h"
#include "profile.h"
#include "scan.h"
#include "strv.h"
#include "util.h"

/* What the engine and the report read besides the checks' declarations:
 * the report's host metadata and the choice of remediation variants
 * (scan.c), the file systems that explain an absent fact ("absent:
 * securityfs not mounted", check-eval.c). */
static const char *const engine_inputs[] = {
        "sysctl:kernel.hostname",
        "sysctl:kernel.osrelease",
        "os:id",
        "os:id_like",
        "mount:fstypes",
        "meta:root",
        NULL,
};

typedef struct Collect {
        FactStore *store;
        ProbeExpand *expand;
        char **save;            /* keys to write (unsorted, may repeat) */
        char **generator;       /* realpath:/imagehead: patterns (collect_generator()) */
        char **expanded;        /* patterns already expanded (checks repeat them) */
        char *error;
} Collect;

static bool
has_glob(const char *s)
{
        return strpbrk(s, "*?[") != NULL;
}

/* Reads @key (a probe loads it, a derive hook computes it from sources the
 * store's sources log records) and keeps it unless derived. */
static int
collect_key(Collect *k, const char *key)
{
        (void) fact_store_get(k->store, key);
        if (fact_store_key_derived(k->store, key))
                return 0;
        return strv_extend(&k->save, key);
}

static bool
generator_namespace(const char *pattern)
{
        return startswith(pattern, "realpath:") || startswith(pattern, "imagehead:");
}

/* One declaration of @c with "@" already resolved. */
static int
collect_declared(Collect *k, const Check *c, const char *decl)
{
        _cleanup_strv_free_ char **keys = NULL;
        int r;

        if (!has_glob(decl))
                return collect_key(k, decl);
        if (generator_namespace(decl))
                return strv_contains(k->generator, decl) ? 0 : strv_extend(&k->generator, decl);
        if (strv_contains(k->expanded, decl))
                return 0;
        if (strv_extend(&k->expanded, decl) < 0)
                return -ENOMEM;
        r = probe_expand(k->expand, decl, &keys);
        if (r == -EOPNOTSUPP) {
                k->error = xasprintf("%s:%u: check %s declares \"%s\": its namespace fills one key at a time "
                                     "and cannot say which keys exist, so collect cannot save them",
                                     c->file, c->line, c->id, decl);
                return -EINVAL;
        }
        if (r < 0)
                return r;
        STRV_FOREACH(key, keys)
                if ((r = collect_key(k, *key)) < 0)
                        return r;
        return 0;
}

static int
collect_check(Collect *k, const Check *c)
{
        _cleanup_strv_free_ char **objects = NULL, **decls = NULL;
        int r;

        r = check_object_sources(c, &decls);
        if (r < 0)
                return r;
        STRV_FOREACH(f, c->facts)
                if (strv_extend(&decls, *f) < 0)
                        return -ENOMEM;
        r = check_object_keys(c, k->store, &objects);
        if (r < 0)
                return r;
        STRV_FOREACH(d, decls) {
                if (!fact_key_is_relative(*d)) {
                        r = collect_declared(k, c, *d);
                        if (r < 0)
                                return r;
                        continue;
                }
                STRV_FOREACH(o, objects) {
                        _cleanup_free_ char *key = fact_key_for_object(*d, *o);

                        if (!key)
                                return -ENOMEM;
                        r = collect_declared(k, c, key);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

/* The AppArmor generator's host questions, answered from the store and
 * recorded when a declared generator pattern covers them. */
typedef struct GenHost {
        Collect *k;
} GenHost;

static const Fact *
gen_fact(GenHost *g, const char *ns, const char *path)
{
        _cleanup_free_ char *key = xasprintf("%s:%s", ns, path);
        static const Fact oom = {.kind = FACT_ERROR, .error = -ENOMEM};

        if (!key)
                return &oom;
        STRV_FOREACH(p, g->k->generator)
                if (startswith(*p, ns) && (*p)[strlen(ns)] == ':' && fnmatch(*p, key, 0) == 0) {
                        if (collect_key(g->k, key) < 0)
                                return &oom;
                        break;
                }
        return fact_store_get(g->k->store, key);
}

static int
gen_errno(const Fact *f)
{
        return f->kind == FACT_ABSENT ? -ENOENT : f->kind == FACT_ERROR && f->error < 0 ? f->error : -EBADMSG;
}

static int
gen_resolve(void *userdata, const char *path, char **ret)
{
        const Fact *f = gen_fact(userdata, "realpath", path);

        if (f->kind != FACT_STRING)
                return gen_errno(f);
        *ret = strdup(f->string);
        return *ret ? 0 : -ENOMEM;
}

static int
gen_hex(char c)
{
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* imagehead: facts are hex (probe-apparmor-files.c), "dir" or "other". */
static int
gen_read_head(void *userdata, const char *path, size_t max, char **ret, size_t *ret_len)
{
        const Fact *f = gen_fact(userdata, "imagehead", path);
        size_t n;
        char *buf;

        if (f->kind != FACT_STRING)
                return gen_errno(f);
        if (streq(f->string, "dir"))
                return -EISDIR;
        if (streq(f->string, "other"))
                return -EBADFD;
        n = strlen(f->string);
        if (n % 2 != 0)
                return -EBADMSG;
        n = n / 2 < max ? n / 2 : max;
        if (!(buf = malloc(n + 1)))
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                int hi = gen_hex(f->string[2 * i]), lo = gen_hex(f->string[2 * i + 1]);
                if (hi < 0 || lo < 0) {
                        free(buf);
                        return -EBADMSG;
                }
                buf[i] = (char) (hi << 4 | lo);
        }
        buf[n] = '\0';
        *ret = buf;
        *ret_len = n;
        return 0;
}

static int
gen_list_dir(void *userdata, const char *path, char ***ret)
{
        (void) userdata, (void) path, (void) ret;
        return -EOPNOTSUPP; /* no fact lists sysfs directories */
}

/* One domain through the generator, as lsm.apparmor-profile-minimal runs
 * it (the other domains' files refused; without host devices when they
 * stop it). */
static int
collect_generator_domain(Collect *k, Domain *const *all, size_t n, size_t self)
{
        _cleanup_(domain_files_done) DomainFiles others = {};
        _cleanup_(aa_rules_done) AaRules rules = {};
        _cleanup_free_ char *error = NULL;
        const Domain *d = all[self];
        GenHost g = {.k = k};
        ProfileHost ph = {.userdata = &g, .resolve = gen_resolve, .read_head = gen_read_head, .list_dir = gen_list_dir};
        int r;

        for (size_t i = 0; i < n; i++) {
                if (i == self || streq(all[i]->name, d->name) ||
                    (all[i]->uuid && d->uuid && strcasecmp(all[i]->uuid, d->uuid) == 0))
                        continue;
                if (domain_files_add(&others, all[i]) < 0)
                        return -ENOMEM;
        }
        domain_files_finish(&others);
        ProfileInput in = {
                .domain = d,
                .host = &ph,
                .template_text = profile_data_get("apparmor/TEMPLATE.qemu"),
                .deny_text = profile_data_get("apparmor/deny-paths"),
                .other_vm_paths = others.private_paths,
                .other_vm_shared_paths = others.shared_paths,
        };
        r = profile_apparmor_rules(&in, &rules, &error);
        if (r < 0 && r != -ENOMEM && d->n_hostdevs > 0) {
                Domain stripped = *d;

                stripped.n_hostdevs = 0;
                in.domain = &stripped;
                free(error);
                error = NULL;
                aa_rules_done(&rules);
                r = profile_apparmor_rules(&in, &rules, &error);
        }
        /* a refusal is the check's verdict, not collect's failure: what
         * the generator asked before it refused is recorded */
        return r == -ENOMEM ? r : 0;
}

/* realpath: and imagehead: stand for the questions the AppArmor generator
 * asks about each domain's files (symlinks resolved, backing chains
 * followed through the image headers): the keys depend on the answers, so
 * only the generator can list them. */
static int
collect_generator(Collect *k)
{
        const Fact *list;
        Domain **all = NULL;
        size_t n = 0;
        int r = 0;

        if (!k->generator)
                return 0;
        list = fact_store_get(k->store, "libvirt:domains");
        if (list->kind != FACT_LIST)
                return 0;
        all = calloc(strv_length(list->list) + 1, sizeof(Domain *));
        if (!all)
                return -ENOMEM;
        STRV_FOREACH(name, list->list) {
                const Fact *xml = fact_store_get2(k->store, "domain", *name);

                if (xml->kind != FACT_STRING)
                        continue;
                r = domain_parse(xml->string, strlen(xml->string), *name, &all[n], NULL);
                if (r == -ENOMEM)
                        goto out;
                if (r == 0)
                        n++;
                r = 0;
        }
        for (size_t i = 0; i < n && r >= 0; i++)
                r = collect_generator_domain(k, all, n, i);
out:
        for (size_t i = 0; i < n; i++)
                domain_free(all[i]);
        free(all);
        return r;
}

/* Where a saved fact came from, as the report locates it and notes a
 * repeated setting (probe-source.c, check-eval.c): its line, the places
 * of a repeated assignment, the file a whole namespace was read from,
 * the cost of reading a QEMU's seccomp filters back. */
static int
collect_provenance(Collect *k)
{
        size_t n = strv_length(k->save);

        for (size_t i = 0; i < n; i++) {
                const char *key = k->save[i];
                _cleanup_free_ char *line = NULL, *rep = NULL;

                if (startswith(key, "meta:"))
                        continue;
                line = xasprintf("meta:%s@line", key);
                rep = xasprintf("meta:%s@repeated", key);
                if (!line || !rep)
                        return -ENOMEM;
                if ((fact_store_peek(k->store, line) && strv_extend(&k->save, line) < 0) ||
                    (fact_store_peek(k->store, rep) && strv_extend(&k->save, rep) < 0))
                        return -ENOMEM;
                if (startswith(key, "kconfig:") && strv_extend(&k->save, "meta:kconfig_source") < 0)
                        return -ENOMEM;
                if (startswith(key, "ucode:") && strv_extend(&k->save, "meta:ucode_source") < 0)
                        return -ENOMEM;
                /* what reading a QEMU's filters back cost it: how long its
                 * thread was stopped (probe-seccomp.c), kept with them */
                if (startswith(key, "seccomp:") && endswith(key, "/filters")) {
                        size_t n_pid = strlen(key) - strlen("/filters");

                        for (size_t j = 0; j < 2; j++) {
                                _cleanup_free_ char *t = xasprintf("%.*s/%s", (int) n_pid, key,
                                                                   j ? "held_us" : "stop_us");
                                if (!t)
                                        return -ENOMEM;
                                if (fact_store_peek(k->store, t) && strv_extend(&k->save, t) < 0)
                                        return -ENOMEM;
                        }
                }
        }
        return 0;
}

int
scan_collect_facts(const Catalog *cat, FactStore *store, char ***ret_keys, char **ret_error)
{
        _cleanup_(probe_expand_freep) ProbeExpand *x = NULL;
        _cleanup_strv_free_ char **sources = NULL;
        Collect k = {.store = store};
        int r;

        r = probe_expand_new(store, &x);
        if (r < 0)
                return r;
        k.expand = x;
        fact_store_sources_start(store);
        for (size_t i = 0; i < cat->n_checks && r >= 0; i++)
                r = collect_check(&k, &cat->checks[i]);
        if (r >= 0)
                r = collect_generator(&k);
        for (const char *const *e = engine_inputs; r >= 0 && *e; e++)
                if (!streq(*e, "meta:root"))
                        r = collect_key(&k, *e);
        if (fact_store_sources_stop(store, &sources) < 0 && r >= 0)
                r = -ENOMEM;
        STRV_FOREACH(s, sources)
                if (r >= 0 && !fact_store_key_derived(store, *s))
                        r = strv_extend(&k.save, *s);
        if (r >= 0)
                r = strv_extend(&k.save, "meta:root");
        if (r >= 0)
                r = collect_provenance(&k);
        if (r < 0) {
                *ret_error = k.error;
                strv_free(k.save);
                strv_free(k.generator);
                strv_free(k.expanded);
                return r;
        }
        strv_sort(k.save);
        strv_uniq(k.save);
        strv_free(k.generator);
        strv_free(k.expanded);
        *ret_keys = k.save;
        return 0;
}
