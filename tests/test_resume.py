"""Stopping and resuming: SIGINT, SIGTERM, kill -9 and a full disk, then --resume.

Whatever stops a run, OUT keeps its previous content, OUT.partial holds only
whole records, and `--resume` finishes the job so that the final OUT has
every article exactly once and equals a clean run's file byte for byte.
"""
import contextlib
import errno
import json
import os
import random
import shlex
import shutil
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT, run_cli
from tests.test_batch import generated_corpus
from tests.test_output import DiskFull

N = 100


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    base = tmp_path_factory.mktemp("resume")
    corpus = generated_corpus(base / "corpus", N, per_dir=40)
    # A second copy of an early article under the same doc_id: its duplicate
    # error record comes last and must survive resuming exactly once.
    twin = base / "twin"
    twin.mkdir()
    first = sorted(corpus.rglob("*.txt"))[2]
    shutil.copy(first, twin / first.name)
    return [str(corpus), str(twin)]


@pytest.fixture(scope="module")
def clean(inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("clean") / "clean.jsonl"
    result = run_cli("extract", *inputs, "-o", out, "--workers", "2", "-q")
    assert result.returncode == 3, result.stderr.decode()  # 3: the duplicate's error record
    return out.read_bytes()


def _start(args, cwd=ROOT):
    return subprocess.Popen([sys.executable, "-m", "pipeline", *map(str, args)], cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def _lines(path):
    try:
        return path.read_bytes().count(b"\n")
    except FileNotFoundError:
        return 0


def _group_gone(pgid, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def _resume_command(stderr: str) -> list[str]:
    """The command the stop message tells the user to run, ready for subprocess."""
    lines = stderr.splitlines()
    i = next(n for n, line in enumerate(lines) if line.endswith("To finish, run:"))
    words = shlex.split(lines[i + 1])
    assert words[:3] == ["python", "-m", "pipeline"] and words[-1] == "--resume"
    return [sys.executable] + words[1:]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_stop_anywhere_then_resume_equals_a_clean_run(inputs, clean, tmp_path, sig):
    rng = random.Random(int(sig))  # random stopping points, the same on every run of the test
    out = tmp_path / "out.jsonl"
    partial = tmp_path / "out.jsonl.partial"
    out.write_text("an older result\n")
    args = ["extract", *inputs, "-o", out, "--workers", "2", "--batch-size", "4"]
    command = None
    stopped_early = 0
    finished = False
    rounds = 2 if sig == signal.SIGINT else 1  # with SIGINT, the second stop hits a resumed run
    for _ in range(rounds):
        proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                start_new_session=True) if command else _start(args)
        target = _lines(partial) + rng.randint(8, 50)
        deadline = time.monotonic() + 120
        while _lines(partial) < target and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(rng.uniform(0, 0.2))
        with contextlib.suppress(ProcessLookupError):  # (the run may have finished already)
            if sig == signal.SIGINT:
                os.killpg(proc.pid, sig)   # Ctrl-C in a terminal reaches the whole process group
            else:
                proc.send_signal(sig)      # kill PID / kill -9 PID reach the parent only
        _, err = proc.communicate(timeout=120)
        err = err.decode()
        assert _group_gone(proc.pid), "worker processes outlived their parent"
        if proc.returncode in (0, 3) or (not partial.exists() and out.read_bytes() == clean):
            # It finished before the signal, or the signal came after OUT was in
            # place (then it changes nothing; kill -9 there still gives exit -9):
            # OUT is the complete result.
            assert out.read_bytes() == clean and not partial.exists(), err
            finished = True
            break
        assert out.read_text() == "an older result\n"  # OUT is only replaced by a finished run
        stopped_early += 1
        assert "Traceback" not in err
        body = partial.read_bytes()
        complete = body[: body.rfind(b"\n") + 1]
        if sig == signal.SIGKILL:
            assert proc.returncode == -signal.SIGKILL
            command = [sys.executable, "-m", "pipeline", *map(str, args), "--resume"]
        else:
            assert proc.returncode == 128 + sig
            assert body == complete  # whole lines only
            assert f"stopped by {sig.name}" in err and f"{out} was left as it was" in err
            records = complete.count(b"\n")
            assert f"the {records} complete records are in {partial}" in err
            command = _resume_command(err)
        for line in complete.splitlines():
            json.loads(line)
        if not clean.startswith(complete):
            (tmp_path / "debug_complete").write_bytes(complete)
            (tmp_path / "debug_clean").write_bytes(clean)
        assert clean.startswith(complete), tmp_path  # records are written in input order
    assert stopped_early >= 1
    if not finished:
        final = subprocess.run(command or [sys.executable, "-m", "pipeline", *map(str, args), "--resume"],
                               cwd=ROOT, capture_output=True, timeout=300)
        # 3 when the duplicate's error record is among the articles this run added;
        # 0 when the stop came after the last record was written (only the rename was left)
        assert final.returncode in (0, 3), final.stderr.decode()
    assert out.read_bytes() == clean
    assert not partial.exists()
    ids = [(r["doc_id"], r.get("error", {}).get("kind")) for r in map(json.loads, out.read_text().splitlines())]
    assert len(ids) == len(set(ids)) == N + 1


def test_resume_repairs_a_torn_last_line(inputs, clean, tmp_path):
    out = tmp_path / "out.jsonl"
    cut = clean.index(b"\n", len(clean) // 3) + 1 + 100   # 100 bytes into a record
    (tmp_path / "out.jsonl.partial").write_bytes(clean[:cut])
    result = run_cli("extract", *inputs, "-o", out, "--workers", "2", "--resume")
    assert result.returncode == 3
    assert out.read_bytes() == clean
    done_before = clean[:cut].count(b"\n")
    assert f"resuming {out}.partial: {done_before} records already there".encode() in result.stderr
    assert f"{done_before} articles were already in {out}".encode() in result.stderr


def _small_corpus(inputs, tmp_path, n):
    """The first n generated articles copied into one folder, and all their paths."""
    src = sorted(os.path.join(d, f) for d, _, fs in os.walk(inputs[0]) for f in fs)
    corpus = tmp_path / "c"
    corpus.mkdir()
    for path in src[:n]:
        shutil.copy(path, corpus)
    return corpus, src


def test_resume_after_a_finished_run_adds_only_the_new_files(inputs, tmp_path):
    corpus, src = _small_corpus(inputs, tmp_path, 12)
    out = tmp_path / "out.jsonl"
    run_cli("extract", corpus, "-o", out, "--workers", "1", check=True)
    before = out.read_bytes()
    for path in src[12:15]:
        shutil.copy(path, corpus)
    result = run_cli("extract", corpus, "-o", out, "--workers", "1", "--resume", check=True)
    assert b"newsfacts: 3 articles" in result.stderr and b"12 articles were already in" in result.stderr
    after = out.read_bytes()
    assert after.startswith(before) and after.count(b"\n") == 15
    assert [json.loads(l)["doc_id"] for l in after.splitlines()] == sorted(os.path.basename(p)[:-4] for p in src[:15])


def test_an_input_changed_since_is_extracted_again_and_replaces_its_record(inputs, tmp_path):
    corpus, src = _small_corpus(inputs, tmp_path, 6)
    out = tmp_path / "out.jsonl"
    run_cli("extract", corpus, "-o", out, "--workers", "1", check=True)
    changed = corpus / os.path.basename(src[1])
    changed.write_text(changed.read_text(encoding="utf-8") + "\nLa résolution n° 99-NQ/TW.\n", encoding="utf-8")
    result = run_cli("extract", corpus, "-o", out, "--workers", "1", "--resume", check=True)
    assert b"1 articles had changed since" in result.stderr
    records = [json.loads(l) for l in out.read_text().splitlines()]
    assert sorted(r["doc_id"] for r in records) == sorted(os.path.basename(p)[:-4] for p in src[:6])
    new = next(r for r in records if r["doc_id"] == changed.stem)
    assert "99-NQ/TW" in [c["code"] for c in new["codes"]]
    assert records[-1] is new  # the re-extracted record is appended at the end


def test_full_disk_keeps_out_and_the_complete_records(inputs, tmp_path, monkeypatch, capsys):
    from pipeline import cli, output

    corpus, _ = _small_corpus(inputs, tmp_path, 20)
    out = tmp_path / "out.jsonl"
    args = ["extract", str(corpus), "-o", str(out), "--workers", "1", "--batch-size", "4"]
    assert cli.main(args + ["-q"]) == 0
    clean = out.read_bytes()
    out.write_text("the previous result\n")

    real_open = output.Output.open

    def open_on_a_small_disk(self):
        done = real_open(self)
        self._fh = DiskFull(self._fh, room=len(clean) // 2)
        return done

    monkeypatch.setattr(output.Output, "open", open_on_a_small_disk)
    assert cli.main(args) == 1
    err = capsys.readouterr().err
    assert os.strerror(errno.ENOSPC) in err and f"{out} was left as it was" in err
    assert "To finish, run:" in err and "--resume" in err
    assert out.read_text() == "the previous result\n"
    kept = (tmp_path / "out.jsonl.partial").read_bytes()
    assert kept and kept.endswith(b"\n") and clean.startswith(kept)  # whole records only

    monkeypatch.setattr(output.Output, "open", real_open)   # space was freed
    assert cli.main(args + ["--resume", "-q"]) == 0
    assert out.read_bytes() == clean


def test_resume_refuses_to_mix_records_with_and_without_text(inputs, tmp_path):
    corpus, src = _small_corpus(inputs, tmp_path, 4)
    out = tmp_path / "out.jsonl"
    run_cli("extract", corpus, "-o", out, "--workers", "1", "--no-text", check=True)
    before = out.read_bytes()
    shutil.copy(src[4], corpus)
    result = run_cli("extract", corpus, "-o", out, "--workers", "1", "--resume")
    assert result.returncode == 2
    assert b"written without `text` (--no-text); add --no-text to resume" in result.stderr
    assert out.read_bytes() == before
    # With the same flags, the missing article is added, without text like the others.
    run_cli("extract", corpus, "-o", out, "--workers", "1", "--resume", "--no-text", check=True)
    records = [json.loads(line) for line in out.read_bytes().splitlines()]
    assert len(records) == 5 and not any("text" in r for r in records)
    # And the other way round: a file with text refuses a --no-text resume.
    full = tmp_path / "full.jsonl"
    run_cli("extract", corpus, "-o", full, "--workers", "1", check=True)
    result = run_cli("extract", corpus, "-o", full, "--workers", "1", "--resume", "--no-text")
    assert result.returncode == 2 and b"drop --no-text to resume" in result.stderr


def test_a_signal_after_out_is_in_place_changes_nothing(inputs, tmp_path, monkeypatch, capsys):
    from pipeline import cli, output

    corpus, _ = _small_corpus(inputs, tmp_path, 3)
    out = tmp_path / "out.jsonl"
    real_commit = output.Output.commit

    def commit_then_ctrl_c(self, stale=None):
        real_commit(self, stale)
        os.kill(os.getpid(), signal.SIGINT)  # caught by the run's handler: it only sets a flag

    monkeypatch.setattr(output.Output, "commit", commit_then_ctrl_c)
    assert cli.main(["extract", str(corpus), "-o", str(out), "--workers", "1"]) == 0
    err = capsys.readouterr().err
    assert "stopped by" not in err and "--resume" not in err
    assert out.read_bytes().count(b"\n") == 3 and not (tmp_path / "out.jsonl.partial").exists()


def test_an_input_changed_between_two_interruptions_keeps_one_record(inputs, tmp_path, monkeypatch, capsys):
    """Stop after X is written, edit X, resume, stop again after X's new record, resume: X once, the new one."""
    from pipeline import cli, output

    corpus, _ = _small_corpus(inputs, tmp_path, 60)
    files = sorted(corpus.iterdir())
    changed = files[10]
    out = tmp_path / "out.jsonl"
    args = ["extract", str(corpus), "-o", str(out), "--workers", "1", "--batch-size", "4", "-q"]
    real_write = output.Output.write

    def stop_after(marker):
        def write(self, lines):
            real_write(self, lines)
            texts = [line.decode("utf-8") if isinstance(line, bytes) else line for line in lines]   # workers send bytes
            if any(f'"doc_id":"{changed.stem}"' in line and marker in line for line in texts):
                os.kill(os.getpid(), signal.SIGINT)   # as Ctrl-C: the run stops after this batch
        return write

    monkeypatch.setattr(output.Output, "write", stop_after(""))
    assert cli.main(args) == 130
    changed.write_text(changed.read_text(encoding="utf-8") + "\nLa résolution n° 99-NQ/TW.\n", encoding="utf-8")
    monkeypatch.setattr(output.Output, "write", stop_after("99-NQ/TW"))
    assert cli.main(args + ["--resume"]) == 130
    monkeypatch.setattr(output.Output, "write", real_write)
    assert cli.main(args + ["--resume"]) == 0
    capsys.readouterr()
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 60
    assert sorted(r["doc_id"] for r in records) == sorted(p.stem for p in files)
    (new,) = [r for r in records if r["doc_id"] == changed.stem]
    assert "99-NQ/TW" in [c["code"] for c in new["codes"]]
