"""Provinces: gazetteer matches in four languages, people and newspapers are not places."""
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.extract.provinces import ProvincesExtractor
from pipeline.patterns import read_rows
from tests.helpers import make_article

EXTRACTOR = ProvincesExtractor()
ROOT = Path(__file__).resolve().parent.parent


def provinces(text, lang="fr"):
    article = make_article(text, lang)
    hits = sorted(EXTRACTOR.find(article), key=lambda h: h.start)
    return [(h.key, text[h.start:h.end]) for h in hits]


@pytest.mark.parametrize("lang,sentence,expected", [
    ("fr", "Dans la province de Lai Chau , le camarade Vu Manh Ha a fait rapport.", [("Lai Chau", "Lai Chau")]),
    ("fr", "la construction de l'autoroute Hoa Binh-Moc Chau, dans la province de Son La.", [("Hoa Binh", "Hoa Binh"), ("Son La", "Son La")]),
    ("fr", "Le Premier ministre s'est rendu à Hanoï puis à Hô Chi Minh-Ville et à Dông Nai.",
     [("Ha Noi", "Hanoï"), ("Ho Chi Minh", "Hô Chi Minh-Ville"), ("Dong Nai", "Dông Nai")]),
    ("fr", "le Comité provincial du Parti de Bà Rịa - Vũng Tàu et celui de Thua Thien-Hue", [("Ba Ria - Vung Tau", "Bà Rịa - Vũng Tàu"), ("Thua Thien Hue", "Thua Thien-Hue")]),
    ("de", "Die Provinz Phu Tho und die Stadt Ho-Chi-Minh-Stadt haben den Plan verabschiedet.", [("Phu Tho", "Phu Tho"), ("Ho Chi Minh", "Ho-Chi-Minh-Stadt")]),
    ("de", "Das Volkskomitee der Provinz Đắk Lắk arbeitete mit Gia Lai zusammen.", [("Dak Lak", "Đắk Lắk"), ("Gia Lai", "Gia Lai")]),
    ("en", "Ho Chi Minh City and Hai Phong lead the country in FDI, followed by Bac Ninh.", [("Ho Chi Minh", "Ho Chi Minh City"), ("Hai Phong", "Hai Phong"), ("Bac Ninh", "Bac Ninh")]),
    ("en", "The Party Secretary of Quang Nam province met delegates from Da Nang.", [("Quang Nam", "Quang Nam"), ("Da Nang", "Da Nang")]),
    ("vi", "Bí thư Tỉnh ủy Hòa Bình làm việc với lãnh đạo tỉnh Vĩnh Phúc và Phú Thọ.", [("Hoa Binh", "Hòa Bình"), ("Vinh Phuc", "Vĩnh Phúc"), ("Phu Tho", "Phú Thọ")]),
    ("vi", "Đoàn công tác đến Thành phố Hồ Chí Minh và TP.HCM ngày 12/6.", [("Ho Chi Minh", "Thành phố Hồ Chí Minh"), ("Ho Chi Minh", "TP.HCM")]),
])
def test_provinces_in_news_sentences(lang, sentence, expected):
    assert provinces(sentence, lang) == expected


@pytest.mark.parametrize("lang,sentence", [
    ("fr", "Le camarade Nguyen Hoa Binh, ancien président de la Cour populaire suprême, a pris la parole."),
    ("en", "Deputy Prime Minister Truong Hoa Binh chaired the meeting."),
    ("vi", "Phó Thủ tướng Trương Hòa Bình phát biểu."),
    ("fr", "Projet de fusion du journal Son La avec la station de radio provinciale."),
    ("de", "Laut der Zeitung Quang Binh wurde das Projekt genehmigt."),
    ("vi", "Theo Báo Lâm Đồng, hội nghị đã thành công."),
    ("fr", "Le président Hô Chi Minh a lu la Déclaration d'indépendance ; la pensée de Ho Chi Minh guide le Parti."),
    ("fr", "à l'Académie nationale de politique Hô Chi Minh"),
    ("en", "The hue of the sky over the long an hour."),
    ("vi", "Bà Nguyễn Thị Huế, Chủ tịch Hội Phụ nữ"),
])
def test_people_newspapers_and_ideas_are_not_provinces(lang, sentence):
    assert provinces(sentence, lang) == []


