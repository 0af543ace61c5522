/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <assert.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "facts.h"
#include "strv.h"
#include "util.h"

/* Facts live in their own allocations so that pointers handed out by
 * fact_store_get() stay valid while the table grows under later loads. */
typedef struct Entry {
        char *key;
        Fact *fact;
        unsigned logged;        /* the read log's epoch when last recorded */
} Entry;

typedef struct NsState {
        bool loaded;            /* load_all ran (or facts file says complete) */
        int error;              /* namespace-wide failure */
        char *message;
        bool keys_counted;      /* facts file: has_keys is known */
        bool has_keys;          /* facts file: holds a key of this namespace */
} NsState;

typedef struct Attachment {
        char *name;
        void *data;
        void (*free_fn)(void *);
} Attachment;

#define FACT_STORE_ATTACHMENTS_MAX 8u

struct FactStore {
        Host *host;
        Attachment attachments[FACT_STORE_ATTACHMENTS_MAX];
        const FactNamespace *namespaces;
        size_t n_namespaces;
        NsState *ns_state;
        Entry *entries;         /* open addressing, capacity a power of two */
        size_t n_entries, capacity;
        bool loading;
        /* read log (fact_store_log_start) */
        bool logging;
        unsigned log_epoch;
        const char **log;       /* keys, owned by their entries */
        size_t n_log, cap_log;
        /* sources log (fact_store_sources_start): what derive hooks read */
        bool sources_on;
        unsigned derive_depth;  /* derive hooks running */
        unsigned load_depth;    /* load hooks running (inside a derive) */
        char **sources;
};

static const Fact oom_fact = {
        .kind = FACT_ERROR,
        .string = (char *) "out of memory",
        .error = -ENOMEM,
};

static const char *const fact_kind_table[_FACT_KIND_MAX] = {
        [FACT_ABSENT] = "absent",
        [FACT_STRING] = "string",
        [FACT_LIST] = "list",
        [FACT_STAT] = "stat",
        [FACT_ERROR] = "error",
};
_Static_assert(ELEMENTSOF(fact_kind_table) == _FACT_KIND_MAX, "fact_kind_table out of sync");

const char *
fact_kind_to_string(FactKind k)
{
        return k >= 0 && k < _FACT_KIND_MAX ? fact_kind_table[k] : NULL;
}

void
fact_done(Fact *f)
{
        if (!f)
                return;
        free(f->string);
        strv_free(f->list);
        strv_free(f->stat.acl);
        *f = (Fact) {.kind = FACT_ABSENT};
}

unsigned
fact_stat_acl_named(const FactStat *st)
{
        unsigned n = 0;

        STRV_FOREACH(a, st->acl)
                if (!startswith(*a, "mask:"))
                        n++;
        return n;
}

const char *
fact_stat_type(mode_t mode)
{
        switch (mode & S_IFMT) {
        case S_IFREG: return "reg";
        case S_IFDIR: return "dir";
        case S_IFCHR: return "chr";
        case S_IFBLK: return "blk";
        case S_IFLNK: return "lnk";
        case S_IFIFO: return "fifo";
        case S_IFSOCK: return "sock";
        default: return "unknown";
        }
}

int
fact_copy(const Fact *f, Fact *ret)
{
        Fact c = {.kind = f->kind, .stat = f->stat, .error = f->error};

        c.stat.acl = NULL;
        if (f->string && !(c.string = strdup(f->string)))
                return -ENOMEM;
        for (char *const *l = f->list; l && *l; l++)
                if (strv_extend(&c.list, *l) < 0)
                        goto oom;
        if (f->kind == FACT_LIST && !c.list && !(c.list = calloc(1, sizeof(char *))))
                goto oom;
        for (char *const *l = f->stat.acl; l && *l; l++)
                if (strv_extend(&c.stat.acl, *l) < 0)
                        goto oom;
        *ret = c;
        return 0;
oom:
        fact_done(&c);
        return -ENOMEM;
}

