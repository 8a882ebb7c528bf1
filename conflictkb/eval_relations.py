"""Scoring relations and claims against gold: subject, relation and object, then the date.

A predicted claim matches a gold one when the relation is the same, the subject is the same actor
(one of the gold's names for it, or a spelling of one), and the object is the same actor or, for
a literal (a strength, an aim, a source of money), says the same thing: the same figure, or at
least half the gold's words. A symmetric relation (``symmetric: true`` in relations.yaml: an
alliance, a rivalry) matches either way round.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from conflictkb.kb import KnowledgeBase
from conflictkb.names import entity_key
from conflictkb.store import reader
from conflictkb.tolls import number_in
from conflictkb.translit import variants
from conflictkb.vocab import load_vocab

_STOP = frozenset({"the", "a", "an", "of", "in", "and", "to", "its", "their", "his", "by", "for", "with", "at", "on"})
WORD_OVERLAP = 0.5


@dataclass
class RelationCounts:
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    dates_right: int = 0
    dates_compared: int = 0


@dataclass(frozen=True)
class Predicted:
    relation: str
    subject: frozenset[str]
    obj: frozenset[str]
    value: str | None
    date: str | None


def _names(gold_doc: dict[str, Any], name: str) -> set[str]:
    keys = {entity_key(name)}
    for entity in gold_doc.get("entities") or []:
        if entity_key(str(entity.get("name", ""))) == entity_key(name):
            keys |= {entity_key(str(a)) for a in entity.get("aliases") or []}
    return keys


def _same_actor(ours: frozenset[str], gold: set[str]) -> bool:
    return bool(ours & gold) or any(len(g.split()) > 1 and variants(o, g, person=True) for o in ours for g in gold)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.lower()) if w not in _STOP}


def _same_literal(ours: str, gold: str) -> bool:
    a, b = number_in(ours), number_in(gold)
    if a is not None and b is not None:
        return a == b  # two figures: the same or not, whatever words surround them
    gold_words = _words(gold)
    return bool(gold_words) and len(_words(ours) & gold_words) / len(gold_words) >= WORD_OVERLAP


def predicted_claims(kb: KnowledgeBase, doc_id: str, properties: list[str]) -> list[Predicted]:
    """The claims a document gave, with every name of their subject and object in that document."""
    names: dict[int, frozenset[str]] = {}

    def names_of(entity_id: int) -> frozenset[str]:
        if entity_id not in names:
            found = {entity_key(a["alias"]) for a in reader.entity_aliases(kb.store, entity_id)}
            entity = reader.entity(kb.store, entity_id)
            names[entity_id] = frozenset(found | ({entity_key(entity["name"])} if entity else set()))
        return names[entity_id]

    out = []
    for row in reader.document_claims(kb.store, doc_id, properties):
        claim = json.loads(row["value"])
        obj = names_of(int(claim["object"])) if claim.get("object") is not None else frozenset()
        subject = names_of(int(row["subject"].split(":", 1)[1]))
        out.append(Predicted(row["property"], subject, obj, claim.get("value"), claim.get("date")))
    return out


def _matches(gold_doc: dict[str, Any], gold: dict[str, Any], ours: Predicted) -> bool:
    if ours.relation != gold.get("relation") or not _same_actor(ours.subject, _names(gold_doc, str(gold["subject"]))):
        return False
    wanted = str(gold.get("object") or "")
    if ours.relation == "killed_in":
        return True  # the gold's object is an incident's name; the subject's death is what is claimed
    if ours.relation == "renamed_to" and ours.value is not None:
        # the new name is one of the subject's names in the gold ("IMT" for "Islamic Movement of Turkestan")
        subject_names = _names(gold_doc, str(gold["subject"]))
        if entity_key(ours.value) in subject_names and entity_key(wanted) in subject_names:
            return True
    if ours.obj:
        # "Afghanistan" names the gold's "Northern Afghanistan"; "Pakistan" its "Pakistan's tribal areas".
        contained = any(f" {o} " in f" {entity_key(wanted)} " for o in ours.obj if len(o) > 3)
        return _same_actor(ours.obj, _names(gold_doc, wanted)) or contained
    return ours.value is not None and _same_literal(ours.value, wanted)


def _either_way(gold_doc: dict[str, Any], gold: dict[str, Any], ours: Predicted) -> bool:
    """The claim matches as stated or, for a symmetric relation between two actors, swapped."""
    if _matches(gold_doc, gold, ours):
        return True
    symmetric = bool((load_vocab().relation_types.get(ours.relation) or {}).get("symmetric"))
    swapped = Predicted(ours.relation, ours.obj, ours.subject, ours.value, ours.date)
    return symmetric and bool(ours.obj) and _matches(gold_doc, gold, swapped)


def score_relations(gold_doc: dict[str, Any], kb: KnowledgeBase, doc_id: str, properties: list[str]) -> RelationCounts:
    """Greedy one-to-one matching of a document's gold relations to its predicted claims."""
    golds = list(gold_doc.get("relations") or [])
    predicted = distinct_claims(predicted_claims(kb, doc_id, properties))
    counts = RelationCounts(gold=len(golds), predicted=len(predicted))
    used: set[int] = set()
    for gold in golds:
        pick = next((i for i, p in enumerate(predicted) if i not in used and _either_way(gold_doc, gold, p)), None)
        if pick is None:
            continue
        used.add(pick)
        counts.matched += 1
        if gold.get("date"):
            counts.dates_compared += 1
            counts.dates_right += int(str(gold["date"]) == (predicted[pick].date or ""))
    return counts


def distinct_claims(claims: list[Predicted]) -> list[Predicted]:
    """One claim per distinct (relation, subject, object or text) of a document, the first stated,
    as document-level relation extraction is scored (DocRED): a fact stated in three sentences is
    one fact, right or wrong once. Renamings to any of the subject's names are one renaming."""
    seen: set[tuple[str, frozenset[str], frozenset[str], str]] = set()
    distinct: list[Predicted] = []
    for claim in claims:
        text = " ".join((claim.value or "").lower().split())
        if claim.relation == "renamed_to" and entity_key(claim.value or "") in claim.subject:
            text = "one of the subject's names"  # "re-titled the IMT", "known as the Islamic Movement of Turkestan"
        key = (claim.relation, claim.subject, claim.obj, text)
        if key not in seen:
            seen.add(key)
            distinct.append(claim)
    return distinct
