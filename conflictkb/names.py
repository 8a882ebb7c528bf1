"""How names are compared: the one definition shared by extraction, resolution and the store."""

from __future__ import annotations

import re


def entity_key(name: str) -> str:
    """Case, punctuation and spacing folded: "the IMU's" and "IMU" compare equal after cleaning."""
    return " ".join(re.sub(r"[^\w\s]", " ", name.casefold()).split())
