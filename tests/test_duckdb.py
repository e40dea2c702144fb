"""The DuckDB example of docs/store.md, run exactly as written on records files."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

duckdb = pytest.importorskip("duckdb", reason="duckdb is not installed (pip install 'newsfacts[duckdb]')")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "records_sample.jsonl"


def documented_query() -> str:
    doc = (ROOT / "docs" / "store.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- duckdb-example:start -->\s*```sql\n(.*?)```\s*<!-- duckdb-example:end -->", doc, re.S)
    assert block, "docs/store.md lost its DuckDB example markers"
    return block.group(1)


def expected_rows(records_path: Path) -> list[tuple]:
    rows = []
    for line in records_path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        for code in record.get("codes") or []:
            rows.append((record["doc_id"], record.get("published"), code["code"], code.get("type_label"),
                         code.get("issued"), len(code["mentions"])))
    return sorted(rows, key=lambda r: (r[0], r[2]))


def run_documented_query(records_path: Path, workdir: Path, monkeypatch) -> list[tuple]:
    (workdir / "outputs").mkdir()
    shutil.copyfile(records_path, workdir / "outputs" / "records.jsonl")
    monkeypatch.chdir(workdir)  # the query names outputs/records.jsonl, relative to the repo
    rows = duckdb.sql(documented_query()).fetchall()
    # DuckDB reads YYYY-MM-DD strings as DATE: compare as text
    return [tuple(v.isoformat() if hasattr(v, "isoformat") else v for v in row) for row in rows]


def test_documented_query_on_the_sample(tmp_path, monkeypatch):
    rows = run_documented_query(SAMPLE, tmp_path, monkeypatch)
    assert rows == expected_rows(SAMPLE)
    assert ("004_8d8f46d2654e681f", None, "57-NQ/TW", "resolution", "2024-12-22", 2) in rows
    assert len(rows) == 12


def test_documented_query_on_the_corpus(corpus_records_path, tmp_path, monkeypatch):
    rows = run_documented_query(corpus_records_path, tmp_path, monkeypatch)
    assert rows == expected_rows(corpus_records_path)
    assert {"57-NQ/TW", "60-NQ/TW"} <= {r[2] for r in rows}
