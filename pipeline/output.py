"""Where the records go: an atomic file, a resumable file, or stdout.

The design, in three rules:

1. A run without --resume never touches OUT until it has finished: it writes
   OUT.partial beside it and renames it over OUT at the end (os.replace, so
   OUT is always either the old complete file or the new complete file).
2. Every batch of record lines is written with one write() call, straight to
   the file (no user-space buffer). A run stopped in any way -- Ctrl-C,
   SIGTERM, kill -9, a full disk -- leaves whole lines behind it; at worst
   a torn last line after kill -9 or a failed write, which --resume removes.
3. When a run stops early, OUT.partial is kept: `--resume -o OUT` reads it
   (or OUT itself, when there is no OUT.partial), skips the articles whose
   (doc_id, sha256) it already holds and appends the others. Records are
   written in input order, so a resumed file equals a clean run's file.
   An input that changed since its record was written is extracted again
   and its new record appended; when the run finishes, only the last record
   of each doc_id is kept (however many interruptions came in between).
4. One lock, on OUT.lock, covers OUT and OUT.partial for the whole run, and
   no file is created or appended to through a symbolic link (safefile.py).
5. --resume reads only files this version wrote: another schema_version, or
   a line that is not a well-formed record, is refused with its line number.

Appending to an existing OUT (--resume after a finished run, to add new
articles) writes in place: a crash there is repaired by the next --resume.
"""
from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
import sys
from dataclasses import dataclass, field
from typing import NamedTuple

from . import safefile
from .record import SCHEMA_VERSION

PARTIAL_SUFFIX = ".partial"
LOCK_SUFFIX = ".lock"


class OutputError(Exception):
    """A problem with OUT that the user must fix (the message says how)."""


def partial_path(out: str) -> str:
    return out + PARTIAL_SUFFIX


def sha_key(sha256_hex: str | None) -> bytes | None:
    """The part of an input's sha256 the resume set keeps (16 bytes: 128 bits is collision-free here)."""
    return bytes.fromhex(sha256_hex)[:16] if sha256_hex else None


@dataclass
class Done:
    """What an earlier run already wrote: enough to skip its articles, nothing more.

    `records` maps doc_id -> sha_key of the input its LAST record was made
    from; `repeated` holds the doc_ids with more than one record (an input
    that changed between two interruptions: only the last record is kept at
    the end). Duplicate doc_id errors (which carry no hash) are remembered by
    (doc_id, path, row).
    """

    records: dict[str, bytes | None] = field(default_factory=dict)
    repeated: set[str] = field(default_factory=set)
    duplicates: set[tuple[str, str | None, int | None]] = field(default_factory=set)  # doc_id, path, row
    lines: int = 0
    with_text: bool | None = None  # whether the first extracted record carries `text` (--no-text drops it)

    def __len__(self) -> int:
        return self.lines


# The first bytes of a line written by record.dumps: key order is fixed by the
# contract, so the two fields resume needs are read without parsing 50 KB of
# JSON per line. Anything else (another schema_version, hand-edited files,
# error records) is parsed in full and checked.
_PREFIX = re.compile(rb'\{"schema_version":' + str(SCHEMA_VERSION).encode() +
                     rb',"doc_id":("(?:[^"\\]|\\.)*"),"source":\{"path":(?:null|"(?:[^"\\]|\\.)*"),'
                     rb'"sha256":"([0-9a-f]{64})"')
_SHA256 = re.compile(r"[0-9a-f]{64}")


class _Line(NamedTuple):
    """What resume needs of one line of an earlier output."""

    doc_id: str
    key: bytes | None           # sha_key of the input the record was made from
    duplicate: bool             # a duplicate_id error record (kept by doc_id and path, not by doc_id)
    path: str | None            # source.path
    record: dict | None         # the parsed record, when the line was parsed in full
    row: int | None = None      # source.row: the row of a record file (JSON Lines, CSV, ...)


