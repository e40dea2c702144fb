"""Document codes: Party `57-NQ/TW`, State `55/QĐ-BXD`, `15/2025/NĐ-CP`, `202/2025/QH15`.

Two structural patterns (Party: number-TYPE/ISSUER; State: number/[year/]TYPE-ISSUER)
find candidates; the abbreviation tables in patterns/codes.json validate
them (Presidio-style validate step), so `COVID-19`, dates, phone numbers and
prose never pass. Cue words before a code (patterns/<lang>/codes.json) are
checked against its type: a mismatch keeps the code and adds a warning.
"""
from __future__ import annotations

import bisect
from functools import lru_cache

import regex

from ..article import Article
from ..facts import Hit
from ..patterns import LANGUAGES, REGEX_TIMEOUT, alternation, lang_file, load_json
from ..text import fold

_DASH = r"[-\u2010\u2011\u2012\u2013\u2014\u2212]"
_UP = r"[A-ZĐÐ]"
_ABBR = r"[A-ZĐÐa-zđ][A-ZĐÐa-zđ0-9]*"
# Further parts of an issuer: glued with a dash ("TWĐTN-VP"), or spaced when all capitals ("NĐ - CP").
_CHAIN = rf"(?:{_DASH}{_UP}[A-ZĐÐa-zđ0-9]*|[ \t]+{_DASH}[ \t]+{_UP}[A-ZĐÐ0-9]+(?!\p{{Ll}}))"
# Not glued to a number, slash or dash on the left ("1.57-NQ", "x/57-NQ"); letters are fine: "số31-QĐ/TW", "No.127-KL/TW".
_LEFT = r"(?<![\p{N}/\-])(?<!\p{N}[.,])"
_RIGHT = r"(?![\p{L}\p{N}])"

# Each pattern in two parts: what comes before the first "/" of a code, and what follows it.
_PARTY = (rf"{_LEFT}(?P<num>\d{{1,5}})[ \t]*{_DASH}[ \t]*(?P<type>{_ABBR})[ \t]*",
          rf"[ \t]*(?P<issuer>{_UP}[A-ZĐÐa-zđ0-9]*(?:{_CHAIN})*){_RIGHT}")
_STATE = (rf"{_LEFT}(?P<num>\d{{1,5}})[ \t]*",
          rf"[ \t]*(?:(?P<year>(?:19|20)\d\d)[ \t]*/[ \t]*)?(?P<first>{_UP}[A-ZĐÐa-zđ0-9]*)(?P<rest>(?:{_CHAIN})+){_RIGHT}")
_LEGISLATURE = (rf"{_LEFT}(?P<num>\d{{1,5}})[ \t]*",
                rf"[ \t]*(?P<year>(?:19|20)\d\d)[ \t]*/[ \t]*(?P<issuer>(?:UBTV)?QH\d{{1,2}}){_RIGHT}")

PARTY = regex.compile("/".join(_PARTY))
STATE = regex.compile("/".join(_STATE))
LEGISLATURE = regex.compile("/".join(_LEGISLATURE))


def slash_first(before: str, after: str) -> regex.Pattern:
    """The pattern before + "/" + after, rewritten to start at that slash.

    To scan for a pattern that opens with \\d, the regex module tests every
    character; one that opens with a literal it finds at memchr speed (~5x
    faster here). So `before` becomes a lookbehind, whose groups are kept, and
    a match starts at the slash: the code starts at m.start("num"). Nothing in
    `before` can hold a "/", and it matches backwards in exactly one way (the
    whole digit run, the whole abbreviation), as it does forwards.
    Run it with finditer(overlapped=True), which tries every slash, then skip
    a match that starts inside the one before, as finditer(PARTY...) does.
    """
    return regex.compile(rf"/(?<={before}/){after}")


_SLASH_FIRST = {pattern: slash_first(*parts) for pattern, parts in
                ((LEGISLATURE, _LEGISLATURE), (STATE, _STATE), (PARTY, _PARTY))}

_SPLIT = regex.compile(r"\s*" + _DASH + r"\s*")
_SPACES = regex.compile(r"\s+")
_TRAILING_DIGITS = regex.compile(r"\d+$")


@lru_cache(maxsize=4096)  # the same types, issuers and codes recur in every article
def canonical(raw: str) -> str:
    """'15/2025/NĐ - CP' -> '15/2025/ND-CP': spaces out, dashes to '-' (fold does that), Đ->D, upper case."""
    return _SPACES.sub("", fold(raw)).upper()


