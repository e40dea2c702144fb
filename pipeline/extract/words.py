"""Regexes for lists of literal words (month names, cue words), and the key to look a written word up.

`word_tree` writes a list as a prefix tree, which the regex module tests much
faster than a plain alternation where none of the words matches; with
behind=True, a suffix tree for lookbehinds, which the engine reads backwards.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

from ..text import alternation


@lru_cache(maxsize=1024)  # month words recur in every article
def word_key(word: str) -> str:
    """Lookup key of a written word: NFC, lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFC", word).lower().split())


def word_alternation(words) -> str:
    """Alternation of literal words, longest first; a space matches any run of spaces."""
    return alternation(words).replace("\\ ", "\\s+")


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
    flags = regex.IGNORECASE if ignore_case else 0

    def unit(ch: str) -> str:
        return r"\s+" if ch == " " else regex.escape(ch)

    def matches(a: str, b: str) -> bool:  # does a's unit match the character b?
        return regex.fullmatch(unit(a), b, flags) is not None

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
        branches = [unit(c) + emit(child) for c, child in node.items() if c]
        if "" in node:
            branches.append("")  # a word ends here: tried after its continuations
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(root)


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
