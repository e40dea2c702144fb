"""Property tests for the date parser.

Every supported format of every language, rendered in running text of that
language, reads back as the very day(s) it names: with its year; without its
year but with a publication date; without its year but with a dated event in
the same paragraph; and, with nothing that gives a year, it is dropped with a
warning -- never read as another day. Odd text never breaks the extractor.
"""
import datetime as dt
from dataclasses import dataclass
from typing import Callable

from hypothesis import HealthCheck, assume, given, settings, strategies as st

from pipeline.extract.dates import DatesExtractor
from pipeline.extract.periods import PeriodsExtractor
from pipeline.patterns import language_codes, language_file
from tests.helpers import make_article

EXTRACTOR = DatesExtractor()
PERIODS = PeriodsExtractor()
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MODERN = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))


def _words(lang, key):
    return {int(k): v for k, v in language_file(lang, "dates.json")[key].items()}


MONTHS = {lang: _words(lang, "months") for lang in language_codes()}
WEEKDAYS = {lang: _words(lang, "weekdays") for lang in language_codes()}


@dataclass(frozen=True)
class Format:
    """One way to write a date: render(date, month word, weekday word, draw) -> the text, or None if it does not apply."""
    name: str
    render: Callable
    yearless: bool = False      # the format names no year
    span: int = 1               # how many days it names: the date and the following ones
    historic: bool = False      # years before 1900 are written this way too (before a comma)
    two_digit: bool = False     # the year is written with two digits


def _next(d, n=1):
    return d + dt.timedelta(days=n)


def _same_month(d, n):
    """The day n days later if it is in the same month (for '14 et 15 juin'), else None."""
    e = _next(d, n)
    return e if e.month == d.month else None


def en_ordinal(day):
    if 11 <= day % 100 <= 13:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th')}"


def _ranged(fmt):
    """A two-day format applies only when the second day is in the same month."""
    def render(d, w, wd, draw):
        e = _same_month(d, 1)
        return None if e is None else fmt(d, e, w, wd, draw)
    return render


