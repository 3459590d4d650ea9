#!/usr/bin/env python3
"""End-to-end test of the vectorgrad kernel with real Jupyter.

Installs the kernelspec into a temporary prefix, starts the kernel through
jupyter_client.KernelManager, runs cells and checks the messages that come
back, then executes a small notebook headless with nbconvert.

It also measures start-up, as a benchmark (reported, never a failure): the
time from launching the kernel to the result of its first cell, over a few
launches of the kernel as users install it (jars, with the ahead-of-time cache
the installer makes; from --classpath, its directories are packed into jars).

    kernel_e2e.py --java /path/to/java (--jar vectorgrad-kernel.jar | --classpath CP)
                  [--startup-runs N | --startup-only]

Needs only the standard library and jupyter_client (nbconvert for the notebook
part, which is skipped with a notice when absent). Prints one line per check
and exits with the number of failed checks.
"""

import argparse
import json
import os
import queue
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import zipfile

from java_procs import java_processes_with
from jupyter_dirs import jupyter_dirs

CHECKS = []  # (name, ok, detail, seconds)


def check(name):
    def wrap(fn):
        def run(*args):
            t0 = time.time()
            try:
                detail = fn(*args) or ""
                ok = True
            except AssertionError as e:
                ok, detail = False, str(e)
            except Exception as e:  # a crash in a check is a failure, not the end of the run
                ok, detail = False, "%s: %s" % (type(e).__name__, e)
            dt = time.time() - t0
            CHECKS.append((name, ok, detail, dt))
            print("%s %-44s %5.1fs  %s" % ("ok  " if ok else "FAIL", name, dt, detail), flush=True)
            return ok
        return run
    return wrap


class Kernel:
    """A started kernel with a blocking client and helpers that collect a request's output."""

    def __init__(self, km):
        self.km = km
        self.kc = km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=90)

    def pid(self):
        prov = getattr(self.km, "provisioner", None)
        if prov is not None and getattr(prov, "pid", None):
            return prov.pid
        return self.km.kernel.pid

    def reply_to(self, msg_id, timeout):
        deadline = time.time() + timeout
        while True:
            m = self.kc.get_shell_msg(timeout=max(0.1, deadline - time.time()))
            if m["parent_header"].get("msg_id") == msg_id:
                return m

    def outputs(self, msg_id, timeout):
        """iopub messages for msg_id until its idle status, each with its arrival time."""
        out = []
        deadline = time.time() + timeout
        while True:
            m = self.kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            if m["msg_type"] == "status":
                if m["content"]["execution_state"] == "idle":
                    return out
                continue
            out.append((time.time(), m["msg_type"], m["content"]))

    def run(self, code, timeout=60):
        msg_id = self.kc.execute(code)
        outs = self.outputs(msg_id, timeout)
        reply = self.reply_to(msg_id, timeout)["content"]
        return reply, outs


def texts(outs, kind="stream"):
    return "".join(c.get("text", "") for _, t, c in outs if t == kind)


def result(outs):
    for _, t, c in outs:
        if t == "execute_result":
            return c["data"]
    return None


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie is dead for our purposes
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(") ")[-1].split()[0] != "Z"
    except OSError:
        return False


def wait_gone(pid, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.1)
    return not alive(pid)


# ---------------------------------------------------------------------------- checks


@check("kernel_info reply (status, language)")
def kernel_info(k):
    msg_id = k.kc.kernel_info()
    c = k.reply_to(msg_id, 30)["content"]
    assert c.get("status") == "ok", c
    assert c["language_info"]["name"] == "java", c["language_info"]
    assert c["implementation"] == "vectorgrad", c
    return "protocol %s, %s" % (c.get("protocol_version"), c["language_info"].get("version"))


@check("tensor expression -> text/html + text/plain")
def tensor_html(k):
    reply, outs = k.run("Tensor.arange(6).reshape(2, 3)")
    assert reply["status"] == "ok", reply
    data = result(outs)
    assert data is not None, outs
    assert "<table" in data.get("text/html", ""), data
    assert "shape=(2,3)" in data["text/html"], data["text/html"][:200]
    assert data.get("text/plain", "").startswith("tensor([[0., 1., 2.]"), data.get("text/plain")
    big = result(k.run("Tensor.rand(100, 100)")[1])
    assert "&#8230;" in big["text/html"] and "..." in big["text/plain"], "large tensors are truncated"


