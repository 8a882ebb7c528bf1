"""The score of a GTD or ACLED row as a record of an incident: a declared list of weighted features.

As nomenklatura scores matches, each feature looks at one thing (the date, the country, the place,
the perpetrator, the toll, the type), gives a value from 0 to 1 and says why in words; the score is
the weighted sum and the explanation is every feature that counted with its share. A feature may
also rule the pair out (dates that cannot both hold, two different countries). What each feature
measures is code (``JUDGES``); its weight, description and partial values are knowledge, declared
in ``data/link.yaml`` (a user folder's ``link.yaml`` changes them), and the file's order is the
order of the explanation.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from conflictkb.export import acled, gtd
from conflictkb.export.incidents import Incident, event_types
from conflictkb.gazetteer import km_between
from conflictkb.link_rows import Row
from conflictkb.names import entity_key

# The same merge as the vocabularies', so a user folder changes a weight as it extends a vocabulary.
from conflictkb.vocab import VocabError, _merged

FILE = "link.yaml"
# Knowledge-base entity id -> every name key the documents use for it (perpetrators match by any).
Names = Mapping[int, set[str]]


@dataclass(frozen=True, slots=True, order=True)
class Verdict:
    """One feature's finding on one pair: its value (0-1) and why, in words."""

    value: float
    reason: str


NOTHING = Verdict(0.0, "")
# A feature's finding on (incident, row), given the names of entities and its values from link.yaml;
# None when the pair cannot be one incident.
Judge = Callable[[Incident, Row, Names, Mapping[str, float]], Verdict | None]


@dataclass(frozen=True, slots=True)
class Feature:
    """One declared part of the score: what it measures, its weight and its partial values."""

    name: str
    weight: float
    description: str
    values: Mapping[str, float]
    judge: Judge

    def find(self, inc: Incident, row: Row, names: Names) -> Verdict | None:
        return self.judge(inc, row, names, self.values)

    def explain(self, verdict: Verdict) -> str:
        """Why, and this feature's share of the score: "same day (1999-02-16) +0.35"."""
        return f"{verdict.reason} +{self.weight * verdict.value:.2f}"


@dataclass(frozen=True, slots=True)
class Scoring:
    """The declared features, in order, and the score a row needs to be linked."""

    threshold: float
    features: tuple[Feature, ...]

    @property
    def weights(self) -> dict[str, float]:
        return {f.name: f.weight for f in self.features}

    def score(self, inc: Incident, row: Row, names: Names) -> tuple[float, list[str]] | None:
        """The weighted score of ``row`` as a record of ``inc`` and why; None when they cannot be one."""
        total, why = 0.0, []
        for feature in self.features:
            verdict = feature.find(inc, row, names)
            if verdict is None:
                return None
            total += feature.weight * verdict.value
            if verdict.value > 0 and verdict.reason:
                why.append(feature.explain(verdict))
        return total, why


def score(inc: Incident, row: Row, names: Names, scoring: Scoring | None = None) -> tuple[float, list[str]] | None:
    """The score of ``row`` as a record of ``inc`` by ``scoring`` (default: the shipped link.yaml)."""
    return (scoring or load_scoring()).score(inc, row, names)


# --- the features ------------------------------------------------------------------------------------------


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _date(inc: Incident, row: Row, names: Names, v: Mapping[str, float]) -> Verdict | None:
    """How well the dates agree; None when they cannot both hold (another year or month, days apart)."""
    ours, theirs = inc.date or "", row.date or ""
    if not ours or not theirs or ours[:4] != theirs[:4]:
        return None
    if "year" in (inc.date_precision, row.precision):
        return Verdict(v["same_year"], f"same year ({ours[:4]})")
    a, b = _day(ours), _day(theirs)
    if a is None or b is None or "month" in (inc.date_precision, row.precision):
        return Verdict(v["same_month"], f"same month ({ours[:7]})") if ours[:7] == theirs[:7] else None
    apart = abs((a - b).days)
    if apart == 0:
        return Verdict(1.0, f"same day ({ours})")
    between = f"({ours} / {theirs})"
    for most, value in ((1, "one_day"), (3, "three_days"), (7, "week")):
        if apart <= most:
            return Verdict(v[value], f"a day apart {between}" if apart == 1 else f"{apart} days apart {between}")
    return None


def _country(inc: Incident, row: Row, names: Names, v: Mapping[str, float]) -> Verdict | None:
    """The same country; two known and different countries cannot be one incident."""
    if not (inc.country and row.country):
        return NOTHING
    if inc.country.upper() != row.country.upper():
        return None
    return Verdict(1.0, f"same country ({row.country_txt})")


def _place(inc: Incident, row: Row, names: Names, v: Mapping[str, float]) -> Verdict:
    """The same place name (a near spelling too), else coordinates close by."""
    place = inc.place
    if place is None:
        return NOTHING
    ours = entity_key(place.name)
    for name in row.places:
        theirs = entity_key(name)
        if theirs and (theirs == ours or (len(ours) > 3 and fuzz.ratio(ours, theirs) >= v["similarity"])):
            return Verdict(1.0, f"same place ({place.name} / {name})")
    if place.lat is None or place.lon is None or row.lat is None or row.lon is None:
        return NOTHING
    km = km_between((place.lat, place.lon), (row.lat, row.lon))
    if km <= v["near_km"]:
        return Verdict(v["near"], f"{km:.0f} km apart")
    if km <= v["around_km"]:
        return Verdict(v["around"], f"{km:.0f} km apart")
    return NOTHING


