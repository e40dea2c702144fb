"""Running many inputs: batches, duplicate doc_ids, resume, records in input order.

The parent process walks the inputs lazily and turns them into batches of
small tasks (a path, never the file's bytes, except for stdin). An engine
(pipeline/engines/) runs each batch through a Pipeline that lives in the
worker -- local worker processes or a Dask cluster -- and hands the batches
back in the order they were sent. What stays in the
parent: discovery, the DuplicateGuard (doc_id -> path, the only state kept
per article), the resume check, and writing.

    job = Extraction(["big/"], Settings(), workers=4)
    for outcomes in job.run(stop=lambda: False):
        out.write([o.line for o in outcomes])

`extract_into` is a whole `newsfacts extract` run once its options are
checked: open OUT, run, commit, and the summary and exit status.
"""
from __future__ import annotations

import hashlib
import itertools
import os
import signal
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from .read import DEFAULT_MAX_BYTES, Input, ReadError, ReadOptions, count_inputs, discover
from .record import error_record
from .registry import warn_language_gaps
from .tasks import Outcome, Settings, Task, ready   # what travels between the parent and the workers

DEFAULT_BATCH_SIZE = 32  # inputs per task: big enough to hide the hand-over, small enough to keep order cheap


class DuplicateGuard:
    """Two inputs with the same doc_id: the second gets an error naming both paths.

    It holds one entry per input for the whole run, so the entry is kept small:
    a path that is folder + doc_id + suffix (every file found in a walk) is
    stored as its (folder, suffix) pair, one object shared by all the files of
    that folder, instead of a string per file.
    """

    def __init__(self):
        self.paths: dict[str, str | tuple[str, str]] = {}
        self._shared: dict[tuple[str, str], tuple[str, str]] = {}

    def check(self, item: Input) -> dict | None:
        where = item.where
        stored = self.paths.setdefault(item.doc_id, self._compact(item.doc_id, where))
        first = stored if isinstance(stored, str) else stored[0] + item.doc_id + stored[1]
        if first == where:
            return None
        return error_record(item.doc_id, item.source(), "duplicate_id",
                            f"doc_id {item.doc_id!r} is used by both {first} and {where}; " + self._hint(item))

    @staticmethod
    def _hint(item: Input) -> str:
        if item.row is None:
            return "rename one of the files, or use --id-from path"
        return "make the ids unique: another --id-field, or --id-from path for FILE:ROW ids"

    def _compact(self, doc_id: str, where: str) -> str | tuple[str, str]:
        at = where.rfind(doc_id)
        if at < 0:
            return where
        key = (where[:at], where[at + len(doc_id):])
        return self._shared.setdefault(key, key)


def records_in_order(inputs: list[str], pipeline, max_bytes: int = DEFAULT_MAX_BYTES,
                     options: ReadOptions = ReadOptions()) -> Iterator[dict]:
    """Records as dicts, one process (the Python API's extract_files)."""
    guard = DuplicateGuard()
    for item in discover(inputs, max_bytes=max_bytes, options=options):
        yield guard.check(item) or pipeline.run_input(item, max_bytes)


# -- the parent's side ----------------------------------------------------

def input_sha_key(item: Input, max_bytes: int):
    """The sha_key of an input's bytes as run_input would hash them (None if unreadable)."""
    from .output import sha_key

    try:
        return sha_key(hashlib.sha256(item.read_bytes(max_bytes)).hexdigest())
    except ReadError:
        return None


class InputIsOutput(Exception):
    """An input is the output file: reading it while it is replaced would lose it."""


