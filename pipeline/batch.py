"""Running many inputs: discovery, duplicate doc_ids, and records in input order.

This is the single-process engine; pipeline/engines/ builds the parallel and
Dask engines on the same pieces.
"""
from __future__ import annotations

from typing import Iterator

from .read import DEFAULT_MAX_BYTES, Input, discover
from .record import error_record


class DuplicateGuard:
    """Two inputs with the same doc_id: the second gets an error naming both paths."""

    def __init__(self):
        self.paths: dict[str, str] = {}

    def check(self, item: Input) -> dict | None:
        where = item.path or "stdin"
        first = self.paths.setdefault(item.doc_id, where)
        if first == where:
            return None
        return error_record(item.doc_id, {"path": item.path, "sha256": None, "format": item.format},
                            "duplicate_id", f"doc_id {item.doc_id!r} is used by both {first} and {where}; "
                            "rename one of the files")


def records_in_order(inputs: list[str], pipeline, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[dict]:
    guard = DuplicateGuard()
    for item in discover(inputs):
        yield guard.check(item) or pipeline.run_input(item, max_bytes)
