/* utf8_int.h - UTF-8 validity, shared by the policy engine, extraction and output. */
#ifndef ESEAL_UTF8_INT_H
#define ESEAL_UTF8_INT_H

#include <stddef.h>

/* eseal_utf8_char_len - length (1 to 4) of the valid UTF-8 character at p, whose buffer has
 * left bytes, or 0 when the bytes there are not UTF-8 (overlong, surrogate, cut short). */
size_t eseal_utf8_char_len(const unsigned char *p, size_t left);

/* eseal_utf8_valid - whether all len bytes of s are UTF-8. */
int eseal_utf8_valid(const char *s, size_t len);

#endif
