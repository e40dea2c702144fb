"""Test helpers: build an Article the way the pipeline does, without files."""
from __future__ import annotations

from pipeline.article import Article
from pipeline.text import fold
from pipeline.tokens import make_doc


def make_article(text: str, lang: str = "fr", published: str | None = None, facts: dict | None = None) -> Article:
    """An Article ready for an extractor: no chrome to mask, language given."""
    article = Article(doc_id="test", text=text)
    article.masked = text
    article.folded = fold(text)
    article.doc = make_doc(article.folded)
    article.lang = lang
    article.published = published
    article.facts = dict(facts or {})
    return article
