"""The ACLED and GTD codebooks (``data/codebooks.yaml``), read once and checked against our vocabulary.

Their codes (ACLED's disorder types, actor type and precision codes; the GTD's attack and target type
codes, specificity) are knowledge an analyst may need to correct or extend as the codebooks change,
so they live in the data file; the exporters write them and ``link`` reads files with them. The
mapping of our event and target types to their texts stays in ``event_types.yaml`` and
``target_types.yaml``; loading checks that every text those files name has a code here, so a user's
edit that names an unknown ACLED event type or GTD attack type fails on loading with the file and the
value, not later as an empty column.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

# The same merge as the vocabularies', so a user folder extends this file as it extends theirs.
from conflictkb.vocab import VocabError, _merged

FILE = "codebooks.yaml"
# Our date and place precisions (docs/schema.md §1): each needs a code in the tables keyed by them.
DATE_PRECISIONS = ("day", "month", "year")
PLACE_PRECISIONS = ("point", "district", "region", "country")


@dataclass(frozen=True, slots=True)
class Codebook:
    """What linking needs of any dataset: its name, and how its files say an actor is not known."""

    label: str
    unknown_actors: tuple[str, ...]  # lower-case starts: "unknown", "unidentified"

    def is_unknown(self, actor: str) -> bool:
        """Whether an actor name of this dataset means "not known" ("Unknown", "Unidentified Armed Group")."""
        return actor.casefold().startswith(self.unknown_actors)


@dataclass(frozen=True, slots=True)
class AcledCodebook(Codebook):
    disorder_types: dict[str, str]  # ACLED event type -> disorder type
    default_type: tuple[str, str]  # (event_type, sub_event_type) of a type mapped to nothing
    civilian_event_types: frozenset[str]  # ACLED event types that need civilian victims
    armed_targets: frozenset[str]  # our target types that are not civilians: those events are against_armed
    against_armed: tuple[str, str]
    civilian_targets: frozenset[str]
    civilians_actor: str
    civilians_inter: int
    civilian_targeting: str
    two_sided_types: frozenset[str]  # our event types whose perpetrators fight each other
    inter_codes: dict[int, str]
    actor_types: dict[str, int]  # our entity kind -> inter code
    unidentified_actor: str
    unidentified_disorders: frozenset[str]
    time_precision: dict[str, int]  # our date precision -> code written
    time_precision_codes: dict[int, str]  # code read -> our date precision
    geo_precision: dict[str, int]
    date_formats: tuple[str, ...]

    def disorder(self, event_type: str) -> str:
        """The disorder type of an ACLED event type (loading checked that every mapped one has one)."""
        return self.disorder_types.get(event_type, self.disorder_types[self.default_type[0]])


@dataclass(frozen=True, slots=True)
class GtdCodebook(Codebook):
    attack_types: dict[str, int]  # attacktype1_txt -> attacktype1
    hostage_attack_types: frozenset[str]
    target_types: dict[str, int]  # targtype1_txt -> targtype1
    unknown: str
    specificity: dict[str, int]  # our place precision -> specificity
    excluded_perpetrator_kinds: frozenset[str]


@dataclass(frozen=True, slots=True)
class Codebooks:
    firm_attributions: tuple[str, ...]
    acled: AcledCodebook
    gtd: GtdCodebook

    @property
    def datasets(self) -> dict[str, Codebook]:
        """The datasets ``link`` reads, by the name its options use (``--gtd``, ``--acled``)."""
        return {"gtd": self.gtd, "acled": self.acled}

    def is_firm(self, attribution: str) -> bool:
        """Whether an attribution holds the actor responsible (stated, claimed) rather than suspects it."""
        return attribution.startswith(self.firm_attributions)


@lru_cache(maxsize=8)
def load_codebooks(extra_dirs: tuple[Path, ...] = ()) -> Codebooks:
    """Read ``codebooks.yaml`` (extended by each user folder's) once, and check it against the event
    and target types of ``event_types.yaml`` and ``target_types.yaml`` (extended the same way)."""
    data = _merged(FILE, extra_dirs)
    books = Codebooks(
        firm_attributions=_texts(data, "firm_attributions"),
        acled=_acled(_mapping(data, "acled"), "acled"),
        gtd=_gtd(_mapping(data, "gtd"), "gtd"),
    )
    _check(books, _merged("event_types.yaml", extra_dirs), _merged("target_types.yaml", extra_dirs))
    return books


def _acled(d: dict[str, Any], at: str) -> AcledCodebook:
    civilians, unidentified = _mapping(d, "civilians", at), _mapping(d, "unidentified", at)
    return AcledCodebook(
        label=_text(d, "label", at),
        unknown_actors=tuple(t.casefold() for t in _texts(d, "unknown_actors", at)),
        disorder_types={str(k): str(v) for k, v in _mapping(d, "disorder_types", at).items()},
        default_type=_type_pair(d, "default_type", at),
        civilian_event_types=frozenset(_texts(d, "civilian_event_types", at)),
        armed_targets=frozenset(_texts(d, "armed_targets", at)),
        against_armed=_type_pair(d, "against_armed", at),
        civilian_targets=frozenset(_texts(d, "civilian_targets", at)),
        civilians_actor=_text(civilians, "actor", f"{at}.civilians"),
        civilians_inter=_code(civilians.get("inter"), f"{at}.civilians.inter"),
        civilian_targeting=_text(civilians, "targeting", f"{at}.civilians"),
        two_sided_types=frozenset(_texts(d, "two_sided_types", at)),
        inter_codes={_code(k, f"{at}.inter_codes"): str(v) for k, v in _mapping(d, "inter_codes", at).items()},
        actor_types=_codes(d, "actor_types", at),
        unidentified_actor=_text(unidentified, "actor", f"{at}.unidentified"),
        unidentified_disorders=frozenset(_texts(unidentified, "disorder_types", f"{at}.unidentified")),
        time_precision=_codes(d, "time_precision", at, DATE_PRECISIONS),
        time_precision_codes={
            _code(k, f"{at}.time_precision_codes"): str(v) for k, v in _mapping(d, "time_precision_codes", at).items()
        },
        geo_precision=_codes(d, "geo_precision", at, PLACE_PRECISIONS),
        date_formats=_texts(d, "date_formats", at),
    )


def _gtd(d: dict[str, Any], at: str) -> GtdCodebook:
    return GtdCodebook(
        label=_text(d, "label", at),
        unknown_actors=tuple(t.casefold() for t in _texts(d, "unknown_actors", at)),
        attack_types=_codes(d, "attack_types", at),
        hostage_attack_types=frozenset(_texts(d, "hostage_attack_types", at)),
        target_types=_codes(d, "target_types", at),
        unknown=_text(d, "unknown", at),
        specificity=_codes(d, "specificity", at, PLACE_PRECISIONS),
        excluded_perpetrator_kinds=frozenset(_texts(d, "excluded_perpetrator_kinds", at)),
    )


def _check(books: Codebooks, event_types: dict[str, Any], target_types: dict[str, Any]) -> None:
    """Every text our vocabulary maps to, and every type this file names, is known where it must be."""
    acled, gtd = books.acled, books.gtd
    mapped = [(spec.get("acled") or {}).get("event_type") for spec in event_types.values()]
    known = acled.disorder_types
    _known([t for t in mapped if t], known, "event_types.yaml names the ACLED event type", "acled.disorder_types")
    named = [acled.default_type[0], acled.against_armed[0], *acled.civilian_event_types]
    _known(named, known, "the ACLED event type", "acled.disorder_types")
    _known(acled.unidentified_disorders, set(known.values()), "a disorder type", "acled.disorder_types")
    _known([*acled.actor_types.values(), acled.civilians_inter], acled.inter_codes, "the code", "acled.inter_codes")
    _known(acled.time_precision_codes.values(), DATE_PRECISIONS, "the date precision", "our date precisions")
    _known(acled.armed_targets | acled.civilian_targets, target_types, "the target type", "target_types.yaml")
    _known(acled.two_sided_types, event_types, "the event type", "event_types.yaml")
    attacks = [spec.get("gtd") for spec in event_types.values()]
    _known([t for t in attacks if t], gtd.attack_types, "event_types.yaml names the attack type", "gtd.attack_types")
    _known(gtd.hostage_attack_types, gtd.attack_types, "the attack type", "gtd.attack_types")
    targets = [spec.get("gtd") for spec in target_types.values() if isinstance(spec, dict)]
    wanted = [*(t for t in targets if t), gtd.unknown]
    _known(wanted, gtd.target_types, "target_types.yaml names the target type", "gtd.target_types")


def _known(values: Iterable[Any], allowed: Iterable[Any], what: str, where: str) -> None:
    allowed = set(allowed)
    for value in values:
        if value not in allowed:
            raise VocabError(f"{FILE}: {what} {value!r}, which is not in {where}")


def _mapping(d: dict[str, Any], key: str, at: str = "") -> dict[str, Any]:
    value = d.get(key)
    if not isinstance(value, dict):
        raise VocabError(f"{FILE}: {_path(at, key)} must be a mapping")
    return value


def _text(d: dict[str, Any], key: str, at: str) -> str:
    value = d.get(key)
    if not isinstance(value, str) or not value:
        raise VocabError(f"{FILE}: {_path(at, key)} must be a text")
    return value


def _texts(d: dict[str, Any], key: str, at: str = "") -> tuple[str, ...]:
    value = d.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise VocabError(f"{FILE}: {_path(at, key)} must be a list of texts")
    return tuple(value)


def _type_pair(d: dict[str, Any], key: str, at: str) -> tuple[str, str]:
    pair = _mapping(d, key, at)
    where = _path(at, key)
    return _text(pair, "event_type", where), _text(pair, "sub_event_type", where)


def _codes(d: dict[str, Any], key: str, at: str, required: tuple[str, ...] = ()) -> dict[str, int]:
    """A table of texts and their integer codes, which must code every one of ``required``."""
    where = _path(at, key)
    table = {str(k): _code(v, where) for k, v in _mapping(d, key, at).items()}
    missing = [k for k in required if k not in table]
    if missing:
        raise VocabError(f"{FILE}: {where} has no code for {', '.join(missing)}")
    return table


def _code(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise VocabError(f"{FILE}: {where}: {value!r} is not a whole number")
    return value


def _path(at: str, key: str) -> str:
    return f"{at}.{key}" if at else key
