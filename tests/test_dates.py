"""Dates: formats in news sentences of fr/de/en/vi, look-alikes, the parser's pieces, the five seeds.

Year inference has its own file (tests/test_years.py); property tests are in tests/test_dates_properties.py.
"""
import json
from pathlib import Path

import pytest
import regex

from pipeline.extract.codes import CodesExtractor
from pipeline.extract.dates import DatesExtractor
from pipeline.extract.periods import PeriodsExtractor
from pipeline.facts import group_hits
from pipeline.patterns import language_codes, language_file
from pipeline.text import mask
from tests.helpers import make_article

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT.parent / "shared" / "gold" / "seeds.jsonl"
EXTRACTOR = DatesExtractor()
CODES = CodesExtractor()
PERIODS = PeriodsExtractor()


def prepared(text, lang, published=None):
    """An article as the dates extractor sees it in the pipeline: codes and periods already found."""
    article = make_article(text, lang, published)
    article.facts["codes"] = group_hits(CODES.find(article), text, "code")
    article.facts["periods"] = group_hits(PERIODS.find(article), text, "value")
    return article


def found(text, lang, published=None):
    """[(iso, mention text, year_inferred)] in text order; offsets and rule ids checked."""
    article = prepared(text, lang, published)
    hits = EXTRACTOR.find(article)
    for hit in hits:
        assert 0 <= hit.start < hit.end <= len(text)
        if lang in language_codes():
            assert hit.rule.startswith(("dates.any.", f"dates.{lang}.")), hit.rule
    return article, [(h.key, text[h.start:h.end], h.fields["year_inferred"])
                     for h in sorted(hits, key=lambda h: (h.start, h.key))]


def check(text, lang, expected, published=None):
    article, got = found(text, lang, published)
    assert got == expected, article.warnings
    return article


# -- French -------------------------------------------------------------------

@pytest.mark.parametrize("text,published,expected", [
    ("NDO - Dans l'après-midi du 23 mai, la délégation de travail a eu une séance en ligne.", "2025-05-23",
     [("2025-05-23", "23 mai", True)]),
    ("La résolution n° 109-NQ/TU du 8 juin 2021 du Comité exécutif provincial du Parti.", None,
     [("2021-06-08", "8 juin 2021", False)]),
    ("Les nouvelles communes fonctionneront à partir du 1er juillet 2025 dans toute la province.", None,
     [("2025-07-01", "1er juillet 2025", False)]),
    ("Le Comité central a organisé un cours de formation les 14 et 15 juin sur le modèle à deux niveaux.",
     "2025-06-20", [("2025-06-14", "14 et 15 juin", True), ("2025-06-15", "14 et 15 juin", True)]),
    ("Le congrès se tiendra du 3 au 5 mars 2025 au centre de conférences provincial.", None,
     [("2025-03-03", "3 au 5 mars 2025", False), ("2025-03-05", "3 au 5 mars 2025", False)]),
    ("la Résolution n° 57-NQ/TW, datée du 22 décembre 2024 du Politburo sur les percées", None,
     [("2024-12-22", "22 décembre 2024", False)]),
    ("Le mercredi 3 septembre, le secrétaire provincial a reçu la délégation.", "2025-08-30",
     [("2025-09-03", "3 septembre", True)]),
    ("Achever la phase 1 avant le 30 avril 2025 et le reste avant le 31 août 2025.", None,
     [("2025-04-30", "30 avril 2025", False), ("2025-08-31", "31 août 2025", False)]),
    ("La session aura lieu du 28 février au 2 mars 2026 à Hanoï.", None,
     [("2026-02-28", "28 février", False), ("2026-03-02", "2 mars 2026", False)]),
    ("Le matin du 12/6, la conférence s'est ouverte ; elle s'est close ce soir (13/6).", "2025-06-13",
     [("2025-06-12", "12/6", True), ("2025-06-13", "13/6", True)]),
    ("Les 14, 15 et 16 juin 2024, les délégués ont visité Lai Chau.", None,
     [("2024-06-14", "14, 15 et 16 juin 2024", False), ("2024-06-15", "14, 15 et 16 juin 2024", False),
      ("2024-06-16", "14, 15 et 16 juin 2024", False)]),
    ("Les 14-15 juin 2025 puis la phase 1 - 30 avril 2025.", None,
     [("2025-06-14", "14-15 juin 2025", False), ("2025-06-15", "14-15 juin 2025", False),
      ("2025-04-30", "30 avril 2025", False)]),
    ("Le 5 decembre 2024 (sans accent), la ville a inauguré le pont.", None,
     [("2024-12-05", "5 decembre 2024", False)]),
])
def test_french_dates(text, published, expected):
    check(text, "fr", expected, published)


