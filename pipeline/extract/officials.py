"""Officials: people named with a Party, State, government or mass-organisation post.

A person counts only when the text ties a post to them. Three kinds of pieces
are found in the folded text, then linked:

* names: capitalised runs of Vietnamese-shaped syllables (`Nguyen Van Gau`,
  `Tô Lâm`). A personal name is 2-4 syllables starting with a family name from
  patterns/names/surnames.txt; a run of 1-2 other syllables may be a given name
  used as a short reference (`Gau`). Places opening a run (`tỉnh Hà Tĩnh
  Nguyễn Văn A`) are cut off using the provinces facts and
  patterns/names/places.txt; runs next to place or institution words
  (`Hô Chi Minh-Ville`, `pensée de Hô Chi Minh`) hold no name.
* posts: a head from patterns/<lang>/titles.jsonl (spaCy-style rows whose id is
  the post type, expanded into one PhraseMatcher) plus its body, walked word by
  word with the connectors and body words of patterns/<lang>/officials.json
  (`secrétaire` + ` du Comité provincial du Parti de Hoa Binh`). Posts glued by
  `,`, `et`, `-`, `und`, `và` form a chain: one person's titles.
* address words (`camarade`, `Genosse`, `Mr.`, `đồng chí`) and list openers.

Links: a chain right before a name (`title_before_name`), a chain right after
`Name,` (`apposition`), an address word before a name (`address`), and any
other mention of a full name (`repeat`). Names with no post anywhere in the
article are dropped; short references (`le camarade Gau`, `General Secretary
Lam`) join the official whose name ends with them (`short_reference`).
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
from ..patterns import LANGUAGES, REGEX_TIMEOUT, PatternError, check_keys, lang_file, patterns_dir
from ..text import fold, fold_key
from ..tokens import longest_matches, make_doc, shared_nlp

MAX_NAME_SYLLABLES = 4
MAX_TAIL_STEPS = 24
_LOOKBACK = 48            # characters looked at before a name for address, place and institution words
PROVINCE_GAP = 2          # a province this close to a post (blank between) belongs to it

_WS = r"[ \t\u00a0]"
_BLANKS = (" ", "\t", "\u00a0")       # what _WS matches
_APOSTROPHES = ("'", "’")
# One syllable of a Vietnamese name in the folded text, capitalised: initial
# consonant(s), one to three vowels, a final consonant. "Comite", "Parti",
# "Vietnam" or "Hanoi" do not have this shape, so they never start a name.
_ONSETS = ("Ngh", "Ng", "Nh", "Ch", "Gh", "Gi", "Kh", "Ph", "Qu", "Th", "Tr")  # longest first
_ONE_LETTER_ONSETS = "BCDGHKLMNPRSTVX"
_VOWELS = "AEIOUY"
_SYLLABLE = (rf"(?:(?:{'|'.join(_ONSETS)}|[{_ONE_LETTER_ONSETS}])[aeiouy]{{1,3}}|[{_VOWELS}][aeiouy]{{0,2}})"
             r"(?:ng|nh|ch|[cmnpt])?(?!\w)")
# A run of such syllables, taken whole (atomic): a run glued to a hyphen
# ("Hô Chi Minh-Ville", "Hoa Binh-Moc Chau") is a place, never a name.
# That is `(?<![\w-])(?>SYLLABLE(?:[ \u00a0]SYLLABLE)*)(?![\w-])`, written for
# speed as: a capital letter, checked (lookbehind) to open a syllable, then the
# rest of that syllable (all lower-case letters, so `[a-z]*` takes exactly it)
# and the next syllables. Same matches, but with a plain character class first
# the regex module skips quickly from capital to capital instead of trying the
# syllable alternation at every word (~0.3 instead of ~0.4 ms per 10 KB).
_RUN_RE = regex.compile(rf"(?<![\w-])[A-Z](?<=(?={_SYLLABLE})[A-Z])(?>[a-z]*(?:[ \u00a0]{_SYLLABLE})*)(?![\w-])")
# The same runs, found in about half the time by the `re` module, which does
# less work per capital letter. Written for `re`: only the capitals a syllable
# can open with, and the lookbehind after the capital. And linear, since `re`
# has no timeout: a run glued to a hyphen is matched with its hyphen (a run
# only ever ends before a hyphen or a non-word character) and dropped
# afterwards, so that the search goes on after it instead of retrying each of
# its syllables. The two modules agree on all of this but \w, which differs on
# a few non-ASCII characters (combining marks, "²"): a text with one of them
# (see _word_chars_agree) is searched with _RUN_RE.
# (the letters a syllable can open with)
_SYLLABLE_INITIALS = "[" + "".join(sorted({o[0] for o in _ONSETS} | set(_ONE_LETTER_ONSETS + _VOWELS))) + "]"
_RUN_RE_FAST = re.compile(
    rf"{_SYLLABLE_INITIALS}(?<![\w-].)(?<=(?={_SYLLABLE})[A-Z])(?>[a-z]*(?:[ \u00a0]{_SYLLABLE})*)(?P<hyphen>-)?")
_NON_ASCII = regex.compile(r"[^\x00-\x7f]")
_WORD_CHAR_AGREES: dict[str, bool] = {}    # non-ASCII character -> re and regex agree whether it is \w
# Distinct run texts kept per language (see LanguageRules._run_shape). ~400 bytes each: at
# 50,000 a worker kept growing for 50,000 articles (+55 MB); the runs that recur do so within a few articles.
_RUN_SHAPES_CACHED = 5_000
_CLAUSE_BREAKS = ",;:.()\n"
_CAPWORD = r"\p{Lu}[\w'’-]*"
_NUMBER = r"\d+(?:e|er|re|eme|st|nd|rd|th|\.)?(?![\w])"
_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}

# needs_body: a bare head ("membre", "Chủ tịch") is no post; plural: the head may
# precede several names ("Deputy Prime Ministers A and B").
_ROW_KEYS = {"id", "label", "pattern", "needs_body", "plural"}
_TOKEN_KEYS = {"LOWER", "OP"}
# The keys of patterns/<lang>/officials.json and what each list is for.
_CONFIG_KEYS = {
    "_comment": "free text",
    "address": "words right before a name that address a person: camarade, Genosse, Mr., đồng chí",
    "list_intro": "phrases that open a list of names: 'Camarades :', 'Attending were'",
    "articles": "articles allowed between a post and a name or between two posts: le, the, der",
    "chain_glue": "words joining two posts of one person: et, and, und, và, kiêm",
    "post_modifiers": "words that may open a post, kept in it: ancien, ehemaliger, former, nguyên",
    "plural_markers": "words right before a post that make it plural, for several names: các",
    "tail_connectors": "small words inside a post's body, never at its end: du, of the, des, của",
    "tail_words": "lower-case words a post's body may contain: provincial, populaire, people's, ủy",
    "tail_capitalized_after_head": "may a capitalised word follow the head directly (vi: Bí thư Tỉnh ủy)",
    "stop_words": "capitalised words that end a post's body (sentence openers, weekdays)",
    "place_before": "words right before a run that make its first syllables a place: province de, pont",
    "place_after": "words right after a run that make it a place: City, -Ville, -Stadt, Mausoleum",
    "institution_before": "words shortly before a run that make it part of an institution: Académie, pensée",
    "body_words": "capitalised body names that are also family names, skipped before a name: Đoàn",
}


# -- vocabulary helpers ---------------------------------------------------

def _read_lines(relpath: str) -> list[str]:
    path = patterns_dir() / relpath
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise PatternError(f"missing pattern file: {path}") from None
    words = (unicodedata.normalize("NFC", line.split("#")[0].strip()) for line in lines)
    return [w for w in words if w]


def _folded_lower(text: str) -> str:
    return fold(unicodedata.normalize("NFC", text)).lower()


def _words_regex(words, boundary: bool = True) -> str:
    """Alternation of folded phrases: blanks match any run of blanks, ' matches ’ too."""
    parts = []
    for phrase in sorted({_folded_lower(w) for w in words}, key=lambda w: (-len(w), w)):
        piece = regex.escape(phrase)
        piece = piece.replace("\\ :", f"{_WS}*:")
        piece = regex.sub(r"(?:\\ )+", lambda _: f"{_WS}+", piece).replace("'", "['’]")
        if boundary and phrase[-1].isalnum():
            piece += r"(?!\w)"
        parts.append(piece)
    return "|".join(parts) if parts else r"(?!x)x"


