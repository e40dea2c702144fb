"""The benchmark's own measuring tools: CPU of a whole process tree, and A/B in one process."""
import subprocess
import sys

import pytest

from tests.conftest import ROOT

# A command whose child burns CPU after the command itself has exited: the orphan must still count.
_ORPHAN = r"""
import os, sys, time
if os.fork() == 0:
    end = time.process_time() + {child}
    while time.process_time() < end:
        pass
    os._exit(0)
end = time.process_time() + {parent}
while time.process_time() < end:
    pass
"""

# Run in a process of its own: run_tree makes its caller a child subreaper.
_MEASURE = r"""
import sys
sys.path.insert(0, "bench")
from cputime import run_tree
run = run_tree([sys.executable, "-c", sys.argv[1]])
print(run.returncode, run.cpu)
"""


@pytest.mark.skipif(sys.platform != "linux", reason="child subreaper: Linux prctl")
@pytest.mark.parametrize("parent, child", [(0.05, 0.6), (0.4, 0.0)])
def test_the_tree_cpu_counts_a_child_that_outlives_the_command(parent, child):
    code = _ORPHAN.format(parent=parent, child=child)
    out = subprocess.run([sys.executable, "-c", _MEASURE, code], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, check=True).stdout.split()
    returncode, cpu = int(out[0]), float(out[1])
    assert returncode == 0
    assert parent + child <= cpu < parent + child + 0.5  # the orphan's CPU is in, and nothing else's


def test_ab_keeps_each_checkouts_modules_apart(tmp_path):
    """bench/ab.py loads two checkouts in one process; each turn must run its own code."""
    shutil = pytest.importorskip("shutil")
    other = tmp_path / "other"
    shutil.copytree(ROOT / "pipeline", other / "pipeline", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "patterns", other / "patterns")
    # The copy writes a different record: a marker in every record's warnings.
    record_py = other / "pipeline" / "record.py"
    record_py.write_text(record_py.read_text().replace('record["warnings"] = article.warnings',
                                                       'record["warnings"] = article.warnings + ["other"]'))
    files = sorted((ROOT / "corpus").glob("*.txt"))[:2]
    script = r"""
import json, sys
sys.path.insert(0, "bench")
import ab
paths = sys.argv[3:]
sides = [ab.Side(ab.Path(sys.argv[1]), paths), ab.Side(ab.Path(sys.argv[2]), paths)]
seen = []
for side in sides + sides:
    side.install()
    from pipeline.tasks import Task, run_batch
    from pipeline.read import Input
    (outcome,) = run_batch(side.pipeline, [Task.of(Input(doc_id="x", path=paths[0]))])
    seen.append("other" in json.loads(outcome.line)["warnings"])
print(json.dumps(seen))
"""
    out = subprocess.run([sys.executable, "-c", script, str(ROOT), str(other), *map(str, files)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[false, true, false, true]"


def test_the_stage_profiles_run_on_the_code_as_it_is(tmp_path):
    # bench/run.py reaches into the worker's path (tasks, stages); a move in the pipeline
    # must not leave the benchmark broken until someone runs it.
    script = r"""
import json, sys
sys.path.insert(0, "bench")
from pathlib import Path
import run
files = sorted(Path("corpus").glob("*.txt"))
print(json.dumps([run.profile_stages(files), run.python_share(files)]))
"""
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    import json

    stages, share = json.loads(out.stdout.splitlines()[-1])
    assert stages["articles"] == 5 and {"officials", "dates", "fold", "record"} <= set(stages["stages"])
    assert share["articles"] == 5 and share["share_by_kind"]
