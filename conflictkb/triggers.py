"""Triggers: the words that name a violent or security act, and whether the act is reported as
having happened.

A trigger (``data/triggers.yaml``) is factual when it is not negated, not under a modal or a word
of fear, plan or prevention (``data/cues.yaml``), not a generic statement about tactics, and not a
running tally; a past attempt ("attempted to storm the base") and what a denied prevention governs
("did not prevent a terrorist offensive") are acts.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from conflictkb import arguments
from conflictkb.event_merging import is_headline
from conflictkb.vocab import Trigger, Vocab

_PAST_TAGS = ("VBD", "VBN")


@dataclass(frozen=True, slots=True)
class Hit:
    """A trigger found in a sentence: its head token and the trigger it matched."""

    token: Token
    trigger: Trigger


def find_triggers(sent: SpacySpan, vocab: Vocab) -> list[Hit]:
    """Every trigger in a sentence, longest match first at each position."""
    lemmas = {t.lemma_.lower() for t in sent}
    hits: list[Hit] = []
    for tok in sent:
        for trigger in vocab.triggers_by_first.get(tok.lemma_.lower(), ()):
            n = len(trigger.lemmas)
            window = sent.doc[tok.i : tok.i + n]
            consecutive = tok.i + n <= sent.end and tuple(t.lemma_.lower() for t in window) == trigger.lemmas
            if not consecutive and not _phrasal(tok, trigger):
                continue
            # A verb phrase's head is its verb ("forcibly moved", "blew up"); a noun phrase's its last noun.
            verbs = [t for t in window if t.pos_ == "VERB"] if consecutive else []
            head = (verbs[0] if verbs else tok) if trigger.pos == "VERB" else window[-1]
            wanted = ("VERB",) if trigger.pos == "VERB" else ("NOUN", "PROPN")
            if head.pos_ not in wanted or (trigger.context and not trigger.context & lemmas):
                continue
            if trigger.with_object and not (head.tag_ == "VBD" and any(c.dep_ == "dobj" for c in head.children)):
                continue
            hits.append(Hit(head, trigger))
            break
    # One word, one trigger: "a terrorist offensive" is an assault, not also the clash "offensive".
    longest: dict[int, Hit] = {}
    for hit in hits:
        if hit.token.i not in longest or len(hit.trigger.lemmas) > len(longest[hit.token.i].trigger.lemmas):
            longest[hit.token.i] = hit
    return [h for h in hits if longest[h.token.i] is h]


def _phrasal(tok: Token, trigger: Trigger) -> bool:
    """A phrasal verb split by its object: "blew himself up", "took four people hostage"."""
    if trigger.pos != "VERB" or len(trigger.lemmas) != 2 or tok.pos_ != "VERB":
        return False
    return any(
        c.lemma_.lower() == trigger.lemmas[1] and c.dep_ in ("prt", "oprd", "dobj", "advmod") for c in tok.children
    )


def depth(tok: Token) -> int:
    """How deep in its sentence's parse a word sits (the root is 0)."""
    return sum(1 for _ in tok.ancestors)


def scope(tok: Token, vocab: Vocab) -> list[Token]:
    """The trigger and the words that govern what it means: up the parse, but not out of a clause
    that reports a fact of its own ("When militants seized a village, they did not appear ...":
    the negation of the main clause does not undo the seizure)."""
    chain = [tok]
    current = tok
    while current.head.i != current.i:
        if current.dep_ in ("advcl", "relcl") and any(c.lower_ in vocab.fact_markers for c in current.children):
            break
        current = current.head
        chain.append(current)
    return chain


def is_factual(hit: Hit, vocab: Vocab, first: bool = False) -> bool:
    """Reported as having happened: past (or a headline's present), not negated, not hypothetical,
    not generic."""
    tok = hit.token
    # "did not prevent a terrorist offensive", "did not deter the courts from convicting": it happened.
    whole = scope(tok, vocab)
    chain = [t for t in whole if not _prevention_denied(t, vocab)]
    denied = len(chain) < len(whole)
    if any(arguments.modal_or_negated(t) for t in chain):
        return False
    if any(t.lemma_.lower() in vocab.hypothetical and not _a_past_attempt(t, vocab) for t in chain[1:]):
        return False
    if any(c.dep_ == "amod" and c.lemma_.lower() in vocab.non_violent_modifiers for c in tok.children):
        return False  # "a diplomatic offensive", "a media campaign"
    has_date = any(e.label_ == "DATE" for e in tok.sent.ents)
    if not has_date and any(t.lemma_.lower() in vocab.generic for t in tok.sent):
        return False
    if _a_running_total(tok):
        return False  # "the insurgency has killed more than 35,000 people since 2009": a tally, no incident
    if hit.trigger.pos == "VERB":
        if tok.tag_ in _PAST_TAGS or (tok.tag_ in ("VBZ", "VBP") and first and is_headline(tok.sent)):
            return True
        if tok.tag_ == "VB" and tok.dep_ == "xcomp" and _a_past_attempt(tok.head, vocab):
            return True  # "attempted to storm the base"
        return tok.tag_ == "VBG" and (denied or any(t.tag_ in _PAST_TAGS for t in chain[1:]))
    verbs = [t for t in chain[1:] if t.pos_ in ("VERB", "AUX")]
    return has_date or not verbs or verbs[0].tag_ in _PAST_TAGS


def _a_past_attempt(tok: Token, vocab: Vocab) -> bool:
    """ "the detachment tried to fight it out", "militants attempted to storm the base": a past
    attempt is an act (the GTD counts failed attacks); "plans to attack" is not."""
    return tok.lemma_.lower() in vocab.attempt_verbs and tok.tag_ in _PAST_TAGS


def _prevention_denied(tok: Token, vocab: Vocab) -> bool:
    """A verb of preventing under a plain negation ("did not prevent"): what it governs happened."""
    negated = any(c.dep_ == "neg" for c in tok.children) and not any(
        c.dep_ == "aux" and c.tag_ == "MD" for c in tok.children
    )
    return negated and tok.lemma_.lower() in vocab.preventers


def _a_running_total(trigger: Token) -> bool:
    """A present perfect counted "since" a date or an event: what has happened over years, not an
    incident ("has killed 35,000 since 2009", "has stepped up attacks since the Taliban took power")."""
    verb = trigger.head if trigger.pos_ == "NOUN" and trigger.dep_ in ("dobj", "nsubjpass") else trigger
    perfect = any(c.dep_ == "aux" and c.lower_ in ("has", "have") for c in verb.children)
    since = any(t.lower_ == "since" and t.dep_ in ("prep", "mark") for t in verb.subtree)
    return perfect and since
