"""Text helpers shared by every stage: diacritic folding, masking, alternations of words.

Folding is *length-preserving* (one character in, one character out), so a
folded or masked copy of the article can be searched and its offsets used
directly on the original text.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import regex


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
    for cp in (0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212):
        table[cp] = "-"
    # Typographic apostrophes become "'" (l’autoroute / l'autoroute).
    table[0x2019] = "'"
    return table


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]+")


def fold(text: str) -> str:
    """Remove diacritics, Đ->D, keeping the length: 'Nguyễn Văn Gấu' -> 'Nguyen Van Gau'."""
    if text.isascii():
        return text
    table = _fold_table()
    # str.translate looks up every character; in French or German text, where
    # accented letters are rare, translating only the non-ASCII runs is ~2.5x
    # faster. Vietnamese (dense with diacritics) keeps the plain translate.
    if (len(text.encode("utf-8")) - len(text)) * 12 < len(text):
        return _NON_ASCII_RUN.sub(lambda m: m.group().translate(table), text)
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
        pieces.append(_BLANK.sub(" ", text[start:end]))
        pos = end
    pieces.append(text[pos:])
    return "".join(pieces)


_BLANK = re.compile(r"[^\n]")
