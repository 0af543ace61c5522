/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of src/basic: the integer parsers, strstrip, strv, StrBuf. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "strv.h"
#include "util.h"

static void
test_parse_uint64_ok(void **state)
{
        static const struct {
                const char *s;
                uint64_t want;
        } ok[] = {
                {"0", 0},
                {"42", 42},
                {"010", 10}, /* decimal, not octal */
                {"0x10", 16},
                {"0XfF", 255},
                {"0x0", 0},
                {"18446744073709551615", UINT64_MAX},
                {"0xffffffffffffffff", UINT64_MAX},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(ok); i++) {
                uint64_t v = 7;

                assert_int_equal(parse_uint64(ok[i].s, &v), 0);
                assert_true(v == ok[i].want);
        }
}

static void
test_parse_uint64_bad(void **state)
{
        static const struct {
                const char *s;
                int want;
        } bad[] = {
                {"", -EINVAL},
                {" 1", -EINVAL},
                {"1 ", -EINVAL},
                {"\t1", -EINVAL},
                {"-1", -EINVAL}, /* strtoull would wrap it to UINT64_MAX */
                {"12abc", -EINVAL},
                {"1.5", -EINVAL},
                {"0x", -EINVAL},
                {"0xg", -EINVAL},
                {"0x-1", -EINVAL},
                {"0x 1", -EINVAL},
                {"0x1z", -EINVAL},
                {"abc", -EINVAL},
                {"18446744073709551616", -ERANGE},
                {"99999999999999999999999", -ERANGE},
                {"0x10000000000000000", -ERANGE},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                uint64_t v = 7;

                assert_int_equal(parse_uint64(bad[i].s, &v), bad[i].want);
                assert_true(v == 7); /* ret untouched on failure */
        }
        assert_int_equal(parse_uint64(NULL, &(uint64_t) {0}), -EINVAL);
}

static void
test_parse_int64_ok(void **state)
{
        static const struct {
                const char *s;
                int64_t want;
        } ok[] = {
                {"0", 0},
                {"-0", 0},
                {"+0", 0},
                {"17", 17},
                {"+17", 17},
                {"-17", -17},
                {"0x1f", 31},
                {"-0x10", -16},
                {"+0x10", 16},
                {"9223372036854775807", INT64_MAX},
                {"-9223372036854775808", INT64_MIN},
                {"0x7fffffffffffffff", INT64_MAX},
                {"-0x8000000000000000", INT64_MIN},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(ok); i++) {
                int64_t v = 7;

                assert_int_equal(parse_int64(ok[i].s, &v), 0);
                assert_true(v == ok[i].want);
        }
}

static void
test_parse_int64_bad(void **state)
{
        static const struct {
                const char *s;
                int want;
        } bad[] = {
                {"", -EINVAL},
                {"-", -EINVAL},
                {"+", -EINVAL},
                {"--1", -EINVAL},
                {"+-1", -EINVAL},
                {"-+1", -EINVAL},
                {" -1", -EINVAL},
                {"- 1", -EINVAL},
                {"-1 ", -EINVAL},
                {"1x", -EINVAL},
                {"-0x", -EINVAL},
                {"0x", -EINVAL},
                {"12 34", -EINVAL},
                {"9223372036854775808", -ERANGE},
                {"-9223372036854775809", -ERANGE},
                {"0x8000000000000000", -ERANGE},
                {"-0x8000000000000001", -ERANGE},
                {"18446744073709551616", -ERANGE},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                int64_t v = 7;

                assert_int_equal(parse_int64(bad[i].s, &v), bad[i].want);
                assert_true(v == 7);
        }
        assert_int_equal(parse_int64(NULL, &(int64_t) {0}), -EINVAL);
}

static void
test_parse_mode(void **state)
{
        static const struct {
                const char *s;
                mode_t want;
        } ok[] = {
                {"0", 0}, {"0660", 0660}, {"660", 0660}, {"7777", 07777},
                {"07777", 07777}, {"4755", 04755}, {"00000", 0},
        };
        static const char *const bad[] = {
                "", "8", "0888", "10000", "017777", "000000", "-660", "+660", " 660", "660 ", "0x1ff", "rw",
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(ok); i++) {
                mode_t m = 01;

                assert_int_equal(parse_mode(ok[i].s, &m), 0);
                assert_int_equal(m, ok[i].want);
        }
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                mode_t m = 01;

                assert_int_equal(parse_mode(bad[i], &m), -EINVAL);
                assert_int_equal(m, 01);
        }
}

static void
test_strstrip(void **state)
{
        char a[] = "  \t a b \t\n", b[] = "", c[] = " \n\t ", d[] = "x", e[] = "x  ", f[] = "\v\fx";

        (void) state;
        assert_string_equal(strstrip(a), "a b");
        assert_ptr_equal(strstrip(a), a); /* in place */
        assert_string_equal(strstrip(b), "");
        assert_string_equal(strstrip(c), "");
        assert_string_equal(strstrip(d), "x");
        assert_string_equal(strstrip(e), "x");
        assert_string_equal(strstrip(f), "x");
}

static void
test_startswith_endswith(void **state)
{
        (void) state;
        assert_true(startswith("kconfig:X", "kconfig:"));
        assert_true(startswith("abc", ""));
        assert_false(startswith("ab", "abc"));
        assert_true(endswith("net.xml", ".xml"));
        assert_true(endswith("x", ""));
        assert_false(endswith("ml", ".xml"));
        assert_false(endswith("net.xmlx", ".xml"));
}

