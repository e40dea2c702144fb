"""Messy inputs: every one gives a line -- a record with warnings or an error record --
and never stops the batch. All inputs are generated here in tmp_path (no blobs in git).

Also the per-article time budget (pipeline/budget.py) and the exit status of a
mixed batch run through the CLI.
"""
import concurrent.futures
import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
import regex

from pipeline.read import discover
from pipeline.record import schema
from tests.conftest import ROOT, run_cli
from tests.helpers import best_times, cost_ratio

VALIDATOR = jsonschema.Draft202012Validator(schema())
CORPUS = sorted((ROOT / "corpus").glob("*.txt"))
FACT_FIELDS = ("codes", "dates", "periods", "officials", "provinces", "authors")

ARTICLE_FR = (
    "Le Comité provincial du Parti de Lai Chau a tenu le 14 juin 2025 une conférence sur la résolution "
    "n° 57-NQ/TW du Politburo. Le secrétaire provincial a demandé d'achever le plan n° 12-KH/TU pour la "
    "période 2025-2030.\n"
)
ARTICLE_VI = "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị được tỉnh Đắk Lắk triển khai.\n"

# Seconds one odd article may take in these tests (the budget is 10 s by default).
SLOW = 15.0


@pytest.fixture(scope="module")
def pipeline():
    from pipeline.process import Pipeline

    return Pipeline()


def check_record(record: dict) -> None:
    """Schema-valid, and every mention's offsets slice the text to the mention."""
    VALIDATOR.validate(record)
    if "error" in record:
        return
    text = record["text"]
    for field in FACT_FIELDS:
        for fact in record[field]:
            for m in fact["mentions"]:
                assert text[m["start"]:m["end"]] == m["text"], (field, m)


def codes(record: dict) -> list[str]:
    return [c["code"] for c in record.get("codes", [])]


# -- the bad inputs ------------------------------------------------------------
# name -> (make(tmp_path) -> path, expect(record)); expect asserts what must come out.

def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _error(kind):
    def expect(record):
        assert record["error"]["kind"] == kind, record.get("error")
        assert record["error"]["message"]
    return expect


def _facts(*want_codes, warning=None, provinces=None):
    def expect(record):
        assert "error" not in record, record.get("error")
        for code in want_codes:
            assert code in codes(record)
        if provinces is not None:
            assert [p["name"] for p in record["provinces"]] == provinces
        if warning:
            assert any(warning in w for w in record["warnings"]), record["warnings"]
    return expect


def _bounded(*want_codes):
    """Pathological text: a record (with the facts that are there) or a timeout, never a crash."""
    def expect(record):
        if "error" in record:
            assert record["error"]["kind"] == "timeout", record["error"]
            return
        for code in want_codes:
            assert code in codes(record)
    return expect


def _repeat(unit: str, times: int, around: bool = True) -> bytes:
    body = unit * times
    return ((ARTICLE_FR + body + "\n" + ARTICLE_FR) if around else body).encode("utf-8")


def _invalid_utf8_middle(tmp):
    data = (ARTICLE_FR * 20).encode("utf-8")
    return _write(tmp / "torn.txt", data[:1200] + b"\xc3\x28\xff\xfe\xa0" + data[1200:])


def _big(tmp):
    path = tmp / "huge.txt"
    with open(path, "wb") as fh:  # 50 MB, sparse: refused by its size before a byte is read
        fh.truncate(50 * 1024 * 1024)
    return path