def _perpetrator(inc: Incident, row: Row, names: Names, v: Mapping[str, float]) -> Verdict:
    """A perpetrator, under any name the documents use for it, is one of the row's named actors."""
    theirs = {entity_key(a): a for a in row.known_actors}
    best = NOTHING
    for actor in inc.perpetrators:
        ours = {entity_key(actor.name)} | (names.get(actor.entity_id, set()) if actor.entity_id is not None else set())
        for key, shown in theirs.items():
            if key in ours:
                return Verdict(1.0, f"perpetrator {actor.name} ({shown})")
            if len(key) > 5 and any(len(k) > 5 and fuzz.token_sort_ratio(k, key) >= v["similarity"] for k in ours):
                best = max(best, Verdict(v["similar"], f"perpetrator {actor.name} ~ {shown}"))
    return best


def _toll(inc: Incident, row: Row, names: Names, v: Mapping[str, float]) -> Verdict:
    """The number killed (or wounded, when either side has no figure killed) that a report states."""
    for toll, theirs in (("killed", row.killed), ("wounded", row.wounded)):
        ours = [f.value for f in inc.figures[toll]]
        if theirs is None or not ours:
            continue
        if theirs in ours:
            return Verdict(1.0, f"{toll} {theirs}")
        close = min(ours, key=lambda x: abs(x - theirs))
        if abs(close - theirs) <= max(v["close_by"], v["close_share"] * max(close, theirs)):
            return Verdict(v["close"], f"{toll} close ({close} / {theirs})")
        return NOTHING
    return NOTHING


def _type(inc: Incident, row: Row, names: Names, v: Mapping[str, float]) -> Verdict:
    """The row's type is the one our exports give the incident: the GTD attack type of our type, or
    ACLED's event or sub-event type (a battle for an assault on armed targets only, as ACLED codes it,
    and our type's plain mapping too)."""
    if row.dataset == "gtd":
        wanted = {gtd.attack_type(inc.type) or ""}
    else:
        mapping = (event_types().get(inc.type) or {}).get("acled") or {}
        plain = (str(mapping.get("event_type") or ""), str(mapping.get("sub_event_type") or ""))
        wanted = {*acled.acled_type(inc), *plain}
    hits = [t for t in row.types if t and t in wanted]
    return Verdict(1.0, f"type {hits[0]}") if hits else NOTHING


# What each feature of link.yaml measures, and the partial values it reads from there.
JUDGES: dict[str, tuple[Judge, tuple[str, ...]]] = {
    "date": (_date, ("one_day", "three_days", "week", "same_month", "same_year")),
    "country": (_country, ()),
    "place": (_place, ("similarity", "near_km", "near", "around_km", "around")),
    "perpetrator": (_perpetrator, ("similarity", "similar")),
    "toll": (_toll, ("close_by", "close_share", "close")),
    "type": (_type, ()),
}


# --- loading link.yaml ---------------------------------------------------------------------------------------


@lru_cache(maxsize=8)
def load_scoring(extra_dirs: tuple[Path, ...] = ()) -> Scoring:
    """The features of ``link.yaml`` (changed by each user folder's), checked: every feature the code
    measures is declared with a weight, and every value it reads is a number."""
    data = _merged(FILE, extra_dirs)
    declared = data.get("features")
    if not isinstance(declared, dict):
        raise VocabError(f"{FILE}: features must be a mapping of feature name to weight, description, values")
    unknown = [name for name in declared if name not in JUDGES]
    if unknown:
        raise VocabError(f"{FILE}: unknown feature {unknown[0]!r} (the features are {', '.join(JUDGES)})")
    missing = [name for name in JUDGES if name not in declared]
    if missing:
        raise VocabError(f"{FILE}: feature {missing[0]!r} is not declared")
    features = tuple(_feature(name, spec) for name, spec in declared.items())
    return Scoring(_number(data.get("threshold"), "threshold", 1.0), features)


def _feature(name: str, spec: Any) -> Feature:
    if not isinstance(spec, dict):
        raise VocabError(f"{FILE}: features.{name} must be a mapping with weight, description and values")
    judge, wanted = JUDGES[name]
    values = spec.get("values") or {}
    if not isinstance(values, dict):
        raise VocabError(f"{FILE}: features.{name}.values must be a mapping")
    checked = {key: _number(values.get(key), f"features.{name}.values.{key}") for key in wanted}
    weight = _number(spec.get("weight"), f"features.{name}.weight", 1.0)
    return Feature(name, weight, str(spec.get("description") or ""), checked, judge)


def _number(value: Any, where: str, most: float = math.inf) -> float:
    """A number from 0 to ``most``; anything else is an error naming the key."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= most:
        bound = f" from 0 to {most:g}" if most < math.inf else " of 0 or more"
        raise VocabError(f"{FILE}: {where} must be a number{bound}, not {value!r}")
    return float(value)
