"""Link stage: a document code's issue date and issuing body.

Translated news cites a code with its date and body right after it:

    Résolution n° 57-NQ/TW, datée du 22 décembre 2024 du Politburo
    Schlussfolgerung Nr. 177-KL/TW vom 11. Juli 2025 des Politbüros und des Sekretariats
    Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị

`link_codes` reads the text right after each code mention, step by step: an
optional date cue ("datée du", "vom", "dated", "ngày") followed by a date the
dates extractor already found (its mention offsets, no re-parsing), and a
body phrase ("du Politburo") mapped to a canonical English label. It only
moves over these words, so it never crosses a sentence end. Codes joined by a
connector ("Nr. 253-QD/TW und Nr. 255-QD/TW des Sekretariats vom 24. Januar
2025") share what follows the last one. Several bodies are joined with
" and " ("Politburo and Secretariat"). The words live in
patterns/<lang>/links.json; matching runs on the folded text (no diacritics).

Run it after the codes and dates extractors.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import lru_cache

import regex

from .article import Article
from . import patterns
from .patterns import language_codes, language_file
from .text import fold, word_alternation

_SP = r"[^\S\n]"          # white space within a paragraph
_WORD = r"[^\W\d_][\w'’\-]*"
_MAX_STEPS = 6            # date, body, second body ... then stop


@dataclass(frozen=True)
class LinkRules:
    date_cue: regex.Pattern     # optional cue, then the date must start at .end()
    body: regex.Pattern         # first body (prefix required)
    next_body: regex.Pattern    # a further body after a joiner
    chain_gap: regex.Pattern    # text between two codes that share date and body
    labels: dict                # folded lower-case name -> label


def _key(text: str) -> str:
    return " ".join(fold(text).lower().split())


def _alt(words) -> str:
    """Folded alternation, longest first; a space matches any run of spaces within the paragraph."""
    return word_alternation({_key(w) for w in words if w.strip()}, space=_SP + "+") or "(?!)"


@lru_cache(maxsize=None)
def link_rules(lang: str) -> LinkRules | None:
    """Compiled rules for one language (once per process), None if it has no links.json."""
    data = language_file(lang, "links.json") if lang in language_codes() else None
    if not data:
        return None
    labels = {_key(name): label for label, names in data["bodies"].items() for name in names}
    names = _alt(labels)
    prefix = _alt(data["body_prefixes"])
    ordinal = f"(?:(?:{data['ordinal']}){_SP}+)?" if data.get("ordinal") else ""
    joiners = _alt(data.get("joiners", []))
    articles = _alt(data.get("articles", []))
    signs = _alt(data.get("number_signs", []))
    body_joiners = _alt(data.get("body_joiners", []))
    flags = regex.IGNORECASE
    # An article or prefix may end in an apostrophe glued to the next word ("de l'Instruction").
    return LinkRules(
        date_cue=regex.compile(rf"(?:{_SP}|[,(])*(?:(?:{_alt(data['date_cues'])}){_SP}+)?", flags),
        body=regex.compile(rf"[^\S\n,]*,?{_SP}*(?:{prefix}){_SP}*{ordinal}(?P<name>{names})(?!\w)", flags),
        next_body=regex.compile(
            rf"{_SP}*(?:{body_joiners}){_SP}*(?:(?:{prefix}){_SP}*)?{ordinal}(?P<name>{names})(?!\w)", flags),
        chain_gap=regex.compile(
            rf"{_SP}*(?:,{_SP}*(?:(?:{signs}){_SP}*)?"
            rf"|(?:,{_SP}*)?(?:{joiners}){_SP}+(?:(?:{articles}){_SP}*)?(?:{_WORD}{_SP}+){{0,3}}"
            rf"(?:(?:{signs}){_SP}*)?)", flags),
        labels=labels,
    )


def link_codes(article: Article) -> None:
    """Fill `issued` and `issued_by` of each fact in article.facts["codes"] in place."""
    codes = article.facts.get("codes") or []
    if not codes:
        return
    rules = link_rules(article.lang)
    if rules is None:
        article.warn(f"link: no link words for language {article.lang!r}; code dates and bodies not linked")
        return
    text = article.folded or fold(article.masked or article.text)
    dates_at: dict[int, tuple[str, int]] = {}
    for fact in article.facts.get("dates", []):
        for m in fact.get("mentions", []):
            dates_at.setdefault(m["start"], (fact["value"], m["end"]))
    date_starts = sorted(dates_at)
    mentions = sorted((m["start"], m["end"], id(fact), fact) for fact in codes for m in fact.get("mentions", []))

    i = 0
    while i < len(mentions):
        chain = [mentions[i]]
        while (i + len(chain) < len(mentions)
               and _chained(rules, text, chain[-1][1], mentions[i + len(chain)][0])):
            chain.append(mentions[i + len(chain)])
        issued, bodies = _read_tail(rules, text, chain[-1][1], dates_at, date_starts)
        for _, _, _, fact in chain:
            _assign(article, fact, "issued", issued)
            _assign(article, fact, "issued_by", " and ".join(bodies) if bodies else None)
        i += len(chain)


def _chained(rules: LinkRules, text: str, end: int, next_start: int) -> bool:
    if next_start <= end or text.find("\n", end, next_start) >= 0:
        return False  # (chain_gap never crosses a line end; most codes are paragraphs apart)
    return bool(rules.chain_gap.fullmatch(text, end, next_start, timeout=patterns.REGEX_TIMEOUT))


def _read_tail(rules: LinkRules, text: str, pos: int, dates_at: dict,
               date_starts: list[int]) -> tuple[str | None, list[str]]:
    """Date and bodies in the words right after position `pos` (date_starts: sorted(dates_at))."""
    issued: str | None = None
    bodies: list[str] = []
    for _ in range(_MAX_STEPS):
        if issued is None and _date_ahead_on_line(text, pos, date_starts):
            cue = rules.date_cue.match(text, pos, timeout=patterns.REGEX_TIMEOUT)
            found = dates_at.get(cue.end()) if cue else None
            if found is not None:
                issued, pos = found
                continue
        if not bodies:
            m = rules.body.match(text, pos, timeout=patterns.REGEX_TIMEOUT)
            if m:
                bodies.append(rules.labels[_key(m.group("name"))])
                pos = m.end()
                while (m := rules.next_body.match(text, pos, timeout=patterns.REGEX_TIMEOUT)) is not None:
                    label = rules.labels[_key(m.group("name"))]
                    if label not in bodies:
                        bodies.append(label)
                    pos = m.end()
                continue
        break
    return issued, bodies


def _date_ahead_on_line(text: str, pos: int, date_starts: list[int]) -> bool:
    """Whether a date starts at or after `pos` on the same line: else the date cue,
    which never crosses a line end, cannot lead to one (and need not be run)."""
    i = bisect.bisect_left(date_starts, pos)
    if i == len(date_starts):
        return False
    line_end = text.find("\n", pos)
    return line_end < 0 or date_starts[i] <= line_end


def _assign(article: Article, fact: dict, field: str, value) -> None:
    if value is None:
        return
    old = fact.get(field)
    if old in (None, ""):
        fact[field] = value
    elif field == "issued_by" and _nested(old, value):
        # "du Politburo" after an earlier "du Politburo et du Secrétariat": keep the fuller one.
        fact[field] = max(old, value, key=lambda v: len(v.split(" and ")))
    elif old != value:
        article.warn(f"link: code {fact.get('code')} has {field} {old!r} and {value!r} in different "
                     "mentions; kept the first")


def _nested(a: str, b: str) -> bool:
    """One list of bodies contains the other ("Politburo" within "Politburo and Secretariat")."""
    sa, sb = set(a.split(" and ")), set(b.split(" and "))
    return sa <= sb or sb <= sa
