"""WARC web archives (warcio, the `[warc]` extra): every HTML page captured is an article.

Articles are the `response` records of a successful HTTP capture (status
2xx) and the `resource` records, whose content type is HTML (or XHTML), or
plain text. Everything else a crawl holds -- requests, redirects, images,
scripts, `warcinfo`, `revisit` and `metadata` records -- is skipped. The
page goes through the HTML path (trafilatura), with the charset of the HTTP
header as a hint.

Rows count every record in the file, so row N is the N-th record; the
record's byte offset goes into `source.offset` (what CDX indexes use).
WARC-Target-URI is the URL. WARC-Date is when the page was captured, not
when it was published, so it is not a publication date; the page's own
metadata gives that. --id-field, --url-field and --published-field name
WARC headers (e.g. `--id-field WARC-Record-ID`).
"""
from __future__ import annotations

from typing import Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from . import BadFile, Row, RecordFile, open_stream
from .fields import Fields

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_TEXT_TYPES = ("text/plain",)
URL_HEADER = "WARC-Target-URI"


def rows(file: RecordFile, fields: Fields, max_bytes: int) -> Iterator[Row]:
    # warcio unzips each gzip member itself: offsets are then those of the file on disk.
    with open_stream(file, unzip=False) as stream:
        records = ArchiveIterator(stream)
        number = 0
        try:
            for record in records:
                number += 1
                kind = _article_kind(record)
                if kind is None:
                    continue
                content = record.content_stream().read(max_bytes + 1)
                offset = records.get_record_offset()
                headers = dict(record.rec_headers.headers)
                yield Row(number, values=headers, content=content, content_format=kind,
                          charset=_charset(_content_type(record)), offset=offset)
        except ArchiveLoadFailed as exc:
            raise BadFile(f"not a valid WARC record: {_first_line(exc)}") from None


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


def _first_line(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
