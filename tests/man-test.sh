#!/usr/bin/env bash
# man-test.sh MANDIR - every man page renders without a warning (exit 77 without man-db).
set -u
command -v man >/dev/null || { echo "skip: man not installed"; exit 77; }
failed=0 passed=0
for page in "$1"/*.[0-9]; do
    warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null)
    if [ -z "$warnings" ]; then
        passed=$((passed + 1)); echo "ok - $(basename "$page")"
    else
        failed=$((failed + 1)); echo "not ok - $(basename "$page"): $warnings"
    fi
done
echo "man: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
