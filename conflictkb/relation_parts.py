"""What the relation finders share: the pair they find, and small readings of the parse."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from conflictkb.arguments import Found

SUBJECT_KINDS = ("armed_group", "organization", "state_actor", "person")
GROUP_KINDS = ("armed_group", "organization", "state_actor")


@dataclass(frozen=True, slots=True)
class Pair:
    """A relation found at a word: subject and object entities, and the word that stated it."""

    relation: str
    subject: Found
    object: Found
    word: Token


def subtree(tok: Token | None) -> list[Token]:
    return list(tok.subtree) if tok is not None else []


def child(tok: Token, *deps: str) -> Token | None:
    return next((c for c in tok.children if c.dep_ in deps), None)


def objects_after(word: Token, preps: frozenset[str]) -> list[Token]:
    """The words after the word's prepositions that introduce an object ("sanctuary among X")."""
    found: list[Token] = []
    for prep in (c for c in word.children if c.dep_ == "prep" and c.lower_ in preps):
        found.extend(subtree(child(prep, "pobj")))
    return found
