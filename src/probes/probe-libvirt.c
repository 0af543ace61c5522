/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libvirt's configuration files and network definitions under /etc/libvirt. */
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "host.h"
#include "libvirt-conf.h"
#include "probes.h"
#include "strv.h"
#include "util.h"
#include "xml-read.h"

/* Settings whose value is a secret (qemu.conf's vnc_password and
 * spice_password, and any future *_password): recorded as "(redacted)" at
 * the probe, so no fact, report or facts file ever holds them.  Checks
 * need only whether one is set; an empty one stays empty (libvirt treats
 * "" as set but unusable). */
#define PROBE_REDACTED "(redacted)"

static bool
conf_name_is_secret(const char *name)
{
        return endswith(name, "password") || endswith(name, "_secret") || endswith(name, "passwd");
}

/* Records the assignment libvirt uses for each name and, for a name
 * assigned more than once, meta:<file>:<name>@repeated: "PATH:LINE" of
 * every assignment, the one libvirt uses (the first) first. */
static int
load_conf(FactStore *s, Host *h, const char *ns)
{
        _cleanup_free_ char *path = xasprintf("/etc/libvirt/%s", ns), *text = NULL, *lkey = NULL;
        LibvirtConfEntry *entries = NULL;
        const char *msg = NULL;
        unsigned line = 0;
        size_t n = 0;
        int r;

        if (!path)
                return -ENOMEM;
        r = host_read_text(h, path, HOST_TEXT_FILE_MAX, &text);
        /* Without the file libvirt's defaults apply, but only where there
         * is a libvirt to apply them: in a root without one (an empty
         * directory, an image without libvirt) every setting is a skip
         * that says so, never a default that passes. */
        if (r == -ENOENT && !probe_libvirt_installed(h)) {
                _cleanup_free_ char *why = probe_libvirt_absent_reason();

                if (!why)
                        return -ENOMEM;
                return fact_store_fail_namespace(s, ns, -ENOPKG, "%s", why);
        }
        if (r == -ENOENT)
                return fact_store_set_absent(s, (lkey = xasprintf("meta:%s", ns)) ? lkey : "meta:conf");
        if (r < 0)
                return fact_store_fail_namespace(s, ns, r, "%s: %s", path, host_strerror(r));
        r = libvirt_conf_parse(text, &entries, &n, &line, &msg);
        if (r == -EBADMSG)
                return fact_store_fail_namespace(s, ns, r, "%s:%u: %s", path, line, msg);
        if (r < 0)
                return r;
        /* meta:<file> records that the file exists, for "defaults apply" evidence. */
        lkey = xasprintf("meta:%s", ns);
        r = lkey ? fact_store_set_string(s, lkey, path) : -ENOMEM;
        for (size_t i = 0; r >= 0 && i < n; i++) {
                const LibvirtConfEntry *first = libvirt_conf_lookup(entries, n, entries[i].name);
                _cleanup_free_ char *key = xasprintf("%s:%s", ns, entries[i].name);
                _cleanup_free_ char *linekey = xasprintf("meta:%s:%s@line", ns, entries[i].name);
                _cleanup_free_ char *repkey = xasprintf("meta:%s:%s@repeated", ns, entries[i].name);
                Fact rep = {.kind = FACT_LIST};
                char buf[16];

                if (!key || !linekey || !repkey) {
                        r = -ENOMEM;
                        break;
                }
                if (first != &entries[i])
                        continue; /* libvirt ignores it: recorded below with the first */
                for (size_t j = i + 1; r >= 0 && j < n; j++) {
                        if (!streq(entries[j].name, entries[i].name))
                                continue;
                        if (!rep.list)
                                r = strv_consume(&rep.list, xasprintf("%s:%u", path, entries[i].line));
                        if (r >= 0)
                                r = strv_consume(&rep.list, xasprintf("%s:%u", path, entries[j].line));
                }
                if (r >= 0 && rep.list)
                        r = fact_store_put(s, repkey, &rep);
                fact_done(&rep);
                if (r < 0)
                        break;
                if (entries[i].nested)
                        r = fact_store_set_error(s, key, -EBADMSG,
                                                 "%s:%u: %s holds a list inside a list, which libvirt accepts for no setting",
                                                 path, entries[i].line, entries[i].name);
                else if (entries[i].type == LIBVIRT_CONF_LIST) {
                        Fact f = {.kind = FACT_LIST, .list = TAKE_PTR(entries[i].list)};
                        for (size_t k = 0; conf_name_is_secret(entries[i].name) && f.list && f.list[k]; k++) {
                                char *red;

                                if (!*f.list[k])
                                        continue;
                                if (!(red = strdup(PROBE_REDACTED))) {
                                        r = -ENOMEM;
                                        break;
                                }
                                free(f.list[k]);
                                f.list[k] = red;
                        }
                        if (r >= 0)
                                r = fact_store_put(s, key, &f);
                        fact_done(&f);
                } else
                        r = fact_store_set_string(s, key,
                                                  conf_name_is_secret(entries[i].name) && entries[i].value &&
                                                  *entries[i].value ? PROBE_REDACTED : entries[i].value);
                snprintf(buf, sizeof(buf), "%u", entries[i].line);
                if (r >= 0)
                        r = fact_store_set_string(s, linekey, buf);
        }
        libvirt_conf_entries_free(entries, n);
        return r;
}

int
probe_libvirt_conf_load_qemu(FactStore *s, Host *h)
{
        return load_conf(s, h, "qemu.conf");
}

