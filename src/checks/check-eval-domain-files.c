/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Domain judges over the metadata of the files a definition names: console
 * logs and file character devices, disks, NVRAM and the swtpm state (stat:
 * facts of paths taken from the parsed domain, which no condition can
 * name in advance).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check-domain-judge.h"

static bool
str_eq(const char *a, const char *b)
{
        return a && b && streq(a, b);
}

/* Judges the file at @path (if it exists: no world bits) and its
 * directory (not world-writable). */
static void
judge_private_file(FactStore *facts, DeviceTally *v, const char *what, const char *path)
{
        _cleanup_free_ char *dir = NULL;
        const Fact *f, *df;
        char *slash;

        v->n_items++;
        if (path[0] != '/') {
                NOTE(&v->unknown, "%s %s: not an absolute path", what, path);
                return;
        }
        f = fact_store_get2(facts, "stat", path);
        if (domain_tally_unusable(v, path, f))
                return;
        dir = strdup(path);
        if (!dir) {
                v->bad.oom = true;
                return;
        }
        slash = strrchr(dir, '/');
        if (slash == dir)
                slash[1] = '\0';
        else
                *slash = '\0';
        df = fact_store_get2(facts, "stat", dir);
        if (domain_tally_unusable(v, dir, df))
                return;
        if (df->kind == FACT_STAT && (df->stat.mode & S_IWOTH))
                NOTE(&v->bad, "%s %s: directory %s is world-writable (%04o)", what, path, dir, df->stat.mode & 07777);
        if (f->kind == FACT_ABSENT)
                NOTE(&v->ok, "%s %s: not created yet%s", what, path,
                     df->kind == FACT_STAT && !(df->stat.mode & S_IWOTH) ? ", directory not world-writable" : "");
        else if (S_ISLNK(f->stat.mode))
                NOTE(&v->bad, "%s %s: is a symbolic link", what, path);
        else if (f->stat.mode & S_IRWXO)
                NOTE(&v->bad, "%s %s: mode %04o has world bits", what, path, f->stat.mode & 07777);
        else if (!(df->kind == FACT_STAT && (df->stat.mode & S_IWOTH)))
                NOTE(&v->ok, "%s %s: mode %04o, directory not world-writable", what, path, f->stat.mode & 07777);
}

static int
console_log_private(FactStore *facts, const DomainSet *ds, const DomainEntry *e, Verdict *ret)
{
        const Domain *d = e->model;
        DeviceTally v = {};

        (void) ds;
        for (size_t i = 0; i < d->n_chardevs; i++) {
                const DomainChardev *c = &d->chardevs[i];
                const char *kind = domain_chardev_kind_to_string(c->kind);
                _cleanup_free_ char *what = NULL;

                if (c->log_file) {
                        what = xasprintf("%s log", kind);
                        if (!what)
                                return -ENOMEM;
                        judge_private_file(facts, &v, what, c->log_file);
                }
                if (str_eq(c->type, "file")) {
                        for (size_t j = 0; j < c->n_sources; j++) {
                                if (!c->sources[j].path)
                                        continue;
                                free(what);
                                what = xasprintf("%s file", kind);
                                if (!what)
                                        return -ENOMEM;
                                judge_private_file(facts, &v, what, c->sources[j].path);
                        }
                }
        }
        return domain_tally_verdict(&v, "no <log file> and no file character device", ret);
}

/* libvirt's swtpm state directory of a domain (qemu_tpm.c:
 * SWTPM_STORAGE_DIR/UUID, /var/lib/libvirt/swtpm on every distribution). */
#define SWTPM_STATE_DIR "/var/lib/libvirt/swtpm"
/* Directories judged above a VM file, from the nearest up. */
#define VM_FILE_DIRS_MAX 16u

/* Judges one VM file and every directory on the path to it: the file
 * must give other users nothing (@need_private; else only no write), and
 * no directory above may be writable by others without the sticky bit
 * (they could swap the file).  Paths are absolute; at most
 * VM_FILE_DIRS_MAX directories are looked at. */
