#!/usr/bin/env bash
# custody-test.sh BUILD_DIR -- a seal key on a PKCS#11 token, timestamps and PAdES B-LT, end to
# end through a real, private Postfix (lib-postfix.sh) with eseal-milter as its milter.
#
# A SoftHSM2 token is made at test time; the seal key is generated on it (non-extractable)
# and certified by the test CA; the milter (which becomes nobody) seals with it through
# OpenSSL's pkcs11 engine, timestamps every seal at a local RFC 3161 authority and adds the
# DSS of PAdES B-LT with the OCSP response of a local `openssl ocsp` responder:
#   (a) a PDF, a text file and an OFD document sent from an internal client: the first two
#       sealed with timestamp=yes, the OFD with the SES seal (SM2, sestool.py's test PKI);
#       the .p7s verifies with openssl cms, its token with openssl ts -verify; the PDF
#       with pdfsig and qpdf, and its DSS holds the OCSP response;
#   (b) that message sent back in from outside: both seals pass, timestamped-at reported, and
#       the responder was asked once (the answer cached);
#   (c) the authority stops answering (on_timestamp_error = tempfail): the message is
#       deferred with 451 at the end of DATA and nothing is delivered;
#   (d) on_timestamp_error = seal-without (SIGHUP): sealed, timestamp=none.
# Exit 0 when every check passed, 1 when one failed, 77 when Postfix, SoftHSM2 or the pkcs11
# engine is not available.
set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=lib-postfix.sh
. "$here/lib-postfix.sh"
# shellcheck source=../pki/lib-responders.sh
. "$here/../pki/lib-responders.sh"
# shellcheck source=../pki/lib-token.sh
. "$here/../pki/lib-token.sh"
e2e_init "$@"
for tool in pdfsig qpdf mutool; do
    command -v "$tool" >/dev/null || skip "$tool not installed"
done
missing=$(token_missing)
[ -z "$missing" ] || skip "$missing"
e2e_pki
trap 'responders_stop; e2e_cleanup' EXIT
e2e_postfix_start a b c d

# ---------------------------------------------------------------- the token
hsm=$W/hsm
token_make "$hsm" "$pki_src" eseal-e2e 864200 EC:prime256v1 "Example Co. HSM Seal" ||
    { not_ok "cannot make the token"; e2e_finish; }
if grep -A4 'Private Key Object' <<<"$TOKEN_OBJECTS" | grep -q 'never extractable'; then
    ok "the seal key was generated on the token and is never extractable"
