"""A/B: two checkouts of newsfacts timed on the same articles, in turns, in one session.

    git worktree add /tmp/old <commit>
    python bench/ab.py /tmp/old . --n 300 --rounds 3
    python bench/ab.py /tmp/old . --n 2000 --rounds 3 --cli 2     # the whole command, 2 workers

The host is shared, so a figure from one run cannot be compared with a figure
from another; two versions timed in turns, a few seconds apart, can. Each turn
is a fresh process that imports the pipeline of its checkout (cwd first on
sys.path), builds a Pipeline, warms it on the articles once, then times
read -> ... -> record + JSON line over them: milliseconds per article.
With --cli W each turn is instead the checkout's whole command,
`python -m pipeline extract FILES -o OUT --workers W -q`, timed from start to
exit (start-up, workers and writing included).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import DATA, generate  # noqa: E402

# Run inside the checkout: only its own pipeline package is imported.
_TIMER = """
import json, sys, time
sys.path.insert(0, ".")
from pipeline.process import Pipeline
from pipeline.read import Input
from pipeline.record import dumps
paths = sys.argv[1:]
pipeline = Pipeline()
def once():
    for path in paths:
        dumps(pipeline.run_input(Input(doc_id=path.rsplit("/", 1)[-1][:-4], path=path)))
once()
started = time.perf_counter()
once()
print(json.dumps(1000 * (time.perf_counter() - started) / len(paths)))
"""


def time_checkout(checkout: Path, paths: list[str], cli_workers: int | None = None) -> float:
    if cli_workers:
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            subprocess.run([sys.executable, "-m", "pipeline", "extract", *paths, "-o", str(Path(tmp) / "out.jsonl"),
                            "--workers", str(cli_workers), "-q"], cwd=checkout, check=True)
            return 1000 * (time.perf_counter() - started) / len(paths)
    out = subprocess.run([sys.executable, "-c", _TIMER, *paths], cwd=checkout, check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("a", type=Path, help="checkout A (e.g. the previous commit)")
    ap.add_argument("b", type=Path, help="checkout B (e.g. this one)")
    ap.add_argument("--n", type=int, default=300, help="generated articles timed")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cli", type=int, metavar="WORKERS", help="time the whole extract command with this many workers")
    args = ap.parse_args(argv)
    directory = DATA / str(max(args.n, 1000))
    if not directory.exists():
        generate(max(args.n, 1000), directory)
    paths = [str(p) for p in sorted(directory.rglob("*.txt"))[: args.n]]
    rows = []
    for round_ in range(1, args.rounds + 1):
        a, b = (time_checkout(args.a.resolve(), paths, args.cli), time_checkout(args.b.resolve(), paths, args.cli))
        rows.append((a, b))
        print(f"round {round_}: A {a:.2f} ms/article, B {b:.2f} ms/article, A/B {a / b:.2f}", flush=True)
    ratios = sorted(a / b for a, b in rows)
    print(f"B is {ratios[len(ratios) // 2]:.2f}x as fast as A (median of {len(rows)} rounds; "
          f"range {ratios[0]:.2f}-{ratios[-1]:.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
