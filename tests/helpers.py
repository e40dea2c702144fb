"""Test helpers: build an Article the way the pipeline does, without files."""
from __future__ import annotations

from pipeline.article import Article
from pipeline.text import fold
from pipeline.tokens import TokenView


def make_article(text: str, lang: str = "fr", published: str | None = None, facts: dict | None = None) -> Article:
    """An Article ready for an extractor: no chrome to mask, language given."""
    article = Article(doc_id="test", text=text)
    article.masked = text
    article.folded = fold(text)
    article.tokens = TokenView(article.folded)
    article.lang = lang
    article.published = published
    article.facts = dict(facts or {})
    return article


def best_times(runs: dict, rounds: int = 5) -> dict:
    """The best wall time of each run(round) over `rounds`; the runs take turns, so a busy moment hits all.

    Speed is compared within one test run, never against a wall-clock
    threshold (the machines are shared). `round` lets a run make a new input
    each time, so that no cache makes the repeats cheap. A run that already
    took over 5 s is not timed again.
    """
    import time

    best = {name: float("inf") for name in runs}
    for round_ in range(rounds):
        for name, run in runs.items():
            if round_ and best[name] > 5:
                continue
            started = time.perf_counter()
            run(round_)
            best[name] = min(best[name], time.perf_counter() - started)
    return best


def cost_ratio(run, n: int, factor: int = 8) -> float:
    """How many times longer run(factor * n, round) takes than run(n, round): ~factor when linear."""
    best = best_times({"small": lambda r: run(n, r), "large": lambda r: run(factor * n, r)})
    return best["large"] / best["small"]


def real_texts() -> list[str]:
    """Real article texts of every language (corpus/, tests/data, the shared dev set) and 100 generated ones."""
    from tests.conftest import ROOT, SHARED
    from tests.test_batch import bench_generate

    paths = [*sorted((ROOT / "corpus").glob("*.txt")), *sorted((ROOT / "tests" / "data").glob("*/*.txt")),
             *sorted((SHARED / "dev" / "articles").glob("*"))]
    return [p.read_text(encoding="utf-8") for p in paths] + [bench_generate.article(i)[1] for i in range(100)]