int probe_libvirt_conf_load_libvirtd(FactStore *s, Host *h);
int probe_libvirt_conf_load_virtqemud(FactStore *s, Host *h);
int probe_libvirt_conf_load_virtproxyd(FactStore *s, Host *h);

int
probe_libvirt_conf_load_libvirtd(FactStore *s, Host *h)
{
        return load_conf(s, h, "libvirtd.conf");
}

int
probe_libvirt_conf_load_virtqemud(FactStore *s, Host *h)
{
        return load_conf(s, h, "virtqemud.conf");
}

int
probe_libvirt_conf_load_virtproxyd(FactStore *s, Host *h)
{
        return load_conf(s, h, "virtproxyd.conf");
}

/* A network definition is small; anything bigger is not one. */
#define NETWORK_XML_MAX (1024u * 1024u)
#define NETWORKS_MAX    4096u
/* libvirt's own limit on a name is far lower; this only bounds the fact. */
#define NETWORK_NAME_MAX 1024u

static char *
xml_prop(xmlNode *n, const char *name)
{
        xmlChar *v = xmlGetProp(n, (const xmlChar *) name);
        char *r = v ? strdup((const char *) v) : NULL;

        xmlFree(v);
        return r;
}

/*
 * network:NAME is a list of "forward=MODE" (none: "isolated"),
 * "ip=ADDRESS/FAMILY" per <ip>, "autostart=yes|no".
 */
int
probe_network_load(FactStore *s, Host *h)
{
        static const char dir[] = "/etc/libvirt/qemu/networks";
        _cleanup_strv_free_ char **names = NULL;
        size_t count = 0;
        int r;

        r = host_list_dir(h, dir, &names);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return fact_store_fail_namespace(s, "network", r, "%s: %s", dir, host_strerror(r));
        STRV_FOREACH(n, names) {
                _cleanup_free_ char *path = NULL, *text = NULL, *netname = NULL, *key = NULL, *autostart = NULL,
                                    *error = NULL;
                _cleanup_strv_free_ char **props = NULL;
                const XmlReadLimits limits = {.max_bytes = NETWORK_XML_MAX, .what = "network XML"};
                xmlDoc *doc = NULL;
                xmlNode *root;

                if (!endswith(*n, ".xml"))
                        continue;
                if (++count > NETWORKS_MAX)
                        break;
                path = xasprintf("%s/%s", dir, *n);
                if (!path)
                        return -ENOMEM;
                r = host_read_text(h, path, NETWORK_XML_MAX, &text);
                if (r < 0)
                        return fact_store_fail_namespace(s, "network", r, "%s: %s", path, host_strerror(r));
                r = xml_read(text, strlen(text), path, &limits, &doc, &error);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return fact_store_fail_namespace(s, "network", r, "%s", error);
                root = xmlDocGetRootElement(doc);
                if (!root || !xmlStrEqual(root->name, (const xmlChar *) "network")) {
                        xmlFreeDoc(doc);
                        return fact_store_fail_namespace(s, "network", -EBADMSG, "%s: not a libvirt network definition",
                                                         path);
                }
                const char *forward = "isolated";
                _cleanup_free_ char *mode = NULL;
                for (xmlNode *c = root->children; c; c = c->next) {
                        if (c->type != XML_ELEMENT_NODE)
                                continue;
                        if (xmlStrEqual(c->name, (const xmlChar *) "name") && !netname) {
                                r = xml_node_text(c, NETWORK_NAME_MAX, &netname);
                                if (r < 0) {
                                        xmlFreeDoc(doc);
                                        if (r == -ENOMEM)
                                                return r;
                                        return fact_store_fail_namespace(s, "network", r,
                                                                         "%s:%ld: <name> longer than %u bytes",
                                                                         path, xmlGetLineNo(c), NETWORK_NAME_MAX);
                                }
                        } else if (xmlStrEqual(c->name, (const xmlChar *) "forward")) {
                                free(mode);
                                mode = xml_prop(c, "mode");
                                forward = mode ? mode : "nat"; /* <forward/> without mode means nat */
                        } else if (xmlStrEqual(c->name, (const xmlChar *) "ip")) {
                                _cleanup_free_ char *addr = xml_prop(c, "address"), *fam = xml_prop(c, "family");
                                const char *family = fam ? fam : (addr && strchr(addr, ':') ? "ipv6" : "ipv4");
                                char *p = xasprintf("ip=%s/%s", addr ? addr : "", family);
                                if (strv_consume(&props, p) < 0) {
                                        xmlFreeDoc(doc);
                                        return -ENOMEM;
                                }
                        }
                }
                xmlFreeDoc(doc);
                if (!netname) {
                        netname = strndup(*n, strlen(*n) - 4);
                        if (!netname)
                                return -ENOMEM;
                }
                text_sanitize(netname);
                if (strv_consume(&props, xasprintf("forward=%s", forward)) < 0)
                        return -ENOMEM;
                autostart = xasprintf("%s/autostart/%s.xml", dir, netname);
                if (!autostart)
                        return -ENOMEM;
                r = strchr(netname, '/') ? 0 : host_exists(h, autostart);
                if (strv_consume(&props, xasprintf("autostart=%s", r > 0 ? "yes" : "no")) < 0)
                        return -ENOMEM;
                strv_sort(props);
                key = xasprintf("network:%s", netname);
                if (!key)
                        return -ENOMEM;
                Fact f = {.kind = FACT_LIST, .list = TAKE_PTR(props)};
                r = fact_store_put(s, key, &f);
                if (r < 0)
                        return r;
        }
        return 0;
}