# -- German -------------------------------------------------------------------

@pytest.mark.parametrize("text,published,expected", [
    ("die Umsetzung der Schlussfolgerung Nr. 177-KL/TW vom 11. Juli 2025 des Politbüros", None,
     [("2025-07-11", "11. Juli 2025", False)]),
    ("gemäß den Vorschriften Nr. 253-QD/TW und Nr. 255-QD/TW des Sekretariats vom 24. Januar 2025", None,
     [("2025-01-24", "24. Januar 2025", False)]),
    ("Die Provinz hat am 30. Juni die Bezirksebene aufgelöst.", "2025-07-02",
     [("2025-06-30", "30. Juni", True)]),
    ("Diese Besetzung muss bis zum 25. Juli 2025 abgeschlossen sein.", None,
     [("2025-07-25", "25. Juli 2025", False)]),
    ("Am Morgen des 29. September empfing der Provinzparteisekretär die Delegation.", "2025-09-29",
     [("2025-09-29", "29. September", True)]),
    ("Der Kongress findet vom 3. bis 5. März 2026 in Hanoi statt.", None,
     [("2026-03-03", "3. bis 5. März 2026", False), ("2026-03-05", "3. bis 5. März 2026", False)]),
    ("Am 14. und 15. Juni fanden Schulungen statt; am 1. Mai 2025 war Feiertag.", None,
     [("2025-06-14", "14. und 15. Juni", True), ("2025-06-15", "14. und 15. Juni", True),
      ("2025-05-01", "1. Mai 2025", False)]),
    ("Der Plan Nr. 04-KH/TU vom 16. Juli 2025 des Ständigen Ausschusses der Provinzpartei.", None,
     [("2025-07-16", "16. Juli 2025", False)]),
    ("Die Sitzung am 3.6. wurde verschoben; das Datum 12.04.2025 gilt.", None,
     [("2025-06-03", "3.6.", True), ("2025-04-12", "12.04.2025", False)]),
    ("Die Frist endet am 2. Maerz 2025.", None, [("2025-03-02", "2. Maerz 2025", False)]),
])
def test_german_dates(text, published, expected):
    check(text, "de", expected, published)


# -- English ------------------------------------------------------------------

@pytest.mark.parametrize("text,published,expected", [
    ("On March 22, the provincial Party Committee held its 20th conference.", "2025-03-24",
     [("2025-03-22", "March 22", True)]),
    ("The ceremony took place on 22 March 2025 in Hanoi.", None, [("2025-03-22", "22 March 2025", False)]),
    ("The new communes must be operational by May 21st, the Party chief said.", "2025-05-10",
     [("2025-05-21", "May 21st", True)]),
    ("Directive No. 01-CT/TW was signed on October 23, 2020 by the Politburo.", None,
     [("2020-10-23", "October 23, 2020", False)]),
    ("On 31 Dec, the ministry released its annual report.", "2025-01-03", [("2024-12-31", "31 Dec", True)]),
    ("Official Letter No. 1026/TTg-PL dated June 09, 2025 asks ministries to act.", None,
     [("2025-06-09", "June 09, 2025", False)]),
    ("Hanoi (3.6) - Deputy Prime Minister chaired the meeting.", "2025-06-03", [("2025-06-03", "3.6", True)]),
    ("Decision No. 320/QD-TTg dated 12.4.2025 approves the plan.", None,
     [("2025-04-12", "12.4.2025", False)]),
    ("The congress runs from March 22 to 25, 2026 in Da Nang.", None,
     [("2026-03-22", "March 22 to 25, 2026", False), ("2026-03-25", "March 22 to 25, 2026", False)]),
    ("From July 18 to July 19, 2025, the Central Committee met in Hanoi.", None,
     [("2025-07-18", "July 18", False), ("2025-07-19", "July 19, 2025", False)]),
    ("The conference lasts two days, July 18 and 19, 2025.", None,
     [("2025-07-18", "July 18 and 19, 2025", False), ("2025-07-19", "July 18 and 19, 2025", False)]),
    ("On the afternoon of 5/6, the delegation visited Lai Chau.", "2025-06-06",
     [("2025-06-05", "5/6", True)]),
    ("Classes were held on the 14th and 15th of June 2025.", None,
     [("2025-06-14", "14th and 15th of June 2025", False), ("2025-06-15", "14th and 15th of June 2025", False)]),
])
def test_english_dates(text, published, expected):
    check(text, "en", expected, published)


# -- Vietnamese ---------------------------------------------------------------