class Extraction:
    """One batch run: plans the batches, picks the engine, yields outcomes in input order.

    `is_output(path, named)` tells whether an input is the run's own output
    file (Output.is_ours); such an input stops the run with InputIsOutput
    before anything is read from it.
    """

    def __init__(self, inputs: list[str], settings: Settings = Settings(), done=None, workers: int = 1,
                 engine: str = "local", scheduler: str | None = None, batch_size: int = DEFAULT_BATCH_SIZE,
                 reading: ReadOptions = ReadOptions(),
                 is_output: Callable[[str | None, bool], bool] | None = None):
        from .output import Done

        self.inputs = inputs
        self.settings = settings
        self.reading = reading                 # ids, record-file fields, the output file to leave out
        self.done = done if done is not None else Done()
        self.workers = max(1, workers)
        self.engine_name = engine
        self.scheduler = scheduler
        self.batch_size = max(1, batch_size)
        self.is_output = is_output
        self.skipped = 0                       # inputs already in OUT (--resume)
        self.changed: set[str] = set()         # doc_ids of inputs changed since their record was written
        self.engine_used = None

    @property
    def superseded(self) -> set[str]:
        """doc_ids whose older records must go when the run finishes (only the last one stays)."""
        return self.done.repeated | self.changed

    def plan(self) -> Iterator[list]:
        """Batches of Task / ready Outcome, in input order; resumed inputs are left out."""
        guard = DuplicateGuard()
        resuming = bool(self.done.records or self.done.duplicates)
        batch: list = []
        for item in discover(self.inputs, fmt=self.settings.input_format, max_bytes=self.settings.max_bytes,
                             options=self.reading):
            if self.is_output is not None and self.is_output(item.fs_path or item.path, item.named):
                raise InputIsOutput(f"{item.path} is the output file (-o) itself: it would be read as an article "
                                    "and then replaced by the records; write the records elsewhere")
            duplicate = guard.check(item)
            if duplicate is not None:
                if resuming and (item.doc_id, item.path, item.row) in self.done.duplicates:
                    self.skipped += 1
                    continue
                batch.append(ready(duplicate))
            elif resuming and item.doc_id in self.done.records:
                old = self.done.records[item.doc_id]
                if input_sha_key(item, self.settings.max_bytes) == old:
                    self.skipped += 1
                    continue
                self.changed.add(item.doc_id)  # changed since: extract again, drop the old line at the end
                batch.append(Task.of(item))
            else:
                batch.append(Task.of(item))
            if len(batch) >= self.batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    def run(self, stop: Callable[[], bool] = lambda: False) -> Iterator[list[Outcome]]:
        from .engines import make_engine

        warn_language_gaps()   # here, in the parent: the workers build the pipelines
        batches = self.plan()
        head = list(itertools.islice(batches, 2))
        # One batch of work does not pay for starting more than one worker.
        name, workers = self.engine_name, self.workers
        if name == "local" and len(head) < 2:
            workers = 1
        engine = make_engine(name, self.settings, workers=workers, scheduler=self.scheduler)
        self.engine_used = engine.describe()
        with engine:
            yield from engine.map(itertools.chain(head, batches), stop)


# -- a whole run into OUT: what `newsfacts extract` does once its options are checked ----------------

# The exit status of an extract run (README, `newsfacts extract --help`).
EXIT_OK, EXIT_WRITE_FAILED, EXIT_USAGE, EXIT_SOME_FAILED, EXIT_NOTHING_FOUND = 0, 1, 2, 3, 4


