from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pytest

from digitizer.config import Settings
from samples import Sample, generate


@lru_cache(maxsize=None)
def sample(kind: str, degradation: str, seed: int = 1, fmt: str | None = None, pages: int = 1) -> Sample:
    """Generated documents are cached across tests: rendering one takes a fraction of a second."""
    return generate(kind, degradation, seed, fmt=fmt, pages=pages)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    s = Settings(data_dir=tmp_path / "data", workers=1)
    return s


@pytest.fixture(scope="session")
def redis_server():
    from .servers import start_redis

    server = start_redis()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_server():
    from .servers import start_postgres

    server = start_postgres()
    yield server
    server.stop()


@pytest.fixture
def database_url(postgres_server) -> str:
    from .servers import new_database

    return new_database(postgres_server)


S3_SERVERS = ["given"] if os.environ.get("DIGITIZER_TEST_S3_ENDPOINT") else ["moto", "rgw"]


@pytest.fixture(scope="session", params=S3_SERVERS)
def s3(request):
    """An S3 server process over HTTP: moto's, and Ceph's RADOS Gateway (which, unlike moto,
    checks signatures); or only the server DIGITIZER_TEST_S3_ENDPOINT names (a MinIO)."""
    from . import rgw
    from .s3server import start_s3

    if request.param == "rgw":
        if not rgw.available():
            if os.environ.get("CI"):
                pytest.fail("radosgw, ceph-mon and ceph-osd are not installed (make test installs them)")
            pytest.skip("radosgw, ceph-mon and ceph-osd are not installed here (make test installs them)")
        server = rgw.RadosGateway()
    else:
        server = start_s3()
    yield server
    server.stop()
