"""Year inference (pipeline/extract/years.py): where a day written without its year gets one."""
import datetime as dt
import json
from pathlib import Path

import pytest

from pipeline import extract_text
from pipeline.extract.years import publication_reference, split_published
from tests.helpers import make_article
from tests.test_dates import EXTRACTOR, check, found

DEV = Path(__file__).resolve().parent.parent.parent / "shared" / "dev"


# -- with a publication date ------------------------------------------------------

@pytest.mark.parametrize("published,month,day,year", [
    ("2025-01-05", 12, 30, 2024),   # a few days before the new year: last year's
    ("2025-01-05", 1, 20, 2025),
    ("2025-12-28", 1, 2, 2026),     # a few days after: next year's
    ("2025-09-09", 3, 7, 2025),     # half a year back: still this year's
    ("2025-09-09", 12, 31, 2025),   # a deadline later this year
    ("2025-06-15", 2, 29, 2025),    # not a day of that year: kept, so the caller reports it
])
def test_publication_year_and_its_neighbours(published, month, day, year):
    reference = publication_reference(make_article("", "fr", published))
    assert EXTRACTOR.years.from_published(reference, month, day) == year


def test_publication_date_beats_older_documents_nearby():
    """The day is the news; the resolution it implements is older."""
    check("Ngày 29-9, Tỉnh ủy ban hành kế hoạch thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024.", "vi",
          [("2025-09-29", "29-9", True), ("2024-12-22", "22/12/2024", False)], published="2025-10-01")


@pytest.mark.parametrize("lang,text,expected", [
    ("fr", "Le 3 mai de l'année dernière, la province a lancé le projet.", "2024-05-03"),
    ("fr", "Le 3 mai de cette année, la province a lancé le projet.", "2025-05-03"),
    ("fr", "Le 30 décembre de cette année, le bilan sera présenté.", "2025-12-30"),
    ("de", "Am 3. Mai letzten Jahres startete die Provinz das Projekt.", "2024-05-03"),
    ("de", "Am 2. Februar nächsten Jahres soll es fertig sein.", "2026-02-02"),
    ("en", "On May 3 last year, the province launched the project.", "2024-05-03"),
    ("en", "By February 2 next year the road must be finished.", "2026-02-02"),
    ("vi", "Ngày 3/5 năm ngoái, tỉnh khởi công dự án.", "2024-05-03"),
    ("vi", "Ngày 30/12 năm nay, tỉnh sẽ tổng kết.", "2025-12-30"),
])
def test_relative_year_phrases_count_from_the_publication_date(lang, text, expected):
    article, got = found(text, lang, "2025-01-10")
    assert [(v, inferred) for v, _, inferred in got] == [(expected, True)], article.warnings


def test_a_relative_phrase_in_another_sentence_does_not_count():
    article, got = found("L'an dernier fut difficile. Le 3 mai, la province a lancé le projet.", "fr", "2025-06-10")
    assert got == [("2025-05-03", "3 mai", True)]


def test_a_documents_own_date_is_before_the_article():
    """'vom 8. Aug' after a plan's code, in an article of February: August of last year."""
    text = ("Der Plan Nr. 173-KH/TU des Provinzparteikomitees vom 8. August 2024 wird angepasst. "
            "Anpassung des Plans Nr. 173-KH/TU des Provinzparteikomitees vom 8. Aug")
    article, got = found(text, "de", "2025-02-19")
    assert {v for v, _, _ in got} == {"2024-08-08"}


def test_caller_may_give_only_a_month_or_a_year():
    record = extract_text("Le 9 novembre, le Comité central a rendu hommage aux anciens dirigeants du pays.",
                          metadata={"published": "2023-11"})
    assert record["published"] is None  # not a day: not written as the publication date
    assert [(d["value"], d["year_inferred"]) for d in record["dates"]] == [("2023-11-09", True)]
    assert any("2023-11" in w for w in record["warnings"])
    record = extract_text("Le 9 novembre, le Comité central a rendu hommage aux anciens dirigeants du pays.",
                          metadata={"published": "2023"})
    assert [d["value"] for d in record["dates"]] == ["2023-11-09"]


