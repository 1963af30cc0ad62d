/* png.c - a strict PNG decoder (ISO/IEC 15948) for the stamp image of visible seals.
 *
 * SECURITY: the image is named by the administrator, but it is read as if it were hostile:
 * every chunk length is checked against the bytes left before it is used, every chunk's CRC
 * is checked, chunks must come in the order the standard prescribes, and unknown critical
 * chunks are refused.  The size of the inflated image data follows from IHDR, is capped
 * (ESEAL_PNG_SIDE_MAX, ESEAL_PNG_RAW_MAX) before anything is inflated, and zlib writes into
 * a buffer of exactly that size, so a zlib bomb stops at its first byte too many.
 * Interlaced images are refused rather than decoded. */
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "error_int.h"
#include "png_int.h"

#define PNG_CHUNK_MAX 0x7fffffffu /* longest chunk and largest side the standard allows */
#define PNG_CHUNK_OVERHEAD 12     /* length, type and CRC around a chunk's data */

static const unsigned char png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

/* Where the chunks are: IDAT must come after IHDR, PLTE and tRNS, in one unbroken run. */
enum png_stage { PNG_BEFORE_IDAT, PNG_IN_IDAT, PNG_AFTER_IDAT };

/* What the chunks read so far said, and the image data inflated so far. */
struct png_reader {
    uint32_t width, height;
    unsigned depth, color_type;
    unsigned samples; /* per pixel in the file: 1 to 4 */
    size_t row_bytes; /* one filtered row without its filter type byte */
    unsigned char palette[256][3];
    unsigned palette_len; /* colours; 0 until PLTE */
    unsigned char palette_alpha[256];
    unsigned palette_alpha_len;
    uint16_t key[3]; /* the transparent colour of a gray or RGB image (tRNS) */
    int has_key;
    int seen_trns;
    enum png_stage stage;
    z_stream z;
    int z_open;
    int z_end;          /* the zlib stream has ended */
    unsigned char *raw; /* height rows of 1 + row_bytes bytes */
    size_t raw_len;
};

/* Big-endian numbers, as every integer in PNG is. */
static uint32_t png_be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t png_be16(const unsigned char *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}

/* Chunk types are four ASCII letters; checked before one is printed in a message. */
static int png_type_valid(const unsigned char *t)
{
    size_t i;

    for (i = 0; i < 4; i++)
        if (!((t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= 'a' && t[i] <= 'z')))
            return 0;
    return 1;
}

static int png_read_ihdr(struct png_reader *r, const unsigned char *p, uint32_t n, size_t at,
                         eseal_error *err)
{
    /* Samples per pixel of each colour type; 0 where the type does not exist. */
    static const unsigned samples_of[7] = {1, 0, 3, 1, 2, 0, 4};
    unsigned depth, type;
    int depth_ok;

    if (n != 13)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PNG: IHDR at offset %zu: %u bytes long, expected 13", at, n);
    r->width = png_be32(p);
    r->height = png_be32(p + 4);
    depth = p[8];
    type = p[9];
    if (r->width == 0 || r->height == 0 || r->width > PNG_CHUNK_MAX || r->height > PNG_CHUNK_MAX)
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "PNG: IHDR: impossible size %ux%u", r->width,
                               r->height);
    if (r->width > ESEAL_PNG_SIDE_MAX || r->height > ESEAL_PNG_SIDE_MAX)
        return eseal_error_set(err, ESEAL_ERR_LIMIT,
                               "PNG: image of %ux%u pixels is larger than the %ux%u allowed",
                               r->width, r->height, ESEAL_PNG_SIDE_MAX, ESEAL_PNG_SIDE_MAX);
    if (type >= sizeof(samples_of) / sizeof(samples_of[0]) || samples_of[type] == 0)
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "PNG: IHDR: unknown colour type %u", type);
    if (depth == 8)
        depth_ok = 1;
    else if (depth == 16)
        depth_ok = type != 3;
    else
        depth_ok = (depth == 1 || depth == 2 || depth == 4) && (type == 0 || type == 3);
    if (!depth_ok)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PNG: IHDR: bit depth %u is not allowed with colour type %u", depth,
                               type);
    if (p[10] != 0 || p[11] != 0)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PNG: IHDR: unknown compression method %u or filter method %u",
                               p[10], p[11]);
    if (p[12] == 1)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PNG: interlaced (Adam7) images are not supported; save the "
                               "image without interlacing");
    if (p[12] != 0)
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "PNG: IHDR: unknown interlace method %u",
                               p[12]);
    r->depth = depth;
    r->color_type = type;
    r->samples = samples_of[type];
    /* At most 4096 * 64 bits a row and 4096 rows: no overflow before the cap is checked. */
    r->row_bytes = ((size_t)r->width * depth * r->samples + 7) / 8;
    r->raw_len = (size_t)r->height * (r->row_bytes + 1);
    if (r->raw_len > ESEAL_PNG_RAW_MAX)
        return eseal_error_set(err, ESEAL_ERR_LIMIT,
                               "PNG: %ux%u pixels of %u bits need %zu bytes, more than the %zu "
                               "allowed",
                               r->width, r->height, depth * r->samples, r->raw_len,
                               ESEAL_PNG_RAW_MAX);
    return ESEAL_OK;
}

