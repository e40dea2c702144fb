"""Periods: spans of years named as a term, plan period or range, as `YYYY-YYYY`.

The language-independent rule (patterns/dates.json "periods") reads
`2025-2030`, `2020 – 2025` (any dash, spaces allowed) and `2025-30`; each
language file (patterns/<lang>/dates.json "periods") adds worded ranges
("de 2021 à 2025", "von 2021 bis 2025", "từ năm 2021 đến năm 2025") and the
cue words ("mandat", "Amtszeit", "term", "nhiệm kỳ") that a two-digit end
needs nearby. A span is kept as written, even if historically odd, when both
years lie in [min_year, max_year] and end - start lies in [min_span, max_span].
Ordinals (`13e Comité central`, `khóa XIII`), `COVID-19`, codes and dates
(`2025-05-23`) are never periods.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from ..article import Article
from ..facts import Hit, mention_spans
from .. import patterns
from ..patterns import build_regex, language_codes, language_file, read_json
from ..text import SpanSet, word_alternation
from .anchors import anchor_of, scanner_for

_SENTENCE_END = regex.compile(r"[.!?;\n]")


@dataclass(frozen=True)
class PeriodRule:
    rule_id: str
    pattern: regex.Pattern
    scanner: regex.Pattern   # what is run over the text (dates.scanner_for); read named groups only


class PeriodsExtractor:
    def __init__(self):
        common = read_json("dates.json")
        fragments = common["fragments"]
        cfg = common["periods"]
        dash = build_regex(cfg["template"], fragments, "dates.json periods")
        self.dash_rule = PeriodRule("periods.any.year_dash_year", dash, scanner_for(dash, anchor_of(cfg["template"])))
        self.min_year, self.max_year = cfg["min_year"], cfg["max_year"]
        self.min_span, self.max_span = cfg["min_span"], cfg["max_span"]
        self.max_short_span = cfg["max_span_two_digit_end"]
        self.cue_window = cfg["cue_window"]
        self.cues: dict[str, regex.Pattern] = {}
        self.rules: dict[str, list[PeriodRule]] = {}
        for lang in language_codes():
            data = (language_file(lang, "dates.json") or {}).get("periods")
            if not data:
                continue
            where = f"{lang}/dates.json periods"
            if data.get("cues"):
                self.cues[lang] = regex.compile(rf"(?<!\w)(?:{word_alternation(data['cues'])})(?!\w)",
                                                regex.IGNORECASE)
            self.rules[lang] = []
            for rule in data.get("rules", []):
                pattern = build_regex(rule["template"], fragments, f"{where} rule {rule['id']}",
                                      regex.IGNORECASE)
                self.rules[lang].append(PeriodRule(f"periods.{lang}.{rule['id']}", pattern,
                                                   scanner_for(pattern, anchor_of(rule["template"]))))

    def find(self, article: Article) -> list[Hit]:
        text = article.masked or article.text
        blocked = SpanSet(mention_spans(article.facts.get("codes", [])))
        hits: list[Hit] = []
        for rule in [self.dash_rule] + self.rules.get(article.lang, []):
            for m in rule.scanner.finditer(text, timeout=patterns.REGEX_TIMEOUT):
                start, end = m.span("span")
                if blocked.overlaps(start, end):
                    continue
                years = self._years(article, text, m)
                if years is not None:
                    first, last = years
                    hits.append(Hit(f"{first}-{last}", start, end, rule.rule_id, {"start": first, "end": last}))
        return hits

    def _years(self, article: Article, text: str, m) -> tuple[int, int] | None:
        first, written_end = int(m.group("start")), m.group("end")
        if len(written_end) == 2:
            # "2025-30": same century, or the next one for "1999-00".
            last = first // 100 * 100 + int(written_end)
            if last <= first:
                last += 100
            if last - first > self.max_short_span or not self._has_cue(article.lang, text, *m.span("span")):
                return None  # "2025-05" (a month), a score, a page range
        else:
            last = int(written_end)
        if not (self.min_year <= first <= self.max_year and self.min_year <= last <= self.max_year):
            return None
        if not (self.min_span <= last - first <= self.max_span):
            article.warn(f"periods: {m.group('span')!r} is not a plausible span of years; dropped")
            return None
        return first, last

    def _has_cue(self, lang: str, text: str, start: int, end: int) -> bool:
        """A period cue word in the same sentence, just before or just after the span."""
        cue = self.cues.get(lang)
        if cue is None:
            return False
        before = text[max(0, start - self.cue_window):start]
        ends = list(_SENTENCE_END.finditer(before))
        if ends:
            before = before[ends[-1].end():]
        after = text[end:end + self.cue_window]
        stop = _SENTENCE_END.search(after)
        if stop:
            after = after[:stop.start()]
        return bool(cue.search(before, timeout=patterns.REGEX_TIMEOUT) or cue.search(after, timeout=patterns.REGEX_TIMEOUT))
