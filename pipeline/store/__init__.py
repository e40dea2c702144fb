"""The facts store: records (JSON Lines) -> SQLite or PostgreSQL tables, search, Datasette.

    validate.py   check a record before loading (a bad one is skipped whole)
    records.py    record -> table rows (shared by both engines), schema_sql()
    gazetteer.py  provinces before/after the 2025 merger
    sqlite.py     load into SQLite (FTS5)          postgres.py  load with COPY (psycopg 3)
    search.py     `newsfacts search`               serve.py     `newsfacts serve` (Datasette)
    datasette_plugin.py  cell rendering, folded search and the home page for Datasette
    cli.py        the load/search/serve/review subcommands
    schema.sql    the one schema file, both engines (the fixed tables)
    fact_tables.py  each fact type's tables, from its `store` entry in patterns/manifest.json

Optional packages are imported only by the module that needs them. See docs/store.md.
"""
from __future__ import annotations


def load(records_path: str, db: str):
    """Load a records file into `db` (a SQLite path or a postgresql:// URL); returns the LoadStats."""
    from .records import LoadStats, read_records

    stats = LoadStats()
    records = read_records([records_path], stats)
    from .sqlite import is_postgres_url

    if is_postgres_url(db):
        from . import postgres
        return postgres.load(records, db, stats)
    from . import sqlite
    return sqlite.load(records, db, stats)
