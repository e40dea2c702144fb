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
