"""PyTorch side of vectorgrad's checkpoint interoperability test (CheckpointsTorchTest).

Usage: checkpoint_check.py DIR

DIR holds, written by vectorgrad's Checkpoints:
  lenet.safetensors, bn.safetensors   the state of two models (LeNet-5, and a small network with
                                      BatchNorm2d and BatchNorm1d whose running statistics have moved)
  inputs.safetensors                  one input batch per model, named "lenet" and "bn"

For each model the script reads the checkpoint with nothing but struct and json, checks its metadata,
loads it into the equivalent torch.nn.Sequential with load_state_dict (strict, so the names must be
PyTorch's own), and runs the input in eval mode. Then it makes a second model of the same
architecture with torch's own initialisation (BatchNorm statistics moved by a training step), saves
its state_dict the way the reference safetensors writer does (sorted, without vectorgrad's metadata,
num_batches_tracked as I64) to theirs_<model>.safetensors, and runs the input through it too.

Outputs go to DIR/outputs.safetensors: "<model>.y" (torch on our weights) and "<model>.y_theirs"
(torch on its own weights). Exit status 77 means torch or numpy is missing (the Java test then
skips itself); any other non-zero status is a failure.
"""
import json
import struct
import sys

try:
    import numpy as np
    import torch
    from torch import nn
except ImportError as e:  # pragma: no cover - depends on the machine
    print("SKIP: cannot import torch/numpy: %s" % e)
    sys.exit(77)


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


DTYPES = {"F32": (np.float32, torch.float32), "I64": (np.int64, torch.int64)}
TORCH_NAMES = {torch.float32: "F32", torch.int64: "I64"}
# The reference writer orders tensors by dtype (in this order, largest first) and then by name.
DTYPE_ORDER = ["BOOL", "U8", "I8", "I16", "U16", "F16", "BF16", "I32", "U32", "F32", "F64", "I64", "U64"]


def read_file(path):
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    base = 8 + n
    tensors = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            fail("%s: %s is %s, vectorgrad writes F32" % (path, name, info["dtype"]))
        begin, end = info["data_offsets"]
        values = np.frombuffer(blob, dtype="<f4", count=(end - begin) // 4, offset=base + begin)
        tensors[name] = torch.from_numpy(values.astype(np.float32).reshape(info["shape"]))
    return metadata, tensors


def write_file(path, tensors, metadata=None):
    def key(name):
        return (-DTYPE_ORDER.index(TORCH_NAMES[tensors[name].dtype]), name)

    header = {} if metadata is None else {"__metadata__": metadata}
    chunks, position = [], 0
    for name in sorted(tensors, key=key):
        t = tensors[name].detach().contiguous()
        np_type = DTYPES[TORCH_NAMES[t.dtype]][0]
        data = t.numpy().astype(np.dtype(np_type).newbyteorder("<")).tobytes()
        header[name] = {"dtype": TORCH_NAMES[t.dtype], "shape": list(t.shape),
                        "data_offsets": [position, position + len(data)]}
        position += len(data)
        chunks.append(data)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for c in chunks:
            f.write(c)


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, 1, 2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def with_batch_norm():
    return nn.Sequential(
        nn.Conv2d(2, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(),
        nn.Linear(4 * 4 * 4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 3))


MODELS = {"lenet": lenet, "bn": with_batch_norm}


def main():
    if len(sys.argv) != 2:
        fail("usage: checkpoint_check.py DIR")
    d = sys.argv[1]
    torch.manual_seed(1234)
    torch.set_num_threads(1)
    _, inputs = read_file(d + "/inputs.safetensors")
    outputs = {}
    notes = []
    for name, make in MODELS.items():
        metadata, state = read_file("%s/%s.safetensors" % (d, name))
        if metadata.get("format") != "pt" or metadata.get("vectorgrad.format") != "1":
            fail("%s: metadata %r" % (name, metadata))
        if "vectorgrad.version" not in metadata:
            fail("%s: no vectorgrad.version in %r" % (name, metadata))
        model = make()
        if list(state) != list(model.state_dict()):
            fail("%s: names in the file %r, torch's state_dict %r" % (name, list(state), list(model.state_dict())))
        model.load_state_dict(state)  # strict: raises on any missing/unexpected name or shape
        if metadata.get("vectorgrad.model") != str(model):
            notes.append("%s: vectorgrad's repr differs from torch's (informational)" % name)
        model.eval()
        x = inputs[name]
        with torch.no_grad():
            outputs[name + ".y"] = model(x)

        theirs = make()
        if name == "bn":
            theirs.train()
            with torch.no_grad():
                theirs(torch.randn(6, *x.shape[1:]) * 2 + 0.5)
        theirs.eval()
        write_file("%s/theirs_%s.safetensors" % (d, name), theirs.state_dict(),
                   None if name == "lenet" else {"format": "pt"})
        with torch.no_grad():
            outputs[name + ".y_theirs"] = theirs(x)
    write_file(d + "/outputs.safetensors", outputs)
    print("OK torch %s%s" % (torch.__version__, "".join("; note: " + n for n in notes)))


if __name__ == "__main__":
    main()
