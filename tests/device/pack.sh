#!/usr/bin/env bash
# Packs what the GPU machine needs into build/device-pack (at most ~50 MB, carried with the
# `run` call): the CLI, the Qt-free CUDA check, the CUDA module built here for sm_90 (the GPU
# machine has nvcc but not Qt or SentencePiece's headers, so the project is built here), the
# SentencePiece library, the shared test models and the bundled policy's tokenizer.
# Usage: tests/device/pack.sh [BUILD_DIR]
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
# The bundled policy's tokenizer, for training its PRM there (SentencePiece's trainer is not
# the same version there, so the tokenizer is made here and checked against the policy).
if /usr/bin/python3 -c "import torch, sentencepiece" 2>/dev/null; then
    /usr/bin/python3 - "$pack/arith.model" <<'PY'
import os, random, shutil, sys, tempfile
sys.path.insert(0, "resources/models/train")
import train as T
from gguf_reader import read_strings
path = T.train_tokenizer(random.Random(20261129 + 3), T.read_triggers(), tempfile.mkdtemp(), 768)
tok = T.Tok(path)
pieces = [tok.sp.id_to_piece(i) for i in range(tok.sp.get_piece_size())]
if pieces != read_strings("resources/models/policy.gguf", "tokenizer.ggml.tokens"):
    sys.exit("pack.sh: the recipe's tokenizer is not the bundled policy's")
shutil.copy(path, sys.argv[1])
PY
else
    echo "pack.sh: no python3-torch/python3-sentencepiece here: the pack cannot train the PRM" >&2
fi
du -sh "$pack"
