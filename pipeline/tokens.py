"""Tokens and phrases: words split from punctuation, found only where they are needed.

The province gazetteer and the officials' titles are lists of phrases,
matched on the folded text (no diacritics) as sequences of lower-cased tokens
-- what spaCy's PhraseMatcher(attr="LOWER") does. This module does the same
without building a Doc for the whole article (that took a sixth of the
pipeline's time) and without importing spaCy (most of the start-up):

- The tokenizer is spaCy's multi-language algorithm, re-done in Python: text
  is cut at white space into chunks; prefixes and suffixes are peeled off a
  chunk, then infixes split what is left. Its rules are spaCy's own,
  patterns/tokenizer.json (tools/build_token_rules.py writes them), so the
  tokens are the ones spaCy gives -- tests/test_tokens.py compares the two on
  real and generated text. Special cases and URL matching are off: URLs are
  masked before extraction.
- A text is only tokenized around the places a phrase could start (TokenView):
  one automaton (pyahocorasick) finds every literal form of every phrase in
  the lower-cased text, and a hit counts only if the tokens of the chunks it
  lies in start where it starts, end where it ends and are the phrase's tokens.

Bounds, whatever the input (see docs/reliability.md):
- Time. The suffix rules look only at a chunk's last SUFFIX_WINDOW characters
  (no rule matches more), and a chunk longer than MAX_CHUNK characters -- never
  a word of news text -- is one token: a chunk costs at most MAX_CHUNK peeling
  steps of bounded work. Only chunks that hold a phrase hit or sit next to one
  are tokenized.
- Memory. Tokenized chunks (not plain words) are kept in a cache of at most
  CACHE_CHUNKS entries and CACHE_CHARS characters, emptied when full (spaCy's
  vocabulary grew with every new string instead).
"""
from __future__ import annotations

import re
from functools import lru_cache

import ahocorasick
import regex

from .patterns import read_json

MAX_CHUNK = 1000             # characters without white space split into tokens; a longer chunk is one token
SUFFIX_WINDOW = 100          # characters at a chunk's end the suffix rules see
CACHE_CHUNKS = 20_000        # tokenized chunks remembered (~6 MB)
CACHE_CHARS = 1_000_000      # and at most this many characters of them (a chunk may be 1,000 long)
_LOOK = 48                   # characters read at a time before a place (6 tokens of news text, 9 times in 10)
_LOOK_AFTER = 32             # and after it (4 tokens, 99 times in 100)

Span = tuple[int, int]       # a token: start and end offsets

# What str.isspace() calls white space (and so does spaCy's tokenizer): every such character is below U+3001.
_SPACE = "".join(chr(c) for c in range(0x3001) if chr(c).isspace())
_SPACE_CLASS = "[" + re.escape(_SPACE) + "]"
_RUN = re.compile(rf"{_SPACE_CLASS}+|[^{re.escape(_SPACE)}]+")
# The runs that hold tokens: a single space between two chunks holds none (it belongs to the word before).
_TOKEN_RUN = re.compile(rf"[^{re.escape(_SPACE)}]+|{_SPACE_CLASS}{{2,}}|[{re.escape(_SPACE.replace(' ', ''))}]")
_RUN_BACK = regex.compile(rf"(?r){_SPACE_CLASS}+|[^{re.escape(_SPACE)}]+")   # the same, matched backwards


class _Rules:
    """The affix rules, compiled once per process."""

    def __init__(self):
        rules = read_json("tokenizer.json")
        self.prefix = re.compile(rules["prefix"]).search
        self.suffix = re.compile(rules["suffix"]).search
        self.infix = re.compile(rules["infix"]).finditer


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    return _Rules()


_chunks: dict[str, tuple[Span, ...]] = {}
_cached_chars = 0


def chunk_tokens(chunk: str) -> tuple[Span, ...]:
    """The tokens of a chunk of text without white space (or a run of white space), as offsets in it."""
    global _cached_chars
    if chunk.isalpha() or len(chunk) > MAX_CHUNK:
        return ((0, len(chunk)),)           # a plain word (no rule splits letters from letters), or too long
    spans = _chunks.get(chunk)
    if spans is None:
        spans = _split(chunk, _rules())
        if len(_chunks) >= CACHE_CHUNKS or _cached_chars >= CACHE_CHARS:
            _chunks.clear()
            _cached_chars = 0
        _chunks[chunk] = spans
        _cached_chars += len(chunk)
    return spans


