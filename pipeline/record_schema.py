"""The JSON Schema of a record, generated: the envelope (pipeline/schema/envelope.json) with the facts of the manifest.

The envelope holds everything a record has besides its facts (doc_id, source,
language, warnings, text, the error record); two markers in it say where the
fact types go: `$facts_clean` (found while cleaning, written with the
article's metadata) and `$facts_extract` (after the language). Each fact type
of patterns/manifest.json becomes a list of objects with the fields of its
`fact` fragment and `mentions`.

`newsfacts schema` prints the schema of the manifest in use; the published
copy, pipeline/schema/record.schema.json, is the schema of the shipped
manifest, and a test checks it is current:

    python -m pipeline.record_schema --check    # exit 1 if the committed file is stale
    python -m pipeline.record_schema --write    # rewrite it
"""
from __future__ import annotations

import argparse
import json
import sys
from functools import lru_cache
from pathlib import Path

from .patterns import patterns_dir
from .registry import FactType, fact_types

SCHEMA_DIR = Path(__file__).with_name("schema")
ENVELOPE = SCHEMA_DIR / "envelope.json"
PUBLISHED = SCHEMA_DIR / "record.schema.json"
_MARKERS = {"$facts_clean": "clean", "$facts_extract": "extract"}

MENTIONS = {"type": "array", "items": {"$ref": "#/$defs/mention"}, "minItems": 1}


def fact_list_schema(fact_type: FactType) -> dict:
    """The schema of a record's list of facts of this type."""
    fact = fact_type.fact
    return {
        "type": "array",
        "description": fact_type.description,
        "items": {
            "type": "object",
            "additionalProperties": False,
            "required": [*fact["required"], "mentions"],
            "properties": {**fact["properties"], "mentions": MENTIONS},
        },
    }


def build(types=None) -> dict:
    """The record schema: the envelope with the fact types put in at their markers."""
    types = fact_types() if types is None else types
    schema = json.loads(ENVELOPE.read_text(encoding="utf-8"))
    schema.pop("$comment", None)
    record = schema["$defs"]["record"]
    properties, required = {}, []
    for name, value in record["properties"].items():
        if name in _MARKERS:
            properties.update({t.field: fact_list_schema(t) for t in types if t.stage == _MARKERS[name]})
        else:
            properties[name] = value
    for name in record["required"]:
        required += [t.field for t in types if t.stage == _MARKERS[name]] if name in _MARKERS else [name]
    record["properties"], record["required"] = properties, required
    return schema


@lru_cache(maxsize=None)
def _cached(root: Path) -> str:
    return as_text(build())


def schema() -> dict:
    """The record schema of the manifest in use (a fresh copy: callers may change it)."""
    return json.loads(_cached(patterns_dir()))


def as_text(schema_: dict) -> str:
    return json.dumps(schema_, ensure_ascii=False, indent=1) + "\n"


def is_current() -> bool:
    """Whether the published file is the schema of the manifest in use."""
    return PUBLISHED.is_file() and PUBLISHED.read_text(encoding="utf-8") == _cached(patterns_dir())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Generate pipeline/schema/record.schema.json from the manifest.")
    ap.add_argument("--check", action="store_true", help="exit 1 if the committed file is not current")
    args = ap.parse_args(argv)
    if args.check:
        if is_current():
            return 0
        print(f"{PUBLISHED} is stale: run python -m pipeline.record_schema", file=sys.stderr)
        return 1
    PUBLISHED.write_text(_cached(patterns_dir()), encoding="utf-8")
    print(f"wrote {PUBLISHED}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
