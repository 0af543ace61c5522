/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of the .check loader (src/checks/check-def.c), with the real
 * fact namespace table of the probes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "check.h"
#include "probes.h"
#include "strv.h"
#include "util.h"

/* The fields every check needs, minus the ones a test leaves out. */
#define TITLE       "title = A title\n"
#define CATEGORY(c) "category = " c "\n"
#define SEVERITY    "severity = high\n"
#define SCOPE       "scope = host\n"
#define RATIONALE   "rationale = Why it matters.\n"
#define REMEDIATION "remediation = What to do.\n"
#define HEAD(id, c) "[" id "]\n" TITLE CATEGORY(c) SEVERITY SCOPE

static const char valid_text[] =
        "# a comment\n"                                                 /* 1 */
        "\n"                                                            /* 2 */
        "[kernel.kaslr]\n"                                              /* 3 */
        "title = Kernel address space layout randomization is on\n"     /* 4 */
        "category = kernel\n"                                           /* 5 */
        "severity = medium\n"                                           /* 6 */
        "scope = host\n"                                                /* 7 */
        "fact = kconfig:CONFIG_RANDOMIZE_BASE\n"                        /* 8 */
        "fact = cmdline:nokaslr\n"                                      /* 9 */
        "expect = kconfig:CONFIG_RANDOMIZE_BASE eq y\n"                 /* 10 */
        "expect = cmdline:nokaslr absent\n"                             /* 11 */
        "applies = kconfig:CONFIG_X86_64 eq y\n"                        /* 12 */
        "rationale = A guest-to-host exploit then needs a kernel\n"     /* 13 */
        "  address leak first.\n"                                       /* 14 */
        "remediation = Build with CONFIG_RANDOMIZE_BASE=y and remove\n" /* 15 */
        "\tnokaslr.\n"                                                  /* 16 */
        "ref = https://kspp.github.io/Recommended_Settings\n"           /* 17 */
        "ref = https://docs.kernel.org/\n"                              /* 18 */
        "source = KSPP\n"                                               /* 19 */
        "\n"                                                            /* 20 */
        "[cpu.l1tf]\n"                                                  /* 21 */
        "title = L1TF is mitigated\n"
        "category = cpu\n"
        "severity = critical\n"
        "scope = host\n"
        "fact = cpuvuln:l1tf\n"
        "expect = mitigated or sysctl:vm.x eq \"a b\"\n"
        "expect = cpuvuln:l1tf not-contains \"SMT vulnerable\"\n"
        "expect = stat:/dev/kvm mode-max 0660 or stat:/dev/kvm present\n"
        "match = any\n"
        "split = failures\n"
        "if-absent = skip\n"
        "rationale = r\n"
        "remediation = m\n";

static int
load(Catalog *c, const char *text, const char *file, char **ret_error)
{
        return catalog_load_text(c, text, file, probe_namespaces, probe_namespaces_count, ret_error);
}

static void
load_ok(Catalog *c, const char *text, const char *file)
{
        _cleanup_free_ char *err = NULL;
        int r;

        r = load(c, text, file, &err);
        if (r < 0)
                print_error("%s\n", strna(err));
        assert_int_equal(r, 0);
        assert_null(err);
}

