"""Stage 6, write: the record contract (schema_version 1) and its JSON form.

`build_record` turns a finished Article into the dict that becomes one JSON
line; `error_record` is the line a failed input gets instead, so a batch
never silently drops an article. The fact types and their place in the
record come from patterns/manifest.json (pipeline/registry.py); the JSON
Schema is generated from it (pipeline/record_schema.py, `newsfacts schema`).
"""
from __future__ import annotations

import bisect
import json

import orjson
import regex

from .article import Article
from .patterns import with_language_words
from .registry import fact_types
from .text import alternation

SCHEMA_VERSION = 1

# A sentence ends at . ! ? ; or a line break, when what follows starts a new one --
# but not after a day number ("vom 29. November") or an abbreviation ("Nr. 5").
# (Starts only at the first mark of a run, so a run of 10,000 dots costs linear time.)
# The day-or-abbreviation test is a lookbehind at the end of the match: it can only
# hold for a lone dot (before the last dot of a longer match stands a mark or a
# quote, which no abbreviation ends with), and in the pattern it costs no Python
# call per dot (it was a third of the record stage).
_NOT_AN_END_BEHIND = (r"(?<!(?:^|[^\p{L}\p{N}])(?:\d{1,2}|\p{Lu}|"
                      + alternation(with_language_words("clean.json")["abbreviations"]) + r")\.)")
_SENTENCE_END = regex.compile(r"(?<![.!?;…])[.!?;…]++[\"'»”)]*+" + _NOT_AN_END_BEHIND
                              + r"(?=\s+[\p{Lu}\p{N}«\"“(]|\s*$)|(?<!\n)\n+")


def sentence_bounds(text: str) -> list[tuple[int, int]]:
    """Each sentence's (start, end): from the end of the one before to the end of its own mark,
    white space included; pieces of white space only are left out."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    ends.append(len(text))
    bounds, start = [], 0
    for end in ends:
        if end > start and not text[start:end].isspace():
            bounds.append((start, end))
        start = end
    return bounds


def _trimmed(text: str, bounds: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each sentence without its surrounding white space, so it reads cleanly."""
    trimmed = []
    for s, e in bounds:
        piece = text[s:e]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        trimmed.append((s + lead, e - trail) if lead < len(piece) else (e, e))
    return trimmed


def _add_sentences(facts: list[dict], text: str, sentences: list[tuple[int, int]], starts: list[int]) -> None:
    whole = (0, len(text))
    for fact in facts:
        for mention in fact["mentions"]:
            i = max(0, bisect.bisect_right(starts, mention["start"]) - 1)
            s, e = sentences[i] if sentences else whole
            mention["sentence"] = [min(s, mention["start"]), max(e, mention["end"])]


def build_record(article: Article, include_text: bool = True) -> dict:
    """The record of an article: its metadata and the facts of the clean stage, its language, the
    extracted facts (each fact type in manifest order), its warnings and text."""
    bounds = sentence_bounds(article.text)
    starts = [s for s, _ in bounds]
    sentences = _trimmed(article.text, bounds)
    record = {
        "schema_version": SCHEMA_VERSION,
        "doc_id": article.doc_id,
        "source": article.source,
        "title": article.title,
        "published": article.published,
    }
    types = fact_types()
    for stage in ("clean", "extract"):
        if stage == "extract":
            record["language"] = {"code": article.lang, "confidence": article.lang_confidence,
                                  "segments": article.segments}
        for fact_type in types:
            if fact_type.stage == stage:
                facts = article.facts.get(fact_type.field, [])
                _add_sentences(facts, article.text, sentences, starts)
                record[fact_type.field] = facts
    record["warnings"] = article.warnings
    if include_text:
        record["text"] = article.text
    return record


def error_record(doc_id: str, source: dict, kind: str, message: str, warnings: list[str] | None = None) -> dict:
    return {
        "schema_version": SCHEMA_VERSION,
        "doc_id": doc_id,
        "source": source,
        "error": {"kind": kind, "message": message},
        "warnings": list(warnings or []),
    }


def dumps(record: dict) -> str:
    """One JSON line. Key order is the contract's order; the same record always gives the same bytes.

    orjson writes what `json.dumps(record, ensure_ascii=False, separators=(",", ":"))`
    writes for a record (str keys, str/int/bool/None values, floats rounded to 4
    places; tests/test_output.py checks it) in a sixth of the time. A record
    it cannot encode (a lone surrogate) falls back to the json module.
    """
    try:
        return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE).decode("utf-8")
    except (TypeError, orjson.JSONEncodeError):
        return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def dumps_utf8(record: dict) -> bytes:
    """dumps(record) encoded as UTF-8, as it is written: a worker hands the parent these bytes
    (decoding them to str there and encoding them again here cost ~3 % of a run)."""
    try:
        return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
    except (TypeError, orjson.JSONEncodeError):
        return dumps(record).encode("utf-8")


def schema() -> dict:
    """The JSON Schema every record validates against (generated from the manifest in use)."""
    from .record_schema import schema as generated   # (record_schema imports the registry, as this module does)

    return generated()
