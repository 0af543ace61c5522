/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Where a fact comes from: the file on the audited host a probe reads for
 * it (and the line, where the probe recorded one).  Code-scanning UIs
 * (SARIF physicalLocation) point a finding at that file.  The paths are
 * those the probes of this directory open, host-relative; a probe that
 * changes where it reads changes its row here.
 */
#include <stdlib.h>
#include <string.h>

#include "probes.h"
#include "util.h"

/* The line recorded in meta:NS:NAME@line by the configuration probes
 * (probe-libvirt.c, probe-system.c); 0 when there is none. */
static unsigned
meta_line(FactStore *s, const char *key)
{
        _cleanup_free_ char *lkey = xasprintf("meta:%s@line", key);
        const Fact *f = lkey ? fact_store_peek(s, lkey) : NULL;
        int64_t v;

        if (!f || f->kind != FACT_STRING || parse_int64(f->string, &v) < 0 || v <= 0 || v > UINT32_MAX)
                return 0;
        return (unsigned) v;
}

/* The string of an already loaded fact, or NULL. */
static const char *
peek_string(FactStore *s, const char *key)
{
        const Fact *f = fact_store_peek(s, key);

        return f && f->kind == FACT_STRING && f->string[0] == '/' ? f->string : NULL;
}

/* "a.b.c" with dots as slashes, after @prefix. */
static char *
dotted_path(const char *prefix, const char *name)
{
        char *p = xasprintf("%s%s", prefix, name);

        if (p)
                for (char *c = p + strlen(prefix); *c; c++)
                        if (*c == '.')
                                *c = '/';
        return p;
}

int
probe_fact_source(FactStore *s, const char *key, char **ret_path, unsigned *ret_line)
{
        const char *colon = strchr(key, ':');
        _cleanup_free_ char *ns = NULL;
        const char *name;
        char *path = NULL;
        unsigned line = 0;

        if (!colon)
                return -EINVAL;
        ns = strndup(key, colon - key);
        if (!ns)
                return -ENOMEM;
        name = colon + 1;

        if (endswith(ns, ".conf")) {
                /* qemu.conf, libvirtd.conf, virtqemud.conf, virtproxyd.conf */
                path = xasprintf("/etc/libvirt/%s", ns);
                line = meta_line(s, key);
        } else if (streq(ns, "sasl")) {
                path = strdup("/etc/sasl2/libvirt.conf");
                line = meta_line(s, key);
        } else if (streq(ns, "kconfig")) {
                const char *src = peek_string(s, "meta:kconfig_source");
                path = strdup(src ? src : "/boot");
        } else if (streq(ns, "ucode")) {
                const char *src = peek_string(s, "meta:ucode_source");
                path = strdup(src ? src : "/lib/firmware");
        } else if (streq(ns, "cmdline"))
                path = strdup("/proc/cmdline");
        else if (streq(ns, "sysctl"))
                path = dotted_path("/proc/sys/", name);
        else if (streq(ns, "kvmparam")) {
                const char *dot = strchr(name, '.');
                path = dot ? xasprintf("/sys/module/%.*s/parameters/%s", (int) (dot - name), name, dot + 1)
                           : strdup("/sys/module");
        } else if (streq(ns, "sysfs"))
                path = xasprintf("/sys/%s", name);
        else if (streq(ns, "cpuvuln"))
                path = xasprintf("/sys/devices/system/cpu/vulnerabilities/%s", name);
        else if (streq(ns, "cpu"))
                path = startswith(name, "smt_") ? xasprintf("/sys/devices/system/cpu/smt/%s", name + 4)
                                                : strdup("/proc/cpuinfo");
        else if (streq(ns, "iommu"))
                path = strdup(streq(name, "groups") ? "/sys/kernel/iommu_groups" : "/sys/class/iommu");
        else if (streq(ns, "kvm"))
                path = strdup(streq(name, "module") ? "/proc/modules" : "/dev/kvm");
        else if (streq(ns, "lsm"))
                path = strdup("/sys/kernel/security/lsm");
        else if (streq(ns, "apparmor"))
                path = strdup("/sys/kernel/security/apparmor");
        else if (streq(ns, "aaprofile"))
                path = xasprintf("/etc/apparmor.d/libvirt/%s", name);
        else if (streq(ns, "selinux"))
                path = strdup("/sys/fs/selinux");
        else if (streq(ns, "mount"))
                path = strdup("/proc/self/mountinfo");
        else if (streq(ns, "user"))
                path = strdup("/etc/passwd");
        else if (streq(ns, "group"))
                path = strdup("/etc/group");
        else if (streq(ns, "efivar"))
                path = xasprintf("/sys/firmware/efi/efivars/%s", name);
        else if (streq(ns, "unit"))
                path = xasprintf("/etc/systemd/system/%s", name);
        else if (streq(ns, "dev"))
                path = strdup("/dev");
        else if (streq(ns, "process")) {
                /* process:PID/FIELD */
                size_t n = strcspn(name, "/");
                path = xasprintf("/proc/%.*s/status", (int) n, name);
        } else if (streq(ns, "domain") || streq(ns, "domainstate")) {
                /* domain:NAME (the definition), domainstate:NAME (the
                 * running state libvirt keeps under /run) */
                size_t n = strcspn(name, "/");
                path = xasprintf("%s/%.*s.xml", streq(ns, "domain") ? "/etc/libvirt/qemu" : "/run/libvirt/qemu",
                                 (int) n, name);
        } else if (streq(ns, "vm")) {
                /* vm:NAME/FIELD is derived from domain:NAME: its definition;
                 * a check's declared vm:@/FIELD, the directory of them all */
                size_t n = strcspn(name, "/");
                path = name[0] == '@' || name[0] == '*' ? strdup("/etc/libvirt/qemu")
                                                        : xasprintf("/etc/libvirt/qemu/%.*s.xml", (int) n, name);
        } else if (streq(ns, "libvirt"))
                path = strdup("/etc/libvirt/qemu");
        else if (streq(ns, "network"))
                path = xasprintf("/etc/libvirt/qemu/networks/%s.xml", name);
        else if (streq(ns, "qemu"))
                path = strdup("/etc/libvirt/qemu.conf");
        else if (name[0] == '/' &&
                 (streq(ns, "stat") || streq(ns, "label") || streq(ns, "realpath") || streq(ns, "realdev") ||
                  streq(ns, "imagehead") || streq(ns, "blockdev")))
                /* facts about one file: the file */
                path = strdup(name);
        else
                return -ENOENT;
        if (!path)
                return -ENOMEM;
        *ret_path = path;
        *ret_line = line;
        return 0;
}
