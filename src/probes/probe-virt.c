/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Domains: libvirt:domains, libvirt:source, domain:NAME (XML) and
 * domainstate:NAME.  The only file that includes libvirt's header.
 *
 * Live host: the libvirt API on a read-only connection (never
 * VIR_DOMAIN_XML_SECURE: the audit needs no secrets).  Offline root, or a
 * build without libvirt: the files libvirt keeps, /etc/libvirt/qemu/NAME.xml
 * (inactive definitions) and /run/libvirt/qemu/NAME.xml (status XML of
 * running guests, whose inner <domain> is the live definition and wins).
 */
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "config.h"

#if HAVE_LIBVIRT
#include <dlfcn.h>
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#endif

#include "host.h"
#include "probes.h"
#include "strv.h"
#include "util.h"
#include "xml-read.h"

/* Domains on one host; libvirt itself has no limit. */
#define LIBVIRT_DOMAINS_MAX 100000u
/* One domain's XML, inactive or status. */
#define DOMAIN_XML_MAX (4u * 1024u * 1024u)

#define LIBVIRT_DEFAULT_URI "qemu:///system"

/* The URI a caller named ("--connect"), kept with the store it is for:
 * no global, so that two scans in one process do not share it. */
#define VIRT_URI_ATTACHMENT "libvirt-uri"

int
probe_virt_set_uri(FactStore *s, const char *uri)
{
        char *u;
        int r;

        if (!uri)
                return 0;
        u = strdup(uri);
        if (!u)
                return -ENOMEM;
        r = fact_store_attach(s, VIRT_URI_ATTACHMENT, u, free);
        if (r < 0)
                free(u);
        return r;
}

#if HAVE_LIBVIRT
/*
 * libvirt is loaded on first use, not linked: its dependencies (GLib,
 * GnuTLS, curl, ... 58 libraries) cost about 7 ms and 9 MB at every start,
 * which a scan of kernel state, an --root image or "profile" never needs.
 * The header still gives every pointer its exact type.
 */
static struct {
        bool tried;
        void *handle;
        char *error;
        __typeof__(virConnectClose) *ConnectClose;
        __typeof__(virConnectListAllDomains) *ConnectListAllDomains;
        __typeof__(virConnectOpenReadOnly) *ConnectOpenReadOnly;
        __typeof__(virDomainFree) *DomainFree;
        __typeof__(virDomainGetName) *DomainGetName;
        __typeof__(virDomainGetState) *DomainGetState;
        __typeof__(virDomainGetXMLDesc) *DomainGetXMLDesc;
        __typeof__(virGetLastErrorCode) *GetLastErrorCode;
        __typeof__(virGetLastErrorMessage) *GetLastErrorMessage;
        __typeof__(virSetErrorFunc) *SetErrorFunc;
} lv;

static int
libvirt_load(const char **ret_error)
{
        const struct {
                const char *name;
                void **ptr;
        } syms[] = {
                {"virConnectClose", (void **) &lv.ConnectClose},
                {"virConnectListAllDomains", (void **) &lv.ConnectListAllDomains},
                {"virConnectOpenReadOnly", (void **) &lv.ConnectOpenReadOnly},
                {"virDomainFree", (void **) &lv.DomainFree},
                {"virDomainGetName", (void **) &lv.DomainGetName},
                {"virDomainGetState", (void **) &lv.DomainGetState},
                {"virDomainGetXMLDesc", (void **) &lv.DomainGetXMLDesc},
                {"virGetLastErrorCode", (void **) &lv.GetLastErrorCode},
                {"virGetLastErrorMessage", (void **) &lv.GetLastErrorMessage},
                {"virSetErrorFunc", (void **) &lv.SetErrorFunc},
        };

        if (!lv.tried) {
                lv.tried = true;
                lv.handle = dlopen("libvirt.so.0", RTLD_NOW | RTLD_LOCAL);
                if (!lv.handle) {
                        lv.error = strdup(dlerror());
                } else
                        for (size_t i = 0; i < ELEMENTSOF(syms); i++) {
                                *syms[i].ptr = dlsym(lv.handle, syms[i].name);
                                if (!*syms[i].ptr) {
                                        lv.error = xasprintf("libvirt.so.0 lacks %s", syms[i].name);
                                        dlclose(lv.handle);
                                        lv.handle = NULL;
                                        break;
                                }
                        }
                if (lv.error)
                        text_sanitize(lv.error);
        }
        if (lv.handle)
                return 0;
        *ret_error = lv.error ? lv.error : "out of memory";
        return -ENOPKG;
}

