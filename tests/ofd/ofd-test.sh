#!/usr/bin/env bash
# ofd-test.sh PART ESEAL PKI -- SES seals on OFD documents (GB/T 38540, GM/T 0031; SM2/SM3).
#   own      an SM2 test PKI and a v4 SES seal made by tests/ofd/sestool.py on a one-page OFD
#            (and OFD documents sealed by eseal itself, outbound, with the SESeal it names):
#            `pass` with the SM2 root as trust anchor, `untrusted` without; its SM2 signature
#            over the extracted TBS_Sign verifies with `openssl dgst -sm3 -verify -sigopt
#            distid:1234567812345678`; a changed page byte, a removed file, an added file, a
#            truncated SignedValue.dat, one whose length lies, 600 references to a 1 MiB file,
#            OFD.xml pointed at a forged document kept under Signs/:
#            `fail` or `error`, never `pass`, never a crash; `eseal check-message --inbound` reports format=ofd-ses
#            with the seal's name
#   corpus   every OFD of $ESEAL_CORPORA/ofdrw-ofd (real seals by other writers) gets a
#            verdict, printed as a table; the documents whose digests and signatures hold are
#            not `fail`, those with a file changed after sealing are `fail` naming the file;
#            skipped (77) without the corpus; the corpus's sealed invoice by mail gets
#            ESeal-Attachment format=ofd-ses with the seal's name and type
# Exit 0 when every check passed, 1 otherwise.
set -euo pipefail
part=$1 eseal=$2 pki=$(cd "$3" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
corpora=${ESEAL_CORPORA:-$here/../../../shared/corpora}
# shellcheck source=../cli/lib-cli.sh
. "$here/../cli/lib-cli.sh"
work=$(mktemp -d /tmp/eseal-ofd.XXXXXX)
trap 'rm -rf "$work"' EXIT
tool() { python3 "$here/sestool.py" "$@"; }

# overall OFD [TRUST]: the document's verdict line of `eseal verify`.
overall() { "$eseal" verify --trust "${2:-$pki/trust.pem}" "$1" 2>&1 | grep 'format=ofd;' || true; }
expect_result() { # WHAT OFD ERE [TRUST]
    local line
    line=$(overall "$2" "${4:-}")
    if grep -qE -- "result=($3);" <<<"$line"; then ok "$1"
    else not_ok "$1: $line"; fi
}

# mail_with OUT.eml OFD...: a message with the OFD documents attached as 合同.ofd.
mail_with() {
    python3 - "$@" <<'PY'
import email.message, email.policy, sys
m = email.message.EmailMessage()
m["From"] = "sales@example.com"
m["To"] = "legal@example.org"
m["Subject"] = "contract"
m.set_content("The contract is attached.")
for path in sys.argv[2:]:
    m.add_attachment(open(path, "rb").read(), maintype="application", subtype="ofd",
                     filename="合同.ofd")
open(sys.argv[1], "wb").write(m.as_bytes(policy=email.policy.SMTP))
PY
}

part_own() {
    local sm2=$work/sm2 out line h
    tool mkpki "$sm2"
    tool mkofd "$work/contract.ofd"
    tool seal "$work/contract.ofd" "$work/sealed.ofd" "$sm2"
    expect_result "own SES v4 seal, SM2 root trusted: pass" "$work/sealed.ofd" pass "$sm2/sm2-root.pem"
    expect_result "own SES v4 seal, SM2 root not trusted: untrusted" "$work/sealed.ofd" untrusted
    out=$("$eseal" verify --trust "$sm2/sm2-root.pem" "$work/sealed.ofd" || true)
    if grep -q 'format=ofd-ses; field="/Doc_0/Signs/Sign_0/Signature.xml"; seal="Example Co. 测试合同专用章"' <<<"$out"
    then ok "one line per signature with the seal's name"; else not_ok "signature line: $out"; fi
    tool tbs "$work/sealed.ofd" "$work/tbs"
    if openssl dgst -sm3 -verify "$work/tbs/signer-pub.pem" -signature "$work/tbs/sig.der" \
        -sigopt distid:1234567812345678 "$work/tbs/tbs.der" >"$work/out" 2>&1; then
        ok "openssl dgst -sm3 -verify (distid 1234567812345678) accepts the SM2 signature over TBS_Sign"
    else not_ok "openssl dgst -verify: $(cat "$work/out")"; fi
    for h in page-byte remove-file add-file truncate-signedvalue lying-length hash-bomb redirect-root; do
        tool tamper "$work/sealed.ofd" "$work/t-$h.ofd" "$h"
        line=$(overall "$work/t-$h.ofd" "$sm2/sm2-root.pem")
        if grep -qE 'result=(fail|error);' <<<"$line"; then ok "tampered ($h): $(sed 's/.*reason=//' <<<"$line")"
        else not_ok "tampered ($h): $line"; fi
    done
    # through the message pipeline: an inbound message with the sealed OFD
    mail_with "$work/in.eml" "$work/sealed.ofd"
    cat >"$work/inbound.conf" <<CONF
authserv_id = mx.test
policy_files = {$here/../../policy/contracts.policy}
verify {
  trust_anchors = $sm2/sm2-root.pem
}
CONF
    chmod 600 "$work/inbound.conf"
    "$eseal" check-message -c "$work/inbound.conf" --inbound "$work/in.eml" -o "$work/out.eml" >/dev/null
    out=$(python3 "$here/../e2e/mailtool.py" headers "$work/out.eml" ESeal-Attachment)
    if grep -q 'result=pass; format=ofd-ses; seal="Example Co. 测试合同专用章"' <<<"$out"
    then ok "check-message --inbound: ESeal-Attachment result=pass; format=ofd-ses; seal=..."
    else not_ok "check-message --inbound: $out"; fi
    if [ -z "$(python3 "$here/../e2e/mailtool.py" headers "$work/out.eml" ESeal-Flag)" ]
    then ok "a sealed OFD contract is not flagged (require-seal)"; else not_ok "flagged although sealed"; fi
    # sealing outbound: the pipeline seals OFD attachments with the SESeal and the SM2 key
    tool esl "$sm2" "$work/seal.esl"
    cat "$sm2/sm2-signer.pem" "$sm2/sm2-root.pem" >"$work/signer-chain.pem"
    chmod 600 "$sm2/sm2-signer.key"
    cat >"$work/outbound.conf" <<CONF
authserv_id = mx.test
seal example.com {
  key         = $sm2/sm2-signer.key
  certificate = $work/signer-chain.pem
  formats     = {ses}
  ses_seal    = $work/seal.esl
}
verify {
  trust_anchors = $sm2/sm2-root.pem
}
CONF
    chmod 600 "$work/outbound.conf"
    mail_with "$work/out.eml" "$work/contract.ofd" "$work/sealed.ofd"
    "$eseal" check-message -c "$work/outbound.conf" --outbound "$work/out.eml" -o "$work/out-sealed.eml" >/dev/null
    out=$(python3 "$here/../e2e/mailtool.py" headers "$work/out-sealed.eml" ESeal-Attachment)
    [ "$(grep -c 'action=sealed; format=ofd-ses' <<<"$out")" -eq 2 ] &&
        ok "check-message --outbound: both OFD attachments sealed (format=ofd-ses)" ||
        not_ok "outbound headers: $out"
    mkdir "$work/parts"
    python3 "$here/../e2e/extract-parts.py" "$work/out-sealed.eml" "$work/parts" >/dev/null
    expect_result "an OFD sealed by eseal verifies with eseal: pass" "$work/parts/01-合同.ofd" pass "$sm2/sm2-root.pem"
    tool tbs "$work/parts/01-合同.ofd" "$work/tbs2"
    if openssl dgst -sm3 -verify "$work/tbs2/signer-pub.pem" -signature "$work/tbs2/sig.der" \
        -sigopt distid:1234567812345678 "$work/tbs2/tbs.der" >"$work/out" 2>&1; then
        ok "eseal's SES signature: openssl dgst -sm3 -verify accepts it over TBS_Sign"
    else not_ok "openssl dgst -verify of eseal's seal: $(cat "$work/out")"; fi
    out=$("$eseal" verify --trust "$sm2/sm2-root.pem" "$work/parts/02-合同.ofd" || true)
    [ "$(grep -c 'result=pass; format=ofd-ses' <<<"$out")" -eq 2 ] &&
        ok "sealed over an earlier seal: both pass (the earlier one stays valid)" ||
        not_ok "two seals: $out"
    # the CLI: eseal seal --seal DOMAIN FILE.ofd
    if "$eseal" seal -c "$work/outbound.conf" --seal example.com "$work/contract.ofd" >"$work/out" 2>&1
    then expect_result "eseal seal FILE.ofd: FILE.sealed.ofd passes" "$work/contract.sealed.ofd" pass "$sm2/sm2-root.pem"
    else not_ok "eseal seal FILE.ofd: $(cat "$work/out")"; fi
    # Article 3: an OFD whose page text is a divorce agreement is refused, not sealed
    tool mkofd "$work/agreement.ofd" "离婚协议：双方已于 2020 年办理婚姻登记，现自愿协议离婚。"
    mail_with "$work/excluded.eml" "$work/agreement.ofd"
    cat >"$work/article3.conf" <<CONF
$(cat "$work/outbound.conf")
policy_files = {$here/../../policy/article3.policy}
CONF
    chmod 600 "$work/article3.conf"
    "$eseal" check-message -c "$work/article3.conf" --outbound "$work/excluded.eml" -o "$work/excluded-out.eml" >/dev/null || true
    out=$(python3 "$here/../e2e/mailtool.py" headers "$work/excluded-out.eml" ESeal-Attachment)
    expect_line "an OFD divorce agreement (by its page text): refused, not sealed" "$out" \
        'action=refused; category=personal-relationship'
    # the SESeal must list the seal's certificate
    cp "$sm2/sm2-maker.pem" "$work/maker-chain.pem"
    sed "s|certificate = .*|certificate = $work/maker-chain.pem|; s|key         = .*|key = $sm2/sm2-maker.key|" \
        "$work/outbound.conf" >"$work/wrong.conf"
    chmod 600 "$work/wrong.conf" "$sm2/sm2-maker.key"
    if "$eseal" check-message -c "$work/wrong.conf" --outbound "$work/out.eml" -o /dev/null >"$work/out" 2>&1
    then not_ok "an SESeal that does not list the certificate was accepted"
    else expect_line "an SESeal that does not list the seal's certificate: refused at load" \
        "$(cat "$work/out")" 'does not list the seal.s certificate'; fi
    cp "$work/t-page-byte.ofd" "$work/tampered.ofd"
    mail_with "$work/in2.eml" "$work/tampered.ofd"
    "$eseal" check-message -c "$work/inbound.conf" --inbound "$work/in2.eml" -o "$work/out2.eml" >/dev/null
    out=$(python3 "$here/../e2e/mailtool.py" headers "$work/out2.eml" ESeal-Flag)
    if grep -q 'unverified-contract' <<<"$out"
    then ok "a tampered OFD contract is flagged (require-seal): $out"; else not_ok "tampered contract: ESeal-Flag '$out'"; fi
}

# The corpus: file, then what its overall verdict must be.  Digests and signatures that hold
# are untrusted (no anchor) or expired (signed outside the seal's validity); the documents
# changed after sealing fail with the file named.
declare -A corpus_expect=(
    [ofdrw-converter_src_test_resources_1.ofd]='untrusted'
    [ofdrw-layout_src_test_resources_keyword2.ofd]='untrusted'
    [ofdrw-sign_src_test_resources_signedFile.ofd]='untrusted'
    [ofdrw-sign_src_test_resources_allprotected.ofd]='untrusted'
    [ofdrw-sign_src_test_resources_v4signed.ofd]='untrusted'
    [ofdrw-converter_src_test_resources_不规范资源路径.ofd]='untrusted'
    [ofdrw-reader_src_test_resources_SESV4SignDoc.ofd]='expired'
    [ofdrw-converter_src_test_resources_发票示例.ofd]='fail.*reference-mismatch:/Doc_0/Document.xml'
    [ofdrw-converter_src_test_resources_zsbk.ofd]='fail.*reference-mismatch:/Doc_0/Pages/Page_1/Content.xml'
    [ofdrw-layout_src_test_resources_keyword.ofd]='fail.*reference-mismatch:/OFD.xml'
    [ofdrw-converter_src_test_resources_h.ofd]='fail.*reference-mismatch:/Doc_0/Signs/Signatures.xml'
    [ofdrw-converter_src_test_resources_draw_param_ref.ofd]='fail.*modified-after-seal: /Doc_0/TPLS/'
)

part_corpus() {
    local dir=$corpora/ofdrw-ofd f name line n=0 signed=0
    [ -d "$dir" ] || { echo "skip: $dir absent (ESEAL_CORPORA)"; exit 77; }
    printf '# %-58s %-10s %s\n' "document" "verdict" "signatures (format result seal: reason)"
    for f in "$dir"/*.ofd; do
        name=$(basename "$f")
        n=$((n + 1))
        out=$("$eseal" verify --trust "$pki/trust.pem" "$f" 2>&1 || true)
        line=$(grep 'format=ofd;' <<<"$out" || grep '^eseal:' <<<"$out" || true)
        [ -n "$line" ] || { not_ok "$name: no verdict"; continue; }
        if ! grep -q 'result=none' <<<"$line"; then
            signed=$((signed + 1))
            printf '# %-58s %-10s\n' "${name#ofdrw-}" "$(sed -n 's/.*result=\([a-z]*\);.*/\1/p' <<<"$line" || true)"
            { grep 'format=ofd-' <<<"$out" || echo "$line"; } |
                sed 's/^[^:]*: result=\([a-z]*\); format=\([a-z-]*\);.*reason="\(.*\)"$/#     \2 \1: \3/; s/^eseal: [^:]*: /#     (not read) /' |
                cut -c1-150
        fi
        if [ -n "${corpus_expect[$name]:-}" ]; then
            if grep -qE "result=${corpus_expect[$name]}" <<<"$line"; then ok "$name: ${corpus_expect[$name]}"
            else not_ok "$name: want ${corpus_expect[$name]}, got $line"; fi
        fi
    done
    echo "# $n documents, $signed with signatures"
    [ "$n" -gt 0 ] || not_ok "no OFD in $dir"
    # the corpus's sealed invoice (the intact copy) arriving by mail
    local invoice=$dir/ofdrw-sign_src_test_resources_v4signed.ofd out
    mail_with "$work/invoice.eml" "$invoice"
    printf 'authserv_id = mx.test\nverify {\n  trust_anchors = %s/trust.pem\n}\n' "$pki" >"$work/in.conf"
    chmod 600 "$work/in.conf"
    "$eseal" check-message -c "$work/in.conf" --inbound "$work/invoice.eml" -o "$work/invoice-out.eml" >/dev/null
    out=$(python3 "$here/../e2e/mailtool.py" headers "$work/invoice-out.eml" ESeal-Attachment)
    expect_line "the corpus invoice by mail: ESeal-Attachment format=ofd-ses with the invoice seal's name and type" \
        "$out" 'result=untrusted; format=ofd-ses; seal="测试全国统一发票监制章国家税务总局重庆市税务局"; seal-type=3;'
}

case $part in
own | corpus) "part_$part" ;;
*) echo "usage: $0 own|corpus ESEAL PKI" >&2; exit 2 ;;
esac
echo "ofd $part: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
