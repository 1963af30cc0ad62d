# shellcheck shell=bash disable=SC2034,SC2154  # variables shared with the sourcing script
# lib-postfix.sh -- sourced by the end-to-end scripts (postfix-test.sh, stress-test.sh,
# custody-test.sh): a private Postfix instance on 127.0.0.1 with eseal-milter as its milter.
#
# The caller sets `here` (this directory), sources this file, then calls, in order:
#   e2e_init BUILD_DIR      paths, the EXIT trap, the prerequisites (root, postfix and swaks
#                           installed with apt-get when missing), the work dir $W, two free
#                           ports $SPORT (SMTP) and $MPORT (milter)
#   e2e_pki                 the test PKI copied to $pki as in a deployment
#   e2e_postfix_start USER...  Postfix on 127.0.0.1:$SPORT delivering USER@example.org to
#                           the maildir $W/mail/USER/Maildir; $e2e_main_cf_extra is appended
#                           to main.cf
#   e2e_milter_config       $W/eseal.conf (seal example.com, verify, Article 3 policy)
#   e2e_milter_start        start eseal-milter, wait until it listens (0) or say why not (1)
#   e2e_milter_stop_clean   SIGTERM, expect exit 0; under valgrind also check its log
# and ends with e2e_finish.  ok/not_ok count checks; on exit every server started is stopped.
# Checks of delivered mail (send, delivered, hdrs, expect_eq, expect_re, attachment_hdr, ...)
# are at the end.
#
# Environment: ESEAL_E2E_KEEP=1 keeps the work dir (it is also kept on failure);
# ESEAL_E2E_VALGRIND=1 runs the milter under valgrind (memcheck: definite leaks and invalid
# accesses are errors) with Postfix's milter time-outs raised to match; ESEAL_E2E_MILTER
# names the eseal-milter to run (default: the build's).

src=$(cd -- "$here/../.." && pwd -P)
export PATH=$PATH:/usr/sbin:/sbin
export LC_ALL=C.UTF-8

passed=0 failed=0 W='' pf='' milter_pid='' pf_started='' SPORT='' MPORT='' finished=''
e2e_children='' # more processes of the caller to stop at exit (pids)
no_milter=${ESEAL_E2E_NO_MILTER:-}
valgrind=${ESEAL_E2E_VALGRIND:-}
[ "$valgrind" = 0 ] && valgrind=
e2e_main_cf_extra=''
# seconds to wait for the milter to listen, to stop on SIGTERM, for a client's SMTP reply
if [ -n "$valgrind" ]; then
    e2e_start_wait=120 e2e_stop_wait=120 e2e_smtp_timeout=300
else
    e2e_start_wait=10 e2e_stop_wait=5 e2e_smtp_timeout=30
fi

ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }
skip() { echo "e2e: skipped: $*"; exit 77; }
mt() { python3 "$here/mailtool.py" "$@"; }
indent() { sed 's/^/#   /'; }

dump_logs() {
    echo "# ---- postfix maillog ($W/maillog)"
    indent <"$W/maillog" 2>/dev/null
    if [ -z "$no_milter" ]; then
        echo "# ---- eseal-milter stderr ($W/milter.log)"
        indent <"$W/milter.log" 2>/dev/null
    fi
    return 0
}

# e2e_kill_milter SIGNAL: send SIGNAL to the milter and reap it; its exit status in $milter_rc.
e2e_kill_milter() {
    milter_rc=0
    kill -"$1" "$milter_pid" 2>/dev/null
    wait "$milter_pid" 2>/dev/null || milter_rc=$?
    milter_pid=
}

# e2e_gone PID: wait up to $e2e_stop_wait s for PID to end; 0 when it did.
e2e_gone() {
    for _ in $(seq $((e2e_stop_wait * 10))); do
        kill -0 "$1" 2>/dev/null || return 0
        sleep 0.1
    done
    ! kill -0 "$1" 2>/dev/null
}

