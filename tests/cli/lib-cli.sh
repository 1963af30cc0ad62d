# shellcheck shell=bash disable=SC2034  # variables shared with the sourcing script
# lib-cli.sh -- sourced by the CLI-level test scripts (check-message-test.sh, limits-test.sh,
# longterm-test.sh, ofd-test.sh): the check counters, expect_line, and the configuration the
# first two run `eseal check-message` with.

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }
# expect_line WHAT TEXT ERE: some line of TEXT matches ERE.
expect_line() {
    if grep -qE -- "$3" <<<"$2"; then ok "$1"; else not_ok "$1: '$2' does not match /$3/"; fi
}

# cli_conf FILE PKI: a configuration (mode 0600) with the test PKI's RSA seal for example.com
# and its trust anchors and CRLs for inbound verification.
cli_conf() {
    cat >"$1" <<CONF
authserv_id = mx.test
seal example.com {
  key         = $2/seal-rsa.key
  certificate = $2/seal-rsa-chain.pem
}
verify {
  trust_anchors = $2/trust.pem
  crls          = {$2/crl}
}
CONF
    chmod 600 "$1"
}
