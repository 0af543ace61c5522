/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Classic BPF over seccomp_data; see seccomp-bpf.h. */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>

#include "seccomp-bpf.h"

/* The kernel caps an errno action's data at MAX_ERRNO (kernel/seccomp.c). */
#define SECCOMP_ERRNO_MAX 4095u

_Static_assert(sizeof(SeccompInsn) == sizeof(struct sock_filter), "SeccompInsn is struct sock_filter");
_Static_assert(sizeof(SeccompData) == SECCOMP_BPF_DATA_SIZE, "SeccompData is struct seccomp_data");
_Static_assert(sizeof(SeccompData) == sizeof(struct seccomp_data), "SeccompData is struct seccomp_data");

/* The instructions seccomp_check_filter() lets through (Linux 6.x); every
 * other code, BPF_MOD and the packet loads among them, is refused. */
static bool
code_allowed(uint16_t code)
{
        switch (code) {
        case BPF_LD | BPF_W | BPF_ABS:
        case BPF_LD | BPF_W | BPF_LEN:
        case BPF_LDX | BPF_W | BPF_LEN:
        case BPF_RET | BPF_K:
        case BPF_RET | BPF_A:
        case BPF_ALU | BPF_ADD | BPF_K: case BPF_ALU | BPF_ADD | BPF_X:
        case BPF_ALU | BPF_SUB | BPF_K: case BPF_ALU | BPF_SUB | BPF_X:
        case BPF_ALU | BPF_MUL | BPF_K: case BPF_ALU | BPF_MUL | BPF_X:
        case BPF_ALU | BPF_DIV | BPF_K: case BPF_ALU | BPF_DIV | BPF_X:
        case BPF_ALU | BPF_AND | BPF_K: case BPF_ALU | BPF_AND | BPF_X:
        case BPF_ALU | BPF_OR | BPF_K:  case BPF_ALU | BPF_OR | BPF_X:
        case BPF_ALU | BPF_XOR | BPF_K: case BPF_ALU | BPF_XOR | BPF_X:
        case BPF_ALU | BPF_LSH | BPF_K: case BPF_ALU | BPF_LSH | BPF_X:
        case BPF_ALU | BPF_RSH | BPF_K: case BPF_ALU | BPF_RSH | BPF_X:
        case BPF_ALU | BPF_NEG:
        case BPF_LD | BPF_IMM:
        case BPF_LDX | BPF_IMM:
        case BPF_MISC | BPF_TAX:
        case BPF_MISC | BPF_TXA:
        case BPF_LD | BPF_MEM:
        case BPF_LDX | BPF_MEM:
        case BPF_ST:
        case BPF_STX:
        case BPF_JMP | BPF_JA:
        case BPF_JMP | BPF_JEQ | BPF_K: case BPF_JMP | BPF_JEQ | BPF_X:
        case BPF_JMP | BPF_JGE | BPF_K: case BPF_JMP | BPF_JGE | BPF_X:
        case BPF_JMP | BPF_JGT | BPF_K: case BPF_JMP | BPF_JGT | BPF_X:
        case BPF_JMP | BPF_JSET | BPF_K: case BPF_JMP | BPF_JSET | BPF_X:
                return true;
        default:
                return false;
        }
}

