/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdio.h>
#include <string.h>

#include "catalog-embedded.h"
#include "cli.h"
#include "fileio.h"
#include "probes.h"
#include "util.h"

int
cli_load_catalog(char *const *extra_dirs, Catalog *ret)
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
        cli_error("kvmaudit: %s", err ? err : strerror(-r));
        free(err);
        catalog_done(&cat);
        return r;
}
