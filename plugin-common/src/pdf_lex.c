/* pdf_lex.c - the PDF tokenizer and object parser (ISO 32000-1 section 7.2 and 7.3).
 *
 * SECURITY: the bytes come from a mail attachment.  The cursor never moves past len; every
 * string and name is capped at PDF_STRING_MAX, every array and dictionary at
 * PDF_CONTAINER_MAX items and PDF_DEPTH_MAX levels of nesting; every byte lexed is counted
 * against the document's work budget, so input that makes the parser go over the same bytes
 * again and again ends in ESEAL_ERR_LIMIT instead of a hang.  Values are allocated in the
 * document's arena, which is capped as a whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error_int.h"
#include "pdf_doc_int.h"

/* Dictionaries up to this size are checked for repeated keys pairwise, larger ones by
 * sorting. */
#define LEX_DICT_SMALL 16

static const pdf_obj lex_null = {PDF_NULL, SIZE_MAX, SIZE_MAX, {0}};

const pdf_obj *pdf_null(void)
{
    return &lex_null;
}

int pdf_is_space(unsigned char c)
{
    return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

int pdf_is_delim(unsigned char c)
{
    return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' ||
           c == '}' || c == '/' || c == '%';
}

/* A regular character: part of a keyword, number or name. */
static int lex_is_regular(unsigned char c)
{
    return !pdf_is_space(c) && !pdf_is_delim(c);
}

static int lex_hex_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

void pdf_lex_init(struct pdf_lex *lx, pdf_doc *doc, const unsigned char *data, size_t len,
                  size_t pos, uint32_t objstm)
{
    lx->doc = doc;
    lx->data = data;
    lx->len = len;
    lx->pos = pos < len ? pos : len;
    lx->objstm = objstm;
}

const char *pdf_lex_where(const struct pdf_lex *lx, size_t pos, char *buf, size_t size)
{
    if (lx->objstm != 0)
        snprintf(buf, size, "object stream %u, offset %zu", (unsigned)lx->objstm, pos);
    else
        snprintf(buf, size, "offset %zu", pos);
    return buf;
}

/* A syntax error at pos, with what was wrong. */
static int lex_error(const struct pdf_lex *lx, size_t pos, eseal_error *err, const char *what)
{
    char where[64];

    return eseal_error_set(err, ESEAL_ERR_FORMAT, "PDF: at %s: %s",
                           pdf_lex_where(lx, pos, where, sizeof(where)), what);
}

void pdf_lex_skip_space(struct pdf_lex *lx)
{
    while (lx->pos < lx->len) {
        unsigned char c = lx->data[lx->pos];
        if (pdf_is_space(c)) {
            lx->pos++;
        } else if (c == '%') {
            while (lx->pos < lx->len && lx->data[lx->pos] != '\r' && lx->data[lx->pos] != '\n')
                lx->pos++;
        } else {
            break;
        }
    }
}

/* Append one decoded byte of a string or name to the scratch buffer (n bytes used). */
static int lex_put(struct pdf_lex *lx, size_t *n, unsigned char c, eseal_error *err)
{
    pdf_doc *doc = lx->doc;

    if (*n >= PDF_STRING_MAX)
        return eseal_error_set(err, ESEAL_ERR_LIMIT,
                               "PDF: at offset %zu: a string or name longer than %u bytes", lx->pos,
                               PDF_STRING_MAX);
    if (*n >= doc->scratch_cap) {
        size_t cap = doc->scratch_cap < 256 ? 256 : doc->scratch_cap * 2;
        unsigned char *p = realloc(doc->scratch, cap);
        if (p == NULL)
            return eseal_error_set(err, ESEAL_ERR_NOMEM, "PDF: out of memory");
        doc->scratch = p;
        doc->scratch_cap = cap;
    }
    doc->scratch[(*n)++] = c;
    return ESEAL_OK;
}

/* Copy the n scratch bytes into the arena as the token's string. */
static int lex_store(struct pdf_lex *lx, struct pdf_tok *tok, size_t n, eseal_error *err)
{
    tok->str = pdf_alloc(lx->doc, n + 1, err);
    if (tok->str == NULL)
        return err != NULL ? err->code : ESEAL_ERR_NOMEM;
    if (n > 0)
        memcpy(tok->str, lx->doc->scratch, n);
    tok->str[n] = '\0';
    tok->str_len = n;
    return ESEAL_OK;
}

/* A literal string: the cursor is past '('. Escapes, nesting and line ends per 7.3.4.2. */
static int lex_literal(struct pdf_lex *lx, struct pdf_tok *tok, int store, eseal_error *err)
{
    const unsigned char *d = lx->data;
    size_t n = 0, depth = 1;
    int rc;

    while (lx->pos < lx->len) {
        unsigned char c = d[lx->pos++];
        if (c == '\\') {
            if (lx->pos >= lx->len)
                break;
            c = d[lx->pos++];
            switch (c) {
            case 'n':
                c = '\n';
                break;
            case 'r':
                c = '\r';
                break;
            case 't':
                c = '\t';
                break;
            case 'b':
                c = '\b';
                break;
            case 'f':
                c = '\f';
                break;
            case '\r': /* a line continuation: neither the backslash nor the end of line */
                if (lx->pos < lx->len && d[lx->pos] == '\n')
                    lx->pos++;
                continue;
            case '\n':
                continue;
            default:
                if (c >= '0' && c <= '7') {
                    unsigned v = c - '0', i;
                    for (i = 1;
                         i < 3 && lx->pos < lx->len && d[lx->pos] >= '0' && d[lx->pos] <= '7'; i++)
                        v = v * 8 + (d[lx->pos++] - '0');
                    c = (unsigned char)v;
                }
                break; /* \( \) \\ and an unknown escape stand for the character itself */
            }
        } else if (c == '(') {
            depth++;
        } else if (c == ')') {
            if (--depth == 0) {
                tok->type = PDF_TOK_STRING;
                return store ? lex_store(lx, tok, n, err) : ESEAL_OK;
            }
        } else if (c == '\r') { /* an end of line in a string reads as one \n */
            if (lx->pos < lx->len && d[lx->pos] == '\n')
                lx->pos++;
            c = '\n';
        }
        if (store && (rc = lex_put(lx, &n, c, err)) != ESEAL_OK)
            return rc;
        else if (!store && ++n > PDF_STRING_MAX)
            return lex_put(lx, &n, c, err); /* the same message as when storing */
    }
    return lex_error(lx, tok->start, err, "string without its closing ')'");
}

/* A hex string: the cursor is past '<'. An odd last digit reads as followed by 0. */
static int lex_hex(struct pdf_lex *lx, struct pdf_tok *tok, int store, eseal_error *err)
{
    size_t n = 0;
    int high = -1, rc;

    while (lx->pos < lx->len) {
        unsigned char c = lx->data[lx->pos++];
        int v;
        if (c == '>') {
            if (high >= 0 && store && (rc = lex_put(lx, &n, (unsigned char)(high << 4), err)))
                return rc;
            tok->type = PDF_TOK_STRING;
            tok->hex = 1;
            return store ? lex_store(lx, tok, n, err) : ESEAL_OK;
        }
        if (pdf_is_space(c))
            continue;
        v = lex_hex_value(c);
        if (v < 0)
            return lex_error(lx, lx->pos - 1, err, "a character that is not hex in <...>");
        if (high < 0) {
            high = v;
        } else {
            if (store && (rc = lex_put(lx, &n, (unsigned char)(high << 4 | v), err)))
                return rc;
            else if (!store && ++n > PDF_STRING_MAX)
                return lex_put(lx, &n, 0, err);
            high = -1;
        }
    }
    return lex_error(lx, tok->start, err, "hex string without its closing '>'");
}

/* A name: the cursor is past '/'. #xx is the byte xx; a '#' not followed by two hex digits
 * is kept as it is (PDF 1.1 names). */
static int lex_name(struct pdf_lex *lx, struct pdf_tok *tok, int store, eseal_error *err)
{
    const unsigned char *d = lx->data;
    size_t n = 0;
    int rc;

    while (lx->pos < lx->len && lex_is_regular(d[lx->pos])) {
        unsigned char c = d[lx->pos++];
        if (c == '#' && lx->pos + 1 < lx->len && lex_hex_value(d[lx->pos]) >= 0 &&
            lex_hex_value(d[lx->pos + 1]) >= 0) {
            c = (unsigned char)(lex_hex_value(d[lx->pos]) << 4 | lex_hex_value(d[lx->pos + 1]));
            lx->pos += 2;
        }
        if (store && (rc = lex_put(lx, &n, c, err)) != ESEAL_OK)
            return rc;
        else if (!store && ++n > PDF_STRING_MAX)
            return lex_put(lx, &n, c, err);
    }
    tok->type = PDF_TOK_NAME;
    return store ? lex_store(lx, tok, n, err) : ESEAL_OK;
}

/* A number ([+-]digits[.digits] or [+-].digits), or a keyword when the run of regular
 * characters is anything else. Reals are computed without strtod (no locale). */
static void lex_number(struct pdf_lex *lx, struct pdf_tok *tok)
{
    const unsigned char *d = lx->data;
    size_t p = lx->pos, end;
    int neg = 0, dot = 0, digits = 0, overflow = 0;
    int64_t mant = 0;
    double real = 0, scale = 1;

    end = p;
    while (end < lx->len && lex_is_regular(d[end]))
        end++;
    if (d[p] == '+' || d[p] == '-')
        neg = d[p++] == '-';
    for (; p < end; p++) {
        unsigned char c = d[p];
        if (c == '.' && !dot) {
            dot = 1;
        } else if (c >= '0' && c <= '9') {
            digits++;
            if (!overflow && mant <= (INT64_MAX - 9) / 10) {
                mant = mant * 10 + (c - '0');
                if (dot)
                    scale *= 10;
            } else if (!dot) {
                overflow = 1; /* digits beyond int64 still scale the integer part */
                scale /= 10;
            }
        } else {
            break;
        }
    }
    lx->pos = end;
    tok->end = end;
    if (p != end || digits == 0) {
        tok->type = PDF_TOK_KEYWORD;
        return;
    }
    real = (double)mant / scale;
    if (dot || overflow) {
        tok->type = PDF_TOK_REAL;
        tok->real = neg ? -real : real;
    } else {
        tok->type = PDF_TOK_INT;
        tok->integer = neg ? -mant : mant;
    }
}

int pdf_lex_next(struct pdf_lex *lx, struct pdf_tok *tok, int store, eseal_error *err)
{
    size_t before = lx->pos;
    unsigned char c;
    int rc = ESEAL_OK, work;

    memset(tok, 0, sizeof(*tok));
    pdf_lex_skip_space(lx);
    tok->start = lx->pos;
    if (lx->pos >= lx->len) {
        tok->type = PDF_TOK_EOF;
        tok->end = lx->pos;
        return pdf_work(lx->doc, lx->pos - before + 1, err);
    }
    c = lx->data[lx->pos++];
    switch (c) {
    case '[':
        tok->type = PDF_TOK_ARRAY_OPEN;
        break;
    case ']':
        tok->type = PDF_TOK_ARRAY_CLOSE;
        break;
    case '<':
        if (lx->pos < lx->len && lx->data[lx->pos] == '<') {
            lx->pos++;
            tok->type = PDF_TOK_DICT_OPEN;
        } else {
            rc = lex_hex(lx, tok, store, err);
        }
        break;
    case '>':
        if (lx->pos < lx->len && lx->data[lx->pos] == '>') {
            lx->pos++;
            tok->type = PDF_TOK_DICT_CLOSE;
        } else {
            rc = lex_error(lx, tok->start, err, "a '>' that closes nothing");
        }
        break;
    case '(':
        rc = lex_literal(lx, tok, store, err);
        break;
    case ')':
        rc = lex_error(lx, tok->start, err, "a ')' that closes nothing");
        break;
    case '/':
        rc = lex_name(lx, tok, store, err);
        break;
    case '{':
    case '}':
        tok->type = PDF_TOK_KEYWORD; /* only PostScript functions use them: no PDF value */
        break;
    default:
        lx->pos--;
        if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
            lex_number(lx, tok);
        } else {
            while (lx->pos < lx->len && lex_is_regular(lx->data[lx->pos]))
                lx->pos++;
            tok->type = PDF_TOK_KEYWORD;
        }
        break;
    }
    tok->end = lx->pos;
    /* Bytes lexed count even when the token is bad: the scan of a damaged file may try the
     * same unbalanced string from many places. */
    work = pdf_work(lx->doc, lx->pos - before + 1, err);
    return work != ESEAL_OK ? work : rc;
}

