"""Officials: people tied to a post, in French, German, English and Vietnamese news."""
import json
from pathlib import Path

import pytest
import regex
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from pipeline.extract.names import word_chars_agree
from pipeline.extract.officials import OfficialsExtractor
from pipeline.extract.provinces import ProvincesExtractor
from pipeline.facts import group_hits
from pipeline.patterns import language_codes, patterns_dir, read_rows
from pipeline.text import fold, mask
from tests.helpers import make_article

EXTRACTOR = OfficialsExtractor()
ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT.parent / "shared" / "gold" / "seeds.jsonl"


def province_facts(text, provinces):
    """Hand-made province facts: {"written form": "canonical name"} -> facts with mentions."""
    facts = []
    for written, name in provinces.items():
        mentions = [{"start": m.start(), "end": m.end(), "text": m.group(), "rule": "test"}
                    for m in regex.finditer(regex.escape(written), text)]
        assert mentions, f"{written!r} is not in the test sentence"
        facts.append({"name": name, "mentions": mentions})
    return facts


def officials(text, lang, provinces=None, facts=None):
    facts = dict(facts or {})
    if provinces:
        facts["provinces"] = province_facts(text, provinces)
    article = make_article(text, lang, facts=facts)
    result = group_hits(EXTRACTOR.find(article), text, "name", EXTRACTOR.merge)
    for fact in result:
        assert fact["key"] == fact["name"].lower()
        for mention in fact["mentions"]:
            assert text[mention["start"]:mention["end"]] == mention["text"]
            assert mention["rule"].startswith(f"officials.{lang}.")
    return result


def summary(result):
    """name -> (posts, post_types, province, mention texts)"""
    return {f["name"]: (f["posts"], f["post_types"], f["province"], [m["text"] for m in f["mentions"]])
            for f in result}


# -- news sentences, four languages -----------------------------------------

