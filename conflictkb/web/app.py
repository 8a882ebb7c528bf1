"""The web application: small read-only pages over ``kb``, escaped everywhere.

Pages render with Jinja2 autoescaping, so document text is always shown as text. Each request
opens its own read-only connection (SQLite WAL lets it read while an ingest writes). Every
response carries a Content-Security-Policy that allows only this server's own assets.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Mapping
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from conflictkb import __version__
from conflictkb.kb import KnowledgeBase
from conflictkb.store import StoreError
from conflictkb.web.highlight import segments

HERE = Path(__file__).parent
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
DocId = Annotated[str, PathParam(pattern=r"^[0-9a-f]{64}$")]
EventId = Annotated[str, PathParam(pattern=r"^[0-9a-f]{12}-ev\d{1,6}$")]


def open_kb(request: Request) -> Iterator[KnowledgeBase]:
    """One read-only connection per request, to the application's store, closed after the response."""
    kb = KnowledgeBase(request.app.state.db)
    try:
        yield kb
    finally:
        kb.close()


# Module-level, not local to create_app: with postponed annotations FastAPI resolves a parameter's
# annotation in the module's globals, and an unresolvable name silently becomes a query parameter.
KB = Annotated[KnowledgeBase, Depends(open_kb)]


def create_app(db: str | Path) -> FastAPI:
    """The application for one knowledge-base file; fails early if the file is not a store."""
    KnowledgeBase(db).close()
    app = FastAPI(title="conflictkb", version=__version__, docs_url=None, redoc_url=None, openapi_url=None)
    templates = Jinja2Templates(directory=HERE / "templates")
    app.state.db = Path(db)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    def error_page(
        request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
    ) -> HTMLResponse:
        """Errors as small pages a person can read (and leave), with the same headers as any page."""
        context = {"status": status, "message": message}
        return templates.TemplateResponse(request, "error.html", context, status_code=status, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> HTMLResponse:
        return error_page(request, exc.status_code, str(exc.detail), exc.headers)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> HTMLResponse:
        where = ", ".join(str(e["loc"][-1]) for e in exc.errors() if e.get("loc"))
        return error_page(request, 422, f"malformed {where or 'request'}")

    @app.exception_handler(StoreError)
    async def store_unavailable(request: Request, exc: StoreError) -> HTMLResponse:
        return error_page(request, 503, str(exc))

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request, kb: KB) -> HTMLResponse:
        context = {
            "counts": kb.counts(),
            "documents": kb.documents(limit=200),
            "entities": kb.entities(limit=200),
            "events": kb.events(limit=500),
        }
        return templates.TemplateResponse(request, "index.html", context)

    @app.get("/documents/{doc_id}", response_class=HTMLResponse)
    def document(
        request: Request, kb: KB, doc_id: DocId,
        start: Annotated[int | None, Query(ge=0)] = None, end: Annotated[int | None, Query(ge=0)] = None,
    ) -> HTMLResponse:  # fmt: skip
        doc = kb.document(doc_id)
        if doc is None:
            raise HTTPException(404, "no such document")
        marks = [(start, end)] if start is not None and end is not None and start < end else []
        context = {"doc": doc, "parts": segments(doc["text"], marks), "events": kb.events(doc_id=doc_id)}
        return templates.TemplateResponse(request, "document.html", context)

    @app.get("/events/{event_id}", response_class=HTMLResponse)
    def event(request: Request, kb: KB, event_id: EventId) -> HTMLResponse:
        stored = kb.event(event_id)
        if stored is None:
            raise HTTPException(404, "no such event")
        context = {
            "stored": stored,
            "citations": kb.citations(f"event:{event_id}"),
            "reports": kb.incident(stored.incident_id),
            "disagreements": kb.contradictions(stored.incident_id),
        }
        return templates.TemplateResponse(request, "event.html", context)

    @app.get("/entities/{entity_id}", response_class=HTMLResponse)
    def entity(request: Request, kb: KB, entity_id: Annotated[int, PathParam(ge=1, le=2**62)]) -> HTMLResponse:
        found = kb.entity(entity_id)
        if found is None:
            raise HTTPException(404, "no such entity")
        context = {"entity": found, "aliases": kb.aliases(entity_id)}
        return templates.TemplateResponse(request, "entity.html", context)

    return app
