"""Reads the tensors of a GGUF file written by gguf_writer.py (F32/F16), for resuming from an
exported model."""
import struct

import numpy as np

_SIZES = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}


def _skip_value(buf, off, kind):
    if kind in _SIZES:
        return off + _SIZES[kind]
    if kind == 8:  # string
        (n,) = struct.unpack_from("<Q", buf, off)
        return off + 8 + n
    if kind == 9:  # array
        elem, n = struct.unpack_from("<IQ", buf, off)
        off += 12
        for _ in range(n):
            off = _skip_value(buf, off, elem)
        return off
    raise ValueError(f"GGUF value type {kind}")


def read_tensors(path, align=32):
    buf = open(path, "rb").read()
    if buf[:4] != b"GGUF":
        raise ValueError(f"{path}: not a GGUF file")
    n_tensors, n_kv = struct.unpack_from("<QQ", buf, 8)
    off = 24
    for _ in range(n_kv):
        (n,) = struct.unpack_from("<Q", buf, off)
        off += 8 + n
        (kind,) = struct.unpack_from("<I", buf, off)
        off = _skip_value(buf, off + 4, kind)
    infos = []
    for _ in range(n_tensors):
        (n,) = struct.unpack_from("<Q", buf, off)
        name = buf[off + 8: off + 8 + n].decode()
        off += 8 + n
        (nd,) = struct.unpack_from("<I", buf, off)
        dims = struct.unpack_from(f"<{nd}Q", buf, off + 4)
        kind, toff = struct.unpack_from("<IQ", buf, off + 4 + 8 * nd)
        off += 4 + 8 * nd + 12
        infos.append((name, dims, kind, toff))
    base = (off + align - 1) // align * align
    out = {}
    for name, dims, kind, toff in infos:
        dt = np.float16 if kind == 1 else np.float32
        count = int(np.prod(dims))
        a = np.frombuffer(buf, dtype=dt, count=count, offset=base + toff)
        out[name] = a.reshape(tuple(reversed(dims))).astype(np.float32)
    return out


def read_strings(path, key):
    """The string array stored under `key` (tokenizer.ggml.tokens, say), or None."""
    buf = open(path, "rb").read()
    n_kv = struct.unpack_from("<Q", buf, 16)[0]
    off = 24
    for _ in range(n_kv):
        (n,) = struct.unpack_from("<Q", buf, off)
        name = buf[off + 8: off + 8 + n].decode()
        off += 8 + n
        (kind,) = struct.unpack_from("<I", buf, off)
        if name == key and kind == 9:
            elem, count = struct.unpack_from("<IQ", buf, off + 4)
            if elem != 8:
                return None
            pos, out = off + 16, []
            for _ in range(count):
                (m,) = struct.unpack_from("<Q", buf, pos)
                out.append(buf[pos + 8: pos + 8 + m].decode("utf-8"))
                pos += 8 + m
            return out
        off = _skip_value(buf, off + 4, kind)
    return None