/* The URI named for @s, NULL when none was. */
static const char *
uri_named(FactStore *s)
{
        return fact_store_attachment(s, VIRT_URI_ATTACHMENT);
}

static const char *
uri_get(FactStore *s)
{
        const char *uri = uri_named(s);

        return uri ? uri : LIBVIRT_DEFAULT_URI;
}
#endif

typedef struct DomainRec {
        char *name;
        char *xml;      /* NULL with err */
        char *state;
        int err;
        char *message;
} DomainRec;

typedef struct DomainList {
        DomainRec *recs;
        size_t n;
} DomainList;

static void
domain_list_done(DomainList *l)
{
        for (size_t i = 0; i < l->n; i++) {
                free(l->recs[i].name);
                free(l->recs[i].xml);
                free(l->recs[i].state);
                free(l->recs[i].message);
        }
        free(l->recs);
        *l = (DomainList) {};
}

static DomainRec *
domain_list_find(DomainList *l, const char *name)
{
        for (size_t i = 0; i < l->n; i++)
                if (streq(l->recs[i].name, name))
                        return &l->recs[i];
        return NULL;
}

/* Takes ownership of the strings in @rec, even on failure. */
static int
domain_list_add(DomainList *l, DomainRec *rec)
{
        DomainRec *n;

        if (l->n >= LIBVIRT_DOMAINS_MAX) {
                DomainList tmp = {.recs = rec, .n = 1};
                domain_list_done(&tmp);
                return -E2BIG;
        }
        n = realloc(l->recs, (l->n + 1) * sizeof(*n));
        if (!n) {
                free(rec->name);
                free(rec->xml);
                free(rec->state);
                free(rec->message);
                return -ENOMEM;
        }
        l->recs = n;
        l->recs[l->n++] = *rec;
        *rec = (DomainRec) {};
        return 0;
}

static int
rec_cmp(const void *a, const void *b)
{
        return strcmp(((const DomainRec *) a)->name, ((const DomainRec *) b)->name);
}

/* libvirt's virDomainState names (virDomainStateTypeToString). */
static const char *const domain_states[] = {
        "nostate", "running", "blocked", "paused", "shutdown", "shutoff", "crashed", "pmsuspended",
};

static bool
domain_state_known(const char *s)
{
        for (size_t i = 0; i < ELEMENTSOF(domain_states); i++)
                if (streq(domain_states[i], s))
                        return true;
        return false;
}

static xmlNode *
xml_child(xmlNode *n, const char *name)
{
        for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
                if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, (const xmlChar *) name))
                        return c;
        return NULL;
}

/*
 * Secrets never leave the probe: a <graphics passwd='...'> (or any
 * passwd/password attribute) and the data= of a "-object secret" passed
 * through <qemu:commandline> become "(redacted)" before the XML is stored
 * as a fact, so no check, report or facts file can hold them.  Checks need
 * only whether a password is set.  (The API's XML without
 * VIR_DOMAIN_XML_SECURE already omits passwd; the files on disk do not.)
 */
#define PROBE_REDACTED "(redacted)"

static void
xml_redact(xmlNode *n, unsigned depth)
{
        static const char *const secret_attrs[] = {"passwd", "password"};

        for (; n && depth < XML_DEPTH_DEFAULT + 2; n = n->next) {
                if (n->type != XML_ELEMENT_NODE)
                        continue;
                for (size_t i = 0; i < ELEMENTSOF(secret_attrs); i++)
                        if (xmlHasProp(n, (const xmlChar *) secret_attrs[i]))
                                xmlSetProp(n, (const xmlChar *) secret_attrs[i], (const xmlChar *) PROBE_REDACTED);
                if (xmlStrEqual(n->name, (const xmlChar *) "arg")) {
                        xmlChar *v = xmlGetProp(n, (const xmlChar *) "value");
                        if (v && strstr((const char *) v, "secret") && strstr((const char *) v, "data="))
                                xmlSetProp(n, (const xmlChar *) "value",
                                           (const xmlChar *) "secret object " PROBE_REDACTED);
                        xmlFree(v);
                }
                xml_redact(n->children, depth + 1);
        }
}

