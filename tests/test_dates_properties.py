"""Property tests for the date parser: every rendered date reads back, odd text never breaks it."""
import datetime as dt

from hypothesis import HealthCheck, given, settings, strategies as st

from pipeline.extract.dates import DatesExtractor
from pipeline.extract.periods import PeriodsExtractor
from pipeline.patterns import LANGUAGES, lang_file
from tests.helpers import make_article

EXTRACTOR = DatesExtractor()
PERIODS = PeriodsExtractor()
MONTH_WORDS = {lang: {int(k): v for k, v in lang_file(lang, "dates.json")["months"].items()} for lang in LANGUAGES}
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31))


def english_ordinal(day):
    if 11 <= day % 100 <= 13:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th')}"


# Each renderer: (date, month word) -> the date as a journalist of that language writes it.
FORMATS = {
    "fr": [
        lambda d, w: f"le {d.day} {w} {d.year}",
        lambda d, w: f"le {'1er' if d.day == 1 else d.day} {w} {d.year}",
        lambda d, w: f"datée du {d.day:02d} {w} {d.year}",
    ],
    "de": [
        lambda d, w: f"am {d.day}. {w} {d.year}",
        lambda d, w: f"vom {d.day:02d}. {w} {d.year}",
    ],
    "en": [
        lambda d, w: f"on {w} {d.day}, {d.year}",
        lambda d, w: f"dated {w} {d.day:02d}, {d.year}",
        lambda d, w: f"on {d.day} {w} {d.year}",
        lambda d, w: f"by {w} {english_ordinal(d.day)}, {d.year}",
    ],
    "vi": [
        lambda d, w: f"ngày {d.day} tháng {d.month} năm {d.year}",
        lambda d, w: f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}",
        lambda d, w: f"ngày {d.day} tháng {w} năm {d.year}",
        lambda d, w: f"ngày {d.day}/{d.month}/{d.year}",
        lambda d, w: f"ngày {d.day:02d}-{d.month:02d}-{d.year}",
    ],
}
NUMERIC = [
    lambda d: f"{d.day:02d}/{d.month:02d}/{d.year}",
    lambda d: f"{d.day}/{d.month}/{d.year}",
    lambda d: f"{d.day:02d}-{d.month:02d}-{d.year}",
    lambda d: f"{d.day}.{d.month}.{d.year}",
    lambda d: d.isoformat(),
]
FRAMES = {
    "fr": "La conférence s'est tenue {} au siège du Comité provincial.",
    "de": "Die Konferenz fand {} im Sitz des Provinzparteikomitees statt.",
    "en": "The conference was held {} at the provincial Party headquarters.",
    "vi": "Hội nghị diễn ra {} tại trụ sở Tỉnh ủy.",
}


def values(text, lang, published=None):
    article = make_article(text, lang, published)
    return [(h.key, h.fields["year_inferred"]) for h in EXTRACTOR.find(article)], article


@SETTINGS
@given(date=DATES, data=st.data())
def test_every_language_format_reads_back(date, data):
    for lang in LANGUAGES:
        word = data.draw(st.sampled_from(MONTH_WORDS[lang][date.month]), label=f"{lang} month word")
        render = data.draw(st.sampled_from(FORMATS[lang]), label=f"{lang} format")
        text = FRAMES[lang].format(render(date, word))
        got, article = values(text, lang)
        assert got == [(date.isoformat(), False)], (text, article.warnings)


@SETTINGS
@given(date=DATES, data=st.data())
def test_numeric_formats_read_back_in_any_language(date, data):
    render = data.draw(st.sampled_from(NUMERIC), label="numeric format")
    lang = data.draw(st.sampled_from(LANGUAGES + ("es", "und")), label="language")
    got, article = values(f"Báo Nhân dân{render(date)} — texte", lang)
    assert got == [(date.isoformat(), False)], article.warnings


@SETTINGS
@given(date=DATES, data=st.data())
def test_a_day_without_year_takes_the_publication_year(date, data):
    lang = data.draw(st.sampled_from(LANGUAGES), label="language")
    word = data.draw(st.sampled_from(MONTH_WORDS[lang][date.month]), label="month word")
    written = {"fr": f"le {date.day} {word}", "de": f"am {date.day}. {word}",
               "en": f"on {word} {date.day}", "vi": f"ngày {date.day} tháng {date.month}"}[lang]
    got, article = values(FRAMES[lang].format(written), lang, published=date.isoformat())
    assert got == [(date.isoformat(), True)], article.warnings


TOKENS = st.sampled_from([
    "le", "du", "au", "et", "ngày", "tháng", "năm", "Sáng", "vom", "am", "bis", "und", "dated", "on", "of",
    "mai", "juin", "Juli", "März", "May", "Dec", "Mười Một", "Giêng", "1er", "21st", "15.", "31", "29", "02",
    "2025", "1997", "19", "/", "-", "–", ".", ",", "(", ")", "3/6", "12.4", "23/05/2025", "2025-30", "57-NQ/TW",
    "\n", "  ", "ᵉʳ", "%",
])
NOISE = st.lists(st.one_of(TOKENS, st.text(max_size=6)), max_size=40).map(" ".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=NOISE, lang=st.sampled_from(LANGUAGES + ("und",)),
       published=st.one_of(st.none(), DATES.map(dt.date.isoformat)))
def test_random_text_never_raises_and_offsets_stay_inside(text, lang, published):
    article = make_article(text, lang, published)
    for extractor in (EXTRACTOR, PERIODS):
        for hit in extractor.find(article):
            assert 0 <= hit.start < hit.end <= len(text)
            assert text[hit.start:hit.end].strip() == text[hit.start:hit.end]
    for hit in EXTRACTOR.find(article):
        dt.date.fromisoformat(hit.key)
