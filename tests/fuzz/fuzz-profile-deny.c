/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* profile_deny_table_parse(): profiles/apparmor/deny-paths, then lookups
 * of the table's own paths and of paths under them. */
#include <stdio.h>

#include "fuzz-common.h"
#include "profile-paths.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *text = fuzz_strndup(data, size);
        ProfileDenyTable t = {};
        char *err = NULL;

        if (!text)
                return 0;
        if (profile_deny_table_parse(text, "fuzz", &t, &err) >= 0) {
                for (size_t i = 0; i < t.n_entries && i < 16; i++) {
                        char sub[DOMAIN_PATH_MAX + 16];
                        const char *p = t.entries[i].path;
                        (void) profile_deny_table_match(&t, p, true, false);
                        (void) profile_deny_table_match(&t, p, false, true);
                        snprintf(sub, sizeof sub, "%s/x", p);
                        (void) profile_deny_table_match(&t, sub, true, true);
                }
                (void) profile_deny_table_match(&t, "/", true, true);
                profile_deny_table_done(&t);
        }
        free(err);
        free(text);
        return 0;
}
