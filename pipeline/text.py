"""Text primitives shared by every stage: what a dash, a blank and an apostrophe are,
diacritic folding, masking, regexes for lists of words, and sets of spans.

Folding is *length-preserving* (one character in, one character out), so a
folded or masked copy of the article can be searched and its offsets used
directly on the original text.

`word_tree` writes a list of words as a prefix tree, which the regex module
tests much faster than a plain alternation where none of the words matches;
with behind=True, a suffix tree for lookbehinds, which the engine reads
backwards.
"""
from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from functools import lru_cache

import regex

# Every character that writes a dash: hyphen-minus, hyphen, non-breaking hyphen, figure dash,
# en and em dash, horizontal bar, minus sign, small em dash, small and fullwidth hyphen-minus.
# fold() writes each as "-", so a regex over folded text needs only "-".
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
DASH = f"[{regex.escape(DASHES)}]"          # one of them, as a regex (also the {DASH} fragment of rule templates)
# A blank inside a line, as typed: space, tab, no-break space.
BLANKS = " \t\u00a0"
BLANK = "[ \\t\\u00a0]"
APOSTROPHES = "'\u2019"                     # fold() writes ’ as '


def _fold_char(ch: str) -> str:
    if ch in "ĐđÐ":
        return "D" if ch in "ĐÐ" else "d"
    base = unicodedata.normalize("NFD", ch)[0]
    # Only fold letters to letters: punctuation and digits stay as they are.
    return base if base.isalpha() or not ch.isalpha() else ch


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    # Latin-1 supplement through Latin Extended Additional covers Vietnamese,
    # French and German letters.
    for cp in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        ch = chr(cp)
        folded = _fold_char(ch)
        if folded != ch and len(folded) == 1:
            table[cp] = folded
    # Dashes of every width become "-" so "Ba Ria–Vung Tau" matches "Ba Ria-Vung Tau".
    for dash in DASHES[1:]:
        table[ord(dash)] = "-"
    # Typographic apostrophes become "'" (l’autoroute / l'autoroute).
    table[0x2019] = "'"
    return table


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def fold(text: str) -> str:
    """Remove diacritics, Đ->D, keeping the length: 'Nguyễn Văn Gấu' -> 'Nguyen Van Gau'."""
    if text.isascii():
        return text
    table = _fold_table()
    # str.translate looks up every character in Python's dict; in French or
    # German text, where accented letters are rare, one str.replace per distinct
    # accented letter (a dozen C scans) is ~3x faster. No replacement is itself a
    # letter the table replaces (tests/test_fold.py), so their order does not
    # matter. Vietnamese (dense with diacritics, a hundred distinct letters)
    # keeps the plain translate.
    if (len(text.encode("utf-8")) - len(text)) * 12 < len(text):
        for ch in set("".join(_NON_ASCII_RUN.findall(text))):
            replacement = table.get(ord(ch))
            if replacement is not None:
                text = text.replace(ch, replacement)
        return text
    return text.translate(table)


def fold_key(text: str) -> str:
    """Canonical comparison key: folded, combining marks dropped, lower case, single spaces."""
    decomposed = unicodedata.normalize("NFKD", fold(text))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.lower().split())


def fold_name(text: str) -> str:
    """A person's or place's canonical written form: folded, single spaces, case kept."""
    decomposed = unicodedata.normalize("NFKD", fold(text))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())


