"""newsfacts export: flat tables that DuckDB, pyarrow (and so pandas and R) read back as written."""
from __future__ import annotations

import csv
import json
import os
import tracemalloc
from pathlib import Path

import pytest

from pipeline import export as export_module
from pipeline.cli import main as newsfacts
from pipeline.export import export
from pipeline.registry import fact_types
from pipeline.tables import BadRecord, Layout, schema_fact_fields, warning_kind
from tests.record_builder import code, news_records, province, record

duckdb = pytest.importorskip("duckdb", reason="duckdb is not installed (pip install 'newsfacts[duckdb]')")
pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow is not installed (pip install 'newsfacts[export]')")


def write_records(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def expected_counts(records: list[dict]) -> dict[str, int]:
    """Rows each table must have, counted from the records themselves."""
    counts = {"articles": len(records), "warnings": sum(len(r["warnings"]) for r in records),
              "errors": sum("error" in r for r in records)}
    for t in fact_types():
        facts = [f for r in records for f in r.get(t.field, [])]
        counts[t.field] = len(facts)
        counts[f"{t.label}_mentions"] = sum(len(f["mentions"]) for f in facts)
    return counts


def duckdb_count(path: Path) -> int:
    reader = "read_csv" if path.suffix == ".csv" else "read_parquet"
    return duckdb.sql(f"SELECT count(*) FROM {reader}('{path}')").fetchall()[0][0]


def test_fact_types_are_those_of_the_schema():
    """The one list of fact types (patterns/manifest.json) and the record schema agree."""
    assert sorted(t.field for t in fact_types()) == sorted(schema_fact_fields())


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_every_table_reads_back_with_the_rows_of_the_records(fmt, tmp_path):
    records = news_records()
    source = write_records(tmp_path / "records.jsonl", records)
    out = tmp_path / "tables"
    assert newsfacts(["export", str(source), "--format", fmt, "-o", str(out), "--quiet"]) == 0
    expected = expected_counts(records)
    assert expected["code_mentions"] == 8 and expected["errors"] == 2  # the test set is what it says
    written = {p.stem for p in out.glob(f"*.{fmt}")}
    assert written == set(expected) | ({"columns"} if fmt == "csv" else set())  # columns.csv: the dictionary
    for table, n in expected.items():
        path = out / f"{table}.{fmt}"
        assert duckdb_count(path) == n, table
        if fmt == "parquet":
            assert pq.read_table(path).num_rows == n, table
        else:
            with open(path, encoding="utf-8", newline="") as fh:
                assert sum(1 for _ in csv.DictReader(fh)) == n, table


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_empty_tables_read_back_empty(fmt, tmp_path):
    records = [record("quiet", "Nothing happened.", lang="en")]
    export([str(write_records(tmp_path / "r.jsonl", records))], tmp_path / "t", fmt)
    for table in Layout().tables:
        assert duckdb_count(tmp_path / "t" / f"{table}.{fmt}") == (1 if table == "articles" else 0), table


def test_mention_rows_carry_offsets_text_rule_and_sentence(tmp_path):
    records = news_records()
    out = tmp_path / "tables"
    export([str(write_records(tmp_path / "r.jsonl", records))], out, "parquet")
    rows = duckdb.sql(f"SELECT doc_id, fact_index, code, type_label, issued, mention_index, start, \"end\", text, rule, "
                      f"sentence_start, sentence_end FROM '{out / 'code_mentions.parquet'}' "
                      "ORDER BY doc_id, fact_index, mention_index").fetchall()
    want = []
    for r in records:
        for i, fact in enumerate(r.get("codes", [])):
            for j, m in enumerate(fact["mentions"]):
                want.append((r["doc_id"], i, fact["code"], fact["type_label"], fact["issued"], j, m["start"], m["end"],
                             m["text"], m["rule"], *m["sentence"]))
    # DuckDB sorts strings bytewise: so does Python
    assert [tuple(v.isoformat() if hasattr(v, "isoformat") else v for v in row) for row in rows] == sorted(want)
    by_id = {r["doc_id"]: r for r in records}
    for doc_id, start, end, text in duckdb.sql(f"SELECT doc_id, start, \"end\", text FROM "
                                               f"'{out / 'province_mentions.parquet'}'").fetchall():
        assert by_id[doc_id]["text"][start:end] == text


def test_types_lists_and_renamed_columns(tmp_path):
    records = news_records()
    source = write_records(tmp_path / "r.jsonl", records)
    export([str(source)], tmp_path / "pq", "parquet")
    export([str(source)], tmp_path / "csv", "csv")
    officials = pq.read_table(tmp_path / "pq" / "officials.parquet").to_pylist()
    gau = [o for o in officials if o["doc_id"] == "a1-vi"][0]
    assert gau["posts"] == ["Bí thư Tỉnh ủy Bắc Giang"] and gau["post_types"] == ["provincial_party_secretary"]
    with open(tmp_path / "csv" / "officials.csv", encoding="utf-8", newline="") as fh:
        row = [r for r in csv.DictReader(fh) if r["doc_id"] == "a1-vi"][0]
    assert row["posts"] == "Bí thư Tỉnh ủy Bắc Giang" and row["province"] == "Bac Giang"
    # a period's years would clash with the mention offsets: both tables name them period_start/period_end
    periods = pq.read_table(tmp_path / "pq" / "period_mentions.parquet").to_pylist()
    first = [p for p in periods if p["doc_id"] == "a3-de"][0]
    assert (first["value"], first["period_start"], first["period_end"]) == ("2021-2025", 2021, 2025)
    assert records[2]["text"][first["start"]:first["end"]] == "2021-2025"
    dates = duckdb.sql(f"SELECT year_inferred FROM read_csv('{tmp_path / 'csv' / 'dates.csv'}') WHERE value = '2025-05-03'")
    assert dates.fetchall() == [(True,)]
    articles = {a["doc_id"]: a for a in pq.read_table(tmp_path / "pq" / "articles.parquet").to_pylist()}
    a1 = articles["a1-vi"]
    assert (a1["title"], a1["published"], a1["language_code"], a1["source_url"]) == (
        "Bắc Giang quán triệt Nghị quyết 57", "2025-03-12", "vi", "https://baobacgiang.vn/a1.html")
    assert (a1["n_codes"], a1["n_code_mentions"], a1["n_provinces"], a1["n_province_mentions"]) == (1, 2, 2, 3)
    assert articles["a6-broken"]["error_kind"] == "decode" and articles["a6-broken"]["n_codes"] == 0
    assert "text" not in a1
    errors = pq.read_table(tmp_path / "pq" / "errors.parquet").to_pylist()
    assert {(e["doc_id"], e["kind"]) for e in errors} == {("a6-broken", "decode"), ("a7-slow", "timeout")}


def test_columns_csv_describes_every_column(tmp_path):
    export([str(write_records(tmp_path / "r.jsonl", news_records()))], tmp_path / "t", "csv")
    with open(tmp_path / "t" / "columns.csv", encoding="utf-8", newline="") as fh:
        described = {(r["table"], r["column"]): r for r in csv.DictReader(fh)}
    for table in Layout().tables.values():
        with open(tmp_path / "t" / f"{table.name}.csv", encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh))
        assert header == table.names
        assert all(described[(table.name, c)]["description"] for c in header)
    assert described[("code_mentions", "sentence_start")]["type"].startswith("integer")


