/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * What lsm.apparmor-profile-minimal compares, read from the host:
 *
 *   aaprofile:libvirt-UUID  the rules of the per-VM profile source libvirt
 *                           keeps (/etc/apparmor.d/libvirt/libvirt-UUID and
 *                           the libvirt-UUID.files it includes, written by
 *                           virt-aa-helper), one normalized rule per item
 *   realpath:PATH           PATH with every symlink resolved
 *   imagehead:PATH          the first bytes of a file, in hex ("dir" for a
 *                           directory, "other" for a device, FIFO, socket)
 *
 * The last two are what the profile generator asks its ProfileHost, so
 * that a check can run the generator on facts.  The kernel holds the
 * loaded profile only in compiled form; the source on disk is what can be
 * compared, and libvirt rewrites it each time it (re)loads the profile.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host.h"
#include "probes.h"
#include "strv.h"
#include "util.h"

#define AAPROFILE_DIR "/etc/apparmor.d/libvirt"
/* A .files of a VM with hundreds of disks stays far below this. */
#define AAPROFILE_FILE_MAX (1024U * 1024U)
/* As PROFILE_IMAGE_HEAD_MAX: what the generator reads of an image. */
#define IMAGEHEAD_MAX (64U * 1024U)
#define REALPATH_MAX 4096U

/* Keywords of AppArmor rules that are not file rules; recorded as written
 * (whitespace collapsed), so that a check can list them. */
static const char *const non_file_keywords[] = {
        "all", "capability", "change_hat", "change_profile", "dbus", "file", "io_uring", "link",
        "mount", "mqueue", "network", "pivot_root", "ptrace", "remount", "rlimit", "set", "signal",
        "umount", "unix", "userns",
};

/* Words that may precede a rule: audit and the owner/other conditionals
 * only narrow or log a grant, so the rule counts as written; allow is the
 * default. */
static const char *const qualifiers[] = {"allow", "audit", "other", "owner"};

static bool
word_in(const char *w, size_t n, const char *const *set, size_t n_set)
{
        for (size_t i = 0; i < n_set; i++)
                if (strlen(set[i]) == n && strneq(w, set[i], n))
                        return true;
        return false;
}

/* End of the token at @p: a quoted string (with backslash escapes) or a
 * run of non-space characters.  NULL for an unterminated quote. */
/* Whitespace as token_end() sees it: a \r or \f must end a token and be
 * skipped the same way, or a tokenizer loop stands still on it. */
static const char *
skip_space(const char *p)
{
        while (*p && isspace((unsigned char) *p))
                p++;
        return p;
}

static const char *
token_end(const char *p)
{
        if (*p == '"') {
                for (p++; *p && *p != '"'; p++)
                        if (*p == '\\' && p[1])
                                p++;
                return *p == '"' ? p + 1 : NULL;
        }
        while (*p && !isspace((unsigned char) *p))
                p++;
        return p;
}

static bool
perms_valid(const char *p, size_t n)
{
        if (n == 0 || n > 16)
                return false;
        for (size_t i = 0; i < n; i++)
                if (!strchr("rwaklmixpucPUCI", p[i]))
                        return false;
        return true;
}

/* A path token: "/x", "@{VAR}/x" or a quoted one.  Quotes are removed,
 * escapes kept (the rule stays an AppArmor expression). */
static char *
path_from_token(const char *p, size_t n)
{
        if (n >= 2 && p[0] == '"')
                p++, n -= 2;
        if (n == 0 || n > REALPATH_MAX || (p[0] != '/' && p[0] != '@'))
                return NULL;
        return strndup(p, n);
}

/* Removes a '#' comment that is outside quotes (not "#include"). */
static void
strip_comment(char *line)
{
        bool quoted = false;

        for (char *c = line; *c; c++) {
                if (*c == '\\' && c[1])
                        c++;
                else if (*c == '"')
                        quoted = !quoted;
                else if (*c == '#' && !quoted) {
                        *c = '\0';
                        return;
                }
        }
}

static int _printf_(3, 4)
parse_fail(char **ret_error, int err, const char *fmt, ...)
{
        va_list ap;

        if (ret_error) {
                va_start(ap, fmt);
                if (vasprintf(ret_error, fmt, ap) < 0)
                        *ret_error = NULL;
                va_end(ap);
        }
        return err;
}

/* "include <X>" for "#include <X>", "include <X>", "include if exists <X>". */
static int
parse_include(const char *line, char **ret)
{
        const char *p = line + (line[0] == '#' ? 1 : 0);

        p += strlen("include");
        p = skip_space(p);
        if (startswith(p, "if exists")) {
                p += strlen("if exists");
                p = skip_space(p);
        }
        if ((p[0] != '<' || !endswith(p, ">")) && (p[0] != '"' || !endswith(p, "\"") || strlen(p) < 2))
                return -EBADMSG;
        if (strlen(p) < 3)
                return -EBADMSG;
        *ret = xasprintf("include %s", p);
        return *ret ? 0 : -ENOMEM;
}

