/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Mandatory access control: active LSMs, SELinux state, file labels and
 * AppArmor profiles.  Everything comes from plain files through the host
 * layer (selinuxfs, securityfs, /etc/selinux, the policy store), so it
 * works on an offline tree and in builds without libselinux. */
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "probes.h"
#include "strv.h"
#include "util.h"

/* A context is at most a few hundred bytes; the kernel refuses more than a
 * page in setxattr for security.selinux. */
#define SELINUX_CONTEXT_MAX 4096u
/* Permissive modules considered per policy store. */
#define SELINUX_PERMISSIVE_MAX 4096u
/* Loaded AppArmor profiles (a busy host with snaps has a few hundred). */
#define APPARMOR_PROFILES_MAX 65536u

int
probe_lsm_load(FactStore *s, Host *h)
{
        return probe_record_value(s, h, "lsm:active", "/sys/kernel/security/lsm");
}

/* SELINUX= and SELINUXTYPE= of /etc/selinux/config (shell-style KEY=value,
 * optionally quoted; selinux_config(5)). */
static int
selinux_config_load(FactStore *s, Host *h, char **ret_type)
{
        static const char path[] = "/etc/selinux/config";
        _cleanup_free_ char *text = NULL;
        char *line, *save = NULL;
        int r;

        r = host_read_text(h, path, HOST_SMALL_FILE_MAX, &text);
        if (r < 0) {
                int q = probe_record_error(s, "selinux:config", path, r);
                if (q < 0)
                        return q;
                return probe_record_error(s, "selinux:type", path, r);
        }
        (void) fact_store_set_absent(s, "selinux:config");
        (void) fact_store_set_absent(s, "selinux:type");
        for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                const char *key;
                char *v, *eq;

                line = strstrip(line);
                if (*line == '#' || !(eq = strchr(line, '=')))
                        continue;
                *eq = '\0';
                v = strstrip(eq + 1);
                strstrip(line);
                if (streq(line, "SELINUX"))
                        key = "selinux:config";
                else if (streq(line, "SELINUXTYPE"))
                        key = "selinux:type";
                else
                        continue;
                size_t n = strlen(v);
                if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
                        v[n - 1] = '\0';
                        v++;
                }
                text_sanitize(v);
                r = fact_store_set_string(s, key, v); /* the last one wins, as in libselinux */
                if (r < 0)
                        return r;
                if (streq(key, "selinux:type")) {
                        free(*ret_type);
                        *ret_type = strdup(v);
                        if (!*ret_type)
                                return -ENOMEM;
                }
        }
        return 0;
}

/*
 * "semanage permissive -a T" installs a policy module named permissive_T
 * at priority 400; the store keeps one directory per module under
 * /var/lib/selinux/<type>/active/modules/<priority>/, and an empty file
 * modules/disabled/<name> disables a module.  A permissive statement
 * inside some other module is not visible this way (verify against
 * seinfo --permissive when it matters).
 */
static int
selinux_permissive_load(FactStore *s, Host *h, const char *type)
{
        _cleanup_free_ char *dir = NULL;
        _cleanup_strv_free_ char **prios = NULL, **types = NULL;
        size_t count = 0;
        int r;

        if (!type || !probe_name_is_safe_path(type) || strchr(type, '/'))
                return fact_store_set_absent(s, "selinux:permissive");
        dir = xasprintf("/var/lib/selinux/%s/active/modules", type);
        if (!dir)
                return -ENOMEM;
        r = host_list_dir(h, dir, &prios);
        if (r < 0)
                return probe_record_error(s, "selinux:permissive", dir, r);
        STRV_FOREACH(p, prios) {
                _cleanup_strv_free_ char **mods = NULL;
                _cleanup_free_ char *pdir = NULL;
                uint64_t prio;

                if (parse_uint64(*p, &prio) < 0)
                        continue; /* "disabled" and anything that is no priority */
                pdir = xasprintf("%s/%s", dir, *p);
                if (!pdir)
                        return -ENOMEM;
                r = host_list_dir(h, pdir, &mods);
                if (r == -ENOTDIR || r == -ENOENT)
                        continue;
                if (r < 0)
                        return probe_record_error(s, "selinux:permissive", pdir, r);
                STRV_FOREACH(m, mods) {
                        _cleanup_free_ char *disabled = NULL;

                        if (!startswith(*m, "permissive_") || !(*m)[strlen("permissive_")])
                                continue;
                        disabled = xasprintf("%s/disabled/%s", dir, *m);
                        if (!disabled)
                                return -ENOMEM;
                        r = host_exists(h, disabled);
                        if (r < 0)
                                return probe_record_error(s, "selinux:permissive", disabled, r);
                        if (r > 0)
                                continue;
                        if (++count > SELINUX_PERMISSIVE_MAX)
                                return fact_store_set_error(s, "selinux:permissive", -EFBIG,
                                                            "%s: more than %u permissive modules", dir,
                                                            SELINUX_PERMISSIVE_MAX);
                        if (!strv_contains(types, *m + strlen("permissive_")) &&
                            strv_extend(&types, *m + strlen("permissive_")) < 0)
                                return -ENOMEM;
                }
        }
        if (!types && !(types = calloc(1, sizeof(char *))))
                return -ENOMEM;
        strv_sort(types);
        Fact f = {.kind = FACT_LIST, .list = TAKE_PTR(types)};
        return fact_store_put(s, "selinux:permissive", &f);
}