/* A domain name; libvirt's own limit is far lower, this bounds the fact. */
#define DOMAIN_NAME_MAX 1024u

/*
 * Parses a domain file: <domain> (inactive) or <domstatus state=...>
 * wrapping a <domain> (status).  Returns the domain name, the <domain>
 * element as text and, for status XML, the state.  -EBADMSG (or -EFBIG,
 * -E2BIG) with *ret_message ("PATH[:LINE]: what") for anything else.
 */
static int
domain_parse(const char *text, const char *path, bool status, char **ret_name, char **ret_xml, char **ret_state,
             char **ret_message)
{
        _cleanup_free_ char *name = NULL, *xml = NULL, *state = NULL, *error = NULL;
        const XmlReadLimits limits = {
                .max_bytes = DOMAIN_XML_MAX,
                /* <domstatus> holds the <domain> one level deeper than the
                 * domain layer (DOMAIN_XML_DEPTH_MAX, the default) counts it. */
                .max_depth = status ? XML_DEPTH_DEFAULT + 1 : XML_DEPTH_DEFAULT,
                .what = status ? "libvirt status XML" : "domain XML",
        };
        xmlDoc *doc = NULL;
        xmlNode *root, *dom, *nm;
        xmlBuffer *buf;
        xmlChar *t;
        const char *bad = NULL;
        long line = 0;
        int r;

        r = xml_read(text, strlen(text), path, &limits, &doc, &error);
        if (r < 0) {
                *ret_message = TAKE_PTR(error);
                return r;
        }
        root = xmlDocGetRootElement(doc); /* never NULL: the document is well-formed */
        if (status) {
                if (!xmlStrEqual(root->name, (const xmlChar *) "domstatus")) {
                        bad = "not a libvirt <domstatus> document";
                        line = xmlGetLineNo(root);
                        r = -EBADMSG;
                        goto out;
                }
                t = xmlGetProp(root, (const xmlChar *) "state");
                state = strdup(t && domain_state_known((const char *) t) ? (const char *) t : "running");
                xmlFree(t);
                if (!state) {
                        r = -ENOMEM;
                        goto out;
                }
                dom = xml_child(root, "domain");
        } else
                dom = xmlStrEqual(root->name, (const xmlChar *) "domain") ? root : NULL;
        if (!dom) {
                bad = "not a libvirt <domain> definition";
                line = xmlGetLineNo(root);
                r = -EBADMSG;
                goto out;
        }
        nm = xml_child(dom, "name");
        if (nm) {
                r = xml_node_text(nm, DOMAIN_NAME_MAX, &name);
                if (r == -EFBIG) {
                        *ret_message = xasprintf("%s:%ld: <name> longer than %u bytes", path,
                                                 xmlGetLineNo(nm), DOMAIN_NAME_MAX);
                        if (!*ret_message)
                                r = -ENOMEM;
                        goto out;
                }
                if (r < 0)
                        goto out;
        }
        if (!name || !*name) {
                bad = "<domain> without <name>";
                line = xmlGetLineNo(dom);
                r = -EBADMSG;
                goto out;
        }
        xml_redact(dom, 0);
        buf = xmlBufferCreate();
        if (!buf || xmlNodeDump(buf, doc, dom, 0, 0) < 0) {
                xmlBufferFree(buf);
                r = -ENOMEM;
                goto out;
        }
        xml = strdup((const char *) xmlBufferContent(buf));
        xmlBufferFree(buf);
        if (!xml) {
                r = -ENOMEM;
                goto out;
        }
        text_sanitize(name);
        *ret_name = TAKE_PTR(name);
        *ret_xml = TAKE_PTR(xml);
        *ret_state = TAKE_PTR(state);
out:
        xmlFreeDoc(doc);
        if (bad) {
                *ret_message = line > 0 ? xasprintf("%s:%ld: %s", path, line, bad) : xasprintf("%s: %s", path, bad);
                if (!*ret_message)
                        return -ENOMEM;
        }
        return r;
}

