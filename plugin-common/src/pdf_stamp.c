/* pdf_stamp.c - the visible seal stamp: the seal image over the holder's name and the time.
 *
 * The stamp is 120 pt wide: the image fills that width (or 120 pt of height when it is
 * taller than wide) and up to two lines of the holder's name and one of the time are
 * centred under it in 7 pt type.  The text uses STSong-Light, one of the CJK fonts every
 * PDF reader has or substitutes, not embedded, through the UniGB-UTF16-H CMap, so that
 * Chinese and Latin names need no font file; the widths given for it are the font's own,
 * and the same widths centre and wrap the lines here.
 *
 * SECURITY: the holder's name (from the configuration or a certificate) is written only as
 * UTF-16 hex strings, so no byte of it can end a string or start PDF syntax; it is decoded
 * with invalid UTF-8 replaced and cut to STAMP_HOLDER_CHARS characters.  The image is
 * decoded by png.c, which checks and caps it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "error_int.h"
#include "pdf_stamp_int.h"
#include "png_int.h"
#include "utf8_int.h"

/* The layout, in hundredths of a point, so that every number is exact and is printed
 * without floating point (whose decimal separator follows the locale). */
#define STAMP_MARGIN 36.0       /* points between the stamp and the edges of the page */
#define STAMP_BOX_MAX 1.0e6     /* a page box coordinate beyond this is not believed */
#define STAMP_WIDTH 12000       /* the stamp, and the image's largest side */
#define STAMP_FONT_SIZE 7       /* points */
#define STAMP_ASCENT 700        /* room above a line's baseline */
#define STAMP_LEADING 900       /* from one baseline to the next */
#define STAMP_DESCENT 200       /* room under the last baseline */
#define STAMP_GAP 200           /* between the image and the first line */
#define STAMP_LINE_EM 17142     /* thousandths of an em in 120 pt at 7 pt */
#define STAMP_HOLDER_CHARS 64   /* characters of the holder's name kept */
#define STAMP_HOLDER_LINES 2    /* lines the holder's name may take */
#define STAMP_CONTENT_MAX 16384 /* bytes of the appearance stream before compression */

#define STAMP_ELLIPSIS 0x2026u    /* ends a name that was cut */
#define STAMP_REPLACEMENT 0xfffdu /* stands for bytes that are not UTF-8 */
#define STAMP_WIDE 1000           /* width of every character but ASCII, in 1/1000 em */

/* STSong-Light's widths of CIDs 1 to 95 (Adobe-GB1), which UniGB-UTF16-H gives to U+0020
 * to U+007E; every other character is full-width (the font's /DW). */
static const unsigned short stamp_ascii_widths[95] = {
    207, 270, 342, 467, 462, 797, 710, 239, 374, 374, 423, 605, 238, 375, 238, 334, 462, 462, 462,
    462, 462, 462, 462, 462, 462, 462, 238, 238, 605, 605, 605, 344, 748, 684, 560, 695, 739, 563,
    511, 729, 793, 318, 312, 666, 526, 896, 758, 772, 544, 772, 628, 465, 607, 753, 711, 972, 647,
    620, 607, 374, 333, 374, 606, 500, 239, 417, 503, 427, 529, 415, 264, 444, 518, 241, 230, 495,
    228, 793, 527, 524, 524, 504, 338, 336, 277, 517, 450, 652, 466, 452, 407, 370, 258, 370, 605};

/* One line of text: code points, one more than the holder's cap for the ellipsis. */
struct stamp_line {
    uint32_t cp[STAMP_HOLDER_CHARS + 1];
    size_t len;
    long width; /* thousandths of an em */
};

/* A compressed stream; data is NULL for the soft mask of an opaque image. */
struct stamp_stream {
    unsigned char *data;
    size_t len;
};

struct pdf_stamp {
    long width, height; /* hundredths of a point */
    uint32_t image_width, image_height;
    unsigned channels;           /* of the image: 1 gray, 3 RGB */
    struct stamp_stream content; /* the appearance stream */
    struct stamp_stream image;   /* the image's samples */
    struct stamp_stream mask;    /* its alpha plane */
};

