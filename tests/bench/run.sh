#!/usr/bin/env bash
# run.sh [BUILD] - the performance benchmark (a benchmark, not a test: it asserts nothing and
# prints numbers).  On this machine, in one run:
#   1. eseal-milter sealing three kinds of message (one 100 KB PDF, one 1 MB DOCX, five 20 KB
#      attachments; RSA-2048 seal) through tests/bench/milter-load at 1, 4 and 16
#      connections over a unix socket, and at 1 and 16 over TCP on 127.0.0.1;
#   2. OpenDKIM (Debian package opendkim) signing the same messages with an RSA-2048 key
#      through the same driver;
#   3. the floor: seal-floor, the decode + hash + one signature + encode of the same
#      attachments in one process;
#   4. inbound verification of eseal's sealed output;
#   5. peak RSS of a fresh eseal-milter sealing one message with a 1, 10 and 50 MiB
#      attachment, and with a 50 MiB PDF (sealed in place);
#   6. through a real Postfix (smtp-source, one SMTP session, transport discard): no milter,
#      eseal over a unix socket and over TCP, OpenDKIM over TCP.
# BUILD must be configured with -DESEAL_BENCH=ON (`./dev bench` builds build-bench so).  Needs root (Postfix,
# the milters' users); installs opendkim and postfix with apt-get when missing.
# Environment: ESEAL_BENCH_MESSAGES (default 200) messages per driver run.
set -euo pipefail
here=$(cd -- "$(dirname -- "$0")/../e2e" && pwd -P) # lib-postfix.sh's directory
build_arg=${1:-build}
messages=${ESEAL_BENCH_MESSAGES:-200}

# shellcheck source=../e2e/lib-postfix.sh
. "$here/lib-postfix.sh"
e2e_init "$build_arg"
load=$build/tests/milter-load
floor=$build/tests/seal-floor
[ -x "$load" ] && [ -x "$floor" ] || {
    echo "run.sh: $load or $floor missing: configure $build with -DESEAL_BENCH=ON" >&2
    exit 2
}
if ! command -v opendkim >/dev/null; then
    echo "# installing opendkim"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends opendkim \
        >"$W/apt-opendkim.log" 2>&1 ||
        { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
            --no-install-recommends opendkim; } >>"$W/apt-opendkim.log" 2>&1
fi
export PATH=$PATH:/usr/sbin

echo "# machine: $(nproc) CPUs, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1)"
echo "# eseal $(git -C "$src" describe --always --dirty 2>/dev/null || echo '?'), $(opendkim -V | head -n1)"
echo "# $messages messages a driver run; work dir $W"

# ------------------------------------------------------------------ material
"$src/tests/pki/make-pki.sh" "$pki_src" >/dev/null
mkdir -p "$W/pki" "$W/msgs"
cp "$pki_src/seal-rsa2048.key" "$pki_src/seal-rsa2048-chain.pem" "$pki_src/trust.pem" "$W/pki/"
chmod 600 "$W/pki/seal-rsa2048.key"
python3 "$src/tests/bench/make-messages.py" "$W/msgs"
kinds=(pdf100k docx1m five20k)

eseal_conf() { # SOCKET USER -> $W/eseal.conf
    cat >"$W/eseal.conf" <<EOF
socket         = "$1"
authserv_id    = mx.test
internal_hosts = {127.0.0.1/32}
user           = $2
on_error       = tempfail
max_message_size = 100M
policy_files   = {"$src/policy/article3.policy", "$src/policy/contracts.policy"}
seal example.com {
  key         = "$W/pki/seal-rsa2048.key"
  certificate = "$W/pki/seal-rsa2048-chain.pem"
}
verify {
  trust_anchors = "$W/pki/trust.pem"
}
EOF
    chmod 600 "$W/eseal.conf"
}

# wait_socket NAME SOCKET LOG: wait up to 5 s until a milter listens on SOCKET (unix:PATH,
# local:PATH or inet:PORT@HOST); else show LOG and end the run
wait_socket() {
    local p=${2#*:}
    for _ in $(seq 100); do
        case $2 in
            unix:* | local:*) [ -S "$p" ] && return 0 ;;
            inet:*) listening "${p%@*}" && return 0 ;;
        esac
        sleep 0.05
    done
    echo "run.sh: $1 did not start" >&2
    cat "$3" >&2
    exit 1
}

