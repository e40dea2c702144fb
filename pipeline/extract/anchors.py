"""Where a rule built from a template may start, and the scanner that runs it there.

Date and period rules (patterns/dates.json, patterns/<lang>/dates.json) open
with an anchor fragment -- {AT_DAY}, {AT_YEAR}, {AT_WORD} -- that says where
in the text they can match. This module turns an anchored rule, or several
rules sharing an anchor, into one pattern to finditer over the text.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from .. import patterns
from ..patterns import compile_regex


# Where a rule may start. A template that opens with one of these fragments
# (a lookahead) is tried only at those positions: a number of one or two digits
# (a day, or a month first), a four-digit number 1000-2999 (a year first).
# Scanning the text with such a rule as written costs the regex module ~1.2 ms
# per 10 KB (a lookahead first defeats its quick skip to a possible start), and
# calling rule.match at each position costs ~3 µs a call (the timeout alone ~2 µs),
# ~400 calls per article. So anchored rules are run through a *scanner*: the
# anchor's template below with {RULE} the rules' regex. The scanner consumes one
# plain character (a class the engine skips to quickly), checks the anchor's
# own condition, and tries the rule there as a lookahead, whose groups the match
# keeps: one finditer yields exactly the matches rule.match(text, p) gives at the
# anchor positions p, in order, at about a tenth of the cost. The day scanner
# drops longer numbers (counts, years, code numbers) before any rule is tried:
# a third of the cost in French and English text. The year scanner consumes the
# digit first and checks the rest behind it, (?<=...[0-9]): opening with the
# year's lookahead, it cost twice as much (the skip to a digit is lost).
# The rules of one language that share an anchor run as ONE scanner whose
# lookahead is the alternation of their regexes (a marker group per branch
# tells which rule matched): each scanner pays the skip from digit to digit
# once, and five rules in one cost about a third of their separate scans. At
# one position the first rule that matches is taken, so rules that can match
# at the same place are listed longest first.
# AT_WORD rules (a day written as a word: "premier janvier") have no scanner: a
# scan at every letter costs ~1 ms per article, so they are tried with
# rule.match where one of the language's day words starts a word (str.find).
SCANNERS = {
    "AT_DAY": r"(?<![0-9])(?=[0-9]{1,2}(?![0-9]))(?={RULE})[0-9]",
    "AT_YEAR": r"[0-9](?<![0-9][0-9])(?<=(?=[12][0-9]{3}(?![0-9]))(?={RULE})[0-9])",
}
WORD_ANCHOR = "AT_WORD"


def anchor_of(template: str) -> str | None:
    """The anchor fragment a template opens with, if any."""
    return next((name for name in (*SCANNERS, WORD_ANCHOR) if template.startswith("{" + name + "}")), None)


def scoped(source: str, flags: int) -> str:
    """A rule's regex with its IGNORECASE flag written inside it."""
    # Only the rule ignores case: \p{Lu} must stay a capital, and the
    # engine skips to a digit faster in a case-sensitive scanner.
    return f"(?i:{source})" if flags & regex.IGNORECASE else source


def scanner_for(pattern: regex.Pattern, anchor: str | None) -> regex.Pattern:
    """What to finditer over the text for a rule: its scanner, or the rule itself if it has no anchor.

    A match of the scanner is one character long; read only the rule's named groups from it.
    """
    if anchor is None:
        return pattern
    return regex.compile(SCANNERS[anchor].replace("{RULE}", scoped(pattern.pattern, pattern.flags)),
                         pattern.flags & ~regex.IGNORECASE)


@dataclass(frozen=True)
class Scan:
    """Rules that share an anchor, run as one scanner (see the comment above SCANNERS).

    Each rule has .source and .flags (its regex), .where (for error messages),
    and .pattern, compiled, if it has no anchor."""
    scanner: regex.Pattern
    rules: tuple          # the rules, in branch order
    markers: tuple        # the group number marking each rule's branch
    groups: dict          # group name -> number in the scanner (a match read by name costs ~4 µs, by number 0.1)

    @classmethod
    def build(cls, anchor: str | None, rules) -> "Scan":
        if anchor is None:  # one rule without an anchor, scanned as written
            return cls(rules[0].pattern, tuple(rules), (), dict(rules[0].pattern.groupindex))
        names = [f"_rule{i}" for i in range(len(rules))]
        branches = "|".join(f"(?P<{name}>){scoped(rule.source, rule.flags)}" for name, rule in zip(names, rules))
        try:
            scanner = regex.compile(SCANNERS[anchor].replace("{RULE}", branches))
        except regex.error:
            for rule in rules:  # the rule at fault, as its own error (the rules are not compiled alone)
                compile_regex(rule.source, rule.where, rule.flags)
            raise
        groups = dict(scanner.groupindex)
        return cls(scanner, tuple(rules), tuple(groups[name] for name in names), groups)

    def matches(self, text: str):
        """(rule, match) for each place one of the rules matches."""
        if not self.markers:
            for m in self.scanner.finditer(text, timeout=patterns.REGEX_TIMEOUT):
                yield self.rules[0], m
            return
        branches = tuple(zip(self.markers, self.rules))
        for m in self.scanner.finditer(text, timeout=patterns.REGEX_TIMEOUT):
            spans = m.regs  # every group's span at once
            for marker, rule in branches:
                if spans[marker][0] >= 0:
                    yield rule, m
                    break