def _split(chunk: str, rules: _Rules) -> tuple[Span, ...]:
    """spaCy's Tokenizer._split_affixes and _attach_tokens, with no special cases."""
    begin, end = 0, len(chunk)          # what is left of the chunk: chunk[begin:end]
    prefixes: list[Span] = []
    suffixes: list[Span] = []
    last_size = -1
    while begin < end and end - begin != last_size:
        if end - begin > MAX_CHUNK:
            break
        string = chunk[begin:end]
        last_size = len(string)
        m = rules.prefix(string)
        pre_len = m.end() - m.start() if m else 0
        m = rules.suffix(string[pre_len:][-SUFFIX_WINDOW:])
        suf_len = m.end() - m.start() if m else 0
        if pre_len and suf_len and pre_len + suf_len <= len(string):
            prefixes.append((begin, begin + pre_len))
            suffixes.append((end - suf_len, end))
            begin, end = begin + pre_len, end - suf_len
        elif pre_len:
            prefixes.append((begin, begin + pre_len))
            begin += pre_len
        elif suf_len:
            suffixes.append((end - suf_len, end))
            end -= suf_len
    spans = prefixes
    if begin < end:
        string = chunk[begin:end]
        matches = [] if len(string) > MAX_CHUNK else list(rules.infix(string))
        start = 0
        for m in matches:
            infix_start, infix_end = m.start(), m.end()
            if infix_start == 0:
                continue                    # an infix at the very start splits nothing off
            if infix_start != start:
                spans.append((begin + start, begin + infix_start))
            if infix_start != infix_end:
                spans.append((begin + infix_start, begin + infix_end))
            start = infix_end
        if start < len(string):
            spans.append((begin + start, end))
    spans.extend(reversed(suffixes))
    return tuple(spans)


def tokenize(text: str) -> list[Span]:
    """Every token of a text, white-space tokens included (for phrases and tests; articles go through a
    TokenView, which tokenizes only where it is asked)."""
    view = TokenView(text)
    return view.after(0, len(text) + 1)


