"""``--engine ray``: the per-document stage as a Ray Data pipeline, on this machine or a cluster.

The same stage as the other engines (``stages.process``, with the extractor loaded once per
actor by ``stages.init_worker``), mapped over the files to extract by a pool of Ray actors; the
outcomes stream back to this process in input order (``preserve_order``) and are stored by the
same single writer as the local engine, so both engines build the same knowledge base. Ray Data
rather than bare tasks: it gives the actor pool, back-pressure (results are produced only as fast
as they are stored) and ordered streaming without code of ours. Only paths travel to the actors:
on a cluster, every node must read the files at the same paths (a shared file system) and have
conflictkb and its spaCy pipeline installed.
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Generator, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from conflictkb.engines.stages import (
    EngineError,
    LoadedHere,
    Outcome,
    Recipe,
    Task,
    init_worker,
    process_in_worker,
)

# Environment variables that choose data and models; passed on to every actor, which on a cluster
# would otherwise see its own node's settings.
FORWARDED_ENV = ("CONFLICTKB_CACHE_DIR", "CONFLICTKB_SPACY_MODEL", "CONFLICTKB_GAZETTEER")
# Files per call of an actor: small, so that work spreads evenly over the actors and results
# stream back soon; more than one, so that Ray's per-call cost is shared.
BATCH = 4


def import_ray() -> ModuleType:
    """Ray, or a clear error saying how to install it (it is an optional extra)."""
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise EngineError(
            f"--engine ray needs Ray, which is not installed ({exc}): pip install 'conflictkb[ray]'"
        ) from exc
    return ray


@contextmanager
def _quiet() -> Iterator[None]:
    """Ray's own start-up and per-dataset log lines off for the run: the command has its progress bar."""
    loggers = [logging.getLogger(name) for name in ("ray", "ray.data")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class RayExtract:
    """A Ray actor's per-document stage: the extractor loaded once, in the constructor, then
    ``stages.process`` over each batch of paths. ``stage_class`` binds the recipe to a subclass,
    so that it travels with the class to every actor."""

    recipe: Recipe = Recipe()

    def __init__(self) -> None:
        init_worker(self.recipe)

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        tasks = [
            Task(Path(str(path)), int(limit)) for path, limit in zip(batch["path"], batch["max_bytes"], strict=True)
        ]
        # Pickled: the facts are nested dataclasses, not columns; only the driver reads them back.
        outcomes = [pickle.dumps(process_in_worker(task), protocol=pickle.HIGHEST_PROTOCOL) for task in tasks]
        return {"outcome": outcomes}


def stage_class(recipe: Recipe) -> type[RayExtract]:
    """``RayExtract`` with ``recipe`` bound (sent to the actors with the class itself)."""
    return type("RayExtract", (RayExtract,), {"recipe": recipe})


class RayRunner(LoadedHere):
    """The per-document stage on Ray: ``workers`` actors (default one per CPU of the cluster),
    on the cluster at ``address`` (default: Ray already started in this process, else a new
    local one)."""

    def __init__(self, recipe: Recipe, workers: int | None = None, address: str | None = None) -> None:
        super().__init__(recipe)
        self.ray = import_ray()
        self.actor_recipe = recipe
        self.workers = workers
        self.address = address

    def _connect(self) -> bool:
        """Join or start Ray; True when this run started it (and so shuts it down)."""
        if self.ray.is_initialized():
            return False
        try:
            self.ray.init(address=self.address, log_to_driver=False, include_dashboard=False, logging_level="ERROR")
        except Exception as exc:  # an unreachable or incompatible cluster: one error line, not a traceback
            where = f"the Ray cluster at {self.address}" if self.address else "Ray on this machine"
            raise EngineError(f"cannot start or join {where}: {type(exc).__name__}: {exc}") from exc
        return True

    def run(self, tasks: Iterable[Task]) -> Generator[Outcome, None, None]:
        rows = [{"path": str(task.path), "max_bytes": task.max_bytes} for task in tasks]  # paths, not documents
        if not rows:
            return
        with _quiet():
            started = self._connect()
            context = self.ray.data.DataContext.get_current()
            saved = context.execution_options.preserve_order, context.enable_progress_bars
            context.execution_options.preserve_order = True  # stored in input order: the same KB every time
            context.enable_progress_bars = False  # the ingest command has its own
            try:
                yield from self._stream(rows)
            finally:
                context.execution_options.preserve_order, context.enable_progress_bars = saved
                if started:
                    self.ray.shutdown()

    def _stream(self, rows: list[dict[str, Any]]) -> Generator[Outcome, None, None]:
        workers = self.workers or max(1, int(self.ray.cluster_resources().get("CPU", 1)))
        env = {name: os.environ[name] for name in FORWARDED_ENV if name in os.environ}
        dataset = self.ray.data.from_items(rows).map_batches(
            stage_class(self.actor_recipe),
            batch_size=BATCH,
            concurrency=min(workers, len(rows)),
            num_cpus=1,
            runtime_env={"env_vars": env} if env else None,
        )
        for row in dataset.iter_rows():
            yield pickle.loads(row["outcome"])  # noqa: S301  # written by our own actors, just above
