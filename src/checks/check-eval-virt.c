/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Evaluators of the lsm, svirt, qemu and libvirtd categories: the helpers
 * they share (MAC state) and their tables.  The judges live in one file per
 * category (check-eval-virt.h).  Defaults libvirt applies to absent keys
 * are stated (with their source) in the catalogue entries and
 * docs/catalogue-verify-notes-confinement.md; the code follows them.
 */
#include "check-eval-virt.h"

/* The value as text: strings as they are, lists as "[a, b]". */
char *
fact_value_text(const Fact *f)
{
        if (f->kind == FACT_LIST) {
                _cleanup_free_ char *j = strv_join(f->list, ", ");
                return j ? xasprintf("[%s]", j) : NULL;
        }
        return strdup(fact_text_or(f));
}

/* ------------------------------------------------------------------ */
/* MAC state                                                          */



/*
 * Which MAC LSMs are active: lsm:active, else (no securityfs) selinuxfs
 * mounted or AppArmor's enabled parameter.  Returns 1 when it emitted a
 * skip/error result for @subject, 0 with *ret filled, or a negative errno.
 */
int
mac_state(EvalContext *ctx, const char *subject, Mac *ret)
{
        const Fact *lsm = get(ctx, "lsm:active"), *sefs, *aa;
        int r;

        if ((r = eval_fact_unusable(ctx, subject, lsm)) != 0)
                return r;
        if (lsm->kind == FACT_STRING) {
                *ret = (Mac) {
                        .selinux = fact_has_word(lsm, "selinux"),
                        .apparmor = fact_has_word(lsm, "apparmor"),
                        .source = "lsm:active",
                };
                return 0;
        }
        sefs = get(ctx, "sysfs:fs/selinux");
        aa = get(ctx, "sysfs:module/apparmor/parameters/enabled");
        if ((r = eval_fact_unusable(ctx, subject, sefs)) != 0)
                return r;
        if ((r = eval_fact_unusable(ctx, subject, aa)) != 0)
                return r;
        *ret = (Mac) {
                .selinux = sefs->kind != FACT_ABSENT,
                .apparmor = fact_is(aa, "Y"),
                /* The LSM list is a securityfs file: its absence means
                 * securityfs is not mounted, not that no LSM runs. */
                .source = "securityfs not mounted (no /sys/kernel/security/lsm), so judged by /sys/fs/selinux "
                          "and /sys/module/apparmor/parameters/enabled",
        };
        return 0;
}

const Evaluator evaluators_virt[] = {
        {"apparmor-daemons",                  eval_apparmor_daemons                  },
        {"apparmor-domain-profiles",          eval_apparmor_domain_profiles          },
        {"apparmor-profile-minimal",          eval_apparmor_profile_minimal          },
        {"cgroup-device-acl",                 eval_cgroup_device_acl                 },
        {"disk-images-labeled",               eval_disk_images_labeled               },
        {"domain-type-confined",              eval_domain_type_confined              },
        {"libvirtd-socket-modes",             eval_libvirtd_socket_modes             },
        {"libvirtd-tls-key-private",          eval_libvirtd_tls_key_private          },
        {"process-confined",                  eval_process_confined                  },
        {"static-label-relabeled",            eval_static_label_relabeled            },
};

const size_t evaluators_virt_count = ELEMENTSOF(evaluators_virt);

/* Judges of one object each; sorted by name. */
const Judge judges_virt[] = {
        {"libvirtd-admin-socket-restricted", judge_libvirtd_admin_socket_restricted, NULL},
        {"libvirtd-audit-enabled", judge_libvirtd_audit_enabled, NULL},
        {"libvirtd-sasl-mech-strong", judge_libvirtd_sasl_mech_strong, NULL},
        {"libvirtd-unix-rw-socket-restricted", judge_libvirtd_unix_rw_socket_restricted, NULL},
        {"qemu-user-not-root", judge_qemu_user_not_root, NULL},
};

const size_t judges_virt_count = ELEMENTSOF(judges_virt);