class TokenView:
    """The tokens of one text, made only where they are asked for.

    Like spaCy, a single space after a chunk belongs to the token before it;
    any other run of white space is a token of its own (less its first
    character when that is a space and the run does not open the text).
    """

    def __init__(self, text: str):
        self.text = text
        self._lowered: str | None = None
        self._run_cache: Span = (0, 0)     # the last run found (hits come in clusters)

    @property
    def lowered(self) -> str:
        """The text lower-cased, offsets kept (what phrases are matched against)."""
        if self._lowered is None:
            self._lowered = lower_keeping_offsets(self.text)
        return self._lowered

    def words(self, tokens: list[Span]) -> list[str]:
        """The lower-cased words of tokens, white-space tokens left out (spaCy's `lower_`)."""
        text = self.text
        return [text[s:e].lower() for s, e in tokens if not text[s:e].isspace()]

    def _run_at(self, pos: int) -> Span:
        """The maximal run of white space, or of other characters, that holds text[pos]."""
        start, end = self._run_cache
        if start <= pos < end:
            return start, end
        start = _RUN_BACK.match(self.text, 0, pos + 1).start()     # back to the run's start, in C
        end = _RUN.match(self.text, start).end()
        self._run_cache = (start, end)
        return start, end

    def _runs(self, lo: int, hi: int) -> list[Span]:
        """The whole runs that hold tokens from about lo to about hi (widened to the runs that
        hold text[lo] and text[hi - 1]; a lone space between chunks is left out)."""
        text = self.text
        if 0 < lo < len(text) and text[lo - 1].isspace() == text[lo].isspace():
            lo = _RUN_BACK.match(text, 0, lo + 1).start()
        if 0 < hi < len(text) and text[hi - 1].isspace() == text[hi].isspace():
            hi = _RUN.match(text, hi).end()
        runs = [m.span() for m in _TOKEN_RUN.finditer(text, lo, hi)]
        if lo == 0 and text[:1] == " " and (not runs or runs[0][0] != 0):
            runs.insert(0, (0, 1))            # white space that opens the text is a token, even one space
        return runs

    def _tokens(self, runs: list[Span]) -> list[Span]:
        """The tokens of whole runs, in order."""
        text = self.text
        tokens: list[Span] = []
        for start, end in runs:
            chunk = text[start:end]
            if chunk.isalpha():
                tokens.append((start, end))   # the usual word: one token
                continue
            if start and chunk[0] == " ":
                start += 1                    # the space after a word belongs to that word
                chunk = chunk[1:]
            spans = _chunks.get(chunk) or chunk_tokens(chunk)
            tokens.extend([(start + s, start + e) for s, e in spans] if len(spans) > 1 else [(start, end)])
        return tokens

    def before(self, pos: int, n: int) -> list[Span]:
        """The (at most) n tokens that end at or before pos, in text order."""
        found: list[Span] = []
        hi = pos
        while len(found) < n and hi > 0:
            runs = self._runs(max(0, hi - _LOOK), hi)
            if not runs:
                break
            found[:0] = [t for t in self._tokens(runs) if t[1] <= pos]
            hi = runs[0][0]
        return found[-n:] if n else []

    def after(self, pos: int, n: int) -> list[Span]:
        """The (at most) n tokens that start at or after pos, in text order."""
        found: list[Span] = []
        lo, size = pos, len(self.text)
        while len(found) < n and lo < size:
            runs = self._runs(lo, min(size, lo + _LOOK_AFTER))
            if not runs:
                break
            found.extend(t for t in self._tokens(runs) if t[0] >= pos)
            lo = runs[-1][1]
        return found[:n]

    def around(self, start: int, end: int, n_before: int, n_after: int) -> tuple[list[Span], list[Span]]:
        """before(start, n_before) and after(end, n_after), read in one go for a short span."""
        size = len(self.text)
        runs = self._runs(max(0, start - _LOOK), min(size, end + _LOOK_AFTER))
        tokens = self._tokens(runs)
        before = [t for t in tokens if t[1] <= start][-n_before:]
        after = [t for t in tokens if t[0] >= end][:n_after]
        if len(before) < n_before and (not runs or runs[0][0] > 0):
            before = self.before(start, n_before)
        if len(after) < n_after and (not runs or runs[-1][1] < size):
            after = self.after(end, n_after)
        return before, after

    def covers(self, start: int, end: int, words: tuple[str, ...], spaces: tuple[int, ...]) -> bool:
        """Whether text[start:end] is exactly the tokens `words` (lower-cased), whole tokens at both ends.

        Called at a literal hit of a phrase form: between start and end the text
        is the words joined by nothing or by single spaces, at offsets `spaces`.
        Only the chunks the hit lies in are tokenized.
        """
        text = self.text
        size = len(text)
        if start and text[start - 1].isalpha() and text[start].isalpha():
            return False                      # inside a word: no rule splits letters from letters
        if end < size and text[end - 1].isalpha() and text[end].isalpha():
            return False
        first = start if start == 0 or text[start - 1].isspace() else self._run_at(start)[0]
        last = end if end == size or text[end].isspace() else self._run_at(end - 1)[1]
        starts = [first, *(start + o + 1 for o in spaces)]
        ends = [*(start + o for o in spaces), last]
        tokens: list[Span] = []
        for chunk_start, chunk_end in zip(starts, ends):
            for s, e in chunk_tokens(text[chunk_start:chunk_end]):
                s += chunk_start
                e += chunk_start
                if e <= start:
                    continue
                if s >= end:
                    break
                if s < start or e > end:
                    return False              # a token runs across the start or the end
                tokens.append((s, e))
        if len(tokens) != len(words):
            return False
        low = self.lowered
        return all(low[s:e] == w for (s, e), w in zip(tokens, words))


def lower_keeping_offsets(folded: str) -> str:
    """folded.lower(), offsets kept: a character whose lower case is longer stays as it is
    (it cannot be part of any phrase, whose tokens are lower-cased already)."""
    low = folded.lower()
    if len(low) == len(folded):
        return low
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in folded)


