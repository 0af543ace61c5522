/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <assert.h>
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/kvm.h>
#include <linux/openat2.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "host.h"
#include "host-private.h"
#include "strv.h"
#include "util.h"


int
host_new(const char *root, Host **ret)
{
        _cleanup_free_ char *real = NULL;
        Host *h;
        int fd;

        assert(root);
        assert(ret);

        real = realpath(root, NULL);
        if (!real)
                return -errno;
        fd = open(real, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return -errno;
        h = calloc(1, sizeof(*h));
        if (!h) {
                close(fd);
                return -ENOMEM;
        }
        h->root_fd = fd;
        h->live = streq(real, "/");
        h->root_path = TAKE_PTR(real);
        *ret = h;
        return 0;
}

Host *
host_free(Host *h)
{
        if (!h)
                return NULL;
        if (h->root_fd >= 0)
                close(h->root_fd);
        host_lsm_done(h);
        free(h->root_path);
        free(h);
        return NULL;
}

bool
host_is_live(const Host *h)
{
        return h->live;
}

const char *
host_root(const Host *h)
{
        return h->root_path;
}

static const char *
relative(const char *path)
{
        while (*path == '/')
                path++;
        return *path ? path : ".";
}

/*
 * Fallback resolver for kernels without openat2(): walks @path one
 * component at a time from the root, expanding symlinks by hand and
 * clamping ".." at the root, then opens the result with O_NOFOLLOW on the
 * last component when @nofollow_last.  Writes the canonical in-root path.
 */
static int
resolve_by_hand(const Host *h, const char *path, bool follow_last, char **ret)
{
        _cleanup_free_ char *todo = strdup(path), *done = strdup("");
        unsigned links = 0;

        if (!todo || !done)
                return -ENOMEM;

        for (;;) {
                char *p = todo, *slash, *comp, *next_done;
                struct stat st;

                while (*p == '/')
                        p++;
                if (!*p)
                        break;
                slash = strchr(p, '/');
                comp = strndup(p, slash ? (size_t) (slash - p) : strlen(p));
                if (!comp)
                        return -ENOMEM;
                memmove(todo, slash ? slash : p + strlen(p), strlen(slash ? slash : p + strlen(p)) + 1);

                if (streq(comp, ".")) {
                        free(comp);
                        continue;
                }
                if (streq(comp, "..")) {
                        char *last = strrchr(done, '/');
                        if (last)
                                *last = '\0';
                        else
                                done[0] = '\0';
                        free(comp);
                        continue;
                }

                next_done = *done ? xasprintf("%s/%s", done, comp) : strdup(comp);
                free(comp);
                if (!next_done)
                        return -ENOMEM;

                if (fstatat(h->root_fd, next_done, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                        int r = -errno;
                        free(next_done);
                        return r;
                }
                bool last = todo[strspn(todo, "/")] == '\0';
                if (S_ISLNK(st.st_mode) && (!last || follow_last)) {
                        char target[PATH_MAX];
                        ssize_t n;

                        if (++links > HOST_SYMLINK_MAX) {
                                free(next_done);
                                return -ELOOP;
                        }
                        n = readlinkat(h->root_fd, next_done, target, sizeof(target) - 1);
                        free(next_done);
                        if (n < 0)
                                return -errno;
                        target[n] = '\0';
                        char *nt = xasprintf("%s/%s", target, todo);
                        if (!nt)
                                return -ENOMEM;
                        free(todo);
                        todo = nt;
                        if (target[0] == '/')
                                done[0] = '\0';
                        continue;
                }
                free(done);
                done = next_done;
        }

        *ret = TAKE_PTR(done);
        return 0;
}

static int
open_in_root(Host *h, const char *path, int flags, bool follow_last)
{
        int fd;

        if (h->openat2_state >= 0) {
                struct open_how how = {
                        .flags = (uint64_t) flags | (follow_last ? 0 : O_NOFOLLOW),
                        .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
                };
                fd = (int) syscall(SYS_openat2, h->root_fd, relative(path), &how, sizeof(how));
                if (fd >= 0) {
                        h->openat2_state = 1;
                        return fd;
                }
                if (errno != ENOSYS)
                        return -errno;
                h->openat2_state = -1; /* kernel < 5.6, or filtered */
        }

        _cleanup_free_ char *resolved = NULL;
        int r = resolve_by_hand(h, path, follow_last, &resolved);
        if (r < 0)
                return r;
        fd = openat(h->root_fd, *resolved ? resolved : ".", flags | O_NOFOLLOW);
        return fd < 0 ? -errno : fd;
}

/*
 * 1 when the runtime tree @dir ("/proc") of an offline root is empty: an
 * image keeps /proc, /sys and /run as empty mount points, which say no more
 * about a running kernel than missing ones.  Any entry makes it a copied
 * host tree, read as one (in /sys a directory's name or a file's existence
 * is itself a fact).  A dangling symlink counts as missing; something that
 * is not a directory is left to the read that meets it.
 */
static int
runtime_dir_empty(const Host *h, const char *dir)
{
        struct dirent *de;
        DIR *d;
        int fd, empty = 1;

        fd = open_in_root((Host *) h, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NONBLOCK, true);
        if (fd == -ENOENT)
                return 1;
        if (fd == -ENOTDIR)
                return 0;
        if (fd < 0)
                return fd;
        d = fdopendir(fd);
        if (!d) {
                empty = -errno;
                close(fd);
                return empty;
        }
        while ((de = readdir(d)))
                if (!streq(de->d_name, ".") && !streq(de->d_name, "..")) {
                        empty = 0;
                        break;
                }
        closedir(d);
        return empty;
}

int
host_runtime_available(const Host *h, const char *path)
{
        static const char *const runtime[] = {"proc", "sys", "run"};
        struct stat st;
        size_t n;

        if (h->live)
                return 0;
        /* The first real component: "//proc", "/./proc/x" and "/proc" count. */
        for (;;) {
                while (*path == '/')
                        path++;
                if (path[0] == '.' && (path[1] == '/' || path[1] == '\0'))
                        path++;
                else
                        break;
        }
        n = strcspn(path, "/");
        for (size_t i = 0; i < ELEMENTSOF(runtime); i++) {
                if (n != strlen(runtime[i]) || !strneq(path, runtime[i], n))
                        continue;
                if (fstatat(h->root_fd, runtime[i], &st, AT_SYMLINK_NOFOLLOW) < 0)
                        return errno == ENOENT ? -ENOMEDIUM : -errno;
                char dir[8];
                snprintf(dir, sizeof(dir), "/%s", runtime[i]);
                int r = runtime_dir_empty(h, dir);
                if (r != 0)
                        return r > 0 ? -ENOMEDIUM : r;
        }
        return 0;
}

/*
 * Opens the inode behind the O_PATH descriptor @path_fd for reading.  An
 * O_PATH descriptor opens nothing (no device open() side effect: a watchdog
 * node would arm, /dev/ptmx would allocate a pty, a FIFO would block), so
 * the type is checked on it first; the magic link /proc/self/fd/N then
 * reopens exactly that inode, whatever happened to the path since.
 */
static int
reopen_path_fd(int path_fd, int flags)
{
        char proc[64];
        int fd;

        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", path_fd);
        /* O_NOATIME: an audit must not even touch access times.  It needs
         * ownership or CAP_FOWNER, so fall back quietly without it. */
        fd = open(proc, flags | O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOATIME);
        if (fd < 0 && errno == EPERM)
                fd = open(proc, flags | O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                /* Without the tool's own /proc there is no race-free reopen;
                 * refuse rather than open the path a second time. */
                return errno == ENOENT ? -ENOSYS : -errno;
        return fd;
}

int
host_open(const Host *h, const char *path, int extra_flags, int *ret_fd)
{
        _cleanup_close_ int path_fd = -EBADF;
        bool follow = !(extra_flags & O_NOFOLLOW);
        struct stat st;
        int fd, r;

        assert(h && path && ret_fd);

        r = host_runtime_available(h, path);
        if (r < 0)
                return r;
        /* O_NOFOLLOW applies to the lookup; the reopen must follow the
         * magic link. */
        extra_flags &= ~O_NOFOLLOW;
        path_fd = open_in_root((Host *) h, path, O_PATH | O_CLOEXEC, follow);
        if (path_fd < 0)
                return path_fd;
        if (fstat(path_fd, &st) < 0)
                return -errno;
        if ((extra_flags & O_DIRECTORY) && !S_ISDIR(st.st_mode))
                return -ENOTDIR;
        if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode))
                return -EBADFD; /* never opened: a device, FIFO or socket */
        fd = reopen_path_fd(path_fd, extra_flags);
        if (fd < 0)
                return fd;
        *ret_fd = fd;
        return 0;
}

int
host_read_file(const Host *h, const char *path, size_t max, char **ret, size_t *ret_len)
{
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *buf = NULL;
        size_t len = 0, cap;
        struct stat st;
        int r;

        assert(ret);

        r = host_open(h, path, 0, &fd);
        if (r < 0)
                return r;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        if (!S_ISREG(st.st_mode))
                return -EBADFD; /* host_open() opens nothing else; kept for clarity */
        if ((uint64_t) st.st_size > max)
                return -EFBIG;

        /* /proc and /sys report size 0 or 4096: read until EOF, up to max+1. */
        cap = st.st_size > 0 ? (size_t) st.st_size + 1 : 4096;
        if (cap > max + 1)
                cap = max + 1;
        buf = malloc(cap + 1);
        if (!buf)
                return -ENOMEM;
        for (;;) {
                ssize_t n;

                if (len == cap) {
                        if (cap > max)
                                return -EFBIG;
                        size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
                        char *nb = realloc(buf, ncap + 1);
                        if (!nb)
                                return -ENOMEM;
                        buf = nb;
                        cap = ncap;
                }
                n = read(fd, buf + len, cap - len);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        break;
                len += (size_t) n;
        }
        if (len > max)
                return -EFBIG;
        buf[len] = '\0';
        *ret = TAKE_PTR(buf);
        if (ret_len)
                *ret_len = len;
        return 0;
}

int
host_read_head(const Host *h, const char *path, size_t max, char **ret, size_t *ret_len)
{
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *buf = NULL;
        struct stat st;
        size_t len = 0;
        int r;

        assert(ret && ret_len);

        r = host_open(h, path, 0, &fd);
        if (r < 0)
                return r;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        buf = malloc(max + 1);
        if (!buf)
                return -ENOMEM;
        while (len < max) {
                ssize_t n = read(fd, buf + len, max - len);

                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        break;
                len += (size_t) n;
        }
        buf[len] = '\0';
        *ret = TAKE_PTR(buf);
        *ret_len = len;
        return 0;
}

int
host_read_text(const Host *h, const char *path, size_t max, char **ret)
{
        _cleanup_free_ char *buf = NULL;
        size_t len;
        int r;

        r = host_read_file(h, path, max, &buf, &len);
        if (r < 0)
                return r;
        if (!text_is_printable(buf, len)) {
                /* UTF-8 is fine in /etc files; only control bytes and NUL are refused. */
                for (size_t i = 0; i < len; i++) {
                        unsigned char c = (unsigned char) buf[i];
                        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                                return -EBADMSG;
                        if (c == 0x7f)
                                return -EBADMSG;
                }
        }
        *ret = TAKE_PTR(buf);
        return 0;
}

int
host_read_value(const Host *h, const char *path, char **ret)
{
        _cleanup_free_ char *buf = NULL;
        char *nl;
        int r;

        r = host_read_text(h, path, HOST_LINE_MAX, &buf);
        if (r < 0)
                return r;
        nl = strchr(buf, '\n');
        if (nl && nl[strspn(nl, "\n \t")] != '\0') {
                /* More than one line: keep it, a value may legitimately span
                 * lines (e.g. lockdown has one), but trim the end. */
        } else if (nl)
                *nl = '\0';
        strstrip(buf);
        *ret = TAKE_PTR(buf);
        return 0;
}

void
host_stat_done(HostStat *s)
{
        if (!s)
                return;
        s->acl = strv_free(s->acl);
}

/* Linux POSIX ACL xattr format (include/uapi/linux/posix_acl_xattr.h). */
#define ACL_XATTR_VERSION 0x0002
enum { ACL_TAG_USER = 0x02, ACL_TAG_GROUP = 0x08, ACL_TAG_MASK = 0x10 };

static int
read_acl(int fd, HostStat *st)
{
        char proc[64], buf[4096];
        ssize_t n;

        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
        n = getxattr(proc, "system.posix_acl_access", buf, sizeof(buf));
        if (n < 0) {
                if (errno == ENODATA || errno == EOPNOTSUPP || errno == ENOENT)
                        return 0;
                return errno == ERANGE ? -EFBIG : -errno;
        }
        if (n < 4 || (n - 4) % 8 != 0)
                return -EBADMSG;
        uint32_t version = (uint8_t) buf[0] | (uint32_t) (uint8_t) buf[1] << 8;
        if (version != ACL_XATTR_VERSION)
                return -EBADMSG;
        for (ssize_t off = 4; off < n; off += 8) {
                const unsigned char *e = (const unsigned char *) buf + off;
                unsigned tag = e[0] | e[1] << 8, perm = e[2] | e[3] << 8;
                uint32_t id = e[4] | e[5] << 8 | e[6] << 16 | (uint32_t) e[7] << 24;
                const char *kind;

                if (tag == ACL_TAG_USER)
                        kind = "user";
                else if (tag == ACL_TAG_GROUP)
                        kind = "group";
                else if (tag == ACL_TAG_MASK)
                        kind = "mask";
                else
                        continue;
                char *s = tag == ACL_TAG_MASK
                        ? xasprintf("mask::%c%c%c", perm & 4 ? 'r' : '-', perm & 2 ? 'w' : '-', perm & 1 ? 'x' : '-')
                        : xasprintf("%s:%u:%c%c%c", kind, id, perm & 4 ? 'r' : '-',
                                    perm & 2 ? 'w' : '-', perm & 1 ? 'x' : '-');
                if (strv_consume(&st->acl, s) < 0)
                        return -ENOMEM;
                if (tag != ACL_TAG_MASK)
                        st->acl_named++;
        }
        return 0;
}

int
host_lstat(const Host *h, const char *path, HostStat *ret)
{
        _cleanup_close_ int fd = -EBADF;
        HostStat s = {};
        struct stat st;
        int r;

        assert(h && path && ret);

        r = host_runtime_available(h, path);
        if (r < 0)
                return r;
        /* O_PATH opens nothing: no device open() side effect, no FIFO block. */
        fd = open_in_root((Host *) h, path, O_PATH | O_CLOEXEC, false);
        if (fd < 0)
                return fd;
        if (fstat(fd, &st) < 0)
                return -errno;
        s.mode = st.st_mode;
        s.uid = st.st_uid;
        s.gid = st.st_gid;
        s.rdev = st.st_rdev;
        if (!S_ISLNK(st.st_mode)) {
                r = read_acl(fd, &s);
                if (r < 0) {
                        host_stat_done(&s);
                        return r;
                }
        }
        *ret = s;
        return 0;
}

int
host_exists(const Host *h, const char *path)
{
        HostStat st;
        int r;

        r = host_lstat(h, path, &st);
        if (r < 0)
                return r == -ENOENT ? 0 : r;
        host_stat_done(&st);
        return 1;
}

int
host_list_dir(const Host *h, const char *path, char ***ret)
{
        _cleanup_strv_free_ char **names = NULL;
        _cleanup_close_ int fd = -EBADF;
        DIR *d;
        size_t n = 0;
        int r;

        r = host_open(h, path, O_DIRECTORY, &fd);
        if (r < 0)
                return r == -ENOTDIR ? -ENOTDIR : r;
        d = fdopendir(fd);
        if (!d)
                return -errno;
        TAKE_FD(fd);
        for (;;) {
                struct dirent *de;

                errno = 0;
                de = readdir(d);
                if (!de) {
                        if (errno != 0) {
                                r = -errno;
                                closedir(d);
                                return r;
                        }
                        break;
                }
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (++n > HOST_DIR_ENTRIES_MAX) {
                        closedir(d);
                        return -EFBIG;
                }
                r = strv_extend(&names, de->d_name);
                if (r < 0) {
                        closedir(d);
                        return r;
                }
        }
        closedir(d);
        strv_sort(names);
        if (!names) {
                names = calloc(1, sizeof(char *));
                if (!names)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(names);
        return 0;
}

int
host_resolve(const Host *h, const char *path, char **ret)
{
        _cleanup_free_ char *resolved = NULL;
        int r;

        r = host_runtime_available(h, path);
        if (r < 0)
                return r;
        r = resolve_by_hand(h, path, true, &resolved);
        if (r < 0)
                return r;
        *ret = xasprintf("/%s", resolved);
        return *ret ? 0 : -ENOMEM;
}

int
host_readlink(const Host *h, const char *path, size_t max, char **ret)
{
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *buf = NULL;
        ssize_t n;
        int r;

        assert(h && path && ret);

        r = host_runtime_available(h, path);
        if (r < 0)
                return r;
        /* O_PATH|O_NOFOLLOW opens the link itself, magic links included
         * (openat2(2), RESOLVE_NO_MAGICLINKS); readlinkat() with an empty
         * name then reads it without another path walk. */
        fd = open_in_root((Host *) h, path, O_PATH | O_CLOEXEC, false);
        if (fd < 0)
                return fd;
        buf = malloc(max + 2);
        if (!buf)
                return -ENOMEM;
        n = readlinkat(fd, "", buf, max + 1);
        if (n < 0)
                return errno == ENOENT ? -EINVAL : -errno; /* ENOENT: not a link */
        if ((size_t) n > max)
                return -EFBIG;
        buf[n] = '\0';
        *ret = TAKE_PTR(buf);
        return 0;
}

int
host_getxattr(const Host *h, const char *path, const char *name, size_t max, char **ret, size_t *ret_len)
{
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *buf = NULL, *resolved = NULL, *full = NULL;
        struct stat st;
        ssize_t n;
        int r;

        assert(h && path && name && ret);

        r = host_runtime_available(h, path);
        if (r < 0)
                return r;
        fd = open_in_root((Host *) h, path, O_PATH | O_CLOEXEC, false);
        if (fd < 0)
                return fd;
        if (fstat(fd, &st) < 0)
                return -errno;
        buf = malloc(max + 2);
        if (!buf)
                return -ENOMEM;
        if (!S_ISLNK(st.st_mode)) {
                /* As read_acl(): getxattr() on the magic link reaches the
                 * inode we opened, whatever happened to the path since. */
                char proc[64];

                snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
                n = getxattr(proc, name, buf, max + 1);
        } else {
                /* The magic link of an O_PATH symlink fd cannot be used with
                 * lgetxattr() (it names the proc link), so name the link by
                 * its in-root path; its parents hold no symlinks once
                 * resolved. */
                r = resolve_by_hand(h, path, false, &resolved);
                if (r < 0)
                        return r;
                full = xasprintf("%s/%s", streq(h->root_path, "/") ? "" : h->root_path, resolved);
                if (!full)
                        return -ENOMEM;
                n = lgetxattr(full, name, buf, max + 1);
        }
        if (n < 0)
                return errno == ERANGE ? -EFBIG : errno == ENOTSUP ? -EOPNOTSUPP : -errno;
        if ((size_t) n > max)
                return -EFBIG;
        buf[n] = '\0';
        *ret = TAKE_PTR(buf);
        if (ret_len)
                *ret_len = (size_t) n;
        return 0;
}

/* /dev/kvm is the misc device 10:232 (Documentation/admin-guide/devices.txt). */
#define KVM_MISC_MAJOR 10u
#define KVM_MISC_MINOR 232u

int
host_kvm_api_version(const Host *h, int *ret)
{
        _cleanup_close_ int path_fd = -EBADF, fd = -EBADF;
        struct stat st;
        int r, v;

        if (!h->live)
                return -ENOMEDIUM;
        r = host_runtime_available(h, "/dev/kvm");
        if (r < 0)
                return r;
        /* The one device the tool opens, and only once O_PATH showed it is
         * the KVM node: a planted /dev/kvm that is a watchdog or a tty is
         * never opened. */
        path_fd = open_in_root((Host *) h, "/dev/kvm", O_PATH | O_CLOEXEC, true);
        if (path_fd < 0)
                return path_fd;
        if (fstat(path_fd, &st) < 0)
                return -errno;
        if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != KVM_MISC_MAJOR || minor(st.st_rdev) != KVM_MISC_MINOR)
                return -EBADFD;
        fd = reopen_path_fd(path_fd, 0);
        if (fd < 0)
                return fd;
        v = ioctl(fd, KVM_GET_API_VERSION, 0);
        if (v < 0)
                return -errno;
        *ret = v;
        return 0;
}

const char *
host_strerror(int err)
{
        switch (err < 0 ? -err : err) {
        case ENOMEDIUM:
                return "runtime state not available in an offline root";
        case EFBIG:
                return "file exceeds the size limit";
        case EBADFD:
                return "not a regular file";
        case EBADMSG:
                return "unexpected binary or malformed content";
        case ELOOP:
                return "too many levels of symbolic links";
        case EOPNOTSUPP:
                return "support not built in";
        case ENOSYS:
                return "/proc/self/fd is not available to open the file safely";
        /* Without root, most of what a KVM host keeps private is this: the
         * result is an error that says what would read it. */
        case EACCES:
                return "permission denied (needs root)";
        case EPERM:
                return "operation not permitted (needs root)";
        default:
                return strerror(err < 0 ? -err : err);
        }
}
