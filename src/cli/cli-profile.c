/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * kvmaudit profile apparmor (--xml FILE | --domain NAME [--connect URI])
 *                           [--output FILE] [--root DIR]
 * kvmaudit profile selinux (--xml FILE | --domain NAME [--connect URI])
 *                          [--output-dir DIR] [--mcs cN,cM] [--root DIR]
 *
 * The verb gathers what the pure generator needs: the domain XML (a file,
 * or libvirt through the facts layer), and the host answers (symlink
 * targets, image headers, sysfs) through src/host/ on "/" or --root DIR,
 * the latter so that tests can feed fake images and a fake sysfs.
 */
#include <dirent.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "domain.h"
#include "facts.h"
#include "fileio.h"
#include "host.h"
#include "probes.h"
#include "profile-selinux.h"
#include "profile.h"
#include "util.h"

/* Mount points whose block devices are the host's own disks. */
static const char *const host_mount_points[] = {"/", "/boot", "/boot/efi", "/etc", "/usr", "/var"};

typedef struct ProfileOptions {
        const char *xml_file, *domain, *connect, *output, *root;
        const char *output_dir, *mcs; /* selinux */
        bool timing;
} ProfileOptions;

static int
host_cb_resolve(void *userdata, const char *path, char **ret)
{
        return host_resolve(userdata, path, ret);
}

static int
host_cb_read_head(void *userdata, const char *path, size_t max, char **ret, size_t *ret_len)
{
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *buf = malloc(max + 1);
        struct stat st;
        size_t len = 0;
        int r;

        if (!buf)
                return -ENOMEM;
        r = host_open(userdata, path, 0, &fd);
        if (r < 0)
                return r;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (S_ISDIR(st.st_mode))
                return -EISDIR;
        if (!S_ISREG(st.st_mode))
                return -EBADFD;
        while (len < max) {
                ssize_t n = read(fd, buf + len, max - len);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return -errno;
                }
                if (n == 0)
                        break;
                len += (size_t) n;
        }
        buf[len] = '\0';
        *ret = TAKE_PTR(buf);
        *ret_len = len;
        return 0;
}

static int
host_cb_list_dir(void *userdata, const char *path, char ***ret)
{
        return host_list_dir(userdata, path, ret);
}

/* The block devices mounted on the host's system mount points, as written
 * in /proc/self/mounts and resolved (/dev/mapper/vg-root -> /dev/dm-0). */
