"""Record files as input: JSON Lines, CSV/TSV, Parquet, WARC -- one article per row.

Every file is generated at test time (tests/formats_data.py). A row must give
the record its own text would give through the Python API with the same
metadata; bad rows get error records naming their row, and the rows after
them are read as usual.
"""
import datetime as dt
import gzip
import json

import pytest
from hypothesis import given, settings, strategies as st

from pipeline.batch import DuplicateGuard
from pipeline.read import ReadOptions, count_inputs, discover
from pipeline.sources import container_of, id_base
from pipeline.sources.fields import Fields, lookup, publication_date
from tests.formats_data import (ARTICLES, PUBLISHED, page, rows, write_csv, write_jsonl, write_parquet,
                                write_warc)

pytest.importorskip("pyarrow", reason="the parquet extra is not installed")
pytest.importorskip("warcio", reason="the warc extra is not installed")


@pytest.fixture(scope="module")
def pipeline():
    from pipeline.process import Pipeline

    return Pipeline()


def extract(pipeline, paths, fmt=None, max_bytes=20 * 1024 * 1024, **options):
    """Records as the CLI makes them (duplicates checked), in one process."""
    fields = Fields.from_options(**{k: options.pop(k) for k in list(options) if k in
                                    ("text", "html", "id", "url", "published", "title")})
    guard = DuplicateGuard()
    return [guard.check(item) or pipeline.run_input(item, max_bytes)
            for item in discover([str(p) for p in paths], fmt=fmt, max_bytes=max_bytes,
                                 options=ReadOptions(fields=fields, **options))]


def facts(record):
    return {name: record[name] for name in ("language", "codes", "dates", "periods", "officials", "provinces",
                                            "authors", "title", "published", "text")}


def api_record(text, **metadata):
    from pipeline import extract_text

    return extract_text(text, metadata=metadata)


# -- the same record as the Python API, for every format ----------------------

def _jsonl(tmp_path):
    return write_jsonl(tmp_path / "news.jsonl", rows())


def _jsonl_gz(tmp_path):
    return write_jsonl(tmp_path / "news.jsonl.gz", rows(), gz=True)


def _csv(tmp_path):
    return write_csv(tmp_path / "news.csv", ["id", "text", "url", "published"],
                     [[r["id"], r["text"], r["url"], r["published"]] for r in rows()])


def _tsv(tmp_path):
    return write_csv(tmp_path / "news.tsv", ["id", "text", "url", "published"],
                     [[r["id"], r["text"], r["url"], r["published"]] for r in rows()], delimiter="\t")


def _parquet(tmp_path):
    table = rows()
    return write_parquet(tmp_path / "news.parquet", {key: [r[key] for r in table] for key in table[0]})


@pytest.mark.parametrize("make", [_jsonl, _jsonl_gz, _csv, _tsv, _parquet], ids=lambda f: f.__name__[1:])
def test_each_row_gives_the_record_of_its_text_with_its_metadata(pipeline, tmp_path, make):
    path = make(tmp_path)
    records = extract(pipeline, [path])
    assert [r["doc_id"] for r in records] == [f"{lang}-1" for lang in ARTICLES]
    for number, (record, (lang, text)) in enumerate(zip(records, ARTICLES.items()), 1):
        expected = api_record(text, published=PUBLISHED, url=f"https://news.example.vn/{lang}/1")
        assert facts(record) == facts(expected)
        assert record["published"] == PUBLISHED and record["language"]["code"] == lang
        assert record["source"]["url"] == f"https://news.example.vn/{lang}/1"
        assert record["source"]["path"] == str(path) and record["source"]["row"] == number
        assert record["source"]["container"] == container_of(path.name)
        assert record["source"]["format"] == "text" and record["source"]["date_given"] == PUBLISHED


def test_the_published_field_reaches_year_inference(pipeline, tmp_path):
    text = ARTICLES["fr"]  # "Le 14 juin": no year in the text
    path = write_jsonl(tmp_path / "a.jsonl", [{"id": "dated", "text": text, "published": "2024-07-01"},
                                              {"id": "undated", "text": text}])
    dated, undated = extract(pipeline, [path])
    assert [d["value"] for d in dated["dates"]] == ["2024-06-14"]
    assert dated["dates"] == api_record(text, published="2024-07-01")["dates"]
    assert undated["published"] is None and undated["dates"] == api_record(text)["dates"]