@pytest.mark.parametrize("value,day,approx,warns", [
    ("2025-05-23", "2025-05-23", None, False),
    ("2025-05-23T10:15:00+07:00", "2025-05-23", None, False),
    ("2025-05", None, "2025-05", True),
    ("2025", None, "2025", True),
    ("23/05/2025", None, None, True),
    ("2025-02-30", None, None, True),
    (None, None, None, False),
])
def test_split_published(value, day, approx, warns):
    got_day, got_approx, warning = split_published(value)
    assert (got_day, got_approx, warning is not None) == (day, approx, warns)


def test_published_set_before_extraction_is_honoured():
    """A caller's (or an input format's) publication date wins over the article's stamp line."""
    text = "Báo Nhân dânBáo Nhân dân23/05/2024\nDans l'après-midi du 23 mai, la délégation est arrivée à Lai Chau."
    record = extract_text(text, metadata={"published": "2025-05-24"})
    assert record["published"] == "2025-05-24"
    assert {d["value"] for d in record["dates"]} == {"2024-05-23", "2025-05-23"}


# -- without one: the evidence of the text ----------------------------------------

def test_event_in_the_same_sentence_first():
    check("On May 26, the plan was signed to implement Resolution No.13-NQ/TW, dated April 2, 2022.", "en",
          [("2022-05-26", "May 26", True), ("2022-04-02", "April 2, 2022", False)])


def test_event_in_the_same_paragraph_before_the_article():
    text = ("Ngày 15/6/2021, Tỉnh ủy ban hành Chỉ thị. Chiều 29/6, Ban Thường vụ họp.\n"
            "Tỉnh phấn đấu hoàn thành trước ngày 30/6/2025.")
    article, got = found(text, "vi")
    assert ("2021-06-29", "29/6", True) in got


def test_the_latest_evidence_of_the_article_when_nothing_is_near():
    """An old resolution in the sentence does not date the day when the article cites a newer law."""
    text = ("Dans la matinée du 3 septembre, le secrétaire général a travaillé sur la Résolution n° 43-NQ/TW "
            "du 24 janvier 2019 du Bureau politique.\nLa fusion suit la Résolution n° 202/2025/QH15.")
    article, got = found(text, "fr")
    assert ("2025-09-03", "3 septembre", True) in got


# A news lead without a year, then the new office-holder's profile: the profile's dates are his past.
PROFILES = [
    ("en", "On March 12, the Prime Minister signed a decision appointing Mr. Le Van Hai as Chairman of the "
           "provincial People's Committee.\nMr. Le Van Hai was born on May 4, 1972 in the province.\n"
           "On November 3, 2019, at the 9th session of the Provincial People's Council, he was elected "
           "Vice Chairman.", "March 12"),
    ("fr", "Le 12 mars, le Premier ministre a signé la décision nommant Le Van Hai président du Comité populaire.\n"
           "Le Van Hai est né le 4 mai 1972 dans la province. Le 3 novembre 2019, il a été élu vice-président.",
     "12 mars"),
    ("de", "Am 12. März unterzeichnete der Premierminister den Beschluss.\nLe Van Hai wurde am 4. Mai 1972 "
           "geboren. Am 3. November 2019 wurde er zum stellvertretenden Vorsitzenden gewählt.", "12. März"),
    ("vi", "Ngày 12/3, Thủ tướng ký quyết định bổ nhiệm ông Lê Văn Hải.\nÔng Lê Văn Hải sinh ngày 4/5/1972. "
           "Ngày 3/11/2019, ông được bầu giữ chức Phó Chủ tịch UBND tỉnh.", "12/3"),
]


