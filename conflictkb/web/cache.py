"""A small cache of the workbench's aggregate answers, emptied whenever the store changes.

The overview's yearly chart, the map's points and an active actor's profile aggregate over every
event (hundreds of milliseconds on a store of 10,000 documents) and are the same for everyone
until something is written. Whether anything was written — by an ingest in another process, or a
review — is ``PRAGMA data_version`` on one long-lived read-only connection: it changes whenever
another connection commits. The cache holds at most ``max_entries`` answers (least recently used
go first), so the server's memory stays bounded.
"""

from __future__ import annotations

import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")


class StoreCache:
    """Answers computed from one store, kept while its data_version stays the same."""

    def __init__(self, path: Path, max_entries: int = 32) -> None:
        self.path = path
        self.max_entries = max_entries
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._inode = 0
        self._version: tuple[int, int, int] | None = None
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()

    def _current_version(self) -> tuple[int, int, int] | None:
        """The store file's identity and data_version (None when it cannot be read: then nothing is
        cached). A file replaced under the same name (removed, built again) is a new version, as is
        a checkpoint of the write-ahead log into the file (its modification time)."""
        try:
            stat = self.path.stat()
            inode = stat.st_ino
            if self._conn is not None and inode != self._inode:
                self.close()
            if self._conn is None:
                uri = f"{self.path.resolve().as_uri()}?mode=ro"
                self._conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
                self._inode = inode
            return inode, stat.st_mtime_ns, int(self._conn.execute("PRAGMA data_version").fetchone()[0])
        except (OSError, sqlite3.Error):
            self.close()
            return None

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The answer for ``key``: cached if the store has not changed since, else ``compute()``."""
        with self._lock:
            version = self._current_version()
            if version != self._version:
                self._entries.clear()
                self._version = version
            if version is not None and key in self._entries:
                self._entries.move_to_end(key)
                found: T = self._entries[key]
                return found
        value = compute()
        with self._lock:
            if version is not None and self._version == version:
                self._entries[key] = value
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return value

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
