/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

/*
 * kvmaudit's own seccomp filter (seccomp-lib.c), installed by scan and
 * collect once their inputs are read and their output is open: from then
 * on the process cannot open a file for writing or creating, rename,
 * unlink, make directories or nodes, change modes, owners or extended
 * attributes, mount, load modules, kexec, exec, fork or ptrace.  A denied
 * call fails with EPERM.  @dir_first, @dir_count: the directory
 * descriptors of the outputs being replaced atomically, consecutive
 * (output_files_pack_dirs()): renameat() within them and unlinkat() in
 * them stay allowed; @dir_count 0 allows neither.  @debug: each denied call is logged on stderr
 * ("kvmaudit: sandbox: denied NAME") by a SIGSYS handler that then fails it
 * with EPERM.  openat2() and clone3() fail with ENOSYS instead, so that
 * callers fall back to openat() and clone(), whose flags the filter sees.
 * Returns 0, -EOPNOTSUPP without libseccomp, or the libseccomp error.
 */
int sandbox_self_install(int dir_first, unsigned dir_count, bool debug);
