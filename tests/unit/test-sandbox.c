/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* kvmaudit's own seccomp filter (src/probes/seccomp-lib.c): each case runs
 * in a forked child that installs the filter and then attempts what a
 * probe must never do; every write-like call must fail with EPERM, reads,
 * threads and the output's own commit must still work. */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "sandbox.h"

static char dir[] = "/tmp/kvmaudit-sandbox-XXXXXX";

/* Each child exits with the number of the first failed step (0: all ok). */
#define EXPECT(step, cond)                                                                          \
        do {                                                                                        \
                if (!(cond)) {                                                                      \
                        fprintf(stderr, "step %d failed: %s (errno %d)\n", step, #cond, errno);     \
                        _exit(step);                                                                \
                }                                                                                   \
        } while (0)

static void *
thread_fn(void *arg)
{
        return arg;
}

static int
run_child(bool debug, int errfd)
{
        char path[256], tmp[256];
        int dfd, fd;
        pid_t pid;

        if (errfd >= 0)
                dup2(errfd, STDERR_FILENO);
        snprintf(path, sizeof(path), "%s/existing", dir);
        snprintf(tmp, sizeof(tmp), "%s/.out.tmp", dir);
        dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        EXPECT(1, dfd >= 0);
        EXPECT(2, sandbox_self_install(dfd, 1, debug) == 0);

        /* reads work */
        fd = open(path, O_RDONLY | O_CLOEXEC);
        EXPECT(3, fd >= 0);
        close(fd);
        /* writes, creates, truncates do not */
        errno = 0;
        EXPECT(4, open(path, O_WRONLY) < 0 && errno == EPERM);
        EXPECT(5, open(path, O_RDWR) < 0 && errno == EPERM);
        EXPECT(6, open(tmp, O_RDONLY | O_CREAT, 0600) < 0 && errno == EPERM);
        EXPECT(7, open(path, O_RDONLY | O_TRUNC) < 0 && errno == EPERM);
        EXPECT(8, openat(AT_FDCWD, path, O_WRONLY | O_APPEND) < 0 && errno == EPERM);
        EXPECT(9, creat(tmp, 0600) < 0 && errno == EPERM);
        /* openat2 hides its flags: ENOSYS, so host.c falls back to openat */
        struct open_how how = {.flags = O_RDONLY};
        EXPECT(10, syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how)) < 0 && errno == ENOSYS);
        EXPECT(11, rename(path, tmp) < 0 && errno == EPERM);
        EXPECT(12, unlink(path) < 0 && errno == EPERM);
        EXPECT(13, mkdir(tmp, 0700) < 0 && errno == EPERM);
        EXPECT(14, chmod(path, 0777) < 0 && errno == EPERM);
        EXPECT(15, chown(path, 1, 1) < 0 && errno == EPERM);
        EXPECT(16, symlink(path, tmp) < 0 && errno == EPERM);
        EXPECT(17, mount("none", dir, "tmpfs", 0, NULL) < 0 && errno == EPERM);
        EXPECT(18, syscall(SYS_init_module, NULL, 0, "") < 0 && errno == EPERM);
        EXPECT(19, syscall(SYS_kexec_load, 0, 0, NULL, 0) < 0 && errno == EPERM);
        EXPECT(20, ptrace(PTRACE_TRACEME, 0, NULL, NULL) < 0 && errno == EPERM);
        char *const argv[] = {(char *) "/bin/true", NULL};
        EXPECT(21, execve("/bin/true", argv, argv + 1) < 0 && errno == EPERM);
        pid = fork();
        if (pid == 0)
                _exit(0);
        EXPECT(22, pid < 0 && errno == EPERM);
        EXPECT(23, renameat(AT_FDCWD, path, AT_FDCWD, tmp) < 0 && errno == EPERM);
        EXPECT(24, unlinkat(AT_FDCWD, path, 0) < 0 && errno == EPERM);
        /* other directories than the output's: denied even by descriptor */
        int rootfd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        EXPECT(25, rootfd >= 0 && renameat(rootfd, "a", dfd, "b") < 0 && errno == EPERM);
        EXPECT(26, renameat(dfd, "existing", rootfd, "b") < 0 && errno == EPERM);
        /* threads still work (clone with CLONE_THREAD; clone3 falls back) */
        pthread_t t;
        EXPECT(27, pthread_create(&t, NULL, thread_fn, NULL) == 0 && pthread_join(t, NULL) == 0);
        /* the output's commit, inside its directory, works */
        EXPECT(28, renameat(dfd, "existing", dfd, "renamed") == 0);
        EXPECT(29, unlinkat(dfd, "renamed", 0) == 0);
        _exit(0);
}

static void
run_case(bool debug)
{
        char path[256], buf[8192] = "";
        int st, pfd[2];
        pid_t pid;
        ssize_t n;

        snprintf(path, sizeof(path), "%s/existing", dir);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs("data\n", f);
        fclose(f);
        assert_int_equal(pipe(pfd), 0);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
                close(pfd[0]);
                run_child(debug, pfd[1]);
        }
        close(pfd[1]);
        n = read(pfd[0], buf, sizeof(buf) - 1);
        while (n > 0 && (size_t) n < sizeof(buf) - 1) {
                ssize_t m = read(pfd[0], buf + n, sizeof(buf) - 1 - (size_t) n);
                if (m <= 0)
                        break;
                n += m;
        }
        close(pfd[0]);
        assert_int_equal(waitpid(pid, &st, 0), pid);
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
                print_message("child stderr:\n%s\n", buf);
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 0);
        /* the file the child tried to change was renamed back and forth
         * only inside the output's directory, then removed there */
        assert_int_equal(access(path, F_OK), -1);
        if (debug) {
                /* each denial named, EPERM returned */
                assert_non_null(strstr(buf, "kvmaudit: sandbox: denied openat"));
                assert_non_null(strstr(buf, "kvmaudit: sandbox: denied execve"));
                assert_non_null(strstr(buf, "kvmaudit: sandbox: denied mkdir"));
                assert_non_null(strstr(buf, ": EPERM"));
        } else
                assert_null(strstr(buf, "denied"));
}

static void
test_sandbox_errno(void **state)
{
        (void) state;
        run_case(false);
}

static void
test_sandbox_debug(void **state)
{
        (void) state;
        run_case(true);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_sandbox_errno),
                cmocka_unit_test(test_sandbox_debug),
        };
        char cmd[128];
        int r;

        if (!HAVE_SECCOMP) {
                printf("SKIP: built without libseccomp\n");
                return 77;
        }
        if (!mkdtemp(dir))
                return 1;
        r = cmocka_run_group_tests(tests, NULL, NULL);
        snprintf(cmd, sizeof(cmd), "%s/existing", dir);
        (void) unlink(cmd);
        (void) rmdir(dir);
        return r;
}
