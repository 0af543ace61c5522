/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of src/basic/seccomp-bpf.c: the classic-BPF interpreter over
 * seccomp_data, on QEMU-like programs and hostile ones.  A hostile program
 * must be refused with the instruction and the reason, never run out of
 * bounds (the ASan build of this suite reads every case). */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "macro.h"
#include "seccomp-bpf.h"

#define I(c, t, f, kk) {.code = (c), .jt = (t), .jf = (f), .k = (kk)}
#define OFF_NR 0
#define OFF_ARCH 4
#define OFF_ARG0_LO 16
#define OFF_ARG0_HI 20

/* A libseccomp-shaped filter: x86_64 only, execve killed, clone denied
 * unless CLONE_THREAD, setpriority errno(EPERM), everything else allowed. */
static const SeccompInsn qemu_like[] = {
        I(BPF_LD | BPF_W | BPF_ABS, 0, 0, OFF_ARCH),
        I(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, AUDIT_ARCH_X86_64),
        I(BPF_RET | BPF_K, 0, 0, SECCOMP_RET_KILL_THREAD),
        I(BPF_LD | BPF_W | BPF_ABS, 0, 0, OFF_NR),
        I(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 59),                 /* execve */
        I(BPF_RET | BPF_K, 0, 0, SECCOMP_RET_KILL_PROCESS),
        I(BPF_JMP | BPF_JEQ | BPF_K, 0, 4, 56),                 /* clone */
        I(BPF_LD | BPF_W | BPF_ABS, 0, 0, OFF_ARG0_LO),
        I(BPF_JMP | BPF_JSET | BPF_K, 1, 0, 0x00010000),        /* CLONE_THREAD */
        I(BPF_RET | BPF_K, 0, 0, SECCOMP_RET_TRAP),
        I(BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW),
        I(BPF_LD | BPF_W | BPF_ABS, 0, 0, OFF_NR),
        I(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 141),                /* setpriority */
        I(BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ERRNO | 1),
        I(BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW),
};

static uint32_t
run(const SeccompInsn *p, size_t n, int nr, uint32_t arch, uint64_t arg0, unsigned *args)
{
        SeccompData d = {.nr = nr, .arch = arch, .args = {arg0}};
        uint32_t a = 0xdeadbeef;

        assert_int_equal(seccomp_bpf_run(p, n, &d, &a, args), 0);
        return a;
}

static void
test_qemu_like(void **state)
{
        static const struct {
                int nr;
                uint32_t arch;
                uint64_t arg0;
                uint32_t want;
                unsigned args;
        } cases[] = {
                {59, AUDIT_ARCH_X86_64, 0, SECCOMP_RET_KILL_PROCESS, 0},
                {59, AUDIT_ARCH_I386, 0, SECCOMP_RET_KILL_THREAD, 0},
                {0, AUDIT_ARCH_X86_64, 0, SECCOMP_RET_ALLOW, 0},
                {56, AUDIT_ARCH_X86_64, 0x01200011, SECCOMP_RET_TRAP, 1},
                {56, AUDIT_ARCH_X86_64, 0x003d0f00, SECCOMP_RET_ALLOW, 1},
                /* the high half of args[0] is not what the rule reads */
                {56, AUDIT_ARCH_X86_64, 0x100000000ull, SECCOMP_RET_TRAP, 1},
                {141, AUDIT_ARCH_X86_64, 0, SECCOMP_RET_ERRNO | 1, 0},
        };
        (void) state;
        assert_int_equal(seccomp_bpf_check(qemu_like, ELEMENTSOF(qemu_like), NULL, NULL), 0);
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                unsigned args = 99;
                uint32_t a = run(qemu_like, ELEMENTSOF(qemu_like), cases[i].nr, cases[i].arch, cases[i].arg0, &args);
                assert_int_equal(a, cases[i].want);
                assert_int_equal(args, cases[i].args);
        }
}