@check("println streamed while the cell runs")
def streaming(k):
    code = 'for (int i = 0; i < 3; i++) { System.out.println("tick " + i); Thread.sleep(500); }'
    reply, outs = k.run(code)
    assert reply["status"] == "ok", reply
    streams = [(t, c["text"]) for t, kind, c in outs if kind == "stream"]
    assert "".join(s for _, s in streams) == "tick 0\ntick 1\ntick 2\n", streams
    first, last = streams[0][0], streams[-1][0]
    assert last - first > 0.7, "first line must arrive before the loop ends (%.2fs apart)" % (last - first)
    return "%d stream messages over %.1fs" % (len(streams), last - first)


@check("compile error -> error reply with caret")
def compile_error(k):
    reply, outs = k.run("int ok = 1;\nTensor t = Tensor.zeroz(2, 3);")
    assert reply["status"] == "error", reply
    assert reply["ename"] == "CompilationException", reply
    tb = "\n".join(reply["traceback"])
    assert "line 2: error: cannot find symbol" in tb, tb
    assert "    Tensor t = Tensor.zeroz(2, 3);" in tb and "^" in tb, tb
    assert any(t == "error" for _, t, _c in outs), "error published on iopub"


@check("exception, then a normal cell works")
def exception_then_ok(k):
    reply, _ = k.run("int[] arr = new int[1];\narr[2] = 1;")
    assert reply["status"] == "error" and reply["ename"] == "java.lang.ArrayIndexOutOfBoundsException", reply
    assert "at cell [" in "\n".join(reply["traceback"]) and "line 2" in "\n".join(reply["traceback"]), reply["traceback"]
    reply, outs = k.run("1 + 1")
    assert reply["status"] == "ok" and result(outs)["text/plain"] == "2", (reply, outs)


@check("StackOverflowError leaves the kernel usable")
def stack_overflow(k):
    k.run("int down(int n) { return down(n + 1) + 1; }")
    reply, _ = k.run("down(0)")
    assert reply["status"] == "error" and reply["ename"] == "java.lang.StackOverflowError", reply
    assert len(reply["traceback"]) < 30, "recursion is folded: %d lines" % len(reply["traceback"])
    reply, outs = k.run("2 + 3")
    assert result(outs)["text/plain"] == "5", outs


@check("OutOfMemoryError leaves the kernel usable")
def out_of_memory(k):
    reply, _ = k.run("long[][] hog = new long[64][];\nfor (int i = 0; i < 64; i++) hog[i] = new long[Integer.MAX_VALUE - 8];")
    assert reply["status"] == "error" and reply["ename"] == "java.lang.OutOfMemoryError", reply
    reply, outs = k.run("hog = null;\n6 * 7")
    assert result(outs)["text/plain"] == "42", outs


@check("interrupt stops while(true){} within 2 s")
def interrupt(k):
    msg_id = k.kc.execute("while (true) { }")
    time.sleep(1.0)
    t0 = time.time()
    k.km.interrupt_kernel()
    reply = k.reply_to(msg_id, 10)["content"]
    dt = time.time() - t0
    k.outputs(msg_id, 10)
    assert reply["status"] == "error" and reply["ename"] == "Interrupted", reply
    assert dt < 2.0, "took %.2fs" % dt
    reply, outs = k.run("1 + 2")
    assert result(outs)["text/plain"] == "3", outs
    return "stopped after %.2fs" % dt


@check("interrupt sets the thread flag for library loops")
def interrupt_flag(k):
    code = textwrap.dedent("""\
        java.util.function.BooleanSupplier stopping = () -> Thread.currentThread().isInterrupted();
        int batches = 0;
        while (!stopping.getAsBoolean()) { batches++; Thread.onSpinWait(); }""")
    msg_id = k.kc.execute(code)
    time.sleep(1.0)
    k.km.interrupt_kernel()
    reply = k.reply_to(msg_id, 10)["content"]
    k.outputs(msg_id, 10)
    assert reply["status"] == "error" and reply["ename"] == "Interrupted", reply


