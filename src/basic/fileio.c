/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <assert.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "fileio.h"
#include "strv.h"
#include "util.h"

int
read_input_file(const char *path, size_t max, char **ret)
{
        _cleanup_close_ int path_fd = -EBADF, fd = -EBADF;
        _cleanup_free_ char *buf = NULL;
        size_t len = 0;
        struct stat st;
        char proc[64];

        /* The type first, through O_PATH, which opens nothing: a device
         * named by mistake (or by a hostile script) is never open()ed.
         * Symlinks are followed: the user named the path. */
        path_fd = open(path, O_PATH | O_CLOEXEC);
        if (path_fd < 0)
                return -errno;
        if (fstat(path_fd, &st) < 0)
                return -errno;
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        if (!S_ISREG(st.st_mode) && !S_ISFIFO(st.st_mode))
                return -EBADFD;
        /* Reopen that very inode through its magic link. */
        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", path_fd);
        fd = open(proc, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return errno == ENOENT ? -ENOSYS : -errno;
        if (S_ISFIFO(st.st_mode)) /* "--facts /dev/stdin" from a pipe: block for it */
                (void) fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
        buf = malloc(max + 2);
        if (!buf)
                return -ENOMEM;
        for (;;) {
                ssize_t n = read(fd, buf + len, max + 1 - len);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        break;
                len += (size_t) n;
                if (len > max)
                        return -EFBIG;
        }
        buf[len] = '\0';
        if (strlen(buf) != len)
                return -EBADMSG;
        *ret = TAKE_PTR(buf);
        return 0;
}

int
list_input_dir(const char *dir, const char *suffix, char ***ret)
{
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *));
        DIR *d;
        int r = 0;

        if (!l)
                return -ENOMEM;
        d = opendir(dir);
        if (!d)
                return -errno;
        for (struct dirent *de; (de = readdir(d));) {
                if (de->d_name[0] == '.' || !endswith(de->d_name, suffix))
                        continue;
                r = strv_extend(&l, de->d_name);
                if (r < 0)
                        break;
        }
        closedir(d);
        if (r < 0)
                return r;
        strv_sort(l);
        *ret = TAKE_PTR(l);
        return 0;
}

static char *
dir_of(const char *path)
{
        const char *slash = strrchr(path, '/');

        if (!slash)
                return strdup(".");
        if (slash == path)
                return strdup("/");
        return strndup(path, (size_t) (slash - path));
}

static mode_t
current_umask(void)
{
        mode_t u = umask(0);

        umask(u);
        return u;
}

/*
 * A socket is written through like a FIFO, but it cannot be open()ed: when
 * it is our own standard output or error (-o /dev/stdout under a service
 * manager that hands us a socket, journald's stream) that descriptor is
 * duplicated; otherwise it is a named socket that someone listens on, and
 * we connect to it.  The address is the O_PATH descriptor's magic link,
 * which has no sun_path length limit and names the inode already looked
 * at.  Nobody listening is -ECONNREFUSED.
 */
static int
socket_open_through(int path_fd, const struct stat *st)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        int fd;

        for (int std = STDOUT_FILENO; std <= STDERR_FILENO; std++) {
                struct stat sst;

                if (fstat(std, &sst) == 0 && sst.st_dev == st->st_dev && sst.st_ino == st->st_ino) {
                        fd = fcntl(std, F_DUPFD_CLOEXEC, 3);
                        return fd < 0 ? -errno : fd;
                }
        }
        snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d", path_fd);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0)
                return -errno;
        if (connect(fd, (const struct sockaddr *) &sa, sizeof(sa)) < 0) {
                int r = errno == EPROTOTYPE ? -EPROTOTYPE : -errno;

                close(fd);
                return r;
        }
        /* Nothing is read back: the peer sees the end of the report. */
        (void) shutdown(fd, SHUT_RD);
        return fd;
}

