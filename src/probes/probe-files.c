/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* File metadata (stat:), device nodes (dev:), users and groups. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "host.h"
#include "probes.h"
#include "strv.h"
#include "util.h"

int
probe_stat_load_one(FactStore *s, Host *h, const char *name)
{
        _cleanup_free_ char *key = xasprintf("stat:%s", name);
        HostStat st;
        Fact f = {.kind = FACT_STAT};
        int r;

        if (!key)
                return -ENOMEM;
        if (name[0] != '/' || !probe_name_is_safe_path(name + 1))
                return fact_store_set_error(s, key, -EINVAL, "%s: not an absolute canonical path", name);
        r = host_lstat(h, name, &st);
        if (r < 0)
                return probe_record_error(s, key, name, r);
        f.stat.mode = st.mode;
        f.stat.uid = st.uid;
        f.stat.gid = st.gid;
        f.stat.major = major(st.rdev);
        f.stat.minor = minor(st.rdev);
        f.stat.acl = TAKE_PTR(st.acl);
        host_stat_done(&st);
        return fact_store_put(s, key, &f);
}

/* Device nodes under /dev, recursively: the list "dev:nodes" holds their
 * paths and each gets its "stat:" fact. */
static int
walk_dev(FactStore *s, Host *h, const char *dir, unsigned depth, char ***nodes)
{
        _cleanup_strv_free_ char **names = NULL;
        int r;

        if (depth > HOST_WALK_DEPTH_MAX)
                return 0;
        r = host_list_dir(h, dir, &names);
        if (r < 0)
                return r;
        STRV_FOREACH(n, names) {
                _cleanup_free_ char *path = xasprintf("%s/%s", dir, *n), *key = NULL;
                const Fact *f;

                if (!path)
                        return -ENOMEM;
                key = xasprintf("stat:%s", path);
                if (!key)
                        return -ENOMEM;
                f = fact_store_get(s, key);
                if (f->kind != FACT_STAT)
                        continue;
                if (S_ISDIR(f->stat.mode)) {
                        /* /dev/pts nodes are terminals owned by their users, by design. */
                        if (streq(path, "/dev/pts") || streq(path, "/dev/shm") || streq(path, "/dev/mqueue") ||
                            streq(path, "/dev/hugepages"))
                                continue;
                        r = walk_dev(s, h, path, depth + 1, nodes);
                        if (r < 0 && r != -EACCES)
                                return r;
                } else if (S_ISCHR(f->stat.mode) || S_ISBLK(f->stat.mode)) {
                        r = strv_consume(nodes, TAKE_PTR(path));
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

int
probe_dev_load(FactStore *s, Host *h)
{
        _cleanup_strv_free_ char **nodes = NULL;
        Fact f = {.kind = FACT_LIST};
        int r;

        r = walk_dev(s, h, "/dev", 0, &nodes);
        if (r == -ENOENT)
                return fact_store_set_absent(s, "dev:nodes");
        if (r < 0)
                return fact_store_set_error(s, "dev:nodes", r, "/dev: %s", host_strerror(r));
        if (!nodes) {
                nodes = calloc(1, sizeof(char *));
                if (!nodes)
                        return -ENOMEM;
        }
        strv_sort(nodes);
        f.list = TAKE_PTR(nodes);
        return fact_store_put(s, "dev:nodes", &f);
}

int
probe_stat_collect(FactStore *s, Host *h)
{
        static const char *const nodes[] = {
                "/dev/kvm", "/dev/vhost-net", "/dev/vhost-vsock", "/dev/net/tun", "/dev/sev", "/dev/vfio/vfio",
        };
        _cleanup_strv_free_ char **groups = NULL;

        (void) h;
        for (size_t i = 0; i < ELEMENTSOF(nodes); i++)
                (void) fact_store_get2(s, "stat", nodes[i]);
        (void) fact_store_get(s, "dev:nodes");
        return 0;
}

/* /etc/passwd and /etc/group of the audited root: "user:NAME" and
 * "group:NAME" hold the numeric id. */
static int
load_id_file(FactStore *s, Host *h, const char *path, const char *ns)
{
        _cleanup_free_ char *text = NULL;
        unsigned line = 0;
        char *p, *next;
        int r;

        r = host_read_text(h, path, HOST_TEXT_FILE_MAX, &text);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return fact_store_fail_namespace(s, ns, r, "%s: %s", path, host_strerror(r));
        for (p = text; p && *p; p = next) {
                char *f1, *f3;

                line++;
                next = strchr(p, '\n');
                if (next)
                        *next++ = '\0';
                if (*p == '\0' || *p == '#' || *p == '+' || *p == '-')
                        continue; /* NIS compat lines name no local id */
                f1 = strchr(p, ':');
                f3 = f1 ? strchr(f1 + 1, ':') : NULL;
                if (!f1 || !f3 || f1 == p)
                        return fact_store_fail_namespace(s, ns, -EBADMSG, "%s:%u: malformed entry", path, line);
                *f1 = '\0';
                char *end = strchr(f3 + 1, ':');
                if (end)
                        *end = '\0';
                uint64_t id;
                if (parse_uint64(f3 + 1, &id) < 0 || id > UINT32_MAX)
                        return fact_store_fail_namespace(s, ns, -EBADMSG, "%s:%u: invalid id \"%s\"", path, line,
                                                         f3 + 1);
                _cleanup_free_ char *key = xasprintf("%s:%s", ns, p);
                if (!key)
                        return -ENOMEM;
                if (fact_store_get(s, key)->kind == FACT_STRING)
                        continue; /* the first entry wins, as in getgrnam() */
                r = fact_store_set_string(s, key, f3 + 1);
                if (r < 0)
                        return r;
        }
        return 0;
}

int
probe_group_load(FactStore *s, Host *h)
{
        int r = load_id_file(s, h, "/etc/group", "group");
        return r < 0 ? r : 0;
}

int
probe_user_load(FactStore *s, Host *h)
{
        int r = load_id_file(s, h, "/etc/passwd", "user");
        return r < 0 ? r : 0;
}
