"""Which type an act is, beyond its trigger word: ACLED's Battles (a state's forces, or one armed
group against another) rather than an assault; people destroyed rather than property; a group's act
on its own people; an arrest or trial only of people.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from spacy.tokens import Token

from conflictkb.model import Event

if TYPE_CHECKING:
    from conflictkb.events import Inputs


def _patient(trigger: Token) -> Token | None:
    """What the act was done to: its object or passive subject (the noun a relative pronoun stands for),
    or the subject its coordinated verb shares ("they were vulnerable ... and were destroyed")."""
    patient = next((c for c in trigger.children if c.dep_ in ("nsubjpass", "dobj")), None)
    if patient is None and trigger.dep_ == "conj":
        patient = next((c for c in trigger.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if patient is not None and patient.tag_ in ("WDT", "WP") and trigger.dep_ == "relcl":
        patient = trigger.head
    return patient


def _people(word: Token, inputs: Inputs) -> bool:
    """A person or people: a personal pronoun, a person or actor named, a word for one person or
    for a group's members."""
    if word.pos_ == "PRON":
        return word.lower_ not in ("it", "this", "that", "which")
    if word.like_num or word.lower_ in inputs.vocab.vague_counts:  # "73 were arrested", "hundreds of ..."
        return True
    of = [g for c in word.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children if g.dep_ == "pobj"]
    if of and _people(of[0], inputs):  # "members of the group", "a group of students"
        return True
    entity = inputs.found.get(inputs.found.by_token.get(word.i, ""))
    if entity is not None:
        return entity.kind != "place"
    named = word.pos_ == "PROPN" or word.is_title  # the parser may take a name for a common noun
    if named or any(c.dep_ == "appos" and c.pos_ == "PROPN" for c in word.children):
        return True  # "Saeed was arrested", "its founder, Jamil Mukulu, was arrested"
    lemma = word.lemma_.lower()
    return (
        lemma in inputs.vocab.one_person
        or word.lower_ in inputs.vocab.member_nouns
        or (lemma in inputs.vocab.member_nouns)
    )


def done_to_its_own(trigger: Token) -> bool:
    """Was the act done to the doer's own people ("killed its own wounded", "executed their own men")?"""
    patient = _patient(trigger) if trigger.pos_ == "VERB" else None
    return patient is not None and any(c.lower_ == "own" for c in patient.subtree)


def people_taken(trigger: Token, inputs: Inputs) -> bool:
    """Were people arrested or tried? A sentence with no stated patient is given the benefit of it."""
    patient = _patient(trigger) if trigger.pos_ == "VERB" else None
    return patient is None or _people(patient, inputs)


def people_destroyed(trigger: Token, inputs: Inputs) -> bool:
    """Is what was destroyed people or a group ("they", "the unit", "the IMU"), not property?"""
    patient = _patient(trigger)
    return patient is not None and _people(patient, inputs)


def refine_type(event: Event, inputs: Inputs) -> str:
    """ACLED's Battles: an armed act by a state's forces on anyone but civilians ("the U.S. attack on
    Afghanistan", "troops stormed the militants' base"), or by one armed group on another, is a
    clash, not an assault; the assault is an armed group's attack on the state or on civilians."""
    if event.type != "armed_assault" or not event.perpetrators:
        return event.type
    attacker = inputs.found.get(event.perpetrators[0].entity or "")
    state = attacker is not None and (attacker.kind == "state_actor" or (attacker.ref or "").startswith("country:"))
    target_type = event.targets[0].type if event.targets else None
    if state and (target_type is None or target_type in inputs.vocab.battle_targets):
        return "clash"
    if not state and target_type == "terrorists":
        return "clash"
    return event.type
