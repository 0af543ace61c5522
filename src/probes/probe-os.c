/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* os:id, os:id_like, os:version_id: the distribution of the audited root,
 * from its os-release file, so that a remediation can name commands and
 * packages that exist there (issue 14 item 9). */
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "probes.h"
#include "util.h"

/* os-release(5): /etc/os-release, else /usr/lib/os-release. */
static const char *const os_release_files[] = {"/etc/os-release", "/usr/lib/os-release"};

/* The fields recorded, and their fact names. */
static const struct {
        const char *field, *key;
} os_fields[] = {
        {"ID", "os:id"},
        {"ID_LIKE", "os:id_like"},
        {"VERSION_ID", "os:version_id"},
};

/* An os-release value as systemd's parse_env_file() reads it: one level of
 * double quotes (backslash escapes \" \\ \$ \` inside) or single quotes, or
 * a bare word.  Unquotes in place; returns @v. */
static char *
os_value_unquote(char *v)
{
        size_t n = strlen(v);
        char *w = v, *p;

        if (n >= 2 && v[0] == '\'' && v[n - 1] == '\'') {
                v[n - 1] = '\0';
                return v + 1;
        }
        if (n < 2 || v[0] != '"' || v[n - 1] != '"')
                return v;
        v[n - 1] = '\0';
        for (p = v + 1; *p; p++) {
                if (*p == '\\' && p[1] && strchr("\"\\$`", p[1]))
                        p++;
                *w++ = *p;
        }
        *w = '\0';
        return v;
}

int
probe_os_load(FactStore *s, Host *h)
{
        _cleanup_free_ char *text = NULL;
        const char *path = NULL;
        char *line, *save = NULL;
        bool seen[ELEMENTSOF(os_fields)] = {};
        int r = -ENOENT;

        for (size_t i = 0; i < ELEMENTSOF(os_release_files) && r == -ENOENT; i++) {
                path = os_release_files[i];
                r = host_read_text(h, path, HOST_SMALL_FILE_MAX, &text);
        }
        if (r < 0) {
                for (size_t i = 0; i < ELEMENTSOF(os_fields); i++) {
                        int q = r == -ENOENT ? fact_store_set_absent(s, os_fields[i].key)
                                             : probe_record_error(s, os_fields[i].key, path, r);
                        if (q < 0)
                                return q;
                }
                return 0;
        }

        for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char *eq, *v;

                line = strstrip(line);
                if (line[0] == '#' || !(eq = strchr(line, '=')))
                        continue;
                *eq = '\0';
                v = os_value_unquote(strstrip(eq + 1));
                for (size_t i = 0; i < ELEMENTSOF(os_fields); i++) {
                        /* the last assignment wins, as in a shell */
                        if (!streq(strstrip(line), os_fields[i].field))
                                continue;
                        text_sanitize(v);
                        r = fact_store_set_string(s, os_fields[i].key, v);
                        if (r < 0)
                                return r;
                        seen[i] = true;
                }
        }
        for (size_t i = 0; i < ELEMENTSOF(os_fields); i++)
                if (!seen[i]) {
                        r = fact_store_set_absent(s, os_fields[i].key);
                        if (r < 0)
                                return r;
                }
        return 0;
}
