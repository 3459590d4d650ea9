#!/usr/bin/env python3
"""A notebook's first training epochs in a fresh kernel, with and without the kernel's idle JIT warm-up.

For each model (the MLP 784-128-10 with SGD 0.1, LeNet-5 with Adam 1e-3; Fashion-MNIST, batch 64) and each
setting of VECTORGRAD_WARMUP (1: on, the default; 0: off), a fresh kernel is started, left idle for
--idle seconds (what a lecturer's talk or a student's reading gives it), then one cell loads the data and
the next trains --epochs epochs, printing each epoch's seconds. Runs alternate between the settings.

    first_epoch.py --java JAVA --jar vectorgrad-kernel.jar [--idle 12] [--repeats 2] [--out FILE.md]

Needs jupyter_client and the dataset-fashion-mnist package. A benchmark: it reports, it does not judge.
"""

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time

from cell_text import run_cell
from jupyter_dirs import jupyter_dirs

LOAD = "var data = Datasets.fashionMnist().normalized();"
MODELS = {
    "mlp": ("MLP 784-128-10, SGD 0.1",
            "var model = new Sequential(new Flatten(), new Linear(784, 128), new ReLU(), new Linear(128, 10));\n"
            "var opt = new SGD(model.parameters(), 0.1);"),
    "lenet": ("LeNet-5, Adam 1e-3",
              "var model = new Sequential(new Conv2d(1, 6, 5, 1, 2), new ReLU(), new MaxPool2d(2), new Conv2d(6, 16, 5),"
              " new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(400, 120), new ReLU(), new Linear(120, 84),"
              " new ReLU(), new Linear(84, 10));\nvar opt = new Adam(model.parameters(), 1e-3);"),
}
TRAIN = """\
var loader = DataLoader.builder(data.train()).batchSize(64).shuffle(1L).build();
var lossFn = Loss.crossEntropy();
for (int e = 0; e < %d; e++) {
    long t0 = System.nanoTime();
    for (var b : loader) {
        opt.zeroGrad();
        lossFn.apply(model.forward(b.x()), b.y()).backward();
        opt.step();
    }
    System.out.printf(java.util.Locale.ROOT, "epoch %%.3f%%n", (System.nanoTime() - t0) / 1e9);
}"""


def epochs_in_fresh_kernel(model, warmup, idle, epochs):
    from jupyter_client import KernelManager
    os.environ["VECTORGRAD_WARMUP"] = "1" if warmup else "0"
    km = KernelManager(kernel_name="vectorgrad")
    km.start_kernel(stderr=subprocess.DEVNULL)
    kc = km.client()
    try:
        kc.start_channels()
        kc.wait_for_ready(timeout=120)
        time.sleep(idle)
        run_cell(kc, LOAD + "\n" + MODELS[model][1], timeout=900)
        text = run_cell(kc, TRAIN % epochs, timeout=900)
        return [float(l.split()[1]) for l in text.splitlines() if l.startswith("epoch ")]
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--java", required=True)
    ap.add_argument("--jar", required=True)
    ap.add_argument("--idle", type=float, default=12, help="seconds the kernel is left idle before the cells")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--models", default="mlp,lenet")
    ap.add_argument("--out", help="also write the table to this Markdown file")
    args = ap.parse_args()
    workdir = tempfile.mkdtemp(prefix="vg-first-epoch-")
    prefix = os.path.join(workdir, "prefix")
    os.environ.update(jupyter_dirs(workdir, prefix))
    rows = []
    load = os.getloadavg()[0]
    try:
        subprocess.run([args.java, "-jar", os.path.abspath(args.jar), "install", "--prefix", prefix, "--java", args.java],
                       check=True, capture_output=True, timeout=600)
        for model in args.models.split(","):
            for r in range(args.repeats):
                for warmup in ((True, False) if r % 2 == 0 else (False, True)):
                    t = epochs_in_fresh_kernel(model, warmup, args.idle, args.epochs)
                    rows.append((model, warmup, t))
                    print("%s warm-up %s: %s" % (model, "on " if warmup else "off", " ".join("%.3f" % x for x in t)),
                          flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    lines = ["# First epochs in a fresh kernel, with and without the idle JIT warm-up", "",
             "%s; %d cores; load average %.1f at the start; each kernel idle %.0f s before its first cell. "
             "Command: `python3 jupyter-kernel/src/test/python/first_epoch.py --java $JAVA --jar "
             "jupyter-kernel/target/vectorgrad-kernel.jar --idle %.0f --repeats %d`."
             % (datetime.date.today().isoformat(), os.cpu_count(), load, args.idle, args.idle, args.repeats), "",
             "| model | idle warm-up | " + " | ".join("epoch %d s" % (i + 1) for i in range(args.epochs)) + " |",
             "|---|---|" + "---:|" * args.epochs]
    for model, warmup, t in rows:
        lines.append("| %s | %s | %s |" % (MODELS[model][0], "on" if warmup else "off", " | ".join("%.3f" % x for x in t)))
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        tmp = args.out + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
