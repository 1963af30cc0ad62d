#!/usr/bin/env bash
# postfix-test.sh BUILD_DIR -- eseal-milter end to end through a real, private Postfix.
#
# Starts a throwaway Postfix instance (own main.cf/master.cf, queue, data directory and
# log file under a temp dir; SMTP on 127.0.0.1:PORT, delivery to maildirs) with
# BUILD_DIR/milter/eseal-milter as its milter, sends mail with swaks and checks what
# was delivered:
#   (a) internal client (127.0.0.1), From sales@example.com, a PDF, a DOCX and 合同.txt
#       (RFC 2047 name): ESeal-Outbound sealed=3, a .p7s sibling after each attachment,
#       each verified by `openssl cms -verify` against the test trust anchor;
#   (b) that sealed message sent back in from 127.0.0.2 (external): result=pass, three
#       ESeal-Attachment result=pass, the outbound ESeal-* headers gone, body unchanged;
#   (c) the same with one byte of one attachment changed: result=fail;
#   (d) external mail carrying forged ESeal-* headers: they are all removed, one
#       ESeal-Verification result=none is left;
#   (e) external mail with From ceo@example.com and an attachment: not sealed;
#   (f) a 1.5 MB attachment (the milter's temp-file spool) sealed and verified;
#   (g) external mail with 100 forged ESeal-* fields (names in any case, one 156
#       characters long): all removed;
#   (h) the same over max_message_size (3M): still all removed, result=error;
#   and at the end that eseal-milter is still running and stops cleanly on SIGTERM.
# Prints `ok - ...`/`not ok - ...` lines and `e2e: N passed, M failed`; on failure also
# Postfix's maillog and the milter's stderr.  Exit 0 when every check passed, 1 when
# one failed, 77 (skipped) when Postfix cannot be installed or run here (not root, no
# apt-get, install or start failed).  Needs root (Postfix; the milter drops to nobody).
# postfix and swaks are installed with apt-get when missing (debconf preseeded to
# "No configuration"); the system Postfix instance is neither used nor touched.
#
# Environment: ESEAL_E2E_KEEP=1 keeps the temp dir (it is also kept on failure);
# ESEAL_E2E_NO_MILTER=1 only checks the Postfix machinery (one delivery, no milter);
# ESEAL_E2E_VALGRIND=1 (or the option --valgrind) runs the milter under valgrind and checks
# at the end that memcheck saw no invalid read or write and no definite leak (skipped, 77,
# when valgrind is not installed).
# The Postfix and milter setup is shared with stress-test.sh: lib-postfix.sh.
set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
if [ "${1:-}" = --valgrind ]; then
    export ESEAL_E2E_VALGRIND=1
    shift
fi
# shellcheck source=lib-postfix.sh
. "$here/lib-postfix.sh"
e2e_init "$@"
e2e_pki
e2e_postfix_start smoke a b c d e f g h p q

if [ -z "$no_milter" ]; then
    e2e_milter_config
    e2e_milter_start_or_exit
fi

# ---------------------------------------------------------------- fixtures
fx=$W/fixtures
mkdir -p "$fx"
mt make-pdf "$fx/quotation.pdf"
mt make-docx "$fx/offer.docx"
printf '合同\n甲方：示例有限公司（Example Co.）\n乙方：某某贸易公司\n第一条 货物与价款：按附件报价单执行。\n' \
    >"$fx/contract.txt"
cn_name=合同.txt
cn_b64=$(printf '%s' "$cn_name" | base64)
docs=(quotation.pdf offer.docx "$cn_name")
declare -A doc_file=([quotation.pdf]=$fx/quotation.pdf [offer.docx]=$fx/offer.docx
                     [$cn_name]=$fx/contract.txt)
expected_names=$(printf '%s\n' "${docs[@]}" | sort)

if [ -n "$no_milter" ]; then
    if send smoke 127.0.0.1 --from sales@example.com --to smoke@example.org \
        --header 'Subject: smoke' --body 'postfix machinery only'; then
        delivered smoke smoke || true
    fi
    [ "$failed" -eq 0 ] || dump_logs
    finished=1
    echo "e2e: $passed passed, $failed failed (postfix only, ${SECONDS}s)"
    [ "$failed" -eq 0 ]
    exit
