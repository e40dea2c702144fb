"""Records as flat tables: one row per article, per fact, per mention, per warning, per error.

`export` writes these tables to CSV or Parquet and `stats` counts over them,
so both read records the same way and agree on which records are usable.

The columns come from the record's JSON Schema, not from lists kept here:

    articles            one row per record (error records too): its scalar fields, the
                        fields of its objects as `source_url`, `language_code`,
                        `error_kind`..., and per fact type `n_codes` (facts) and
                        `n_code_mentions`; `n_warnings`. The article text only with
                        with_text=True.
    <facts>             per fact type (`codes`, `dates`...): one row per fact,
                        `doc_id`, `fact_index` and the fact's fields, `n_mentions`
    <label>_mentions    per fact type (`code_mentions`...): one row per mention, the
                        fact's fields again (so one table answers most questions),
                        `mention_index`, then `start`, `end`, `text`, `rule`,
                        `sentence_start`, `sentence_end`
    warnings            `doc_id`, `warning_index`, `kind`, `message`
    errors              `doc_id`, `source_path`, `kind`, `message`

A fact field named like a mention column (a period's `start` and `end` years)
is prefixed with its label in both of its tables: `period_start`, `period_end`.
A list of strings (an official's `posts`) stays a list; CSV joins it (see export).

A record that does not fit the schema's types (a mention as a number, a string
offset, a lone surrogate, an integer beyond 64 bits) raises BadRecord and gives
no row in any table, so every table describes the same set of articles.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Iterable, Iterator

import orjson
import regex

from .registry import FactType, fact_types

INT64 = 2 ** 63
STRING, INTEGER, NUMBER, BOOLEAN, STRINGS = "string", "integer", "number", "boolean", "strings"


class BadRecord(ValueError):
    """A record that cannot be laid out as table rows (the message says where)."""


@dataclass(frozen=True)
class Column:
    name: str
    kind: str                  # STRING, INTEGER, NUMBER, BOOLEAN or STRINGS
    path: tuple = ()           # where the value sits in the object the row comes from
    item: int | None = None    # for a [start, end] pair: which element
    description: str = ""      # for the data dictionary (export's columns.csv)


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


# ---------------------------------------------------------------- reading the schema

def _record_schema() -> dict:
    from .record import schema  # not at import time: the command line imports this module to list formats

    return schema()


def _kind(prop: dict) -> str | None:
    """The column kind of a schema property, or None when it is not one column."""
    if "const" in prop:
        return {bool: BOOLEAN, int: INTEGER, float: NUMBER, str: STRING}.get(type(prop["const"]))
    types = prop.get("type", [])
    types = [t for t in ([types] if isinstance(types, str) else types) if t != "null"]
    if len(types) != 1:
        return None
    if types[0] == "array":
        return STRINGS if (prop.get("items") or {}).get("type") == "string" else None
    return types[0] if types[0] in (STRING, INTEGER, NUMBER, BOOLEAN) else None


def _is_pair(prop: dict) -> bool:
    """[start, end] offsets: an array of exactly two integers."""
    return (prop.get("type") == "array" and (prop.get("items") or {}).get("type") == "integer"
            and prop.get("minItems") == prop.get("maxItems") == 2)


def _resolve(schema: dict, prop: dict) -> dict:
    ref = prop.get("$ref")
    if ref:
        return schema["$defs"][ref.rsplit("/", 1)[-1]]
    return prop


def _fact_items(schema: dict, fact_type: FactType) -> dict:
    prop = schema["$defs"]["record"]["properties"][fact_type.field]
    return _resolve(schema, prop["items"])


def schema_fact_fields(schema: dict | None = None) -> list[str]:
    """The record fields that the schema describes as lists of facts with mentions."""
    schema = schema or _record_schema()
    found = []
    for name, prop in schema["$defs"]["record"]["properties"].items():
        items = _resolve(schema, prop.get("items") or {}) if prop.get("type") == "array" else {}
        if "mentions" in (items.get("properties") or {}):
            found.append(name)
    return found


class Layout:
    """The tables and how to fill them from one record, built once from the schema."""

    def __init__(self, with_text: bool = False, schema: dict | None = None):
        self.schema = schema = schema or _record_schema()
        defs = schema["$defs"]
        self.schema_version = defs["record"]["properties"]["schema_version"].get("const")
        mention = defs["mention"]["properties"]
        self.mention_columns = []
        for name, prop in mention.items():
            about = prop.get("description", "")
            if _is_pair(prop):
                self.mention_columns += [Column(f"{name}_start", INTEGER, (name,), 0, f"{about}: start"),
                                         Column(f"{name}_end", INTEGER, (name,), 1, f"{about}: end")]
            elif _kind(prop):
                self.mention_columns.append(Column(name, _kind(prop), (name,), description=about))
        mention_names = {c.name for c in self.mention_columns}

        self.fact_columns: dict[str, list[Column]] = {}
        for fact_type in fact_types():
            columns = []
            for name, prop in _fact_items(schema, fact_type)["properties"].items():
                if name != "mentions" and _kind(prop):
                    taken = name in mention_names or name in ("doc_id", "fact_index", "mention_index", "n_mentions")
                    columns.append(Column(f"{fact_type.label}_{name}" if taken else name, _kind(prop), (name,),
                                          description=prop.get("description", f"the {fact_type.label}'s {name}")))
            self.fact_columns[fact_type.field] = columns

        self.tables: dict[str, Table] = {"articles": Table("articles", tuple(self._article_columns(with_text)))}
        doc = Column("doc_id", STRING, description="the article (its record's doc_id)")
        fact = Column("fact_index", INTEGER, description="the fact's position in its record's list, from 0 "
                                                         "(a mention's fact: same doc_id and fact_index)")
        for fact_type in fact_types():
            columns = self.fact_columns[fact_type.field]
            self.tables[fact_type.field] = Table(fact_type.field, (
                doc, fact, *columns, Column("n_mentions", INTEGER, description="how often the text names it")))
            name = f"{fact_type.label}_mentions"
            self.tables[name] = Table(name, (
                doc, fact, *columns, Column("mention_index", INTEGER, description="the mention's position, from 0"),
                *self.mention_columns))
        self.tables["warnings"] = Table("warnings", (
            doc, Column("warning_index", INTEGER, description="the warning's position in the record, from 0"),
            Column("kind", STRING, description="the message with its particulars blanked, to count alike warnings"),
            Column("message", STRING, description="the warning as the record has it")))
        error_props = defs["error_record"]["properties"]["error"]["properties"]
        self.error_columns = [Column(name, _kind(p), (name,), description=p.get("description", f"the error's {name}"))
                              for name, p in error_props.items() if _kind(p)]
        self.tables["errors"] = Table("errors", (doc, Column("source_path", STRING, description="the input file"),
                                                 *self.error_columns))

    def _article_columns(self, with_text: bool) -> list[Column]:
        """Scalars as they are, objects one level down (`source_url`), counts for the lists."""
        defs = self.schema["$defs"]
        props = dict(defs["record"]["properties"])
        for name, prop in defs["error_record"]["properties"].items():
            props.setdefault(name, prop)
        fact_fields = {t.field: t for t in fact_types()}
        columns: list[Column] = []
        for name, prop in props.items():
            prop = _resolve(self.schema, prop)
            about = prop.get("description", f"the record's {name}")
            if name in fact_fields:
                label = fact_fields[name].label
                columns += [Column(f"n_{name}", INTEGER, (name,), description=f"number of distinct {name}"),
                            Column(f"n_{label}_mentions", INTEGER, (name,),
                                   description=f"number of mentions of {name}")]
            elif name == "text":
                if with_text:
                    columns.append(Column(name, STRING, (name,), description=about))
            elif prop.get("type") == "object":
                columns += [Column(f"{name}_{sub}", _kind(p), (name, sub),
                                   description=p.get("description", f"the record's {name}.{sub}"))
                            for sub, p in (prop.get("properties") or {}).items() if _kind(p) and _kind(p) != STRINGS]
            elif _kind(prop) == STRINGS:
                columns.append(Column(f"n_{name}", INTEGER, (name,), description=f"number of {name}"))
            elif _kind(prop):
                columns.append(Column(name, _kind(prop), (name,), description=about))
        return columns

    # ------------------------------------------------------------ one record -> rows

    def rows(self, record) -> dict[str, list[tuple]]:
        """Every table's rows for one record; BadRecord if it does not fit the schema's types."""
        if not isinstance(record, dict):
            raise BadRecord("not a JSON object")
        doc_id = record.get("doc_id")
        if not isinstance(doc_id, str) or not doc_id.strip():
            raise BadRecord("no doc_id")
        _check_string(doc_id, "doc_id")
        if record.get("schema_version") != self.schema_version:
            raise BadRecord(f"schema_version {record.get('schema_version')!r}; this newsfacts reads "
                            f"{self.schema_version}")
        if record.get("text") is not None:  # checked even when no table holds it: the review pages show it
            _check_string(record["text"], "text")
        out: dict[str, list[tuple]] = {name: [] for name in self.tables}
        counts = {}
        for fact_type in fact_types():
            facts = _list_of_objects(record.get(fact_type.field), fact_type.field)
            columns = self.fact_columns[fact_type.field]
            n_mentions = 0
            for i, fact in enumerate(facts):
                where = f"{fact_type.field}[{i}]"
                values = tuple(_value(fact, c, where) for c in columns)
                mentions = _list_of_objects(fact.get("mentions"), f"{where}.mentions")
                out[fact_type.field].append((doc_id, i, *values, len(mentions)))
                for j, mention in enumerate(mentions):
                    out[f"{fact_type.label}_mentions"].append(
                        (doc_id, i, *values, j,
                         *(_value(mention, c, f"{where}.mentions[{j}]") for c in self.mention_columns)))
                n_mentions += len(mentions)
            counts[fact_type.field] = (len(facts), n_mentions)
        warnings = record.get("warnings") or []
        if not isinstance(warnings, list):
            raise BadRecord("warnings is not a list")
        for i, message in enumerate(warnings):
            _check_string(message, f"warnings[{i}]")
            out["warnings"].append((doc_id, i, warning_kind(message), message))
        error = record.get("error")
        if error is not None:
            if not isinstance(error, dict):
                raise BadRecord("error is not an object")
            source = record.get("source") if isinstance(record.get("source"), dict) else {}
            path = _value(source, Column("path", STRING, ("path",)), "source")
            out["errors"].append((doc_id, path, *(_value(error, c, "error") for c in self.error_columns)))
        out["articles"].append(tuple(self._article_value(record, c, counts) for c in self.tables["articles"].columns))
        return out

    def _article_value(self, record: dict, column: Column, counts: dict):
        name = column.path[0]
        if name in counts:  # a fact type: n_codes counts facts, n_code_mentions their mentions
            return counts[name][0 if column.name == f"n_{name}" else 1]
        if column.name == f"n_{name}":  # a list of strings: how many
            return len(record.get(name) or [])
        return _value(record, column, "record")


def _list_of_objects(value, where: str) -> list[dict]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise BadRecord(f"{where} is not a list of objects")
    return value


def _check_string(value, where: str) -> None:
    if not isinstance(value, str):
        raise BadRecord(f"{where} is not a string")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise BadRecord(f"{where} holds a lone surrogate (not valid Unicode text)") from None


def _value(obj: dict, column: Column, where: str):
    """The value of one column, checked against its kind (None when absent)."""
    value, name = obj, where
    for key in column.path:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise BadRecord(f"{name} is not an object")
        value, name = value.get(key), f"{name}.{key}"
    if value is None:
        return None
    if column.item is not None:
        if not (isinstance(value, list) and len(value) == 2):
            raise BadRecord(f"{name} is not a [start, end] pair")
        value = value[column.item]
    kind = column.kind
    if kind == STRING:
        _check_string(value, name)
    elif kind == INTEGER:
        if type(value) is not int or not -INT64 <= value < INT64:
            raise BadRecord(f"{name} is not a 64-bit integer: {str(value)[:40]}")
    elif kind == NUMBER:
        if type(value) not in (int, float) or (type(value) is int and not -INT64 <= value < INT64):
            raise BadRecord(f"{name} is not a number: {str(value)[:40]}")
        value = float(value)
    elif kind == BOOLEAN:
        if type(value) is not bool:
            raise BadRecord(f"{name} is not true or false")
    elif kind == STRINGS:
        if not isinstance(value, list):
            raise BadRecord(f"{name} is not a list of strings")
        for i, item in enumerate(value):
            _check_string(item, f"{name}[{i}]")
    return value


# ---------------------------------------------------------------- warning kinds

# Warnings are sentences; their kind is the sentence with its particulars (quoted
# values, numbers, document codes and abbreviations) blanked and its explanation
# (after "; " or " (") cut. Structured warning kinds in the record would do better.
_QUOTED = regex.compile(r"""'[^']*'|"[^"]*"|«[^»]*»""")
_CODE = regex.compile(r"\S*\d\S*/\S*|\S*/\S*\d\S*|(?<![\w+-])\p{Lu}{2,}(?:/\p{Lu}+)*(?![\w+-])")
_NUMBER = regex.compile(r"(?<![\w+-])\d+(?:[-.,/]\d+)*(?![\w+-])")  # 12, 1.5, 2024-01-02
_EXPLANATION = regex.compile(r"; | \(")


