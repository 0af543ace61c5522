/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* waiver_set_load_text() against the shipped catalogue, then
 * waivers_apply() on one fail result per check. */
#include <stdio.h>

#include "catalog-embedded.h"
#include "fuzz-common.h"
#include "probes.h"
#include "waiver.h"

static Catalog catalog;

int LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
        (void) argc;
        (void) argv;
        for (unsigned i = 0; i < embedded_catalog_count; i++) {
                char *err = NULL;
                if (catalog_load_text(&catalog, embedded_catalog[i].text, embedded_catalog[i].name, probe_namespaces,
                                      probe_namespaces_count, &err) < 0) {
                        fprintf(stderr, "catalogue: %s\n", err);
                        abort();
                }
        }
        char *err = NULL;
        if (catalog_finish(&catalog, &err) < 0) {
                fprintf(stderr, "catalogue: %s\n", err);
                abort();
        }
        return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *text = fuzz_strndup(data, size);
        WaiverSet s = {};
        char *err = NULL;

        if (!text)
                return 0;
        if (waiver_set_load_text(&s, text, "fuzz.waivers", &catalog, &err) >= 0 && s.n > 0) {
                Results r = {};
                char **warnings = NULL;
                /* a few results: the first check of each waiver, subjects that globs may match */
                for (size_t i = 0; i < s.n && i < 8; i++) {
                        const Check *c = catalog_find(&catalog, s.v[i].check_id);
                        if (c) {
                                (void) results_add(&r, c, STATUS_FAIL, "domain:web-1", "x", "y");
                                (void) results_add(&r, c, STATUS_ERROR, "host", "x", "y");
                        }
                }
                (void) waivers_apply(&s, &r, "2026-01-01", &warnings);
                if (warnings) {
                        for (char **w = warnings; *w; w++)
                                free(*w);
                        free(warnings);
                }
                results_done(&r);
        }
        waiver_set_done(&s);
        free(err);
        free(text);
        return 0;
}
