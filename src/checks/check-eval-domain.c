/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Evaluators of the domain category: one result per libvirt domain, from
 * the parsed domain model.  Defaults libvirt applies to absent attributes
 * are stated in the catalogue entries; the code follows them.
 */
#include <string.h>

#include "check-evaluators.h"
#include "check-objects.h"
#include "strv.h"
#include "util.h"

static int
qemu_commandline_none(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;
        _cleanup_strv_free_ char **used = NULL;

        (void) userdata;
        if (d->qemu_commandline && strv_extend(&used, "<qemu:commandline>") < 0)
                return -ENOMEM;
        if (d->qemu_capabilities && strv_extend(&used, "<qemu:capabilities>") < 0)
                return -ENOMEM;
        if (d->qemu_override && strv_extend(&used, "<qemu:override>") < 0)
                return -ENOMEM;
        if (!used)
                return eval_emit(ctx, STATUS_PASS, e->subject, "no QEMU pass-through elements", NULL);
        _cleanup_free_ char *list = strv_join(used, ", ");
        _cleanup_free_ char *args = d->qemu_args ? strv_join(d->qemu_args, " ") : NULL;
        return eval_emitf(ctx, STATUS_FAIL, e->subject, "%s%s%s", list ? list : "?", args ? "; arguments: " : "",
                          args ? args : "");
}

static int
eval_domain_qemu_commandline_none(EvalContext *ctx)
{
        return eval_for_each_domain(ctx, qemu_commandline_none, NULL);
}

static int
no_floppy(EvalContext *ctx, const DomainEntry *e, void *userdata)
{
        const Domain *d = e->model;

        (void) userdata;
        for (size_t i = 0; i < d->n_disks; i++)
                if (d->disks[i].device && streq(d->disks[i].device, "floppy"))
                        return eval_emitf(ctx, STATUS_FAIL, e->subject, "floppy disk %s (%s)",
                                          strna(d->disks[i].target_dev), strna(d->disks[i].source));
        return eval_emitf(ctx, STATUS_PASS, e->subject, "no floppy among %zu disks", d->n_disks);
}

static int
eval_domain_no_floppy(EvalContext *ctx)
{
        return eval_for_each_domain(ctx, no_floppy, NULL);
}

/* Sorted by name; a new evaluator is one line here plus its function. */
const Evaluator evaluators_domain[] = {
        {"domain-no-floppy",             eval_domain_no_floppy            },
        {"domain-qemu-commandline-none", eval_domain_qemu_commandline_none},
};

const size_t evaluators_domain_count = ELEMENTSOF(evaluators_domain);