/* One rule line without its comma: the normalized item, NULL for a rule
 * that grants nothing (deny). */
static int
parse_rule(char *rule, char **ret)
{
        const char *p = rule, *e, *first, *second;
        size_t n1, n2;

        /* qualifiers */
        for (;;) {
                p = skip_space(p);
                e = token_end(p);
                if (!e)
                        return -EBADMSG;
                if (e - p == 4 && strneq(p, "deny", 4)) {
                        *ret = NULL; /* a deny rule only removes */
                        return 0;
                }
                if (!word_in(p, (size_t) (e - p), qualifiers, ELEMENTSOF(qualifiers)))
                        break;
                p = e;
        }
        if (!*p)
                return -EBADMSG;
        /* "file PATH PERMS" is a file rule; "file" alone grants everything. */
        if (startswith(p, "file") && isspace((unsigned char) p[4])) {
                const char *q = skip_space(p + 4);
                if (*q == '/' || *q == '"' || *q == '@' || isalpha((unsigned char) *q))
                        p = q;
        }
        first = p;
        e = token_end(first);
        if (!e)
                return -EBADMSG;
        n1 = (size_t) (e - first);
        if (word_in(first, n1, non_file_keywords, ELEMENTSOF(non_file_keywords))) {
                StrBuf b = {};
                for (const char *c = first; *c;) {
                        const char *te = token_end(c);
                        if (!te) {
                                strbuf_done(&b);
                                return -EBADMSG;
                        }
                        if (b.len > 0)
                                strbuf_append(&b, " ");
                        strbuf_appendn(&b, c, (size_t) (te - c));
                        c = skip_space(te);
                }
                *ret = strbuf_steal(&b);
                return *ret ? 0 : -ENOMEM;
        }
        second = skip_space(e);
        e = token_end(second);
        if (!e || e == second)
                return -EBADMSG;
        n2 = (size_t) (e - second);
        /* Anything after the permissions must be "-> TARGET" (an exec
         * transition or link target), which does not widen the grant. */
        e = skip_space(e);
        if (*e && !startswith(e, "->"))
                return -EBADMSG;

        _cleanup_free_ char *path = NULL;
        const char *perms;
        size_t pn;
        if (perms_valid(second, n2)) {
                path = path_from_token(first, n1);
                perms = second, pn = n2;
        } else if (perms_valid(first, n1)) {
                path = path_from_token(second, n2);
                perms = first, pn = n1;
        } else
                return -EBADMSG;
        if (!path)
                return -EBADMSG;
        *ret = xasprintf("%s %.*s", path, (int) pn, perms);
        return *ret ? 0 : -ENOMEM;
}

int
probe_apparmor_rules_parse(const char *text, const char *origin, const char *skip_include, char ***rules,
                           char **ret_error)
{
        _cleanup_free_ char *copy = strdup(text);
        unsigned lineno = 0, depth = 0;
        char *line, *next;
        int r;

        if (!copy)
                return -ENOMEM;
        for (line = copy; line; line = next) {
                _cleanup_free_ char *item = NULL;

                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                lineno++;
                line = strstrip(line);
                if (strlen(line) > PROBE_AA_LINE_MAX)
                        return parse_fail(ret_error, -EBADMSG, "%s:%u: line longer than %u bytes", origin, lineno,
                                          PROBE_AA_LINE_MAX);
                if (startswith(line, "#include") || (startswith(line, "include") && isspace((unsigned char) line[7]))) {
                        r = parse_include(line, &item);
                        if (r == -ENOMEM)
                                return r;
                        if (r < 0)
                                return parse_fail(ret_error, -EBADMSG, "%s:%u: cannot parse include \"%.64s\"",
                                                  origin, lineno, line);
                        if (skip_include && streq(item + strlen("include "), skip_include))
                                continue;
                } else {
                        strip_comment(line);
                        line = strstrip(line);
                        if (!*line)
                                continue;
                        if (endswith(line, "{")) {
                                if (depth > 0 || !startswith(line, "profile "))
                                        return parse_fail(ret_error, -EBADMSG,
                                                          "%s:%u: nested profile or block \"%.64s\" is not supported",
                                                          origin, lineno, line);
                                depth++;
                                continue;
                        }
                        if (streq(line, "}")) {
                                if (depth == 0)
                                        return parse_fail(ret_error, -EBADMSG, "%s:%u: '}' without a block", origin,
                                                          lineno);
                                depth--;
                                continue;
                        }
                        if (!endswith(line, ","))
                                return parse_fail(ret_error, -EBADMSG, "%s:%u: cannot parse \"%.64s\" (a rule ends "
                                                  "with ',')", origin, lineno, line);
                        line[strlen(line) - 1] = '\0';
                        r = parse_rule(line, &item);
                        if (r == -ENOMEM)
                                return r;
                        if (r < 0)
                                return parse_fail(ret_error, -EBADMSG, "%s:%u: cannot parse rule \"%.64s\"", origin,
                                                  lineno, line);
                        if (!item)
                                continue;
                }
                if (strv_length(*rules) >= PROBE_AA_RULES_MAX)
                        return parse_fail(ret_error, -E2BIG, "%s: more than %u rules", origin, PROBE_AA_RULES_MAX);
                text_sanitize(item);
                r = strv_consume(rules, TAKE_PTR(item));
                if (r < 0)
                        return r;
        }
        if (depth != 0)
                return parse_fail(ret_error, -EBADMSG, "%s: unterminated profile block", origin);
        return 0;
}

