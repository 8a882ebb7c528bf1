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

import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from conflictkb.kb import KnowledgeBase
from conflictkb.names import entity_key, name_skeleton
from conflictkb.store import profile_queries as queries
from conflictkb.store import reader
from conflictkb.store.reader import StoredEvent

Direction = Literal["out", "in"]
ProfileType = Literal["group", "person"]

# How a claim reads in a sentence: "<subject> <phrase> <object or value>"; a relation type not
# listed reads as its name.
PHRASES = {
    "founded": "founded",
    "leader_of": "leader of",
    "member_of": "member of",
    "allied_with": "allied with",
    "rival_of": "rival of",
    "hosted_by": "hosted by",
    "based_in": "based in",
    "funded_by": "funded by",
    "renamed_to": "renamed to",
    "strength": "strength:",
    "aim": "aim:",
    "killed_in": "death:",
}

# The sections of each kind of profile, in the order they are shown.
GROUP_SECTIONS = (
    "names",
    "founding",
    "founded",
    "leaders",
    "aims",
    "strength",
    "bases",
    "hosted",
    "allies",
    "rivals",
    "sponsors",
    "funds",
    "part_of",
    "members",
    "events",
    "yearly",
    "contradictions",
    "other",
)
PERSON_SECTIONS = ("names", "roles", "death", "events", "contradictions", "other")

# Markdown quotes are cut to this many characters (JSON keeps them whole).
QUOTE_CHARS = 200


class UnknownEntity(LookupError):
    """No entity of the store has the name asked for; ``suggestions`` are names close to it."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        super().__init__(self.message(name, suggestions, "the knowledge base"))
        self.name = name
        self.suggestions = suggestions

    @staticmethod
    def message(name: str, suggestions: list[str], where: str) -> str:
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        return f"no entity named {name!r} in {where}{hint}"


# --- The profile ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EntityRef:
    """An entity of the store; ``mentions`` is set where it is listed by how often it is named."""

    id: int
    name: str
    kind: str
    mentions: int | None = None


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a line comes from: the document, the quote (``documents.text[start:end]``), whether
    the text hedges it and on whose word it is stated; ``ref`` is the relation or event id."""

    doc_id: str
    doc_name: str
    published: str | None
    start: int | None
    end: int | None
    quote: str | None
    hedged: bool = False
    asserted_by: str | None = None
    ref: str | None = None


@dataclass(slots=True)
class Claim:
    """One claim, as stated by one or more documents. ``direction`` is ``out`` when the profiled
    entity is the subject ("IMU based_in Pakistan"), ``in`` when it is the object ("Yuldashev
    leader_of IMU"). ``object`` is an entity, or None when the claim's object is the literal
    ``value`` (a strength's figure text, an aim, a place not in the store)."""

    relation: str
    direction: Direction
    subject: EntityRef
    object: EntityRef | None
    value: str | None
    number: int | None
    date: str | None
    end_date: str | None
    citations: list[Citation] = field(default_factory=list)

    @property
    def hedged(self) -> bool:
        """Every source hedges it."""
        return bool(self.citations) and all(c.hedged for c in self.citations)


@dataclass(slots=True)
class AliasLine:
    """One name of the entity: how often it is used, when (the publication dates of the documents
    using it) and where each document first uses it."""

    alias: str
    count: int
    first_seen: str | None
    last_seen: str | None
    citations: list[Citation] = field(default_factory=list)


@dataclass(slots=True)
class Leader:
    """One leader of a group: the leader_of claims that name them (each with its period), their
    earliest start and latest end, and the killed_in claims on them."""

    person: EntityRef
    start: str | None
    end: str | None
    claims: list[Claim] = field(default_factory=list)
    deaths: list[Claim] = field(default_factory=list)


@dataclass(slots=True)
class Account:
    """One version of a disputed fact and who gives it."""

    value: str
    citations: list[Citation] = field(default_factory=list)


@dataclass(slots=True)
class Contradiction:
    """Claims of one relation on one subject that cannot all hold (``disputed``: date or place), one
    account per distinct value, side by side."""

    relation: str
    subject: EntityRef
    disputed: str
    accounts: list[Account] = field(default_factory=list)


