"""Dates: every calendar day an article names, as ISO `YYYY-MM-DD`.

How it works (STYLE lesson 7): each language file, patterns/<lang>/dates.json,
maps its month, weekday and day words onto numbers and holds regex templates
built from named fragments; patterns/dates.json holds the language-independent
numeric rules (`23/05/2025`, `01-10-1997`, `2015-3-3`, `21/04/16`) and shared
fragments. Templates mark named groups -- `date` (the span recorded as the
mention), `day` or `dayword`, `month` (a word) or `mnum` (a number), `year` or
`yy`, `weekday` -- and one shared parser turns any match into calendar days.
A group may repeat: `les 14 et 15 juin`, `du 13 au dimanche 15 juillet`,
`các ngày 4/8, 9/8 và 14/8`, `Juli 13 - Juli 15` (see `_items`).

Which rules run: the article's language and the language-independent rules
(numeric dates, and a day, month word and year of any first-class language:
"Thanh Duy February 28, 2025" in a French article). When the language is
undetermined or not first-class (a headline, a short sentence), the rules of
every first-class language run, overlaps resolved as usual: the longest match
wins, then the earlier rule.

A numeric date is read day first everywhere, except in English text when its
day is over 12 (`09/20/2024`), when the article's other numeric dates are
month first, or when the weekday written with it only fits month first
(`_settle_numeric_order`).

A day written without its year gets one from pipeline/extract/years.py (the
list or range it belongs to, the publication date, the nearest dated
evidence, the weekday); `year_inferred` is then true.
"""
from __future__ import annotations

import datetime as dt
import functools
import itertools
import unicodedata
from dataclasses import dataclass, field

import regex

from ..article import Article
from ..facts import Hit, mention_spans
from .. import patterns
from ..patterns import (PatternError, build_regex, compile_regex, expand_template, first_class_codes, group_names,
                        language_codes, language_file, read_json)
from ..text import SpanSet, fold, word_alternation, word_key, word_tree
from .anchors import WORD_ANCHOR, Scan, anchor_of
from .years import YearInference

# Named groups the parser reads, and the kind of token each gives (see _items).
_TOKEN_GROUPS = (("day", "D"), ("dayword", "D"), ("month", "M"), ("mnum", "M"),
                 ("year", "Y"), ("yy", "YY"), ("weekday", "W"))


def build_scans(rules) -> list[Scan]:
    """One Scan per anchor, rules in their order; alone: a rule without an anchor ('(12/6)') and a
    month-first rule (it must run beside its day-first twin). AT_WORD rules are not scanned."""
    groups: dict[tuple, list] = {}
    scans = []
    for rule in rules:
        if rule.anchor is None:
            scans.append(Scan.build(None, [rule]))
        elif rule.anchor != WORD_ANCHOR:
            groups.setdefault((rule.anchor, rule.rule_id if rule.month_first else ""), []).append(rule)
    return [Scan.build(anchor, group) for (anchor, _), group in groups.items()] + scans


@dataclass(frozen=True)
class DateRule:
    rule_id: str               # "dates.fr.day_month"
    lang: str | None           # None: a language-independent rule
    source: str                # the regex, its fragments filled in
    flags: int
    where: str                 # "fr/dates.json rule day_month": for error messages
    pattern: regex.Pattern | None  # compiled only for a rule tried on its own (AT_WORD, or no anchor; see _rule)
    anchor: str | None         # the anchor fragment the template opens with (see anchors.py), AT_WORD, or None
    month_first: bool = False  # numeric month/day/year (US order): see _settle_numeric_order
    numeric: bool = False      # the month is a number


@dataclass
class DateLanguage:
    lang: str
    rules: list[DateRule]
    months: dict[str, int]        # word_key(month word) -> 1..12
    weekdays: dict[str, int]      # word_key(weekday word) -> 1..7 (ISO, Monday = 1)
    day_words: dict[str, int]     # word_key(day word) -> 1..31
    joiner: regex.Pattern         # the text between two dates of one list or range
    weekday_before: regex.Pattern  # a weekday (and joiner words) ending where a date starts
    ambiguous_months: frozenset   # month words that, written exactly so, are ordinary words ("may")
    ambiguous_cue: regex.Pattern  # a cue word ending where such a month's date starts ("on")
    ordinal: regex.Pattern        # an ordinal suffix right after a day ("21st")
    day_word_keys: tuple = ()     # what to look for in the text before trying the AT_WORD rules
    word_rules: tuple = ()        # the AT_WORD rules
    scans: tuple = ()             # this language's rules with the language-independent ones (its articles)


