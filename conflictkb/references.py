"""Words that refer back to an actor named before: "it", "they", "its", "the group", "the
movement", "the insurgents", "he".

Events and claims both need them ("they kidnapped ...", "its bases in ..."). A light rule, not a
coreference model: a pronoun or a definite group noun refers to the last actor of the right kind
that was a sentence's subject (the topic), else the last one named; "the militants" and "the
terrorists" refer to the fighters last named, subject or not. A sentence whose subject is a plain
noun naming no actor ("Troops entered the village. They ...") stops the search: the pronoun more
likely means that noun, and a wrong actor is worse than none.
"""

from __future__ import annotations

from spacy.tokens import Token

from conflictkb.entities import FoundEntities
from conflictkb.model import Entity
from conflictkb.vocab import Vocab

# How far back (in tokens) a reference may reach.
REFERENCE_WINDOW = 400
_SUBJECTS = ("nsubj", "nsubjpass")
_DEFINITE = ("the", "this", "that", "these", "those")


def _kinds(tok: Token, vocab: Vocab) -> tuple[tuple[str, ...], bool] | None:
    """The entity kinds a referring word may stand for, and whether it means the fighters last named."""
    lowered, lemma = tok.lower_, tok.lemma_.lower()
    if lowered in vocab.person_pronouns:
        return ("person",), False
    definite = any(c.dep_ == "det" and c.lower_ in _DEFINITE for c in tok.children)
    if lowered in vocab.group_pronouns or (definite and lemma in vocab.group_nouns):
        return ("armed_group", "organization"), False
    if definite and lemma in vocab.militant_nouns and tok.pos_ == "NOUN":
        return ("armed_group",), True  # "the militants" are fighters, not the Red Cross
    return None


def subject_phrase(word: Token) -> bool:
    """Is the word inside a sentence subject ("the Islamic Movement of Uzbekistan found ...")? Not
    inside an apposition that describes the subject ("JNIM, al Qaeda's affiliate, claimed ...")."""
    for a in [word, *word.ancestors]:
        if a.dep_ == "appos":
            return False
        if a is not word and a.dep_ in _SUBJECTS and a.pos_ in ("NOUN", "PROPN"):
            return True
    return False


def _plain_subject(word: Token, found: FoundEntities, vocab: Vocab, plural: bool = False) -> bool:
    """A subject noun that names no actor and does not itself refer back ("Troops", "the police");
    a plural pronoun skips a singular one ("A new base was opened for them")."""
    if word.dep_ not in _SUBJECTS or word.pos_ != "NOUN" or word.i in found.by_token:
        return False
    if plural and word.tag_ == "NN":
        return False
    if word.lemma_.lower() in vocab.anaphors or word.lemma_.lower() in vocab.triggers_by_first:
        return False  # "the attack took place ...": an act, which no pronoun for a group stands for
    if word.lemma_.lower() in vocab.group_nouns | vocab.militant_nouns:
        return False
    return not any(t.i in found.by_token for t in word.subtree)


def _state_subject(word: Token, kind: str, kinds: tuple[str, ...]) -> bool:
    """A state acting as a subject in between: "they" or "it" more likely means that state."""
    return kind == "state_actor" and "state_actor" not in kinds and word.dep_ in _SUBJECTS


def _own_subject(tok: Token, found: FoundEntities) -> set[str]:
    """ "The Taliban forced it to ...": an object pronoun is not its own clause's subject (that
    would be "itself")."""
    if tok.dep_ not in ("dobj", "dative", "pobj") or tok.lower_.endswith(("self", "selves")):
        return set()
    verb = tok.head.head if tok.dep_ == "pobj" else tok.head
    while verb.dep_ == "conj" and not any(c.dep_ in _SUBJECTS for c in verb.children):
        verb = verb.head  # "fought the IMU and forced it": the subject they share
    subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
    ids = {found.by_token[t.i] for t in subject.subtree if t.i in found.by_token} if subject is not None else set()
    return ids


def _said_of_people(tok: Token, found: FoundEntities, vocab: Vocab) -> bool:
    """ "He and Yuldeshev had lost their allies": a group pronoun in a clause whose subject, before
    it, is people means them, not a group."""
    for verb in tok.ancestors:
        subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
        if subject is None:
            continue
        if subject.i >= tok.i or tok in subject.subtree:
            return False
        for word in subject.subtree:
            entity = found.get(found.by_token.get(word.i, ""))
            if (entity is not None and entity.kind == "person") or word.lower_ in vocab.person_pronouns:
                return True
        return False
    return False


