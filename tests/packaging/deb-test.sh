#!/usr/bin/env bash
# deb-test.sh BUILD - the Debian packages: built by packaging/make-deb.sh, checked by lintian
# (no error), installed with apt-get on this machine, the installed default configuration
# checked with `eseal-milter -n` (a test seal added), the installed milter run through the
# Postfix end-to-end test, and everything purged again at the end.  Needs root; changes
# this machine while it runs (packages, the user eseal, /etc/eseal).
set -euo pipefail
here=$(cd -- "$(dirname -- "$0")" && pwd -P)
src=$(cd -- "$here/../.." && pwd -P)
build=$(cd -- "${1:?usage: deb-test.sh BUILD}" && pwd -P)
skip() { echo "deb-test: skipped: $*"; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root to install packages"
for tool in dpkg-buildpackage dh lintian apt-get; do
    command -v "$tool" >/dev/null || skip "$tool not installed (./dev test installs debhelper, lintian)"
done
if dpkg-query -W -f='${Status}' eseal-milter 2>/dev/null | grep -q "install ok installed"; then
    skip "eseal-milter is installed on this machine already: not touching it"
fi
# the test writes keys into /etc/eseal and removes it at the end: never someone's own
[ -e /etc/eseal ] && skip "/etc/eseal exists on this machine: not touching it"

work=$(mktemp -d /tmp/eseal-debtest.XXXXXX)
packages=(eseal-milter eseal-tools libeseal-dev libeseal0)
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }
cleanup() {
    DEBIAN_FRONTEND=noninteractive apt-get purge -y -q "${packages[@]}" >"$work/purge.log" 2>&1 ||
        cat "$work/purge.log"
    rm -rf "$work" /etc/eseal
}
trap cleanup EXIT

# ------------------------------------------------------------------ build and lintian
if "$src/packaging/make-deb.sh" "$work/debs" >"$work/make.log" 2>&1; then
    ok "dpkg-buildpackage: $(cd "$work/debs" && ls ./*.deb | grep -vc dbgsym) packages"
else
    not_ok "make-deb.sh failed"
    sed 's/^/#   /' "$work/make.log"
    exit 1
fi
lintian_rc=0
lintian --pedantic "$work"/debs/*.changes >"$work/lintian.log" 2>&1 || lintian_rc=$?
echo "# lintian --pedantic:"
sed 's/^/#   /' "$work/lintian.log"
if [ "$lintian_rc" -eq 0 ] && ! grep -q '^E:' "$work/lintian.log"; then
    ok "lintian: no error"
else
    not_ok "lintian: errors (exit $lintian_rc)"
fi

# ------------------------------------------------------------------ install
debs=()
for p in "${packages[@]}"; do debs+=("$work/debs/${p}_"*.deb); done
if DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${debs[@]}" >"$work/apt.log" 2>&1; then
    ok "apt-get install ${packages[*]}"
else
    not_ok "apt-get install failed"
    tail -n 30 "$work/apt.log" | sed 's/^/#   /'
    exit 1
fi
if getent passwd eseal >/dev/null && [ "$(stat -c '%U:%G %a' /etc/eseal/eseal.conf)" = "root:eseal 640" ]; then
    ok "postinst: user eseal, /etc/eseal/eseal.conf root:eseal 0640"
else
    not_ok "postinst: user eseal or the mode of eseal.conf ($(stat -c '%U:%G %a' /etc/eseal/eseal.conf))"
fi
for page in eseal.1 eseal.conf.5 eseal.policy.5 eseal-milter.8; do
    warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 \
        -l "/usr/share/man/man${page##*.}/$page.gz" 2>&1 >/dev/null)
    if [ -z "$warnings" ]; then
        ok "man -l $page (installed): no warning"
    else
        not_ok "man -l $page (installed): $warnings"
    fi
done

# ------------------------------------------------------------------ the installed default config
pki=$build/tests/pki
"$src/tests/pki/make-pki.sh" "$pki" >/dev/null
install -d -o eseal -g eseal -m 0700 /etc/eseal/keys
install -o eseal -g eseal -m 0600 "$pki/seal-rsa.key" /etc/eseal/keys/example.com.key
install -o root -g eseal -m 0644 "$pki/seal-rsa-chain.pem" /etc/eseal/keys/example.com-chain.pem
install -o root -g root -m 0644 "$pki/trust.pem" /etc/eseal/trusted-seal-cas.pem
cat >>/etc/eseal/eseal.conf <<'CONF'
seal example.com {
  key         = /etc/eseal/keys/example.com.key
  certificate = /etc/eseal/keys/example.com-chain.pem
}
CONF
if out=$(runuser -u eseal -- /usr/sbin/eseal-milter -n -c /etc/eseal/eseal.conf 2>&1); then
    ok "eseal-milter -n (as eseal) on the installed default configuration: $out"
else
    not_ok "eseal-milter -n on the installed default configuration: $out"
fi
if out=$(/usr/bin/eseal --version 2>&1) && [ "$out" = "eseal $(dpkg-query -W -f='${Version}' eseal-tools)" ]; then
    ok "eseal --version (eseal-tools): $out"
else
    not_ok "eseal --version (eseal-tools): $out"
fi

# ------------------------------------------------------------------ the Postfix test, installed milter
if ESEAL_E2E_MILTER=/usr/sbin/eseal-milter "$src/tests/e2e/postfix-test.sh" "$build" >"$work/e2e.log" 2>&1; then
    ok "Postfix end-to-end test with the installed eseal-milter ($(tail -n 1 "$work/e2e.log"))"
else
    rc=$?
    if [ "$rc" -eq 77 ]; then
        echo "# Postfix end-to-end test skipped: $(tail -n 1 "$work/e2e.log")"
    else
        not_ok "Postfix end-to-end test with the installed eseal-milter"
        grep -E '^not ok' "$work/e2e.log" | head -n 20
    fi
fi
echo "deb-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
