/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Evaluators for checks that iterate objects or combine facts in ways a
 * condition cannot.  Rationale, severity and references stay in the
 * catalogue; only the mechanism is here.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "check-evaluators.h"
#include "check-objects.h"
#include "strv.h"
#include "util.h"

static const Fact *
get(EvalContext *ctx, const char *key)
{
        return fact_store_get(ctx->facts, key);
}

static bool
flag_set(const Fact *flags, const char *flag)
{
        if (flags->kind != FACT_STRING)
                return false;
        for (const char *p = flags->string; *p;) {
                size_t n;

                p += strspn(p, " \t");
                n = strcspn(p, " \t");
                if (n == strlen(flag) && strneq(p, flag, n))
                        return true;
                p += n;
        }
        return false;
}

static int
eval_memory_encryption(EvalContext *ctx)
{
        static const struct {
                const char *flag, *param, *name;
        } tech[] = {
                {"sev", "kvmparam:kvm_amd.sev", "AMD SEV"},
                {"sev_es", "kvmparam:kvm_amd.sev_es", "AMD SEV-ES"},
                {"sev_snp", "kvmparam:kvm_amd.sev_snp", "AMD SEV-SNP"},
                {"tdx_host_platform", "kvmparam:kvm_intel.tdx", "Intel TDX"},
        };
        const Fact *flags = get(ctx, "cpu:flags");
        unsigned advertised = 0;
        int r;

        if ((r = eval_fact_unusable(ctx, "host", flags)) != 0)
                return r < 0 ? r : 0;
        for (size_t i = 0; i < ELEMENTSOF(tech); i++) {
                const Fact *p;

                if (!flag_set(flags, tech[i].flag))
                        continue;
                advertised++;
                p = get(ctx, tech[i].param);
                if ((r = eval_fact_unusable(ctx, tech[i].param, p)) != 0) {
                        if (r < 0)
                                return r;
                        continue;
                }
                r = eval_emitf(ctx, fact_is(p, "Y") || fact_is(p, "1") ? STATUS_PASS : STATUS_FAIL, tech[i].param,
                               "%s advertised (flag %s); %s = %s", tech[i].name, tech[i].flag, tech[i].param, fact_text_or(p));
                if (r < 0)
                        return r;
        }
        if (advertised == 0)
                return eval_emit(ctx, STATUS_SKIP, "host", "the CPU advertises no memory encryption (sev, sev_es, sev_snp, tdx_host_platform)", NULL);
        return 0;
}

static int
eval_ip_forward(EvalContext *ctx)
{
        static const struct {
                const char *key, *family;
        } fams[] = {
                {"sysctl:net.ipv4.ip_forward", "ipv4"},
                {"sysctl:net.ipv6.conf.all.forwarding", "ipv6"},
        };
        _cleanup_strv_free_ char **nets = NULL;
        int r, rn;

        rn = fact_store_list(ctx->facts, "network", "", &nets);
        for (size_t i = 0; i < ELEMENTSOF(fams); i++) {
                const Fact *f = get(ctx, fams[i].key);
                _cleanup_free_ char *routing = NULL;

                if ((r = eval_fact_unusable(ctx, fams[i].key, f)) != 0) {
                        if (r < 0)
                                return r;
                        continue;
                }
                if (f->kind == FACT_ABSENT) {
                        r = eval_emitf(ctx, STATUS_SKIP, fams[i].key, "%s absent (no %s support)", fams[i].key,
                                       fams[i].family);
                } else if (fact_is(f, "0")) {
                        r = eval_emitf(ctx, STATUS_PASS, fams[i].key, "%s = 0", fams[i].key);
                } else {
                        if (rn < 0) {
                                r = eval_emitf(ctx, STATUS_ERROR, fams[i].key, "%s = %s; libvirt networks unreadable: %s",
                                               fams[i].key, fact_text_or(f), strerror(-rn));
                                if (r < 0)
                                        return r;
                                continue;
                        }
                        STRV_FOREACH(n, nets) {
                                const Fact *net = get(ctx, *n);
                                bool has_family = false, routes = false;

                                STRV_FOREACH(p, net->list) {
                                        if (startswith(*p, "ip=") && endswith(*p, fams[i].family))
                                                has_family = true;
                                        if (streq(*p, "forward=nat") || streq(*p, "forward=route") ||
                                            streq(*p, "forward=open"))
                                                routes = true;
                                }
                                if (has_family && routes && !routing)
                                        routing = strdup(*n + strlen("network:"));
                        }
                        if (routing)
                                r = eval_emitf(ctx, STATUS_PASS, fams[i].key,
                                               "%s = %s, needed by libvirt network \"%s\" (nat/route/open)", fams[i].key,
                                               fact_text_or(f), routing);
                        else
                                r = eval_emitf(ctx, STATUS_FAIL, fams[i].key,
                                               "%s = %s, and no libvirt network routes %s", fams[i].key, fact_text_or(f),
                                               fams[i].family);
                }
                if (r < 0)
                        return r;
        }
        return 0;
}

