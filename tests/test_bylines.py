"""Bylines and publication dates as real pages print them, in fr/de/en/vi.

Every positive case has look-alikes beside it that must give no author or no
publication date: photo credits, outlet abbreviations, site furniture, a line
cut off at the end of an excerpt, a page-date header, an event date in the body.
"""
import pytest

from pipeline import extract_text
from pipeline.article import Article
from pipeline.bylines import Kind, NameReader
from pipeline.clean import Cleaner
from pipeline.patterns import read_json, with_language_words

CLEANER = Cleaner()
NAMES = NameReader(with_language_words("clean.json"))


def clean(text, published=None):
    article = Article(doc_id="t", text=text, published=published)
    CLEANER(article)
    assert len(article.masked) == len(article.text)
    for author in article.authors:
        for m in author["mentions"]:
            assert article.text[m["start"]:m["end"]] == m["text"]
    return article


def authors(article):
    return [a["name"] for a in article.authors]


def assert_masked(article):
    """A byline is no fact of the article: every author mention is blank in `masked`."""
    for author in article.authors:
        for m in author["mentions"]:
            assert not article.masked[m["start"]:m["end"]].strip(), m


HEADLINE = {
    "fr": "Le Comité provincial du Parti de Nghe An tient sa deuxième conférence",
    "de": "Das Provinzparteikomitee von Quang Ninh hält seine zweite Konferenz ab",
    "en": "Nghe An provincial Party Committee holds its second conference",
    "vi": "Ban Chấp hành Đảng bộ tỉnh Nghệ An tổ chức hội nghị lần thứ hai",
}
BODY = {
    "fr": "Le matin, les délégués ont examiné le rapport sur la réorganisation des communes.",
    "de": "Am Morgen prüften die Delegierten den Bericht über die Neuordnung der Gemeinden.",
    "en": "In the morning, delegates reviewed the report on reorganising the communes.",
    "vi": "Buổi sáng, các đại biểu đã thảo luận báo cáo về việc sắp xếp các xã.",
}
LANGS = sorted(HEADLINE)


# -- a name alone on its line ------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
def test_a_name_alone_after_the_headline_or_the_stamp_is_the_byline(lang):
    a = clean(f"{HEADLINE[lang]}\nThanh Duy\n25/10/2025 12:38\n{BODY[lang]}")
    assert authors(a) == ["Thanh Duy"] and a.published == "2025-10-25"
    a = clean(f"{HEADLINE[lang]}\n25/10/2025 12:38\nNguyễn Thị Hồng Vân\n{BODY[lang]}")
    assert authors(a) == ["Nguyen Thi Hong Van"]
    assert_masked(a)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("line", ["Other Stories", "Tin Khác", "Hà Nội", "Provincial News", "NDO", "TTXVN",
                                  "Toàn cảnh hội nghị", "Quang Ninh", "Ảnh minh họa"])
def test_furniture_places_and_abbreviations_alone_after_the_headline_are_nobody(lang, line):
    a = clean(f"{HEADLINE[lang]}\n{line}\n{BODY[lang]}")
    assert a.authors == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("heading", ["QUY ĐỊNH", "NGHỊ QUYẾT", "QUYẾT ĐỊNH", "KẾT LUẬN", "CHỈ THỊ", "THÔNG BÁO",
                                     "HƯỚNG DẪN", "KẾ HOẠCH", "KẾT LUẬN HỘI NGHỊ", "Nghị Quyết", "DÉCISION",
                                     "RÉSOLUTION", "BESCHLUSS", "RICHTLINIE", "DECISION", "DIRECTIVE"])
def test_a_document_type_heading_after_the_stamp_is_nobody(lang, heading):
    # The heading of a document the article reproduces has a name's shape ("QUY ĐỊNH": two syllables).
    a = clean(f"{HEADLINE[lang]}\n25/10/2025 12:38\n{heading}\n{BODY[lang]}")
    assert a.authors == [] and heading in a.masked


@pytest.mark.parametrize("name", ["Thanh Duy", "QUỲNH ANH", "Kim Thị Nghị"])
def test_a_name_near_a_document_type_word_is_still_the_byline(name):
    # "Quỳnh", "Nghị", "Kim" share letters or words with document types but open none.
    a = clean(f"{HEADLINE['vi']}\n25/10/2025 12:38\n{name}\n{BODY['vi']}")
    assert len(a.authors) == 1


