"""Clean: metadata from the page furniture, and masking that keeps offsets."""
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.article import Article
from pipeline.clean import Cleaner

CLEANER = Cleaner()
CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def clean(text):
    article = Article(doc_id="t", text=text)
    CLEANER(article)
    assert len(article.masked) == len(article.text)
    return article


def test_dateline_gives_publisher_and_date():
    a = clean("Titre court\n\nNDO - Le texte.\n\nBáo Nhân dânBáo Nhân dân23/05/2025\n\nSuite du texte.\n")
    assert a.published == "2025-05-23"
    assert a.source["publisher"] == "Báo Nhân dân"
    s, e = a.published_span
    assert a.text[s:e] == "23/05/2025"
    assert "23/05/2025" in a.masked  # the stamp stays visible: it names a day


def test_source_lines_in_four_languages_give_the_url_and_are_masked():
    for label in ("Source :", "Quelle:", "Source:", "Nguồn:"):
        a = clean(f"Un paragraphe.\n{label} https://baophutho.vn/ket-luan-so-178-kl-tw-236533.htm\nKommentar (0)")
        assert a.source["url"] == "https://baophutho.vn/ket-luan-so-178-kl-tw-236533.htm"
        assert "178-kl-tw" not in a.masked


def test_bare_byline_before_source_is_an_author_and_masked():
    a = clean("Der Ausschuss tagte.\nVan Lang\nQuelle: https://baophutho.vn/x.htm\nKommentar (0)")
    assert [x["name"] for x in a.authors] == ["Van Lang"]
    m = a.authors[0]["mentions"][0]
    assert a.text[m["start"]:m["end"]] == "Van Lang"
    assert "Van Lang" not in a.masked


def test_labelled_bylines_in_each_language():
    for line, name in [("Actualités et photos : Thu Huyen", "Thu Huyen"), ("Text und Fotos: Minh Anh", "Minh Anh"),
                       ("Story and photos: Hoang Ha", "Hoang Ha"), ("Bài và ảnh: Nguyễn Văn Hùng", "Nguyen Van Hung")]:
        a = clean(f"Premier paragraphe.\n{line}\nSource : https://example.vn/a.html")
        assert [x["name"] for x in a.authors] == [name], line


def test_agency_tag_is_not_a_byline():
    a = clean("NDO - Dans l'après-midi du 23 mai, la délégation a travaillé.\nSource : https://nhandan.vn/x.html")
    assert a.authors == []


def test_site_chrome_and_link_lists_are_masked():
    text = ("Vietnam.vn - Nền tảng quảng bá Việt Nam\n\nLe titre de cet article de presse.\n\nLe corps de l'article.\n\nComment (0)\n\nNo data\n\n"
            "Même catégorie\n\nHa Giang - la beauté qui attire les pieds des gens\n")
    a = clean(text)
    assert "Ha Giang" not in a.masked and "Vietnam.vn" not in a.masked and "Comment" not in a.masked
    assert "Le corps de l'article." in a.masked
    assert a.title == "Le titre de cet article de presse."


def test_translation_artefact_at_paragraph_start_is_masked():
    a = clean("Français En conséquence, le Comité permanent a convenu.\nFrançais Dans cet esprit, le secrétaire a demandé.")
    assert a.masked.splitlines()[0].strip().startswith("En conséquence")
    assert "Français" not in a.masked


def test_urls_anywhere_are_masked():
    a = clean("Voir https://nhandan.vn/ket-luan-so-178-kl-tw-post1.html pour le texte de 2025.")
    assert "kl-tw" not in a.masked and "pour le texte" in a.masked


def test_corpus_metadata():
    expected = {
        "000_8183ee4659814c0f": ("2025-05-23", "https://nhandan.vn/chanh-van-phong-trung-uong-dang-lam-viec-voi-2-tinh-lai-chau-son-la-post881826.html", []),
        "003_e228c1ef6803ec34": (None, "https://baophutho.vn/trien-khai-thuc-hien-ket-luan-so-178-kl-tw-cua-bo-chinh-tri-ban-bi-thu-236533.htm", ["Van Lang"]),
        "004_8d8f46d2654e681f": (None, "https://baodongkhoi.vn/thoi-su/tin-trong-tinh/hoi-nghi-lan-thu-20-ban-chap-hanh-dang-bo-tinh-khoa-xi-a144359.html", ["Thu Huyen"]),
    }
    for doc_id, (published, url, authors) in expected.items():
        a = clean((CORPUS / f"{doc_id}.txt").read_text(encoding="utf-8"))
        assert (a.published, a.source["url"], [x["name"] for x in a.authors]) == (published, url, authors)


