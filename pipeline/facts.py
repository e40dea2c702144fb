"""The shapes every extractor shares: a Hit is one match in the text, a fact is
one normalized value with all its mentions.

Extractors never build record dicts by hand: they return Hits, and
`group_hits` folds Hits with the same key into one fact, so "every list holds
one entry per distinct normalized value, each with all its mentions" is
enforced in one place.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable, Protocol


@dataclass
class Hit:
    """One match: where it is, what it normalizes to, and which rule found it.

    key     the normalized value that identifies the fact ("57-NQ/TW", "2025-05-23")
    start   character offset into the decoded article text (Python str index)
    end     exclusive end offset
    rule    id of the rule that produced it, "<entity>.<lang-or-any>.<pattern>"
    fields  fact-level fields this match contributes ({"number": "57", ...});
            merged across mentions by the extractor's merge function
    """

    key: str
    start: int
    end: int
    rule: str
    fields: dict = field(default_factory=dict)


class Extractor(Protocol):
    """What a fact type's extractor is (patterns/manifest.json names its class, module:Class).

    Built once per process with no arguments: it loads and compiles its patterns
    then. find() runs once per article and returns the Hits of its fact type,
    each rule id "<fact type>.<language code or any>.<rule>"; it may read the
    facts of the fact types its manifest entry requires (article.facts), and
    article.warn() what a reader should know. An optional merge(old, new)
    folds the fields of a further mention into a fact (default: first_wins).
    """

    def find(self, article) -> list[Hit]: ...


def first_wins(old: dict, new: dict) -> dict:
    """Default merge: keep the first mention's fields, fill in what it lacked."""
    for name, value in new.items():
        if old.get(name) in (None, "", []) and value not in (None, "", []):
            old[name] = value
    return old


def group_hits(
    hits: Iterable[Hit],
    text: str,
    key_field: str,
    merge: Callable[[dict, dict], dict] = first_wins,
) -> list[dict]:
    """Fold hits into facts: one dict per distinct key, ordered by first mention.

    Each fact is `{key_field: key, **fields, "mentions": [...]}`; a mention is
    `{"start", "end", "text", "rule"}` with `text == text[start:end]`.
    Overlapping hits for the same key keep only the longest.
    """
    facts: dict[str, dict] = {}
    # Hits come sorted by start, so an earlier span of the same key covers this one
    # exactly when it ends at or after it: keeping the furthest end is enough.
    furthest_end: dict[str, int] = {}
    for hit in sorted(hits, key=_longest_first):
        key, start, end = hit.key, hit.start, hit.end
        if furthest_end.get(key, -1) >= end:
            continue  # the same value, already covered by a longer mention
        furthest_end[key] = end  # further than before, or it would have been skipped
        mention = {"start": start, "end": end, "text": text[start:end], "rule": hit.rule}
        fact = facts.get(key)
        if fact is None:
            facts[key] = {key_field: key, **hit.fields, "mentions": [mention]}
        else:
            merge(fact, dict(hit.fields))
            fact["mentions"].append(mention)
    return list(facts.values())


def mention_spans(facts: list[dict]) -> list[tuple[int, int]]:
    """The (start, end) of every mention of these facts (the facts of one type in article.facts)."""
    return [(m["start"], m["end"]) for fact in facts for m in fact.get("mentions", [])]


def _longest_first(hit: Hit) -> tuple[int, int]:
    """Sort key: by start, the longest first among hits starting together."""
    return hit.start, hit.start - hit.end
