"""Stage 2, clean: split metadata and site chrome from the article body.

Nothing is deleted: excluded regions (site banners, "Comment (0)", the
"Même catégorie" link lists, "Source :" URL lines, bylines, stray "Français"
translation artefacts, any URL) are *masked* -- replaced by spaces in
`article.masked` -- so every later offset still points into the original text
and no fact can come from a URL slug or a link list.
"""
from __future__ import annotations

import regex

from .article import Article
from .patterns import alternation, load_json
from .text import fold_name, mask

# Case spelled out letter by letter: with IGNORECASE the engine tests every
# position of the article; with [hH] it skips ahead to the next h (6x faster).
_URL = regex.compile(r"(?:[hH][tT][tT][pP][sS]?://|[wW][wW][wW]\.)[^\s<>\"]+")
# A vietnam.vn-style stamp: the paper's name printed twice, glued to the date.
_DATELINE = regex.compile(r"^(?P<pub>\D{3,80}?)(?P=pub)?\s*(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})\s*$")
# A date alone on its line, maybe with a weekday and a time: "Thứ Bảy, 24/05/2025 - 10:15 (GMT+7)".
_DATE_LINE = regex.compile(r"^(?:[\p{L} ]{2,20},\s*)?(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})"
                           r"(?:\s*[-|,]?\s*\d{1,2}[:h]\d{2}(?::\d{2})?\s*(?:\(?GMT\s*[+-]\s*\d{1,2}\)?)?)?$")
# ("_" is punctuation: in the class.) Tried only where a run begins: from every position
# inside a run of 63 it would scan to the run's end again (3 s for 1.3 MB of "(((…a").
_SYMBOL_RUN = regex.compile(r"(?<![^\p{L}\p{N}\s])[^\p{L}\p{N}\s]{64,}")
# A bare byline: 2-4 capitalised words alone on a line (checked before a Source line).
_BARE_NAME = regex.compile(r"^\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*){1,3}$")


class Cleaner:
    def __init__(self):
        cfg = load_json("clean.json")
        self._source = regex.compile(
            r"^\s*(?:" + alternation(cfg["source_labels"]) + r")\s*:\s*(?P<url>\S+)\s*$", regex.IGNORECASE)
        self._byline = regex.compile(
            r"^\s*(?:" + alternation(cfg["byline_labels"]) + r")\s*:\s*(?P<name>\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*){0,4})\s*$")
        self._byline_prefix = regex.compile(
            r"^\s*(?:" + alternation(cfg["byline_prefixes"]) + r")\s+(?P<name>\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*){1,3})\s*$")
        chrome = [regex.escape(x) for x in cfg["chrome_lines"]] + cfg["chrome_line_patterns"]
        self._chrome = regex.compile(r"^\s*(?:" + "|".join(chrome) + r")\s*$", regex.IGNORECASE)
        self._tail = regex.compile(r"^\s*(?:" + alternation(cfg["tail_headings"]) + r")\s*$", regex.IGNORECASE)
        self._banner = regex.compile("|".join(cfg["site_banners"]))
        self._artefact = regex.compile(r"^(?:" + alternation(cfg["paragraph_artefacts"]) + r")(?=\s+\p{Lu})")

    def __call__(self, article: Article) -> None:
        text = article.text
        spans: list[tuple[int, int]] = []
        lines = list(_lines(text))
        body_end = len(text)
        for i, (start, end) in enumerate(lines):
            line = text[start:end]
            stripped = line.strip()
            if not stripped:
                continue
            if self._chrome.match(stripped) or self._tail.match(stripped):
                # Everything after the comment counter / "same category" list is site furniture.
                body_end = start
                break
            m = self._banner.match(line)
            if m:
                spans.append((start, start + m.end()))
                if not line[m.end():].strip():
                    continue
                line = " " * m.end() + line[m.end():]  # the article glued to the banner goes on
                stripped = line.strip()
            m = self._source.match(line)
            if m:
                spans.append((start, end))
                if article.source.get("url") is None and _URL.match(m.group("url")):
                    article.source["url"] = m.group("url")
                self._bare_byline_before(article, lines, i, spans)
                continue
            m = self._byline.match(line) or self._byline_prefix.match(line)
            if m:
                spans.append((start, end))
                self._add_author(article, m.group("name"), start + m.start("name"), start + m.end("name"))
                continue
            m = _DATELINE.match(stripped) or _DATE_LINE.match(stripped)
            if m and article.published is None:
                offset = start + (len(line) - len(line.lstrip()))
                published = _iso(m.group("y"), m.group("m"), m.group("d"))
                if published:
                    article.published = published
                    article.published_span = (offset + m.start("d"), offset + m.end("y"))
                    if not article.source.get("publisher") and "pub" in m.groupdict():
                        article.source["publisher"] = m.group("pub").strip()
                continue
            m = self._artefact.match(line)
            if m:
                spans.append((start, start + m.end()))
        if not article.authors:
            self._bare_byline_at_end(article, lines, body_end, spans)
        if body_end < len(text):
            spans.append((body_end, len(text)))
        spans.extend(m.span() for m in _URL.finditer(text, 0, body_end))
        # Long runs of symbols are never content, and the tokenizer's cost grows
        # with the square of a run's length: blank them.
        spans.extend(m.span() for m in _SYMBOL_RUN.finditer(text, 0, body_end))
        article.masked = mask(text, spans)
        article.title = article.title or self._title(article, lines, body_end)

    def _bare_byline_before(self, article, lines, i, spans) -> None:
        # vietnam.vn pages put the reporter's name alone on the line before "Source :".
        j = i - 1
        while j >= 0 and not article.text[lines[j][0]:lines[j][1]].strip():
            j -= 1
        if j < 0:
            return
        start, end = lines[j]
        line = article.text[start:end]
        if _BARE_NAME.match(line.strip()) and (start, end) not in spans:
            lead = len(line) - len(line.lstrip())
            spans.append((start, end))
            self._add_author(article, line.strip(), start + lead, start + lead + len(line.strip()))

    def _bare_byline_at_end(self, article, lines, body_end, spans) -> None:
        # Pages without a Source line often end with the reporter's name alone.
        masked = set(spans)  # a set: one lookup per line, not a scan of every span
        last = [i for i, (s, e) in enumerate(lines) if e <= body_end and article.text[s:e].strip()
                and (s, e) not in masked]
        if len(last) >= 2:
            self._bare_byline_before(article, lines, last[-1] + 1, spans)

    @staticmethod
    def _add_author(article: Article, name: str, start: int, end: int) -> None:
        canonical = fold_name(name)
        mention = {"start": start, "end": end, "text": article.text[start:end], "rule": "authors.byline"}
        for author in article.authors:
            if author["name"] == canonical:
                author["mentions"].append(mention)
                return
        article.authors.append({"name": canonical, "mentions": [mention]})

    def _title(self, article: Article, lines, body_end: int) -> str | None:
        # The first short paragraph that is not chrome is the headline on these pages.
        for start, end in lines:
            if start >= body_end:
                break
            candidate = article.masked[start:end].strip()
            if not candidate:
                continue
            # A headline has a few words; a three-word line is a photo caption ("Présider la réunion.").
            if len(candidate) <= 200 and len(candidate.split()) >= 5 and not _DATELINE.match(candidate):
                return candidate
            return None
        return None


def _lines(text: str):
    start = 0
    for part in text.splitlines(keepends=True):
        end = start + len(part.rstrip("\r\n"))
        yield start, end
        start += len(part)


def _iso(y: str, m: str, d: str) -> str | None:
    import datetime

    try:
        return datetime.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None
