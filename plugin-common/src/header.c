/* header.c - compose ESeal-* header values (DESIGN.md section 4). */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "header_int.h"
#include "utf8_int.h"

#define HEADER_FOLD_COLUMN 78
#define HEADER_ITEM_MAX 1024
#define HEADER_QUOTED_MAX 300

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

/* Append "; item" (or " item" for a property of the previous item), folding first when the
 * item would pass the fold column. */
static void header_item(header_value *h, int property, const char *item, size_t n)
{
    if (h->len + n + 4 >= sizeof(h->text))
        return; /* an item is whole or absent: never cut inside a quoted string */
    if (!property)
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

/* The length of value cut to at most max bytes on a character boundary. */
static size_t header_cut(const char *value, size_t max)
{
    size_t len = 0, n;

    while (value[len] != '\0') {
        n = eseal_utf8_char_len((const unsigned char *)value + len, strlen(value + len));
        if (n == 0)
            n = 1;
        if (len + n > max)
            break;
        len += n;
    }
    return len;
}

/* Format key=value as a token or a quoted string into item; returns its length.  Quoted
 * values are cut at HEADER_QUOTED_MAX bytes: a name or a subject from a hostile message must
 * not make a header line longer than mail allows (998 octets). */
static size_t header_format(char *item, size_t size, const char *key, const char *value, int quoted)
{
    size_t n = (size_t)snprintf(item, size, "%s=", key);
    const char *p;

    if (n >= size)
        return size - 1;
    if (!quoted) {
        n += (size_t)snprintf(item + n, size - n, "%s", value);
    } else if (header_is_ascii(value)) {
        const char *end = value + header_cut(value, HEADER_QUOTED_MAX);
        item[n++] = '"';
        for (p = value; p < end && n + 3 < size; p++) {
            if (*p == '"' || *p == '\\')
                item[n++] = '\\';
            item[n++] = *p;
        }
        item[n++] = '"';
        item[n] = '\0';
    } else {
        unsigned char b64[HEADER_ITEM_MAX];
        size_t len = header_cut(value, HEADER_QUOTED_MAX * 3 / 4);
        EVP_EncodeBlock(b64, (const unsigned char *)value, (int)len);
        n += (size_t)snprintf(item + n, size - n, "\"=?UTF-8?B?%s?=\"", b64);
    }
    return n >= size ? size - 1 : n;
}

void header_add(header_value *h, const char *key, const char *value, int quoted)
{
    char item[HEADER_ITEM_MAX];

    header_item(h, 0, item, header_format(item, sizeof(item), key, value, quoted));
}

void header_add_property(header_value *h, const char *key, const char *value, int quoted)
{
    char item[HEADER_ITEM_MAX];

    header_item(h, 1, item, header_format(item, sizeof(item), key, value, quoted));
}

void header_add_number(header_value *h, const char *key, long number)
{
    char item[64];
    int n = snprintf(item, sizeof(item), "%s=%ld", key, number);

    header_item(h, 0, item, (size_t)n);
}

void header_add_word(header_value *h, const char *word)
{
    header_item(h, 0, word, strlen(word));
}
