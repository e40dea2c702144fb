"""Fault injection on real runs: a process dies, an article never returns; the run still ends.

Whatever process of a run dies -- an idle worker (what the out-of-memory
killer picks), a busy one, the forkserver that starts them -- `extract`
ends in bounded time with a clear message and exit status 1, leaves no
process behind, and `--resume` then finishes the job. An article stuck in
a call no Python exception can interrupt gets a `timeout` record from the
parent, which kills and replaces its worker; the other articles of its
batch are extracted again and come out as in a clean run.

The stuck article is a FIFO named on the command line that the test holds
open without writing: the worker blocks in read(), a C call, exactly as it
would inside a quadratic tokenizer call -- but for as long as the test likes.
"""
import json
import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from tests.conftest import ROOT, run_cli
from tests.test_batch import generated_corpus
from tests.test_resume import _group_gone

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="FIFOs, /proc and forkserver workers")

BOUND = 60  # seconds a run may take to notice a death and end (it takes about one)


@pytest.fixture(scope="module")
def articles(tmp_path_factory):
    return generated_corpus(tmp_path_factory.mktemp("faults") / "c", 6, per_dir=100)


@pytest.fixture
def fifo(tmp_path):
    """A FIFO named like an article, held open (read-write, so nothing blocks here) and never written."""
    path = tmp_path / "stuck.txt"
    os.mkfifo(path)
    fd = os.open(path, os.O_RDWR)
    yield path
    os.close(fd)


def _start(*args):
    return subprocess.Popen([sys.executable, "-m", "pipeline", "extract", *map(str, args)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def _end(proc, timeout=BOUND):
    """Wait for the run; if it hangs, kill its whole process group and fail."""
    try:
        _, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        pytest.fail(f"the run did not end within {timeout} s")
    return err.decode()


def _reading(pid, path) -> bool:
    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}") == str(path) for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return False


def _processes(proc, fifo):
    """(forkserver, busy worker, idle worker) of a run whose first batch is the FIFO, once they are settled."""
    root = psutil.Process(proc.pid)
    deadline = time.monotonic() + BOUND
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode()
        family = root.children(recursive=True)
        workers = [p for p in family if p.ppid() != proc.pid]      # forked by the forkserver
        busy = [p for p in workers if _reading(p.pid, fifo)]
        if len(workers) == 2 and busy:
            idle = next(p for p in workers if p.pid != busy[0].pid)
            server = psutil.Process(busy[0].ppid())
            # The idle worker has done its batches when its CPU time stops moving.
            before = idle.cpu_times()
            time.sleep(1.0)
            if idle.cpu_times() == before:
                return server, busy[0], idle
        time.sleep(0.2)
    pytest.fail("the workers did not settle")


def _clean_run(inputs, out):
    result = run_cli("extract", *inputs, "-o", out, "--workers", "1")
    assert result.returncode == 0, result.stderr.decode()
    return out.read_bytes()


@pytest.mark.parametrize("victim", ["idle worker", "busy worker", "forkserver", "idle worker, then SIGTERM"])
def test_a_process_that_dies_ends_the_run_and_resume_finishes_it(articles, fifo, tmp_path, victim):
    out = tmp_path / "out.jsonl"
    args = [fifo, articles, "-o", out, "--workers", "2", "--batch-size", "1", "--article-timeout", "600"]
    proc = _start(*args)
    server, busy, idle = _processes(proc, fifo)
    target = {"idle worker": idle, "busy worker": busy, "forkserver": server}[victim.split(",")[0]]
    started = time.monotonic()
    target.send_signal(signal.SIGKILL)
    if victim.endswith("SIGTERM"):
        proc.send_signal(signal.SIGTERM)
    err = _end(proc)
    assert time.monotonic() - started < BOUND
    assert "Traceback" not in err, err
    if victim.endswith("SIGTERM"):
        assert proc.returncode in (1, 128 + signal.SIGTERM), err   # whichever the parent saw first
    else:
        assert proc.returncode == 1, err
        doing = "while extracting" if victim == "busy worker" else ""
        assert f"died {doing}" in err and "the records written so far are kept" in err, err
        if victim == "idle worker":
            assert f"worker process {idle.pid} died while idle (killed by SIGKILL" in err, err
    assert "To finish, run:" in err or "was left as it was" in err, err
    assert _group_gone(proc.pid), "processes of the run outlived it"

    # The stuck input becomes an ordinary article, and --resume finishes the job.
    os.unlink(fifo)
    fifo.write_text("La résolution n° 57-NQ/TW du Politburo, adoptée à Hanoi le 3 mai 2025.\n", encoding="utf-8")
    resumed = run_cli("extract", *args, "--resume")
    assert resumed.returncode == 0, resumed.stderr.decode()
    assert out.read_bytes() == _clean_run([fifo, articles], tmp_path / "clean.jsonl")


@pytest.mark.parametrize("workers", [1, 2])
def test_an_article_stuck_in_c_code_gets_a_timeout_record_from_the_parent(articles, fifo, tmp_path, workers):
    files = sorted(articles.rglob("*.txt"))
    inputs = [files[0], fifo, *files[1:4]]       # one batch: the stuck article in the middle
    out = tmp_path / "out.jsonl"
    proc = _start(*inputs, "-o", out, "--workers", workers, "--batch-size", "8", "--article-timeout", "1")
    err = _end(proc)
    assert proc.returncode == 3, err            # 3: one article failed, the others are there
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["doc_id"] for r in records] == [p.stem for p in inputs]
    stuck = records[1]
    assert stuck["error"]["kind"] == "timeout", stuck
    assert "stopped and replaced" in stuck["error"]["message"] and "--article-timeout" in stuck["error"]["message"]
    # The articles done again by the fresh worker are byte for byte what a clean run gives.
    clean = _clean_run([files[0], *files[1:4]], tmp_path / "clean.jsonl").decode().splitlines()
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [lines[0]] + lines[2:] == clean
    assert _group_gone(proc.pid)
