"""From records (JSON Lines) to table rows, the same for every database engine.

`read_records` parses and checks each line (validate.py: a bad record is
skipped whole and counted); `RowBuilder.add(record)` turns one checked record
into tuples for each table, in the column order of `tables()` (which must match
the schema; a test checks it). The fact types' tables come from
patterns/manifest.json (fact_tables.py). Ids are handed out here, so a whole batch can be
written with executemany or COPY and its foreign keys are already right.
"""
from __future__ import annotations

import hashlib
import io
import json
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

import regex

from ..patterns import patterns_dir
from ..text import fold
from .fact_tables import count_columns_sql, counted, fact_table_columns, fact_tables, fact_tables_sql
from .gazetteer import Gazetteer
from .validate import BadRecord, check_record

STORE_SCHEMA_VERSION = "2"  # the tables in schema.sql

SCHEMA_FILE = Path(__file__).with_name("schema.sql")

# The tables that are the same whatever the fact types, in the order rows are written (parents first);
# "@counts" is where the count columns of the counted fact types go.
FIXED_TABLES: dict[str, tuple[str, ...]] = {
    "articles": ("doc_id", "title", "published", "publisher", "language", "@counts", "url", "error_kind",
                 "article_id"),
    "article_details": ("doc_id", "text", "warnings", "error_message", "language_confidence", "source_path",
                        "source_sha256", "source_format", "source_encoding", "record_sha256"),
    "language_segments": ("id", "doc_id", "start_char", "end_char", "language", "confidence"),
    "sentences": ("id", "doc_id", "text", "start_char", "end_char"),
}


def tables() -> dict[str, tuple[str, ...]]:
    """Table -> columns, in the order rows are built and written: the fixed tables, then the fact types'."""
    return _tables(patterns_dir())


@lru_cache(maxsize=None)
def _tables(root: Path) -> dict[str, tuple[str, ...]]:
    fixed = {table: tuple(c for column in columns for c in (counted() if column == "@counts" else (column,)))
             for table, columns in FIXED_TABLES.items()}
    return fixed | fact_table_columns()


def id_columns() -> dict[str, str]:
    """The id column of each table whose ids the loader hands out."""
    return {table: "article_id" if table == "articles" else "id" for table in tables() if table != "article_details"}


PROVINCE_COLUMNS = ("id", "name", "name_vi", "code", "era", "merged_into", "merged_into_code", "merged_from", "variants")

# The SQLite-only full-text tables: rowid + folded, masked text columns.
FTS_TABLES = {"articles_fts": ("rowid", "title", "text"), "sentences_fts": ("rowid", "text")}


def schema_sql(dialect: str) -> str:
    """schema.sql with only the lines for `dialect` ('sqlite' or 'postgres'), and the fact types' tables."""
    keep, lines = True, []
    for line in SCHEMA_FILE.read_text(encoding="utf-8").splitlines():
        marker = line.strip()
        if marker.startswith("-- @counts"):
            lines.append(count_columns_sql())
            continue
        if marker.startswith("-- @fact tables"):
            lines.append(fact_tables_sql())
            continue
        if marker.startswith("-- @dialect "):
            which = marker.split()[-1]
            keep = which in ("all", dialect)
            continue
        if keep:
            lines.append(line)
    return "\n".join(lines) + "\n"


def record_sha256(record: dict) -> str:
    """Hash of a record given as a dict (records read from a file hash their line instead)."""
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


# ---------------------------------------------------------------- reading

@dataclass
class LoadStats:
    read: int = 0          # records read and loadable
    inserted: int = 0      # new articles
    replaced: int = 0      # articles already in the store whose record changed
    unchanged: int = 0     # articles already in the store with the same record
    failed: int = 0        # error records (stored with their error, without facts)
    invalid: int = 0       # lines skipped: not JSON, or a record that cannot be stored as it is
    repeated: int = 0      # records dropped for a later one with the same doc_id in the same batch
    messages: list[str] = field(default_factory=list)

    def note(self, message: str) -> None:
        if len(self.messages) < 50:
            self.messages.append(message)

    def skip(self, where: str, problem: str) -> None:
        self.invalid += 1
        self.note(f"{where}: {problem} -- skipped")

    def line(self, seconds: float, target: str) -> str:
        repeated = f", {self.repeated} repeated doc_ids (the last record kept)" if self.repeated else ""
        return (f"newsfacts load: {self.read} records -> {target}: {self.inserted} new, {self.replaced} replaced, "
                f"{self.unchanged} unchanged, {self.failed} failed articles, {self.invalid} lines skipped"
                f"{repeated}, {seconds:.2f}s")


