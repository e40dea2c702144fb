"""newsfacts load: records -> SQLite store (tables, keys, FTS, idempotence, replacement),
and records that cannot be stored as they are (skipped whole, counted, exit 3)."""
from __future__ import annotations

import copy
import json
import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.cli import main as newsfacts
from pipeline.store import sqlite as store_sqlite
from pipeline.store.fact_tables import code_key
from pipeline.store.records import LoadStats, from_dicts, schema_sql, searchable_text, tables
from pipeline.store.validate import BadRecord, check_record

SAMPLE = Path(__file__).parent / "data" / "records_sample.jsonl"
MENTION_TABLES = {"document_mentions": ("documents", "document_id", "codes"),
                  "official_mentions": ("officials", "official_id", "officials"),
                  "province_mentions": ("article_provinces", "article_province_id", "provinces"),
                  "date_mentions": ("dates", "date_id", "dates"),
                  "period_mentions": ("periods", "period_id", "periods"),
                  "author_mentions": ("authors", "author_id", "authors")}


def sample_records() -> list[dict]:
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]


def write_records(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def load(records_path, db) -> int:
    return newsfacts(["load", str(records_path), "--db", str(db), "--quiet"])


def dump(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return list(conn.iterdump())


@pytest.fixture()
def db(tmp_path) -> Path:
    path = tmp_path / "facts.db"
    assert load(SAMPLE, path) == 0
    return path


def test_tables_have_the_columns_the_loader_writes(db):
    conn = sqlite3.connect(db)
    for table, columns in tables().items():
        assert tuple(r[1] for r in conn.execute(f"PRAGMA table_info({table})")) == columns, table


def test_schema_file_splits_by_dialect():
    sqlite_sql, pg_sql = schema_sql("sqlite"), schema_sql("postgres")
    assert "fts5" in sqlite_sql and "USING GIN" not in sqlite_sql
    assert "USING GIN" in pg_sql and "fts5" not in pg_sql
    assert "CREATE TABLE IF NOT EXISTS document_mentions" in sqlite_sql and "CREATE TABLE IF NOT EXISTS document_mentions" in pg_sql


def test_every_article_is_loaded_and_a_failed_one_has_no_facts(db):
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 6
    assert conn.execute("SELECT a.error_kind, d.text FROM articles a JOIN article_details d USING (doc_id) "
                        "WHERE doc_id='901_broken'").fetchone() == ("decode", None)
    for table in ("documents", "officials", "dates", "periods", "article_provinces", "authors", "sentences"):
        assert conn.execute(f"SELECT count(*) FROM {table} WHERE doc_id='901_broken'").fetchone()[0] == 0


def test_fact_and_mention_counts_match_the_records(db):
    conn = sqlite3.connect(db)
    for record in sample_records():
        for mention_table, (fact_table, _, field) in MENTION_TABLES.items():
            facts = record.get(field, [])
            stored = conn.execute(f"SELECT count(*) FROM {fact_table} WHERE doc_id=?", [record["doc_id"]]).fetchone()[0]
            assert stored == len(facts), (record["doc_id"], fact_table)
            mentions = conn.execute(f"SELECT count(*) FROM {mention_table} WHERE doc_id=?", [record["doc_id"]]).fetchone()[0]
            assert mentions == sum(len(f["mentions"]) for f in facts), (record["doc_id"], mention_table)


def test_articles_list_what_a_reader_wants_and_details_keep_the_rest(db):
    conn = sqlite3.connect(db)
    row = conn.execute("SELECT title, published, publisher, language, codes, officials, provinces, dates, periods, url "
                       "FROM articles WHERE doc_id='900_vi_sample'").fetchone()
    record = [r for r in sample_records() if r["doc_id"] == "900_vi_sample"][0]
    assert row == (record["title"], "2025-03-10", record["source"]["publisher"], "vi",
                   *(len(record[f]) for f in ("codes", "officials", "provinces", "dates", "periods")),
                   record["source"]["url"])
    text, warnings, sha = conn.execute("SELECT text, warnings, record_sha256 FROM article_details "
                                       "WHERE doc_id='900_vi_sample'").fetchone()
    assert text == record["text"] and json.loads(warnings) == record["warnings"] and len(sha) == 64


def test_every_fact_row_points_to_the_sentence_of_its_first_mention(db):
    conn = sqlite3.connect(db)
    for fact_table, mention_table, fk in (("documents", "document_mentions", "document_id"),
                                          ("officials", "official_mentions", "official_id"),
                                          ("article_provinces", "province_mentions", "article_province_id"),
                                          ("dates", "date_mentions", "date_id"), ("periods", "period_mentions", "period_id"),
                                          ("authors", "author_mentions", "author_id")):
        rows = conn.execute(f"SELECT f.sentence_id, (SELECT m.sentence_id FROM {mention_table} m WHERE m.{fk} = f.id "
                            f"ORDER BY m.start_char LIMIT 1) FROM {fact_table} f").fetchall()
        assert rows and all(own == first and own is not None for own, first in rows), fact_table


def test_document_fields_are_kept(db):
    row = sqlite3.connect(db).execute(
        "SELECT code, code_key, number, family, type, type_label, issuer, issuer_label, issued, issued_by "
        "FROM documents WHERE doc_id='004_8d8f46d2654e681f' AND code='57-NQ/TW'").fetchone()
    assert row == ("57-NQ/TW", "57-NQ/TW", "57", "party", "NQ", "resolution", "TW", "Party Central Committee",
                   "2024-12-22", "Politburo")


def test_officials_posts_in_order(db):
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT o.name, o.key, o.province, p.position, p.post, p.post_type FROM officials o "
                        "JOIN posts p ON p.official_id = o.id WHERE o.doc_id='002_75d16ee19731c4f2' "
                        "AND o.key='nguyen van gau' ORDER BY p.position").fetchall()
    assert rows == [("Nguyen Van Gau", "nguyen van gau", "Bac Giang", 0, "membre du Comité central du Parti", "member"),
                    ("Nguyen Van Gau", "nguyen van gau", "Bac Giang", 1, "secrétaire du Comité provincial du Parti", "secretary")]


def test_mentions_slice_the_text_and_sit_in_their_sentence(db):
    conn = sqlite3.connect(db)
    checked = 0
    for table in MENTION_TABLES:
        rows = conn.execute(f"SELECT a.text, m.start_char, m.end_char, m.text, s.start_char, s.end_char, s.text "
                            f"FROM {table} m JOIN article_details a ON a.doc_id = m.doc_id "
                            f"JOIN sentences s ON s.id = m.sentence_id").fetchall()
        for text, start, end, written, s_start, s_end, sentence in rows:
            assert text[start:end] == written
            assert s_start <= start and end <= s_end and text[s_start:s_end] == sentence
            checked += 1
    assert checked == sum(len(f["mentions"]) for r in sample_records() for k in ("codes", "officials", "provinces",
                                                                                   "dates", "periods", "authors")
                          for f in r.get(k, []))


def test_foreign_keys_and_indexes(db):
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    targets = {r[2] for r in conn.execute("PRAGMA foreign_key_list(document_mentions)")}
    assert targets == {"documents", "articles", "sentences"}
    assert {r[2] for r in conn.execute("PRAGMA foreign_key_list(article_provinces)")} == {"articles", "provinces", "sentences"}
    indexed = {(t, conn.execute(f"PRAGMA index_info({r[1]})").fetchone()[2])
               for t in tables() for r in conn.execute(f"PRAGMA index_list({t})")}
    for table, columns in tables().items():
        if "doc_id" in columns:
            assert (table, "doc_id") in indexed, table
    assert ("documents", "code_key") in indexed and ("officials", "key") in indexed


def test_gazetteer_rows_and_links(db):
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT era, count(*) FROM provinces GROUP BY era ORDER BY era").fetchall() == [("new", 34), ("old", 63)]
    assert conn.execute("SELECT name, merged_into, merged_into_code FROM provinces WHERE id='old-24'").fetchone() == \
        ("Bac Giang", "Bac Ninh", "24")
    assert json.loads(conn.execute("SELECT merged_from FROM provinces WHERE id='new-25'").fetchone()[0]) == \
        ["Hoa Binh", "Phu Tho", "Vinh Phuc"]
    linked = dict(conn.execute("SELECT name, province_id FROM article_provinces WHERE doc_id='002_75d16ee19731c4f2'"))
    assert linked == {"Bac Giang": "old-24", "Bac Ninh": "old-27"}


def test_full_text_index_is_folded_and_masked(db):
    conn = sqlite3.connect(db)
    # 'Đảng' is written with Đ in the Vietnamese article; the index holds 'Dang'.
    hits = {r[0] for r in conn.execute("SELECT a.doc_id FROM articles_fts JOIN articles a ON a.article_id = articles_fts.rowid "
                                       "WHERE articles_fts MATCH 'dang'")}
    expected = {r["doc_id"] for r in sample_records()
                if re.search(r"(?<!\w)dang(?!\w)", searchable_text(r.get("text", "")).lower())}
    assert "900_vi_sample" in expected and "Đảng" in sample_records()[3]["text"]
    assert hits == expected
    # 000 has 'dang' only in its source URL (…-trung-uong-dang-lam-viec-…): masked, so not found
    first = sample_records()[0]
    assert "-dang-" in first["text"] and first["doc_id"] not in hits
    sentence_ids = [r[0] for r in conn.execute("SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH '\"chuyen doi so\"'")]
    assert len(sentence_ids) == 1
    assert conn.execute("SELECT count(*) FROM sentences_fts").fetchone()[0] == \
        conn.execute("SELECT count(*) FROM sentences").fetchone()[0]


def test_loading_the_same_records_twice_changes_nothing(db, capsys):
    before = dump(db)
    assert newsfacts(["load", str(SAMPLE), "--db", str(db)]) == 0
    assert "0 new, 0 replaced, 6 unchanged" in capsys.readouterr().err
    assert dump(db) == before


def test_a_changed_record_replaces_its_rows(db, tmp_path):
    records = sample_records()
    changed = records[1]
    assert changed["doc_id"] == "002_75d16ee19731c4f2"
    changed["title"] = "Bac Giang revises its industry resolution"
    changed["codes"] = [c for c in changed["codes"] if c["code"] != "109-NQ/TU"]
    changed["provinces"] = []
    assert load(write_records(tmp_path / "changed.jsonl", records), db) == 0
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 6
    codes = [r[0] for r in conn.execute("SELECT code FROM documents WHERE doc_id=?", [changed["doc_id"]])]
    assert codes == ["147-NQ/TU"]
    assert conn.execute("SELECT count(*) FROM document_mentions m LEFT JOIN documents d ON d.id = m.document_id "
                        "WHERE d.id IS NULL").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM province_mentions WHERE doc_id=?", [changed["doc_id"]]).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 6
    found = conn.execute("SELECT a.doc_id FROM articles_fts JOIN articles a ON a.article_id = articles_fts.rowid "
                         "WHERE articles_fts MATCH 'revises'").fetchall()
    assert found == [(changed["doc_id"],)]
    # no sentence (nor its FTS row) is left behind by the old version
    assert conn.execute("SELECT count(*) FROM sentences_fts").fetchone()[0] == \
        conn.execute("SELECT count(*) FROM sentences").fetchone()[0]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_bad_lines_are_skipped_and_reported(tmp_path, capsys):
    good = sample_records()[0]
    lines = ["not json at all", json.dumps({"schema_version": 2, "doc_id": "x"}), json.dumps({"schema_version": 1}),
             json.dumps(["a list"]), json.dumps(good)]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "facts.db"
    assert newsfacts(["load", str(path), "--db", str(db)]) == 3
    err = capsys.readouterr().err
    assert "4 lines skipped" in err and "mixed.jsonl:1: not JSON" in err and "schema_version 2" in err
    assert sqlite3.connect(db).execute("SELECT doc_id FROM articles").fetchall() == [(good["doc_id"],)]


def _set(path):
    """A change to a record: set the value at `path` (keys and list indices)."""
    *parents, last = path

    def change(value):
        def apply(record):
            target = record
            for key in parents:
                target = target[key]
            target[last] = value
        return apply
    return change


def _without_text(record):
    del record["text"]


MALFORMED = {
    "mentions as an integer": _set(["codes", 0, "mentions"])(5),
    "posts as an integer": _set(["officials", 0, "posts"])(7),
    "post_types as an integer": _set(["officials", 0, "post_types"])(7),
    "offset in Arabic-Indic digits": _set(["codes", 0, "mentions", 0, "start"])("٣"),
    "offset in superscript digits": _set(["codes", 0, "mentions", 0, "start"])("²"),
    "offset as a float": _set(["codes", 0, "mentions", 0, "start"])(3.0),
    "offset as a boolean": _set(["codes", 0, "mentions", 0, "end"])(True),
    "sentence bounds as strings": _set(["codes", 0, "mentions", 0, "sentence"])(["0", "50"]),
    "sentence that misses the mention": _set(["codes", 0, "mentions", 0, "sentence"])([0, 3]),
    "huge year": _set(["codes", 0, "year"])(10 ** 30),
    "year over 32 bits": _set(["codes", 0, "year"])(2 ** 31),
    "huge offset": _set(["codes", 0, "mentions", 0, "end"])(10 ** 30),
    "end before start": _set(["codes", 0, "mentions", 0, "end"])(0),
    "end past the text": _set(["codes", 0, "mentions", 0, "end"])(10 ** 6),
    "mention text not at its offsets": _set(["codes", 0, "mentions", 0, "text"])("99-NQ/TW"),
    "lone surrogate in doc_id": _set(["doc_id"])("a\ud800b"),
    "lone surrogate in title": _set(["title"])("a\udc00b"),
    "lone surrogate in a post": _set(["officials", 0, "posts", 0])("x\ud83d"),
    "huge confidence": _set(["language", "confidence"])(10 ** 400),
    "infinite confidence": _set(["language", "confidence"])(float("inf")),
    "segments as an integer": _set(["language", "segments"])(3),
    "source as a list": _set(["source"])([1]),
    "warnings as an integer": _set(["warnings"])(3),
    "error as a string": _set(["error"])("boom"),
    "mention as a list": _set(["codes", 0, "mentions", 0])([1, 2]),
    "published as an integer": _set(["published"])(2025),
    "published not a day": _set(["published"])("2025-13-45"),
    "text as an integer": _set(["text"])(5),
    "code without its value": _set(["codes", 0, "code"])(""),
    "dates not a list": _set(["dates"])("not a list"),
    "year_inferred as a string": _set(["dates", 0, "year_inferred"])("yes"),
    "period not YYYY-YYYY": _set(["periods", 0, "value"])("2025"),
    "no text and a huge offset": lambda r: (_without_text(r), _set(["codes", 0, "mentions", 0, "end"])(10 ** 30)(r)),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_record_is_skipped_whole_and_the_others_are_loaded(tmp_path, capsys, case):
    records = sample_records()
    bad = copy.deepcopy(records[3])  # 900_vi_sample: every kind of fact
    MALFORMED[case](bad)
    path = tmp_path / "r.jsonl"
    lines = [json.dumps(r, ensure_ascii=False) for r in records[:3]] + [json.dumps(bad)] + \
            [json.dumps(r, ensure_ascii=False) for r in records[4:]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "facts.db"
    assert newsfacts(["load", str(path), "--db", str(db)]) == 3
    err = capsys.readouterr().err
    assert "1 lines skipped" in err and f"{path}:4:" in err and "Traceback" not in err
    conn = sqlite3.connect(db)
    loaded = {r[0] for r in conn.execute("SELECT doc_id FROM articles")}
    assert loaded == {r["doc_id"] for r in records} - {"900_vi_sample"}
    # nothing of the skipped record is left anywhere
    assert conn.execute("SELECT count(*) FROM sentences WHERE doc_id = '900_vi_sample'").fetchone()[0] == 0


def test_a_bad_new_version_keeps_the_stored_one(db, tmp_path, capsys):
    before = dump(db)
    bad = sample_records()[3]
    bad["codes"][0]["mentions"] = 5
    assert load(write_records(tmp_path / "bad.jsonl", [bad]), db) == 3
    assert dump(db) == before


def test_bytes_that_are_not_utf8_skip_their_line_only(tmp_path, capsys):
    good = json.dumps(sample_records()[0], ensure_ascii=False).encode("utf-8")
    bad = json.dumps(sample_records()[3], ensure_ascii=False).encode("utf-8").replace("Bắc".encode("utf-8"), b"B\xe1c", 1)
    path = tmp_path / "r.jsonl"
    path.write_bytes(bad + b"\n" + good + b"\n")
    db = tmp_path / "facts.db"
    assert newsfacts(["load", str(path), "--db", str(db)]) == 3
    assert "not valid Unicode" in capsys.readouterr().err
    assert sqlite3.connect(db).execute("SELECT doc_id FROM articles").fetchall() == [(sample_records()[0]["doc_id"],)]


def test_missing_optional_parts_are_not_errors(tmp_path):
    record = sample_records()[3]
    record["periods"][0]["mentions"][0].pop("sentence")  # the loader finds the sentence itself
    for key in ("warnings", "authors", "language"):
        record.pop(key)
    record["extra_field_from_a_newer_pipeline"] = {"anything": [1, 2]}
    db = tmp_path / "facts.db"
    assert load(write_records(tmp_path / "r.jsonl", [record]), db) == 0
    conn = sqlite3.connect(db)
    sentence = conn.execute("SELECT s.text FROM period_mentions m JOIN sentences s ON s.id = m.sentence_id").fetchone()[0]
    assert sentence == "Tỉnh Hòa Bình và tỉnh Bắc Giang sẽ chia sẻ kinh nghiệm chuyển đổi số giai đoạn 2025-2030."


def _paths(value, prefix=()):
    """Every path to a value inside a record (keys and list indices)."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, prefix + (key,))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, prefix + (i,))


BASE = sample_records()[3]
BASE_PATHS = [p for p in _paths(BASE) if p and p[0] != "text"]
ANY_VALUE = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10 ** 40, max_value=10 ** 40),
                      st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
                      st.sampled_from(["\ud800", "٣", "²", "2025-02-30", ""]),
                      st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=5), st.integers(), max_size=2))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(path=st.sampled_from(BASE_PATHS), value=ANY_VALUE)
def test_any_damaged_record_is_loaded_whole_or_skipped_whole(tmp_path_factory, path, value):
    record = copy.deepcopy(BASE)
    _set(list(path))(value)(record)
    try:
        check_record(record)
        valid = True
    except BadRecord:
        valid = False
    db = tmp_path_factory.mktemp("damaged") / "facts.db"
    stats = LoadStats()
    store_sqlite.load(from_dicts([record, sample_records()[0]], stats), db)  # never raises
    conn = sqlite3.connect(db)
    stored = {r[0] for r in conn.execute("SELECT doc_id FROM articles")}
    assert sample_records()[0]["doc_id"] in stored
    assert (stats.invalid == 0) == valid and len(stored) == 1 + valid
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_a_doc_id_repeated_in_one_file_keeps_the_last_record(tmp_path):
    first, second = sample_records()[0], json.loads(json.dumps(sample_records()[0]))
    second["title"] = "second version"
    db = tmp_path / "facts.db"
    assert load(write_records(tmp_path / "r.jsonl", [first, second]), db) == 0
    assert sqlite3.connect(db).execute("SELECT title FROM articles").fetchall() == [("second version",)]


def test_records_without_text_load_without_sentences(tmp_path):
    record = sample_records()[0]
    del record["text"]
    for fact in record["codes"]:
        for m in fact["mentions"]:
            del m["sentence"]
    db = tmp_path / "facts.db"
    assert load(write_records(tmp_path / "r.jsonl", [record]), db) == 0
    conn = sqlite3.connect(db)
    mentions = sum(len(f["mentions"]) for f in record["codes"])
    assert mentions > 5
    assert conn.execute("SELECT count(*), count(sentence_id) FROM document_mentions").fetchone() == (mentions, 0)


def test_usage_errors(tmp_path, capsys):
    assert newsfacts(["load", str(tmp_path / "missing.jsonl"), "--db", str(tmp_path / "f.db")]) == 2
    not_sqlite = tmp_path / "not.db"
    not_sqlite.write_text("hello, I am not a database" * 100)
    assert newsfacts(["load", str(SAMPLE), "--db", str(not_sqlite)]) == 2
    assert "not a SQLite database" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["load", "search", "serve", "review"])
def test_help_has_an_example(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        newsfacts([command, "--help"])
    assert exit_.value.code == 0
    assert "example" in capsys.readouterr().out


@pytest.mark.parametrize("written, key", [("57-NQ/TW", "57-NQ/TW"), ("57 - nq/tw", "57-NQ/TW"), ("57–NQ/TW", "57-NQ/TW"),
                                          ("204-QĐ/TW", "204-QD/TW"), ("204-qđ/tw", "204-QD/TW"),
                                          ("02-KH/BCĐTW", "02-KH/BCDTW"), ("15/2025/NĐ-CP", "15/2025/ND-CP")])
def test_code_key(written, key):
    assert code_key(written) == key


def test_ten_thousand_records_in_one_load(tmp_path):
    base = sample_records()[3]  # a short article with every kind of fact
    path = tmp_path / "many.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        for n in range(10_000):
            base["doc_id"] = f"{n:05d}_synthetic"
            fh.write(json.dumps(base, ensure_ascii=False) + "\n")
    db = tmp_path / "facts.db"
    assert load(path, db) == 0
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 10_000
    assert conn.execute("SELECT count(*) FROM province_mentions").fetchone()[0] == 40_000
    assert conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'chuyen'").fetchone()[0] == 10_000
