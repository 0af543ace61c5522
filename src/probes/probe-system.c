/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The host's service setup around libvirt: systemd unit enablement, the
 * daemon's start arguments and the SASL configuration of its listeners. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "host.h"
#include "probes.h"
#include "strv.h"
#include "util.h"

/* Unit directories systemd reads unit files from, in order (systemd.unit(5)). */
static const char *const unit_dirs[] = {
        "/etc/systemd/system",
        "/lib/systemd/system",
        "/usr/lib/systemd/system",
};

/* systemd's unit name alphabet (unit-name.c VALID_CHARS plus '@'). */
static bool
unit_name_valid(const char *name)
{
        if (!*name || strlen(name) > 255 || !strchr(name, '.'))
                return false;
        for (const char *p = name; *p; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                      strchr(":-_.\\@", *p)))
                        return false;
        return !streq(name, ".") && !streq(name, "..");
}

/* LIBVIRTD_ARGS="..." from the environment file the unit reads
 * (EnvironmentFile=-/etc/default/libvirtd on Debian, /etc/sysconfig on
 * Fedora).  Shell syntax: the last assignment wins; one level of quotes. */
static int
unit_args_load(FactStore *s, Host *h, const char *key)
{
        static const char *const files[] = {"/etc/default/libvirtd", "/etc/sysconfig/libvirtd"};

        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                _cleanup_free_ char *text = NULL, *value = NULL;
                char *line, *save = NULL;
                int r;

                r = host_read_text(h, files[i], HOST_SMALL_FILE_MAX, &text);
                if (r == -ENOENT)
                        continue;
                if (r < 0)
                        return probe_record_error(s, key, files[i], r);
                for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                        char *v;
                        size_t n;

                        line = strstrip(line);
                        if (startswith(line, "export "))
                                line = strstrip(line + strlen("export "));
                        if (!startswith(line, "LIBVIRTD_ARGS="))
                                continue;
                        v = line + strlen("LIBVIRTD_ARGS=");
                        n = strlen(v);
                        if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
                                v[n - 1] = '\0';
                                v++;
                        }
                        free(value);
                        value = strdup(v);
                        if (!value)
                                return -ENOMEM;
                }
                if (!value)
                        return fact_store_set_absent(s, key);
                text_sanitize(value);
                return fact_store_set_string(s, key, value);
        }
        return fact_store_set_absent(s, key);
}

/*
 * unit:NAME: "enabled" when /etc/systemd/system/<target>.wants/NAME exists,
 * "disabled" when only the unit file exists, "masked" when the unit file
 * in /etc/systemd/system is a link to /dev/null (such a unit cannot start,
 * whatever links want it), absent otherwise.
 */
int
probe_unit_load_one(FactStore *s, Host *h, const char *name)
{
        _cleanup_free_ char *key = xasprintf("unit:%s", name), *etc = NULL, *target = NULL;
        _cleanup_strv_free_ char **entries = NULL;
        bool file = false;
        int r;

        if (!key)
                return -ENOMEM;
        if (streq(name, "libvirtd.args"))
                return unit_args_load(s, h, key);
        if (!unit_name_valid(name))
                return fact_store_set_error(s, key, -EINVAL, "%s: invalid unit name", name);

        etc = xasprintf("%s/%s", unit_dirs[0], name);
        if (!etc)
                return -ENOMEM;
        r = host_readlink(h, etc, 4096, &target);
        if (r == 0 && streq(target, "/dev/null"))
                return fact_store_set_string(s, key, "masked");

        r = host_list_dir(h, unit_dirs[0], &entries);
        if (r < 0 && r != -ENOENT)
                return probe_record_error(s, key, unit_dirs[0], r);
        STRV_FOREACH(e, entries) {
                _cleanup_free_ char *link = NULL;

                if (!endswith(*e, ".wants"))
                        continue;
                link = xasprintf("%s/%s/%s", unit_dirs[0], *e, name);
                if (!link)
                        return -ENOMEM;
                r = host_exists(h, link);
                if (r < 0)
                        return probe_record_error(s, key, link, r);
                if (r > 0)
                        return fact_store_set_string(s, key, "enabled");
        }
        for (size_t i = 0; i < ELEMENTSOF(unit_dirs) && !file; i++) {
                _cleanup_free_ char *path = xasprintf("%s/%s", unit_dirs[i], name);

                if (!path)
                        return -ENOMEM;
                r = host_exists(h, path);
                if (r < 0)
                        return probe_record_error(s, key, path, r);
                file = r > 0;
        }
        return file ? fact_store_set_string(s, key, "disabled") : fact_store_set_absent(s, key);
}

