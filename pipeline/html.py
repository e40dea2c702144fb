"""HTML input: a web page -> the article's main text and its metadata.

trafilatura (the optional `newsfacts[html]` extra) finds the main text and
drops the site chrome -- menus, comment forms, "Même catégorie" link lists,
footers -- and reads the title, date, author and URL from the page's meta tags,
JSON-LD and markup. The article the rest of the pipeline sees is that main
text, laid out like the plain-text corpus files:

    <title>            (unless the main text already starts with it)
    <main text, one paragraph per line>
    <author>           (appended only when the name is not in the text)

Every offset in the record indexes into this text, which the record keeps in
its "text" field. The title, date and URL come from the page's metadata;
the author gets a mention where the name appears in the text, or on the
appended line. Nothing here touches the network.
"""
from __future__ import annotations

import functools
import logging
import unicodedata
from dataclasses import dataclass, field

import regex

from .article import Article
from . import patterns
from .read import ReadError
from .registry import extracted_fields
from .text import fold, fold_name

INSTALL_HINT = "HTML input needs the trafilatura package: pip install 'newsfacts[html]'"
AUTHOR_RULE = "authors.any.html_meta"
SHORT_PAGE = 200  # characters of main text below which a page is probably not an article

# Dates from markup only (meta tags, <time>, JSON-LD): htmldate's extensive
# search guesses from the body text and URL, which is where wrong dates come
# from. A fixed upper bound keeps the result independent of today's date.
_DATE_PARAMS = {"original_date": True, "extensive_search": False, "max_date": "2100-12-31"}
_ISO_DATE = regex.compile(r"\d{4}-\d{2}-\d{2}")
_SPACES = regex.compile(r"\s+")
_LETTER = regex.compile(r"\p{L}")

# Class-name parts that mark an article's lead paragraph in news markup (see _lead_paragraph).
_LEAD_CLASSES = {"sapo", "chapeau", "standfirst", "lead", "lede", "summary", "excerpt", "intro", "desc"}
_CLASS_PART = regex.compile(r"[\s_-]+")

# The parser's time grows with the square of the attributes one tag has (libxml2
# compares each new one with all the others): 100,000 took 20-90 s. Real tags
# have a few dozen; a page with a tag over this many is refused before parsing.
MAX_ATTRIBUTES = 1000
# One start tag as the HTML parser reads it: a name, then attributes (a name, maybe
# = and a value, quoted or not; ">" inside quotes does not end the tag). Possessive
# throughout, so finding every tag of a page takes linear time whatever it holds.
_START_TAG = regex.compile(r"""<[A-Za-z][^\s/>]*+(?:[\s/]++([^\s/>=]++)(?:\s*+=\s*+(?:"[^"]*+"?|'[^']*+'?|[^\s>]*+))?+)*+""")

_trafilatura = None


def available() -> bool:
    return _load() is not None


def _load():
    """Import trafilatura on first use (it takes a moment and is optional)."""
    global _trafilatura
    if _trafilatura is None:
        try:
            import trafilatura
        except ImportError:
            return None
        # Without a handler of their own, trafilatura's "discarding data" warnings
        # would print on stderr for every odd page; the error record says it instead.
        for name in ("trafilatura", "htmldate", "courlan"):
            logging.getLogger(name).addHandler(logging.NullHandler())
        _trafilatura = trafilatura
    return _trafilatura


@dataclass
class Page:
    """What the page gave, and where the lines we added begin."""

    text: str
    title: str | None = None
    published: str | None = None
    url: str | None = None
    sitename: str | None = None
    authors: list[dict] = field(default_factory=list)  # record-shaped: {"name", "mentions"}
    added_from: int | None = None  # offset of the appended byline block, if any
    warnings: list[str] = field(default_factory=list)

    def finish(self, record: dict) -> dict:
        """Drop facts found on the appended byline (a name is not a province) and repeated author mentions."""
        if "error" in record:
            return record
        for fld in extracted_fields():   # (authors are found while cleaning, before the block was appended)
            if self.added_from is not None and record.get(fld):
                for fact in record[fld]:
                    fact["mentions"] = [m for m in fact["mentions"] if m["start"] < self.added_from]
                record[fld] = [fact for fact in record[fld] if fact["mentions"]]
        for author in record.get("authors", []):
            seen, kept = set(), []
            for mention in author["mentions"]:
                if (mention["start"], mention["end"]) not in seen:
                    seen.add((mention["start"], mention["end"]))
                    kept.append(mention)
            author["mentions"] = kept
        return record


