"""Subcommands for analysis straight from records files: export and stats.

pipeline/cli.py calls `register(subparsers)`. Exit status: 0 done; 1 the
output could not be written (what was there before is kept); 2 usage error
(missing file, an optional extra not installed); 3 done, but some lines were
not usable records (skipped, and the first ones named on stderr).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_WRITE_FAILED, EXIT_USAGE, EXIT_SOME_SKIPPED = 0, 1, 2, 3


def _err(command: str, message: str) -> None:
    print(f"newsfacts {command}: {message}", file=sys.stderr)


def _missing(command: str, paths: list[str]) -> bool:
    missing = [p for p in paths if p != "-" and not Path(p).is_file()]
    if missing:
        _err(command, f"no such file: {', '.join(missing)}")
    return bool(missing)


def _report_skipped(command: str, count: int, messages: list[str]) -> None:
    for message in messages:
        _err(command, f"skipped {message}")
    if count > len(messages):
        _err(command, f"... and {count - len(messages)} more lines skipped")


def cmd_export(args) -> int:
    from .export import ExportError, export

    if _missing("export", args.records):
        return EXIT_USAGE
    try:
        summary = export(args.records, args.output, args.format, with_text=args.with_text)
    except ExportError as exc:
        _err("export", str(exc))
        return EXIT_USAGE
    except OSError as exc:
        _err("export", f"cannot write {args.output}: {exc} (the folder was left as it was)")
        return EXIT_WRITE_FAILED
    problems = summary.problems
    if not args.quiet:
        _report_skipped("export", problems.count, problems.messages)
        rows = ", ".join(f"{name} {n}" for name, n in summary.rows.items())
        _err("export", f"{summary.records} records -> {len(summary.files)} files in {args.output} "
                       f"({args.format}): {rows}; {problems.count} lines skipped")
    return EXIT_SOME_SKIPPED if problems.count else EXIT_OK


def cmd_stats(args) -> int:
    from .charts import INSTALL_HINT, plotting_available, write_charts
    from .stats import compute, dumps, render

    if _missing("stats", args.records):
        return EXIT_USAGE
    if args.plot and not plotting_available():
        _err("stats", INSTALL_HINT)
        return EXIT_USAGE
    result = compute(args.records, top=args.top)
    _report_skipped("stats", result["records"]["invalid_lines"], result["problems"])
    try:
        sys.stdout.write(dumps(result) + "\n" if args.json else render(result))
        sys.stdout.flush()
    except BrokenPipeError:  # `newsfacts stats ... | head`: the reader has had enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if args.plot:
        try:
            written = write_charts(result, args.plot)
        except OSError as exc:
            _err("stats", f"cannot write the charts in {args.plot}: {exc}")
            return EXIT_WRITE_FAILED
        _err("stats", f"{len(written)} charts in {args.plot}: " + ", ".join(p.name for p in written))
    return EXIT_SOME_SKIPPED if result["records"]["invalid_lines"] else EXIT_OK


def _top(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not 1 <= n <= 1000:
        raise argparse.ArgumentTypeError("must be between 1 and 1000")
    return n


def register(subparsers) -> None:
    """Add export and stats to the newsfacts command line."""
    from .export import FORMATS

    fmt = argparse.RawDescriptionHelpFormatter
    ex = subparsers.add_parser(
        "export", help="write the records as flat tables (CSV or Parquet) for pandas, R and DuckDB",
        formatter_class=fmt,
        description="One table per fact type (one row per fact), one per fact type's mentions (one row per\n"
                    "mention, with the fact's fields, offsets, text, rule and sentence bounds), the articles\n"
                    "(title, published, language, url, counts), warnings and errors; columns.csv describes\n"
                    "every column. Streamed: memory does not grow with the number of records. The files\n"
                    "replace those of an earlier export only when the whole export has succeeded.\n\n"
                    "exit status: 0 done; 1 DIR could not be written; 2 usage error;\n"
                    "3 done, but some lines were not usable records (named on stderr).",
        epilog="examples:\n"
               "  newsfacts export outputs/records.jsonl -o outputs/tables/                 # CSV\n"
               "  newsfacts export outputs/records.jsonl --format parquet -o outputs/tables/\n"
               "  duckdb -c \"SELECT type_label, count(*) FROM 'outputs/tables/codes.parquet' GROUP BY 1\"")
    ex.add_argument("records", nargs="+", metavar="RECORDS", help="records file(s), JSON Lines; - for stdin")
    ex.add_argument("--format", "-f", choices=FORMATS, default="csv",
                    help="csv (no extra needed) or parquet (needs pyarrow: the export extra) (default: %(default)s)")
    ex.add_argument("-o", "--output", default="outputs/tables", metavar="DIR",
                    help="folder to write the tables into (default: %(default)s)")
    ex.add_argument("--with-text", action="store_true", help="add each article's whole text to the articles table")
    ex.add_argument("--quiet", "-q", action="store_true", help="no summary on stderr")
    ex.set_defaults(func=cmd_export)

    st = subparsers.add_parser(
        "stats", help="count what the records hold: languages, fact types, documents, provinces, months",
        formatter_class=fmt,
        description="Counts per language, fact type, document type, province (as named, and by the unit it\n"
                    "was merged into on 1 July 2025), month (of publication, of the dates cited, of the\n"
                    "documents' issue dates), the documents and officials most cited, and warnings and\n"
                    "errors by kind.\n\n"
                    "exit status: 0 done; 1 the charts could not be written; 2 usage error;\n"
                    "3 done, but some lines were not usable records (named on stderr).",
        epilog="examples:\n"
               "  newsfacts stats outputs/records.jsonl\n"
               "  newsfacts stats outputs/records.jsonl --json | jq '.provinces_by_merged_unit[:5]'\n"
               "  newsfacts stats outputs/records.jsonl --plot outputs/charts/    # PNG and SVG (the plot extra)")
    st.add_argument("records", nargs="+", metavar="RECORDS", help="records file(s), JSON Lines; - for stdin")
    st.add_argument("--json", action="store_true", help="print the counts as one JSON object")
    st.add_argument("--plot", metavar="DIR",
                    help="also draw charts (documents cited per month, mentions per province, officials most "
                         "cited) as PNG and SVG into DIR; needs matplotlib (the plot extra)")
    st.add_argument("--top", type=_top, default=20, metavar="N",
                    help="how many of the documents and officials most cited to list (and draw) (default: %(default)s)")
    st.set_defaults(func=cmd_stats)