static long stamp_char_width(uint32_t cp)
{
    return cp >= 0x20 && cp <= 0x7e ? stamp_ascii_widths[cp - 0x20] : STAMP_WIDE;
}

/* The code point of the valid UTF-8 character of n bytes at p. */
static uint32_t stamp_utf8_decode(const unsigned char *p, size_t n)
{
    static const unsigned char lead_mask[5] = {0, 0x7f, 0x1f, 0x0f, 0x07};
    uint32_t cp = p[0] & lead_mask[n];
    size_t i;

    for (i = 1; i < n; i++)
        cp = cp << 6 | (p[i] & 0x3f);
    return cp;
}

/* The holder's name as at most STAMP_HOLDER_CHARS code points: bytes that are not UTF-8
 * become U+FFFD and control characters a space; *cut says whether more followed. */
static size_t stamp_holder_decode(const char *holder, uint32_t *out, int *cut)
{
    const unsigned char *p = (const unsigned char *)holder;
    size_t left = holder != NULL ? strlen(holder) : 0, count = 0, n;
    uint32_t cp;

    *cut = 0;
    while (left > 0) {
        if (count == STAMP_HOLDER_CHARS) {
            *cut = 1;
            break;
        }
        n = eseal_utf8_char_len(p, left);
        cp = n == 0 ? STAMP_REPLACEMENT : stamp_utf8_decode(p, n);
        if (n == 0)
            n = 1;
        if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
            cp = ' ';
        out[count++] = cp;
        p += n;
        left -= n;
    }
    return count;
}

/* Set l to the code points cp[0..n) without trailing spaces, and measure it. */
static void stamp_line_set(struct stamp_line *l, const uint32_t *cp, size_t n)
{
    size_t i;

    while (n > 0 && cp[n - 1] == ' ')
        n--;
    memcpy(l->cp, cp, n * sizeof(*cp));
    l->len = n;
    l->width = 0;
    for (i = 0; i < n; i++)
        l->width += stamp_char_width(cp[i]);
}

/* Break the holder's name into at most STAMP_HOLDER_LINES lines that fit the stamp's
 * width, at a space where the line has one (Latin) or anywhere (CJK); a name that does not
 * fit ends in an ellipsis.  Returns the number of lines. */
static size_t stamp_wrap(const uint32_t *cp, size_t n, int cut, struct stamp_line *lines)
{
    size_t count = 0, start = 0, end, next, space;
    struct stamp_line *last;
    long width;

    while (n > 0 && cp[n - 1] == ' ')
        n--;
    while (start < n && cp[start] == ' ')
        start++;
    while (start < n && count < STAMP_HOLDER_LINES) {
        width = 0;
        space = start;
        for (end = start; end < n && width + stamp_char_width(cp[end]) <= STAMP_LINE_EM; end++) {
            if (cp[end] == ' ')
                space = end;
            width += stamp_char_width(cp[end]);
        }
        if (end < n && cp[end] == ' ')
            space = end; /* the line is full just before a space */
        next = end;
        if (end < n && count + 1 < STAMP_HOLDER_LINES && space > start) {
            end = space;
            next = space + 1;
        } else if (end < n && count + 1 == STAMP_HOLDER_LINES) {
            cut = 1;
        }
        stamp_line_set(&lines[count++], cp + start, end - start);
        start = next;
        while (start < n && cp[start] == ' ')
            start++;
    }
    if (cut && count > 0) {
        last = &lines[count - 1];
        while (last->len > 0 && last->width + STAMP_WIDE > STAMP_LINE_EM)
            last->width -= stamp_char_width(last->cp[--last->len]);
        last->cp[last->len++] = STAMP_ELLIPSIS;
        last->width += STAMP_WIDE;
    }
    return count;
}

/* Append a length in hundredths of a point as a PDF number. */
static void stamp_put_number(eseal_buf *b, long v)
{
    if (v % 100 == 0)
        eseal_buf_printf(b, "%ld", v / 100);
    else
        eseal_buf_printf(b, "%ld.%02ld", v / 100, v % 100);
}