CASES = [
    # French (machine-translated Vietnamese news style)
    ("fr", "Le Premier ministre Pham Minh Chinh a présidé vendredi la réunion ordinaire du gouvernement.", {},
     {"Pham Minh Chinh": (["Premier ministre"], ["prime_minister"], None, ["Pham Minh Chinh"])}),
    ("fr", "Lors de la séance, le secrétaire du Comité provincial du Parti de Quang Ninh, Vu Dai Thang, "
           "a présenté le rapport politique.", {"Quang Ninh": "Quang Ninh"},
     {"Vu Dai Thang": (["secrétaire du Comité provincial du Parti de Quang Ninh"], ["secretary"], "Quang Ninh",
                       ["Vu Dai Thang"])}),
    ("fr", "La secrétaire adjointe permanente du Comité provincial du Parti et présidente du Conseil populaire "
           "provincial, Nguyen Thi Thu Ha, a pris la parole.", {},
     {"Nguyen Thi Thu Ha": (["secrétaire adjointe permanente du Comité provincial du Parti",
                             "présidente du Conseil populaire provincial"],
                            ["permanent_deputy_secretary", "chair_peoples_council"], None, ["Nguyen Thi Thu Ha"])}),
    ("fr", "Camarades : Tran Cam Tu, membre du Politburo, membre permanent du Secrétariat ; Le Minh Hung, "
           "secrétaire du Comité central du Parti, chef de la Commission centrale d'organisation, ont coprésidé "
           "la conférence.", {},
     {"Tran Cam Tu": (["membre du Politburo", "membre permanent du Secrétariat"],
                      ["politburo_member", "standing_secretariat_member"], None, ["Tran Cam Tu"]),
      "Le Minh Hung": (["secrétaire du Comité central du Parti", "chef de la Commission centrale d'organisation"],
                       ["secretariat_member", "head_of_commission"], None, ["Le Minh Hung"])}),
    ("fr", "Le président de l'Assemblée nationale Trân Thanh Mân a reçu une délégation de la province.", {},
     {"Tran Thanh Man": (["président de l'Assemblée nationale"], ["na_chair"], None, ["Trân Thanh Mân"])}),
    ("fr", "Le vice-président du Comité populaire provincial de Lai Chau, Ha Trong Hai, et le directeur du "
           "Département de la Santé, Lo Van Tien, ont inspecté le chantier.", {"Lai Chau": "Lai Chau"},
     {"Ha Trong Hai": (["vice-président du Comité populaire provincial de Lai Chau"],
                       ["vice_chair_peoples_committee"], "Lai Chau", ["Ha Trong Hai"]),
      "Lo Van Tien": (["directeur du Département de la Santé"], ["director"], None, ["Lo Van Tien"])}),
    ("fr", "Secrétaire provinciale du Parti - Présidente du Conseil populaire provincial Dang Thi Ngoc Thinh ; "
           "le président de l'Académie nationale de politique Hô Chi Minh, Nguyen Xuan Thang, était présent.", {},
     {"Dang Thi Ngoc Thinh": (["Secrétaire provinciale du Parti", "Présidente du Conseil populaire provincial"],
                              ["secretary", "chair_peoples_council"], None, ["Dang Thi Ngoc Thinh"]),
      "Nguyen Xuan Thang": (["président de l'Académie nationale de politique Hô Chi Minh"], ["chair"], None,
                            ["Nguyen Xuan Thang"])}),
    ("fr", "Participaient à la réunion les vice-Premiers ministres Tran Hong Ha et Le Thanh Long, ainsi que "
           "l'ancien ministre de l'Intérieur Pham Thi Thanh Tra.", {},
     {"Tran Hong Ha": (["vice-Premiers ministres"], ["deputy_prime_minister"], None, ["Tran Hong Ha"]),
      "Le Thanh Long": (["vice-Premiers ministres"], ["deputy_prime_minister"], None, ["Le Thanh Long"]),
      "Pham Thi Thanh Tra": (["ancien ministre de l'Intérieur"], ["minister"], None, ["Pham Thi Thanh Tra"])}),
    # German
    ("de", "Generalsekretär To Lam empfing am Montag eine Delegation aus Laos.", {},
     {"To Lam": (["Generalsekretär"], ["general_secretary"], None, ["To Lam"])}),
    ("de", "Der Sekretär des Provinzparteikomitees von Phu Tho, Dang Xuan Phong, leitete die Konferenz.",
     {"Phu Tho": "Phu Tho"},
     {"Dang Xuan Phong": (["Sekretär des Provinzparteikomitees von Phu Tho"], ["secretary"], "Phu Tho",
                          ["Dang Xuan Phong"])}),
    ("de", "Genossin Nguyen Thi Huong, ständige stellvertretende Sekretärin des Provinzparteikomitees und "
           "Vorsitzende des Provinzvolksrates, moderierte die Diskussion.", {},
     {"Nguyen Thi Huong": (["ständige stellvertretende Sekretärin des Provinzparteikomitees",
                            "Vorsitzende des Provinzvolksrates"],
                           ["permanent_deputy_secretary", "chair_peoples_council"], None, ["Nguyen Thi Huong"])}),
    ("de", "Anwesend waren die Genossen: Tran Cam Tu, Mitglied des Politbüros, Ständiges Mitglied des "
           "Sekretariats; Le Minh Hung, Sekretär des Zentralkomitees der Partei, Leiter der Zentralen "
           "Organisationskommission.", {},
     {"Tran Cam Tu": (["Mitglied des Politbüros", "Ständiges Mitglied des Sekretariats"],
                      ["politburo_member", "standing_secretariat_member"], None, ["Tran Cam Tu"]),
      "Le Minh Hung": (["Sekretär des Zentralkomitees der Partei", "Leiter der Zentralen Organisationskommission"],
                       ["secretariat_member", "head_of_commission"], None, ["Le Minh Hung"])}),
    ("de", "Premierminister Pham Minh Chinh und der stellvertretende Premierminister Tran Hong Ha besuchten "
           "die Baustelle.", {},
     {"Pham Minh Chinh": (["Premierminister"], ["prime_minister"], None, ["Pham Minh Chinh"]),
      "Tran Hong Ha": (["stellvertretende Premierminister"], ["deputy_prime_minister"], None, ["Tran Hong Ha"])}),
    ("de", "Der stellvertretende Vorsitzende des Volkskomitees der Provinz Bac Giang, Nguyen Van Tuan, sprach "
           "in Ho-Chi-Minh-Stadt.", {"Bac Giang": "Bac Giang"},
     {"Nguyen Van Tuan": (["stellvertretende Vorsitzende des Volkskomitees der Provinz Bac Giang"],
                          ["vice_chair_peoples_committee"], "Bac Giang", ["Nguyen Van Tuan"])}),
    ("de", "Genosse Ha Van Son, ehemaliger Vorsitzender des Volkskomitees der Provinz, und Außenminister "
           "Bui Thanh Son nahmen an der Zeremonie teil.", {},
     {"Ha Van Son": (["ehemaliger Vorsitzender des Volkskomitees der Provinz"], ["chair_peoples_committee"], None,
                     ["Ha Van Son"]),
      "Bui Thanh Son": (["Außenminister"], ["minister"], None, ["Bui Thanh Son"])}),
    # English
    ("en", "Prime Minister Pham Minh Chinh on Tuesday chaired a Government meeting in Ha Noi.", {},
     {"Pham Minh Chinh": (["Prime Minister"], ["prime_minister"], None, ["Pham Minh Chinh"])}),
    ("en", "Lai Chau Provincial Party Secretary Le Minh Ngan said the province had finished the merger.",
     {"Lai Chau": "Lai Chau"},
     {"Le Minh Ngan": (["Provincial Party Secretary"], ["secretary"], "Lai Chau", ["Le Minh Ngan"])}),
    ("en", "Attending the event were Politburo member and Permanent Member of the Secretariat Tran Cam Tu, "
           "and Deputy Prime Minister Tran Hong Ha.", {},
     {"Tran Cam Tu": (["Politburo member", "Permanent Member of the Secretariat"],
                      ["politburo_member", "standing_secretariat_member"], None, ["Tran Cam Tu"]),
      "Tran Hong Ha": (["Deputy Prime Minister"], ["deputy_prime_minister"], None, ["Tran Hong Ha"])}),
    ("en", "Nguyen Van Gau, member of the Party Central Committee and Secretary of the Bac Giang Provincial "
           "Party Committee, chaired the conference. Mr. Gau asked localities to speed up the work.",
     {"Bac Giang": "Bac Giang"},
     {"Nguyen Van Gau": (["member of the Party Central Committee",
                          "Secretary of the Bac Giang Provincial Party Committee"],
                         ["central_committee_member", "secretary"], "Bac Giang", ["Nguyen Van Gau", "Gau"])}),
    ("en", "Chairwoman of the Provincial People's Council Hồ Thị Hoàng Yến opened the session on June 3.", {},
     {"Ho Thi Hoang Yen": (["Chairwoman of the Provincial People's Council"], ["chair_peoples_council"], None,
                           ["Hồ Thị Hoàng Yến"])}),
    ("en", "Vice Chairman of the Ha Noi People's Committee Ha Minh Hai inspected the Ring Road 4 project.",
     {"Ha Noi": "Ha Noi"},
     {"Ha Minh Hai": (["Vice Chairman of the Ha Noi People's Committee"], ["vice_chair"], "Ha Noi",
                      ["Ha Minh Hai"])}),
    ("en", "Party General Secretary To Lam met voters in Ha Noi. General Secretary Lam said the reform must "
           "go on.", {},
     {"To Lam": (["Party General Secretary"], ["general_secretary"], None, ["To Lam", "Lam"])}),
    ("en", "Deputy Prime Ministers Tran Hong Ha and Le Thanh Long, and former Minister of Home Affairs "
           "Pham Thi Thanh Tra attended the ceremony.", {},
     {"Tran Hong Ha": (["Deputy Prime Ministers"], ["deputy_prime_minister"], None, ["Tran Hong Ha"]),
      "Le Thanh Long": (["Deputy Prime Ministers"], ["deputy_prime_minister"], None, ["Le Thanh Long"]),
      "Pham Thi Thanh Tra": (["former Minister of Home Affairs"], ["minister"], None, ["Pham Thi Thanh Tra"])}),
    # Vietnamese
    ("vi", "Bí thư Tỉnh ủy Đặng Xuân Phong phát biểu chỉ đạo hội nghị.", {},
     {"Dang Xuan Phong": (["Bí thư Tỉnh ủy"], ["secretary"], None, ["Đặng Xuân Phong"])}),
    ("vi", "Đồng chí Nguyễn Văn Gấu, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy Bắc Giang chủ trì hội nghị.",
     {"Bắc Giang": "Bac Giang"},
     {"Nguyen Van Gau": (["Ủy viên Trung ương Đảng", "Bí thư Tỉnh ủy Bắc Giang"],
                         ["central_committee_member", "secretary"], "Bac Giang", ["Nguyễn Văn Gấu"])}),
    ("vi", "Tổng Bí thư Tô Lâm, Chủ tịch nước Lương Cường và Thủ tướng Chính phủ Phạm Minh Chính dâng hương.", {},
     {"To Lam": (["Tổng Bí thư"], ["general_secretary"], None, ["Tô Lâm"]),
      "Luong Cuong": (["Chủ tịch nước"], ["state_president"], None, ["Lương Cường"]),
      "Pham Minh Chinh": (["Thủ tướng Chính phủ"], ["prime_minister"], None, ["Phạm Minh Chính"])}),
    ("vi", "Phó Chủ tịch UBND tỉnh Hà Tĩnh Nguyễn Hồng Lĩnh cho biết tỉnh đã hoàn thành kế hoạch.",
     {"Hà Tĩnh": "Ha Tinh"},
     {"Nguyen Hong Linh": (["Phó Chủ tịch UBND tỉnh Hà Tĩnh"], ["vice_chair_peoples_committee"], "Ha Tinh",
                           ["Nguyễn Hồng Lĩnh"])}),
    ("vi", "Dự hội nghị có các đồng chí: Trần Cẩm Tú, Ủy viên Bộ Chính trị, Thường trực Ban Bí thư; "
           "Hồ Thị Hoàng Yến, Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh.", {},
     {"Tran Cam Tu": (["Ủy viên Bộ Chính trị", "Thường trực Ban Bí thư"],
                      ["politburo_member", "standing_secretariat_member"], None, ["Trần Cẩm Tú"]),
      "Ho Thi Hoang Yen": (["Bí thư Tỉnh ủy", "Chủ tịch HĐND tỉnh"], ["secretary", "chair_peoples_council"], None,
                           ["Hồ Thị Hoàng Yến"])}),
    ("vi", "Phó Bí thư Thường trực Tỉnh ủy Vũ Mạnh Hà làm việc với Bí thư Tỉnh Đoàn Nguyễn Thị Lan.", {},
     {"Vu Manh Ha": (["Phó Bí thư Thường trực Tỉnh ủy"], ["permanent_deputy_secretary"], None, ["Vũ Mạnh Hà"]),
      "Nguyen Thi Lan": (["Bí thư Tỉnh Đoàn"], ["secretary"], None, ["Nguyễn Thị Lan"])}),
    ("vi", "Chủ tịch UBND TP Hồ Chí Minh Phan Văn Mãi phát biểu. Ông Mãi nhấn mạnh yêu cầu cải cách.",
     {"TP Hồ Chí Minh": "Ho Chi Minh"},
     {"Phan Van Mai": (["Chủ tịch UBND TP Hồ Chí Minh"], ["chair_peoples_committee"], "Ho Chi Minh",
                       ["Phan Văn Mãi", "Mãi"])}),
    ("vi", "Dự lễ có các Phó Thủ tướng Trần Hồng Hà, Lê Thành Long và nguyên Chủ tịch nước Nguyễn Minh Triết.", {},
     {"Tran Hong Ha": (["Phó Thủ tướng"], ["deputy_prime_minister"], None, ["Trần Hồng Hà"]),
      "Le Thanh Long": (["Phó Thủ tướng"], ["deputy_prime_minister"], None, ["Lê Thành Long"]),
      "Nguyen Minh Triet": (["nguyên Chủ tịch nước"], ["state_president"], None, ["Nguyễn Minh Triết"])}),
]


