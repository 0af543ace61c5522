/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Block devices the host itself uses (mount:devices), the sysfs view of one
 * block device (blockdev:MAJ:MIN) and the device node behind a path
 * (realdev:PATH).  CHECKS.md 1.4. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "host.h"
#include "probes.h"
#include "strv.h"
#include "util.h"

#define MOUNTINFO_PATH "/proc/self/mountinfo"
#define SWAPS_PATH     "/proc/swaps"
#define CLASS_BLOCK    "/sys/class/block"

/* Named bounds for what the host's runtime files control. */
#define MOUNT_LINES_MAX     65536u  /* lines of mountinfo and of /proc/swaps */
#define MOUNT_DEVICES_MAX   16384u  /* distinct devices in mount:devices */
#define MOUNT_FIELDS_MAX    64u     /* whitespace-separated fields per mountinfo line */
#define BLOCK_CLASS_MAX     16384u  /* entries of /sys/class/block examined */

typedef struct DevNum {
        unsigned major, minor;
} DevNum;

typedef struct Mount {
        char *point;            /* unescaped mount point */
        DevNum dev;             /* block device behind it; major 0: none */
} Mount;

typedef struct MountState {
        Mount *mounts;
        size_t n_mounts;
        DevNum *devs;
        size_t n_devs;
        char **fstypes;         /* distinct file system types mounted */
} MountState;

static void
mount_state_done(MountState *m)
{
        for (size_t i = 0; i < m->n_mounts; i++)
                free(m->mounts[i].point);
        free(m->mounts);
        free(m->devs);
        strv_free(m->fstypes);
        *m = (MountState) {};
}

/* "MAJ:MIN" → numbers; -EINVAL when it is not that. */
static int
parse_devnum(const char *s, DevNum *ret)
{
        _cleanup_free_ char *copy = strdup(s);
        uint64_t a, b;
        char *colon;

        if (!copy)
                return -ENOMEM;
        colon = strchr(copy, ':');
        if (!colon)
                return -EINVAL;
        *colon = '\0';
        if (!copy[0] || !colon[1] || strspn(copy, "0123456789") != strlen(copy) ||
            strspn(colon + 1, "0123456789") != strlen(colon + 1))
                return -EINVAL;
        if (parse_uint64(copy, &a) < 0 || parse_uint64(colon + 1, &b) < 0 || a > UINT32_MAX || b > UINT32_MAX)
                return -EINVAL;
        *ret = (DevNum) {(unsigned) a, (unsigned) b};
        return 0;
}

/* Undoes the kernel's octal escapes of mangle_path() ("\040" for a space). */
static void
unescape_octal(char *s)
{
        char *w = s;

        for (const char *r = s; *r;) {
                if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' && r[3] >= '0' &&
                    r[3] <= '7') {
                        *w++ = (char) (((r[1] - '0') << 6) | ((r[2] - '0') << 3) | (r[3] - '0'));
                        r += 4;
                } else
                        *w++ = *r++;
        }
        *w = '\0';
}

static int
add_dev(MountState *m, DevNum d)
{
        DevNum *n;

        for (size_t i = 0; i < m->n_devs; i++)
                if (m->devs[i].major == d.major && m->devs[i].minor == d.minor)
                        return 0;
        if (m->n_devs >= MOUNT_DEVICES_MAX)
                return -EFBIG;
        n = realloc(m->devs, (m->n_devs + 1) * sizeof(DevNum));
        if (!n)
                return -ENOMEM;
        m->devs = n;
        m->devs[m->n_devs++] = d;
        return 0;
}

/* The block device node at @path, symlinks resolved inside the root.
 * -ENOTBLK when it is something else. */
static int
block_node(Host *h, const char *path, DevNum *ret, char **ret_resolved)
{
        _cleanup_free_ char *real = NULL;
        HostStat st;
        int r;

        r = host_resolve(h, path, &real);
        if (r < 0)
                return r;
        r = host_lstat(h, real, &st);
        if (r < 0)
                return r;
        host_stat_done(&st);
        if (!S_ISBLK(st.mode))
                return -ENOTBLK;
        *ret = (DevNum) {major(st.rdev), minor(st.rdev)};
        if (ret_resolved)
                *ret_resolved = TAKE_PTR(real);
        return 0;
}

/* Splits @line at blanks into at most @max fields (in place). */
static size_t
split_fields(char *line, char **fields, size_t max)
{
        size_t n = 0;
        char *p = line;

        while (n < max) {
                p += strspn(p, " \t");
                if (!*p)
                        break;
                fields[n++] = p;
                p += strcspn(p, " \t");
                if (*p)
                        *p++ = '\0';
        }
        return n;
}

