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


def cost_ratio(run, n: int, factor: int = 8, rounds: int = 5) -> float:
    """How many times longer run(factor * n, round) takes than run(n, round): ~factor when linear.

    Speed is compared within one run, never against a wall-clock threshold (the
    machines are shared). The two sizes alternate and the best of `rounds` is
    kept, so that a busy moment on the machine hits both; `round` lets run()
    make a new input each time, so that no cache makes the repeats cheap. A
    size that already takes over 5 s is not timed again: it is quadratic.
    """
    import time

    best = {n: float("inf"), factor * n: float("inf")}
    for round_ in range(rounds):
        for size in best:
            if round_ and best[size] > 5:
                continue
            started = time.perf_counter()
            run(size, round_)
            best[size] = min(best[size], time.perf_counter() - started)
    return best[factor * n] / best[n]