@pytest.mark.parametrize("lang,text,provinces,expected", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_officials_in_news_sentences(lang, text, provinces, expected):
    assert summary(officials(text, lang, provinces)) == expected


def test_every_language_has_at_least_six_sentences():
    for lang in language_codes():
        assert sum(1 for case in CASES if case[0] == lang) >= 6


# -- how each mention was found ----------------------------------------------

def test_rules_name_the_link():
    text = ("Le camarade Le Hoai Trung, secrétaire du Comité central du Parti, chef du Bureau du Comité central "
            "du Parti, a présidé la séance. Le secrétaire du Comité provincial du Parti, Nguyen Phi Long, a pris "
            "la parole. Le camarade Le Hoai Trung a suggéré des mesures ; le camarade Long a approuvé.")
    rules = {(m["text"], m["rule"]) for f in officials(text, "fr") for m in f["mentions"]}
    assert rules == {("Le Hoai Trung", "officials.fr.apposition"),
                     ("Nguyen Phi Long", "officials.fr.title_before_name"),
                     ("Le Hoai Trung", "officials.fr.address"),
                     ("Long", "officials.fr.short_reference")}


def test_posts_on_both_sides_of_a_name_are_kept():
    text = ("Le secrétaire du Comité provincial du Parti, Nguyen Van Son, membre du Comité central du Parti, "
            "a pris la parole.")
    assert summary(officials(text, "fr")) == {"Nguyen Van Son": (
        ["secrétaire du Comité provincial du Parti", "membre du Comité central du Parti"],
        ["secretary", "central_committee_member"], None, ["Nguyen Van Son"])}


def test_title_after_a_name_and_before_the_next_goes_to_the_next():
    result = summary(officials("Tổng Bí thư Tô Lâm, Chủ tịch nước Lương Cường dự lễ.", "vi"))
    assert result["To Lam"][0] == ["Tổng Bí thư"]
    assert result["Luong Cuong"][0] == ["Chủ tịch nước"]


# -- short references ----------------------------------------------------------

@pytest.mark.parametrize("lang,text,name,short", [
    ("fr", "Le camarade Nguyen Van Gau, secrétaire du Comité provincial du Parti, a présidé. Selon le camarade "
           "Gau, la fusion sera achevée.", "Nguyen Van Gau", "Gau"),
    ("de", "Generalsekretär To Lam traf die Delegation. Genosse Lam betonte die Zusammenarbeit.", "To Lam", "Lam"),
    ("en", "Provincial Party Secretary Nguyen Van Gau spoke first. Mr. Gau then answered questions.",
     "Nguyen Van Gau", "Gau"),
    ("vi", "Bí thư Tỉnh ủy Nguyễn Văn Gấu chủ trì. Ông Gấu yêu cầu các sở khẩn trương.", "Nguyen Van Gau", "Gấu"),
    ("fr", "La secrétaire provinciale du Parti, Ho Thi Hoang Yen, a ouvert la séance. Mme Hoang Yen a "
           "conclu.", "Ho Thi Hoang Yen", "Hoang Yen"),
])
def test_short_references_attach_to_the_full_name(lang, text, name, short):
    result = officials(text, lang)
    assert [f["name"] for f in result] == [name]
    mentions = result[0]["mentions"]
    assert [m["text"] for m in mentions][-1] == short
    assert mentions[-1]["rule"] == f"officials.{lang}.short_reference"


@pytest.mark.parametrize("lang,text", [
    ("fr", "Le camarade Gau a présidé la conférence."),
    ("en", "General Secretary Lam visited the province."),
    ("de", "Genosse Lam betonte die Zusammenarbeit mit dem Provinzparteikomitee."),
])
def test_a_short_reference_alone_creates_no_official(lang, text):
    assert officials(text, lang) == []


def test_a_short_reference_adds_a_mention_not_a_post():
    text = ("Le Hoai Trung, Secretary of the Party Central Committee, attended. According to Minister Trung, "
            "the work is on schedule. Former Vice Chairman Vo Van Hoan also spoke.")
    result = summary(officials(text, "en"))
    assert result["Le Hoai Trung"] == (["Secretary of the Party Central Committee"], ["secretariat_member"], None,
                                       ["Le Hoai Trung", "Trung"])
    assert result["Vo Van Hoan"][:2] == (["Former Vice Chairman"], ["vice_chair"])   # bare, but "former"


def test_two_officials_sharing_a_given_name_take_the_nearest():
    text = ("Le secrétaire du Comité provincial du Parti, Nguyen Van Long, et le président du Comité populaire "
            "provincial, Tran Hoang Long, étaient présents. Le camarade Long a rappelé les objectifs.")
    result = summary(officials(text, "fr"))
    assert result["Tran Hoang Long"][3] == ["Tran Hoang Long", "Long"]
    assert result["Nguyen Van Long"][3] == ["Nguyen Van Long"]


# -- what is not an official ------------------------------------------------------

@pytest.mark.parametrize("lang,text", [
    # places and institutions named after a person
    ("fr", "La délégation a déposé des fleurs au Mausolée du Président Hô Chi Minh, puis a visité Hô Chi Minh-Ville."),
    ("fr", "Étudier et suivre l'exemple moral et la pensée de Hô Chi Minh ; l'Académie nationale de politique "
           "Hô Chi Minh a organisé un colloque."),
    ("en", "The delegation visited Ho Chi Minh City and laid wreaths at the Ho Chi Minh Mausoleum."),
    ("en", "President Ho Chi Minh's thought guides the Ho Chi Minh Communist Youth Union."),
    ("de", "Die Delegation besuchte Ho-Chi-Minh-Stadt und das Ho-Chi-Minh-Mausoleum."),
    ("vi", "Đoàn viếng Lăng Chủ tịch Hồ Chí Minh và học tập tư tưởng Hồ Chí Minh tại Thành phố Hồ Chí Minh."),
    # province names, with or without a post nearby
    ("fr", "Le Comité provincial du Parti de Hoa Binh et celui de Son La ont signé un accord de coopération."),
    ("fr", "Le secrétaire du Comité provincial du Parti de Ha Giang a présidé la réunion à Lam Dong."),
    ("en", "The Party Secretary of Cao Bang province met the Chairman of Thai Binh."),
    ("vi", "Bí thư Tỉnh ủy Lâm Đồng làm việc với Chủ tịch UBND tỉnh Hà Nam."),
    # bylines, agency tags, movements, bridges
    ("de", "Van Lang\nQuelle: https://baophutho.vn/trien-khai.htm"),
    ("fr", "NDO - Le mouvement d'émulation « Nouveau Dong Khoi » progresse, a indiqué le pont Dinh Khao."),
    ("fr", "Actualités et photos : Thu Huyen"),
    # a name without any post
    ("fr", "Nguyen Van Binh, 45 ans, agriculteur de la commune, a planté 2 hectares de café."),
    ("en", "Farmer Nguyen Van Binh said the new road had cut his travel time in half."),
    ("vi", "Ông Nguyễn Văn Bình, nông dân xã Tân Lập, cho biết năm nay được mùa."),
    # a bare generic head ("membre", "director") without the body it belongs to
    ("fr", "Nguyen Van Binh, membre de l'équipe nationale de volley-ball, a remporté la médaille d'or."),
    ("en", "Tran Thi Mai, director of a private garment company in Binh Duong, said orders rose."),
    ("en", "Minister Trung said so."),
    # the Party itself
    ("vi", "Đảng Cộng sản Việt Nam lãnh đạo Nhà nước và xã hội."),
    # offices without a named holder
    ("de", "Der Vorsitzende des Volkskomitees der Provinz hat den Plan genehmigt. Der Sekretär des "
           "Provinzparteikomitees betonte die Disziplin."),
])
def test_not_officials(lang, text):
    assert officials(text, lang) == []


def test_province_prefix_is_cut_without_province_facts():
    # The provinces extractor has not run: the place list alone separates place and person.
    result = summary(officials("Phó Chủ tịch UBND tỉnh Hà Tĩnh Nguyễn Hồng Lĩnh cho biết.", "vi"))
    assert list(result) == ["Nguyen Hong Linh"]
    assert result["Nguyen Hong Linh"][2] is None


def test_unknown_language_tries_every_language():
    article = make_article("Prime Minister Pham Minh Chinh and General Secretary To Lam met.", "und")
    assert {h.key for h in EXTRACTOR.find(article)} == {"Pham Minh Chinh", "To Lam"}


# -- the merge function -------------------------------------------------------------

def test_merge_unions_posts_and_keeps_first_province():
    old = {"name": "Nguyen Van Gau", "posts": ["secrétaire du Comité provincial du Parti"],
           "post_types": ["secretary"], "province": None}
    new = {"posts": ["Secrétaire du Comité provincial du Parti", "membre du Comité central du Parti"],
           "post_types": ["secretary", "central_committee_member"], "province": "Bac Giang"}
    merged = OfficialsExtractor.merge(old, new)
    assert merged["posts"] == ["secrétaire du Comité provincial du Parti", "membre du Comité central du Parti"]
    assert merged["post_types"] == ["secretary", "central_committee_member"]
    assert merged["province"] == "Bac Giang"
    assert OfficialsExtractor.merge(merged, {"province": "Ha Noi"})["province"] == "Bac Giang"


# -- the seed articles against the gold ----------------------------------------------

def clean_like_the_pipeline(text):
    """Mask what the clean stage masks: source lines, the byline before them, photo credits, the tail."""
    spans = [m.span() for m in regex.finditer(r"(?m)^(?:Source|Quelle|Actualités et photos)\b.*$", text)]
    spans += [m.span() for m in regex.finditer(r"(?m)^[^\n]{1,40}\n(?=(?:Source|Quelle)\s*:)", text)]
    tail = regex.search(r"(?:Comment|Kommentar) \(0\)", text)
    if tail:
        spans.append((tail.start(), len(text)))
    return mask(text, spans)


def seed_officials(path, with_provinces):
    text = path.read_text(encoding="utf-8")
    article = make_article(text, "de" if path.name.startswith("003") else "fr")
    article.masked = clean_like_the_pipeline(text)
    article.folded = fold(article.masked)
    article.tokens = make_article(article.masked).tokens      # tokens of the masked, folded text
    if with_provinces:
        article.facts["provinces"] = group_hits(ProvincesExtractor().find(article), text, "name")
    facts = group_hits(EXTRACTOR.find(article), text, "name", EXTRACTOR.merge)
    for fact in facts:
        for mention in fact["mentions"]:
            assert text[mention["start"]:mention["end"]] == mention["text"]
    return facts


@pytest.mark.skipif(not GOLD.is_file(), reason="the shared gold is not beside the repo")
@pytest.mark.parametrize("with_provinces", [True, False], ids=["with-provinces", "without-provinces"])
def test_seed_articles_match_gold(with_provinces):
    gold = {json.loads(line)["doc_id"]: json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()}
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        names = sorted(f["name"] for f in seed_officials(path, with_provinces))
        assert names == sorted(gold[path.stem]["officials"]), path.stem


def test_seed_posts_and_provinces():
    facts = {f["name"]: f for f in seed_officials(ROOT / "corpus" / "001_f0064d498465057f.txt", True)}
    assert facts["Nguyen Phi Long"]["posts"] == ["secrétaire du Comité provincial du Parti de Hoa Binh"]
    assert facts["Nguyen Phi Long"]["province"] == "Hoa Binh"
    facts = {f["name"]: f for f in seed_officials(ROOT / "corpus" / "002_75d16ee19731c4f2.txt", True)}
    assert facts["Nguyen Viet Oanh"]["post_types"] == ["deputy_secretary", "chair_peoples_committee"]
    assert [m["text"] for m in facts["Nguyen Thi Huong"]["mentions"]] == ["Nguyen Thi Huong"] * 2


# -- the pattern files ----------------------------------------------------------------

def test_title_rows_are_well_formed():
    for lang in language_codes():
        rows = read_rows(f"{lang}/titles.jsonl")
        assert len(rows) >= 20, lang
        for row in rows:
            assert row["label"] == "POST"
            assert regex.fullmatch(r"[a-z_]+", row["id"]), row


def test_no_pattern_names_a_seed_person():
    if not GOLD.is_file():
        pytest.skip("the shared gold is not beside the repo")
    people = {fold(name).lower() for line in GOLD.read_text(encoding="utf-8").splitlines()
              for name in json.loads(line)["officials"] + json.loads(line)["authors"]}
    files = [patterns_dir() / "names" / "places.txt", patterns_dir() / "names" / "surnames.txt"]
    files += [patterns_dir() / lang / name for lang in language_codes() for name in ("titles.jsonl", "officials.json")]
    for path in files:
        content = fold(path.read_text(encoding="utf-8")).lower()
        for person in people:
            assert person not in content, (person, path)


# -- robustness -------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("NguyễnVăn Gấu,;:.-'’ \nTrầnLêHồThịBíthưsecrétairedu Comité")),
               max_size=200),
       st.sampled_from(list(language_codes()) + ["und"]))
