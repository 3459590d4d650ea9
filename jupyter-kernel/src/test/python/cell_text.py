"""Running one cell through a jupyter_client and collecting what it printed, shared by the benchmark drivers.

The drivers are run as scripts (python3 .../src/test/python/NAME.py), so this folder is on sys.path.
"""


def run_cell(kc, code, timeout=600):
    """The text the cell wrote to its streams; RuntimeError with the traceback if the cell failed."""
    msg_id = kc.execute(code)
    out = []
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "stream":
            out.append(m["content"]["text"])
        elif m["msg_type"] == "error":
            raise RuntimeError("\n".join(m["content"]["traceback"]))
        elif m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return "".join(out)
