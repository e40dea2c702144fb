"""Tokens and phrases without spaCy: the tokens spaCy's rules give, the matches its PhraseMatcher
finds, in linear time and bounded memory on any input."""
import json
import random
import re

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.matcher import PhraseMatcher
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from pipeline import tokens
from pipeline.text import fold
from tests.conftest import ROOT
from tests.helpers import best_times, cost_ratio, real_texts
from tests.test_batch import bench_generate

RULES = json.loads((ROOT / "patterns" / "tokenizer.json").read_text(encoding="utf-8"))


def _spacy_tokenizer(bounded: bool, rules: dict | None = None):
    """spaCy's own tokenizer with the rules of patterns/tokenizer.json (or spaCy's installed ones),
    with our two bounds or without them: the reference."""
    nlp = spacy.blank("xx")
    if rules is None:
        prefix, suffix, infix = (nlp.tokenizer.prefix_search, nlp.tokenizer.suffix_search,
                                 nlp.tokenizer.infix_finditer)
    else:
        prefix, suffix, infix = (re.compile(rules["prefix"]).search, re.compile(rules["suffix"]).search,
                                 re.compile(rules["infix"]).finditer)
    if bounded:
        plain_suffix = suffix

        def suffix(string):
            return plain_suffix(string[-tokens.SUFFIX_WINDOW:])

    return Tokenizer(nlp.vocab, rules={}, prefix_search=prefix, suffix_search=suffix, infix_finditer=infix,
                     token_match=(lambda s: len(s) > tokens.MAX_CHUNK) if bounded else None, url_match=None)


REFERENCE = _spacy_tokenizer(bounded=True, rules=RULES)


def _spans(doc):
    return [(t.idx, t.idx + len(t)) for t in doc]


def test_real_text_gives_the_tokens_spacy_gives():
    unbounded = _spacy_tokenizer(bounded=False)        # spaCy's installed rules, no bounds
    for text in real_texts():
        for variant in (text, fold(text)):
            ours = tokens.tokenize(variant)
            assert ours == _spans(REFERENCE(variant))
            assert ours == _spans(unbounded(variant))   # the bounds change no token of real text


# Characters the rules treat specially, letters (Vietnamese too), digits and every kind of white space.
_SPECIAL = sorted({ch for key in ("prefix", "suffix", "infix") for ch in RULES[key] if not ch.isspace()})
_ALPHABET = _SPECIAL + list("aAbzZđĐéÉưỨ0159") + [" ", " ", " ", "\n", "\t", "\u00a0", "\u2009", "\x1c"]


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40))
def test_any_text_gives_the_tokens_spacy_gives(text):
    assert tokens.tokenize(text) == _spans(REFERENCE(text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40), st.integers(0, 45), st.integers(0, 12))
def test_tokens_before_and_after_a_place_are_those_of_the_whole_text(text, pos, n):
    whole = tokens.tokenize(text)
    starts = {s for s, _ in whole} | {len(text)}
    ends = {e for _, e in whole} | {0}
    view = tokens.TokenView(text)
    if pos in starts:
        assert view.before(pos, n) == ([t for t in whole if t[1] <= pos][-n:] if n else [])
    if pos in ends:
        assert view.after(pos, n) == [t for t in whole if t[0] >= pos][:n]


# -- phrases ----------------------------------------------------------------

_PHRASES = {"BRVT": "bà rịa-vũng tàu", "VT": "vũng tàu", "HN": "hà nội", "TP": "tp. hồ chí minh",
            "HCM": "hồ chí minh", "SEC": "secrétaire général", "VICE": "vice-président", "PRES": "président",
            "S": "'s", "PAR": "(hà nội)", "NUM": "13e", "DOTS": "u.s.a"}
_PIECES = [w for phrase in _PHRASES.values() for w in re.split(r"(\W)", phrase) if w] + ["le", "x", "Ha", "NOI"]


def _spacy_matcher(phrases: dict) -> PhraseMatcher:
    matcher = PhraseMatcher(REFERENCE.vocab, attr="LOWER")
    for key, phrase in phrases.items():
        matcher.add(key, [Doc(REFERENCE.vocab, words=list(tokens.phrase_words(fold(phrase))))])
    return matcher


