"""Is a folder on a network filesystem? There inotify sees only local changes, so the
watcher must poll (a share written by the scanner from another machine)."""

from __future__ import annotations

import os
from pathlib import Path

NETWORK_TYPES = {"cifs", "smb3", "smbfs", "nfs", "nfs4", "fuse.sshfs", "sshfs", "9p", "davfs", "fuse.davfs2",
                 "fuse.rclone", "afs", "ceph", "glusterfs", "fuse.glusterfs", "fuse.s3fs", "fuse.gcsfuse"}


def filesystem_type(folder: Path, mounts: str | None = None) -> str | None:
    """The type of the filesystem `folder` lives on, from the mount table (longest prefix)."""
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text()
        except OSError:
            return None
    target = os.path.realpath(folder)
    best, kind = "", None
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = parts[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best):
            best, kind = point, parts[2]
    return kind


def needs_polling(folder: Path, mounts: str | None = None) -> bool:
    return filesystem_type(folder, mounts) in NETWORK_TYPES
