#!/usr/bin/env bash
# check-message-test.sh PART ESEAL PKI [CORPORA] - `eseal check-message`, the milter's
# pipeline offline.  PART roundtrip: seal a message with a PDF, a DOCX and a Chinese file
# name, check each seal with openssl cms, verify it back, tamper, forge; PART corpora: every
# real message of the corpora in both directions, under a time limit: never a crash, and
# every sealed result verifies; PART smime: Thunderbird's S/MIME messages; PART policy (the
# fourth argument is then the source tree): the shipped policies in the pipeline and in
# `eseal seal`.  Exit 0 all passed, 1 a check failed, 77 corpora absent.
set -u
part=$1 eseal=$2 pki=$3 corpora=${4:-}
work=$(mktemp -d /tmp/eseal-cm.XXXXXX)
trap 'rm -rf "$work"' EXIT
# shellcheck source=lib-cli.sh
. "$(dirname "$0")/lib-cli.sh"
cli_conf "$work/eseal.conf" "$pki"
check() { "$eseal" check-message -c "$work/eseal.conf" "$@"; }

roundtrip() {
    python3 - "$work/out.eml" "$work/single.eml" <<'PY'
import sys, zipfile, io
from email.message import EmailMessage
m = EmailMessage()
m["From"] = "Sales <sales@example.com>"; m["To"] = "buyer@example.org"; m["Subject"] = "contract"
m.set_content("Attached: offer, contract and terms.\n")
m.add_attachment(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n", maintype="application",
                 subtype="pdf", filename="offer.pdf")
z = io.BytesIO()
with zipfile.ZipFile(z, "w") as f:
    f.writestr("word/document.xml", "<w:document/>")
m.add_attachment(z.getvalue(), maintype="application",
                 subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
                 filename="contract.docx")
m.add_attachment("合同条款".encode("gb18030"), maintype="text", subtype="plain",
                 filename="合同.txt")
open(sys.argv[1], "wb").write(bytes(m))
s = EmailMessage()
s["From"] = "sales@example.com"; s["To"] = "buyer@example.org"; s["Subject"] = "pdf only"
s.set_content(b"%PDF-1.4 single part\n", maintype="application", subtype="pdf",
              disposition="attachment", filename="only.pdf")
open(sys.argv[2], "wb").write(bytes(s))
PY
    if check --outbound "$work/out.eml" -o "$work/sealed.eml" > "$work/summary"; then
        ok "outbound check-message runs"
    else
        not_ok "outbound check-message: $(cat "$work/summary")"
    fi
    grep -q "outbound sealed=3 refused=0 attachments=3" "$work/summary" && ok "three attachments sealed" ||
        not_ok "summary: $(cat "$work/summary")"
    mkdir "$work/parts"
    python3 - "$work/sealed.eml" "$work/parts" <<'PY'
import sys
from email import message_from_binary_file, policy
m = message_from_binary_file(open(sys.argv[1], "rb"), policy=policy.default)
for i, p in enumerate(q for q in m.walk() if q.get_filename()):
    open(f"{sys.argv[2]}/{p.get_filename()}", "wb").write(p.get_payload(decode=True))
PY
    for name in offer.pdf contract.docx 合同.txt; do
        if openssl cms -verify -binary -inform DER -in "$work/parts/$name.p7s" \
            -content "$work/parts/$name" -CAfile "$pki/trust.pem" -purpose any \
            -out /dev/null 2>/dev/null; then
            ok "openssl cms -verify accepts the seal of $name"
        else
            not_ok "openssl cms -verify rejects the seal of $name"
        fi
    done
    if python3 - "$work/out.eml" "$work/sealed.eml" <<'PY'
import re, sys
a, b = (open(f, "rb").read().replace(b"\r\n", b"\n") for f in sys.argv[1:3])
boundary = b"--" + re.search(rb'boundary="?([^";\n]+)"?', a).group(1)
before = a.split(boundary)[1:-1]
after = [p for p in b.split(boundary)[1:-1] if b"pkcs7-signature" not in p]
sys.exit(0 if before == after else 1)
PY
    then ok "every original part is byte-identical after sealing"
    else not_ok "sealing changed an original part"
    fi
    check --inbound "$work/sealed.eml" > "$work/in" &&
        grep -q "inbound result=pass sealed=3 failed=0 unsealed=0" "$work/in" &&
        ok "inbound: all three seals pass" || not_ok "inbound: $(cat "$work/in")"
    grep -q 'name="=?UTF-8?B?5ZCI5ZCMLnR4dA==?="' "$work/in" &&
        ok "the Chinese name is RFC 2047 encoded in the header" || not_ok "name: $(cat "$work/in")"
    check --outbound "$work/single.eml" -o "$work/single-sealed.eml" > "$work/s" &&
        grep -q "sealed=1" "$work/s" && ok "single-part message sealed" || not_ok "$(cat "$work/s")"
    grep -qi '^Content-Type: multipart/mixed' "$work/single-sealed.eml" &&
        ok "and became multipart/mixed" || not_ok "not multipart/mixed"
    check --inbound "$work/single-sealed.eml" | grep -q "result=pass sealed=1" &&
        ok "its seal verifies" || not_ok "single-part seal does not verify"
    check --outbound "$work/sealed.eml" | grep -q "sealed=0 refused=0 attachments=3" &&
        ok "already sealed attachments are left alone" || not_ok "sealed twice"
    sed 's/^Attached: offer/Attached: 0ffer/' "$work/sealed.eml" > "$work/text-changed.eml"
    check --inbound "$work/text-changed.eml" | grep -q "result=pass" &&
        ok "a changed body text does not touch attachment seals" || not_ok "text change"
    python3 - "$work/sealed.eml" "$work/tampered.eml" <<'PY'
import sys
from email import message_from_binary_file, policy
m = message_from_binary_file(open(sys.argv[1], "rb"), policy=policy.default)
for p in m.walk():
    if p.get_filename() == "contract.docx":
        data = bytearray(p.get_payload(decode=True)); data[-1] ^= 1
        p.set_content(bytes(data), maintype="application", subtype="octet-stream",
                      filename="contract.docx")
open(sys.argv[2], "wb").write(m.as_bytes())
PY
    check --inbound "$work/tampered.eml" > "$work/t"
    grep -q "inbound result=fail sealed=3 failed=1" "$work/t" && ok "one changed byte: fail" ||
        not_ok "tampered: $(cat "$work/t")"
    { printf 'ESeal-Verification: mx.test; result=pass\n'; cat "$work/out.eml"; } > "$work/forged.eml"
    check --inbound "$work/forged.eml" -o "$work/forged-out.eml" >/dev/null
    [ "$(grep -c '^ESeal-Verification:' "$work/forged-out.eml")" = 1 ] &&
        grep -q '^ESeal-Verification: mx.test; result=none' "$work/forged-out.eml" &&
        ok "a forged ESeal-Verification is replaced by ours" || not_ok "forged header kept"
    cmp -s <(sed -n '/^$/,$p' "$work/out.eml") \
        <(sed -n '/^$/,$p' "$work/forged-out.eml") && ok "inbound leaves the body byte-identical" ||
        not_ok "inbound changed the body"
}

