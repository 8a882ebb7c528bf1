"""Places in context: which of a name's candidate places the document means.

A name ("Rasht", "Kabul", "Batken") may be several places. The choice is a declared, weighted
list of features (as nomenklatura scores matches), so every choice can explain itself: the
document's countries (from country names, demonyms and state actors it mentions), nearness to
the places it names unambiguously, the gazetteer layer, the kind of place and its population.
A name the gazetteer does not know keeps its name, with no coordinates rather than wrong ones.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from conflictkb.actors import Dictionary, country_of
from conflictkb.aliases import merge_entities
from conflictkb.entities import FoundEntities
from conflictkb.gazetteer import LAYER_RANK, Candidate, Gazetteer, km_between
from conflictkb.model import Entity, Place
from conflictkb.names import entity_key
from conflictkb.normalize import NormalizedText
from conflictkb.vocab import Vocab

# More specific places win when a sentence names several.
PRECISION_RANK = {"point": 0, "district": 1, "region": 2, "country": 3}
NEAR_KM = 300.0


@dataclass
class Context:
    """What the document says about where it is: countries by weight, and places already certain."""

    countries: Counter[str] = field(default_factory=Counter)
    anchors: list[Place] = field(default_factory=list)

    def country_share(self, code: str | None) -> float:
        total = sum(self.countries.values())
        return self.countries.get(code or "", 0) / total if total else 0.0


def _km(a: Place, b: Place) -> float | None:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    return km_between((a.lat, a.lon), (b.lat, b.lon))


def _near(candidate: Candidate, context: Context) -> float:
    distances = [d for a in context.anchors if (d := _km(candidate.place, a)) is not None]
    return 1.0 if distances and min(distances) <= NEAR_KM else 0.0


Feature = tuple[str, float, Callable[[Candidate, Context], float]]
# The score of a candidate: each feature's value (0..1) times its weight.
FEATURES: tuple[Feature, ...] = (
    ("in a country the document names", 4.0, lambda c, ctx: ctx.country_share(c.place.country)),
    ("near a place the document names", 2.0, _near),
    ("gazetteer layer", 1.0, lambda c, ctx: LAYER_RANK.get(c.layer, 0) / max(LAYER_RANK.values())),
    ("population", 1.0, lambda c, ctx: min(math.log10(c.population + 1) / 7.0, 1.0)),
    ("called so by its own name", 0.5, lambda c, ctx: 0.0 if c.other_name else 1.0),
)


def score(candidate: Candidate, context: Context) -> tuple[float, list[str]]:
    """A candidate's score and, for each feature that counted, its share of it."""
    total, why = 0.0, []
    for name, weight, feature in FEATURES:
        value = weight * feature(candidate, context)
        total += value
        if value:
            why.append(f"{name} +{value:.2f}")
    return total, why


# A town or village abroad (in no country the document is much about, far from every place it
# names) is taken only if it is at least this large: "Shaartuz" in a story about Tajikistan that
# says "Russian" once is not a village of 3,000 people in the Caucasus that GeoNames also calls
# so; "New York" still is New York.
MIN_POPULATION_ABROAD = 100_000
MIN_COUNTRY_SHARE = 0.1  # "much about": this share of the document's country mentions


# A city this large in a country the document is about is that city, however the parser labelled
# the name ("the Houthis, who control Sanaa" took Sanaa for a person).
MAJOR_CITY = 1_000_000


def plausible(candidate: Candidate, context: Context) -> bool:
    """Could the document mean this place? Always, without context; a town abroad only if large."""
    if not context.countries or candidate.layer in ("curated", "user", "country"):
        return True
    if context.country_share(candidate.place.country) >= MIN_COUNTRY_SHARE or _near(candidate, context) > 0:
        return True
    return candidate.place.precision != "point" or candidate.population >= MIN_POPULATION_ABROAD


def choose(candidates: list[Candidate], context: Context) -> tuple[Candidate, list[str]] | None:
    """The best-scoring plausible candidate and why."""
    candidates = [c for c in candidates if plausible(c, context)]
    if not candidates:
        return None
    scored = [(score(c, context), c) for c in candidates]
    (_, why), best = max(scored, key=lambda s: s[0][0])
    return best, why


def _candidates(entity: Entity, gazetteer: Gazetteer) -> list[Candidate]:
    found = gazetteer.candidates(entity.name)
    for alias in entity.aliases:
        if not found:
            found = gazetteer.candidates(alias)
    code = country_of(entity.ref)
    if code is not None:
        # A country named by the dictionary is the country, not a town of that name near the others.
        return [c for c in found if c.layer == "country" and c.place.country == code] or found
    return found


