"""The command line: a thin layer over the Python API.

    newsfacts extract [INPUT ...] [-o OUT]     (default: corpus/ -> outputs/records.jsonl; - -> stdout)
    newsfacts schema
    newsfacts evaluate --gold GOLD --pred RECORDS [--errors]
    newsfacts load | search | serve | review   (the facts store, pipeline/store/)
    newsfacts export | stats                   (tables and counts, pipeline/analysis_cli.py)

Exit status: 0 all went well; 2 usage error; 3 some articles failed (their
error records are in OUT, and the summary says how many); 4 no articles found.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

EXIT_OK, EXIT_USAGE = 0, 2   # (extract: pipeline/batch.py EXIT_*)
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "corpus"
DEFAULT_OUTPUT = "outputs/records.jsonl"


class _Formatter(argparse.RawDescriptionHelpFormatter):
    pass


def _parser() -> argparse.ArgumentParser:
    from .read import FORMATS, ID_FROM

    ap = argparse.ArgumentParser(
        prog="newsfacts", formatter_class=_Formatter,
        description="Extract clean, normalized facts from news about Vietnamese Party and State affairs.",
        epilog="example:\n  newsfacts extract corpus/ -o outputs/records.jsonl\n  newsfacts COMMAND --help")
    from . import __version__

    ap.add_argument("--version", action="version", version=f"newsfacts {__version__}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    ex = sub.add_parser(
        "extract", help="extract facts from articles into JSON Lines", formatter_class=_Formatter,
        description="Extract one record per article (JSON Lines, in input order, the same bytes\n"
                    "whatever the number of workers or the engine).\n\n"
                    "Safe to stop: OUT is only replaced when the run has finished. Until then the\n"
                    "records go to OUT.partial, whole lines only. If the run is stopped (Ctrl-C,\n"
                    "SIGTERM, kill -9, a full disk), OUT keeps its previous content and OUT.partial\n"
                    "keeps the records done so far: rerun the same command with --resume to skip\n"
                    "them and finish. --resume without an OUT.partial appends the articles missing\n"
                    "from OUT (e.g. new files in the input directory) to OUT itself. A run without\n"
                    "--resume that finds an OUT.partial stops and says how to resume (or --restart).\n\n"
                    "Record files hold one article per row: JSON Lines (.jsonl, .ndjson, .gz), CSV\n"
                    "(.csv, .tsv, .gz), Parquet (.parquet) and WARC (.warc, .warc.gz). The field\n"
                    "options name the row's fields; by default the usual names are tried (text,\n"
                    "content, body...; html; doc_id, id; url, link; published, date; title). A row's\n"
                    "doc_id is its id field, else FILE:ROW (articles.jsonl row 7 -> articles:7).\n\n"
                    "exit status: 0 done; 1 OUT could not be written, or a worker process died;\n"
                    "2 usage error; "
                    "3 some articles failed (error records); 4 no articles found in the inputs;\n"
                    "130/143 stopped by SIGINT/SIGTERM.",
        epilog="examples:\n"
               "  newsfacts extract                                  # corpus/ -> outputs/records.jsonl\n"
               "  newsfacts extract articles/ more.txt -o out.jsonl\n"
               "  cat article.txt | newsfacts extract -               # stdin to stdout\n"
               "  newsfacts extract crawl.warc.gz news.jsonl.gz table.parquet -o out.jsonl\n"
               "  newsfacts extract dump.csv --text-field body --published-field pub_date -o out.jsonl\n"
               "  newsfacts extract site/ --id-from path -o out.jsonl   # site/a/index.html -> a/index.html\n"
               "  newsfacts extract big/ -o out.jsonl --workers 8\n"
               "  newsfacts extract big/ -o out.jsonl --resume      # continue an interrupted run\n"
               "  newsfacts extract /shared/big/ -o out.jsonl --engine dask --scheduler tcp://head:8786")
    ex.add_argument("inputs", nargs="*", metavar="INPUT",
                    help="files, directories (recursive: *.txt, *.html, *.htm and record files) or - for stdin "
                         "(default: the corpus/ of a source checkout)")
    ex.add_argument("-o", "--output", default=None, metavar="OUT",
                    help=f"where to write the records; - for stdout (default: {DEFAULT_OUTPUT}; "
                         "stdout when reading stdin)")
    ex.add_argument("--max-bytes", type=int, default=None, metavar="N",
                    help="refuse articles larger than N bytes (default: 2 MiB)")
    ex.add_argument("--no-text", action="store_true", help="leave the article text out of the records")
    ex.add_argument("--format", choices=FORMATS, default=None,
                    help="read stdin and the files named as INPUT as this format (default: by suffix; stdin: text). "
                         "HTML and WARC need the [html] extra, WARC also [warc], Parquet [parquet]")
    ex.add_argument("--id-from", choices=ID_FROM, default="stem",
                    help="doc_id of a file: its name without the suffix (stem, the default), or its path under "
                         "the directory given as INPUT (path: a/index.html and b/index.html stay apart)")
    fields = ex.add_argument_group("record files (one article per row)")
    for name, what in (("text", "the article text"), ("html", "the article as an HTML page"),
                       ("id", "the doc_id (default: id field, else FILE:ROW)"), ("url", "the source URL"),
                       ("published", "the publication date (YYYY-MM-DD, ISO 8601 or RFC 2822)"),
                       ("title", "the headline")):
        fields.add_argument(f"--{name}-field", metavar="NAME", default=None,
                            help=f"the field holding {what}; a.b for a nested JSON field")
    ex.add_argument("--article-timeout", type=float, default=None, metavar="SECONDS",
                    help="give up on an article after this long: it gets an error record (default: 10, "
                         "or $NEWSFACTS_ARTICLE_BUDGET; 0 turns the limit off)")
    ex.add_argument("--quiet", "-q", action="store_true", help="no progress and no summary on stderr")
    ex.add_argument("--workers", "-j", type=int, default=None, metavar="N",
                    help="worker processes (default: one per CPU core); the main process watches them and "
                         "stops an article stuck past its time budget")
    ex.add_argument("--resume", action="store_true",
                    help="skip the articles already in OUT.partial (or OUT) -- same doc_id, same input bytes -- "
                         "and append the others")
    ex.add_argument("--restart", action="store_true",
                    help="discard the OUT.partial an interrupted run left and start again")
    ex.add_argument("--engine", choices=("local", "dask"), default="local",
                    help="local: a process pool on this machine (default); dask: a Dask cluster (pip install 'newsfacts[dask]')")
    ex.add_argument("--scheduler", metavar="ADDRESS",
                    help="with --engine dask: the scheduler, e.g. tcp://head:8786 (default: start a local cluster)")
    ex.add_argument("--batch-size", type=int, default=None, metavar="N",
                    help="inputs per task sent to a worker (default: 32)")
    ex.set_defaults(func=cmd_extract)

    sc = sub.add_parser("schema", help="print the JSON Schema of a record", formatter_class=_Formatter,
                        description="Print the JSON Schema (draft 2020-12) every record validates against, "
                                    "generated from the fact types of patterns/manifest.json.",
                        epilog="examples:\n  newsfacts schema > record.schema.json\n"
                               "  newsfacts schema --check     # is pipeline/schema/record.schema.json current?")
    sc.add_argument("--check", action="store_true",
                    help="exit 1 if the published pipeline/schema/record.schema.json is not the schema of the manifest")
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
    from .analysis_cli import register as register_analysis  # export, stats

    register_analysis(sub)
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
    from .record_schema import main as schema_main, schema

    if args.check:
        return schema_main(["--check"])
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
    from .batch import DEFAULT_BATCH_SIZE, Extraction, Settings, default_workers, extract_into
    from .output import Output, unfinished_run
    from .read import DEFAULT_MAX_BYTES

    inputs, problem = _extract_inputs(args)
    if problem is None:
        problem = unfinished_run(args.output, args.resume, args.restart, _resume_command(args))
    if problem:
        print(problem, file=sys.stderr)
        return EXIT_USAGE
    settings = Settings(include_text=not args.no_text, max_bytes=args.max_bytes or DEFAULT_MAX_BYTES,
                        article_timeout=args.article_timeout, input_format=args.format)
    output = Output(args.output, resume=args.resume)

    def job(done):
        return Extraction(inputs, settings, done, workers=args.workers or default_workers(), engine=args.engine,
                          scheduler=args.scheduler, batch_size=args.batch_size or DEFAULT_BATCH_SIZE,
                          reading=_read_options(args), is_output=output.is_ours)
    return extract_into(output, job, settings.include_text, quiet=args.quiet, resume_command=_resume_command(args),
                        say=lambda line: print(line, file=sys.stderr))


def _extract_inputs(args) -> tuple[list[str], str | None]:
    """The inputs (default: the sample corpus), with args.output defaulted; or the usage error to print."""
    if args.inputs:
        inputs = args.inputs
    elif DEFAULT_CORPUS.is_dir():
        inputs = [os.path.relpath(DEFAULT_CORPUS)]  # relative: records do not name the checkout
    else:  # an installed package: the sample corpus stays in the source checkout
        return [], ("newsfacts extract: no INPUT given, and there is no sample corpus/ to read by default (it comes "
                    "with a source checkout, not with the installed package). Name what to read, e.g.\n"
                    "  newsfacts extract articles/ -o records.jsonl")
    if args.output is None:  # a filter reads stdin and writes stdout (Unix habit)
        args.output = "-" if "-" in inputs else DEFAULT_OUTPUT
    missing = [i for i in inputs if i != "-" and not Path(i).exists()]
    if missing:
        return inputs, f"newsfacts extract: no such file or directory: {', '.join(missing)}"
    for flag, value in (("--workers", args.workers), ("--batch-size", args.batch_size), ("--max-bytes", args.max_bytes)):
        if value is not None and value < 1:
            return inputs, f"newsfacts extract: {flag} must be at least 1"
    if args.scheduler and args.engine != "dask":
        return inputs, "newsfacts extract: --scheduler needs --engine dask"
    if args.format == "parquet" and "-" in inputs:
        return inputs, ("newsfacts extract: Parquet cannot be read from stdin (its index is at the end of the file): "
                        "give the file's path")
    if args.resume and args.restart:
        return inputs, "newsfacts extract: --resume and --restart exclude each other"
    return inputs, None


def _read_options(args):
    """How inputs become articles: record fields, --id-from, and the output file left out of the inputs."""
    from .output import own_files
    from .read import ReadOptions
    from .sources.fields import Fields

    fields = Fields.from_options(text=args.text_field, html=args.html_field, id=args.id_field, url=args.url_field,
                                 published=args.published_field, title=args.title_field)
    return ReadOptions(fields=fields, id_from=args.id_from, exclude=own_files(args.output))


def _resume_command(args) -> str:
    """The command line that finishes an interrupted run."""
    import shlex

    prog = ["python", "-m", "pipeline"] if sys.argv[0].endswith("__main__.py") else ["newsfacts"]
    words = prog + ["extract", *args.inputs, "-o", args.output]
    for flag, value in (("--workers", args.workers), ("--engine", None if args.engine == "local" else args.engine),
                        ("--scheduler", args.scheduler), ("--batch-size", args.batch_size),
                        ("--max-bytes", args.max_bytes), ("--article-timeout", args.article_timeout),
                        ("--format", args.format), ("--id-from", None if args.id_from == "stem" else args.id_from),
                        *((f"--{name}-field", getattr(args, f"{name}_field"))
                          for name in ("text", "html", "id", "url", "published", "title"))):
        if value is not None:
            words += [flag, str(value)]
    words += ["--no-text"] * args.no_text + ["--quiet"] * args.quiet + ["--resume"]
    return shlex.join(words)