FORMATS = {
    "fr": [
        Format("le d mois yyyy", lambda d, w, wd, draw: f"le {d.day} {w} {d.year}", historic=True),
        Format("le 1er mois yyyy", lambda d, w, wd, draw: f"le {'1er' if d.day == 1 else d.day} {w} {d.year}",
               historic=True),
        Format("dd mois yyyy", lambda d, w, wd, draw: f"du {d.day:02d} {w} {d.year}", historic=True),
        Format("d-mois-yyyy", lambda d, w, wd, draw: f"le {d.day}-{w}-{d.year}"),
        Format("Jour d Mois, yyyy", lambda d, w, wd, draw: f"{wd.capitalize()} {d.day} {w.capitalize()}, {d.year}"),
        Format("mois d yyyy", lambda d, w, wd, draw: f"le {w} {d.day} {d.year}"),
        Format("premier mois yyyy", lambda d, w, wd, draw: f"le premier {w} {d.year}" if d.day == 1 else None),
        Format("les d et d+1 mois yyyy", _ranged(lambda d, e, w, wd, draw: f"les {d.day} et {e.day} {w} {d.year}"),
               span=2),
        Format("du d au jour d+1 mois yyyy",
               _ranged(lambda d, e, w, wd, draw: f"du {d.day} au {e.day} {w} {d.year}"), span=2),
        Format("le d mois yy", lambda d, w, wd, draw: f"le {d.day} {w} {d.year % 100:02d}", two_digit=True),
        Format("le d mois", lambda d, w, wd, draw: f"le {d.day} {w}", yearless=True),
        Format("jour d mois", lambda d, w, wd, draw: f"{wd} {d.day} {w}", yearless=True),
        Format("premier mois", lambda d, w, wd, draw: f"le premier {w}" if d.day == 1 else None, yearless=True),
        Format("les d et d+1 mois", _ranged(lambda d, e, w, wd, draw: f"les {d.day} et {e.day} {w}"),
               yearless=True, span=2),
        Format("le d/m", lambda d, w, wd, draw: f"le {d.day}/{d.month}", yearless=True),
        Format("(dd/mm)", lambda d, w, wd, draw: f"({d.day:02d}/{d.month:02d})", yearless=True),
    ],
    "de": [
        Format("am d. Monat yyyy", lambda d, w, wd, draw: f"am {d.day}. {w} {d.year}", historic=True),
        Format("vom dd. Monat yyyy", lambda d, w, wd, draw: f"vom {d.day:02d}. {w} {d.year}", historic=True),
        Format("d Monat yyyy", lambda d, w, wd, draw: f"am {d.day} {w} {d.year}"),
        Format("d-Monat-yyyy", lambda d, w, wd, draw: f"am {d.day}-{w}-{d.year}"),
        Format("am Tag, d. Monat yyyy", lambda d, w, wd, draw: f"am {wd}, {d.day}. {w} {d.year}"),
        Format("Monat d yyyy", lambda d, w, wd, draw: f"im Bericht {w} {d.day} {d.year}"),
        Format("am ersten Monat yyyy", lambda d, w, wd, draw: f"am ersten {w} {d.year}" if d.day == 1 else None),
        Format("vom d. bis d+1. Monat yyyy",
               _ranged(lambda d, e, w, wd, draw: f"vom {d.day}. bis {e.day}. {w} {d.year}"), span=2),
        Format("d./d+1.m.yyyy", _ranged(lambda d, e, w, wd, draw: f"am {d.day}./{e.day}.{d.month}.{d.year}"),
               span=2),
        Format("dd.mm.yy", lambda d, w, wd, draw: f"am {d.day:02d}.{d.month:02d}.{d.year % 100:02d}",
               two_digit=True),
        Format("am d. Monat", lambda d, w, wd, draw: f"am {d.day}. {w}", yearless=True),
        Format("am d.m.", lambda d, w, wd, draw: f"am {d.day}.{d.month}.", yearless=True),
        Format("Monat d - Monat d+1", _ranged(lambda d, e, w, wd, draw: f"von {w} {d.day} - {w} {e.day}"),
               yearless=True, span=2),
        Format("d./d+1.m.", _ranged(lambda d, e, w, wd, draw: f"am {d.day}./{e.day}.{d.month}."),
               yearless=True, span=2),
    ],
    "en": [
        Format("on Month d, yyyy", lambda d, w, wd, draw: f"on {w} {d.day}, {d.year}", historic=True),
        Format("Month dth, yyyy", lambda d, w, wd, draw: f"by {w} {en_ordinal(d.day)}, {d.year}"),
        Format("d Month yyyy", lambda d, w, wd, draw: f"on {d.day} {w} {d.year}", historic=True),
        Format("the dth of Month yyyy", lambda d, w, wd, draw: f"on the {en_ordinal(d.day)} of {w} {d.year}"),
        Format("month d, yyyy (lower case)", lambda d, w, wd, draw: f"on {w.lower()} {d.day}, {d.year}"),
        Format("dd-Mon-yyyy", lambda d, w, wd, draw: f"on {d.day:02d}-{w}-{d.year}"),
        Format("Weekday, Month d, yyyy", lambda d, w, wd, draw: f"on {wd}, {w} {d.day}, {d.year}"),
        Format("Month d-d+1, yyyy", _ranged(lambda d, e, w, wd, draw: f"on {w} {d.day}-{e.day}, {d.year}"), span=2),
        Format("the first of Month, yyyy",
               lambda d, w, wd, draw: f"on the first of {w}, {d.year}" if d.day == 1 else None),
        Format("mm/dd/yyyy (day over 12)",
               lambda d, w, wd, draw: f"dated {d.month:02d}/{d.day:02d}/{d.year}" if d.day > 12 else None),
        Format("on Month d", lambda d, w, wd, draw: f"on {w} {d.day}", yearless=True),
        Format("on month d (lower case)", lambda d, w, wd, draw: f"on {w.lower()} {d.day}", yearless=True),
        Format("Month dth", lambda d, w, wd, draw: f"by {w} {en_ordinal(d.day)}", yearless=True),
        Format("the dth of Month", lambda d, w, wd, draw: f"on the {en_ordinal(d.day)} of {w}", yearless=True),
        Format("Weekday, Month d", lambda d, w, wd, draw: f"on {wd}, {w} {d.day}", yearless=True),
        Format("dated d/m", lambda d, w, wd, draw: f"dated {d.day}/{d.month}", yearless=True),
    ],
    "vi": [
        Format("ngày d tháng m năm yyyy", lambda d, w, wd, draw: f"ngày {d.day} tháng {d.month} năm {d.year}"),
        Format("ngày dd tháng mm năm yyyy", lambda d, w, wd, draw: f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"),
        Format("ngày d tháng Chữ năm yyyy", lambda d, w, wd, draw: f"ngày {d.day} tháng {w} năm {d.year}"),
        Format("d tháng m năm yyyy", lambda d, w, wd, draw: f"vào {d.day} tháng {d.month} năm {d.year}"),
        Format("d Tháng m yyyy lúc", lambda d, w, wd, draw: f"cập nhật {d.day} Tháng {d.month} {d.year} lúc 15:08"),
        Format("ngày d/m/yyyy", lambda d, w, wd, draw: f"ngày {d.day}/{d.month}/{d.year}"),
        Format("ngày dd-mm-yyyy", lambda d, w, wd, draw: f"ngày {d.day:02d}-{d.month:02d}-{d.year}"),
        Format("Thứ, ngày d/m/yyyy", lambda d, w, wd, draw: f"{wd}, ngày {d.day}/{d.month}/{d.year}"),
        Format("từ ngày d đến ngày d+1 tháng m năm yyyy",
               _ranged(lambda d, e, w, wd, draw: f"từ ngày {d.day} đến ngày {e.day} tháng {d.month} năm {d.year}"),
               span=2),
        Format("ngày d/m", lambda d, w, wd, draw: f"ngày {d.day}/{d.month}", yearless=True),
        Format("Sáng d/m", lambda d, w, wd, draw: f"sáng {d.day}/{d.month}", yearless=True),
        Format("ngày d-m", lambda d, w, wd, draw: f"ngày {d.day}-{d.month}", yearless=True),
        Format("mùng d tháng m", lambda d, w, wd, draw: f"mùng {d.day} tháng {d.month}", yearless=True),
        Format("(d/m)", lambda d, w, wd, draw: f"hôm nay ({d.day}/{d.month})", yearless=True),
        Format("các ngày d/m và d+1/m",
               _ranged(lambda d, e, w, wd, draw: f"các ngày {d.day}/{d.month} và {e.day}/{e.month}"),
               yearless=True, span=2),
        Format("từ ngày d-m đến d+1-m", lambda d, w, wd, draw: (
            lambda e: f"từ ngày {d.day}-{d.month} đến {e.day}-{e.month}")(_next(d)), yearless=True, span=2),
    ],
}
NUMERIC = [
    Format("dd/mm/yyyy", lambda d, w, wd, draw: f"{d.day:02d}/{d.month:02d}/{d.year}"),
    Format("d/m/yyyy", lambda d, w, wd, draw: f"{d.day}/{d.month}/{d.year}"),
    Format("dd-mm-yyyy", lambda d, w, wd, draw: f"{d.day:02d}-{d.month:02d}-{d.year}"),
    Format("d.m.yyyy", lambda d, w, wd, draw: f"{d.day}.{d.month}.{d.year}"),
    Format("yyyy-mm-dd", lambda d, w, wd, draw: d.isoformat()),
    Format("yyyy/m/d", lambda d, w, wd, draw: f"{d.year}/{d.month}/{d.day}"),
    Format("yyyy.mm.dd", lambda d, w, wd, draw: f"{d.year}.{d.month:02d}.{d.day:02d}"),
    Format("dd/mm/yy", lambda d, w, wd, draw: f"{d.day:02d}/{d.month:02d}/{d.year % 100:02d}", two_digit=True),
]
# The text around a date: the date is followed by a comma, which every format accepts.
FRAMES = {
    "fr": "Selon le communiqué, la conférence s'est tenue {}, au siège du Comité provincial.",
    "de": "Laut der Mitteilung tagte die Konferenz {}, im Sitz des Provinzparteikomitees.",
    "en": "According to the statement, the conference was held {}, at the provincial Party headquarters.",
    "vi": "Theo thông báo, hội nghị diễn ra {}, tại trụ sở Tỉnh ủy.",
}
# A dated event in the same paragraph, for a day written without its year (no publication date).
EVIDENCE = {
    "fr": " Le bilan a été signé le 28/12/{}.",
    "de": " Die Bilanz wurde am 28/12/{} unterzeichnet.",
    "en": " The review was signed on 28/12/{}.",
    "vi": " Báo cáo được ký ngày 28/12/{}.",
}


def month_word(lang, month, draw):
    """A month word as written: any listed form, a dotted abbreviation with or without its dot, in any case."""
    word = draw(st.sampled_from(MONTHS[lang][month]), label="month word")
    if word.endswith("."):
        word = draw(st.sampled_from([word, word[:-1]]), label="dot")
    if lang in ("fr", "de"):
        word = draw(st.sampled_from([word, word.lower(), word.capitalize()]), label="case")
    return word


def render(lang, fmt, date, draw):
    """(the sentence, the days it names) or None when the format does not apply to this date."""
    word = month_word(lang, date.month, draw)
    weekday = WEEKDAYS[lang][date.isoweekday()][0]
    expr = fmt.render(date, word, weekday, draw)
    if expr is None:
        return None
    return FRAMES[lang].format(expr), [_next(date, i).isoformat() for i in range(fmt.span)]


def values(text, lang, published=None):
    article = make_article(text, lang, published)
    article.facts["periods"] = []
    return sorted((h.key, h.fields["year_inferred"]) for h in EXTRACTOR.find(article)), article


def _language_and_format(data, yearless):
    lang = data.draw(st.sampled_from(language_codes()), label="language")
    formats = [f for f in FORMATS[lang] + (NUMERIC if not yearless else []) if f.yearless == yearless]
    return lang, data.draw(st.sampled_from(formats), label="format")


@SETTINGS
@given(date=MODERN, data=st.data())
def test_every_format_with_its_year_reads_back(date, data):
    lang, fmt = _language_and_format(data, yearless=False)
    published = data.draw(st.one_of(st.none(), MODERN.map(dt.date.isoformat)), label="published")
    if fmt.two_digit:
        # A two-digit year is read at most ten years after the publication year (or with the pivot 50).
        reference = dt.date.fromisoformat(published).year if published else 2000
        assume(reference - 89 <= date.year <= reference + 10 if published else 1950 <= date.year <= 2049)
    rendered = render(lang, fmt, date, data.draw)
    assume(rendered is not None)
    text, days = rendered
    got, article = values(text, lang, published)
    assert got == sorted((d, False) for d in days), (text, article.warnings)


@SETTINGS
@given(date=st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(1899, 12, 31)), data=st.data())
def test_historic_years_before_a_comma_read_back(date, data):
    lang = data.draw(st.sampled_from(["fr", "de", "en"]), label="language")
    fmt = data.draw(st.sampled_from([f for f in FORMATS[lang] if f.historic]), label="format")
    text, days = render(lang, fmt, date, data.draw)
    got, article = values(text, lang)
    assert got == [(days[0], False)], (text, article.warnings)


