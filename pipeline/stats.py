"""newsfacts stats: what a records file holds, counted.

    newsfacts stats outputs/records.jsonl [--json] [--plot DIR] [--top N]

Counts per language, fact type, document type, province (as named and by the
unit it was merged into on 1 July 2025), month (of publication, of the dates
cited, of the documents' issue dates, of the citing articles), the documents
and officials most cited, and warnings and errors by kind. The review index
(pipeline/review.py) shows the same counts. The counting runs over the rows of pipeline/tables.py -- the
same rows `export` writes -- so stats and exported tables always agree, and
memory grows with the number of distinct values (provinces, months,
officials), not with the number of records.

Words used in the output:
    article    one record (error records are counted apart, as "failed")
    fact       one distinct value in one article (a code cited by 3 articles = 3 facts)
    mention    one place in a text where a fact is named
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Iterable

from .registry import fact_types
from .tables import Layout, Problems, record_rows

NONE = "(none)"  # how a missing value is counted: no language, no document type...


class Stats:
    """Counters fed one record's table rows at a time."""

    def __init__(self, layout: Layout):
        self.col = {name: {c: i for i, c in enumerate(t.names)} for name, t in layout.tables.items()}
        self.articles = self.failed = 0
        self.languages: Counter = Counter()
        self.facts: dict[str, Counter] = {t.field: Counter() for t in fact_types()}
        self.doc_types: dict[tuple, Counter] = defaultdict(Counter)
        self.doc_type_codes: dict[tuple, set] = defaultdict(set)
        self.provinces: dict[str, Counter] = defaultdict(Counter)
        self.merged_into: dict[str, str] = {}
        self.units: dict[str, Counter] = defaultdict(Counter)
        # published: articles; cited_dates: dates named; documents_issued: citations by the document's
        # issue date; documents_cited: citations by the citing article's publication date
        self.months = {"published": Counter(), "cited_dates": Counter(), "documents_issued": Counter(),
                       "documents_cited": Counter()}
        self.documents: dict[str, Counter] = defaultdict(Counter)
        self.document_about: dict[str, tuple] = {}  # code -> (issued, type label): the first non-empty seen
        self.officials: dict[str, Counter] = defaultdict(Counter)
        self.official_names: dict[str, str] = {}
        self.warnings: Counter = Counter()
        self.errors: Counter = Counter()

    def _get(self, table: str, row: tuple, column: str):
        return row[self.col[table][column]]

    def add(self, rows: dict[str, list[tuple]]) -> None:
        article = rows["articles"][0]
        self.warnings.update(self._get("warnings", w, "kind") for w in rows["warnings"])
        if rows["errors"]:
            self.failed += 1
            self.errors.update(self._get("errors", e, "kind") or NONE for e in rows["errors"])
            return
        self.articles += 1
        self.languages[self._get("articles", article, "language_code") or NONE] += 1
        published = _month(self._get("articles", article, "published"))
        self.months["published"][published] += 1
        if rows["codes"]:
            self.months["documents_cited"][published] += len(rows["codes"])
        for fact_type in fact_types():
            facts = rows[fact_type.field]
            counts = self.facts[fact_type.field]
            counts["facts"] += len(facts)
            counts["mentions"] += sum(self._get(fact_type.field, f, "n_mentions") for f in facts)
            counts["articles"] += bool(facts)
        for fact in rows["codes"]:
            kind = (self._get("codes", fact, "type") or NONE, self._get("codes", fact, "type_label") or "")
            self.doc_types[kind]["citations"] += 1
            self.doc_types[kind]["mentions"] += self._get("codes", fact, "n_mentions")
            code, issued = self._get("codes", fact, "code"), self._get("codes", fact, "issued")
            self.doc_type_codes[kind].add(code)
            self.months["documents_issued"][_month(issued)] += 1
            self.documents[code]["articles"] += 1
            self.documents[code]["mentions"] += self._get("codes", fact, "n_mentions")
            known = self.document_about.get(code, (None, None))
            self.document_about[code] = (known[0] or issued, known[1] or kind[1] or None)
        for fact in rows["dates"]:
            self.months["cited_dates"][_month(self._get("dates", fact, "value"))] += 1
        units: dict[str, int] = Counter()  # an article naming two parts of one unit counts once for it
        for fact in rows["provinces"]:
            name, mentions = self._get("provinces", fact, "name") or NONE, self._get("provinces", fact, "n_mentions")
            unit = self._get("provinces", fact, "merged_into") or name
            self.provinces[name]["articles"] += 1
            self.provinces[name]["mentions"] += mentions
            self.merged_into[name] = unit
            units[unit] += mentions
        for unit, mentions in units.items():
            self.units[unit]["articles"] += 1
            self.units[unit]["mentions"] += mentions
        for fact in rows["officials"]:
            key = self._get("officials", fact, "key") or self._get("officials", fact, "name") or NONE
            self.official_names.setdefault(key, self._get("officials", fact, "name") or key)
            self.officials[key]["articles"] += 1
            self.officials[key]["mentions"] += self._get("officials", fact, "n_mentions")

    def to_json(self, invalid: int = 0, top: int = 20) -> dict:
        """Everything counted, as plain JSON (the --json output and what the charts draw)."""
        named_as = defaultdict(list)
        for name, unit in sorted(self.merged_into.items()):
            named_as[unit].append(name)
        return {
            "records": {"articles": self.articles, "failed": self.failed, "invalid_lines": invalid},
            "languages": _ranked(self.languages),
            "fact_types": {field: {k: counts[k] for k in ("facts", "mentions", "articles")}
                           for field, counts in self.facts.items()},
            "document_types": sorted(
                ({"type": t, "label": label or None, "documents": len(self.doc_type_codes[(t, label)]),
                  **{k: c[k] for k in ("citations", "mentions")}} for (t, label), c in self.doc_types.items()),
                key=lambda d: (-d["citations"], d["type"])),
            "provinces_as_named": sorted(
                ({"name": n, "merged_into": self.merged_into[n], **{k: c[k] for k in ("articles", "mentions")}}
                 for n, c in self.provinces.items()), key=lambda d: (-d["mentions"], d["name"])),
            "provinces_by_merged_unit": sorted(
                ({"name": u, "named_as": named_as[u], **{k: c[k] for k in ("articles", "mentions")}}
                 for u, c in self.units.items()), key=lambda d: (-d["mentions"], d["name"])),
            "months": {kind: _by_month(counter) for kind, counter in self.months.items()},
            "documents_most_cited": [
                {"code": code, "issued": self.document_about[code][0], "label": self.document_about[code][1],
                 **{k: c[k] for k in ("articles", "mentions")}}
                for code, c in sorted(self.documents.items(),
                                      key=lambda kc: (-kc[1]["articles"], -kc[1]["mentions"], kc[0]))[:top]],
            "documents_distinct": len(self.documents),
            "officials_most_cited": [
                {"name": self.official_names[key], "key": key, **{k: c[k] for k in ("articles", "mentions")}}
                for key, c in sorted(self.officials.items(),
                                     key=lambda kc: (-kc[1]["articles"], -kc[1]["mentions"], kc[0]))[:top]],
            "officials_distinct": len(self.officials),
            "warnings_by_kind": _ranked(self.warnings),
            "errors_by_kind": _ranked(self.errors),
        }


