#!/usr/bin/env python3
"""sestool.py - a test SM2 PKI and GB/T 38540 (v4) SES seals on OFD documents, for the tests.

Tests-only: never installed, never part of eseal.  The DER is written by the small encoder
below; every SM2 signature is made by the openssl CLI (SM3, distinguishing ID
1234567812345678), so what eseal checks was signed by a tool nobody here wrote.

  sestool.py mkofd OUT [TEXT]   a one-page OFD document whose page says TEXT (default: a
                                sales contract's first line)
  sestool.py mkpki DIR          root CA, seal maker and signer (SM2 keys and certificates)
  sestool.py esl DIR OUT        the SESeal (DER) the test seal authority (the maker) issues for
                                the signer's certificate: what eseal's ses_seal names
  sestool.py seal IN OUT DIR    seal the OFD package IN into OUT: a v4 SES_Signature over a
                                Signature.xml that references every file of IN
  sestool.py tbs OUT.ofd DIR    extract Sign_0's TBS_Sign, signature (DER) and the signer's
                                public key into DIR (tbs.der, sig.der, signer-pub.pem)
  sestool.py tamper IN OUT HOW  change a sealed package: page-byte, remove-file, add-file,
                                truncate-signedvalue, lying-length, hash-bomb, redirect-root
"""

import base64
import hashlib
import os
import subprocess
import sys
import tempfile
import time
import zipfile

SM2_ID = "1234567812345678"


def die(msg):
    sys.stderr.write("sestool: %s\n" % msg)
    sys.exit(1)


def run(*args, data=None):
    p = subprocess.run(args, input=data, capture_output=True)
    if p.returncode != 0:
        die("%s: %s" % (" ".join(args), p.stderr.decode(errors="replace")))
    return p.stdout


# ------------------------------------------------------------------ DER
def tlv(tag, body):
    n = len(body)
    if n < 0x80:
        head = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        head = bytes([0x80 | len(b)]) + b
    return bytes([tag]) + head + body


def seq(*items):
    return tlv(0x30, b"".join(items))