static int
domains_from_dir(Host *h, const char *dir, bool status, DomainList *l)
{
        _cleanup_strv_free_ char **names = NULL;
        int r;

        r = host_list_dir(h, dir, &names);
        if (r == -ENOENT || (r == -ENOMEDIUM && status))
                return 0; /* no libvirt, or an offline root without /run: nothing runs */
        if (r < 0)
                return r;
        STRV_FOREACH(n, names) {
                _cleanup_free_ char *path = NULL, *text = NULL, *msg = NULL;
                DomainRec rec = {};

                if (!endswith(*n, ".xml") || streq(*n, ".xml"))
                        continue;
                path = xasprintf("%s/%s", dir, *n);
                if (!path)
                        return -ENOMEM;
                r = host_read_text(h, path, DOMAIN_XML_MAX, &text);
                if (r == -EISDIR || r == -EBADFD)
                        continue;
                if (r == 0)
                        r = domain_parse(text, path, status, &rec.name, &rec.xml, &rec.state, &msg);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        /* The file names the domain (libvirt writes NAME.xml):
                         * keep it listed, so its checks error instead of
                         * silently skipping. */
                        rec.name = strndup(*n, strlen(*n) - 4);
                        rec.err = r;
                        rec.message = msg ? TAKE_PTR(msg)
                                          : r == -EFBIG ? xasprintf("%s: larger than %u bytes", path, DOMAIN_XML_MAX)
                                                        : xasprintf("%s: %s", path, host_strerror(r));
                        if (!rec.name || !rec.message) {
                                free(rec.name);
                                free(rec.message);
                                return -ENOMEM;
                        }
                        text_sanitize(rec.name);
                }
                if (!rec.state && !(rec.state = strdup("shutoff"))) {
                        free(rec.name);
                        free(rec.xml);
                        free(rec.message);
                        return -ENOMEM;
                }
                /* The running guest's live XML was read first and wins. */
                if (domain_list_find(l, rec.name)) {
                        free(rec.name);
                        free(rec.xml);
                        free(rec.state);
                        free(rec.message);
                        continue;
                }
                r = domain_list_add(l, &rec);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int
domains_from_files(Host *h, DomainList *l, char **ret_path)
{
        static const struct {
                const char *dir;
                bool status;
        } dirs[] = {
                {"/run/libvirt/qemu", true},
                {"/etc/libvirt/qemu", false},
        };
        int r;

        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                r = domains_from_dir(h, dirs[i].dir, dirs[i].status, l);
                if (r < 0) {
                        *ret_path = strdup(dirs[i].dir);
                        return r;
                }
        }
        return 0;
}

#if HAVE_LIBVIRT
/* Whether libvirt's directories hold any domain XML (for the fallback). */
static bool
domain_files_exist(Host *h)
{
        static const char *const dirs[] = {"/etc/libvirt/qemu", "/run/libvirt/qemu"};

        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                _cleanup_strv_free_ char **names = NULL;

                if (host_list_dir(h, dirs[i], &names) < 0)
                        continue;
                STRV_FOREACH(n, names)
                        if (endswith(*n, ".xml"))
                                return true;
        }
        return false;
}

static void
virt_error_ignore(void *data, virErrorPtr err)
{
        (void) data;
        (void) err;
}

/* The one place libvirt errors become ours: the message, sanitized. */
static char *
virt_last_error(void)
{
        char *m = strdup(lv.GetLastErrorMessage());

        if (m)
                text_sanitize(m);
        return m;
}

/*
 * Lists domains over the API.  -ENOPKG with *ret_message when the
 * connection fails (so domain checks skip with the reason), -EIO when
 * libvirt answers but the listing fails.  A domain that disappears while
 * we read it is left out.
 */