def _month(value) -> str | None:
    """'2025-05-23' -> '2025-05'; None for a missing or malformed date."""
    if isinstance(value, str) and len(value) >= 7 and value[:4].isdigit() and value[4] == "-" and value[5:7].isdigit():
        return value[:7]
    return None


def _ranked(counter: Counter) -> dict:
    return dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])))


def _by_month(counter: Counter) -> dict:
    """{"YYYY-MM": n} in calendar order, and the count with no (valid) date under "undated"."""
    months = {m: counter[m] for m in sorted(m for m in counter if m)}
    return {"by_month": months, "undated": counter[None]}


def every_month(by_month: dict) -> dict:
    """The counts with the months between them filled in with 0, so the bars are a time axis."""
    first, last = min(by_month), max(by_month)
    year, month = int(first[:4]), int(first[5:7])
    filled = {}
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        filled[key] = by_month.get(key, 0)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return filled


def compute(paths: Iterable[str], top: int = 20) -> dict:
    """Read records files once and return the counts (see Stats.to_json)."""
    layout = Layout()
    stats, problems = Stats(layout), Problems()
    for _, rows in record_rows(paths, layout, problems):
        stats.add(rows)
    result = stats.to_json(problems.count, top)
    result["problems"] = problems.messages
    return result


# ---------------------------------------------------------------- text

