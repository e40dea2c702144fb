"""The store's tables for each fact type, read from the `store` entry of patterns/manifest.json.

Every stored fact type has the same three kinds of table:

    <table>           one row per fact per article: id, doc_id, then the columns the
                      entry lists (one of them sentence_id: the sentence of its first mention)
    <list tables>     optional: one row per item of a list the fact holds, in order
                      (an official's posts): id, <fact_id>, doc_id, position, columns
    <mentions table>  one row per mention: id, <fact_id>, doc_id, offsets, text, rule, sentence_id

and, if it is `count`ed, a column named after its field in `articles`. This
module turns the entries into the CREATE statements (records.schema_sql splices
them into schema.sql), the column order the row builder writes, the values of
a fact's columns, and the Datasette descriptions. A new fact type with a
`store` entry is stored with no code change.

The `order` of the entries is the order tables are created and filled (and so
the order sentence ids are handed out in); entries without one come last.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex

from ..patterns import PatternError, patterns_dir
from ..registry import fact_types
from ..text import DASH, fold, fold_key, fold_name

SENTENCE_ID = "sentence_id"   # the column every fact table has: the sentence of the fact's first mention
SENTENCE_SQL = "INTEGER REFERENCES sentences (id) ON DELETE CASCADE"
DOC_SQL = "TEXT NOT NULL REFERENCES articles (doc_id) ON DELETE CASCADE"
MENTION_COLUMNS = ("doc_id", "start_char", "end_char", "text", "rule", "sentence_id")

_DASH = regex.compile(DASH)   # (fold writes them "-"; NFKC may make new ones)
_SPACE = regex.compile(r"\s+")


def code_key(code: str) -> str:
    """A document code as search compares it: '57 - nq/tw' and '204-QĐ/TW' -> '57-NQ/TW', '204-QD/TW'."""
    text = unicodedata.normalize("NFKC", fold(code))
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _SPACE.sub("", _DASH.sub("-", text)).upper()


def _gazetteer_id(value, fact_value, gazetteer):
    row = gazetteer.row_for_fact(value) if value is not None else None
    return row["id"] if row else None


# A column's `convert`: (its fact key's value, the fact's value, the gazetteer) -> what is stored.
CONVERTERS = {
    "code_key": lambda value, fact_value, gazetteer: code_key(value),
    "fold_name": lambda value, fact_value, gazetteer: fold_name(value),
    "or_folded_value": lambda value, fact_value, gazetteer: value or fold_key(fact_value),   # a key the record left out
    "gazetteer_id": _gazetteer_id,
}


@dataclass(frozen=True)
class Column:
    name: str
    sql: str
    source: str | None        # the fact's key it is read from; None for sentence_id
    convert: str | None       # a CONVERTERS name
    description: str

    def value(self, fact: dict, fact_value, gazetteer):
        value = fact.get(self.source)
        return CONVERTERS[self.convert](value, fact_value, gazetteer) if self.convert else value


@dataclass(frozen=True)
class ListTable:
    table: str
    description: str
    columns: tuple[Column, ...]   # the first one's list decides how many rows; the others follow by position
    indexes: dict
    datasette: dict


@dataclass(frozen=True)
class FactTable:
    field: str                 # the record field
    value: str                 # the fact's value key
    table: str
    fact_id: str               # the column of list and mention rows pointing to a fact row
    description: str
    count: str | None          # description of its count column in `articles`; None: not counted
    written: str | None        # the column whose value is written as such in the sentence (highlighted)
    columns: tuple[Column, ...]
    indexes: dict              # index name suffix -> column
    lists: tuple[ListTable, ...]
    mentions: str              # the mentions table
    mentions_description: str
    datasette: dict


def fact_tables() -> tuple[FactTable, ...]:
    """The stored fact types, in the store's order."""
    return _fact_tables(patterns_dir())


def counted() -> tuple[str, ...]:
    """The fact fields `articles` counts, in its column order."""
    return tuple(t.field for t in fact_tables() if t.count)


def fact_table_columns() -> dict[str, tuple[str, ...]]:
    """Table -> columns, in the order rows are written (each fact table, its lists, its mentions)."""
    columns: dict[str, tuple[str, ...]] = {}
    for t in fact_tables():
        columns[t.table] = ("id", "doc_id") + tuple(c.name for c in t.columns)
        for lst in t.lists:
            columns[lst.table] = ("id", t.fact_id, "doc_id", "position") + tuple(c.name for c in lst.columns)
        columns[t.mentions] = ("id", t.fact_id) + MENTION_COLUMNS
    return columns


# ---------------------------------------------------------------- SQL

def _column_lines(columns: list[tuple[str, str, str]]) -> str:
    """(name, sql, comment) -> the lines inside CREATE TABLE ( ... ), aligned."""
    width = max(len(name) for name, _, _ in columns) + 2
    lines = []
    for n, (name, sql, comment) in enumerate(columns):
        comma = "," if n < len(columns) - 1 else ""
        line = f"    {name.ljust(width)}{sql}{comma}"
        lines.append(f"{line}   -- {comment}" if comment else line)
    return "\n".join(lines)


def _create(table: str, comment: str, columns: list[tuple[str, str, str]], indexes: list[tuple[str, str]]) -> str:
    sql = [f"-- {comment}", f"CREATE TABLE IF NOT EXISTS {table} (", _column_lines(columns), ");"]
    sql += [f"CREATE INDEX IF NOT EXISTS {table}_{suffix} ON {table} ({column});" for suffix, column in indexes]
    return "\n".join(sql)


def count_columns_sql() -> str:
    """The count columns of `articles` (inside its CREATE TABLE; each line ends with a comma)."""
    return "\n".join(f"    {t.field.ljust(12)}INTEGER NOT NULL,   -- {t.count}" for t in fact_tables() if t.count)


