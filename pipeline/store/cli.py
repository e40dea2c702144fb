"""Subcommands for the facts store: load, search, serve, review.

pipeline/cli.py calls `register(subparsers)`; each handler takes the argparse
namespace and returns an exit status: 0 ok, 1 search found nothing (grep's
habit), 2 usage error (bad arguments, missing file, unusable store, optional
extra not installed), 3 some input lines could not be loaded or reviewed.
`python -m pipeline.store.cli COMMAND ...` runs them on their own.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

EXIT_OK, EXIT_NO_HITS, EXIT_USAGE, EXIT_SOME_FAILED = 0, 1, 2, 3
DEFAULT_DB = "outputs/facts.db"


def _err(command: str, message: str) -> None:
    print(f"newsfacts {command}: {message}", file=sys.stderr)


# ---------------------------------------------------------------- load

def cmd_load(args) -> int:
    from .records import LoadStats, read_records
    from .sqlite import StoreError, is_postgres_url

    missing = [p for p in args.records if p != "-" and not Path(p).is_file()]
    if missing:
        _err("load", f"no such file: {', '.join(missing)}")
        return EXIT_USAGE
    stats = LoadStats()
    started = time.perf_counter()
    try:
        records = read_records(args.records, stats)
        if is_postgres_url(args.db):
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
    from . import search_output as output
    from .search import Query, Searcher, UsageError
    from .sqlite import StoreError, open_store

    query = Query(text=" ".join(args.query) if args.query else None, code=args.code, official=args.official,
                  province=args.province, merger=not args.no_merger, published_from=args.date_from,
                  published_to=args.date_to, cited_from=args.cited_from, cited_to=args.cited_to, limit=args.limit)
    try:
        conn = open_store(args.db)
    except StoreError as exc:
        _err("search", str(exc))
        return EXIT_USAGE
    try:
        result = Searcher(conn).search(query)
    except UsageError as exc:
        _err("search", str(exc))
        return EXIT_USAGE
    finally:
        conn.close()
    try:
        if args.json:
            output.write_json(result, sys.stdout)
        elif args.csv:
            output.write_csv(result, sys.stdout)
        else:
            output.write_text(result, query, sys.stdout, bold=sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
        sys.stdout.flush()
    except BrokenPipeError:  # `newsfacts search ... | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    if args.json or args.csv or not result.hits:  # text output has the summary on top already
        for line in output.summary(result, query):
            _err("search", line)
    return EXIT_OK if result.hits else EXIT_NO_HITS


# ---------------------------------------------------------------- serve

def cmd_serve(args) -> int:
    from .serve import datasette_available, serve
    from .sqlite import StoreError, open_store

    try:
        open_store(args.db).close()   # a SQLite facts store of this schema version, or a clear message
    except StoreError as exc:
        _err("serve", str(exc))
        return EXIT_USAGE
    if not datasette_available():
        _err("serve", "needs Datasette: pip install 'newsfacts[serve]'")
        return EXIT_USAGE
    return serve(Path(args.db), host=args.host, port=args.port, extra_hosts=args.allow_host)


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
    from .search import MAX_LIMIT

    if not value.strip().isdigit():
        raise argparse.ArgumentTypeError(f"not a whole number: {value[:40]!r}")
    n = int(value.strip())
    if not 1 <= n <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_LIMIT}")
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
        description="Search the SQLite store. Each hit is an article -- date, title, publisher, URL -- with the "
                    "sentences that prove it (matches in bold on a terminal, in [brackets] otherwise). Filters "
                    "combine with AND. The first line says how many articles match in all.\n\n"
                    "exit status: 0 hits; 1 no hits; 2 usage error (bad query, no store).",
        epilog="examples:\n"
               "  newsfacts search --code 57-nq/tw\n"
               "  newsfacts search --official \"Nguyễn Văn Gấu\" --from 2025-01\n"
               "  newsfacts search --province \"Bac Giang\"      # also finds Bac Ninh, flagged 'via merger'\n"
               "  newsfacts search --province \"Sài Gòn\" --no-merger\n"
               "  newsfacts search politbur* \"chuyển đổi số\" --csv > hits.csv")
    se.add_argument("query", nargs="*", metavar="QUERY",
                    help="free text: all words must occur; \"quote\" a phrase; word* is a prefix")
    se.add_argument("--db", default=DEFAULT_DB, help="SQLite store (default: %(default)s)")
    se.add_argument("--code", help="document code, written any way: 57-NQ/TW, 57 - nq/tw, 204-QĐ/TW")
    se.add_argument("--official", help="official's name, diacritics optional; all its words must match")
    se.add_argument("--province", help="province by any common name (Sài Gòn, TP HCM); pre-2025 names also find "
                                       "the merged unit and back")
    se.add_argument("--no-merger", action="store_true", help="with --province: that unit alone, not the units "
                                                            "linked to it by the 2025 merger")
    se.add_argument("--from", dest="date_from", metavar="DATE",
                    help="published on or after DATE (the article's own date): YYYY, YYYY-MM or YYYY-MM-DD")
    se.add_argument("--to", dest="date_to", metavar="DATE", help="published on or before DATE")
    se.add_argument("--cited-from", metavar="DATE", help="names a day on or after DATE (dates in the text)")
    se.add_argument("--cited-to", metavar="DATE", help="names a day on or before DATE")
    se.add_argument("--limit", type=_limit, default=20, help="at most this many articles (default: %(default)s)")
    shape = se.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="one JSON object per article, with all its matches")
    shape.add_argument("--csv", action="store_true", help="CSV, one row per match, for a spreadsheet")
    se.set_defaults(func=cmd_search)

    sv = subparsers.add_parser(
        "serve", help="browse the facts store in Datasette", formatter_class=fmt,
        description="Start Datasette on the SQLite store: the articles, searchable sentences with the match "
                    "highlighted, facets, canned queries and charts (datasette-vega). Answers only requests "
                    "addressed to the host it listens on. Ctrl-C or SIGTERM stop it. Needs the serve extra "
                    "(pip install 'newsfacts[serve]').",
        epilog="example:\n  newsfacts serve --db outputs/facts.db --port 8001   # then open http://127.0.0.1:8001/")
    sv.add_argument("--db", default=DEFAULT_DB, help="SQLite store (default: %(default)s)")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s, this machine only)")
    sv.add_argument("--port", type=_port, default=8001, help="port (default: %(default)s)")
    sv.add_argument("--allow-host", action="append", default=[], metavar="NAME",
                    help="also answer requests addressed to NAME (a DNS name of this machine or a proxy); "
                         "other Host names are refused, against DNS rebinding")
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