/* Append line as a UTF-16BE hex string, the encoding UniGB-UTF16-H reads. */
static void stamp_put_text(eseal_buf *b, const struct stamp_line *l)
{
    uint32_t cp;
    size_t i;

    eseal_buf_puts(b, "<");
    for (i = 0; i < l->len; i++) {
        cp = l->cp[i];
        if (cp >= 0x10000)
            eseal_buf_printf(b, "%04X%04X", 0xd800u + ((cp - 0x10000) >> 10),
                             0xdc00u + ((cp - 0x10000) & 0x3ff));
        else
            eseal_buf_printf(b, "%04X", cp);
    }
    eseal_buf_puts(b, ">");
}

/* Compress len bytes at in into out; what names them in the error message. */
static int stamp_deflate(const unsigned char *in, size_t len, struct stamp_stream *out,
                         const char *what, eseal_error *err)
{
    uLongf n = compressBound(len);

    out->data = malloc(n);
    if (out->data == NULL)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "stamp: out of memory for the %s", what);
    if (compress2(out->data, &n, in, len, Z_DEFAULT_COMPRESSION) != Z_OK)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "stamp: zlib could not compress the %s", what);
    out->len = n;
    return ESEAL_OK;
}

/* Lay out the stamp around an image of img's size and write its appearance stream: the
 * image at the top, the lines centred under it. */
static int stamp_layout(pdf_stamp *s, const eseal_png *img, const struct stamp_line *lines,
                        size_t count, eseal_error *err)
{
    long image_w = STAMP_WIDTH, image_h = STAMP_WIDTH, text_h;
    eseal_buf b;
    size_t i;
    int rc;

    if (img->width >= img->height)
        image_h = ((long)STAMP_WIDTH * img->height + img->width / 2) / img->width;
    else
        image_w = ((long)STAMP_WIDTH * img->width + img->height / 2) / img->height;
    if (image_h == 0)
        image_h = 1;
    if (image_w == 0)
        image_w = 1;
    text_h = STAMP_GAP + STAMP_ASCENT + (long)(count - 1) * STAMP_LEADING + STAMP_DESCENT;
    s->width = STAMP_WIDTH;
    s->height = image_h + text_h;

    eseal_buf_init(&b, STAMP_CONTENT_MAX);
    eseal_buf_puts(&b, "q\n");
    stamp_put_number(&b, image_w);
    eseal_buf_puts(&b, " 0 0 ");
    stamp_put_number(&b, image_h);
    eseal_buf_puts(&b, " ");
    stamp_put_number(&b, (STAMP_WIDTH - image_w) / 2);
    eseal_buf_puts(&b, " ");
    stamp_put_number(&b, text_h);
    eseal_buf_printf(&b, " cm\n/Im0 Do\nQ\nBT\n/F0 %d Tf\n0 g\n", STAMP_FONT_SIZE);
    for (i = 0; i < count; i++) {
        eseal_buf_puts(&b, "1 0 0 1 ");
        stamp_put_number(&b, (STAMP_WIDTH - lines[i].width * STAMP_FONT_SIZE / 10) / 2);
        eseal_buf_puts(&b, " ");
        stamp_put_number(&b, STAMP_DESCENT + (long)(count - 1 - i) * STAMP_LEADING);
        eseal_buf_puts(&b, " Tm ");
        stamp_put_text(&b, &lines[i]);
        eseal_buf_puts(&b, " Tj\n");
    }
    eseal_buf_puts(&b, "ET\n");
    rc = eseal_buf_status(&b, "stamp appearance stream", err);
    if (rc == ESEAL_OK)
        rc = stamp_deflate(b.data, b.len, &s->content, "appearance stream", err);
    eseal_buf_free(&b);
    return rc;
}

