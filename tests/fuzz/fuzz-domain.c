/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* domain_parse(): libvirt domain XML, plus the pure helpers on its result. */
#include "domain.h"
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        Domain *d = NULL;
        char *err = NULL;

        /* domain_parse() takes a length: no NUL added, so over-reads show */
        if (domain_parse((const char *) data, size, "fuzz", &d, &err) >= 0) {
                for (size_t i = 0; i < d->n_disks; i++) {
                        (void) domain_disk_is_writable(&d->disks[i]);
                        (void) domain_disk_has_local_source(&d->disks[i]);
                }
                for (size_t i = 0; i < d->n_graphics; i++)
                        (void) domain_graphics_listen_address(&d->graphics[i]);
                (void) domain_seclabel_find(d, "selinux");
                (void) domain_seclabel_find(d, NULL);
                (void) domain_has_qemu_passthrough(d);
                (void) strlen(d->name);
                domain_free(d);
        }
        free(err);
        return 0;
}
