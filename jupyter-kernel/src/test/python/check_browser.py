#!/usr/bin/env python3
"""Browser check: the tour notebook run through the classic notebook UI in a real browser.

Installs the kernelspec into a temporary prefix, copies notebooks/00-tour.ipynb
(and the files it loads) into a temporary folder, starts the classic notebook
server there on 127.0.0.1 with a random token, and runs
src/test/browser/check_tour.mjs: Debian's chromium, headless, driven by
playwright-core from npm (no browser is downloaded), clears the outputs,
runs all cells through the menu, checks what the page shows and takes a
screenshot. Then it stops the server and checks that no kernel JVM is left.

    check_browser.py --java JAVA (--jar vectorgrad-kernel.jar | --classpath CP) [--screenshot PNG]

Needs: chromium (Debian package), node with src/test/browser/node_modules
(npm ci there), jupyter-notebook. Prints one line per check, "SKIP ..." and
exit status 0 when something it needs is missing and --require is not given;
otherwise exits with the number of failed checks.
"""

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from java_procs import java_processes_with
from jupyter_dirs import jupyter_dirs

HERE = os.path.dirname(os.path.abspath(__file__))
MODULE = os.path.normpath(os.path.join(HERE, "..", "..", ".."))
BROWSER_DIR = os.path.join(MODULE, "src", "test", "browser")
NOTEBOOKS = os.path.normpath(os.path.join(MODULE, "..", "notebooks"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def missing():
    """What this check needs and does not have, or None."""
    if not os.access(CHROMIUM, os.X_OK):
        return "no chromium at %s (apt-get install chromium)" % CHROMIUM
    if shutil.which("node") is None:
        return "no node (apt-get install nodejs npm)"
    if not os.path.isdir(os.path.join(BROWSER_DIR, "node_modules", "playwright-core")):
        return "playwright-core is not installed (cd %s && npm ci)" % os.path.relpath(BROWSER_DIR)
    try:
        import notebook  # noqa: F401
    except ImportError:
        return "the classic notebook server is not installed (apt-get install jupyter-notebook)"
    return None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--java", required=True)
    g = ap.add_mutually_exclusive_group(required=True)
    g.add_argument("--jar")
    g.add_argument("--classpath")
    ap.add_argument("--notebook", default="00-tour.ipynb", help="notebook in notebooks/ to run")
    ap.add_argument("--screenshot", default=os.path.join(MODULE, "target", "browser-check", "00-tour.png"))
    ap.add_argument("--require", action="store_true", help="fail (instead of skipping) when something is missing")
    args = ap.parse_args()

    why = missing()
    if why:
        print("SKIP browser check: %s" % why, flush=True)
        return 1 if args.require else 0

    workdir = tempfile.mkdtemp(prefix="vg-browser-check-")
    prefix = os.path.join(workdir, "prefix")
    nbdir = os.path.join(workdir, "notebooks")
    os.makedirs(nbdir)
    shutil.copy(os.path.join(NOTEBOOKS, args.notebook), nbdir)
    if os.path.isdir(os.path.join(NOTEBOOKS, "snippets")):
        shutil.copytree(os.path.join(NOTEBOOKS, "snippets"), os.path.join(nbdir, "snippets"))
    env = dict(os.environ)
    env.update(jupyter_dirs(workdir, prefix))
    env.pop("VECTORGRAD_QUICK", None)
    server = None
    failed = 0
    try:
        if args.jar:
            install = [args.java, "-jar", args.jar, "install", "--prefix", prefix, "--java", args.java, "--no-aot"]
        else:
            install = [args.java, "-cp", args.classpath, "dev.vectorgrad.jupyter.KernelMain", "install", "--prefix", prefix,
                       "--java", args.java, "--classpath", args.classpath, "--no-aot"]
        p = subprocess.run(install, capture_output=True, text=True, timeout=120, env=env)
        if p.returncode != 0:
            print("FAIL kernelspec install: %s %s" % (p.stdout, p.stderr), flush=True)
            return 1

        port = free_port()
        token = secrets.token_hex(16)
        cmd = [sys.executable, "-m", "notebook", "--no-browser", "--ip=127.0.0.1", "--port=%d" % port,
               "--port-retries=0", "--NotebookApp.token=" + token, "--notebook-dir=" + nbdir]
        if os.geteuid() == 0:
            cmd.append("--allow-root")
        log = open(os.path.join(workdir, "server.log"), "w")
        server = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=nbdir)
        base = "http://127.0.0.1:%d" % port
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen("%s/api/status?token=%s" % (base, token), timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.time() > deadline or server.poll() is not None:
                print("FAIL the notebook server did not start:\n" + open(log.name).read()[-2000:], flush=True)
                return 1
            time.sleep(0.3)
        print("ok   notebook server on %s (classic notebook, token)" % base, flush=True)

        url = "%s/notebooks/%s?token=%s" % (base, args.notebook, token)
        node = subprocess.run(["node", os.path.join(BROWSER_DIR, "check_tour.mjs"), url, args.screenshot],
                              cwd=BROWSER_DIR, env=env, capture_output=True, text=True, timeout=600)
        out = node.stdout.strip()
        print(out, flush=True)
        if node.returncode != 0:
            failed += max(1, node.returncode)
            if node.stderr.strip():
                print(node.stderr.strip()[-2000:], flush=True)
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if server is not None:
            deadline = time.time() + 15
            left = java_processes_with(workdir)
            while left and time.time() < deadline:
                time.sleep(0.5)
                left = java_processes_with(workdir)
            print("%s server stopped, no kernel JVM left%s" % ("ok  " if not left else "FAIL",
                                                              "" if not left else ": %s" % left), flush=True)
            failed += 1 if left else 0
        shutil.rmtree(workdir, ignore_errors=True)
    print("browser check: %d failed" % failed, flush=True)
    return failed


if __name__ == "__main__":
    sys.exit(main())