int
output_file_open(const char *path, mode_t mode, unsigned flags, OutputFile *ret)
{
        _cleanup_close_ int path_fd = -EBADF, fd = -EBADF, dir_fd = -EBADF;
        _cleanup_free_ char *target = NULL, *tmp = NULL, *dir = NULL;
        struct stat st, lst;
        char proc[64];
        bool exists;
        FILE *f;

        assert(path && ret);

        /* O_PATH follows a symlink (and honours protected_symlinks) without
         * opening what it names. */
        path_fd = open(path, O_PATH | O_CLOEXEC);
        if (path_fd < 0) {
                if (errno != ENOENT)
                        return -errno;
                if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
                        return -ENOLINK;
                exists = false;
        } else {
                if (fstat(path_fd, &st) < 0)
                        return -errno;
                exists = true;
        }
        snprintf(proc, sizeof(proc), "/proc/self/fd/%d", path_fd);

        if (exists && S_ISDIR(st.st_mode))
                return -EISDIR;
        if (exists && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode) ||
                       (S_ISREG(st.st_mode) && st.st_nlink == 0))) {
                /* Written through: never created, truncated or replaced.
                 * (A regular file with no name left, -o /dev/stdout into a
                 * deleted file, has nothing to rename over.) */
                if (flags & OUTPUT_REGULAR_ONLY)
                        return -EBADFD;
                fd = open(proc, O_WRONLY | O_CLOEXEC | O_NOCTTY | (S_ISREG(st.st_mode) ? O_APPEND : 0));
                if (fd < 0)
                        return errno == ENOENT ? -ENOSYS : -errno;
        } else if (exists && S_ISSOCK(st.st_mode)) {
                if (flags & OUTPUT_REGULAR_ONLY)
                        return -EBADFD;
                fd = socket_open_through(path_fd, &st);
                if (fd < 0)
                        return fd;
        } else if (exists && !S_ISREG(st.st_mode))
                return -EBADFD; /* block device */
        else {
                /* Replaced atomically.  A symlink's target is replaced, the
                 * link itself stays. */
                if (exists && lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
                        char buf[PATH_MAX];
                        ssize_t n = readlink(proc, buf, sizeof(buf) - 1);

                        if (n < 0)
                                return -errno;
                        buf[n] = '\0';
                        target = strdup(buf);
                } else
                        target = strdup(path);
                if (!target)
                        return -ENOMEM;
                dir = dir_of(target);
                if (!dir)
                        return -ENOMEM;
                tmp = xasprintf("%s/.%s.XXXXXX", dir, strrchr(target, '/') ? strrchr(target, '/') + 1 : target);
                if (!tmp)
                        return -ENOMEM;
                /* O_PATH where the directory is not readable (mode -wx):
                 * renameat() works through it, only the fsync is lost. */
                dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (dir_fd < 0 && errno == EACCES)
                        dir_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (dir_fd < 0)
                        return -errno;
                fd = mkostemp(tmp, O_CLOEXEC);
                if (fd < 0)
                        return -errno;
                if (exists) {
                        if (fchown(fd, st.st_uid, st.st_gid) < 0) {
                                /* Not root: the new file is ours, as any
                                 * editor's save would make it. */
                        }
                        (void) fchmod(fd, st.st_mode & 07777);
                } else
                        (void) fchmod(fd, mode & ~current_umask() & 0777);
        }

        f = fdopen(fd, "w");
        if (!f) {
                int r = -errno;

                if (tmp)
                        (void) unlink(tmp);
                return r;
        }
        TAKE_FD(fd);
        *ret = (OutputFile) {
                .f = f,
                .path = target ? TAKE_PTR(target) : strdup(path),
                .tmp = TAKE_PTR(tmp),
                .dir_fd = TAKE_FD(dir_fd),
        };
        if (!ret->path) {
                output_file_abort(ret);
                return -ENOMEM;
        }
        return 0;
}

