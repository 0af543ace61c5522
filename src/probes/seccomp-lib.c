/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Syscall names from libseccomp: the one file that includes <seccomp.h>. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "seccomp-inspect.h"

#if HAVE_SECCOMP
#include <seccomp.h>

/* libseccomp numbers x32 syscalls with __X32_SYSCALL_BIT set. */
#define X32_SYSCALL_BIT 0x40000000

static uint32_t
scmp_arch(SeccompArch a)
{
        switch (a) {
        case SECCOMP_ARCH_X86_64: return SCMP_ARCH_X86_64;
        case SECCOMP_ARCH_X32:    return SCMP_ARCH_X32;
        default:                  return SCMP_ARCH_X86;
        }
}

int
seccomp_names_syscall(SeccompArch a, int nr, char **ret)
{
        char *s;

        if (nr < 0 || (unsigned) nr >= SECCOMP_SYSCALL_NR_MAX)
                return -ENOENT;
        s = seccomp_syscall_resolve_num_arch(scmp_arch(a), a == SECCOMP_ARCH_X32 ? nr | X32_SYSCALL_BIT : nr);
        if (!s)
                return -ENOENT;
        *ret = s;
        return 0;
}

int
seccomp_names_resolve(SeccompArch a, const char *name)
{
        int nr = seccomp_syscall_resolve_name_arch(scmp_arch(a), name);

        /* Negative: unknown (__NR_SCMP_ERROR) or a pseudo-syscall libseccomp
         * numbers below zero because @a does not have it. */
        if (nr < 0)
                return -ENOENT;
        return a == SECCOMP_ARCH_X32 ? nr & ~X32_SYSCALL_BIT : nr;
}

const char *
seccomp_names_version(void)
{
        static char buf[32];
        const struct scmp_version *v = seccomp_version();

        if (!v)
                return NULL;
        snprintf(buf, sizeof(buf), "%u.%u.%u", v->major, v->minor, v->micro);
        return buf;
}

#else

int
seccomp_names_syscall(SeccompArch a, int nr, char **ret)
{
        (void) a, (void) nr, (void) ret;
        return -EOPNOTSUPP;
}

int
seccomp_names_resolve(SeccompArch a, const char *name)
{
        (void) a, (void) name;
        return -EOPNOTSUPP;
}

const char *
seccomp_names_version(void)
{
        return NULL;
}

#endif
