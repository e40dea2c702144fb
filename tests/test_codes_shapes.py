"""Document codes shape by shape, in the four languages, each beside look-alikes that must not match;
then generated codes and generated look-alikes (hypothesis)."""
import pytest
from hypothesis import given, settings, strategies as st

from pipeline.extract.codes import CodesExtractor, canonical
from tests.helpers import make_article

EXTRACTOR = CodesExtractor()


def found(text, lang):
    article = make_article(text, lang)
    return [(h.key, text[h.start:h.end]) for h in sorted(EXTRACTOR.find(article), key=lambda h: h.start)]


def fields(text, lang="vi"):
    article = make_article(text, lang)
    (hit,) = EXTRACTOR.find(article)
    return hit.rule, hit.fields, article.warnings


# (shape, lang, sentence, codes as canonical) -- every shape the issue lists, in running news text.
CODES = [
    ("consolidated", "vi", "Văn bản hợp nhất số 01/VBHN-VPQH ngày 15/7/2025 của Văn phòng Quốc hội.", ["01/VBHN-VPQH"]),
    ("consolidated", "en", "Consolidated Document No. 05/VBHN-BTC merges the two decrees.", ["05/VBHN-BTC"]),
    ("consolidated", "fr", "le texte consolidé n° 12/VBHN-BYT du ministère de la Santé", ["12/VBHN-BYT"]),
    ("consolidated", "de", "Der konsolidierte Text Nr. 01/VBHN-VPQH fasst das Gesetz zusammen.", ["01/VBHN-VPQH"]),
    ("spaced dash", "vi", "Thông tư 04/2024/TT- BTNMT quy định kỹ thuật quan trắc.", ["04/2024/TT-BTNMT"]),
    ("spaced dash", "fr", "la décision n° 22/2020/QĐ -TTg du Premier ministre", ["22/2020/QD-TTG"]),
    ("spaced dash", "de", "die Verordnung Nr. 15/2025/NĐ - CP der Regierung", ["15/2025/ND-CP"]),
    ("spaced dash", "en", "Decision No. 1234/QĐ - UBND of the provincial People's Committee", ["1234/QD-UBND"]),
    ("old state", "vi", "Nghị định 09/CP năm 1994 và Quyết định 186/HĐBT của Hội đồng Bộ trưởng.", ["09/CP", "186/HDBT"]),
    ("old state", "vi", "Chỉ thị 299/TTg năm 1980 về công tác đo đạc.", ["299/TTG"]),
    ("old state", "fr", "l'ordre n° 10-LCT/HĐNN7 du Conseil d'État et la loi n° 37-L/CTN", ["10-LCT/HDNN7", "37-L/CTN"]),
    ("old state", "en", "Decree 64-CP of 1993 on allocating farmland and Decision 388-HĐBT.", ["64-CP", "388-HDBT"]),
    ("old state", "de", "Das Dekret Nr. 43-CP von 1996 regelte die Finanzautonomie.", ["43-CP"]),
    ("department letter", "vi", "Công văn số 684/TCT-CS của Tổng cục Thuế và 6372/TCHQ-GSQL của Tổng cục Hải quan.",
     ["684/TCT-CS", "6372/TCHQ-GSQL"]),
    ("department letter", "en", "Official Letter No. 2345/BGDĐT-GDTrH guides the new school year.", ["2345/BGDDT-GDTRH"]),
    ("department letter", "fr", "la dépêche officielle n° 1026/TTg-PL du Premier ministre", ["1026/TTG-PL"]),
    ("department letter", "de", "im Schreiben Nr. 5678/BHXH-CSXH der Sozialversicherung", ["5678/BHXH-CSXH"]),
    ("joint", "vi", "Thông tư liên tịch 141/2010/TTLT/BQP-BTP hướng dẫn thi hành án.", ["141/2010/TTLT/BQP-BTP"]),
    ("joint", "en", "Joint Resolution No. 100/2025/NQLT/UBTVQH15-CP-ĐCTUBTWMTTQVN on elections",
     ["100/2025/NQLT/UBTVQH15-CP-DCTUBTWMTTQVN"]),
    ("joint", "fr", "la circulaire conjointe n° 55/2005/TTLT-BNV-VPCP sur la forme des documents", ["55/2005/TTLT-BNV-VPCP"]),
    ("joint", "de", "das gemeinsame Rundschreiben Nr. 141/2010/TTLT/BQP-BTP zur Vollstreckung", ["141/2010/TTLT/BQP-BTP"]),
    ("trailing year", "vi", "Thông tư số 01/BXD-QLN-1996 của Bộ Xây dựng về quản lý nhà.", ["01/BXD-QLN-1996"]),
    ("trailing year", "fr", "la circulaire n° 01/BXD-QLN-1996, abrogée depuis", ["01/BXD-QLN-1996"]),
    ("trailing year", "de", "das Rundschreiben Nr. 03/BTC-TCT-1998 des Finanzministeriums", ["03/BTC-TCT-1998"]),
    ("trailing year", "en", "Circular No. 01/BXD-QLN-1996 on housing management", ["01/BXD-QLN-1996"]),
    ("number/year/issuer", "fr", "la résolution n° 202/2025/QH15 de l'Assemblée nationale", ["202/2025/QH15"]),
    ("number/year/issuer", "de", "das Gesetz Nr. 65/2025/QH15 und die Resolution Nr. 76/2025/UBTVQH15",
     ["65/2025/QH15", "76/2025/UBTVQH15"]),
    ("number/year/issuer", "vi", "Án lệ số 01/2016/AL được Hội đồng Thẩm phán thông qua.", ["01/2016/AL"]),
    ("number/year/issuer", "en", "Law No. 31/2024/QH15 on Land and Resolution No. 202/2025/QH15", ["31/2024/QH15", "202/2025/QH15"]),
    ("as written", "en", "Conclusion No. 170/KL-TW of the Politburo on the fight against corruption", ["170/KL-TW"]),
    ("as written", "vi", "Nghị quyết 57/NQ-TW về đột phá phát triển khoa học, công nghệ.", ["57/NQ-TW"]),
    ("as written", "fr", "le décret n° 1.234/QĐ-UBND de la province", ["1.234/QD-UBND"]),
    ("as written", "de", "die Schlussfolgerung Nr. 170/KL-TW des Politbüros", ["170/KL-TW"]),
    ("party", "de", "gemäß Beschluss Nr. 367 - QĐ/TWĐTN-VP des Jugendverbands", ["367-QD/TWDTN-VP"]),
    ("party", "en", "Regulation No. 08-QĐi/TW and Instruction 25-HD/BTCTW", ["08-QDI/TW", "25-HD/BTCTW"]),
    ("court", "vi", "Bản án số 12/2020/HS-ST của Tòa án nhân dân tỉnh.", ["12/2020/HS-ST"]),
]

