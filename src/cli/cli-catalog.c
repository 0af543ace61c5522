/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "cli.h"
#include "scan.h"
#include "util.h"

int
cli_load_catalog(char *const *extra_dirs, Catalog *ret)
{
        _cleanup_free_ char *err = NULL;
        int r;

        r = scan_catalog_load(extra_dirs, ret, &err);
        if (r < 0)
                cli_error("kvmaudit: %s", err ? err : strerror(-r));
        return r;
}
