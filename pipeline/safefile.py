"""Creating, replacing and locking files without following symbolic links.

A program that writes where it is told must not become a way to overwrite
other files: a symbolic link planted at a name it creates (OUT.partial, a
review page) would make a plain open(..., "w") truncate whatever the link
points to. Every file newsfacts creates or replaces goes through here:

    fd = create(path)              # a new, empty regular file (whatever had that name is unlinked first)
    fd = open_existing(path)       # an existing regular file, opened for reading and writing, never through a link
    replace(path, data)            # data written beside path, then renamed over it: readers see old or new
    lock = Lock(path + ".lock")    # an advisory lock one process at a time can hold
    if lock.acquire(): ...; lock.release()

Only the last component of a path is protected: directories named by the
user (`-o /data/link/out.jsonl`) are the user's choice.
"""
from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile

try:  # advisory locks (POSIX); on Windows files are not locked
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


class UnsafeFile(Exception):
    """A name newsfacts would write is a link, a directory or another special file (the message says which)."""


def _refuse_link(path: str, exc: OSError) -> None:
    # O_NOFOLLOW on a symbolic link fails with ELOOP (Linux, macOS) or EMLINK (FreeBSD).
    if exc.errno in (errno.ELOOP, errno.EMLINK) and os.path.islink(path):
        raise UnsafeFile(f"{path} is a symbolic link; newsfacts does not write through links "
                         "(remove the link or choose another name)") from None


def create(path: str, mode: int = 0o644) -> int:
    """A new, empty regular file at `path`, open for reading and writing (a file descriptor).

    Whatever had the name before -- an old file, a symbolic link, a hard link
    to someone else's file -- is unlinked, not written through. O_EXCL makes
    the creation fail rather than follow a link planted in between.
    """
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        pass
    else:
        if stat.S_ISDIR(st.st_mode):
            raise UnsafeFile(f"{path} is a directory")
        os.unlink(path)
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _CLOEXEC, mode)
    except FileExistsError:
        raise UnsafeFile(f"{path} appeared while newsfacts was creating it: is another program writing there?") from None


def open_existing(path: str, single_link: bool = False) -> int:
    """An existing regular file, open for reading and writing; never through a symbolic link.

    single_link: refuse a file with other hard links too (for files newsfacts
    made itself, which never have any: one that does was planted).
    """
    try:
        fd = os.open(path, os.O_RDWR | _NOFOLLOW | _CLOEXEC)
    except OSError as exc:
        _refuse_link(path, exc)
        raise
    st = os.fstat(fd)
    problem = None
    if not stat.S_ISREG(st.st_mode):
        problem = f"{path} is not a regular file"
    elif single_link and st.st_nlink > 1:
        problem = f"{path} has other hard links; newsfacts will not write to it (remove it to start again)"
    if problem:
        os.close(fd)
        raise UnsafeFile(problem)
    return fd


def replace(path: str, data: bytes | str, sync: bool = False) -> None:
    """Write `data` to a new file beside `path`, then rename it over `path` (which may be a link: the link is replaced)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    with temporary_beside(path) as (fd, tmp):
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        if sync:
            os.fsync(fd)
        os.replace(tmp, path)


@contextlib.contextmanager
def temporary_beside(path: str):
    """(fd, name) of a new private file in path's directory; removed on error unless it was renamed away."""
    directory, name = os.path.split(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")  # O_EXCL: never an existing file
    try:
        os.fchmod(fd, 0o644 & ~_umask())
        yield fd, tmp
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class Lock:
    """An advisory lock on a small file of its own, held by at most one process.

    acquire() never waits: it says whether the lock is ours. The lock file is
    removed by release(); a process killed while holding it leaves the file,
    which is harmless (a lock dies with its process) and reused next time.
    """

    def __init__(self, path: str):
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> bool:
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _CLOEXEC, 0o644)
            except OSError as exc:
                _refuse_link(self.path, exc)
                raise
            if fcntl is None:
                self._fd = fd
                return True
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return False
            except OSError:  # a file system without locks (some NFS): go on unlocked
                self._fd = fd
                return True
            # The holder before us may have removed the file after we opened it:
            # then we hold a lock nobody else can see; take the file now at the path.
            try:
                now = os.stat(self.path, follow_symlinks=False)
            except FileNotFoundError:
                now = None
            mine = os.fstat(fd)
            if now is not None and (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino):
                self._fd = fd
                return True
            os.close(fd)

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(OSError):
            os.unlink(self.path)  # while still locked: a newcomer then sees no file, or a new one
        os.close(self._fd)
        self._fd = None
