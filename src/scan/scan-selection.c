/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Which checks a scan runs: gates (gates/NAME.profile), --only, --skip. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog-embedded.h"
#include "fileio.h"
#include "scan.h"
#include "strv.h"
#include "util.h"

void
selection_done(Selection *s)
{
        free(s->selected);
        *s = (Selection) {.min_coverage = -1};
}

char *
selection_gate_names(void)
{
        StrBuf b = {};

        for (unsigned i = 0; i < embedded_gates_count; i++)
                strbuf_printf(&b, "%s%s", i ? ", " : "", embedded_gates[i].name);
        return strbuf_steal(&b);
}

static bool
category_known(const Catalog *cat, const char *name)
{
        for (size_t i = 0; i < cat->n_checks; i++)
                if (streq(cat->checks[i].category, name))
                        return true;
        return false;
}

/* Longest name a gate error quotes back. */
#define GATE_QUOTE_MAX 64u
#define GATE_LINE_EXPECTED "expected one check id, category:NAME, * or min-coverage = PERCENT per line"
#define GATE_NOT_SHOWN "its content is not shown: a file given to --profile may hold secrets"

/* "min-coverage = PERCENT" (@l starts with "min-coverage"); -EINVAL when
 * it is not that.  The value is stripped in a copy: the error message
 * quotes the line as written. */
static int
gate_line_min_coverage(const char *l, double *ret)
{
        const char *v = l + strlen("min-coverage");
        char value[GATE_LINE_MAX + 1];
        double d;

        v += strspn(v, " \t");
        if (*v != '=')
                return -EINVAL;
        (void) snprintf(value, sizeof(value), "%s", v + 1);
        if (parse_double(strstrip(value), &d) < 0 || d < 0 || d > 100)
                return -EINVAL;
        *ret = d;
        return 0;
}

/* Whether @name may be quoted back in an error: a gate file may be any
 * file the user named (--profile /etc/shadow), and its lines are never
 * echoed unless they read as what a gate line names, a check id of a
 * known category ("kernel.kasrl") or a category name.  A password or a
 * hex token has no known category before a dot. */
