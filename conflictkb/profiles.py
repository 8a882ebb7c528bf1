"""Profiles of groups and persons assembled from the store, every line with its sources.

    import conflictkb
    from conflictkb.profiles import profile, render_markdown

    print(render_markdown(profile(conflictkb.open("kb.sqlite"), "IMU")))

A group profile (after Stanford's Mapping Militant Organizations) shows the group's names and
aliases over time, its founding, leaders, aims, strength, bases and sanctuaries, allies, rivals,
sponsors, members, major events and a yearly count of its events; a person profile shows the
person's names, roles, events and death. Each line is built from claims (entity statements,
``docs/schema.md``) or events in the store and carries the documents and quotes it comes from.
Accounts that cannot all hold — two founding dates or places, two death dates — are grouped as a
contradiction and shown side by side, never resolved. What each section reads is described in
``docs/profiles.md``.
"""

from __future__ import annotations

import gc
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from conflictkb.kb import KnowledgeBase
from conflictkb.names import entity_key, name_skeleton
from conflictkb.profile_model import (
    GROUP_SECTIONS,
    PERSON_SECTIONS,
    Account,
    AliasLine,
    Citation,
    Claim,
    Contradiction,
    Direction,
    EntityRef,
    EventLine,
    Leader,
    Profile,
    ProfileType,
    UnknownEntity,
    YearCount,
    published_of,
)
from conflictkb.profile_render import render_json, render_markdown
from conflictkb.store import profile_queries as queries
from conflictkb.store import reader
from conflictkb.store.reader import StoredEvent

# The model and the renderings are importable from here, as one API.
__all__ = [
    "GROUP_SECTIONS",
    "PERSON_SECTIONS",
    "Claim",
    "Profile",
    "UnknownEntity",
    "profile",
    "render_json",
    "render_markdown",
    "suggest",
]

# --- Building it ---------------------------------------------------------------------------------------------


def profile(kb: KnowledgeBase, name: str) -> Profile:
    """The profile of the entity named ``name`` (any of its aliases, case and punctuation folded;
    or ``entity:<id>``). When several entities bear the name, the most mentioned is profiled and
    the others are listed in ``also_named``. Raises ``UnknownEntity`` (with close names) when no
    entity bears it."""
    with _no_cycle_collection():
        return _build(kb, name)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while a profile is built: the busiest group's profile makes
    millions of rows, dicts and citations, none in a cycle (reference counting frees them all),
    which the collector scanned again and again (a third of the time on 10,000 documents)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _build(kb: KnowledgeBase, name: str) -> Profile:
    store = kb.store
    chosen, others = _find(kb, name)
    counts = queries.entity_mentions(store, chosen.id)
    entity = EntityRef(chosen.id, chosen.name, chosen.kind, counts["mentions"])
    kind: ProfileType = "person" if entity.kind == "person" else "group"
    alias_rows, out_rows, in_rows = _quoted_rows(kb, entity.id)
    result = Profile(kind, entity, counts["documents"], also_named=others, aliases=_aliases(alias_rows))

    names = _Names(kb)
    out_claims = _claims(out_rows, "out", names, entity)
    in_claims = _claims(in_rows, "in", names, entity)
    placed: set[int] = set()

    def take(direction: Direction, *relations: str, test: Callable[[Claim], bool] | None = None) -> list[Claim]:
        pool = out_claims if direction == "out" else in_claims
        found = [c for c in pool if c.relation in relations and (test is None or test(c))]
        placed.update(id(c) for c in found)
        return found

    reports = reader.events_by_perpetrator(store, entity.id)
    if kind == "group":
        result.renamings = _by_date(take("out", "renamed_to") + take("in", "renamed_to"))
        result.founding = _by_date(take("in", "founded") + take("out", "founded", test=lambda c: c.object is None))
        result.founded = _by_date(take("out", "founded", test=lambda c: c.object is not None))
        result.contradictions += _contradictions("founded", entity, result.founding, ("date", "place"))
        result.leaders = _leaders(kb, take("in", "leader_of"), names, result.contradictions)
        result.aims = take("out", "aim")
        result.strength = sorted(take("out", "strength"), key=_strength_order)
        result.bases = _by_date(take("out", "based_in", "hosted_by"))
        result.hosted = _by_date(take("in", "hosted_by"))
        result.allies = _by_date(take("out", "allied_with") + take("in", "allied_with"))
        result.rivals = _by_date(take("out", "rival_of") + take("in", "rival_of"))
        result.sponsors = _by_date(take("out", "funded_by"))
        result.funds = _by_date(take("in", "funded_by"))
        result.part_of = _by_date(take("out", "member_of"))
        result.members = _by_date(take("in", "member_of"))
        result.events = sorted(_event_lines(reports, entity.id), key=_toll_order)
        result.yearly = _yearly(result.events)
    else:
        result.roles = _by_date(take("out", "leader_of", "member_of", "founded"))
        result.death = _by_date(take("out", "killed_in"))
        result.contradictions += _contradictions("killed_in", entity, result.death, ("date",))
        result.events = sorted(_event_lines(reports, entity.id), key=_date_order)
    result.other = _by_date([c for c in out_claims + in_claims if id(c) not in placed])
    return result