@pytest.mark.parametrize("text,published,expected", [
    ("Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học.", None,
     [("2024-12-22", "22/12/2024", False)]),
    ("Bộ máy mới vận hành từ ngày 15/7/2025 trên toàn tỉnh.", None, [("2025-07-15", "15/7/2025", False)]),
    ("Luật có hiệu lực thi hành từ ngày 15 tháng 7 năm 2025.", None,
     [("2025-07-15", "15 tháng 7 năm 2025", False)]),
    ("Sáng 30/9, Ban Thường vụ Tỉnh ủy tổ chức hội nghị.", "2025-09-30", [("2025-09-30", "30/9", True)]),
    ("Ngày 29-9, Tỉnh ủy Phú Thọ đã ban hành kế hoạch.", "2025-10-01", [("2025-09-29", "29-9", True)]),
    ("Đại hội diễn ra từ ngày 12 đến ngày 15 tháng 10 năm 2020 tại Hà Nội.", None,
     [("2020-10-12", "12 đến ngày 15 tháng 10 năm 2020", False),
      ("2020-10-15", "12 đến ngày 15 tháng 10 năm 2020", False)]),
    ("Theo Chỉ thị ngày 01-10-1997 của Bộ Chính trị về công tác cán bộ.", None,
     [("1997-10-01", "01-10-1997", False)]),
    ("Hôm nay (12/6), Quốc hội thảo luận về dự án luật.", "2025-06-12", [("2025-06-12", "12/6", True)]),
    ("Ngày 02 tháng 9 năm 1945, Chủ tịch Hồ Chí Minh đọc Tuyên ngôn Độc lập.", None,
     [("1945-09-02", "02 tháng 9 năm 1945", False)]),
    ("Thứ Hai ngày 18/2/2019, Tỉnh ủy họp; ngày 14-15/6 tập huấn.", "2019-02-18",
     [("2019-02-18", "18/2/2019", False), ("2019-06-14", "14-15/6", True), ("2019-06-15", "14-15/6", True)]),
    ("Mùng 2 tháng Chín là ngày Quốc khánh.", "2025-08-30", [("2025-09-02", "2 tháng Chín", True)]),
])
def test_vietnamese_dates(text, published, expected):
    check(text, "vi", expected, published)


# -- formats the press writes besides the common ones (issue 11) ----------------

