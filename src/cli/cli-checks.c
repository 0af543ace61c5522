/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kvmaudit checks and kvmaudit explain ID. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "util.h"

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
                fprintf(stderr, "kvmaudit checks: unexpected argument \"%s\"\n", argv[optind]);
                return EXIT_USAGE;
        }
        if (cli_load_catalog(dirs, &cat) < 0)
                return EXIT_USAGE;
        for (size_t i = 0; i < cat.n_checks; i++) {
                const Check *c = &cat.checks[i];
                printf("%-44s %-8s %-7s %s\n", c->id, severity_to_string(c->severity), scope_to_string(c->scope),
                       c->title);
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
                fprintf(stderr, "kvmaudit explain: expected exactly one check id\n");
                return EXIT_USAGE;
        }
        if (cli_load_catalog(dirs, &cat) < 0)
                return EXIT_USAGE;
        c = catalog_find(&cat, argv[optind]);
        if (!c) {
                fprintf(stderr, "kvmaudit explain: no check \"%s\" (see kvmaudit checks)\n", argv[optind]);
                catalog_done(&cat);
                return EXIT_USAGE;
        }
        printf("%s\n  %s\n\n", c->id, c->title);
        printf("category:    %s\nseverity:    %s (weight %u)\nscope:       %s\n", c->category,
               severity_to_string(c->severity), severity_weight(c->severity), scope_to_string(c->scope));
        if (c->facts) {
                _cleanup_free_ char *f = strv_join(c->facts, ", ");
                printf("facts:       %s\n", f ? f : "?");
        }
        printf("passes when: %s\n", c->expected);
        for (size_t i = 0; i < c->n_applies; i++)
                printf("applies if:  %s\n", c->applies[i].text);
        printf("\nWhy:\n  %s\n\nRemediation:\n  %s\n", c->rationale, c->remediation);
        if (c->refs || c->source) {
                printf("\nReferences:\n");
                if (c->source)
                        printf("  %s\n", c->source);
                STRV_FOREACH(ref, c->refs)
                        printf("  %s\n", *ref);
        }
        printf("\nDefined in %s:%u\n", c->file, c->line);
        catalog_done(&cat);
        return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_CANNOT_RUN;
}
