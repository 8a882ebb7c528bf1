"""``--workers N``: the per-document stage in N worker processes, results handed back in order.

Workers are started with ``forkserver`` (``spawn`` where there is none), never ``fork``: the
parent may hold threads (the progress bar's) and an open SQLite connection, which a forked child
must not inherit. Each worker loads the extractor once, in the pool's initializer, from a
picklable ``Recipe``. At most ``window`` files are in flight; results are yielded in the order
of the tasks, so the single writer stores documents in input order and the knowledge base is
the same whatever N. The pool is started on the first task only: re-ingesting an unchanged
corpus never starts it.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Generator, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from conflictkb.engines.stages import LoadedHere, Outcome, Recipe, Task, init_worker, process_in_worker

# Files in flight per worker: enough to keep every worker busy while the parent stores the
# oldest result, few enough that memory does not grow with the corpus.
IN_FLIGHT_PER_WORKER = 4


def _context() -> multiprocessing.context.BaseContext:
    """A start method that does not copy the parent: forkserver (spaCy imported once, in the
    server, so each worker only loads the model), else spawn."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["conflictkb.engines.stages", "conflictkb.extract"])
        return context
    return multiprocessing.get_context("spawn")


class PoolRunner(LoadedHere):
    """The per-document stage in ``workers`` processes, each loading ``recipe`` once."""

    def __init__(self, recipe: Recipe, workers: int) -> None:
        super().__init__(recipe)
        self.pool_recipe = recipe
        self.workers = workers
        self.window = workers * IN_FLIGHT_PER_WORKER

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.workers, mp_context=_context(), initializer=init_worker, initargs=(self.pool_recipe,)
        )

    def run(self, tasks: Iterable[Task]) -> Generator[Outcome, None, None]:
        pool: ProcessPoolExecutor | None = None
        in_flight: deque[tuple[ProcessPoolExecutor, Future[Outcome]]] = deque()
        try:
            for task in tasks:
                if pool is None:
                    pool = self._start()
                in_flight.append((pool, pool.submit(process_in_worker, task)))
                while len(in_flight) >= self.window:
                    owner, future = in_flight.popleft()
                    outcome, broken = _result(future)
                    if broken and owner is pool:  # a dead pool takes no more tasks: the next one starts anew
                        pool.shutdown(cancel_futures=True)
                        pool = None
                    yield outcome
            while in_flight:
                yield _result(in_flight.popleft()[1])[0]
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)


def _result(future: Future[Outcome]) -> tuple[Outcome, bool]:
    """The outcome of one task, and whether its pool died. A worker that died (killed, out of
    memory) fails the files in flight: which of them killed it cannot be known; a later run
    retries them, as it retries every failed file."""
    try:
        return future.result(), False
    except BrokenProcessPool as exc:
        reason = f"a worker process died while extracting this file or one beside it: {exc}"
        return Outcome("failed", reason=reason), True
