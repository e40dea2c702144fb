"""Search the SQLite store the way a journalist asks: by free text, document
code, official, province and date, and show each hit in its sentence.

What a hit is:
- with --code / --official / --province: one mention of that fact (the
  sentence it is written in, the mention highlighted). Several of these
  filters together keep the articles that match all of them and show the
  mentions of each. A free-text QUERY given as well keeps only the mentions
  whose sentence contains the query words.
- with only a free-text QUERY: up to 3 sentences per matching article that
  contain query words, articles ranked by relevance (FTS5 bm25).
- with only --from/--to: the articles in that range, with their title.

Dates: --from/--to select articles by their publication date; an article
without one is selected when any date named in its text is in the range.

User text never reaches SQL except as a bound parameter; free text becomes
FTS5 phrases ("word" AND "two words"), so FTS5 operators typed by the user
(AND, OR, NOT, NEAR, *, ^, parentheses, quotes) are searched as plain words.
"""
from __future__ import annotations

import re
import sqlite3
import unicodedata
from dataclasses import asdict, dataclass, field

import regex

from ..text import fold, fold_key
from .gazetteer import Gazetteer
from .records import code_key, fallback_sentence

SENTENCES_PER_ARTICLE = 3
DISPLAY_WIDTH = 320   # longer sentences are cut around the first highlight


class UsageError(ValueError):
    """The query cannot be run as given (bad date, empty query...)."""


@dataclass
class Query:
    text: str | None = None
    code: str | None = None
    official: str | None = None
    province: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    limit: int = 20


@dataclass
class Hit:
    doc_id: str
    published: str | None
    title: str | None
    kind: str                       # code | official | province | text | article
    value: str | None               # the normalized value of the fact, None for text hits
    sentence: str                   # the sentence around the match (or the title)
    sentence_start: int | None      # its offsets in the article text (None for a title)
    sentence_end: int | None
    highlights: list[list[int]] = field(default_factory=list)   # [start, end] into `sentence`
    mention: dict | None = None     # {"start", "end", "text", "rule"}: offsets into the article text
    via_merger: bool = False        # found through the 2025 province merger
    merger: str | None = None       # e.g. "Bac Giang -> Bac Ninh"

    def to_json(self) -> dict:
        return asdict(self)


# ---------------------------------------------------------------- user input

_WORD = regex.compile(r"[\p{L}\p{N}\p{M}]+")
_QUOTED = re.compile(r'"([^"]*)"|(\S+)')


def phrases(user_text: str) -> list[list[str]]:
    """Free text -> phrases of folded lower-case words. "quoted words" stay together;
    everything that is not a letter or digit (operators' punctuation, %, *) is dropped."""
    text = unicodedata.normalize("NFC", user_text or "")
    found = []
    for quoted, bare in _QUOTED.findall(text):
        words = [w.lower() for w in _WORD.findall(fold(quoted if quoted else bare))]
        words = [unicodedata.normalize("NFKD", w) for w in words]
        words = ["".join(c for c in w if not unicodedata.combining(c)) for w in words]
        words = [w for w in words if w]
        if words:
            found.append(words)
    return found


def fts_query(user_text: str) -> str | None:
    """An FTS5 MATCH expression that can only mean 'these phrases, all of them'."""
    parts = ['"' + " ".join(words).replace('"', '""') + '"' for words in phrases(user_text)]
    return " AND ".join(parts) if parts else None


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def date_bound(value: str | None, end: bool) -> str | None:
    """'2025' -> '2025-01-01' (from) or '2025-12-31' (to); 'YYYY-MM' likewise; YYYY-MM-DD as is."""
    if value is None:
        return None
    m = _DATE.match(value.strip())
    if not m or (m.group(2) and not 1 <= int(m.group(2)) <= 12) or (m.group(3) and not 1 <= int(m.group(3)) <= 31):
        raise UsageError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = m.group(1), m.group(2), m.group(3)
    return f"{year}-{month or ('12' if end else '01')}-{day or ('31' if end else '01')}"


