"""Dates: every calendar day an article names, as ISO `YYYY-MM-DD`.

How it works (STYLE lesson 7): each language file, patterns/<lang>/dates.json,
maps its month words onto month numbers and holds a few regex templates built
from named fragments; patterns/dates.json holds the language-independent
numeric rules (`23/05/2025`, `01-10-1997`, `12.4.2025`) and shared fragments.
Every template marks the same named groups -- `date` (the span recorded as
the mention), `day` (repeated for "les 14 et 15 juin"), `month` (a month word)
or `mnum` (a month number), and an optional `year` -- so one shared parser
turns any match into calendar days. Only the article's language and the
numeric rules run.

A day written without its year gets one, in this order (year_inferred=True
unless said otherwise):
  1. from the next date when the two are joined by a list/range connector
     ("du 28 février au 2 mars 2025"): the year is stated, year_inferred=False;
  2. from article.published: its year, unless that puts the day more than
     `year_inference.max_days_from_published` (patterns/dates.json, about nine
     months) before or after the publication date; then the neighbouring year
     ("30 décembre" in a January article is last year's, "5 janvier" in a
     December article next year's, but "March 7" in a September article and a
     "31 décembre" deadline in a June article stay in the publication year);
  3. from the explicit four-digit years the article uses
     (Article.years_mentioned, plus the years of numeric dates such as
     "12.04.2025" and "23/05/2025", which it leaves out): the most frequent
     one, ties -> the latest;
  4. otherwise the day is dropped with a warning.
"""
from __future__ import annotations

import bisect
import datetime as dt
import itertools
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import regex

from ..article import Article
from ..facts import Hit
from ..patterns import (LANGUAGES, PatternError, REGEX_TIMEOUT, alternation, build_regex,
                        check_keys, lang_file, load_json)
from ..text import fold

_LANG_KEYS = {
    "_comment", "ignore_case", "accept_unaccented", "months", "weekdays", "ordinal_suffixes",
    "list_connectors", "range_connectors", "numeric_cues", "day_parts", "fragments", "rules", "periods",
}
_RULE_KEYS = {"id", "template", "_comment"}


@lru_cache(maxsize=1024)  # month words recur in every article
def word_key(word: str) -> str:
    """Lookup key of a written word: NFC, lower case, single spaces."""
    return " ".join(unicodedata.normalize("NFC", word).lower().split())


def word_alternation(words) -> str:
    """Alternation of literal words, longest first; a space matches any run of spaces."""
    return alternation(words).replace("\\ ", "\\s+")


def word_tree(words, ignore_case: bool) -> str:
    """word_alternation(words) written as a prefix tree: 'Ma(?:rch|y)' for 'March|May'.

    The regex module tries an alternation word by word, so where none matches
    (at every capital letter, for English month names) it pays one test per
    word; a tree pays about one per letter. It matches the same words, and of
    the words that match at one place the longer are still tried first: they
    all lie on one branch (words on different branches start differently),
    and a word's continuations come before its end. Falls back to
    word_alternation when two different letters could match the same one.
    """
    flags = regex.IGNORECASE if ignore_case else 0

    def unit(ch: str) -> str:
        return r"\s+" if ch == " " else regex.escape(ch)

    def matches(a: str, b: str) -> bool:  # does a's unit match the character b?
        return regex.fullmatch(unit(a), b, flags) is not None

    root: dict = {}  # character -> subtree; "" -> a word ends here
    for word in sorted(set(words), key=lambda w: (-len(w), w)):  # alternation()'s order
        node = root
        for ch in word:
            same = next((c for c in node if c and matches(c, ch) and matches(ch, c)), None)
            if same is None:
                if any(c and (matches(c, ch) or matches(ch, c)) for c in node):
                    return word_alternation(words)
                same = ch
                node[same] = {}
            node = node[same]
        node[""] = {}
    if not root:
        return word_alternation(words)

    def emit(node: dict) -> str:
        branches = [unit(c) + emit(child) for c, child in node.items() if c]
        if "" in node:
            branches.append("")  # a word ends here: tried after its continuations
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return emit(root)