/* The holder's lines and the time line "YYYY-MM-DD HH:MM UTC"; *count gets their number. */
static int stamp_text(struct stamp_line *lines, size_t *count, const char *holder, time_t when,
                      eseal_error *err)
{
    uint32_t cp[STAMP_HOLDER_CHARS], time_cp[32];
    char text[32];
    struct tm tm;
    size_t n, i;
    int cut, len;

    n = stamp_holder_decode(holder, cp, &cut);
    *count = stamp_wrap(cp, n, cut, lines);
    if (gmtime_r(&when, &tm) == NULL)
        return eseal_error_set(err, ESEAL_ERR_GENERIC, "stamp: time %lld cannot be printed",
                               (long long)when);
    len = snprintf(text, sizeof(text), "%04d-%02d-%02d %02d:%02d UTC", tm.tm_year + 1900,
                   tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min);
    if (len < 0 || (size_t)len >= sizeof(text))
        return eseal_error_set(err, ESEAL_ERR_GENERIC, "stamp: time %lld cannot be printed",
                               (long long)when);
    for (i = 0; i < (size_t)len; i++)
        time_cp[i] = (unsigned char)text[i];
    stamp_line_set(&lines[(*count)++], time_cp, (size_t)len);
    return ESEAL_OK;
}

int pdf_stamp_new(pdf_stamp **out, const unsigned char *png, size_t len, const char *holder,
                  time_t when, eseal_error *err)
{
    struct stamp_line lines[STAMP_HOLDER_LINES + 1];
    eseal_png img;
    pdf_stamp *s;
    size_t count, pixels;
    int rc;

    *out = NULL;
    rc = eseal_png_decode(&img, png, len, err);
    if (rc != ESEAL_OK)
        return rc;
    s = calloc(1, sizeof(*s));
    if (s == NULL) {
        eseal_png_free(&img);
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "stamp: out of memory");
    }
    s->image_width = img.width;
    s->image_height = img.height;
    s->channels = img.channels;
    pixels = (size_t)img.width * img.height;
    rc = stamp_text(lines, &count, holder, when, err);
    if (rc == ESEAL_OK)
        rc = stamp_layout(s, &img, lines, count, err);
    if (rc == ESEAL_OK)
        rc = stamp_deflate(img.color, pixels * img.channels, &s->image, "image", err);
    if (rc == ESEAL_OK && img.alpha != NULL)
        rc = stamp_deflate(img.alpha, pixels, &s->mask, "image's transparency", err);
    eseal_png_free(&img);
    if (rc != ESEAL_OK) {
        pdf_stamp_free(s);
        return rc;
    }
    *out = s;
    return ESEAL_OK;
}

void pdf_stamp_size(const pdf_stamp *stamp, double *width, double *height)
{
    *width = stamp->width / 100.0;
    *height = stamp->height / 100.0;
}

uint32_t pdf_stamp_object_count(const pdf_stamp *stamp)
{
    return stamp->mask.data != NULL ? 5 : 4; /* form, image, [mask], font, font descriptor */
}

/* Append the end of a stream object's dictionary, the stream and the end of the object. */
static void stamp_put_stream(eseal_buf *b, const struct stamp_stream *st)
{
    eseal_buf_printf(b, " /Filter /FlateDecode /Length %zu >>\nstream\r\n", st->len);
    eseal_buf_append(b, st->data, st->len);
    eseal_buf_puts(b, "\r\nendstream\nendobj\n");
}