static void
test_valid(void **state)
{
        Catalog c = {};
        const Check *k;
        _cleanup_free_ char *facts = NULL, *refs = NULL;

        (void) state;
        load_ok(&c, valid_text, "kernel.check");
        assert_int_equal(c.n_checks, 2);
        assert_int_equal(catalog_finish(&c, NULL), 0);

        k = catalog_find(&c, "kernel.kaslr");
        assert_non_null(k);
        assert_string_equal(k->id, "kernel.kaslr");
        assert_string_equal(k->title, "Kernel address space layout randomization is on");
        assert_string_equal(k->category, "kernel");
        assert_int_equal(k->severity, SEVERITY_MEDIUM);
        assert_int_equal(k->scope, SCOPE_HOST);
        assert_string_equal(k->rationale, "A guest-to-host exploit then needs a kernel address leak first.");
        assert_string_equal(k->remediation, "Build with CONFIG_RANDOMIZE_BASE=y and remove nokaslr.");
        assert_string_equal(k->source, "KSPP");
        refs = strv_join(k->refs, " ");
        assert_string_equal(refs, "https://kspp.github.io/Recommended_Settings https://docs.kernel.org/");
        assert_string_equal(k->file, "kernel.check");
        assert_int_equal(k->line, 3);
        assert_null(k->evaluator);
        assert_false(k->match_any);
        assert_int_equal(k->split, SPLIT_NONE);
        assert_int_equal(k->if_absent, IF_ABSENT_EVALUATE);
        /* declared facts first, then the referenced ones, once each */
        facts = strv_join(k->facts, " ");
        assert_string_equal(facts, "kconfig:CONFIG_RANDOMIZE_BASE cmdline:nokaslr kconfig:CONFIG_X86_64");
        assert_int_equal(k->n_expect, 2);
        assert_int_equal(k->expect[0].n_terms, 1);
        assert_string_equal(k->expect[0].terms[0].fact, "kconfig:CONFIG_RANDOMIZE_BASE");
        assert_int_equal(k->expect[0].terms[0].op, OP_EQ);
        assert_string_equal(k->expect[0].terms[0].args[0], "y");
        assert_null(k->expect[0].terms[0].args[1]);
        assert_int_equal(k->expect[1].terms[0].op, OP_ABSENT);
        assert_null(k->expect[1].terms[0].args[0]);
        assert_int_equal(k->n_applies, 1);
        assert_string_equal(k->applies[0].text, "kconfig:CONFIG_X86_64 eq y");
        /* expected text generated from the expect lines */
        assert_string_equal(k->expected, "kconfig:CONFIG_RANDOMIZE_BASE eq y; and cmdline:nokaslr absent");

        k = catalog_find(&c, "cpu.l1tf");
        assert_non_null(k);
        assert_int_equal(k->severity, SEVERITY_CRITICAL);
        assert_int_equal(k->line, 21);
        assert_true(k->match_any);
        assert_int_equal(k->split, SPLIT_FAILURES);
        assert_int_equal(k->if_absent, IF_ABSENT_SKIP);
        assert_null(k->refs);
        assert_null(k->source);
        free(facts);
        facts = strv_join(k->facts, " ");
        assert_string_equal(facts, "cpuvuln:l1tf sysctl:vm.x stat:/dev/kvm");
        /* a term without a fact reads the primary fact; "or" splits terms;
         * a quoted argument keeps its space */
        assert_int_equal(k->expect[0].n_terms, 2);
        assert_string_equal(k->expect[0].terms[0].fact, "cpuvuln:l1tf");
        assert_int_equal(k->expect[0].terms[0].op, OP_MITIGATED);
        assert_string_equal(k->expect[0].terms[1].fact, "sysctl:vm.x");
        assert_string_equal(k->expect[0].terms[1].args[0], "a b");
        assert_string_equal(k->expect[1].terms[0].args[0], "SMT vulnerable");
        assert_int_equal(k->expect[2].terms[0].op, OP_MODE_MAX);
        assert_int_equal(k->expect[2].terms[1].op, OP_PRESENT);
        assert_string_equal(k->expected, "mitigated or sysctl:vm.x eq \"a b\"; or cpuvuln:l1tf not-contains "
                                         "\"SMT vulnerable\"; or stat:/dev/kvm mode-max 0660 or stat:/dev/kvm present");

        assert_null(catalog_find(&c, "cpu.nope"));
        catalog_done(&c);
        assert_int_equal(c.n_checks, 0);
        assert_null(c.checks);
}

static void
test_evaluator_check(void **state)
{
        Catalog c = {};

        (void) state;
        load_ok(&c,
                HEAD("hw.virt", "hw")
                "fact = cpu:flags\n"
                "evaluator = memory-encryption\n"
                "expected = The CPU has\n"
                "  vmx or svm.\n"
                RATIONALE REMEDIATION,
                "hw.check");
        assert_int_equal(c.n_checks, 1);
        assert_non_null(c.checks[0].evaluator);
        assert_string_equal(c.checks[0].evaluator->name, "memory-encryption");
        assert_ptr_equal(c.checks[0].evaluator, evaluator_find("memory-encryption"));
        assert_string_equal(c.checks[0].expected, "The CPU has vmx or svm.");
        assert_int_equal(c.checks[0].n_expect, 0);
        catalog_done(&c);
}

/* Loads @text as "bad.check" into a catalogue holding one good check
 * and asserts the error, its line and that the catalogue is unchanged. */
