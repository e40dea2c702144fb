"""From records (JSON Lines) to table rows, the same for every database engine.

`RowBuilder.add(record)` turns one record into tuples for each table, in the
column order of `TABLES` (which must match schema.sql; a test checks it).
Ids are handed out here, so a whole batch can be written with executemany or
COPY and its foreign keys are already right.
"""
from __future__ import annotations

import hashlib
import json
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import regex

from ..text import fold, fold_key, fold_name
from .gazetteer import Gazetteer

RECORD_SCHEMA_VERSION = 1   # the record contract this loader reads
STORE_SCHEMA_VERSION = "1"  # the tables in schema.sql

SCHEMA_FILE = Path(__file__).with_name("schema.sql")

MENTION_COLUMNS = ("doc_id", "start_char", "end_char", "text", "rule", "sentence_id")

# Table -> columns, in the order rows are built and written (parents first).
TABLES: dict[str, tuple[str, ...]] = {
    "articles": ("article_id", "doc_id", "record_sha256", "source_path", "source_sha256", "url", "publisher",
                 "source_format", "source_encoding", "title", "published", "language", "language_confidence",
                 "warnings", "error_kind", "error_message", "text"),
    "language_segments": ("id", "doc_id", "start_char", "end_char", "language", "confidence"),
    "sentences": ("id", "doc_id", "start_char", "end_char", "text"),
    "authors": ("id", "doc_id", "name"),
    "author_mentions": ("id", "author_id") + MENTION_COLUMNS,
    "documents": ("id", "doc_id", "code", "code_key", "number", "year", "family", "type", "type_label",
                  "issuer", "issuer_label", "issued", "issued_by"),
    "document_mentions": ("id", "document_id") + MENTION_COLUMNS,
    "officials": ("id", "doc_id", "name", "key", "province"),
    "posts": ("id", "official_id", "doc_id", "position", "post", "post_type"),
    "official_mentions": ("id", "official_id") + MENTION_COLUMNS,
    "article_provinces": ("id", "doc_id", "province_id", "name", "name_vi", "code", "merged_into", "merged_into_code"),
    "province_mentions": ("id", "article_province_id") + MENTION_COLUMNS,
    "dates": ("id", "doc_id", "value", "year_inferred"),
    "date_mentions": ("id", "date_id") + MENTION_COLUMNS,
    "periods": ("id", "doc_id", "value", "start_year", "end_year"),
    "period_mentions": ("id", "period_id") + MENTION_COLUMNS,
}
PROVINCE_COLUMNS = ("id", "name", "name_vi", "code", "era", "merged_into", "merged_into_code", "merged_from", "variants")

# The SQLite-only full-text tables: rowid + folded text columns.
FTS_TABLES = {"articles_fts": ("rowid", "title", "text"), "sentences_fts": ("rowid", "text")}


def schema_sql(dialect: str) -> str:
    """schema.sql with only the lines for `dialect` ('sqlite' or 'postgres')."""
    keep, lines = True, []
    for line in SCHEMA_FILE.read_text(encoding="utf-8").splitlines():
        marker = line.strip()
        if marker.startswith("-- @dialect "):
            which = marker.split()[-1]
            keep = which in ("all", dialect)
            continue
        if keep:
            lines.append(line)
    return "\n".join(lines) + "\n"


_DASHES = regex.compile(r"[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]")
_SPACE = regex.compile(r"\s+")


def code_key(code: str) -> str:
    """A document code as search compares it: '57 - nq/tw' and '204-QĐ/TW' -> '57-NQ/TW', '204-QD/TW'."""
    text = unicodedata.normalize("NFKC", fold(code))
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _SPACE.sub("", _DASHES.sub("-", text)).upper()


def record_sha256(record: dict) -> str:
    """Hash of a record given as a dict (records read from a file hash their line instead)."""
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def hashed(records: Iterable[dict]) -> Iterator[tuple[dict, str]]:
    """(record, hash) pairs for records built in Python, as the loaders take them."""
    for record in records:
        yield record, record_sha256(record)


# ---------------------------------------------------------------- reading

@dataclass
class LoadStats:
    read: int = 0          # records read from the file(s)
    inserted: int = 0      # new articles
    replaced: int = 0      # articles already in the store whose record changed
    unchanged: int = 0     # articles already in the store with the same record
    failed: int = 0        # error records (stored without facts)
    invalid: int = 0       # lines that are not a usable record (skipped)
    dropped: int = 0       # facts or mentions dropped as malformed
    messages: list[str] = field(default_factory=list)

    def note(self, message: str) -> None:
        if len(self.messages) < 50:
            self.messages.append(message)

    def line(self, seconds: float, target: str) -> str:
        text = (f"newsfacts load: {self.read} records -> {target}: {self.inserted} new, {self.replaced} replaced, "
                f"{self.unchanged} unchanged, {self.failed} failed articles, {self.invalid} invalid lines")
        if self.dropped:
            text += f", {self.dropped} malformed facts/mentions dropped"
        return text + f", {seconds:.2f}s"