/* cpuvuln entries that another check of the catalogue names. */
static bool
cpuvuln_named_elsewhere(const EvalContext *ctx, const char *key)
{
        for (size_t i = 0; i < ctx->catalog->n_checks; i++) {
                const Check *c = &ctx->catalog->checks[i];

                if (c == ctx->check)
                        continue;
                if (strv_contains(c->facts, key))
                        return true;
        }
        return false;
}

static int
eval_cpu_vulnerabilities_other(EvalContext *ctx)
{
        _cleanup_strv_free_ char **keys = NULL;
        unsigned n = 0;
        int r;

        r = fact_store_list(ctx->facts, "cpuvuln", "", &keys);
        if (r < 0) {
                /* Any key of a failed namespace carries its error and reason. */
                const Fact *f = get(ctx, "cpuvuln:l1tf");
                int q = eval_fact_unusable(ctx, "host", f);
                if (q != 0)
                        return q < 0 ? q : 0;
                return eval_emitf(ctx, STATUS_ERROR, "host", "CPU vulnerability entries unreadable: %s", strerror(-r));
        }
        STRV_FOREACH(k, keys) {
                const Fact *f = get(ctx, *k);

                if (cpuvuln_named_elsewhere(ctx, *k))
                        continue;
                n++;
                if ((r = eval_fact_unusable(ctx, *k, f)) != 0) {
                        if (r < 0)
                                return r;
                        continue;
                }
                if (f->kind != FACT_STRING)
                        continue;
                if (startswith(f->string, "Vulnerable"))
                        r = eval_emitf(ctx, STATUS_FAIL, *k, "%s", f->string);
                else if (startswith(f->string, "Unknown"))
                        r = eval_emitf(ctx, STATUS_SKIP, *k, "%s", f->string);
                else
                        r = eval_emitf(ctx, STATUS_PASS, *k, "%s", f->string);
                if (r < 0)
                        return r;
        }
        if (n == 0)
                return eval_emit(ctx, STATUS_SKIP, "host",
                                 "no CPU vulnerability entries in /sys/devices/system/cpu/vulnerabilities", NULL);
        return 0;
}

/* Resolves a qemu.conf user/group value ("name" or "+N") to an id. */
static int
resolve_id(EvalContext *ctx, const char *ns, const char *value, int64_t *ret)
{
        const Fact *f;

        if (value[0] == '+')
                return parse_int64(value + 1, ret);
        f = fact_store_get2(ctx->facts, ns, value);
        if (f->kind != FACT_STRING)
                return -ENOENT;
        return parse_int64(f->string, ret);
}

/* The group:/user: fact of @value when it could not be read (an owner
 * that does not match is then "not known", never "wrong"), else NULL. */
static const Fact *
id_unreadable(EvalContext *ctx, const char *ns, const char *value)
{
        const Fact *f;

        if (!value || value[0] == '+')
                return NULL;
        f = fact_store_get2(ctx->facts, ns, value);
        return f->kind == FACT_ERROR ? f : NULL;
}

static int
eval_kvm_node_owner(EvalContext *ctx)
{
        const Fact *st = get(ctx, "stat:/dev/kvm"), *qgroup = get(ctx, "qemu.conf:group");
        int64_t kvm_gid = -1, qemu_gid = -1;
        int r;

        if ((r = eval_fact_unusable(ctx, "/dev/kvm", st)) != 0)
                return r < 0 ? r : 0;
        if (st->kind == FACT_ABSENT)
                return eval_emit(ctx, STATUS_SKIP, "/dev/kvm", "/dev/kvm does not exist", NULL);
        (void) resolve_id(ctx, "group", "kvm", &kvm_gid);
        if (qgroup->kind == FACT_STRING)
                (void) resolve_id(ctx, "group", qgroup->string, &qemu_gid);
        bool ok = st->stat.uid == 0 && ((int64_t) st->stat.gid == kvm_gid || (int64_t) st->stat.gid == qemu_gid);
        if (!ok && st->stat.uid == 0) {
                const Fact *e = id_unreadable(ctx, "group", "kvm");

                if (!e && qgroup->kind == FACT_STRING)
                        e = id_unreadable(ctx, "group", qgroup->string);
                if (e && (r = eval_fact_unusable(ctx, "/dev/kvm", e)) != 0)
                        return r < 0 ? r : 0;
        }
        return eval_emitf(ctx, ok ? STATUS_PASS : STATUS_FAIL, "/dev/kvm",
                          "owner %u:%u; group kvm = %s; qemu.conf group = %s", st->stat.uid, st->stat.gid,
                          kvm_gid >= 0 ? "found" : "not in /etc/group", fact_text_or(qgroup));
}

