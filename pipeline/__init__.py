"""newsfacts: clean, normalized facts from news about Vietnamese Party and State affairs.

Notebook use:

    from pipeline import extract_text, extract_files
    record = extract_text("Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị ...")
    for record in extract_files(["corpus/"]):
        ...

The CLI (`newsfacts` / `python -m pipeline`) is a thin layer over these.
"""
from __future__ import annotations

from typing import Iterable, Iterator

__version__ = "0.1.0"
__all__ = ["extract_text", "extract_files", "Pipeline", "__version__"]

_default = None


def _pipeline():
    global _default
    if _default is None:
        from .process import Pipeline

        _default = Pipeline()
    return _default


def __getattr__(name):
    if name == "Pipeline":
        from .process import Pipeline

        return Pipeline
    raise AttributeError(name)


def extract_text(text: str, doc_id: str = "text", metadata: dict | None = None) -> dict:
    """One article's text -> its record (a dict following `newsfacts schema`)."""
    return _pipeline().run_text(text, doc_id=doc_id, metadata=metadata)


def extract_files(paths: Iterable[str], id_from: str = "stem", **fields: str) -> Iterator[dict]:
    """Records for files and directories (walked recursively: *.txt, *.html and record files), in order.

    Record files (JSON Lines, CSV, Parquet, WARC) give a record per row; `fields` name
    their fields as the CLI's --text-field ... do: text=, html=, id=, url=, published=, title=.
    id_from="path" makes a plain file's doc_id its path under the directory given.
    """
    from .batch import records_in_order
    from .read import ReadOptions
    from .sources.fields import Fields

    options = ReadOptions(fields=Fields.from_options(**fields), id_from=id_from)
    yield from records_in_order(list(paths), pipeline=_pipeline(), options=options)
