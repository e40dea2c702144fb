"""WARC web archives (warcio, the `[warc]` extra): every HTML page captured is an article.

Articles are the `response` records of a successful HTTP capture (status
2xx) and the `resource` records, whose content type is HTML (or XHTML), or
plain text. Everything else a crawl holds -- requests, redirects, images,
scripts, `warcinfo`, `revisit` and `metadata` records -- is skipped. The
page goes through the HTML path (trafilatura), with the charset of the HTTP
header as a hint.

Rows count every record in the file, so row N is the N-th record; the
record's byte offset goes into `source.offset` (what CDX indexes use). A
damaged record gives a `bad_row` error; reading goes on at the next record
found after it (a gzip member or a `WARC/1.x` line that parses), the damaged
stretch counting as one row.
WARC-Target-URI is the URL. WARC-Date is when the page was captured, not
when it was published, so it is not a publication date; the page's own
metadata gives that. --id-field, --url-field and --published-field name
WARC headers (e.g. `--id-field WARC-Record-ID`).
"""
from __future__ import annotations

import zlib
from typing import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from . import BadFile, Row, RecordFile, one_line, open_stream
from .fields import Fields

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/plain",)
URL_HEADER = "WARC-Target-URI"
# Finding the next record after a damaged one: a gzip member, or a version line after a newline.
_GZIP_MAGIC = b"\x1f\x8b"
_GZIP_MEMBER = b"\x1f\x8b\x08"
_WARC_LINE = b"\nWARC/1."
_SCAN_BLOCK = 1 << 20
_PROBE = 4096


def rows(file: RecordFile, fields: Fields, max_bytes: int) -> Iterator[Row]:
    number, start = 0, 0
    while True:
        # warcio unzips each gzip member itself: offsets are then those of the file on disk.
        with open_stream(file, unzip=False) as stream:
            if start:
                stream.seek(start)
            records = ArchiveIterator(stream)
            reading = False  # between parsing a record's headers and handing its Row over
            try:
                for record in records:
                    number += 1
                    reading = True
                    kind = _article_kind(record)
                    if kind is not None:
                        content = record.content_stream().read(max_bytes + 1)
                        offset = records.get_record_offset()
                        headers = dict(record.rec_headers.headers)
                        yield Row(number, values=headers, content=content, content_format=kind,
                                  charset=_charset(_content_type(record)), offset=offset)
                    reading = False
                return
            except (ArchiveLoadFailed, zlib.error, EOFError, ValueError) as exc:
                damaged, reason = records.offset, one_line(exc)
        if not reading:
            number += 1  # the damaged record had not been counted yet
        if file.fs_path is None:
            raise BadFile(f"a damaged WARC record at byte {damaged}: {reason}")
        start = _next_record(file.fs_path, damaged + 1)
        after = "skipped to the next record" if start is not None else "no readable record after it"
        yield Row(number, error=("bad_row", f"a damaged WARC record at byte {damaged}: {reason}; {after}"),
                  offset=damaged)
        if start is None:
            return


def _next_record(path: str, since: int) -> int | None:
    """The offset of the first WARC record that starts after `since` (a gzip member or a WARC/1.x line)."""
    with open(path, "rb") as fh:
        gzipped = fh.read(2) == _GZIP_MAGIC
        fh.seek(since)
        position = since
        tail = b""
        while True:
            block = fh.read(_SCAN_BLOCK)
            if not block:
                return None
            window = tail + block
            base = position - len(tail)
            at = 0
            while True:
                at = window.find(_GZIP_MEMBER if gzipped else _WARC_LINE, at)
                if at < 0:
                    break
                candidate = base + at + (0 if gzipped else 1)
                if _starts_a_record(fh, candidate, gzipped):
                    return candidate
                at += 1
            position += len(block)
            tail = window[-16:]
            fh.seek(position)


def _starts_a_record(fh, offset: int, gzipped: bool) -> bool:
    fh.seek(offset)
    head = fh.read(_PROBE)
    if gzipped:
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, 16)
        except zlib.error:
            return False
    return head.startswith((b"WARC/1.0\r\n", b"WARC/1.1\r\n"))


def _article_kind(record) -> str | None:
    if record.rec_type == "response":
        if record.http_headers is None:
            return None  # a response that is not HTTP (dns:, ftp:)
        status = record.http_headers.get_statuscode() or ""
        if not status.startswith("2"):
            return None
    elif record.rec_type != "resource":
        return None
    mime = (_content_type(record) or "").split(";")[0].strip().lower()
    if mime in _HTML_TYPES:
        return "html"
    if mime in _TEXT_TYPES:
        return "text"
    return None


def _content_type(record) -> str | None:
    if record.http_headers is not None:
        return record.http_headers.get_header("Content-Type")
    return record.rec_headers.get_header("Content-Type")


def _charset(content_type: str | None) -> str | None:
    for part in (content_type or "").split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'")
    return None
