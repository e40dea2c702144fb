"""Year inference: the year of a day written without one, found as a reader finds it.

A day without its year (`Le 27 juin`, `Sáng 30/9`, `On May 26`) gets one from,
in this order (`year_inferred` is then true):

 1. The list or range it belongs to ("du 28 février au 2 mars 2025"): done
    by the date parser, and the year counts as stated.
 2. With a publication date -- `article.published` (a stamp line, the
    caller's metadata, an input format) or a month or year the caller gave
    (`published_approx`, e.g. "2023-11"):
      a. a document's own date, right after its code and across only a date
         cue and the issuing body ("Plan Nr. 173-KH/TU des
         Provinzparteikomitees vom 8. Aug"): the last such day on or before
         the publication date, since a cited document was issued before;
      b. a relative-year phrase in the same clause ("le 3 mai de l'année
         dernière", "ngày 3/5 năm nay", "am 3. Mai dieses Jahres"): the
         publication year plus its offset (patterns/<lang>/dates.json
         years.relative);
      c. otherwise the publication year, or the neighbouring year when the
         day would lie more than `max_days_from_published` (patterns/dates.json)
         before or after the publication date ("30 décembre" in a January
         article is last year's).
 3. Without one, the dated evidence of the text:
      a. the nearest *event* in the same sentence, else in the same paragraph:
         a date with its year written that is not a document's own date
         ("Ngày 15/6/2021, ... Chiều 29/6"), or a term opened in the text --
         a congress, or the first session or meeting, of a term ("Đại hội ...
         lần thứ I, nhiệm kỳ 2025 - 2030", "the first meeting ..., tenure
         2020 – 2025") gives the term's first year, since that is when a term
         opens. The event word must come before the term in the same clause
         with no other term between, and not as a document of the congress
         ("the Resolution of the 17th Congress, tenure 2020 – 2025" is read
         years later);
      b. otherwise the latest year of all the evidence in the article: event
         dates, terms opened, documents' own dates ("57-NQ/TW ngày
         22/12/2024", "Resolution No.13-NQ/TW, dated April 2, 2022") and codes
         with their year ("15/2025/NĐ-CP"). An article is written after the
         documents it cites, and the days it leaves without a year are its
         news, so an old document next to the day ("Le 3 septembre, ... la
         Résolution n° 43-NQ/TW du 24 janvier 2019") does not date it when the
         article cites a later one. Evidence in a sentence that tells a
         person's past (years.background_cues: "est né le 26 mars 1959",
         "On December 9, 2020, ... he was elected") is left out here: the
         profile that follows an appointment is years older than the news.
    Never a bare year, a period without such an event, or a year in a name
    ("the 2013 Constitution", "Plan 2025").
 4. A weekday written with the day ("mardi 14 octobre", "THURSDAY, 11/10/2018")
    must fit: if the year found does not, the one year that fits among the
    neighbouring years and the years the article writes (dates, periods,
    bare years) is taken -- with a publication date, only one that keeps the
    day within max_days_from_published of it; if none or several fit, the day
    is dropped. With no basis at all, the weekday alone may pick among the
    article's years.
 5. Otherwise the day is dropped with a warning.

Why the publication date comes before nearby dates: in this press a day
without a year is the news event, close to the publication date, while the
dated documents around it are what the event implements, often from an
earlier year ("Ngày 29-9, Tỉnh ủy ban hành kế hoạch thực hiện Nghị quyết số
57-NQ/TW ngày 22/12/2024").
"""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass

import regex

from ..article import Article
from ..patterns import PatternError, language_file
from ..text import fold, word_alternation, word_key

_ISO_DAY = regex.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?")
_ISO_MONTH = regex.compile(r"(\d{4})(?:-(\d{2}))?")
_CLAUSE_BREAK = regex.compile(r"[;:\n]")
_TERM_WINDOW = 200      # characters before a term in which its opening event is looked for
_REFERENCE_WINDOW = 50  # characters before the event in which "Resolution of" makes it a reference
_RELATIVE_WINDOW = 160  # characters either side of a date in which "last year" is looked for
_LOCAL_END = regex.compile(r"[.!?;](?=\s)|\n")
_DOCUMENT_TAIL = 160    # a document's date is at most this far after its code (cue and issuing body between)


