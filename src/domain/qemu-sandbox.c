/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stdlib.h>
#include <string.h>

#include "qemu-sandbox.h"
#include "strv.h"
#include "util.h"

static const char *const set_options[_QEMU_SANDBOX_SET_MAX] = {
        [QEMU_SANDBOX_DEFAULT] = "on",
        [QEMU_SANDBOX_OBSOLETE] = "obsolete",
        [QEMU_SANDBOX_ELEVATE] = "elevateprivileges",
        [QEMU_SANDBOX_SPAWN] = "spawn",
        [QEMU_SANDBOX_RESOURCECONTROL] = "resourcecontrol",
};

const char *
qemu_sandbox_set_option(QemuSandboxSet set)
{
        return set >= 0 && set < _QEMU_SANDBOX_SET_MAX ? set_options[set] : NULL;
}

/* QEMU's boolean words (qapi_bool_parse()); false for anything else, on
 * which QEMU would have refused to start. */
static bool
qemu_bool_on(const char *v)
{
        return streq(v, "on") || streq(v, "yes") || streq(v, "true") || streq(v, "y");
}

void
qemu_sandbox_add(QemuSandbox *s, const char *opts)
{
        /* the last value of each key, as qemu_opt_get() reads it */
        bool enable = false, obsolete_allow = false, elevate = false, children = false, spawn = false,
             resourcecontrol = false;
        bool first = true;

        s->n_args++;
        for (const char *p = opts;; first = false) {
                _cleanup_free_ char *elem = NULL;
                const char *key, *value;
                StrBuf b = {};
                char *eq;

                /* one element, ",," read as "," (get_opt_value()) */
                while (*p && !(*p == ',' && p[1] != ',')) {
                        strbuf_appendn(&b, p, 1);
                        p += *p == ',' ? 2 : 1;
                }
                elem = strbuf_steal(&b);
                if (elem && (eq = strchr(elem, '='))) {
                        *eq = '\0';
                        key = elem;
                        value = eq + 1;
                } else if (elem && first) {
                        key = "enable";
                        value = elem;
                } else if (elem && startswith(elem, "no")) {
                        key = elem + 2; /* a flag: "noX" is X=off */
                        value = "off";
                } else {
                        key = elem;
                        value = "on";
                }
                if (!key)
                        ;
                else if (streq(key, "enable"))
                        enable = qemu_bool_on(value);
                else if (streq(key, "obsolete"))
                        obsolete_allow = streq(value, "allow");
                else if (streq(key, "elevateprivileges")) {
                        elevate = streq(value, "deny") || streq(value, "children");
                        children = streq(value, "children");
                } else if (streq(key, "spawn"))
                        spawn = streq(value, "deny");
                else if (streq(key, "resourcecontrol"))
                        resourcecontrol = streq(value, "deny");
                if (!*p)
                        break;
                p++;
        }
        if (!enable)
                return;
        s->n_filters++;
        s->denied[QEMU_SANDBOX_DEFAULT] = true;
        s->denied[QEMU_SANDBOX_OBSOLETE] |= !obsolete_allow;
        s->denied[QEMU_SANDBOX_ELEVATE] |= elevate;
        s->denied[QEMU_SANDBOX_SPAWN] |= spawn;
        s->denied[QEMU_SANDBOX_RESOURCECONTROL] |= resourcecontrol;
        s->children |= children;
}

void
qemu_sandbox_parse(char *const *argv, QemuSandbox *s)
{
        *s = (QemuSandbox) {};
        for (size_t i = 0; argv && argv[i]; i++)
                if ((streq(argv[i], "-sandbox") || streq(argv[i], "--sandbox")) && argv[i + 1])
                        qemu_sandbox_add(s, argv[++i]);
}

char **
qemu_sandbox_options(const QemuSandbox *s, bool *ret_oom)
{
        _cleanup_strv_free_ char **l = NULL;

        *ret_oom = false;
        if (s->n_args == 0)
                return NULL;
        if (strv_extend(&l, s->n_filters ? "on" : "off") < 0)
                goto oom;
        for (QemuSandboxSet i = QEMU_SANDBOX_OBSOLETE; s->n_filters && i < _QEMU_SANDBOX_SET_MAX; i++)
                if (strv_consume(&l, xasprintf("%s=%s", set_options[i], s->denied[i] ? "deny" : "allow")) < 0)
                        goto oom;
        return TAKE_PTR(l);
oom:
        *ret_oom = true;
        return NULL;
}