def test_a_month_alone_dates_the_days_but_is_not_the_publication_date(pipeline, tmp_path):
    text = ARTICLES["fr"]  # "Le 14 juin": no year in the text
    path = write_jsonl(tmp_path / "a.jsonl", [{"id": "month", "text": text, "published": "2024-07"},
                                              {"id": "year", "text": text, "published": "2023"}])
    month, year = extract(pipeline, [path])
    assert month["published"] is None and month["source"]["date_given"] == "2024-07"
    assert [(d["value"], d["year_inferred"]) for d in month["dates"]] == [("2024-06-14", True)]
    assert month["dates"] == api_record(text, published="2024-07")["dates"]
    assert [d["value"] for d in year["dates"]] == ["2023-06-14"]


def test_field_options_and_nested_fields(pipeline, tmp_path):
    path = write_jsonl(tmp_path / "dump.jsonl", [
        {"uid": "x-7", "body": ARTICLES["de"], "link": "https://news.example.de/x-7", "headline": "Parteikomitee tagt",
         "meta": {"date": "2025-03-10T08:30:00+07:00"}, "text": "not this one"},
    ])
    (record,) = extract(pipeline, [path], text="body", id="uid", url="link", title="headline",
                        published="meta.date")
    assert record["doc_id"] == "x-7" and record["title"] == "Parteikomitee tagt"
    assert record["published"] == "2025-03-10" and record["source"]["date_given"] == "2025-03-10T08:30:00+07:00"
    assert record["source"]["url"] == "https://news.example.de/x-7"
    assert record["text"] == ARTICLES["de"]


def test_default_names_ignore_case(pipeline, tmp_path):
    path = write_csv(tmp_path / "t.csv", ["Doc_ID", "Content", "Link", "Date"],
                     [["k1", ARTICLES["en"], "https://e.example/1", "Tue, 10 Jun 2025 09:00:00 +0700"]])
    (record,) = extract(pipeline, [path])
    assert record["doc_id"] == "k1" and record["published"] == "2025-06-10"
    assert record["source"]["url"] == "https://e.example/1"


def test_html_field_goes_through_the_html_path(pipeline, tmp_path):
    html = page("Hội nghị Tỉnh ủy Hòa Bình", ARTICLES["vi"].strip())
    path = write_jsonl(tmp_path / "pages.jsonl", [{"id": "p1", "html": html, "published": PUBLISHED}])
    (record,) = extract(pipeline, [path])
    assert record["source"]["format"] == "html" and "<p>" not in record["text"]
    assert "Accueil" not in record["text"]  # the navigation is not article text
    assert [c["code"] for c in record["codes"]] == ["57-NQ/TW"]
    assert record["published"] == PUBLISHED and [d["value"] for d in record["dates"]] == ["2025-06-14"]


def test_naming_the_html_field_reads_only_html(pipeline, tmp_path):
    html = page("Conférence provinciale", ARTICLES["fr"].strip())
    path = write_jsonl(tmp_path / "both.jsonl", [{"id": "b", "text": "extrait mal découpé", "page": html}])
    (record,) = extract(pipeline, [path], html="page")
    assert record["source"]["format"] == "html" and "57-NQ/TW" in record["text"]


def test_a_title_field_is_the_record_title(pipeline, tmp_path):
    path = write_jsonl(tmp_path / "t.jsonl", [{"text": ARTICLES["en"], "title": "Lang Son reviews Resolution 18"}])
    (record,) = extract(pipeline, [path])
    assert record["title"] == "Lang Son reviews Resolution 18"


def test_the_python_api_reads_record_files(tmp_path):
    from pipeline import extract_files

    path = write_csv(tmp_path / "t.csv", ["uid", "body"], [["k1", ARTICLES["vi"]]])
    (record,) = extract_files([str(path)], text="body", id="uid")
    assert record["doc_id"] == "k1" and [c["code"] for c in record["codes"]] == ["57-NQ/TW"]
    with pytest.raises(ValueError):
        next(extract_files([str(path)], id_from="name"))


