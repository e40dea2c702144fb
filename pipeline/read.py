"""Stage 1, read: find the inputs, decode their bytes, give each a doc_id.

Inputs are discovered lazily (a directory of a million files is walked, not
listed up front) and in a stable order, so every run sees the same sequence.
A plain file (.txt, .html) is one input; a record file (JSON Lines, CSV,
Parquet, WARC: pipeline/sources/) gives one input per row, streamed.
Nothing here raises on a bad input: a file that cannot become an article
gets a `ReadError` with a `kind` (empty, binary, too_large, unreadable), which
the pipeline turns into that article's error record.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import regex

from . import patterns
# Files the reader picks up when given a directory (and record files: sources.SUFFIXES).
TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
ARTICLE_FORMATS = ("text", "html")                           # one file, one article
RECORD_FORMATS = ("jsonl", "csv", "tsv", "parquet", "warc")  # one row, one article (pipeline/sources/)
FORMATS = ARTICLE_FORMATS + RECORD_FORMATS                   # --format
ID_FROM = ("stem", "path")

# Refuse articles above this size: no real news article comes close (they are
# 5-200 KB), a runaway file must not stall a batch, and a worker's memory grows
# with the article: the worst text measured at this size (one letter and a space,
# again and again) peaks at ~610 MB, 20 MiB took 2 GB (docs/reliability.md).
# Override with --max-bytes.
DEFAULT_MAX_BYTES = 2 * 1024 * 1024

# File signatures that mean "not text", with a name for the error message.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"%PDF-", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (or .docx/.odt)"),
    (b"\x1f\x8b", "a gzip archive"), (b"\xd0\xcf\x11\xe0", "an old MS Office document"),
    (b"\x7fELF", "a program"),
)
# <meta charset="..."> or <meta http-equiv="Content-Type" content="text/html; charset=...">
_META_CHARSET = regex.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", regex.IGNORECASE)
_HTML_START = regex.compile(r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", regex.IGNORECASE | regex.DOTALL)


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
    path: str | None          # as shown in records (valid Unicode); None for stdin
    format: str = "text"      # "text" or "html"
    data: bytes | None = None  # already-read bytes (stdin, a record file's row)
    error: ReadError | None = None  # found unusable while discovering (unreadable directory, bad row)
    fs_path: str | None = None  # the name to open, when it differs from `path` (undecodable bytes)
    named: bool = False       # named on the command line (may be a pipe), not found in a walk
    row: int | None = None    # a record file's row number (1 = the first)
    meta: dict | None = None  # a row's metadata: container, url, title, published, date_given, charset, offset, warnings

    @property
    def where(self) -> str:
        """The input in a message: its path, with the row for a record file's row."""
        where = self.path or "stdin"
        return f"{where}, row {self.row}" if self.row is not None else where

    def source(self) -> dict:
        """The record's `source`, as far as it is known before reading (sha256 and encoding come later)."""
        meta = self.meta or {}
        source = {"path": self.path, "sha256": None, "url": meta.get("url"), "publisher": None, "format": self.format}
        row = {"container": meta.get("container"), "row": self.row, "offset": meta.get("offset"),
               "date_given": meta.get("date_given")}
        source.update((key, value) for key, value in row.items() if value is not None)
        return source

    def apply_meta(self, article) -> None:
        """What the row says about its article, set before the stages run (year inference uses `published`)."""
        if not self.meta:
            return
        for key in ("published", "title"):
            if self.meta.get(key):
                setattr(article, key, self.meta[key])
        if not article.published and self.meta.get("date_given"):
            # A month or a year alone ("2023-11") names no day, but still dates the text's yearless days.
            from .extract.years import split_published

            article.published_approx = split_published(self.meta["date_given"])[1]
        for warning in self.meta.get("warnings", ()):
            article.warn(warning)

    def read_bytes(self, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
        if self.error is not None:
            raise self.error
        if self.data is not None:
            data = self.data
        else:
            data = self._read_file(max_bytes)
        if len(data) > max_bytes:
            raise ReadError("too_large", f"{self.path or 'stdin'}: over the limit of {max_bytes} bytes (--max-bytes)")
        return data

    def _read_file(self, max_bytes: int) -> bytes:
        where = self.path
        try:
            st = os.stat(self.fs_path or self.path)
            if stat.S_ISDIR(st.st_mode):
                raise ReadError("unreadable", f"{where}: is a directory")
            if not stat.S_ISREG(st.st_mode) and not self.named:
                # A FIFO found in a walk would block the batch forever on open().
                raise ReadError("unreadable", f"{where}: not a regular file")
            if st.st_size > max_bytes:
                raise ReadError("too_large", f"{where}: {st.st_size} bytes is over the limit of {max_bytes} "
                                             "bytes (raise it with --max-bytes)")
            with open(self.fs_path or self.path, "rb") as fh:
                return fh.read(max_bytes + 1)  # a file growing while we read still stops at the limit
        except OSError as exc:
            raise ReadError("unreadable", f"{where}: {exc.strerror or exc}") from None


@dataclass
class Decoded:
    text: str
    encoding: str
    sha256: str
    warnings: list[str] = field(default_factory=list)


def decode(data: bytes, html: bool = False, charset: str | None = None) -> Decoded:
    """Bytes -> NFC text. UTF-8 (BOM or not), UTF-16/32 with BOM, else cp1252 with a warning.

    HTML also honours a <meta charset>, and `charset` (declared by the container,
    e.g. a WARC record's HTTP header) comes before it. Text is NFC-normalized so that 'ễ' is
    one character whatever the source did; offsets in the record index into
    this normalized text. Raises ReadError for empty and binary input.
    """
    sha = hashlib.sha256(data).hexdigest()
    warnings: list[str] = []
    if not data:
        raise ReadError("empty", "the file is empty (0 bytes)")
    text, encoding = _decode_unicode_bom(data, warnings) or _decode_plain(data, html, warnings, charset)
    if _looks_binary(text):
        raise ReadError("binary", "mostly control characters: not a text file")
    if not text.strip():
        raise ReadError("empty", "no text: the file holds only white space")
    text = unicodedata.normalize("NFC", text)
    return Decoded(text=text, encoding=encoding, sha256=sha, warnings=warnings)


def looks_like_html(text: str) -> bool:
    """A page saved under a .txt name: starts with <!DOCTYPE html> or <html>."""
    return bool(_HTML_START.match(text[:4096], timeout=patterns.REGEX_TIMEOUT))


def _decode_unicode_bom(data: bytes, warnings: list[str]) -> tuple[str, str] | None:
    # UTF-32 first: its little-endian BOM begins with the UTF-16 one.
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            text = data.decode(codec, errors="replace")
            if "\ufffd" in text:
                warnings.append(f"invalid {codec} byte sequences were replaced by U+FFFD")
            return text, codec
    return None


def _decode_plain(data: bytes, html: bool, warnings: list[str], charset: str | None = None) -> tuple[str, str]:
    head = data[:4096]
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise ReadError("binary", f"this is {what}, not text: convert it to text (or HTML) first")
    if b"\x00" in head:
        guessed = _utf16_without_bom(head)
        if guessed is None:
            raise ReadError("binary", "contains NUL bytes: not a text file (UTF-16 needs a byte-order mark)")
        warnings.append(f"no byte-order mark: decoded as {guessed} (the NUL bytes say so)")
        return data.decode(guessed, errors="replace"), guessed
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        declared = _codec_name(charset) or (_declared_charset(head) if html else None)
        if declared and declared != "utf-8":
            return data.decode(declared, errors="replace"), declared
        return _decode_fallback(data, exc, warnings)


def _utf16_without_bom(head: bytes) -> str | None:
    # Text in UTF-16 has a NUL in nearly every other byte (ASCII letters, spaces,
    # digits); binary data has NULs scattered anywhere.
    even, odd = head[0::2], head[1::2]
    if len(head) < 16:
        return None
    even_nul, odd_nul = even.count(0) / len(even), odd.count(0) / max(1, len(odd))
    if odd_nul > 0.3 and even_nul < 0.02:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.02:
        return "utf-16-be"
    return None


def _declared_charset(head: bytes) -> str | None:
    m = _META_CHARSET.search(head, timeout=patterns.REGEX_TIMEOUT)
    if not m:
        return None
    try:
        return _codec_name(m.group(1).decode("ascii"))
    except UnicodeDecodeError:
        return None


def _codec_name(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


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


_ASCII = bytes(range(128))


def _valid_utf8_share(data: bytes) -> float:
    """Of the non-ASCII bytes, the share that belongs to valid UTF-8 sequences."""
    multibyte = len(data.translate(None, _ASCII))  # bytes >= 0x80, counted in C
    if not multibyte:
        return 1.0
    ok = len(data.decode("utf-8", errors="ignore").encode("utf-8")) - (len(data) - multibyte)
    return ok / multibyte


# C0 control characters other than the white space ones (\t \n \v \f \r).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    control = len(_CONTROL.findall(sample))
    return control > max(8, len(sample) // 10)


# -- discovery -------------------------------------------------------------

@dataclass(frozen=True)
class ReadOptions:
    """How inputs become articles beyond the bytes: ids, record fields, files to leave alone."""

    fields: object = None          # sources.fields.Fields for record files (None: the default names)
    id_from: str = "stem"          # doc_id of a plain file: its "stem", or its "path" under the input root
    exclude: frozenset = frozenset()  # real paths never read as input (the output being written)

    def __post_init__(self):
        if self.id_from not in ID_FROM:
            raise ValueError(f"id_from must be one of {', '.join(ID_FROM)}, not {self.id_from!r}")


def discover(inputs: list[str], html: bool = True, fmt: str | None = None,
             max_bytes: int = DEFAULT_MAX_BYTES, options: ReadOptions = ReadOptions()) -> Iterator[Input]:
    """Yield an Input per article, in the order given; directories walked sorted, recursively.

    '-' is standard input. `fmt` (one of FORMATS) sets the format of stdin
    and of files named on the command line; files found in a directory walk
    are judged by their suffix. A record file yields one Input per row.
    Hidden files and directories (".name") are skipped in walks. Symlink
    loops and unreadable directories are reported as error inputs rather
    than crashing the walk.
    """
    for found in _files(inputs, html):
        if isinstance(found, Input):
            yield found
        elif found.path is None:
            yield from _stdin_inputs(fmt or "text", max_bytes, options)
        elif found.named or not _excluded(found.path, options):  # OUT named as an input is refused later (batch)
            yield from _file_inputs(found, fmt if found.named else None, max_bytes, options)


def count_inputs(inputs: list[str], fmt: str | None = None) -> int | None:
    """How many articles `discover` will yield, when that is cheap to know (for the progress bar).

    Plain files count one each and Parquet files say how many rows they have;
    None as soon as a record file would have to be read through to count them.
    """
    total = 0
    for found in _files([i for i in inputs if i != "-"]):
        container = None if isinstance(found, Input) else _container(found, fmt if found.named else None)
        if container == "parquet":
            total += _parquet_rows(found.path)
        elif container is not None:
            return None
        else:
            total += 1
    return total


@dataclass(frozen=True)
class _Found:
    """A file to read, before it is opened; path None is stdin."""

    path: Path | None
    named_as: str = ""         # a file named on the command line: the name as given, normalized
    named: bool = False        # named on the command line, not found in a walk
    root: Path | None = None   # found in a walk of this input folder

    @property
    def id_path(self) -> str:
        """Its path under the input root (the doc_id with --id-from path), worked out only when asked."""
        return os.path.relpath(self.path, self.root) if self.root is not None else self.named_as


def _files(inputs: list[str], html: bool = True) -> Iterator["_Found | Input"]:
    from .sources import SUFFIXES

    suffixes = TEXT_SUFFIXES + (HTML_SUFFIXES if html else ()) + tuple(SUFFIXES)
    for item in inputs:
        if item == "-":
            yield _Found(None)
            continue
        path = Path(item)
        if path.is_dir():
            yield from _walk(path, suffixes)
        else:
            yield _Found(path, named_as=os.path.normpath(item), named=True)


def _excluded(path: Path, options: ReadOptions) -> bool:
    # realpath only for a name that could be the output file: a million stats saved
    return any(os.path.basename(p) == path.name for p in options.exclude) and os.path.realpath(path) in options.exclude


def _container(found: _Found, fmt: str | None) -> str | None:
    """The record format of a file (--format, else its suffix); None for a one-article file."""
    from .sources import container_of

    if fmt is not None:
        return None if fmt in ARTICLE_FORMATS else fmt
    return container_of(found.path.name)


def _parquet_rows(path: Path) -> int:
    try:
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    except Exception:  # unreadable or pyarrow missing: it will be one error record
        return 1


def _stdin_inputs(fmt: str, max_bytes: int, options: ReadOptions) -> Iterator[Input]:
    if fmt not in ARTICLE_FORMATS:
        from .sources import RecordFile

        yield from _record_inputs(RecordFile(path=None, fs_path=None, id_base="stdin", container=fmt), max_bytes, options)
        return
    # Read at most one byte over the limit: a runaway pipe must not fill memory.
    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        yield Input(doc_id="stdin", path=None, format=fmt,
                    error=ReadError("too_large", f"stdin: over the limit of {max_bytes} bytes (--max-bytes)"))
        return
    yield Input(doc_id="stdin", path=None, format=fmt, data=data)


def _display(path: str) -> str:
    """The path as valid Unicode: undecodable bytes in a file name become U+FFFD.

    Names are bytes on POSIX; Python smuggles undecodable ones through as lone
    surrogates, which cannot be written as UTF-8 JSON and would stop the batch
    at write time.
    """
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", errors="replace")


def _file_inputs(found: _Found, fmt: str | None, max_bytes: int, options: ReadOptions) -> Iterator[Input]:
    """The input(s) of one file: itself, or each row of a record file."""
    from .sources import RecordFile, id_base

    path = found.path
    raw = str(path)
    shown = _display(raw)
    by_path = options.id_from == "path"
    container = _container(found, fmt)
    if container is not None:
        base = Path(found.id_path).as_posix() if by_path else id_base(path.name)
        yield from _record_inputs(RecordFile(path=shown, fs_path=raw, id_base=_display(base), container=container),
                                  max_bytes, options)
        return
    if fmt is None:
        fmt = "html" if path.suffix.lower() in HTML_SUFFIXES else "text"
    doc_id = Path(found.id_path).as_posix() if by_path else path.stem
    yield Input(doc_id=_display(doc_id), path=shown, format=fmt, fs_path=raw if shown != raw else None,
                named=found.named)


def _record_inputs(file, max_bytes: int, options: ReadOptions) -> Iterator[Input]:
    from .sources import record_inputs
    from .sources.fields import Fields

    yield from record_inputs(file, options.fields or Fields(), max_bytes)


def _walk(root: Path, suffixes: tuple[str, ...]) -> Iterator["_Found | Input"]:
    seen_dirs: set[tuple[int, int]] = set()

    def walk(directory: Path) -> Iterator["_Found | Input"]:
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
            yield Input(doc_id=_display(directory.name), path=_display(str(directory)),
                        error=ReadError("unreadable", f"{_display(str(directory))}: cannot list directory: "
                                                      f"{exc.strerror or exc}"))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue  # .git, .DS_Store, macOS "._name.txt" resource forks
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                yield from walk(Path(entry.path))
            elif entry.name.lower().endswith(suffixes):
                yield _Found(Path(entry.path), root=root)

    yield from walk(root)