def test_never_crashes_and_offsets_slice(text, lang):
    article = make_article(text, lang)
    for hit in EXTRACTOR.find(article):
        assert 0 <= hit.start < hit.end <= len(text)
        assert fold(text[hit.start:hit.end]).split()[0] == hit.key.split()[0] or hit.rule.endswith("short_reference")


# Syllables, blanks, hyphens and characters on which the `re` and `regex`
# modules disagree about \w ("²", a combining acute accent).
_RUN_PIECES = ["Nguyen", "Van", "Gau", "Ba", "Ho", "Chi", "Minh", "Hanoi", "Comite", "Le", "A", "Y", "Ngh", "Ville",
               "nguyen", "x", "1", "_", "-", " ", " ", "\u00a0", "\t", ".", ",", "'", "é", "ß", "²", "\u0301", "\n"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_RUN_PIECES), max_size=40))
def test_runs_match_the_reference_pattern(pieces):
    # The runs are found with the `re` module when it can (faster): always the
    # same ones as the `regex` pattern.
    text = "".join(pieces)
    article = make_article(text, "vi")
    assert EXTRACTOR.shape.runs(article.folded) == [m.span() for m in EXTRACTOR.shape.run_re.finditer(article.folded)]


_CAPS_PIECES = _RUN_PIECES + ["NGUYEN", "VAN", "TP", "UBND", "BLIM", "HO", "Ho", "Chi", "A", "Y", "Kdam", "Mah"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_CAPS_PIECES), max_size=40))
def test_name_runs_are_the_same_with_either_regex_module(pieces):
    # name_runs searches with `re` (faster) unless the text holds a character whose
    # \w differs between the modules; the `regex` pattern must find the same runs.
    folded = make_article("".join(pieces), "vi").folded
    shape = EXTRACTOR.shape
    assume(word_chars_agree(folded))
    with_regex = [m for m in shape.name_run_re.finditer(folded)]
    with_re = [m for m in shape.name_run_re_fast.finditer(folded)]
    assert [(m.span(), m["caps"], m["hyphen"]) for m in with_re] == [(m.span(), m["caps"], m["hyphen"]) for m in with_regex]


