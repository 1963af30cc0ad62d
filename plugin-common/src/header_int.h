/* header_int.h - compose ESeal-* header values: authserv-id first, "; key=value" items,
 * RFC 2047 for non-ASCII, folded at 78 columns. */
#ifndef ESEAL_HEADER_INT_H
#define ESEAL_HEADER_INT_H

#include <stddef.h>

#define HEADER_VALUE_MAX 2048

/* A header value being composed; plain data on the caller's stack. */
typedef struct header_value {
    char text[HEADER_VALUE_MAX];
    size_t len;
    size_t column; /* where the current line is, counting "Name: " on the first */
} header_value;

/* header_begin - start the value of header name with the authserv-id. */
void header_begin(header_value *h, const char *name, const char *authserv_id);

/* header_add - append "; key=value", value as a token (bare) or a quoted string (quoted);
 * a quoted value with non-ASCII bytes becomes "=?UTF-8?B?...?=".  Items that would pass
 * column 78 start a new folded line ("\n\t"). */
void header_add(header_value *h, const char *key, const char *value, int quoted);

/* header_add_property - append " key=value" to the previous item (RFC 8601 properties,
 * "smime=pass smime.signer=..."). */
void header_add_property(header_value *h, const char *key, const char *value, int quoted);

/* header_add_number - append "; key=N". */
void header_add_number(header_value *h, const char *key, long n);

/* header_add_word - append "; word" (a bare flag such as unverified-contract). */
void header_add_word(header_value *h, const char *word);

#endif
