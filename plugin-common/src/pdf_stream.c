/* pdf_stream.c - the decoded bytes of a PDF stream: FlateDecode with PNG and TIFF predictors.
 *
 * SECURITY: the stream comes from a mail attachment.  Decoded data is capped by the caller
 * and by PDF_STREAM_MAX, every byte inflated counts against the document's work budget, and
 * the filter chain, predictor /Colors and /Columns are capped; corrupt or short zlib data
 * gives what came out, as other readers do. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "error_int.h"
#include "pdf_doc_int.h"

#define STREAM_FILTERS_MAX 8            /* filters applied to one stream */
#define PREDICTOR_COLORS_MAX 64         /* /Colors of a predictor */
#define PREDICTOR_COLUMNS_MAX (1 << 24) /* /Columns of a predictor */
#define INFLATE_CHUNK ((size_t)1 << 30) /* input handed to zlib at a time (its counts are int) */

/* Inflate in_len bytes of zlib data into a new buffer of at most max bytes (plus a NUL).
 * Data cut short or corrupt after some output gives what came out, as other readers do. */
static int stream_inflate(pdf_doc *doc, const unsigned char *in, size_t in_len, size_t max,
                          size_t at, unsigned char **out, size_t *out_len, eseal_error *err)
{
    z_stream zs;
    unsigned char *buf, *p;
    size_t cap, fed = 0, produced = 0;
    int zrc, rc = ESEAL_OK;

    *out = NULL;
    memset(&zs, 0, sizeof(zs));
    if (inflateInit(&zs) != Z_OK)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "PDF: out of memory");
    cap = in_len < (max + 1) / 4 ? in_len * 4 + 1024 : max + 1;
    if (cap > max + 1)
        cap = max + 1;
    buf = malloc(cap + 1);
    if (buf == NULL) {
        inflateEnd(&zs);
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "PDF: out of memory");
    }
    for (;;) {
        size_t before = produced;
        if (zs.avail_in == 0 && fed < in_len) {
            size_t n = in_len - fed < INFLATE_CHUNK ? in_len - fed : INFLATE_CHUNK;
            zs.next_in = (unsigned char *)in + fed;
            zs.avail_in = (uInt)n;
            fed += n;
        }
        if (produced == cap) {
            if (cap > max) {
                rc = eseal_error_set(err, ESEAL_ERR_LIMIT,
                                     "PDF: stream at offset %zu: decodes to more than %zu bytes",
                                     at, max);
                break;
            }
            cap = cap > (max + 1) / 2 ? max + 1 : cap * 2;
            p = realloc(buf, cap + 1);
            if (p == NULL) {
                rc = eseal_error_set(err, ESEAL_ERR_NOMEM, "PDF: out of memory");
                break;
            }
            buf = p;
        }
        zs.next_out = buf + produced;
        zs.avail_out = (uInt)(cap - produced < INFLATE_CHUNK ? cap - produced : INFLATE_CHUNK);
        zrc = inflate(&zs, Z_NO_FLUSH);
        produced = (size_t)(zs.next_out - buf);
        if ((rc = pdf_work(doc, produced - before + 1, err)) != ESEAL_OK)
            break;
        if (zrc == Z_STREAM_END)
            break;
        if (zrc == Z_OK || zrc == Z_BUF_ERROR) {
            if (zs.avail_out == 0 || (zs.avail_in == 0 && fed < in_len))
                continue;
            if (zrc == Z_BUF_ERROR || zs.avail_in == 0)
                break; /* the input ended before the zlib stream did */
            continue;
        }
        if (produced == 0 || zrc == Z_MEM_ERROR) {
            rc = eseal_error_set(err, zrc == Z_MEM_ERROR ? ESEAL_ERR_NOMEM : ESEAL_ERR_FORMAT,
                                 "PDF: stream at offset %zu: FlateDecode: %s", at,
                                 zs.msg != NULL ? zs.msg : "corrupt data");
        }
        break;
    }
    inflateEnd(&zs);
    if (rc != ESEAL_OK) {
        free(buf);
        return rc;
    }
    buf[produced] = '\0';
    *out = buf;
    *out_len = produced;
    return ESEAL_OK;
}

/* An integer parameter of a predictor: def when absent, lo..hi when present. */
static int predictor_param(pdf_doc *doc, const pdf_obj *parms, const char *key, int64_t def,
                           int64_t lo, int64_t hi, size_t at, int64_t *v, eseal_error *err)
{
    const pdf_obj *o;
    int rc = pdf_doc_dict_get(doc, parms, key, &o, err);

    if (rc != ESEAL_OK)
        return rc;
    *v = def;
    if (o == NULL || o->type == PDF_NULL)
        return ESEAL_OK;
    if (o->type != PDF_INT || o->u.integer < lo || o->u.integer > hi)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PDF: stream at offset %zu: /%s of /DecodeParms is not an integer "
                               "from %" PRId64 " to %" PRId64,
                               at, key, lo, hi);
    *v = o->u.integer;
    return ESEAL_OK;
}

