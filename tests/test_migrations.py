"""Schema migrations, from every earlier version to the current one, on real data.

For each version v before ``SCHEMA_VERSION`` a store is built the way a release at v built it:
``MIGRATIONS[0]`` to ``MIGRATIONS[v - 1]`` applied to an empty file. It is filled with the seeds'
rows (conftest's ``seed_kb``, built by the real pipeline) in the columns that version had; tables
that triggers fill (full-text tables, indexes) are left to its triggers. Opening it with the current
code must migrate it to the current version, keep every row it had, and pass ``conflictkb check``.
The versions come from ``store/schema.py``, so a new migration is tested without editing this file.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from conflictkb.names import name_skeleton
from conflictkb.store import Store, StoreError
from conflictkb.store.check import check_store
from conflictkb.store.schema import MIGRATIONS, SCHEMA_VERSION

Rows = dict[str, list[tuple[object, ...]]]
_FILLED_BY_TRIGGER = re.compile(r"INSERT\s+(?:OR\s+\w+\s+)?INTO\s+(\w+)", re.IGNORECASE)


def build_at(path: Path, version: int) -> None:
    """An empty store at ``version``, migrated step by step as ``Store.migrate`` does."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.create_function("name_skeleton", 1, name_skeleton, deterministic=True)
        for step in range(version):
            for statement in MIGRATIONS[step].split(";\n"):
                if statement.strip():
                    conn.execute(statement)
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)", (str(version),))


def plain_tables(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Tables holding data of their own, in creation order, with their columns: not FTS tables, their
    storage, nor tables that a trigger fills."""
    rows = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY rowid").fetchall()
    virtual = [name for kind, name, sql in rows if kind == "table" and (sql or "").upper().startswith("CREATE VIRTUAL")]
    filled = {t for kind, _, sql in rows if kind == "trigger" for t in _FILLED_BY_TRIGGER.findall(sql or "")}
    names = [
        name
        for kind, name, _ in rows
        if kind == "table"
        and not name.startswith("sqlite_")
        and name not in filled
        and not any(name == v or name.startswith(f"{v}_") for v in virtual)
    ]
    return {name: [row[1] for row in conn.execute(f'PRAGMA table_info("{name}")')] for name in names}


def rows_of(conn: sqlite3.Connection, tables: dict[str, list[str]]) -> Rows:
    out: Rows = {}
    for table, columns in tables.items():
        listed = ", ".join(f'"{c}"' for c in columns)
        out[table] = sorted(conn.execute(f'SELECT {listed} FROM "{table}"').fetchall(), key=repr)  # noqa: S608
    return out


def fill(path: Path, source: Path) -> tuple[dict[str, list[str]], Rows]:
    """Copy the source's rows into the old store's tables and columns; return those tables and
    columns, and the rows written."""
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.create_function("name_skeleton", 1, name_skeleton, deterministic=True)
        tables = {name: cols for name, cols in plain_tables(conn).items() if name != "meta"}
        conn.execute("ATTACH DATABASE ? AS source", (f"{source.resolve().as_uri()}?mode=ro",))
        conn.execute("BEGIN")
        for table, columns in tables.items():
            listed = ", ".join(f'"{c}"' for c in columns)
            conn.execute(f'INSERT INTO main."{table}" ({listed}) SELECT {listed} FROM source."{table}"')  # noqa: S608
        conn.execute("COMMIT")
        conn.execute("DETACH DATABASE source")
        return tables, rows_of(conn, tables)


@pytest.mark.parametrize("version", range(1, SCHEMA_VERSION))
def test_a_store_at_every_earlier_version_migrates_with_its_data(tmp_path: Path, seed_kb: Path, version: int) -> None:
    path = tmp_path / f"v{version}.sqlite"
    build_at(path, version)
    tables, before = fill(path, seed_kb)
    assert before["documents"] and before["events"] and before["statements"]
    with Store(path) as store:
        assert store.version() == SCHEMA_VERSION
    with closing(sqlite3.connect(path)) as conn:
        after = rows_of(conn, tables)
    assert after == before
    failed = {f.rule: f.examples for f in check_store(path) if not f.ok}
    assert failed == {}


def test_a_store_from_a_newer_release_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "future.sqlite"
    build_at(path, SCHEMA_VERSION)
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),))
    with pytest.raises(StoreError, match="written by a newer conflictkb"):
        Store(path)


def test_an_old_store_opened_read_only_asks_to_be_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    build_at(path, SCHEMA_VERSION - 1)
    with pytest.raises(StoreError, match="open it once for writing to migrate it"):
        Store(path, readonly=True)
    Store(path).close()
    with Store(path, readonly=True) as store:
        assert store.version() == SCHEMA_VERSION


def test_migrations_are_numbered_without_gaps() -> None:
    assert sorted(MIGRATIONS) == list(range(SCHEMA_VERSION))
