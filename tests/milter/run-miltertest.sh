#!/usr/bin/env bash
# run-miltertest.sh BUILD PKI SCRIPT.lua|reload - start eseal-milter on a free loopback port
# with a test configuration, make the test messages, run one miltertest script against it
# (or, for reload, SIGHUP and SIGTERM checks), stop the milter.  Exit 77 (skipped) when miltertest is not installed.
set -euo pipefail
build=$1 pki=$2 script=$3
here=$(cd "$(dirname "$0")" && pwd)
command -v miltertest >/dev/null || { echo "skip: miltertest not installed"; exit 77; }
work=$(mktemp -d /tmp/eseal-mt.XXXXXX)
chmod 755 "$work"
milter_pid=
cleanup() {
    if [ -n "$milter_pid" ]; then kill "$milter_pid" 2>/dev/null; wait "$milter_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$work/eseal.conf" <<CONF
socket           = "inet:$port@127.0.0.1"
authserv_id      = mx.test
internal_hosts   = {127.0.0.0/8, "::1"}
user             = nobody
max_message_size = 64K
on_error         = tempfail
policy_files     = {$here/../../policy/article3.policy, $here/../../policy/contracts.policy}
seal example.com {
  key         = $work/seal.key
  certificate = $work/seal-chain.pem
}
verify {
  trust_anchors = $work/trust.pem
  subject_tag   = "[UNVERIFIED]"
}
CONF
# as installed: the key private to the account the milter runs as, so that it can reload it;
# the configuration readable (it holds no secret) but writable by root alone
install -m 600 -o nobody "$pki/seal-ec.key" "$work/seal.key"
install -m 644 "$pki/seal-ec-chain.pem" "$work/seal-chain.pem"
install -m 644 "$pki/trust.pem" "$work/trust.pem"
chmod 644 "$work/eseal.conf"

# the test messages
mkdir "$work/msg"
python3 "$here/make-messages.py" "$work/msg"
"$build/plugin-common/eseal" check-message -c "$work/eseal.conf" --outbound \
    "$work/msg/ours-from-outside.eml" -o "$work/msg/sealed.eml" >/dev/null
python3 "$here/make-messages.py" --tamper "$work/msg/sealed.eml" "$work/msg/tampered.eml"
"$build/plugin-common/eseal" check-message -c "$work/eseal.conf" --outbound \
    "$work/msg/contract-out.eml" -o "$work/msg/contract-sealed.eml" >/dev/null
openssl smime -sign -in "$work/msg/plain.eml" -signer "$pki/seal-ec.pem" \
    -inkey "$pki/seal-ec.key" -out "$work/msg/smime-body.eml"
{ printf 'From: sales@example.com\nTo: rcpt@example.org\nSubject: signed\n'; \
  cat "$work/msg/smime-body.eml"; } > "$work/msg/smime-signed.eml"

# on_error.lua: an unusable TMPDIR makes writing a sealed body fail inside the milter
tmpdir=${TMPDIR:-/tmp}
[ "$script" = on_error.lua ] && tmpdir=/nonexistent/eseal-tmp
if [ "$script" != sigterm.lua ]; then # sigterm.lua starts the milter itself, to signal it
    TMPDIR=$tmpdir "$build/milter/eseal-milter" -f -c "$work/eseal.conf" 2> "$work/milter.log" &
    milter_pid=$!
fi
status=0
run() { # SCRIPT [NAME=VALUE...]
    local script=$1 defines=()
    shift
    for d in "$@"; do defines+=(-D "$d"); done
    miltertest -s "$here/$script" -D socket="inet:$port@127.0.0.1" -D msgdir="$work/msg" \
        -D common="$here/common.lua" -D milter="$build/milter/eseal-milter" \
        -D conf="$work/eseal.conf" "${defines[@]}" || status=1
}
if [ "$script" = reload ]; then
    # SIGHUP loads a new configuration; a broken one is refused and the last good one kept;
    # SIGTERM stops cleanly
    run authserv.lua authserv=mx.test
    sed -i 's/^authserv_id .*/authserv_id = mx2.test/' "$work/eseal.conf"
    kill -HUP "$milter_pid"
    sleep 1
    run authserv.lua authserv=mx2.test
    printf 'seal broken.example {\n' >> "$work/eseal.conf"
    kill -HUP "$milter_pid"
    sleep 1
    run authserv.lua authserv=mx2.test
    grep -q "reload failed, keeping the running configuration" "$work/milter.log" &&
        echo "ok - a broken configuration is refused on reload" ||
        { echo "not ok - no reload failure logged"; status=1; }
    kill -TERM "$milter_pid"
    wait "$milter_pid" && echo "ok - SIGTERM: clean exit" || { echo "not ok - SIGTERM exit $?"; status=1; }
    milter_pid=
else
    run "$script"
fi
echo "--- milter log"
cat "$work/milter.log" 2>/dev/null || echo "(on the script's standard error)"
exit $status