def test_a_name_alone_before_the_source_line_in_each_language():
    for label in ("Source :", "Quelle:", "Source:", "Nguồn:"):
        a = clean(f"{BODY['de']}\nVan Lang\n{label} https://baophutho.vn/x-236533.htm\nKommentar (0)")
        assert authors(a) == ["Van Lang"]
        a = clean(f"{BODY['de']}\nHa Noi\n{label} https://baophutho.vn/x-236533.htm\nKommentar (0)")
        assert a.authors == []


@pytest.mark.parametrize("lang", LANGS)
def test_a_name_alone_at_the_end_of_the_body(lang):
    a = clean(f"{HEADLINE[lang]}\n{BODY[lang]}\n{BODY[lang]}\nTHU HUYỀN\n")
    assert authors(a) == ["Thu Huyen"]   # a byline in capitals, in title case
    a = clean(f"{HEADLINE[lang]}\n{BODY[lang]}\n{BODY[lang]}\nThu Hằng/VNA\n")
    assert authors(a) == ["Thu Hang"]    # the outlet after the slash is nobody
    a = clean(f"{HEADLINE[lang]}\n{BODY[lang]}\n{BODY[lang]}\nVNA/CVN\n")
    assert a.authors == []


@pytest.mark.parametrize("last", ["Provinzparteisekretär Vu Dai T", "Secretary of the Provincial Party Committee Vu Dai T",
                                  "Bí thư Tỉnh ủy Vũ Đại T"])
def test_a_truncated_last_line_is_no_byline_and_gives_no_cut_name(last):
    a = clean(f"{HEADLINE['de']}\n{BODY['de']}\n{last}")
    assert a.authors == []
    assert "Vu Dai" not in a.masked and "Vũ Đại" not in a.masked


def test_a_text_of_one_line_is_no_cut_excerpt():
    for text in ("Bùi Thị Minh Hoài réélue secrétaire du Comité du Parti de Hanoï", "Le Premier ministre Pham Minh Chinh"):
        assert clean(text).masked == text


def test_a_complete_last_line_is_kept():
    # The same words ending the text with a line break or a full stop are whole.
    for text in (f"{BODY['en']}\nThe delegates then met Vu Dai Thang.", f"{BODY['en']}\nVu Dai Thang spoke.\n"):
        assert "Vu Dai Thang" in clean(text).masked


# -- labelled bylines, translators, credits --------------------------------------

@pytest.mark.parametrize("line, names", [
    ("By Minh Anh—Translated by Thu Ha", ["Minh Anh"]),
    ("Reported by Minh Anh - Translated by Thu Ha", ["Minh Anh"]),
    ("Reported by Minh Anh", ["Minh Anh"]),
    ("Written by Minh Anh and Hoang Ha", ["Minh Anh", "Hoang Ha"]),
    ("Rédigé par Minh Anh", ["Minh Anh"]),
    ("By Minh Anh and Hoang Ha", ["Minh Anh", "Hoang Ha"]),
    ("By John Smith", ["John Smith"]),                       # after a label any capitalised name will do
    ("Par Minh Anh, traduit par Thu Ha", ["Minh Anh"]),
    ("Texte et photos : Thu Huyen", ["Thu Huyen"]),
    ("Von Minh Anh und Thu Ha", ["Minh Anh", "Thu Ha"]),
    ("Text und Fotos: Minh Anh, übersetzt von Thu Ha", ["Minh Anh"]),
    ("Bài và ảnh: Minh Anh - Thu Hà", ["Minh Anh", "Thu Ha"]),
    ("Bài: Minh Anh - Dịch: Thu Hà", ["Minh Anh"]),
    ("Tin, ảnh: N.Hải", ["N.Hai"]),
])
def test_labelled_bylines_and_their_translators(line, names):
    a = clean(f"{BODY['en']}\n{line}\n{BODY['en']}")
    assert authors(a) == names
    assert_masked(a)