# Where a rule may start. A template that opens with one of these fragments
# (a lookahead) is tried only at those positions: the first digit of a number,
# the first letter of a capitalised word, a four-digit number 1000-2999.
# Scanning the text with such a rule as written costs the regex module ~1.2 ms
# per 10 KB (a lookahead first defeats its quick skip to a possible start), and
# calling rule.match at each position costs ~3 µs a call (the timeout alone ~2 µs),
# ~400 calls per article. So each anchored rule is run through a *scanner*: the
# anchor's template below with {RULE} the rule's regex. The scanner consumes one
# plain character (a class the engine skips to quickly), checks the anchor's
# own condition, and tries the rule there as a lookahead, whose groups the match
# keeps: one finditer yields exactly the matches rule.match(text, p) gives at the
# anchor positions p, in order, at about a tenth of the cost. The year scanner
# consumes the digit first and checks the rest behind it, (?<=...[0-9]): opening
# with the year's lookahead, it cost twice as much (the skip to a digit is lost).
_SCANNERS = {
    "AT_DIGIT": r"(?<![0-9])(?={RULE})[0-9]",
    "AT_CAPITAL": r"(?<!\w)(?={RULE})\p{Lu}",
    "AT_YEAR": r"[0-9](?<![0-9][0-9])(?<=(?=[12][0-9]{3}(?![0-9]))(?={RULE})[0-9])",
}


def anchor_of(template: str) -> str | None:
    """The anchor fragment a template opens with, if any."""
    return next((name for name in _SCANNERS if template.startswith("{" + name + "}")), None)


def scanner_for(pattern: regex.Pattern, anchor: str | None) -> regex.Pattern:
    """What to finditer over the text for a rule: its scanner, or the rule itself if it has no anchor.

    A match of the scanner is one character long; read only the rule's named groups from it.
    """
    if anchor is None:
        return pattern
    rule = pattern.pattern
    flags = pattern.flags
    if flags & regex.IGNORECASE:
        # Only the rule ignores case: \p{Lu} must stay a capital, and the
        # engine skips to a digit faster in a case-sensitive scanner.
        rule, flags = f"(?i:{rule})", flags & ~regex.IGNORECASE
    return regex.compile(_SCANNERS[anchor].replace("{RULE}", rule), flags)


def code_spans(article: Article) -> list[tuple[int, int]]:
    """Spans taken by document codes: never dates or periods."""
    return [(m["start"], m["end"]) for fact in article.facts.get("codes", []) for m in fact.get("mentions", [])]


class SpanSet:
    """Spans (start, end) to test others against for overlap, each test a bisect."""

    def __init__(self, spans):
        spans = sorted(spans)
        self._starts = [s for s, _ in spans]
        self._max_end = list(itertools.accumulate((e for _, e in spans), max))  # furthest end so far

    def overlaps(self, start: int, end: int) -> bool:
        """True when [start, end) overlaps one of the spans."""
        i = bisect.bisect_left(self._starts, end)  # spans[:i] start before `end`
        return i > 0 and self._max_end[i - 1] > start


@dataclass(frozen=True)
class DateRule:
    rule_id: str              # "dates.fr.day_month"
    pattern: regex.Pattern
    uses_words: bool          # a language rule (may borrow a year from its range partner)
    scanner: regex.Pattern    # what find() runs over the text (see scanner_for)
    # Which optional groups the pattern has (m.group() of a group it lacks raises).
    has_month: bool = False
    has_mnum: bool = False
    has_year: bool = False


@dataclass
class DateLanguage:
    lang: str
    rules: list[DateRule]
    months: dict[str, int]    # word_key(month word) -> 1..12
    joiner: regex.Pattern     # the text between two dates of one list or range


@dataclass
class _Candidate:
    start: int
    end: int
    order: int
    rule: DateRule
    days: list[int]
    month: int
    year: int | None
    year_glued: bool = False  # the year follows a / . or - ("23/05/2025"): Article.years_mentioned skips it