int pdf_stamp_write(const pdf_stamp *stamp, uint32_t first, int rotate, eseal_buf *b,
                    uint64_t *offsets)
{
    /* the form's axes in the page's: a reader turns the page by /Rotate clockwise, so the
     * form is turned as much the other way (ISO 32000-1 12.5.5 fits it to the /Rect) */
    static const char *const matrices[4] = {"", " /Matrix [0 1 -1 0 0 0]",
                                            " /Matrix [-1 0 0 -1 0 0]", " /Matrix [0 -1 1 0 0 0]"};
    uint32_t image = first + 1, mask = first + 2;
    uint32_t font = first + pdf_stamp_object_count(stamp) - 2, descriptor = font + 1;
    size_t i, at = 0;

    offsets[at++] = b->len;
    eseal_buf_printf(b, "%u 0 obj\n<< /Type /XObject /Subtype /Form /BBox [0 0 ", first);
    stamp_put_number(b, stamp->width);
    eseal_buf_puts(b, " ");
    stamp_put_number(b, stamp->height);
    eseal_buf_printf(b, "]%s /Resources << /XObject << /Im0 %u 0 R >> /Font << /F0 %u 0 R >> >>",
                     matrices[(rotate / 90) & 3], image, font);
    stamp_put_stream(b, &stamp->content);

    offsets[at++] = b->len;
    eseal_buf_printf(b,
                     "%u 0 obj\n<< /Type /XObject /Subtype /Image /Width %u /Height %u "
                     "/ColorSpace /%s /BitsPerComponent 8",
                     image, stamp->image_width, stamp->image_height,
                     stamp->channels == 1 ? "DeviceGray" : "DeviceRGB");
    if (stamp->mask.data != NULL)
        eseal_buf_printf(b, " /SMask %u 0 R", mask);
    stamp_put_stream(b, &stamp->image);

    if (stamp->mask.data != NULL) {
        offsets[at++] = b->len;
        eseal_buf_printf(b,
                         "%u 0 obj\n<< /Type /XObject /Subtype /Image /Width %u /Height %u "
                         "/ColorSpace /DeviceGray /BitsPerComponent 8",
                         mask, stamp->image_width, stamp->image_height);
        stamp_put_stream(b, &stamp->mask);
    }

    offsets[at++] = b->len;
    eseal_buf_printf(b,
                     "%u 0 obj\n<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light "
                     "/Encoding /UniGB-UTF16-H\n/DescendantFonts [<< /Type /Font /Subtype "
                     "/CIDFontType0 /BaseFont /STSong-Light\n/CIDSystemInfo << /Registry "
                     "(Adobe) /Ordering (GB1) /Supplement 4 >>\n/FontDescriptor %u 0 R "
                     "/DW %d /W [1 [",
                     font, descriptor, STAMP_WIDE);
    eseal_buf_printf(b, "%u", stamp_ascii_widths[0]);
    for (i = 1; i < sizeof(stamp_ascii_widths) / sizeof(stamp_ascii_widths[0]); i++)
        eseal_buf_printf(b, " %u", stamp_ascii_widths[i]);
    eseal_buf_puts(b, "]] >>] >>\nendobj\n");

    offsets[at++] = b->len;
    eseal_buf_printf(b,
                     "%u 0 obj\n<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 "
                     "/FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 "
                     "/CapHeight 880 /StemV 93 >>\nendobj\n",
                     descriptor);
    return b->failed;
}

void pdf_stamp_free(pdf_stamp *stamp)
{
    if (stamp == NULL)
        return;
    free(stamp->content.data);
    free(stamp->image.data);
    free(stamp->mask.data);
    free(stamp);
}

/* ------------------------------------------------------------------------------------ */
/* Where the stamp goes on its page. */

/* Read a rectangle (four numbers, in any corner order) into lower-left, upper-right order;
 * 0 when o is not a believable rectangle. */
static int stamp_rect(pdf_doc *doc, const pdf_obj *o, double r[4])
{
    const pdf_obj *item;
    double v[4];
    size_t i;

    if (o == NULL || o->type != PDF_ARRAY || o->u.array.len != 4)
        return 0;
    for (i = 0; i < 4; i++) {
        if (pdf_doc_resolve(doc, o->u.array.items[i], &item, NULL) != ESEAL_OK)
            return 0;
        if (item->type == PDF_INT)
            v[i] = (double)item->u.integer;
        else if (item->type == PDF_REAL)
            v[i] = item->u.real;
        else
            return 0;
        if (!(v[i] >= -STAMP_BOX_MAX && v[i] <= STAMP_BOX_MAX)) /* NaN too */
            return 0;
    }
    r[0] = v[0] < v[2] ? v[0] : v[2];
    r[1] = v[1] < v[3] ? v[1] : v[3];
    r[2] = v[0] < v[2] ? v[2] : v[0];
    r[3] = v[1] < v[3] ? v[3] : v[1];
    return 1;
}

/* The visible region of the page: its CropBox clipped to its MediaBox (ISO 32000-1 14.11.2),
 * either inherited; US Letter when the page has no usable MediaBox, as readers assume. */
