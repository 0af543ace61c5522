/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The seccomp.filter-* checks: what the filter of each QEMU process, read
 * back from the kernel (seccomp:PID/table, probe-seccomp.c), lets through.
 *
 * The groups are QEMU's own -sandbox sets, QEMU v7.2.0
 * softmmu/qemu-seccomp.c (denylist[]), the version Debian 12 ships; the
 * spawn set is the one QEMU 6.2 extended with clone, clone3, setns,
 * unshare and execveat.  Each was confirmed by reading back the filter
 * the installed qemu-system-x86 7.2 loads for each option.  The i386-only
 * entries (readdir, ...) and the 32-bit uid calls are judged where the
 * architecture has them (seccomp:names/ARCH).
 */
#include <stdlib.h>
#include <string.h>

#include "check-evaluators.h"
#include "check-objects.h"
#include "seccomp-bpf.h"
#include "strv.h"
#include "util.h"

static const char *const arches[] = {"x86_64", "x32", "i386"};

/* QEMU_SECCOMP_SET_DEFAULT: denied by every "-sandbox on". */
static const char *const set_default[] = {
        "reboot", "swapon", "swapoff", "syslog", "mount", "umount", "kexec_load", "afs_syscall", "break",
        "ftime", "getpmsg", "gtty", "lock", "mpx", "prof", "profil", "putpmsg", "security", "stty",
        "tuxcall", "ulimit", "vserver", NULL,
};
/* QEMU_SECCOMP_SET_OBSOLETE */
static const char *const set_obsolete[] = {
        "readdir", "_sysctl", "bdflush", "create_module", "get_kernel_syms", "query_module", "sgetmask",
        "ssetmask", "sysfs", "uselib", "ustat", NULL,
};
/* QEMU_SECCOMP_SET_PRIVILEGED (elevateprivileges=deny), with i386's
 * 32-bit-id twins of the same calls */
static const char *const set_elevate[] = {
        "setuid", "setgid", "setpgid", "setsid", "setreuid", "setregid", "setresuid", "setresgid",
        "setfsuid", "setfsgid", "setuid32", "setgid32", "setreuid32", "setregid32", "setresuid32",
        "setresgid32", "setfsuid32", "setfsgid32", NULL,
};
/* QEMU_SECCOMP_SET_SPAWN (spawn=deny): clone as fork() and vfork() call it;
 * clone for a thread stays allowed (QEMU needs it) */
static const char *const set_spawn[] = {
        "fork", "vfork", "execve", "execveat", "clone(flags=fork)", "clone(flags=vfork)", "clone3",
        "setns", "unshare", NULL,
};
/* QEMU_SECCOMP_SET_RESOURCECTL (resourcecontrol=deny): sched_setscheduler
 * to any policy but SCHED_IDLE */
static const char *const set_resourcecontrol[] = {
        "setpriority", "sched_setparam", "sched_setscheduler(policy=SCHED_FIFO)", "sched_setaffinity", NULL,
};

/* The action of @name ("clone(flags=fork)" or "execve") on @arch in
 * @table: its own row, else the row of the syscall without the argument
 * variant, else the architecture's "*" row.  NULL when the table has no
 * row for @arch at all. */
static const char *
table_action(char *const *table, const char *arch, const char *name)
{
        size_t al = strlen(arch), bl = strcspn(name, "(");
        const char *dflt = NULL, *plain = NULL;

        STRV_FOREACH(t, table) {
                const char *p = *t, *sp;

                if (!strneq(p, arch, al) || p[al] != ' ')
                        continue;
                p += al + 1;
                sp = strrchr(p, ' ');
                if (!sp)
                        continue;
                if ((size_t) (sp - p) == strlen(name) && strneq(p, name, sp - p))
                        return sp + 1;
                if ((size_t) (sp - p) == bl && strneq(p, name, bl))
                        plain = sp + 1;
                if (sp - p == 1 && *p == '*')
                        dflt = sp + 1;
        }
        return plain ? plain : dflt;
}

/* Whether @arch has syscall @name (the part before "("), by
 * seccomp:names/ARCH; unknown (the fact unusable) counts as yes. */