fi

# check_pdf_sealed WHAT SEALED ORIGINAL: SEALED is ORIGINAL with a seal appended in place,
# which poppler's pdfsig (trusting our test root) and qpdf accept.
nss=$W/nss
mkdir -p "$nss"
certutil -N -d "sql:$nss" --empty-password >"$W/certutil.log" 2>&1 &&
    certutil -A -d "sql:$nss" -n eseal-test-root -t CT,C,C -i "$pki/trust.pem" \
        >>"$W/certutil.log" 2>&1 ||
    not_ok "certutil could not make the NSS database for pdfsig: $(tr '\n' ' ' <"$W/certutil.log")"
check_pdf_sealed() {
    local what=$1 sealed=$2 original=$3 o
    if cmp -s -n "$(stat -c %s "$original")" "$sealed" "$original" &&
        [ "$(stat -c %s "$sealed")" -gt "$(stat -c %s "$original")" ]; then
        ok "$what: the original bytes are kept, the seal appended"
    else not_ok "$what: not the original with a seal appended"; fi
    o=$(pdfsig -nssdir "sql:$nss" "$sealed" 2>&1) || true
    if grep -q 'Signature Validation: Signature is Valid.' <<<"$o" &&
        grep -q 'Certificate Validation: Certificate is Trusted.' <<<"$o" &&
        grep -q 'Total document signed' <<<"$o"; then
        ok "$what: pdfsig says the signature is valid, trusted, the whole document signed"
    else not_ok "$what: pdfsig: $(tr '\n' ' ' <<<"$o")"; fi
    if o=$(qpdf --check "$sealed" 2>&1); then ok "$what: qpdf --check accepts it"
    else not_ok "$what: qpdf --check: $(tail -n 3 <<<"$o" | tr '\n' ' ')"; fi
    if pdftoppm -r 40 -f 1 -l 1 "$sealed" "$W/stamp-page" >/dev/null 2>&1 &&
        o=$(python3 "$src/tests/pdf/pdftool.py" ppmcheck "$W"/stamp-page*.ppm bottom-right 2>&1)
    then ok "$what: the visible stamp is drawn in the bottom right corner of page 1"
    else not_ok "$what: stamp not where configured: $o"; fi
}

# ---------------------------------------------------------------- (a) outbound sealing
a_args=(--from sales@example.com --to a@example.org
        --header 'Subject: Quotation and contract'
        --body 'Dear partner, please find the quotation, our offer and the contract attached.'
        --attach-type application/pdf --attach-name quotation.pdf --attach "@$fx/quotation.pdf"
        --attach-type application/vnd.openxmlformats-officedocument.wordprocessingml.document
        --attach-name offer.docx --attach "@$fx/offer.docx"
        --attach-type 'text/plain; charset=UTF-8' --attach-name "=?UTF-8?B?$cn_b64?="
        --attach "@$fx/contract.txt")
swaks --dump-mail "${a_args[@]}" >"$W/a-sent.eml" 2>/dev/null
if ! grep -qP '[^\x00-\x7f]' "$W/a-sent.eml" && grep -q "=?UTF-8?B?$cn_b64?=" "$W/a-sent.eml"
then ok "(a) the message swaks sends names $cn_name RFC 2047 encoded, no raw 8-bit"
else not_ok "(a) the message swaks sends does not encode the name $cn_name"; fi

