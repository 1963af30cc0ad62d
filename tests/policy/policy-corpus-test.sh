#!/usr/bin/env bash
# policy-corpus-test.sh ESEAL SRCDIR - the shipped policies (SRCDIR/policy/article3.policy,
# SRCDIR/policy/contracts.policy) against the labelled corpus that make-corpus.py writes:
# `ESEAL classify --json` on every document, compared with labels.tsv.
#
# One check per document: it passes when it got exactly its expected categories, and the
# outbound and inbound actions that follow from them (the strictest of its categories:
# personal-relationship and utility-cessation are refuse-seal / flag-excluded, contract is
# seal / require-seal).  Prints, per category, the recall on the documents labelled with
# it and the false-positive rate on the others (and on the ordinary, "none" documents);
# every mismatch with the terms that matched (from a second run with -v); and a last line
# "policy-corpus: N passed, M failed".
#
# Exit 0 when every document passed, 1 when one did not (or classify failed), 77 (skip)
# when ESEAL has no classify command or python3 is missing.  KEEP=1 keeps the work
# directory (corpus, outputs) and prints where it is.
set -u
if [ $# -ne 2 ]; then
    echo "usage: $0 ESEAL_BINARY SRCDIR" >&2
    exit 2
fi
eseal=$1 src=$2

if ! command -v python3 >/dev/null; then
    echo "policy-corpus: skipped: python3 not found"
    exit 77
fi
if [ ! -x "$eseal" ]; then
    echo "policy-corpus: $eseal is not an executable" >&2
    exit 1
fi
if ! "$eseal" help 2>&1 | grep -q 'eseal classify'; then
    echo "policy-corpus: skipped: $eseal has no classify command"
    exit 77
fi
for f in article3.policy contracts.policy; do
    if [ ! -r "$src/policy/$f" ]; then
        echo "policy-corpus: $src/policy/$f not found" >&2
        exit 1
    fi
done
if ! command -v pango-view >/dev/null; then
    echo "policy-corpus: note: pango-view not found (Debian: pango1.0-tools): PDFs not tested"
fi

work=$(mktemp -d /tmp/eseal-policy.XXXXXX)
if [ "${KEEP:-0}" = 1 ]; then
    echo "policy-corpus: work directory kept: $work"
else
    trap 'rm -rf "$work"' EXIT
fi

python3 "$src/tests/policy/make-corpus.py" "$work/corpus" || exit 1

# Run from inside the corpus so that the names classify reports are the names in labels.tsv.
policies=(-p "$src/policy/article3.policy" -p "$src/policy/contracts.policy")
case $src in /*) ;; *) policies=(-p "$PWD/$src/policy/article3.policy" -p "$PWD/$src/policy/contracts.policy") ;; esac
case $eseal in /*) ;; */*) eseal=$PWD/$eseal ;; esac
mapfile -t files < <(cut -f1 "$work/corpus/labels.tsv")
(cd "$work/corpus" && "$eseal" classify "${policies[@]}" --json "${files[@]}") \
    >"$work/out.json" 2>"$work/err.txt"
status=$?

python3 - "$work" "$status" "$eseal" "${policies[@]}" <<'PY'
import json, os, subprocess, sys

work, status, eseal, policies = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
corpus = os.path.join(work, "corpus")
CATEGORIES = ["personal-relationship", "utility-cessation", "contract"]
# The actions of the shipped categories, and their order from the mildest to the strictest.
OUTBOUND = {"personal-relationship": "refuse-seal", "utility-cessation": "refuse-seal",
            "contract": "seal"}
INBOUND = {"personal-relationship": "flag-excluded", "utility-cessation": "flag-excluded",
           "contract": "require-seal"}
OUT_RANK = ["seal", "refuse-seal", "hold", "reject"]
IN_RANK = ["none", "flag-excluded", "require-seal"]

