"""What in the inbox is ready to take: no junk, no half-written files."""

from __future__ import annotations

import fnmatch
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

JUNK = ["*.part", "*.tmp", "*.crdownload", "~$*", ".DS_Store", "Thumbs.db", "desktop.ini", "._*", "@eaDir", ".*"]


def is_junk(path: Path, inbox: Path) -> bool:
    """Temporary, system and hidden files, anywhere below the inbox."""
    for part in path.relative_to(inbox).parts:
        if any(fnmatch.fnmatch(part, pattern) for pattern in JUNK):
            return True
    return False


def candidates(inbox: Path) -> list[Path]:
    """Regular files below the inbox, symlinks and junk left out."""
    found = []
    for root, dirs, files in os.walk(inbox, followlinks=False):
        dirs[:] = [d for d in dirs if not is_junk(Path(root) / d, inbox)]
        for name in files:
            path = Path(root) / name
            if not path.is_symlink() and path.is_file() and not is_junk(path, inbox):
                found.append(path)
    return sorted(found)


@dataclass
class Settle:
    """A file is stable when its size and mtime have not changed for `seconds` and it is
    not empty (scanners create a 0-byte file first and fill it later). A file still empty
    after `empty_seconds` is taken too, so that it is set aside with its reason."""
    seconds: float
    empty_seconds: float = 300.0
    seen: dict[Path, tuple[int, float, float]] = field(default_factory=dict)

    def ready(self, path: Path, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        try:
            st = path.stat()
        except FileNotFoundError:
            self.seen.pop(path, None)
            return False
        key = (st.st_size, st.st_mtime)
        previous = self.seen.get(path)
        if previous is None or previous[:2] != key:
            self.seen[path] = (*key, now)
            return False
        return now - previous[2] >= (self.seconds if st.st_size > 0 else max(self.seconds, self.empty_seconds))

    def forget(self, path: Path) -> None:
        self.seen.pop(path, None)


def dossier_of(path: Path, inbox: Path) -> str | None:
    """A folder dropped into the inbox is one dossier (hồ sơ), named by the folder."""
    parts = path.relative_to(inbox).parts
    return parts[0] if len(parts) > 1 else None