A=
if send a 127.0.0.1 "${a_args[@]}" && delivered a a; then
    A=$msg
    out=$(hdrs "$A" ESeal-Outbound)
    expect_eq "(a) one ESeal-Outbound header" "$(nhdrs "$A" ESeal-Outbound)" 1
    expect_re "(a) ESeal-Outbound: mx.test; sealed=3; refused=0; seal=\"CN=Example Co. Seal,...\"" \
        "$out" '^mx\.test; (.*; )?sealed=3; (.*; )?refused=0; (.*; )?seal="CN=Example Co\. Seal,O=Example Co\.,C=CN"'
    att=$(hdrs "$A" ESeal-Attachment)
    expect_eq "(a) three ESeal-Attachment headers" "$(nhdrs "$A" ESeal-Attachment)" 3
    expect_re "(a) each ESeal-Attachment: mx.test; name=...; action=sealed; format=cades|pades" \
        "$att" '^mx\.test; name="[^"]+"; (.*; )?action=sealed; (.*; )?format=(cades|pades)(;|$)'
    expect_re "(a) quotation.pdf sealed in place: format=pades" \
        "$(attachment_hdr "$A" quotation.pdf)" '; action=sealed; (.*; )?format=pades(;|$)'
    expect_eq "(a) ESeal-Attachment names (decoded) are the three attachments" \
        "$(sed -n 's/.*name="\([^"]*\)".*/\1/p' <<<"$att" | sort | tr '\n' ' ')" \
        "$(tr '\n' ' ' <<<"$expected_names")"
    eseal_headers_wellformed a "$A"

    mkdir -p "$W/a-parts"
    python3 "$here/extract-parts.py" "$A" "$W/a-parts" >"$W/a-parts.list" ||
        not_ok "(a) extract-parts.py failed on the delivered message"
    expect_eq "(a) five attachments delivered (the sealed PDF, two documents, two seals)" \
        "$(grep -c '' "$W/a-parts.list" || true)" 5
    mt parts "$A" >"$W/a-types.list" || true
    for d in "${docs[@]}"; do
        f=$(grep -m1 -E "^[0-9]+-${d//./[.]}\$" "$W/a-parts.list" || true)
        if [ -z "$f" ]; then not_ok "(a) $d: attachment missing from the delivered message"; continue; fi
        if [ "$d" = quotation.pdf ]; then
            check_pdf_sealed "(a) $d" "$W/a-parts/$f" "${doc_file[$d]}"
            continue
        fi
        n=${f%%-*}
        sig=$(printf '%02d-%s.p7s' $((10#$n + 1)) "$d")
        if cmp -s "$W/a-parts/$f" "${doc_file[$d]}"; then ok "(a) $d: content delivered unchanged"
        else not_ok "(a) $d: delivered content differs from what was sent"; fi
        if [ ! -f "$W/a-parts/$sig" ]; then
            not_ok "(a) $d: no sibling $d.p7s right after it (parts: $(tr '\n' ' ' <"$W/a-parts.list"))"
            continue
        fi
        ok "(a) $d: sibling part $d.p7s right after it"
        if grep -qxF "application/pkcs7-signature	$d.p7s" "$W/a-types.list"; then
            ok "(a) $d.p7s is application/pkcs7-signature"
        else
            not_ok "(a) $d.p7s content type: $(grep -F "	$d.p7s" "$W/a-types.list" | cut -f1)"
        fi
        if o=$(openssl cms -verify -binary -inform DER -in "$W/a-parts/$sig" \
            -content "$W/a-parts/$f" -CAfile "$pki/trust.pem" -purpose any -out /dev/null 2>&1)
        then ok "(a) $d: openssl cms -verify accepts $d.p7s"
        else not_ok "(a) $d: openssl cms -verify rejects $d.p7s: $(tr '\n' ' ' <<<"$o")"; fi
        if [ -x "$eseal_bin" ]; then
            if o=$("$eseal_bin" verify --trust "$pki/trust.pem" --crl "$pki/crl" \
                "$W/a-parts/$f" "$W/a-parts/$sig" 2>&1); then
                ok "(a) $d: eseal verify says pass"
            else not_ok "(a) $d: eseal verify: $o"; fi
        fi
    done
fi

# ---------------------------------------------------------------- (b) inbound, sealed
# The delivered message, minus what the delivery agent added, sent in from outside.
strip_delivery() { mt strip "$1" "$2" Return-Path Delivered-To X-Original-To; }
if [ -n "$A" ]; then
    strip_delivery "$A" "$W/b.eml"
    if send b 127.0.0.2 --from partner@example.net --to b@example.org --data "@$W/b.eml" &&
        delivered b b; then
        B=$msg
        expect_eq "(b) one ESeal-Verification header" "$(nhdrs "$B" ESeal-Verification)" 1
        expect_re "(b) ESeal-Verification: mx.test; result=pass; sealed=3; failed=0; unsealed=0" \
            "$(hdrs "$B" ESeal-Verification)" '^mx\.test; result=pass; sealed=3; failed=0; unsealed=0(;|$)'
        att=$(hdrs "$B" ESeal-Attachment)
        expect_eq "(b) three ESeal-Attachment headers" "$(nhdrs "$B" ESeal-Attachment)" 3
        expect_re "(b) each ESeal-Attachment: mx.test; name=...; result=pass; format=cades|pades; signer=\"CN=Example Co. Seal...\"" \
            "$att" '^mx\.test; name="[^"]+"; (.*; )?result=pass; (.*; )?format=(cades|pades); (.*; )?signer="CN=Example Co\. Seal'
        expect_re "(b) quotation.pdf: its seal inside the PDF checked, format=pades" \
            "$(attachment_hdr "$B" quotation.pdf)" '; result=pass; (.*; )?format=pades(;|$)'
        expect_eq "(b) ESeal-Attachment names (decoded) are the three attachments" \
            "$(sed -n 's/.*name="\([^"]*\)".*/\1/p' <<<"$att" | sort | tr '\n' ' ')" \
            "$(tr '\n' ' ' <<<"$expected_names")"
        expect_no_hdr b "$B" ESeal-Outbound
        if grep -q 'action=' <<<"$att"; then not_ok "(b) outbound ESeal-Attachment headers survived: $att"
        else ok "(b) outbound ESeal-Attachment headers removed"; fi
        eseal_headers_wellformed b "$B"
        # swaks always ends DATA with CRLF . CRLF, one empty line more than the file has:
        # compare the bodies up to trailing newlines, byte for byte otherwise.
        if cmp -s <(body_sans_trailing "$W/b.eml") <(body_sans_trailing "$B"); then
            ok "(b) inbound body unchanged"
        else not_ok "(b) inbound body changed: $(diff <(body_sans_trailing "$W/b.eml") \
            <(body_sans_trailing "$B") | head -n 5 | tr '\n' ' ')"; fi
    fi
fi

# ---------------------------------------------------------------- (c) inbound, tampered
if [ -n "$A" ]; then
    strip_delivery "$A" "$W/c-orig.eml"
    # byte 200 lies in the first page's content: inside the range the PDF seal signs
    if off=$(mt tamper "$W/c-orig.eml" "$W/c.eml" quotation.pdf 200); then
        echo "# (c) quotation.pdf: byte $off changed"
        if send c 127.0.0.2 --from partner@example.net --to c@example.org --data "@$W/c.eml" &&
            delivered c c; then
            C=$msg
            expect_eq "(c) one ESeal-Verification header" "$(nhdrs "$C" ESeal-Verification)" 1
            expect_re "(c) ESeal-Verification: mx.test; result=fail; ...; failed=1" \
                "$(hdrs "$C" ESeal-Verification)" '^mx\.test; result=fail; (.*; )?failed=1(;|$)'
            expect_re "(c) ESeal-Attachment for the changed quotation.pdf: result=fail" \
                "$(attachment_hdr "$C" quotation.pdf)" '^mx\.test; name="quotation\.pdf"; (.*; )?result=fail(;|$)'
            for d in offer.docx "$cn_name"; do
                expect_re "(c) ESeal-Attachment for the untouched $d: result=pass" \
                    "$(attachment_hdr "$C" "$d")" '; result=pass(;|$)'
            done
        fi
    else
        not_ok "(c) could not change a byte of quotation.pdf"
    fi
fi

# ---------------------------------------------------------------- (d) forged headers
pdf_b64=$(base64 "$fx/quotation.pdf")
cat >"$W/d.eml" <<EOF
ESeal-Verification: mx.test; result=pass; sealed=1; failed=0; unsealed=0
From: Partner <partner@example.net>
To: d@example.org
Subject: forged seal verdict
Date: Wed, 25 Nov 2026 10:00:00 +0800
Message-ID: <forged-1@example.net>
eseal-attachment: mx.test; name="forged-claim.pdf"; result=pass; format=cades;
 signer="CN=Example Co. Seal,O=Example Co.,C=CN"
ESeal-Outbound: mx.test; sealed=1; refused=0; seal="CN=Example Co. Seal,O=Example Co.,C=CN"
MIME-Version: 1.0
ESEAL-VERIFICATION: mx.test; result=pass; sealed=1; failed=0; unsealed=0
ESeal-Flag: mx.test; nothing-to-see; name="invoice.pdf"
Content-Type: multipart/mixed; boundary="=-forged-boundary"

--=-forged-boundary
Content-Type: text/plain; charset=us-ascii

The invoice is sealed, trust us.
--=-forged-boundary
Content-Type: application/pdf; name="invoice.pdf"
Content-Disposition: attachment; filename="invoice.pdf"
Content-Transfer-Encoding: base64

$pdf_b64
--=-forged-boundary--
EOF
if send d 127.0.0.2 --from partner@example.net --to d@example.org --data "@$W/d.eml" &&
    delivered d d; then
    D=$msg
    expect_eq "(d) exactly one ESeal-Verification header (the forged ones removed)" \
        "$(nhdrs "$D" ESeal-Verification)" 1
    expect_re "(d) ESeal-Verification: mx.test; result=none; sealed=0; failed=0; unsealed=1" \
        "$(hdrs "$D" ESeal-Verification)" '^mx\.test; result=none; sealed=0; failed=0; unsealed=1(;|$)'
    if hdrs "$D" ESeal-Attachment | grep -q forged-claim; then
        not_ok "(d) forged (lower-case) eseal-attachment header survived"
    else ok "(d) forged lower-case eseal-attachment header removed"; fi
    expect_no_hdr d "$D" ESeal-Outbound
    expect_no_hdr d "$D" ESeal-Flag
fi

# ---------------------------------------------------------------- (e) never seal inbound
cat >"$W/e.eml" <<EOF
From: CEO <ceo@example.com>
To: e@example.org
Subject: please seal this
Date: Wed, 25 Nov 2026 10:00:00 +0800
Message-ID: <spoofed-ceo-1@example.net>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="=-ceo-boundary"

--=-ceo-boundary
Content-Type: text/plain; charset=us-ascii

From an outside client, whatever From says.
--=-ceo-boundary
Content-Type: application/pdf; name="quotation.pdf"
Content-Disposition: attachment; filename="quotation.pdf"
Content-Transfer-Encoding: base64

$pdf_b64
--=-ceo-boundary--
EOF
if send e 127.0.0.2 --from ceo@example.com --to e@example.org --data "@$W/e.eml" &&
    delivered e e; then
    E=$msg
    expect_no_hdr e "$E" ESeal-Outbound
    mt parts "$E" >"$W/e-types.list" || true
    if grep -qiE '^application/(x-)?pkcs7-signature|\.p7s$' "$W/e-types.list"; then
        not_ok "(e) external mail was sealed: $(tr '\n\t' '  ' <"$W/e-types.list")"
    else ok "(e) external mail from ceo@example.com not sealed (no .p7s part)"; fi
    mkdir -p "$W/e-parts"
    python3 "$here/extract-parts.py" "$E" "$W/e-parts" >/dev/null || true
    if cmp -s "$W/e-parts/01-quotation.pdf" "$fx/quotation.pdf"; then
        ok "(e) attachment delivered unchanged"
    else not_ok "(e) attachment changed or missing"; fi
    expect_re "(e) ESeal-Verification: mx.test; result=none" \
        "$(hdrs "$E" ESeal-Verification)" '^mx\.test; result=none(;|$)'
fi

# ---------------------------------------------------------------- (p) the Article 3 policy
# outbound: a divorce agreement goes out unsealed and says why; its contract neighbour is sealed
printf '离婚协议书\n男方张三，女方李四，双方自愿离婚，达成离婚协议：解除婚姻关系；婚生子女由女方抚养，男方支付抚养费；夫妻共同财产分割如下。\n' \
    >"$fx/divorce.txt"
if send p 127.0.0.1 --from legal@example.com --to p@example.org --header 'Subject: two documents' \
    --attach-type text/plain --attach-name 离婚协议书.txt --attach "@$fx/divorce.txt" \
    --attach-type text/plain --attach-name "$cn_name" --attach "@$fx/contract.txt" &&
    delivered p p; then
    P=$msg
    expect_re "(p) ESeal-Outbound: one sealed, one refused" "$(hdrs "$P" ESeal-Outbound)" \
        '^mx\.test; sealed=1; refused=1;'
    expect_re "(p) the divorce agreement: action=refused, category and article" \
        "$(attachment_hdr "$P" 离婚协议书.txt)" \
        'action=refused; category=personal-relationship; basis="PRC Electronic Signature Law art\. 3\(1\)"'
    mkdir -p "$W/p-parts"
    python3 "$here/extract-parts.py" "$P" "$W/p-parts" >"$W/p-parts.list" || true
    if grep -q '离婚协议书.txt.p7s' "$W/p-parts.list"; then
        not_ok "(p) the divorce agreement was sealed"
    else ok "(p) no seal on the divorce agreement"; fi
    sig=$(ls "$W/p-parts/"*"$cn_name.p7s" 2>/dev/null | head -n 1 || true)
    # the document is the part just before its seal (names written by swaks are raw 8-bit)
    n=$(basename "${sig:-00-x}"); n=$((10#${n%%-*} - 1))
    doc=$(ls "$W/p-parts/$(printf '%02d' "$n")-"* 2>/dev/null | head -n 1 || true)
    if [ -n "$sig" ] && openssl cms -verify -binary -inform DER -in "$sig" -content "$doc" \
        -CAfile "$pki/trust.pem" -purpose any -out /dev/null 2>/dev/null; then
        ok "(p) the contract beside it is sealed and verifies with openssl cms"
    else not_ok "(p) the contract is not sealed: $(tr '\n' ' ' <"$W/p-parts.list")"; fi
fi
# inbound: an unsealed contract is flagged and its subject tagged; (b) showed a sealed one is not
if send q 127.0.0.2 --from partner@example.net --to q@example.org \
    --header 'Subject: Contract 2026-042' \
    --attach-type text/plain --attach-name "$cn_name" --attach "@$fx/contract.txt" &&
    delivered q q; then
    Q=$msg
    expect_re "(q) unsealed inbound contract: ESeal-Flag" "$(hdrs "$Q" ESeal-Flag)" \
        "^mx\.test; unverified-contract; name=\"$cn_name\"\$"
    expect_eq "(q) and the subject tag" "$(hdrs "$Q" Subject)" "[UNVERIFIED] Contract 2026-042"
fi
[ -n "${B:-}" ] && expect_no_hdr b "$B" ESeal-Flag

# ---------------------------------------------------------------- (f) large attachment
# Over the milter's in-memory bound (1 MiB), under max_message_size (3M): the temp-file
# spool, written as the unprivileged user.
head -c 1500000 /dev/urandom >"$fx/drawings.bin"
if send f 127.0.0.1 --from sales@example.com --to f@example.org --header 'Subject: drawings' \
    --body 'Large attachment.' --attach-name drawings.bin --attach "@$fx/drawings.bin" &&
    delivered f f; then
    F=$msg
    expect_re "(f) 1.5 MB attachment: ESeal-Outbound: mx.test; sealed=1; refused=0" \
        "$(hdrs "$F" ESeal-Outbound)" '^mx\.test; (.*; )?sealed=1; (.*; )?refused=0(;|$)'
    mkdir -p "$W/f-parts"
    python3 "$here/extract-parts.py" "$F" "$W/f-parts" >/dev/null || true
    if cmp -s "$W/f-parts/01-drawings.bin" "$fx/drawings.bin" &&
        o=$(openssl cms -verify -binary -inform DER -in "$W/f-parts/02-drawings.bin.p7s" \
            -content "$W/f-parts/01-drawings.bin" -CAfile "$pki/trust.pem" -purpose any \
            -out /dev/null 2>&1); then
        ok "(f) 1.5 MB attachment unchanged, its seal verifies with openssl cms"
    else
        not_ok "(f) 1.5 MB attachment changed or its seal does not verify: ${o:-} ($(ls "$W/f-parts" | tr '\n' ' '))"
    fi
fi

# eseal_fields MSG: the names of the top-level header fields starting ESeal- (any case).
# Names over 40 characters are shortened to their first 12 and their length.
eseal_fields() {
    mt header-lines "$1" ESeal- | grep -v '^[[:space:]]' | cut -d: -f1 |
        awk 'length($0) > 40 { $0 = substr($0, 1, 12) "...(" length($0) " chars)" } 1' || true
}
long_name=ESeal-$(printf 'X%.0s' $(seq 150))

# forged_flood OUT SIZE: external mail with 100 forged ESeal-* fields of assorted names and
# cases (70 of one name, one name of 156 characters) and an attachment of SIZE bytes.
forged_flood() {
    {
        echo "From: Partner <partner@example.net>"
        for i in $(seq 70); do
            case $((i % 3)) in
            0) echo "ESeal-Verification: mx.test; result=pass; sealed=$i; failed=0; unsealed=0" ;;
            1) echo "eseal-verification: mx.test; result=pass; sealed=$i; failed=0; unsealed=0" ;;
            2) echo "ESEAL-VERIFICATION: mx.test; result=pass; sealed=$i; failed=0; unsealed=0" ;;
            esac
        done
        for i in $(seq 28); do echo "ESeal-Attachment: mx.test; name=\"f$i.pdf\"; result=pass"; done
        echo "$long_name: mx.test; result=pass"
        echo "ESeal-Flag: mx.test; forged"
        echo "To: $2@example.org"
        echo "Subject: forged flood"
        echo "Message-ID: <flood-$2@example.net>"
        echo "MIME-Version: 1.0"
        echo 'Content-Type: multipart/mixed; boundary="=-flood"'
        echo
        echo "--=-flood"
        echo "Content-Type: text/plain"
        echo
        echo "Many forged verdicts."
        echo "--=-flood"
        echo 'Content-Type: application/octet-stream; name="blob.bin"'
        echo 'Content-Disposition: attachment; filename="blob.bin"'
        echo "Content-Transfer-Encoding: base64"
        echo
        head -c "$3" /dev/urandom | base64
        echo "--=-flood--"
    } >"$1"
}

# ---------------------------------------------------------------- (g) forged header flood
forged_flood "$W/g.eml" g 2000
if send g 127.0.0.2 --from partner@example.net --to g@example.org --data "@$W/g.eml" &&
    delivered g g; then
    G=$msg
    expect_eq "(g) 100 forged ESeal-* fields: all removed, one ESeal-Verification left" \
        "$(eseal_fields "$G" | tr '\n' ' ')" "ESeal-Verification "
    expect_re "(g) ESeal-Verification: mx.test; result=none" \
        "$(hdrs "$G" ESeal-Verification)" '^mx\.test; result=none(;|$)'
fi

# ---------------------------------------------------------------- (h) oversize inbound
# Larger than max_message_size: not checked (result=error), the forged fields still removed.
forged_flood "$W/h.eml" h 3500000
if send h 127.0.0.2 --from partner@example.net --to h@example.org --data "@$W/h.eml" &&
    delivered h h; then
    H=$msg
    expect_eq "(h) message over max_message_size: forged ESeal-* fields all removed, one ESeal-Verification left" \
        "$(eseal_fields "$H" | sort | uniq -c | sed 's/^ *//' | tr '\n' ' ')" "1 ESeal-Verification "
    expect_re "(h) ESeal-Verification: mx.test; result=error; reason=..." \
        "$(hdrs "$H" ESeal-Verification | head -n 1)" '^mx\.test; result=error(;|$)'
fi

# ---------------------------------------------------------------- the milter stops cleanly
e2e_milter_stop_clean
e2e_finish
