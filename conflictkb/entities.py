"""Entities: the actors and places a document names, grouped by name within the document.

Reads spaCy's named entities, maps their labels to conflictkb kinds (``data/entity_kinds.yaml``)
and tells armed groups and state actors from other organisations by the words in their names.
Every mention keeps its span in the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from conflictkb.actors import ACTOR_PREFIX, COUNTRY_PREFIX, Dictionary
from conflictkb.model import Entity, EntityKind, Mention
from conflictkb.names import entity_key
from conflictkb.nlp import PLACE_PREFIX
from conflictkb.normalize import NormalizedText
from conflictkb.vocab import Vocab

_LEADING = re.compile(r"^[(\[\"“‘']*\s*(?:(?:the|a|an)\s+)?", re.IGNORECASE)
_TRAILING = re.compile(r"(?:[’']s?|[\s,.;:’'\"”()\[\]])+$", re.IGNORECASE)
_BRACKETED = re.compile(r"\s*[(\[].*$")
_KINDS: tuple[EntityKind, ...] = ("person", "armed_group", "organization", "state_actor", "place")


@dataclass
class FoundEntities:
    """The entities of one document, their mentions, and which token belongs to which."""

    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    by_token: dict[int, str] = field(default_factory=dict)
    by_key: dict[str, Entity] = field(default_factory=dict)

    def add_mention(
        self, ent: SpacySpan, norm: NormalizedText, kind: EntityKind, name: str | None = None, ref: str | None = None
    ) -> Entity | None:
        """Record ``ent`` as a mention of the entity keyed by ``ref`` or its cleaned name (made if new)."""
        cleaned = clean_name(ent.text)[0]
        if len(entity_key(cleaned)) < 2 or not any(c.isalpha() for c in cleaned):
            return None
        # Places and actors of one spelling stay apart ("Tajikistan" the land, "Tajikistan" blamed).
        key = ref or (f"place:{entity_key(cleaned)}" if kind == "place" else entity_key(cleaned))
        entity = self.by_key.get(key)
        if entity is None:
            entity = Entity(id=self.next_id(), name=name or cleaned, kind=kind, ref=ref)
            self.by_key[key] = entity
            self.entities.append(entity)
        return self.attach(ent, norm, entity)

    def attach(self, ent: SpacySpan, norm: NormalizedText, entity: Entity) -> Entity:
        """Record ``ent`` as a mention of an existing ``entity``."""
        _, lead, trail = clean_name(ent.text)
        span = norm.span(ent.start_char + lead, ent.start_char + trail)
        alias = " ".join(span.text.split())
        entity.aliases[alias] = entity.aliases.get(alias, 0) + 1
        self.mentions.append(Mention(entity.id, span.start, span.end, span.text, ent.label_))
        for tok in ent:
            self.by_token[tok.i] = entity.id
        return entity

    def get(self, entity_id: str) -> Entity | None:
        return next((e for e in self.entities if e.id == entity_id), None)

    def next_id(self) -> str:
        """A fresh local id ("ent<n>"), never one in use."""
        numbers = [int(e.id[3:]) for e in self.entities if e.id.startswith("ent") and e.id[3:].isdigit()]
        return f"ent{max(numbers, default=0) + 1}"


def clean_name(text: str) -> tuple[str, int, int]:
    """Strip articles and trailing possessives; return the name and its offsets in ``text``."""
    lead = _LEADING.match(text)
    start = lead.end() if lead else 0
    end = len(text)
    bracket = _BRACKETED.search(text, start)
    if bracket and bracket.start() > start:
        end = bracket.start()  # "Islamic Movement of Uzbekistan (IMU": the name stops at its bracket
    trail = _TRAILING.search(text, start, end)
    end = trail.start() if trail and trail.start() > start else end
    return text[start:end], start, end


def kind_of(name: str, label: str, vocab: Vocab) -> EntityKind | None:
    """A label's kind, refined for organisations by the words of their names."""
    kind = vocab.label_kinds.get(label)
    if kind not in _KINDS:
        return None
    if kind == "organization":
        lowered = f" {entity_key(name)} "
        refinements: tuple[EntityKind, ...] = ("armed_group", "state_actor")
        for refined in refinements:
            if any(f" {word} " in lowered for word in vocab.name_words.get(refined, ())):
                return refined
    return kind


def dictionary_entry(ref: str, dictionary: Dictionary) -> tuple[str, EntityKind] | None:
    """The canonical name and kind behind an entity-ruler id ("actor:Taliban", "country:TJ")."""
    prefix, _, value = ref.partition(":")
    if prefix + ":" == ACTOR_PREFIX and value in dictionary.actors:
        actor = dictionary.actors[value]
        return actor.name, actor.kind  # type: ignore[return-value]  # checked by actors._actor
    if prefix + ":" == COUNTRY_PREFIX and value in dictionary.countries:
        return dictionary.countries[value].names[0], "place"
    if prefix + ":" == PLACE_PREFIX:
        return value, "place"
    return None


def _add_mention(
    found: FoundEntities, ent: SpacySpan, norm: NormalizedText, vocab: Vocab, dictionary: Dictionary
) -> None:
    known = dictionary_entry(ent.ent_id_, dictionary) if ent.ent_id_ else None
    if known is not None and ent.label_ == "NORP":
        return  # a demonym ("Americans", "Uzbek") names a people, not the place nor an actor
    if known is not None:
        found.add_mention(ent, norm, known[1], known[0], ent.ent_id_)
        return
    name = clean_name(ent.text)[0]
    if entity_key(name).removeprefix("the ") in vocab.group_nouns:
        return  # "the Movement's sub-units": a word referring back to a group, not a name
    if not any(ch.isupper() for ch in name):
        return  # "the country's 5,000 mosques" taken for a facility: a name has a capital letter
    kind = kind_of(name, ent.label_, vocab)
    if kind is not None:
        found.add_mention(ent, norm, kind)


def extract_entities(doc: Doc, norm: NormalizedText, vocab: Vocab, dictionary: Dictionary) -> FoundEntities:
    """Group the document's named entities: a dictionary actor or place by its id (whatever name the
    text uses), any other name by its spelling; the longest form names an unlisted group."""
    found = FoundEntities()
    for ent in doc.ents:
        _add_mention(found, ent, norm, vocab, dictionary)
    for entity in found.entities:
        if entity.ref is None:
            entity.name = max(entity.aliases, key=lambda a: (len(a), entity.aliases[a]))
    return found
