"""A time budget per article, so one pathological input cannot stall a batch.

    budget = Budget(10.0)
    with budget:            # a hard stop: ArticleTimeout is raised in this thread
        work()              # once the budget is spent
    budget.check()          # and a soft one, for time spent where it could not be raised

How the hard stop works: one watchdog thread per process holds the deadlines
of the articles in progress. When one passes, it raises `ArticleTimeout` in
the thread that runs that article (CPython's PyThreadState_SetAsyncExc). Unlike
signal.alarm this works in any thread -- the main thread, a thread pool, a
Dask worker -- and in forked pool processes (the watchdog is restarted after a
fork). The exception is delivered between two Python bytecodes, so a long call
into C code (one regex search, say) is stopped only when it returns; every
regex on article text therefore also carries its own `timeout=` (REGEX_TIMEOUT).
A call that never returns is stopped from outside: the local engine's parent
process kills a worker that stays on one article too long (engines/local.py).

`ArticleTimeout` derives from BaseException so that an extractor's
`except Exception:` cannot swallow it.

The budget in seconds comes from, in order: the caller (Pipeline.article_timeout,
`--article-timeout`), the environment (NEWSFACTS_ARTICLE_BUDGET), the default.
Zero or a negative number turns the budget off.
"""
from __future__ import annotations

import ctypes
import math
import os
import sys
import threading
import time
import traceback

DEFAULT_ARTICLE_BUDGET = 10.0
ENV_VAR = "NEWSFACTS_ARTICLE_BUDGET"


class ArticleTimeout(BaseException):
    """Raised inside the article's thread when its budget is spent."""


def article_budget(seconds: float | None = None) -> float | None:
    """The budget to use, in seconds, or None for no budget."""
    if seconds is None:
        raw = os.environ.get(ENV_VAR, "").strip()
        try:
            seconds = float(raw) if raw else DEFAULT_ARTICLE_BUDGET
        except ValueError:
            seconds = DEFAULT_ARTICLE_BUDGET  # a typo in the variable must not stop a batch
    return seconds if seconds > 0 else None


class Budget:
    """One article's time: spent in one `with` block, or in several (the stages of a batch take turns).

    Only the time inside the blocks counts, so an article's budget does not
    run while the other articles of its batch go through a stage.
    """

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.spent = 0.0        # seconds inside finished blocks
        self._since: float | None = None
        self.deadline = None    # while inside a block: when the budget runs out
        self.thread_id: int | None = None
        self.fired = False      # the watchdog has raised ArticleTimeout in our thread

    def elapsed(self) -> float:
        inside = time.monotonic() - self._since if self._since is not None else 0.0
        return self.spent + inside

    def expired(self) -> bool:
        return self.seconds is not None and self.elapsed() > self.seconds

    def check(self) -> None:
        """The soft stop: raise ArticleTimeout if the budget is spent."""
        if self.expired():
            raise ArticleTimeout()

    def message(self, exc: BaseException | None = None) -> str:
        """For the error record: how long, where it was stopped, how to allow more."""
        where = stopped_at(exc) if exc is not None and self.fired else None
        where = f", stopped in {where}" if where else ""
        return (f"the article took {self.elapsed():.1f} s, over its budget of {self.seconds:g} s{where}; "
                f"raise the budget with --article-timeout or {ENV_VAR}")

    # -- the hard stop -----------------------------------------------------

    def __enter__(self) -> "Budget":
        self._since = time.monotonic()
        if self.seconds is not None:
            self.deadline = self._since + self.seconds - self.spent
            if _CAN_INTERRUPT:
                self.thread_id = threading.get_ident()
                _watchdog().watch(self)
        return self

    def __exit__(self, *exc_info) -> bool:
        if self.thread_id is not None:
            _watchdog().unwatch(self)
            self.thread_id = None
        self.spent += time.monotonic() - self._since
        self._since = None
        return False


def stopped_at(exc: BaseException) -> str | None:
    """'module.function:line' of the innermost pipeline frame in exc's traceback."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f"{os.sep}pipeline{os.sep}" in f.filename]
    if not frames:
        return None
    frame = frames[-1]
    module = frame.filename.rsplit(f"{os.sep}pipeline{os.sep}", 1)[1].removesuffix(".py").replace(os.sep, ".")
    return f"pipeline.{module}.{frame.name}:{frame.lineno}"


# -- the watchdog thread ---------------------------------------------------

_CAN_INTERRUPT = sys.implementation.name == "cpython" and hasattr(ctypes, "pythonapi")


def _raise_in(thread_id: int, exc_type) -> None:
    """Ask CPython to raise exc_type in that thread (None cancels a pending one)."""
    target = ctypes.py_object(exc_type) if exc_type is not None else None
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), target)


class _Watchdog:
    def __init__(self):
        self._cond = threading.Condition()
        self._watched: dict[int, Budget] = {}
        # When the thread will next look by itself. Waking it costs a GIL hand-over,
        # so watch() wakes it only for a deadline earlier than that: with budgets of
        # seconds and articles of milliseconds, that is about once per budget period.
        self._next_look = math.inf
        self._thread = threading.Thread(target=self._loop, name="newsfacts-budget", daemon=True)
        self._thread.start()

    def watch(self, budget: Budget) -> None:
        with self._cond:
            self._watched[id(budget)] = budget
            if budget.deadline < self._next_look:
                self._cond.notify()

    def unwatch(self, budget: Budget) -> None:
        with self._cond:
            self._watched.pop(id(budget), None)
            if budget.fired:
                # The exception may still be pending (not yet delivered): cancel it,
                # so it cannot surface after the article's error handling.
                _raise_in(budget.thread_id, None)

    def _loop(self) -> None:
        with self._cond:
            while True:
                now = time.monotonic()
                waits = []
                for key, budget in list(self._watched.items()):
                    if budget.deadline <= now:
                        # Forget it now: the exception may land anywhere, even inside unwatch().
                        del self._watched[key]
                        budget.fired = True
                        _raise_in(budget.thread_id, ArticleTimeout)
                    else:
                        waits.append(budget.deadline - now)
                timeout = min(waits) if waits else None
                self._next_look = now + timeout if timeout is not None else math.inf
                self._cond.wait(timeout=timeout)


_instance: _Watchdog | None = None
_instance_lock = threading.Lock()


def _watchdog() -> _Watchdog:
    global _instance
    if _instance is None:
        with _instance_lock:
            if _instance is None:
                _instance = _Watchdog()
    return _instance


def _forget_after_fork() -> None:
    # A forked child has no watchdog thread (threads do not survive fork) and its
    # copy of the lock may be held: start afresh on first use.
    global _instance, _instance_lock
    _instance = None
    _instance_lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_after_fork)
