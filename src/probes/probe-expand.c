/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Which keys a declared pattern stands for on this host (probe-expand.h):
 * "kvmaudit collect" saves the declared facts without evaluating a check,
 * so the keys a pattern such as "stat:*" covers come from the facts that
 * name them (the domain definitions, dev:nodes, mount:devices), read
 * through the store like any fact.
 */
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "domain-files.h"
#include "domain.h"
#include "probe-expand.h"
#include "probes.h"
#include "strv.h"
#include "util.h"

/* Directories looked at above one file (check-eval-domain-files.c judges
 * at most 16). */
#define EXPAND_PARENT_DEPTH_MAX 64u

struct ProbeExpand {
        FactStore *store;
        bool have_paths;
        char **domain_paths;    /* probe_expand_domain_paths() */
        char **domain_uuids;    /* lower case, 8-4-4-4-12 */
        char **disk_sources;    /* absolute disk sources */
};

int
probe_expand_new(FactStore *s, ProbeExpand **ret)
{
        ProbeExpand *x = calloc(1, sizeof(*x));

        if (!x)
                return -ENOMEM;
        x->store = s;
        *ret = x;
        return 0;
}

ProbeExpand *
probe_expand_free(ProbeExpand *x)
{
        if (!x)
                return NULL;
        strv_free(x->domain_paths);
        strv_free(x->domain_uuids);
        strv_free(x->disk_sources);
        free(x);
        return NULL;
}

static int
add_path(char ***l, const char *path)
{
        return path && path[0] == '/' && !strv_contains(*l, path) ? strv_extend(l, path) : 0;
}

