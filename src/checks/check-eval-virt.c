/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Evaluators of the lsm, svirt, seccomp, qemu and libvirtd categories:
 * MAC state, configuration of the QEMU driver and the daemons, and what
 * the running QEMU processes actually got.
 */
#include <string.h>

#include "check-evaluators.h"
#include "check-objects.h"
#include "strv.h"
#include "util.h"

static int
process_seccomp(EvalContext *ctx, const char *pid, const char *subject, void *userdata)
{
        const Fact *f = eval_process_fact(ctx, pid, "seccomp");
        int r;

        (void) userdata;
        if ((r = eval_fact_unusable(ctx, subject, f)) != 0)
                return r < 0 ? r : 0;
        if (fact_is(f, "2"))
                return eval_emit(ctx, STATUS_PASS, subject, "Seccomp: 2 (filter mode)", NULL);
        return eval_emitf(ctx, STATUS_FAIL, subject, "Seccomp: %s%s", fact_text_or(f),
                          fact_is(f, "0") ? " (no filter: the QEMU sandbox is off)" : "");
}

static int
eval_process_seccomp(EvalContext *ctx)
{
        return eval_for_each_process(ctx, process_seccomp, NULL);
}

/* Sorted by name; a new evaluator is one line here plus its function. */
const Evaluator evaluators_virt[] = {
        {"process-seccomp", eval_process_seccomp},
};

const size_t evaluators_virt_count = ELEMENTSOF(evaluators_virt);
