#!/usr/bin/env python3
"""pdftool.py - test inputs and byte-level tampering for pades-test.sh.

Makes the PDFs and the PNG stamp the PAdES tests seal, changes sealed PDFs the ways an
attacker would (one byte, an appended incremental update, a ByteRange that skips more than
the /Contents hex string, re-signed so the digest still matches) and checks rendered pages
for the stamp.  Only the Python standard library; page and object numbers come from qpdf.

  pdftool.py mkpdf OUT                    4-page PDF, classic xref, uncompressed content
  pdftool.py mkpng OUT                    240x240 RGBA red round seal, transparent outside
  pdftool.py sigs FILE                    one line per /ByteRange: a b c d (file order)
  pdftool.py contents FILE N              the CMS of signature N (1: the first in the file),
                                          DER, on stdout
  pdftool.py flip IN OUT NEEDLE           change one byte of NEEDLE, inside the last ByteRange
  pdftool.py flip-m IN OUT                change one digit of the last signature's /M date
  pdftool.py update IN OUT content|annot|page   append an update that changes page 1's
                                          content, adds an annotation to it, adds a page
  pdftool.py forge IN OUT MODE [KEY CERT CAS]   rewrite the last signature's ByteRange
  pdftool.py ppmcheck PPM CORNER          red pixels only in CORNER (or none), see below
"""

import re
import struct
import subprocess
import sys
import tempfile
import zlib


def die(msg):
    sys.stderr.write("pdftool: %s\n" % msg)
    sys.exit(1)


# ------------------------------------------------------------------------- test PDF

PAGES = [
    # (MediaBox, Rotate, label) - page 2 has a MediaBox away from the origin, page 3 is
    # shown rotated: a stamp must still land in the corner a reader sees.
    ("0 0 612 792", 0, "Page 1 of the eseal PAdES test"),
    ("50 50 645 892", 0, "Page 2 of the eseal PAdES test (offset MediaBox)"),
    ("0 0 612 792", 90, "Page 3 of the eseal PAdES test (rotated 90)"),
    ("0 0 612 792", 0, "Page 4 of the eseal PAdES test (last page)"),
]


def content_for(box, label):
    """Black text and a frame in the middle of the page: the corners stay white."""
    x0, y0, x1, y1 = (int(v) for v in box.split())
    cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
    return ("%% page content\n0 0 0 RG 2 w %d %d 300 120 re S\n"
            "BT /F1 14 Tf %d %d Td (%s) Tj ET\n"
            % (cx - 150, cy - 60, cx - 140, cy, label)).encode()


