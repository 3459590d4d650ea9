"""PyTorch reference results for vectorgrad's differential tests (TorchDifferentialTest).

Usage: torch_reference.py CASES.json INPUTS.safetensors OUTPUTS.safetensors ERRORS.json

CASES.json lists the cases: {"cases": [{"name", "model", "steps", "head"}, ...]}.
  model  a module spec: {"type": "Conv2d", "args": [...], "kwargs": {...}} or
         {"type": "Sequential", "children": [spec, ...]}; only the torch.nn classes in MODULES.
  steps  [{"mode": "train" | "eval"}, ...]: the model runs once per step, in that mode, on input xK.
  head   {"kind": "project"}: the objective is sum over steps of sum(yK * gyK); or
         {"kind": "loss", "loss": {"type", "reduction", ...}, "target": "index" | "dense",
          "target_grad": bool, "l2": {"lambda", "names"} or absent}: the objective is the sum
         over steps of the loss of yK against target tK (weighted by glK when reduction is none).

INPUTS holds, for every case C, the tensors C/param/NAME (every parameter of the model),
C/buffer/NAME (optional: buffers to set before the first step), C/xK, C/gyK, C/tK, C/glK.

OUTPUTS receives, for every case that ran: C/yK (model outputs), C/lossK, C/grad/xK, C/grad/tK
(when asked for), C/grad/param/NAME, C/buffer/NAME (every buffer after the last step, as float32).
ERRORS.json maps the name of each case that raised to its traceback; the other cases still run.

Everything runs in float32 on one thread. The safetensors package is not needed: the files are
parsed and written with struct and json. Exit status 77 means torch or numpy cannot be imported
(the Java test then skips itself); any other non-zero status is a failure.
"""
import json
import struct
import sys
import traceback

try:
    import numpy as np
    import torch
    from torch import nn
except ImportError as e:  # pragma: no cover - depends on the machine
    print("SKIP: cannot import torch/numpy: %s" % e)
    sys.exit(77)


# ---------------------------------------------------------------- safetensors, float32 only

def read_tensors(path):
    with open(path, "rb") as f:
        blob = f.read()
    (n,) = struct.unpack("<Q", blob[:8])
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    header.pop("__metadata__", None)
    base = 8 + n
    out = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            raise ValueError("%s: dtype %s, expected F32" % (name, info["dtype"]))
        begin, end = info["data_offsets"]
        values = np.frombuffer(blob, dtype="<f4", count=(end - begin) // 4, offset=base + begin)
        out[name] = torch.from_numpy(values.astype(np.float32).reshape(info["shape"]))
    return out


def write_tensors(path, tensors):
    header, chunks, position = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [position, position + len(data)]}
        position += len(data)
        chunks.append(data)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for c in chunks:
            f.write(c)


# ---------------------------------------------------------------- models and losses

MODULES = {
    "Sequential", "Linear", "Conv2d", "MaxPool2d", "AvgPool2d", "BatchNorm1d", "BatchNorm2d", "Dropout",
    "ReLU", "LeakyReLU", "Sigmoid", "Tanh", "Softmax", "LogSoftmax", "Flatten",
}


def tuples(v):
    return tuple(v) if isinstance(v, list) else v


def build(spec):
    kind = spec["type"]
    if kind not in MODULES:
        raise ValueError("unknown module type %r" % kind)
    if kind == "Sequential":
        return nn.Sequential(*[build(c) for c in spec.get("children", [])])
    args = [tuples(a) for a in spec.get("args", [])]
    kwargs = {k: tuples(v) for k, v in spec.get("kwargs", {}).items()}
    return getattr(nn, kind)(*args, **kwargs)


def hinge(delta, reduction):
    """ROB 102's multiclass SVM loss, written out: sum over j != y of max(0, s_j - s_y + delta)."""
    def f(scores, labels):
        correct = scores.gather(1, labels.unsqueeze(1))
        margins = torch.clamp(scores - correct + delta, min=0)
        others = torch.ones_like(scores).scatter(1, labels.unsqueeze(1), 0.0)
        per_sample = (margins * others).sum(dim=1)
        return reduce(per_sample, reduction)
    return f