def extract_page(markup: str) -> Page:
    """The main text and metadata of one page; ReadError if there is none or trafilatura is missing."""
    trafilatura = _load()
    if trafilatura is None:
        raise ReadError("dependency", INSTALL_HINT)
    _check_attributes(markup)
    try:
        tree = trafilatura.utils.load_html(markup)
        doc = lead = None
        if tree is not None:
            _check_depth(tree)
            lead = _lead_paragraph(tree)
            doc = trafilatura.bare_extraction(tree, with_metadata=True, include_comments=False,
                                              include_tables=True, include_images=False, include_links=False,
                                              date_extraction_params=dict(_DATE_PARAMS))
    except RecursionError:
        raise ReadError("html", "the HTML nests too deeply to parse") from None
    except ReadError:
        raise
    except Exception as exc:  # a parser failure on one odd page must not stop the batch
        raise ReadError("html", f"trafilatura could not read the page: {type(exc).__name__}: {exc}") from None
    meta = _fields(doc)
    body = _paragraphs(meta.get("text") or "")
    if not body:
        raise ReadError("empty", "no article text found in the HTML page")
    title = _one_line(meta.get("title"))
    if lead and _squash(lead) not in _squash(body):
        body = lead + "\n" + body
    text = body
    if title and _squash(body.split("\n", 1)[0]) != title:
        text = title + "\n" + body
    date = meta.get("date")
    page = Page(text=unicodedata.normalize("NFC", text), title=title, url=_one_line(meta.get("url")),
                sitename=_one_line(meta.get("sitename")),
                published=date if date and _ISO_DATE.fullmatch(date, timeout=patterns.REGEX_TIMEOUT) else None)
    if len(body) < SHORT_PAGE:
        page.warnings.append(f"the page gave only {len(body)} characters of main text: check that it is an article")
    _place_authors(page, _author_names(meta.get("author")))
    return page


def _check_attributes(markup: str) -> None:
    """ReadError('html') for a page with a tag of more than MAX_ATTRIBUTES attributes."""
    if len(markup) < 2 * MAX_ATTRIBUTES:  # each attribute takes a name and a separator
        return
    for m in _START_TAG.finditer(markup, timeout=patterns.REGEX_TIMEOUT):
        if m.end() - m.start() > 2 * MAX_ATTRIBUTES and len(m.starts(1)) > MAX_ATTRIBUTES:
            name = regex.match(r"<([^\s/>]{1,20})", m.group()).group(1)
            raise ReadError("html", f"a <{name}> tag at character {m.start()} has {len(m.starts(1)):,} attributes "
                                    f"(more than {MAX_ATTRIBUTES:,}): not a page the HTML parser can read in "
                                    "reasonable time")


def _check_depth(tree) -> None:
    """ReadError('html') when the page nests as deep as the parser goes: it stopped reading there."""
    deepest = _deepest_path()
    if deepest is not None and deepest(tree.getroottree()):
        raise ReadError("html", f"the HTML nests {_parser_depth()} elements deep, where the parser stops reading: "
                                "the rest of the page is lost")


@functools.lru_cache(maxsize=1)
def _parser_depth() -> int | None:
    """How deep the HTML parser nests elements before it gives up (libxml2: 256), found by trying."""
    tree = _load().utils.load_html("<html><body>" + "<div>" * 5000 + "x" + "</div>" * 5000 + "</body></html>")
    if tree is None:
        return None
    depth = max(sum(1 for _ in element.iterancestors()) + 1 for element in tree.iter())
    return depth if depth < 5000 else None  # no limit in this parser


