"""A minimal GGUF v3 writer: the metadata value types the project uses and F32/F16 tensors."""
import struct

import numpy as np

U32, I32, F32, BOOL, STRING, ARRAY = 4, 5, 6, 7, 8, 9
GGML_F32, GGML_F16 = 0, 1
ALIGN = 32


def _str(s):
    b = s.encode("utf-8")
    return struct.pack("<Q", len(b)) + b


def _value(kind, v):
    if kind == U32:
        return struct.pack("<I", v)
    if kind == I32:
        return struct.pack("<i", v)
    if kind == F32:
        return struct.pack("<f", v)
    if kind == BOOL:
        return struct.pack("<B", 1 if v else 0)
    if kind == STRING:
        return _str(v)
    raise ValueError(f"unsupported GGUF value type {kind}")


class GgufWriter:
    def __init__(self):
        self.kv = []       # (key, type, value, elem_type)
        self.tensors = []  # (name, ggml_type, shape ne0-first, bytes)

    def add(self, key, kind, value):
        self.kv.append((key, kind, value, None))

    def add_array(self, key, elem, values):
        self.kv.append((key, ARRAY, list(values), elem))

    def add_tensor(self, name, array, f16=False):
        """array in PyTorch layout (rows, cols) or (n,); GGUF lists dims fastest first."""
        a = np.ascontiguousarray(array, dtype=np.float16 if f16 else np.float32)
        self.tensors.append((name, GGML_F16 if f16 else GGML_F32, list(a.shape[::-1]), a.tobytes()))

    def write(self, path):
        out = bytearray()
        out += b"GGUF" + struct.pack("<I", 3)
        out += struct.pack("<QQ", len(self.tensors), len(self.kv))
        for key, kind, value, elem in self.kv:
            out += _str(key) + struct.pack("<I", kind)
            if kind == ARRAY:
                out += struct.pack("<IQ", elem, len(value))
                for v in value:
                    out += _value(elem, v)
            else:
                out += _value(kind, value)
        offset = 0
        offsets = []
        for name, kind, shape, data in self.tensors:
            offsets.append(offset)
            out += _str(name) + struct.pack("<I", len(shape))
            for d in shape:
                out += struct.pack("<Q", d)
            out += struct.pack("<IQ", kind, offset)
            offset += (len(data) + ALIGN - 1) // ALIGN * ALIGN
        out += b"\0" * (-len(out) % ALIGN)
        for (name, kind, shape, data), off in zip(self.tensors, offsets):
            out += data + b"\0" * (-len(data) % ALIGN)
        with open(path, "wb") as f:
            f.write(out)
