#!/usr/bin/env python3
"""SGEMM timed inside a notebook cell against the same code run as a plain Java program.

The same method source (Tensor.matmul of two n x n tensors, timed in rounds) is
compiled twice: once as a top-level method in the vectorgrad kernel (called
through jupyter_client, as a notebook cell runs it) and once inside a class run
by `java` with the same jar and JVM flags. Both JVMs stay up for the whole run
and are warmed up alike; then timed blocks alternate between them (A B B A ...)
so that load from other processes on a shared machine hits both alike. The
ratio is taken per pair of adjacent blocks, then the median over the pairs.

    cell_vs_java_gemm.py --java JAVA --jar vectorgrad-kernel.jar [--out bench/results/kernel-cell-vs-java-gemm.md]

Exits 1 when the cell is slower than 0.9x plain Java at the largest size.
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

from cell_text import run_cell

SIZES = [128, 256, 512, 1024]
WARMUP_MS = 2000
BLOCKS = 16
ROUNDS_PER_BLOCK = 5
MODES = ["cpu", "wall"]

METHOD = """\
static String gemmBench(int n, long warmupMs, int rounds, boolean cpu) {
    // cpu: one thread, timed by the thread's CPU clock (robust to other processes on the machine);
    // otherwise: all threads, timed by the wall clock (what a user sees)
    int threadsBefore = dev.vectorgrad.backend.Parallel.setThreads(cpu ? 1 : dev.vectorgrad.backend.Parallel.maxThreads());
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    try {
        Tensor a = Tensor.rand(n, n);
        Tensor b = Tensor.rand(n, n);
        long flop = 2L * n * n * n;
        int reps = (int) Math.max(1, 500_000_000L / flop);
        long t0 = System.nanoTime();
        while (System.nanoTime() - t0 < warmupMs * 1_000_000L) {
            a.matmul(b);
        }
        StringBuilder json = new StringBuilder("{\\"n\\":" + n + ",\\"reps\\":" + reps + ",\\"ms\\":[");
        for (int r = 0; r < rounds; r++) {
            long s = cpu ? mx.getCurrentThreadCpuTime() : System.nanoTime();
            for (int i = 0; i < reps; i++) {
                a.matmul(b);
            }
            long e = cpu ? mx.getCurrentThreadCpuTime() : System.nanoTime();
            json.append(r == 0 ? "" : ",").append((e - s) / 1e6 / reps);
        }
        return json.append("]}").toString();
    } finally {
        dev.vectorgrad.backend.Parallel.setThreads(threadsBefore);
    }
}
"""

PLAIN = """\
import dev.vectorgrad.tensor.*;
import java.io.*;

