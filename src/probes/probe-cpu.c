/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* /proc/cpuinfo, SMT control and the microcode available on disk. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "probes.h"
#include "strv.h"
#include "util.h"

static const struct {
        const char *field, *key;
} cpuinfo_fields[] = {
        {"vendor_id", "cpu:vendor"},
        {"cpu family", "cpu:family"},
        {"model", "cpu:model"},
        {"stepping", "cpu:stepping"},
        {"flags", "cpu:flags"},
};

int
probe_cpu_load(FactStore *s, Host *h)
{
        _cleanup_strv_free_ char **microcode = NULL;
        _cleanup_free_ char *text = NULL;
        unsigned processors = 0;
        char *p, *next;
        int r;

        r = host_read_text(h, "/proc/cpuinfo", HOST_TEXT_FILE_MAX, &text);
        if (r < 0 && r != -ENOENT)
                return fact_store_fail_namespace(s, "cpu", r, "/proc/cpuinfo: %s", host_strerror(r));
        if (r == 0 && probe_offline_placeholder(h, "/proc/cpuinfo", text))
                return fact_store_fail_namespace(s, "cpu", -ENOMEDIUM, "/proc/cpuinfo: %s", PROBE_PLACEHOLDER_REASON);

        for (p = text; p && *p; p = next) {
                char *colon, *name, *value;

                next = strchr(p, '\n');
                if (next)
                        *next++ = '\0';
                colon = strchr(p, ':');
                if (!colon)
                        continue;
                *colon = '\0';
                name = strstrip(p);
                value = strstrip(colon + 1);
                if (streq(name, "processor")) {
                        processors++;
                        continue;
                }
                if (streq(name, "microcode")) {
                        if (!strv_contains(microcode, value) && strv_extend(&microcode, value) < 0)
                                return -ENOMEM;
                        continue;
                }
                if (processors > 1)
                        continue; /* the first CPU describes the rest */
                for (size_t i = 0; i < ELEMENTSOF(cpuinfo_fields); i++)
                        if (streq(name, cpuinfo_fields[i].field)) {
                                r = fact_store_set_string(s, cpuinfo_fields[i].key, value);
                                if (r < 0)
                                        return r;
                        }
        }
        if (microcode) {
                _cleanup_free_ char *j = strv_join(microcode, ",");
                if (!j)
                        return -ENOMEM;
                r = fact_store_set_string(s, "cpu:microcode", j);
                if (r < 0)
                        return r;
        }
        if (processors > 0) {
                char buf[32];
                snprintf(buf, sizeof(buf), "%u", processors);
                r = fact_store_set_string(s, "cpu:count", buf);
                if (r < 0)
                        return r;
        }

        r = probe_record_value(s, h, "cpu:smt_control", "/sys/devices/system/cpu/smt/control");
        if (r < 0)
                return r;
        return probe_record_value(s, h, "cpu:smt_active", "/sys/devices/system/cpu/smt/active");
}

/*
 * Intel microcode files (/lib/firmware/intel-ucode/FF-MM-SS) are a series
 * of updates, each with a 48-byte header: header version 1 at offset 0,
 * revision at 4, total size at 32 (0 means 2048).  See the kernel's
 * arch/x86/kernel/cpu/microcode/intel.c.
 */
#define INTEL_UCODE_FILE_MAX (16u * 1024u * 1024u)

static uint32_t
le32(const unsigned char *p)
{
        return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t) p[3] << 24;
}

int
probe_ucode_load(FactStore *s, Host *h)
{
        const Fact *vendor = fact_store_get(s, "cpu:vendor"), *family = fact_store_get(s, "cpu:family"),
                   *model = fact_store_get(s, "cpu:model"), *stepping = fact_store_get(s, "cpu:stepping");
        _cleanup_free_ char *path = NULL, *data = NULL;
        int64_t f, m, st;
        uint32_t best = 0;
        size_t len;
        int r;

        if (vendor->kind == FACT_ERROR)
                return fact_store_fail_namespace(s, "ucode", vendor->error, "%s", vendor->string);
        if (vendor->kind != FACT_STRING || family->kind != FACT_STRING || model->kind != FACT_STRING ||
            stepping->kind != FACT_STRING)
                return 0;
        if (!streq(vendor->string, "GenuineIntel"))
                return 0; /* AMD container files are not parsed: ucode:available stays absent */
        if (parse_int64(family->string, &f) < 0 || parse_int64(model->string, &m) < 0 ||
            parse_int64(stepping->string, &st) < 0 || f < 0 || f > 0xff || m < 0 || m > 0xff || st < 0 || st > 0xff)
                return fact_store_set_error(s, "ucode:available", -EBADMSG,
                                            "/proc/cpuinfo: family/model/stepping out of range");

        path = xasprintf("/lib/firmware/intel-ucode/%02x-%02x-%02x", (unsigned) f, (unsigned) m, (unsigned) st);
        if (!path)
                return -ENOMEM;
        r = host_read_file(h, path, INTEL_UCODE_FILE_MAX, &data, &len);
        if (r < 0)
                return probe_record_error(s, "ucode:available", path, r);
        for (size_t off = 0; off + 48 <= len;) {
                const unsigned char *hdr = (const unsigned char *) data + off;
                uint32_t total = le32(hdr + 32);

                if (le32(hdr) != 1)
                        return fact_store_set_error(s, "ucode:available", -EBADMSG,
                                                    "%s: bad microcode header at offset %zu", path, off);
                if (total == 0)
                        total = 2048;
                if (total < 48 || total > len - off)
                        return fact_store_set_error(s, "ucode:available", -EBADMSG,
                                                    "%s: bad microcode size at offset %zu", path, off);
                if (le32(hdr + 4) > best)
                        best = le32(hdr + 4);
                off += total;
        }
        if (best == 0)
                return fact_store_set_error(s, "ucode:available", -EBADMSG, "%s: no microcode update", path);
        char buf[32];
        snprintf(buf, sizeof(buf), "0x%x", best);
        r = fact_store_set_string(s, "ucode:available", buf);
        if (r < 0)
                return r;
        return fact_store_set_string(s, "meta:ucode_source", path);
}