# (kind, lang, sentence) -- look-alikes beside the shapes above: none is a document code.
NOT_CODES = [
    ("form", "vi", "Tờ khai theo Mẫu số 02/TB-XĐTMS-2015 và Mẫu 02/QĐ-XL kèm theo."),
    ("form", "fr", "remplir le formulaire n° 02/TB-XL avant le 30 juin"),
    ("form", "en", "submit Form No. 02/QĐ-XL to the department"),
    ("form", "de", "das Formular Nr. 02/TB-XĐTMS ausfüllen"),
    ("standard", "vi", "thiết kế theo TCVN 5574:2018 và QCVN 01:2021/BYT"),
    ("standard", "en", "certified to ISO 9001:2015 and QCVN 02/2009/BXD"),
    ("flight", "vi", "chuyến bay VN254/HAN-SGN cất cánh lúc 8 giờ"),
    ("flight", "en", "flight 254/HAN-SGN was delayed; VJ123/SGN-DAD landed"),
    ("flight", "fr", "le vol 254/HAN-CDG a atterri à Roissy"),
    ("flight", "de", "der Flug 254/HAN-FRA landete pünktlich"),
    ("ratio", "fr", "un ratio de 3/6 cibles et 2/3 des voix"),
    ("score", "en", "Vietnam won 3-1 and 2-0 in the group stage"),
    ("bare number", "fr", "la résolution n° 11 et le Plan 330 du Comité permanent"),
    ("bare number", "de", "mit dem Regierungserlass Nr. 178 und Nghị quyết 57"),
    ("voltage", "fr", "les postes 110 kV et 220/110 kV de Ben Tre"),
    ("url slug", "vi", "trien-khai-nghi-quyet-57-nq-tw-va-15-2025-nd-cp"),
    ("virus", "en", "the 19/SARS-CoV-2 wave and COVID-19"),
    ("prose", "de", "die Linie 2/U-Bahn und 3/UN-Habitat"),
    ("prose", "vi", "lô 12/KCN-Tân Bình, Km 12/QL-1A, phòng 302/A-B"),
    ("issuer without unit", "vi", "mã số 12/BHXH và 15/BXD"),
    ("prose after a spaced dash", "vi", "Kết luận 57-NQ/TW - Kết luận quan trọng"),
    ("date", "vi", "ngày 01-10-1997, 12/5/2025 và 2025/08/12"),
]