int
seccomp_bpf_check(const SeccompInsn *prog, size_t n, size_t *ret_pc, const char **ret_what)
{
        if (n == 0)
                return -ENODATA;
        if (n > SECCOMP_BPF_INSNS_MAX)
                return -E2BIG;
        for (size_t pc = 0; pc < n; pc++) {
                const SeccompInsn *i = &prog[pc];
                const char *what = NULL;
                /* Instructions left after this one: a jump must land on one. */
                size_t left = n - pc - 1;

                if (!code_allowed(i->code))
                        what = "instruction not allowed in a seccomp filter";
                else if (i->code == (BPF_LD | BPF_W | BPF_ABS) &&
                         (i->k >= SECCOMP_BPF_DATA_SIZE || (i->k & 3) != 0))
                        what = "load outside struct seccomp_data or not 4-byte aligned";
                else if ((i->code == (BPF_LD | BPF_MEM) || i->code == (BPF_LDX | BPF_MEM) ||
                          i->code == BPF_ST || i->code == BPF_STX) && i->k >= SECCOMP_BPF_MEMWORDS)
                        what = "scratch memory index out of range";
                else if (i->code == (BPF_ALU | BPF_DIV | BPF_K) && i->k == 0)
                        what = "division by the constant 0";
                else if ((i->code == (BPF_ALU | BPF_LSH | BPF_K) || i->code == (BPF_ALU | BPF_RSH | BPF_K)) &&
                         i->k >= 32)
                        what = "shift by 32 or more";
                else if (i->code == (BPF_JMP | BPF_JA) && i->k >= left)
                        what = "jump beyond the end of the program";
                else if (BPF_CLASS(i->code) == BPF_JMP && i->code != (BPF_JMP | BPF_JA) &&
                         (i->jt >= left || i->jf >= left))
                        what = "conditional jump beyond the end of the program";
                if (what) {
                        if (ret_pc)
                                *ret_pc = pc;
                        if (ret_what)
                                *ret_what = what;
                        return -EINVAL;
                }
        }
        if (BPF_CLASS(prog[n - 1].code) != BPF_RET) {
                if (ret_pc)
                        *ret_pc = n - 1;
                if (ret_what)
                        *ret_what = "the last instruction is not a return";
                return -EINVAL;
        }
        return 0;
}

static uint32_t
data_word(const SeccompData *d, uint32_t off)
{
        unsigned char buf[SECCOMP_BPF_DATA_SIZE];
        uint32_t w;

        /* The kernel reads the words of struct seccomp_data in host byte
         * order: args[0]'s low half at 16 on x86. */
        memcpy(buf, &d->nr, 4);
        memcpy(buf + 4, &d->arch, 4);
        memcpy(buf + 8, &d->instruction_pointer, 8);
        memcpy(buf + 16, d->args, sizeof(d->args));
        memcpy(&w, buf + off, 4);
        return w;
}

int
seccomp_bpf_run(const SeccompInsn *prog, size_t n, const SeccompData *d, uint32_t *ret_action,
                unsigned *ret_args_read)
{
        uint32_t a = 0, x = 0, mem[SECCOMP_BPF_MEMWORDS] = {};
        unsigned args_read = 0;
        size_t pc = 0;
        int r;

        /* Checked here as well: a caller that skipped the check gets an
         * error, not a read past the program. */
        r = seccomp_bpf_check(prog, n, NULL, NULL);
        if (r < 0)
                return r;
        /* Every jump goes forward, so n steps end the program. */
        for (size_t steps = 0; steps < n && pc < n; steps++) {
                const SeccompInsn *i = &prog[pc++];
                uint32_t src = (BPF_SRC(i->code) == BPF_X) ? x : i->k;

                switch (BPF_CLASS(i->code)) {
                case BPF_LD:
                        if (BPF_MODE(i->code) == BPF_ABS) {
                                a = data_word(d, i->k);
                                if (i->k >= 16)
                                        args_read |= 1u << ((i->k - 16) / 8);
                        } else if (BPF_MODE(i->code) == BPF_LEN)
                                a = SECCOMP_BPF_DATA_SIZE;
                        else if (BPF_MODE(i->code) == BPF_IMM)
                                a = i->k;
                        else
                                a = mem[i->k];
                        break;
                case BPF_LDX:
                        if (BPF_MODE(i->code) == BPF_LEN)
                                x = SECCOMP_BPF_DATA_SIZE;
                        else if (BPF_MODE(i->code) == BPF_IMM)
                                x = i->k;
                        else
                                x = mem[i->k];
                        break;
                case BPF_ST:
                        mem[i->k] = a;
                        break;
                case BPF_STX:
                        mem[i->k] = x;
                        break;
                case BPF_ALU:
                        switch (BPF_OP(i->code)) {
                        case BPF_ADD: a += src; break;
                        case BPF_SUB: a -= src; break;
                        case BPF_MUL: a *= src; break;
                        case BPF_DIV:
                                /* The kernel's conversion to eBPF ends the
                                 * program with 0 on a division by X == 0. */
                                if (src == 0) {
                                        *ret_action = 0;
                                        goto done;
                                }
                                a /= src;
                                break;
                        case BPF_AND: a &= src; break;
                        case BPF_OR:  a |= src; break;
                        case BPF_XOR: a ^= src; break;
                        /* eBPF masks a 32-bit shift count to 5 bits. */
                        case BPF_LSH: a <<= (src & 31); break;
                        case BPF_RSH: a >>= (src & 31); break;
                        case BPF_NEG: a = -a; break;
                        }
                        break;
                case BPF_JMP: {
                        bool t;

                        switch (BPF_OP(i->code)) {
                        case BPF_JA:
                                pc += i->k;
                                continue;
                        case BPF_JEQ: t = a == src; break;
                        case BPF_JGT: t = a > src; break;
                        case BPF_JGE: t = a >= src; break;
                        default:      t = (a & src) != 0; break; /* BPF_JSET */
                        }
                        pc += t ? i->jt : i->jf;
                        break;
                }
                case BPF_RET:
                        *ret_action = BPF_RVAL(i->code) == BPF_A ? a : i->k;
                        goto done;
                case BPF_MISC:
                        if (BPF_MISCOP(i->code) == BPF_TAX)
                                x = a;
                        else
                                a = x;
                        break;
                }
        }
        /* Unreachable for a checked program: its last instruction returns. */
        return -EINVAL;
done:
        if (ret_args_read)
                *ret_args_read = args_read;
        return 0;
}

