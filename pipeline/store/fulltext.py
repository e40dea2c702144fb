"""Free text as a person types it -> an FTS5 MATCH expression, and a regex that
finds the same words in a sentence to highlight them.

The full-text indexes hold text folded (no diacritics, Đ -> D) and masked
(see schema.sql), so the query is folded the same way. What the user types
can only mean "these words": every run of letters and digits is a word,
"quoted words" stay together as a phrase, and a word ending in `*` is a
prefix (`politbur*`). Everything else -- FTS5 operators (AND, OR, NOT, NEAR),
column filters, parentheses, `^`, SQL -- is searched as plain words or
dropped, because the MATCH expression is built only from quoted phrases.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import regex

from ..text import fold

MAX_QUERY_CHARS = 500   # longer input is refused: no one types that, and FTS5 cost grows with it
MAX_QUERY_WORDS = 32
MIN_PREFIX = 2          # `a*` would expand to most of the index

_WORD = regex.compile(r"[\p{L}\p{N}\p{M}]+")
_TOKEN = re.compile(r'"([^"]*)"(\*?)|(\S+)')
_WORD_CHAR = r"[\p{L}\p{N}\p{M}]"


class QueryError(ValueError):
    """Free text that cannot be searched (no words, too long, a one-letter prefix)."""


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]   # folded, lower case, without combining marks
    prefix: bool = False     # the last word is a prefix


def _words(text: str) -> list[str]:
    words = [w.lower() for w in _WORD.findall(fold(text))]
    words = ["".join(c for c in unicodedata.normalize("NFKD", w) if not unicodedata.combining(c)) for w in words]
    return [w for w in words if w]


def check_length(value: str, what: str) -> None:
    if len(value) > MAX_QUERY_CHARS:
        raise QueryError(f"{what} is {len(value)} characters long; at most {MAX_QUERY_CHARS} are searched")


def phrases(user_text: str) -> list[Phrase]:
    """The phrases of a free-text query; a bare token is one phrase (57-NQ/TW -> '57 nq tw')."""
    check_length(user_text or "", "the query")
    text = unicodedata.normalize("NFC", user_text or "")
    found = []
    for quoted, quoted_star, bare in _TOKEN.findall(text):
        prefix = bool(quoted_star) if not bare else bare.endswith("*")
        words = _words(quoted if not bare else bare)
        if not words:
            continue
        if prefix and len(words[-1]) < MIN_PREFIX:
            raise QueryError(f"a prefix needs at least {MIN_PREFIX} letters before the *: {(bare or quoted)!r}")
        found.append(Phrase(tuple(words), prefix))
    if sum(len(p.words) for p in found) > MAX_QUERY_WORDS:
        raise QueryError(f"the query has {sum(len(p.words) for p in found)} words; at most {MAX_QUERY_WORDS} are searched")
    return found


def fts_query(user_text: str) -> str | None:
    """An FTS5 MATCH expression that can only mean 'these phrases, all of them'."""
    parts = ['"' + " ".join(p.words).replace('"', '""') + '"' + ("*" if p.prefix else "") for p in phrases(user_text)]
    return " AND ".join(parts) if parts else None


def phrase_regex(all_phrases: list[Phrase]):
    """A regex over folded lower-case text matching any of the phrases, whole words only."""
    if not all_phrases:
        return None
    alternatives = []
    for p in all_phrases:
        body = r"[^\p{L}\p{N}]+".join(regex.escape(w) for w in p.words)
        alternatives.append(body + (_WORD_CHAR + "*" if p.prefix else ""))
    return regex.compile(r"(?<![\p{L}\p{N}])(?:" + "|".join(alternatives) + r")(?![\p{L}\p{N}])")


def _folded_lower(text: str) -> str:
    """fold + lower, keeping the length so offsets still fit the original."""
    folded = fold(text)
    lowered = folded.lower()
    if len(lowered) == len(folded):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)


def find_terms(text: str, pattern) -> list[tuple[int, int, str]]:
    """(start, end, matched folded text) of every query phrase in `text` (original or folded)."""
    if pattern is None or not text:
        return []
    lowered = _folded_lower(text)
    return [(m.start(), m.end(), m.group()) for m in pattern.finditer(lowered, timeout=2.0)]
