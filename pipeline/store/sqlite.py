"""Load records into a SQLite file (stdlib sqlite3, FTS5).

One transaction per load; rows go in with executemany, one statement per
table per batch. An article whose record is byte-for-byte the same as the
stored one is skipped, so loading the same file twice changes nothing; an
article whose record changed has all its rows deleted (ON DELETE CASCADE)
and written again.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Iterable

from .gazetteer import Gazetteer
from .records import (FTS_TABLES, PROVINCE_COLUMNS, STORE_SCHEMA_VERSION, Ids, LoadStats, RowBuilder, StoreError, batches,
                      check_tables, id_columns, province_rows, schema_is_current, schema_sql, stage_batch, tables)

BATCH = 500
_PARAMS_MAX = 900  # stay under SQLite's bound-parameter limit in IN (...) lists


def is_postgres_url(db: str) -> bool:
    return str(db).startswith(("postgresql://", "postgres://"))


def connect(path: str | Path, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        if not Path(path).is_file():
            raise StoreError(f"no such store: {path} (build it with: newsfacts load RECORDS.jsonl --db {path})")
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    else:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(str(path))
    conn.isolation_level = None  # explicit BEGIN/COMMIT below
    conn.execute("PRAGMA foreign_keys = ON")
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path}: not a SQLite database ({exc})") from None
    return conn


def _stored_version(conn: sqlite3.Connection) -> str | None:
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='store_meta'").fetchone():
        return None
    row = conn.execute("SELECT value FROM store_meta WHERE key='schema_version'").fetchone()
    return row[0] if row else None


def open_store(path: str | Path) -> sqlite3.Connection:
    """A read-only connection to a newsfacts store, for search and serve.

    StoreError, with what to do, for a PostgreSQL URL, a missing file, a file
    that is not SQLite, a SQLite file that is not a facts store, or a store
    built by another schema version."""
    if is_postgres_url(str(path)):
        raise StoreError("search and serve work on a SQLite store only (PostgreSQL: query its tables with SQL, "
                         "see docs/store.md). Load the same records into SQLite too: "
                         "newsfacts load RECORDS.jsonl --db outputs/facts.db")
    conn = connect(path, readonly=True)
    try:
        version = _stored_version(conn)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(f"{path}: not a SQLite database ({exc})") from None
    if version != STORE_SCHEMA_VERSION:
        conn.close()
        if version is None:
            raise StoreError(f"{path}: not a newsfacts store (build one with: newsfacts load RECORDS.jsonl --db {path})")
        raise StoreError(f"{path}: a store of schema version {version}, this newsfacts reads {STORE_SCHEMA_VERSION}: "
                         f"load the records again into a new file")
    return conn


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create the tables the first time; refuse a store built by another schema version."""
    if schema_is_current(_stored_version(conn), "file"):
        check_tables(lambda table: {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}, "file")
        return
    script = schema_sql("sqlite")
    conn.executescript("BEGIN;\n" + script + "\nINSERT INTO store_meta (key, value) VALUES "
                       f"('schema_version', '{STORE_SCHEMA_VERSION}');\nCOMMIT;")


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    return f"INSERT INTO {table} ({names}) VALUES ({marks})"


def _chunks(items: list, size: int = _PARAMS_MAX):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _existing(conn: sqlite3.Connection, doc_ids: list[str]) -> dict[str, str]:
    found = {}
    for chunk in _chunks(doc_ids):
        marks = ", ".join("?" for _ in chunk)
        found.update(conn.execute(f"SELECT doc_id, record_sha256 FROM article_details WHERE doc_id IN ({marks})",
                                  chunk))
    return found


def delete_articles(conn: sqlite3.Connection, doc_ids: list[str]) -> None:
    """Remove articles with all their rows; the FTS rows go first (they have no foreign keys)."""
    for chunk in _chunks(doc_ids):
        marks = ", ".join("?" for _ in chunk)
        conn.execute(f"DELETE FROM articles_fts WHERE rowid IN "
                     f"(SELECT article_id FROM articles WHERE doc_id IN ({marks}))", chunk)
        conn.execute(f"DELETE FROM sentences_fts WHERE rowid IN "
                     f"(SELECT id FROM sentences WHERE doc_id IN ({marks}))", chunk)
        conn.execute(f"DELETE FROM articles WHERE doc_id IN ({marks})", chunk)


def _upsert_gazetteer(conn: sqlite3.Connection, gazetteer: Gazetteer) -> None:
    cols = ", ".join(PROVINCE_COLUMNS)
    marks = ", ".join("?" for _ in PROVINCE_COLUMNS)
    updates = ", ".join(f"{c} = excluded.{c}" for c in PROVINCE_COLUMNS[1:])
    # The WHERE clause leaves identical rows untouched, so a reload writes nothing.
    changed = " OR ".join(f"{c} IS NOT excluded.{c}" for c in PROVINCE_COLUMNS[1:])
    conn.executemany(f"INSERT INTO provinces ({cols}) VALUES ({marks}) "
                     f"ON CONFLICT (id) DO UPDATE SET {updates} WHERE {changed}", province_rows(gazetteer))


def load(records: Iterable[tuple[dict, str]], db: str | Path, stats: LoadStats | None = None,
         gazetteer: Gazetteer | None = None, batch_size: int = BATCH) -> LoadStats:
    stats = stats or LoadStats()
    gazetteer = gazetteer or Gazetteer()
    conn = connect(db)
    try:
        ensure_schema(conn)
        conn.execute("BEGIN IMMEDIATE")  # one writer; readers (datasette) keep reading the old state
        _upsert_gazetteer(conn, gazetteer)
        start = {t: conn.execute(f"SELECT COALESCE(MAX({column}), 0) FROM {t}").fetchone()[0]
                 for t, column in id_columns().items()}
        ids = Ids(start)
        for batch in batches(records, batch_size, stats):
            stored = _existing(conn, [r["doc_id"] for r, _ in batch])
            builder = RowBuilder(ids, gazetteer, stats, with_fts=True)
            replace = stage_batch(batch, stored, builder, stats)
            if replace:
                delete_articles(conn, replace)
            for table, columns in tables().items():
                if builder.rows[table]:
                    conn.executemany(_insert_sql(table, columns), builder.rows[table])
            for table, columns in FTS_TABLES.items():
                if builder.fts[table]:
                    conn.executemany(_insert_sql(table, columns), builder.fts[table])
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()
    return stats