/* mountinfo: "ID PARENT MAJ:MIN ROOT POINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTS". */
static int
read_mountinfo(Host *h, MountState *m, char **ret_error)
{
        _cleanup_free_ char *text = NULL;
        unsigned lines = 0;
        char *save = NULL;
        int r;

        r = host_read_text(h, MOUNTINFO_PATH, HOST_TEXT_FILE_MAX, &text);
        if (r == -ENOENT)
                r = -ENOMEDIUM; /* a tree with /proc but without it: not collected */
        if (r < 0) {
                *ret_error = xasprintf("%s: %s", MOUNTINFO_PATH,
                                       r == -ENOMEDIUM ? "runtime state not available" : host_strerror(r));
                return r;
        }
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *f[MOUNT_FIELDS_MAX];
                size_t n, sep;
                DevNum d;
                Mount *nm;

                if (++lines > MOUNT_LINES_MAX) {
                        *ret_error = xasprintf("%s: more than %u lines", MOUNTINFO_PATH, MOUNT_LINES_MAX);
                        return -EFBIG;
                }
                n = split_fields(line, f, ELEMENTSOF(f));
                for (sep = 6; sep < n && !streq(f[sep], "-"); sep++)
                        ;
                if (n < 7 || sep + 2 >= n || parse_devnum(f[2], &d) < 0) {
                        *ret_error = xasprintf("%s: line %u: malformed", MOUNTINFO_PATH, lines);
                        return -EBADMSG;
                }
                /* Which file systems are mounted (securityfs,
                 * selinuxfs): a runtime file missing under an unmounted
                 * one is not "off". */
                if (!strv_contains(m->fstypes, f[sep + 1]) && strv_extend(&m->fstypes, f[sep + 1]) < 0)
                        return -ENOMEM;
                if (d.major == 0) {
                        /* Anonymous device: pseudo file systems, and btrfs,
                         * whose source still names the real device. */
                        _cleanup_free_ char *src = strdup(f[sep + 2]);
                        if (!src)
                                return -ENOMEM;
                        unescape_octal(src);
                        if (!startswith(src, "/dev/") || block_node(h, src, &d, NULL) < 0)
                                d = (DevNum) {};
                }
                nm = realloc(m->mounts, (m->n_mounts + 1) * sizeof(Mount));
                if (!nm)
                        return -ENOMEM;
                m->mounts = nm;
                m->mounts[m->n_mounts].point = strdup(f[4]);
                m->mounts[m->n_mounts].dev = d;
                if (!m->mounts[m->n_mounts].point)
                        return -ENOMEM;
                unescape_octal(m->mounts[m->n_mounts++].point);
                if (d.major != 0) {
                        r = add_dev(m, d);
                        if (r < 0) {
                                if (r == -EFBIG)
                                        *ret_error = xasprintf("%s: more than %u devices", MOUNTINFO_PATH,
                                                               MOUNT_DEVICES_MAX);
                                return r;
                        }
                }
        }
        return 0;
}

/* The device of the file system holding @path: the longest mount point
 * that is a prefix of it, the last mount winning (it hides earlier ones). */
static bool
mount_for_path(const MountState *m, const char *path, DevNum *ret)
{
        size_t best = 0;
        bool found = false;

        for (size_t i = 0; i < m->n_mounts; i++) {
                const char *p = m->mounts[i].point;
                size_t l = strlen(p);

                if (streq(p, "/"))
                        l = 0;
                else if (!strneq(path, p, l) || (path[l] != '/' && path[l] != '\0'))
                        continue;
                if (!found || l >= best) {
                        best = l;
                        *ret = m->mounts[i].dev;
                        found = true;
                }
        }
        return found;
}

