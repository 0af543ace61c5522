/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "macro.h"
#include "seccomp-bpf.h"

/*
 * Reading back the seccomp filters of a running process and naming what
 * they do.  Internal to the probes layer (probe-seccomp.c).
 */

/* The architectures a filter on an x86_64 host decides for: native
 * x86_64, x32 (AUDIT_ARCH_X86_64 with __X32_SYSCALL_BIT) and i386. */
typedef enum SeccompArch {
        SECCOMP_ARCH_X86_64,
        SECCOMP_ARCH_X32,
        SECCOMP_ARCH_I386,
        _SECCOMP_ARCH_MAX,
        _SECCOMP_ARCH_INVALID = -EINVAL,
} SeccompArch;

const char *seccomp_arch_to_string(SeccompArch a);
/* AUDIT_ARCH_* value seccomp_data.arch holds for @a. */
uint32_t seccomp_arch_audit(SeccompArch a);

/* Syscall numbers tried per architecture (the tables end below 0x200;
 * x32 adds __X32_SYSCALL_BIT). */
#define SECCOMP_SYSCALL_NR_MAX 1024u

/*
 * seccomp-names.c, the one file that includes libseccomp's header: the
 * name of syscall @nr of @a (without the x32 bit), as libseccomp spells it
 * (seccomp_syscall_resolve_num_arch).  Returns 0 and *ret (caller frees),
 * -ENOENT for a number @a does not have, -EOPNOTSUPP when built without
 * libseccomp, -ENOMEM.
 */
int seccomp_names_syscall(SeccompArch a, int nr, char **ret);
/* The number libseccomp resolves "@name" to on @a (x32: without the bit),
 * or -ENOENT. */
int seccomp_names_resolve(SeccompArch a, const char *name);
/* "2.5.4", or NULL without libseccomp. */
const char *seccomp_names_version(void);

/* The filters of one process, newest first (the kernel's index 0). */
typedef struct SeccompFilter {
        SeccompInsn *insns;
        size_t n;
} SeccompFilter;

typedef struct SeccompFilters {
        SeccompFilter *v;
        size_t n;
        uint64_t stop_ns;       /* the traced thread was stopped at most this long
                                 * (PTRACE_INTERRUPT to PTRACE_DETACH) */
        uint64_t held_ns;       /* and at least this long (its stop seen to detach) */
} SeccompFilters;

void seccomp_filters_done(SeccompFilters *f);

/* Filters per process: the kernel bounds the total at 32768 instructions
 * (MAX_INSNS_PER_PATH), each filter costing at least 5. */
#define SECCOMP_FILTERS_MAX 8192u

/*
 * PTRACE_SEIZE thread @pid (the main thread of the process), PTRACE_INTERRUPT,
 * PTRACE_SECCOMP_GET_FILTER for every filter, PTRACE_DETACH at once.  The
 * caller must have CAP_SYS_ADMIN and no seccomp filter of its own (the
 * kernel refuses the read-back to a filtered tracer with EACCES).
 * Returns 0, -ESRCH when the process went away, or the ptrace errno
 * (-EPERM: already traced or not permitted; -EACCES; -EMEDIUMTYPE: kernel
 * without CONFIG_CHECKPOINT_RESTORE; -EINVAL: no filter mode).
 * KVMAUDIT_TEST_INSPECT_HOLD_MS keeps the thread stopped that long before
 * detaching: a test hook for killing kvmaudit mid-inspection.
 */
int seccomp_inspect_pid(pid_t pid, SeccompFilters *ret);

/* The action table of @f (probe-seccomp.c documents the rows): every
 * syscall libseccomp names on each architecture run through every filter.
 * Zero filters give a table that allows everything.  *ret_table: strv. */
int probe_seccomp_decode(const SeccompFilters *f, char ***ret_table);
