#!/usr/bin/env bash
# systemd-test.sh UNIT MILTER MANDIR - the systemd unit: `systemd-analyze verify` says nothing,
# and `systemd-analyze security --offline=true` rates its exposure at most 2.0 (the whole
# table is printed).  The unit is checked as installed, with ExecStart pointing at MILTER
# (the build's binary when the package is not installed) and the man pages of MANDIR.
set -euo pipefail
unit=$1 milter=$(realpath "$2") mandir=$3
max_exposure=2.0
command -v systemd-analyze >/dev/null || { echo "systemd-analyze not installed: skipped"; exit 77; }
work=$(mktemp -d /tmp/eseal-systemd.XXXXXX)
trap 'rm -rf "$work"' EXIT
failed=0

name=$(basename "$unit")
sed "s|/usr/sbin/eseal-milter|$milter|" "$unit" >"$work/$name"
for section in 1 5 8; do # Documentation=man:... is checked with man(1)
    mkdir -p "$work/man/man$section"
    cp "$mandir"/*."$section" "$work/man/man$section/"
done

if out=$(MANPATH=$work/man systemd-analyze verify "$work/$name" 2>&1) && [ -z "$out" ]; then
    echo "ok - systemd-analyze verify $name: clean"
else
    echo "not ok - systemd-analyze verify $name:"
    sed 's/^/#   /' <<<"$out"
    failed=1
fi

out=$(systemd-analyze security --offline=true "$work/$name" 2>&1) || true
sed 's/^/#   /' <<<"$out"
exposure=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<<"$out")
if [ -n "$exposure" ] && awk -v e="$exposure" -v m="$max_exposure" 'BEGIN { exit !(e <= m) }'; then
    echo "ok - systemd-analyze security: exposure $exposure (at most $max_exposure)"
else
    echo "not ok - systemd-analyze security: exposure '${exposure:-?}', more than $max_exposure"
    failed=1
fi
exit "$failed"