def publication_reference(article: Article) -> dt.date | None:
    """The publication date to count from: article.published, else a month or year given for it
    (`published_approx`, or one an input format put in `published`), taken at its middle."""
    for value in (article.published, getattr(article, "published_approx", None)):
        if not value:
            continue
        day, approx, _ = split_published(value)
        if day:
            return dt.date.fromisoformat(day)
        if approx:
            # The middle of the month or year: the window then reaches as far either side.
            year, _, month = approx.partition("-")
            return dt.date(int(year), int(month), 15) if month else dt.date(int(year), 7, 2)
        article.warn(f"dates: publication date {value!r} is not YYYY-MM-DD, YYYY-MM or YYYY; "
                     "ignored for year inference")
    return None


def split_published(value) -> tuple[str | None, str | None, str | None]:
    """A caller's `published`: (a YYYY-MM-DD day, a YYYY-MM or YYYY approximation, a warning), at most one set."""
    if value is None or value == "":
        return None, None, None
    text = str(value).strip()
    m = _ISO_DAY.fullmatch(text)
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat(), None, None
        except ValueError:
            pass
    m = _ISO_MONTH.fullmatch(text)
    if m and (m.group(2) is None or 1 <= int(m.group(2)) <= 12):
        return None, text, (f"published {text!r} has no day: used to infer years, not written as the "
                            "publication date")
    return None, None, f"published {text!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY); ignored"


@dataclass(frozen=True)
class Evidence:
    start: int
    end: int
    year: int
    event: bool    # an event's date or a term opened (step 3a); else a document's date or a code's year


