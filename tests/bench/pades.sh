#!/usr/bin/env bash
# pades.sh [BUILD] [SIZE_MB] [CORPORA] - benchmark, not a test: seal and verify PDFs in place
# with the eseal CLI and print wall time and peak RSS: a PDF of about SIZE_MB MiB (one page
# and an incompressible stream, so that the time is hashing and copying), the same sealed a
# second time, and every PDF of CORPORA/debian-doc-pdfs.  A PDF is sealed in memory: peak RSS
# should stay near twice its size (the document and the sealed copy).
set -euo pipefail
build=${1:-build}
size_mb=${2:-200}
corpora=${3:-$(dirname "$0")/../../../shared/corpora}
eseal=$build/plugin-common/eseal
pki=$build/tests/pki
work=$(mktemp -d /tmp/eseal-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
"$(dirname "$0")/../pki/make-pki.sh" "$pki" >/dev/null
key=(--key "$pki/seal-rsa.key" --cert "$pki/seal-rsa-chain.pem")

# big.pdf: a one-page PDF whose page draws an image of SIZE_MB MiB of random bytes
python3 - "$work/big.pdf" "$size_mb" <<'PY'
import os, sys
path, mb = sys.argv[1], int(sys.argv[2])
n = mb * 1024 * 1024
side = int((n / 3) ** 0.5)
data = os.urandom(side * side * 3)
content = b"q 500 0 0 500 50 150 cm /Im0 Do Q"
objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /XObject << /Im0 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
        b"/BitsPerComponent 8 /Length %d >>\nstream\n" % (side, side, len(data))]
with open(path, "wb") as f:
    out = [b"%PDF-1.4\n"]
    pos, offsets = len(out[0]), []
    for i, body in enumerate(objs, 1):
        offsets.append(pos)
        chunk = b"%d 0 obj\n%s" % (i, body)
        out.append(chunk)
        pos += len(chunk)
        if i == 5:
            out.append(data)
            pos += len(data)
            tail = b"\nendstream"
            out.append(tail)
            pos += len(tail)
        end = b"\nendobj\n"
        out.append(end)
        pos += len(end)
    xref = pos
    out.append(b"xref\n0 6\n0000000000 65535 f \n" +
               b"".join(b"%010d 00000 n \n" % o for o in offsets) +
               b"trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % xref)
    f.write(b"".join(out))
PY

measure() { # LABEL CMD... -> "LABEL  seconds  peak-RSS-MB"
    local label=$1
    shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null
    read -r secs kb < "$work/time"
    awk -v l="$label" -v s="$secs" -v k="$kb" \
        'BEGIN { printf "%-44s %8.2f s %8.1f MB\n", l, s, k / 1024 }'
}

echo "big.pdf: $(($(stat -c %s "$work/big.pdf") / 1024 / 1024)) MiB"
measure "openssl dgst -sha256 big.pdf (floor)" openssl dgst -sha256 "$work/big.pdf"
measure "eseal seal big.pdf (RSA-3072, SHA-256)" "$eseal" seal "${key[@]}" "$work/big.pdf" \
    -o "$work/big1.pdf"
measure "eseal seal again (second signature)" "$eseal" seal "${key[@]}" "$work/big1.pdf" \
    -o "$work/big2.pdf"
measure "eseal verify (both signatures)" "$eseal" verify --trust "$pki/trust.pem" "$work/big2.pdf"
if [ -d "$corpora/debian-doc-pdfs" ]; then
    for f in "$corpora"/debian-doc-pdfs/*.pdf; do
        name=$(basename "$f")
        measure "seal $name ($(($(stat -c %s "$f") / 1024)) KiB)" "$eseal" seal "${key[@]}" "$f" \
            -o "$work/$name"
        measure "verify $name" "$eseal" verify --trust "$pki/trust.pem" "$work/$name"
    done
fi
