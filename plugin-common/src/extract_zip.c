/* extract_zip.c - the text of OOXML (docx, xlsx, pptx) and ODF (odt, ods, odp) documents.
 *
 * SECURITY: the zip comes from a mail attachment and may be a zip bomb.  libarchive reads
 * it from memory with only the zip format enabled; the entries looked at are counted
 * (max_entries), and the bytes inflated are counted over all entries together: reading stops
 * at max_inflated, so a tiny file that inflates to gigabytes costs at most that much.  Only
 * the XML parts that hold text are inflated at all.  Each part is streamed chunk by chunk
 * into libxml2's push parser, so nothing the size of a part is ever held in memory.  The
 * parser runs without network access, loads no DTD and substitutes no entities: no SAX
 * handler for entity declarations is installed, so "billion laughs" declarations are inert.
 * The clock is checked between entries and chunks. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <archive.h>
#include <archive_entry.h>
#include <libxml/parser.h>

#include "extract_int.h"

#define ZIP_CHUNK (64 * 1024) /* inflated bytes handed to the XML parser at a time */
#define ZIP_MIMETYPE_MAX 128  /* an ODF "mimetype" entry is one short line */
#define ZIP_XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

/* Which element names (local names, any namespace) shape the text of one family of parts. */
struct zip_rules {
    const char *const *text;  /* character data inside these is text */
    const char *const *skip;  /* everything inside these is ignored */
    const char *const *tab;   /* a tab where these start (cells, tab characters) */
    const char *const *line;  /* a new line where these start (line breaks) */
    const char *const *space; /* a space where these start (ODF's text:s) */
    const char *const *para;  /* a new line where these end (paragraphs, rows) */
};

static const char *const zip_ooxml_text[] = {"t", NULL};
static const char *const zip_ooxml_skip[] = {"rPh", "instrText", "delText", NULL};
static const char *const zip_ooxml_tab[] = {"tab", "tc", "c", NULL};
static const char *const zip_ooxml_line[] = {"br", "cr", NULL};
static const char *const zip_ooxml_para[] = {"p", "tr", "si", "row", NULL};
static const char *const zip_none[] = {NULL};

static const struct zip_rules zip_ooxml_rules = {zip_ooxml_text, zip_ooxml_skip, zip_ooxml_tab,
                                                 zip_ooxml_line, zip_none,       zip_ooxml_para};

static const char *const zip_odf_text[] = {"p", "h", NULL};
static const char *const zip_odf_skip[] = {"tracked-changes", NULL};
static const char *const zip_odf_tab[] = {"tab", "table-cell", NULL};
static const char *const zip_odf_line[] = {"line-break", NULL};
static const char *const zip_odf_space[] = {"s", NULL};
static const char *const zip_odf_para[] = {"p", "h", "table-row", NULL};

static const struct zip_rules zip_odf_rules = {zip_odf_text, zip_odf_skip,  zip_odf_tab,
                                               zip_odf_line, zip_odf_space, zip_odf_para};

/* OFD (GB/T 33190): the text of a page or template is its TextCode elements */
static const char *const zip_ofd_text[] = {"TextCode", NULL};
static const char *const zip_ofd_para[] = {"TextObject", NULL};

static const struct zip_rules zip_ofd_rules = {zip_ofd_text, zip_none, zip_none,
                                               zip_none,     zip_none, zip_ofd_para};

/* The state of the SAX handlers while one part is parsed. */
struct zip_xml {
    struct extract_sink *s;
    const struct zip_rules *rules;
    unsigned long text_depth; /* open elements whose character data is text */
    unsigned long skip_depth; /* open elements inside (and including) a skipped one */
};

/* The state of one zip. */
struct zip_reader {
    struct extract_sink *s;
    struct archive *a;
    unsigned char *chunk; /* ZIP_CHUNK bytes */
    size_t inflated;      /* over all entries */
    const char *odf_kind; /* from the "mimetype" entry */
    int kind_known;       /* s->kind was set from the parts */
};

/* Whether name is in a NULL-terminated list. */
static int zip_in(const xmlChar *name, const char *const *list)
{
    for (; *list != NULL; list++)
        if (strcmp((const char *)name, *list) == 0)
            return 1;
    return 0;
}

/* SAX: an element starts. */
static void zip_xml_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                          const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                          int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    struct zip_xml *x = ctx;

    (void)prefix, (void)uri, (void)nb_namespaces, (void)namespaces;
    (void)nb_attributes, (void)nb_defaulted, (void)attributes;
    if (x->skip_depth > 0 || zip_in(localname, x->rules->skip)) {
        x->skip_depth++;
        return;
    }
    if (zip_in(localname, x->rules->text))
        x->text_depth++;
    if (zip_in(localname, x->rules->tab))
        extract_sink_break(x->s, '\t');
    else if (zip_in(localname, x->rules->line))
        extract_sink_break(x->s, '\n');
    else if (zip_in(localname, x->rules->space))
        extract_sink_break(x->s, ' ');
}

