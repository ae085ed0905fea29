"""What every route shares, and the dependencies that hand it over: the site (settings, store,
templates, the access log's writer, the login guard), a search index, ledger or sessions
connection opened for the request and closed after it, a document by its id, a role."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Annotated, Any, Callable, Iterable, Iterator, Protocol, TypeVar

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from ..config import Settings
from ..jobs.ledger import Ledger, open_ledger
from ..model import Record
from ..storage import ObjectStore, SearchIndex, open_index
from ..storage.access import Access, AccessWriter
from ..storage.keys import valid_id
from ..storage.sessions import Sessions
from .auth import ROLES, Guard

PAGE_SIZE = 20
MAX_PAGE = 10_000          # of results: beyond it, a clear 422 rather than an offset SQL cannot take


@dataclass
class Site:
    settings: Settings
    store: ObjectStore
    templates: Jinja2Templates
    access: AccessWriter
    guard: Guard
    corrections: threading.Lock = field(default_factory=threading.Lock)   # one correction at a time

    def page(self, request: Request, template: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
        return self.templates.TemplateResponse(request, template, context, status_code=status_code)

    def seen(self, request: Request, shown: Iterable[str] = (), doc_id: str | None = None,
             subject: str | None = None) -> None:
        """One row for an answer that shows a citizen's data: who, when, what was asked, which
        documents were in it. Handed to the writer thread: the request does not wait."""
        self.access.add(Access(time.time(), request.state.user, request.state.role,
                               f"{request.method} {request.url.path}", doc_id,
                               subject or request.query_params.get("id_number") or None,
                               request.client.host if request.client else None,
                               str(request.url.query)[:2000] or None, list(shown)))


def database(settings: Settings) -> str:
    """Where the ledger, the access log and the sessions live."""
    return settings.database_url or str(settings.ledger_path)


def _site(request: Request) -> Site:
    return request.app.state.site


SiteDep = Annotated[Site, Depends(_site)]


class _Closable(Protocol):
    def close(self) -> None: ...


C = TypeVar("C", bound=_Closable)


def _per_request(open_: Callable[[Settings], C]) -> Callable[[Site], Iterator[C]]:
    """A dependency that opens a connection for the request and closes it after."""
    def dependency(site: SiteDep) -> Iterator[C]:
        handle = open_(site.settings)
        try:
            yield handle
        finally:
            handle.close()
    return dependency


IndexDep = Annotated[SearchIndex, Depends(_per_request(open_index))]
LedgerDep = Annotated[Ledger, Depends(_per_request(open_ledger))]
SessionsDep = Annotated[Sessions, Depends(_per_request(lambda settings: Sessions(database(settings))))]


def _record(doc_id: str, index: IndexDep) -> Record:
    """The document of the path's id; 404 before any lookup for what is not an id."""
    record = index.record(doc_id) if valid_id(doc_id) else None
    if record is None:
        raise HTTPException(404, "Không có tài liệu này / No such document")
    return record


RecordDep = Annotated[Record, Depends(_record)]


def requires(role: str) -> Callable[[Request], None]:
    """A router's dependency: the signed-in user has `role` or one above it."""
    def check(request: Request) -> None:
        if ROLES.index(request.state.role) < ROLES.index(role):
            raise HTTPException(403, "Tài khoản không có quyền này / Not allowed for this account")
    return check