uint32_t
seccomp_action_combine(uint32_t a, uint32_t b)
{
        /* ACTION_ONLY(): the action bits compared as a signed value, so
         * KILL_PROCESS (0x80000000) is below everything and ALLOW above. */
        int32_t x = (int32_t) (a & SECCOMP_RET_ACTION_FULL), y = (int32_t) (b & SECCOMP_RET_ACTION_FULL);

        return y < x ? b : a;
}

const char *
seccomp_action_name(uint32_t action, char *buf)
{
        uint32_t data = action & SECCOMP_RET_DATA;

        switch (action & SECCOMP_RET_ACTION_FULL) {
        case SECCOMP_RET_ALLOW:
                snprintf(buf, SECCOMP_ACTION_NAME_MAX, "allow");
                break;
        case SECCOMP_RET_LOG:
                snprintf(buf, SECCOMP_ACTION_NAME_MAX, "log");
                break;
        case SECCOMP_RET_TRACE:
                snprintf(buf, SECCOMP_ACTION_NAME_MAX, "trace(%u)", data);
                break;
        case SECCOMP_RET_USER_NOTIF:
                snprintf(buf, SECCOMP_ACTION_NAME_MAX, "user-notif");
                break;
        case SECCOMP_RET_ERRNO:
                snprintf(buf, SECCOMP_ACTION_NAME_MAX, "errno(%u)", data > SECCOMP_ERRNO_MAX ? SECCOMP_ERRNO_MAX : data);
                break;
        case SECCOMP_RET_TRAP:
                snprintf(buf, SECCOMP_ACTION_NAME_MAX, "trap");
                break;
        case SECCOMP_RET_KILL_THREAD:
                snprintf(buf, SECCOMP_ACTION_NAME_MAX, "kill-thread");
                break;
        default: /* SECCOMP_RET_KILL_PROCESS and unknown actions */
                snprintf(buf, SECCOMP_ACTION_NAME_MAX, "kill-process");
                break;
        }
        return buf;
}

bool
seccomp_action_denies(uint32_t action)
{
        switch (action & SECCOMP_RET_ACTION_FULL) {
        case SECCOMP_RET_ALLOW:
        case SECCOMP_RET_LOG:
        case SECCOMP_RET_TRACE:
        case SECCOMP_RET_USER_NOTIF:
                return false;
        default:
                return true;
        }
}

bool
seccomp_action_name_denies(const char *name)
{
        return strncmp(name, "errno(", 6) == 0 || strcmp(name, "trap") == 0 || strcmp(name, "kill-thread") == 0 ||
               strcmp(name, "kill-process") == 0;
}
