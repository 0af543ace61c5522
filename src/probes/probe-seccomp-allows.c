/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * process:PID/seccomp-allows, a derived fact: what the seccomp filter of a
 * QEMU process lets through, from seccomp:PID/filters, seccomp:PID/table
 * and seccomp:names/ARCH (probe-seccomp.c) alone, so that it is the same
 * live and from a facts file.
 *
 * A syscall, or an argument variant the decoder evaluates
 * ("clone(flags=fork)"), is allowed when on some architecture of the table
 * that has it (seccomp:names/ARCH; an architecture without a usable list
 * counts as having every name) its action does not deny it: its own row,
 * else the row of the syscall without the variant, else the
 * architecture's "*" row.  A plain name whose rows on an architecture are
 * variants only (the filter reads its arguments there) is judged there by
 * its variants, not by the "*" row.
 *
 * A facts file may hold anything: the programs are checked as the kernel
 * checks a filter and the rows held to "ARCH SYSCALL ACTION" first; what is
 * wrong makes the fact an error naming the key, the filter and the
 * instruction or the row.
 */
#include <stdlib.h>
#include <string.h>

#include "probes.h"
#include "seccomp-bpf.h"
#include "strv.h"
#include "util.h"

/* The architectures of a table (probe-seccomp.c, seccomp_arch_to_string). */
static const char *const arches[] = {"x86_64", "x32", "i386"};
#define N_ARCHES ELEMENTSOF(arches)

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
        bool dflt[N_ARCHES] = {};
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
                for (a = 0; a < N_ARCHES; a++)
                        if ((size_t) (sp1 - p) == strlen(arches[a]) && strneq(p, arches[a], sp1 - p))
                                break;
                if (a == N_ARCHES)
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
        for (size_t a = 0; a < N_ARCHES; a++)
                if (!dflt[a])
                        return xasprintf("no \"%s *\" row", arches[a]);
        return NULL;
}

/* The action of @name ("clone(flags=fork)" or "execve") on @arch: its own
 * row, else the row of the syscall without the argument variant, else the
 * architecture's "*" row (table_invalid() made sure there is one). */
static const char *
table_action(char *const *table, const char *arch, const char *name)
{
        size_t al = strlen(arch), nl = strlen(name), bl = strcspn(name, "(");
        const char *dflt = NULL, *plain = NULL;

        STRV_FOREACH(t, table) {
                const char *p = *t, *sp;

                if (!strneq(p, arch, al) || p[al] != ' ')
                        continue;
                p += al + 1;
                sp = strrchr(p, ' ');
                if (!sp)
                        continue;
                if ((size_t) (sp - p) == nl && strneq(p, name, nl))
                        return sp + 1;
                if ((size_t) (sp - p) == bl && strneq(p, name, bl))
                        plain = sp + 1;
                if (sp - p == 1 && *p == '*')
                        dflt = sp + 1;
        }
        return plain ? plain : dflt;
}

/* Whether the table has an argument variant row "ARCH NAME(..." for plain
 * syscall @name: the filter reads its arguments on @arch. */
static bool
table_has_variants(char *const *table, const char *arch, const char *name)
{
        size_t al = strlen(arch), nl = strlen(name);

        STRV_FOREACH(t, table)
                if (strneq(*t, arch, al) && (*t)[al] == ' ' && strneq(*t + al + 1, name, nl) &&
                    (*t)[al + 1 + nl] == '(')
                        return true;
        return false;
}

