"""Link stage: a code's issue date and issuing body, in fr/de/en/vi."""
import pytest

from pipeline.extract.codes import CodesExtractor
from pipeline.extract.dates import DatesExtractor
from pipeline.facts import group_hits
from pipeline.link import link_codes
from pipeline.patterns import language_codes
from tests.helpers import make_article
from tests.test_dates import _gold, seed_article

CODES = CodesExtractor()
DATES = DatesExtractor()


def linked(text, lang, published="2025-07-20"):
    article = make_article(text, lang, published)
    article.facts["codes"] = group_hits(CODES.find(article), text, "code")
    article.facts["dates"] = group_hits(DATES.find(article), text, "value", DATES.merge)
    link_codes(article)
    return article, {c["code"]: (c["issued"], c["issued_by"]) for c in article.facts["codes"]}


@pytest.mark.parametrize("lang,text,expected", [
    ("fr", "la mise en œuvre de la Résolution n° 57-NQ/TW, datée du 22 décembre 2024 du Politburo sur les percées",
     {"57-NQ/TW": ("2024-12-22", "Politburo")}),
    ("fr", "la conclusion n° 148-KL/TW du 8 avril 2025 du Politburo et du Secrétariat sur les inspections",
     {"148-KL/TW": ("2025-04-08", "Politburo and Secretariat")}),
    ("fr", "du Plan n° 387-KH/TU et de l'Instruction n° 06-HD/TU du 21 octobre 2024 du Comité permanent du "
           "Comité provincial du Parti sur le travail du personnel",
     {"387-KH/TU": ("2024-10-21", "Provincial Party Standing Committee"),
      "06-HD/TU": ("2024-10-21", "Provincial Party Standing Committee")}),
    ("fr", "la Conclusion n° 118-KL/TW du 18 janvier 2025 du 13e Politburo sur les congrès",
     {"118-KL/TW": ("2025-01-18", "Politburo")}),
    ("fr", "selon la décision n° 55/QD-BXD du ministère de la Construction.",
     {"55/QD-BXD": (None, "Ministry of Construction")}),
    ("fr", "la Directive n° 35-CT/TW du 14 juin 2024 et la Conclusion n° 118-KL/TW du 18 janvier 2025 du Politburo",
     {"35-CT/TW": ("2024-06-14", None), "118-KL/TW": ("2025-01-18", "Politburo")}),
    ("de", "der Schlussfolgerung Nr. 177-KL/TW vom 11. Juli 2025 des Politbüros und des Sekretariats sowie",
     {"177-KL/TW": ("2025-07-11", "Politburo and Secretariat")}),
    ("de", "gemäß den Vorschriften Nr. 253-QD/TW und Nr. 255-QD/TW des Sekretariats vom 24. Januar 2025 sicherzustellen",
     {"253-QD/TW": ("2025-01-24", "Secretariat"), "255-QD/TW": ("2025-01-24", "Secretariat")}),
    ("de", "Plan Nr. 04-KH/TU vom 16. Juli 2025 des Ständigen Ausschusses der Provinzpartei zur Umsetzung",
     {"04-KH/TU": ("2025-07-16", "Provincial Party Standing Committee")}),
    ("de", "im offiziellen Depeschen Nr. 9068-CV/BTCTW vom 17. Juli 2025 des Zentralen Organisationskomitees",
     {"9068-CV/BTCTW": ("2025-07-17", "Central Organisation Commission")}),
    ("en", "Directive No. 01-CT/TW dated October 23, 2020 of the Politburo on Party building",
     {"01-CT/TW": ("2020-10-23", "Politburo")}),
    ("en", "Resolution No. 57-NQ/TW of the Politburo dated December 22, 2024 on breakthroughs",
     {"57-NQ/TW": ("2024-12-22", "Politburo")}),
    ("en", "Decision No. 320/QD-TTg of the Prime Minister, dated 12.4.2025, approves the plan",
     {"320/QD-TTG": ("2025-04-12", "Prime Minister")}),
    ("vi", "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học",
     {"57-NQ/TW": ("2024-12-22", "Politburo")}),
    ("vi", "Kết luận số 177-KL/TW ngày 11 tháng 7 năm 2025 của Bộ Chính trị, Ban Bí thư về tiếp tục sắp xếp",
     {"177-KL/TW": ("2025-07-11", "Politburo and Secretariat")}),
    ("vi", "theo ý kiến của Ban Tổ chức Trung ương (Công văn số 8012-CV/BTCTW, ngày 26/02/2025), Bộ Chính trị",
     {"8012-CV/BTCTW": ("2025-02-26", None)}),
    ("vi", "Kế hoạch số 04-KH/TU ngày 16/7/2025 của Ban Thường vụ Tỉnh ủy về triển khai",
     {"04-KH/TU": ("2025-07-16", "Provincial Party Standing Committee")}),
])
def test_code_gets_its_date_and_body(lang, text, expected):
    article, got = linked(text, lang)
    assert got == expected, article.warnings


