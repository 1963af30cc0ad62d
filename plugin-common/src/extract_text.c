/* extract_text.c - the text of plain text in any charset, and of HTML.
 *
 * SECURITY: the bytes and the charset name come from a mail attachment.  Charset names are
 * checked against a tight alphabet before iconv sees them; conversion runs in bounded chunks
 * and replaces bad input instead of stopping; HTML is converted to UTF-8 first (at most
 * max_inflated bytes), then parsed by libxml2's HTML parser without network access, with SAX
 * handlers and no tree, so memory stays flat and deep nesting hides no text. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <glib.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#include "extract_int.h"
#include "utf8_int.h"

#define TEXT_CHUNK (64 * 1024)     /* UTF-8 is copied this much at a time between clock checks */
#define TEXT_ICONV_OUT (16 * 1024) /* iconv output buffer */
#define TEXT_CHARSET_MAX 64
#define TEXT_META_SPAN 4096    /* a meta charset is looked for this far into HTML */
#define TEXT_CLOCK_EVENTS 1024 /* HTML parser events between clock checks */

static const char TEXT_REPLACEMENT[] = "\xef\xbf\xbd"; /* U+FFFD */

/* Charset names (lower case) read with a wider charset: mail labels GBK text "gb2312". */
static const char *const text_gb_aliases[] = {
    "gb2312", "gbk",      "cp936",    "ms936",      "windows-936", "x-gbk",
    "euc-cn", "x-euc-cn", "csgb2312", "gb_2312-80", "chinese",     "gb18030",
};

/* Charset names that say nothing useful: the bytes are guessed instead. */
static const char *const text_vague_charsets[] = {
    "us-ascii", "ascii", "unknown-8bit", "x-unknown", "unknown", "default", "binary",
};

/* Whether name is in a list of lower-case names. */
static int text_in_list(const char *name, const char *const *list, size_t count)
{
    size_t i;

    for (i = 0; i < count; i++)
        if (strcasecmp(name, list[i]) == 0)
            return 1;
    return 0;
}

/* Whether the first span bytes of data are UTF-8 (a character cut by the span is fine). */
static int text_is_utf8(const unsigned char *data, size_t len, size_t span)
{
    size_t i = 0, n, k;

    if (len > span)
        len = span;
    while (i < len) {
        n = data[i] < 0x80 ? 1 : eseal_utf8_char_len(data + i, len - i);
        if (n == 0) {
            /* valid only as a lead byte and continuation bytes cut short by the end */
            if (len - i >= 4 || data[i] < 0xc2 || data[i] > 0xf4)
                return 0;
            for (k = i + 1; k < len; k++)
                if ((data[k] & 0xc0) != 0x80)
                    return 0;
            return 1;
        }
        i += n;
    }
    return 1;
}

/* Append valid-or-repaired UTF-8 in chunks cut at character starts, checking the clock. */
static void text_copy_utf8(struct extract_sink *s, const unsigned char *data, size_t len)
{
    size_t off = 0, n;

    while (off < len && !extract_sink_expired(s)) {
        n = len - off > TEXT_CHUNK ? TEXT_CHUNK : len - off;
        while (off + n < len && n > TEXT_CHUNK - 4 && (data[off + n] & 0xc0) == 0x80)
            n--; /* do not split a character between chunks */
        extract_sink_text(s, (const char *)data + off, n, EXTRACT_SPACE_KEEP);
        off += n;
    }
}

/* Convert from charset `from` (an iconv name) into s, replacing what cannot be converted. */
static int text_iconv(struct extract_sink *s, const unsigned char *data, size_t len,
                      const char *from)
{
    GIConv cd = g_iconv_open("UTF-8", from);
    char out[TEXT_ICONV_OUT];
    gchar *in = (gchar *)data, *o;
    gsize in_left = len, out_left, r;
    size_t unit = strncasecmp(from, "UTF-16", 6) == 0   ? 2
                  : strncasecmp(from, "UTF-32", 6) == 0 ? 4
                                                        : 1;
    int e;

    if (cd == (GIConv)-1)
        return 0;
    while (in_left > 0 && !extract_sink_expired(s)) {
        o = out;
        out_left = sizeof(out);
        r = g_iconv(cd, &in, &in_left, &o, &out_left);
        e = errno;
        extract_sink_text(s, out, (size_t)(o - out), EXTRACT_SPACE_KEEP);
        if (r != (gsize)-1 || e == E2BIG)
            continue;
        extract_sink_text(s, TEXT_REPLACEMENT, 3, EXTRACT_SPACE_KEEP);
        if (e != EILSEQ)
            break; /* EINVAL: input ends inside a character */
        in += in_left < unit ? in_left : unit;
        in_left -= in_left < unit ? in_left : unit;
    }
    g_iconv_close(cd);
    return 1;
}