/* SAX: an element ends. */
static void zip_xml_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                        const xmlChar *uri)
{
    struct zip_xml *x = ctx;

    (void)prefix, (void)uri;
    if (x->skip_depth > 0) {
        x->skip_depth--;
        return;
    }
    if (zip_in(localname, x->rules->text) && x->text_depth > 0)
        x->text_depth--;
    if (zip_in(localname, x->rules->para))
        extract_sink_break(x->s, '\n');
}

/* SAX: character data (and CDATA). */
static void zip_xml_chars(void *ctx, const xmlChar *ch, int len)
{
    struct zip_xml *x = ctx;

    if (x->skip_depth == 0 && x->text_depth > 0 && len > 0)
        extract_sink_text(x->s, (const char *)ch, (size_t)len, EXTRACT_SPACE_COLLAPSE);
}

/* Read up to want inflated bytes of the current entry into r->chunk, counting them against
 * max_inflated; returns the count, 0 at the end, -1 on an error or a cap (already noted). */
static ssize_t zip_read(struct zip_reader *r, const char *name, size_t want)
{
    size_t room = r->s->limits.max_inflated - r->inflated;
    la_ssize_t n;

    if (extract_sink_expired(r->s))
        return -1;
    n = archive_read_data(r->a, r->chunk, want < ZIP_CHUNK ? want : ZIP_CHUNK);
    if (n < 0) {
        extract_sink_note(r->s, "%.40s: %.70s", name, archive_error_string(r->a));
        return -1;
    }
    if ((size_t)n > room) {
        r->inflated += room;
        extract_sink_cap(r->s, "zip inflated more than %zu bytes", r->s->limits.max_inflated);
        return room > 0 ? (ssize_t)room : -1; /* the caller sees the stop after this chunk */
    }
    r->inflated += (size_t)n;
    return n;
}

/* Stream the current entry through the push parser with the given rules. */
static void zip_parse_entry(struct zip_reader *r, const char *name, const struct zip_rules *rules)
{
    struct zip_xml x = {r->s, rules, 0, 0};
    xmlSAXHandler sax;
    xmlParserCtxtPtr ctxt = NULL;
    ssize_t n;
    int malformed = 0;

    memset(&sax, 0, sizeof(sax));
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = zip_xml_start;
    sax.endElementNs = zip_xml_end;
    sax.characters = zip_xml_chars;
    sax.cdataBlock = zip_xml_chars;
    extract_xml_init();
    while ((n = zip_read(r, name, ZIP_CHUNK)) > 0) {
        if (ctxt == NULL) {
            ctxt = xmlCreatePushParserCtxt(&sax, &x, (const char *)r->chunk, (int)n, name);
            if (ctxt == NULL) {
                r->s->nomem = r->s->stop = 1;
                return;
            }
            xmlCtxtUseOptions(ctxt, ZIP_XML_OPTIONS);
            xmlParseChunk(ctxt, NULL, 0, 0);
        } else {
            xmlParseChunk(ctxt, (const char *)r->chunk, (int)n, 0);
        }
        if (ctxt->disableSAX || ctxt->instate == XML_PARSER_EOF) {
            malformed = !ctxt->wellFormed;
            break;
        }
        if (r->s->stop)
            break;
    }
    if (ctxt == NULL)
        return;
    if (!r->s->stop && !malformed) {
        xmlParseChunk(ctxt, NULL, 0, 1);
        malformed = !ctxt->wellFormed;
    }
    if (malformed)
        extract_sink_note(r->s, "%.60s: XML not well-formed", name);
    if (ctxt->myDoc != NULL)
        xmlFreeDoc(ctxt->myDoc);
    xmlFreeParserCtxt(ctxt);
    extract_sink_break(r->s, '\n');
}

/* Whether name (case-insensitively) is prefix + anything without '/' + suffix. */
static int zip_glob(const char *name, const char *prefix, const char *suffix)
{
    size_t n = strlen(name), p = strlen(prefix), q = strlen(suffix);

    if (n < p + q || strncasecmp(name, prefix, p) != 0 || strcasecmp(name + n - q, suffix) != 0)
        return 0;
    return memchr(name + p, '/', n - p - q) == NULL;
}

/* Whether name is the content of an OFD page or template: Doc_N/{Pages,Tpls}/X/Content.xml. */
static int zip_ofd_page(const char *name)
{
    size_t n = strlen(name);

    return strncmp(name, "Doc_", 4) == 0 && n > 12 && strcmp(name + n - 12, "/Content.xml") == 0 &&
           (strstr(name, "/Pages/") != NULL || strstr(name, "/Tpls/") != NULL);
}