@pytest.mark.parametrize("lang,text,published,expected", [
    # abbreviated months, with or without their dot, any case
    ("fr", "Le bureau a siégé le 5 juil et le 1 Janv suivant.", "2025-07-10",
     [("2025-07-05", "5 juil", True), ("2025-01-01", "1 Janv", True)]),
    ("fr", "Le 15 fev 2013, le comité a tenu sa session annuelle.", None, [("2013-02-15", "15 fev 2013", False)]),
    ("fr", "Publié le 08 Déc 2014 15:11 par la rédaction.", None, [("2014-12-08", "08 Déc 2014", False)]),
    ("fr", "La réunion du 3 sept. 2024 a validé le plan.", None, [("2024-09-03", "3 sept. 2024", False)]),
    ("de", "Am 1. Sept 2000 und am 3 mrz 1999 tagte der Ausschuss.", None,
     [("2000-09-01", "1. Sept 2000", False), ("1999-03-03", "3 mrz 1999", False)]),
    ("de", "Die Frist lief am 12-Mär-2014 ab.", None, [("2014-03-12", "12-Mär-2014", False)]),
    ("en", "The meeting on 20 Mar 2013 was chaired by the provincial secretary.", None,
     [("2013-03-20", "20 Mar 2013", False)]),
    ("en", "Signed on Sept 9, 2024 and Dec. 1, 2024 respectively.", None,
     [("2024-09-09", "Sept 9, 2024", False), ("2024-12-01", "Dec. 1, 2024", False)]),
    # days written as words or ordinals
    ("fr", "La réforme entre en vigueur le premier janvier dans toute la province.", "2025-12-20",
     [("2026-01-01", "premier janvier", True)]),
    ("fr", "Premier mai 2025 : les syndicats ont défilé à Hanoï.", None, [("2025-05-01", "Premier mai 2025", False)]),
    ("de", "Die neue Verwaltung beginnt am ersten Januar mit zwei Ebenen.", "2025-12-20",
     [("2026-01-01", "ersten Januar", True)]),
    ("en", "The parade is held on May first; the rally on the first of June, 2025.", "2025-04-20",
     [("2025-05-01", "May first", True), ("2025-06-01", "first of June, 2025", False)]),
    ("en", "On May 21st and the 3rd of June, the delegations met.", "2025-06-30",
     [("2025-05-21", "May 21st", True), ("2025-06-03", "3rd of June", True)]),
    ("fr", "Les nouvelles communes fonctionnent depuis le 1er juillet.", "2025-07-20",
     [("2025-07-01", "1er juillet", True)]),
    # month before day (machine-translated French and German), only with a year or a range
    ("fr", "Publié le janvier 21 2018 par la rédaction.", None, [("2018-01-21", "janvier 21 2018", False)]),
    ("fr", "Mise à jour : mars 3, 2024.", None, [("2024-03-03", "mars 3, 2024", False)]),
    ("de", "Die Tagung läuft Juli 13 - Juli 15 in Hanoi.", "2025-06-01",
     [("2025-07-13", "Juli 13 - Juli 15", True), ("2025-07-15", "Juli 13 - Juli 15", True)]),
    ("de", "Veröffentlicht: Januar 21, 2018.", None, [("2018-01-21", "Januar 21, 2018", False)]),
    # a year after a comma, where it ends the clause
    ("fr", "Lundi 12 Janvier, 2016", None, [("2016-01-12", "12 Janvier, 2016", False)]),
    ("en", "The resolution dated 11 July, 2016 of the Standing Committee.", None,
     [("2016-07-11", "11 July, 2016", False)]),
    # two-digit and historic years
    ("fr", "Né le 1er avril 78, il a rejoint le Parti en 1998.", None, [("1978-04-01", "1er avril 78", False)]),
    ("fr", "Le rapport du 21/04/16, publié par la province.", None, [("2016-04-21", "21/04/16", False)]),
    ("de", "Der Bericht vom 21.04.16 liegt vor.", None, [("2016-04-21", "21.04.16", False)]),
    ("fr", "Le traité du 5 décembre 1391, signé à Paris, fut oublié.", None,
     [("1391-12-05", "5 décembre 1391", False)]),
    ("en", "The citadel was completed on 12 March 1805.", None, [("1805-03-12", "12 March 1805", False)]),
    # year first
    ("en", "Posted 2015/08/12 and updated 2015-3-3 by the editors.", None,
     [("2015-08-12", "2015/08/12", False), ("2015-03-03", "2015-3-3", False)]),
    ("vi", "Cập nhật lúc 2024.11.05 theo giờ Hà Nội.", None, [("2024-11-05", "2024.11.05", False)]),
    # month words joined by a dash or slash
    ("fr", "Le 22-avril, le comité a siégé à Hanoï.", "2025-05-01", [("2025-04-22", "22-avril", True)]),
    ("en", "Registration closes on 15-Jun-2025 at noon.", None, [("2025-06-15", "15-Jun-2025", False)]),
    # a time after the date
    ("vi", "Cập nhật 9 Tháng 1 2015 lúc 15:08 theo giờ Hà Nội.", None, [("2015-01-09", "9 Tháng 1 2015", False)]),
    ("de", "Aktualisiert am 3. Mai 2024 14:30 Uhr.", None, [("2024-05-03", "3. Mai 2024", False)]),
    # lower-case English months
    ("en", "On march 3, the committee met; the law took effect on 15 june 2016.", "2025-03-20",
     [("2025-03-03", "march 3", True), ("2016-06-15", "15 june 2016", False)]),
    ("en", "On may 5, the board met in Hanoi.", "2025-05-20", [("2025-05-05", "may 5", True)]),
])
def test_press_formats(lang, text, published, expected):
    check(text, lang, expected, published)