@pytest.mark.parametrize("line", [
    "Par ailleurs, le comité a adopté le plan de réorganisation.",   # "Par" opening a sentence
    "By the end of June, all communes had held their congresses.",
    "Reported by the provincial press office, the council met on Monday.",   # a label word opening a sentence
    "Written by hand, the letters were sent to every commune.",
    "Von den 46 Gemeinden haben 30 ihre Parteitage abgeschlossen.",
    "Bài: PV", "Bài và ảnh: Nhóm PV",                                # reporters unnamed
    "Translated by Thu Ha", "Original vietnamien  Traduit par Lao Dong AI",  # translators
])
def test_label_look_alikes_and_translators_are_no_authors(line):
    assert clean(f"{BODY['fr']}\n{line}\n{BODY['fr']}").authors == []


@pytest.mark.parametrize("line", ["Photo : Thanh Phuc", "Photos : VNA/CVN", "Foto: Minh Anh", "Photo: Hoang Ha",
                                  "Ảnh: N.Hải", "Ảnh minh họa: Thanh Tùng", "Illustration: Pham Tung"])
def test_photo_credits_are_never_authors_and_are_masked(line):
    a = clean(f"{HEADLINE['fr']}\n{BODY['fr']}\n{line}\n{BODY['fr']}")
    assert a.authors == []
    assert line.split()[-1] not in a.masked


def test_a_translation_notice_is_masked_and_is_no_headline():
    a = clean(f"Original vietnamien  Traduit par Lao Dong AI\n{HEADLINE['fr']}\n{BODY['fr']}")
    assert "Lao Dong" not in a.masked and a.title == HEADLINE["fr"]
    # "Dịch" also means an epidemic: a sentence about one is text.
    a = clean(f"{HEADLINE['vi']}\nDịch bệnh được kiểm soát tốt\n{BODY['vi']}")
    assert "Dịch bệnh" in a.masked


# -- a byline in front of the date stamp --------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("line, name, published", [
    ("Vương Trần (báo lao động) 29/06/2025 14:00 (GMT+7)", "Vuong Tran", "2025-06-29"),   # name + outlet + date
    ("Thanh Duy February 28, 2025 17:20", "Thanh Duy", "2025-02-28"),                     # English date anywhere
    ("Hoàng Hà (TTXVN) 12.09.2025", "Hoang Ha", "2025-09-12"),
    ("Minh Anh | 3 mars 2025 08:00", "Minh Anh", "2025-03-03"),
    ("By Thu Ha 10/01/2025", "Thu Ha", "2025-01-10"),
])
def test_a_byline_with_its_date(lang, line, name, published):
    a = clean(f"{HEADLINE[lang]}\n{line}\n{BODY[lang]}")
    assert authors(a) == [name] and a.published == published
    s, e = a.published_span
    assert a.text[s:e] in line and a.masked[s:e] == a.text[s:e]   # the date stays: it names a day
    assert_masked(a)


@pytest.mark.parametrize("line, published", [
    ("PV 20/03/2025 08:15", "2025-03-20"),              # abbreviations of reporter/outlet, not names
    ("NDO 20/03/2025", "2025-03-20"),
    ("TTXVN 20/03/2025 08:15", "2025-03-20"),
    ("Việt Nam 01/03/2025", "2025-03-01"),
    ("Le comité se réunira le 12/09/2025", None),       # a sentence ending with a date
    ("Hạn chót nộp hồ sơ là 20/03/2025", None),
])
def test_what_stands_before_a_date_that_is_no_name(line, published):
    a = clean(f"{HEADLINE['vi']}\n{line}\n{BODY['vi']}")
    assert a.authors == [] and a.published == published


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("line, names", [
    ("Minh Chau - Tran Hai DNUM_BXQWERTY 09:15", ["Minh Chau", "Tran Hai"]),
    ("Hoàng Hà DATE_PUBLISHED", ["Hoang Ha"]),
])
def test_a_byline_before_an_unrendered_date_template(lang, line, names):
    # The page's date template was left unrendered: the names are still the byline, the line gives no date.
    a = clean(f"{HEADLINE[lang]}\n{line}\n{BODY[lang]}")
    assert authors(a) == names and a.published is None and a.stamp_dates == []
    assert_masked(a)
    assert "_" not in a.masked


@pytest.mark.parametrize("line", [
    "Hội nghị đã thông qua DNUM_BXQWERTY 09:15",     # running text before the placeholder
    "Provincial News DNUM_BXQWERTY 09:15",          # no Vietnamese name
    "TTXVN DNUM_BXQWERTY",
])
def test_what_stands_before_a_date_template_that_is_no_byline(line):
    assert clean(f"{HEADLINE['vi']}\n{line}\n{BODY['vi']}").authors == []


