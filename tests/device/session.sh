#!/usr/bin/env bash
# One GPU session's work in one call: the CUDA checks while the bundled PRM trains on the GPU
# in a few variants at once, then the benchmarks with the GPU to themselves. Writes at most 8
# files into $OUT (the device tool's limit): checks.tar.gz and one bundled-VARIANT.tar.gz for
# each of the six variants (prm.gguf, golden.json, last-run.json, train.log; about 55 MB in
# all, of the 64 MiB that may come back). Expected to take 8-9 minutes on an H200 (never run
# on one yet).
# Run tests/device/pack.sh here first and carry build/device-pack.
# Usage (on the GPU machine): tests/device/session.sh [PACK_DIR] [PRM_MINUTES]
set -uo pipefail
cd "$(dirname "$0")/../.."
pack="$(cd "${1:-build/device-pack}" && pwd)"
minutes="${2:-3}"
# For a dry run on a machine without a GPU:
#   NQKV_TRAIN_DEVICE=cpu NQKV_TRAIN_TIMEOUT=3600 NQKV_TRAIN_SAMPLES=5 NQKV_TRAIN_OWN=5 \
#   NQKV_PYTHON=/usr/bin/python3 \
#   tests/device/session.sh PACK 0.1
device="${NQKV_TRAIN_DEVICE:-cuda}"
samples="${NQKV_TRAIN_SAMPLES:-2000}"
python="${NQKV_PYTHON:-python3}"
train_timeout="${NQKV_TRAIN_TIMEOUT:-$(( ${minutes%.*} * 60 + 300 ))}"
out="${OUT:-$PWD/build/device-out}"
work="$(mktemp -d /tmp/nqkv-session-XXXXXX)"
mkdir -p "$out" "$work/checks"
export PYTHONUNBUFFERED=1

# Each variant: a name and train.py's options. All start from the shipped policy and its
# tokenizer (carried in the pack: SentencePiece's trainer differs between versions). All but
# mixed4 train the shipped PRM's way: drills of wrong results alone for the first 40 % of the
# time (--prm-arith-first), then half drills of every kind, half whole solutions, the policy's
# own among them written greedily and sampled at T = 1 (--sample-temperature 0,1: greedy slips
# are the mistakes AR-Sampling meets, sampled ones those best-of-N ranks);
# mixed4 mixes every kind from the start with samples at T = 1, as the PRMs before did, for
# comparison. The first four keep the
# policy (--prm-only); the last two first fine-tune it on rethinks of its own mistakes for 6 or
# 20 seconds, so that a rethink repairs more (their tars also hold policy.gguf; the greedy
# accuracy that comes out is not known beforehand: the README's band is 40-85 %). The PRM of
# an 8-block variant needs about 7 GB at batch 256 without a GPU.
tune="--policy-lr 1e-3 --own-mistakes ${NQKV_TRAIN_OWN:-1000} --own-share 1 --rethink-share 0.4"
arith="--prm-drill 0.5 --prm-arith-first $(awk -v m="$minutes" 'BEGIN { print m * 0.4 }') --sample-temperature 0,1"
variants=(
    "plain4|--prm-only --prm-layers 4 --prm-layout plain $arith"
    "policy8|--prm-only --prm-layers 8 --prm-layout policy --prm-train-bottom $arith"
    "plain8|--prm-only --prm-layers 8 --prm-layout plain --prm-train-bottom $arith"
    "mixed4|--prm-only --prm-layers 4 --prm-layout plain --prm-drill 0.5"
    "tuned4s|--resume-policy --policy-minutes 0.1 $tune --prm-layers 4 --prm-layout plain $arith"
    "tuned4l|--resume-policy --policy-minutes 0.33 $tune --prm-layers 4 --prm-layout plain $arith"
)
pids=()
for v in "${variants[@]}"; do
    name="${v%%|*}"
    mkdir -p "$work/$name"
    # shellcheck disable=SC2086
    timeout "$train_timeout" "$python" resources/models/train/train.py \
        --device "$device" --sampler torch --tokenizer "$pack/arith.model" --out "$work/$name" \
        --prm-minutes "$minutes" --prm-dense-weight 1.0 --prm-lr 2e-3 --batch 256 \
        --samples "$samples" --workers 2 --threads 1 \
        ${v#*|} > "$work/$name/train.log" 2>&1 &
    pids+=($!)
done

OUT="$work/checks" tests/device/run.sh "$pack" checks
for pid in "${pids[@]}"; do wait "$pid"; done
for v in "${variants[@]}"; do
    name="${v%%|*}"
    grep -E "AUROC|samples:|PRM:|Error|error" "$work/$name/train.log" | sed "s/^/$name: /"
    rm -f "$work/$name/arith-test.jsonl" "$work/$name/prm-pairs.jsonl"
    tar -czf "$out/bundled-$name.tar.gz" -C "$work/$name" .
done

OUT="$work/checks" NQKV_BENCH_TIMEOUT=240 tests/device/run.sh "$pack" bench
tar -czf "$out/checks.tar.gz" -C "$work/checks" .