static int stamp_page_box(pdf_doc *doc, const pdf_obj *page, double box[4], eseal_error *err)
{
    const pdf_obj *media, *crop;
    double c[4];
    int rc;

    rc = pdf_doc_inherited(doc, page, "MediaBox", &media, err);
    if (rc == ESEAL_OK)
        rc = pdf_doc_inherited(doc, page, "CropBox", &crop, err);
    if (rc != ESEAL_OK)
        return rc;
    if (!stamp_rect(doc, media, box)) {
        box[0] = 0, box[1] = 0, box[2] = 612, box[3] = 792;
    }
    if (stamp_rect(doc, crop, c) && c[0] < box[2] && c[2] > box[0] && c[1] < box[3] &&
        c[3] > box[1]) {
        box[0] = c[0] > box[0] ? c[0] : box[0];
        box[1] = c[1] > box[1] ? c[1] : box[1];
        box[2] = c[2] < box[2] ? c[2] : box[2];
        box[3] = c[3] < box[3] ? c[3] : box[3];
    }
    return ESEAL_OK;
}

/* The page's /Rotate (inherited) as 0, 90, 180 or 270; anything else counts as 0. */
static int stamp_page_rotation(pdf_doc *doc, const pdf_obj *page, eseal_error *err, int *rotate)
{
    const pdf_obj *r;
    int rc = pdf_doc_inherited(doc, page, "Rotate", &r, err);

    *rotate = 0;
    if (rc == ESEAL_OK && r != NULL && r->type == PDF_INT && r->u.integer % 90 == 0)
        *rotate = (int)(((r->u.integer % 360) + 360) % 360);
    return rc;
}

int pdf_stamp_place(const pdf_stamp *stamp, pdf_doc *doc, const pdf_obj *page,
                    eseal_stamp_corner corner, double rect[4], int *rotate, eseal_error *err)
{
    double box[4], w, h, width, height, margin = STAMP_MARGIN, scale = 1.0, u, v;
    int rc = stamp_page_box(doc, page, box, err);

    if (rc == ESEAL_OK)
        rc = stamp_page_rotation(doc, page, err, rotate);
    if (rc != ESEAL_OK)
        return rc;
    pdf_stamp_size(stamp, &w, &h);
    width = box[2] - box[0]; /* of the page as shown */
    height = box[3] - box[1];
    if (*rotate == 90 || *rotate == 270) {
        width = box[3] - box[1];
        height = box[2] - box[0];
    }
    if (width <= 4 * margin || height <= 4 * margin)
        margin = 0; /* a tiny page: the stamp fills it rather than vanish */
    if (w > 0 && (width - 2 * margin) / w < scale)
        scale = (width - 2 * margin) / w;
    if (h > 0 && (height - 2 * margin) / h < scale)
        scale = (height - 2 * margin) / h;
    w *= scale;
    h *= scale;
    /* (u, v): the stamp's lower left corner on the page as shown, from its lower left */
    u = corner == ESEAL_STAMP_BOTTOM_LEFT || corner == ESEAL_STAMP_TOP_LEFT ? margin
                                                                            : width - margin - w;
    v = corner == ESEAL_STAMP_TOP_LEFT || corner == ESEAL_STAMP_TOP_RIGHT ? height - margin - h
                                                                          : margin;
    /* back into default user space: the shown page's lower left is the box's lower right
     * for 90, upper right for 180, upper left for 270 */
    switch (*rotate) {
    case 90:
        rect[0] = box[2] - v - h, rect[1] = box[1] + u;
        rect[2] = box[2] - v, rect[3] = box[1] + u + w;
        break;
    case 180:
        rect[0] = box[2] - u - w, rect[1] = box[3] - v - h;
        rect[2] = box[2] - u, rect[3] = box[3] - v;
        break;
    case 270:
        rect[0] = box[0] + v, rect[1] = box[3] - u - w;
        rect[2] = box[0] + v + h, rect[3] = box[3] - u;
        break;
    default:
        rect[0] = box[0] + u, rect[1] = box[1] + v;
        rect[2] = box[0] + u + w, rect[3] = box[1] + v + h;
    }
    return ESEAL_OK;
}