corpora_run() {
    [ -n "$corpora" ] && [ -d "$corpora" ] || { echo "skip: no corpora at '$corpora'"; exit 77; }
    local count=0 crashes=0 unverified=0 f rc
    while IFS= read -r -d '' f; do
        count=$((count + 1))
        for dir in --inbound --outbound; do
            timeout 20 "$eseal" check-message -c "$work/eseal.conf" $dir "$f" \
                -o "$work/o.eml" > "$work/r" 2>&1
            rc=$?
            if [ $rc -gt 1 ] && ! grep -q "cannot read" "$work/r"; then
                crashes=$((crashes + 1))
                echo "# $dir $f: exit $rc: $(head -c 300 "$work/r")"
            fi
            # every seal added must verify (a message may carry broken signatures of its own)
            sealed=$(sed -n 's/.*outbound sealed=\([0-9]*\).*/\1/p' "$work/r")
            if [ "$dir" = --outbound ] && [ $rc -eq 0 ] && [ "${sealed:-0}" -gt 0 ]; then
                passing=$("$eseal" check-message -c "$work/eseal.conf" --inbound "$work/o.eml" |
                          sed -n 's/.* sealed=\([0-9]*\) failed=\([0-9]*\).*/\1 - \2/p' |
                          head -n 1)
                passing=$((passing))
                if [ "$passing" -lt "$sealed" ]; then
                    unverified=$((unverified + 1))
                    echo "# $f: $sealed seals added, $passing verify"
                fi
            fi
        done
    done < <(find "$corpora" -type f \( -name '*.eml' -o -name '*.msg' -o -name 'msg_*.txt' \) -print0)
    echo "# $count corpus messages, both directions"
    [ "$crashes" -eq 0 ] && ok "no crash or time-out on $count messages" || not_ok "$crashes crashes"
    [ "$unverified" -eq 0 ] && ok "every sealed corpus message verifies" ||
        not_ok "$unverified sealed messages do not verify"
}

