"""How names are compared: the one definition shared by extraction, resolution and the store."""

from __future__ import annotations

import re


def name_skeleton(name: str) -> str:
    """The transliteration skeleton of a name as one string ("Yuldeshev" -> "alds"), for the store."""
    from conflictkb.translit import skeleton

    return " ".join(skeleton(name))


def entity_key(name: str) -> str:
    """Case, punctuation and spacing folded: "the IMU's" and "IMU" compare equal after cleaning."""
    return " ".join(re.sub(r"[^\w\s]", " ", name.casefold()).split())