def alternation(words) -> str:
    """A regex alternation of literal words, longest first (so 'juillet' beats 'juil')."""
    return "|".join(regex.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


@lru_cache(maxsize=1024)  # month words recur in every article
def word_key(word: str) -> str:
    """Lookup key of a written word: NFC, lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFC", word).lower().split())


def word_alternation(words, space: str = r"\s+") -> str:
    """Alternation of literal words, longest first; a space matches `space` (any run of white space)."""
    return alternation(words).replace("\\ ", space)


def word_tree(words, ignore_case: bool, behind: bool = False) -> str:
    """word_alternation(words) written as a prefix tree: 'Ma(?:rch|y)' for 'March|May'.

    The regex module tries an alternation word by word, so where none matches
    (at every capital letter, for English month names) it pays one test per
    word; a tree pays about one per letter. It matches the same words, and of
    the words that match at one place the longer are still tried first: they
    all lie on one branch (words on different branches start differently),
    and a word's continuations come before its end. Falls back to
    word_alternation when two different letters could match the same one.

    behind=True writes a suffix tree instead, '(?:Ma|Jul)y' for 'May|July': in a
    lookbehind the engine reads a pattern from its end, so there the shared
    endings are what it should test once.
    """
    if behind:
        tree = word_tree([w[::-1] for w in words], ignore_case)
        return _reverse_tree(tree) if tree != word_alternation([w[::-1] for w in words]) \
            else word_alternation(words)
    def matches(a: str, b: str) -> bool:  # does a's unit match the character b?
        return _unit_matches(a, b, ignore_case)

    root: dict = {}  # character -> subtree; "" -> a word ends here
    for word in sorted(set(words), key=lambda w: (-len(w), w)):  # alternation()'s order
        node = root
        for ch in word:
            same = next((c for c in node if c and matches(c, ch) and matches(ch, c)), None)
            if same is None:
                if any(c and (matches(c, ch) or matches(ch, c)) for c in node):
                    return word_alternation(words)
                same = ch
                node[same] = {}
            node = node[same]
        node[""] = {}
    if not root:
        return word_alternation(words)

    def emit(node: dict) -> str:
        branches = [_tree_unit(c) + emit(child) for c, child in node.items() if c]
        if "" in node:
            branches.append("")  # a word ends here: tried after its continuations
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(root)


def _tree_unit(ch: str) -> str:
    """One character of a word_tree word as a regex: a space matches any run of white space."""
    return r"\s+" if ch == " " else regex.escape(ch)


# word_tree compares every letter of every word with the letters already in its
# node: ~8,000 tests for the date words at start-up, over a few hundred distinct
# pairs. A regex call costs ~8 µs even when the pattern is cached; the answer,
# kept, ~0.1 µs.
@lru_cache(maxsize=4096)
def _unit_matches(a: str, b: str, ignore_case: bool) -> bool:
    """Does the word_tree unit of character a match the character b?"""
    return regex.fullmatch(_tree_unit(a), b, regex.IGNORECASE if ignore_case else 0) is not None


def _reverse_tree(tree: str) -> str:
    """Write a word_tree of reversed words forwards: each unit reversed in order, groups kept."""
    units = regex.findall(r"\\s\+|\\.|\(\?:|\||\)|.", tree)

    def parse(i: int):  # -> (list of alternatives, each a list of pieces), next index
        alternatives, current = [], []
        while i < len(units):
            unit = units[i]
            if unit == "(?:":
                group, i = parse(i + 1)
                current.append(group)
            elif unit == "|":
                alternatives.append(current)
                current = []
                i += 1
            elif unit == ")":
                alternatives.append(current)
                return alternatives, i + 1
            else:
                current.append(unit)
                i += 1
        alternatives.append(current)
        return alternatives, i

    def emit(alternatives) -> str:
        out = []
        for pieces in alternatives:
            out.append("".join(emit(p) if isinstance(p, list) else p for p in reversed(pieces)))
        return out[0] if len(out) == 1 else "(?:" + "|".join(out) + ")"

    alternatives, _ = parse(0)
    return emit(alternatives)


def mask(text: str, spans) -> str:
    """Blank out spans (replace by spaces, keep newlines) so no rule matches there."""
    if not spans:
        return text
    pieces, pos = [], 0
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in spans):
        start = max(start, pos)
        if start >= end:
            continue
        pieces.append(text[pos:start])
        pieces.append(_NOT_NEWLINE.sub(" ", text[start:end]))
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


_NOT_NEWLINE = re.compile(r"[^\n]")


class SpanSet:
    """Spans (start, end) to test others against for overlap, each test a bisect."""

    def __init__(self, spans):
        spans = sorted(spans)
        self._starts = [s for s, _ in spans]
        self._max_end = list(itertools.accumulate((e for _, e in spans), max))  # furthest end so far

    def overlaps(self, start: int, end: int) -> bool:
        """True when [start, end) overlaps one of the spans."""
        i = bisect.bisect_left(self._starts, end)  # spans[:i] start before `end`
        return i > 0 and self._max_end[i - 1] > start


def literal_first(before: str, separator: str, after: str) -> regex.Pattern:
    """The pattern before + separator + after, rewritten to start at the separator.

    To scan for a pattern that opens with \\d, the regex module tests every
    character; one that opens with a literal it finds at memchr speed (~5x
    faster). So `before` becomes a lookbehind, whose groups are kept, and a
    match starts at the separator: read where the whole starts from a group of
    `before`. Nothing in `before` can hold the separator, and it must match
    backwards in exactly one way (a whole digit run, a whole word), as it does
    forwards. Run it with finditer(overlapped=True), which tries every
    separator, then skip a match that starts inside the one before, as a
    plain finditer would.
    """
    return regex.compile(rf"{separator}(?<={before}{separator}){after}")
