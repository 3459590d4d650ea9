#!/usr/bin/env python3
"""Peer timing for GemmBench: numpy float32 matmul (C = A @ B, N x N) through the BLAS numpy loaded.

Prints one JSON object per N:
  {"N": ..., "threads": ..., "gflops": ..., "median_ms": ..., "runs": ..., "openblas": "<config>"}
gflops is 2 N^3 / median time. Threads: pass --threads T (sets OPENBLAS_NUM_THREADS before numpy loads)
or set OPENBLAS_NUM_THREADS yourself; "threads" reports what the library says it uses.

    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/peers/numpy_gemm.py --sizes 256,1024,2048
"""
import argparse
import ctypes
import json
import os
import statistics
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", default="64,128,256,512,1024,2048", help="comma-separated N values")
    p.add_argument("--threads", type=int, default=None, help="BLAS threads (default: environment)")
    p.add_argument("--min-time", type=float, default=0.2, help="seconds per timed sample (at least one call)")
    p.add_argument("--samples", type=int, default=9, help="timed samples per N; the median is reported")
    p.add_argument("--warmup", type=float, default=0.5, help="seconds of untimed calls per N")
    return p.parse_args()


def loaded_blas_paths():
    """Shared objects of the running process whose name mentions BLAS (Linux /proc/self/maps)."""
    paths = []
    try:
        with open("/proc/self/maps") as maps:
            for line in maps:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                if "blas" in os.path.basename(path).lower() and path not in paths:
                    paths.append(path)
    except OSError:
        pass
    return paths


def blas_info():
    """(config string, threads) from threadpoolctl if present, else from OpenBLAS's own entry points."""
    try:
        import threadpoolctl
        infos = [i for i in threadpoolctl.threadpool_info() if i.get("user_api") == "blas"]
        if infos:
            i = infos[0]
            desc = "%s %s, core %s, %s" % (i.get("internal_api"), i.get("version"), i.get("architecture"),
                                           i.get("filepath"))
            return desc, i.get("num_threads")
    except ImportError:
        pass
    for path in loaded_blas_paths():
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_config.restype = ctypes.c_char_p
            config = lib.openblas_get_config().decode()
            core = ""
            if hasattr(lib, "openblas_get_corename"):
                lib.openblas_get_corename.restype = ctypes.c_char_p
                core = lib.openblas_get_corename().decode()
            threads = lib.openblas_get_num_threads() if hasattr(lib, "openblas_get_num_threads") else None
            return "%s; core=%s; lib=%s" % (config, core, os.path.realpath(path)), threads
        except (OSError, AttributeError):
            continue
    return "no OpenBLAS found; BLAS libraries: %s" % (", ".join(loaded_blas_paths()) or "none"), None


def main():
    args = parse_args()
    if args.threads is not None:
        os.environ["OPENBLAS_NUM_THREADS"] = str(args.threads)
    import numpy as np

    np.ones((2, 2), dtype=np.float32) @ np.ones((2, 2), dtype=np.float32)  # loads the BLAS
    config, threads = blas_info()
    if threads is None:
        threads = int(os.environ.get("OPENBLAS_NUM_THREADS", "0")) or os.cpu_count()
    rng = np.random.default_rng(0)
    for n in (int(s) for s in args.sizes.split(",") if s.strip()):
        a = (rng.random((n, n), dtype=np.float32) - 0.5)
        b = (rng.random((n, n), dtype=np.float32) - 0.5)
        c = np.empty((n, n), dtype=np.float32)
        end = time.perf_counter() + args.warmup
        np.matmul(a, b, out=c)
        while time.perf_counter() < end:
            np.matmul(a, b, out=c)
        t0 = time.perf_counter()
        np.matmul(a, b, out=c)
        one = time.perf_counter() - t0
        reps = max(1, int(args.min_time / max(one, 1e-9)))
        per_call = []
        for _ in range(args.samples):
            t0 = time.perf_counter()
            for _ in range(reps):
                np.matmul(a, b, out=c)
            per_call.append((time.perf_counter() - t0) / reps)
        med = statistics.median(per_call)
        print(json.dumps({"N": n, "threads": threads, "gflops": round(2.0 * n ** 3 / med / 1e9, 2),
                          "median_ms": round(med * 1e3, 4), "runs": args.samples * reps, "openblas": config}))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
