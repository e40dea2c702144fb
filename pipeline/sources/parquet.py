"""Parquet (pyarrow, the `[parquet]` extra): one article per row.

Only the columns some field name matches are read, a few rows at a time;
with buffered column reads (`buffer_size`, no pre-buffering) memory stays
flat even when the writer put the whole file in one row group. Timestamp and
date columns give the publication date directly. A damaged row group gives
one `bad_row` error for the rows it held, and reading goes on with the next.
"""
from __future__ import annotations

from typing import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from . import BadFile, Row, RecordFile, one_line
from .fields import Fields, lookup

_ROWS_PER_READ = 64
_READ_BUFFER = 1 << 20


def rows(file: RecordFile, fields: Fields, max_bytes: int) -> Iterator[Row]:
    if file.fs_path is None:
        raise BadFile("Parquet cannot be read from stdin (its index is at the end of the file): give its path")
    try:
        parquet = pq.ParquetFile(file.fs_path, buffer_size=_READ_BUFFER, pre_buffer=False)
    except (pa.ArrowException, OSError) as exc:
        raise BadFile(f"not a readable Parquet file: {one_line(exc)}") from None
    with parquet:
        names = parquet.schema_arrow.names
        columns = {name: name for name in names}
        if lookup(columns, fields.text)[0] is None and lookup(columns, fields.html)[0] is None:
            raise BadFile(f"no article text column: none of {fields.content_names()} among the columns "
                          f"({', '.join(names)}); name it with --text-field or --html-field")
        number = 0
        for group in range(parquet.num_row_groups):
            start, size = number, parquet.metadata.row_group(group).num_rows
            try:
                for batch in parquet.iter_batches(batch_size=_ROWS_PER_READ, row_groups=[group],
                                                  columns=fields.columns(names)):
                    for values in batch.to_pylist():
                        number += 1
                        yield Row(number, values=values)
            except (pa.ArrowException, OSError) as exc:
                # A damaged row group: one error for the rows it still owed, then the next group.
                first, last = number + 1, start + size
                yield Row(first, error=("bad_row", f"rows {first}-{last} (row group {group + 1} of "
                                                   f"{parquet.num_row_groups}) cannot be read: {one_line(exc)}"))
                number = last
