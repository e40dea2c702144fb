"""Static HTML pages to review what was extracted, one per article plus an index.

Each article page shows the text with every mention highlighted by fact type,
rendered by spaCy displaCy (style "ent", manual=True) straight from the
record offsets; hovering a highlight shows the normalized value(s) (title
attribute). Mentions that overlap are cut into pieces at every mention
boundary, so each piece is highlighted and its title lists every fact covering
it.

The index is built for thousands of articles: a table of the articles (title,
date, language, counts per fact type) that sorts on any column and filters by
words, language and status, plus tables of provinces (as named and by merged
unit), cited documents (with a month-by-month bar chart of issue dates) and
officials. Clicking a province, document, month or official filters the
articles to those that name it. Plain HTML, one small script (review.js) and
one style sheet: nothing is loaded from the network.

Records are read one line at a time (each page is written as its record is
read), through the same checks as `export` and `stats` (pipeline/tables.py):
a line that is not a usable record is skipped and named.

    newsfacts review outputs/records.jsonl -o outputs/review/
"""
from __future__ import annotations

import html
import re
import shutil
import subprocess
import tempfile
from collections import defaultdict
from pathlib import Path
from string import Template

from spacy import displacy

from .registry import fact_types
from .safefile import make_subdir, replace as write_file
from .stats import Stats, every_month
from .tables import Layout, Problems, record_rows

TEMPLATES = Path(__file__).with_name("templates")
STATIC = ("review.css", "review.js")  # copied beside index.html


def kinds() -> dict[str, tuple[str, str, str]]:
    """Fact type (its label) -> (record field, field holding the normalized value, highlight colour):
    patterns/manifest.json, in its order."""
    return {t.label: (t.field, t.value, t.colour) for t in fact_types()}


# How many documents and officials the index lists (the articles table always has every article).
INDEX_TOP = 200

# The span template: {label}/{bg}/{text} come from displaCy, the rest from each span's "params".
ENT_TEMPLATE = ('<mark class="nf-ent nf-kind-{label}" style="background: {bg}" title="{title}" '
                'data-start="{start}" data-end="{end}">{text}{chip}</mark>')


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _safe_name(doc_id: str) -> str:
    """A file name for an article page (doc_ids are file stems, but be careful anyway)."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", doc_id).strip("._") or "article"
    return name[:120] + ".html"


# ---------------------------------------------------------------- facts -> spans

def _facts(record: dict, field: str) -> list[dict]:
    return [f for f in record.get(field) or [] if isinstance(f, dict)]


def _mention_list(fact: dict) -> list[dict]:
    return [m for m in fact.get("mentions") or [] if isinstance(m, dict)]



def fact_details(kind: str, fact: dict) -> str:
    """What the record knows about a fact besides its value, as a short phrase."""
    extra = []
    if kind == "code":
        extra = [fact.get("type_label"), fact.get("issuer_label"),
                 f"issued {fact['issued']}" if fact.get("issued") else None,
                 f"by {fact['issued_by']}" if fact.get("issued_by") else None]
    elif kind == "official":
        extra = ["; ".join(p for p in fact.get("posts") or [] if isinstance(p, str)) or None,
                 fact.get("province")]
    elif kind == "province":
        if fact.get("merged_into") and fact.get("merged_into") != fact.get("name"):
            extra = [f"since 2025 part of {fact['merged_into']}"]
    elif kind == "date" and fact.get("year_inferred"):
        extra = ["year inferred"]
    return ", ".join(str(x) for x in extra if x)


def fact_title(kind: str, fact: dict) -> str:
    """The hover text of one fact: its normalized value and its details."""
    details = fact_details(kind, fact)
    return f"{kind}: {fact.get(kinds()[kind][1])}" + (f" ({details})" if details else "")


def mentions_of(record: dict) -> list[dict]:
    """Every well-formed mention in the record: {start, end, kind, title, fact value}."""
    text = record.get("text") or ""
    found = []
    for kind, (field, key, _) in kinds().items():
        for fact in _facts(record, field):
            title = fact_title(kind, fact)
            for m in _mention_list(fact):
                start, end = m.get("start"), m.get("end")
                if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
                    found.append({"start": start, "end": end, "kind": kind, "title": title,
                                  "value": fact.get(key), "text": text[start:end]})
    return found


def displacy_spans(mentions: list[dict]) -> list[dict]:
    """Non-overlapping pieces for displaCy's "ent" style, cut at every mention boundary."""
    cuts = sorted({p for m in mentions for p in (m["start"], m["end"])})
    starts = defaultdict(list)
    for m in mentions:
        starts[m["start"]].append(m["kind"])
    spans = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [m for m in mentions if m["start"] <= a and b <= m["end"]]
        if not covering:
            continue
        innermost = min(covering, key=lambda m: m["end"] - m["start"])
        titles = list(dict.fromkeys(m["title"] for m in covering))
        chip = "".join(f'<span class="nf-chip">{_e(kind)}</span>' for kind in starts.get(a, []))
        spans.append({"start": a, "end": b, "label": innermost["kind"],
                      "params": {"title": _e("\n".join(titles)), "chip": chip, "start": a, "end": b}})
        starts.pop(a, None)  # a chip only where a mention begins
    return spans


