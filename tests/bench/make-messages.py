#!/usr/bin/env python3
"""make-messages.py OUTDIR - the benchmark's messages, generated (nothing checked in).

  pdf100k.eml    one 100 KB PDF (4 pages of text and an image)
  docx1m.eml     one 1 MB DOCX (text and a picture, as Word writes it: deflated XML, stored JPEG)
  five20k.eml    five 20 KB attachments: two PDFs, an XLSX, a JPEG, a text file
  big-N.eml      one N MiB attachment (application/octet-stream), N in 1 10 50
  bigpdf-N.eml   one N MiB PDF, N in 1 10 50
and the raw attachments under OUTDIR/parts/MESSAGE/ for the floor (seal-floor)."""
import base64
import os
import random
import sys
import zipfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pdf"))
from pdftool import pdf_file  # noqa: E402

rng = random.Random(20261126)  # the same bytes every run: runs compare


def noise(n):
    return rng.randbytes(n)


def pdf(size, pages=4):
    """A PDF of about size bytes: pages of text, and an image that fills up the rest."""
    objs = {}
    font = 3 + 2 * pages
    image = font + 1
    kids = " ".join("%d 0 R" % (3 + 2 * i) for i in range(pages))
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objs[2] = ("<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)).encode()
    for i in range(pages):
        lines = "".join("(Clause %d.%d: the supplier delivers the goods listed in annex %d.) Tj T*\n"
                        % (i + 1, j + 1, j) for j in range(40))
        text = ("BT /F1 10 Tf 12 TL 50 750 Td\n%s ET\nq 100 0 0 100 400 50 cm /Im1 Do Q\n"
                % lines).encode()
        objs[3 + 2 * i] = ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                           "/Resources << /Font << /F1 %d 0 R >> /XObject << /Im1 %d 0 R >> >> >>"
                           % (4 + 2 * i, font, image)).encode()
        objs[4 + 2 * i] = b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream"
    objs[font] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    used = 2000 + sum(len(o) for o in objs.values())
    side = max(8, int(max(size - used, 64) ** 0.5))
    pixels = noise(side * side)
    objs[image] = (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                   b"/BitsPerComponent 8 /Length %d >>\nstream\n" % (side, side, len(pixels))
                   + pixels + b"\nendstream")
    return pdf_file(objs, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", b"/Root 1 0 R")


def office(size, kind):
    """A DOCX or XLSX of about size bytes: deflated XML text and a stored JPEG-like picture."""
    from io import BytesIO
    out = BytesIO()
    main = {"docx": "word/document.xml", "xlsx": "xl/worksheets/sheet1.xml"}[kind]
    text = "".join("<w:p><w:r><w:t>Article %d: the parties agree on the delivery of %d units."
                   "</w:t></w:r></w:p>" % (i, i * 7) for i in range(2000))
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"/>', zipfile.ZIP_DEFLATED)
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>', zipfile.ZIP_DEFLATED)
        z.writestr(main, '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats'
                   '.org/wordprocessingml/2006/main"><w:body>%s</w:body></w:document>' % text,
                   zipfile.ZIP_DEFLATED)
        z.writestr("word/media/image1.jpeg", b"\xff\xd8\xff\xe0" + noise(max(size - out.tell()
                                                                            - 2000, 16)))
    return out.getvalue()


def message(path, subject, parts):
    """A multipart/mixed message from sales@example.com with a text body and parts
    [(name, type, bytes)], base64 in 76-column lines, CRLF."""
    boundary = "=_eseal_bench_%d" % rng.randrange(1 << 40)
    out = [("From: Sales <sales@example.com>\r\nTo: Bob <bob@example.org>\r\n"
            "Subject: %s\r\nDate: Thu, 26 Nov 2026 10:00:00 +0800\r\n"
            "Message-ID: <%s@example.com>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=\"%s\"\r\n\r\n" % (subject, boundary[2:],
                                                                       boundary)).encode(),
           ("--%s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            "Please find the documents attached.\r\n\r\nRegards,\r\nSales\r\n" % boundary).encode()]
    for name, ctype, data in parts:
        b64 = base64.encodebytes(data).replace(b"\n", b"\r\n")
        out.append(("--%s\r\nContent-Type: %s; name=\"%s\"\r\nContent-Transfer-Encoding: base64\r\n"
                     "Content-Disposition: attachment; filename=\"%s\"\r\n\r\n"
                     % (boundary, ctype, name, name)).encode() + b64)
    out.append(("--%s--\r\n" % boundary).encode())
    with open(path, "wb") as f:
        f.write(b"".join(out))
    stem = os.path.splitext(os.path.basename(path))[0]
    pdir = os.path.join(os.path.dirname(path), "parts", stem)
    os.makedirs(pdir, exist_ok=True)
    for name, _, data in parts:
        with open(os.path.join(pdir, name), "wb") as f:
            f.write(data)


PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def main(out):
    os.makedirs(out, exist_ok=True)
    k, m = 1024, 1024 * 1024
    message(os.path.join(out, "pdf100k.eml"), "Offer", [("offer.pdf", PDF, pdf(100 * k))])
    message(os.path.join(out, "docx1m.eml"), "Draft", [("draft.docx", DOCX, office(m, "docx"))])
    message(os.path.join(out, "five20k.eml"), "Documents", [
        ("quote.pdf", PDF, pdf(20 * k, 1)),
        ("terms.pdf", PDF, pdf(20 * k, 2)),
        ("prices.xlsx", XLSX, office(20 * k, "xlsx")),
        ("site.jpeg", "image/jpeg", b"\xff\xd8\xff\xe0" + noise(20 * k - 4)),
        ("notes.txt", "text/plain; charset=utf-8",
         b"".join(b"line %d of the delivery notes\n" % i for i in range(700))[:20 * k])])
    for n in (1, 10, 50):
        message(os.path.join(out, "big-%d.eml" % n), "Data %d MiB" % n,
                [("data-%d.bin" % n, "application/octet-stream", noise(n * m))])
        message(os.path.join(out, "bigpdf-%d.eml" % n), "Scan %d MiB" % n,
                [("scan-%d.pdf" % n, PDF, pdf(n * m))])


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