/* Adds the syscall part of each non-"*" row (the variant included). */
static int
universe_add_rows(char ***u, char *const *table)
{
        STRV_FOREACH(t, table) {
                const char *n = strchr(*t, ' ') + 1; /* table_invalid(): three fields */
                size_t len = (size_t) (strchr(n, ' ') - n);
                _cleanup_free_ char *name = NULL;

                if (len == 1 && *n == '*')
                        continue;
                name = strndup(n, len);
                if (!name)
                        return -ENOMEM;
                if (!strv_contains(*u, name) && strv_consume(u, TAKE_PTR(name)) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int
copy_error(FactStore *s, const char *key, const Fact *f)
{
        int r = fact_store_set_error(s, key, f->error, "%s", f->string ? f->string : "unreadable");

        return r < 0 ? r : 1;
}

int
probe_seccomp_derive_allows(FactStore *s, const char *key, const char *pid)
{
        _cleanup_free_ char *fk = xasprintf("seccomp:%s/filters", pid), *tk = xasprintf("seccomp:%s/table", pid);
        _cleanup_strv_free_ char **universe = NULL, **allowed = NULL, **variants = NULL;
        _cleanup_free_ char *bad = NULL;
        const Fact *filters, *table, *names[N_ARCHES];
        bool any_names = false;
        int r;

        if (!fk || !tk)
                return -ENOMEM;
        filters = fact_store_get(s, fk);
        if (filters->kind == FACT_ERROR)
                return copy_error(s, key, filters);
        table = fact_store_get(s, tk);
        if (table->kind == FACT_ERROR)
                return copy_error(s, key, table);
        if (filters->kind != FACT_LIST || table->kind != FACT_LIST)
                r = fact_store_set_error(s, key, -ENODATA, "no seccomp filter table recorded");
        else if ((bad = filters_invalid(filters->list)))
                r = fact_store_set_error(s, key, -EBADMSG, "%s: %s", fk, bad);
        else if ((bad = table_invalid(table->list)))
                r = fact_store_set_error(s, key, -EBADMSG, "%s: %s", tk, bad);
        else
                r = 0;
        if (r != 0 || bad || filters->kind != FACT_LIST || table->kind != FACT_LIST)
                return r < 0 ? r : 1;
        /* No filter, yet something denied: the two facts disagree. */
        if (!filters->list || !filters->list[0])
                STRV_FOREACH(t, table->list) {
                        const char *act = strrchr(*t, ' ');
                        if (act && seccomp_action_name_denies(act + 1)) {
                                r = fact_store_set_error(s, key, -EBADMSG, "%s: \"%s\" but %s is empty", tk, *t, fk);
                                return r < 0 ? r : 1;
                        }
                }

        /* Every name to judge: each architecture's syscalls, the table's
         * rows, and the argument variants the decoder knows. */
        for (size_t a = 0; a < N_ARCHES; a++) {
                _cleanup_free_ char *nk = xasprintf("seccomp:names/%s", arches[a]);

                if (!nk)
                        return -ENOMEM;
                names[a] = fact_store_get(s, nk);
                if (names[a]->kind != FACT_LIST) {
                        names[a] = NULL;
                        continue;
                }
                any_names = true;
                STRV_FOREACH(n, names[a]->list)
                        if (!strv_contains(universe, *n) && strv_extend(&universe, *n) < 0)
                                return -ENOMEM;
        }
        if (!any_names) {
                r = fact_store_set_error(s, key, -ENODATA,
                                         "seccomp:names/ARCH: no syscall names recorded for any architecture");
                return r < 0 ? r : 1;
        }
        r = universe_add_rows(&universe, table->list);
        if (r < 0)
                return r;
        r = probe_seccomp_variant_labels(&variants);
        if (r < 0)
                return r;
        STRV_FOREACH(v, variants)
                if (!strv_contains(universe, *v) && strv_extend(&universe, *v) < 0)
                        return -ENOMEM;

        STRV_FOREACH(u, universe) {
                _cleanup_free_ char *base = strndup(*u, strcspn(*u, "("));
                bool plain;

                if (!base)
                        return -ENOMEM;
                plain = streq(base, *u);
                for (size_t a = 0; a < N_ARCHES; a++) {
                        const char *act;

                        if (names[a] && !strv_contains(names[a]->list, base))
                                continue;
                        if (plain && table_has_variants(table->list, arches[a], base))
                                continue;
                        act = table_action(table->list, arches[a], *u);
                        if (act && seccomp_action_name_denies(act))
                                continue;
                        if (strv_extend(&allowed, *u) < 0)
                                return -ENOMEM;
                        break;
                }
        }
        if (!allowed && !(allowed = calloc(1, sizeof(char *))))
                return -ENOMEM;
        strv_sort(allowed);
        Fact f = {.kind = FACT_LIST, .list = TAKE_PTR(allowed)};
        r = fact_store_put(s, key, &f);
        return r < 0 ? r : 1;
}