def render_text(record: dict) -> str:
    text = record.get("text") or ""
    spans = displacy_spans(mentions_of(record))
    colors = {kind: colour for kind, (_, _, colour) in kinds().items()}
    return displacy.render({"text": text, "ents": spans, "title": None}, style="ent", manual=True,
                           options={"template": ENT_TEMPLATE, "colors": colors})


# ---------------------------------------------------------------- pages

def _template(name: str) -> Template:
    return Template((TEMPLATES / name).read_text(encoding="utf-8"))


def link_url(url) -> str | None:
    """The URL if it may become a link: http(s) only, with nothing a browser would strip or reinterpret.

    A `javascript:` or `data:` URL (or `java\\tscript:`, which browsers read as
    javascript:) in a record would run script when clicked; such a URL is shown
    as text instead."""
    if isinstance(url, str) and _HTTP_URL.fullmatch(url):
        return url
    return None


_HTTP_URL = re.compile(r"https?://[^\s\x00-\x1f\x7f]+", re.IGNORECASE)


def _facts_table(record: dict) -> str:
    rows = []
    for kind, (field, key, colour) in kinds().items():
        for fact in _facts(record, field):
            mentions = _mention_list(fact)
            written = sorted({str(m.get("text", "")) for m in mentions})
            rows.append(f'<tr><td><span class="nf-swatch" style="background:{colour}"></span>{_e(kind)}</td>'
                        f'<td>{_e(fact.get(key))}</td><td>{_e(fact_details(kind, fact))}</td>'
                        f'<td>{len(mentions)}</td><td>{_e(" | ".join(written))}</td></tr>')
    if not rows:
        return "<p>No facts.</p>"
    return ("<table><thead><tr><th>type</th><th>value</th><th>details</th><th>mentions</th><th>as written</th>"
            "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _legend(record: dict) -> str:
    parts = []
    for kind, (field, _, colour) in kinds().items():
        n = sum(len(_mention_list(f)) for f in _facts(record, field))
        parts.append(f'<span class="nf-legend" style="background:{colour}">{_e(kind)} {n}</span>')
    return " ".join(parts)


def article_page(record: dict) -> str:
    doc_id = record.get("doc_id", "?")
    source = record.get("source") if isinstance(record.get("source"), dict) else {}
    language = record.get("language") if isinstance(record.get("language"), dict) else {}
    meta = [("doc_id", doc_id), ("published", record.get("published") or "not stated"),
            ("language", language.get("code")), ("publisher", source.get("publisher")),
            ("source", source.get("path"))]
    meta_html = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in meta if v)
    url = source.get("url")
    if link_url(url):
        meta_html += f'<dt>url</dt><dd><a href="{_e(url)}" rel="noreferrer noopener">{_e(url)}</a></dd>'
    elif url:
        meta_html += f'<dt>url</dt><dd>{_e(url)} <span class="nf-muted">(not an http(s) address: not a link)</span></dd>'
    warnings = "".join(f"<li>{_e(w)}</li>" for w in record.get("warnings") or [])
    if isinstance(record.get("error"), dict):
        body = (f'<p class="nf-error">This article failed: <b>{_e(record["error"].get("kind"))}</b> — '
                f'{_e(record["error"].get("message"))}</p>')
    elif not record.get("text"):
        body = '<p class="nf-error">The record has no text (extracted with --no-text), so nothing can be shown.</p>'
    else:
        body = render_text(record)
    return _template("review_article.html").substitute(
        title=_e(record.get("title") or doc_id), meta=meta_html, legend=_legend(record), text=body,
        warnings=f"<h2>Warnings</h2><ul>{warnings}</ul>" if warnings else "", facts=_facts_table(record))