def read_records(paths: Iterable[str], stats: LoadStats) -> Iterator[tuple[dict, str]]:
    """(checked record, hash of its line) from JSON Lines files ('-' = stdin).

    Lines that are not JSON or not a storable record are counted and skipped.
    The hash tells the loaders whether the stored article is already this record."""
    for path in paths:
        # Bytes that are not UTF-8 become lone surrogates, which check_record reports: one bad
        # line must not stop the file.
        fh = (io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig", errors="surrogateescape") if path == "-"
              else open(path, encoding="utf-8-sig", errors="surrogateescape"))
        try:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    record = check_record(json.loads(line))
                except json.JSONDecodeError as exc:
                    stats.skip(f"{path}:{n}", f"not JSON ({exc.msg})")
                    continue
                except (BadRecord, RecursionError) as exc:
                    stats.skip(f"{path}:{n}", str(exc) if isinstance(exc, BadRecord) else "nested too deeply")
                    continue
                stats.read += 1
                yield record, hashlib.sha256(line.strip().encode("utf-8", "surrogateescape")).hexdigest()
        finally:
            if path != "-":
                fh.close()


def from_dicts(records: Iterable[dict], stats: LoadStats) -> Iterator[tuple[dict, str]]:
    """(checked record, hash) for records built in Python, as the loaders take them."""
    for n, record in enumerate(records, 1):
        try:
            checked = check_record(record)
        except BadRecord as exc:
            stats.skip(f"record {n}", str(exc))
            continue
        stats.read += 1
        yield checked, record_sha256(record)


def batches(records: Iterable[tuple[dict, str]], size: int, stats: LoadStats) -> Iterator[list[tuple[dict, str]]]:
    """Groups of up to `size` (record, hash) pairs; a doc_id repeated inside one group keeps its last record
    (a repeat in a later group replaces the stored one, as a reload would)."""
    group: dict[str, tuple[dict, str]] = {}
    for record, sha in records:
        if group.pop(record["doc_id"], None) is not None:
            stats.repeated += 1
        group[record["doc_id"]] = (record, sha)
        if len(group) >= size:
            yield list(group.values())
            group = {}
    if group:
        yield list(group.values())


# ---------------------------------------------------------------- rows

class StoreError(Exception):
    """The database cannot be used as a newsfacts store (wrong schema version, not SQLite...)."""


def missing_columns(columns_of) -> list[str]:
    """The tables (or table.column) this newsfacts writes that the store lacks.
    `columns_of(table)` gives the set of a stored table's columns (empty if there is no such table)."""
    missing = []
    for table, columns in tables().items():
        have = columns_of(table)
        missing += [table] if not have else [f"{table}.{c}" for c in columns if c not in have]
    return missing


def check_tables(columns_of, where: str) -> None:
    """Refuse a store built for other fact types (patterns/manifest.json changed since): it has not their tables."""
    missing = missing_columns(columns_of)
    if missing:
        raise StoreError(f"the store has no {', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}: it was built "
                         f"for other fact types (patterns/manifest.json); load into a new {where}")


def schema_is_current(stored_version: str | None, where: str) -> bool:
    """True when the store already has this schema; False when it has none yet.
    A store built by another schema version is refused (load into a new one)."""
    if stored_version is None:
        return False
    if stored_version == STORE_SCHEMA_VERSION:
        return True
    raise StoreError(f"store has schema version {stored_version}, this newsfacts writes {STORE_SCHEMA_VERSION}: "
                     f"load into a new {where}")


def stage_batch(batch: list[tuple[dict, str]], stored: dict[str, str], builder: "RowBuilder",
                stats: LoadStats) -> list[str]:
    """Sort one batch against what the store holds: skip unchanged records, build rows
    for new and changed ones. Returns the doc_ids whose old rows must be deleted first."""
    replace = []
    for record, sha in batch:
        old = stored.get(record["doc_id"])
        if old == sha:
            stats.unchanged += 1
            continue
        if old is not None:
            replace.append(record["doc_id"])
            stats.replaced += 1
        else:
            stats.inserted += 1
        builder.add(record, sha)
    return replace


class Ids:
    """Hands out the next id per table, starting after what the store holds."""

    def __init__(self, start: dict[str, int]):
        self._next = {table: start.get(table, 0) for table in id_columns()}

    def take(self, table: str) -> int:
        self._next[table] += 1
        return self._next[table]


# A sentence ends at . ! ? ; … before a capital or digit, or at a line break.
# Starts only at the first mark of a run, so a long run of dots costs linear time.
_SENTENCE_END = regex.compile(r"(?<![.!?;…])[.!?;…]++(?=\s+[\p{Lu}\p{N}«\"“(])|\n")