/* The units the libvirtd checks read, recorded by "collect". */
int
probe_unit_collect(FactStore *s, Host *h)
{
        static const char *const units[] = {
                "libvirtd.service",  "libvirtd.socket",      "libvirtd-tcp.socket",  "libvirtd-tls.socket",
                "virtqemud.service", "virtqemud.socket",     "virtproxyd.service",   "virtproxyd.socket",
                "virtproxyd-tcp.socket", "virtproxyd-tls.socket", "libvirtd.args",
        };

        (void) h;
        for (size_t i = 0; i < ELEMENTSOF(units); i++) {
                _cleanup_free_ char *key = xasprintf("unit:%s", units[i]);
                if (!key)
                        return -ENOMEM;
                (void) fact_store_get(s, key);
        }
        return 0;
}

/* sasl:libvirt.KEY from /etc/sasl2/libvirt.conf: "key: value" lines, '#'
 * comments (Cyrus SASL lib/config.c: the key ends at ':', the value is
 * the rest of the line, trimmed). */
/* Places of one repeated SASL option kept for the evidence. */
#define SASL_REPEATS_RECORDED_MAX 64u

int
probe_sasl_load(FactStore *s, Host *h)
{
        static const char path[] = "/etc/sasl2/libvirt.conf";
        _cleanup_free_ char *text = NULL;
        unsigned lineno = 0;
        char *line;
        int r;

        r = host_read_text(h, path, HOST_SMALL_FILE_MAX, &text);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return fact_store_fail_namespace(s, "sasl", r, "%s: %s", path, host_strerror(r));
        for (line = text; line && *line; ) {
                char *nl = strchr(line, '\n'), *colon, *k;

                if (nl)
                        *nl = '\0';
                lineno++;
                k = strstrip(line);
                line = nl ? nl + 1 : NULL;
                if (!*k || *k == '#')
                        continue;
                colon = strchr(k, ':');
                if (!colon || colon == k)
                        return fact_store_fail_namespace(s, "sasl", -EBADMSG, "%s:%u: expected \"key: value\"", path,
                                                         lineno);
                *colon = '\0';
                strstrip(k);
                char *v = strstrip(colon + 1);
                text_sanitize(k);
                text_sanitize(v);
                /* libsasl2 (lib/config.c) lower-cases the key and
                 * sasl_config_getstring() returns the FIRST entry of a
                 * repeated key: later ones are ignored, and recorded as
                 * meta:sasl:libvirt.KEY@repeated for the evidence. */
                for (char *c = k; *c; c++)
                        if (*c >= 'A' && *c <= 'Z')
                                *c = (char) (*c - 'A' + 'a');
                _cleanup_free_ char *key = xasprintf("sasl:libvirt.%s", k);
                _cleanup_free_ char *linekey = xasprintf("meta:sasl:libvirt.%s@line", k);
                _cleanup_free_ char *repkey = xasprintf("meta:sasl:libvirt.%s@repeated", k);
                if (!key || !linekey || !repkey)
                        return -ENOMEM;
                if (fact_store_peek(s, key)) {
                        const Fact *first = fact_store_peek(s, linekey), *prev = fact_store_peek(s, repkey);
                        Fact f = {.kind = FACT_LIST};

                        if (prev && prev->kind == FACT_LIST && strv_length(prev->list) >= SASL_REPEATS_RECORDED_MAX)
                                continue; /* enough to make the point */
                        r = 0;
                        if (prev && prev->kind == FACT_LIST)
                                STRV_FOREACH(p, prev->list)
                                        if (r >= 0)
                                                r = strv_extend(&f.list, *p);
                        if (r >= 0 && !(prev && prev->kind == FACT_LIST))
                                r = strv_consume(&f.list, xasprintf("%s:%s", path,
                                                                    first && first->kind == FACT_STRING ? first->string : "?"));
                        if (r >= 0)
                                r = strv_consume(&f.list, xasprintf("%s:%u", path, lineno));
                        if (r < 0) {
                                fact_done(&f);
                                return r;
                        }
                        r = fact_store_put(s, repkey, &f);
                        if (r < 0)
                                return r;
                        continue;
                }
                char buf[16];
                snprintf(buf, sizeof(buf), "%u", lineno);
                r = fact_store_set_string(s, key, v);
                if (r >= 0)
                        r = fact_store_set_string(s, linekey, buf);
                if (r < 0)
                        return r;
        }
        return 0;
}
