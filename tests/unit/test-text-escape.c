/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Unit tests of src/basic/text-escape.c: one escaping helper per output
 * syntax, on the hostile strings a report can carry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "text-escape.h"
#include "util.h"

typedef struct Case {
        EscapeStyle style;
        const char *in, *want;
} Case;

/* Every case through both writers: the string and the FILE one. */
static void
check_cases(const Case *cases, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *got = text_escape(cases[i].style, cases[i].in), *mem = NULL;
                size_t mem_len = 0;
                FILE *f;

                assert_non_null(got);
                if (!streq(got, cases[i].want))
                        print_error("case %zu: style %d, got \"%s\", want \"%s\"\n", i, cases[i].style, got,
                                    cases[i].want);
                assert_string_equal(got, cases[i].want);

                f = open_memstream(&mem, &mem_len);
                assert_non_null(f);
                fputs_escaped(f, cases[i].style, cases[i].in);
                assert_int_equal(fclose(f), 0);
                assert_string_equal(mem, cases[i].want);
                /* plain means written as it is */
                if (cases[i].in && escape_is_plain(cases[i].style, cases[i].in))
                        assert_string_equal(cases[i].in, cases[i].want);
        }
}

static void
test_utf8_decode(void **state)
{
        static const struct {
                const char *in;
                size_t len;
                uint32_t cp;
        } cases[] = {
                {"a", 1, 'a'},
                {"\x7f", 1, 0x7f},
                {"\xc2\x9b", 2, 0x9b},                  /* C1 CSI */
                {"\xc3\xa9", 2, 0xe9},                  /* é */
                {"\xe2\x80\xae", 3, 0x202e},            /* RIGHT-TO-LEFT OVERRIDE */
                {"\xef\xbf\xbe", 3, 0xfffe},
                {"\xf0\x9f\x92\xa9", 4, 0x1f4a9},
                {"\xf4\x8f\xbf\xbf", 4, 0x10ffff},
                {"\x80", 0, 0},                         /* stray continuation */
                {"\xc0\x80", 0, 0},                     /* overlong NUL */
                {"\xc1\xbf", 0, 0},
                {"\xe0\x80\x80", 0, 0},                 /* overlong */
                {"\xf0\x80\x80\x80", 0, 0},             /* overlong */
                {"\xed\xa0\x80", 0, 0},                 /* lone surrogate U+D800 */
                {"\xed\xbf\xbf", 0, 0},                 /* lone surrogate U+DFFF */
                {"\xf4\x90\x80\x80", 0, 0},             /* beyond U+10FFFF */
                {"\xf5\x80\x80\x80", 0, 0},
                {"\xe2\x82", 0, 0},                     /* cut short by the NUL */
                {"\xff", 0, 0},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                uint32_t cp = 0xdead;
                size_t n = utf8_decode(cases[i].in, &cp);

                assert_int_equal(n, cases[i].len);
                if (n > 0)
                        assert_int_equal(cp, cases[i].cp);
        }
}

static void
test_escape_line(void **state)
{
        static const Case cases[] = {
                {ESCAPE_LINE, "plain text, /boot/config-6.1.0-18-amd64", "plain text, /boot/config-6.1.0-18-amd64"},
                {ESCAPE_LINE, "evil\r\nScore: 100.0/100", "evil\\r\\nScore: 100.0/100"},
                {ESCAPE_LINE, "config-\x1b[2J\x1b]0;t\x07", "config-\\x1b[2J\\x1b]0;t\\x07"},
                {ESCAPE_LINE, "6.1.0\xc2\x9b" "31m", "6.1.0\\u009b31m"},
                {ESCAPE_LINE, "a\tb\x7f\x01", "a\\tb\\x7f\\x01"},
                {ESCAPE_LINE, "caf\xc3\xa9 \xe2\x9c\x93", "caf\xc3\xa9 \xe2\x9c\x93"},
                {ESCAPE_LINE, "ab\xe2\x80\xae" "cd", "ab\\u202ecd"},
                {ESCAPE_LINE, "line\xe2\x80\xa8sep", "line\\u2028sep"},
                {ESCAPE_LINE, "\xef\xbf\xbe\xef\xbf\xbf", "\\ufffe\\uffff"},
                {ESCAPE_LINE, "bad \xff\xfe utf8 \xc3", "bad \\xff\\xfe utf8 \\xc3"},
                {ESCAPE_LINE, "\xed\xa0\x80", "\\xed\\xa0\\x80"},
                {ESCAPE_LINE, "back\\slash \\x1b", "back\\slash \\x1b"},
                {ESCAPE_LINE, "", ""},
                {ESCAPE_LINE, NULL, ""},
        };

        (void) state;
        check_cases(cases, ELEMENTSOF(cases));
}

