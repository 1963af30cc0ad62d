/* fuzz_pdf.c - fuzz target: the PDF reader on any bytes must open them or fail with a
 * message, and then walk the pages, read every object, write every value back, and decode
 * every stream within a small cap, all without crashing, hanging or leaking. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../plugin-common/src/pdf_int.h"

#define FUZZ_STREAM_MAX (1 << 20) /* decoded bytes of one stream */
#define FUZZ_WRITE_MAX (1 << 22)  /* bytes of one value written back */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Walk the page tree and what pages inherit. */
static void fuzz_pages(pdf_doc *doc)
{
    static const char *const keys[] = {"Resources", "MediaBox", "CropBox", "Rotate"};
    const pdf_obj *page, *v;
    size_t count, i, k;
    uint32_t num;

    if (pdf_doc_page_count(doc, &count, NULL) != 0)
        return;
    for (i = 0; i < count; i++) {
        if (pdf_doc_page(doc, i, &num, &page, NULL) != 0 || page == NULL)
            abort(); /* every page counted is there */
        for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
            pdf_doc_inherited(doc, page, keys[k], &v, NULL);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pdf_doc *doc;
    const pdf_obj *o, *again, *prev = NULL;
    unsigned char *decoded;
    size_t len;
    uint32_t num;
    pdf_entry entry;
    eseal_error err;
    eseal_buf out;

    eseal_error_clear(&err);
    if (pdf_doc_open(&doc, data, size, &err) != 0) {
        if (err.message[0] == '\0')
            abort(); /* every failure must say what is wrong */
        return 0;
    }
    if (pdf_doc_trailer(doc) == NULL)
        abort();
    fuzz_pages(doc);
    for (num = 0; num < pdf_doc_size(doc); num++) {
        pdf_doc_entry(doc, num, &entry);
        if (entry.type == PDF_ENTRY_FREE && num > 0)
            continue; /* a null: /Size may claim millions */
        eseal_error_clear(&err);
        if (pdf_doc_get(doc, num, &o, &err) != 0) {
            if (err.message[0] == '\0')
                abort();
            break; /* a cap: the rest would hit it too */
        }
        if (pdf_doc_get(doc, num, &again, NULL) != 0 || again != o)
            abort(); /* parsed once, then cached */
        if (pdf_doc_resolve(doc, o, &again, NULL) == 0 && again == NULL)
            abort();
        if (o->type == PDF_STREAM) {
            if (pdf_doc_stream_data(doc, o, FUZZ_STREAM_MAX, &decoded, &len, NULL) == 0) {
                if (len > FUZZ_STREAM_MAX || decoded[len] != '\0')
                    abort();
                free(decoded);
            }
            o = o->u.stream.dict;
        }
        eseal_buf_init(&out, FUZZ_WRITE_MAX);
        if (pdf_obj_write(&out, o) == 0 && out.len == 0)
            abort(); /* every value has a spelling */
        eseal_buf_free(&out);
        if (prev != NULL && pdf_obj_equal(o, prev) != pdf_obj_equal(prev, o))
            abort();
        prev = o;
    }
    pdf_doc_free(doc);
    return 0;
}
