"""Fuzzing the whole extraction: whatever the text, `pipeline.extract_text` returns a record.

Properties checked on every example:
  - no exception, and no error record (a timeout or an internal error on a few
    KB of text is a bug);
  - the record validates against the JSON Schema and can be written as UTF-8 JSON;
  - record["text"] is the NFC-normalized input, and every mention of every fact
    type (codes, dates, periods, officials, provinces, authors) slices it to the
    mention's text, inside its sentence;
  - the same input gives the same record (resume and dedup rely on it).

Example counts are kept small so this file runs in well under a minute. For a
long session (see docs/reliability.md):

    HYPOTHESIS_PROFILE=long .venv/bin/pytest tests/test_fuzz.py
"""
import json
import os
import unicodedata
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

import pipeline
from pipeline.read import Input
from pipeline.record import dumps, schema

# Profiles are registered here, not in conftest.py, and applied to these tests only.
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile("fuzz", max_examples=100, deadline=None, suppress_health_check=_QUIET)
settings.register_profile("long", max_examples=5000, deadline=None, suppress_health_check=_QUIET)
_name = os.environ.get("HYPOTHESIS_PROFILE", "fuzz")
FUZZ = settings.get_profile(_name if _name in ("fuzz", "long") else "fuzz")

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
PARAGRAPHS = [p for text in ARTICLES for p in text.split("\n") if len(p) > 20]
PAGES = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "tests" / "data" / "html").glob("*.html"))]
VALIDATOR = jsonschema.Draft202012Validator(schema())
FACT_FIELDS = ("codes", "dates", "periods", "officials", "provinces", "authors")

# Pieces that reach deep into the rules when glued together at random.
FRAGMENTS = [
    "57-NQ/TW", "55/QĐ-BXD", "15/2025/NĐ-CP", "02-KH/BCĐTW", "202/2025/QH15", "n° ", "Nr. ", "số ", "No. ",
    "résolution ", "Beschluss ", "Nghị quyết ", "Resolution ", "du ", "vom ", "ngày ", "of ",
    "22 décembre 2024", "14 et 15 juin", "11. Juli 2025", "22/12/2024", "December 22, 2024", "23 mai",
    "2025-2030", "2021–2030", "mandat 2020-2025", "giai đoạn 2025 - 2030",
    "le camarade ", "Genosse ", "đồng chí ", "Comrade ", "Nguyễn Văn Gấu", "Tran Cam Tu", "Ho Thi Hoang Yen",
    "secrétaire du Comité provincial du Parti", "Sekretär des Provinzparteikomitees", "Bí thư Tỉnh ủy",
    "Secretary of the Provincial Party Committee", "président du Comité populaire provincial",
    "province de Lai Chau", "Provinz Phu Tho", "tỉnh Đắk Lắk", "Ba Ria–Vung Tau", "Hô-Chi-Minh-Ville", "Hà Nội",
    "Source : https://nhandan.vn/x-post1.html", "Quelle: https://baophutho.vn/a.htm", "Comment (0)",
    "Même catégorie", "Actualités et photos : Thu Huyen", "Van Lang", "Báo Nhân dânBáo Nhân dân23/05/2025",
    "Vietnam.vn - Nền tảng quảng bá Việt Nam", "Français ", ", ", " ; ", ". ", "\n", "\n\n", " ", "(", ")",
    "«", "»", "–", "-", "/", "’", "\u00a0", "\u200b", "\u200f", "\ufeff", "\u0301",
]
NEWSY = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=4), max_size=60).map("".join)


@st.composite
def mutated_article(draw):
    """A corpus article with random edits: insert, delete, replace, duplicate, splice."""
    text = draw(st.sampled_from(ARTICLES))
    for _ in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["insert", "delete", "replace", "duplicate", "splice"]))
        i = draw(st.integers(0, len(text)))
        j = draw(st.integers(i, min(len(text), i + 300)))
        if op == "insert":
            text = text[:i] + draw(st.text(max_size=20) | st.sampled_from(FRAGMENTS)) + text[i:]
        elif op == "delete":
            text = text[:i] + text[j:]
        elif op == "replace":
            text = text[:i] + draw(st.text(min_size=1, max_size=6)) + text[j:]
        elif op == "duplicate":
            text = text[:j] + text[i:j] + text[j:]
        else:
            text = text[:i] + "\n" + draw(st.sampled_from(PARAGRAPHS)) + "\n" + text[i:]
    return text


