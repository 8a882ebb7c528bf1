"""Loads the knowledge that lives in data files: event types, triggers, target types, tolls, kinds.

Nothing an analyst might want to change is written in code: the extractors ask this module.
A user can add a folder of their own YAML files with the same names; its lists extend ours.
See docs/schema.md for every file's shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parent / "data"


class VocabError(ValueError):
    """A data file that cannot be used; the message names the file and what is wrong."""


@dataclass(frozen=True, slots=True)
class Trigger:
    """One trigger phrase as lemmas, the event type it announces, and what it needs nearby."""

    lemmas: tuple[str, ...]
    event_type: str
    pos: str  # "VERB" or "NOUN"
    context: frozenset[str] = frozenset()
    # A verb that counts only in the past tense with a direct object ("fought Uzbeks under Yuldash's
    # command"; not "had fought with Namangani", "fighting against oppression").
    with_object: bool = False


@dataclass(frozen=True, slots=True)
class RelationVerb:
    """A word (verb, role noun or noun) that states a relation, and how its arguments map."""

    relation: str
    preps: frozenset[str]
    inverse: bool
    object_kinds: frozenset[str]
    literal: bool = False
    inverse_preps: frozenset[str] = frozenset()
    text_objects: bool = False  # an object that names no actor is kept as its words
    needs_prep: bool = False  # the verb states the relation only through a preposition ("fought alongside X")
    of_nouns: frozenset[str] = frozenset()  # nouns after which "of" introduces the object ("an ally of X")


@dataclass(frozen=True)
class Vocab:
    event_types: dict[str, dict[str, Any]]
    triggers: tuple[Trigger, ...]
    priority: tuple[str, ...]
    target_types: dict[str, dict[str, Any]]
    tolls: dict[str, frozenset[str]]
    vague_modifiers: frozenset[str]
    kept_modifiers: frozenset[str]  # lower bounds and estimates: the number stands
    vague_counts: frozenset[str]
    label_kinds: dict[str, str | None]
    name_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    hypothetical: frozenset[str] = frozenset()
    generic: frozenset[str] = frozenset()
    fact_markers: frozenset[str] = frozenset()
    militant_nouns: frozenset[str] = frozenset()
    responsibility_words: frozenset[str] = frozenset()
    government_adjectives: frozenset[str] = frozenset()
    target_preps: frozenset[str] = frozenset()
    member_nouns: frozenset[str] = frozenset()
    person_titles: frozenset[str] = frozenset()  # every title
    name_titles: frozenset[str] = frozenset()  # titles that a name always follows
    force_nouns: frozenset[str] = frozenset()
    non_violent_modifiers: frozenset[str] = frozenset()
    led_by_words: frozenset[str] = frozenset()
    act_verbs: frozenset[str] = frozenset()
    non_state_force_words: frozenset[str] = frozenset()
    state_acts: frozenset[str] = frozenset()
    preventers: frozenset[str] = frozenset()
    attempt_verbs: frozenset[str] = frozenset()
    battle_targets: frozenset[str] = frozenset()
    home_acts: frozenset[str] = frozenset()
    anchor_preps: frozenset[str] = frozenset()
    new_incident: frozenset[str] = frozenset()
    attribution: dict[str, str] = field(default_factory=dict)  # lemma -> "claimed" / "blamed" / ...
    anaphors: frozenset[str] = frozenset()
    government_nouns: frozenset[str] = frozenset()
    locative_preps: frozenset[str] = frozenset()
    route_preps: frozenset[str] = frozenset()
    route_verbs: frozenset[str] = frozenset()
    destination_preps: frozenset[str] = frozenset()
    place_nouns: frozenset[str] = frozenset()
    distance_units: dict[str, float] = field(default_factory=dict)
    bearings: dict[str, float] = field(default_factory=dict)
    distance_hedges: frozenset[str] = frozenset()
    distance_from: frozenset[str] = frozenset()
    border_nouns: frozenset[str] = frozenset()
    land_verbs: frozenset[str] = frozenset()
    alias_between: frozenset[str] = frozenset()
    alias_after: frozenset[str] = frozenset()
    alias_in_brackets: frozenset[str] = frozenset()
    triggers_by_first: dict[str, tuple[Trigger, ...]] = field(default_factory=dict)
    # Nouns for the doers of an act ("kidnapper" -> kidnapping): "the kidnappers" refers back to it.
    agents: dict[str, str] = field(default_factory=dict)
    # Singular nouns for one person: "murdered the soldier" killed one (tolls.yaml).
    one_person: frozenset[str] = frozenset()
    relation_types: dict[str, dict[str, Any]] = field(default_factory=dict)
    relation_verbs: dict[str, tuple[RelationVerb, ...]] = field(default_factory=dict)
    relation_roles: dict[str, RelationVerb] = field(default_factory=dict)
    relation_nouns: dict[str, tuple[RelationVerb, ...]] = field(default_factory=dict)
    relation_suffixes: dict[str, RelationVerb] = field(default_factory=dict)
    hedges: frozenset[str] = frozenset()
    assertion_verbs: frozenset[str] = frozenset()
    according_to: frozenset[str] = frozenset()
    rename_cues: frozenset[str] = frozenset()
    group_pronouns: frozenset[str] = frozenset()
    group_nouns: frozenset[str] = frozenset()
    person_pronouns: frozenset[str] = frozenset()
    passive_hedges: frozenset[str] = frozenset()
    epistemic_modals: frozenset[str] = frozenset()
    denials: frozenset[str] = frozenset()
    end_words: frozenset[str] = frozenset()
    former_name_cues: frozenset[str] = frozenset()
    size_nouns: frozenset[str] = frozenset()
    vague_quantities: frozenset[str] = frozenset()
    multipliers: frozenset[str] = frozenset()
    range_openers: frozenset[str] = frozenset()
    group_roles: frozenset[str] = frozenset()
    succession_verbs: frozenset[str] = frozenset()
    means_preps: frozenset[str] = frozenset()
    plural_pronouns: frozenset[str] = frozenset()
    coalition_nouns: frozenset[str] = frozenset()
    inclusion_words: frozenset[str] = frozenset()
    head_titles: frozenset[str] = frozenset()

    def type_rank(self, event_type: str) -> int:
        """Smaller is stronger: the order in which triggers of different types win."""
        return self.priority.index(event_type) if event_type in self.priority else len(self.priority)


# The C loader when PyYAML has it (ten times faster on places.yaml, read by every worker).
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BOOL = "tag:yaml.org,2002:bool"


class DataLoader(_SafeLoader):  # type: ignore[misc]  # PyYAML's loaders carry no type information
    """A safe loader with YAML 1.2's booleans: only true and false. Our files are lists of words,
    and YAML 1.1 would read the preposition "on" (or "no", "yes", "off") as a boolean."""


DataLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != _BOOL]
    for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
}
DataLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def read_yaml(path: Path) -> dict[str, Any]:
    """A data file's mapping; any problem is a VocabError naming the file."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=DataLoader)  # noqa: S506 - a safe loader
    except (OSError, yaml.YAMLError) as exc:
        raise VocabError(f"{path}: cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise VocabError(f"{path}: expected a mapping at the top level")
    return data


def _merged(name: str, extra_dirs: Iterable[Path]) -> dict[str, Any]:
    """Our file, then each user folder's file of the same name: mappings merge, lists extend."""
    merged = read_yaml(DATA_DIR / name)
    for folder in extra_dirs:
        path = folder / name
        if path.exists():
            _deep_merge(merged, read_yaml(path))
    return merged


def _deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _deep_merge(base[key], value)
        elif isinstance(value, list) and isinstance(base.get(key), list):
            base[key] = base[key] + [v for v in value if v not in base[key]]
        else:
            base[key] = value


def _phrase(text: str) -> tuple[str, ...]:
    """A phrase as the parser's tokens: "shoot-out" is "shoot", "-", "out"."""
    return tuple(re.sub(r"\s*-\s*", " - ", str(text).lower()).split())


def _check_merges(event_types: dict[str, Any]) -> None:
    """``merges_with`` names event types that exist."""
    for name, spec in event_types.items():
        for other in (spec or {}).get("merges_with") or []:
            if other not in event_types:
                raise VocabError(f"event_types.yaml: {name} merges_with unknown event type {other!r}")


def _triggers(data: dict[str, Any], known_types: dict[str, Any]) -> tuple[Trigger, ...]:
    found: list[Trigger] = []
    for event_type, spec in (data.get("types") or {}).items():
        if event_type not in known_types:
            raise VocabError(f"triggers.yaml: unknown event type {event_type!r}")
        context = {str(k).lower(): frozenset(str(w).lower() for w in v) for k, v in (spec.get("context") or {}).items()}
        for pos, key in (("VERB", "verbs"), ("NOUN", "nouns"), ("VERB", "verbs_with_object")):
            for phrase in spec.get(key) or []:
                needs = context.get(str(phrase).lower(), frozenset())
                found.append(Trigger(_phrase(phrase), event_type, pos, needs, key == "verbs_with_object"))
    return tuple(found)


@lru_cache(maxsize=8)
def load_vocab(extra_dirs: tuple[Path, ...] = ()) -> Vocab:
    """Read every data file once per process (and per set of user folders)."""
    event_types = _merged("event_types.yaml", extra_dirs)
    triggers = _merged("triggers.yaml", extra_dirs)
    tolls = _merged("tolls.yaml", extra_dirs)
    kinds = _merged("entity_kinds.yaml", extra_dirs)
    cues = _merged("cues.yaml", extra_dirs)
    relative: dict[str, Any] = cues.get("relative_location") or {}
    relations = _merged("relations.yaml", extra_dirs)
    strength: dict[str, Any] = (relations.get("types") or {}).get("strength") or {}
    found_triggers = _triggers(triggers, event_types)
    _check_merges(event_types)
    return Vocab(
        event_types=event_types,
        triggers=found_triggers,
        priority=tuple(triggers.get("priority") or event_types),
        target_types=_merged("target_types.yaml", extra_dirs),
        tolls={k: frozenset(str(w).lower() for w in tolls[k]) for k in ("killed", "wounded", "kidnapped")},
        vague_modifiers=frozenset(str(w).lower() for w in tolls.get("vague_modifiers") or []),
        kept_modifiers=frozenset(
            str(w).lower() for w in [*(tolls.get("lower_bounds") or []), *(tolls.get("approximate") or [])]
        ),
        vague_counts=frozenset(str(w).lower() for w in tolls.get("vague_counts") or []),
        one_person=frozenset(str(w).lower() for w in tolls.get("one_person") or []),
        label_kinds=dict(kinds.get("labels") or {}),
        name_words={k: tuple(str(w).lower() for w in v) for k, v in (kinds.get("name_words") or {}).items()},
        hypothetical=_words(cues.get("hypothetical")),
        generic=_words(cues.get("generic")),
        fact_markers=_words(cues.get("fact_markers")),
        militant_nouns=_words(cues.get("militant_nouns")),
        responsibility_words=_words(cues.get("responsibility_words")),
        government_adjectives=_words(cues.get("government_adjectives")),
        target_preps=_words(cues.get("target_preps")),
        member_nouns=_words(cues.get("member_nouns")),
        person_titles=_words([w for ws in (cues.get("person_titles") or {}).values() for w in ws]),
        name_titles=_words((cues.get("person_titles") or {}).get("names_follow")),
        force_nouns=_words(cues.get("force_nouns")),
        non_violent_modifiers=_words(cues.get("non_violent_modifiers")),
        led_by_words=_words(cues.get("led_by_words")),
        act_verbs=_words(cues.get("act_verbs")),
        non_state_force_words=_words(cues.get("non_state_force_words")),
        state_acts=_words(cues.get("state_acts")),
        preventers=_words(cues.get("preventers")),
        attempt_verbs=_words(cues.get("attempt_verbs")),
        battle_targets=_words(cues.get("battle_targets")),
        home_acts=_words(cues.get("home_acts")),
        anchor_preps=_words(cues.get("anchor_preps")),
        new_incident=_words(cues.get("new_incident")),
        attribution={str(w).lower(): str(label) for label, ws in (cues.get("attribution") or {}).items() for w in ws},
        anaphors=_words(cues.get("anaphors")),
        government_nouns=_words(cues.get("government_nouns")),
        locative_preps=_words(cues.get("locative_preps")),
        route_preps=_words(cues.get("route_preps")),
        route_verbs=_words(cues.get("route_verbs")),
        destination_preps=_words(cues.get("destination_preps")),
        place_nouns=_words(cues.get("place_nouns")),
        distance_units={str(k).lower(): float(v) for k, v in (relative.get("units") or {}).items()},
        bearings={str(k).lower(): float(v) for k, v in (relative.get("bearings") or {}).items()},
        distance_hedges=_words(relative.get("hedges")),
        distance_from=_words(relative.get("from")),
        border_nouns=_words(cues.get("border_nouns")),
        land_verbs=_words(cues.get("land_verbs")),
        alias_between=_words(cues.get("alias_between")),
        alias_after=_words(cues.get("alias_after")),
        alias_in_brackets=_words(cues.get("alias_in_brackets")),
        triggers_by_first=_index_triggers(found_triggers),
        agents={
            str(a).lower(): str(t)
            for t, spec in (triggers.get("types") or {}).items()
            for a in spec.get("agents") or []
        },
        relation_types=relations.get("types") or {},
        relation_verbs=_relation_words(relations.get("types") or {}, "verbs"),
        relation_roles={k: v[0] for k, v in _relation_words(relations.get("types") or {}, "roles").items()},
        relation_nouns=_relation_words(relations.get("types") or {}, "nouns"),
        relation_suffixes={k: v[0] for k, v in _relation_words(relations.get("types") or {}, "suffixes").items()},
        hedges=_words((relations.get("cues") or {}).get("hedges")),
        assertion_verbs=_words((relations.get("cues") or {}).get("assertion_verbs")),
        according_to=_words((relations.get("cues") or {}).get("according_to")),
        rename_cues=_words((relations.get("cues") or {}).get("rename_cues")),
        group_pronouns=_words((relations.get("cues") or {}).get("group_pronouns")),
        group_nouns=_words((relations.get("cues") or {}).get("group_nouns")),
        person_pronouns=_words((relations.get("cues") or {}).get("person_pronouns")),
        passive_hedges=_words((relations.get("cues") or {}).get("passive_hedges")),
        epistemic_modals=_words((relations.get("cues") or {}).get("epistemic_modals")),
        denials=_words((relations.get("cues") or {}).get("denials")),
        end_words=_words((relations.get("cues") or {}).get("end_words")),
        former_name_cues=_words((relations.get("cues") or {}).get("former_name_cues")),
        size_nouns=_words(strength.get("size_nouns")),
        vague_quantities=_words(strength.get("vague_quantities")),
        multipliers=_words(strength.get("multipliers")),
        range_openers=_words(strength.get("range_openers")),
        group_roles=_words((relations.get("cues") or {}).get("group_roles")),
        succession_verbs=_words((relations.get("cues") or {}).get("succession_verbs")),
        means_preps=_words((relations.get("cues") or {}).get("means_preps")),
        plural_pronouns=_words((relations.get("cues") or {}).get("plural_pronouns")),
        coalition_nouns=_words((relations.get("cues") or {}).get("coalition_nouns")),
        inclusion_words=_words((relations.get("cues") or {}).get("inclusion_words")),
        head_titles=_words((relations.get("cues") or {}).get("head_titles")),
    )


def _relation_words(types: dict[str, Any], key: str) -> dict[str, tuple[RelationVerb, ...]]:
    """Lemma -> the relations that the word (of the ``key`` list: verbs, roles, nouns) states."""
    index: dict[str, list[RelationVerb]] = {}
    for name, spec in types.items():
        verb = RelationVerb(
            name,
            _words(spec.get("preps")),
            bool(spec.get("inverse")),
            _words(spec.get("object_kinds")),
            bool(spec.get("literal")),
            _words(spec.get("inverse_preps")),
            bool(spec.get("text_objects")),
            of_nouns=_words(spec.get("of_nouns")),
        )
        needs_prep = _words(spec.get("needs_prep"))
        for lemma in spec.get(key) or []:
            word = str(lemma).lower()
            index.setdefault(word, []).append(replace(verb, needs_prep=True) if word in needs_prep else verb)
    return {k: tuple(v) for k, v in index.items()}


def _words(values: Any) -> frozenset[str]:
    return frozenset(str(w).lower() for w in values or [])


def _index_triggers(triggers: tuple[Trigger, ...]) -> dict[str, tuple[Trigger, ...]]:
    """Triggers by their first lemma, longest first, so a sentence is scanned once."""
    index: dict[str, list[Trigger]] = {}
    for trigger in triggers:
        index.setdefault(trigger.lemmas[0], []).append(trigger)
    return {k: tuple(sorted(v, key=lambda t: -len(t.lemmas))) for k, v in index.items()}
