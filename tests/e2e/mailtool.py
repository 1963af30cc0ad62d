#!/usr/bin/env python3
"""mailtool.py COMMAND ... -- small message helpers for postfix-test.sh and stress.py.

  headers MSG NAME [--raw]  unfolded values of the top-level header NAME (any case),
                            one a line, one space after each ';' outside quotes;
                            RFC 2047 encoded-words decoded unless --raw
  header-lines MSG PREFIX   the raw physical lines (continuations included) of the
                            top-level header fields whose name starts with PREFIX
  parts MSG                 one line per leaf MIME part: content-type TAB file name
  body MSG                  the message body (everything after the header section)
  strip IN OUT NAME...      copy IN to OUT without the top-level header fields NAME...,
                            every other byte unchanged
  tamper IN OUT FILENAME [OFFSET]  copy IN to OUT with one byte (OFFSET, default the middle) of the decoded content of the
                            attachment FILENAME changed (re-encoded base64, same line
                            length); every other byte unchanged; prints the offset
  make-pdf OUT              write a small valid one-page PDF
  make-docx OUT             write a minimal WordprocessingML (.docx) package
Exit 0 on success, 1 when asked for something absent, 2 on usage errors.
"""
import base64
import email
import email.policy
import io
import re
import sys
import zipfile
from email.header import decode_header, make_header

ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


def decode_words(text):
    return ENCODED_WORD.sub(lambda m: str(make_header(decode_header(m.group(0)))), text)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def split_head(raw):
    """(header section including its last newline, body after the blank line)."""
    m = re.search(rb"\n\r?\n", raw)
    if not m:
        return raw, b""
    return raw[: m.start() + 1], raw[m.end():]


def header_fields(head):
    """Split a header block into fields: list of (name, [physical lines])."""
    fields = []
    for line in head.splitlines(keepends=True):
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1][1].append(line)
        else:
            name = line.split(b":", 1)[0].strip().decode("ascii", "replace")
            fields.append((name, [line]))
    return fields


def cmd_headers(args):
    raw = "--raw" in args
    args = [a for a in args if a != "--raw"]
    if len(args) != 2:
        return usage()
    head, _ = split_head(read(args[0]))
    for name, lines in header_fields(head):
        if name.lower() != args[1].lower():
            continue
        value = b"".join(lines).split(b":", 1)[1]
        value = re.sub(rb"\r?\n(?=[ \t])", b"", value).strip()   # RFC 5322 unfolding
        text = normalise_params(value.decode("utf-8", "replace"))
        print(text if raw else decode_words(text))
    return 0


def normalise_params(text):
    """One space after each ';' outside quoted strings (folding may leave a tab or none)."""
    parts = re.split(r'("(?:[^"\\]|\\.)*")', text)
    for i in range(0, len(parts), 2):
        parts[i] = re.sub(r";[ \t]*", "; ", parts[i])
    return "".join(parts).rstrip()


def cmd_header_lines(args):
    if len(args) != 2:
        return usage()
    head, _ = split_head(read(args[0]))
    out = sys.stdout.buffer
    for name, lines in header_fields(head):
        if name.lower().startswith(args[1].lower()):
            for line in lines:
                out.write(line.rstrip(b"\r\n") + b"\n")
    return 0


def cmd_parts(args):
    if len(args) != 1:
        return usage()
    msg = email.message_from_bytes(read(args[0]), policy=email.policy.compat32)
    for part in msg.walk():
        if part.is_multipart():
            continue
        name = part.get_filename() or part.get_param("name") or ""
        if isinstance(name, tuple):
            name = email.utils.collapse_rfc2231_value(name)
        print("%s\t%s" % (part.get_content_type(), decode_words(str(name))))
    return 0


def cmd_body(args):
    if len(args) != 1:
        return usage()
    _, body = split_head(read(args[0]))
    sys.stdout.buffer.write(body)
    return 0