static void
test_escape_lines(void **state)
{
        static const Case cases[] = {
                {ESCAPE_LINES, "observed: a\nexpected:\tb", "observed: a\nexpected:\tb"},
                {ESCAPE_LINES, "cr\r here", "cr\\r here"},
                {ESCAPE_LINES, "x\xef\xbf\xbey\xef\xbf\xbfz", "x\\ufffey\\uffffz"},
                {ESCAPE_LINES, "\x1b[31m\x0b\x0c", "\\x1b[31m\\x0b\\x0c"},
                {ESCAPE_LINES, "\xc2\x85next line", "\\u0085next line"},
                {ESCAPE_LINES, "\xed\xb0\x80 lone", "\\xed\\xb0\\x80 lone"},
                /* XML specials are libxml2's job */
                {ESCAPE_LINES, "<a href=\"x\">&</a>", "<a href=\"x\">&</a>"},
        };

        (void) state;
        check_cases(cases, ELEMENTSOF(cases));
}

static void
test_escape_html(void **state)
{
        static const Case cases[] = {
                {ESCAPE_HTML, "<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"},
                {ESCAPE_HTML, "a\"b'c&d", "a&quot;b&#39;c&amp;d"},
                {ESCAPE_HTML, "two\nlines\x1b", "two\nlines\\x1b"},
                {ESCAPE_HTML_LINE, "two\nlines", "two\\nlines"},
                {ESCAPE_HTML_LINE, "</summary>\n\n<img>", "&lt;/summary&gt;\\n\\n&lt;img&gt;"},
                {ESCAPE_HTML_LINE, "\xc2\x9b\xff", "\\u009b\\xff"},
        };

        (void) state;
        check_cases(cases, ELEMENTSOF(cases));
}

static void
test_escape_markdown(void **state)
{
        static const Case cases[] = {
                {ESCAPE_MARKDOWN, "a|b", "a\\|b"},
                {ESCAPE_MARKDOWN, "`x` <img src=x> <a href=y>", "\\`x\\` \\<img src=x\\> \\<a href=y\\>"},
                {ESCAPE_MARKDOWN, "![p](https://e/p.png) [l](u)", "!\\[p\\](https://e/p.png) \\[l\\](u)"},
                {ESCAPE_MARKDOWN, "&lt; *em* ~s~ #h", "\\&lt; \\*em\\* \\~s\\~ \\#h"},
                {ESCAPE_MARKDOWN, "kvm_intel _x_", "kvm_intel \\_x\\_"},
                {ESCAPE_MARKDOWN, "a\nb\r\x1b", "a<br>b\\r\\x1b"},
                {ESCAPE_MARKDOWN, "back\\slash", "back\\\\slash"},
                {ESCAPE_MARKDOWN_CODE, "devices.kvm-node-mode", "`devices.kvm-node-mode`"},
                {ESCAPE_MARKDOWN_CODE, "x` | <img src=x>", "x\\` \\| \\<img src=x\\>"},
                {ESCAPE_MARKDOWN_CODE, "id\nScore", "id<br>Score"},
                {ESCAPE_MARKDOWN_CODE, "", ""},
        };

        (void) state;
        check_cases(cases, ELEMENTSOF(cases));
}

static void
test_escape_markdown_prose(void **state)
{
        static const Case cases[] = {
                /* the catalogue's own prose is unchanged */
                {ESCAPE_MARKDOWN_PROSE, "Set `user = \"qemu\"` in qemu.conf, e.g. api.*",
                 "Set `user = \"qemu\"` in qemu.conf, e.g. api.*"},
                {ESCAPE_MARKDOWN_PROSE, "Run `a|b <c>` then <x>", "Run `a|b <c>` then \\<x\\>"},
                {ESCAPE_MARKDOWN_PROSE, "unpaired ` <img>", "unpaired \\` \\<img\\>"},
                /* runs pair by length (CommonMark): `` ... `` holds a single ` */
                {ESCAPE_MARKDOWN_PROSE, "``a`b`` [x](y)", "``a`b`` \\[x\\](y)"},
                {ESCAPE_MARKDOWN_PROSE, "`x`` <img>", "\\`x\\`\\` \\<img\\>"},
                {ESCAPE_MARKDOWN_PROSE, "``x`<img>`", "\\`\\`x`<img>`"},
                {ESCAPE_MARKDOWN_PROSE, "`a\nb\x1b` c\nd", "`a b\\x1b` c<br>d"},
                {ESCAPE_MARKDOWN_PROSE, "never set [].", "never set \\[\\]."},
        };

        (void) state;
        check_cases(cases, ELEMENTSOF(cases));
}

