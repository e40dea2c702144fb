"""Vietnamese personal names: the shape of their syllables and their family names.

Both are data (patterns/names/syllables.json, patterns/names/surnames.txt). This
module finds *runs*: capitalised words of that syllable shape written one after
another (`Nguyen Van Gau`, `Ho Chi Minh`, `Lam Dong`). Which run holds a person,
and which a place or an institution, is decided by the officials extractor,
which knows the words around it.
"""
from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections import defaultdict

import regex

from ..pattern_files import FILES
from ..patterns import PatternError, check, read_json
from ..text import alternation, fold

# A name broken by a line break ("Tran Thanh\nMan") is joined only inside
# hard-wrapped prose: the line before the break is at least this long, and the
# whole name is no longer than this.
_WRAPPED_LINE = 30
_MAX_JOINED_SYLLABLES = 4
_NON_ASCII = regex.compile(r"[^\x00-\x7f]")
_CAPS_WORD = re.compile(r"[A-Z]+")
_LINE_BREAK_IN_RUN = re.compile(r"\n(?<=[a-z]\n)[A-Z]")   # (the line break first: `re` finds it fast)
_WORD_CHAR_AGREES: dict[str, bool] = {}    # non-ASCII character -> re and regex agree whether it is \w
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def folded_lower(text: str) -> str:
    return fold(unicodedata.normalize("NFC", text)).lower()


def _strip_tone(ch: str) -> str:
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", ch) if c not in _TONE_MARKS))


def _tone_placements(syllable: str) -> list[str]:
    """The syllable with its tone mark on each of its vowels in turn ("ngụy", "nguỵ")."""
    letters = [unicodedata.normalize("NFD", c) for c in syllable]
    tones = [m for d in letters for m in d if m in _TONE_MARKS]
    if len(tones) != 1:
        return [syllable]
    bare = [_strip_tone(c) for c in syllable]
    vowels = [i for i, c in enumerate(bare) if fold(c) in "aeiouy"]
    return [unicodedata.normalize("NFC", "".join(c + tones[0] if i == v else c for i, c in enumerate(bare)))
            for v in vowels]


def word_chars_agree(text: str) -> bool:
    r"""Whether `re` and `regex` agree on \w for every character of the text (they do on ASCII)."""
    for ch in set(_NON_ASCII.findall(text)):
        agrees = _WORD_CHAR_AGREES.get(ch)
        if agrees is None:
            agrees = _WORD_CHAR_AGREES[ch] = (re.match(r"\w", ch) is None) == (regex.match(r"\w", ch) is None)
        if not agrees:
            return False
    return True


class Surnames:
    """Family names. A written syllable is one when it folds to a listed name and
    every diacritic it keeps agrees with that name: `Trân` and `Tran` are
    `Trần`, and so is the old placement of a tone mark (`Nguỵ` for `Ngụy`), but
    `Đảng` (the Party) is not `Đặng`. `Ð` (the Icelandic eth, a common slip)
    counts as `Đ`."""

    def __init__(self, names: list[str]):
        # folded lower-case form -> every lower-case spelling that agrees with a
        # name of that form: each letter as written, folded, or without its
        # tone mark ("trần" -> trần, tràn, trân, tran, ...), so that a lookup
        # is one set test.
        self.spellings: dict[str, set[str]] = defaultdict(set)
        for name in names:
            for form in _tone_placements(name.lower()):
                letters = [{c for c in (b, fold(b), _strip_tone(b)) if len(c) == 1} for b in form]
                self.spellings[folded_lower(name)].update("".join(p) for p in itertools.product(*letters))

    def could_be(self, folded_lower: str) -> bool:
        """Whether a word, folded and lower-cased, folds like a family name (a quick test before `matches`)."""
        return folded_lower in self.spellings

    def matches(self, written: str, folded_lower: str) -> bool:
        """Whether a written syllable is a family name; folded_lower is its folded, lower-case form."""
        spellings = self.spellings.get(folded_lower)
        return spellings is not None and written.lower().replace("ð", "đ") in spellings


_SYLLABLES = "names/syllables.json"


def read_syllables(cfg: dict | None = None) -> dict:
    """patterns/names/syllables.json, or `cfg` checked the same way (keys, ASCII letters)."""
    cfg = read_json(_SYLLABLES) if cfg is None else check(cfg, FILES[_SYLLABLES], _SYLLABLES)
    pieces = (cfg["onsets"] + cfg.get("minority_onsets", []) + cfg["finals"] + cfg.get("minority_finals", [])
              + cfg["vowels"])
    if not all(isinstance(w, str) and w.isalpha() and w.isascii() for w in pieces):
        raise PatternError(f"{_SYLLABLES}: onsets, vowels and finals are ASCII letters")
    return cfg


