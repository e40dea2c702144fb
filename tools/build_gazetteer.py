#!/usr/bin/env python3
"""Build patterns/provinces.jsonl from the merger tables and the variants file.

    python tools/build_gazetteer.py            # rewrite patterns/provinces.jsonl
    python tools/build_gazetteer.py --check    # exit 1 if the committed file is stale

Inputs (all in patterns/): sources/provinces-2025-merger.csv (names with and
without diacritics), sources/provinces-2025-merger-codes.csv (GSO codes) and
province_variants.json (exonyms, joined forms, which provinces are cities,
longer names that start with a province's). One row per pre-2025 province
(63, era "old") and per post-merger unit (34, era "new").
"""
from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pipeline.patterns import patterns_dir, read_json  # noqa: E402  (the one loader: keys checked)
from generated import write_or_check  # noqa: E402  (tools/ is on the path when run as a script)

PATTERNS = patterns_dir()
OUT = PATTERNS / "provinces.jsonl"


def spelling_variants(name: str) -> list[str]:
    """Hyphen and spacing variants of a multi-word name: 'Ba Ria - Vung Tau' -> 'Ba Ria-Vung Tau', ..."""
    forms = {name}
    if " - " in name:
        forms |= {name.replace(" - ", "-"), name.replace(" - ", " ")}
    words = name.replace(" - ", " ").split()
    if len(words) == 2:
        forms.add("-".join(words))
    return sorted(forms)


def build() -> str:
    with open(PATTERNS / "sources" / "provinces-2025-merger.csv", encoding="utf-8") as fh:
        names = list(csv.DictReader(fh))
    with open(PATTERNS / "sources" / "provinces-2025-merger-codes.csv", encoding="utf-8") as fh:
        codes = list(csv.DictReader(fh))
    extra = read_json("province_variants.json")
    unknown = (set(extra["variants"]) | set(extra["ambiguous"]) | set(extra["centrally_run"])
               | set(extra["longer_names"])) - {r["old_name"] for r in codes}
    if unknown:
        sys.exit(f"province_variants.json names no pre-2025 province: {sorted(unknown)}")
    vi = {r["old_name"]: r["old_name_vi"] for r in names} | {r["new_name"]: r["new_name_vi"] for r in names}
    rows, new_units = [], {}
    for r in codes:
        old, new = r["old_name"], r["new_name"]
        variants = set(spelling_variants(old)) | set(spelling_variants(vi[old]))
        variants |= set(extra["variants"].get(old, []))
        ambiguous = set(extra["ambiguous"].get(old, []))
        variants -= ambiguous
        rows.append({
            "id": f"old-{r['old_code']}", "era": "old", "name": old, "name_vi": vi[old], "code": r["old_code"],
            "merged_into": new, "merged_into_code": r["new_code"],
            "variants": sorted(variants), "ambiguous_variants": sorted(ambiguous),
            "centrally_run": old in extra["centrally_run"], "longer_names": sorted(extra["longer_names"].get(old, [])),
        })
        unit = new_units.setdefault(new, {
            "id": f"new-{r['new_code']}", "era": "new", "name": new, "name_vi": vi[new], "code": r["new_code"],
            "merged_from": [],
        })
        unit["merged_from"].append(old)
    rows.sort(key=lambda row: row["code"])
    units = sorted(new_units.values(), key=lambda row: row["code"])
    if len(rows) != 63 or len(units) != 34:
        sys.exit(f"expected 63 old and 34 new units, got {len(rows)} and {len(units)}")
    return "".join(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in rows + units)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail if patterns/provinces.jsonl is not up to date")
    args = ap.parse_args()
    return write_or_check(OUT, build(), args.check, "is stale: run python tools/build_gazetteer.py")


if __name__ == "__main__":
    sys.exit(main())
