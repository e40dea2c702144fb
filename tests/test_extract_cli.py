"""`newsfacts extract` as a user meets it: stdout for stdin, --version, empty input,
a left-over OUT.partial, an installed package without the sample corpus, record
files through the CLI and resuming across one."""
import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT, SHARED, run_cli
from tests.formats_data import ARTICLES, rows, write_jsonl
from tests.test_batch import bench_generate

FRENCH = ARTICLES["fr"].encode()


def test_version_matches_the_package():
    result = run_cli("--version", check=True)
    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text(), re.M).group(1)
    assert result.stdout.decode().strip() == f"newsfacts {version}"


def test_stdin_without_o_writes_stdout_and_leaves_outputs_alone(tmp_path):
    outputs = tmp_path / "outputs"
    outputs.mkdir()
    (outputs / "records.jsonl").write_text("an earlier result\n")
    result = run_cli("extract", "-", input=FRENCH, cwd=tmp_path, check=True)
    (record,) = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert record["doc_id"] == "stdin" and [c["code"] for c in record["codes"]] == ["57-NQ/TW"]
    assert (outputs / "records.jsonl").read_text() == "an earlier result\n"
    assert sorted(os.listdir(outputs)) == ["records.jsonl"]


def test_records_from_stdin_with_format(tmp_path):
    data = write_jsonl(tmp_path / "x.jsonl", rows()).read_bytes()
    result = run_cli("extract", "-", "--format", "jsonl", "-q", input=data, check=True)
    ids = [json.loads(line)["doc_id"] for line in result.stdout.decode().splitlines()]
    assert ids == [f"{lang}-1" for lang in ARTICLES]
    refused = run_cli("extract", "-", "--format", "parquet", input=b"PAR1")
    assert refused.returncode == 2 and b"Parquet cannot be read from stdin" in refused.stderr


def extract_here(capsys, *args) -> tuple[int, str]:
    """`newsfacts extract ARGS --workers 1` in this process (no start-up cost): exit status and stderr."""
    from pipeline import cli

    status = cli.main(["extract", *map(str, args), "--workers", "1"])
    return status, capsys.readouterr().err


@pytest.mark.parametrize("make", ["empty_dir", "only_other_files", "blank_jsonl"])
def test_no_articles_found_warns_and_exits_4(tmp_path, make, capsys):
    inputs = tmp_path / "in"
    inputs.mkdir()
    if make == "only_other_files":
        (inputs / "notes.md").write_text("# notes\n")
        (inputs / "data.json").write_text("{}\n")
    elif make == "blank_jsonl":
        (inputs / "dump.jsonl").write_text("\n\n")
    out = tmp_path / "out.jsonl"
    out.write_text("kept\n")
    status, err = extract_here(capsys, inputs, "-o", out)
    assert status == 4
    assert f"no articles found in {inputs}" in err and "*.jsonl" in err and f"{out} was left as it was" in err
    assert out.read_text() == "kept\n" and not (tmp_path / "out.jsonl.partial").exists()


def test_a_left_over_partial_is_not_silently_overwritten(tmp_path, capsys):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_bytes(FRENCH)
    out, partial = tmp_path / "out.jsonl", tmp_path / "out.jsonl.partial"
    partial.write_text('{"schema_version":1,"doc_id":"x"}\n')
    status, err = extract_here(capsys, corpus, "-o", out)
    assert status == 2 and "did not finish" in err
    assert f"-o {out} --workers 1 --resume" in err and "--restart" in err
    assert partial.read_text() == '{"schema_version":1,"doc_id":"x"}\n' and not out.exists()
    assert extract_here(capsys, corpus, "-o", out, "--restart")[0] == 0
    assert [json.loads(l)["doc_id"] for l in out.read_text().splitlines()] == ["a"] and not partial.exists()
    assert extract_here(capsys, corpus, "-o", out, "--resume", "--restart")[0] == 2


