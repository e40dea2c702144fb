"""newsfacts export: records as flat tables, in CSV or Parquet, for pandas, R and DuckDB.

    newsfacts export outputs/records.jsonl --format parquet -o outputs/tables/

One file per table of pipeline/tables.py (articles, one per fact type, one per
fact type's mentions, warnings, errors), plus columns.csv, a data dictionary:
every table's columns with their type and meaning.

Streamed: records are read one line at a time and rows written in bounded
batches, so memory does not grow with the number of records. Every file is
written beside its final name and renamed into place when the whole export
has succeeded (pipeline/safefile.py): a failed export leaves the folder as it was.

CSV: UTF-8, a header line, RFC 4180 quoting; null is an empty field, booleans
are `true`/`false`, a list of strings (an official's posts) is joined with
" | ". Parquet keeps the types: int64, double, boolean, string, list<string>.
"""
from __future__ import annotations

import csv
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Iterable

from .safefile import replacing
from .tables import BOOLEAN, INTEGER, NUMBER, STRING, STRINGS, Layout, Problems, Table, record_rows

FORMATS = ("csv", "parquet")
LIST_SEPARATOR = " | "  # how CSV joins a list of strings
PARQUET_INSTALL_HINT = "Parquet needs pyarrow: pip install 'newsfacts[export]'"

# A Parquet row group is written when a table has buffered this many rows or characters.
ROW_GROUP_ROWS = 50_000
ROW_GROUP_CHARS = 32_000_000


class ExportError(Exception):
    """A problem the user must fix before exporting (the message says how)."""


def parquet_available() -> bool:
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


# ---------------------------------------------------------------- writers

class CsvTable:
    def __init__(self, table: Table, fh: IO[str]):
        self.writer = csv.writer(fh, lineterminator="\n")
        self.writer.writerow(table.names)
        self.rows = 0

    def add(self, rows: list[tuple]) -> None:
        self.writer.writerows([tuple(_csv_value(v) for v in row) for row in rows])
        self.rows += len(rows)

    def close(self) -> None:
        pass


def _csv_value(value):
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, list):
        return LIST_SEPARATOR.join(value)
    return value


class ParquetTable:
    def __init__(self, table: Table, fh: IO[bytes]):
        import pyarrow as pa
        import pyarrow.parquet as pq

        types = {STRING: pa.string(), INTEGER: pa.int64(), NUMBER: pa.float64(), BOOLEAN: pa.bool_(),
                 STRINGS: pa.list_(pa.string())}
        self.pa = pa
        self.schema = pa.schema([pa.field(c.name, types[c.kind]) for c in table.columns])
        self.writer = pq.ParquetWriter(fh, self.schema, compression="zstd")
        self.buffer: list[tuple] = []
        self.chars = 0
        self.rows = 0

    def add(self, rows: list[tuple]) -> None:
        self.buffer += rows
        self.rows += len(rows)
        self.chars += sum(len(v) for row in rows for v in row if type(v) is str)
        if len(self.buffer) >= ROW_GROUP_ROWS or self.chars >= ROW_GROUP_CHARS:
            self.flush()

    def flush(self) -> None:
        if self.buffer:
            columns = list(zip(*self.buffer))
            self.writer.write_table(self.pa.Table.from_arrays(
                [self.pa.array(col, type=f.type) for col, f in zip(columns, self.schema)], schema=self.schema))
        self.buffer, self.chars = [], 0

    def close(self) -> None:
        self.flush()
        self.writer.close()


# ---------------------------------------------------------------- export

@dataclass
class ExportSummary:
    records: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    problems: Problems = field(default_factory=Problems)


def export(paths: Iterable[str], out_dir: str | Path, fmt: str = "csv", with_text: bool = False) -> ExportSummary:
    """Write every table of the records in `paths` into `out_dir`, one file each."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if fmt == "parquet" and not parquet_available():
        raise ExportError(PARQUET_INSTALL_HINT)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out} is a file: -o names the folder the tables go into")
    layout = Layout(with_text=with_text)
    out.mkdir(parents=True, exist_ok=True)
    summary = ExportSummary()
    with ExitStack() as files:
        writers = {}
        for name, table in layout.tables.items():
            path = out / f"{name}.{fmt}"
            if fmt == "csv":
                fh = files.enter_context(replacing(path, "w", encoding="utf-8", newline=""))
                writers[name] = CsvTable(table, fh)
            else:
                writers[name] = ParquetTable(table, files.enter_context(replacing(path)))
            summary.files.append(path)
        for _, rows in record_rows(paths, layout, summary.problems):
            summary.records += 1
            for name, table_rows in rows.items():
                if table_rows:
                    writers[name].add(table_rows)
        for writer in writers.values():
            writer.close()
        _write_dictionary(files.enter_context(replacing(out / "columns.csv", "w", encoding="utf-8", newline="")),
                          layout, fmt)
        summary.files.append(out / "columns.csv")
        summary.rows = {name: writer.rows for name, writer in writers.items()}
    return summary


def _write_dictionary(fh: IO[str], layout: Layout, fmt: str) -> None:
    """columns.csv: table, column, type, description -- to read the CSV files with the right types."""
    names = {STRING: "string", INTEGER: "integer (64-bit)", NUMBER: "number (double)", BOOLEAN: "boolean",
             STRINGS: "list of strings" + (f" (joined with '{LIST_SEPARATOR.strip()}')" if fmt == "csv" else "")}
    writer = csv.writer(fh, lineterminator="\n")
    writer.writerow(["table", "column", "type", "description"])
    for table in layout.tables.values():
        for column in table.columns:
            writer.writerow([table.name, column.name, names[column.kind], column.description])