static bool
arch_has(EvalContext *ctx, const char *arch, const char *name)
{
        _cleanup_free_ char *key = xasprintf("seccomp:names/%s", arch);
        _cleanup_free_ char *base = strndup(name, strcspn(name, "("));
        const Fact *f;

        if (!key || !base)
                return true;
        f = fact_store_get(ctx->facts, key);
        return f->kind != FACT_LIST || strv_contains(f->list, base);
}

/* Appends "NAME (ARCH: ACTION)" for each member of @set the table lets
 * through on any architecture that has it. */
static int
allowed_members(EvalContext *ctx, char *const *table, const char *const *set, StrBuf *out, size_t *ret_n)
{
        size_t n = 0;

        for (const char *const *s = set; *s; s++)
                for (size_t a = 0; a < ELEMENTSOF(arches); a++) {
                        const char *act;

                        if (!arch_has(ctx, arches[a], *s))
                                continue;
                        act = table_action(table, arches[a], *s);
                        if (act && seccomp_action_name_denies(act))
                                continue;
                        strbuf_printf(out, "%s%s (%s: %s)", out->len ? ", " : "", *s, arches[a],
                                      act ? act : "no rule");
                        n++;
                }
        *ret_n = n;
        return 0;
}

static const Fact *
seccomp_fact(EvalContext *ctx, const char *pid, const char *field)
{
        _cleanup_free_ char *key = xasprintf("seccomp:%s/%s", pid, field);

        return fact_store_get(ctx->facts, key ? key : "seccomp:?");
}

/* Bounds of a recorded filter list (a facts file may hold anything): the
 * kernel's per-process total is 32768 instructions. */
#define FILTERS_INSNS_TOTAL_MAX 32768u
#define TABLE_ROWS_MAX (3u * 4096u)
#define TABLE_ROW_MAX 256u

static int
hex_nibble(char c)
{
        return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Checks each recorded program as the kernel would have (a facts file may
 * hold a program no kernel installed).  NULL when all are sound, else what
 * is wrong (caller frees). */
static char *
filters_invalid(char *const *filters)
{
        _cleanup_free_ SeccompInsn *insns = NULL;
        size_t total = 0, i = 0;

        STRV_FOREACH(f, filters) {
                size_t len = strlen(*f), n = len / 16, pc = 0;
                const char *what = NULL;
                SeccompInsn *ni;
                int r;

                if (len % 16 != 0 || n == 0)
                        return xasprintf("filter %zu: %zu hex digits, not a whole number of 16-digit instructions",
                                         i, len);
                if (n > SECCOMP_BPF_INSNS_MAX || (total += n) > FILTERS_INSNS_TOTAL_MAX)
                        return xasprintf("filter %zu: more than %u instructions", i,
                                         n > SECCOMP_BPF_INSNS_MAX ? SECCOMP_BPF_INSNS_MAX : FILTERS_INSNS_TOTAL_MAX);
                ni = realloc(insns, n * sizeof(SeccompInsn));
                if (!ni)
                        return strdup("out of memory");
                insns = ni;
                for (size_t k = 0; k < n; k++) {
                        uint64_t v = 0;

                        for (size_t d = 0; d < 16; d++) {
                                int x = hex_nibble((*f)[k * 16 + d]);
                                if (x < 0)
                                        return xasprintf("filter %zu, instruction %zu: not lower-case hex", i, k);
                                v = v << 4 | (uint64_t) x;
                        }
                        insns[k] = (SeccompInsn) {.code = (uint16_t) (v >> 48), .jt = (uint8_t) (v >> 40),
                                                  .jf = (uint8_t) (v >> 32), .k = (uint32_t) v};
                }
                r = seccomp_bpf_check(insns, n, &pc, &what);
                if (r < 0)
                        return xasprintf("filter %zu, instruction %zu: %s", i, pc, what ? what : "invalid program");
                i++;
        }
        return NULL;
}

static bool
action_valid(const char *a)
{
        static const char *const plain[] = {"allow", "log", "user-notif", "trap", "kill-thread", "kill-process"};
        const char *num = NULL;

        for (size_t i = 0; i < ELEMENTSOF(plain); i++)
                if (streq(a, plain[i]))
                        return true;
        if (startswith(a, "errno("))
                num = a + 6;
        else if (startswith(a, "trace("))
                num = a + 6;
        if (!num || !*num)
                return false;
        size_t d = strspn(num, "0123456789");
        return d > 0 && d <= 5 && streq(num + d, ")");
}

/* Rows "ARCH NAME ACTION" with a known architecture and action, a name of
 * syscall characters, one "*" row per architecture.  NULL when sound. */
static char *
table_invalid(char *const *table)
{
        bool dflt[ELEMENTSOF(arches)] = {};
        size_t row = 0;

        STRV_FOREACH(t, table) {
                const char *p = *t, *sp1 = strchr(p, ' '), *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
                size_t a;

                row++;
                if (row > TABLE_ROWS_MAX)
                        return xasprintf("more than %u rows", TABLE_ROWS_MAX);
                if (strlen(p) > TABLE_ROW_MAX)
                        return xasprintf("row %zu: longer than %u bytes", row, TABLE_ROW_MAX);
                if (!sp1 || !sp2 || strchr(sp2 + 1, ' '))
                        return xasprintf("row %zu: \"%s\": not ARCH SYSCALL ACTION", row, p);
                for (a = 0; a < ELEMENTSOF(arches); a++)
                        if ((size_t) (sp1 - p) == strlen(arches[a]) && strneq(p, arches[a], sp1 - p))
                                break;
                if (a == ELEMENTSOF(arches))
                        return xasprintf("row %zu: \"%s\": unknown architecture", row, p);
                if (sp2 - sp1 - 1 == 1 && sp1[1] == '*') {
                        if (dflt[a])
                                return xasprintf("row %zu: a second \"%s *\" row", row, arches[a]);
                        dflt[a] = true;
                } else
                        for (const char *c = sp1 + 1; c < sp2; c++)
                                if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || strchr("_()=&|,", *c) ||
                                      (*c >= 'A' && *c <= 'Z')))
                                        return xasprintf("row %zu: \"%s\": bad character in the syscall name", row, p);
                if (!action_valid(sp2 + 1))
                        return xasprintf("row %zu: \"%s\": unknown action", row, p);
        }
        for (size_t a = 0; a < ELEMENTSOF(arches); a++)
                if (!dflt[a])
                        return xasprintf("no \"%s *\" row", arches[a]);
        return NULL;
}

