#!/usr/bin/env bash
# pades-test.sh PART ESEAL PKI CORPORA - eseal's PAdES seals checked by PDF tools nobody here
# wrote: qpdf --check, poppler's pdfsig (NSS, the test root trusted), MuPDF's mutool sign -v,
# pdftoppm.  PART is one of
#   qtest      seal every unencrypted PDF of qpdf's test suite that qpdf accepts, and the
#              Debian manuals; each seal must satisfy all the verifiers
#   presigned  PDFs signed by pdfsig first, then sealed (and the other way round, and twice)
#   tamper     one byte changed, updates that change a page, forged ByteRanges, a second seal
#   stamp      the visible stamp lands on the chosen page and corner, transparency kept
#   fuzz       qpdf's fuzz reproducers end in a seal or a clean error, never a crash or hang
# Exit 0 when every check passed, 1 when one failed, 77 when a corpus or tool it needs is
# absent (skipped).  ESEAL_PADES_MIN_INPLACE (percent, default 90) is the share of qtest
# candidates that must be sealed in place.
set -euo pipefail

[ $# -eq 4 ] || { echo "usage: $0 qtest|presigned|tamper|stamp|fuzz ESEAL PKI CORPORA" >&2; exit 2; }
part=$1 eseal=$2 pki=$3 corpora=$4
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
pdftool=$here/pdftool.py
min_inplace=${ESEAL_PADES_MIN_INPLACE:-90}

skip() { echo "skip: $*"; exit 77; }
for t in qpdf pdfsig mutool certutil pk12util pdftoppm python3 openssl timeout; do
    command -v "$t" >/dev/null || skip "$t not installed (qpdf, poppler-utils, mupdf-tools, libnss3-tools)"
done

key=$pki/seal-rsa.key chain=$pki/seal-rsa-chain.pem root=$pki/root-ca.pem
for f in "$key" "$chain" "$root" "$pki/seal-rsa.p12" "$pki/p12.pass"; do
    [ -r "$f" ] || { echo "$part: test PKI file $f missing (run tests/pki/make-pki.sh)" >&2; exit 1; }
done

work=$(mktemp -d /tmp/eseal-pades.XXXXXX)
trap 'rm -rf "$work"' EXIT
failed=0 passed=0
started=$SECONDS

ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }
# clean_since N WHAT: ok WHAT when no check failed since the count of failures was N.
clean_since() { if [ "$failed" -eq "$1" ]; then ok "$2"; fi; }

# tool ARGS...: pdftool.py; its output in $out, its status in $rc.
tool() {
    rc=0
    out=$(python3 "$pdftool" "$@" 2>&1) || rc=$?
}

# The NSS database pdfsig validates with: the test root as trusted CA.
nss=$work/nss
mkdir "$nss"
certutil -N -d "sql:$nss" --empty-password
certutil -A -d "sql:$nss" -n eseal-test-root -t CT,C,C -i "$root"

# seal IN OUT [ARGS...]: eseal seal with the RSA seal unless ARGS name another key; sets $rc,
# $err and $how: inplace (OUT is IN plus an update), other (OUT is something else), fallback
# (a detached seal: $reason, $sidecar) or error.
seal() {
    local in=$1 out=$2
    shift 2
    local args=("$@")
    case " ${args[*]-} " in *" --key "*) ;; *) args=(--key "$key" --cert "$chain" "${args[@]}") ;; esac
    rc=0
    timeout 60 "$eseal" seal "${args[@]}" "$in" -o "$out" >"$work/seal.out" 2>"$work/seal.err" ||
        rc=$?
    err=$(<"$work/seal.err")
    how=error reason='' sidecar=''
    if [ "$rc" -eq 0 ] && [[ $err == *"not sealed in place ("* ]]; then
        how=fallback
        reason=$(sed -n 's/.*not sealed in place (\(.*\)); detached seal.*/\1/p' <<<"$err")
        # where the detached seal went: said on stderr, or on stdout as "FILE: sealed by
        # "SUBJECT" -> SIG"
        sidecar=$(sed -n 's/.*); detached seal -> //p' <<<"$err")
        [ -n "$sidecar" ] || sidecar=$(sed -n 's/.*" -> //p' "$work/seal.out" | tail -1)
    elif [ "$rc" -eq 0 ] && [ -s "$out" ]; then
        # sealed in place is an incremental update: every byte of the input stays where it
        # was; anything else is a detached signature (not taken for a PDF) or a rewrite
        how=other
        if [ -s "$in" ] && cmp -s -n "$(stat -c %s "$in")" "$in" "$out"; then how=inplace; fi
    fi
}

