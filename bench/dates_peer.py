"""Dates beside a peer: newsfacts and dateparser.search.search_dates on the same labelled sentences.

    python bench/dates_peer.py                  # the table (needs the `bench` extra: dateparser)
    python bench/dates_peer.py --errors         # and every sentence where either one differs from the label

The sentences are tests/data/dates_sentences.jsonl: news sentences written for
this project in French, German, English and Vietnamese, each labelled with the
calendar days it names (`YYYY-MM-DD`; a range names its endpoints) and, where
a day is written without its year, with the publication date that settles it.
About one in five names no day at all (fractions, counts, versions, years or
months alone): they measure precision.

Both tools get the same help: newsfacts runs as a user calls it,
`extract_text(text, metadata={"published": ...})` (language detected);
dateparser gets the labelled language and the publication date as the base for
missing years, `search_dates(text, languages=[lang], settings={"RELATIVE_BASE":
...})`, and a second time with `REQUIRE_PARTS: ["day", "month"]`, the setting a
user who wants calendar days would add. Every distinct day a tool returns
counts: a day that is not labelled is a false positive (for dateparser that
includes "today" read from words like "now"). `swapped` counts the days
returned with day and month exchanged against a labelled day: a wrong value.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
import warnings
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SENTENCES = ROOT / "tests" / "data" / "dates_sentences.jsonl"
DEFAULT_BASE = dt.datetime(2025, 6, 15)  # for sentences without a publication date (they state every year)


def load(path: Path = SENTENCES) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def newsfacts_days(rows):
    from pipeline import extract_text

    for row in rows:
        metadata = {"published": row["published"]} if row["published"] else None
        yield {d["value"] for d in extract_text(row["text"], metadata=metadata)["dates"]}


def dateparser_days(rows, require_day: bool):
    from dateparser.search import search_dates

    for row in rows:
        base = dt.datetime.fromisoformat(row["published"]) if row["published"] else DEFAULT_BASE
        settings = {"RELATIVE_BASE": base}
        if require_day:
            settings["REQUIRE_PARTS"] = ["day", "month"]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = search_dates(row["text"], languages=[row["lang"]], settings=settings) or []
        yield {d.strftime("%Y-%m-%d") for _, d in found}


def swapped(day: str, gold: set[str]) -> bool:
    """The day read with day and month exchanged against a labelled day."""
    y, m, d = day.split("-")
    return day not in gold and f"{y}-{d}-{m}" in gold


def score(rows, predictions) -> dict:
    by_lang: dict = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0, "swapped": 0})
    differences = []
    for row, got in zip(rows, predictions):
        gold = set(row["dates"])
        for key in (row["lang"], "all"):
            s = by_lang[key]
            s["tp"] += len(got & gold)
            s["fp"] += len(got - gold)
            s["fn"] += len(gold - got)
            s["swapped"] += sum(swapped(day, gold) for day in got)
        if got != gold:
            differences.append((row, sorted(got)))
    for s in by_lang.values():
        s["precision"] = s["tp"] / (s["tp"] + s["fp"]) if s["tp"] + s["fp"] else 1.0
        s["recall"] = s["tp"] / (s["tp"] + s["fn"]) if s["tp"] + s["fn"] else 1.0
        p, r = s["precision"], s["recall"]
        s["f1"] = 2 * p * r / (p + r) if p + r else 0.0
    return {"by_lang": dict(by_lang), "differences": differences}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sentences", type=Path, default=SENTENCES)
    ap.add_argument("--errors", action="store_true", help="print the sentences where a tool differs from the label")
    args = ap.parse_args(argv)
    rows = load(args.sentences)
    tools = {
        "newsfacts": lambda: newsfacts_days(rows),
        "dateparser": lambda: dateparser_days(rows, require_day=False),
        "dateparser (day+month required)": lambda: dateparser_days(rows, require_day=True),
    }
    langs = sorted({row["lang"] for row in rows}) + ["all"]
    counts = {lang: (sum(r["lang"] == lang for r in rows), sum(len(r["dates"]) for r in rows if r["lang"] == lang))
              for lang in langs[:-1]}
    print(f"{len(rows)} sentences, {sum(len(r['dates']) for r in rows)} labelled days: "
          + ", ".join(f"{lang} {n} ({d})" for lang, (n, d) in counts.items()))
    print(f"{'tool':34} {'lang':5} {'prec':>6} {'rec':>6} {'f1':>6} {'swapped':>8}")
    for name, run in tools.items():
        started = time.perf_counter()
        predictions = list(run())
        seconds = time.perf_counter() - started
        result = score(rows, predictions)
        for lang in langs:
            s = result["by_lang"].get(lang)
            if s:
                print(f"{name:34} {lang:5} {s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f} {s['swapped']:8d}")
        print(f"{'':34} ({1000 * seconds / len(rows):.1f} ms a sentence)")
        if args.errors:
            for row, got in result["differences"]:
                print(f"    [{row['lang']}] {row['text'][:100]!r}\n        label {sorted(row['dates'])}  got {got}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
