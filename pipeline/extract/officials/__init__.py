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
  the post type, expanded into one phrase index) plus its body, walked word by
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

The parts are modules here: names.py, posts.py, ties.py, and pieces.py for
what they share (the article, the pieces found, the common regex pieces).
See docs/officials.md for the vocabulary files and what each key does.
"""
from __future__ import annotations

import functools
from collections import defaultdict

from ...article import Article
from ...facts import Hit
from ...patterns import first_class_codes, language_codes, language_file, read_lines
from ...text import fold_key
from ..names import NameShape, Surnames, folded_lower
from .names import NameFinder
from .pieces import ArticleView, Name, Tie, Vocabulary
from .posts import PostFinder
from .ties import TieFinder


# -- one language ---------------------------------------------------------

class LanguageRules:
    """The compiled vocabulary of one language: its name finder, post finder and tie finder."""

    def __init__(self, lang: str, surnames: Surnames, places: dict, openers: frozenset[str],
                 middle_names: frozenset[str]):
        self.lang = lang
        vocab = Vocabulary(language_file(lang, "officials.json"))
        self.stop_words = vocab.stop_words
        self.name_finder = NameFinder(vocab, surnames, places, openers, middle_names)
        self.tie_finder = TieFinder(lang, vocab, PostFinder(lang, vocab))

    def names(self, art: ArticleView) -> list[Name]:
        """The personal name (or short given-name reference) each run holds, if any."""
        return self.name_finder.names(art)

    def link(self, art: ArticleView, names: list[Name], wanted_keys: set[str]) -> list[Tie]:
        """Ties of this language's names (see TieFinder.link)."""
        return self.tie_finder.link(art, names, wanted_keys)


# -- the extractor --------------------------------------------------------

class OfficialsExtractor:
    def __init__(self):
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
        self.rules = {lang: LanguageRules(lang, surnames, places, openers, middle_names)
                      for lang in language_codes() if language_file(lang, "officials.json") is not None}
        # Text of no determined language, or of a language without officials data: every first-class language's rules.
        self.fallback = [self.rules[lang] for lang in first_class_codes() if lang in self.rules]
        # Words that open a sentence in any language never continue a name across a line break.
        self.sentence_openers = frozenset(word for rules in self.rules.values() for word in rules.stop_words)

    def find(self, article: Article) -> list[Hit]:
        art = ArticleView(article, self.shape, self.sentence_openers)
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


def _resolve(art: ArticleView, ties: list[Tie]) -> list[Hit]:
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
