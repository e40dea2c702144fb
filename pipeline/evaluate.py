"""`newsfacts evaluate`: score records against gold, per field and per language.

The figures are the same as ../shared/eval/score.py's (tests/test_evaluate.py
checks that they agree): sets per article, micro-averaged, with the same
normalization of each field. Which fields are scored, and how each compares
its values (`evaluate` in patterns/manifest.json: one of COMPARISONS), is the
manifest's.
"""
from __future__ import annotations

import json
import re
import unicodedata

# How values are compared (see normalize): each fact type names one in the manifest.
COMPARISONS = ("code", "date", "period", "name", "place", "text")


def fields() -> dict[str, tuple[str, str]]:
    """field -> (key of the value inside each fact, how values are compared), in manifest order."""
    from .registry import fact_types

    out = {}
    for t in fact_types():
        if t.evaluate not in COMPARISONS:
            raise ValueError(f"patterns/manifest.json {t.field}: evaluate {t.evaluate!r} is not one of "
                             f"{', '.join(COMPARISONS)}")
        out[t.field] = (t.value, t.evaluate)
    return out


def _fold(text: str) -> str:
    text = text.replace("Đ", "D").replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def normalize(kind: str, value) -> str | None:
    if not isinstance(value, str):
        return None
    value = _fold(value).strip()
    if kind == "code":
        return re.sub(r"\s+", "", value).upper()
    if kind == "date":
        return value if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None
    if kind == "period":
        m = re.fullmatch(r"(\d{4})\s*[-/–]\s*(\d{4})", value)
        return f"{m.group(1)}-{m.group(2)}" if m else None
    if kind == "name":
        return " ".join(value.lower().split())
    if kind == "place":
        return re.sub(r"[\s\-–.']+", "", value.lower())
    return value   # text: folded, stripped


def values(record: dict, field: str, how: tuple[str, str] | None = None) -> set[str]:
    key, kind = how or fields()[field]
    out = set()
    for item in record.get(field) or []:
        v = normalize(kind, item.get(key) if isinstance(item, dict) else item)
        if v:
            out.add(v)
    return out


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load(path: str) -> dict[str, dict]:
    rows = {}
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ValueError(f"{path}:{n}: not JSON: {exc}") from None
                if not obj.get("doc_id"):
                    raise ValueError(f"{path}:{n}: no doc_id")
                rows[obj["doc_id"]] = obj
    return rows


def score(gold: dict[str, dict], pred: dict[str, dict]) -> dict:
    scored = fields()
    counts = {f: [0, 0, 0] for f in scored}
    by_lang: dict[str, dict[str, list[int]]] = {}
    errors = []
    lang_ok = pub_ok = pub_n = 0
    for doc_id, g in gold.items():
        p = pred.get(doc_id, {})
        lang = g.get("language")
        got_lang = p.get("language")
        got_lang = got_lang.get("code") if isinstance(got_lang, dict) else got_lang
        lang_ok += got_lang == lang
        if g.get("published"):
            pub_n += 1
            pub_ok += p.get("published") == g["published"]
        for field, how in scored.items():
            gs, ps = values(g, field, how), values(p, field, how)
            c = (len(gs & ps), len(ps - gs), len(gs - ps))
            counts[field] = [a + b for a, b in zip(counts[field], c)]
            bl = by_lang.setdefault(lang, {f: [0, 0, 0] for f in scored})
            bl[field] = [a + b for a, b in zip(bl[field], c)]
            errors += [(field, doc_id, "missed", v) for v in sorted(gs - ps)]
            errors += [(field, doc_id, "spurious", v) for v in sorted(ps - gs)]
    per_field = {}
    for field, (tp, fp, fn) in counts.items():
        p, r, f = _prf(tp, fp, fn)
        per_field[field] = {"tp": tp, "fp": fp, "fn": fn, "precision": p, "recall": r, "f1": f}
    totals = [sum(c[i] for c in counts.values()) for i in range(3)]
    return {
        "articles": len(gold),
        "missing_records": [d for d in gold if d not in pred],
        "language_accuracy": lang_ok / len(gold) if gold else 1.0,
        "published_accuracy": pub_ok / pub_n if pub_n else 1.0,
        "fields": per_field,
        "by_language": {lang: {f: round(_prf(*c)[2], 4) for f, c in fs.items()} for lang, fs in by_lang.items()},
        "errors": sorted(errors, key=lambda e: (list(scored).index(e[0]), e[1], e[2], e[3])),
        "overall_f1": _prf(*totals)[2],
    }


def format_report(result: dict, with_errors: bool = False) -> str:
    lines = [f"{'field':<10} {'tp':>4} {'fp':>4} {'fn':>4} {'prec':>6} {'rec':>6} {'f1':>6}"]
    for field, s in result["fields"].items():
        lines.append(f"{field:<10} {s['tp']:>4} {s['fp']:>4} {s['fn']:>4} "
                     f"{s['precision']:6.3f} {s['recall']:6.3f} {s['f1']:6.3f}")
    lines.append(f"language accuracy {result['language_accuracy']:.3f}   "
                 f"published accuracy {result['published_accuracy']:.3f}   "
                 f"articles {result['articles']}   missing records {len(result['missing_records'])}")
    for lang, fields in sorted(result["by_language"].items(), key=lambda kv: str(kv[0])):
        lines.append(f"  {lang}: " + "  ".join(f"{f}={v:.3f}" for f, v in fields.items()))
    if with_errors:
        lines += [f"{field}\t{doc_id}\t{kind}\t{v}" for field, doc_id, kind, v in result["errors"]]
    lines.append(f"overall f1 {result['overall_f1']:.3f}")
    return "\n".join(lines)
