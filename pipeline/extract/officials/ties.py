"""Officials, ties: which post a text gives to which name -- a title before the
name, an apposition, a predicate, an appointment, an address word, a list."""
from __future__ import annotations

import bisect
import re

import regex

from ..names import folded_lower
from .pieces import CI, CI_BACK, LOOKBACK, WS, ArticleView, Chain, Name, Post, Tie, Vocabulary, words_regex
from .posts import PostFinder

_CLAUSE_END = regex.compile(r"[.;!?\n]")
_NEXT_WORD = re.compile(r"[ \t\u00a0]*,?[ \t\u00a0]*([^\s,;:.()]+)")     # (no timeout needed: linear)
_APPOINTMENT_REACH = 240   # characters after an appointed name searched for its post
_ITEM_END = regex.compile(r"[;.\n]")
_LIST_ITEM_REST = 120      # characters skipped at most after a listed name's posts, up to the ";"


class TieFinder:
    """The cue regexes of one language that tie its posts (found by `post_finder`) to its names."""

    def __init__(self, lang: str, vocab: Vocabulary, post_finder: PostFinder):
        cfg = vocab.cfg
        self.lang = lang
        self.post_finder = post_finder
        articles, address, glue = vocab.articles, vocab.address, vocab.glue
        self.address_before = vocab.address_before
        # Between a post and its name: punctuation, a connector ("đối với", "are"), an article, an address.
        # (A short aside may come first: "président de l'Assemblée nationale (AN), Tran Van Hai".)
        post_to_name = words_regex(cfg.get("post_to_name", []))
        self.gap_before = regex.compile(
            rf"(?:{WS}*\([^()\n]{{1,15}}\))?{WS}*(?P<punct>[,:\-]{WS}*)?(?:(?P<conn>{post_to_name}){WS}+)?"
            rf"(?:(?:{articles}){WS}*)?(?:(?:{address}){WS}*)?", CI)
        # After a name, before its apposition: "Nguyen Van A, ...", "Nguyễn Văn A (sinh năm 1977) - ...",
        # "Nguyen Van A, born in 1965, ..." (an aside of name_asides, up to the next comma).
        asides = words_regex(cfg.get("name_asides", []))
        self.gap_after = regex.compile(
            rf"(?:{WS}*\([^()\n]{{1,40}}\)|{WS}*,{WS}*(?:{asides}){WS}+[^,;:()\n]{{1,40}}(?=,))?"
            rf"{WS}*[,(:\-]{WS}*(?:(?:{articles}){WS}*)?", CI)
        # Name, then a predicate, then the post: "Y a été élue secrétaire", "Y, ..., was appointed as
        # Minister", "Y wurde als Generalsekretär wiedergewählt", "ông Y giữ chức Bí thư".
        predicates = words_regex(cfg.get("predicates", []))
        lead = words_regex(cfg.get("predicate_lead", []))
        self.predicate_after = regex.compile(
            rf"(?:{WS}*,)?{WS}+(?:(?:{lead}){WS}+){{0,3}}(?:{predicates}){WS}+(?:(?:{articles}){WS}*)?", CI)
        # First words of the predicates: a name followed by none of them needs no predicate search.
        self.predicate_openers = {folded_lower(w).split()[0]
                                  for w in cfg.get("predicates", []) + cfg.get("predicate_lead", [])}
        self.predicate_ahead = regex.compile(rf"(?<!\w)(?:{predicates}){WS}+(?:(?:{articles}){WS}*)?", CI)
        self.appointment_before = regex.compile(
            rf"(?<!\w)(?:{words_regex(cfg.get('appointment_before', []))}){WS}+(?:(?:{articles}){WS}*)?"
            rf"(?:(?:{address}){WS}*)?\Z", CI_BACK)
        # Before an appointed name, after any articles and address words, is the last word of a cue:
        # a name without one needs no search.
        self.appointment_cue_ends = {folded_lower(w).split()[-1] for w in cfg.get("appointment_before", [])}
        self.before_name_words = {w for phrase in cfg.get("articles", []) + cfg.get("address", [])
                                  for w in folded_lower(phrase).split()}
        # From one name of a list to the next: "A, B và C", "Mr. A and Mr. B", "A, membre ... ; B".
        self.list_next = regex.compile(rf"{WS}*(?:[,;]{WS}*)?(?:(?:{glue}){WS}+)?(?:(?:{address}){WS}*)?", CI)
        self.list_before = regex.compile(
            rf"(?:{WS}*,{WS}*(?:(?:{glue}){WS}+)?|{WS}+(?:{glue}){WS}+)(?:(?:{address}){WS}*)?\Z", CI_BACK)
        # "le poste de président du Comité populaire ... à M. X": an office given to the name after it.
        self.office_given_to = None           # (no search for a language without these words)
        if cfg.get("office_before") and cfg.get("office_given_to"):
            self.office_before = regex.compile(
                rf"(?<!\w)(?:{words_regex(cfg['office_before'])}){WS}*(?:(?:{articles}){WS}*)?\Z", CI_BACK)
            self.office_given_to = regex.compile(
                rf"{WS}+(?:{words_regex(cfg['office_given_to'])}){WS}+(?:(?:{articles}){WS}*)?"
                rf"(?:(?:{address}){WS}*)?", CI)
        self.apposition_shared_by_list = bool(cfg.get("apposition_shared_by_list", False))
        # One item of a list of addressed names, read backwards from the next one: "ông A|, ông |B".
        self.addressed_item_before = regex.compile(
            rf"{WS}*,{WS}*(?:{words_regex(cfg.get('address', []))}){WS}*\Z", CI_BACK)

    def link(self, art: ArticleView, names: list[Name], wanted_keys: set[str]) -> list[Tie]:
        """Ties of this language's names (NameFinder.names). A short name whose key is
        not in wanted_keys can never be kept (see OfficialsExtractor.find)."""
        folded = art.folded
        by_start = {n.start: n for n in names}
        starts = list(by_start)               # (in text order, as the runs)
        full = [n for n in names if n.full]
        posts = self.post_finder.posts(art, {n.start for n in full})
        chains = self.post_finder.chains(posts, folded)
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
                    and self.appointment_before.search(folded, max(0, name.start - LOOKBACK), name.start)):
                limit = full_starts[i + 1] if i + 1 < len(full_starts) else len(folded)
                chain = self._appointed_to(folded, name, own_chain, chain_at, titled, limit)
                if chain:
                    tie(name, "appointment", chain.posts)
        # Address words: "le camarade Le Hoai Trung", "Mr. Gau"
        for name in names:
            if name.start in tied or not (name.full or name.key in wanted_keys):
                continue                      # (most capitalised words are short names: skip the search)
            # (no timeout, like the other searches in a LOOKBACK window: the
            # work is bounded, and a timeout costs ~2 µs a call)
            if self.address_before.search(folded, max(0, name.start - LOOKBACK), name.start):
                tie(name, "address")
        # Any other full name: kept only if the same person has a post elsewhere.
        for name in full:
            if name.start not in tied:
                ties.append(Tie(name, rule + "repeat"))
        return ties

    def _cue_word_before(self, folded: str, start: int) -> bool:
        """Whether the last word before `start`, articles and address words skipped, may end an
        appointment cue ("chỉ định [ông]", "the appointment of [Mr.]")."""
        for word in reversed(folded[max(0, start - LOOKBACK):start].rsplit(None, 4)):
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
                    or not self.office_before.search(folded, max(0, chain.start - LOOKBACK), chain.start)):
                continue
            titled.add(chain.start)
            tie(name, "predicate", chain.posts)
            if chain.posts[-1].plural:
                for listed in self._listed_after(folded, name, by_start, own_chain, starts):
                    tie(listed, "predicate", chain.posts)

    def _addressed_list_before(self, folded: str, name: Name, by_end: dict):
        """The full names listed before `name` when every one of them, and `name`, has its address
        word and only a comma stands between two of them: "ông A, ông B, |ông C"."""
        if not self.address_before.search(folded, max(0, name.start - LOOKBACK), name.start):
            return
        while True:
            m = self.addressed_item_before.search(folded, max(0, name.start - LOOKBACK), name.start)
            name = by_end.get(m.start()) if m else None
            if name is None or not self.address_before.search(folded, max(0, name.start - LOOKBACK), name.start):
                return
            yield name

    def _listed_before(self, folded: str, name: Name, by_end: dict):
        """The full names listed before `name`: "A, B and C", "A et B"."""
        while True:
            m = self.list_before.search(folded, max(0, name.start - LOOKBACK), name.start)
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

