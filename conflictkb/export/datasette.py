"""Datasette metadata for a knowledge base: table descriptions, labels, facets and canned queries.

The metadata ships with the package (``data/datasette.yaml``, keyed by the database name ``kb``,
which is what Datasette calls ``kb.sqlite``). Datasette names a database after its file, so for
another file ``metadata(path)`` re-keys it to that file's name::

    datasette kb.sqlite --metadata "$(python -c 'import conflictkb.export.datasette as d; print(d.METADATA_FILE)')"
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path
from typing import Any, TextIO

from conflictkb.vocab import DATA_DIR, read_yaml

METADATA_FILE = DATA_DIR / "datasette.yaml"
DEFAULT_NAME = "kb"


@lru_cache(maxsize=1)
def _shipped() -> dict[str, Any]:
    return read_yaml(METADATA_FILE)


def database_name(path: str | Path) -> str:
    """The name Datasette gives the database in ``path``: its file name without the extension."""
    return Path(path).stem


def metadata(path: str | Path | None = None) -> dict[str, Any]:
    """The shipped metadata, keyed by the database name of ``path`` (default ``kb``)."""
    data = copy.deepcopy(_shipped())
    name = database_name(path) if path is not None else DEFAULT_NAME
    databases = data.get("databases") or {}
    data["databases"] = {name: databases.get(DEFAULT_NAME, {})}
    return data


def write(path: str | Path, out: TextIO) -> int:
    """Write the metadata for the database in ``path`` as JSON (which Datasette reads as .json or
    .yaml); return how many tables it describes."""
    data = metadata(path)
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")
    return sum(len(db.get("tables") or {}) for db in data["databases"].values())
