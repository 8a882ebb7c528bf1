"""Opening a store: one SQLite file in WAL mode, migrated to the current schema version.

WAL lets the web server read while an ingest writes. Every write goes through
``Store.transaction()``, an immediate transaction that commits whole or not at all, so a crash
mid-document leaves the store as it was before that document.

An ingest decides what to do with a file (new, unchanged, a duplicate) before it writes it, so two
ingests into one store would both decide that a file is new. ``Store.claim()``, called by the
writer's ingest functions, makes one process the store's only ingest until it closes the store: an
advisory lock (``flock``) on ``<db>.lock`` beside the file. A second ingest waits for the first, says
so on stderr, then finds its files unchanged: the two serialise. The kernel drops the lock when its
process dies, even by ``kill -9``, so no stale lock outlives a crash. Short writers (actors, links,
corrections) are single transactions and need no claim; readers never take it.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from conflictkb.names import name_skeleton
from conflictkb.store.schema import MIGRATIONS, SCHEMA_VERSION

# How long a writer waits for another writer before giving up (milliseconds).
BUSY_TIMEOUT_MS = 30_000
LOCK_SUFFIX = ".lock"


class StoreError(RuntimeError):
    """A store that cannot be opened or used; the message says what to do."""


class _Claims:
    """The ingest locks this process holds, one per store file, shared by its Store objects: flock
    locks are per open file, so a second Store of one process would otherwise wait on the first."""

    def __init__(self) -> None:
        self.held: dict[Path, tuple[IO[str], int]] = {}

    def take(self, db: Path) -> Path:
        """Claim ``db``, waiting while another process holds it; return the key to ``drop`` it by."""
        key = db.resolve()
        if key in self.held:
            handle, count = self.held[key]
            self.held[key] = (handle, count + 1)
            return key
        try:
            handle = open(key.with_name(key.name + LOCK_SUFFIX), "a+", encoding="utf-8")  # noqa: SIM115  # held open
        except OSError as exc:
            raise StoreError(f"cannot lock {db} for this ingest: {exc.strerror or exc}") from exc
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            sys.stderr.write(
                f"waiting: another ingest (process {holder}) is writing to {db}; this one goes on after it\n"
            )
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.truncate(0)
        handle.write(str(os.getpid()))
        handle.flush()
        self.held[key] = (handle, 1)
        return key

    def drop(self, key: Path) -> None:
        handle, count = self.held[key]
        if count > 1:
            self.held[key] = (handle, count - 1)
            return
        del self.held[key]
        handle.close()  # closing the only descriptor releases the flock


_CLAIMS = _Claims()


class Store:
    """A connection to one knowledge-base file."""

    def __init__(self, path: str | Path, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._claim: Path | None = None
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
            self._write_ahead_log()
            self.conn.execute("PRAGMA synchronous = NORMAL")
            self.migrate()
        elif (version := self.version()) != SCHEMA_VERSION:
            raise StoreError(f"{self.path} is at schema version {version}; open it once for writing to migrate it")

    def _write_ahead_log(self) -> None:
        """Switch to WAL, waiting for other openers: SQLite answers "database is locked" at once,
        without its busy handler, when another connection holds the new file's lock meanwhile."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                self.conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

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
        if self.version() == SCHEMA_VERSION:
            return  # the usual case: no write lock taken
        while True:
            with self.transaction():
                # Read inside the write transaction: another process may have migrated meanwhile.
                current = self.version()
                if current > SCHEMA_VERSION:
                    raise StoreError(
                        f"{self.path} was written by a newer conflictkb (schema {current} > {SCHEMA_VERSION})"
                    )
                if current == SCHEMA_VERSION:
                    return
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

    def claim(self) -> None:
        """Make this process the store's only ingest until the store is closed; wait while another
        holds it. Idempotent, so every writer function of an ingest may call it."""
        if self._claim is None and not self.readonly:
            self._claim = _CLAIMS.take(self.path)

    def close(self) -> None:
        self.conn.close()
        if self._claim is not None:
            _CLAIMS.drop(self._claim)
            self._claim = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
