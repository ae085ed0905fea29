"""The web app: the login guard and the safety middleware around the routers of each area
(routes/: login, search, documents, review, citizens, the staff's work, admin, API docs)."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path
from typing import AsyncIterator

from fastapi import Depends, FastAPI, Request
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.middleware.sessions import SessionMiddleware

from .. import __version__
from ..config import Settings
from ..storage import ObjectStore, open_store
from ..storage.access import AccessWriter
from ..storage.sessions import Sessions
from . import errors, formats
from .auth import Guard, csrf_token, session_secret
from .formats import download_name
from .routes import admin, citizens, docs, documents, login, review, search, work
from .security import Guarded, allowed_hosts
from .site import Site, database

HERE = Path(__file__).parent
__all__ = ["create_app", "download_name"]


def create_app(settings: Settings, store: ObjectStore | None = None) -> FastAPI:
    where = database(settings)
    guard = Guard(settings.web.users, settings.web.api_token, lambda: Sessions(where),
                  settings.web.idle_minutes * 60, settings.web.session_hours * 3600)
    access = AccessWriter(where)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        access.close()                        # the rows not yet written, before the server exits

    # FastAPI's /docs and /redoc load their scripts from a CDN: ours is a plain page, behind the login.
    app = FastAPI(title="digitizer", version=__version__, dependencies=[Depends(guard)], lifespan=lifespan,
                  description="Tìm kiếm hồ sơ, giấy tờ đã số hóa / Search digitized documents",
                  docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(SessionMiddleware, secret_key=session_secret(settings.web.secret, settings.data_dir),
                       session_cookie="digitizer_session", max_age=int(settings.web.session_hours * 3600),
                       same_site="strict", https_only=settings.web.https)
    app.add_middleware(Guarded, hosts=allowed_hosts(settings.web.host, settings.web.hosts),
                       max_body=settings.web.max_body_kb * 1024)

    def page_context(request: Request) -> dict:
        return {"csrf": csrf_token(request), "user": getattr(request.state, "user", ""), "login": not guard.open}

    templates = Jinja2Templates(directory=HERE / "templates", context_processors=[page_context])
    formats.register(templates)
    app.state.site = Site(settings, store or open_store(settings), templates, access, guard)
    app.state.access = access
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    errors.install(app, templates)
    for area in (login, search, documents, review, citizens, work, admin, docs):
        app.include_router(area.router)
    return app
