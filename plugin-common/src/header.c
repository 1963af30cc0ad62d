/* header.c - compose ESeal-* header values (DESIGN.md section 4). */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "header_int.h"

#define HEADER_FOLD_COLUMN 78
#define HEADER_ITEM_MAX 1024

static void header_append(header_value *h, const char *s, size_t n)
{
    if (n > sizeof(h->text) - 1 - h->len)
        n = sizeof(h->text) - 1 - h->len; /* a cap, not an overflow: values are bounded */
    memcpy(h->text + h->len, s, n);
    h->len += n;
    h->text[h->len] = '\0';
    h->column += n;
}

void header_begin(header_value *h, const char *name, const char *authserv_id)
{
    h->len = 0;
    h->text[0] = '\0';
    h->column = strlen(name) + 2; /* "Name: " */
    header_append(h, authserv_id, strlen(authserv_id));
}

/* Append "; item", folding first when the item would pass the fold column. */
static void header_item(header_value *h, const char *item, size_t n)
{
    header_append(h, ";", 1);
    if (h->column + 1 + n > HEADER_FOLD_COLUMN) {
        header_append(h, "\n\t", 2);
        h->column = 8; /* a tab counts as a full indent */
    } else {
        header_append(h, " ", 1);
    }
    header_append(h, item, n);
}

static int header_is_ascii(const char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s >= 0x80 || (unsigned char)*s < 0x20)
            return 0;
    return 1;
}

void header_add(header_value *h, const char *key, const char *value, int quoted)
{
    char item[HEADER_ITEM_MAX];
    size_t n = (size_t)snprintf(item, sizeof(item), "%s=", key);
    const char *p;

    if (n >= sizeof(item))
        return;
    if (!quoted) {
        n += (size_t)snprintf(item + n, sizeof(item) - n, "%s", value);
    } else if (header_is_ascii(value)) {
        item[n++] = '"';
        for (p = value; *p != '\0' && n + 3 < sizeof(item); p++) {
            if (*p == '"' || *p == '\\')
                item[n++] = '\\';
            item[n++] = *p;
        }
        item[n++] = '"';
        item[n] = '\0';
    } else {
        unsigned char b64[HEADER_ITEM_MAX];
        size_t len = strlen(value), max = ((sizeof(item) - n - 16) / 4) * 3 - 3;
        if (len > max)
            len = max; /* cut very long names rather than the header */
        EVP_EncodeBlock(b64, (const unsigned char *)value, (int)len);
        n += (size_t)snprintf(item + n, sizeof(item) - n, "\"=?UTF-8?B?%s?=\"", b64);
    }
    if (n >= sizeof(item))
        n = sizeof(item) - 1;
    header_item(h, item, n);
}

void header_add_number(header_value *h, const char *key, long number)
{
    char item[64];
    int n = snprintf(item, sizeof(item), "%s=%ld", key, number);

    header_item(h, item, (size_t)n);
}

void header_add_word(header_value *h, const char *word)
{
    header_item(h, word, strlen(word));
}