static bool
profile_name_valid(const char *name)
{
        const char *u;

        if (!startswith(name, "libvirt-"))
                return false;
        u = name + strlen("libvirt-");
        if (strlen(u) != 36)
                return false;
        for (size_t i = 0; i < 36; i++) {
                bool dash = i == 8 || i == 13 || i == 18 || i == 23;
                if (dash ? u[i] != '-' : !isxdigit((unsigned char) u[i]))
                        return false;
        }
        return true;
}

int
probe_aaprofile_load_one(FactStore *s, Host *h, const char *name)
{
        _cleanup_free_ char *key = xasprintf("aaprofile:%s", name), *main_path = NULL, *files_path = NULL,
                            *main_text = NULL, *files_text = NULL, *include = NULL, *error = NULL;
        _cleanup_strv_free_ char **rules = NULL;
        int r;

        if (!key)
                return -ENOMEM;
        if (!profile_name_valid(name))
                return fact_store_set_error(s, key, -EINVAL, "%s: not a libvirt-UUID profile name", name);
        main_path = xasprintf(AAPROFILE_DIR "/%s", name);
        files_path = xasprintf(AAPROFILE_DIR "/%s.files", name);
        include = xasprintf("<libvirt/%s.files>", name);
        if (!main_path || !files_path || !include)
                return -ENOMEM;
        r = host_read_text(h, files_path, AAPROFILE_FILE_MAX, &files_text);
        if (r < 0)
                return probe_record_error(s, key, files_path, r); /* ENOENT: absent */
        r = host_read_text(h, main_path, AAPROFILE_FILE_MAX, &main_text);
        if (r < 0 && r != -ENOENT)
                return probe_record_error(s, key, main_path, r);
        if (main_text) {
                r = probe_apparmor_rules_parse(main_text, main_path, include, &rules, &error);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return fact_store_set_error(s, key, r, "%s", strna(error));
        }
        r = probe_apparmor_rules_parse(files_text, files_path, NULL, &rules, &error);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return fact_store_set_error(s, key, r, "%s", strna(error));
        if (!rules && !(rules = calloc(1, sizeof(char *))))
                return -ENOMEM;
        Fact f = {.kind = FACT_LIST, .list = TAKE_PTR(rules)};
        return fact_store_put(s, key, &f);
}

int
probe_realpath_load_one(FactStore *s, Host *h, const char *name)
{
        _cleanup_free_ char *key = xasprintf("realpath:%s", name), *real = NULL;
        int r;

        if (!key)
                return -ENOMEM;
        if (name[0] != '/' || strlen(name) > REALPATH_MAX)
                return fact_store_set_error(s, key, -EINVAL, "%s: expected an absolute path", name);
        r = host_resolve(h, name, &real);
        if (r == -ENOTDIR)
                r = -ENOENT;
        if (r < 0)
                return probe_record_error(s, key, name, r);
        return fact_store_set_string(s, key, real);
}

int
probe_imagehead_load_one(FactStore *s, Host *h, const char *name)
{
        static const char hex[] = "0123456789abcdef";
        _cleanup_free_ char *key = xasprintf("imagehead:%s", name), *buf = NULL, *out = NULL;
        size_t len = 0;
        int r;

        if (!key)
                return -ENOMEM;
        if (name[0] != '/' || strlen(name) > REALPATH_MAX)
                return fact_store_set_error(s, key, -EINVAL, "%s: expected an absolute path", name);
        /* Disk sources are often block devices: host_read_head() reports
         * them (-EBADFD) without opening them. */
        r = host_read_head(h, name, IMAGEHEAD_MAX, &buf, &len);
        if (r == -ENOTDIR)
                r = -ENOENT;
        if (r == -EISDIR)
                return fact_store_set_string(s, key, "dir");
        if (r == -EBADFD)
                return fact_store_set_string(s, key, "other");
        if (r < 0)
                return probe_record_error(s, key, name, r);
        out = malloc(len * 2 + 1);
        if (!out)
                return -ENOMEM;
        for (size_t i = 0; i < len; i++) {
                out[2 * i] = hex[(unsigned char) buf[i] >> 4];
                out[2 * i + 1] = hex[(unsigned char) buf[i] & 0xf];
        }
        out[len * 2] = '\0';
        return fact_store_set_string(s, key, out);
}