@dataclass
class Item:
    """One calendar day of a match."""
    day: int
    month: int | None = None
    year: int | None = None
    weekday: int | None = None      # ISO weekday written with the day
    year_stated: bool = False       # the year is written in the text (here or in the same list or range)
    year_shared: bool = False       # ... but after a later day of the list ("14 et 15 juin 2024": the 14th)
    year_inferred: bool = False     # the year came from pipeline/extract/years.py


@dataclass
class Candidate:
    start: int
    end: int
    order: int
    rule: DateRule
    items: list[Item]
    language: DateLanguage | None = field(default=None, repr=False)


class DatesExtractor:
    def __init__(self):
        common = read_json("dates.json")
        self.fragments: dict[str, str] = dict(common["fragments"])
        self.languages: dict[str, DateLanguage] = {}
        files = {lang: data for lang in language_codes() if (data := language_file(lang, "dates.json"))}
        for lang, data in files.items():
            self.languages[lang] = self._load_language(lang, data)
        # The first-class languages: every one's rules run on text of no determined language, and
        # the language-independent rules may name a month in any of them (MONTH_ANY).
        first_class = {lang: files[lang] for lang in first_class_codes() if lang in files}
        self.any_months = self._any_months(first_class)
        fragments = dict(self.fragments)
        fragments["MONTH_ANY"] = f"(?P<month>(?i:{word_tree(list(self.any_months), True)}))(?!\\w)"
        fragments["MONTH_ANY_BEHIND"] = f"(?P<month>(?i:{word_tree(list(self.any_months), True, behind=True)}))(?!\\w)"
        fragments["ORD_ANY"] = word_alternation({w for data in first_class.values() for w in data.get("ordinal_suffixes", [])})
        self.numeric_rules = [self._rule(None, r, fragments, "dates.json", 0) for r in common["numeric_rules"]]
        for language in self.languages.values():
            language.scans = tuple(build_scans(language.rules + self.numeric_rules))
        self.first_class = [self.languages[lang] for lang in first_class]
        self.years = YearInference(common, self.languages)

    @functools.cached_property
    def scans_any_language(self) -> tuple:
        """Undetermined language: every language's rules (no month-first numeric dates), then the shared ones.

        Built on first use: few runs meet such an article, and compiling its scanners costs ~0.04 CPU-s."""
        scans = [scan for language in self.first_class
                 for scan in build_scans([r for r in language.rules if not r.month_first])]
        return tuple(scans + build_scans(self.numeric_rules))

    @staticmethod
    def _any_months(files: dict) -> dict[str, int]:
        """Month words of every language -> number; a word that names two months would be an error."""
        months: dict[str, int] = {}
        for lang, data in files.items():
            for number, words in data["months"].items():
                for w in words:
                    for form in {w, w.rstrip(".")} | ({fold(w), fold(w).rstrip(".")} if data.get("accept_unaccented") else set()):
                        key = word_key(form)
                        if months.setdefault(key, int(number)) != int(number):
                            raise PatternError(f"{lang}/dates.json: month word {w!r} names another month in "
                                               "another language")
        return months

    # -- loading --------------------------------------------------------------

    def _load_language(self, lang: str, data: dict) -> DateLanguage:
        where = f"{lang}/dates.json"
        ignore_case = bool(data.get("ignore_case", True))
        unaccented = bool(data.get("accept_unaccented", False))

        def variants(words):
            """The words as listed, unaccented, in capitals, and without a final dot ("juil." -> "juil")."""
            out = set()
            for w in words:
                w = unicodedata.normalize("NFC", w)
                forms = {w, w[:-1]} if w.endswith(".") and len(w) > 2 else {w}
                for form in forms:
                    out.add(form)
                    if unaccented:
                        out.add(fold(form))
                    if not ignore_case:
                        out.add(form.upper())
            return sorted(out)

        def numbered(key: str, low: int, high: int) -> dict[str, int]:
            table: dict[str, int] = {}
            for number, words in data.get(key, {}).items():
                if not (number.isdigit() and low <= int(number) <= high):
                    raise PatternError(f"{where}: {key} key {number!r} is not {low}..{high}")
                for w in variants(words):
                    table[word_key(w)] = int(number)
            return table

        months = numbered("months", 1, 12)
        if sorted(set(months.values())) != list(range(1, 13)):
            raise PatternError(f"{where}: every month 1..12 needs at least one word")
        weekdays = numbered("weekdays", 1, 7)
        day_words = numbered("day_words", 1, 31)
        month_words = [w for words in data["months"].values() for w in variants(words)]

        # Case-insensitive pieces even in a case-sensitive language (cue words open sentences).
        ci = (lambda p: p) if ignore_case else (lambda p: f"(?i:{p})")

        def alt(words):
            words = variants(words)
            return ci(word_alternation(words)) if words else "(?!)"

        weekday_words = [w for words in data.get("weekdays", {}).values() for w in words]
        cue_words = variants(data.get("numeric_cues", []) + data.get("day_parts", [])) + variants(weekday_words)
        fragments = dict(self.fragments)
        fragments.update({
            "MONTH": f"(?P<month>{word_tree(month_words, ignore_case)})(?!\\w)",
            "MONTH_BEHIND": f"(?P<month>{word_tree(month_words, ignore_case, behind=True)})(?!\\w)",
            "WEEKDAY": f"(?P<weekday>{alt(weekday_words)})(?!\\w)",
            "DAYWORD": f"(?P<dayword>{alt([w for ws in data.get('day_words', {}).values() for w in ws])})(?!\\w)",
            "ORD": alt(data.get("ordinal_suffixes", [])),
            "LIST": alt(data.get("list_connectors", [])),
            "RANGE": alt(data.get("range_connectors", [])),
            # Cue words are read in lookbehinds: as suffix trees.
            "CUE": ci(word_tree(cue_words, ignore_case, behind=True)) + "(?!\\w)",
            "WEAK_CUE": ci(word_tree(variants(data.get("weak_cues", [])), ignore_case, behind=True) or "(?!)") + "(?!\\w)",
        })
        # Connectors that are words ("au", "bis zum", "et"), not a bare comma: two dates share a year across
        # them (see _borrow_years), and a list may go on across them without further checks.
        fragments["JOINER"] = alt([w for w in data.get("list_connectors", []) + data.get("range_connectors", [])
                                   if w.strip(",; ")])
        fragments.update(data.get("fragments", {}))
        flags = regex.IGNORECASE if ignore_case else 0
        rules = [self._rule(lang, r, fragments, where, flags) for r in data["rules"]]
        joiner = build_regex(r"\s*{JOINER}\s*(?:(?:{CUE})\s*)?", fragments, where, flags)
        gap_words = variants(data.get("weekday_joiners", []) + data.get("numeric_cues", []) + data.get("day_parts", []))
        weekday_before = regex.compile(
            rf"(?<!\w)(?P<weekday>{alt(weekday_words)})(?:[\s,]+(?:{word_alternation(gap_words) or '(?!)'})(?!\w))*[\s,]*$",
            regex.IGNORECASE)
        ambiguous = data.get("ambiguous_months", {})
        ambiguous_cue = regex.compile(rf"(?<!\w)(?:{word_alternation(ambiguous.get('cues', [])) or '(?!)'})\s+$",
                                      regex.IGNORECASE)
        # Search keys for the day words: none that another key already finds ("erste" finds "ersten").
        keys = sorted({unicodedata.normalize("NFC", w) for ws in data.get("day_words", {}).values() for w in ws}, key=len)
        keys = [k for i, k in enumerate(keys) if not any(k.lower().startswith(p.lower()) for p in keys[:i])]
        return DateLanguage(
            lang, rules, months, weekdays, day_words, joiner, weekday_before,
            day_word_keys=tuple(sorted({form for k in keys for form in (k, k[:1].upper() + k[1:])})),
            word_rules=tuple(r for r in rules if r.anchor == WORD_ANCHOR),
            ambiguous_months=frozenset(unicodedata.normalize("NFC", w) for w in ambiguous.get("words", [])),
            ambiguous_cue=ambiguous_cue,
            ordinal=regex.compile(rf"(?:{alt(data.get('ordinal_suffixes', []))})(?!\w)", flags),
        )

    @staticmethod
    def _rule(lang: str | None, rule: dict, fragments: dict, where: str, flags: int) -> DateRule:
        rule_id = f"dates.{lang or 'any'}.{rule['id']}"
        where = f"{where} rule {rule['id']}"
        source = expand_template(rule["template"], fragments, where)
        anchor = anchor_of(rule["template"])
        # A rule with an AT_DAY or AT_YEAR anchor only ever runs inside its
        # scanner (anchors.Scan), which is compiled anyway: compiling it alone
        # as well cost ~1.5 ms a rule at start-up. Its groups are read from its
        # text, and a syntax error is reported when its scanner is built.
        alone = anchor is None or anchor == WORD_ANCHOR
        pattern = compile_regex(source, where, flags) if alone else None
        groups = set(pattern.groupindex) if pattern is not None else group_names(source)
        if groups is None:  # parentheses that do not balance: the compiler says what is wrong
            groups = set(compile_regex(source, where, flags).groupindex)
        if "date" not in groups or not groups & {"day", "dayword"} or not groups & {"month", "mnum"}:
            raise PatternError(f"{where}: needs groups date, day (or dayword) and month or mnum")
        return DateRule(rule_id, lang, source, flags, where, pattern, anchor,
                        month_first=bool(rule.get("month_first", False)), numeric="mnum" in groups)

    # -- extraction -----------------------------------------------------------

    def find(self, article: Article) -> list[Hit]:
        text = article.masked or article.text
        home = self.languages.get(article.lang)
        if home is not None:
            scans, languages = home.scans, [home]
        else:
            if article.lang != "und":
                article.warn(f"dates: no date words for language {article.lang!r}; the rules of every "
                             "supported language were tried")
            scans, languages = self.scans_any_language, self.first_class
        candidates: list[Candidate] = []
        order = itertools.count()
        for scan in scans:
            for rule, m in scan.matches(text):
                self._add(candidates, _Read(m, scan.groups), rule, next(order), text, article, home)
        for language in languages:  # days written as words, where one occurs
            for position in _word_starts(text, language.day_word_keys) if language.word_rules else ():
                for rule in language.word_rules:
                    m = rule.pattern.match(text, position)  # anchored at a day word: no timeout needed
                    if m is not None:
                        self._add(candidates, _Read(m, rule.pattern.groupindex), rule, next(order), text, article,
                                  home)
        candidates = self._settle_numeric_order(candidates, text)
        chosen = self._resolve(candidates, SpanSet(mention_spans(article.facts.get("codes", []))))
        self._borrow_years(chosen, text)
        self.years.fill(article, text, chosen)
        # The days of stamp lines, read by clean with the whole line in view (weekday,
        # month-first order, another language's month names), replace what was read there.
        stamps = SpanSet((h.start, h.end) for h in article.stamp_dates)
        return article.stamp_dates + [h for h in self._hits(article, text, chosen) if not stamps.overlaps(h.start, h.end)]

    def merge(self, old: dict, new: dict) -> dict:
        # One mention with the year written is enough for the fact to be stated.
        old["year_inferred"] = bool(old.get("year_inferred")) and bool(new.get("year_inferred"))
        return old

    def _add(self, candidates: list, m: "_Read", rule: DateRule, order: int, text: str, article: Article,
             home: DateLanguage | None) -> None:
        language = self.languages[rule.lang] if rule.lang else home
        items = self._items(m, rule, language, article)
        if not items:
            return
        start, end = m.span("date")
        # A day or month read behind the anchor ("March 22", "February 28, 2025") starts the mention.
        for name in ("month", "day"):
            starts = m.starts(name)
            if starts and starts[0] < start:
                start = starts[0]
        if language is not None and language.ambiguous_months and not self._month_word_fits(m, language, text, start):
            return
        candidates.append(Candidate(start, end, order, rule, items, language=language))

    def _items(self, m: "_Read", rule: DateRule, language: DateLanguage | None, article: Article) -> list[Item] | None:
        """The calendar days of one match, each with its month, year and weekday.

        Tokens in text order: D (day), M (month), Y (year), W (weekday). A weekday
        belongs to the next day. In a day-first match ("14 et 15 juin 2024",
        "21-6 đến 8-7") a month or year goes to the days before it that lack
        one; in a month-first match ("March 22 to 25, 2026", "Juli 13 - Juli 15")
        a month goes to the days after it. Days that lack a year take the next
        one written in the match, one year earlier if they come after it in the
        calendar ("28/12 đến 2/1/2025": 28 December 2024).
        """
        days, words, numbers, years = m.captures("day"), m.captures("month"), m.captures("mnum"), m.captures("year")
        if len(days) == 1 and len(words) + len(numbers) == 1 and len(years) <= 1 \
                and not m.captures("weekday") and not m.captures("yy") and not m.captures("dayword"):
            # One day, one month (most matches): no tokens to order.
            if numbers:
                month = int(numbers[0])
            else:
                month = (language.months if language is not None and rule.lang else self.any_months).get(
                    word_key(words[0]))
                if month is None:
                    return None
            year = int(years[0]) if years else None
            return [Item(int(days[0]), month, year, year_stated=year is not None)]
        tokens = []
        for name, kind in _TOKEN_GROUPS:
            written = m.captures(name)
            if written:
                tokens.extend(zip(m.starts(name), itertools.repeat(kind), written))
        tokens.sort()
        month_first = next((kind for _, kind, _ in tokens if kind in ("D", "M")), None) == "M"
        items: list[Item] = []
        weekday = month = lead_year = None
        for _, kind, written in tokens:
            if kind == "W":
                weekday = language.weekdays.get(word_key(written)) if language else None
            elif kind == "D":
                day = int(written) if written.isdigit() else (language.day_words.get(word_key(written)) if language else None)
                if day is None:
                    return None
                items.append(Item(day, month if month_first else None, weekday=weekday))
                weekday = None
            elif kind == "M":
                months = language.months if language is not None and rule.lang else self.any_months
                month = int(written) if written.isdigit() else months.get(word_key(written))
                if month is None:
                    return None
                if not month_first:
                    _fill_back(items, "month", month)
            else:
                year = int(written) if kind == "Y" else self.years.expand_two_digit_year(int(written), article)
                if items:
                    _fill_back(items, "year", year)
                else:
                    lead_year = year  # year first ("2015/08/12"): the days after it
        if not items or any(item.month is None for item in items):
            return None
        if lead_year is not None:
            for item in items:
                if item.year is None:
                    item.year, item.year_stated = lead_year, True
        _settle_list_years(items)
        return items

    @staticmethod
    def _month_word_fits(m: "_Read", language: DateLanguage, text: str, start: int) -> bool:
        """'may' and 'march' in lower case are months only with a year, an ordinal day or a cue before them."""
        if not any(w in language.ambiguous_months for w in m.captures("month")):
            return True
        if m.captures("year") or m.captures("yy"):
            return True
        if any(language.ordinal.match(text, end) for end in m.ends("day")):
            return True
        return language.ambiguous_cue.search(text, max(0, start - 12), start) is not None

    def _settle_numeric_order(self, candidates: list[Candidate], text: str) -> list[Candidate]:
        """Keep one reading of a numeric date that reads both day first and month first ('11/10/2018').

        Month first only when the weekday written with it fits that reading alone,
        or when the article's unambiguous numeric dates are month first (a day over
        12 in second place) and none is day first (a day over 12 in first place).
        """
        month_first = [c for c in candidates if c.rule.month_first]
        if not month_first:
            return candidates
        spans = {(c.start, c.end) for c in month_first}
        twins = {(c.start, c.end): c for c in candidates
                 if not c.rule.month_first and c.rule.lang is None and (c.start, c.end) in spans}
        us_style = any((c.start, c.end) not in twins for c in month_first)
        day_first_style = any(c.items[0].day > 12 for c in candidates
                              if c.rule.lang is None and c.rule.numeric and (c.start, c.end) not in spans)
        drop = set()
        for us in month_first:
            twin = twins.get((us.start, us.end))
            if twin is None:
                continue
            fits = [c for c in (twin, us) if self.years.weekday_fits(c, text)]
            if len(fits) == 1:
                keep = fits[0]
            else:
                keep = us if us_style and not day_first_style else twin
            drop.add(id(us) if keep is twin else id(twin))
        return [c for c in candidates if id(c) not in drop]

    @staticmethod
    def _resolve(candidates: list[Candidate], blocked: SpanSet) -> list[Candidate]:
        """Longest match wins where rules overlap; nothing inside a document code."""
        chosen: list[Candidate] = []
        last_end = -1
        for c in sorted(candidates, key=lambda c: (c.start, c.start - c.end, c.order)):
            if c.start < last_end or blocked.overlaps(c.start, c.end):
                continue
            chosen.append(c)
            last_end = c.end
        return chosen

    @staticmethod
    def _borrow_years(chosen: list[Candidate], text: str) -> None:
        """'du 28 février au 2 mars 2025': the first day takes the year of the second (stated).

        One year earlier when the first comes later in the calendar ('du 28 décembre au 2 janvier 2025').
        """
        for i in range(len(chosen) - 2, -1, -1):
            a, b = chosen[i], chosen[i + 1]
            if a.language is None or not a.rule.lang or b.items[0].year is None:
                continue
            if not any(item.year is None for item in a.items):
                continue
            if a.language.joiner.fullmatch(text, a.end, b.start, timeout=patterns.REGEX_TIMEOUT):
                later = b.items[0]
                for item in reversed(a.items):
                    if item.year is None:
                        item.year = later.year - ((item.month, item.day) > (later.month, later.day))
                        item.year_stated = True
                    later = item

    @staticmethod
    def _hits(article: Article, text: str, chosen: list[Candidate]) -> list[Hit]:
        hits: list[Hit] = []
        for c in chosen:
            written = text[c.start:c.end]
            for item in c.items:
                if item.year is None:
                    continue  # dropped by year inference, with its warning
                try:
                    value = dt.date(item.year, item.month, item.day).isoformat()
                except ValueError:
                    article.warn(f"dates: {written!r} is not a calendar day ({item.day}/{item.month}/{item.year}); "
                                 "dropped")
                    continue
                hits.append(Hit(value, c.start, c.end, c.rule.rule_id, {"year_inferred": item.year_inferred}))
        return hits


