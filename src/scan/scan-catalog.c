/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The catalogue a scan runs: the embedded checks/ plus --checks DIRs. */
#include <stdio.h>
#include <string.h>

#include "catalog-embedded.h"
#include "fileio.h"
#include "probes.h"
#include "scan.h"
#include "strv.h"
#include "util.h"

/* A site's .check file; the shipped ones are ~100 KiB. */
#define CHECK_FILE_MAX (4u * 1024u * 1024u)

int
scan_catalog_load(char *const *extra_dirs, Catalog *ret, char **ret_error)
{
        Catalog cat = {};
        char *err = NULL;
        int r;

        for (unsigned i = 0; i < embedded_catalog_count; i++) {
                _cleanup_free_ char *name = xasprintf("checks/%s", embedded_catalog[i].name);
                r = catalog_load_text(&cat, embedded_catalog[i].text, name ? name : "checks", probe_namespaces,
                                      probe_namespaces_count, &err);
                if (r < 0)
                        goto fail;
        }
        STRV_FOREACH(dir, extra_dirs) {
                _cleanup_strv_free_ char **files = NULL;

                r = list_input_dir(*dir, ".check", &files);
                if (r < 0) {
                        err = xasprintf("--checks %s: %s", *dir, strerror(-r));
                        goto fail;
                }
                if (!files[0]) {
                        err = xasprintf("--checks %s: no *.check files in the directory", *dir);
                        r = -ENOENT;
                        goto fail;
                }
                STRV_FOREACH(f, files) {
                        _cleanup_free_ char *path = xasprintf("%s/%s", *dir, *f), *text = NULL;

                        if (!path) {
                                r = -ENOMEM;
                                goto fail;
                        }
                        r = read_input_file(path, CHECK_FILE_MAX, &text);
                        if (r < 0) {
                                err = xasprintf("%s: %s", path,
                                                r == -EFBIG ? "file too large" :
                                                r == -EBADMSG ? "contains NUL bytes" : strerror(-r));
                                goto fail;
                        }
                        r = catalog_load_text(&cat, text, path, probe_namespaces, probe_namespaces_count, &err);
                        if (r < 0)
                                goto fail;
                }
        }
        r = catalog_finish(&cat, &err);
        if (r < 0)
                goto fail;
        *ret = cat;
        return 0;
fail:
        /* A loader that failed without saying why: its errno says it. */
        if (!err && r != -ENOMEM)
                err = strdup(strerror(-r));
        *ret_error = err;
        catalog_done(&cat);
        return r;
}
