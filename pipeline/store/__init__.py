"""The facts store: records (JSON Lines) -> SQLite or PostgreSQL tables, search, Datasette.

    records.py    record -> table rows (shared by both engines), schema_sql()
    gazetteer.py  provinces before/after the 2025 merger
    sqlite.py     load into SQLite (FTS5)          postgres.py  load with COPY (psycopg 3)
    search.py     `newsfacts search`               serve.py     `newsfacts serve` (Datasette)
    cli.py        the load/search/serve/review subcommands
    schema.sql    the one schema file, both engines

Optional packages are imported only by the module that needs them. See docs/store.md.
"""
from __future__ import annotations


def load(records_path: str, db: str):
    """Load a records file into `db` (a SQLite path or a postgresql:// URL); returns the LoadStats."""
    from .records import LoadStats, read_records

    stats = LoadStats()
    records = read_records([records_path], stats)
    if db.startswith(("postgresql://", "postgres://")):
        from . import postgres
        return postgres.load(records, db, stats)
    from . import sqlite
    return sqlite.load(records, db, stats)
