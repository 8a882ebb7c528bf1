"""The knowledge base as FollowTheMoney entities (JSON Lines), for Aleph / OpenAleph and the
``ftm`` tools: every value goes through followthemoney's own model, which cleans it and drops
what its type does not accept.

- each document is a ``PlainText`` (text and Markdown files) or ``Document`` (HTML, PDF, DOCX)
  with its file name, title, publication date and the text every quote comes from (``bodyText``);
- each entity is a ``Person``, an ``Organization`` (armed groups and other organisations), a
  ``PublicBody`` (state actors) or an ``Address`` (places, with coordinates when resolved);
- each name a document uses for a person or organisation is a ``Mention`` of it in that document;
- each incident is an ``Event`` (type, date, place, country, perpetrators as ``organizer`` when a
  report states or claims it and ``involved`` always, tolls in ``notes``), placed at an
  ``Address`` when it has coordinates, and documented by each report's document through a
  ``Documentation`` whose ``summary`` holds the evidence quotes;
- each relation is a ``Membership`` (member_of, leader_of, between a person or organisation and
  an organisation) or an ``UnknownLink`` with the relation as its ``role``, its quote as its
  ``description`` and its document as ``proof``.

Analysts' reviews count: incidents are combined with them (``incidents``: a rejected report left
out, a corrected field the analyst's value) and an ``Event``'s ``notes`` say what analysts confirmed,
rejected or corrected, with the extracted value beside theirs; an alias an analyst rejected is no
``alias`` of its entity and has no ``Mention`` resolved to it, and the entity's ``notes`` say so.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, TextIO

from conflictkb.export.codebooks import load_codebooks
from conflictkb.export.incidents import Incident, Source, country_name, incidents, knowledge_base, summary
from conflictkb.export.tables import alias_reviews, incident_reviews, review_line
from conflictkb.store import datasets

if TYPE_CHECKING:
    from followthemoney import EntityProxy

SCHEMA_OF_KIND = {
    "person": "Person",
    "armed_group": "Organization",
    "organization": "Organization",
    "state_actor": "PublicBody",
    "place": "Address",
}
DOCUMENT_SCHEMA = {"txt": "PlainText", "md": "PlainText"}
MIME = {
    "txt": "text/plain",
    "md": "text/markdown",
    "html": "text/html",
    "htm": "text/html",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
MEMBERSHIP = {"member_of": "member", "leader_of": "leader"}
PREFIX = "ckb"


def _hash(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


def entity_id(entity: int) -> str:
    return f"{PREFIX}-entity-{entity}"


def document_id(doc: str) -> str:
    return f"{PREFIX}-doc-{doc}"


def incident_id(incident: int) -> str:
    return f"{PREFIX}-incident-{incident}"


def _make(schema: str, id_: str, **values: Any) -> EntityProxy:
    from followthemoney import model

    proxy = model.make_entity(schema)
    proxy.id = id_
    for prop, value in values.items():
        if value is None:
            continue
        for v in value if isinstance(value, list | tuple | set) else [value]:
            if v is not None and v != "":
                proxy.add(prop, str(v))
    return proxy


def _documents(source: Source) -> Iterator[EntityProxy]:
    kb = knowledge_base(source)
    texts = dict(datasets.document_texts(kb.store))
    for d in datasets.all_documents(kb.store):
        yield _make(
            DOCUMENT_SCHEMA.get(d["format"], "Document"), document_id(d["id"]),
            fileName=d["name"], title=d["title"], publishedAt=d["published"], encoding=d["encoding"],
            fileSize=d["n_bytes"], mimeType=MIME.get(d["format"]), extension=d["format"],
            bodyText=texts.get(d["id"]), processingAgent="conflictkb",
        )  # fmt: skip


def _entities(source: Source) -> tuple[list[EntityProxy], dict[int, str]]:
    """People, organisations, public bodies and places, their mentions; and each entity's schema."""
    kb = knowledge_base(source)
    schemas: dict[int, str] = {}
    out: list[EntityProxy] = []
    aliases: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for a in datasets.all_aliases(kb.store):
        aliases[int(a["entity_id"])].append(a)
    places: dict[int, dict[str, Any]] = {}
    for p in datasets.all_places(kb.store):
        best = places.get(int(p["entity_id"]))
        if best is None or (best["lat"] is None and p["lat"] is not None):
            places[int(p["entity_id"])] = p
    reviews = alias_reviews(kb)
    for eid, e in datasets.all_entities(kb.store).items():
        schema = SCHEMA_OF_KIND.get(e["kind"], "Organization")
        schemas[eid] = schema
        review = reviews.get(e["name"], {})
        rejected = {alias for alias, r in review.items() if r["action"] == "reject"}
        names = list(dict.fromkeys(a["alias"] for a in aliases[eid]))
        docs = {a["doc_id"] for a in aliases[eid]}
        values: dict[str, Any] = {
            "name": e["name"],
            "alias": [n for n in names if n != e["name"] and n not in rejected],
            "description": f"{e['kind'].replace('_', ' ')} named in {len(docs)} document(s) (conflictkb entity {eid})",
            "notes": [_alias_note(alias, r) for alias, r in review.items()],
        }
        if schema == "Address":
            place = places.get(eid) or {}
            values |= {"full": e["name"], "country": place.get("country"), "region": place.get("admin1"),
                       "latitude": place.get("lat"), "longitude": place.get("lon")}  # fmt: skip
        out.append(_make(schema, entity_id(eid), **values))
        if schema == "Address":
            continue
        for a in aliases[eid]:
            if a["alias"] in rejected:  # the analyst says this name is not this actor
                continue
            out.append(
                _make("Mention", f"{PREFIX}-mention-{_hash(eid, a['doc_id'], a['alias'])}",
                      document=document_id(a["doc_id"]), resolved=entity_id(eid), name=a["alias"],
                      detectedSchema=schema)
            )  # fmt: skip
    return out, schemas


