"""Officials: people named with a Party, State, government or mass-organisation post.

A person counts only when the text ties a post to them. Three kinds of pieces
are found in the folded text, then linked:

* names: runs of Vietnamese-shaped syllables found by names.py (`Nguyen Van
  Gau`, `Tô Lâm`, `TRAN THANH MAN`, `Tran Thanh\nMan` inside wrapped prose). A
  personal name is 2-4 syllables starting with a family name from
  patterns/names/surnames.txt (five when no shorter name fits), or an opener
  and up to five syllables (`Y Thanh Hà Niê Kđăm`, patterns/names/openers.txt);
  a run of 1-2 other syllables may be a given name used as a short reference
  (`Gau`). Places in a run (`tỉnh Hà Tĩnh Nguyễn Văn A`, `Đại học Y Hà Nội`) are
  cut off using the provinces facts and patterns/names/places.txt, and a run
  too long for one name starts at the family name before `Văn`/`Thị`
  (patterns/names/middle_names.txt); runs next to place or institution words
  (`Hô Chi Minh-Ville`, `pensée de Hô Chi Minh`) hold no name.
* posts: a head from patterns/<lang>/titles.jsonl (spaCy-style rows whose id is
  the post type, expanded into one PhraseMatcher) plus its body, walked word by
  word with the connectors and body words of patterns/<lang>/officials.json
  (`secrétaire` + ` du Comité provincial du Parti de Hoa Binh`). Posts glued by
  `,`, `et`, `-`, `und`, `và` form a chain: one person's titles.
* address words (`camarade`, `Genosse`, `Mr.`, `đồng chí`) and list openers.

Links (the last part of each mention's rule id, `officials.<lang>.<link>`):

* `title_before_name`: a chain right before a name; a plural one before a list
  (`Deputy Prime Ministers A and B`, `les secrétaires adjoints : A, membre ... ; B`).
* `apposition`: a chain right after `Name,` / `Name -` / `Name (aside) -`.
* `predicate`: a connector word of the language between the two, either way:
  `Y a été élue secrétaire`, `Y wurde als Generalsekretär wiedergewählt`,
  `A, B and C have been assigned to the post of Deputy Prime Ministers`,
  `Chủ tịch UBND tỉnh ... đối với ông Y`, `The two vice secretaries are Mr. Y and Mr. Z`.
* `appointment`: an appointment word before the name, the post later in the
  clause (`chỉ định ông Y tham gia Ban Chấp hành ..., giữ chức Bí thư Tỉnh ủy`).
* `address`: an address word before a name; `repeat`: any other mention of a
  full name. Names with no post anywhere in the article are dropped; short
  references (`le camarade Gau`, `General Secretary Lam`) join the official
  whose name ends with them (`short_reference`).

See docs/officials.md for the vocabulary files and what each key does.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

import regex
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ..article import Article
from ..facts import Hit
from ..patterns import REGEX_TIMEOUT, PatternError, check_keys, first_class_codes, language_codes, language_file, read_lines
from ..text import APOSTROPHES, BLANK, BLANKS, fold, fold_key
from ..tokens import longest_matches, make_doc, shared_nlp
from .names import NameShape, Surnames, folded_lower

MAX_NAME_SYLLABLES = 4     # surname first; five only when no shorter name fits (see _name_in_run)
MAX_OPENED_SYLLABLES = 6   # a name with an opener: "Y" + up to five syllables
MAX_TAIL_STEPS = 24
_LOOKBACK = 48            # characters looked at before a name for address, place and institution words
PROVINCE_GAP = 2          # a province this close to a post (blank between) belongs to it

# (All the regexes here run on the folded text, where every dash is "-" and ’ is '.)
_WS = BLANK
_BLANKS = tuple(BLANKS)                # what _WS matches
_APOSTROPHES = tuple(APOSTROPHES)
_RUN_SHAPES_CACHED = 5_000     # distinct run texts kept per language (bounded: worker memory) (see LanguageRules._run_shape)
_CLAUSE_BREAKS = ",;:.()\n"
_CLAUSE_END = regex.compile(r"[.;!?\n]")
_WORDS = regex.compile(r"[\w'’]+")
_NEXT_WORD = re.compile(r"[ \t\u00a0]*,?[ \t\u00a0]*([^\s,;:.()]+)")     # (no timeout needed: linear)
_APPOINTMENT_REACH = 240   # characters after an appointed name searched for its post
_ITEM_END = regex.compile(r"[;.\n]")
_LIST_ITEM_REST = 120      # characters skipped at most after a listed name's posts, up to the ";"
_CAPWORD = r"\p{Lu}[\w'’-]*"

_TOKEN_KEYS = {"LOWER", "OP"}   # of a token in a titles.jsonl pattern


# -- vocabulary helpers ---------------------------------------------------

def _words_regex(words, boundary: bool = True) -> str:
    """Alternation of folded phrases: blanks match any run of blanks, ' matches ’ too."""
    parts = []
    for phrase in sorted({folded_lower(w) for w in words}, key=lambda w: (-len(w), w)):
        piece = regex.escape(phrase)
        piece = piece.replace("\\ :", f"{_WS}*:")
        piece = regex.sub(r"(?:\\ )+", lambda _: f"{_WS}+", piece).replace("'", "['’]")
        if boundary and phrase[-1].isalnum():
            piece += r"(?!\w)"
        parts.append(piece)
    return "|".join(parts) if parts else r"(?!x)x"


