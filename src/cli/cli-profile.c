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
#include "domain-files.h"
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

/* A <disk> source may be a device (/dev/sda, or /dev/ptmx in a hostile
 * definition): host_read_head() reads regular files only and never opens
 * anything else. */
static int
host_cb_read_head(void *userdata, const char *path, size_t max, char **ret, size_t *ret_len)
{
        return host_read_head(userdata, path, max, ret, ret_len);
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

/* Every block device the host runs on: what mount:devices lists (mounted
 * file systems, swap, LVM physical volumes, MD members, any device with a
 * holder), as /dev/NAME through /sys/dev/block/MAJ:MIN.  The generators
 * also refuse the whole disk of each and its other partitions
 * (profile_path_same_disk()). */
static int
collect_used_block_devices(Host *h, FactStore *store, char ***list)
{
        const Fact *devs = fact_store_get2(store, "mount", "devices");
        int r;

        if (devs->kind == FACT_ERROR && host_is_live(h))
                fprintf(stderr, "kvmaudit profile: warning: the block devices the host runs on are not known "
                        "(%s): only those mounted on /, /boot, /etc, /usr and /var are refused\n",
                        devs->string ? devs->string : "?");
        if (devs->kind != FACT_LIST)
                return 0; /* an offline tree without /proc and /sys */
        STRV_FOREACH(dn, devs->list) {
                _cleanup_free_ char *sys = xasprintf("/sys/dev/block/%s", *dn), *real = NULL, *dev = NULL;
                const char *base;

                if (!sys)
                        return -ENOMEM;
                if (host_resolve(h, sys, &real) < 0)
                        continue;
                base = strrchr(real, '/');
                if (!base || !base[1] || !(dev = xasprintf("/dev/%s", base + 1)))
                        return base ? -ENOMEM : 0;
                if (!strv_contains(*list, dev) && (r = strv_extend(list, dev)) < 0)
                        return r;
        }
        return 0;
}

/* What the generators need to know of the host's other defined domains. */
typedef struct ProfileOthers {
        bool known;
        char *why; /* when not known: the domain source's error */
        char **names, **label_owners, **labels;
        DomainFiles files; /* their disks, NVRAM, shares, logs, TPM state */
} ProfileOthers;

static void
profile_others_done(ProfileOthers *o)
{
        free(o->why);
        strv_free(o->names);
        domain_files_done(&o->files);
        strv_free(o->label_owners);
        strv_free(o->labels);
}

/*
 * Every other domain the facts layer knows: libvirt on a live host (its
 * files when the daemon is down), /etc/libvirt/qemu and /run/libvirt/qemu
 * on a --root tree.  What they write (disks, NVRAM, writable shares,
 * character device files and sockets) this VM may not touch; what they
 * only read (base images, kernels, read-only shares) it may read at most.
 */
static int
collect_others(FactStore *store, const char *self_name, const char *self_uuid, ProfileOthers *ret)
{
        const Fact *names = fact_store_get2(store, "libvirt", "domains");

        /* -ENOPKG: libvirt is not installed there, so there is no other
         * domain to keep apart from. */
        if (names->kind == FACT_ERROR && names->error == -ENOPKG) {
                ret->known = true;
                return 0;
        }
        if (names->kind != FACT_LIST) {
                ret->known = false;
                ret->why = strdup(names->kind == FACT_ERROR && names->string ? names->string
                                                                               : "no domain list");
                return ret->why ? 0 : -ENOMEM;
        }
        ret->known = true;
        STRV_FOREACH(n, names->list) {
                const Fact *x = fact_store_get2(store, "domain", *n);
                _cleanup_domain_free_ Domain *d = NULL;
                const DomainSeclabel *sl;

                if (streq(*n, self_name))
                        continue;
                if (x->kind != FACT_STRING || domain_parse(x->string, strlen(x->string), *n, &d, NULL) < 0) {
                        /* Its files cannot be known: nothing proves this
                         * VM's paths are not its own. */
                        ret->known = false;
                        free(ret->why);
                        ret->why = xasprintf("the definition of domain \"%s\" cannot be parsed", *n);
                        if (!ret->why)
                                return -ENOMEM;
                        continue;
                }
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
                if (domain_files_add(&ret->files, d) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static void
warn_others_unknown(const char *kind, const ProfileOthers *o)
{
        if (!o->known)
                cli_error("kvmaudit profile %s: warning: the host's other domains are not known (%s): the "
                        "policy was not checked against their disks and files", kind, o->why ? o->why : "?");
}

/* Writes the module's files into @dir, all or none: into a new directory
 * renamed into place when @dir does not exist yet, otherwise into
 * temporary files in @dir renamed only once all of them are written.  An
 * existing entry that is not a regular file (a device, a FIFO planted
 * under a module's name) is refused before anything is written: it could
 * be neither replaced nor written all-or-none (fileio.h). */
static int
write_output_dir(const char *dir, char *const *names, char *const *texts, size_t n, const char **ret_what)
{
        _cleanup_free_ char *base = NULL, *tmpdir = NULL;
        OutputFile out[8] = {};
        struct stat st;
        bool fresh;
        int r = 0;

        if (n > ELEMENTSOF(out))
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
                r = output_file_open(final, 0644, OUTPUT_REGULAR_ONLY, &out[i]);
                if (r >= 0 && fputs(texts[i], out[i].f) < 0)
                        r = -EIO;
                if (r < 0)
                        *ret_what = names[i];
        }
        /* Every file on disk before any is renamed into place. */
        for (size_t i = 0; i < n && r >= 0; i++) {
                r = output_file_finish(&out[i]);
                if (r < 0)
                        *ret_what = names[i];
        }
        for (size_t i = 0; i < n && r >= 0; i++) {
                r = output_file_commit(&out[i]);
                if (r < 0)
                        *ret_what = names[i];
        }
        if (r >= 0 && fresh && rename(tmpdir, dir) < 0) {
                r = -errno;
                *ret_what = dir;
        }
        for (size_t i = 0; i < n; i++)
                output_file_abort(&out[i]);
        if (r < 0 && fresh) {
                for (size_t i = 0; i < n; i++) {
                        _cleanup_free_ char *f = xasprintf("%s/%s", tmpdir, names[i]);

                        if (f)
                                (void) unlink(f);
                }
                (void) rmdir(tmpdir);
        }
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
profile_selinux(const ProfileOptions *o, const Domain *d, Host *host, const ProfileOthers *others,
                const char *origin, char *const *host_disks)
{
        _cleanup_free_ char *error = NULL, *te = NULL, *fc = NULL, *sl = NULL;
        ProfileSelinuxOutput out = {};
        const char *what = NULL;
        int r, ret = EXIT_CANNOT_RUN;

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
                .other_vm_paths = others->files.private_paths,
                .other_vm_shared_paths = others->files.shared_paths,
                .other_vm_names = others->names,
                .other_vm_label_owners = others->label_owners,
                .other_vm_labels = others->labels,
                .others_known = others->known,
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
                cli_error("kvmaudit profile: %s", strerror(ENOMEM));
                goto out;
        }
        char *names[] = {te, fc, sl, (char *) "README"};
        char *texts[] = {out.te, out.fc, out.seclabel, out.readme};
        const char *dir = o->output_dir ? o->output_dir : ".";
        r = write_output_dir(dir, names, texts, ELEMENTSOF(names), &what);
        if (r < 0) {
                cli_error("kvmaudit profile selinux: --output-dir %s: %s: %s (nothing written)", dir,
                        what ? what : dir, output_strerror(r));
                goto out;
        }
        printf("%s/%s.te\n%s/%s.fc\n%s/%s.seclabel.xml\n%s/README\n", dir, out.module, dir, out.module, dir,
               out.module, dir);
        ret = EXIT_SUCCESS;
out:
        profile_selinux_output_done(&out);
        return ret;
}

int
verb_profile(int argc, char **argv)
{
        _cleanup_free_ char *xml = NULL, *error = NULL, *profile = NULL;
        _cleanup_strv_free_ char **host_disks = NULL;
        _cleanup_(profile_others_done) ProfileOthers others = {};
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
                cli_error("kvmaudit profile: unexpected argument \"%s\"", argv[optind + 1]);
                return EXIT_USAGE;
        }
        if (!streq(kind, "apparmor") && !streq(kind, "selinux")) {
                cli_error("kvmaudit profile: unknown profile kind \"%s\" (apparmor, selinux)", kind);
                return EXIT_USAGE;
        }
        if (!o.xml_file == !o.domain) {
                cli_error("kvmaudit profile %s: give exactly one of --xml FILE and --domain NAME", kind);
                return EXIT_USAGE;
        }
        if (o.connect && !o.domain) {
                cli_error("kvmaudit profile %s: --connect goes with --domain", kind);
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
                cli_error("kvmaudit profile: --root %s: %s", o.root ? o.root : "/", strerror(-r));
                return EXIT_USAGE;
        }
        /* The domain list of the host: for --domain the XML itself, and
         * always the other VMs, whose files this VM must not reach (on a
         * live host through libvirt, or its files when the daemon is down;
         * on --root from the tree's /etc/libvirt and /run/libvirt). */
        r = fact_store_new(host, probe_namespaces, probe_namespaces_count, &store);
        if (r < 0)
                goto oom;
        if (probe_virt_set_uri(store, o.connect) < 0)
                goto oom;
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
        if (collect_host_disks(host, &host_disks) < 0 || collect_used_block_devices(host, store, &host_disks) < 0 ||
            collect_others(store, d->name, d->uuid, &others) < 0)
                goto oom;
        domain_files_finish(&others.files);
        warn_others_unknown(kind, &others);
        if (streq(kind, "selinux")) {
                ret = profile_selinux(&o, d, host, &others, origin, host_disks);
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
                .other_vm_paths = others.files.private_paths,
                .other_vm_shared_paths = others.files.shared_paths,
                .other_vm_names = others.names,
                .others_known = others.known,
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
                r = write_output_file(o.output, profile, 0644);
                if (r < 0) {
                        cli_error("kvmaudit profile: --output %s: %s", o.output, output_strerror(r));
                        goto out;
                }
        } else if (fputs(profile, stdout) < 0 || fflush(stdout) != 0)
                goto out;
        ret = EXIT_SUCCESS;
        goto out;
oom:
        cli_error("kvmaudit profile: %s", strerror(ENOMEM));
out:
        fact_store_free(store);
        host_free(host);
        return ret;
}
