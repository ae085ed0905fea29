"""Settings: defaults, then a TOML file (configs/default.toml, or DIGITIZER_CONFIG), then
DIGITIZER_* variables, validated by pydantic at start.

Every setting `key` of section `sec` is read from the TOML table `[sec]` and from the
environment as `DIGITIZER_SEC_KEY` (top-level ones as `DIGITIZER_KEY`). An unknown key in the
file or in the environment, a value of the wrong type, an impossible one (a negative timeout),
or a settings file that is not there is refused at start with the key named (`SettingsError`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_settings import (BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict,
                               TomlConfigSettingsSource)

DEFAULT_FILE = Path("configs/default.toml")     # relative: read when run from the project folder


class SettingsError(Exception):
    """The settings cannot be used; the message names each bad key."""


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OcrSettings(Section):
    engine: Literal["api", "cli"] = "api"   # "api": Tesseract's C API, loaded once per process; "cli": per page
    lang: str = "vie"
    psm: int = Field(3, ge=0, le=13)
    page_timeout: float = Field(180.0, gt=0)        # seconds Tesseract may spend on one page
    target_dpi: int = Field(225, ge=100, le=600)    # pages are resampled to this for Tesseract (docs/benchmarks.md)
    doubts: bool = True     # keep the readings Tesseract weighed per character ("api" engine; 13% of OCR time)
    # Tesseract's test of each row for fixed-pitch print, on pages smaller than a letter:
    # receipts and card lines printed in a monospace font read better with it. Pages the size
    # of a letter or a form are read without it (pipeline.reading_settings): there it changed
    # no reading, monospace letters included, and cost 2-5 % of the OCR (docs/benchmarks.md).
    pitch_test: bool = True


class LimitSettings(Section):
    max_file_mb: float = Field(512.0, gt=0)
    max_pages: int = Field(1000, ge=1)
    max_pixels: int = Field(80_000_000, ge=10_000)      # per page; A3 at 400 DPI is 31 Mpx
    # A PDF cut short or damaged so that some pages cannot be read: the file fails with the
    # pages named ("fail"), or is stored with the pages that can, the others named ("partial").
    damaged_pdf: Literal["fail", "partial"] = "fail"


class PdfSettings(Section):
    jpeg_quality: int = Field(60, ge=10, le=100)     # display image; see docs/benchmarks.md for the size trade-off
    pdfa: bool = True          # stored PDFs are PDF/A-2 (2u when the text layer maps to Unicode); docs/pdfa.md


class SignSettings(Section):
    """The centre's signature (PAdES) on every stored PDF; off while no key is configured.
    The key is in a PKCS#12 file, or on a PKCS#11 token (the USB tokens offices sign with)."""
    p12: str = ""                 # PKCS#12 file holding the key and the certificate
    p12_password: str = ""
    pkcs11_lib: str = ""          # the token's PKCS#11 library, e.g. /usr/lib/softhsm/libsofthsm2.so
    pkcs11_token: str = ""        # the token's label (or pkcs11_slot)
    pkcs11_slot: int | None = Field(None, ge=0)
    pkcs11_key: str = ""          # the private key's label
    pkcs11_cert: str = ""         # the certificate's label; empty: the key's
    pkcs11_pin: str = ""
    tsa_url: str = ""             # an RFC 3161 timestamp server: PAdES B-T instead of B-B
    centre: str = ""              # the name in the visible stamp; empty: the certificate's organisation
    reason: str = "Số hóa từ hồ sơ giấy"
    location: str = ""
    stamp: bool = True            # a visible stamp in a free margin of the last page

    @property
    def configured(self) -> bool:
        return bool(self.p12 or self.pkcs11_lib)


class SplitSettings(Section):
    """A scanned stack into documents (digitizer/stack/plan.py)."""
    sheets: bool = True            # separator and dossier sheets (`digitizer sheet`) split and file
    slips: bool = True             # a reception slip (phiếu tiếp nhận hồ sơ) starts the dossier of its Mã hồ sơ
    by_content: bool = True        # a page that opens a document (motto and title, a form's title) starts one
    drop_blank: bool = True        # blank pages (duplex backs) are left out of the searchable PDF


