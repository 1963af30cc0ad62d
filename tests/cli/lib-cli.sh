# shellcheck shell=bash disable=SC2034  # variables shared with the sourcing script
# lib-cli.sh -- sourced by check-message-test.sh and limits-test.sh: the check counters and the
# configuration both run `eseal check-message` with.

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }

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