@pytest.mark.parametrize("lang,text,published,expected", [
    ("fr", "Le festival a lieu du 13 au dimanche 15 juillet à Hué.", "2018-07-01",
     [("2018-07-13", "13 au dimanche 15 juillet", True), ("2018-07-15", "13 au dimanche 15 juillet", True)]),
    ("de", "Die Messe findet am 14./15.10. in Hanoi statt.", "2025-09-01",
     [("2025-10-14", "14./15.10.", True), ("2025-10-15", "14./15.10.", True)]),
    ("de", "Die Schulung ist am 14.-15.10.2025 geplant.", None,
     [("2025-10-14", "14.-15.10.2025", False), ("2025-10-15", "14.-15.10.2025", False)]),
    ("vi", "Hạn nộp hồ sơ kéo dài tới 7/8.", "2025-07-20", [("2025-08-07", "7/8", True)]),
    ("vi", "Chương trình áp dụng tính từ 25-7 đến nay.", "2025-07-30", [("2025-07-25", "25-7", True)]),
    ("vi", "Lịch tiếp dân vào các ngày 4/8, 9/8, 12/8 và 14/8.", "2025-07-30",
     [(f"2025-08-{d:02d}", "4/8, 9/8, 12/8 và 14/8", True) for d in (4, 9, 12, 14)]),
    ("vi", "Hội nghị diễn ra từ ngày 21-6 đến 8-7 tại Hà Nội.", "2025-07-30",
     [("2025-06-21", "21-6 đến 8-7", True), ("2025-07-08", "21-6 đến 8-7", True)]),
    ("vi", "Đợt kiểm tra từ 31-7 đến 1-8 đã hoàn thành.", "2025-08-10",
     [("2025-07-31", "31-7 đến 1-8", True), ("2025-08-01", "31-7 đến 1-8", True)]),
    ("vi", "Tỉnh tổ chức tiếp xúc cử tri ngày 30-3, 2-4 và 5-4.", "2025-04-10",
     [("2025-03-30", "30-3, 2-4 và 5-4", True), ("2025-04-02", "30-3, 2-4 và 5-4", True),
      ("2025-04-05", "30-3, 2-4 và 5-4", True)]),
    ("vi", "Kỳ nghỉ từ 28/12 đến 2/1/2025.", None,
     [("2024-12-28", "28/12 đến 2/1/2025", False), ("2025-01-02", "28/12 đến 2/1/2025", False)]),
    ("en", "The office closes from December 28 to January 2, 2025.", None,
     [("2024-12-28", "December 28", False), ("2025-01-02", "January 2, 2025", False)]),
    ("fr", "Fermeture du 28 décembre au 2 janvier 2025.", None,
     [("2024-12-28", "28 décembre", False), ("2025-01-02", "2 janvier 2025", False)]),
])
def test_ranges_and_lists_give_every_named_day_with_its_own_month(lang, text, published, expected):
    check(text, lang, expected, published)


@pytest.mark.parametrize("text,expected", [
    ("Friday,  09/20/2024", [("2024-09-20", "09/20/2024", False)]),               # day over 12: month first
    ("THURSDAY, 11/10/2018", [("2018-10-11", "11/10/2018", False)]),               # the weekday fits day first
    ("Tuesday, 11/10/2020 - the meeting opened.", [("2020-11-10", "11/10/2020", False)]),  # ... month first
    ("The report dated 11/10/2018 was approved.", [("2018-10-11", "11/10/2018", False)]),  # default: day first
    ("Filed 09/20/2024; amended 11/10/2024.", [("2024-09-20", "09/20/2024", False),
                                              ("2024-11-10", "11/10/2024", False)]),  # the article's style
    ("Filed 20/09/2024; amended 11/10/2024 and 09/25/2024.", [("2024-09-20", "20/09/2024", False),
                                                             ("2024-10-11", "11/10/2024", False),
                                                             ("2024-09-25", "09/25/2024", False)]),  # mixed: day first
])
def test_us_month_first_numeric_dates_in_english(text, expected):
    check(text, "en", expected)


@pytest.mark.parametrize("lang", ["fr", "de", "vi", "und"])
def test_month_first_numeric_dates_only_in_english(lang):
    article, got = found("Publié le 09/20/2024, révisé le 11/10/2024.", lang)
    assert got == [("2024-10-11", "11/10/2024", False)]  # never 2024-09-20 read month first, never 2024-11-10


@pytest.mark.parametrize("text,lang,expected", [
    ("Réunion du comité le 5 juil 2025", "und", [("2025-07-05", "5 juil 2025", False)]),
    ("Sáng 30/9/2025 khai mạc", "und", [("2025-09-30", "30/9/2025", False)]),
    ("Am 3. Mai 2024 Sitzung", "und", [("2024-05-03", "3. Mai 2024", False)]),
    ("On march 3, 2024", "und", [("2024-03-03", "march 3, 2024", False)]),
    ("Hội nghị ngày 15 tháng 7 năm 2025", "und", [("2025-07-15", "15 tháng 7 năm 2025", False)]),
    ("Meeting: June 5", "und", [("2025-06-05", "June 5", True)]),
])
def test_short_texts_of_undetermined_language_get_their_word_dates(text, lang, expected):
    check(text, lang, expected, published="2025-06-10" if "June 5" in text else None)


def test_another_languages_full_date_counts_only_with_its_year():
    text = ("Thanh Duy February 28, 2025 17:20\n\nL'après-midi du 28 février, le comité a siégé. "
            "En anglais : on March 3 the board met.")
    check(text, "fr", [("2025-02-28", "February 28, 2025", False), ("2025-02-28", "28 février", True)])