class YearInference:
    """Built once per extractor; `fill` runs per article (see the module docstring)."""

    def __init__(self, common: dict, languages: dict):
        cfg = common["year_inference"]
        self.max_days = int(cfg["max_days_from_published"])
        self.max_ahead = int(cfg["two_digit_year_max_ahead"])
        self.pivot = int(cfg["two_digit_year_pivot"])
        self.languages = languages
        relative: dict[str, int] = {}
        events, references, background = [], [], []
        for lang in languages:
            data = (language_file(lang, "dates.json") or {}).get("years", {})
            for offset, words in data.get("relative", {}).items():
                try:
                    number = int(offset)
                except ValueError:
                    raise PatternError(f"{lang}/dates.json years.relative: key {offset!r} is not a year offset") from None
                relative.update({word_key(w): number for w in words})
            events += data.get("term_events", [])
            references += data.get("term_references", [])
            background += data.get("background_cues", [])
        # The vocabulary of every language at once: captions and quotes mix languages.
        self.relative = relative
        self.relative_re = regex.compile(rf"(?<!\w)(?:{word_alternation(relative) or '(?!)'})(?!\w)", regex.IGNORECASE)
        self.term_event_re = regex.compile(rf"(?<!\w)(?:{word_alternation(events) or '(?!)'})(?!\w)", regex.IGNORECASE)
        self.term_reference_re = regex.compile(rf"(?<!\w)(?:{word_alternation(references) or '(?!)'})(?!\w)",
                                               regex.IGNORECASE)
        self.background_re = regex.compile(rf"(?<!\w)(?:{word_alternation(background) or '(?!)'})(?!\w)",
                                           regex.IGNORECASE)

    # -- pieces the date parser asks for ----------------------------------------

    def expand_two_digit_year(self, yy: int, article: Article) -> int:
        """'78' -> 1978, '16' -> 2016: the century that puts it at most max_ahead years after publication."""
        reference = publication_reference(article)
        if reference is None:
            return (2000 if yy < self.pivot else 1900) + yy
        # The latest year ending in yy that is not after the limit (1999 + 10 -> '00' is 2000, not 1900).
        limit = reference.year + self.max_ahead
        year = limit // 100 * 100 + yy
        return year - 100 if year > limit else year

    def weekday_of(self, candidate, text: str) -> int | None:
        """The weekday written with the candidate's first day: inside the match or just before it."""
        if candidate.items[0].weekday is not None:
            return candidate.items[0].weekday
        languages = [candidate.language] if candidate.language is not None else list(self.languages.values())
        for language in languages:
            # (no timeout: a 60-character window; see docs/reliability.md)
            m = language.weekday_before.search(text, max(0, candidate.start - 60), candidate.start)
            if m is not None:
                return language.weekdays.get(word_key(m.group("weekday")))
        return None

    def weekday_fits(self, candidate, text: str) -> bool:
        """False only when a weekday is written with the (dated) first day and that day is another weekday."""
        weekday = self.weekday_of(candidate, text)
        item = candidate.items[0]
        if weekday is None or item.year is None:
            return True
        return _weekday(item.year, item.month, item.day) == weekday

    # -- the inference ------------------------------------------------------------

    def fill(self, article: Article, text: str, chosen: list) -> None:
        """Give a year to every item of `chosen` that lacks one, or leave it None with a warning."""
        if not any(item.year is None for c in chosen for item in c.items):
            return
        context = _Context(self, article, text, chosen)
        for c in chosen:
            if all(item.year is not None for item in c.items):
                continue
            c.items[0].weekday = self.weekday_of(c, text)
            written = text[c.start:c.end]
            needy = [item for item in c.items if item.year is None]
            # Each day its year ("du 30 décembre au 2 janvier" in a January article: two years); a weekday
            # written with one of them corrects them all by as much, or drops them all.
            years = [context.year_for(c, item) for item in needy]
            dated = next((i for i, item in enumerate(needy) if item.weekday is not None), None)
            if dated is not None:
                fitted = context.weekday_year(needy[dated], years[dated], written)
                if fitted is None:
                    continue
                shift = fitted - years[dated] if years[dated] is not None else None
                years = [fitted if shift is None else year + shift for year in years]
            elif years[0] is None:
                article.warn(f"dates: no year for {written!r} (no publication date, no dated evidence in the "
                             "text); dropped")
                continue
            for item, year in zip(needy, years):
                item.year, item.year_inferred = year, True

    def near_published(self, reference: dt.date, year: int, month: int, day: int) -> bool:
        try:
            return abs((dt.date(year, month, day) - reference).days) <= self.max_days
        except ValueError:
            return False

    def from_published(self, reference: dt.date, month: int, day: int) -> int:
        """The publication year, or its neighbour when the day is too far from the publication date."""
        year = reference.year
        try:
            offset = (dt.date(year, month, day) - reference).days
        except ValueError:
            # Not a day of the publication year (31 février, 29 février of a common
            # year). A 29 February soon after the publication date is the next year's
            # (29/2 in a paper of December 2055 is 2056's); otherwise keep the year so
            # the caller reports the impossible date.
            try:
                if (dt.date(year + 1, month, day) - reference).days <= self.max_days:
                    return year + 1
            except ValueError:
                pass
            return year
        if offset > self.max_days:
            return year - 1
        if offset < -self.max_days:
            return year + 1
        return year


_NOT_YET = object()   # a cached value not computed yet (None is a value)


