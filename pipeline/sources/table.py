"""CSV and TSV: a header line naming the fields, then one article per row.

The row number counts data rows from 1 (the header is not a row); error
messages also give the line, since a quoted field may span several. The
file must be UTF-8 (a BOM is fine); bytes that are not become U+FFFD with a
warning on the row. TSV is the tab-separated variant with the same quoting
(what spreadsheet programs and pandas write).
"""
from __future__ import annotations

import csv
import io
import re
from typing import Iterator

from . import BadFile, Row, RecordFile, open_stream
from .fields import Fields, lookup

_SURROGATE = re.compile("[\udc80-\udcff]")  # undecodable bytes, as surrogateescape passes them
# A field may be this many times --max-bytes before the csv module gives up on
# it: an article just over the limit gets a clean `too_large` error, and only
# a runaway quoted field (a quote never closed) stops the reader.
_FIELD_ROOM = 4


def rows(file: RecordFile, fields: Fields, max_bytes: int) -> Iterator[Row]:
    csv.field_size_limit(_FIELD_ROOM * max_bytes)  # (process-wide, but only readers use it)
    dialect = "excel-tab" if file.container == "tsv" else "excel"
    with open_stream(file) as stream:
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
        reader = csv.reader(text, dialect)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise BadFile(f"cannot read the header line: {exc}") from None
        if header is None:
            return
        _check_header(header, fields)
        number = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                number += 1
                yield Row(number, error=("bad_row", f"{exc} (line {reader.line_num})"))
                continue
            number += 1
            if not cells:
                continue  # a blank line
            yield _row(number, header, cells, reader.line_num)


def _check_header(header: list[str], fields: Fields) -> None:
    columns = {name: name for name in header}
    if lookup(columns, fields.text)[0] is None and lookup(columns, fields.html)[0] is None:
        raise BadFile(f"no article text column: none of {fields.content_names()} in the header "
                      f"({', '.join(header)}); name it with --text-field or --html-field")


def _row(number: int, header: list[str], cells: list[str], line: int) -> Row:
    warnings = []
    if len(cells) > len(header):
        warnings.append(f"row {number} (line {line}) has {len(cells)} fields, the header {len(header)}: "
                        "the extra ones were ignored")
    if any(_SURROGATE.search(cell) for cell in cells):
        cells = [_SURROGATE.sub("\ufffd", cell) for cell in cells]
        warnings.append("invalid UTF-8 byte sequences were replaced by U+FFFD")
    return Row(number, values=dict(zip(header, cells)), warnings=warnings)
