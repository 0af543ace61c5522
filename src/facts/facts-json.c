/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <json-c/json.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "facts-json.h"
#include "strv.h"
#include "util.h"

static const struct {
        mode_t type;
        const char *name;
} stat_types[] = {
        {S_IFREG, "reg"}, {S_IFDIR, "dir"}, {S_IFCHR, "chr"}, {S_IFBLK, "blk"},
        {S_IFLNK, "lnk"}, {S_IFIFO, "fifo"}, {S_IFSOCK, "sock"},
};

static json_object *
fact_to_json(const Fact *f)
{
        json_object *o, *st, *a;
        char buf[16];

        switch (f->kind) {
        case FACT_ABSENT:
                return NULL;
        case FACT_STRING:
                return json_object_new_string(f->string);
        case FACT_LIST:
                a = json_object_new_array();
                STRV_FOREACH(s, f->list)
                        json_object_array_add(a, json_object_new_string(*s));
                return a;
        case FACT_STAT:
                o = json_object_new_object();
                st = json_object_new_object();
                json_object_object_add(st, "type", json_object_new_string(fact_stat_type(f->stat.mode)));
                snprintf(buf, sizeof(buf), "%04o", (unsigned) (f->stat.mode & 07777));
                json_object_object_add(st, "mode", json_object_new_string(buf));
                json_object_object_add(st, "uid", json_object_new_int64(f->stat.uid));
                json_object_object_add(st, "gid", json_object_new_int64(f->stat.gid));
                if (S_ISCHR(f->stat.mode) || S_ISBLK(f->stat.mode)) {
                        snprintf(buf, sizeof(buf), "%u:%u", f->stat.major, f->stat.minor);
                        json_object_object_add(st, "rdev", json_object_new_string(buf));
                }
                a = json_object_new_array();
                STRV_FOREACH(s, f->stat.acl)
                        json_object_array_add(a, json_object_new_string(*s));
                json_object_object_add(st, "acl", a);
                json_object_object_add(o, "stat", st);
                return o;
        case FACT_ERROR:
                o = json_object_new_object();
                json_object_object_add(o, "error", json_object_new_string(f->string ? f->string : "error"));
                json_object_object_add(o, "errno", json_object_new_int(-f->error));
                return o;
        default:
                return NULL;
        }
}

static int
cmp_str(const void *a, const void *b)
{
        return strcmp(*(char *const *) a, *(char *const *) b);
}

/* Whether sorted list @l holds @s. */
static bool
sorted_contains(char *const *l, size_t n, const char *s)
{
        return l && bsearch(&s, l, n, sizeof(char *), cmp_str);
}

/* Whether @ns may be marked complete in a file holding @keys (sorted, @n):
 * its probe loaded it whole, and every non-derived key of it the store
 * holds is saved (a file that holds part of a namespace must not make the
 * rest read as absent: a missing key then reads "not in the facts file"). */
static bool
namespace_complete(FactStore *s, const char *ns, char *const *all, char *const *keys, size_t n)
{
        size_t len = strlen(ns);

        if (!fact_store_namespace_loaded(s, ns))
                return false;
        if (!keys)
                return true;
        STRV_FOREACH(k, all)
                if (strneq(*k, ns, len) && (*k)[len] == ':' && !fact_store_key_derived(s, *k) &&
                    !sorted_contains(keys, n, *k))
                        return false;
        return true;
}

/* "failed": {"NS": {"error": ..., "errno": N}} for every namespace of the
 * store whose probe failed as a whole, so that a key of it the file does
 * not hold reads as that error (not "not in the facts file"), and a
 * pattern over it lists nothing, as on the collecting host. */
static int
failed_to_json(FactStore *s, json_object *top)
{
        _cleanup_strv_free_ char **names = NULL;
        json_object *failed;
        int r;

        r = fact_store_failed_namespaces(s, &names);
        if (r < 0)
                return r;
        if (!names[0])
                return 0;
        failed = json_object_new_object();
        STRV_FOREACH(ns, names) {
                const char *msg = NULL;
                int err = fact_store_namespace_failure(s, *ns, &msg);
                json_object *o = json_object_new_object();

                json_object_object_add(o, "error", json_object_new_string(msg ? msg : "error"));
                json_object_object_add(o, "errno", json_object_new_int(-err));
                json_object_object_add(failed, *ns, o);
        }
        json_object_object_add(top, "failed", failed);
        return 0;
}