class _Context:
    """What one article offers as evidence, computed once and only when a day needs it."""

    def __init__(self, inference: YearInference, article: Article, text: str, chosen: list):
        self.inference = inference
        self.article = article
        self.text = text
        self.chosen = chosen
        self.reference = publication_reference(article)
        self._sentences: dict[tuple[int, int], list[tuple[int, int]]] = {}
        self._evidence: list[Evidence] | None = None
        self._code_ends: list[int] | None = None
        self._latest_news_year: int | None | object = _NOT_YET

    # -- structure -------------------------------------------------------------------

    def sentence_of(self, pos: int) -> tuple[int, int]:
        """The sentence around `pos` (record.sentence_bounds, run on its paragraph only: sentences never
        cross a line end, and the whole text would cost ~0.3 ms)."""
        paragraph = self.paragraph_of(pos)
        sentences = self._sentences.get(paragraph)
        if sentences is None:
            from ..record import sentence_bounds

            start = paragraph[0]
            sentences = [(start + s, start + e) for s, e in sentence_bounds(self.text[start:paragraph[1]])]
            self._sentences[paragraph] = sentences = sentences or [paragraph]
        i = max(0, bisect.bisect_right([s for s, _ in sentences], pos) - 1)
        return sentences[i]

    def paragraph_of(self, pos: int) -> tuple[int, int]:
        start = self.text.rfind("\n", 0, pos) + 1
        end = self.text.find("\n", pos)
        return start, len(self.text) if end < 0 else end

    # -- steps 2 and 3 ----------------------------------------------------------------

    def year_for(self, c, item) -> int | None:
        if self.reference is not None:
            if self.follows_code(c.start):
                # A cited document's own date ("Plan Nr. 173-KH/TU vom 8. Aug"): issued before the article.
                reference = self.reference
                return reference.year - ((item.month, item.day) > (reference.month, reference.day))
            offset = self.relative_offset(c)
            if offset is not None:
                return self.reference.year + offset
            return self.inference.from_published(self.reference, item.month, item.day)
        return self.nearest_evidence_year(c, item)

    def relative_offset(self, c) -> int | None:
        """The offset of the relative-year phrase nearest the date in its clause, if any.

        Read in a window around the date cut at sentence marks, not in the whole
        text: this runs for most articles, and a regex over 10 KB costs ~1 ms.
        """
        text = self.text
        lo = max(0, c.start - _RELATIVE_WINDOW)
        ends = list(_LOCAL_END.finditer(text, lo, c.start))
        if ends:
            lo = ends[-1].end()
        hi = min(len(text), c.end + _RELATIVE_WINDOW)
        end = _LOCAL_END.search(text, c.end, hi)
        if end:
            hi = end.start() + 1
        near = [(_distance(m.start(), m.end(), c.start, c.end), self.inference.relative[word_key(m.group())])
                for m in self.inference.relative_re.finditer(text, lo, hi)]  # a window of <= 320 characters
        return min(near)[1] if near else None

    def evidence(self) -> list[Evidence]:
        if self._evidence is not None:
            return self._evidence
        found: list[Evidence] = []
        for fact in self.article.facts.get("codes", []):
            if fact.get("year"):
                found += [Evidence(m["start"], m["end"], int(fact["year"]), False) for m in fact.get("mentions", [])]
        for c in self.chosen:
            stated = [item.year for item in c.items if item.year is not None and not item.year_inferred]
            if stated:
                found.append(Evidence(c.start, c.end, max(stated), not self.follows_code(c.start)))
        found += self._term_openings()
        self._evidence = found
        return found

    def follows_code(self, start: int) -> bool:
        """A date that is a document's own: after its code, across only a date cue and the issuing body
        ("57-NQ/TW ngày 22/12/2024", "Plan Nr. 173-KH/TU des Provinzparteikomitees vom 8. August 2024"),
        read with the link stage's words (patterns/<lang>/links.json)."""
        if self._code_ends is None:
            self._code_ends = sorted(m["end"] for fact in self.article.facts.get("codes", [])
                                     for m in fact.get("mentions", []))
        i = bisect.bisect_right(self._code_ends, start) - 1
        if i < 0 or start - self._code_ends[i] > _DOCUMENT_TAIL:
            return False
        folded = self.article.folded or fold(self.text)
        for rules in self.link_rules():
            pos = self._code_ends[i]
            for _ in range(3):  # [body] [second body] cue date
                # (anchored where the code or the last body ends: no timeout, see docs/reliability.md)
                cue = rules.date_cue.match(folded, pos)
                if cue is not None and cue.end() == start:
                    return True
                body = rules.body.match(folded, pos) or rules.next_body.match(folded, pos)
                if body is None:
                    break
                pos = body.end()
        return False

    def link_rules(self) -> list:
        from ..link import link_rules

        langs = [self.article.lang] if self.article.lang in self.inference.languages else list(self.inference.languages)
        return [rules for rules in map(link_rules, langs) if rules is not None]

    def _term_openings(self) -> list[Evidence]:
        """Terms whose opening event (congress, first session) the text names just before them."""
        periods = sorted((m["start"], m["end"], fact["start"]) for fact in self.article.facts.get("periods", [])
                         for m in fact.get("mentions", []))
        found = []
        inference = self.inference
        for i, (start, end, first_year) in enumerate(periods):
            sentence_start, _ = self.sentence_of(start)
            window_start = max(sentence_start, start - _TERM_WINDOW)
            breaks = list(_CLAUSE_BREAK.finditer(self.text, window_start, start))
            if breaks:
                window_start = breaks[-1].end()
            events = list(inference.term_event_re.finditer(self.text, window_start, start))  # <= 200 characters
            if not events:
                continue
            event = events[-1]
            if i > 0 and periods[i - 1][0] >= event.end():
                continue  # another term stands between the event and this one: the event is that term's
            if inference.term_reference_re.search(self.text, max(window_start, event.start() - _REFERENCE_WINDOW),
                                                  event.start()):
                continue  # "the Resolution of the 17th Congress": a document, read later
            found.append(Evidence(start, end, first_year, True))
        return found

    def nearest_evidence_year(self, c, item) -> int | None:
        evidence = self.evidence()
        if not evidence:
            return None
        for scope in (self.sentence_of(c.start), self.paragraph_of(c.start)):
            events = [e for e in evidence if e.event and scope[0] <= e.start and e.end <= scope[1]]
            if events:
                return min(events, key=lambda e: (_distance(e.start, e.end, c.start, c.end), e.start > c.start)).year
        # The article's latest year, but not from a sentence that tells someone's past ("he was born",
        # "On December 9, 2020, ... he was elected"): a profile's dates are years older than the news
        # it follows, and no year is better than such a one (the day is then dropped with a warning).
        return self.latest_news_year()

    def latest_news_year(self) -> int | None:
        """The latest year of the evidence outside background sentences (see nearest_evidence_year).
        Computed once, as every undated day of an article without a publication date asks for it,
        and latest first, so only the sentences of the evidence down to the first news are read."""
        if self._latest_news_year is _NOT_YET:
            latest_first = sorted(self.evidence(), key=lambda e: e.year, reverse=True)
            self._latest_news_year = next((e.year for e in latest_first if not self.in_background(e)), None)
        return self._latest_news_year

    def in_background(self, evidence: Evidence) -> bool:
        """Whether the evidence's sentence tells a person's birth or past career (`years.background_cues`)."""
        start, end = self.sentence_of(evidence.start)
        return self.inference.background_re.search(self.text, start, end) is not None   # one sentence

    # -- step 4 ------------------------------------------------------------------------

    def article_years(self) -> set[int]:
        """Every year the article writes: bare, in dates, in codes, at either end of a period."""
        years = set(self.article.years_mentioned()) | {e.year for e in self.evidence()}
        for fact in self.article.facts.get("periods", []):
            years |= {fact["start"], fact["end"]}
        return years

    def weekday_year(self, item, year: int | None, written: str) -> int | None:
        """The year that fits the weekday written with the day: `year` itself, or the only other one that does."""
        if year is not None and _weekday(year, item.month, item.day) == item.weekday:
            return year
        options = self.article_years()
        if year is not None:
            options |= {year - 1, year + 1}
        if self.reference is not None:  # still near the publication date
            options = {y for y in options if self.inference.near_published(self.reference, y, item.month, item.day)}
        fitting = sorted(y for y in options if _weekday(y, item.month, item.day) == item.weekday)
        if len(fitting) == 1:
            return fitting[0]
        found = "no year of the article fits" if not fitting else f"years {', '.join(map(str, fitting))} all fit"
        if year is None:
            self.article.warn(f"dates: no year for {written!r} (no publication date, no dated evidence, and for "
                              f"its weekday {found}); dropped")
        else:
            self.article.warn(f"dates: the weekday written with {written!r} does not fit {year} and {found}; "
                              "dropped")
        return None


def _weekday(year: int, month: int, day: int) -> int | None:
    try:
        return dt.date(year, month, day).isoweekday()
    except ValueError:
        return None


def _distance(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    if a_end <= b_start:
        return b_start - a_end
    if b_end <= a_start:
        return a_start - b_end
    return 0
