"""The typed data model: every stage speaks these dataclasses and nothing else.

Offsets (``start``/``end``) always point into ``Document.text``, the original text as read
from the file (decoded, or extracted from HTML/PDF/DOCX), never into a normalised copy:
that is what lets a citation be checked by slicing the stored text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

EntityKind = Literal["person", "armed_group", "organization", "state_actor", "place"]
DatePrecision = Literal["day", "month", "year"]


class SkipFile(Exception):
    """A file that cannot be turned into a Document; ``reason`` is shown to the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Document:
    """One file's text and metadata; ``id`` is the SHA-256 of the file's bytes."""

    id: str
    path: str
    format: str
    text: str
    title: str | None = None
    published: str | None = None
    published_basis: str | None = None
    encoding: str | None = None
    n_bytes: int = 0

    @property
    def name(self) -> str:
        """The file name as given, without folders: the ``doc`` field of the contract."""
        return self.path.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of the original text; ``text == document.text[start:end]`` always holds."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int


@dataclass(slots=True)
class Entity:
    """An actor or place as named in one document; ``id`` is local to that document."""

    id: str
    name: str
    kind: EntityKind
    aliases: dict[str, int] = field(default_factory=dict)
    # Why other names of this document were merged into this entity, one line per merge.
    merges: list[str] = field(default_factory=list)
    # The dictionary entry it was recognised by ("actor:Taliban", "country:TJ", "place:Rasht Valley").
    ref: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    entity: str
    start: int
    end: int
    text: str
    label: str


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    precision: str | None = None  # point | district | region | country
    source: str | None = None  # which gazetteer layer: countries, curated, geonames, user
    # Every country a transboundary feature spans (the Ferghana Valley: UZ, KG, TJ), when it does.
    countries: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Perpetrator:
    name: str
    attribution: str
    entity: str | None = None


@dataclass(frozen=True, slots=True)
class Target:
    text: str
    type: str | None = None


@dataclass(slots=True)
class Event:
    """One incident as one document reports it, with every sentence that speaks of it."""

    id: str
    type: str
    evidence: list[Span]
    date: str | None = None
    date_precision: DatePrecision | None = None
    date_text: str | None = None
    place: Place | None = None
    perpetrators: list[Perpetrator] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    victims: list[Target] = field(default_factory=list)
    weapons: list[str] = field(default_factory=list)
    killed: int | None = None
    wounded: int | None = None
    kidnapped: int | None = None
    casualty_text: str | None = None
    confidence: float = 0.5
    # Where each field's value was read: field name -> span of the original text.
    spans: dict[str, Span] = field(default_factory=dict)
    # How the date was read (timeline.Dated.how), while the document is read: not stored.
    date_how: str | None = None


@dataclass(slots=True)
class Relation:
    """A claim about an actor: a relation to another entity (``object``, a local entity id), or a
    literal (``value``: a strength, an aim, a source of money); when, and on whose word."""

    id: str
    subject: str
    relation: str
    object: str | None
    evidence: list[Span]
    date: str | None = None
    confidence: float = 0.5
    value: str | None = None  # the literal object: "a few hundred fighters", "overthrow the Uzbek state"
    number: int | None = None  # a strength's figure when the text gives one (a lower bound if vague)
    end_date: str | None = None  # the end of a period ("led the group until 2009")
    hedged: bool = False  # "reportedly", "it is thought", "may have"
    asserted_by: str | None = None  # "according to Rashid", "Pakistani officials state"


@dataclass(frozen=True, slots=True)
class Statement:
    """A single sourced fact, the way FollowTheMoney keeps them: who says what, where."""

    subject: str
    property: str
    value: str
    doc_id: str
    start: int | None
    end: int | None
    extractor: str
    confidence: float


@dataclass(slots=True)
class DocumentFacts:
    """All that the per-document pipeline found in one document: a pure function's result."""

    document: Document
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    # The place chosen for each place entity (by local entity id).
    places: dict[str, Place] = field(default_factory=dict)
