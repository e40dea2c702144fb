"""The local engine: worker processes on this machine (--workers N, N >= 1).

The parent hands each worker batches over a pipe of its own and watches
every worker from outside, so that no single process can stall the run:

- **A stuck article.** A worker takes its batch through the stages one
  stage at a time (Pipeline.run_inputs); each time it begins or resumes
  work on an article it bumps a shared step counter and writes which
  article it is on. The worker's own budget (pipeline/budget.py) stops
  Python code; a call into C code cannot be stopped from inside. So when a
  worker's step counter has not moved for the article budget plus a grace
  period (`overrun_limit`), the parent kills that worker (SIGKILL), gives
  the article it was on a `timeout` error record, starts a fresh worker
  and has the batch's other articles extracted again. Extraction is deterministic, so
  the output is the same bytes as if nothing had happened.
- **A worker that dies** on its own (the out-of-memory killer, kill -9),
  busy or idle, or a forkserver that dies: the run stops with EngineError
  at once, and the records already written stay (`--resume` finishes).
  Nothing waits on a lock a dead process held: each worker has its own
  pipes, and the parent waits on them and on each process's sentinel with
  a timeout, so a stop request (SIGINT/SIGTERM) is always seen.
- **Stopping**: workers ignore SIGINT/SIGTERM (the parent decides); the
  parent closes their pipes and kills whatever has not exited within a
  second.

Workers are started with 'forkserver' where the platform has it, else
'spawn' -- never a bare fork of a parent that may run threads (the progress
bar's counter). A worker whose parent was killed (kill -9) exits at once.
"""
from __future__ import annotations

import ctypes
import gc
import hashlib
import multiprocessing
import os
import pickle
import signal
import stat
import threading
import time
from collections import deque
from multiprocessing.connection import wait as wait_for

from ..tasks import Outcome, Settings, Task, ready, run_batch
from ..read import ReadError
from ..record import error_record
from .. import patterns
from . import Engine, EngineError, pipeline_for

POLL = 0.2            # seconds between looks at the workers (and at a stop request)
EXIT_GRACE = 1.0      # seconds a worker gets to exit before it is killed
WORKER_GC_THRESHOLD = (50_000, 20, 100)   # gc.set_threshold in a worker (see _serve)
SMALL_MESSAGE = 16 * 1024  # a batch this small may wait in a busy worker's pipe without filling it


def overrun_limit(budget: float | None) -> float | None:
    """Seconds without progress after which the parent kills a worker.

    The worker's own budget fires first whenever the article is in Python
    code; the parent steps in only when it has not: after the budget plus
    as much again (at most 5 s more).
    """
    return None if budget is None else budget + min(budget, 5.0)


# -- the worker process ----------------------------------------------------

def _serve(settings: Settings, conn, begun, steps) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    try:
        pipeline = pipeline_for(settings)
    except Exception as exc:  # a broken pattern file: one clear line, not a traceback per worker
        _reply(conn, "failed", None, f"a worker could not load the pipeline: {type(exc).__name__}: {exc}")
        return

    # An article makes and drops ~10^5 objects, nearly all freed by their reference counts; the
    # default threshold (700) ran a collection every few hundred of them, ~4 % of a worker's CPU.
    gc.set_threshold(*WORKER_GC_THRESHOLD)
    _drop_regex_timeouts_if_watched(settings)
    done_before = [0]  # articles in the batches finished before this one

    def begin(index: int) -> None:
        # Which article (counted over every batch this worker took), then one more step.
        begun.value = done_before[0] + index + 1
        steps.value += 1

    while True:
        try:
            message = pickle.loads(conn.recv_bytes())
        except (EOFError, OSError):  # the parent closed the pipe: the run is over
            return
        if message is None:
            return
        seq, entries = message
        try:
            outcomes = run_batch(pipeline, entries, settings.max_bytes, begin=begin)
        except Exception as exc:  # a bug outside any article: stop the run with its message
            _reply(conn, "failed", seq, f"{type(exc).__name__}: {exc}")
            return
        done_before[0] += len(entries)
        begun.value = done_before[0]
        if not _reply(conn, "done", seq, outcomes):
            return


def _drop_regex_timeouts_if_watched(settings: Settings) -> None:
    """No per-call regex timeouts in this worker when the parent stops an overrunning article.

    A regex stuck in C is then stopped from outside like any other C call (the
    worker killed and replaced, its article a `timeout` record), so the timeout
    would only add its cost: it reads the CPU clock while it matches (~4 % of a
    run). It stays when the budget is off (nothing else would stop the call) or
    when NEWSFACTS_REGEX_TIMEOUT asks for it.
    """
    from ..budget import article_budget

    if "NEWSFACTS_REGEX_TIMEOUT" not in os.environ and overrun_limit(article_budget(settings.article_timeout)):
        patterns.REGEX_TIMEOUT = None