char *
fact_describe(const Fact *f)
{
        switch (f->kind) {
        case FACT_ABSENT:
                return strdup("(absent)");
        case FACT_STRING:
                /* a bare kernel flag ("nopti") has an empty value */
                return strdup(f->string[0] ? f->string : "\"\"");
        case FACT_LIST:
                return strv_join(f->list, ",");
        case FACT_ERROR:
                return strdup(f->string ? f->string : "error");
        case FACT_STAT: {
                StrBuf b = {};
                const char *t = fact_stat_type(f->stat.mode);

                strbuf_printf(&b, "%s", t);
                if (S_ISCHR(f->stat.mode) || S_ISBLK(f->stat.mode))
                        strbuf_printf(&b, " %u:%u", f->stat.major, f->stat.minor);
                strbuf_printf(&b, " %04o %u:%u", (unsigned) (f->stat.mode & 07777), f->stat.uid, f->stat.gid);
                if (f->stat.acl) {
                        _cleanup_free_ char *acl = strv_join(f->stat.acl, ",");
                        strbuf_printf(&b, " acl=%s", acl ? acl : "?");
                }
                return strbuf_steal(&b);
        }
        default:
                return strdup("?");
        }
}

bool
fact_key_valid(const char *key)
{
        const char *colon;

        if (!key || !(key[0] >= 'a' && key[0] <= 'z'))
                return false;
        colon = strchr(key, ':');
        if (!colon || colon[1] == '\0')
                return false;
        for (const char *p = key; p < colon; p++)
                if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_'))
                        return false;
        for (const char *p = colon + 1; *p; p++)
                if ((unsigned char) *p < 0x20 || *p == 0x7f)
                        return false;
        return true;
}

static uint64_t
hash_key(const char *s)
{
        uint64_t h = 1469598103934665603ULL; /* FNV-1a */

        for (; *s; s++) {
                h ^= (unsigned char) *s;
                h *= 1099511628211ULL;
        }
        return h;
}

int
fact_store_new(Host *host, const FactNamespace *namespaces, size_t n_namespaces, FactStore **ret)
{
        FactStore *s = calloc(1, sizeof(*s));

        if (!s)
                return -ENOMEM;
        s->host = host;
        s->namespaces = namespaces;
        s->n_namespaces = n_namespaces;
        s->ns_state = calloc(n_namespaces ? n_namespaces : 1, sizeof(NsState));
        s->capacity = 256;
        s->entries = calloc(s->capacity, sizeof(Entry));
        if (!s->ns_state || !s->entries) {
                fact_store_free(s);
                return -ENOMEM;
        }
        *ret = s;
        return 0;
}

FactStore *
fact_store_free(FactStore *s)
{
        if (!s)
                return NULL;
        for (size_t i = 0; s->entries && i < s->capacity; i++)
                if (s->entries[i].key) {
                        free(s->entries[i].key);
                        fact_done(s->entries[i].fact);
                        free(s->entries[i].fact);
                }
        for (size_t i = 0; s->ns_state && i < s->n_namespaces; i++)
                free(s->ns_state[i].message);
        strv_free(s->sources);
        for (size_t i = 0; i < FACT_STORE_ATTACHMENTS_MAX; i++)
                if (s->attachments[i].name) {
                        if (s->attachments[i].free_fn)
                                s->attachments[i].free_fn(s->attachments[i].data);
                        free(s->attachments[i].name);
                }
        free(s->ns_state);
        free(s->entries);
        free(s->log);
        free(s);
        return NULL;
}

Host *
fact_store_host(FactStore *s)
{
        return s->host;
}

static Entry *
lookup(FactStore *s, const char *key)
{
        size_t mask = s->capacity - 1;

        for (size_t i = hash_key(key) & mask;; i = (i + 1) & mask) {
                if (!s->entries[i].key)
                        return &s->entries[i];
                if (streq(s->entries[i].key, key))
                        return &s->entries[i];
        }
}

static int
grow(FactStore *s)
{
        Entry *old = s->entries;
        size_t oldcap = s->capacity;

        s->entries = calloc(oldcap * 2, sizeof(Entry));
        if (!s->entries) {
                s->entries = old;
                return -ENOMEM;
        }
        s->capacity = oldcap * 2;
        for (size_t i = 0; i < oldcap; i++)
                if (old[i].key)
                        *lookup(s, old[i].key) = old[i];
        free(old);
        return 0;
}

