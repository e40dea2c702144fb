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