def warning_kind(message: str) -> str:
    """'dates: no year for '12/3' (no publication date...)' -> "dates: no year for …"."""
    shape = _QUOTED.sub("…", message)
    shape = _CODE.sub(lambda m: "…" + (":" if m.group(0).endswith(":") else ""), shape)
    shape = _NUMBER.sub("N", shape)
    shape = _EXPLANATION.split(shape, 1)[0]
    return " ".join(shape.split())[:120]


# ---------------------------------------------------------------- reading records

@dataclass
class Problems:
    """Lines that gave no rows: counted, and the first ones described."""

    count: int = 0
    shown: int = 20
    messages: list[str] = field(default_factory=list)

    def add(self, message: str) -> None:
        self.count += 1
        if len(self.messages) < self.shown:
            self.messages.append(message)


def record_rows(paths: Iterable[str], layout: Layout, problems: Problems) -> Iterator[tuple[dict, dict]]:
    """(record, its rows per table) for every usable line of JSON Lines files ('-' = stdin), streamed."""
    for path in paths:
        fh = sys.stdin.buffer if path == "-" else open(path, "rb")
        try:
            for number, line in enumerate(fh, 1):
                if number == 1 and line.startswith(b"\xef\xbb\xbf"):  # a byte-order mark
                    line = line[3:]
                if not line.strip():
                    continue
                try:
                    record = orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    problems.add(f"{path}:{number}: not JSON ({str(exc).split(':', 1)[0]})")
                    continue
                try:
                    yield record, layout.rows(record)
                except BadRecord as exc:
                    problems.add(f"{path}:{number}: {exc}")
        finally:
            if fh is not sys.stdin.buffer:
                fh.close()