int
fact_store_put(FactStore *s, const char *key, Fact *f)
{
        Entry *e;

        assert(s && key && f);

        if ((s->n_entries + 1) * 2 > s->capacity && grow(s) < 0) {
                fact_done(f);
                return -ENOMEM;
        }
        e = lookup(s, key);
        if (e->key) {
                fact_done(e->fact);
        } else {
                e->fact = calloc(1, sizeof(Fact));
                e->key = e->fact ? strdup(key) : NULL;
                if (!e->key) {
                        free(e->fact);
                        e->fact = NULL;
                        fact_done(f);
                        return -ENOMEM;
                }
                s->n_entries++;
        }
        *e->fact = *f;
        *f = (Fact) {};
        return 0;
}

int
fact_store_set_string(FactStore *s, const char *key, const char *value)
{
        Fact f = {.kind = FACT_STRING, .string = strdup(value)};

        if (!f.string)
                return -ENOMEM;
        return fact_store_put(s, key, &f);
}

int
fact_store_set_absent(FactStore *s, const char *key)
{
        Fact f = {.kind = FACT_ABSENT};

        return fact_store_put(s, key, &f);
}

int
fact_store_set_error(FactStore *s, const char *key, int err, const char *fmt, ...)
{
        Fact f = {.kind = FACT_ERROR, .error = err < 0 ? err : -err};
        va_list ap;

        va_start(ap, fmt);
        if (vasprintf(&f.string, fmt, ap) < 0)
                f.string = NULL;
        va_end(ap);
        if (!f.string)
                return -ENOMEM;
        return fact_store_put(s, key, &f);
}

static ssize_t
namespace_index(const FactStore *s, const char *key, size_t nslen)
{
        for (size_t i = 0; i < s->n_namespaces; i++)
                if (strlen(s->namespaces[i].name) == nslen && strneq(s->namespaces[i].name, key, nslen))
                        return (ssize_t) i;
        return -1;
}

bool
fact_namespace_known(const FactNamespace *namespaces, size_t n, const char *key)
{
        const char *colon = strchr(key, ':');

        if (!colon)
                return false;
        for (size_t i = 0; i < n; i++)
                if (strlen(namespaces[i].name) == (size_t) (colon - key) &&
                    strneq(namespaces[i].name, key, (size_t) (colon - key)))
                        return true;
        return false;
}

const FactRule *
fact_rule_find(const FactNamespace *namespaces, size_t n, const char *key, bool *ret_any)
{
        static const FactRule any = {"*", FACT_RULE_STRING | FACT_RULE_LIST | FACT_RULE_STAT, 0};
        const char *colon = strchr(key, ':');

        *ret_any = false;
        if (!colon)
                return NULL;
        for (size_t i = 0; i < n; i++) {
                if (strlen(namespaces[i].name) != (size_t) (colon - key) ||
                    !strneq(namespaces[i].name, key, (size_t) (colon - key)))
                        continue;
                if (!namespaces[i].rules) {
                        *ret_any = true;
                        return &any;
                }
                for (const FactRule *r = namespaces[i].rules; r->pattern; r++)
                        if (fnmatch(r->pattern, colon + 1, 0) == 0)
                                return r;
                return NULL;
        }
        return NULL;
}

bool
fact_store_key_derived(FactStore *s, const char *key)
{
        bool any;
        const FactRule *r = fact_store_rule(s, key, &any);

        return r && (r->flags & FACT_RULE_DERIVED);
}

bool
fact_store_namespace_known(FactStore *s, const char *key)
{
        return fact_namespace_known(s->namespaces, s->n_namespaces, key);
}

const FactRule *
fact_store_rule(FactStore *s, const char *key, bool *ret_any)
{
        return fact_rule_find(s->namespaces, s->n_namespaces, key, ret_any);
}

int
fact_store_fail_namespace(FactStore *s, const char *ns, int err, const char *fmt, ...)
{
        ssize_t i = namespace_index(s, ns, strlen(ns));
        va_list ap;
        char *m;

        if (i < 0)
                return -EINVAL;
        va_start(ap, fmt);
        if (vasprintf(&m, fmt, ap) < 0)
                m = NULL;
        va_end(ap);
        if (!m)
                return -ENOMEM;
        free(s->ns_state[i].message);
        s->ns_state[i].message = m;
        s->ns_state[i].error = err < 0 ? err : -err;
        return 0;
}

int
fact_store_mark_complete(FactStore *s, const char *ns)
{
        ssize_t i = namespace_index(s, ns, strlen(ns));

        if (i < 0)
                return -EINVAL;
        s->ns_state[i].loaded = true;
        return 0;
}

