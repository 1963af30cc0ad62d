#!/usr/bin/env bash
# cli-test.sh PART ESEAL PKI - the eseal CLI against tools nobody here wrote (openssl cms,
# gpgsm) and against bad input.  PART is interop, bad-input or gpgsm.  Exit 0 when every
# check passed, 1 when one failed, 77 when a tool it needs is missing (skipped).
set -u
part=$1 eseal=$2 pki=$3
work=$(mktemp -d /tmp/eseal-cli.XXXXXX)
trap 'rm -rf "$work"' EXIT
failed=0 passed=0

ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }

# expect STATUS WHAT -- CMD...: run CMD, check its exit status, keep its output in $out.
expect() {
    local want=$1 what=$2
    shift 3
    out=$("$@" 2>&1)
    local got=$?
    if [ "$got" -eq "$want" ]; then ok "$what"; else not_ok "$what: exit $got, want $want: $out"; fi
}

# contains TEXT WHAT: the last command's output contains TEXT.
contains() {
    case $out in *"$1"*) ok "$2" ;; *) not_ok "$2: output lacks '$1': $out" ;; esac
}

printf 'Contract no. 42: the parties agree.\n' > "$work/contract.txt"
head -c 3000000 /dev/urandom > "$work/big.bin"

interop() {
    local doc=$work/contract.txt
    expect 0 "eseal seal (RSA-3072)" -- "$eseal" seal --key "$pki/seal-rsa.key" \
        --cert "$pki/seal-rsa-chain.pem" "$doc"
    expect 0 "openssl cms -verify accepts eseal's RSA seal" -- openssl cms -verify -binary \
        -inform DER -in "$doc.p7s" -content "$doc" -CAfile "$pki/trust.pem" -purpose any -out /dev/null
    expect 0 "openssl sees signing-certificate-v2" -- openssl cms -cmsout -print -inform DER \
        -in "$doc.p7s"
    contains "signingCertificateV2" "the seal carries signing-certificate-v2"
    expect 0 "eseal verify passes its own seal" -- "$eseal" verify --trust "$pki/trust.pem" \
        --crl "$pki/crl" "$doc"
    contains "result=pass" "verdict word pass"

    expect 0 "eseal seal (ECDSA P-256, big file, -o)" -- "$eseal" seal --key "$pki/seal-ec.key" \
        --cert "$pki/seal-ec-chain.pem" "$work/big.bin" -o "$work/big.sig"
    expect 0 "openssl cms -verify accepts eseal's EC seal" -- openssl cms -verify -binary \
        -inform DER -in "$work/big.sig" -content "$work/big.bin" -CAfile "$pki/trust.pem" \
        -purpose any -out /dev/null

    expect 0 "openssl cms -sign -cades" -- openssl cms -sign -binary -cades -in "$doc" \
        -signer "$pki/seal-ec.pem" -inkey "$pki/seal-ec.key" -certfile "$pki/inter-ca.pem" \
        -outform DER -out "$work/openssl.p7s"
    expect 0 "eseal verify passes OpenSSL's CAdES signature" -- "$eseal" verify \
        --trust "$pki/trust.pem" "$doc" "$work/openssl.p7s"
    expect 0 "openssl cms -sign (PEM output)" -- openssl cms -sign -binary -in "$doc" \
        -signer "$pki/seal-rsa.pem" -inkey "$pki/seal-rsa.key" -certfile "$pki/inter-ca.pem" \
        -outform PEM -out "$work/openssl.pem"
    expect 0 "eseal verify reads a PEM signature" -- "$eseal" verify --trust "$pki/trust.pem" \
        "$doc" "$work/openssl.pem"

    cp "$doc" "$work/changed.txt"
    printf 'and one more line\n' >> "$work/changed.txt"
    expect 1 "a changed document fails" -- "$eseal" verify --trust "$pki/trust.pem" \
        "$work/changed.txt" "$doc.p7s"
    contains "result=fail" "verdict word fail"
    expect 4 "openssl agrees the changed document fails" -- openssl cms -verify -binary \
        -inform DER -in "$doc.p7s" -content "$work/changed.txt" -CAfile "$pki/trust.pem" \
        -purpose any -out /dev/null

    expect 0 "--json" -- "$eseal" verify --json --trust "$pki/trust.pem" "$doc"
    if printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["result"]=="pass" and d["signer"].startswith("CN=Example Co. Seal")'; then
        ok "--json prints one parseable object"
    else
        not_ok "--json output: $out"
    fi

    cat > "$work/eseal.conf" <<CONF
seal example.com {
  key         = $pki/seal-rsa-enc.key
  passphrase_file = $pki/seal.pass
  certificate = $pki/seal-rsa-chain.pem
}
verify {
  trust_anchors = $pki/trust.pem
  crls          = {$pki/crl}
}
CONF
    chmod 600 "$work/eseal.conf"
    cp "$doc" "$work/c2.txt"
    expect 0 "seal by author domain from the config (sub-domain falls back)" -- "$eseal" seal \
        -c "$work/eseal.conf" --seal sales.example.com "$work/c2.txt"
    expect 0 "verify with the config's trust and CRLs" -- "$eseal" verify -c "$work/eseal.conf" \
        "$work/c2.txt"
    expect 2 "no seal section for the domain" -- "$eseal" seal -c "$work/eseal.conf" \
        --seal example.org "$work/c2.txt"
    contains "no seal section for example.org" "names the missing domain"

    expect 1 "revoked seal with CRL" -- bash -c "'$eseal' seal --key '$pki/revoked.key' \
        --cert '$pki/revoked-chain.pem' '$work/c2.txt' -o '$work/r.p7s' >/dev/null &&
        '$eseal' verify --trust '$pki/trust.pem' --crl '$pki/inter-ca.crl' '$work/c2.txt' '$work/r.p7s'"
    contains "result=revoked" "verdict word revoked"
    expect 1 "expired seal certificate is refused for sealing" -- "$eseal" seal \
        --key "$pki/expired.key" --cert "$pki/expired-chain.pem" "$work/c2.txt" -o "$work/e.p7s"
    contains "expired" "says the certificate expired"
    expect 0 "--version" -- "$eseal" --version
    contains "eseal " "version line"
}

