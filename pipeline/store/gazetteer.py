"""The province gazetteer as the store uses it: the 63 units before the
1 July 2025 merger ("old") and the 34 after it ("new"), with the old -> new map.

Read from patterns/provinces.jsonl, the same file the extractor matches with.
"""
from __future__ import annotations

import json
from functools import lru_cache

from ..patterns import load_jsonl
from ..text import fold_key


@lru_cache(maxsize=1)
def gazetteer_rows() -> tuple[dict, ...]:
    return tuple(load_jsonl("provinces.jsonl"))


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