@pytest.mark.parametrize("lang,text", [
    # fractions, figures, scores
    ("vi", "Tỷ lệ đạt 21/21 xã; 45.799/36.875 người; 8.793/6.500 hộ."),
    ("vi", "Tăng từ 3/6 đến 5/6 chỉ tiêu; tăng từ 2-3 lần; từ 3-5 năm; từ 3-5 năm trước."),
    ("vi", "Đến nay có 3/6 xã và 4/5 huyện đạt chuẩn."),
    ("fr", "dépassant 3/6 cibles et 21/21 communes, score 3-1."),
    ("en", "The team won 21-15 and 3/4 of voters agreed; version 1.2.13."),
    ("vi", "Tỷ lệ 3/4/10 và lớp 5/4/16 học sinh."),                     # ratios of three numbers
    # a number after a month word is a count, not a day
    ("fr", "En mars 15 entreprises ont fermé ; en mai 2025 le plan fut adopté."),
    ("de", "Im März 15 Betriebe geschlossen; im Mai 2025 beschlossen."),
    # English 'may' and 'march' as ordinary words
    ("en", "You may 5 times apply; prices march 3 percent higher; they may 21 days wait."),
    ("en", "The first May Day rally drew crowds; the first June session ended."),
])
def test_look_alikes_of_the_new_formats_are_not_dates(lang, text):
    assert found(text, lang, "2025-06-01")[1] == []


def test_a_list_goes_on_after_a_bare_comma_only_with_a_date():
    check("Ngày 15/7/2025 có 3/6 xã và 4/5 huyện đạt chuẩn.", "vi", [("2025-07-15", "15/7/2025", False)])


def test_a_count_after_the_month_is_not_its_year():
    """'2016 délégués', '25 personnes', '1500 manifestants': counts; the days take the publication year."""
    check("Le 12 janvier, 2016 délégués ont voté ; le 12 mai 25 personnes ; le 3 mai 1500 manifestants.", "fr",
          [("2025-01-12", "12 janvier", True), ("2025-05-12", "12 mai", True), ("2025-05-03", "3 mai", True)],
          published="2025-06-01")


def test_a_wrong_order_is_never_produced_for_vietnamese_ranges():
    """Day and month swapped across a range was the old failure: every value must be a (day, month) read in place."""
    text = "Từ ngày 21-6 đến 8-7, 31-7 đến 1-8 và ngày 30-3, 2-4 và 5-4; các ngày 4/8, 9/8, 12/8 và 14/8."
    article, got = found(text, "vi", "2025-08-20")
    assert sorted(v for v, _, _ in got) == sorted(
        ["2025-06-21", "2025-07-08", "2025-07-31", "2025-08-01", "2025-03-30", "2025-04-02", "2025-04-05",
         "2025-08-04", "2025-08-09", "2025-08-12", "2025-08-14"])


def test_dateline_glued_to_letters_is_a_date():
    text = "Báo Nhân dânBáo Nhân dân23/05/2025\nDans la province de Lai Chau"
    check(text, "fr", [("2025-05-23", "23/05/2025", False)])


# -- look-alikes --------------------------------------------------------------

@pytest.mark.parametrize("lang,text", [
    ("fr", "dépassant 3/6 cibles, et les 3 cibles restantes ont été atteintes."),
    ("fr", "soit une réduction de 62,5 % et 110 kV pour le poste de Phu Thuan."),
    ("fr", "le décret n° 15/2025/NĐ-CP et la décision n° 55/QD-BXD, la résolution 57-NQ/TW."),
    ("fr", "Le Plan 330 vise 2025 ; en juin 2025 et au premier trimestre 2025, en 2024."),
    ("fr", "la 13e Conférence du 13e Comité central, la XVe législature, la version 2.1.3."),
    ("de", "Der 14. Nationalen Parteitag; 15. Amtszeit; Version 3.6 und 2.5 Mio. Einwohner."),
    ("en", "The economy grew 3.6 percent, you may 5 times, the 14th-tenure, 1.2.3 release."),
    ("en", "GDP rose in May 2025 and in the first quarter of 2025 by 8.2%."),
    ("fr", "Achever la phase 1 - 30 unités prévues, selon le document 12/6/2025/QĐ-UBND."),
    ("vi", "đạt 3/6 chỉ tiêu; trong 6 tháng năm 2025; tháng 7/2025; khóa XIII; 15/2025/NĐ-CP."),
    ("vi", "Hạn chót là ngày 5 tháng sau, tức là 10 tháng nữa."),
])
def test_look_alikes_are_not_dates(lang, text):
    article, got = found(text, lang, "2025-06-01")
    assert got == []


def test_spans_taken_by_codes_are_skipped():
    text = "Selon le document 12/6/2025/QD-UBND du comité"
    article = make_article(text, "fr")
    codes = [{"code": "X", "mentions": [{"start": 18, "end": 37, "text": text[18:37], "rule": "codes.any.state"}]}]
    article.facts["codes"] = codes
    assert EXTRACTOR.find(article) == []


