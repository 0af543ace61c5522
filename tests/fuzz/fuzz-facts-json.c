/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* facts_load_json(): "scan --facts FILE". */
#include "facts-json.h"
#include "fuzz-common.h"
#include "probes.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *text = fuzz_strndup(data, size);
        FactStore *s = NULL;
        char *err = NULL;

        if (!text)
                return 0;
        if (fact_store_new(NULL, probe_namespaces, probe_namespaces_count, &s) >= 0) {
                (void) facts_load_json(s, text, "fuzz.json", &err);
                fact_store_free(s);
        }
        free(err);
        free(text);
        return 0;
}