def referred_actor(tok: Token, found: FoundEntities, vocab: Vocab, paragraph: bool = False) -> Entity | None:
    """The actor ``tok`` refers back to; None when it is not a referring word or nothing fits.
    ``paragraph``: do not look past the paragraph's start."""
    wanted = _kinds(tok, vocab)
    if wanted is None:
        return None
    kinds, fighters = wanted
    if tok.lower_.endswith(("self", "selves")):
        return _reflexive(tok, found, vocab, kinds)
    ahead = _named_after_its_clause(tok, found, kinds)
    if ahead is not None:
        return ahead
    within = _phrase_owner(tok, found, kinds)
    if within is not None:
        return within
    if "person" not in kinds and _said_of_people(tok, found, vocab):
        return None
    excluded = _own_subject(tok, found)
    plural = tok.lower_ in vocab.plural_pronouns
    doc = tok.doc
    nearest: Entity | None = None
    for k in range(tok.i - 1, max(-1, tok.i - REFERENCE_WINDOW), -1):
        word = doc[k]
        if paragraph and "\n\n" in word.text_with_ws:
            break
        entity = found.get(found.by_token.get(k, ""))
        if entity is not None and entity.id in excluded:
            continue
        if entity is None or entity.kind not in kinds:
            if nearest is None and not fighters and _plain_subject(word, found, vocab, plural):
                return None
            if nearest is None and not fighters and entity is not None and _state_subject(word, entity.kind, kinds):
                return None  # "The Turks, incensed by accusations that they ...": the state, not a group
            continue
        nearest = nearest or entity
        if fighters:
            break
        if word.dep_ in _SUBJECTS or (word.dep_ in ("compound", "pobj", "prep") and subject_phrase(word)):
            return _main_subject(word, found, kinds, vocab) or entity
    return nearest


def _named_after_its_clause(tok: Token, found: FoundEntities, kinds: tuple[str, ...]) -> Entity | None:
    """ "Although Tahir Yuldash is still considered its main leader, the IMU has split": a word in a
    clause put before the main one refers ahead, to the main clause's subject (else the first actor
    of the kind the main clause names: "..., reports suggest the ranks of the IMU have ...")."""
    clause = next((a for a in tok.ancestors if a.dep_ == "advcl"), None)
    if clause is None or clause.head.i < clause.i or clause.left_edge.i > tok.sent.start + 1:
        return None
    subject = next((c for c in clause.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    after = [t for t in tok.sent if t.i > clause.right_edge.i]
    words = [*(subject.subtree if subject is not None and subject.i > clause.i else ()), *after]
    for word in words:  # the main clause's subject, else the first actor the main clause names
        entity = found.get(found.by_token.get(word.i, ""))
        if entity is not None and entity.kind in kinds:
            return entity
    return None


def _phrase_owner(tok: Token, found: FoundEntities, kinds: tuple[str, ...]) -> Entity | None:
    """ "the Islamic State West Africa Province, including its commander": a word inside a phrase an
    actor heads refers to that actor (the first one up the parse, before any verb)."""
    for word in tok.ancestors:
        if word.pos_ in ("VERB", "AUX") and word.dep_ != "prep":  # "including" is a preposition here
            return None
        entity = found.get(found.by_token.get(word.i, ""))
        if entity is not None and entity.kind in kinds:
            return entity
    return None


def _main_subject(word: Token, found: FoundEntities, kinds: tuple[str, ...], vocab: Vocab) -> Entity | None:
    """ "The TTP has stepped up attacks since the Afghan Taliban took power. The group's chief ...":
    a subject of a subordinate clause gives way to its sentence's main subject, when that is an
    actor of the kind wanted."""
    verb = next((a for a in word.ancestors if a.pos_ in ("VERB", "AUX")), None)
    if verb is None or verb.dep_ not in ("advcl", "ccomp", "relcl", "acl"):
        return None
    root = word.sent.root
    if root.lemma_.lower() in vocab.assertion_verbs:
        return None  # "UN experts estimate that the ADF has ...": the one said to, not the sayer
    subject = next((c for c in root.children if c.dep_ in _SUBJECTS), None)
    for tok in subject.subtree if subject is not None else []:
        entity = found.get(found.by_token.get(tok.i, ""))
        if entity is not None and entity.kind in kinds:
            return entity
    return None


def _reflexive(tok: Token, found: FoundEntities, vocab: Vocab, kinds: tuple[str, ...]) -> Entity | None:
    """ "The group finances itself through gold smuggling": "itself" is its own clause's subject, or
    what that subject refers to; never another actor."""
    verb = tok.head.head if tok.dep_ == "pobj" else tok.head
    subject = next((c for c in verb.children if c.dep_ in _SUBJECTS), None)
    for word in subject.subtree if subject is not None else []:
        entity = found.get(found.by_token.get(word.i, ""))
        if entity is not None and entity.kind in kinds:
            return entity
    return referred_actor(subject, found, vocab) if subject is not None and subject is not tok else None