def integer(v):
    b = v.to_bytes(max(1, (v.bit_length() + 8) // 8), "big")
    return tlv(0x02, b)


def ia5(s):
    return tlv(0x16, s.encode())


def utf8(s):
    return tlv(0x0C, s.encode())


def octets(b):
    return tlv(0x04, b)


def bits(b):
    return tlv(0x03, b"\0" + b)


def gtime(s):
    return tlv(0x18, s.encode())


def oid(dotted):
    parts = [int(x) for x in dotted.split(".")]
    body = bytes([40 * parts[0] + parts[1]])
    for p in parts[2:]:
        chunk = [p & 0x7F]
        p >>= 7
        while p:
            chunk.insert(0, 0x80 | (p & 0x7F))
            p >>= 7
        body += bytes(chunk)
    return tlv(0x06, body)


SM2_SM3 = "1.2.156.10197.1.501"


def pem_to_der(path):
    return run("openssl", "x509", "-in", path, "-outform", "DER")


def sm2_sign(key, data):
    with tempfile.NamedTemporaryFile() as f:
        f.write(data)
        f.flush()
        return run("openssl", "dgst", "-sm3", "-sign", key, "-sigopt", "distid:" + SM2_ID, f.name)


# ------------------------------------------------------------------ PKI
def mkpki(d):
    os.makedirs(d, exist_ok=True)
    os.chdir(d)
    with open("ext.cnf", "w") as f:
        f.write("[leaf]\nbasicConstraints=critical,CA:FALSE\n"
                "keyUsage=critical,digitalSignature,nonRepudiation\n"
                "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n")
    for name in ("sm2-root", "sm2-maker", "sm2-signer"):
        run("openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:SM2",
            "-out", name + ".key")
    run("openssl", "req", "-x509", "-new", "-key", "sm2-root.key", "-sm3", "-sigopt",
        "distid:" + SM2_ID, "-subj", "/C=CN/O=eseal Test/CN=eseal Test SM2 Root CA",
        "-days", "3650", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", "sm2-root.pem")
    for serial, (name, cn) in enumerate((("sm2-maker", "eseal Test Seal Maker"),
                                         ("sm2-signer", "Example Co. SM2 Seal")), 2):
        run("openssl", "req", "-new", "-key", name + ".key", "-sm3", "-sigopt",
            "distid:" + SM2_ID, "-subj", "/C=CN/O=Example Co./CN=" + cn, "-out", name + ".csr")
        run("openssl", "x509", "-req", "-in", name + ".csr", "-CA", "sm2-root.pem", "-CAkey",
            "sm2-root.key", "-sm3", "-sigopt", "distid:" + SM2_ID, "-vfyopt",
            "distid:" + SM2_ID, "-days", "730", "-set_serial", str(serial), "-extfile",
            "ext.cnf", "-extensions", "leaf", "-out", name + ".pem")


# ------------------------------------------------------------------ sealing
def ses_seal_der(pki, name):
    maker = pem_to_der(os.path.join(pki, "sm2-maker.pem"))
    signer = pem_to_der(os.path.join(pki, "sm2-signer.pem"))
    info = seq(seq(ia5("ES"), integer(4), ia5("ESEALTEST")),
               ia5("eseal-test-0001"),
               seq(integer(1), utf8(name), integer(1), seq(octets(signer)),
                   gtime("20260101000000Z"), gtime("20260101000000Z"), gtime("20360101000000Z")),
               seq(ia5("PNG"), octets(b"\x89PNG\r\n\x1a\n"), integer(40), integer(40)))
    signed = sm2_sign(os.path.join(pki, "sm2-maker.key"), info)  # GB/T 38540: over SES_SealInfo
    return seq(info, octets(maker), oid(SM2_SM3), bits(signed)), signer


def seal(inp, out, pki):
    src = zipfile.ZipFile(inp)
    files = {i.filename: src.read(i) for i in src.infolist() if not i.is_dir()}
    ofd_xml = files["OFD.xml"].decode()
    doc_dir = "Doc_0"
    sig_dir = doc_dir + "/Signs/Sign_0"
    refs = "".join(
        '<ofd:Reference FileRef="/%s"><ofd:CheckValue>%s</ofd:CheckValue></ofd:Reference>'
        % (n, base64.b64encode(hashlib.new("sm3", files[n]).digest()).decode())
        for n in sorted(files) if n != "OFD.xml")
    now = time.strftime("%Y%m%d%H%M%SZ", time.gmtime())
    signature_xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<ofd:Signature xmlns:ofd="http://www.ofdspec.org/2016"><ofd:SignedInfo>'
        '<ofd:Provider ProviderName="sestool" Version="1.0" Company="eseal tests"/>'
        '<ofd:SignatureMethod>1.2.156.10197.1.501</ofd:SignatureMethod>'
        '<ofd:SignatureDateTime>%s</ofd:SignatureDateTime>'
        '<ofd:References CheckMethod="1.2.156.10197.1.401">%s</ofd:References>'
        '<ofd:StampAnnot ID="1" PageRef="1" Boundary="10 10 40 40"/>'
        '</ofd:SignedInfo><ofd:SignedValue>/%s/SignedValue.dat</ofd:SignedValue>'
        '</ofd:Signature>' % (now[:14], refs, sig_dir)).encode()
    eseal, signer = ses_seal_der(pki, "Example Co. 测试合同专用章")
    tbs = seq(integer(4), eseal, gtime(now),
              bits(hashlib.new("sm3", signature_xml).digest()),
              ia5("/%s/Signature.xml" % sig_dir))
    value = seq(tbs, octets(signer), oid(SM2_SM3),
                bits(sm2_sign(os.path.join(pki, "sm2-signer.key"), tbs)))
    files[sig_dir + "/Signature.xml"] = signature_xml
    files[sig_dir + "/SignedValue.dat"] = value
    files[doc_dir + "/Signs/Signatures.xml"] = (
        '<?xml version="1.0" encoding="UTF-8"?><ofd:Signatures '
        'xmlns:ofd="http://www.ofdspec.org/2016"><ofd:MaxSignId>1</ofd:MaxSignId>'
        '<ofd:Signature ID="1" Type="Seal" BaseLoc="Sign_0/Signature.xml"/>'
        '</ofd:Signatures>').encode()
    if "<ofd:Signatures>" not in ofd_xml:
        ofd_xml = ofd_xml.replace("</ofd:DocRoot>", "</ofd:DocRoot><ofd:Signatures>%s/Signs/"
                                  "Signatures.xml</ofd:Signatures>" % doc_dir, 1)
    files["OFD.xml"] = ofd_xml.encode()
    write(out, files)


def write(out, files):
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n in sorted(files):
            z.writestr(n, files[n])


def parse_tlv(b, at):
    tag, n = b[at], b[at + 1]
    at2 = at + 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(b[at2:at2 + k], "big")
        at2 += k
    return tag, at2, n  # tag, start of contents, length


def tbs(inp, d):
    z = zipfile.ZipFile(inp)
    v = z.read("Doc_0/Signs/Sign_0/SignedValue.dat")
    _, top, _ = parse_tlv(v, 0)
    _, tc, tl = parse_tlv(v, top)
    tbs_der = v[top:tc + tl]
    at = tc + tl
    _, cc, cl = parse_tlv(v, at)  # the signer's certificate
    cert = v[cc:cc + cl]
    at = cc + cl
    _, oc, ol = parse_tlv(v, at)
    at = oc + ol
    _, bc, bl = parse_tlv(v, at)
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, "tbs.der"), "wb").write(tbs_der)
    open(os.path.join(d, "sig.der"), "wb").write(v[bc + 1:bc + bl])
    open(os.path.join(d, "signer.der"), "wb").write(cert)
    pem = run("openssl", "x509", "-inform", "DER", "-in", os.path.join(d, "signer.der"),
              "-noout", "-pubkey")
    open(os.path.join(d, "signer-pub.pem"), "wb").write(pem)