# -- what one article yields ----------------------------------------------

@dataclass(slots=True)
class Name:
    start: int
    end: int
    syllables: int
    full: bool            # surname first, 2-4 syllables: can be a new official
    key: str              # fold_key of its text (see LanguageRules._name_in_run)


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


class _Article:
    """Per-article facts shared by every language's rules."""

    def __init__(self, article: Article, shape: NameShape, sentence_openers: frozenset[str]):
        self.text = article.text
        self.folded = article.folded or fold(article.masked or article.text)
        self.doc = article.doc if article.doc is not None else make_doc(self.folded)
        self.runs = shape.name_runs(self.folded, REGEX_TIMEOUT, sentence_openers)
        self.provinces: list[tuple[int, int, str]] = sorted(
            (m["start"], m["end"], fact["name"])
            for fact in article.facts.get("provinces", []) for m in fact.get("mentions", []))
        self.province_starts = [s for s, _, _ in self.provinces]
        self.longest_province = max((e - s for s, e, _ in self.provinces), default=0)

    def name_form(self, name: Name) -> str:
        """fold_name(text of the name), the cheap way (see LanguageRules._name_in_run)."""
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


# -- one language ---------------------------------------------------------

class LanguageRules:
    """The compiled vocabulary of one language: title matcher, tail walker, cue regexes."""

    def __init__(self, lang: str, nlp, surnames: Surnames, places: dict, openers: frozenset[str],
                 middle_names: frozenset[str]):
        self.lang = lang
        self.surnames = surnames
        self.openers = openers
        self.middle_names = middle_names
        self.places = places
        cfg = language_file(lang, "officials.json")
        rows = language_file(lang, "titles.jsonl") or ()
        # Token rows are expanded into every phrase they allow and go into one
        # PhraseMatcher with the string rows: much faster than spaCy's Matcher
        # with IN/OP predicates, and the rows stay spaCy-style data.
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.types: dict[str, str] = {}
        self.needs_body: set[str] = set()
        self.bare_before_name: set[str] = set()
        self.plural: set[str] = set()
        self.order: dict[str, int] = {}
        for n, row in enumerate(rows, 1):
            where = f"{lang}/titles.jsonl:{n}"
            key = f"{lang}:{n}"
            self.types[key] = row["id"]
            self.order[key] = n
            if row.get("needs_body"):
                self.needs_body.add(key)
            if row.get("bare_before_name"):
                self.bare_before_name.add(key)
            if row.get("plural"):
                self.plural.add(key)
            if isinstance(row["pattern"], str):
                self.phrases.add(key, [make_doc(folded_lower(row["pattern"]))])
            else:
                self.phrases.add(key, [Doc(nlp.vocab, words=list(words)) for words in _expand(row["pattern"], where)])
        self.key_of_match = {nlp.vocab.strings[key]: key for key in self.types}   # match id (a hash) -> key

        ci = regex.IGNORECASE | regex.V1
        # Patterns that must end where the window ends (\Z) are compiled to search
        # backwards (REVERSE): the engine then starts at the one place a match
        # can end instead of trying every position of the window. Whether there
        # is a match is the same either way.
        ci_back = ci | regex.REVERSE
        # Articles as written, in lower case: a capitalised "Le" after a post is a family name
        # ("... Tribunal populaire suprême Le Minh Tri").
        articles = rf"(?-i:{_words_regex(cfg.get('articles', []))})"
        address = _words_regex(cfg.get("address", []) + cfg.get("list_intro", []))
        self.address_before = regex.compile(rf"(?<!\w)(?:{address}){_WS}*\Z", ci_back)
        glue = _words_regex(cfg.get("chain_glue", []))
        # Between a post and its name: punctuation, a connector ("đối với", "are"), an article, an address.
        # (A short aside may come first: "président de l'Assemblée nationale (AN), Tran Van Hai".)
        post_to_name = _words_regex(cfg.get("post_to_name", []))
        self.gap_before = regex.compile(
            rf"(?:{_WS}*\([^()\n]{{1,15}}\))?{_WS}*(?P<punct>[,:\-]{_WS}*)?(?:(?P<conn>{post_to_name}){_WS}+)?"
            rf"(?:(?:{articles}){_WS}*)?(?:(?:{address}){_WS}*)?", ci)
        # After a name, before its apposition: "Nguyen Van A, ...", "Nguyễn Văn A (sinh năm 1977) - ...",
        # "Nguyen Van A, born in 1965, ..." (an aside of name_asides, up to the next comma).
        asides = _words_regex(cfg.get("name_asides", []))
        self.gap_after = regex.compile(
            rf"(?:{_WS}*\([^()\n]{{1,40}}\)|{_WS}*,{_WS}*(?:{asides}){_WS}+[^,;:()\n]{{1,40}}(?=,))?"
            rf"{_WS}*[,(:\-]{_WS}*(?:(?:{articles}){_WS}*)?", ci)
        self.glue = regex.compile(rf"{_WS}*(?:[,&/\-]{_WS}*)?(?:(?:{glue}){_WS}+)?(?:(?:{articles}){_WS}*)?", ci)
        # Name, then a predicate, then the post: "Y a été élue secrétaire", "Y, ..., was appointed as
        # Minister", "Y wurde als Generalsekretär wiedergewählt", "ông Y giữ chức Bí thư".
        predicates = _words_regex(cfg.get("predicates", []))
        lead = _words_regex(cfg.get("predicate_lead", []))
        self.predicate_after = regex.compile(
            rf"(?:{_WS}*,)?{_WS}+(?:(?:{lead}){_WS}+){{0,3}}(?:{predicates}){_WS}+(?:(?:{articles}){_WS}*)?", ci)
        # First words of the predicates: a name followed by none of them needs no predicate search.
        self.predicate_openers = {folded_lower(w).split()[0]
                                  for w in cfg.get("predicates", []) + cfg.get("predicate_lead", [])}
        self.predicate_ahead = regex.compile(rf"(?<!\w)(?:{predicates}){_WS}+(?:(?:{articles}){_WS}*)?", ci)
        self.appointment_before = regex.compile(
            rf"(?<!\w)(?:{_words_regex(cfg.get('appointment_before', []))}){_WS}+(?:(?:{articles}){_WS}*)?"
            rf"(?:(?:{address}){_WS}*)?\Z", ci_back)
        # Before an appointed name, after any articles and address words, is the last word of a cue:
        # a name without one needs no search.
        self.appointment_cue_ends = {folded_lower(w).split()[-1] for w in cfg.get("appointment_before", [])}
        self.before_name_words = {w for phrase in cfg.get("articles", []) + cfg.get("address", [])
                                  for w in folded_lower(phrase).split()}
        # A post's tail: up to MAX_TAIL_STEPS steps of blanks, connectors ("du",
        # "of the", "des"), then a body word. All the steps are matched in one
        # call (a regex call with a timeout costs ~2 µs before any matching);
        # _tail_end reads them from the captures and keeps those the rules allow.
        connectors = _words_regex(cfg.get("tail_connectors", []))
        sep = rf"(?:{_WS}+|(?<=['’]))"
        body = _words_regex(cfg.get("tail_words", []))
        self.tail_words = {folded_lower(w) for w in cfg.get("tail_words", [])}
        breakers = rf"(?!(?i:{_words_regex(cfg['tail_breakers'])}))" if cfg.get("tail_breakers") else ""
        # A number in a body: "13th", "15e", "12." (the language's ordinal suffixes) or a term "2021-2026".
        suffixes = "|".join(regex.escape(x) for x in sorted(cfg.get("ordinal_suffixes", []), key=len, reverse=True))
        number = rf"(?:\d+{_WS}*-{_WS}*\d+|\d+(?:{suffixes or '(?!x)x'})?)(?![\w])"
        step = (rf"{sep}(?P<conn>(?:(?:{connectors}){sep})*){breakers}"
                rf"(?:(?P<body>(?i:{body})(?:['’]s)?)|(?P<cap>{_CAPWORD})|{number})")
        self.tail_steps = regex.compile(rf"(?P<step>{step}){{0,{MAX_TAIL_STEPS}}}", regex.V1)
        modifier = rf"(?<![\w-])(?:{_words_regex(cfg.get('post_modifiers', []))})(?:{_WS}+|-)\Z"
        self.modifier_before = regex.compile(modifier, ci)     # gives the modifier's start
        self.has_modifier_before = regex.compile(modifier, ci_back)
        self.plural_before = None             # (no search at all for a language without plural markers)
        if cfg.get("plural_markers"):
            self.plural_before = regex.compile(
                rf"(?<![\w-])(?:{_words_regex(cfg['plural_markers'])}){_WS}+\Z", ci_back)
        # From one name of a list to the next: "A, B và C", "Mr. A and Mr. B", "A, membre ... ; B".
        self.list_next = regex.compile(rf"{_WS}*(?:[,;]{_WS}*)?(?:(?:{glue}){_WS}+)?(?:(?:{address}){_WS}*)?", ci)
        self.list_before = regex.compile(
            rf"(?:{_WS}*,{_WS}*(?:(?:{glue}){_WS}+)?|{_WS}+(?:{glue}){_WS}+)(?:(?:{address}){_WS}*)?\Z", ci_back)
        # "le poste de président du Comité populaire ... à M. X": an office given to the name after it.
        self.office_given_to = None           # (no search for a language without these words)
        if cfg.get("office_before") and cfg.get("office_given_to"):
            self.office_before = regex.compile(
                rf"(?<!\w)(?:{_words_regex(cfg['office_before'])}){_WS}*(?:(?:{articles}){_WS}*)?\Z", ci_back)
            self.office_given_to = regex.compile(
                rf"{_WS}+(?:{_words_regex(cfg['office_given_to'])}){_WS}+(?:(?:{articles}){_WS}*)?"
                rf"(?:(?:{address}){_WS}*)?", ci)
        self.capitalized_after_head = bool(cfg.get("tail_capitalized_after_head", False))
        self.apposition_shared_by_list = bool(cfg.get("apposition_shared_by_list", False))
        # One item of a list of addressed names, read backwards from the next one: "ông A|, ông |B".
        self.addressed_item_before = regex.compile(
            rf"{_WS}*,{_WS}*(?:{_words_regex(cfg.get('address', []))}){_WS}*\Z", ci_back)
        self.address_words = {folded_lower(w) for w in cfg.get("address", []) if " " not in w.strip()}
        # (An address word ends a body also without its dot, as the tail walker reads words:
        # "président du Comité populaire de la ville à M| X".)
        stop_words = [folded_lower(w) for w in cfg.get("stop_words", []) + cfg.get("address", [])]
        self.stop_words = set(stop_words) | {w.rstrip(".") for w in stop_words if w.rstrip(".")}
        self.place_before = regex.compile(rf"(?<!\w)(?:{_words_regex(cfg.get('place_before', []))}){_WS}*\Z",
                                          ci_back)
        self.place_after = regex.compile(rf"(?:['’]s)?(?:{_WS}|-)(?:{_words_regex(cfg.get('place_after', []))})", ci)
        self.institution = regex.compile(rf"(?<!\w)(?:{_words_regex(cfg.get('institution_before', []))})", ci)
        # The few words before a name are much the same from article to article
        # ("le camarade", "đồng chí", "" after a comma): the answer is cached.
        self._holds_institution = functools.lru_cache(maxsize=4096)(
            lambda words: bool(self.institution.search(words)))
        self.body_words = {unicodedata.normalize("NFC", w).lower() for w in cfg.get("body_words", [])}
        self.generic_body_words = {w for phrase in cfg.get("generic_body_words", [])
                                   for w in folded_lower(phrase).split()}
        self._run_shapes: dict[str, tuple] = {}

    # -- names --------------------------------------------------------------

    def names(self, art: _Article) -> list[Name]:
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

    def _addressed_unlisted_name(self, art: _Article, run_start: int, run_end: int,
                                 words: tuple[str, ...]) -> Name | None:
        """A name whose family name is not in the list (`ông Đồng Văn Thanh`, `bà Tráng Thị Xuân`):
        three or four name-shaped syllables right after an address word, with no place in them.
        Like any name it becomes an official only with a post tied to it. (Đồng stays out of
        the list, for `Đồng chí`, `Đồng Hới`: only an address word makes it a family name.)"""
        if not 3 <= len(words) <= MAX_NAME_SYLLABLES:
            return None
        before = art.folded[max(0, run_start - _LOOKBACK):run_start]
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

    def _name_in_run(self, art: _Article, run_start: int, run_end: int, words: tuple[str, ...]) -> Name | None:
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
            before = art.folded[max(0, run_start - _LOOKBACK):run_start]
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

    def _place_inside(self, art: _Article, spans, words, start: int) -> bool:
        """Whether a province or a listed place starts at one of the words from `start` on
        ("Y Hà Nội" is the medical university, not a person)."""
        return any(self._place_at(art, spans, words, i) for i in range(start, len(words)))

    def _place_at(self, art: _Article, spans, words, i: int) -> bool:
        """Whether a province mention covers word i or a listed place starts there."""
        if art.province_end_covering(spans[i][0]) is not None:
            return True
        return any(tuple(words[i:i + len(place)]) == place for place in self.places.get(words[i], ()))

    def _skip_places(self, art: _Article, spans, words, i: int = 0) -> int:
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
        return self._holds_institution(" ".join(clause.split()[-4:]))

    # -- posts --------------------------------------------------------------

    def posts(self, art: _Article, name_starts: set[int]) -> list[Post]:
        doc = art.doc
        keys_at: dict[tuple[int, int], list[str]] = defaultdict(list)
        for i, s, e in self.phrases(doc):
            keys_at[(s, e)].append(self.key_of_match[i])
        heads = []
        for keys, s, e in longest_matches((keys, s, e) for (s, e), keys in keys_at.items()):
            key = keys[0] if len(keys) == 1 else min(keys, key=self.order.get)   # the earlier row decides
            last = doc[e - 1]
            post = Post(doc[s].idx, last.idx + len(last), self.types[key], plural=not self.plural.isdisjoint(keys))
            heads.append((post, key))
        stops = sorted(name_starts | {post.start for post, _ in heads})
        posts = []
        for post, key in heads:
            head_end = post.end
            window = max(0, post.start - _LOOKBACK), post.start
            modifier = None
            if self.has_modifier_before.search(art.folded, *window):   # cheaper backwards; rarely true
                modifier = self.modifier_before.search(art.folded, *window)
                post.start = modifier.start()  # "ehemaliger Provinzparteisekretär", "nguyên Bí thư"
            if self.plural_before and self.plural_before.search(art.folded, max(0, post.start - _LOOKBACK),
                                                                post.start):
                post.plural = True            # "các Phó Thủ tướng"
            post.end = self._tail_end(art.folded, head_end, stops)
            if key not in self.needs_body or modifier:
                posts.append(post)
            elif post.end > head_end and not self._generic_body(art.folded, head_end, post.end):
                posts.append(post)
            elif key in self.bare_before_name and _name_right_after(art.folded, head_end, name_starts):
                posts.append(post)            # "Président Hô Chi Minh"
            # (else a bare "membre", "Chủ tịch" or "director" is no post, nor "member of the Party")
        return posts

    def _generic_body(self, folded: str, start: int, end: int) -> bool:
        """Whether a body holds only words that name no office: "(member) of the Communist Party"."""
        return all(w.lower() in self.generic_body_words for w in _WORDS.findall(folded, start, end))

    def _tail_end(self, folded: str, pos: int, stops: list[int]) -> int:
        """Walk the body a head belongs to: `secrétaire` + ` du Comité provincial du Parti`."""
        if folded[pos:pos + 1] not in _BLANKS and folded[pos - 1:pos] not in _APOSTROPHES:
            return pos                        # a step opens with blanks or follows ' (saves a regex call)
        m = self.tail_steps.match(folded, pos, timeout=REGEX_TIMEOUT)
        # One capture of `step` and `conn` per step; one of `cap` per step that ends with a capitalised word.
        capitalized_at = dict(zip(m.ends("cap"), m.captures("cap")))
        for step, ((conn_start, conn_end), end) in enumerate(zip(m.spans("conn"), m.ends("step"))):
            capitalized = capitalized_at.get(end)
            if capitalized:
                if (conn_start == conn_end and step == 0 and not self.capitalized_after_head
                        and not self._ends_with_body_word(folded, pos)):
                    break                     # "General Secretary Lam": Lam is not a body
                if capitalized.lower() in self.stop_words:
                    break
            i = bisect.bisect_left(stops, conn_start)
            if i < len(stops) and stops[i] < end:
                break                         # the next post or a person's name starts here
            pos = end
        return pos

    def _ends_with_body_word(self, folded: str, pos: int) -> bool:
        """Whether the head ending at `pos` ends with a body word, an adjective waiting for its noun:
        "Vorsitzender des Zentralkomitees der Vaterländischen| Front" goes on with the capitalised
        noun, where "General Secretary| Lam" does not."""
        last = folded.rfind(" ", max(0, pos - _LOOKBACK), pos) + 1
        return folded[last:pos].lower() in self.tail_words

    def chains(self, posts: list[Post], folded: str) -> list[Chain]:
        chains: list[Chain] = []
        for post in posts:
            if chains and self.glue.fullmatch(folded, chains[-1].end, post.start):
                chains[-1].posts.append(post)
            else:
                chains.append(Chain([post]))
        return chains

    # -- links --------------------------------------------------------------

    def link(self, art: _Article, names: list[Name], wanted_keys: set[str]) -> list[Tie]:
        """Ties of this language's names (self.names(art)). A short name whose key is
        not in wanted_keys can never be kept (see OfficialsExtractor.find)."""
        folded = art.folded
        by_start = {n.start: n for n in names}
        starts = list(by_start)               # (in text order, as the runs)
        full = [n for n in names if n.full]
        posts = self.posts(art, {n.start for n in full})
        chains = self.chains(posts, folded)
        chain_at = {c.start: c for c in chains}
        rule = f"officials.{self.lang}."
        ties: list[Tie] = []
        tied: set[int] = set()

        def tie(name: Name, how: str, given: list[Post] = ()) -> None:
            ties.append(Tie(name, rule + how, list(given)))
            tied.add(name.start)

        # Apposition candidates: "Nguyen Van Gau, membre du Comité central ..."
        apposed: dict[int, Name] = {}        # chain start -> the name right before it
        for name in full:
            m = self.gap_after.match(folded, name.end)
            if m and m.end() in chain_at:
                apposed[m.end()] = name
        own_chain: dict[int, Chain] = {}     # name start -> the chain apposed to it
        titles: list[tuple[Chain, Name, str, bool]] = []   # chains given to the name after them (and a colon?)
        titled: set[int] = set()             # their starts
        for chain in chains:
            m = self.gap_before.match(folded, chain.end)
            after = by_start.get(m.end()) if m else None
            before = apposed.get(chain.start)
            comma = "," in (m.group("punct") or "")
            # "Chủ tịch HĐND tỉnh ... đối với ông Y", "The two vice secretaries are Mr. Y and Mr. Z"
            how = "predicate" if m and m.group("conn") else "title_before_name"
            if after and (before is None or not comma):
                titled.add(chain.start)
                if before and len(chain.posts) > 1:
                    # "A, ehemaliger Vorsitzender ..., und Außenminister B": the last post is B's.
                    tie(before, "apposition", chain.posts[:-1])
                    chain = Chain(chain.posts[-1:])
                tie(after, how, chain.posts)
                titles.append((chain, after, how, ":" in (m.group("punct") or "")))
            elif before:
                tie(before, "apposition", chain.posts)
                own_chain[before.start] = chain
        # A plural post before a list: "Deputy Prime Ministers Tran Hong Ha and Le Thanh Long",
        # "les secrétaires adjoints : A, membre du Comité ... ; B, C et ...". A post and a colon
        # introduce the list of its holders even where the title's number does not show
        # ("stellvertretende Premierminister: A, B und C": German plural = singular).
        for chain, first, how, colon in titles:
            if chain.posts[-1].plural or colon:
                for listed in self._listed_after(folded, first, by_start, own_chain, starts):
                    tie(listed, how, chain.posts)
        if self.office_given_to is not None:
            self._tie_offices_given(folded, chains, by_start, own_chain, starts, titled, tie)
        by_end = {n.end: n for n in full}
        # A plural post apposed to the last name of a list is each one's: "A et B, vice-présidents du
        # Comité populaire"; where titles carry no number (vi), any post apposed to the last of a list
        # of addressed names is: "ông A, ông B, ông C, Tỉnh ủy viên, Phó Chủ tịch UBND tỉnh".
        for start, chain in own_chain.items():
            if any(post.plural for post in chain.posts):
                listed = self._listed_before(folded, by_start[start], by_end)
            elif self.apposition_shared_by_list:
                listed = self._addressed_list_before(folded, by_start[start], by_end)
            else:
                continue
            for name in listed:
                tie(name, "apposition", chain.posts)
        # The post as a predicate: "Y a été élue secrétaire ...", "Y, ..., was appointed Minister",
        # "A, B and C have been assigned to the post of Deputy Prime Ministers".
        for name in full:
            for pos in (name.end, own_chain[name.start].end if name.start in own_chain else None):
                word = _NEXT_WORD.match(folded, pos) if pos is not None else None
                if word is None or word.group(1).lower() not in self.predicate_openers:
                    continue
                m = self.predicate_after.match(folded, pos)
                chain = chain_at.get(m.end()) if m else None
                if chain and chain.start not in titled:   # ("X appointed Deputy Minister Y": Y's post)
                    tie(name, "predicate", chain.posts)
                    if chain.posts[-1].plural:
                        for listed in self._listed_before(folded, name, by_end):
                            tie(listed, "predicate", chain.posts)
                    break
        # Appointments: "chỉ định ông Y tham gia Ban Chấp hành ..., giữ chức Bí thư Tỉnh ủy"
        full_starts = [n.start for n in full]
        for i, name in enumerate(full):
            if (self._cue_word_before(folded, name.start)
                    and self.appointment_before.search(folded, max(0, name.start - _LOOKBACK), name.start)):
                limit = full_starts[i + 1] if i + 1 < len(full_starts) else len(folded)
                chain = self._appointed_to(folded, name, own_chain, chain_at, titled, limit)
                if chain:
                    tie(name, "appointment", chain.posts)
        # Address words: "le camarade Le Hoai Trung", "Mr. Gau"
        for name in names:
            if name.start in tied or not (name.full or name.key in wanted_keys):
                continue                      # (most capitalised words are short names: skip the search)
            # (no timeout, like the other searches in a _LOOKBACK window: the
            # work is bounded, and a timeout costs ~2 µs a call)
            if self.address_before.search(folded, max(0, name.start - _LOOKBACK), name.start):
                tie(name, "address")
        # Any other full name: kept only if the same person has a post elsewhere.
        for name in full:
            if name.start not in tied:
                ties.append(Tie(name, rule + "repeat"))
        return ties

    def _cue_word_before(self, folded: str, start: int) -> bool:
        """Whether the last word before `start`, articles and address words skipped, may end an
        appointment cue ("chỉ định [ông]", "the appointment of [Mr.]")."""
        for word in reversed(folded[max(0, start - _LOOKBACK):start].rsplit(None, 4)):
            word = word.lower()
            if word in self.appointment_cue_ends:
                return True
            if word not in self.before_name_words:
                return False
        return False

    def _listed_after(self, folded: str, name: Name, by_start: dict, own_chain: dict, starts: list[int]):
        """The full names listed after `name`, each after the previous one's own posts:
        "A và B", "Mr. A and Mr. B", "A, membre du Comité ... ; B, C et ...". In a list
        of items split by ";", what follows a name's own posts up to the ";" is skipped
        ("A, Minister für ethnische Minderheiten; B, ...")."""
        while True:
            end = own_chain[name.start].end if name.start in own_chain else name.end
            m = self.list_next.match(folded, end)
            following = by_start.get(m.end())
            if following is None:
                item_end = _ITEM_END.search(folded, end, end + _LIST_ITEM_REST)
                if item_end and item_end.group() == ";":
                    m = self.list_next.match(folded, item_end.end())
                    following = by_start.get(m.end())
                    inside = bisect.bisect_left(starts, end)
                    if inside < len(starts) and starts[inside] < item_end.start():
                        following = None      # another name inside the skipped rest: not a plain list
            if following is None or not following.full:
                return
            name = following
            yield name

    def _tie_offices_given(self, folded: str, chains: list[Chain], by_start: dict, own_chain: dict,
                           starts: list[int], titled: set[int], tie) -> None:
        """An office given to the name after it: "approuvant le poste de président du Comité populaire de la
        ville à M. X", "révoquer le poste de ... à M. Y"; a plural one to each name of the list after it
        ("les postes de membres du Comité populaire à M. A, ... ; M. B, ...")."""
        for chain in chains:
            if chain.start in titled:
                continue
            m = self.office_given_to.match(folded, chain.end)
            name = by_start.get(m.end()) if m else None
            if (name is None or not name.full
                    or not self.office_before.search(folded, max(0, chain.start - _LOOKBACK), chain.start)):
                continue
            titled.add(chain.start)
            tie(name, "predicate", chain.posts)
            if chain.posts[-1].plural:
                for listed in self._listed_after(folded, name, by_start, own_chain, starts):
                    tie(listed, "predicate", chain.posts)

    def _addressed_list_before(self, folded: str, name: Name, by_end: dict):
        """The full names listed before `name` when every one of them, and `name`, has its address
        word and only a comma stands between two of them: "ông A, ông B, |ông C"."""
        if not self.address_before.search(folded, max(0, name.start - _LOOKBACK), name.start):
            return
        while True:
            m = self.addressed_item_before.search(folded, max(0, name.start - _LOOKBACK), name.start)
            name = by_end.get(m.start()) if m else None
            if name is None or not self.address_before.search(folded, max(0, name.start - _LOOKBACK), name.start):
                return
            yield name

    def _listed_before(self, folded: str, name: Name, by_end: dict):
        """The full names listed before `name`: "A, B and C", "A et B"."""
        while True:
            m = self.list_before.search(folded, max(0, name.start - _LOOKBACK), name.start)
            name = by_end.get(m.start()) if m else None
            if name is None:
                return
            yield name

    def _appointed_to(self, folded: str, name: Name, own_chain: dict, chain_at: dict, titled: set[int],
                      limit: int) -> Chain | None:
        """The chain a predicate gives an appointed name later in its clause, before the next full name."""
        start = own_chain[name.start].end if name.start in own_chain else name.end
        reach = min(limit, start + _APPOINTMENT_REACH)
        end = _CLAUSE_END.search(folded, start, reach)
        for m in self.predicate_ahead.finditer(folded, start, end.start() if end else reach):
            if m.end() in chain_at and m.end() not in titled:
                return chain_at[m.end()]
        return None


