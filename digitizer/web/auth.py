"""Optional login for an office LAN: configured users with bcrypt-hashed passwords (HTTP
Basic), and a bearer token for API clients. With neither configured, the service is open
and should stay bound to 127.0.0.1.

bcrypt is slow on purpose (about 0.2 s), so a credential is checked once and the answer
kept for a while: a clerk's page with its thumbnails costs one check, not one per request.
An unknown user costs the same check as a known one (no telling which names exist), and
failures are limited per user and per address, so guessing cannot slow everyone down.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import threading
import time
from collections import OrderedDict, deque

import bcrypt
from fastapi import HTTPException, Request

CACHE_SECONDS = 300.0        # a verified credential is trusted this long without bcrypt
CACHE_SIZE = 256
MAX_FAILURES = 10            # failed logins per user, and per address, within the window
FAILURE_WINDOW = 300.0       # seconds
MAX_PASSWORD_BYTES = 72      # bcrypt reads no further; longer ones are refused, not truncated


# Who may do what: scanning staff see the work's state and the failures; clerks search, view
# and correct documents; an admin also reads the access log. Each role may do what those
# before it may.
ROLES = ("staff", "clerk", "admin")
# The role a path needs, by its beginning (the first that matches); anything else needs a clerk.
NEEDS = (("/static/", "staff"), ("/failures", "staff"), ("/api/failures", "staff"), ("/report", "staff"),
         ("/admin", "admin"), ("/api/access-log", "admin"))


def parse_users(spec: str) -> dict[str, tuple[str, bytes]]:
    """'name:hash' (a clerk) or 'name:role:hash' entries, comma-separated -> name: (role, hash)."""
    users = {}
    for entry in filter(None, (e.strip() for e in spec.split(","))):
        parts = entry.split(":")
        if len(parts) == 3 and parts[1] in ROLES:
            users[parts[0]] = (parts[1], parts[2].encode())
        else:
            name, _, hashed = entry.partition(":")
            users[name] = ("clerk", hashed.encode())
    return users


def needed_role(path: str) -> str:
    return next((role for prefix, role in NEEDS if path.startswith(prefix)), "clerk")


def hash_password(password: str) -> str:
    if len(password.encode()) > MAX_PASSWORD_BYTES:
        raise ValueError(f"a password is at most {MAX_PASSWORD_BYTES} bytes (bcrypt reads no further)")
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


class Failures:
    """Failed attempts per key (a user name, an address) in a sliding window."""

    def __init__(self) -> None:
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, *keys: str) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(len(self._recent(key, now)) >= MAX_FAILURES for key in keys)

    def add(self, *keys: str) -> None:
        now = time.monotonic()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._seen.setdefault(key, deque())
        while times and now - times[0] > FAILURE_WINDOW:
            times.popleft()
        return times


class Guard:
    def __init__(self, users: str, api_token: str) -> None:
        self.users = parse_users(users)
        self.token = api_token.encode()
        # Checked against when the name is unknown, so that answer takes as long as any other.
        self._decoy = bcrypt.hashpw(os.urandom(16), bcrypt.gensalt())
        self._verified: OrderedDict[bytes, float] = OrderedDict()
        self._lock = threading.Lock()
        self.failures = Failures()

    @property
    def open(self) -> bool:
        return not self.users and not self.token

    def __call__(self, request: Request) -> None:
        """Let the request through, with `request.state.user` and `.role` saying who it is, or
        refuse it: 401 without a valid credential, 403 for a role that may not go there."""
        who = self._who(request)
        if who is None:
            raise HTTPException(401, "Cần đăng nhập / Login required",
                                headers={"WWW-Authenticate": 'Basic realm="digitizer", charset="UTF-8"'})
        request.state.user, request.state.role = who
        if ROLES.index(request.state.role) < ROLES.index(needed_role(request.url.path)):
            raise HTTPException(403, "Tài khoản không có quyền này / Not allowed for this account")

    def _who(self, request: Request) -> tuple[str, str] | None:
        """(user, role) of the request, or None when it has no valid credential."""
        if self.open:
            return "local", "admin"               # no login configured: this machine only
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer" and self.token and hmac.compare_digest(value.encode(), self.token):
            return "api-token", "clerk"
        if scheme.lower() == "basic" and self.users:
            name, password = _basic(value)
            address = request.client.host if request.client else "?"
            if self.failures.blocked("user:" + name, "address:" + address):
                raise HTTPException(429, "Đăng nhập sai quá nhiều lần, hãy thử lại sau / Too many failed logins, "
                                         "try again later", headers={"Retry-After": str(int(FAILURE_WINDOW))})
            if self._check(name, password):
                return name, self.users[name][0]
            self.failures.add("user:" + name, "address:" + address)
        return None

    def _check(self, name: str, password: bytes) -> bool:
        """The password is right for the user: bcrypt once, then the cached answer."""
        key = hashlib.sha256(name.encode() + b"\0" + password).digest()
        now = time.monotonic()
        with self._lock:
            seen = self._verified.get(key)
            if seen is not None and now - seen < CACHE_SECONDS:
                return True
        hashed = self.users[name][1] if name in self.users else None
        if len(password) > MAX_PASSWORD_BYTES:
            password = password[:MAX_PASSWORD_BYTES]
            hashed = None            # no stored password is this long: wrong, at the usual cost
        try:
            ok = bcrypt.checkpw(password, hashed or self._decoy) and hashed is not None
        except ValueError:           # a malformed hash in the settings: nobody logs in as that user
            ok = False
        if ok:
            with self._lock:
                self._verified[key] = now
                self._verified.move_to_end(key)
                while len(self._verified) > CACHE_SIZE:
                    self._verified.popitem(last=False)
        return ok


def _basic(value: str) -> tuple[str, bytes]:
    try:
        name, _, password = base64.b64decode(value, validate=True).partition(b":")
        return name.decode(), password
    except (ValueError, UnicodeDecodeError):
        return "", b""
