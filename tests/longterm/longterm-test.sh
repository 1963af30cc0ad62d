#!/usr/bin/env bash
# longterm-test.sh PART ESEAL PKI -- key custody and long-term validity with the `eseal` CLI,
# checked by tools nobody here wrote (openssl ts/cms/ocsp, pdfsig, qpdf, mutool, pkcs11-tool).
#   timestamp  CAdES-T and PAdES B-T from a local RFC 3161 authority (openssl ts -reply behind
#              tests/pki/tsa-server.py): `openssl ts -verify` accepts the token taken out of
#              the seal, pdfsig sees the timestamp, and under faketime, after the seal
#              certificate expired, a timestamped seal is `pass` (timestamped-at) and one
#              without is `expired`; an authority that fails, answers garbage or is slow gives
#              ESEAL_ERR_UNAVAILABLE (tempfail) or a seal without timestamp, as configured;
#              one failure is retried
#   ocsp       an `openssl ocsp` responder on 127.0.0.1: a revoked certificate is `revoked`,
#              a good one `pass` with "not revoked (OCSP)", the responder named by the
#              certificate's AIA is found, an unreachable responder is a note (soft-fail) or
#              `error` (hard-fail)
#   ltv        PAdES B-LT: the DSS holds the chain, the CRLs and the OCSP response; qpdf and
#              mutool read it, pdfsig and eseal still say the seal holds
#   pkcs11     a SoftHSM2 token: a key generated on it (non-extractable, as pkcs11-tool
#              lists it) seals CAdES and PAdES, verified by openssl cms and pdfsig
# Exit 0 when every check passed, 1 otherwise, 77 when a tool it needs is missing.
set -euo pipefail
part=$1 eseal=$2 pki=$(cd "$3" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../cli/lib-cli.sh
. "$here/../cli/lib-cli.sh"
# shellcheck source=../pki/lib-responders.sh
. "$here/../pki/lib-responders.sh"
# shellcheck source=../pki/lib-token.sh
. "$here/../pki/lib-token.sh"

need() { command -v "$1" >/dev/null || { echo "skip: $1 not installed"; exit 77; }; }
need python3
work=$(mktemp -d /tmp/eseal-longterm.XXXXXX)
cleanup() {
    responders_stop
    rm -rf "$work"
}
trap cleanup EXIT

# A one-page PDF and a text document to seal.
python3 "$here/../pdf/pdftool.py" mkpdf "$work/offer.pdf" >/dev/null
printf 'Quotation 2026-117: 12 units at CNY 800 each.\n' >"$work/offer.txt"

# conf FILE [SEAL_EXTRA [VERIFY_EXTRA]]: the RSA seal for example.com with the test PKI's
# anchors and CRLs; extra lines go into the seal and verify sections.
conf() {
    cat >"$1" <<CONF
authserv_id = mx.test
seal example.com {
  key         = $pki/${seal_name:-seal-rsa}.key
  certificate = $pki/${seal_name:-seal-rsa}-chain.pem
  formats     = {pades, cades}
  ${2:-}
}
verify {
  trust_anchors           = $pki/trust.pem
  crls                    = {$pki/crl}
  timestamp_trust_anchors = $pki/tsa-trust.pem
  ${3:-}
}
CONF
    chmod 600 "$1"
}

# in_60_days COMMAND...: run it with the clock 60 days ahead (faketime preloads a library,
# which AddressSanitizer wants to come second: the sanitizer build is told it may).
in_60_days() {
    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 faketime -f '+60d' "$@"
}

# check WHAT COMMAND...: the command succeeds.
check() {
    local what=$1
    shift
    if "$@" >"$work/out" 2>&1; then ok "$what"; else not_ok "$what: $(tail -n 3 "$work/out" | tr '\n' ' ')"; fi
}

# token_of P7S OUT: the timestamp token (DER) in the signature-time-stamp attribute of P7S.
token_of() {
    python3 - "$1" "$2" <<'PY'
import subprocess, sys
der = open(sys.argv[1], "rb").read()
out = subprocess.run(["openssl", "asn1parse", "-inform", "DER"], input=der,
                     capture_output=True, check=True).stdout.decode()
lines = out.splitlines()
# the OBJECT id-smime-aa-timeStampToken, then its SET, then the token's SEQUENCE
for i, line in enumerate(lines):
    if "id-smime-aa-timeStampToken" in line or ":1.2.840.113549.1.9.16.2.14" in line:
        for later in lines[i + 1:]:
            if "cons: SEQUENCE" in later:
                off = int(later.split(":")[0])
                hl = int(later.split("hl=")[1].split()[0])
                length = int(later.split("l=")[2].split()[0])
                open(sys.argv[2], "wb").write(der[off:off + hl + length])
                sys.exit(0)
sys.exit(1)
PY
}

# sigvalue_sha256 P7S: hex SHA-256 of the SignerInfo's signature value.
sigvalue_sha256() {
    python3 - "$1" <<'PY'
import hashlib, subprocess, sys
der = open(sys.argv[1], "rb").read()
out = subprocess.run(["openssl", "asn1parse", "-inform", "DER"], input=der,
                     capture_output=True, check=True).stdout.decode().splitlines()
# the signature value: the last OCTET STRING before the unsigned attributes ([1])
best = None
for line in out:
    if "prim: OCTET STRING" in line:
        off = int(line.split(":")[0]); hl = int(line.split("hl=")[1].split()[0])
        length = int(line.split("l=")[2].split()[0])
        if length >= 64:
            best = der[off + hl:off + hl + length]
    if "cont [ 1 ]" in line and best is not None:
        break
print(hashlib.sha256(best).hexdigest())
PY
}

part_timestamp() {
    need faketime
    need pdfsig
    tsa_start "$pki" "$work"
    seal_name=short-lived conf "$work/ts.conf" "timestamp_url = \"$TSA_URL\""
    check "CAdES-T: sealed with a timestamp" \
        "$eseal" seal -c "$work/ts.conf" --seal example.com --format cades "$work/offer.txt"
    check "CAdES-T: openssl cms -verify accepts the seal" \
        openssl cms -verify -binary -inform DER -in "$work/offer.txt.p7s" -content "$work/offer.txt" \
        -CAfile "$pki/trust.pem" -purpose any -out /dev/null
    if token_of "$work/offer.txt.p7s" "$work/token.der"; then
        ok "CAdES-T: the seal carries a signature-time-stamp token"
        check "CAdES-T: openssl ts -verify accepts the token over the signature value" \
            openssl ts -verify -in "$work/token.der" -token_in \
            -digest "$(sigvalue_sha256 "$work/offer.txt.p7s")" -CAfile "$pki/tsa-trust.pem" \
            -untrusted "$pki/tsa.pem"
    else
        not_ok "CAdES-T: no timestamp token in the seal"
    fi
    local out
    out=$("$eseal" verify -c "$work/ts.conf" "$work/offer.txt" 2>&1 || true)
    expect_line "CAdES-T: eseal says pass with timestamped-at" "$out" \
        'result=pass; .*timestamped-at=20[0-9-]+T'
    # after the short-lived certificate (30 days) has expired
    out=$(in_60_days "$eseal" verify -c "$work/ts.conf" "$work/offer.txt" 2>&1 || true)
    expect_line "CAdES-T 60 days on (faketime): still pass, by the timestamp" "$out" \
        'result=pass; .*timestamped-at='
    # (without CRLs: by then the test CA's 30-day CRL is out of date too)
    seal_name=short-lived conf "$work/bes.conf" "" "revocation_check = none"
    "$eseal" seal -c "$work/bes.conf" --seal example.com --format cades -o "$work/bes.p7s" \
        "$work/offer.txt" >/dev/null
    out=$(in_60_days "$eseal" verify -c "$work/bes.conf" "$work/offer.txt" "$work/bes.p7s" 2>&1 || true)
    expect_line "CAdES-BES 60 days on (faketime): expired" "$out" 'result=expired'
    out=$("$eseal" verify --trust "$pki/trust.pem" "$work/offer.txt" 2>&1 || true)
    expect_line "CAdES-T without timestamp anchors: pass at today's date, timestamp noted" \
        "$out" 'result=pass.*timestamp ignored: no timestamp_trust_anchors'

    check "PAdES B-T: sealed in place with a timestamp" \
        "$eseal" seal -c "$work/ts.conf" --seal example.com "$work/offer.pdf" -o "$work/offer-t.pdf"
    out=$(pdfsig "$work/offer-t.pdf" 2>&1 || true)
    expect_line "PAdES B-T: pdfsig says the signature is valid" "$out" 'Signature Validation: Signature is Valid'
    python3 "$here/../pdf/pdftool.py" contents "$work/offer-t.pdf" 1 >"$work/offer-t.p7s" 2>/dev/null ||
        true
    if [ -s "$work/offer-t.p7s" ] && token_of "$work/offer-t.p7s" "$work/token-pdf.der"; then
        check "PAdES B-T: openssl ts -verify accepts the token in /Contents" \
            openssl ts -verify -in "$work/token-pdf.der" -token_in \
            -digest "$(sigvalue_sha256 "$work/offer-t.p7s")" -CAfile "$pki/tsa-trust.pem" \
            -untrusted "$pki/tsa.pem"
    else
        not_ok "PAdES B-T: no timestamp token in /Contents"
    fi
    out=$(in_60_days "$eseal" verify -c "$work/ts.conf" "$work/offer-t.pdf" 2>&1 || true)
    expect_line "PAdES B-T 60 days on (faketime): pass with timestamped-at" "$out" \
        'result=pass; .*timestamped-at='

    # an authority that fails: tempfail (exit 1, the error said) or a seal without timestamp
    local path
    for path in error garbage; do
        seal_name=short-lived conf "$work/bad.conf" "timestamp_url = \"${TSA_URL}$path\"
  timestamp_retries = 0"
        if "$eseal" seal -c "$work/bad.conf" --seal example.com --format cades \
            -o "$work/bad.p7s" "$work/offer.txt" >"$work/out" 2>&1; then
            not_ok "authority /$path, on_timestamp_error = tempfail: sealed anyway"
        else
            expect_line "authority /$path, on_timestamp_error = tempfail: refused, says why" \
                "$(cat "$work/out")" 'timestamp: .*'
        fi
        seal_name=short-lived conf "$work/bad.conf" "timestamp_url = \"${TSA_URL}$path\"
  timestamp_retries  = 0
  on_timestamp_error = seal-without"
        check "authority /$path, on_timestamp_error = seal-without: sealed" \
            "$eseal" seal -c "$work/bad.conf" --seal example.com --format cades \
            -o "$work/bad.p7s" "$work/offer.txt"
        if token_of "$work/bad.p7s" /dev/null; then
            not_ok "authority /$path: a timestamp token where none could be had"
        else
            ok "authority /$path, seal-without: CAdES-BES, no token"
        fi
    done
    local before after
    before=$(curl -s "${TSA_URL}count")
    seal_name=short-lived conf "$work/flaky.conf" "timestamp_url = \"${TSA_URL}flaky\"
  timestamp_retries = 1"
    check "authority failing once (503), timestamp_retries = 1: sealed with a timestamp" \
        "$eseal" seal -c "$work/flaky.conf" --seal example.com --format cades \
        -o "$work/flaky.p7s" "$work/offer.txt"
    token_of "$work/flaky.p7s" /dev/null && ok "the retried seal carries its token" ||
        not_ok "the retried seal has no token"
    after=$(curl -s "${TSA_URL}count")
    [ $((after - before)) -eq 2 ] && ok "two requests: the failed one and its retry" ||
        not_ok "$((after - before)) requests for one seal with one retry"
    seal_name=short-lived conf "$work/slow.conf" "timestamp_url = \"${TSA_URL}slow\"
  timestamp_timeout = 1
  timestamp_retries = 0"
    local t0=$SECONDS
    if "$eseal" seal -c "$work/slow.conf" --seal example.com --format cades \
        -o "$work/slow.p7s" "$work/offer.txt" >"$work/out" 2>&1; then
        not_ok "slow authority: sealed although it never answered"
    else
        [ $((SECONDS - t0)) -le 5 ] && ok "slow authority: given up after timestamp_timeout (1 s)" ||
            not_ok "slow authority: took $((SECONDS - t0)) s"
    fi
}

part_ocsp() {
    local out
    ocsp_start "$pki" "$work"
    # a revoked seal: the CRLs are left out, so only OCSP can say so
    "$eseal" seal --key "$pki/revoked.key" --cert "$pki/revoked-chain.pem" --format cades \
        -o "$work/revoked.p7s" "$work/offer.txt" >/dev/null
    out=$("$eseal" verify --trust "$pki/trust.pem" --revocation ocsp --ocsp-responder "$OCSP_URL" \
        "$work/offer.txt" "$work/revoked.p7s" 2>&1 || true)
    expect_line "OCSP: a revoked seal certificate is revoked" "$out" 'result=revoked; .*\(OCSP\)'
    "$eseal" seal --key "$pki/seal-rsa.key" --cert "$pki/seal-rsa-chain.pem" --format cades \
        -o "$work/good.p7s" "$work/offer.txt" >/dev/null
    out=$("$eseal" verify --trust "$pki/trust.pem" --revocation ocsp --ocsp-responder "$OCSP_URL" \
        "$work/offer.txt" "$work/good.p7s" 2>&1 || true)
    expect_line "OCSP: a good one passes, not revoked (OCSP)" "$out" 'result=pass.*not revoked \(OCSP\)'
    out=$("$eseal" verify --trust "$pki/trust.pem" --crl "$pki/crl" --revocation both \
        --ocsp-responder "$OCSP_URL" "$work/offer.txt" "$work/good.p7s" 2>&1 || true)
    expect_line "revocation_check both: CRL and OCSP both said" "$out" \
        'result=pass.*not revoked; not revoked \(OCSP\)'
    responders_stop
    # the responder named by the certificate's AIA (a fixed port in the test PKI)
    if ocsp_start "$pki" "$work" 39217 2>/dev/null; then
        "$eseal" seal --key "$pki/seal-aia.key" --cert "$pki/seal-aia-chain.pem" --format cades \
            -o "$work/aia.p7s" "$work/offer.txt" >/dev/null
        out=$("$eseal" verify --trust "$pki/trust.pem" --revocation ocsp "$work/offer.txt" \
            "$work/aia.p7s" 2>&1 || true)
        expect_line "OCSP: the responder of the certificate's AIA is asked" "$out" \
            'result=pass.*not revoked \(OCSP\)'
        responders_stop
    else
        echo "# port 39217 busy: the AIA check is left out"
    fi
    # nothing listens on the responder's port now
    out=$("$eseal" verify --trust "$pki/trust.pem" --revocation ocsp --ocsp-responder "$OCSP_URL" \
        "$work/offer.txt" "$work/good.p7s" 2>&1 || true)
    expect_line "unreachable responder, soft-fail: pass, revocation not checked" "$out" \
        'result=pass.*revocation not checked'
    out=$("$eseal" verify --trust "$pki/trust.pem" --revocation ocsp --ocsp-responder "$OCSP_URL" \
        --hard-fail "$work/offer.txt" "$work/good.p7s" 2>&1 || true)
    expect_line "unreachable responder, hard-fail: error" "$out" \
        'result=error; .*revocation of .* cannot be checked'
}

part_ltv() {
    need pdfsig
    need qpdf
    need mutool
    local out
    tsa_start "$pki" "$work"
    ocsp_start "$pki" "$work"
    conf "$work/lt.conf" "timestamp_url = \"$TSA_URL\"
  pades_ltv     = yes" "revocation_check = both
  ocsp_responder = \"$OCSP_URL\""
    check "PAdES B-LT: sealed" \
        "$eseal" seal -c "$work/lt.conf" --seal example.com "$work/offer.pdf" -o "$work/offer-lt.pdf"
    check "PAdES B-LT: qpdf --check" qpdf --check "$work/offer-lt.pdf"
    out=$(mutool show "$work/offer-lt.pdf" trailer/Root/DSS 2>&1 || true)
    expect_line "PAdES B-LT: the catalog names a DSS" "$out" '/Certs'
    local n
    n=$(mutool show "$work/offer-lt.pdf" trailer/Root/DSS/Certs 2>/dev/null | grep -o 'R' | wc -l)
    [ "$n" -ge 4 ] && ok "DSS: $n certificates (seal, CA, root, TSA, responder)" ||
        not_ok "DSS: $n certificates"
    n=$(mutool show "$work/offer-lt.pdf" trailer/Root/DSS/CRLs 2>/dev/null | grep -o 'R' | wc -l)
    [ "$n" -ge 1 ] && ok "DSS: $n CRLs" || not_ok "DSS: no CRL"
    n=$(mutool show "$work/offer-lt.pdf" trailer/Root/DSS/OCSPs 2>/dev/null | grep -o '[0-9]* 0 R' | head -n 1 | cut -d' ' -f1)
    [ -n "$n" ] && mutool show -b -o "$work/ocsp.der" "$work/offer-lt.pdf" "$n" >/dev/null 2>&1
    if [ -s "$work/ocsp.der" ] &&
        openssl ocsp -respin "$work/ocsp.der" -resp_text -noverify 2>/dev/null | grep -q 'Cert Status: good'; then
        ok "DSS: the OCSP response says good (openssl ocsp -respin)"
    else
        not_ok "DSS: no readable OCSP response"
    fi
    out=$(pdfsig "$work/offer-lt.pdf" 2>&1 || true)
    expect_line "PAdES B-LT: pdfsig says the signature is valid" "$out" 'Signature Validation: Signature is Valid'
    expect_line "PAdES B-LT: pdfsig: the signature covers the signed revision" "$out" \
        'Signature Type: ETSI.CAdES.detached'
    out=$("$eseal" verify -c "$work/lt.conf" "$work/offer-lt.pdf" 2>&1 || true)
    expect_line "PAdES B-LT: eseal says pass, timestamped, the DSS update changed nothing" "$out" \
        'result=pass; .*timestamped-at='
    if grep -q 'modified' <<<"$out"; then not_ok "the DSS update counted as a modification: $out"
    else ok "the DSS update is not a modification"; fi
    # a second B-LT seal keeps the first DSS's entries and adds its own
    check "a second B-LT seal over the first" \
        "$eseal" seal -c "$work/lt.conf" --seal example.com "$work/offer-lt.pdf" -o "$work/offer-lt2.pdf"
    out=$("$eseal" verify -c "$work/lt.conf" "$work/offer-lt2.pdf" 2>&1 || true)
    [ "$(grep -c 'result=pass' <<<"$out")" -eq 2 ] && ok "both seals pass" || not_ok "two seals: $out"
    check "qpdf --check on the twice sealed PDF" qpdf --check "$work/offer-lt2.pdf"
}

part_pkcs11() {
    need pdfsig
    local missing
    missing=$(token_missing)
    [ -z "$missing" ] || { echo "skip: $missing"; exit 77; }
    token_make "$work/hsm" "$pki" eseal-seal 246810 rsa:3072 "Example Co. Token Seal" ||
        { not_ok "cannot make the token"; return; }
    expect_line "pkcs11-tool lists the private key as never extractable" \
        "$(grep -A4 'Private Key Object' <<<"$TOKEN_OBJECTS")" 'never extractable'
    cat >"$work/hsm.conf" <<CONF
seal example.com {
  key           = "$TOKEN_URI"
  pkcs11_module = $TOKEN_MODULE
  pin_file      = $work/hsm/pin
  certificate   = $work/hsm/seal-chain.pem
}
verify {
  trust_anchors = $pki/trust.pem
}
CONF
    chmod 600 "$work/hsm.conf"
    check "token key: CAdES seal" \
        "$eseal" seal -c "$work/hsm.conf" --seal example.com --format cades "$work/offer.txt"
    check "token key: openssl cms -verify accepts it" \
        openssl cms -verify -binary -inform DER -in "$work/offer.txt.p7s" -content "$work/offer.txt" \
        -CAfile "$pki/trust.pem" -purpose any -out /dev/null
    check "token key: PAdES seal" \
        "$eseal" seal -c "$work/hsm.conf" --seal example.com "$work/offer.pdf" -o "$work/offer-hsm.pdf"
    local out
    out=$(pdfsig "$work/offer-hsm.pdf" 2>&1 || true)
    expect_line "token key: pdfsig says the signature is valid" "$out" 'Signature Validation: Signature is Valid'
    expect_line "token key: pdfsig names the token seal" "$out" 'Example Co. Token Seal'
    # a wrong PIN and an absent object are clear errors
    printf '000000\n' >"$work/hsm/pin"
    if "$eseal" seal -c "$work/hsm.conf" --seal example.com --format cades -o "$work/x.p7s" \
        "$work/offer.txt" >"$work/out" 2>&1; then
        not_ok "wrong PIN: sealed anyway"
    else
        expect_line "wrong PIN: refused, says so" "$(cat "$work/out")" 'PIN is wrong|no such private key'
    fi
}

case $part in
timestamp | ocsp | ltv | pkcs11) "part_$part" ;;
*) echo "usage: $0 timestamp|ocsp|ltv|pkcs11 ESEAL PKI" >&2; exit 2 ;;
esac
echo "longterm $part: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