# Thunderbird's S/MIME test messages against what `openssl smime -verify` said of them
# (EXPECTED-openssl-smime-verify.txt): what OpenSSL accepts passes here (SHA-1 ones are weak),
# what it rejects never passes.
smime() {
    local dir=$corpora/thunderbird-smime/mailnews-test-data-smime
    local expected=$corpora/thunderbird-smime/EXPECTED-openssl-smime-verify.txt
    [ -f "$expected" ] || { echo "skip: no S/MIME corpus at '$dir'"; exit 77; }
    printf 'authserv_id = mx.test\nverify {\n  trust_anchors = %s/TestCA.pem\n}\n' "$dir" \
        > "$work/smime.conf"
    chmod 600 "$work/smime.conf"
    local file openssl_said got want
    while IFS='|' read -r file _ openssl_said; do
        file=$(echo $file)
        [ -f "$dir/$file" ] || continue
        got=$("$eseal" check-message -c "$work/smime.conf" --inbound "$dir/$file" |
              sed -n 's/.*inbound result=\([a-z]*\).*/\1/p')
        case $openssl_said in
            *successful*)
                want=pass
                case $file in *SHA1*) want=weak ;; esac
                [ "$got" = "$want" ] && ok "$file: $got" || not_ok "$file: $got, want $want" ;;
            *)
                [ "$got" != pass ] && ok "$file: $got (openssl: failure)" ||
                    not_ok "$file: pass, but openssl rejects it" ;;
        esac
    done < <(sed -n '/^## mailnews-test-data-smime$/,/^## /p' "$expected" | grep -v '^#')
}

# The shipped policies in the pipeline: a divorce agreement beside a contract in one message.
policy() {
    local src=$corpora # the source tree, for this part
    sed "s|^authserv_id = mx.test|&\npolicy_files = {$src/policy/article3.policy, $src/policy/contracts.policy}|" \
        "$work/eseal.conf" > "$work/policy.conf"
    chmod 600 "$work/policy.conf"
    python3 - "$work/mixed.eml" <<'PY'
import sys
from email.message import EmailMessage
m = EmailMessage()
m["From"] = "Legal <legal@example.com>"; m["To"] = "client@example.org"; m["Subject"] = "Documents"
m.set_content("Two documents for your files.\n")
m.add_attachment("离婚协议书\n双方自愿离婚，达成离婚协议：解除婚姻关系，子女由女方抚养，男方支付抚养费，"
                 "夫妻共同财产分割如下。\n".encode("gb18030"), maintype="text", subtype="plain",
                 filename="协议书.txt", params={"charset": "gb18030"})
m.add_attachment("采购合同\n合同编号：2026-042\n甲乙双方经协商一致签订本合同。\n".encode(),
                 maintype="text", subtype="plain", filename="采购合同.txt")
open(sys.argv[1], "wb").write(bytes(m))
PY
    "$eseal" check-message -c "$work/policy.conf" --outbound "$work/mixed.eml" \
        -o "$work/mixed-out.eml" > "$work/p" 2>&1
    grep -q "outbound sealed=1 refused=1 attachments=2" "$work/p" &&
        ok "the divorce agreement is refused, its contract neighbour sealed" ||
        not_ok "mixed: $(cat "$work/p")"
    tr -d '\n\t' < "$work/p" | grep -q 'action=refused; category=personal-relationship;basis="PRC Electronic Signature Law art. 3(1)"' &&
        ok "the refusal names the category and the article" || not_ok "refusal header: $(cat "$work/p")"
    grep -c 'pkcs7-signature' "$work/mixed-out.eml" | grep -qx 1 &&
        ok "exactly one seal in the delivered message" || not_ok "seal count"
    sed 's/outbound = refuse-seal/outbound = reject/' "$src/policy/article3.policy" > "$work/reject.policy"
    sed "s|$src/policy/article3.policy|$work/reject.policy|" "$work/policy.conf" > "$work/reject.conf"
    chmod 600 "$work/reject.conf"
    "$eseal" check-message -c "$work/reject.conf" --outbound "$work/mixed.eml" > "$work/r" 2>&1
    rc=$?
    [ $rc -eq 1 ] && grep -q "outbound sealed=0 refused=1" "$work/r" && grep -q "reject (550 5.7.1): attachment \"协议书.txt\" is a personal-relationship document (PRC Electronic Signature Law art. 3(1))" "$work/r" &&
        ok "with outbound = reject: 550 5.7.1 naming attachment, category and article" ||
        not_ok "reject: exit $rc: $(cat "$work/r")"
    sed 's/outbound = refuse-seal/outbound = hold/' "$src/policy/article3.policy" > "$work/hold.policy"
    sed "s|$src/policy/article3.policy|$work/hold.policy|" "$work/policy.conf" > "$work/hold.conf"
    chmod 600 "$work/hold.conf"
    "$eseal" check-message -c "$work/hold.conf" --outbound "$work/mixed.eml" > "$work/h" 2>&1 &&
        grep -q 'action: hold: eseal: "协议书.txt" is a personal-relationship document' "$work/h" &&
        grep -q "outbound sealed=1 refused=1" "$work/h" &&
        ok "with outbound = hold: quarantined, the contract still sealed" ||
        not_ok "hold: $(cat "$work/h")"
    python3 - "$work/big-in.eml" <<'PY'
import sys
from email.message import EmailMessage
m = EmailMessage()
m["From"] = "partner@example.net"; m["To"] = "legal@example.com"; m["Subject"] = "long"
m.set_content("See the attachment.\n")
m.add_attachment(("采购合同 合同编号：2026-042 甲乙双方签订本合同。\n" * 40000).encode(),
                 maintype="text", subtype="plain", filename="long.txt")
open(sys.argv[1], "wb").write(bytes(m))
PY
    "$eseal" check-message -c "$work/policy.conf" --inbound "$work/big-in.eml" > "$work/b" 2>&1
    tr -d '\n\t' < "$work/b" | grep -q 'unverified-contract; name="long.txt";note="text capped: text cap' &&
        grep -q "classified within extraction caps" "$work/b" &&
        ok "a document classified on capped text says so" || not_ok "capped: $(head -c 600 "$work/b")"
    # a 30 KB PDF whose 50 pages share one content stream of 400 000 text operators: reading
    # it takes longer than a document may; what was not read is not sealed
    python3 - "$work/slow.eml" <<'PY'
import sys, zlib
from email.message import EmailMessage
content = b"BT /F1 1 Tf " + b"1 0 0 1 0 0 Tm (x) Tj " * 400000 + b"ET"
comp = zlib.compress(content, 9)
pages = 50
objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + " ".join("%d 0 R" % (6 + i) for i in range(pages)).encode()
        + b"] /Count %d >>" % pages, b"<< >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(comp) + comp + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
         b"/Resources << /Font << /F1 5 0 R >> >> >>"] * pages
