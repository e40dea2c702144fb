"""The command line: a thin layer over the Python API.

    newsfacts extract [INPUT ...] [-o OUT]     (default: corpus/ -> outputs/records.jsonl)
    newsfacts schema
    newsfacts evaluate --gold GOLD --pred RECORDS [--errors]
    newsfacts load | search | serve | review   (the facts store, pipeline/store/)

Exit status: 0 all went well; 2 usage error; 3 some articles failed (their
error records are in OUT, and the summary says how many).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

EXIT_OK, EXIT_USAGE, EXIT_SOME_FAILED = 0, 2, 3
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


class _Formatter(argparse.RawDescriptionHelpFormatter):
    pass


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="newsfacts", formatter_class=_Formatter,
        description="Extract clean, normalized facts from news about Vietnamese Party and State affairs.",
        epilog="example:\n  newsfacts extract corpus/ -o outputs/records.jsonl\n  newsfacts COMMAND --help")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    ex = sub.add_parser(
        "extract", help="extract facts from articles into JSON Lines", formatter_class=_Formatter,
        description="Extract one record per article (JSON Lines, in input order).",
        epilog="examples:\n"
               "  newsfacts extract                                  # corpus/ -> outputs/records.jsonl\n"
               "  newsfacts extract articles/ more.txt -o out.jsonl\n"
               "  cat article.txt | newsfacts extract - -o -\n"
               "  newsfacts extract big/ -o out.jsonl --resume      # continue an interrupted run")
    ex.add_argument("inputs", nargs="*", metavar="INPUT",
                    help="files, directories (recursive: *.txt, *.html, *.htm) or - for stdin (default: the bundled corpus/)")
    ex.add_argument("-o", "--output", default="outputs/records.jsonl", metavar="OUT",
                    help="where to write the records; - for stdout (default: %(default)s)")
    ex.add_argument("--max-bytes", type=int, default=None, metavar="N",
                    help="refuse articles larger than N bytes (default: 20 MiB)")
    ex.add_argument("--no-text", action="store_true", help="leave the article text out of the records")
    ex.add_argument("--quiet", "-q", action="store_true", help="no progress and no summary on stderr")
    ex.set_defaults(func=cmd_extract)

    sc = sub.add_parser("schema", help="print the JSON Schema of a record", formatter_class=_Formatter,
                        description="Print the JSON Schema (draft 2020-12) every record validates against.",
                        epilog="example:\n  newsfacts schema > record.schema.json")
    sc.set_defaults(func=cmd_schema)

    ev = sub.add_parser("evaluate", help="score records against gold annotations", formatter_class=_Formatter,
                        description="Precision, recall and F1 per field and per language (same figures as shared/eval/score.py).",
                        epilog="example:\n  newsfacts evaluate --gold ../shared/gold/seeds.jsonl --pred outputs/records.jsonl --errors")
    ev.add_argument("--gold", required=True, help="gold JSON Lines")
    ev.add_argument("--pred", required=True, help="records JSON Lines")
    ev.add_argument("--errors", action="store_true", help="list every missed and spurious value with its article")
    ev.add_argument("--json", action="store_true", help="print the whole result as JSON")
    ev.set_defaults(func=cmd_evaluate)

    try:
        from .store.cli import register
    except ImportError:
        register = None
    if register:
        register(sub)
    return ap


def main(argv=None) -> int:
    ap = _parser()
    args = ap.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("newsfacts: interrupted", file=sys.stderr)
        return 130


def cmd_schema(args) -> int:
    from .record import schema

    print(json.dumps(schema(), ensure_ascii=False, indent=1))
    return EXIT_OK


def cmd_evaluate(args) -> int:
    from .evaluate import format_report, load, score

    try:
        result = score(load(args.gold), load(args.pred))
    except (OSError, ValueError) as exc:
        print(f"newsfacts evaluate: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
    else:
        print(format_report(result, with_errors=args.errors))
    return EXIT_OK


def cmd_extract(args) -> int:
    from .batch import records_in_order
    from .process import Pipeline
    from .read import DEFAULT_MAX_BYTES
    from .record import dumps

    inputs = args.inputs or [str(DEFAULT_CORPUS)]
    missing = [i for i in inputs if i != "-" and not Path(i).exists()]
    if missing:
        print(f"newsfacts extract: no such file or directory: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    started = time.perf_counter()
    pipeline = Pipeline(include_text=not args.no_text)
    stats = Summary()
    out = sys.stdout if args.output == "-" else None
    if out is None:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        out = open(args.output, "w", encoding="utf-8")
    try:
        for record in records_in_order(inputs, pipeline, args.max_bytes or DEFAULT_MAX_BYTES):
            out.write(dumps(record))
            stats.add(record)
    finally:
        if out is not sys.stdout:
            out.close()
    if not args.quiet:
        print(stats.line(time.perf_counter() - started, args.output), file=sys.stderr)
    return EXIT_SOME_FAILED if stats.errors else EXIT_OK


class Summary:
    """Counts for the one-line summary on stderr."""

    def __init__(self):
        self.articles = self.errors = self.warnings = 0
        self.facts: Counter = Counter()

    def add(self, record: dict) -> None:
        self.articles += 1
        self.warnings += len(record.get("warnings", []))
        if "error" in record:
            self.errors += 1
            return
        for field in ("codes", "dates", "periods", "officials", "provinces", "authors"):
            self.facts[field] += len(record.get(field, []))

    def line(self, seconds: float, output: str) -> str:
        facts = " ".join(f"{k}={self.facts[k]}" for k in ("codes", "dates", "periods", "officials", "provinces", "authors"))
        text = (f"newsfacts: {self.articles} articles, {facts}, {self.warnings} warnings, "
                f"{self.errors} errors, {seconds:.2f}s")
        if self.errors:
            text += f" -- {self.errors} article(s) failed: see the records with an \"error\" field in {output}"
        return text