/* /proc/swaps: "Filename Type Size Used Priority" after a header line. */
static int
read_swaps(Host *h, MountState *m, char **ret_error)
{
        _cleanup_free_ char *text = NULL;
        unsigned lines = 0;
        char *save = NULL;
        int r;

        r = host_read_text(h, SWAPS_PATH, HOST_TEXT_FILE_MAX, &text);
        if (r == -ENOENT)
                return 0; /* kernel without swap support */
        if (r < 0) {
                *ret_error = xasprintf("%s: %s", SWAPS_PATH, host_strerror(r));
                return r;
        }
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                _cleanup_free_ char *real = NULL;
                char *f[3];
                DevNum d;

                if (++lines > MOUNT_LINES_MAX) {
                        *ret_error = xasprintf("%s: more than %u lines", SWAPS_PATH, MOUNT_LINES_MAX);
                        return -EFBIG;
                }
                if (lines == 1 && startswith(line, "Filename"))
                        continue;
                if (split_fields(line, f, ELEMENTSOF(f)) < 2) {
                        *ret_error = xasprintf("%s: line %u: malformed", SWAPS_PATH, lines);
                        return -EBADMSG;
                }
                unescape_octal(f[0]);
                if (streq(f[1], "partition")) {
                        r = block_node(h, f[0], &d, NULL);
                        if (r < 0) {
                                *ret_error = xasprintf("%s: swap partition %s: %s", SWAPS_PATH, f[0],
                                                       r == -ENOTBLK ? "not a block device" : host_strerror(r));
                                return r;
                        }
                } else {
                        /* A swap file: the file system holding it. */
                        r = host_resolve(h, f[0], &real);
                        if (r < 0) {
                                *ret_error = xasprintf("%s: swap file %s: %s", SWAPS_PATH, f[0], host_strerror(r));
                                return r;
                        }
                        if (!mount_for_path(m, real, &d) || d.major == 0)
                                continue; /* on tmpfs or another virtual file system */
                }
                r = add_dev(m, d);
                if (r < 0) {
                        if (r == -EFBIG)
                                *ret_error = xasprintf("%s: more than %u devices", SWAPS_PATH, MOUNT_DEVICES_MAX);
                        return r;
                }
        }
        return 0;
}

/* Every /sys/class/block entry with a non-empty holders/ directory: LVM
 * physical volumes, dm and md members. */
static int
read_holders(Host *h, MountState *m, char **ret_error)
{
        _cleanup_strv_free_ char **names = NULL;
        size_t n = 0;
        int r;

        r = host_list_dir(h, CLASS_BLOCK, &names);
        if (r == -ENOENT)
                r = -ENOMEDIUM; /* a tree with /sys but without it: not collected */
        if (r < 0) {
                *ret_error = xasprintf("%s: %s", CLASS_BLOCK,
                                       r == -ENOMEDIUM ? "runtime state not available" : host_strerror(r));
                return r;
        }
        STRV_FOREACH(name, names) {
                _cleanup_strv_free_ char **holders = NULL;
                _cleanup_free_ char *dir = NULL, *devpath = NULL, *value = NULL;
                DevNum d;

                if (++n > BLOCK_CLASS_MAX) {
                        *ret_error = xasprintf("%s: more than %u entries", CLASS_BLOCK, BLOCK_CLASS_MAX);
                        return -EFBIG;
                }
                dir = xasprintf("%s/%s/holders", CLASS_BLOCK, *name);
                devpath = xasprintf("%s/%s/dev", CLASS_BLOCK, *name);
                if (!dir || !devpath)
                        return -ENOMEM;
                r = host_list_dir(h, dir, &holders);
                if (r == -ENOENT)
                        continue;
                if (r < 0) {
                        *ret_error = xasprintf("%s: %s", dir, host_strerror(r));
                        return r;
                }
                if (strv_length(holders) == 0)
                        continue;
                r = host_read_value(h, devpath, &value);
                if (r < 0) {
                        *ret_error = xasprintf("%s: %s", devpath, host_strerror(r));
                        return r;
                }
                if (parse_devnum(value, &d) < 0) {
                        *ret_error = xasprintf("%s: not MAJOR:MINOR", devpath);
                        return -EBADMSG;
                }
                r = add_dev(m, d);
                if (r < 0) {
                        if (r == -EFBIG)
                                *ret_error = xasprintf("%s: more than %u devices", CLASS_BLOCK, MOUNT_DEVICES_MAX);
                        return r;
                }
        }
        return 0;
}

static int
devnum_cmp(const void *a, const void *b)
{
        const DevNum *x = a, *y = b;

        if (x->major != y->major)
                return x->major < y->major ? -1 : 1;
        if (x->minor != y->minor)
                return x->minor < y->minor ? -1 : 1;
        return 0;
}