def _name_right_after(folded: str, pos: int, name_starts: set[int]) -> bool:
    """Whether a full name starts after the blanks at `pos` ("Président| Hô Chi Minh")."""
    end = pos
    while folded[end:end + 1] in _BLANKS:
        end += 1
    return end > pos and end in name_starts


def _expand(pattern: list, where: str) -> list[tuple[str, ...]]:
    """Every token sequence a spaCy-style row allows: {"LOWER": w | {"IN": [...]}, "OP": "?"}."""
    if not isinstance(pattern, list) or not pattern:
        raise PatternError(f"{where}: a pattern is a string or a non-empty list of tokens")
    sequences: list[tuple[str, ...]] = [()]
    for token in pattern:
        check_keys(token, _TOKEN_KEYS, where, required={"LOWER"})
        value = token["LOWER"]
        if isinstance(value, dict):
            check_keys(value, {"IN"}, where, required={"IN"})
            options = [folded_lower(v) for v in value["IN"]]
        else:
            options = [folded_lower(value)]
        op = token.get("OP")
        if op not in (None, "?"):
            raise PatternError(f"{where}: only the OP \"?\" is supported, got {op!r}")
        choices = [(o,) for o in options] + ([()] if op == "?" else [])
        sequences = [seq + choice for seq in sequences for choice in choices]
        if len(sequences) > 4096:
            raise PatternError(f"{where}: the pattern allows too many phrases")
    return [seq for seq in sequences if seq]