def _identity(line: bytes, where: str, parse: bool = False) -> _Line:
    """The identity of one line; parse=True parses it in full even when the fast prefix matches.

    Raises OutputError, naming the line, for anything this version of
    newsfacts did not write: resuming from it would mix two kinds of records.
    """
    m = None if parse else _PREFIX.match(line, 0, 2048)
    if m:
        return _Line(json.loads(m.group(1)), sha_key(m.group(2).decode()), False, None, None)
    try:
        record = json.loads(line)
    except ValueError:
        record = None
    if not isinstance(record, dict) or "doc_id" not in record:
        raise OutputError(f"{where}: not a newsfacts record; cannot resume from this file "
                          "(check -o, or run without --resume to start again)")
    version = record.get("schema_version")
    if version != SCHEMA_VERSION:
        raise OutputError(f"{where}: a record of schema_version {json.dumps(version)}, and this newsfacts writes "
                          f"version {SCHEMA_VERSION}; resuming would mix the two: run without --resume to start again "
                          "(or finish with the newsfacts that wrote it)")
    doc_id, source, error = record["doc_id"], record.get("source"), record.get("error")
    problem = None
    if not isinstance(doc_id, str) or not doc_id:
        problem = "doc_id is not a non-empty string"
    elif not isinstance(source, dict):
        problem = "source is not an object"
    elif source.get("path") is not None and not isinstance(source["path"], str):
        problem = "source.path is not a string"
    elif source.get("sha256") is not None and not (isinstance(source["sha256"], str)
                                                   and _SHA256.fullmatch(source["sha256"])):
        problem = "source.sha256 is not 64 lower-case hexadecimal digits"
    elif error is not None and not (isinstance(error, dict) and isinstance(error.get("kind"), str)):
        problem = "error is not an object with a kind"
    if problem:
        raise OutputError(f"{where}: {problem}; this file was not written by newsfacts as it is (edited by hand?): "
                          "mend that line, or run without --resume to start again")
    duplicate = error is not None and error["kind"] == "duplicate_id"
    row = source.get("row")
    if row is not None and (not isinstance(row, int) or isinstance(row, bool)):
        raise OutputError(f"{where}: source.row is not an integer; this file was not written by newsfacts as it is "
                          "(edited by hand?): mend that line, or run without --resume to start again")
    return _Line(doc_id, sha_key(source.get("sha256")), duplicate, source.get("path"), record, row)


def read_done(path: str) -> Done:
    """Stream an earlier output once, keeping only the identity of each record."""
    done = Done()
    with open(path, "rb") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            done.lines += 1
            # The first extracted record is read in full, to see how it was written.
            seen = _identity(line, f"{path}, line {number}", parse=done.with_text is None)
            if done.with_text is None and "error" not in seen.record:
                done.with_text = "text" in seen.record
            if seen.duplicate:
                done.duplicates.add((seen.doc_id, seen.path, seen.row))
                continue
            if seen.doc_id in done.records:
                done.repeated.add(seen.doc_id)
            done.records[seen.doc_id] = seen.key
    return done


def truncate_torn_tail(fd: int) -> int:
    """Cut a last line that has no newline (a write stopped half-way); returns bytes removed."""
    size = os.fstat(fd).st_size
    if size == 0 or os.pread(fd, 1, size - 1) == b"\n":
        return 0
    # Walk back in blocks to the last newline (lines are ~50 KB, files may be GBs).
    end, keep = size, 0
    while end > 0:
        start = max(0, end - 65536)
        i = os.pread(fd, end - start, start).rfind(b"\n")
        if i >= 0:
            keep = start + i + 1
            break
        end = start
    os.ftruncate(fd, keep)
    return size - keep


def keep_last(path: str, doc_ids: set[str]) -> int:
    """Rewrite `path` keeping, for each doc_id in `doc_ids`, only its last record; returns lines dropped.

    An input that changed since its record was written is extracted again and
    its new record appended: the last record of a doc_id is always the newest.
    Two passes, streaming; the new file replaces the old one atomically.
    """
    last: dict[str, int] = {}
    with open(path, "rb") as src:
        for number, line in enumerate(src):
            seen = _identity(line, f"{path}, line {number + 1}")
            if not seen.duplicate and seen.doc_id in doc_ids:
                last[seen.doc_id] = number
    dropped = 0
    with open(path, "rb") as src, safefile.temporary_beside(path) as (fd, tmp):
        with os.fdopen(os.dup(fd), "wb") as dst:
            for number, line in enumerate(src):
                seen = _identity(line, f"{path}, line {number + 1}")
                if not seen.duplicate and last.get(seen.doc_id, number) != number:
                    dropped += 1
                    continue
                dst.write(line)
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(tmp, path)
    return dropped


