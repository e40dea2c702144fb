"""The one tokenizer the phrase matchers share.

Matching happens on the folded text (no diacritics), so tokens only need to
split words from punctuation consistently: the same function tokenizes the
article and every pattern. spaCy's multi-language punctuation rules are
kept; its special-case table and URL matcher are dropped -- they cost ~8x the
time and URLs are masked before extraction anyway.

Two bounds make it safe on any input, without changing a token of real text:

- Time. spaCy peels prefixes and suffixes off a whitespace-free chunk one at
  a time, and each step searches, slices and hashes the whole rest of the
  chunk: the cost grows with the number of steps times the chunk's length
  (an 8 KB `a's's's…` took 12 s, 1.3 MB of `((((…a` in runs of 63 took
  68 s, all inside one C call no budget can stop). So the suffix rules look
  only at a chunk's last SUFFIX_WINDOW characters (no suffix rule matches
  more), and a chunk longer than MAX_CHUNK characters -- never a word of
  news text -- is kept whole as one token. Tokenizing is linear in the
  text's length.
- Memory. The tokenizer adds every new string it meets to its vocabulary
  and its cache (~600 bytes each), and never forgets one: a worker grew by
  ~1 KB per distinct article. Articles are therefore tokenized with a
  vocabulary of their own, replaced by a fresh one every RENEW_EVERY
  articles -- so a worker's memory reaches its ceiling within the first few
  thousand articles and stays there -- or sooner, if articles full of new
  strings push it past MAX_LEXEMES entries or LONG_CHARS characters of
  over-long tokens. The phrase matchers keep the pattern vocabulary
  (`shared_nlp().vocab`): they compare the hashes of token attributes, which
  are the same in every vocabulary, so no record changes.
"""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc
from spacy.vocab import Vocab

MAX_CHUNK = 1000             # characters without white space split into tokens; a longer chunk is one token
SUFFIX_WINDOW = 100          # characters at a chunk's end the suffix rules see
RENEW_EVERY = 5_000          # articles tokenized with one vocabulary (~0.1 s to rebuild the common words)
MAX_LEXEMES = 100_000        # entries a vocabulary may hold before it is renewed sooner (~60 MB)
LONG_CHARS = 20_000_000      # characters of over-long tokens likewise


@lru_cache(maxsize=1)
def shared_nlp():
    """A blank multi-language pipeline whose tokenizer is the fast one below (patterns, matchers)."""
    nlp = spacy.blank("xx")
    nlp.tokenizer = _tokenizer(nlp.vocab, nlp.tokenizer)
    return nlp


def _tokenizer(vocab: Vocab, base: Tokenizer, token_match=None) -> Tokenizer:
    suffix_search = base.suffix_search

    def windowed_suffix_search(string: str):
        # Only the match's length is used, so searching the tail gives the same answer.
        return suffix_search(string[-SUFFIX_WINDOW:])

    return Tokenizer(vocab, rules={}, prefix_search=base.prefix_search, suffix_search=windowed_suffix_search,
                     infix_finditer=base.infix_finditer, token_match=token_match or _long_chunk, url_match=None)


def _long_chunk(string: str) -> bool:
    """token_match: a chunk this long is one token (the tokenizer calls it only for chunks not in its cache)."""
    return len(string) > MAX_CHUNK


class _ArticleTokenizer:
    """The tokenizer articles go through: the shared rules, a vocabulary that is renewed."""

    def __init__(self):
        self.renewals = 0
        self._new()

    def _new(self) -> None:
        nlp = shared_nlp()
        vocab = Vocab(lex_attr_getters=nlp.vocab.lex_attr_getters, writing_system=nlp.vocab.writing_system,
                      lookups=nlp.vocab.lookups)
        self.articles = self.long_chars = 0
        self.tokenizer = _tokenizer(vocab, nlp.tokenizer, self._long_chunk)

    def _long_chunk(self, string: str) -> bool:
        if len(string) <= MAX_CHUNK:
            return False
        self.long_chars += len(string)  # new to this vocabulary: cached chunks are not asked about
        return True

    def __call__(self, text: str) -> Doc:
        if (self.articles >= RENEW_EVERY or len(self.tokenizer.vocab) > MAX_LEXEMES
                or self.long_chars > LONG_CHARS):
            self._new()  # the old vocabulary goes with the last Doc that used it
            self.renewals += 1
        self.articles += 1
        return self.tokenizer(text)


@lru_cache(maxsize=1)
def article_tokenizer() -> _ArticleTokenizer:
    return _ArticleTokenizer()


def make_doc(text: str) -> Doc:
    return article_tokenizer()(text)


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
