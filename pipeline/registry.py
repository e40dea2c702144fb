"""The fact types, as patterns/manifest.json lists them: the one list every part of the program reads.

The record builder, the run order of the extractors, the CLI summary, the
review pages, `evaluate`, the exports and stats, the store and the published
JSON Schema all take the fact types from here; nothing else names the list.
Each entry says what a fact type is (its record field, the field holding a
fact's normalized value, the JSON Schema of one fact), who finds it (its
extractor and the fact types it reads), and how it is shown and scored.

Run order: an extractor may read the facts of the fact types it `requires`
(article.facts) and no others, so those run before it; otherwise the
manifest's order decides. A cycle, or a requirement that is no fact type, is
an error when the manifest is read.
"""
from __future__ import annotations

import importlib
import logging
import multiprocessing
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .build_cache import load_or_build
from .patterns import PatternError, languages, patterns_dir, read_json

STAGES = ("clean", "extract")   # clean: found while the article is cleaned (bylines); extract: by an extractor

log = logging.getLogger("newsfacts")


@dataclass(frozen=True)
class FactType:
    field: str                   # the record field: "codes"
    label: str                   # one fact, for people and file names: "code"
    value: str                   # the field of each fact that holds its normalized value
    stage: str                   # "extract" or "clean" (see STAGES)
    extractor: str | None        # "module:Class" (stage extract)
    requires: tuple[str, ...]    # fact types whose facts the extractor reads
    language_files: tuple[str, ...]   # the files of a language folder it reads
    description: str
    colour: str                  # highlight on the review pages
    evaluate: str                # how evaluate compares values (pipeline/evaluate.py COMPARISONS)
    fact: dict                   # JSON Schema of one fact: {"required": [...], "properties": {...}}
    store: dict | None = None    # its tables in the store (pipeline/store/records.py), if it is stored


def fact_types() -> tuple[FactType, ...]:
    """Every fact type, in the manifest's order (the order records, tables and reports list them)."""
    return _load(patterns_dir())[0]


def fact_type(field: str) -> FactType:
    for fact_type_ in fact_types():
        if fact_type_.field == field:
            return fact_type_
    raise KeyError(f"no fact type {field!r} in patterns/manifest.json")


def fields() -> tuple[str, ...]:
    return tuple(t.field for t in fact_types())


def extracted_fields() -> tuple[str, ...]:
    """The fields filled by extractors (stage extract), in the manifest's order."""
    return tuple(t.field for t in fact_types() if t.stage == "extract")


def run_order() -> tuple[FactType, ...]:
    """The fact types with an extractor, each after the ones it requires."""
    return _load(patterns_dir())[1]


class Step:
    """One extractor as the pipeline runs it: its fact type's field and value key, find, and merge."""

    def __init__(self, fact_type_: FactType, extractor):
        self.fact_type = fact_type_
        self.entity = fact_type_.field          # the record field it fills
        self.key_field = fact_type_.value       # the field of a fact that holds its value
        self.extractor = extractor
        self.find = extractor.find
        self.merge = getattr(extractor, "merge", None)


def load_extractors(entities=None) -> list[Step]:
    """The extractors of these fact types (default: all), built, in run order."""
    wanted = None if entities is None else set(entities)
    unknown = (wanted or set()) - set(fields())
    if unknown:
        raise PatternError(f"no fact type {sorted(unknown)} in patterns/manifest.json")
    return [Step(t, build(t)) for t in run_order() if wanted is None or t.field in wanted]


def build(fact_type_: FactType):
    """A new instance of the fact type's extractor class (module:Class), or the same as built by an
    earlier run and kept on disk (pipeline/build_cache.py)."""
    module_name, _, class_name = fact_type_.extractor.partition(":")
    try:
        extractor_class = getattr(importlib.import_module(module_name), class_name)
        return load_or_build(fact_type_.field, module_name, extractor_class)
    except (ImportError, AttributeError) as exc:
        raise PatternError(f"manifest.json {fact_type_.field}: cannot load extractor "
                           f"{fact_type_.extractor!r}: {exc}") from None