static int png_read_plte(struct png_reader *r, const unsigned char *p, uint32_t n, size_t at,
                         eseal_error *err)
{
    unsigned i;

    if (r->stage != PNG_BEFORE_IDAT || r->palette_len != 0 || r->seen_trns)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PNG: PLTE at offset %zu: expected once, before tRNS and IDAT", at);
    if (r->color_type == 0 || r->color_type == 4)
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "PNG: PLTE at offset %zu in a gray image",
                               at);
    if (n == 0 || n % 3 != 0 || n / 3 > 256 || (r->color_type == 3 && n / 3 > 1u << r->depth))
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PNG: PLTE at offset %zu: %u bytes are not 1 to %u colours", at, n,
                               r->color_type == 3 && r->depth < 8 ? 1u << r->depth : 256);
    r->palette_len = n / 3;
    for (i = 0; i < r->palette_len; i++)
        memcpy(r->palette[i], p + 3 * i, 3);
    return ESEAL_OK;
}

static int png_read_trns(struct png_reader *r, const unsigned char *p, uint32_t n, size_t at,
                         eseal_error *err)
{
    unsigned i, want = r->color_type == 0 ? 2 : 6;

    if (r->stage != PNG_BEFORE_IDAT || r->seen_trns)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PNG: tRNS at offset %zu: expected once, before IDAT", at);
    r->seen_trns = 1;
    if (r->color_type == 3) {
        if (r->palette_len == 0 || n > r->palette_len)
            return eseal_error_set(err, ESEAL_ERR_FORMAT,
                                   "PNG: tRNS at offset %zu: %u alpha values for %u colours "
                                   "(expected after PLTE, at most one a colour)",
                                   at, n, r->palette_len);
        memcpy(r->palette_alpha, p, n);
        r->palette_alpha_len = n;
        return ESEAL_OK;
    }
    if (r->color_type == 4 || r->color_type == 6)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PNG: tRNS at offset %zu in an image with an alpha channel", at);
    if (n != want)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PNG: tRNS at offset %zu: %u bytes long, expected %u", at, n, want);
    for (i = 0; i < want / 2; i++) {
        r->key[i] = png_be16(p + 2 * i);
        if (r->depth < 16 && r->key[i] >> r->depth != 0)
            return eseal_error_set(err, ESEAL_ERR_FORMAT,
                                   "PNG: tRNS at offset %zu: sample %u does not fit in %u bits", at,
                                   r->key[i], r->depth);
    }
    r->has_key = 1;
    return ESEAL_OK;
}

