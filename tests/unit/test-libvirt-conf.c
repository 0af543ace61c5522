/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of the libvirt configuration parser (src/probes/libvirt-conf.c)
 * against the syntax libvirt's virconf.c accepts and the errors it reports.
 * Every accept/refuse, line and message below was checked against libvirt
 * 9.0 itself (virConfReadString() of Debian 12's libvirt0). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "libvirt-conf.h"
#include "strv.h"
#include "util.h"

typedef struct Parsed {
        LibvirtConfEntry *e;
        size_t n;
} Parsed;

static void
parse_ok(const char *text, Parsed *ret)
{
        unsigned line = 0;
        const char *err = NULL;
        int r;

        r = libvirt_conf_parse(text, &ret->e, &ret->n, &line, &err);
        if (r < 0)
                print_error("unexpected error at line %u: %s\n", line, err);
        assert_int_equal(r, 0);
}

static void
parsed_done(Parsed *p)
{
        libvirt_conf_entries_free(p->e, p->n);
        *p = (Parsed) {};
}

static void
assert_scalar(const LibvirtConfEntry *e, const char *name, LibvirtConfType type, const char *value, unsigned line)
{
        assert_string_equal(e->name, name);
        assert_int_equal(e->type, type);
        assert_non_null(e->value);
        assert_string_equal(e->value, value);
        assert_null(e->list);
        assert_int_equal(e->line, line);
}

static void
assert_list(const LibvirtConfEntry *e, const char *name, const char *joined, size_t n, unsigned line)
{
        _cleanup_free_ char *j = NULL;

        assert_string_equal(e->name, name);
        assert_int_equal(e->type, LIBVIRT_CONF_LIST);
        assert_null(e->value);
        assert_non_null(e->list);
        assert_int_equal(strv_length(e->list), n);
        j = strv_join(e->list, "|");
        assert_string_equal(j, joined);
        assert_int_equal(e->line, line);
}

static void
test_scalars(void **state)
{
        Parsed p = {};

        (void) state;
        parse_ok("key = \"v\"\n"
                 "key2='v2'\n"
                 "n=1\n"
                 "user = \"+0\"\n"
                 "seccomp_sandbox=0   # comment\n"
                 "neg = -5\n"
                 "pos = +7\n"
                 "\tindented\t=\t\"tab\"\t\n"
                 "x_y_9 = 'single \"double\" inside'\n"
                 "empty = \"\"\n"
                 "big = -9223372036854775808\n"
                 "last = 3",
                 &p);
        assert_int_equal(p.n, 12);
        assert_scalar(&p.e[0], "key", LIBVIRT_CONF_STRING, "v", 1);
        assert_scalar(&p.e[1], "key2", LIBVIRT_CONF_STRING, "v2", 2);
        assert_scalar(&p.e[2], "n", LIBVIRT_CONF_LONG, "1", 3);
        /* "+0" quoted is a string (a uid), not a number */
        assert_scalar(&p.e[3], "user", LIBVIRT_CONF_STRING, "+0", 4);
        assert_scalar(&p.e[4], "seccomp_sandbox", LIBVIRT_CONF_LONG, "0", 5);
        assert_scalar(&p.e[5], "neg", LIBVIRT_CONF_LONG, "-5", 6);
        assert_scalar(&p.e[6], "pos", LIBVIRT_CONF_LONG, "7", 7);
        assert_scalar(&p.e[7], "indented", LIBVIRT_CONF_STRING, "tab", 8);
        assert_scalar(&p.e[8], "x_y_9", LIBVIRT_CONF_STRING, "single \"double\" inside", 9);
        assert_scalar(&p.e[9], "empty", LIBVIRT_CONF_STRING, "", 10);
        assert_scalar(&p.e[10], "big", LIBVIRT_CONF_LONG, "-9223372036854775808", 11);
        assert_scalar(&p.e[11], "last", LIBVIRT_CONF_LONG, "3", 12);
        parsed_done(&p);

        /* "last = 3" without a final newline */
        parse_ok("a = 1\nlast = 3", &p);
        assert_int_equal(p.n, 2);
        assert_scalar(&p.e[1], "last", LIBVIRT_CONF_LONG, "3", 2);
        parsed_done(&p);
}

static void
test_empty_and_comments(void **state)
{
        Parsed p = {};

        (void) state;
        parse_ok("", &p);
        assert_int_equal(p.n, 0);
        parsed_done(&p);

        parse_ok("# only comments\n\n   # indented comment\n\r\n", &p);
        assert_int_equal(p.n, 0);
        parsed_done(&p);

        /* CRLF line ends */
        parse_ok("# c\r\na = \"x\"\r\nb = 2\r\n", &p);
        assert_int_equal(p.n, 2);
        assert_scalar(&p.e[0], "a", LIBVIRT_CONF_STRING, "x", 2);
        assert_scalar(&p.e[1], "b", LIBVIRT_CONF_LONG, "2", 3);
        parsed_done(&p);
}

static void
test_lists(void **state)
{
        Parsed p = {};

        (void) state;
        parse_ok("# header\n"
                 "cgroup_device_acl = [\n"
                 "    \"/dev/null\", \"/dev/full\",\n"
                 "\n"
                 "    \"/dev/zero\",\n"
                 "    1, -2, 'q'\n"
                 "    ,\n"
                 "]\n"
                 "empty = []\n"
                 "empty2 = [ \n\n ]\n"
                 "one = [ \"a\" ]\n"
                 "after = 'x'\n",
                 &p);
        assert_int_equal(p.n, 5);
        assert_list(&p.e[0], "cgroup_device_acl", "/dev/null|/dev/full|/dev/zero|1|-2|q", 6, 2);
        assert_list(&p.e[1], "empty", "", 0, 9);
        assert_list(&p.e[2], "empty2", "", 0, 10);
        assert_list(&p.e[3], "one", "a", 1, 13);
        assert_scalar(&p.e[4], "after", LIBVIRT_CONF_STRING, "x", 14);
        assert_false(p.e[0].nested);
        parsed_done(&p);

        /* libvirt parses a list inside a list; no setting accepts one */
        parse_ok("l = [ [ \"a\" ], \"b\" ]\nm = 1\n", &p);
        assert_int_equal(p.n, 2);
        assert_true(p.e[0].nested);
        assert_list(&p.e[0], "l", "b", 1, 1);
        parsed_done(&p);

        /* A list closed on the same line, then a comment. */
        parse_ok("namespaces = [ \"mount\" ]   # default\nx = 1\n", &p);
        assert_int_equal(p.n, 2);
        assert_list(&p.e[0], "namespaces", "mount", 1, 1);
        assert_scalar(&p.e[1], "x", LIBVIRT_CONF_LONG, "1", 2);
        parsed_done(&p);
}

static void
test_triple_quoted(void **state)
{
        Parsed p = {};

        (void) state;
        parse_ok("a = \"\"\"multi\n"
                 "line \"quoted\" 'single'\n"
                 "\"\"\"\n"
                 "b = 2\n"
                 "c = \"\"\"one line\"\"\"\n"
                 "d = [ \"\"\"in\nlist\"\"\", \"x\" ]\n"
                 "e = 5\n",
                 &p);
        assert_int_equal(p.n, 5);
        assert_scalar(&p.e[0], "a", LIBVIRT_CONF_STRING, "multi\nline \"quoted\" 'single'\n", 1);
        assert_scalar(&p.e[1], "b", LIBVIRT_CONF_LONG, "2", 4);
        assert_scalar(&p.e[2], "c", LIBVIRT_CONF_STRING, "one line", 5);
        assert_list(&p.e[3], "d", "in\nlist|x", 2, 6);
        /* the newline inside the list's string is counted */
        assert_scalar(&p.e[4], "e", LIBVIRT_CONF_LONG, "5", 8);
        parsed_done(&p);
}

static void
test_semicolons(void **state)
{
        Parsed p = {};

        (void) state;
        parse_ok("a = 1; b = \"x\";c=3\n"
                 "d = [1,2];\n"
                 "e = 'y' ;\n",
                 &p);
        assert_int_equal(p.n, 5);
        assert_scalar(&p.e[0], "a", LIBVIRT_CONF_LONG, "1", 1);
        assert_scalar(&p.e[1], "b", LIBVIRT_CONF_STRING, "x", 1);
        assert_scalar(&p.e[2], "c", LIBVIRT_CONF_LONG, "3", 1);
        assert_list(&p.e[3], "d", "1|2", 2, 2);
        assert_scalar(&p.e[4], "e", LIBVIRT_CONF_STRING, "y", 3);
        parsed_done(&p);
}

static void
test_repeated_names(void **state)
{
        Parsed p = {};
        const LibvirtConfEntry *e;

        (void) state;
        /* All assignments are returned in order; libvirt uses the first
         * (virConfGetValue walks from the head), and so does the lookup. */
        parse_ok("user = \"root\"\ngroup = \"kvm\"\nuser = \"libvirt-qemu\"\nuser = 'x'\n", &p);
        assert_int_equal(p.n, 4);
        assert_scalar(&p.e[0], "user", LIBVIRT_CONF_STRING, "root", 1);
        assert_scalar(&p.e[2], "user", LIBVIRT_CONF_STRING, "libvirt-qemu", 3);
        e = libvirt_conf_lookup(p.e, p.n, "user");
        assert_ptr_equal(e, &p.e[0]);
        assert_string_equal(e->value, "root");
        assert_ptr_equal(libvirt_conf_lookup(p.e, p.n, "group"), &p.e[1]);
        assert_null(libvirt_conf_lookup(p.e, p.n, "missing"));
        /* names compare exactly: "User" is another setting */
        assert_null(libvirt_conf_lookup(p.e, p.n, "User"));
        parsed_done(&p);

        parse_ok("auth_tcp = \"none\"\nauth_tcp = \"sasl\"\n", &p);
        assert_string_equal(libvirt_conf_lookup(p.e, p.n, "auth_tcp")->value, "none");
        parsed_done(&p);

        parse_ok("l = [ \"a\" ]\nl = \"b\"\n", &p);
        e = libvirt_conf_lookup(p.e, p.n, "l");
        assert_int_equal(e->type, LIBVIRT_CONF_LIST);
        assert_int_equal(e->line, 1);
        parsed_done(&p);
}

static void
assert_parse_error(const char *text, unsigned want_line, const char *want_error)
{
        LibvirtConfEntry *e = NULL;
        size_t n = 99;
        unsigned line = 0;
        const char *err = NULL;

        assert_int_equal(libvirt_conf_parse(text, &e, &n, &line, &err), -EBADMSG);
        assert_non_null(err);
        if (line != want_line || !streq(err, want_error))
                print_error("input %s: got line %u \"%s\"\n", text, line, err);
        assert_int_equal(line, want_line);
        assert_string_equal(err, want_error);
        assert_null(e);       /* nothing returned */
        assert_int_equal(n, 99);
}

static void
test_errors(void **state)
{
        (void) state;
        /* missing '=' */
        assert_parse_error("a = 1\nkey \"v\"\n", 2, "expecting an assignment");
        assert_parse_error("a = 1\n\nkey\n", 3, "expecting an assignment");
        assert_parse_error("key", 1, "expecting an assignment");
        /* the value must be on the line of the '=' */
        assert_parse_error("a =\n1\n", 1, "expecting a value");
        assert_parse_error("a = \n", 1, "expecting a value");
        assert_parse_error("a = -\n", 1, "unterminated number");
        assert_parse_error("a = yes\n", 1, "expecting a value");

        /* unterminated strings; CR ends a line inside a string too */
        assert_parse_error("a = 1\nb = \"abc\nc = \"d\"\n", 2, "unterminated string");
        assert_parse_error("a = 'abc\"\n", 1, "unterminated string");
        assert_parse_error("a = \"abc", 1, "unterminated string");
        assert_parse_error("a = \"x\ry\"\n", 1, "unterminated string");
        assert_parse_error("x = 1\na = \"\"\"abc\n\ndef\n", 4, "unterminated string");
        /* """ needs 7 bytes left: at the very end it is "" then "" */
        assert_parse_error("u = \"\"\"\"\"\"", 1, "expecting a separator");

        /* lists */
        assert_parse_error("a = 1\nl = [ \"a\",\n  \"b\"", 3, "list is not closed with ]");
        assert_parse_error("l = [", 1, "list is not closed with ]");
        assert_parse_error("l = [ \"a\",\n", 2, "expecting a value");
        assert_parse_error("l = [ \"a\" \"b\" ]\n", 1, "expecting a separator in list");
        assert_parse_error("l = [ , ]\n", 1, "expecting a value");
        /* no comments inside a list */
        assert_parse_error("l = [ \"a\", # c\n \"b\" ]\n", 1, "expecting a value");
        assert_parse_error("l = [ \"a\",\n# c\n \"b\" ]\n", 2, "expecting a value");
        assert_parse_error("l = [[[[[[[[[[[[[[[[[[ 1 ]]]]]]]]]]]]]]]]]]\n", 1, "lists nested too deeply");

        /* garbage after the value */
        assert_parse_error("a = \"x\" y\n", 1, "expecting a separator");
        assert_parse_error("a = 1\n\nb = 1 2\n", 3, "expecting a separator");
        assert_parse_error("a = 0x10\n", 1, "expecting a separator");
        assert_parse_error("a = 1.5\n", 1, "expecting a separator");
        assert_parse_error("l = [ 1 ] x\n", 1, "expecting a separator");
        assert_parse_error("u = \"a\"\v\n", 1, "expecting a separator");

        /* names: an ASCII letter first, then letters, digits and '_' */
        assert_parse_error("1abc = 2\n", 1, "expecting a name");
        assert_parse_error("a = 1\n-x = 2\n", 2, "expecting a name");
        assert_parse_error("_x = 1\n", 1, "expecting a name");
        assert_parse_error("a-b = 2\n", 1, "expecting an assignment");
        assert_parse_error("a.b = 2\n", 1, "expecting an assignment");

        /* empty statements: a lone ';', and a file of blanks only */
        assert_parse_error("a = 1;\n; e = 1\n", 2, "expecting a name");
        assert_parse_error("a = 1;; b = 2\n", 1, "expecting a name");
        assert_parse_error("\n", 2, "expecting a name");
        assert_parse_error("  ", 1, "expecting a name");

        /* libvirt wraps what does not fit 64 bits; we refuse it */
        assert_parse_error("a = 18446744073709551616\n", 1, "integer out of range");
        assert_parse_error("a = -9223372036854775809\n", 1, "integer out of range");
}

static void
test_integer_range(void **state)
{
        Parsed p = {};

        (void) state;
        parse_ok("a = 18446744073709551615\nb = -9223372036854775808\nc = -0\nd = +0\n", &p);
        assert_scalar(&p.e[0], "a", LIBVIRT_CONF_LONG, "18446744073709551615", 1);
        assert_scalar(&p.e[1], "b", LIBVIRT_CONF_LONG, "-9223372036854775808", 2);
        assert_scalar(&p.e[2], "c", LIBVIRT_CONF_LONG, "0", 3);
        assert_scalar(&p.e[3], "d", LIBVIRT_CONF_LONG, "0", 4);
        parsed_done(&p);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_scalars),
                cmocka_unit_test(test_empty_and_comments),
                cmocka_unit_test(test_lists),
                cmocka_unit_test(test_triple_quoted),
                cmocka_unit_test(test_semicolons),
                cmocka_unit_test(test_repeated_names),
                cmocka_unit_test(test_errors),
                cmocka_unit_test(test_integer_range),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
