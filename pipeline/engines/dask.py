"""The Dask engine: the same batches, run on a Dask distributed cluster.

    newsfacts extract big/ -o out.jsonl --engine dask                         # a LocalCluster here
    newsfacts extract /data/big/ -o out.jsonl --engine dask --scheduler tcp://head:8786

Each task is one batch of file paths; the worker reads the files itself and
keeps one Pipeline per worker thread (engines.pipeline_for), so a worker
loads the patterns once, not per task. Results come back to the client in
input order, at most `in_flight` batches at a time. Workers need newsfacts
installed (`pip install 'newsfacts[dask]'`) and the input paths reachable
under the same names (a shared file system; give absolute paths or start
the workers in the client's directory). See docs/dask.md.
"""
from __future__ import annotations

import logging
import signal
import threading

from ..tasks import Settings
from . import Engine, EngineError, process_batch

_CONNECT_TIMEOUT = "30s"  # how long to wait for --scheduler before giving up


class DaskEngine(Engine):
    def __init__(self, settings: Settings, workers: int = 1, scheduler: str | None = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise EngineError("the dask engine needs the dask extra: pip install 'newsfacts[dask]'") from None
        self.settings = settings
        self.cluster = None
        try:
            if scheduler:
                self.client = Client(scheduler, timeout=_CONNECT_TIMEOUT)
            else:
                with _sigint_ignored():
                    self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                dashboard_address=None, silence_logs=logging.ERROR)
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as exc:
            if self.cluster is not None:
                self.cluster.close()
            raise EngineError(f"cannot reach the Dask scheduler {scheduler or '(local)'}: {exc}") from None
        threads = sum(self.client.nthreads().values()) or workers
        self.in_flight = 2 * max(1, threads)

    def describe(self) -> str:
        return f"dask, {len(self.client.nthreads())} workers"

    def submit(self, entries):
        # pure=False: two batches with equal content are still two tasks.
        return self.client.submit(process_batch, self.settings, entries, pure=False)

    def wait(self, future, timeout):
        from distributed import wait

        if future.done():
            return True
        if timeout <= 0:
            return False
        try:
            wait(future, timeout=timeout)
        except Exception as exc:  # dask raises its TimeoutError flavour here
            if "Timeout" in type(exc).__name__:
                return False
            raise
        return True

    def result(self, future):
        try:
            return future.result()
        except EngineError:
            raise
        except Exception as exc:  # raised on a worker: e.g. newsfacts not installed there
            raise EngineError(f"a Dask task failed: {type(exc).__name__}: {exc}") from None

    def close(self):
        try:
            self.client.close()
        finally:
            if self.cluster is not None:
                self.cluster.close()


class _sigint_ignored:
    """Start the local workers with Ctrl-C ignored, as the pool's workers are.

    A child process inherits an ignored SIGINT (not a Python handler), so a
    Ctrl-C in the terminal reaches only the client, which stops the run
    cleanly, instead of printing a KeyboardInterrupt traceback per worker.
    A Ctrl-C during the few seconds of start-up is lost; press it again.
    """

    def __enter__(self):
        self.previous = None
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        return self

    def __exit__(self, *exc):
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
        return False
