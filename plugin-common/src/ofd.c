/* ofd.c - read an OFD package (GB/T 33190): a zip of XML files and resources.
 *
 * SECURITY: the package comes from a mail attachment.  libarchive reads it from memory with
 * only the zip format enabled; entries, the bytes inflated over all of them and the length of
 * names are capped, so a zip bomb costs at most OFD_INFLATED_MAX.  Names are taken as
 * package paths: a name with a ".." segment, an empty segment or a NUL is refused, and so is a
 * name that appears twice (two readers could pick different ones).  XML is parsed by libxml2
 * without network access, DTD loading or entity substitution. */
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>
#include <libxml/parser.h>

#include "error_int.h"
#include "extract_int.h"
#include "ofd_int.h"

#define OFD_ENTRIES_MAX 10000
#define OFD_INFLATED_MAX ((size_t)128 * 1024 * 1024)
#define OFD_XML_MAX ((size_t)16 * 1024 * 1024) /* one XML file of the package */
#define OFD_XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

struct ofd_package {
    ofd_file *files; /* sorted by name */
    size_t count;
};

static int ofd_cmp(const void *a, const void *b)
{
    return strcmp(((const ofd_file *)a)->name, ((const ofd_file *)b)->name);
}

/* Whether name is a clean package path: no "..", ".", or empty segment, no leading '/'. */
static int ofd_clean(const char *name)
{
    const char *seg = name, *slash;
    size_t n;

    if (*name == '\0' || strlen(name) >= OFD_PATH_MAX)
        return 0;
    for (;;) {
        slash = strchr(seg, '/');
        n = slash ? (size_t)(slash - seg) : strlen(seg);
        if (n == 0 || (n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
            return 0;
        if (slash == NULL)
            return 1;
        seg = slash + 1;
    }
}

/* Inflate the current entry into f, counting against *budget. */
static int ofd_read_entry(struct archive *a, ofd_file *f, size_t *budget, eseal_error *err)
{
    unsigned char chunk[64 * 1024];
    la_ssize_t n;

    while ((n = archive_read_data(a, chunk, sizeof(chunk))) > 0) {
        unsigned char *grown;
        if ((size_t)n > *budget)
            return eseal_error_set(err, ESEAL_ERR_LIMIT,
                                   "OFD package inflates to more than %zu bytes", OFD_INFLATED_MAX);
        *budget -= (size_t)n;
        grown = realloc(f->data, f->len + (size_t)n + 1);
        if (grown == NULL)
            return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
        memcpy(grown + f->len, chunk, (size_t)n);
        f->data = grown;
        f->len += (size_t)n;
    }
    if (n < 0)
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "%s: cannot inflate: %s", f->name,
                               archive_error_string(a));
    if (f->data == NULL && (f->data = malloc(1)) == NULL)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    f->data[f->len] = '\0';
    return ESEAL_OK;
}

static int ofd_read_all(ofd_package *pkg, struct archive *a, eseal_error *err)
{
    struct archive_entry *entry;
    size_t budget = OFD_INFLATED_MAX, cap = 0, i;
    int r, rc = ESEAL_OK;

    while (rc == ESEAL_OK && (r = archive_read_next_header(a, &entry)) == ARCHIVE_OK) {
        const char *name = archive_entry_pathname(entry);
        ofd_file *f;
        if (archive_entry_filetype(entry) == AE_IFDIR)
            continue;
        if (name == NULL)
            return eseal_error_set(err, ESEAL_ERR_FORMAT, "OFD package entry without a name");
        if (name[0] == '/')
            name++;
        if (!ofd_clean(name))
            return eseal_error_set(err, ESEAL_ERR_FORMAT,
                                   "OFD package entry name \"%.100s\" is not a clean path", name);
        if (pkg->count == OFD_ENTRIES_MAX)
            return eseal_error_set(err, ESEAL_ERR_LIMIT, "OFD package with more than %d files",
                                   OFD_ENTRIES_MAX);
        if (pkg->count == cap) {
            ofd_file *grown = realloc(pkg->files, (cap ? cap * 2 : 32) * sizeof(*grown));
            if (grown == NULL)
                return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
            pkg->files = grown;
            cap = cap ? cap * 2 : 32;
        }
        f = &pkg->files[pkg->count++];
        memset(f, 0, sizeof(*f));
        if ((f->name = strdup(name)) == NULL)
            return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
        rc = ofd_read_entry(a, f, &budget, err);
    }
    if (rc != ESEAL_OK)
        return rc;
    if (r != ARCHIVE_EOF)
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "not a readable zip: %s",
                               archive_error_string(a));
    if (pkg->count > 1)
        qsort(pkg->files, pkg->count, sizeof(*pkg->files), ofd_cmp);
    for (i = 1; i < pkg->count; i++)
        if (strcmp(pkg->files[i - 1].name, pkg->files[i].name) == 0)
            return eseal_error_set(err, ESEAL_ERR_FORMAT, "OFD package names %.200s twice",
                                   pkg->files[i].name);
    return ESEAL_OK;
}