static void
assert_load_error(const char *text, unsigned want_line, const char *want_msg)
{
        Catalog c = {};
        Check *before;
        _cleanup_free_ char *err = NULL, *prefix = NULL;
        int r;

        load_ok(&c, HEAD("kvm.good", "kvm") "expect = kvm:module present\n" RATIONALE REMEDIATION, "good.check");
        assert_int_equal(c.n_checks, 1);
        before = c.checks;

        r = load(&c, text, "bad.check", &err);
        if (r != -EBADMSG || !err || !startswith(err, (prefix = xasprintf("bad.check:%u: ", want_line))) ||
            !strstr(err, want_msg))
                print_error("want line %u \"%s\", got r=%d \"%s\"\n", want_line, want_msg, r, strna(err));
        assert_int_equal(r, -EBADMSG);
        assert_non_null(err);
        assert_true(startswith(err, prefix));
        assert_non_null(strstr(err, want_msg));

        /* unchanged: the good check, nothing of the bad file */
        assert_int_equal(c.n_checks, 1);
        (void) before;
        assert_string_equal(c.checks[0].id, "kvm.good");
        assert_string_equal(c.checks[0].file, "good.check");
        assert_int_equal(catalog_finish(&c, NULL), 0);
        catalog_done(&c);
}

static void
test_errors(void **state)
{
        (void) state;

        assert_load_error(HEAD("kernel.a", "kernel")
                          "expect = kconfig:X eq y\n"
                          "colour = blue\n"                                     /* 7 */
                          RATIONALE REMEDIATION,
                          7, "unknown key \"colour\"");
        assert_load_error(HEAD("kernel.a", "kernel")
                          "expect = kconfig:X eq y\n"
                          RATIONALE
                          "title = again\n"                                     /* 8 */
                          REMEDIATION,
                          8, "key \"title\" given twice (first on line 2)");
        assert_load_error("\n\n[kernel.a]\n" TITLE CATEGORY("kernel") SEVERITY SCOPE
                          "expect = kconfig:X eq y\n" RATIONALE,
                          3, "check \"kernel.a\" has no \"remediation\"");
        assert_load_error(HEAD("kernel.a", "kernel") "expect = kconfig:X eq y\n" REMEDIATION,
                          1, "check \"kernel.a\" has no \"rationale\"");
        assert_load_error(HEAD("kernel.a", "kernel")
                          "expect = kconfig:X eq y\n"
                          "expect = nosuch:X eq y\n"                            /* 7 */
                          RATIONALE REMEDIATION,
                          7, "unknown fact namespace in \"nosuch:X\"");
        assert_load_error(HEAD("kernel.a", "kernel")
                          "fact = nosuch:X\n"                                   /* 6 */
                          "expect = eq y\n" RATIONALE REMEDIATION,
                          6, "unknown fact namespace in \"nosuch:X\"");
        assert_load_error(HEAD("kernel.a", "kernel")
                          "expect = kconfig:X equals y\n"                       /* 6 */
                          RATIONALE REMEDIATION,
                          6, "unknown operator \"equals\"");
        /* an operator spelled like a fact with no operator after it */
        assert_load_error(HEAD("kernel.a", "kernel")
                          "expect = kconfig:X\n" RATIONALE REMEDIATION,
                          6, "missing operator after \"kconfig:X\"");
        /* arity */
        assert_load_error(HEAD("kernel.a", "kernel")
                          "expect = kconfig:X eq\n" RATIONALE REMEDIATION,
                          6, "operator \"eq\" takes one argument, got 0");
        assert_load_error(HEAD("kernel.a", "kernel")
                          "expect = kconfig:X eq y n\n" RATIONALE REMEDIATION,
                          6, "operator \"eq\" takes one argument, got 2");
        assert_load_error(HEAD("kernel.a", "kernel")
                          "expect = kconfig:X present y\n" RATIONALE REMEDIATION,
                          6, "operator \"present\" takes no arguments, got 1");
        assert_load_error(HEAD("kernel.a", "kernel")
                          "expect = kconfig:X in\n" RATIONALE REMEDIATION,
                          6, "operator \"in\" takes one or more arguments, got 0");
        assert_load_error(HEAD("kernel.a", "kernel")
                          "expect = kconfig:X eq y or\n" RATIONALE REMEDIATION,
                          6, "condition ends with \"or\"");
        /* stat operators on non-stat facts and the reverse */
        assert_load_error(HEAD("kernel.a", "kernel")
                          "expect = kconfig:X mode-max 0600\n" RATIONALE REMEDIATION,
                          6, "operator \"mode-max\" does not apply to kconfig:X");
        assert_load_error(HEAD("kernel.a", "kernel")
                          "expect = sysctl:x no-acl\n" RATIONALE REMEDIATION,
                          6, "operator \"no-acl\" does not apply to sysctl:x");
        assert_load_error(HEAD("kernel.a", "kernel")
                          "expect = stat:/dev/kvm eq x\n" RATIONALE REMEDIATION,
                          6, "operator \"eq\" does not apply to stat:/dev/kvm");
        /* numeric arguments are checked at load time */
        assert_load_error(HEAD("kernel.a", "kernel")
                          "expect = sysctl:kernel.x ge abc\n" RATIONALE REMEDIATION,
                          6, "operator \"ge\" needs an integer, got \"abc\"");
        assert_load_error(HEAD("kernel.a", "kernel")
                          "expect = sysctl:kernel.x le 1.5\n" RATIONALE REMEDIATION,
                          6, "operator \"le\" needs an integer, got \"1.5\"");
        assert_load_error(HEAD("kernel.a", "kernel")
                          "expect = stat:/dev/kvm uid root\n" RATIONALE REMEDIATION,
                          6, "operator \"uid\" needs an integer, got \"root\"");
        assert_load_error(HEAD("kernel.a", "kernel")
                          "expect = stat:/dev/kvm mode-max 0999\n" RATIONALE REMEDIATION,
                          6, "mode-max needs an octal mode, got \"0999\"");
        assert_load_error(HEAD("kernel.a", "kernel")
                          "expect = stat:/dev/kvm type pipe\n" RATIONALE REMEDIATION,
                          6, "unknown file type \"pipe\"");
        assert_load_error(HEAD("kernel.a", "kernel")
                          "expect = sysctl:x eq \"unbalanced\n" RATIONALE REMEDIATION,
                          6, "unbalanced quote in condition");
        /* ids */
        assert_load_error("\n[Kernel.a]\n" TITLE, 2, "invalid check id \"Kernel.a\"");
        assert_load_error("[kernel]\n", 1, "invalid check id \"kernel\"");
        assert_load_error("[kernel.a-]\n", 1, "invalid check id \"kernel.a-\"");
        assert_load_error("[kernel.a_b]\n", 1, "invalid check id \"kernel.a_b\"");
        assert_load_error("[kernel.a\n", 1, "malformed section header");
        assert_load_error("\n\n\n" HEAD("kvm.a", "kernel") "expect = kconfig:X eq y\n" RATIONALE REMEDIATION,
                          4, "id \"kvm.a\" does not start with its category \"kernel.\"");
        /* "kernelx.a" must not pass as category "kernel" */
        assert_load_error(HEAD("kernelx.a", "kernel") "expect = kconfig:X eq y\n" RATIONALE REMEDIATION,
                          1, "id \"kernelx.a\" does not start with its category \"kernel.\"");
        /* expect and evaluator */
        assert_load_error(HEAD("hw.a", "hw")
                          "evaluator = ip-forward\n"
                          "expected = x\n"
                          "expect = kconfig:X eq y\n"                           /* 8 */
                          "expect = kconfig:Y eq y\n"
                          RATIONALE REMEDIATION,
                          8, "a check has either \"expect\" or \"judge\", not both");
        assert_load_error("# c\n" HEAD("hw.a", "hw") RATIONALE REMEDIATION,
                          2, "check \"hw.a\" has neither \"expect\" nor \"judge\"");
        assert_load_error(HEAD("hw.a", "hw")
                          "evaluator = no-such-thing\n"                         /* 6 */
                          "expected = x\n" RATIONALE REMEDIATION,
                          6, "unknown judge \"no-such-thing\"");
        assert_load_error(HEAD("hw.a", "hw")
                          "evaluator = ip-forward\n" RATIONALE REMEDIATION,
                          1, "uses a judge and needs \"expected\"");
        /* judge = and its old name evaluator = are one key */
        assert_load_error(HEAD("hw.a", "hw")
                          "evaluator = ip-forward\n"
                          "judge = ip-forward\n"                                  /* 7 */
                          "expected = x\n" RATIONALE REMEDIATION,
                          7, "\"judge\" given, but the check already has a judge");
        /* objects: "@" needs one, split and subject are for the host */
        assert_load_error(HEAD("qemu.a", "qemu")
                          "fact = process:@/uid\n"
                          "expect = each-in 1\n" RATIONALE REMEDIATION,
                          1, "\"process:@/uid\" is relative to an object (\"@\"), but the check has scope host");
        assert_load_error(HEAD("qemu.a", "qemu")
                          "expect = kconfig:X eq y or process:@/uid empty\n" RATIONALE REMEDIATION,
                          1, "\"process:@/uid\" is relative to an object");
        assert_load_error("[qemu.a]\n" TITLE CATEGORY("qemu") SEVERITY "scope = process\n"
                          "fact = process:@/uid\n"
                          "expect = nonempty\n"
                          "split = line\n" RATIONALE REMEDIATION,
                          1, "\"split\" is for scope host");
        assert_load_error("[qemu.a]\n" TITLE CATEGORY("qemu") SEVERITY "scope = process\n"
                          "fact = process:@/uid\n"
                          "expect = nonempty\n"
                          "subject = /x\n" RATIONALE REMEDIATION,
                          1, "\"subject\" is for scope host");
        /* "@" stands for the name's first segment only: the namespace is literal */
        assert_load_error(HEAD("qemu.a", "qemu")
                          "fact = @.conf:auth_tcp\n" RATIONALE REMEDIATION,   /* 6 */
                          6, "invalid fact \"@.conf:auth_tcp\"");
        /* list operators: arity and numbers */
        assert_load_error(HEAD("qemu.a", "qemu")
                          "expect = qemu.conf:x each-in\n" RATIONALE REMEDIATION,
                          6, "operator \"each-in\" takes one or more arguments, got 0");
        assert_load_error(HEAD("qemu.a", "qemu")
                          "expect = qemu.conf:x empty a\n" RATIONALE REMEDIATION,
                          6, "operator \"empty\" takes no arguments, got 1");
        assert_load_error(HEAD("qemu.a", "qemu")
                          "expect = qemu.conf:x count-le many\n" RATIONALE REMEDIATION,
                          6, "operator \"count-le\" needs an integer, got \"many\"");
        assert_load_error(HEAD("qemu.a", "qemu")
                          "expect = stat:/dev/kvm each-in a\n" RATIONALE REMEDIATION,
                          6, "operator \"each-in\" does not apply to stat:/dev/kvm");
        /* params */
        assert_load_error(HEAD("qemu.a", "qemu")
                          "judge = qemu-user-not-root\n"
                          "expected = x\n"
                          "param = colour blue\n" RATIONALE REMEDIATION,        /* 8 */
                          8, "unknown param \"colour\" for qemu-user-not-root");
        assert_load_error(HEAD("qemu.a", "qemu")
                          "expect = qemu.conf:x present\n"
                          "param = daemons libvirtd\n" RATIONALE REMEDIATION,   /* 7 */
                          7, "unknown param \"daemons\" for a data check");
        assert_load_error(HEAD("hw.a", "hw")
                          "evaluator = ip-forward\n"
                          "expected = x\n"
                          "param = daemons libvirtd\n" RATIONALE REMEDIATION,   /* 8 */
                          8, "evaluator \"ip-forward\" takes no params");
        assert_load_error(HEAD("qemu.a", "qemu")
                          "judge = qemu-user-not-root\n"
                          "expected = x\n"
                          "param = lonely\n" RATIONALE REMEDIATION,             /* 8 */
                          8, "param must be \"KEY VALUE...\", got \"lonely\"");
        assert_load_error(HEAD("qemu.a", "qemu")
                          "judge = qemu-user-not-root\n"
                          "expected = x\n"
                          "param = Key v\n" RATIONALE REMEDIATION,              /* 8 */
                          8, "param key \"Key\" is not [a-z0-9-]+");
        assert_load_error("[libvirtd.a]\n" TITLE CATEGORY("libvirtd") SEVERITY "scope = daemon\n"
                          "fact = libvirtd.conf:x\n"
                          "expect = present\n"
                          "param = daemons libvirtd\n"
                          "param = daemons virtqemud\n" RATIONALE REMEDIATION,  /* 9 */
                          9, "param \"daemons\" given twice");
        assert_load_error("[libvirtd.a]\n" TITLE CATEGORY("libvirtd") SEVERITY "scope = daemon\n"
                          "fact = libvirtd.conf:x\n"
                          "expect = present\n"
                          "param = daemons libvirtd nosuchd\n" RATIONALE REMEDIATION, /* 8 */
                          8, "daemon \"nosuchd\" has no configuration namespace \"nosuchd.conf\"");
        /* continuation lines and keys out of place */
        assert_load_error("  continued\n", 1, "continuation line without a key before it");
        assert_load_error("# c\n[kernel.a]\n\tcontinued\n", 3, "continuation line without a key before it");
        assert_load_error("\ntitle = outside\n[kernel.a]\n", 2, "key outside of a [check.id] section");
        assert_load_error("[kernel.a]\njust words\n", 2, "expected \"key = value\"");
        /* other value checks */
        assert_load_error(HEAD("kernel.a", "kernel")
                          "expect = kconfig:X eq y\n"
                          "severity2 = x\n", 7, "unknown key \"severity2\"");
        assert_load_error("[kernel.a]\ntitle = t\ncategory = kernel\nseverity = huge\n", 4,
                          "unknown severity \"huge\"");
        assert_load_error("[kernel.a]\ntitle =\n", 2, "empty value for \"title\"");
        assert_load_error(HEAD("kernel.a", "kernel") "expect = kconfig:X eq y\nref = ftp://x\n", 7,
                          "ref must be a URL");
        assert_load_error(HEAD("kernel.a", "kernel") "expect = kconfig:X eq y\nmatch = some\n", 7,
                          "match must be \"all\" or \"any\"");
        assert_load_error(HEAD("kernel.a", "kernel") "expect = kconfig:X eq y\n" RATIONALE REMEDIATION
                          "if-absent = pass\n", 1, "\"if-absent\" needs a \"fact\" to apply to");
        assert_load_error(HEAD("kernel.a", "kernel") "expect = eq y\n" RATIONALE REMEDIATION, 6,
                          "condition names no fact and the check has no \"fact\"");
        assert_load_error("[kernel.a]\ntitle = a\001b\n", 2, "control character in the file");
}