# ---------------------------------------------------------------- matching text

def _folded_lower(text: str) -> str:
    """fold + lower, keeping the length so offsets still fit the original."""
    folded = fold(text)
    lowered = folded.lower()
    if len(lowered) == len(folded):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)


def phrase_regex(all_phrases: list[list[str]]):
    if not all_phrases:
        return None
    alternatives = [r"[^\p{L}\p{N}]+".join(regex.escape(w) for w in words) for words in all_phrases]
    return regex.compile(r"(?<![\p{L}\p{N}])(?:" + "|".join(alternatives) + r")(?![\p{L}\p{N}])")


def find_terms(text: str, pattern) -> list[tuple[int, int, str]]:
    """(start, end, matched folded text) of every query phrase in `text`."""
    if pattern is None or not text:
        return []
    lowered = _folded_lower(text)
    return [(m.start(), m.end(), m.group()) for m in pattern.finditer(lowered, timeout=2.0)]


# ---------------------------------------------------------------- the search

_MENTION_KINDS = {
    # kind: (mention table, fact table, fact id column in mentions, value column)
    "code": ("document_mentions", "documents", "document_id", "code"),
    "official": ("official_mentions", "officials", "official_id", "name"),
    "province": ("province_mentions", "article_provinces", "article_province_id", "name"),
}


