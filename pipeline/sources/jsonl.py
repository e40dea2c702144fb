"""JSON Lines: one JSON object per line, the row number is the line number.

Lines are read with a length limit, so a runaway line (a file with no line
breaks) is skipped in pieces instead of filling memory. Blank lines are
skipped. A line that is not a JSON object becomes a `bad_row` error.
"""
from __future__ import annotations

import codecs
import json
from typing import Iterator

import orjson

from . import Row, RecordFile, open_stream
from .fields import Fields

# A JSON line may spell its text with escapes (\u1ec7 is 6 bytes for a 3-byte
# UTF-8 letter): allow that much over --max-bytes before calling a line too large.
_ESCAPE_ROOM = 6
_SKIP_BLOCK = 1 << 20
_JSON_KINDS = {list: "array", str: "string", int: "number", float: "number", bool: "boolean", type(None): "null"}


def rows(file: RecordFile, fields: Fields, max_bytes: int) -> Iterator[Row]:
    limit = _ESCAPE_ROOM * max_bytes + 65536
    with open_stream(file) as stream:
        number = 0
        while True:
            line = stream.readline(limit + 1)
            if not line:
                return
            number += 1
            if len(line) > limit and not line.endswith(b"\n"):
                _skip_line(stream)
                yield Row(number, error=("too_large", f"the line is over {limit} bytes (--max-bytes {max_bytes})"))
                continue
            if number == 1 and line.startswith(codecs.BOM_UTF8):
                line = line[len(codecs.BOM_UTF8):]
            if not line.strip():
                continue
            yield _parse(number, line)


def _parse(number: int, line: bytes) -> Row:
    warnings = []
    try:
        value = orjson.loads(line)
    except orjson.JSONDecodeError:
        # The json module is slower but more lenient (NaN, lone surrogates) and
        # names the column of a syntax error.
        try:
            value = json.loads(line)
        except UnicodeDecodeError as exc:
            warnings.append(f"invalid UTF-8 byte sequences were replaced by U+FFFD (first at byte {exc.start} of the line)")
            try:
                value = json.loads(line.decode("utf-8", errors="replace"))
            except ValueError as inner:
                return Row(number, error=("bad_row", f"not valid JSON: {inner}"))
        except ValueError as exc:
            return Row(number, error=("bad_row", f"not valid JSON: {exc}"))
    if not isinstance(value, dict):
        kind = _JSON_KINDS.get(type(value), "value")
        return Row(number, error=("bad_row", f"a JSON {kind}, not an object with fields"))
    return Row(number, values=value, warnings=warnings)


def _skip_line(stream) -> None:
    while True:
        piece = stream.readline(_SKIP_BLOCK)
        if not piece or piece.endswith(b"\n"):
            return
