"""The article as it moves through the stages.

Each stage fills in its part: read gives `text`, clean gives the metadata,
`masked` and the authors, language gives `lang`, extract and link give `facts`. All offsets
anywhere in the pipeline are indices into `text`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Article:
    doc_id: str
    text: str                      # decoded, NFC-normalized input; offsets point here
    source: dict = field(default_factory=dict)   # path, sha256, url, publisher
    # clean
    masked: str = ""               # `text` with site chrome, URLs and bylines blanked out
    title: str | None = None
    published: str | None = None
    published_span: tuple[int, int] | None = None
    published_approx: str | None = None   # a publication month or year without its day ("2023-11"): years only
    stamp_dates: list = field(default_factory=list)  # facts.Hit per stamp line's day, for the dates extractor
    # language
    lang: str = "und"
    lang_confidence: float = 0.0
    segments: list[dict] = field(default_factory=list)
    # extract
    folded: str = ""               # fold(masked): same length, no diacritics
    tokens: Any = None             # tokens.TokenView over `folded`, for the phrase matchers
    facts: dict[str, list[dict]] = field(default_factory=dict)   # fact type (record field) -> its facts
    warnings: list[str] = field(default_factory=list)

    @property
    def authors(self) -> list[dict]:
        """The byline's authors: the facts the clean stage finds (the fact type of stage "clean")."""
        return self.facts.setdefault("authors", [])

    @authors.setter
    def authors(self, facts: list[dict]) -> None:
        self.facts["authors"] = facts

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def years_mentioned(self) -> list[int]:
        """Explicit four-digit years in the unmasked body, for year inference."""
        from .patterns import YEAR_RE  # local import: patterns loads data files

        return [int(m.group(0)) for m in YEAR_RE.finditer(self.masked or self.text)]
