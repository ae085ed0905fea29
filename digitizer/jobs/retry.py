"""A failed file tried again at a person's request (scanning staff, after fixing the cause)."""

from __future__ import annotations

import glob
import shutil
from pathlib import Path

from ..config import Settings
from .ledger import Ledger


def retry_failed(settings: Settings, ledger: Ledger, job_id: int) -> str | None:
    """Queue a failed job again. An inbox file set aside in failed/ is moved back to where it
    was dropped (its reason file removed), so the service takes it as new; an archive file was
    never moved. Returns why it cannot be retried, or None when it is queued."""
    job = ledger.get(job_id)
    if job is None or job.state != "failed":
        return "không phải tệp lỗi / not a failed file"
    if job.mode == "inbox" and not job.source.exists():
        failed = settings.data_dir / "failed"
        name = job.source.name
        candidates = sorted((p for p in failed.glob(f"{glob.escape(job.source.stem)}*{job.source.suffix}")
                             if p.name == name or p.name.startswith(f"{job.source.stem} (")),
                            key=lambda p: p.stat().st_mtime)
        if not candidates:
            return "tệp không còn trong thư mục lỗi / the file is no longer in failed/"
        job.source.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(str(candidates[-1]), job.source)
        candidates[-1].with_name(candidates[-1].name + ".error.txt").unlink(missing_ok=True)
    return None if ledger.retry(Path(job.root), [job.path]) else "không phải tệp lỗi / not a failed file"