def _reply(conn, *message) -> bool:
    try:
        conn.send(message)
        return True
    except OSError:  # the parent stopped the run and closed the pipe: nobody wants the records
        return False


def _exit_with_parent() -> None:
    # parent_process() watches a pipe only the main process holds (for both
    # spawn and forkserver): it becomes readable when the main process dies,
    # even while that one is still an unreaped zombie.
    parent = multiprocessing.parent_process()
    if parent is not None:
        parent.join()
        os._exit(1)


def _context():
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        # Workers fork from a server that has already built the Pipeline
        # (engines/preload.py): start-up is paid once, not once per worker,
        # and the read-only pages are shared.
        ctx.set_forkserver_preload(["pipeline.engines.preload"])
        return ctx
    return multiprocessing.get_context("spawn")


# -- the parent's side -----------------------------------------------------

class _Worker:
    """One worker process, its pipe, and the batches it holds (oldest first)."""

    def __init__(self, ctx, settings: Settings):
        # Written by the worker only: the number of the article it is on (counted over all its
        # batches, from 1), and how many times it began or resumed work on an article.
        self.begun = ctx.RawValue(ctypes.c_ulonglong, 0)
        self.steps = ctx.RawValue(ctypes.c_ulonglong, 0)
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_serve, args=(settings, child, self.begun, self.steps), name="newsfacts-worker")
        try:
            self.process.start()
        except Exception as exc:
            raise EngineError(f"cannot start a worker process: {type(exc).__name__}: {exc}") from None
        child.close()
        self.held: deque[tuple[int, list]] = deque()
        self.first = 0           # `begun` when the oldest held batch was given
        self.seen = 0            # `steps` at the last look, and when it was seen to change
        self.seen_at = time.monotonic()

    def give(self, seq: int, entries: list, message: bytes) -> None:
        if not self.held:
            self.first = self.begun.value
            self.seen = self.steps.value
            self.seen_at = time.monotonic()
        self.conn.send_bytes(message)
        self.held.append((seq, entries))

    def finished(self, seq: int) -> None:
        done_seq, entries = self.held.popleft()
        assert done_seq == seq, (done_seq, seq)
        self.first += len(entries)

    def stuck_for(self, now: float) -> float:
        """Seconds the worker has spent on its current step (0 when idle or not started)."""
        value = self.steps.value
        if value != self.seen:
            self.seen, self.seen_at = value, now
        if not self.held or self.begun.value == self.first:
            return 0.0
        return now - self.seen_at

    def current(self) -> tuple[int, int]:
        """(position in `held`, index in that batch) of the article being worked on."""
        index = max(0, self.begun.value - self.first - 1)
        for position, (_, entries) in enumerate(self.held):
            if index < len(entries):
                return position, index
            index -= len(entries)
        return len(self.held) - 1, len(self.held[-1][1]) - 1

    def how_it_died(self) -> str:
        code = self.process.exitcode
        if code is not None and code < 0:
            name = signal.Signals(-code).name if -code in signal.valid_signals() else f"signal {-code}"
            hint = " -- the out-of-memory killer does this; see `dmesg`" if -code == signal.SIGKILL else ""
            return f"killed by {name}{hint}"
        lost = " (or the forkserver process that starts the workers died)" if code == 255 else ""
        return f"exited with status {code}{lost}"

    def stop(self) -> None:
        try:
            self.conn.send_bytes(pickle.dumps(None))
        except OSError:
            pass
        self.conn.close()

    def kill(self) -> None:
        if self.process.exitcode is None:
            try:
                self.process.kill()
            except OSError:
                pass
        self.process.join(EXIT_GRACE)
        self.conn.close()


def timeout_outcome(entry: Task, limit: float, budget: float, max_bytes: int) -> Outcome:
    """The `timeout` error record the parent writes for an article whose worker it had to kill."""
    source = {"path": entry.path, "sha256": _sha256_of(entry, max_bytes), "url": None, "publisher": None,
              "format": entry.format}
    message = (f"the article was still running {limit:g} s after it began, over its budget of {budget:g} s, "
               "inside a call that cannot be interrupted: its worker process was stopped and replaced; "
               "raise the budget with --article-timeout or NEWSFACTS_ARTICLE_BUDGET, or report the article")
    return ready(error_record(entry.doc_id, source, "timeout", message))


def _sha256_of(entry: Task, max_bytes: int) -> str | None:
    """The input's sha256, as the worker would have written it (so --resume skips the article).

    Only for stdin and regular files: reading a FIFO here could block the parent, which must stay free.
    """
    item = entry.to_input()
    if item.error is None and item.data is None:
        try:
            if not stat.S_ISREG(os.stat(item.fs_path or item.path).st_mode):
                return None
        except OSError:
            return None
    try:
        return hashlib.sha256(item.read_bytes(max_bytes)).hexdigest()
    except ReadError:
        return None


