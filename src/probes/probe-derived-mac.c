/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Derived MAC facts: what the lsm and svirt checks judge, computed from
 * other facts of the store (never from a host file), so that the checks
 * are data.  Three namespaces, all derived (docs/check-format.md):
 *
 *   mac:FIELD          the host's MAC state: which LSMs are active and
 *                      what decided it, and SELinux's boot configuration as
 *                      libselinux reads it
 *   proclabel:PID/F    a running QEMU process's LSM label: its identity and
 *                      the other QEMU processes that hold the same one
 *   domlabel:NAME/F    a defined domain's MAC <seclabel>: its type, label,
 *                      the key a static label must be unique by, and the
 *                      other domains whose static label has that key
 *
 * Observations, not verdicts: a state word, a value, a list of the other
 * objects that share something.  An unreadable source makes the derived
 * fact that error (same errno, same message), so that a check reading it
 * gives the skip or error it gave when a judge read the source.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "domain.h"
#include "domain-label.h"
#include "probes.h"
#include "strv.h"
#include "util.h"

const FactRule probe_mac_rules[] = {
        {"active",         FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"decided-by",     FACT_RULE_STRING, FACT_RULE_DERIVED},
        {"selinux-config", FACT_RULE_STRING, FACT_RULE_DERIVED},
        {NULL, 0, 0},
};

