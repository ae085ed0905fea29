"""Optional login for an office LAN: configured users with bcrypt-hashed passwords (HTTP
Basic), and a bearer token for API clients. With neither configured, the service is open
and should stay bound to 127.0.0.1.

bcrypt is slow on purpose (about 0.2 s), so a credential is checked once and the answer
kept for a while: a clerk's page with its thumbnails costs one check, not one per request.
An unknown user costs the same check as a known one (no telling which names exist).
Failures are limited per user and address together, so a stranger's guesses cannot lock a
clerk out, and per address at a higher bound. The address is the client's, or, from a proxy
named in `web.trusted_proxies`, the one it forwards (uvicorn reads X-Forwarded-For).

A login from the form is a server-side session (storage/sessions.py): the cookie holds its
token, and logout, a changed password or role, an admin's "end all sessions", and the idle
and absolute timeouts end it at once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
import time
from collections import OrderedDict, deque
from pathlib import Path
from typing import Callable
from urllib.parse import quote

import bcrypt
from fastapi import HTTPException, Request

from ..storage.sessions import Sessions, fingerprint

CACHE_SECONDS = 300.0        # a verified credential is trusted this long without bcrypt
CACHE_SIZE = 256
MAX_FAILURES = 10            # failed logins per user at one address within the window
MAX_ADDRESS_FAILURES = 100   # failed logins from one address, whatever the user
FAILURE_WINDOW = 300.0       # seconds
MAX_PASSWORD_BYTES = 72      # bcrypt reads no further; longer ones are refused, not truncated


# Who may do what: scanning staff see the work's state and the failures; clerks search, view
# and correct documents; an admin also reads the access log. Each role may do what those
# before it may.
ROLES = ("staff", "clerk", "admin")
# Each router says the role it needs (site.requires); this guard says who is asking.
PUBLIC = "/login"      # the login form (its stylesheet is a static file, served before any login)
FORMS = {"/logout", "/admin/sessions/end"}    # plain forms: they check the token in their fields themselves


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


def hash_password(password: str) -> str:
    if len(password.encode()) > MAX_PASSWORD_BYTES:
        raise ValueError(f"a password is at most {MAX_PASSWORD_BYTES} bytes (bcrypt reads no further)")
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


class Failures:
    """Failed attempts per key (a user name, an address) in a sliding window."""

    def __init__(self) -> None:
        self._seen: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, limits: dict[str, int]) -> bool:
        """Any key with at least its limit of failures in the window."""
        now = time.monotonic()
        with self._lock:
            return any(len(self._recent(key, now)) >= limit for key, limit in limits.items())

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
    def __init__(self, users: str, api_token: str, sessions: Callable[[], Sessions], idle_seconds: float,
                 session_seconds: float) -> None:
        self.users = parse_users(users)
        self.token = api_token.encode()
        self.sessions = sessions              # a connection to the sessions table, opened per use
        self.idle_seconds, self.session_seconds = idle_seconds, session_seconds
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
        refuse it: 401 without a valid credential, 403 for a change without the CSRF token."""
        if request.url.path == PUBLIC:
            request.state.user, request.state.role = "", ""
            return
        who = self._who(request)
        if who is None:
            if _wants_page(request):        # a person at a browser: the login form, then back here
                raise HTTPException(303, headers={"Location": "/login?next=" + quote(request.url.path)})
            raise HTTPException(401, "Cần đăng nhập / Login required",
                                headers={"WWW-Authenticate": 'Basic realm="digitizer", charset="UTF-8"'})
        request.state.user, request.state.role = who
        if request.method not in ("GET", "HEAD") and request.url.path not in FORMS and self._by_session(request):
            # A change made with the login cookie must carry the page's token (CSRF).
            token = request.headers.get("x-csrf-token", "")
            if not token or not hmac.compare_digest(token, request.session.get("csrf", "")):
                raise HTTPException(403, "Thiếu mã chống giả mạo / Missing CSRF token")

    def _by_session(self, request: Request) -> bool:
        return not self.open and "authorization" not in request.headers and bool(request.session.get("sid"))

    def credential(self, name: str) -> str | None:
        """The fingerprint a session of `name` must carry: None for a user no longer configured."""
        if name not in self.users:
            return None
        role, hashed = self.users[name]
        return fingerprint(role, hashed)

    def _who(self, request: Request) -> tuple[str, str] | None:
        """(user, role) of the request, or None when it has no valid credential."""
        if self.open:
            return "local", "admin"               # no login configured: this machine only
        sid = request.session.get("sid")
        if sid and "authorization" not in request.headers:
            sessions = self.sessions()
            try:
                user = sessions.check(sid, self.credential, self.idle_seconds, self.session_seconds)
            finally:
                sessions.close()
            if user is not None:
                return user, self.users[user][0]
            request.session.clear()               # ended: the cookie is dropped too
            return None
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer" and self.token and hmac.compare_digest(value.encode(), self.token):
            return "api-token", "clerk"
        if scheme.lower() == "basic" and self.users:
            name, password = _basic(value)
            if self._attempt(request, name, password):
                return name, self.users[name][0]
        return None

    def _attempt(self, request: Request, name: str, password: bytes) -> bool:
        """A login try (HTTP Basic or the form): refused at once when this user has failed too
        often lately from this address, or this address for any users; else checked, and a
        failure counted against both."""
        address = client_address(request)
        keys = {f"user:{name}@{address}": MAX_FAILURES, f"address:{address}": MAX_ADDRESS_FAILURES}
        if self.failures.blocked(keys):
            raise HTTPException(429, "Đăng nhập sai quá nhiều lần, hãy thử lại sau / Too many failed logins, "
                                     "try again later", headers={"Retry-After": str(int(FAILURE_WINDOW))})
        if self._check(name, password):
            return True
        self.failures.add(*keys)
        return False

    def log_in(self, request: Request, name: str, password: str) -> bool:
        """The login form: the password checked once (with the same limits as HTTP Basic); on
        success a new server-side session, whose token the signed cookie holds from then on."""
        if not self._attempt(request, name, password.encode()):
            return False
        sessions = self.sessions()
        try:
            token = sessions.start(name, self.credential(name) or "", client_address(request))
        finally:
            sessions.close()
        request.session.clear()                 # a new session for the new login (no fixation)
        request.session.update({"sid": token, "csrf": secrets.token_urlsafe(24)})
        return True

    def log_out(self, request: Request) -> None:
        if sid := request.session.get("sid"):
            sessions = self.sessions()
            try:
                sessions.end(sid)
            finally:
                sessions.close()
        request.session.clear()

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


def client_address(request: Request) -> str:
    return request.client.host if request.client else "?"


def _wants_page(request: Request) -> bool:
    return (request.method == "GET" and not request.url.path.startswith("/api/")
            and "text/html" in request.headers.get("accept", ""))


def csrf_token(request: Request) -> str:
    """The session's token for changes (in a <meta> of every page), made on first use."""
    if "csrf" not in request.session:
        request.session["csrf"] = secrets.token_urlsafe(24)
    return str(request.session["csrf"])


def _basic(value: str) -> tuple[str, bytes]:
    try:
        name, _, password = base64.b64decode(value, validate=True).partition(b":")
        return name.decode(), password
    except (ValueError, UnicodeDecodeError):
        return "", b""


def session_secret(configured: str, data_dir: Path) -> str:
    """The key that signs login cookies: the configured one, else one made once and kept
    (readable by this user only) in the data folder, so logins survive a restart."""
    if configured:
        return configured
    path = data_dir / "web-secret"
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return path.read_text().strip()