@pytest.mark.parametrize("lang,text,day", PROFILES)
def test_a_profiles_dates_do_not_date_the_news_lead(lang, text, day):
    # With no other evidence the lead's day is dropped with a warning, never given 2019 or 1972.
    article, got = found(text, lang)
    assert all(written != day for _, written, _ in got)
    assert any("no year" in w and day in w for w in article.warnings)


@pytest.mark.parametrize("lang,text,day", PROFILES)
def test_a_cited_document_still_dates_the_lead_beside_a_profile(lang, text, day):
    # The same article citing the decision with its date: that year dates the lead.
    cited = {"en": "\nThe decision No. 412/QD-TTg is dated March 10, 2025.",
             "fr": "\nLa décision n° 412/QD-TTg est datée du 10 mars 2025.",
             "de": "\nDer Beschluss Nr. 412/QD-TTg ist auf den 10. März 2025 datiert.",
             "vi": "\nQuyết định số 412/QĐ-TTg được ký ngày 10/3/2025."}[lang]
    article, got = found(text + cited, lang)
    assert [v for v, written, _ in got if written == day] == ["2025-03-12"], article.warnings


def test_a_day_inside_a_profile_takes_the_year_beside_it():
    # Step 3a is not affected: a yearless day in the profile's own sentence takes that sentence's year.
    text = "Le Van Hai est né le 4 mai 1972. En 2019, il a été élu le 3 novembre 2019 puis réélu le 5 novembre."
    article, got = found(text, "fr")
    assert ("2019-11-05", "5 novembre", True) in got


@pytest.mark.parametrize("lang,text,expected", [
    ("vi", "Sáng 30/9, Đại hội đại biểu Đảng bộ tỉnh lần thứ I, nhiệm kỳ 2025 - 2030 khai mạc trọng thể.",
     "2025-09-30"),
    ("en", "On October 23, the secretary chaired the first meeting of the Standing Committee, the 17th term, "
           "tenure 2020 – 2025.", "2020-10-23"),
    ("fr", "Le Congrès du Comité du Parti de la ville pour le mandat 2025–2030 s'est ouvert le 14 octobre.",
     "2025-10-14"),
    ("de", "Am 28. März tagte der erste Sitzung des Volksrats der Amtszeit 2021–2026.", "2021-03-28"),
    ("en", "Delegates met on July 20 for the first session of the National Assembly's 2021-2026 tenure.",
     "2021-07-20"),
])
def test_a_term_opened_in_the_text_gives_its_first_year(lang, text, expected):
    article, got = found(text, lang)
    assert [(v, inferred) for v, _, inferred in got] == [(expected, True)], article.warnings


@pytest.mark.parametrize("lang,text", [
    ("en", "On October 23, delegates discussed the Resolution of the 17th Provincial Party Congress, "
           "tenure 2020 – 2025."),                                             # a document of the congress
    ("fr", "Le 28 février, le Comité pour le mandat 2020-2025 a tenu sa 2e conférence."),  # not the first
    ("fr", "Le 3 mai, les congrès ont examiné : le bilan du mandat 2020-2025."),  # another clause
    ("vi", "Ngày 20/8, Hội nghị lần thứ II, nhiệm kỳ 2020 - 2025 bế mạc."),       # the second conference
    ("en", "On May 3, the 2013 Constitution and the 2021-2030 strategy were discussed."),  # names and plans
    ("fr", "Le plan 2024 est clos. Les 14 et 15 juin, formation. Objectifs 2025 et budget 2025."),  # bare years
])
def test_never_a_year_from_a_period_a_name_or_a_bare_year(lang, text):
    article, got = found(text, lang)
    assert got == [] and any("no year" in w for w in article.warnings)


def test_the_event_word_belongs_to_the_first_term_after_it():
    text = "Le 5 juin, le congrès a examiné le bilan du mandat 2020-2025 et le plan du mandat 2025-2030."
    check(text, "fr", [("2020-06-05", "5 juin", True)])


