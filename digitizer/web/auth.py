"""Optional login for an office LAN: configured users with bcrypt-hashed passwords (HTTP
Basic), and a bearer token for API clients. With neither configured, the service is open
and should stay bound to 127.0.0.1."""

from __future__ import annotations

import base64
import hmac

import bcrypt
from fastapi import HTTPException, Request


def parse_users(spec: str) -> dict[str, bytes]:
    users = {}
    for entry in filter(None, (e.strip() for e in spec.split(","))):
        name, _, hashed = entry.partition(":")
        users[name] = hashed.encode()
    return users


def hash_password(password: str) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt()).decode()


class Guard:
    def __init__(self, users: str, api_token: str) -> None:
        self.users = parse_users(users)
        self.token = api_token

    @property
    def open(self) -> bool:
        return not self.users and not self.token

    def __call__(self, request: Request) -> None:
        if self.open:
            return
        header = request.headers.get("authorization", "")
        scheme, _, value = header.partition(" ")
        if scheme.lower() == "bearer" and self.token and hmac.compare_digest(value, self.token):
            return
        if scheme.lower() == "basic" and self.users:
            try:
                name, _, password = base64.b64decode(value).decode().partition(":")
            except (ValueError, UnicodeDecodeError):
                name, password = "", ""
            hashed = self.users.get(name)
            if hashed is not None and bcrypt.checkpw(password.encode(), hashed):
                return
        raise HTTPException(401, "Cần đăng nhập / Login required",
                            headers={"WWW-Authenticate": 'Basic realm="digitizer", charset="UTF-8"'})