def cmd_strip(args):
    if len(args) < 3:
        return usage()
    raw = read(args[0])
    head, _ = split_head(raw)
    drop = {n.lower() for n in args[2:]}
    kept = b"".join(b"".join(lines) for name, lines in header_fields(head)
                    if name.lower() not in drop)
    with open(args[1], "wb") as f:
        f.write(kept + raw[len(head):])
    return 0


def tamper_bytes(raw, filename, offset=None):
    """raw with one byte (offset, default the middle) of the decoded content of the
    attachment filename changed: (new bytes, offset).  Raises ValueError."""
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    for part in msg.walk():
        if part.is_multipart():
            continue
        name = part.get_filename() or ""
        if decode_words(str(name)) != filename:
            continue
        if (part.get("Content-Transfer-Encoding") or "").strip().lower() != "base64":
            raise ValueError("%s is not base64 encoded" % filename)
        encoded = part.get_payload()             # the encoded text as in the source
        data = bytearray(part.get_payload(decode=True))
        if not data:
            raise ValueError("%s is empty" % filename)
        if offset is None:
            offset = len(data) // 2
        if offset >= len(data):
            raise ValueError("%s has only %d bytes" % (filename, len(data)))
        data[offset] ^= 0x20
        lines = encoded.splitlines()
        width = len(lines[0]) if lines and len(lines[0]) % 4 == 0 else 76
        nl = "\r\n" if "\r\n" in encoded else "\n"
        b64 = base64.b64encode(bytes(data)).decode("ascii")
        new = nl.join(b64[i:i + width] for i in range(0, len(b64), width))
        new += nl if encoded.endswith(("\n", "\r")) else ""
        old_b = encoded.encode("ascii", "surrogateescape")
        if raw.count(old_b) != 1:
            raise ValueError("cannot locate the encoded part uniquely")
        return raw.replace(old_b, new.encode("ascii")), offset
    raise ValueError("no attachment named %s" % filename)


def cmd_tamper(args):
    if len(args) not in (3, 4):
        return usage()
    try:
        out, offset = tamper_bytes(read(args[0]), args[2],
                                   int(args[3]) if len(args) == 4 else None)
    except ValueError as e:
        sys.stderr.write("tamper: %s\n" % e)
        return 1
    with open(args[1], "wb") as f:
        f.write(out)
    print(offset)
    return 0


def pdf_bytes(line="eseal end-to-end test"):
    """A small valid one-page PDF showing line (ASCII letters, digits, spaces, '-')."""
    text = b"BT /F1 24 Tf 72 720 Td (%s) Tj ET" % line.encode("ascii")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, xref)
    return bytes(out)


def cmd_make_pdf(args):
    if len(args) != 1:
        return usage()
    with open(args[0], "wb") as f:
        f.write(pdf_bytes())
    return 0


def docx_bytes(line="Quotation no. 7 for the eseal end-to-end test."):
    """A minimal WordprocessingML package whose one paragraph is line (XML-safe text)."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    files = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            '</Types>',
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats'
            '.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>',
        "word/document.xml":
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<w:document xmlns:w="%s"><w:body><w:p><w:r><w:t>'
            '%s</w:t></w:r></w:p>'
            '</w:body></w:document>' % (w, line),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in files.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, content)
    return out.getvalue()


def cmd_make_docx(args):
    if len(args) != 1:
        return usage()
    with open(args[0], "wb") as f:
        f.write(docx_bytes())
    return 0


def usage():
    sys.stderr.write(__doc__)
    return 2


COMMANDS = {
    "headers": cmd_headers, "header-lines": cmd_header_lines, "parts": cmd_parts,
    "body": cmd_body, "strip": cmd_strip, "tamper": cmd_tamper,
    "make-pdf": cmd_make_pdf, "make-docx": cmd_make_docx,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(usage())
    sys.exit(COMMANDS[sys.argv[1]](sys.argv[2:]))