@pytest.mark.parametrize("text,runs", [
    ("ông NGUYEN VAN A phát biểu", ["NGUYEN VAN A"]),                 # a name in capitals
    ("Y BLIM NIE đến dự", ["Y BLIM NIE"]),                            # capitals first: one run, not "Y" + "BLIM NIE"
    ("bà Nguyen A A đến", ["Nguyen A A"]),                           # capitals inside a capitalised run are that run's
    ("TP Ho Chi Minh", ["Ho Chi Minh"]),                             # an abbreviation does not swallow the name
    ("UBND TP. HANOI", []),                                          # upper-case words with no two name syllables
    ("Le Van-Ville", []),                                            # a run glued to a hyphen is no name
])
def test_name_runs_of_each_kind(text, runs):
    folded = make_article(text, "vi").folded
    assert [folded[s:e] for s, e in EXTRACTOR.shape.name_runs(folded)] == runs


@pytest.mark.parametrize("word,find,count", [
    ("Ba", lambda folded: EXTRACTOR.shape.runs(folded), 0),
    ("Ba", lambda folded: EXTRACTOR.shape.name_runs(folded), 0),
    ("BA", lambda folded: EXTRACTOR.shape.name_runs(folded), 1),     # in capitals: one run, less the glued word
], ids=["runs", "name_runs", "name_runs-capitals"])
def test_a_long_run_glued_to_a_hyphen_costs_linear_time(word, find, count):
    # Each syllable of a run glued to a hyphen must not be tried again as the
    # start of a run (quadratic; the `re` module has no timeout). Compared
    # within one run: four times the syllables, about four times the time.
    import time

    def cost(n):
        folded = make_article(f"{word} " * n + f"{word}-Ville.", "vi").folded
        best = float("inf")
        for _ in range(5):      # CPU time, the best of five: other processes on the machine count little
            started = time.process_time()
            assert len(find(folded)) == count
            best = min(best, time.process_time() - started)
        return best

    small, large = cost(4000), cost(16000)
    assert large / small < 8, f"4x the syllables cost {large / small:.1f}x the time"