def render(result: dict) -> str:
    """The counts as aligned plain-text tables."""
    records = result["records"]
    out = [f"{records['articles']} articles, {records['failed']} failed, {records['invalid_lines']} invalid lines"]
    out += _table("language", ["articles"], [(k, [v]) for k, v in result["languages"].items()])
    out += _table("fact type", ["facts", "mentions", "articles"],
                  [(k, [v["facts"], v["mentions"], v["articles"]]) for k, v in result["fact_types"].items()])
    out += _table("document type", ["citations", "documents", "mentions"],
                  [(f"{d['type']} {d['label'] or ''}".strip(), [d["citations"], d["documents"], d["mentions"]])
                   for d in result["document_types"]])
    out += _table("province (as named)", ["articles", "mentions", "since 2025 in"],
                  [(d["name"], [d["articles"], d["mentions"], d["merged_into"]]) for d in result["provinces_as_named"]])
    out += _table("province (merged unit)", ["articles", "mentions", "named as"],
                  [(d["name"], [d["articles"], d["mentions"], ", ".join(d["named_as"])])
                   for d in result["provinces_by_merged_unit"]])
    titles = {"published": ("month published", "articles"), "cited_dates": ("month of cited dates", "dates"),
              "documents_issued": ("month documents issued", "citations"),
              "documents_cited": ("month documents cited", "citations")}
    for kind, (title, unit) in titles.items():
        months = result["months"][kind]
        out += _table(title, [unit], [(m, [n]) for m, n in months["by_month"].items()] + [("undated", [months["undated"]])])
    shown = len(result["documents_most_cited"])
    out += _table(f"documents most cited ({shown} of {result['documents_distinct']})",
                  ["articles", "mentions", "issued", "type"],
                  [(d["code"], [d["articles"], d["mentions"], d["issued"] or "", d["label"] or ""])
                   for d in result["documents_most_cited"]])
    shown = len(result["officials_most_cited"])
    out += _table(f"officials most cited ({shown} of {result['officials_distinct']})", ["articles", "mentions"],
                  [(d["name"], [d["articles"], d["mentions"]]) for d in result["officials_most_cited"]])
    out += _table("warnings by kind", ["count"], [(k, [v]) for k, v in result["warnings_by_kind"].items()])
    out += _table("errors by kind", ["count"], [(k, [v]) for k, v in result["errors_by_kind"].items()])
    return "\n".join(out) + "\n"


def _table(title: str, headers: list[str], rows: list[tuple[str, list]]) -> list[str]:
    """A titled table: names on the left, numbers right-aligned, text columns left-aligned."""
    if not rows:
        return ["", f"{title}: none"]
    width = max(len(title), *(len(str(name)) for name, _ in rows))
    widths = [max(len(h), *(len(str(values[i])) for _, values in rows)) for i, h in enumerate(headers)]

    numeric = [all(isinstance(values[i], int) for _, values in rows) for i in range(len(headers))]

    def cells(values):
        return "  ".join(f"{v:>{w}}" if right else f"{v:<{w}}" for v, w, right in zip(values, widths, numeric))

    lines = ["", (f"{title:<{width}}  " + cells(headers)).rstrip()]
    lines += [(f"{name:<{width}}  " + cells(values)).rstrip() for name, values in rows]
    return lines


def dumps(result: dict) -> str:
    return json.dumps(result, ensure_ascii=False, indent=1)
