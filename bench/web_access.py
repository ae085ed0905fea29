"""What logging every view of a citizen's data costs the clerks' pages: 20 concurrent clients
on a document's page (`/doc/ID`, each view one access-log row), with the log written as the
service writes it and with its writer made a no-op, on the same server build and data.

    python bench/web_access.py [--clients 20] [--seconds 10] [--runs 3]

The server is uvicorn in its own process, started the way `digitizer serve` starts it, with a
login (clerks use the form's session cookie, checked on every request). Rates are medians.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
from pathlib import Path

from common import ROOT
from web_login import load_options, rate, session_cookie

from digitizer.config import Settings
from digitizer.storage import SqliteIndex
from digitizer.web.auth import hash_password

sys.path.insert(0, str(ROOT / "tests"))
from s3server import free_port, wait_port  # noqa: E402

# The app as `digitizer serve` builds it; LOG=off swaps the access log's writer for a no-op.
LAUNCH = """
import os, uvicorn
from digitizer.config import load_settings
from digitizer.web import create_app
app = create_app(load_settings())
if os.environ["LOG"] == "off":
    app.state.access.add = lambda entry: None
uvicorn.run(app, host="127.0.0.1", port=int(os.environ["PORT"]), log_level="warning")
"""


def serve(data: Path, users: str, log: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "DIGITIZER_DATA_DIR": str(data), "DIGITIZER_WEB_USERS": users, "LOG": log,
           "PORT": str(port)}
    server = subprocess.Popen([sys.executable, "-c", LAUNCH], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    wait_port(port)
    return server, f"http://127.0.0.1:{port}"


def main() -> None:
    args, data = load_options(__doc__, "bench-access-")
    index = SqliteIndex(Settings(data_dir=data).index_path)
    doc = sorted(index.ids())[0]
    index.close()
    users = f"thu:{hash_password('mật khẩu')}"
    results: dict[str, list[float]] = {"access log written": [], "access log off": []}
    for _ in range(args.runs):
        for mode, log in (("access log written", "on"), ("access log off", "off")):
            server, base = serve(data, users, log)
            try:
                cookies = session_cookie(base, "thu", "mật khẩu")
                results[mode].append(rate(base, args.clients, args.seconds, {}, cookies, f"/doc/{doc}", {}))
            finally:
                server.terminate()
                server.wait()
    off = statistics.median(results["access log off"])
    print(f"{args.clients} concurrent clients on /doc/ID with a session cookie, {args.seconds:g} s each, "
          f"medians of {args.runs} runs\n")
    print("| mode | requests/s | relative to off |")
    print("|---|---:|---:|")
    for mode, rates in results.items():
        print(f"| {mode} | {statistics.median(rates):.0f} | {statistics.median(rates) / off:.2f} |")


if __name__ == "__main__":
    main()
