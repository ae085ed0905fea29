"""Redis and PostgreSQL servers for the tests, started from the Debian packages on free
ports of 127.0.0.1 (data in a temporary folder, gone afterwards); or the servers named by
DIGITIZER_TEST_REDIS_URL / DIGITIZER_TEST_DATABASE_URL."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from .s3server import free_port, wait_port


@dataclass
class Server:
    url: str
    process: subprocess.Popen | None = None
    folder: Path | None = None
    databases: list[str] = field(default_factory=list)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def start_redis() -> Server:
    if url := os.environ.get("DIGITIZER_TEST_REDIS_URL"):
        return Server(url)
    port = free_port()
    process = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                "--appendonly", "no"], stdout=subprocess.DEVNULL)
    wait_port(port)
    return Server(f"redis://127.0.0.1:{port}/0", process)


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its programs as the `postgres` user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def start_postgres() -> Server:
    if url := os.environ.get("DIGITIZER_TEST_DATABASE_URL"):
        return Server(url)
    binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if not binaries:
        raise RuntimeError("PostgreSQL is not installed (Debian package postgresql; make deps)")
    bindir = Path(binaries[-1]).parent
    folder = Path(tempfile.mkdtemp(prefix="digitizer-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    subprocess.run(_as_postgres([str(bindir / "initdb"), "-D", str(folder / "data"), "-U", "postgres",
                                 "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]),
                   check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    process = subprocess.Popen(_as_postgres([
        str(bindir / "postgres"), "-D", str(folder / "data"), "-p", str(port), "-k", str(folder),
        "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=200"]),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port)
    return Server(f"postgresql://postgres@127.0.0.1:{port}", process, folder)


def new_database(server: Server) -> str:
    """A fresh, empty database on the server; its URL."""
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    base = server.url.rsplit("/", 1)[0] if server.url.count("/") > 2 else server.url
    for attempt in range(20):
        try:
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {name}")
            break
        except psycopg.OperationalError:           # still starting up
            if attempt == 19:
                raise
            time.sleep(0.5)
    return f"{base}/{name}"
