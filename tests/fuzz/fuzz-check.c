/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* catalog_load_text() + catalog_finish(): the .check format. */
#include "check.h"
#include "fuzz-common.h"
#include "probes.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *text = fuzz_strndup(data, size);
        Catalog c = {};
        char *err = NULL;

        if (!text)
                return 0;
        if (catalog_load_text(&c, text, "fuzz.check", probe_namespaces, probe_namespaces_count, &err) >= 0) {
                free(err);
                err = NULL;
                if (catalog_finish(&c, &err) >= 0 && c.n_checks > 0)
                        (void) catalog_find(&c, c.checks[0].id);
        }
        free(err);
        catalog_done(&c);
        free(text);
        return 0;
}
