"""Parquet (pyarrow, the `[parquet]` extra): one article per row.

Only the columns some field name matches are read, a few rows at a time;
with buffered column reads (`buffer_size`, no pre-buffering) memory stays
flat even when the writer put the whole file in one row group. Timestamp and
date columns give the publication date directly.
"""
from __future__ import annotations

from typing import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from . import BadFile, Row, RecordFile
from .fields import Fields, lookup

_ROWS_PER_READ = 64
_READ_BUFFER = 1 << 20


def rows(file: RecordFile, fields: Fields, max_bytes: int) -> Iterator[Row]:
    if file.fs_path is None:
        raise BadFile("Parquet cannot be read from stdin (its index is at the end of the file): give its path")
    try:
        parquet = pq.ParquetFile(file.fs_path, buffer_size=_READ_BUFFER, pre_buffer=False)
    except (pa.ArrowException, OSError) as exc:
        raise BadFile(f"not a readable Parquet file: {exc}") from None
    with parquet:
        names = parquet.schema_arrow.names
        columns = {name: name for name in names}
        if lookup(columns, fields.text)[0] is None and lookup(columns, fields.html)[0] is None:
            raise BadFile(f"no article text column: none of {fields.content_names()} among the columns "
                          f"({', '.join(names)}); name it with --text-field or --html-field")
        number = 0
        try:
            for batch in parquet.iter_batches(batch_size=_ROWS_PER_READ, columns=fields.columns(names)):
                for values in batch.to_pylist():
                    number += 1
                    yield Row(number, values=values)
        except (pa.ArrowException, OSError) as exc:
            raise BadFile(f"the file is damaged: {exc}") from None