int
probe_selinux_load(FactStore *s, Host *h)
{
        static const char enforce[] = "/sys/fs/selinux/enforce";
        _cleanup_free_ char *type = NULL, *v = NULL;
        int r, mode;

        /* A live host through libselinux, which finds selinuxfs wherever it
         * is mounted; else (--root, no libselinux, SELinux off) the file. */
        r = host_selinux_getenforce(h, &mode);
        if (r == 0)
                r = fact_store_set_string(s, "selinux:enforce", mode ? "1" : "0");
        else if (r != -EOPNOTSUPP)
                r = fact_store_set_error(s, "selinux:enforce", r, "security_getenforce(): %s", host_strerror(r));
        else if ((r = host_read_value(h, enforce, &v)) < 0)
                r = probe_record_error(s, "selinux:enforce", enforce, r);
        else if (!streq(v, "0") && !streq(v, "1")) {
                text_sanitize(v);
                r = fact_store_set_error(s, "selinux:enforce", -EBADMSG, "%s: expected 0 or 1, found \"%.32s\"",
                                         enforce, v);
        } else
                r = fact_store_set_string(s, "selinux:enforce", v);
        if (r < 0)
                return r;
        r = selinux_config_load(s, h, &type);
        if (r < 0)
                return r;
        return selinux_permissive_load(s, h, type);
}

/* selinux:bool.NAME: the file holds "CURRENT PENDING" ("1 1"). */
int
probe_selinux_load_one(FactStore *s, Host *h, const char *name)
{
        _cleanup_free_ char *key = xasprintf("selinux:%s", name), *path = NULL, *v = NULL;
        const char *b;
        int r;

        if (!key)
                return -ENOMEM;
        b = startswith(name, "bool.") ? name + strlen("bool.") : NULL;
        if (!b)
                return fact_store_set_absent(s, key);
        if (!probe_name_is_safe_path(b) || strchr(b, '/'))
                return fact_store_set_error(s, key, -EINVAL, "%s: invalid SELinux boolean name", b);
        path = xasprintf("/sys/fs/selinux/booleans/%s", b);
        if (!path)
                return -ENOMEM;
        r = host_read_value(h, path, &v);
        if (r < 0)
                return probe_record_error(s, key, path, r);
        v[strcspn(v, " \t")] = '\0';
        if (!streq(v, "0") && !streq(v, "1")) {
                text_sanitize(v);
                return fact_store_set_error(s, key, -EBADMSG, "%s: expected \"0 0\"..\"1 1\", found \"%.32s\"", path, v);
        }
        return fact_store_set_string(s, key, v);
}

/* Records the virt booleans, which the lsm checks read, for "collect". */
int
probe_selinux_collect(FactStore *s, Host *h)
{
        _cleanup_strv_free_ char **names = NULL;

        if (host_list_dir(h, "/sys/fs/selinux/booleans", &names) < 0)
                return 0;
        STRV_FOREACH(n, names) {
                _cleanup_free_ char *key = NULL;

                if (!startswith(*n, "virt_"))
                        continue;
                key = xasprintf("selinux:bool.%s", *n);
                if (!key)
                        return -ENOMEM;
                (void) fact_store_get(s, key);
        }
        return 0;
}

