"""The local engine: plan each file, run the per-document stage, store the results in input order.

Per file, in the parent: a file whose bytes the store already holds under that path is
``unchanged`` and one whose bytes another path holds is a ``duplicate`` — both decided from the
SHA-256 of the bytes before any extraction, so re-ingesting an unchanged corpus is near-free.
Every other file goes to the per-document stage (``engines/stages.py``: read, then extract),
which runs in this process (``--workers 1``), in worker processes (``engines/pool.py``) or on
Ray (``engines/ray.py``). Its outcomes come back in input order and this module, the single
writer, stores each document, its links and its facts in one transaction. A bad file or an
error in one file is recorded with its reason and the run goes on.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from conflictkb import resolve
from conflictkb.engines.stages import EngineError, Extract, InlineRunner, Outcome, Recipe, Runner, Task
from conflictkb.model import DocumentFacts
from conflictkb.readers import DEFAULT_MAX_BYTES, iter_inputs
from conflictkb.readers.walk import Input
from conflictkb.store import Store, reader, writer

__all__ = ["Extract", "Recipe", "Summary", "ingest", "runner_for", "write_facts"]

DUPLICATE = "same bytes as an ingested document"


@dataclass
class Summary:
    """What a run did: outcomes per status, the problems with their reasons, what the store holds."""

    outcomes: Counter[str] = field(default_factory=Counter)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (path, status, reason)
    totals: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Planned:
    """One input as the parent planned it: ``status`` decided here (skipped by the walk,
    unchanged, duplicate), or None when the per-document stage must run."""

    path: Path
    key: str
    status: str | None
    reason: str | None = None
    doc_id: str | None = None


Done = Callable[[Planned, str, str | None], None]


def _store_key(path: Path) -> str:
    """Paths are remembered absolute, so a file is recognised whatever folder ingest runs from. A
    link that loops or leads nowhere is remembered, and reported, under its own name."""
    try:
        return str(path.resolve(strict=True))
    except (OSError, RuntimeError):
        return os.path.join(os.path.realpath(path.parent), path.name)


def _content_id(path: Path, max_bytes: int) -> str | None:
    """The document id the readers would give (SHA-256 of the bytes), without parsing; None for
    a file that cannot be read here (the per-document stage then says why)."""
    try:
        if path.stat().st_size > max_bytes:
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def plan(store: Store, item: Input, max_bytes: int = DEFAULT_MAX_BYTES) -> Planned:
    """Decide in the parent what needs no extraction: only a file whose bytes are new is sent on."""
    if isinstance(item, tuple):
        return Planned(item[0], _store_key(item[0]), "skipped", item[1])
    key = _store_key(item)
    doc_id = _content_id(item, max_bytes)
    if doc_id is not None and writer.source_document(store, key) == doc_id:
        return Planned(item, key, "unchanged", doc_id=doc_id)
    if doc_id is not None and writer.has_document(store, doc_id):
        return Planned(item, key, "duplicate", DUPLICATE, doc_id)
    return Planned(item, key, None)


def _record(store: Store, key: str, status: str, reason: str | None, doc_id: str | None = None) -> None:
    with store.transaction():
        if status == "duplicate" and doc_id is not None:
            writer.point_source(store, key, doc_id)
        writer.record_file(store, key, status, reason, doc_id)


def _settle(store: Store, planned: Planned, runner: Runner, max_bytes: int) -> tuple[str, str | None]:
    """Store a file decided in the parent. A duplicate whose original was replaced meanwhile (by a
    changed file earlier in this run) is extracted after all, here, as the sequential run would."""
    if planned.status == "duplicate" and not writer.has_document(store, planned.doc_id or ""):
        return merge(store, planned, runner.one(Task(planned.path, max_bytes)))
    assert planned.status is not None
    _record(store, planned.key, planned.status, planned.reason, planned.doc_id)
    return planned.status, planned.reason if planned.status == "skipped" else None


def merge(store: Store, planned: Planned, outcome: Outcome) -> tuple[str, str | None]:
    """Fold one file's outcome into the store (the single writer); return its status and, for
    problems, the reason. The checks of ``plan`` are made again: a file planned while an earlier
    one was in flight may have become a duplicate of it."""
    if outcome.status == "fatal":
        raise EngineError(outcome.reason or "the pipeline could not be loaded")
    if outcome.facts is None:
        _record(store, planned.key, outcome.status, outcome.reason)
        return outcome.status, outcome.reason
    doc_id = outcome.facts.document.id
    if writer.source_document(store, planned.key) == doc_id:
        _record(store, planned.key, "unchanged", None, doc_id)
        return "unchanged", None
    if writer.has_document(store, doc_id):
        _record(store, planned.key, "duplicate", DUPLICATE, doc_id)
        return "duplicate", None
    try:
        write_facts(store, planned.key, outcome.facts)
    except Exception as exc:  # noqa: BLE001  # the transaction rolled back; record it and go on
        reason = f"store failed: {type(exc).__name__}: {exc}"[:300]
        _record(store, planned.key, "failed", reason)
        return "failed", reason
    return "ingested", None


def write_facts(store: Store, key: str, facts: DocumentFacts) -> None:
    """Store one document's facts, its links and its source path in a single transaction."""
    with store.transaction():
        entity_links = resolve.link_entities(store, facts.entities)
        incident_links = resolve.link_incidents(store, facts.events, entity_links)
        writer.insert_facts(
            store,
            facts,
            {k: v.id for k, v in entity_links.items()},
            {k: v.id for k, v in incident_links.items()},
            {k: v.why for k, v in entity_links.items() if v.why != "new"},
        )
        writer.point_source(store, key, facts.document.id)
        writer.record_file(store, key, "ingested", None, facts.document.id)