int
facts_write_json_keys(FactStore *s, char *const *only, const char *tool_version, const char *root, FILE *out)
{
        _cleanup_strv_free_ char **all = NULL, **keys = NULL, **wanted = NULL;
        _cleanup_free_ char *prev = NULL;
        json_object *top, *facts, *tool, *complete;
        size_t n_wanted = 0, n_keys = 0;
        int r;

        r = fact_store_keys(s, &all);
        if (r < 0)
                return r;
        if (only) {
                STRV_FOREACH(k, only)
                        if (strv_extend(&wanted, *k) < 0)
                                return -ENOMEM;
                n_wanted = strv_length(wanted);
                if (n_wanted > 0)
                        qsort(wanted, n_wanted, sizeof(char *), cmp_str);
        }
        if (!(keys = calloc(1, sizeof(char *))))
                return -ENOMEM;
        STRV_FOREACH(k, all)
                /* derived facts are recomputed from their sources; a key
                 * of @only that the store never read is not a fact */
                if (!fact_store_key_derived(s, *k) && (!only || sorted_contains(wanted, n_wanted, *k))) {
                        if (strv_extend(&keys, *k) < 0)
                                return -ENOMEM;
                        n_keys++;
                }
        top = json_object_new_object();
        json_object_object_add(top, "schema_version", json_object_new_int(FACTS_SCHEMA_VERSION));
        tool = json_object_new_object();
        json_object_object_add(tool, "name", json_object_new_string("kvmaudit"));
        json_object_object_add(tool, "version", json_object_new_string(tool_version));
        json_object_object_add(top, "tool", tool);
        json_object_object_add(top, "root", json_object_new_string(root));
        complete = json_object_new_array();
        /* sorted: the keys of a namespace are together, decided once */
        STRV_FOREACH(k, keys) {
                size_t len = strcspn(*k, ":");

                if (prev && strlen(prev) == len && strneq(prev, *k, len))
                        continue;
                free(prev);
                if (!(prev = strndup(*k, len))) {
                        json_object_put(top);
                        json_object_put(complete);
                        return -ENOMEM;
                }
                if (namespace_complete(s, prev, all, only ? keys : NULL, n_keys))
                        json_object_array_add(complete, json_object_new_string(prev));
        }
        json_object_object_add(top, "complete", complete);
        r = failed_to_json(s, top);
        if (r < 0) {
                json_object_put(top);
                return r;
        }
        facts = json_object_new_object();
        STRV_FOREACH(k, keys)
                json_object_object_add(facts, *k, fact_to_json(fact_store_get(s, *k)));
        json_object_object_add(top, "facts", facts);
        fputs(json_object_to_json_string_ext(top, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                          JSON_C_TO_STRING_NOSLASHESCAPE),
              out);
        fputc('\n', out);
        json_object_put(top);
        return ferror(out) ? -EIO : 0;
}

int
facts_write_json(FactStore *s, const char *tool_version, const char *root, FILE *out)
{
        return facts_write_json_keys(s, NULL, tool_version, root, out);
}

static int
fail(char **ret_error, int r, const char *fmt, ...) _printf_(3, 4);

static int
fail(char **ret_error, int r, const char *fmt, ...)
{
        va_list ap;

        va_start(ap, fmt);
        if (vasprintf(ret_error, fmt, ap) < 0)
                *ret_error = NULL;
        va_end(ap);
        return r;
}

/* A JSON string with an escaped NUL: json_object_get_string() would cut it. */
static bool
has_nul(json_object *o)
{
        return json_object_is_type(o, json_type_string) &&
               strlen(json_object_get_string(o)) != (size_t) json_object_get_string_len(o);
}