static int
eval_vfio_nodes(EvalContext *ctx)
{
        const Fact *nodes = get(ctx, "dev:nodes"), *quser = get(ctx, "qemu.conf:user");
        int64_t qemu_uid = -1;
        unsigned n = 0;
        int r;

        if ((r = eval_fact_unusable(ctx, "host", nodes)) != 0)
                return r < 0 ? r : 0;
        /* qemu.conf user, else the Debian and Fedora build defaults. */
        if (quser->kind == FACT_STRING)
                (void) resolve_id(ctx, "user", quser->string, &qemu_uid);
        else if (resolve_id(ctx, "user", "libvirt-qemu", &qemu_uid) < 0)
                (void) resolve_id(ctx, "user", "qemu", &qemu_uid);
        STRV_FOREACH(p, nodes->list) {
                _cleanup_free_ char *key = NULL;
                const Fact *st;

                if (!startswith(*p, "/dev/vfio/") || streq(*p, "/dev/vfio/vfio"))
                        continue;
                n++;
                key = xasprintf("stat:%s", *p);
                if (!key)
                        return -ENOMEM;
                st = get(ctx, key);
                if ((r = eval_fact_unusable(ctx, *p, st)) != 0) {
                        if (r < 0)
                                return r;
                        continue;
                }
                bool ok = (st->stat.mode & 07777 & ~0660) == 0 &&
                          (st->stat.uid == 0 || (int64_t) st->stat.uid == qemu_uid);
                const Fact *e = NULL;

                /* An owner that may be the QEMU user nobody could look up is not judged. */
                if (!ok && (st->stat.mode & 07777 & ~0660) == 0 && qemu_uid < 0)
                        e = quser->kind == FACT_STRING ? id_unreadable(ctx, "user", quser->string)
                                                        : id_unreadable(ctx, "user", "libvirt-qemu");
                if (e) {
                        if ((r = eval_fact_unusable(ctx, *p, e)) < 0)
                                return r;
                        continue;
                }
                r = eval_emitf(ctx, ok ? STATUS_PASS : STATUS_FAIL, *p, "%s %04o owner %u:%u",
                               fact_stat_type(st->stat.mode), st->stat.mode & 07777, st->stat.uid, st->stat.gid);
                if (r < 0)
                        return r;
        }
        if (n == 0)
                return eval_emit(ctx, STATUS_SKIP, "host", "no VFIO group or device nodes under /dev/vfio", NULL);
        return 0;
}

/* Nodes that are world-accessible by design, or judged by their own check. */
static const char *const dev_exempt[] = {
        "/dev/full", "/dev/fuse", "/dev/kvm", "/dev/net/tun", "/dev/null", "/dev/ptmx", "/dev/pts/ptmx",
        "/dev/random", "/dev/sev", "/dev/tty", "/dev/urandom", "/dev/vhost-net", "/dev/vhost-vsock",
        "/dev/vfio/vfio", "/dev/zero",
};

static bool
dev_is_exempt(const char *p)
{
        for (size_t i = 0; i < ELEMENTSOF(dev_exempt); i++)
                if (streq(dev_exempt[i], p))
                        return true;
        return startswith(p, "/dev/vfio/");
}

