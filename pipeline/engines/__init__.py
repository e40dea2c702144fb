"""Engines run batches of inputs and give the results back in the order sent.

    local  (--workers N)   N worker processes on this machine (engines/local.py); also for N = 1,
                           so that the parent can stop an article stuck in C code
    dask   (--engine dask) a Dask distributed cluster (engines/dask.py)

Every engine keeps one Pipeline per worker process (built when the worker
starts or on first use, never per article) and holds a bounded number of
batches at a time, so memory stays flat however many inputs there are.
"""
from __future__ import annotations

import threading
from collections import deque
from typing import Callable, Iterator

from ..tasks import Outcome, Settings, run_batch

ENGINES = ("local", "dask")

_local = threading.local()  # one Pipeline per worker thread (Dask workers may run several threads)
_inherited: dict = {}       # the Pipeline built before the fork (engines/preload.py), until a thread claims it
_inherited_lock = threading.Lock()


def patterns_stamp() -> tuple:
    """Which pattern files a Pipeline was built from: their folder, names and modification times."""
    from ..patterns import patterns_dir

    folder = patterns_dir()
    return (str(folder), *sorted((str(p), p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()))


def keep_inherited(pipeline) -> None:
    """Offer a default Pipeline (every extractor) to the first thread that needs one: workers forked later inherit it."""
    _inherited.update(pipeline=pipeline, stamp=patterns_stamp())


def _claim_inherited(entities):
    """The inherited Pipeline, if it fits (every extractor, the same pattern files), once."""
    if entities is not None:
        return None
    with _inherited_lock:
        pipeline, stamp = _inherited.pop("pipeline", None), _inherited.pop("stamp", None)
    if pipeline is None or stamp != patterns_stamp():
        return None
    return pipeline


def pipeline_for(settings: Settings):
    """This process's (thread's) Pipeline for `settings`, built the first time it is asked for.

    Only the extractors need a new Pipeline; the other settings are plain attributes, set here.
    """
    entities = list(settings.entities) if settings.entities else None
    cached = getattr(_local, "pipeline", None)
    if cached is None or cached[0] != entities:
        from ..process import Pipeline

        pipeline = _claim_inherited(entities) or Pipeline(entities=entities)
        _local.pipeline = cached = (entities, pipeline)
    pipeline = cached[1]
    pipeline.include_text = settings.include_text
    pipeline.article_timeout = settings.article_timeout
    return pipeline


def process_batch(settings: Settings, entries: list) -> list[Outcome]:
    """The task every engine runs on a worker."""
    return run_batch(pipeline_for(settings), entries, settings.max_bytes)


class EngineError(Exception):
    """The engine could not run (a worker died, the cluster is unreachable)."""


class Engine:
    """Base: subclasses give submit(), wait() and close(); map() keeps the order."""

    in_flight = 1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def describe(self) -> str:
        return type(self).__name__

    def close(self) -> None:
        pass

    def submit(self, entries: list):
        raise NotImplementedError

    def wait(self, future, timeout: float) -> bool:
        """True once `future` is done; False after `timeout` seconds."""
        raise NotImplementedError

    def cancel(self, future) -> None:
        future.cancel()

    def map(self, batches: Iterator[list], stop: Callable[[], bool]) -> Iterator[list[Outcome]]:
        """Results of each batch, in the order of `batches`; stops early when stop() says so.

        On a stop, the batches already finished at the head of the queue are
        still handed back (their records get written), the rest is cancelled.
        """
        pending: deque = deque()
        batches = iter(batches)
        exhausted = False
        try:
            while True:
                while not exhausted and len(pending) < self.in_flight and not stop():
                    batch = next(batches, None)
                    if batch is None:
                        exhausted = True
                    else:
                        pending.append(self.submit(batch))
                if not pending:
                    return
                while not self.wait(pending[0], 0.2):
                    if stop():
                        break
                if stop():
                    while pending and self.wait(pending[0], 0):
                        yield self.result(pending.popleft())
                    return
                yield self.result(pending.popleft())
        finally:
            for future in pending:
                self.cancel(future)

    def result(self, future) -> list[Outcome]:
        return future.result()


def make_engine(name: str, settings: Settings, workers: int = 1, scheduler: str | None = None) -> Engine:
    if name == "dask":
        from .dask import DaskEngine

        return DaskEngine(settings, workers=workers, scheduler=scheduler)
    if name != "local":
        raise ValueError(f"unknown engine {name!r} (choose from {', '.join(ENGINES)})")
    from .local import ProcessPool

    return ProcessPool(settings, max(1, workers))