/* label:PATH, the security.selinux attribute without its trailing NUL. */
int
probe_label_load_one(FactStore *s, Host *h, const char *name)
{
        _cleanup_free_ char *key = xasprintf("label:%s", name), *v = NULL;
        size_t len;
        int r;

        if (!key)
                return -ENOMEM;
        if (name[0] != '/' || !probe_name_is_safe_path(name + 1))
                return fact_store_set_error(s, key, -EINVAL, "%s: expected an absolute path", name);
        r = host_getxattr(h, name, "security.selinux", SELINUX_CONTEXT_MAX, &v, &len);
        if (r == -ENODATA || r == -EOPNOTSUPP || r == -ENOENT)
                return fact_store_set_absent(s, key);
        if (r < 0)
                return probe_record_error(s, key, name, r);
        while (len > 0 && (v[len - 1] == '\0' || v[len - 1] == '\n'))
                v[--len] = '\0';
        if (len == 0)
                return fact_store_set_absent(s, key);
        if (strlen(v) != len || !text_is_printable(v, len))
                return fact_store_set_error(s, key, -EBADMSG, "%s: security.selinux is not a context", name);
        return fact_store_set_string(s, key, v);
}

/*
 * filecon:PATH, the context the loaded policy's file contexts give PATH
 * (what restorecon would set; libselinux's selabel_lookup()): whether a
 * file's label survives the next relabel.  Live host only: absent under
 * --root and in a build without libselinux, and when no specification
 * matches.
 */
int
probe_filecon_load_one(FactStore *s, Host *h, const char *name)
{
        _cleanup_free_ char *key = xasprintf("filecon:%s", name), *v = NULL;
        _cleanup_(host_stat_done) HostStat st = {};
        int r;

        if (!key)
                return -ENOMEM;
        if (name[0] != '/' || !probe_name_is_safe_path(name + 1))
                return fact_store_set_error(s, key, -EINVAL, "%s: expected an absolute path", name);
        /* the file's type selects among the specifications (-- -d -s ...) */
        r = host_lstat(h, name, &st);
        if (r < 0 && r != -ENOENT)
                return probe_record_error(s, key, name, r);
        r = host_selinux_file_context(h, name, r < 0 ? 0 : st.mode, &v);
        if (r == -EOPNOTSUPP || r == -ENODATA)
                return fact_store_set_absent(s, key);
        if (r < 0)
                return fact_store_set_error(s, key, r, "%s: selabel_lookup(): %s", name, host_strerror(r));
        if (!text_is_printable(v, strlen(v)))
                return fact_store_set_error(s, key, -EBADMSG, "%s: the policy's context is not text", name);
        return fact_store_set_string(s, key, v);
}

int
probe_apparmor_load(FactStore *s, Host *h)
{
        static const char path[] = "/sys/kernel/security/apparmor/profiles";
        _cleanup_free_ char *text = NULL;
        _cleanup_strv_free_ char **profiles = NULL;
        char *line, *save = NULL;
        size_t count = 0;
        int r;

        r = probe_record_value(s, h, "apparmor:enabled", "/sys/module/apparmor/parameters/enabled");
        if (r < 0)
                return r;

        r = host_read_text(h, path, HOST_TEXT_FILE_MAX, &text);
        if (r < 0)
                return probe_record_error(s, "apparmor:profiles", path, r);
        /* One "NAME (MODE)" per line (security/apparmor/apparmorfs.c
         * seq_show_profile); a name may hold spaces, the mode never does. */
        for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *open;

                line = strstrip(line);
                if (!*line)
                        continue;
                open = strrchr(line, '(');
                if (!open || open == line || !endswith(line, ")"))
                        return fact_store_set_error(s, "apparmor:profiles", -EBADMSG,
                                                    "%s: expected \"NAME (MODE)\", found \"%.64s\"", path, line);
                if (++count > APPARMOR_PROFILES_MAX)
                        return fact_store_set_error(s, "apparmor:profiles", -EFBIG, "%s: more than %u profiles",
                                                    path, APPARMOR_PROFILES_MAX);
                text_sanitize(line);
                if (strv_extend(&profiles, line) < 0)
                        return -ENOMEM;
        }
        if (!profiles && !(profiles = calloc(1, sizeof(char *))))
                return -ENOMEM;
        strv_sort(profiles);
        Fact f = {.kind = FACT_LIST, .list = TAKE_PTR(profiles)};
        return fact_store_put(s, "apparmor:profiles", &f);
}