int pdf_tok_is(const struct pdf_lex *lx, const struct pdf_tok *tok, const char *kw)
{
    size_t n = strlen(kw);

    return tok->type == PDF_TOK_KEYWORD && tok->end - tok->start == n &&
           memcmp(lx->data + tok->start, kw, n) == 0;
}

/* A new value of type t that spans [start, end) of the lexer's data. */
static pdf_obj *parse_new(struct pdf_lex *lx, pdf_type t, size_t start, size_t end,
                          eseal_error *err)
{
    pdf_obj *o = pdf_alloc(lx->doc, sizeof(*o), err);

    if (o == NULL)
        return NULL;
    o->type = t;
    o->offset = lx->objstm != 0 ? SIZE_MAX : start;
    o->end = lx->objstm != 0 ? SIZE_MAX : end;
    return o;
}

/* Push one item of a container being parsed onto the doc's shared stack. */
static int parse_push(struct pdf_lex *lx, void *item, eseal_error *err)
{
    pdf_doc *doc = lx->doc;

    if (doc->stack_len == doc->stack_cap) {
        size_t cap = doc->stack_cap < 64 ? 64 : doc->stack_cap * 2;
        void **p = realloc(doc->stack, cap * sizeof(*p));
        if (p == NULL)
            return eseal_error_set(err, ESEAL_ERR_NOMEM, "PDF: out of memory");
        doc->stack = p;
        doc->stack_cap = cap;
    }
    doc->stack[doc->stack_len++] = item;
    return ESEAL_OK;
}

