"""pipeline/output.py: atomic replace, whole lines only, torn-tail repair, resume state, full disk."""
import errno
import json
import os
import re

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.output import (Output, OutputError, keep_last, left_behind, open_for_run, own_files, read_done, sha_key,
                             truncate_torn_tail, unfinished_run)
from pipeline.record import dumps

SHA_A = "a" * 64
SHA_B = "b" * 64


def rec(doc_id, sha, path=None, **extra):
    return dumps({"schema_version": 1, "doc_id": doc_id,
                  "source": {"path": path or f"in/{doc_id}.txt", "sha256": sha, "url": None},
                  **extra, "warnings": []})


def line(doc_id, sha, path=None, **extra):
    """rec() as a worker hands it to Output.write: UTF-8 bytes."""
    return rec(doc_id, sha, path, **extra).encode("utf-8")


def test_fresh_run_writes_partial_then_replaces_out(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("old\n")
    o = Output(str(out))
    assert len(o.open()) == 0
    o.write([line("a", SHA_A), line("b", SHA_B)])
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
    o.write([line("a", SHA_A)])
    o.commit()
    assert out.read_text() == rec("a", SHA_A)


def test_output_directory_is_created(tmp_path):
    o = Output(str(tmp_path / "new" / "deeper" / "out.jsonl"))
    o.open()
    o.write([line("a", SHA_A)])
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
    fd = os.open(path, os.O_RDWR)
    try:
        removed = truncate_torn_tail(fd)
    finally:
        os.close(fd)
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
    o.write([line("b", SHA_B)])
    o.commit()
    assert out.read_text() == rec("a", SHA_A) + rec("b", SHA_B)
    assert not partial.exists()


def test_resume_without_partial_appends_to_out_in_place(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text(rec("a", SHA_A))
    o = Output(str(out), resume=True)
    assert set(o.open().records) == {"a"} and o.in_place
    o.write([line("b", SHA_B)])
    o.commit()
    assert out.read_text() == rec("a", SHA_A) + rec("b", SHA_B)


def test_resume_to_stdout_is_refused():
    with pytest.raises(OutputError, match="needs an output file"):
        Output("-", resume=True).open()


def test_a_second_writer_is_refused(tmp_path):
    first = Output(str(tmp_path / "out.jsonl"))
    first.open()
    first.write([line("a", SHA_A)])
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
    o.write([line("a", SHA_A)])
    o._fh = DiskFull(o._fh, room=30)       # the next batch is cut after 30 bytes, then ENOSPC
    with pytest.raises(OSError) as info:
        o.write([line("b", SHA_B), line("c", SHA_A)])
    assert info.value.errno == errno.ENOSPC
    o.close()
    assert out.read_text() == "previous\n"
    assert (tmp_path / "out.jsonl.partial").read_text() == rec("a", SHA_A)   # the half batch was cut back
    assert o.lines_written == 1


def test_keep_last_removes_only_the_older_records(tmp_path):
    path = tmp_path / "out.jsonl"
    dup = dumps({"schema_version": 1, "doc_id": "a", "source": {"path": "x/a.txt", "sha256": None, "format": "text"},
                 "error": {"kind": "duplicate_id", "message": "..."}, "warnings": []})
    path.write_text(rec("a", SHA_A) + rec("b", SHA_A) + dup + rec("a", SHA_B) + rec("c", SHA_A) + rec("a", SHA_A))
    assert keep_last(str(path), {"a"}) == 2
    assert [(json.loads(l)["doc_id"], json.loads(l)["source"]["sha256"]) for l in path.read_text().splitlines()] == \
        [("b", SHA_A), ("a", None), ("c", SHA_A), ("a", SHA_A)]   # the duplicate's error record is not a record of "a"


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


# -- one lock for OUT and OUT.partial (an in-place --resume and a fresh run) --------

def test_a_fresh_run_is_refused_while_a_resume_appends_to_out_in_place(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text(rec("a", SHA_A))
    resumed = Output(str(out), resume=True)
    resumed.open()
    assert resumed.in_place
    for rival in (Output(str(out)), Output(str(out), resume=True)):
        with pytest.raises(OutputError, match="another newsfacts run"):
            rival.open()
    resumed.write([line("b", SHA_B)])
    resumed.commit()
    assert out.read_text() == rec("a", SHA_A) + rec("b", SHA_B)    # the resumed records are all there
    again = Output(str(out))                                        # and the lock is free again
    again.open()
    again.close()
    assert not (tmp_path / "out.jsonl.lock").exists() and not (tmp_path / "out.jsonl.partial").exists()


def test_a_lock_left_by_a_killed_run_does_not_block_the_next(tmp_path):
    (tmp_path / "out.jsonl.lock").write_text("")   # kill -9 leaves the file, not the lock
    o = Output(str(tmp_path / "out.jsonl"))
    o.open()
    o.write([line("a", SHA_A)])
    o.commit()
    assert (tmp_path / "out.jsonl").read_text() == rec("a", SHA_A)


# -- never write through a symbolic link ------------------------------------------

@pytest.fixture
def victim(tmp_path):
    path = tmp_path / "precious.txt"
    path.write_text("someone else's file\n")
    return path


def test_a_fresh_run_replaces_a_link_planted_at_the_partial_file_and_leaves_its_target(tmp_path, victim):
    out = tmp_path / "out.jsonl"
    (tmp_path / "out.jsonl.partial").symlink_to(victim)
    o = Output(str(out))
    o.open()
    o.write([line("a", SHA_A)])
    o.commit()
    assert victim.read_text() == "someone else's file\n"
    assert out.read_text() == rec("a", SHA_A) and not out.is_symlink()


def test_a_fresh_run_does_not_write_through_a_hard_link_at_the_partial_file(tmp_path, victim):
    os.link(victim, tmp_path / "out.jsonl.partial")
    o = Output(str(tmp_path / "out.jsonl"))
    o.open()
    o.write([line("a", SHA_A)])
    o.close()
    assert victim.read_text() == "someone else's file\n"


@pytest.mark.parametrize("planted", ["out.jsonl.partial", "out.jsonl", "out.jsonl.lock"])
def test_resume_refuses_to_write_through_a_link(tmp_path, victim, planted):
    if planted != "out.jsonl.partial":
        victim.write_text(rec("z", SHA_A))   # a records file elsewhere: appending to it would be accepted
    (tmp_path / planted).symlink_to(victim)
    before = victim.read_bytes()
    with pytest.raises(OutputError, match="symbolic link"):
        Output(str(tmp_path / "out.jsonl"), resume=True).open()
    assert victim.read_bytes() == before
    assert not (tmp_path / "out.jsonl.lock").exists() or planted == "out.jsonl.lock"   # nothing left locked


def test_the_cli_never_truncates_the_target_of_a_planted_link(tmp_path, victim):
    from tests.conftest import ROOT, run_cli

    out = tmp_path / "out.jsonl"
    (tmp_path / "out.jsonl.partial").symlink_to(victim)
    result = run_cli("extract", ROOT / "corpus", "-o", out, "--workers", "1")
    assert result.returncode == 0, result.stderr.decode()
    assert victim.read_text() == "someone else's file\n"
    assert out.read_text().count("\n") == 5


def test_safefile_helpers(tmp_path, victim):
    from pipeline import safefile

    link = tmp_path / "page.html"
    link.symlink_to(victim)
    safefile.replace(str(link), "<p>new</p>\n")          # the link is replaced, not followed
    assert victim.read_text() == "someone else's file\n" and link.read_text() == "<p>new</p>\n"
    assert not link.is_symlink() and oct(link.stat().st_mode & 0o777) == oct(0o644 & ~_umask())
    (tmp_path / "other").symlink_to(victim)
    with pytest.raises(safefile.UnsafeFile, match="symbolic link"):
        safefile.open_existing(str(tmp_path / "other"))
    fd = safefile.create(str(tmp_path / "other"))       # create() unlinks the link and makes a file
    os.close(fd)
    assert not (tmp_path / "other").is_symlink() and victim.read_text() == "someone else's file\n"
    with pytest.raises(safefile.UnsafeFile, match="directory"):
        safefile.create(str(tmp_path))
    lock = safefile.Lock(str(tmp_path / "x.lock"))
    assert lock.acquire() and not safefile.Lock(str(tmp_path / "x.lock")).acquire()
    lock.release()
    assert safefile.Lock(str(tmp_path / "x.lock")).acquire()


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


# -- resume reads only files this version wrote ----------------------------------

def _edited(**changes):
    record = json.loads(rec("a", SHA_A, text="Le texte."))
    for key, value in changes.items():
        if key.startswith("source."):
            record["source"][key[7:]] = value
        else:
            record[key] = value
    return json.dumps(record, ensure_ascii=False) + "\n"


@pytest.mark.parametrize("line, message", [
    (_edited(schema_version=2), "schema_version 2, and this newsfacts writes version 1"),
    (_edited(schema_version="1"), 'schema_version "1"'),
    (_edited(doc_id=["a", "b"]), "doc_id is not a non-empty string"),
    (_edited(**{"source.sha256": "not-hex" * 8}), "source.sha256 is not 64"),
    (_edited(source="in/a.txt"), "source is not an object"),
    (_edited(**{"source.path": 7}), "source.path is not a string"),
    (_edited(error="timeout"), "error is not an object"),
    ("[1, 2]\n", "not a newsfacts record"),
])
def test_resume_refuses_records_it_did_not_write(tmp_path, line, message):
    path = tmp_path / "out.jsonl.partial"
    path.write_text(rec("z", SHA_B) + line, encoding="utf-8")
    with pytest.raises(OutputError, match="line 2: .*" + re.escape(message)):
        Output(str(tmp_path / "out.jsonl"), resume=True).open()


def test_resume_with_a_hand_edited_partial_is_a_usage_error_not_a_traceback(tmp_path):
    from tests.conftest import ROOT, run_cli

    out = tmp_path / "out.jsonl"
    for n, line in enumerate([_edited(doc_id=["a"]), _edited(**{"source.sha256": "XYZ"}), _edited(source="s"),
                              _edited(schema_version=2)]):
        (tmp_path / "out.jsonl.partial").write_text(line, encoding="utf-8")
        result = run_cli("extract", ROOT / "corpus", "-o", out, "--resume")
        err = result.stderr.decode()
        assert result.returncode == 2 and "Traceback" not in err and "line 1:" in err, err
        assert (tmp_path / "out.jsonl.partial").read_text(encoding="utf-8") == line   # left as it was
        assert not out.exists()


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=80),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                                      max_size=3), max_leaves=6)


