"""The actor and country dictionaries: who can be named, under which names, as patterns.

``data/actors.yaml`` lists armed groups, organisations, named state institutions and persons
with their aliases; ``data/countries.yaml`` gives every country's names and adjectives, from
which each country's government and security forces are generated ("Tajik troops" -> "Tajik
security forces"). A user adds actors with a YAML file of the same shape (``--actors FILE``).
From all of it, ``ruler_patterns`` makes the patterns of a spaCy entity ruler that runs beside
the statistical NER: a listed actor is recognised under any of its names, an unlisted one is
still found by the NER.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from conflictkb.translit import skeleton
from conflictkb.vocab import DATA_DIR, VocabError, read_yaml

_KINDS = ("armed_group", "organization", "state_actor", "person")
LABELS = {"armed_group": "ORG", "organization": "ORG", "state_actor": "ORG", "person": "PERSON"}
ACTOR_PREFIX = "actor:"
COUNTRY_PREFIX = "country:"


@dataclass(frozen=True)
class Actor:
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    parent: str | None = None
    former_names: tuple[tuple[str, int | None], ...] = ()
    # A person's years in the office named in their source note (from, until; until None: still).
    in_office: tuple[int, int | None] | None = None

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, *(n for n, _ in self.former_names))


@dataclass(frozen=True)
class Country:
    code: str
    names: tuple[str, ...]
    demonyms: tuple[str, ...]
    adjectives: tuple[str, ...]
    capital: str | None = None
    historical_place_names: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Dictionary:
    """Every known actor (listed and generated) and every country, looked up by canonical name."""

    actors: dict[str, Actor]
    countries: dict[str, Country]
    # Transliteration skeletons of the listed groups' multi-word names -> the actors that bear them.
    skeletons: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)

    def country_by_name(self) -> dict[str, str]:
        """Country names, lower case -> ISO code."""
        return {n.lower(): c.code for c in self.countries.values() for n in c.names}

    def demonyms(self) -> dict[str, str]:
        """Demonyms and adjectives, lower case -> ISO code."""
        return {d.lower(): c.code for c in self.countries.values() for d in (*c.demonyms, *c.adjectives)}

    def actor_of(self, ref: str | None) -> Actor | None:
        """The listed actor an entity-ruler id names ("actor:Taliban"), if it names one."""
        prefix, _, name = (ref or "").partition(":")
        return self.actors.get(name) if prefix + ":" == ACTOR_PREFIX else None

    def latest_term(self, refs: Iterable[str]) -> tuple[int, int | None] | None:
        """Of the listed office-holders these entity-ruler ids name, the term that began last: a story
        naming "the interim government headed by Rosa Otunbayeva" was written in 2010 or after."""
        terms = [a.in_office for a in map(self.actor_of, refs) if a is not None and a.in_office is not None]
        return max(terms, key=lambda term: term[0]) if terms else None

    def country_meant(self, ref: str | None) -> str | None:
        """The country an entity-ruler id points to: the country it names, or a listed actor's."""
        actor = self.actor_of(ref)
        return country_of(ref) or (str(actor.country) if actor is not None and actor.country else None)


def country_of(ref: str | None) -> str | None:
    """The country code an entity-ruler id names ("country:TJ" -> "TJ"), if it names a country."""
    prefix, _, code = (ref or "").partition(":")
    return code if prefix + ":" == COUNTRY_PREFIX and code else None


def _actor(entry: dict[str, Any], path: Path) -> Actor:
    if not isinstance(entry, dict) or not entry.get("name") or entry.get("kind") not in _KINDS:
        raise VocabError(f"{path}: each actor needs a name and a kind among {', '.join(_KINDS)}: {entry!r}")
    former = tuple((str(f["name"]), f.get("until")) for f in entry.get("former_names") or [])
    return Actor(
        name=str(entry["name"]),
        kind=str(entry["kind"]),
        aliases=tuple(str(a) for a in entry.get("aliases") or []),
        country=entry.get("country"),
        parent=entry.get("parent"),
        former_names=former,
        in_office=_years_in_office(entry.get("in_office"), path),
    )


def _years_in_office(value: Any, path: Path) -> tuple[int, int | None] | None:
    """``in_office: [2010, 2011]`` (or ``[2016, null]`` for a term still running)."""
    if value is None:
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not isinstance(value[0], int)
        or (value[1] is not None and not isinstance(value[1], int))
    ):
        raise VocabError(f"{path}: in_office must be [from year, until year or null]: {value!r}")
    return value[0], value[1]


def load_actor_file(path: Path) -> list[Actor]:
    """The actors of one file, checked: YAML (``actors: [...]``, the shape of data/actors.yaml) or
    CSV with a header ``name,kind,aliases,country`` (aliases separated by ``;``)."""
    if path.suffix.lower() == ".csv":
        return [_actor(row, path) for row in _csv_rows(path)]
    return [_actor(e, path) for e in read_yaml(path).get("actors") or []]