/* Set the document's kind from the first part that tells it. */
static void zip_kind(struct zip_reader *r, const char *kind)
{
    if (!r->kind_known)
        r->s->kind = kind;
    r->kind_known = 1;
}

/* The rules for a part that holds text (setting the kind), or NULL for other parts. */
static const struct zip_rules *zip_part(struct zip_reader *r, const char *name)
{
    const char *k = r->s->kind;

    if (zip_glob(name, "word/document", ".xml") || zip_glob(name, "word/header", ".xml") ||
        zip_glob(name, "word/footer", ".xml") || zip_glob(name, "word/footnotes", ".xml") ||
        zip_glob(name, "word/endnotes", ".xml")) {
        zip_kind(r, "docx");
        return &zip_ooxml_rules;
    }
    if (zip_glob(name, "xl/sharedStrings", ".xml") ||
        zip_glob(name, "xl/worksheets/sheet", ".xml")) {
        zip_kind(r, "xlsx");
        return &zip_ooxml_rules;
    }
    if (zip_glob(name, "ppt/slides/slide", ".xml")) {
        zip_kind(r, "pptx");
        return &zip_ooxml_rules;
    }
    if (zip_ofd_page(name)) {
        zip_kind(r, "ofd");
        return &zip_ofd_rules;
    }
    if (strcmp(name, "content.xml") == 0) {
        if (r->odf_kind != NULL)
            zip_kind(r, r->odf_kind);
        else
            zip_kind(r, strcmp(k, "ods") == 0 || strcmp(k, "odp") == 0 ? k : "odt");
        return &zip_odf_rules;
    }
    return NULL;
}

/* Read the ODF "mimetype" entry and remember the kind it names. */
static void zip_mimetype(struct zip_reader *r)
{
    static const char prefix[] = "application/vnd.oasis.opendocument.";
    ssize_t n = zip_read(r, "mimetype", ZIP_MIMETYPE_MAX);
    const char *rest = (const char *)r->chunk + sizeof(prefix) - 1;

    if (n < (ssize_t)sizeof(prefix) || memcmp(r->chunk, prefix, sizeof(prefix) - 1) != 0)
        return;
    r->chunk[n] = '\0';
    if (strncmp(rest, "text", 4) == 0)
        r->odf_kind = "odt";
    else if (strncmp(rest, "spreadsheet", 11) == 0)
        r->odf_kind = "ods";
    else if (strncmp(rest, "presentation", 12) == 0)
        r->odf_kind = "odp";
}

void extract_zip(struct extract_sink *s, const unsigned char *data, size_t len)
{
    struct zip_reader r = {s, NULL, NULL, 0, NULL, 0};
    struct archive_entry *entry;
    const struct zip_rules *rules;
    const char *name;
    unsigned entries = 0;
    int rc;

    r.a = archive_read_new();
    r.chunk = malloc(ZIP_CHUNK + 1);
    if (r.a == NULL || r.chunk == NULL || archive_read_support_format_zip(r.a) != ARCHIVE_OK) {
        s->nomem = s->stop = 1;
        goto done;
    }
    if (archive_read_open_memory(r.a, data, len) != ARCHIVE_OK) {
        extract_sink_note(s, "not a zip archive");
        goto done;
    }
    while (!extract_sink_expired(s)) {
        rc = archive_read_next_header(r.a, &entry);
        if (rc == ARCHIVE_EOF)
            break;
        if (rc < ARCHIVE_WARN && entries == 0)
            extract_sink_note(s, "not a zip archive");
        else if (rc < ARCHIVE_WARN)
            extract_sink_note(s, "zip damaged after %u entries", entries);
        if (rc == ARCHIVE_FATAL)
            break;
        if (++entries > s->limits.max_entries) {
            extract_sink_cap(s, "zip entry cap %u", s->limits.max_entries);
            break;
        }
        if (rc < ARCHIVE_WARN || (name = archive_entry_pathname(entry)) == NULL)
            continue;
        name += strspn(name, "/");
        if (strcmp(name, "mimetype") == 0)
            zip_mimetype(&r);
        else if ((rules = zip_part(&r, name)) != NULL)
            zip_parse_entry(&r, name, rules);
        /* Moving to the next header skips what was not read: by seeking when the entry's
         * size is known, but by inflating it when it is not (a streamed zip, whose sizes
         * follow the data).  Inflate it here instead, where the bytes count. */
        if (!archive_entry_size_is_set(entry))
            while (zip_read(&r, name, ZIP_CHUNK) > 0 && !s->stop)
                ;
    }
done:
    if (r.a != NULL)
        archive_read_free(r.a);
    free(r.chunk);
}