@dataclass(slots=True)
class EventLine:
    """One incident the entity is a perpetrator of, from the reports that name it. Figures are the
    highest a report gives; ``differ`` lists, per field, the values on which reports disagree."""

    incident_id: int
    type: str
    date: str | None
    place: str | None
    country: str | None
    killed: int | None
    wounded: int | None
    kidnapped: int | None
    attributions: list[str] = field(default_factory=list)
    differ: dict[str, list[str]] = field(default_factory=dict)
    citations: list[Citation] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class YearCount:
    """How many of the entity's incidents of one type in one country a year holds."""

    year: str | None
    type: str
    country: str | None
    count: int


@dataclass(slots=True)
class Profile:
    """A group or person profile. Sections that do not apply to the profile's type stay empty and
    are left out of ``to_dict()`` and the renderings (``GROUP_SECTIONS``, ``PERSON_SECTIONS``)."""

    type: ProfileType
    entity: EntityRef
    documents: int
    also_named: list[EntityRef] = field(default_factory=list)
    aliases: list[AliasLine] = field(default_factory=list)
    renamings: list[Claim] = field(default_factory=list)
    founding: list[Claim] = field(default_factory=list)
    founded: list[Claim] = field(default_factory=list)
    leaders: list[Leader] = field(default_factory=list)
    roles: list[Claim] = field(default_factory=list)
    death: list[Claim] = field(default_factory=list)
    aims: list[Claim] = field(default_factory=list)
    strength: list[Claim] = field(default_factory=list)
    bases: list[Claim] = field(default_factory=list)
    hosted: list[Claim] = field(default_factory=list)
    allies: list[Claim] = field(default_factory=list)
    rivals: list[Claim] = field(default_factory=list)
    sponsors: list[Claim] = field(default_factory=list)
    funds: list[Claim] = field(default_factory=list)
    part_of: list[Claim] = field(default_factory=list)
    members: list[Claim] = field(default_factory=list)
    events: list[EventLine] = field(default_factory=list)
    yearly: list[YearCount] = field(default_factory=list)
    contradictions: list[Contradiction] = field(default_factory=list)
    other: list[Claim] = field(default_factory=list)

    @property
    def sections(self) -> tuple[str, ...]:
        return GROUP_SECTIONS if self.type == "group" else PERSON_SECTIONS

    def to_dict(self) -> dict[str, Any]:
        """The profile as JSON-ready data: the entity, then its type's sections in order."""
        out: dict[str, Any] = {
            "type": self.type,
            "entity": asdict(self.entity),
            "documents": self.documents,
            "also_named": [asdict(e) for e in self.also_named],
            "aliases": [asdict(a) for a in self.aliases],
        }
        for section in self.sections:
            if section == "names":
                if self.type == "group":
                    out["renamings"] = [_claim_dict(c) for c in self.renamings]
            elif section == "leaders":
                out["leaders"] = [
                    {**asdict(leader), "claims": [_claim_dict(c) for c in leader.claims],
                     "deaths": [_claim_dict(c) for c in leader.deaths]}
                    for leader in self.leaders
                ]  # fmt: skip
            else:
                items = getattr(self, section)
                out[section] = [_claim_dict(i) if isinstance(i, Claim) else asdict(i) for i in items]
        return out


def _claim_dict(claim: Claim) -> dict[str, Any]:
    return {**asdict(claim), "hedged": claim.hedged}


# --- Building it ---------------------------------------------------------------------------------------------


def profile(kb: KnowledgeBase, name: str) -> Profile:
    """The profile of the entity named ``name`` (any of its aliases, case and punctuation folded;
    or ``entity:<id>``). When several entities bear the name, the most mentioned is profiled and
    the others are listed in ``also_named``. Raises ``UnknownEntity`` (with close names) when no
    entity bears it."""
    store = kb.store
    chosen, others = _find(kb, name)
    counts = queries.entity_mentions(store, chosen.id)
    entity = EntityRef(chosen.id, chosen.name, chosen.kind, counts["mentions"])
    kind: ProfileType = "person" if entity.kind == "person" else "group"
    result = Profile(kind, entity, counts["documents"], also_named=others, aliases=_aliases(kb, entity.id))

    names = _Names(kb)
    properties = queries.claim_properties(store, entity.id)
    out_claims = _claims(reader.claims_about(store, entity.id, properties), "out", names, entity)
    in_claims = _claims(queries.claims_to(store, entity.id), "in", names, entity)
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
    parsed = [(row, json.loads(row["value"])) for row in rows]
    names.load(int(c["object"]) for _, c in parsed if c.get("object") is not None)
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
            entity_key(value) if value else None,
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


def _published(claim: Claim) -> str | None:
    """The earliest publication date of the documents stating a claim."""
    return min((c.published for c in claim.citations if c.published), default=None)


