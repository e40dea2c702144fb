"""Load records into PostgreSQL (psycopg 3, the optional `postgres` extra).

Same tables as SQLite (schema.sql with its PostgreSQL lines), same rows
(records.RowBuilder), written with COPY. Same rules: unchanged records are
skipped, changed ones replace the article's rows, one transaction per load.
"""
from __future__ import annotations

from typing import Iterable

from .gazetteer import Gazetteer
from .records import (PROVINCE_COLUMNS, STORE_SCHEMA_VERSION, Ids, LoadStats, RowBuilder, batches, check_tables, id_columns,
                      province_rows, schema_is_current, schema_sql, stage_batch, tables)
from .sqlite import StoreError

BATCH = 2000


def _psycopg():
    try:
        import psycopg
    except ImportError:
        raise StoreError("loading into PostgreSQL needs psycopg: pip install 'newsfacts[postgres]'") from None
    return psycopg


def _clean(value):
    # PostgreSQL text cannot hold NUL; U+FFFD keeps the length, so offsets stay right.
    return value.replace("\x00", "\ufffd") if isinstance(value, str) and "\x00" in value else value


def ensure_schema(conn) -> None:
    row = None
    if conn.execute("SELECT to_regclass('store_meta')").fetchone()[0]:
        row = conn.execute("SELECT value FROM store_meta WHERE key = 'schema_version'").fetchone()
    if schema_is_current(row[0] if row else None, "database"):
        check_tables(lambda table: {name for (name,) in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = %s", [table])}, "database")
        return
    with conn.transaction():
        conn.execute(schema_sql("postgres"))
        conn.execute("INSERT INTO store_meta (key, value) VALUES ('schema_version', %s)", [STORE_SCHEMA_VERSION])


def _copy(cur, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(tuple(_clean(v) for v in row))


def load(records: Iterable[tuple[dict, str]], url: str, stats: LoadStats | None = None,
         gazetteer: Gazetteer | None = None, batch_size: int = BATCH) -> LoadStats:
    psycopg = _psycopg()
    stats = stats or LoadStats()
    gazetteer = gazetteer or Gazetteer()
    try:
        conn = psycopg.connect(url, autocommit=True)  # transactions are explicit below
    except psycopg.OperationalError as exc:
        raise StoreError(f"cannot connect to PostgreSQL: {str(exc).strip()}") from None
    with conn:
        ensure_schema(conn)
        with conn.transaction(), conn.cursor() as cur:
            # One loader at a time: ids are handed out from the current maxima.
            cur.execute("LOCK TABLE articles IN EXCLUSIVE MODE")
            cols = ", ".join(PROVINCE_COLUMNS)
            updates = ", ".join(f"{c} = excluded.{c}" for c in PROVINCE_COLUMNS[1:])
            changed = " OR ".join(f"provinces.{c} IS DISTINCT FROM excluded.{c}" for c in PROVINCE_COLUMNS[1:])
            cur.executemany(f"INSERT INTO provinces ({cols}) VALUES ({', '.join('%s' for _ in PROVINCE_COLUMNS)}) "
                            f"ON CONFLICT (id) DO UPDATE SET {updates} WHERE {changed}", province_rows(gazetteer))
            start = {}
            for table, column in id_columns().items():
                cur.execute(f"SELECT COALESCE(MAX({column}), 0) FROM {table}")
                start[table] = cur.fetchone()[0]
            ids = Ids(start)
            for batch in batches(records, batch_size, stats):
                cur.execute("SELECT doc_id, record_sha256 FROM article_details WHERE doc_id = ANY(%s)",
                            [[r["doc_id"] for r, _ in batch]])
                stored = dict(cur.fetchall())
                builder = RowBuilder(ids, gazetteer, stats, with_fts=False)
                replace = stage_batch(batch, stored, builder, stats)
                if replace:
                    cur.execute("DELETE FROM articles WHERE doc_id = ANY(%s)", [replace])
                for table, columns in tables().items():
                    if builder.rows[table]:
                        _copy(cur, table, columns, builder.rows[table])
    return stats