def test_the_output_inside_an_input_directory_is_not_read_back(tmp_path, capsys):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "a.txt").write_bytes(FRENCH)
    out = corpus / "records.jsonl"
    assert extract_here(capsys, corpus, "-o", out)[0] == 0
    assert extract_here(capsys, corpus, "-o", out)[0] == 0  # now records.jsonl sits in the walk
    assert [json.loads(l)["doc_id"] for l in out.read_text().splitlines()] == ["a"]


def test_without_input_or_sample_corpus_the_message_says_what_to_do(tmp_path, monkeypatch, capsys):
    from pipeline import cli

    monkeypatch.setattr(cli, "DEFAULT_CORPUS", tmp_path / "site-packages" / "corpus")
    monkeypatch.chdir(tmp_path)
    assert cli.main(["extract"]) == 2
    err = capsys.readouterr().err
    assert "no INPUT given" in err and "newsfacts extract articles/" in err and "Traceback" not in err
    assert not (tmp_path / "outputs").exists()


@pytest.mark.slow
def test_an_installed_wheel_runs_without_the_corpus(tmp_path):
    """Build the wheel, install it (no dependencies: they come from this venv) into a fresh venv, run it."""
    wheels = tmp_path / "wheels"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                            "-w", str(wheels), str(ROOT)], capture_output=True, timeout=300)
    if build.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {build.stderr.decode()[-300:]}")
    (wheel,) = wheels.glob("newsfacts-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
    python = venv / "bin" / "python"
    # This venv's pip, installing into the new venv's prefix (site-packages, with the patterns as newsfacts_patterns/).
    # --ignore-installed: without it pip would first uninstall the checkout's editable install here.
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--ignore-installed",
                    "--prefix", str(venv), str(wheel)], check=True, timeout=300, capture_output=True)
    # The dependencies come from the venv running the tests, placed after the wheel's own files
    # (a .pth path goes after site-packages); the checkout itself is not on the path.
    site = next((venv / "lib").glob("python3*/site-packages"))
    deps = [p for p in sys.path if p.endswith("site-packages")]
    (site / "deps.pth").write_text("\n".join(deps) + "\n")
    away = tmp_path / "elsewhere"
    away.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NEWSFACTS_PATTERNS")}
    where = subprocess.run([python, "-c", "import pipeline; print(pipeline.__file__)"], cwd=away, env=env,
                           capture_output=True, check=True).stdout.decode()
    assert where.startswith(str(site))  # the wheel's copy, not the checkout
    bare = subprocess.run([python, "-m", "pipeline", "extract"], cwd=away, env=env, capture_output=True, timeout=120)
    assert bare.returncode == 2 and b"no INPUT given" in bare.stderr and b"Traceback" not in bare.stderr
    (away / "a.txt").write_bytes(FRENCH)
    run = subprocess.run([python, "-m", "pipeline", "extract", "a.txt", "-o", "-", "-q"], cwd=away, env=env,
                         capture_output=True, timeout=120)
    assert run.returncode == 0, run.stderr.decode()
    assert [c["code"] for c in json.loads(run.stdout)["codes"]] == ["57-NQ/TW"]


# -- record files through the CLI -------------------------------------------------

@pytest.fixture(scope="module")
def big_jsonl(tmp_path_factory):
    """60 generated articles (bench/generate.py) as one JSON Lines file, two of them bad rows."""
    path = tmp_path_factory.mktemp("records") / "articles.jsonl"
    with open(path, "wb") as fh:
        for i in range(60):
            stem, text = bench_generate.article(i, 20250601)
            if i == 17:
                fh.write(b'{"id": "torn", "text": "\n')
            elif i == 41:
                fh.write(json.dumps({"id": stem}).encode() + b"\n")
            else:
                fh.write(json.dumps({"id": stem, "text": text, "published": f"2025-05-{1 + i % 28:02d}"},
                                    ensure_ascii=False).encode() + b"\n")
    return path


@pytest.fixture(scope="module")
def big_clean(big_jsonl, tmp_path_factory):
    out = tmp_path_factory.mktemp("clean") / "clean.jsonl"
    result = run_cli("extract", big_jsonl, "-o", out, "--workers", "2", "--batch-size", "4", "-q")
    assert result.returncode == 3  # the two bad rows
    return out.read_bytes()


