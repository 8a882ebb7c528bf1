"""The analyst's workbench: server-rendered pages over ``kb``, escaped everywhere.

Pages render with Jinja2 autoescaping, so document text is always shown as text. Each request
opens its own read-only connection (SQLite WAL lets it read while an ingest writes); the one
thing written is an analyst's review (``POST``, checked against a per-session CSRF token), in its
own short write transaction. Pages that need data fetch it from a JSON endpoint of this server
or read ``data-`` attributes: no inline script.

The routes are in ``routes_pages`` (overview, search, lists, profiles, the reader),
``routes_events`` (events, map, network) and ``routes_review`` (reviews); who may ask and the
headers of every answer in ``access``; what they share in ``shared``.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from conflictkb import __version__
from conflictkb.kb import KnowledgeBase
from conflictkb.store import Store, StoreError
from conflictkb.store.corrections import CorrectionError
from conflictkb.web import routes_events, routes_pages, routes_review
from conflictkb.web.access import install_guard, is_loopback_host
from conflictkb.web.cache import StoreCache
from conflictkb.web.shared import PAGE_SIZE, error_page, event_types, href, place_label

HERE = Path(__file__).parent
__all__ = ["create_app", "is_loopback_host", "prepare_store"]


def create_app(db: str | Path, *, token: str | None = None) -> FastAPI:
    """The application for one knowledge-base file; fails early if the file is not a store.

    A store at an older schema version is migrated once here (the reviews need version 4)."""
    prepare_store(Path(db))
    app = FastAPI(title="conflictkb", version=__version__, docs_url=None, redoc_url=None, openapi_url=None)
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals.update(href=href, place_label=place_label, PAGE_SIZE=PAGE_SIZE)
    app.state.templates = templates
    app.state.db = Path(db)
    app.state.token = token or None
    app.state.secret = secrets.token_bytes(32)
    app.state.known_types = event_types()
    app.state.cache = StoreCache(Path(db))
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    install_guard(app)
    _install_error_pages(app)
    for module in (routes_pages, routes_events, routes_review):
        app.include_router(module.router)
    return app


def _install_error_pages(app: FastAPI) -> None:
    """Every error as a page a person can read: 4xx for what was asked, 503 for a store away."""

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

    @app.exception_handler(CorrectionError)
    async def bad_correction(request: Request, exc: CorrectionError) -> HTMLResponse:
        return error_page(request, 400, f"not saved: {exc}")


def prepare_store(path: Path) -> None:
    """Check that ``path`` is a knowledge base, migrating it first if an older version wrote it."""
    try:
        KnowledgeBase(path).close()
        return
    except StoreError:
        if not path.is_file():
            raise
    Store(path).close()  # migrates, or says why it cannot
    KnowledgeBase(path).close()