/* The decoded table of @pid, or a result saying why there is none
 * (returns 1 then). */
static int
process_table(EvalContext *ctx, const char *pid, const char *subject, const Fact **ret_table, bool *ret_nofilter)
{
        const Fact *filters = seccomp_fact(ctx, pid, "filters");
        const Fact *table = seccomp_fact(ctx, pid, "table");
        int r;

        if ((r = eval_fact_unusable(ctx, subject, filters)) != 0)
                return r;
        if ((r = eval_fact_unusable(ctx, subject, table)) != 0)
                return r;
        if (filters->kind != FACT_LIST || table->kind != FACT_LIST) {
                r = eval_emitf(ctx, STATUS_ERROR, subject, "no seccomp filter table recorded");
                return r < 0 ? r : 1;
        }
        {
                _cleanup_free_ char *bad = filters_invalid(filters->list);
                if (bad) {
                        r = eval_emitf(ctx, STATUS_ERROR, subject, "seccomp:%s/filters: %s", pid, bad);
                        return r < 0 ? r : 1;
                }
                bad = table_invalid(table->list);
                if (bad) {
                        r = eval_emitf(ctx, STATUS_ERROR, subject, "seccomp:%s/table: %s", pid, bad);
                        return r < 0 ? r : 1;
                }
        }
        /* No filter, yet something denied: the two facts disagree. */
        if (!filters->list[0])
                STRV_FOREACH(t, table->list) {
                        const char *act = strrchr(*t, ' ');
                        if (act && seccomp_action_name_denies(act + 1)) {
                                r = eval_emitf(ctx, STATUS_ERROR, subject,
                                               "seccomp:%s/table: \"%s\" but seccomp:%s/filters is empty", pid, *t,
                                               pid);
                                return r < 0 ? r : 1;
                        }
                }
        *ret_table = table;
        *ret_nofilter = !filters->list[0];
        return 0;
}

