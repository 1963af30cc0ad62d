# shellcheck shell=bash
# lib-responders.sh -- start and stop the test TSA and OCSP responders.
# Source it from a test script (bash, set -euo pipefail is fine):
#
#   . "$src/tests/pki/lib-responders.sh"
#   trap 'responders_stop; rm -rf "$work"' EXIT
#   tsa_start "$pki" "$work"            # TSA_URL=http://127.0.0.1:PORT/, TSA_PID
#   ocsp_start "$pki" "$work" [PORT]    # OCSP_URL=http://127.0.0.1:PORT/, OCSP_PID
#
# PKI is a directory made by make-pki.sh, WORKDIR a writable scratch directory
# (tsa.port, tsa.log, ocsp.log and the TSA's temporary files go there).  Call
# the functions in the test's own shell, not in $(...) or a pipeline: the
# responders must be children of the shell that later calls responders_stop.
# Being children, they also make a bare `wait` hang: wait for your own PIDs.
# Each start fails (status 1, the responder's log on stderr) if the responder
# is not up within 10 s.
#
# TSA paths (tsa-server.py): "" normal, slow (30 s), garbage (non-DER 200),
# error (500), flaky (503 on odd requests), GET count (POSTs so far).
#
# OCSP: `openssl ocsp` answers for the certificates inter-ca issued, from
# work/inter-ca/index.txt (`revoked` is revoked), signed by ocsp-signer, with
# nextUpdate one day ahead; any request path, POST or GET (RFC 6960 A.1).  It
# logs one "Received request" line per request to WORKDIR/ocsp.log.  Quirks of
# the OpenSSL 3.0 responder that matter to tests:
#  - it listens on all interfaces ([::]:PORT, dual stack): -port takes only a
#    number.  It serves one request at a time.
#  - never probe its port with a bare connect (nc -z, /dev/tcp, a client that
#    gives up before sending the request line): a connection closed before
#    its first line wedges it in a busy loop for good (openssl issue #31129).
#    Readiness is therefore taken from its "waiting for ..." log line.
#  - without -ignore_err the first malformed request (even `GET /`) makes it
#    exit; with it, such requests get an OCSP malformedRequest answer.
# seal-aia.pem's AIA names http://127.0.0.1:39217/: use `ocsp_start PKI WORK
# 39217` for tests that follow it (one such test at a time).

_responders_lib=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)

# True while PID runs.  A child that exited but was not reaped yet is a
# zombie, which `kill -0` still reports as present; /proc tells them apart.
_responders_alive() { # PID
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) }
    [ "${stat%% *}" != Z ]
}

# Stop PID (SIGTERM, SIGKILL after 5 s) and reap it if it is our child.
_responders_kill() { # PID
    local pid=$1
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do
        _responders_alive "$pid" || break
        sleep 0.1
    done
    if _responders_alive "$pid"; then
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

# Give up on a responder that did not come up: show why, leave nothing behind.
_responders_fail() { # WHAT PID LOG
    echo "lib-responders: $1 did not start; its log ($3):" >&2
    cat -- "$3" >&2 2>/dev/null || true
    _responders_kill "$2"
}

tsa_start() { # PKI_DIR WORKDIR
    local pki portfile log pid port
    pki=$(cd -- "$1" && pwd) || return 1
    portfile=$2/tsa.port log=$2/tsa.log
    if [ -n "${TSA_PID:-}" ] && _responders_alive "$TSA_PID"; then
        echo "lib-responders: the TSA is already running (pid $TSA_PID)" >&2
        return 1
    fi
    rm -f -- "$portfile"
    python3 "$_responders_lib/tsa-server.py" "$pki" "$portfile" \
        </dev/null >"$log" 2>&1 &
    pid=$!
    # The server writes the port file (atomically) once it is listening.
    for _ in $(seq 100); do
        [ -s "$portfile" ] && break
        _responders_alive "$pid" || break
        sleep 0.1
    done
    if [ ! -s "$portfile" ]; then
        _responders_fail "tsa-server.py" "$pid" "$log"
        return 1
    fi
    port=$(cat -- "$portfile")
    export TSA_PID=$pid TSA_URL="http://127.0.0.1:$port/"
}

ocsp_start() { # PKI_DIR WORKDIR [PORT]
    local pki port log pid
    pki=$(cd -- "$1" && pwd) || return 1
    port=${3:-} log=$2/ocsp.log
    if [ -n "${OCSP_PID:-}" ] && _responders_alive "$OCSP_PID"; then
        echo "lib-responders: the OCSP responder is already running (pid $OCSP_PID)" >&2
        return 1
    fi
    if [ -z "$port" ]; then
        # A free port now; the small race until openssl binds it is accepted.
        port=$(python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()') || return 1
    fi
    # -ndays 1: responses carry nextUpdate (without -ndays/-nmin they have
    # none).  -ignore_err: see the header.
    openssl ocsp -index "$pki/work/inter-ca/index.txt" -port "$port" \
        -rsigner "$pki/ocsp-signer.pem" -rkey "$pki/ocsp-signer.key" \
        -CA "$pki/inter-ca.pem" -ndays 1 -ignore_err \
        </dev/null >"$log" 2>&1 &
    pid=$!
    # Printed right after listen(); see the header for why there is no probe.
    for _ in $(seq 100); do
        grep -q 'waiting for OCSP client connections' "$log" 2>/dev/null && break
        _responders_alive "$pid" || break
        sleep 0.1
    done
    if ! grep -q 'waiting for OCSP client connections' "$log" 2>/dev/null \
        || ! _responders_alive "$pid"; then
        _responders_fail "openssl ocsp (port $port)" "$pid" "$log"
        return 1
    fi
    export OCSP_PID=$pid OCSP_URL="http://127.0.0.1:$port/"
}

# Stop whichever responders run; safe to call again or when none was started.
# TSA_URL and OCSP_URL stay set: they then name a port nobody listens on, which
# is what unreachable-responder checks want.
responders_stop() {
    if [ -n "${TSA_PID:-}" ]; then
        _responders_kill "$TSA_PID"
    fi
    if [ -n "${OCSP_PID:-}" ]; then
        _responders_kill "$OCSP_PID"
    fi
    unset TSA_PID OCSP_PID
    return 0
}