def mkofd(out, text="销售合同 2026-042：40 台，每台人民币 1,000 元。"):
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    files = {
        "OFD.xml": ('<?xml version="1.0" encoding="UTF-8"?><ofd:OFD %s DocType="OFD" '
                    'Version="1.1"><ofd:DocBody><ofd:DocInfo><ofd:DocID>eseal-test</ofd:DocID>'
                    '</ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody>'
                    '</ofd:OFD>' % ns),
        "Doc_0/Document.xml": ('<?xml version="1.0" encoding="UTF-8"?><ofd:Document %s>'
                               '<ofd:CommonData><ofd:MaxUnitID>3</ofd:MaxUnitID><ofd:PageArea>'
                               '<ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>'
                               '<ofd:PublicRes>PublicRes.xml</ofd:PublicRes></ofd:CommonData>'
                               '<ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/>'
                               '</ofd:Pages></ofd:Document>' % ns),
        "Doc_0/PublicRes.xml": ('<?xml version="1.0" encoding="UTF-8"?><ofd:Res %s '
                                'BaseLoc="Res"><ofd:Fonts><ofd:Font ID="2" FontName="SimSun"/>'
                                '</ofd:Fonts></ofd:Res>' % ns),
        "Doc_0/Pages/Page_0/Content.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><ofd:Page %s><ofd:Content><ofd:Layer ID="3">'
            '<ofd:TextObject ID="4" Boundary="20 20 170 10" Font="2" Size="5">'
            '<ofd:TextCode X="0" Y="5">%s</ofd:TextCode>'
            '</ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>' % (ns, text)),
    }
    write(out, {n: v.encode() for n, v in files.items()})


def tamper(inp, out, how):
    z = zipfile.ZipFile(inp)
    files = {i.filename: z.read(i) for i in z.infolist() if not i.is_dir()}
    page = next(n for n in sorted(files) if n.startswith("Doc_0/Pages/"))
    value = "Doc_0/Signs/Sign_0/SignedValue.dat"
    if how == "page-byte":
        b = bytearray(files[page])
        b[len(b) // 2] ^= 0x01
        files[page] = bytes(b)
    elif how == "remove-file":
        del files[page]
    elif how == "add-file":
        files["Doc_0/Pages/Page_0/Res/added.png"] = b"\x89PNG\r\n\x1a\nnot covered"
    elif how == "truncate-signedvalue":
        files[value] = files[value][: len(files[value]) // 2]
    elif how == "hash-bomb":  # one 1 MiB file referenced 600 times: 600 MiB to hash
        big = b"\0" * (1 << 20)
        files["Doc_0/Res/big.bin"] = big
        ref = ('<ofd:Reference FileRef="/Doc_0/Res/big.bin"><ofd:CheckValue>%s</ofd:CheckValue>'
               '</ofd:Reference>' % base64.b64encode(hashlib.new("sm3", big).digest()).decode())
        sig = "Doc_0/Signs/Sign_0/Signature.xml"
        files[sig] = files[sig].replace(b"<ofd:Reference ", (ref * 600).encode() +
                                        b"<ofd:Reference ", 1)
    elif how == "redirect-root":  # a forged document where signatures live, OFD.xml pointing at it
        forged = "Doc_0/Signs/X/"
        files[forged + "Document.xml"] = files["Doc_0/Document.xml"]
        files[forged + "PublicRes.xml"] = files["Doc_0/PublicRes.xml"]
        files[forged + "Pages/Page_0/Content.xml"] = files[page].replace(
            "销售合同".encode(), b"PAY 1,000,000 TO MALLORY")
        files["OFD.xml"] = files["OFD.xml"].replace(b"<ofd:DocRoot>Doc_0/Document.xml",
                                                    ("<ofd:DocRoot>%sDocument.xml" % forged).encode())
    elif how == "lying-length":
        b = bytearray(files[value])
        b[5] ^= 0x40  # the TBS_Sign length, now past the end
        files[value] = bytes(b)
    else:
        die("unknown tamper %s" % how)
    write(out, files)


def main(argv):
    if len(argv) < 3:
        die(__doc__)
    cmd = argv[1]
    if cmd == "mkofd":
        mkofd(*argv[2:4])
    elif cmd == "mkpki":
        mkpki(argv[2])
    elif cmd == "esl":
        open(argv[3], "wb").write(ses_seal_der(argv[2], "Example Co. 合同专用章")[0])
    elif cmd == "seal":
        seal(argv[2], argv[3], argv[4])
    elif cmd == "tbs":
        tbs(argv[2], argv[3])
    elif cmd == "tamper":
        tamper(argv[2], argv[3], argv[4])
    else:
        die("unknown command %s" % cmd)


if __name__ == "__main__":
    main(sys.argv)
