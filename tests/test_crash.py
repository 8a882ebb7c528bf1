"""Crash safety and concurrent ingests, with the real ``conflictkb ingest`` in subprocesses.

An ingest killed with SIGKILL at random points (seeded, so a failure can be replayed), then run
again, must leave exactly the store an uninterrupted run leaves: every table compared row by row
(timestamps aside), no duplicate, no orphan row, checked with SQL after every kill as well. Two
ingests started at once into one store must serialise: one stores the files, the other waits for
it and finds them unchanged. Each subprocess loads the spaCy pipeline, so the runs are few.
"""

from __future__ import annotations

import fcntl
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import pytest

from conflictkb.store.db import LOCK_SUFFIX

SEEDS = Path(__file__).resolve().parent.parent / "examples" / "seeds"
KILLS = 3
RANDOM_SEED = 20261126
TIMEOUT = 600  # seconds for any one run: a hung ingest fails the test instead of hanging it
# Columns that say when, not what: they differ between any two runs.
WHEN = {"ingested_at", "at", "added_at", "created_at", "linked_at"}
# files keeps each path's last outcome: 'unchanged' after a rerun where the first run said 'ingested'.
RUN_LOG = {"files": {"status"}}

# Every query lists rows that must not exist.
ORPHANS = {
    "event without evidence": "SELECT id FROM events WHERE id NOT IN (SELECT event_id FROM event_evidence)",
    "evidence without event": "SELECT event_id FROM event_evidence WHERE event_id NOT IN (SELECT id FROM events)",
    "evidence without document": "SELECT event_id FROM event_evidence WHERE doc_id NOT IN (SELECT id FROM documents)",
    "event without document": "SELECT id FROM events WHERE doc_id NOT IN (SELECT id FROM documents)",
    "event without incident": "SELECT id FROM events WHERE incident_id NOT IN (SELECT id FROM incidents)",
    "statement without document": "SELECT id FROM statements WHERE doc_id NOT IN (SELECT id FROM documents)",
    "mention without document": "SELECT id FROM mentions WHERE doc_id NOT IN (SELECT id FROM documents)",
    "mention without entity": "SELECT id FROM mentions WHERE entity_id NOT IN (SELECT id FROM entities)",
    "alias without entity": "SELECT alias FROM aliases WHERE entity_id NOT IN (SELECT id FROM entities)",
    "relation without entity": "SELECT id FROM relations WHERE subject_id NOT IN (SELECT id FROM entities) "
    "OR object_id NOT IN (SELECT id FROM entities)",
    "source without document": "SELECT path FROM sources WHERE doc_id NOT IN (SELECT id FROM documents)",
    "document without source": "SELECT id FROM documents WHERE id NOT IN (SELECT doc_id FROM sources)",
    "ingested file without document": "SELECT path FROM files WHERE status = 'ingested' "
    "AND doc_id NOT IN (SELECT id FROM documents)",
    "duplicate document": "SELECT name FROM documents GROUP BY text HAVING count(*) > 1",
    "duplicate event": "SELECT doc_id FROM events GROUP BY doc_id, ord HAVING count(*) > 1",
    "duplicate evidence": "SELECT event_id FROM event_evidence GROUP BY event_id, start, end HAVING count(*) > 1",
}


def connect(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=30)


def _tables(conn: sqlite3.Connection) -> list[str]:
    """Tables and FTS tables, without the FTS tables' own storage (``<name>_data`` and the like)."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    tables = {name: sql or "" for name, sql in rows}
    virtual = [name for name, sql in tables.items() if sql.upper().startswith("CREATE VIRTUAL")]
    return sorted(t for t in tables if not any(t.startswith(f"{v}_") for v in virtual))


def snapshot(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, sorted, without the columns that only say when."""
    out: dict[str, list[tuple[object, ...]]] = {}
    with closing(connect(db)) as conn:
        for table in _tables(conn):
            columns = [row[1] for row in conn.execute(f'PRAGMA table_xinfo("{table}")')]
            kept = [c for c in columns if c not in WHEN and c not in RUN_LOG.get(table, set())]
            listed = ", ".join(f'"{column}"' for column in kept)
            rows = conn.execute(f'SELECT {listed} FROM "{table}"').fetchall()  # noqa: S608  # names from the schema
            out[table] = sorted(rows, key=repr)
    return out


def problems(db: Path) -> dict[str, list[object]]:
    """Orphans and duplicates found, and SQLite's own verdict on the file."""
    with closing(connect(db)) as conn:
        found = {what: [row[0] for row in conn.execute(sql)] for what, sql in ORPHANS.items()}
        found["integrity_check"] = [row[0] for row in conn.execute("PRAGMA integrity_check") if row[0] != "ok"]
        found["foreign_key_check"] = list(conn.execute("PRAGMA foreign_key_check"))
    return {what: rows for what, rows in found.items() if rows}


def ingest_command(corpus: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "conflictkb.cli", "ingest", str(corpus), "--db", str(db), "--quiet"]


def run_ingest(corpus: Path, db: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        ingest_command(corpus, db), capture_output=True, text=True, timeout=TIMEOUT, check=False, encoding="utf-8"
    )
    assert result.returncode == 0, result.stderr
    return result