@given(field=st.sampled_from(["schema_version", "doc_id", "source", "source.path", "source.sha256", "error",
                              "warnings", "text"]), value=JSON_VALUES)
@settings(max_examples=300, deadline=None)
def test_read_done_accepts_or_refuses_any_edit_but_never_crashes(tmp_path_factory, field, value):
    path = tmp_path_factory.mktemp("edit") / "out.jsonl"
    path.write_text(rec("z", SHA_B) + _edited(**{field: value}), encoding="utf-8")
    try:
        done = read_done(str(path))
    except OutputError as exc:
        assert "line 2" in str(exc)
    else:
        assert set(done.records) - {"z", "a"} <= ({value} if field == "doc_id" else set())   # an edited doc_id is kept
        assert all(v is None or len(v) == 16 for v in done.records.values())


# -- an OUT that is one of the inputs ------------------------------------------------

ARTICLE = "La résolution n° 57-NQ/TW du Politburo a été présentée à Hanoi le 3 mai 2025.\n"


def test_an_input_named_as_out_is_refused_and_kept(tmp_path):
    from tests.conftest import run_cli

    article = tmp_path / "a.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    for out in (article, tmp_path / "." / "a.txt"):
        result = run_cli("extract", article, "-o", out)
        assert result.returncode == 2, result.stderr.decode()
        assert b"is the output file (-o) itself" in result.stderr
        assert article.read_text(encoding="utf-8") == ARTICLE
    link = tmp_path / "link.txt"      # another name for the same file
    link.symlink_to(article)
    assert run_cli("extract", link, "-o", article).returncode == 2
    assert run_cli("extract", article, "-o", article, "--resume").returncode == 2
    assert article.read_text(encoding="utf-8") == ARTICLE
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "link.txt"]   # no .partial, no .lock left


