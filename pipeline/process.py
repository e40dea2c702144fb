"""The stages wired together: one Pipeline per process, many articles through it.

    read -> clean -> language -> extract -> link -> write

Everything expensive (pattern files, compiled regexes, phrase automata, the
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
from typing import Callable

from .article import Article
from .build_cache import load_or_build
from .clean import Cleaner
from .extract.years import split_published
from .facts import group_hits
from .language import LanguageIdentifier
from .read import DEFAULT_MAX_BYTES, Input, ReadError, decode
from .record import build_record, error_record
from .registry import load_extractors, warn_language_gaps
from .text import fold
from .tokens import TokenView


_SURROGATE = re.compile("[\ud800-\udfff]")
# Characters of text taken through the stages together: ~45 news articles, and at
# worst ~150 MB of tokens (docs/reliability.md, Memory) on top of one large article.
WAVE_CHARS = 500_000


class Pipeline:
    def __init__(self, entities=None, detector=None, profile: bool = False, include_text: bool = True,
                 article_timeout: float | None = None):
        self.article_timeout = article_timeout  # seconds; None: NEWSFACTS_ARTICLE_BUDGET or the default
        self.cleaner = load_or_build("clean", Cleaner.__module__, Cleaner)   # (pipeline/build_cache.py)
        self.language = LanguageIdentifier(detector)
        self.extractors = load_extractors(entities)   # registry.Step objects, in run order
        warn_language_gaps()
        self.include_text = include_text
        self.profile = profile
        self.seconds: dict[str, float] = defaultdict(float)  # stage -> CPU seconds of this thread, when profiling
        from .link import link_codes

        self.link_codes = link_codes

    # -- entry points ------------------------------------------------------

    def run_input(self, item: Input, max_bytes: int = DEFAULT_MAX_BYTES) -> dict:
        """Read, decode and extract one input; any failure gives an error record."""
        return self.run_inputs([item], max_bytes)[0]

    def run_inputs(self, items: list[Input], max_bytes: int = DEFAULT_MAX_BYTES,
                   begin: Callable[[int], None] | None = None) -> list[dict]:
        """Records for many inputs, in their order: each stage runs over a wave of articles before the next.

        A stage's code and data stay warm in the CPU's caches while it goes
        through the wave (1.2x per article against one article at a time,
        bench/README.md). Each article still has its own time budget, counted
        only while a stage works on it. A wave holds at most WAVE_CHARS
        characters of text, so a batch of large articles never holds all their
        tokens at once. begin(i), if given, is called whenever work on items[i]
        begins or resumes (the local engine watches it to spot a stuck article).
        """
        records: list[dict | None] = [None] * len(items)
        wave: list[_Job] = []
        chars = 0
        for index, item in enumerate(items):
            if begin is not None:
                begin(index)
            job = self._open(index, item, max_bytes)
            if job.record is not None:
                records[index] = job.record
                continue
            if wave and chars + len(job.article.text) > WAVE_CHARS:
                self._run_wave(wave, records, begin)  # a large article goes with fewer others, or alone
                wave, chars = [], 0
            wave.append(job)
            chars += len(job.article.text)
        self._run_wave(wave, records, begin)
        return records

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
        job = self._job(0, article)
        records: list[dict | None] = [None]
        self._run_wave([job], records)
        return records[0]

    # -- reading ------------------------------------------------------------

    def _open(self, index: int, item: Input, max_bytes: int) -> "_Job":
        """Read and decode one input: a job for the stages, or one that already holds its error record."""
        from . import html
        from .read import looks_like_html

        source = item.source()
        t0 = self._now()
        try:
            data = item.read_bytes(max_bytes)
            source["sha256"] = hashlib.sha256(data).hexdigest()
            decoded = decode(data, html=item.format == "html", charset=(item.meta or {}).get("charset"))
        except ReadError as exc:
            return _Job(index, None, None, error_record(item.doc_id, source, exc.kind, exc.message))
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
        # HTML -> main text is the first stage, inside the article's time budget like the others.
        return self._job(index, article, prepare=html.apply if is_html else None)

    def _job(self, index: int, article: Article, prepare=None) -> "_Job":
        from .budget import Budget, article_budget

        return _Job(index, article, Budget(article_budget(self.article_timeout)), prepare=prepare)

    # -- the stages --------------------------------------------------------

    def _run_wave(self, wave: list["_Job"], records: list, begin: Callable[[int], None] | None = None) -> None:
        """Every stage over every article of the wave, stage by stage; each article's record into records."""
        from .budget import ArticleTimeout

        # (stage, extractor) in order; "record" ends each article (see _stages).
        stages = [("prepare", None), ("clean", None), ("language", None), ("fold", None),
                  *((e.entity, e) for e in self.extractors), ("link", None), ("record", None)]
        for stage, extractor in stages:
            for job in wave:
                if job.record is not None:
                    continue  # it failed in an earlier stage
                if stage == "prepare" and job.prepare is None:
                    continue
                if begin is not None:
                    begin(job.index)
                try:
                    if job.budget.expired():
                        raise ArticleTimeout()  # spent inside C code in an earlier stage, where no stop could land
                    self._stages(job, stage, extractor)
                except BaseException as exc:  # noqa: B036 -- sorted out by _failed (KeyboardInterrupt goes on)
                    job.record = self._failed(job, exc)
        for job in wave:
            records[job.index] = job.record
            job.article = None  # the wave's articles go as soon as their records are made

    def _stages(self, job: "_Job", stage: str, extractor) -> None:
        """One stage of one article, under its budget (the hard stop, see budget.py)."""
        article = job.article
        t = self._now()
        with job.budget:
            if stage == "prepare":
                job.prepared = job.prepare(article)
            elif stage == "clean":
                self.cleaner(article)
            elif stage == "language":
                self.language(article)
            elif stage == "fold":
                article.folded = fold(article.masked)
                article.tokens = TokenView(article.folded)   # tokenized only where a phrase may be
            elif extractor is not None:
                hits = extractor.find(article)
                merge = getattr(extractor, "merge", None)
                kwargs = {"merge": merge} if merge else {}
                article.facts[extractor.entity] = group_hits(hits, article.text, extractor.key_field, **kwargs)
            elif stage == "link":
                self.link_codes(article)
                article.tokens = None  # free the tokens before the record is written
            else:  # "record"
                record = build_record(article, include_text=self.include_text)
                if job.prepared is not None:
                    record = job.prepared.finish(record)
                job.budget.check()  # time spent inside C code, where the hard stop cannot land
                job.record = record
        self._tick(stage, t)

    def _failed(self, job: "_Job", exc: BaseException) -> dict:
        """The error record for an article a stage could not finish; anything else goes on up."""
        from .budget import ArticleTimeout, stopped_at
        from .patterns import REGEX_TIMEOUT

        article = job.article
        if isinstance(exc, ArticleTimeout):
            return error_record(article.doc_id, article.source, "timeout", job.budget.message(exc), article.warnings)
        if isinstance(exc, TimeoutError) and REGEX_TIMEOUT is not None:  # the regex module gave up on one pattern
            where = stopped_at(exc) or "a pattern"
            return error_record(article.doc_id, article.source, "timeout",
                                f"{where}: a regex search went over {REGEX_TIMEOUT:g} s of CPU time "
                                "(NEWSFACTS_REGEX_TIMEOUT; with finditer, the work done on each match counts "
                                "too); please report this article",
                                article.warnings)
        if isinstance(exc, ReadError):  # prepare() found nothing to extract from
            return error_record(article.doc_id, article.source, exc.kind, exc.message, article.warnings)
        if isinstance(exc, Exception):  # one bad article must not stop a batch
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            where = stopped_at(exc)
            if where:
                detail += f" (in {where})"
            return error_record(article.doc_id, article.source, "internal", detail, article.warnings)
        raise exc  # KeyboardInterrupt, SystemExit: not the article's fault

    def _now(self) -> float:
        # CPU time of this thread, not the wall clock: other jobs on the machine do not count.
        return time.thread_time() if self.profile else 0.0

    def _tick(self, stage: str, since: float) -> None:
        if self.profile:
            self.seconds[stage] += time.thread_time() - since


class _Job:
    """One article on its way through the stages: its budget, and its record once made."""

    __slots__ = ("index", "article", "budget", "record", "prepare", "prepared")

    def __init__(self, index: int, article: Article | None, budget, record: dict | None = None, prepare=None):
        self.index = index        # its place in the caller's list
        self.article = article
        self.budget = budget
        self.record = record      # set once: the record, or the error record that ends the article
        self.prepare = prepare    # HTML -> main text, the first stage (None for plain text)
        self.prepared = None      # what prepare returned: it finishes the record
