#!/usr/bin/env bash
# The GPU machine's part: runs the CUDA checks against the CPU reference and the GPU
# benchmarks, and writes a JSON report and logs into $OUT. Run tests/device/pack.sh first on a
# machine with the build dependencies and carry build/device-pack. About 5 minutes on an H200.
# Usage (on the GPU machine): tests/device/run.sh [PACK_DIR] [all|checks|bench]
# (checks alone may share the GPU with other work; the benchmarks want it to themselves)
set -uo pipefail
cd "$(dirname "$0")/../.."
pack="$(cd "${1:-build/device-pack}" && pwd)"
part="${2:-all}"
out="${OUT:-$PWD/build/device-out}"
mkdir -p "$out"

# cuBLAS: the toolkit's, else the one in Python's nvidia-cublas wheel.
cublas_dir=""
for d in /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib; do
    [ -e "$d/libcublas.so.13" ] && cublas_dir="$d" && break
done
if [ -z "$cublas_dir" ]; then
    found=$(find /usr /opt -name 'libcublas.so.13*' 2>/dev/null | head -1)
    [ -n "$found" ] && cublas_dir=$(dirname "$found")
fi
echo "cuBLAS from: ${cublas_dir:-the loader path}"
export LD_LIBRARY_PATH="$pack/lib${cublas_dir:+:$cublas_dir}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export NQKV_CUDA_MODULE="$pack/bin/libnqkv_cuda.so"
export NQKV_SHARED_DIR="$pack/shared"
export NQKV_RESOURCES_DIR="$PWD/resources"
nqkv="$pack/bin/nqkv"

{ date -u; nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.sm,clocks.mem --format=csv 2>&1; } \
    > "$out/gpu.txt"
cat "$out/gpu.txt"

checks_rc=0
if [ "$part" != bench ]; then
    echo "== checks: CUDA against the CPU"
    timeout 240 "$pack/bin/test_cuda_backend" --json "$out/checks.json" > "$out/checks.log" 2>&1
    checks_rc=$?
    grep -E "^(FAIL|SKIP)|checks," "$out/checks.log" | tail -20
    echo "$checks_rc" > "$out/checks.rc"
    [ "$part" = checks ] && exit "$checks_rc"
else
    checks_rc=$(cat "$out/checks.rc" 2>/dev/null || echo 1)
fi

echo "== benchmarks: a generated ~1.1B llama (MHA, F16), decode at 1k/8k/32k"
model=/tmp/nqkv-synth-1b.gguf
"$nqkv" synth-model -o "$model" --dim 2048 --layers 22 --ff 5632 --heads 32 --kv-heads 32 \
    > "$out/synth.log" 2>&1
timeout "${NQKV_BENCH_TIMEOUT:-300}" "$nqkv" bench --backend cuda -m "$model" --kv fp16,nq8,nq4,nq2 \
    --ctx 1024,8192,32768 --fill random -p 512 -n 32 --reps 3 --kernels --json \
    > "$out/bench.json" 2> "$out/bench.log"
bench_rc=$?

python3 - "$out" "$checks_rc" "$bench_rc" <<'PY'
import json, sys, os
out, checks_rc, bench_rc = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
report = {"checks_rc": checks_rc, "bench_rc": bench_rc}
try:
    c = json.load(open(os.path.join(out, "checks.json")))
    report["device"] = c.get("device")
    report["checks"] = len(c["checks"])
    report["checks_failed"] = [x["name"] + ": " + x["detail"] for x in c["checks"] if not x["pass"]]
except Exception as e:
    report["checks_error"] = str(e)
try:
    b = json.load(open(os.path.join(out, "bench.json")))
    tg = {(r["kv"], r["depth"]): r["tokens_per_s"] for r in b["results"] if r["test"].startswith("tg")}
    report["decode_tokens_per_s"] = {f"{kv}@{d}": v for (kv, d), v in tg.items()}
    for kv in ("nq8", "nq4", "nq2"):
        if (kv, 32768) in tg and ("fp16", 32768) in tg:
            report[f"speedup_{kv}_vs_fp16_32k"] = tg[(kv, 32768)] / tg[("fp16", 32768)]
    report["kernels"] = b.get("kernels", [])
    print("| kv | 1k | 8k | 32k | speedup @32k |")
    print("|---|---:|---:|---:|---:|")
    for kv in ("fp16", "nq8", "nq4", "nq2"):
        row = [tg.get((kv, d), 0) for d in (1024, 8192, 32768)]
        sp = row[2] / tg.get(("fp16", 32768), 1) if row[2] else 0
        print(f"| {kv} | {row[0]:.1f} | {row[1]:.1f} | {row[2]:.1f} | {sp:.2f}x |")
    for k in b.get("kernels", []):
        what = f'{k["rows"]}x{k["cols"]}' if k["kernel"] == "gemv" else f'{k["kv"]}@{k["depth"]}'
        print(f'{k["kernel"]} {what}: {k["gbs"]:.0f} GB/s ({100 * k["of_peak"]:.0f}% of peak)')
except Exception as e:
    report["bench_error"] = str(e)
json.dump(report, open(os.path.join(out, "report.json"), "w"), indent=1)
print(json.dumps({k: v for k, v in report.items() if k not in ("kernels", "decode_tokens_per_s")}))
PY
tail -5 "$out/bench.log"
exit $(( checks_rc != 0 || bench_rc != 0 ))
