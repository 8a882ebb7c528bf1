"""OCR and spelling repair, guided by the dictionaries: "1MU" -> IMU, "AI-Qaeda" -> Al-Qaeda.

Book scans and re-typed reports carry noise the parser cannot see through: digits for letters,
"l" for "I", a word split after its capital ("N amangani"), words glued together ("ofthe"),
unreadable letters ("Al-~eda"). Each rule of ``data/ocr.yaml`` proposes a correction, and a
correction is made only when the written word is not a known name and the corrected one is. The
edits go through ``NormalizedText.edited``, so every offset still points at what the scan says.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process

from conflictkb.actors import load_dictionary
from conflictkb.gazetteer import curated_places
from conflictkb.normalize import NormalizedText
from conflictkb.vocab import DATA_DIR, read_yaml

_WORD = re.compile(r"[^\s,;:!?()\[\]\"“”]+")
_SPLIT_CAPITAL = re.compile(r"\b([A-Z]) ([a-z]{3,})\b")
_CAPITALISED = re.compile(r"\b[A-Z][a-z]{3,}\b")
# How often a document must spell a capitalised word alike for it to count as a known name.
DOCUMENT_WORD_MIN = 3
# How many times more often a text must write two function words apart than glued to split them.
GLUE_RATIO = 5


@dataclass(frozen=True)
class Lexicon:
    """Known names (as written) and their words, with the OCR rules."""

    names: frozenset[str]
    confusions: tuple[tuple[str, str], ...]
    junk: str
    junk_similarity: float
    glue: frozenset[str]
    apostrophe_as: tuple[str, ...]

    def knows(self, word: str) -> bool:
        return word in self.names

    def with_words_of(self, text: str) -> Lexicon:
        """This lexicon plus the capitalised words the text itself spells the same way often: a scan
        that reads "Namangani" thirty times and "N amangani" twice is repaired from itself."""
        counts = Counter(w for w in _CAPITALISED.findall(text))
        own = {w for w, n in counts.items() if n >= DOCUMENT_WORD_MIN}
        return replace(self, names=self.names | own) if own else self


def _known_names() -> set[str]:
    dictionary = load_dictionary()
    names: set[str] = set()
    for actor in dictionary.actors.values():
        names.update(actor.names)
    for country in dictionary.countries.values():
        names.update((*country.names, *country.demonyms, *country.adjectives))
    for place in curated_places():
        names.update(str(n) for n in [place["name"], *(place.get("aliases") or [])])
    words = {w for n in names for w in re.split(r"[\s]+", n) if len(w) > 2 and w[0].isupper()}
    return {n for n in names if n} | words


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    data: dict[str, Any] = read_yaml(DATA_DIR / "ocr.yaml")
    return Lexicon(
        names=frozenset(_known_names()),
        confusions=tuple((str(a), str(b)) for a, b in data.get("confusions") or []),
        junk=str(data.get("junk") or ""),
        junk_similarity=float(data.get("junk_similarity") or 80),
        glue=frozenset(str(w) for w in data.get("glue_words") or []),
        apostrophe_as=tuple(str(a) for a in data.get("apostrophe_as") or []),
    )


def _variants(word: str, confusions: tuple[tuple[str, str], ...]) -> set[str]:
    """Every spelling one confusion away from ``word``."""
    out = set()
    for wrong, right in confusions:
        start = word.find(wrong)
        while start >= 0:
            out.add(word[:start] + right + word[start + len(wrong) :])
            start = word.find(wrong, start + 1)
    return out


def _fix_word(bare: str, lex: Lexicon) -> str | None:
    """The known name one confusion away from an unknown word (only when exactly one is)."""
    if lex.knows(bare) or not any(c.isupper() or c.isdigit() for c in bare):
        return None
    if any(c in lex.junk for c in bare):
        return _fix_junk(bare, lex)
    known = [v for v in _variants(bare, lex.confusions) if lex.knows(v)]
    return known[0] if len(known) == 1 else None


def _fix_junk(word: str, lex: Lexicon) -> str | None:
    best = process.extract(word, lex.names, scorer=fuzz.ratio, limit=2)
    if best and best[0][1] >= lex.junk_similarity and (len(best) == 1 or best[0][1] > best[1][1]):
        return str(best[0][0])
    return None


def _glued(word: str, lex: Lexicon, text: str) -> str | None:
    """Two function words run together ("ofthe"), when the text itself writes them apart far more
    often than together (so that "into" and "within" stay words)."""
    if not word.islower() or word in lex.glue:
        return None
    for cut in range(1, len(word)):
        if word[:cut] in lex.glue and word[cut:] in lex.glue:
            split = f"{word[:cut]} {word[cut:]}"
            apart = len(re.findall(rf"\b{split}\b", text, re.IGNORECASE))
            together = len(re.findall(rf"\b{word}\b", text, re.IGNORECASE))
            return split if apart >= GLUE_RATIO * together else None
    return None


def corrections(text: str, lex: Lexicon) -> list[tuple[int, int, str]]:
    """The edits (start, end, replacement) that repair ``text``."""
    edits: list[tuple[int, int, str]] = []
    for match in _WORD.finditer(text):
        word = match.group()
        bare = word.rstrip(".'’")
        fixed = _fix_word(bare, lex) or _glued(bare, lex, text)
        if fixed is not None:
            edits.append((match.start(), match.start() + len(bare), fixed))
        for mark in lex.apostrophe_as:
            at = word.find(f"{mark}s")
            if at > 0 and word[at - 1].isalpha() and at + 2 == len(word):
                edits.append((match.start() + at, match.start() + at + 1, "'"))
    for match in _SPLIT_CAPITAL.finditer(text):
        joined = match.group(1) + match.group(2)
        if lex.knows(joined):
            edits.append((match.start(), match.end(), joined))
    return edits


def repair(norm: NormalizedText, lex: Lexicon | None = None) -> NormalizedText:
    """``norm`` with its OCR noise repaired, offsets still pointing into the original."""
    return norm.edited(corrections(norm.text, (lex or lexicon()).with_words_of(norm.text)))
