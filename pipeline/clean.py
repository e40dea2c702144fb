"""Stage 2, clean: split metadata and site chrome from the article body.

Nothing is deleted: excluded regions (site banners, "Comment (0)", the
"Même catégorie" link lists, "Source :" URL lines, bylines, picture credits,
translation notices, stray "Français" translation artefacts, any URL) are
*masked* -- replaced by spaces in `article.masked` -- so every later offset
still points into the original text and no fact can come from a URL slug or
a link list.

Metadata read here, line by line (see docs/bylines.md):
* `source.url` from a "Source :" / "Quelle:" line;
* `authors` from a labelled byline ("Texte et photos : Thu Huyen", "By X"),
  a byline in front of the date stamp ("Thanh Duy February 28, 2025 17:20"),
  or a name alone on its line right after the headline or the stamp, before
  the "Source" line, or at the end of the body (pipeline/bylines.py);
* `published` from the first stamp line that is the article's own
  (pipeline/stamps.py); every stamp's day also goes to the dates extractor
  through `article.stamp_dates`, since it is a calendar day the page names.
"""
from __future__ import annotations

import regex

from .article import Article
from .bylines import Kind, NameReader, Piece
from .facts import Hit
from .patterns import language_codes, language_file, with_language_words
from .stamps import Stamp, StampReader
from .text import BLANKS, DASH, DASHES, alternation, mask

# Case spelled out letter by letter: with IGNORECASE the engine tests every
# position of the article; with [hH] it skips ahead to the next h (6x faster).
_URL = regex.compile(r"(?:[hH][tT][tT][pP][sS]?://|[wW][wW][wW]\.)[^\s<>\"]+")
# ("_" is punctuation: in the class.) Tried only where a run begins: from every position
# inside a run of 63 it would scan to the run's end again (3 s for 1.3 MB of "(((…a").
_SYMBOL_RUN = regex.compile(r"(?<![^\p{L}\p{N}\s])[^\p{L}\p{N}\s]{64,}")
# Each scan above costs ~0.1 ms over a whole article, and most of the text holds nothing for it:
# a cheap test says where a match can first start, or that there is none (_first_url_mark, _first_symbol_pair).
_URL_MARKS = ("://", "w.", "W.")                    # every _URL match holds one of them ("www.": "w.")
_SYMBOL_STRIDE = 32                                   # at most half the shortest run of _SYMBOL_RUN
_SYMBOL_PAIR = regex.compile(r"[^\p{L}\p{N}\s]{2}")   # _SYMBOL_RUN's class, twice
# The paper's name printed twice against the date: "Báo Lâm ĐồngBáo Lâm Đồng30/06/2025".
_DOUBLED = regex.compile(r"(?P<pub>.{3,80}?)(?P=pub)")
_STAMP_SEPARATORS = BLANKS + DASHES + "|•·"   # between a byline and its date: "Thanh Duy | 20/08/2025"
HEADLINE_WORDS, HEADLINE_CHARS = 5, 200    # a headline has a few words; a three-word line is a caption
MAX_PUBLISHER_WORDS = 6                    # longer text glued to a date is the headline, not the paper
MAX_CUT_TAIL_CHARS = 200                   # how far back the cut end of an excerpt is looked at
_WORD = regex.compile(r"\S+")
_NAME_WORD = regex.compile(r"\p{Lu}[\p{L}\p{M}'’-]*")

# How much a stamp line says the date is the article's (lower is surer). A page-date
# header -- a bare date, no time, before the headline ("Friday, 09/20/2024") -- is
# the day the page was shown, not the article's: it names a day but sets nothing.
_STAMP_RANK, _PLACE_RANK, _HEADER = 0, 1, None
# A place-and-date line this many content lines after a reproduced document's header or
# number line is that document's signing line (header, "Số: ...", then the place and date).
DOCUMENT_HEAD_REACH = 2
_NO_CONTENT = regex.compile(r"[^\p{L}\p{N}]*")      # "-------" under a header is no content line


