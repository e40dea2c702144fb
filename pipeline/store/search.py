"""Search the SQLite store the way a journalist asks: by free text, document
code, official, province and date; every hit is an article, shown with the
sentences that prove it.

A hit is an article (title, date, URL, publisher) with its matches:
- with --code / --official / --province: each mention of that fact, in its
  sentence, the mention highlighted. Several of these filters keep the
  articles that have all of them. A free-text QUERY given as well keeps the
  articles where each fact is written in a sentence holding the query words,
  and only those mentions.
- with only a free-text QUERY: the sentences holding the most query words,
  articles ranked by relevance (FTS5 bm25). The index holds the article text
  masked as extraction masks it, so site chrome and URL slugs never match.
- with only dates: the articles, newest first.

`--from/--to` select by the article's own publication date (undated articles
are left out, and the result says how many); `--cited-from/--cited-to` by the
dates an article names. `total` counts every matching article, so a cut at
--limit is never silent.

User text never reaches SQL except as a bound parameter (free text: see
fulltext.py).
"""
from __future__ import annotations

import difflib
import re
import sqlite3
from dataclasses import asdict, dataclass, field

import regex

from ..text import fold_key
from .fact_tables import code_key
from .fulltext import QueryError, check_length, find_terms, fts_query, phrase_regex, phrases
from .gazetteer import Gazetteer
from .records import fallback_sentence

MAX_LIMIT = 1_000_000
_IN_CHUNK = 500   # doc_ids per IN (...) list


class UsageError(ValueError):
    """The query cannot be run as given (bad date, empty query, too long...)."""


@dataclass
class Query:
    text: str | None = None
    code: str | None = None
    official: str | None = None
    province: str | None = None
    merger: bool = True                 # --province also finds units linked by the 2025 merger
    published_from: str | None = None   # the article's own date
    published_to: str | None = None
    cited_from: str | None = None       # dates the article names
    cited_to: str | None = None
    limit: int = 20


@dataclass
class Match:
    """One sentence of an article that proves the hit."""
    kind: str                       # code | official | province | text | title
    value: str | None               # the normalized value of the fact; None for text
    sentence: str                   # the sentence (or the title)
    sentence_start: int | None      # its offsets in the article text (None for a title)
    sentence_end: int | None
    highlights: list[list[int]] = field(default_factory=list)   # [start, end] into `sentence`
    mention: dict | None = None     # {"start", "end", "text", "rule"}: offsets into the article text
    via_merger: bool = False        # found through the 2025 province merger
    merger: str | None = None       # e.g. "Bac Giang -> Bac Ninh"


@dataclass
class Hit:
    """One article and its matches."""
    doc_id: str
    title: str | None
    published: str | None
    url: str | None
    publisher: str | None
    language: str | None
    matches: list[Match] = field(default_factory=list)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Result:
    hits: list[Hit]
    total: int                      # articles matching in all (hits is the first `limit` of them)
    undated: int | None = None      # with --from/--to: undated articles left out
    notes: list[str] = field(default_factory=list)   # why nothing was found, what to try

    @property
    def more(self) -> int:
        return self.total - len(self.hits)


_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