/* A key and its position, to find repeated keys of a large dictionary by sorting. */
struct parse_key {
    const char *key;
    size_t index;
};

static int parse_key_cmp(const void *a, const void *b)
{
    const struct parse_key *x = a, *y = b;
    int c = strcmp(x->key, y->key);

    if (c != 0)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Build the dictionary o from n key/value pairs on the stack at base, each key once, in
 * the order of first appearance with the value of the last. */
static int parse_dict_fill(struct pdf_lex *lx, pdf_obj *o, size_t base, size_t n, eseal_error *err)
{
    void **items = n > 0 ? lx->doc->stack + base : NULL; /* no stack yet for "<<>>" */
    size_t i, j, out = 0;

    o->u.dict.keys = pdf_alloc(lx->doc, (n ? n : 1) * sizeof(char *), err);
    o->u.dict.values = pdf_alloc(lx->doc, (n ? n : 1) * sizeof(pdf_obj *), err);
    if (o->u.dict.keys == NULL || o->u.dict.values == NULL)
        return err != NULL ? err->code : ESEAL_ERR_NOMEM;
    if (n <= LEX_DICT_SMALL) {
        for (i = 0; i < n; i++) {
            for (j = 0; j < out && strcmp(o->u.dict.keys[j], items[2 * i]) != 0; j++)
                ;
            o->u.dict.keys[j] = items[2 * i];
            o->u.dict.values[j] = items[2 * i + 1];
            if (j == out)
                out++;
        }
    } else {
        struct parse_key *k = malloc(n * sizeof(*k));
        size_t *slot = malloc(n * sizeof(*slot)); /* where the value of pair i goes */
        if (k == NULL || slot == NULL) {
            free(k);
            free(slot);
            return eseal_error_set(err, ESEAL_ERR_NOMEM, "PDF: out of memory");
        }
        for (i = 0; i < n; i++) {
            k[i].key = items[2 * i];
            k[i].index = i;
        }
        qsort(k, n, sizeof(*k), parse_key_cmp);
        for (i = 0; i < n; i = j) {
            for (j = i; j < n && strcmp(k[i].key, k[j].key) == 0; j++)
                slot[k[j].index] = k[i].index; /* every repeat goes to the first position */
        }
        free(k);
        for (i = 0; i < n; i++) {
            if (slot[i] == i) { /* a first appearance: give it a place */
                o->u.dict.keys[out] = items[2 * i];
                slot[i] = out++;
            } else {
                slot[i] = slot[slot[i]];
            }
            o->u.dict.values[slot[i]] = items[2 * i + 1];
        }
        free(slot);
    }
    o->u.dict.len = out;
    return ESEAL_OK;
}

static int parse_tok(struct pdf_lex *lx, struct pdf_tok *tok, unsigned depth, pdf_obj **out,
                     eseal_error *err);

/* The items of an array or dictionary after its opening token. */
static int parse_container(struct pdf_lex *lx, const struct pdf_tok *open, unsigned depth,
                           pdf_obj **out, eseal_error *err)
{
    pdf_doc *doc = lx->doc;
    int dict = open->type == PDF_TOK_DICT_OPEN;
    enum pdf_tok_type close = dict ? PDF_TOK_DICT_CLOSE : PDF_TOK_ARRAY_CLOSE;
    size_t base = doc->stack_len, n = 0;
    struct pdf_tok tok;
    pdf_obj *o, *item;
    int rc;

    if (depth >= PDF_DEPTH_MAX) {
        char where[64];
        return eseal_error_set(err, ESEAL_ERR_LIMIT, "PDF: at %s: nested deeper than %d",
                               pdf_lex_where(lx, open->start, where, sizeof(where)), PDF_DEPTH_MAX);
    }
    for (;;) {
        if ((rc = pdf_lex_next(lx, &tok, 1, err)) != ESEAL_OK)
            goto fail;
        if (tok.type == close)
            break;
        if (tok.type == PDF_TOK_EOF) {
            rc = lex_error(lx, open->start, err,
                           dict ? "dictionary without its closing '>>'"
                                : "array without its closing ']'");
            goto fail;
        }
        if (n >= PDF_CONTAINER_MAX) {
            char where[64];
            rc = eseal_error_set(err, ESEAL_ERR_LIMIT, "PDF: at %s: more than %d items",
                                 pdf_lex_where(lx, open->start, where, sizeof(where)),
                                 PDF_CONTAINER_MAX);
            goto fail;
        }
        if (dict) {
            if (tok.type != PDF_TOK_NAME) {
                rc = lex_error(lx, tok.start, err, "expected a name as dictionary key");
                goto fail;
            }
            if ((rc = parse_push(lx, tok.str, err)) != ESEAL_OK)
                goto fail;
            if ((rc = pdf_lex_next(lx, &tok, 1, err)) != ESEAL_OK)
                goto fail;
            if (tok.type == close) { /* a key without value: as if absent */
                doc->stack_len--;
                break;
            }
        }
        if ((rc = parse_tok(lx, &tok, depth + 1, &item, err)) != ESEAL_OK)
            goto fail;
        if ((rc = parse_push(lx, item, err)) != ESEAL_OK)
            goto fail;
        n++;
    }
    o = parse_new(lx, dict ? PDF_DICT : PDF_ARRAY, open->start, tok.end, err);
    if (o == NULL) {
        rc = err != NULL ? err->code : ESEAL_ERR_NOMEM;
        goto fail;
    }
    if (dict) {
        rc = parse_dict_fill(lx, o, base, n, err);
        if (rc != ESEAL_OK)
            goto fail;
    } else {
        o->u.array.items = pdf_alloc(doc, (n ? n : 1) * sizeof(pdf_obj *), err);
        if (o->u.array.items == NULL) {
            rc = err != NULL ? err->code : ESEAL_ERR_NOMEM;
            goto fail;
        }
        if (n > 0)
            memcpy(o->u.array.items, doc->stack + base, n * sizeof(pdf_obj *));
        o->u.array.len = n;
    }
    doc->stack_len = base;
    *out = o;
    return ESEAL_OK;
fail:
    doc->stack_len = base;
    return rc;
}

/* Whether the integer just read starts "N G R": then *o becomes that ref. */
static int parse_ref(struct pdf_lex *lx, const struct pdf_tok *num, pdf_obj **o, eseal_error *err)
{
    size_t save = lx->pos;
    struct pdf_tok gen, r;

    if (num->integer < 0 || num->integer > UINT32_MAX)
        return ESEAL_OK;
    /* A look-ahead failure is no error here: the tokens are read again as values. */
    if (pdf_lex_next(lx, &gen, 0, NULL) == ESEAL_OK && gen.type == PDF_TOK_INT &&
        gen.integer >= 0 && gen.integer <= UINT16_MAX &&
        pdf_lex_next(lx, &r, 0, NULL) == ESEAL_OK && pdf_tok_is(lx, &r, "R")) {
        *o = parse_new(lx, PDF_REF, num->start, r.end, err);
        if (*o == NULL)
            return err != NULL ? err->code : ESEAL_ERR_NOMEM;
        (*o)->u.ref.num = (uint32_t)num->integer;
        (*o)->u.ref.gen = (uint16_t)gen.integer;
        return ESEAL_OK;
    }
    lx->pos = save;
    return pdf_work(lx->doc, 0, err); /* a budget blown during the look-ahead */
}

/* The value that starts with tok. */
static int parse_tok(struct pdf_lex *lx, struct pdf_tok *tok, unsigned depth, pdf_obj **out,
                     eseal_error *err)
{
    pdf_obj *o = NULL;
    int rc;

    switch (tok->type) {
    case PDF_TOK_INT:
        if ((rc = parse_ref(lx, tok, &o, err)) != ESEAL_OK)
            return rc;
        if (o == NULL && (o = parse_new(lx, PDF_INT, tok->start, tok->end, err)) != NULL)
            o->u.integer = tok->integer;
        break;
    case PDF_TOK_REAL:
        if ((o = parse_new(lx, PDF_REAL, tok->start, tok->end, err)) != NULL)
            o->u.real = tok->real;
        break;
    case PDF_TOK_STRING:
    case PDF_TOK_NAME:
        o = parse_new(lx, tok->type == PDF_TOK_NAME ? PDF_NAME : PDF_STRING, tok->start, tok->end,
                      err);
        if (o != NULL) {
            o->u.str.data = tok->str;
            o->u.str.len = tok->str_len;
            o->u.str.hex = tok->hex;
        }
        break;
    case PDF_TOK_ARRAY_OPEN:
    case PDF_TOK_DICT_OPEN:
        return parse_container(lx, tok, depth, out, err);
    case PDF_TOK_KEYWORD:
        if (pdf_tok_is(lx, tok, "true") || pdf_tok_is(lx, tok, "false")) {
            if ((o = parse_new(lx, PDF_BOOL, tok->start, tok->end, err)) != NULL)
                o->u.boolean = pdf_tok_is(lx, tok, "true");
        } else if (pdf_tok_is(lx, tok, "null")) {
            o = parse_new(lx, PDF_NULL, tok->start, tok->end, err);
        } else {
            return lex_error(lx, tok->start, err, "expected a value, found a keyword");
        }
        break;
    case PDF_TOK_EOF:
        return lex_error(lx, tok->start, err, "expected a value, found the end");
    default:
        return lex_error(lx, tok->start, err, "expected a value, found ']' or '>>'");
    }
    if (o == NULL)
        return err != NULL ? err->code : ESEAL_ERR_NOMEM;
    *out = o;
    return ESEAL_OK;
}

int pdf_parse_value(struct pdf_lex *lx, pdf_obj **out, eseal_error *err)
{
    struct pdf_tok tok;
    int rc = pdf_lex_next(lx, &tok, 1, err);

    if (rc != ESEAL_OK)
        return rc;
    return parse_tok(lx, &tok, 0, out, err);
}

int pdf_parse_header(struct pdf_lex *lx, uint32_t *num, uint16_t *gen, eseal_error *err)
{
    struct pdf_tok n, g, kw;
    size_t start;
    int rc;

    pdf_lex_skip_space(lx);
    start = lx->pos;
    if ((rc = pdf_lex_next(lx, &n, 0, err)) != ESEAL_OK ||
        (rc = pdf_lex_next(lx, &g, 0, err)) != ESEAL_OK ||
        (rc = pdf_lex_next(lx, &kw, 0, err)) != ESEAL_OK)
        return rc;
    if (n.type != PDF_TOK_INT || n.integer < 0 || n.integer > UINT32_MAX || g.type != PDF_TOK_INT ||
        g.integer < 0 || g.integer > UINT16_MAX || !pdf_tok_is(lx, &kw, "obj"))
        return lex_error(lx, start, err, "expected 'N G obj'");
    *num = (uint32_t)n.integer;
    *gen = (uint16_t)g.integer;
    return ESEAL_OK;
}
