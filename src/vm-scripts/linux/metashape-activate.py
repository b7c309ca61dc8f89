# Activates Metashape with the code on standard input (run inside Metashape: metashape.sh -r <this file>), so the
# code is never on a command line. Prints one status line, never the code. Written by cloud-init; no secret here.
import os

import Metashape


def read_code():
    data = b""
    while True:
        chunk = os.read(0, 4096)  # file descriptor 0 itself: the embedding application may replace sys.stdin
        if not chunk:
            return data.decode("utf-8", "replace").strip()
        data += chunk


def main():
    code = read_code()
    if not code:
        return "failed: no activation code on standard input"
    try:
        Metashape.License().activate(code)
    except Exception as error:  # Metashape raises RuntimeError; report the type and message only
        return "failed: %s: %s" % (type(error).__name__, str(error).replace(code, "<redacted>"))
    return "ok" if Metashape.app.activated else "failed: still not activated after activate()"


print("metashape-activation: " + main(), flush=True)
quit_app = getattr(Metashape.app, "quit", None)
if quit_app is not None:
    quit_app()