# ---------------------------------------------------------------- index

class Index:
    """What index.html needs, gathered one record at a time: a table row per article, and counts."""

    def __init__(self, layout: Layout):
        self.stats = Stats(layout)
        self.rows: list[str] = []
        self.col = self.stats.col

    def add(self, rows: dict[str, list[tuple]], page: str) -> None:
        self.stats.add(rows)
        self.rows.append(self._article_row(rows, page))

    def _value(self, table: str, row: tuple, column: str):
        return row[self.col[table][column]]

    def _facets(self, rows: dict[str, list[tuple]]) -> list[str]:
        """The tokens a click in the other tables filters on (see review.js)."""
        tokens = set()
        for fact in rows["provinces"]:
            name = self._value("provinces", fact, "name")
            tokens |= {_token("p", name), _token("u", self._value("provinces", fact, "merged_into") or name)}
        for fact in rows["codes"]:
            tokens.add(_token("c", self._value("codes", fact, "code")))
            issued = self._value("codes", fact, "issued")
            tokens.add(_token("m", issued[:7] if issued else "undated"))
        for fact in rows["officials"]:
            tokens.add(_token("o", self._value("officials", fact, "key") or self._value("officials", fact, "name")))
        return sorted(tokens)

    def _article_row(self, rows: dict[str, list[tuple]], page: str) -> str:
        article = rows["articles"][0]
        get = lambda column: self._value("articles", article, column)  # noqa: E731
        doc_id, title, error = get("doc_id"), get("title"), get("error_kind")
        status = ["error"] if rows["errors"] else ["ok"]
        if get("n_warnings"):
            status.append("warnings")
        counts = [get(f"n_{t.field}") or 0 for t in fact_types()]
        if not rows["errors"] and not any(counts):
            status.append("nofacts")
        cells = [f'<td data-sort="{_e((title or "").casefold())}"><a href="{_e(page)}">{_e(title or doc_id)}</a>'
                 f'<div class="nf-id">{_e(doc_id)}</div></td>',
                 f'<td>{_e(get("published") or "")}</td>', f'<td>{_e(get("language_code") or "")}</td>']
        cells += [f'<td class="nf-num">{n}</td>' for n in counts]
        cells.append(f'<td class="nf-num">{get("n_warnings") or 0}</td>')
        cells.append(f'<td class="nf-error">{_e(error)}</td>' if rows["errors"] else "<td></td>")
        search = f"{title or ''} {doc_id}"
        return (f'<tr data-q="{_e(search)}" data-lang="{_e(get("language_code") or "")}" '
                f'data-status="{" ".join(status)}" data-facets="{_e("|".join(self._facets(rows)))}">'
                + "".join(cells) + "</tr>")

    def page(self, invalid: int) -> str:
        result = self.stats.to_json(invalid, top=INDEX_TOP)
        records = result["records"]
        totals = ", ".join(f'{v["facts"]:,} {field}' for field, v in result["fact_types"].items())
        summary = (f"{records['articles'] + records['failed']:,} articles ({records['failed']:,} failed), "
                   f"{invalid:,} unreadable lines skipped; {totals}")
        languages = "".join(f'<option value="{_e(code)}">{_e(code)} ({n:,})</option>'
                            for code, n in result["languages"].items())
        headers = "".join(f'<th data-type="number" title="distinct {t.field} in the article">{_e(t.field)}</th>'
                          for t in fact_types())
        return _template("review_index.html").substitute(
            summary=_e(summary), languages=languages, count=len(self.rows), fact_headers=headers,
            articles="".join(self.rows), months=_month_columns(result["months"]["documents_issued"]),
            documents=_documents_table(result), provinces=_province_tables(result),
            officials=_officials_table(result))


