"""The extractors, one per fact type. Which class extracts which fact type, and in what
order they run, is patterns/manifest.json (pipeline/registry.py); each is built once per
process (it compiles its patterns then) and called once per article:

    class Extractor(Protocol):                                # pipeline/facts.py
        def find(self, article: Article) -> list[Hit]: ...
        def merge(self, old: dict, new: dict) -> dict: ...   # optional, see facts.first_wins

An extractor may read the facts of the fact types its manifest entry `requires`
(article.facts[field]): dates skip spans taken by codes and read codes and
periods as evidence for a missing year; officials read provinces.
"""
from __future__ import annotations

from ..registry import load_extractors

__all__ = ["load_extractors"]