@pytest.mark.parametrize("lang,sentence", [
    ("de", "Die Zeitung und der Radio- und Fernsehsender Kon Tum veröffentlichen den Wortlaut des Beschlusses."),
    ("de", "Wie der Rundfunksender Nghe An berichtete, wurde die Sitzung am Morgen eröffnet."),
    ("de", "Laut dem Fernsehen Quang Ninh dauerte die Sitzung zwei Tage."),
    ("fr", "Selon la Radio-Télévision de Kon Tum, la session a duré deux jours."),
    ("fr", "Le journal et la radio-télévision de Kon Tum publient le texte intégral du règlement."),
    ("fr", "Nghe An TV a diffusé la séance en direct."),
    ("en", "According to Kon Tum Radio and Television Station, the session lasted two days."),
    ("en", "Nghe An TV broadcast the session live."),
    ("vi", "Đài Phát thanh và Truyền hình Kon Tum đưa tin về kỳ họp."),
    ("vi", "Báo và Phát thanh, Truyền hình Kon Tum trân trọng giới thiệu toàn văn Nghị quyết."),
])
def test_a_broadcasters_name_is_no_province(lang, sentence):
    # (gold/README.md: a province named only inside a media outlet's name does not count)
    assert provinces(sentence, lang) == []


@pytest.mark.parametrize("lang,sentence,expected", [
    ("de", "Das Fernsehen berichtete live aus der Provinz Kon Tum.", "Kon Tum"),
    ("de", "Der Sender zeigte den Vorsitzenden des Volkskomitees von Kon Tum.", "Kon Tum"),
    ("fr", "La télévision de la province de Kon Tum a retransmis la session.", "Kon Tum"),
    ("fr", "La radio a interrogé le président du Comité populaire de Kon Tum.", "Kon Tum"),
    ("en", "Vietnam Television broadcast live from Kon Tum province.", "Kon Tum"),
    ("en", "The radio station interviewed the Chairman of the Kon Tum People's Committee.", "Kon Tum"),
    ("vi", "Đài Truyền hình Việt Nam đưa tin trực tiếp từ tỉnh Kon Tum.", "Kon Tum"),
])
def test_a_province_near_a_broadcaster_is_still_a_province(lang, sentence, expected):
    # The province as a place or as an organisation's territory still counts.
    assert [name for name, _ in provinces(sentence, lang)] == [expected]


def test_fact_fields_carry_codes_and_merger():
    article = make_article("la province de Bac Giang et la province de Hoa Binh")
    hits = {h.key: h.fields for h in EXTRACTOR.find(article)}
    assert hits["Bac Giang"] == {"name_vi": "Bắc Giang", "code": "24", "merged_into": "Bac Ninh", "merged_into_code": "24"}
    assert hits["Hoa Binh"]["merged_into"] == "Phu Tho" and hits["Hoa Binh"]["code"] == "17"


def test_gazetteer_has_63_old_and_34_new_units():
    rows = read_rows("provinces.jsonl")
    old = [r for r in rows if r["era"] == "old"]
    new = [r for r in rows if r["era"] == "new"]
    assert len(old) == 63 and len(new) == 34
    assert {r["merged_into"] for r in old} == {r["name"] for r in new}
    assert sum(len(r["merged_from"]) for r in new) == 63


def test_every_province_matches_its_own_names():
    for row in read_rows("provinces.jsonl"):
        if row["era"] != "old":
            continue
        for variant in row["variants"]:
            found = provinces(f"la province de {variant} a annoncé", "fr")
            assert found and found[0][0] == row["name"], variant


def test_gazetteer_file_is_up_to_date():
    """patterns/provinces.jsonl is generated: regenerating must give the same bytes."""
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "build_gazetteer.py"), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_longest_matches_keeps_what_spacy_filter_spans_keeps():
    import random

    from spacy.util import filter_spans

    import spacy

    from pipeline.tokens import longest_matches

    doc = spacy.blank("xx")(" ".join(["w"] * 40))          # token i is the character 2i
    rng = random.Random(3)
    for _ in range(2000):
        matches = [(i, s, s + rng.randint(1, 5)) for i, s in enumerate(rng.randint(0, 34) for _ in range(rng.randint(0, 8)))]
        spans = [doc[s:e] for _, s, e in matches]
        expected = [(span.start_char, span.end_char) for span in filter_spans(spans)]
        in_characters = [(i, 2 * s, 2 * e - 1, e - s) for i, s, e in matches]
        assert [(s, e) for _, s, e, _ in longest_matches(in_characters)] == expected, matches


# -- cities, districts and look-alike names (issue 11) --