# -- the extractor --------------------------------------------------------

class OfficialsExtractor:
    def __init__(self):
        self.nlp = shared_nlp()          # the tokenizer the article docs are made with
        self.shape = NameShape()
        surnames = Surnames(read_lines("names/surnames.txt"))
        places: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for place in read_lines("names/places.txt"):
            words = tuple(folded_lower(place).split())
            places[words[0]].append(words)
        for options in places.values():
            options.sort(key=len, reverse=True)
        openers = frozenset(folded_lower(w) for w in read_lines("names/openers.txt"))
        middle_names = frozenset(folded_lower(w) for w in read_lines("names/middle_names.txt"))
        self.rules = {lang: LanguageRules(lang, self.nlp, surnames, places, openers, middle_names)
                      for lang in language_codes() if language_file(lang, "officials.json") is not None}
        # Text of no determined language, or of a language without officials data: every first-class language's rules.
        self.fallback = [self.rules[lang] for lang in first_class_codes() if lang in self.rules]
        # Words that open a sentence in any language never continue a name across a line break.
        self.sentence_openers = frozenset(word for rules in self.rules.values() for word in rules.stop_words)

    def find(self, article: Article) -> list[Hit]:
        art = _Article(article, self.shape, self.sentence_openers)
        rule_sets = [self.rules[article.lang]] if article.lang in self.rules else self.fallback
        names = {rules.lang: rules.names(art) for rules in rule_sets}
        # A tie only ever becomes a hit if its name's key is an official's (a
        # full name with a post) or ends one ("gau" in "nguyen van gau": a short
        # reference, see _resolve). wanted_keys holds every full name's key and
        # its last words, which covers both: a short name ("Gau", "Le") outside
        # it needs no address tie, and most capitalised words skip that search.
        wanted_keys = {" ".join(words[i:])
                       for rule_names in names.values() for name in rule_names if name.full
                       for words in [name.key.split(" ")] for i in range(len(words))}
        ties = [tie for rules in rule_sets for tie in rules.link(art, names[rules.lang], wanted_keys)]
        return _resolve(art, ties)

    @staticmethod
    def merge(old: dict, new: dict) -> dict:
        """Union posts (one per folded spelling) and post types; keep the first province."""
        old["posts"] = _unique(old.get("posts", []) + new.get("posts", []), key=_post_key)
        old["post_types"] = _unique(old.get("post_types", []) + new.get("post_types", []))
        if old.get("province") is None:
            old["province"] = new.get("province")
        return old