static int
ensure_loaded(FactStore *s, size_t i)
{
        const FactNamespace *ns = &s->namespaces[i];
        int r;

        if (s->ns_state[i].loaded || !ns->load_all || !s->host)
                return 0;
        s->ns_state[i].loaded = true; /* once, even when it fails */
        s->load_depth++;
        r = ns->load_all(s, s->host);
        s->load_depth--;
        if (r < 0 && s->ns_state[i].error == 0) {
                s->ns_state[i].error = r;
                s->ns_state[i].message = xasprintf("%s facts could not be read: %s", ns->name, strerror(-r));
        }
        return 0;
}

static const Fact *store_get(FactStore *s, const char *key);

static void
log_key(FactStore *s, const char *key)
{
        Entry *e = lookup(s, key);

        if (!e->key || e->logged == s->log_epoch)
                return;
        if (s->n_log == s->cap_log) {
                size_t ncap = s->cap_log ? s->cap_log * 2 : 64;
                const char **n = realloc(s->log, ncap * sizeof(*n));
                if (!n)
                        return; /* the log feeds evidence notes only */
                s->log = n;
                s->cap_log = ncap;
        }
        e->logged = s->log_epoch;
        s->log[s->n_log++] = e->key;
}

void
fact_store_log_start(FactStore *s)
{
        s->logging = true;
        if (++s->log_epoch == 0) { /* wrapped: forget every mark */
                for (size_t i = 0; i < s->capacity; i++)
                        s->entries[i].logged = 0;
                s->log_epoch = 1;
        }
        s->n_log = 0;
}

const char *const *
fact_store_log_stop(FactStore *s, size_t *ret_n)
{
        s->logging = false;
        *ret_n = s->n_log;
        return s->log;
}

/* A key a derive hook read itself (not one a probe read while loading):
 * a source of a derived fact, which a facts file must hold.  Recorded
 * once; on ENOMEM the log is dropped and fact_store_sources_stop() says so. */
static void
source_note(FactStore *s, const char *key)
{
        if (!s->sources_on || s->derive_depth == 0 || s->load_depth > 0 || strv_contains(s->sources, key))
                return;
        if (strv_extend(&s->sources, key) < 0) {
                s->sources = strv_free(s->sources);
                s->sources_on = false;
        }
}

void
fact_store_sources_start(FactStore *s)
{
        s->sources = strv_free(s->sources);
        s->sources_on = true;
}

int
fact_store_sources_stop(FactStore *s, char ***ret)
{
        bool ok = s->sources_on;

        s->sources_on = false;
        if (!ok)
                return -ENOMEM;
        if (!s->sources && !(s->sources = calloc(1, sizeof(char *))))
                return -ENOMEM;
        *ret = TAKE_PTR(s->sources);
        return 0;
}

const Fact *
fact_store_get(FactStore *s, const char *key)
{
        const Fact *f = store_get(s, key);

        if (s->logging)
                log_key(s, key);
        return f;
}

const Fact *
fact_store_get_unlogged(FactStore *s, const char *key)
{
        return store_get(s, key);
}

/* Whether the store holds any key "NS:..." of namespace @i (facts-file
 * mode: every key is put before the first lookup), counted once. */
static bool
namespace_has_keys(FactStore *s, size_t i)
{
        const char *ns = s->namespaces[i].name;
        size_t len = strlen(ns);

        if (!s->ns_state[i].keys_counted) {
                for (size_t k = 0; k < s->capacity && !s->ns_state[i].has_keys; k++)
                        if (s->entries[k].key && strncmp(s->entries[k].key, ns, len) == 0 &&
                            s->entries[k].key[len] == ':')
                                s->ns_state[i].has_keys = true;
                s->ns_state[i].keys_counted = true;
        }
        return s->ns_state[i].has_keys;
}

static const Fact *store_get_unlogged(FactStore *s, const char *key);

/* What a probe or a derivation reads while it fills a key is its own
 * business: the read log names what a check asked for, not the sources. */
static const Fact *
store_get(FactStore *s, const char *key)
{
        bool logging = s->logging;
        const Fact *f;

        source_note(s, key);
        s->logging = false;
        f = store_get_unlogged(s, key);
        s->logging = logging;
        return f;
}