@check("interrupt stops Trainer.fit between batches")
def interrupt_training(k):
    reply, outs = k.run('Class.forName("dev.vectorgrad.train.Trainer") != null')
    if reply["status"] != "ok":
        return "skipped: the engine has no train package"
    k.run("var data = Synthetic.circle(400, 0.1, 7L);\n"
          "var model = new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 2));\n"
          "var opt = new Adam(model.parameters(), 1e-2);")
    msg_id = k.kc.execute("Trainer.fit(model, data, Loss.crossEntropy(), opt, Fit.epochs(100000).batchSize(32))")
    time.sleep(2.0)
    t0 = time.time()
    k.km.interrupt_kernel()
    reply = k.reply_to(msg_id, 15)["content"]
    dt = time.time() - t0
    outs = k.outputs(msg_id, 15)
    assert reply["status"] == "error" and reply["ename"] == "Interrupted", reply
    assert "TrainingInterruptedException" in "\n".join(reply["traceback"]), reply["traceback"]
    # one progress display, updated in place (at most 5 times a second), ending with the interruption
    shown = [c for _, t, c in outs if t == "display_data"]
    updates = [c for _, t, c in outs if t == "update_display_data"]
    assert len(shown) == 1 and "vg-progress" in shown[0]["data"].get("text/html", ""), shown
    did = shown[0]["transient"]["display_id"]
    assert updates and all(u["transient"]["display_id"] == did for u in updates), updates
    assert "/100000 [" in updates[-1]["data"]["text/plain"], updates[-1]["data"]["text/plain"][:300]
    assert "Interrupted in epoch" in updates[-1]["data"]["text/plain"], updates[-1]["data"]["text/plain"][-300:]
    assert not texts(outs), "no progress lines printed: %r" % texts(outs)[:200]
    assert len(updates) <= 5 * 2.0 + 5, "%d updates in about 2 s" % len(updates)
    assert dt < 2.0, "took %.2fs" % dt
    return "stopped after %.2fs, %d display updates" % (dt, len(updates))


@check("SIGINT interrupts instead of killing the JVM")
def sigint(k):
    msg_id = k.kc.execute("while (true) { }")
    time.sleep(1.0)
    os.kill(k.pid(), signal.SIGINT)
    reply = k.reply_to(msg_id, 10)["content"]
    k.outputs(msg_id, 10)
    assert reply["status"] == "error" and reply["ename"] == "Interrupted", reply
    reply, outs = k.run("40 + 2")
    assert result(outs)["text/plain"] == "42", outs


@check("%timeit: first call and steady state")
def timeit(k):
    reply, outs = k.run("var ta = Tensor.rand(64, 64);\n%timeit -r 3 ta.matmul(ta)")
    assert reply["status"] == "ok", reply
    s = texts(outs)
    assert s.startswith("first call: ") and " ± " in s and "per loop (mean ± std. dev. of 3 runs" in s, s
    return s.splitlines()[1][:60]


@check("display + updateDisplay -> update_display_data")
def display(k):
    reply, outs = k.run('String id = display("working...");\nThread.sleep(100);\nupdateDisplay(id, Tensor.of(1, 2, 3));')
    assert reply["status"] == "ok", reply
    shown = [c for _, t, c in outs if t == "display_data"]
    updated = [c for _, t, c in outs if t == "update_display_data"]
    assert len(shown) == 1 and len(updated) == 1, outs
    did = shown[0]["transient"]["display_id"]
    assert updated[0]["transient"]["display_id"] == did, (shown, updated)
    assert "text/html" in updated[0]["data"], updated[0]["data"]
    reply, outs = k.run("show(Tensor.rand(28, 28))")
    assert any(t == "display_data" and "image/png" in c["data"] for _, t, c in outs), outs


@check("is_complete")
def is_complete(k):
    def ask(code):
        msg_id = k.kc.is_complete(code)
        return k.reply_to(msg_id, 30)["content"]
    assert ask("int x = 3;")["status"] == "complete"
    r = ask("for (int i = 0; i < 3; i++) {")
    assert r["status"] == "incomplete" and r.get("indent") == "    ", r
    assert ask("int y = 3 +* ;")["status"] == "invalid"


@check("completion Tensor.ze -> zeros; inspection")
def complete(k):
    msg_id = k.kc.complete("Tensor.ze", 9)
    c = k.reply_to(msg_id, 30)["content"]
    assert c["status"] == "ok" and any(m.startswith("zeros") for m in c["matches"]), c
    assert c["cursor_start"] == 7 and c["cursor_end"] == 9, c
    msg_id = k.kc.inspect("Tensor.zeros", 12)
    c = k.reply_to(msg_id, 30)["content"]
    assert c["status"] == "ok" and c["found"] and "Tensor.zeros(int... shape)" in c["data"]["text/plain"], c
    return ", ".join(c for c in k.reply_to(k.kc.complete("Tensor.ze", 9), 30)["content"]["matches"])


