#!/usr/bin/env python3
"""extract-parts.py MSG OUTDIR -- write every attachment of the message MSG to OUTDIR.

Each leaf MIME part that carries a file name (Content-Disposition filename or
Content-Type name, RFC 2231 or RFC 2047 encoded) is decoded (base64 /
quoted-printable) and written as OUTDIR/NN-NAME, NN being the part's position
among the attachments (01, 02, ...), so equal names stay apart and a seal
"X.p7s" that follows its document "X" sits right after it in the listing.
Prints one line per file written: the name relative to OUTDIR.  Path
separators and leading dots in names are replaced so nothing escapes OUTDIR.
Exit 0 on success (also when there is no attachment), 2 on usage/I/O errors.
"""
import email
import email.policy
import os
import re
import sys
from email.header import decode_header, make_header

ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


def decode_words(text):
    """Decode RFC 2047 encoded-words wherever they are (also inside quotes)."""
    if "=?" not in text:
        return text
    try:
        return str(make_header(decode_header(text)))
    except Exception:
        return ENCODED_WORD.sub(
            lambda m: str(make_header(decode_header(m.group(0)))), text)


def part_filename(part):
    name = None
    try:
        name = part.get_filename()          # Content-Disposition filename, RFC 2231
        if not name:
            name = part.get_param("name")   # Content-Type name
            if isinstance(name, tuple):     # RFC 2231 (charset, lang, value)
                name = email.utils.collapse_rfc2231_value(name)
    except Exception:
        name = None
    if not name:
        return None
    return decode_words(str(name))


def safe(name):
    name = name.replace("/", "_").replace("\\", "_").replace("\0", "_")
    return re.sub(r"^\.+", "_", name) or "_"


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: extract-parts.py MSG OUTDIR\n")
        return 2
    with open(argv[1], "rb") as f:
        msg = email.message_from_binary_file(f, policy=email.policy.compat32)
    os.makedirs(argv[2], exist_ok=True)
    n = 0
    for part in msg.walk():
        if part.is_multipart():
            continue
        name = part_filename(part)
        if name is None:
            continue
        n += 1
        data = part.get_payload(decode=True) or b""
        out = "%02d-%s" % (n, safe(name))
        with open(os.path.join(argv[2], out), "wb") as f:
            f.write(data)
        print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
