"""Analysts' reviews: the one thing the workbench writes.

A review is a POST of a small urlencoded form carrying the CSRF token of its session (see
``access``), refused when it comes from another site; it is checked (``store.corrections``) and
stored in its own short write transaction, apart from what was extracted.
"""

from __future__ import annotations

import hmac
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from fastapi import APIRouter, HTTPException, Request, Response
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from conflictkb.kb import KnowledgeBase
from conflictkb.store import Store, StoreError
from conflictkb.store.corrections import ACTIONS, EVENT_PROPERTIES, add_correction, check_event_value
from conflictkb.web.shared import EntityId, EventId

router = APIRouter()
MAX_FORM_BYTES = 16_384


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
        raise HTTPException(403, "the form has expired or was not sent from this site: reload the page and try again")
    return fields


def write_review(path: Path, subject: str, prop: str, action: str, value: str | None, note: str | None) -> None:
    """One review in its own write transaction (WAL: readers go on reading meanwhile)."""
    if not path.exists():
        raise StoreError(f"no knowledge base at {path}")
    with Store(path) as store, store.transaction():
        add_correction(store, subject, prop, action, value, note)


@router.post("/events/{event_id}/review")
async def review_event(request: Request, event_id: EventId) -> Response:
    fields = await read_form(request)
    prop, action = fields.get("property", ""), fields.get("action", "")
    if prop not in EVENT_PROPERTIES or action not in ACTIONS:
        raise HTTPException(400, "unknown field or action")
    known_types = request.app.state.known_types
    value = check_event_value(prop, fields.get("value", ""), known_types) if action == "correct" else None
    db: Path = request.app.state.db

    def save() -> bool:
        kb = KnowledgeBase(db)
        try:
            if kb.event(event_id) is None:
                return False
        finally:
            kb.close()
        write_review(db, f"event:{event_id}", prop, action, value, fields.get("note"))
        return True

    if not await run_in_threadpool(save):
        raise HTTPException(404, "no such event")
    return RedirectResponse(f"/events/{event_id}#review", status_code=303)


@router.post("/entities/{entity_id}/review")
async def review_alias(request: Request, entity_id: EntityId) -> Response:
    fields = await read_form(request)
    alias, action = fields.get("alias", ""), fields.get("action", "")
    if action not in ("confirm", "reject"):
        raise HTTPException(400, "an alias merge can be confirmed or rejected")
    db: Path = request.app.state.db

    def save() -> bool:
        kb = KnowledgeBase(db)
        try:
            found = kb.entity(entity_id)
            names = {a["alias"] for a in kb.alias_summary(entity_id)} if found else set()
        finally:
            kb.close()
        if found is None or alias not in names:
            return False
        write_review(db, f"alias:{found['name']}", alias, action, None, fields.get("note"))
        return True

    if not await run_in_threadpool(save):
        raise HTTPException(404, "no such entity or name")
    return RedirectResponse(f"/entities/{entity_id}#names", status_code=303)