static int
add_domain(ProbeExpand *x, const Domain *d)
{
        _cleanup_(domain_files_done) DomainFiles files = {};
        const char *const os[] = {d->os.loader, d->os.nvram, d->os.nvram_template, d->os.kernel, d->os.initrd,
                                  d->os.dtb};
        int r;

        for (size_t i = 0; i < d->n_disks; i++) {
                const DomainDisk *k = &d->disks[i];

                if ((r = add_path(&x->domain_paths, k->source)) < 0 || (r = add_path(&x->disk_sources, k->source)) < 0)
                        return r;
                for (size_t j = 0; j < k->n_backing; j++)
                        if ((r = add_path(&x->domain_paths, k->backing[j].path)) < 0)
                                return r;
        }
        for (size_t i = 0; i < ELEMENTSOF(os); i++)
                if ((r = add_path(&x->domain_paths, os[i])) < 0)
                        return r;
        for (size_t i = 0; i < d->n_chardevs; i++) {
                for (size_t j = 0; j < d->chardevs[i].n_sources; j++)
                        if ((r = add_path(&x->domain_paths, d->chardevs[i].sources[j].path)) < 0)
                                return r;
                if ((r = add_path(&x->domain_paths, d->chardevs[i].log_file)) < 0)
                        return r;
        }
        /* the TPM state as the definition spells the UUID (the check of
         * its mode) and as libvirt does (domain_files_add()) */
        for (size_t i = 0; i < d->n_tpms && d->uuid; i++)
                if (d->tpms[i].backend_type && streq(d->tpms[i].backend_type, "emulator")) {
                        _cleanup_free_ char *p = xasprintf(DOMAIN_SWTPM_STATE_DIR "/%s", d->uuid);
                        if (!p || add_path(&x->domain_paths, p) < 0)
                                return -ENOMEM;
                }
        if (domain_files_add(&files, d) < 0)
                return -ENOMEM;
        STRV_FOREACH(p, files.private_paths)
                if ((r = add_path(&x->domain_paths, *p)) < 0)
                        return r;
        STRV_FOREACH(p, files.shared_paths)
                if ((r = add_path(&x->domain_paths, *p)) < 0)
                        return r;
        if (d->uuid && strlen(d->uuid) == 36) {
                _cleanup_free_ char *u = strdup(d->uuid);
                if (!u)
                        return -ENOMEM;
                for (char *c = u; *c; c++)
                        *c = (char) tolower((unsigned char) *c);
                if (!strv_contains(x->domain_uuids, u) && strv_extend(&x->domain_uuids, u) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* Parses every domain of libvirt:domains once.  A domain whose definition
 * is unreadable or does not parse names no file: the checks give it an
 * error without reading one either. */
static int
domains_load(ProbeExpand *x)
{
        const Fact *list;
        int r;

        if (x->have_paths)
                return 0;
        if (!(x->domain_paths = calloc(1, sizeof(char *))) || !(x->domain_uuids = calloc(1, sizeof(char *))) ||
            !(x->disk_sources = calloc(1, sizeof(char *))))
                return -ENOMEM;
        list = fact_store_get(x->store, "libvirt:domains");
        STRV_FOREACH(name, list->kind == FACT_LIST ? list->list : NULL) {
                _cleanup_domain_free_ Domain *d = NULL;
                const Fact *xml = fact_store_get2(x->store, "domain", *name);

                if (xml->kind != FACT_STRING)
                        continue;
                r = domain_parse(xml->string, strlen(xml->string), *name, &d, NULL);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        continue;
                r = add_domain(x, d);
                if (r < 0)
                        return r;
        }
        strv_sort(x->domain_paths);
        strv_sort(x->disk_sources);
        x->have_paths = true;
        return 0;
}

int
probe_expand_domain_paths(ProbeExpand *x, char *const **ret)
{
        int r = domains_load(x);

        if (r < 0)
                return r;
        *ret = x->domain_paths;
        return 0;
}

/* "NS:P" for every P of @paths. */
static int
add_keys(char ***l, const char *ns, char *const *paths)
{
        STRV_FOREACH(p, paths)
                if (strv_consume(l, xasprintf("%s:%s", ns, *p)) < 0)
                        return -ENOMEM;
        return 0;
}

/* label:, filecon:, realdev: the files of every domain. */
static int
expand_domain_files(ProbeExpand *x, const char *ns, char ***l)
{
        int r = domains_load(x);

        return r < 0 ? r : add_keys(l, ns, streq(ns, "realdev") ? x->disk_sources : x->domain_paths);
}

/* stat: what other facts name as a file: the device nodes, every file of
 * every domain and each directory above it (the checks judge who may
 * swap a VM's file), the devices the kernel command line boots from. */
static int
expand_stat(ProbeExpand *x, const char *ns, char ***l)
{
        static const char *const params[] = {"cmdline:root", "cmdline:resume"};
        const Fact *nodes = fact_store_get(x->store, "dev:nodes");
        _cleanup_strv_free_ char **paths = calloc(1, sizeof(char *));
        int r;

        if (!paths)
                return -ENOMEM;
        if ((r = domains_load(x)) < 0)
                return r;
        STRV_FOREACH(p, x->domain_paths) {
                _cleanup_free_ char *dir = strdup(*p);

                if (!dir || add_path(&paths, *p) < 0)
                        return -ENOMEM;
                for (unsigned depth = 0; depth < EXPAND_PARENT_DEPTH_MAX; depth++) {
                        char *slash = strrchr(dir, '/');

                        if (!slash)
                                break;
                        if (slash == dir) {
                                if (add_path(&paths, "/") < 0)
                                        return -ENOMEM;
                                break;
                        }
                        *slash = '\0';
                        if (add_path(&paths, dir) < 0)
                                return -ENOMEM;
                }
        }
        STRV_FOREACH(n, nodes->kind == FACT_LIST ? nodes->list : NULL)
                if (add_path(&paths, *n) < 0)
                        return -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(params); i++) {
                const Fact *f = fact_store_get(x->store, params[i]);

                if (f->kind == FACT_STRING && startswith(f->string, "/dev/") && add_path(&paths, f->string) < 0)
                        return -ENOMEM;
        }
        return add_keys(l, ns, paths);
}

/* blockdev:MAJ:MIN of the device behind each domain disk (realdev:) and
 * of each device the host uses (mount:devices). */
static int
expand_blockdev(ProbeExpand *x, const char *ns, char ***l)
{
        const Fact *used;
        int r;

        if ((r = domains_load(x)) < 0)
                return r;
        STRV_FOREACH(p, x->disk_sources) {
                _cleanup_free_ char *key = xasprintf("realdev:%s", *p);
                const Fact *f;

                if (!key)
                        return -ENOMEM;
                f = fact_store_get(x->store, key);
                if (f->kind == FACT_STRING &&
                    strv_consume(l, xasprintf("%s:%s", ns, f->string)) < 0)
                        return -ENOMEM;
        }
        used = fact_store_get(x->store, "mount:devices");
        STRV_FOREACH(u, used->kind == FACT_LIST ? used->list : NULL)
                if (strv_consume(l, xasprintf("%s:%s", ns, *u)) < 0)
                        return -ENOMEM;
        return 0;
}

/* aaprofile:libvirt-UUID: the profile libvirt generates for each domain. */
static int
expand_aaprofile(ProbeExpand *x, const char *ns, char ***l)
{
        int r = domains_load(x);

        if (r < 0)
                return r;
        STRV_FOREACH(u, x->domain_uuids)
                if (strv_consume(l, xasprintf("%s:libvirt-%s", ns, *u)) < 0)
                        return -ENOMEM;
        return 0;
}

/* The namespace's own keys, and "NS:OBJ/FIELD" for every derived rule
 * "*" "/FIELD" of it and every object OBJ its keys name ("process:PID/..."):
 * a pattern over derived fields stands for those of every object. */
static int
expand_with_derived(ProbeExpand *x, const char *ns, const char *pattern, char ***l)
{
        const FactNamespace *n = NULL;
        _cleanup_strv_free_ char **own = NULL, **objects = NULL;
        size_t nslen = strlen(ns);
        int r;

        r = fact_store_expand(x->store, pattern, &own);
        if (r < 0)
                return r;
        for (size_t i = 0; i < probe_namespaces_count; i++)
                if (streq(probe_namespaces[i].name, ns))
                        n = &probe_namespaces[i];
        STRV_FOREACH(k, own)
                if (strv_extend(l, *k) < 0)
                        return -ENOMEM;
        if (!n || !n->derive || !n->rules)
                return 0;
        {
                _cleanup_free_ char *all = xasprintf("%s:*", ns);
                _cleanup_strv_free_ char **keys = NULL;

                if (!all)
                        return -ENOMEM;
                r = fact_store_expand(x->store, all, &keys);
                if (r < 0)
                        return r;
                STRV_FOREACH(k, keys) {
                        _cleanup_free_ char *obj = strndup(*k + nslen + 1, strcspn(*k + nslen + 1, "/"));

                        if (!obj)
                                return -ENOMEM;
                        if (!strv_contains(objects, obj) && strv_extend(&objects, obj) < 0)
                                return -ENOMEM;
                }
        }
        for (const FactRule *rule = n->rules; rule->pattern; rule++) {
                if (!(rule->flags & FACT_RULE_DERIVED) || !startswith(rule->pattern, "*/") ||
                    strpbrk(rule->pattern + 2, "*?["))
                        continue;
                STRV_FOREACH(o, objects)
                        if (strv_consume(l, xasprintf("%s:%s/%s", ns, *o, rule->pattern + 2)) < 0)
                                return -ENOMEM;
        }
        return 0;
}

static const struct {
        const char *ns;
        int (*fn)(ProbeExpand *x, const char *ns, char ***l);
} expanders[] = {
        {"aaprofile", expand_aaprofile},
        {"blockdev",  expand_blockdev},
        {"filecon",   expand_domain_files},
        {"label",     expand_domain_files},
        {"realdev",   expand_domain_files},
        {"stat",      expand_stat},
};

int
probe_expand(ProbeExpand *x, const char *pattern, char ***ret)
{
        const char *colon = strchr(pattern, ':');
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *)), **out = calloc(1, sizeof(char *));
        _cleanup_free_ char *ns = NULL;
        bool done = false;
        int r;

        if (!l || !out)
                return -ENOMEM;
        if (!colon)
                return -EINVAL;
        ns = strndup(pattern, (size_t) (colon - pattern));
        if (!ns)
                return -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(expanders); i++)
                if (streq(expanders[i].ns, ns)) {
                        r = expanders[i].fn(x, ns, &l);
                        if (r < 0)
                                return r;
                        done = true;
                }
        if (!done) {
                r = expand_with_derived(x, ns, pattern, &l);
                if (r < 0)
                        return r;
        }
        STRV_FOREACH(k, l)
                if (fnmatch(pattern, *k, 0) == 0 && !strv_contains(out, *k) && strv_extend(&out, *k) < 0)
                        return -ENOMEM;
        strv_sort(out);
        *ret = TAKE_PTR(out);
        return 0;
}
