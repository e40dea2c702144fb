"""Language: document language and per-paragraph segments, deterministic."""
import pytest

from pipeline.article import Article
from pipeline.language import LanguageIdentifier

LID = LanguageIdentifier()


def identify(text):
    article = Article(doc_id="t", text=text)
    article.masked = text
    LID(article)
    return article


@pytest.mark.parametrize("lang,text", [
    ("fr", "Le secrétaire du Comité provincial du Parti a souligné que la suppression du niveau de district constituait une politique majeure."),
    ("de", "Der Ständige Parteiausschuss der Provinz forderte die Parteikomitees auf allen Ebenen auf, die Umsetzung fortzusetzen."),
    ("en", "The Provincial Party Committee held its 20th conference to review the implementation of the resolution in the first quarter."),
    ("vi", "Bí thư Tỉnh ủy nhấn mạnh việc sắp xếp tổ chức bộ máy phải bảo đảm hoạt động thông suốt, hiệu quả."),
])
def test_each_first_class_language(lang, text):
    article = identify(text)
    assert article.lang == lang and article.lang_confidence > 0.8 and article.warnings == []


def test_french_article_with_a_vietnamese_header_line_has_a_vi_segment():
    text = ("Vietnam.vn - Nền tảng quảng bá Việt Nam và các địa phương trên cả nước\n"
            "Le Comité provincial du Parti a dirigé l'organisation de l'appareil du système politique.\n"
            "La province a récemment organisé la cérémonie d'inauguration du projet d'investissement.\n")
    article = identify(text)
    assert article.lang == "fr"
    assert [s["code"] for s in article.segments] == ["vi", "fr", "fr"]
    first = article.segments[0]
    assert text[first["start"]:first["end"]].startswith("Vietnam.vn") and text[first["start"]:first["end"]].endswith("nước")


def test_other_language_is_reported_with_a_warning():
    article = identify("El comité provincial del Partido celebró su conferencia para revisar la aplicación de la resolución.")
    assert article.lang == "es"
    assert any("not supported" in w for w in article.warnings)


def test_no_text_gives_und():
    article = identify("57-NQ/TW 23/05/2025 ...")
    assert article.lang == "und" and article.warnings


def test_deterministic():
    text = "Le chef du bureau central du Parti travaille avec les deux provinces de Lai Chau et de Son La."
    assert {identify(text).lang_confidence for _ in range(5)} == {identify(text).lang_confidence}


def test_the_detectors_shortcut_gives_its_first_guess_and_any_detector_still_works():
    """FastTextDetector.best (the C call, what the stage uses) is detect()[0]; a detector without it works too."""
    detector = LID.detector
    lines = ["Le Comité provincial du Parti de Hoa Binh a tenu sa conférence.", "Bí thư Tỉnh ủy phát biểu.",
             "Die Provinz Lao Cai meldete Fortschritte.", "The delegation visited Son La.", "x", "", "2025 - 57"]
    assert [detector.best(line) for line in lines] == [detector.detect(line)[0] for line in lines]

    class OnlyDetect:  # the one-method protocol of language.Detector
        def detect(self, text):
            return detector.detect(text)

    text = "Le secrétaire du Comité provincial du Parti a souligné que la réforme constituait une politique majeure.\n" \
           "Bí thư Tỉnh ủy nhấn mạnh việc sắp xếp tổ chức bộ máy phải bảo đảm hoạt động thông suốt, hiệu quả."
    plain = Article(doc_id="t", text=text, masked=text)
    LanguageIdentifier(OnlyDetect())(plain)
    assert (plain.lang, plain.segments) == (identify(text).lang, identify(text).segments)
    assert [s["code"] for s in plain.segments] == ["fr", "vi"]