class PhraseIndex:
    """Phrases as sequences of lower-cased tokens, found in a text: spaCy's
    PhraseMatcher(attr="LOWER") without a Doc.

    A phrase may appear in text with nothing or one space between two of its
    tokens (nothing only where one side is not a letter: "Bà Rịa-Vũng Tàu",
    "Bà Rịa - Vũng Tàu"), so each phrase is put into the automaton in every
    such literal form; TokenView.covers then checks a hit's tokens.
    """

    def __init__(self):
        self._forms: dict[str, list[tuple[object, tuple[str, ...]]]] = {}
        self._automaton = None

    def add(self, key, words: tuple[str, ...]) -> None:
        if not words or any(len(w.split()) != 1 or w.strip() != w for w in words):   # (split: at white space)
            raise ValueError(f"a token holds white space or nothing ({words!r}): a phrase is a sequence of "
                             "tokens without white space, one token per word")
        entry = (key, words)
        for form in _forms(words):
            entries = self._forms.setdefault(form, [])
            if entry not in entries:
                entries.append(entry)
        self._automaton = None

    def add_text(self, key, phrase: str) -> None:
        """A phrase as written: tokenized like the text it will be found in (folded, lower-cased)."""
        self.add(key, phrase_words(phrase))

    def build(self):
        """The automaton, made once all phrases are in (before workers fork, so they share it)."""
        if self._automaton is None:
            automaton = ahocorasick.Automaton()
            for form, entries in self._forms.items():
                spaces = tuple(i for i, ch in enumerate(form) if ch == " ")
                # Words of letters with a space between each: one token each wherever white space
                # (or the text's edge) stands on both sides of the hit.
                plain = all(w.isalpha() for w in form.split(" ")) and len(spaces) == len(entries[0][1]) - 1
                automaton.add_word(form, (len(form), spaces, plain, tuple(entries)))
            automaton.make_automaton()
            self._automaton = automaton
        return self._automaton

    def __len__(self) -> int:
        return len(self._forms)

    def find(self, view: TokenView) -> list[tuple[object, int, int, int]]:
        """Every (key, start, end, number of tokens) of the phrases in the text, by start then end."""
        automaton = self.build()
        if not len(automaton):
            return []
        found = []
        text = view.text
        for last, (size, spaces, plain, entries) in automaton.iter(view.lowered):
            end = last + 1
            start = end - size
            if plain and (start == 0 or text[start - 1].isspace()) and (end == len(text) or text[end].isspace()):
                found.extend((key, start, end, len(words)) for key, words in entries)
                continue
            for key, words in entries:
                if view.covers(start, end, words, spaces):
                    found.append((key, start, end, len(words)))
        found.sort(key=lambda m: (m[1], m[2]))
        return found


def phrase_words(phrase: str) -> tuple[str, ...]:
    """The lower-cased tokens of a phrase (already folded), white-space tokens left out."""
    text = lower_keeping_offsets(phrase)
    return tuple(text[s:e] for s, e in tokenize(phrase) if not text[s:e].isspace())


def _forms(words: tuple[str, ...]) -> list[str]:
    forms = [words[0]]
    for prev, word in zip(words, words[1:]):
        joins = (" ",) if prev[-1].isalpha() and word[0].isalpha() else (" ", "")
        forms = [form + join + word for form in forms for join in joins]
    return forms


def longest_matches(matches) -> list[tuple]:
    """Of phrase matches (payload, start, end, tokens), where they overlap the longest
    (in tokens) wins, then the earliest: spacy.util.filter_spans without Span objects.
    The kept matches come back in text order.
    """
    kept: list[tuple] = []
    taken: set[int] = set()
    for match in sorted(matches, key=lambda m: (m[3], -m[1]), reverse=True):
        _, start, end, _ = match
        # Longer spans come first, so a span overlapping a kept one holds its first or last character.
        if start not in taken and end - 1 not in taken:
            kept.append(match)
            taken.update(range(start, end))
    kept.sort(key=lambda m: m[1])
    return kept