/* Undo the PNG predictors (each row starts with its filter type) into a new buffer. */
static int predict_png(unsigned char **data, size_t *len, size_t rowlen, size_t bpp, size_t at,
                       eseal_error *err)
{
    const unsigned char *in = *data;
    size_t n = *len, i = 0, o = 0, k;
    unsigned char *out = malloc(n + 1), *zero;

    if (rowlen > n)
        rowlen = n; /* only a partial row: the rest of a row is never read */
    zero = calloc(1, rowlen + 1);
    if (out == NULL || zero == NULL) {
        free(out);
        free(zero);
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "PDF: out of memory");
    }
    while (i < n) {
        unsigned tag = in[i++];
        size_t m = n - i < rowlen ? n - i : rowlen;
        unsigned char *cur = out + o;
        const unsigned char *src = in + i, *prior = o >= rowlen ? out + o - rowlen : zero;
        for (k = 0; k < m; k++) {
            unsigned left = k >= bpp ? cur[k - bpp] : 0, up = prior[k];
            unsigned upleft = k >= bpp ? prior[k - bpp] : 0;
            unsigned pred;
            switch (tag) {
            case 0:
                pred = 0;
                break;
            case 1:
                pred = left;
                break;
            case 2:
                pred = up;
                break;
            case 3:
                pred = (left + up) / 2;
                break;
            case 4: {
                int pa = abs((int)up - (int)upleft), pb = abs((int)left - (int)upleft);
                int pc = abs((int)left + (int)up - 2 * (int)upleft);
                pred = pa <= pb && pa <= pc ? left : pb <= pc ? up : upleft;
                break;
            }
            default:
                free(out);
                free(zero);
                return eseal_error_set(err, ESEAL_ERR_FORMAT,
                                       "PDF: stream at offset %zu: unknown PNG predictor %u", at,
                                       tag);
            }
            cur[k] = (unsigned char)(src[k] + pred);
        }
        i += m;
        o += m;
    }
    free(zero);
    free(*data);
    out[o] = '\0';
    *data = out;
    *len = o;
    return ESEAL_OK;
}

/* Undo the TIFF predictor 2 in place: each sample is the difference to the one before it
 * of the same color in its row. */
static void predict_tiff(unsigned char *data, size_t len, size_t rowlen, unsigned colors,
                         unsigned bpc, size_t columns)
{
    size_t r, k, s;

    for (r = 0; r < len; r += rowlen) {
        unsigned char *row = data + r;
        size_t n = len - r < rowlen ? len - r : rowlen;
        if (bpc == 8) {
            for (k = colors; k < n; k++)
                row[k] = (unsigned char)(row[k] + row[k - colors]);
        } else if (bpc == 16) {
            for (k = 2 * (size_t)colors; k + 1 < n; k += 2) {
                unsigned v = ((unsigned)row[k] << 8 | row[k + 1]) +
                             ((unsigned)row[k - 2 * colors] << 8 | row[k - 2 * colors + 1]);
                row[k] = (unsigned char)(v >> 8);
                row[k + 1] = (unsigned char)v;
            }
        } else {
            unsigned mask = (1u << bpc) - 1;
            for (s = colors; s < (size_t)colors * columns && (s * bpc) / 8 < n; s++) {
                size_t bit = s * bpc, pbit = (s - colors) * bpc;
                unsigned shift = 8 - bpc - (unsigned)(bit % 8);
                unsigned pshift = 8 - bpc - (unsigned)(pbit % 8);
                unsigned v = ((row[bit / 8] >> shift) + (row[pbit / 8] >> pshift)) & mask;
                row[bit / 8] = (unsigned char)((row[bit / 8] & ~(mask << shift)) | v << shift);
            }
        }
    }
}

