"""Transliteration-aware name comparison: one skeleton for the many spellings of a name.

Central Asian and Arabic names reach English reporting through several transliterations
(Yuldashev / Yuldeshev / Yuldash / Yoldash; Khojaev / Khojiev). A skeleton folds accents and
case, applies the spelling rules of ``data/transliteration.yaml``, drops variable endings and
particles, and removes vowels after the first letter. Two names are variants when every word's
skeleton agrees and, for people, their letters are close too.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz

from conflictkb.vocab import DATA_DIR, read_yaml

_VOWELS = set("aeiou")


@dataclass(frozen=True)
class Rules:
    replacements: tuple[tuple[str, str], ...]
    suffixes: tuple[str, ...]
    particles: frozenset[str]
    person_similarity: float


@lru_cache(maxsize=1)
def rules() -> Rules:
    data: dict[str, Any] = read_yaml(DATA_DIR / "transliteration.yaml")
    return Rules(
        replacements=tuple((str(a), str(b)) for a, b in data["replacements"]),
        suffixes=tuple(sorted((str(s) for s in data["suffixes"]), key=len, reverse=True)),
        particles=frozenset(str(p) for p in data["particles"]),
        person_similarity=float(data["person_similarity"]),
    )


def fold(text: str) -> str:
    """Lower-case ASCII letters and spaces only: accents dropped, punctuation made space."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.encode("ascii", "ignore").decode().split())


def word_skeleton(word: str) -> str:
    r = rules()
    for old, new in r.replacements:
        word = word.replace(old, new)
    for suffix in r.suffixes:
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    if not word:
        return ""
    first = "a" if word[0] in _VOWELS else word[0]  # Osama / Usama, Islam / Islom
    squeezed = first + "".join(c for c in word[1:] if c not in _VOWELS)
    out: list[str] = []
    for c in squeezed:
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def skeleton(name: str) -> tuple[str, ...]:
    """The name's words as skeletons, particles left out."""
    particles = rules().particles
    return tuple(word_skeleton(w) for w in fold(name).split() if w not in particles)


def variants(a: str, b: str, *, person: bool = False) -> bool:
    """Are ``a`` and ``b`` spellings of one name? Same word skeletons; for people, close letters too."""
    sa, sb = skeleton(a), skeleton(b)
    if not sa or sa != sb:
        return False
    if not person:
        return True
    return fuzz.ratio(fold(a), fold(b)) >= rules().person_similarity