static bool
gate_name_quotable(const Catalog *cat, const char *name, bool is_category)
{
        size_t prefix = strcspn(name, ".");

        if (strlen(name) > GATE_QUOTE_MAX || name[strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789.-")] != '\0')
                return false;
        if (is_category && !name[prefix])
                return true;
        for (size_t i = 0; i < cat->n_checks; i++)
                if (strlen(cat->checks[i].category) == prefix && strneq(cat->checks[i].category, name, prefix))
                        return true;
        return false;
}

int
selection_parse_gate(const Catalog *cat, const char *text, const char *filename, bool *sel,
                     double *ret_min_coverage, char **ret_error)
{
        double min_coverage = -1;
        unsigned lineno = 0;

#define FAIL(...)                                                               \
        do {                                                                    \
                *ret_error = xasprintf(__VA_ARGS__);                            \
                return *ret_error ? -EINVAL : -ENOMEM;                          \
        } while (0)

        for (const char *p = text; *p; ) {
                const char *eol = strchrnul(p, '\n');
                size_t len = eol - p;
                char line[GATE_LINE_MAX + 1];
                const char *what;
                bool found = false;
                char *l;

                lineno++;
                if (len > GATE_LINE_MAX)
                        FAIL("%s:%u: line longer than %u bytes", filename, lineno, GATE_LINE_MAX);
                memcpy(line, p, len);
                line[len] = '\0';
                p = *eol ? eol + 1 : eol;
                l = strstrip(line);
                if (!*l || *l == '#')
                        continue;
                if (startswith(l, "min-coverage")) {
                        double d;

                        if (gate_line_min_coverage(l, &d) < 0)
                                FAIL("%s:%u: expected min-coverage = PERCENT (0 to 100)", filename, lineno);
                        if (min_coverage >= 0)
                                FAIL("%s:%u: min-coverage given twice", filename, lineno);
                        min_coverage = d;
                        continue;
                }
                if (strpbrk(l, " \t#"))
                        FAIL("%s:%u: " GATE_LINE_EXPECTED " (the line has blanks or a '#'; " GATE_NOT_SHOWN ")",
                             filename, lineno);
                if (streq(l, "*")) {
                        for (size_t i = 0; i < cat->n_checks; i++)
                                sel[i] = true;
                        continue;
                }
                if (startswith(l, "category:")) {
                        l += strlen("category:");
                        what = "category";
                        for (size_t i = 0; i < cat->n_checks; i++)
                                if (streq(cat->checks[i].category, l))
                                        sel[i] = found = true;
                } else {
                        const Check *c = catalog_find(cat, l);

                        what = "check id";
                        if (c) {
                                sel[c - cat->checks] = true;
                                found = true;
                        }
                }
                if (!found && gate_name_quotable(cat, l, streq(what, "category")))
                        FAIL("%s:%u: no such %s \"%s\" in the catalogue", filename, lineno, what, l);
                if (!found)
                        FAIL("%s:%u: no such %s in the catalogue: " GATE_LINE_EXPECTED " (" GATE_NOT_SHOWN ")",
                             filename, lineno, what);
        }
#undef FAIL
        *ret_min_coverage = min_coverage;
        return 0;
}

int
selection_load_gate(const Catalog *cat, const char *name, bool *sel, double *ret_min_coverage,
                    char **ret_error)
{
        _cleanup_free_ char *text = NULL, *known = NULL;
        int r;

        if (strchr(name, '/')) {
                r = read_input_file(name, GATE_FILE_MAX, &text);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        *ret_error = xasprintf("--profile %s: %s", name,
                                               r == -EFBIG ? "file too large" :
                                               r == -EBADMSG ? "contains NUL bytes" : strerror(-r));
                        return *ret_error ? -EINVAL : -ENOMEM;
                }
                return selection_parse_gate(cat, text, name, sel, ret_min_coverage, ret_error);
        }
        for (unsigned i = 0; i < embedded_gates_count; i++)
                if (streq(embedded_gates[i].name, name)) {
                        _cleanup_free_ char *file = xasprintf("gates/%s.profile", name);

                        if (!file)
                                return -ENOMEM;
                        return selection_parse_gate(cat, embedded_gates[i].text, file, sel, ret_min_coverage,
                                                    ret_error);
                }
        known = selection_gate_names();
        *ret_error = xasprintf("--profile %s: no such profile (known: %s; or a file path)", name, strna(known));
        return *ret_error ? -EINVAL : -ENOMEM;
}

/* " --profile X --only Y --skip Z": what left nothing to run. */
static char *
selection_describe(const char *gate, char *const *only, char *const *skip)
{
        StrBuf b = {};

        if (gate)
                strbuf_printf(&b, " --profile %s", gate);
        STRV_FOREACH(s, only)
                strbuf_printf(&b, " --only %s", *s);
        STRV_FOREACH(s, skip)
                strbuf_printf(&b, " --skip %s", *s);
        return strbuf_steal(&b);
}

int
selection_build(const Catalog *cat, const char *gate, char *const *only, char *const *skip,
                Selection *ret, char **ret_error)
{
        _cleanup_(selection_done) Selection s = {.n_checks = cat->n_checks, .min_coverage = -1};
        int r;

        s.selected = calloc(cat->n_checks ? cat->n_checks : 1, sizeof(bool));
        if (!s.selected)
                return -ENOMEM;
        for (size_t i = 0; i < cat->n_checks; i++)
                s.selected[i] = !gate;
        if (gate) {
                r = selection_load_gate(cat, gate, s.selected, &s.min_coverage, ret_error);
                if (r < 0)
                        return r;
        }
        STRV_FOREACH(o, only)
                if (!catalog_find(cat, *o) && !category_known(cat, *o)) {
                        *ret_error = xasprintf("--only %s: no such category or check id", *o);
                        return *ret_error ? -EINVAL : -ENOMEM;
                }
        STRV_FOREACH(k, skip)
                if (!catalog_find(cat, *k) && !category_known(cat, *k)) {
                        *ret_error = xasprintf("--skip %s: no such check id or category", *k);
                        return *ret_error ? -EINVAL : -ENOMEM;
                }
        for (size_t i = 0; i < cat->n_checks; i++) {
                const Check *c = &cat->checks[i];
                bool sel = !only || strv_contains(only, c->category) ||
                           strv_contains(only, c->id);

                if (strv_contains(skip, c->id) || strv_contains(skip, c->category))
                        sel = false;
                s.selected[i] = s.selected[i] && sel;
                s.n_selected += s.selected[i];
        }
        /* An empty selection would "pass" every gate on nothing at all. */
        if (s.n_selected == 0) {
                _cleanup_free_ char *what = selection_describe(gate, only, skip);

                *ret_error = xasprintf("the selection leaves no check to run:%s", strna(what));
                return *ret_error ? -EINVAL : -ENOMEM;
        }
        *ret = s;
        s = (Selection) {};
        return 0;
}