@pytest.mark.parametrize("shape,lang,sentence,expected", CODES, ids=[f"{c[0]}-{c[1]}" for c in CODES])
def test_code_shapes(shape, lang, sentence, expected):
    assert [key for key, _ in found(sentence, lang)] == expected


@pytest.mark.parametrize("kind,lang,sentence", NOT_CODES, ids=[f"{c[0]}-{c[1]}" for c in NOT_CODES])
def test_look_alikes(kind, lang, sentence):
    assert [key for key, _ in found(sentence, lang)] == ([] if kind != "prose after a spaced dash" else ["57-NQ/TW"])


def test_precision_and_recall_over_the_cases():
    """The issue asks for precision >= 0.98 on these cases; report both figures when it fails."""
    tp = fp = fn = 0
    for _, lang, sentence, expected in CODES:
        got = [key for key, _ in found(sentence, lang)]
        tp += len(set(got) & set(expected))
        fp += len(set(got) - set(expected))
        fn += len(set(expected) - set(got))
    for kind, lang, sentence in NOT_CODES:
        fp += len([key for key, _ in found(sentence, lang)]) - (kind == "prose after a spaced dash")
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.98 and recall >= 0.95, (precision, recall)


def test_fields_of_each_shape():
    rule, f, _ = fields("Kết luận 170/KL-TW của Bộ Chính trị")
    assert (rule, f["family"], f["type"], f["issuer"], f["issuer_label"]) == \
        ("codes.any.state", "party", "KL", "TW", "Party Central Committee")
    rule, f, _ = fields("Công văn 684/TCT-CS")
    assert (rule, f["family"], f["type"], f["issuer"], f["issuer_label"]) == \
        ("codes.any.letter", "state", None, "TCT-CS", "General Department of Taxation")
    rule, f, _ = fields("Nghị quyết 202/2025/QH15")
    assert (rule, f["year"], f["type"], f["issuer"], f["issuer_label"]) == \
        ("codes.any.issuer_only", 2025, None, "QH15", "National Assembly")
    rule, f, _ = fields("Nghị định 43-CP")
    assert (rule, f["number"], f["issuer"], f["issuer_label"]) == ("codes.any.issuer_only", "43", "CP", "Government")
    rule, f, _ = fields("Thông tư 01/BXD-QLN-1996")
    assert (rule, f["year"], f["issuer"]) == ("codes.any.letter", 1996, "BXD-QLN")
    rule, f, _ = fields("Lệnh 10-LCT/HĐNN7")
    assert (rule, f["family"], f["type"], f["issuer_label"]) == ("codes.any.party", "state", "LCT", "Council of State (until 1992)")
    rule, f, _ = fields("Sắc lệnh số 34/SL")
    assert (rule, f["type"], f["issuer"]) == ("codes.any.issuer_only", "SL", None)