def test_only_the_first_stamp_line_carries_a_byline():
    # Further down, "name date" lines are a list (people and the day of their appointment).
    text = (f"{HEADLINE['vi']}\nMinh Anh 20/03/2025 08:15\n{BODY['vi']}\n"
            "Nguyễn Văn Hùng 15/02/2025\nTrần Thị Lan 16/02/2025\n")
    a = clean(text)
    assert authors(a) == ["Minh Anh"] and a.published == "2025-03-20"
    assert "Hùng" in a.masked


# -- published from stamp lines -------------------------------------------------

@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("stamp, published", [
    ("25/10/2025 12:38", "2025-10-25"),                        # time after the date
    ("08:27 13/07/2016", "2016-07-13"),                        # time before it
    ("August 20, 2025 17:59", "2025-08-20"),                   # an English date whatever the page's language
    ("Thứ Năm, 15/10/2020", "2020-10-15"),                     # weekday + date
    ("THURSDAY, 11/10/2018", "2018-10-11"),                    # dd/mm, as the weekday confirms
    ("Báo Lâm ĐồngBáo Lâm Đồng30/06/2025", "2025-06-30"),      # glued to the paper's name
    ("Publié le 3 mars 2025 à 10h15", "2025-03-03"),
    ("Veröffentlicht am 03.03.2025", "2025-03-03"),
    ("Update: 03-03-2025 | 10:15:20", "2025-03-03"),            # a bare "Update" label, dd-mm-yyyy
    ("Mise à jour le 3 mars 2025", "2025-03-03"),
])
def test_stamp_lines_after_the_headline(lang, stamp, published):
    a = clean(f"{HEADLINE[lang]}\n{stamp}\n{BODY[lang]}")
    assert a.published == published
    assert [h.key for h in a.stamp_dates] == [published]
    assert a.title == HEADLINE[lang]


def test_the_paper_printed_twice_is_the_publisher():
    a = clean(f"{HEADLINE['fr']}\nBáo Lâm ĐồngBáo Lâm Đồng30/06/2025\n{BODY['fr']}")
    assert a.source["publisher"] == "Báo Lâm Đồng"


@pytest.mark.parametrize("lang", LANGS)
def test_a_stamp_glued_to_the_headline(lang):
    a = clean(f"{HEADLINE[lang]}25/10/2025 12:38\n{BODY[lang]}")
    assert a.published == "2025-10-25" and a.title == HEADLINE[lang]
    assert a.source.get("publisher") is None   # a headline is not a paper's name


@pytest.mark.parametrize("line, published", [
    ("Quảng Bình, ngày 25 tháng 5 năm 2015", "2015-05-25"),
    ("Hà Nội, ngày 02/9/2025", "2025-09-02"),
    ("Hanoï, le 25 mai 2015", "2015-05-25"),
    ("Hanoi, den 25. Mai 2015", "2015-05-25"),
    ("Hanoi, May 25, 2015", "2015-05-25"),
])
def test_the_place_and_date_line_of_a_legal_text(line, published):
    a = clean(f"QUYẾT ĐỊNH\nVề việc thành lập Ban Chỉ đạo chuyển đổi số của tỉnh\n{line}\n{BODY['vi']}")
    assert a.published == published