# must_seal IN OUT WHAT [ARGS...]: seal in place or record a failure (returns 1).
must_seal() {
    local in=$1 out=$2 what=$3
    shift 3
    seal "$in" "$out" "$@"
    case $how in
        inplace) return 0 ;;
        fallback) not_ok "$what: $in: not sealed in place: $reason" ;;
        other) not_ok "$what: $in: $out does not start with the input's bytes: not an incremental update" ;;
        *) not_ok "$what: $in: eseal seal exit $rc: $err" ;;
    esac
    return 1
}

# pdfsig_read FILE: pdfsig's report; $nsigs signatures, block N by pdfsig_block N.
pdfsig_read() {
    pdfsig_all=$(pdfsig -nssdir "sql:$nss" "$1" 2>/dev/null) || true
    nsigs=$(grep -c '^Signature #' <<<"$pdfsig_all") || true
}
pdfsig_block() {
    awk -v n="$1" '/^Signature #/{i++} i==n' <<<"$pdfsig_all"
}

# mutool_read FILE: mutool sign -v's report; $nmutool signatures, block N by mutool_block N.
mutool_read() {
    mutool_all=$(mutool sign -v "$1" 2>&1) || true
    nmutool=$(grep -c '^Verifying signature' <<<"$mutool_all") || true
}
mutool_block() {
    awk -v n="$1" '/^Verifying signature/{i++} i==n' <<<"$mutool_all"
}

# verify FILE: eseal verify; $vout its lines, $vrc its status.
verify() {
    vrc=0
    vout=$(timeout 60 "$eseal" verify --trust "$root" "$1" 2>&1) || vrc=$?
    vlines=$(grep -c 'result=' <<<"$vout") || true
}
vline() { grep 'result=' <<<"$vout" | sed -n "${1}p"; }

# want_line N RESULT FORMAT LATER WHAT: line N of eseal verify has these fields (eseal
# leaves out later-signatures=0).
want_line() {
    local line later
    line=$(vline "$1")
    later=$(grep -o 'later-signatures=[0-9]*' <<<"$line") || later='later-signatures=0'
    if [[ $line == *"result=$2;"* && $line == *"format=$3;"* &&
          $later == "later-signatures=$4" ]]; then
        return 0
    fi
    not_ok "$5: eseal verify signature $1: want result=$2 format=$3 later-signatures=$4, got: ${line:-$vout}"
    return 1
}

# pdfsig_valid N WHAT [total]: pdfsig's block N says valid and trusted (and the whole file).
pdfsig_valid() {
    local b
    b=$(pdfsig_block "$1")
    if [[ $b != *"Signature Validation: Signature is Valid."* ]]; then
        not_ok "$2: pdfsig signature $1: $(grep -E 'Validation|Type' <<<"$b" | tr -s ' \n' ' ')"
        return 1
    fi
    if [ "${3-}" = total ] && [[ $b != *"Total document signed"* ]]; then
        not_ok "$2: pdfsig signature $1 does not cover the whole file: $(grep Ranges <<<"$b")"
        return 1
    fi
    if [[ $b != *"Certificate Validation: Certificate is Trusted."* ]]; then
        not_ok "$2: pdfsig signature $1: $(grep 'Certificate Validation' <<<"$b")"
        return 1
    fi
}

# mutool_intact N WHAT unchanged|edited: mutool finds signature N's digest right.
mutool_intact() {
    local b want
    b=$(mutool_block "$1")
    case $3 in
        unchanged) want="The document is unchanged since signing." ;;
        *) want="The signature is valid but there have been edits since signing." ;;
    esac
    [[ $b == *"$want"* ]] && return 0
    not_ok "$2: mutool sign -v signature $1: want '$want', got: $(tr -s '\t\n' ' ' <<<"$b")"
    return 1
}

# qpdf_clean FILE WHAT: qpdf --check exits 0.
qpdf_clean() {
    local q qrc=0
    q=$(qpdf --check "$1" 2>&1) || qrc=$?
    [ "$qrc" -eq 0 ] && return 0
    q=$(grep -v '^checking\|^PDF Version\|^File is\|^No syntax\|^errors that' <<<"$q") || true
    not_ok "$2: qpdf --check exit $qrc: $(head -3 <<<"$q" | tr '\n' ' ')"
    return 1
}