else not_ok "pkcs11-tool does not list the key as never extractable"; fi
cp "$pki_src/tsa-trust.pem" "$pki_src/tsa.pem" "$pki/"
chmod 644 "$pki"/*.pem
# as deployed: the milter reads the token's files and its PIN as the user it becomes
chown -R nobody "$hsm"
chmod 600 "$hsm/pin"

# an SES seal for OFD documents: an SM2 test PKI and the SESeal of its seal authority
ses=$here/../ofd/sestool.py
python3 "$ses" mkpki "$W/sm2"
python3 "$ses" esl "$W/sm2" "$W/sm2/seal.esl"
cat "$W/sm2/sm2-signer.pem" "$W/sm2/sm2-root.pem" >"$W/sm2/chain.pem"
cat "$W/sm2/sm2-root.pem" >>"$pki/trust.pem"
chown nobody "$W/sm2/sm2-signer.key"
chmod 600 "$W/sm2/sm2-signer.key"

tsa_start "$pki_src" "$W"
# the responder answers from the CA database that issued the token's certificate
mkdir -p "$hsm/ocsp-view/work"
ln -s "$pki_src/inter-ca.pem" "$pki_src/ocsp-signer.pem" "$pki_src/ocsp-signer.key" "$hsm/ocsp-view/"
ln -s "$hsm/ca" "$hsm/ocsp-view/work/inter-ca"
ocsp_start "$hsm/ocsp-view" "$W"

# custody_config ON_TIMESTAMP_ERROR TSA_URL: $W/eseal.conf with the token seal.
custody_config() {
    cat >"$W/eseal.conf" <<EOF
socket         = "inet:$MPORT@127.0.0.1"
authserv_id    = mx.test
internal_hosts = {127.0.0.1/32}
user           = nobody
on_error       = accept   # (c): a timestamp authority that fails defers all the same
seal example.com {
  key                = "$TOKEN_URI"
  pkcs11_module      = $TOKEN_MODULE
  pin_file           = $hsm/pin
  certificate        = $hsm/seal-chain.pem
  timestamp_url      = "$2"
  timestamp_timeout  = 2
  timestamp_retries  = 0
  on_timestamp_error = $1
  pades_ltv          = yes
  formats            = {pades, cades, ses}
  ses_seal           = $W/sm2/seal.esl
  ses_key            = $W/sm2/sm2-signer.key
  ses_certificate    = $W/sm2/chain.pem
}
verify {
  trust_anchors           = "$pki/trust.pem"
  crls                    = {"$pki/crl"}
  timestamp_trust_anchors = "$pki/tsa-trust.pem"
  revocation_check        = both
  ocsp_responder          = "$OCSP_URL"
}
EOF
    chmod 644 "$W/eseal.conf" # the milter, as nobody, reads it again on SIGHUP
}
custody_config tempfail "$TSA_URL"
e2e_milter_start_or_exit

fx=$W/fixtures
mkdir -p "$fx"
mt make-pdf "$fx/quotation.pdf"
printf 'Price list 2026: 40 units at CNY 1,000 each.\n' >"$fx/prices.txt"
python3 "$ses" mkofd "$fx/contract.ofd"
mail_args() { # TO
    printf '%s\n' --from sales@example.com --to "$1" --header 'Subject: Quotation' \
        --body 'Please find our quotation and price list attached.' \
        --attach-type application/pdf --attach-name quotation.pdf --attach "@$fx/quotation.pdf" \
        --attach-type text/plain --attach-name prices.txt --attach "@$fx/prices.txt" \
        --attach-type application/ofd --attach-name contract.ofd --attach "@$fx/contract.ofd"
}

# ---------------------------------------------------------------- (a) sealed on the token
A=
mapfile -t args < <(mail_args a@example.org)
if send a 127.0.0.1 "${args[@]}" && delivered a a; then
    A=$msg
    expect_re "(a) quotation.pdf: sealed in place, timestamped" \
        "$(attachment_hdr "$A" quotation.pdf)" '; action=sealed; format=pades; timestamp=yes$'
    expect_re "(a) prices.txt: sealed with a .p7s, timestamped" \
        "$(attachment_hdr "$A" prices.txt)" '; action=sealed; format=cades; timestamp=yes$'
    expect_re "(a) contract.ofd: sealed in place with the SES seal" \
        "$(attachment_hdr "$A" contract.ofd)" '; action=sealed; format=ofd-ses$'
    expect_re "(a) the seal is the token's certificate" "$(hdrs "$A" ESeal-Outbound)" \
        'seal="CN=Example Co\. HSM Seal,'
    mkdir -p "$W/a"
    python3 "$here/extract-parts.py" "$A" "$W/a" >/dev/null
    if o=$(openssl cms -verify -binary -inform DER -in "$W/a/03-prices.txt.p7s" \
        -content "$W/a/02-prices.txt" -CAfile "$pki/trust.pem" -purpose any -out /dev/null 2>&1)
    then ok "(a) openssl cms -verify accepts the token's CAdES seal"
    else not_ok "(a) openssl cms -verify: $(tr '\n' ' ' <<<"$o")"; fi
    if o=$("$eseal_bin" verify -c "$W/eseal.conf" "$W/a/02-prices.txt" "$W/a/03-prices.txt.p7s" 2>&1)
    then expect_re "(a) eseal verify: pass, timestamped-at, not revoked (OCSP)" "$o" \
        'result=pass; .*timestamped-at=.*not revoked \(OCSP\)'
    else not_ok "(a) eseal verify of the .p7s: $o"; fi
    o=$(pdfsig "$W/a/01-quotation.pdf" 2>&1 || true)
    expect_re "(a) pdfsig: the token's PAdES seal is valid" "$(grep 'Signature Validation' <<<"$o")" \
        'Signature is Valid'
    if o=$(qpdf --check "$W/a/01-quotation.pdf" 2>&1); then ok "(a) qpdf --check accepts the B-LT PDF"
    else not_ok "(a) qpdf --check: $(tail -n 3 <<<"$o" | tr '\n' ' ')"; fi
    if o=$("$eseal_bin" verify -c "$W/eseal.conf" "$W/a/04-contract.ofd" 2>&1); then
        expect_re "(a) the sealed OFD verifies: pass, with the seal's name" "$(head -n 1 <<<"$o")" \
            'result=pass; format=ofd-ses; .*seal="Example Co. 合同专用章"'
    else not_ok "(a) eseal verify of the sealed OFD: $o"; fi
    n=$(mutool show "$W/a/01-quotation.pdf" trailer/Root/DSS/OCSPs 2>/dev/null | grep -o '[0-9]* 0 R' | head -n 1 | cut -d' ' -f1)
    [ -n "$n" ] && mutool show -b -o "$W/a/ocsp.der" "$W/a/01-quotation.pdf" "$n" >/dev/null 2>&1
    if [ -s "$W/a/ocsp.der" ] &&
        openssl ocsp -respin "$W/a/ocsp.der" -resp_text -noverify 2>/dev/null | grep -q 'Cert Status: good'
    then ok "(a) the PDF's DSS holds the seal certificate's OCSP response (good)"
    else not_ok "(a) no OCSP response in the PDF's DSS"; fi
fi

ocsp_requests_a=$(grep -c 'Received request' "$W/ocsp.log" || true)

# ---------------------------------------------------------------- (b) verified inbound
if [ -n "$A" ]; then
    mt strip "$A" "$W/b.eml" Return-Path Delivered-To X-Original-To
    if send b 127.0.0.2 --from partner@example.net --to b@example.org --data "@$W/b.eml" && delivered b b; then
        expect_re "(b) inbound: the PAdES and CAdES seals pass with timestamped-at" \
            "$(hdrs "$msg" ESeal-Attachment | grep -v 'format=ofd-ses')" '; result=pass; .*timestamped-at=20'
        expect_eq "(b) three seals pass (PDF, .p7s, OFD)" "$(hdrs "$msg" ESeal-Attachment | grep -c 'result=pass')" 3
    fi
fi
# both verdicts in (b) asked about the certificate whose OCSP answer the PDF's DSS in (a)
# fetched: the milter's cache answered (until the answer's nextUpdate)
expect_eq "(b) no OCSP request for the two inbound verdicts (the answer of (a) cached)" \
    "$(grep -c 'Received request' "$W/ocsp.log" || true)" "$ocsp_requests_a"

# ---------------------------------------------------------------- (c) authority down: tempfail
custody_config tempfail "${TSA_URL}slow"
kill -HUP "$milter_pid"
sleep 1
mapfile -t args < <(mail_args c@example.org)
if swaks --server 127.0.0.1 --port "$SPORT" --local-interface 127.0.0.1 --helo client.test \
    --timeout 60 "${args[@]}" >"$W/swaks-c.log" 2>&1; then
    not_ok "(c) accepted although the timestamp authority did not answer"
else
    expect_re "(c) deferred with 451 at the end of DATA" \
        "$(grep -E '^<\*\* ' "$W/swaks-c.log" | tail -n 1)" '^<\*\* 451 4\.3\.0 '
fi
sleep 1
[ -z "$(ls "$W/mail/c/Maildir/new" 2>/dev/null)" ] && ok "(c) nothing delivered" ||
    not_ok "(c) a message was delivered"
grep -q 'timestamp: .*on_timestamp_error=tempfail' "$W/milter.log" && ok "(c) the milter logged why" ||
    not_ok "(c) no log line about the timestamp"

# ---------------------------------------------------------------- (d) seal-without
custody_config seal-without "${TSA_URL}error"
kill -HUP "$milter_pid"
sleep 1
mapfile -t args < <(mail_args d@example.org)
if send d 127.0.0.1 "${args[@]}" && delivered d d; then
    expect_re "(d) on_timestamp_error = seal-without: sealed, timestamp=none" \
        "$(attachment_hdr "$msg" prices.txt)" '; action=sealed; format=cades; timestamp=none$'
fi

e2e_milter_stop_clean
e2e_finish
