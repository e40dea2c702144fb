"""The shared tokenizer: the same tokens as spaCy's rules on real text, linear time and bounded memory on any."""
import random
import string
from pathlib import Path

import pytest
import spacy
from spacy.tokenizer import Tokenizer

from pipeline import tokens
from pipeline.text import fold
from tests.conftest import ROOT, SHARED
from tests.helpers import best_times, cost_ratio
from tests.test_batch import bench_generate


def _plain_tokenizer():
    """spaCy's multi-language rules as they are, without the bounds: the reference."""
    nlp = spacy.blank("xx")
    base = nlp.tokenizer
    return Tokenizer(nlp.vocab, rules={}, prefix_search=base.prefix_search, suffix_search=base.suffix_search,
                     infix_finditer=base.infix_finditer, token_match=None, url_match=None)


def _spans(doc):
    return [(t.idx, len(t), t.lower) for t in doc]


def test_real_text_gives_the_same_tokens_as_spacys_rules():
    reference = _plain_tokenizer()
    paths = [*sorted((ROOT / "corpus").glob("*.txt")), *sorted((ROOT / "tests" / "data").glob("*/*.txt")),
             *sorted((SHARED / "dev" / "articles").glob("*"))]
    texts = [p.read_text(encoding="utf-8") for p in paths] + [bench_generate.article(i)[1] for i in range(200)]
    for text in texts:
        for variant in (text, fold(text)):
            assert _spans(tokens.make_doc(variant)) == _spans(reference(variant))


def _chunk(unit, size, round_):
    """`size` characters of `unit` without white space, new each round (no tokenizer cache to hit)."""
    return unit[:-1] + f"{unit[-1]}{round_}" + unit * (size // len(unit))


@pytest.mark.parametrize("unit", ["'s", "a,"])
def test_a_long_whitespace_free_chunk_costs_linear_time(unit):
    # spaCy's affix loop re-searches the rest of a chunk at every step: an 8 KB
    # "a's's's..." took 12 s and 16 KB 50 s, in one C call no budget can stop.
    def tokenize(size, round_):
        text = _chunk(unit, size, round_)
        assert tokens.make_doc(text).text == text

    ratio = cost_ratio(tokenize, 500)
    assert ratio < 24, f"8x the chunk cost {ratio:.1f}x the time"


def test_runs_of_symbols_just_under_the_mask_cost_what_ordinary_text_costs():
    # Runs of 63 "(" (the cleaner blanks 64 and more) then "a": each "(" peeled
    # off cost a pass over the rest of the chunk -- 1.3 MB took 68 s, in one C call.
    prose = "".join(bench_generate.article(i)[1] for i in range(40))[:320_000]
    best = best_times({"symbols": lambda r: tokens.make_doc(_chunk("(" * 63 + "a", len(prose), r)),
                       "prose": lambda r: tokens.make_doc(f"{r} " + prose)})
    assert best["symbols"] < 3 * best["prose"], best


def test_a_chunk_longer_than_max_chunk_is_one_token_and_the_rest_is_split_as_usual():
    long = "x" * (tokens.MAX_CHUNK + 1)
    doc = tokens.make_doc(f"Hanoi, {long} (Lai Chau).")
    assert [t.text for t in doc] == ["Hanoi", ",", long, "(", "Lai", "Chau", ")", "."]
    assert [t.text for t in tokens.make_doc("x" * (tokens.MAX_CHUNK - 1) + ",")][-1] == ","   # 1,000: split


def _distinct_words(rng, n):
    return " ".join("".join(rng.choices(string.ascii_lowercase, k=9)) for _ in range(n))


def test_the_vocabulary_stays_bounded_over_many_distinct_articles():
    # Every new string used to stay in the vocabulary for good (~1 KB per distinct article).
    rng = random.Random(7)
    patterns = len(tokens.shared_nlp().vocab)
    largest = 0
    for _ in range(250):                                   # 250,000 distinct words, 1,000 per article
        largest = max(largest, len(tokens.make_doc(_distinct_words(rng, 1000)).vocab))
    assert largest < 110_000 and tokens.MAX_LEXEMES + 1_000 < 110_000   # not 250,000 and more
    assert len(tokens.shared_nlp().vocab) == patterns      # the matchers' vocabulary does not grow


def test_the_vocabulary_is_renewed_every_so_many_articles(monkeypatch):
    monkeypatch.setattr(tokens, "RENEW_EVERY", 10)
    tokenizer = tokens.article_tokenizer()
    renewals = tokenizer.renewals
    for i in range(25):
        tokens.make_doc(f"Article {i} du Comité provincial.")
    assert tokenizer.renewals - renewals >= 2


def test_long_chunks_count_towards_renewing_the_vocabulary(monkeypatch):
    monkeypatch.setattr(tokens, "LONG_CHARS", 10 * tokens.MAX_CHUNK)
    tokenizer = tokens.article_tokenizer()
    renewals = tokenizer.renewals
    for i in range(30):                                    # 30 distinct long chunks, each a lexeme of its own
        tokens.make_doc(f"{i}" + "y" * tokens.MAX_CHUNK)
    assert tokenizer.renewals > renewals


def test_records_do_not_change_when_the_vocabulary_is_renewed(monkeypatch):
    from pipeline.process import Pipeline

    pipeline = Pipeline()
    articles = [bench_generate.article(i)[1] for i in range(12)]
    before = [pipeline.run_text(text, doc_id=str(i)) for i, text in enumerate(articles)]
    monkeypatch.setattr(tokens, "RENEW_EVERY", 1)          # a fresh vocabulary before every article
    tokenizer = tokens.article_tokenizer()
    renewals = tokenizer.renewals
    after = [pipeline.run_text(text, doc_id=str(i)) for i, text in enumerate(articles)]
    assert tokenizer.renewals >= len(articles) - 1
    assert after == before
