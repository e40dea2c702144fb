"""Built extractors kept on disk between runs: a run loads them instead of building them again.

Building the extractors compiles ~190 regexes and the phrase automata: about
0.6 CPU-s, which every run paid again (half the start-up of `extract`, and of
every process that makes a Pipeline). A built extractor is plain data --
compiled patterns (the `regex` module pickles a pattern together with its
compiled code), automata, dicts and sets -- so it is pickled once, just
after it is built, and later runs load it in a few milliseconds.

The file's name holds a hash of everything a build depends on: every file
under the patterns folder in use (patterns/ or $NEWSFACTS_PATTERNS), the
source of this package, and the versions of Python, regex and pyahocorasick.
Change any of them and the name changes: the next run builds afresh and
writes a new file; files of other keys are pruned (the newest few are kept,
for switching between checkouts). Only the package's own extractors are
kept: an extractor from elsewhere (manifest.json may name any module) is
built every time, since its code is not in the hash.

Where: $NEWSFACTS_CACHE_DIR, else $XDG_CACHE_HOME/newsfacts, else
~/.cache/newsfacts. NEWSFACTS_CACHE_DIR=off turns it off.

A pickle runs code when it is loaded, so a file is loaded only from a folder
that this user owns and nobody else may write to, and only if the file is a
regular file of this user's that nobody else may write to either (the folder
is made private, 0700). Files are written beside their name and renamed
into place, so a reader never sees half a file (of two processes writing the
same key, the last one's whole file stays). A file that cannot be read or
loaded is ignored: the extractor is built, and the file written again.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
import stat
import sys
from functools import lru_cache
from pathlib import Path
from typing import Callable

from .safefile import replace

ENV_VAR = "NEWSFACTS_CACHE_DIR"
KEEP_KEYS = 4          # keys whose files stay when another is written
_PACKAGE = Path(__file__).resolve().parent

log = logging.getLogger("newsfacts")


def cache_dir() -> Path | None:
    """The folder in use, or None when the cache is off."""
    chosen = os.environ.get(ENV_VAR)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "0", "no") else Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "newsfacts"


def load_or_build(name: str, module: str, build: Callable[[], object]) -> object:
    """The extractor `name` (built by `build()`, its class from `module`): loaded if a file of this key
    is there, else built and written. Anything wrong with the cache only means a build."""
    folder = cache_dir()
    if folder is None or not module.startswith(__package__ + ".") or not hasattr(os, "getuid"):
        return build()
    try:
        path = folder / f"{_key(patterns_root())}-{name}.pickle"
    except OSError as exc:  # a file of the patterns folder vanished or cannot be read: the build will say more
        log.debug("newsfacts: no build cache: %s", exc)
        return build()
    loaded = _load(path)
    if loaded is not None:
        return loaded
    extractor = build()
    _store(folder, path, extractor)
    return extractor


def patterns_root() -> Path:
    from .patterns import patterns_dir

    return patterns_dir().resolve()


def _key(root: Path) -> str:
    """Hash of the pattern files under `root`, this package's source and the versions a pickle depends on.

    The files are hashed again only when one of them changed (size or time) since the last call."""
    stamp = tuple((f"{tag}/{path.relative_to(base)}", str(path), st.st_size, st.st_mtime_ns)
                  for tag, base, glob in (("patterns", root, "*"), ("pipeline", _PACKAGE, "*.py"))
                  for path in sorted(base.rglob(glob)) if "__pycache__" not in path.parts
                  for st in [path.stat()] if stat.S_ISREG(st.st_mode))
    return _hash(stamp)


@lru_cache(maxsize=8)
def _hash(stamp: tuple) -> str:
    import ahocorasick
    import regex

    digest = hashlib.sha256()
    module_file = Path(ahocorasick.__file__).stat()
    versions = [sys.version, sys.implementation.cache_tag, regex.__version__, str(pickle.HIGHEST_PROTOCOL),
                f"ahocorasick {module_file.st_size} {module_file.st_mtime_ns}"]
    digest.update("\n".join(versions).encode())
    for name, path, _, _ in stamp:
        digest.update(b"\0" + name.encode("utf-8", "surrogateescape") + b"\0")
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:24]


def _private(st: os.stat_result) -> bool:
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _load(path: Path) -> object | None:
    try:
        if not _private(os.stat(path.parent)):
            return None
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or not _private(st):
            return None
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception as exc:  # a truncated or foreign file: build instead (and write it again)
        log.debug("newsfacts: ignoring the cached build %s: %s", path, exc)
        return None


def _store(folder: Path, path: Path, extractor: object) -> None:
    try:
        data = pickle.dumps(extractor, protocol=pickle.HIGHEST_PROTOCOL)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(os.stat(folder)):
            return   # someone else's folder, or one others may write: never written, never read
        replace(str(path), data)
        _prune(folder, keep=path.name.split("-", 1)[0])
    except Exception as exc:  # an unpicklable extractor, a read-only home, a full disk: run without the cache
        log.debug("newsfacts: could not keep the built extractor in %s: %s", folder, exc)


def _prune(folder: Path, keep: str) -> None:
    """Remove the files of all but the KEEP_KEYS most recently written keys (`keep`, just written, among them)."""
    newest: dict[str, float] = {}
    for entry in os.scandir(folder):
        if entry.name.endswith(".pickle") and "-" in entry.name and entry.is_file(follow_symlinks=False):
            key = entry.name.split("-", 1)[0]
            newest[key] = max(newest.get(key, 0.0), entry.stat(follow_symlinks=False).st_mtime)
    others = sorted((key for key in newest if key != keep), key=newest.get, reverse=True)
    kept = {keep, *others[:KEEP_KEYS - 1]}
    for entry in os.scandir(folder):
        if entry.name.endswith(".pickle") and entry.name.split("-", 1)[0] not in kept:
            try:
                os.unlink(entry.path)
            except OSError:
                pass
