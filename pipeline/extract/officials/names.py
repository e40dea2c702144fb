"""Officials, names: which run of name-shaped syllables (pipeline/extract/names.py)
holds a personal name, and which a place or an institution."""
from __future__ import annotations

import unicodedata

import regex

from ..names import Surnames, folded_lower
from .pieces import CI, CI_BACK, LOOKBACK, WS, ArticleView, Name, Vocabulary, words_regex

MAX_NAME_SYLLABLES = 4     # surname first; five only when no shorter name fits (see _name_in_run)
MAX_OPENED_SYLLABLES = 6   # a name with an opener: "Y" + up to five syllables
_RUN_SHAPES_CACHED = 5_000     # distinct run texts kept per language (bounded: worker memory; see _run_shape)
_CLAUSE_BREAKS = ",;:.()\n"


class NameFinder:
    """The names of one language's text: family names, openers, places, and the words around a run."""

    def __init__(self, vocab: Vocabulary, surnames: Surnames, places: dict, openers: frozenset[str],
                 middle_names: frozenset[str]):
        cfg = vocab.cfg
        self.surnames = surnames
        self.openers = openers
        self.middle_names = middle_names
        self.places = places
        self.address_before = vocab.address_before
        self.address_words = {folded_lower(w) for w in cfg.get("address", []) if " " not in w.strip()}
        self.place_before = regex.compile(rf"(?<!\w)(?:{words_regex(cfg.get('place_before', []))}){WS}*\Z",
                                          CI_BACK)
        self.place_after = regex.compile(rf"(?:['’]s)?(?:{WS}|-)(?:{words_regex(cfg.get('place_after', []))})", CI)
        self.institution = regex.compile(rf"(?<!\w)(?:{words_regex(cfg.get('institution_before', []))})", CI)
        # The few words before a name are much the same from article to article
        # ("le camarade", "đồng chí", "" after a comma): the answers are kept (up to 4,096).
        self._institution_answers: dict[str, bool] = {}
        self.body_words = {unicodedata.normalize("NFC", w).lower() for w in cfg.get("body_words", [])}
        self._run_shapes: dict[str, tuple] = {}

    def names(self, art: ArticleView) -> list[Name]:
        """The personal name (or short given-name reference) each run holds, if any."""
        names = []
        folded, shapes = art.folded, self._run_shapes
        for run_start, run_end in art.runs:
            run = folded[run_start:run_end]
            shape = shapes.get(run) or self._run_shape(run)
            skipped, words, key, maybe_surname = shape
            if maybe_surname:
                name = self._name_in_run(art, run_start + skipped, run_end, words)
                if name:
                    names.append(name)
            elif len(words) <= 2:
                names.append(Name(run_start + skipped, run_end, len(words), False, key))   # "Gau", "Hoang Yen"
            elif len(words) <= MAX_NAME_SYLLABLES:
                name = self._addressed_unlisted_name(art, run_start + skipped, run_end, words)
                if name:
                    names.append(name)
        return names

    def _addressed_unlisted_name(self, art: ArticleView, run_start: int, run_end: int,
                                 words: tuple[str, ...]) -> Name | None:
        """A name whose family name is not in the list (`ông Đồng Văn Thanh`, `bà Tráng Thị Xuân`):
        three or four name-shaped syllables right after an address word, with no place in them.
        Like any name it becomes an official only with a post tied to it. (Đồng stays out of
        the list, for `Đồng chí`, `Đồng Hới`: only an address word makes it a family name.)"""
        if not 3 <= len(words) <= MAX_NAME_SYLLABLES:
            return None
        before = art.folded[max(0, run_start - LOOKBACK):run_start]
        if not self.address_before.search(before):
            return None                       # (an address opening the run is part of `before` too)
        if self.place_after.match(art.folded, run_end):
            return None                       # "Mr. Hai Ba Trung Street"
        spans, pos = [], run_start
        for word in words:
            spans.append((pos, pos + len(word)))
            pos += len(word) + 1
        if self._place_inside(art, spans, words, 0):
            return None                       # "bà Rịa Vũng Tàu": a province
        return Name(run_start, run_end, len(words), True, " ".join(words))

    def _run_shape(self, run: str) -> tuple[int, tuple[str, ...], str, bool]:
        """What a run's text alone tells: the characters an address opening it takes
        ("Ông Mãi"), its words and their key, and whether one of them but the last
        folds like a family name. Cached: the same runs come back in every article.

        Words are read from the folded text: inside a run it is plain ASCII
        letters and blanks, and there folded = fold(text) letter by letter, so
        a word lower-cased is what _folded_lower and fold_key give for the
        written text, without their cost.
        """
        words = run.lower().replace("\u00a0", " ").replace("\n", " ").split(" ")
        skipped = 0
        while len(words) > 1 and words[0] in self.address_words:
            skipped += len(words.pop(0)) + 1   # "Ông Mãi", "Bà Hồ Thị Hoàng Yến": the address opens the run
        # Most runs hold no family name: the folded word is looked up first
        # (Surnames.could_be), the diacritics compared only for those.
        may_hold_name = any(self.surnames.could_be(w) or w in self.openers for w in words[:-1])
        shape = (skipped, tuple(words), " ".join(words), may_hold_name)
        if len(self._run_shapes) >= _RUN_SHAPES_CACHED:
            self._run_shapes.clear()
        self._run_shapes[run] = shape
        return shape

    def _name_in_run(self, art: ArticleView, run_start: int, run_end: int, words: tuple[str, ...]) -> Name | None:
        """The name a run holds, if any: `words` are its words after an address, one
        of them but the last folding like a family name or opening a name (see _run_shape)."""
        count = len(words)
        spans, pos = [], run_start
        for word in words:
            spans.append((pos, pos + len(word)))
            pos += len(word) + 1
        is_surname = [self.surnames.matches(art.text[s:e], word) for word, (s, e) in zip(words, spans[:-1])]
        if not any(is_surname) and self.openers.isdisjoint(words[:-1]):
            if count <= 2:
                return Name(run_start, run_end, count, False, " ".join(words))
            return self._addressed_unlisted_name(art, run_start, run_end, words)   # "ông Đồng Văn Thanh"
        if self.place_after.match(art.folded, run_end):
            return None                       # "Ho Chi Minh City", "Hô Chi Minh Ville"
        first = self._skip_places(art, spans, words)
        if first == 0:
            before = art.folded[max(0, run_start - LOOKBACK):run_start]
            if self.place_before.search(before):
                first = min(2, count)         # "province de X Y ...": X Y is the place
            elif self._institution_before(before):
                first = 1                     # "Académie ... Hô Chi Minh": not the person
            if first:
                first = self._skip_places(art, spans, words, first)   # "Đại học Y Hà Nội": nor is Hà Nội
        if (first < count and words[first] in self.openers and 3 <= count - first <= MAX_OPENED_SYLLABLES
                and not self._place_inside(art, spans, words, first + 1)):
            # Given name first, family name last: "Y Thanh Hà Niê Kđăm"
            return Name(spans[first][0], run_end, count - first, True, " ".join(words[first:]))
        for j in range(first + 1, count if count - first > MAX_NAME_SYLLABLES else 0):
            # Too long for one name: "(xã) Hà Lâm Nguyễn Văn An" -- the family name is right before
            # the first "Văn" or "Thị". (A four-syllable run is a name: "Phạm Đinh Thị Phương".)
            if words[j] in self.middle_names:
                if is_surname[j - 1] and count - j < MAX_NAME_SYLLABLES + 1:
                    return Name(spans[j - 1][0], run_end, count - j + 1, True, " ".join(words[j - 1:]))
                break
        for i in range(first, count - 1):
            if count - i > MAX_NAME_SYLLABLES or not is_surname[i]:
                continue
            if i > first and self._place_at(art, spans, words, i):
                continue                      # "Bệnh viện Đại học Y Hà Nội": Hà Nội is no one
            if (art.text[spans[i][0]:spans[i][1]].lower() in self.body_words
                    and i + 1 < count - 1 and is_surname[i + 1]):
                continue                      # "Tỉnh Đoàn Nguyễn Văn A": Đoàn is the Youth Union
            return Name(spans[i][0], run_end, count - i, True, " ".join(words[i:]))
        if count - first == MAX_NAME_SYLLABLES + 1 and is_surname[first]:
            # Five syllables and no shorter name in them: "Nguyễn Thị Ngọc Thanh Tâm"
            return Name(spans[first][0], run_end, count - first, True, " ".join(words[first:]))
        if first == 0 and count <= 2:
            return Name(run_start, run_end, count, False, " ".join(words))   # a given name: "Gau", "Hoang Yen"
        return None

    def _place_inside(self, art: ArticleView, spans, words, start: int) -> bool:
        """Whether a province or a listed place starts at one of the words from `start` on
        ("Y Hà Nội" is the medical university, not a person)."""
        return any(self._place_at(art, spans, words, i) for i in range(start, len(words)))

    def _place_at(self, art: ArticleView, spans, words, i: int) -> bool:
        """Whether a province mention covers word i or a listed place starts there."""
        if art.province_end_covering(spans[i][0]) is not None:
            return True
        return any(tuple(words[i:i + len(place)]) == place for place in self.places.get(words[i], ()))

    def _skip_places(self, art: ArticleView, spans, words, i: int = 0) -> int:
        """Index of the first syllable from i on that does not open a province or a listed place."""
        while i < len(spans):
            province_end = art.province_end_covering(spans[i][0])
            if province_end is not None:
                while i < len(spans) and spans[i][0] < province_end:
                    i += 1
                continue
            for place in self.places.get(words[i], ()):
                if tuple(words[i:i + len(place)]) == place:
                    i += len(place)
                    break
            else:
                return i
        return i

    def _institution_before(self, before: str) -> bool:
        """An institution word in the same clause, at most four words back."""
        clause = before[max(map(before.rfind, _CLAUSE_BREAKS)) + 1:]   # after the last break, if any
        words = " ".join(clause.split()[-4:])
        answer = self._institution_answers.get(words)
        if answer is None:
            answer = bool(self.institution.search(words))
            if len(self._institution_answers) < 4096:
                self._institution_answers[words] = answer
        return answer
