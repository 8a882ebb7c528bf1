"""Places named by a phrase rather than by a gazetteer name: a country's border ("fled to the Tajik
border"), and a place the gazetteer lacks that the text locates relative to one it knows ("the
resort of Bostanlyk some 100 kilometres north of Tashkent", "Kalaya, 30 km south-east of
Mogadishu").

A border is a place in that country with no one point. A located place gets the point that far in
that direction from the known one (or the known one's point, "within" that distance, when the text
gives no direction), the known place's country, and precision "district": it is only as exact as
the text's round figures. Every such choice is written in the place's ``source``. The words (units,
bearings, hedges, border nouns) are in ``data/cues.yaml``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from conflictkb.actors import Dictionary, country_of
from conflictkb.entities import FoundEntities
from conflictkb.gazetteer import EARTH_KM, km_between
from conflictkb.model import Place
from conflictkb.normalize import NormalizedText
from conflictkb.places import word_after
from conflictkb.tolls import words_to_number
from conflictkb.vocab import Vocab

BORDER_PREFIX = "border:"
_NEVER_PLACES = ("armed_group", "state_actor")


def find_borders(doc: Doc, found: FoundEntities, norm: NormalizedText, vocab: Vocab, dictionary: Dictionary) -> None:
    """ "the Tajik border", "Afghanistan's border": the border of that country, as a place."""
    for ent in doc.ents:
        code, noun = country_of(ent.ent_id_), word_after(ent)
        if code not in dictionary.countries or noun is None or noun.lemma_.lower() not in vocab.border_nouns:
            continue
        if noun.i in found.by_token:
            continue
        span = doc[ent.start : noun.i + 1]
        entity = found.add_mention(span, norm, "place", ref=BORDER_PREFIX + code)
        if entity is not None:
            entity.merges.append(f"{span.text}: the border of {dictionary.countries[code].names[0]}")


def border_place(name: str, ref: str | None) -> Place | None:
    """The place of a border entity: its country, no coordinates."""
    if ref is None or not ref.startswith(BORDER_PREFIX):
        return None
    return Place(name=name, country=ref.removeprefix(BORDER_PREFIX), precision="region", source="border")


@dataclass(frozen=True)
class Located:
    """Where the text puts a place: ``km`` from the entity ``anchor``, towards ``bearing`` (degrees)."""

    anchor: str
    km: float
    bearing: float | None
    phrase: str


def find_located_places(doc: Doc, found: FoundEntities, norm: NormalizedText, vocab: Vocab) -> dict[str, Located]:
    """Names followed by a distance from a place: entity id -> where the text puts it."""
    located: dict[str, Located] = {}
    for span in _names(doc):
        where = _distance_after(span, found, vocab)
        owner = found.get(found.by_token.get(span.start, ""))
        if where is None or (owner is not None and (owner.ref is not None or owner.kind in _NEVER_PLACES)):
            continue  # a listed actor, or a group named as one, is not made a place by a distance
        if owner is None:
            owner = found.add_mention(span, norm, "place")
        elif owner.kind != "place":
            owner.kind = "place"
        if owner is not None:
            owner.merges.append(f"{span.text}: a place {where.phrase}")
            located[owner.id] = where
    return located


def _names(doc: Doc) -> list[SpacySpan]:
    """Candidate place names: the parser's names (any label but numbers and dates)."""
    skip = {"DATE", "TIME", "CARDINAL", "ORDINAL", "QUANTITY", "MONEY", "PERCENT"}
    return [ent for ent in doc.ents if ent.label_ not in skip]


