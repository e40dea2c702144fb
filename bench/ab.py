"""A/B: two checkouts of newsfacts timed on the same articles, in turns, in one process.

    git worktree add /tmp/old <commit>
    python bench/ab.py /tmp/old . --n 640                  # in-process, turns of 64 articles
    python bench/ab.py /tmp/old . --n 2000 --rounds 3 --cli 2   # the whole command, 2 workers

The host is shared: a figure from one run cannot be compared with one from
another, and even two processes run one after the other see different
neighbours (whole-process turns gave +-20-40 % here). So both versions live in
this one process and take turns every `--turn` articles (A B B A A B ...): the
same articles, the same caches and neighbours, seconds apart. A turn does what
a worker does (tasks.run_batch on batches of 32 paths: read, extract, JSON
lines), minus the pipes and the parent. Each turn is timed in CPU time of this process (time.process_time), so time the machine
gives to others does not count. The ratio is A's CPU over B's for each pair of
turns; the median and the quartiles of those ratios are printed.

How two `pipeline` packages share one process: each checkout's modules are
imported once (its folder first on sys.path) and kept aside; before a turn,
that checkout's modules are put back in sys.modules, so the imports a stage
makes while running find its own code.

With --cli W each turn is instead the checkout's whole command,
`python -m pipeline extract FILES -o OUT --workers W -q`, and its cost the CPU
of the whole process tree (bench/cputime.py): start-up, workers and writing.
"""
from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from cputime import run_tree  # noqa: E402
from generate import DATA, generate  # noqa: E402

PACKAGE = "pipeline"


def _ours(name: str) -> bool:
    return name == PACKAGE or name.startswith(PACKAGE + ".")


class Side:
    """One checkout's pipeline package, loaded in this process, and a Pipeline built from it."""

    def __init__(self, checkout: Path, paths: list[str]):
        for name in [n for n in sys.modules if _ours(n)]:
            del sys.modules[name]
        sys.path.insert(0, str(checkout))
        try:
            process = importlib.import_module(PACKAGE + ".process")
            read = importlib.import_module(PACKAGE + ".read")
            batch = importlib.import_module(PACKAGE + ".batch")
            self.pipeline = process.Pipeline()
            # What travels to the workers moved from batch to tasks (2026-12): either checkout works.
            tasks = batch if hasattr(batch, "run_batch") else importlib.import_module(PACKAGE + ".tasks")
            self.Input, self.Task, self.run_batch = read.Input, tasks.Task, tasks.run_batch
            self.batch_size = batch.DEFAULT_BATCH_SIZE
            self.modules: dict = {}
            self.run(paths)  # warm up: every module a stage imports lazily is imported now, from this checkout
        finally:
            sys.path.remove(str(checkout))
        self.modules = {n: m for n, m in sys.modules.items() if _ours(n)}
        loaded = Path(process.__file__).resolve()
        if checkout.resolve() not in loaded.parents:
            raise SystemExit(f"{checkout}: imported {loaded} instead; is it a newsfacts checkout?")

    def install(self) -> None:
        for name in [n for n in sys.modules if _ours(n)]:
            del sys.modules[name]
        sys.modules.update(self.modules)

    def run(self, paths: list[str]) -> None:
        """What a worker does with these paths: batches of Tasks in, JSON lines out."""
        tasks = [self.Task.of(self.Input(doc_id=Path(path).stem, path=path)) for path in paths]
        for start in range(0, len(tasks), self.batch_size):
            self.run_batch(self.pipeline, tasks[start:start + self.batch_size])

    def cpu(self, paths: list[str]) -> float:
        self.install()
        started = time.process_time()
        self.run(paths)
        return time.process_time() - started


def in_process(a: Path, b: Path, paths: list[str], turn: int, rounds: int) -> list[tuple[float, float]]:
    """(A, B) CPU-seconds per turn of `turn` articles, over `rounds` passes of all paths."""
    sides = (Side(a, paths[:turn]), Side(b, paths[:turn]))
    pairs = []
    chunks = [paths[i:i + turn] for i in range(0, len(paths), turn)]
    for round_ in range(rounds):
        for n, chunk in enumerate(chunks):
            # A B, then B A: a drift of the machine within a pair cancels out over two pairs.
            first = (n + round_) % 2
            times = [0.0, 0.0]
            for which in (first, 1 - first):
                times[which] = sides[which].cpu(chunk)
            pairs.append((times[0] / len(chunk), times[1] / len(chunk)))
    return pairs


def whole_command(a: Path, b: Path, paths: list[str], workers: int, rounds: int) -> list[tuple[float, float]]:
    pairs = []
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "out.jsonl")
        for round_ in range(rounds):
            times = [0.0, 0.0]
            for which in ((0, 1) if round_ % 2 == 0 else (1, 0)):
                checkout = (a, b)[which]
                cmd = [sys.executable, "-m", PACKAGE, "extract", *paths, "-o", out, "--workers", str(workers), "-q"]
                run = run_tree(cmd, cwd=checkout)
                if run.returncode not in (0, 3):
                    raise SystemExit(f"{checkout}: {' '.join(cmd[:4])} ... exited {run.returncode}")
                times[which] = run.cpu / len(paths)
            pairs.append((times[0], times[1]))
            print(f"round {round_ + 1}: A {1000 * times[0]:.2f}, B {1000 * times[1]:.2f} CPU-ms/article "
                  f"(tree), A/B {times[0] / times[1]:.3f}", flush=True)
    return pairs


def summary(pairs: list[tuple[float, float]]) -> str:
    ratios = sorted(a / b for a, b in pairs)
    a_ms = 1000 * statistics.fmean(a for a, _ in pairs)
    b_ms = 1000 * statistics.fmean(b for _, b in pairs)
    if len(ratios) >= 4:
        q1, _, q3 = statistics.quantiles(ratios, n=4)
        spread = f"quartiles {q1:.3f}-{q3:.3f}, range {ratios[0]:.3f}-{ratios[-1]:.3f}"
    else:
        spread = f"range {ratios[0]:.3f}-{ratios[-1]:.3f}"
    return (f"A {a_ms:.3f}, B {b_ms:.3f} CPU-ms per article; B is {statistics.median(ratios):.3f}x as fast as A "
            f"(median of {len(ratios)} paired turns; {spread})")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("a", type=Path, help="checkout A (e.g. the previous commit)")
    ap.add_argument("b", type=Path, help="checkout B (e.g. this one)")
    ap.add_argument("--n", type=int, default=640, help="generated articles timed")
    ap.add_argument("--turn", type=int, default=64, help="articles per turn (in-process): two batches")
    ap.add_argument("--rounds", type=int, default=None, help="passes over the articles (default: 2; 3 with --cli)")
    ap.add_argument("--cli", type=int, metavar="WORKERS", help="time the whole extract command with this many workers")
    args = ap.parse_args(argv)
    directory = DATA / str(max(args.n, 1000))
    if not directory.exists():
        generate(max(args.n, 1000), directory)
    paths = [str(p) for p in sorted(directory.rglob("*.txt"))[: args.n]]
    if args.cli:
        pairs = whole_command(args.a.resolve(), args.b.resolve(), paths, args.cli, args.rounds or 3)
    else:
        pairs = in_process(args.a.resolve(), args.b.resolve(), paths, args.turn, args.rounds or 2)
    print(summary(pairs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