def test_no_link_across_a_sentence_end():
    _, got = linked("Il a cité la Résolution n° 57-NQ/TW. Le 22 décembre 2024, le Politburo s'est réuni.", "fr")
    assert got == {"57-NQ/TW": (None, None)}


def test_no_link_across_other_words():
    _, got = linked("la résolution n° 60-NQ/TW de la 11e Conférence du 13e Comité central du Parti", "fr")
    assert got == {"60-NQ/TW": (None, None)}


def test_codes_listed_with_other_words_between_are_not_chained():
    _, got = linked("la directive n° 01-CT/TU et 1 an de mise en œuvre du plan n° 330-KH/TU du Comité permanent "
                    "provincial du Parti", "fr")
    assert got == {"01-CT/TU": (None, None), "330-KH/TU": (None, "Provincial Party Standing Committee")}


def test_a_roman_article_is_not_an_ordinal():
    _, got = linked("le plan n° 47-KH/TW du Comité directeur central, le Comité provincial du Parti a dirigé", "fr")
    assert got == {"47-KH/TW": (None, "Central Steering Committee")}


def test_conflicting_dates_keep_the_first_and_warn():
    article, got = linked("Plan n° 02-KH/TU du 15 juillet 2025 du Comité provincial du Parti ; plus tard, le "
                          "Plan n° 02-KH/TU du 17 juillet 2025 a été révisé.", "fr")
    assert got == {"02-KH/TU": ("2025-07-15", "Provincial Party Committee")}
    assert any("02-KH/TU" in w and "2025-07-17" in w for w in article.warnings)


def test_a_fuller_body_list_is_kept_without_warning():
    article, got = linked("la conclusion n° 148-KL/TW du 8 avril 2025 du Politburo. Concernant la conclusion "
                          "n° 148-KL/TW du 8 avril 2025 du Politburo et du Secrétariat, la province agit.", "fr")
    assert got == {"148-KL/TW": ("2025-04-08", "Politburo and Secretariat")}
    assert article.warnings == []


def test_language_without_link_words_warns():
    article = make_article("Resolución 57-NQ/TW del 22/12/2024", "es")
    article.facts["codes"] = group_hits(CODES.find(article), article.text, "code")
    link_codes(article)
    assert article.facts["codes"][0]["issued"] is None
    assert any("no link words" in w for w in article.warnings)


def test_no_codes_is_a_no_op():
    article = make_article("Le 22 décembre 2024.", "fr")
    link_codes(article)
    assert article.facts.get("codes") is None and article.warnings == []


def test_every_language_has_link_words():
    from pipeline.link import link_rules
    for lang in language_codes():
        assert link_rules(lang) is not None


SEED_LINKS = {
    "003_e228c1ef6803ec34": {
        "177-KL/TW": ("2025-07-11", "Politburo and Secretariat"),
        "02-KH/BCDTW": ("2025-06-19", "Central Steering Committee"),
        "04-KH/TU": ("2025-07-16", "Provincial Party Standing Committee"),
        "204-QD/TW": ("2024-11-29", "Secretariat"),
        "02-KH/TU": ("2025-07-15", "Provincial Party Standing Committee"),
        "9068-CV/BTCTW": ("2025-07-17", "Central Organisation Commission"),
        "253-QD/TW": ("2025-01-24", "Secretariat"),
        "255-QD/TW": ("2025-01-24", "Secretariat"),
    },
    "004_8d8f46d2654e681f": {
        "01-CT/TU": (None, None),
        "330-KH/TU": (None, "Provincial Party Standing Committee"),
        "57-NQ/TW": ("2024-12-22", "Politburo"),
        "387-KH/TU": ("2024-10-21", "Provincial Party Standing Committee"),
        "06-HD/TU": ("2024-10-21", "Provincial Party Standing Committee"),
        "35-CT/TW": ("2024-06-14", None),
        "118-KL/TW": ("2025-01-18", "Politburo"),
        "55/QD-BXD": (None, "Ministry of Construction"),
    },
}


@pytest.mark.parametrize("row", [r for r in _gold() if r["doc_id"] in SEED_LINKS], ids=lambda r: r["doc_id"])
def test_seed_links(row):
    article = seed_article(row)
    article.facts["dates"] = group_hits(DATES.find(article), article.text, "value", DATES.merge)
    link_codes(article)
    got = {c["code"]: (c["issued"], c["issued_by"]) for c in article.facts["codes"]}
    assert got == SEED_LINKS[row["doc_id"]]
    assert article.warnings == []