def _alias_note(alias: str, review: dict[str, Any]) -> str:
    done = "rejected" if review["action"] == "reject" else "confirmed"
    note = f": {review['note']}" if review["note"] else ""
    return f"alias {alias!r} {done} by an analyst ({review['created_at']}{note})"


def _address(inc: Incident) -> EntityProxy | None:
    place = inc.place
    if place is None or place.lat is None or place.lon is None:
        return None
    return _make(
        "Address", f"{PREFIX}-place-{_hash(place.name, place.country, place.lat, place.lon)}",
        name=place.name, full=", ".join(x for x in (place.name, place.admin1, country_name(place.country)) if x),
        country=place.country, region=place.admin1, latitude=place.lat, longitude=place.lon,
    )  # fmt: skip


def _event(
    inc: Incident, schemas: dict[int, str], address: EntityProxy | None, reviews: list[dict[str, Any]]
) -> list[EntityProxy]:
    legal = [a for a in inc.perpetrators if a.entity_id is not None and schemas.get(a.entity_id) != "Address"]
    firm = [a for a in legal if any(map(load_codebooks().is_firm, a.attributions))]  # stated or claimed
    event = _make(
        "Event", incident_id(inc.id),
        name=f"{inc.type.replace('_', ' ')}, {inc.date or 'undated'}" + (f", {inc.place.name}" if inc.place else ""),
        summary=summary(inc), description="\n".join(f'{c.doc}: "{c.quote}"' for c in inc.citations),
        date=inc.date, location=inc.place.name if inc.place else None, country=inc.country,
        involved=[entity_id(a.entity_id) for a in legal if a.entity_id is not None],
        organizer=[entity_id(a.entity_id) for a in firm if a.entity_id is not None],
        addressEntity=address.id if address is not None else None,
        proof=[document_id(d) for d in inc.documents], keywords=inc.type,
        notes=[*inc.toll_lines(), *map(review_line, reviews)],
        namesMentioned=[a.name for a in inc.perpetrators if a.entity_id is None],
    )  # fmt: skip
    out = [event]
    for doc_id, meta in inc.documents.items():
        quotes = [c.quote for c in inc.citations if c.doc_id == doc_id]
        out.append(
            _make("Documentation", f"{PREFIX}-documentation-{inc.id}-{doc_id[:16]}",
                  document=document_id(doc_id), entity=event.id, role="report of the incident",
                  summary="\n".join(quotes), date=meta.get("published"))
        )  # fmt: skip
    return out


def _relations(source: Source, schemas: dict[int, str]) -> Iterator[EntityProxy]:
    kb = knowledge_base(source)
    for r in kb.relations(limit=10**9):
        subject, obj = int(r["subject_id"]), int(r["object_id"])
        common = {"date": r["date"], "proof": document_id(r["doc_id"]), "description": r["text"]}
        if (
            r["relation"] in MEMBERSHIP
            and schemas.get(subject) in ("Person", "Organization", "PublicBody")
            and schemas.get(obj) in ("Organization", "PublicBody")
        ):
            yield _make(
                "Membership", f"{PREFIX}-relation-{r['id']}",
                member=entity_id(subject), organization=entity_id(obj), role=MEMBERSHIP[r["relation"]], **common,
            )  # fmt: skip
        else:
            yield _make(
                "UnknownLink", f"{PREFIX}-relation-{r['id']}",
                subject=entity_id(subject), object=entity_id(obj), role=r["relation"], **common,
            )  # fmt: skip


def proxies(source: Source) -> Iterator[EntityProxy]:
    """Every FollowTheMoney entity of the knowledge base: documents first, then what they prove."""
    yield from _documents(source)
    found, schemas = _entities(source)
    yield from found
    places: set[str] = set()
    reviews = incident_reviews(source)
    for inc in incidents(source):
        address = _address(inc)
        if address is not None and address.id not in places:
            places.add(str(address.id))
            yield address
        yield from _event(inc, schemas, address, reviews.get(inc.id, []))
    yield from _relations(source, schemas)


def write(source: Source, out: TextIO) -> int:
    """Write one FollowTheMoney entity per line; return how many."""
    count = 0
    for proxy in proxies(source):
        out.write(json.dumps(proxy.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count
