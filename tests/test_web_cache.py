"""conflictkb.web.cache: answers kept while the store is unchanged, forgotten as soon as any other
connection (another process's ingest, a review) commits, and never more than a bounded number."""

from __future__ import annotations

import json
import shutil
from functools import partial
from pathlib import Path

from test_web import fetch, serving

from conflictkb.store import Store, writer
from conflictkb.store.corrections import add_correction
from conflictkb.web.cache import StoreCache


def test_an_answer_is_kept_until_the_store_changes(seed_kb: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.sqlite"
    shutil.copy(seed_kb, db)
    cache = StoreCache(db, max_entries=2)
    calls: list[str] = []

    def compute(name: str) -> str:
        calls.append(name)
        return name.upper()

    assert cache.get("a", lambda: compute("a")) == "A"
    assert cache.get("a", lambda: compute("a")) == "A"
    assert calls == ["a"], "kept"
    with Store(db) as store, store.transaction():
        add_correction(store, "event:abc-ev1", "killed", "correct", "3")
    assert cache.get("a", lambda: compute("a")) == "A"
    assert calls == ["a", "a"], "forgotten once another connection committed"
    for key in ("b", "c", "a"):
        cache.get(key, partial(compute, key))
    assert calls[-3:] == ["b", "c", "a"], "at most two answers: the least recently used went first"
    cache.close()


def test_a_store_built_again_under_the_same_name_is_a_new_store(seed_kb: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.sqlite"
    shutil.copy(seed_kb, db)
    cache = StoreCache(db)
    assert cache.get("k", lambda: "first") == "first"
    shutil.copy(seed_kb, tmp_path / "again.sqlite")
    (tmp_path / "again.sqlite").replace(db)
    assert cache.get("k", lambda: "second") == "second"
    cache.close()


def test_nothing_is_kept_for_a_store_that_cannot_be_read(tmp_path: Path) -> None:
    cache = StoreCache(tmp_path / "missing.sqlite")
    calls: list[int] = []
    for _ in range(2):
        cache.get("k", lambda: calls.append(1))
    assert len(calls) == 2


def test_the_map_follows_a_document_deleted_while_serving(seed_kb: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.sqlite"
    shutil.copy(seed_kb, db)
    with serving(db) as base:
        before = json.loads(fetch(base, "/api/map.json").body)
        assert json.loads(fetch(base, "/api/map.json").body) == before
        with Store(db) as store:
            doc_id = store.conn.execute(
                "SELECT doc_id FROM event_index WHERE lat IS NOT NULL GROUP BY doc_id ORDER BY count(*) DESC LIMIT 1"
            ).fetchone()[0]
            with store.transaction():
                writer.delete_document(store, doc_id)
        after = json.loads(fetch(base, "/api/map.json").body)
    assert 0 < after["events"] < before["events"]