@st.composite
def mutated_bytes(draw):
    """An article's bytes (UTF-8, UTF-16 or cp1252) with random bytes flipped, cut or inserted."""
    text = draw(st.sampled_from(ARTICLES))
    data = bytearray(draw(st.sampled_from([
        text.encode("utf-8"), codecs_bom_utf16(text), text.encode("cp1252", errors="replace")])))
    for _ in range(draw(st.integers(0, 12))):
        i = draw(st.integers(0, len(data)))
        op = draw(st.sampled_from(["flip", "cut", "insert"]))
        if op == "flip" and i < len(data):
            data[i] = draw(st.integers(0, 255))
        elif op == "cut":
            del data[i:i + draw(st.integers(1, 50))]
        else:
            data[i:i] = draw(st.binary(max_size=8))
    return bytes(data)


def codecs_bom_utf16(text: str) -> bytes:
    return text.encode("utf-16")  # with its byte-order mark


@st.composite
def mutated_page(draw):
    """A test page with tags and text cut, duplicated or garbled."""
    page = draw(st.sampled_from(PAGES))
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(page)))
        j = draw(st.integers(i, min(len(page), i + 400)))
        op = draw(st.sampled_from(["delete", "duplicate", "insert"]))
        if op == "delete":
            page = page[:i] + page[j:]
        elif op == "duplicate":
            page = page[:j] + page[i:j] + page[j:]
        else:
            page = page[:i] + draw(st.sampled_from(["<div>", "</p>", "<p>", "<!--", "<script>", "&amp;", "&#0;",
                                                    "<h1>", "]]>", "\x00"]) | st.text(max_size=10)) + page[i:]
    return page


def check(record: dict, text: str | None = None) -> None:
    assert "error" not in record, record.get("error")
    VALIDATOR.validate(record)
    line = dumps(record)
    line.encode("utf-8")  # writable: no lone surrogates anywhere
    assert json.loads(line) == record
    body = record["text"]
    if text is not None:
        assert body == unicodedata.normalize("NFC", text)
    for field in FACT_FIELDS:
        for fact in record[field]:
            assert fact["mentions"], (field, fact)
            for m in fact["mentions"]:
                assert 0 <= m["start"] < m["end"] <= len(body), (field, m)
                assert body[m["start"]:m["end"]] == m["text"], (field, m)
                s, e = m["sentence"]
                assert 0 <= s <= m["start"] and m["end"] <= e <= len(body), (field, m)


@FUZZ
@given(st.text(max_size=3000))
@example("")
@example("\n\n\n")
@example("\u0301\u0301 ễ \ufeff")  # combining marks with nothing to combine with, a BOM inside
@example("Nghi quyet so 57-NQ/TW ngay 31/2/2025")  # an impossible date
def test_any_text(text):
    record = pipeline.extract_text(text)
    check(record, text)
    assert pipeline.extract_text(text) == record  # deterministic


@FUZZ
@given(NEWSY)
def test_newsy_fragments(text):
    check(pipeline.extract_text(text), text)


@FUZZ
@given(mutated_article())
def test_mutated_corpus_articles(text):
    check(pipeline.extract_text(text, doc_id="mutant"), text)


@FUZZ
@given(mutated_bytes())
def test_mutated_bytes(data):
    record = pipeline._pipeline().run_input(Input(doc_id="bytes", path=None, data=data))
    VALIDATOR.validate(record)
    if "error" in record:
        assert record["error"]["kind"] in ("binary", "empty"), record["error"]
        return
    check(record)


@FUZZ
@given(mutated_page())
def test_mutated_html_pages(page):
    pytest.importorskip("trafilatura")
    record = pipeline._pipeline().run_input(Input(doc_id="page", path=None, format="html",
                                                  data=page.encode("utf-8")))
    VALIDATOR.validate(record)
    if "error" in record:
        assert record["error"]["kind"] in ("empty", "binary"), record["error"]
        return
    check(record)


def test_lone_surrogates_from_the_python_api():
    text = "Résolution n° 57-NQ/TW \udcc3\udca9 du Politburo"  # as os.fsdecode / surrogateescape give it
    record = pipeline.extract_text(text)
    assert record["text"].count("\ufffd") == 2
    check(record)
