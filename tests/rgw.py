"""Ceph's RADOS Gateway as a real S3 server for the tests (Debian's `radosgw`, `ceph-mon`,
`ceph-osd`): one monitor and one OSD keeping its objects in memory (memstore), on 127.0.0.1,
in a temporary folder, no systemd and no disks. Unlike moto it checks request signatures,
so a wrong secret key is refused as a real MinIO or Ceph would refuse it. Start-up takes
about 15 s; everything stops with the test session.

The cluster runs without cephx (`auth ... = none`): it is reachable only on loopback and
lives for one test session. Daemons insist on "secure" connections to the monitor unless
told `ms mon client mode = crc`, which `auth none` cannot provide.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from .s3server import S3Server, free_port

BINARIES = ("ceph-mon", "ceph-osd", "radosgw", "radosgw-admin", "monmaptool", "ceph")

CONF = """[global]
fsid = {fsid}
mon host = [v2:127.0.0.1:{mon2},v1:127.0.0.1:{mon1}]
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv6 = false
ms mon client mode = crc
auth cluster required = none
auth service required = none
auth client required = none
osd objectstore = memstore
memstore device bytes = 2147483648
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
mon data avail warn = 1
mon data avail crit = 0
run dir = {root}/run
log file = {root}/log/$name.log
admin socket = {root}/run/$name.asok
pid file = {root}/run/$name.pid
mon data = {root}/mon/$cluster-$id
osd data = {root}/osd/$cluster-$id
"""


def available() -> bool:
    return all(shutil.which(b) for b in BINARIES)


class RadosGateway(S3Server):
    """A monitor, an OSD and a gateway; `stop()` ends them and removes their folder."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="digitizer-rgw-"))
        self.daemons: list[subprocess.Popen] = []
        port = free_port()
        super().__init__(f"127.0.0.1:{port}", "DIGITIZERTESTKEY", uuid.uuid4().hex)
        try:
            self._start(port)
        except BaseException:
            self.stop()
            raise

    def _run(self, *args: str) -> str:
        return subprocess.run([*args, "-c", str(self.conf)], capture_output=True, text=True, check=True,
                              timeout=120).stdout

    def _daemon(self, *args: str) -> None:
        log = (self.root / "log" / f"{args[0]}.out").open("w")
        self.daemons.append(subprocess.Popen([*args, "-c", str(self.conf), "-f"], stdout=log,
                                             stderr=subprocess.STDOUT))

    def _start(self, port: int) -> None:
        for folder in ("run", "log", "mon", "osd/ceph-0", "rgw"):
            (self.root / folder).mkdir(parents=True)
        fsid = str(uuid.uuid4())
        mon1, mon2 = free_port(), free_port()
        self.conf = self.root / "ceph.conf"
        self.conf.write_text(CONF.format(fsid=fsid, mon1=mon1, mon2=mon2, root=self.root))
        monmap = self.root / "monmap"
        subprocess.run(["monmaptool", "--create", "--fsid", fsid, "--addv", "a",
                        f"[v2:127.0.0.1:{mon2},v1:127.0.0.1:{mon1}]", str(monmap)], capture_output=True, check=True)
        self._run("ceph-mon", "--mkfs", "-i", "a", "--monmap", str(monmap))
        self._daemon("ceph-mon", "-i", "a")
        osd_id = self._run("ceph", "--connect-timeout", "60", "osd", "create").strip()
        self._run("ceph-osd", "-i", osd_id, "--mkfs")
        self._daemon("ceph-osd", "-i", osd_id)
        self._daemon("radosgw", "-n", "client.rgw.test", "--rgw-data", str(self.root / "rgw"),
                     "--rgw-frontends", f"beast endpoint=127.0.0.1:{port}")
        self._run("radosgw-admin", "user", "create", "--uid", "digitizer", "--display-name", "digitizer tests",
                  "--access-key", self.access_key, "--secret-key", self.secret_key)
        self._wait_http(port, 120)

    def _wait_http(self, port: int, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).close()
                return
            except urllib.error.HTTPError:          # it answers: up
                return
            except OSError:
                if any(d.poll() is not None for d in self.daemons):
                    break
                time.sleep(0.5)
        logs = "\n".join(p.read_text()[-1500:] for p in (self.root / "log").glob("*.out"))
        raise RuntimeError(f"the RADOS Gateway did not start:\n{logs}")

    def stop(self) -> None:
        for daemon in reversed(self.daemons):
            daemon.terminate()
        for daemon in self.daemons:
            try:
                daemon.wait(timeout=20)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait()
        shutil.rmtree(self.root, ignore_errors=True)
