"""Periods: year spans in fr/de/en/vi, look-alikes, the five seeds."""
import pytest

from pipeline.extract.periods import PeriodsExtractor
from tests.helpers import make_article
from tests.test_dates import _gold, seed_article

EXTRACTOR = PeriodsExtractor()


def found(text, lang):
    article = make_article(text, lang)
    hits = sorted(EXTRACTOR.find(article), key=lambda h: h.start)
    for hit in hits:
        assert hit.fields == {"start": int(hit.key[:4]), "end": int(hit.key[5:])}
    return article, [(h.key, text[h.start:h.end]) for h in hits]


@pytest.mark.parametrize("lang,text,expected", [
    ("fr", "les congrès du Parti des communes pour le mandat 2020-2025 et la période 2025-2030.",
     [("2020-2025", "2020-2025"), ("2025-2030", "2025-2030")]),
    ("fr", "le développement industriel au cours de la période 2021–2030 (tiret demi-cadratin).",
     [("2021-2030", "2021–2030")]),
    ("fr", "Projet de transformation numérique pour la période 2025-28 dans la province.",
     [("2025-2028", "2025-28")]),
    ("fr", "Le plan couvre les années de 2021 à 2025.", [("2021-2025", "2021 à 2025")]),
    ("fr", "l'élection des députés à la XVIe Assemblée nationale pour la période 2016-2031",
     [("2016-2031", "2016-2031")]),
    ("de", "Delegierte für die Amtszeit 2020–2025 und die Legislaturperiode 2025–2030.",
     [("2020-2025", "2020–2025"), ("2025-2030", "2025–2030")]),
    ("de", "Die Amtszeiten 2020 - 2025, 2021 - 2026, 2025 - 2030 wurden bewertet.",
     [("2020-2025", "2020 - 2025"), ("2021-2026", "2021 - 2026"), ("2025-2030", "2025 - 2030")]),
    ("de", "Im Zeitraum von 2021 bis 2030 soll die Provinz wachsen.", [("2021-2030", "2021 bis 2030")]),
    ("en", "delegates for the 2025-2030 tenure and the 2025-30 term of the People's Council.",
     [("2025-2030", "2025-2030"), ("2025-2030", "2025-30")]),
    ("en", "the socio-economic plan for 2021—2025 and a vision from 2030 to 2045.",
     [("2021-2025", "2021—2025"), ("2030-2045", "2030 to 2045")]),
    ("vi", "Đại hội Đảng bộ tỉnh nhiệm kỳ 2025 - 2030 và giai đoạn 2021-2030.",
     [("2025-2030", "2025 - 2030"), ("2021-2030", "2021-2030")]),
    ("vi", "Kế hoạch từ năm 2021 đến năm 2025 của tỉnh.", [("2021-2025", "2021 đến năm 2025")]),
])
def test_periods_in_news_sentences(lang, text, expected):
    article, got = found(text, lang)
    assert got == expected, article.warnings


@pytest.mark.parametrize("lang,text", [
    ("fr", "le 13e Comité central, la XVe législature, le 14e Congrès national du Parti."),
    ("fr", "COVID-19, hotline 1900-1234, le 2025-05-23, la version 2025-05."),
    ("fr", "https://baodongkhoi.vn/hoi-nghi-2020-2025-a144359.html et le code 15/2025/NĐ-CP"),
    ("fr", "après 5 ans, 3/6 cibles, 2025-30 personnes présentes"),
    ("de", "15. Amtszeit, 14. Nationaler Parteitag, Telefon 0243-2025-1234"),
    ("en", "the 14th-tenure National Assembly, score 2-1, ID 2020-2025-77"),
    ("vi", "Quốc hội khóa XIII, khóa XV, số điện thoại 0912-345-678"),
])
def test_look_alikes_are_not_periods(lang, text):
    assert found(text, lang)[1] == []


def test_reversed_span_is_dropped_with_a_warning():
    article, got = found("la période 2030-2025 annoncée par erreur", "fr")
    assert got == [] and any("2030-2025" in w for w in article.warnings)


def test_periods_inside_codes_are_skipped():
    text = "le plan 2021-2025/KH-UBND"
    article = make_article(text, "fr")
    article.facts["codes"] = [{"code": "X", "mentions": [{"start": 8, "end": 25, "text": text[8:], "rule": "codes"}]}]
    assert EXTRACTOR.find(article) == []


def test_unsupported_language_reads_four_digit_spans_only():
    assert found("el mandato 2021-2026 y el periodo 2025-30", "es")[1] == [("2021-2026", "2021-2026")]


@pytest.mark.parametrize("row", _gold(), ids=lambda r: r["doc_id"])
def test_seed_periods_equal_gold(row):
    article = seed_article(row)
    assert {h.key for h in EXTRACTOR.find(article)} == set(row["periods"])
