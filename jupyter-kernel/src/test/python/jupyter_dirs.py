"""The private Jupyter directories a driver runs in, shared by the drivers here.

Every path Jupyter and IPython read or write (kernelspecs, runtime files, config) points into the driver's
temporary work directory, so a check never sees or changes the user's own Jupyter setup. The drivers are run
as scripts (python3 .../src/test/python/NAME.py), so this folder is on sys.path.
"""

import os


def jupyter_dirs(workdir, prefix):
    """Environment variables that confine Jupyter to workdir, with kernelspecs under prefix/share/jupyter."""
    return {
        "JUPYTER_PATH": os.path.join(prefix, "share", "jupyter"),
        "JUPYTER_DATA_DIR": os.path.join(workdir, "data"),
        "JUPYTER_RUNTIME_DIR": os.path.join(workdir, "runtime"),
        "JUPYTER_CONFIG_DIR": os.path.join(workdir, "config"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "IPYTHONDIR": os.path.join(workdir, "ipython"),
    }