@pytest.mark.parametrize("head, line, day", [
    ("BAN CHẤP HÀNH TRUNG ƯƠNG\n-------\nĐẢNG CỘNG SẢN VIỆT NAM\n---------\nSố: 12-QĐ/TW",
     "Hà Nội, ngày 05 tháng 03 năm 2024", "2024-03-05"),
    ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập – Tự do – Hạnh phúc", "Quảng Bình, ngày 25 tháng 5 năm 2015",
     "2015-05-25"),
    ("Số: 1234/QĐ-UBND", "Lào Cai, ngày 02/9/2025", "2025-09-02"),
    ("PARTI COMMUNISTE DU VIETNAM\nN° 12-QD/TW", "Hanoï, le 5 mars 2024", "2024-03-05"),
    ("SOZIALISTISCHE REPUBLIK VIETNAM\nUnabhängigkeit - Freiheit - Glück\nNr. 45/2024/ND-CP", "Hanoi, den 5. März 2024",
     "2024-03-05"),
    ("SOCIALIST REPUBLIC OF VIETNAM\nIndependence - Freedom - Happiness\nNo. 45/2024/ND-CP", "Hanoi, March 5, 2024",
     "2024-03-05"),
])
def test_the_signing_line_of_a_reproduced_document_is_not_the_pages_date(head, line, day):
    # The article reproduces a document: its header and number, then its place and date.
    a = clean(f"{HEADLINE['vi']}\n{BODY['vi']}\n\n{head}\n\n{line}\n\nQUY ĐỊNH\n{BODY['vi']}")
    assert a.published is None and a.authors == []
    assert [h.key for h in a.stamp_dates] == [day]   # still a day the text names
    # The page's own stamp still dates the article.
    a = clean(f"{HEADLINE['vi']}\n20/03/2025 10:00\n{BODY['vi']}\n\n{head}\n\n{line}\n\n{BODY['vi']}")
    assert a.published == "2025-03-20"


def test_a_place_and_date_line_far_from_a_document_number_is_still_the_pages():
    # A number line, then paragraphs of text: the place and date further down is the page's own.
    a = clean(f"QUYẾT ĐỊNH\nSố: 1234/QĐ-UBND\n{BODY['vi']}\n{BODY['vi']}\n{BODY['vi']}\n"
              f"Quảng Bình, ngày 25 tháng 5 năm 2015\n{BODY['vi']}")
    assert a.published == "2015-05-25"


def test_a_stamp_is_surer_than_a_place_and_date_line():
    a = clean(f"{HEADLINE['vi']}\nHà Nội, ngày 25 tháng 5 năm 2015\n{BODY['vi']}\n20/03/2025 10:00\n")
    assert a.published == "2025-03-20"
    assert sorted(h.key for h in a.stamp_dates) == ["2015-05-25", "2025-03-20"]


@pytest.mark.parametrize("header", ["Friday,  09/20/2024", "Thứ Sáu, 20/09/2024", "vendredi 20 septembre 2024",
                                    "20.09.2024"])
def test_a_page_date_header_before_the_headline_is_not_the_articles_date(header):
    a = clean(f"{header}\n\n{HEADLINE['en']}\n\n{BODY['en']}")
    assert a.published is None
    assert [h.key for h in a.stamp_dates] == ["2024-09-20"]   # still a day the page names
    # With a time, the same line is the article's stamp.
    a = clean(f"{header} 10:15\n\n{HEADLINE['en']}\n\n{BODY['en']}")
    assert a.published == "2024-09-20"


@pytest.mark.parametrize("lang, line", [
    ("fr", "Le 28 août 2025, au siège du Comité central, le groupe de travail a rencontré les délégués."),
    ("de", "Am 28. August 2025 traf die Arbeitsgruppe die Delegierten im Sitz des Zentralkomitees."),
    ("en", "On August 28, 2025, the working group met delegates at the Party Central Committee's headquarters."),
    ("vi", "Ngày 28/8/2025, tại trụ sở Trung ương Đảng, đoàn công tác đã làm việc với các đại biểu."),
])
def test_an_event_date_in_the_body_is_not_the_publication_date(lang, line):
    a = clean(f"{HEADLINE[lang]}\n{line}\n{BODY[lang]}")
    assert a.published is None and a.stamp_dates == []


def test_a_date_given_as_metadata_is_kept():
    a = clean(f"{HEADLINE['fr']}\n25/10/2025 12:38\n{BODY['fr']}", published="2025-10-26")
    assert a.published == "2025-10-26"
    assert [h.key for h in a.stamp_dates] == ["2025-10-25"]


# -- through the whole pipeline: stamp days in `dates` ------------------------------------

def test_stamp_days_go_into_dates():
    record = extract_text(f"{HEADLINE['fr']}\nThanh Duy August 20, 2025 17:59\n{BODY['fr']}", doc_id="s")
    assert record["published"] == "2025-08-20" and [a["name"] for a in record["authors"]] == ["Thanh Duy"]
    stamp = [d for d in record["dates"] if d["value"] == "2025-08-20"]
    assert stamp and stamp[0]["mentions"][0]["rule"] == "dates.any.stamp"
    assert record["officials"] == []   # the byline is no official