/* Inflate one IDAT chunk's data into r->raw, which has room for exactly the image. */
static int png_read_idat(struct png_reader *r, const unsigned char *p, uint32_t n, size_t at,
                         eseal_error *err)
{
    int zrc;

    if (r->color_type == 3 && r->palette_len == 0)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PNG: IDAT at offset %zu: a palette image needs PLTE before it", at);
    if (!r->z_open) {
        r->raw = malloc(r->raw_len);
        if (r->raw == NULL)
            return eseal_error_set(err, ESEAL_ERR_NOMEM, "PNG: out of memory for %zu bytes",
                                   r->raw_len);
        memset(&r->z, 0, sizeof(r->z));
        if (inflateInit(&r->z) != Z_OK)
            return eseal_error_set(err, ESEAL_ERR_NOMEM, "PNG: zlib: cannot start inflating");
        r->z_open = 1;
        r->z.next_out = r->raw;
        r->z.avail_out = (uInt)r->raw_len; /* at most ESEAL_PNG_RAW_MAX */
    }
    if (n > 0 && r->z_end)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PNG: IDAT at offset %zu: data after the end of the compressed "
                               "image",
                               at);
    r->z.next_in = (Bytef *)p;
    r->z.avail_in = n;
    while (r->z.avail_in > 0 && !r->z_end) {
        zrc = inflate(&r->z, Z_NO_FLUSH);
        if (zrc == Z_STREAM_END)
            r->z_end = 1;
        else if (zrc == Z_BUF_ERROR && r->z.avail_out == 0)
            return eseal_error_set(err, ESEAL_ERR_FORMAT,
                                   "PNG: IDAT at offset %zu: more image data than the %zu bytes "
                                   "of %ux%u pixels",
                                   at, r->raw_len, r->width, r->height);
        else if (zrc != Z_OK)
            return eseal_error_set(err, ESEAL_ERR_FORMAT, "PNG: IDAT at offset %zu: zlib: %s", at,
                                   r->z.msg != NULL ? r->z.msg : "unusable data");
    }
    if (r->z.avail_in > 0)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PNG: IDAT at offset %zu: data after the end of the compressed "
                               "image",
                               at);
    return ESEAL_OK;
}

/* The Paeth predictor: whichever of left, up and upper left is nearest to left + up - ul. */
static unsigned png_paeth(unsigned left, unsigned up, unsigned ul)
{
    int p = (int)left + (int)up - (int)ul;
    int pa = abs(p - (int)left), pb = abs(p - (int)up), pc = abs(p - (int)ul);

    if (pa <= pb && pa <= pc)
        return left;
    return pb <= pc ? up : ul;
}

/* Undo the row filters in place; the first row's "previous row" is all zero. */
static int png_unfilter(struct png_reader *r, eseal_error *err)
{
    size_t stride = r->row_bytes + 1, step = (r->depth * r->samples + 7) / 8, i;
    unsigned char *row, *prev = NULL;
    unsigned left, up, ul;
    uint32_t y;

    for (y = 0; y < r->height; y++) {
        row = r->raw + (size_t)y * stride + 1;
        for (i = 0; i < r->row_bytes; i++) {
            left = i >= step ? row[i - step] : 0;
            up = prev != NULL ? prev[i] : 0;
            ul = prev != NULL && i >= step ? prev[i - step] : 0;
            switch (row[-1]) {
            case 0:
                break;
            case 1:
                row[i] = (unsigned char)(row[i] + left);
                break;
            case 2:
                row[i] = (unsigned char)(row[i] + up);
                break;
            case 3:
                row[i] = (unsigned char)(row[i] + ((left + up) >> 1));
                break;
            case 4:
                row[i] = (unsigned char)(row[i] + png_paeth(left, up, ul));
                break;
            default:
                return eseal_error_set(err, ESEAL_ERR_FORMAT,
                                       "PNG: image row %u: unknown filter type %u", y, row[-1]);
            }
        }
        prev = row;
    }
    return ESEAL_OK;
}

