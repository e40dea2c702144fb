"""Stage 1, read: find the inputs, decode their bytes, give each a doc_id.

Inputs are discovered lazily (a directory of a million files is walked, not
listed up front) and in a stable order, so every run sees the same sequence.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

# Files the reader picks up when given a directory.
TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")

# Refuse articles above this size: no real news article comes close, and a
# runaway file must not stall a batch (override with --max-bytes).
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class ReadError(Exception):
    """An input that cannot become an article; `kind` goes into the error record."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.message = message


@dataclass
class Input:
    """One input before decoding: where it comes from and how to get its bytes."""

    doc_id: str
    path: str | None          # None for stdin
    format: str = "text"      # "text" or "html"
    data: bytes | None = None  # already-read bytes (stdin)
    error: ReadError | None = None  # found unusable while discovering (unreadable directory)

    def read_bytes(self, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
        if self.error is not None:
            raise self.error
        if self.data is not None:
            data = self.data
        else:
            try:
                size = os.path.getsize(self.path)
                if size > max_bytes:
                    raise ReadError("too_large", f"{self.path}: {size} bytes is over the limit of {max_bytes} bytes (--max-bytes)")
                with open(self.path, "rb") as fh:
                    data = fh.read(max_bytes + 1)
            except ReadError:
                raise
            except OSError as exc:
                raise ReadError("unreadable", f"{self.path}: {exc.strerror or exc}") from None
        if len(data) > max_bytes:
            raise ReadError("too_large", f"{self.path or 'stdin'}: over the limit of {max_bytes} bytes (--max-bytes)")
        return data


@dataclass
class Decoded:
    text: str
    encoding: str
    sha256: str
    warnings: list[str] = field(default_factory=list)


def decode(data: bytes) -> Decoded:
    """Bytes -> NFC text. UTF-8 (BOM or not), UTF-16 with BOM, else cp1252 with a warning.

    Text is NFC-normalized so that 'ễ' is one character whatever the source
    did; offsets in the record index into this normalized text.
    """
    sha = hashlib.sha256(data).hexdigest()
    warnings: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        text, encoding = data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
        if "\ufffd" in text:
            warnings.append("invalid UTF-8 bytes were replaced by U+FFFD")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = data.decode("utf-16", errors="replace"), "utf-16"
    else:
        if b"\x00" in data[:4096]:
            raise ReadError("binary", "contains NUL bytes: not a text file (UTF-16 needs a byte-order mark)")
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            text, encoding = _decode_fallback(data, exc, warnings)
    if _looks_binary(text):
        raise ReadError("binary", "mostly control characters: not a text file")
    text = unicodedata.normalize("NFC", text)
    return Decoded(text=text, encoding=encoding, sha256=sha, warnings=warnings)


def _decode_fallback(data: bytes, exc: UnicodeDecodeError, warnings: list[str]) -> tuple[str, str]:
    # A few bad bytes in otherwise valid UTF-8 (a torn scrape) keep UTF-8;
    # a file that is not UTF-8 at all is read as cp1252, the usual culprit.
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    if bad and bad * 200 < len(replaced) and _valid_utf8_share(data) > 0.5:
        warnings.append(f"{bad} invalid UTF-8 byte sequence(s) replaced by U+FFFD (first at byte {exc.start})")
        return replaced, "utf-8"
    warnings.append("not valid UTF-8: decoded as cp1252; check the accents")
    return data.decode("cp1252", errors="replace"), "cp1252"


def _valid_utf8_share(data: bytes) -> float:
    multibyte = sum(1 for b in data if b >= 0x80)
    if not multibyte:
        return 1.0
    ok = len(data.decode("utf-8", errors="ignore").encode("utf-8")) - sum(1 for b in data if b < 0x80)
    return ok / multibyte


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    control = sum(1 for c in sample if ord(c) < 32 and c not in "\n\r\t\f\v")
    return control > max(8, len(sample) // 10)


def discover(inputs: list[str], html: bool = True) -> Iterator[Input]:
    """Yield an Input per file, in the order given; directories walked sorted, recursively.

    '-' is standard input. Symlink loops and unreadable directories are
    reported as error inputs rather than crashing the walk.
    """
    suffixes = TEXT_SUFFIXES + (HTML_SUFFIXES if html else ())
    for item in inputs:
        if item == "-":
            yield Input(doc_id="stdin", path=None, data=sys.stdin.buffer.read())
            continue
        path = Path(item)
        if path.is_dir():
            yield from _walk(path, suffixes)
        else:
            yield _input_for(path)


def _input_for(path: Path) -> Input:
    fmt = "html" if path.suffix.lower() in HTML_SUFFIXES else "text"
    return Input(doc_id=path.stem, path=str(path), format=fmt)


def _walk(root: Path, suffixes: tuple[str, ...]) -> Iterator[Input]:
    seen_dirs: set[tuple[int, int]] = set()

    def walk(directory: Path) -> Iterator[Input]:
        try:
            st = directory.stat()
        except OSError:
            return
        if (st.st_dev, st.st_ino) in seen_dirs:  # a symlink loop: visit each directory once
            return
        seen_dirs.add((st.st_dev, st.st_ino))
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as exc:
            yield Input(doc_id=directory.name, path=str(directory),
                        error=ReadError("unreadable", f"{directory}: cannot list directory: {exc.strerror or exc}"))
            return
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                continue
            if is_dir:
                yield from walk(Path(entry.path))
            elif entry.name.lower().endswith(suffixes):
                yield _input_for(Path(entry.path))

    yield from walk(root)
