/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Every renderer on a report read from the input ("kvmaudit report FILE
 * -f F" and "kvmaudit diff FILE FILE"), and every escaping style of
 * text-escape.h on the input itself.  Besides crashes, it aborts when
 * what the issue called a forged report comes out: a raw control
 * character in the text report or an escaped string, a second "Score:"
 * line, output that is not UTF-8.
 */
#include <stdbool.h>
#include <stdio.h>

#include "fuzz-common.h"
#include "report-diff.h"
#include "report-load.h"
#include "text-escape.h"

/* No C0 but @keep, no DEL, no C1, no special code point, valid UTF-8. */
static void
assert_safe(const char *s, size_t len, const char *keep)
{
        for (size_t i = 0; i < len;) {
                uint32_t cp;
                size_t n = utf8_decode(s + i, &cp);

                if (n == 0)
                        abort();        /* not UTF-8 */
                if (escape_codepoint_special(cp) && !(cp < 0x80 && strchr(keep, (int) cp)))
                        abort();        /* raw control character */
                i += n;
        }
}

static void
check_escapes(const char *text)
{
        static const struct {
                EscapeStyle style;
                const char *keep;
        } styles[] = {
                {ESCAPE_LINE, ""},
                {ESCAPE_LINES, "\n\t"},
                {ESCAPE_HTML, "\n\t"},
                {ESCAPE_HTML_LINE, ""},
                {ESCAPE_MARKDOWN, ""},
                {ESCAPE_MARKDOWN_CODE, ""},
                {ESCAPE_MARKDOWN_PROSE, ""},
                {ESCAPE_PROMETHEUS, ""},
        };

        for (size_t i = 0; i < sizeof(styles) / sizeof(styles[0]); i++) {
                char *e = text_escape(styles[i].style, text);

                if (!e)
                        continue;
                assert_safe(e, strlen(e), styles[i].keep);
                /* a markdown or Prometheus value never starts a line */
                if ((styles[i].style == ESCAPE_MARKDOWN || styles[i].style == ESCAPE_PROMETHEUS ||
                     styles[i].style == ESCAPE_HTML_LINE) && strchr(e, '\n'))
                        abort();
                free(e);
        }
}

/* The text report: safe, and exactly one line starting with "Score:". */
static void
check_text(const char *out, size_t len)
{
        unsigned scores = 0;

        assert_safe(out, len, "\n");
        for (const char *p = out; p && p < out + len; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
                scores += strncmp(p, "Score:", 6) == 0;
        if (scores != 1)
                abort();
}

static void
render_all(const Report *rep)
{
        static const char *const formats[] = {"text", "json", "junit", "markdown", "sarif", "prometheus", "html",
                                                    "xccdf"};
        RenderOptions o = {};
        ReportDiff d = {};

        for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
                char *out = NULL;
                size_t len = 0;
                FILE *f = open_memstream(&out, &len);

                if (!f)
                        return;
                if (renderer_find(formats[i])->render(rep, &o, f) < 0) {
                        fclose(f);
                        free(out);
                        continue;
                }
                fclose(f);
                if (streq(formats[i], "text"))
                        check_text(out, len);
                else if (!streq(formats[i], "json") && !streq(formats[i], "sarif"))
                        /* JSON writes \u escapes; the rest allows tab and newline */
                        assert_safe(out, len, "\n\t");
                free(out);
        }
        if (report_diff(rep, rep, &d) < 0)
                return;
        {
                char *out = NULL;
                size_t len = 0;
                FILE *f = open_memstream(&out, &len);

                if (f) {
                        if (render_diff_text(&d, &o, f) >= 0 && render_diff_markdown(&d, &o, f) >= 0) {
                                fclose(f);
                                assert_safe(out, len, "\n");
                        } else
                                fclose(f);
                        free(out);
                }
        }
        report_diff_done(&d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
        char *text = fuzz_strndup(data, size);
        LoadedReport l = {};
        char *err = NULL;

        if (!text)
                return 0;
        check_escapes(text);
        if (report_load_json(text, "fuzz.json", &l, &err) >= 0) {
                render_all(&l.report);
                /* the per-control view of the controls the input carries */
                if (report_controls(&l.report, FRAMEWORK_NIST_800_53) >= 0)
                        render_all(&l.report);
                loaded_report_done(&l);
        } else if (err)
                check_escapes(err);
        free(err);
        free(text);
        return 0;
}
