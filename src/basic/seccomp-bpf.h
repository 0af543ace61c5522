/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A classic-BPF interpreter over struct seccomp_data, for the filters read
 * back from QEMU processes (seccomp-inspect.c).  Pure: no host access, no
 * allocation.  It accepts exactly what the kernel's seccomp_check_filter()
 * and bpf_check_classic() accept (Linux 6.x, kernel/seccomp.c and
 * net/core/filter.c) and computes what the kernel would return, so a
 * program it refuses is one no kernel installed: the facts file or the
 * read-back was corrupt.
 */

/* BPF_MAXINSNS: the kernel refuses longer programs. */
#define SECCOMP_BPF_INSNS_MAX 4096u
/* sizeof(struct seccomp_data): nr, arch, instruction_pointer, args[6]. */
#define SECCOMP_BPF_DATA_SIZE 64u
/* The kernel's scratch memory, BPF_MEMWORDS. */
#define SECCOMP_BPF_MEMWORDS 16u

/* Same layout as struct sock_filter (linux/filter.h). */
typedef struct SeccompInsn {
        uint16_t code;
        uint8_t jt, jf;
        uint32_t k;
} SeccompInsn;

/* struct seccomp_data, field by field. */
typedef struct SeccompData {
        int32_t nr;
        uint32_t arch;
        uint64_t instruction_pointer;
        uint64_t args[6];
} SeccompData;

/*
 * Checks @prog of @n instructions as the kernel does when a filter is
 * installed.  Returns 0, or -EINVAL with *ret_pc the first bad instruction
 * and *ret_what a static description; -E2BIG beyond SECCOMP_BPF_INSNS_MAX,
 * -ENODATA for an empty program.
 */
int seccomp_bpf_check(const SeccompInsn *prog, size_t n, size_t *ret_pc, const char **ret_what);

/*
 * Runs @prog (which must have passed seccomp_bpf_check(); anything else is
 * refused with -EINVAL, never read out of bounds) on @d.  *ret_action: the
 * 32-bit return value.  *ret_args_read: bit i set when the program loaded
 * any word of args[i] on the path it took (may be NULL).
 */
int seccomp_bpf_run(const SeccompInsn *prog, size_t n, const SeccompData *d, uint32_t *ret_action,
                    unsigned *ret_args_read);

/* The action of several filters: the kernel runs all of them and keeps the
 * most restrictive return value (kernel/seccomp.c seccomp_run_filters). */
uint32_t seccomp_action_combine(uint32_t a, uint32_t b);

/* The return value as kvmaudit names it: "allow", "log", "trace(N)",
 * "user-notif", "errno(N)", "trap", "kill-thread", "kill-process" (an
 * unknown action is kill-process, as in the kernel).  @buf of at least
 * SECCOMP_ACTION_NAME_MAX bytes; returns @buf. */
#define SECCOMP_ACTION_NAME_MAX 32u
const char *seccomp_action_name(uint32_t action, char *buf);

/* Whether the action stops the syscall in the kernel itself: kill, trap or
 * errno.  trace and user-notif hand the decision to another process, log
 * and allow let it run. */
bool seccomp_action_denies(uint32_t action);
/* The same for a name written by seccomp_action_name(); false for unknown text. */
bool seccomp_action_name_denies(const char *name);
