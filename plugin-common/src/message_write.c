/* message_write.c - write a message with a pipeline result applied: header edits on the raw
 * header block, then the original or the new body. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "error_int.h"
#include "file_int.h"
#include "message_int.h"

#define WRITE_HEADER_BLOCK_MAX (1024 * 1024)
#define WRITE_FIELDS_MAX 10000
#define WRITE_CHUNK 65536

/* Output with optional CRLF -> LF, remembering a '\r' that ends one chunk. */
typedef struct writer {
    int fd;
    int lf;
    int pending_cr;
    int failed;
} writer;

static void writer_raw(writer *w, const char *p, size_t n)
{
    if (!w->failed && eseal_file_write_all(w->fd, p, n) != 0)
        w->failed = 1;
}

static void writer_put(writer *w, const char *p, size_t n)
{
    size_t i, start = 0;

    if (!w->lf) {
        writer_raw(w, p, n);
        return;
    }
    for (i = 0; i < n; i++) {
        if (w->pending_cr) {
            w->pending_cr = 0;
            if (p[i] != '\n')
                writer_raw(w, "\r", 1);
        }
        if (p[i] == '\r') {
            writer_raw(w, p + start, i - start);
            start = i + 1;
            w->pending_cr = 1;
        }
    }
    writer_raw(w, p + start, n - start);
}

/* "Name: value" with the value's "\n\t" folds as CRLF folds, then CRLF. */
static void writer_field(writer *w, const char *name, const char *value)
{
    const char *p;

    writer_put(w, name, strlen(name));
    writer_put(w, ": ", 2);
    for (p = value; *p != '\0'; p++) {
        if (*p == '\n')
            writer_put(w, "\r\n", 2);
        else if (*p != '\r')
            writer_put(w, p, 1);
    }
    writer_put(w, "\r\n", 2);
}

/* Reads the input, from memory or a file. */
typedef struct reader {
    const eseal_message_input *in;
    size_t offset;
} reader;

static ssize_t reader_read(reader *r, char *buf, size_t size)
{
    ssize_t n;

    if (r->in->data != NULL) {
        size_t left = r->in->len - r->offset;
        n = (ssize_t)(left < size ? left : size);
        memcpy(buf, r->in->data + r->offset, (size_t)n);
    } else {
        do
            n = pread(r->in->fd, buf, size, (off_t)r->offset);
        while (n < 0 && errno == EINTR);
    }
    if (n > 0)
        r->offset += (size_t)n;
    return n;
}

/* Read the header block (up to and without the empty line) into *block; *body_offset is
 * where the body starts. */
static int write_read_headers(reader *r, char **block, size_t *len, size_t *body_offset,
                              eseal_error *err)
{
    size_t cap = 8192, used = 0, i;
    char *buf = malloc(cap + 1);
    ssize_t n;

    if (buf == NULL)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    for (;;) {
        if (used == cap) {
            char *nbuf;
            if (cap >= WRITE_HEADER_BLOCK_MAX) {
                free(buf);
                return eseal_error_set(err, ESEAL_ERR_LIMIT, "header block over %d bytes",
                                       WRITE_HEADER_BLOCK_MAX);
            }
            nbuf = realloc(buf, cap * 2 + 1);
            if (nbuf == NULL) {
                free(buf);
                return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
            }
            buf = nbuf;
            cap *= 2;
        }
        n = reader_read(r, buf + used, cap - used);
        if (n < 0) {
            free(buf);
            return eseal_error_set(err, ESEAL_ERR_IO, "cannot read the message");
        }
        used += (size_t)n;
        for (i = 0; i + 1 < used; i++) {
            size_t end = 0;
            if (buf[i] == '\n' && buf[i + 1] == '\n')
                end = i + 2;
            else if (buf[i] == '\n' && buf[i + 1] == '\r' && i + 2 < used && buf[i + 2] == '\n')
                end = i + 3;
            else if (i == 0 && (buf[0] == '\n' || (buf[0] == '\r' && buf[1] == '\n')))
                end = buf[0] == '\n' ? 1 : 2; /* no headers at all */
            if (end != 0) {
                *block = buf;
                *len = end == 1 || end == 2 ? 0 : i + 1;
                *body_offset = end;
                return ESEAL_OK;
            }
        }
        if (n == 0) { /* headers only, no body */
            *block = buf;
            *len = used;
            *body_offset = used;
            return ESEAL_OK;
        }
    }
}