static void
test_error_in_second_check_rolls_back(void **state)
{
        Catalog c = {};
        _cleanup_free_ char *err = NULL;

        (void) state;
        /* The first check of the file is fine, the second is not: neither stays. */
        assert_int_equal(load(&c,
                              HEAD("kernel.a", "kernel") "expect = kconfig:X eq y\n" RATIONALE REMEDIATION
                              HEAD("kernel.b", "kernel") "expect = kconfig:X bogus\n" RATIONALE REMEDIATION,
                              "two.check", &err),
                         -EBADMSG);
        assert_non_null(err);
        assert_true(startswith(err, "two.check:14: "));
        assert_int_equal(c.n_checks, 0);
        catalog_done(&c);
}

static void
test_duplicate_ids(void **state)
{
        Catalog c = {};
        _cleanup_free_ char *err = NULL;

        (void) state;
        load_ok(&c, HEAD("kernel.dup", "kernel") "expect = kconfig:X eq y\n" RATIONALE REMEDIATION, "a.check");
        load_ok(&c, "# one\n# two\n\n\n" HEAD("kernel.dup", "kernel") "expect = kconfig:Y eq y\n" RATIONALE REMEDIATION
                    HEAD("kernel.other", "kernel") "expect = kconfig:Y eq y\n" RATIONALE REMEDIATION,
                "b.check");
        assert_int_equal(c.n_checks, 3);
        assert_int_equal(catalog_finish(&c, &err), -EEXIST);
        assert_non_null(err);
        assert_non_null(strstr(err, "duplicate check id \"kernel.dup\""));
        /* both places are named, whichever comes first */
        assert_non_null(strstr(err, "a.check:1"));
        assert_non_null(strstr(err, "b.check:5"));
        assert_true(startswith(err, "a.check:1: ") || startswith(err, "b.check:5: "));
        catalog_done(&c);
}

