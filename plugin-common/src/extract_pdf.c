/* extract_pdf.c - the text of the first pages of a PDF, read by poppler-glib from memory.
 *
 * SECURITY: the PDF comes from a mail attachment.  poppler parses it (repairing what it
 * can); the number of pages read is capped by max_pages and the clock is checked between
 * pages.  One page's text extraction cannot be interrupted: a single pathological page can
 * overrun the time budget.  poppler-glib reports syntax errors with g_log at INFO level in
 * the "Poppler" domain, which GLib's default handler drops unless G_MESSAGES_DEBUG is set;
 * nothing here changes process-wide logging. */
#include <string.h>

#include <poppler.h>

#include "extract_int.h"

void extract_pdf(struct extract_sink *s, const unsigned char *data, size_t len)
{
    GBytes *bytes = g_bytes_new_static(data, len); /* no copy: the document dies before data */
    GError *gerr = NULL;
    PopplerDocument *doc;
    PopplerPage *page;
    char *text;
    int pages, i, want;

    doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
    g_bytes_unref(bytes);
    if (doc == NULL) {
        if (gerr != NULL && g_error_matches(gerr, POPPLER_ERROR, POPPLER_ERROR_ENCRYPTED))
            extract_sink_note(s, "encrypted PDF: no text without the password");
        else
            extract_sink_note(s, "not a readable PDF: %.80s",
                              gerr != NULL ? gerr->message : "unknown error");
        g_clear_error(&gerr);
        return;
    }
    pages = poppler_document_get_n_pages(doc);
    if (pages <= 0)
        extract_sink_note(s, "PDF without readable pages");
    want = pages < 0 ? 0 : (unsigned)pages > s->limits.max_pages ? (int)s->limits.max_pages : pages;
    for (i = 0; i < want && !extract_sink_expired(s); i++) {
        page = poppler_document_get_page(doc, i);
        if (page == NULL) {
            extract_sink_note(s, "PDF page %d could not be read", i + 1);
            continue;
        }
        text = poppler_page_get_text(page);
        if (text != NULL)
            extract_sink_text(s, text, strlen(text), EXTRACT_SPACE_KEEP);
        g_free(text);
        g_object_unref(page);
        extract_sink_break(s, '\n');
    }
    if (!s->stop && pages > want)
        extract_sink_cap(s, "page cap %d of %d pages", want, pages);
    g_object_unref(doc);
}