def test_a_record_file_gives_the_same_bytes_for_any_number_of_workers(big_jsonl, big_clean, tmp_path, capsys):
    out = tmp_path / "w1.jsonl"
    status, err = extract_here(capsys, big_jsonl, "-o", out)
    assert status == 3 and "60 articles" in err and "2 errors" in err
    assert out.read_bytes() == big_clean
    records = [json.loads(line) for line in big_clean.splitlines()]
    assert [r["source"]["row"] for r in records] == list(range(1, 61))
    errors = {r["source"]["row"]: r["error"]["kind"] for r in records if "error" in r}
    assert errors == {18: "bad_row", 42: "bad_row"}


def test_sigint_then_resume_across_a_record_file(big_jsonl, big_clean, tmp_path):
    out, partial = tmp_path / "out.jsonl", tmp_path / "out.jsonl.partial"
    args = [sys.executable, "-m", "pipeline", "extract", str(big_jsonl), "-o", str(out), "--workers", "2",
            "--batch-size", "4"]
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while (not partial.exists() or partial.read_bytes().count(b"\n") < 12) and proc.poll() is None \
            and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    if proc.returncode in (0, 3):
        pytest.skip("the run finished before the signal")  # a very fast machine
    assert proc.returncode == 130, err.decode()
    done = partial.read_bytes()
    assert big_clean.startswith(done) and 12 <= done.count(b"\n") < 60
    again = run_cli("extract", big_jsonl, "-o", out, "--workers", "2", "--batch-size", "4")
    assert again.returncode == 2 and b"--resume" in again.stderr  # not silently started over
    resumed = run_cli("extract", big_jsonl, "-o", out, "--workers", "2", "--batch-size", "4", "--resume")
    assert resumed.returncode == 3, resumed.stderr.decode()
    skipped = re.search(rb"(\d+) articles were already in", resumed.stderr)
    assert skipped and int(skipped.group(1)) == done.count(b"\n")
    assert out.read_bytes() == big_clean and not partial.exists()