static void
vm_file_judge(FactStore *facts, DeviceTally *v, const char *what, const char *path, bool need_private)
{
        const Fact *f = fact_store_get2(facts, "stat", path);
        _cleanup_free_ char *dir = strdup(path);
        mode_t m;

        v->n_items++;
        if (!dir) {
                v->bad.oom = true;
                return;
        }
        if (f->kind == FACT_ERROR) {
                (void) domain_tally_unusable(v, path, f);
                return;
        }
        if (f->kind == FACT_ABSENT) {
                NOTE(&v->ok, "%s %s does not exist yet", what, path);
                return;
        }
        m = f->stat.mode & 07777;
        if (need_private && (m & S_IRWXO))
                NOTE(&v->bad, "%s %s: mode %04o: %s by other users", what, path, m,
                     m & S_IWOTH ? "readable and writable" : (m & S_IROTH) ? "readable" : "accessible");
        else if (!need_private && (m & S_IWOTH))
                NOTE(&v->bad, "%s %s: mode %04o: writable by other users", what, path, m);
        else if (fact_stat_acl_named(&f->stat) > 0)
                NOTE(&v->bad, "%s %s: named ACL entries grant other users access", what, path);
        else
                NOTE(&v->ok, "%s %s: mode %04o owner %u:%u", what, path, m, f->stat.uid, f->stat.gid);
        for (unsigned depth = 0; depth < VM_FILE_DIRS_MAX; depth++) {
                char *slash = strrchr(dir, '/');
                const Fact *d;

                if (!slash || slash == dir)
                        break;
                *slash = '\0';
                d = fact_store_get2(facts, "stat", dir);
                if (d->kind != FACT_STAT)
                        continue;
                if ((d->stat.mode & S_IWOTH) && !(d->stat.mode & S_ISVTX))
                        NOTE(&v->bad, "%s %s: directory %s (mode %04o) is writable by other users", what, path, dir,
                             d->stat.mode & 07777);
        }
}

/* issue 14: a VM's disks, NVRAM and TPM state readable or writable by
 * other local users (a 0644 qcow2 under /var/lib/libvirt/images is read
 * by "nobody"). */
static int
vm_files_private(FactStore *facts, const DomainSet *ds, const DomainEntry *e, Verdict *ret)
{
        const Domain *d = e->model;
        DeviceTally v = {};

        (void) ds;
        for (size_t i = 0; i < d->n_disks; i++) {
                const DomainDisk *k = &d->disks[i];
                bool media = str_eq(k->device, "cdrom") || str_eq(k->device, "floppy");

                if (!str_eq(k->type, "file") || !k->source || k->source[0] != '/')
                        continue;
                /* A read-only installation medium may be world-readable;
                 * nothing may let others write what a VM runs from. */
                vm_file_judge(facts, &v, media ? "medium" : "disk", k->source, !(k->readonly || media));
        }
        if (d->os.nvram && d->os.nvram[0] == '/')
                vm_file_judge(facts, &v, "NVRAM", d->os.nvram, true);
        for (size_t i = 0; i < d->n_tpms; i++)
                if (str_eq(d->tpms[i].backend_type, "emulator") && d->uuid) {
                        _cleanup_free_ char *p = xasprintf("%s/%s", SWTPM_STATE_DIR, d->uuid);
                        if (!p)
                                return -ENOMEM;
                        vm_file_judge(facts, &v, "TPM state", p, true);
                }
        return domain_tally_verdict(&v, "no local disk, NVRAM or TPM state file", ret);
}

int
judge_domain_console_log_private(const JudgeCall *call, Verdict *ret)
{
        return domain_judge(call, console_log_private, ret);
}

int
judge_domain_files_private(const JudgeCall *call, Verdict *ret)
{
        return domain_judge(call, vm_files_private, ret);
}
