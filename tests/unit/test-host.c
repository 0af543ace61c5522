/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of the host access layer (src/host/host.c) on temporary
 * trees: nothing may lead out of the audited root. */
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cmocka.h>

#include "host.h"
#include "strv.h"
#include "util.h"

typedef struct Tree {
        char path[64];
        Host *host;
} Tree;

static void
write_file(const Tree *t, const char *rel, const void *data, size_t len)
{
        _cleanup_free_ char *p = xasprintf("%s/%s", t->path, rel);
        FILE *f;

        assert_non_null(p);
        f = fopen(p, "we");
        assert_non_null(f);
        assert_int_equal(fwrite(data, 1, len, f), len);
        assert_int_equal(fclose(f), 0);
}

static void
write_text(const Tree *t, const char *rel, const char *text)
{
        write_file(t, rel, text, strlen(text));
}

static void
make_dir(const Tree *t, const char *rel)
{
        _cleanup_free_ char *p = xasprintf("%s/%s", t->path, rel);

        assert_int_equal(mkdir(p, 0755), 0);
}

static void
make_symlink(const Tree *t, const char *target, const char *rel)
{
        _cleanup_free_ char *p = xasprintf("%s/%s", t->path, rel);

        assert_int_equal(symlink(target, p), 0);
}

static int
setup(void **state)
{
        Tree *t = calloc(1, sizeof(Tree));

        if (!t)
                return -1;
        snprintf(t->path, sizeof(t->path), "/tmp/kvmaudit-test-host-XXXXXX");
        if (!mkdtemp(t->path)) {
                free(t);
                return -1;
        }
        make_dir(t, "etc");
        write_text(t, "etc/shadow", "MARKER-shadow\n");
        write_text(t, "etc/passwd", "MARKER-passwd\n");
        make_dir(t, "a");
        make_dir(t, "a/b");
        /* Escapes that must stay inside the root. */
        make_symlink(t, "/etc/shadow", "etc/abs-link");
        make_symlink(t, "../../../../etc/passwd", "a/b/rel-link");
        make_symlink(t, "/etc", "etc-abs-dir");
        make_symlink(t, "../../../../../..", "a/up");
        make_symlink(t, "loop2", "loop1");
        make_symlink(t, "loop1", "loop2");
        make_symlink(t, "self", "self");
        if (host_new(t->path, &t->host) < 0) {
                free(t);
                return -1;
        }
        *state = t;
        return 0;
}

static int
rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
        (void) st;
        (void) flag;
        (void) ftw;
        return remove(path);
}