class ProcessPool(Engine):
    def __init__(self, settings: Settings, workers: int):
        from ..budget import article_budget

        self.settings = settings
        self.size = workers
        self.budget = article_budget(settings.article_timeout)
        self.limit = overrun_limit(self.budget)
        self.ctx = _context()
        self.workers: list[_Worker] = []
        try:
            for _ in range(workers):
                self.workers.append(_Worker(self.ctx, settings))
        except BaseException:
            self.close()
            raise

    def describe(self) -> str:
        return f"{self.size} worker process{'es' if self.size > 1 else ''}"

    def map(self, batches, stop):
        """Results of each batch in the order of `batches`; see the module docstring for failures."""
        batches = iter(batches)
        queue: deque[tuple[int, list]] = deque()   # batches not given to a worker yet (redone ones first)
        results: dict[int, list[Outcome]] = {}
        sent = yielded = 0
        window = 2 * self.size   # batches taken from the plan and not yet handed back: bounds memory
        exhausted = False
        while True:
            while not exhausted and sent - yielded < window and not stop():
                batch = next(batches, None)
                if batch is None:
                    exhausted = True
                else:
                    queue.append((sent, batch))
                    sent += 1
            self._hand_out(queue)
            while yielded in results:
                yield results.pop(yielded)
                yielded += 1
            if stop() or (exhausted and yielded == sent):
                return
            self._collect(results)
            self._kill_overruns(queue)

    def _hand_out(self, queue: deque) -> None:
        # An idle worker gets the next batch; a busy one may get a second, small one
        # to start on as soon as it is done (a large one could block the parent on the pipe).
        for depth in (0, 1):
            for worker in self.workers:
                if not queue or len(worker.held) != depth:
                    continue
                seq, entries = queue[0]
                message = pickle.dumps((seq, entries), protocol=pickle.HIGHEST_PROTOCOL)
                if depth == 0 or len(message) <= SMALL_MESSAGE:
                    queue.popleft()
                    try:
                        worker.give(seq, entries, message)
                    except OSError:  # it died before it could take the batch
                        self._failed(worker)

    def _collect(self, results: dict) -> None:
        conns = {w.conn: w for w in self.workers}
        sentinels = {w.process.sentinel: w for w in self.workers}
        ready_now = wait_for(list(conns) + list(sentinels), POLL)
        for conn in ready_now:
            worker = conns.get(conn)
            if worker is None:
                continue
            try:
                kind, seq, payload = conn.recv()
            except (EOFError, OSError):
                continue  # it died: its sentinel says how
            if kind == "failed":
                raise EngineError(payload)
            worker.finished(seq)
            results[seq] = payload
        for sentinel in ready_now:
            worker = sentinels.get(sentinel)
            if worker is not None:
                self._failed(worker)

    def _failed(self, worker: _Worker) -> None:
        """Raise EngineError for a worker that is gone: what it said last, or how it died."""
        try:
            if worker.conn.poll():
                kind, _, payload = worker.conn.recv()
                if kind == "failed":
                    raise EngineError(payload)
        except (EOFError, OSError):
            pass
        worker.process.join(EXIT_GRACE)
        doing = "while idle"
        if worker.held:
            position, index = worker.current()
            entry = worker.held[position][1][index]
            doing = f"while extracting {getattr(entry, 'path', None) or getattr(entry, 'doc_id', '?')}"
        raise EngineError(f"worker process {worker.process.pid} died {doing} ({worker.how_it_died()}); "
                          "the records written so far are kept")

    def _kill_overruns(self, queue: deque) -> None:
        if self.limit is None:
            return
        now = time.monotonic()
        for n, worker in enumerate(self.workers):
            if worker.stuck_for(now) <= self.limit:
                continue
            position, index = worker.current()
            worker.kill()
            # The stuck article gets its timeout record; its batch and any batch
            # queued behind it are done again, first, by a fresh worker.
            redo = list(worker.held)
            seq, entries = redo[position]
            entries = list(entries)
            if not isinstance(entries[index], Outcome):
                entries[index] = timeout_outcome(entries[index], self.limit, self.budget, self.settings.max_bytes)
            redo[position] = (seq, entries)
            queue.extendleft(reversed(redo))
            self.workers[n] = _Worker(self.ctx, self.settings)

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()
        deadline = time.monotonic() + EXIT_GRACE
        for worker in self.workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
        for worker in self.workers:
            worker.kill()  # still busy (a long article, a stuck call): SIGINT/SIGTERM are ignored there
        self.workers = []

