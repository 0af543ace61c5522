/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * The only code that touches the audited host.  Every path is absolute as
 * seen from the audited root ("/proc/cmdline") and resolved inside it:
 * symlinks and ".." never lead out of the root, whatever the tree holds.
 * Reads are bounded; errors are negative errno values:
 *   -ENOENT      the file does not exist (callers turn this into "absent")
 *   -ENOMEDIUM   runtime state (/proc, /sys) is not part of an offline root
 *   -EFBIG       the file is larger than the caller's limit
 *   -EISDIR      a directory where a file was expected
 *   -EBADFD      neither a regular file nor a directory (FIFO, socket, device)
 *   -EBADMSG     text expected, binary data found
 */

typedef struct Host Host;

/* Named limits for everything a host file controls. */
#define HOST_LINE_MAX        (64u * 1024u)         /* /proc/cmdline, sysfs values */
#define HOST_SMALL_FILE_MAX  (64u * 1024u)
#define HOST_TEXT_FILE_MAX   (4u * 1024u * 1024u)  /* kernel config, cpuinfo, /etc files */
#define HOST_GZIP_MAX        (2u * 1024u * 1024u)  /* compressed /proc/config.gz */
#define HOST_DIR_ENTRIES_MAX 65536u
#define HOST_SYMLINK_MAX     40u
#define HOST_WALK_DEPTH_MAX  16u

/* @root: "/" for the live host, or a directory holding a host tree. */
int host_new(const char *root, Host **ret);
Host *host_free(Host *h);

/* True when auditing the running system ("/"): ioctls and /proc/PID make sense. */
bool host_is_live(const Host *h);
const char *host_root(const Host *h);

/* Runtime trees (/proc, /sys, /run) exist only on a live host or in a tree
 * that has them; returns -ENOMEDIUM for @path under one that is missing or
 * empty (an image's bare mount point). */
int host_runtime_available(const Host *h, const char *path);

/* Opens @path (O_RDONLY|O_CLOEXEC|O_NOCTTY|O_NONBLOCK plus @extra_flags) when
 * it is a regular file or a directory; anything else (a device, FIFO or
 * socket) is refused with -EBADFD without ever being opened: its type is
 * read through an O_PATH descriptor first, which is then reopened.
 * -ENOTDIR with O_DIRECTORY for a non-directory. */
int host_open(const Host *h, const char *path, int extra_flags, int *ret_fd);

/* Reads a whole regular file of at most @max bytes.  *ret is NUL-terminated
 * (it may contain NUL bytes before *ret_len).  Caller frees *ret. */
int host_read_file(const Host *h, const char *path, size_t max, char **ret, size_t *ret_len);

/* The first @max bytes (or fewer) of the regular file @path, for image
 * headers.  -EISDIR, -EBADFD (device, FIFO, socket: never opened) as
 * host_open().  *ret is NUL-terminated; caller frees. */
int host_read_head(const Host *h, const char *path, size_t max, char **ret, size_t *ret_len);

/* As host_read_file() but text only (no NUL bytes, -EBADMSG otherwise). */
int host_read_text(const Host *h, const char *path, size_t max, char **ret);

/* First line of a small text file, trimmed. */
int host_read_value(const Host *h, const char *path, char **ret);

typedef struct HostStat {
        mode_t mode;            /* type and permission bits */
        uid_t uid;
        gid_t gid;
        dev_t rdev;
        unsigned acl_named;     /* ACL entries for named users/groups */
        char **acl;             /* "user:1000:rw-", ...; NULL when none */
} HostStat;

void host_stat_done(HostStat *s);

/* lstat() of @path: the last component is not followed.  Reads the POSIX
 * access ACL too. */
int host_lstat(const Host *h, const char *path, HostStat *ret);

/* Sorted entry names of a directory (without "." and ".."). */
int host_list_dir(const Host *h, const char *path, char ***ret);

/* Whether @path exists (lstat). */
int host_exists(const Host *h, const char *path);

/* Real path of @path inside the root (symlinks resolved), e.g. "/dev/kvm". */
int host_resolve(const Host *h, const char *path, char **ret);

/* Target of the symbolic link @path (the last component is not followed,
 * so /proc/PID/ns/mnt gives "mnt:[4026531840]").  At most @max bytes
 * (-EFBIG beyond), -EINVAL when @path is not a symlink.  Caller frees *ret. */
int host_readlink(const Host *h, const char *path, size_t max, char **ret);

/* Extended attribute @name of @path with lstat semantics (a symlink's own
 * attribute).  -ENODATA when the file has none, -EOPNOTSUPP when its file
 * system has no extended attributes, -EFBIG beyond @max bytes.  *ret is
 * NUL-terminated and may contain NUL bytes before *ret_len; caller frees. */
int host_getxattr(const Host *h, const char *path, const char *name, size_t max, char **ret, size_t *ret_len);

/* KVM_GET_API_VERSION on /dev/kvm; live host only (-ENOMEDIUM otherwise).
 * The ioctl queries and changes nothing. */
int host_kvm_api_version(const Host *h, int *ret);

/* SELinux's enforce mode (0 or 1) through libselinux, wherever selinuxfs is
 * mounted.  -EOPNOTSUPP under --root, without libselinux, or when SELinux
 * is disabled or selinuxfs not mounted: read the files then. */
int host_selinux_getenforce(const Host *h, int *ret);

/* The context the loaded policy's file contexts give @path of type @mode
 * (S_IFREG, ...; 0 for any), what restorecon would set (selabel_lookup).
 * -ENODATA when no specification matches; -EOPNOTSUPP under --root, without
 * libselinux, or with no policy installed.  Caller frees *ret. */
int host_selinux_file_context(const Host *h, const char *path, mode_t mode, char **ret);

/* Human text for an error from this layer. */
const char *host_strerror(int err);
