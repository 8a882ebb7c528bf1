"""The shape of a profile: its sections, lines, citations and contradictions (``profiles`` builds
it from the store, ``profile_render`` prints it). Plain dataclasses, so a profile is also JSON."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any, Literal

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
            "entity": _plain(self.entity),
            "documents": self.documents,
            "also_named": [_plain(e) for e in self.also_named],
            "aliases": [_plain(a) for a in self.aliases],
        }
        for section in self.sections:
            if section == "names":
                if self.type == "group":
                    out["renamings"] = [_claim_dict(c) for c in self.renamings]
            elif section == "leaders":
                out["leaders"] = [
                    {**_plain(leader), "claims": [_claim_dict(c) for c in leader.claims],
                     "deaths": [_claim_dict(c) for c in leader.deaths]}
                    for leader in self.leaders
                ]  # fmt: skip
            else:
                items = getattr(self, section)
                out[section] = [_claim_dict(i) if isinstance(i, Claim) else _plain(i) for i in items]
        return out


def _claim_dict(claim: Claim) -> dict[str, Any]:
    return {**_plain(claim), "hedged": claim.hedged}


# Field names per dataclass, read once: dataclasses.asdict deep-copies every value and looks the
# fields up again for each of the million citations of the busiest group's profile (a minute).
_FIELDS: dict[type, tuple[str, ...]] = {}


def _plain(value: Any) -> Any:
    """``value`` as JSON-ready data, as ``dataclasses.asdict`` gives it (dataclasses as dicts of
    their fields in order, lists and dicts copied), without its deep copies of plain values."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    names = _FIELDS.get(type(value))
    if names is None:
        if not is_dataclass(value) or isinstance(value, type):
            return value
        names = _FIELDS.setdefault(type(value), tuple(f.name for f in fields(value)))
    return {name: _plain(getattr(value, name)) for name in names}


def published_of(claim: Claim) -> str | None:
    """The earliest publication date of the documents stating a claim."""
    return min((c.published for c in claim.citations if c.published), default=None)