/* Sample c of pixel x of an unfiltered row, at the file's bit depth. */
static unsigned png_sample(const struct png_reader *r, const unsigned char *row, uint32_t x,
                           unsigned c)
{
    size_t bit;

    if (r->depth == 16)
        return png_be16(row + 2 * ((size_t)x * r->samples + c));
    if (r->depth == 8)
        return row[(size_t)x * r->samples + c];
    bit = (size_t)x * r->depth; /* one sample a pixel below 8 bits, packed from the top bit */
    return (row[bit / 8] >> (8 - r->depth - bit % 8)) & ((1u << r->depth) - 1);
}

/* A sample scaled to 8 bits. */
static unsigned char png_to8(const struct png_reader *r, unsigned v)
{
    if (r->depth == 16)
        return (unsigned char)((v * 255 + 32895) >> 16);
    if (r->depth == 8)
        return (unsigned char)v;
    return (unsigned char)(v * 255 / ((1u << r->depth) - 1));
}

/* Turn the unfiltered rows into 8-bit gray or RGB samples and an alpha plane. */
static int png_expand(const struct png_reader *r, eseal_png *png, eseal_error *err)
{
    size_t pixels = (size_t)r->width * r->height, at = 0;
    int has_alpha = (r->color_type & 4) || r->has_key || r->palette_alpha_len > 0, opaque = 1;
    const unsigned char *row;
    unsigned s[4], c, a;
    uint32_t x, y;

    png->width = r->width;
    png->height = r->height;
    png->channels = r->color_type == 0 || r->color_type == 4 ? 1 : 3;
    png->color = malloc(pixels * png->channels);
    png->alpha = has_alpha ? malloc(pixels) : NULL;
    if (png->color == NULL || (has_alpha && png->alpha == NULL))
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "PNG: out of memory for %ux%u pixels",
                               r->width, r->height);
    for (y = 0; y < r->height; y++) {
        row = r->raw + (size_t)y * (r->row_bytes + 1) + 1;
        for (x = 0; x < r->width; x++, at++) {
            for (c = 0; c < r->samples; c++)
                s[c] = png_sample(r, row, x, c);
            a = 255;
            if (r->color_type == 3) {
                if (s[0] >= r->palette_len)
                    return eseal_error_set(err, ESEAL_ERR_FORMAT,
                                           "PNG: pixel (%u, %u) is colour %u of a palette of %u", x,
                                           y, s[0], r->palette_len);
                memcpy(png->color + 3 * at, r->palette[s[0]], 3);
                if (s[0] < r->palette_alpha_len)
                    a = r->palette_alpha[s[0]];
            } else {
                for (c = 0; c < png->channels; c++)
                    png->color[png->channels * at + c] = png_to8(r, s[c]);
                if (r->color_type & 4)
                    a = png_to8(r, s[png->channels]);
                else if (r->has_key && s[0] == r->key[0] &&
                         (png->channels == 1 || (s[1] == r->key[1] && s[2] == r->key[2])))
                    a = 0;
            }
            if (png->alpha != NULL)
                png->alpha[at] = (unsigned char)a;
            opaque &= a == 255;
        }
    }
    if (opaque) { /* a tRNS colour nobody uses, or an alpha channel that is all 255 */
        free(png->alpha);
        png->alpha = NULL;
    }
    return ESEAL_OK;
}