static int
collect_host_disks(Host *h, char ***ret)
{
        _cleanup_free_ char *text = NULL;
        _cleanup_strv_free_ char **l = NULL;
        char *save = NULL;
        int r;

        r = host_read_text(h, "/proc/self/mounts", HOST_TEXT_FILE_MAX, &text);
        if (r < 0)
                r = host_read_text(h, "/proc/mounts", HOST_TEXT_FILE_MAX, &text);
        if (r < 0) {
                *ret = NULL; /* an offline tree without /proc: nothing to add */
                return 0;
        }
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char dev[256], mnt[256];
                _cleanup_free_ char *real = NULL;
                bool sys = false;

                if (sscanf(line, "%255s %255s", dev, mnt) != 2 || !startswith(dev, "/dev/"))
                        continue;
                for (size_t i = 0; i < ELEMENTSOF(host_mount_points); i++)
                        if (streq(mnt, host_mount_points[i]))
                                sys = true;
                if (!sys)
                        continue;
                if (!strv_contains(l, dev) && (r = strv_extend(&l, dev)) < 0)
                        return r;
                if (host_resolve(h, dev, &real) >= 0 && !strv_contains(l, real) && (r = strv_extend(&l, real)) < 0)
                        return r;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

/* Writable disks and NVRAM of every other domain the facts layer knows
 * (libvirt on a live host, /etc/libvirt/qemu on a --root tree). */
static int
collect_other_vm_paths(FactStore *store, const char *self_name, const char *self_uuid, char ***ret)
{
        _cleanup_strv_free_ char **l = NULL;
        const Fact *names = fact_store_get2(store, "libvirt", "domains");

        if (names->kind != FACT_LIST) {
                *ret = NULL;
                return 0;
        }
        STRV_FOREACH(n, names->list) {
                const Fact *x = fact_store_get2(store, "domain", *n);
                _cleanup_domain_free_ Domain *d = NULL;

                if (streq(*n, self_name) || x->kind != FACT_STRING)
                        continue;
                if (domain_parse(x->string, strlen(x->string), *n, &d, NULL) < 0)
                        continue;
                if (self_uuid && d->uuid && strcasecmp(d->uuid, self_uuid) == 0)
                        continue;
                for (size_t i = 0; i < d->n_disks; i++) {
                        const DomainDisk *disk = &d->disks[i];
                        if (disk->source && domain_disk_has_local_source(disk) && domain_disk_is_writable(disk) &&
                            !disk->shareable && strv_extend(&l, disk->source) < 0)
                                return -ENOMEM;
                }
                if (d->os.nvram && strv_extend(&l, d->os.nvram) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(l);
        return 0;
}

/* Writes @text to @path through a temporary file renamed into place: a
 * reader never sees half a profile. */
static int
write_output(const char *path, const char *text)
{
        _cleanup_free_ char *tmp = xasprintf("%s.XXXXXX", path);
        FILE *f;
        int fd;

        if (!tmp)
                return -ENOMEM;
        fd = mkostemp(tmp, O_CLOEXEC);
        if (fd < 0)
                return -errno;
        (void) fchmod(fd, 0644);
        f = fdopen(fd, "w");
        if (!f) {
                int r = -errno;
                close(fd);
                unlink(tmp);
                return r;
        }
        if (fputs(text, f) < 0 || fclose(f) != 0) {
                unlink(tmp);
                return -EIO;
        }
        if (rename(tmp, path) < 0) {
                int r = -errno;
                unlink(tmp);
                return r;
        }
        return 0;
}

/* What the SELinux generator needs to know of the other defined domains. */
typedef struct SelinuxOthers {
        char **names, **rw_paths, **shared_paths, **label_owners, **labels;
} SelinuxOthers;

static void
selinux_others_done(SelinuxOthers *o)
{
        strv_free(o->names);
        strv_free(o->rw_paths);
        strv_free(o->shared_paths);
        strv_free(o->label_owners);
        strv_free(o->labels);
}

static int
collect_selinux_others(FactStore *store, const char *self_name, const char *self_uuid, SelinuxOthers *ret)
{
        const Fact *names = fact_store_get2(store, "libvirt", "domains");

        if (names->kind != FACT_LIST)
                return 0;
        STRV_FOREACH(n, names->list) {
                const Fact *x = fact_store_get2(store, "domain", *n);
                _cleanup_domain_free_ Domain *d = NULL;
                const DomainSeclabel *sl;

                if (streq(*n, self_name) || x->kind != FACT_STRING)
                        continue;
                if (domain_parse(x->string, strlen(x->string), *n, &d, NULL) < 0)
                        continue;
                if (self_uuid && d->uuid && strcasecmp(d->uuid, self_uuid) == 0)
                        continue;
                if (strv_extend(&ret->names, d->name) < 0)
                        return -ENOMEM;
                sl = domain_seclabel_find(d, "selinux");
                if (!sl && d->n_seclabels == 1 && !d->seclabels[0].model)
                        sl = &d->seclabels[0];
                if (sl && sl->label && sl->type && streq(sl->type, "static") &&
                    (strv_extend(&ret->label_owners, d->name) < 0 || strv_extend(&ret->labels, sl->label) < 0))
                        return -ENOMEM;
                for (size_t i = 0; i < d->n_disks; i++) {
                        const DomainDisk *disk = &d->disks[i];
                        bool own = domain_disk_is_writable(disk) && !disk->shareable;

                        if (disk->source && domain_disk_has_local_source(disk) &&
                            strv_extend(own ? &ret->rw_paths : &ret->shared_paths, disk->source) < 0)
                                return -ENOMEM;
                        for (size_t j = 0; j < disk->n_backing; j++)
                                if (disk->backing[j].path &&
                                    strv_extend(&ret->shared_paths, disk->backing[j].path) < 0)
                                        return -ENOMEM;
                }
                if (d->os.nvram && strv_extend(&ret->rw_paths, d->os.nvram) < 0)
                        return -ENOMEM;
                if ((d->os.kernel && strv_extend(&ret->shared_paths, d->os.kernel) < 0) ||
                    (d->os.initrd && strv_extend(&ret->shared_paths, d->os.initrd) < 0))
                        return -ENOMEM;
                for (size_t i = 0; i < d->n_filesystems; i++)
                        if (d->filesystems[i].source &&
                            strv_extend(d->filesystems[i].readonly ? &ret->shared_paths : &ret->rw_paths,
                                        d->filesystems[i].source) < 0)
                                return -ENOMEM;
        }
        return 0;
}

/* Writes the module's files into @dir, all or none: into a new directory
 * renamed into place when @dir does not exist yet, otherwise into
 * temporary files in @dir renamed only once all of them are written. */
static int
write_output_dir(const char *dir, char *const *names, char *const *texts, size_t n, const char **ret_what)
{
        _cleanup_free_ char *base = NULL, *tmpdir = NULL;
        char *tmp[8] = {};
        struct stat st;
        bool fresh;
        int r = 0;

        if (n > ELEMENTSOF(tmp))
                return -E2BIG;
        fresh = stat(dir, &st) < 0 && errno == ENOENT;
        if (!fresh && !S_ISDIR(st.st_mode)) {
                *ret_what = dir;
                return -ENOTDIR;
        }
        if (fresh) {
                base = strdup(dir);
                if (!base)
                        return -ENOMEM;
                while (strlen(base) > 1 && base[strlen(base) - 1] == '/')
                        base[strlen(base) - 1] = '\0';
                tmpdir = xasprintf("%s.XXXXXX", base);
                if (!tmpdir)
                        return -ENOMEM;
                if (!mkdtemp(tmpdir)) {
                        *ret_what = dir;
                        return -errno;
                }
                (void) chmod(tmpdir, 0755);
        }
        for (size_t i = 0; i < n && r >= 0; i++) {
                _cleanup_free_ char *final = xasprintf("%s/%s", fresh ? tmpdir : dir, names[i]);

                if (!final) {
                        r = -ENOMEM;
                        break;
                }
                if (fresh) {
                        r = write_output(final, texts[i]);
                        tmp[i] = TAKE_PTR(final);
                } else {
                        _cleanup_free_ char *t = xasprintf("%s.XXXXXX", final);
                        int fd;
                        FILE *f;

                        if (!t) {
                                r = -ENOMEM;
                                break;
                        }
                        fd = mkostemp(t, O_CLOEXEC);
                        if (fd < 0) {
                                r = -errno;
                                break;
                        }
                        (void) fchmod(fd, 0644);
                        f = fdopen(fd, "w");
                        if (!f) {
                                r = -errno;
                                close(fd);
                                unlink(t);
                                break;
                        }
                        if (fputs(texts[i], f) < 0)
                                r = -EIO;
                        if (fclose(f) != 0 && r >= 0)
                                r = -EIO;
                        tmp[i] = TAKE_PTR(t);
                }
                if (r < 0)
                        *ret_what = names[i];
        }
        if (r >= 0 && fresh && rename(tmpdir, dir) < 0) {
                r = -errno;
                *ret_what = dir;
        }
        if (r >= 0 && !fresh)
                for (size_t i = 0; i < n && r >= 0; i++) {
                        _cleanup_free_ char *final = xasprintf("%s/%s", dir, names[i]);
                        if (!final || rename(tmp[i], final) < 0) {
                                r = final ? -errno : -ENOMEM;
                                *ret_what = names[i];
                        }
                }
        if (r < 0) {
                for (size_t i = 0; i < n; i++)
                        if (tmp[i])
                                (void) unlink(tmp[i]);
                if (fresh)
                        (void) rmdir(tmpdir);
        }
        for (size_t i = 0; i < n; i++)
                free(tmp[i]);
        return r;
}

static int
parse_options(int argc, char **argv, ProfileOptions *o)
{
        static const struct option opts[] = {
                {"xml", required_argument, NULL, 'x'},
                {"domain", required_argument, NULL, 'd'},
                {"connect", required_argument, NULL, 'c'},
                {"output", required_argument, NULL, 'o'},
                {"output-dir", required_argument, NULL, 'O'},
                {"mcs", required_argument, NULL, 'm'},
                {"root", required_argument, NULL, 'r'}, /* tests: a fixture tree */
                {"timing", no_argument, NULL, 't'},     /* tests: time per profile on stderr */
                {"help", no_argument, NULL, 'h'},
                {},
        };
        int c;

        optind = 0;
        while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) >= 0) {
                switch (c) {
                case 'x': o->xml_file = optarg; break;
                case 'd': o->domain = optarg; break;
                case 'c': o->connect = optarg; break;
                case 'o': o->output = optarg; break;
                case 'O': o->output_dir = optarg; break;
                case 'm': o->mcs = optarg; break;
                case 'r': o->root = optarg; break;
                case 't': o->timing = true; break;
                case 'h':
                        cli_help();
                        return 1;
                default:
                        return -EINVAL;
                }
        }
        return 0;
}

static int64_t
now_ns(void)
{
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int
profile_selinux(const ProfileOptions *o, const Domain *d, Host *host, FactStore *store, const char *origin,
                char *const *host_disks)
{
        _cleanup_free_ char *error = NULL, *te = NULL, *fc = NULL, *sl = NULL;
        SelinuxOthers others = {};
        ProfileSelinuxOutput out = {};
        const char *what = NULL;
        int r, ret = EXIT_CANNOT_RUN;

        if (store && collect_selinux_others(store, d->name, d->uuid, &others) < 0) {
                fprintf(stderr, "kvmaudit profile: %s\n", strerror(ENOMEM));
                goto out;
        }
        ProfileHost ph = {
                .userdata = host,
                .resolve = host_cb_resolve,
                .read_head = host_cb_read_head,
                .list_dir = host_cb_list_dir,
        };
        ProfileSelinuxInput in = {
                .domain = d,
                .host = &ph,
                .deny_text = profile_data_get("apparmor/deny-paths"),
                .template_text = profile_data_get("selinux/TEMPLATE.te"),
                .readme_text = profile_data_get("selinux/README.in"),
                .system_read_text = profile_data_get("selinux/system-read"),
                .network_disks_text = profile_data_get("selinux/network-disks"),
                .mcs = o->mcs,
                .host_disks = host_disks,
                .other_vm_paths = others.rw_paths,
                .other_vm_shared_paths = others.shared_paths,
                .other_vm_names = others.names,
                .other_vm_label_owners = others.label_owners,
                .other_vm_labels = others.labels,
        };
        int64_t t0 = now_ns();
        r = profile_selinux_generate(&in, &out, &error);
        int64_t t1 = now_ns();
        if (r < 0) {
                cli_error("kvmaudit profile selinux: %s: %s", origin, error ? error : strerror(-r));
                ret = r == -ENOMEM ? EXIT_CANNOT_RUN : EXIT_USAGE;
                goto out;
        }
        if (o->timing)
                cli_error("kvmaudit profile selinux: %s: generated in %.3f ms", origin,
                        (double) (t1 - t0) / 1e6);
        te = xasprintf("%s.te", out.module);
        fc = xasprintf("%s.fc", out.module);
        sl = xasprintf("%s.seclabel.xml", out.module);
        if (!te || !fc || !sl) {
                fprintf(stderr, "kvmaudit profile: %s\n", strerror(ENOMEM));
                goto out;
        }
        char *names[] = {te, fc, sl, (char *) "README"};
        char *texts[] = {out.te, out.fc, out.seclabel, out.readme};
        const char *dir = o->output_dir ? o->output_dir : ".";
        r = write_output_dir(dir, names, texts, ELEMENTSOF(names), &what);
        if (r < 0) {
                fprintf(stderr, "kvmaudit profile selinux: --output-dir %s: %s: %s (nothing written)\n", dir,
                        what ? what : dir, strerror(-r));
                goto out;
        }
        printf("%s/%s.te\n%s/%s.fc\n%s/%s.seclabel.xml\n%s/README\n", dir, out.module, dir, out.module, dir,
               out.module, dir);
        ret = EXIT_SUCCESS;
out:
        profile_selinux_output_done(&out);
        selinux_others_done(&others);
        return ret;
}

int
verb_profile(int argc, char **argv)
{
        _cleanup_free_ char *xml = NULL, *error = NULL, *profile = NULL;
        _cleanup_strv_free_ char **host_disks = NULL, **others = NULL;
        _cleanup_domain_free_ Domain *d = NULL;
        ProfileOptions o = {};
        FactStore *store = NULL;
        Host *host = NULL;
        const char *origin, *kind;
        int r, ret = EXIT_CANNOT_RUN;

        r = parse_options(argc, argv, &o);
        if (r != 0)
                return r > 0 ? EXIT_SUCCESS : EXIT_USAGE;
        if (optind >= argc) {
                fprintf(stderr, "kvmaudit profile: which profile? apparmor or selinux\n");
                return EXIT_USAGE;
        }
        kind = argv[optind];
        if (optind + 1 < argc) {
                fprintf(stderr, "kvmaudit profile: unexpected argument \"%s\"\n", argv[optind + 1]);
                return EXIT_USAGE;
        }
        if (!streq(kind, "apparmor") && !streq(kind, "selinux")) {
                fprintf(stderr, "kvmaudit profile: unknown profile kind \"%s\" (apparmor, selinux)\n", kind);
                return EXIT_USAGE;
        }
        if (!o.xml_file == !o.domain) {
                fprintf(stderr, "kvmaudit profile %s: give exactly one of --xml FILE and --domain NAME\n", kind);
                return EXIT_USAGE;
        }
        if (o.connect && !o.domain) {
                fprintf(stderr, "kvmaudit profile %s: --connect goes with --domain\n", kind);
                return EXIT_USAGE;
        }
        if (streq(kind, "apparmor") && (o.output_dir || o.mcs)) {
                fprintf(stderr, "kvmaudit profile apparmor: --output-dir and --mcs go with selinux\n");
                return EXIT_USAGE;
        }
        if (streq(kind, "selinux") && o.output) {
                fprintf(stderr, "kvmaudit profile selinux: it writes several files: use --output-dir DIR\n");
                return EXIT_USAGE;
        }

        r = host_new(o.root ? o.root : "/", &host);
        if (r < 0) {
                fprintf(stderr, "kvmaudit profile: --root %s: %s\n", o.root ? o.root : "/", strerror(-r));
                return EXIT_USAGE;
        }
        if (o.connect && probe_virt_set_uri(o.connect) < 0)
                goto oom;
        /* The domain list of the host: for --domain the XML itself, for both
         * the paths of the other VMs.  Reading /etc/libvirt from a plain
         * --xml run on the live host needs no libvirt connection, so only
         * --domain or --root open the domain namespace. */
        if (o.domain || o.root) {
                r = fact_store_new(host, probe_namespaces, probe_namespaces_count, &store);
                if (r < 0)
                        goto oom;
        }
        if (o.xml_file) {
                origin = o.xml_file;
                r = read_input_file(o.xml_file, DOMAIN_XML_MAX, &xml);
                if (r < 0) {
                        cli_error("kvmaudit profile: --xml %s: %s", o.xml_file,
                                r == -EFBIG ? "file too large" : r == -EBADMSG ? "contains NUL bytes" : strerror(-r));
                        ret = EXIT_USAGE;
                        goto out;
                }
        } else {
                const Fact *f = fact_store_get2(store, "domain", o.domain);

                origin = o.domain;
                if (f->kind != FACT_STRING) {
                        cli_error("kvmaudit profile: --domain %s: %s", o.domain,
                                f->kind == FACT_ERROR && f->string ? f->string : "no such domain");
                        ret = EXIT_USAGE;
                        goto out;
                }
                xml = strdup(f->string);
                if (!xml)
                        goto oom;
        }
        r = domain_parse(xml, strlen(xml), origin, &d, &error);
        if (r < 0) {
                cli_error("kvmaudit profile: %s", error ? error : strerror(-r));
                ret = r == -ENOMEM ? EXIT_CANNOT_RUN : EXIT_USAGE;
                goto out;
        }
        if (collect_host_disks(host, &host_disks) < 0 ||
            (store && collect_other_vm_paths(store, d->name, d->uuid, &others) < 0))
                goto oom;
        if (streq(kind, "selinux")) {
                ret = profile_selinux(&o, d, host, store, origin, host_disks);
                goto out;
        }

        ProfileHost ph = {
                .userdata = host,
                .resolve = host_cb_resolve,
                .read_head = host_cb_read_head,
                .list_dir = host_cb_list_dir,
        };
        ProfileInput in = {
                .domain = d,
                .host = &ph,
                .template_text = profile_data_get("apparmor/TEMPLATE.qemu"),
                .deny_text = profile_data_get("apparmor/deny-paths"),
                .host_disks = host_disks,
                .other_vm_paths = others,
        };
        int64_t t0 = now_ns();
        r = profile_apparmor_generate(&in, &profile, &error);
        int64_t t1 = now_ns();
        if (r < 0) {
                cli_error("kvmaudit profile apparmor: %s: %s", origin, error ? error : strerror(-r));
                ret = r == -ENOMEM ? EXIT_CANNOT_RUN : EXIT_USAGE;
                goto out;
        }
        if (o.timing)
                cli_error("kvmaudit profile apparmor: %s: generated in %.3f ms", origin,
                        (double) (t1 - t0) / 1e6);
        if (o.output && !streq(o.output, "-")) {
                r = write_output(o.output, profile);
                if (r < 0) {
                        fprintf(stderr, "kvmaudit profile: --output %s: %s\n", o.output, strerror(-r));
                        goto out;
                }
        } else if (fputs(profile, stdout) < 0 || fflush(stdout) != 0)
                goto out;
        ret = EXIT_SUCCESS;
        goto out;
oom:
        fprintf(stderr, "kvmaudit profile: %s\n", strerror(ENOMEM));
out:
        fact_store_free(store);
        host_free(host);
        return ret;
}
