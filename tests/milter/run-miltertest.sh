#!/usr/bin/env bash
# run-miltertest.sh BUILD PKI SCRIPT.lua|reload|stats - start eseal-milter on a free loopback
# port with a test configuration, make the test messages, run one miltertest script against it
# (or, for reload, SIGHUP and SIGTERM checks; for stats, the counters on stats_socket and
# SIGUSR1 against the log), stop the milter.  Exit 77 (skipped) when miltertest is not
# installed.
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
[ "$script" = stats ] && echo "stats_socket = \"unix:$work/stats.sock\"" >>"$work/eseal.conf"
if [ "$script" = ofd.lua ]; then
    # OFD: an SM2 test PKI and a contract sealed by tests/ofd/sestool.py, its root trusted
    ses=$here/../ofd/sestool.py
    python3 "$ses" mkpki "$work/sm2"
    python3 "$ses" mkofd "$work/contract.ofd"
    python3 "$ses" seal "$work/contract.ofd" "$work/sealed.ofd" "$work/sm2"
    cat "$work/sm2/sm2-root.pem" >>"$work/trust.pem"
fi
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
if [ "$script" = ofd.lua ]; then
    python3 - "$work/msg" "$work/sealed.ofd" <<'PY'
import email.message, email.policy, sys
for name, sender, path in (("ofd-in.eml", "contracts@partner.example.cn", sys.argv[2]),):
    m = email.message.EmailMessage()
    m["From"] = sender
    m["To"] = "legal@example.org"
    m["Subject"] = "contract"
    m.set_content("The contract is attached.")
    m.add_attachment(open(path, "rb").read(), maintype="application", subtype="ofd",
                     filename="contract.ofd")
    open(sys.argv[1] + "/" + name, "wb").write(m.as_bytes(policy=email.policy.SMTP))
PY
fi
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
elif [ "$script" = stats ]; then
    run outbound.lua
    run inbound.lua
    run policy.lua
    # every message has one log line with ms=; the counters say as much
    python3 - "$work/stats.sock" "$work/milter.log" <<'PY' || status=1
import re, socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
s.sendall(b"GET /metrics HTTP/1.0\r\n\r\n")
reply = b""
while chunk := s.recv(65536):
    reply += chunk
head, _, body = reply.decode().partition("\r\n\r\n")
metrics = {}
for line in body.splitlines():
    if line and not line.startswith("#"):
        name, value = line.rsplit(" ", 1)
        metrics[name] = float(value)
log = open(sys.argv[2]).read().splitlines()
lines = [l for l in log if re.search(r" ms=\d+$", l)]
total = sum(v for k, v in metrics.items() if k.startswith("eseal_messages_total"))
sealed = sum(int(m.group(1)) for l in lines for m in [re.search(r" outbound sealed=(\d+)", l)] if m)
checks = [
    (head.startswith("HTTP/1.0 200") and "text/plain; version=0.0.4" in head, "HTTP/1.0 200, Prometheus text"),
    (len(lines) > 0 and total == len(lines), "messages: %d counted, %d log lines with ms=" % (total, len(lines))),
    (metrics.get('eseal_attachments_total{direction="outbound",result="sealed"}') == sealed,
     "sealed attachments: %s counted, %d in the log" % (metrics.get('eseal_attachments_total{direction="outbound",result="sealed"}'), sealed)),
    (sum(v for k, v in metrics.items() if 'direction="inbound",result="unsealed"' in k) ==
     sum(int(m.group(1)) for l in lines for m in [re.search(r" inbound .* unsealed=(\d+)", l)] if m),
     "unsealed inbound attachments: as in the log"),
    (metrics.get("eseal_message_seconds_count") == total and
     metrics.get('eseal_message_seconds_bucket{le="+Inf"}') == total, "histogram count"),
]
bad = 0
for good, what in checks:
    print(("ok - " if good else "not ok - ") + what)
    bad += not good
open(sys.argv[2] + ".total", "w").write("%d\n" % total)
sys.exit(1 if bad else 0)
PY
    kill -USR1 "$milter_pid"
    sleep 0.5
    line=$(grep "stats: outbound messages=" "$work/milter.log" | tail -n 1)
    out=$(sed -n 's/.*stats: outbound messages=\([0-9]*\).*inbound messages=\([0-9]*\).*/\1 \2/p' <<<"$line")
    read -r o i <<<"$out"
    if [ -n "$out" ] && [ $((o + i)) -eq "$(cat "$work/milter.log.total")" ]; then
        echo "ok - SIGUSR1: the counters in the log ($o outbound, $i inbound)"
    else
        echo "not ok - SIGUSR1: no or wrong stats line: $line"
        status=1
    fi
    # the stats socket is for this host only
    sed 's|^stats_socket.*|stats_socket = "inet:9100@0.0.0.0"|' "$work/eseal.conf" >"$work/bad.conf"
    chmod 644 "$work/bad.conf"
    if out=$("$build/milter/eseal-milter" -n -c "$work/bad.conf" 2>&1); then
        echo "not ok - stats_socket on 0.0.0.0 accepted"
        status=1
    elif grep -q "bad.conf:[0-9]*: stats_socket: expected" <<<"$out"; then
        echo "ok - stats_socket on 0.0.0.0 refused: $out"
    else
        echo "not ok - stats_socket on 0.0.0.0: unexpected message: $out"
        status=1
    fi
else
    run "$script"
fi
echo "--- milter log"
cat "$work/milter.log" 2>/dev/null || echo "(on the script's standard error)"
exit $status
