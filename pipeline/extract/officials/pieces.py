"""What the parts of the officials extractor share: one article's text and runs,
the pieces found in it (names, posts, chains, ties), and the regex pieces of one
language's patterns/<lang>/officials.json that names, posts and ties all use."""
from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, field

import regex

from ...article import Article
from ... import patterns
from ...text import BLANK, fold
from ...tokens import TokenView
from ..names import NameShape, folded_lower

LOOKBACK = 48             # characters looked at before a name for address, place and institution words
PROVINCE_GAP = 2          # a province this close to a post (blank between) belongs to it

# (All the regexes here run on the folded text, where every dash is "-" and ’ is '.)
WS = BLANK
CI = regex.IGNORECASE | regex.V1
# Patterns that must end where the window ends (\Z) are compiled to search
# backwards (REVERSE): the engine then starts at the one place a match
# can end instead of trying every position of the window. Whether there
# is a match is the same either way.
CI_BACK = CI | regex.REVERSE


# -- vocabulary helpers ---------------------------------------------------

# Full case folding (the V1 flag's default with IGNORECASE) lets one character
# match several: "ß" matches "ss", "ﬁ" matches "fi". It makes the regex module
# compile a case-insensitive word ~3x slower than simple case folding, and a
# word can only tell the difference if the several characters of such a fold
# lie in it or across its edges. These are all of Unicode's multi-character
# case folds that hold a character of ASCII (str.casefold; a test checks the
# list against it); a word of ASCII clear of them matches the same text either
# way, and words_regex writes it with simple case folding, (?-f:...).
MULTI_CHARACTER_FOLDS = ("a\u02be", "ff", "ffi", "ffl", "fi", "fl", "h\u0331", "i\u0307", "j\u030c", "ss", "st",
                         "t\u0308", "w\u030a", "y\u030a", "\u02bcn")
_FOLD_HEADS = tuple({fold[:k] for fold in MULTI_CHARACTER_FOLDS for k in range(1, len(fold))})
_FOLD_TAILS = tuple({fold[k:] for fold in MULTI_CHARACTER_FOLDS for k in range(1, len(fold))})


def simple_case_suffices(phrase: str) -> bool:
    """Does `phrase` (ASCII) match the same text with simple case folding as with full case folding?

    No multi-character fold may lie in it ("ss": "ß"), nor straddle its start
    or its end: in "s(?:sa)" the two "s" are one "ß" of "ßa" with full case
    folding, not in "s(?-f:sa)"."""
    return (phrase.isascii() and not any(fold in phrase for fold in MULTI_CHARACTER_FOLDS)
            and not phrase.endswith(_FOLD_HEADS) and not phrase.startswith(_FOLD_TAILS))


def words_regex(words, boundary: bool = True) -> str:
    """Alternation of folded phrases: blanks match any run of blanks, ' matches ’ too.

    Runs of phrases that need no full case folding are grouped in (?-f:...)
    (see MULTI_CHARACTER_FOLDS): same matches, in the same order, compiled
    faster."""
    parts = []
    for phrase in sorted({folded_lower(w) for w in words}, key=lambda w: (-len(w), w)):
        piece = regex.escape(phrase)
        piece = piece.replace("\\ :", f"{WS}*:")
        piece = regex.sub(r"(?:\\ )+", lambda _: f"{WS}+", piece).replace("'", "['’]")
        if boundary and phrase[-1].isalnum():
            piece += r"(?!\w)"
        parts.append((piece, simple_case_suffices(phrase)))
    runs = []
    for simple, run in itertools.groupby(parts, key=lambda part: part[1]):
        alternation = "|".join(piece for piece, _ in run)
        runs.append(f"(?-f:{alternation})" if simple else alternation)
    return "|".join(runs) if runs else r"(?!x)x"


class Vocabulary:
    """One language's officials.json, with the regex pieces that more than one part uses."""

    def __init__(self, cfg: dict):
        self.cfg = cfg
        # Articles as written, in lower case: a capitalised "Le" after a post is a family name
        # ("... Tribunal populaire suprême Le Minh Tri").
        self.articles = rf"(?-i:{words_regex(cfg.get('articles', []))})"
        self.address = words_regex(cfg.get("address", []) + cfg.get("list_intro", []))
        self.address_before = regex.compile(rf"(?<!\w)(?:{self.address}){WS}*\Z", CI_BACK)
        self.glue = words_regex(cfg.get("chain_glue", []))
        # (An address word ends a body also without its dot, as the tail walker reads words:
        # "président du Comité populaire de la ville à M| X".)
        stop_words = [folded_lower(w) for w in cfg.get("stop_words", []) + cfg.get("address", [])]
        self.stop_words = set(stop_words) | {w.rstrip(".") for w in stop_words if w.rstrip(".")}


# -- what one article yields ----------------------------------------------

@dataclass(slots=True)
class Name:
    start: int
    end: int
    syllables: int
    full: bool            # surname first, 2-4 syllables: can be a new official
    key: str              # fold_key of its text (see NameFinder._name_in_run)


@dataclass
class Post:
    start: int
    end: int
    type: str
    plural: bool = False


@dataclass
class Chain:
    posts: list[Post]

    @property
    def start(self) -> int:
        return self.posts[0].start

    @property
    def end(self) -> int:
        return self.posts[-1].end


@dataclass
class Tie:
    """One mention of a name, with the posts this mention gives it (maybe none)."""
    name: Name
    rule: str
    posts: list[Post] = field(default_factory=list)


class ArticleView:
    """Per-article facts shared by every language's rules."""

    def __init__(self, article: Article, shape: NameShape, sentence_openers: frozenset[str]):
        self.text = article.text
        self.folded = article.folded or fold(article.masked or article.text)
        self.tokens = article.tokens if article.tokens is not None else TokenView(self.folded)
        self.runs = shape.name_runs(self.folded, patterns.REGEX_TIMEOUT, sentence_openers)
        self.provinces: list[tuple[int, int, str]] = sorted(
            (m["start"], m["end"], fact["name"])
            for fact in article.facts.get("provinces", []) for m in fact.get("mentions", []))
        self.province_starts = [s for s, _, _ in self.provinces]
        self.longest_province = max((e - s for s, e, _ in self.provinces), default=0)

    def name_form(self, name: Name) -> str:
        """fold_name(text of the name), the cheap way (see NameFinder._name_in_run)."""
        form = " ".join(self.folded[name.start:name.end].split())
        return form.title() if form.isupper() else form      # "NGUYEN VAN A" -> "Nguyen Van A"

    def province_end_covering(self, pos: int) -> int | None:
        """End of the province mention that covers `pos` ("TP Hồ Chí Minh" covers "Hồ")."""
        i = bisect.bisect_right(self.province_starts, pos) - 1
        if i >= 0 and pos < self.provinces[i][1]:
            return self.provinces[i][1]
        return None

    def province_of(self, post: Post) -> str | None:
        # Mentions starting this far before the post end before the gap (skipped below anyway).
        first = bisect.bisect_left(self.province_starts, post.start - PROVINCE_GAP - self.longest_province + 1)
        for start, end, name in itertools.islice(self.provinces, first, None):
            if start >= post.end + PROVINCE_GAP:
                break
            if end <= post.start - PROVINCE_GAP:
                continue
            gap = self.text[post.end:start] if start >= post.end else self.text[end:post.start] if end <= post.start else ""
            if not gap.strip():
                return name
        return None