def fact_tables_sql() -> str:
    """CREATE TABLE and CREATE INDEX statements of every fact type's tables."""
    parts = []
    for t in fact_tables():
        columns = [("id", "INTEGER PRIMARY KEY", ""), ("doc_id", DOC_SQL, "")]
        columns += [(c.name, c.sql, c.description) for c in t.columns]
        indexes = [("doc", "doc_id"), *t.indexes.items()]
        parts.append(_create(t.table, f"{t.description} ({t.field} in the records)", columns, indexes))
        fact_ref = f"INTEGER NOT NULL REFERENCES {t.table} (id) ON DELETE CASCADE"
        for lst in t.lists:
            columns = [("id", "INTEGER PRIMARY KEY", ""), (t.fact_id, fact_ref, ""), ("doc_id", DOC_SQL, ""),
                       ("position", "INTEGER NOT NULL", "0-based order in the record")]
            columns += [(c.name, c.sql, c.description) for c in lst.columns]
            indexes = [(t.fact_id.removesuffix("_id"), t.fact_id), ("doc", "doc_id"), *lst.indexes.items()]
            parts.append(_create(lst.table, lst.description, columns, indexes))
        columns = [("id", "INTEGER PRIMARY KEY", ""), (t.fact_id, fact_ref, ""), ("doc_id", DOC_SQL, ""),
                   ("start_char", "INTEGER NOT NULL", ""), ("end_char", "INTEGER NOT NULL", ""),
                   ("text", "TEXT NOT NULL", "as written"), ("rule", "TEXT", "id of the rule that found it"),
                   (SENTENCE_ID, SENTENCE_SQL, "")]
        parts.append(_create(t.mentions, t.mentions_description, columns, [("fact", t.fact_id), ("doc", "doc_id")]))
    return "\n\n".join(parts)


# ---------------------------------------------------------------- Datasette

def datasette_tables(mention_columns: dict) -> dict:
    """Datasette metadata of every fact table, list table and mentions table (in that order)."""
    facts, lists, mentions = {}, {}, {}
    for t in fact_tables():
        facts[t.table] = _described(t.description, t.columns, t.datasette)
        for lst in t.lists:
            lists[lst.table] = _described(lst.description, lst.columns, lst.datasette,
                                          {"position": "0-based order"})
        mentions[t.mentions] = {"description": t.mentions_description, "columns": dict(mention_columns)}
    return facts | lists | mentions


def _described(description: str, columns: tuple[Column, ...], datasette: dict, first=None) -> dict:
    entry = {"description": description}
    entry.update({k: v for k, v in datasette.items() if k != "columns"})
    entry["columns"] = {**datasette.get("columns", {}), **(first or {}),
                        **{c.name: c.description for c in columns if c.description}}
    return entry


def written_columns() -> dict[str, str]:
    """Fact table -> the column whose value the sentence writes (highlighted in it)."""
    return {t.table: t.written for t in fact_tables() if t.written}


# ---------------------------------------------------------------- reading the manifest

@lru_cache(maxsize=None)
def _fact_tables(root: Path) -> tuple[FactTable, ...]:
    stored = [(n, t) for n, t in enumerate(fact_types()) if t.store]
    stored.sort(key=lambda pair: (pair[1].store.get("order", float("inf")), pair[0]))
    tables = tuple(_fact_table(t.field, t.value, t.fact["properties"], t.store) for _, t in stored)
    names = [name for t in tables for name in (t.table, t.mentions, *(lst.table for lst in t.lists))]
    twice = {name for name in names if names.count(name) > 1}
    if twice:
        raise PatternError(f"manifest.json: store table {sorted(twice)} named twice")
    return tables


def _columns(entries: list, properties: dict, where: str) -> tuple[Column, ...]:
    columns = []
    for entry in entries:
        name = entry["name"]
        if name == SENTENCE_ID:
            columns.append(Column(name, SENTENCE_SQL, None, None, entry.get("description", "")))
            continue
        source, convert = entry.get("from", name), entry.get("convert")
        if source not in properties:
            raise PatternError(f"{where} column {name}: its fact has no {source!r} (fact.properties)")
        if convert is not None and convert not in CONVERTERS:
            raise PatternError(f"{where} column {name}: convert is one of {', '.join(CONVERTERS)}")
        if "sql" not in entry:
            raise PatternError(f"{where} column {name}: needs its sql type")
        columns.append(Column(name, entry["sql"], source, convert, entry.get("description", "")))
    return tuple(columns)


def _fact_table(field: str, value: str, properties: dict, store: dict) -> FactTable:
    where = f"manifest.json {field}.store"
    columns = _columns(store["columns"], properties, where)
    if [c.name for c in columns].count(SENTENCE_ID) != 1:
        raise PatternError(f"{where}: columns list {SENTENCE_ID} once (where it goes in the table)")
    lists = tuple(ListTable(lst["table"], lst["description"], _columns(lst["columns"], properties, where),
                            lst.get("indexes", {}), lst.get("datasette", {}))
                  for lst in store.get("lists", ()))
    named = {c.name for c in columns}
    if store.get("written") and store["written"] not in named:
        raise PatternError(f"{where}: written names no column ({store['written']!r})")
    return FactTable(field=field, value=value, table=store["table"], fact_id=store["fact_id"],
                     description=store["description"], count=store.get("count"), written=store.get("written"),
                     columns=columns, indexes=store.get("indexes", {}), lists=lists,
                     mentions=store["mentions"]["table"], mentions_description=store["mentions"]["description"],
                     datasette=store.get("datasette", {}))
