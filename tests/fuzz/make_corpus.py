#!/usr/bin/python3
"""Rebuilds the seed corpora in tests/fuzz/corpus/ (run with /usr/bin/python3).

Seeds are small on purpose: the valid and malformed design files from
tests/data, the sample designs, a handful of .npy arrays of every dtype and
header version the reader handles (and some it refuses), and safetensors files
of every dtype plus a few of the PyTorch op fixtures, and two exported ONNX
models plus the hostile ones of tests/data/hostile.
"""
import glob
import json
import os
import shutil
import struct

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "fuzz", "corpus")


def fresh(name):
    d = os.path.join(OUT, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def designs():
    d = fresh("design")
    files = sorted(glob.glob(os.path.join(ROOT, "tests/data/valid/*.json")))
    files += sorted(glob.glob(os.path.join(ROOT, "tests/data/malformed/*.json")))
    files += sorted(glob.glob(os.path.join(ROOT, "resources/samples/*.json")))
    files += sorted(glob.glob(os.path.join(ROOT, "plugins/*/examples/*.json")))
    for f in files:
        if os.path.basename(f) == "expected.json" or os.path.getsize(f) > 64 * 1024:
            continue
        rel = os.path.relpath(f, ROOT).replace("/", "_")
        shutil.copy(f, os.path.join(d, rel))
    # analysis only sees designs that load: the valid ones and the malformed
    # ones whose problems are op-level (unknown op, bad attrs, shapes, cycles).
    a = fresh("analyze")
    for f in files:
        try:
            j = json.load(open(f))
        except Exception:
            continue
        if isinstance(j, dict) and j.get("format") == "archscope.design" and isinstance(j.get("nodes"), list):
            if os.path.getsize(f) <= 16 * 1024:
                shutil.copy(f, os.path.join(a, os.path.relpath(f, ROOT).replace("/", "_")))


def npys():
    d = fresh("npy")
    arrays = {
        "f4_2x3": np.arange(6, dtype="<f4").reshape(2, 3),
        "f8_4": np.linspace(-1, 1, 4).astype("<f8"),
        "i8_3": np.array([1, -2, 3], dtype="<i8"),
        "i4_2x2": np.array([[1, 2], [3, 4]], dtype="<i4"),
        "f4_scalar": np.array(3.5, dtype="<f4"),
        "f4_empty": np.zeros((0, 4), dtype="<f4"),
        "f4_1x1x1x2": np.ones((1, 1, 1, 2), dtype="<f4"),
        "refused_f2": np.ones(3, dtype="<f2"),
        "refused_big_endian": np.ones(3, dtype=">f4"),
        "refused_fortran": np.asfortranarray(np.ones((2, 3), dtype="<f4")),
    }
    for name, arr in arrays.items():
        np.save(os.path.join(d, name + ".npy"), arr, allow_pickle=False)
    # version 2.0 header (4-byte length)
    hdr = b"{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }"
    hdr += b" " * ((64 - (12 + len(hdr) + 1) % 64) % 64) + b"\n"
    with open(os.path.join(d, "v2_f4_2.npy"), "wb") as f:
        f.write(b"\x93NUMPY\x02\x00" + struct.pack("<I", len(hdr)) + hdr + np.array([1, 2], dtype="<f4").tobytes())


def safetensors_file(path, tensors, metadata=None):
    header, blobs, off = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, (dtype, shape, raw) in tensors.items():
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [off, off + len(raw)]}
        blobs.append(raw)
        off += len(raw)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def safetensors():
    d = fresh("safetensors")
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    safetensors_file(os.path.join(d, "all_dtypes.safetensors"), {
        "n.f32": ("F32", a.shape, a.tobytes()),
        "n.f16": ("F16", a.shape, a.astype("<f2").tobytes()),
        "n.bf16": ("BF16", a.shape, (a.view("<u4") >> 16).astype("<u2").tobytes()),
        "n.f64": ("F64", a.shape, a.astype("<f8").tobytes()),
        "n.i64": ("I64", (3,), np.array([1, -2, 3], dtype="<i8").tobytes()),
        "n.i32": ("I32", (3,), np.array([1, -2, 3], dtype="<i4").tobytes()),
    }, {"format": "pt"})
    safetensors_file(os.path.join(d, "scalar_and_empty.safetensors"), {
        "s": ("F32", (), np.array(2.0, dtype="<f4").tobytes()),
        "e": ("F32", (0, 3), b""),
    })
    safetensors_file(os.path.join(d, "refused_u8.safetensors"), {"x": ("U8", (2,), b"\x01\x02")})
    fixtures = sorted(glob.glob(os.path.join(ROOT, "tests/fixtures/ops/*.safetensors")), key=os.path.getsize)[:8]
    for f in fixtures:
        shutil.copy(f, os.path.join(d, os.path.basename(f)))


def onnx_models():
    d = fresh("onnx")
    files = [os.path.join(ROOT, "tests/fixtures/onnx", f) for f in ("mobilenetv2.onnx", "unsupported_nonzero.onnx")]
    files += sorted(glob.glob(os.path.join(ROOT, "tests/data/hostile/*.onnx")))
    for f in files:
        if os.path.exists(f):
            shutil.copy(f, os.path.join(d, os.path.basename(f)))


def plugin_seeds():
    # fuzz_plugin reads structured choices from raw bytes: a few fixed
    # pseudo-random seeds of different lengths get it going.
    d = fresh("plugin")
    state = 12345
    for i, n in enumerate((64, 256, 1024, 4096)):
        out = bytearray()
        for _ in range(n):
            state = (state * 1103515245 + 12345) & 0x7FFFFFFF
            out.append(state >> 16 & 0xFF)
        with open(os.path.join(d, f"seed{i}.bin"), "wb") as f:
            f.write(bytes(out))


if __name__ == "__main__":
    designs()
    npys()
    safetensors()
    onnx_models()
    plugin_seeds()
    for name in sorted(os.listdir(OUT)):
        files = os.listdir(os.path.join(OUT, name))
        size = sum(os.path.getsize(os.path.join(OUT, name, f)) for f in files)
        print(f"{name}: {len(files)} files, {size} bytes")