def test_a_labelled_stamp_dates_a_yearless_day_just_before_it():
    # "Update:" makes the line the page's stamp; a day in the week before New Year then takes
    # the previous year (it would be eleven months after the publication otherwise).
    text = (f"{HEADLINE['en']}\n\nUpdate: 03-01-2021 | 09:30:12\n\n"
            "On 30 Dec, the Provincial People's Council held an extraordinary meeting.\n")
    record = extract_text(text, doc_id="u")
    assert record["published"] == "2021-01-03"
    assert sorted(d["value"] for d in record["dates"]) == ["2020-12-30", "2021-01-03"]


def test_the_weekday_reading_replaces_the_day_first_reading_in_dates():
    record = extract_text(f"Wednesday, 04/10/2024 08:00\n{HEADLINE['en']}\n{BODY['en']}", doc_id="w")
    assert record["published"] == "2024-04-10"
    assert [d["value"] for d in record["dates"]] == ["2024-04-10"]


def test_a_page_header_day_is_in_dates_but_not_published():
    record = extract_text(f"Friday,  09/20/2024\n\n{HEADLINE['en']}\n\n{BODY['en']}", doc_id="h")
    assert record["published"] is None
    assert [d["value"] for d in record["dates"]] == ["2024-09-20"]


# -- the name reader on its own ----------------------------------------------------

@pytest.mark.parametrize("text, kinds", [
    ("Thanh Duy", [Kind.NAME]),
    ("Nguyễn Thị Hồng Vân", [Kind.NAME]),
    ("N.Hải", [Kind.SHAPELESS]),                       # an initial and one syllable: fine after a label only
    ("Vương Trần (báo lao động)", [Kind.NAME]),        # the outlet in parentheses is left out
    ("Thu Hằng/VNA", [Kind.NAME, Kind.OTHER]),
    ("PV", [Kind.OTHER]), ("TTXVN", [Kind.OTHER]), ("Nhóm PV", [Kind.OTHER]),
    ("Báo Lâm Đồng", [Kind.OTHER]), ("Hà Nội", [Kind.OTHER]), ("Other Stories", [Kind.OTHER]),
    ("John Smith", [Kind.SHAPELESS]), ("Provinzparteisekretär Vu Dai T", [Kind.SHAPELESS]),
    ("Vu Dai T", [Kind.SHAPELESS]),                    # a name ending in a cut initial
    ("le comité", [Kind.TEXT]), ("Minh Anh 20/03/2025", [Kind.TEXT] * 3),   # split at the slashes
])
def test_name_reader_kinds(text, kinds):
    assert [p.kind for p in NAMES.read(text)] == kinds


def test_name_reader_cuts_the_translator_and_splits_names():
    text = "Minh Anh, Thu Hà và Hoàng Hà — Translated by Lan Anh"
    assert [text[p.start:p.end] for p in NAMES.read(text)] == ["Minh Anh", "Thu Hà", "Hoàng Hà"]
    # a hyphen inside a name does not split it
    assert [p.kind for p in NAMES.read("Minh-Anh Tran")] == [Kind.NAME]


# -- the syllable shape is data: patterns/names/syllables.json ---------------------

def test_byline_shape_follows_the_syllable_data():
    """A name alone on a line must be made of the syllables described in
    patterns/names/syllables.json (the file the officials' name finder reads too):
    an onset added there, as for another romanisation, gives such names their shape."""
    syllables = read_json("names/syllables.json")
    wider = NameReader(with_language_words("clean.json"), dict(syllables, onsets=syllables["onsets"] + ["Bl"]))
    assert [p.kind for p in NAMES.read("Blao Thanh")] == [Kind.SHAPELESS]
    assert [p.kind for p in wider.read("Blao Thanh")] == [Kind.NAME]
    # Look-alikes: other onsets stay shapeless, and the minority onsets of syllables.json
    # (Ksor) count for officials' names, not for a byline with no label.
    for line in ("Strao Thanh", "Ksor Thanh", "Provinzparteisekretär Vu Dai T"):
        assert [p.kind for p in wider.read(line)] == [Kind.SHAPELESS], line
    assert [p.kind for p in wider.read("Thanh Duy")] == [Kind.NAME]
