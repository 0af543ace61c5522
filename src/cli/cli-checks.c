/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kvmaudit checks and kvmaudit explain ID. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
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

static int
parse_catalog_options(int argc, char **argv, const char *verb, char ***dirs)
{
        static const struct option opts[] = {
                {"checks", required_argument, NULL, 'c'},
                {"help", no_argument, NULL, 'h'},
                {},
        };
        int c;

        optind = 0;
        while ((c = getopt_long(argc, argv, "h", opts, NULL)) >= 0) {
                switch (c) {
                case 'c':
                        if (strv_extend(dirs, optarg) < 0)
                                return -ENOMEM;
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

int
verb_checks(int argc, char **argv)
{
        _cleanup_strv_free_ char **dirs = NULL;
        Catalog cat = {};
        int r;

        r = parse_catalog_options(argc, argv, "checks", &dirs);
        if (r != 0)
                return r > 0 ? EXIT_SUCCESS : EXIT_USAGE;
        if (optind < argc) {
                cli_error("kvmaudit checks: unexpected argument \"%s\"", argv[optind]);
                return EXIT_USAGE;
        }
        if (cli_load_catalog(dirs, &cat) < 0)
                return EXIT_USAGE;
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

        r = parse_catalog_options(argc, argv, "explain", &dirs);
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