# -- doc_id ---------------------------------------------------------------

def test_rows_without_an_id_are_file_colon_row(pipeline, tmp_path):
    path = write_jsonl(tmp_path / "crawl-2025.jsonl.gz", [{"text": t} for t in ARTICLES.values()], gz=True)
    assert [r["doc_id"] for r in extract(pipeline, [path])] == [f"crawl-2025:{n}" for n in range(1, 5)]
    (tmp_path / "sub").mkdir()
    path.rename(tmp_path / "sub" / path.name)
    ids = [r["doc_id"] for r in extract(pipeline, [tmp_path], id_from="path")]
    assert ids == [f"sub/crawl-2025.jsonl.gz:{n}" for n in range(1, 5)]


def test_a_named_id_field_missing_from_a_row_falls_back_with_a_warning(pipeline, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [{"uid": "u1", "text": ARTICLES["fr"]}, {"text": ARTICLES["de"]}])
    first, second = extract(pipeline, [path], id="uid")
    assert first["doc_id"] == "u1" and not [w for w in first["warnings"] if "uid" in w]
    assert second["doc_id"] == "a:2" and "no 'uid' field: doc_id is a:2" in second["warnings"]


def test_numeric_ids(pipeline, tmp_path):
    path = write_parquet(tmp_path / "n.parquet", {"id": [7.0, None], "text": [ARTICLES["en"], ARTICLES["fr"]]})
    assert [r["doc_id"] for r in extract(pipeline, [path])] == ["7", "n:2"]


def test_repeated_ids_are_duplicate_errors_naming_both_rows(pipeline, tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", [{"id": "same", "text": ARTICLES["fr"]},
                                              {"id": "same", "text": ARTICLES["de"]}])
    first, second = extract(pipeline, [path])
    assert "error" not in first
    assert second["error"]["kind"] == "duplicate_id" and second["source"]["row"] == 2
    assert f"{path}, row 1 and {path}, row 2" in second["error"]["message"]


def test_id_from_path_keeps_two_index_pages_apart(pipeline, tmp_path):
    site = tmp_path / "site"
    for section, lang in (("politique", "fr"), ("economie", "en")):
        (site / section).mkdir(parents=True)
        (site / section / "index.html").write_text(page(f"Rubrique {section}", ARTICLES[lang].strip()),
                                                   encoding="utf-8")
    stems = extract(pipeline, [site])
    assert [r["doc_id"] for r in stems] == ["index", "index"] and stems[1]["error"]["kind"] == "duplicate_id"
    assert "--id-from path" in stems[1]["error"]["message"]
    by_path = extract(pipeline, [site], id_from="path")
    assert [r["doc_id"] for r in by_path] == ["economie/index.html", "politique/index.html"]
    assert all("error" not in r for r in by_path)
    # a file named on the command line: the path as given
    (named,) = extract(pipeline, [site / "economie" / "index.html"], id_from="path")
    assert named["doc_id"] == f"{site}/economie/index.html"


# -- bad rows and bad files -------------------------------------------------