def _csv_rows(path: Path) -> list[dict[str, Any]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise VocabError(f"{path}: cannot read: {exc}") from exc
    for row in rows:
        row["aliases"] = [a.strip() for a in (row.get("aliases") or "").split(";") if a.strip()]
        row["country"] = (row.get("country") or "").strip() or None
    return rows


def load_actor_files(paths: Iterable[Path]) -> tuple[Actor, ...]:
    """The actors of several user files, in order."""
    return tuple(actor for path in paths for actor in load_actor_file(path))


def _countries(data: dict[str, Any]) -> dict[str, Country]:
    out = {}
    for code, spec in (data.get("countries") or {}).items():
        demonyms = tuple(str(d) for d in spec.get("demonyms") or [])
        out[str(code)] = Country(
            code=str(code),
            names=tuple(str(n) for n in spec.get("names") or []),
            demonyms=demonyms,
            adjectives=tuple(str(a) for a in spec.get("adjectives") or demonyms[:1]),
            capital=spec.get("capital"),
            historical_place_names={str(k): str(v) for k, v in (spec.get("historical_place_names") or {}).items()},
        )
    return out


def _fill(template: str, country: Country, adjective: str) -> str:
    first = country.names[0]
    possessive = first + ("'" if first.endswith("s") else "'s")
    return (
        template.replace("{country_possessive}", possessive).replace("{country}", first).replace("{demonym}", adjective)
    )


def state_actors(data: dict[str, Any], countries: dict[str, Country]) -> list[Actor]:
    """Each country's government and security forces, named by the templates."""
    generated = []
    for country in countries.values():
        if not country.names or not country.adjectives:
            continue
        extra = (data.get("countries") or {}).get(country.code, {}).get("extra_aliases") or {}
        for template in data.get("state_actor_templates") or []:
            aliases = {_fill(a, country, adj) for a in template.get("aliases") or [] for adj in country.adjectives}
            aliases |= {str(a) for a in extra.get(template.get("id"), [])}
            name = _fill(str(template["name"]), country, country.adjectives[0])
            generated.append(Actor(name, str(template["kind"]), tuple(sorted(aliases - {name})), country.code))
    return generated


@lru_cache(maxsize=8)
def load_dictionary(extra: tuple[Actor, ...] = ()) -> Dictionary:
    """Our actors and countries, the generated state actors, then the user's actors (``extra``:
    from ``--actors`` files and the store), which add aliases to an actor of the same name."""
    country_data = read_yaml(DATA_DIR / "countries.yaml")
    countries = _countries(country_data)
    actors: dict[str, Actor] = {}
    states = state_actors(country_data, countries)
    generated = {a.name for a in states}
    for actor in [*states, *load_actor_file(DATA_DIR / "actors.yaml"), *extra]:
        old = actors.get(actor.name)
        if old is not None:
            aliases = tuple(dict.fromkeys((*old.aliases, *actor.aliases)))
            actor = Actor(
                old.name, actor.kind, aliases, actor.country or old.country, old.parent, old.former_names, old.in_office
            )
        actors[actor.name] = actor
    return Dictionary(actors, countries, _skeletons(a for a in actors.values() if a.name not in generated))


def _skeletons(actors: Iterable[Actor]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Skeletons of multi-word names, so that an unlisted spelling finds its listed actor."""
    index: dict[tuple[str, ...], set[str]] = {}
    for actor in actors:
        for name in actor.names:
            key = skeleton(name)
            if len(key) >= 2:
                index.setdefault(key, set()).add(actor.name)
    return {k: tuple(sorted(v)) for k, v in index.items()}


def spellings(name: str) -> set[str]:
    """A name as reporting writes it: with hyphens, with spaces, joined ("Lashkar-e-Taiba")."""
    forms = {name}
    if "-" in name:
        forms |= {name.replace("-", " "), name.replace("-", "")}
    return {" ".join(f.split()) for f in forms if f.strip()}


def _is_case_sensitive(name: str) -> bool:
    """Single plain words match with their case ("RAW" the agency, not "raw"); phrases, and words the
    tokenizer splits ("Al-Qaeda"), match any case through the phrase matcher."""
    return name.isalnum()


def ruler_patterns(
    dictionary: Dictionary, places: Iterable[tuple[str, str]] = ()
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Entity-ruler patterns for every actor name, country name and demonym, and given places:
    phrases (to match in any case) and single words (to match as spelled, or in capitals for
    headlines). Both are phrase patterns, which match in time independent of their number."""
    phrases: list[dict[str, Any]] = []
    words: list[dict[str, Any]] = []

    def add(text: str, label: str, ent_id: str) -> None:
        for form in spellings(text):
            if _is_case_sensitive(form):
                words.extend({"label": label, "pattern": v, "id": ent_id} for v in sorted({form, form.upper()}))
            else:
                phrases.append({"label": label, "pattern": form, "id": ent_id})

    for actor in dictionary.actors.values():
        for name in actor.names:
            add(name, LABELS[actor.kind], ACTOR_PREFIX + actor.name)
    for country in dictionary.countries.values():
        for name in country.names:
            add(name, "GPE", COUNTRY_PREFIX + country.code)
        # A form that is also a name ("U.S.", "UK") names the country: it stays a place, which the
        # text may use as an actor ("a U.S. bombing campaign"), not a people.
        for adjective in sorted({*country.demonyms, *country.adjectives} - set(country.names)):
            add(adjective, "NORP", COUNTRY_PREFIX + country.code)
    for name, place_id in places:
        add(name, "LOC", place_id)
    return phrases, words


def actors_from_rows(rows: Iterable[dict[str, Any]]) -> tuple[Actor, ...]:
    """Actors stored in a knowledge base (its ``user_actors`` table) as Actor objects."""
    out = []
    for row in rows:
        aliases = row["aliases"] if isinstance(row["aliases"], list) else json.loads(row["aliases"] or "[]")
        out.append(Actor(str(row["name"]), str(row["kind"]), tuple(str(a) for a in aliases), row.get("country")))
    return tuple(out)
