#!/usr/bin/env python3
"""Executes the lecture notebooks headless with the vectorgrad kernel.

Installs the kernelspec into a temporary prefix, runs every notebook in
notebooks/ with `jupyter nbconvert --to notebook --execute` (a time limit per
cell), and fails when a cell raises (except cells tagged "raises-exception",
which show an error on purpose) or when a notebook lacks the rich outputs it
is expected to show (charts as image/png, the model summary as text/html, the
live training display, the numbers it reproduces from the slides).

    run_notebooks.py --java JAVA (--jar vectorgrad-kernel.jar | --classpath CP)
                     [--notebooks DIR] [--quick] [--inplace | --output-dir DIR] [--only NAME ...]

--quick sets VECTORGRAD_QUICK=1: the notebooks then train on small subsets,
as CI does. --inplace writes the executed notebooks (with their outputs) back
into the notebooks directory instead of a temporary one. Prints one line per
notebook and exits with the number of failed notebooks.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from jupyter_dirs import jupyter_dirs

# What each notebook must show, beyond running without errors: (output type, text it contains).
# "stdout" is printed text, other types are MIME types of display/execute_result outputs.
EXPECTED = {
    "00-tour": [
        ("text/html", "Tensor shape=(3,4)"),
        ("text/html", "&#8230;"),
        ("stdout", "step 3: loss = 0.333"),
        ("stderr", "(stderr shows too)"),
        ("stdout", "ok   loss = 14 "),
        ("stdout", "ok   SIMD beats the scalar loops"),
        ("image/png", ""),
        ("text/html", "61,706"),
        ("text/html", "vg-progress"),
        ("stdout", "ok   XOR learned"),
        ("text/plain", "Decision boundary"),
        ("text/markdown", "step 5 of 5"),
        ("stdout", "Line magics:"),
        ("stdout", "current backend: simd"),
        ("stdout", "first call: "),
        ("stdout", "Wall time: "),
        ("text/html", "<b>bold</b>"),
        ("text/markdown", "**Markdown** too"),
        ("text/plain", "still here: x sums to 66.0"),
    ],
    "01-tensors-and-gradient-descent": [
        ("text/html", "Tensor shape=(2,3)"),
        ("image/png", ""),
        ("stdout", "ok   x at the minimum ="),
        ("stdout", "ok   df/dx at x = 2 = 80 "),
        ("stdout", "ok   df/dz = q = 3 "),
    ],
    "02-perceptron-and-backprop": [
        ("stdout", "ok   y = g(-6) = 0.002 "),
        ("stdout", "ok   E_total (slide) = 0.298 "),
        ("stdout", "ok   E_total = "),
        ("stdout", "ok   dE_total/dw5 = "),
        ("stdout", "ok   w5+ = "),
        ("stdout", "ok   w1+ = "),
        ("stdout", "ok   E_total after one update = "),
        ("stdout", "ok   E_total in round 10,000 = "),
        ("image/png", ""),
    ],
    "03-two-layer-network-rob102": [
        ("stdout", "ok   s_cat = 188.97 "),
        ("stdout", "ok   s_dog = 211.97 "),
        ("stdout", "ok   s_bird = -84.12 "),
        ("stdout", "ok   predicted class: dog"),
        ("stdout", "matmul: (4,3) x (2,3): inner dimensions 3 and 2 differ"),
        ("image/png", ""),
    ],
    "04-convolution-and-pooling": [
        ("stdout", "ok   5x5 correlated with 3x3 gives the slide's grid"),
        ("stdout", "ok   the edge detector gives the slide's convolution layer 2"),
        ("stdout", "ok   2x2 max pooling gives the slide's 4x4"),
        ("image/png", ""),
    ],
    "05-playground-2d": [
        ("image/png", ""),
        ("text/plain", "Decision boundary"),
        ("text/html", "vg-progress"),
        ("stdout", "ok   a linear model on x^2, y^2 solves the circle"),
    ],
    "06-lenet5-fashion-mnist": [
        ("text/html", "61,706"),
        ("stdout", "ok   LeNet-5 parameters = 61706 "),
        ("text/html", "vg-progress"),
        ("text/html", "Done: "),
        ("image/png", ""),
    ],
}


def text_of(value):
    return "".join(value) if isinstance(value, list) else (value or "")


def check_notebook(name, nb):
    """Problems found in an executed notebook (empty when it is fine)."""
    problems = []
    found = {}  # output type -> list of texts
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        tags = cell.get("metadata", {}).get("tags", [])
        for out in cell.get("outputs", []):
            kind = out["output_type"]
            if kind == "error":
                if "raises-exception" not in tags:
                    problems.append("cell %d raised %s: %s" % (i, out.get("ename"), out.get("evalue", "")[:300]))
                continue
            if kind == "stream":
                found.setdefault("stdout" if out["name"] == "stdout" else "stderr", []).append(text_of(out["text"]))
                continue
            for mime, value in out.get("data", {}).items():
                found.setdefault(mime, []).append(text_of(value) if mime.startswith("text/") else "")
    stdout = "".join(found.get("stdout", []))
    stderr = "".join(found.get("stderr", []))
    if "FAIL " in stdout:
        problems.append("a check printed FAIL")
    for kind, needle in EXPECTED.get(name, []):
        texts = found.get(kind, [])
        if kind == "stdout":
            ok = needle in stdout
        elif kind == "stderr":
            ok = needle in stderr
        else:
            ok = any(needle in t for t in texts)
        if not ok:
            problems.append("no %s output%s" % (kind, " containing %r" % needle if needle else ""))
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--java", required=True, help="a JDK 25 java")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--jar", help="the shaded kernel jar")
    g.add_argument("--classpath", help="class path holding the kernel and its dependencies")
    ap.add_argument("--notebooks", default=os.path.join(os.path.dirname(__file__), "..", "..", "..", "..", "notebooks"))
    ap.add_argument("--quick", action="store_true", help="VECTORGRAD_QUICK=1: small training subsets")
    ap.add_argument("--inplace", action="store_true", help="write the executed notebooks back")
    ap.add_argument("--output-dir", help="keep the executed notebooks here (default: a temporary directory)")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    ap.add_argument("--only", nargs="*", help="notebook names (without .ipynb) to run")
    args = ap.parse_args()

    nbdir = os.path.abspath(args.notebooks)
    names = sorted(f[:-len(".ipynb")] for f in os.listdir(nbdir) if f.endswith(".ipynb"))
    if args.only:
        names = [n for n in names if n in args.only]
    if not names:
        print("FAIL no notebooks in %s" % nbdir, flush=True)
        return 1

    workdir = tempfile.mkdtemp(prefix="vg-notebooks-")
    prefix = os.path.join(workdir, "prefix")
    env = dict(os.environ)
    env.update(jupyter_dirs(workdir, prefix))
    if args.quick:
        env["VECTORGRAD_QUICK"] = "1"
    else:
        env.pop("VECTORGRAD_QUICK", None)
    failed = 0
    try:
        if args.jar:
            install = [args.java, "-jar", args.jar, "install", "--prefix", prefix, "--java", args.java]
        else:
            install = [args.java, "-cp", args.classpath, "dev.vectorgrad.jupyter.KernelMain", "install",
                       "--prefix", prefix, "--java", args.java, "--classpath", args.classpath]
        p = subprocess.run(install, capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            print("FAIL kernelspec install: %s %s" % (p.stdout.strip(), p.stderr.strip()), flush=True)
            return 1
        outdir = nbdir if args.inplace else os.path.abspath(args.output_dir) if args.output_dir else os.path.join(workdir, "out")
        os.makedirs(outdir, exist_ok=True)
        total = 0.0
        for name in names:
            src = os.path.join(nbdir, name + ".ipynb")
            cmd = [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute",
                   "--ExecutePreprocessor.timeout=%d" % args.timeout,
                   "--ExecutePreprocessor.record_timing=False",
                   # keep going after an error, so the executed notebook shows it; the checks below fail it
                   "--ExecutePreprocessor.allow_errors=True",
                   "--output-dir", outdir, "--output", name + ".ipynb", src]
            t0 = time.time()
            p = subprocess.run(cmd, env=env, cwd=nbdir, capture_output=True, text=True,
                               timeout=args.timeout * 20)
            dt = time.time() - t0
            total += dt
            out_path = os.path.join(outdir, name + ".ipynb")
            if p.returncode != 0:
                failed += 1
                tail = "\n".join(l for l in p.stderr.strip().splitlines()[-25:])
                print("FAIL %-36s %6.1fs  nbconvert failed:\n%s" % (name, dt, tail), flush=True)
                continue
            with open(out_path) as f:
                nb = json.load(f)
            problems = check_notebook(name, nb)
            size = os.path.getsize(out_path)
            if problems:
                failed += 1
                print("FAIL %-36s %6.1fs  %s" % (name, dt, "; ".join(problems)), flush=True)
            else:
                print("ok   %-36s %6.1fs  %4d KiB with outputs" % (name, dt, size // 1024), flush=True)
        print("%d notebooks, %d failed, %.1fs in all%s" % (len(names), failed, total,
                                                           " (quick mode)" if args.quick else ""), flush=True)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return failed


if __name__ == "__main__":
    sys.exit(main())
