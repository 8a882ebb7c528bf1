"""Relations between actors stated by a verb: founded, leads, allied with, hosted by, based in.

A first, verb-driven extractor: the verbs and the shape of each relation live in
``data/relations.yaml``. A relation needs a named entity on both sides; negated or modal
statements are skipped.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from conflictkb.arguments import Found, entity_in, modal_or_negated
from conflictkb.entities import FoundEntities
from conflictkb.model import Relation
from conflictkb.normalize import NormalizedText
from conflictkb.timeline import Timeline
from conflictkb.vocab import RelationVerb, Vocab

_SUBJECT_KINDS = ("armed_group", "organization", "state_actor", "person")


def _subtree(tok: Token | None) -> list[Token]:
    return list(tok.subtree) if tok is not None else []


def _child(tok: Token, *deps: str) -> Token | None:
    return next((c for c in tok.children if c.dep_ in deps), None)


def _object(verb: Token, spec: RelationVerb, found: FoundEntities, passive: bool) -> Found | None:
    kinds = tuple(spec.object_kinds)
    direct = _child(verb, "nsubjpass") if passive and not spec.preps else _child(verb, "dobj", "oprd", "attr")
    candidates = _subtree(direct)
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in spec.preps):
        candidates.extend(_subtree(_child(prep, "pobj")))
    return entity_in(candidates, found, kinds)


def _subject(verb: Token, found: FoundEntities, passive: bool, has_preps: bool) -> Found | None:
    if passive and not has_preps:
        agent = _child(verb, "agent")
        return entity_in(_subtree(agent), found, _SUBJECT_KINDS)
    subject = _child(verb, "nsubjpass" if passive else "nsubj")
    if subject is None and verb.dep_ in ("acl", "relcl"):
        return entity_in([verb.head, *verb.head.ancestors], found, _SUBJECT_KINDS)
    return entity_in(_subtree(subject), found, _SUBJECT_KINDS)


def _relation_at(verb: Token, spec: RelationVerb, found: FoundEntities) -> tuple[Found, Found] | None:
    passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
    subject = _subject(verb, found, passive, bool(spec.preps))
    obj = _object(verb, spec, found, passive)
    if subject is None or obj is None or subject.entity == obj.entity:
        return None
    return (obj, subject) if spec.inverse else (subject, obj)


def extract_relations(
    doc: Doc, vocab: Vocab, found: FoundEntities, norm: NormalizedText, timeline: Timeline
) -> list[Relation]:
    """Every verb-stated relation in the document, numbered rel1, rel2, ..."""
    relations: list[Relation] = []
    sentence_index = {sent.start: i for i, sent in enumerate(doc.sents)}
    for tok in doc:
        specs = vocab.relation_verbs.get(tok.lemma_.lower(), ()) if tok.pos_ == "VERB" else ()
        if not specs or modal_or_negated(tok):
            continue
        for spec in specs:
            pair = _relation_at(tok, spec, found)
            if pair is None:
                continue
            subject, obj = pair
            when = timeline.date_for(sentence_index[tok.sent.start], tok.idx)
            sentence = tok.sent.text.strip()
            offset = tok.sent.start_char + tok.sent.text.index(sentence)
            relations.append(
                Relation(
                    id=f"rel{len(relations) + 1}",
                    subject=str(subject.entity),
                    relation=spec.relation,
                    object=str(obj.entity),
                    evidence=[norm.span(offset, offset + len(sentence))],
                    date=when.date.iso if when else None,
                    confidence=0.5,
                )
            )
            break
    return relations