static int
stat_from_json(json_object *st, Fact *f, const char **ret_why)
{
        json_object *type, *mode, *uid, *gid, *rdev, *acl;
        mode_t m;

        json_object_object_foreach(st, k, v) {
                (void) k;
                if (has_nul(v)) {
                        *ret_why = "a stat field holds a NUL byte, which no probe writes";
                        return -EBADMSG;
                }
        }

        if (!json_object_object_get_ex(st, "type", &type) || !json_object_object_get_ex(st, "mode", &mode) ||
            !json_object_object_get_ex(st, "uid", &uid) || !json_object_object_get_ex(st, "gid", &gid)) {
                *ret_why = "stat needs type, mode, uid and gid";
                return -EBADMSG;
        }
        if (!json_object_is_type(mode, json_type_string) || parse_mode(json_object_get_string(mode), &m) < 0) {
                *ret_why = "stat mode must be an octal string";
                return -EBADMSG;
        }
        f->kind = FACT_STAT;
        f->stat.mode = m;
        bool known = false;
        for (size_t i = 0; i < ELEMENTSOF(stat_types); i++)
                if (json_object_is_type(type, json_type_string) && streq(json_object_get_string(type), stat_types[i].name)) {
                        f->stat.mode |= stat_types[i].type;
                        known = true;
                }
        if (!known) {
                *ret_why = "unknown stat type";
                return -EBADMSG;
        }
        if (!json_object_is_type(uid, json_type_int) || !json_object_is_type(gid, json_type_int) ||
            json_object_get_int64(uid) < 0 || json_object_get_int64(uid) > UINT32_MAX ||
            json_object_get_int64(gid) < 0 || json_object_get_int64(gid) > UINT32_MAX) {
                *ret_why = "stat uid and gid must be integers in range";
                return -EBADMSG;
        }
        f->stat.uid = (unsigned) json_object_get_int64(uid);
        f->stat.gid = (unsigned) json_object_get_int64(gid);
        if (json_object_object_get_ex(st, "rdev", &rdev)) {
                unsigned ma, mi;
                char end;
                if (!json_object_is_type(rdev, json_type_string) ||
                    sscanf(json_object_get_string(rdev), "%u:%u%c", &ma, &mi, &end) != 2) {
                        *ret_why = "stat rdev must be \"MAJOR:MINOR\"";
                        return -EBADMSG;
                }
                f->stat.major = ma;
                f->stat.minor = mi;
        }
        if (json_object_object_get_ex(st, "acl", &acl)) {
                if (!json_object_is_type(acl, json_type_array)) {
                        *ret_why = "stat acl must be an array";
                        return -EBADMSG;
                }
                for (size_t i = 0; i < json_object_array_length(acl); i++) {
                        json_object *e = json_object_array_get_idx(acl, i);
                        if (!json_object_is_type(e, json_type_string) || has_nul(e)) {
                                *ret_why = "stat acl entries must be strings without NUL bytes";
                                return -EBADMSG;
                        }
                        if (strv_extend(&f->stat.acl, json_object_get_string(e)) < 0)
                                return -ENOMEM;
                }
        }
        return 0;
}

/* Bounds of a facts file's parts (the file itself: FACTS_FILE_MAX). */
#define FACTS_JSON_DEPTH_MAX 64
#define FACTS_KEY_MAX        4096u
#define FACTS_LIST_MAX       (1024u * 1024u)
#define FACTS_ERRNO_MAX      4095 /* the kernel's MAX_ERRNO */

/* Why the JSON string @o (@item: a list's) cannot be a value a probe
 * wrote, or NULL.  json-c strings may hold "\u0000": compare the real
 * length with strlen(). */
static const char *
string_problem(json_object *o, unsigned flags, bool item)
{
        const char *t = json_object_get_string(o);
        size_t len = (size_t) json_object_get_string_len(o);

        if (strlen(t) != len)
                return item ? "a list item holds a NUL byte, which no probe writes"
                            : "the string holds a NUL byte, which no probe writes";
        if ((flags & FACT_RULE_ONE_LINE) && strchr(t, '\n'))
                return item ? "a list item holds a line break, which this probe never writes"
                            : "the string holds a line break, which this probe never writes";
        return NULL;
}

static const char *
kinds_text(unsigned kinds)
{
        switch (kinds) {
        case FACT_RULE_STRING:
                return "a string";
        case FACT_RULE_LIST:
                return "a list of strings";
        case FACT_RULE_STAT:
                return "file metadata ({\"stat\": ...})";
        case FACT_RULE_STRING | FACT_RULE_LIST:
                return "a string or a list of strings";
        default:
                return "another kind";
        }
}

/* "\u0000" for each NUL of the @len bytes at @p, for messages. */
static char *
escape_nul(const char *p, size_t len)
{
        StrBuf b = {};

        for (size_t i = 0; i < len; i++)
                if (p[i])
                        strbuf_appendn(&b, p + i, 1);
                else
                        strbuf_append(&b, "\\u0000");
        return strbuf_steal(&b);
}

typedef struct RawKey {
        size_t object;
        char *key;
} RawKey;

