"""Document codes: Party and State forms in four languages, look-alikes, cue warnings."""
import pytest
from hypothesis import given, strategies as st

from pipeline.extract.codes import CodesExtractor, canonical
from tests.helpers import make_article

EXTRACTOR = CodesExtractor()


def codes(text, lang="fr"):
    article = make_article(text, lang)
    hits = EXTRACTOR.find(article)
    for hit in hits:
        assert article.text[hit.start:hit.end].strip() == article.text[hit.start:hit.end]
    return article, sorted(hits, key=lambda h: h.start)


@pytest.mark.parametrize("lang,sentence,expected", [
    ("fr", "Mise en œuvre de la conclusion n° 150-KL/TW du 14 avril 2025 du Politburo sur le personnel.", ["150-KL/TW"]),
    ("fr", "Le Comité permanent a publié le Plan n° 387-KH/TU et l'Instruction n° 06-HD/TU du 21 octobre 2024.", ["387-KH/TU", "06-HD/TU"]),
    ("fr", "conformément à la décision n° 55/QD-BXD du ministère de la Construction", ["55/QD-BXD"]),
    ("fr", "le décret n° 15/2025/NĐ - CP du gouvernement sur la décentralisation", ["15/2025/ND-CP"]),
    ("de", "die strikte Umsetzung der Schlussfolgerung Nr. 177-KL/TW vom 11. Juli 2025 des Politbüros", ["177-KL/TW"]),
    ("de", "des Plans Nr. 02-KH/BCĐTW vom 19. Juni 2025 des Zentralen Lenkungsausschusses", ["02-KH/BCDTW"]),
    ("de", "gemäß den Vorschriften Nr. 253-QD/TW und Nr. 255-QD/TW des Sekretariats", ["253-QD/TW", "255-QD/TW"]),
    ("de", "im offiziellen Depeschen Nr. 9068-CV/BTCTW vom 17. Juli 2025", ["9068-CV/BTCTW"]),
    ("en", "Resolution No. 202/2025/QH15 of the National Assembly on the arrangement of provincial-level units", ["202/2025/QH15"]),
    ("en", "Decision No. 2171-QĐNS/TW of the Politburo on personnel work", ["2171-QDNS/TW"]),
    ("en", "Prime Minister's Official Letter No. 1026/TTg-PL dated June 9", ["1026/TTG-PL"]),
    ("en", "Directive 16/CT–TTg on social distancing", ["16/CT-TTG"]),
    ("vi", "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học", ["57-NQ/TW"]),
    ("vi", "Thực hiện Quy định số 08-QĐi/TW của Ban Chấp hành Trung ương", ["08-QDI/TW"]),
    ("vi", "Quyết định số 367 - QĐ/TWĐTN-VP của Ban Bí thư Trung ương Đoàn", ["367-QD/TWDTN-VP"]),
    ("vi", "Thông tư liên tịch số 55/2005/TTLT-BNV-VPCP hướng dẫn thể thức văn bản", ["55/2005/TTLT-BNV-VPCP"]),
    ("vi", "theo Quy định số31-QĐ/TW (bản sao) và Kết luận (12-KL/TW).", ["31-QD/TW", "12-KL/TW"]),
    ("en", "under Conclusion No.127-KL/TW and Regulation 80-QD/TW of the Politburo", ["127-KL/TW", "80-QD/TW"]),
    ("fr", "le règlement n°368-QD/TW, puis la décision 2171-QDNS/TW.", ["368-QD/TW", "2171-QDNS/TW"]),
])
def test_codes_in_news_sentences(lang, sentence, expected):
    _, hits = codes(sentence, lang)
    assert [h.key for h in hits] == expected


def test_code_fields_party_and_state():
    _, hits = codes("la Résolution n° 57-NQ/TW et le décret 15/2025/NĐ-CP")
    party, state = hits
    assert party.fields | {} == {**party.fields, "number": "57", "year": None, "family": "party", "type": "NQ",
                                 "type_label": "resolution", "issuer": "TW", "issuer_label": "Party Central Committee"}
    assert (state.fields["number"], state.fields["year"], state.fields["type"], state.fields["issuer"]) == ("15", 2025, "ND", "CP")
    assert state.fields["issuer_label"] == "Government" and state.rule == "codes.any.state"


def test_leading_zero_kept_and_raw_text_in_mention():
    article, hits = codes("Plan Nr. 02-KH/BCĐTW", "de")
    assert hits[0].fields["number"] == "02"
    assert article.text[hits[0].start:hits[0].end] == "02-KH/BCĐTW"


