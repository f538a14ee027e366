#!/bin/sh
# The engine on CPUs this machine is not: an AVX2 one without AVX-512 (Haswell) and one without
# AVX (Nehalem), emulated by qemu-user. The kernels are built for several instruction sets and
# picked at run time, so an instruction of a wider set that leaks into code every CPU runs (a
# start-up initializer, an inline function the linker keeps from the wrong build) ends the
# program there, and nowhere on a machine that has the wider set. Exits 77 (skipped) without
# qemu-x86_64.
# usage: run_on_older_cpus.sh BIN_DIR
bin=$1
command -v qemu-x86_64 >/dev/null || { echo "SKIP: qemu-x86_64 is not installed"; exit 77; }
status=0
for pair in Haswell:avx2 Nehalem:scalar; do
    cpu=${pair%%:*} want=${pair#*:}
    out=$(qemu-x86_64 -cpu "$cpu" "$bin/test_cpu_kernels" 2>&1)
    if ! echo "$out" | grep -q "kernels in use: $want" || ! echo "$out" | grep -q " 0 failed"; then
        echo "$cpu: test_cpu_kernels did not pass on the $want kernels:"
        echo "$out" | grep -v "TCG doesn't support" | tail -5
        status=1
        continue
    fi
    if ! gen=$(qemu-x86_64 -cpu "$cpu" "$bin/nqkv" generate -p "There are 18 pencils" -n 8 \
        --temp 0 2>&1) || ! echo "$gen" | grep -q "generated 8 tokens"; then
        echo "$cpu: nqkv generate failed:"
        echo "$gen" | grep -v "TCG doesn't support" | tail -5
        status=1
        continue
    fi
    echo "$cpu: test_cpu_kernels passes on the $want kernels; nqkv generate writes 8 tokens"
done
exit $status
