/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The seccomp checks (all data since issue 13), on fact tables (judge-harness.h):
 * the Seccomp: and NoNewPrivs: state of each QEMU process, its -sandbox
 * option, and the filters read back from the kernel with their decoded
 * tables (probe-seccomp.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "judge-harness.h"
#include "macro.h"

/* Read back by "kvmaudit collect --inspect-seccomp" from qemu-system-x86 7.2 (Debian 12),
 * tests/fixtures/facts/seccomp-filters.json: the filters of -sandbox
 * on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny (FULL) and of
 * -sandbox on (ON), their decoded tables, and the syscall names of x86_64. */
#define FULL_FILTER \
        "00200000000000040015007ec000003e002000000000000000350001400000000015007bffffffff0015790000000039" \
        "001578000000003a001577000000003b00157600000000670015750000000069001574000000006a001573000000006d" \
        "00157200000000700015710000000071001570000000007200156f000000007500156e000000007700156d000000007a" \
        "00156c000000007b00156b000000008600156a0000000088001569000000008b00151b000000008d00151a000000008e" \
        "001566000000009c00156500000000a500156400000000a700156300000000a800156200000000a900156100000000ae" \
        "00156000000000b100155f00000000b200155e00000000b500155d00000000b600155c00000000b700155b00000000b8" \
        "00155a00000000b900150c00000000cb00155800000000ec00155700000000f600155700000001100015560000000134" \
        "001555000000014200150001000001b300060000000500260015000500000090002000000000001c0015000200000000" \
        "002000000000001800154c000000000500060000000500010015004a0000003800200000000000140015000300000000" \
        "002000000000001000540000ffffff000015460000000000002000000000001400540000000000000015004200000000" \
        "0020000000000010005400008000000000154000800000000020000000000010005400004000000000153d0040000000" \
        "0020000000000010005400002000000000153a0020000000002000000000001000540000100000000015370010000000" \
        "002000000000001000540000080000000015340008000000002000000000001000540000040000000015310004000000" \
        "0020000000000010005400000200000000152e00020000000020000000000010005400000080000000152b0000800000" \
        "002000000000001000540000000200000015280000020000002000000000001000540000000080000015250000008000" \
        "0020000000000010005400000000400000152200000040000020000000000010005400000000200000151f0000002000" \
        "0020000000000010005400000000100000151c0000001000002000000000001000540000000001000015190000000000" \
        "002000000000001000540000000002000015160000000000002000000000001000540000000004000015130000000000" \
        "0020000000000010005400000000080000151000000000000020000000000010005400000001000000150d0000000000" \
        "0020000000000010005400000004000000150a0000000000002000000000001000540000000800000015070000000000" \
        "002000000000001000540000001000000015040000000000002000000000001000540000002000000015010000000000" \
        "000600007fff000000060000800000000006000000000000"
#define FULL_TABLE \
        "x86_64 * allow|x86_64 _sysctl kill-process|x86_64 afs_syscall kill-process|x86_64 clone(flags=fo" \
        "rk) kill-process|x86_64 clone(flags=newuser) kill-process|x86_64 clone(flags=thread) allow|x86_6" \
        "4 clone(flags=vfork) kill-process|x86_64 clone3 errno(38)|x86_64 create_module kill-process|x86_" \
        "64 execve kill-process|x86_64 execveat kill-thread|x86_64 fork kill-process|x86_64 get_kernel_sy" \
        "ms kill-process|x86_64 getpmsg kill-process|x86_64 kexec_load kill-process|x86_64 mount kill-pro" \
        "cess|x86_64 putpmsg kill-process|x86_64 query_module kill-process|x86_64 reboot kill-process|x86" \
        "_64 sched_setaffinity errno(1)|x86_64 sched_setparam errno(1)|x86_64 sched_setscheduler(policy=S" \
        "CHED_FIFO) errno(1)|x86_64 sched_setscheduler(policy=SCHED_IDLE) allow|x86_64 security kill-proc" \
        "ess|x86_64 setfsgid kill-process|x86_64 setfsuid kill-process|x86_64 setgid kill-process|x86_64 " \
        "setns kill-thread|x86_64 setpgid kill-process|x86_64 setpriority errno(1)|x86_64 setregid kill-p" \
        "rocess|x86_64 setresgid kill-process|x86_64 setresuid kill-process|x86_64 setreuid kill-process|" \
        "x86_64 setsid kill-process|x86_64 setuid kill-process|x86_64 swapoff kill-process|x86_64 swapon " \
        "kill-process|x86_64 sysfs kill-process|x86_64 syslog kill-process|x86_64 tuxcall kill-process|x8" \
        "6_64 unshare kill-thread|x86_64 uselib kill-process|x86_64 ustat kill-process|x86_64 vfork kill-" \
        "process|x86_64 vserver kill-process|x32 * kill-thread|i386 * kill-thread"
#define ON_FILTER \
        "002000000000000400150018c000003e0020000000000000003500014000000000150015ffffffff0015130000000067" \
        "00151200000000860015110000000088001510000000008b00150f000000009c00150e00000000a500150d00000000a7" \
        "00150c00000000a800150b00000000a900150a00000000ae00150900000000b100150800000000b200150700000000b5" \
        "00150600000000b600150500000000b700150400000000b800150300000000b900150200000000ec00150100000000f6" \
        "000600007fff000000060000800000000006000000000000"
#define ON_TABLE \
        "x86_64 * allow|x86_64 _sysctl kill-process|x86_64 afs_syscall kill-process|x86_64 create_module " \
        "kill-process|x86_64 get_kernel_syms kill-process|x86_64 getpmsg kill-process|x86_64 kexec_load k" \
        "ill-process|x86_64 mount kill-process|x86_64 putpmsg kill-process|x86_64 query_module kill-proce" \
        "ss|x86_64 reboot kill-process|x86_64 security kill-process|x86_64 swapoff kill-process|x86_64 sw" \
        "apon kill-process|x86_64 sysfs kill-process|x86_64 syslog kill-process|x86_64 tuxcall kill-proce" \
        "ss|x86_64 uselib kill-process|x86_64 ustat kill-process|x86_64 vserver kill-process|x32 * kill-t" \
        "hread|i386 * kill-thread"
#define NO_TABLE "x86_64 * allow|x32 * allow|i386 * allow"
#define NAMES_X86_64 \
        "_sysctl|accept|accept4|access|acct|add_key|adjtimex|afs_syscall|alarm|arch_prctl|bind|bpf|brk|ca" \
        "chestat|capget|capset|chdir|chmod|chown|chroot|clock_adjtime|clock_getres|clock_gettime|clock_na" \
        "nosleep|clock_settime|clone|clone3|close|close_range|connect|copy_file_range|creat|create_module" \
        "|delete_module|dup|dup2|dup3|epoll_create|epoll_create1|epoll_ctl|epoll_ctl_old|epoll_pwait|epol" \
        "l_pwait2|epoll_wait|epoll_wait_old|eventfd|eventfd2|execve|execveat|exit|exit_group|faccessat|fa" \
        "ccessat2|fadvise64|fallocate|fanotify_init|fanotify_mark|fchdir|fchmod|fchmodat|fchmodat2|fchown" \
        "|fchownat|fcntl|fdatasync|fgetxattr|finit_module|flistxattr|flock|fork|fremovexattr|fsconfig|fse" \
        "txattr|fsmount|fsopen|fspick|fstat|fstatfs|fsync|ftruncate|futex|futex_requeue|futex_wait|futex_" \
        "waitv|futex_wake|futimesat|get_kernel_syms|get_mempolicy|get_robust_list|get_thread_area|getcpu|" \
        "getcwd|getdents|getdents64|getegid|geteuid|getgid|getgroups|getitimer|getpeername|getpgid|getpgr" \
        "p|getpid|getpmsg|getppid|getpriority|getrandom|getresgid|getresuid|getrlimit|getrusage|getsid|ge" \
        "tsockname|getsockopt|gettid|gettimeofday|getuid|getxattr|init_module|inotify_add_watch|inotify_i" \
        "nit|inotify_init1|inotify_rm_watch|io_cancel|io_destroy|io_getevents|io_pgetevents|io_setup|io_s" \
        "ubmit|io_uring_enter|io_uring_register|io_uring_setup|ioctl|ioperm|iopl|ioprio_get|ioprio_set|kc" \
        "mp|kexec_file_load|kexec_load|keyctl|kill|landlock_add_rule|landlock_create_ruleset|landlock_res" \
        "trict_self|lchown|lgetxattr|link|linkat|listen|listxattr|llistxattr|lookup_dcookie|lremovexattr|" \
        "lseek|lsetxattr|lstat|madvise|map_shadow_stack|mbind|membarrier|memfd_create|memfd_secret|migrat" \
        "e_pages|mincore|mkdir|mkdirat|mknod|mknodat|mlock|mlock2|mlockall|mmap|modify_ldt|mount|mount_se" \
        "tattr|move_mount|move_pages|mprotect|mq_getsetattr|mq_notify|mq_open|mq_timedreceive|mq_timedsen" \
        "d|mq_unlink|mremap|msgctl|msgget|msgrcv|msgsnd|msync|munlock|munlockall|munmap|name_to_handle_at" \
        "|nanosleep|newfstatat|nfsservctl|open|open_by_handle_at|open_tree|openat|openat2|pause|perf_even" \
        "t_open|personality|pidfd_getfd|pidfd_open|pidfd_send_signal|pipe|pipe2|pivot_root|pkey_alloc|pke" \
        "y_free|pkey_mprotect|poll|ppoll|prctl|pread64|preadv|preadv2|prlimit64|process_madvise|process_m" \
        "release|process_vm_readv|process_vm_writev|pselect6|ptrace|putpmsg|pwrite64|pwritev|pwritev2|que" \
        "ry_module|quotactl|quotactl_fd|read|readahead|readlink|readlinkat|readv|reboot|recvfrom|recvmmsg" \
        "|recvmsg|remap_file_pages|removexattr|rename|renameat|renameat2|request_key|restart_syscall|rmdi" \
        "r|rseq|rt_sigaction|rt_sigpending|rt_sigprocmask|rt_sigqueueinfo|rt_sigreturn|rt_sigsuspend|rt_s" \
        "igtimedwait|rt_tgsigqueueinfo|sched_get_priority_max|sched_get_priority_min|sched_getaffinity|sc" \
        "hed_getattr|sched_getparam|sched_getscheduler|sched_rr_get_interval|sched_setaffinity|sched_seta" \
        "ttr|sched_setparam|sched_setscheduler|sched_yield|seccomp|security|select|semctl|semget|semop|se" \
        "mtimedop|sendfile|sendmmsg|sendmsg|sendto|set_mempolicy|set_mempolicy_home_node|set_robust_list|" \
        "set_thread_area|set_tid_address|setdomainname|setfsgid|setfsuid|setgid|setgroups|sethostname|set" \
        "itimer|setns|setpgid|setpriority|setregid|setresgid|setresuid|setreuid|setrlimit|setsid|setsocko" \
        "pt|settimeofday|setuid|setxattr|shmat|shmctl|shmdt|shmget|shutdown|sigaltstack|signalfd|signalfd" \
        "4|socket|socketpair|splice|stat|statfs|statx|swapoff|swapon|symlink|symlinkat|sync|sync_file_ran" \
        "ge|syncfs|sysfs|sysinfo|syslog|tee|tgkill|time|timer_create|timer_delete|timer_getoverrun|timer_" \
        "gettime|timer_settime|timerfd_create|timerfd_gettime|timerfd_settime|times|tkill|truncate|tuxcal" \
        "l|umask|umount2|uname|unlink|unlinkat|unshare|uselib|userfaultfd|ustat|utime|utimensat|utimes|vf" \
        "ork|vhangup|vmsplice|vserver|wait4|waitid|write|writev"

#define SANDBOX_FULL "on,obsolete=deny,elevateprivileges=deny,spawn=deny,resourcecontrol=deny"
/* QEMU process PID of VM NAME (no -uuid: throwaway QEMUs, as in the
 * fixture) with -sandbox @opts. */
#define QEMU(pid, name, sandbox)                                                                        \
        "process:" pid "/name=" name, "-process:" pid "/uuid",                                          \
        "process:" pid "/cmdline[]=qemu-system-x86_64|-accel|tcg|-nodefaults|-display|none|-S|-name|guest=" \
        name sandbox "|-qmp|unix:/run/t/" name ".qmp,server=on,wait=off"
/* Its filter read back. */
#define READBACK(pid, filter, table) "seccomp:" pid "/filters[]=" filter, "seccomp:" pid "/table[]=" table, \
        "seccomp:names/x86_64[]=" NAMES_X86_64

/* The four filter checks share their rows: the full sandbox denies every
 * set, "-sandbox on" the default and obsolete ones, no -sandbox no filter.
 * Since issue 13 they are data over process:PID/seccomp-allows (its items
 * are tested in test-probe-seccomp-allows.c): the evidence is the list the
 * filter lets through, then the offending items (cut here by the
 * evidence bound of a result; see the report of branch secdata). */
#define FILTER_ROWS(id, on_status)                                                                                \
        {id, "full sandbox", {"qemu:pids[]=101", QEMU("101", "full", "|-sandbox|" SANDBOX_FULL),       \
                              READBACK("101", FULL_FILTER, FULL_TABLE)},                             \
         {{"process:full", STATUS_PASS, "pid 101: process:101/seccomp-allows = accept,accept4,access,"}}},  \
        {id, "-sandbox on", {"qemu:pids[]=102", QEMU("102", "on", "|-sandbox|on"),                    \
                             READBACK("102", ON_FILTER, ON_TABLE)},                                  \
         {{"process:on", on_status, "pid 102: process:102/seccomp-allows = accept,accept4,access,"}}},  \
        {id, "no filter", {"qemu:pids[]=103", QEMU("103", "none", ""), READBACK("103", "", NO_TABLE)}, \
         {{"process:none", STATUS_FAIL, "pid 103: process:103/seccomp-allows = _sysctl,accept,accept4,"}}}, \
        {id, "not read back", {"qemu:pids[]=101", QEMU("101", "full", "|-sandbox|" SANDBOX_FULL), "+seccomp"}, \
         {{"process:full", STATUS_ERROR, "pid 101: no seccomp filter table recorded"}}},              \
        {id, "table without a default row",                                                          \
         {"qemu:pids[]=101", QEMU("101", "full", "|-sandbox|" SANDBOX_FULL),                          \
          READBACK("101", FULL_FILTER, "x86_64 mount kill-process|x32 * kill-thread|i386 * kill-thread")}, \
         {{"process:full", STATUS_ERROR, "seccomp:101/table: no \"x86_64 *\" row"}}},                 \
        {id, "filter not whole instructions",                                                        \
         {"qemu:pids[]=101", QEMU("101", "full", "|-sandbox|" SANDBOX_FULL),                          \
          READBACK("101", "0020000000000004001", FULL_TABLE)},                                       \
         {{"process:full", STATUS_ERROR, "seccomp:101/filters: filter 0: 19 hex digits"}}},           \
        {id, "no QEMU", {"qemu:pids[]="}, {{"host", STATUS_SKIP, "no running QEMU process"}}}

static const JudgeCase cases[] = {
        /* seccomp.process-filter-active */
        {"seccomp.process-filter-active", "filter mode", {"qemu:pids[]=101", "process:101/name=full", "-process:101/uuid", "process:101/seccomp=2"},
         {{"process:full", STATUS_PASS, "pid 101: process:101/seccomp = 2"}}},
        {"seccomp.process-filter-active", "no filter", {"qemu:pids[]=103", "process:103/name=none", "-process:103/uuid", "process:103/seccomp=0"},
         {{"process:none", STATUS_FAIL, "process:103/seccomp = 0"}}},
        {"seccomp.process-filter-active", "strict mode", {"qemu:pids[]=103", "-process:103/name", "-process:103/uuid", "process:103/seccomp=1"},
         {{"process:103", STATUS_FAIL, "process:103/seccomp = 1"}}},
        {"seccomp.process-filter-active", "no QEMU", {"qemu:pids[]="}, {{"host", STATUS_SKIP, "no running QEMU process"}}},
        {"seccomp.process-filter-active", "status unreadable",
         {"qemu:pids[]=101", "process:101/name=full", "-process:101/uuid", "process:101/seccomp!=ESRCH /proc/101/status: No such process"},
         {{"process:full", STATUS_ERROR, "pid 101: /proc/101/status: No such process"}}},

        /* seccomp.process-sandbox-options */
        {"seccomp.process-sandbox-options", "every group", {"qemu:pids[]=101", QEMU("101", "full", "|-sandbox|" SANDBOX_FULL)},
         {{"process:full", STATUS_PASS, "pid 101: process:101/sandbox = " SANDBOX_FULL}}},
        {"seccomp.process-sandbox-options", "the last -sandbox counts",
         {"qemu:pids[]=104", QEMU("104", "twice", "|-sandbox|" SANDBOX_FULL "|-sandbox|enable=on,spawn=deny")},
         {{"process:twice", STATUS_FAIL, "process:104/sandbox = enable=on,spawn=deny"}}},
        {"seccomp.process-sandbox-options", "on only", {"qemu:pids[]=102", QEMU("102", "on", "|-sandbox|on")},
         {{"process:on", STATUS_FAIL, "process:102/sandbox = on"}}},
        {"seccomp.process-sandbox-options", "no -sandbox", {"qemu:pids[]=103", QEMU("103", "none", "")},
         {{"process:none", STATUS_FAIL, "process:103/sandbox (absent) (offending: fails word on enable=on, word obsolete=deny, word elevateprivileges=deny, word spawn=deny, word resourcecontrol=deny)"}}},
        {"seccomp.process-sandbox-options", "no command line", {"qemu:pids[]=103", "process:103/name=none", "-process:103/uuid", "-process:103/cmdline"},
         {{"process:none", STATUS_ERROR, "no command line recorded"}}},
        {"seccomp.process-sandbox-options", "no QEMU", {"qemu:pids[]="}, {{"host", STATUS_SKIP, "no running QEMU process"}}},

        /* seccomp.process-no-new-privs */
        {"seccomp.process-no-new-privs", "set", {"qemu:pids[]=101", "process:101/name=full", "-process:101/uuid", "process:101/nonewprivs=1"},
         {{"process:full", STATUS_PASS, "pid 101: process:101/nonewprivs = 1"}}},
        {"seccomp.process-no-new-privs", "not set", {"qemu:pids[]=103", "process:103/name=none", "-process:103/uuid", "process:103/nonewprivs=0"},
         {{"process:none", STATUS_FAIL, "process:103/nonewprivs = 0"}}},
        {"seccomp.process-no-new-privs", "no QEMU", {"qemu:pids[]="}, {{"host", STATUS_SKIP, "no running QEMU process"}}},
        {"seccomp.process-no-new-privs", "unreadable",
         {"qemu:pids[]=101", "process:101/name=full", "-process:101/uuid", "process:101/nonewprivs!=EACCES /proc/101/status: Permission denied"},
         {{"process:full", STATUS_ERROR, "Permission denied"}}},

        /* seccomp.filter-denies-* */
        FILTER_ROWS("seccomp.filter-denies-spawn", STATUS_FAIL),
        FILTER_ROWS("seccomp.filter-denies-elevate", STATUS_FAIL),
        FILTER_ROWS("seccomp.filter-denies-obsolete", STATUS_PASS),
        FILTER_ROWS("seccomp.filter-denies-resourcecontrol", STATUS_FAIL),

        /* seccomp.filter-matches-sandbox-option */
        {"seccomp.filter-matches-sandbox-option", "full sandbox enforced",
         {"qemu:pids[]=101", QEMU("101", "full", "|-sandbox|" SANDBOX_FULL), READBACK("101", FULL_FILTER, FULL_TABLE)},
         {{"process:full", STATUS_PASS, "pid 101: process:101/sandbox-claims = default,obsolete,privileged,spawn,resourcectl; process:101/seccomp-allows = accept,"}}},
        {"seccomp.filter-matches-sandbox-option", "-sandbox on enforced",
         {"qemu:pids[]=102", QEMU("102", "on", "|-sandbox|on"), READBACK("102", ON_FILTER, ON_TABLE)},
         {{"process:on", STATUS_PASS, "pid 102: process:102/sandbox-claims = default,obsolete; process:102/seccomp-allows = accept,"}}},
        {"seccomp.filter-matches-sandbox-option", "spawn=deny claimed, not enforced",
         {"qemu:pids[]=104", QEMU("104", "liar", "|-sandbox|on,spawn=deny"), READBACK("104", ON_FILTER, ON_TABLE)},
         {{"process:liar", STATUS_FAIL, "pid 104: process:104/sandbox-claims = default,obsolete,spawn; process:104/seccomp-allows = accept,"}}},
        {"seccomp.filter-matches-sandbox-option", "claimed, no filter",
         {"qemu:pids[]=103", QEMU("103", "none", "|-sandbox|on"), READBACK("103", "", NO_TABLE)},
         {{"process:none", STATUS_FAIL, "pid 103: process:103/sandbox-claims = default,obsolete; process:103/seccomp-allows = _sysctl,accept,"}}},
        {"seccomp.filter-matches-sandbox-option", "nothing claimed",
         {"qemu:pids[]=103", QEMU("103", "none", "|-sandbox|off"), READBACK("103", "", NO_TABLE)},
         {{"process:none", STATUS_PASS, "pid 103: process:103/sandbox-claims = (empty); process:103/seccomp-allows = _sysctl,accept,"}}},
        {"seccomp.filter-matches-sandbox-option", "no read-back",
         {"qemu:pids[]=101", QEMU("101", "full", "|-sandbox|" SANDBOX_FULL), "+seccomp"},
         {{"process:full", STATUS_ERROR, "no seccomp filter table recorded"}}},
        {"seccomp.filter-matches-sandbox-option", "no QEMU", {"qemu:pids[]="}, {{"host", STATUS_SKIP, "no running QEMU process"}}},
};

JUDGE_MAIN(cases, "seccomp")
