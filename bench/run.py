"""Benchmark: throughput, memory, time per stage, and the spaCy + dateparser baseline.

    python bench/run.py                      # 2,000 generated articles, 1 and 2 workers, profile, baseline
    python bench/run.py --n 5000 --workers 1 2 4
    python bench/run.py --memory             # RSS after 10,000 ... 200,000 distinct articles

What it measures (see bench/README.md for the figures and the machine):
- the real CLI (`python -m pipeline extract DIR -o OUT --workers W -q`) on a
  corpus from bench/generate.py: articles per CPU-second of the whole process
  tree (parent, forkserver, workers, start-up included; bench/cputime.py),
  the start-up CPU apart (from a second run on a few articles), articles/s and
  MB/s of input on the wall clock, peak RSS of each worker and of the parent
  (psutil, sampled every 0.1 s);
- one profiled in-process run (Pipeline(profile=True)): CPU time per stage
  (read, clean, language, fold, each extractor, link, record, write);
- the baseline (bench/baseline.py) and our pipeline on the same French
  articles, in this same run: throughput ratio, and F1 of both on the seed gold.
"""
from __future__ import annotations

import argparse
import compileall
import gc
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from cputime import TreeRun, run_tree  # noqa: E402
from generate import DATA, article, generate  # noqa: E402

GOLD = ROOT.parent / "shared" / "gold" / "seeds.jsonl"  # the shared gold beside the checkout (--gold to change)