@check("Shift-Tab shows the engine's javadoc")
def inspect_javadoc(k):
    def inspect(code):
        c = k.reply_to(k.kc.inspect(code, len(code), 0), 30)["content"]
        assert c["status"] == "ok" and c["found"], (code, c)
        return c["data"]["text/plain"]
    t = inspect("var r = Tensor.arange(")
    assert t.startswith("Tensor Tensor.arange(int end)\n") and "\n\n0, 1, ..., end-1." in t, t
    t = inspect("Trainer.fit(")
    assert "History Trainer.fit(Module model, Dataset train, Loss loss, Optimizer optimizer, Fit fit)" in t, t
    assert "Trains model on train as fit says; returns what was recorded." in t, t
    t = inspect("new Linear(")
    assert "Linear(int inFeatures, int outFeatures)" in t and "Fully connected layer" in t, t
    t = inspect("Math.sqrt(")
    assert "Returns the correctly rounded positive square root" in t, t
    return "engine (Tensor, Trainer, Linear) and JDK javadoc shown"


HEAP_MB = "System.gc(); System.gc(); (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20"
HEAP_CEILING_MB = 300


@check("memory: a 100 MB cell run 10 times stays bounded")
def memory(k):
    def heap():
        reply, outs = k.run(HEAP_MB)
        assert reply["status"] == "ok", reply
        return int(result(outs)["text/plain"])
    before = heap()
    for _ in range(10):
        reply, outs = k.run("Tensor.zeros(5000, 5000)")  # 100 MB of float32, shown as a (truncated) table
        assert reply["status"] == "ok" and "text/html" in result(outs), reply
    values = heap()
    for i in range(10):
        reply, _ = k.run("var big = new byte[100_000_000];" if i % 2 else "var big = new float[25_000_000];")
        assert reply["status"] == "ok", reply
    variables = heap()
    k.run("big = null;")
    assert values - before < HEAP_CEILING_MB, "10 cells of 100 MB values: heap %d -> %d MB" % (before, values)
    assert variables - before < HEAP_CEILING_MB, "10 redeclarations of 100 MB: heap %d -> %d MB" % (before, variables)
    return "heap in use %d MB, after 10 x 100 MB values %d MB, after 10 x 100 MB variables %d MB (ceiling +%d MB)" % (
        before, values, variables, HEAP_CEILING_MB)


@check("restart: new process, old one gone")
def restart(k):
    old = k.pid()
    k.km.restart_kernel(now=False)
    k.kc.wait_for_ready(timeout=90)
    new = k.pid()
    assert new != old, "same pid after restart"
    assert wait_gone(old, 10), "old kernel %d still alive" % old
    reply, outs = k.run("1 + 1")
    assert result(outs)["text/plain"] == "2", outs


@check("shutdown leaves no java process")
def shutdown(k, connection_file):
    pid = k.pid()
    t0 = time.time()
    k.kc.stop_channels()
    k.km.shutdown_kernel(now=False)
    dt = time.time() - t0
    assert wait_gone(pid, 10), "kernel %d still alive" % pid
    left = java_processes_with(connection_file)
    assert not left, "java processes left: %s" % left
    return "exited in %.1fs" % dt


@check("parent dies -> watchdog ends the kernel")
def watchdog(env):
    # A parent process that starts a kernel and is then killed without a chance to clean up.
    script = textwrap.dedent("""\
        import sys, time
        from jupyter_client import KernelManager
        km = KernelManager(kernel_name="vectorgrad")
        km.start_kernel()
        kc = km.client(); kc.start_channels(); kc.wait_for_ready(timeout=90)
        prov = getattr(km, "provisioner", None)
        print(prov.pid if prov is not None and getattr(prov, "pid", None) else km.kernel.pid, flush=True)
        time.sleep(600)
        """)
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, env=env, text=True)
    try:
        line = parent.stdout.readline()
        assert line.strip().isdigit(), "no kernel pid from the parent (%r)" % line
        pid = int(line)
        assert alive(pid)
        parent.kill()
        parent.wait()
        t0 = time.time()
        assert wait_gone(pid, 10), "orphaned kernel %d still alive" % pid
        return "kernel gone %.1fs after its parent" % (time.time() - t0)
    finally:
        if parent.poll() is None:
            parent.kill()