bad_input() {
    local doc=$work/contract.txt t=$pki/trust.pem
    : > "$work/empty.p7s"
    expect 1 "empty signature" -- "$eseal" verify --trust "$t" "$doc" "$work/empty.p7s"
    contains "result=error" "empty signature is the verdict error"
    contains "empty" "and says it is empty"
    "$eseal" seal --key "$pki/seal-rsa.key" --cert "$pki/seal-rsa-chain.pem" "$doc" >/dev/null
    head -c 700 "$doc.p7s" > "$work/trunc.p7s"
    expect 1 "truncated signature" -- "$eseal" verify --trust "$t" "$doc" "$work/trunc.p7s"
    contains "DER decoding failed" "says decoding failed"
    head -c 4096 /dev/urandom > "$work/random.p7s"
    expect 1 "random signature" -- "$eseal" verify --trust "$t" "$doc" "$work/random.p7s"
    contains "result=error" "random signature is the verdict error"
    head -c 10485760 /dev/urandom > "$work/huge.p7s"
    expect 1 "10 MB of garbage" -- "$eseal" verify --trust "$t" "$doc" "$work/huge.p7s"
    contains "limit" "says it is over the limit"
    expect 2 "missing document" -- "$eseal" verify --trust "$t" "$work/nope.txt" "$doc.p7s"
    contains "nope.txt" "names the missing file"
    expect 2 "missing signature" -- "$eseal" verify --trust "$t" "$work/big.bin"
    contains "big.bin.p7s" "names the missing signature"
    cp "$pki/not-a-key.pem" "$work/not-a-key.pem"
    chmod 600 "$work/not-a-key.pem"
    expect 1 "a PEM that is not a key" -- "$eseal" seal --key "$work/not-a-key.pem" \
        --cert "$pki/seal-rsa-chain.pem" "$doc"
    contains "no private key found" "says no key"
    expect 1 "world-readable key" -- "$eseal" seal --key "$pki/seal-rsa-world.key" \
        --cert "$pki/seal-rsa-chain.pem" "$doc"
    contains "mode 0644" "names the mode"
    expect 2 "missing key file" -- "$eseal" seal --key "$work/none.key" \
        --cert "$pki/seal-rsa-chain.pem" "$doc"
    printf 'verify {\n  trust_anchor = %s\n}\n' "$t" > "$work/typo.conf"
    expect 2 "config with a typo" -- "$eseal" verify -c "$work/typo.conf" "$doc"
    contains "typo.conf:2:" "says file:line"
    contains "trust_anchor" "names the bad key"
    expect 2 "trust file that is not PEM" -- "$eseal" verify --trust "$doc" "$doc"
    expect 2 "usage error" -- "$eseal" verify
    expect 2 "unknown command" -- "$eseal" frobnicate
    expect 2 "seal needs exactly one key source" -- "$eseal" seal --seal a.com \
        --key "$pki/seal-rsa.key" "$doc"
    [ "$(wc -l <<<"$out")" -le 10 ] && ok "usage errors are short" || not_ok "long usage error"
    expect 2 "--min-rsa-bits must be a number of bits" -- "$eseal" verify --trust "$t" \
        --min-rsa-bits abc "$doc"
    printf 'seal example.com {\n  key = %s\n  formats = {pades}\n}\n' "$pki/seal-rsa.key" \
        > "$work/pades-only.conf"
    expect 2 "a seal whose formats exclude cades" -- "$eseal" seal -c "$work/pades-only.conf" \
        --seal example.com "$doc"
    contains "pades-only.conf:4: seal example.com does not list cades" "says where and why"
    printf 'seal example.com {\n  key = "pkcs11:token=t;object=o"\n}\n' > "$work/p11.conf"
    expect 2 "PKCS#11 key URI (not in this version)" -- "$eseal" seal -c "$work/p11.conf" \
        --seal example.com "$doc"
    contains "PKCS#11" "says PKCS#11 is not supported"
    # names that could forge output fields are escaped
    local odd=$work/$'odd\nresult=pass\xff.txt'
    cp "$doc" "$odd"
    "$eseal" seal --key "$pki/seal-ec.key" --cert "$pki/seal-ec-chain.pem" "$odd" >/dev/null
    expect 0 "verify a file whose name has a newline and a non-UTF-8 byte" -- "$eseal" verify \
        --trust "$t" "$odd"
    [ "$(wc -l <<<"$out")" -eq 1 ] && ok "the newline is escaped" || not_ok "name split: $out"
    expect 0 "the same as JSON" -- "$eseal" verify --json --trust "$t" "$odd"
    if printf '%s' "$out" | python3 -c 'import json,sys; d=json.loads(sys.stdin.buffer.read().decode("utf-8")); assert "\ufffd" in d["file"]'; then
        ok "--json stays valid UTF-8 JSON"
    else
        not_ok "--json with an odd name: $out"
    fi
}

