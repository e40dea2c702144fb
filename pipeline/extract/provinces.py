"""Provinces: the 63 pre-2025 provinces and cities, found as phrases of tokens (pipeline/tokens.py).

The gazetteer (patterns/provinces.jsonl, built by tools/build_gazetteer.py)
gives every spelling; they are matched on the lower-cased, diacritic-folded
tokens of the article, so `Hòa Bình`, `Hoa Binh` and `HOA BINH` are one
pattern. Each pattern's match id is the province's row id, so normalizing
is reading the id. Checks on the match and its context then drop what is not
the province (the words are data, in patterns/<lang>/provinces.json):

- the diacritics as written contradict every spelling of the province
  (`Huệ` folds like `Huế` but is another name, see `marks_fit`);
- a longer name that starts with the province's (`Điện Biên Phủ`);
- a person's name (`Nguyen Hoa Binh`), a newspaper (`journal Son La`), the
  person or ideology Ho Chi Minh;
- a district, commune or ward named like the province, or ending with its
  name (`huyện Điện Biên`, `district de Duc Hue`);
- the city that shares a province's name (`thành phố Bắc Giang`), except for
  the centrally-run cities, whose city is the province (`TP Hà Nội`).
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import regex

from ..article import Article
from ..facts import Hit
from ..pattern_files import PROVINCE_CUE_KEYS as _CUE_KEYS
from ..patterns import language_codes, language_file, read_lines, read_rows
from ..text import fold
from ..tokens import PhraseIndex, TokenView, longest_matches, phrase_words

_WINDOW = 4  # tokens looked at on each side for context
_PERSON_RUN = 3  # capitalised words before a match looked at for a family name ("Nguyen Thi Hoa Binh")
_NAME_RUN = 2  # capitalised words that may stand between a district cue and the match ("huyện Đức Huệ")
_BLOCKED = "!"  # suffix of the match ids of longer names that are not the province


class ProvincesExtractor:
    def __init__(self):
        self.matcher = PhraseIndex()
        self.match_rows = {}  # match id -> (row, ambiguous)
        self.blocked_ids = set()
        self.spellings = {}   # row id -> {folded syllables: [marks of each written spelling]}
        self._fits: dict[tuple[str, str], bool] = {}  # (row id, as written) -> _marks_fit
        for row in read_rows("provinces.jsonl"):
            if row["era"] != "old":
                continue
            self._add(row["id"], row["variants"], (row, False))
            if row["ambiguous_variants"]:
                self._add(row["id"] + "?", row["ambiguous_variants"], (row, True))
            if row["longer_names"]:
                for name in row["longer_names"]:
                    self.matcher.add_text(row["id"] + _BLOCKED, fold(name))
                self.blocked_ids.add(row["id"] + _BLOCKED)
            spellings = self.spellings.setdefault(row["id"], {})
            for written in [row["name_vi"], *row["variants"], *row["ambiguous_variants"]]:
                syllables = _syllables(written)
                spellings.setdefault(tuple(fold(s) for s in syllables), []).append(tuple(map(_marks, syllables)))
        self.matcher.build()
        self.surnames = frozenset(fold(w).lower() for w in read_lines("names/surnames.txt"))
        self.context = {}
        for lang in language_codes():
            cfg = language_file(lang, "provinces.json") or {}
            self.context[lang] = {key: [_cue_words(w) for w in cfg.get(key, [])] for key in _CUE_KEYS}
        # A language without its own context file still gets every language's negative cues.
        self.any_lang = {key: sorted({w for c in self.context.values() for w in c[key]}) for key in _CUE_KEYS}
        # The same cue lists ready for str.endswith / str.startswith (see _Context).
        self._contexts = {lang: _Context(c) for lang, c in self.context.items()}
        self._any_context = _Context(self.any_lang)

    def _add(self, match_id: str, spellings: list[str], payload: tuple) -> None:
        for spelling in spellings:
            self.matcher.add_text(match_id, fold(spelling))
        self.match_rows[match_id] = payload

    def find(self, article: Article) -> list[Hit]:
        tokens = article.tokens if article.tokens is not None else TokenView(article.folded)
        text = article.text
        context = self._contexts.get(article.lang, self._any_context)
        names, blocked = self._split_longer_names(text, tokens, self.matcher.find(tokens))
        hits = []
        for match_id, begin, finish, size in longest_matches(names):
            if begin in blocked:
                continue  # "Điện Biên" in "Điện Biên Phủ"
            row, ambiguous = self.match_rows[match_id]
            if not (text[begin].isupper() or any(text[s].isupper() for s, _ in tokens.after(begin, size)[1:])):
                continue  # "hue" the colour, not Hué the city
            written = text[begin:finish]
            if not written.isascii() and not self._marks_fit(row["id"], written):
                continue  # "Huệ" is not "Huế"
            # The tokens around: the words a cue may end or start with, a name the match may end.
            before_tokens, after_tokens = tokens.around(begin, finish, _WINDOW + _NAME_RUN, _WINDOW)
            words, capitalised = _words_before(text, tokens, before_tokens[-_WINDOW:])
            # Capitalised words right before: a person's name, or a district's that the match ends.
            names_before = _capitalised_before(text, tokens, before_tokens) if capitalised else []
            if names_before and not self.surnames.isdisjoint(names_before):
                continue  # a person: the capitalised words before start with a family name
            central = row["centrally_run"]
            before = " " + " ".join(words)
            drop_after = context.drop_after[central]
            # The words after are read only when a cue list needs them.
            after = (" ".join(tokens.words(after_tokens)) + " "
                     if drop_after or ambiguous and context.place_cues_after else "")
            # Newspapers, people, districts and (but for centrally-run cities) the namesake city.
            if before.endswith(context.drop_before[central]) or after.startswith(drop_after):
                continue
            if size == 1 and names_before and self._ends_a_subunit_name(tokens, before_tokens, names_before,
                                                                        context):
                continue
            if ambiguous and not (before.endswith(context.place_cues_before)
                                  or after.startswith(context.place_cues_after)):
                continue
            rule = "provinces.any.gazetteer_context" if ambiguous else "provinces.any.gazetteer"
            hits.append(Hit(row["name"], begin, finish, rule, {
                "name_vi": row["name_vi"], "code": row["code"],
                "merged_into": row["merged_into"], "merged_into_code": row["merged_into_code"],
            }))
        return hits

    def _split_longer_names(self, text: str, tokens: TokenView, matches) -> tuple[list, frozenset | set]:
        """The province matches, and the token starts inside a longer name written in capitals
        (Điện Biên Phủ; not "Điện Biên đông dân")."""
        names = [m for m in matches if m[0] not in self.blocked_ids]
        if len(names) == len(matches):
            return names, frozenset()  # the usual case: no longer name in the article
        blocked = set()
        folded = tokens.text
        for match_id, start, _, size in matches:
            if match_id in self.blocked_ids:
                inside = tokens.after(start, size)
                if all(not folded[s:e].isalpha() or text[s].isupper() for s, e in inside):
                    blocked.update(s for s, _ in inside)
        return names, blocked

    def _marks_fit(self, row_id: str, written: str) -> bool:
        """Do the diacritics as written fit some spelling of this province?

        Unknown syllable splits are given the benefit of the doubt. The same
        few spellings recur in every article, so each answer is kept.
        """
        fits = self._fits.get((row_id, written))
        if fits is None:
            syllables = _syllables(written)
            candidates = self.spellings[row_id].get(tuple(fold(s) for s in syllables))
            fits = not candidates or any(all(marks_fit(m, c) for m, c in zip(map(_marks, syllables), spelling))
                                         for spelling in candidates)
            if len(self._fits) < 65536:
                self._fits[(row_id, written)] = fits
        return fits

    @staticmethod
    def _ends_a_subunit_name(tokens: TokenView, before: list, names_before: list[str], context: "_Context") -> bool:
        """A one-word name that ends a district's, after the district cue: "district de Duc Hue".

        `before`: the tokens before the match. (Only one-word names: in an address
        without a comma, "quận Ba Đình Hà Nội" keeps Hà Nội.)
        """
        run_start = len(before) - min(len(names_before), _NAME_RUN)
        words = " " + " ".join(tokens.words(before[max(0, run_start - _WINDOW):run_start]))
        return words.endswith(context.subunit_before)


class _Context:
    """Cue phrases of one language, ready for one str.endswith / str.startswith each.

    The words before a match, joined with spaces and with a space put in front,
    end with " " + phrase exactly when they are the phrase or end with it as
    whole words; likewise for the words after, with a space put behind.
    drop_before / drop_after[centrally_run] join every list that drops a match
    (a centrally-run city keeps its city and district cues), so the usual
    match costs one check on each side.
    """

    def __init__(self, cues: dict):
        for key in _CUE_KEYS:
            phrases = [" ".join(p) for p in cues[key] if p]
            if key.endswith("_before"):
                setattr(self, key, tuple(" " + p for p in phrases))
            else:
                setattr(self, key, tuple(p + " " for p in phrases))
        self.drop_before = {True: self.not_place_before + self.subunit_before,
                            False: self.not_place_before + self.subunit_before + self.city_before}
        self.drop_after = {True: self.not_place_after,
                           False: self.not_place_after + self.subunit_after + self.city_after}


def _cue_words(phrase: str) -> tuple[str, ...]:
    """A cue phrase as the words TokenView.words gives for it: the same tokenizer as the article."""
    return phrase_words(fold(phrase))


def _capitalised_before(text: str, tokens: TokenView, before: list) -> list[str]:
    """The capitalised words among the tokens `before` a match, right before it, lower case,
    nearest first (at most _PERSON_RUN; the tokens are folded, the case is the article's)."""
    words = []
    folded = tokens.text
    for s, e in reversed(before[-_PERSON_RUN:]):
        if not folded[s:e].isalpha() or not text[s].isupper():
            break
        words.append(folded[s:e].lower())
    return words


def _words_before(text: str, tokens: TokenView, before: list) -> tuple[list[str], bool]:
    """The words of the tokens `before` a match, and whether the one right before is capitalised."""
    return tokens.words(before), bool(before) and text[before[-1][0]].isupper()


# -- diacritics: does what is written fit a spelling? --

_SYLLABLE = regex.compile(r"[^\W\d_]+")
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")       # grave, acute, tilde, hook above, dot below
# Hỏi and ngã sound alike in the South and are often swapped in writing (Quảng Ngải): one tone here.
_SAME_TONE = {"\u0303": "\u0309"}
_QUALITIES = frozenset("\u0302\u0306\u031b")               # circumflex (â ê ô), breve (ă), horn (ơ ư)
_STROKE = "\u0335"                                         # stands for the bar of đ


def _syllables(written: str) -> list[str]:
    return _SYLLABLE.findall(written.lower())


@lru_cache(maxsize=8192)
def _marks(syllable: str) -> tuple[str | None, tuple[frozenset, ...]]:
    """The tone of a syllable and the vowel marks of each letter: 'huế' -> (acute, ({}, {}, {circumflex}))."""
    tone = None
    letters: list[set] = []
    for ch in unicodedata.normalize("NFD", syllable.replace("đ", "d" + _STROKE).replace("ð", "d" + _STROKE)):
        if unicodedata.combining(ch):
            if ch in _TONES:
                tone = _SAME_TONE.get(ch, ch)
            elif (ch in _QUALITIES or ch == _STROKE) and letters:
                letters[-1].add(ch)
        else:
            letters.append(set())
    return tone, tuple(frozenset(s) for s in letters)


def marks_fit(written: tuple, spelling: tuple) -> bool:
    """Written marks fit a spelling when they only leave marks out, never put others in.

    `Hué`, `Huê` and `Hue` fit `Huế`; `Huệ` (dot below) does not. French and
    German papers drop tones and vowel marks, and Vietnamese puts the tone on
    either vowel of some syllables (`Hoà`, `Hòa`), so the tone is compared per
    syllable and the vowel marks per letter.
    """
    tone, letters = written
    spelled_tone, spelled_letters = spelling
    if tone is not None and tone != spelled_tone:
        return False
    return all(mine <= theirs for mine, theirs in zip(letters, spelled_letters))