def resolve_places(entities: list[Entity], gazetteer: Gazetteer, context: Context | None = None) -> dict[str, Place]:
    """Entity id -> Place for every place entity, chosen in the document's context.

    Unambiguous names (one candidate) are settled first and become anchors for the others.
    """
    context = context or Context()
    options = {e.id: _candidates(e, gazetteer) for e in entities if e.kind == "place"}
    for found in options.values():
        if len(found) == 1 and found[0].place.precision != "country" and plausible(found[0], context):
            context.anchors.append(found[0].place)
    resolved: dict[str, Place] = {}
    for entity in entities:
        if entity.kind != "place":
            continue
        chosen = choose(options[entity.id], context)
        resolved[entity.id] = chosen[0].place if chosen else Place(name=entity.name)
    return resolved


def used_as_place(span: SpacySpan, vocab: Vocab) -> bool:
    """Does the text use this name as a place: "at Namangan", "a Dushanbe prison", "Andijan region",
    "the resort of Bostanlyk"?"""
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ in vocab.locative_preps:
        return True
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lemma_.lower() in vocab.place_nouns:
        return True
    if root.dep_ in ("compound", "nmod", "amod") and root.head.lemma_.lower() in vocab.place_nouns:
        return True
    if root.dep_ == "compound" and root.head.lemma_.lower() in vocab.triggers_by_first:
        return True  # "the Andijan massacre", "the Karachi attack": an incident named by its place
    following = span.doc[span.end] if span.end < len(span.doc) else None
    if following is not None and following.text == "," and _opens_a_dateline(span):
        return True  # "MOGADISHU, Oct 29, 2022 -": a wire story's dateline names where it was filed
    return following is not None and following.lemma_.lower() in vocab.place_nouns


def _opens_a_dateline(span: SpacySpan) -> bool:
    """A name in capitals that opens a line ("DUSHANBE, Tajikistan, Sept. 21 (UPI) --")."""
    starts_line = span.start == 0 or "\n" in span.doc[span.start - 1].text_with_ws
    return starts_line and span.text.isupper() and len(span.text) > 2


def find_misread_places(
    doc: Doc, found: FoundEntities, norm: NormalizedText, gazetteer: Gazetteer, context: Context, vocab: Vocab
) -> None:
    """Names the parser took for an organisation, a person or a people ("Dushanbe" as ORG,
    "Andijan" as NORP) that the text uses as a place the gazetteer knows in the document's countries,
    or that are a major city there ("who control Sanaa")."""
    for ent in [*doc.ents, *_unlabelled_names(doc)]:
        if ent.ent_id_ or ent.label_ not in ("ORG", "NORP", "PERSON", ""):
            continue
        owner = found.get(found.by_token.get(ent.start, ""))
        if owner is not None and (owner.ref is not None or owner.kind == "place"):
            continue
        known = gazetteer.candidates(ent.text)
        here = known if _opens_a_dateline(ent) else [c for c in known if context.country_share(c.place.country) > 0]
        major = any(c.population >= MAJOR_CITY and c.place.precision == "point" for c in here)
        if not (here and (major or used_as_place(ent, vocab))) and not (not here and _named_as_a_place(ent, vocab)):
            continue
        why = f"used as a place ('{ent.sent.text.strip()[:60]}')"
        if owner is None:
            found.add_mention(ent, norm, "place")
            continue
        owner.kind = "place"
        owner.merges.append(f"{owner.name}: {why}")
        same = found.by_key.get(f"place:{entity_key(owner.name)}")
        if same is not None and same is not owner and same in found.entities:
            merge_entities(found, same, owner, "the same place")  # "Palmyra" named as a place before


def _named_as_a_place(ent: SpacySpan, vocab: Vocab) -> bool:
    """ "the Badia region", "the town of Mahas": a name the gazetteer lacks (in the document's
    countries) that a place noun makes a place all the same (kept as a name, with no coordinates
    unless the gazetteer has a plausible place of that name)."""
    root = ent.root
    if root.dep_ in ("compound", "nmod") and root.head.lemma_.lower() in vocab.place_nouns and root.head.i == ent.end:
        return True
    return root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lemma_.lower() in vocab.place_nouns


