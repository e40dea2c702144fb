"""A small fact type for the tests that add one through the manifest: quoted slogans.

It is a real extractor (docs/extending.md, "Add a fact type"): the text between
guillemets or curly double quotes, three to eight words, each quote one fact
whose value is its words with single spaces.
"""
from __future__ import annotations

import regex

from pipeline.facts import Hit

_QUOTE = regex.compile(r"[«“]\s*(?P<words>\p{L}[\p{L}'’-]*(?:\s+\p{L}[\p{L}'’-]*){2,7})\s*[»”]")


class QuotesExtractor:
    def find(self, article) -> list[Hit]:
        hits = []
        for m in _QUOTE.finditer(article.text):
            words = " ".join(m.group("words").split())
            hits.append(Hit(words, m.start(), m.end(), "quotes.any.quote", {"words": len(words.split())}))
        return hits