static int
judge_set(EvalContext *ctx, const char *pid, const char *subject, const char *const *set, const char *what)
{
        const Fact *table;
        StrBuf b = {};
        bool nofilter;
        size_t n;
        int r;

        r = process_table(ctx, pid, subject, &table, &nofilter);
        if (r != 0)
                return r < 0 ? r : 0;
        r = allowed_members(ctx, table->list, set, &b, &n);
        _cleanup_free_ char *list = strbuf_steal(&b);
        if (r < 0)
                return r;
        if (n == 0)
                return eval_emitf(ctx, STATUS_PASS, subject, "the filter denies every %s syscall", what);
        if (!list)
                return -ENOMEM;
        if (nofilter) {
                _cleanup_free_ char *names = strv_join((char **) set, ", ");
                return eval_emitf(ctx, STATUS_FAIL, subject,
                                  "no seccomp filter: every %s syscall is allowed on every architecture: %s", what,
                                  strna(names));
        }
        return eval_emitf(ctx, STATUS_FAIL, subject, "the filter allows %zu %s syscall%s: %s", n,
                          what, n == 1 ? "" : "s", list);
}

static int
filter_spawn(EvalContext *ctx, const char *pid, const char *subject, void *userdata)
{
        (void) userdata;
        return judge_set(ctx, pid, subject, set_spawn, "spawn");
}

static int
filter_elevate(EvalContext *ctx, const char *pid, const char *subject, void *userdata)
{
        (void) userdata;
        return judge_set(ctx, pid, subject, set_elevate, "privilege-changing");
}

static int
filter_obsolete(EvalContext *ctx, const char *pid, const char *subject, void *userdata)
{
        (void) userdata;
        return judge_set(ctx, pid, subject, set_obsolete, "obsolete");
}

static int
filter_resourcecontrol(EvalContext *ctx, const char *pid, const char *subject, void *userdata)
{
        (void) userdata;
        return judge_set(ctx, pid, subject, set_resourcecontrol, "resource-control");
}

static int
eval_filter_spawn(EvalContext *ctx)
{
        return eval_for_each_process(ctx, filter_spawn, NULL);
}

static int
eval_filter_elevate(EvalContext *ctx)
{
        return eval_for_each_process(ctx, filter_elevate, NULL);
}

static int
eval_filter_obsolete(EvalContext *ctx)
{
        return eval_for_each_process(ctx, filter_obsolete, NULL);
}

static int
eval_filter_resourcecontrol(EvalContext *ctx)
{
        return eval_for_each_process(ctx, filter_resourcecontrol, NULL);
}

/* What a "-sandbox" option string asks for, by QEMU 7.2's parse_sandbox():
 * "enable" is the implied key (a bool), obsolete is denied unless
 * obsolete=allow, elevateprivileges=deny|children, spawn=deny and
 * resourcecontrol=deny add their sets.  ",," escapes a comma. */
typedef struct SandboxClaim {
        bool enable, obsolete, elevate, spawn, resourcecontrol;
} SandboxClaim;

static bool
qemu_bool(const char *v, bool *ret)
{
        if (streq(v, "on") || streq(v, "yes") || streq(v, "true") || streq(v, "y"))
                *ret = true;
        else if (streq(v, "off") || streq(v, "no") || streq(v, "false") || streq(v, "n"))
                *ret = false;
        else
                return false;
        return true;
}

static void
sandbox_parse(const char *opts, SandboxClaim *c)
{
        bool first = true, obsolete_allow = false;
        SandboxClaim one = {};

        for (const char *p = opts; *p || first;) {
                _cleanup_free_ char *elem = NULL;
                StrBuf b = {};
                char *eq;

                while (*p && !(*p == ',' && p[1] != ',')) {
                        strbuf_appendn(&b, p, 1);
                        p += (*p == ',' && p[1] == ',') ? 2 : 1;
                }
                elem = strbuf_steal(&b);
                if (elem) {
                        eq = strchr(elem, '=');
                        if (!eq && first)
                                (void) qemu_bool(elem, &one.enable);
                        else if (eq) {
                                *eq = '\0';
                                if (streq(elem, "enable"))
                                        (void) qemu_bool(eq + 1, &one.enable);
                                else if (streq(elem, "obsolete"))
                                        obsolete_allow = streq(eq + 1, "allow");
                                else if (streq(elem, "elevateprivileges"))
                                        one.elevate = streq(eq + 1, "deny") || streq(eq + 1, "children");
                                else if (streq(elem, "spawn"))
                                        one.spawn = streq(eq + 1, "deny");
                                else if (streq(elem, "resourcecontrol"))
                                        one.resourcecontrol = streq(eq + 1, "deny");
                        }
                }
                first = false;
                if (!*p)
                        break;
                p++;
        }
        if (!one.enable)
                return;
        /* QEMU installs one filter per -sandbox: the claims add up. */
        c->enable = true;
        c->obsolete |= !obsolete_allow;
        c->elevate |= one.elevate;
        c->spawn |= one.spawn;
        c->resourcecontrol |= one.resourcecontrol;
}