int ofd_package_open(ofd_package **out, const unsigned char *zip, size_t len, eseal_error *err)
{
    ofd_package *pkg = calloc(1, sizeof(*pkg));
    struct archive *a = archive_read_new();
    locale_t utf8, previous;
    int rc;

    *out = NULL;
    if (pkg == NULL || a == NULL) {
        free(pkg);
        archive_read_free(a);
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    }
    /* libarchive converts names into the locale's charset: a UTF-8 one for this thread while
     * it reads (a daemon runs in the C locale, where a Chinese name has no form at all) */
    utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
    previous = utf8 != (locale_t)0 ? uselocale(utf8) : (locale_t)0;
    archive_read_support_format_zip(a);
    if (archive_read_open_memory(a, zip, len) != ARCHIVE_OK)
        rc = eseal_error_set(err, ESEAL_ERR_FORMAT, "not a zip: %s", archive_error_string(a));
    else
        rc = ofd_read_all(pkg, a, err);
    archive_read_free(a);
    if (utf8 != (locale_t)0) {
        uselocale(previous);
        freelocale(utf8);
    }
    if (rc == ESEAL_OK && ofd_package_find(pkg, "OFD.xml") == NULL)
        rc = eseal_error_set(err, ESEAL_ERR_FORMAT, "not an OFD package: no OFD.xml");
    if (rc != ESEAL_OK) {
        ofd_package_free(pkg);
        return rc;
    }
    *out = pkg;
    return ESEAL_OK;
}

void ofd_package_free(ofd_package *pkg)
{
    size_t i;

    if (pkg == NULL)
        return;
    for (i = 0; i < pkg->count; i++) {
        free(pkg->files[i].name);
        free(pkg->files[i].data);
    }
    free(pkg->files);
    free(pkg);
}

size_t ofd_package_count(const ofd_package *pkg)
{
    return pkg->count;
}

const ofd_file *ofd_package_file(const ofd_package *pkg, size_t i)
{
    return &pkg->files[i];
}

const ofd_file *ofd_package_find(const ofd_package *pkg, const char *path)
{
    ofd_file key;

    key.name = (char *)(path[0] == '/' ? path + 1 : path);
    return pkg->count ? bsearch(&key, pkg->files, pkg->count, sizeof(key), ofd_cmp) : NULL;
}

const ofd_file *ofd_resolve(const ofd_package *pkg, const char *base, const char *ref, char *out,
                            size_t size)
{
    const char *slash = strrchr(base, '/');
    const ofd_file *f = NULL;
    int n;

    while (ref[0] == '.' && ref[1] == '/') /* "./x" is "x" */
        ref += 2;
    if (ref[0] != '/' && slash != NULL) {
        n = snprintf(out, size, "%.*s/%s", (int)(slash - base), base, ref);
        if (n > 0 && (size_t)n < size && ofd_clean(out))
            f = ofd_package_find(pkg, out);
        if (f != NULL)
            return f;
    }
    n = snprintf(out, size, "%s", ref[0] == '/' ? ref + 1 : ref);
    if (n <= 0 || (size_t)n >= size || !ofd_clean(out))
        return NULL;
    return ofd_package_find(pkg, out);
}

xmlDoc *ofd_xml(const ofd_file *f, eseal_error *err)
{
    xmlDoc *doc;

    if (f->len > OFD_XML_MAX) {
        eseal_error_set(err, ESEAL_ERR_LIMIT, "%s: XML file larger than %zu bytes", f->name,
                        OFD_XML_MAX);
        return NULL;
    }
    extract_xml_init();
    doc = xmlReadMemory((const char *)f->data, (int)f->len, f->name, NULL, OFD_XML_OPTIONS);
    if (doc == NULL || xmlDocGetRootElement(doc) == NULL) {
        xmlFreeDoc(doc);
        eseal_error_set(err, ESEAL_ERR_FORMAT, "%s: not well-formed XML", f->name);
        return NULL;
    }
    return doc;
}

xmlNode *ofd_child(const xmlNode *parent, const char *name)
{
    xmlNode *c;

    for (c = parent ? parent->children : NULL; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
            return c;
    return NULL;
}

xmlNode *ofd_next(const xmlNode *node)
{
    xmlNode *c;

    for (c = node->next; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE &&
            strcmp((const char *)c->name, (const char *)node->name) == 0)
            return c;
    return NULL;
}

int ofd_text(const xmlNode *node, char *buf, size_t size)
{
    xmlChar *text = node ? xmlNodeGetContent(node) : NULL;
    const char *s = (const char *)text;
    size_t n;
    int rc = -1;

    if (text == NULL)
        return -1;
    while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
        s++;
    n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        n--;
    if (n < size) {
        memcpy(buf, s, n);
        buf[n] = '\0';
        rc = 0;
    }
    xmlFree(text);
    return rc;
}

int ofd_attr(const xmlNode *node, const char *name, char *buf, size_t size)
{
    xmlChar *v = node ? xmlGetProp(node, (const xmlChar *)name) : NULL;
    int rc = -1;

    if (v != NULL && strlen((const char *)v) < size) {
        memcpy(buf, v, strlen((const char *)v) + 1);
        rc = 0;
    }
    xmlFree(v);
    return rc;
}
