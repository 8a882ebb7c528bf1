"""The analyst's workbench: server-rendered pages over ``kb``, escaped everywhere.

Pages render with Jinja2 autoescaping, so document text is always shown as text. Each request
opens its own read-only connection (SQLite WAL lets it read while an ingest writes); the one
thing written is an analyst's review (``POST``, checked against a per-session CSRF token), in its
own short write transaction. Every response carries a Content-Security-Policy that allows only
this server's own scripts, styles and data: no inline script, no CDN; pages that need data fetch
it from a JSON endpoint of this server or read ``data-`` attributes.

Access: with no token the server answers only requests addressed to a loopback name (so a web
page elsewhere cannot reach it by rebinding a DNS name to 127.0.0.1); with a token every request
must carry it, as ``Authorization: Bearer <token>`` or the ``token`` cookie that visiting
``/?token=<token>`` sets.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Awaitable, Callable, Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import Depends, FastAPI, HTTPException, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from conflictkb import __version__
from conflictkb.kb import KnowledgeBase
from conflictkb.store import Store, StoreError
from conflictkb.store.search import (
    ACTIONS,
    EVENT_PROPERTIES,
    SORTS,
    CorrectionError,
    EventFilter,
    add_correction,
    check_event_value,
)
from conflictkb.vocab import DATA_DIR, read_yaml
from conflictkb.web.charts import year_chart
from conflictkb.web.highlight import layers, segments

HERE = Path(__file__).parent
# Cytoscape adds one <style> element to position its container; it is allowed by its hash alone.
_CYTOSCAPE_STYLE = ".__________cytoscape_container { position: relative; }"
_STYLE_HASH = base64.b64encode(hashlib.sha256(_CYTOSCAPE_STYLE.encode()).digest()).decode()
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        f"default-src 'self'; script-src 'self'; style-src 'self' 'sha256-{_STYLE_HASH}'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    # Same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" with our own forms.
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
DocId = Annotated[str, PathParam(pattern=r"^[0-9a-f]{64}$")]
EventId = Annotated[str, PathParam(pattern=r"^[0-9a-f]{12}-ev\d{1,6}$")]
EntityId = Annotated[int, PathParam(ge=1, le=2**62)]
PAGE_SIZE = 50
# The reader shows a long document this many characters at a time (a browser lays out 5 MB slowly).
READER_PART_CHARS = 250_000
MAX_FORM_BYTES = 16_384
SESSION_COOKIE = "ckb_session"
TOKEN_COOKIE = "token"  # noqa: S105  # the cookie's name, not a secret
_SESSION = re.compile(r"^[A-Za-z0-9_-]{43}$")
_DATE_OR_EMPTY = r"^(\d{4}(-\d{2}(-\d{2})?)?)?$"
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1", "[::1]"}


def is_loopback_host(host_header: str) -> bool:
    """Whether a Host header names this machine by a loopback name or address (any port)."""
    host = host_header.strip().lower()
    if host.startswith("["):
        host = host.split("]", 1)[0] + "]"
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    return host in LOOPBACK_NAMES or bool(re.fullmatch(r"127\.\d{1,3}\.\d{1,3}\.\d{1,3}", host))


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


def read_filter(
    actor: Annotated[str | None, Query(max_length=200)] = None,
    type: Annotated[str | None, Query(max_length=40, pattern=r"^[a-z_]*$")] = None,
    country: Annotated[str | None, Query(pattern=r"^([A-Z]{2})?$")] = None,
    date_from: Annotated[str | None, Query(alias="from", pattern=_DATE_OR_EMPTY)] = None,
    date_to: Annotated[str | None, Query(alias="to", pattern=_DATE_OR_EMPTY)] = None,
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


def create_app(db: str | Path, *, token: str | None = None) -> FastAPI:
    """The application for one knowledge-base file; fails early if the file is not a store.

    A store at an older schema version is migrated once here (the reviews need version 4)."""
    prepare_store(Path(db))
    app = FastAPI(title="conflictkb", version=__version__, docs_url=None, redoc_url=None, openapi_url=None)
    templates = Jinja2Templates(directory=HERE / "templates")
    templates.env.globals.update(href=href, place_label=place_label, PAGE_SIZE=PAGE_SIZE)
    app.state.db = Path(db)
    app.state.token = token or None
    secret = secrets.token_bytes(32)
    known_types = event_types()
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    def error_page(
        request: Request, status: int, message: str, headers: Mapping[str, str] | None = None
    ) -> HTMLResponse:
        """Errors as small pages a person can read (and leave), with the same headers as any page."""
        context = {"status": status, "message": message}
        return templates.TemplateResponse(request, "error.html", context, status_code=status, headers=headers)

    def authorised(request: Request) -> bool:
        expected = app.state.token
        if expected is None:
            return True
        header = request.headers.get("authorization", "")
        offered = header[7:].strip() if header[:7].lower() == "bearer " else request.cookies.get(TOKEN_COOKIE, "")
        return bool(offered) and hmac.compare_digest(offered.encode(), expected.encode())

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        """Who may ask (loopback Host or the token), the session cookie behind CSRF tokens, and the
        security headers on every response."""
        response: Response
        offered = request.query_params.get("token")
        if app.state.token is None and not is_loopback_host(request.headers.get("host", "")):
            response = error_page(request, 400, "this server answers only at 127.0.0.1 or localhost")
        elif app.state.token is not None and offered is not None:
            if hmac.compare_digest(offered.encode(), app.state.token.encode()):
                rest = urlencode([(k, v) for k, v in parse_qsl(request.url.query) if k != "token"])
                response = RedirectResponse(request.url.path + (f"?{rest}" if rest else ""), status_code=303)
                response.set_cookie(TOKEN_COOKIE, offered, httponly=True, samesite="strict", path="/")
            else:
                response = error_page(request, 401, "wrong token")
        elif not authorised(request):
            response = error_page(
                request, 401, "this server needs its token: open /?token=… once, or send Authorization: Bearer …"
            )
        else:
            session = request.cookies.get(SESSION_COOKIE, "")
            fresh = not _SESSION.fullmatch(session)
            if fresh:
                session = secrets.token_urlsafe(32)
            request.state.csrf = hmac.new(secret, session.encode(), hashlib.sha256).hexdigest()
            request.state.session_known = not fresh
            response = await call_next(request)
            if fresh:
                response.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict", path="/")
        response.headers.update(SECURITY_HEADERS)
        return response

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

    def page(request: Request, name: str, context: dict[str, Any]) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context)

    # --- overview, search, lists --------------------------------------------------------------------

    @app.get("/", response_class=HTMLResponse)
    def overview(request: Request, kb: KB) -> HTMLResponse:
        documents, n_documents = kb.document_list(limit=20)
        problems, n_problems = kb.file_problems(20)
        context = {
            "counts": kb.overview_counts(),
            "chart": year_chart(kb.yearly_counts(), lambda y: href("/events", {"from": y, "to": y})),
            "groups": kb.top_actors("armed_group", 10),
            "actors": kb.top_actors(None, 10),
            "documents": documents,
            "n_documents": n_documents,
            "problems": problems,
            "n_problems": n_problems,
        }
        return page(request, "index.html", context)

    @app.get("/search", response_class=HTMLResponse)
    def search(
        request: Request,
        kb: KB,
        q: Annotated[str, Query(max_length=500)] = "",
        page_no: Annotated[int, Query(alias="page", ge=1, le=10**6)] = 1,
    ) -> HTMLResponse:
        query = q.strip()
        offset = (page_no - 1) * 20
        names = kb.search_names(query, 30) if query and page_no == 1 else []
        documents, n_documents = kb.search_documents(query, 20, offset) if query else ([], 0)
        evidence, n_evidence = kb.search_evidence(query, 20, offset) if query else ([], 0)
        context = {
            "q": query,
            "names": names,
            "documents": documents,
            "n_documents": n_documents,
            "evidence": evidence,
            "n_evidence": n_evidence,
            "page_no": page_no,
            "more": max(n_documents, n_evidence) > offset + 20,
        }
        return page(request, "search.html", context)

    @app.get("/documents", response_class=HTMLResponse)
    def documents(
        request: Request, kb: KB, page_no: Annotated[int, Query(alias="page", ge=1, le=10**6)] = 1
    ) -> HTMLResponse:
        rows, total = kb.document_list(PAGE_SIZE, (page_no - 1) * PAGE_SIZE)
        return page(request, "documents.html", {"documents": rows, "total": total, "page_no": page_no})

    @app.get("/entities", response_class=HTMLResponse)
    def entities(
        request: Request,
        kb: KB,
        kind: Annotated[str | None, Query(max_length=40, pattern=r"^[a-z_]*$")] = None,
        page_no: Annotated[int, Query(alias="page", ge=1, le=10**6)] = 1,
    ) -> HTMLResponse:
        rows, total = kb.entity_list(kind or None, PAGE_SIZE, (page_no - 1) * PAGE_SIZE)
        context = {"entities": rows, "total": total, "page_no": page_no, "kind": kind, "kinds": kb.entity_kinds()}
        return page(request, "entities.html", context)

    # --- events ------------------------------------------------------------------------------------

    @app.get("/events", response_class=HTMLResponse)
    def events(
        request: Request,
        kb: KB,
        where: Filter,
        sort: Annotated[Literal["date", "type", "place", "country", "killed", "wounded", "document"], Query()] = "date",
        order: Annotated[Literal["asc", "desc"], Query(alias="dir")] = "asc",
        page_no: Annotated[int, Query(alias="page", ge=1, le=10**6)] = 1,
    ) -> HTMLResponse:
        assert sort in SORTS
        rows, total = kb.event_page(where, sort, order == "desc", PAGE_SIZE, (page_no - 1) * PAGE_SIZE)
        context = {
            "rows": with_reviews(kb, rows),
            "total": total,
            "where": where,
            "params": filter_params(where),
            "sort": sort,
            "order": order,
            "page_no": page_no,
            "pages": max(1, -(-total // PAGE_SIZE)),
            "facets": kb.event_facets(),
            "actors": kb.actor_names(),
        }
        return page(request, "events.html", context)

    @app.get("/events/{event_id}", response_class=HTMLResponse)
    def event(request: Request, kb: KB, event_id: EventId) -> HTMLResponse:
        stored = kb.event(event_id)
        if stored is None:
            raise HTTPException(404, "no such event")
        reports = kb.incident(stored.incident_id)
        texts: dict[str, str] = {}
        in_context = []
        for report in reports:
            if report.doc_id not in texts:
                doc = kb.document(report.doc_id)
                texts[report.doc_id] = doc["text"] if doc else ""
            spans = [(span, context_of(texts[report.doc_id], span.start, span.end)) for span in report.event.evidence]
            in_context.append((report, spans))
        disagreements = kb.contradictions(stored.incident_id)
        columns = sorted({r["doc_name"] for rows in disagreements.values() for r in rows})
        side_by_side = {
            prop: {name: [r for r in rows if r["doc_name"] == name] for name in columns}
            for prop, rows in disagreements.items()
        }
        history = kb.corrections(f"event:{event_id}")
        context = {
            "stored": stored,
            "current": kb.corrected_event(stored).event,
            "review": kb.review(f"event:{event_id}"),
            "history": history,
            "citations": kb.citations(f"event:{event_id}"),
            "reports": reports,
            "in_context": in_context,
            "disagreements": disagreements,
            "columns": columns,
            "side_by_side": side_by_side,
            "types": known_types,
            "properties": EVENT_PROPERTIES,
        }
        return page(request, "event.html", context)

    # --- the map and the network ----------------------------------------------------------------------

    @app.get("/map", response_class=HTMLResponse)
    def map_page(request: Request, kb: KB, where: Filter) -> HTMLResponse:
        unmapped, n_unmapped = kb.events_unmapped(where, 500)
        context = {
            "where": where,
            "params": filter_params(where),
            "facets": kb.event_facets(),
            "actors": kb.actor_names(),
            "unmapped": unmapped,
            "n_unmapped": n_unmapped,
        }
        return page(request, "map.html", context)

    @app.get("/api/map.json")
    def map_data(kb: KB, where: Filter) -> JSONResponse:
        points, n_points, n_events = kb.map_points(where)
        params = filter_params(where)
        features = []
        for p in points:
            if p["n"] == 1:
                url = f"/events/{p['id']}"
            else:
                url = href("/events", {**params, "place": p["place"], "country": p["country"]})
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [p["lon"], p["lat"]]},
                    "properties": {
                        "n": p["n"],
                        "place": p["place"],
                        "country": p["country"],
                        "first": p["first"],
                        "last": p["last"],
                        "type": p["type"] if p["n"] == 1 else None,
                        "killed": p["killed"] if p["n"] == 1 else None,
                        "url": url,
                    },
                }
            )
        body = {"type": "FeatureCollection", "points": n_points, "events": n_events, "features": features}
        return JSONResponse(body)

    @app.get("/network", response_class=HTMLResponse)
    def network_page(
        request: Request,
        kb: KB,
        date_from: Annotated[str | None, Query(alias="from", pattern=_DATE_OR_EMPTY)] = None,
        date_to: Annotated[str | None, Query(alias="to", pattern=_DATE_OR_EMPTY)] = None,
        dated: Annotated[bool, Query()] = False,
    ) -> HTMLResponse:
        graph = kb.network(date_from or None, date_to or None, undated=not dated)
        names = {n["id"]: n for n in graph["nodes"]}
        params = {"from": date_from or "", "to": date_to or "", "dated": "1" if dated else ""}
        context = {"graph": graph, "names": names, "params": params, "data_url": href("/api/network.json", params)}
        return page(request, "network.html", context)

    @app.get("/api/network.json")
    def network_data(
        kb: KB,
        date_from: Annotated[str | None, Query(alias="from", pattern=_DATE_OR_EMPTY)] = None,
        date_to: Annotated[str | None, Query(alias="to", pattern=_DATE_OR_EMPTY)] = None,
        dated: Annotated[bool, Query()] = False,
    ) -> JSONResponse:
        graph = kb.network(date_from or None, date_to or None, undated=not dated)
        degree: dict[int, int] = {}
        for e in graph["edges"]:
            for end in (e["subject_id"], e["object_id"]):
                degree[end] = degree.get(end, 0) + 1
        nodes = [
            {
                "id": f"n{n['id']}",
                "entity": n["id"],
                "label": n["name"],
                "kind": n["kind"],
                "url": f"/entities/{n['id']}",
                "degree": degree.get(n["id"], 0),
            }
            for n in graph["nodes"]
        ]
        edges = [
            {
                "id": f"e{i}",
                "source": f"n{e['subject_id']}",
                "target": f"n{e['object_id']}",
                "relation": e["relation"],
                "count": e["n"],
                "first": e["first"],
                "last": e["last"],
            }
            for i, e in enumerate(graph["edges"])
        ]
        return JSONResponse({"nodes": nodes, "edges": edges})

    # --- entities and documents ---------------------------------------------------------------------

    @app.get("/entities/{entity_id}", response_class=HTMLResponse)
    def entity(request: Request, kb: KB, entity_id: EntityId) -> HTMLResponse:
        found = kb.entity(entity_id)
        if found is None:
            raise HTTPException(404, "no such entity")
        uses, n_uses = kb.alias_uses(entity_id)
        events_of, n_events = kb.entity_events(entity_id)
        context = {
            "entity": found,
            "names": kb.alias_summary(entity_id),
            "alias_review": kb.review(f"alias:{found['name']}"),
            "alias_history": kb.corrections(f"alias:{found['name']}"),
            "aliases": uses,
            "n_aliases": n_uses,
            "reasons": kb.merge_reasons(entity_id),
            "events": with_reviews(kb, events_of),
            "n_events": n_events,
            "chart": year_chart(
                kb.yearly_counts(entity_id), lambda y: href("/events", {"actor": entity_id, "from": y, "to": y})
            ),
            "relations": kb.entity_relations(entity_id),
        }
        return page(request, "entity.html", context)

    @app.get("/documents/{doc_id}", response_class=HTMLResponse)
    def document(
        request: Request, kb: KB, doc_id: DocId,
        start: Annotated[int | None, Query(ge=0)] = None, end: Annotated[int | None, Query(ge=0)] = None,
        part: Annotated[int | None, Query(ge=0, le=10**6)] = None,
    ) -> HTMLResponse:  # fmt: skip
        doc = kb.document(doc_id)
        if doc is None:
            raise HTTPException(404, "no such document")
        text: str = doc["text"]
        # A long document is read a part at a time: the part holding the passage asked for, or ?part=.
        n_parts = max(1, -(-len(text) // READER_PART_CHARS))
        if part is None:
            part = min(start // READER_PART_CHARS, n_parts - 1) if start is not None else 0
        part = min(part, n_parts - 1)
        lo, hi = part * READER_PART_CHARS, min(len(text), (part + 1) * READER_PART_CHARS)
        shown = text[lo:hi]
        marks = [(start - lo, end - lo)] if start is not None and end is not None and start < end else []
        evidence = kb.document_evidence(doc_id)
        places = {(p["start"], p["end"]): p for p in kb.place_mentions(doc_id)}
        mentions = []
        for m in kb.mentions(doc_id):
            if m["end"] <= lo or m["start"] >= hi:
                continue
            info = {"entity_id": m["entity_id"], "name": m["name"][:200], "kind": m["kind"]}
            place = places.get((m["start"], m["end"]))
            if place is not None:
                info["place"] = place
            mentions.append((m["start"] - lo, m["end"] - lo, info))
        spans = [(e["start"] - lo, e["end"] - lo, e["event_id"]) for e in evidence if e["end"] > lo and e["start"] < hi]
        context = {
            "doc": doc,
            "parts": segments(shown, marks),
            "blocks": layers(shown, marks, spans, mentions),
            "events_here": {e["event_id"]: e for e in evidence},
            "events": kb.events(doc_id=doc_id),
            "n_mentions": len(mentions),
            "part": part,
            "n_parts": n_parts,
            "part_start": lo,
            "part_end": hi,
        }
        return page(request, "document.html", context)

    # --- reviews -------------------------------------------------------------------------------------

    async def read_form(request: Request) -> dict[str, str]:
        """A small urlencoded form, its CSRF token checked; anything else is refused."""
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
            raise HTTPException(415, "a review is sent as a form")
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_FORM_BYTES:
                raise HTTPException(413, "the form is too large")
        try:
            fields = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=20))
        except (UnicodeDecodeError, ValueError) as exc:
            raise HTTPException(400, "malformed form") from exc
        origin = request.headers.get("origin")
        foreign = origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host")
        if foreign or request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
            raise HTTPException(403, "the form was sent from another site")
        offered = fields.get("csrf", "")
        if not request.state.session_known or not hmac.compare_digest(offered.encode(), request.state.csrf.encode()):
            raise HTTPException(
                403, "the form has expired or was not sent from this site: reload the page and try again"
            )
        return fields

    def write_review(subject: str, prop: str, action: str, value: str | None, note: str | None) -> None:
        path: Path = app.state.db
        if not path.exists():
            raise StoreError(f"no knowledge base at {path}")
        with Store(path) as store, store.transaction():
            add_correction(store, subject, prop, action, value, note)

    @app.post("/events/{event_id}/review")
    async def review_event(request: Request, event_id: EventId) -> Response:
        fields = await read_form(request)
        prop, action = fields.get("property", ""), fields.get("action", "")
        if prop not in EVENT_PROPERTIES or action not in ACTIONS:
            raise HTTPException(400, "unknown field or action")
        value = check_event_value(prop, fields.get("value", ""), known_types) if action == "correct" else None

        def save() -> bool:
            kb = KnowledgeBase(app.state.db)
            try:
                if kb.event(event_id) is None:
                    return False
            finally:
                kb.close()
            write_review(f"event:{event_id}", prop, action, value, fields.get("note"))
            return True

        if not await run_in_threadpool(save):
            raise HTTPException(404, "no such event")
        return RedirectResponse(f"/events/{event_id}#review", status_code=303)

    @app.post("/entities/{entity_id}/review")
    async def review_alias(request: Request, entity_id: EntityId) -> Response:
        fields = await read_form(request)
        alias, action = fields.get("alias", ""), fields.get("action", "")
        if action not in ("confirm", "reject"):
            raise HTTPException(400, "an alias merge can be confirmed or rejected")

        def save() -> bool:
            kb = KnowledgeBase(app.state.db)
            try:
                found = kb.entity(entity_id)
                names = {a["alias"] for a in kb.alias_summary(entity_id)} if found else set()
            finally:
                kb.close()
            if found is None or alias not in names:
                return False
            write_review(f"alias:{found['name']}", alias, action, None, fields.get("note"))
            return True

        if not await run_in_threadpool(save):
            raise HTTPException(404, "no such entity or name")
        return RedirectResponse(f"/entities/{entity_id}#names", status_code=303)

    return app


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
