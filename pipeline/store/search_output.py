"""Print a search result: text for a terminal, JSON Lines, or CSV for a spreadsheet.

Text: a count line first (and "N more, use --limit" at the end when the
limit cut the list), then each article -- date, title, publisher, language,
doc_id, URL -- and its matching sentences, the matches in bold on a terminal
or in [brackets] when piped. JSON: one object per article with all its
matches. CSV: one row per match (an article without matches: one row).
"""
from __future__ import annotations

import csv
import json
import re

from .search import Hit, Match, Query, Result

MATCHES_SHOWN = 3      # per article in text output; --json and --csv carry them all
DISPLAY_WIDTH = 320    # longer sentences are cut around the first highlight

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")   # no terminal escapes from article text

CSV_COLUMNS = ("rank", "doc_id", "published", "title", "url", "publisher", "language", "kind", "value",
               "via_merger", "merger", "mention", "mention_start", "mention_end", "sentence", "sentence_start",
               "sentence_end")


def _plain(text: str | None) -> str:
    return " ".join(_CONTROL.sub(" ", text or "").split())


def summary(result: Result, q: Query) -> list[str]:
    """How many articles match, what the dates meant, and what to try when nothing did."""
    shown = len(result.hits)
    if result.total == 0:
        lines = ["no hits"]
    elif result.more:
        lines = [f"{result.total} articles match, {shown} shown ({result.more} more, use --limit {result.total})"]
    else:
        lines = [f"{result.total} articles match" if result.total != 1 else "1 article matches"]
    if q.published_from or q.published_to:
        span = f"from {q.published_from or 'the start'} to {q.published_to or 'the end'}"
        line = f"dates: published {span} (the article's own date)"
        if result.undated:
            line += (f"; {result.undated} undated article{'s' if result.undated != 1 else ''} left out "
                     "(--cited-from/--cited-to search the dates an article names)")
        lines.append(line)
    if q.cited_from or q.cited_to:
        lines.append(f"dates: naming a day from {q.cited_from or 'the start'} to {q.cited_to or 'the end'}")
    return lines + result.notes


def _merge(spans: list[list[int]], length: int) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for a, b in sorted((max(0, a), min(length, b)) for a, b in spans):
        if a >= b:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def mark_spans(text: str, spans: list[list[int]], on: str, off: str, width: int = DISPLAY_WIDTH,
               escape=lambda piece: piece) -> str:
    """`text` on one line with `spans` wrapped in on/off, cut to about `width`
    characters around the first span; `escape` is applied to the text pieces (HTML)."""
    spans = _merge(spans, len(text))
    lo, hi = 0, len(text)
    if len(text) > width:
        first = spans[0][0] if spans else 0
        lo = max(0, first - width // 2)
        hi = min(len(text), lo + width)
        lo = max(0, min(lo, hi - width))
    out, pos = [], lo
    for a, b in spans:
        a, b = max(a, lo), min(b, hi)
        if a >= b:
            continue
        out += [escape(text[pos:a]), on, escape(text[a:b]), off]
        pos = b
    out.append(escape(text[pos:hi]))
    line = " ".join("".join(out).split())
    return ("… " if lo > 0 else "") + line + (" …" if hi < len(text) else "")


def render_sentence(match: Match, bold: bool) -> str:
    """The sentence on one line with the matches marked (ANSI bold, or [brackets])."""
    on, off = ("\x1b[1m", "\x1b[0m") if bold else ("[", "]")
    return mark_spans(_CONTROL.sub(" ", match.sentence), match.highlights, on, off)


def render_match(match: Match, bold: bool) -> str:
    label = "" if match.kind in ("text", "title") else f"{match.kind} {_plain(match.value)}"
    if match.via_merger:
        label += f" (via merger: {match.merger})"
    return f"    - {label + ': ' if label else ''}{render_sentence(match, bold)}"


def render_hit(rank: int, hit: Hit, bold: bool) -> str:
    head = f"[{rank}] {hit.published or 'undated'}  {_plain(hit.title) or '(no title)'}"
    about = ", ".join(_plain(x) for x in (hit.publisher, hit.language, hit.doc_id) if x)
    lines = [head, f"    {about}"]
    if hit.url:
        lines.append(f"    {_plain(hit.url)}")
    lines += [render_match(m, bold) for m in hit.matches[:MATCHES_SHOWN]]
    if len(hit.matches) > MATCHES_SHOWN:
        lines.append(f"    - ({len(hit.matches) - MATCHES_SHOWN} more in this article; --json or --csv lists them all)")
    return "\n".join(lines)


def write_text(result: Result, q: Query, out, bold: bool) -> None:
    lines = summary(result, q)
    if result.hits:
        print(*lines, sep="\n", file=out)
    for rank, hit in enumerate(result.hits, 1):
        print(file=out)
        print(render_hit(rank, hit, bold), file=out)
    if result.more:
        print(f"\n{result.more} more, use --limit {result.total}", file=out)


def write_json(result: Result, out) -> None:
    for hit in result.hits:
        print(json.dumps(hit.to_json(), ensure_ascii=False), file=out)


def write_csv(result: Result, out) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for rank, hit in enumerate(result.hits, 1):
        article = [rank, hit.doc_id, hit.published, hit.title, hit.url, hit.publisher, hit.language]
        for m in hit.matches or [None]:
            if m is None:
                writer.writerow(article + [""] * (len(CSV_COLUMNS) - len(article)))
                continue
            mention = m.mention or {}
            writer.writerow(article + [m.kind, m.value, int(m.via_merger), m.merger, mention.get("text"),
                                       mention.get("start"), mention.get("end"), m.sentence, m.sentence_start,
                                       m.sentence_end])
