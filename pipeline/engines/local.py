"""The local engine: a pool of worker processes on this machine (--workers N).

Workers are started with 'forkserver' where the platform has it, else
'spawn' -- never a bare fork of a parent that may run threads (the progress
bar's counter, a Dask client). Each worker builds its Pipeline once, in the
pool initializer, and ignores SIGINT/SIGTERM: the parent decides when to
stop and shuts the pool down. A worker whose parent was killed (kill -9)
exits at once: the task queue alone would not tell it (every worker holds
both ends of that pipe), and the forkserver waits for its children.
"""
from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import signal
import threading

from ..batch import Settings
from . import Engine, EngineError, pipeline_for, process_batch

_startup_error: str | None = None  # set in a worker whose Pipeline could not be built


def _start_worker(settings: Settings) -> None:
    global _startup_error
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    try:
        pipeline_for(settings)
    except Exception as exc:  # reported with the first task: a clear message beats a broken pool
        _startup_error = f"{type(exc).__name__}: {exc}"


def _exit_with_parent() -> None:
    # parent_process() watches a pipe only the main process holds (for both
    # spawn and forkserver): it becomes readable when the main process dies,
    # even while that one is still an unreaped zombie.
    parent = multiprocessing.parent_process()
    if parent is not None:
        parent.join()
        os._exit(1)


def _run(settings: Settings, entries: list):
    if _startup_error:
        raise EngineError(f"a worker could not load the pipeline: {_startup_error}")
    return process_batch(settings, entries)


def _context():
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        # Workers fork from a server that has already imported the heavy
        # modules (spaCy, regex): faster start, shared read-only pages.
        ctx.set_forkserver_preload(["pipeline.process"])
        return ctx
    return multiprocessing.get_context("spawn")


class ProcessPool(Engine):
    def __init__(self, settings: Settings, workers: int):
        self.settings = settings
        self.workers = workers
        self.in_flight = 2 * workers  # one running, one waiting per worker
        self.pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=_context(),
                                           initializer=_start_worker, initargs=(settings,))

    def describe(self) -> str:
        return f"{self.workers} processes"

    def submit(self, entries):
        return self.pool.submit(_run, self.settings, entries)

    def wait(self, future, timeout):
        done, _ = cf.wait([future], timeout=timeout)
        return bool(done)

    def result(self, future):
        try:
            return future.result()
        except cf.process.BrokenProcessPool as exc:
            raise EngineError(f"a worker process died ({exc}); the records written so far are kept") from None

    def close(self):
        self.pool.shutdown(wait=True, cancel_futures=True)