int
output_file_finish(OutputFile *o)
{
        int r = 0;

        if (o->finished)
                return 0;
        o->finished = true;
        if (fflush(o->f) != 0 || ferror(o->f))
                r = errno > 0 ? -errno : -EIO;
        /* A rename is atomic only if the data is on disk first. */
        if (r == 0 && o->tmp && fsync(fileno(o->f)) < 0)
                r = -errno;
        if (fclose(o->f) != 0 && r == 0)
                r = -errno;
        o->f = NULL;
        return r;
}

static void
output_file_done(OutputFile *o)
{
        free(o->path);
        free(o->tmp);
        /* dir_fd is set only with tmp (a zeroed OutputFile has 0 there). */
        if (o->tmp && o->dir_fd >= 0)
                (void) close(o->dir_fd);
        *o = (OutputFile) {};
}

/* The last component of @path: what renameat()/unlinkat() take relative
 * to the directory descriptor. */
static const char *
base_of(const char *path)
{
        const char *s = strrchr(path, '/');

        return s ? s + 1 : path;
}

int
output_file_commit(OutputFile *o)
{
        int r;

        r = output_file_finish(o);
        if (r == 0 && o->tmp && renameat(o->dir_fd, base_of(o->tmp), o->dir_fd, base_of(o->path)) < 0)
                r = -errno;
        if (r < 0) {
                output_file_abort(o);
                return r;
        }
        /* The rename itself on disk: best effort. */
        if (o->tmp)
                (void) fsync(o->dir_fd);
        output_file_done(o);
        return 0;
}

void
output_file_abort(OutputFile *o)
{
        if (!o)
                return;
        if (o->f && !o->finished)
                (void) fclose(o->f);
        if (o->tmp)
                (void) unlinkat(o->dir_fd, base_of(o->tmp), 0);
        output_file_done(o);
}

/* Where the search for a free block of descriptors starts: above what
 * the tool keeps open (stdio, the root, a libvirt connection). */
#define PACK_FD_START 64

int
output_files_pack_dirs(OutputFile *const *v, size_t n, int *ret_first, unsigned *ret_count)
{
        struct rlimit rl;
        unsigned count = 0;
        int base;

        for (size_t i = 0; i < n; i++)
                count += v[i] && v[i]->tmp;
        *ret_first = -1;
        *ret_count = 0;
        if (count == 0)
                return 0;
        if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
                return -errno;
        for (base = PACK_FD_START; (rlim_t) base + count <= rl.rlim_cur; base += (int) count) {
                bool free_block = true;

                for (unsigned k = 0; k < count && free_block; k++)
                        free_block = fcntl(base + (int) k, F_GETFD) < 0 && errno == EBADF;
                if (!free_block)
                        continue;
                unsigned k = 0;
                for (size_t i = 0; i < n; i++) {
                        if (!v[i] || !v[i]->tmp)
                                continue;
                        if (dup3(v[i]->dir_fd, base + (int) k, O_CLOEXEC) < 0)
                                return -errno;
                        (void) close(v[i]->dir_fd);
                        v[i]->dir_fd = base + (int) k++;
                }
                *ret_first = base;
                *ret_count = count;
                return 0;
        }
        return -EMFILE;
}

int
write_output_file(const char *path, const char *text, mode_t mode)
{
        OutputFile o;
        int r;

        r = output_file_open(path, mode, 0, &o);
        if (r < 0)
                return r;
        if (fputs(text, o.f) < 0) {
                r = errno > 0 ? -errno : -EIO;
                output_file_abort(&o);
                return r;
        }
        return output_file_commit(&o);
}

const char *
output_strerror(int err)
{
        switch (err < 0 ? -err : err) {
        case EBADFD:
                return "not a regular file, character device, FIFO or socket (block devices are refused)";
        case ECONNREFUSED:
                return "a socket nobody listens on (refused)";
        case EPROTOTYPE:
                return "a socket that does not take a stream (refused)";
        case ENOLINK:
                return "a dangling symbolic link (refused: it would create the file it names)";
        case ENOSYS:
                return "/proc/self/fd is not available to open the file safely";
        default:
                return strerror(err < 0 ? -err : err);
        }
}
