"""The local engine: read, extract and store each file in turn, with a progress bar.

Per file: read it (a bad file is recorded as skipped with its reason), skip it if the store
already holds those exact bytes, extract its facts, then write the document, its links and
its facts in one transaction. An error in one file is recorded and the run goes on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from conflictkb import resolve
from conflictkb.model import Document, DocumentFacts, SkipFile
from conflictkb.readers import DEFAULT_MAX_BYTES, iter_inputs, read
from conflictkb.store import Store, reader, writer

Extract = Callable[[Document], DocumentFacts]


@dataclass
class Summary:
    """What a run did: outcomes per status, the problems with their reasons, what the store holds."""

    outcomes: Counter[str] = field(default_factory=Counter)
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (path, status, reason)
    totals: dict[str, int] = field(default_factory=dict)


def _store_key(path: Path) -> str:
    """Paths are remembered absolute, so a file is recognised whatever folder ingest runs from."""
    return str(path.resolve())


def ingest_file(
    store: Store, path: Path, extract: Extract, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[str, str | None]:
    """Ingest one file; return its status and, for problems, the reason."""
    key = _store_key(path)
    try:
        document = read(path, max_bytes=max_bytes)
    except SkipFile as exc:
        with store.transaction():
            writer.record_file(store, key, "skipped", exc.reason)
        return "skipped", exc.reason
    if writer.source_document(store, key) == document.id:
        with store.transaction():
            writer.record_file(store, key, "unchanged", None, document.id)
        return "unchanged", None
    if writer.has_document(store, document.id):
        with store.transaction():
            writer.point_source(store, key, document.id)
            writer.record_file(store, key, "duplicate", "same bytes as an ingested document", document.id)
        return "duplicate", None
    try:
        facts = extract(document)
    except Exception as exc:  # noqa: BLE001  # one document's failure must never stop the run
        reason = f"extraction failed: {type(exc).__name__}: {exc}"[:300]
        with store.transaction():
            writer.record_file(store, key, "failed", reason)
        return "failed", reason
    try:
        write_facts(store, key, facts)
    except Exception as exc:  # noqa: BLE001  # the transaction rolled back; record it and go on
        reason = f"store failed: {type(exc).__name__}: {exc}"[:300]
        with store.transaction():
            writer.record_file(store, key, "failed", reason)
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


def ingest(
    paths: Iterable[Path],
    store: Store,
    extract: Extract,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    console: Console | None = None,
    show_progress: bool = True,
) -> Summary:
    """Ingest every file under ``paths`` into ``store``; never stops on a bad file."""
    summary = Summary()
    inputs = list(iter_inputs(paths))
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=console, transient=True, disable=not show_progress) as progress:
        task = progress.add_task("ingesting", total=len(inputs))
        for item in inputs:
            if isinstance(item, tuple):
                path, reason = item
                with store.transaction():
                    writer.record_file(store, _store_key(path), "skipped", reason)
                status, problem = "skipped", reason  # type: str, str | None
            else:
                path = item
                progress.update(task, description=f"ingesting {path.name[:40]}")
                status, problem = ingest_file(store, path, extract, max_bytes)
            summary.outcomes[status] += 1
            if problem is not None:
                summary.problems.append((str(path), status, problem))
            progress.advance(task)
    summary.totals = reader.counts(store)
    return summary
