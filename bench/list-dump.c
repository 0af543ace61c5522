/*
 * list-dump [--open-only] URI: the bare libvirt work of kvmaudit's domain probe
 * (src/probes/probe-virt.c, domains_from_api), for bench/domains to time.
 *
 * Opens URI read-only, lists every domain with virConnectListAllDomains(flags 0),
 * and for each takes its name, its XML (virDomainGetXMLDesc, flags 0) and its
 * state (virDomainGetState), then frees it all and exits.  Prints
 * "domains N xml_bytes B" on standard output.  With --open-only it only opens
 * and closes the connection (for the test driver: parsing the node file).
 * Exit 0 done, 1 a libvirt call failed, 2 usage.
 *
 * Built by bench/domains:  cc -O2 list-dump.c $(pkg-config --cflags --libs libvirt)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>

static void
error_ignore(void *data, virErrorPtr err)
{
        (void) data;
        (void) err;
}

int
main(int argc, char **argv)
{
        virDomainPtr *doms = NULL;
        virConnectPtr conn;
        unsigned long long bytes = 0;
        const char *uri;
        int n, failed = 0, open_only = 0;

        if (argc == 3 && strcmp(argv[1], "--open-only") == 0)
                open_only = 1;
        else if (argc != 2) {
                fprintf(stderr, "usage: list-dump [--open-only] URI\n");
                return 2;
        }
        uri = argv[argc - 1];
        virSetErrorFunc(NULL, error_ignore);   /* as kvmaudit does */
        conn = virConnectOpenReadOnly(uri);
        if (!conn) {
                fprintf(stderr, "list-dump: %s: %s\n", uri, virGetLastErrorMessage());
                return 1;
        }
        if (open_only)
                return virConnectClose(conn) < 0;
        n = virConnectListAllDomains(conn, &doms, 0);
        if (n < 0) {
                fprintf(stderr, "list-dump: list: %s\n", virGetLastErrorMessage());
                virConnectClose(conn);
                return 1;
        }
        for (int i = 0; i < n; i++) {
                const char *name = virDomainGetName(doms[i]);
                char *xml = virDomainGetXMLDesc(doms[i], 0);
                int state = 0, reason = 0;

                if (!name || !xml || virDomainGetState(doms[i], &state, &reason, 0) < 0) {
                        fprintf(stderr, "list-dump: domain %s: %s\n", name ? name : "?",
                                virGetLastErrorMessage());
                        failed = 1;
                } else {
                        bytes += strlen(xml);
                }
                free(xml);
                virDomainFree(doms[i]);
        }
        free(doms);
        virConnectClose(conn);
        printf("domains %d xml_bytes %llu\n", n, bytes);
        return failed;
}
