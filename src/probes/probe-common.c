/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdbool.h>
#include <string.h>

#include "host.h"
#include "probes.h"
#include "util.h"

int
probe_record_error(FactStore *s, const char *key, const char *path, int err)
{
        if (err == -ENOENT)
                return fact_store_set_absent(s, key);
        if (err == -EFBIG)
                return fact_store_set_error(s, key, err, "%s: file exceeds the size limit", path);
        return fact_store_set_error(s, key, err, "%s: %s", path, host_strerror(err));
}

bool
probe_offline_placeholder(const Host *h, const char *path, const char *text)
{
        static const char *const runtime[] = {"/proc/", "/sys/", "/run/"};
        bool under = false;

        if (host_is_live(h))
                return false;
        for (size_t i = 0; i < ELEMENTSOF(runtime); i++)
                if (startswith(path, runtime[i]))
                        under = true;
        if (!under)
                return false;
        for (const char *p = text; *p; p++)
                if (!strchr(" \t\r\n", *p))
                        return false;
        return true;
}

int
probe_record_value(FactStore *s, Host *h, const char *key, const char *path)
{
        _cleanup_free_ char *v = NULL;
        int r;

        r = host_read_value(h, path, &v);
        if (r < 0)
                return probe_record_error(s, key, path, r);
        if (probe_offline_placeholder(h, path, v))
                return fact_store_set_error(s, key, -ENOMEDIUM, "%s: %s", path, PROBE_PLACEHOLDER_REASON);
        return fact_store_set_string(s, key, v);
}

int
probe_name_is_safe_path(const char *name)
{
        if (!name || !*name || name[0] == '/' || strstr(name, "//"))
                return 0;
        for (const char *p = name; *p; p++)
                if ((unsigned char) *p <= 0x20 || (unsigned char) *p >= 0x7f || *p == '\\')
                        return 0;
        /* no ".." component */
        for (const char *p = name; p; p = strchr(p, '/')) {
                if (*p == '/')
                        p++;
                if (strneq(p, "..", 2) && (p[2] == '/' || p[2] == '\0'))
                        return 0;
                if (p[0] == '.' && (p[1] == '/' || p[1] == '\0'))
                        return 0;
        }
        return 1;
}

void
probe_normalize_param(char *name)
{
        for (; *name; name++)
                if (*name == '-')
                        *name = '_';
}

/* What says libvirt's QEMU driver is installed in a root: its
 * configuration directory, a daemon that runs it (monolithic libvirtd or
 * the modular virtqemud), or a daemon socket.  Debian's libvirt-daemon and
 * Fedora's libvirt-daemon-driver-qemu both ship the first two. */
static const char *const libvirt_marks[] = {
        "/etc/libvirt",
        "/usr/sbin/libvirtd",
        "/usr/sbin/virtqemud",
        "/run/libvirt/libvirt-sock",
        "/run/libvirt/virtqemud-sock",
};

const char *
probe_libvirt_installed(const Host *h)
{
        for (size_t i = 0; i < ELEMENTSOF(libvirt_marks); i++)
                if (host_exists(h, libvirt_marks[i]) > 0)
                        return libvirt_marks[i];
        return NULL;
}

char *
probe_libvirt_absent_reason(void)
{
        StrBuf b = {};

        strbuf_append(&b, "libvirt is not installed in this root: none of ");
        for (size_t i = 0; i < ELEMENTSOF(libvirt_marks); i++)
                strbuf_printf(&b, "%s%s", i ? ", " : "", libvirt_marks[i]);
        strbuf_append(&b, " exists");
        return strbuf_steal(&b);
}
