/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "host.h"
#include "probes.h"
#include "strv.h"
#include "util.h"

/* Largest decompressed kernel config we accept (Debian's is ~280 KiB). */
#define KCONFIG_MAX HOST_TEXT_FILE_MAX

static int
gunzip_bounded(const char *in, size_t in_len, char **ret)
{
        _cleanup_free_ char *out = malloc(KCONFIG_MAX + 1);
        z_stream z = {};
        int zr;

        if (!out)
                return -ENOMEM;
        if (inflateInit2(&z, 15 + 16) != Z_OK) /* gzip wrapper only */
                return -ENOMEM;
        z.next_in = (Bytef *) in;
        z.avail_in = (uInt) in_len;
        z.next_out = (Bytef *) out;
        z.avail_out = KCONFIG_MAX;
        zr = inflate(&z, Z_FINISH);
        size_t n = z.total_out;
        inflateEnd(&z);
        if (zr == Z_STREAM_END) {
                out[n] = '\0';
                if (strlen(out) != n)
                        return -EBADMSG;
                *ret = TAKE_PTR(out);
                return 0;
        }
        if (zr == Z_BUF_ERROR && z.avail_out == 0)
                return -EFBIG;
        return zr == Z_BUF_ERROR ? -ENODATA /* truncated */ : -EBADMSG;
}

static int
version_cmp(const char *a, const char *b)
{
        /* Compare release strings like strverscmp: digit runs numerically. */
        return strverscmp(a, b);
}

/*
 * Finds the kernel config: /proc/config.gz, else /boot/config-<release>
 * with the release of the running (or imaged) kernel, else, when the root
 * says nothing about its release, the highest-versioned /boot/config-*.
 */
static int
find_config(FactStore *s, Host *h, char **ret_path, char **ret_text)
{
        _cleanup_free_ char *gz = NULL, *release = NULL, *path = NULL, *text = NULL;
        size_t gz_len;
        int r;

        r = host_read_file(h, "/proc/config.gz", HOST_GZIP_MAX, &gz, &gz_len);
        if (r == 0) {
                r = gunzip_bounded(gz, gz_len, &text);
                if (r < 0)
                        return fact_store_fail_namespace(s, "kconfig", r, "/proc/config.gz: %s",
                                                         r == -ENODATA ? "truncated gzip stream" :
                                                         r == -EFBIG ? "decompressed size exceeds the limit" :
                                                         "not a valid gzip file");
                *ret_path = strdup("/proc/config.gz");
                *ret_text = TAKE_PTR(text);
                return *ret_path ? 1 : -ENOMEM;
        }
        if (r != -ENOENT && r != -ENOMEDIUM)
                return fact_store_fail_namespace(s, "kconfig", r, "/proc/config.gz: %s", host_strerror(r));

        r = host_read_value(h, "/proc/sys/kernel/osrelease", &release);
        if (r == 0) {
                if (!probe_name_is_safe_path(release) || strchr(release, '/'))
                        return fact_store_fail_namespace(s, "kconfig", -EBADMSG,
                                                         "/proc/sys/kernel/osrelease: invalid release");
                path = xasprintf("/boot/config-%s", release);
        } else if (r == -ENOENT || r == -ENOMEDIUM) {
                _cleanup_strv_free_ char **names = NULL;
                const char *best = NULL;

                r = host_list_dir(h, "/boot", &names);
                if (r < 0 && r != -ENOENT)
                        return fact_store_fail_namespace(s, "kconfig", r, "/boot: %s", host_strerror(r));
                STRV_FOREACH(n, names)
                        if (startswith(*n, "config-") && (!best || version_cmp(*n, best) > 0))
                                best = *n;
                if (!best)
                        return fact_store_fail_namespace(s, "kconfig", -ENOPKG,
                                                         "no kernel configuration found (/proc/config.gz, /boot/config-*)");
                path = xasprintf("/boot/%s", best);
        } else
                return fact_store_fail_namespace(s, "kconfig", r, "/proc/sys/kernel/osrelease: %s", host_strerror(r));
        if (!path)
                return -ENOMEM;

        r = host_read_text(h, path, KCONFIG_MAX, &text);
        if (r == -ENOENT)
                return fact_store_fail_namespace(s, "kconfig", -ENOPKG,
                                                 "no kernel configuration found (/proc/config.gz, %s)", path);
        if (r < 0)
                return fact_store_fail_namespace(s, "kconfig", r, "%s: %s", path, host_strerror(r));
        *ret_path = TAKE_PTR(path);
        *ret_text = TAKE_PTR(text);
        return 1;
}

static bool
symbol_valid(const char *p, size_t n)
{
        if (n == 0)
                return false;
        for (size_t i = 0; i < n; i++)
                if (!(isalnum((unsigned char) p[i]) || p[i] == '_'))
                        return false;
        return true;
}

int
probe_kconfig_load(FactStore *s, Host *h)
{
        _cleanup_free_ char *path = NULL, *text = NULL;
        unsigned line = 0, symbols = 0;
        char *p, *next;
        int r;

        r = find_config(s, h, &path, &text);
        if (r <= 0)
                return r;
        r = fact_store_set_string(s, "meta:kconfig_source", path);
        if (r < 0)
                return r;

        for (p = text; p && *p; p = next) {
                char *eq;

                line++;
                next = strchr(p, '\n');
                if (next)
                        *next++ = '\0';
                if (*p == '\0')
                        continue;
                if (*p == '#') {
                        /* "# CONFIG_FOO is not set" */
                        const char *sym = p + 2;
                        size_t n;

                        if (!startswith(p, "# CONFIG_") || !endswith(p, " is not set"))
                                continue;
                        n = strlen(sym) - strlen(" is not set");
                        if (!symbol_valid(sym, n))
                                continue;
                        _cleanup_free_ char *key = xasprintf("kconfig:%.*s", (int) n, sym);
                        if (!key)
                                return -ENOMEM;
                        r = fact_store_set_string(s, key, "n");
                        if (r < 0)
                                return r;
                        symbols++;
                        continue;
                }
                eq = strchr(p, '=');
                if (!startswith(p, "CONFIG_") || !eq || !symbol_valid(p, (size_t) (eq - p)))
                        return fact_store_fail_namespace(s, "kconfig", -EBADMSG,
                                                         "%s:%u: not a kernel config line: \"%.40s\"", path, line, p);
                *eq = '\0';
                _cleanup_free_ char *key = xasprintf("kconfig:%s", p);
                if (!key)
                        return -ENOMEM;
                r = fact_store_set_string(s, key, eq + 1);
                if (r < 0)
                        return r;
                symbols++;
        }
        /* An empty or comments-only file is not a configuration in which
         * every option is unset: checks that pass on "not set" must not. */
        if (symbols == 0)
                return fact_store_fail_namespace(s, "kconfig", -EBADMSG, "no CONFIG_ symbols in %s", path);
        return 0;
}
