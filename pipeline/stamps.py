"""Stamp lines: the date a page prints for its article, read from a whole line.

A stamp is a line that holds a date and little else: maybe a weekday
(`Thứ Năm, 15/10/2020`), a time before or after it (`08:27 13/07/2016`,
`25/10/2025 12:38`, `16:21 (GMT+7)`), a label (`Cập nhật:`, `Publié le`), and
in front of it the paper's name glued on (`Báo Lâm ĐồngBáo Lâm Đồng30/06/2025`),
a byline (`Thanh Duy February 28, 2025 17:20`) or a place (`Quảng Bình, ngày
25 tháng 5 năm 2015`). The stamp is printed by the site, not by the article's
language, so the month and weekday words of every language are tried (an
English date on a French page).

This module only reads the line; what the text in front of the date is (a
publisher, an author, a place) and whether the date is the article's is
decided by clean.py. Vocabulary: patterns/clean.json "stamps" (the date forms),
the labels and cue words of every language folder's clean.json
(stamp_labels, stamp_date_cues, stamp_time_cues), month and weekday words
from patterns/<lang>/dates.json, the number fragments from patterns/dates.json.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

import regex

from .patterns import PatternError, build_regex, language_codes, language_file, read_json
from .text import alternation, fold, word_alternation, word_key

MAX_STAMP_LINE = 260   # characters; a stamp glued to a headline is the longest kind
# Every stamp names a four-digit year: lines without one are never tried.
_YEAR_LIKE = regex.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])")


# A stamp line, read from its end: the date, maybe a time and a time zone, then
# the end of the line (_TAIL); and just before the date, maybe a label, a time,
# a weekday and a cue word ("ngày", "le") (_HEAD). Whatever stands before those
# is the prefix (a publisher, a byline, a place). Both are searched backwards
# from the line's end ((?r)), so the engine only tries the places where the
# line ends: a forward search with a lazy `^.*?` would try the whole pattern at
# every character. Vocabulary comes in through the fragments.
_TAIL = (r"(?r)(?<![0-9])(?P<date>{DATE})"
         r"(?:\s*(?:{SEP}\s*)?(?:(?<!\w)(?:{TIME_CUE})\s+)?(?P<time>{TIME}))?"
         r"\s*(?:{ZONE})?\s*$")
_HEAD = (r"(?r)(?:(?<!\w)(?P<label>{LABEL})(?:\s*:\s*|\s+))?"
         r"(?:(?<![0-9])(?P<time_before>{TIME})(?:\s*{SEP}\s*|\s+))?"
         r"(?:(?<!\w)(?P<weekday>{WEEKDAY})(?:\s*,\s*|\s+))?"
         r"(?:(?<!\w)(?:{DATE_CUE})\s+)?$")


@dataclass(frozen=True)
class Stamp:
    value: str           # the day, YYYY-MM-DD
    start: int           # the date's span in the line
    end: int
    prefix_end: int      # line[:prefix_end] is what stands before the stamp (publisher, byline, place)
    labelled: bool       # "Cập nhật:", "Publié le" ...
    timed: bool          # a time of day is printed with it


class StampReader:
    def __init__(self, clean: dict):
        """clean: patterns/clean.json with every language's words (patterns.with_language_words)."""
        cfg = clean["stamps"]
        if not isinstance(cfg["min_year"], int):
            raise PatternError(f"clean.json stamps.min_year: expected a year, got {cfg['min_year']!r}")
        self._min_year = cfg["min_year"]
        fragments = dict(read_json("dates.json")["fragments"])  # DAY, MNUM, YEAR
        self._months: dict[str, dict[str, int]] = {}            # lang -> month word -> 1..12
        self._weekdays: dict[str, int] = {}                      # weekday word -> 1 (Monday)..7
        ordinals: set[str] = set()
        for lang in language_codes():   # a page prints its stamp in the site's language, whatever the article's
            data = language_file(lang, "dates.json") or {}
            unaccented = bool(data.get("accept_unaccented", False))
            months = {word_key(v): int(n) for n, words in data.get("months", {}).items()
                      for w in words for v in _variants(w, unaccented)}
            self._months[lang] = months
            fragments[f"MONTH_{lang.upper()}"] = (f"(?P<month_{lang}>{_words(months)})(?!\\w)" if months else "(?!)")
            for n, words in data.get("weekdays", {}).items():
                for w in words:
                    for v in _variants(w, unaccented):
                        self._weekdays[word_key(v)] = int(n)
            ordinals.update(data.get("ordinal_suffixes", []))
        fragments.update({
            "WEEKDAY": _words(self._weekdays) + r"(?!\w)",
            "ORD": alternation(ordinals) if ordinals else "(?!)",
            "LABEL": _words(clean.get("stamp_labels", ())) + r"(?!\w)",
            "DATE_CUE": _words(clean.get("stamp_date_cues", ())),
            "TIME_CUE": _words(clean.get("stamp_time_cues", ())),
        })
        fragments.update(cfg["fragments"])
        forms = []
        for form in cfg["date_forms"]:
            where = f"clean.json stamps.date_forms {form['id']!r}"
            groups = set(build_regex(form["template"], fragments, where).groupindex)
            has_month = "mnum" in groups or any(g.startswith("month_") for g in groups)
            if not ({"a", "b", "year"} <= groups or {"day", "year"} <= groups and has_month):
                raise PatternError(f"{where}: needs the groups a, b and year, or day, year and a month "
                                   "(mnum or a MONTH_<LANG> fragment)")
            forms.append(form["template"])
        fragments["DATE"] = "|".join(f"(?:{f})" for f in forms)
        self._tail = build_regex(_TAIL, fragments, "clean.json stamps", regex.IGNORECASE)
        self._head = build_regex(_HEAD, fragments, "clean.json stamps", regex.IGNORECASE)

    def read(self, line: str) -> Stamp | None:
        """The stamp on this line, or None when the line is not a stamp line."""
        if len(line) > MAX_STAMP_LINE or not _YEAR_LIKE.search(line):
            return None
        m = self._tail.search(line)
        if m is None:
            return None
        head = self._head.search(line, 0, m.start())   # all optional: it always matches, maybe empty
        weekday = self._weekdays.get(word_key(head.group("weekday"))) if head.group("weekday") else None
        day = self._day(m, weekday)
        if day is None:
            return None
        return Stamp(day.isoformat(), m.start("date"), m.end("date"), head.start(),
                     labelled=head.group("label") is not None,
                     timed=m.group("time") is not None or head.group("time_before") is not None)

    def _day(self, m, weekday: int | None) -> dt.date | None:
        groups = m.groupdict()
        year = int(groups["year"])
        if year < self._min_year:
            return None
        if groups.get("a") is not None:
            # All numbers: day first (the Vietnamese order, kept by the translations),
            # month first only when the weekday or the calendar says so (09/20/2024).
            a, b = int(m.group("a")), int(m.group("b"))
            readings = [d for d in (_date(year, b, a), _date(year, a, b)) if d is not None]
            if weekday is not None:
                agreeing = [d for d in readings if d.isoweekday() == weekday]
                readings = agreeing or readings
            return readings[0] if readings else None
        month = int(groups["mnum"]) if groups.get("mnum") else None
        for lang, months in self._months.items():
            word = groups.get(f"month_{lang}")
            if word:
                month = months.get(word_key(word))
        return _date(year, month, int(m.group("day"))) if month else None


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _variants(word: str, unaccented: bool) -> set[str]:
    word = unicodedata.normalize("NFC", word)
    return {word, fold(word)} if unaccented else {word}


def _words(words) -> str:
    """An alternation of literal words, longest first; a space matches any run of spaces."""
    return "(?:" + (word_alternation(words) or "(?!)") + ")"
