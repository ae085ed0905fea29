"""The login under load: 20 concurrent clients against `digitizer serve`, open and with users
(HTTP Basic, and the login form's session cookie), and 50 wrong passwords for one user.

    python bench/web_login.py [--clients 20] [--seconds 10] [--runs 3]

The server is the real one (uvicorn, one process) on 127.0.0.1 over a data folder with a few
generated documents; each client repeats the same search (`/api/search?q=...`) for the given
time. Rates are medians of the runs.
"""

from __future__ import annotations

import argparse
import base64
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from common import ROOT

from digitizer.config import Settings
from digitizer.pipeline import process
from digitizer.storage import LocalStore, SqliteIndex, save_outcome
from digitizer.web.auth import hash_password
from samples import generate

sys.path.insert(0, str(ROOT / "tests"))
from s3server import free_port, wait_port  # noqa: E402


def make_data(folder: Path) -> None:
    settings = Settings(data_dir=folder, workers=1)
    store, index = LocalStore(settings.store_dir), SqliteIndex(settings.index_path)
    for i, kind in enumerate(["giay_xac_nhan", "quyet_dinh", "don_de_nghi"]):
        s = generate(kind, "clean", 700 + i, fmt="png")
        index.add(save_outcome(store, process(s.data, s.name, settings), s.data))
    index.close()


def serve(data: Path, users: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "DIGITIZER_DATA_DIR": str(data), "DIGITIZER_WEB_USERS": users}
    server = subprocess.Popen([sys.executable, "-m", "digitizer.cli", "serve", "--port", str(port)], env=env,
                              cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port)
    return server, f"http://127.0.0.1:{port}"


def rate(base: str, clients: int, seconds: float, auth: dict[str, str], cookies: dict[str, str],
         path: str = "/api/search", params: dict[str, str] | None = None) -> float:
    """Requests per second that `clients` threads get from GET `path`, each repeating it."""
    params = {"q": "nguyen"} if params is None else params
    done, errors = [0] * clients, []
    stop = time.monotonic() + seconds

    def client(i: int) -> None:
        with httpx.Client(base_url=base, headers=auth, cookies=cookies, timeout=30) as c:
            while time.monotonic() < stop:
                r = c.get(path, params=params)
                if r.status_code != 200:
                    errors.append(r.status_code)
                done[i] += 1
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(f"{len(errors)} requests failed: {sorted(set(errors))}")
    return sum(done) / seconds


def session_cookie(base: str, user: str, password: str) -> dict[str, str]:
    with httpx.Client(base_url=base) as c:
        form = c.get("/login", headers={"Accept": "text/html"}).text
        token = re.search(r'name="csrf" value="([^"]+)"', form).group(1)    # type: ignore[union-attr]
        c.post("/login", data={"username": user, "password": password, "csrf": token})
        return dict(c.cookies)


def wrong_passwords(base: str, count: int) -> list[tuple[int, float]]:
    out = []
    with httpx.Client(base_url=base) as c:
        for i in range(count):
            t0 = time.perf_counter()
            r = c.get("/api/search", headers={"Authorization": "Basic " + base64.b64encode(
                f"thu:wrong{i}".encode()).decode()})
            out.append((r.status_code, time.perf_counter() - t0))
    return out


def load_options(description: str | None, prefix: str) -> tuple[argparse.Namespace, Path]:
    """The options of the web benchmarks, and a fresh data folder with a few documents."""
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix=prefix)) / "data"
    make_data(data)
    return args, data


def main() -> None:
    args, data = load_options(__doc__, "bench-login-")
    users = f"thu:{hash_password('mật khẩu')}"
    basic = {"Authorization": "Basic " + base64.b64encode("thu:mật khẩu".encode()).decode()}
    results: dict[str, list[float]] = {"open (no login)": [], "HTTP Basic": [], "login form (session cookie)": []}
    for _ in range(args.runs):
        server, base = serve(data, "")
        try:
            results["open (no login)"].append(rate(base, args.clients, args.seconds, {}, {}))
        finally:
            server.terminate()
            server.wait()
        server, base = serve(data, users)
        try:
            results["HTTP Basic"].append(rate(base, args.clients, args.seconds, basic, {}))
            cookies = session_cookie(base, "thu", "mật khẩu")
            results["login form (session cookie)"].append(rate(base, args.clients, args.seconds, {}, cookies))
        finally:
            server.terminate()
            server.wait()
    open_rate = statistics.median(results["open (no login)"])
    print(f"{args.clients} concurrent clients, {args.seconds:g} s each, medians of {args.runs} runs\n")
    print("| mode | requests/s | relative to open |")
    print("|---|---:|---:|")
    for mode, rates in results.items():
        print(f"| {mode} | {statistics.median(rates):.0f} | {statistics.median(rates) / open_rate:.2f} |")
    server, base = serve(data, users)
    try:
        answers = wrong_passwords(base, 50)
    finally:
        server.terminate()
        server.wait()
    refused = [t for s, t in answers if s == 401]
    limited = [t for s, t in answers if s == 429]
    print(f"\n50 wrong passwords for one user: {len(refused)} refused (401), median "
          f"{1000 * statistics.median(refused):.0f} ms; then {len(limited)} limited (429), median "
          f"{1000 * statistics.median(limited) if limited else 0:.1f} ms")


if __name__ == "__main__":
    main()
