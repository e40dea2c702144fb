"""Where the vocabulary lives and how it is loaded.

All words (months, titles, cue words, province spellings, document types) are
in files under `patterns/`; code only asks for a file by language and name.
Rule files are checked against an allowed key set when loaded, so a typo in a
pattern file fails loudly instead of silently matching nothing.
"""
from __future__ import annotations

import json
import os
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

import regex

# A regex may take this long on one article before it is abandoned: protects
# a batch from pathological input (see `regex` module `timeout=`).
REGEX_TIMEOUT = float(os.environ.get("NEWSFACTS_REGEX_TIMEOUT", "2.0"))

LANGUAGES = ("fr", "de", "en", "vi")

YEAR_RE = regex.compile(r"(?<![\d/.-])(?:19|20)\d\d(?![\d/])")


class PatternError(ValueError):
    """A pattern file is missing, malformed, or uses keys it may not."""


def patterns_dir() -> Path:
    """The patterns/ folder: $NEWSFACTS_PATTERNS, the source tree, or the installed copy."""
    env = os.environ.get("NEWSFACTS_PATTERNS")
    candidates = [Path(env)] if env else []
    candidates += [
        Path(__file__).resolve().parent.parent / "patterns",   # source checkout / editable install
        Path(sys.prefix) / "share" / "newsfacts" / "patterns",  # wheel install (data-files)
    ]
    for path in candidates:
        if (path / "codes.json").is_file():
            return path
    raise PatternError("cannot find the patterns/ folder; set NEWSFACTS_PATTERNS")


@lru_cache(maxsize=None)
def load_json(relpath: str) -> object:
    path = patterns_dir() / relpath
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except FileNotFoundError:
        raise PatternError(f"missing pattern file: {path}") from None
    except json.JSONDecodeError as exc:
        raise PatternError(f"{path}: not valid JSON: {exc}") from None


@lru_cache(maxsize=None)
def load_jsonl(relpath: str) -> tuple:
    path = patterns_dir() / relpath
    rows = []
    try:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    try:
                        rows.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise PatternError(f"{path}:{n}: not valid JSON: {exc}") from None
    except FileNotFoundError:
        raise PatternError(f"missing pattern file: {path}") from None
    return tuple(rows)


@lru_cache(maxsize=None)
def load_lines(relpath: str) -> tuple[str, ...]:
    """A word-list file: one entry a line, NFC, '#' starts a comment, blank lines skipped."""
    path = patterns_dir() / relpath
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise PatternError(f"missing pattern file: {path}") from None
    entries = (unicodedata.normalize("NFC", line.split("#")[0].strip()) for line in lines)
    return tuple(entry for entry in entries if entry)


def lang_file(lang: str, name: str, jsonl: bool = False):
    """patterns/<lang>/<name>, or None when that language has no such file."""
    rel = f"{lang}/{name}"
    if not (patterns_dir() / rel).is_file():
        return None
    return load_jsonl(rel) if jsonl else load_json(rel)


def check_keys(obj: dict, allowed: set[str], where: str, required: set[str] = frozenset()) -> dict:
    """Reject unknown or missing keys in a rule entry."""
    if not isinstance(obj, dict):
        raise PatternError(f"{where}: expected an object, got {type(obj).__name__}")
    unknown = set(obj) - allowed
    if unknown:
        raise PatternError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(allowed)}")
    missing = set(required) - set(obj)
    if missing:
        raise PatternError(f"{where}: missing key(s) {sorted(missing)}")
    return obj


def build_regex(template: str, fragments: dict[str, str], where: str, flags: int = 0):
    """Compile `template`, replacing `{NAME}` by the named fragment (recursively).

    Fragments are the named pieces of a language file (DAY, MONTH, YEAR, ...).
    A reference to an unknown name is an error at load time.
    """
    def expand(pattern: str, depth: int) -> str:
        if depth > 10:
            raise PatternError(f"{where}: fragment references nest too deeply")

        def sub(m):
            name = m.group(1)
            if name not in fragments:
                raise PatternError(f"{where}: unknown fragment {{{name}}}")
            return "(?:" + expand(fragments[name], depth + 1) + ")"

        return regex.sub(r"\{([A-Z][A-Z0-9_]*)\}", sub, pattern)

    try:
        return regex.compile(expand(template, 0), flags)
    except regex.error as exc:
        raise PatternError(f"{where}: bad regex: {exc}") from None


def alternation(words) -> str:
    """A regex alternation of literal words, longest first (so 'juillet' beats 'juil')."""
    return "|".join(regex.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))
