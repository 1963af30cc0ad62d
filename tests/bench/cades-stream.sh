#!/usr/bin/env bash
# cades-stream.sh [BUILD] [SIZE_MB] - benchmark, not a test: seal and verify one large file
# with the eseal CLI and print wall time and peak RSS next to `openssl dgst -sha256` on the
# same file (the floor: sealing must at least hash every byte once).
set -euo pipefail
build=${1:-build}
size_mb=${2:-1024}
eseal=$build/plugin-common/eseal
pki=$build/tests/pki
work=$(mktemp -d /tmp/eseal-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
"$(dirname "$0")/../pki/make-pki.sh" "$pki" >/dev/null
head -c $((size_mb * 1024 * 1024)) /dev/urandom > "$work/doc"

measure() { # LABEL CMD... -> "LABEL  seconds  peak-RSS-MB"
    local label=$1
    shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null
    read -r secs kb < "$work/time"
    awk -v l="$label" -v s="$secs" -v k="$kb" 'BEGIN { printf "%-34s %8.2f s %8.1f MB\n", l, s, k / 1024 }'
}

echo "file: $size_mb MiB"
measure "openssl dgst -sha256 (floor)" openssl dgst -sha256 "$work/doc"
measure "eseal seal (RSA-3072, SHA-256)" "$eseal" seal --key "$pki/seal-rsa.key" \
    --cert "$pki/seal-rsa-chain.pem" "$work/doc"
measure "eseal verify" "$eseal" verify --trust "$pki/trust.pem" "$work/doc"
