/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* report_load_json(): "kvmaudit report" / "kvmaudit diff" input. */
#include "fuzz-common.h"
#include "report-load.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *text = fuzz_strndup(data, size);
        LoadedReport l = {};
        char *err = NULL;

        if (!text)
                return 0;
        if (report_load_json(text, "fuzz.json", &l, &err) >= 0)
                loaded_report_done(&l);
        free(err);
        free(text);
        return 0;
}