# check_sealed FILE WHAT N: FILE's last signature (number N) is eseal's, valid for qpdf,
# pdfsig, mutool and eseal verify.  Bumps the n_* counters.
n_qpdf=0 n_pdfsig=0 n_mutool=0 n_eseal=0
check_sealed() {
    local f=$1 what=$2 n=$3
    qpdf_clean "$f" "$what" && n_qpdf=$((n_qpdf + 1))
    pdfsig_read "$f"
    if [ "$nsigs" -ne "$n" ]; then
        not_ok "$what: pdfsig sees $nsigs signatures, want $n"
    elif pdfsig_valid "$n" "$what" total; then
        if [[ $(pdfsig_block "$n") == *"Signature Type: ETSI.CAdES.detached"* ]]; then
            n_pdfsig=$((n_pdfsig + 1))
        else
            not_ok "$what: pdfsig: eseal's signature is not ETSI.CAdES.detached"
        fi
    fi
    mutool_read "$f"
    if [ "$nmutool" -ne "$n" ]; then
        not_ok "$what: mutool sees $nmutool signatures, want $n: $(head -c 300 <<<"$mutool_all" | tr '\n' ' ')"
    elif mutool_intact "$n" "$what" unchanged; then
        n_mutool=$((n_mutool + 1))
    fi
    verify "$f"
    if [ "$vlines" -ne "$n" ]; then
        not_ok "$what: eseal verify reports $vlines signatures, want $n: $vout"
    elif want_line "$n" pass pades 0 "$what"; then
        n_eseal=$((n_eseal + 1))
    fi
}

# ------------------------------------------------------------------------------ qtest

# seal_corpus NAME MIN_PERCENT FILE...: every unencrypted PDF qpdf accepts is a candidate.
seal_corpus() {
    local name=$1 min=$2
    shift 2
    local cand=0 inplace=0 refused=0 encrypted=0 rejected=0 f base copy n
    n_qpdf=0 n_pdfsig=0 n_mutool=0 n_eseal=0
    : >"$work/reasons"
    mkdir -p "$work/$name"
    for f in "$@"; do
        n=0
        qpdf --is-encrypted "$f" >/dev/null 2>&1 || n=$?
        if [ "$n" -eq 0 ]; then encrypted=$((encrypted + 1)); continue; fi
        # (qpdf crashes on some of its own test files: keep bash's report of it quiet)
        if ! (qpdf --check "$f" >/dev/null 2>&1; exit $?) 2>/dev/null; then
            rejected=$((rejected + 1))
            continue
        fi
        cand=$((cand + 1))
        base=$(basename "$f" .pdf)
        copy=$work/$name/$base.pdf # the corpus is read-only; a sidecar goes beside the copy
        cp "$f" "$copy"
        seal "$copy" "$work/$name/$base.sealed.pdf"
        case $how in
            inplace)
                inplace=$((inplace + 1))
                pdfsig_read "$copy"
                check_sealed "$work/$name/$base.sealed.pdf" "$name/$base.pdf" $((nsigs + 1))
                ;;
            fallback)
                refused=$((refused + 1))
                echo "$reason" >>"$work/reasons"
                echo "# $name/$base.pdf: not sealed in place: $reason"
                if [ -z "$sidecar" ] || [ ! -s "$sidecar" ]; then
                    not_ok "$name/$base.pdf: the detached seal '$sidecar' was not written"
                elif ! "$eseal" verify --trust "$root" "$copy" "$sidecar" >/dev/null 2>&1; then
                    not_ok "$name/$base.pdf: eseal verify rejects the detached seal $sidecar"
                fi
                ;;
            other) not_ok "$name/$base.pdf: the output does not start with the input's bytes" ;;
            *) not_ok "$name/$base.pdf: eseal seal exit $rc: $err" ;;
        esac
        rm -f "$work/$name/$base".*
    done
    echo "# $name: $((cand + encrypted + rejected)) files, $encrypted encrypted," \
        "$rejected not accepted by qpdf --check"
    echo "# $name: candidates $cand, sealed in place $inplace, refused with a reason $refused"
    echo "# $name: of those sealed: qpdf --check clean $n_qpdf," \
        "pdfsig valid+trusted+total $n_pdfsig, mutool unchanged $n_mutool," \
        "eseal verify pass $n_eseal"
    if [ -s "$work/reasons" ]; then
        echo "# $name: reasons:"
        sort "$work/reasons" | uniq -c | sort -rn | sed 's/^/#   /'
    fi
    [ "$cand" -gt 0 ] || { not_ok "$name: no candidates"; return; }
    local pct=$((inplace * 100 / cand))
    if [ "$pct" -ge "$min" ]; then
        ok "$name: $pct% of candidates sealed in place (at least $min%)"
    else
        not_ok "$name: only $pct% of candidates sealed in place ($inplace of $cand), want $min%"
    fi
}

