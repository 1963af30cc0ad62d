#!/usr/bin/env bash
# make-deb.sh OUTDIR - build the Debian packages (eseal-milter, libeseal0, libeseal-dev,
# eseal-tools) into OUTDIR with `dpkg-buildpackage -us -uc -b`, from a copy of this source
# tree whose debian/ is packaging/debian plus the systemd unit.  Needs debhelper and the
# build dependencies of packaging/debian/control (./dev installs them).  SOURCE_DATE_EPOCH,
# when unset, is the date of debian/changelog, so two builds of one tree are the same.
set -euo pipefail
src=$(cd -- "$(dirname -- "$0")/.." && pwd -P)
out=${1:?usage: make-deb.sh OUTDIR}
mkdir -p "$out"
out=$(cd -- "$out" && pwd -P)
# one fixed build path: it is written into the debug information, so a build elsewhere would
# not be the same bytes
work=${TMPDIR:-/tmp}/eseal-deb-build
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

version=$(dpkg-parsechangelog -l "$src/packaging/debian/changelog" -S Version)
tree=$work/eseal-$version
mkdir -p "$tree"
# the sources as committed when this is a git checkout (no build trees), else all but build*
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$src" ls-files -z | (cd "$src" && xargs -0 tar -cf - --no-recursion) | tar -C "$tree" -xf -
else
    tar -C "$src" --exclude='./build*' --exclude='./debian' -cf - . | tar -C "$tree" -xf -
fi
rm -rf "$tree/debian"
cp -r "$src/packaging/debian" "$tree/debian"
cp "$src/packaging/systemd/eseal-milter.service" "$tree/debian/eseal-milter.service"

export DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS:-parallel=$(nproc)}
(cd "$tree" && dpkg-buildpackage -us -uc -b) >"$work/build.log" 2>&1 || {
    tail -n 60 "$work/build.log" >&2
    echo "make-deb.sh: dpkg-buildpackage failed" >&2
    exit 1
}
cp "$work"/*.deb "$work"/*.buildinfo "$work"/*.changes "$out/"
ls "$out"/*.deb
