"""Strengths: how many fighters a group has, as the text counts them ("a few hundred fighters",
"2,000 men", "fifteen thousand strong", "estimates its ranks at four or five thousand"), with the
words that bound the figure ("not more than", "at least"). A claim of ``claims``, in its own module."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Doc, Token

from conflictkb.arguments import Found, entity_in, phrase_tokens
from conflictkb.claims import Claim, actor_in, child, sentence_actor, subtree
from conflictkb.entities import FoundEntities
from conflictkb.relation_parts import GROUP_KINDS
from conflictkb.tolls import find_tolls, number_in, words_to_number
from conflictkb.vocab import Vocab


def _with_modifier(words: list[Token], vocab: Vocab) -> list[Token]:
    """The count with the words that bound it before it ("not more than a few hundred", "at least
    2,000", "up to 100": the modifiers of tolls.yaml, and a "not" before them)."""
    if not words:
        return words
    first, sent = words[0], words[0].sent
    modifiers = vocab.vague_modifiers | vocab.kept_modifiers
    # The parser may have taken the modifier's last word ("than") into the count already.
    for end in (first.i, first.i + 1):
        for size in (3, 2, 1):
            begin = end - size
            if begin >= sent.start and " ".join(t.lower_ for t in first.doc[begin:end]) in modifiers:
                if begin > sent.start and first.doc[begin - 1].lower_ == "not":
                    begin -= 1
                return [*first.doc[begin : first.i], *words]
    return words


def _quantity(noun: Token, vocab: Vocab) -> list[Token]:
    """The words that count the noun: "a few hundred", "2,000", "Up to a hundred", "four or five thousand"."""
    left = [t for t in noun.subtree if t.i < noun.i]
    words = vocab.vague_quantities | vocab.multipliers
    counted = [t for t in left if (t.like_num or t.lower_ in words) and t.ent_type_ != "DATE"]
    if not counted:
        return []
    start = min(t.i for t in counted)
    if noun.dep_ == "conj" and noun.head.like_num and noun.head.i < start:
        # "between 2,000 and 3,000 fighters": the parser hangs the noun on the range's first number.
        start = noun.head.i
        if start > noun.sent.start and noun.doc[start - 1].lower_ in vocab.range_openers:
            start -= 1
    while (
        start > noun.sent.start
        and noun.doc[start - 1].dep_ in ("advmod", "quantmod", "det", "cc")
        and noun.doc[start - 1].i in {t.i for t in left}
    ):
        start -= 1
    return list(noun.doc[start : noun.i + 1])


def _in_an_incident(noun: Token, vocab: Vocab) -> bool:
    """Are these people the actors or victims of an incident ("25 militants escaped", "members went
    on trial") rather than a count of the group?"""
    verb = noun.head
    if verb.lemma_.lower() in vocab.triggers_by_first:
        return True
    return any(
        t.lemma_.lower() in vocab.triggers_by_first for c in verb.children if c.dep_ == "prep" for t in c.children
    )


def _counting_subject(first: Token, found: FoundEntities, vocab: Vocab) -> Found | None:
    """ "the IMU counts only a few hundred fighters", "the group had 2,000 men": the subject of the
    verb just before the figure, however the parser attached the figure."""
    before = first.i - 1
    while before > first.sent.start and first.doc[before].pos_ in ("ADV", "AUX", "PART"):
        before -= 1
    verb = first.doc[before]
    if verb.pos_ != "VERB" or verb.i < first.sent.start:
        return None
    return actor_in(subtree(child(verb, "nsubj")), found, vocab, ("armed_group", "organization", "person"))


def _counted(doc: Doc, vocab: Vocab, found: FoundEntities) -> Iterator[Claim]:
    toll_spans = [(t.start, t.end) for sent in doc.sents for t in find_tolls(sent, vocab)]
    for tok in doc:
        if _in_an_incident(tok, vocab):
            continue  # "Twelve IMU members went on trial": the people in an incident, not the group's size
        if not any(s.relation == "strength" for s in vocab.relation_nouns.get(tok.lemma_.lower(), ())):
            continue
        words = _with_modifier(_quantity(tok, vocab), vocab)
        if not words or any(s <= words[0].idx < e for s, e in toll_spans):
            continue  # "killing 25 militants" is a toll, not a strength
        if tok.head.lemma_.lower() in vocab.triggers_by_first and tok.head.pos_ == "VERB":
            continue  # "25 militants escaped": the ones in an incident, not the group's size
        group = entity_in([t for c in tok.children if c.dep_ in ("compound", "nmod", "poss") for t in c.subtree], found)
        # "600 members of bin Laden's 055 Arab Brigade": the group they are members of.
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        group = group or entity_in(subtree(child(of, "pobj")) if of is not None else [], found, GROUP_KINDS)
        group = group or _counting_subject(words[0], found, vocab)
        group = group or sentence_actor(tok, found, vocab, ("armed_group", "organization", "person"))
        if group is None:
            continue
        text = tok.doc[words[0].i : tok.i + 1].text
        digits = [t for t in words if t.like_num]
        vague = any(t.lower_ in vocab.vague_quantities for t in words) or len(digits) > 1
        number = (
            None
            if vague or not digits
            else words_to_number(" ".join(t.text for t in words if t.like_num or t.lower_ in vocab.multipliers))
        )
        yield Claim("strength", str(group.entity), tok, value=" ".join(text.split()), number=number)


def _put_at(doc: Doc, vocab: Vocab, found: FoundEntities) -> Iterator[Claim]:
    """ "Rashid estimates the ranks of the militants at 'maybe four or five thousand'": a size noun
    as a verb's object, its figure after "at" (a figure with its own counted noun, "at 2,000
    fighters", is read as any strength is)."""
    for tok in doc:
        if tok.lemma_.lower() not in vocab.size_nouns or tok.dep_ != "dobj":
            continue
        at = next((c for c in tok.head.children if c.dep_ == "prep" and c.lower_ == "at"), None)
        figure = child(at, "pobj") if at is not None else None
        if figure is None or not any(
            t.like_num or t.lower_ in vocab.vague_quantities | vocab.multipliers for t in figure.subtree
        ):
            continue
        if any(s.relation == "strength" for s in vocab.relation_nouns.get(figure.lemma_.lower(), ())):
            continue
        of = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        whose = child(of, "pobj") if of is not None else None
        # "its ranks" refers back; "the ranks of the militants" is too loose a reference: a name only.
        group = actor_in(subtree(child(tok, "poss")), found, vocab, ("armed_group", "organization"))
        if group is None and whose is not None:
            group = entity_in(phrase_tokens(whose), found, ("armed_group", "organization"))
        words = [t for t in figure.subtree if not t.is_punct]
        if group is not None and group.entity is not None and words:
            text = " ".join(doc[words[0].i : words[-1].i + 1].text.split())
            number = number_in(text) if "or" not in text.split() else None
            yield Claim("strength", group.entity, tok, value=text, number=number)


def strength_claims(doc: Doc, vocab: Vocab, found: FoundEntities) -> Iterator[Claim]:
    """Every strength claim of the document."""
    yield from _counted(doc, vocab, found)
    yield from _put_at(doc, vocab, found)