static int
teardown(void **state)
{
        Tree *t = *state;

        host_free(t->host);
        (void) nftw(t->path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
        free(t);
        return 0;
}

static char *
read_text(const Tree *t, const char *path, int *ret_r)
{
        char *s = NULL;

        *ret_r = host_read_text(t->host, path, HOST_TEXT_FILE_MAX, &s);
        return s;
}

static void
test_new(void **state)
{
        Tree *t = *state;
        Host *h = NULL;
        _cleanup_free_ char *slashed = xasprintf("%s//a/../", t->path);

        assert_false(host_is_live(t->host));
        assert_string_equal(host_root(t->host), t->path);
        /* the root is canonicalized */
        assert_int_equal(host_new(slashed, &h), 0);
        assert_string_equal(host_root(h), t->path);
        host_free(h);
        assert_int_equal(host_new("/nonexistent/kvmaudit/root", &h), -ENOENT);
        assert_null(host_free(NULL));
}

static void
test_absolute_symlink_stays_inside(void **state)
{
        Tree *t = *state;
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *res = NULL;
        int r;

        a = read_text(t, "/etc/abs-link", &r);
        assert_int_equal(r, 0);
        assert_string_equal(a, "MARKER-shadow\n"); /* not the real /etc/shadow */
        b = read_text(t, "/etc-abs-dir/passwd", &r);
        assert_int_equal(r, 0);
        assert_string_equal(b, "MARKER-passwd\n");
        c = read_text(t, "etc-abs-dir/shadow", &r); /* relative spelling reads the same */
        assert_int_equal(r, 0);
        assert_string_equal(c, "MARKER-shadow\n");
        assert_int_equal(host_resolve(t->host, "/etc/abs-link", &res), 0);
        assert_string_equal(res, "/etc/shadow");
}

static void
test_relative_symlink_clamps(void **state)
{
        Tree *t = *state;
        _cleanup_free_ char *a = NULL, *b = NULL, *res = NULL, *res2 = NULL;
        int r;

        a = read_text(t, "/a/b/rel-link", &r);
        assert_int_equal(r, 0);
        assert_string_equal(a, "MARKER-passwd\n");
        b = read_text(t, "/a/up/etc/shadow", &r);
        assert_int_equal(r, 0);
        assert_string_equal(b, "MARKER-shadow\n");
        assert_int_equal(host_resolve(t->host, "/a/b/rel-link", &res), 0);
        assert_string_equal(res, "/etc/passwd");
        assert_int_equal(host_resolve(t->host, "/a/up", &res2), 0);
        assert_string_equal(res2, "/");
}

static void
test_dotdot_in_path(void **state)
{
        Tree *t = *state;
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *res = NULL;
        char **names = NULL;
        int r;

        a = read_text(t, "/../../../../etc/passwd", &r);
        assert_int_equal(r, 0);
        assert_string_equal(a, "MARKER-passwd\n");
        b = read_text(t, "/etc/../../etc/./shadow", &r);
        assert_int_equal(r, 0);
        assert_string_equal(b, "MARKER-shadow\n");
        c = read_text(t, "/a/b/../../../etc/shadow", &r);
        assert_int_equal(r, 0);
        assert_string_equal(c, "MARKER-shadow\n");
        assert_int_equal(host_resolve(t->host, "/../../etc/./../etc", &res), 0);
        assert_string_equal(res, "/etc");
        /* listing ".." of the root lists the root */
        assert_int_equal(host_list_dir(t->host, "/..", &names), 0);
        assert_true(strv_contains(names, "etc"));
        assert_true(strv_contains(names, "a"));
        strv_free(names);
}

static void
test_symlink_loop(void **state)
{
        Tree *t = *state;
        char *s = NULL;
        HostStat st = {};

        assert_int_equal(host_read_text(t->host, "/loop1", HOST_TEXT_FILE_MAX, &s), -ELOOP);
        assert_int_equal(host_read_text(t->host, "/self", HOST_TEXT_FILE_MAX, &s), -ELOOP);
        assert_int_equal(host_resolve(t->host, "/loop1", &s), -ELOOP);
        assert_int_equal(host_resolve(t->host, "/self/x", &s), -ELOOP);
        assert_null(s);
        /* lstat does not follow the last component */
        assert_int_equal(host_lstat(t->host, "/loop1", &st), 0);
        assert_true(S_ISLNK(st.mode));
        host_stat_done(&st);
}

static void
on_alarm(int sig)
{
        (void) sig;
        fail_msg("reading a FIFO blocked");
}

static void
test_fifo(void **state)
{
        Tree *t = *state;
        _cleanup_free_ char *p = xasprintf("%s/fifo", t->path);
        char *s = NULL;
        size_t len;
        HostStat st = {};

        assert_int_equal(mkfifo(p, 0600), 0);
        signal(SIGALRM, on_alarm);
        alarm(5);
        assert_int_equal(host_read_file(t->host, "/fifo", HOST_SMALL_FILE_MAX, &s, &len), -EBADFD);
        assert_int_equal(host_read_value(t->host, "/fifo", &s), -EBADFD);
        assert_int_equal(host_lstat(t->host, "/fifo", &st), 0);
        alarm(0);
        assert_true(S_ISFIFO(st.mode));
        host_stat_done(&st);
        assert_null(s);
}

static void
test_directory(void **state)
{
        Tree *t = *state;
        char *s = NULL;
        size_t len;

        assert_int_equal(host_read_file(t->host, "/etc", HOST_SMALL_FILE_MAX, &s, &len), -EISDIR);
        assert_int_equal(host_read_file(t->host, "/", HOST_SMALL_FILE_MAX, &s, &len), -EISDIR);
        assert_int_equal(host_read_value(t->host, "/etc-abs-dir", &s), -EISDIR);
        assert_null(s);
}

static void
test_size_limit(void **state)
{
        Tree *t = *state;
        char data[100];
        char *s = NULL;
        size_t len = 0;

        memset(data, 'x', sizeof(data));
        write_file(t, "hundred", data, sizeof(data));
        assert_int_equal(host_read_file(t->host, "/hundred", 99, &s, &len), -EFBIG);
        assert_null(s);
        assert_int_equal(host_read_file(t->host, "/hundred", 100, &s, &len), 0);
        assert_int_equal(len, 100);
        assert_int_equal(strlen(s), 100);
        free(s);
        s = NULL;
        assert_int_equal(host_read_file(t->host, "/hundred", 4096, &s, NULL), 0);
        free(s);
        s = NULL;
        write_file(t, "empty", "", 0);
        assert_int_equal(host_read_file(t->host, "/empty", 10, &s, &len), 0);
        assert_int_equal(len, 0);
        assert_string_equal(s, "");
        free(s);
}

static void
test_binary(void **state)
{
        Tree *t = *state;
        char *s = NULL;
        size_t len = 0;

        write_file(t, "nul", "ab\0cd\n", 6);
        assert_int_equal(host_read_text(t->host, "/nul", HOST_SMALL_FILE_MAX, &s), -EBADMSG);
        assert_null(s);
        assert_int_equal(host_read_value(t->host, "/nul", &s), -EBADMSG);
        write_file(t, "esc", "a\033b\n", 4);
        assert_int_equal(host_read_text(t->host, "/esc", HOST_SMALL_FILE_MAX, &s), -EBADMSG);
        /* host_read_file returns the bytes with their length */
        assert_int_equal(host_read_file(t->host, "/nul", HOST_SMALL_FILE_MAX, &s, &len), 0);
        assert_int_equal(len, 6);
        assert_memory_equal(s, "ab\0cd\n", 7);
        free(s);
        s = NULL;
        /* UTF-8 is text */
        write_text(t, "utf8", "caf\xc3\xa9\n");
        assert_int_equal(host_read_text(t->host, "/utf8", HOST_SMALL_FILE_MAX, &s), 0);
        assert_string_equal(s, "caf\xc3\xa9\n");
        free(s);
}

static void
test_read_value(void **state)
{
        Tree *t = *state;
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL;
        char *none = NULL;

        write_text(t, "v1", "  42 \n");
        write_text(t, "v2", "[none] integrity confidentiality\n\n");
        write_text(t, "v3", "line one\nline two\n");
        assert_int_equal(host_read_value(t->host, "/v1", &a), 0);
        assert_string_equal(a, "42");
        assert_int_equal(host_read_value(t->host, "/v2", &b), 0);
        assert_string_equal(b, "[none] integrity confidentiality");
        assert_int_equal(host_read_value(t->host, "/v3", &c), 0);
        assert_string_equal(c, "line one\nline two");
        assert_int_equal(host_read_value(t->host, "/missing", &none), -ENOENT);
        assert_int_equal(host_read_value(t->host, "/etc/missing/x", &none), -ENOENT);
        assert_int_equal(host_read_value(t->host, "/etc/passwd/x", &none), -ENOTDIR);
        assert_null(none);
}

static void
test_offline_runtime(void **state)
{
        Tree *t = *state;
        char *s = NULL;
        char **names = NULL;
        HostStat st = {};
        int v = 0;

        /* no /proc, /sys or /run in this root */
        assert_int_equal(host_read_value(t->host, "/proc/cmdline", &s), -ENOMEDIUM);
        assert_int_equal(host_read_text(t->host, "/sys/kernel/security/lockdown", 100, &s), -ENOMEDIUM);
        assert_int_equal(host_lstat(t->host, "/run/libvirt", &st), -ENOMEDIUM);
        assert_int_equal(host_list_dir(t->host, "/sys/module/", &names), -ENOMEDIUM);
        assert_int_equal(host_resolve(t->host, "/proc/self", &s), -ENOMEDIUM);
        assert_int_equal(host_runtime_available(t->host, "/proc/cmdline"), -ENOMEDIUM);
        assert_int_equal(host_runtime_available(t->host, "/etc/passwd"), 0);
        assert_int_equal(host_kvm_api_version(t->host, &v), -ENOMEDIUM);
        assert_int_equal(v, 0);
        assert_null(s);
        assert_null(names);

        /* an image's empty mount points hold no runtime state either */
        make_dir(t, "proc");
        make_dir(t, "sys");
        assert_int_equal(host_read_value(t->host, "/proc/cmdline", &s), -ENOMEDIUM);
        assert_int_equal(host_runtime_available(t->host, "/proc"), -ENOMEDIUM);
        assert_int_equal(host_runtime_available(t->host, "/sys/kernel/x"), -ENOMEDIUM);
        assert_int_equal(host_list_dir(t->host, "/sys", &names), -ENOMEDIUM);
        assert_null(s);
        /* any entry makes it a copied tree: a directory's name is a fact */
        make_dir(t, "sys/kernel");
        assert_int_equal(host_list_dir(t->host, "/sys", &names), 0);
        assert_int_equal(strv_length(names), 1);
        names = strv_free(names);

        /* a tree that has /proc is read like any other */
        write_text(t, "proc/cmdline", "BOOT_IMAGE=/vmlinuz ro quiet\n");
        assert_int_equal(host_read_value(t->host, "/proc/cmdline", &s), 0);
        assert_string_equal(s, "BOOT_IMAGE=/vmlinuz ro quiet");
        free(s);
        s = NULL;
        assert_int_equal(host_read_value(t->host, "/proc/missing", &s), -ENOENT);
        assert_int_equal(host_kvm_api_version(t->host, &v), -ENOMEDIUM);
        assert_string_equal(host_strerror(-ENOMEDIUM), "runtime state not available in an offline root");
        assert_string_equal(host_strerror(-ENOENT), strerror(ENOENT));
}

static void
test_lstat_and_list(void **state)
{
        Tree *t = *state;
        _cleanup_free_ char *p = xasprintf("%s/etc/mode", t->path);
        _cleanup_free_ char *j = NULL;
        HostStat st = {};
        char **names = NULL;

        write_text(t, "etc/mode", "x");
        assert_int_equal(chmod(p, 04751), 0);
        assert_int_equal(host_lstat(t->host, "/etc/mode", &st), 0);
        assert_true(S_ISREG(st.mode));
        assert_int_equal(st.mode & 07777, 04751);
        assert_int_equal(st.uid, getuid());
        assert_int_equal(st.gid, getgid());
        assert_null(st.acl);
        assert_int_equal(st.acl_named, 0);
        host_stat_done(&st);

        assert_int_equal(host_lstat(t->host, "/etc/abs-link", &st), 0);
        assert_true(S_ISLNK(st.mode));
        host_stat_done(&st);
        assert_int_equal(host_lstat(t->host, "/etc", &st), 0);
        assert_true(S_ISDIR(st.mode));
        host_stat_done(&st);
        assert_int_equal(host_lstat(t->host, "/", &st), 0);
        assert_true(S_ISDIR(st.mode));
        host_stat_done(&st);
        assert_int_equal(host_lstat(t->host, "/nope", &st), -ENOENT);

        assert_int_equal(host_exists(t->host, "/etc/passwd"), 1);
        assert_int_equal(host_exists(t->host, "/loop1"), 1); /* the link itself */
        assert_int_equal(host_exists(t->host, "/nope"), 0);

        assert_int_equal(host_list_dir(t->host, "/etc", &names), 0);
        j = strv_join(names, " ");
        assert_string_equal(j, "abs-link mode passwd shadow"); /* sorted, no . or .. */
        strv_free(names);
        names = NULL;
        make_dir(t, "emptydir");
        assert_int_equal(host_list_dir(t->host, "/emptydir", &names), 0);
        assert_non_null(names); /* empty, not NULL */
        assert_null(names[0]);
        strv_free(names);
        names = NULL;
        /* through an absolute symlink to a directory */
        assert_int_equal(host_list_dir(t->host, "/etc-abs-dir", &names), 0);
        assert_true(strv_contains(names, "shadow"));
        strv_free(names);
        names = NULL;
        assert_int_equal(host_list_dir(t->host, "/etc/passwd", &names), -ENOTDIR);
        assert_int_equal(host_list_dir(t->host, "/nope", &names), -ENOENT);
        assert_null(names);
}

/* Linux POSIX ACL xattr: header version 2, then {tag, perm, id} entries. */
static void
acl_entry(unsigned char *p, unsigned tag, unsigned perm, uint32_t id)
{
        p[0] = tag & 0xff;
        p[1] = tag >> 8;
        p[2] = perm & 0xff;
        p[3] = perm >> 8;
        p[4] = id & 0xff;
        p[5] = (id >> 8) & 0xff;
        p[6] = (id >> 16) & 0xff;
        p[7] = id >> 24;
}

static void
test_acl(void **state)
{
        Tree *t = *state;
        char p[128], p2[128];
        char *j;
        unsigned char buf[4 + 6 * 8] = {2, 0, 0, 0}, min[4 + 3 * 8] = {2, 0, 0, 0};
        HostStat st = {};

        /* No _cleanup_ here: skip() longjmps past it. */
        snprintf(p, sizeof(p), "%s/acl-file", t->path);
        snprintf(p2, sizeof(p2), "%s/acl-min", t->path);

        write_text(t, "acl-file", "x");
        acl_entry(buf + 4, 0x01, 6, UINT32_MAX);    /* user:: rw- */
        acl_entry(buf + 12, 0x02, 6, 1000);         /* user:1000:rw- */
        acl_entry(buf + 20, 0x04, 4, UINT32_MAX);   /* group:: r-- */
        acl_entry(buf + 28, 0x08, 5, 36);           /* group:36:r-x */
        acl_entry(buf + 36, 0x10, 7, UINT32_MAX);   /* mask::rwx */
        acl_entry(buf + 44, 0x20, 0, UINT32_MAX);   /* other::--- */
        if (setxattr(p, "system.posix_acl_access", buf, sizeof(buf), 0) < 0) {
                print_message("no POSIX ACLs on %s: %s\n", t->path, strerror(errno));
                skip();
        }
        assert_int_equal(host_lstat(t->host, "/acl-file", &st), 0);
        j = strv_join(st.acl, ",");
        assert_string_equal(j, "user:1000:rw-,group:36:r-x,mask::rwx");
        free(j);
        assert_int_equal(st.acl_named, 2);
        host_stat_done(&st);
        assert_null(st.acl);

        /* a minimal ACL (owner, group, other only) is no ACL */
        write_text(t, "acl-min", "x");
        acl_entry(min + 4, 0x01, 6, UINT32_MAX);
        acl_entry(min + 12, 0x04, 4, UINT32_MAX);
        acl_entry(min + 20, 0x20, 4, UINT32_MAX);
        if (setxattr(p2, "system.posix_acl_access", min, sizeof(min), 0) == 0) {
                assert_int_equal(host_lstat(t->host, "/acl-min", &st), 0);
                assert_null(st.acl);
                assert_int_equal(st.acl_named, 0);
                host_stat_done(&st);
        }
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test_setup_teardown(test_new, setup, teardown),
                cmocka_unit_test_setup_teardown(test_absolute_symlink_stays_inside, setup, teardown),
                cmocka_unit_test_setup_teardown(test_relative_symlink_clamps, setup, teardown),
                cmocka_unit_test_setup_teardown(test_dotdot_in_path, setup, teardown),
                cmocka_unit_test_setup_teardown(test_symlink_loop, setup, teardown),
                cmocka_unit_test_setup_teardown(test_fifo, setup, teardown),
                cmocka_unit_test_setup_teardown(test_directory, setup, teardown),
                cmocka_unit_test_setup_teardown(test_size_limit, setup, teardown),
                cmocka_unit_test_setup_teardown(test_binary, setup, teardown),
                cmocka_unit_test_setup_teardown(test_read_value, setup, teardown),
                cmocka_unit_test_setup_teardown(test_offline_runtime, setup, teardown),
                cmocka_unit_test_setup_teardown(test_lstat_and_list, setup, teardown),
                cmocka_unit_test_setup_teardown(test_acl, setup, teardown),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
