"""Record files: many articles in one file, one article per row.

    JSON Lines   .jsonl .ndjson (and .gz)   one JSON object per line        sources/jsonl.py
    CSV, TSV     .csv .tsv (and .gz)        a header line, one row per line  sources/table.py
    Parquet      .parquet                   one row per article              sources/parquet.py
    WARC         .warc .warc.gz             HTML (or text) responses         sources/warc.py

Each format module only turns its file into `Row`s -- a mapping of field ->
value, or a reason the row cannot be read -- streaming, so memory does not
grow with the file. `record_inputs` then makes every row an `Input`, the
same unit a plain .txt file becomes: doc_id, the article's bytes, and the
row's metadata (URL, publication date, title). From there on a row is
batched, resumed, sent to a worker and extracted like any file.

Rows are numbered from 1 in file order (JSON Lines: the line number; CSV:
the data row, header not counted; Parquet: the row; WARC: the record, every
record type counted). A row that cannot be read becomes an error record
naming its number and the next row goes on; a file that cannot be read on
(a cut gzip stream, a corrupt WARC) ends with one error record saying where.
"""
from __future__ import annotations

import gzip
import io
import re
import sys
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator, Mapping

from ..read import Input, ReadError
from .fields import Fields, identifier, lookup, publication_date

# Suffix -> container format (matched at the end of the name, any case).
SUFFIXES = {
    ".jsonl": "jsonl", ".jsonl.gz": "jsonl", ".ndjson": "jsonl", ".ndjson.gz": "jsonl",
    ".csv": "csv", ".csv.gz": "csv", ".tsv": "tsv", ".tsv.gz": "tsv",
    ".parquet": "parquet",
    ".warc": "warc", ".warc.gz": "warc",
}
INSTALL_HINTS = {"parquet": "reading Parquet needs pyarrow: pip install 'newsfacts[parquet]'",
                 "warc": "reading WARC needs warcio: pip install 'newsfacts[warc]'"}
_SURROGATE = re.compile("[\ud800-\udfff]")


def container_of(name: str) -> str | None:
    """The record format a file name says, or None for a plain article file."""
    lowered = name.lower()
    for suffix, container in SUFFIXES.items():
        if lowered.endswith(suffix):
            return container
    return None


def id_base(name: str) -> str:
    """The name without its record suffix: `crawl.warc.gz` -> `crawl` (the FILE of FILE:ROW ids)."""
    lowered = name.lower()
    for suffix in sorted(SUFFIXES, key=len, reverse=True):
        if lowered.endswith(suffix):
            return name[:-len(suffix)]
    return name


@dataclass(frozen=True)
class RecordFile:
    """A record file to read: where it is and what its rows' FILE:ROW ids start with."""

    path: str | None        # as shown in records; None for stdin
    fs_path: str | None     # the name to open; None for stdin
    id_base: str            # "articles", "sub/articles.jsonl" (--id-from path) or "stdin"
    container: str          # one of read.RECORD_FORMATS


@dataclass
class Row:
    """One row as a format module read it."""

    number: int
    values: Mapping | None = None           # field -> value
    error: tuple[str, str] | None = None    # (kind, message): this row cannot be read
    content: Any = None                      # WARC: the payload, already chosen (no field lookup)
    content_format: str = "text"
    charset: str | None = None               # the charset the container declared (WARC's HTTP header)
    offset: int | None = None                # byte offset of the row in the file (WARC)
    warnings: list[str] = field(default_factory=list)


class BadFile(Exception):
    """The file cannot be read from here on (a format module raises it; the rows before are kept)."""

    def __init__(self, message: str, kind: str = "bad_file"):
        super().__init__(message)
        self.kind = kind
        self.message = message


def record_inputs(file: RecordFile, fields: Fields, max_bytes: int) -> Iterator[Input]:
    """Every row of `file` as an Input, in order; streamed."""
    reader = _reader(file.container)
    last = 0
    try:
        if reader is None:
            raise BadFile(INSTALL_HINTS[file.container], kind="dependency")
        if file.container == "warc":  # a WARC row is the record's headers: other default names
            from .warc import URL_HEADER

            fields = fields.for_headers(url=(URL_HEADER,))
        for row in reader(file, fields, max_bytes):
            last = row.number
            yield row_input(row, file, fields, max_bytes)
    except BadFile as exc:
        yield _file_error(file, exc.kind, exc.message, last)
    except (OSError, EOFError, zlib.error) as exc:  # a cut or corrupt gzip stream, a read error
        yield _file_error(file, "bad_file", f"cannot read on: {getattr(exc, 'strerror', None) or one_line(exc)}",
                          last)


def one_line(exc: BaseException) -> str:
    """An exception as a short reason: the first line of its message (libraries add record dumps)."""
    lines = [" ".join(line.split()) for line in str(exc).splitlines()]
    return next((line for line in lines if line), type(exc).__name__)