def _strength_order(claim: Claim) -> tuple[Any, ...]:
    """Strengths by their date, or when undated by the date the figure was published (the figure
    held as of then); the larger figure first on one date."""
    return (_date_key(claim.date or _published(claim)), -(claim.number or 0))


def _aliases(kb: KnowledgeBase, entity_id: int) -> list[AliasLine]:
    """Names with the documents that use them, the earliest used first (by publication date)."""
    lines: dict[str, AliasLine] = {}
    for row in queries.alias_sources(kb.store, entity_id):
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


# --- Renderings ----------------------------------------------------------------------------------------------


def render_json(result: Profile) -> str:
    """The profile as one JSON document (``Profile.to_dict()``), quotes whole."""
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2)


KIND_NAMES = {
    "armed_group": "armed group",
    "organization": "organization",
    "state_actor": "state actor",
    "person": "person",
    "place": "place",
}


def _short(text: str | None, limit: int = QUOTE_CHARS) -> str:
    """A quote on one line, cut at a word before ``limit`` characters with "…"."""
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def _cite(citation: Citation, indent: str) -> str:
    notes = []
    if citation.hedged:
        notes.append("hedged")
    if citation.asserted_by:
        notes.append(f"asserted by {citation.asserted_by}")
    note = f" ({'; '.join(notes)})" if notes else ""
    quote = f': "{_short(citation.quote)}"' if citation.quote else ""
    return f"{indent}— {citation.doc_name}{quote}{note}"


def _when(date: str | None, end_date: str | None) -> str:
    if date and end_date:
        return f"{date}–{end_date}"
    if end_date:
        return f"until {end_date}"
    return date or ""


def _claim_text(claim: Claim, as_of_publication: bool = False) -> str:
    """The claim as "<subject> <phrase> <object or value>", with the figure of a strength and the period."""
    target = claim.object.name if claim.object else (claim.value or "")
    if claim.relation == "founded" and claim.value:
        target = f"{claim.object.name} in {claim.value}" if claim.object else f"in {claim.value}"  # the place
    elif claim.object and claim.value:
        target += f" ({claim.value})"
    phrase = PHRASES.get(claim.relation, claim.relation.replace("_", " "))
    if claim.relation == "founded" and claim.object is None:
        phrase = "was founded"  # an account of the founding that names no founder
    text = f"{claim.subject.name} {phrase} {target}".rstrip()
    if claim.number is not None and str(claim.number) not in re.sub(r"(?<=\d)[,.\s](?=\d)", "", claim.value or ""):
        text += f" (figure: {claim.number:,})"
    when = _when(claim.date, claim.end_date)
    if not when and as_of_publication and (published := _published(claim)):
        when = f"as of {published} (publication)"
    return f"**{when}**: {text}" if when else text


def _claim_lines(claims: list[Claim], indent: str = "", as_of_publication: bool = False) -> list[str]:
    lines = []
    for claim in claims:
        lines.append(f"{indent}- {_claim_text(claim, as_of_publication)}")
        lines.extend(_cite(c, indent + "  ") for c in claim.citations)
    return lines


def _none() -> list[str]:
    return ["_Nothing in the knowledge base._"]


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _contradiction_lines(item: Contradiction) -> list[str]:
    what = {"founded": "founding", "killed_in": "death"}.get(item.relation, item.relation)
    lines = [
        f"**{item.subject.name}: {what} {item.disputed}** — the sources disagree:",
        "",
        f"| {item.disputed} | according to |",
        "|---|---|",
    ]
    for account in item.accounts:
        sources = "<br>".join(_cell(_cite(c, "").removeprefix("— ")) for c in account.citations)
        lines.append(f"| {_cell(account.value)} | {sources} |")
    return [*lines, ""]


def _event_text(line: EventLine) -> str:
    where = line.place or ""
    if line.country:
        where = f"{where} ({line.country})" if where else line.country
    figures = [f"{n} {label}" for n, label in ((line.killed, "killed"), (line.wounded, "wounded"),
                                               (line.kidnapped, "kidnapped")) if n is not None]  # fmt: skip
    parts = [f"**{line.date or 'undated'}**: {line.type.replace('_', ' ')}"]
    if where:
        parts.append(f"in {where}")
    text = " ".join(parts)
    if figures:
        text += f" — {', '.join(figures)}"
    if line.attributions:
        text += f" (attribution: {'; '.join(line.attributions)})"
    if line.differ:
        text += " — reports differ on " + "; ".join(f"{k}: {' / '.join(v)}" for k, v in line.differ.items())
    return text


