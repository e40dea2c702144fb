"""Static HTML pages to review what was extracted, one per article plus an index.

Each article page shows the text with every mention highlighted by fact type,
rendered by spaCy displaCy (style "ent", manual=True) straight from the
record offsets; hovering a highlight shows the normalized value(s) (title
attribute). Mentions that overlap are cut into pieces at every mention
boundary, so each piece is highlighted and its title lists every fact covering
it. The index counts provinces (as named, and by post-2025 merged unit),
draws a timeline of the cited documents by issue date and links every article.

    newsfacts review outputs/records.jsonl -o outputs/review/
"""
from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from string import Template

from spacy import displacy

TEMPLATES = Path(__file__).with_name("templates")

# Fact type -> (record field, field holding the normalized value, highlight colour)
KINDS = {
    "code": ("codes", "code", "#ff9aa8"),
    "date": ("dates", "value", "#a8e0d2"),
    "period": ("periods", "value", "#d9e4a6"),
    "official": ("officials", "name", "#c3b8ff"),
    "province": ("provinces", "name", "#ffd27f"),
    "author": ("authors", "name", "#9fe6ea"),
}

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
    return f"{kind}: {fact.get(KINDS[kind][1])}" + (f" ({details})" if details else "")


def mentions_of(record: dict) -> list[dict]:
    """Every well-formed mention in the record: {start, end, kind, title, fact value}."""
    text = record.get("text") or ""
    found = []
    for kind, (field, key, _) in KINDS.items():
        for fact in record.get(field) or []:
            if not isinstance(fact, dict):
                continue
            title = fact_title(kind, fact)
            for m in fact.get("mentions") or []:
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
    colors = {kind: colour for kind, (_, _, colour) in KINDS.items()}
    return displacy.render({"text": text, "ents": spans, "title": None}, style="ent", manual=True,
                           options={"template": ENT_TEMPLATE, "colors": colors})


# ---------------------------------------------------------------- pages

def _template(name: str) -> Template:
    return Template((TEMPLATES / name).read_text(encoding="utf-8"))


