"""Which field of a row is the article, its id, URL, date and title.

A row is a mapping (a JSON object, a CSV line under its header, a Parquet
row, the headers of a WARC record). `Fields` holds the names to look for:
the ones given with --text-field, --id-field, ... or, by default, the names
datasets commonly use. A name is matched exactly first, then ignoring case
(`Text`, `URL`); a dotted name (`meta.date`) reaches into nested JSON objects.

The publication date is normalised here, once, in the main process:
`2025-09-04`, `2025-09-04T10:00:00+07:00` and `Thu, 04 Sep 2025 10:00:00 GMT`
give published 2025-09-04 (the date as written, in its own time zone). A
month (`2023-11`) or a year alone names no day: `published` stays null and
the value is kept, as given, in `source.date_given` (so is any other value).
"""
from __future__ import annotations

import datetime as dt
import email.utils
import re
from dataclasses import dataclass
from typing import Any, Mapping

# Defaults: the usual names in news datasets (news-please, Common Crawl
# extracts, GDELT-style tables, Hugging Face datasets), most specific first.
DEFAULT_TEXT = ("text", "content", "body", "article", "maintext", "full_text")
DEFAULT_HTML = ("html", "raw_html", "content_html")
DEFAULT_ID = ("doc_id", "id", "article_id", "uuid")
DEFAULT_URL = ("url", "link", "source_url", "uri")
DEFAULT_PUBLISHED = ("published", "date", "published_at", "date_published", "datePublished", "publish_date", "pubdate")
DEFAULT_TITLE = ("title", "headline")

_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?")
_PARTIAL = re.compile(r"\d{4}(?:-\d{2})?")  # a year, or a year and month: no day to give


@dataclass(frozen=True)
class Fields:
    """The field names to look for, in order, for each part of an article."""

    text: tuple[str, ...] = DEFAULT_TEXT
    html: tuple[str, ...] = DEFAULT_HTML
    id: tuple[str, ...] = DEFAULT_ID
    url: tuple[str, ...] = DEFAULT_URL
    published: tuple[str, ...] = DEFAULT_PUBLISHED
    title: tuple[str, ...] = DEFAULT_TITLE
    given: frozenset = frozenset()  # the parts named on the command line ("id", "url", ...)

    @classmethod
    def from_options(cls, text=None, html=None, id=None, url=None, published=None, title=None) -> "Fields":
        """Named fields replace the defaults. Naming either content field (text or
        HTML) turns the defaults of both off: `--html-field page` reads only `page`."""
        content_named = text is not None or html is not None
        return cls(text=_named(text, () if content_named else DEFAULT_TEXT),
                   html=_named(html, () if content_named else DEFAULT_HTML),
                   id=_named(id, DEFAULT_ID), url=_named(url, DEFAULT_URL),
                   published=_named(published, DEFAULT_PUBLISHED), title=_named(title, DEFAULT_TITLE),
                   given=frozenset(part for part, value in (("text", text), ("html", html), ("id", id), ("url", url),
                                                            ("published", published), ("title", title))
                                   if value is not None))

    def for_headers(self, url: tuple[str, ...]) -> "Fields":
        """For rows that are a container's headers (WARC): the default names mean nothing
        there, so only the fields named on the command line are looked up, and `url` by default."""
        def kept(part: str, default: tuple[str, ...] = ()) -> tuple[str, ...]:
            return getattr(self, part) if part in self.given else default

        return Fields(text=(), html=(), id=kept("id"), url=kept("url", url), published=kept("published"),
                      title=kept("title"), given=self.given)

    def content_names(self) -> str:
        return ", ".join(self.text + self.html)

    def columns(self, available: list[str]) -> list[str]:
        """Of a table's columns, the ones some field name matches (what to read from a Parquet file)."""
        wanted = {w.lower() for w in self.text + self.html + self.id + self.url + self.published + self.title}
        return [c for c in available if c.lower() in wanted]


def _named(value: str | None, default: tuple[str, ...]) -> tuple[str, ...]:
    return default if value is None else (value,)


def lookup(values: Mapping, names: tuple[str, ...]) -> tuple[str | None, Any]:
    """(the name found, its value) for the first of `names` the row has with a value; (None, None) if none."""
    lowered = None
    for name in names:
        if values.get(name) is not None:
            return name, values[name]
        if lowered is None:
            lowered = {str(k).lower(): k for k, v in reversed(values.items()) if v is not None}  # first wins
        key = lowered.get(name.lower())
        if key is not None:
            return str(key), values[key]
        if "." in name:
            value = _nested(values, name.split("."))
            if value is not None:
                return name, value
    return None, None


def _nested(values: Any, parts: list[str]) -> Any:
    for part in parts:
        if not isinstance(values, Mapping) or part not in values:
            return None
        values = values[part]
    return values


def publication_date(value: Any) -> tuple[str | None, str | None, str | None]:
    """A published field's value -> (published YYYY-MM-DD or None, the value as given, a warning or None)."""
    if value is None or value == "":
        return None, None, None
    if isinstance(value, dt.datetime):  # Parquet timestamps, aware or naive: the date as recorded
        return value.date().isoformat(), value.isoformat(), None
    if isinstance(value, dt.date):
        return value.isoformat(), value.isoformat(), None
    if not isinstance(value, str):
        return None, str(value), f"published field {value!r} is not a date (give YYYY-MM-DD); ignored"
    given = value.strip()
    m = _DATE.fullmatch(given)
    if m:
        return _day(*m.groups()), given, _day_warning(given, _day(*m.groups()))
    if _PARTIAL.fullmatch(given):
        return None, given, None  # month or year precision: kept in source.date_given, no day invented
    try:  # RFC 2822, the form of RSS feeds and HTTP headers
        parsed = email.utils.parsedate_to_datetime(given)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is not None:
        return parsed.date().isoformat(), given, None
    return None, given, f"published field {given!r} is not a date (give YYYY-MM-DD); ignored"


def _day(year: str, month: str, day: str) -> str | None:
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def _day_warning(given: str, day: str | None) -> str | None:
    return None if day else f"published field {given!r} is not a real day; ignored"


def identifier(value: Any) -> str | None:
    """An id field's value as a doc_id: strings and whole numbers; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():  # pandas writes integer ids as 12.0 next to a gap
        return str(int(value))
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None
