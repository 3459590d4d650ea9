"""Finding the JVMs a check started, by their command lines (Linux /proc), shared by the drivers here.

The drivers are run as scripts (python3 .../src/test/python/NAME.py), so this folder is on sys.path.
"""

import os


def java_processes_with(needle):
    """The ids of the java processes whose command line contains needle."""
    found = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % d, "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if "java" in cmd and needle in cmd:
            found.append(int(d))
    return found