def test_a_letter_cue_before_a_state_code_gives_no_warning():
    """`công văn` is also the loose word for any official paper; `Chỉ thị` before a Nghị quyết is not."""
    rule, f, warnings = fields("công văn số 17260/CT-HTr của Cục Thuế")
    assert (rule, warnings) == ("codes.any.state", [])
    rule, f, warnings = fields("theo công văn số 123/QĐ-UBND của tỉnh")
    assert (rule, f["type"], f["issuer"], warnings) == ("codes.any.state", "QD", "UBND", [])
    _, _, warnings = fields("công văn 57-NQ/TW")
    assert warnings and "57-NQ/TW" in warnings[0]


def test_a_pattern_file_with_an_unknown_key_is_refused(patterns_copy):
    import json

    from pipeline.patterns import PatternError

    path = patterns_copy / "codes.json"
    path.write_text(json.dumps(dict(json.loads(path.read_text(encoding="utf-8")), not_codes_before=["typo"])))
    with pytest.raises(PatternError, match="codes.json: unknown key.*not_codes_before"):
        CodesExtractor()
    path.write_text(json.dumps({"types": {"NQ": {"label": "resolution", "familly": ["party"]}}, "issuers": {}}))
    with pytest.raises(PatternError, match="codes.json types NQ: unknown key.*familly"):
        CodesExtractor()


# -- generated codes: every shape, as written in the press, in running text of each language --

DASHES = st.sampled_from(["-", "–", "\u2011"])
NUMBER = st.one_of(st.integers(1, 99999).map(str), st.integers(1, 9).map(lambda n: f"0{n}"))
YEAR = st.integers(1945, 2030).map(str)
PARTY_TYPES = st.sampled_from(["NQ", "QĐ", "QD", "Qđ", "CT", "KL", "HD", "KH", "TB", "BC", "CV", "QĐi", "QĐNS", "CTr", "TTr"])
STATE_TYPES = st.sampled_from(["NQ", "QĐ", "NĐ", "ND", "TT", "CT", "TTr", "KH", "BC", "CĐ", "TTLT", "NQLT", "VBHN", "L"])
PARTY_ISSUERS = st.sampled_from(["TW", "TU", "HU", "ĐU", "BCĐTW", "BTCTW", "VPTW", "UBKTTU", "TWĐTN"])
STATE_ISSUERS = st.sampled_from(["CP", "TTg", "BXD", "BTNMT", "UBND", "HĐND", "VPQH", "BQP", "BTP", "BGDĐT", "NHNN"])
UNKNOWN = st.from_regex(r"[A-ZĐ]{2,6}", fullmatch=True)  # an agency or unit nobody listed
UNITS = st.one_of(st.from_regex(r"[A-ZĐ]{2,5}[0-9]?", fullmatch=True), st.sampled_from(["GDTrH", "HTr", "KTTH"]))


@st.composite
def written_codes(draw):
    n, dash = draw(NUMBER), draw(DASHES)
    shape = draw(st.sampled_from(["party", "state", "state_year", "joint", "letter", "law", "bare", "dashed"]))
    if shape == "party":
        spaced = draw(st.sampled_from(["", " "]))
        code = f"{n}{spaced}{dash}{spaced}{draw(PARTY_TYPES)}/{draw(PARTY_ISSUERS)}"
        return code + (f"-{draw(UNITS)}" if draw(st.booleans()) else "")
    if shape in ("state", "state_year"):
        year = f"{draw(YEAR)}/" if shape == "state_year" else ""
        gap = draw(st.sampled_from([dash, dash, f" {dash} ", f"{dash} ", f" {dash}"]))
        return f"{n}/{year}{draw(STATE_TYPES)}{gap}{draw(st.one_of(STATE_ISSUERS, PARTY_ISSUERS, UNKNOWN))}"
    if shape == "joint":
        issuers = draw(st.lists(st.one_of(STATE_ISSUERS, UNKNOWN), min_size=2, max_size=4))
        sep = draw(st.sampled_from(["-", "/"]))
        return f"{n}/{draw(YEAR)}/{draw(st.sampled_from(['TTLT', 'NQLT']))}{sep}{'-'.join(issuers)}"
    if shape == "letter":
        code = f"{n}/{draw(st.one_of(STATE_ISSUERS, UNKNOWN))}-{draw(UNITS)}"
        return code + (f"-{draw(YEAR)}" if draw(st.booleans()) else "")
    if shape == "law":
        return f"{n}/{draw(YEAR)}/{draw(st.sampled_from(['QH', 'UBTVQH']))}{draw(st.integers(1, 16))}"
    if shape == "bare":
        return f"{n}/{draw(st.sampled_from(['CP', 'HĐBT', 'TTg', 'SL']))}"
    return f"{n}{dash}{draw(st.sampled_from(['CP', 'HĐBT']))}"


