"""Subcommands for the facts store: load, search, serve, review.

pipeline/cli.py calls `register(subparsers)`; each handler takes the argparse
namespace and returns an exit status: 0 ok, 2 usage error (bad arguments,
missing file, unusable store, optional extra not installed), 3 some input
lines could not be loaded or reviewed.
`python -m pipeline.store.cli COMMAND ...` runs them on their own.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

EXIT_OK, EXIT_USAGE, EXIT_SOME_FAILED = 0, 2, 3
DEFAULT_DB = "outputs/facts.db"


def _err(command: str, message: str) -> None:
    print(f"newsfacts {command}: {message}", file=sys.stderr)


# ---------------------------------------------------------------- load

def cmd_load(args) -> int:
    from .records import LoadStats, read_records
    from .sqlite import StoreError

    missing = [p for p in args.records if p != "-" and not Path(p).is_file()]
    if missing:
        _err("load", f"no such file: {', '.join(missing)}")
        return EXIT_USAGE
    stats = LoadStats()
    started = time.perf_counter()
    try:
        records = read_records(args.records, stats)
        if args.db.startswith(("postgresql://", "postgres://")):
            from . import postgres
            postgres.load(records, args.db, stats)
            target = "PostgreSQL"
        else:
            from . import sqlite
            sqlite.load(records, args.db, stats)
            target = args.db
    except StoreError as exc:
        _err("load", str(exc))
        return EXIT_USAGE
    except OSError as exc:
        _err("load", str(exc))
        return EXIT_USAGE
    if not args.quiet:
        for message in stats.messages:
            _err("load", message)
        print(stats.line(time.perf_counter() - started, target), file=sys.stderr)
    return EXIT_SOME_FAILED if stats.invalid else EXIT_OK


# ---------------------------------------------------------------- search

def cmd_search(args) -> int:
    from .search import Query, Searcher, UsageError, render_hit
    from .sqlite import StoreError, connect

    query = Query(text=" ".join(args.query) if args.query else None, code=args.code, official=args.official,
                  province=args.province, date_from=args.date_from, date_to=args.date_to, limit=args.limit)
    try:
        conn = connect(args.db, readonly=True)
    except StoreError as exc:
        _err("search", str(exc))
        return EXIT_USAGE
    try:
        hits = Searcher(conn).search(query)
    except UsageError as exc:
        _err("search", str(exc))
        return EXIT_USAGE
    finally:
        conn.close()
    try:
        if args.json:
            for hit in hits:
                print(json.dumps(hit.to_json(), ensure_ascii=False))
        else:
            bold = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
            for hit in hits:
                print(render_hit(hit, bold))
        sys.stdout.flush()
    except BrokenPipeError:  # `newsfacts search ... | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    if not hits:
        print("no hits", file=sys.stderr)
    return EXIT_OK


# ---------------------------------------------------------------- serve

def cmd_serve(args) -> int:
    from .serve import datasette_available, serve

    db = Path(args.db)
    if not db.is_file():
        _err("serve", f"no such store: {db} (build it with: newsfacts load RECORDS.jsonl --db {db})")
        return EXIT_USAGE
    if not datasette_available():
        _err("serve", "needs Datasette: pip install 'newsfacts[serve]'")
        return EXIT_USAGE
    return serve(db, host=args.host, port=args.port)


# ---------------------------------------------------------------- review

def cmd_review(args) -> int:
    from ..review import write_review

    if not Path(args.records).is_file():
        _err("review", f"no such file: {args.records}")
        return EXIT_USAGE
    try:
        summary = write_review(args.records, args.output)
    except OSError as exc:
        _err("review", str(exc))
        return EXIT_USAGE
    if not args.quiet:
        for problem in summary["problems"]:
            _err("review", f"skipped {problem}")
        print(f"newsfacts review: {summary['articles']} article pages, {summary['invalid']} invalid lines -> "
              f"{Path(args.output) / 'index.html'}", file=sys.stderr)
    return EXIT_SOME_FAILED if summary["invalid"] else EXIT_OK


# ---------------------------------------------------------------- wiring

def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"port out of range: {port}")
    return port


def _limit(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def register(subparsers) -> None:
    """Add load, search, serve and review to the newsfacts command line."""
    fmt = argparse.RawDescriptionHelpFormatter

    ld = subparsers.add_parser(
        "load", help="load records into a SQLite (or PostgreSQL) facts store", formatter_class=fmt,
        description="Load records (JSON Lines) into normalized tables with full-text search. Loading the same "
                    "records again changes nothing; an article whose record changed replaces its rows.",
        epilog="examples:\n"
               "  newsfacts load outputs/records.jsonl --db outputs/facts.db\n"
               "  newsfacts load outputs/records.jsonl --db postgresql://user@localhost/newsfacts")
    ld.add_argument("records", nargs="+", metavar="RECORDS", help="records file(s), JSON Lines; - for stdin")
    ld.add_argument("--db", default=DEFAULT_DB,
                    help="SQLite file, or a postgresql:// URL (needs the postgres extra) (default: %(default)s)")
    ld.add_argument("--quiet", "-q", action="store_true", help="no summary on stderr")
    ld.set_defaults(func=cmd_load)

    se = subparsers.add_parser(
        "search", help="search the facts store: text, document code, official, province, dates", formatter_class=fmt,
        description="Search the SQLite store and print each hit with its article, date and sentence "
                    "(matches in bold on a terminal, in [brackets] otherwise). Filters combine with AND. "
                    "--from/--to use the publication date, or for an undated article any date it names.",
        epilog="examples:\n"
               "  newsfacts search --code 57-nq/tw\n"
               "  newsfacts search --official \"Nguyễn Văn Gấu\" --from 2025-01\n"
               "  newsfacts search --province \"Bac Giang\"      # also finds Bac Ninh, flagged 'via merger'\n"
               "  newsfacts search \"chuyển đổi số\" --province \"Bac Ninh\" --json")
    se.add_argument("query", nargs="*", metavar="QUERY", help="free text (all words must occur; \"quote\" a phrase)")
    se.add_argument("--db", default=DEFAULT_DB, help="SQLite store (default: %(default)s)")
    se.add_argument("--code", help="document code, written any way: 57-NQ/TW, 57 - nq/tw, 204-QĐ/TW")
    se.add_argument("--official", help="official's name, diacritics optional; all its words must match")
    se.add_argument("--province", help="province; pre-2025 names also find the merged unit and back")
    se.add_argument("--from", dest="date_from", metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD (inclusive)")
    se.add_argument("--to", dest="date_to", metavar="DATE", help="YYYY, YYYY-MM or YYYY-MM-DD (inclusive)")
    se.add_argument("--limit", type=_limit, default=20, help="at most this many hits (default: %(default)s)")
    se.add_argument("--json", action="store_true", help="one JSON object per hit (JSON Lines)")
    se.set_defaults(func=cmd_search)

    sv = subparsers.add_parser(
        "serve", help="browse the facts store in Datasette", formatter_class=fmt,
        description="Start Datasette on the SQLite store with table descriptions, facets, full-text search "
                    "and canned queries. Needs the serve extra (pip install 'newsfacts[serve]').",
        epilog="example:\n  newsfacts serve --db outputs/facts.db --port 8001   # then open http://127.0.0.1:8001/")
    sv.add_argument("--db", default=DEFAULT_DB, help="SQLite store (default: %(default)s)")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s, this machine only)")
    sv.add_argument("--port", type=_port, default=8001, help="port (default: %(default)s)")
    sv.set_defaults(func=cmd_serve)

    rv = subparsers.add_parser(
        "review", help="write static HTML pages to review what was extracted", formatter_class=fmt,
        description="One HTML page per article with every extracted span highlighted by type (the normalized "
                    "value shows on hover), and an index: every article in a table that sorts and filters, "
                    "cited documents by month, provinces and officials (click one to list its articles).",
        epilog="example:\n  newsfacts review outputs/records.jsonl -o outputs/review/   # open outputs/review/index.html")
    rv.add_argument("records", metavar="RECORDS", help="records file, JSON Lines")
    rv.add_argument("-o", "--output", default="outputs/review", help="folder to write (default: %(default)s)")
    rv.add_argument("--quiet", "-q", action="store_true", help="no summary on stderr")
    rv.set_defaults(func=cmd_review)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="newsfacts", description="newsfacts facts store commands")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    register(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