static int
raw_key_cmp(const void *a, const void *b)
{
        const RawKey *x = a, *y = b;

        if (x->object != y->object)
                return x->object < y->object ? -1 : 1;
        return strcmp(x->key, y->key);
}

/*
 * json-c keeps the last of two equal keys of an object and cuts a key at
 * an escaped NUL, so neither is visible after parsing: walk the (already
 * valid) text once more and look at every object's keys as written.
 */
static int
raw_keys_check(const char *text, const char *filename, char **ret_error)
{
        size_t obj[FACTS_JSON_DEPTH_MAX + 1];
        bool is_obj[FACTS_JSON_DEPTH_MAX + 1], want_key[FACTS_JSON_DEPTH_MAX + 1];
        size_t depth = 0, n_obj = 0, n = 0, cap = 0;
        RawKey *keys = NULL;
        int r = 0;

        for (const char *p = text; *p && r == 0; p++) {
                if (*p == '"') {
                        const char *q = p + 1;

                        while (*q && *q != '"')
                                q += (*q == '\\' && q[1]) ? 2 : 1;
                        if (depth > 0 && is_obj[depth - 1] && want_key[depth - 1]) {
                                _cleanup_free_ char *raw = strndup(p, (size_t) (q - p + 1));
                                json_object *k = raw ? json_tokener_parse(raw) : NULL;

                                want_key[depth - 1] = false;
                                if (!k || !json_object_is_type(k, json_type_string)) {
                                        json_object_put(k);
                                        r = -ENOMEM;
                                        break;
                                }
                                const char *ks = json_object_get_string(k);
                                size_t klen = (size_t) json_object_get_string_len(k);
                                if (strlen(ks) != klen) {
                                        _cleanup_free_ char *shown = escape_nul(ks, klen);
                                        r = fail(ret_error, -EBADMSG, "%s: key \"%s\" holds a NUL byte", filename,
                                                 shown ? shown : "?");
                                } else if (n == cap) {
                                        size_t ncap = cap ? cap * 2 : 256;
                                        RawKey *nk = realloc(keys, ncap * sizeof(*nk));
                                        if (nk) {
                                                keys = nk;
                                                cap = ncap;
                                        } else
                                                r = -ENOMEM;
                                }
                                if (r == 0) {
                                        keys[n].object = obj[depth - 1];
                                        keys[n].key = strdup(ks);
                                        if (keys[n].key)
                                                n++;
                                        else
                                                r = -ENOMEM;
                                }
                                json_object_put(k);
                        }
                        p = q;
                        if (!*p)
                                break;
                } else if (*p == '{' || *p == '[') {
                        if (depth > FACTS_JSON_DEPTH_MAX) {
                                r = fail(ret_error, -EBADMSG, "%s: nested too deeply", filename);
                                break;
                        }
                        is_obj[depth] = *p == '{';
                        want_key[depth] = *p == '{';
                        obj[depth] = n_obj++;
                        depth++;
                } else if ((*p == '}' || *p == ']') && depth > 0)
                        depth--;
                else if (*p == ',' && depth > 0 && is_obj[depth - 1])
                        want_key[depth - 1] = true;
        }
        if (r == 0 && n > 1) {
                qsort(keys, n, sizeof(*keys), raw_key_cmp);
                for (size_t i = 1; i < n && r == 0; i++)
                        if (keys[i].object == keys[i - 1].object && streq(keys[i].key, keys[i - 1].key))
                                r = fail(ret_error, -EBADMSG, "%s: key \"%s\" appears twice in one object", filename,
                                         keys[i].key);
        }
        for (size_t i = 0; i < n; i++)
                free(keys[i].key);
        free(keys);
        return r;
}

/* Fills @f from @val, the value of fact @key, as its probe would have
 * written it (@rule); on bad input returns -EBADMSG with *ret_why. */
