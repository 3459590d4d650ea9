#!/usr/bin/env python3
"""Peer timing for TrainBench: one training epoch of LeNet-5 and of an MLP on Fashion-MNIST in PyTorch.

The models, optimizers, batch size and data are those of bench/.../TrainBench.java:
  lenet: Conv2d(1,6,5,padding=2) ReLU MaxPool2d(2) Conv2d(6,16,5) ReLU MaxPool2d(2) Flatten
         Linear(400,120) ReLU Linear(120,84) ReLU Linear(84,10); Adam(lr=1e-3)
  mlp:   Linear(784,128) ReLU Linear(128,10); SGD(lr=0.1)
  cross-entropy loss, batch 64, shuffled every epoch, pixels scaled to [0,1] then standardized with
  Fashion-MNIST's mean 0.2860 and std 0.3530. The whole training set is converted to one float tensor up
  front and batches are gathered by index (PyTorch's fastest plain-Python input path).

Each (model, threads) pair runs a short warm-up (--warmup steps), then times --epochs full epochs, or,
with --steps S, only the first S steps of an epoch, extrapolated to a whole epoch (938 steps). Prints one
JSON line per pair:
  {"model": "lenet", "threads": 1, "epoch_s": ..., "step_ms": ..., "steps_timed": ..., "test_acc": ...}
epoch_s is the best (smallest) of the timed epochs; cpu_epoch_s the process CPU time of an epoch (all threads),
a steadier measure on a shared machine; test_acc is measured after the last one.

    env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/python3 bench/peers/torch_train.py \
        --models lenet,mlp --threads 1,2 --steps 200
"""
import argparse
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
    p.add_argument("--epochs", type=int, default=1, help="timed epochs per (model, threads); the best is reported")
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


def load(directory):
    def images(name):
        x = read_idx(os.path.join(directory, name)).astype(np.float32) / 255.0
        return torch.from_numpy((x - MEAN) / STD).unsqueeze(1).contiguous()

    def labels(name):
        return torch.from_numpy(read_idx(os.path.join(directory, name)).astype(np.int64))

    return (images("train-images-idx3-ubyte.gz"), labels("train-labels-idx1-ubyte.gz"),
            images("t10k-images-idx3-ubyte.gz"), labels("t10k-labels-idx1-ubyte.gz"))


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

    perm = torch.randperm(n, generator=g)
    for s in range(args.warmup):
        idx = perm[(s * args.batch) % n:(s * args.batch) % n + args.batch]
        step(model, opt, loss_fn, xtr[idx], ytr[idx])

    timed = args.steps if 0 < args.steps < steps_per_epoch else steps_per_epoch
    best = float("inf")
    best_cpu = float("inf")
    for _ in range(args.epochs):
        perm = torch.randperm(n, generator=g)
        c0 = time.process_time()
        t0 = time.perf_counter()
        for s in range(timed):
            idx = perm[s * args.batch:(s + 1) * args.batch]
            step(model, opt, loss_fn, xtr[idx], ytr[idx])
        best = min(best, (time.perf_counter() - t0) * steps_per_epoch / timed)
        best_cpu = min(best_cpu, (time.process_time() - c0) * steps_per_epoch / timed)
    return {"model": name, "threads": threads, "torch": torch.__version__, "epoch_s": round(best, 4),
            "step_ms": round(1000 * best / steps_per_epoch, 4),
            "cpu_epoch_s": round(best_cpu, 4), "steps_timed": timed, "epochs": args.epochs,
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
