"""The fold stage (pipeline/text.py fold): diacritics off, dashes and apostrophes made plain, length kept."""
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text import _fold_table, fold


def test_real_sentences_in_every_language_lose_their_marks_and_keep_their_length():
    cases = [
        ("Le secrétaire du Comité provincial du Parti de Hòa Bình, M. Nguyễn Văn Gấu, a présidé l’événement.",
         "Le secretaire du Comite provincial du Parti de Hoa Binh, M. Nguyen Van Gau, a preside l'evenement."),
        ("Der Vorsitzende des Volkskomitees der Provinz Đắk Lắk äußerte sich zur Fusion – am 1. Juli.",
         "Der Vorsitzende des Volkskomitees der Provinz Dak Lak außerte sich zur Fusion - am 1. Juli."),
        ("Deputy Prime Minister Trần Hồng Hà chaired the meeting in Quảng Ninh—Hạ Long's capital.",
         "Deputy Prime Minister Tran Hong Ha chaired the meeting in Quang Ninh-Ha Long's capital."),
        ("Đồng chí Trần Cẩm Tú, Ủy viên Bộ Chính trị, Thường trực Ban Bí thư phát biểu chỉ đạo.",
         "Dong chi Tran Cam Tu, Uy vien Bo Chinh tri, Thuong truc Ban Bi thu phat bieu chi dao."),
    ]
    for text, folded in cases:
        assert fold(text) == folded
        assert len(folded) == len(text)


def test_german_sharp_s_and_umlauts_fold_as_the_table_says():
    # ß has no decomposition and stays; ä loses its dots.
    assert fold("äußerte Größe") == "außerte Große"


def test_no_replacement_is_replaced_again():
    # fold replaces the distinct letters of sparse text one after another (str.replace):
    # this is what makes their order irrelevant.
    table = _fold_table()
    assert all(len(to) == 1 and ord(to) not in table for to in table.values())


_LETTERS = "aeEéèêÉàâçôöüÄÖÜßđĐđơưăâÂỨứữựỳýỹĩĩ–—‑’'-\u00a0ǢǽǾſ中"


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list(_LETTERS) + list("abc .,\n")), max_size=6), max_size=12),
       st.integers(min_value=0, max_value=300))
def test_fold_is_the_table_applied_to_every_character(pieces, gap):
    # Sparse text (French, German: long plain stretches between the pieces) goes through
    # str.replace, dense text (Vietnamese) through str.translate: both must give the
    # table applied to each character.
    text = ("plain " * gap).join(pieces)
    assert fold(text) == text.translate(_fold_table())
