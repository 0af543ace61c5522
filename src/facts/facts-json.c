/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <json-c/json.h>
#include <stdarg.h>
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

int
facts_write_json(FactStore *s, const char *tool_version, const char *root, FILE *out)
{
        _cleanup_strv_free_ char **keys = NULL;
        json_object *top, *facts, *tool, *complete;
        int r;

        r = fact_store_keys(s, &keys);
        if (r < 0)
                return r;
        top = json_object_new_object();
        json_object_object_add(top, "schema_version", json_object_new_int(FACTS_SCHEMA_VERSION));
        tool = json_object_new_object();
        json_object_object_add(tool, "name", json_object_new_string("kvmaudit"));
        json_object_object_add(tool, "version", json_object_new_string(tool_version));
        json_object_object_add(top, "tool", tool);
        json_object_object_add(top, "root", json_object_new_string(root));
        complete = json_object_new_array();
        STRV_FOREACH(k, keys) {
                _cleanup_free_ char *ns = strndup(*k, strcspn(*k, ":"));
                if (!ns)
                        return -ENOMEM;
                bool seen = false;
                for (size_t i = 0; i < json_object_array_length(complete); i++)
                        if (streq(json_object_get_string(json_object_array_get_idx(complete, i)), ns))
                                seen = true;
                if (!seen && fact_store_namespace_loaded(s, ns))
                        json_object_array_add(complete, json_object_new_string(ns));
        }
        json_object_object_add(top, "complete", complete);
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

static int
stat_from_json(json_object *st, Fact *f, const char **ret_why)
{
        json_object *type, *mode, *uid, *gid, *rdev, *acl;
        mode_t m;

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
                        if (!json_object_is_type(e, json_type_string)) {
                                *ret_why = "stat acl entries must be strings";
                                return -EBADMSG;
                        }
                        if (strv_extend(&f->stat.acl, json_object_get_string(e)) < 0)
                                return -ENOMEM;
                }
        }
        return 0;
}

int
facts_load_json(FactStore *s, const char *text, const char *filename, char **ret_error)
{
        json_tokener *tok = json_tokener_new_ex(64);
        json_object *top, *v, *facts, *complete;
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
        json_object_object_foreach(facts, key, val) {
                Fact f = {};
                const char *why = NULL;

                if (!fact_key_valid(key)) {
                        r = fail(ret_error, -EBADMSG, "%s: invalid fact key \"%s\"", filename, key);
                        goto out;
                }
                if (!val)
                        f.kind = FACT_ABSENT;
                else if (json_object_is_type(val, json_type_string)) {
                        f.kind = FACT_STRING;
                        f.string = strdup(json_object_get_string(val));
                        if (!f.string)
                                r = -ENOMEM;
                } else if (json_object_is_type(val, json_type_array)) {
                        f.kind = FACT_LIST;
                        f.list = calloc(1, sizeof(char *));
                        if (!f.list)
                                r = -ENOMEM;
                        for (size_t i = 0; r == 0 && i < json_object_array_length(val); i++) {
                                json_object *e = json_object_array_get_idx(val, i);
                                if (!json_object_is_type(e, json_type_string)) {
                                        why = "list items must be strings";
                                        r = -EBADMSG;
                                } else
                                        r = strv_extend(&f.list, json_object_get_string(e));
                        }
                } else if (json_object_is_type(val, json_type_object)) {
                        json_object *st, *err, *en;
                        if (json_object_object_get_ex(val, "stat", &st))
                                r = stat_from_json(st, &f, &why);
                        else if (json_object_object_get_ex(val, "error", &err) &&
                                 json_object_object_get_ex(val, "errno", &en) &&
                                 json_object_is_type(err, json_type_string) && json_object_is_type(en, json_type_int) &&
                                 json_object_get_int(en) > 0) {
                                f.kind = FACT_ERROR;
                                f.error = -json_object_get_int(en);
                                f.string = strdup(json_object_get_string(err));
                                if (!f.string)
                                        r = -ENOMEM;
                        } else {
                                why = "an object must be {\"stat\": ...} or {\"error\": ..., \"errno\": N}";
                                r = -EBADMSG;
                        }
                } else {
                        why = "values must be null, a string, a list or an object";
                        r = -EBADMSG;
                }
                if (r < 0) {
                        fact_done(&f);
                        if (r == -EBADMSG)
                                r = fail(ret_error, r, "%s: fact \"%s\": %s", filename, key, why ? why : "invalid");
                        goto out;
                }
                r = fact_store_put(s, key, &f);
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
                        if (json_object_is_type(e, json_type_string))
                                (void) fact_store_mark_complete(s, json_object_get_string(e));
                }
        }
out:
        json_object_put(top);
        return r;
}
