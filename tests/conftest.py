"""Shared fixtures: the corpus extracted once per test session, through the real CLI."""
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

# The suite is a gate: its property tests draw the same examples on every run, so a
# red run is the code's doing, never the luck of the draw. Explore new examples with
# NEWSFACTS_HYPOTHESIS=explore (and keep any failure it finds as an @example).
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("NEWSFACTS_HYPOTHESIS", "repeatable"))

ROOT = Path(__file__).resolve().parent.parent

# The built extractors a run keeps on disk (pipeline/build_cache.py) go to a folder of this
# test session, not the user's: every process the tests start shares it.
if "NEWSFACTS_CACHE_DIR" not in os.environ:
    os.environ["NEWSFACTS_CACHE_DIR"] = tempfile.mkdtemp(prefix="newsfacts-test-cache-")
    atexit.register(shutil.rmtree, os.environ["NEWSFACTS_CACHE_DIR"], ignore_errors=True)
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "gold" / "seeds.jsonl"
SCORER = SHARED / "eval" / "score.py"


def run_cli(*args, input=None, cwd=ROOT, check=False):
    result = subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=cwd, input=input,
                            capture_output=True, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"newsfacts {' '.join(map(str, args))} exited {result.returncode}:\n{result.stderr.decode()}")
    return result


@pytest.fixture(scope="session")
def corpus_records_path(tmp_path_factory):
    out = tmp_path_factory.mktemp("extract") / "records.jsonl"
    result = run_cli("extract", ROOT / "corpus", "-o", out, check=True)
    assert b"5 articles" in result.stderr
    return out


@pytest.fixture(scope="session")
def corpus_records(corpus_records_path):
    return [json.loads(line) for line in corpus_records_path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="session")
def gold_available():
    if not GOLD.is_file() or not SCORER.is_file():
        pytest.skip(f"the shared gold is not beside the repo ({GOLD})")
    return True


@pytest.fixture
def patterns_copy(tmp_path, monkeypatch):
    """A copy of patterns/ that this test may edit, in effect through NEWSFACTS_PATTERNS (also for subprocesses)."""
    import shutil

    copy = tmp_path / "patterns"
    shutil.copytree(ROOT / "patterns", copy)
    monkeypatch.setenv("NEWSFACTS_PATTERNS", str(copy))
    return copy