int
probe_mount_load(FactStore *s, Host *h)
{
        _cleanup_(mount_state_done) MountState m = {};
        _cleanup_free_ char *error = NULL;
        Fact f = {.kind = FACT_LIST};
        int r;

        r = read_mountinfo(h, &m, &error);
        /* The file system types need only mountinfo: recorded before the
         * swap and holder reads, whose failure fails the other facts. */
        if (r >= 0 && m.fstypes) {
                Fact t = {.kind = FACT_LIST};

                strv_sort(m.fstypes);
                t.list = TAKE_PTR(m.fstypes);
                r = fact_store_put(s, "mount:fstypes", &t);
                if (r < 0)
                        return r;
        }
        if (r >= 0)
                r = read_swaps(h, &m, &error);
        if (r >= 0)
                r = read_holders(h, &m, &error);
        if (r == -ENOMEM)
                return r;
        if (r < 0 && !fact_store_peek(s, "mount:fstypes"))
                return fact_store_fail_namespace(s, "mount", r, "%s", error ? error : host_strerror(r));
        if (r < 0) {
                (void) fact_store_mark_complete(s, "mount");
                return fact_store_set_error(s, "mount:devices", r, "%s", error ? error : host_strerror(r));
        }

        qsort(m.devs, m.n_devs, sizeof(DevNum), devnum_cmp);
        f.list = calloc(m.n_devs + 1, sizeof(char *));
        if (!f.list)
                return -ENOMEM;
        for (size_t i = 0; i < m.n_devs; i++) {
                f.list[i] = xasprintf("%u:%u", m.devs[i].major, m.devs[i].minor);
                if (!f.list[i]) {
                        fact_done(&f);
                        return -ENOMEM;
                }
        }
        return fact_store_put(s, "mount:devices", &f);
}

/* Parent directory of an absolute path ("/a/b" → "/a"). */
static char *
path_dirname(const char *path)
{
        const char *slash = strrchr(path, '/');

        if (!slash || slash == path)
                return strdup("/");
        return strndup(path, (size_t) (slash - path));
}

int
probe_blockdev_load_one(FactStore *s, Host *h, const char *name)
{
        _cleanup_free_ char *key = xasprintf("blockdev:%s", name), *link = NULL, *real = NULL, *part = NULL,
                            *parent_dir = NULL, *parent_dev = NULL, *value = NULL;
        Fact f = {.kind = FACT_LIST};
        DevNum d, p;
        const char *base;
        int r;

        if (!key)
                return -ENOMEM;
        if (parse_devnum(name, &d) < 0)
                return fact_store_set_error(s, key, -EINVAL, "%s: expected MAJOR:MINOR", name);
        link = xasprintf("/sys/dev/block/%u:%u", d.major, d.minor);
        if (!link)
                return -ENOMEM;
        r = host_resolve(h, link, &real);
        if (r < 0)
                return probe_record_error(s, key, link, r);
        base = strrchr(real, '/');
        base = base ? base + 1 : real;
        part = xasprintf("%s/partition", real);
        if (!part)
                return -ENOMEM;
        r = host_exists(h, part);
        if (r < 0)
                return probe_record_error(s, key, part, r);
        if (strv_consume(&f.list, xasprintf("name=%s", base)) < 0)
                goto oom;
        if (r > 0) {
                /* A partition: its directory sits inside the containing device's. */
                parent_dir = path_dirname(real);
                parent_dev = parent_dir ? xasprintf("%s/dev", parent_dir) : NULL;
                if (!parent_dev)
                        goto oom;
                r = host_read_value(h, parent_dev, &value);
                if (r >= 0 && parse_devnum(value, &p) < 0)
                        r = -EBADMSG;
                if (r < 0) {
                        fact_done(&f);
                        return fact_store_set_error(s, key, r, "%s: partition without a readable parent: %s",
                                                    parent_dev, r == -EBADMSG ? "not MAJOR:MINOR" : host_strerror(r));
                }
                if (strv_consume(&f.list, xasprintf("parent=%u:%u", p.major, p.minor)) < 0)
                        goto oom;
        }
        return fact_store_put(s, key, &f);
oom:
        fact_done(&f);
        return -ENOMEM;
}

int
probe_realdev_load_one(FactStore *s, Host *h, const char *name)
{
        _cleanup_free_ char *key = xasprintf("realdev:%s", name), *real = NULL;
        char buf[32];
        DevNum d;
        int r;

        if (!key)
                return -ENOMEM;
        if (name[0] != '/' || !probe_name_is_safe_path(name + 1))
                return fact_store_set_error(s, key, -EINVAL, "%s: not an absolute path of printable characters", name);
        r = block_node(h, name, &d, &real);
        if (r == -ENOTBLK)
                return fact_store_set_error(s, key, r, "%s: not a block device", name);
        if (r < 0)
                return probe_record_error(s, key, name, r);
        snprintf(buf, sizeof(buf), "%u:%u", d.major, d.minor);
        return fact_store_set_string(s, key, buf);
}
