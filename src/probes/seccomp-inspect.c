/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Reading a process's seccomp filters back from the kernel.  The kernel
 * hands a filter out only to a ptracer of a stopped tracee, so one thread
 * of the QEMU process is stopped for as long as the copy takes: seized
 * (PTRACE_SEIZE does not stop it), interrupted, read, detached.  If
 * kvmaudit dies in between, the kernel detaches the tracee on our exit
 * (exit_ptrace) and it runs on: a seized tracee has no stop of its own to
 * stay in.
 */
#include <errno.h>
#include <linux/audit.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>

#include "seccomp-inspect.h"
#include "util.h"

/* The test hook's ceiling: a test that asks for more is broken. */
#define INSPECT_HOLD_MS_MAX 60000

static const char *const arch_names[_SECCOMP_ARCH_MAX] = {
        [SECCOMP_ARCH_X86_64] = "x86_64",
        [SECCOMP_ARCH_X32] = "x32",
        [SECCOMP_ARCH_I386] = "i386",
};

const char *
seccomp_arch_to_string(SeccompArch a)
{
        return a >= 0 && a < _SECCOMP_ARCH_MAX ? arch_names[a] : NULL;
}

uint32_t
seccomp_arch_audit(SeccompArch a)
{
        return a == SECCOMP_ARCH_I386 ? AUDIT_ARCH_I386 : AUDIT_ARCH_X86_64;
}

void
seccomp_filters_done(SeccompFilters *f)
{
        for (size_t i = 0; i < f->n; i++)
                free(f->v[i].insns);
        free(f->v);
        *f = (SeccompFilters) {};
}

static uint64_t
now_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000000u + (uint64_t) ts.tv_nsec;
}

static unsigned
hold_ms(void)
{
        const char *e = getenv("KVMAUDIT_TEST_INSPECT_HOLD_MS");
        uint64_t v;

        if (!e || parse_uint64(e, &v) < 0 || v > INSPECT_HOLD_MS_MAX)
                return 0;
        return (unsigned) v;
}

/* Copies every filter while the tracee is stopped. */
static int
read_filters(pid_t pid, SeccompFilters *out)
{
        for (unsigned long idx = 0;; idx++) {
                SeccompFilter *nv;
                SeccompInsn *buf;
                long n, m;

                n = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void *) idx, NULL);
                if (n < 0) {
                        /* ENOENT: past the oldest filter. */
                        if (errno == ENOENT && idx > 0)
                                return 0;
                        return -errno;
                }
                if (idx >= SECCOMP_FILTERS_MAX)
                        return -E2BIG;
                if (n == 0 || (unsigned long) n > SECCOMP_BPF_INSNS_MAX)
                        return -EBADMSG;
                buf = calloc((size_t) n, sizeof(SeccompInsn));
                if (!buf)
                        return -ENOMEM;
                m = ptrace(PTRACE_SECCOMP_GET_FILTER, pid, (void *) idx, buf);
                if (m != n) {
                        int r = m < 0 ? -errno : -EBADMSG;
                        free(buf);
                        return r;
                }
                nv = realloc(out->v, (out->n + 1) * sizeof(SeccompFilter));
                if (!nv) {
                        free(buf);
                        return -ENOMEM;
                }
                out->v = nv;
                out->v[out->n++] = (SeccompFilter) {.insns = buf, .n = (size_t) n};
        }
}

int
seccomp_inspect_pid(pid_t pid, SeccompFilters *ret)
{
        SeccompFilters f = {};
        uint64_t t0, t1, t_stopped;
        int status, sig = 0, r;
        unsigned hold;

        if (ptrace(PTRACE_SEIZE, pid, NULL, NULL) < 0)
                return -errno;
        t0 = now_ns();
        if (ptrace(PTRACE_INTERRUPT, pid, NULL, NULL) < 0) {
                r = -errno;
                /* Not stopped: PTRACE_DETACH would fail; our exit or the
                 * tracee's ends the attachment.  Best effort now. */
                (void) ptrace(PTRACE_DETACH, pid, NULL, NULL);
                return r;
        }
        for (;;) {
                pid_t w = waitpid(pid, &status, __WALL);

                if (w < 0 && errno == EINTR)
                        continue;
                if (w < 0)
                        return -errno;
                if (WIFEXITED(status) || WIFSIGNALED(status))
                        return -ESRCH;
                if (WIFSTOPPED(status))
                        break;
        }
        t_stopped = now_ns();
        /* A signal-delivery stop that came first is a stop too: the
         * read-back works in it, and the signal is handed back on detach. */
        if ((status >> 16) != PTRACE_EVENT_STOP && WSTOPSIG(status) != SIGTRAP)
                sig = WSTOPSIG(status);

        r = read_filters(pid, &f);
        hold = hold_ms();
        if (hold > 0) {
                struct timespec ts = {.tv_sec = hold / 1000, .tv_nsec = (long) (hold % 1000) * 1000000L};
                while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                        ;
        }
        if (ptrace(PTRACE_DETACH, pid, NULL, (void *) (long) sig) < 0 && r >= 0)
                r = -errno;
        t1 = now_ns();
        if (r < 0) {
                seccomp_filters_done(&f);
                return r;
        }
        f.stop_ns = t1 - t0;
        f.held_ns = t1 - t_stopped;
        *ret = f;
        return 0;
}