qtest() {
    local q=$corpora/qpdf-qtest/qtest d=$corpora/debian-doc-pdfs
    compgen -G "$q/*.pdf" >/dev/null || skip "corpus $q absent"
    seal_corpus qpdf-qtest "$min_inplace" "$q"/*.pdf
    if compgen -G "$d/*.pdf" >/dev/null; then
        key=$pki/seal-ec.key chain=$pki/seal-ec-chain.pem # ECDSA P-256 for these
        seal_corpus debian-doc-pdfs 100 "$d"/*.pdf
    else
        echo "# debian-doc-pdfs: corpus $d absent, not run"
    fi
}

# ------------------------------------------------------------------------------ inputs

# The test PDFs: t.pdf (4 pages, classic xref table) and txs.pdf (the same with an xref
# stream and object streams, made by qpdf).
make_inputs() {
    python3 "$pdftool" mkpdf "$work/t.pdf"
    qpdf --object-streams=generate --compress-streams=n "$work/t.pdf" "$work/txs.pdf"
    doc=
    local d
    for d in "$corpora/debian-doc-pdfs/libtasn1.pdf" "$corpora"/debian-doc-pdfs/*.pdf; do
        if [ -f "$d" ]; then doc=$d; break; fi
    done
}

# ------------------------------------------------------------------------------ presigned

# The seal-rsa PKCS#12 (issued under the test root) in the NSS database, for pdfsig to sign.
pdfsig_signer() {
    pk12util -i "$pki/seal-rsa.p12" -d "sql:$nss" -w "$pki/p12.pass" -K '' >/dev/null
    nick=$(certutil -L -d "sql:$nss" | awk '/u,u,u *$/{sub(/ +u,u,u *$/, ""); print; exit}')
    [ -n "$nick" ] || { echo "presigned: no key in the NSS database after pk12util" >&2; exit 1; }
}

# pdfsig_sign IN OUT FIELD: pdfsig -add-signature (writes adbe.pkcs7.detached).
pdfsig_sign() {
    local o rc=0
    o=$(pdfsig -nssdir "sql:$nss" -add-signature -nick "$nick" -new-signature-field-name "$3" \
        -reason "signed by pdfsig first" "$1" "$2" 2>&1) || rc=$?
    [ "$rc" -eq 0 ] && [ -s "$2" ] && return 0
    not_ok "pdfsig -add-signature $1: exit $rc: $o"
    return 1
}

presigned() {
    make_inputs
    pdfsig_signer
    local inputs=("$work/t.pdf" "$work/txs.pdf") in w
    [ -n "$doc" ] && inputs+=("$doc") || echo "# debian-doc-pdfs absent: only the made PDFs"
    for in in "${inputs[@]}"; do
        w=$work/$(basename "$in" .pdf)
        pdfsig_sign "$in" "$w.pre.pdf" PdfsigFirst || continue
        must_seal "$w.pre.pdf" "$w.sealed.pdf" "pdfsig then eseal" || continue
        local what bad=$failed
        what="pdfsig then eseal: $(basename "$in")"
        qpdf_clean "$w.sealed.pdf" "$what" || true
        pdfsig_read "$w.sealed.pdf"
        if [ "$nsigs" -eq 2 ]; then
            pdfsig_valid 1 "$what" || true
            pdfsig_valid 2 "$what" total || true
            [[ $(pdfsig_block 1) == *"adbe.pkcs7.detached"* ]] ||
                not_ok "$what: pdfsig's own signature is not adbe.pkcs7.detached"
        else
            not_ok "$what: pdfsig sees $nsigs signatures, want 2"
        fi
        mutool_read "$w.sealed.pdf"
        if [ "$nmutool" -eq 2 ]; then
            mutool_intact 1 "$what" edited || true
            mutool_intact 2 "$what" unchanged || true
        else
            not_ok "$what: mutool sees $nmutool signatures, want 2"
        fi
        verify "$w.sealed.pdf"
        if [ "$vlines" -eq 2 ] && [ "$vrc" -eq 0 ]; then
            want_line 1 pass pkcs7 1 "$what" || true
            want_line 2 pass pades 0 "$what" || true
        else
            not_ok "$what: eseal verify exit $vrc, $vlines signatures (want 0, 2): $vout"
        fi
        clean_since "$bad" "$what: both signatures valid for pdfsig, mutool, eseal"
    done

    # eseal first, pdfsig after: the seal passes with one later signature.
    local what="eseal then pdfsig" bad=$failed
    if must_seal "$work/t.pdf" "$work/e1.pdf" "$what" &&
        pdfsig_sign "$work/e1.pdf" "$work/e1p.pdf" PdfsigAfter; then
        pdfsig_read "$work/e1p.pdf"
        if [ "$nsigs" -eq 2 ]; then
            pdfsig_valid 1 "$what" || true
            pdfsig_valid 2 "$what" total || true
        else
            not_ok "$what: pdfsig sees $nsigs signatures, want 2"
        fi
        verify "$work/e1p.pdf"
        if [ "$vlines" -eq 2 ] && [ "$vrc" -eq 0 ]; then
            want_line 1 pass pades 1 "$what" || true
            want_line 2 pass pkcs7 0 "$what" || true
        elif [ "$vlines" -eq 1 ] && [ "$(qpdf --show-object=1 "$work/e1p.pdf" |
            grep -o '/Fields *\[[^]]*\]')" = "$(qpdf --show-object=1 "$work/e1.pdf" |
            grep -o '/Fields *\[[^]]*\]')" ]; then
            # poppler 22.12 leaves its field out of an existing /AcroForm /Fields: only a
            # widget on the page.  mutool does not see it either.
            echo "# $what: pdfsig did not add its field to /AcroForm /Fields; eseal sees the seal only"
            want_line 1 pass pades 0 "$what" || true
            what="$what (its field not in /AcroForm)"
        else
            not_ok "$what: eseal verify exit $vrc, $vlines signatures (want 0, 2): $vout"
        fi
        clean_since "$bad" "$what: eseal's seal passes, and pdfsig's signature"
    fi

    # eseal twice, the second time with the P-384 seal.
    what="eseal twice" bad=$failed
    if must_seal "$work/t.pdf" "$work/e1.pdf" "$what" &&
        must_seal "$work/e1.pdf" "$work/e2.pdf" "$what" --key "$pki/seal-ec384.key" \
            --cert "$pki/seal-ec384-chain.pem"; then
        check_sealed "$work/e2.pdf" "$what" 2
        pdfsig_read "$work/e2.pdf"
        [ "$nsigs" -eq 2 ] && { pdfsig_valid 1 "$what: first seal" || true; }
        mutool_read "$work/e2.pdf"
        [ "$nmutool" -eq 2 ] && { mutool_intact 1 "$what: first seal" edited || true; }
        verify "$work/e2.pdf"
        [ "$vlines" -eq 2 ] && { want_line 1 pass pades 1 "$what: first seal" || true; }
        [ "$vrc" -eq 0 ] || not_ok "$what: eseal verify exit $vrc: $vout"
        clean_since "$bad" "$what: two eseal seals, both valid"
    fi
}

# ------------------------------------------------------------------------------ tamper

# must_fail FILE WHAT WORD: eseal verify exits 1 and its last signature says result=fail
# and WORD (when given).
must_fail() {
    verify "$1"
    local line
    line=$(vline "$vlines")
    if [ "$vrc" -ne 1 ]; then
        not_ok "$2: eseal verify exit $vrc, want 1: $vout"
    elif [[ $line != *"result=fail;"* ]]; then
        not_ok "$2: eseal verify: want result=fail, got: ${line:-$vout}"
    elif [ -n "${3-}" ] && [[ $line != *"$3"* ]]; then
        not_ok "$2: eseal verify does not say $3: $line"
    else
        ok "$2: eseal verify: $(grep -o 'result=[a-z-]*' <<<"$line")${3:+ ($3)}"
    fi
}

# pdfsig_says FILE N TEXT WHAT: pdfsig's block N contains TEXT.
pdfsig_says() {
    pdfsig_read "$1"
    local b
    b=$(pdfsig_block "$2")
    [[ $b == *"$3"* ]] && return 0
    not_ok "$4: pdfsig signature $2: want '$3', got: $(grep -E 'Validation|signed' <<<"$b" | tr -s ' \n' ' ')"
}

tamper_one() {
    local in=$1 label=$2 s=$work/$2
    must_seal "$in" "$s.sealed.pdf" "$label" || return 0
    local bad=$failed
    check_sealed "$s.sealed.pdf" "$label: sealed" 1
    [ "$failed" -eq "$bad" ] || return 0
    ok "$label: sealed; qpdf, pdfsig, mutool and eseal agree it is valid"

    # (a) one byte inside the signed range: the first revision's page text, eseal's /M.
    tool flip "$s.sealed.pdf" "$s.a1.pdf" "Page 1 of"
    if [ "$rc" -eq 0 ]; then
        must_fail "$s.a1.pdf" "$label: (a) one byte of page 1's content (offset $out)"
        pdfsig_says "$s.a1.pdf" 1 "Digest Mismatch" "$label: (a) content byte"
        mutool_read "$s.a1.pdf"
        [[ $(mutool_block 1) == *"Digest error"* ]] ||
            not_ok "$label: (a) mutool does not see the changed byte: $(mutool_block 1)"
    else
        not_ok "$label: (a) cannot change a content byte: $out"
    fi
    tool flip-m "$s.sealed.pdf" "$s.a2.pdf"
    if [ "$rc" -eq 0 ]; then
        must_fail "$s.a2.pdf" "$label: (a) one digit of the seal's /M (offset $out)"
        pdfsig_says "$s.a2.pdf" 1 "Digest Mismatch" "$label: (a) /M digit"
    else
        not_ok "$label: (a) cannot change /M: $out"
    fi

    # (b) appended updates that change the document: page 1's content; an annotation on
    # page 1; a page added.
    local change
    for change in content annot page; do
        tool update "$s.sealed.pdf" "$s.b-$change.pdf" "$change"
        if [ "$rc" -ne 0 ]; then
            not_ok "$label: (b) cannot append the $change update: $out"
            continue
        fi
        qpdf_clean "$s.b-$change.pdf" "$label: (b) $change update (test input)" || continue
        must_fail "$s.b-$change.pdf" "$label: (b) update changing the document ($change)" \
            modified-after-seal
        # poppler: the seal itself is intact but no longer covers the whole file
        pdfsig_says "$s.b-$change.pdf" 1 "Not total document signed" "$label: (b) $change"
        mutool_read "$s.b-$change.pdf"
        mutool_intact 1 "$label: (b) $change" edited || true
    done

    # (c) ByteRanges that leave more than the /Contents hex string unsigned.
    tool forge "$s.sealed.pdf" "$s.c-shrink10.pdf" shrink10
    if [ "$rc" -eq 0 ]; then
        must_fail "$s.c-shrink10.pdf" "$label: (c) ByteRange [$out] skips 10 more bytes"
    else
        not_ok "$label: (c) forge shrink10: $out"
    fi
    # Re-signed by OpenSSL over the forged ranges, so the digest matches: only the ByteRange
    # check can catch these.  The control (true ByteRange, same re-signing) must pass.
    local cas=$work/cas.pem mode
    cat "$pki/inter-ca.pem" >"$cas"
    tool forge "$s.sealed.pdf" "$s.c-control.pdf" control "$key" "$pki/seal-rsa.pem" "$cas"
    if [ "$rc" -ne 0 ]; then
        not_ok "$label: (c) re-signing control: $out"
        return 0
    fi
    verify "$s.c-control.pdf"
    if [ "$vrc" -eq 0 ] && [[ $(vline 1) == *"result=pass;"* ]]; then
        ok "$label: (c) control: the true ByteRange re-signed by OpenSSL passes"
    else
        not_ok "$label: (c) control re-signed by OpenSSL (true ByteRange," \
            "adbe.pkcs7.detached) does not pass, so the forgeries below prove little: $vout"
    fi
    for mode in shrink10-resigned gap6 short-end; do
        tool forge "$s.sealed.pdf" "$s.c-$mode.pdf" "$mode" "$key" "$pki/seal-rsa.pem" "$cas"
        if [ "$rc" -ne 0 ]; then
            not_ok "$label: (c) forge $mode: $out"
            continue
        fi
        local br=$out
        pdfsig_read "$s.c-$mode.pdf"
        echo "# $label: (c) $mode [$br]: pdfsig says" \
            "$(pdfsig_block 1 | grep -E 'Validation: |signed' | sed 's/^ *- //' | tr '\n' ' ')"
        must_fail "$s.c-$mode.pdf" "$label: (c) $mode ByteRange [$br], re-signed"
    done
    # Only the end-of-line after %%EOF unsigned: eseal's call (reported, not judged).
    tool forge "$s.sealed.pdf" "$s.c-short-eol.pdf" short-eol "$key" "$pki/seal-rsa.pem" "$cas"
    if [ "$rc" -eq 0 ]; then
        verify "$s.c-short-eol.pdf"
        echo "# $label: (c) short-eol [$out] (the EOL after %%EOF unsigned): eseal verify" \
            "exit $vrc: $(grep -o 'result=[a-z-]*\|reason=.*' <<<"$vout" | tr '\n' ' ')"
    else
        not_ok "$label: (c) forge short-eol: $out"
    fi

    # (d) a second eseal seal changes nothing: the first passes with later-signatures=1;
    # an update after both changes what both signed.
    if must_seal "$s.sealed.pdf" "$s.d.pdf" "$label: (d)"; then
        verify "$s.d.pdf"
        if [ "$vrc" -eq 0 ] && [ "$vlines" -eq 2 ] && want_line 1 pass pades 1 "$label: (d)" &&
            want_line 2 pass pades 0 "$label: (d)"; then
            ok "$label: (d) sealed twice: first pass with later-signatures=1, second pass"
        elif [ "$vrc" -ne 0 ] || [ "$vlines" -ne 2 ]; then
            not_ok "$label: (d) eseal verify exit $vrc, $vlines signatures (want 0, 2): $vout"
        fi
        tool update "$s.d.pdf" "$s.d-b.pdf" content
        if [ "$rc" -eq 0 ]; then
            verify "$s.d-b.pdf"
            local i
            for i in 1 2; do
                [[ $(vline $i) == *"result=fail;"*"modified-after-seal"* ]] ||
                    not_ok "$label: (d) changed after two seals: signature $i: $(vline $i)"
            done
            if [ "$vrc" -eq 1 ]; then
                ok "$label: (d) a change after two seals fails both"
            else
                not_ok "$label: (d) a change after two seals: eseal verify exit $vrc"
            fi
        else
            not_ok "$label: (d) cannot append the update: $out"
        fi
    fi
}

tamper() {
    make_inputs
    tamper_one "$work/t.pdf" xref-table
    tamper_one "$work/txs.pdf" xref-stream
}

# ------------------------------------------------------------------------------ stamp

# stamped IN LABEL PAGES PAGE CORNER [ARGS...]: seal IN with the stamp and ARGS; the stamp
# must show in CORNER of page PAGE and on none of the other PAGES (a list) rendered.
stamped() {
    local in=$1 label=$2 pages=$3 page=$4 corner=$5 bad=$failed p want
    shift 5
    must_seal "$in" "$work/$label.pdf" "stamp $label" --stamp "$work/seal.png" "$@" || return 0
    n_pdfsig=0 n_qpdf=0
    check_sealed "$work/$label.pdf" "stamp $label" 1
    for p in $pages; do
        [ "$p" -eq "$page" ] && want=$corner || want=none
        if ! pdftoppm -r 50 -f "$p" -l "$p" "$work/$label.pdf" "$work/$label-r" 2>"$work/ppm.err"; then
            not_ok "stamp $label: pdftoppm page $p: $(head -3 "$work/ppm.err")"
            continue
        fi
        tool ppmcheck "$(ls "$work/$label-r"*.ppm)" "$want"
        rm -f "$work/$label-r"*.ppm
        if [ "$rc" -ne 0 ]; then
            not_ok "stamp $label: page $p: $out"
        elif [ "$want" != none ]; then
            echo "# stamp $label: page $p: $out"
        fi
    done
    clean_since "$bad" "stamp $label: on page $page, $corner; other pages clean"
}

stamp() {
    make_inputs
    python3 "$pdftool" mkpng "$work/seal.png"
    # the last page (-1) of a plain 4-page PDF, top-left
    stamped "$work/t.pdf" last-top-left "1 2 3 4" 4 top-left --stamp-position top-left --stamp-page -1
    # default corner (bottom-right) on page 2, whose MediaBox does not start at 0 0
    stamped "$work/t.pdf" offset-box "1 2 3 4" 2 bottom-right --stamp-page 2
    # page 3 is shown rotated by 90 degrees: the corner is the one the reader sees
    stamped "$work/t.pdf" rotated "1 2 3 4" 3 bottom-left --stamp-position bottom-left --stamp-page 3
    # xref stream, object streams, the first page by default
    stamped "$work/txs.pdf" xref-stream "1 2 3 4" 1 top-right --stamp-position top-right \
        --reason "Approved" --location "Beijing"
    if [ -n "$doc" ]; then
        local np
        np=$(qpdf --show-npages "$doc")
        stamped "$doc" "$(basename "$doc" .pdf)" "1 $((np - 1)) $np" "$np" top-right \
            --stamp-position top-right --stamp-page -1
    fi
    # a broken stamp image is a clean error, not a sealed file
    head -c 300 "$work/seal.png" >"$work/broken.png"
    rm -f "$work/broken-out.pdf"
    seal "$work/t.pdf" "$work/broken-out.pdf" --stamp "$work/broken.png"
    if [ "$rc" -ne 0 ] && [ -n "$err" ] && [ ! -s "$work/broken-out.pdf" ]; then
        ok "a truncated stamp PNG: exit $rc, $err"
    else
        not_ok "a truncated stamp PNG: exit $rc, stderr '$err', output $(ls -s "$work/broken-out.pdf" 2>&1)"
    fi
}

# ------------------------------------------------------------------------------ fuzz

sanitizer_words='AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:'

# fuzz_run LABEL WHERE CMD...: run an eseal command on hostile input under timeout 20; its
# status in $rc, stderr and stdout in $err.  A hang, a signal, a sanitizer report or a failure
# without a message (on stderr, or with WHERE=any on stdout too: eseal verify's verdict
# line) is a failed check; the slowest run is kept.
fuzz_run() {
    local label=$1 where=$2 t0 dt said
    shift 2
    t0=$EPOCHREALTIME
    rc=0
    timeout 20 "$@" >"$work/fz/out" 2>"$work/fz/err" || rc=$?
    dt=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.3f", b - a}')
    err=$(cat "$work/fz/err" "$work/fz/out")
    if awk -v a="$dt" -v b="$slowest" 'BEGIN{exit !(a > b)}'; then
        slowest=$dt slowest_what=$label
    fi
    if [ "$rc" -eq 124 ]; then
        not_ok "$label: timed out after 20 s"
    elif [ "$rc" -gt 2 ]; then
        not_ok "$label: exit $rc (signal $((rc - 128))?): $(head -c 300 <<<"$err")"
    elif grep -qE "$sanitizer_words" <<<"$err"; then
        not_ok "$label: $(grep -m1 -E "$sanitizer_words" <<<"$err")"
    else
        said=$(<"$work/fz/err")
        [ "$where" = any ] && said=$err
        [ "$rc" -eq 0 ] || [ -n "$said" ] || not_ok "$label: exit $rc with no message"
    fi
}

# fuzz_one IN NAME: eseal seal and eseal verify on IN; verify the seal when made in place.
fuzz_one() {
    local in=$1 name=$2 out=$work/fz/sealed.pdf q
    rm -f "$out"
    fuzz_run "$name: eseal seal" stderr "$eseal" seal --key "$key" --cert "$chain" "$in" -o "$out"
    seal_rc[$rc]=$((${seal_rc[$rc]:-0} + 1))
    if [ "$rc" -eq 0 ] && [[ $err == *"not sealed in place"* ]]; then
        fallback=$((fallback + 1))
        sed -n 's/.*not sealed in place (\(.*\)); detached seal.*/\1/p' <<<"$err" >>"$work/reasons"
    elif [ "$rc" -eq 0 ] && [ -s "$in" ] && [ -s "$out" ] &&
        cmp -s -n "$(stat -c %s "$in")" "$in" "$out"; then
        inplace=$((inplace + 1))
        q=0
        qpdf --check "$out" >/dev/null 2>&1 || q=$?
        qpdf_rc[$q]=$((${qpdf_rc[$q]:-0} + 1))
        verify "$out"
        if [ "$vlines" -gt 0 ] && [[ $(vline "$vlines") == *"result=pass;"* ]]; then
            own_pass=$((own_pass + 1))
        else
            echo "# $name: sealed in place, but eseal verify (exit $vrc) says: $(head -c 300 <<<"$vout")"
        fi
    elif [ "$rc" -eq 0 ] && [ -s "$out" ]; then
        notpdf=$((notpdf + 1)) # not taken for a PDF: OUT is a detached signature
    elif [ "$rc" -eq 0 ]; then
        not_ok "$name: eseal seal exit 0 but no output and no fallback: $err"
    fi
    fuzz_run "$name: eseal verify" any "$eseal" verify --trust "$root" "$in"
    verify_rc[$rc]=$((${verify_rc[$rc]:-0} + 1))
    rm -f "$in" "$in.p7s" "${in%.pdf}.p7s"
}