static void
test_finish_sorts(void **state)
{
        Catalog c = {};

        (void) state;
        load_ok(&c,
                HEAD("kernel.zz", "kernel") "expect = kconfig:X eq y\n" RATIONALE REMEDIATION
                HEAD("cpu.mm", "cpu") "expect = kconfig:X eq y\n" RATIONALE REMEDIATION
                HEAD("kernel.aa", "kernel") "expect = kconfig:X eq y\n" RATIONALE REMEDIATION,
                "x.check");
        assert_int_equal(catalog_finish(&c, NULL), 0);
        assert_string_equal(c.checks[0].id, "cpu.mm");
        assert_string_equal(c.checks[1].id, "kernel.aa");
        assert_string_equal(c.checks[2].id, "kernel.zz");
        assert_ptr_equal(catalog_find(&c, "kernel.zz"), &c.checks[2]);
        catalog_done(&c);
}

static void
test_string_tables(void **state)
{
        (void) state;
        for (int i = 0; i < _OP_MAX; i++)
                assert_int_equal(cond_op_from_string(cond_op_to_string((CondOp) i)), i);
        assert_int_equal(cond_op_from_string("nope"), _OP_INVALID);
        assert_null(cond_op_to_string(_OP_MAX));
        assert_int_equal(severity_from_string("critical"), SEVERITY_CRITICAL);
        assert_int_equal(severity_weight(SEVERITY_CRITICAL), 10);
        assert_int_equal(severity_weight(SEVERITY_HIGH), 5);
        assert_int_equal(severity_weight(SEVERITY_MEDIUM), 3);
        assert_int_equal(severity_weight(SEVERITY_LOW), 1);
        assert_int_equal(severity_weight(SEVERITY_INFO), 0);
        assert_int_equal(status_from_string("waived"), STATUS_WAIVED);
        assert_string_equal(status_to_string(STATUS_SKIP), "skip");
        assert_int_equal(scope_from_string("domain"), SCOPE_DOMAIN);
        assert_int_equal(scope_from_string(NULL), _SCOPE_INVALID);
}

