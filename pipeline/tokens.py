"""The one tokenizer the phrase matchers share.

Matching happens on the folded text (no diacritics), so tokens only need to
split words from punctuation consistently: the same function tokenizes the
article and every pattern. spaCy's multi-language punctuation rules are
kept; its special-case table and URL matcher are dropped -- they cost ~8x the
time and URLs are masked before extraction anyway.
"""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.tokenizer import Tokenizer


@lru_cache(maxsize=1)
def shared_nlp():
    """A blank multi-language pipeline whose tokenizer is the fast one below."""
    nlp = spacy.blank("xx")
    base = nlp.tokenizer
    nlp.tokenizer = Tokenizer(nlp.vocab, rules={}, prefix_search=base.prefix_search,
                              suffix_search=base.suffix_search, infix_finditer=base.infix_finditer,
                              token_match=None, url_match=None)
    return nlp


def make_doc(text: str):
    return shared_nlp().tokenizer(text)


def longest_matches(matches) -> list[tuple]:
    """Of phrase matches (payload, start, end) in tokens, where they overlap the
    longest wins, then the earliest: spacy.util.filter_spans without building
    Span objects (the gazetteer and the titles run this on every article).
    The kept matches come back in text order.
    """
    kept = []
    taken: set[int] = set()
    for match in sorted(matches, key=lambda m: (m[2] - m[1], -m[1]), reverse=True):
        _, start, end = match
        # Longer spans come first, so a span overlapping a kept one holds its start or last token.
        if start not in taken and end - 1 not in taken:
            kept.append(match)
            taken.update(range(start, end))
    kept.sort(key=lambda m: m[1])
    return kept