def _file_error(file: RecordFile, kind: str, message: str, last: int) -> Input:
    where = file.path or "stdin"
    if last:
        message = f"{where}: after row {last}: {message}; the rows before it were read"
        doc_id, row = f"{file.id_base}:{last + 1}", last + 1
    else:
        message = f"{where}: {message}"
        doc_id, row = file.id_base, None
    return Input(doc_id=doc_id, path=file.path, format="text", row=row,
                 meta={"container": file.container}, error=ReadError(kind, message))


def _reader(container: str):
    """The format module's `rows(file, fields, max_bytes)`; None if its library is not installed."""
    if container == "jsonl":
        from .jsonl import rows
    elif container in ("csv", "tsv"):
        from .table import rows
    elif container == "parquet":
        try:
            from .parquet import rows
        except ImportError:
            return None
    else:
        try:
            from .warc import rows
        except ImportError:
            return None
    return rows


def row_input(row: Row, file: RecordFile, fields: Fields, max_bytes: int) -> Input:
    """A Row -> the Input a worker extracts (or an error Input saying what is wrong with the row)."""
    values = row.values or {}
    warnings = list(row.warnings)
    doc_id = identifier(lookup(values, fields.id)[1]) if values else None
    if doc_id is None:
        doc_id = f"{file.id_base}:{row.number}"
        if "id" in fields.given and row.error is None:
            warnings.append(f"no {fields.id[0]!r} field: doc_id is {doc_id}")
    meta: dict = {"container": file.container}
    if row.offset is not None:
        meta["offset"] = row.offset

    def error(kind: str, message: str) -> Input:
        where = f"{file.path or 'stdin'}, row {row.number}"
        return Input(doc_id=doc_id, path=file.path, format=row.content_format, row=row.number, meta=meta,
                     error=ReadError(kind, f"{where}: {message}"))

    if row.error is not None:
        return error(*row.error)
    content, fmt = row.content, row.content_format
    if content is None:
        fmt = "text"
        name, content = lookup(values, fields.text)
        if content is None:
            fmt = "html"
            name, content = lookup(values, fields.html)
        if content is None:
            null = [name for name in fields.text + fields.html if name in values]  # there, but null
            if null:
                return error("empty", f"no article text: field {null[0]!r} is null")
            has = ", ".join(map(str, values)) or "none"
            return error("bad_row", f"no article text: none of the fields {fields.content_names()} "
                                    f"(the row has: {has}); name it with --text-field or --html-field")
        if not isinstance(content, (str, bytes)):
            return error("bad_row", f"field {name!r} holds {type(content).__name__}, not text")
    if isinstance(content, str):
        data, replaced = _utf8(content)
        if replaced:
            warnings.append("lone surrogate code points in the text were replaced by U+FFFD")
    else:
        data = content
    if not data or data.isspace():
        return error("empty", "the article text is empty")
    if len(data) > max_bytes:
        return error("too_large", f"{len(data)} bytes is over the limit of {max_bytes} bytes (raise it with --max-bytes)")
    if values:
        _add_metadata(meta, values, fields, warnings)
    if row.charset:
        meta["charset"] = row.charset
    if warnings:
        meta["warnings"] = warnings
    return Input(doc_id=doc_id, path=file.path, format=fmt, data=data, row=row.number, meta=meta)


def _add_metadata(meta: dict, values: Mapping, fields: Fields, warnings: list[str]) -> None:
    published, given, warning = publication_date(lookup(values, fields.published)[1])
    if given is not None:
        meta["date_given"] = given
    if published is not None:
        meta["published"] = published
    if warning:
        warnings.append(warning)
    for key, names in (("url", fields.url), ("title", fields.title)):
        value = lookup(values, names)[1]
        if isinstance(value, str) and value.strip():
            meta[key] = " ".join(value.split())


def _utf8(text: str) -> tuple[bytes, bool]:
    try:
        return text.encode("utf-8"), False
    except UnicodeEncodeError:  # "\ud800" in a JSON string parses to a lone surrogate
        return _SURROGATE.sub("\ufffd", text).encode("utf-8"), True


@contextmanager
def open_stream(file: RecordFile, unzip: bool = True) -> Iterator[io.BufferedIOBase]:
    """The file's bytes, gunzipped when they are gzip (whatever the name says); stdin for path None."""
    if file.fs_path is None:
        raw = sys.stdin.buffer
        close = False
    else:
        raw = open(file.fs_path, "rb")
        close = True
    try:
        if not isinstance(raw, io.BufferedReader):
            raw = io.BufferedReader(raw)
        if unzip and raw.peek(2)[:2] == b"\x1f\x8b":
            with gzip.GzipFile(fileobj=raw, mode="rb") as unzipped:
                yield io.BufferedReader(unzipped)
        else:
            yield raw
    finally:
        if close:
            raw.close()