# -- impossible dates, missing years, other languages --------------------------

def test_impossible_dates_are_dropped_with_a_warning():
    article = check("Le 31 février 2025 et le 30. Februar n'existent pas ; le 28 février 2025 oui.", "fr",
                    [("2025-02-28", "28 février 2025", False)])
    assert any("31 février 2025" in w for w in article.warnings)
    article = check("Der 30. Februar 2025 existiert nicht.", "de", [])
    assert any("30. Februar 2025" in w for w in article.warnings)


def test_one_stated_mention_makes_the_fact_stated():
    article = make_article("Le 23 mai, la réunion. Rappel : le 23 mai 2025 est un vendredi.", "fr", "2025-05-20")
    facts = group_hits(EXTRACTOR.find(article), article.text, "value", EXTRACTOR.merge)
    assert [(f["value"], f["year_inferred"], len(f["mentions"])) for f in facts] == [("2025-05-23", False, 2)]


def test_unsupported_language_tries_every_language_and_warns_once():
    article, got = found("El 15 de julio, 23/05/2025 y 01-10-1997; le 3 mai 2024.", "es")
    assert got == [("2025-05-23", "23/05/2025", False), ("1997-10-01", "01-10-1997", False),
                   ("2024-05-03", "3 mai 2024", False)]
    assert sum("no date words" in w for w in article.warnings) == 1


def test_every_language_file_names_all_months():
    for lang in language_codes():
        data = language_file(lang, "dates.json")
        assert sorted(int(k) for k in data["months"]) == list(range(1, 13)), lang
        assert sorted(int(k) for k in data["weekdays"]) == list(range(1, 8)), lang
        assert lang in EXTRACTOR.languages


# -- the five seed articles -----------------------------------------------------

def _gold():
    if not GOLD.is_file():
        return []
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def seed_article(row):
    """The seed as the pipeline would see it: Source/Quelle URL lines masked, gold language and date,
    codes and periods found."""
    text = (ROOT / "corpus" / f"{row['doc_id']}.txt").read_text(encoding="utf-8")
    spans = [m.span() for m in regex.finditer(r"(?m)^(?:Source|Quelle)\b.*$", text)]
    article = make_article(text, row["language"], row["published"])
    article.masked = mask(text, spans)
    article.facts["codes"] = group_hits(CODES.find(article), text, "code")
    article.facts["periods"] = group_hits(PERIODS.find(article), text, "value")
    return article


@pytest.mark.parametrize("row", _gold(), ids=lambda r: r["doc_id"])
def test_seed_dates_equal_gold(row):
    article = seed_article(row)
    hits = EXTRACTOR.find(article)
    for hit in hits:
        assert article.text[hit.start:hit.end] == article.masked[hit.start:hit.end]
    assert {h.key for h in hits} == set(row["dates"])


def _month_words(lang):
    months = language_file(lang, "dates.json")["months"]
    words = [w for ws in months.values() for w in ws]
    return words + [w.upper() for w in words] + [w.title() for w in words]


@pytest.mark.parametrize("lang", language_codes())
@pytest.mark.parametrize("ignore_case", [True, False])
@pytest.mark.parametrize("behind", [False, True])
def test_word_tree_matches_like_the_plain_alternation(lang, ignore_case, behind):
    """The month names' prefix (or suffix) tree finds what the alternation finds, the longer word first."""
    import random
    from pipeline.text import word_alternation, word_tree

    words = _month_words(lang)
    flags = regex.IGNORECASE if ignore_case else 0
    if behind:  # a suffix tree is read backwards, in a lookbehind
        def compiled(alternation):
            return regex.compile(rf"(?<=(?<!\w)(?P<w>{alternation}))(?!\w)|(?<=(?P<w2>{alternation}))[.\s]", flags)
    else:
        def compiled(alternation):
            return regex.compile(rf"(?P<w>{alternation})(?!\w)|(?P<w2>{alternation})[.\s]", flags)
    plain = compiled(word_alternation(words))
    tree = compiled(word_tree(words, ignore_case, behind))
    pieces = words + [w[:3] for w in words] + [" ", "  ", ".", "x", "1", "\n"]
    rng = random.Random(lang)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
        expected = [(m.span(), m.groupdict()) for m in plain.finditer(text, overlapped=True)]
        assert [(m.span(), m.groupdict()) for m in tree.finditer(text, overlapped=True)] == expected, text