class Output:
    """The destination of one `extract` run.

        out = Output("records.jsonl", resume=False)
        done = out.open()          # lock OUT; what an earlier run wrote (empty without --resume)
        out.write(lines)           # one batch, in order
        out.commit(superseded)     # success: OUT.partial -> OUT
        out.close()                # always: unlock; an OUT.partial with nothing in it is removed

    One lock, on OUT.lock, covers OUT and OUT.partial for the whole run: a
    fresh run and a --resume (which may append to OUT itself) can never
    write at the same time. Files are never written through a symbolic link
    (pipeline/safefile.py).
    """

    def __init__(self, path: str, resume: bool = False):
        self.path = path
        self.resume = resume
        self.stdout = path == "-"
        self.target = path if self.stdout else partial_path(path)  # the file being written
        self.in_place = False       # --resume appending to OUT itself
        self.lines_written = 0
        self.lines_before = 0       # records already in the target (--resume)
        self.removed = False        # close() removed an OUT.partial that held nothing
        self._fh = None
        self._lock: safefile.Lock | None = None
        self._committed = False
        self._disposable = False    # the target holds nothing of an earlier run: remove it if this one adds nothing
        self._size = 0              # bytes of whole lines in the target: a failed write is cut back to it

    # -- opening -----------------------------------------------------------

    def open(self) -> Done:
        if self.stdout:
            if self.resume:
                raise OutputError("--resume needs an output file (-o OUT), not stdout")
            self._fh = sys.stdout.buffer
            return Done()
        parent = os.path.dirname(os.path.abspath(self.path))
        os.makedirs(parent, exist_ok=True)
        if os.path.isdir(self.path):
            raise OutputError(f"{self.path} is a directory; give a file name with -o")
        lock = safefile.Lock(self.path + LOCK_SUFFIX)
        try:
            locked = lock.acquire()
        except safefile.UnsafeFile as exc:
            raise OutputError(str(exc)) from None
        if not locked:
            raise OutputError(f"{self.path} is being written by another newsfacts run (it holds {lock.path}); "
                              "wait for it to end or choose another -o")
        self._lock = lock
        try:
            return self._open_target()
        except BaseException:
            self.close()
            raise

    def _open_target(self) -> Done:
        try:
            if not self.resume:
                fd = safefile.create(self.target)
            elif os.path.lexists(self.target):
                fd = safefile.open_existing(self.target, single_link=True)
            elif os.path.lexists(self.path):
                self.target, self.in_place = self.path, True
                fd = safefile.open_existing(self.target)
            else:  # nothing to resume from: an ordinary run
                fd = safefile.create(self.target)
        except safefile.UnsafeFile as exc:
            hint = " (without --resume, OUT itself is replaced, never written through)" if self.in_place else ""
            raise OutputError(f"{exc}{hint}") from None
        self._fh = os.fdopen(fd, "r+b", buffering=0)
        done = Done()
        if self.resume:
            truncate_torn_tail(fd)
            done = read_done(self.target)
            self.lines_before = done.lines
        self._disposable = not self.in_place and not done.lines
        self._size = self._fh.seek(0, os.SEEK_END)
        return done

    def is_ours(self, path: str | None, named: bool = True) -> bool:
        """Whether `path` is OUT or OUT.partial (an input must not be one of them).

        A file found in a directory walk (named=False) is only looked at when
        it has OUT's name: no stat() per input.
        """
        if self.stdout or path is None:
            return False
        if not named and os.path.basename(path) not in (os.path.basename(self.path), os.path.basename(self.target)):
            return False
        try:
            st = os.stat(path)
        except OSError:
            return False
        ours = [os.fstat(self._fh.fileno())] if self._fh is not None else []
        with contextlib.suppress(OSError):
            ours.append(os.stat(self.path))
        return any((st.st_dev, st.st_ino) == (o.st_dev, o.st_ino) for o in ours)

    # -- writing -----------------------------------------------------------

    def write(self, lines: list[bytes]) -> None:
        """Write whole lines (UTF-8, as record.dumps_utf8 makes them) with a single write() (so a killed
        process leaves whole lines)."""
        if not lines:
            return
        data = b"".join(lines)
        if self.stdout:
            self._fh.write(data)
            self._fh.flush()
            self.lines_written += len(lines)
            return
        try:
            view = memoryview(data)
            while view:  # a regular file takes it all at once, short of a full disk
                n = self._fh.write(view)
                if n is None or n <= 0:
                    raise OSError(errno.EIO, "write returned nothing")
                view = view[n:]
        except OSError:
            self._cut_back()
            raise
        self._size += len(data)
        self.lines_written += len(lines)

    def _cut_back(self) -> None:
        # Keep the file valid after a failed write: drop the half-written batch.
        try:
            self._fh.truncate(self._size)
            self._fh.seek(self._size)
        except (OSError, ValueError):
            pass  # truncate_torn_tail repairs it on --resume

    # -- ending ------------------------------------------------------------

    def commit(self, superseded: set[str] = frozenset()) -> None:
        """All records written: make them durable and move them to OUT.

        `superseded`: doc_ids with an older record in the file (an input that
        changed since): only their last record is kept.
        """
        if self.stdout:
            self._fh.flush()
            self._committed = True
            return
        os.fsync(self._fh.fileno())
        if superseded:
            keep_last(self.target, set(superseded))
        if not self.in_place:
            os.replace(self.target, self.path)
            _fsync_dir(os.path.dirname(os.path.abspath(self.path)))
        self._committed = True
        self.close()

    def close(self) -> None:
        """Stop writing and unlock; keep whatever is complete (OUT.partial stays for --resume).

        An OUT.partial that holds no record is removed: there is nothing to
        resume from, and OUT is as it was.
        """
        if self._fh is not None and not self.stdout:
            try:
                self._fh.close()
            except OSError:
                pass
            if self._disposable and not self._committed and not self.lines_written:
                with contextlib.suppress(OSError):
                    os.remove(self.target)
                    self.removed = True
        self._fh = None
        if self._lock is not None:
            self._lock.release()  # last: the partial file is settled before another run may start
            self._lock = None


