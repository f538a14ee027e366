#!/usr/bin/env bash
# Measures the bundled models the way the README reports them, with the project's own
# engine: accuracy per method on the 300 held-out problems, perplexity of held-out solutions
# per KV cache configuration, and AR-Sampling with a 4-bit cache. Takes 4-10 minutes on
# two cores with the README's limits. Usage: resources/models/train/evaluate.sh [OUTDIR]
# LIMIT (default 100) problems per method, N16_LIMIT (default 50) for best-of-16.
set -euo pipefail
cd "$(dirname "$0")/../../.."
out="${1:-build/bundled-eval}"
mkdir -p "$out"
nqkv=build/bin/nqkv
data=resources/models/arith-test.jsonl
[ -x "$nqkv" ] || { echo "evaluate.sh: build the project first (scripts/build)" >&2; exit 1; }

# Held-out solutions as the policy sees them, for perplexity.
/usr/bin/python3 - "$data" > "$out/solutions.txt" <<'PY'
import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    p = json.loads(line)
    body = "\n\n".join(p["steps"])
    print(f"User: {p['question']}\nAssistant:\n{body}\n")
PY

limit="${LIMIT:-100}"
n16="${N16_LIMIT:-50}"
set -x
"$nqkv" ppl -m resources/models/policy.gguf -f "$out/solutions.txt" --kv fp16,nq8,nq4,nq2,k=nq8,v=nq4 --block 32 --json > "$out/ppl.json"
"$nqkv" eval-ar --data "$data" --methods greedy --json > "$out/greedy-all.json"
"$nqkv" eval-ar --data "$data" --methods ar --temp 0 --json > "$out/ar-greedy-all.json"
"$nqkv" eval-ar --data "$data" --limit "$limit" --methods greedy,sample,ar --temp 0.8 --json > "$out/t08.json"
"$nqkv" eval-ar --data "$data" --methods ar --temp 0 --max-rethink 6 --json > "$out/ar-greedy-all-r6.json"
"$nqkv" eval-ar --data "$data" --limit "$limit" --methods ar --temp 0 --json > "$out/ar-greedy.json"
"$nqkv" eval-ar --data "$data" --limit "$limit" --methods ar --temp 0 --max-rethink 6 --json > "$out/ar-greedy-r6.json"
"$nqkv" eval-ar --data "$data" --limit "$limit" --methods ar --temp 0.8 --max-rethink 6 --json > "$out/t08-r6.json"
"$nqkv" eval-ar --data "$data" --limit "$limit" --methods greedy,ar --temp 0 --kv nq4 --prm-kv nq4 --json > "$out/nq4.json"
"$nqkv" eval-ar --data "$data" --limit "$limit" --methods ar --temp 0 --kv nq4 --prm-kv nq4 --max-rethink 6 --json > "$out/nq4-r6.json"
"$nqkv" eval-ar --data "$data" --limit "$limit" --methods greedy,ar --temp 0 --kv nq4 --json > "$out/nq4-policy.json"
"$nqkv" eval-ar --data "$data" --limit "$limit" --methods greedy,ar --temp 0 --prm-kv nq4 --json > "$out/nq4-prm.json"
"$nqkv" eval-ar --data "$data" --limit "$limit" --methods greedy,ar --temp 0 --kv nq8 --prm-kv nq8 --json > "$out/nq8.json"
"$nqkv" eval-ar --data "$data" --limit "$limit" --methods bon,wbon,maj --n 4 --json > "$out/n4.json"
"$nqkv" eval-ar --data "$data" --limit "$n16" --methods bon,wbon,maj --n 16 --json > "$out/n16.json"