def date_bound(value: str | None, end: bool, flag: str) -> str | None:
    """'2025' -> '2025-01-01' (from) or '2025-12-31' (to); 'YYYY-MM' likewise; YYYY-MM-DD as is."""
    if value is None:
        return None
    m = _DATE.match(value.strip())
    if not m or (m.group(2) and not 1 <= int(m.group(2)) <= 12) or (m.group(3) and not 1 <= int(m.group(3)) <= 31):
        raise UsageError(f"{flag}: not a date: {value[:40]!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = m.group(1), m.group(2), m.group(3)
    return f"{year}-{month or ('12' if end else '01')}-{day or ('31' if end else '01')}"


@dataclass(frozen=True)
class _Kind:
    mentions: str    # mention table
    facts: str       # fact table
    fk: str          # fact id column in the mention table
    value: str       # value column of the fact table


_KINDS = {
    "code": _Kind("document_mentions", "documents", "document_id", "code"),
    "official": _Kind("official_mentions", "officials", "official_id", "name"),
    "province": _Kind("province_mentions", "article_provinces", "article_province_id", "name"),
}
_ARTICLE_COLUMNS = "a.doc_id, a.title, a.published, a.url, a.publisher, a.language"
_NEWEST_FIRST = "a.published IS NULL, a.published DESC, a.doc_id"


def _chunks(items: list, size: int = _IN_CHUNK):
    for i in range(0, len(items), size):
        yield items[i:i + size]


class Searcher:
    def __init__(self, conn: sqlite3.Connection, gazetteer: Gazetteer | None = None):
        self.conn = conn
        self.gazetteer = gazetteer or Gazetteer.from_store(conn)

    # ------------------------------------------------------------ conditions

    def _facts(self, q: Query) -> list[tuple[str, str, str, list]]:
        """(kind, value as typed, SQL condition on fact alias f, parameters) per fact filter."""
        facts = []
        for kind, value in (("code", q.code), ("official", q.official), ("province", q.province)):
            if value is None:
                continue
            try:
                check_length(value, f"--{kind}")
            except QueryError as exc:
                raise UsageError(str(exc)) from None
            if not fold_key(value):
                raise UsageError(f"--{kind} is empty")
            condition, params = getattr(self, f"_{kind}_condition")(value, q)
            facts.append((kind, value, condition, params))
        return facts

    @staticmethod
    def _code_condition(code: str, q: Query):
        key = code_key(code)
        if not key:
            raise UsageError("--code is empty")
        return "f.code_key = ?", [key]

    @staticmethod
    def _official_condition(name: str, q: Query):
        # Every word typed is a whole word of the key: 'Van Gau' finds 'nguyen van gau'.
        words = fold_key(name).split()
        return " AND ".join("instr(' ' || f.key || ' ', ?) > 0" for _ in words), [f" {w} " for w in words]

    def province_names(self, name: str, merger: bool = True) -> tuple[set[str], set[str]]:
        """(folded names the query means, folded names linked to it by the merger)."""
        direct, linked = self.gazetteer.merger_names(name)
        if not direct:  # not in the gazetteer: compare the name as written, diacritics aside
            direct = {name}
        return {fold_key(n) for n in direct}, ({fold_key(n) for n in linked} if merger else set())

    def _province_condition(self, name: str, q: Query):
        direct, linked = self.province_names(name, q.merger)
        names = sorted(direct | linked)
        return f"lower(f.name) IN ({', '.join('?' for _ in names)})", names

    def _article_conditions(self, q: Query, facts, sentence_match: str | None,
                            undated: bool = False) -> tuple[list[str], list]:
        """Conditions on articles (alias a). `undated`: the same filters, but only the
        articles without a publication date (to count what --from/--to left out)."""
        where, params = [], []
        lo = date_bound(q.published_from, end=False, flag="--from")
        hi = date_bound(q.published_to, end=True, flag="--to")
        if undated:
            where.append("a.published IS NULL")
        elif lo or hi:
            where.append("a.published BETWEEN ? AND ?")
            params += [lo or "0000-00-00", hi or "9999-99-99"]
        c_lo = date_bound(q.cited_from, end=False, flag="--cited-from")
        c_hi = date_bound(q.cited_to, end=True, flag="--cited-to")
        if c_lo or c_hi:
            where.append("EXISTS (SELECT 1 FROM dates d WHERE d.doc_id = a.doc_id AND d.value BETWEEN ? AND ?)")
            params += [c_lo or "0000-00-00", c_hi or "9999-99-99"]
        for kind, _, condition, cparams in facts:
            k = _KINDS[kind]
            if sentence_match:
                where.append(f"EXISTS (SELECT 1 FROM {k.facts} f JOIN {k.mentions} m ON m.{k.fk} = f.id "
                             f"WHERE f.doc_id = a.doc_id AND {condition} AND m.sentence_id IN "
                             "(SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?))")
                params += cparams + [sentence_match]
            else:
                where.append(f"EXISTS (SELECT 1 FROM {k.facts} f WHERE f.doc_id = a.doc_id AND {condition})")
                params += cparams
        return where, params

    # ------------------------------------------------------------ the search

    def search(self, q: Query) -> Result:
        if not 1 <= q.limit <= MAX_LIMIT:
            raise UsageError(f"--limit must be between 1 and {MAX_LIMIT}")
        try:
            match = fts_query(q.text) if q.text is not None else None
            pattern = phrase_regex(phrases(q.text)) if match else None
        except QueryError as exc:
            raise UsageError(str(exc)) from None
        if q.text is not None and match is None:
            raise UsageError(f"the query {q.text[:60]!r} has no words to search for")
        facts = self._facts(q)
        dated = any((q.published_from, q.published_to, q.cited_from, q.cited_to))
        if not facts and match is None and not dated:
            raise UsageError("give a QUERY, --code, --official, --province, or dates (--from/--to, --cited-from/--cited-to)")

        text_only = match is not None and not facts
        where, params = self._article_conditions(q, facts, None if text_only else match)
        if text_only:
            where.insert(0, "a.article_id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
            params.insert(0, match)
        total = self._count(where, params)
        undated = None
        if q.published_from or q.published_to:
            u_where, u_params = self._article_conditions(q, facts, None if text_only else match, undated=True)
            if text_only:
                u_where.insert(0, "a.article_id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)")
                u_params.insert(0, match)
            undated = self._count(u_where, u_params)

        if text_only:  # ranked by relevance
            rows = self.conn.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles_fts JOIN articles a ON a.article_id = articles_fts.rowid "
                f"WHERE articles_fts MATCH ? AND {' AND '.join(where[1:]) or '1'} "
                "ORDER BY bm25(articles_fts), a.doc_id LIMIT ?", [match] + params[1:] + [q.limit]).fetchall()
        else:
            rows = self.conn.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE {' AND '.join(where)} "
                                     f"ORDER BY {_NEWEST_FIRST} LIMIT ?", params + [q.limit]).fetchall()
        hits = [Hit(*row) for row in rows]
        if facts:
            self._add_fact_matches(hits, facts, match, pattern, q)
        elif match:
            self._add_text_matches(hits, pattern)
        result = Result(hits, total, undated)
        if not hits:
            result.notes = self._why_nothing(q, facts)
        return result

    def _count(self, where: list[str], params: list) -> int:
        return self.conn.execute(f"SELECT count(*) FROM articles a WHERE {' AND '.join(where) or '1'}",
                                 params).fetchone()[0]

    # ------------------------------------------------------------ matches

    def _add_fact_matches(self, hits: list[Hit], facts, match, pattern, q: Query) -> None:
        by_doc = {h.doc_id: h for h in hits}
        for kind, value, condition, cparams in facts:
            k = _KINDS[kind]
            direct = self.province_names(value)[0] if kind == "province" else set()
            for chunk in _chunks(list(by_doc)):
                sql = (f"SELECT m.doc_id, f.{k.value}, m.start_char, m.end_char, m.text, m.rule, "
                       f"s.start_char, s.end_char, s.text FROM {k.mentions} m JOIN {k.facts} f ON f.id = m.{k.fk} "
                       f"LEFT JOIN sentences s ON s.id = m.sentence_id "
                       f"WHERE m.doc_id IN ({', '.join('?' for _ in chunk)}) AND {condition}")
                params = list(chunk) + cparams
                if match:
                    sql += " AND m.sentence_id IN (SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?)"
                    params.append(match)
                for doc_id, fact_value, start, end, written, rule, s_start, s_end, s_text in self.conn.execute(sql, params):
                    if s_text is None:  # a record without text: the mention is all there is
                        s_start, s_end, s_text = start, end, written
                    highlights = [[start - s_start, end - s_start]]
                    highlights += [[a, b] for a, b, _ in find_terms(s_text, pattern)]
                    found = Match(kind, fact_value, s_text, s_start, s_end, highlights,
                                  {"start": start, "end": end, "text": written, "rule": rule})
                    if kind == "province" and fold_key(fact_value) not in direct:
                        found.via_merger, found.merger = True, self._merger_note(value, fact_value)
                    by_doc[doc_id].matches.append(found)
        for hit in hits:  # what was asked for first, then what the merger links to it; each in reading order
            hit.matches.sort(key=lambda m: (m.via_merger, m.mention["start"], m.kind))

    def _merger_note(self, query: str, found: str) -> str:
        """'Bac Giang -> Bac Ninh': which way the 2025 merger links what was asked to what was found."""
        for row in self.gazetteer.lookup(query):
            if row.get("era") == "old" and row.get("merged_into") and fold_key(row["merged_into"]) == fold_key(found):
                return f"{row['name']} -> {row['merged_into']}"
            if any(fold_key(n) == fold_key(found) for n in row.get("merged_from") or []):
                return f"{found} -> {row['name']}"
        return f"{query} ~ {found}"

    def _add_text_matches(self, hits: list[Hit], pattern) -> None:
        by_doc = {h.doc_id: h for h in hits}
        for chunk in _chunks(list(by_doc)):
            rows = self.conn.execute(
                "SELECT a.doc_id, d.text, f.text FROM articles a JOIN article_details d ON d.doc_id = a.doc_id "
                "JOIN articles_fts f ON f.rowid = a.article_id "
                f"WHERE a.doc_id IN ({', '.join('?' for _ in chunk)})", chunk)
            for doc_id, text, searchable in rows:
                hit = by_doc[doc_id]
                hit.matches = best_sentences(text or "", searchable or "", pattern)
                if not hit.matches:  # the words are in the title only
                    marks = [[a, b] for a, b, _ in find_terms(hit.title or "", pattern)]
                    hit.matches = [Match("title", None, hit.title or "", None, None, marks)]

    # ------------------------------------------------------------ nothing found

    def _why_nothing(self, q: Query, facts) -> list[str]:
        notes = []
        for kind, value, condition, cparams in facts:
            k = _KINDS[kind]
            cited = self.conn.execute(f"SELECT count(DISTINCT f.doc_id) FROM {k.facts} f WHERE {condition}",
                                      cparams).fetchone()[0]
            if cited:
                notes.append(f"--{kind} {value}: in {cited} article(s), but none that matches the other filters")
                continue
            nearest = getattr(self, f"_nearest_{kind}")(value)
            if nearest:
                notes.append(f"--{kind} {value}: not in the store; nearest known: {', '.join(nearest)}")
            else:
                notes.append(f"--{kind} {value}: not in the store")
        return notes

    def _nearest_code(self, code: str, n: int = 5) -> list[str]:
        """Known codes closest to what was typed: the same parts in another order or with other
        separators first (57/NQ-TW -> 57-NQ/TW), then the closest spellings."""
        key = code_key(code)
        parts = sorted(regex.findall(r"[0-9A-Z]+", key))
        known = dict(self.conn.execute("SELECT code_key, min(code) FROM documents GROUP BY code_key"))
        same = [k for k in known if sorted(regex.findall(r"[0-9A-Z]+", k)) == parts]
        close = difflib.get_close_matches(key, list(known), n=n, cutoff=0.6)
        return [known[k] for k in dict.fromkeys(same + close)][:n]

    def _nearest_official(self, name: str, n: int = 5) -> list[str]:
        known = dict(self.conn.execute("SELECT key, min(name) FROM officials GROUP BY key"))
        return [known[k] for k in difflib.get_close_matches(fold_key(name), list(known), n=n, cutoff=0.7)]

    def _nearest_province(self, name: str, n: int = 3) -> list[str]:
        return self.gazetteer.nearest(name, n)


def best_sentences(text: str, searchable: str, pattern) -> list[Match]:
    """The sentences of `text` holding the most different query words, in reading order.
    The words are looked for in `searchable` (the folded, masked text: same offsets)."""
    by_sentence: dict[tuple[int, int], list[tuple[int, int, str]]] = {}
    for start, end, term in find_terms(searchable, pattern):
        by_sentence.setdefault(fallback_sentence(text, start, end), []).append((start, end, term))
    best = max((len({t for _, _, t in terms}) for terms in by_sentence.values()), default=0)
    return [Match("text", None, text[s:e], s, e, [[a - s, b - s] for a, b, _ in terms])
            for (s, e), terms in sorted(by_sentence.items()) if len({t for _, _, t in terms}) == best]
