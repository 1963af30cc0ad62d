#!/usr/bin/env bash
# oracle-test.sh PART BUILD PKI - eseal-milter lends its key to nobody.  PART is one of
#   oracle      oracle.lua under OpenDKIM's miltertest: an outside client gets nothing sealed
#               however it dresses up (From/Sender in our domain, header fields named like
#               the MTA's macros, ESeal-* fields asking for a seal, HELO as our host, SMTP AUTH
#               tried without success, near-miss daemon names, a {client_addr} macro)
#   keys        `eseal-milter -n` refuses a key (and a passphrase file) that group or others
#               can read, or that another user owns; it accepts one owned by root or by
#               `user`, mode 0600
#   privileges  started as root with user = nobody and a root-owned 0600 key, every thread
#               of the running milter has nobody's uid and gid in all four fields, no other
#               group, no capability, and that identity cannot read the key file
# Prints ok/not ok lines and a count.  Exit 0 all passed, 1 a check failed, 77 skipped
# (miltertest missing; keys and privileges need root, setpriv and the nobody account).
set -u
[ $# -eq 3 ] || { echo "usage: $0 oracle|keys|privileges BUILD PKI" >&2; exit 2; }
part=$1
case $part in
    oracle) command -v miltertest >/dev/null || { echo "skip: miltertest not installed"; exit 77; } ;;
    keys | privileges)
        [ "$(id -u)" -eq 0 ] || { echo "skip: needs root (chown, the milter's drop to nobody)"; exit 77; }
        getent passwd nobody >/dev/null || { echo "skip: no account nobody"; exit 77; } ;;
