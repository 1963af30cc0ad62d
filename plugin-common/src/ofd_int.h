/* ofd_int.h - an OFD package (GB/T 33190): its files in memory, its XML, its paths. */
#ifndef ESEAL_OFD_INT_H
#define ESEAL_OFD_INT_H

#include <stddef.h>

#include <libxml/tree.h>

#include "eseal/error.h"

#define OFD_PATH_MAX 1024 /* bytes of a file name inside the package */

/* One file of the package; name without a leading '/'. */
typedef struct ofd_file {
    char *name;
    unsigned char *data;
    size_t len;
} ofd_file;

/* The whole package, read once; immutable afterwards. */
typedef struct ofd_package ofd_package;

/* ofd_package_open - read the zip of len bytes into *out (free with ofd_package_free): every
 * entry inflated, within the caps (entries, bytes in all, names); a name that escapes the
 * package or appears twice is ESEAL_ERR_FORMAT. */
int ofd_package_open(ofd_package **out, const unsigned char *zip, size_t len, eseal_error *err);

/* ofd_package_free - release; NULL-safe. */
void ofd_package_free(ofd_package *pkg);

/* ofd_package_count, ofd_package_file - the files, in name order; owned by pkg. */
size_t ofd_package_count(const ofd_package *pkg);
const ofd_file *ofd_package_file(const ofd_package *pkg, size_t i);

/* ofd_package_find - the file called path (a leading '/' is ignored), or NULL. */
const ofd_file *ofd_package_find(const ofd_package *pkg, const char *path);

/* ofd_resolve - the file that ref names from the file base: an absolute ref ('/...') from
 * the package's root, a relative one from base's directory and, as OFD writers often mean
 * it, from the root when that names no file.  NULL when neither exists or ref leaves the
 * package ("..").  The resolved name goes into out (size bytes) either way. */
const ofd_file *ofd_resolve(const ofd_package *pkg, const char *base, const char *ref, char *out,
                            size_t size);

/* ofd_xml - parse f as XML without network, DTD or entity substitution; NULL with err set
 * when it is not well-formed (free with xmlFreeDoc). */
xmlDoc *ofd_xml(const ofd_file *f, eseal_error *err);

/* ofd_child - the first child element of parent with local name (any namespace), or NULL. */
xmlNode *ofd_child(const xmlNode *parent, const char *name);

/* ofd_next - the next sibling element after node with the same local name, or NULL. */
xmlNode *ofd_next(const xmlNode *node);

/* ofd_text - the text of node, trimmed, into buf (size bytes); 0, or -1 when it does not fit. */
int ofd_text(const xmlNode *node, char *buf, size_t size);

/* ofd_attr - attribute name of node into buf (size bytes); 0, or -1 when absent or too long. */
int ofd_attr(const xmlNode *node, const char *name, char *buf, size_t size);

#endif
