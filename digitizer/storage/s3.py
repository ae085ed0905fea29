"""ObjectStore on MinIO or any S3-compatible server, through the `minio` client.

Faults are ridden out in two layers: urllib3 retries single requests (5xx, dropped
connections) with backoff, and every operation is retried as a whole with exponential
backoff for up to `retry_seconds` (a server restarting, a network outage). Past that
the operation raises StoreUnavailable, which jobs record as a transient failure.

Only ASCII goes into object metadata (the client rejects anything else in HTTP headers);
Vietnamese values live in the record JSON.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import time
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterator, TypeVar

import urllib3
from minio import Minio
from minio.commonconfig import COMPLIANCE, GOVERNANCE, ENABLED
from minio.error import MinioException, S3Error
from minio.objectlockconfig import ObjectLockConfig
from minio.retention import Retention
from minio.versioningconfig import VersioningConfig

from ..config import S3Settings
from .objects import StoreConfigError, StoreUnavailable

log = logging.getLogger(__name__)
# urllib3 says each of its own retries too; _retry says the outage once.
logging.getLogger("urllib3.connectionpool").setLevel(logging.ERROR)
T = TypeVar("T")
PART_SIZE = 16 * 1024 * 1024
NOT_FOUND = frozenset({"NoSuchKey", "NoSuchObject", "NoSuchVersion"})
_KEYS = "; check DIGITIZER_S3_ACCESS_KEY and DIGITIZER_S3_SECRET_KEY"
CHECK = {"InvalidAccessKeyId": _KEYS, "SignatureDoesNotMatch": _KEYS, "ExpiredToken": _KEYS, "InvalidToken": _KEYS,
         # A HEAD request's refusal has no body to say why: a wrong secret reads as AccessDenied too.
         "AccessDenied": "; check DIGITIZER_S3_ACCESS_KEY and DIGITIZER_S3_SECRET_KEY, and that the key may use "
                         "DIGITIZER_S3_BUCKET",
         "NoSuchBucket": "; the bucket is gone (DIGITIZER_S3_BUCKET): it is created only at start"}


def multipart_etag(data: bytes, part_size: int = PART_SIZE) -> str:
    """The ETag S3 gives an object: its MD5, or for multipart uploads the MD5 of the parts' MD5s."""
    if len(data) <= part_size:
        return hashlib.md5(data).hexdigest()
    digests = [hashlib.md5(data[i:i + part_size]).digest() for i in range(0, len(data), part_size)]
    return f"{hashlib.md5(b''.join(digests)).hexdigest()}-{len(digests)}"


