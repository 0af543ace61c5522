/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * The files of a VM as the host sees them: the one path normalization,
 * and the one list of "another VM's files" that the checks, both policy
 * generators and the CLI keep a VM away from.  Pure: nothing here
 * resolves a symlink or opens a file.
 */

#include <errno.h>
#include <stdbool.h>

#include "domain.h"

/* Longest path accepted (PATH_MAX of Linux). */
#define DOMAIN_PATH_MAX 4096U

/* Where libvirt 9.0 keeps what swtpm writes for an emulated TPM
 * (src/qemu/qemu_tpm.c; swtpm_localstatedir and the log directory of
 * the system instance). */
#define DOMAIN_SWTPM_STATE_DIR "/var/lib/libvirt/swtpm"
#define DOMAIN_SWTPM_LOG_DIR   "/var/log/swtpm/libvirt/qemu"

/*
 * Lexical checks of a path taken from a domain or an image header.  Returns
 * 0 and *ret (caller frees): the path with repeated and trailing slashes and
 * "." components removed ("/a/./b/." is "/a/b", as the kernel reads it).
 * Otherwise -EINVAL and *ret_reason (static text): not absolute, empty,
 * longer than DOMAIN_PATH_MAX, a control character (newline, tab, DEL; NUL
 * cannot occur in a C string), a ".." component (never resolved
 * lexically: through a symbolic link "/a/../b" need not be "/b", so it is
 * refused, not read as "/b").
 */
int domain_path_normalize(const char *path, char **ret, const char **ret_reason);

/* @path is @dir or lies under it, component-wise (/etc2 is not under
 * /etc); everything is under "/". */
bool domain_path_under(const char *path, const char *dir);

/*
 * What the VMs other than the one a policy or check is about use, as the
 * XML names it (not resolved).
 *   private: what one VM writes (writable disks that are not shareable,
 *            NVRAM, writable shares, character device files, sockets and
 *            logs, TPM sockets, an emulated TPM's state directory and
 *            swtpm log): no other VM may open it at all.
 *   shared:  what VMs only read (read-only or shareable disks, backing
 *            files, kernels and initrds, read-only shares): another VM
 *            may read it at most.
 * A path in both lists stays only in private (domain_files_finish()).
 */
typedef struct DomainFiles {
        char **private_paths;
        char **shared_paths;
} DomainFiles;

/* Adds the files of @d to @f (without duplicates).  -ENOMEM. */
int domain_files_add(DomainFiles *f, const Domain *d);

/* Removes from shared_paths what private_paths lists. */
void domain_files_finish(DomainFiles *f);

void domain_files_done(DomainFiles *f);