static void
test_alu_and_memory(void **state)
{
        /* A = nr; mem[3] = A; A = (A + 5) * 2 - 1 ^ 0xff; X = A; A = mem[3];
         * A = A / X ... covers every ALU op, ST/STX/LDX MEM, TAX/TXA, LEN. */
        static const SeccompInsn p[] = {
                I(BPF_LD | BPF_W | BPF_ABS, 0, 0, OFF_NR),
                I(BPF_ST, 0, 0, 3),
                I(BPF_ALU | BPF_ADD | BPF_K, 0, 0, 5),
                I(BPF_ALU | BPF_MUL | BPF_K, 0, 0, 2),
                I(BPF_ALU | BPF_SUB | BPF_K, 0, 0, 1),
                I(BPF_ALU | BPF_XOR | BPF_K, 0, 0, 0xff),
                I(BPF_ALU | BPF_LSH | BPF_K, 0, 0, 4),
                I(BPF_ALU | BPF_RSH | BPF_K, 0, 0, 4),
                I(BPF_ALU | BPF_OR | BPF_K, 0, 0, 0x100),
                I(BPF_ALU | BPF_AND | BPF_K, 0, 0, 0x1ff),
                I(BPF_MISC | BPF_TAX, 0, 0, 0),
                I(BPF_STX, 0, 0, 4),
                I(BPF_LDX | BPF_W | BPF_LEN, 0, 0, 0),
                I(BPF_LD | BPF_MEM, 0, 0, 4),
                I(BPF_ALU | BPF_DIV | BPF_X, 0, 0, 0),          /* A / 64 */
                I(BPF_ALU | BPF_NEG, 0, 0, 0),
                I(BPF_ALU | BPF_NEG, 0, 0, 0),
                I(BPF_MISC | BPF_TXA, 0, 0, 0),                 /* A = 64 */
                I(BPF_LDX | BPF_MEM, 0, 0, 3),                  /* X = nr */
                I(BPF_ALU | BPF_ADD | BPF_X, 0, 0, 0),
                I(BPF_JMP | BPF_JGT | BPF_X, 0, 1, 0),          /* A > X */
                I(BPF_JMP | BPF_JA, 0, 0, 1),
                I(BPF_RET | BPF_K, 0, 0, SECCOMP_RET_KILL_PROCESS),
                I(BPF_JMP | BPF_JGE | BPF_K, 0, 1, 74),          /* 64 + 10 */
                I(BPF_RET | BPF_A, 0, 0, 0),
                I(BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW),
        };
        (void) state;
        assert_int_equal(seccomp_bpf_check(p, ELEMENTSOF(p), NULL, NULL), 0);
        /* nr 10: A ends at 74, returned as the action (74: kill-thread's class) */
        assert_int_equal(run(p, ELEMENTSOF(p), 10, 0, 0, NULL), 74);
        assert_int_equal(run(p, ELEMENTSOF(p), 9, 0, 0, NULL), SECCOMP_RET_ALLOW);
}

static void
test_division_by_x_zero(void **state)
{
        /* The kernel's eBPF conversion returns 0 (kill-thread). */
        static const SeccompInsn p[] = {
                I(BPF_LDX | BPF_IMM, 0, 0, 0),
                I(BPF_LD | BPF_IMM, 0, 0, 7),
                I(BPF_ALU | BPF_DIV | BPF_X, 0, 0, 0),
                I(BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW),
        };
        (void) state;
        assert_int_equal(run(p, ELEMENTSOF(p), 0, 0, 0, NULL), 0);
}

typedef struct Hostile {
        const char *name;
        SeccompInsn insns[4];
        size_t n;
        int want;
        size_t pc;
} Hostile;

