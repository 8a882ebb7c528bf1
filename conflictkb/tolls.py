"""Tolls: how many were killed, wounded and kidnapped, as a sentence states them.

A number counts only when a toll word (from ``data/tolls.yaml``) stands next to it or governs
it in the parse: "Thirteen were killed and 128 injured", "killing six guards", "25 troops
killed and 20 more wounded". A vague amount ("dozens", "more than 100") is kept as text and
its number left null: an invented figure is worse than none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Span as SpacySpan
from spacy.tokens import Token

from conflictkb.vocab import Vocab

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_DIGITS = re.compile(r"^\d{1,3}(?:,\d{3})*$|^\d+$")
# How far (in tokens) a toll word may stand from its number.
_WINDOW_AFTER = 5
_WINDOW_BEFORE = 3


@dataclass(frozen=True, slots=True)
class Toll:
    """One figure: which toll, the number (None when vague) and the words it was read from."""

    category: str
    number: int | None
    start: int  # character offsets into the parsed text
    end: int


def words_to_number(text: str) -> int | None:
    """ "128" -> 128, "Thirteen" -> 13, "two hundred and five" -> 205; otherwise None."""
    cleaned = text.strip().lower()
    if _DIGITS.match(cleaned):
        return int(cleaned.replace(",", ""))
    total = current = 0
    seen = False
    for word in re.split(r"[\s-]+", cleaned):
        if word == "and" and seen:
            continue
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _SCALES:
            current = max(current, 1) * _SCALES[word]
            if _SCALES[word] >= 1000:
                total, current = total + current, 0
        else:
            return None
        seen = True
    return total + current if seen else None


def number_in(text: str) -> int | None:
    """The one figure a phrase states: "some 5,000 activists" -> 5000, "fifteen thousand strong" ->
    15000; None when it states none, or two in digits ("between 100 and 200")."""
    digits = re.findall(r"\d[\d,]*", text)
    if digits:
        return words_to_number(digits[0].rstrip(",")) if len(digits) == 1 else None
    word = "(?:" + "|".join([*_UNITS, *_SCALES]) + ")"
    runs = re.findall(rf"\b{word}(?:[\s-]+(?:and[\s-]+)?{word})*\b", text.lower())
    longest = max(runs, key=len, default="")
    return words_to_number(longest) if longest else None


def _continues_number(tok: Token) -> bool:
    """ "two hundred and five": words that extend a number written in words."""
    return tok.lower_ in _UNITS or tok.lower_ in _SCALES or tok.lower_ in ("-", "and")


# Entity labels whose numbers are not counts of people.
_NOT_COUNTS = ("DATE", "TIME", "ORDINAL", "MONEY", "PERCENT")


def _number_tokens(sent: SpacySpan) -> list[tuple[Token, Token]]:
    """Each run of number tokens in the sentence as (first, last), skipping years and dates."""
    runs: list[tuple[Token, Token]] = []
    i = sent.start
    while i < sent.end:
        tok = sent.doc[i]
        if tok.like_num and (tok.ent_type_ not in _NOT_COUNTS or _counts_outside(tok)):
            j = i
            while j + 1 < sent.end and _continues_number(sent.doc[j + 1]):
                j += 1
            while j > i and sent.doc[j].lower_ in ("-", "and"):
                j -= 1
            runs.append((tok, sent.doc[j]))
            i = j + 1
        else:
            i += 1
    return runs


def _counts_outside(tok: Token) -> bool:
    """A number the parser swallowed into a date ("on August 5 that 11 militants had been killed")
    that counts a noun outside it."""
    if tok.dep_ != "nummod" or re.fullmatch(r"(?:1[89]|20)\d\d", tok.text):
        return False  # "In 2019 soldiers ...": a year the parser hung on a noun is still a year
    entity = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
    return entity is not None and len(entity) > 1 and not entity.start <= tok.head.i < entity.end


def _category(tok: Token, vocab: Vocab) -> str | None:
    for category, words in vocab.tolls.items():
        if tok.lemma_.lower() in words or tok.lower_ in words:
            return category
    return None


def _nearest_toll_word(first: Token, last: Token, vocab: Vocab) -> Token | None:
    """The toll word this number belongs to, the nearer of after ("13 were killed") and before
    ("killing six"); a verb right before the number wins a tie ("killed six guards and wounded")."""
    sent = first.sent
    counted = last.head if last.dep_ == "nummod" else None
    if counted is not None and counted.dep_ == "nsubjpass" and _category(counted.head, vocab):
        return counted.head  # "nine people designated as IMU fighters had been killed": the parse ties them
    after: Token | None = None
    for k in range(last.i + 1, min(sent.end, last.i + 1 + _WINDOW_AFTER)):
        tok = first.doc[k]
        if tok.like_num or tok.text in (";", "."):
            break
        if _category(tok, vocab):
            after = None if _acts_on_others(tok) else tok
            break
    before: Token | None = None
    for k in range(first.i - 1, max(sent.start, first.i - 1 - _WINDOW_BEFORE), -1):
        tok = first.doc[k]
        if tok.like_num or tok.text in (";", ",", ".") or tok.dep_ == "cc":
            break
        shot_dead = tok.dep_ == "acomp" and tok.head.pos_ == "VERB"  # "shot dead three protesters"
        if _category(tok, vocab) and (tok.pos_ == "VERB" or shot_dead or tok.doc[tok.i + 1].lower_ == "of"):
            before = tok  # "killing six guards", "the deaths of twelve farmers"
            break
    if before is None or after is None:
        return before or after
    return before if first.i - before.i <= after.i - last.i else after


def _acts_on_others(verb: Token) -> bool:
    """ "fifteen insurgents attacked and killed four soldiers": a number before an active verb with
    its own object counts the ones who killed, not the dead."""
    active = verb.pos_ == "VERB" and not any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)
    return active and any(c.dep_ == "dobj" for c in verb.children)


def _modifier(first: Token, vocab: Vocab) -> tuple[int, bool] | None:
    """Where a modifier of the number ("at least 30", "up to 50") starts, and whether the number
    stands (a lower bound or an estimate) or the figure is unknown."""
    for size in (3, 2, 1):
        begin = first.i - size
        if begin < first.sent.start:
            continue
        words = " ".join(t.lower_ for t in first.doc[begin : first.i])
        if words in vocab.vague_modifiers or words in vocab.kept_modifiers:
            return first.doc[begin].idx, words in vocab.kept_modifiers
    return None


def find_tolls(sent: SpacySpan, vocab: Vocab) -> list[Toll]:
    """Every toll figure in one sentence, numbers and vague amounts alike."""
    found: list[Toll] = []
    for first, last in _number_tokens(sent):
        word = _nearest_toll_word(first, last, vocab)
        if word is None:
            continue
        category = _category(word, vocab)
        assert category is not None
        number = words_to_number(sent.doc[first.i : last.i + 1].text)
        modifier = _modifier(first, vocab)
        if modifier is not None and not modifier[1]:
            number = None
        start = min(first.idx if modifier is None else modifier[0], word.idx)
        end = max(last.idx + len(last.text), word.idx + len(word.text))
        found.append(Toll(category, number, start, end))
    found.extend(_vague_tolls(sent, vocab, found))
    found.extend(_one_victim(sent, vocab, found))
    return found


def _one_victim(sent: SpacySpan, vocab: Vocab, found: list[Toll]) -> list[Toll]:
    """ "the kidnappers murdered the soldier": a killing verb whose object is one person (a singular
    noun of ``one_person`` in tolls.yaml) with no number killed one."""
    ones: list[Toll] = []
    for verb in sent:
        if verb.pos_ != "VERB" or verb.lemma_.lower() not in vocab.tolls["killed"]:
            continue
        victim = next((c for c in verb.children if c.dep_ == "dobj"), None)
        if victim is None or victim.tag_ != "NN" or victim.lemma_.lower() not in vocab.one_person:
            continue
        if any(c.dep_ == "nummod" for c in victim.children):
            continue
        start, end = verb.idx, victim.idx + len(victim.text)
        if not any(t.start < end and start < t.end for t in found):
            ones.append(Toll("killed", 1, start, end))
    return ones


def _vague_tolls(sent: SpacySpan, vocab: Vocab, found: list[Toll]) -> list[Toll]:
    """ "killing dozens", "hundreds were wounded": an amount with no number, kept as text."""
    vague: list[Toll] = []
    for tok in sent:
        if tok.lower_ not in vocab.vague_counts:
            continue
        if any(t.start <= tok.idx < t.end for t in found):
            continue
        word = _nearest_toll_word(tok, tok, vocab)
        category = _category(word, vocab) if word is not None else None
        if word is not None and category is not None:
            start, end = min(tok.idx, word.idx), max(tok.idx + len(tok.text), word.idx + len(word.text))
            vague.append(Toll(category, None, start, end))
    return vague
