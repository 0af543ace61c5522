/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * host:FIELD and devnum:PATH, derived namespaces: what other facts of the
 * store say about the host as a whole, where a condition would need two
 * facts at once (an option chosen by the CPU vendor, a revision compared
 * with another, an address minus another).  Nothing here opens a host
 * file, so the namespaces are the same on a live host, under --root and
 * from a facts file (which never holds them: their sources are saved).
 *
 * Observations, not verdicts: which options are built, how two revisions
 * compare, how far the kernel was moved.  What is acceptable is written in
 * the checks (checks/kernel.check, cpu.check, hw.check).  A field whose
 * source could not be read carries that source's error; the fields are
 * documented in docs/check-format.md ("host" and "devnum" rows).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "domain.h"
#include "probes.h"
#include "strv.h"
#include "util.h"

const FactRule probe_host_rules[] = {
        {"iommu-vendor-drivers", FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"kernel-offset",        FACT_RULE_STRING, FACT_RULE_DERIVED},
        {"ksm-mergeable-domains", FACT_RULE_LIST,  FACT_RULE_DERIVED},
        {"kvm-vendor-modules",   FACT_RULE_LIST,   FACT_RULE_DERIVED},
        {"microcode-vs-disk",    FACT_RULE_STRING, FACT_RULE_DERIVED},
        {NULL, 0, 0},
};

const FactRule probe_devnum_rules[] = {
        {"*", FACT_RULE_STRING, FACT_RULE_DERIVED},
        {NULL, 0, 0},
};

/* An error that says the source is not there to be read (no CPU in an
 * offline image, a facts file without it): the classes the engine turns
 * into a skip (check.h, fact_error_is_skip()). */
static bool
error_is_unavailable(const Fact *f)
{
        return f->kind == FACT_ERROR && (f->error == -ENOMEDIUM || f->error == -EOPNOTSUPP || f->error == -ENOPKG);
}

/* Stores a copy of error fact @src under @key. */
static int
put_error_of(FactStore *s, const char *key, const Fact *src)
{
        int r = fact_store_set_error(s, key, src->error, "%s", src->string ? src->string : "unreadable");

        return r < 0 ? r : 1;
}

/* Takes *list (NULL: the empty list). */
static int
put_list(FactStore *s, const char *key, char ***list)
{
        Fact f = {.kind = FACT_LIST, .list = *list ? *list : calloc(1, sizeof(char *))};
        int r;

        *list = NULL;
        if (!f.list)
                return -ENOMEM;
        r = fact_store_put(s, key, &f);
        return r < 0 ? r : 1;
}

/*
 * The kconfig options of the CPU vendor's part of a feature: @intel for
 * GenuineIntel, @amd for AuthenticAMD and HygonGenuine (Hygon's Dhyana is
 * a Zen licensee and uses the AMD drivers), both when the vendor is not
 * one of those or not known (no vendor_id line: not x86, or no CPU to look
 * at, as in an offline image).  Those whose value is @built (or "m" too
 * when @module_counts) are stored as list @key.  An unreadable cpuinfo or
 * kernel configuration is the field's error.
 */
static int
derive_vendor_options(FactStore *s, const char *key, const char *intel, const char *amd, bool module_counts)
{
        const Fact *vendor = fact_store_get(s, "cpu:vendor");
        const char *candidates[2] = {intel, amd};
        _cleanup_strv_free_ char **built = NULL;

        if (vendor->kind == FACT_ERROR && !error_is_unavailable(vendor))
                return put_error_of(s, key, vendor);
        if (fact_is(vendor, "GenuineIntel"))
                candidates[1] = NULL;
        else if (fact_is(vendor, "AuthenticAMD") || fact_is(vendor, "HygonGenuine"))
                candidates[0] = NULL;
        for (size_t i = 0; i < ELEMENTSOF(candidates); i++) {
                _cleanup_free_ char *k = NULL;
                const Fact *f;

                if (!candidates[i])
                        continue;
                k = xasprintf("kconfig:%s", candidates[i]);
                if (!k)
                        return -ENOMEM;
                f = fact_store_get(s, k);
                if (f->kind == FACT_ERROR)
                        return put_error_of(s, key, f);
                if ((fact_is(f, "y") || (module_counts && fact_is(f, "m"))) && strv_extend(&built, candidates[i]) < 0)
                        return -ENOMEM;
        }
        return put_list(s, key, &built);
}

/* A microcode revision as /proc/cpuinfo and the probe write it: "0xf0". */
static int
parse_revision(const char *s, uint64_t *ret)
{
        return parse_uint64(s, ret);
}