const FactRule probe_proclabel_rules[] = {
        {"*/identity",    FACT_RULE_STRING, FACT_RULE_DERIVED},
        {"*/shared-with", FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {NULL, 0, 0},
};

const FactRule probe_domlabel_rules[] = {
        {"*/label",                  FACT_RULE_STRING, FACT_RULE_DERIVED},
        {"*/model",                  FACT_RULE_STRING, FACT_RULE_DERIVED},
        {"*/static-key",             FACT_RULE_STRING, FACT_RULE_DERIVED},
        {"*/static-key-shared-with", FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/static-mcs",             FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/static-mcs-overlaps",    FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"*/static-mcs-problem",     FACT_RULE_STRING, FACT_RULE_DERIVED},
        {"*/type",                   FACT_RULE_STRING, FACT_RULE_DERIVED},
        {NULL, 0, 0},
};

/* Stores the error of @src under @key: the same errno and message. */
static int
put_error_from(FactStore *s, const char *key, const Fact *src)
{
        return fact_store_set_error(s, key, src->error < 0 ? src->error : -EIO, "%s",
                                    src->string ? src->string : "unreadable");
}

static int
put_list(FactStore *s, const char *key, char ***l)
{
        Fact f = {.kind = FACT_LIST, .list = *l};

        if (!f.list && !(f.list = calloc(1, sizeof(char *))))
                return -ENOMEM;
        *l = NULL;
        return fact_store_put(s, key, &f);
}

/* Stores error @err (NULL: absent) in every field "*\/F" of @rules for
 * object @object of namespace @ns. */
static int
put_all(FactStore *s, const char *ns, const char *object, const FactRule *rules, const Fact *err)
{
        for (const FactRule *r = rules; r->pattern; r++) {
                _cleanup_free_ char *key = xasprintf("%s:%s/%s", ns, object, r->pattern + strlen("*/"));
                int k;

                if (!key)
                        return -ENOMEM;
                k = err ? put_error_from(s, key, err) : fact_store_set_absent(s, key);
                if (k < 0)
                        return k;
        }
        return 0;
}

/* ------------------------------------------------------------------ */
/* mac:                                                               */

/* mac:decided-by when the LSM list is missing.  The list is a securityfs
 * file: its absence means securityfs is not mounted, not that no LSM runs. */
#define MAC_BY_SYSFS \
        "sysfs:fs/selinux and sysfs:module/apparmor/parameters/enabled (securityfs not mounted: no lsm:active)"

/*
 * mac:active, the MAC LSMs that run (selinux, apparmor; empty when none):
 * those /sys/kernel/security/lsm (lsm:active) lists when it can be read,
 * else a mounted selinuxfs (sysfs:fs/selinux) and AppArmor's enabled
 * parameter.  mac:decided-by says which.  An unreadable source makes both
 * that error: the LSM list first, then selinuxfs, then the parameter.
 */
static int
mac_state_publish(FactStore *s)
{
        static const char *const keys[] = {"mac:active", "mac:decided-by"};
        const Fact *lsm = fact_store_get(s, "lsm:active"), *bad = NULL;
        _cleanup_strv_free_ char **active = NULL;
        bool selinux = false, apparmor = false;
        int r;

        if (lsm->kind == FACT_STRING) {
                selinux = fact_has_word(lsm, "selinux");
                apparmor = fact_has_word(lsm, "apparmor");
        } else if (lsm->kind == FACT_ERROR)
                bad = lsm;
        else {
                const Fact *sefs = fact_store_get(s, "sysfs:fs/selinux"),
                           *aa = fact_store_get(s, "sysfs:module/apparmor/parameters/enabled");

                bad = sefs->kind == FACT_ERROR ? sefs : aa->kind == FACT_ERROR ? aa : NULL;
                selinux = sefs->kind != FACT_ABSENT;
                apparmor = fact_is(aa, "Y");
        }
        if (bad) {
                for (size_t k = 0; k < ELEMENTSOF(keys); k++)
                        if ((r = put_error_from(s, keys[k], bad)) < 0)
                                return r;
                return 0;
        }
        if ((selinux && strv_extend(&active, "selinux") < 0) || (apparmor && strv_extend(&active, "apparmor") < 0))
                return -ENOMEM;
        r = fact_store_set_string(s, keys[1], lsm->kind == FACT_STRING ? "lsm:active" : MAC_BY_SYSFS);
        if (r < 0)
                return r;
        return put_list(s, keys[0], &active);
}

/* SELINUX= of /etc/selinux/config in lower case: libselinux compares the
 * mode without case (selinux_getenforcemode()). */
static int
mac_selinux_config_publish(FactStore *s)
{
        const Fact *conf = fact_store_get(s, "selinux:config");
        _cleanup_free_ char *v = NULL;

        if (conf->kind == FACT_ERROR)
                return put_error_from(s, "mac:selinux-config", conf);
        if (conf->kind != FACT_STRING)
                return fact_store_set_absent(s, "mac:selinux-config");
        v = strdup(conf->string);
        if (!v)
                return -ENOMEM;
        for (char *c = v; *c; c++)
                *c = (char) tolower((unsigned char) *c);
        return fact_store_set_string(s, "mac:selinux-config", v);
}

int
probe_mac_derive(FactStore *s, const char *name)
{
        _cleanup_free_ char *key = NULL;
        int r;

        if (streq(name, "active") || streq(name, "decided-by"))
                r = mac_state_publish(s);
        else if (streq(name, "selinux-config"))
                r = mac_selinux_config_publish(s);
        else {
                key = xasprintf("mac:%s", name);
                if (!key)
                        return -ENOMEM;
                r = fact_store_set_error(s, key, -EINVAL, "%s: no such field of the mac namespace (docs/check-format.md)",
                                         key);
        }
        return r < 0 ? r : 1;
}

/* ------------------------------------------------------------------ */
/* proclabel:                                                         */

/*
 * What two QEMU processes' labels must differ in: the AppArmor profile
 * name ("NAME (MODE)" without the mode), else the SELinux type and level
 * ("svirt_t:s0:c1,c2"), else the label as it is.
 */
static char *
label_identity(const char *label)
{
        char type[DOMAIN_SELINUX_TYPE_MAX], name[DOMAIN_LABEL_MAX];
        const char *level, *mode;

        if (domain_label_looks_apparmor(label) && domain_label_apparmor_split(label, name, sizeof(name), &mode))
                return strdup(name);
        if (domain_label_selinux_split(label, type, &level))
                return xasprintf("%s:%s", type, level);
        return strdup(label);
}

static const Fact *
process_label(FactStore *s, const char *pid)
{
        _cleanup_free_ char *key = xasprintf("process:%s/label", pid);

        return fact_store_get(s, key ? key : "process:?");
}

/* identity and shared-with of @pid, against the QEMU processes of
 * qemu:pids (a process without a readable label shares nothing). */
static int
proclabel_publish(FactStore *s, const char *pid)
{
        _cleanup_free_ char *ik = xasprintf("proclabel:%s/identity", pid), *sk = xasprintf("proclabel:%s/shared-with", pid);
        _cleanup_free_ char *id = NULL;
        _cleanup_strv_free_ char **same = NULL;
        const Fact *label, *pids;
        int r;

        if (!ik || !sk)
                return -ENOMEM;
        label = process_label(s, pid);
        if (label->kind == FACT_ERROR)
                return put_all(s, "proclabel", pid, probe_proclabel_rules, label);
        if (label->kind != FACT_STRING)
                return put_all(s, "proclabel", pid, probe_proclabel_rules, NULL);
        id = label_identity(label->string);
        if (!id)
                return -ENOMEM;
        if ((r = fact_store_set_string(s, ik, id)) < 0)
                return r;
        pids = fact_store_get(s, "qemu:pids");
        if (pids->kind == FACT_ERROR)
                return put_error_from(s, sk, pids);
        STRV_FOREACH(p, pids->kind == FACT_LIST ? pids->list : NULL) {
                const Fact *o;
                _cleanup_free_ char *oid = NULL;

                if (streq(*p, pid))
                        continue;
                o = process_label(s, *p);
                if (o->kind != FACT_STRING)
                        continue;
                oid = label_identity(o->string);
                if (!oid)
                        return -ENOMEM;
                if (streq(oid, id) && strv_extend(&same, *p) < 0)
                        return -ENOMEM;
        }
        return put_list(s, sk, &same);
}

static bool
field_known(const FactRule *rules, const char *field)
{
        for (const FactRule *r = rules; r->pattern; r++)
                if (streq(r->pattern + strlen("*/"), field))
                        return true;
        return false;
}

int
probe_proclabel_derive(FactStore *s, const char *name)
{
        const char *slash = strchr(name, '/');
        _cleanup_free_ char *pid = NULL, *key = NULL;
        int r;

        if (!slash || slash == name || !field_known(probe_proclabel_rules, slash + 1)) {
                key = xasprintf("proclabel:%s", name);
                if (!key)
                        return -ENOMEM;
                r = fact_store_set_error(s, key, -EINVAL,
                                         "%s: no such field of the proclabel namespace (docs/check-format.md)", key);
                return r < 0 ? r : 1;
        }
        pid = strndup(name, (size_t) (slash - name));
        if (!pid)
                return -ENOMEM;
        r = proclabel_publish(s, pid);
        return r < 0 ? r : 1;
}

/* ------------------------------------------------------------------ */
/* domlabel:                                                          */

/* The MAC seclabel of a domain: the first whose model is not dac. */
static const DomainSeclabel *
mac_seclabel(const Domain *d)
{
        for (size_t i = 0; i < d->n_seclabels; i++)
                if (!d->seclabels[i].model || !streq(d->seclabels[i].model, "dac"))
                        return &d->seclabels[i];
        return NULL;
}

/* The model a seclabel is judged under: as written; for a static label
 * without one, selinux when its <label> is a context (holds ':'), else
 * apparmor; NULL when nothing says. */
static const char *
seclabel_model(const DomainSeclabel *sl)
{
        if (!sl)
                return NULL;
        if (sl->model)
                return sl->model;
        if (sl->type && streq(sl->type, "static") && sl->label)
                return strchr(sl->label, ':') ? "selinux" : "apparmor";
        return NULL;
}

/* The static SELinux seclabel of a domain, or NULL. */
static const DomainSeclabel *
static_selinux(const Domain *d)
{
        const DomainSeclabel *sl = mac_seclabel(d);
        const char *model = seclabel_model(sl);

        return sl && sl->type && streq(sl->type, "static") && model && streq(model, "selinux") ? sl : NULL;
}

/*
 * The range of a static SELinux <label>: 0 with *ret and the level text,
 * or -EINVAL with *ret_why (static text) when there is no label or its
 * level is not one of the grammar of src/domain/domain-label.c.
 */
static int
static_selinux_range(const DomainSeclabel *sl, SelinuxRange *ret, const char **ret_level, const char **ret_why)
{
        char type[DOMAIN_SELINUX_TYPE_MAX];
        const char *why = "not user:role:type:level";

        *ret_why = NULL;
        if (!sl->label) {
                *ret_why = "static SELinux <seclabel> without <label>";
                return -EINVAL;
        }
        if (!domain_label_selinux_split(sl->label, type, ret_level) ||
            domain_label_range_parse(*ret_level, ret, &why) < 0) {
                *ret_why = why ? why : "not a level";
                return -EINVAL;
        }
        return 0;
}

/*
 * What must be unique about a static label: "selinux RANGE" (the range
 * canonical: "s0:c2,c1" is "s0:c1,c2") for an SELinux context whose level
 * is a category pair s0:cX,cY, or "apparmor NAME" for an AppArmor one
 * (model apparmor, or no model and a label without ':').  NULL with
 * *ret_none when the label has no such key.
 */
static char *
static_key(const DomainSeclabel *sl, bool *ret_none)
{
        char type[DOMAIN_SELINUX_TYPE_MAX];
        const char *level;
        SelinuxRange range;

        *ret_none = true;
        if (!sl || !sl->type || !streq(sl->type, "static") || !sl->label)
                return NULL;
        if (sl->model ? streq(sl->model, "apparmor") : !strchr(sl->label, ':')) {
                *ret_none = false;
                return xasprintf("apparmor %s", sl->label);
        }
        if (!domain_label_selinux_split(sl->label, type, &level) || !domain_label_is_vm_pair(level) ||
            domain_label_range_parse(level, &range, NULL) < 0)
                return NULL;
        *ret_none = false;
        _cleanup_free_ char *canon = domain_label_range_format(&range);
        return canon ? xasprintf("selinux %s", canon) : NULL;
}

typedef struct DomLabels {
        char **names;   /* the domains of libvirt:domains whose definition parses */
        char **keys;    /* parallel: the static key, "" for none */
        char **levels;  /* parallel: the static SELinux level, "" for none or unparsable */
        SelinuxRange *ranges; /* parallel: its range, when levels[i] is not "" */
} DomLabels;

static void
dom_labels_free(void *p)
{
        DomLabels *d = p;

        if (!d)
                return;
        strv_free(d->names);
        strv_free(d->keys);
        strv_free(d->levels);
        free(d->ranges);
        free(d);
}

static int
parse_domain(FactStore *s, const char *name, Domain **ret, const Fact **ret_xml, char **ret_error)
{
        const Fact *xml = fact_store_get2(s, "domain", name);

        *ret_xml = xml;
        *ret = NULL;
        if (xml->kind != FACT_STRING)
                return -ENOENT;
        return domain_parse(xml->string, strlen(xml->string), name, ret, ret_error);
}

/* The static key of every defined domain whose definition parses, once per
 * store; NULL when libvirt:domains is no list (or on ENOMEM). */
static const DomLabels *
dom_labels(FactStore *s)
{
        const Fact *list = fact_store_get(s, "libvirt:domains");
        DomLabels *d = fact_store_attachment(s, "domlabel-keys");

        if (d)
                return d;
        if (list->kind != FACT_LIST)
                return NULL;
        d = calloc(1, sizeof(*d));
        if (!d || !(d->ranges = calloc(strv_length(list->list) + 1, sizeof(SelinuxRange)))) {
                dom_labels_free(d);
                return NULL;
        }
        STRV_FOREACH(name, list->list) {
                _cleanup_domain_free_ Domain *dom = NULL;
                _cleanup_free_ char *err = NULL, *key = NULL;
                const DomainSeclabel *st;
                const char *level = NULL, *why;
                size_t n = strv_length(d->names);
                const Fact *xml;
                bool none;

                if (parse_domain(s, *name, &dom, &xml, &err) < 0)
                        continue;
                key = static_key(mac_seclabel(dom), &none);
                st = static_selinux(dom);
                if (!st || static_selinux_range(st, &d->ranges[n], &level, &why) < 0)
                        level = NULL;
                if ((!key && !none) || strv_extend(&d->names, *name) < 0 || strv_extend(&d->keys, key ? key : "") < 0 ||
                    strv_extend(&d->levels, level ? level : "") < 0) {
                        dom_labels_free(d);
                        return NULL;
                }
        }
        if (fact_store_attach(s, "domlabel-keys", d, dom_labels_free) < 0) {
                dom_labels_free(d);
                return NULL;
        }
        return d;
}

static int
domlabel_put(FactStore *s, const char *name, const char *field, const char *value)
{
        _cleanup_free_ char *key = xasprintf("domlabel:%s/%s", name, field);

        if (!key)
                return -ENOMEM;
        return value ? fact_store_set_string(s, key, value) : fact_store_set_absent(s, key);
}

static int
domlabel_put_error(FactStore *s, const char *name, const char *field, const Fact *err)
{
        _cleanup_free_ char *key = xasprintf("domlabel:%s/%s", name, field);

        return key ? put_error_from(s, key, err) : -ENOMEM;
}

/*
 * static-mcs, static-mcs-problem and static-mcs-overlaps of a domain with a
 * static SELinux label: the categories of the high end of its level (what
 * its QEMU may reach; a run of three or more as "cA.cB"), why the label has no level when it has none, and
 * how each other domain's static SELinux level relates to it (the high
 * ends compared): "NAME (LEVEL) has the same categories", "... covers
 * them", "... lies within them", "... has no category and lies within
 * them", "... shares cN" (" and more" when several).  A level without a
 * category overlaps nothing itself (every confined QEMU dominates it).
 */
static int
domlabel_publish_mcs(FactStore *s, const char *name, const Domain *dom, const DomLabels *all, const Fact *list_err)
{
        const DomainSeclabel *st = static_selinux(dom);
        _cleanup_strv_free_ char **cats = NULL, **overlaps = NULL;
        _cleanup_free_ char *mk = xasprintf("domlabel:%s/static-mcs", name), *ok = NULL;
        const char *level, *why;
        SelinuxRange mine;
        int r;

        if (!mk)
                return -ENOMEM;
        if (!st || static_selinux_range(st, &mine, &level, &why) < 0) {
                if ((r = domlabel_put(s, name, "static-mcs-problem", st ? why : NULL)) < 0 ||
                    (r = domlabel_put(s, name, "static-mcs", NULL)) < 0)
                        return r;
                return domlabel_put(s, name, "static-mcs-overlaps", NULL);
        }
        if ((r = domlabel_put(s, name, "static-mcs-problem", NULL)) < 0)
                return r;
        /* the high end written as the grammar writes a level: "s0:c0.c1023" */
        SelinuxRange high = {.low = mine.high, .high = mine.high};
        _cleanup_free_ char *text = domain_label_range_format(&high);
        const char *colon = text ? strchr(text, ':') : NULL;

        if (!text)
                return -ENOMEM;
        for (const char *p = colon ? colon + 1 : "", *e; *p; p = e + !!*e) {
                e = p + strcspn(p, ",");
                if (strv_consume(&cats, strndup(p, (size_t) (e - p))) < 0)
                        return -ENOMEM;
        }
        if ((r = put_list(s, mk, &cats)) < 0)
                return r;
        if (list_err)
                return domlabel_put_error(s, name, "static-mcs-overlaps", list_err);
        for (size_t i = 0; mine.high.n_cats > 0 && all && all->names && all->names[i]; i++) {
                const SelinuxRange *theirs = &all->ranges[i];
                unsigned first = 0, shared;
                char *item;

                if (streq(all->names[i], name) || !all->levels[i][0])
                        continue;
                shared = domain_label_level_shared(&mine.high, &theirs->high, &first);
                if (theirs->high.n_cats > 0 && shared == 0)
                        continue;
                if (theirs->high.n_cats == 0)
                        item = xasprintf("%s (%s) has no category and lies within them", all->names[i], all->levels[i]);
                else if (shared == mine.high.n_cats && shared == theirs->high.n_cats)
                        item = xasprintf("%s (%s) has the same categories", all->names[i], all->levels[i]);
                else if (shared == mine.high.n_cats)
                        item = xasprintf("%s (%s) covers them", all->names[i], all->levels[i]);
                else if (shared == theirs->high.n_cats)
                        item = xasprintf("%s (%s) lies within them", all->names[i], all->levels[i]);
                else
                        item = xasprintf("%s (%s) shares c%u%s", all->names[i], all->levels[i], first,
                                         shared > 1 ? " and more" : "");
                if (strv_consume(&overlaps, item) < 0)
                        return -ENOMEM;
        }
        ok = xasprintf("domlabel:%s/static-mcs-overlaps", name);
        return ok ? put_list(s, ok, &overlaps) : -ENOMEM;
}

static int
domlabel_publish(FactStore *s, const char *name)
{
        _cleanup_domain_free_ Domain *dom = NULL;
        _cleanup_free_ char *err = NULL, *key = NULL, *sk = NULL;
        _cleanup_strv_free_ char **same = NULL;
        const DomainSeclabel *sl;
        const DomLabels *all;
        const Fact *xml, *list;
        bool none;
        int r;

        r = parse_domain(s, name, &dom, &xml, &err);
        if (r == -ENOMEM)
                return r;
        if (xml->kind == FACT_ERROR)
                return put_all(s, "domlabel", name, probe_domlabel_rules, xml);
        if (xml->kind != FACT_STRING)
                return put_all(s, "domlabel", name, probe_domlabel_rules, NULL); /* no such domain */
        if (r < 0) {
                Fact e = {.kind = FACT_ERROR, .error = r, .string = err ? err : (char *) strerror(-r)};
                return put_all(s, "domlabel", name, probe_domlabel_rules, &e);
        }
        sl = mac_seclabel(dom);
        /* libvirt's default type is dynamic */
        if ((r = domlabel_put(s, name, "type", sl ? (sl->type ? sl->type : "dynamic") : NULL)) < 0 ||
            (r = domlabel_put(s, name, "label", sl ? sl->label : NULL)) < 0)
                return r;
        key = static_key(sl, &none);
        if (!key && !none)
                return -ENOMEM;
        if ((r = domlabel_put(s, name, "model", seclabel_model(sl))) < 0 ||
            (r = domlabel_put(s, name, "static-key", key)) < 0)
                return r;
        list = fact_store_get(s, "libvirt:domains");
        if (list->kind == FACT_ERROR) {
                if ((r = domlabel_put_error(s, name, "static-key-shared-with", list)) < 0)
                        return r;
                return domlabel_publish_mcs(s, name, dom, NULL, list);
        }
        all = dom_labels(s);
        if (!all && list->kind == FACT_LIST)
                return -ENOMEM;
        for (size_t i = 0; key && all && all->names && all->names[i]; i++)
                if (!streq(all->names[i], name) && streq(all->keys[i], key) && strv_extend(&same, all->names[i]) < 0)
                        return -ENOMEM;
        sk = xasprintf("domlabel:%s/static-key-shared-with", name);
        if (!sk)
                return -ENOMEM;
        if ((r = put_list(s, sk, &same)) < 0)
                return r;
        return domlabel_publish_mcs(s, name, dom, all, NULL);
}

int
probe_domlabel_derive(FactStore *s, const char *name)
{
        const char *slash = strrchr(name, '/');
        _cleanup_free_ char *domain = NULL, *key = NULL;
        int r;

        /* NAME/FIELD: a domain name may hold '/' in a facts file, a field
         * never does */
        if (!slash || slash == name || !field_known(probe_domlabel_rules, slash + 1)) {
                key = xasprintf("domlabel:%s", name);
                if (!key)
                        return -ENOMEM;
                r = fact_store_set_error(s, key, -EINVAL,
                                         "%s: no such field of the domlabel namespace (docs/check-format.md)", key);
                return r < 0 ? r : 1;
        }
        domain = strndup(name, (size_t) (slash - name));
        if (!domain)
                return -ENOMEM;
        r = domlabel_publish(s, domain);
        return r < 0 ? r : 1;
}