def summary_count(stdout: str, what: str) -> int:
    found = re.search(rf"documents {what}\s*│\s*(\d+)", stdout)
    assert found, stdout
    return int(found.group(1))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the seeds: every run reads the same paths, which the store records."""
    root = tmp_path_factory.mktemp("crash") / "seeds"
    shutil.copytree(SEEDS, root)
    return root


@pytest.fixture(scope="module")
def reference(corpus: Path) -> dict[str, list[tuple[object, ...]]]:
    """The store an uninterrupted run leaves."""
    db = corpus.parent / "reference.sqlite"
    run_ingest(corpus, db)
    assert problems(db) == {}
    return snapshot(db)


def stored_files(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with closing(connect(db)) as conn:
            return int(conn.execute("SELECT count(*) FROM files").fetchone()[0])
    except sqlite3.Error:  # not created or not migrated yet
        return 0


def kill_at(corpus: Path, db: Path, after_files: int, delay: float) -> bool:
    """Start an ingest; SIGKILL it ``delay`` seconds after the store holds ``after_files`` files.
    True if it was killed, False if it finished first."""
    process = subprocess.Popen(ingest_command(corpus, db), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + TIMEOUT
    try:
        while stored_files(db) < after_files and process.poll() is None:
            assert time.monotonic() < deadline, "the ingest neither progressed nor ended"
            time.sleep(0.05)
        time.sleep(delay)
        if process.poll() is not None:
            return False
        process.send_signal(signal.SIGKILL)
        return process.wait(timeout=30) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_ingest_killed_at_random_points_then_rerun_equals_an_uninterrupted_run(
    corpus: Path, reference: dict[str, list[tuple[object, ...]]]
) -> None:
    rng = random.Random(RANDOM_SEED)  # noqa: S311  # replayable kill points, not a secret
    n_files = len(list(corpus.iterdir()))
    db = corpus.parent / "killed.sqlite"
    killed = 0
    for after in sorted(rng.sample(range(n_files), KILLS)):
        # Within half a second of a file being stored: inside the next file's work however fast the
        # machine (up to 2 s let a quiet machine finish the five seed files before the kill).
        killed += kill_at(corpus, db, after, rng.uniform(0.0, 0.5))
        if db.exists():
            assert problems(db) == {}, after  # consistent at every kill
    assert killed >= KILLS - 1, "the kills came too late to interrupt anything"
    run_ingest(corpus, db)
    assert problems(db) == {}
    assert snapshot(db) == reference
    check = subprocess.run(
        [sys.executable, "-m", "conflictkb.cli", "check", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr


def _wait_for(path: Path, text: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + TIMEOUT
    while text not in path.read_text(encoding="utf-8", errors="replace"):
        assert process.poll() is None, path.read_text(encoding="utf-8", errors="replace")
        assert time.monotonic() < deadline, f"no {text!r} from the ingest"
        time.sleep(0.1)


def test_two_ingests_at_once_serialise(
    corpus: Path, reference: dict[str, list[tuple[object, ...]]], tmp_path: Path
) -> None:
    db = tmp_path / "kb.sqlite"
    lock = tmp_path / f"kb.sqlite{LOCK_SUFFIX}"
    processes: list[tuple[subprocess.Popen[bytes], Path, Path]] = []
    with lock.open("a+") as gate:
        fcntl.flock(gate, fcntl.LOCK_EX)  # both ingests load their pipeline and queue on the lock
        for name in ("first", "second"):
            out, err = tmp_path / f"{name}.out", tmp_path / f"{name}.err"
            with out.open("wb") as stdout, err.open("wb") as stderr:
                process = subprocess.Popen(ingest_command(corpus, db), stdout=stdout, stderr=stderr)
            processes.append((process, out, err))
        for process, _, err in processes:
            _wait_for(err, "waiting: another ingest", process)
    # The gate is open: one ingest takes the lock, and the other waits for it to close the store.
    for process, _, err in processes:
        assert process.wait(timeout=TIMEOUT) == 0, err.read_text(encoding="utf-8")
    outs = [out.read_text(encoding="utf-8") for _, out, _ in processes]
    n_files = len(list(corpus.iterdir()))
    ingested = sorted(summary_count(out, "ingested") for out in outs)
    unchanged = sorted(summary_count(out, "unchanged") for out in outs)
    assert (ingested, unchanged) == ([0, n_files], [0, n_files])  # one stored all, the other found all stored
    assert all(summary_count(out, "failed") == 0 for out in outs)
    assert problems(db) == {}
    assert snapshot(db) == reference


def test_an_ingest_process_holds_the_lock_only_while_it_runs(tmp_path: Path) -> None:
    """The lock is the kernel's: a killed ingest leaves none behind (the kills above rely on it)."""
    db = tmp_path / "kb.sqlite"
    code = (
        "import sys, time; from conflictkb.store import Store; from conflictkb.store import writer; "
        "store = Store(sys.argv[1]); writer.has_document(store, 'x'); print('claimed', flush=True); time.sleep(60)"
    )
    process = subprocess.Popen([sys.executable, "-c", code, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "claimed"
        with (tmp_path / f"kb.sqlite{LOCK_SUFFIX}").open("a+") as handle:
            with pytest.raises(BlockingIOError):
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            handle.seek(0)
            assert handle.read().strip() == str(process.pid)
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # free at once
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