# ---------------------------------------------------------------- cleanup at exit
e2e_cleanup() {
    local rc=$?
    set +e
    if [ -z "$finished" ] && [ "$rc" -ne 77 ] && [ "$rc" -ne 2 ] && [ -n "$W" ]; then
        not_ok "the test script stopped early (exit $rc)"
        dump_logs
        echo "e2e: $passed passed, $failed failed"
        rc=1
    fi
    local pid
    for pid in $e2e_children; do kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
    if [ -n "$pf_started" ]; then
        postfix -c "$pf" stop >/dev/null 2>&1
        # postfix stop waits for master; be sure nothing of the instance survives.
        local mpid
        mpid=$(sed -n '1s/ //gp' "$W/spool/pid/master.pid" 2>/dev/null)
        if [ -n "$mpid" ] && kill -0 "$mpid" 2>/dev/null; then kill -KILL "$mpid"; fi
    fi
    if [ -n "$milter_pid" ] && kill -0 "$milter_pid" 2>/dev/null; then
        kill -TERM "$milter_pid"
        if ! e2e_gone "$milter_pid"; then
            echo "# eseal-milter did not stop within $e2e_stop_wait s of SIGTERM; killed" >&2
            kill -KILL "$milter_pid"
        fi
        wait "$milter_pid" 2>/dev/null
    fi
    for pid in $(e2e_strays); do kill -KILL "$pid" 2>/dev/null; done
    if [ -n "$W" ] && [ -d "$W" ]; then
        if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ] || [ -n "${ESEAL_E2E_KEEP:-}" ]; then
            echo "# work dir kept: $W" >&2
        else
            rm -rf -- "$W"
        fi
    fi
    exit "$rc"
}

# e2e_strays: the pids of processes started with this test's milter configuration other than
# the running milter (the PDF readers a killed milter spawned, left behind).
e2e_strays() {
    [ -n "$W" ] || return 0
    pgrep -f -- "$W/eseal.conf" | grep -vx -- "${milter_pid:-0}" || true
}

