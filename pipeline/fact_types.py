"""The fact types a record carries: the one list that export, stats and the review pages read.

Each fact type is a record field holding a list of facts, each fact with its
`mentions`. Everything else about their columns (names, JSON types) comes from
the record's JSON Schema (pipeline/schema/record.schema.json), so this table
only says what the schema cannot: how a person calls one fact, and which field
holds its normalized value. tests/test_export.py checks that the schema and this
table name the same fact types, so adding one to the schema without adding it
here fails. (A manifest of fact types can replace this table later: nothing
else in export, stats or review names a fact type.)
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FactType:
    field: str   # the record field: "codes"
    label: str   # one fact, for people and file names: "code"
    value: str   # the field of each fact that holds its normalized value


# In the order tables, columns and legends show them.
FACT_TYPES: tuple[FactType, ...] = (
    FactType("codes", "code", "code"),
    FactType("dates", "date", "value"),
    FactType("periods", "period", "value"),
    FactType("officials", "official", "name"),
    FactType("provinces", "province", "name"),
    FactType("authors", "author", "name"),
)
