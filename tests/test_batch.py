"""Batch extraction: the same bytes for any number of workers, order, duplicates, progress, flags, a whole run."""
import importlib.util
import io
import json
import shutil

import pytest

from pipeline.batch import DuplicateGuard, Extraction, Progress
from pipeline.tasks import Outcome, Settings, Task, tally
from pipeline.read import Input, ReadError
from pipeline.record import dumps
from tests.conftest import ROOT, run_cli

_spec = importlib.util.spec_from_file_location("bench_generate", ROOT / "bench" / "generate.py")
bench_generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_generate)


def generated_corpus(directory, n, per_dir=1000):
    """n generated articles (bench/generate.py) under `directory`."""
    return bench_generate.generate(n, directory, per_dir=per_dir)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    # 3 sub-directories, so the walk order (sorted, recursive) is exercised too
    return generated_corpus(tmp_path_factory.mktemp("bench") / "c", 45, per_dir=16)


@pytest.fixture(scope="module")
def one_worker(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("w1") / "out.jsonl"
    run_cli("extract", corpus, "-o", out, "--workers", "1", "-q", check=True)
    return out.read_bytes()


@pytest.mark.parametrize("workers", [2, 3])
def test_any_number_of_workers_gives_the_same_bytes(corpus, one_worker, tmp_path, workers):
    out = tmp_path / "out.jsonl"
    result = run_cli("extract", corpus, "-o", out, "--workers", workers, "--batch-size", 4, check=True)
    assert out.read_bytes() == one_worker
    assert b"45 articles" in result.stderr


def test_records_are_in_input_order_and_complete(corpus, one_worker):
    records = [json.loads(line) for line in one_worker.decode().splitlines()]
    expected = sorted(p.stem for p in corpus.rglob("*.txt"))
    assert [r["doc_id"] for r in records] == expected
    assert all("error" not in r for r in records)
    assert sum(len(r["codes"]) for r in records) > 45  # the generated articles really carry facts


def test_duplicates_and_stdin_with_a_pool(corpus, tmp_path):
    files = sorted(corpus.rglob("*.txt"))
    twin = tmp_path / "twin"
    twin.mkdir()
    shutil.copy(files[3], twin / files[3].name)   # same doc_id as an input earlier in the run
    out = tmp_path / "out.jsonl"
    result = run_cli("extract", corpus, twin, "-", "-o", out, "--workers", "2", "--batch-size", "3",
                     input=files[0].read_bytes())
    assert result.returncode == 3  # the duplicate is an error record
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 47
    assert records[45]["error"]["kind"] == "duplicate_id" and files[3].stem in records[45]["doc_id"]
    assert records[46]["doc_id"] == "stdin" and "error" not in records[46]
    assert records[46]["codes"] == records[0]["codes"]


def test_a_worker_builds_its_pipeline_once(monkeypatch):
    """pipeline_for (what every worker calls) builds one Pipeline per set of extractors, never one per batch."""
    import pipeline.engines as engines

    monkeypatch.setattr(engines, "_local", type(engines._local)())  # forget any cached pipeline
    monkeypatch.setattr(engines, "_inherited", {})
    plain, no_text = Settings(), Settings(include_text=False, article_timeout=3.0)
    first = engines.pipeline_for(plain)
    assert engines.pipeline_for(plain) is first and first.include_text
    # Settings that are plain attributes reuse it; other extractors need another.
    same = engines.pipeline_for(no_text)
    assert same is first and not same.include_text and same.article_timeout == 3.0
    assert engines.pipeline_for(plain).include_text and first.article_timeout is None
    codes_only = engines.pipeline_for(Settings(entities=("codes",)))
    assert codes_only is not first and [e.entity for e in codes_only.extractors] == ["codes"]


def test_a_pipeline_built_before_the_fork_is_claimed_once_and_only_if_it_fits(monkeypatch, tmp_path):
    """engines/preload.py builds the default Pipeline in the forkserver; the first worker thread takes it."""
    import shutil

    import pipeline.engines as engines
    from pipeline.patterns import patterns_dir
    from pipeline.process import Pipeline

    monkeypatch.setattr(engines, "_local", type(engines._local)())
    monkeypatch.setattr(engines, "_inherited", {})
    built = Pipeline()
    engines.keep_inherited(built)
    assert engines.pipeline_for(Settings(include_text=False)) is built and not built.include_text
    monkeypatch.setattr(engines, "_local", type(engines._local)())
    assert engines.pipeline_for(Settings()) is not built      # claimed once: another thread builds its own

    # Built for every extractor: a run with fewer does not take it.
    monkeypatch.setattr(engines, "_local", type(engines._local)())
    engines.keep_inherited(built)
    assert engines.pipeline_for(Settings(entities=("codes",))) is not built

    # Pattern files changed since it was built (another folder here): not taken either.
    copy = tmp_path / "patterns"
    shutil.copytree(patterns_dir(), copy)
    monkeypatch.setattr(engines, "_local", type(engines._local)())
    monkeypatch.setattr(engines, "_inherited", {})
    engines.keep_inherited(built)
    monkeypatch.setenv("NEWSFACTS_PATTERNS", str(copy))
    assert engines.pipeline_for(Settings()) is not built


def test_a_small_run_starts_one_worker(corpus):
    files = sorted(corpus.rglob("*.txt"))[:5]
    job = Extraction([str(f) for f in files], Settings(), workers=4, batch_size=32)
    assert sum(len(b) for b in job.run()) == 5
    assert job.engine_used == "1 worker process"


def test_stop_ends_the_run_between_batches(corpus):
    job = Extraction([str(corpus)], Settings(include_text=False), workers=1, batch_size=5)
    seen = []
    for batch in job.run(stop=lambda: len(seen) >= 2):
        seen.append(batch)
    assert len(seen) == 2 and all(len(b) == 5 for b in seen)


def test_task_carries_read_errors_across_processes():
    import pickle

    item = Input(doc_id="d", path="x/d", error=ReadError("unreadable", "x/d: cannot list directory"))
    task = pickle.loads(pickle.dumps(Task.of(item)))
    back = task.to_input()
    assert back.error.kind == "unreadable" and back.error.message == "x/d: cannot list directory"


def test_tally_counts_like_the_record():
    record = {"codes": [1, 2], "dates": [], "officials": [1], "warnings": ["w"], "authors": [1, 2, 3]}
    t = tally(record)
    assert [len(t[k]) for k in ("codes", "dates", "officials", "authors")] == [2, 0, 1, 3]
    assert t["warnings"] == ["w"] and "error" not in t
    assert "error" in tally({"error": {"kind": "binary"}, "warnings": []})
    assert isinstance(Outcome("x\n", t), tuple)


def test_duplicate_guard_names_both_paths():
    guard = DuplicateGuard()
    assert guard.check(Input("a", "one/a.txt")) is None
    assert guard.check(Input("a", "one/a.txt")) is None  # the same file given twice is not a duplicate
    err = guard.check(Input("a", "two/a.txt"))["error"]
    assert err["kind"] == "duplicate_id" and "one/a.txt" in err["message"] and "two/a.txt" in err["message"]


def test_progress_log_lines_when_not_a_terminal():
    stream = io.StringIO()
    progress = Progress(["x"], stream=stream, every=0)
    progress.update(32)
    progress.update(32, skipped=10)
    progress.close()
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("newsfacts: 32 articles, ") and lines[0].endswith("/s")
    assert lines[1].startswith("newsfacts: 64 articles, ") and "(10 already done, skipped)" in lines[1]


def test_progress_is_silent_when_disabled():
    stream = io.StringIO()
    progress = Progress(["x"], enabled=False, stream=stream, every=0)
    progress.update(32)
    progress.close()
    assert stream.getvalue() == ""


def test_progress_bar_on_a_terminal(corpus):
    class Tty(io.StringIO):
        def isatty(self):
            return True

    stream = Tty()
    progress = Progress([str(corpus)], stream=stream, every=0)
    progress.update(10)
    progress.close()
    assert "10" in stream.getvalue() and "articles" in stream.getvalue()


def test_quiet_silences_progress_and_summary(corpus, tmp_path):
    result = run_cli("extract", corpus, "-o", tmp_path / "o.jsonl", "-q", "--workers", "2", "--batch-size", "8",
                     check=True)
    assert result.stderr == b""


@pytest.mark.parametrize("args, message", [
    (["--workers", "0"], b"--workers must be at least 1"),
    (["--batch-size", "0"], b"--batch-size must be at least 1"),
    (["--scheduler", "tcp://localhost:1"], b"--scheduler needs --engine dask"),
    (["--engine", "spark"], b"invalid choice"),
])
def test_bad_flags_are_usage_errors(tmp_path, args, message):
    result = run_cli("extract", ROOT / "corpus", "-o", tmp_path / "o.jsonl", *args)
    assert result.returncode == 2 and message in result.stderr
    assert not (tmp_path / "o.jsonl").exists()


def test_help_documents_the_batch_flags():
    out = run_cli("extract", "--help", check=True).stdout.decode()
    for flag in ("--workers", "--resume", "--engine", "--scheduler", "--batch-size", "OUT.partial"):
        assert flag in out


@pytest.mark.parametrize("workers", [1, 2])
def test_a_pipeline_that_cannot_load_is_one_clear_error(corpus, workers):
    from pipeline.engines import EngineError

    job = Extraction([str(corpus)], Settings(entities=("no_such_extractor",)), workers=workers, batch_size=4)
    with pytest.raises(EngineError, match=r"a worker could not load the pipeline: PatternError: no fact type \[.no_such_extractor.\]"):
        for _ in job.run():
            pass


def test_duplicate_guard_names_both_paths_whatever_their_shape():
    guard = DuplicateGuard()
    firsts = [Input(doc_id="a", path="a/a.txt"), Input(doc_id="stdin", path=None),
              Input(doc_id="x", path="named-elsewhere.txt"), Input(doc_id="b", path="d/b.html")]
    assert all(guard.check(item) is None for item in firsts)
    assert all(guard.check(item) is None for item in firsts)  # the same path again is no duplicate
    seconds = {"a": "other/a.txt", "stdin": "in/stdin.txt", "x": "y/x.txt", "b": "d/b.txt"}
    for item in firsts:
        err = guard.check(Input(doc_id=item.doc_id, path=seconds[item.doc_id]))["error"]
        assert err["kind"] == "duplicate_id"
        assert f"both {item.path or 'stdin'} and {seconds[item.doc_id]}" in err["message"]
    # Files of one folder share one stored (folder, suffix) pair.
    for i in range(100):
        guard.check(Input(doc_id=f"n{i}", path=f"big/n{i}.txt"))
    assert len({id(guard.paths[f"n{i}"]) for i in range(100)}) == 1


@pytest.mark.parametrize("wave_chars", [500_000, 20_000, 1])
def test_stage_by_stage_gives_the_records_of_one_article_at_a_time(tmp_path, monkeypatch, wave_chars):
    """Pipeline.run_inputs takes waves of articles through each stage in turn: the same records as one by one."""
    import pipeline.process as process
    from pipeline.engines import pipeline_for
    from pipeline.read import discover

    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    inputs = [str(ROOT / "corpus"), str(ROOT / "tests" / "data" / "multilingual"),
              str(ROOT / "tests" / "data" / "html"), str(tmp_path)]
    pipeline = pipeline_for(Settings())
    one_by_one = [pipeline.run_input(item) for item in discover(inputs)]
    monkeypatch.setattr(process, "WAVE_CHARS", wave_chars)
    together = pipeline.run_inputs(list(discover(inputs)))
    assert len(together) == len(one_by_one) > 15
    assert {r["error"]["kind"] for r in together if "error" in r} == {"empty", "binary"}
    assert [dumps(r) for r in together] == [dumps(r) for r in one_by_one]


# -- a whole run into OUT (batch.extract_into): the messages and the exit status ------------------------------

def _extract_into(inputs, out, quiet=False):
    from pipeline.batch import extract_into
    from pipeline.output import Output

    said = []
    output = Output(str(out))
    status = extract_into(output, lambda done: Extraction([str(i) for i in inputs], Settings(), done),
                          include_text=True, quiet=quiet, resume_command="newsfacts extract ... --resume",
                          say=said.append)
    return status, said


def test_a_run_into_out_says_its_summary_and_exits_by_what_failed(tmp_path):
    from pipeline.batch import EXIT_NOTHING_FOUND, EXIT_OK, EXIT_SOME_FAILED

    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "a.txt").write_text("Le Bureau politique a publié la résolution 57-NQ/TW le 22 décembre 2024.\n",
                                  encoding="utf-8")
    status, said = _extract_into([inputs], tmp_path / "out.jsonl")
    assert status == EXIT_OK and len(said) == 1
    assert said[0].startswith("newsfacts: 1 articles, codes=1 ") and " 0 errors, " in said[0]
    (inputs / "b.txt").write_bytes(b"")                                   # an empty article fails
    status, said = _extract_into([inputs], tmp_path / "out.jsonl", quiet=True)
    assert status == EXIT_SOME_FAILED and said == []
    empty = tmp_path / "empty"
    empty.mkdir()
    status, said = _extract_into([empty], tmp_path / "none.jsonl")
    assert status == EXIT_NOTHING_FOUND and said[0].startswith(f"newsfacts extract: no articles found in {empty}")
    assert not (tmp_path / "none.jsonl").exists() and not (tmp_path / "none.jsonl.partial").exists()


def test_default_workers_are_the_cores_this_process_may_use():
    import os

    from pipeline.batch import default_workers

    expected = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert default_workers() == expected >= 1