class Cleaner:
    def __init__(self):
        cfg = with_language_words("clean.json")   # patterns/clean.json and every language's <lang>/clean.json

        def words(key: str) -> str:   # (a list no file gives matches nothing)
            return alternation(cfg.get(key, ())) or "(?!)"

        self._source = regex.compile(r"^\s*(?:" + words("source_labels") + r")\s*:\s*(?P<url>\S+)\s*$", regex.IGNORECASE)
        # A byline label: "Texte et photos :", "Bài:" (with a colon) or "By", "Par" (without).
        self._label = regex.compile(r"^\s*(?:(?:" + words("byline_labels") + r")\s*:|(?P<bare>"
                                    + words("byline_prefixes") + r")\s)\s*")
        self._credit = regex.compile(r"^\s*(?:" + words("credit_labels") + r")\s*:\s*", regex.IGNORECASE)
        self._notice = regex.compile(r"^\s*(?:\S+\s+){0,3}?(?:" + words("translator_labels")
                                     + r")(?!\w)\s*:?\s*", regex.IGNORECASE)
        chrome = [regex.escape(x) for x in cfg.get("chrome_lines", ())] + list(cfg.get("chrome_line_patterns", ()))
        self._chrome = regex.compile(r"^\s*(?:" + ("|".join(chrome) or "(?!)") + r")\s*$", regex.IGNORECASE)
        self._tail = regex.compile(r"^\s*(?:" + words("tail_headings") + r")\s*$", regex.IGNORECASE)
        self._banner = regex.compile("|".join(cfg["site_banners"]))
        self._artefact = regex.compile(r"^(?:" + words("paragraph_artefacts") + r")(?=\s+\p{Lu})")
        self._names = NameReader(cfg)
        self._stamps = StampReader(cfg)
        self._document_head = _document_head_regex(cfg.get("document_headers", ()))
        # A byline before an unrendered date template: "Thanh Duy - Pham Bang DNUM_AIZAFZCACF 11:44".
        time = cfg["stamps"]["fragments"]["TIME"]
        self._placeholder_stamp = regex.compile(
            r"(?:^|\s)(?:" + "|".join(cfg["date_placeholders"]) + r")(?:\s+" + time + r")?\s*$")

    def __call__(self, article: Article) -> None:
        text = article.text
        spans: list[tuple[int, int]] = []
        lines = list(_lines(text))
        body_end = len(text)
        published_given = article.published is not None   # metadata or the HTML page said it
        best_rank = None
        headline_seen = False   # a line of running text came before (so a bare date is no page header)
        previous = None         # what the last non-empty line was: "headline", "stamp" or None
        stamp_lines: dict[int, int] = {}  # line start -> end of the headline glued to its stamp (or start)
        since_document_head = None   # content lines since a reproduced document's header or number line
        for i, (start, end) in enumerate(lines):
            line = text[start:end]
            stripped = line.strip()
            if not stripped:
                continue
            if self._document_head.match(stripped):
                since_document_head = 0
            elif since_document_head is not None and not _NO_CONTENT.fullmatch(stripped):
                since_document_head += 1
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
            kind = self._metadata_line(article, line, start, end, spans)
            if kind == "source":
                self._bare_byline_before(article, lines, i, spans)
            if kind is not None:
                previous = None
                continue
            stamp = self._stamps.read(stripped)
            if stamp is not None:
                lead = start + len(line) - len(line.lstrip())
                taken = self._take_stamp(article, stripped, lead, stamp, spans, headline_seen,
                                         first=not stamp_lines)
                if taken is not None:
                    rank, headline_end = taken
                    if rank == _PLACE_RANK and since_document_head is not None \
                            and since_document_head <= DOCUMENT_HEAD_REACH:
                        # The signing line of a document the article reproduces: its date, not the page's.
                        stamp_lines[start] = start
                        previous = None
                        continue
                    stamp_lines[start] = headline_end or start
                    if rank is not _HEADER and not published_given and (best_rank is None or rank < best_rank):
                        best_rank = rank
                        article.published = stamp.value
                        article.published_span = (lead + stamp.start, lead + stamp.end)
                    previous = "stamp"
                    continue
            if not stamp_lines and not article.authors and self._placeholder_byline(article, line, start, spans):
                stamp_lines[start] = start
                previous = "stamp"
                continue
            if previous in ("headline", "stamp") and self._add_bare_byline(article, start, end, spans):
                previous = None
                continue
            m = self._artefact.match(line)
            if m:
                spans.append((start, start + m.end()))
            previous = None
            if not headline_seen and len(stripped.split()) >= HEADLINE_WORDS:
                headline_seen = True
                if len(stripped) <= HEADLINE_CHARS:
                    previous = "headline"
        if not article.authors:
            self._bare_byline_at_end(article, lines, body_end, spans)
        if body_end < len(text):
            spans.append((body_end, len(text)))
        elif lines and lines[-1] not in spans:
            spans.extend(_cut_tail(text, *lines[-1]))
        url_from = _first_url_mark(text)
        if url_from is not None:
            spans.extend(m.span() for m in _URL.finditer(text, url_from, body_end))
        # Long runs of symbols are never content, and the tokenizer's cost grows
        # with the square of a run's length: blank them.
        symbols_from = _first_symbol_pair(text)
        if symbols_from is not None:
            spans.extend(m.span() for m in _SYMBOL_RUN.finditer(text, symbols_from, body_end))
        article.masked = mask(text, spans)
        article.title = article.title or self._title(article, lines, body_end, stamp_lines)

    # -- lines that are metadata only ------------------------------------------

    def _metadata_line(self, article: Article, line: str, start: int, end: int, spans) -> str | None:
        """Mask a Source line, a labelled byline, a picture credit or a translation notice; say which it was."""
        m = self._source.match(line)
        if m:
            spans.append((start, end))
            if article.source.get("url") is None and _URL.match(m.group("url")):
                article.source["url"] = m.group("url")
            return "source"
        m = self._label.match(line)
        if m:
            pieces = self._names.read(article.text, start + m.end(), start + len(line.rstrip()))
            # "By", "Par" without a colon also open sentences: there, only a full name will do.
            min_words = 2 if m.group("bare") else 1
            names = [p for p in pieces if p.kind in (Kind.NAME, Kind.SHAPELESS) and p.words >= min_words]
            if names and not any(p.kind is Kind.TEXT for p in pieces):
                spans.append((start, end))
                for piece in names:
                    self._add_author(article, piece, "authors.any.byline")
                return "byline"
        for pattern in (self._credit, self._notice):
            m = pattern.match(line)
            if m:
                pieces = self._names.read(article.text, start + m.end(), start + len(line.rstrip()))
                if pieces and not any(p.kind is Kind.TEXT for p in pieces):
                    spans.append((start, end))   # "Photo : Thanh Phuc" is a photographer, never an author
                    return "credit"
        return None

    # -- stamps ----------------------------------------------------------------

    def _take_stamp(self, article: Article, line: str, offset: int, stamp: Stamp, spans, headline_seen: bool,
                    first: bool):
        """Read what stands before a stamp: (rank, end of a headline glued to it), or None if it is no stamp.

        line is the stripped line, which starts at `offset` in the text. Only the page's
        first stamp line can carry the byline: "Name date" lines further down are a list
        (people and the days they were appointed), not authors.
        """
        prefix = line[:stamp.prefix_end]
        body = prefix.rstrip(_STAMP_SEPARATORS)
        rank, headline_end = _STAMP_RANK, None
        if not body:
            if not (stamp.timed or stamp.labelled or headline_seen):
                rank = _HEADER
        elif body.endswith(","):
            # A place and its date, as under a legal text: "Quảng Bình, ngày 25 tháng 5 năm 2015".
            pieces = self._names.read(article.text, offset, offset + len(body) - 1)
            if not pieces or any(p.kind is Kind.TEXT for p in pieces):
                return None
            if not (stamp.timed or stamp.labelled):
                rank = _PLACE_RANK
        elif body == prefix:
            # Glued to the date: the paper's name (maybe printed twice) or the headline.
            doubled = _DOUBLED.fullmatch(body)
            publisher = doubled.group("pub") if doubled else body
            if len(publisher.split()) > MAX_PUBLISHER_WORDS or any(c.isdigit() for c in publisher):
                headline_end = offset + len(body)
            elif not article.source.get("publisher"):
                article.source["publisher"] = publisher.strip()
        else:
            # A byline before the date: "Vương Trần (báo lao động) 29/06/2025", "PV 20/03/2025".
            label = self._label.match(body)
            pieces = self._names.read(article.text, offset + (label.end() if label else 0), offset + len(body))
            if not pieces or any(p.kind is Kind.TEXT for p in pieces):
                return None
            if first:
                kinds = (Kind.NAME, Kind.SHAPELESS) if label else (Kind.NAME,)
                spans.append((offset, offset + len(body)))
                for piece in pieces:
                    if piece.kind in kinds:
                        self._add_author(article, piece, "authors.any.byline_stamp")
        article.stamp_dates.append(Hit(stamp.value, offset + stamp.start, offset + stamp.end, "dates.any.stamp",
                                       {"year_inferred": False}))
        return rank, headline_end

    def _placeholder_byline(self, article: Article, line: str, start: int, spans) -> bool:
        """The page's first stamp line with its date template unrendered: the names in front of
        the placeholder are the byline (as in front of a real date), and the line gives no date.
        Say whether it was one."""
        m = self._placeholder_stamp.search(line) if "_" in line else None   # (a placeholder has one)
        if m is None:
            return False
        body_end = start + len(line[:m.start()].rstrip(_STAMP_SEPARATORS))
        body_start = start + len(line) - len(line.lstrip())
        pieces = self._names.read(article.text, body_start, body_end)
        names = [p for p in pieces if p.kind is Kind.NAME]
        if not names or any(p.kind in (Kind.TEXT, Kind.SHAPELESS) for p in pieces):
            return False
        spans.append((body_start, start + len(line.rstrip())))
        for piece in names:
            self._add_author(article, piece, "authors.any.byline_stamp")
        return True

    # -- names alone on a line -----------------------------------------------

    def _add_bare_byline(self, article: Article, start: int, end: int, spans) -> bool:
        """A line that is only a name (or names) is the byline; say whether it was one."""
        if (start, end) in spans:
            return False
        pieces = self._names.read(article.text, start, end)
        names = [p for p in pieces if p.kind is Kind.NAME]
        if not names or any(p.kind in (Kind.TEXT, Kind.SHAPELESS) for p in pieces):
            return False
        spans.append((start, end))
        for piece in names:
            self._add_author(article, piece, "authors.any.byline_bare")
        return True

    def _bare_byline_before(self, article, lines, i, spans) -> None:
        # vietnam.vn pages put the reporter's name alone on the line before "Source :".
        j = i - 1
        while j >= 0 and not article.text[lines[j][0]:lines[j][1]].strip():
            j -= 1
        if j >= 0:
            self._add_bare_byline(article, *lines[j], spans)

    def _bare_byline_at_end(self, article, lines, body_end, spans) -> None:
        # Pages without a Source line often end with the reporter's name alone.
        masked = set(spans)  # a set: one lookup per line, not a scan of every span
        last = [i for i, (s, e) in enumerate(lines) if e <= body_end and article.text[s:e].strip()
                and (s, e) not in masked]
        if len(last) >= 2:
            self._bare_byline_before(article, lines, last[-1] + 1, spans)

    @staticmethod
    def _add_author(article: Article, piece: Piece, rule: str) -> None:
        canonical = piece.name(article.text)
        mention = {"start": piece.start, "end": piece.end, "text": article.text[piece.start:piece.end], "rule": rule}
        for author in article.authors:
            if author["name"] == canonical:
                author["mentions"].append(mention)
                return
        article.authors.append({"name": canonical, "mentions": [mention]})

    def _title(self, article: Article, lines, body_end: int, stamp_lines: dict[int, int]) -> str | None:
        # The first short paragraph that is not chrome or a stamp is the headline on these pages.
        for start, end in lines:
            if start >= body_end:
                break
            if start in stamp_lines:
                end = stamp_lines[start]   # a headline glued to its date stamp, or nothing
            candidate = article.masked[start:end].strip()
            if not candidate:
                continue
            if len(candidate) <= HEADLINE_CHARS and len(candidate.split()) >= HEADLINE_WORDS:
                return candidate
            return None
        return None