static void
test_hostile(void **state)
{
        static const Hostile cases[] = {
                {"empty", {}, 0, -ENODATA, 0},
                {"load past seccomp_data", {I(BPF_LD | BPF_W | BPF_ABS, 0, 0, 64), I(BPF_RET | BPF_K, 0, 0, 0)}, 2, -EINVAL, 0},
                {"load huge offset", {I(BPF_LD | BPF_W | BPF_ABS, 0, 0, 0xfffffffc), I(BPF_RET | BPF_K, 0, 0, 0)}, 2, -EINVAL, 0},
                {"unaligned load", {I(BPF_LD | BPF_W | BPF_ABS, 0, 0, 2), I(BPF_RET | BPF_K, 0, 0, 0)}, 2, -EINVAL, 0},
                {"byte load", {I(BPF_LD | BPF_B | BPF_ABS, 0, 0, 0), I(BPF_RET | BPF_K, 0, 0, 0)}, 2, -EINVAL, 0},
                {"indirect load", {I(BPF_LD | BPF_W | BPF_IND, 0, 0, 0), I(BPF_RET | BPF_K, 0, 0, 0)}, 2, -EINVAL, 0},
                {"ja past the end", {I(BPF_JMP | BPF_JA, 0, 0, 1), I(BPF_RET | BPF_K, 0, 0, 0)}, 2, -EINVAL, 0},
                {"ja wraps", {I(BPF_JMP | BPF_JA, 0, 0, 0xffffffff), I(BPF_RET | BPF_K, 0, 0, 0)}, 2, -EINVAL, 0},
                {"jt past the end", {I(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0), I(BPF_RET | BPF_K, 0, 0, 0)}, 2, -EINVAL, 0},
                {"jf past the end", {I(BPF_JMP | BPF_JEQ | BPF_K, 0, 255, 0), I(BPF_RET | BPF_K, 0, 0, 0)}, 2, -EINVAL, 0},
                {"jump as last", {I(BPF_LD | BPF_IMM, 0, 0, 0), I(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 0)}, 2, -EINVAL, 1},
                {"no return at the end", {I(BPF_LD | BPF_IMM, 0, 0, 0)}, 1, -EINVAL, 0},
                {"scratch slot 16", {I(BPF_ST, 0, 0, 16), I(BPF_RET | BPF_K, 0, 0, 0)}, 2, -EINVAL, 0},
                {"scratch slot huge", {I(BPF_LDX | BPF_MEM, 0, 0, 0x80000000), I(BPF_RET | BPF_K, 0, 0, 0)}, 2, -EINVAL, 0},
                {"div by constant 0", {I(BPF_ALU | BPF_DIV | BPF_K, 0, 0, 0), I(BPF_RET | BPF_K, 0, 0, 0)}, 2, -EINVAL, 0},
                {"shift by 32", {I(BPF_ALU | BPF_LSH | BPF_K, 0, 0, 32), I(BPF_RET | BPF_K, 0, 0, 0)}, 2, -EINVAL, 0},
                {"mod (not for seccomp)", {I(BPF_ALU | BPF_MOD | BPF_K, 0, 0, 3), I(BPF_RET | BPF_K, 0, 0, 0)}, 2, -EINVAL, 0},
                {"ret x", {I(BPF_RET | BPF_X, 0, 0, 0)}, 1, -EINVAL, 0},
                {"unknown opcode", {I(0xffff, 0, 0, 0), I(BPF_RET | BPF_K, 0, 0, 0)}, 2, -EINVAL, 0},
        };
        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                size_t pc = 999;
                const char *what = NULL;
                SeccompData d = {};
                uint32_t a = 12345;
                int r = seccomp_bpf_check(cases[i].insns, cases[i].n, &pc, &what);

                print_message("hostile: %s\n", cases[i].name);
                assert_int_equal(r, cases[i].want);
                if (r == -EINVAL) {
                        assert_int_equal(pc, cases[i].pc);
                        assert_non_null(what);
                }
                /* Running it anyway is refused, the action untouched. */
                assert_int_equal(seccomp_bpf_run(cases[i].insns, cases[i].n, &d, &a, NULL), cases[i].want);
                assert_int_equal(a, 12345);
        }
}

