"""Everything in the knowledge base as JSON Lines, one record per line, each with a ``kind``:

- ``document``: metadata of each document (id, name, format, title, published and its basis,
  encoding, size, when ingested); not its text;
- ``entity``: each knowledge-base entity with its kind, aliases, mention and document counts;
- ``event``: each document's report of an incident (the extract contract's record plus ids);
- ``incident``: each incident combined from its reports (docs/exports.md), with its citations;
- ``relation``: each relation with its document and evidence;
- ``statement``: every fact as stored (subject, property, value, document, span, extractor,
  confidence) with its quote;
- ``link``: each match to an external dataset's row (``conflictkb link``);
- ``correction``: every analyst review ever stored (docs/web.md), history included: subject,
  property, action, value, note, when.

Records are written in that order, so a reader meets a document before what cites it and an event
before the reviews of it. Reviews are applied as in the other exports (``tables`` for entities and
events: analysts' values, a ``review`` flag and ``corrections`` trace, rejected events kept and
flagged; ``incidents`` for incidents: rejected reports left out); the ``correction`` records keep
every review itself, so that nothing is lost.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, TextIO

from conflictkb.export import tables
from conflictkb.export.incidents import TOLLS, Incident, Source, citation_records, incidents, knowledge_base
from conflictkb.store import corrections, datasets

KINDS = ("document", "entity", "event", "incident", "relation", "statement", "link", "correction")


def incident_record(inc: Incident) -> dict[str, Any]:
    place = inc.place
    return {
        "kind": "incident",
        "id": inc.id,
        "type": inc.type,
        "date": inc.date,
        "date_precision": inc.date_precision,
        "place": None
        if place is None
        else {"name": place.name, "country": place.country, "admin1": place.admin1, "lat": place.lat,
              "lon": place.lon, "geonames_id": place.geonames_id, "precision": place.precision},
        "perpetrators": [
            {"name": a.name, "entity": a.entity_id, "kind": a.kind, "attribution": a.attribution, "docs": a.docs}
            for a in inc.perpetrators
        ],
        "targets": [{"text": t.text, "type": t.type} for t in inc.targets],
        **{t: inc.lowest(t) for t in TOLLS},
        "tolls": {t: [{"value": f.value, "doc": f.doc, "quote": f.quote} for f in inc.figures[t]] for t in TOLLS},
        "events": [r.id for r in inc.reports],
        "docs": inc.doc_names,
        "citations": citation_records(inc),
    }  # fmt: skip


def records(source: Source) -> Iterator[dict[str, Any]]:
    kb = knowledge_base(source)
    for d in datasets.all_documents(kb.store):
        yield {"kind": "document", **d}
    yield from tables.entity_rows(kb)
    yield from tables.event_rows(kb)
    for inc in incidents(kb):
        yield incident_record(inc)
    yield from tables.relation_rows(kb)
    for s in datasets.all_statements(kb.store):
        yield {"kind": "statement", **s}
    for link in datasets.links(kb.store):
        yield {"kind": "link", **link}
    for review in corrections.all_corrections(kb.store):
        yield {"kind": "correction", **review}


def write(source: Source, out: TextIO) -> int:
    count = 0
    for record in records(source):
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count