stop_pid() { # PID: SIGTERM and reap
    kill -TERM "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

eseal_start() { # SOCKET USER: start eseal-milter, wait for its socket
    eseal_conf "$1" "$2"
    case $1 in unix:*) rm -f "${1#unix:}" ;; esac
    "$milter_bin" -f -c "$W/eseal.conf" >>"$W/milter.log" 2>&1 &
    milter_pid=$!
    wait_socket eseal-milter "$1" "$W/milter.log"
}

eseal_stop() {
    stop_pid "$milter_pid"
    milter_pid=
}

opendkim_pid=''
e2e_children=''
opendkim_start() { # SOCKET (local:PATH or inet:PORT@127.0.0.1)
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$W/dkim.key" 2>/dev/null
    chmod 600 "$W/dkim.key"
    cat >"$W/opendkim.conf" <<EOF
Domain           example.com
Selector         bench
KeyFile          $W/dkim.key
Mode             s
Socket           $1
InternalHosts    127.0.0.1
Canonicalization relaxed/simple
Syslog           no
RequireSafeKeys  false
PidFile          $W/opendkim.pid
EOF
    opendkim -f -x "$W/opendkim.conf" >>"$W/opendkim.log" 2>&1 &
    opendkim_pid=$!
    e2e_children="$e2e_children $opendkim_pid"
    wait_socket opendkim "$1" "$W/opendkim.log"
}

opendkim_stop() {
    stop_pid "$opendkim_pid"
    opendkim_pid=
}

# drive LABEL SOCKET CONNECTIONS ARGS... -> one table row, saved in $W/rows
drive() {
    local label=$1 socket=$2 c=$3
    shift 3
    "$load" -s "$socket" -c "$c" -n "$messages" "$@" >"$W/load.out" 2>&1 || {
        echo "run.sh: milter-load failed ($label)" >&2
        cat "$W/load.out" >&2
        exit 1
    }
    awk -v l="$label" -v c="$c" '
        /^messages\/s/ { r = $2 }
        /^MB\/s/ { mb = $2 }
        /^latency ms/ { p50 = $4; p95 = $6; p99 = $8 }
        END { printf "%-34s %3d %9.1f %8.2f %8.2f %8.2f %8.2f\n", l, c, r, mb, p50, p95, p99 }' \
        "$W/load.out" | tee -a "$W/rows"
}

# drive_kinds LABEL SOCKET "CONNECTIONS..." DIRECTION FILE: drive each kind of message at each
# number of connections; FILE is a printf pattern of the message's path (%s: the kind)
drive_kinds() {
    local k c
    for k in "${kinds[@]}"; do
        for c in $3; do
            # shellcheck disable=SC2059 # the pattern is ours
            drive "$1 $k" "$2" "$c" "$4" "$(printf "$5" "$k")"
        done
    done
}

rate() { # LABEL CONNECTIONS -> messages/s of that row
    awk -v l="$1" -v c="$2" 'substr($0, 1, 34) ~ "^" l " *$" && $(NF - 5) == c { print $(NF - 4) }' \
        "$W/rows"
}

header() {
    printf '\n%-34s %3s %9s %8s %8s %8s %8s\n' "$1" conn msg/s MB/s p50ms p95ms p99ms
}

# ------------------------------------------------------------------ 1-4: the driver
: >"$W/rows"
header "sealing (milter-load)"
eseal_start "unix:$W/eseal.sock" nobody
drive_kinds "eseal unix" "unix:$W/eseal.sock" "1 4 16" --outbound "$W/msgs/%s.eml"
mkdir -p "$W/sealed"
for k in "${kinds[@]}"; do
    mkdir -p "$W/sealed/$k"
    "$load" -s "unix:$W/eseal.sock" -n 1 --save "$W/sealed/$k" "$W/msgs/$k.eml" >/dev/null
done
header "inbound verification (milter-load)"
drive_kinds "eseal inbound" "unix:$W/eseal.sock" "1 4" --inbound "$W/sealed/%s/0.eml"
eseal_stop
eseal_start "inet:$MPORT@127.0.0.1" nobody
header "sealing over TCP (milter-load)"
drive_kinds "eseal tcp" "inet:$MPORT@127.0.0.1" "1 16" --outbound "$W/msgs/%s.eml"
eseal_stop