# counts ARRAY: an associative array of counts as "key:count ...".
counts() {
    local -n a=$1
    local k
    for k in "${!a[@]}"; do printf '%s:%s ' "$k" "${a[$k]}"; done
}

fuzz() {
    local d=$corpora/qpdf-qtest/fuzz-qpdf_extra f base n=0 hdr=0
    compgen -G "$d/*.fuzz" >/dev/null || skip "corpus $d absent"
    mkdir "$work/fz"
    : >"$work/reasons"
    declare -A seal_rc=() verify_rc=() qpdf_rc=()
    inplace=0 fallback=0 notpdf=0 own_pass=0 slowest=0 slowest_what=''
    for f in "$d"/*.fuzz; do
        n=$((n + 1))
        base=$(basename "$f" .fuzz)
        cp "$f" "$work/fz/$base.pdf" # a copy: the fallback writes its .p7s beside it
        fuzz_one "$work/fz/$base.pdf" "$base.fuzz"
        # Without "%PDF-" in its first 1024 bytes eseal takes it for data: once more with a
        # header, so that the PDF reader sees it.
        if ! head -c 1024 "$f" | grep -aq '%PDF-'; then
            hdr=$((hdr + 1))
            { printf '%%PDF-1.7\n'; cat "$f"; } >"$work/fz/$base.hdr.pdf"
            fuzz_one "$work/fz/$base.hdr.pdf" "$base.fuzz with a %PDF- header"
        fi
    done
    echo "# fuzz: $n files, $hdr of them also run with a %PDF-1.7 header line prepended"
    echo "# fuzz: eseal seal exit statuses: $(counts seal_rc)"
    echo "# fuzz: sealed in place $inplace, detached fallback $fallback," \
        "not taken for a PDF (detached seal in OUT) $notpdf"
    echo "# fuzz: qpdf --check exit statuses on the in-place outputs: $(counts qpdf_rc)"
    echo "# fuzz: eseal verify passes its own in-place seal: $own_pass of $inplace"
    echo "# fuzz: eseal verify exit statuses on the inputs: $(counts verify_rc)"
    if [ -s "$work/reasons" ]; then
        echo "# fuzz: fallback reasons:"
        sort "$work/reasons" | uniq -c | sort -rn | sed 's/^/#   /'
    fi
    echo "# fuzz: slowest: $slowest_what: $slowest s"
    clean_since 0 "fuzz: $n reproducers, every run a seal or a clean error"
}

case $part in
    qtest) qtest ;;
    presigned) presigned ;;
    tamper) tamper ;;
    stamp) stamp ;;
    fuzz) fuzz ;;
    *) echo "usage: $0 qtest|presigned|tamper|stamp|fuzz ESEAL PKI CORPORA" >&2; exit 2 ;;
esac
echo "$part: $passed passed, $failed failed ($((SECONDS - started)) s)"
[ "$failed" -eq 0 ]