static const Fact *
store_get_unlogged(FactStore *s, const char *key)
{
        const char *colon = strchr(key, ':');
        Entry *e;
        ssize_t i;
        int r;

        e = lookup(s, key);
        if (e->key)
                return e->fact;

        if (!colon)
                return &oom_fact;
        i = namespace_index(s, key, (size_t) (colon - key));
        if (i < 0) {
                (void) fact_store_set_error(s, key, -EINVAL, "%s: unknown fact namespace", key);
                goto done;
        }
        ensure_loaded(s, (size_t) i);
        if (s->ns_state[i].error < 0) {
                (void) fact_store_set_error(s, key, s->ns_state[i].error, "%s", s->ns_state[i].message);
                goto done;
        }
        e = lookup(s, key);
        if (e->key)
                return e->fact;

        if (s->namespaces[i].derive) {
                /* what it reads is its own: not a probe's load */
                unsigned load_depth = s->load_depth;

                s->load_depth = 0;
                s->derive_depth++;
                r = s->namespaces[i].derive(s, colon + 1);
                s->derive_depth--;
                s->load_depth = load_depth;
                e = lookup(s, key);
                if (e->key)
                        return e->fact;
                if (r < 0) {
                        (void) fact_store_set_error(s, key, r, "%s: %s", key, strerror(-r));
                        goto done;
                }
        }

        if (!s->host) {
                if (s->ns_state[i].loaded)
                        (void) fact_store_set_absent(s, key);
                else if (!namespace_has_keys(s, i) && !fact_store_key_derived(s, key))
                        /* No key of the namespace at all: the kvmaudit that
                         * collected the file had no such probe (the file
                         * predates it).  Not evidence of anything: a skip.
                         * A derived key is never in a file: its absence
                         * says nothing of the collector. */
                        (void) fact_store_set_error(s, key, -EOPNOTSUPP,
                                                    "%s: not in this facts file: collected by an older kvmaudit "
                                                    "that did not record %s facts",
                                                    key, s->namespaces[i].name);
                else
                        /* The collector records every key its checks read:
                         * a missing one means a cut or edited file. */
                        (void) fact_store_set_error(s, key, -ENODATA, "%s: not in the facts file", key);
        } else if (s->namespaces[i].load_one) {
                s->load_depth++;
                r = s->namespaces[i].load_one(s, s->host, colon + 1);
                s->load_depth--;
                e = lookup(s, key);
                if (!e->key) {
                        if (r < 0)
                                (void) fact_store_set_error(s, key, r, "%s: %s", key, strerror(-r));
                        else
                                (void) fact_store_set_absent(s, key);
                }
        } else
                (void) fact_store_set_absent(s, key);
done:
        e = lookup(s, key);
        return e->key ? e->fact : &oom_fact;
}

const Fact *
fact_store_peek(FactStore *s, const char *key)
{
        Entry *e = lookup(s, key);

        /* a derive hook that found a fact by peeking read it all the same */
        if (e->key)
                source_note(s, key);
        return e->key ? e->fact : NULL;
}

const Fact *
fact_store_get2(FactStore *s, const char *ns, const char *name)
{
        _cleanup_free_ char *key = xasprintf("%s:%s", ns, name);

        return key ? fact_store_get(s, key) : &oom_fact;
}

int
fact_store_keys(FactStore *s, char ***ret)
{
        _cleanup_strv_free_ char **l = calloc(s->n_entries + 1, sizeof(char *));
        size_t n = 0;

        if (!l)
                return -ENOMEM;
        for (size_t i = 0; i < s->capacity; i++)
                if (s->entries[i].key) {
                        l[n] = strdup(s->entries[i].key);
                        if (!l[n])
                                return -ENOMEM;
                        n++;
                }
        strv_sort(l);
        *ret = TAKE_PTR(l);
        return 0;
}

int
fact_store_list(FactStore *s, const char *ns, const char *prefix, char ***ret)
{
        _cleanup_strv_free_ char **all = NULL, **l = NULL;
        _cleanup_free_ char *p = xasprintf("%s:%s", ns, prefix ? prefix : "");
        ssize_t i = namespace_index(s, ns, strlen(ns));
        int r;

        if (!p)
                return -ENOMEM;
        if (i < 0)
                return -EINVAL;
        ensure_loaded(s, (size_t) i);
        if (s->ns_state[i].error < 0)
                return s->ns_state[i].error;
        r = fact_store_keys(s, &all);
        if (r < 0)
                return r;
        l = calloc(1, sizeof(char *));
        if (!l)
                return -ENOMEM;
        STRV_FOREACH(k, all)
                if (startswith(*k, p) && fact_store_get(s, *k)->kind != FACT_ABSENT) {
                        r = strv_extend(&l, *k);
                        if (r < 0)
                                return r;
                }
        *ret = TAKE_PTR(l);
        return 0;
}