@pytest.mark.parametrize("text", [
    "Báo Nhân dânBáo Nhân dân23/05/2025",
    "la pandémie de COVID-19 a frappé",
    "pour la période 2025-2030 et 2021–2026",
    "appelez le 0912-345-678 ou le 024/3825 1234",
    "dépassant 3/6 cibles et 62,5 %",
    "postes de transformation 110 kV et 220 kV",
    "la résolution n° 11 de la 13e Conférence",
    "Plan 330 du Comité permanent",
    "ngày 01-10-1997 và (3.6)",
    "mit dem Regierungserlass Nr. 178",
    "x-ray/CT scan and A-B/C testing",
])
def test_look_alikes_are_not_codes(text):
    assert codes(text)[1] == []


def test_codes_inside_url_slugs_are_ignored_by_the_pipeline():
    # The cleaner masks URLs; the pattern alone also refuses slug shapes.
    assert codes("trien-khai-thuc-hien-ket-luan-so-178-kl-tw-cua-bo-chinh-tri")[1] == []


def test_cue_word_disagreeing_with_type_warns_but_keeps_the_code():
    article, hits = codes("la directive n° 60-NQ/TW du Comité central")
    assert [h.key for h in hits] == ["60-NQ/TW"]
    assert any("60-NQ/TW" in w and "directive" in w for w in article.warnings)
    article, _ = codes("Schlussfolgerung Nr. 177-KL/TW", "de")
    assert article.warnings == []
    article, _ = codes("Chỉ thị số 45-NQ/TW", "vi")
    assert any("45-NQ/TW" in w for w in article.warnings)


@pytest.mark.parametrize("raw,expected", [
    ("15/2025/NĐ - CP", "15/2025/ND-CP"), ("16/CT–TTg", "16/CT-TTG"), ("204-Qđ/TW", "204-QD/TW"), ("02-KH/BCÐTW", "02-KH/BCDTW"),
])
def test_canonical_form(raw, expected):
    assert canonical(raw) == expected


@given(st.text(max_size=300))
def test_random_text_never_raises_and_offsets_are_in_range(text):
    article = make_article(text)
    for hit in EXTRACTOR.find(article):
        assert 0 <= hit.start < hit.end <= len(text)
        assert canonical(text[hit.start:hit.end]) == hit.key


def test_literal_first_scanners_find_what_the_patterns_find():
    """codes.find runs each pattern from its separator (overlapped, skipping matches inside the previous one)."""
    import random
    from pipeline.extract import codes as codes_module

    pieces = ["1", "57", "2025", "1999", "123456", "/", "/", "-", "–", " ", " - ", "\t", "NQ", "TW", "QĐ", "ND-CP",
              "QH15", "UBTV", "a", ".", ",", ":", "\n", "BXD", "KL", "TTg", "x", "١٢", "CP15", "/2025/", "15/", "-NQ/",
              "CP", "-CP", "HĐBT", "HDBT", "Kết", "1.234", "V", "-1996", "/TTLT/", "- ", " -", "cp", "-TTg", "CPU"]
    dashed = codes_module.dashed_patterns(["CP", "HDBT", "TTG"])
    rng = random.Random(5)
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 20)))
        for pattern, scanner in ((codes_module.CODE, codes_module.CODE_SCANNER), dashed):
            expected = [(m.span(), m.groupdict()) for m in pattern.finditer(text)]
            got, resume_at = [], 0
            for m in scanner.finditer(text, overlapped=True):
                if m.start("num") >= resume_at:
                    resume_at = m.end()
                    got.append(((m.start("num"), m.end()), m.groupdict()))
            assert got == expected, (pattern.pattern, text)


@pytest.mark.parametrize("lang", ["fr", "de", "en", "vi", None])
def test_backward_context_search_finds_the_forward_match(lang):
    """The context regex searches backwards ((?r)); it must pick the cue or negative a forward search picks."""
    import random
    import regex
    from pipeline.patterns import language_codes, language_file, read_json
    from pipeline.text import fold

    backward = EXTRACTOR.context[lang]
    forward = regex.compile(backward.pattern.replace("(?r)", "", 1), backward.flags & ~regex.REVERSE)
    langs = [lang] if lang else language_codes()
    words = [fold(w).lower() for code_lang in langs for w in
             list(language_file(code_lang, "codes.json")["cues"]) + language_file(code_lang, "codes.json")["not_code_before"]
             + language_file(code_lang, "codes.json")["number_signs"]] + [w.lower() for w in read_json("codes.json")["not_code_before"]]
    pieces = (words + [w[1:] for w in words] + [w[:-1] for w in words]
              + [" ", "  ", ":", " : ", "\n", "a", "'", "(", "é", "s", ".", ","])
    rng = random.Random(str(lang))
    for _ in range(20000):
        window = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))[-40:]
        a, b = forward.search(window), backward.search(window)
        assert (a and a.group("neg", "cue")) == (b and b.group("neg", "cue")), window