def _document_head_regex(headers: list[str]):
    """A line that opens a reproduced official document: a header of clean.json document_headers
    (any dash for a dash), or only a document number after a number sign of any language
    ("Số: 97-QĐ/TW", "N° 12/2023/ND-CP", "Nr. 45-CT/TW")."""
    signs = {sign for lang in language_codes() for sign in (language_file(lang, "codes.json") or {}).get("number_signs", [])}
    gap = rf"(?:\s|{DASH})+"
    headers = [gap.join(regex.escape(word) for word in regex.split(gap, h.strip())) for h in headers]
    number = r"(?:" + alternation(signs) + r")\s*:?\s*\d[\w./-]*[-/][\w./-]*"
    return regex.compile(r"^(?:" + "|".join(headers + [number]) + r")\s*$", regex.IGNORECASE)


def _cut_tail(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The unfinished end of an excerpt cut mid-word ("... Provinzparteisekretär Vu Dai T").

    A text of several lines that stops on a letter, with no line break after it,
    was cut: its last word is a fragment, and so is the name or title that word
    was part of (the capitalised words just before it). Masked, they cannot give
    a cut name ("Vu Dai" for Vu Dai Thang) or a cut code. A text of one line is a
    headline or a snippet someone typed, not an excerpt: it is left whole.
    """
    if end != len(text) or not text[end - 1:end].isalpha() or not _WORD.search(text, 0, start):
        return []
    words = list(_WORD.finditer(text, max(start, end - MAX_CUT_TAIL_CHARS), end))
    if not words:
        return []
    first = len(words) - 1
    if words[first].group()[0].isupper():
        # Back over capitalised words, up to a clause break ("und Bac Kan; Be": only "Be").
        while first > 0 and _NAME_WORD.fullmatch(words[first - 1].group()):
            first -= 1
    return [(words[first].start(), end)]


def _first_url_mark(text: str) -> int | None:
    """Where a _URL scan may start, None if no URL can be in `text`: a URL starts at most
    5 characters before the first "://" ("https") or 2 before "w." ("www.")."""
    found = [i for i in map(text.find, _URL_MARKS) if i >= 0]
    return max(0, min(found) - 5) if found else None


def _first_symbol_pair(text: str) -> int | None:
    """Where a _SYMBOL_RUN scan may start, None if `text` has no run of 64 symbols (~5 µs).
    Such a run covers two positions 32 apart that are multiples of 32, so two neighbours
    of text[::32]; the first run starts at most 32 characters before the first such pair.
    (The scan's lookbehind still sees the text before where it starts.)"""
    pair = _SYMBOL_PAIR.search(text[::_SYMBOL_STRIDE])
    return None if pair is None else max(0, (pair.start() - 1) * _SYMBOL_STRIDE)


def _lines(text: str):
    start = 0
    for part in text.splitlines(keepends=True):
        end = start + len(part.rstrip("\r\n"))
        yield start, end
        start += len(part)
