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

/* ------------------------------------------------------------------ */
/* kvmaudit's own filter (sandbox.h)                                  */

#if HAVE_SECCOMP
#include <fcntl.h>
#include <signal.h>
#include <sched.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#include "sandbox.h"

/* Denied outright: what would change the host.  Names as libseccomp knows
 * them; one missing on this architecture is skipped. */
static const char *const sandbox_denied[] = {
        /* files */
        "creat", "rename", "link", "linkat", "symlink", "symlinkat", "unlink", "rmdir", "mkdir",
        "mkdirat", "mknod", "mknodat", "chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown",
        "lchown", "fchownat", "truncate", "utime", "utimes", "utimensat", "futimesat", "setxattr",
        "lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr", "open_by_handle_at",
        "name_to_handle_at", "acct", "quotactl",
        /* mounts */
        "mount", "umount2", "pivot_root", "chroot", "fsopen", "fsconfig", "fsmount", "fspick",
        "move_mount", "open_tree", "mount_setattr", "swapon", "swapoff",
        /* the kernel */
        "init_module", "finit_module", "delete_module", "kexec_load", "kexec_file_load", "reboot",
        "bpf", "perf_event_open", "settimeofday", "clock_settime", "adjtimex", "sethostname",
        "setdomainname",
        /* processes */
        "execve", "execveat", "fork", "vfork", "process_vm_writev", "setns", "unshare",
};

/* AddressSanitizer's leak check stops the world at exit from a tracer task
 * it clone()s with CLONE_UNTRACED (no CLONE_THREAD) and that then
 * PTRACE_ATTACHes to each thread (sanitizer_common's StopTheWorld): an ASan
 * build lets exactly that through, or every sanitized run would abort at
 * exit.  Release builds deny both. */
#if defined(__SANITIZE_ADDRESS__)
#define SANDBOX_SANITIZER 1
#else
#define SANDBOX_SANITIZER 0
#endif

/* The syscalls the SIGSYS handler names: filled before the filter is
 * loaded, read in the handler (no allocation there). */
#define SANDBOX_NAMES_MAX 128u
static struct {
        int nr;
        char name[32];
} sandbox_names[SANDBOX_NAMES_MAX];
static unsigned sandbox_names_n;

static void
sandbox_note_name(const char *name)
{
        int nr = seccomp_syscall_resolve_name(name);

        if (nr < 0 || sandbox_names_n >= SANDBOX_NAMES_MAX)
                return;
        sandbox_names[sandbox_names_n].nr = nr;
        snprintf(sandbox_names[sandbox_names_n].name, sizeof(sandbox_names[0].name), "%s", name);
        sandbox_names_n++;
}

/* SIGSYS from SECCOMP_RET_TRAP: say which call was denied and fail it
 * with EPERM (the return register), as SCMP_ACT_ERRNO(EPERM) would. */
static void
sandbox_sigsys(int sig, siginfo_t *si, void *uc_void)
{
        ucontext_t *uc = uc_void;
        char buf[96];
        const char *name = NULL;
        size_t len;

        (void) sig;
        for (unsigned i = 0; i < sandbox_names_n; i++)
                if (sandbox_names[i].nr == si->si_syscall)
                        name = sandbox_names[i].name;
        len = (size_t) snprintf(buf, sizeof(buf), "kvmaudit: sandbox: denied %s (syscall %d): EPERM\n",
                                name ? name : "a write", si->si_syscall);
        if (len >= sizeof(buf))
                len = sizeof(buf) - 1;
        (void) !write(STDERR_FILENO, buf, len);
        uc->uc_mcontext.gregs[REG_RAX] = -EPERM;
}

static int
rule(scmp_filter_ctx ctx, uint32_t action, const char *name, unsigned n, const struct scmp_arg_cmp *cmp)
{
        int nr = seccomp_syscall_resolve_name(name);

        if (nr == __NR_SCMP_ERROR)
                return 0;
        sandbox_note_name(name);
        return seccomp_rule_add_array(ctx, action, nr, n, cmp);
}