def test_no_year_anywhere_drops_with_a_warning():
    article = check("Le 23 mai, la délégation est arrivée.", "fr", [])
    assert any("no year" in w and "23 mai" in w for w in article.warnings)


# -- the weekday ------------------------------------------------------------------------

def test_a_weekday_picks_the_only_year_of_the_article_that_fits():
    """No basis but years named in the text: Wednesday 3 September was in 2025, not 2020 or 2030."""
    text = ("Un groupe de travail a siégé mercredi 3 septembre à Hanoï.\n"
            "Les rapports du mandat 2020-2025 et les plans du mandat 2025-2030 ont été présentés.")
    check(text, "fr", [("2025-09-03", "3 septembre", True)])


def test_a_weekday_corrects_the_publication_year_to_a_neighbour():
    # Published 2025-09-20: the window says 2025-12-30 (a Tuesday), and the weekday agrees.
    check("On Tuesday, December 30, the committee will meet.", "en", [("2025-12-30", "December 30", True)],
          published="2025-09-20")
    # Published 2025-04-20: the window says 2025-12-30 too, but Wednesday 30 December is 2026's -- too far: dropped.
    article = check("On Wednesday, December 30, the committee will meet.", "en", [], published="2025-04-20")
    assert any("weekday" in w for w in article.warnings)
    # Published 2026-04-01: the window says 2026-01-02 (a Friday); Thursday 2 January was 2025's: too far too.
    check("On Thursday, January 2, the committee met.", "en", [], published="2026-04-01")
    # Published 2026-01-05: the window says 2026-01-02 (a Friday); Thursday 2 January 2025 is too far as well.
    check("On Thursday, January 2, the committee met.", "en", [], published="2026-01-05")
    # With no publication date the neighbours of the evidence's year are open: 2025 fits, 2026 does not.
    check("Le jeudi 2 janvier, le comité s'est réuni. Il applique la Résolution n° 202/2026/QH15.", "fr",
          [("2025-01-02", "2 janvier", True)])


def test_a_weekday_that_fits_no_year_drops_the_day():
    article = check("Le dimanche 3 mai, la province a inauguré le pont.", "fr", [], published="2025-05-10")
    assert any("weekday" in w for w in article.warnings)


def test_the_days_of_one_match_share_the_year_the_weekday_gives():
    check("Le festival a lieu du 13 au dimanche 15 juillet.", "fr",
          [("2018-07-13", "13 au dimanche 15 juillet", True), ("2018-07-15", "13 au dimanche 15 juillet", True)],
          published="2018-06-01")


@pytest.mark.parametrize("published,expected", [
    ("2055-12-20", "2056-02-29"),   # the next February is a leap year's, and near
    ("2056-01-10", "2056-02-29"),
])
def test_29_february_near_the_publication_date_takes_the_leap_year(published, expected):
    check("Ngày 29/2, Ban Thường vụ Tỉnh ủy họp phiên thường kỳ.", "vi", [(expected, "29/2", True)], published)


def test_29_february_far_from_any_leap_year_is_reported_not_moved():
    article = make_article("Le 29 février, le comité provincial s'est réuni.", "fr", "2055-04-01")  # 2056-02-29: 334 days on
    assert EXTRACTOR.find(article) == []
    assert any("not a calendar day" in w for w in article.warnings)


# -- two-digit years -------------------------------------------------------------------------

@pytest.mark.parametrize("published,written,expected", [
    ("2025-06-01", "21/04/16", "2016-04-21"),
    ("2025-06-01", "21/04/35", "2035-04-21"),   # at most ten years ahead
    ("2025-06-01", "21/04/36", "1936-04-21"),
    ("1999-01-01", "01/02/00", "2000-02-01"),   # across the century: within ten years of 1999
    ("1995-01-01", "01/02/06", "1906-02-01"),   # eleven years ahead is too far
    (None, "21/04/49", "2049-04-21"),           # the fixed pivot without a publication date
    (None, "21/04/50", "1950-04-21"),
])
def test_two_digit_years(published, written, expected):
    check(f"Le rapport du {written}, publié par la province.", "fr", [(expected, written, False)], published)


