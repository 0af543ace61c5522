/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Runtime kernel state: command line, sysctls, sysfs values, module
 * parameters, CPU vulnerabilities, KVM, IOMMU, EFI variables. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "probes.h"
#include "strv.h"
#include "util.h"

int
probe_cmdline_load(FactStore *s, Host *h)
{
        _cleanup_free_ char *text = NULL;
        char *p;
        int r;

        r = host_read_text(h, "/proc/cmdline", HOST_LINE_MAX, &text);
        if (r == -EFBIG)
                return fact_store_fail_namespace(s, "cmdline", r, "/proc/cmdline: larger than %u bytes",
                                                 HOST_LINE_MAX);
        if (r == -ENOENT && !host_is_live(h))
                /* a copied /proc without it says nothing about the kernel's
                 * parameters: not "no mitigations=off" */
                return fact_store_fail_namespace(s, "cmdline", -ENOMEDIUM,
                                                 "/proc/cmdline: missing in an offline root: runtime state not available");
        if (r == -ENOENT)
                return 0; /* a live host without /proc mounted: every parameter absent */
        if (r < 0)
                return fact_store_fail_namespace(s, "cmdline", r, "/proc/cmdline: %s", host_strerror(r));
        if (probe_offline_placeholder(h, "/proc/cmdline", text))
                return fact_store_fail_namespace(s, "cmdline", -ENOMEDIUM, "/proc/cmdline: %s",
                                                 PROBE_PLACEHOLDER_REASON);

        /* The kernel's own rules (lib/cmdline.c next_arg()): whitespace
         * separates, double quotes group, "--" ends the kernel's part. */
        p = text;
        for (;;) {
                _cleanup_free_ char *word = NULL;
                StrBuf b = {};
                bool quoted = false;
                char *eq, *key;

                while (*p && isspace((unsigned char) *p))
                        p++;
                if (!*p)
                        break;
                while (*p && (quoted || !isspace((unsigned char) *p))) {
                        if (*p == '"')
                                quoted = !quoted;
                        else
                                strbuf_appendn(&b, p, 1);
                        p++;
                }
                word = strbuf_steal(&b);
                if (!word)
                        return -ENOMEM;
                if (streq(word, "--"))
                        break;
                eq = strchr(word, '=');
                if (eq)
                        *eq = '\0';
                probe_normalize_param(word);
                key = xasprintf("cmdline:%s", word);
                if (!key)
                        return -ENOMEM;
                r = fact_store_set_string(s, key, eq ? eq + 1 : ""); /* the last one wins */
                free(key);
                if (r < 0)
                        return r;
        }
        return 0;
}

int
probe_sysctl_load_one(FactStore *s, Host *h, const char *name)
{
        _cleanup_free_ char *key = xasprintf("sysctl:%s", name), *rel = strdup(name), *path = NULL;

        if (!key || !rel)
                return -ENOMEM;
        for (char *c = rel; *c; c++)
                if (*c == '.')
                        *c = '/';
        if (!probe_name_is_safe_path(rel))
                return fact_store_set_error(s, key, -EINVAL, "%s: invalid sysctl name", name);
        path = xasprintf("/proc/sys/%s", rel);
        if (!path)
                return -ENOMEM;
        return probe_record_value(s, h, key, path);
}

int
probe_sysfs_load_one(FactStore *s, Host *h, const char *name)
{
        _cleanup_free_ char *key = xasprintf("sysfs:%s", name), *path = xasprintf("/sys/%s", name);
        int r;

        if (!key || !path)
                return -ENOMEM;
        if (!probe_name_is_safe_path(name))
                return fact_store_set_error(s, key, -EINVAL, "%s: invalid sysfs path", name);
        r = probe_record_value(s, h, key, path);
        if (r < 0)
                return r;
        const Fact *f = fact_store_get(s, key);
        if (f->kind == FACT_ERROR && f->error == -EISDIR)
                return fact_store_set_string(s, key, "present");
        return 0;
}

/* Modules whose parameters matter for security (CHECKS.md 1.4). */
static const char *const kvm_modules[] = {
        "kvm", "kvm_amd", "kvm_intel", "kvm_pvm", "vfio", "vfio_iommu_type1",
};