/* Control identifiers: parsed into lists per framework, each item
 * well-formed for its framework, or a file:line error naming it. */
static void
test_controls(void **state)
{
        Catalog c = {};
        const Check *k;
        _cleanup_free_ char *nist = NULL;

        (void) state;
        load_ok(&c, HEAD("kernel.a", "kernel") "expect = kconfig:X eq y\n" RATIONALE REMEDIATION
                "nist-800-53 = SC-39, AC-6(9),SI-16\n"
                "srg = SRG-OS-000408-VMM-001680\n"
                "cci = CCI-002530\n"
                "cis = 1.5.2\n",
                "kernel.check");
        k = &c.checks[0];
        nist = strv_join(k->controls[FRAMEWORK_NIST_800_53], " ");
        assert_string_equal(nist, "SC-39 AC-6(9) SI-16");
        assert_string_equal(k->controls[FRAMEWORK_VMM_SRG][0], "SRG-OS-000408-VMM-001680");
        assert_null(k->controls[FRAMEWORK_VMM_SRG][1]);
        assert_string_equal(k->controls[FRAMEWORK_CCI][0], "CCI-002530");
        assert_string_equal(k->controls[FRAMEWORK_CIS][0], "1.5.2");
        catalog_done(&c);

        load_ok(&c, HEAD("kernel.a", "kernel") "expect = kconfig:X eq y\n" RATIONALE REMEDIATION, "kernel.check");
        for (size_t i = 0; i < _FRAMEWORK_MAX; i++)
                assert_null(c.checks[0].controls[i]);
        catalog_done(&c);

#define BAD(key, value, msg) \
        assert_load_error(HEAD("kernel.a", "kernel") "expect = kconfig:X eq y\n" key " = " value "\n" \
                          RATIONALE REMEDIATION, 7, msg)
        BAD("nist-800-53", "XX-1", "\"XX-1\" is not a nist-800-53 identifier");
        BAD("nist-800-53", "sc-39", "\"sc-39\" is not a nist-800-53 identifier");
        BAD("nist-800-53", "SC-39 (2)", "\"SC-39 (2)\" is not a nist-800-53 identifier");
        BAD("nist-800-53", "SC-039", "\"SC-039\" is not a nist-800-53 identifier");
        BAD("nist-800-53", "SC-", "\"SC-\" is not a nist-800-53 identifier");
        BAD("nist-800-53", "CM-6 b", "\"CM-6 b\" is not a nist-800-53 identifier");
        BAD("nist-800-53", "AC-6(1)(a)", "\"AC-6(1)(a)\" is not a nist-800-53 identifier");
        BAD("nist-800-53", "AC-6(100)", "\"AC-6(100)\" is not a nist-800-53 identifier");
        BAD("nist-800-53", "SC-39,,AC-3", "empty item in the nist-800-53 list");
        BAD("nist-800-53", "SC-39,", "empty item in the nist-800-53 list");
        BAD("nist-800-53", "SC-39, SC-39", "\"SC-39\" is listed twice in \"nist-800-53\"");
        BAD("srg", "SRG-OS-000480-GPOS-00227", "\"SRG-OS-000480-GPOS-00227\" is not a srg identifier");
        BAD("srg", "SRG-OS-00408-VMM-001680", "is not a srg identifier");
        BAD("srg", "SRG-OS-000408-VMM-001680x", "is not a srg identifier");
        /* well-formed, but no requirement of the vendored SRG: never an invented id */
        BAD("srg", "SRG-OS-000999-VMM-009990",
            "\"SRG-OS-000999-VMM-009990\" is not a requirement of the VMM SRG V2R2 (docs/compliance/vmm-srg-v2r2.tsv)");
        BAD("srg", "SRG-OS-000408-VMM-001680, SRG-OS-000373-VMM-001470",
            "\"SRG-OS-000373-VMM-001470\" is not a requirement of the VMM SRG V2R2");
        BAD("cci", "CCI-2530", "\"CCI-2530\" is not a cci identifier");
        BAD("cci", "CCI-0025301", "is not a cci identifier");
        BAD("cis", "1..2", "\"1..2\" is not a cis identifier");
        BAD("cis", "1.2a", "is not a cis identifier");
        BAD("nist-800-53", "SC-39\\u00e9", "is not a nist-800-53 identifier");
#undef BAD
        /* a framework key is single-valued: one line, a comma-separated list */
        assert_load_error(HEAD("kernel.a", "kernel") "expect = kconfig:X eq y\n"
                          "cci = CCI-002530\n"
                          "cci = CCI-000366\n"                                  /* 8 */
                          RATIONALE REMEDIATION,
                          8, "key \"cci\" given twice (first on line 7)");
        /* an unknown framework is an unknown key */
        assert_load_error(HEAD("kernel.a", "kernel") "expect = kconfig:X eq y\n"
                          "iso-27001 = A.12\n" RATIONALE REMEDIATION,
                          7, "unknown key \"iso-27001\"");
}