# -- words_regex: simple case folding where full case folding cannot make a difference --

def test_the_multi_character_folds_are_those_of_unicode():
    """MULTI_CHARACTER_FOLDS: every case fold of one character into several that holds ASCII."""
    import sys

    from pipeline.extract.officials.pieces import MULTI_CHARACTER_FOLDS

    characters = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000]
    folds = {c.casefold() for c in characters}
    assert {f for f in folds if len(f) > 1 and any(ch.isascii() for ch in f)} == set(MULTI_CHARACTER_FOLDS)
    # The regex module's own tables (its Unicode version may be newer than Python's) fold no more.
    from regex import _regex, _regex_core
    folds = {_regex.fold_case(_regex_core.FULL_CASE_FOLDING, c) for c in characters}
    assert {f for f in folds if len(f) > 1 and any(ch.isascii() for ch in f)} <= set(MULTI_CHARACTER_FOLDS)


@pytest.mark.parametrize("phrase,simple", [
    ("ong", True), ("uy vien", True), ("m.", True), ("wurde zum", True),
    ("chu tich", False),   # a final "h" may be the start of "ẖ" (h and a combining macron below)
    ("minister", False),   # "st": "ﬆ" in a text
    ("thomas", False),     # a final "s" may be half of "ß"
    ("sur", False),        # an initial "s" may be the end of "ß"
    ("nach", False),       # "ʼn" folds to "ʼn"
    ("président", False),  # not ASCII
])
def test_which_phrases_need_full_case_folding(phrase, simple):
    from pipeline.extract.officials.pieces import simple_case_suffices

    assert simple_case_suffices(phrase) is simple