@SETTINGS
@given(date=MODERN, shift=st.integers(-90, 90), data=st.data())  # a news day near its publication
def test_every_format_without_its_year_takes_the_publication_year(date, shift, data):
    lang, fmt = _language_and_format(data, yearless=True)
    rendered = render(lang, fmt, date, data.draw)
    assume(rendered is not None)
    text, days = rendered
    got, article = values(text, lang, published=_next(date, shift).isoformat())
    assert got == sorted((d, True) for d in days), (text, article.warnings)


@SETTINGS
@given(date=MODERN, data=st.data())
def test_every_format_without_its_year_takes_the_year_of_an_event_in_its_paragraph(date, data):
    lang, fmt = _language_and_format(data, yearless=True)
    assume(date.month != 12 or date.day < 27)  # (the evidence is the 28th of December)
    rendered = render(lang, fmt, date, data.draw)
    assume(rendered is not None)
    text, days = rendered
    got, article = values(text + EVIDENCE[lang].format(date.year), lang)
    assert got == sorted([(d, True) for d in days] + [(f"{date.year}-12-28", False)]), (text, article.warnings)


@SETTINGS
@given(date=MODERN, data=st.data())
def test_a_day_without_any_year_is_dropped_never_misread(date, data):
    lang, fmt = _language_and_format(data, yearless=True)
    rendered = render(lang, fmt, date, data.draw)
    assume(rendered is not None)
    text, _ = rendered
    got, article = values(text, lang)
    assert got == [] and any("no year" in w for w in article.warnings), (text, got)