def test_jsonl_bad_rows_are_error_records_and_the_file_goes_on(pipeline, tmp_path):
    path = write_jsonl(tmp_path / "messy.jsonl", [
        {"id": "ok-1", "text": ARTICLES["fr"]},
        b'{"id": "broken", "text": "unterminated\n',
        b"\n",                                                   # blank: skipped, but still line 3
        b'["a", "list"]\n',
        {"id": "no-text", "title": "only a title"},
        {"id": "number", "text": 42},
        {"id": "blank", "text": "   "},
        b'{"id": "bad-bytes", "text": "Nghi quyet so 57-NQ/TW \xff\xfe cua Bo Chinh tri ve tinh Hoa Binh."}\n',
        {"id": "ok-2", "text": ARTICLES["de"]},
    ])
    records = extract(pipeline, [path])
    got = [(r["doc_id"], r["source"]["row"], r.get("error", {}).get("kind")) for r in records]
    assert got == [("ok-1", 1, None), ("messy:2", 2, "bad_row"), ("messy:4", 4, "bad_row"),
                   ("no-text", 5, "bad_row"), ("number", 6, "bad_row"), ("blank", 7, "empty"),
                   ("bad-bytes", 8, None), ("ok-2", 9, None)]
    messages = {r["doc_id"]: r["error"]["message"] for r in records if "error" in r}
    assert messages["messy:2"].startswith(f"{path}, row 2: not valid JSON")
    assert "a JSON array" in messages["messy:4"]
    assert "(the row has: id, title)" in messages["no-text"] and "--text-field" in messages["no-text"]
    assert "holds int, not text" in messages["number"]
    assert "U+FFFD" in records[6]["warnings"][0] and [c["code"] for c in records[6]["codes"]] == ["57-NQ/TW"]
    assert facts(records[-1]) == facts(api_record(ARTICLES["de"]))


def test_jsonl_line_over_the_limit_is_skipped_in_pieces(pipeline, tmp_path):
    path = write_jsonl(tmp_path / "big.jsonl", [{"id": "huge", "text": "x" * 200_000}, {"id": "ok", "text": ARTICLES["en"]}])
    huge, ok = extract(pipeline, [path], max_bytes=10_000)
    assert huge["error"]["kind"] == "too_large" and huge["doc_id"] == "big:1"
    assert ok["doc_id"] == "ok" and "error" not in ok
    small = write_jsonl(tmp_path / "small.jsonl", [{"id": "just-over", "text": "y" * 10_001}])
    (over,) = extract(pipeline, [small], max_bytes=10_000)
    assert over["error"]["kind"] == "too_large" and over["doc_id"] == "just-over"  # the line parsed: its id is known


def test_a_cut_gzip_keeps_the_rows_before_and_says_where(pipeline, tmp_path):
    data = gzip.compress(b"".join(json.dumps({"id": f"r{i}", "text": ARTICLES["vi"]}).encode() + b"\n"
                                  for i in range(200)))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    records = extract(pipeline, [path])
    *good, last = records
    assert good and all("error" not in r for r in good)
    assert [r["doc_id"] for r in good] == [f"r{i}" for i in range(len(good))]
    assert last["error"]["kind"] == "bad_file" and last["doc_id"] == f"cut:{len(good) + 1}"
    assert f"after row {len(good)}" in last["error"]["message"]