static void
test_strv_basic(void **state)
{
        _cleanup_strv_free_ char **l = NULL;

        (void) state;
        assert_int_equal(strv_length(NULL), 0);
        assert_false(strv_contains(NULL, "a"));
        assert_int_equal(strv_extend(&l, "b"), 0);
        assert_int_equal(strv_extend(&l, "a"), 0);
        assert_int_equal(strv_consume(&l, strdup("c")), 0);
        assert_int_equal(strv_consume(&l, NULL), -ENOMEM);
        assert_int_equal(strv_length(l), 3);
        assert_null(l[3]);
        assert_true(strv_contains(l, "a"));
        assert_true(strv_contains(l, "c"));
        assert_false(strv_contains(l, "d"));
        assert_false(strv_contains(l, "")); /* no prefix or empty matches */
        assert_null(strv_free(NULL));
}

static void
test_strv_sort_uniq(void **state)
{
        _cleanup_strv_free_ char **l = NULL, **one = NULL;
        _cleanup_free_ char *j = NULL;
        static const char *const in[] = {"m", "b", "a", "m", "b", "z", "a", "a"};

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(in); i++)
                assert_int_equal(strv_extend(&l, in[i]), 0);
        strv_sort(l);
        j = strv_join(l, ",");
        assert_string_equal(j, "a,a,a,b,b,m,m,z");
        free(j);
        strv_uniq(l); /* the duplicates are freed: ASan checks that */
        assert_int_equal(strv_length(l), 4);
        j = strv_join(l, ",");
        assert_string_equal(j, "a,b,m,z");

        /* Adjacent only: an unsorted list keeps non-adjacent duplicates. */
        assert_int_equal(strv_extend(&one, "x"), 0);
        assert_int_equal(strv_extend(&one, "y"), 0);
        assert_int_equal(strv_extend(&one, "x"), 0);
        strv_uniq(one);
        assert_int_equal(strv_length(one), 3);

        strv_uniq(NULL);
        strv_sort(NULL);
}

static void
test_strv_join(void **state)
{
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL, *d = NULL;
        char *empty[] = {NULL};

        (void) state;
        a = strv_join(NULL, ",");
        assert_string_equal(a, "");
        b = strv_join(empty, ", ");
        assert_string_equal(b, "");
        assert_int_equal(strv_extend(&l, "one"), 0);
        c = strv_join(l, ", ");
        assert_string_equal(c, "one");
        assert_int_equal(strv_extend(&l, ""), 0);
        assert_int_equal(strv_extend(&l, "three"), 0);
        d = strv_join(l, " | ");
        assert_string_equal(d, "one |  | three");
}

static void
test_strbuf(void **state)
{
        StrBuf b = {};
        char *s;
        char big[1000];

        (void) state;
        /* An empty buffer steals as "", not NULL. */
        s = strbuf_steal(&b);
        assert_non_null(s);
        assert_string_equal(s, "");
        free(s);

        strbuf_append(&b, "ab");
        strbuf_appendn(&b, "cdef", 2);
        strbuf_printf(&b, "-%d-%s", 42, "x");
        assert_int_equal(b.len, 9);
        assert_string_equal(b.s, "abcd-42-x");

        /* Grow well past the first allocation. */
        memset(big, 'q', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        strbuf_append(&b, big);
        strbuf_printf(&b, "%s|", big);
        assert_int_equal(b.len, 9 + 999 + 1000);
        assert_true(b.cap > b.len);
        assert_int_equal(strlen(b.s), b.len);
        assert_int_equal(b.s[b.len - 1], '|');
        s = strbuf_steal(&b);
        assert_int_equal(strlen(s), 2008);
        assert_null(b.s); /* reset by steal */
        assert_int_equal(b.len, 0);
        free(s);

        /* After a failed append the buffer yields NULL and frees itself. */
        strbuf_append(&b, "lost");
        b.oom = true;
        strbuf_append(&b, "more");
        assert_int_equal(b.len, 4);
        assert_null(strbuf_steal(&b));
        assert_null(b.s);

        strbuf_append(&b, "x");
        strbuf_done(&b);
        assert_null(b.s);
        assert_int_equal(b.len, 0);
        strbuf_done(&b); /* twice is fine */
}

static void
test_text_helpers(void **state)
{
        char s[] = "ok\x01\x7f\xc3\xa9 end";
        _cleanup_free_ char *x = xasprintf("%s=%d", "a", 5);

        (void) state;
        assert_string_equal(x, "a=5");
        assert_true(text_is_printable("a\tb\nc\r", 6));
        assert_false(text_is_printable("a\0b", 3));
        assert_false(text_is_printable("\x1b[0m", 4));
        assert_true(text_is_printable("\xc3\xa9", 2)); /* UTF-8 passes */
        text_sanitize(s);
        assert_string_equal(s, "ok???? end");
        text_sanitize(NULL);
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_parse_uint64_ok),
                cmocka_unit_test(test_parse_uint64_bad),
                cmocka_unit_test(test_parse_int64_ok),
                cmocka_unit_test(test_parse_int64_bad),
                cmocka_unit_test(test_parse_mode),
                cmocka_unit_test(test_strstrip),
                cmocka_unit_test(test_startswith_endswith),
                cmocka_unit_test(test_strv_basic),
                cmocka_unit_test(test_strv_sort_uniq),
                cmocka_unit_test(test_strv_join),
                cmocka_unit_test(test_strbuf),
                cmocka_unit_test(test_text_helpers),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