def find_misread_people(doc: Doc, found: FoundEntities, gazetteer: Gazetteer, vocab: Vocab) -> None:
    """Names the parser took for a place that no gazetteer knows and that the text treats as a
    person: in apposition to a role ("the head of the press center, Khushnud Rahmatulloyev") or
    saying something ("Khushnud Rahmatulloyev said")."""
    for ent in doc.ents:
        owner = found.get(found.by_token.get(ent.start, ""))
        if owner is None or owner.kind != "place" or owner.ref is not None or len(ent) < 2:
            continue
        root = ent.root
        role = root.head if root.dep_ == "appos" else next((c for c in root.children if c.dep_ == "appos"), None)
        as_role = role is not None and role.lemma_.lower() in vocab.relation_roles
        speaks = root.dep_ == "nsubj" and root.head.lemma_.lower() in vocab.assertion_verbs
        if (as_role or speaks) and not gazetteer.candidates(ent.text):
            owner.kind = "person"
            owner.merges.append(f"{owner.name}: a person, not a place ('{ent.sent.text.strip()[:60]}')")


def find_capitals(doc: Doc, found: FoundEntities, norm: NormalizedText, dictionary: Dictionary) -> None:
    """ "The Uzbek capital", "Tajikistan's capital": the country's capital city (data/countries.yaml)."""
    for ent in doc.ents:
        country = dictionary.countries.get(country_of(ent.ent_id_) or "")
        after = word_after(ent)
        if country is None or not country.capital or after is None or after.lemma_.lower() != "capital":
            continue
        if after.i in found.by_token:
            continue
        span = doc[ent.start : after.i + 1]
        entity = found.add_mention(span, norm, "place", country.capital, f"capital:{country.code}")
        if entity is not None:  # (the mention's words are the capital's now: add_mention maps them)
            entity.merges.append(f"{span.text} = {country.capital}: the capital of {country.names[0]}")
    _bare_capitals(doc, found, norm, dictionary)


def word_after(ent: SpacySpan) -> Token | None:
    """The word after a name, past a possessive ("Tajikistan's capital", "the Tajik border")."""
    doc, i = ent.doc, ent.end
    if i < len(doc) and doc[i].tag_ == "POS":
        i += 1
    return doc[i] if i < len(doc) else None


def _sentence_countries(sent: SpacySpan, dictionary: Dictionary) -> set[str]:
    """The countries a sentence names, by name or demonym or through a state actor of theirs."""
    return {code for ent in sent.ents if (code := dictionary.country_meant(ent.ent_id_)) is not None}


def _bare_capitals(doc: Doc, found: FoundEntities, norm: NormalizedText, dictionary: Dictionary) -> None:
    """ "The Uzbek security forces sealed off the capital": "the capital" alone, in a sentence naming
    one country, is that country's capital."""
    for tok in doc:
        if tok.lower_ != "capital" or tok.pos_ != "NOUN" or tok.i in found.by_token or tok.i == 0:
            continue
        if doc[tok.i - 1].lower_ != "the":
            continue
        codes = _sentence_countries(tok.sent, dictionary)
        country = dictionary.countries.get(next(iter(codes))) if len(codes) == 1 else None
        if country is None or not country.capital:
            continue
        span = doc[tok.i - 1 : tok.i + 1]
        entity = found.add_mention(span, norm, "place", country.capital, f"capital:{country.code}")
        if entity is not None:
            entity.merges.append(f"{span.text} = {country.capital}: the capital of {country.names[0]}, named with it")


def _unlabelled_names(doc: Doc) -> list[SpacySpan]:
    """Capitalised words no entity covers ("in Tavil-Dara" when the parser saw no name there)."""
    names = []
    for tok in doc:
        if tok.ent_type_ or not tok.text[:1].isupper() or tok.dep_ != "pobj" or tok.is_sent_start:
            continue
        start = min((c.i for c in tok.lefts if c.dep_ == "compound" and c.text[:1].isupper()), default=tok.i)
        names.append(doc[start : tok.i + 1])
    return names


def specificity(place: Place) -> int:
    """Smaller is more specific; places with no precision (unknown names) rank last."""
    return PRECISION_RANK.get(place.precision or "", len(PRECISION_RANK))


def with_country_context(place: Place, country: str | None) -> Place:
    """An unknown place in a sentence about one country at least says which country."""
    return replace(place, country=country) if place.country is None and country else place


def in_the_sentences_country(place: Place, sent: SpacySpan, dictionary: Dictionary) -> Place:
    """A feature that spans several countries, in a sentence that names just one of them ("Kyrgyz
    authorities launched an operation in the country's section of the Ferghana Valley"), is that
    country's part of it."""
    if not place.countries:
        return place
    named = _sentence_countries(sent, dictionary) & set(place.countries)
    return replace(place, country=named.pop(), admin1=None) if len(named) == 1 and place.country not in named else place