esac
build=$(cd "$2" && pwd) pki=$(cd "$3" && pwd)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
milter=$build/milter/eseal-milter
[ -x "$milter" ] || { echo "$0: $milter not built" >&2; exit 1; }
work=$(mktemp -d /tmp/eseal-oracle.XXXXXX)
chmod 755 "$work"
milter_pid=
cleanup() {
    if [ -n "$milter_pid" ]; then
        kill "$milter_pid" 2>/dev/null
        wait "$milter_pid" 2>/dev/null
    fi
    rm -rf "$work"
}
trap cleanup EXIT
failed=0 passed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }
skip() { echo "skip: $*"; exit 77; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# conf KEY [EXTRA]: write $work/eseal.conf for the seal key KEY.
conf() {
    cat >"$work/eseal.conf" <<CONF
socket           = "inet:$port@127.0.0.1"
authserv_id      = mx.test
internal_hosts   = {127.0.0.0/8, "::1"}
outbound_daemons = {ORIGINATING}
user             = nobody
seal example.com {
  key         = $1
  certificate = $work/seal-chain.pem
  ${2:-}
}
verify {
  trust_anchors = $work/trust.pem
}
CONF
    chmod 644 "$work/eseal.conf"
}
install -m 644 "$pki/seal-ec-chain.pem" "$work/seal-chain.pem"
install -m 644 "$pki/trust.pem" "$work/trust.pem"

# wait_listening: the milter accepts connections within 10 s.
wait_listening() {
    local _
    for _ in $(seq 50); do
        python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null &&
            return 0
        kill -0 "$milter_pid" 2>/dev/null || return 1
        sleep 0.2
    done
    return 1
}

oracle() {
    install -m 600 "$pki/seal-ec.key" "$work/seal.key"
    [ "$(id -u)" -eq 0 ] && chown nobody "$work/seal.key"
    conf "$work/seal.key"
    mkdir "$work/msg"
    python3 "$here/../milter/make-messages.py" "$work/msg"
    "$milter" -f -c "$work/eseal.conf" 2>"$work/milter.log" &
    milter_pid=$!
    wait_listening || { not_ok "the milter does not listen: $(cat "$work/milter.log")"; return; }
    local out
    out=$(miltertest -s "$here/oracle.lua" -D socket="inet:$port@127.0.0.1" \
        -D msgdir="$work/msg" -D common="$here/../milter/common.lua" 2>&1)
    local rc=$?
    passed=$((passed + $(grep -c '^ok ' <<<"$out")))
    failed=$((failed + $(grep -c '^not ok ' <<<"$out")))
    echo "$out"
    if [ $rc -ne 0 ] && ! grep -q '^not ok ' <<<"$out"; then
        not_ok "miltertest exit $rc (a script error, or the milter answered what the script did not expect)"
    fi
    kill -0 "$milter_pid" 2>/dev/null && ok "the milter is still running" ||
        not_ok "the milter died: $(cat "$work/milter.log")"
}

# refused WHAT: eseal-milter -n exits non-zero and says TEXT.
refused() {
    local what=$1 text=$2 out rc
    out=$("$milter" -n -c "$work/eseal.conf" 2>&1)
    rc=$?
    if [ $rc -ne 0 ] && [[ $out == *"$text"* ]]; then
        ok "$what: refused (exit $rc: $(head -n 1 <<<"$out"))"
    elif [ $rc -ne 0 ]; then
        not_ok "$what: refused, but the message does not say '$text': $out"
    else
        not_ok "$what: ACCEPTED: $out"
    fi
}

accepted() {
    local what=$1 out rc
    out=$("$milter" -n -c "$work/eseal.conf" 2>&1)
    rc=$?
    if [ $rc -eq 0 ]; then ok "$what: accepted"; else not_ok "$what: refused: $out"; fi
}

keys() {
    local k=$work/seal.key other
    conf "$k"
    install -m 600 -o root "$pki/seal-ec.key" "$k"
    accepted "key root:root 0600"
    chown nobody "$k"
    accepted "key owned by user (nobody) 0600"
    chown root "$k"
    chmod 644 "$k"
    refused "key mode 0644 (readable by all)" "0644"
    chmod 640 "$k"
    refused "key mode 0640 (readable by its group)" "0640"
    chmod 604 "$k"
    refused "key mode 0604 (readable by others)" "0604"
    chmod 602 "$k"
    refused "key mode 0602 (writable by others)" "0602"
    chmod 600 "$k"
    # owned by an account that is neither root nor the milter's user
    other=$(getent passwd daemon >/dev/null && echo daemon || echo 12345)
    chown "$other" "$k"
    refused "key owned by $other, mode 0600" "owned by"
    chown 54321:54321 "$k"
    refused "key owned by uid 54321 (no account), mode 0600" "owned by"
    chown root:root "$k"
    # a symbolic link to a world-readable copy: the file itself is checked
    install -m 644 "$pki/seal-ec.key" "$work/world.key"
    ln -sf "$work/world.key" "$work/link.key"
    conf "$work/link.key"
    refused "key is a symlink to a 0644 file" "0644"
    # an encrypted key whose passphrase file others can read
    install -m 600 "$pki/seal-rsa-enc.key" "$work/enc.key"
    install -m 644 "$pki/seal.pass" "$work/seal.pass"
    install -m 644 "$pki/seal-rsa-chain.pem" "$work/seal-chain.pem"
    conf "$work/enc.key" "passphrase_file = $work/seal.pass"
    refused "passphrase file mode 0644" "0644"
    chmod 600 "$work/seal.pass"
    accepted "the same with the passphrase file 0600"
    chown 54321 "$work/seal.pass"
    refused "passphrase file owned by uid 54321" "owned by"
    install -m 644 "$pki/seal-ec-chain.pem" "$work/seal-chain.pem"
}

# field NAME STATUS_FILE: the values of a /proc status line.
field() { sed -n "s/^$1:[[:space:]]*//p" "$2" | tr -s ' \t' ' ' | sed 's/ $//'; }

privileges() {
    command -v setpriv >/dev/null || skip "setpriv not installed (util-linux)"
    local k=$work/seal.key uid gid group t st
    uid=$(id -u nobody) gid=$(id -g nobody)
    group=$(getent group "$gid" | cut -d: -f1)
    install -m 600 -o root -g root "$pki/seal-ec.key" "$k"
    conf "$k"
    "$milter" -f -c "$work/eseal.conf" 2>"$work/milter.log" &
    milter_pid=$!
    wait_listening || { not_ok "the milter does not listen: $(cat "$work/milter.log")"; return; }
    sleep 0.5
    local n=0 bad=0
    for st in /proc/"$milter_pid"/task/*/status; do
        n=$((n + 1))
        t=$(basename "$(dirname "$st")")
        [ "$(field Uid "$st")" = "$uid $uid $uid $uid" ] ||
            { bad=1; not_ok "thread $t: Uid $(field Uid "$st"), want $uid in all four"; }
        [ "$(field Gid "$st")" = "$gid $gid $gid $gid" ] ||
            { bad=1; not_ok "thread $t: Gid $(field Gid "$st"), want $gid in all four"; }
        case "$(field Groups "$st")" in
            "" | "$gid") ;;
            *) bad=1; not_ok "thread $t: supplementary groups $(field Groups "$st")" ;;
        esac
        [ "$(field CapEff "$st")" = 0000000000000000 ] && [ "$(field CapPrm "$st")" = 0000000000000000 ] ||
            { bad=1; not_ok "thread $t: capabilities CapPrm $(field CapPrm "$st") CapEff $(field CapEff "$st")"; }
    done
    [ $bad -eq 0 ] && ok "all $n threads: Uid $uid x4, Gid $gid x4, groups '$(field Groups /proc/$milter_pid/status)', no capabilities"
    if setpriv --reuid="$uid" --regid="$gid" --clear-groups cat "$k" >/dev/null 2>&1; then
        not_ok "user nobody (gid $group) can read the key file $k"
    else
        ok "the milter's identity (uid $uid, gid $gid, no groups) cannot read the key file"
    fi
    # the same with the groups the process really has
    local groups
    groups=$(field Groups /proc/"$milter_pid"/status | tr ' ' ',')
    if setpriv --reuid="$uid" --regid="$gid" ${groups:+--groups="$groups"} ${groups:---clear-groups} \
        cat "$k" >/dev/null 2>&1; then
        not_ok "with its supplementary groups ($groups) it can read the key"
    else
        ok "nor with its own supplementary groups ('$groups')"
    fi
    # its open files: the key is not kept open
    local fd open_key=
    for fd in /proc/"$milter_pid"/fd/*; do
        [ "$(readlink "$fd")" = "$k" ] && open_key=$fd
    done
    if [ -n "$open_key" ]; then
        not_ok "the key file is still open in the milter: $open_key"
    else
        ok "no descriptor of the key file is left open"
    fi
    kill -TERM "$milter_pid"
    if wait "$milter_pid"; then ok "SIGTERM: clean exit"; else not_ok "SIGTERM: exit $?"; fi
    milter_pid=
}

case $part in
    oracle) oracle ;;
    keys) keys ;;
    privileges) privileges ;;
    *) echo "usage: $0 oracle|keys|privileges BUILD PKI" >&2; exit 2 ;;
esac
echo "$part: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
