/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kvmaudit checks and kvmaudit explain ID. */
#include <getopt.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "config.h"
#include "text-escape.h"
#include "util.h"

/* @prefix, @s with its control characters visible (a --checks file is
 * read from disk like any other input), @suffix, on stdout. */
static void
put_line(const char *prefix, const char *s, const char *suffix)
{
        fputs(prefix, stdout);
        fputs_escaped(stdout, ESCAPE_LINE, s);
        fputs(suffix, stdout);
}

/* The machine-readable catalogue (report/schema/checks.schema.json). */
#define CHECKS_SCHEMA_VERSION 1

static int
parse_catalog_options(int argc, char **argv, const char *verb, char ***dirs, bool *ret_json)
{
        static const struct option opts[] = {
                {"checks", required_argument, NULL, 'c'},
                {"format", required_argument, NULL, 'f'},
                {"help", no_argument, NULL, 'h'},
                {},
        };
        int c;

        optind = 0;
        while ((c = getopt_long(argc, argv, ret_json ? "f:h" : "h", opts, NULL)) >= 0) {
                switch (c) {
                case 'c':
                        if (strv_extend(dirs, optarg) < 0)
                                return -ENOMEM;
                        break;
                case 'f':
                        if (!ret_json) {
                                cli_error("kvmaudit %s: --format is an option of checks", verb);
                                return -EINVAL;
                        }
                        if (!streq(optarg, "text") && !streq(optarg, "json")) {
                                cli_error("kvmaudit %s: unknown format \"%s\" (known: text, json)", verb, optarg);
                                return -EINVAL;
                        }
                        *ret_json = streq(optarg, "json");
                        break;
                case 'h':
                        cli_help();
                        return 1;
                default:
                        return -EINVAL;
                }
        }
        (void) verb;
        return 0;
}

static json_object *
jstrv(char *const *l)
{
        json_object *a = json_object_new_array();

        STRV_FOREACH(s, l)
                json_object_array_add(a, json_object_new_string(*s));
        return a;
}

static json_object *
jstr_or_null(const char *s)
{
        return s ? json_object_new_string(s) : NULL;
}

/* One object per check, in catalogue (id) order: what "explain" shows,
 * for tools that build dashboards, waiver editors or compliance maps. */
static int
checks_print_json(const Catalog *cat)
{
        json_object *root = json_object_new_object(), *checks = json_object_new_array();
        const char *s;

        json_object_object_add(root, "schema_version", json_object_new_int(CHECKS_SCHEMA_VERSION));
        json_object_object_add(root, "tool", json_object_new_string("kvmaudit"));
        json_object_object_add(root, "version", json_object_new_string(PROJECT_VERSION));
        for (size_t i = 0; i < cat->n_checks; i++) {
                const Check *c = &cat->checks[i];
                json_object *o = json_object_new_object(), *applies = json_object_new_array();

                json_object_object_add(o, "id", json_object_new_string(c->id));
                json_object_object_add(o, "title", json_object_new_string(c->title));
                json_object_object_add(o, "category", json_object_new_string(c->category));
                json_object_object_add(o, "severity", json_object_new_string(severity_to_string(c->severity)));
                json_object_object_add(o, "weight", json_object_new_int((int) severity_weight(c->severity)));
                json_object_object_add(o, "scope", json_object_new_string(scope_to_string(c->scope)));
                json_object_object_add(o, "facts", jstrv(c->facts));
                json_object_object_add(o, "expected", jstr_or_null(c->expected));
                for (size_t k = 0; k < c->n_applies; k++)
                        json_object_array_add(applies, json_object_new_string(c->applies[k].text));
                json_object_object_add(o, "applies", applies);
                json_object_object_add(o, "evaluator", jstr_or_null(c->judge ? c->judge->name : c->evaluator ? c->evaluator->name : NULL));
                json_object_object_add(o, "rationale", json_object_new_string(c->rationale));
                json_object_object_add(o, "remediation", json_object_new_string(c->remediation));
                json_object_object_add(o, "references", jstrv(c->refs));
                json_object_object_add(o, "source", jstr_or_null(c->source));
                json_object_object_add(o, "file", json_object_new_string(c->file));
                json_object_object_add(o, "line", json_object_new_int((int) c->line));
                json_object_array_add(checks, o);
        }
        json_object_object_add(root, "checks", checks);
        s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                         JSON_C_TO_STRING_NOSLASHESCAPE);
        if (!s) {
                json_object_put(root);
                return -ENOMEM;
        }
        /* a --checks file is read from disk: no raw control bytes out */
        fputs_json_safe(stdout, s);
        fputc('\n', stdout);
        json_object_put(root);
        return 0;
}