STARTUP_CELL = "Tensor.arange(6).reshape(2, 3)"
STARTUP_TARGET_S = 1.5


def jar_classpath(classpath, workdir):
    """The class path with each directory packed into a jar: the JVM's ahead-of-time cache takes jars only."""
    out = []
    for i, entry in enumerate(e for e in classpath.split(os.pathsep) if e):
        if not os.path.isdir(entry):
            out.append(entry)
            continue
        jar = os.path.join(workdir, "classes-%d.jar" % i)
        with zipfile.ZipFile(jar, "w", zipfile.ZIP_DEFLATED) as z:
            for root, _dirs, files in os.walk(entry):
                for f in sorted(files):
                    full = os.path.join(root, f)
                    z.write(full, os.path.relpath(full, entry))
        out.append(jar)
    return os.pathsep.join(out)


def launch_to_first_result(kernel_name, workdir):
    """Seconds from starting the kernel to the result of its first cell, as a notebook sees them."""
    from jupyter_client import KernelManager
    t0 = time.time()
    km = KernelManager(kernel_name=kernel_name)
    km.start_kernel(cwd=workdir)
    kc = km.client()
    try:
        kc.start_channels()
        kc.wait_for_ready(timeout=90)
        msg_id = kc.execute(STARTUP_CELL)
        deadline = time.time() + 90
        while True:
            m = kc.get_iopub_msg(timeout=max(0.1, deadline - time.time()))
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_result":
                assert "text/html" in m["content"]["data"], m["content"]
                return time.time() - t0
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "error":
                raise AssertionError("the first cell failed: %s" % m["content"])
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=False)


