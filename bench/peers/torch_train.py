#!/usr/bin/env python3
"""Peer timing for TrainBench: one training epoch of LeNet-5 and of an MLP on Fashion-MNIST in PyTorch.

The models, optimizers, batch size and data are those of bench/.../TrainBench.java:
  lenet: Conv2d(1,6,5,padding=2) ReLU MaxPool2d(2) Conv2d(6,16,5) ReLU MaxPool2d(2) Flatten
         Linear(400,120) ReLU Linear(120,84) ReLU Linear(84,10); Adam(lr=1e-3)
  mlp:   Linear(784,128) ReLU Linear(128,10); SGD(lr=0.1)
  cross-entropy loss, batch 64, shuffled every epoch, pixels scaled to [0,1] then standardized with
  Fashion-MNIST's mean 0.2860 and std 0.3530. The whole training set is converted to one float tensor up
  front and batches are gathered by index (PyTorch's fastest plain-Python input path).

Each (model, threads) pair runs --warmup untimed steps (0: none, so the first timed epoch pays every
first-use cost, as a fresh process does), then times --epochs epochs, each on a fresh shuffle, or, with
--steps S, only the first S steps of each, extrapolated to a whole epoch (938 steps). Prints a progress
line per epoch and one JSON line per pair:
  {"model": "lenet", "impl": "torch", "threads": 1, "first_epoch_s": ..., "epoch_s": ..., "test_acc": ...}
first_epoch_s is the first timed epoch, epoch_s the best (smallest), epochs_s all of them; cpu_epoch_s the
smallest process CPU time of an epoch (all threads), a steadier measure on a shared machine; test_acc is
measured after the last one. "threads" is torch.set_num_threads; blas_threads what the loaded OpenBLAS
says it uses (torch does not set it: OPENBLAS_NUM_THREADS does). Exits with status 3 when the data set
is missing.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/peers/torch_train.py \
        --models lenet,mlp --threads 1,2 --epochs 5 --warmup 0
"""
import argparse
import ctypes
import gzip
import json
import os
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn

MEAN, STD = 0.2860, 0.3530


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", default=os.environ.get("VECTORGRAD_FASHION_MNIST", "/usr/share/datasets/fashion-mnist"))
    p.add_argument("--models", default="lenet,mlp", help="comma-separated: lenet, mlp")
    p.add_argument("--threads", default="1,2", help="comma-separated torch.set_num_threads values")
    p.add_argument("--epochs", type=int, default=1, help="timed epochs per (model, threads); first and best reported")
    p.add_argument("--steps", type=int, default=0, help="time only this many steps per epoch and extrapolate")
    p.add_argument("--warmup", type=int, default=20, help="untimed steps before timing")
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--seed", type=int, default=1)
    return p.parse_args()


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0]
    dims = magic & 0xFF
    shape = struct.unpack(">" + "I" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


FILES = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
         "t10k-labels-idx1-ubyte.gz")


def load(directory):
    missing = [f for f in FILES if not os.path.isfile(os.path.join(directory, f))]
    if missing:
        print("torch_train.py: Fashion-MNIST not found in %s (missing %s; install dataset-fashion-mnist)"
              % (directory, ", ".join(missing)), file=sys.stderr)
        sys.exit(3)

    def images(name):
        x = read_idx(os.path.join(directory, name)).astype(np.float32) / 255.0
        return torch.from_numpy((x - MEAN) / STD).unsqueeze(1).contiguous()

    def labels(name):
        return torch.from_numpy(read_idx(os.path.join(directory, name)).astype(np.int64))

    return images(FILES[0]), labels(FILES[1]), images(FILES[2]), labels(FILES[3])


def blas_threads():
    """Threads of the OpenBLAS this process loaded (torch's linear layers), or None if there is none."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line.lower()}
    except OSError:
        return None
    for path in sorted(paths):
        try:
            return ctypes.CDLL(path).openblas_get_num_threads()
        except (OSError, AttributeError):
            continue
    return None


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, 1, 2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))


def mlp():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))


def build(name):
    model = lenet() if name == "lenet" else mlp()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3) if name == "lenet" else \
        torch.optim.SGD(model.parameters(), lr=0.1)
    return model, opt


def step(model, opt, loss_fn, x, y):
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    return loss


def evaluate(model, x, y):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, x.shape[0], 1000):
            correct += (model(x[i:i + 1000]).argmax(1) == y[i:i + 1000]).sum().item()
    model.train()
    return correct / x.shape[0]


def run(name, threads, data, args):
    torch.set_num_threads(threads)
    torch.manual_seed(args.seed)
    xtr, ytr, xte, yte = data
    model, opt = build(name)
    loss_fn = nn.CrossEntropyLoss()
    n = xtr.shape[0]
    steps_per_epoch = (n + args.batch - 1) // args.batch
    g = torch.Generator().manual_seed(args.seed)

    # Warm-up steps walk through epochs as TrainBench's DataLoader does: a fresh shuffle at each start.
    for s in range(args.warmup):
        k = s % steps_per_epoch
        if k == 0:
            perm = torch.randperm(n, generator=g)
        idx = perm[k * args.batch:(k + 1) * args.batch]
        step(model, opt, loss_fn, xtr[idx], ytr[idx])

    timed = args.steps if 0 < args.steps < steps_per_epoch else steps_per_epoch
    epochs, cpus = [], []
    for e in range(args.epochs):
        perm = torch.randperm(n, generator=g)
        c0 = time.process_time()
        t0 = time.perf_counter()
        for s in range(timed):
            idx = perm[s * args.batch:(s + 1) * args.batch]
            step(model, opt, loss_fn, xtr[idx], ytr[idx])
        epochs.append((time.perf_counter() - t0) * steps_per_epoch / timed)
        cpus.append((time.process_time() - c0) * steps_per_epoch / timed)
        print("# %s, %d threads, epoch %d: %.3f s/epoch, CPU %.3f s/epoch" % (name, threads, e + 1, epochs[-1],
                                                                             cpus[-1]), flush=True)
    best = min(epochs)
    return {"model": name, "impl": "torch", "threads": threads, "torch": torch.__version__,
            "blas_threads": blas_threads(), "warmup": args.warmup, "steps_per_epoch": steps_per_epoch,
            "steps_timed": timed, "epochs": args.epochs, "first_epoch_s": round(epochs[0], 4),
            "epoch_s": round(best, 4), "epochs_s": [round(t, 4) for t in epochs],
            "step_ms": round(1000 * best / steps_per_epoch, 4), "cpu_epoch_s": round(min(cpus), 4),
            "test_acc": round(evaluate(model, xte, yte), 4)}


def main():
    args = parse_args()
    data = load(args.data)
    for name in [m.strip() for m in args.models.split(",") if m.strip()]:
        if name not in ("lenet", "mlp"):
            sys.exit("torch_train.py: unknown model " + name)
        for t in [int(v) for v in args.threads.split(",") if v.strip()]:
            print(json.dumps(run(name, t, data, args)), flush=True)


if __name__ == "__main__":
    main()
