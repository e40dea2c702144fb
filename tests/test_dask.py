"""The Dask engine writes the same bytes as the local engine, on a real (local) cluster."""
import pytest

from tests.conftest import run_cli
from tests.test_batch import generated_corpus

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")


@pytest.fixture(scope="module")
def cluster():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       dashboard_address=":0", silence_logs=40)
    yield cluster
    cluster.close()


@pytest.mark.slow
def test_dask_cluster_matches_the_local_engine_byte_for_byte(cluster, tmp_path):
    corpus = generated_corpus(tmp_path / "c", 40, per_dir=15)
    local, dask = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    run_cli("extract", corpus, "-o", local, "--workers", "2", "--batch-size", "4", "-q", check=True)
    result = run_cli("extract", corpus, "-o", dask, "--engine", "dask", "--scheduler", cluster.scheduler_address,
                     "--batch-size", "4", check=True)
    assert b"40 articles" in result.stderr
    assert dask.read_bytes() == local.read_bytes()
    # the 10 batches ran on the cluster, on both workers, and their results were released
    client = distributed.Client(cluster)
    try:
        executed = client.run(lambda dask_worker: dask_worker.state.executed_count)
        held = client.run(lambda dask_worker: len(dask_worker.data))
    finally:
        client.close()
    assert sum(executed.values()) == 10 and all(executed.values()), executed
    assert sum(held.values()) == 0


def test_an_unreachable_scheduler_is_a_one_line_error(tmp_path, monkeypatch, capsys):
    from pipeline import cli
    from pipeline.engines import dask as dask_engine

    monkeypatch.setattr(dask_engine, "_CONNECT_TIMEOUT", "1s")
    out = tmp_path / "out.jsonl"
    out.write_text("kept\n")
    assert cli.main(["extract", str(tmp_path), "-o", str(out), "--engine", "dask",
                     "--scheduler", "tcp://127.0.0.1:9"]) == 1
    err = capsys.readouterr().err
    assert "cannot reach the Dask scheduler tcp://127.0.0.1:9" in err and "Traceback" not in err
    assert out.read_text() == "kept\n" and not (tmp_path / "out.jsonl.partial").exists()


@pytest.mark.slow
def test_dask_splits_a_record_file_into_row_chunks(cluster, tmp_path):
    """One JSON Lines file of 24 rows, --batch-size 4: six tasks spread over both workers, not one per file."""
    import json

    from tests.formats_data import ARTICLES, write_jsonl

    texts = list(ARTICLES.values())
    path = write_jsonl(tmp_path / "rows.jsonl", [{"id": f"r{i}", "text": texts[i % 4], "published": "2025-06-20"}
                                                 for i in range(24)])
    local, dask = tmp_path / "local.jsonl", tmp_path / "dask.jsonl"
    client = distributed.Client(cluster)
    try:
        before = client.run(lambda dask_worker: dask_worker.state.executed_count)
        run_cli("extract", path, "-o", local, "--workers", "1", "-q", check=True)
        run_cli("extract", path, "-o", dask, "--engine", "dask", "--scheduler", cluster.scheduler_address,
                "--batch-size", "4", "-q", check=True)
        after = client.run(lambda dask_worker: dask_worker.state.executed_count)
    finally:
        client.close()
    assert dask.read_bytes() == local.read_bytes()
    assert [json.loads(line)["source"]["row"] for line in dask.read_text().splitlines()] == list(range(1, 25))
    ran = {worker: after[worker] - before.get(worker, 0) for worker in after}
    assert sum(ran.values()) == 6 and all(ran.values()), ran