# -- a run's use of OUT (what `newsfacts extract` asks before, during and after a run) ------------

def own_files(out: str) -> frozenset[str]:
    """The real paths of OUT and OUT.partial: an input directory holding them must not read them back."""
    if out == "-":
        return frozenset()
    return frozenset(os.path.realpath(p) for p in (out, partial_path(out)))


def unfinished_run(out: str, resume: bool, restart: bool, resume_command: str) -> str | None:
    """The message for a run without --resume that would wipe the records of an interrupted one, else None."""
    if out == "-" or resume:
        return None
    partial = partial_path(out)
    try:
        st = os.lstat(partial)
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None  # not a file a run of ours left (a planted link is replaced, never followed)
    if st.st_size == 0 or restart:
        return None
    return (f"newsfacts extract: {partial} holds {st.st_size} bytes of records from an earlier run that did not "
            f"finish (or is still running). To finish it, run:\n  {resume_command}\n"
            "To discard it and start again, add --restart.")


def open_for_run(output: Output, include_text: bool) -> Done:
    """output.open(), refusing to resume a file of records of the other kind (with or without `text`):
    appending would leave it half with `text`, half without (OutputError, a usage error)."""
    done = output.open()
    if done.with_text is not None and done.with_text != include_text:
        output.close()
        written = "without `text` (--no-text)" if not done.with_text else "with `text`"
        flag = "add --no-text" if not done.with_text else "drop --no-text"
        raise OutputError(f"the records in {output.target} were written {written}; "
                          f"{flag} to resume, or run without --resume to start again")
    return done


def write_failure(output: Output, exc: OSError) -> str:
    """The message for a write to OUT (or stdout) that failed."""
    if output.stdout:
        try:  # the reader went away (`| head`): no more flushes to a closed pipe at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except OSError:
            pass
        return f"newsfacts extract: cannot write to stdout: {exc.strerror or exc}"
    return f"newsfacts extract: cannot write {output.target}: {exc.strerror or exc}"


def left_behind(output: Output, records_before: int, resume_command: str) -> str | None:
    """After a run that stopped early: where its records are and how to finish (None for stdout)."""
    if output.removed:  # nothing to resume from: no empty OUT.partial was left behind
        return f"newsfacts: {output.path} was left as it was"
    if output.stdout:
        return None
    kept = f"{output.path} was left as it was; " if not output.in_place else ""
    return (f"newsfacts: {kept}the {records_before + output.lines_written} complete records are in "
            f"{output.target}. To finish, run:\n  {resume_command}")


def discard_empty_run(output: Output) -> None:
    """A run that found no articles: remove its empty OUT.partial, so OUT stays as it was."""
    if not output.stdout and not output.in_place:
        with contextlib.suppress(OSError):
            os.remove(output.target)


def _fsync_dir(directory: str) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