/*
 * How the loaded microcode compares with the newest on disk for this CPU:
 * "older", "same" or "newer", for the lowest revision the CPUs report
 * (cpu:microcode lists each distinct one, comma-separated, when they
 * differ).  Absent when either revision is.
 */
static int
derive_microcode(FactStore *s, const char *key)
{
        const Fact *avail = fact_store_get(s, "ucode:available"), *cur = fact_store_get(s, "cpu:microcode");
        uint64_t a, lowest = UINT64_MAX;
        int r;

        if (avail->kind == FACT_ERROR)
                return put_error_of(s, key, avail);
        if (cur->kind == FACT_ERROR)
                return put_error_of(s, key, cur);
        if (avail->kind != FACT_STRING || cur->kind != FACT_STRING) {
                r = fact_store_set_absent(s, key);
                return r < 0 ? r : 1;
        }
        if (parse_revision(avail->string, &a) < 0) {
                r = fact_store_set_error(s, key, -EINVAL, "unparsable microcode revision: ucode:available = %s",
                                         avail->string);
                return r < 0 ? r : 1;
        }
        /* one revision, or the distinct ones comma-separated */
        for (const char *p = cur->string;;) {
                size_t n = strcspn(p, ",");
                _cleanup_free_ char *one = strndup(p, n);
                uint64_t c;

                if (!one)
                        return -ENOMEM;
                if (parse_revision(one, &c) < 0) {
                        r = fact_store_set_error(s, key, -EINVAL, "unparsable microcode revision: cpu:microcode = %s",
                                                 cur->string);
                        return r < 0 ? r : 1;
                }
                if (c < lowest)
                        lowest = c;
                if (!p[n])
                        break;
                p += n + 1;
        }
        r = fact_store_set_string(s, key, lowest < a ? "older" : lowest == a ? "same" : "newer");
        return r < 0 ? r : 1;
}

/* x86-64's __START_KERNEL_map (arch/x86/include/asm/page_64_types.h): the
 * kernel is linked at this plus CONFIG_PHYSICAL_START (default 16 MiB). */
#define X86_64_START_KERNEL_MAP UINT64_C(0xffffffff80000000)
#define X86_64_PHYSICAL_START_DEFAULT UINT64_C(0x1000000)

/*
 * The distance of the running kernel's _text (kernel:text) from its
 * link-time address, what the kernel itself prints as "Kernel Offset":
 * "0x0" for a kernel that was not relocated (KASLR off, or booted directly
 * by a VMM or a loader that does not randomize).  x86-64 only.
 */
static int
derive_kernel_offset(FactStore *s, const char *key)
{
        const Fact *text = fact_store_get(s, "kernel:text"), *start = fact_store_get(s, "kconfig:CONFIG_PHYSICAL_START");
        _cleanup_free_ char *hex = NULL, *value = NULL;
        uint64_t link = X86_64_START_KERNEL_MAP + X86_64_PHYSICAL_START_DEFAULT, addr;
        int r;

        if (text->kind == FACT_ERROR)
                return put_error_of(s, key, text);
        if (text->kind != FACT_STRING) {
                /* not "no offset": where the kernel runs cannot be read */
                r = fact_store_set_error(s, key, -ENOMEDIUM,
                                         "no _text line in /proc/kallsyms (kernel:text absent): where the kernel "
                                         "runs cannot be read");
                return r < 0 ? r : 1;
        }
        if (start->kind == FACT_ERROR)
                return put_error_of(s, key, start);
        if (start->kind == FACT_STRING) {
                uint64_t p;

                if (parse_uint64(start->string, &p) < 0) {
                        r = fact_store_set_error(s, key, -EINVAL, "CONFIG_PHYSICAL_START = %s is not a number",
                                                 start->string);
                        return r < 0 ? r : 1;
                }
                link = X86_64_START_KERNEL_MAP + p;
        }
        hex = xasprintf("0x%s", text->string);
        if (!hex)
                return -ENOMEM;
        if (parse_uint64(hex, &addr) < 0) {
                r = fact_store_set_error(s, key, -EINVAL, "kernel:text = %s is not an address", text->string);
                return r < 0 ? r : 1;
        }
        value = addr >= link ? xasprintf("0x%" PRIx64, addr - link) : xasprintf("-0x%" PRIx64, link - addr);
        if (!value)
                return -ENOMEM;
        r = fact_store_set_string(s, key, value);
        return r < 0 ? r : 1;
}