class S3Settings(Section):
    """MinIO or any S3-compatible store; unused while `endpoint` is empty (local folder)."""
    endpoint: str = ""                 # host:port, e.g. 127.0.0.1:9000
    access_key: str = ""
    secret_key: str = ""
    bucket: str = Field("digitizer", pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
    secure: bool = False               # https
    region: str = ""
    timeout: float = Field(10.0, gt=0)         # seconds to connect; reads get three times this
    retry_seconds: float = Field(60.0, ge=0)   # keep retrying an operation this long, then fail as transient
    versioning: bool = False
    lock_days: int = Field(0, ge=0)            # object lock retention for archives that must not change
    lock_mode: Literal["GOVERNANCE", "COMPLIANCE"] = "GOVERNANCE"

    @field_validator("endpoint")
    @classmethod
    def _host_and_port(cls, value: str) -> str:
        if "://" in value:        # the minio client takes host:port and `secure`, not a URL
            scheme = value.split("://", 1)[0]
            raise ValueError(f"write it as host:port, without {scheme}:// "
                             f"({'set s3.secure = true' if scheme == 'https' else 'https: set s3.secure = true'})")
        return value


class WebSettings(Section):
    host: str = "127.0.0.1"            # only this machine unless configured for the office LAN
    hosts: str = ""                    # Host names the page answers to, comma-separated; empty: the bound address's
    port: int = Field(8000, ge=1, le=65535)
    users: str = ""                    # "name:bcrypt-hash,name2:hash2"; empty: no login
    api_token: str = ""                # bearer token for /api/ (besides the users' login)
    link_seconds: int = Field(600, ge=1)       # lifetime of presigned S3 download links
    secret: str = ""                   # signs the login cookie; empty: one made once and kept in data_dir
    https: bool = False                # served behind HTTPS: the login cookie is sent only over it (Secure)
    session_hours: float = Field(10.0, gt=0)   # a login lasts this long at most (a working day)
    idle_minutes: float = Field(30.0, gt=0)    # and ends after this long without a request
    trusted_proxies: str = ""          # proxies whose X-Forwarded-For is believed, comma-separated; empty: none
    max_body_kb: int = Field(64, ge=1)         # larger request bodies are refused (413)


class JobSettings(Section):
    max_attempts: int = Field(5, ge=1)              # tries of a transient failure before it is set aside
    retry_seconds: float = Field(30.0, ge=0)        # first retry delay; doubles with each attempt
    after_done: Literal["move", "delete"] = "move"  # the source once stored: moved to done/YYYY-MM-DD/, or deleted
    empty_seconds: float = Field(300.0, ge=0)       # a file still 0 bytes this long is taken (and fails as empty)
    lease_seconds: float = Field(60.0, gt=0)        # a worker renews its hold this often x3; silent longer: taken back
    lost_after: float = Field(15.0, ge=0)           # a job handed over this long ago, in no message, unclaimed: resend
    shutdown_seconds: float = Field(120.0, ge=0)    # on SIGTERM, workers finish the job in hand this long


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DIGITIZER_", env_nested_delimiter="_", env_nested_max_split=1,
                                      extra="forbid")

    data_dir: Path = Path("data")
    workers: int = Field(0, ge=0)      # 0: one per core
    log_format: Literal["text", "json"] = "text"   # json: one JSON object per line, for log collectors
    # Several machines: a PostgreSQL URL holds the ledger and the search index, a Redis URL
    # the queue. Empty: SQLite files under data_dir (one machine, no server).
    database_url: str = Field("", pattern=r"^$|^postgres(ql)?://")    # postgresql://user:pass@host:5432/digitizer
    queue_url: str = Field("", pattern=r"^$|^(redis|rediss|unix)://")  # redis://host:6379/0
    ocr: OcrSettings = Field(default_factory=OcrSettings)
    limits: LimitSettings = Field(default_factory=LimitSettings)
    pdf: PdfSettings = Field(default_factory=PdfSettings)
    sign: SignSettings = Field(default_factory=SignSettings)
    split: SplitSettings = Field(default_factory=SplitSettings)
    s3: S3Settings = Field(default_factory=S3Settings)
    web: WebSettings = Field(default_factory=WebSettings)
    jobs: JobSettings = Field(default_factory=JobSettings)

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource,
                                   dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Arguments, then the environment, then the TOML file DIGITIZER_CONFIG names (or the
        project's own when run from its folder)."""
        path = os.environ.get("DIGITIZER_CONFIG") or (str(DEFAULT_FILE) if DEFAULT_FILE.is_file() else "")
        file = (TomlConfigSettingsSource(settings_cls, toml_file=path),) if path else ()
        return (init_settings, env_settings, *file)

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


# DIGITIZER_* variables that are not settings: the settings file, the built-tables cache, the
# test suite's crash points, servers and knobs (passed on to the commands it runs).
NOT_SETTINGS = {"DIGITIZER_CONFIG", "DIGITIZER_CACHE_DIR", "DIGITIZER_CRASH_AT", "DIGITIZER_SCREENSHOT",
                "DIGITIZER_FUZZ_EXAMPLES"}
NOT_SETTINGS_PREFIX = "DIGITIZER_TEST_"


def _unknown_variables() -> list[str]:
    """DIGITIZER_* variables that name no setting (DIGITIZER_DATADIR for DIGITIZER_DATA_DIR):
    ignored, they would leave the service on a default the operator meant to change."""
    names = {f"DIGITIZER_{name.upper()}" for name, f in Settings.model_fields.items()
             if not isinstance(f.default_factory, type)}
    sections = {f"DIGITIZER_{name.upper()}_" for name, f in Settings.model_fields.items()
                if isinstance(f.default_factory, type)}
    return sorted(name for name in os.environ if name.startswith("DIGITIZER_") and name not in names
                  and name not in NOT_SETTINGS and not name.startswith(NOT_SETTINGS_PREFIX)
                  and not name.startswith(tuple(sections)))      # a section's unknown key pydantic names


def load_settings(config: Path | None = None) -> Settings:
    """The settings of this run; `config` (the --config option) names the TOML file, for this
    process and the workers it starts. SettingsError names every bad key, an unknown DIGITIZER_*
    variable, and a settings file that is not there."""
    if config is not None:
        os.environ["DIGITIZER_CONFIG"] = str(config)
    named = os.environ.get("DIGITIZER_CONFIG")
    if named and not Path(named).is_file():
        raise SettingsError(f"no settings file {named} (DIGITIZER_CONFIG or --config)")
    unknown = _unknown_variables()
    if unknown:
        raise SettingsError(f"unknown variable{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}: no such "
                            "setting (configs/default.toml lists them; DIGITIZER_<SECTION>_<KEY>)")
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError("; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}"
                                      for e in exc.errors())) from None
    except (OSError, ValueError) as exc:        # an unreadable or malformed TOML file
        raise SettingsError(f"settings file: {exc}") from None
