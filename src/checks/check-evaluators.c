/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Evaluators for checks that iterate objects or combine facts in ways a
 * condition cannot.  Rationale, severity and references stay in the
 * catalogue; only the mechanism is here.
 */
#include <inttypes.h>
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
is_ym(const Fact *f)
{
        return fact_is(f, "y") || fact_is(f, "m");
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

typedef enum Vendor {
        VENDOR_UNKNOWN,
        VENDOR_INTEL,
        VENDOR_AMD,
        VENDOR_OTHER,
} Vendor;

static Vendor
cpu_vendor(const Fact *v)
{
        if (v->kind != FACT_STRING)
                return VENDOR_UNKNOWN;
        if (streq(v->string, "GenuineIntel"))
                return VENDOR_INTEL;
        if (streq(v->string, "AuthenticAMD") || streq(v->string, "HygonGenuine"))
                return VENDOR_AMD;
        return VENDOR_OTHER;
}

/* A KVM provider other than the two hardware ones (kvm_pvm, ...). */
static const char *
software_kvm_module(const Fact *module)
{
        if (module->kind != FACT_STRING)
                return NULL;
        if (strstr(module->string, "kvm_pvm"))
                return "kvm_pvm";
        return NULL;
}

static int
eval_cpu_virt_extensions(EvalContext *ctx)
{
        const Fact *vendor = get(ctx, "cpu:vendor"), *flags = get(ctx, "cpu:flags"), *module = get(ctx, "kvm:module");
        Vendor v = cpu_vendor(vendor);
        const char *soft;
        int r;

        if ((r = eval_fact_unusable(ctx, "host", vendor)) != 0)
                return r < 0 ? r : 0;
        if (v == VENDOR_UNKNOWN)
                return eval_emit(ctx, STATUS_SKIP, "host", "no x86 vendor_id in /proc/cpuinfo (not x86)", NULL);
        if ((r = eval_fact_unusable(ctx, "host", flags)) != 0)
                return r < 0 ? r : 0;
        if (flag_set(flags, "vmx") || flag_set(flags, "svm"))
                return eval_emitf(ctx, STATUS_PASS, "host", "%s CPU advertises %s", vendor->string,
                                  flag_set(flags, "vmx") ? "vmx" : "svm");
        soft = software_kvm_module(module);
        if (soft)
                return eval_emitf(ctx, STATUS_PASS, "host",
                                  "no vmx/svm in /proc/cpuinfo, but KVM is provided by %s: guests run under KVM, not TCG",
                                  soft);
        if ((r = eval_fact_unusable(ctx, "host", module)) != 0)
                return r < 0 ? r : 0;
        return eval_emitf(ctx, STATUS_FAIL, "host", "%s CPU without %s in its flags; KVM module: %s", vendor->string,
                          v == VENDOR_AMD ? "svm" : "vmx", fact_text_or(module));
}

static int
eval_kvm_device_usable(EvalContext *ctx)
{
        const Fact *st = get(ctx, "stat:/dev/kvm"), *api = get(ctx, "kvm:api_version"), *module = get(ctx, "kvm:module");
        int r;

        if ((r = eval_fact_unusable(ctx, "/dev/kvm", st)) != 0)
                return r < 0 ? r : 0;
        if (st->kind == FACT_ABSENT)
                return eval_emit(ctx, STATUS_FAIL, "/dev/kvm", "/dev/kvm does not exist", NULL);
        if (!S_ISCHR(st->stat.mode) || st->stat.major != 10 || st->stat.minor != 232)
                return eval_emitf(ctx, STATUS_FAIL, "/dev/kvm", "/dev/kvm is %s %u:%u, not the KVM character device 10:232",
                                  fact_stat_type(st->stat.mode), st->stat.major, st->stat.minor);
        if (api->kind == FACT_STRING)
                return eval_emitf(ctx, streq(api->string, "12") ? STATUS_PASS : STATUS_FAIL, "/dev/kvm",
                                  "chr 10:232, KVM_GET_API_VERSION = %s, module %s", api->string, fact_text_or(module));
        if ((r = eval_fact_unusable(ctx, "/dev/kvm", api)) != 0)
                return r < 0 ? r : 0;
        /* Offline root or facts file: no ioctl possible. */
        if ((r = eval_fact_unusable(ctx, "/dev/kvm", module)) != 0)
                return r < 0 ? r : 0;
        if (module->kind == FACT_STRING)
                return eval_emitf(ctx, STATUS_PASS, "/dev/kvm", "chr 10:232 present, vendor module %s (no ioctl offline)",
                                  module->string);
        return eval_emit(ctx, STATUS_FAIL, "/dev/kvm", "chr 10:232 present but no KVM vendor module is loaded", NULL);
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
eval_kvm_built(EvalContext *ctx)
{
        const Fact *kvm = get(ctx, "kconfig:CONFIG_KVM"), *intel = get(ctx, "kconfig:CONFIG_KVM_INTEL"),
                   *amd = get(ctx, "kconfig:CONFIG_KVM_AMD"), *pvm = get(ctx, "kconfig:CONFIG_KVM_PVM"),
                   *x86 = get(ctx, "kconfig:CONFIG_X86"),
                   *vendor = get(ctx, "cpu:vendor");
        Vendor v = cpu_vendor(vendor);
        bool ok;
        int r;

        if ((r = eval_fact_unusable(ctx, "host", kvm)) != 0)
                return r < 0 ? r : 0;
        if (!is_ym(kvm))
                return eval_emitf(ctx, STATUS_FAIL, "host", "CONFIG_KVM = %s", fact_text_or(kvm));
        if (!fact_is(x86, "y"))
                return eval_emitf(ctx, STATUS_PASS, "host", "CONFIG_KVM = %s (not x86: no vendor option)", kvm->string);
        if (v == VENDOR_INTEL)
                ok = is_ym(intel);
        else if (v == VENDOR_AMD)
                ok = is_ym(amd);
        else
                ok = is_ym(intel) || is_ym(amd); /* offline image: either */
        /* PVM (pagetable-based KVM for hosts that are themselves VMs) needs
         * neither VMX nor SVM; hw.cpu-virt-extensions accepts it too. */
        if (!ok && is_ym(pvm))
                ok = true;
        return eval_emitf(ctx, ok ? STATUS_PASS : STATUS_FAIL, "host",
                          "CONFIG_KVM = %s; CONFIG_KVM_INTEL = %s; CONFIG_KVM_AMD = %s; CONFIG_KVM_PVM = %s; CPU %s",
                          kvm->string, fact_text_or(intel), fact_text_or(amd), fact_text_or(pvm),
                          v == VENDOR_UNKNOWN ? "unknown (either vendor accepted)" : vendor->string);
}

static int
eval_iommu_built(EvalContext *ctx)
{
        const Fact *sup = get(ctx, "kconfig:CONFIG_IOMMU_SUPPORT"), *intel = get(ctx, "kconfig:CONFIG_INTEL_IOMMU"),
                   *amd = get(ctx, "kconfig:CONFIG_AMD_IOMMU"), *irq = get(ctx, "kconfig:CONFIG_IRQ_REMAP"),
                   *vendor = get(ctx, "cpu:vendor");
        Vendor v = cpu_vendor(vendor);
        bool drv;
        int r;

        if ((r = eval_fact_unusable(ctx, "host", sup)) != 0)
                return r < 0 ? r : 0;
        if (v == VENDOR_INTEL)
                drv = fact_is(intel, "y");
        else if (v == VENDOR_AMD)
                drv = fact_is(amd, "y");
        else
                drv = fact_is(intel, "y") || fact_is(amd, "y");
        return eval_emitf(ctx, fact_is(sup, "y") && fact_is(irq, "y") && drv ? STATUS_PASS : STATUS_FAIL, "host",
                          "CONFIG_IOMMU_SUPPORT = %s; CONFIG_INTEL_IOMMU = %s; CONFIG_AMD_IOMMU = %s; CONFIG_IRQ_REMAP = %s",
                          fact_text_or(sup), fact_text_or(intel), fact_text_or(amd), fact_text_or(irq));
}

/* x86-64's __START_KERNEL_map (arch/x86/include/asm/page_64_types.h): the
 * kernel is linked at this plus CONFIG_PHYSICAL_START. */
#define X86_64_START_KERNEL_MAP UINT64_C(0xffffffff80000000)
#define X86_64_PHYSICAL_START_DEFAULT UINT64_C(0x1000000)

/*
 * KASLR in effect: built in, not turned off, and the kernel actually runs
 * away from its link-time address.  A kernel booted directly by a VMM (or
 * by a loader that does not randomize) runs at the link address with
 * CONFIG_RANDOMIZE_BASE=y and no nokaslr: the build says yes, the run no.
 */
static int
eval_kaslr(EvalContext *ctx)
{
        const Fact *rb = get(ctx, "kconfig:CONFIG_RANDOMIZE_BASE"), *nok = get(ctx, "cmdline:nokaslr"),
                   *start = get(ctx, "kconfig:CONFIG_PHYSICAL_START"), *text = get(ctx, "kernel:text");
        uint64_t link = X86_64_START_KERNEL_MAP + X86_64_PHYSICAL_START_DEFAULT, addr;
        int r;

        if ((r = eval_fact_unusable(ctx, "host", rb)) != 0)
                return r < 0 ? r : 0;
        if (!fact_is(rb, "y"))
                return eval_emitf(ctx, STATUS_FAIL, "host", "CONFIG_RANDOMIZE_BASE = %s", fact_text_or(rb));
        if ((r = eval_fact_unusable(ctx, "host", nok)) != 0)
                return r < 0 ? r : 0;
        if (nok->kind != FACT_ABSENT)
                return eval_emit(ctx, STATUS_FAIL, "host", "CONFIG_RANDOMIZE_BASE = y but the kernel command line has nokaslr",
                                 NULL);
        if ((r = eval_fact_unusable(ctx, "host", text)) != 0)
                return r < 0 ? r : 0;
        if (text->kind != FACT_STRING)
                return eval_emit(ctx, STATUS_SKIP, "host",
                                 "CONFIG_RANDOMIZE_BASE = y, no nokaslr, but no _text line in /proc/kallsyms: "
                                 "whether KASLR is in effect cannot be read", NULL);
        if (start->kind == FACT_STRING) {
                uint64_t p;

                if (parse_uint64(start->string, &p) < 0)
                        return eval_emitf(ctx, STATUS_ERROR, "host", "CONFIG_PHYSICAL_START = %s is not a number",
                                          start->string);
                link = X86_64_START_KERNEL_MAP + p;
        }
        _cleanup_free_ char *hex = xasprintf("0x%s", text->string);
        if (!hex)
                return -ENOMEM;
        if (parse_uint64(hex, &addr) < 0)
                return eval_emitf(ctx, STATUS_ERROR, "host", "kernel:text = %s is not an address", text->string);
        if (addr == link)
                return eval_emitf(ctx, STATUS_FAIL, "host",
                                  "CONFIG_RANDOMIZE_BASE = y and no nokaslr, but _text = %s in /proc/kallsyms is the "
                                  "link-time address (0x%" PRIx64 " + CONFIG_PHYSICAL_START %s): the kernel was not "
                                  "relocated (booted directly by a VMM, or a loader that does not randomize)",
                                  text->string, X86_64_START_KERNEL_MAP, fact_text_or(start));
        return eval_emitf(ctx, STATUS_PASS, "host", "_text = %s, not the link-time address %" PRIx64, text->string,
                          link);
}

/* kstrtobool() false values. */
static bool
kernel_bool_false(const char *s)
{
        return streq(s, "0") || streq(s, "n") || streq(s, "N") || streq(s, "off") || streq(s, "no");
}

static int
eval_iommu_default_translated(EvalContext *ctx)
{
        const Fact *pt = get(ctx, "cmdline:iommu.passthrough"), *iommu = get(ctx, "cmdline:iommu"),
                   *kpt = get(ctx, "kconfig:CONFIG_IOMMU_DEFAULT_PASSTHROUGH");
        int r;

        if ((r = eval_fact_unusable(ctx, "host", pt)) != 0)
                return r < 0 ? r : 0;
        if (pt->kind == FACT_STRING)
                return eval_emitf(ctx, kernel_bool_false(pt->string) ? STATUS_PASS : STATUS_FAIL, "host",
                                  "iommu.passthrough=%s on the kernel command line", pt->string);
        if (fact_is(iommu, "pt"))
                return eval_emit(ctx, STATUS_FAIL, "host", "iommu=pt on the kernel command line", NULL);
        if ((r = eval_fact_unusable(ctx, "host", kpt)) != 0)
                return r < 0 ? r : 0;
        return eval_emitf(ctx, fact_is(kpt, "y") ? STATUS_FAIL : STATUS_PASS, "host",
                          "CONFIG_IOMMU_DEFAULT_PASSTHROUGH = %s; cmdline iommu = %s", fact_text_or(kpt), fact_text_or(iommu));
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

static int
eval_microcode_current(EvalContext *ctx)
{
        const Fact *cur = get(ctx, "cpu:microcode"), *avail = get(ctx, "ucode:available");
        uint64_t c, a;
        int r;

        if ((r = eval_fact_unusable(ctx, "host", avail)) != 0)
                return r < 0 ? r : 0;
        if (avail->kind == FACT_ABSENT)
                return eval_emit(ctx, STATUS_SKIP, "host", "no microcode file for this CPU on disk", NULL);
        if ((r = eval_fact_unusable(ctx, "host", cur)) != 0)
                return r < 0 ? r : 0;
        if (cur->kind != FACT_STRING)
                return eval_emit(ctx, STATUS_SKIP, "host", "the CPU reports no microcode revision", NULL);
        if (strchr(cur->string, ','))
                return eval_emitf(ctx, STATUS_FAIL, "host", "CPUs run different microcode revisions: %s (on disk %s)",
                                  cur->string, avail->string);
        if (parse_uint64(cur->string, &c) < 0 || parse_uint64(avail->string, &a) < 0)
                return eval_emitf(ctx, STATUS_ERROR, "host", "unparsable microcode revision: loaded %s, on disk %s",
                                  cur->string, avail->string);
        return eval_emitf(ctx, c >= a ? STATUS_PASS : STATUS_FAIL, "host", "loaded %s, on disk %s", cur->string,
                          avail->string);
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

/* KSM merges pages only of memory that QEMU marked mergeable, which
 * libvirt skips for domains with <memoryBacking><nosharepages/>. */
static int
eval_ksm_off(EvalContext *ctx)
{
        static const char key[] = "sysfs:kernel/mm/ksm/run";
        const Fact *run = get(ctx, key), *list;
        const DomainSet *ds;
        StrBuf without = {}, unknown = {};
        unsigned n_without = 0;
        int r;

        if ((r = eval_fact_unusable(ctx, "host", run)) != 0)
                return r < 0 ? r : 0;
        if (run->kind == FACT_ABSENT)
                return eval_emitf(ctx, STATUS_PASS, "host", "%s absent (kernel without KSM)", key);
        if (fact_is(run, "0") || fact_is(run, "2"))
                return eval_emitf(ctx, STATUS_PASS, "host", "%s = %s (KSM stopped%s)", key, run->string,
                                  fact_is(run, "2") ? ", merged pages unmerged" : "");
        if (!fact_is(run, "1"))
                return eval_emitf(ctx, STATUS_FAIL, "host", "%s = %s (not 0 or 2)", key, fact_text_or(run));

        ds = eval_domains(ctx, &list);
        if (!ds) {
                if (list->kind == FACT_ERROR)
                        return eval_emitf(ctx, fact_error_is_skip(list) ? STATUS_SKIP : STATUS_ERROR, "host",
                                          "%s = 1 (KSM running); domains unreadable, nosharepages unknown: %s", key,
                                          list->string ? list->string : "unreadable");
                if (list->kind == FACT_ABSENT)
                        return eval_emitf(ctx, STATUS_SKIP, "host",
                                          "%s = 1 (KSM running); no libvirt domain source, nosharepages unknown", key);
                return -ENOMEM;
        }
        if (ds->n == 0)
                return eval_emitf(ctx, STATUS_PASS, "host", "%s = 1 (KSM running), but no libvirt domain is defined",
                                  key);
        for (size_t i = 0; i < ds->n; i++) {
                const DomainEntry *e = &ds->v[i];
                StrBuf *b = !e->model ? &unknown : !e->model->nosharepages ? &without : NULL;

                if (!b)
                        continue;
                if (b->len > 0)
                        strbuf_append(b, ", ");
                strbuf_append(b, e->name);
                if (b == &without)
                        n_without++;
                else
                        strbuf_printf(b, " (%s)", e->error ? e->error : "unparsable definition");
        }
        if (without.oom || unknown.oom)
                r = -ENOMEM;
        else if (without.len > 0)
                r = eval_emitf(ctx, STATUS_FAIL, "host",
                               "%s = 1 (KSM running) and %u of %zu domains lack <memoryBacking><nosharepages/>: %s%s%s",
                               key, n_without, ds->n, without.s, unknown.len ? "; not judged: " : "",
                               unknown.len ? unknown.s : "");
        else if (unknown.len > 0)
                r = eval_emitf(ctx, STATUS_ERROR, "host", "%s = 1 (KSM running); not judged: %s", key, unknown.s);
        else
                r = eval_emitf(ctx, STATUS_PASS, "host",
                               "%s = 1 (KSM running), but all %zu domains have <memoryBacking><nosharepages/>", key,
                               ds->n);
        strbuf_done(&without);
        strbuf_done(&unknown);
        return r;
}

/* Sorted by name; a new evaluator is one line here plus its function. */
const Evaluator evaluators_host[] = {
        {"cpu-virt-extensions",       eval_cpu_virt_extensions      },
        {"cpu-vulnerabilities-other", eval_cpu_vulnerabilities_other},
        {"dev-world-writable",        eval_dev_world_writable       },
        {"iommu-built",               eval_iommu_built              },
        {"iommu-default-translated",  eval_iommu_default_translated },
        {"ip-forward",                eval_ip_forward               },
        {"kaslr",                     eval_kaslr                    },
        {"ksm-off",                   eval_ksm_off                  },
        {"kvm-built",                 eval_kvm_built                },
        {"kvm-device-usable",         eval_kvm_device_usable        },
        {"kvm-node-owner",            eval_kvm_node_owner           },
        {"memory-encryption",         eval_memory_encryption        },
        {"microcode-current",         eval_microcode_current        },
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