/*
 * The defined domains whose guest RAM KSM may merge: QEMU marks all guest
 * memory mergeable unless libvirt gives it mem-merge=off, which it does
 * for <memoryBacking><nosharepages/>.  Domains whose definition could not
 * be read or parsed are not judged: when no other domain is in the list
 * they make the field an error naming them (the list might not be empty),
 * otherwise the list names the ones known.
 */
static int
derive_ksm_domains(FactStore *s, const char *key)
{
        const Fact *list = fact_store_get(s, "libvirt:domains");
        _cleanup_strv_free_ char **mergeable = NULL;
        StrBuf unknown = {};
        int r;

        if (list->kind == FACT_ERROR)
                return put_error_of(s, key, list);
        if (list->kind != FACT_LIST) {
                r = fact_store_set_error(s, key, -ENOPKG, "no libvirt domain source (libvirt:domains absent)");
                return r < 0 ? r : 1;
        }
        STRV_FOREACH(name, list->list) {
                const Fact *xml = fact_store_get2(s, "domain", *name);
                _cleanup_domain_free_ Domain *d = NULL;
                _cleanup_free_ char *origin = NULL, *error = NULL;

                if (xml->kind != FACT_STRING) {
                        strbuf_printf(&unknown, "%s%s (%s)", unknown.len ? ", " : "", *name,
                                      xml->kind == FACT_ERROR && xml->string ? xml->string : "no domain definition");
                        continue;
                }
                origin = xasprintf("domain %s", *name);
                if (!origin) {
                        strbuf_done(&unknown);
                        return -ENOMEM;
                }
                r = domain_parse(xml->string, strlen(xml->string), origin, &d, &error);
                if (r == -ENOMEM) {
                        strbuf_done(&unknown);
                        return r;
                }
                if (r < 0) {
                        strbuf_printf(&unknown, "%s%s (%s)", unknown.len ? ", " : "", *name,
                                      error ? error : strerror(-r));
                        continue;
                }
                if (!d->nosharepages && strv_extend(&mergeable, *name) < 0) {
                        strbuf_done(&unknown);
                        return -ENOMEM;
                }
        }
        if (unknown.oom) {
                strbuf_done(&unknown);
                return -ENOMEM;
        }
        if (unknown.len > 0 && !mergeable) {
                r = fact_store_set_error(s, key, -EBADMSG, "not judged: %s", unknown.s);
                strbuf_done(&unknown);
                return r < 0 ? r : 1;
        }
        strbuf_done(&unknown);
        return put_list(s, key, &mergeable);
}

int
probe_host_derive(FactStore *s, const char *name)
{
        _cleanup_free_ char *key = xasprintf("host:%s", name);
        int r;

        if (!key)
                return -ENOMEM;
        if (streq(name, "kvm-vendor-modules"))
                return derive_vendor_options(s, key, "CONFIG_KVM_INTEL", "CONFIG_KVM_AMD", true);
        if (streq(name, "iommu-vendor-drivers"))
                return derive_vendor_options(s, key, "CONFIG_INTEL_IOMMU", "CONFIG_AMD_IOMMU", false);
        if (streq(name, "microcode-vs-disk"))
                return derive_microcode(s, key);
        if (streq(name, "kernel-offset"))
                return derive_kernel_offset(s, key);
        if (streq(name, "ksm-mergeable-domains"))
                return derive_ksm_domains(s, key);
        r = fact_store_set_error(s, key, -EINVAL, "%s: no such field of the host namespace (docs/check-format.md)",
                                 key);
        return r < 0 ? r : 1;
}

/* devnum:PATH: "MAJ:MIN" of the character or block device node at PATH,
 * from its stat:PATH fact; absent when PATH does not exist or is not a
 * device node. */
int
probe_devnum_derive(FactStore *s, const char *name)
{
        _cleanup_free_ char *key = xasprintf("devnum:%s", name), *skey = xasprintf("stat:%s", name);
        const Fact *st;
        int r;

        if (!key || !skey)
                return -ENOMEM;
        st = fact_store_get(s, skey);
        if (st->kind == FACT_ERROR)
                return put_error_of(s, key, st);
        if (st->kind != FACT_STAT || !(S_ISCHR(st->stat.mode) || S_ISBLK(st->stat.mode)))
                r = fact_store_set_absent(s, key);
        else {
                _cleanup_free_ char *v = xasprintf("%u:%u", st->stat.major, st->stat.minor);

                if (!v)
                        return -ENOMEM;
                r = fact_store_set_string(s, key, v);
        }
        return r < 0 ? r : 1;
}