static int
domains_from_api(const char *uri, DomainList *l, char **ret_message)
{
        virDomainPtr *doms = NULL;
        virConnectPtr conn;
        int n, r = 0;

        const char *load_error;
        if (libvirt_load(&load_error) < 0) {
                *ret_message = xasprintf("cannot load libvirt: %s", load_error);
                return *ret_message ? -ENOPKG : -ENOMEM;
        }
        /* libvirt prints every error to stderr by default; we report once. */
        lv.SetErrorFunc(NULL, virt_error_ignore);
        /* A read-only client of the system daemon; on a host with socket
         * activation this may start virtqemud, as any virsh call would. */
        conn = lv.ConnectOpenReadOnly(uri);
        if (!conn) {
                *ret_message = virt_last_error();
                return *ret_message ? -ENOPKG : -ENOMEM;
        }
        n = lv.ConnectListAllDomains(conn, &doms, 0);
        if (n < 0) {
                *ret_message = virt_last_error();
                lv.ConnectClose(conn);
                return *ret_message ? -EIO : -ENOMEM;
        }
        for (int i = 0; i < n; i++) {
                DomainRec rec = {};
                const char *name = lv.DomainGetName(doms[i]);
                char *xml = NULL;
                int state = 0, reason = 0;

                int state_r;

                if (r < 0 || !name)
                        goto next;
                rec.name = strdup(name);
                if (!rec.name) {
                        r = -ENOMEM;
                        goto next;
                }
                text_sanitize(rec.name);
                xml = lv.DomainGetXMLDesc(doms[i], 0);
                state_r = xml ? lv.DomainGetState(doms[i], &state, &reason, 0) : -1;
                if (state_r < 0 && lv.GetLastErrorCode() == VIR_ERR_NO_DOMAIN) {
                        free(rec.name);
                        free(xml);
                        goto next;
                }
                if (state_r < 0) {
                        free(xml);
                        rec.err = -EIO;
                        rec.message = xasprintf("libvirt at %s: domain %s: %s", uri, rec.name,
                                                lv.GetLastErrorMessage());
                        if (rec.message)
                                text_sanitize(rec.message);
                } else {
                        /* The API's XML goes through the same parser as the
                         * files: bounded, and its secrets (a passwd libvirt
                         * does show, -object secret data in
                         * <qemu:commandline>) redacted before it is stored. */
                        _cleanup_free_ char *what = xasprintf("libvirt at %s: domain %s", uri, rec.name);
                        char *pname = NULL, *pstate = NULL, *msg = NULL;
                        int pr = what ? domain_parse(xml, what, false, &pname, &rec.xml, &pstate, &msg) : -ENOMEM;

                        free(pname);
                        free(pstate);
                        free(xml);
                        if (pr == -ENOMEM) {
                                free(msg);
                                free(rec.name);
                                r = -ENOMEM;
                                goto next;
                        }
                        if (pr < 0) {
                                rec.err = pr;
                                rec.message = msg ? msg : xasprintf("%s: unreadable XML", strna(what));
                        } else
                                rec.state = strdup(state >= 0 && (size_t) state < ELEMENTSOF(domain_states)
                                                   ? domain_states[state] : "nostate");
                }
                if ((rec.err && !rec.message) || (!rec.err && !rec.state)) {
                        free(rec.name);
                        free(rec.xml);
                        free(rec.state);
                        free(rec.message);
                        r = -ENOMEM;
                        goto next;
                }
                if (domain_list_find(l, rec.name)) {
                        free(rec.name);
                        free(rec.xml);
                        free(rec.state);
                        free(rec.message);
                        goto next;
                }
                r = domain_list_add(l, &rec);
        next:
                lv.DomainFree(doms[i]);
        }
        free(doms);
        lv.ConnectClose(conn);
        return r;
}
#endif

static int
domains_store(FactStore *s, DomainList *l, const char *source)
{
        _cleanup_strv_free_ char **names = NULL;
        int r;

        if (l->n > 0)
                qsort(l->recs, l->n, sizeof(*l->recs), rec_cmp);
        for (size_t i = 0; i < l->n; i++) {
                DomainRec *d = &l->recs[i];
                _cleanup_free_ char *dkey = xasprintf("domain:%s", d->name),
                                    *skey = xasprintf("domainstate:%s", d->name);

                if (!dkey || !skey || strv_extend(&names, d->name) < 0)
                        return -ENOMEM;
                if (d->err < 0) {
                        r = fact_store_set_error(s, dkey, d->err, "%s", d->message);
                        if (r >= 0)
                                r = fact_store_set_error(s, skey, d->err, "%s", d->message);
                } else {
                        r = fact_store_set_string(s, dkey, d->xml);
                        if (r >= 0)
                                r = fact_store_set_string(s, skey, d->state);
                }
                if (r < 0)
                        return r;
        }
        if (!names && !(names = calloc(1, sizeof(char *))))
                return -ENOMEM;
        Fact f = {.kind = FACT_LIST, .list = TAKE_PTR(names)};
        r = fact_store_put(s, "libvirt:domains", &f);
        if (r < 0)
                return r;
        return fact_store_set_string(s, "libvirt:source", source);
}