def _quoted_rows(
    kb: KnowledgeBase, entity_id: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The entity's names with their sources, the claims on it and the claims pointing at it,
    quoted together: each document's text is read once for all three."""
    store = kb.store
    alias_rows = queries.alias_sources(store, entity_id, quoted=False)
    out_rows = reader.claims_about(store, entity_id, queries.claim_properties(store, entity_id), quoted=False)
    in_rows = queries.claims_to(store, entity_id, quoted=False)
    reader.quote(store, alias_rows + out_rows + in_rows)
    return alias_rows, out_rows, in_rows


def _find(kb: KnowledgeBase, name: str) -> tuple[EntityRef, list[EntityRef]]:
    """The entity a name designates and the others that bear it too."""
    store = kb.store
    if (match := re.fullmatch(r"entity:(\d+)", name.strip())) and (row := reader.entity(store, int(match[1]))):
        return EntityRef(int(row["id"]), row["name"], row["kind"]), []
    found = [
        EntityRef(int(r["id"]), r["name"], r["kind"], int(r["mentions"] or 0))
        for r in reader.entities_named(store, name)
    ]
    if not found:
        raise UnknownEntity(name, suggest(kb, name))
    return found[0], found[1:]


def suggest(kb: KnowledgeBase, name: str, limit: int = 5) -> list[str]:
    """Names in the store close to ``name``: entities with a name containing it or one of its
    words, those sharing most of its words first, then the most mentioned."""
    words = [w for w in entity_key(name).split() if len(w) >= 3]
    rows = queries.entities_like(kb.store, [name.strip(), *words], name_skeleton(name))
    key = entity_key(name)

    def score(row: Mapping[str, Any]) -> tuple[int, int, int]:
        names = {entity_key(a) for a in json.loads(row["aliases"])} | {entity_key(row["name"])}
        shared = max((len(set(words) & set(n.split())) for n in names), default=0)
        whole = any(key and key in n for n in names)
        return (-int(whole), -shared, -int(row["mentions"] or 0))

    seen: list[str] = []
    for row in sorted(rows, key=score):
        if row["name"] not in seen:
            seen.append(row["name"])
    return seen[:limit]


class _Names:
    """Entities by id, looked up once each."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.known: dict[int, EntityRef] = {}

    def load(self, ids: Iterable[int]) -> None:
        missing = [i for i in set(ids) if i not in self.known]
        for i, row in queries.entities_by_id(self.kb.store, missing).items():
            self.known[i] = EntityRef(i, row["name"], row["kind"])

    def get(self, entity_id: int | None) -> EntityRef | None:
        if entity_id is None:
            return None
        if entity_id not in self.known:
            self.load([entity_id])
        return self.known.get(entity_id)


def _citation(row: Mapping[str, Any], claim: Mapping[str, Any]) -> Citation:
    return Citation(
        doc_id=row["doc_id"],
        doc_name=row["doc_name"],
        published=row.get("published"),
        start=row["start"],
        end=row["end"],
        quote=row["quote"],
        hedged=bool(claim.get("hedged")),
        asserted_by=claim.get("asserted_by") or None,
        ref=claim.get("relation_id"),
    )


def _claims(rows: list[dict[str, Any]], direction: Direction, names: _Names, entity: EntityRef) -> list[Claim]:
    """Claim rows as claims; one claim stated alike by several documents is one claim with several
    citations (in the order of the rows)."""
    # One JSON document for all the claims: a json.loads per claim cost seconds for a busy group.
    parsed = list(zip(rows, json.loads("[" + ",".join(row["value"] for row in rows) + "]"), strict=True))
    names.load(int(c["object"]) for _, c in parsed if c.get("object") is not None)
    keys: dict[str, str] = {}  # entity_key of each value, computed once (values repeat)
    merged: dict[tuple[Any, ...], Claim] = {}
    for row, data in parsed:
        obj_id = int(data["object"]) if data.get("object") is not None else None
        if direction == "out":
            subject, obj = entity, names.get(obj_id)
        else:
            subject, obj = EntityRef(int(row["subject_id"]), row["subject"], row["subject_kind"]), entity
        value = data.get("value")
        number = data.get("number")
        key = (
            row["property"],
            subject.id,
            obj.id if obj else None,
            (keys.get(value) or keys.setdefault(value, entity_key(value))) if value else None,
            number,
            data.get("date"),
            data.get("end_date"),
        )
        if key not in merged:
            merged[key] = Claim(
                relation=row["property"],
                direction=direction,
                subject=subject,
                object=obj,
                value=value,
                number=int(number) if number is not None else None,
                date=data.get("date"),
                end_date=data.get("end_date"),
            )
        merged[key].citations.append(_citation(row, data))
    return list(merged.values())


def _date_key(date: str | None) -> tuple[int, str]:
    """Dated before undated, then in date order (ISO strings compare as dates)."""
    return (0, date) if date else (1, "")


def _by_date(claims: list[Claim], then: Callable[[Claim], Any] | None = None) -> list[Claim]:
    """Claims in the order of their date (then end date); undated last; stable otherwise."""
    return sorted(
        claims,
        key=lambda c: (_date_key(c.date), _date_key(c.end_date), then(c) if then else 0),
    )


def _strength_order(claim: Claim) -> tuple[Any, ...]:
    """Strengths by their date, or when undated by the date the figure was published (the figure
    held as of then); the larger figure first on one date."""
    return (_date_key(claim.date or published_of(claim)), -(claim.number or 0))


def _aliases(rows: list[dict[str, Any]]) -> list[AliasLine]:
    """Names (``alias_sources`` rows) with the documents that use them, the earliest used first
    (by publication date)."""
    lines: dict[str, AliasLine] = {}
    for row in rows:
        line = lines.setdefault(row["alias"], AliasLine(row["alias"], 0, None, None))
        line.count += int(row["count"])
        line.citations.append(_citation(row, {}))
        published = row["published"]
        if published:
            line.first_seen = min(line.first_seen or published, published)
            line.last_seen = max(line.last_seen or published, published)
    return sorted(lines.values(), key=lambda a: (_date_key(a.first_seen), -a.count, a.alias))


def _leaders(
    kb: KnowledgeBase, claims: list[Claim], names: _Names, contradictions: list[Contradiction]
) -> list[Leader]:
    """leader_of claims pointing at the group, one leader each, with their deaths; in the order
    they led (undated last)."""
    by_person: dict[int, Leader] = {}
    for claim in claims:
        leader = by_person.setdefault(claim.subject.id, Leader(claim.subject, None, None))
        leader.claims.append(claim)
    for leader in by_person.values():
        leader.claims = _by_date(leader.claims)
        starts = [c.date for c in leader.claims if c.date]
        ends = [c.end_date for c in leader.claims if c.end_date]
        leader.start = min(starts) if starts else None
        leader.end = max(ends) if ends else None
        rows = reader.claims_about(kb.store, leader.person.id, ["killed_in"])
        leader.deaths = _by_date(_claims(rows, "out", names, leader.person))
        contradictions.extend(_contradictions("killed_in", leader.person, leader.deaths, ("date",)))
    return sorted(by_person.values(), key=lambda p: (_date_key(p.start), _date_key(p.end), p.person.name))


def _compatible_dates(a: str, b: str) -> bool:
    """Dates such as "1998" and "1998-08" can both hold (one is the other, less precise); "1996" and "1998" cannot."""
    return a.startswith(b) or b.startswith(a)


def _contradictions(
    relation: str, subject: EntityRef, claims: list[Claim], fields: tuple[str, ...]
) -> list[Contradiction]:
    """For each field (``date``: the claim's date; ``place``: its literal value — founded claims
    name no place entity), the accounts given when two of them cannot both hold: one per distinct value."""
    found = []
    for name in fields:
        accounts: dict[str, Account] = {}
        for claim in claims:
            if name == "date":
                value = claim.date
            else:
                value = claim.value if claim.direction == "in" or claim.object is None else None
            if not value:
                continue
            normal = value if name == "date" else entity_key(value)
            accounts.setdefault(normal, Account(value)).citations.extend(claim.citations)
        keys = sorted(accounts, key=lambda k: (k, accounts[k].value))
        if name == "date":
            clash = any(not _compatible_dates(a, b) for i, a in enumerate(keys) for b in keys[i + 1 :])
        else:
            clash = len(keys) > 1
        if clash:
            found.append(Contradiction(relation, subject, name, [accounts[k] for k in keys]))
    return found


def _most_common(values: Iterable[str | None]) -> str | None:
    """The value most reports give; between equals the longest (a date's most precise form)."""
    counted = Counter(v for v in values if v)
    if not counted:
        return None
    return max(counted, key=lambda v: (counted[v], len(v)))


def _event_lines(reports: list[StoredEvent], entity_id: int) -> list[EventLine]:
    """One line per incident, from the reports naming the entity as perpetrator."""
    by_incident: dict[int, list[StoredEvent]] = defaultdict(list)
    for report in reports:
        by_incident[report.incident_id].append(report)
    lines = []
    for incident_id, group in by_incident.items():
        events = [r.event for r in group]
        fields: dict[str, list[str | None]] = {
            "type": [e.type for e in events],
            "date": [e.date for e in events],
            "place": [e.place.name if e.place else None for e in events],
            "country": [e.place.country if e.place else None for e in events],
        }
        tolls: dict[str, list[int]] = {
            name: [n for e in events if (n := getattr(e, name)) is not None]
            for name in ("killed", "wounded", "kidnapped")
        }
        distinct = {name: sorted({v for v in values if v}) for name, values in fields.items()}
        distinct |= {name: [str(n) for n in sorted(set(values))] for name, values in tolls.items()}
        differ = {
            name: values
            for name, values in distinct.items()
            if len(values) > 1 and not (name == "date" and _all_compatible(values))
        }
        attributions = []
        for event in events:
            for perpetrator in event.perpetrators:
                if perpetrator.entity == str(entity_id) and perpetrator.attribution not in attributions:
                    attributions.append(perpetrator.attribution)
        citations = [
            Citation(
                r.doc_id,
                r.doc_name,
                None,
                r.event.evidence[0].start if r.event.evidence else None,
                r.event.evidence[0].end if r.event.evidence else None,
                r.event.evidence[0].text if r.event.evidence else None,
                ref=r.id,
            )
            for r in group
        ]
        lines.append(
            EventLine(
                incident_id=incident_id,
                type=_most_common(fields["type"]) or "other",
                date=_most_common(fields["date"]),
                place=_most_common(fields["place"]),
                country=_most_common(fields["country"]),
                killed=max(tolls["killed"], default=None),
                wounded=max(tolls["wounded"], default=None),
                kidnapped=max(tolls["kidnapped"], default=None),
                attributions=attributions,
                differ=differ,
                citations=citations,
            )
        )
    return lines


def _all_compatible(dates: list[str]) -> bool:
    return all(_compatible_dates(a, b) for i, a in enumerate(dates) for b in dates[i + 1 :])


def _toll_order(line: EventLine) -> tuple[Any, ...]:
    """Largest tolls first: killed, then wounded, then kidnapped; then by date, undated last."""
    return (-(line.killed or 0), -(line.wounded or 0), -(line.kidnapped or 0), _date_key(line.date), line.incident_id)


def _date_order(line: EventLine) -> tuple[Any, ...]:
    return (_date_key(line.date), line.incident_id)


def _yearly(lines: list[EventLine]) -> list[YearCount]:
    """Incidents per year, type and country: years in order (undated last), most frequent first."""
    counted = Counter((line.date[:4] if line.date else None, line.type, line.country) for line in lines)
    rows = [YearCount(year, kind, country, n) for (year, kind, country), n in counted.items()]
    return sorted(rows, key=lambda r: (_date_key(r.year), -r.count, r.type, r.country or ""))
