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

Appending to an existing OUT (--resume after a finished run, to add new
articles) writes in place: a crash there is repaired by the next --resume.
"""
from __future__ import annotations

import errno
import json
import os
import re
import sys
from dataclasses import dataclass, field

try:  # advisory lock against two runs writing the same file (POSIX only)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

PARTIAL_SUFFIX = ".partial"


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

    `records` maps doc_id -> sha_key of the input it was made from; duplicate
    doc_id errors (which carry no hash) are remembered by (doc_id, path).
    """

    records: dict[str, bytes | None] = field(default_factory=dict)
    duplicates: set[tuple[str, str | None, int | None]] = field(default_factory=set)  # doc_id, path, row
    lines: int = 0
    with_text: bool | None = None  # whether the first extracted record carries `text` (--no-text drops it)

    def __len__(self) -> int:
        return self.lines


# The first bytes of a line written by record.dumps: key order is fixed by the
# contract, so the two fields resume needs are read without parsing 50 KB of
# JSON per line. Anything else (hand-edited files, error records) is parsed in full.
_PREFIX = re.compile(rb'\{"schema_version":\d+,"doc_id":("(?:[^"\\]|\\.)*"),"source":\{"path":(?:null|"(?:[^"\\]|\\.)*"),'
                     rb'"sha256":"([0-9a-f]{64})"')


def read_done(path: str) -> Done:
    """Stream an earlier output once, keeping only the identity of each record."""
    done = Done()
    with open(path, "rb") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            done.lines += 1
            m = _PREFIX.match(line, 0, 2048)
            if m and done.with_text is None:
                m = None  # the first record is read in full, to see how it was written
            if m:
                done.records[json.loads(m.group(1))] = sha_key(m.group(2).decode())
                continue
            try:
                record = json.loads(line)
                doc_id = record["doc_id"]
                source = record.get("source") or {}
            except (ValueError, KeyError, TypeError, AttributeError):
                raise OutputError(f"{path}, line {number}: not a newsfacts record; cannot resume from this file "
                                  "(check -o, or run without --resume to start again)") from None
            if (record.get("error") or {}).get("kind") == "duplicate_id":
                done.duplicates.add((doc_id, source.get("path"), source.get("row")))
            else:
                done.records[doc_id] = sha_key(source.get("sha256"))
            if done.with_text is None and "error" not in record:
                done.with_text = "text" in record
    return done


def truncate_torn_tail(path: str) -> int:
    """Cut a last line that has no newline (a write stopped half-way); returns bytes removed."""
    with open(path, "r+b") as fh:
        size = fh.seek(0, os.SEEK_END)
        if size == 0:
            return 0
        fh.seek(size - 1)
        if fh.read(1) == b"\n":
            return 0
        # Walk back in blocks to the last newline (lines are ~50 KB, files may be GBs).
        end = size
        while end > 0:
            start = max(0, end - 65536)
            fh.seek(start)
            block = fh.read(end - start)
            i = block.rfind(b"\n")
            if i >= 0:
                keep = start + i + 1
                break
            end = start
        else:
            keep = 0
        fh.truncate(keep)
        return size - keep


def drop_stale(path: str, stale: dict[str, bytes | None]) -> int:
    """Rewrite `path` without the records of inputs that changed since they were written.

    `stale` maps doc_id -> the sha_key of the OLD record; the new record of the
    same doc_id has another hash and is kept. Streams; replaces atomically.
    """
    tmp = path + ".compact"
    dropped = 0
    with open(path, "rb") as src, open(tmp, "wb") as dst:
        for line in src:
            m = _PREFIX.match(line, 0, 2048)
            if m:
                doc_id, key = json.loads(m.group(1)), sha_key(m.group(2).decode())
            else:
                record = json.loads(line)
                if (record.get("error") or {}).get("kind") == "duplicate_id":
                    dst.write(line)
                    continue
                doc_id, key = record["doc_id"], sha_key((record.get("source") or {}).get("sha256"))
            if doc_id in stale and stale[doc_id] == key:  # the new record has another hash: kept
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
        done = out.open()          # what an earlier run wrote (empty without --resume)
        out.write(lines)           # one batch, in order
        out.commit()               # success: OUT.partial -> OUT
        # or, on interruption / failure: out.close(); tell the user about out.target
    """

    def __init__(self, path: str, resume: bool = False):
        self.path = path
        self.resume = resume
        self.stdout = path == "-"
        self.target = path if self.stdout else partial_path(path)  # the file being written
        self.in_place = False       # --resume appending to OUT itself
        self.lines_written = 0
        self._fh = None
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
        if self.resume and not os.path.exists(self.target) and os.path.exists(self.path):
            self.target, self.in_place = self.path, True
        # Open without truncating, lock, and only then empty it: a second run
        # must not wipe the file a first run is still writing.
        fd = os.open(self.target, os.O_RDWR | os.O_CREAT, 0o644)
        self._fh = os.fdopen(fd, "r+b", buffering=0)
        self._lock()
        done = Done()
        if self.resume:
            truncate_torn_tail(self.target)
            done = read_done(self.target)
            self._fh.seek(0, os.SEEK_END)
        else:
            self._fh.truncate(0)
        self._size = self._fh.tell()
        return done

    def _lock(self) -> None:
        if fcntl is None:
            return
        try:
            fcntl.flock(self._fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._fh.close()
            raise OutputError(f"{self.target} is being written by another newsfacts run; "
                              "wait for it to end or choose another -o") from None
        except OSError:  # file systems without locks (some NFS): go on unlocked
            pass

    # -- writing -----------------------------------------------------------

    def write(self, lines: list[str]) -> None:
        """Write whole lines with a single write() (so a killed process leaves whole lines)."""
        if not lines:
            return
        data = "".join(lines).encode("utf-8")
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

    def commit(self, stale: dict[str, bytes | None] | None = None) -> None:
        """All records written: make them durable and move them to OUT."""
        if self.stdout:
            self._fh.flush()
            return
        os.fsync(self._fh.fileno())
        if stale:
            drop_stale(self.target, stale)
        if not self.in_place:
            os.replace(self.target, self.path)
            _fsync_dir(os.path.dirname(os.path.abspath(self.path)))
        self.close()

    def close(self) -> None:
        """Stop writing, keep whatever is complete (the partial file stays for --resume)."""
        if self._fh is not None and not self.stdout:
            try:
                self._fh.close()
            except OSError:
                pass
        self._fh = None


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
