"""The clerks' web page and JSON API (FastAPI, server-rendered, in Vietnamese)."""

from .app import create_app

__all__ = ["create_app"]
