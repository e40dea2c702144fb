"""Record files are streamed: reading a big one costs no more memory than reading a small one.

Each format is written at test time twice, with 2,000 rows (~20 MB of text) and
with 10,000 (~100 MB; the Parquet file in a single row group), and a fresh process
plans the run over it (Extraction.plan: reading, the row -> input step, duplicate
and resume checks, batching -- everything the main process does for a record
file). Its peak resident memory for the big file may exceed the small file's by a
bound far below the 80 MB of text between them: memory does not grow with the
file. (Measured as peak RSS, not time. The small file is not tiny so that the
allocators have settled at their working size.)
"""
import gzip
import io
import json
import os
import subprocess
import sys

import pytest

if not os.path.exists("/proc/self/status"):
    pytest.skip("peak memory is read from /proc (Linux)", allow_module_level=True)

from tests.conftest import ROOT
from tests.formats_data import ARTICLES

pytest.importorskip("pyarrow", reason="the parquet extra is not installed")
pytest.importorskip("warcio", reason="the warc extra is not installed")

BIG_ROWS = 10_000     # x ~10 KB of text = ~100 MB
SMALL_ROWS = 2_000
BOUND_MB = 30         # allowed growth of peak RSS from the small file to the big one

# VmHWM is the peak RSS of this process's own address space. (ru_maxrss would not do:
# Linux carries it over from the parent through fork and exec, and the parent, the
# test process, has just written the big file.)
_PLAN = """
import re, sys
from pipeline.batch import Extraction, Settings
job = Extraction([sys.argv[1]], Settings())
rows = sum(len(batch) for batch in job.plan())
status = open("/proc/self/status").read()
print(rows, int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) // 1024)
"""


def _text(i: int) -> str:
    body = " ".join(ARTICLES.values())
    return f"Article {i}.\n" + (body * 20)[:10_000]


def _jsonl(path, n):
    with gzip.open(path, "wb") if path.suffix == ".gz" else open(path, "wb") as fh:
        for i in range(n):
            fh.write(json.dumps({"id": f"a{i}", "text": _text(i), "published": "2025-06-20"}).encode() + b"\n")


def _csv(path, n):
    import csv

    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "text"])
        for i in range(n):
            writer.writerow([f"a{i}", _text(i)])


def _parquet(path, n):
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([("id", pa.string()), ("text", pa.string())])
    # one row group for the whole file: a reader that loads a row group at once would hold it all
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        step = 500
        batches = [pa.record_batch([[f"a{i}" for i in range(s, min(n, s + step))],
                                    [_text(i) for i in range(s, min(n, s + step))]], schema=schema)
                   for s in range(0, n, step)]
        writer.write_table(pa.Table.from_batches(batches, schema), row_group_size=n)


def _warc(path, n):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for i in range(n):
            html = f"<html><body><article><h1>Article {i}</h1><p>{_text(i)}</p></article></body></html>".encode()
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(f"https://news.example.vn/{i}", "response",
                                                          payload=io.BytesIO(html), http_headers=http))


def _peak(path) -> tuple[int, int]:
    # pyarrow's default allocator (jemalloc) returns freed pages to the system on a timer, so its
    # peak wanders with the machine's speed; the system allocator shows what the reader holds.
    env = {**os.environ, "ARROW_DEFAULT_MEMORY_POOL": "system"}
    out = subprocess.run([sys.executable, "-c", _PLAN, str(path)], cwd=ROOT, capture_output=True, timeout=600,
                         env=env)
    assert out.returncode == 0, out.stderr.decode()
    rows, peak_mb = map(int, out.stdout.split())
    return rows, peak_mb


@pytest.mark.slow
@pytest.mark.parametrize("suffix, write", [(".jsonl", _jsonl), (".jsonl.gz", _jsonl), (".csv", _csv),
                                           (".parquet", _parquet), (".warc.gz", _warc)],
                         ids=["jsonl", "jsonl.gz", "csv", "parquet", "warc.gz"])
def test_reading_a_big_record_file_takes_flat_memory(tmp_path, suffix, write):
    small, big = tmp_path / f"small{suffix}", tmp_path / f"big{suffix}"
    write(small, SMALL_ROWS)
    write(big, BIG_ROWS)
    small_rows, small_peak = _peak(small)
    big_rows, big_peak = _peak(big)
    assert (small_rows, big_rows) == (SMALL_ROWS, BIG_ROWS)
    text_mb = BIG_ROWS * len(_text(0)) // 2**20
    assert text_mb >= 90
    assert big_peak - small_peak < BOUND_MB, (f"{suffix}: peak RSS {small_peak} MB for {SMALL_ROWS} rows, "
                                              f"{big_peak} MB for {BIG_ROWS} rows ({text_mb} MB of text)")
