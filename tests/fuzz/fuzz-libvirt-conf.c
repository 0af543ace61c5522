/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libvirt_conf_parse(): qemu.conf / libvirtd.conf syntax. */
#include "fuzz-common.h"
#include "libvirt-conf.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *text = fuzz_strndup(data, size);
        LibvirtConfEntry *e = NULL;
        size_t n = 0;
        unsigned line = 0;
        const char *err = NULL;

        if (!text)
                return 0;
        if (libvirt_conf_parse(text, &e, &n, &line, &err) >= 0) {
                /* touch every field so ASan sees bad pointers */
                for (size_t i = 0; i < n; i++) {
                        (void) strlen(e[i].name);
                        if (e[i].value)
                                (void) strlen(e[i].value);
                        if (e[i].list)
                                for (char **l = e[i].list; *l; l++)
                                        (void) strlen(*l);
                }
                libvirt_conf_entries_free(e, n);
        } else if (err)
                (void) strlen(err);
        free(text);
        return 0;
}