def _token(kind: str, value) -> str:
    """One filter token: a kind letter and the value ('|' separates tokens, so it cannot be in one)."""
    return f"{kind}:{str(value).replace('|', ' ')}"


def _facet_link(kind: str, value, label: str, text: str | None = None) -> str:
    """A value that filters the articles table to the articles naming it, when clicked."""
    return (f'<a href="#articles" class="nf-facet" data-facet="{_e(_token(kind, value))}" '
            f'data-label="{_e(label)}">{_e(value if text is None else text)}</a>')


def _sortable(head: str, body: list[str], empty: str) -> str:
    if not body:
        return f"<p>{_e(empty)}</p>"
    return (f'<div class="nf-scroll"><table class="nf-sortable"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def _province_tables(result: dict) -> str:
    named = [f'<tr><td>{_facet_link("p", d["name"], "province (as named) " + d["name"])}</td>'
             f'<td>{_facet_link("u", d["merged_into"], "merged unit " + d["merged_into"])}</td>'
             f'<td class="nf-num">{d["articles"]}</td><td class="nf-num">{d["mentions"]}</td></tr>'
             for d in result["provinces_as_named"]]
    units = [f'<tr><td>{_facet_link("u", d["name"], "merged unit " + d["name"])}</td>'
             f'<td class="nf-num">{d["articles"]}</td><td class="nf-num">{d["mentions"]}</td>'
             f'<td>{", ".join(_facet_link("p", n, "province (as named) " + n) for n in d["named_as"])}</td></tr>'
             for d in result["provinces_by_merged_unit"]]
    number = '<th data-type="number">'
    return ('<div class="nf-columns"><div><h3>As named (units of the article\'s time)</h3>'
            + _sortable(f"<th>province</th><th>since 2025 in</th>{number}articles</th>{number}mentions</th>",
                        named, "No provinces named.")
            + '</div><div><h3>By merged unit (after 1 July 2025)</h3>'
            + _sortable(f"<th>unit</th>{number}articles</th>{number}mentions</th><th>named as</th>",
                        units, "No provinces named.")
            + "</div></div>")


def _month_columns(months: dict) -> str:
    """Citations by the cited document's month of issue, as a row of bars (one per month, gaps included)."""
    by_month = months["by_month"]
    if not by_month:
        return "<p>No cited document has an issue date.</p>"
    filled = every_month(by_month)
    most = max(filled.values())
    step = -(-len(filled) // 12)  # at most 12 labels under the bars
    bars, labels = [], []
    for i, (month, n) in enumerate(filled.items()):
        height = round(100 * n / most, 1)
        bar = f'<span class="nf-col-bar" style="height:{height}%"></span>'
        if n:
            bars.append(f'<a href="#articles" class="nf-col nf-facet" data-facet="{_e(_token("m", month))}" '
                        f'data-label="documents issued in {_e(month)}" title="{_e(month)}: {n} citation(s)">{bar}</a>')
        else:
            bars.append(f'<span class="nf-col" title="{_e(month)}: none">{bar}</span>')
        labels.append(f'<span class="nf-col-label">{_e(month) if i % step == 0 else ""}</span>')
    undated = ""
    if months["undated"]:
        link = _facet_link("m", "undated", "documents with no issue date", f"{months['undated']:,}")
        undated = f" ({link} more with no issue date)"
    first, last = next(iter(filled)), next(reversed(filled))
    peak = max(filled, key=filled.get)
    return (f'<p class="nf-muted">Citations (article × document) by month of issue, {_e(first)} to {_e(last)}'
            f'{undated}; the tallest bar is {most:,} ({_e(peak)}). Click a bar for the articles.</p>'
            f'<div class="nf-cols">{"".join(bars)}</div><div class="nf-cols nf-col-labels">{"".join(labels)}</div>')


def _documents_table(result: dict) -> str:
    shown = result["documents_most_cited"]
    rows = [f'<tr><td>{_facet_link("c", d["code"], "document " + d["code"])}</td><td>{_e(d["label"] or "")}</td>'
            f'<td>{_e(d["issued"] or "")}</td><td class="nf-num">{d["articles"]}</td>'
            f'<td class="nf-num">{d["mentions"]}</td></tr>' for d in shown]
    number = '<th data-type="number">'
    note = (f'<p class="nf-muted">The {len(shown):,} most cited of {result["documents_distinct"]:,} documents.</p>'
            if len(shown) < result["documents_distinct"] else "")
    return note + _sortable(f"<th>document</th><th>type</th><th>issued</th>{number}articles</th>{number}mentions</th>",
                            rows, "No documents cited.")


def _officials_table(result: dict) -> str:
    shown = result["officials_most_cited"]
    rows = [f'<tr><td>{_facet_link("o", d["key"], "official " + d["name"], d["name"])}</td>'
            f'<td class="nf-num">{d["articles"]}</td><td class="nf-num">{d["mentions"]}</td></tr>' for d in shown]
    number = '<th data-type="number">'
    note = (f'<p class="nf-muted">The {len(shown):,} named in the most articles, of {result["officials_distinct"]:,}.</p>'
            if len(shown) < result["officials_distinct"] else "")
    return note + _sortable(f"<th>official</th>{number}articles</th>{number}mentions</th>", rows, "No officials named.")


# ---------------------------------------------------------------- files

def write_review(records_path: str | Path, out_dir: str | Path) -> dict:
    """Write index.html, one page per article, review.css and review.js into out_dir.

    No file is written through a symlink (pipeline/safefile.py)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    articles_dir = make_subdir(out, "articles")
    layout, problems = Layout(), Problems()
    index = Index(layout)
    used: set[str] = set()
    for record, rows in record_rows([str(records_path)], layout, problems):
        name = _safe_name(record["doc_id"])
        stem, n = name[:-5], 1
        while name in used:  # two doc_ids that clean to the same file name
            n += 1
            name = f"{stem}-{n}.html"
        used.add(name)
        write_file(articles_dir / name, article_page(record))
        index.add(rows, f"articles/{name}")
    for static in STATIC:
        write_file(out / static, (TEMPLATES / static).read_bytes())
    write_file(out / "index.html", index.page(problems.count))
    return {"articles": len(index.rows), "invalid": problems.count, "problems": problems.messages}


def find_chromium() -> str | None:
    for candidate in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(candidate)
        if found:
            return found
    return None


def chromium_command(profile: str, *args: str) -> list[str]:
    """Headless Chromium that touches no network: throwaway profile, no background services."""
    chromium = find_chromium()
    if chromium is None:
        raise FileNotFoundError("chromium is not installed (tools/install-system-deps.sh installs it)")
    return [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--hide-scrollbars", f"--user-data-dir={profile}", *args]


def screenshot(page: Path, png: Path, width: int = 1400, height: int = 1000, timeout: float = 90) -> None:
    """Save a PNG of a local HTML page with headless Chromium (no network, throwaway profile)."""
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="newsfacts-chromium-") as profile:
        subprocess.run(chromium_command(profile, f"--window-size={width},{height}", f"--screenshot={png.resolve()}",
                                        page.resolve().as_uri()),
                       check=True, capture_output=True, timeout=timeout)
    if not png.is_file() or png.stat().st_size == 0:
        raise RuntimeError(f"chromium wrote no screenshot to {png}")


if __name__ == "__main__":  # python -m pipeline.review RECORDS OUT_DIR [SCREENSHOT.png]
    import sys

    result = write_review(sys.argv[1], sys.argv[2])
    if len(sys.argv) > 3:
        screenshot(Path(sys.argv[2]) / "index.html", Path(sys.argv[3]))
    print(f"{result['articles']} pages in {sys.argv[2]}", file=sys.stderr)