def _word_chars_agree(text: str) -> bool:
    r"""Whether `re` and `regex` agree on \w for every character of the text (they do on ASCII)."""
    for ch in set(_NON_ASCII.findall(text)):
        agrees = _WORD_CHAR_AGREES.get(ch)
        if agrees is None:
            agrees = _WORD_CHAR_AGREES[ch] = (re.match(r"\w", ch) is None) == (regex.match(r"\w", ch) is None)
        if not agrees:
            return False
    return True


def _strip_tone(ch: str) -> str:
    return unicodedata.normalize("NFC", "".join(c for c in unicodedata.normalize("NFD", ch) if c not in _TONE_MARKS))


class Surnames:
    """Family names. A written syllable is one when it folds to a listed name and
    every diacritic it keeps agrees with that name: `Trân` and `Tran` are
    `Trần`, but `Đảng` (the Party) is not `Đặng`."""

    def __init__(self, names: list[str]):
        # folded lower-case form -> every lower-case spelling that agrees with a
        # name of that form: each letter as written, folded, or without its
        # tone mark ("trần" -> trần, tràn, trân, tran, ...), so that a lookup
        # is one set test.
        self.spellings: dict[str, set[str]] = defaultdict(set)
        for name in names:
            letters = [{c for c in (b, fold(b), _strip_tone(b)) if len(c) == 1} for b in name.lower()]
            self.spellings[_folded_lower(name)].update("".join(p) for p in itertools.product(*letters))

    def could_be(self, folded_lower: str) -> bool:
        """Whether a word, folded and lower-cased, folds like a family name (a quick test before `matches`)."""
        return folded_lower in self.spellings

    def matches(self, written: str, folded_lower: str) -> bool:
        """Whether a written syllable is a family name; folded_lower is its folded, lower-case form."""
        spellings = self.spellings.get(folded_lower)
        return spellings is not None and written.lower() in spellings


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

    def __init__(self, article: Article):
        self.text = article.text
        self.folded = article.folded or fold(article.masked or article.text)
        self.doc = article.doc if article.doc is not None else make_doc(self.folded)
        if _word_chars_agree(self.folded):
            self.runs = [m.span() for m in _RUN_RE_FAST.finditer(self.folded) if m["hyphen"] is None]
        else:
            self.runs = [m.span() for m in _RUN_RE.finditer(self.folded, timeout=REGEX_TIMEOUT)]
        self.provinces: list[tuple[int, int, str]] = sorted(
            (m["start"], m["end"], fact["name"])
            for fact in article.facts.get("provinces", []) for m in fact.get("mentions", []))
        self.province_starts = [s for s, _, _ in self.provinces]
        self.longest_province = max((e - s for s, e, _ in self.provinces), default=0)

    def name_form(self, name: Name) -> str:
        """fold_name(text of the name), the cheap way (see LanguageRules._name_in_run)."""
        return " ".join(self.folded[name.start:name.end].split())

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

    def __init__(self, lang: str, nlp, surnames: Surnames, places: dict):
        self.lang = lang
        self.surnames = surnames
        self.places = places
        cfg = check_keys(lang_file(lang, "officials.json"), set(_CONFIG_KEYS), f"{lang}/officials.json")
        rows = lang_file(lang, "titles.jsonl", jsonl=True) or ()
        # Token rows are expanded into every phrase they allow and go into one
        # PhraseMatcher with the string rows: much faster than spaCy's Matcher
        # with IN/OP predicates, and the rows stay spaCy-style data.
        self.phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.types: dict[str, str] = {}
        self.needs_body: set[str] = set()
        self.plural: set[str] = set()
        self.order: dict[str, int] = {}
        for n, row in enumerate(rows, 1):
            where = f"{lang}/titles.jsonl:{n}"
            check_keys(row, _ROW_KEYS, where, required={"id", "pattern"})
            key = f"{lang}:{n}"
            self.types[key] = row["id"]
            self.order[key] = n
            if row.get("needs_body"):
                self.needs_body.add(key)
            if row.get("plural"):
                self.plural.add(key)
            if isinstance(row["pattern"], str):
                self.phrases.add(key, [make_doc(_folded_lower(row["pattern"]))])
            else:
                self.phrases.add(key, [Doc(nlp.vocab, words=list(words)) for words in _expand(row["pattern"], where)])
        self.key_of_match = {nlp.vocab.strings[key]: key for key in self.types}   # match id (a hash) -> key

        ci = regex.IGNORECASE | regex.V1
        # Patterns that must end where the window ends (\Z) are compiled to search
        # backwards (REVERSE): the engine then starts at the one place a match
        # can end instead of trying every position of the window. Whether there
        # is a match is the same either way.
        ci_back = ci | regex.REVERSE
        articles = _words_regex(cfg.get("articles", []))
        address = _words_regex(cfg.get("address", []) + cfg.get("list_intro", []))
        self.address_before = regex.compile(rf"(?<!\w)(?:{address}){_WS}*\Z", ci_back)
        self.gap_before = regex.compile(
            rf"{_WS}*(?P<punct>[,:–-]{_WS}*)?(?:(?:{articles}){_WS}*)?(?:(?:{address}){_WS}*)?", ci)
        self.gap_after = regex.compile(rf"{_WS}*[,(:–-]{_WS}*(?:(?:{articles}){_WS}*)?", ci)
        self.glue = regex.compile(
            rf"{_WS}*(?:[,&/–-]{_WS}*)?(?:(?:{_words_regex(cfg.get('chain_glue', []))}){_WS}+)?"
            rf"(?:(?:{articles}){_WS}*)?", ci)
        # A post's tail: up to MAX_TAIL_STEPS steps of blanks, connectors ("du",
        # "of the", "des"), then a body word. All the steps are matched in one
        # call (a regex call with a timeout costs ~2 µs before any matching);
        # _tail_end reads them from the captures and keeps those the rules allow.
        connectors = _words_regex(cfg.get("tail_connectors", []))
        sep = rf"(?:{_WS}+|(?<=['’]))"
        body = _words_regex(cfg.get("tail_words", []))
        step = (rf"{sep}(?P<conn>(?:(?:{connectors}){sep})*)"
                rf"(?:(?P<body>(?i:{body})(?:['’]s)?)|(?P<cap>{_CAPWORD})|{_NUMBER})")
        self.tail_steps = regex.compile(rf"(?P<step>{step}){{0,{MAX_TAIL_STEPS}}}", regex.V1)
        modifier = rf"(?<![\w-])(?:{_words_regex(cfg.get('post_modifiers', []))})(?:{_WS}+|-)\Z"
        self.modifier_before = regex.compile(modifier, ci)     # gives the modifier's start
        self.has_modifier_before = regex.compile(modifier, ci_back)
        self.plural_before = None             # (no search at all for a language without plural markers)
        if cfg.get("plural_markers"):
            self.plural_before = regex.compile(
                rf"(?<![\w-])(?:{_words_regex(cfg['plural_markers'])}){_WS}+\Z", ci_back)
        self.list_next = regex.compile(
            rf"{_WS}*(?:,{_WS}*)?(?:(?:{_words_regex(cfg.get('chain_glue', []))}){_WS}+)?", ci)
        self.capitalized_after_head = bool(cfg.get("tail_capitalized_after_head", False))
        self.address_words = {_folded_lower(w) for w in cfg.get("address", []) if " " not in w.strip()}
        self.stop_words = {_folded_lower(w) for w in cfg.get("stop_words", []) + cfg.get("address", [])}
        self.place_before = regex.compile(rf"(?<!\w)(?:{_words_regex(cfg.get('place_before', []))}){_WS}*\Z",
                                          ci_back)
        self.place_after = regex.compile(rf"(?:['’]s)?(?:{_WS}|-)(?:{_words_regex(cfg.get('place_after', []))})", ci)
        self.institution = regex.compile(rf"(?<!\w)(?:{_words_regex(cfg.get('institution_before', []))})", ci)
        # The few words before a name are much the same from article to article
        # ("le camarade", "đồng chí", "" after a comma): the answer is cached.
        self._holds_institution = functools.lru_cache(maxsize=4096)(
            lambda words: bool(self.institution.search(words)))
        self.body_words = {unicodedata.normalize("NFC", w).lower() for w in cfg.get("body_words", [])}
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
        return names

    def _run_shape(self, run: str) -> tuple[int, tuple[str, ...], str, bool]:
        """What a run's text alone tells: the characters an address opening it takes
        ("Ông Mãi"), its words and their key, and whether one of them but the last
        folds like a family name. Cached: the same runs come back in every article.

        Words are read from the folded text: inside a run it is plain ASCII
        letters and blanks, and there folded = fold(text) letter by letter, so
        a word lower-cased is what _folded_lower and fold_key give for the
        written text, without their cost.
        """
        words = run.lower().replace("\u00a0", " ").split(" ")
        skipped = 0
        while len(words) > 1 and words[0] in self.address_words:
            skipped += len(words.pop(0)) + 1   # "Ông Mãi", "Bà Hồ Thị Hoàng Yến": the address opens the run
        # Most runs hold no family name: the folded word is looked up first
        # (Surnames.could_be), the diacritics compared only for those.
        shape = (skipped, tuple(words), " ".join(words), any(map(self.surnames.could_be, words[:-1])))
        if len(self._run_shapes) >= _RUN_SHAPES_CACHED:
            self._run_shapes.clear()
        self._run_shapes[run] = shape
        return shape

    def _name_in_run(self, art: _Article, run_start: int, run_end: int, words: tuple[str, ...]) -> Name | None:
        """The name a run holds, if any: `words` are its words after an address, one
        of them but the last folding like a family name (see _run_shape)."""
        count = len(words)
        spans, pos = [], run_start
        for word in words:
            spans.append((pos, pos + len(word)))
            pos += len(word) + 1
        is_surname = [self.surnames.matches(art.text[s:e], word) for word, (s, e) in zip(words, spans[:-1])]
        if not any(is_surname):
            return Name(run_start, run_end, count, False, " ".join(words)) if count <= 2 else None
        if self.place_after.match(art.folded, run_end):
            return None                       # "Ho Chi Minh City", "Hô Chi Minh Ville"
        first = self._skip_places(art, spans, words)
        if first == 0:
            before = art.folded[max(0, run_start - _LOOKBACK):run_start]
            if self.place_before.search(before):
                first = min(2, count)         # "province de X Y ...": X Y is the place
            elif self._institution_before(before):
                first = 1                     # "Académie ... Hô Chi Minh": not the person
        for i in range(first, count - 1):
            if count - i > MAX_NAME_SYLLABLES or not is_surname[i]:
                continue
            if (art.text[spans[i][0]:spans[i][1]].lower() in self.body_words
                    and i + 1 < count - 1 and is_surname[i + 1]):
                continue                      # "Tỉnh Đoàn Nguyễn Văn A": Đoàn is the Youth Union
            return Name(spans[i][0], run_end, count - i, True, " ".join(words[i:]))
        if first == 0 and count <= 2:
            return Name(run_start, run_end, count, False, " ".join(words))   # a given name: "Gau", "Hoang Yen"
        return None

    def _skip_places(self, art: _Article, spans, words) -> int:
        """Number of leading syllables that are a province or a listed place."""
        i = 0
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
            if post.end > head_end or modifier or key not in self.needs_body:
                posts.append(post)            # a bare "membre", "Chủ tịch" or "director" is no post
        return posts

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
                if conn_start == conn_end and step == 0 and not self.capitalized_after_head:
                    break                     # "General Secretary Lam": Lam is not a body
                if capitalized.lower() in self.stop_words:
                    break
            i = bisect.bisect_left(stops, conn_start)
            if i < len(stops) and stops[i] < end:
                break                         # the next post or a person's name starts here
            pos = end
        return pos

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
        by_start = {n.start: n for n in names}
        posts = self.posts(art, {n.start for n in names if n.full})
        chains = self.chains(posts, art.folded)
        chain_at = {c.start: c for c in chains}
        rule = f"officials.{self.lang}."
        ties: list[Tie] = []
        tied: set[int] = set()

        # Apposition candidates: "Nguyen Van Gau, membre du Comité central ..."
        apposed: dict[int, Name] = {}
        for name in names:
            if name.full:
                m = self.gap_after.match(art.folded, name.end)
                if m and m.end() in chain_at:
                    apposed[m.end()] = name
        for chain in chains:
            m = self.gap_before.match(art.folded, chain.end)
            after = by_start.get(m.end()) if m else None
            before = apposed.get(chain.start)
            comma = "," in (m.group("punct") or "")
            if after and before and not comma and len(chain.posts) > 1:
                # "A, ehemaliger Vorsitzender ..., und Außenminister B": the last post is B's.
                ties.append(Tie(before, rule + "apposition", chain.posts[:-1]))
                tied.add(before.start)
                chain = Chain(chain.posts[-1:])
            if after and (before is None or not comma):
                ties.append(Tie(after, rule + "title_before_name", chain.posts))
                tied.add(after.start)
                while chain.posts[-1].plural:   # "Deputy Prime Ministers Tran Hong Ha and Le Thanh Long"
                    m = self.list_next.match(art.folded, after.end)
                    after = by_start.get(m.end())
                    if after is None or not after.full:
                        break
                    ties.append(Tie(after, rule + "title_before_name", chain.posts))
                    tied.add(after.start)
            elif before:
                ties.append(Tie(before, rule + "apposition", chain.posts))
                tied.add(before.start)
        # Address words: "le camarade Le Hoai Trung", "Mr. Gau"
        for name in names:
            if name.start in tied or not (name.full or name.key in wanted_keys):
                continue                      # (most capitalised words are short names: skip the search)
            # (no timeout, like the other searches in a _LOOKBACK window: the
            # work is bounded, and a timeout costs ~2 µs a call)
            if self.address_before.search(art.folded, max(0, name.start - _LOOKBACK), name.start):
                ties.append(Tie(name, rule + "address"))
                tied.add(name.start)
        # Any other full name: kept only if the same person has a post elsewhere.
        for name in names:
            if name.full and name.start not in tied:
                ties.append(Tie(name, rule + "repeat"))
        return ties


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
            options = [_folded_lower(v) for v in value["IN"]]
        else:
            options = [_folded_lower(value)]
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
    entity = "officials"
    key_field = "name"

    def __init__(self):
        self.nlp = shared_nlp()          # the tokenizer the article docs are made with
        surnames = Surnames(_read_lines("names/surnames.txt"))
        places: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for place in _read_lines("names/places.txt"):
            words = tuple(_folded_lower(place).split())
            places[words[0]].append(words)
        for options in places.values():
            options.sort(key=len, reverse=True)
        self.rules = {lang: LanguageRules(lang, self.nlp, surnames, places)
                      for lang in LANGUAGES if lang_file(lang, "officials.json") is not None}

    def find(self, article: Article) -> list[Hit]:
        art = _Article(article)
        rule_sets = [self.rules[article.lang]] if article.lang in self.rules else list(self.rules.values())
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


_RULE_RANK = {"title_before_name": 0, "apposition": 1, "address": 2, "repeat": 3}


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