static void
test_huge_program(void **state)
{
        size_t n = SECCOMP_BPF_INSNS_MAX;
        SeccompInsn *p = calloc(n + 1, sizeof(*p));
        SeccompData d = {.nr = 1};
        uint32_t a = 0;

        (void) state;
        assert_non_null(p);
        /* 4095 forward jumps of 0 then a return: the longest legal program. */
        for (size_t i = 0; i + 1 < n; i++)
                p[i] = (SeccompInsn) I(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1);
        p[n - 1] = (SeccompInsn) I(BPF_RET | BPF_K, 0, 0, SECCOMP_RET_LOG);
        assert_int_equal(seccomp_bpf_check(p, n, NULL, NULL), 0);
        assert_int_equal(seccomp_bpf_run(p, n, &d, &a, NULL), 0);
        assert_int_equal(a, SECCOMP_RET_LOG);
        /* One more is refused before anything is read. */
        p[n] = p[n - 1];
        assert_int_equal(seccomp_bpf_check(p, n + 1, NULL, NULL), -E2BIG);
        assert_int_equal(seccomp_bpf_run(p, (size_t) -1, &d, &a, NULL), -E2BIG);
        free(p);
}

static void
test_actions(void **state)
{
        static const struct {
                uint32_t action;
                const char *name;
                bool denies;
        } cases[] = {
                {SECCOMP_RET_ALLOW, "allow", false},
                {SECCOMP_RET_LOG, "log", false},
                {SECCOMP_RET_TRACE | 7, "trace(7)", false},
                {SECCOMP_RET_USER_NOTIF, "user-notif", false},
                {SECCOMP_RET_ERRNO | 38, "errno(38)", true},
                {SECCOMP_RET_ERRNO | 0xffff, "errno(4095)", true}, /* MAX_ERRNO cap */
                {SECCOMP_RET_TRAP | 3, "trap", true},
                {SECCOMP_RET_KILL_THREAD, "kill-thread", true},
                {SECCOMP_RET_KILL_PROCESS, "kill-process", true},
                {0x12340000, "kill-process", true}, /* unknown: the kernel kills */
        };
        char buf[SECCOMP_ACTION_NAME_MAX];

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                assert_string_equal(seccomp_action_name(cases[i].action, buf), cases[i].name);
                assert_int_equal(seccomp_action_denies(cases[i].action), cases[i].denies);
                assert_int_equal(seccomp_action_name_denies(cases[i].name), cases[i].denies);
        }
        /* precedence: kill-process < kill-thread < trap < errno < user-notif < trace < log < allow */
        assert_int_equal(seccomp_action_combine(SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | 1), SECCOMP_RET_ERRNO | 1);
        assert_int_equal(seccomp_action_combine(SECCOMP_RET_TRAP, SECCOMP_RET_ERRNO | 1), SECCOMP_RET_TRAP);
        assert_int_equal(seccomp_action_combine(SECCOMP_RET_KILL_THREAD, SECCOMP_RET_KILL_PROCESS),
                         SECCOMP_RET_KILL_PROCESS);
        assert_int_equal(seccomp_action_combine(SECCOMP_RET_LOG, SECCOMP_RET_TRACE), SECCOMP_RET_TRACE);
        assert_int_equal(seccomp_action_combine(SECCOMP_RET_USER_NOTIF, SECCOMP_RET_TRACE), SECCOMP_RET_USER_NOTIF);
        assert_false(seccomp_action_name_denies("allowed"));
        assert_false(seccomp_action_name_denies(""));
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_qemu_like),
                cmocka_unit_test(test_alu_and_memory),
                cmocka_unit_test(test_division_by_x_zero),
                cmocka_unit_test(test_hostile),
                cmocka_unit_test(test_huge_program),
                cmocka_unit_test(test_actions),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
