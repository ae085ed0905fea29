"""Settings: defaults, then configs/*.toml (or DIGITIZER_CONFIG), then DIGITIZER_* variables.

Every setting `key` of section `sec` is read from the TOML table `[sec]` and from the
environment as `DIGITIZER_SEC_KEY` (top-level ones as `DIGITIZER_KEY`).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any, Mapping


DEFAULT_FILE = Path("configs/default.toml")     # relative: read when run from the project folder


@dataclass
class OcrSettings:
    engine: str = "api"                # "api": Tesseract's C API loaded once per process; "cli": a process per page
    lang: str = "vie"
    psm: int = 3
    page_timeout: float = 180.0        # seconds Tesseract may spend on one page
    target_dpi: int = 225              # pages are resampled to this for Tesseract (see docs/benchmarks.md)


@dataclass
class LimitSettings:
    max_file_mb: float = 512.0
    max_pages: int = 1000
    max_pixels: int = 80_000_000       # per page; A3 at 400 DPI is 31 Mpx


@dataclass
class PdfSettings:
    jpeg_quality: int = 60             # display image; see docs/benchmarks.md for the size trade-off


@dataclass
class S3Settings:
    """MinIO or any S3-compatible store; unused while `endpoint` is empty (local folder)."""
    endpoint: str = ""                 # host:port, e.g. 127.0.0.1:9000
    access_key: str = ""
    secret_key: str = ""
    bucket: str = "digitizer"
    secure: bool = False               # https
    region: str = ""
    timeout: float = 10.0              # seconds to connect; reads get three times this
    retry_seconds: float = 60.0        # keep retrying an operation this long, then fail as transient
    versioning: bool = False
    lock_days: int = 0                 # object lock retention for archives that must not change
    lock_mode: str = "GOVERNANCE"      # or COMPLIANCE


@dataclass
class WebSettings:
    host: str = "127.0.0.1"            # only this machine unless configured for the office LAN
    port: int = 8000
    users: str = ""                    # "name:bcrypt-hash,name2:hash2"; empty: no login
    api_token: str = ""                # bearer token for /api/ (besides the users' login)
    link_seconds: int = 600            # lifetime of presigned S3 download links


@dataclass
class JobSettings:
    max_attempts: int = 5              # tries of a transient failure before it is set aside
    retry_seconds: float = 30.0        # first retry delay; doubles with each attempt
    after_done: str = "move"           # the source file once stored: "move" to done/YYYY-MM-DD/, or "delete"
    empty_seconds: float = 300.0       # a file still 0 bytes this long is taken (and fails as empty)
    lease_seconds: float = 60.0        # a worker renews its hold on a job this often x3; silent longer: taken back
    lost_after: float = 300.0          # a job handed to an empty queue this long ago was lost: send it again
    shutdown_seconds: float = 120.0    # on SIGTERM, workers finish the job in hand this long, then requeue it


@dataclass
class Settings:
    data_dir: Path = Path("data")
    workers: int = 0                   # 0: one per core
    log_format: str = "text"           # or "json": one JSON object per line, for log collectors
    # Several machines: a PostgreSQL URL holds the ledger and the search index, a Redis URL
    # the queue. Empty: SQLite files under data_dir (one machine, no server).
    database_url: str = ""             # postgresql://user:pass@host:5432/digitizer
    queue_url: str = ""                # redis://host:6379/0
    ocr: OcrSettings = field(default_factory=OcrSettings)
    limits: LimitSettings = field(default_factory=LimitSettings)
    pdf: PdfSettings = field(default_factory=PdfSettings)
    s3: S3Settings = field(default_factory=S3Settings)
    web: WebSettings = field(default_factory=WebSettings)
    jobs: JobSettings = field(default_factory=JobSettings)

    @property
    def store_dir(self) -> Path:
        return self.data_dir / "store"

    @property
    def index_path(self) -> Path:
        return self.data_dir / "index.sqlite"

    @property
    def ledger_path(self) -> Path:
        return self.data_dir / "ledger.sqlite"

    def worker_count(self) -> int:
        return self.workers if self.workers > 0 else (os.cpu_count() or 1)


def _coerce(value: str, current: Any) -> Any:
    if isinstance(current, bool):
        return value.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(current, Path):
        return Path(value)
    return type(current)(value)


def _apply(target: Any, table: Mapping[str, Any], env: Mapping[str, str], prefix: str) -> None:
    for f in fields(target):
        current = getattr(target, f.name)
        if is_dataclass(current):
            _apply(current, table.get(f.name, {}), env, f"{prefix}{f.name.upper()}_")
            continue
        if f.name in table:
            setattr(target, f.name, _coerce(str(table[f.name]), current))
        name = f"{prefix}{f.name.upper()}"
        if name in env:
            setattr(target, f.name, _coerce(env[name], current))


def load_settings(config: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if env is None else env
    path = config or (Path(env["DIGITIZER_CONFIG"]) if env.get("DIGITIZER_CONFIG") else None)
    if path is None and DEFAULT_FILE.is_file():
        path = DEFAULT_FILE
    table: dict[str, Any] = {}
    if path is not None:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    settings = Settings()
    _apply(settings, table, env, "DIGITIZER_")
    return settings