static int
eval_dev_world_writable(EvalContext *ctx)
{
        const Fact *nodes = get(ctx, "dev:nodes");
        unsigned checked = 0, bad = 0;
        int r;

        if ((r = eval_fact_unusable(ctx, "/dev", nodes)) != 0)
                return r < 0 ? r : 0;
        if (nodes->kind == FACT_ABSENT)
                return eval_emit(ctx, STATUS_SKIP, "/dev", "no /dev in the audited root", NULL);
        STRV_FOREACH(p, nodes->list) {
                _cleanup_free_ char *key = NULL;
                const Fact *st;

                if (dev_is_exempt(*p))
                        continue;
                key = xasprintf("stat:%s", *p);
                if (!key)
                        return -ENOMEM;
                st = get(ctx, key);
                if (st->kind != FACT_STAT)
                        continue; /* vanished since the walk */
                checked++;
                bool ww = st->stat.mode & S_IWOTH, wr = S_ISBLK(st->stat.mode) && (st->stat.mode & S_IROTH);
                if (!ww && !wr)
                        continue;
                bad++;
                r = eval_emitf(ctx, STATUS_FAIL, *p, "%s %u:%u mode %04o owner %u:%u is world-%s",
                               fact_stat_type(st->stat.mode), st->stat.major, st->stat.minor, st->stat.mode & 07777,
                               st->stat.uid, st->stat.gid, ww ? (wr ? "readable and -writable" : "writable") : "readable");
                if (r < 0)
                        return r;
        }
        if (bad == 0)
                return eval_emitf(ctx, STATUS_PASS, "/dev", "%u device nodes checked, none world-writable and no block device world-readable",
                                  checked);
        return 0;
}

/* Sorted by name; a new evaluator is one line here plus its function. */
const Evaluator evaluators_host[] = {
        {"cpu-vulnerabilities-other", eval_cpu_vulnerabilities_other},
        {"dev-world-writable",        eval_dev_world_writable       },
        {"ip-forward",                eval_ip_forward               },
        {"kvm-node-owner",            eval_kvm_node_owner           },
        {"memory-encryption",         eval_memory_encryption        },
        {"vfio-nodes",                eval_vfio_nodes               },
};

const size_t evaluators_host_count = ELEMENTSOF(evaluators_host);

static int
cmp_evaluator(const void *a, const void *b)
{
        return strcmp(((const Evaluator *) a)->name, ((const Evaluator *) b)->name);
}

static const struct {
        const Evaluator *table;
        const size_t *count;
} tables[] = {
        {evaluators_host, &evaluators_host_count},
        {evaluators_virt, &evaluators_virt_count},
};

const Evaluator *
evaluator_find(const char *name)
{
        Evaluator key = {.name = name};

        for (size_t i = 0; i < ELEMENTSOF(tables); i++) {
                const Evaluator *e = bsearch(&key, tables[i].table, *tables[i].count, sizeof(Evaluator), cmp_evaluator);
                if (e)
                        return e;
        }
        return NULL;
}

/* All evaluators in one sorted array, built on first use (for tests). */
const Evaluator *
evaluator_table(size_t *ret_n)
{
        static Evaluator *all;
        static size_t n;

        if (!all) {
                size_t total = 0, k = 0;
                for (size_t i = 0; i < ELEMENTSOF(tables); i++)
                        total += *tables[i].count;
                all = calloc(total, sizeof(Evaluator));
                if (!all) {
                        *ret_n = 0;
                        return NULL;
                }
                for (size_t i = 0; i < ELEMENTSOF(tables); i++)
                        for (size_t j = 0; j < *tables[i].count; j++)
                                all[k++] = tables[i].table[j];
                qsort(all, total, sizeof(Evaluator), cmp_evaluator);
                n = total;
        }
        *ret_n = n;
        return all;
}

static int
cmp_judge(const void *a, const void *b)
{
        return strcmp(((const Judge *) a)->name, ((const Judge *) b)->name);
}

static const struct {
        const Judge *table;
        const size_t *count;
} judge_tables[] = {
        {judges_domain, &judges_domain_count},
        {judges_virt, &judges_virt_count},
};

const Judge *
judge_find(const char *name)
{
        Judge key = {.name = name};

        for (size_t i = 0; i < ELEMENTSOF(judge_tables); i++) {
                const Judge *j = bsearch(&key, judge_tables[i].table, *judge_tables[i].count, sizeof(Judge), cmp_judge);
                if (j)
                        return j;
        }
        return NULL;
}

/* All judges in one sorted array, built on first use (for tests). */
const Judge *
judge_table(size_t *ret_n)
{
        static Judge *all;
        static size_t n;

        if (!all) {
                size_t total = 0, k = 0;
                for (size_t i = 0; i < ELEMENTSOF(judge_tables); i++)
                        total += *judge_tables[i].count;
                all = calloc(total ? total : 1, sizeof(Judge));
                if (!all) {
                        *ret_n = 0;
                        return NULL;
                }
                for (size_t i = 0; i < ELEMENTSOF(judge_tables); i++)
                        for (size_t j = 0; j < *judge_tables[i].count; j++)
                                all[k++] = judge_tables[i].table[j];
                qsort(all, total, sizeof(Judge), cmp_judge);
                n = total;
        }
        *ret_n = n;
        return all;
}
