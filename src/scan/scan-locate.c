/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where each finding points (scan.h, results_locate()). */
#include <stdlib.h>
#include <string.h>

#include "probes.h"
#include "scan.h"
#include "util.h"

static int
locate_one(Result *res, FactStore *store)
{
        const Check *c = res->check;
        char *path = NULL;
        unsigned line = 0;
        int r = -ENOENT;

        if (res->subject && res->subject[0] == '/') {
                path = strdup(res->subject);
                if (!path)
                        return -ENOMEM;
                r = 0;
        } else if (res->subject && strchr(res->subject, ':'))
                /* domain:NAME, process:PID, or the fact key of a split check */
                r = probe_fact_source(store, res->subject, &path, &line);
        for (size_t i = 0; r == -ENOENT && c->facts && c->facts[i]; i++)
                r = probe_fact_source(store, c->facts[i], &path, &line);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return 0;       /* nothing on disk behind it */
        /* A check's declared fact may be a pattern ("domain:*",
         * "process:* /status"): then the directory above the first '*'. */
        char *star = strchr(path, '*');
        if (star) {
                *star = '\0';
                char *slash = strrchr(path, '/');
                if (slash && slash != path)
                        *slash = '\0';
                else if (slash)
                        slash[1] = '\0';
                line = 0;
        }
        free(res->location);
        res->location = path;
        res->location_line = line;
        return 0;
}

int
results_locate(Results *results, FactStore *store)
{
        for (size_t i = 0; i < results->n; i++) {
                int r = locate_one(&results->v[i], store);
                if (r < 0)
                        return r;
        }
        return 0;
}