/* Check the chunk at offset at (length, type, CRC) and hand its data to its reader. */
static int png_read_chunk(struct png_reader *r, const unsigned char *data, size_t len, size_t at,
                          uint32_t *n_out, int *iend, eseal_error *err)
{
    const unsigned char *type = data + at + 4, *body = data + at + 8;
    uint32_t n, crc;
    int idat;

    if (len - at < PNG_CHUNK_OVERHEAD)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PNG: cut short at offset %zu: expected a chunk (IEND is missing)",
                               at);
    n = png_be32(data + at);
    if (n > PNG_CHUNK_MAX || n > len - at - PNG_CHUNK_OVERHEAD)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PNG: chunk at offset %zu: length %u runs past the end of the "
                               "file (%zu bytes)",
                               at, n, len);
    if (!png_type_valid(type))
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PNG: chunk at offset %zu: its type is not four letters", at);
    crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), type, n + 4);
    if (crc != png_be32(body + n))
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PNG: %.4s at offset %zu: CRC is %08x, expected %08x", type, at,
                               png_be32(body + n), crc);
    *n_out = n;
    if ((at == sizeof(png_signature)) != (memcmp(type, "IHDR", 4) == 0))
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PNG: %.4s at offset %zu: expected IHDR first and only there", type,
                               at);
    idat = memcmp(type, "IDAT", 4) == 0;
    if (idat && r->stage == PNG_AFTER_IDAT)
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PNG: IDAT at offset %zu: the IDAT chunks are not consecutive", at);
    if (r->stage == PNG_IN_IDAT && !idat)
        r->stage = PNG_AFTER_IDAT;
    if (memcmp(type, "IHDR", 4) == 0)
        return png_read_ihdr(r, body, n, at, err);
    if (memcmp(type, "PLTE", 4) == 0)
        return png_read_plte(r, body, n, at, err);
    if (memcmp(type, "tRNS", 4) == 0)
        return png_read_trns(r, body, n, at, err);
    if (idat) {
        r->stage = PNG_IN_IDAT;
        return png_read_idat(r, body, n, at, err);
    }
    if (memcmp(type, "IEND", 4) == 0) {
        if (n != 0 || !r->z_open)
            return eseal_error_set(err, ESEAL_ERR_FORMAT,
                                   "PNG: IEND at offset %zu: expected empty, after IDAT", at);
        *iend = 1;
        return ESEAL_OK;
    }
    if ((type[0] & 0x20) == 0) /* an upper-case first letter: needed to show the image */
        return eseal_error_set(err, ESEAL_ERR_FORMAT,
                               "PNG: %.4s at offset %zu: unknown chunk that the image needs", type,
                               at);
    return ESEAL_OK; /* ancillary: text, gamma, colour profile, time ... */
}

int eseal_png_decode(eseal_png *png, const unsigned char *data, size_t len, eseal_error *err)
{
    struct png_reader r;
    size_t at = sizeof(png_signature);
    uint32_t n = 0;
    int iend = 0, rc;

    memset(png, 0, sizeof(*png));
    memset(&r, 0, sizeof(r));
    if (len < sizeof(png_signature) || memcmp(data, png_signature, sizeof(png_signature)) != 0)
        return eseal_error_set(err, ESEAL_ERR_FORMAT, "PNG: not a PNG file (no PNG signature)");
    do {
        rc = png_read_chunk(&r, data, len, at, &n, &iend, err);
        at += PNG_CHUNK_OVERHEAD + (size_t)n;
    } while (rc == ESEAL_OK && !iend);
    if (rc == ESEAL_OK && at != len)
        rc = eseal_error_set(err, ESEAL_ERR_FORMAT, "PNG: %zu bytes after IEND at offset %zu",
                             len - at, at - PNG_CHUNK_OVERHEAD);
    if (rc == ESEAL_OK && (!r.z_end || r.z.total_out != r.raw_len))
        rc = eseal_error_set(err, ESEAL_ERR_FORMAT,
                             "PNG: image data cut short: %lu of the %zu bytes of %ux%u pixels",
                             (unsigned long)r.z.total_out, r.raw_len, r.width, r.height);
    if (rc == ESEAL_OK)
        rc = png_unfilter(&r, err);
    if (rc == ESEAL_OK)
        rc = png_expand(&r, png, err);
    if (r.z_open)
        inflateEnd(&r.z);
    free(r.raw);
    if (rc != ESEAL_OK)
        eseal_png_free(png);
    return rc;
}

void eseal_png_free(eseal_png *png)
{
    if (png == NULL)
        return;
    free(png->color);
    free(png->alpha);
    memset(png, 0, sizeof(*png));
}