def test_an_out_found_in_an_input_directory_is_left_out_of_the_inputs(tmp_path):
    """Named as an input, OUT is refused (above); met in a directory walk, it is simply not an input,
    so `extract data/ -o data/records.txt` gives the same records however often it is run."""
    from tests.conftest import run_cli

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "in" / "records.txt"
    assert run_cli("extract", tmp_path / "in", "-o", out).returncode == 0    # OUT does not exist yet
    first = out.read_bytes()
    result = run_cli("extract", tmp_path / "in", "-o", out)                  # now the walk meets it
    assert result.returncode == 0, result.stderr.decode()
    assert out.read_bytes() == first and first.count(b"\n") == 1


# -- what an extract run asks of OUT (pipeline/output.py: unfinished_run, open_for_run, left_behind) --------

def test_an_unfinished_run_is_named_with_the_command_that_finishes_it(tmp_path):
    out = tmp_path / "out.jsonl"
    assert unfinished_run(str(out), resume=False, restart=False, resume_command="newsfacts extract x") is None
    (tmp_path / "out.jsonl.partial").write_text(rec("a", SHA_A) + "\n")
    message = unfinished_run(str(out), resume=False, restart=False, resume_command="newsfacts extract x --resume")
    assert f"{out}.partial holds {len(rec('a', SHA_A)) + 1} bytes" in message
    assert "  newsfacts extract x --resume\n" in message and "add --restart" in message
    # what the user asked for decides: --resume finishes it, --restart discards it, stdout has no partial file
    assert unfinished_run(str(out), resume=True, restart=False, resume_command="") is None
    assert unfinished_run(str(out), resume=False, restart=True, resume_command="") is None
    assert unfinished_run("-", resume=False, restart=False, resume_command="") is None
    (tmp_path / "out.jsonl.partial").write_bytes(b"")
    assert unfinished_run(str(out), resume=False, restart=False, resume_command="") is None


