"""The per-document stage every engine runs: read one file and extract its facts.

The in-process loop, the worker processes of ``--workers N`` and the Ray actors all call
``process``; only where it runs differs. A loaded spaCy pipeline cannot be pickled, so what
travels to another process is a ``Recipe`` (the model's name and the actors), loaded there once,
and a ``Task`` (a path); what comes back is an ``Outcome`` made of plain dataclasses. Nothing
here touches the store: the results are folded in by the single writer (``engines/local.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from conflictkb.actors import Actor
from conflictkb.model import Document, DocumentFacts, SkipFile
from conflictkb.readers import DEFAULT_MAX_BYTES, read

Extract = Callable[[Document], DocumentFacts]
OutcomeStatus = Literal["extracted", "skipped", "failed", "fatal"]


class EngineError(RuntimeError):
    """The run cannot go on (the pipeline cannot be loaded where it runs, Ray is missing); the
    message says what to do."""


@dataclass(frozen=True)
class Recipe:
    """How to load the extractor in another process: picklable, unlike the loaded pipeline.

    ``model`` and ``actors`` are what ``--model`` and ``--actors`` (and the knowledge base's own
    actors) give, so that every worker recognises exactly what the parent would."""

    model: str | None = None
    actors: tuple[Actor, ...] = ()

    def load(self) -> Extract:
        """The extractor, loaded in this process (spaCy is imported here, not when pickling)."""
        from conflictkb.extract import Extractor

        return Extractor.load(self.model, self.actors)


@dataclass(frozen=True, slots=True)
class Task:
    """One file to read and extract; the path as it was given, so ``Document.path`` is too."""

    path: Path
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the per-document stage made of one file: its facts, or why there are none.

    ``fatal`` means the extractor itself could not be loaded where the task ran: every other file
    would fail the same way, so the run stops with ``reason``."""

    status: OutcomeStatus
    facts: DocumentFacts | None = None
    reason: str | None = None


def process(extract: Extract, task: Task) -> Outcome:
    """Read one file and extract its facts; a bad file or an extraction error is an Outcome,
    never an exception, so one document can never stop the run."""
    try:
        document = read(task.path, max_bytes=task.max_bytes)
    except SkipFile as exc:
        return Outcome("skipped", reason=exc.reason)
    try:
        return Outcome("extracted", facts=extract(document))
    except Exception as exc:  # noqa: BLE001  # one document's failure must never stop the run
        return Outcome("failed", reason=f"extraction failed: {type(exc).__name__}: {exc}"[:300])


class Runner(Protocol):
    """Where the per-document stage runs: in this process, in worker processes, on Ray."""

    def run(self, tasks: Iterable[Task]) -> Generator[Outcome, None, None]:
        """One outcome per task, in the order of the tasks, pulling tasks only as it needs them."""
        ...

    def one(self, task: Task) -> Outcome:
        """One task, now, in this process (for the rare file whose plan changed while in flight)."""
        ...


class LoadedHere:
    """The extractor loaded in this process, the first time it is needed (or given loaded)."""

    def __init__(self, recipe: Recipe | None = None, extract: Extract | None = None) -> None:
        self.recipe = recipe
        self.extract = extract

    def one(self, task: Task) -> Outcome:
        if self.extract is None:
            assert self.recipe is not None, "LoadedHere needs a recipe or an extractor"
            try:
                self.extract = self.recipe.load()
            except Exception as exc:  # a missing model, a bad data file: every file would fail the same
                raise EngineError(f"cannot load the pipeline: {type(exc).__name__}: {exc}") from exc
        return process(self.extract, task)


class InlineRunner(LoadedHere):
    """``--workers 1``: each file is read and extracted in this process, just before it is stored,
    so the run is exactly the sequential loop."""

    def run(self, tasks: Iterable[Task]) -> Generator[Outcome, None, None]:
        for task in tasks:
            yield self.one(task)


# --- Worker processes: the extractor is loaded once per process, by the pool's initializer --------

_worker_extract: Extract | None = None
_worker_error: str | None = None


def init_worker(recipe: Recipe) -> None:
    """Load the extractor in a worker process. An error is kept, not raised: a pool whose
    initializer raises restarts its workers forever; the first task reports it instead."""
    global _worker_extract, _worker_error  # per-process state of a worker, set once
    try:
        _worker_extract = recipe.load()
    except Exception as exc:  # noqa: BLE001  # reported to the parent as a fatal outcome
        _worker_error = f"cannot load the pipeline in a worker: {type(exc).__name__}: {exc}"


def process_in_worker(task: Task) -> Outcome:
    """``process`` with this worker's extractor (loaded by ``init_worker``)."""
    if _worker_extract is None:
        return Outcome("fatal", reason=_worker_error or "the worker was not initialised")
    return process(_worker_extract, task)
