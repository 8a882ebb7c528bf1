"""Tests for conflictkb.engines.pool and conflictkb.engines.ray: whatever runs the per-document
stage (this process, worker processes, Ray actors), the knowledge base built is the same."""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from conflictkb.engines.local import Recipe, Summary, ingest, runner_for
from conflictkb.engines.stages import EngineError
from conflictkb.store import Store

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
# Columns that record when a row was written: the only thing two runs may differ in.
TIMESTAMPS = frozenset({"ingested_at", "at", "added_at", "linked_at", "created_at"})


def canonical_dump(path: Path) -> list[str]:
    """The whole store as SQL statements, with every timestamp blanked (on a copy in memory)."""
    with closing(sqlite3.connect(path)) as source, closing(sqlite3.connect(":memory:")) as copy:
        source.backup(copy)
        tables = [r[0] for r in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            columns = {r[1] for r in copy.execute(f'PRAGMA table_info("{table}")')}  # names from the schema
            for column in sorted(columns & TIMESTAMPS):
                copy.execute(f'UPDATE "{table}" SET "{column}" = \'\'')  # noqa: S608
        return list(copy.iterdump())


def test_canonical_dump_sees_content_but_not_timestamps(seed_kb: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.sqlite"
    with closing(sqlite3.connect(seed_kb)) as source, closing(sqlite3.connect(db)) as target:
        source.backup(target)
        target.execute("UPDATE documents SET ingested_at = '1999-01-01T00:00:00+00:00'")
        target.commit()
    assert canonical_dump(db) == canonical_dump(seed_kb)
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("UPDATE entities SET name = name || ' (renamed)' WHERE id = (SELECT min(id) FROM entities)")
        conn.commit()
    assert canonical_dump(db) != canonical_dump(seed_kb)


def _ingest(db: Path, **how: object) -> Summary:
    with Store(db) as store:
        return ingest([SEEDS], store, Recipe(), show_progress=False, **how)  # type: ignore[arg-type]


def test_two_worker_processes_build_the_same_kb_as_one(seed_kb: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.sqlite"
    summary = _ingest(db, workers=2)
    assert dict(summary.outcomes) == {"ingested": 5}
    assert summary.problems == []
    assert summary.totals["events"] > 0
    assert canonical_dump(db) == canonical_dump(seed_kb)


def test_an_unchanged_corpus_never_loads_the_pipeline(seed_kb: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.sqlite"
    with closing(sqlite3.connect(seed_kb)) as source, closing(sqlite3.connect(db)) as target:
        source.backup(target)
    missing = Recipe(model="no_such_pipeline")  # loading it would fail: it is never loaded
    with Store(db) as store:
        summary = ingest([SEEDS], store, missing, show_progress=False)
    assert dict(summary.outcomes) == {"unchanged": 5}
    new = tmp_path / "new.txt"
    new.write_text("On May 3, 2001, gunmen attacked a police post in Osh.\n", encoding="utf-8")
    with Store(db) as store, pytest.raises(EngineError, match=r"cannot load the pipeline: .*no_such_pipeline"):
        ingest([new], store, missing, show_progress=False)


def test_a_loaded_extractor_cannot_be_sent_to_workers(extractor: object) -> None:
    with pytest.raises(TypeError, match="Recipe"):
        runner_for(extractor, workers=2)  # type: ignore[arg-type]


def test_without_ray_the_error_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # what an environment without Ray gives: ImportError
    with pytest.raises(EngineError, match=r"pip install 'conflictkb\[ray\]'"):
        runner_for(Recipe(), engine="ray")


def test_the_ingest_command_refuses_an_address_without_the_ray_engine(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from conflictkb.cli import app

    db = tmp_path / "kb.sqlite"
    result = CliRunner().invoke(app, ["ingest", str(SEEDS), "--db", str(db), "--address", "10.0.0.1:6379"])
    assert result.exit_code != 0
    assert "--address names a Ray cluster: use it with --engine ray" in result.output
    assert not db.exists()


@pytest.fixture(scope="module")
def local_ray() -> Iterator[None]:
    """A Ray instance on this machine, two CPUs, no dashboard; shut down after the module."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level="ERROR")
    try:
        yield
    finally:
        ray.shutdown()


def test_the_ray_engine_builds_the_same_kb_as_the_local_engine(local_ray: None, seed_kb: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"  # read by an actor, which reports it like the local engine
    empty.write_bytes(b"")
    db = tmp_path / "kb.sqlite"
    with Store(db) as store:
        runner = runner_for(Recipe(), workers=2, engine="ray")
        summary = ingest([SEEDS, empty], store, Recipe(), runner=runner, show_progress=False)
    assert dict(summary.outcomes) == {"ingested": 5, "skipped": 1}
    assert summary.problems == [(str(empty), "skipped", "empty file")]
    assert _without_files_log(canonical_dump(db)) == _without_files_log(canonical_dump(seed_kb))
    # Unchanged files are decided here from their hashes: nothing is sent to Ray again.
    again = _ingest(db, runner=runner_for(Recipe(), workers=2, engine="ray"))
    assert dict(again.outcomes) == {"unchanged": 5}
    assert _without_files_log(canonical_dump(db)) == _without_files_log(canonical_dump(seed_kb))


def _without_files_log(dump: list[str]) -> list[str]:
    """The dump without the ``files`` log, which records each file's last outcome, not facts."""
    return [line for line in dump if not line.startswith('INSERT INTO "files"')]