public class GemmPlain {
%s
    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.trim().split(" ");
            System.out.println(gemmBench(Integer.parseInt(f[0]), Long.parseLong(f[1]), Integer.parseInt(f[2]),
                    Boolean.parseBoolean(f[3])));
            System.out.flush();
        }
    }
}
"""

JVM_FLAGS = ["--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Djava.awt.headless=true"]


class Plain:
    """A plain `java` process running the benchmark method on request."""

    def __init__(self, java, jar, workdir):
        src = os.path.join(workdir, "GemmPlain.java")
        body = "\n".join("    " + line for line in METHOD.splitlines())
        with open(src, "w") as f:
            f.write(PLAIN % body)
        self.p = subprocess.Popen([java] + JVM_FLAGS + ["-cp", jar, src], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

    def bench(self, n, warmup_ms, rounds, cpu):
        self.p.stdin.write("%d %d %d %s\n" % (n, warmup_ms, rounds, "true" if cpu else "false"))
        self.p.stdin.flush()
        line = self.p.stdout.readline()
        if not line:
            raise RuntimeError("plain java ended")
        return json.loads(line)

    def close(self):
        self.p.stdin.close()
        self.p.wait(timeout=30)


class Cell:
    def __init__(self, java, jar, workdir):
        prefix = os.path.join(workdir, "prefix")
        subprocess.run([java, "-jar", jar, "install", "--prefix", prefix, "--java", java], check=True,
                       capture_output=True, timeout=120)
        os.environ["JUPYTER_PATH"] = os.path.join(prefix, "share", "jupyter")
        os.environ["JUPYTER_RUNTIME_DIR"] = os.path.join(workdir, "runtime")
        from jupyter_client import KernelManager
        self.km = KernelManager(kernel_name="vectorgrad")
        self.km.start_kernel(stderr=subprocess.DEVNULL)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)
        self.run(METHOD.replace("static String", "String", 1))

    def run(self, code):
        return run_cell(self.kc, code)

    def bench(self, n, warmup_ms, rounds, cpu):
        text = self.run("System.out.println(gemmBench(%d, %dL, %d, %s));" % (n, warmup_ms, rounds, "true" if cpu else "false"))
        return json.loads(text.strip().splitlines()[-1])

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=False)


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--java", required=True)
    ap.add_argument("--jar", required=True)
    ap.add_argument("--out", default=None)
    ap.add_argument("--sizes", default=None, help="comma-separated n values (default %s)" % ",".join(map(str, SIZES)))
    ap.add_argument("--modes", default=None, help="cpu,wall (default both)")
    args = ap.parse_args()
    if args.sizes:
        SIZES[:] = [int(x) for x in args.sizes.split(",")]
    if args.modes:
        MODES[:] = args.modes.split(",")
    jar = os.path.abspath(args.jar)
    workdir = tempfile.mkdtemp(prefix="vg-gemm-cell-")
    load_before = os.getloadavg()[0]
    t0 = time.time()
    plain = Plain(args.java, jar, workdir)
    cell = Cell(args.java, jar, workdir)
    results = {}
    try:
        for mode in MODES:
            cpu = mode == "cpu"
            times = {n: {"plain": [], "cell": [], "pairs": []} for n in SIZES}
            for n in SIZES:
                plain.bench(n, WARMUP_MS, 1, cpu)
                cell.bench(n, WARMUP_MS, 1, cpu)
                for block in range(BLOCKS):
                    order = [("plain", plain), ("cell", cell)] if block % 2 == 0 else [("cell", cell), ("plain", plain)]
                    block_median = {}
                    for name, side in order:
                        ms = side.bench(n, 0, ROUNDS_PER_BLOCK, cpu)["ms"]
                        times[n][name] += ms
                        block_median[name] = median(ms)
                    times[n]["pairs"].append(block_median["plain"] / block_median["cell"])
                print("%s n=%d done (%.0fs)" % (mode, n, time.time() - t0), flush=True)
            results[mode] = times
    finally:
        cell.close()
        plain.close()
        shutil.rmtree(workdir, ignore_errors=True)
    load_after = os.getloadavg()[0]

    def rows_for(times):
        rows = []
        for n in SIZES:
            p, c = times[n]["plain"], times[n]["cell"]
            flop = 2.0 * n ** 3
            pairs = times[n]["pairs"]
            rows.append((n, median(p), median(c), flop / median(p) / 1e6, flop / median(c) / 1e6, median(pairs),
                         min(pairs), max(pairs)))
        return rows

    java_version = subprocess.run([args.java, "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    lines = [
        "# SGEMM in a notebook cell vs plain Java",
        "",
        "`Tensor.matmul` of two n x n float32 tensors on the SIMD backend. The same method source is",
        "compiled as a top-level method in the vectorgrad Jupyter kernel (called through jupyter_client,",
        "as a notebook cell runs) and in a class run by `java` with the same jar and JVM flags. Both JVMs",
        "stay up and get the same %d ms warm-up per size; then %d timed blocks of %d rounds alternate"
        % (WARMUP_MS, BLOCKS, ROUNDS_PER_BLOCK),
        "between them (A B B A ...). A round is >= 0.5 GFLOP of calls; times are per call.",
        "",
        "Speed ratio = plain time / cell time (1.0: the cell is as fast; the target is >= 0.9), taken per",
        "pair of adjacent blocks (the two blocks' medians) so both sides of a pair saw the same machine",
        "load; the tables give the median of the %d paired ratios and their range." % BLOCKS,
        "",
        "Generated by `jupyter-kernel/src/test/python/cell_vs_java_gemm.py` on %s in %.0f s."
        % (datetime.date.today().isoformat(), time.time() - t0),
        "",
        "- CPU: %s, %d cores visible" % (cpu_model(), os.cpu_count() or 0),
        "- JDK: %s" % java_version,
        "- machine load average (1 min) before/after: %.1f / %.1f; this machine is shared with other" % (
            load_before, load_after),
        "  builds, so wall-clock times are noisy. The first table is robust to that: one thread, timed",
        "  by that thread's CPU clock, which compares the code the two JVMs run.",
        "",
    ]
    titles = {"cpu": "## Single thread, thread CPU time", "wall": "## All threads (engine default), wall clock"}
    for mode in MODES:
        lines += [titles[mode], "",
                  "| n | plain median (ms) | cell median (ms) | plain GFLOP/s | cell GFLOP/s | **speed ratio** | paired range |",
                  "|---:|---:|---:|---:|---:|---:|---:|"]
        for n, pm, cm, pg, cg, ratio, lo, hi in rows_for(results[mode]):
            lines.append("| %d | %.3f | %.3f | %.1f | %.1f | **%.3f** | %.2f .. %.2f |" % (n, pm, cm, pg, cg, ratio, lo, hi))
        lines.append("")
    report = "\n".join(lines)
    print(report)
    if args.out:
        with open(args.out, "w") as f:
            f.write(report)
    return 0 if rows_for(results["cpu"])[-1][5] >= 0.9 else 1


if __name__ == "__main__":
    sys.exit(main())