def machine() -> dict:
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
                 platform.processor())
    return {"nproc": os.cpu_count(), "cpu": model, "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "load_before": [round(x, 2) for x in os.getloadavg()]}


def corpus(n: int) -> Path:
    return generate(n, DATA / str(n))


def files_of(directory: Path) -> list[Path]:
    return sorted(directory.rglob("*.txt"))


class TreeSampler(threading.Thread):
    """Peak RSS of a process and its descendants, every `interval` seconds (CPU: see cputime.py)."""

    def __init__(self, pid: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.interval = interval
        self.peak: dict[int, int] = {}
        self.parent_of: dict[int, int] = {}
        self.running = True

    def run(self):
        while self.running:
            try:
                procs = [self.root] + self.root.children(recursive=True)
            except psutil.Error:
                return
            for p in procs:
                try:
                    with p.oneshot():
                        rss, ppid = p.memory_info().rss, p.ppid()
                except psutil.Error:
                    continue
                self.peak[p.pid] = max(self.peak.get(p.pid, 0), rss)
                self.parent_of[p.pid] = ppid
            time.sleep(self.interval)

    def workers(self) -> list[int]:
        """Workers are the root's grandchildren (forked by the forkserver), also with --workers 1."""
        grand = [pid for pid, ppid in self.parent_of.items() if pid != self.root.pid and ppid != self.root.pid]
        return grand or [self.root.pid]


def _extract_cmd(inputs: list[str], out: Path, workers: int) -> list[str]:
    return [sys.executable, "-m", "pipeline", "extract", *inputs, "-o", str(out), "--workers", str(workers), "-q"]


def tree_cpu(inputs: list[str], workers: int, out: Path, sampler: list | None = None,
             build_cache: bool = True) -> "TreeRun":
    """One run of the real command; CPU of the whole tree (parent, forkserver, workers) from the kernel.

    build_cache=False: the extractors are built, not loaded (a run's first after an install or a pattern change)."""
    def watch(proc):
        if sampler is not None:
            sampler.append(TreeSampler(proc.pid))
            sampler[-1].start()

    env = None if build_cache else {**os.environ, "NEWSFACTS_CACHE_DIR": "off"}
    run = run_tree(_extract_cmd(inputs, out, workers), cwd=ROOT, on_start=watch, env=env)
    if sampler:
        sampler[-1].running = False
        sampler[-1].join()
    if run.returncode not in (0, 3):
        raise SystemExit(f"{' '.join(_extract_cmd(inputs, out, workers))} exited {run.returncode}")
    return run


def measure_cli(directory: Path, workers: int, out: Path, files: list[Path], size: int, repeats: int = 3) -> dict:
    """The whole command on every article, and on a few: CPU split into start-up and per-article work.

    A run's CPU is start-up + articles x per-article cost. The small run has just
    enough articles to start every worker (one batch each, plus one), so the two
    runs give both terms; the small one is repeated and its median kept. The
    run on one article (one worker: a single batch starts no other) is printed too.
    """
    sampled: list = []
    big = tree_cpu([str(directory)], workers, out, sampled)
    lines = out.read_bytes().count(b"\n")
    small_n = 32 * workers + 1
    small = sorted(tree_cpu([str(p) for p in files[:small_n]], workers, out).cpu for _ in range(repeats))
    small_cpu = small[len(small) // 2]
    one = sorted(tree_cpu([str(files[0])], 1, out).cpu for _ in range(repeats))
    cold = sorted(tree_cpu([str(files[0])], 1, out, build_cache=False).cpu for _ in range(repeats))
    per_article = (big.cpu - small_cpu) / (lines - small_n)
    startup = small_cpu - small_n * per_article
    sampler = sampled[0]
    ws = sampler.workers()
    return {"workers": workers, "articles": lines, "seconds": round(big.wall, 2),
            "articles_per_cpu_s": round(lines / big.cpu, 1),
            "articles_per_cpu_s_without_startup": round(1 / per_article, 1),
            "cpu_s": round(big.cpu, 2),
            "startup_cpu_s": round(startup, 2),
            "startup_cpu_s_per_process_tree_of_one_article": round(one[len(one) // 2], 2),
            "startup_cpu_s_per_process_tree_of_one_article_extractors_built": round(cold[len(cold) // 2], 2),
            "articles_per_s": round(lines / big.wall, 1), "articles_per_s_per_worker": round(lines / big.wall / workers, 1),
            "mb_per_s": round(size / big.wall / 1e6, 2),
            "mb_per_cpu_s": round(size / big.cpu / 1e6, 2),
            "peak_rss_worker_mb": round(max(sampler.peak.get(p, 0) for p in ws) / 2**20, 1),
            "peak_rss_parent_mb": round(sampler.peak.get(big.pid, 0) / 2**20, 1),
            "command": " ".join(_extract_cmd([str(directory)], out, workers)[1:])}


def profile_stages(files: list[Path]) -> dict:
    """CPU time per stage (thread CPU time), on the path a worker takes: batches of 32, stage by stage."""
    from pipeline.tasks import Task, run_batch
    from pipeline.process import Pipeline
    from pipeline.read import Input

    from pipeline.engines.local import WORKER_GC_THRESHOLD

    pipeline = Pipeline(profile=True)
    tasks = [Task.of(Input(doc_id=path.stem, path=str(path))) for path in files]
    run_batch(pipeline, tasks[:32])  # warm-up: caches, lazy imports
    pipeline.seconds.clear()
    # The garbage collector as a worker has it: the pipeline frozen (engines/preload.py), its thresholds.
    gc.freeze()
    thresholds = gc.get_threshold()
    gc.set_threshold(*WORKER_GC_THRESHOLD)
    started = time.thread_time()
    try:
        for start in range(0, len(tasks), 32):
            run_batch(pipeline, tasks[start:start + 32])
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
    total = time.thread_time() - started
    seconds = dict(pipeline.seconds)
    # The rest of run_batch: each record's JSON line (record.dumps) and tally, the batch's bookkeeping.
    seconds["write"] = max(0.0, total - sum(seconds.values()))
    return {"articles": len(files), "ms_per_article": round(1000 * total / len(files), 2),
            "stages": {k: {"ms": round(1000 * v / len(files), 3), "share": round(100 * v / total, 1)}
                       for k, v in sorted(seconds.items(), key=lambda kv: -kv[1])}}


def python_share(files: list[Path]) -> dict:
    """Where the worker's CPU goes by kind of code (cProfile, own time per function): the case for a compiled core.

    `pipeline (Python)` is bytecode of this project's own functions -- what a compiled core
    would replace; `regex`, `spacy`, `fasttext`... are calls into C extensions, which it would
    not speed up. cProfile adds a cost per Python call, so the Python share is an upper bound.
    """
    import cProfile
    import pstats

    from pipeline.tasks import Task, run_batch
    from pipeline.process import Pipeline
    from pipeline.read import Input

    pipeline = Pipeline()
    tasks = [Task.of(Input(doc_id=path.stem, path=str(path))) for path in files]
    run_batch(pipeline, tasks[:32])
    profiler = cProfile.Profile(time.thread_time)
    profiler.enable()
    for start in range(0, len(tasks), 32):
        run_batch(pipeline, tasks[start:start + 32])
    profiler.disable()
    kinds: dict[str, float] = {}
    modules: dict[str, float] = {}
    for (filename, _, name), (_, _, own, _, _) in pstats.Stats(profiler).stats.items():
        where = filename.replace(os.sep, "/")
        if "/pipeline/" in where:
            kind = "pipeline (Python)"
            module = where.rsplit("/pipeline/", 1)[1].removesuffix(".py")
            modules[module] = modules.get(module, 0.0) + own
        elif "site-packages/" in where:
            kind = where.split("site-packages/", 1)[1].split("/", 1)[0] + " (Python)"
        elif filename == "~":  # a built-in: its name says whose ("<method 'search' of '_regex.Pattern' objects>")
            owner = name.split(" of '", 1)[1].split("'", 1)[0] if " of '" in name else name
            kind = next((f"{lib} (C)" for lib in ("_regex", "re.", "fasttext", "orjson", "unicodedata", "_hashlib",
                                                  "ahocorasick")
                         if lib in owner), "builtins (C): str, dict, list, sorted...")
            kind = kind.replace("_regex", "regex").replace("re.", "re").replace("_hashlib", "hashlib")
        elif where.endswith(".pyx"):
            kind = "spacy (Cython)"
        else:
            kind = "standard library (Python)"
        kinds[kind] = kinds.get(kind, 0.0) + own
    total = sum(kinds.values())
    return {"articles": len(files), "profiled_ms_per_article": round(1000 * total / len(files), 2),
            "share_by_kind": {k: round(100 * v / total, 1) for k, v in sorted(kinds.items(), key=lambda kv: -kv[1])
                              if v / total >= 0.005},
            "pipeline_python_share_by_module": {k: round(100 * v / total, 1)
                                                for k, v in sorted(modules.items(), key=lambda kv: -kv[1])
                                                if v / total >= 0.005}}


def ours_vs_baseline(files: list[Path], limit: int, gold_path: Path = GOLD) -> dict:
    """Same French articles through both, one process each, timed here; then F1 on the seed gold."""
    from baseline import Baseline

    from pipeline.evaluate import load, score
    from pipeline.process import Pipeline
    from pipeline.read import Input, decode

    pipeline = Pipeline()
    french = []
    for path in files:
        record = pipeline.run_input(Input(doc_id=path.stem, path=str(path)))
        if record.get("language", {}).get("code") == "fr":
            french.append(path)
        if len(french) >= limit:
            break
    texts = [decode(p.read_bytes()).text for p in french]
    t = time.process_time()
    for path in french:
        pipeline.run_input(Input(doc_id=path.stem, path=str(path)))
    ours = len(french) / (time.process_time() - t)
    base = Baseline()
    base.record("warm-up", texts[0], "fr")
    t = time.process_time()
    for path, text in zip(french, texts):
        base.record(path.stem, text, "fr")
    theirs = len(french) / (time.process_time() - t)

    result = {"french_articles": len(french), "ours_articles_per_cpu_s": round(ours, 1),
              "baseline_articles_per_cpu_s": round(theirs, 2), "ratio": round(ours / theirs, 1)}
    if gold_path.is_file():
        gold = load(str(gold_path))
        seeds = sorted((ROOT / "corpus").glob("*.txt"))
        ours_records, base_records = {}, {}
        for path in seeds:
            rec = pipeline.run_input(Input(doc_id=path.stem, path=str(path)))
            ours_records[path.stem] = rec
            base_records[path.stem] = base.record(path.stem, decode(path.read_bytes()).text, gold[path.stem]["language"])
        french_gold = {k: v for k, v in gold.items() if v.get("language") == "fr"}
        fields = ("codes", "dates", "periods", "officials", "provinces")
        for name, records in (("ours", ours_records), ("baseline", base_records)):
            for scope, g in (("fr", french_gold), ("all", gold)):
                s = score(g, records)
                result[f"{name}_f1_{scope}"] = round(s["overall_f1"], 3)
                result[f"{name}_fields_{scope}"] = {f: round(s["fields"][f]["f1"], 3) for f in fields}
    return result


_ONSETS = ["b", "br", "d", "dr", "g", "k", "kh", "l", "m", "n", "ph", "r", "s", "st", "t", "th", "v", "z"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ao", "ie", "ou"]


def distinct_article(i: int) -> tuple[str, str]:
    """Article i of bench/generate.py, plus a sentence whose words no other article has.

    The generator draws names and numbers from finite lists, so its vocabulary
    stops growing after a few thousand articles (16,000 word forms). Real news
    keeps bringing new names and figures -- 1.5 new word forms per article over
    the first 20,000 in the measurement that found the leak -- so each article
    here gets a project with a made-up name, a file number and an amount: about
    four word forms never seen before.
    """
    stem, text = article(i)
    rng = random.Random(f"distinct:{i}")

    def word() -> str:
        return "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(rng.randint(2, 3))).capitalize()

    extra = (f"Dự án {word()} {word()} (hồ sơ số {rng.randint(10**5, 10**7)}) có tổng vốn "
             f"{rng.randint(100, 99_999):,} tỷ đồng.")
    return stem, text + extra + "\n"


def memory(total: int, checkpoints: list[int], workers: int) -> dict:
    """Stream `total` distinct articles through the real engine and writer; RSS at each checkpoint.

    Articles are made on the fly (distinct_article), never repeated, and sent
    as bytes under their own doc_id and a shown path (folder/doc_id.txt, as in
    a directory walk), with the DuplicateGuard holding every one of them as in
    a real run of `total` files.
    """
    from pipeline.batch import DuplicateGuard, Extraction, Settings, Task
    from pipeline.output import Output
    from pipeline.read import Input

    class Streamed(Extraction):
        def plan(self):
            guard, batch = DuplicateGuard(), []
            for i in range(total):
                stem, text = distinct_article(i)
                item = Input(doc_id=stem, path=f"distinct/{i // 1000:04d}/{stem}.txt", data=text.encode("utf-8"))
                guard.check(item)  # the parent's one per-article structure, kept as in a real run
                batch.append(Task.of(item))
                if len(batch) == self.batch_size:
                    yield batch
                    batch = []
            if batch:
                yield batch

    me = psutil.Process()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Output(os.path.join(tmp, "out.jsonl"))
        out.open()
        job = Streamed([], Settings(include_text=True), workers=workers)
        done, started, marks = 0, time.perf_counter(), sorted(checkpoints)
        for outcomes in job.run():
            out.write([o.line for o in outcomes])
            done += len(outcomes)
            if marks and done >= marks[0]:
                kids = [p for p in me.children(recursive=True) if p.ppid() != me.pid] or [me]
                row = {"articles": done, "parent_rss_mb": round(me.memory_info().rss / 2**20, 1),
                       "worker_rss_mb": [round(p.memory_info().rss / 2**20, 1) for p in kids],
                       "seconds": round(time.perf_counter() - started, 1)}
                rows.append(row)
                print(json.dumps(row), file=sys.stderr, flush=True)
                marks.pop(0)
        out.close()
    return {"workers": workers, "articles": "distinct, made on the fly (bench/run.py distinct_article)",
            "checkpoints": rows}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2000, help="generated articles for the throughput runs")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--profile-n", type=int, default=500, help="articles in the profiled run")
    ap.add_argument("--baseline-n", type=int, default=100, help="French articles through the baseline")
    ap.add_argument("--memory", action="store_true", help="only the RSS test: 200,000 distinct articles streamed")
    ap.add_argument("--memory-total", type=int, default=200_000)
    ap.add_argument("--json", type=Path, help="also write the results here")
    ap.add_argument("--gold", type=Path, default=GOLD, help="seed gold for the F1 comparison (default: %(default)s)")
    ap.add_argument("--skip-baseline", action="store_true")
    args = ap.parse_args(argv)

    # The package's bytecode compiled first, as an installed package has it (tools/venv.sh does the
    # same): where PYTHONDONTWRITEBYTECODE is set, each run would otherwise compile pipeline/ anew.
    compileall.compile_dir(ROOT / "pipeline", quiet=1)
    report = {"machine": machine(), "command": " ".join([Path(sys.executable).name, *sys.argv])}
    if args.memory:
        marks = [n for n in (10_000, 50_000, 100_000) if n < args.memory_total] + [args.memory_total]
        report["memory"] = memory(args.memory_total, marks, max(args.workers))
        rows = report["memory"]["checkpoints"]
        if len(rows) >= 2:
            a, b = rows[0], rows[-1]
            report["memory"]["growth_parent_pct"] = round(100 * (b["parent_rss_mb"] / a["parent_rss_mb"] - 1), 1)
            report["memory"]["growth_worker_pct"] = round(
                100 * (max(b["worker_rss_mb"]) / max(a["worker_rss_mb"]) - 1), 1)
    else:
        directory = corpus(args.n)
        files = files_of(directory)
        size = sum(p.stat().st_size for p in files)
        report["corpus"] = {"articles": len(files), "mb": round(size / 1e6, 1), "dir": str(directory.relative_to(ROOT))}
        with tempfile.TemporaryDirectory() as tmp:
            # The built extractors (pipeline/build_cache.py) in a folder of this benchmark, made by
            # a first run: what every run but the first after an install or a pattern change finds.
            saved = os.environ.get("NEWSFACTS_CACHE_DIR")
            os.environ["NEWSFACTS_CACHE_DIR"] = str(Path(tmp) / "build-cache")
            try:
                tree_cpu([str(files[0])], 1, Path(tmp) / "warm-up.jsonl")
                report["runs"] = [measure_cli(directory, w, Path(tmp) / f"w{w}.jsonl", files, size)
                                  for w in args.workers]
            finally:
                if saved is None:
                    del os.environ["NEWSFACTS_CACHE_DIR"]
                else:
                    os.environ["NEWSFACTS_CACHE_DIR"] = saved
        base = report["runs"][0]
        for run in report["runs"][1:]:
            run["speedup"] = round(run["articles_per_s"] / base["articles_per_s"], 2)
            run["startup_cpu_s_per_extra_worker"] = round(
                (run["startup_cpu_s"] - base["startup_cpu_s"]) / (run["workers"] - base["workers"]), 2)
        report["profile"] = profile_stages(files[: args.profile_n])
        report["python_share"] = python_share(files[: args.profile_n])
        if not args.skip_baseline:
            report["baseline"] = ours_vs_baseline(files, args.baseline_n, args.gold)
    report["machine"]["load_after"] = [round(x, 2) for x in os.getloadavg()]
    text = json.dumps(report, indent=1, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