def test_with_text_adds_the_article_text(tmp_path):
    records = news_records()
    export([str(write_records(tmp_path / "r.jsonl", records))], tmp_path / "t", "csv", with_text=True)
    got = duckdb.sql(f"SELECT doc_id, text FROM read_csv('{tmp_path / 't' / 'articles.csv'}') ORDER BY doc_id").fetchall()
    assert got == sorted((r["doc_id"], r.get("text")) for r in records)  # newlines in quoted CSV fields survive


BAD_LINES = [
    ("not json", "not JSON"),
    ("[1, 2]", "not a JSON object"),
    ('{"schema_version": 1, "source": {}}', "no doc_id"),
    ('{"schema_version": 2, "doc_id": "v2"}', "schema_version 2"),
    ('{"schema_version": 1, "doc_id": "m", "codes": [{"code": "1-NQ/TW", "mentions": 5}]}', "codes[0].mentions is not"),
    ('{"schema_version": 1, "doc_id": "s", "dates": [{"value": "2025-01-01", "mentions": '
     '[{"start": "3", "end": 5, "text": "x", "rule": "r", "sentence": [0, 9]}]}]}', "start is not a 64-bit integer"),
    ('{"schema_version": 1, "doc_id": "h", "periods": [{"value": "2020-2025", "start": 99999999999999999999999, '
     '"end": 2025, "mentions": []}]}', "is not a 64-bit integer"),
    ('{"schema_version": 1, "doc_id": "u", "title": "\\ud800 lone"}', "surrogate"),  # not JSON for orjson
    ('{"schema_version": 1, "doc_id": "b", "provinces": [{"name": "X", "mentions": '
     '[{"start": 1, "end": 2, "text": "x", "rule": "r", "sentence": ["0", "9"]}]}]}', "sentence"),
    ('{"schema_version": 1, "doc_id": "p", "officials": [{"name": "A", "posts": 3, "mentions": []}]}', "posts"),
    ('{"schema_version": 1, "doc_id": "t", "dates": [{"value": "2025-01-01", "year_inferred": 1, "mentions": []}]}',
     "true or false"),
    ('{"schema_version": 1, "doc_id": "o", "source": "in/o.txt"}', "source is not an object"),
]