def test_csv_quoted_newlines_extra_fields_bad_bytes_and_a_missing_column(pipeline, tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("id,text\n".encode() + b'm1,"' + ARTICLES["fr"].encode() + b'second paragraph\n"\n'
                     + b"m2," + ARTICLES["de"].strip().encode() + b",surplus\n"
                     + b"m3,Nghi quyet 57-NQ/TW \xff cua tinh Hoa Binh\n")
    m1, m2, m3 = extract(pipeline, [path])
    assert m1["text"] == ARTICLES["fr"] + "second paragraph\n" and m1["source"]["row"] == 1
    assert m2["source"]["row"] == 2 and "has 3 fields, the header 2" in m2["warnings"][0]
    assert m3["text"] == "Nghi quyet 57-NQ/TW \ufffd cua tinh Hoa Binh" and "U+FFFD" in m3["warnings"][0]
    wrong = write_csv(tmp_path / "meta.csv", ["doc_id", "url"], [["h1", "https://e.example"]])
    (error,) = extract(pipeline, [wrong])
    assert error["doc_id"] == "meta" and error["error"]["kind"] == "bad_file"
    assert "(doc_id, url)" in error["error"]["message"] and "--text-field" in error["error"]["message"]


def test_csv_runaway_quote_is_a_bad_row(pipeline, tmp_path):
    path = tmp_path / "q.csv"
    path.write_bytes(b'id,text\nq1,"' + b"never closed " * 3000 + b"\n")
    (record,) = extract(pipeline, [path], max_bytes=1000)
    assert record["error"]["kind"] == "bad_row" and record["source"]["row"] == 1


def test_parquet_dates_nulls_and_a_file_that_is_not_parquet(pipeline, tmp_path):
    path = write_parquet(tmp_path / "p.parquet", {
        "id": ["p1", "p2", "p3"],
        "text": [ARTICLES["fr"], None, ARTICLES["en"]],
        "published": [dt.datetime(2025, 6, 20, 23, 30), None, dt.datetime(2025, 3, 10, 1, 0)],
    }, row_group_size=2)
    p1, p2, p3 = extract(pipeline, [path])
    assert p1["published"] == "2025-06-20" and [d["value"] for d in p1["dates"]] == ["2025-06-14"]
    assert p2["error"]["kind"] == "empty" and "'text' is null" in p2["error"]["message"]
    assert p3["source"]["row"] == 3 and p3["published"] == "2025-03-10"
    fake = tmp_path / "fake.parquet"
    fake.write_text("id,text\n")
    (error,) = extract(pipeline, [fake])
    assert error["error"]["kind"] == "bad_file" and "not a readable Parquet file" in error["error"]["message"]
    no_text = write_parquet(tmp_path / "ids.parquet", {"id": ["a"]})
    assert extract(pipeline, [no_text])[0]["error"]["kind"] == "bad_file"


# -- WARC -----------------------------------------------------------------

def _crawl(tmp_path, gz=True):
    vi_page = page("Hội nghị Tỉnh ủy Hòa Bình", ARTICLES["vi"].strip()).encode()
    fr_page = page("Conférence à Hoa Binh", ARTICLES["fr"].strip()).replace('charset="utf-8"', "").encode("cp1252")
    return write_warc(tmp_path / ("crawl.warc.gz" if gz else "crawl.warc"), [
        ("request", "https://news.example.vn/vi/1", None, b""),
        ("response", "https://news.example.vn/vi/1", "text/html; charset=utf-8", vi_page),
        ("response", "https://news.example.vn/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(64)),
        ("response", "https://news.example.vn/old", "text/html", b"<html>moved</html>", "301 Moved Permanently"),
        ("response", "https://news.example.fr/1", "text/html; charset=windows-1252", fr_page),
        ("resource", "file:///notes/en.txt", "text/plain", ARTICLES["en"].encode()),
    ], gz=gz)


@pytest.mark.parametrize("gz", [True, False])
def test_warc_html_responses_and_text_resources_are_articles(pipeline, tmp_path, gz):
    path = _crawl(tmp_path, gz)
    records = extract(pipeline, [path])
    # records: 1 warcinfo, 2 request, 3 response vi, 4 image, 5 redirect, 6 response fr, 7 resource en
    assert [(r["doc_id"], r["source"]["row"], r["source"]["format"]) for r in records] == [
        ("crawl:3", 3, "html"), ("crawl:6", 6, "html"), ("crawl:7", 7, "text")]
    vi, fr, en = records
    assert all("error" not in r for r in records)
    assert vi["source"]["url"] == "https://news.example.vn/vi/1" and vi["source"]["container"] == "warc"
    assert vi["title"] == "Hội nghị Tỉnh ủy Hòa Bình" and [c["code"] for c in vi["codes"]] == ["57-NQ/TW"]
    assert "Comité provincial" in fr["text"] and fr["source"]["encoding"] == "cp1252"  # the HTTP charset
    assert en["text"] == ARTICLES["en"] and en["published"] is None  # WARC-Date is not a publication date
    raw = path.read_bytes()
    for record in records:  # the offset is where the record starts in the file on disk
        start = record["source"]["offset"]
        head = gzip.decompress(raw[start:])[:8] if gz else raw[start:start + 8]
        assert head == b"WARC/1.0" or head == b"WARC/1.1"


def test_warc_headers_as_fields(pipeline, tmp_path):
    path = _crawl(tmp_path)
    records = extract(pipeline, [path], id="WARC-Record-ID")
    assert all(r["doc_id"].startswith("<urn:uuid:") for r in records)


@pytest.mark.parametrize("gz", [True, False])
def test_a_damaged_warc_record_is_a_bad_row_and_reading_goes_on(pipeline, tmp_path, gz):
    path = _crawl(tmp_path, gz)
    clean = {r["source"]["offset"]: r for r in extract(pipeline, [path])}
    data = bytearray(path.read_bytes())
    vi_start = sorted(clean)[0]                     # the first page (row 3)
    fr_start = sorted(clean)[1]                     # the second page (row 6)
    skip = 20 if gz else 0                          # inside the gzip member; the version line itself
    data[vi_start + skip: vi_start + skip + 100] = b"\x00" * 100  # damage row 3 in its first bytes
    path.write_bytes(bytes(data))
    records = extract(pipeline, [path])
    damaged, *rest = records
    assert damaged["error"]["kind"] == "bad_row" and damaged["source"]["row"] == 3
    assert f"damaged WARC record at byte {vi_start}" in damaged["error"]["message"]
    assert "skipped to the next record" in damaged["error"]["message"]
    # reading went on: the French page and the English note, as before, at their own offsets
    assert [r["source"]["offset"] for r in rest] == sorted(clean)[1:]
    assert [facts(r) for r in rest] == [facts(clean[o]) for o in sorted(clean)[1:]]
    assert fr_start == rest[0]["source"]["offset"]


def test_a_warc_cut_short_keeps_the_records_before(pipeline, tmp_path):
    path = _crawl(tmp_path, gz=False)
    data = path.read_bytes()
    path.write_bytes(data[: data.index(b"Comit")])   # the file ends inside the French page
    records = extract(pipeline, [path])
    assert records[0]["doc_id"] == "crawl:3" and "error" not in records[0]
    assert len(records) <= 2 and ("error" not in records[-1] or records[-1]["error"]["kind"] == "bad_row")


def test_a_damaged_parquet_row_group_is_one_error_and_the_next_groups_are_read(pipeline, tmp_path):
    import pyarrow.parquet as pq

    texts = [ARTICLES[lang] for lang in ("fr", "de", "en", "vi")] * 3
    path = write_parquet(tmp_path / "g.parquet", {"id": [f"g{i}" for i in range(12)], "text": texts},
                         row_group_size=4)
    column = pq.ParquetFile(path).metadata.row_group(1).column(1)   # group 2's text column chunk
    data = bytearray(path.read_bytes())
    start = column.dictionary_page_offset if column.has_dictionary_page else column.data_page_offset
    data[start: start + column.total_compressed_size] = b"\xff" * column.total_compressed_size
    path.write_bytes(bytes(data))
    records = extract(pipeline, [path])
    assert [r["doc_id"] for r in records[:4]] == ["g0", "g1", "g2", "g3"]
    error = records[4]
    assert error["error"]["kind"] == "bad_row" and error["doc_id"] == "g:5"
    assert "rows 5-8 (row group 2 of 3) cannot be read" in error["error"]["message"]
    assert [r["doc_id"] for r in records[5:]] == [f"g{i}" for i in range(8, 12)]
    assert all("error" not in r for r in records[:4] + records[5:])


# -- discovery ------------------------------------------------------------

def test_a_walk_picks_up_record_files_and_counts_cheaply(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLES["fr"], encoding="utf-8")
    write_jsonl(tmp_path / "b.jsonl", rows())
    write_parquet(tmp_path / "c.parquet", {"text": [ARTICLES["en"]] * 3})
    (tmp_path / "notes.json").write_text("{}")  # not a record file
    found = [(i.doc_id, i.row) for i in discover([str(tmp_path)])]
    assert found == [("a", None)] + [(f"{lang}-1", n) for n, lang in enumerate(ARTICLES, 1)] + \
        [(f"c:{n}", n) for n in (1, 2, 3)]
    assert count_inputs([str(tmp_path / "a.txt"), str(tmp_path / "c.parquet")]) == 4
    assert count_inputs([str(tmp_path)]) is None  # the JSON Lines file would have to be read through


def test_format_flag_reads_a_named_file_and_stdin_as_records(pipeline, tmp_path, monkeypatch):
    import io
    import sys

    dump = write_jsonl(tmp_path / "dump.txt", rows())
    assert [r["doc_id"] for r in extract(pipeline, [dump], fmt="jsonl")] == [f"{l}-1" for l in ARTICLES]
    stdin = io.TextIOWrapper(io.BytesIO(gzip.compress(dump.read_bytes())))
    monkeypatch.setattr(sys, "stdin", stdin)
    records = extract(pipeline, ["-"], fmt="jsonl")
    assert [r["source"]["path"] for r in records] == [None] * 4 and records[0]["source"]["row"] == 1


def test_names_and_suffixes():
    assert [container_of(n) for n in ("a.JSONL", "a.ndjson.gz", "a.csv.gz", "a.tsv", "a.parquet", "a.warc.gz",
                                      "a.txt", "a.json", "a.gz")] == \
        ["jsonl", "jsonl", "csv", "tsv", "parquet", "warc", None, None, None]
    assert id_base("crawl.warc.gz") == "crawl" and id_base("a.b.jsonl") == "a.b"


# -- field values -----------------------------------------------------------

@pytest.mark.parametrize("value, published, warned", [
    ("2025-09-04", "2025-09-04", False),
    ("2025-09-04T23:30:00-05:00", "2025-09-04", False),   # the date as written, in its own time zone
    ("2025-09-04 10:00", "2025-09-04", False),
    ("Thu, 04 Sep 2025 10:00:00 GMT", "2025-09-04", False),
    (dt.date(2025, 9, 4), "2025-09-04", False),
    ("2023-11", None, False),                             # a month names no day: kept in date_given only
    ("2023", None, False),
    ("2025-02-30", None, True),
    ("04/09/2025", None, True),                           # day or month first? not guessed
    ("yesterday", None, True),
    (1756944000, None, True),                             # seconds or milliseconds? not guessed
    ("", None, False),
    (None, None, False),
])
def test_publication_date_values(value, published, warned):
    got, given, warning = publication_date(value)
    assert got == published and bool(warning) == warned
    assert given == (None if value in ("", None) else (value.isoformat() if isinstance(value, dt.date) else str(value)))


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 12, 31)),
       st.sampled_from(["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%SZ",
                        "%Y-%m-%dT%H:%M:%S+07:00", "%a, %d %b %Y %H:%M:%S +0700"]))
