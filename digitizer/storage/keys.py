"""Object keys of design §4: the same in the local folder and in a bucket."""

from __future__ import annotations

import re

_ID = re.compile(r"^[0-9a-f]{64}$")
_EXT = re.compile(r"^[a-z0-9]{1,5}$")


def valid_id(doc_id: str) -> bool:
    return bool(_ID.match(doc_id))


def object_keys(doc_id: str, original_ext: str) -> dict[str, str]:
    if not valid_id(doc_id) or not _EXT.match(original_ext):
        raise ValueError(f"not a document id or extension: {doc_id!r}, {original_ext!r}")
    shard = doc_id[:2]
    return {"original": f"originals/{shard}/{doc_id}.{original_ext}",
            "pdf": f"pdf/{shard}/{doc_id}.pdf",
            "text": f"text/{shard}/{doc_id}.txt",
            "record": f"records/{shard}/{doc_id}.json"}


def record_key(doc_id: str) -> str:
    return object_keys(doc_id, "bin")["record"]