static int
fact_from_json(json_object *val, const FactRule *rule, Fact *f, const char **ret_why)
{
        int r = 0;

        if (!val) {
                f->kind = FACT_ABSENT;
                return 0;
        }
        if (json_object_is_type(val, json_type_string)) {
                if ((*ret_why = string_problem(val, rule->flags, false)))
                        return -EBADMSG;
                f->kind = FACT_STRING;
                f->string = strdup(json_object_get_string(val));
                r = f->string ? 0 : -ENOMEM;
        } else if (json_object_is_type(val, json_type_array)) {
                size_t len = json_object_array_length(val);

                if (len > FACTS_LIST_MAX) {
                        *ret_why = "list too long";
                        return -EBADMSG;
                }
                f->kind = FACT_LIST;
                f->list = calloc(len + 1, sizeof(char *));
                if (!f->list)
                        return -ENOMEM;
                for (size_t i = 0; i < len; i++) {
                        json_object *e = json_object_array_get_idx(val, i);
                        if (!json_object_is_type(e, json_type_string)) {
                                *ret_why = "list items must be strings";
                                return -EBADMSG;
                        }
                        if ((*ret_why = string_problem(e, rule->flags, true)))
                                return -EBADMSG;
                        f->list[i] = strdup(json_object_get_string(e));
                        if (!f->list[i])
                                return -ENOMEM;
                }
        } else if (json_object_is_type(val, json_type_object)) {
                json_object *st, *err, *en;
                if (json_object_object_get_ex(val, "stat", &st))
                        r = stat_from_json(st, f, ret_why);
                else if (json_object_object_get_ex(val, "error", &err) && json_object_object_get_ex(val, "errno", &en) &&
                         json_object_is_type(err, json_type_string) && json_object_is_type(en, json_type_int) &&
                         json_object_get_int64(en) > 0 && json_object_get_int64(en) <= FACTS_ERRNO_MAX) {
                        if (strlen(json_object_get_string(err)) != (size_t) json_object_get_string_len(err)) {
                                *ret_why = "the error message holds a NUL byte";
                                return -EBADMSG;
                        }
                        f->kind = FACT_ERROR;
                        f->error = -(int) json_object_get_int64(en);
                        f->string = strdup(json_object_get_string(err));
                        r = f->string ? 0 : -ENOMEM;
                } else {
                        *ret_why = "an object must be {\"stat\": ...} or {\"error\": ..., \"errno\": N} (1 to 4095)";
                        return -EBADMSG;
                }
        } else {
                *ret_why = "values must be null, a string, a list or an object";
                return -EBADMSG;
        }
        if (r < 0)
                return r;
        if ((f->kind == FACT_STRING || f->kind == FACT_LIST || f->kind == FACT_STAT) &&
            !(rule->kinds & (1u << f->kind))) {
                *ret_why = kinds_text(rule->kinds);
                return -EDOM; /* "is a list; its probe records a string" below */
        }
        return 0;
}

/* "failed": each member a known namespace and an {"error", "errno"}
 * object as fact_from_json() accepts one. */
static int
failed_from_json(FactStore *s, json_object *failed, const char *filename, char **ret_error)
{
        static const FactRule any = {"*", 0, 0};

        if (!json_object_is_type(failed, json_type_object))
                return fail(ret_error, -EBADMSG, "%s: \"failed\" must be an object", filename);
        json_object_object_foreach(failed, ns, val) {
                _cleanup_free_ char *probe = xasprintf("%s:x", ns);
                const char *why = NULL;
                Fact f = {};
                int r;

                if (!probe)
                        return -ENOMEM;
                if (strlen(ns) > FACTS_KEY_MAX || !fact_key_valid(probe) || !fact_store_namespace_known(s, probe))
                        return fail(ret_error, -EBADMSG, "%s: \"failed\": \"%.200s\" is not a fact namespace",
                                    filename, ns);
                r = json_object_is_type(val, json_type_object) ? fact_from_json(val, &any, &f, &why) : -EBADMSG;
                if (r == -ENOMEM)
                        return r;
                if (r < 0 || f.kind != FACT_ERROR) {
                        fact_done(&f);
                        return fail(ret_error, -EBADMSG,
                                    "%s: \"failed\": \"%s\" must be {\"error\": MESSAGE, \"errno\": N} (1 to 4095)",
                                    filename, ns);
                }
                r = fact_store_fail_namespace(s, ns, f.error, "%s", f.string);
                fact_done(&f);
                if (r < 0)
                        return r;
        }
        return 0;
}