def test_bad_lines_are_skipped_and_named_the_good_ones_exported(tmp_path, capsys):
    good = news_records()
    lines = [json.dumps(good[0])] + [line for line, _ in BAD_LINES] + [json.dumps(r) for r in good[1:]]
    source = tmp_path / "mixed.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert newsfacts(["export", str(source), "-f", "parquet", "-o", str(tmp_path / "t")]) == 3
    err = capsys.readouterr().err
    for number, (_, reason) in enumerate(BAD_LINES, 2):
        assert f"mixed.jsonl:{number}: " in err and reason in err.split(f"mixed.jsonl:{number}: ")[1].split("\n")[0]
    assert f"{len(BAD_LINES)} lines skipped" in err
    for table, n in expected_counts(good).items():
        assert duckdb_count(tmp_path / "t" / f"{table}.parquet") == n, table


def test_a_lone_surrogate_is_a_bad_record():
    """JSON parsers differ on lone surrogates; a record holding one is refused before any table sees it."""
    with pytest.raises(BadRecord, match="title holds a lone surrogate"):
        Layout().rows(record("x", "text", title="\ud800 lone"))
    with pytest.raises(BadRecord, match="doc_id"):
        Layout().rows(record("x\udc00", "text"))


def test_missing_file_and_missing_pyarrow_are_usage_errors(tmp_path, capsys, monkeypatch):
    assert newsfacts(["export", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "t")]) == 2
    assert "no such file" in capsys.readouterr().err
    source = write_records(tmp_path / "r.jsonl", news_records())
    monkeypatch.setattr(export_module, "parquet_available", lambda: False)
    assert newsfacts(["export", str(source), "-f", "parquet", "-o", str(tmp_path / "t")]) == 2
    assert "pip install 'newsfacts[export]'" in capsys.readouterr().err
    assert not (tmp_path / "t").exists()


def test_a_symlink_at_a_table_path_is_replaced_not_followed(tmp_path):
    out = tmp_path / "t"
    out.mkdir()
    victim = tmp_path / "precious.txt"
    victim.write_text("keep me", encoding="utf-8")
    (out / "codes.csv").symlink_to(victim)
    export([str(write_records(tmp_path / "r.jsonl", news_records()))], out, "csv")
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (out / "codes.csv").is_symlink() and (out / "codes.csv").read_text().startswith("doc_id,fact_index,code")


def test_a_failed_export_leaves_the_folder_as_it_was(tmp_path, monkeypatch):
    source = write_records(tmp_path / "r.jsonl", news_records())
    out = tmp_path / "t"
    export([str(source)], out, "csv")
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(self, rows):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_module.CsvTable, "add", broken)
    assert newsfacts(["export", str(source), "-o", str(out), "--quiet"]) == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no temporary file left either