class DatesExtractor:
    entity = "dates"
    key_field = "value"

    def __init__(self):
        common = load_json("dates.json")
        check_keys(common, {"_comment", "fragments", "numeric_rules", "year_inference", "periods"}, "dates.json")
        self.max_days_from_published = int(common["year_inference"]["max_days_from_published"])
        self.fragments: dict[str, str] = dict(common["fragments"])
        self.numeric_rules = [self._rule(f"dates.any.{r['id']}", r, self.fragments, "dates.json", 0, False)
                              for r in common["numeric_rules"]]
        self.languages: dict[str, DateLanguage] = {}
        for lang in LANGUAGES:
            data = lang_file(lang, "dates.json")
            if data:
                self.languages[lang] = self._load_language(lang, data)

    # -- loading --------------------------------------------------------------

    def _load_language(self, lang: str, data: dict) -> DateLanguage:
        where = f"{lang}/dates.json"
        check_keys(data, _LANG_KEYS, where, {"months", "rules"})
        ignore_case = bool(data.get("ignore_case", True))
        unaccented = bool(data.get("accept_unaccented", False))

        def variants(words):
            out = set()
            for w in words:
                w = unicodedata.normalize("NFC", w)
                out.add(w)
                if unaccented:
                    out.add(fold(w))
                if not ignore_case:
                    out.add(w.upper())
            return sorted(out)

        months: dict[str, int] = {}
        for number, words in data["months"].items():
            if not (number.isdigit() and 1 <= int(number) <= 12):
                raise PatternError(f"{where}: month key {number!r} is not 1..12")
            for w in variants(words):
                months[word_key(w)] = int(number)
        if sorted(set(months.values())) != list(range(1, 13)):
            raise PatternError(f"{where}: every month 1..12 needs at least one word")
        month_words = [w for words in data["months"].values() for w in variants(words)]
        weekdays = [w for words in data.get("weekdays", {}).values() for w in variants(words)]

        # Case-insensitive pieces even in a case-sensitive language (cue words open sentences).
        ci = (lambda p: p) if ignore_case else (lambda p: f"(?i:{p})")

        def alt(words):
            words = variants(words)
            return ci(word_alternation(words)) if words else "(?!)"

        fragments = dict(self.fragments)
        fragments.update({
            "MONTH": f"(?P<month>{word_tree(month_words, ignore_case)})(?!\\w)",
            "WEEKDAY": f"{alt(weekdays)}(?!\\w)",
            "ORD": alt(data.get("ordinal_suffixes", [])),
            "LIST": alt(data.get("list_connectors", [])),
            "RANGE": alt(data.get("range_connectors", [])),
            "CUE": ci(word_alternation(variants(data.get("numeric_cues", []) + data.get("day_parts", []))
                                       + weekdays)) + "(?!\\w)",
        })
        fragments.update(data.get("fragments", {}))
        flags = regex.IGNORECASE if ignore_case else 0
        rules = [self._rule(f"dates.{lang}.{r['id']}", r, fragments, where, flags, True) for r in data["rules"]]
        # Two dates share a year across a word or dash ("au", "bis zum", "et"), never across a bare comma.
        joiners = [w for w in data.get("list_connectors", []) + data.get("range_connectors", []) if w.strip(",; ")]
        fragments["JOINER"] = alt(joiners)
        joiner = build_regex(r"\s*{JOINER}\s*(?:(?:{CUE})\s*)?", fragments, where, flags)
        return DateLanguage(lang, rules, months, joiner)

    @staticmethod
    def _rule(rule_id: str, rule: dict, fragments: dict, where: str, flags: int, uses_words: bool) -> DateRule:
        check_keys(rule, _RULE_KEYS, where, {"id", "template"})
        pattern = build_regex(rule["template"], fragments, f"{where} rule {rule['id']}", flags)
        groups = set(pattern.groupindex)
        if not {"date", "day"} <= groups or not groups & {"month", "mnum"}:
            raise PatternError(f"{where} rule {rule['id']}: needs groups date, day and month or mnum")
        return DateRule(rule_id, pattern, uses_words, scanner_for(pattern, anchor_of(rule["template"])),
                        has_month="month" in groups, has_mnum="mnum" in groups, has_year="year" in groups)

    # -- extraction -----------------------------------------------------------

    def find(self, article: Article) -> list[Hit]:
        text = article.masked or article.text
        language = self.languages.get(article.lang)
        if language is None:
            article.warn(f"dates: no date words for language {article.lang!r}; only numeric dates were read")
        rules = (language.rules if language else []) + self.numeric_rules
        months = language.months if language else {}

        candidates: list[_Candidate] = []
        for order, rule in enumerate(rules):
            for m in rule.scanner.finditer(text, timeout=REGEX_TIMEOUT):
                candidate = self._candidate(m, rule, order, months)
                if candidate is not None:
                    candidates.append(candidate)
        chosen = self._resolve(candidates, SpanSet(code_spans(article)))
        if language is not None:
            self._borrow_years(chosen, text, language)
        # The days of stamp lines, read by clean with the whole line in view (weekday,
        # month-first order, another language's month names), replace what was read there.
        stamps = SpanSet((h.start, h.end) for h in article.stamp_dates)
        return article.stamp_dates + [h for h in self._hits(article, text, chosen) if not stamps.overlaps(h.start, h.end)]

    def merge(self, old: dict, new: dict) -> dict:
        # One mention with the year written is enough for the fact to be stated.
        old["year_inferred"] = bool(old.get("year_inferred")) and bool(new.get("year_inferred"))
        return old

    @staticmethod
    def _candidate(m, rule: DateRule, order: int, months: dict) -> _Candidate | None:
        written_month = m.group("month") if rule.has_month else None
        if written_month:
            month = months.get(word_key(written_month))
        elif rule.has_mnum and m.group("mnum"):
            month = int(m.group("mnum"))
        else:
            month = None
        if month is None:
            return None
        days = [int(d) for d in m.captures("day")]
        year = glued = None
        if rule.has_year and m.group("year"):
            year = int(m.group("year"))
            year_at = m.start("year")
            glued = m.string[year_at - 1:year_at] in ("/", ".", "-")
        start, end = m.span("date")
        return _Candidate(start, end, order, rule, days, month, year, bool(glued))

    @staticmethod
    def _resolve(candidates: list[_Candidate], blocked: SpanSet) -> list[_Candidate]:
        """Longest match wins where rules overlap; nothing inside a document code."""
        chosen: list[_Candidate] = []
        last_end = -1
        for c in sorted(candidates, key=lambda c: (c.start, c.start - c.end, c.order)):
            if c.start < last_end or blocked.overlaps(c.start, c.end):
                continue
            chosen.append(c)
            last_end = c.end
        return chosen

    @staticmethod
    def _borrow_years(chosen: list[_Candidate], text: str, language: DateLanguage) -> None:
        """'du 28 février au 2 mars 2025': the first day takes the year of the second."""
        for i in range(len(chosen) - 2, -1, -1):
            a, b = chosen[i], chosen[i + 1]
            if a.year is None and b.year is not None and a.rule.uses_words:
                if language.joiner.fullmatch(text, a.end, b.start, timeout=REGEX_TIMEOUT):
                    a.year = b.year

    def _hits(self, article: Article, text: str, chosen: list[_Candidate]) -> list[Hit]:
        hits: list[Hit] = []
        basis = _UNSET  # computed once, only if some day lacks its year
        for c in chosen:
            written = text[c.start:c.end]
            for day in c.days:
                if c.year is not None:
                    year, inferred = c.year, False
                else:
                    if basis is _UNSET:
                        basis = year_basis(article, [s.year for s in chosen if s.year_glued])
                    year, inferred = infer_year(basis, c.month, day, self.max_days_from_published), True
                    if year is None:
                        article.warn(f"dates: no year for {written!r} (no publication date, no year in the "
                                     "text); dropped")
                        continue
                try:
                    value = dt.date(year, c.month, day).isoformat()
                except ValueError:
                    article.warn(f"dates: {written!r} is not a calendar day ({day}/{c.month}/{year}); dropped")
                    continue
                hits.append(Hit(value, c.start, c.end, c.rule.rule_id, {"year_inferred": inferred}))
        return hits


_UNSET = object()


def year_basis(article: Article, numeric_years=()):
    """What a missing year is inferred from: ("published", date), ("body", year) or None.

    numeric_years: years of numeric dates ("23/05/2025"), which Article.years_mentioned leaves out.
    """
    if article.published:
        try:
            return ("published", dt.date.fromisoformat(article.published))
        except ValueError:
            article.warn(f"dates: published {article.published!r} is not YYYY-MM-DD; ignored for year inference")
    years = Counter(article.years_mentioned()) + Counter(numeric_years)
    if years:
        year = max(years, key=lambda y: (years[y], y))  # most frequent, ties -> latest
        return ("body", year)
    return None


def infer_year(basis, month: int, day: int, max_days: int = 270) -> int | None:
    """The year for a day written without one (see the module docstring)."""
    if basis is None:
        return None
    kind, value = basis
    if kind == "body":
        return value
    published: dt.date = value
    year = published.year
    try:
        offset = (dt.date(year, month, day) - published).days
    except ValueError:
        # Not a day in the publication year (31 février, 29 février of a common
        # year): keep that year so the caller reports the impossible date.
        return year
    if offset > max_days:
        return year - 1
    if offset < -max_days:
        return year + 1
    return year