LEADS = {
    "fr": ["la résolution n° ", "le décret n°", "la décision ", "(", ""],
    "de": ["gemäß Beschluss Nr. ", "das Dekret Nr.", "die Richtlinie ", "("],
    "en": ["under Decision No. ", "Resolution No.", "Directive ", "("],
    "vi": ["theo Quyết định số ", "Nghị quyết số", "thực hiện ", "("],
}
TAILS = [".", ",", ")", ";", " du 12 mars 2024.", " vom 3. Juli 2025", " dated May 5, 2025", " ngày 5/6/2025", ""]


@settings(max_examples=400)
@given(code=written_codes(), lang=st.sampled_from(sorted(LEADS)), data=st.data())
def test_generated_codes_in_running_text_parse_back(code, lang, data):
    lead, tail = data.draw(st.sampled_from(LEADS[lang])), data.draw(st.sampled_from(TAILS))
    assert found(f"Les faits: {lead}{code}{tail}", lang) == [(canonical(code), code)]


IATA = st.sampled_from(["HAN", "SGN", "DAD", "CDG", "FRA", "PQC", "HUI"])


@st.composite
def look_alikes(draw):
    """Text the code patterns must leave alone: (lang, text)."""
    n, lang = draw(st.integers(1, 9999)), draw(st.sampled_from(sorted(LEADS)))
    day, month, year = draw(st.integers(1, 31)), draw(st.integers(1, 12)), draw(YEAR)
    kind = draw(st.sampled_from(["date", "ratio", "period", "standard", "form", "flight", "slug", "bare", "voltage",
                                 "prose"]))
    if kind == "date":
        sep = draw(st.sampled_from(["/", "-", "."]))
        return lang, f"le {day}{sep}{month}{sep}{year} et {year}{sep}{month}{sep}{day}"
    if kind == "ratio":
        return lang, f"{n}/{draw(st.integers(1, 99))} et {n}-{draw(st.integers(0, 9))}"
    if kind == "period":
        return lang, f"{year}-{int(year) + 5} et {year}/{int(year) + 1}"
    if kind == "standard":
        return lang, f"{draw(st.sampled_from(['TCVN', 'ISO', 'QCVN']))} {n}:{year}/{draw(STATE_ISSUERS)}"
    if kind == "form":
        cue = {"fr": "formulaire n° ", "de": "Formular Nr. ", "en": "Form No. ", "vi": "Mẫu số "}[lang]
        return lang, f"{cue}{draw(written_codes())}"
    if kind == "flight":
        cue = {"fr": "le vol ", "de": "der Flug ", "en": "flight ", "vi": "chuyến bay "}[lang]
        return lang, f"{cue}{n}/{draw(IATA)}-{draw(IATA)} et VN{n}/{draw(IATA)}-{draw(IATA)}"
    if kind == "slug":
        return lang, f"tin-tuc-{draw(written_codes()).lower().replace('/', '-')}-moi"
    if kind == "bare":
        cue = {"fr": "la résolution n° ", "de": "Beschluss Nr. ", "en": "Plan ", "vi": "Nghị quyết "}[lang]
        return lang, f"{cue}{n}"
    if kind == "voltage":
        return lang, f"{n} kV et {n}/{draw(st.integers(1, 500))} kV"
    word = draw(st.sampled_from(["Paris", "Bahn", "Habitat", "Kết", "Hà", "China", "Online"]))
    return lang, f"{n}/{word}-{draw(st.sampled_from(['Lyon', 'Nord', 'Tân', 'Express']))}"


@settings(max_examples=400)
@given(case=look_alikes())
def test_generated_look_alikes_are_not_codes(case):
    lang, text = case
    assert found(text, lang) == []
