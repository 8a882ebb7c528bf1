"""Opening a store: one SQLite file in WAL mode, migrated to the current schema version.

WAL lets the web server read while an ingest writes. Every write goes through
``Store.transaction()``, an immediate transaction that commits whole or not at all, so a crash
mid-document leaves the store as it was before that document.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from conflictkb.names import name_skeleton
from conflictkb.store.schema import MIGRATIONS, SCHEMA_VERSION

# How long a writer waits for another writer before giving up (milliseconds).
BUSY_TIMEOUT_MS = 30_000


class StoreError(RuntimeError):
    """A store that cannot be opened or used; the message says what to do."""


class Store:
    """A connection to one knowledge-base file."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        if readonly and not self.path.exists():
            raise StoreError(f"no knowledge base at {self.path}: run 'conflictkb ingest PATH --db {self.path}' first")
        try:
            if readonly:
                uri = f"{self.path.resolve().as_uri()}?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            else:
                self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open {self.path}: {exc}") from exc
        self.conn.row_factory = sqlite3.Row
        try:
            self._setup(readonly)
        except StoreError:
            self.conn.close()
            raise
        except sqlite3.OperationalError as exc:  # e.g. a folder, an unwritable place, a lock held too long
            self.conn.close()
            raise StoreError(f"cannot open {self.path}: {exc}") from exc
        except sqlite3.DatabaseError as exc:  # "file is not a database": not an SQLite file at all
            self.conn.close()
            raise StoreError(f"{self.path} is not a conflictkb knowledge base: {exc}") from exc

    def _setup(self, readonly: bool) -> None:
        # Migrations and queries compare names by their transliteration skeleton.
        self.conn.create_function("name_skeleton", 1, name_skeleton, deterministic=True)
        self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.conn.execute("PRAGMA foreign_keys = ON")
        if not readonly:
            self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.migrate()
        elif (version := self.version()) != SCHEMA_VERSION:
            raise StoreError(f"{self.path} is at schema version {version}; open it once for writing to migrate it")

    def version(self) -> int:
        try:
            row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.OperationalError:
            return 0
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not a conflictkb knowledge base: {exc}") from exc
        return int(row["value"]) if row else 0

    def migrate(self) -> None:
        """Bring the file to the current schema, one versioned step at a time, each atomic."""
        current = self.version()
        if current > SCHEMA_VERSION:
            raise StoreError(f"{self.path} was written by a newer conflictkb (schema {current} > {SCHEMA_VERSION})")
        while current < SCHEMA_VERSION:
            with self.transaction():
                for statement in MIGRATIONS[current].split(";\n"):
                    if statement.strip():
                        self.conn.execute(statement)
                current += 1
                self.conn.execute(
                    "INSERT INTO meta(key, value) VALUES ('schema_version', ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (str(current),),
                )

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """An immediate write transaction: all of it is committed, or none of it."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            if self.conn.in_transaction:  # SQLite may already have rolled back (disk full, I/O error)
                self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
