#!/usr/bin/env bash
# run-fuzz.sh - build every libFuzzer target of a build tree, fuzz each for a fixed time from
# the inputs its CTest replay uses, and print the executions per target and in total.
#
#   tests/fuzz/run-fuzz.sh BUILD SECONDS PKI
#
# BUILD is configured with CC=clang -DESEAL_FUZZ=ON (and -DESEAL_SANITIZE=ON); CMake lists
# each target's replay inputs in BUILD/tests/fuzz_TARGET.inputs. PKI is a test PKI made by
# tests/pki/make-pki.sh. The inputs are copied into a work corpus in a temporary folder,
# removed at the end, so neither the source tree nor the corpora are ever written.
# A crash, leak, hang (one input over the timeout) or memory blow-up exits 1; the reproducer
# stays in BUILD/fuzz-artifacts, with the target's log, and its path is printed.
set -euo pipefail

if [ $# -ne 3 ]; then
    echo "usage: $0 BUILD SECONDS PKI" >&2
    exit 2
fi
build=$1 seconds=$2 pki=$(cd "$3" && pwd)
# an input over 10 s is a hang (none has taken a second under ASan); the pipeline peaks near
# 1 GB of RSS, so 2 GB is a blow-up
input_timeout=10
rss_limit_mb=2048

[ -f "$pki/trust.pem" ] || { echo "run-fuzz: no test PKI in $pki" >&2; exit 1; }
shopt -s nullglob
lists=("$build"/tests/fuzz_*.inputs)
if [ ${#lists[@]} -eq 0 ]; then
    echo "run-fuzz: $build has no fuzz targets (configure it with -DESEAL_FUZZ=ON)" >&2
    exit 1
fi
targets=()
for list in "${lists[@]}"; do
    name=${list##*/}
    targets+=("${name%.inputs}")
done
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target "${targets[@]}" >/dev/null

artifacts=$(cd "$build" && pwd)/fuzz-artifacts
mkdir -p "$artifacts"
work=$(mktemp -d "${TMPDIR:-/tmp}/eseal-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT

total=0 failed=0
printf '%-20s %8s %8s %12s\n' target seeds seconds executions
for target in "${targets[@]}"; do
    corpus=$work/$target
    log=$artifacts/$target.log
    mkdir -p "$corpus"
    n=0
    while IFS= read -r input; do
        [ -e "$input" ] || continue # the corpora absent: fuzz from the seeds alone
        n=$((n + 1))
        cp -RL -- "$input" "$corpus/seed-$n"
    done < "$build/tests/$target.inputs"
    seeds=$(find "$corpus" -type f | wc -l)
    start=$SECONDS
    status=0
    ESEAL_TEST_PKI=$pki UBSAN_OPTIONS=print_stacktrace=1 \
        "$build/tests/$target" -max_total_time="$seconds" -timeout="$input_timeout" \
        -rss_limit_mb="$rss_limit_mb" -print_final_stats=1 \
        -artifact_prefix="$artifacts/$target-" "$corpus" > "$log" 2>&1 || status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    execs=${execs:-0}
    total=$((total + execs))
    printf '%-20s %8d %8d %12d\n' "$target" "$seeds" $((SECONDS - start)) "$execs"
    if [ "$status" -ne 0 ]; then
        failed=1
        tail -n 60 "$log" | sed 's/^/    /'
        sed -n 's/^.*Test unit written to \(.*\)$/    reproducer: \1/p' "$log"
        echo "    log: $log"
    fi
    rm -rf "$corpus"
done
printf '%-20s %8s %8s %12d\n' total "" "" "$total"
exit "$failed"