int
verb_checks(int argc, char **argv)
{
        _cleanup_strv_free_ char **dirs = NULL;
        Catalog cat = {};
        bool json = false;
        int r;

        r = parse_catalog_options(argc, argv, "checks", &dirs, &json);
        if (r != 0)
                return r > 0 ? EXIT_SUCCESS : EXIT_USAGE;
        if (optind < argc) {
                cli_error("kvmaudit checks: unexpected argument \"%s\"", argv[optind]);
                return EXIT_USAGE;
        }
        if (cli_load_catalog(dirs, &cat) < 0)
                return EXIT_USAGE;
        if (json) {
                r = checks_print_json(&cat);
                catalog_done(&cat);
                return r >= 0 && fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_CANNOT_RUN;
        }
        for (size_t i = 0; i < cat.n_checks; i++) {
                const Check *c = &cat.checks[i];
                _cleanup_free_ char *id = text_escape(ESCAPE_LINE, c->id);

                if (!id) {
                        catalog_done(&cat);
                        return EXIT_CANNOT_RUN;
                }
                printf("%-44s %-8s %-7s ", id, severity_to_string(c->severity), scope_to_string(c->scope));
                put_line("", c->title, "\n");
        }
        catalog_done(&cat);
        return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_CANNOT_RUN;
}

int
verb_explain(int argc, char **argv)
{
        _cleanup_strv_free_ char **dirs = NULL;
        Catalog cat = {};
        const Check *c;
        int r;

        r = parse_catalog_options(argc, argv, "explain", &dirs, NULL);
        if (r != 0)
                return r > 0 ? EXIT_SUCCESS : EXIT_USAGE;
        if (argc - optind != 1) {
                cli_error("kvmaudit explain: expected exactly one check id");
                return EXIT_USAGE;
        }
        if (cli_load_catalog(dirs, &cat) < 0)
                return EXIT_USAGE;
        c = catalog_find(&cat, argv[optind]);
        if (!c) {
                cli_error("kvmaudit explain: no check \"%s\" (see kvmaudit checks)", argv[optind]);
                catalog_done(&cat);
                return EXIT_USAGE;
        }
        put_line("", c->id, "\n");
        put_line("  ", c->title, "\n\n");
        put_line("category:    ", c->category, "\n");
        printf("severity:    %s (weight %u)\nscope:       %s\n", severity_to_string(c->severity),
               severity_weight(c->severity), scope_to_string(c->scope));
        if (c->facts) {
                _cleanup_free_ char *f = strv_join(c->facts, ", ");
                put_line("facts:       ", f ? f : "?", "\n");
        }
        put_line("passes when: ", c->expected, "\n");
        for (size_t i = 0; i < c->n_applies; i++)
                put_line("applies if:  ", c->applies[i].text, "\n");
        put_line("\nWhy:\n  ", c->rationale, "\n");
        put_line("\nRemediation:\n  ", c->remediation, "\n");
        /* the variants a scan shows instead on a host of that family */
        for (DistroFamily f = 0; f < _DISTRO_MAX; f++)
                if (c->remediation_for[f]) {
                        printf("\nRemediation on %s hosts (os-release ID or ID_LIKE):\n", distro_family_to_string(f));
                        put_line("  ", c->remediation_for[f], "\n");
                }
        if (c->refs || c->source) {
                printf("\nReferences:\n");
                if (c->source)
                        put_line("  ", c->source, "\n");
                STRV_FOREACH(ref, c->refs)
                        put_line("  ", *ref, "\n");
        }
        bool shown = false;
        for (Framework f = 0; f < _FRAMEWORK_MAX; f++)
                if (c->controls[f]) {
                        _cleanup_free_ char *l = strv_join(c->controls[f], ", ");
                        if (!shown)
                                printf("\nControls:\n");
                        shown = true;
                        printf("  %-12s ", framework_to_string(f));
                        put_line("", l ? l : "?", "\n");
                }
        put_line("\nDefined in ", c->file, "");
        printf(":%u\n", c->line);
        catalog_done(&cat);
        return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_CANNOT_RUN;
}