int
probe_kvmparam_load_one(FactStore *s, Host *h, const char *name)
{
        _cleanup_free_ char *norm = strdup(name), *key = NULL, *path = NULL;
        char *dot;

        if (!norm)
                return -ENOMEM;
        probe_normalize_param(norm);
        key = xasprintf("kvmparam:%s", name);
        if (!key)
                return -ENOMEM;
        dot = strchr(norm, '.');
        if (!dot || !probe_name_is_safe_path(norm) || strchr(norm, '/'))
                return fact_store_set_error(s, key, -EINVAL, "%s: expected MODULE.PARAMETER", name);
        *dot = '\0';
        path = xasprintf("/sys/module/%s/parameters/%s", norm, dot + 1);
        if (!path)
                return -ENOMEM;
        return probe_record_value(s, h, key, path);
}

int
probe_kvmparam_collect(FactStore *s, Host *h)
{
        for (size_t i = 0; i < ELEMENTSOF(kvm_modules); i++) {
                _cleanup_strv_free_ char **params = NULL;
                _cleanup_free_ char *dir = xasprintf("/sys/module/%s/parameters", kvm_modules[i]);
                int r;

                if (!dir)
                        return -ENOMEM;
                r = host_list_dir(h, dir, &params);
                if (r < 0)
                        continue;
                STRV_FOREACH(p, params) {
                        _cleanup_free_ char *key = xasprintf("kvmparam:%s.%s", kvm_modules[i], *p);
                        if (!key)
                                return -ENOMEM;
                        (void) fact_store_get(s, key);
                }
        }
        return 0;
}

int
probe_cpuvuln_load(FactStore *s, Host *h)
{
        static const char dir[] = "/sys/devices/system/cpu/vulnerabilities";
        _cleanup_strv_free_ char **names = NULL;
        int r;

        r = host_list_dir(h, dir, &names);
        if (r == -ENOENT)
                return 0; /* kernel too old or not x86: every entry absent */
        if (r < 0)
                return fact_store_fail_namespace(s, "cpuvuln", r, "%s: %s", dir, host_strerror(r));
        STRV_FOREACH(n, names) {
                _cleanup_free_ char *key = xasprintf("cpuvuln:%s", *n), *path = xasprintf("%s/%s", dir, *n);
                if (!key || !path)
                        return -ENOMEM;
                r = probe_record_value(s, h, key, path);
                if (r < 0)
                        return r;
        }
        return 0;
}

int
probe_kvm_load(FactStore *s, Host *h)
{
        _cleanup_strv_free_ char **mods = NULL, **kvm = NULL;
        int r, v;

        r = host_list_dir(h, "/sys/module", &mods);
        if (r < 0 && r != -ENOENT)
                return fact_store_fail_namespace(s, "kvm", r, "/sys/module: %s", host_strerror(r));
        /* Vendor modules are kvm_<something>: kvm_intel, kvm_amd, kvm_pvm, ... */
        STRV_FOREACH(m, mods)
                if (startswith(*m, "kvm_") && strv_extend(&kvm, *m) < 0)
                        return -ENOMEM;
        if (kvm) {
                _cleanup_free_ char *j = strv_join(kvm, ",");
                if (!j)
                        return -ENOMEM;
                r = fact_store_set_string(s, "kvm:module", j);
                if (r < 0)
                        return r;
        } else
                (void) fact_store_set_absent(s, "kvm:module");

        r = host_kvm_api_version(h, &v);
        if (r == 0) {
                char buf[32];
                snprintf(buf, sizeof(buf), "%d", v);
                return fact_store_set_string(s, "kvm:api_version", buf);
        }
        if (r == -ENOMEDIUM || r == -ENOENT)
                return fact_store_set_absent(s, "kvm:api_version");
        return probe_record_error(s, "kvm:api_version", "/dev/kvm (KVM_GET_API_VERSION)", r);
}