gpgsm_check() {
    command -v gpgsm >/dev/null || { echo "skip: gpgsm not installed"; exit 77; }
    export GNUPGHOME=$work/gnupg
    mkdir -m 700 "$GNUPGHOME"
    echo disable-crl-checks >> "$GNUPGHOME/gpgsm.conf"
    gpgsm --batch --import "$pki/root-ca.pem" "$pki/inter-ca.pem" >/dev/null 2>&1
    fpr=$(gpgsm --with-colons --fingerprint "eseal Test Root CA" 2>/dev/null |
          awk -F: '$1=="fpr"{print $10; exit}')
    echo "$fpr S relax" > "$GNUPGHOME/trustlist.txt"
    "$eseal" seal --key "$pki/seal-rsa.key" --cert "$pki/seal-rsa-chain.pem" \
        "$work/contract.txt" >/dev/null
    expect 0 "gpgsm --verify accepts eseal's seal" -- gpgsm --batch --status-fd 1 --verify \
        "$work/contract.txt.p7s" "$work/contract.txt"
    contains "GOODSIG" "gpgsm reports GOODSIG"
    contains "TRUST_FULLY" "gpgsm trusts the chain"
    gpgconf --kill all >/dev/null 2>&1
}

case $part in
    interop) interop ;;
    bad-input) bad_input ;;
    gpgsm) gpgsm_check ;;
    *) echo "usage: $0 interop|bad-input|gpgsm ESEAL PKI" >&2; exit 2 ;;
esac
echo "$part: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