static int
filter_matches_option(EvalContext *ctx, const char *pid, const char *subject, void *userdata)
{
        const Fact *cmd = eval_process_fact(ctx, pid, "cmdline"), *table;
        const struct {
                const char *option;
                const char *const *set;
        } *s, sets[] = {
                {"on", set_default},
                {"obsolete=deny", set_obsolete},
                {"elevateprivileges=deny", set_elevate},
                {"spawn=deny", set_spawn},
                {"resourcecontrol=deny", set_resourcecontrol},
        };
        SandboxClaim c = {};
        bool claimed[ELEMENTSOF(sets)];
        StrBuf b = {}, opts = {};
        bool nofilter;
        size_t total = 0;
        int r;

        (void) userdata;
        if ((r = eval_fact_unusable(ctx, subject, cmd)) != 0)
                return r < 0 ? r : 0;
        if (cmd->kind != FACT_LIST)
                return eval_emitf(ctx, STATUS_ERROR, subject, "no command line recorded");
        for (size_t i = 0; cmd->list[i]; i++)
                if ((streq(cmd->list[i], "-sandbox") || streq(cmd->list[i], "--sandbox")) && cmd->list[i + 1]) {
                        sandbox_parse(cmd->list[i + 1], &c);
                        strbuf_printf(&opts, "%s-sandbox %s", opts.len ? " " : "", cmd->list[i + 1]);
                }
        _cleanup_free_ char *claim = strbuf_steal(&opts);
        /* The filter first: without a read-back there is nothing to match,
         * whatever the command line says. */
        r = process_table(ctx, pid, subject, &table, &nofilter);
        if (r != 0)
                return r < 0 ? r : 0;
        if (!c.enable)
                return eval_emitf(ctx, STATUS_PASS, subject, "%s claims no filter: nothing to match",
                                  claim && *claim ? claim : "no -sandbox argument");
        claimed[0] = true;
        claimed[1] = c.obsolete;
        claimed[2] = c.elevate;
        claimed[3] = c.spawn;
        claimed[4] = c.resourcecontrol;
        for (size_t i = 0; i < ELEMENTSOF(sets); i++) {
                StrBuf m = {};
                size_t n;

                s = &sets[i];
                if (!claimed[i])
                        continue;
                r = allowed_members(ctx, table->list, s->set, &m, &n);
                _cleanup_free_ char *ml = strbuf_steal(&m);
                if (r < 0)
                        return r;
                if (n > 0)
                        strbuf_printf(&b, "%s%s claimed, allowed: %s", b.len ? "; " : "", s->option, strna(ml));
                total += n;
        }
        _cleanup_free_ char *bad = strbuf_steal(&b);
        if (total == 0)
                return eval_emitf(ctx, STATUS_PASS, subject, "the filter enforces %s", strna(claim));
        return eval_emitf(ctx, STATUS_FAIL, subject, "%s%s: %s", strna(claim),
                          nofilter ? " but no seccomp filter is installed" : " is not what the filter enforces",
                          strna(bad));
}

static int
eval_filter_matches_option(EvalContext *ctx)
{
        return eval_for_each_process(ctx, filter_matches_option, NULL);
}

/* Sorted by name. */
const Evaluator evaluators_seccomp[] = {
        {"seccomp-filter-elevate",         eval_filter_elevate         },
        {"seccomp-filter-matches-sandbox", eval_filter_matches_option  },
        {"seccomp-filter-obsolete",        eval_filter_obsolete        },
        {"seccomp-filter-resourcecontrol", eval_filter_resourcecontrol },
        {"seccomp-filter-spawn",           eval_filter_spawn           },
};

const size_t evaluators_seccomp_count = ELEMENTSOF(evaluators_seccomp);