pdf, offsets = b"%PDF-1.4\n", []
for i, o in enumerate(objs):
    offsets.append(len(pdf))
    pdf += b"%d 0 obj\n" % (i + 1) + o + b"\nendobj\n"
xref = len(pdf)
pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
pdf += b"".join(b"%010d 00000 n \n" % o for o in offsets)
pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
m = EmailMessage()
m["From"] = "Sales <sales@example.com>"; m["To"] = "x@example.org"; m["Subject"] = "offer"
m.set_content("See the offer.\n")
m.add_attachment(pdf, maintype="application", subtype="pdf", filename="offer.pdf")
open(sys.argv[1], "wb").write(bytes(m))
PY
    "$eseal" check-message -c "$work/policy.conf" --outbound "$work/slow.eml" > "$work/sl" 2>&1
    tr -d '\n\t' < "$work/sl" | grep -q 'action=refused;reason="the document could not be read whole in time; not sealed";note="text capped: time budget' &&
        ok "a document not read whole in time is not sealed, and the header says why" ||
        not_ok "slow PDF: $(cat "$work/sl")"
    printf 'Contract 2026-042, signed.\n' > "$work/采购合同.txt"
    "$eseal" classify -p "$src/policy/contracts.policy" "$work/采购合同.txt" | grep -q "categories=contract" &&
        ok "eseal classify names the category" || not_ok "classify"
    printf '离婚协议书\n双方自愿离婚，达成离婚协议，解除婚姻关系，子女抚养费由男方支付。\n' > "$work/doc.txt"
    "$eseal" seal -c "$work/policy.conf" --seal example.com "$work/doc.txt" > "$work/s" 2>&1
    rc=$?
    [ $rc -eq 1 ] && grep -q "not sealed: a personal-relationship document" "$work/s" && [ ! -e "$work/doc.txt.p7s" ] &&
        ok "eseal seal refuses an excluded document (exit 1)" || not_ok "seal: exit $rc: $(cat "$work/s")"
    "$eseal" seal -c "$work/policy.conf" --seal example.com --force "$work/doc.txt" > "$work/s" 2>&1 &&
        [ -e "$work/doc.txt.p7s" ] && grep -q "sealed anyway (--force)" "$work/s" &&
        ok "--force seals it and says so" || not_ok "force: $(cat "$work/s")"
}

case $part in
    policy) policy ;;
    roundtrip) roundtrip ;;
    corpora) corpora_run ;;
    smime) smime ;;
esac
echo "$part: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