def mkpdf(out):
    objs = {}
    npages = len(PAGES)
    font = 3 + 2 * npages
    info = font + 1
    kids = " ".join("%d 0 R" % (3 + 2 * i) for i in range(npages))
    objs[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objs[2] = ("<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, npages)).encode()
    for i, (box, rot, label) in enumerate(PAGES):
        page, cont = 3 + 2 * i, 4 + 2 * i
        rotate = " /Rotate %d" % rot if rot else ""
        objs[page] = ("<< /Type /Page /Parent 2 0 R /MediaBox [%s]%s /Contents %d 0 R "
                      "/Resources << /Font << /F1 %d 0 R >> >> >>"
                      % (box, rotate, cont, font)).encode()
        data = content_for(box, label)
        objs[cont] = (b"<< /Length %d >>\nstream\n" % len(data)) + data + b"endstream"
    objs[font] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    objs[info] = b"<< /Producer (pades-test pdftool.py) /Title (eseal PAdES test) >>"
    header = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n% eseal pades-test comment line\n"
    trailer = (b"/Root 1 0 R /Info %d 0 R "
               b"/ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>]"
               % info)
    open(out, "wb").write(pdf_file(objs, header, trailer))


def pdf_file(objs, header, trailer):
    """The bytes of a PDF: header, the objects {number: bytes} numbered 1..N, a classic xref
    table, and a trailer of /Size and the keys in trailer (bytes)."""
    body = bytearray(header)
    offsets = {}
    for num in sorted(objs):
        offsets[num] = len(body)
        body += b"%d 0 obj\n" % num + objs[num] + b"\nendobj\n"
    xref = len(body)
    size = max(objs) + 1
    body += b"xref\n0 %d\n0000000000 65535 f\r\n" % size
    for num in range(1, size):
        body += b"%010d 00000 n\r\n" % offsets[num]
    body += b"trailer\n<< /Size %d %s >>\nstartxref\n%d\n%%%%EOF\n" % (size, trailer, xref)
    return bytes(body)


# ------------------------------------------------------------------------- stamp PNG

def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def in_star(x, y, cx, cy, r):
    """A five-pointed star of radius r: point in polygon by ray casting."""
    import math
    pts = []
    for k in range(10):
        rad = r if k % 2 == 0 else r * 0.4
        ang = -math.pi / 2 + k * math.pi / 5
        pts.append((cx + rad * math.cos(ang), cy + rad * math.sin(ang)))
    inside = False
    j = len(pts) - 1
    for i in range(len(pts)):
        xi, yi = pts[i]
        xj, yj = pts[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def mkpng(out):
    """A red ring and star; everything else transparent BLACK, so a stamp whose alpha is
    lost shows black corners.  Rows use all five PNG filters in turn."""
    size = 240
    c = size / 2.0
    rows = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            d2 = (x + 0.5 - c) ** 2 + (y + 0.5 - c) ** 2
            red = (100 ** 2 <= d2 <= 118 ** 2) or in_star(x + 0.5, y + 0.5, c, c, 80)
            row += bytes((220, 20, 30, 255)) if red else bytes((0, 0, 0, 0))
        rows.append(bytes(row))
    raw = bytearray()
    bpp = 4
    prev = bytes(size * bpp)
    for y, row in enumerate(rows):
        kind = y % 5
        enc = bytearray()
        for i, v in enumerate(row):
            a = row[i - bpp] if i >= bpp else 0
            b = prev[i]
            cc = prev[i - bpp] if i >= bpp else 0
            pred = (0, a, b, (a + b) // 2, paeth(a, b, cc))[kind]
            enc.append((v - pred) & 0xFF)
        raw.append(kind)
        raw += enc
        prev = row
    png = b"\x89PNG\r\n\x1a\n"
    png += png_chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
    png += png_chunk(b"IDAT", zlib.compress(bytes(raw), 9))
    png += png_chunk(b"IEND", b"")
    open(out, "wb").write(png)


# ------------------------------------------------------------------------- signatures

BYTERANGE = re.compile(rb"/ByteRange\s*\[([0-9\s]*)\]")


def byteranges(data):
    """Every /ByteRange array in file order: (start of the numbers, end, [numbers])."""
    out = []
    for m in BYTERANGE.finditer(data):
        out.append((m.start(1), m.end(1), [int(v) for v in m.group(1).split()]))
    return out


def last_sig(data):
    brs = byteranges(data)
    if not brs:
        die("no /ByteRange in the file")
    s, e, nums = brs[-1]
    if len(nums) != 4:
        die("last /ByteRange has %d numbers" % len(nums))
    a, b = nums[1], nums[2]
    if data[a:a + 1] != b"<" or data[b - 1:b] != b">":
        die("last /ByteRange [%s] does not frame a hex string" % " ".join(map(str, nums)))
    return s, e, nums


def sigs(path):
    for _, _, nums in byteranges(open(path, "rb").read()):
        print(" ".join(map(str, nums)))


def contents(path, n):
    """The DER CMS in the /Contents hex string the N-th /ByteRange frames, trailing zeros
    of the placeholder dropped by the DER length."""
    data = open(path, "rb").read()
    brs = byteranges(data)
    if not 1 <= int(n) <= len(brs):
        die("no signature %s in %s" % (n, path))
    nums = brs[int(n) - 1][2]
    der = bytes.fromhex(data[nums[1] + 1:nums[2] - 1].decode())
    if der[:2] != b"\x30\x82":
        die("/Contents does not start with a long DER SEQUENCE")
    sys.stdout.buffer.write(der[:4 + int.from_bytes(der[2:4], "big")])


def signed(nums, pos):
    return any(nums[i] <= pos < nums[i] + nums[i + 1] for i in range(0, len(nums), 2))


def flip(inp, out, needle):
    data = bytearray(open(inp, "rb").read())
    _, _, nums = last_sig(bytes(data))
    pos = data.find(needle.encode())
    if pos < 0:
        die("%s: '%s' not found" % (inp, needle))
    pos += len(needle) - 1
    if not signed(nums, pos):
        die("%s: byte %d is not inside the ByteRange" % (inp, pos))
    data[pos] ^= 0x01
    open(out, "wb").write(data)
    print(pos)


def flip_m(inp, out):
    """One digit of the /M date in the last signature dictionary (eseal's update)."""
    data = bytearray(open(inp, "rb").read())
    _, _, nums = last_sig(bytes(data))
    a = nums[1]
    start = max(0, a - 8192)
    found = list(re.finditer(rb"/M\s*\(D:(\d{14})", bytes(data[start:nums[2] + 8192])))
    if not found:
        die("%s: no /M (D:...) near the last signature" % inp)
    pos = start + found[-1].start(1) + 13  # the last digit of the seconds
    if not signed(nums, pos):
        die("%s: /M at %d is not inside the ByteRange" % (inp, pos))
    data[pos] = ord("0") if data[pos] != ord("0") else ord("1")
    open(out, "wb").write(data)
    print(pos)


# ------------------------------------------------------------------------- updates

def qpdf(*args):
    r = subprocess.run(["qpdf"] + list(args), capture_output=True)
    if r.returncode not in (0, 3):
        die("qpdf %s: %s" % (" ".join(args), r.stderr.decode(errors="replace")))
    return r.stdout.decode("latin-1")


def last_trailer(data):
    """The last xref section's kind and its trailer entries needed by an update."""
    m = list(re.finditer(rb"startxref\s+(\d+)", data))
    if not m:
        die("no startxref")
    off = int(m[-1].group(1))
    if data[off:off + 4] == b"xref":
        t = data.find(b"trailer", off)
        end = data.find(b"startxref", t)
        d, kind = data[t:end], "table"
    else:
        end = data.find(b"stream", off)
        d, kind = data[off:end], "stream"
    out = {"kind": kind, "prev": off}
    for key, pat in (("Size", rb"/Size\s+(\d+)"), ("Root", rb"/Root\s+(\d+\s+\d+\s+R)"),
                     ("Info", rb"/Info\s+(\d+\s+\d+\s+R)"), ("ID", rb"/ID\s*(\[[^\]]*\])")):
        mm = re.search(pat, d)
        if mm:
            out[key] = mm.group(1).decode("latin-1")
    if "Size" not in out or "Root" not in out:
        die("last trailer at %d lacks /Size or /Root" % off)
    return out


def append_update(data, objs):
    """data plus an incremental update holding objs {num: body bytes}, with an xref section
    of the same kind as the file's last one."""
    tr = last_trailer(data)
    size = max(int(tr["Size"]), max(objs) + 1)
    out = bytearray(data)
    if not out.endswith(b"\n"):
        out += b"\n"
    offsets = {}
    for num in sorted(objs):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objs[num] + b"\nendobj\n"
    extra = "".join(" /%s %s" % (k, tr[k]) for k in ("Root", "Info", "ID") if k in tr)
    xref = len(out)
    if tr["kind"] == "table":
        out += b"xref\n"
        for num in sorted(objs):
            out += b"%d 1\n%010d 00000 n\r\n" % (num, offsets[num])
        out += ("trailer\n<< /Size %d%s /Prev %d >>\n" % (size, extra, tr["prev"])).encode()
    else:
        me = size
        size += 1
        offsets[me] = xref
        rows = b"".join(struct.pack(">BIH", 1, offsets[n], 0) for n in sorted(offsets))
        index = " ".join("%d 1" % n for n in sorted(offsets))
        out += ("%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Index [%s]%s /Prev %d "
                "/Length %d >>\nstream\n" % (me, size, index, extra, tr["prev"], len(rows))
                ).encode()
        out += rows + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return out


def first_page(path):
    pages = qpdf("--show-pages", path)
    m = re.search(r"page 1: (\d+) 0 R\n  content:\n    (\d+) 0 R", pages)
    if not m:
        die("%s: qpdf --show-pages: no page 1 with content: %s" % (path, pages[:300]))
    return int(m.group(1)), int(m.group(2))


def update(inp, out, what):
    data = open(inp, "rb").read()
    page, content = first_page(inp)
    if what == "content":
        draw = b"0 0 1 rg 100 100 200 200 re f\nBT /F1 30 Tf 100 400 Td (CHANGED) Tj ET\n"
        objs = {content: b"<< /Length %d >>\nstream\n" % len(draw) + draw + b"endstream"}
    elif what == "annot":
        num = int(last_trailer(data)["Size"])
        annot = ("<< /Type /Annot /Subtype /Square /Rect [100 100 300 300] /C [0 0 1] "
                 "/P %d 0 R /F 4 >>" % page).encode()
        pdict = qpdf("--show-object=%d" % page, inp).strip()
        m = re.search(r"/Annots\s*(\[[^\]]*\]|\d+ \d+ R)", pdict)
        objs = {num: annot}
        if m is None:
            pdict = pdict[:-2].rstrip() + " /Annots [ %d 0 R ] >>" % num
            objs[page] = pdict.encode("latin-1")
        elif m.group(1).startswith("["):
            arr = m.group(1)[:-1] + " %d 0 R ]" % num
            objs[page] = (pdict[:m.start(1)] + arr + pdict[m.end(1):]).encode("latin-1")
        else:
            anum = int(m.group(1).split()[0])
            arr = qpdf("--show-object=%d" % anum, inp).strip()
            objs[anum] = (arr[:-1] + " %d 0 R ]" % num).encode("latin-1")
    elif what == "page":
        # a page added at the end: a new page object and a new version of the page tree root
        size = int(last_trailer(data)["Size"])
        root = last_trailer(data)["Root"].split()[0]
        m = re.search(r"/Pages\s+(\d+) \d+ R", qpdf("--show-object=%s" % root, inp))
        if m is None:
            die("%s: the catalog has no /Pages reference" % inp)
        pages = int(m.group(1))
        tree = qpdf("--show-object=%d" % pages, inp).strip()
        kids = re.search(r"/Kids\s*\[([^\]]*)\]", tree)
        count = re.search(r"/Count\s+(\d+)", tree)
        if kids is None or count is None:
            die("%s: page tree root %d has no direct /Kids and /Count" % (inp, pages))
        draw = b"1 0 0 rg 100 100 400 400 re f\n"
        tree = re.sub(r"/Kids\s*\[([^\]]*)\]", lambda k: "/Kids [%s %d 0 R ]" % (k.group(1), size),
                      tree, count=1)
        tree = re.sub(r"/Count\s+(\d+)", lambda c: "/Count %d" % (int(c.group(1)) + 1), tree,
                      count=1)
        objs = {pages: tree.encode("latin-1"),
                size: ("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] "
                       "/Contents %d 0 R >>" % (pages, size + 1)).encode(),
                size + 1: b"<< /Length %d >>\nstream\n" % len(draw) + draw + b"endstream"}
    else:
        die("update: unknown change %s" % what)
    open(out, "wb").write(append_update(data, objs))


# ------------------------------------------------------------------------- forged ByteRange

def resign(data, nums, key, cert, cas):
    """A detached CMS (OpenSSL, adbe.pkcs7.detached style) over the ranges nums."""
    chunks = b"".join(data[nums[i]:nums[i] + nums[i + 1]] for i in range(0, len(nums), 2))
    with tempfile.NamedTemporaryFile() as f:
        f.write(chunks)
        f.flush()
        r = subprocess.run(["openssl", "cms", "-sign", "-binary", "-md", "sha256",
                            "-nosmimecap", "-in", f.name, "-signer", cert, "-inkey", key,
                            "-certfile", cas, "-outform", "DER"], capture_output=True)
    if r.returncode != 0:
        die("openssl cms -sign: %s" % r.stderr.decode(errors="replace"))
    return r.stdout


def forge(inp, out, mode, key=None, cert=None, cas=None):
    """Modes: shrink10 - [0 a-10 b c], the 10 bytes before the hex string unsigned (not
    re-signed); control - the true ByteRange, re-signed by OpenSSL as adbe.pkcs7.detached
    (must pass: shows the re-signing itself is acceptable); shrink10-resigned; gap6 - three
    ranges leaving 10 bytes of the first revision unsigned, re-signed; short-end - the second
    range ends after the last "startxref": the xref offset and %%EOF unsigned, re-signed;
    short-eol - [0 a b c-1], only the end-of-line after %%EOF unsigned, re-signed.
    A ByteRange too narrow for the new numbers grows into the /Contents hex string's padding,
    so that no byte outside the signature dictionary moves."""
    data = bytes(open(inp, "rb").read())
    s, e, nums = last_sig(data)
    _, a, b, c = nums
    end = b + c  # where the second range ends, which does not move
    tail = data.rfind(b"startxref") + len(b"startxref")

    def ranges(a2, b2):
        return {"shrink10": [0, a2 - 10, b2, end - b2],
                "shrink10-resigned": [0, a2 - 10, b2, end - b2],
                "control": [0, a2, b2, end - b2],
                "gap6": [0, a2 // 2, a2 // 2 + 10, a2 - a2 // 2 - 10, b2, end - b2],
                "short-end": [0, a2, b2, tail - b2],
                "short-eol": [0, a2, b2, end - b2 - 1]}[mode]

    if mode not in ("shrink10", "shrink10-resigned", "control", "gap6", "short-end",
                    "short-eol"):
        die("forge: unknown mode %s" % mode)
    width = e - s
    for grow in range(0, 64):
        a2, b2 = (a + grow, b) if s < a else (a, b - grow)
        text = " ".join(map(str, ranges(a2, b2))).encode()
        if len(text) <= width + grow:
            break
    text += b" " * (width + grow - len(text))
    hexbody = data[a + 1:b - 1]
    if grow and (mode == "shrink10" or hexbody[len(hexbody) - grow:] != b"0" * grow):
        die("forge: no room for ByteRange [%s]" % text.decode())
    hexbody = hexbody[:len(hexbody) - grow]
    if s < a:
        out_data = data[:s] + text + data[e:a + 1] + hexbody + data[b - 1:]
    else:
        out_data = data[:a + 1] + hexbody + data[b - 1:s] + text + data[e:]
    data = bytearray(out_data)
    new = ranges(a2, b2)
    if mode != "shrink10":
        lo, hi = max(0, a2 - 8192), min(len(data), b2 + 8192)
        spots = [lo + m.start()
                 for m in re.finditer(rb"/ETSI\.CAdES\.detached", bytes(data[lo:hi]))]
        if spots:
            pos = min(spots, key=lambda p: abs(p - a2))
            data[pos:pos + 20] = b"/adbe.pkcs7.detached"
        der = resign(bytes(data), new, key, cert, cas)
        hexed = der.hex().encode()
        room = b2 - a2 - 2
        if len(hexed) > room:
            die("forge: OpenSSL's CMS (%d hex digits) does not fit /Contents (%d)"
                % (len(hexed), room))
        data[a2 + 1:b2 - 1] = hexed + b"0" * (room - len(hexed))
    open(out, "wb").write(data)
    print(" ".join(map(str, new)))


# ------------------------------------------------------------------------- rendered pages

def read_ppm(path):
    data = open(path, "rb").read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P6" or fields[3] != b"255":
        die("%s: not an 8-bit P6 PPM" % path)
    w, h = int(fields[1]), int(fields[2])
    return w, h, data[pos + 1:pos + 1 + 3 * w * h]


def ppmcheck(path, corner):
    """CORNER is top-left, top-right, bottom-left, bottom-right or none.  Passes when the
    red pixels (enough of them) all lie in that corner's 45% x 45% box of the page, and the
    corners of their bounding box (outside the round seal) show the white page: the PNG's
    transparency was kept."""
    w, h, px = read_ppm(path)
    red = []
    for y in range(h):
        row = px[3 * w * y:3 * w * (y + 1)]
        for x in range(w):
            r, g, b = row[3 * x], row[3 * x + 1], row[3 * x + 2]
            if r > 150 and g < 110 and b < 110:
                red.append((x, y))
    if corner == "none":
        if red:
            die("%s: %d red pixels, expected none (first at %s)" % (path, len(red), red[0]))
        print("no red pixels")
        return
    if len(red) < 30:
        die("%s: only %d red pixels, expected a stamp in the %s corner" % (path, len(red), corner))
    xs = [p[0] for p in red]
    ys = [p[1] for p in red]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    bx = (0, int(w * 0.45)) if "left" in corner else (int(w * 0.55), w)
    by = (0, int(h * 0.45)) if "top" in corner else (int(h * 0.55), h)
    where = "red pixels in [%d..%d]x[%d..%d] of a %dx%d page" % (x0, x1, y0, y1, w, h)
    if not (bx[0] <= x0 and x1 < bx[1] and by[0] <= y0 and y1 < by[1]):
        die("%s: %s, not all in the %s box [%d..%d]x[%d..%d]"
            % (path, where, corner, bx[0], bx[1], by[0], by[1]))
    inset = 2
    for cx, cy in ((x0 + inset, y0 + inset), (x1 - inset, y0 + inset),
                   (x0 + inset, y1 - inset), (x1 - inset, y1 - inset)):
        i = 3 * (cy * w + cx)
        if min(px[i:i + 3]) < 200:
            die("%s: %s; pixel (%d,%d) outside the round seal is %s, not the white page: "
                "the stamp's transparency was lost" % (path, where, cx, cy, tuple(px[i:i + 3])))
    print(where)


def main(argv):
    if len(argv) < 2:
        die(__doc__)
    cmd, args = argv[1], argv[2:]
    table = {"mkpdf": mkpdf, "mkpng": mkpng, "sigs": sigs, "flip": flip, "flip-m": flip_m,
             "update": update, "forge": forge, "ppmcheck": ppmcheck, "contents": contents}
    if cmd not in table:
        die("unknown command %s" % cmd)
    table[cmd](*args)


if __name__ == "__main__":
    main(sys.argv)