static void
test_escape_prometheus(void **state)
{
        static const Case cases[] = {
                {ESCAPE_PROMETHEUS, "host-1.example", "host-1.example"},
                {ESCAPE_PROMETHEUS, "a\"b\\c\nd", "a\\\"b\\\\c\\nd"},
                {ESCAPE_PROMETHEUS, "\x1b[2J\r", "\\\\x1b[2J\\\\r"},
                {ESCAPE_PROMETHEUS, "\xc2\x9b\xff", "\\\\u009b\\\\xff"},
                {ESCAPE_PROMETHEUS, "\"} 1\nkvmaudit_score 100", "\\\"} 1\\nkvmaudit_score 100"},
        };

        (void) state;
        check_cases(cases, ELEMENTSOF(cases));
}

static void
test_json_safe(void **state)
{
        static const struct {
                const char *in, *want;
        } cases[] = {
                {"{\n  \"a\": \"plain \\u001b caf\xc3\xa9\"\n}", "{\n  \"a\": \"plain \\u001b caf\xc3\xa9\"\n}"},
                {"{\"a\": \"x\x7fy\xc2\x9bz\"}", "{\"a\": \"x\\u007fy\\u009bz\"}"},
                {"{\"a\": \"\xff\xed\xa0\x80\"}", "{\"a\": \"\\\\xff\\\\xed\\\\xa0\\\\x80\"}"},
                {"[\"\xe2\x80\xae\xef\xbf\xbf\"]", "[\"\\u202e\\uffff\"]"},
        };

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                StrBuf b = {};
                _cleanup_free_ char *got = NULL;

                strbuf_append_json_safe(&b, cases[i].in);
                got = strbuf_steal(&b);
                assert_non_null(got);
                assert_string_equal(got, cases[i].want);
        }
}

/* A long hostile string: every byte escaped, none lost, no quadratic cost. */
static void
test_escape_long(void **state)
{
        const size_t n = 1u << 20;
        _cleanup_free_ char *in = malloc(n + 1), *got = NULL;

        (void) state;
        assert_non_null(in);
        memset(in, '\x1b', n);
        in[n] = '\0';
        got = text_escape(ESCAPE_LINE, in);
        assert_non_null(got);
        assert_int_equal(strlen(got), 4 * n);
        assert_memory_equal(got + 4 * (n - 1), "\\x1b", 4);
}

static void
test_codepoint_special(void **state)
{
        static const uint32_t special[] = {0x00, 0x0a, 0x1f, 0x7f, 0x80, 0x9b, 0x9f, 0x061c, 0x200e, 0x200f,
                                           0x2028, 0x2029, 0x202a, 0x202e, 0x2066, 0x2069, 0xfffe, 0xffff};
        static const uint32_t plain[] = {0x20, 0x7e, 0xa0, 0xe9, 0x2027, 0x202f, 0x2065, 0x206a, 0xfffd,
                                         0x1fffe, 0x10ffff};

        (void) state;
        for (size_t i = 0; i < ELEMENTSOF(special); i++)
                assert_true(escape_codepoint_special(special[i]));
        for (size_t i = 0; i < ELEMENTSOF(plain); i++)
                assert_false(escape_codepoint_special(plain[i]));
}

int
main(void)
{
        const struct CMUnitTest tests[] = {
                cmocka_unit_test(test_utf8_decode),
                cmocka_unit_test(test_escape_line),
                cmocka_unit_test(test_escape_lines),
                cmocka_unit_test(test_escape_html),
                cmocka_unit_test(test_escape_markdown),
                cmocka_unit_test(test_escape_markdown_prose),
                cmocka_unit_test(test_escape_prometheus),
                cmocka_unit_test(test_json_safe),
                cmocka_unit_test(test_escape_long),
                cmocka_unit_test(test_codepoint_special),
        };

        return cmocka_run_group_tests(tests, NULL, NULL);
}