def reduce(values, reduction):
    if reduction == "mean":
        return values.mean()
    if reduction == "sum":
        return values.sum()
    if reduction == "none":
        return values
    raise ValueError("unknown reduction %r" % reduction)


def criterion(spec):
    kind, reduction = spec["type"], spec.get("reduction", "mean")
    if kind in ("MSELoss", "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "NLLLoss"):
        return getattr(nn, kind)(reduction=reduction)
    if kind == "sse":  # the lectures' E_total = sum 1/2 (target - output)^2
        return lambda o, t: 0.5 * ((t - o) ** 2).sum()
    if kind == "hinge":
        return hinge(float(spec["delta"]), reduction)
    raise ValueError("unknown loss %r" % kind)


# ---------------------------------------------------------------- one case

def run_case(case, inputs, results):
    name = case["name"]

    def get(key):
        full = name + "/" + key
        if full not in inputs:
            raise KeyError("input %s is missing" % full)
        return inputs[full]

    model = build(case["model"])
    params = dict(model.named_parameters())
    buffers = dict(model.named_buffers())
    with torch.no_grad():
        for pname, p in params.items():
            p.copy_(get("param/" + pname))
        for bname, b in buffers.items():
            key = name + "/buffer/" + bname
            if key in inputs:
                b.copy_(inputs[key])

    head = case["head"]
    loss_fn, l2 = None, None
    if head["kind"] == "loss":
        loss_fn = criterion(head["loss"])
        l2 = head.get("l2")
    elif head["kind"] != "project":
        raise ValueError("unknown head %r" % head["kind"])

    out = {}
    xs, ts = [], []
    total = torch.zeros(())
    for k, step in enumerate(case["steps"]):
        model.train(step["mode"] == "train")
        x = get("x%d" % k).clone().requires_grad_(True)
        xs.append(x)
        y = model(x)
        out["y%d" % k] = y
        if loss_fn is None:
            total = total + (y * get("gy%d" % k)).sum()
            continue
        t = get("t%d" % k).clone()
        if head["target"] == "index":
            t = t.round().long()
        elif head.get("target_grad"):
            t.requires_grad_(True)
            ts.append((k, t))
        loss = loss_fn(y, t)
        if l2 is not None:
            penalty = sum((params[n] ** 2).sum() for n in l2["names"])
            loss = loss + float(l2["lambda"]) * penalty
        out["loss%d" % k] = loss
        if head["loss"].get("reduction") == "none":
            total = total + (loss * get("gl%d" % k)).sum()
        else:
            total = total + loss
    total.backward()

    for k, x in enumerate(xs):
        out["grad/x%d" % k] = x.grad if x.grad is not None else torch.zeros_like(x)
    for k, t in ts:
        out["grad/t%d" % k] = t.grad if t.grad is not None else torch.zeros_like(t)
    for pname, p in params.items():
        out["grad/param/" + pname] = p.grad if p.grad is not None else torch.zeros_like(p)
    for bname, b in model.named_buffers():
        out["buffer/" + bname] = b.to(torch.float32)
    for key, value in out.items():
        results[name + "/" + key] = value.detach()


def main():
    if len(sys.argv) != 5:
        print("usage: torch_reference.py CASES.json INPUTS.safetensors OUTPUTS.safetensors ERRORS.json")
        sys.exit(2)
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(True)
    torch.set_default_dtype(torch.float32)
    with open(sys.argv[1], "r", encoding="utf-8") as f:
        cases = json.load(f)["cases"]
    inputs = read_tensors(sys.argv[2])
    results, errors = {}, {}
    for case in cases:
        try:
            run_case(case, inputs, results)
        except Exception:  # reported to the Java side case by case
            errors[case["name"]] = traceback.format_exc()
    write_tensors(sys.argv[3], results)
    with open(sys.argv[4], "w", encoding="utf-8") as f:
        json.dump(errors, f)
    print("OK torch %s numpy %s: %d cases, %d failed in torch" % (torch.__version__, np.__version__, len(cases),
                                                                len(errors)))


if __name__ == "__main__":
    main()