class S3Store:
    def __init__(self, client: Minio, bucket: str, retry_seconds: float = 60.0, lock_days: int = 0,
                 lock_mode: str = "GOVERNANCE", endpoint: str = "the endpoint") -> None:
        self.client = client
        self.endpoint = endpoint
        self.bucket = bucket
        self.retry_seconds = retry_seconds
        self.lock_days = lock_days
        self.lock_mode = COMPLIANCE if lock_mode.upper() == "COMPLIANCE" else GOVERNANCE

    @classmethod
    def from_settings(cls, s: S3Settings) -> S3Store:
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=s.timeout, read=s.timeout * 3),
            retries=urllib3.Retry(total=3, backoff_factor=0.3, status_forcelist=[500, 502, 503, 504],
                                  allowed_methods=None, raise_on_status=False))
        client = Minio(s.endpoint, access_key=s.access_key or None, secret_key=s.secret_key or None,
                       secure=s.secure, region=s.region or None, http_client=http)
        store = cls(client, s.bucket, s.retry_seconds, s.lock_days, s.lock_mode, s.endpoint)
        store.prepare(versioning=s.versioning)
        return store

    def _retry(self, what: str, fn: Callable[[], T], passthrough: frozenset[str] = NOT_FOUND) -> T:
        """fn(), retried with backoff while the server is busy or unreachable. A refusal (bad
        credentials, access denied, a missing bucket) is not retried: it is StoreUnavailable at
        once, saying what to check, so a job fails as transient storage trouble, never as an
        internal error. Codes in `passthrough` reach the caller as S3Error."""
        deadline = time.monotonic() + self.retry_seconds
        delay, told = 0.25, False
        while True:
            try:
                return fn()
            except S3Error as exc:
                code = exc.code or ""
                if code in passthrough:
                    raise
                if not code.startswith(("Internal", "Service", "Slow")):
                    hint = CHECK.get(code, "")
                    raise StoreUnavailable(f"{what}: the S3 server refused: {code} ({exc.message}){hint}") from exc
                problem: Exception = exc
            except (urllib3.exceptions.HTTPError, MinioException, OSError) as exc:
                problem = exc
            if time.monotonic() + delay > deadline:
                if isinstance(problem, urllib3.exceptions.MaxRetryError):      # no answer at all
                    cause = getattr(problem.reason, "args", [problem.reason])[-1] if problem.reason else problem
                    raise StoreUnavailable(f"{what}: no S3 server answers at {self.endpoint} ({cause}); "
                                           "check s3.endpoint (DIGITIZER_S3_ENDPOINT) and that the server runs") \
                        from problem
                raise StoreUnavailable(f"{what}: {problem}") from problem
            # One line for an outage, not one per try (an unreachable server gave 44 in a minute).
            log.log(logging.DEBUG if told else logging.WARNING, "%s failed (%s); retrying for up to %.0f s",
                    what, type(problem).__name__, deadline - time.monotonic())
            told = True
            time.sleep(delay)
            delay = min(delay * 2, 8.0)

    def prepare(self, versioning: bool = False) -> None:
        """Create the bucket when missing; switch on versioning; check object lock."""
        def make() -> None:
            if not self.client.bucket_exists(self.bucket):
                self.client.make_bucket(self.bucket, object_lock=self.lock_days > 0)
        self._retry("create bucket", make)
        if versioning or self.lock_days > 0:
            self._retry("enable versioning",
                        lambda: self.client.set_bucket_versioning(self.bucket, VersioningConfig(ENABLED)))
        if self.lock_days > 0:
            try:
                config = self._retry("read object lock", lambda: self.client.get_object_lock_config(self.bucket),
                                     passthrough=frozenset({"ObjectLockConfigurationNotFoundError"}))
            except S3Error as exc:
                raise StoreConfigError(
                    f"bucket {self.bucket!r} was created without object lock, so retention of "
                    f"{self.lock_days} days cannot be enforced; use a new bucket or set lock_days = 0") from exc
            if not isinstance(config, ObjectLockConfig):
                raise StoreConfigError(f"bucket {self.bucket!r} has no object lock configuration")

    def put(self, key: str, data: bytes, content_type: str, metadata: dict[str, str] | None = None) -> None:
        for name, value in (metadata or {}).items():
            if not (name + value).isascii():
                raise ValueError(f"object metadata must be ASCII: {name}={value!r}")
        headers: dict[str, str | list[str] | tuple[str]] = dict(metadata or {})
        retention, part_size = None, PART_SIZE
        if len(data) <= part_size or self.lock_days > 0:
            # The server checks this checksum; object lock demands one, and minio sends no
            # Content-MD5 over plain HTTP. Locked objects go in one part (up to 5 GiB).
            headers["x-amz-sdk-checksum-algorithm"] = "SHA256"
            headers["x-amz-checksum-sha256"] = base64.b64encode(hashlib.sha256(data).digest()).decode()
            part_size = max(part_size, len(data))
        if self.lock_days > 0:
            retention = Retention(self.lock_mode, datetime.now(timezone.utc) + timedelta(days=self.lock_days))
        self._retry(f"put {key}", lambda: self.client.put_object(
            self.bucket, key, io.BytesIO(data), len(data), content_type=content_type,
            metadata=headers, part_size=part_size, retention=retention))

    def get(self, key: str) -> bytes:
        def read() -> bytes:
            response = self.client.get_object(self.bucket, key)
            try:
                return response.read()
            finally:
                response.close()
                response.release_conn()
        try:
            return self._retry(f"get {key}", read)
        except S3Error as exc:
            if exc.code in NOT_FOUND:
                raise KeyError(key) from None
            raise

    def _stat(self, key: str):  # noqa: ANN202 (minio's Object)
        try:
            return self._retry(f"stat {key}", lambda: self.client.stat_object(self.bucket, key))
        except S3Error as exc:
            if exc.code in NOT_FOUND:
                return None
            raise

    def exists(self, key: str) -> bool:
        return self._stat(key) is not None

    def verify(self, key: str, data: bytes) -> bool:
        """Size and the server's ETag (MD5 of what it received) against our bytes."""
        stat = self._stat(key)
        return stat is not None and stat.size == len(data) and \
            (stat.etag or "").strip('"') == multipart_etag(data)

    def keys(self, prefix: str) -> Iterator[str]:
        objects = self._retry(f"list {prefix}", lambda: list(
            self.client.list_objects(self.bucket, prefix=prefix, recursive=True)))
        for obj in objects:
            yield obj.object_name

    def download_url(self, key: str, seconds: int = 600) -> str | None:
        return self.client.presigned_get_object(self.bucket, key, expires=timedelta(seconds=seconds))

    def sweep(self, older_than: float) -> int:
        return 0        # an S3 PUT is whole or absent: nothing half-written stays
