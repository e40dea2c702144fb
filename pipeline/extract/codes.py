"""Document codes: Party `57-NQ/TW`, State `55/QĐ-BXD`, `15/2025/NĐ-CP`, `202/2025/QH15`, `1026/TTg-PL`.

One structural pattern finds every candidate: a number, then either a dash and
a type before the first slash (Party order, `57-NQ/TW`, also old State
`37-L/CTN`), or the slash straight away (State order, `55/QĐ-BXD`), an
optional year, and a chain of abbreviations joined by dashes or slashes
(`141/2010/TTLT/BQP-BTP`), perhaps with a trailing year (`01/BXD-QLN-1996`).
A second, small pattern finds the old type-less State codes written with a
dash (`43-CP`). `_classify` then reads the abbreviations against the tables in
patterns/codes.json and decides which shape it is:

    party        NUMBER-TYPE/ISSUER[-UNIT]           57-NQ/TW, 10-LCT/HĐNN7
    state        NUMBER/[YEAR/]TYPE-ISSUER[-...]     15/2025/NĐ-CP, 170/KL-TW
    letter       NUMBER/[YEAR/]ISSUER-UNIT[-...]     1026/TTg-PL, 684/TCT-CS
    issuer_only  NUMBER/[YEAR/]ISSUER                202/2025/QH15, 09/CP, 43-CP

A code is kept exactly as written (`170/KL-TW` is not "repaired" into
`170-KL/TW`); its canonical form only folds Đ to D, drops spaces and upper-cases.
Abbreviations the tables do not know still pass when they look like
abbreviations (more capitals than small letters: `TCT`, `GSQL`, `TTg`), so a
new agency's letters are read; prose words (`Kết`, `Hà`) never are. What the
language marks as something else -- a form (`Mẫu số 02/TB-XĐTMS-2015`), a
standard (`QCVN 01:2021/BYT`), a flight -- is dropped by the not_code_before
words. Cue words before a code (patterns/<lang>/codes.json) are checked
against its type: a mismatch keeps the code and adds a warning.
"""
from __future__ import annotations

import bisect
from functools import lru_cache

import regex

from ..article import Article
from ..facts import Hit
from .. import patterns
from ..patterns import language_codes, language_file, read_json
from ..text import BLANK, DASH, DASHES, alternation, fold, literal_first

_UP, _LOW = "A-ZĐÐ", "a-zđ"
# An abbreviation as written: QĐ, TTg, QĐi, UBTVQH15, L. Capital first, so URL slugs (178-kl-tw) never start one.
_SEG = rf"[{_UP}][{_UP}{_LOW}]*\d*"
# After a dash with spaces around it ("NĐ - CP", "TT- BTNMT", "QĐ -TTg") only two or more capitals
# (one small letter allowed: TTg), so "57-NQ/TW - Kết luận" does not swallow the next word.
_SPACED_SEG = rf"[{_UP}][{_LOW}]?[{_UP}][{_UP}\d]*[{_LOW}]?(?![\p{{L}}\d])"
_LINK = rf"(?:{DASH}|/){_SEG}|(?:{BLANK}+{DASH}{BLANK}*|{DASH}{BLANK}+){_SPACED_SEG}"
_YEAR = r"(?:19|20)\d\d"
# Not glued to a number, slash, dash or capital on the left ("1.57-NQ", "x/57-NQ", flight "VN254/"),
# nor to a "5574:" or "1.": letters are fine ("số31-QĐ/TW", "No.127-KL/TW").
_LEFT = rf"(?<![\p{{N}}/{regex.escape(DASHES)}A-ZĐÐ])(?<!\p{{N}}[.,:])"
_NUM = r"(?P<num>\d{1,3}\.\d{3}|\d{1,5})"  # 57, 02 (leading zero kept), 1.234
# The code ends there: no letter or digit, and no dash going on into one ("19/SARS-CoV-2").
_RIGHT = rf"(?![\p{{L}}\p{{N}}])(?!{DASH}[\p{{L}}\p{{N}}])"