@functools.lru_cache(maxsize=1)
def _deepest_path():
    """A compiled XPath that is true when some element sits at the parser's depth limit (linear time)."""
    depth = _parser_depth()
    if depth is None:
        return None
    from lxml import etree

    return etree.XPath("boolean(" + "/*" * depth + ")")


def _fields(doc) -> dict:
    """trafilatura 2 returns a Document, 1.x a dict; None when it found nothing."""
    if doc is None:
        return {}
    if isinstance(doc, dict):
        return doc
    return {name: getattr(doc, name, None) for name in ("text", "title", "url", "sitename", "date", "author")}


def _lead_paragraph(tree) -> str | None:
    """The article's lead ("sapo"), which trafilatura drops when it sits beside the body container.

    Vietnamese papers put it in <div class="article__sapo">, <h2 class="sapo">... Only the
    stretch between the headline (<h1>) and the first body paragraph is searched, so a
    teaser of another article in a sidebar is never taken.
    """
    after_headline = False
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # comments, processing instructions
        if element.tag == "h1":
            after_headline = True
            continue
        if not after_headline:
            continue
        classes = element.get("class")
        if classes and set(_CLASS_PART.split(classes.lower(), timeout=patterns.REGEX_TIMEOUT)) & _LEAD_CLASSES:
            text = _one_line(element.text_content())
            if text and 40 <= len(text) <= 2000:
                return text
        elif element.tag == "p" and len((element.text_content() or "").strip()) >= 40:
            return None  # the body has begun
    return None


def apply(article: Article) -> Page:
    """Turn an Article whose text is HTML source into the page's article (used by the pipeline)."""
    page = extract_page(article.text)
    article.text = page.text
    article.title = article.title or page.title  # a title the input gave (a record file's field) wins
    article.published = article.published or page.published
    article.authors = page.authors
    for key, value in (("url", page.url), ("publisher", page.sitename)):
        if value and not article.source.get(key):
            article.source[key] = value
    article.source["format"] = "html"
    for warning in page.warnings:
        article.warn(warning)
    return page


def _paragraphs(text: str) -> str:
    # One paragraph per line, inner white space kept as written, no empty lines.
    lines = (line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def _one_line(value) -> str | None:
    if not value:
        return None
    return unicodedata.normalize("NFC", _squash(str(value))) or None


def _squash(text: str) -> str:
    """White space runs -> one space, trimmed."""
    return _SPACES.sub(" ", text, timeout=patterns.REGEX_TIMEOUT).strip()


def _author_names(raw) -> list[str]:
    """trafilatura joins several authors with '; '. Keep what looks like a person's name."""
    names = []
    for part in (raw or "").split(";"):
        name = _one_line(part)
        if not name or len(name) > 80 or "://" in name or "@" in name or not _LETTER.search(name, timeout=patterns.REGEX_TIMEOUT):
            continue
        if name not in names:
            names.append(name)
    return names


def _place_authors(page: Page, names: list[str]) -> None:
    """Give each author a mention: the last place the name appears, else an appended line."""
    folded = fold(page.text)
    missing = []
    for name in names:
        words = fold(name).split()
        pattern = r"(?<!\w)" + r"\s+".join(regex.escape(w) for w in words) + r"(?!\w)"
        found = list(regex.finditer(pattern, folded, flags=regex.IGNORECASE, timeout=patterns.REGEX_TIMEOUT))
        if found:
            _add_author(page, name, found[-1].start(), found[-1].end())
        else:
            missing.append(name)
    if missing:
        page.added_from = len(page.text)
        page.text += "\n"
        for name in missing:
            page.text += "\n"
            start = len(page.text)
            page.text += name
            _add_author(page, name, start, len(page.text))


def _add_author(page: Page, name: str, start: int, end: int) -> None:
    # Bylines are often in capitals (THU HUYỀN); the canonical name is in title case.
    canonical = fold_name(name.title() if name.isupper() else name)
    mention = {"start": start, "end": end, "text": page.text[start:end], "rule": AUTHOR_RULE}
    for author in page.authors:
        if author["name"] == canonical:
            author["mentions"].append(mention)
            return
    page.authors.append({"name": canonical, "mentions": [mention]})