/* Whether name is a plausible charset name (letters, digits and . _ : - only). */
static int text_charset_ok(const char *name)
{
    size_t n = strlen(name);

    return n > 0 && n < TEXT_CHARSET_MAX &&
           strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-") == n;
}

/* Decode data in charset (NULL or vague: guess) into s as UTF-8. */
static void text_decode(struct extract_sink *s, const unsigned char *data, size_t len,
                        const char *charset)
{
    int utf8 = 0;

    if (charset != NULL &&
        (!text_charset_ok(charset) ||
         text_in_list(charset, text_vague_charsets, G_N_ELEMENTS(text_vague_charsets))))
        charset = NULL;
    if (charset != NULL && text_in_list(charset, text_gb_aliases, G_N_ELEMENTS(text_gb_aliases)))
        charset = "GB18030";
    if (charset != NULL && (strcasecmp(charset, "utf-8") == 0 || strcasecmp(charset, "utf8") == 0))
        utf8 = 1;
    if (charset == NULL && len >= 2 &&
        ((data[0] == 0xff && data[1] == 0xfe) || (data[0] == 0xfe && data[1] == 0xff)))
        charset = "UTF-16"; /* iconv reads the byte-order mark */
    if (charset == NULL)
        utf8 = (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0) ||
               text_is_utf8(data, len, s->limits.max_output + 4);
    if (utf8) {
        if (len >= 3 && memcmp(data, "\xef\xbb\xbf", 3) == 0)
            data += 3, len -= 3;
        text_copy_utf8(s, data, len);
        return;
    }
    if (charset == NULL)
        charset = "GB18030";
    if (!text_iconv(s, data, len, charset)) {
        extract_sink_note(s, "unknown charset %.64s, read as UTF-8 or GB18030", charset);
        text_decode(s, data, len, NULL);
    }
}

void extract_plain(struct extract_sink *s, const unsigned char *data, size_t len,
                   const char *charset)
{
    text_decode(s, data, len, charset);
}

/* The charset an HTML document declares near its start (meta charset or http-equiv). */
static const char *text_meta_charset(const unsigned char *data, size_t len, char *out, size_t size)
{
    size_t span = len < TEXT_META_SPAN ? len : TEXT_META_SPAN, i, n;

    for (i = 0; i + 8 <= span; i++) {
        if (strncasecmp((const char *)data + i, "charset=", 8) != 0)
            continue;
        i += 8;
        while (i < span && (data[i] == '"' || data[i] == '\'' || data[i] == ' '))
            i++;
        for (n = 0;
             i + n < span && n + 1 < size && data[i + n] > ' ' && data[i + n] != '"' &&
             data[i + n] != '\'' && data[i + n] != ';' && data[i + n] != '>' && data[i + n] != '/';
             n++)
            out[n] = (char)data[i + n];
        out[n] = '\0';
        return n > 0 ? out : NULL;
    }
    return NULL;
}

/* How an HTML element shapes the text. */
enum text_role { TEXT_INLINE, TEXT_BLOCK, TEXT_CELL, TEXT_SKIP };

/* bsearch comparison of a name with an entry of a sorted list of names. */
static int text_name_cmp(const void *key, const void *entry)
{
    return strcmp(key, *(const char *const *)entry);
}

/* The role of an HTML element (libxml2 gives names in lower case). */
static enum text_role text_html_role(const xmlChar *name)
{
    /* both sorted by strcmp, for bsearch */
    static const char *const skip[] = {"applet", "embed", "object", "script", "style", "template"};
    static const char *const block[] = {
        "address", "article", "aside", "blockquote", "body",     "br",         "caption", "center",
        "dd",      "div",     "dl",    "dt",         "fieldset", "figcaption", "figure",  "footer",
        "form",    "h1",      "h2",    "h3",         "h4",       "h5",         "h6",      "head",
        "header",  "hr",      "html",  "legend",     "li",       "main",       "nav",     "ol",
        "option",  "p",       "pre",   "section",    "table",    "tbody",      "tfoot",   "thead",
        "title",   "tr",      "ul"};
    const char *n = (const char *)name;

    if (n == NULL)
        return TEXT_INLINE;
    if (strcmp(n, "td") == 0 || strcmp(n, "th") == 0)
        return TEXT_CELL;
    if (bsearch(n, skip, G_N_ELEMENTS(skip), sizeof(skip[0]), text_name_cmp) != NULL)
        return TEXT_SKIP;
    if (bsearch(n, block, G_N_ELEMENTS(block), sizeof(block[0]), text_name_cmp) != NULL)
        return TEXT_BLOCK;
    return TEXT_INLINE;
}