# -- the dev excerpts that name no year: their store date as metadata gives the gold ------------

@pytest.mark.skipif(not (DEV / "meta.jsonl").is_file(), reason="the shared dev set is not beside the repo")
@pytest.mark.parametrize("doc_id", ["h12", "h29"])
def test_store_date_as_metadata_gives_the_gold_dates(doc_id):
    meta = {r["doc_id"]: r for r in map(json.loads, (DEV / "meta.jsonl").read_text(encoding="utf-8").splitlines())}
    gold = {r["doc_id"]: r for r in map(json.loads, (DEV / "gold.jsonl").read_text(encoding="utf-8").splitlines())}
    text = (DEV / "articles" / f"{doc_id}.txt").read_text(encoding="utf-8")
    without = extract_text(text, doc_id=doc_id)
    assert without["dates"] == [] and any("no year" in w for w in without["warnings"])
    record = extract_text(text, doc_id=doc_id, metadata={"published": meta[doc_id]["store_date"]})
    assert {d["value"] for d in record["dates"]} == set(gold[doc_id]["dates"])
    assert all(d["year_inferred"] for d in record["dates"])


def test_publication_reference_reads_a_day_a_month_or_a_year():
    assert publication_reference(make_article("", "fr", "2025-05-23")) == dt.date(2025, 5, 23)
    article = make_article("", "fr")
    article.published_approx = "2023-11"
    assert publication_reference(article) == dt.date(2023, 11, 15)
    article.published_approx = "2023"
    assert publication_reference(article) == dt.date(2023, 7, 2)
    article = make_article("", "fr", "May 2025")
    assert publication_reference(article) is None and article.warnings


@pytest.mark.parametrize("published,expected", [
    ("2025-01-05", ["2024-12-30", "2025-01-02"]),   # the first day's year from the publication date ...
    ("2024-12-20", ["2024-12-30", "2025-01-02"]),   # ... and the turn of the year after it
])
def test_a_list_without_year_crosses_the_new_year_in_calendar_order(published, expected):
    article, got = found("Les bureaux ferment du 30 décembre au 2 janvier.", "fr", published)
    assert [v for v, _, _ in got] == expected


def test_days_of_a_list_without_year_and_without_publication_share_the_evidence_year():
    """Lists need not be in calendar order ('các ngày 20/8 và 5/8'): no day is pushed into another year."""
    article, got = found("Ngày 15/6/2024, Tỉnh ủy ban hành kế hoạch; kiểm tra vào các ngày 20/8 và 5/8.", "vi")
    assert {v for v, _, _ in got} == {"2024-06-15", "2024-08-20", "2024-08-05"}


@pytest.mark.parametrize("lang,text,day", [
    ("en", "On March 12, the Prime Minister signed the decision.\nThe provincial plan was adopted on June 2, 2024.\n"
           "Mr. Le Van Hai is 51. On November 3, 2025, at the 9th session, he was elected Vice Chairman.",
     "March 12"),
    ("fr", "Le 12 mars, le Premier ministre a signé la décision.\nLe plan provincial a été adopté le 2 juin 2024.\n"
           "Le Van Hai a 51 ans. Le 3 novembre 2025, il a été élu vice-président.", "12 mars"),
])
def test_the_latest_year_outside_a_profile_dates_the_lead(lang, text, day):
    # The latest year written (2025) tells a career; the latest news year (2024) dates the lead.
    article, got = found(text, lang)
    assert [v for v, written, _ in got if written == day] == ["2024-03-12"], article.warnings
