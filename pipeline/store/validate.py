"""Check a record before it is loaded, and hand it back in the shape the row builder reads.

A records file may have been edited by hand, cut short, or written by another
program. The loader trusts none of it: a field of the wrong type, an integer
out of range, an offset outside the text, a mention that does not slice to its
text, a lone surrogate (not encodable, so no database takes it) -- each raises
BadRecord naming the field, and the loader skips that record whole (the other
records are loaded; `newsfacts load` exits 3). Loading a record in part would
leave facts in the store that no longer say where they came from.

Missing optional fields are fine (a record written with --no-text has no
`text`; a mention without `sentence` gets one from the loader); fields the
loader does not read are ignored. The facts of each stored fact type are
checked against the JSON Schema of one fact in patterns/manifest.json: its
value is required, the other properties are checked for their type (and
pattern) when present.
"""
from __future__ import annotations

import datetime
import math
import re

from ..registry import fact_type
from .fact_tables import fact_tables
RECORD_SCHEMA_VERSION = 1   # the record contract this loader reads

# PostgreSQL's INTEGER is 32 bits (SQLite's is 64): every integer stored must fit both.
INT_MAX = 2 ** 31 - 1
_SURROGATE = re.compile("[\ud800-\udfff]")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
DAY_PATTERN = r"^\d{4}-\d{2}-\d{2}$"   # a property with this JSON Schema pattern is checked as a calendar day


class BadRecord(ValueError):
    """A record the loader cannot store as it is; the message names the field."""


def _kind(value) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list",
            dict: "an object"}.get(type(value), type(value).__name__)


def _valid_string(value, where: str) -> str:
    if not isinstance(value, str):
        raise BadRecord(f"{where}: {_kind(value)}, not a string")
    if not value.isascii() and _SURROGATE.search(value):
        raise BadRecord(f"{where}: not valid Unicode (a lone surrogate, or bytes that are not UTF-8)")
    return value


def _string(obj: dict, key: str, at: str, required: bool = False) -> str | None:
    """A string field; '' and a missing field are None (an error when required)."""
    value = obj.get(key)
    if value is None or value == "":
        if required:
            raise BadRecord(f"{at}{key}: missing")
        return None
    _valid_string(value, at + key)
    if required and not value.strip():
        raise BadRecord(f"{at}{key}: blank")
    return value


def _integer(obj: dict, key: str, at: str, required: bool = False, low: int = -INT_MAX) -> int | None:
    value = obj.get(key)
    if value is None:
        if required:
            raise BadRecord(f"{at}{key}: missing")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRecord(f"{at}{key}: {_kind(value)}, not an integer")
    if not low <= value <= INT_MAX:
        raise BadRecord(f"{at}{key}: {value if abs(value) < 10 ** 30 else 'a huge number'} is out of range")
    return value


def _number(obj: dict, key: str, at: str) -> float | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BadRecord(f"{at}{key}: {_kind(value)}, not a number")
    try:
        number = float(value)
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise BadRecord(f"{at}{key}: not a finite number")
    return number


def _boolean(obj: dict, key: str, at: str) -> bool:
    value = obj.get(key, False)
    if not isinstance(value, bool):
        raise BadRecord(f"{at}{key}: {_kind(value)}, not true or false")
    return value


def _container(obj: dict, key: str, at: str, kind: type):
    """A list or an object field; missing is empty."""
    value = obj.get(key)
    if value is None:
        return kind()
    if not isinstance(value, kind):
        raise BadRecord(f"{at}{key}: {_kind(value)}, not {_kind(kind())}")
    return value


def _list(obj: dict, key: str, at: str) -> list:
    return _container(obj, key, at, list)


def _object(obj: dict, key: str, at: str) -> dict:
    return _container(obj, key, at, dict)


def _day(obj: dict, key: str, at: str, required: bool = False) -> str | None:
    value = _string(obj, key, at, required)
    if value is None:
        return None
    try:
        if not _DAY.match(value):
            raise ValueError
        datetime.date.fromisoformat(value)
    except ValueError:
        raise BadRecord(f"{at}{key}: {value[:40]!r} is not a day (YYYY-MM-DD)") from None
    return value


def _strings(obj: dict, key: str, at: str) -> list[str]:
    return [_valid_string(item, f"{at}{key}[{i}]") for i, item in enumerate(_list(obj, key, at))]


def _span(obj: dict, at: str, text: str | None) -> tuple[int, int]:
    """start and end: integers, start <= end, inside the text when the record has it."""
    start = _integer(obj, "start", at, required=True, low=0)
    end = _integer(obj, "end", at, required=True, low=0)
    if end < start:
        raise BadRecord(f"{at}end: {end} is before start {start}")
    if text is not None and end > len(text):
        raise BadRecord(f"{at}end: {end} is past the end of the text ({len(text)} characters)")
    return start, end