class CodesExtractor:
    entity = "codes"
    key_field = "code"

    def __init__(self):
        data = load_json("codes.json")
        self.types: dict = data["types"]
        self.issuers: dict = data["issuers"]
        self.cues = {}
        for lang in LANGUAGES:
            cfg = lang_file(lang, "codes.json")
            if not cfg:
                continue
            cues = {fold(k).lower(): v for k, v in cfg["cues"].items()}
            signs = alternation(fold(s).lower() for s in cfg["number_signs"])
            # (?r): the match ends at the end of the window, so searching backwards
            # finds it in one try instead of one per start (3 µs less a code). It
            # is the match a forward search gives: of two cues ending there, the
            # alternation (longest first) tries the one starting further left first.
            self.cues[lang] = (
                regex.compile(rf"(?r)(?:^|[^\p{{L}}])(?P<cue>{alternation(cues)})[\s:]*(?:(?:{signs})[\s:]*)?$"),
                cues,
            )

    def find(self, article: Article) -> list[Hit]:
        text = article.masked
        hits: list[Hit] = []
        starts: list[int] = []  # spans already taken, sorted; they never overlap,
        ends: list[int] = []    # so their ends are sorted too
        for pattern, parse in ((LEGISLATURE, self._legislature), (STATE, self._state), (PARTY, self._party)):
            resume_at = 0  # where finditer(pattern) would look for its next match
            for m in _SLASH_FIRST[pattern].finditer(text, overlapped=True, timeout=REGEX_TIMEOUT):
                start, end = m.start("num"), m.end()
                if start < resume_at:
                    continue
                resume_at = end
                i = bisect.bisect_left(starts, end)  # spans starting before this match ends
                if i and ends[i - 1] > start:
                    continue
                fields = parse(m)
                if fields is None:
                    continue
                code = canonical(text[start:end])
                starts.insert(i, start)
                ends.insert(i, end)
                hits.append(Hit(code, start, end, f"codes.{fields['family']}", fields))
                self._check_cue(article, code, fields, start)
        return hits

    # -- validation: a candidate is a code only if its abbreviations are known --

    def _party(self, m) -> dict | None:
        type_ = canonical(m.group("type"))
        issuer = canonical(m.group("issuer"))
        if type_ not in self.types or "party" not in self.types[type_]["family"]:
            return None
        if len(issuer.split("-")[0]) < 2:
            return None
        return self._fields(m.group("num"), None, "party", type_, issuer)

    def _state(self, m) -> dict | None:
        first = canonical(m.group("first"))
        rest = [canonical(p) for p in _SPLIT.split(m.group("rest").strip()) if p]
        if first in self.types and "state" in self.types[first]["family"]:
            return self._fields(m.group("num"), m.group("year"), "state", first, "-".join(rest))
        if first in self.issuers and "state" in self.issuers[first]["family"] and m.group("year") is None:
            # An official letter (công văn) has no type: `1026/TTg-PL` is issuer TTg, unit PL.
            return self._fields(m.group("num"), None, "state", None, "-".join([first] + rest))
        return None

    def _legislature(self, m) -> dict | None:
        return self._fields(m.group("num"), m.group("year"), "state", None, canonical(m.group("issuer")))

    def _fields(self, number, year, family, type_, issuer) -> dict:
        head = _TRAILING_DIGITS.sub("", issuer.split("-")[0])
        issuer_info = self.issuers.get(issuer.split("-")[0]) or self.issuers.get(head)
        return {
            "number": number,
            "year": int(year) if year else None,
            "family": family,
            "type": type_,
            "type_label": self.types[type_]["label"] if type_ else None,
            "issuer": issuer,
            "issuer_label": issuer_info["label"] if issuer_info else None,
            "issued": None,
            "issued_by": None,
        }

    def _check_cue(self, article: Article, code: str, fields: dict, start: int) -> None:
        cue_rules = self.cues.get(article.lang)
        if not cue_rules or fields["type"] is None:
            return
        pattern, cues = cue_rules
        since = max(0, start - 40)
        # article.folded is fold(article.masked), which folds character by character
        window = (article.folded[since:start] if article.folded else fold(article.masked[since:start])).lower()
        m = pattern.search(window, timeout=REGEX_TIMEOUT)
        if not m:
            return
        allowed = cues[m.group("cue")]
        if allowed and fields["type"] not in allowed:
            article.warn(f"code {code}: the cue word {m.group('cue')!r} before it suggests "
                         f"{'/'.join(allowed)}, the code says {fields['type']}")