TOKENS = st.sampled_from([
    "le", "du", "au", "et", "ngày", "tháng", "năm", "Sáng", "vom", "am", "bis", "und", "dated", "on", "of",
    "mai", "juin", "Juli", "März", "May", "may", "Dec", "juil", "Mười Một", "Giêng", "1er", "21st", "15.", "31", "29",
    "02", "2025", "1997", "1391", "19", "16", "/", "-", "–", ".", ",", "(", ")", "3/6", "12.4", "23/05/2025",
    "2025-30", "57-NQ/TW", "\n", "  ", "ᵉʳ", "%", "premier", "ersten", "first", "mardi", "Tuesday", "Thứ Hai",
    "đến", "tới", "từ", "và", "cette année", "last year", "năm nay", "Congrès", "Đại hội", "2020-2025", "15:08",
])
NOISE = st.lists(st.one_of(TOKENS, st.text(max_size=6)), max_size=40).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=NOISE, lang=st.sampled_from(language_codes() + ("und",)),
       published=st.one_of(st.none(), MODERN.map(dt.date.isoformat)))
def test_random_text_never_raises_and_offsets_stay_inside(text, lang, published):
    article = make_article(text, lang, published)
    article.facts["periods"] = [{"value": f"{h.fields['start']}-{h.fields['end']}", **h.fields,
                                 "mentions": [{"start": h.start, "end": h.end}]} for h in PERIODS.find(article)]
    for hit in PERIODS.find(article):
        assert 0 <= hit.start < hit.end <= len(text)
    for hit in EXTRACTOR.find(article):
        assert 0 <= hit.start < hit.end <= len(text)
        assert text[hit.start:hit.end].strip() == text[hit.start:hit.end]
        dt.date.fromisoformat(hit.key)