_FOLD_LETTERS = "asftilnhjwyo"
# The characters that fold into several, by what they fold into ("ss": "ß", "ẞ").
_UNFOLD = {}
for _char in "ßẞﬀﬁﬂﬃﬄﬅﬆŉǰİẖẗẘẙẚ":
    _UNFOLD.setdefault(_char.casefold(), []).append(_char)


@st.composite
def _words_and_a_text(draw):
    """Words, a context template, and a text holding one word in its context with some of its
    letters written as one character that folds into them ("ss" as "ß"), among other characters."""
    word = st.text(_FOLD_LETTERS, min_size=1, max_size=5)
    words = draw(st.lists(st.one_of(word, st.tuples(word, word).map(" ".join)), min_size=1, max_size=6))
    template = draw(st.sampled_from(["{}", "s{}", "{}s", "f{}", "{}i", "a{}\u02be", "\u02bc{}", "(?:{})\\Z"]))
    literal = template.replace("(?:{})\\Z", "{}").format(draw(st.sampled_from(words)))
    for folded, chars in _UNFOLD.items():
        if folded in literal and draw(st.booleans()):
            literal = literal.replace(folded, draw(st.sampled_from(chars)), 1)
    noise = st.text(_FOLD_LETTERS + " -" + "".join(c for cs in _UNFOLD.values() for c in cs), max_size=6)
    return words, template, draw(noise) + literal + draw(noise)


@settings(max_examples=400, deadline=None)
@given(_words_and_a_text())
@example((["so"], "s{}", "x ßo"))           # "ß" = the template's "s" + the word's "s"
@example((["io", "lo"], "f{}", "ﬁo ﬂo"))    # "ﬁ" = "f" + the word's "i"
@example((["no"], "\u02bc{}", "ŉo"))        # "ŉ" = "ʼ" + the word's "n"
@example((["oa"], "{}\u02be", "oẚ"))        # "ẚ" = the word's "a" + "ʾ"
def test_words_regex_matches_what_full_case_folding_matches(case):
    """words_regex, with its (?-f:...) runs, finds exactly what the same alternation finds with full
    case folding everywhere, forwards and backwards, also where a fold could straddle a word's edge."""
    from pipeline.extract.officials.pieces import CI, CI_BACK, words_regex

    words, template, text = case
    ours = template.format(f"(?:{words_regex(words)})")
    full = ours.replace("(?-f:", "(?:")
    for flags in (CI, CI_BACK):
        got = [m.span() for m in regex.finditer(ours, text, flags)]
        assert got == [m.span() for m in regex.finditer(full, text, flags)], (ours, text)
