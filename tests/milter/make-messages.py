#!/usr/bin/env python3
"""make-messages.py DIR: write the miltertest messages into DIR.
make-messages.py --tamper IN OUT: copy a sealed message with one byte of its first sealed
attachment changed (the seal then no longer matches)."""
import sys
from email import message_from_binary_file, policy
from email.message import EmailMessage


def message(sender, subject, attachment=None):
    m = EmailMessage()
    m["From"] = sender
    m["To"] = "rcpt@example.org"
    m["Subject"] = subject
    m.set_content("Dear customer,\nplease find our offer.\n")
    if attachment:
        m.add_attachment(b"%PDF-1.4\n% offer\n" * 20, maintype="application",
                         subtype="pdf", filename=attachment)
    return m


def tamper(src, dst):
    with open(src, "rb") as f:
        m = message_from_binary_file(f, policy=policy.default)
    for part in m.walk():
        name = part.get_filename()
        if name and not name.endswith(".p7s"):
            data = bytearray(part.get_payload(decode=True))
            data[0] ^= 0x01
            part.set_content(bytes(data), maintype=part.get_content_maintype(),
                             subtype=part.get_content_subtype(), filename=name)
            break
    with open(dst, "wb") as f:
        f.write(m.as_bytes())


def main():
    if sys.argv[1] == "--tamper":
        tamper(sys.argv[2], sys.argv[3])
        return
    out = sys.argv[1]
    msgs = {
        "plain.eml": message("Sales <sales@example.com>", "plain"),
        "ours-from-outside.eml": message("CEO <ceo@example.com>", "offer", "offer.pdf"),
        "other-domain.eml": message("someone@example.net", "other", "x.pdf"),
    }
    forged = message("partner@example.net", "forged")
    forged["ESeal-Verification"] = "mx.test; result=pass; sealed=1; failed=0; unsealed=0"
    forged["ESeal-Flag"] = "mx.test; unverified-contract"
    forged["Authentication-Results"] = "mx.test; smime=pass smime.signer=ceo@example.com"
    forged["Authentication-Results"] = "other.example; dkim=pass"
    msgs["forged.eml"] = forged
    big = message("Sales <sales@example.com>", "big")
    big.add_attachment(bytes(100 * 1024), maintype="application", subtype="octet-stream",
                       filename="big.bin")
    msgs["big.eml"] = big
    for name, m in msgs.items():
        with open(f"{out}/{name}", "wb") as f:
            f.write(m.as_bytes())


main()