class Searcher:
    def __init__(self, conn: sqlite3.Connection, gazetteer: Gazetteer | None = None):
        self.conn = conn
        self.gazetteer = gazetteer or Gazetteer.from_store(conn)

    # Each fact filter is (SQL condition on the fact table alias f, parameters).
    def _code_condition(self, code: str):
        key = code_key(code)
        if not key:
            raise UsageError("--code is empty")
        return "f.code_key = ?", [key]

    def _official_condition(self, name: str):
        words = fold_key(name).split()
        if not words:
            raise UsageError("--official is empty")
        # Every word of the query is a whole word of the key: 'Van Gau' finds 'nguyen van gau'.
        sql = " AND ".join("instr(' ' || f.key || ' ', ?) > 0" for _ in words)
        return sql, [f" {w} " for w in words]

    def _province_names(self, name: str) -> tuple[set[str], set[str]]:
        if not fold_key(name):
            raise UsageError("--province is empty")
        direct, linked = self.gazetteer.merger_names(name)
        if not direct:  # not in the gazetteer: compare the name as written, diacritics aside
            direct = {fold_key(name)}
        return {fold_key(n) for n in direct}, {fold_key(n) for n in linked}

    def _province_condition(self, name: str):
        direct, linked = self._province_names(name)
        names = sorted(direct | linked)
        return f"lower(f.name) IN ({', '.join('?' for _ in names)})", names

    def _article_filters(self, q: Query) -> tuple[list[str], list]:
        """Conditions on articles alias a shared by every kind of hit."""
        where, params = [], []
        lo, hi = date_bound(q.date_from, end=False), date_bound(q.date_to, end=True)
        if lo or hi:
            lo, hi = lo or "0000-00-00", hi or "9999-99-99"
            where.append("(a.published BETWEEN ? AND ? OR (a.published IS NULL AND EXISTS "
                         "(SELECT 1 FROM dates d WHERE d.doc_id = a.doc_id AND d.value BETWEEN ? AND ?)))")
            params += [lo, hi, lo, hi]
        for kind, value in (("code", q.code), ("official", q.official), ("province", q.province)):
            if value is None:
                continue
            condition, cparams = self._condition(kind, value)
            _, fact_table, _, _ = _MENTION_KINDS[kind]
            where.append(f"EXISTS (SELECT 1 FROM {fact_table} f WHERE f.doc_id = a.doc_id AND {condition})")
            params += cparams
        return where, params

    def _condition(self, kind: str, value: str):
        return {"code": self._code_condition, "official": self._official_condition,
                "province": self._province_condition}[kind](value)

    def search(self, q: Query) -> list[Hit]:
        if q.limit < 1:
            raise UsageError("--limit must be at least 1")
        match = fts_query(q.text) if q.text is not None else None
        if q.text is not None and match is None:
            raise UsageError(f"the query {q.text!r} has no words to search for")
        facts = [(k, v) for k, v in (("code", q.code), ("official", q.official), ("province", q.province)) if v is not None]
        if not facts and match is None and not (q.date_from or q.date_to):
            raise UsageError("give a QUERY, --code, --official, --province or --from/--to")
        pattern = phrase_regex(phrases(q.text)) if match else None
        if facts:
            return self._mention_hits(q, facts, match, pattern)
        if match:
            return self._text_hits(q, match, pattern)
        return self._article_hits(q)

    def _mention_hits(self, q: Query, facts, match, pattern) -> list[Hit]:
        where, params = self._article_filters(q)
        hits: list[Hit] = []
        for kind, value in facts:
            mention_table, fact_table, fk, value_col = _MENTION_KINDS[kind]
            condition, cparams = self._condition(kind, value)
            sql_where = [condition] + where
            sql_params = cparams + params
            if match:
                sql_where.append("m.sentence_id IN (SELECT rowid FROM sentences_fts WHERE sentences_fts MATCH ?)")
                sql_params.append(match)
            sql = (f"SELECT a.doc_id, a.published, a.title, f.{value_col}, m.start_char, m.end_char, m.text, m.rule, "
                   f"s.start_char, s.end_char, s.text, a.text "
                   f"FROM {mention_table} m JOIN {fact_table} f ON f.id = m.{fk} "
                   f"JOIN articles a ON a.doc_id = m.doc_id LEFT JOIN sentences s ON s.id = m.sentence_id "
                   f"WHERE {' AND '.join(sql_where)} "
                   f"ORDER BY a.published IS NULL, a.published DESC, a.doc_id, m.start_char LIMIT ?")
            direct = self._province_names(value)[0] if kind == "province" else set()
            for row in self.conn.execute(sql, sql_params + [q.limit]):
                (doc_id, published, title, fact_value, start, end, written, rule,
                 s_start, s_end, s_text, article_text) = row
                if s_text is None:  # no sentence stored (record without text): show what we can
                    if article_text and 0 <= start <= end <= len(article_text):
                        s_start, s_end = fallback_sentence(article_text, start, end)
                        s_text = article_text[s_start:s_end]
                    else:
                        s_start, s_end, s_text = start, end, written
                rel = [[start - s_start, end - s_start]]
                rel += [[a, b] for a, b, _ in find_terms(s_text, pattern)]
                hit = Hit(doc_id, published, title, kind, fact_value, s_text, s_start, s_end, rel,
                          {"start": start, "end": end, "text": written, "rule": rule})
                if kind == "province" and fold_key(fact_value) not in direct:
                    hit.via_merger = True
                    hit.merger = self._merger_note(value, fact_value)
                hits.append(hit)
        # Newest articles first, undated last; within an article, reading order.
        hits.sort(key=lambda h: (h.doc_id, h.mention["start"]))
        hits.sort(key=lambda h: h.published or "", reverse=True)
        hits.sort(key=lambda h: h.published is None)
        return hits[:q.limit]

    def _merger_note(self, query: str, found: str) -> str:
        """'Bac Giang -> Bac Ninh': which way the 2025 merger links what was asked to what was found."""
        for row in self.gazetteer.lookup(query):
            if row.get("era") == "old" and row.get("merged_into") and fold_key(row["merged_into"]) == fold_key(found):
                return f"{row['name']} -> {row['merged_into']}"
            if any(fold_key(n) == fold_key(found) for n in row.get("merged_from") or []):
                return f"{found} -> {row['name']}"
        return f"{query} ~ {found}"

    def _text_hits(self, q: Query, match: str, pattern) -> list[Hit]:
        where, params = self._article_filters(q)
        sql = ("SELECT a.doc_id, a.published, a.title, a.text FROM articles_fts "
               "JOIN articles a ON a.article_id = articles_fts.rowid "
               f"WHERE articles_fts MATCH ? {''.join(' AND ' + w for w in where)} "
               "ORDER BY bm25(articles_fts), a.doc_id LIMIT ?")
        hits: list[Hit] = []
        for doc_id, published, title, text in self.conn.execute(sql, [match] + params + [q.limit]):
            found = self._best_sentences(text or "", pattern)
            if not found:  # the words are in the title only
                rel = [[a, b] for a, b, _ in find_terms(title or "", pattern)]
                found = [(None, None, title or "", rel)]
            for s_start, s_end, sentence, rel in found:
                hits.append(Hit(doc_id, published, title, "text", None, sentence, s_start, s_end, rel))
                if len(hits) >= q.limit:
                    return hits
        return hits

    @staticmethod
    def _best_sentences(text: str, pattern):
        by_sentence: dict[tuple[int, int], list[tuple[int, int, str]]] = {}
        for start, end, term in find_terms(text, pattern):
            bounds = fallback_sentence(text, start, end)
            by_sentence.setdefault(bounds, []).append((start, end, term))
        # Only the sentences with the most different query words, in reading order.
        best = max((len({t for _, _, t in terms}) for terms in by_sentence.values()), default=0)
        chosen = [kv for kv in sorted(by_sentence.items()) if len({t for _, _, t in kv[1]}) == best]
        chosen = chosen[:SENTENCES_PER_ARTICLE]
        return [(s, e, text[s:e], [[a - s, b - s] for a, b, _ in terms]) for (s, e), terms in chosen]

    def _article_hits(self, q: Query) -> list[Hit]:
        where, params = self._article_filters(q)
        sql = ("SELECT a.doc_id, a.published, a.title, a.text, a.error_kind FROM articles a "
               f"WHERE {' AND '.join(where)} "
               "ORDER BY a.published IS NULL, a.published DESC, a.doc_id LIMIT ?")
        hits = []
        for doc_id, published, title, text, error_kind in self.conn.execute(sql, params + [q.limit]):
            shown = title or (text or "").strip().split("\n", 1)[0][:DISPLAY_WIDTH] or f"(failed: {error_kind})"
            hits.append(Hit(doc_id, published, title, "article", None, shown, None, None, []))
        return hits