int
facts_load_json(FactStore *s, const char *text, const char *filename, char **ret_error)
{
        json_tokener *tok = json_tokener_new_ex(FACTS_JSON_DEPTH_MAX);
        json_object *top, *v, *facts, *complete, *failed;
        int r = 0;

        if (!tok)
                return -ENOMEM;
        top = json_tokener_parse_ex(tok, text, (int) strlen(text));
        if (!top || json_tokener_get_error(tok) != json_tokener_success) {
                enum json_tokener_error e = json_tokener_get_error(tok);
                r = fail(ret_error, -EBADMSG, "%s: not valid JSON: %s (at byte %zu)", filename,
                         json_tokener_error_desc(e == json_tokener_continue ? json_tokener_error_parse_eof : e),
                         json_tokener_get_parse_end(tok));
                json_tokener_free(tok);
                json_object_put(top);
                return r;
        }
        size_t end = json_tokener_get_parse_end(tok);
        json_tokener_free(tok);
        if (text[end + strspn(text + end, " \t\r\n")] != '\0') {
                r = fail(ret_error, -EBADMSG, "%s: not valid JSON: unexpected data after the object (at byte %zu)",
                         filename, end);
                goto out;
        }

        if (!json_object_is_type(top, json_type_object)) {
                r = fail(ret_error, -EBADMSG, "%s: the top level must be an object", filename);
                goto out;
        }
        if (!json_object_object_get_ex(top, "schema_version", &v) || !json_object_is_type(v, json_type_int)) {
                r = fail(ret_error, -EBADMSG, "%s: no integer \"schema_version\"", filename);
                goto out;
        }
        if (json_object_get_int64(v) != FACTS_SCHEMA_VERSION) {
                r = fail(ret_error, -EPROTONOSUPPORT,
                         "%s: facts schema_version %lld is not supported (this kvmaudit reads version %d)", filename,
                         (long long) json_object_get_int64(v), FACTS_SCHEMA_VERSION);
                goto out;
        }
        if (!json_object_object_get_ex(top, "facts", &facts) || !json_object_is_type(facts, json_type_object)) {
                r = fail(ret_error, -EBADMSG, "%s: no \"facts\" object", filename);
                goto out;
        }
        r = raw_keys_check(text, filename, ret_error);
        if (r < 0)
                goto out;
        json_object_object_foreach(facts, key, val) {
                Fact f = {};
                const char *why = NULL;
                const FactRule *rule;
                bool any;

                if (!fact_key_valid(key) || strlen(key) > FACTS_KEY_MAX) {
                        r = fail(ret_error, -EBADMSG, "%s: invalid fact key \"%.200s\"", filename, key);
                        goto out;
                }
                rule = fact_store_rule(s, key, &any);
                if (!rule) {
                        r = fail(ret_error, -EBADMSG, "%s: fact \"%s\": %s", filename, key,
                                 fact_store_namespace_known(s, key) ? "no probe records such a key"
                                                                     : "unknown fact namespace");
                        goto out;
                }
                if (rule->flags & FACT_RULE_DERIVED) {
                        r = fail(ret_error, -EBADMSG,
                                 "%s: fact \"%s\" is derived from other facts at every scan; a facts file holds "
                                 "its sources only", filename, key);
                        goto out;
                }
                r = fact_from_json(val, rule, &f, &why);
                if (r < 0) {
                        if (r == -EDOM)
                                r = fail(ret_error, -EBADMSG, "%s: fact \"%s\" is %s; its probe records %s", filename,
                                         key, f.kind == FACT_LIST ? "a list" : f.kind == FACT_STAT ? "file metadata" : "a string",
                                         why);
                        else if (r == -EBADMSG)
                                r = fail(ret_error, r, "%s: fact \"%s\": %s", filename, key, why ? why : "invalid");
                        fact_done(&f);
                        goto out;
                }
                r = fact_store_put(s, key, &f);
                if (r < 0)
                        goto out;
        }
        if (json_object_object_get_ex(top, "failed", &failed)) {
                r = failed_from_json(s, failed, filename, ret_error);
                if (r < 0)
                        goto out;
        }
        if (json_object_object_get_ex(top, "complete", &complete)) {
                if (!json_object_is_type(complete, json_type_array)) {
                        r = fail(ret_error, -EBADMSG, "%s: \"complete\" must be a list", filename);
                        goto out;
                }
                for (size_t i = 0; i < json_object_array_length(complete); i++) {
                        json_object *e = json_object_array_get_idx(complete, i);
                        /* a namespace marked complete reads its missing keys
                         * as absent: only a known one, named plainly */
                        if (!json_object_is_type(e, json_type_string) ||
                            string_problem(e, 0, false) ||
                            fact_store_mark_complete(s, json_object_get_string(e)) < 0) {
                                r = fail(ret_error, -EBADMSG, "%s: \"complete\" item %zu is not a fact namespace",
                                         filename, i);
                                goto out;
                        }
                }
        }
out:
        json_object_put(top);
        return r;
}
