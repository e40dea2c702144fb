"""The province gazetteer as the store uses it: the 63 units before the
1 July 2025 merger ("old") and the 34 after it ("new"), with the old -> new map.

Read from patterns/provinces.jsonl. A checkout without that file falls back to
the shared reference table (domain/provinces-2025-merger-codes.csv) so the
store still knows the merger.
"""
from __future__ import annotations

import csv
import json
import os
import sys
from functools import lru_cache
from pathlib import Path

from ..text import fold_key

_REPO = Path(__file__).resolve().parents[2]


def _jsonl_path() -> Path | None:
    candidates = []
    if os.environ.get("NEWSFACTS_PATTERNS"):
        candidates.append(Path(os.environ["NEWSFACTS_PATTERNS"]))
    candidates += [_REPO / "patterns", Path(sys.prefix) / "share" / "newsfacts" / "patterns"]
    for folder in candidates:
        if (folder / "provinces.jsonl").is_file():
            return folder / "provinces.jsonl"
    return None


def _rows_from_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _rows_from_shared_csv() -> list[dict]:
    """Build gazetteer rows from the shared merger tables (codes + Vietnamese names)."""
    for domain in (_REPO.parent / "shared" / "domain", Path("/work/shared/domain")):
        codes = domain / "provinces-2025-merger-codes.csv"
        if codes.is_file():
            break
    else:
        return []
    names_vi: dict[str, str] = {}
    vi_file = domain / "provinces-2025-merger.csv"
    if vi_file.is_file():
        with open(vi_file, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                names_vi[row["old_name"]] = row["old_name_vi"]
                names_vi[row["new_name"]] = row["new_name_vi"]
    old, new = [], {}
    with open(codes, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            old.append({"id": f"old-{row['old_code']}", "name": row["old_name"], "name_vi": names_vi.get(row["old_name"]),
                        "code": row["old_code"], "era": "old", "merged_into": row["new_name"],
                        "merged_into_code": row["new_code"], "variants": []})
            unit = new.setdefault(row["new_code"], {"id": f"new-{row['new_code']}", "name": row["new_name"],
                                                    "name_vi": names_vi.get(row["new_name"]), "code": row["new_code"],
                                                    "era": "new", "merged_from": [], "variants": []})
            unit["merged_from"].append(row["old_name"])
    return old + list(new.values())


@lru_cache(maxsize=1)
def gazetteer_rows() -> tuple[dict, ...]:
    path = _jsonl_path()
    return tuple(_rows_from_jsonl(path) if path else _rows_from_shared_csv())


class Gazetteer:
    """Look provinces up by any spelling, and follow the merger both ways."""

    def __init__(self, rows=None):
        self.rows = list(gazetteer_rows() if rows is None else rows)
        self._by_key: dict[str, list[dict]] = {}
        self._by_name: dict[str, list[dict]] = {}
        self._fact_rows: dict[str, dict | None] = {}
        for row in self.rows:
            self._by_name.setdefault(fold_key(row["name"]), []).append(row)
            spellings = [row.get("name"), row.get("name_vi"), *(row.get("variants") or [])]
            for spelling in spellings:
                if spelling:
                    bucket = self._by_key.setdefault(fold_key(spelling), [])
                    if row not in bucket:
                        bucket.append(row)

    @classmethod
    def from_store(cls, conn) -> "Gazetteer":
        """The gazetteer a SQLite store was loaded with (its provinces table), else the patterns file."""
        try:
            cur = conn.execute("SELECT id, name, name_vi, code, era, merged_into, merged_into_code, merged_from, "
                               "variants FROM provinces")
        except Exception:  # a store without the table: fall back to the patterns file
            return cls()
        names = [d[0] for d in cur.description]
        rows = []
        for values in cur.fetchall():
            row = dict(zip(names, values))
            row["merged_from"] = json.loads(row["merged_from"]) if row["merged_from"] else []
            row["variants"] = json.loads(row["variants"]) if row["variants"] else []
            rows.append(row)
        return cls(rows) if rows else cls()

    def lookup(self, name: str) -> list[dict]:
        """Gazetteer rows a spelling can mean (old units first)."""
        rows = self._by_key.get(fold_key(name), [])
        return sorted(rows, key=lambda r: r.get("era") != "old")

    def row_for_fact(self, name: str) -> dict | None:
        """The gazetteer row for a record's province name: the old unit when one has that name."""
        if name not in self._fact_rows:
            candidates = self._by_name.get(fold_key(name)) or self.lookup(name)
            ranked = sorted(candidates, key=lambda r: r.get("era") != "old")
            self._fact_rows[name] = ranked[0] if ranked else None
        return self._fact_rows[name]

    def merger_names(self, query: str) -> tuple[set[str], set[str]]:
        """(names the query means itself, names linked to it by the 2025 merger).

        An old unit links to the new unit it was merged into; a new unit links
        to the old units merged into it. 'Bac Giang' -> ({'Bac Giang'}, {'Bac Ninh'});
        'Bac Ninh' -> ({'Bac Ninh'}, {'Bac Giang'}).
        """
        direct: set[str] = set()
        linked: set[str] = set()
        for row in self.lookup(query):
            direct.add(row["name"])
            if row.get("era") == "old" and row.get("merged_into"):
                linked.add(row["merged_into"])
            for old_name in row.get("merged_from") or []:
                linked.add(old_name)
        return direct, linked - direct