/* The state of the SAX handlers while one HTML document is parsed. */
struct text_html {
    struct extract_sink *s;
    htmlParserCtxtPtr ctxt;
    unsigned long skip_depth; /* open elements inside (and including) a script or style */
    unsigned long events;     /* SAX events, for checking the clock now and then */
};

/* Count one SAX event; stop the parser when the text is full or the time is up. */
static void text_html_tick(struct text_html *h)
{
    if (h->s->stop || (++h->events % TEXT_CLOCK_EVENTS == 0 && extract_sink_expired(h->s)))
        xmlStopParser(h->ctxt);
}

/* The separator an element puts around its text. */
static void text_html_edge(struct text_html *h, const xmlChar *name)
{
    enum text_role role = text_html_role(name);

    if (role == TEXT_BLOCK)
        extract_sink_break(h->s, '\n');
    else if (role == TEXT_CELL)
        extract_sink_break(h->s, '\t');
}

/* SAX: an element starts (the parser has already closed what HTML says it closes). */
static void text_html_start(void *ctx, const xmlChar *name, const xmlChar **attributes)
{
    struct text_html *h = ctx;

    (void)attributes;
    text_html_tick(h);
    if (h->skip_depth > 0 || text_html_role(name) == TEXT_SKIP)
        h->skip_depth++;
    else
        text_html_edge(h, name);
}

/* SAX: an element ends. */
static void text_html_end(void *ctx, const xmlChar *name)
{
    struct text_html *h = ctx;

    if (h->skip_depth > 0)
        h->skip_depth--;
    else
        text_html_edge(h, name);
}

/* SAX: character data, entities already replaced. */
static void text_html_chars(void *ctx, const xmlChar *ch, int len)
{
    struct text_html *h = ctx;

    text_html_tick(h);
    if (h->skip_depth == 0 && len > 0)
        extract_sink_text(h->s, (const char *)ch, (size_t)len, EXTRACT_SPACE_COLLAPSE);
}

/* Parse UTF-8 HTML with SAX handlers into s.  No tree is built: libxml2 caps the depth of
 * trees it builds (256) and would drop everything below, which would hide text. */
static void text_html_parse(struct extract_sink *s, const char *utf8, size_t len)
{
    struct text_html h = {s, NULL, 0, 0};

    extract_xml_init();
    h.ctxt = htmlCreateMemoryParserCtxt(utf8, (int)len);
    if (h.ctxt == NULL || h.ctxt->sax == NULL) {
        s->nomem = s->stop = 1;
        htmlFreeParserCtxt(h.ctxt);
        return;
    }
    memset(h.ctxt->sax, 0, sizeof(*h.ctxt->sax));
    h.ctxt->sax->initialized = 1;
    h.ctxt->sax->startElement = text_html_start;
    h.ctxt->sax->endElement = text_html_end;
    h.ctxt->sax->characters = text_html_chars;
    h.ctxt->sax->ignorableWhitespace = text_html_chars;
    h.ctxt->userData = &h;
    /* the bytes are UTF-8 now, whatever a meta tag says */
    htmlCtxtUseOptions(h.ctxt, HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                   HTML_PARSE_NOBLANKS | HTML_PARSE_IGNORE_ENC);
    xmlSwitchEncoding(h.ctxt, XML_CHAR_ENCODING_UTF8);
    htmlParseDocument(h.ctxt);
    if (h.ctxt->myDoc != NULL)
        xmlFreeDoc(h.ctxt->myDoc);
    htmlFreeParserCtxt(h.ctxt);
}

void extract_xml_init(void)
{
    static gsize done = 0;

    if (g_once_init_enter(&done)) {
        xmlInitParser();
        g_once_init_leave(&done, 1);
    }
}

void extract_html(struct extract_sink *s, const unsigned char *data, size_t len,
                  const char *charset)
{
    struct extract_sink utf8;
    char meta[TEXT_CHARSET_MAX];

    /* convert first, so that a bad byte costs one U+FFFD and not the rest of the page */
    memset(&utf8, 0, sizeof(utf8));
    utf8.limits = s->limits;
    utf8.limits.max_output = s->limits.max_inflated < INT_MAX ? s->limits.max_inflated : INT_MAX;
    utf8.deadline_ns = s->deadline_ns;
    if (charset == NULL)
        charset = text_meta_charset(data, len, meta, sizeof(meta));
    text_decode(&utf8, data, len, charset);
    if (utf8.nomem) {
        s->nomem = s->stop = 1;
        free(utf8.buf);
        return;
    }
    if (utf8.len > 0)
        text_html_parse(s, utf8.buf, utf8.len);
    free(utf8.buf);
    if (utf8.capped && strncmp(utf8.cap_reason, "text cap", 8) == 0)
        extract_sink_cap(s, "HTML cut after %zu bytes", utf8.limits.max_output);
    else if (utf8.capped)
        extract_sink_cap(s, "%s", utf8.cap_reason);
}