def test_a_date_alone_on_its_line_is_the_publication_date():
    a = clean("Tiêu đề bài báo\nThứ Bảy, 24/05/2025 - 10:15 (GMT+7)\nNội dung bài viết ngày 12/6.")
    assert a.published == "2025-05-24" and a.source.get("publisher") is None
    a = clean("Titre\n3/6 cibles atteintes\n")
    assert a.published is None


def test_sentences_do_not_end_at_day_numbers_or_abbreviations():
    from pipeline.record import sentence_bounds
    text = "Plan Nr. 04-KH/TU vom 16. Juli 2025 des Ausschusses. M. Nguyen a dit oui. Fin en 2025. Puis la suite"
    assert [text[s:e].strip() for s, e in sentence_bounds(text)] == [
        "Plan Nr. 04-KH/TU vom 16. Juli 2025 des Ausschusses.", "M. Nguyen a dit oui.", "Fin en 2025.", "Puis la suite"]


def _sentence_bounds_step_by_step(text: str) -> list[tuple[int, int]]:
    """The sentence rule done the slow, plain way: every mark run that may end a sentence,
    then a second look at each lone dot for a day number or abbreviation before it."""
    import regex

    from pipeline.patterns import with_language_words
    from pipeline.text import alternation

    mark_run = regex.compile(r"(?<![.!?;…])[.!?;…]++[\"'»”)]*+(?=\s+[\p{Lu}\p{N}«\"“(]|\s*$)|(?<!\n)\n+")
    not_an_end = regex.compile(r"(?:^|[^\p{L}\p{N}])(?:\d{1,2}|\p{Lu}|"
                               + alternation(with_language_words("clean.json")["abbreviations"]) + r")\.$")
    bounds, start = [], 0
    for m in mark_run.finditer(text):
        if m.group(0) == "." and not_an_end.search(text[:m.end()]):
            continue
        if text[start:m.end()].strip():
            bounds.append((start, m.end()))
        start = m.end()
    if text[start:].strip():
        bounds.append((start, len(text)))
    return bounds


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from([".", "!", "?", ";", "…", "\"", "'", "»", "”", ")", "«", "“", "(", " ", "\n", "\t",
                                 "\u00a0", "a", "Z", "Đ", "7", "29", "Nr", "z.B", "u.a", "n°", "Mrs", "Sept", "bzw",
                                 "M", "vom", ". ", ".\n"]), max_size=30).map("".join))
def test_sentence_ends_in_one_pattern_are_the_step_by_step_ends(text):
    # record.sentence_bounds tests a lone dot for a day number or abbreviation inside its pattern.
    from pipeline.record import sentence_bounds
    assert sentence_bounds(text) == _sentence_bounds_step_by_step(text)


def test_sentence_ends_on_real_text_are_the_step_by_step_ends():
    from pipeline.record import sentence_bounds
    from tests.helpers import real_texts

    for text in real_texts():
        assert sentence_bounds(text) == _sentence_bounds_step_by_step(text)


def test_a_run_of_64_symbols_is_masked_wherever_it_starts_and_63_are_not():
    # The run is found through a sample of every 32nd character (clean._first_symbol_pair):
    # every start offset against that stride, a run just long enough and one just too short.
    for offset in range(70):
        lead = "Le texte " + "x" * offset + " "
        masked = clean(lead + "(" * 64 + " et la suite.").masked
        assert "(" not in masked and masked.endswith("et la suite."), offset
        assert "(" * 63 in clean(lead + "(" * 63 + " et la suite.").masked, offset


_CLEAN_PIECES = st.sampled_from(["a", "Ba", " ", "\n", "(", ".", "-", "_", "é", "7", "\x1c", "😀", "<", '"', "w.",
                                 "WwW.", "http://x.vn/a", "((((((((((((((((", "-.-.-.-.-.-.-.-."])


@settings(max_examples=300, deadline=None)
@given(st.lists(_CLEAN_PIECES, max_size=120), st.data())
def test_the_cheap_tests_before_the_url_and_symbol_scans_lose_no_match(pieces, data):
    from pipeline import clean as cleaning

    text = "".join(pieces)
    end = data.draw(st.integers(0, len(text)))
    for pattern, first in ((cleaning._URL, cleaning._first_url_mark),
                           (cleaning._SYMBOL_RUN, cleaning._first_symbol_pair)):
        everywhere = [m.span() for m in pattern.finditer(text, 0, end)]
        start = first(text)
        found = [m.span() for m in pattern.finditer(text, start, end)] if start is not None else []
        assert found == everywhere
