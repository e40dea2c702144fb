"""The province gazetteer as the store uses it: the 63 units before the
1 July 2025 merger ("old") and the 34 after it ("new"), with the old -> new map.

Read from patterns/provinces.jsonl, the same file the extractor matches with,
through the pattern loader. For lookups by what a person types, each unit also
answers to:
- its ambiguous spellings (`Hồ Chí Minh` is only a place in text after a cue,
  but typed as a province it can only mean the city);
- the search-only aliases of patterns/province_variants.json (`Sài Gòn`);
- a new unit to the spellings of the old unit whose name it kept
  (`TP HCM` is the old city and the new, larger one).
These spellings go into the store's `provinces.variants`, so a store keeps the
gazetteer it was loaded with.
"""
from __future__ import annotations

import difflib
import json
from functools import lru_cache

from ..patterns import PatternError, read_json, read_rows
from ..text import fold_key


def _search_aliases(old_names: set[str]) -> dict[str, list[str]]:
    """patterns/province_variants.json `search_aliases`: old unit name -> spellings."""
    data = read_json("province_variants.json")
    aliases = {k: v for k, v in (data.get("search_aliases") or {}).items() if k != "_comment"}
    for name, spellings in aliases.items():
        where = f"province_variants.json search_aliases[{name!r}]"
        if name not in old_names:
            raise PatternError(f"{where}: not a pre-2025 province name in provinces.jsonl")
        if not isinstance(spellings, list) or not all(isinstance(s, str) and s.strip() for s in spellings):
            raise PatternError(f"{where}: expected a list of spellings")
    return aliases


@lru_cache(maxsize=1)
def gazetteer_rows() -> tuple[dict, ...]:
    """The rows of provinces.jsonl, each with every spelling a search may use in `variants`."""
    rows = [dict(row) for row in read_rows("provinces.jsonl")]
    old = {row["name"]: row for row in rows if row.get("era") == "old"}
    aliases = _search_aliases(set(old))
    for row in rows:
        if row.get("era") == "old":
            extra = list(row.get("ambiguous_variants") or []) + aliases.get(row["name"], [])
        else:
            namesake = old.get(row["name"])
            extra = [namesake.get("name_vi"), *namesake.get("variants", [])] if namesake else []
            extra += aliases.get(row["name"], [])
        known = set(row.get("variants") or [])
        row["variants"] = list(row.get("variants") or []) + [s for s in dict.fromkeys(extra) if s and s not in known]
    return tuple(rows)


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

    def nearest(self, name: str, n: int = 3) -> list[str]:
        """Official names of the units whose spellings come closest to `name` (for 'did you mean')."""
        close = difflib.get_close_matches(fold_key(name), list(self._by_key), n=n * 3, cutoff=0.7)
        names = [row["name"] for key in close for row in self._by_key[key]]
        return list(dict.fromkeys(names))[:n]

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
