#!/usr/bin/env bash
# stress-test.sh BUILD_DIR -- no lost mail under load and milter crashes (issue 6, item 4).
#
# A private Postfix on 127.0.0.1 with eseal-milter (milter_default_action = tempfail), set
# up as for postfix-test.sh (lib-postfix.sh).  stress.py sends ESEAL_STRESS_COUNT messages
# (default 2000) from ESEAL_STRESS_CLIENTS concurrent clients (default 20), each with a unique
# Message-ID: outbound sealable, outbound excluded by the Article 3 policy, inbound sealed,
# inbound tampered and malformed (see stress.py).  When a third and two thirds of them are
# done, the milter is killed with SIGKILL, left down for a second and started again with the
# same configuration; clients that get a 4xx meanwhile retry.  Then, once Postfix's queue is
# empty, stress.py checks that every message was delivered exactly once, every outbound seal
# verifies (`eseal verify`, `openssl cms -verify`), no excluded attachment was sealed and
# every inbound verdict is right, and prints the counts.
# Prints `ok -`/`not ok -` lines and `e2e: N passed, M failed`; exit 0 when every check
# passed, 1 when one failed, 77 when Postfix cannot be run here (see postfix-test.sh).
# Only 127.0.0.1 and 127.0.0.2 are used.  Environment as for postfix-test.sh
# (ESEAL_E2E_KEEP, ESEAL_E2E_VALGRIND: slow, use a small ESEAL_STRESS_COUNT).
set -euo pipefail

here=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=lib-postfix.sh
. "$here/lib-postfix.sh"
count=${ESEAL_STRESS_COUNT:-2000}
clients=${ESEAL_STRESS_CLIENTS:-20}
no_milter= # ESEAL_E2E_NO_MILTER does not apply: the milter is what is tested

e2e_init "$@"
[ -x "$eseal_bin" ] || { echo "not ok - $eseal_bin not built"; echo "e2e: 0 passed, 1 failed"; exit 1; }
e2e_pki
# Postfix tuned for a burst: enough smtpd processes for every client, deliveries in parallel.
e2e_main_cf_extra="default_process_limit = 100
smtpd_client_connection_count_limit = 0
virtual_destination_concurrency_limit = 20
smtpd_timeout = 120s"
e2e_postfix_start warm out excl insealed intampered malformed
e2e_milter_config
e2e_milter_start_or_exit

# ---------------------------------------------------------------- send, with two crashes
start=$SECONDS
python3 "$here/stress.py" send "$SPORT" "$W" "$count" "$clients" >"$W/send.log" 2>&1 &
sender_pid=$!
e2e_children=$sender_pid
kills=0
progress() { cat "$W/progress" 2>/dev/null || echo 0; }
for at in $((count / 3)) $((count * 2 / 3)); do
    while kill -0 "$sender_pid" 2>/dev/null && [ "$(progress)" -lt "$at" ]; do sleep 0.1; done
    kill -0 "$sender_pid" 2>/dev/null || break
    done_now=$(progress)
    e2e_kill_milter KILL
    kills=$((kills + 1))
    echo "# $done_now messages done: eseal-milter killed (SIGKILL, status $milter_rc)"
    sleep 1
    t0=$EPOCHREALTIME
    if e2e_milter_start; then
        echo "# eseal-milter restarted, listening after $(awk -v a="$t0" -v b="$EPOCHREALTIME" \
            'BEGIN { printf "%.2f", b - a }') s"
    else
        not_ok "eseal-milter not listening again after the kill ($milter_why)"
        break
    fi
done
send_rc=0
wait "$sender_pid" || send_rc=$?
e2e_children=
cat "$W/send.log"
failed=$((failed + $(grep -c '^not ok -' "$W/send.log" || true)))
if [ "$send_rc" -eq 0 ]; then ok "stress.py sent $count messages"
else not_ok "stress.py send exited $send_rc"; fi
if [ "$kills" -eq 2 ]; then ok "eseal-milter killed with SIGKILL twice during the run and restarted"
else not_ok "eseal-milter killed $kills times (the run ended before the kills)"; fi

# ---------------------------------------------------------------- drain the queue
queued() { find "$W/spool/incoming" "$W/spool/active" "$W/spool/deferred" "$W/spool/maildrop" \
    "$W/spool/hold" -type f 2>/dev/null | grep -c '' || true; }
for _ in $(seq 600); do [ "$(queued)" -eq 0 ] && break; sleep 0.1; done
n=$(queued)
if [ "$n" -eq 0 ]; then ok "Postfix's queue is empty (every accepted message delivered or bounced)"
else not_ok "$n messages still in Postfix's queue 60 s after the run"; fi
sending_s=$((SECONDS - start))

# ---------------------------------------------------------------- check what arrived
set +e
python3 "$here/stress.py" check "$W" "$eseal_bin" "$pki/trust.pem" "$pki/crl" >"$W/check.log" 2>&1
check_rc=$?
set -e
cat "$W/check.log"
p=$(grep -c '^ok -' "$W/check.log" || true) f=$(grep -c '^not ok -' "$W/check.log" || true)
passed=$((passed + p)) failed=$((failed + f))
[ "$check_rc" -eq 0 ] || [ "$f" -gt 0 ] || not_ok "stress.py check exited $check_rc"
echo "# send and delivery: ${sending_s}s; whole test: ${SECONDS}s"

# ---------------------------------------------------------------- nothing left behind
# A PDF reader lives at most its time budget (5 s); one whose milter was killed meanwhile has
# nobody left to kill it.
for _ in $(seq 70); do [ -z "$(e2e_strays)" ] && break; sleep 0.1; done
strays=$(e2e_strays)
if [ -z "$strays" ]; then ok "no process of the killed milters left running"
else
    not_ok "$(grep -c '' <<<"$strays") processes of the killed milters still running (PDF readers spawned before the SIGKILL): $(for p in $strays; do
        printf '%s (parent %s, %s) ' "$p" "$(awk '{ print $4 }' "/proc/$p/stat" 2>/dev/null)" \
            "$(cat "/proc/$p/wchan" 2>/dev/null)"; done)"
fi

e2e_milter_stop_clean
e2e_finish
