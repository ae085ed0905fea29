"""ObjectStore: put/get bytes by key. The local folder is the embedded default; S3 is in s3.py."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path
from typing import Iterator, Protocol



class StoreUnavailable(Exception):
    """The store cannot be reached now (after retries); the job should be tried again later."""


class StoreConfigError(Exception):
    """The bucket cannot give what the settings ask (versioning, object lock)."""


class ObjectStore(Protocol):
    def put(self, key: str, data: bytes, content_type: str, metadata: dict[str, str] | None = None) -> None: ...
    def get(self, key: str) -> bytes: ...                 # KeyError when absent
    def exists(self, key: str) -> bool: ...
    def verify(self, key: str, data: bytes) -> bool: ...  # the stored object is exactly `data`
    def keys(self, prefix: str) -> Iterator[str]: ...
    def download_url(self, key: str, seconds: int = 600) -> str | None: ...   # None: serve it yourself
    def sweep(self, older_than: float) -> int: ...       # half-written objects a kill left; how many


class LocalStore:
    """Objects as files under `root`, written atomically (temp file, fsync, rename)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"key outside the store: {key!r}")
        return path

    def put(self, key: str, data: bytes, content_type: str, metadata: dict[str, str] | None = None) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise KeyError(key) from None

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def verify(self, key: str, data: bytes) -> bool:
        """Read back and compare byte for byte (cheaper than hashing both sides)."""
        path = self._path(key)
        return path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data

    def keys(self, prefix: str) -> Iterator[str]:
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and not path.name.startswith(".tmp-"):
                key = path.relative_to(self.root).as_posix()
                if key.startswith(prefix):
                    yield key

    def download_url(self, key: str, seconds: int = 600) -> str | None:
        return None

    def sweep(self, older_than: float) -> int:
        """Remove the temporary files of writes a kill cut short (a write going on now is
        younger than `older_than` seconds)."""
        cutoff, count = time.time() - older_than, 0
        for path in self.root.rglob(".tmp-*"):
            try:
                if path.is_file() and path.stat().st_mtime < cutoff:
                    path.unlink()
                    count += 1
            except OSError:          # another worker swept it first
                pass
        return count