@pytest.mark.parametrize("lang,sentence,expected", [
    ("vi", "Đoàn công tác làm việc với thành phố Hà Nội, TP Đà Nẵng và thành phố Huế.",
     [("Ha Noi", "thành phố Hà Nội"), ("Da Nang", "Đà Nẵng"), ("Thua Thien Hue", "thành phố Huế")]),
    ("vi", "Giá nhà ở TP. HCM, TPHCM và Sài Gòn tiếp tục tăng.",
     [("Ho Chi Minh", "TP. HCM"), ("Ho Chi Minh", "TPHCM"), ("Ho Chi Minh", "Sài Gòn")]),
    ("fr", "Le festival se tient dans la ville de Hué puis à Saigon.", [("Thua Thien Hue", "ville de Hué"), ("Ho Chi Minh", "Saigon")]),
    ("fr", "Les délégués de Hô-Chi-Minh-Ville et de la ville de Hanoï", [("Ho Chi Minh", "Hô-Chi-Minh-Ville"), ("Ha Noi", "Hanoï")]),
    ("de", "Die Delegation reiste nach Ho-Chi-Minh -Stadt und in die Stadt Hai Phong.",
     [("Ho Chi Minh", "Ho-Chi-Minh"), ("Hai Phong", "Hai Phong")]),
    ("en", "HCM City and Can Tho city signed the deal in a Hanoi district.",
     [("Ho Chi Minh", "HCM City"), ("Can Tho", "Can Tho city"), ("Ha Noi", "Hanoi")]),
    ("vi", "Tỉnh Điện Biên đông dân tộc thiểu số.", [("Dien Bien", "Điện Biên")]),
    ("vi", "Người dân tỉnh Hòa Bình và tỉnh Hoà Bình", [("Hoa Binh", "Hòa Bình"), ("Hoa Binh", "Hoà Bình")]),
])
def test_cities_that_are_provinces(lang, sentence, expected):
    assert provinces(sentence, lang) == expected


@pytest.mark.parametrize("lang,sentence", [
    ("vi", "Lũ quét ở huyện Điện Biên Đông và huyện Đức Huệ."),
    ("vi", "Ủy ban nhân dân phường Hòa Bình và xã Thái Bình họp."),
    ("vi", "Kỷ niệm chiến thắng Điện Biên Phủ."),
    ("vi", "Theo báo Sài Gòn Giải Phóng, hội nghị đã thành công."),
    ("fr", "Le district de Duc Hue et la commune de Hoa Binh ont été inondés."),
    ("fr", "Le camarade Truong Hoa Binh a salué Vuong Dinh Huê."),
    ("fr", "le président Hô-Chi-Minh et l'Académie nationale de politique Hô Chi Minh"),
    ("de", "Im Bezirk Rach Gia und in der Stadt Ha Long, dann im Bezirk Dien Bien."),
    ("de", "Ho Chi Minhs Ideen leiten die Partei."),
    ("en", "The Dien Bien Phu victory and Dien Bien district were celebrated."),
    ("en", "The Ho Chi Minh Communist Youth Union and the Saigon Giai Phong newspaper reported."),
    ("en", "Vietnam's hue of red."),
])
def test_districts_people_and_institutions_named_like_provinces(lang, sentence):
    assert provinces(sentence, lang) == []


@pytest.mark.parametrize("lang,sentence", [
    ("vi", "Hội nghị tại thành phố Bắc Giang và TP Thái Nguyên."),
    ("fr", "le Comité du Parti de la ville de Bac Giang"),
    ("de", "die Stadt Thai Nguyen"),
    ("en", "Bac Giang city and the city of Thai Nguyen"),
])
def test_the_provincial_capital_named_like_its_province_is_not_the_province(lang, sentence):
    """Decision (docs/provinces.md): `thành phố Bắc Giang` is the city, a district-level unit inside
    the province; like Ha Long or Bien Hoa it is not the province. Centrally-run cities are the exception."""
    assert provinces(sentence, lang) == []


def test_province_and_its_capital_in_one_article_give_the_province_once():
    assert provinces("Tỉnh Bắc Giang và thành phố Bắc Giang", "vi") == [("Bac Giang", "Bắc Giang")]


@pytest.mark.parametrize("written,spelled,fits", [
    ("hué", "huế", True), ("huê", "huế", True), ("hue", "huế", True), ("huế", "huế", True),
    ("huệ", "huế", False), ("hoà", "hòa", True), ("đăk", "đắk", True), ("dông", "đồng", True),
    ("hỏa", "hòa", False), ("hơa", "hòa", False), ("ngải", "ngãi", True), ("huê", "huệ", True), ("huệ", "huê", False),
])
def test_written_marks_fit_a_spelling_only_by_leaving_marks_out(written, spelled, fits):
    from pipeline.extract.provinces import _marks, marks_fit

    assert marks_fit(_marks(written), _marks(spelled)) is fits


def test_every_centrally_run_city_is_found_after_a_city_cue():
    for row in read_rows("provinces.jsonl"):
        if row["era"] == "old" and row["centrally_run"]:
            assert provinces(f"thành phố {row['name_vi']} công bố", "vi")[0][0] == row["name"]
            assert provinces(f"la ville de {row['name']} a annoncé", "fr")[0][0] == row["name"]


def test_a_context_file_with_an_unknown_key_is_refused(patterns_copy):
    from pipeline.patterns import PatternError

    (patterns_copy / "fr" / "provinces.json").write_text('{"city_befor": ["ville de"]}')
    with pytest.raises(PatternError, match="fr/provinces.json: unknown key.*city_befor"):
        ProvincesExtractor()