def _letter_groups(groups: list[str]) -> str:
    """Alternation of onsets or finals: the longer ones first, the single letters as one class."""
    longer = [g for g in groups if len(g) > 1]
    letters = "".join(sorted({g for g in groups if len(g) == 1}))
    return "|".join(filter(None, [alternation(longer), f"[{letters}]" if letters else ""]))


def byline_syllable(cfg: dict | None = None) -> str:
    """A regex for one whole syllable of the main shape (onsets, vowels, finals; not the
    minority ones), matched on a folded lower-case word: a byline name standing alone on its
    line is made of these (pipeline/bylines.py). Built from the same data as the run finders."""
    cfg = read_syllables(cfg)
    onset = _letter_groups([o.lower() for o in cfg["onsets"]])
    final = _letter_groups(cfg["finals"])
    return rf"(?:{onset})?[{''.join(cfg['vowels'])}]{{1,{int(cfg['max_vowels'])}}}(?:{final})?"


class NameShape:
    """The syllable shape of patterns/names/syllables.json, compiled into the run finders."""

    def __init__(self, cfg: dict | None = None):
        cfg = read_syllables(cfg)
        onsets = cfg["onsets"] + cfg.get("minority_onsets", [])
        finals = cfg["finals"] + cfg.get("minority_finals", [])
        vowels = "".join(cfg["vowels"])
        most = int(cfg["max_vowels"])
        capitals = vowels.upper()
        onset = _letter_groups(onsets)
        final = _letter_groups(finals)
        # One syllable, capitalised: onset + vowels, or a capital vowel + vowels; then a final.
        syllable = (rf"(?:(?:{onset})[{vowels}]{{1,{most}}}|[{capitals}][{vowels}]{{0,{most - 1}}})"
                    rf"(?:{final})?(?!\w)")
        # A run of such syllables, taken whole (atomic): a run glued to a hyphen
        # ("Hô Chi Minh-Ville", "Hoa Binh-Moc Chau") is a place, never a name.
        # That is `(?<![\w-])(?>SYLLABLE(?:[ \u00a0]SYLLABLE)*)(?![\w-])`, written for
        # speed as: a capital letter, checked (lookbehind) to open a syllable, then the
        # rest of that syllable (all lower-case letters, so `[a-z]*` takes exactly it)
        # and the next syllables. Same matches, but with a plain character class first
        # the regex module skips quickly from capital to capital instead of trying the
        # syllable alternation at every word.
        self.run_re = regex.compile(
            rf"(?<![\w-])[A-Z](?<=(?={syllable})[A-Z])(?>[a-z]*(?:[ \u00a0]{syllable})*)(?![\w-])")
        # The same runs, found in about half the time by the `re` module, which does
        # less work per capital letter. Written for `re`: only the capitals a syllable
        # can open with, and the lookbehind after the capital. And linear, since `re`
        # has no timeout: a run glued to a hyphen is matched with its hyphen (a run
        # only ever ends before a hyphen or a non-word character) and dropped
        # afterwards, so that the search goes on after it instead of retrying each of
        # its syllables. The two modules agree on all of this but \w, which differs on
        # a few non-ASCII characters (combining marks, "²"): a text with one of them
        # (see word_chars_agree) is searched with run_re.
        initials = "[" + "".join(sorted({o[0] for o in onsets} | set(capitals))) + "]"
        self.run_re_fast = re.compile(
            rf"{initials}(?<![\w-].)(?<=(?={syllable})[A-Z])(?>[a-z]*(?:[ \u00a0]{syllable})*)(?P<hyphen>-)?")
        self.caps_syllable = re.compile(syllable.replace("(?!\\w)", ""), re.IGNORECASE)
        # Both kinds of run in one pass (what name_runs uses): names in capitals
        # ("NGUYEN VAN A") -- after the capital, two or more upper-case words, each a whole word (never the "TP" of "TP Ho Chi
        # Minh" swallowing "Ho"), with what the last one is glued to; or else the
        # capitalised run of run_re_fast. (Capitals first: "Y BLIM NIE" is one run,
        # not the vowel "Y" then "BLIM NIE".) The upper-case words are then cut into
        # pieces of at least two name-shaped syllables (_caps_pieces). Possessive, so
        # linear: a last word glued to more letters or a hyphen is matched with what
        # it is glued to, and left out afterwards. About the cost of run_re_fast alone.
        name_run = (rf"{initials}(?<![\w-].)(?:(?P<caps>[A-Z]*+(?![a-z])(?:[ \u00a0][A-Z]++(?![a-z]))++)(?P<glued>[\w-])?"
                    rf"|(?<=(?={syllable})[A-Z])(?>[a-z]*(?:[ \u00a0]{syllable})*)(?P<hyphen>-)?)")
        self.name_run_re_fast = re.compile(name_run)
        # The same pattern for the `regex` module (its \w, and a timeout), for the
        # rare text where the two modules' \w disagree (see word_chars_agree).
        self.name_run_re = regex.compile(name_run)

    def _caps_pieces(self, folded: str, start: int, end: int, glued: bool, runs: list) -> None:
        """The pieces of two or more name-shaped words among the upper-case words in
        [start, end), added to runs; the last word is left out when glued to more."""
        if glued:
            end = max(folded.rfind(" ", start, end), folded.rfind("\u00a0", start, end))
        piece: list[tuple[int, int]] = []      # the name-shaped words in a row so far
        for word in _CAPS_WORD.finditer(folded, start, end):
            if self.caps_syllable.fullmatch(word.group()):
                piece.append(word.span())
                continue
            if len(piece) >= 2:
                runs.append((piece[0][0], piece[-1][1]))
            piece = []
        if len(piece) >= 2:
            runs.append((piece[0][0], piece[-1][1]))

    def runs(self, folded: str, timeout: float | None = None) -> list[tuple[int, int]]:
        """(start, end) of every run of capitalised name-shaped syllables in the folded text."""
        if word_chars_agree(folded):
            return [m.span() for m in self.run_re_fast.finditer(folded) if m["hyphen"] is None]
        return [m.span() for m in self.run_re.finditer(folded, timeout=timeout)]

    def name_runs(self, folded: str, timeout: float | None = None,
                  sentence_openers: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
        """Every run that may hold a name, in text order: the capitalised runs,
        the runs in capitals, and a run broken by a line break joined again
        (see join_broken_runs; sentence_openers are folded lower-case words that
        never continue a name across a line break)."""
        if word_chars_agree(folded):
            matches = self.name_run_re_fast.finditer(folded)
        else:
            matches = self.name_run_re.finditer(folded, timeout=timeout)
        runs: list[tuple[int, int]] = []
        for m in matches:
            if m["caps"] is not None:
                self._caps_pieces(folded, m.start(), m.end(), m["glued"] is not None, runs)
            elif m["hyphen"] is None:
                runs.append(m.span())
        return join_broken_runs(folded, runs, sentence_openers)


def join_broken_runs(folded: str, runs: list[tuple[int, int]], sentence_openers=frozenset()) -> list[tuple[int, int]]:
    """Runs split by one line break inside hard-wrapped prose, joined ("Tran Thanh\\nMan").

    Joined only when the line before the break is a line of prose (at least
    _WRAPPED_LINE characters), the second part does not open a sentence (its
    first word is no sentence opener and the text goes on in lower case or
    with punctuation after it) and the whole is short enough for one name. A
    caption line ending with a name followed by a new paragraph stays apart.
    """
    # Only where a letter ends a line and a capital opens the next (rare) is a
    # run looked up, by bisection: no pass over all the runs unless one is joined.
    breaks = []                                   # indices of runs that open the line after a break
    for m in _LINE_BREAK_IN_RUN.finditer(folded):
        newline = m.start()
        i = bisect.bisect_left(runs, (newline + 1, 0))
        if 0 < i < len(runs) and runs[i][0] == newline + 1 and runs[i - 1][1] == newline:
            breaks.append(i)
    if not breaks:
        return runs
    joined = list(runs[:breaks[0]])
    for i in range(breaks[0], len(runs)):
        start, end = runs[i]
        prev_start = joined[-1][0]
        if (start == joined[-1][1] + 1 and folded[start - 1] == "\n"
                and start - 1 - (folded.rfind("\n", 0, start - 1) + 1) >= _WRAPPED_LINE
                and len(folded[prev_start:end].split()) <= _MAX_JOINED_SYLLABLES
                and folded[start:end].split(" ", 1)[0].lower() not in sentence_openers
                and _goes_on(folded, end)):
            joined[-1] = (prev_start, end)
        else:
            joined.append((start, end))
    return joined


def _goes_on(folded: str, pos: int) -> bool:
    """Whether the sentence goes on after `pos`: a lower-case word or , ; . ) next on the line."""
    rest = folded[pos:pos + 3].lstrip(" \t\u00a0")
    return bool(rest) and (rest[0].islower() or rest[0] in ",;.)")