def _spacy_matches(text: str) -> list:
    """What spaCy's PhraseMatcher(attr="LOWER") finds on spaCy's tokens: (key, start, end) in characters."""
    doc = REFERENCE(text)
    strings = REFERENCE.vocab.strings
    return sorted((strings[i], doc[s].idx, doc[e - 1].idx + len(doc[e - 1])) for i, s, e in _MATCHER(doc))


def _index(phrases: dict) -> tokens.PhraseIndex:
    index = tokens.PhraseIndex()
    for key, phrase in phrases.items():
        index.add_text(key, fold(phrase))
    return index


def _our_matches(text: str) -> list:
    return sorted((key, s, e) for key, s, e, _ in _INDEX.find(tokens.TokenView(text)))


_MATCHER = _spacy_matcher(_PHRASES)
_INDEX = _index(_PHRASES)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(["", " ", " ", "  ", "\n", ", ", "-"])),
                max_size=12))
def test_phrases_are_found_where_spacys_phrase_matcher_finds_them(pieces):
    text = fold("".join(piece + sep for piece, sep in pieces))
    assert _our_matches(text) == _spacy_matches(text)


@pytest.mark.parametrize("text,found", [
    ("tỉnh Bà Rịa - Vũng Tàu và Hà Nội.", [("BRVT", "Ba Ria - Vung Tau"), ("HN", "Ha Noi"), ("VT", "Vung Tau")]),
    ("Bà Rịa-Vũng Tàu's port", [("BRVT", "Ba Ria-Vung Tau"), ("VT", "Vung Tau")]),   # "'s" alone is ' + s
    ("(Hà Nội)", [("HN", "Ha Noi"), ("PAR", "(Ha Noi)")]),
    ("Hà  Nội, Hà\nNội, chà Nội, HàNội", []),             # a second space or a line break is a token of its own
    ("le vice-président et le président", [("PRES", "president"), ("PRES", "president"),
                                            ("VICE", "vice-president")]),
    ("vice - président", [("PRES", "president"), ("VICE", "vice - president")]),
    ("la 13e session, la 13eme", [("NUM", "13e")]),
])
def test_phrase_matches_in_sentences(text, found):
    folded = fold(text)
    assert sorted((key, folded[s:e]) for key, s, e in _our_matches(folded)) == sorted(found)
    assert _our_matches(folded) == _spacy_matches(folded)


def test_the_gazetteer_and_the_titles_are_found_where_spacy_finds_them_in_real_text():
    from pipeline.extract.officials.posts import PostFinder
    from pipeline.extract.officials.pieces import Vocabulary
    from pipeline.extract.provinces import ProvincesExtractor
    from pipeline.patterns import language_file

    indexes = [ProvincesExtractor().matcher] + [
        PostFinder(lang, Vocabulary(language_file(lang, "officials.json"))).phrases for lang in ("fr", "de", "en", "vi")]
    nlp = spacy.blank("xx")
    for index in indexes:
        matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for entries in index._forms.values():
            for key, words in entries:
                matcher.add(str(key), [Doc(nlp.vocab, words=list(words))])
        for text in real_texts()[:60]:
            folded = fold(text)
            doc = REFERENCE(folded)
            spacy_found = {(nlp.vocab.strings[i], doc[s].idx, doc[e - 1].idx + len(doc[e - 1]), e - s)
                           for i, s, e in matcher(doc)}
            assert {(str(k), s, e, n) for k, s, e, n in index.find(tokens.TokenView(folded))} == spacy_found


def test_a_phrase_with_white_space_inside_a_token_is_refused():
    with pytest.raises(ValueError, match="without white space"):
        tokens.PhraseIndex().add("x", ("vice president",))


# -- bounds -----------------------------------------------------------------

