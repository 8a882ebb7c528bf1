"""Entities: the actors and places a document names, grouped by name within the document.

Reads spaCy's named entities, maps their labels to conflictkb kinds (``data/entity_kinds.yaml``)
and tells armed groups and state actors from other organisations by the words in their names.
Every mention keeps its span in the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from conflictkb.actors import ACTOR_PREFIX, COUNTRY_PREFIX, Dictionary
from conflictkb.model import Entity, EntityKind, Mention
from conflictkb.names import entity_key
from conflictkb.nlp import PLACE_PREFIX
from conflictkb.normalize import NormalizedText
from conflictkb.translit import fold, rules, variants
from conflictkb.vocab import Vocab

_LEADING = re.compile(r"^[(\[\"“‘']*\s*(?:(?:the|a|an)\s+)?", re.IGNORECASE)
_TRAILING = re.compile(r"(?:[’']s?|[\s,.;:’'\"”()\[\]])+$", re.IGNORECASE)
_BRACKETED = re.compile(r"\s*[(\[].*$")
# Arabic and Persian articles and connectors inside names ("Ansar al-Sunna", "Jaish-e-Mohammed").
_ARTICLES = frozenset({"al", "el", "ul", "ud", "ut", "ad", "as", "ash", "an", "ar", "e", "i"})
_KINDS: tuple[EntityKind, ...] = ("person", "armed_group", "organization", "state_actor", "place")


@dataclass
class FoundEntities:
    """The entities of one document, their mentions, and which token belongs to which."""

    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    by_token: dict[int, str] = field(default_factory=dict)
    by_key: dict[str, Entity] = field(default_factory=dict)

    def add_mention(
        self,
        ent: SpacySpan,
        norm: NormalizedText,
        kind: EntityKind,
        name: str | None = None,
        ref: str | None = None,
        shown: SpacySpan | None = None,
    ) -> Entity | None:
        """Record ``ent`` as a mention of the entity keyed by ``ref`` or its cleaned name (made if new);
        ``shown`` is the mention as written when it is wider than the name ("Col. Makhmud Khudoyberdiev")."""
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
        return self.attach(ent, norm, entity, shown)

    def attach(self, ent: SpacySpan, norm: NormalizedText, entity: Entity, shown: SpacySpan | None = None) -> Entity:
        """Record ``ent`` (as written: ``shown``, when given) as a mention of an existing ``entity``."""
        written = shown if shown is not None else ent
        _, lead, trail = clean_name(written.text)
        span = norm.span(written.start_char + lead, written.start_char + trail)
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


def title_before(doc: Doc, start: int, titles: frozenset[str]) -> int | None:
    """The first token of an honorific or rank right before token ``start`` ("Col." of "Col. Makhmud
    Khudoyberdiev", "Prince" of "Prince Turki al-Faisal"), if one is there."""
    i = start - 1
    if i > 0 and doc[i].text == ".":
        i -= 1
    if i < 0 or doc[i].is_space:
        return None
    word = doc[i].text
    return i if word[:1].isupper() and word.rstrip(".").lower() in titles else None


def untitled(name: str, titles: frozenset[str]) -> str:
    """A name without the honorific or rank it was written with: "Col. Makhmud Khudoyberdiev" ->
    "Makhmud Khudoyberdiev"; a title alone stays as it is."""
    first, _, rest = name.partition(" ")
    return rest if rest and first.rstrip(".").lower() in titles else name


def name_forms(entity: Entity, titles: frozenset[str]) -> dict[str, int]:
    """The entity's names as written, titles left off, with their mention counts: what its shown
    name is chosen from."""
    forms: dict[str, int] = {}
    for alias, count in (entity.aliases or {entity.name: 1}).items():
        bare = untitled(alias, titles) if entity.kind == "person" else alias
        forms[bare] = forms.get(bare, 0) + count
    return forms


def _titled(ent: SpacySpan, titles: frozenset[str]) -> SpacySpan | None:
    start = title_before(ent.doc, ent.start, titles)
    return ent.doc[start : ent.end] if start is not None else None


def _person_as_written(ent: SpacySpan, dictionary: Dictionary, vocab: Vocab) -> SpacySpan | None:
    """A listed person's mention with the given name and title written before the listed form:
    "Rosa Otunbayeva" where the dictionary matched "Otunbayeva" (and lists Roza Otunbayeva)."""
    doc, start = ent.doc, ent.start
    before = doc[start - 1] if start > 0 else None
    actor = dictionary.actor_of(ent.ent_id_)
    if before is not None and actor is not None and _is_given_name(before, vocab):
        written = f"{before.text} {ent.text}"
        if any(given_names_agree(written, name) for name in actor.names):
            start -= 1
    titled = title_before(doc, start, vocab.person_titles)
    start = titled if titled is not None else start
    return doc[start : ent.end] if start < ent.start else None


def _government_as_written(ent: SpacySpan, vocab: Vocab) -> SpacySpan | None:
    """ "the new Tajik government": a government's name with the adjective the text gives it."""
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    if before is None or before.lower_ not in vocab.government_adjectives:
        return None
    return ent.doc[ent.start - 1 : ent.end] if ent.root.lemma_.lower() in vocab.government_nouns else None


def _is_given_name(tok: Token, vocab: Vocab) -> bool:
    word = tok.text.rstrip(".").lower()
    return (
        tok.pos_ == "PROPN"
        and tok.text[:1].isupper()
        and not tok.ent_type_
        and not tok.is_sent_start
        and word not in vocab.person_titles
        and word not in vocab.head_titles
        and word not in vocab.relation_roles
    )


def _join_given_names(doc: Doc, dictionary: Dictionary) -> None:
    """A given name the statistical NER found right before a listed surname the dictionary matched
    ("Rosa" + "Otunbayeva", "Ahmed" + "Karimov") is one name with it: the listed person when the
    given names agree, else another person, unlisted. A listed group's name glued by a hyphen to a
    person's ("Abdul-Malik al-" + "Houthi") is the end of that person's name."""
    ents, out, i = list(doc.ents), [], 0
    while i < len(ents):
        first, second = ents[i], ents[i + 1] if i + 1 < len(ents) else None
        actor = dictionary.actor_of(second.ent_id_) if second is not None else None
        glued = second is not None and not doc[second.start - 1].whitespace_ and doc[second.start - 1].text == "-"
        if (
            second is None
            or actor is None
            or (actor.kind != "person" and not glued)
            or first.ent_id_
            or first.label_ != "PERSON"
            or first.end != second.start
        ):
            out.append(first)
            i += 1
            continue
        whole = doc[first.start : second.end]
        agrees = actor.kind == "person" and any(given_names_agree(whole.text, name) for name in actor.names)
        ent_id = second.ent_id_ if agrees else ""
        out.append(SpacySpan(doc, whole.start, whole.end, label="PERSON", span_id=ent_id))
        for tok in whole:
            tok.ent_id_ = ent_id  # the span's id is read from its tokens
        i += 2
    doc.ents = out


def _join_names_cut_at_of(doc: Doc) -> None:
    """An organisation's name the NER cut before its last word ("the Islamic Jehad of" +
    "Uzbekistan") runs on into the name that follows it."""
    ents, out = list(doc.ents), list[SpacySpan]()
    for ent in ents:
        last = out[-1] if out else None
        if (
            last is not None
            and last.label_ == "ORG"
            and not last.ent_id_
            and doc[last.end - 1].lower_ in ("of", "for")
            and ent.start == last.end
            and ent.label_ in ("GPE", "LOC", "ORG", "NORP")
        ):
            out[-1] = SpacySpan(doc, last.start, ent.end, label="ORG")
            for tok in out[-1]:
                tok.ent_id_ = ""
            continue
        out.append(ent)
    doc.ents = out


def _another_persons_given_name(ent: SpacySpan, dictionary: Dictionary, vocab: Vocab) -> bool:
    """A listed surname after a given name that is not the listed person's ("Ahmed Karimov", when
    the dictionary knows only Islam Karimov): another person."""
    actor = dictionary.actor_of(ent.ent_id_)
    before = ent.doc[ent.start - 1] if ent.start > 0 else None
    if actor is None or before is None or len(ent) != 1 or not _is_given_name(before, vocab):
        return False
    full = [n for n in actor.names if len(n.split()) >= 2]
    written = f"{before.text} {ent.text}"
    return bool(full) and not any(given_names_agree(written, name) for name in full)


def given_names_agree(written: str, listed: str) -> bool:
    """Do two names of a person, the same surname, agree in their given names too ("Rosa" and
    "Roza" Otunbayeva; not "Ahmed" and "Islam" Karimov)?"""
    a, b = fold(written).split(), fold(listed).split()
    if len(a) != len(b) or len(a) < 2 or (a[-1] != b[-1] and not variants(a[-1], b[-1], person=True)):
        return False
    close = rules().person_similarity
    return all(
        x == y or variants(x, y, person=True) or fuzz.ratio(x, y) >= close for x, y in zip(a[:-1], b[:-1], strict=True)
    )


def kind_of(name: str, label: str, vocab: Vocab) -> EntityKind | None:
    """A label's kind, refined for organisations by the words of their names; a "person" whose name
    is a group's ("Ansar al-Sunna": a group word, then an Arabic article) is an armed group."""
    kind = vocab.label_kinds.get(label)
    if kind not in _KINDS:
        return None
    words = entity_key(name).split()
    group_words = vocab.name_words.get("armed_group", ())
    if kind == "person" and len(words) >= 3 and words[0] in group_words and words[1] in _ARTICLES:
        return "armed_group"
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
    if known is not None and known[1] == "person" and _another_persons_given_name(ent, dictionary, vocab):
        whole = ent.doc[ent.start - 1 : ent.end]  # "Ahmed Karimov" is not Islam Karimov
        found.add_mention(whole, norm, "person", shown=_titled(whole, vocab.person_titles))
        return
    if known is not None:
        shown = _person_as_written(ent, dictionary, vocab) if known[1] == "person" else None
        if known[1] == "state_actor":
            shown = _government_as_written(ent, vocab)
        found.add_mention(ent, norm, known[1], known[0], ent.ent_id_, shown)
        return
    name = clean_name(ent.text)[0]
    if entity_key(name).removeprefix("the ") in vocab.group_nouns:
        return  # "the Movement's sub-units": a word referring back to a group, not a name
    if not any(ch.isupper() for ch in name):
        return  # "the country's 5,000 mosques" taken for a facility: a name has a capital letter
    kind = kind_of(name, ent.label_, vocab)
    members = _members_named(ent, vocab) if kind == "person" else None
    if members is not None:
        found.add_mention(members, norm, "armed_group")
    elif kind is not None:
        found.add_mention(ent, norm, kind, shown=_titled(ent, vocab.person_titles) if kind == "person" else None)


def _members_named(ent: SpacySpan, vocab: Vocab) -> SpacySpan | None:
    """ "Waziri Pashtun tribesmen": a name before a plural noun for a group's members names the
    group (name and noun together), not a person."""
    after = ent.doc[ent.end] if ent.end < len(ent.doc) else None
    if (
        after is None
        or after.tag_ != "NNS"
        or (after.lemma_.lower() not in vocab.member_nouns and after.lower_ not in vocab.member_nouns)
    ):
        return None
    return ent.doc[ent.start : ent.end + 1]


# Small words inside a person's name after a title ("Turki al-Faisal", "Osama bin Laden").
_NAME_PARTICLES = frozenset({"al", "el", "ul", "ud", "ur", "ad", "as", "bin", "ibn", "bint", "-"})


def find_titled_names(doc: Doc, found: FoundEntities, norm: NormalizedText, vocab: Vocab) -> None:
    """Capitalised words after a title where the parser saw no name: "the chief of Saudi
    intelligence, Prince Turki al-Faisal" names a person."""
    for tok in doc:
        if tok.ent_type_ or tok.i in found.by_token or not tok.text[:1].isupper():
            continue
        if tok.text.rstrip(".").lower() in vocab.person_titles:
            continue  # "Maj. Gen. Ahmad": the name starts after the last title
        start = title_before(doc, tok.i, vocab.name_titles)
        end = _name_end(doc, tok.i)
        if start is None or end is None:
            continue
        entity = found.add_mention(doc[tok.i : end], norm, "person", shown=doc[start:end])
        if entity is not None:
            entity.merges.append(f"{doc[start:end].text}: a name after the title {doc[start].text!r}")


def _name_end(doc: Doc, i: int) -> int | None:
    """Where a name that starts at token ``i`` ends: capitalised proper nouns with particles between,
    in one sentence, none of them part of a named entity."""
    end = None
    for tok in doc[i:]:
        if tok.ent_type_ or (tok.i > i and tok.is_sent_start):
            break
        if tok.text[:1].isupper() and tok.pos_ == "PROPN":
            end = tok.i + 1
        elif tok.lower_ not in _NAME_PARTICLES or (tok.whitespace_ and tok.text == "-"):
            break
    return end


def extract_entities(doc: Doc, norm: NormalizedText, vocab: Vocab, dictionary: Dictionary) -> FoundEntities:
    """Group the document's named entities: a dictionary actor or place by its id (whatever name the
    text uses), any other name by its spelling; the longest form names an unlisted group."""
    found = FoundEntities()
    _join_given_names(doc, dictionary)
    _join_names_cut_at_of(doc)
    for ent in doc.ents:
        _add_mention(found, ent, norm, vocab, dictionary)
    find_titled_names(doc, found, norm, vocab)
    for entity in found.entities:
        forms = name_forms(entity, vocab.person_titles)
        if entity.kind == "person":
            entity.aliases = forms | entity.aliases  # "Col. Makhmud Khudoyberdiev" also writes "Makhmud Khudoyberdiev"
        if entity.ref is None:
            entity.name = max(forms, key=lambda a: (len(a), forms[a]))
    return found
