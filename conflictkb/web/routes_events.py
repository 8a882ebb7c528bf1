"""The workbench's event pages: the events table (filtered, sorted, paged), an event with every
report's evidence in context and the disagreements side by side, the map and the actor network
with the JSON their scripts draw."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from conflictkb.kb import KnowledgeBase
from conflictkb.store.corrections import EVENT_PROPERTIES
from conflictkb.store.event_queries import EventFilter
from conflictkb.web.shared import (
    KB,
    PAGE_SIZE,
    DateFrom,
    DateTo,
    EventId,
    Filter,
    PageNo,
    check_page,
    context_of,
    filter_params,
    href,
    memo,
    render,
    with_reviews,
)

router = APIRouter()
Sort = Literal["date", "type", "place", "country", "killed", "wounded", "document"]


@router.get("/events", response_class=HTMLResponse)
def events(
    request: Request,
    kb: KB,
    where: Filter,
    sort: Annotated[Sort, Query()] = "date",
    order: Annotated[Literal["asc", "desc"], Query(alias="dir")] = "asc",
    page_no: PageNo = 1,
) -> HTMLResponse:
    rows, total = kb.event_page(where, sort, order == "desc", PAGE_SIZE, (page_no - 1) * PAGE_SIZE)
    pages = check_page(page_no, total)
    context = {
        "rows": with_reviews(kb, rows),
        "total": total,
        "where": where,
        "params": filter_params(where),
        "sort": sort,
        "order": order,
        "page_no": page_no,
        "pages": pages,
        "facets": memo(request, "facets", kb.event_facets),
        "actors": kb.actor_names(),
    }
    return render(request, "events.html", context)


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event(request: Request, kb: KB, event_id: EventId) -> HTMLResponse:
    stored = kb.event(event_id)
    if stored is None:
        raise HTTPException(404, "no such event")
    disagreements = kb.contradictions(stored.incident_id)
    columns = sorted({r["doc_name"] for rows in disagreements.values() for r in rows})
    side_by_side = {
        prop: {name: [r for r in rows if r["doc_name"] == name] for name in columns}
        for prop, rows in disagreements.items()
    }
    reports, in_context = _reports_in_context(kb, stored.incident_id)
    context = {
        "stored": stored,
        "current": kb.corrected_event(stored).event,
        "review": kb.review(f"event:{event_id}"),
        "history": kb.corrections(f"event:{event_id}"),
        "citations": kb.citations(f"event:{event_id}"),
        "reports": reports,
        "in_context": in_context,
        "disagreements": disagreements,
        "columns": columns,
        "side_by_side": side_by_side,
        "types": request.app.state.known_types,
        "properties": EVENT_PROPERTIES,
    }
    return render(request, "event.html", context)


def _reports_in_context(kb: KnowledgeBase, incident_id: int) -> tuple[list[Any], list[tuple[Any, list[Any]]]]:
    """Every report of an incident, each evidence span with the words around it in its document."""
    reports = kb.incident(incident_id)
    texts: dict[str, str] = {}
    in_context = []
    for report in reports:
        if report.doc_id not in texts:
            doc = kb.document(report.doc_id)
            texts[report.doc_id] = doc["text"] if doc else ""
        spans = [(span, context_of(texts[report.doc_id], span.start, span.end)) for span in report.event.evidence]
        in_context.append((report, spans))
    return reports, in_context


@router.get("/map", response_class=HTMLResponse)
def map_page(request: Request, kb: KB, where: Filter) -> HTMLResponse:
    unmapped, n_unmapped = memo(request, ("unmapped", where), lambda: kb.events_unmapped(where, 500))
    context = {
        "where": where,
        "params": filter_params(where),
        "facets": memo(request, "facets", kb.event_facets),
        "actors": kb.actor_names(),
        "unmapped": unmapped,
        "n_unmapped": n_unmapped,
    }
    return render(request, "map.html", context)


@router.get("/api/map.json")
def map_data(request: Request, kb: KB, where: Filter) -> JSONResponse:
    """Points as GeoJSON: one per place, linking to the event when alone, else to its events."""
    return JSONResponse(memo(request, ("map", where), lambda: _map_features(kb, where)))


def _map_features(kb: KnowledgeBase, where: EventFilter) -> dict[str, Any]:
    points, n_points, n_events = kb.map_points(where)
    params = filter_params(where)
    features = []
    for p in points:
        alone = p["n"] == 1
        url = (
            f"/events/{p['id']}" if alone else href("/events", {**params, "place": p["place"], "country": p["country"]})
        )
        properties = {
            "n": p["n"],
            "place": p["place"],
            "country": p["country"],
            "first": p["first"],
            "last": p["last"],
            "type": p["type"] if alone else None,
            "killed": p["killed"] if alone else None,
            "url": url,
        }
        geometry = {"type": "Point", "coordinates": [p["lon"], p["lat"]]}
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    return {"type": "FeatureCollection", "points": n_points, "events": n_events, "features": features}


@router.get("/network", response_class=HTMLResponse)
def network_page(
    request: Request, kb: KB, date_from: DateFrom = None, date_to: DateTo = None, dated: bool = False
) -> HTMLResponse:
    graph = memo(
        request,
        ("network", date_from, date_to, dated),
        lambda: kb.network(date_from or None, date_to or None, undated=not dated),
    )
    names = {n["id"]: n for n in graph["nodes"]}
    params = {"from": date_from or "", "to": date_to or "", "dated": "1" if dated else ""}
    context = {"graph": graph, "names": names, "params": params, "data_url": href("/api/network.json", params)}
    return render(request, "network.html", context)


@router.get("/api/network.json")
def network_data(
    request: Request, kb: KB, date_from: DateFrom = None, date_to: DateTo = None, dated: bool = False
) -> JSONResponse:
    """Nodes (with their degree and profile link) and edges for Cytoscape."""
    graph = memo(
        request,
        ("network", date_from, date_to, dated),
        lambda: kb.network(date_from or None, date_to or None, undated=not dated),
    )
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