def _chunk(unit, size, round_):
    """`size` characters of `unit` without white space, new each round (no cache to hit)."""
    return unit[:-1] + f"{unit[-1]}{round_}" + unit * (size // len(unit))


@pytest.mark.parametrize("unit", ["'s", "a,"])
def test_a_long_whitespace_free_chunk_costs_linear_time(unit):
    # spaCy's affix loop re-searched the rest of a chunk at every step: an 8 KB
    # "a's's's..." took 12 s and 16 KB 50 s, in one C call no budget could stop.
    def tokenize(size, round_):
        text = _chunk(unit, size, round_)
        assert tokens.tokenize(text)[-1][1] == len(text)

    ratio = cost_ratio(tokenize, 500)
    assert ratio < 24, f"8x the chunk cost {ratio:.1f}x the time"


def test_runs_of_symbols_just_under_the_mask_cost_what_ordinary_text_costs():
    # Runs of 63 "(" (the cleaner blanks 64 and more) then "a": each "(" peeled
    # off cost a pass over the rest of the chunk -- 1.3 MB took 68 s in spaCy.
    prose = "".join(bench_generate.article(i)[1] for i in range(10))[:80_000]
    best = best_times({"symbols": lambda r: tokens.tokenize(_chunk("(" * 63 + "a", len(prose), r)),
                       "prose": lambda r: tokens.tokenize(f"{r} " + prose)})
    assert best["symbols"] < 3 * best["prose"], best


def test_a_chunk_longer_than_max_chunk_is_one_token_and_the_rest_is_split_as_usual():
    long = "x" * (tokens.MAX_CHUNK + 1)
    text = f"Hanoi, {long} (Lai Chau)."
    assert [text[s:e] for s, e in tokens.tokenize(text)] == ["Hanoi", ",", long, "(", "Lai", "Chau", ")", "."]
    short = "x" * (tokens.MAX_CHUNK - 1) + ","
    assert [short[s:e] for s, e in tokens.tokenize(short)][-1] == ","   # 1,000 characters: split


def test_a_phrase_hit_deep_inside_a_huge_chunk_is_cheap():
    # Hits inside one 1 MB chunk of "président" share the work of finding the chunk's ends.
    index = tokens.PhraseIndex()
    index.add_text("PRES", "president")
    text = "x" + "-president" * 100_000
    best = best_times({"huge": lambda r: index.find(tokens.TokenView(f"{r}{text}")),
                       "prose": lambda r: index.find(tokens.TokenView(f"{r} " + "le president, " * 70_000))}, rounds=3)
    assert best["huge"] < 5 * best["prose"] + 0.05, best


def test_the_chunk_cache_stays_bounded(monkeypatch):
    monkeypatch.setattr(tokens, "CACHE_CHUNKS", 1_000)
    tokens._chunks.clear()
    rng = random.Random(7)
    for _ in range(20):
        tokens.tokenize(" ".join(f"{rng.random()}," for _ in range(500)))
        assert len(tokens._chunks) <= 1_000


def test_the_chunk_cache_holds_a_bounded_number_of_characters(monkeypatch):
    monkeypatch.setattr(tokens, "CACHE_CHARS", 50_000)
    tokens._chunks.clear()
    rng = random.Random(8)
    for _ in range(10):                                    # chunks of ~900 characters, each new
        tokens.tokenize(" ".join(f"({rng.random()}" + "x" * 880 + ")," for _ in range(50)))
        assert sum(map(len, tokens._chunks)) <= 50_000 + tokens.MAX_CHUNK


def test_records_do_not_change_when_the_chunk_cache_is_emptied_all_the_time(monkeypatch):
    from pipeline.process import Pipeline

    pipeline = Pipeline()
    articles = [bench_generate.article(i)[1] for i in range(12)]
    before = [pipeline.run_text(text, doc_id=str(i)) for i, text in enumerate(articles)]
    monkeypatch.setattr(tokens, "CACHE_CHUNKS", 1)          # every chunk tokenized afresh
    after = [pipeline.run_text(text, doc_id=str(i)) for i, text in enumerate(articles)]
    assert after == before


def test_extracting_does_not_import_spacy():
    import subprocess
    import sys

    code = ("import sys; from pipeline.process import Pipeline; Pipeline().run_text('Le secrétaire du Comité "
            "provincial de Lai Chau a signé la résolution 57-NQ/TW le 22 décembre 2024.'); "
            "print('spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "False"