def read_records(paths: Iterable[str], stats: LoadStats) -> Iterator[tuple[dict, str]]:
    """(record, hash of its line) from JSON Lines files ('-' = stdin); bad lines are counted and skipped.

    The hash tells the loaders whether the stored article is already this record."""
    for path in paths:
        fh = sys.stdin if path == "-" else open(path, encoding="utf-8-sig")
        try:
            for n, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    stats.invalid += 1
                    stats.note(f"{path}:{n}: not JSON ({exc.msg})")
                    continue
                problem = record_problem(record)
                if problem:
                    stats.invalid += 1
                    stats.note(f"{path}:{n}: {problem}")
                    continue
                stats.read += 1
                yield record, hashlib.sha256(line.strip().encode("utf-8")).hexdigest()
        finally:
            if fh is not sys.stdin:
                fh.close()


def record_problem(record) -> str | None:
    """Why a parsed line cannot be loaded, or None when it can."""
    if not isinstance(record, dict):
        return "not a JSON object"
    if record.get("schema_version") != RECORD_SCHEMA_VERSION:
        return f"schema_version {record.get('schema_version')!r}, this loader reads {RECORD_SCHEMA_VERSION}"
    doc_id = record.get("doc_id")
    if not isinstance(doc_id, str) or not doc_id.strip():
        return "no doc_id"
    return None


def batches(records: Iterable[tuple[dict, str]], size: int) -> Iterator[list[tuple[dict, str]]]:
    """Groups of up to `size` (record, hash) pairs; a doc_id repeated inside one group keeps its last record."""
    group: dict[str, tuple[dict, str]] = {}
    for record, sha in records:
        group.pop(record["doc_id"], None)
        group[record["doc_id"]] = (record, sha)
        if len(group) >= size:
            yield list(group.values())
            group = {}
    if group:
        yield list(group.values())


# ---------------------------------------------------------------- rows

def schema_is_current(stored_version: str | None, where: str) -> bool:
    """True when the store already has this schema; False when it has none yet.
    A store built by another schema version is refused (load into a new one)."""
    if stored_version is None:
        return False
    if stored_version == STORE_SCHEMA_VERSION:
        return True
    from .sqlite import StoreError

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
        self._next = {table: start.get(table, 0) for table in TABLES}

    def take(self, table: str) -> int:
        self._next[table] += 1
        return self._next[table]


def _str(value) -> str | None:
    return value if isinstance(value, str) and value != "" else None


