"""pipeline/output.py: atomic replace, whole lines only, torn-tail repair, resume state, full disk."""
import errno
import json
import os

import pytest

from pipeline.output import Output, OutputError, drop_stale, read_done, sha_key, truncate_torn_tail
from pipeline.record import dumps

SHA_A = "a" * 64
SHA_B = "b" * 64


def rec(doc_id, sha, path=None, **extra):
    return dumps({"schema_version": 1, "doc_id": doc_id,
                  "source": {"path": path or f"in/{doc_id}.txt", "sha256": sha, "url": None},
                  **extra, "warnings": []})


def test_fresh_run_writes_partial_then_replaces_out(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("old\n")
    o = Output(str(out))
    assert len(o.open()) == 0
    o.write([rec("a", SHA_A), rec("b", SHA_B)])
    assert out.read_text() == "old\n"                       # OUT untouched while running
    assert (tmp_path / "out.jsonl.partial").read_text().count("\n") == 2
    o.commit()
    assert out.read_text() == rec("a", SHA_A) + rec("b", SHA_B)
    assert not (tmp_path / "out.jsonl.partial").exists()


def test_a_stale_partial_is_emptied_by_a_fresh_run(tmp_path):
    out = tmp_path / "out.jsonl"
    (tmp_path / "out.jsonl.partial").write_text(rec("zz", SHA_A))
    o = Output(str(out))
    o.open()
    o.write([rec("a", SHA_A)])
    o.commit()
    assert out.read_text() == rec("a", SHA_A)


def test_output_directory_is_created(tmp_path):
    o = Output(str(tmp_path / "new" / "deeper" / "out.jsonl"))
    o.open()
    o.write([rec("a", SHA_A)])
    o.commit()
    assert (tmp_path / "new" / "deeper" / "out.jsonl").read_text() == rec("a", SHA_A)


def test_out_is_a_directory_is_a_clear_error(tmp_path):
    with pytest.raises(OutputError, match="is a directory"):
        Output(str(tmp_path)).open()


@pytest.mark.parametrize("content, kept", [
    (b"", b""),
    (b'{"a":1}\n', b'{"a":1}\n'),
    (b'{"a":1}\n{"b":', b'{"a":1}\n'),
    (b'{"b":2', b""),
    (b'{"a":1}\n{"c":3}\n{"d"' + b"x" * 200_000, b'{"a":1}\n{"c":3}\n'),  # torn line longer than one block
])
def test_truncate_torn_tail(tmp_path, content, kept):
    path = tmp_path / "f.jsonl"
    path.write_bytes(content)
    removed = truncate_torn_tail(str(path))
    assert path.read_bytes() == kept
    assert removed == len(content) - len(kept)


def test_read_done_keeps_doc_id_and_hash_only(tmp_path):
    path = tmp_path / "out.jsonl"
    dup = dumps({"schema_version": 1, "doc_id": "a", "source": {"path": "other/a.txt", "sha256": None, "format": "text"},
                 "error": {"kind": "duplicate_id", "message": "..."}, "warnings": []})
    unreadable = dumps({"schema_version": 1, "doc_id": "u", "source": {"path": "in/u.txt", "sha256": None},
                        "error": {"kind": "unreadable", "message": "..."}, "warnings": []})
    # a doc_id with a quote and non-ASCII: the fast prefix reader must decode it exactly
    odd = rec('quo"te-Đà', SHA_B, text="x" * 5000)
    path.write_text(rec("a", SHA_A, text="long " * 3000) + dup + unreadable + odd + "\n", encoding="utf-8")
    done = read_done(str(path))
    assert done.records == {"a": sha_key(SHA_A), "u": None, 'quo"te-Đà': sha_key(SHA_B)}
    assert done.duplicates == {("a", "other/a.txt", None)}
    assert len(done) == 4


def test_read_done_refuses_a_file_that_is_not_records(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_text(rec("a", SHA_A) + "this is not json\n")
    with pytest.raises(OutputError, match="line 2"):
        read_done(str(path))


def test_resume_prefers_the_partial_and_repairs_its_tail(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text(rec("old", SHA_A))
    partial = tmp_path / "out.jsonl.partial"
    partial.write_text(rec("a", SHA_A) + '{"schema_version":1,"doc_id":"b","sour')
    o = Output(str(out), resume=True)
    done = o.open()
    assert set(done.records) == {"a"} and o.target == str(partial) and not o.in_place
    o.write([rec("b", SHA_B)])
    o.commit()
    assert out.read_text() == rec("a", SHA_A) + rec("b", SHA_B)
    assert not partial.exists()


def test_resume_without_partial_appends_to_out_in_place(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text(rec("a", SHA_A))
    o = Output(str(out), resume=True)
    assert set(o.open().records) == {"a"} and o.in_place
    o.write([rec("b", SHA_B)])
    o.commit()
    assert out.read_text() == rec("a", SHA_A) + rec("b", SHA_B)


def test_resume_to_stdout_is_refused():
    with pytest.raises(OutputError, match="needs an output file"):
        Output("-", resume=True).open()


def test_a_second_writer_is_refused(tmp_path):
    first = Output(str(tmp_path / "out.jsonl"))
    first.open()
    first.write([rec("a", SHA_A)])
    with pytest.raises(OutputError, match="another newsfacts run"):
        Output(str(tmp_path / "out.jsonl")).open()
    # ... and the refused run did not wipe the first run's file
    assert (tmp_path / "out.jsonl.partial").read_text() == rec("a", SHA_A)
    first.commit()


class DiskFull:
    """A raw file that accepts `room` bytes, then fails like a full disk (after a short write)."""

    def __init__(self, fh, room):
        self.fh, self.room = fh, room

    def write(self, data):
        if self.room <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        n = self.fh.write(bytes(data[: self.room]))
        self.room -= n
        return n

    def __getattr__(self, name):
        return getattr(self.fh, name)


def test_disk_full_leaves_whole_lines_and_old_out(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n")
    o = Output(str(out))
    o.open()
    o.write([rec("a", SHA_A)])
    o._fh = DiskFull(o._fh, room=30)       # the next batch is cut after 30 bytes, then ENOSPC
    with pytest.raises(OSError) as info:
        o.write([rec("b", SHA_B), rec("c", SHA_A)])
    assert info.value.errno == errno.ENOSPC
    o.close()
    assert out.read_text() == "previous\n"
    assert (tmp_path / "out.jsonl.partial").read_text() == rec("a", SHA_A)   # the half batch was cut back
    assert o.lines_written == 1


def test_drop_stale_removes_only_the_old_record(tmp_path):
    path = tmp_path / "out.jsonl"
    path.write_text(rec("a", SHA_A) + rec("b", SHA_A) + rec("a", SHA_B))
    assert drop_stale(str(path), {"a": sha_key(SHA_A)}) == 1
    assert [(json.loads(l)["doc_id"], json.loads(l)["source"]["sha256"]) for l in path.read_text().splitlines()] == \
        [("b", SHA_A), ("a", SHA_B)]


# -- record.dumps: orjson must write exactly what the json module writes ------

def _json_module(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def test_dumps_matches_the_json_module_on_real_records():
    from pathlib import Path

    lines = (Path(__file__).parent / "data" / "records_sample.jsonl").read_text(encoding="utf-8").splitlines()
    assert lines
    for line in lines:
        record = json.loads(line)
        assert dumps(record) == _json_module(record)


@pytest.mark.parametrize("value", [
    "Nguyễn Văn Gấu", "tab\tnew\nline\r\"quote\" \\ back", "\x00\x1f\x7f", "\u2028\u2029", "😀 emoji",
    0.0, 0.5, 0.9999, 0.0001, 1.0, 12345678.25, -3, 2**40, True, None, [], {},
])
def test_dumps_matches_the_json_module_on_edge_values(value):
    record = {"schema_version": 1, "doc_id": "x", "value": value, "nested": [{"v": value}]}
    assert dumps(record) == _json_module(record)


def test_dumps_falls_back_for_what_orjson_refuses():
    record = {"doc_id": "x", "text": "lone \ud800 surrogate"}
    assert dumps(record) == _json_module(record)