header "OpenDKIM signing (milter-load)"
opendkim_start "local:$W/opendkim.sock"
drive_kinds "opendkim unix" "unix:$W/opendkim.sock" "1 4 16" --outbound "$W/msgs/%s.eml"
opendkim_stop

echo
echo "floor (seal-floor: decode, SHA-256, one RSA-2048 signature, encode; one process)"
for k in "${kinds[@]}"; do
    printf '%-10s ' "$k"
    "$floor" "$W/pki/seal-rsa2048.key" 2000 "$W/msgs/parts/$k"/* | tee "$W/floor-$k"
done

echo
echo "ratios"
printf '%-10s %4s %12s %12s %12s %18s\n' message conn eseal/odkim "eseal msg/s" "odkim msg/s" \
    "eseal/floor time"
for k in "${kinds[@]}"; do
    f=$(awk '{ print $7 }' "$W/floor-$k")
    for c in 1 4 16; do
        e=$(rate "eseal unix $k" "$c") o=$(rate "opendkim unix $k" "$c")
        awk -v k="$k" -v c="$c" -v e="$e" -v o="$o" -v f="$f" 'BEGIN {
            printf "%-10s %4d %12.2f %12.1f %12.1f %18s\n", k, c, e / o, e, o,
                c == 1 ? sprintf("%.1f", f / e) : "" }'
    done
done

# ------------------------------------------------------------------ 5: peak RSS
echo
echo "peak RSS of eseal-milter sealing one message (fresh process; VmHWM)"
for m in big-1 big-10 big-50 bigpdf-50; do
    eseal_start "unix:$W/eseal.sock" nobody
    "$load" -s "unix:$W/eseal.sock" -n 1 --outbound "$W/msgs/$m.eml" >"$W/load.out"
    hwm=$(awk '/^VmHWM/ { print $2 }' "/proc/$milter_pid/status")
    ms=$(awk '/^latency ms/ { print $4 }' "$W/load.out")
    size=$(stat -c %s "$W/msgs/$m.eml")
    printf '%-10s message %6.1f MB  peak RSS %6.1f MB  %8.1f ms\n' "$m" \
        "$(echo "$size / 1048576" | bc -l)" "$(echo "$hwm / 1024" | bc -l)" "$ms"
    eseal_stop
done

# ------------------------------------------------------------------ 6: through Postfix
echo
echo "through Postfix (smtp-source, 1 session, 100 messages of pdf100k, transport discard)"
e2e_main_cf_extra='virtual_transport = discard:'
e2e_postfix_start bob >/dev/null
tr -d '\r' <"$W/msgs/pdf100k.eml" >"$W/pdf100k.lf"
smtp_run() { # LABEL MILTER
    postconf -c "$pf" -e "smtpd_milters = $2" "milter_default_action = tempfail"
    postfix -c "$pf" reload >/dev/null 2>&1
    sleep 1
    local t0 t1
    t0=$(date +%s.%N)
    smtp-source -s 1 -m 100 -F "$W/pdf100k.lf" -f sales@example.com -t bob@example.org \
        "127.0.0.1:$SPORT"
    t1=$(date +%s.%N)
    awk -v l="$1" -v a="$t0" -v b="$t1" \
        'BEGIN { printf "%-30s %7.2f s  %7.1f ms/message\n", l, b - a, (b - a) * 10 }'
}
smtp_run "no milter" ""
eseal_start "unix:$W/eseal-pf.sock" postfix
smtp_run "eseal unix socket" "unix:$W/eseal-pf.sock"
eseal_stop
eseal_start "inet:$MPORT@127.0.0.1" nobody
smtp_run "eseal inet 127.0.0.1" "inet:127.0.0.1:$MPORT"
eseal_stop
opendkim_start "inet:$MPORT@127.0.0.1"
smtp_run "opendkim inet 127.0.0.1" "inet:127.0.0.1:$MPORT"
opendkim_stop
rejected=$(grep -c 'milter-reject\|reject:' "$W/maillog" || true)
echo "# Postfix log: $rejected rejections, $(grep -c 'status=sent' "$W/maillog" || true) delivered (discard)"
finished=1