def _distance_after(span: SpacySpan, found: FoundEntities, vocab: Vocab) -> Located | None:
    """ "[,] some 100 kilometres north of Tashkent" right after ``span``, with Tashkent a place."""
    doc, i = span.doc, span.end
    i += 1 if i < len(doc) and doc[i].text == "," else 0
    while i < len(doc) and doc[i].lower_ in vocab.distance_hedges:
        i += 1
    if i + 1 >= len(doc) or not doc[i].like_num:
        return None
    number, unit = _number(doc[i]), vocab.distance_units.get(doc[i + 1].lower_)
    if number is None or unit is None:
        return None
    bearing, i = _bearing(doc, i + 2, vocab)
    if i >= len(doc) or doc[i].lower_ not in vocab.distance_from or i + 1 >= len(doc):
        return None
    j = i + 2 if doc[i + 1].lower_ == "the" and i + 2 < len(doc) else i + 1  # "north of the capital"
    anchor = found.get(found.by_token.get(j, ""))
    if anchor is None or anchor.kind != "place":
        return None
    end = j
    while end + 1 < len(doc) and found.by_token.get(end + 1) == anchor.id:
        end += 1  # the whole name: "north of Dera Ismail Khan"
    return Located(anchor.id, number * unit, bearing, doc[span.end : end + 1].text.strip(" ,"))


def _number(tok: Token) -> float | None:
    try:
        return float(tok.text.replace(",", ""))
    except ValueError:
        value = words_to_number(tok.lower_)
        return float(value) if value is not None else None


def _bearing(doc: Doc, i: int, vocab: Vocab) -> tuple[float | None, int]:
    """A compass direction at token ``i`` ("north", "north-east", "to the south"), and the token
    after it; no direction leaves ``i`` where it was."""
    j = i + 2 if doc[i : i + 2].text.lower() == "to the" else i
    for width in (3, 1):
        words = doc[j : j + width]
        text = "".join(t.text for t in words).lower()
        if len(words) == width and text in vocab.bearings:
            return vocab.bearings[text], j + width
    return None, i


# How far (beyond the text's distance) a gazetteer place of that name may lie from the point the
# text gives and still be the place meant: round figures ("some 100 kilometres") are rough.
SLACK = 0.5
SLACK_KM = 25.0


def place_located(name: str, place: Place, where: Located, anchor: Place) -> Place:
    """The place ``name`` the text locates relative to ``anchor``: the gazetteer's choice when it
    lies where the text says, else the point the text gives (the gazetteer lacks the place, or its
    place of that name is another one, far away)."""
    if anchor.lat is None or anchor.lon is None:
        return place if place.country else replace(place, country=anchor.country)
    if place.lat is not None and place.lon is not None:
        if where.bearing is None:  # "50 km from Kabul": anywhere at that distance
            point, reach = (anchor.lat, anchor.lon), where.km * (1 + SLACK) + SLACK_KM
        else:
            point, reach = _destination(anchor.lat, anchor.lon, where.km, where.bearing), where.km * SLACK + SLACK_KM
        if km_between(point, (place.lat, place.lon)) <= reach:
            return place
    source = f"{where.phrase} (located from {anchor.name})"
    if where.bearing is None:
        return Place(name, anchor.country, None, anchor.lat, anchor.lon, None, "region", source)
    lat, lon = _destination(anchor.lat, anchor.lon, where.km, where.bearing)
    return Place(name, anchor.country, None, lat, lon, None, "district", source)


def _destination(lat: float, lon: float, km: float, bearing: float) -> tuple[float, float]:
    """The point ``km`` from (lat, lon) along ``bearing`` degrees, on a sphere."""
    phi, lam, theta, delta = math.radians(lat), math.radians(lon), math.radians(bearing), km / EARTH_KM
    phi2 = math.asin(math.sin(phi) * math.cos(delta) + math.cos(phi) * math.sin(delta) * math.cos(theta))
    lam2 = lam + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(phi), math.cos(delta) - math.sin(phi) * math.sin(phi2)
    )
    return round(math.degrees(phi2), 4), round((math.degrees(lam2) + 540) % 360 - 180, 4)


def place_phrases(places: dict[str, Place], found: FoundEntities, located: dict[str, Located]) -> dict[str, Place]:
    """The places chosen from the gazetteer, with borders and located places filled in."""
    out = dict(places)
    for entity in found.entities:
        border = border_place(entity.name, entity.ref)
        if border is not None:
            out[entity.id] = border
    names = {e.id: e.name for e in found.entities}
    for entity_id, where in located.items():
        place, anchor = out.get(entity_id), out.get(where.anchor)
        if place is not None and anchor is not None:
            out[entity_id] = place_located(names.get(entity_id, place.name), place, where, anchor)
    return out
