#!/usr/bin/env python3
"""make-messages.py DIR: write the miltertest messages into DIR.
make-messages.py --tamper IN OUT: copy a sealed message with one byte of its first sealed
attachment changed (the seal then no longer matches)."""
import sys
from email import message_from_binary_file, policy
from email.message import EmailMessage


def message(sender, subject, attachment=None, text=None):
    m = EmailMessage()
    m["From"] = sender
    m["To"] = "rcpt@example.org"
    m["Subject"] = subject
    m.set_content("Dear customer,\nplease find our offer.\n")
    if attachment and text is not None:
        m.add_attachment(text.encode("utf-8"), maintype="text", subtype="plain",
                         filename=attachment)
    elif attachment:
        m.add_attachment(b"%PDF-1.4\n% offer\n" * 20, maintype="application",
                         subtype="pdf", filename=attachment)
    return m


DIVORCE = ("离婚协议书\n男方张三，女方李四，双方自愿离婚，经协商一致达成如下离婚协议："
           "一、双方自愿解除婚姻关系；二、婚生子女由女方抚养，男方每月支付抚养费；"
           "三、夫妻共同财产分割如下。\n")
CONTRACT = ("采购合同\n合同编号：2026-042\n甲方（买方）与乙方（卖方）经协商一致，签订本合同。"
            "乙方按甲方订单供货，甲方于验收后三十日内付款。\n")


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
        "divorce-out.eml": message("Sales <sales@example.com>", "documents",
                                   "离婚协议书.txt", DIVORCE),
        "divorce-in.eml": message("lawyer@example.net", "documents", "离婚协议书.txt", DIVORCE),
        "contract-in.eml": message("partner@example.net", "Contract 2026-042",
                                   "采购合同.txt", CONTRACT),
        "contract-out.eml": message("Sales <sales@example.com>", "Contract 2026-042",
                                    "采购合同.txt", CONTRACT),
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
