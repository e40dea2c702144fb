"""Dates: news sentences in fr/de/en/vi, look-alikes, year inference, the five seeds."""
import json
from pathlib import Path

import pytest
import regex

from pipeline.extract.codes import CodesExtractor
from pipeline.extract.dates import DatesExtractor, infer_year, year_basis
from pipeline.facts import group_hits
from pipeline.patterns import LANGUAGES, lang_file
from pipeline.text import mask
from tests.helpers import make_article

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT.parent / "shared" / "gold" / "seeds.jsonl"
EXTRACTOR = DatesExtractor()


def found(text, lang, published=None, facts=None):
    """[(iso, mention text, year_inferred)] in text order; offsets checked against the text."""
    article = make_article(text, lang, published, facts)
    hits = EXTRACTOR.find(article)
    for hit in hits:
        assert 0 <= hit.start < hit.end <= len(text)
        assert hit.rule.startswith(("dates.any.", f"dates.{lang}."))
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
    codes = [{"code": "X", "mentions": [{"start": 18, "end": 37, "text": text[18:37], "rule": "codes.state"}]}]
    article.facts["codes"] = codes
    assert EXTRACTOR.find(article) == []


# -- impossible dates, missing years, other languages --------------------------

def test_impossible_dates_are_dropped_with_a_warning():
    article = check("Le 31 février 2025 et le 30. Februar n'existent pas ; le 28 février 2025 oui.", "fr",
                    [("2025-02-28", "28 février 2025", False)])
    assert any("31 février 2025" in w for w in article.warnings)
    article = check("Der 30. Februar 2025 existiert nicht.", "de", [])
    assert any("30. Februar 2025" in w for w in article.warnings)


def test_year_from_the_body_when_not_published():
    # No publication date: 2025 is the most frequent explicit year (2024 once, 2025 twice).
    text = "Le plan 2024 est clos. Les 14 et 15 juin, formation. Objectifs 2025 et budget 2025."
    check(text, "fr", [("2025-06-14", "14 et 15 juin", True), ("2025-06-15", "14 et 15 juin", True)])


def test_year_tie_goes_to_the_latest():
    check("En 2023 et en 2024, puis le 3 mai, la province a agi.", "fr", [("2024-05-03", "3 mai", True)])


def test_year_from_publication_crosses_the_new_year_only_when_far():
    january = year_basis(make_article("", "fr", "2025-01-05"))
    assert infer_year(january, 12, 30) == 2024
    assert infer_year(january, 1, 20) == 2025
    assert infer_year(year_basis(make_article("", "fr", "2025-12-28")), 1, 2) == 2026
    september = year_basis(make_article("", "en", "2025-09-09"))
    assert infer_year(september, 3, 7) == 2025      # a past event half a year back
    assert infer_year(september, 12, 31) == 2025    # a deadline later this year
    check("From March 7 until the end of the project, recruitment is suspended.", "en",
          [("2025-03-07", "March 7", True)], published="2025-09-09")


def test_no_year_anywhere_drops_with_a_warning():
    article = check("Le 23 mai, la délégation est arrivée.", "fr", [])
    assert any("no year" in w for w in article.warnings)


def test_one_stated_mention_makes_the_fact_stated():
    article = make_article("Le 23 mai, la réunion. Rappel : le 23 mai 2025 est un vendredi.", "fr", "2025-05-20")
    facts = group_hits(EXTRACTOR.find(article), article.text, "value", EXTRACTOR.merge)
    assert [(f["value"], f["year_inferred"], len(f["mentions"])) for f in facts] == [("2025-05-23", False, 2)]


def test_unsupported_language_runs_numeric_rules_and_warns_once():
    article, got = found("El 15 de julio, 23/05/2025 y 01-10-1997.", "es")
    assert got == [("2025-05-23", "23/05/2025", False), ("1997-10-01", "01-10-1997", False)]
    assert sum("no date words" in w for w in article.warnings) == 1


def test_every_language_file_names_all_months():
    for lang in LANGUAGES:
        data = lang_file(lang, "dates.json")
        assert sorted(int(k) for k in data["months"]) == list(range(1, 13)), lang
        assert sorted(int(k) for k in data["weekdays"]) == list(range(1, 8)), lang
        assert lang in EXTRACTOR.languages


# -- the five seed articles -----------------------------------------------------

def _gold():
    if not GOLD.is_file():
        return []
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def seed_article(row):
    """The seed as the pipeline would see it: Source/Quelle URL lines masked, gold language and date."""
    text = (ROOT / "corpus" / f"{row['doc_id']}.txt").read_text(encoding="utf-8")
    spans = [m.span() for m in regex.finditer(r"(?m)^(?:Source|Quelle)\b.*$", text)]
    article = make_article(text, row["language"], row["published"])
    article.masked = mask(text, spans)
    codes = CodesExtractor()
    article.facts["codes"] = group_hits(codes.find(article), text, codes.key_field)
    return article


@pytest.mark.parametrize("row", _gold(), ids=lambda r: r["doc_id"])
def test_seed_dates_equal_gold(row):
    article = seed_article(row)
    hits = EXTRACTOR.find(article)
    for hit in hits:
        assert article.text[hit.start:hit.end] == article.masked[hit.start:hit.end]
    assert {h.key for h in hits} == set(row["dates"])


def _month_words(lang):
    months = lang_file(lang, "dates.json")["months"]
    words = [w for ws in months.values() for w in ws]
    return words + [w.upper() for w in words] + [w.title() for w in words]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("ignore_case", [True, False])
def test_word_tree_matches_like_the_plain_alternation(lang, ignore_case):
    """The month names' prefix tree finds what the alternation finds, the longer word first."""
    import random
    from pipeline.extract.dates import word_alternation, word_tree

    words = _month_words(lang)
    flags = regex.IGNORECASE if ignore_case else 0
    plain = regex.compile(rf"(?P<w>{word_alternation(words)})(?!\w)|(?P<w2>{word_alternation(words)})[.\s]", flags)
    tree = regex.compile(rf"(?P<w>{word_tree(words, ignore_case)})(?!\w)|(?P<w2>{word_tree(words, ignore_case)})[.\s]", flags)
    pieces = words + [w[:3] for w in words] + [" ", "  ", ".", "x", "1", "\n"]
    rng = random.Random(lang)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 6)))
        expected = [(m.span(), m.groupdict()) for m in plain.finditer(text, overlapped=True)]
        assert [(m.span(), m.groupdict()) for m in tree.finditer(text, overlapped=True)] == expected, text


def test_word_tree_shape_and_fallback():
    from pipeline.extract.dates import word_alternation, word_tree

    assert word_tree(["March", "May", "Mar."], False) == r"Ma(?:r(?:ch|\.)|y)"
    assert word_tree(["juin", "JUIN", "juil."], True) == r"jui(?:l\.|N)"  # "N" and "n": one branch
    assert word_tree(["a b", "ab"], False) == r"a(?:\s+b|b)"
    assert word_tree(["a b", "a\tc"], False) == word_alternation(["a b", "a\tc"])  # \s+ and \t overlap


def test_span_set_overlaps_like_a_scan():
    import random
    from pipeline.extract.dates import SpanSet

    rng = random.Random(7)
    for _ in range(500):
        spans = [(s, s + rng.randint(0, 8)) for s in (rng.randint(0, 60) for _ in range(rng.randint(0, 6)))]
        blocked = SpanSet(spans)
        for start in range(0, 70, 3):
            for end in range(start, start + 10):
                assert blocked.overlaps(start, end) == any(s < end and start < e for s, e in spans)
