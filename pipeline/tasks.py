"""What travels between the parent and the workers: Settings, Task, Outcome, and run_batch.

The parent (pipeline/batch.py) makes Tasks; an engine (pipeline/engines/) hands
them to a worker, which runs them with run_batch and sends Outcomes back. Both
sides import this module, and it imports neither, so batch and the engines do
not import each other.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, NamedTuple

from .read import DEFAULT_MAX_BYTES, Input, ReadError
from .record import dumps_utf8
from .registry import fields as fact_fields


@dataclass(frozen=True)
class Settings:
    """Everything a worker needs to build its Pipeline (once) and run inputs."""

    include_text: bool = True
    max_bytes: int = DEFAULT_MAX_BYTES
    entities: tuple[str, ...] | None = None   # None: every registered extractor
    article_timeout: float | None = None      # seconds per article (None: NEWSFACTS_ARTICLE_BUDGET or 10 s)
    input_format: str | None = None           # "text"/"html" for stdin and named files; None: by suffix


class Task(NamedTuple):
    """One input, as sent to a worker (picklable: ReadError is sent as kind + message)."""

    doc_id: str
    path: str | None
    format: str
    data: bytes | None
    error_kind: str | None = None
    error_message: str | None = None
    fs_path: str | None = None   # the name to open when the shown path had undecodable bytes
    named: bool = False          # named on the command line: may be a pipe (read.Input.named)
    row: int | None = None       # a record file's row: its number and metadata (read.Input.row, .meta)
    meta: dict | None = None

    @classmethod
    def of(cls, item: Input) -> "Task":
        err = item.error
        return cls(item.doc_id, item.path, item.format, item.data,
                   err.kind if err else None, err.message if err else None, item.fs_path, item.named,
                   item.row, item.meta)

    def to_input(self) -> Input:
        error = ReadError(self.error_kind, self.error_message) if self.error_kind else None
        return Input(doc_id=self.doc_id, path=self.path, format=self.format, data=self.data, error=error,
                     fs_path=self.fs_path, named=self.named, row=self.row, meta=self.meta)


class Outcome(NamedTuple):
    """One finished record: its JSON line (UTF-8) and a tally for the summary."""

    line: bytes
    tally: dict


def tally(record: dict) -> dict:
    """A stand-in for the record that cli.Summary.add can count.

    Lists are replaced by range(len): same len(), nothing to pickle back.
    """
    out: dict = {"warnings": record.get("warnings", [])}
    if "error" in record:
        out["error"] = record["error"]
    for name in fact_fields():   # the fact types of patterns/manifest.json
        if name in record:
            out[name] = range(len(record[name]))
    return out


def ready(record: dict) -> Outcome:
    return Outcome(dumps_utf8(record), tally(record))


def run_batch(pipeline, entries: list, max_bytes: int = DEFAULT_MAX_BYTES,
              begin: Callable[[int], None] | None = None) -> list[Outcome]:
    """Worker side: Tasks are extracted (stage by stage, Pipeline.run_inputs), Outcomes made by the parent pass through.

    begin(i), if given, is called whenever work on entries[i] begins or resumes (the local
    engine watches it to spot a stuck article).
    """
    tasks = [i for i, entry in enumerate(entries) if not isinstance(entry, Outcome)]
    if begin is not None:
        def begin_task(n: int) -> None:
            begin(tasks[n])
    else:
        begin_task = None
    records = pipeline.run_inputs([entries[i].to_input() for i in tasks], max_bytes, begin=begin_task)
    out = list(entries)
    for i, record in zip(tasks, records):
        out[i] = ready(record)
    return out