def synthetic_records(path: Path, n: int) -> Path:
    text = "Nghị quyết 57-NQ/TW và Kết luận 148-KL/TW tại Bắc Giang, Bắc Ninh.\n" * 3
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            fh.write(json.dumps(record(f"doc-{i:06d}", text, lang="vi", published="2025-01-02",
                                       codes=[code("57-NQ/TW", "NQ", "resolution"), code("148-KL/TW", "KL", "conclusion")],
                                       provinces=[province("Bac Giang", "Bac Ninh", "Bắc Giang"),
                                                  province("Bac Ninh", "Bac Ninh", "Bắc Ninh")]),
                                ensure_ascii=False) + "\n")
    return path


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_memory_does_not_grow_with_the_number_of_records(fmt, tmp_path, monkeypatch):
    """Streamed: ten times the records, about the same peak of Python memory."""
    monkeypatch.setattr(export_module, "ROW_GROUP_ROWS", 100)  # small row groups, so 200 records already flush
    peaks = []
    for n in (200, 2000):
        source = synthetic_records(tmp_path / f"{n}.jsonl", n)
        tracemalloc.start()
        summary = export([str(source)], tmp_path / f"out-{n}", fmt)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert summary.rows["code_mentions"] == 6 * n
    assert peaks[1] < 1.5 * peaks[0], peaks


def test_warning_kinds_group_alike_warnings():
    same = ["dates: no year for '3 mai' (the year of publication was used)",
            "dates: no year for '9. Mai' (no publication date, no year in the sentence)"]
    assert warning_kind(same[0]) == warning_kind(same[1]) == "dates: no year for …"
    codes = ["code 57-NQ/TW: the cue word 'Beschluss' before it suggests QD, the code says NQ",
             "code 15/2025/ND-CP: the cue word 'decision' before it suggests QD/QDNS, the code says ND"]
    assert warning_kind(codes[0]) == warning_kind(codes[1])
    assert warning_kind("12 invalid UTF-8 byte sequence(s) replaced by U+FFFD (first at byte 7)") == \
        warning_kind("3 invalid UTF-8 byte sequence(s) replaced by U+FFFD (first at byte 99)")
    assert len({warning_kind(m) for m in (same[0], codes[0], "not valid UTF-8: decoded as cp1252; check the accents",
                                          "language: no clear language (best guess 'fr', 0.41)")}) == 4


def test_several_files_make_one_set_of_tables(tmp_path):
    records = news_records()
    first = write_records(tmp_path / "1.jsonl", records[:3])
    second = write_records(tmp_path / "2.jsonl", records[3:])
    summary = export([str(first), str(second)], tmp_path / "t", "csv")
    assert summary.records == len(records) and summary.rows == expected_counts(records)
    assert os.path.isfile(tmp_path / "t" / "columns.csv")


def test_output_that_is_a_file_is_a_usage_error(tmp_path, capsys):
    source = write_records(tmp_path / "r.jsonl", news_records())
    assert newsfacts(["export", str(source), "-o", str(source)]) == 2
    assert "is a file" in capsys.readouterr().err
    assert json.loads(source.read_text(encoding="utf-8").splitlines()[0])["doc_id"] == "a1-vi"


@pytest.mark.parametrize("command", ["export", "stats"])
def test_help_has_examples(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        newsfacts([command, "--help"])
    assert exit_.value.code == 0
    assert "examples:" in capsys.readouterr().out


DOC = Path(__file__).resolve().parent.parent / "docs" / "export.md"


def test_docs_name_every_table():
    doc = DOC.read_text(encoding="utf-8")
    assert all(f"`{name}`" in doc for name in Layout().tables)


def test_documented_duckdb_query_runs(tmp_path, monkeypatch):
    import re

    block = re.search(r"<!-- export-duckdb-example:start -->\s*```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert block, "docs/export.md lost its DuckDB example markers"
    export([str(write_records(tmp_path / "r.jsonl", news_records()))], tmp_path / "outputs" / "tables", "parquet")
    monkeypatch.chdir(tmp_path)  # the query names outputs/tables/..., relative to where it runs
    rows = duckdb.sql(block.group(1)).fetchall()
    assert [row[:1] + tuple(str(v) if v is not None else None for v in row[1:3]) + row[3:] for row in rows] == [
        ("57-NQ/TW", "resolution", "2024-12-22", 3, 4), ("05-CT/TW", "directive", "2016-05-15", 1, 2),
        ("148-KL/TW", "conclusion", "2025-04-08", 1, 1), ("55/QD-BXD", "decision", None, 1, 1)]