def run_inputs(
    inputs: Iterable[Input], store: Store, runner: Runner, done: Done, max_bytes: int = DEFAULT_MAX_BYTES
) -> None:
    """Plan every input, send those that need it through ``runner``, and store every file in input
    order, calling ``done`` for each. Files decided in the parent are stored as soon as no file
    before them is still in flight, so the progress bar moves through an unchanged corpus too."""
    waiting: deque[Planned] = deque()

    def settle_head() -> None:
        while waiting and waiting[0].status is not None:
            planned = waiting.popleft()
            done(planned, *_settle(store, planned, runner, max_bytes))

    def tasks() -> Iterator[Task]:
        for item in inputs:
            waiting.append(plan(store, item, max_bytes))
            if waiting[-1].status is None:
                yield Task(waiting[-1].path, max_bytes)
            settle_head()

    with closing(runner.run(tasks())) as outcomes:
        for outcome in outcomes:
            planned = waiting.popleft()
            done(planned, *merge(store, planned, outcome))
            settle_head()
    settle_head()


def runner_for(
    extract: Extract | Recipe, workers: int | None = None, engine: str = "local", address: str | None = None
) -> Runner:
    """Where the per-document stage runs: this process for one local worker; a process pool, or
    Ray actors, each loading ``extract`` (then a Recipe: a loaded pipeline cannot be sent)."""
    if engine == "local" and (workers or 1) == 1:
        return InlineRunner(extract) if isinstance(extract, Recipe) else InlineRunner(extract=extract)
    if not isinstance(extract, Recipe):
        raise TypeError("worker processes load their own pipeline: pass a Recipe, not a loaded extractor")
    if engine == "ray":
        from conflictkb.engines.ray import RayRunner

        return RayRunner(extract, workers, address)
    from conflictkb.engines.pool import PoolRunner

    return PoolRunner(extract, workers or 1)


def ingest(
    paths: Iterable[Path],
    store: Store,
    extract: Extract | Recipe,
    *,
    workers: int = 1,
    runner: Runner | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    console: Console | None = None,
    show_progress: bool = True,
) -> Summary:
    """Ingest every file under ``paths`` into ``store``; never stops on a bad file.

    ``extract`` is a loaded extractor (used in this process) or a ``Recipe`` (loaded where the
    per-document stage runs); ``workers`` > 1 runs that stage in as many processes, ``runner``
    elsewhere (Ray). Whatever runs it, the knowledge base is the same."""
    summary = Summary()
    inputs = list(iter_inputs(paths))  # paths only, for the progress bar's total: never documents
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True, disable=not show_progress) as progress:
        bar = progress.add_task("ingesting", total=len(inputs))

        def done(planned: Planned, status: str, problem: str | None) -> None:
            summary.outcomes[status] += 1
            if problem is not None:
                summary.problems.append((str(planned.path), status, problem))
            progress.update(bar, advance=1, description=f"ingesting {planned.path.name[:40]}")

        run_inputs(inputs, store, runner or runner_for(extract, workers), done, max_bytes)
    summary.totals = reader.counts(store)
    return summary