# fold_key of a post, cached: it is not cheap, and the same posts come back article after article.
_post_key = functools.lru_cache(maxsize=4096)(fold_key)


def _unique(values: list[str], key=lambda v: v) -> list[str]:
    if len(values) < 2:
        return list(values)               # nothing to compare (and fold_key is not cheap)
    seen, out = set(), []
    for value in values:
        k = key(value)
        if k not in seen:
            seen.add(k)
            out.append(value)
    return out


_RULE_RANK = {"title_before_name": 0, "apposition": 1, "predicate": 2, "appointment": 3, "address": 4, "repeat": 5}


def _one_tie_per_name(ties: list[Tie]) -> list[Tie]:
    """Ties on the same name span become one: its posts from both sides, the strongest rule.
    ("Le secrétaire ..., Nguyen Van A, membre du Comité central, ..." has a post on each side.)"""
    by_span: dict[tuple[int, int], Tie] = {}
    for tie in ties:
        kept = by_span.setdefault((tie.name.start, tie.name.end), tie)
        if kept is tie:
            continue
        kept.posts += [p for p in tie.posts if p not in kept.posts]
        if _RULE_RANK[tie.rule.rsplit(".", 1)[1]] < _RULE_RANK[kept.rule.rsplit(".", 1)[1]]:
            kept.rule = tie.rule
    return list(by_span.values())


