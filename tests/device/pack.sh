#!/usr/bin/env bash
# Packs what the GPU machine needs into build/device-pack (at most ~50 MB, carried with the
# `run` call): the CLI, the Qt-free CUDA check, the CUDA module built here for sm_90 (the GPU
# machine has nvcc but not Qt or SentencePiece's headers, so the project is built here), the
# SentencePiece library, and the shared test models. Usage: tests/device/pack.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/../.."
build="${1:-build}"
pack="$build/device-pack"
shared="${NQKV_SHARED_DIR:-../shared}"
cmake --build "$build" --target nqkv test_cuda_backend nqkv_cuda
rm -rf "$pack"
mkdir -p "$pack/bin" "$pack/lib" "$pack/shared/models"
cp "$build/bin/nqkv" "$build/bin/test_cuda_backend" "$build/bin/libnqkv_cuda.so" "$pack/bin/"
cp -L "$(ldconfig -p | awk '/libsentencepiece.so.0 / {print $NF; exit}')" "$pack/lib/"
for m in stories260K.gguf llama-synth-256.F16.gguf llama-synth-256.Q8_0.gguf \
         llama-synth-256.Q4_K_M.gguf; do
    [ -f "$shared/models/$m" ] && cp "$shared/models/$m" "$pack/shared/models/"
done
du -sh "$pack"
