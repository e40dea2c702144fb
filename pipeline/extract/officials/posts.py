"""Officials, posts: a head from patterns/<lang>/titles.jsonl plus its body, walked
word by word; posts glued by `,`, `et`, `-`, `und`, `và` form a chain."""
from __future__ import annotations

import bisect
from collections import defaultdict

import regex

from ... import patterns
from ...patterns import PatternError, check_keys, language_file
from ...text import APOSTROPHES, BLANKS
from ...tokens import PhraseIndex, longest_matches
from ..names import folded_lower
from .pieces import CI, CI_BACK, LOOKBACK, WS, ArticleView, Chain, Post, Vocabulary, words_regex

MAX_TAIL_STEPS = 24
_BLANKS = tuple(BLANKS)                # what WS matches
_APOSTROPHES = tuple(APOSTROPHES)
_WORDS = regex.compile(r"[\w'’]+")
_CAPWORD = r"\p{Lu}[\w'’-]*"

_TOKEN_KEYS = {"LOWER", "OP"}   # of a token in a titles.jsonl pattern


class PostFinder:
    """The posts of one language: title matcher, tail walker, modifiers and plural markers."""

    def __init__(self, lang: str, vocab: Vocabulary):
        cfg = vocab.cfg
        rows = language_file(lang, "titles.jsonl") or ()
        # Token rows are expanded into every phrase they allow and go into one
        # phrase index with the string rows: the rows stay spaCy-style data.
        self.phrases = PhraseIndex()
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
                self.phrases.add_text(key, folded_lower(row["pattern"]))
            else:
                for words in _expand(row["pattern"], where):
                    try:
                        self.phrases.add(key, words)
                    except ValueError as exc:    # a token with a space inside could never match
                        raise PatternError(f"{where}: {exc}") from None

        self.phrases.build()
        articles = vocab.articles
        self.glue = regex.compile(rf"{WS}*(?:[,&/\-]{WS}*)?(?:(?:{vocab.glue}){WS}+)?(?:(?:{articles}){WS}*)?", CI)
        # A post's tail: up to MAX_TAIL_STEPS steps of blanks, connectors ("du",
        # "of the", "des"), then a body word. All the steps are matched in one
        # call (a regex call with a timeout costs ~2 µs before any matching);
        # _tail_end reads them from the captures and keeps those the rules allow.
        connectors = words_regex(cfg.get("tail_connectors", []))
        sep = rf"(?:{WS}+|(?<=['’]))"
        body = words_regex(cfg.get("tail_words", []))
        self.tail_words = {folded_lower(w) for w in cfg.get("tail_words", [])}
        breakers = rf"(?!(?i:{words_regex(cfg['tail_breakers'])}))" if cfg.get("tail_breakers") else ""
        # A number in a body: "13th", "15e", "12." (the language's ordinal suffixes) or a term "2021-2026".
        suffixes = "|".join(regex.escape(x) for x in sorted(cfg.get("ordinal_suffixes", []), key=len, reverse=True))
        number = rf"(?:\d+{WS}*-{WS}*\d+|\d+(?:{suffixes or '(?!x)x'})?)(?![\w])"
        step = (rf"{sep}(?P<conn>(?:(?:{connectors}){sep})*){breakers}"
                rf"(?:(?P<body>(?i:{body})(?:['’]s)?)|(?P<cap>{_CAPWORD})|{number})")
        self.tail_steps = regex.compile(rf"(?P<step>{step}){{0,{MAX_TAIL_STEPS}}}", regex.V1)
        modifier = rf"(?<![\w-])(?:{words_regex(cfg.get('post_modifiers', []))})(?:{WS}+|-)\Z"
        self.modifier_before = regex.compile(modifier, CI)     # gives the modifier's start
        self.has_modifier_before = regex.compile(modifier, CI_BACK)
        self.plural_before = None             # (no search at all for a language without plural markers)
        if cfg.get("plural_markers"):
            self.plural_before = regex.compile(
                rf"(?<![\w-])(?:{words_regex(cfg['plural_markers'])}){WS}+\Z", CI_BACK)
        self.capitalized_after_head = bool(cfg.get("tail_capitalized_after_head", False))
        self.stop_words = vocab.stop_words
        self.generic_body_words = {w for phrase in cfg.get("generic_body_words", [])
                                   for w in folded_lower(phrase).split()}

    def posts(self, art: ArticleView, name_starts: set[int]) -> list[Post]:
        keys_at: dict[tuple[int, int, int], list[str]] = defaultdict(list)
        for key, s, e, size in self.phrases.find(art.tokens):
            keys_at[(s, e, size)].append(key)
        heads = []
        for keys, s, e, _ in longest_matches((keys, s, e, size) for (s, e, size), keys in keys_at.items()):
            key = keys[0] if len(keys) == 1 else min(keys, key=self.order.get)   # the earlier row decides
            post = Post(s, e, self.types[key], plural=not self.plural.isdisjoint(keys))
            heads.append((post, key))
        stops = sorted(name_starts | {post.start for post, _ in heads})
        posts = []
        for post, key in heads:
            head_end = post.end
            window = max(0, post.start - LOOKBACK), post.start
            modifier = None
            if self.has_modifier_before.search(art.folded, *window):   # cheaper backwards; rarely true
                modifier = self.modifier_before.search(art.folded, *window)
                post.start = modifier.start()  # "ehemaliger Provinzparteisekretär", "nguyên Bí thư"
            if self.plural_before and self.plural_before.search(art.folded, max(0, post.start - LOOKBACK),
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
        m = self.tail_steps.match(folded, pos, timeout=patterns.REGEX_TIMEOUT)
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
        last = folded.rfind(" ", max(0, pos - LOOKBACK), pos) + 1
        return folded[last:pos].lower() in self.tail_words

    def chains(self, posts: list[Post], folded: str) -> list[Chain]:
        chains: list[Chain] = []
        for post in posts:
            if chains and self.glue.fullmatch(folded, chains[-1].end, post.start):
                chains[-1].posts.append(post)
            else:
                chains.append(Chain([post]))
        return chains


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