int
sandbox_self_install(int dir_first, unsigned dir_count, bool debug)
{
        uint32_t deny = debug ? SCMP_ACT_TRAP : SCMP_ACT_ERRNO(EPERM);
        scmp_filter_ctx ctx;
        int r = 0;

        ctx = seccomp_init(SCMP_ACT_ALLOW);
        if (!ctx)
                return -ENOMEM;
        /* kvmaudit makes no syscall of another architecture: any is a
         * denial too, not a kill. */
        r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ERRNO(EPERM));
        for (size_t i = 0; r >= 0 && i < sizeof(sandbox_denied) / sizeof(sandbox_denied[0]); i++)
                r = rule(ctx, deny, sandbox_denied[i], 0, NULL);

        /* open() and openat() for reading only: no write access mode, no
         * creating, no truncating. */
        static const struct {
                const char *name;
                unsigned arg;
        } opens[] = {{"open", 1}, {"openat", 2}};
        for (size_t i = 0; r >= 0 && i < sizeof(opens) / sizeof(opens[0]); i++) {
                const struct scmp_arg_cmp w = {opens[i].arg, SCMP_CMP_MASKED_EQ, O_ACCMODE, O_WRONLY};
                const struct scmp_arg_cmp rw = {opens[i].arg, SCMP_CMP_MASKED_EQ, O_ACCMODE, O_RDWR};
                const struct scmp_arg_cmp creat = {opens[i].arg, SCMP_CMP_MASKED_EQ, O_CREAT, O_CREAT};
                const struct scmp_arg_cmp trunc = {opens[i].arg, SCMP_CMP_MASKED_EQ, O_TRUNC, O_TRUNC};

                r = rule(ctx, deny, opens[i].name, 1, &w);
                if (r >= 0)
                        r = rule(ctx, deny, opens[i].name, 1, &rw);
                if (r >= 0)
                        r = rule(ctx, deny, opens[i].name, 1, &creat);
                if (r >= 0)
                        r = rule(ctx, deny, opens[i].name, 1, &trunc);
        }
        /* openat2() hides its flags in a struct the filter cannot read:
         * ENOSYS sends host.c to its openat() path, which the rules above
         * see (it resolves in-root by hand then). */
        if (r >= 0)
                r = rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "openat2", 0, NULL);
        /* Threads only: clone without CLONE_THREAD is a new process;
         * clone3() (flags in a struct) gets ENOSYS and glibc falls back. */
        if (r >= 0) {
                uint64_t mask = CLONE_THREAD | (SANDBOX_SANITIZER ? CLONE_UNTRACED : 0);
                const struct scmp_arg_cmp nothread = {0, SCMP_CMP_MASKED_EQ, mask, 0};
                r = rule(ctx, deny, "clone", 1, &nothread);
        }
        /* ptrace: never in a release build; in an ASan build the
         * requests of the leak check's tracer only. */
        if (r >= 0 && !SANDBOX_SANITIZER)
                r = rule(ctx, deny, "ptrace", 0, NULL);
        static const uint64_t ptrace_lsan[] = {16 /* ATTACH */, 17 /* DETACH */, 12 /* GETREGS */,
                                               14 /* GETFPREGS */, 0x4204 /* GETREGSET */,
                                               3 /* PEEKUSER */};
        for (unsigned req = 0; r >= 0 && SANDBOX_SANITIZER && req < 0x4220; req++) {
                bool allowed = false;

                for (size_t i = 0; i < sizeof(ptrace_lsan) / sizeof(ptrace_lsan[0]); i++)
                        allowed |= ptrace_lsan[i] == req;
                if (allowed || (req > 0x20 && req < 0x4200))
                        continue;
                const struct scmp_arg_cmp c = {0, SCMP_CMP_EQ, req, 0};
                r = rule(ctx, deny, "ptrace", 1, &c);
        }
        if (r >= 0)
                r = rule(ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0, NULL);
        /* The outputs' commits: renameat()/renameat2() with both
         * descriptors in the block of output directories, unlinkat() of a
         * temporary file on abort; every other use, and rename() by path,
         * is denied. */
        static const char *const by_dir[] = {"renameat", "renameat2"};
        uint64_t lo = (uint64_t) dir_first, hi = (uint64_t) dir_first + dir_count;
        for (size_t i = 0; r >= 0 && i < 2; i++) {
                if (dir_count == 0 || dir_first < 0) {
                        r = rule(ctx, deny, by_dir[i], 0, NULL);
                        continue;
                }
                for (unsigned a = 0; r >= 0 && a <= 2; a += 2) {
                        const struct scmp_arg_cmp below = {a, SCMP_CMP_LT, lo, 0};
                        const struct scmp_arg_cmp above = {a, SCMP_CMP_GE, hi, 0};
                        r = rule(ctx, deny, by_dir[i], 1, &below);
                        if (r >= 0)
                                r = rule(ctx, deny, by_dir[i], 1, &above);
                }
        }
        if (r >= 0) {
                if (dir_count == 0 || dir_first < 0)
                        r = rule(ctx, deny, "unlinkat", 0, NULL);
                else {
                        const struct scmp_arg_cmp below = {0, SCMP_CMP_LT, lo, 0};
                        const struct scmp_arg_cmp above = {0, SCMP_CMP_GE, hi, 0};
                        r = rule(ctx, deny, "unlinkat", 1, &below);
                        if (r >= 0)
                                r = rule(ctx, deny, "unlinkat", 1, &above);
                }
        }
        if (r >= 0 && debug) {
                struct sigaction sa = {.sa_sigaction = sandbox_sigsys, .sa_flags = SA_SIGINFO};

                sigemptyset(&sa.sa_mask);
                if (sigaction(SIGSYS, &sa, NULL) < 0)
                        r = -errno;
        }
        /* libseccomp sets no_new_privs first (SCMP_FLTATR_CTL_NNP). */
        if (r >= 0)
                r = seccomp_load(ctx);
        seccomp_release(ctx);
        return r < 0 ? r : 0;
}

#else

#include "sandbox.h"

int
sandbox_self_install(int dir_first, unsigned dir_count, bool debug)
{
        (void) dir_first, (void) dir_count, (void) debug;
        return -EOPNOTSUPP;
}

#endif