labels = []
with open(os.path.join(corpus, "labels.tsv"), encoding="utf-8") as f:
    for line in f:
        name, cats = line.rstrip("\n").split("\t")
        labels.append((name, set() if cats == "none" else set(cats.split(","))))


def read_results(path):
    results = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except ValueError as e:
                print("not ok - %s line %d is not JSON (%s): %s" % (os.path.basename(path), n, e,
                                                                  line.strip()[:200]))
                continue
            results[os.path.basename(obj.get("file", ""))] = obj
    return results


with open(os.path.join(work, "err.txt"), encoding="utf-8", errors="replace") as f:
    err = f.read().strip()
if status != 0:
    print("classify exited with %d%s" % (status, ": " + err if err else ""))
elif err:
    print("classify wrote on stderr: " + err[:2000])
results = read_results(os.path.join(work, "out.json"))


def expected_actions(cats):
    out = max((OUTBOUND[c] for c in cats), key=OUT_RANK.index, default="seal")
    inb = max((INBOUND[c] for c in cats), key=IN_RANK.index, default="none")
    return out, inb


passed, failed, mismatched = 0, 0, []
for name, want in labels:
    r = results.get(name)
    if r is None:
        failed += 1
        mismatched.append(name)
        print("not ok - %s: no result from classify" % name)
        continue
    got = set(r.get("categories", []))
    why = []
    if got != want:
        why.append("categories %s, expected %s" % (",".join(sorted(got)) or "none",
                                                   ",".join(sorted(want)) or "none"))
    out, inb = expected_actions(want)
    if got == want and (r.get("outbound") != out or r.get("inbound") != inb):
        why.append("actions %s/%s, expected %s/%s" % (r.get("outbound"), r.get("inbound"),
                                                     out, inb))
    if r.get("capped"):
        print("note - %s: extraction capped: %s" % (name, r["capped"]))
    if why:
        failed += 1
        mismatched.append(name)
        print("not ok - %s: %s" % (name, "; ".join(why)))
    else:
        passed += 1

# Per category: recall on the documents labelled with it, false positives on the others.
print()
print("%-22s %-14s %-22s %s" % ("category", "recall", "false positives", "on ordinary (none)"))
for c in CATEGORIES:
    pos = [n for n, w in labels if c in w]
    neg = [n for n, w in labels if c not in w]
    ordinary = [n for n, w in labels if not w]
    hit = lambda n: n in results and c in results[n].get("categories", [])
    tp = sum(map(hit, pos))
    fp = sum(map(hit, neg))
    fpo = sum(map(hit, ordinary))
    pct = lambda a, b: "%d/%d (%.0f%%)" % (a, b, 100.0 * a / b) if b else "0/0"
    print("%-22s %-14s %-22s %s" % (c, pct(tp, len(pos)), pct(fp, len(neg)), pct(fpo, len(ordinary))))

# Every mismatch again with -v: which terms matched, where.
if mismatched:
    print()
    print("mismatches, with the terms that matched (eseal classify -v):")
    verbose = os.path.join(work, "verbose.json")
    with open(verbose, "w") as out:
        subprocess.run([eseal, "classify"] + policies + ["-v", "--json"] + mismatched,
                       cwd=corpus, stdout=out, stderr=subprocess.STDOUT)
    detail = read_results(verbose)
    for name in mismatched:
        want = dict(labels)[name]
        r = detail.get(name, {})
        print("  %s: expected %s, got %s" % (name, ",".join(sorted(want)) or "none",
                                            ",".join(r.get("categories", [])) or "none"))
        for h in r.get("hits", []):
            print("      %-22s %-8s %-40s %r @%s" % (h.get("category"), h.get("field"),
                                                   h.get("pattern", "")[:40],
                                                   h.get("text"), h.get("offset")))
        if not r.get("hits"):
            print("      (no term matched)")

print()
print("policy-corpus: %d passed, %d failed" % (passed, failed))
sys.exit(0 if failed == 0 and status == 0 else 1)
PY
