/* fuzz_extract.c - fuzz target: any bytes, under any declared kind and charset, must give
 * NUL-free text of the length said, within the caps. The first byte picks kind and charset. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "eseal/extract.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"a.txt",  "a.html", "a.pdf", "a.docx",
                                        "a.xlsx", "a.pptx", "a.odt", "a.bin"};
    static const char *const charsets[] = {NULL, "utf-8", "gbk", "big5", "utf-16"};
    eseal_extract_limits limits;
    eseal_text text;
    eseal_error err;

    if (size < 1)
        return 0;
    eseal_extract_limits_default(&limits);
    limits.max_output = 4096;
    if (eseal_extract_text(data + 1, size - 1, NULL, names[data[0] & 7],
                           charsets[(data[0] >> 3) % 5], &limits, &text, &err) != 0)
        abort();
    if (strlen(text.text) != text.len || text.len > limits.max_output)
        abort();
    eseal_text_clear(&text);
    return 0;
}
