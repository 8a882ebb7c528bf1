"""The workbench's reading pages: the overview, search, the lists of documents and actors, an actor's
profile and the document reader. Each reads through one request's read-only ``KnowledgeBase``."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from conflictkb.kb import KnowledgeBase
from conflictkb.web.charts import year_chart
from conflictkb.web.highlight import layers, segments
from conflictkb.web.shared import (
    KB,
    PAGE_SIZE,
    DocId,
    EntityId,
    PageNo,
    check_page,
    href,
    memo,
    render,
    with_reviews,
)

router = APIRouter()
SEARCH_PAGE = 20
# The reader shows a long document this many characters at a time (a browser lays out 5 MB slowly).
READER_PART_CHARS = 250_000


@router.get("/", response_class=HTMLResponse)
def overview(request: Request, kb: KB) -> HTMLResponse:
    documents, n_documents = kb.document_list(limit=20)
    problems, n_problems = kb.file_problems(20)
    context = {
        "counts": kb.overview_counts(),
        "chart": year_chart(memo(request, "years", kb.yearly_counts), lambda y: href("/events", {"from": y, "to": y})),
        "groups": memo(request, ("top", "armed_group"), lambda: kb.top_actors("armed_group", 10)),
        "actors": memo(request, ("top", None), lambda: kb.top_actors(None, 10)),
        "documents": documents,
        "n_documents": n_documents,
        "problems": problems,
        "n_problems": n_problems,
    }
    return render(request, "index.html", context)


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request, kb: KB, q: Annotated[str, Query(max_length=500)] = "", page_no: PageNo = 1
) -> HTMLResponse:
    query = q.strip()
    offset = (page_no - 1) * SEARCH_PAGE
    names = kb.search_names(query, 30) if query and page_no == 1 else []
    documents, n_documents = kb.search_documents(query, SEARCH_PAGE, offset) if query else ([], 0)
    evidence, n_evidence = kb.search_evidence(query, SEARCH_PAGE, offset) if query else ([], 0)
    check_page(page_no, max(n_documents, n_evidence) if query else 0, SEARCH_PAGE)
    context = {
        "q": query,
        "names": names,
        "documents": documents,
        "n_documents": n_documents,
        "evidence": evidence,
        "n_evidence": n_evidence,
        "page_no": page_no,
        "more": max(n_documents, n_evidence) > offset + SEARCH_PAGE,
    }
    return render(request, "search.html", context)


@router.get("/documents", response_class=HTMLResponse)
def documents(request: Request, kb: KB, page_no: PageNo = 1) -> HTMLResponse:
    rows, total = kb.document_list(PAGE_SIZE, (page_no - 1) * PAGE_SIZE)
    check_page(page_no, total)
    return render(request, "documents.html", {"documents": rows, "total": total, "page_no": page_no})


@router.get("/entities", response_class=HTMLResponse)
def entities(
    request: Request,
    kb: KB,
    kind: Annotated[str | None, Query(max_length=40, pattern=r"^[a-z_]*$")] = None,
    page_no: PageNo = 1,
) -> HTMLResponse:
    rows, total = kb.entity_list(kind or None, PAGE_SIZE, (page_no - 1) * PAGE_SIZE)
    check_page(page_no, total)
    context = {"entities": rows, "total": total, "page_no": page_no, "kind": kind, "kinds": kb.entity_kinds()}
    return render(request, "entities.html", context)


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity(request: Request, kb: KB, entity_id: EntityId) -> HTMLResponse:
    found = kb.entity(entity_id)
    if found is None:
        raise HTTPException(404, "no such entity")
    uses, n_uses = kb.alias_uses(entity_id)
    events_of, n_events = kb.entity_events(entity_id)
    context = {
        "entity": found,
        "names": memo(request, ("names", entity_id), lambda: kb.alias_summary(entity_id)),
        "alias_review": kb.review(f"alias:{found['name']}"),
        "alias_history": kb.corrections(f"alias:{found['name']}"),
        "aliases": uses,
        "n_aliases": n_uses,
        "reasons": kb.merge_reasons(entity_id),
        "events": with_reviews(kb, events_of),
        "n_events": n_events,
        "chart": year_chart(
            memo(request, ("years", entity_id), lambda: kb.yearly_counts(entity_id)),
            lambda y: href("/events", {"actor": entity_id, "from": y, "to": y}),
        ),
        "relations": memo(request, ("relations", entity_id), lambda: kb.entity_relations(entity_id)),
        "claims": memo(request, ("claims", entity_id), lambda: kb.entity_claims_in_words(entity_id)),
    }
    return render(request, "entity.html", context)


@router.get("/documents/{doc_id}", response_class=HTMLResponse)
def document(
    request: Request,
    kb: KB,
    doc_id: DocId,
    start: Annotated[int | None, Query(ge=0, le=2**62)] = None,
    end: Annotated[int | None, Query(ge=0, le=2**62)] = None,
    part: Annotated[int | None, Query(ge=0, le=10**6)] = None,
) -> HTMLResponse:
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
    mentions = _mentions(kb, doc_id, lo, hi)
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
    return render(request, "document.html", context)


def _mentions(kb: KnowledgeBase, doc_id: str, lo: int, hi: int) -> list[tuple[int, int, dict[str, Any]]]:
    """The mentions of the part ``lo:hi`` of a document, relative to it, places with their place."""
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
    return mentions