def test_any_written_date_gives_its_day(when, form):
    assert publication_date(when.strftime(form))[0] == when.date().isoformat()


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1).filter(str.strip),
       st.booleans())
def test_any_text_comes_through_a_jsonl_row_unchanged(text, ascii_only):
    import unicodedata

    from pipeline.read import decode
    from pipeline.sources import RecordFile, row_input
    from pipeline.sources.jsonl import _parse

    line = json.dumps({"text": text}, ensure_ascii=ascii_only).encode() + b"\n"
    file = RecordFile(path=None, fs_path=None, id_base="t", container="jsonl")
    item = row_input(_parse(1, line), file, Fields(), 1 << 20)
    assert item.error is None and item.doc_id == "t:1"
    assert decode(item.data).text == unicodedata.normalize("NFC", text)


def test_a_lone_surrogate_in_a_json_string_becomes_a_replacement_character():
    from pipeline.sources import RecordFile, row_input
    from pipeline.sources.jsonl import _parse

    file = RecordFile(path=None, fs_path=None, id_base="t", container="jsonl")
    item = row_input(_parse(1, b'{"text": "Hoa Binh \\ud800 57-NQ/TW"}'), file, Fields(), 1 << 20)
    assert item.data.decode() == "Hoa Binh \ufffd 57-NQ/TW" and "U+FFFD" in item.meta["warnings"][0]


def test_lookup_order_case_and_nesting():
    row = {"Text": "a", "text": None, "content": "b", "meta": {"date": "2025-01-02"}}
    assert lookup(row, ("text", "content")) == ("Text", "a")   # text is null: Text (any case) comes next
    assert lookup(row, ("meta.date",)) == ("meta.date", "2025-01-02")
    assert lookup(row, ("missing", "meta.nothing")) == (None, None)
