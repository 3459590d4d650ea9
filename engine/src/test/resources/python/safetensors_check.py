"""Cross-check of vectorgrad's safetensors files against PyTorch, in both directions.

Usage: safetensors_check.py OURS.safetensors EXPECTED.json OUT.safetensors OUT_EXPECTED.json

1. Parses OURS (written by vectorgrad) with nothing but struct and json, checks the layout rules
   of the format, loads every tensor with torch.frombuffer and compares it bit for bit with
   EXPECTED.json ({"metadata": {...}, "tensors": [{"name", "shape", "bits"}]}, bits = the float32
   values as signed int32 bit patterns, in header order).
2. Writes OUT (one tensor per dtype torch can produce, laid out the way the reference writer does:
   sorted by dtype then by name) and OUT_EXPECTED.json with torch's own float32 conversion of every
   tensor, for vectorgrad to read back and compare.

The safetensors Python package is not needed. Exit status 77 means torch or numpy is missing
(the Java test then reports itself as skipped); any other non-zero status is a failure.
"""
import json
import math
import struct
import sys

try:
    import numpy as np
    import torch
except ImportError as e:  # pragma: no cover - depends on the machine
    print("SKIP: cannot import torch/numpy: %s" % e)
    sys.exit(77)


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def unique_keys(pairs):
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        fail("duplicate keys in header: %r" % keys)
    return dict(pairs)  # dicts keep insertion order


def check_ours(path, expected_path):
    with open(path, "rb") as f:
        blob = f.read()
    with open(expected_path, "r", encoding="utf-8") as f:
        expected = json.load(f)
    if len(blob) < 8:
        fail("file shorter than 8 bytes")
    (n,) = struct.unpack("<Q", blob[:8])
    if n % 8 != 0:
        fail("header length %d is not a multiple of 8" % n)
    raw_header = blob[8:8 + n]
    text = raw_header.decode("utf-8")
    stripped = text.rstrip(" ")
    if len(text) - len(stripped) >= 8:
        fail("more than 7 bytes of padding")
    header = json.loads(stripped, object_pairs_hook=unique_keys)
    keys = list(header)
    if stripped != json.dumps(header, separators=(",", ":"), ensure_ascii=False):
        fail("header is not compact JSON in a stable key order: %r" % stripped)
    meta = header.pop("__metadata__", {})
    if meta != expected["metadata"]:
        fail("metadata %r != %r" % (meta, expected["metadata"]))
    if expected["metadata"] and keys[0] != "__metadata__":
        fail("__metadata__ is not the first key")
    names = [k for k in keys if k != "__metadata__"]
    want_names = [t["name"] for t in expected["tensors"]]
    if names != want_names:
        fail("tensor order %r != %r" % (names, want_names))
    data = blob[8 + n:]
    position = 0
    for t in expected["tensors"]:
        info = header[t["name"]]
        if set(info) != {"dtype", "shape", "data_offsets"}:
            fail("unexpected keys %r" % sorted(info))
        if info["dtype"] != "F32" or info["shape"] != t["shape"]:
            fail("%s: dtype/shape %r %r" % (t["name"], info["dtype"], info["shape"]))
        begin, end = info["data_offsets"]
        numel = math.prod(t["shape"])
        if begin != position or end - begin != 4 * numel:
            fail("%s: offsets %r, expected to start at %d and span %d bytes" % (t["name"], info["data_offsets"], position, 4 * numel))
        position = end
        chunk = bytearray(data[begin:end])
        if numel == 0:
            tensor = torch.empty(t["shape"], dtype=torch.float32)
        else:
            tensor = torch.frombuffer(chunk, dtype=torch.float32).reshape(t["shape"])
        bits = tensor.view(torch.int32).flatten().tolist()
        if bits != t["bits"]:
            fail("%s: torch read bits %r, expected %r" % (t["name"], bits[:8], t["bits"][:8]))
        as_numpy = np.frombuffer(bytes(chunk), dtype="<i4").tolist()
        if as_numpy != t["bits"]:
            fail("%s: numpy read different bits" % t["name"])
    if position != len(data):
        fail("data section has %d bytes, tensors cover %d" % (len(data), position))


# The reference writer orders tensors by dtype (descending, in this order) and then by name.
DTYPE_ORDER = ["BOOL", "U8", "I8", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"]
TORCH_DTYPES = {
    torch.float64: "F64", torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16",
    torch.int64: "I64", torch.int32: "I32", torch.int16: "I16", torch.int8: "I8", torch.uint8: "U8",
    torch.bool: "BOOL",
}


def raw_bytes(t):
    t = t.contiguous()
    if t.dtype == torch.bfloat16:
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    if t.dtype == torch.bool:
        return t.to(torch.uint8).numpy().tobytes()
    a = t.numpy()
    return a.astype(a.dtype.newbyteorder("<")).tobytes()


def write_theirs(path, expected_path):
    g = torch.Generator().manual_seed(1234)
    nan, inf = float("nan"), float("inf")
    tensors = {
        "f64": torch.tensor([1 / 3, -1e300, 1e-50, 2.5, nan, -inf, 16777217.0], dtype=torch.float64),
        "f16": torch.tensor([1.0, -2.0, 65504.0, 6e-8, inf, -0.0, nan, 0.1], dtype=torch.float16),
        "bf16": torch.tensor([[1.0, -5.0, 3.14159], [1e38, inf, -0.0]], dtype=torch.bfloat16),
        "i64": torch.tensor([-7, 2 ** 40 + 12345, 2 ** 62 + 1, -(2 ** 53) - 1], dtype=torch.int64),
        "i32": torch.tensor([-1, 16777217, 2 ** 31 - 1, -(2 ** 31)], dtype=torch.int32),
        "i16": torch.tensor([-32768, 32767, 5], dtype=torch.int16),
        "i8": torch.tensor([-128, 127, 0], dtype=torch.int8),
        "u8": torch.tensor([0, 255, 128], dtype=torch.uint8),
        "mask": torch.tensor([True, False, True]),
        "fc.weight": torch.randn(3, 4, generator=g),
        "scalar": torch.tensor(2.5),
        "empty": torch.zeros(0, 3),
        "layer.0.bias": torch.randn(5, generator=g).to(torch.float16),
    }
    order = sorted(tensors, key=lambda k: (-DTYPE_ORDER.index(TORCH_DTYPES[tensors[k].dtype]), k))
    metadata = {"format": "pt", "source": "torch %s" % torch.__version__}
    header = {"__metadata__": metadata}
    chunks, position, expected = [], 0, []
    for name in order:
        t = tensors[name]
        b = raw_bytes(t)
        header[name] = {"dtype": TORCH_DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [position, position + len(b)]}
        position += len(b)
        chunks.append(b)
        bits = t.to(torch.float32).contiguous().view(torch.int32).flatten().tolist()
        expected.append({"name": name, "dtype": TORCH_DTYPES[t.dtype], "shape": list(t.shape), "bits": bits})
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in chunks:
            f.write(b)
    with open(expected_path, "w", encoding="utf-8") as f:
        json.dump({"metadata": metadata, "tensors": expected}, f)


def main():
    if len(sys.argv) != 5:
        fail("usage: safetensors_check.py OURS EXPECTED.json OUT OUT_EXPECTED.json")
    check_ours(sys.argv[1], sys.argv[2])
    write_theirs(sys.argv[3], sys.argv[4])
    print("OK torch %s numpy %s" % (torch.__version__, np.__version__))


if __name__ == "__main__":
    main()