def test_resuming_records_of_the_other_kind_is_refused(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text(rec("a", SHA_A, text="Le texte.") + "\n")
    with pytest.raises(OutputError, match="written with `text`; drop --no-text to resume"):
        open_for_run(Output(str(out), resume=True), include_text=False)
    output = Output(str(out), resume=True)
    assert len(open_for_run(output, include_text=True)) == 1    # the same kind: resumed
    output.close()


def test_what_a_stopped_run_leaves_says_where_and_how_to_finish(tmp_path):
    out = tmp_path / "out.jsonl"
    output = Output(str(out))
    output.open()
    output.write([line("a", SHA_A), line("b", SHA_B)])
    output.close()
    assert left_behind(output, 0, "newsfacts extract in -o out --resume") == (
        f"newsfacts: {out} was left as it was; the 2 complete records are in {out}.partial. To finish, run:\n"
        "  newsfacts extract in -o out --resume")
    empty = Output(str(tmp_path / "empty.jsonl"))
    empty.open()
    empty.close()      # nothing written: the empty partial file is removed
    assert left_behind(empty, 0, "") == f"newsfacts: {tmp_path / 'empty.jsonl'} was left as it was"
    assert own_files(str(out)) == {os.path.realpath(out), os.path.realpath(f"{out}.partial")}
    assert own_files("-") == frozenset()