static int
fail_all(FactStore *s, int err, const char *message)
{
        static const char *const nss[] = {"libvirt", "domain", "domainstate"};

        for (size_t i = 0; i < ELEMENTSOF(nss); i++) {
                int r = fact_store_fail_namespace(s, nss[i], err, "%s", message);
                if (r < 0)
                        return r;
        }
        return err;
}

static int
virt_load(FactStore *s, Host *h)
{
        _cleanup_free_ char *source = NULL, *path = NULL, *msg = NULL;
        DomainList l = {};
        int r;

        /* One listing fills the three namespaces. */
        (void) fact_store_mark_complete(s, "libvirt");
        (void) fact_store_mark_complete(s, "domain");
        (void) fact_store_mark_complete(s, "domainstate");

#if HAVE_LIBVIRT
        if (host_is_live(h)) {
                _cleanup_free_ char *err = NULL;
                const char *uri = uri_get(s);

                r = domains_from_api(uri, &l, &err);
                if (r >= 0) {
                        source = xasprintf("api %s", uri);
                        r = source ? domains_store(s, &l, source) : -ENOMEM;
                        domain_list_done(&l);
                        return r;
                }
                domain_list_done(&l);
                if (r == -ENOMEM)
                        return r;
                if (r == -E2BIG) {
                        msg = xasprintf("libvirt at %s: more than %u domains", uri, LIBVIRT_DOMAINS_MAX);
                        return msg ? fail_all(s, r, msg) : -ENOMEM;
                }
                msg = r == -ENOPKG ? xasprintf("libvirt not reachable at %s: %s", uri, strna(err))
                                   : xasprintf("libvirt at %s: listing domains failed: %s", uri, strna(err));
                if (!msg)
                        return -ENOMEM;
                /*
                 * Fallback: with the daemon stopped, its files still say
                 * what is defined (and /run what was running), which beats
                 * skipping every domain check.  Only for the local system
                 * URI, whose files these are: for a remote or session URI,
                 * this host's /etc/libvirt describes something else.
                 */
                if (r == -ENOPKG && streq(uri, LIBVIRT_DEFAULT_URI) && domain_files_exist(h))
                        source = xasprintf("files (%s)", msg);
                else if (r == -ENOPKG && (uri_named(s) || probe_libvirt_installed(h))) {
                        /* A source the user named, or one this host
                         * clearly has, that cannot be read is an error:
                         * "not applicable" would let every domain check
                         * skip and a gate pass on nothing. */
                        _cleanup_free_ char *m = xasprintf("%s (%s%s)", msg,
                                uri_named(s) ? "--connect names it" : "libvirt is installed here: ",
                                uri_named(s) ? "" : probe_libvirt_installed(h));
                        return m ? fail_all(s, -EHOSTDOWN, m) : -ENOMEM;
                } else
                        return fail_all(s, r, msg);
                if (!source)
                        return -ENOMEM;
        }
#endif
        if (!source) {
                if (!probe_libvirt_installed(h)) {
                        _cleanup_free_ char *why = probe_libvirt_absent_reason();
                        return why ? fail_all(s, -ENOPKG, why) : -ENOMEM;
                }
                if (!(source = strdup("files")))
                        return -ENOMEM;
        }
        r = domains_from_files(h, &l, &path);
        if (r == -ENOMEM) {
                domain_list_done(&l);
                return r;
        }
        if (r < 0) {
                domain_list_done(&l);
                free(msg);
                msg = r == -E2BIG ? xasprintf("%s: more than %u domains", strna(path), LIBVIRT_DOMAINS_MAX)
                                  : xasprintf("%s: %s", strna(path), host_strerror(r));
                return msg ? fail_all(s, r, msg) : -ENOMEM;
        }
        r = domains_store(s, &l, source);
        domain_list_done(&l);
        return r;
}

int
probe_libvirt_load(FactStore *s, Host *h)
{
        return virt_load(s, h);
}

int
probe_domain_load(FactStore *s, Host *h)
{
        return virt_load(s, h);
}

int
probe_domainstate_load(FactStore *s, Host *h)
{
        return virt_load(s, h);
}