def _int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _float(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


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


class RowBuilder:
    """Collects the rows of a batch of records, table by table."""

    def __init__(self, ids: Ids, gazetteer: Gazetteer, stats: LoadStats, with_fts: bool):
        self.ids, self.gazetteer, self.stats, self.with_fts = ids, gazetteer, stats, with_fts
        self.rows: dict[str, list[tuple]] = {table: [] for table in TABLES}
        self.fts: dict[str, list[tuple]] = {table: [] for table in FTS_TABLES}
        # the article being added: its id, text, folded text and sentences seen so far
        self._doc_id: str = ""
        self._text: str | None = None
        self._folded: str | None = None
        self._sentences: dict[tuple[int, int], int] = {}

    def add(self, record: dict, sha: str) -> None:
        doc_id = record["doc_id"]
        source = record.get("source") if isinstance(record.get("source"), dict) else {}
        language = record.get("language") if isinstance(record.get("language"), dict) else {}
        error = record.get("error") if isinstance(record.get("error"), dict) else None
        text = record.get("text") if isinstance(record.get("text"), str) else None
        warnings = [w for w in record.get("warnings") or [] if isinstance(w, str)]
        article_id = self.ids.take("articles")
        title = _str(record.get("title"))
        self.rows["articles"].append((
            article_id, doc_id, sha, _str(source.get("path")), _str(source.get("sha256")), _str(source.get("url")),
            _str(source.get("publisher")), _str(source.get("format")), _str(source.get("encoding")),
            title, _str(record.get("published")), _str(language.get("code")), _float(language.get("confidence")),
            json.dumps(warnings, ensure_ascii=False), _str(error.get("kind")) if error else None,
            _str(error.get("message")) if error else None, text))
        # fold keeps the length, so sentences take their folded text from this slice by slice
        self._folded = fold(text) if (self.with_fts and text) else None
        if self.with_fts:
            self.fts["articles_fts"].append((article_id, fold(title or ""), self._folded or ""))
        if error is not None:
            self.stats.failed += 1
            return  # a failed article keeps its error and no facts
        for seg in language.get("segments") or []:
            if isinstance(seg, dict) and _int(seg.get("start")) is not None and _int(seg.get("end")) is not None:
                self.rows["language_segments"].append((
                    self.ids.take("language_segments"), doc_id, _int(seg["start"]), _int(seg["end"]),
                    _str(seg.get("code")), _float(seg.get("confidence"))))

        self._sentences = {}
        self._doc_id, self._text = doc_id, text
        for fact in self._facts(record, "authors", "name"):
            fid = self.ids.take("authors")
            self.rows["authors"].append((fid, doc_id, fact["name"]))
            self._mentions("author_mentions", fid, fact)
        for fact in self._facts(record, "codes", "code"):
            fid = self.ids.take("documents")
            self.rows["documents"].append((
                fid, doc_id, fact["code"], code_key(fact["code"]), _str(fact.get("number")), _int(fact.get("year")),
                _str(fact.get("family")), _str(fact.get("type")), _str(fact.get("type_label")), _str(fact.get("issuer")),
                _str(fact.get("issuer_label")), _str(fact.get("issued")), _str(fact.get("issued_by"))))
            self._mentions("document_mentions", fid, fact)
        for fact in self._facts(record, "officials", "name"):
            fid = self.ids.take("officials")
            key = _str(fact.get("key")) or fold_key(fact["name"])
            self.rows["officials"].append((fid, doc_id, fold_name(fact["name"]), key, _str(fact.get("province"))))
            posts = [p for p in fact.get("posts") or [] if isinstance(p, str)]
            types = fact.get("post_types") if isinstance(fact.get("post_types"), list) else []
            for position, post in enumerate(posts):
                post_type = _str(types[position]) if position < len(types) else None
                self.rows["posts"].append((self.ids.take("posts"), fid, doc_id, position, post, post_type))
            self._mentions("official_mentions", fid, fact)
        for fact in self._facts(record, "provinces", "name"):
            fid = self.ids.take("article_provinces")
            row = self.gazetteer.row_for_fact(fact["name"])
            self.rows["article_provinces"].append((
                fid, doc_id, row["id"] if row else None, fact["name"], _str(fact.get("name_vi")), _str(fact.get("code")),
                _str(fact.get("merged_into")), _str(fact.get("merged_into_code"))))
            self._mentions("province_mentions", fid, fact)
        for fact in self._facts(record, "dates", "value"):
            fid = self.ids.take("dates")
            self.rows["dates"].append((fid, doc_id, fact["value"], bool(fact.get("year_inferred"))))
            self._mentions("date_mentions", fid, fact)
        for fact in self._facts(record, "periods", "value"):
            fid = self.ids.take("periods")
            self.rows["periods"].append((fid, doc_id, fact["value"], _int(fact.get("start")), _int(fact.get("end"))))
            self._mentions("period_mentions", fid, fact)

    def _facts(self, record: dict, field_name: str, key: str) -> Iterator[dict]:
        """The well-formed facts of one record field; malformed ones are counted and dropped."""
        items = record.get(field_name)
        if items is None:
            return
        if not isinstance(items, list):
            self.stats.dropped += 1
            self.stats.note(f"{record['doc_id']}: {field_name} is not a list")
            return
        for fact in items:
            if isinstance(fact, dict) and isinstance(fact.get(key), str) and fact[key].strip():
                yield fact
            else:
                self.stats.dropped += 1
                self.stats.note(f"{record['doc_id']}: {field_name} entry without {key}: {str(fact)[:80]}")

    def _mentions(self, table: str, fact_id: int, fact: dict) -> None:
        text = self._text
        for m in fact.get("mentions") or []:
            start, end = (_int(m.get("start")), _int(m.get("end"))) if isinstance(m, dict) else (None, None)
            if start is None or end is None or start < 0 or end < start or (text is not None and end > len(text)):
                self.stats.dropped += 1
                self.stats.note(f"{self._doc_id}: {table} mention with bad offsets: {str(m)[:80]}")
                continue
            written = m.get("text") if isinstance(m.get("text"), str) else (text[start:end] if text else "")
            self.rows[table].append((self.ids.take(table), fact_id, self._doc_id, start, end, written,
                                     _str(m.get("rule")), self._sentence_id(start, end, m.get("sentence"))))

    def _sentence_id(self, start: int, end: int, given) -> int | None:
        text = self._text
        if text is None:
            return None
        if (isinstance(given, (list, tuple)) and len(given) == 2 and all(_int(x) is not None for x in given)
                and 0 <= given[0] <= start and end <= given[1] <= len(text)):
            bounds = (int(given[0]), int(given[1]))
        else:
            bounds = fallback_sentence(text, start, end)
        sid = self._sentences.get(bounds)
        if sid is None:
            sid = self._sentences[bounds] = self.ids.take("sentences")
            sentence = text[bounds[0]:bounds[1]]
            self.rows["sentences"].append((sid, self._doc_id, bounds[0], bounds[1], sentence))
            if self.with_fts:
                self.fts["sentences_fts"].append((sid, self._folded[bounds[0]:bounds[1]]))
        return sid


def province_rows(gazetteer: Gazetteer) -> list[tuple]:
    rows = []
    for r in gazetteer.rows:
        rows.append((r["id"], r["name"], r.get("name_vi"), r.get("code"), r.get("era") or "old",
                     r.get("merged_into"), r.get("merged_into_code"),
                     json.dumps(r["merged_from"], ensure_ascii=False) if r.get("merged_from") else None,
                     json.dumps(r.get("variants") or [], ensure_ascii=False)))
    return rows