/* Undo the predictor that parms names, if any. */
static int stream_predict(pdf_doc *doc, const pdf_obj *parms, unsigned char **data, size_t *len,
                          size_t at, eseal_error *err)
{
    int64_t predictor, colors, bpc, columns;
    size_t rowlen;
    int rc;

    if (parms == NULL || parms->type != PDF_DICT)
        return ESEAL_OK;
    if ((rc = predictor_param(doc, parms, "Predictor", 1, 0, 15, at, &predictor, err)) ||
        (rc =
             predictor_param(doc, parms, "Colors", 1, 1, PREDICTOR_COLORS_MAX, at, &colors, err)) ||
        (rc = predictor_param(doc, parms, "BitsPerComponent", 8, 1, 16, at, &bpc, err)) ||
        (rc = predictor_param(doc, parms, "Columns", 1, 1, PREDICTOR_COLUMNS_MAX, at, &columns,
                              err)))
        return rc;
    if (predictor <= 1)
        return ESEAL_OK;
    if (bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PDF: stream at offset %zu: /BitsPerComponent %" PRId64
                               " is not 1, 2, 4, 8 or 16",
                               at, bpc);
    rowlen = (size_t)((colors * bpc * columns + 7) / 8);
    if (predictor == 2) {
        predict_tiff(*data, *len, rowlen, (unsigned)colors, (unsigned)bpc, (size_t)columns);
        return ESEAL_OK;
    }
    if (predictor >= 10)
        return predict_png(data, len, rowlen, (size_t)((colors * bpc + 7) / 8), at, err);
    return eseal_error_set(err, ESEAL_ERR_FORMAT,
                           "PDF: stream at offset %zu: unknown /Predictor %" PRId64, at, predictor);
}

int pdf_doc_stream_data(pdf_doc *doc, const pdf_obj *stream, size_t max, unsigned char **data,
                        size_t *len, eseal_error *err)
{
    const pdf_obj *filter, *parms, *f, *p;
    unsigned char *cur = NULL, *next;
    size_t n = 0, nfilters, i, at;
    int rc;

    *data = NULL;
    *len = 0;
    if (stream == NULL || stream->type != PDF_STREAM)
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "PDF: expected a stream");
    at = stream->offset;
    if (max > PDF_STREAM_MAX)
        max = PDF_STREAM_MAX;
    if (pdf_dict_get(stream, "F") != NULL)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PDF: stream at offset %zu: its data is in another file (/F)", at);
    if ((rc = pdf_doc_dict_get(doc, stream, "Filter", &filter, err)) != ESEAL_OK ||
        (rc = pdf_doc_dict_get(doc, stream, "DecodeParms", &parms, err)) != ESEAL_OK)
        return rc;
    nfilters = filter == NULL || filter->type == PDF_NULL ? 0
               : filter->type == PDF_ARRAY                ? filter->u.array.len
                                                          : 1;
    if (nfilters > STREAM_FILTERS_MAX)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PDF: stream at offset %zu: more than %d filters", at,
                               STREAM_FILTERS_MAX);
    if (nfilters == 0) {
        if (stream->u.stream.raw_len > max)
            return eseal_error_set(err, ESEAL_ERR_LIMIT,
                                   "PDF: stream at offset %zu: more than %zu bytes", at, max);
        if ((rc = pdf_work(doc, stream->u.stream.raw_len, err)) != ESEAL_OK)
            return rc;
        cur = malloc(stream->u.stream.raw_len + 1);
        if (cur == NULL)
            return eseal_error_set(err, ESEAL_ERR_NOMEM, "PDF: out of memory");
        n = stream->u.stream.raw_len;
        memcpy(cur, stream->u.stream.raw, n);
        cur[n] = '\0';
    }
    for (i = 0; i < nfilters; i++) {
        f = filter;
        p = parms;
        if (filter->type == PDF_ARRAY &&
            (rc = pdf_doc_resolve(doc, filter->u.array.items[i], &f, err)) != ESEAL_OK)
            goto fail;
        if (parms != NULL && parms->type == PDF_ARRAY) {
            p = NULL;
            if (i < parms->u.array.len &&
                (rc = pdf_doc_resolve(doc, parms->u.array.items[i], &p, err)) != ESEAL_OK)
                goto fail;
        } else if (i > 0) {
            p = NULL; /* one dictionary goes with one filter */
        }
        if (!pdf_name_is(f, "FlateDecode")) {
            rc = eseal_error_set(
                err, ESEAL_ERR_FORMAT, "PDF: stream at offset %zu: filter %s%s is not supported",
                at, f->type == PDF_NAME ? "/" : "",
                f->type == PDF_NAME ? (const char *)f->u.str.data : "(not a name)");
            goto fail;
        }
        rc = stream_inflate(doc, cur != NULL ? cur : stream->u.stream.raw,
                            cur != NULL ? n : stream->u.stream.raw_len, max, at, &next, &n, err);
        free(cur);
        cur = next;
        if (rc != ESEAL_OK || (rc = stream_predict(doc, p, &cur, &n, at, err)) != ESEAL_OK)
            goto fail;
    }
    *data = cur;
    *len = n;
    return ESEAL_OK;
fail:
    free(cur);
    return rc;
}