def _mention(m, at: str, text: str | None) -> dict:
    if not isinstance(m, dict):
        raise BadRecord(f"{at[:-1]}: {_kind(m)}, not an object")
    start, end = _span(m, at, text)
    written = _string(m, "text", at, required=text is None)
    if text is not None:
        if written is not None and written != text[start:end]:
            raise BadRecord(f"{at}text: {written[:40]!r} is not what the text has at {start}:{end} "
                            f"({text[start:end][:40]!r})")
        written = text[start:end]
    sentence = m.get("sentence")
    if sentence is not None:
        if (not isinstance(sentence, list) or len(sentence) != 2
                or any(isinstance(x, bool) or not isinstance(x, int) for x in sentence)):
            raise BadRecord(f"{at}sentence: not a pair of integers")
        s_start, s_end = sentence
        if not (0 <= s_start <= start and end <= s_end and (text is None or s_end <= len(text))):
            raise BadRecord(f"{at}sentence: [{s_start}, {s_end}] does not hold the mention at {start}:{end}"
                            + ("" if text is None else f" inside {len(text)} characters"))
        sentence = (s_start, s_end) if text is not None else None  # no text: no sentence to store
    return {"start": start, "end": end, "text": written, "rule": _string(m, "rule", at), "sentence": sentence}


def _property(fact: dict, key: str, schema: dict, at: str, required: bool):
    """One property of a fact, checked for the type (and pattern) its JSON Schema gives."""
    types = schema.get("type")
    types = {types} if isinstance(types, str) else set(types or ())
    if "integer" in types:
        return _integer(fact, key, at, required)
    if "number" in types:
        return _number(fact, key, at)
    if "boolean" in types:
        return _boolean(fact, key, at)
    if "array" in types:
        return _strings(fact, key, at)
    pattern = schema.get("pattern")
    if pattern == DAY_PATTERN:
        return _day(fact, key, at, required)
    value = _string(fact, key, at, required)
    if pattern and value is not None and not re.fullmatch(pattern, value, re.ASCII):
        raise BadRecord(f"{at}{key}: {value[:40]!r} does not have the shape {pattern}")
    return value


def _fact(field: str, key: str, fact, at: str, text: str | None) -> dict:
    if not isinstance(fact, dict):
        raise BadRecord(f"{at[:-1]}: {_kind(fact)}, not an object")
    properties = fact_type(field).fact["properties"]
    out = {key: _property(fact, key, properties[key], at, required=True)}   # the value first: it names the fact
    out.update({name: _property(fact, name, schema, at, required=False)
                for name, schema in properties.items() if name != key})
    out["mentions"] = [_mention(m, f"{at}mentions[{i}].", text) for i, m in enumerate(_list(fact, "mentions", at))]
    return out


def check_record(record) -> dict:
    """The record as the row builder reads it: every field typed, every offset checked.

    Raises BadRecord (with the path of the field, e.g. `codes[0].mentions[2].end`)
    when any part of it cannot be stored as it is."""
    if not isinstance(record, dict):
        raise BadRecord(f"{_kind(record)}, not a JSON object")
    version = record.get("schema_version")
    if version != RECORD_SCHEMA_VERSION or isinstance(version, bool):
        raise BadRecord(f"schema_version {str(version)[:20]}, this loader reads {RECORD_SCHEMA_VERSION}")
    text = record.get("text")
    if text is not None:
        _valid_string(text, "text")
    source, language = _object(record, "source", ""), _object(record, "language", "")
    error = record.get("error")
    if error is not None:
        error = _object(record, "error", "")
        error = {"kind": _string(error, "kind", "error."), "message": _string(error, "message", "error.")}
    out = {
        "doc_id": _string(record, "doc_id", "", required=True),
        "title": _string(record, "title", ""),
        "published": _day(record, "published", ""),
        "text": text,
        "source": {k: _string(source, k, "source.") for k in ("path", "sha256", "url", "publisher", "format", "encoding")},
        "language": {"code": _string(language, "code", "language."),
                     "confidence": _number(language, "confidence", "language."),
                     "segments": [_segment(seg, f"language.segments[{i}].", text)
                                  for i, seg in enumerate(_list(language, "segments", "language."))]},
        "warnings": _strings(record, "warnings", ""),
        "error": error,
    }
    for table in fact_tables():   # the fact types the store holds
        # a failed article keeps its error and no facts
        facts = [] if error is not None else _list(record, table.field, "")
        out[table.field] = [_fact(table.field, table.value, fact, f"{table.field}[{i}].", text)
                            for i, fact in enumerate(facts)]
    return out


def _segment(seg, at: str, text: str | None) -> dict:
    if not isinstance(seg, dict):
        raise BadRecord(f"{at[:-1]}: {_kind(seg)}, not an object")
    start, end = _span(seg, at, text)
    return {"start": start, "end": end, "code": _string(seg, "code", at), "confidence": _number(seg, "confidence", at)}