def _one_line_1mb(tmp):
    # The corpus with its line breaks removed, again and again: one 1 MB paragraph.
    # (Not starting with 000's "Vietnam.vn - ..." banner line: see test_banner_on_a_one_line_article.)
    flat = " ".join(p.read_text(encoding="utf-8").replace("\n", " ") for p in CORPUS[1:] + CORPUS[:1])
    text = (flat + " ") * (1_000_000 // len(flat) + 1)
    return _write(tmp / "one_line.txt", text[:1_000_000].encode("utf-8"))


def _mixed_scripts(tmp):
    text = ("مرحبا بكم \u200f" + ARTICLE_FR.strip() + "\u200e שלום עולם \u202eresolution\u202c "
            "中华人民共和国 Ελληνικά русский 😀🇻🇳 \u200b\u200d\ufeff" + ARTICLE_VI) * 3
    return _write(tmp / "scripts.txt", text.encode("utf-8"))


def _dangling(tmp):
    (tmp / "gone.txt").symlink_to(tmp / "never-there.txt")
    return tmp / "gone.txt"


def _fifo(tmp):
    # Found by a walk, a FIFO would block open() forever; named on its own it is
    # a pipe the user chose, so it goes in a directory here.
    os.mkdir(tmp / "with_fifo")
    os.mkfifo(tmp / "with_fifo" / "pipe.txt")
    return tmp / "with_fifo"


BAD_INPUTS = {
    "empty": (lambda t: _write(t / "empty.txt", b""), _error("empty")),
    "whitespace": (lambda t: _write(t / "blank.txt", b" \n\t\r\n   \n"), _error("empty")),
    "png": (lambda t: _write(t / "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(2000)),
            _error("binary")),
    "nul_bytes": (lambda t: _write(t / "nul.txt", b"Le Comit\x00 provincial\x00\x00 du Parti \x00" * 50),
                  _error("binary")),
    "cp1252": (lambda t: _write(t / "latin.txt", ARTICLE_FR.encode("cp1252")),
               _facts("57-NQ/TW", "12-KH/TU", warning="cp1252", provinces=["Lai Chau"])),
    "utf16_bom": (lambda t: _write(t / "utf16.txt", ("\ufeff" + ARTICLE_VI + ARTICLE_FR).encode("utf-16-le")),
                  _facts("57-NQ/TW", "12-KH/TU", provinces=["Dak Lak", "Lai Chau"])),
    "invalid_utf8_middle": (_invalid_utf8_middle, _facts("57-NQ/TW", warning="U+FFFD")),
    "50MB": (_big, _error("too_large")),
    "one_line_1MB": (_one_line_1mb, _bounded("57-NQ/TW", "60-NQ/TW", "177-KL/TW")),
    "token_100KB": (lambda t: _write(t / "token.txt", _repeat("x", 100_000)), _facts("57-NQ/TW", "12-KH/TU")),
    "dash_ones": (lambda t: _write(t / "ones.txt", _repeat("1-", 100_000)), _bounded("57-NQ/TW")),
    "n_degree": (lambda t: _write(t / "ndeg.txt", _repeat("n° ", 100_000)), _bounded("57-NQ/TW")),
    "nguyen": (lambda t: _write(t / "nguyen.txt", _repeat("Nguyen ", 100_000)), _bounded("57-NQ/TW")),
    "capitalised": (lambda t: _write(t / "caps.txt", _repeat("Secrétaire Comité Provincial Nguyen Van ", 5_000)),
                    _bounded("57-NQ/TW")),
    "slashes": (lambda t: _write(t / "slashes.txt", "/".join(str(i) for i in range(100_000)).encode()),
                _bounded()),
    "code_chain": (lambda t: _write(t / "chain.txt", _repeat("57-NQ/TW", 1) + _repeat("-NQ/TW", 100_000, False)),
                   _bounded("57-NQ/TW")),
    "mixed_scripts_rtl": (_mixed_scripts, _facts("57-NQ/TW", "12-KH/TU")),
    "dangling_symlink": (_dangling, _error("unreadable")),
    "fifo_in_a_directory": (_fifo, _error("unreadable")),
    "spaces_and_accents_in_name": (lambda t: _write(t / "Nghị quyết 57 (bản sao) — été.txt", ARTICLE_FR.encode()),
                                   _facts("57-NQ/TW")),
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_gives_one_valid_line(pipeline, tmp_path, name):
    make, expect = BAD_INPUTS[name]
    items = list(discover([str(make(tmp_path))]))
    assert len(items) == 1
    started = time.monotonic()
    record = pipeline.run_input(items[0])
    assert time.monotonic() - started < SLOW
    check_record(record)
    assert record["doc_id"] == items[0].doc_id
    expect(record)


def test_banner_on_a_one_line_article(pipeline):
    # A scrape that lost its line breaks: the site banner is followed by the article on the same line.
    text = "Vietnam.vn - Nền tảng quảng bá Việt Nam " + ARTICLE_FR.strip() + " " + ARTICLE_FR.strip()
    record = pipeline.run_text(text)
    assert codes(record) == ["57-NQ/TW", "12-KH/TU"]


def test_unreadable_file_mode(pipeline, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("tests run as root, where chmod 000 does not stop reads (the dangling symlink covers it)")
    f = _write(tmp_path / "locked.txt", ARTICLE_FR.encode())
    f.chmod(0)
    try:
        record = pipeline.run_input(next(discover([str(f)])))
    finally:
        f.chmod(0o644)
    assert record["error"]["kind"] == "unreadable"


def test_symlink_loop_directory(pipeline, tmp_path):
    (tmp_path / "d" / "sub").mkdir(parents=True)
    _write(tmp_path / "d" / "a.txt", ARTICLE_FR.encode())
    _write(tmp_path / "d" / "sub" / "b.txt", ARTICLE_VI.encode())
    (tmp_path / "d" / "sub" / "loop").symlink_to(tmp_path / "d")
    records = [pipeline.run_input(i) for i in discover([str(tmp_path / "d")])]
    assert [r["doc_id"] for r in records] == ["a", "b"]
    for r in records:
        check_record(r)
        assert "57-NQ/TW" in codes(r)


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses file names that are not UTF-8")
def test_undecodable_file_name_gives_a_writable_record(pipeline, tmp_path):
    from pipeline.record import dumps

    raw = os.fsencode(str(tmp_path)) + b"/r\xe9sum\xe9.txt"  # Latin-1 bytes in a UTF-8 file system
    with open(raw, "wb") as fh:
        fh.write(ARTICLE_FR.encode())
    record = pipeline.run_input(next(discover([str(tmp_path)])))
    check_record(record)
    assert record["doc_id"] == "r\ufffdsum\ufffd"
    dumps(record).encode("utf-8")  # no lone surrogates: the line can be written
    assert "57-NQ/TW" in codes(record)


# The inputs that cost no more than a normal article (the big ones are in the CLI batch below).
QUICK = [name for name in BAD_INPUTS if name not in
         {"one_line_1MB", "token_100KB", "dash_ones", "n_degree", "nguyen", "capitalised", "slashes", "code_chain"}]


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses file names that are not UTF-8")
def test_undecodable_file_name_through_the_cli(tmp_path):
    raw = os.fsencode(str(tmp_path)) + b"/r\xe9sum\xe9.txt"
    with open(raw, "wb") as fh:
        fh.write(ARTICLE_FR.encode())
    result = run_cli("extract", tmp_path, "-o", "-")
    (record,) = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert record["doc_id"] == "r\ufffdsum\ufffd"
    assert "error" not in record, record["error"]
    assert result.returncode == 0


def test_good_articles_around_bad_ones_are_all_extracted_in_order(pipeline, tmp_path):
    inputs, expected = [], []
    for n, name in enumerate(QUICK):
        make = BAD_INPUTS[name][0]
        sub = tmp_path / f"{n:02d}"
        sub.mkdir()
        good = _write(sub / f"good{n:02d}.txt", ARTICLE_FR.encode())
        inputs += [str(good), str(make(sub))]
        expected += [f"good{n:02d}", None]
    records = [pipeline.run_input(item) for item in discover(inputs)]
    assert len(records) == len(inputs)
    for record, doc_id in zip(records, expected):
        check_record(record)
        if doc_id is not None:
            assert record["doc_id"] == doc_id and codes(record) == ["57-NQ/TW", "12-KH/TU"]


# -- the CLI on a mixed batch ----------------------------------------------------

def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_mixed_batch_through_the_cli(tmp_path):
    good_dir = tmp_path / "good"
    good_dir.mkdir()
    for p in CORPUS:
        shutil.copy(p, good_dir / p.name)
    good = sorted(str(p) for p in good_dir.iterdir())
    bad = []
    for n, (name, (make, _)) in enumerate(BAD_INPUTS.items()):
        sub = tmp_path / f"bad{n:02d}"
        sub.mkdir()
        make(sub)
        # Each in a directory of its own: a dangling symlink named on the command
        # line is a usage error (exit 2), found in a walk it is an unreadable input.
        bad.append(str(sub))
    # Interleave: good, bad, bad, bad, bad, good, ...
    mixed, g, b = [], list(good), list(bad)
    while g or b:
        mixed += g[:1] + b[:4]
        g, b = g[1:], b[4:]

    clean = run_cli("extract", *good, "-o", tmp_path / "clean.jsonl")
    assert clean.returncode == 0, clean.stderr.decode()
    assert b"0 errors" in clean.stderr

    result = run_cli("extract", *mixed, "-o", tmp_path / "mixed.jsonl")
    assert result.returncode == 3, result.stderr.decode()
    records = _lines(tmp_path / "mixed.jsonl")
    assert len(records) == len(mixed)  # one line per input
    for record in records:
        check_record(record)
    failed = [r for r in records if "error" in r]
    stderr = result.stderr.decode()
    assert f"{len(failed)} errors" in stderr
    assert f"{len(failed)} article(s) failed" in stderr and str(tmp_path / "mixed.jsonl") in stderr

    # The good articles: byte-identical to the clean run, in the order given.
    clean_lines = (tmp_path / "clean.jsonl").read_text(encoding="utf-8").splitlines()
    mixed_lines = (tmp_path / "mixed.jsonl").read_text(encoding="utf-8").splitlines()
    good_ids = [Path(p).stem for p in good]
    assert [json.loads(line)["doc_id"] for line in mixed_lines if json.loads(line)["doc_id"] in good_ids] == good_ids
    assert [line for line in mixed_lines if json.loads(line)["doc_id"] in good_ids] == clean_lines


def test_usage_errors_exit_2(tmp_path):
    assert run_cli("extract", tmp_path / "missing.txt", "-o", tmp_path / "o.jsonl").returncode == 2
    assert run_cli("extract", "--max-bytes", "0", ROOT / "corpus", "-o", tmp_path / "o.jsonl").returncode == 2
    assert run_cli("extract", "--no-such-flag").returncode == 2


# The text that costs a worker the most memory per byte (measured: ~300 bytes of RSS per byte).
DENSE_TEXTS = {"capitals": "A ", "letters on lines": "a\n"}
_PEAK_OF_A_WORKER = """
import pickle, resource, sys
from pipeline.tasks import Task, run_batch
from pipeline.process import Pipeline
from pipeline.read import Input
pipeline = Pipeline(article_timeout=0)  # no time budget: the whole article goes through every stage
(outcome,) = run_batch(pipeline, [Task.of(Input(doc_id="big", path=sys.argv[1]))], int(sys.argv[2]))
pickle.dumps(outcome)                   # what the worker sends to the parent
print(outcome.tally.get("error", {}).get("kind", "ok"), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss in KiB")
@pytest.mark.parametrize("shape", list(DENSE_TEXTS))
def test_the_largest_article_accepted_by_default_peaks_under_1_gb(tmp_path, shape):
    from pipeline.read import DEFAULT_MAX_BYTES

    unit = DENSE_TEXTS[shape].encode()
    path = _write(tmp_path / "big.txt", unit * (DEFAULT_MAX_BYTES // len(unit)))
    result = subprocess.run([sys.executable, "-c", _PEAK_OF_A_WORKER, str(path), str(DEFAULT_MAX_BYTES)],
                            cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    kind, kib = result.stdout.split()
    assert kind == "ok" and int(kib) < 1024 * 1024, f"peak RSS {int(kib) / 1024:.0f} MB"


def test_size_limit_flag(tmp_path):
    f = _write(tmp_path / "a.txt", ARTICLE_FR.encode())
    result = run_cli("extract", f, "--max-bytes", "10", "-o", "-")
    assert result.returncode == 3
    (record,) = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert record["error"]["kind"] == "too_large" and "--max-bytes" in record["error"]["message"]


# -- the time budget -------------------------------------------------------------

class _Spin:
    """A stand-in extractor that loops in Python for `seconds` (or forever)."""

    entity, key_field = "spin", "x"

    def __init__(self, seconds=None, swallow=False):
        self.seconds, self.swallow = seconds, swallow

    def find(self, article):
        end = time.monotonic() + (self.seconds if self.seconds is not None else 1e9)
        while time.monotonic() < end:
            if self.swallow:
                try:
                    sum(range(1000))
                except Exception:  # an extractor's catch-all must not swallow the stop
                    pass
            else:
                sum(range(1000))
        return []


class _Backtrack:
    """A stand-in extractor whose regex gives up (the regex module's timeout)."""

    entity, key_field = "backtrack", "x"

    def find(self, article):
        regex.search(r"(?:a|aa)+$", "a" * 5000 + "b", timeout=0.05)
        return []


@pytest.fixture
def spinning(pipeline):
    """The module pipeline with an extra extractor put in for one test, and a 0.5 s budget."""
    saved = list(pipeline.extractors)

    def add(extractor, budget=0.5):
        pipeline.extractors.append(extractor)
        pipeline.article_timeout = budget
        return pipeline

    yield add
    pipeline.extractors[:] = saved
    pipeline.article_timeout = None


def test_budget_stops_a_looping_extractor_and_the_next_article_is_fine(spinning):
    pipeline = spinning(_Spin())
    started = time.monotonic()
    record = pipeline.run_text(ARTICLE_FR, doc_id="slow")
    assert time.monotonic() - started < 3
    check_record(record)
    assert record["doc_id"] == "slow" and record["error"]["kind"] == "timeout"
    message = record["error"]["message"]
    assert "budget of 0.5 s" in message and "--article-timeout" in message
    assert "stopped in pipeline.process._stages" in message
    pipeline.extractors.pop()
    assert codes(pipeline.run_text(ARTICLE_FR, doc_id="next")) == ["57-NQ/TW", "12-KH/TU"]


def test_budget_cannot_be_swallowed_by_except_exception(spinning):
    record = spinning(_Spin(swallow=True)).run_text(ARTICLE_FR)
    assert record["error"]["kind"] == "timeout"


def test_work_under_the_budget_is_untouched(spinning):
    record = spinning(_Spin(0.05), budget=5).run_text(ARTICLE_FR)
    assert codes(record) == ["57-NQ/TW", "12-KH/TU"]


def test_regex_timeout_becomes_a_timeout_record(spinning):
    record = spinning(_Backtrack(), budget=None).run_text(ARTICLE_FR, doc_id="re")
    check_record(record)
    assert record["error"]["kind"] == "timeout"
    message = record["error"]["message"]
    assert message.startswith("pipeline.process._stages:")  # the innermost pipeline frame
    assert "a regex search went over" in message and "NEWSFACTS_REGEX_TIMEOUT" in message


def test_budget_from_the_environment(spinning, monkeypatch):
    pipeline = spinning(_Spin(), budget=None)
    monkeypatch.setenv("NEWSFACTS_ARTICLE_BUDGET", "0.3")
    record = pipeline.run_text(ARTICLE_FR)
    assert record["error"]["kind"] == "timeout" and "budget of 0.3 s" in record["error"]["message"]


@pytest.mark.parametrize("value, seconds", [("", 10.0), ("2.5", 2.5), ("0", None), ("-1", None), ("oops", 10.0)])
def test_budget_setting(monkeypatch, value, seconds):
    from pipeline.budget import article_budget

    monkeypatch.setenv("NEWSFACTS_ARTICLE_BUDGET", value)
    assert article_budget() == seconds
    assert article_budget(3.0) == 3.0  # the caller's value wins


def test_budget_works_in_a_thread_pool(spinning):
    pipeline = spinning(_Spin(), budget=0.3)
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        records = list(pool.map(lambda n: pipeline.run_text(ARTICLE_FR, doc_id=str(n)), range(6)))
    assert [r["doc_id"] for r in records] == [str(n) for n in range(6)]
    assert {r["error"]["kind"] for r in records} == {"timeout"}


def _spin_in_child(n):
    from pipeline.process import Pipeline

    global _CHILD
    if "_CHILD" not in globals():
        _CHILD = Pipeline(entities=["codes"])
        _CHILD.extractors.append(_Spin())
        _CHILD.article_timeout = 0.3
    return _CHILD.run_text(ARTICLE_FR, doc_id=str(n))["error"]["kind"]


@pytest.mark.skipif(sys.platform != "linux", reason="fork start method")
def test_budget_works_in_forked_pool_workers(pipeline):
    import pipeline.budget as budget

    budget._watchdog()  # a watchdog thread in the parent must not confuse the children
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        assert list(pool.map(_spin_in_child, range(4))) == ["timeout"] * 4


def test_tiny_budgets_never_leak_an_exception(spinning):
    # Budgets that run out around the end of the work: the stop must land inside
    # the article or not at all -- never in the caller's code afterwards.
    pipeline = spinning(_Spin(0.0), budget=0.004)
    kinds = set()
    for n in range(300):
        record = pipeline.run_text(ARTICLE_FR, doc_id=str(n))
        kinds.add(record.get("error", {}).get("kind", "ok"))
        sum(range(2000))  # caller's code: an escaped ArticleTimeout would surface here
    assert kinds <= {"ok", "timeout"}


def test_cli_honours_the_budget_from_the_environment(tmp_path):
    f = _write(tmp_path / "a.txt", ARTICLE_FR.encode())
    env = dict(os.environ, NEWSFACTS_ARTICLE_BUDGET="0.000001")
    result = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(f), "-o", "-"], cwd=ROOT, env=env,
                            capture_output=True, timeout=300)
    assert result.returncode == 3
    (record,) = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert record["error"]["kind"] == "timeout"


def test_cli_article_timeout_flag(tmp_path):
    if b"--article-timeout" not in run_cli("extract", "--help").stdout:
        pytest.skip("the extract command has no --article-timeout flag yet (see docs/reliability.md)")
    f = _write(tmp_path / "a.txt", ARTICLE_FR.encode())
    result = run_cli("extract", f, "--article-timeout", "0.000001", "-o", "-")
    assert result.returncode == 3
    (record,) = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert record["error"]["kind"] == "timeout" and "--article-timeout" in record["error"]["message"]
    assert run_cli("extract", f, "--article-timeout", "0", "-o", "-").returncode == 0  # 0: no budget


# -- inputs that cost a stage the square of their length (see docs/reliability.md) --

SYMBOL_RUNS = ["(", "=", ".", "_", "😀", "!?"]


def assert_linear(pipeline, make_text, n):
    """Eight times the input must cost about eight times the time, not sixty-four (tests/helpers.cost_ratio).

    A quadratic stage inside one C call keeps a worker busy for minutes on a
    megabyte, where only the parent's kill can stop it.
    """
    def extract(size, round_):
        record = pipeline.run_text(ARTICLE_FR + make_text(size, round_) + "\n" + ARTICLE_FR)
        check_record(record)
        assert "error" not in record, record["error"]
        assert "57-NQ/TW" in codes(record)

    ratio = cost_ratio(extract, n)
    assert ratio < 24, f"8x the input cost {ratio:.1f}x the time"


def test_long_symbol_runs_cost_linear_time(pipeline):
    assert_linear(pipeline, lambda n, rep: "".join(run * (n // len(run)) + f"x{rep}\n" for run in SYMBOL_RUNS), 1000)


def test_one_long_token_of_suffixes_costs_linear_time(pipeline):
    # An 8 KB token like this took 12 s in spaCy's tokenizer, 16 KB 50 s.
    assert_linear(pipeline, lambda n, rep: f"a{rep}" + "'s" * (n // 2), 500)


def test_symbol_runs_just_under_the_mask_cost_what_ordinary_text_costs(pipeline):
    # Runs of 63 (the cleaner blanks runs of 64 and more): 1.3 MB of this took 68 s,
    # not quadratic but 63 passes over the whole text for each run, in one C call.
    from tests.test_batch import bench_generate

    prose = "".join(bench_generate.article(i)[1] for i in range(40))       # ~400 KB of news text
    runs = ("(" * 63 + "a") * (len(prose) // 64)
    best = best_times({"symbols": lambda r: pipeline.run_text("(" * 63 + f"a{r}" + runs),   # new each round
                       "prose": lambda r: pipeline.run_text(f"{r} {prose}")})
    assert best["symbols"] < 3 * best["prose"], best


# -- stage by stage: the budget of each article ----------------------------------

def test_each_article_of_a_wave_has_its_own_budget(spinning, tmp_path):
    """Articles take turns through the stages; only the time spent on an article counts against its budget."""
    from pipeline.read import Input

    pipeline = spinning(_Spin(0.15), budget=0.5)
    items = [Input(doc_id=f"a{n}", path=None, data=ARTICLE_FR.encode()) for n in range(6)]
    started = time.monotonic()
    records = pipeline.run_inputs(items)
    assert time.monotonic() - started > 0.9  # the wave took longer than one budget ...
    assert [r["doc_id"] for r in records] == [f"a{n}" for n in range(6)]
    assert all("error" not in r for r in records)  # ... but no article did
    assert all(codes(r) == ["57-NQ/TW", "12-KH/TU"] for r in records)


def test_an_article_over_its_budget_leaves_the_rest_of_its_wave_alone(spinning):
    from pipeline.read import Input

    class SlowOnOne(_Spin):
        def find(self, article):
            self.seconds = 5.0 if article.doc_id == "slow" else 0.0
            return super().find(article)

    pipeline = spinning(SlowOnOne(), budget=0.3)
    items = [Input(doc_id=doc_id, path=None, data=ARTICLE_FR.encode()) for doc_id in ("a", "slow", "b")]
    records = pipeline.run_inputs(items)
    assert [r["doc_id"] for r in records] == ["a", "slow", "b"]
    assert records[1]["error"]["kind"] == "timeout" and "stopped in pipeline.process._stages" in \
        records[1]["error"]["message"]
    assert codes(records[0]) == codes(records[2]) == ["57-NQ/TW", "12-KH/TU"]


@pytest.mark.parametrize("budget, variable, kept", [
    (None, None, False),     # the default budget: the parent stops an overrun, no per-call timeout
    (5.0, None, False),
    (0, None, True),         # no budget: nothing else would stop a regex stuck in C
    (None, "3", True),       # NEWSFACTS_REGEX_TIMEOUT set: asked for
])
def test_extract_workers_drop_regex_timeouts_only_where_the_parent_stops_overruns(monkeypatch, budget, variable, kept):
    from pipeline import patterns
    from pipeline.engines import local
    from pipeline.tasks import Settings

    monkeypatch.setattr(patterns, "REGEX_TIMEOUT", 2.0)
    monkeypatch.delenv("NEWSFACTS_ARTICLE_BUDGET", raising=False)
    if variable is None:
        monkeypatch.delenv("NEWSFACTS_REGEX_TIMEOUT", raising=False)
    else:
        monkeypatch.setenv("NEWSFACTS_REGEX_TIMEOUT", variable)
    local._drop_regex_timeouts_if_watched(Settings(article_timeout=budget))
    assert patterns.REGEX_TIMEOUT == (2.0 if kept else None)

