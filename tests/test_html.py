"""HTML input: main text without the site chrome, metadata from the page, facts with offsets.

The pages in tests/data/html/ are written for these tests in the layouts of
the publishers the corpus comes from (vietnam.vn's French and German
editions, nhandan.vn, an English-language paper).
"""
import json
import shutil
import sys
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given, settings, strategies as st

from pipeline.read import discover
from pipeline.record import schema

pytest.importorskip("trafilatura", reason="HTML input needs newsfacts[html]")

from pipeline import html  # noqa: E402  (after the skip: it is fine without trafilatura, the tests are not)

PAGES = Path(__file__).parent / "data" / "html"
VALIDATOR = jsonschema.Draft202012Validator(schema())


@pytest.fixture(scope="module")
def pipeline():
    from pipeline.process import Pipeline

    return Pipeline()


def run_page(pipeline, path: Path) -> dict:
    (item,) = list(discover([str(path)]))
    return pipeline.run_input(item)


def assert_offsets_slice(record):
    text = record["text"]
    for field in ("codes", "dates", "periods", "officials", "provinces", "authors"):
        for fact in record[field]:
            for m in fact["mentions"]:
                assert text[m["start"]:m["end"]] == m["text"], (field, m)


EXPECTED = {
    "vietnamvn_fr.html": dict(
        lang="fr",
        title="Quang Ninh accélère la mise en œuvre de la résolution n° 57-NQ/TW",
        published="2025-06-12",
        url="https://www.vietnam.vn/fr/quang-ninh-accelere-la-mise-en-oeuvre-de-la-resolution-57",
        publisher="Vietnam.vn",
        authors={"Minh Ha": "Minh Ha"},
        codes=["57-NQ/TW", "112-KH/TU", "742/QD-UBND", "123-KL/TW"],
        provinces=["Quang Ninh", "Bac Giang", "Hai Duong"],
        body=["Plus de 95 % des dossiers administratifs sont désormais traités en ligne",
              "poursuivre la mise en œuvre de la conclusion n° 123-KL/TW"],
        chrome=["Même catégorie", "Même auteur", "Comment (0)", "Veuillez laisser un commentaire", "Patrimoine",
                "Rechercher", "Conditions d'utilisation", "Ha Giang - la beauté", "88-CT/TW", "Thai Binh",
                "Nền tảng quảng bá", "Licence n°", "dataLayer"],
    ),
    "vietnamvn_de.html": dict(
        lang="de",
        title="Provinz Nghe An überprüft die Umsetzung des Beschlusses Nr. 18-NQ/TW",
        published="2025-03-04",
        url="https://www.vietnam.vn/de/provinz-nghe-an-ueberprueft-beschluss-18",
        publisher="Vietnam.vn",
        authors={"Hoai Thu": "Hoai Thu"},
        codes=["18-NQ/TW", "45-KH/TU", "121-KL/TW"],
        provinces=["Nghe An", "Ha Tinh", "Thanh Hoa"],
        body=["Am Nachmittag des 3. März hielt der Ständige Ausschuss",
              "Schlussfolgerung Nr. 121-KL/TW entschlossen umzusetzen"],
        chrome=["Gleiche Kategorie", "Gleicher Autor", "Kommentar (0)", "Bitte hinterlassen", "Startseite",
                "Keine Daten", "Lai Chau bereitet", "35-CT/TW", "Quang Tri", "Alle Rechte", "_paq"],
    ),
    "nhandan_vi.html": dict(
        lang="vi",
        title="Tỉnh ủy Lào Cai quán triệt Nghị quyết số 66-NQ/TW của Bộ Chính trị",
        published="2025-05-15",
        url="https://nhandan.vn/tinh-uy-lao-cai-quan-triet-nghi-quyet-so-66-nqtw-post880123.html",
        publisher="Báo Nhân Dân điện tử",
        authors={"Quoc Hong": "QUỐC HỒNG"},
        codes=["66-NQ/TW", "137-KL/TW", "1234/QD-UBND", "68-NQ/TW"],
        provinces=["Lao Cai", "Yen Bai", "Ha Giang"],
        # the lead ("sapo") sits beside the body container: it must not be lost
        body=["Sáng 15/5, Ban Thường vụ Tỉnh ủy Lào Cai tổ chức hội nghị quán triệt",
              "tỉnh Lào Cai sẽ phối hợp với tỉnh Yên Bái và tỉnh Hà Giang"],
        chrome=["Bình luận (0)", "Tin liên quan", "Nhập bình luận", "Thế giới", "57-NQ/TW", "Tổng Biên tập",
                "Giấy phép", "Tags:", "Thứ Sáu, 16/05/2025"],
    ),
    "english_news.html": dict(
        lang="en",
        title="Da Nang Party Committee reviews Resolution 43-NQ/TW",
        published="2024-11-20",
        url="https://news.example.vn/politics/da-nang-reviews-resolution-43-nq-tw-2024-11-20.html",
        publisher="Vietnam News Daily",
        authors={"Le Thanh Binh": "Le Thanh Binh"},
        codes=["43-NQ/TW", "08/2024/ND-CP"],
        provinces=["Da Nang", "Quang Nam", "Thua Thien Hue"],
        body=["reviewed five years of implementing Resolution No. 43-NQ/TW",
              "Decree No. 08/2024/ND-CP"],
        chrome=["We use cookies", "Subscribe", "Get our daily newsletter", "Related news", "Most read",
                "45-NQ/TW", "59-NQ/TW", "Quang Binh", "All rights reserved", "Hai Phong"],
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_page_gives_main_text_metadata_and_facts(pipeline, name):
    want = EXPECTED[name]
    record = run_page(pipeline, PAGES / name)
    VALIDATOR.validate(record)
    assert "error" not in record, record.get("error")
    text = record["text"]
    assert text.startswith(want["title"] + "\n")
    for sentence in want["body"]:
        assert sentence in text
    for chrome in want["chrome"]:
        assert chrome not in text, f"site chrome {chrome!r} leaked into the text"
    assert "<" not in text and "{" not in text  # no markup, no script
    assert record["title"] == want["title"]
    assert record["published"] == want["published"]
    assert record["language"]["code"] == want["lang"]
    source = record["source"]
    assert (source["format"], source["url"], source["publisher"]) == ("html", want["url"], want["publisher"])
    assert {a["name"]: [m["text"] for m in a["mentions"]] for a in record["authors"]} == \
        {name: [written] for name, written in want["authors"].items()}
    assert [c["code"] for c in record["codes"]] == want["codes"]
    assert [p["name"] for p in record["provinces"]] == want["provinces"]
    assert_offsets_slice(record)


def test_nhandan_lead_gives_the_dated_resolution(pipeline):
    record = run_page(pipeline, PAGES / "nhandan_vi.html")
    issued = {c["code"]: c["issued"] for c in record["codes"]}
    assert issued["66-NQ/TW"] == "2025-04-30"
    assert "2025-04-30" in [d["value"] for d in record["dates"]]


def test_author_missing_from_the_text_is_appended_and_gives_no_facts(pipeline, tmp_path):
    # "Hà Nam" is a province; on a byline it is part of a person's name.
    page = (PAGES / "vietnamvn_fr.html").read_text(encoding="utf-8")
    page = page.replace('content="Minh Ha"', 'content="Nguyễn Hà Nam"')
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    record = run_page(pipeline, tmp_path / "p.html")
    (author,) = record["authors"]
    assert author["name"] == "Nguyen Ha Nam"
    (mention,) = author["mentions"]
    assert record["text"].endswith("\n\nNguyễn Hà Nam")
    assert record["text"][mention["start"]:mention["end"]] == "Nguyễn Hà Nam"
    assert "Ha Nam" not in [p["name"] for p in record["provinces"]]


def test_author_found_in_the_text_is_not_appended(pipeline, tmp_path):
    page = (PAGES / "english_news.html").read_text(encoding="utf-8")
    page = page.replace("joined the meeting", "joined the meeting, reporter Le Thanh Binh wrote,")
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    record = run_page(pipeline, tmp_path / "p.html")
    (mention,) = record["authors"][0]["mentions"]
    assert not record["text"].endswith("Le Thanh Binh")
    assert mention["start"] == record["text"].index("reporter Le Thanh Binh") + len("reporter ")


def test_page_finish_drops_repeated_author_mentions_and_facts_on_the_added_lines():
    page = html.Page(text="x" * 50, added_from=40)
    m = {"start": 41, "end": 47, "text": "xxxxxx", "rule": "r", "sentence": [41, 47]}
    record = {"authors": [{"name": "A", "mentions": [dict(m), dict(m)]}],
              "provinces": [{"name": "Ha Nam", "mentions": [dict(m)]},
                            {"name": "Lai Chau", "mentions": [dict(m, start=3, end=8)]}],
              "codes": [], "dates": [], "periods": [], "officials": []}
    page.finish(record)
    assert len(record["authors"][0]["mentions"]) == 1
    assert [p["name"] for p in record["provinces"]] == ["Lai Chau"]


def test_cp1252_page_with_meta_charset(pipeline, tmp_path):
    page = (PAGES / "vietnamvn_fr.html").read_text(encoding="utf-8")
    page = page.replace('<meta charset="utf-8">', '<meta charset="windows-1252">')
    # Vietnamese letters in the chrome have no cp1252 byte: they become "?"
    (tmp_path / "p.html").write_bytes(page.encode("cp1252", errors="replace"))
    record = run_page(pipeline, tmp_path / "p.html")
    assert record["source"]["encoding"] == "cp1252"
    assert record["title"] == EXPECTED["vietnamvn_fr.html"]["title"]
    assert "Plus de 95 % des dossiers administratifs sont désormais traités" in record["text"]


def test_html_saved_as_txt_is_read_as_html(pipeline, tmp_path):
    shutil.copy(PAGES / "english_news.html", tmp_path / "saved.txt")
    record = run_page(pipeline, tmp_path / "saved.txt")
    assert record["source"]["format"] == "html"
    assert "the file holds an HTML page: it was read as HTML" in record["warnings"]
    assert [c["code"] for c in record["codes"]] == EXPECTED["english_news.html"]["codes"]


def test_forced_html_format_on_a_named_file(pipeline, tmp_path):
    shutil.copy(PAGES / "vietnamvn_de.html", tmp_path / "page.php")
    (item,) = list(discover([str(tmp_path / "page.php")], fmt="html"))
    record = pipeline.run_input(item)
    assert record["title"] == EXPECTED["vietnamvn_de.html"]["title"]


def test_page_with_little_text_is_kept_with_a_warning(pipeline, tmp_path):
    markup = "<html><head><title>Menu</title></head><body><nav><a href='/'>Accueil</a></nav></body></html>"
    (tmp_path / "p.html").write_text(markup, encoding="utf-8")
    record = run_page(pipeline, tmp_path / "p.html")
    VALIDATOR.validate(record)
    assert "error" not in record
    assert any("characters of main text" in w for w in record["warnings"])


@pytest.mark.parametrize("markup", [
    "<html><body></body></html>",
    "<!DOCTYPE html><html><head><script>var x = 1;</script></head></html>",
])
def test_page_without_article_text_is_an_empty_error(pipeline, tmp_path, markup):
    (tmp_path / "p.html").write_text(markup, encoding="utf-8")
    record = run_page(pipeline, tmp_path / "p.html")
    VALIDATOR.validate(record)
    assert record["error"]["kind"] == "empty"
    assert record["source"]["format"] == "html"


@pytest.mark.parametrize("markup", [
    "<html><body><p>Le Comité provincial du Parti de Lai Chau <b>a adopté<p>la résolution n° 57-NQ/TW"
    + "<div><span>non fermé" * 200,                                   # tags never closed
    "<html><body>" + "<div>" * 50_000 + "Lai Chau 57-NQ/TW" + "</div>" * 50_000 + "</body></html>",  # deep
    "<html><body><p>" + "Lai Chau, 57-NQ/TW. " * 20_000 + "</p></body></html>",   # one huge paragraph
    "\x00<html>\x00<body>\x00</body>",
    "<?xml version='1.0' encoding='utf-8'?><html><body><p>" + "Texte " * 100 + "</p></body></html>",
])
def test_broken_pages_never_crash(pipeline, tmp_path, markup):
    (tmp_path / "p.html").write_text(markup, encoding="utf-8")
    record = run_page(pipeline, tmp_path / "p.html")
    VALIDATOR.validate(record)
    if "error" not in record:
        assert_offsets_slice(record)


ARTICLE_P = "<p>" + "Le Comité provincial du Parti de Lai Chau a adopté la résolution n° 57-NQ/TW. " * 8 + "</p>"


@pytest.mark.parametrize("depth", [300, 5_000])
def test_a_page_nested_deeper_than_the_parser_goes_is_an_html_error(pipeline, tmp_path, depth):
    # The parser stops reading at its depth limit (libxml2: 256): what follows is lost, and
    # a page cut short must say so, not pass for an empty page or a page without its body.
    markup = ("<html><body><h1>Le Comité provincial du Parti de Lai Chau se réunit</h1>" + "<div>" * depth
              + ARTICLE_P + "</div>" * depth + ARTICLE_P + "</body></html>")
    (tmp_path / "deep.html").write_text(markup, encoding="utf-8")
    record = run_page(pipeline, tmp_path / "deep.html")
    VALIDATOR.validate(record)
    assert record["error"]["kind"] == "html", record.get("error") or record["text"]
    assert "nests" in record["error"]["message"] and "deep" in record["error"]["message"]


def test_a_page_nested_to_an_ordinary_depth_is_read(pipeline, tmp_path):
    markup = "<html><body><h1>Titre de l'article</h1>" + "<div>" * 60 + ARTICLE_P + "</div>" * 60 + "</body></html>"
    (tmp_path / "ok.html").write_text(markup, encoding="utf-8")
    record = run_page(pipeline, tmp_path / "ok.html")
    assert "error" not in record and [c["code"] for c in record["codes"]] == ["57-NQ/TW"]


@pytest.mark.parametrize("attribute", ['a{}="x"', "a{}", "data-x{}='>' ", 'a{}=v/'])
def test_a_tag_with_thousands_of_attributes_is_refused_before_parsing(pipeline, tmp_path, attribute):
    # The parser's time grows with the square of one tag's attributes (100,000 took 20-90 s).
    attributes = " ".join(attribute.format(i) for i in range(20_000))
    markup = f"<html><body><h1>Titre</h1><p {attributes}>x</p>{ARTICLE_P}</body></html>"
    (tmp_path / "attrs.html").write_text(markup, encoding="utf-8")
    record = run_page(pipeline, tmp_path / "attrs.html")
    VALIDATOR.validate(record)
    assert record["error"]["kind"] == "html", record.get("error")
    assert "20,000 attributes" in record["error"]["message"] and "<p>" in record["error"]["message"]


ATTRIBUTE_VALUES = st.one_of(st.none(), st.text(alphabet="ab <>/='\"", max_size=6))


@given(values=st.lists(ATTRIBUTE_VALUES, min_size=1, max_size=40))
@settings(max_examples=200, deadline=None)
def test_the_attribute_count_is_what_the_parser_sees(values):
    """Property: the pre-parse scan counts exactly the attributes lxml reads from a start tag."""
    from lxml import etree

    parts = []
    for i, value in enumerate(values):
        if value is None:
            parts.append(f"a{i}")
        elif '"' not in value:
            parts.append(f'a{i}="{value}"')
        else:
            parts.append(f"a{i}='{value.replace(chr(39), '')}'")
    tag = "<p " + " ".join(parts) + ">"
    (match,) = [m for m in html._START_TAG.finditer(tag)]
    parsed = etree.fromstring("<html><body>" + tag + "x</p></body></html>", etree.HTMLParser())
    assert len(match.starts(1)) == len(parsed.find(".//p").attrib) == len(values)


def test_without_trafilatura_html_gets_an_install_hint(pipeline, monkeypatch):
    monkeypatch.setattr(html, "_trafilatura", None)
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # makes `import trafilatura` fail
    record = run_page(pipeline, PAGES / "english_news.html")
    VALIDATOR.validate(record)
    assert record["error"]["kind"] == "dependency"
    assert "pip install 'newsfacts[html]'" in record["error"]["message"]
    assert record["source"]["format"] == "html"


def test_without_trafilatura_a_txt_page_stays_text_with_a_warning(pipeline, tmp_path, monkeypatch):
    monkeypatch.setattr(html, "_trafilatura", None)
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    shutil.copy(PAGES / "english_news.html", tmp_path / "saved.txt")
    record = run_page(pipeline, tmp_path / "saved.txt")
    assert record["source"]["format"] == "text"
    assert any("newsfacts[html]" in w for w in record["warnings"])


def test_stdin_html_through_the_cli():
    from tests.conftest import run_cli

    result = run_cli("extract", "--help")
    if b"--format" not in result.stdout:
        pytest.skip("the extract command has no --format flag yet (see docs/reliability.md)")
    page = (PAGES / "english_news.html").read_bytes()
    result = run_cli("extract", "-", "--format", "html", "-o", "-", input=page, check=True)
    record = json.loads(result.stdout)
    assert record["source"]["format"] == "html"
    assert record["title"] == EXPECTED["english_news.html"]["title"]