def _facts_table(record: dict) -> str:
    rows = []
    for kind, (field, key, colour) in KINDS.items():
        for fact in record.get(field) or []:
            if not isinstance(fact, dict):
                continue
            written = sorted({m.get("text", "") for m in fact.get("mentions") or [] if isinstance(m, dict)})
            rows.append(f'<tr><td><span class="nf-swatch" style="background:{colour}"></span>{_e(kind)}</td>'
                        f'<td>{_e(fact.get(key))}</td><td>{_e(fact_details(kind, fact))}</td>'
                        f'<td>{len(fact.get("mentions") or [])}</td><td>{_e(" | ".join(written))}</td></tr>')
    if not rows:
        return "<p>No facts.</p>"
    return ("<table><thead><tr><th>type</th><th>value</th><th>details</th><th>mentions</th><th>as written</th>"
            "</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def _legend(record: dict) -> str:
    parts = []
    for kind, (field, _, colour) in KINDS.items():
        n = sum(len(f.get("mentions") or []) for f in record.get(field) or [] if isinstance(f, dict))
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
    if source.get("url"):
        meta_html += f'<dt>url</dt><dd><a href="{_e(source["url"])}" rel="noreferrer">{_e(source["url"])}</a></dd>'
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


def _province_tables(records: list[dict], pages: dict[str, str]) -> str:
    as_named: dict[str, Counter] = defaultdict(Counter)
    merged_into: dict[str, str] = {}
    docs_by_name: dict[str, set] = defaultdict(set)
    for record in records:
        for fact in record.get("provinces") or []:
            if not isinstance(fact, dict) or not fact.get("name"):
                continue
            name = fact["name"]
            as_named[name]["mentions"] += len(fact.get("mentions") or [])
            docs_by_name[name].add(record["doc_id"])
            merged_into[name] = fact.get("merged_into") or name
    if not as_named:
        return "<p>No provinces named.</p>"
    rows_named = []
    for name in sorted(as_named, key=lambda n: (-len(docs_by_name[n]), n)):
        links = " ".join(f'<a href="{_e(pages[d])}">{_e(d)}</a>' for d in sorted(docs_by_name[name]))
        rows_named.append(f"<tr><td>{_e(name)}</td><td>{_e(merged_into[name])}</td><td>{len(docs_by_name[name])}</td>"
                          f"<td>{as_named[name]['mentions']}</td><td>{links}</td></tr>")
    units: dict[str, dict] = defaultdict(lambda: {"docs": set(), "mentions": 0, "from": set()})
    for name, unit in merged_into.items():
        units[unit]["docs"] |= docs_by_name[name]
        units[unit]["mentions"] += as_named[name]["mentions"]
        units[unit]["from"].add(name)
    rows_units = []
    for unit in sorted(units, key=lambda u: (-len(units[u]["docs"]), u)):
        u = units[unit]
        rows_units.append(f"<tr><td>{_e(unit)}</td><td>{len(u['docs'])}</td><td>{u['mentions']}</td>"
                          f"<td>{_e(', '.join(sorted(u['from'])))}</td></tr>")
    return ('<div class="nf-columns"><div><h3>As named (units of the article\'s time)</h3><table><thead><tr>'
            "<th>province</th><th>since 2025 in</th><th>articles</th><th>mentions</th><th>articles</th></tr></thead>"
            f"<tbody>{''.join(rows_named)}</tbody></table></div>"
            '<div><h3>By merged unit (after 1 July 2025)</h3><table><thead><tr><th>unit</th><th>articles</th>'
            f"<th>mentions</th><th>named as</th></tr></thead><tbody>{''.join(rows_units)}</tbody></table></div></div>")


def _timeline(records: list[dict], pages: dict[str, str]) -> str:
    cited: dict[str, dict] = {}
    for record in records:
        for fact in record.get("codes") or []:
            if not isinstance(fact, dict) or not fact.get("code"):
                continue
            entry = cited.setdefault(fact["code"], {"issued": None, "label": None, "docs": set()})
            entry["issued"] = entry["issued"] or fact.get("issued")
            entry["label"] = entry["label"] or " · ".join(x for x in (fact.get("type_label"), fact.get("issuer_label")) if x)
            entry["docs"].add(record["doc_id"])
    if not cited:
        return "<p>No documents cited.</p>"
    most = max(len(e["docs"]) for e in cited.values())
    dated = sorted((e["issued"], code) for code, e in cited.items() if e["issued"])
    undated = sorted(code for code, e in cited.items() if not e["issued"])
    out, month = ['<ol class="nf-timeline">'], None
    for issued, code in dated:
        if issued[:7] != month:
            month = issued[:7]
            out.append(f'<li class="nf-month">{_e(month)}</li>')
        out.append(_timeline_item(code, cited[code], most, pages, issued))
    out.append("</ol>")
    if undated:
        out.append('<h3>Issue date not stated</h3><ol class="nf-timeline">')
        out += [_timeline_item(code, cited[code], most, pages, None) for code in undated]
        out.append("</ol>")
    return "".join(out)


def _timeline_item(code: str, entry: dict, most: int, pages: dict[str, str], issued: str | None) -> str:
    width = max(4, round(160 * len(entry["docs"]) / most))
    links = " ".join(f'<a href="{_e(pages[d])}">{_e(d)}</a>' for d in sorted(entry["docs"]))
    return (f'<li><span class="nf-date">{_e(issued or "")}</span><b>{_e(code)}</b> <span class="nf-muted">'
            f'{_e(entry["label"])}</span> <span class="nf-bar" style="width:{width}px"></span> '
            f'{len(entry["docs"])} article(s): {links}</li>')


def _articles_table(records: list[dict], pages: dict[str, str]) -> str:
    rows = []
    for record in records:
        counts = " ".join(f"{kind}&nbsp;{len(record.get(field) or [])}" for kind, (field, _, _) in KINDS.items())
        status = (f'<span class="nf-error">{_e(record["error"].get("kind"))}</span>'
                  if isinstance(record.get("error"), dict) else counts)
        language = record.get("language") if isinstance(record.get("language"), dict) else {}
        rows.append(f'<tr><td><a href="{_e(pages[record["doc_id"]])}">{_e(record["doc_id"])}</a></td>'
                    f'<td>{_e(record.get("title") or "")}</td><td>{_e(record.get("published") or "")}</td>'
                    f'<td>{_e(language.get("code") or "")}</td><td>{status}</td>'
                    f'<td>{len(record.get("warnings") or [])}</td></tr>')
    return ("<table><thead><tr><th>article</th><th>title</th><th>published</th><th>lang</th><th>facts</th>"
            "<th>warnings</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def index_page(records: list[dict], pages: dict[str, str], invalid: int) -> str:
    failed = sum(1 for r in records if isinstance(r.get("error"), dict))
    totals = Counter()
    for record in records:
        for kind, (field, _, _) in KINDS.items():
            totals[kind] += len(record.get(field) or [])
    summary = (f"{len(records)} articles, {failed} failed, {invalid} unreadable lines; "
               + ", ".join(f"{totals[k]} {k}s" for k in KINDS))
    return _template("review_index.html").substitute(
        summary=_e(summary), provinces=_province_tables(records, pages), timeline=_timeline(records, pages),
        articles=_articles_table(records, pages))


# ---------------------------------------------------------------- files

def read_records(path: str | Path) -> tuple[list[dict], int]:
    records, invalid = [], 0
    with open(path, encoding="utf-8-sig") as fh:
        for line in fh:
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                invalid += 1
                continue
            if isinstance(record, dict) and isinstance(record.get("doc_id"), str):
                records.append(record)
            else:
                invalid += 1
    return records, invalid


def write_review(records_path: str | Path, out_dir: str | Path) -> dict:
    """Write index.html, one page per article and review.css into out_dir."""
    records, invalid = read_records(records_path)
    out = Path(out_dir)
    (out / "articles").mkdir(parents=True, exist_ok=True)
    pages: dict[str, str] = {}
    used: set[str] = set()
    for record in records:
        name = _safe_name(record["doc_id"])
        stem, n = name[:-5], 1
        while name in used:  # two doc_ids that clean to the same file name
            n += 1
            name = f"{stem}-{n}.html"
        used.add(name)
        pages[record["doc_id"]] = f"articles/{name}"
        (out / "articles" / name).write_text(article_page(record), encoding="utf-8")
    shutil.copyfile(TEMPLATES / "review.css", out / "review.css")
    (out / "index.html").write_text(index_page(records, pages, invalid), encoding="utf-8")
    return {"articles": len(records), "invalid": invalid, "pages": pages}


def find_chromium() -> str | None:
    for candidate in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(candidate)
        if found:
            return found
    return None


def screenshot(page: Path, png: Path, width: int = 1280, height: int = 1400, timeout: float = 90) -> None:
    """Save a PNG of a local HTML page with headless Chromium (no network, throwaway profile)."""
    chromium = find_chromium()
    if chromium is None:
        raise FileNotFoundError("chromium is not installed (tools/install-system-deps.sh installs it)")
    png.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="newsfacts-chromium-") as profile:
        subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--hide-scrollbars", f"--user-data-dir={profile}", f"--window-size={width},{height}",
                        f"--screenshot={png.resolve()}", page.resolve().as_uri()],
                       check=True, capture_output=True, timeout=timeout)
    if not png.is_file() or png.stat().st_size == 0:
        raise RuntimeError(f"chromium wrote no screenshot to {png}")


if __name__ == "__main__":  # python -m pipeline.review RECORDS OUT_DIR [SCREENSHOT.png]
    import sys

    result = write_review(sys.argv[1], sys.argv[2])
    if len(sys.argv) > 3:
        screenshot(Path(sys.argv[2]) / "index.html", Path(sys.argv[3]))
    print(f"{result['articles']} pages in {sys.argv[2]}", file=sys.stderr)