int
probe_iommu_load(FactStore *s, Host *h)
{
        static const struct {
                const char *key, *path;
        } tables[] = {
                {"iommu:dmar", "/sys/firmware/acpi/tables/DMAR"},
                {"iommu:ivrs", "/sys/firmware/acpi/tables/IVRS"},
        };
        _cleanup_strv_free_ char **groups = NULL;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(tables); i++) {
                r = host_exists(h, tables[i].path);
                if (r < 0 && r != -ENOMEDIUM)
                        r = probe_record_error(s, tables[i].key, tables[i].path, r);
                else if (r == -ENOMEDIUM)
                        r = fact_store_set_error(s, tables[i].key, r, "%s: %s", tables[i].path, host_strerror(r));
                else
                        r = r > 0 ? fact_store_set_string(s, tables[i].key, "present")
                                  : fact_store_set_absent(s, tables[i].key);
                if (r < 0)
                        return r;
        }
        r = host_list_dir(h, "/sys/kernel/iommu_groups", &groups);
        if (r == -ENOENT)
                return fact_store_set_absent(s, "iommu:groups");
        if (r < 0)
                return fact_store_set_error(s, "iommu:groups", r, "/sys/kernel/iommu_groups: %s", host_strerror(r));
        char buf[32];
        snprintf(buf, sizeof(buf), "%zu", strv_length(groups));
        return fact_store_set_string(s, "iommu:groups", buf);
}

/* EFI variable data bytes after the 4-byte attribute header, as hex. */
#define EFIVAR_MAX 4096u

int
probe_efivar_load_one(FactStore *s, Host *h, const char *name)
{
        _cleanup_free_ char *key = xasprintf("efivar:%s", name), *path = NULL, *data = NULL;
        size_t len;
        int r;

        if (!key)
                return -ENOMEM;
        if (!probe_name_is_safe_path(name) || strchr(name, '/'))
                return fact_store_set_error(s, key, -EINVAL, "%s: invalid EFI variable name", name);
        path = xasprintf("/sys/firmware/efi/efivars/%s", name);
        if (!path)
                return -ENOMEM;
        r = host_read_file(h, path, EFIVAR_MAX, &data, &len);
        if (r < 0)
                return probe_record_error(s, key, path, r);
        if (len < 4)
                return fact_store_set_error(s, key, -EBADMSG, "%s: shorter than the attribute header", path);
        StrBuf b = {};
        for (size_t i = 4; i < len; i++)
                strbuf_printf(&b, "%02x", (unsigned char) data[i]);
        _cleanup_free_ char *hex = strbuf_steal(&b);
        if (!hex)
                return -ENOMEM;
        return fact_store_set_string(s, key, hex);
}

/* /proc/kallsyms lists per-CPU symbols first, then _text within the first
 * few hundred lines; reading this much of it finds it without holding the
 * whole file (megabytes). */
#define KALLSYMS_HEAD_MAX (512u * 1024u)

/*
 * kernel:text: the run-time address of _text from /proc/kallsyms, as
 * written ("ffffffff81000000").  An all-zero address is what the kernel
 * shows when kptr_restrict or missing privilege hides addresses: an error
 * that says so, never a value.  Absent when no _text line is in the head.
 */
int
probe_kernel_load(FactStore *s, Host *h)
{
        _cleanup_free_ char *text = NULL;
        size_t len = 0;
        int r;

        (void) fact_store_mark_complete(s, "kernel");
        r = host_runtime_available(h, "/proc/kallsyms");
        if (r >= 0)
                r = host_read_head(h, "/proc/kallsyms", KALLSYMS_HEAD_MAX, &text, &len);
        if (r < 0)
                return probe_record_error(s, "kernel:text", "/proc/kallsyms", r);
        for (char *save = NULL, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char addr[17];
                const char *sp = strchr(line, ' ');

                if (!sp || !endswith(line, " T _text") || (size_t) (sp - line) != 16)
                        continue;
                memcpy(addr, line, 16);
                addr[16] = '\0';
                if (strspn(addr, "0123456789abcdef") != 16)
                        continue;
                if (strspn(addr, "0") == 16)
                        return fact_store_set_error(s, "kernel:text", -EACCES,
                                                    "/proc/kallsyms: addresses hidden (kernel.kptr_restrict, or not root)");
                return fact_store_set_string(s, "kernel:text", addr);
        }
        return fact_store_set_absent(s, "kernel:text");
}