def test_resume_repairs_a_torn_row_and_re_extracts_a_changed_row(big_jsonl, big_clean, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    cut = big_clean.index(b"\n", len(big_clean) // 2) + 1 + 50
    (tmp_path / "out.jsonl.partial").write_bytes(big_clean[:cut])
    assert extract_here(capsys, big_jsonl, "-o", out, "--resume")[0] == 3
    assert out.read_bytes() == big_clean
    # a row whose text changed since: extracted again, its old record replaced
    changed = tmp_path / "articles.jsonl"
    lines = big_jsonl.read_bytes().splitlines(keepends=True)
    row = json.loads(lines[3])
    row["text"] += "\nLa résolution n° 99-NQ/TW a été adoptée.\n"
    lines[3] = json.dumps(row, ensure_ascii=False).encode() + b"\n"
    changed.write_bytes(b"".join(lines))
    status, err = extract_here(capsys, changed, "-o", out, "--resume")
    assert status == 0 and "1 articles had changed since" in err  # (the bad rows were done before)
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 60 and records[-1]["doc_id"] == row["id"]
    assert "99-NQ/TW" in [c["code"] for c in records[-1]["codes"]]


# -- the dev set with its publication dates as metadata --------------------------

def test_dev_set_with_its_store_dates_as_row_metadata(tmp_path, capsys):
    """../shared/dev: articles + meta.jsonl as one JSON Lines input, store_date as the published field.

    A day (`2025-09-04`) becomes `published` and feeds year inference; a month
    (`2023-11`) names no day: `published` stays null, the value is kept in
    source.date_given.
    """
    dev = SHARED / "dev"
    if not (dev / "meta.jsonl").is_file():
        pytest.skip("the shared dev set is not beside the repo")
    meta = [json.loads(line) for line in (dev / "meta.jsonl").read_text(encoding="utf-8").splitlines()]
    rows_in = [{"doc_id": m["doc_id"], "text": (dev / "articles" / f"{m['doc_id']}.txt").read_text(encoding="utf-8"),
                "url": m["url"], "store_date": m["store_date"]} for m in meta]
    path = write_jsonl(tmp_path / "dev.jsonl", rows_in)
    out, plain = tmp_path / "dev-records.jsonl", tmp_path / "plain.jsonl"
    assert extract_here(capsys, path, "-o", out, "--published-field", "store_date", "-q")[0] == 0
    assert extract_here(capsys, dev / "articles", "-o", plain, "-q")[0] == 0
    records = {r["doc_id"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    files = {r["doc_id"]: r for r in map(json.loads, plain.read_text(encoding="utf-8").splitlines())}
    assert list(records) == [m["doc_id"] for m in meta] and set(files) == set(records)
    days = [m for m in meta if m["store_date"] and len(m["store_date"]) == 10]
    months = [m for m in meta if m["store_date"] and len(m["store_date"]) == 7]
    assert days and months
    for m in meta:
        record, from_file = records[m["doc_id"]], files[m["doc_id"]]
        assert record["text"] == from_file["text"] and record["source"]["url"] == m["url"]
        assert record["source"].get("date_given") == m["store_date"]
        if m in days:
            assert record["published"] == m["store_date"]
        else:  # a month, or nothing: the date the text itself gives, as for the file
            assert record["published"] == from_file["published"]
        assert not [w for w in record["warnings"] if "published field" in w]
        for field in ("codes", "provinces", "officials"):  # what a publication date does not change
            assert record[field] == from_file[field], (m["doc_id"], field)


def test_resume_between_two_duplicates_of_one_row_keeps_both_errors(tmp_path, capsys):
    path = write_jsonl(tmp_path / "d.jsonl", [{"id": "same", "text": text} for text in ARTICLES.values()])
    clean, out = tmp_path / "clean.jsonl", tmp_path / "out.jsonl"
    assert extract_here(capsys, path, "-o", clean, "-q")[0] == 3
    lines = clean.read_bytes().splitlines(keepends=True)
    assert [json.loads(l).get("error", {}).get("kind") for l in lines] == [None] + ["duplicate_id"] * 3
    (tmp_path / "out.jsonl.partial").write_bytes(b"".join(lines[:2]))  # stopped after the first duplicate
    assert extract_here(capsys, path, "-o", out, "-q", "--resume")[0] == 3
    assert out.read_bytes() == clean.read_bytes()


@pytest.mark.parametrize("name", ["news.csv", "news.parquet", "news.warc.gz", "news.jsonl.gz"])
def test_resume_across_every_record_format(tmp_path, capsys, name):
    """Two of four rows written, then --resume: the same file as a run that was never stopped."""
    pytest.importorskip("pyarrow")
    pytest.importorskip("warcio")
    from tests.formats_data import page, write_csv, write_parquet, write_warc

    path = tmp_path / name
    table = rows()
    if name.endswith(".csv"):
        write_csv(path, list(table[0]), [list(r.values()) for r in table])
    elif name.endswith(".parquet"):
        write_parquet(path, {key: [r[key] for r in table] for key in table[0]})
    elif name.endswith(".warc.gz"):
        write_warc(path, [("response", r["url"], "text/html; charset=utf-8", page(r["id"], r["text"]).encode())
                          for r in table])
    else:
        write_jsonl(path, table, gz=True)
    clean, out = tmp_path / "clean.jsonl", tmp_path / "out.jsonl"
    assert extract_here(capsys, path, "-o", clean, "-q")[0] == 0
    lines = clean.read_bytes().splitlines(keepends=True)
    assert len(lines) == 4
    (tmp_path / "out.jsonl.partial").write_bytes(b"".join(lines[:2]))
    status, err = extract_here(capsys, path, "-o", out, "--resume")
    assert status == 0 and "2 articles were already in" in err and "newsfacts: 2 articles" in err
    assert out.read_bytes() == clean.read_bytes()
