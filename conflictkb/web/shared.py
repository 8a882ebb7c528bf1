"""What the workbench's routes share: a read-only knowledge base per request, the event filter of a
query string, validated path parameters, links, labels and page rendering.

Module-level, not local to ``create_app``: with postponed annotations FastAPI resolves a
parameter's annotation in the module's globals, and an unresolvable name silently becomes a query
parameter.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterator, Mapping
from datetime import date
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from fastapi import Depends, HTTPException, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse
from pydantic import AfterValidator

from conflictkb.kb import KnowledgeBase
from conflictkb.store.event_queries import EventFilter
from conflictkb.vocab import DATA_DIR, read_yaml
from conflictkb.web.cache import StoreCache

T = TypeVar("T")

DocId = Annotated[str, PathParam(pattern=r"^[0-9a-f]{64}$")]
EventId = Annotated[str, PathParam(pattern=r"^[0-9a-f]{12}-ev[0-9]{1,6}$")]
EntityId = Annotated[int, PathParam(ge=1, le=2**62)]
# A page number: bounded, so that no offset is large enough to trouble SQLite.
PageNo = Annotated[int, Query(alias="page", ge=1, le=10**6)]
DATE_OR_EMPTY = r"^([0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)?$"  # ASCII digits: \d matches any script's
PAGE_SIZE = 50


def real_date(value: str | None) -> str | None:
    """A date filter that names a real month or day ("2001-13" or "2001-02-30" is refused: 422)."""
    if value and len(value) > 4:
        padded = value if len(value) == 10 else value + "-01"
        try:
            date.fromisoformat(padded)
        except ValueError as exc:
            raise ValueError(f"no such date: {value}") from exc
    return value


DateFrom = Annotated[str | None, Query(alias="from", pattern=DATE_OR_EMPTY), AfterValidator(real_date)]
DateTo = Annotated[str | None, Query(alias="to", pattern=DATE_OR_EMPTY), AfterValidator(real_date)]


def check_page(page_no: int, total: int, size: int = PAGE_SIZE) -> int:
    """The number of pages; a page past the last is a 404 (the first page always exists)."""
    pages = max(1, -(-total // size))
    if page_no > pages:
        raise HTTPException(404, f"no page {page_no}: there {'is' if pages == 1 else 'are'} {pages}")
    return pages


def open_kb(request: Request) -> Iterator[KnowledgeBase]:
    """One read-only connection per request, to the application's store, closed after the response."""
    kb = KnowledgeBase(request.app.state.db)
    try:
        yield kb
    finally:
        kb.close()


KB = Annotated[KnowledgeBase, Depends(open_kb)]


def read_filter(
    actor: Annotated[str | None, Query(max_length=200)] = None,
    type: Annotated[str | None, Query(max_length=40, pattern=r"^[a-z_]*$")] = None,
    country: Annotated[str | None, Query(pattern=r"^([A-Z]{2})?$")] = None,
    date_from: DateFrom = None,
    date_to: DateTo = None,
    conflicting: Annotated[bool, Query()] = False,
    place: Annotated[str | None, Query(max_length=200)] = None,
) -> EventFilter:
    """The event filters of a query string; empty fields (as a GET form sends them) do not filter."""
    return EventFilter(
        actor=(actor or "").strip() or None,
        type=type or None,
        country=country or None,
        date_from=date_from or None,
        date_to=date_to or None,
        conflicting=conflicting,
        place=(place or "").strip() or None,
    )


Filter = Annotated[EventFilter, Depends(read_filter)]


def filter_params(f: EventFilter) -> dict[str, str]:
    """An event filter as query-string fields (the inverse of ``read_filter``)."""
    out = {
        "actor": f.actor,
        "type": f.type,
        "country": f.country,
        "place": f.place,
        "from": f.date_from,
        "to": f.date_to,
    }
    params = {k: v for k, v in out.items() if v}
    if f.conflicting:
        params["conflicting"] = "1"
    return params


def href(path: str, params: Mapping[str, object] | None = None, **more: object) -> str:
    """``path`` with a query string of the non-empty ``params`` and ``more``."""
    merged = {**(params or {}), **more}
    query = urlencode({k: str(v) for k, v in merged.items() if v not in (None, "", False)})
    return f"{path}?{query}" if query else path


def event_types() -> list[str]:
    """The event types of the vocabulary (conflictkb/data/event_types.yaml), in its order."""
    return list(read_yaml(DATA_DIR / "event_types.yaml"))


def place_label(value: str | None) -> str:
    """A place statement's JSON value as "name (country)"; any other value unchanged."""
    if not value or not value.startswith("{"):
        return value or ""
    try:
        data = json.loads(value)
    except ValueError:
        return value
    if not isinstance(data, dict):
        return value
    name, country = data.get("name") or "", data.get("country")
    return f"{name} ({country})" if country else str(name)


def context_of(text: str, start: int, end: int, width: int = 160) -> tuple[str, str, str]:
    """The words around ``text[start:end]``: up to ``width`` characters each side, cut at a space."""
    before = text[max(0, start - width) : start]
    after = text[end : end + width]
    if start - width > 0 and " " in before:
        before = "…" + before[before.index(" ") + 1 :]
    if end + width < len(text) and " " in after:
        after = after[: after.rindex(" ")] + "…"
    return before, text[start:end], after


def with_reviews(kb: KnowledgeBase, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Event rows (of ``kb.event_page``) showing the values after analysts' corrections."""
    for row in rows:
        if not row["review"] or (stored := kb.event(row["id"])) is None:
            continue
        now = kb.corrected_event(stored).event
        row.update(
            type=now.type,
            date=now.date,
            place=now.place.name if now.place else None,
            country=now.place.country if now.place else None,
            killed=now.killed,
            wounded=now.wounded,
            kidnapped=now.kidnapped,
            perpetrators=[
                {"entity_id": int(p.entity) if p.entity and p.entity.isdigit() else None, "name": p.name}
                for p in now.perpetrators
            ],
        )
    return rows


def memo(request: Request, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or its answer kept since the store last changed (``web/cache.py``)."""
    cache: StoreCache = request.app.state.cache
    return cache.get(key, compute)


def render(
    request: Request,
    name: str,
    context: dict[str, Any],
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """A template of the application's (autoescaped) Jinja2 environment as a page."""
    templates = request.app.state.templates
    response: HTMLResponse = templates.TemplateResponse(request, name, context, status_code=status, headers=headers)
    return response


def error_page(request: Request, status: int, message: str, headers: Mapping[str, str] | None = None) -> HTMLResponse:
    """Errors as small pages a person can read (and leave), with the same headers as any page."""
    return render(request, "error.html", {"status": status, "message": message}, status, headers)
