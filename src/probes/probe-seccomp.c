/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The seccomp namespace: the filters of each running QEMU process as the
 * kernel enforces them (opt-in, "--inspect-seccomp"), read back with
 * ptrace and decoded into an action table.
 *
 *   seccomp:PID/filters  list, one program per filter, newest first; each
 *                        instruction 16 hex digits: code (4), jt (2), jf (2), k (8)
 *   seccomp:PID/table    list of "ARCH SYSCALL ACTION" rows: per architecture
 *                        "ARCH * ACTION" (what most syscalls get) then every
 *                        syscall that gets something else; a syscall whose
 *                        verdict depends on its arguments has one row per
 *                        dangerous argument value, "clone(flags=fork)"
 *   seccomp:PID/stop_us  how long the QEMU thread was stopped, microseconds
 *                        (an upper bound: from PTRACE_INTERRUPT to detach)
 *   seccomp:PID/held_us  the lower bound: from the moment kvmaudit saw the
 *                        thread stopped to detach (the copy itself)
 *   seccomp:names/ARCH   the syscall names of ARCH (libseccomp's table), so
 *                        that a check can tell "not in the table because
 *                        the default applies" from "no such syscall here"
 *
 * A process without a filter has an empty filters list and a table that
 * allows everything; one that could not be read has error facts.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "probes.h"
#include "seccomp-inspect.h"
#include "strv.h"
#include "util.h"

/* "--inspect-seccomp", kept with the store it was asked for (no
 * global): an attachment whose presence means on. */
#define INSPECT_ATTACHMENT "seccomp-inspect"

int
probe_seccomp_set_inspect(FactStore *s, bool on)
{
        char *mark;
        int r;

        if (!on)
                return 0;
        mark = strdup("on");
        if (!mark)
                return -ENOMEM;
        r = fact_store_attach(s, INSPECT_ATTACHMENT, mark, free);
        if (r < 0)
                free(mark);
        return r == -EEXIST ? 0 : r;
}

bool
probe_seccomp_inspect_enabled(FactStore *s)
{
        return fact_store_attachment(s, INSPECT_ATTACHMENT);
}

/*
 * Argument values evaluated where a filter looks at the arguments: what a
 * compromised QEMU would pass to do harm, next to what it passes itself.
 */
typedef struct ArgVariant {
        const char *syscall;
        const char *label;      /* "flags=fork" */
        unsigned arg;
        uint64_t value;
} ArgVariant;

static const ArgVariant arg_variants[] = {
        /* glibc's fork(): CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID|SIGCHLD */
        {"clone", "flags=fork", 0, 0x01200011},
        /* vfork()/posix_spawn(): CLONE_VM|CLONE_VFORK|SIGCHLD */
        {"clone", "flags=vfork", 0, 0x00004111},
        /* a new user namespace: CLONE_NEWUSER|SIGCHLD */
        {"clone", "flags=newuser", 0, 0x10000011},
        /* glibc's pthread_create(): CLONE_VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|
         * SETTLS|PARENT_SETTID|CHILD_CLEARTID, what QEMU itself needs */
        {"clone", "flags=thread", 0, 0x003d0f00},
        {"sched_setscheduler", "policy=SCHED_FIFO", 1, 1},
        {"sched_setscheduler", "policy=SCHED_IDLE", 1, 5},
        {"socket", "family=AF_UNIX", 0, 1},
        {"socket", "family=AF_INET", 0, 2},
        {"socket", "family=AF_NETLINK", 0, 16},
        {"socket", "family=AF_PACKET", 0, 17},
        /* pushing characters into a terminal's input */
        {"ioctl", "request=TIOCSTI", 1, 0x5412},
};

int
probe_seccomp_variant_labels(char ***ret)
{
        _cleanup_strv_free_ char **l = NULL;

        for (size_t v = 0; v < ELEMENTSOF(arg_variants); v++)
                if (strv_consume(&l, xasprintf("%s(%s)", arg_variants[v].syscall, arg_variants[v].label)) < 0)
                        return -ENOMEM;
        *ret = TAKE_PTR(l);
        return 0;
}

#define X32_SYSCALL_BIT 0x40000000u

/* libseccomp's names per architecture and number, resolved once per run:
 * every process's table walks the same numbers. */
static char *names_cache[_SECCOMP_ARCH_MAX][SECCOMP_SYSCALL_NR_MAX];
static bool names_cached[_SECCOMP_ARCH_MAX];

static int
names_fill(SeccompArch arch)
{
        if (names_cached[arch])
                return 0;
        for (int nr = 0; nr < (int) SECCOMP_SYSCALL_NR_MAX; nr++) {
                int r = seccomp_names_syscall(arch, nr, &names_cache[arch][nr]);

                if (r == -ENOENT)
                        names_cache[arch][nr] = NULL;
                else if (r < 0)
                        return r;
        }
        names_cached[arch] = true;
        return 0;
}

/* Like seccomp_names_syscall(), from the cache. */
static int
syscall_name(SeccompArch arch, int nr, char **ret)
{
        int r = names_fill(arch);

        if (r < 0)
                return r;
        if (!names_cache[arch][nr])
                return -ENOENT;
        *ret = strdup(names_cache[arch][nr]);
        return *ret ? 0 : -ENOMEM;
}

static int
run_filters(const SeccompFilters *f, const SeccompData *d, uint32_t *ret, unsigned *ret_args)
{
        uint32_t action = 0x7fff0000u; /* SECCOMP_RET_ALLOW: no filter */
        unsigned args = 0;

        for (size_t i = 0; i < f->n; i++) {
                uint32_t a;
                unsigned ar = 0;
                int r = seccomp_bpf_run(f->v[i].insns, f->v[i].n, d, &a, &ar);

                if (r < 0)
                        return r;
                action = seccomp_action_combine(action, a);
                args |= ar;
        }
        *ret = action;
        *ret_args = args;
        return 0;
}

typedef struct Row {
        char *name;
        char action[SECCOMP_ACTION_NAME_MAX];
        bool variant;
} Row;

static void
rows_free(Row *rows, size_t n)
{
        for (size_t i = 0; i < n; i++)
                free(rows[i].name);
        free(rows);
}

static int
rows_add(Row **rows, size_t *n, char *name, uint32_t action, bool variant)
{
        Row *nr = realloc(*rows, (*n + 1) * sizeof(Row));

        if (!nr) {
                free(name);
                return -ENOMEM;
        }
        *rows = nr;
        nr[*n] = (Row) {.name = name, .variant = variant};
        seccomp_action_name(action, nr[*n].action);
        (*n)++;
        return 0;
}

static int
cmp_row(const void *a, const void *b)
{
        return strcmp(((const Row *) a)->name, ((const Row *) b)->name);
}

/* Appends the rows of one architecture to *table. */
static int
decode_arch(const SeccompFilters *f, SeccompArch arch, char ***table)
{
        Row *rows = NULL;
        size_t n = 0;
        char dflt[SECCOMP_ACTION_NAME_MAX] = "allow";
        size_t best = 0;
        int r = 0;

        for (int nr = 0; nr < (int) SECCOMP_SYSCALL_NR_MAX; nr++) {
                SeccompData d = {.arch = seccomp_arch_audit(arch)};
                uint32_t action;
                unsigned args;
                char *name;
                bool known = false;

                r = syscall_name(arch, nr, &name);
                if (r == -ENOENT)
                        continue;
                if (r < 0)
                        goto out;
                d.nr = (int32_t) (arch == SECCOMP_ARCH_X32 ? (uint32_t) nr | X32_SYSCALL_BIT : (uint32_t) nr);
                r = run_filters(f, &d, &action, &args);
                if (r < 0) {
                        free(name);
                        goto out;
                }
                if (args == 0) {
                        r = rows_add(&rows, &n, name, action, false);
                        if (r < 0)
                                goto out;
                        continue;
                }
                for (size_t v = 0; v < ELEMENTSOF(arg_variants); v++) {
                        SeccompData dv = d;
                        char *label;

                        if (!streq(arg_variants[v].syscall, name))
                                continue;
                        known = true;
                        dv.args[arg_variants[v].arg] = arg_variants[v].value;
                        r = run_filters(f, &dv, &action, &args);
                        if (r < 0)
                                break;
                        label = xasprintf("%s(%s)", name, arg_variants[v].label);
                        r = label ? rows_add(&rows, &n, label, action, true) : -ENOMEM;
                        if (r < 0)
                                break;
                }
                if (r >= 0 && !known) {
                        /* Depends on arguments we have no dangerous values
                         * for: the verdict for all-zero arguments, marked. */
                        char *label = xasprintf("%s(args=0)", name);
                        r = label ? rows_add(&rows, &n, label, action, true) : -ENOMEM;
                }
                free(name);
                if (r < 0)
                        goto out;
        }

        /* The default: the action most plain rows get. */
        for (size_t i = 0; i < n; i++) {
                size_t c = 0;

                if (rows[i].variant)
                        continue;
                for (size_t j = 0; j < n; j++)
                        c += !rows[j].variant && streq(rows[j].action, rows[i].action);
                if (c > best) {
                        best = c;
                        memcpy(dflt, rows[i].action, sizeof(dflt));
                }
        }
        if (n > 0)
                qsort(rows, n, sizeof(Row), cmp_row);
        {
                char *line = xasprintf("%s * %s", seccomp_arch_to_string(arch), dflt);
                if (!line || strv_consume(table, line) < 0) {
                        r = -ENOMEM;
                        goto out;
                }
        }
        for (size_t i = 0; i < n; i++) {
                char *line;

                if (!rows[i].variant && streq(rows[i].action, dflt))
                        continue;
                line = xasprintf("%s %s %s", seccomp_arch_to_string(arch), rows[i].name, rows[i].action);
                if (!line || strv_consume(table, line) < 0) {
                        r = -ENOMEM;
                        goto out;
                }
        }
        r = 0;
out:
        rows_free(rows, n);
        return r;
}

int
probe_seccomp_decode(const SeccompFilters *f, char ***ret_table)
{
        _cleanup_strv_free_ char **table = NULL;
        int r;

        for (SeccompArch a = 0; a < _SECCOMP_ARCH_MAX; a++) {
                r = decode_arch(f, a, &table);
                if (r < 0)
                        return r;
        }
        *ret_table = TAKE_PTR(table);
        return 0;
}

static char *
program_hex(const SeccompFilter *p)
{
        char *s = malloc(p->n * 16 + 1);

        if (!s)
                return NULL;
        for (size_t i = 0; i < p->n; i++)
                snprintf(s + i * 16, 17, "%04x%02x%02x%08x", p->insns[i].code, p->insns[i].jt, p->insns[i].jf,
                         p->insns[i].k);
        s[p->n * 16] = '\0';
        return s;
}

static int
set_list(FactStore *s, const char *pid, const char *field, char **list)
{
        _cleanup_free_ char *key = xasprintf("seccomp:%s/%s", pid, field);
        Fact f = {.kind = FACT_LIST, .list = list};

        if (!key) {
                strv_free(list);
                return -ENOMEM;
        }
        return fact_store_put(s, key, &f);
}

static int
set_error(FactStore *s, const char *pid, int err, const char *msg)
{
        static const char *const fields[] = {"filters", "table", "stop_us", "held_us"};

        for (size_t i = 0; i < ELEMENTSOF(fields); i++) {
                _cleanup_free_ char *key = xasprintf("seccomp:%s/%s", pid, fields[i]);
                int r;

                if (!key)
                        return -ENOMEM;
                r = fact_store_set_error(s, key, err, "%s", msg);
                if (r < 0)
                        return r;
        }
        return 0;
}

static const char *
inspect_strerror(int r)
{
        switch (-r) {
        case EPERM:
                return "PTRACE_SEIZE refused: not root, or the process is already traced";
        case EACCES:
                return "PTRACE_SECCOMP_GET_FILTER refused: needs CAP_SYS_ADMIN and no seccomp filter on kvmaudit";
        case EMEDIUMTYPE:
                return "the kernel cannot hand out filters (CONFIG_CHECKPOINT_RESTORE is off)";
        case EBADMSG:
                return "the kernel returned a filter of impossible size";
        default:
                return strerror(-r);
        }
}

/* Records the facts of one process. */
static int
inspect_one(FactStore *s, const char *pid)
{
        _cleanup_free_ char *key = xasprintf("process:%s/seccomp", pid);
        _cleanup_(seccomp_filters_done) SeccompFilters f = {};
        _cleanup_strv_free_ char **progs = NULL, **table = NULL;
        const Fact *mode;
        uint64_t n;
        int r;

        if (!key)
                return -ENOMEM;
        mode = fact_store_get(s, key);
        if (mode->kind == FACT_STRING && streq(mode->string, "1"))
                return set_error(s, pid, -EINVAL, "strict seccomp mode: no filter to read");
        /* No filter: nothing to stop the guest for. */
        if (mode->kind == FACT_STRING && streq(mode->string, "0")) {
                _cleanup_free_ char *sk = xasprintf("seccomp:%s/stop_us", pid);

                r = probe_seccomp_decode(&f, &table);
                if (r < 0)
                        return r;
                if (!(progs = calloc(1, sizeof(char *))))
                        return -ENOMEM;
                r = set_list(s, pid, "filters", TAKE_PTR(progs));
                if (r >= 0)
                        r = set_list(s, pid, "table", TAKE_PTR(table));
                if (r >= 0)
                        r = sk ? fact_store_set_string(s, sk, "0") : -ENOMEM;
                if (r >= 0) {
                        _cleanup_free_ char *hk = xasprintf("seccomp:%s/held_us", pid);
                        r = hk ? fact_store_set_string(s, hk, "0") : -ENOMEM;
                }
                return r;
        }
        if (parse_uint64(pid, &n) < 0 || n == 0 || n > INT32_MAX)
                return set_error(s, pid, -EINVAL, "not a process id");
        r = seccomp_inspect_pid((pid_t) n, &f);
        if (r == -ESRCH)
                return set_error(s, pid, -ESRCH, "the process went away during the inspection");
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                _cleanup_free_ char *m = xasprintf("process %s: %s", pid, inspect_strerror(r));
                return m ? set_error(s, pid, r, m) : -ENOMEM;
        }
        for (size_t i = 0; i < f.n; i++) {
                size_t pc = 0;
                const char *what = NULL;

                r = seccomp_bpf_check(f.v[i].insns, f.v[i].n, &pc, &what);
                if (r < 0) {
                        _cleanup_free_ char *m = xasprintf("process %s: filter %zu, instruction %zu: %s", pid, i, pc,
                                                           what ? what : "invalid program");
                        return m ? set_error(s, pid, -EBADMSG, m) : -ENOMEM;
                }
                char *hex = program_hex(&f.v[i]);
                if (!hex || strv_consume(&progs, hex) < 0)
                        return -ENOMEM;
        }
        if (!progs && !(progs = calloc(1, sizeof(char *))))
                return -ENOMEM;
        r = probe_seccomp_decode(&f, &table);
        if (r < 0)
                return r;
        r = set_list(s, pid, "filters", TAKE_PTR(progs));
        if (r >= 0)
                r = set_list(s, pid, "table", TAKE_PTR(table));
        if (r >= 0) {
                _cleanup_free_ char *sk = xasprintf("seccomp:%s/stop_us", pid),
                                    *v = xasprintf("%" PRIu64, (f.stop_ns + 999) / 1000),
                                    *hk = xasprintf("seccomp:%s/held_us", pid),
                                    *hv = xasprintf("%" PRIu64, (f.held_ns + 999) / 1000);
                r = sk && v && hk && hv ? fact_store_set_string(s, sk, v) : -ENOMEM;
                if (r >= 0)
                        r = fact_store_set_string(s, hk, hv);
        }
        return r;
}

