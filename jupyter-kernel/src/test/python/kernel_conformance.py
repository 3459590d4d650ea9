#!/usr/bin/env python3
"""The Jupyter kernel conformance tests (jupyter_kernel_test) against the vectorgrad kernel.

jupyter_kernel_test (Debian: python3-jupyter-kernel-test) drives a kernel through
jupyter_client and validates every message against the protocol's schemas:
kernel_info, execute (stdout, stderr, execute_result, display_data, errors),
completion, is_complete, inspection, the pager, clear_output and history.
This script installs the kernelspec into a temporary prefix and runs those
tests with the samples below. Every test runs; none is skipped.

    kernel_conformance.py --java JAVA (--jar vectorgrad-kernel.jar | --classpath CP)

Prints one line per test and exits with the number of failures and errors.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from jupyter_dirs import jupyter_dirs


def kernel_tests():
    import jupyter_kernel_test

    class VectorgradKernelTests(jupyter_kernel_test.KernelTests):
        kernel_name = "vectorgrad"
        language_name = "java"
        file_extension = ".jshell"

        code_hello_world = 'System.out.println("hello, world");'
        code_stderr = 'System.err.println("to stderr");'

        completion_samples = [
            {"text": "Tensor.zer", "matches": {"zeros(", "zerosLike("}},
            {"text": "%lsm", "matches": {"%lsmagic"}},
            {"text": "Math.sqr", "matches": {"sqrt("}},
        ]
        complete_code_samples = ["1 + 1", "int x = 3;", "Tensor.ones(2)", "void f() { }", "%timeit Math.sqrt(2)",
                                 "Tensor.arange?"]
        incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "int x =", "class A {", "%%time"]
        invalid_code_samples = ["int y = 3 +* ;", "}"]

        code_page_something = "Tensor.arange?"
        code_generate_error = 'throw new IllegalStateException("boom");'
        code_execute_result = [
            {"code": "6 * 7", "result": "42"},
            {"code": '"conformance".length()', "result": "11"},
            {"code": "Tensor.ones(2, 2)", "mime": "text/html"},
        ]
        code_display_data = [
            {"code": "display(Tensor.ones(2))", "mime": "text/html"},
            {"code": "show(Tensor.rand(8, 8))", "mime": "image/png"},
            {"code": 'display(markdown("**bold**"))', "mime": "text/markdown"},
        ]
        code_history_pattern = "6 *"
        supported_history_operations = ("tail", "range", "search")
        code_inspect_sample = "Tensor.arange"
        code_clear_output = 'System.out.println("gone");\nclearOutput();'

    return VectorgradKernelTests


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--java", required=True)
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--jar")
    g.add_argument("--classpath")
    args = ap.parse_args()

    try:
        import jupyter_kernel_test  # noqa: F401
    except ImportError:
        print("SKIP jupyter_kernel_test is not installed (apt-get install python3-jupyter-kernel-test)", flush=True)
        return 0

    workdir = tempfile.mkdtemp(prefix="vg-kernel-conformance-")
    prefix = os.path.join(workdir, "prefix")
    os.environ.update(jupyter_dirs(workdir, prefix))
    try:
        if args.jar:
            install = [args.java, "-jar", args.jar, "install", "--prefix", prefix, "--java", args.java, "--no-aot"]
        else:
            install = [args.java, "-cp", args.classpath, "dev.vectorgrad.jupyter.KernelMain", "install", "--prefix", prefix,
                       "--java", args.java, "--classpath", args.classpath, "--no-aot"]
        p = subprocess.run(install, capture_output=True, text=True, timeout=120)
        if p.returncode != 0:
            print("FAIL kernelspec install: %s %s" % (p.stdout, p.stderr), flush=True)
            return 1
        os.chdir(workdir)
        suite = unittest.defaultTestLoader.loadTestsFromTestCase(kernel_tests())
        result = unittest.TextTestRunner(stream=sys.stdout, verbosity=2).run(suite)
        skipped = [(str(t), why) for t, why in result.skipped]
        for t, why in skipped:
            print("SKIPPED %s: %s" % (t, why or "no sample"), flush=True)
        bad = len(result.failures) + len(result.errors) + len(skipped)
        print("%d conformance tests, %d failures, %d errors, %d skipped" % (
            result.testsRun, len(result.failures), len(result.errors), len(skipped)), flush=True)
        return bad
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