int
fact_store_expand(FactStore *s, const char *pattern, char ***ret)
{
        const char *colon = strchr(pattern, ':');
        _cleanup_strv_free_ char **l = NULL;
        ssize_t i;

        if (!colon)
                return -EINVAL;
        i = namespace_index(s, pattern, (size_t) (colon - pattern));
        if (i < 0)
                return -EINVAL;
        if (!s->namespaces[i].load_all)
                return -EOPNOTSUPP;
        ensure_loaded(s, (size_t) i);
        if (!(l = calloc(1, sizeof(char *))))
                return -ENOMEM;
        for (size_t k = 0; k < s->capacity; k++) {
                const char *key = s->entries[k].key;

                if (!key || !strneq(key, pattern, (size_t) (colon - pattern + 1)) || fnmatch(pattern, key, 0) != 0 ||
                    fact_store_key_derived(s, key))
                        continue;
                if (strv_extend(&l, key) < 0)
                        return -ENOMEM;
        }
        strv_sort(l);
        *ret = TAKE_PTR(l);
        return 0;
}

int
fact_store_namespace_failure(FactStore *s, const char *ns, const char **ret_message)
{
        ssize_t i = namespace_index(s, ns, strlen(ns));

        if (i < 0 || s->ns_state[i].error == 0)
                return 0;
        if (ret_message)
                *ret_message = s->ns_state[i].message;
        return s->ns_state[i].error;
}

int
fact_store_failed_namespaces(FactStore *s, char ***ret)
{
        _cleanup_strv_free_ char **l = calloc(1, sizeof(char *));

        if (!l)
                return -ENOMEM;
        for (size_t i = 0; i < s->n_namespaces; i++)
                if (s->ns_state[i].error < 0 && strv_extend(&l, s->namespaces[i].name) < 0)
                        return -ENOMEM;
        *ret = TAKE_PTR(l);
        return 0;
}

bool
fact_store_namespace_loaded(FactStore *s, const char *ns)
{
        ssize_t i = namespace_index(s, ns, strlen(ns));

        return i >= 0 && s->ns_state[i].loaded && s->ns_state[i].error == 0 && s->namespaces[i].load_all;
}

int
fact_store_attach(FactStore *s, const char *name, void *data, void (*free_fn)(void *))
{
        for (size_t i = 0; i < FACT_STORE_ATTACHMENTS_MAX; i++) {
                if (s->attachments[i].name) {
                        if (streq(s->attachments[i].name, name))
                                return -EEXIST;
                        continue;
                }
                s->attachments[i].name = strdup(name);
                if (!s->attachments[i].name)
                        return -ENOMEM;
                s->attachments[i].data = data;
                s->attachments[i].free_fn = free_fn;
                return 0;
        }
        return -ENOSPC;
}

void *
fact_store_attachment(FactStore *s, const char *name)
{
        for (size_t i = 0; i < FACT_STORE_ATTACHMENTS_MAX; i++)
                if (s->attachments[i].name && streq(s->attachments[i].name, name))
                        return s->attachments[i].data;
        return NULL;
}

bool
fact_is(const Fact *f, const char *v)
{
        return f->kind == FACT_STRING && streq(f->string, v);
}

const char *
fact_text_or(const Fact *f)
{
        switch (f->kind) {
        case FACT_STRING:
                return f->string;
        case FACT_ABSENT:
                return "(absent)";
        case FACT_ERROR:
                return "(unreadable)";
        default:
                return "(not text)";
        }
}

bool
fact_has_word(const Fact *f, const char *w)
{
        size_t len = strlen(w);

        if (f->kind == FACT_LIST)
                return strv_contains(f->list, w);
        if (f->kind != FACT_STRING)
                return false;
        for (const char *p = f->string; *p;) {
                size_t n;

                p += strspn(p, " \t\n,");
                n = strcspn(p, " \t\n,");
                if (n > 0 && n == len && strneq(p, w, n))
                        return true;
                p += n;
        }
        return false;
}