def test_word_tree_shape_and_fallback():
    from pipeline.text import word_alternation, word_tree

    assert word_tree(["May", "July", "June"], False, behind=True) == "(?:June|(?:Jul|Ma)y)"
    behind = regex.compile(rf"(?<=(?:{word_tree(['May', 'July', 'a b'], False, behind=True)}) )\d")
    assert [m.start() for m in behind.finditer("May 1, July 2, a  b 3, Maya 4")] == [4, 12, 20]

    assert word_tree(["March", "May", "Mar."], False) == r"Ma(?:r(?:ch|\.)|y)"
    assert word_tree(["juin", "JUIN", "juil."], True) == r"jui(?:l\.|N)"  # "N" and "n": one branch
    assert word_tree(["a b", "ab"], False) == r"a(?:\s+b|b)"
    assert word_tree(["a b", "a\tc"], False) == word_alternation(["a b", "a\tc"])  # \s+ and \t overlap


def test_span_set_overlaps_like_a_scan():
    import random
    from pipeline.text import SpanSet

    rng = random.Random(7)
    for _ in range(500):
        spans = [(s, s + rng.randint(0, 8)) for s in (rng.randint(0, 60) for _ in range(rng.randint(0, 6)))]
        blocked = SpanSet(spans)
        for start in range(0, 70, 3):
            for end in range(start, start + 10):
                assert blocked.overlaps(start, end) == any(s < end and start < e for s, e in spans)


# -- the labelled sentences of bench/dates_peer.py --------------------------------------------

def test_labelled_sentences_precision_recall_and_no_swapped_day():
    """tests/data/dates_sentences.jsonl through the whole pipeline: precision >= 0.98, no day/month swapped."""
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    from dates_peer import load, newsfacts_days, score

    rows = load()
    result = score(rows, newsfacts_days(rows))["by_lang"]
    assert {lang for lang in result} == {"fr", "de", "en", "vi", "all"}
    assert result["all"]["precision"] >= 0.98 and result["all"]["swapped"] == 0, result["all"]
    assert all(s["recall"] >= 0.95 for s in result.values()), result


@pytest.mark.parametrize("lang,piece,end", [
    ("fr", "14 et ", "cibles"), ("fr", "14 et ", "juin"), ("en", "14, ", "June"), ("de", "14./", "10."),
    ("vi", "4/8, ", "xã"), ("vi", "1-8 đến ", "lần"), ("vi", "ngày 3 và ", "tháng 6"),
])
def test_long_runs_of_list_like_numbers_cost_linear_time(lang, piece, end):
    """Lists are bounded in the rules: 4x the run must cost about 4x the time, not 16x (a ratio within one
    run, no wall-clock threshold). Unbounded, 5,000 items took over the 2 s regex timeout."""
    import time

    def cost(n):
        article = prepared(piece * n + end, lang, "2025-06-01")
        best = float("inf")
        for _ in range(3):
            started = time.process_time()
            EXTRACTOR.find(article)
            best = min(best, time.process_time() - started)
        return best

    small, large = cost(500), cost(2000)
    assert large / small < 8, f"4x the items cost {large / small:.1f}x the time"


# -- loading: rules of an AT_DAY/AT_YEAR anchor are compiled only inside their scanner --

def _edit_rule(patterns_copy, rule_id, edit):
    path = patterns_copy / "fr" / "dates.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    rule = next(r for r in data["rules"] if r["id"] == rule_id)
    rule["template"] = edit(rule["template"])
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize("rule_id", ["day_month", "dayword_month", "paren_day_month_numeric"])  # AT_DAY, AT_WORD, none
def test_a_rule_with_a_bad_regex_is_named_in_the_error(patterns_copy, rule_id):
    from pipeline.patterns import PatternError

    _edit_rule(patterns_copy, rule_id, lambda t: t + "x{3,2}")       # min above max: balanced, but no regex
    with pytest.raises(PatternError, match=rf"fr/dates.json rule {rule_id}: bad regex"):
        DatesExtractor()


@pytest.mark.parametrize("damage", [")", "(", "[0-9"])
def test_a_scanned_rule_that_would_leak_out_of_its_scanner_is_refused(patterns_copy, damage):
    """A rule is put inside its scanner as text: parentheses that do not balance are refused at load."""
    from pipeline.patterns import PatternError

    _edit_rule(patterns_copy, "day_month", lambda t: t + damage)
    with pytest.raises(PatternError, match=r"fr/dates.json rule day_month: bad regex"):
        DatesExtractor()


def test_a_scanned_rule_without_its_date_group_is_refused(patterns_copy):
    from pipeline.patterns import PatternError

    _edit_rule(patterns_copy, "month_day_year", lambda t: t.replace("(?P<date>", "(?:", 1))
    with pytest.raises(PatternError, match=r"fr/dates.json rule month_day_year: needs groups date"):
        DatesExtractor()
