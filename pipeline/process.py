"""The stages wired together: one Pipeline per process, many articles through it.

    read -> clean -> language -> extract -> link -> write

Everything expensive (pattern files, compiled regexes, spaCy matchers, the
language model) is loaded once in Pipeline(); `run_text` / `run_input` then
do per-article work only. A failure inside one article becomes that
article's error record; it never stops the batch.
"""
from __future__ import annotations

import hashlib
import re
import time
import traceback
import unicodedata
from collections import defaultdict

from .article import Article
from .clean import Cleaner
from .extract import load_extractors
from .extract.years import split_published
from .facts import group_hits
from .language import LanguageIdentifier
from .read import DEFAULT_MAX_BYTES, Input, ReadError, decode
from .record import build_record, error_record
from .text import fold
from .tokens import make_doc


_SURROGATE = re.compile("[\ud800-\udfff]")


class Pipeline:
    def __init__(self, entities=None, detector=None, profile: bool = False, include_text: bool = True,
                 article_timeout: float | None = None):
        self.article_timeout = article_timeout  # seconds; None: NEWSFACTS_ARTICLE_BUDGET or the default
        self.cleaner = Cleaner()
        self.language = LanguageIdentifier(detector)
        self.extractors = load_extractors(entities)
        self.include_text = include_text
        self.profile = profile
        self.seconds: dict[str, float] = defaultdict(float)  # stage -> CPU seconds of this thread, when profiling
        from .link import link_codes

        self.link_codes = link_codes

    # -- entry points ------------------------------------------------------

    def run_input(self, item: Input, max_bytes: int = DEFAULT_MAX_BYTES) -> dict:
        """Read, decode and extract one input; any failure gives an error record."""
        from . import html  # imported here so the reliability edits stay inside run_input/_run
        from .read import looks_like_html

        source = item.source()
        t0 = self._now()
        try:
            data = item.read_bytes(max_bytes)
            source["sha256"] = hashlib.sha256(data).hexdigest()
            decoded = decode(data, html=item.format == "html", charset=(item.meta or {}).get("charset"))
        except ReadError as exc:
            return error_record(item.doc_id, source, exc.kind, exc.message)
        source["encoding"] = decoded.encoding
        self._tick("read", t0)
        article = Article(doc_id=item.doc_id, text=decoded.text, source=source, warnings=list(decoded.warnings))
        item.apply_meta(article)  # a record file's row: publication date (for year inference), title, warnings
        is_html = item.format == "html"
        if not is_html and looks_like_html(decoded.text):
            # A page saved as .txt: its markup would only give false facts.
            if html.available():
                article.warn("the file holds an HTML page: it was read as HTML")
                is_html = True
            else:
                article.warn(f"the file looks like an HTML page but was read as text; {html.INSTALL_HINT}")
        # HTML -> main text runs inside the article's time budget, like the stages.
        return self._run(article, prepare=html.apply if is_html else None)

    def run_text(self, text: str, doc_id: str = "text", metadata: dict | None = None) -> dict:
        """Extract from a str (the Python API). metadata may set path, url, publisher, published, title."""
        metadata = dict(metadata or {})
        text = unicodedata.normalize("NFC", text)
        warnings = []
        if _SURROGATE.search(text):
            # Lone surrogates (from surrogateescape'd file names or bytes) cannot be
            # written as UTF-8: each becomes U+FFFD, so offsets do not move.
            text = _SURROGATE.sub("\ufffd", text)
            warnings.append("lone surrogate code points were replaced by U+FFFD")
        source = {"path": metadata.pop("path", None),
                  "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
                  "url": metadata.pop("url", None), "publisher": metadata.pop("publisher", None),
                  "format": "text", "encoding": "str"}
        article = Article(doc_id=doc_id, text=text, source=source, warnings=warnings)
        # A day or only a month/year ("2023-11": then it dates the text's days but is not written as published).
        article.published, article.published_approx, problem = split_published(metadata.pop("published", None))
        if problem:
            article.warn(problem)
        article.title = metadata.pop("title", None)
        return self._run(article)

    # -- the stages --------------------------------------------------------

    def _run(self, article: Article, prepare=None) -> dict:
        """The stages under the article's time budget; any failure becomes the article's error record.

        `prepare(article)` runs first, inside the budget (HTML -> main text); what it
        returns, if anything, gets `finish(record)` at the end.
        """
        from .budget import ArticleTimeout, Budget, article_budget, stopped_at
        from .patterns import REGEX_TIMEOUT

        budget = Budget(article_budget(self.article_timeout))
        try:
            with budget:  # the hard stop (see budget.py)
                prepared = prepare(article) if prepare is not None else None
                record = self._stages(article)
                if prepared is not None:
                    record = prepared.finish(record)
            budget.check()  # time spent inside C code, where the hard stop cannot land
            return record
        except ArticleTimeout as exc:
            return error_record(article.doc_id, article.source, "timeout", budget.message(exc), article.warnings)
        except TimeoutError as exc:  # the regex module gave up on one pattern
            where = stopped_at(exc) or "a pattern"
            return error_record(article.doc_id, article.source, "timeout",
                                f"{where}: a regex search went over {REGEX_TIMEOUT:g} s of CPU time "
                                "(NEWSFACTS_REGEX_TIMEOUT; with finditer, the work done on each match counts "
                                "too); please report this article",
                                article.warnings)
        except ReadError as exc:  # prepare() found nothing to extract from
            return error_record(article.doc_id, article.source, exc.kind, exc.message, article.warnings)
        except Exception as exc:  # one bad article must not stop a batch
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            where = stopped_at(exc)
            if where:
                detail += f" (in {where})"
            return error_record(article.doc_id, article.source, "internal", detail, article.warnings)

    def _stages(self, article: Article) -> dict:
        t = self._now()
        self.cleaner(article)
        t = self._tick("clean", t)
        self.language(article)
        t = self._tick("language", t)
        article.folded = fold(article.masked)
        article.doc = make_doc(article.folded)
        t = self._tick("tokenize", t)
        for extractor in self.extractors:
            hits = extractor.find(article)
            merge = getattr(extractor, "merge", None)
            kwargs = {"merge": merge} if merge else {}
            article.facts[extractor.entity] = group_hits(hits, article.text, extractor.key_field, **kwargs)
            t = self._tick(extractor.entity, t)
        self.link_codes(article)
        t = self._tick("link", t)
        article.doc = None  # free the tokens before the record is written
        record = build_record(article, include_text=self.include_text)
        self._tick("record", t)
        return record

    def _now(self) -> float:
        # CPU time of this thread, not the wall clock: other jobs on the machine do not count.
        return time.thread_time() if self.profile else 0.0

    def _tick(self, stage: str, since: float) -> float:
        if not self.profile:
            return 0.0
        now = time.thread_time()
        self.seconds[stage] += now - since
        return now