def language_gaps() -> list[str]:
    """One line per (fact type, language folder) pair where the folder lacks a file the fact type reads."""
    root = patterns_dir()
    gaps = []
    for language in languages():
        for fact_type_ in fact_types():
            missing = [name for name in fact_type_.language_files if not (root / language.code / name).is_file()]
            if missing:
                gaps.append(f"patterns/{language.code}/ has no {' or '.join(missing)}: {fact_type_.field} in "
                            f"{language.name} ({language.code}) articles are found without {language.code}'s own words")
    return gaps


_BUILDING_FOR_WORKERS = False   # set by the forkserver's preload: its pipeline is the workers'


def building_for_workers() -> None:
    """Pipelines built in this process are the workers': their language gaps are the parent's to report."""
    global _BUILDING_FOR_WORKERS
    _BUILDING_FOR_WORKERS = True


def warn_language_gaps() -> None:
    """Log the language gaps, once per run: in the main process only (workers build pipelines too)."""
    if multiprocessing.parent_process() is None and not _BUILDING_FOR_WORKERS:
        _warn_once(patterns_dir())


@lru_cache(maxsize=None)
def _warn_once(root: Path) -> None:
    for gap in language_gaps():
        log.warning("newsfacts: %s", gap)


# ---------------------------------------------------------------- reading the manifest

@lru_cache(maxsize=None)
def _load(root: Path) -> tuple[tuple[FactType, ...], tuple[FactType, ...]]:
    entries = read_json("manifest.json")["fact_types"]
    types = tuple(_fact_type(entry, n) for n, entry in enumerate(entries))
    names = [t.field for t in types]
    duplicate = {n for n in names if names.count(n) > 1}
    if duplicate:
        raise PatternError(f"manifest.json: fact type {sorted(duplicate)} listed twice")
    for t in types:
        for required in t.requires:
            if required not in names:
                raise PatternError(f"manifest.json {t.field}: requires {required!r}, which is no fact type")
    return types, _ordered([t for t in types if t.stage == "extract"], types)


def _fact_type(entry: dict, n: int) -> FactType:
    where = f"manifest.json fact_types[{n}] ({entry.get('field')})"
    strings = ("field", "label", "value", "stage", "description", "colour", "evaluate")
    if not all(isinstance(entry[key], str) and entry[key] for key in strings):
        raise PatternError(f"{where}: {', '.join(strings)} are non-empty strings")
    if entry["stage"] not in STAGES:
        raise PatternError(f"{where}: stage is one of {', '.join(STAGES)}")
    if (entry["stage"] == "extract") != bool(entry.get("extractor")):
        raise PatternError(f"{where}: a fact type of stage extract names its extractor (module:Class), "
                           "and only those")
    if entry.get("extractor") and ":" not in entry["extractor"]:
        raise PatternError(f"{where}: extractor is module:Class, got {entry['extractor']!r}")
    fact = entry["fact"]
    if not isinstance(fact["properties"], dict) or entry["value"] not in fact["properties"] \
            or entry["value"] not in fact["required"]:
        raise PatternError(f"{where}: fact.properties and fact.required must hold the value field "
                           f"{entry['value']!r}")
    if "mentions" in fact["properties"]:
        raise PatternError(f"{where}: fact.properties: mentions are added to every fact, leave them out")
    return FactType(
        field=entry["field"], label=entry["label"], value=entry["value"], stage=entry["stage"],
        extractor=entry.get("extractor"), requires=tuple(entry.get("requires", ())),
        language_files=tuple(entry.get("language_files", ())), description=entry["description"],
        colour=entry["colour"], evaluate=entry["evaluate"], fact=fact, store=entry.get("store"))


def _ordered(extracted: list[FactType], every: tuple[FactType, ...]) -> tuple[FactType, ...]:
    """Each fact type after those it requires; among those ready, the manifest's order."""
    done = {t.field for t in every if t.stage != "extract"}   # found before any extractor runs
    order: list[FactType] = []
    waiting = list(extracted)
    while waiting:
        ready = next((t for t in waiting if set(t.requires) <= done), None)
        if ready is None:
            cycle = ", ".join(f"{t.field} requires {'/'.join(t.requires)}" for t in waiting)
            raise PatternError(f"manifest.json: the requirements go round in a circle ({cycle})")
        order.append(ready)
        done.add(ready.field)
        waiting.remove(ready)
    return tuple(order)
