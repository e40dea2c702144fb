"""Extractor registry: one extractor per fact type, looked up by name.

An extractor is built once per process (it compiles its patterns then) and
called once per article:

    class Extractor(Protocol):
        entity: str        # the record field it fills: "codes", "dates", ...
        key_field: str     # the field of each fact that holds its normalized value
        def find(self, article: Article) -> list[Hit]: ...
        def merge(self, old: dict, new: dict) -> dict: ...   # optional, see facts.first_wins

Extractors run in REGISTRY order, and each may read the facts of the ones
before it from `article.facts` (dates skip spans already taken by codes and
read codes and periods as evidence for a missing year; officials read
provinces to attach a post's province).
"""
from __future__ import annotations

import importlib

# entity -> "module:Class". Order matters (see above).
REGISTRY = {
    "provinces": "pipeline.extract.provinces:ProvincesExtractor",
    "codes": "pipeline.extract.codes:CodesExtractor",
    "periods": "pipeline.extract.periods:PeriodsExtractor",
    "dates": "pipeline.extract.dates:DatesExtractor",
    "officials": "pipeline.extract.officials:OfficialsExtractor",
}


def load_extractor(entity: str):
    module_name, _, class_name = REGISTRY[entity].partition(":")
    return getattr(importlib.import_module(module_name), class_name)()


def load_extractors(entities=None) -> list:
    return [load_extractor(e) for e in (entities or REGISTRY)]