def fallback_sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end) when a record gives none: from the last
    sentence end before it to the next one after it."""
    left = 0
    for m in _SENTENCE_END.finditer(text, max(0, start - 1000), start):
        left = m.end()
    m = _SENTENCE_END.search(text, end)
    right = (m.start() if m.group() == "\n" else m.end()) if m else len(text)
    while left < start and text[left].isspace():
        left += 1
    return left, max(right, end)


@lru_cache(maxsize=1)
def _cleaner():
    from ..clean import Cleaner

    return Cleaner()


def searchable_text(text: str) -> str:
    """The text as the full-text index holds it: masked as extraction masks it (site
    chrome, link lists, URLs, bylines blanked), then folded. Same length as `text`."""
    from ..article import Article

    article = Article(doc_id="", text=text)
    _cleaner()(article)
    return fold(article.masked)


class RowBuilder:
    """Collects the rows of a batch of checked records (validate.check_record), table by table."""

    def __init__(self, ids: Ids, gazetteer: Gazetteer, stats: LoadStats, with_fts: bool):
        self.ids, self.gazetteer, self.stats, self.with_fts = ids, gazetteer, stats, with_fts
        self.rows: dict[str, list[tuple]] = {table: [] for table in tables()}
        self.fts: dict[str, list[tuple]] = {table: [] for table in FTS_TABLES}
        # the article being added: its id, text, searchable text and sentences seen so far
        self._doc_id: str = ""
        self._text: str | None = None
        self._searchable: str | None = None
        self._sentences: dict[tuple[int, int], int] = {}

    def add(self, record: dict, sha: str) -> None:
        doc_id, text = record["doc_id"], record["text"]
        source, language, error = record["source"], record["language"], record["error"] or {}
        article_id = self.ids.take("articles")
        self.rows["articles"].append((
            doc_id, record["title"], record["published"], source["publisher"], language["code"],
            *(len(record[f]) for f in counted()), source["url"], error.get("kind"), article_id))
        self.rows["article_details"].append((
            doc_id, text, json.dumps(record["warnings"], ensure_ascii=False), error.get("message"),
            language["confidence"], source["path"], source["sha256"], source["format"], source["encoding"], sha))
        self._doc_id, self._text, self._sentences = doc_id, text, {}
        self._searchable = searchable_text(text) if (self.with_fts and text) else None
        if self.with_fts:
            self.fts["articles_fts"].append((article_id, fold(record["title"] or ""), self._searchable or ""))
        if record["error"] is not None:
            self.stats.failed += 1
            return  # a failed article keeps its error and no facts
        for seg in language["segments"]:
            self.rows["language_segments"].append((self.ids.take("language_segments"), doc_id, seg["start"],
                                                   seg["end"], seg["code"], seg["confidence"]))
        for fact_table in fact_tables():   # (in the store's order: it hands out the sentence ids)
            self._add_facts(fact_table, record[fact_table.field])

    def _add_facts(self, table, facts: list[dict]) -> None:
        """The rows of one fact type's facts: the fact row, its list rows, its mention rows."""
        for fact in facts:
            fid = self.ids.take(table.table)
            fact_value = fact[table.value]
            self.rows[table.table].append((fid, self._doc_id, *(
                self._mentions(table.mentions, fid, fact) if column.source is None
                else column.value(fact, fact_value, self.gazetteer) for column in table.columns)))
            for lst in table.lists:
                first, *others = lst.columns
                for position, item in enumerate(fact[first.source]):
                    more = [fact[c.source][position] if position < len(fact[c.source]) else None for c in others]
                    self.rows[lst.table].append((self.ids.take(lst.table), fid, self._doc_id, position, item, *more))

    def _mentions(self, table: str, fact_id: int, fact: dict) -> int | None:
        """Add the fact's mention rows; returns the sentence id of its first mention (None without text)."""
        first = None
        for m in fact["mentions"]:
            sentence_id = self._sentence_id(m["start"], m["end"], m["sentence"])
            first = first or sentence_id
            self.rows[table].append((self.ids.take(table), fact_id, self._doc_id, m["start"], m["end"], m["text"],
                                     m["rule"], sentence_id))
        return first

    def _sentence_id(self, start: int, end: int, given: tuple[int, int] | None) -> int | None:
        text = self._text
        if text is None:
            return None
        bounds = given or fallback_sentence(text, start, end)
        sid = self._sentences.get(bounds)
        if sid is None:
            sid = self._sentences[bounds] = self.ids.take("sentences")
            self.rows["sentences"].append((sid, self._doc_id, text[bounds[0]:bounds[1]], bounds[0], bounds[1]))
            if self.with_fts:
                self.fts["sentences_fts"].append((sid, self._searchable[bounds[0]:bounds[1]]))
        return sid


def province_rows(gazetteer: Gazetteer) -> list[tuple]:
    rows = []
    for r in gazetteer.rows:
        rows.append((r["id"], r["name"], r.get("name_vi"), r.get("code"), r.get("era") or "old",
                     r.get("merged_into"), r.get("merged_into_code"),
                     json.dumps(r["merged_from"], ensure_ascii=False) if r.get("merged_from") else None,
                     json.dumps(r.get("variants") or [], ensure_ascii=False)))
    return rows