def default_workers() -> int:
    """One worker per core this process may use (containers and taskset give fewer than the machine has)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


class Summary:
    """Counts for the one-line summary on stderr: articles, facts of each type (patterns/manifest.json), warnings."""

    def __init__(self):
        from .registry import fields

        self.fields = fields()
        self.articles = self.errors = self.warnings = 0
        self.facts: Counter = Counter()

    def add(self, record: dict) -> None:
        self.articles += 1
        self.warnings += len(record.get("warnings", []))
        if "error" in record:
            self.errors += 1
            return
        for field in self.fields:
            self.facts[field] += len(record.get(field, []))

    def line(self, seconds: float, output: str) -> str:
        facts = " ".join(f"{k}={self.facts[k]}" for k in self.fields)
        text = (f"newsfacts: {self.articles} articles, {facts}, {self.warnings} warnings, "
                f"{self.errors} errors, {seconds:.2f}s")
        if self.errors:
            text += f" -- {self.errors} article(s) failed: see the records with an \"error\" field in {output}"
        return text


@dataclass
class RunEnd:
    """How the run loop ended."""
    finished: bool = False       # every record written and OUT in place: a signal after that changes nothing
    stop: StopSignals | None = None
    usage: str | None = None     # a usage error found while running (an input is the output file)
    problem: str | None = None   # the engine or a write failed

    @property
    def stopped(self) -> bool:
        return self.problem is not None or (self.stop() and not self.finished)


def run_into(job: Extraction, output, summary: Summary, progress: Progress) -> RunEnd:
    """Run the job, writing each batch of records to `output` and committing OUT at the end.
    SIGINT/SIGTERM stop it after the records in hand; errors are reported in the RunEnd, not raised."""
    from .engines import EngineError
    from .output import write_failure

    end = RunEnd()
    with StopSignals() as stop:
        end.stop = stop
        run = job.run(stop)
        try:
            for outcomes in run:
                output.write([o.line for o in outcomes])
                for outcome in outcomes:
                    summary.add(outcome.tally)
                progress.update(len(outcomes), job.skipped)
            if not stop():
                if summary.articles or job.skipped:
                    output.commit(job.superseded)
                end.finished = True
        except KeyboardInterrupt:  # a second Ctrl-C: stop now, the file holds whole lines
            stop.signum = stop.signum or signal.SIGINT
        except InputIsOutput as exc:
            end.usage = f"newsfacts extract: {exc}"
        except EngineError as exc:
            end.problem = f"newsfacts extract: {exc}"
        except OSError as exc:
            end.problem = write_failure(output, exc)
        finally:
            run.close()
            progress.close()
            output.close()
    return end


def extract_into(output, make_job: Callable, include_text: bool, quiet: bool, resume_command: str,
                 say: Callable[[str], None]) -> int:
    """A whole extract run into `output` (an unopened output.Output): open it, run make_job(done),
    `say` what happened (stderr lines), and return the exit status."""
    from .output import OutputError, discard_empty_run, left_behind, open_for_run

    started = time.perf_counter()
    try:
        done = open_for_run(output, include_text)
    except OutputError as exc:
        say(f"newsfacts extract: {exc}")
        return EXIT_USAGE
    except OSError as exc:
        say(f"newsfacts extract: cannot write {output.target}: {exc.strerror or exc}")
        return EXIT_WRITE_FAILED
    if len(done) and not quiet:
        say(f"newsfacts: resuming {output.target}: {len(done)} records already there")
    job = make_job(done)
    summary = Summary()
    end = run_into(job, output, summary, Progress(job.inputs, enabled=not quiet, fmt=job.settings.input_format))
    if end.usage:
        say(end.usage)
        return EXIT_USAGE
    if end.stopped:
        say(end.problem or f"newsfacts: stopped by {end.stop.name} after {summary.articles} articles")
        left = left_behind(output, len(done), resume_command)
        if left:
            say(left)
        return EXIT_WRITE_FAILED if end.problem else end.stop.exit_code
    if not summary.articles and not job.skipped:
        discard_empty_run(output)
        kept = "" if output.stdout else f"; {output.path} was left as it was"
        say(f"newsfacts extract: no articles found in {' '.join(job.inputs)} (looked for *.txt, *.html, *.htm and "
            f"record files: {', '.join(record_suffixes())}, also gzipped){kept}")
        return EXIT_NOTHING_FOUND
    if not quiet:
        say(summary.line(time.perf_counter() - started, output.path))
        if job.skipped:
            say(f"newsfacts: {job.skipped} articles were already in {output.path} and were skipped (--resume)")
        if job.superseded:
            say(f"newsfacts: {len(job.superseded)} articles had changed since they were extracted; "
                "their old records were replaced")
    return EXIT_SOME_FAILED if summary.errors else EXIT_OK


def record_suffixes() -> list[str]:
    """The record-file suffixes discovery reads, gzip left out (for messages)."""
    from .sources import SUFFIXES

    return ["*" + suffix for suffix in SUFFIXES if not suffix.endswith(".gz")]


# -- stopping cleanly -----------------------------------------------------

class StopSignals:
    """SIGINT / SIGTERM ask the run to stop after the records in hand are written.

    A second Ctrl-C stops at once (KeyboardInterrupt); the file still holds
    only whole lines. Used as a context manager around a run; `bool(stop)`
    or `stop()` tells whether a stop was asked, `stop.name` which signal.
    """

    def __init__(self):
        self.signum: int | None = None
        self._previous: dict[int, object] = {}

    def __call__(self) -> bool:
        return self.signum is not None

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name if self.signum else ""

    @property
    def exit_code(self) -> int:
        return 128 + self.signum if self.signum else 0

    def _handle(self, signum, frame):
        if self.signum is not None and signum == signal.SIGINT:
            raise KeyboardInterrupt
        self.signum = signum

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def __exit__(self, *exc):
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        return False


# -- progress -------------------------------------------------------------

class Progress:
    """A tqdm bar when stderr is a terminal, else a line every `every` seconds.

    The total is counted by a background walk of the inputs, so a million
    files never delay the first record; the bar shows no total until then.
    """

    def __init__(self, inputs: Iterable[str], enabled: bool = True, stream=None, every: float = 10.0,
                 fmt: str | None = None):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.every = every
        self.done = 0
        self.skipped = 0
        self.started = self._last = time.monotonic()
        self.bar = None
        if enabled and getattr(self.stream, "isatty", lambda: False)():
            from tqdm import tqdm

            self.bar = tqdm(total=None, unit=" articles", file=self.stream, dynamic_ncols=True,
                            mininterval=0.5, smoothing=0.1)
            counted = [i for i in inputs if i != "-"]
            threading.Thread(target=self._count, args=(counted, fmt), daemon=True).start()

    def _count(self, inputs: list[str], fmt: str | None) -> None:
        total = count_inputs(inputs, fmt)  # None: a record file would have to be read through to know
        if self.bar is not None and total is not None:
            self.bar.total = total
            self.bar.refresh()

    def update(self, articles: int, skipped: int = 0) -> None:
        if not self.enabled:
            return
        new_skips = skipped - self.skipped
        self.done += articles
        self.skipped = skipped
        if self.bar is not None:
            self.bar.update(articles + new_skips)
            return
        now = time.monotonic()
        if now - self._last >= self.every:
            self._last = now
            rate = self.done / max(now - self.started, 1e-9)
            text = f"newsfacts: {self.done} articles, {rate:.1f}/s"
            if skipped:
                text += f" ({skipped} already done, skipped)"
            print(text, file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
