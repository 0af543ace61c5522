/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>

/*
 * What the -sandbox arguments of a QEMU command line install, read as QEMU
 * 7.2 reads them, for the derived process field "sandbox" and the seccomp
 * judges alike (one parser).  QEMU parses each -sandbox argument into its
 * own QemuOpts (the "sandbox" option list does not merge: util/qemu-option.c
 * qemu_opts_create() without merge_lists), and vl.c calls parse_sandbox()
 * on every one of them (qemu_opts_foreach): each argument that enables the
 * sandbox installs one more seccomp filter, and the kernel applies them
 * all.  So the syscall sets denied add up across arguments, and a later
 * "-sandbox off" removes nothing.  Within one argument a key given twice
 * counts once, the last (qemu_opt_get() reads the last); the first element
 * without "=" is the implied "enable"; ",," is a comma.
 *
 * To switch to it (owned elsewhere): probe-process.c derive_sandbox(), which
 * reads only the last argument (qemu_sandbox_parse() + qemu_sandbox_options()
 * instead), and check-eval-seccomp.c sandbox_parse(), which agrees with
 * this reading and can go.
 */

typedef enum QemuSandboxSet {
        QEMU_SANDBOX_DEFAULT,         /* denied by every filter ("on") */
        QEMU_SANDBOX_OBSOLETE,        /* unless obsolete=allow */
        QEMU_SANDBOX_ELEVATE,         /* elevateprivileges=deny|children */
        QEMU_SANDBOX_SPAWN,           /* spawn=deny */
        QEMU_SANDBOX_RESOURCECONTROL, /* resourcecontrol=deny */
        _QEMU_SANDBOX_SET_MAX,
} QemuSandboxSet;

typedef struct QemuSandbox {
        unsigned n_args;                        /* -sandbox arguments */
        unsigned n_filters;                     /* of them, those that install a filter */
        bool denied[_QEMU_SANDBOX_SET_MAX];     /* by any of the filters */
        bool children;                          /* elevateprivileges=children: no_new_privs set too */
} QemuSandbox;

/* Adds one -sandbox argument's @opts to *s. */
void qemu_sandbox_add(QemuSandbox *s, const char *opts);
/* *s for the -sandbox and --sandbox arguments of @argv (NULL-terminated). */
void qemu_sandbox_parse(char *const *argv, QemuSandbox *s);
/* "on", "obsolete", "elevateprivileges", "spawn", "resourcecontrol". */
const char *qemu_sandbox_set_option(QemuSandboxSet set);
/*
 * The options in effect, as a list (caller frees with strv_free()): "off"
 * when the arguments install no filter; otherwise "on", then for each
 * other set "KEY=deny" when a filter denies it, else "KEY=allow"
 * (obsolete=allow, elevateprivileges=allow, ...).  NULL without any
 * -sandbox argument, or on ENOMEM (*ret_oom set).
 */
char **qemu_sandbox_options(const QemuSandbox *s, bool *ret_oom);
