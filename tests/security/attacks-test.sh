#!/usr/bin/env bash
# attacks-test.sh PART ESEAL PKI - signatures an attacker made, against `eseal verify` and
# `eseal check-message --inbound`: no verdict may be pass.  PART is one of
#   cms      the signer certificate swapped (a look-alike with the seal's issuer and serial
#            in the certificate set; the SignerInfo's sid pointing to another certificate,
#            by issuer+serial and by key id), signed attributes whose message-digest is not
#            the document's (the signature over them valid), a certificate chain that loops
#            (A issues B issues A) and one 100 CAs deep, MD5 and SHA-1 digests
#   pdf      the PDF attacks of Mladenov et al., "1 Trillion Dollar Refund" (2019): Universal
#            Signature Forgery (/ByteRange or /Contents missing, null, empty, of a wrong
#            type), Incremental Saving Attack (updates that change the document after the
#            seal, a new /Root, the catalog redefined, no /Prev, the signature object
#            redefined), Signature Wrapping (the second signed part moved to the end, the
#            ByteRange pointing at it, new objects in the room made), on eseal's own seal
#            and on a signature whose /ByteRange follows /Contents
#   pairing  a message with a.pdf, b.txt and the seal of a.pdf named or placed so that it
#            pairs with b.txt (check-message --inbound)
# Each attack prints `ok - WHAT: result=WORD` with the verdict eseal gave.  Accepted verdicts:
# fail, weak, untrusted, error (and none where the attack removed what makes a signature);
# the word each case must have is given with the case.  Exit 0 all passed, 1 a check
# failed, 77 a tool is missing (openssl, python3, timeout; pdfsig is only reported).
set -u
[ $# -eq 3 ] || { echo "usage: $0 cms|pdf|pairing ESEAL PKI" >&2; exit 2; }
part=$1 eseal=$2 pki=$(cd "$3" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tool=$here/attacktool.py
for t in openssl python3 timeout; do
    command -v "$t" >/dev/null || { echo "skip: $t not installed"; exit 77; }
done
work=$(mktemp -d /tmp/eseal-attacks.XXXXXX)
trap 'rm -rf "$work"' EXIT
failed=0 passed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }
trust=$pki/trust.pem

# verdict WHAT WANT CMD...: run an eseal command; every result= it prints must be one of the
# words in WANT (a |-separated list), none may be pass, and the exit status must not be 0.
verdict() {
    local what=$1 want=$2 out rc words word
    shift 2
    out=$("$@" 2>&1)
    rc=$?
    words=$(grep -o 'result=[a-z-]*' <<<"$out" | sed 's/result=//' | sort -u | tr '\n' ' ')
    if [ "$rc" -eq 124 ]; then
        not_ok "$what: eseal did not finish within 60 s"
        return
    fi
    if [ "$rc" -gt 2 ]; then
        not_ok "$what: eseal exit $rc (crash?): $out"
        return
    fi
    # check-message exits 0 whatever the verdict (the message was processed): its words count
    if { [ "$rc" -eq 0 ] && [ "${rc_zero_ok:-0}" != 1 ]; } || [[ " $words" == *" pass "* ]]; then
        not_ok "$what: ATTACK PASSES (exit $rc): $out"
        return
    fi
    if [ -z "$words" ]; then
        # a file too broken for any verdict: the CLI says why and exits non-zero
        if [[ "|$want|" == *"|refused|"* ]]; then
            ok "$what: refused (exit $rc: $(head -c 160 <<<"$out"))"
        else
            not_ok "$what: no verdict (exit $rc), want $want: $out"
        fi
        return
    fi
    for word in $words; do
        if [[ "|$want|" != *"|$word|"* ]]; then
            not_ok "$what: result=$word, want $want: $(grep -o 'reason=.*' <<<"$out" | head -n 3)"
            return
        fi
    done
    ok "$what: result=${words% } ($(grep -o 'reason="[^"]*"' <<<"$out" | head -n 1 | cut -c1-140))"
}

# control WHAT CMD...: the unforged input passes, so the attacks below prove something.
control() {
    local what=$1 out rc
    shift
    out=$("$@" 2>&1)
    rc=$?
    if [ "$rc" -eq 0 ] && grep -q 'result=pass' <<<"$out" && ! grep -q 'result=[^p]' <<<"$out"; then
        ok "control: $what passes"
    else
        not_ok "control: $what does not pass, so the attacks on it prove little: $out"
    fi
}

# q CMD...: run a crafting command quietly; on failure show its output and return 1.
q() { "$@" >"$work/cmd.log" 2>&1 || { echo "# command failed: $*" >&2; cat "$work/cmd.log" >&2; return 1; }; }

# The openssl x509 extension profiles of the certificates made below: ca and leaf.
ext=$work/ext.cnf
cat >"$ext" <<'EOF'
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
subjectKeyIdentifier = hash
EOF

# newkey NAME: a P-256 key in $work/NAME.key (quick to make).
newkey() { q openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/$1.key"; }

# issue NAME SUBJ CA_CERT CA_KEY PROFILE [x509 args]: $work/NAME.pem for $work/NAME.key.
issue() {
    local name=$1 subj=$2 cacert=$3 cakey=$4 profile=$5
    shift 5
    q openssl req -new -key "$work/$name.key" -subj "$subj" -out "$work/$name.csr" &&
        q openssl x509 -req -in "$work/$name.csr" -CA "$cacert" -CAkey "$cakey" -days 30 \
            -extfile "$ext" -extensions "$profile" -out "$work/$name.pem" "$@"
}

# selfsigned NAME SUBJ: a self-signed CA certificate $work/NAME.pem.
selfsigned() {
    q openssl req -new -x509 -key "$work/$1.key" -subj "$2" -days 30 -out "$work/$1.pem" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign"
}

# cms_sign OUT SIGNER KEY [openssl cms args]: a detached DER signature of the document.
cms_sign() {
    local out=$1 cert=$2 key=$3
    shift 3
    q openssl cms -sign -binary -in "$doc" -signer "$cert" -inkey "$key" -outform DER \
        -out "$out" "$@"
}

doc=$work/contract.txt
printf 'Contract no. 42: the parties agree on EUR 1000.\n' >"$doc"
# v SIG, pv PDF, cm MSG: the eseal commands the attacks go to (60 s at most each).
v() { timeout 60 "$eseal" verify --trust "$trust" "$doc" "$1"; }

cms() {
    local seal=$pki/seal-rsa.pem key=$pki/seal-rsa.key inter=$pki/inter-ca.pem w=$work
    cms_sign "$w/good.p7s" "$seal" "$key" -cades -certfile "$inter" &&
        control "OpenSSL's CAdES signature with the seal" v "$w/good.p7s"

    # --- the signer certificate swapped
    # A look-alike: a CA named like the Seal CA (own key) issues a certificate with the seal's
    # subject and serial number, so its issuer+serial is the seal's.
    local serial
    serial=0x$(openssl x509 -in "$seal" -noout -serial | cut -d= -f2)
    newkey fakeca && selfsigned fakeca "/C=CN/O=eseal Test/CN=eseal Test Seal CA" &&
        newkey fake &&
        issue fake "/C=CN/O=Example Co./CN=Example Co. Seal" "$w/fakeca.pem" "$w/fakeca.key" \
            leaf -set_serial "$serial" || { not_ok "cannot make the look-alike"; return; }
    # (1) signed by the real seal key, the real certificate replaced by the look-alike
    cat "$w/fake.pem" "$inter" >"$w/fake+inter.pem"
    cms_sign "$w/swap1.p7s" "$seal" "$key" -nocerts -certfile "$w/fake+inter.pem" &&
        verdict "swap: seal's signature, certificate set holds a look-alike (same issuer+serial) instead" \
            "fail|untrusted" v "$w/swap1.p7s"
    # (2) the same with signing-certificate-v2 (CAdES): the attribute names the real cert
    cms_sign "$w/swap2.p7s" "$seal" "$key" -cades -nocerts -certfile "$w/fake+inter.pem" &&
        verdict "swap: CAdES seal, look-alike certificate instead of the seal's" \
            "fail|untrusted" v "$w/swap2.p7s"
    # (3) signed by the attacker's key with the look-alike and the real chain beside it
    cat "$inter" "$seal" >"$w/inter+seal.pem"
    cms_sign "$w/swap3.p7s" "$w/fake.pem" "$w/fake.key" -certfile "$w/inter+seal.pem" &&
        verdict "swap: attacker's key and look-alike, the real seal certificate also carried" \
            "fail|untrusted" v "$w/swap3.p7s"
    cms_sign "$w/swap3c.p7s" "$w/fake.pem" "$w/fake.key" -cades -certfile "$w/inter+seal.pem" &&
        verdict "swap: attacker's key and look-alike (CAdES), the real seal certificate also carried" \
            "fail|untrusted" v "$w/swap3c.p7s"
    # (4) sid pointing to another certificate: signed by seal-ec, sid names seal-rsa (both
    # certificates carried); by issuer+serial, then by subjectKeyIdentifier
    cms_sign "$w/sid-src.p7s" "$pki/seal-ec.pem" "$pki/seal-ec.key" -nosmimecap \
            -certfile "$w/inter+seal.pem" &&
        q python3 "$tool" sid "$w/sid-src.p7s" "$w/sid1.p7s" "$pki/seal-ec.pem" "$seal" &&
        verdict "sid (issuer+serial) names seal-rsa, signed by seal-ec's key" "fail" v "$w/sid1.p7s"
    cms_sign "$w/sid-src2.p7s" "$pki/seal-ec.pem" "$pki/seal-ec.key" -nosmimecap -keyid \
        -certfile "$w/inter+seal.pem" &&
        q python3 "$tool" sid "$w/sid-src2.p7s" "$w/sid2.p7s" "$pki/seal-ec.pem" "$seal" &&
        verdict "sid (subjectKeyIdentifier) names seal-rsa, signed by seal-ec's key" "fail" \
            v "$w/sid2.p7s"
    cms_sign "$w/sid-src3.p7s" "$pki/seal-ec.pem" "$pki/seal-ec.key" -cades \
        -certfile "$w/inter+seal.pem" &&
        q python3 "$tool" sid "$w/sid-src3.p7s" "$w/sid3.p7s" "$pki/seal-ec.pem" "$seal" &&
        verdict "sid names seal-rsa in a CAdES seal by seal-ec (signing-certificate-v2 names seal-ec)" \
            "fail" v "$w/sid3.p7s"

    # --- signed attributes with another message-digest, the signature over them valid
    printf 'Contract no. 42: the parties agree on EUR 1000000.\n' >"$w/other.txt"
    q openssl cms -sign -binary -cades -in "$w/other.txt" -signer "$seal" -inkey "$key" \
        -certfile "$inter" -outform DER -out "$w/md.p7s" &&
        verdict "message-digest of another document, signed attributes validly signed" "fail" \
            v "$w/md.p7s"
    q openssl cms -sign -binary -in /dev/null -signer "$pki/seal-ec.pem" -inkey "$pki/seal-ec.key" \
        -certfile "$inter" -outform DER -out "$w/md-empty.p7s" &&
        verdict "message-digest of the empty document" "fail" v "$w/md-empty.p7s"

    # --- chains: a loop, and 100 CAs deep
    # loop NAME_A SUBJ_A NAME_B SUBJ_B: $work/NAME_A.pem issued by NAME_B and the other way
    # round (self-signed stand-ins NAME_X0 give each the other's name as issuer).
    loop() {
        newkey "$1" && newkey "$3" && cp "$w/$1.key" "$w/${1}0.key" &&
            cp "$w/$3.key" "$w/${3}0.key" && selfsigned "${1}0" "$2" && selfsigned "${3}0" "$4" &&
            issue "$1" "$2" "$w/${3}0.pem" "$w/$3.key" ca && issue "$3" "$4" "$w/${1}0.pem" "$w/$1.key" ca
    }
    if loop loopa "/CN=Loop A" loopb "/CN=Loop B" && newkey loopleaf &&
        issue loopleaf "/C=CN/O=Example Co./CN=Example Co. Seal" "$w/loopa.pem" "$w/loopa.key" leaf; then
        cat "$w/loopa.pem" "$w/loopb.pem" >"$w/loop.pem"
        cms_sign "$w/loop.p7s" "$w/loopleaf.pem" "$w/loopleaf.key" -cades -certfile "$w/loop.pem" &&
            verdict "chain that loops (A issues B issues A)" "untrusted|fail" v "$w/loop.p7s"
        # A bears the real Seal CA's name, the seal the real serial; the real Seal CA carried too
        loop loopc "/C=CN/O=eseal Test/CN=eseal Test Seal CA" loopd "/CN=Loop D" &&
            newkey loopleaf2 &&
            issue loopleaf2 "/C=CN/O=Example Co./CN=Example Co. Seal" "$w/loopc.pem" \
                "$w/loopc.key" leaf -set_serial "$serial" &&
            cat "$w/loopc.pem" "$w/loopd.pem" "$inter" >"$w/loop2.pem" &&
            cms_sign "$w/loop2.p7s" "$w/loopleaf2.pem" "$w/loopleaf2.key" -cades \
                -certfile "$w/loop2.pem" &&
            verdict "loop through a look-alike of the Seal CA (real Seal CA carried too)" \
                "untrusted|fail" v "$w/loop2.p7s"
    else
        not_ok "cannot make the looping chain"
    fi
    # 100 CAs under the trusted root (its key is in the test PKI), then a seal
    local i prev_cert=$pki/root-ca.pem prev_key=$pki/root-ca.key
    : >"$w/deep.pem"
    for i in $(seq 1 100); do
        newkey "d$i" && issue "d$i" "/CN=Deep CA $i" "$prev_cert" "$prev_key" ca || break
        cat "$w/d$i.pem" >>"$w/deep.pem"
        prev_cert=$w/d$i.pem prev_key=$w/d$i.key
    done
    if [ "$i" -eq 100 ] && [ -s "$w/d100.pem" ] && newkey deepleaf &&
        issue deepleaf "/C=CN/O=Example Co./CN=Example Co. Seal" "$w/d100.pem" "$w/d100.key" leaf; then
        cms_sign "$w/deep.p7s" "$w/deepleaf.pem" "$w/deepleaf.key" -cades -certfile "$w/deep.pem" &&
            verdict "chain 100 CAs deep under the trusted root ($(stat -c %s "$w/deep.p7s") bytes)" \
                "untrusted|fail|error" v "$w/deep.p7s"
        # the same depth machinery is sound: 3 deep under the root passes
        newkey shallow &&
            issue shallow "/C=CN/O=Example Co./CN=Example Co. Seal" "$w/d3.pem" "$w/d3.key" leaf &&
            cat "$w/d1.pem" "$w/d2.pem" "$w/d3.pem" >"$w/d123.pem" &&
            cms_sign "$w/shallow.p7s" "$w/shallow.pem" "$w/shallow.key" -cades \
                -certfile "$w/d123.pem" &&
            control "a chain 3 CAs deep under the trusted root" v "$w/shallow.p7s"
    else
        not_ok "cannot make the 100-deep chain (stopped at $i)"
    fi

    # --- broken digests
    local md
    for md in md5 sha1; do
        cms_sign "$w/$md.p7s" "$seal" "$key" -md "$md" -certfile "$inter" &&
            verdict "digest $md" "weak" v "$w/$md.p7s"
    done
    # (OpenSSL 3 has no ECDSA with MD5)
    cms_sign "$w/sha1-ec.p7s" "$pki/seal-ec.pem" "$pki/seal-ec.key" -md sha1 -certfile "$inter" &&
        verdict "digest sha1 (ECDSA)" "weak" v "$w/sha1-ec.p7s"
    # a broken digest does not hide a changed document
    cp "$doc" "$w/changed.txt"
    printf 'and 0 more\n' >>"$w/changed.txt"
    "$eseal" verify --trust "$trust" "$w/changed.txt" "$w/md5.p7s" >"$w/out" 2>&1
    if grep -q 'result=fail' "$w/out"; then ok "MD5 seal on a changed document: result=fail"
    else not_ok "MD5 seal on a changed document: $(cat "$w/out")"; fi
}

pdf() {
    local w=$work root=$pki/root-ca.pem key=$pki/seal-rsa.key m base
    cat "$pki/inter-ca.pem" >"$w/cas.pem"
    pv() { timeout 60 "$eseal" verify --trust "$root" "$1"; }
    python3 "$here/../pdf/pdftool.py" mkpdf "$w/in.pdf" >/dev/null || { not_ok "mkpdf"; return; }
    q "$eseal" seal --key "$key" --cert "$pki/seal-rsa-chain.pem" "$w/in.pdf" -o "$w/sealed.pdf" ||
        { not_ok "eseal seal"; return; }
    control "eseal's PAdES seal (/ByteRange before /Contents)" pv "$w/sealed.pdf"
    q python3 "$tool" sign-late "$w/in.pdf" "$w/late.pdf" "$key" "$pki/seal-rsa.pem" "$w/cas.pem" ||
        { not_ok "sign-late"; return; }
    control "OpenSSL's adbe.pkcs7.detached with /ByteRange after /Contents" pv "$w/late.pdf"

    # USF: the signed text changed as well, so a verifier that skips the signature shows a
    # changed document as sealed
    for m in br-missing br-null br-empty br-string br-name br-reals br-negative br-two br-ref \
        br-dict ct-missing ct-null ct-empty ct-name ct-number ct-literal ct-array ct-zeros; do
        for base in sealed late; do
            if q python3 "$tool" usf "$w/$base.pdf" "$w/usf-$m-$base.pdf" "$m"; then
                verdict "USF $m ($base)" "fail|error|refused" pv "$w/usf-$m-$base.pdf"
            else
                not_ok "USF $m ($base): cannot make the input"
            fi
        done
    done
    # ISA (pades-test.sh tamper (b) covers updates that change page 1's content, add an
    # annotation, add a page)
    for m in new-root new-root-no-form new-root-fresh-sig catalog-pages no-prev sig-value \
        sig-byterange prev-loop; do
        for base in sealed late; do
            if q python3 "$tool" isa "$w/$base.pdf" "$w/isa-$m-$base.pdf" "$m"; then
                verdict "ISA $m ($base)" "fail|none" pv "$w/isa-$m-$base.pdf"
            else
                not_ok "ISA $m ($base): cannot make the input"
            fi
        done
    done
    # SWA (pades-test.sh tamper (c) covers ByteRanges that skip signed bytes, re-signed)
    if q python3 "$tool" swa "$w/late.pdf" "$w/swa-relocate.pdf" relocate; then
        verdict "SWA relocate: part 2 moved to the end, ByteRange points at it (original digest)" \
            fail pv "$w/swa-relocate.pdf"
        if command -v pdfsig >/dev/null; then
            echo "# pdfsig on it: $(pdfsig "$w/swa-relocate.pdf" 2>&1 | grep -E 'Validation:|signed$' | sed 's/^ *- //' | tr '\n' ' ')"
        fi
    else
        not_ok "SWA relocate: cannot make the input"
    fi
    for m in relocate-resigned contents-relocated second-contents; do
        for base in sealed late; do
            if q python3 "$tool" swa "$w/$base.pdf" "$w/swa-$m-$base.pdf" "$m" "$key" \
                "$pki/seal-rsa.pem" "$w/cas.pem"; then
                verdict "SWA $m ($base), re-signed over the new ranges" fail pv "$w/swa-$m-$base.pdf"
            else
                not_ok "SWA $m ($base): cannot make the input"
            fi
        done
    done
}

pairing() {
    local w=$work m
    cat >"$w/eseal.conf" <<CONF
authserv_id = mx.test
verify {
  trust_anchors = $trust
}
CONF
    chmod 600 "$w/eseal.conf"
    python3 "$here/../pdf/pdftool.py" mkpdf "$w/a.pdf" >/dev/null
    printf 'b: the price is EUR 1000000\n' >"$w/b.txt"
    q "$eseal" seal --key "$pki/seal-rsa.key" --cert "$pki/seal-rsa-chain.pem" --format cades \
        "$w/a.pdf" -o "$w/a.pdf.p7s" || { not_ok "cannot seal a.pdf"; return; }
    mkdir "$w/msg"
    q python3 "$tool" pairing "$w/msg" "$w/a.pdf" "$w/b.txt" "$w/a.pdf.p7s" ||
        { not_ok "cannot make the messages"; return; }
    cm() { timeout 60 "$eseal" check-message -c "$w/eseal.conf" --inbound "$1" -o "$w/out.eml"; }
    # control: the seal next to its document passes, and the header says a.pdf
    if cm "$w/msg/control.eml" >"$w/control.out" 2>&1 &&
        grep -q 'inbound result=pass sealed=1 failed=0' "$w/control.out"; then
        ok "control: a.pdf, a.pdf.p7s, b.txt: result=pass"
    else
        not_ok "control: $(cat "$w/control.out")"
    fi
    # the seal's name wins over its place: a.pdf.p7s after b.txt still seals a.pdf, and says so
    if cm "$w/msg/control-after-b.eml" >"$w/control2.out" 2>&1 &&
        grep -q 'inbound result=pass sealed=1 failed=0' "$w/control2.out" &&
        grep -q 'ESeal-Attachment: mx.test; name="a.pdf"; result=pass' "$w/control2.out"; then
        ok "control: a.pdf, b.txt, a.pdf.p7s: result=pass for a.pdf"
    else
        not_ok "control after b: $(cat "$w/control2.out")"
    fi
    for m in named-b named-b-after-a unnamed-after-b named-a-after-b-wrong-a b-named-a case-b \
        dup-name; do
        rc_zero_ok=1 verdict "pairing $m" "fail" cm "$w/msg/$m.eml"
        grep -o '^ESeal-Attachment:.*' "$w/out.eml" 2>/dev/null | sed 's/^/#   /'
    done
}

case $part in
    cms) cms ;;
    pdf) pdf ;;
    pairing) pairing ;;
    *) echo "usage: $0 cms|pdf|pairing ESEAL PKI" >&2; exit 2 ;;
esac
echo "$part: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
