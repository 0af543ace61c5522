/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* aa_rules_parse(): libvirt-UUID and libvirt-UUID.files. */
#include "fuzz-common.h"
#include "aa-rules.h"
#include "strv.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *text = fuzz_strndup(data, size);
        char **rules = NULL, *err = NULL;

        if (!text)
                return 0;
        (void) aa_rules_parse(text, "fuzz", "<libvirt/libvirt-x.files>", &rules, &err);
        strv_free(rules);
        free(err);
        free(text);
        return 0;
}
