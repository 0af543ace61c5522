/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * Internal to the evaluators of the lsm, svirt, qemu and libvirtd
 * categories (check-eval-virt.c: shared helpers and the tables;
 * check-eval-lsm.c, check-eval-svirt.c, check-eval-svirt-static.c,
 * check-eval-libvirtd.c: the judges).  Not an interface of the checks layer.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "check-evaluators.h"
#include "aa-rules.h"
#include "check-objects.h"
#include "domain-files.h"
#include "domain-label.h"
#include "profile.h"
#include "strv.h"
#include "util.h"

static inline const Fact *
get(EvalContext *ctx, const char *key)
{
        return fact_store_get(ctx->facts, key);
}

/* Emits skip/error for an unusable fact: returns from the caller with 0
 * (result emitted) or the negative errno. */
#define RETURN_IF_UNUSABLE(ctx, subject, f)                               \
        do {                                                              \
                int _q = eval_fact_unusable((ctx), (subject), (f));       \
                if (_q != 0)                                              \
                        return _q < 0 ? _q : 0;                           \
        } while (0)

typedef struct Mac {
        bool selinux, apparmor;
        const char *source; /* what decided it, for evidence */
} Mac;

/* An image label tally (svirt.disk-images-labeled, static labels). */
typedef struct ImageCheck {
        StrBuf bad;
        StrBuf good;
        StrBuf errors;
        unsigned n;
} ImageCheck;

/* check-eval-virt.c */
char *fact_value_text(const Fact *f);
int mac_state(EvalContext *ctx, const char *subject, Mac *ret);

/* check-eval-lsm.c */
int eval_apparmor_daemons(EvalContext *ctx);
int eval_apparmor_domain_profiles(EvalContext *ctx);
int eval_apparmor_profile_minimal(EvalContext *ctx);

/* check-eval-svirt.c */
bool selinux_context_split(const char *ctx, char *type, size_t size, const char **ret_level);
int eval_process_confined(EvalContext *ctx);
const DomainSeclabel *domain_mac_seclabel(const Domain *d);
bool seclabel_is_static(const DomainSeclabel *sl);
const char *domain_process(EvalContext *ctx, const DomainEntry *e);
int eval_disk_images_labeled(EvalContext *ctx);

/* check-eval-svirt-static.c */
const DomainSeclabel *static_selinux_seclabel(const Domain *d);
bool static_label_norelabel(const Domain *d, char *prefix, size_t size, bool *ret_prefix);
void image_check_static(EvalContext *ctx, ImageCheck *ic, const DomainEntry *self, const char *prefix,
                        const char *what, const char *path, const char *level, bool writable);
int eval_static_label_relabeled(EvalContext *ctx);
int eval_domain_type_confined(EvalContext *ctx);

/* check-eval-libvirtd.c */
int judge_qemu_user_not_root(const JudgeCall *call, Verdict *ret);
int eval_cgroup_device_acl(EvalContext *ctx);
int judge_libvirtd_sasl_mech_strong(const JudgeCall *call, Verdict *v);
int judge_libvirtd_unix_rw_socket_restricted(const JudgeCall *call, Verdict *v);
int judge_libvirtd_admin_socket_restricted(const JudgeCall *call, Verdict *v);
int judge_libvirtd_audit_enabled(const JudgeCall *call, Verdict *v);
int eval_libvirtd_socket_modes(EvalContext *ctx);
int eval_libvirtd_tls_key_private(EvalContext *ctx);