@check("start-up benchmark (launch to first result)")
def startup_benchmark(args, prefix, workdir, runs):
    """The kernel as installed for users (a jar, with the ahead-of-time cache the installer makes)."""
    t0 = time.time()
    if args.jar:
        name = "vectorgrad"  # installed from the jar, as users get it
    else:
        name = "vectorgrad-startup"
        cp = jar_classpath(args.classpath, workdir)
        install = [args.java, "-cp", cp, "dev.vectorgrad.jupyter.KernelMain", "install", "--prefix", prefix,
                   "--java", args.java, "--classpath", cp, "--name", name]
        p = subprocess.run(install, capture_output=True, text=True, timeout=600)
        assert p.returncode == 0, p.stdout + p.stderr
    with open(os.path.join(prefix, "share", "jupyter", "kernels", name, "kernel.json")) as f:
        aot = any(a.startswith("-XX:AOTCache=") for a in json.load(f)["argv"])
    setup = time.time() - t0
    times = sorted(launch_to_first_result(name, workdir) for _ in range(runs))
    median = times[len(times) // 2] if len(times) % 2 else sum(times[len(times) // 2 - 1:len(times) // 2 + 1]) / 2
    load = os.getloadavg()[0]
    line = ("launch to first cell's result: median %.2f s (min %.2f, max %.2f) over %d launches; ahead-of-time cache %s"
            "%s; %d cores, load average %.1f; target <= %.1f s: %s"
            % (median, times[0], times[-1], runs, "yes" if aot else "no",
               "" if args.jar else " (jars and cache made in %.0f s)" % setup, os.cpu_count(), load,
               STARTUP_TARGET_S, "met" if median <= STARTUP_TARGET_S else "not met"))
    print("BENCHMARK " + line, flush=True)
    return line


SAMPLE_CELLS = [
    "var x = Tensor.arange(12).reshape(3, 4);\nx",
    'System.out.println("sum = " + x.sum().item());',
    "show(Tensor.rand(28, 28))",
    "%%time\nx.matmul(x.t())",
]


@check("nbconvert --execute a sample notebook")
def nbconvert_sample(env, workdir):
    nb = {
        "cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": src}
                  for src in SAMPLE_CELLS],
        "metadata": {"kernelspec": {"name": "vectorgrad", "display_name": "Java (vectorgrad)", "language": "java"}},
        "nbformat": 4, "nbformat_minor": 5,
    }
    path = os.path.join(workdir, "sample.ipynb")
    with open(path, "w") as f:
        json.dump(nb, f)
    cmd = [sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute", "--output", "sample.out.ipynb",
           "--ExecutePreprocessor.timeout=120", path]
    p = subprocess.run(cmd, env=env, cwd=workdir, capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-2000:]
    with open(os.path.join(workdir, "sample.out.ipynb")) as f:
        out = json.load(f)
    outs = [c["outputs"] for c in out["cells"]]

    def txt(o):
        t = o.get("text", "")
        return "".join(t) if isinstance(t, list) else t

    assert any("text/html" in o.get("data", {}) for o in outs[0]), outs[0]
    assert any(txt(o).startswith("sum = 66") for o in outs[1]), outs[1]
    assert any("image/png" in o.get("data", {}) for o in outs[2]), outs[2]
    assert any("Wall time" in txt(o) for o in outs[3]) and any(
        "text/html" in o.get("data", {}) for o in outs[3]), outs[3]
    # the kernel's language_info must let nbconvert export the code as a script
    p = subprocess.run([sys.executable, "-m", "nbconvert", "--to", "script", "sample.out.ipynb"], env=env, cwd=workdir,
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    with open(os.path.join(workdir, "sample.out.jshell")) as f:
        assert "Tensor.arange(12)" in f.read()
    return "%d cells executed, exported as .jshell" % len(outs)


# ---------------------------------------------------------------------------- main


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--java", required=True, help="a JDK 25 java")
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--jar", help="the shaded kernel jar")
    g.add_argument("--classpath", help="class path holding the kernel and its dependencies")
    ap.add_argument("--skip-nbconvert", action="store_true")
    ap.add_argument("--startup-runs", type=int, default=3,
                    help="launches timed by the start-up benchmark (0: no benchmark)")
    ap.add_argument("--startup-only", action="store_true", help="only the start-up benchmark")
    args = ap.parse_args()

    workdir = tempfile.mkdtemp(prefix="vg-kernel-e2e-")
    prefix = os.path.join(workdir, "prefix")
    env = dict(os.environ)
    env.update(jupyter_dirs(workdir, prefix))
    os.environ.update(env)
    failed = 0
    try:
        if args.jar:
            install = [args.java, "-jar", args.jar, "install", "--prefix", prefix, "--java", args.java]
        else:
            install = [args.java, "-cp", args.classpath, "dev.vectorgrad.jupyter.KernelMain", "install",
                       "--prefix", prefix, "--java", args.java, "--classpath", args.classpath]
        p = subprocess.run(install, capture_output=True, text=True, timeout=60)
        print(p.stdout.strip(), p.stderr.strip(), flush=True)
        if p.returncode != 0:
            print("FAIL kernelspec install", flush=True)
            return 1
        with open(os.path.join(prefix, "share", "jupyter", "kernels", "vectorgrad", "kernel.json")) as f:
            spec = json.load(f)
        assert spec["interrupt_mode"] == "message" and spec["language"] == "java", spec

        if args.startup_only:
            startup_benchmark(args, prefix, workdir, max(1, args.startup_runs))
            return sum(1 for c in CHECKS if not c[1])
        from jupyter_client import KernelManager
        t0 = time.time()
        km = KernelManager(kernel_name="vectorgrad")
        km.start_kernel(cwd=workdir)
        k = Kernel(km)
        print("kernel started in %.1fs (pid %d)" % (time.time() - t0, k.pid()), flush=True)
        connection_file = km.connection_file
        for fn in (kernel_info, tensor_html, streaming, compile_error, exception_then_ok, stack_overflow,
                   out_of_memory, interrupt, interrupt_flag, interrupt_training, sigint, timeit, display, is_complete, complete,
                   inspect_javadoc, memory, restart):
            fn(k)
        shutdown(k, connection_file)
        watchdog(env)
        if args.startup_runs > 0:
            startup_benchmark(args, prefix, workdir, args.startup_runs)
        if args.skip_nbconvert:
            print("skip nbconvert (--skip-nbconvert)")
        else:
            try:
                import nbconvert  # noqa: F401
                nbconvert_ok = True
            except ImportError:
                nbconvert_ok = False
                print("skip nbconvert: python3-nbconvert is not installed", flush=True)
            if nbconvert_ok:
                nbconvert_sample(env, workdir)
    finally:
        failed = sum(1 for c in CHECKS if not c[1])
        print("%d checks, %d failed" % (len(CHECKS), failed), flush=True)
        shutil.rmtree(workdir, ignore_errors=True)
    return failed


if __name__ == "__main__":
    sys.exit(main())