# The pattern in two parts: what comes before the first "/" and what follows it (see literal_first).
_CODE = (rf"{_LEFT}{_NUM}(?:{BLANK}*{DASH}{BLANK}*(?P<ptype>{_SEG}))?{BLANK}*",
         rf"{BLANK}*(?:(?P<year>{_YEAR}){BLANK}*/{BLANK}*)?(?P<head>{_SEG})(?P<chain>(?:{_LINK})*)"
         rf"(?:{DASH}(?P<tail>{_YEAR}))?{_RIGHT}")
# Type-less old State codes written with a dash: 43-CP, 388-HĐBT. Only the "bare" issuers of
# patterns/codes.json number alone, so the pattern is made for them (see dashed_patterns). It runs
# on the folded text, where every dash is "-" and Đ is D, so its scanner starts at a literal.
_DASHED = (rf"{_LEFT}{_NUM}{BLANK}*", rf"{BLANK}*(?P<head>{_SEG}){_RIGHT}(?!{BLANK}*/)")
CODE = regex.compile("/".join(_CODE))


# Scanned from the first "/": a match starts there, the code at m.start("num") (see text.literal_first).
CODE_SCANNER = literal_first(_CODE[0], "/", _CODE[1])


def dashed_patterns(heads) -> tuple[regex.Pattern, regex.Pattern]:
    """NUMBER-HEAD for these heads (canonical abbreviations), and its scanner."""
    only = rf"(?=(?i:{alternation(heads)})(?![\p{{L}}\p{{N}}]))"
    return regex.compile(f"{_DASHED[0]}-{only}{_DASHED[1]}"), literal_first(_DASHED[0], "-", only + _DASHED[1])

_SPLIT = regex.compile(rf"{BLANK}*(?:{DASH}|/){BLANK}*")
_SPACES = regex.compile(r"\s+")
_DIGITS = "0123456789"


@lru_cache(maxsize=4096)  # the same types, issuers and codes recur in every article
def canonical(raw: str) -> str:
    """'15/2025/NĐ - CP' -> '15/2025/ND-CP': spaces out, dashes to '-' (fold does that), Đ->D, upper case."""
    return _SPACES.sub("", fold(raw)).upper()


@lru_cache(maxsize=4096)
def looks_like_abbreviation(written: str) -> bool:
    """TCT, GSQL, TTg, QĐi, X01: more capitals than small letters, and two letters or a digit.

    Vietnamese agency and unit abbreviations are initials; a word of prose
    (Paris, Pro) has more small letters than capitals.
    """
    upper = sum(c.isupper() for c in written)
    lower = sum(c.islower() for c in written)
    return upper > lower and (upper + lower >= 2 or any(c.isdigit() for c in written))