/* The edit that deletes or changes the index-th field called name, or NULL. */
static const eseal_header_edit *write_find_edit(const eseal_message_result *r, const char *name,
                                                size_t name_len, int index)
{
    size_t i;

    for (i = 0; i < r->edit_count; i++) {
        const eseal_header_edit *e = &r->edits[i];
        if (e->op != ESEAL_EDIT_ADD && e->index == index && strlen(e->name) == name_len &&
            strncasecmp(e->name, name, name_len) == 0)
            return e;
    }
    return NULL;
}

/* One header field of the raw block: [start, end) with its name's length. */
typedef struct write_field {
    size_t start, end, name_len;
} write_field;

/* Split the header block into fields; a field ends before a line that is not folded. */
static size_t write_split(const char *block, size_t len, write_field *fields, size_t max)
{
    size_t count = 0, start = 0, end;

    while (start < len && count < max) {
        for (end = start; end < len; end++)
            if (block[end] == '\n' &&
                (end + 1 >= len || (block[end + 1] != ' ' && block[end + 1] != '\t')))
                break;
        end = end < len ? end + 1 : len;
        fields[count].start = start;
        fields[count].end = end;
        fields[count].name_len = strcspn(block + start, ":\r\n");
        if (fields[count].name_len > end - start)
            fields[count].name_len = end - start;
        while (fields[count].name_len > 0 && /* "Name :" is Name, as MTAs read it */
               (block[start + fields[count].name_len - 1] == ' ' ||
                block[start + fields[count].name_len - 1] == '\t'))
            fields[count].name_len--;
        count++;
        start = end;
    }
    return count;
}

/* Write the header block field by field, applying deletions and changes. */
static int write_fields(writer *w, const eseal_message_result *r, const char *block, size_t len,
                        eseal_error *err)
{
    write_field *fields = calloc(WRITE_FIELDS_MAX, sizeof(*fields));
    size_t count, i, j;

    if (fields == NULL)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    count = write_split(block, len, fields, WRITE_FIELDS_MAX);
    if (count == WRITE_FIELDS_MAX && fields[count - 1].end < len) {
        free(fields);
        return eseal_error_set(err, ESEAL_ERR_LIMIT, "more than %d header fields",
                               WRITE_FIELDS_MAX);
    }
    for (i = 0; i < count; i++) {
        const char *name = block + fields[i].start;
        const eseal_header_edit *e;
        int index = 1;
        for (j = 0; j < i; j++)
            index += fields[j].name_len == fields[i].name_len &&
                     strncasecmp(block + fields[j].start, name, fields[i].name_len) == 0;
        e = write_find_edit(r, name, fields[i].name_len, index);
        if (e == NULL)
            writer_put(w, name, fields[i].end - fields[i].start);
        else if (e->op == ESEAL_EDIT_CHANGE)
            writer_field(w, e->name, e->value);
    }
    free(fields);
    return ESEAL_OK;
}

int eseal_message_write(const eseal_message_result *r, const eseal_message_input *in, int out_fd,
                        int lf, eseal_error *err)
{
    reader rd = {in, 0};
    writer w = {out_fd, lf, 0, 0};
    char *block = NULL, *buf;
    size_t len = 0, body_offset = 0, i;
    ssize_t n;
    int rc = write_read_headers(&rd, &block, &len, &body_offset, err);

    if (rc != ESEAL_OK)
        return rc;
    for (i = 0; i < r->edit_count; i++)
        if (r->edits[i].op == ESEAL_EDIT_ADD)
            writer_field(&w, r->edits[i].name, r->edits[i].value);
    rc = write_fields(&w, r, block, len, err);
    free(block);
    if (rc != ESEAL_OK)
        return rc;
    writer_put(&w, "\r\n", 2);
    buf = malloc(WRITE_CHUNK);
    if (buf == NULL)
        return eseal_error_set(err, ESEAL_ERR_NOMEM, "out of memory");
    if (r->body_fd >= 0) {
        off_t at = 0;
        while ((n = pread(r->body_fd, buf, WRITE_CHUNK, at)) > 0) {
            writer_put(&w, buf, (size_t)n);
            at += n;
        }
    } else {
        rd.offset = body_offset;
        while ((n = reader_read(&rd, buf, WRITE_CHUNK)) > 0)
            writer_put(&w, buf, (size_t)n);
    }
    free(buf);
    if (w.pending_cr)
        writer_raw(&w, "\r", 1);
    if (w.failed || n < 0)
        return eseal_error_set(err, ESEAL_ERR_IO, "cannot write the message: %s", strerror(errno));
    return ESEAL_OK;
}
