#!/usr/bin/env python3
"""Writes quant_vectors.json: for each weight format the engine reads without llama.cpp's
shared test files (Q4_1, Q5_0, Q5_1, Q2_K, Q3_K, Q5_K, IQ4_NL, IQ4_XS, MXFP4, and the grid
formats IQ1_S ... IQ3_S, TQ1_0, TQ2_0; Q1_0, Q2_0), 512 values quantized by ggml's own quantizer and
dequantized by ggml's own dequantizer, so that test_cpu_kernels checks the engine's block
layouts (and the grid tables) against ggml's rather than against themselves.

    python3 tests/data/make_quant_vectors.py LIBGGML_BASE_SO > tests/data/quant_vectors.json

LIBGGML_BASE_SO is ggml's base library (libggml-base.so), for instance the one in npm's
@node-llama-cpp/linux-x64 package (bins/linux-x64/). Only needed to remake the file.
"""
import ctypes
import json
import random
import struct
import sys

TYPES = {  # name: (elements per block, bytes per block)
    "Q4_1": (32, 20), "Q5_0": (32, 22), "Q5_1": (32, 24),
    "Q2_K": (256, 84), "Q3_K": (256, 110), "Q5_K": (256, 176),
    "IQ4_NL": (32, 18), "IQ4_XS": (256, 136), "MXFP4": (32, 17),
}
# The grid formats go through ggml_quantize_chunk (their quantizers need ggml's grid maps
# built first, and three of them an importance matrix: all ones here). ggml's type ids.
GRID_TYPES = {
    "IQ2_XXS": (16, 66), "IQ2_XS": (17, 74), "IQ3_XXS": (18, 98), "IQ1_S": (19, 50),
    "IQ3_S": (21, 110), "IQ2_S": (22, 82), "IQ1_M": (29, 56), "TQ1_0": (34, 54),
    "TQ2_0": (35, 66), "Q1_0": (41, 18), "Q2_0": (42, 18),
}
N = 512


def values(seed):
    # Normal values whose scale changes every 16, so that sub-block scales differ.
    rng = random.Random(seed)
    out = []
    for i in range(N):
        scale = 0.02 + 0.5 * ((i // 16) % 7) / 7
        out.append(rng.gauss(0.1 * ((i // 32) % 3 - 1), scale))
    return struct.unpack(f"<{N}f", struct.pack(f"<{N}f", *out))  # as float32


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    lib = ctypes.CDLL(sys.argv[1])
    out = {"n": N, "types": {}}
    for seed, (name, (per, size)) in enumerate(TYPES.items()):
        x = (ctypes.c_float * N)(*values(seed + 1))
        blocks = ctypes.create_string_buffer(N // per * size)
        y = (ctypes.c_float * N)()
        quantize = getattr(lib, f"quantize_row_{name.lower().replace('_k', '_K')}_ref")
        dequantize = getattr(lib, f"dequantize_row_{name.lower().replace('_k', '_K')}")
        quantize.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
        dequantize.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
        quantize(x, blocks, N)
        dequantize(blocks, y, N)
        out["types"][name] = {"blocks": blocks.raw.hex(), "values": [float(v) for v in y]}
    chunk = lib.ggml_quantize_chunk
    chunk.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64,
                      ctypes.c_int64, ctypes.c_int64, ctypes.c_void_p]
    chunk.restype = ctypes.c_size_t
    ones = (ctypes.c_float * N)(*([1.0] * N))
    for seed, (name, (type_id, size)) in enumerate(GRID_TYPES.items(), start=len(TYPES)):
        x = (ctypes.c_float * N)(*values(seed + 1))
        per = {"Q1_0": 128, "Q2_0": 64}.get(name, 256)
        blocks = ctypes.create_string_buffer(N // per * size)
        y = (ctypes.c_float * N)()
        assert chunk(type_id, x, blocks, 0, 1, N, ones) == N // per * size
        dequantize = getattr(lib, f"dequantize_row_{name.lower()}")
        dequantize.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
        dequantize(blocks, y, N)
        out["types"][name] = {"blocks": blocks.raw.hex(), "values": [float(v) for v in y]}
    json.dump(out, sys.stdout, indent=0)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