# ---------------------------------------------------------------- output

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _merge(spans: list[list[int]], length: int) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for a, b in sorted((max(0, a), min(length, b)) for a, b in spans):
        if a >= b:
            continue
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [(a, b) for a, b in merged]


def render_sentence(hit: Hit, bold: bool) -> str:
    """The sentence on one line with the matches marked (ANSI bold, or [brackets])."""
    text = _CONTROL.sub(" ", hit.sentence)   # no terminal escapes from article text
    spans = _merge(hit.highlights, len(text))
    lo, hi = 0, len(text)
    if len(text) > DISPLAY_WIDTH:
        first = spans[0][0] if spans else 0
        lo = max(0, first - DISPLAY_WIDTH // 2)
        hi = min(len(text), lo + DISPLAY_WIDTH)
        lo = max(0, min(lo, hi - DISPLAY_WIDTH))
    on, off = ("\x1b[1m", "\x1b[0m") if bold else ("[", "]")
    out, pos = [], lo
    for a, b in spans:
        a, b = max(a, lo), min(b, hi)
        if a >= b:
            continue
        out += [text[pos:a], on, text[a:b], off]
        pos = b
    out.append(text[pos:hi])
    line = " ".join("".join(out).split())
    return ("… " if lo > 0 else "") + line + (" …" if hi < len(text) else "")


def render_hit(hit: Hit, bold: bool) -> str:
    label = {"text": "text", "article": "article"}.get(hit.kind, f"{hit.kind} {hit.value}")
    head = f"{hit.doc_id}  {hit.published or 'undated'}  {label}"
    if hit.via_merger:
        head += f"  (via merger: {hit.merger})"
    return _CONTROL.sub(" ", head) + "\n    " + render_sentence(hit, bold)
