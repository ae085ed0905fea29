from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pytest

from digitizer.config import Settings
from samples import Sample, generate

os.environ.setdefault("OMP_THREAD_LIMIT", "1")


@lru_cache(maxsize=None)
def sample(kind: str, degradation: str, seed: int = 1, fmt: str | None = None, pages: int = 1) -> Sample:
    """Generated documents are cached across tests: rendering one takes a fraction of a second."""
    return generate(kind, degradation, seed, fmt=fmt, pages=pages)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    s = Settings(data_dir=tmp_path / "data", workers=1)
    return s
