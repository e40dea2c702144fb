"""Files that review, export and stats create or replace, written without following symlinks.

A symlink planted where a page or a table goes (`review/articles/x.html ->
~/.bashrc`) must not make newsfacts overwrite what it points to. So a file is
never opened at its own path: the content goes to a new temporary file beside
it (created with O_EXCL, which refuses any existing name, symlinks included)
and is then renamed over the path. A rename replaces a symlink itself, not its
target, and readers see either the old file or the whole new one.

(The batch code's OUT files get a shared helper of their own; `replacing` is
the one function to swap for it here.)
"""
from __future__ import annotations

import io
import os
import secrets
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Iterator

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


@contextmanager
def replacing(path: str | Path, mode: str = "wb", encoding: str | None = None, errors: str | None = None,
              newline: str | None = None) -> Iterator[IO]:
    """Open a fresh file for writing; when the block ends without error, it replaces `path`.

    If the block raises, the temporary file is removed and `path` is left as it was."""
    path = Path(path)
    for _ in range(100):  # a random name is free at the first try unless someone plants names
        temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            fd = os.open(temp, _FLAGS, 0o666)
            break
        except FileExistsError:
            continue
    else:
        raise FileExistsError(f"cannot create a temporary file beside {path}")
    try:
        with io.open(fd, mode, encoding=encoding, errors=errors, newline=newline) as fh:
            yield fh
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise


def write_file(path: str | Path, data: str | bytes) -> None:
    """Replace `path` with `data` (text as UTF-8; a lone surrogate becomes '?')."""
    if isinstance(data, str):
        data = data.encode("utf-8", errors="replace")
    with replacing(path) as fh:
        fh.write(data)


def make_subdir(parent: str | Path, name: str) -> Path:
    """Create a folder that newsfacts names inside the output folder; refuse one that is a symlink.

    A symlinked `articles/` would send every page written inside it elsewhere.
    The output folder itself and its parents may be symlinks: the user named them."""
    path = Path(parent) / name
    path.mkdir(parents=True, exist_ok=True)
    if stat.S_ISLNK(os.lstat(path).st_mode):
        raise OSError(f"{path} is a symbolic link: refusing to write through it (remove it and run again)")
    return path