def _section_lines(result: Profile, section: str, max_events: int) -> tuple[str, list[str]]:
    """A section's heading and its lines."""
    claim_sections: dict[str, tuple[str, list[Claim]]] = {
        "founded": ("Groups it founded", result.founded),
        "aims": ("Aims", result.aims),
        "strength": ("Strength over time", result.strength),
        "bases": ("Bases and sanctuaries", result.bases),
        "hosted": ("Groups it hosted", result.hosted),
        "allies": ("Allies", result.allies),
        "rivals": ("Rivals", result.rivals),
        "sponsors": ("Sponsors and funding", result.sponsors),
        "funds": ("Whom it funds", result.funds),
        "part_of": ("Part of", result.part_of),
        "members": ("Members", result.members),
        "roles": ("Roles", result.roles),
        "death": ("Death", result.death),
        "other": ("Other claims", result.other),
    }
    if section in claim_sections:
        title, claims = claim_sections[section]
        return title, _claim_lines(claims, as_of_publication=section == "strength") or _none()
    if section == "names":
        lines = []
        for alias in result.aliases:
            seen = _when(alias.first_seen, alias.last_seen if alias.last_seen != alias.first_seen else None)
            docs = len(alias.citations)
            lines.append(
                f"- **{alias.alias}** — {alias.count} mention{'s' * (alias.count != 1)} in {docs} "
                f"document{'s' * (docs != 1)}{f' ({seen})' if seen else ''}"
            )
            lines.extend(_cite(c, "  ") for c in alias.citations)
        if result.renamings:
            lines += ["", "Renamings:", "", *_claim_lines(result.renamings)]
        return "Names and aliases", lines or _none()
    if section == "founding":
        lines = _claim_lines(result.founding)
        disputed = [c for c in result.contradictions if c.relation == "founded" and c.subject.id == result.entity.id]
        for item in disputed:
            values = " / ".join(a.value for a in item.accounts)
            lines.append(f"- **Sources disagree on the founding {item.disputed}**: {values} (see Contradictions)")
        return "Founding", lines or _none()
    if section == "leaders":
        lines = []
        for leader in result.leaders:
            lines.append(f"- **{leader.person.name}** {_when(leader.start, leader.end)}".rstrip())
            lines.extend(_claim_lines(leader.claims, "  "))
            lines.extend(_claim_lines(leader.deaths, "  "))
        return "Leaders", lines or _none()
    if section == "events":
        title = "Major events (largest tolls first)" if result.type == "group" else "Events (as perpetrator)"
        lines = []
        for line in result.events[:max_events]:
            lines.append(f"- {_event_text(line)}")
            lines.extend(_cite(c, "  ") for c in line.citations)
        if len(result.events) > max_events:
            lines.append(f"- … and {len(result.events) - max_events} more (all of them in --format json)")
        return title, lines or _none()
    if section == "yearly":
        if not result.yearly:
            return "Events per year", _none()
        lines = ["| year | type | country | events |", "|---|---|---|---|"]
        lines += [
            f"| {r.year or 'undated'} | {r.type.replace('_', ' ')} | {r.country or '?'} | {r.count} |"
            for r in result.yearly
        ]
        return "Events per year", lines
    if section == "contradictions":
        lines = [line for item in result.contradictions for line in _contradiction_lines(item)]
        return "Contradictions", lines or ["_None found: the sources agree or do not overlap._"]
    raise ValueError(f"unknown section {section!r}")


def render_markdown(result: Profile, max_events: int = 25) -> str:
    """The profile as Markdown: a heading per section, each line followed by its citations
    (``— document: "quote"``, with ``hedged`` and who asserts it when the text says)."""
    entity = result.entity
    lines = [
        f"# {entity.name}",
        "",
        f"{KIND_NAMES.get(entity.kind, entity.kind)} · entity {entity.id} · {entity.mentions or 0} mentions "
        f"in {result.documents} document{'s' * (result.documents != 1)}",
    ]
    if result.also_named:
        others = "; ".join(
            f"{e.name} ({KIND_NAMES.get(e.kind, e.kind)}, {e.mentions or 0} mentions: `entity:{e.id}`)"
            for e in result.also_named
        )
        lines += ["", f"Also named so: {others}"]
    for section in result.sections:
        title, body = _section_lines(result, section, max_events)
        lines += ["", f"## {title}", "", *body]
    return "\n".join(lines).rstrip() + "\n"