def _resolve(art: _Article, ties: list[Tie]) -> list[Hit]:
    """Keep the people with a post; attach short references and repeats to them."""
    text = art.text
    ties = _one_tie_per_name(ties)
    key_of = {id(t): t.name.key for t in ties}
    canonical: dict[str, str] = {}
    for tie in sorted(ties, key=lambda t: t.name.start):
        if tie.posts and tie.name.full:
            canonical.setdefault(key_of[id(tie)], art.name_form(tie.name))
    # A short form ("Gau", "Hoang Yen") stands for the official whose name ends with it.
    for tie in ties:
        key = key_of[id(tie)]
        if key in canonical and tie.name.syllables > 2:
            continue
        longer = [k for k in canonical if k != key and k.endswith(" " + key)]
        if longer:
            key_of[id(tie)] = _nearest(longer, tie.name.start, ties, key_of)
            tie.rule = tie.rule.rsplit(".", 1)[0] + ".short_reference"
    hits = []
    for tie in ties:
        key = key_of[id(tie)]
        if key not in canonical:
            continue
        # A short reference only adds a mention: "Minister Trung" may be another Trung.
        own = [] if tie.rule.endswith("short_reference") else tie.posts
        posts = [text[p.start:p.end] for p in own]
        types = list(dict.fromkeys(p.type for p in own))
        province = next((name for name in map(art.province_of, own) if name), None)
        hits.append(Hit(canonical[key], tie.name.start, tie.name.end, tie.rule, {
            "name": canonical[key], "key": key, "posts": _unique(posts, key=_post_key),
            "post_types": types, "province": province}))
    return hits


def _nearest(keys: list[str], position: int, ties: list[Tie], key_of: dict) -> str:
    """Of several officials sharing a given name, the one mentioned last before `position`."""
    if len(keys) == 1:
        return keys[0]
    best, best_start = keys[0], -1
    for tie in ties:
        key = key_of[id(tie)]
        if key in keys and best_start < tie.name.start < position:
            best, best_start = key, tie.name.start
    return best