/* More identifiers than CONTROLS_PER_CHECK_MAX in one list are refused. */
static void
test_controls_bounded(void **state)
{
        StrBuf b = {};
        _cleanup_free_ char *text = NULL, *err = NULL;
        Catalog c = {};

        (void) state;
        strbuf_append(&b, HEAD("kernel.a", "kernel") "expect = kconfig:X eq y\n" RATIONALE REMEDIATION "cci = ");
        for (unsigned i = 0; i <= CONTROLS_PER_CHECK_MAX; i++) {
                char id[32];
                snprintf(id, sizeof id, "%sCCI-%06u", i ? ", " : "", i);
                strbuf_append(&b, id);
        }
        strbuf_append(&b, "\n");
        text = strbuf_steal(&b);
        assert_int_equal(load(&c, text, "bad.check", &err), -EBADMSG);
        assert_non_null(strstr(err, "bad.check:9: more than 64 cci identifiers in one check"));
        assert_int_equal(c.n_checks, 0);
        catalog_done(&c);
}

/* remediation.debian / remediation.rhel: loaded, chosen by os-release ID
 * then ID_LIKE, the plain one the fallback; other families are unknown
 * keys and a variant given twice is refused like any single key. */
static void
test_remediation_variants(void **state)
{
        Catalog c = {};

        (void) state;
        load_ok(&c, HEAD("kernel.a", "kernel") "expect = kconfig:X eq y\n" RATIONALE REMEDIATION
                "remediation.debian = Run update-grub.\n"
                "remediation.rhel = Run grubby.\n"
                HEAD("kernel.b", "kernel") "expect = kconfig:Y eq y\n" RATIONALE REMEDIATION, "v.check");
        assert_int_equal(c.n_checks, 2);
        assert_string_equal(check_remediation(&c.checks[0], DISTRO_DEBIAN), "Run update-grub.");
        assert_string_equal(check_remediation(&c.checks[0], DISTRO_RHEL), "Run grubby.");
        assert_string_equal(check_remediation(&c.checks[0], _DISTRO_INVALID), "What to do.");
        assert_string_equal(check_remediation(&c.checks[1], DISTRO_DEBIAN), "What to do.");

        assert_int_equal(distro_family_of("debian", NULL), DISTRO_DEBIAN);
        assert_int_equal(distro_family_of("linuxmint", "ubuntu debian"), DISTRO_DEBIAN);
        assert_int_equal(distro_family_of("rocky", "rhel centos fedora"), DISTRO_RHEL);
        assert_int_equal(distro_family_of("fedora", NULL), DISTRO_RHEL);
        assert_int_equal(distro_family_of("arch", NULL), _DISTRO_INVALID);
        assert_int_equal(distro_family_of("opensuse-leap", "suse opensuse"), _DISTRO_INVALID);
        assert_int_equal(distro_family_of(NULL, NULL), _DISTRO_INVALID);
        /* a word is matched whole: "debianish" is not debian */
        assert_int_equal(distro_family_of("x", "debianish  "), _DISTRO_INVALID);

        assert_int_equal(catalog_remediation_select(&c, DISTRO_RHEL), 0);
        assert_string_equal(c.checks[0].remediation, "Run grubby.");
        assert_string_equal(c.checks[1].remediation, "What to do.");
        catalog_done(&c);

        assert_load_error(HEAD("kernel.a", "kernel") "expect = kconfig:X eq y\n" RATIONALE REMEDIATION
                          "remediation.suse = zypper\n",                       /* 9 */
                          9, "unknown key \"remediation.suse\"");
        assert_load_error(HEAD("kernel.a", "kernel") "expect = kconfig:X eq y\n" RATIONALE REMEDIATION
                          "remediation.debian = a\n"
                          "remediation.debian = b\n",                          /* 10 */
                          10, "key \"remediation.debian\" given twice (first on line 9)");
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_valid),
                cmocka_unit_test(test_evaluator_check),
                cmocka_unit_test(test_errors),
                cmocka_unit_test(test_error_in_second_check_rolls_back),
                cmocka_unit_test(test_duplicate_ids),
                cmocka_unit_test(test_finish_sorts),
                cmocka_unit_test(test_string_tables),
                cmocka_unit_test(test_controls),
                cmocka_unit_test(test_controls_bounded),
                cmocka_unit_test(test_remediation_variants),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