class _Read:
    """A match read by group name through the pattern's group numbers (by name the regex module takes
    ~4 µs a call, by number 0.1 µs); a group the pattern lacks reads as empty."""

    __slots__ = ("match", "groups")

    def __init__(self, match, groups: dict):
        self.match, self.groups = match, groups

    def span(self, name: str) -> tuple[int, int]:
        return self.match.span(self.groups[name])

    def captures(self, name: str) -> list[str]:
        number = self.groups.get(name)
        return self.match.captures(number) if number else []

    def starts(self, name: str) -> list[int]:
        number = self.groups.get(name)
        return self.match.starts(number) if number else []

    def ends(self, name: str) -> list[int]:
        number = self.groups.get(name)
        return self.match.ends(number) if number else []


def _fill_back(items: list[Item], name: str, value: int) -> None:
    """Give `value` to the last items that lack it (back to the first that has one)."""
    for n, item in enumerate(reversed(items)):
        if getattr(item, name) is not None:
            break
        setattr(item, name, value)
        if name == "year":
            item.year_stated, item.year_shared = True, n > 0


def _settle_list_years(items: list[Item]) -> None:
    """Days listed in calendar order: one that shares the year of a later day it comes after is a year earlier."""
    for earlier, later in zip(reversed(items[:-1]), reversed(items[1:])):
        if earlier.year_shared:
            earlier.year = later.year - ((earlier.month, earlier.day) > (later.month, later.day))


def _word_starts(text: str, keys) -> list[int]:
    """Where one of the keys starts a word, in text order (str.find: ~1 µs a key on 10 KB)."""
    found = []
    for key in keys:
        i = text.find(key)
        while i >= 0:
            if i == 0 or not text[i - 1].isalnum():
                found.append(i)
            i = text.find(key, i + 1)
    return sorted(found)