listening() { # listening PORT: something listens on 127.0.0.1:PORT
    ss -Hltn "sport = :$1" 2>/dev/null | grep -q . && return 0
    command -v ss >/dev/null && return 1
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# ---------------------------------------------------------------- prerequisites
e2e_init() {
    if [ $# -ne 1 ] || [ ! -d "$1" ]; then
        echo "usage: $0 BUILD_DIR" >&2
        exit 2
    fi
    build=$(cd -- "$1" && pwd -P)
    milter_bin=${ESEAL_E2E_MILTER:-$build/milter/eseal-milter} # the installed one in deb-test.sh
    eseal_bin=$build/plugin-common/eseal
    pki_src=$build/tests/pki
    trap e2e_cleanup EXIT
    trap 'exit 1' INT TERM HUP

    [ "$(id -u)" -eq 0 ] || skip "needs root to run a Postfix instance"
    if [ -n "$valgrind" ] && ! command -v valgrind >/dev/null; then
        skip "ESEAL_E2E_VALGRIND is set but valgrind is not installed"
    fi
    for tool in python3 openssl; do
        command -v "$tool" >/dev/null || { echo "not ok - $tool not found"; exit 1; }
    done
    if [ -z "$no_milter" ] && [ ! -x "$milter_bin" ]; then
        echo "not ok - $milter_bin not built"
        echo "e2e: 0 passed, 1 failed"
        exit 1
    fi
    # memcheck cannot run a program built with AddressSanitizer (the ASan build of ./dev test)
    # (ldd's output read whole: grep -q would end the pipe early, and pipefail then says no)
    if [ -n "$valgrind" ] &&
        grep -q 'libasan\|libubsan' <<<"$(ldd "$milter_bin" "$build/lib/libeseal.so" 2>/dev/null)"; then
        skip "the milter is built with sanitizers; valgrind needs a plain build"
    fi

    W=$(mktemp -d /tmp/eseal-e2e.XXXXXX)
    chmod 755 "$W" # the virtual delivery agent (as nobody) must reach $W/mail

    local need=() inst
    command -v postfix >/dev/null || need+=(postfix)
    command -v swaks >/dev/null || need+=(swaks)
    if [ ${#need[@]} -gt 0 ]; then
        command -v apt-get >/dev/null || skip "${need[*]} missing and no apt-get"
        echo "# installing ${need[*]}"
        echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
        export DEBIAN_FRONTEND=noninteractive
        inst=(apt-get install -y -q --no-install-recommends "${need[@]}")
        if ! "${inst[@]}" >"$W/apt.log" 2>&1; then
            if ! { apt-get update -q && "${inst[@]}"; } >>"$W/apt.log" 2>&1; then
                tail -n 20 "$W/apt.log" | indent
                skip "cannot install ${need[*]}"
            fi
        fi
        command -v postfix >/dev/null && command -v swaks >/dev/null ||
            skip "${need[*]} still missing after apt-get install"
    fi

    # Two free TCP ports on 127.0.0.1 (SMTP, milter).
    read -r SPORT MPORT < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
}

# ---------------------------------------------------------------- the test PKI
e2e_pki() {
    mkdir -p "$pki_src"
    "$src/tests/pki/make-pki.sh" "$pki_src" >/dev/null
    # A copy laid out as in a deployment: keys 0600 root, certificates and CRLs world-readable.
    pki=$W/pki
    mkdir -p "$pki/crl"
    cp "$pki_src/seal-rsa.key" "$pki_src/seal-rsa-chain.pem" "$pki_src/trust.pem" "$pki/"
    cp "$pki_src"/crl/* "$pki/crl/"
    chmod 755 "$pki" "$pki/crl"
    chmod 644 "$pki"/*.pem "$pki"/crl/*
    chmod 600 "$pki/seal-rsa.key"
}

# ---------------------------------------------------------------- private Postfix
e2e_postfix_start() {
    local users=("$@") master_src='' f milters vmap nobody_uid nobody_gid ctimeout
    pf=$W/postfix
    mkdir -p "$pf" "$W/spool" "$W/data" "$W/mail"
    chown root:root "$pf" "$W/spool"
    chmod 755 "$pf" "$W/spool"
    chown postfix "$W/data" # the data directory belongs to mail_owner
    chmod 700 "$W/data"
    nobody_uid=$(id -u nobody) nobody_gid=$(id -g nobody)
    chown "$nobody_uid:$nobody_gid" "$W/mail"
    chmod 700 "$W/mail"

    for f in /usr/share/postfix/master.cf.dist /etc/postfix/master.cf; do
        [ -f "$f" ] && { master_src=$f; break; }
    done
    if [ -n "$master_src" ]; then
        # Our SMTP listener instead of every inet service, and no chroot (a chroot would
        # need copies of /etc files in the queue directory).
        awk -v listen="127.0.0.1:$SPORT" '
            /^[ \t]/ { if (!drop) print; next }
            /^#/ || NF == 0 { print; next }
            {
                drop = 0
                if ($2 == "inet") {
                    if ($1 == "smtp") print listen " inet n - n - - smtpd"
                    drop = 1; next
                }
                if (NF >= 8) $5 = "n"
                print
            }' "$master_src" >"$pf/master.cf"
    else
        cat >"$pf/master.cf" <<EOF
127.0.0.1:$SPORT inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
local     unix  -       n       n       -       -       local
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
EOF
    fi
    grep -q '^postlog[[:space:]]' "$pf/master.cf" ||
        echo 'postlog   unix-dgram n  -       n       -       1       postlogd' >>"$pf/master.cf"

    if [ -n "$no_milter" ]; then milters=; else milters=inet:127.0.0.1:$MPORT; fi
    vmap=$(for u in "${users[@]}"; do printf '%s@example.org=%s/Maildir/, ' "$u" "$u"; done)
    # valgrind makes the milter 20-50 times slower: Postfix waits for it accordingly
    if [ -n "$valgrind" ]; then ctimeout=(30s 300s 300s); else ctimeout=(5s 15s 20s); fi
    cat >"$pf/main.cf" <<EOF
# eseal e2e test instance (generated; removed at exit)
compatibility_level = 3.6
config_directory = $pf
queue_directory = $W/spool
data_directory = $W/data
meta_directory = $(postconf -dh meta_directory)
mail_owner = postfix
setgid_group = postdrop
syslog_name = postfix-eseal-e2e
maillog_file = $W/maillog
maillog_file_prefixes = /var, /dev/stdout, $W
myhostname = mx.test
mydomain = test
myorigin = \$myhostname
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mydestination = localhost
mynetworks = 127.0.0.0/8
relayhost =
alias_maps =
alias_database =
local_recipient_maps =
biff = no
readme_directory = no
html_directory = no
delay_warning_time = 0
in_flow_delay = 0
virtual_mailbox_domains = example.org
virtual_mailbox_base = $W/mail
virtual_mailbox_maps = inline:{ ${vmap%, } }
virtual_uid_maps = static:$nobody_uid
virtual_gid_maps = static:$nobody_gid
virtual_minimum_uid = 100
smtpd_milters = $milters
non_smtpd_milters = $milters
milter_default_action = tempfail
milter_protocol = 6
milter_connect_timeout = ${ctimeout[0]}
milter_command_timeout = ${ctimeout[1]}
milter_content_timeout = ${ctimeout[2]}
$e2e_main_cf_extra
EOF
    if postconf -d smtpd_peername_lookup >/dev/null 2>&1; then
        echo 'smtpd_peername_lookup = no' >>"$pf/main.cf"
    fi
    chmod 644 "$pf/main.cf" "$pf/master.cf"

    if ! postfix -c "$pf" check >"$W/postfix-check.log" 2>&1; then
        indent <"$W/postfix-check.log"
        skip "postfix check failed for the private instance"
    fi
    if ! postfix -c "$pf" start >"$W/postfix-start.log" 2>&1; then
        indent <"$W/postfix-start.log"
        [ -f "$W/maillog" ] && tail -n 30 "$W/maillog" | indent
        skip "cannot start a private postfix instance"
    fi
    pf_started=1
    for _ in $(seq 100); do listening "$SPORT" && break; sleep 0.1; done
    listening "$SPORT" || {
        tail -n 30 "$W/maillog" 2>/dev/null | indent
        skip "private postfix does not listen on 127.0.0.1:$SPORT"
    }
    echo "# postfix $(postconf -dh mail_version) on 127.0.0.1:$SPORT, work dir $W"
}

# ---------------------------------------------------------------- eseal-milter
e2e_milter_config() {
    python3 "$src/tests/pdf/pdftool.py" mkpng "$W/stamp.png" # visible seal on PDFs
    cat >"$W/eseal.conf" <<EOF
socket         = "inet:$MPORT@127.0.0.1"
authserv_id    = mx.test
internal_hosts = {127.0.0.1/32}
user           = nobody
on_error       = tempfail
max_message_size = 3M
policy_files   = {"$src/policy/article3.policy", "$src/policy/contracts.policy"}
seal example.com {
  key         = "$pki/seal-rsa.key"
  certificate = "$pki/seal-rsa-chain.pem"
  stamp       = "$W/stamp.png"
  reason      = "Issued by Example Co."
}
verify {
  trust_anchors = "$pki/trust.pem"
  crls          = {"$pki/crl"}
  subject_tag   = "[UNVERIFIED]"
}
EOF
    chmod 600 "$W/eseal.conf"
}

# e2e_milter_start: start eseal-milter (stderr appended to $W/milter.log; under valgrind the
# report of each process goes to $W/valgrind/N.PID.log, N counting the starts: the milter
# spawns a process to read each PDF, which runs outside valgrind once exec'd), wait up to $e2e_start_wait s until it listens.  0 when it listens; 1 (the reason in $milter_why, the milter reaped) otherwise.
milter_starts=0
e2e_milter_start() {
    local cmd=("$milter_bin" -f -c "$W/eseal.conf")
    milter_starts=$((milter_starts + 1))
    if [ -n "$valgrind" ]; then
        # spawned after the milter became `user`, a child writes its report as nobody
        mkdir -p "$W/valgrind"
        chown nobody "$W/valgrind"
        cmd=(valgrind --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=99
             --track-origins=no --log-file="$W/valgrind/$milter_starts.%p.log" "${cmd[@]}")
    fi
    "${cmd[@]}" >>"$W/milter.log" 2>&1 &
    milter_pid=$!
    for _ in $(seq $((e2e_start_wait * 10))); do
        listening "$MPORT" && return 0
        kill -0 "$milter_pid" 2>/dev/null || break
        sleep 0.1
    done
    listening "$MPORT" && return 0
    milter_why=running
    if ! kill -0 "$milter_pid" 2>/dev/null; then
        local rc=0
        wait "$milter_pid" || rc=$?
        milter_why="exited with status $rc"
    else
        kill -KILL "$milter_pid"
        wait "$milter_pid" 2>/dev/null
    fi
    milter_pid=
    return 1
}

# e2e_milter_start_or_exit: e2e_milter_start, said as a check; the test ends when it fails.
e2e_milter_start_or_exit() {
    if e2e_milter_start; then
        ok "eseal-milter listens on 127.0.0.1:$MPORT${valgrind:+ (under valgrind)}"
        return 0
    fi
    not_ok "eseal-milter does not listen on 127.0.0.1:$MPORT within $e2e_start_wait s ($milter_why)"
    indent <"$W/milter.log"
    finished=1
    echo "e2e: $passed passed, $failed failed"
    exit 1
}

# e2e_milter_stop_clean: the milter is still running, stops on SIGTERM with exit 0, and under
# valgrind its last report shows no error (no definite leak, no invalid access).
e2e_milter_stop_clean() {
    local rc pid=$milter_pid
    if [ -z "$milter_pid" ] || ! kill -0 "$milter_pid" 2>/dev/null; then
        not_ok "eseal-milter died during the test: $(tail -n 5 "$W/milter.log" | tr '\n' ' ')"
        milter_pid=
        return
    fi
    ok "eseal-milter still running after the mail"
    kill -TERM "$milter_pid"
    if ! e2e_gone "$milter_pid"; then
        not_ok "eseal-milter still running $e2e_stop_wait s after SIGTERM"
        return
    fi
    rc=0
    wait "$milter_pid" || rc=$?
    milter_pid=
    if [ "$rc" -eq 0 ]; then ok "eseal-milter exits 0 on SIGTERM"
    elif [ "$rc" -eq 99 ] && [ -n "$valgrind" ]; then
        not_ok "eseal-milter exits 99 on SIGTERM: valgrind found errors"
    elif [ "$rc" -gt 128 ]; then
        not_ok "eseal-milter killed by signal $((rc - 128)) instead of stopping cleanly on SIGTERM"
    else not_ok "eseal-milter exits $rc on SIGTERM"; fi
    [ -n "$valgrind" ] && e2e_valgrind_check "$W/valgrind/$milter_starts.$pid.log" &&
        e2e_valgrind_children "$W/valgrind/$milter_starts.$pid.log"
    return 0
}

# e2e_valgrind_children MAIN_LOG: the reports of the milter's children (spawning the PDF
# reader, up to its exec) beside MAIN_LOG show no invalid access.  Their leak reports are not
# counted: until the exec a child holds what the parent's other threads held.
e2e_valgrind_children() {
    local main=$1 logs='' log bad
    for log in "${main%.*.log}".*.log; do
        [ -f "$log" ] && [ "$log" != "$main" ] && logs+="$log"$'\n'
    done
    logs=${logs%$'\n'}
    [ -n "$logs" ] || return 0
    # shellcheck disable=SC2086
    bad=$(grep -lE '== (Invalid (read|write|free)|Conditional jump|Use of uninitialised|Syscall param|Mismatched free|Source and destination overlap)' $logs || true)
    if [ -z "$bad" ]; then
        ok "valgrind: no invalid access in the $(grep -c '' <<<"$logs") spawned children"
    else
        not_ok "valgrind: invalid accesses in spawned children: $(tr '\n' ' ' <<<"$bad")"
        # shellcheck disable=SC2086
        grep -hE -A25 '== (Invalid|Conditional|Use of|Syscall|Mismatched|Source and)' $bad |
            head -n 80 | indent
    fi
}

# e2e_valgrind_check LOG: memcheck's report in LOG has no error and no definite leak.
e2e_valgrind_check() {
    local log=$1 errors lost
    if ! grep -q 'ERROR SUMMARY:' "$log" 2>/dev/null; then
        not_ok "valgrind: no ERROR SUMMARY in $log"
        return
    fi
    errors=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$log" | tail -n 1 | tr -d ,)
    lost=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$log" | tail -n 1 | tr -d ,)
    if [ "$errors" = 0 ]; then ok "valgrind: ERROR SUMMARY: 0 errors (no invalid read or write)"
    else
        not_ok "valgrind: $errors errors; the first ones:"
        # each error's header line and its stack, up to the first 3 errors
        awk '/^==[0-9]+== [A-Z].*(Invalid|uninitialised|definitely lost|Mismatched|free)/ { n++ }
             n >= 1 && n <= 3' "$log" | head -n 80 | indent
    fi
    if [ -z "$lost" ] || [ "$lost" = 0 ]; then
        ok "valgrind: no definite leak (definitely lost: ${lost:-0} bytes)"
    else not_ok "valgrind: definitely lost: $lost bytes"; fi
    grep -E 'in use at exit|total heap usage|(definitely|indirectly|possibly) lost:|still reachable:' \
        "$log" | indent
}

# e2e_finish: the closing line; exit status 0 when every check passed.
e2e_finish() {
    [ "$failed" -eq 0 ] || dump_logs
    finished=1
    echo "# took ${SECONDS}s"
    echo "e2e: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}

# ---------------------------------------------------------------- checks of delivered mail
# send CASE LOCAL_IP ARGS...: swaks to our Postfix; transcript in $W/swaks-CASE.log.
send() {
    local id=$1 li=$2
    shift 2
    if swaks --server 127.0.0.1 --port "$SPORT" --local-interface "$li" --helo client.test \
        --timeout "$e2e_smtp_timeout" --suppress-data "$@" >"$W/swaks-$id.log" 2>&1; then
        ok "($id) accepted by postfix from $li"
        return 0
    fi
    not_ok "($id) not accepted by postfix from $li: $(grep -E '^(<-|<~|<\*\*|\*\*\*)' "$W/swaks-$id.log" | tail -n 3 | tr '\n' ' ')"
    return 1
}

# delivered CASE USER: wait (up to 20 s) for the message in USER's maildir; sets $msg.
delivered() {
    local dir=$W/mail/$2/Maildir/new f
    msg=
    for _ in $(seq 100); do
        f=$(ls -- "$dir" 2>/dev/null | head -n 1) || true
        [ -n "$f" ] && { msg=$dir/$f; break; }
        sleep 0.2
    done
    if [ -n "$msg" ]; then ok "($1) delivered to $2@example.org"; return 0; fi
    not_ok "($1) nothing delivered to $2@example.org within 20 s"
    return 1
}

# hdrs MSG NAME: the unfolded values of header NAME (encoded-words decoded), one a line.
hdrs() { mt headers "$1" "$2"; }
nhdrs() { hdrs "$1" "$2" | grep -c '' || true; }

# expect_eq WHAT GOT WANT
expect_eq() {
    if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1: got '$2', want '$3'"; fi
}
# expect_re WHAT TEXT ERE: TEXT (every line of it) matches ERE.
expect_re() {
    if [ -n "$2" ] && ! grep -qvE -- "$3" <<<"$2"; then ok "$1"
    else not_ok "$1: '$2' does not match /$3/"; fi
}
# expect_no_hdr CASE MSG NAME
expect_no_hdr() {
    local v
    v=$(hdrs "$2" "$3")
    if [ -z "$v" ]; then ok "($1) no $3 header"; else not_ok "($1) unexpected $3: $v"; fi
}
# eseal_headers_wellformed CASE MSG: ESeal-* header lines are ASCII, at most 78 columns.
eseal_headers_wellformed() {
    local lines bad
    lines=$(mt header-lines "$2" ESeal-)
    bad=$(grep -nP '[^\x00-\x7f]' <<<"$lines" || true)
    if [ -z "$bad" ]; then ok "($1) ESeal-* headers are ASCII (names RFC 2047 encoded)"
    else not_ok "($1) raw 8-bit in ESeal-* headers: $bad"; fi
    bad=$(awk 'length($0) > 78' <<<"$lines")
    if [ -z "$bad" ]; then ok "($1) ESeal-* header lines folded at 78 columns"
    else not_ok "($1) ESeal-* header lines over 78 columns: $bad"; fi
}
# body_sans_trailing MSG: the body without its trailing newlines.
body_sans_trailing() { mt body "$1" | python3 -c 'import sys; sys.stdout.buffer.write(sys.stdin.buffer.read().rstrip(b"\r\n"))'; }
# attachment_hdr MSG NAME: the ESeal-Attachment value for the attachment NAME.
attachment_hdr() { hdrs "$1" ESeal-Attachment | grep -F -- "name=\"$2\";" || true; }