class CodesExtractor:
    def __init__(self):
        data = read_json("codes.json")
        self.types: dict = data["types"]
        self.issuers: dict = data["issuers"]
        _, dashed_scanner = dashed_patterns(k for table in (self.types, self.issuers)
                                            for k, entry in table.items() if entry.get("bare"))
        # (scanner, whether it reads the folded text), in order of priority.
        self.scanners = ((CODE_SCANNER, False), (dashed_scanner, True))
        # (as written, dashed) -> (rule, fields) or None: a span parses one way only, wherever it stands.
        self._parsed: dict[tuple[str, bool], tuple[str, dict] | None] = {}
        # Per language, one backward search over the words before a code finds
        # either a word that makes it no document (group neg) or a cue word (group cue).
        self.context: dict[str | None, regex.Pattern] = {}
        self.cues: dict[str, dict] = {}
        all_negatives, all_signs = set(data.get("not_code_before", [])), set()
        for lang in language_codes():
            cfg = language_file(lang, "codes.json")
            if not cfg:
                continue
            self.cues[lang] = {fold(k).lower(): v for k, v in cfg["cues"].items()}
            negatives = data.get("not_code_before", []) + cfg.get("not_code_before", [])
            all_negatives.update(negatives)
            all_signs.update(cfg["number_signs"])
            self.context[lang] = _context_pattern(negatives, self.cues[lang], cfg["number_signs"])
        # A text in no known language still refuses every language's forms and standards.
        self.context[None] = _context_pattern(all_negatives, {}, all_signs)

    def find(self, article: Article) -> list[Hit]:
        text = article.masked
        hits: list[Hit] = []
        starts: list[int] = []  # spans already taken, sorted; they never overlap,
        ends: list[int] = []    # so their ends are sorted too
        folded = article.folded or fold(text)  # fold keeps every offset
        context = self.context.get(article.lang) or self.context[None]
        for scanner, dashed in self.scanners:
            resume_at = 0  # where finditer(pattern) would look for its next match
            for m in scanner.finditer(folded if dashed else text, overlapped=True, timeout=patterns.REGEX_TIMEOUT):
                start, end = m.start("num"), m.end()
                if start < resume_at:
                    continue
                resume_at = end
                i = bisect.bisect_left(starts, end)  # spans starting before this match ends
                if i and ends[i - 1] > start:
                    continue
                raw = text[start:end]
                parsed = self._parsed.get((raw, dashed), False)
                if parsed is False:  # not seen yet: the same codes recur in an article and across articles
                    parsed = self._classify_dashed(m) if dashed else self._classify(m)
                    if len(self._parsed) < 65536:
                        self._parsed[(raw, dashed)] = parsed
                if parsed is None:
                    continue
                # 40 characters cannot make a regex run long: no timeout, whose clock costs 2 µs a call.
                before = context.search(folded[max(0, start - 40):start].lower())
                if before and before.group("neg"):
                    continue  # a form, a standard, a flight: Mẫu số 02/TB-XĐTMS-2015, QCVN 01:2021/BYT
                code = canonical(raw)
                starts.insert(i, start)
                ends.insert(i, end)
                rule, fields = parsed
                if before and before.group("cue"):
                    self._check_cue(article, code, rule, fields, before.group("cue"))
                hits.append(Hit(code, start, end, rule, dict(fields)))
        hits.sort(key=lambda hit: hit.start)
        return hits

    # -- validation: which shape a candidate is, if any --

    def _classify(self, m) -> tuple[str, dict] | None:
        number, ptype, slot_year, head_written, chain, tail = m.group("num", "ptype", "year", "head", "chain", "tail")
        year = slot_year or tail
        written = [head_written] + [p for p in _SPLIT.split(chain) if p] if chain else [head_written]
        abbrs = [canonical(w) for w in written]
        head, rest = abbrs[0], abbrs[1:]
        if ptype:  # NUMBER-TYPE/ISSUER
            type_ = canonical(ptype)
            if slot_year or type_ not in self.types or not self._all_abbreviations(written):
                return None
            if len(head.rstrip(_DIGITS)) < 2:
                return None
            family = self._family(head, self.issuers) or self._family(type_, self.types) or "party"
            return self._fields("party", number, year, family, type_, "-".join(abbrs))
        if rest and not self._all_abbreviations(written[1:]):
            return None
        if head in self.types and rest:  # NUMBER/[YEAR/]TYPE-ISSUER, in either family's words (170/KL-TW)
            family = self._family(rest[0], self.issuers) or self._family(head, self.types) or "state"
            return self._fields("state", number, year, family, head, "-".join(rest))
        if not rest:  # NUMBER/[YEAR/]ISSUER: laws (202/2025/QH15), old decrees (09/CP, 186/HĐBT)
            numbered = slot_year and head[-1].isdigit() and self._issuer(head, numbered=True)
            return self._issuer_only(number, year, head) if numbered or self._is_bare(head) else None
        # NUMBER/[YEAR/]ISSUER-UNIT: a letter (công văn) has no type; the issuer may be one we do not list.
        if self._issuer(head) or looks_like_abbreviation(written[0]) and len(head) >= 2:
            return self._fields("letter", number, year, self._family(head, self.issuers) or "state",
                                None, "-".join(abbrs))
        return None

    def _classify_dashed(self, m) -> tuple[str, dict] | None:
        """NUMBER-ISSUER (43-CP): only the issuers that number alone."""
        head = canonical(m.group("head"))
        return self._issuer_only(m.group("num"), None, head) if self._is_bare(head) else None

    def _all_abbreviations(self, written: list[str]) -> bool:
        return all(looks_like_abbreviation(w) or self._issuer(canonical(w)) or canonical(w) in self.types
                   for w in written)

    def _issuer(self, abbr: str, numbered: bool = False) -> dict | None:
        """The issuers entry for QH15 (QH, numbered), BXD; None if not listed."""
        entry = self.issuers.get(abbr)
        if entry and not numbered:
            return entry
        entry = self.issuers.get(abbr.rstrip(_DIGITS))
        return entry if entry and entry.get("numbered") else None

    def _is_bare(self, abbr: str) -> bool:
        entry = self.issuers.get(abbr) or self.types.get(abbr)
        return bool(entry and entry.get("bare"))

    def _issuer_only(self, number, year, abbr) -> tuple[str, dict]:
        if abbr in self.types:  # 34/SL: a type that stands alone
            return self._fields("issuer_only", number, year, "state", abbr, "")
        return self._fields("issuer_only", number, year, self._family(abbr, self.issuers) or "state", None, abbr)

    @staticmethod
    def _family(abbr: str, table: dict) -> str | None:
        """The family an abbreviation belongs to, when it belongs to one only."""
        entry = table.get(abbr) or table.get(abbr.rstrip(_DIGITS))
        if entry and len(entry["family"]) == 1:
            return entry["family"][0]
        return None

    def _fields(self, shape, number, year, family, type_, issuer) -> tuple[str, dict]:
        """The rule id (codes.<shape>) and the fact's fields."""
        head = issuer.split("-")[0]
        issuer_info = self.issuers.get(head) or self._issuer(head, numbered=True)
        return f"codes.any.{shape}", {
            "number": number,
            "year": int(year) if year else None,
            "family": family,
            "type": type_,
            "type_label": self.types[type_]["label"] if type_ else None,
            "issuer": issuer or None,
            "issuer_label": issuer_info["label"] if issuer_info else None,
            "issued": None,
            "issued_by": None,
        }

    # -- context: the words right before a code --

    def _check_cue(self, article: Article, code: str, rule: str, fields: dict, cue: str) -> None:
        """A cue word that names another type than the code's: keep the code, warn.

        A cue for a "loose" type (công văn, letter: CV) is also the loose word
        for any official paper: before a State-order code it says nothing.
        """
        allowed = self.cues[article.lang][cue]
        if fields["type"] is None or not allowed or fields["type"] in allowed:
            return
        if rule == "codes.any.state" and all(self.types.get(t, {}).get("loose") for t in allowed):
            return
        article.warn(f"code {code}: the cue word {cue!r} before it suggests "
                     f"{'/'.join(allowed)}, the code says {fields['type']}")


def _context_pattern(negatives, cues, signs) -> regex.Pattern:
    """Words that end right before a code (a number sign may come between): a negative or a cue.

    (?r): the match ends at the end of the window, so searching backwards
    finds it in one try instead of one per start (3 µs less a code). It is the
    match a forward search gives: of two words ending there, the alternation
    (longest first) tries the one starting further left first.
    """
    negatives = alternation(fold(w).lower() for w in negatives) or "(?!)"
    signs = alternation(fold(s).lower() for s in signs)
    return regex.compile(rf"(?r)(?:^|[^\p{{L}}])(?:(?P<neg>{negatives})|(?P<cue>{alternation(cues) or '(?!)'}))"
                         rf"[\s:]*(?:(?:{signs})[\s:]*)?$")
