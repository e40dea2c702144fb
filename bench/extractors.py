"""In-process time of single extractors' find(), in CPU microseconds per article.

    python bench/extractors.py codes provinces                       # on ../shared/corpus + ../shared/dev/articles
    python bench/extractors.py codes --dirs bench/data/2000 --rounds 20
    python bench/extractors.py codes provinces --against /tmp/old    # the same, for another checkout, in turns

Each article goes through the real stages up to extraction once (clean,
language, fold, tokens, and the extractors before the timed one, whose facts
it may read); then only find() is timed, 10 passes a round, and the fastest
round counts. CPU time (time.process_time), not wall-clock: on a shared
machine the other processes change the wall-clock time of the same work by
2-3x, its CPU time by a few per cent. With --against, each checkout runs in
its own process (cwd first on sys.path), in turns, as bench/ab.py does.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"

_TIMER = """
import json, sys, time
sys.path.insert(0, ".")
from pipeline.extract import load_extractors
from pipeline.process import Pipeline
from pipeline.read import Input
from pipeline.tokens import TokenView
names, rounds, paths = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
pipeline, articles = Pipeline(), []
link = pipeline.link_codes  # called once per article, after the extractors: the article is kept there
def keep(article):
    link(article)
    articles.append(article)
pipeline.link_codes = keep
for path in paths:
    pipeline.run_input(Input(doc_id=path.rsplit("/", 1)[-1][:-4], path=path))
for article in articles:
    article.tokens = TokenView(article.folded)  # the pipeline frees the tokens after extraction
result = {}
for name in names:
    (extractor,) = load_extractors([name])
    best = float("inf")
    for _ in range(rounds):
        started = time.process_time()
        for _ in range(10):
            for article in articles:
                article.warnings = []
                extractor.find(article)
        best = min(best, (time.process_time() - started) / (10 * len(articles)))
    result[name] = round(1e6 * best, 1)
print(json.dumps(result))
"""


def time_checkout(checkout: Path, names: list[str], rounds: int, paths: list[str]) -> dict:
    out = subprocess.run([sys.executable, "-c", _TIMER, json.dumps(names), str(rounds), *paths],
                         cwd=checkout, capture_output=True, text=True)
    if out.returncode:
        sys.exit(f"timing in {checkout} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("names", nargs="+", help="extractors: codes, provinces, dates, periods, officials")
    ap.add_argument("--dirs", nargs="+", type=Path, default=[SHARED / "corpus", SHARED / "dev" / "articles"])
    ap.add_argument("--rounds", type=int, default=15)
    ap.add_argument("--turns", type=int, default=3, help="turns per checkout")
    ap.add_argument("--against", type=Path, help="another checkout to time in turns with this one")
    args = ap.parse_args(argv)
    paths = [str(p.resolve()) for d in args.dirs for p in sorted(d.rglob("*.txt"))]
    if not paths:
        ap.error("no .txt articles under --dirs")
    checkouts = {"this": HERE.parent} | ({"other": args.against.resolve()} if args.against else {})
    best: dict[str, dict[str, float]] = {label: {} for label in checkouts}
    for _ in range(args.turns):
        for label, checkout in checkouts.items():
            for name, us in time_checkout(checkout, args.names, args.rounds, paths).items():
                best[label][name] = min(us, best[label].get(name, float("inf")))
    print(f"{len(paths)} articles; CPU µs per article for find(), fastest of {args.turns} turns x {args.rounds} rounds")
    for name in args.names:
        line = f"  {name:10} this {best['this'][name]:8.1f}"
        if args.against:
            line += f"   other {best['other'][name]:8.1f}   this/other {best['this'][name] / best['other'][name]:.2f}"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