int
probe_seccomp_load(FactStore *s, Host *h)
{
        const Fact *pids;
        int r;

        (void) fact_store_mark_complete(s, "seccomp");
        if (!probe_seccomp_inspect_enabled(s))
                return fact_store_fail_namespace(s, "seccomp", -EOPNOTSUPP,
                                                 "filters are read back only with --inspect-seccomp");
        if (!host_is_live(h))
                return fact_store_fail_namespace(s, "seccomp", -ENOMEDIUM,
                                                 "filters are read from running processes: live host only");
        if (!seccomp_names_version())
                return fact_store_fail_namespace(s, "seccomp", -EOPNOTSUPP, "built without libseccomp");
        for (SeccompArch a = 0; a < _SECCOMP_ARCH_MAX; a++) {
                _cleanup_strv_free_ char **names = NULL;
                _cleanup_free_ char *key = xasprintf("seccomp:names/%s", seccomp_arch_to_string(a));

                if (!key)
                        return -ENOMEM;
                for (int nr = 0; nr < (int) SECCOMP_SYSCALL_NR_MAX; nr++) {
                        char *name;

                        r = syscall_name(a, nr, &name);
                        if (r == -ENOENT)
                                continue;
                        if (r < 0)
                                return r;
                        if (strv_consume(&names, name) < 0)
                                return -ENOMEM;
                }
                if (!names && !(names = calloc(1, sizeof(char *))))
                        return -ENOMEM;
                strv_sort(names);
                Fact f = {.kind = FACT_LIST, .list = TAKE_PTR(names)};
                r = fact_store_put(s, key, &f);
                if (r < 0)
                        return r;
        }
        pids = fact_store_get(s, "qemu:pids");
        if (pids->kind == FACT_ERROR)
                return fact_store_fail_namespace(s, "seccomp", pids->error, "%s", pids->string);
        if (pids->kind != FACT_LIST)
                return 0;
        STRV_FOREACH(p, pids->list) {
                r = inspect_one(s, *p);
                if (r < 0)
                        return r;
        }
        return 0;
}

int
probe_seccomp_inspect_now(FactStore *s)
{
        _cleanup_strv_free_ char **keys = NULL;

        if (!probe_seccomp_inspect_enabled(s))
                return 0;
        return fact_store_list(s, "seccomp", "", &keys);
}
