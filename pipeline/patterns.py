"""Where the vocabulary lives and the one way it is read.

All words (months, titles, cue words, province spellings, document types) are
in files under `patterns/`; code asks for a file by its path there, or by
language and name. Every file goes through this loader: JSON and JSON Lines
files are checked against their entry in pipeline/pattern_files.py when they
are first read (a file that has no entry there cannot be read), so a typo in
a pattern file fails loudly instead of silently matching nothing.

A language is a folder of patterns/ that holds a `language.json`: its name,
whether it is first-class (every extractor has data for it, and its rules are
tried on text whose language is not determined), and its place in that order.
"""
from __future__ import annotations

import importlib.util
import json
import os
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import regex

from .pattern_files import FILES, Keys
from .text import BLANK, DASH

# A regex may take this long on one article before it is abandoned: protects
# a batch from pathological input (see `regex` module `timeout=`). Read at
# every call (patterns.REGEX_TIMEOUT), because None -- no per-call timeout --
# is right where something else stops a call stuck in C: the worker processes
# of `extract`, which the parent kills and replaces when an article overruns
# its budget (engines/local.py). A timed call reads the process CPU clock as
# it goes, ~4 % of a run. The Python API and Dask keep the timeout.
REGEX_TIMEOUT: float | None = float(os.environ.get("NEWSFACTS_REGEX_TIMEOUT", "2.0"))

YEAR_RE = regex.compile(r"(?<![\d/.-])(?:19|20)\d\d(?![\d/])")

# Where an installed package finds the folder: the wheel ships patterns/ whole as
# this top-level package directory (pyproject.toml).
INSTALLED_PACKAGE = "newsfacts_patterns"


class PatternError(ValueError):
    """A pattern file is missing, malformed, or uses keys it may not."""


def patterns_dir() -> Path:
    """The patterns/ folder: $NEWSFACTS_PATTERNS, the source tree, or the installed copy."""
    return _patterns_dir(os.environ.get("NEWSFACTS_PATTERNS"))


@lru_cache(maxsize=None)   # (asked for per record: one lookup, not a walk of the file system)
def _patterns_dir(env: str | None) -> Path:
    if env:
        if not (Path(env) / "manifest.json").is_file():
            raise PatternError(f"NEWSFACTS_PATTERNS={env}: not a patterns folder (it has no manifest.json)")
        return Path(env)
    candidates = [Path(__file__).resolve().parent.parent / "patterns"]   # source checkout / editable install
    spec = importlib.util.find_spec(INSTALLED_PACKAGE)
    if spec is not None and spec.submodule_search_locations:
        candidates += [Path(p) for p in spec.submodule_search_locations]
    for path in candidates:
        if (path / "manifest.json").is_file():
            return path
    raise PatternError("cannot find the patterns/ folder; set NEWSFACTS_PATTERNS")


# ---------------------------------------------------------------- reading files

def read_json(relpath: str) -> dict:
    """patterns/<relpath>, a JSON object checked against its entry in pattern_files.FILES."""
    return _read(patterns_dir(), relpath)


def read_rows(relpath: str) -> tuple[dict, ...]:
    """patterns/<relpath>, a JSON Lines file: one object a line, each checked against its entry."""
    return _read(patterns_dir(), relpath)


def read_lines(relpath: str) -> tuple[str, ...]:
    """A word-list file: one entry a line, NFC, '#' starts a comment, blank lines skipped."""
    return _read(patterns_dir(), relpath)


def has_file(relpath: str) -> bool:
    return (patterns_dir() / relpath).is_file()


def language_file(lang: str, name: str):
    """patterns/<lang>/<name> (read as its suffix says), or None when that language has no such file."""
    relpath = f"{lang}/{name}"
    return _read(patterns_dir(), relpath) if has_file(relpath) else None


@lru_cache(maxsize=None)
def _read(root: Path, relpath: str):
    path = root / relpath
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PatternError(f"missing pattern file: {path}") from None
    if relpath.endswith(".txt"):
        entries = (unicodedata.normalize("NFC", line.split("#")[0].strip()) for line in raw.splitlines())
        return tuple(entry for entry in entries if entry)
    spec = _spec(root, relpath)
    if relpath.endswith(".jsonl"):
        rows = []
        for n, line in enumerate(raw.splitlines(), 1):
            if line.strip():
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise PatternError(f"{path}:{n}: not valid JSON: {exc}") from None
                rows.append(check(row, spec, f"{relpath}:{n}"))
        return tuple(rows)
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise PatternError(f"{path}: not valid JSON: {exc}") from None
    return check(data, spec, relpath)


def _spec(root: Path, relpath: str) -> Keys:
    if relpath in FILES:
        return FILES[relpath]
    folder, _, name = relpath.partition("/")
    spec = FILES.get(f"<lang>/{name}")
    if spec is None:
        raise PatternError(f"{relpath}: not a known pattern file (pipeline/pattern_files.py lists them)")
    if not (root / folder / "language.json").is_file():
        raise PatternError(f"{relpath}: {folder}/ is not a language folder (it has no language.json)")
    return spec


def check(obj, spec: Keys, where: str):
    """Check an object, and the objects nested in it, against its Keys; return it."""
    check_keys(obj, spec.allowed, where, spec.required)
    for key, sub in spec.sections.items():
        if key in obj:
            check(obj[key], sub, f"{where} {key}")
    for key, sub in spec.items.items():
        if not isinstance(obj.get(key, []), list):
            raise PatternError(f"{where} {key}: expected a list")
        for i, item in enumerate(obj.get(key, [])):
            check(item, sub, f"{where} {key}[{i}]")
    for key, sub in spec.entries.items():
        if not isinstance(obj.get(key, {}), dict):
            raise PatternError(f"{where} {key}: expected an object")
        for name, entry in obj.get(key, {}).items():
            if not name.startswith("_comment"):
                check(entry, sub, f"{where} {key} {name}")
    return obj


def check_keys(obj: dict, allowed, where: str, required=frozenset()) -> dict:
    """Reject unknown or missing keys in an object (keys starting with _comment are always allowed)."""
    if not isinstance(obj, dict):
        raise PatternError(f"{where}: expected an object, got {type(obj).__name__}")
    unknown = {key for key in obj if key not in allowed and not key.startswith("_comment")}
    if unknown:
        raise PatternError(f"{where}: unknown key(s) {sorted(unknown)}; allowed: {sorted(allowed)}")
    missing = set(required) - set(obj)
    if missing:
        raise PatternError(f"{where}: missing key(s) {sorted(missing)}")
    return obj


# ---------------------------------------------------------------- languages

@dataclass(frozen=True)
class Language:
    code: str           # the folder's name: an ISO 639-1 code, as the language detector gives it
    name: str
    first_class: bool   # every extractor has data for it; its rules are tried on text of no determined language
    order: int          # where its rules come when several languages' rules are tried (lower first)


def languages() -> tuple[Language, ...]:
    """Every language folder of patterns/, in their order (then by code)."""
    return _languages(patterns_dir())


@lru_cache(maxsize=None)
def _languages(root: Path) -> tuple[Language, ...]:
    found = []
    for folder in sorted(p for p in root.iterdir() if (p / "language.json").is_file()):
        data = _read(root, f"{folder.name}/language.json")
        if not isinstance(data["first_class"], bool) or isinstance(data["order"], bool) \
                or not isinstance(data["order"], int):
            raise PatternError(f"{folder.name}/language.json: first_class is true or false, order a whole number")
        found.append(Language(folder.name, str(data["name"]), data["first_class"], data["order"]))
    return tuple(sorted(found, key=lambda language: (language.order, language.code)))


def with_language_words(relpath: str) -> dict:
    """patterns/<relpath> with the word lists of every language folder's <lang>/<relpath> added to its own.

    For the vocabulary read before the language of an article is known (site
    chrome, bylines, stamp lines, sentence ends): each language folder brings
    its own words, and every article is read with all of them."""
    return _with_language_words(patterns_dir(), relpath)


@lru_cache(maxsize=None)
def _with_language_words(root: Path, relpath: str) -> dict:
    merged = dict(_read(root, relpath))
    for language in _languages(root):
        if (root / language.code / relpath).is_file():
            for key, words in _read(root, f"{language.code}/{relpath}").items():
                if not key.startswith("_comment"):
                    merged[key] = list(dict.fromkeys([*merged.get(key, []), *words]))
    return merged


def language_codes() -> tuple[str, ...]:
    return tuple(language.code for language in languages())


def first_class_codes() -> tuple[str, ...]:
    return tuple(language.code for language in languages() if language.first_class)


# ---------------------------------------------------------------- regexes from data

# Fragments every template may use, whatever file it is in: the text primitives of pipeline/text.py.
BUILT_IN_FRAGMENTS = {"DASH": DASH, "BLANK": BLANK}


def build_regex(template: str, fragments: dict[str, str], where: str, flags: int = 0):
    """Compile `template`, replacing `{NAME}` by the named fragment (recursively).

    Fragments are the named pieces of a language file (DAY, MONTH, YEAR, ...)
    and the built-in ones ({DASH}: any dash; {BLANK}: a space, tab or no-break
    space). A reference to an unknown name is an error at load time.
    """
    return compile_regex(expand_template(template, fragments, where), where, flags)


def expand_template(template: str, fragments: dict[str, str], where: str) -> str:
    """The regex text of `template`, its `{NAME}` references replaced (see build_regex), not compiled."""
    fragments = {**BUILT_IN_FRAGMENTS, **fragments}
    def expand(pattern: str, depth: int) -> str:
        if depth > 10:
            raise PatternError(f"{where}: fragment references nest too deeply")

        def sub(m):
            name = m.group(1)
            if name not in fragments:
                raise PatternError(f"{where}: unknown fragment {{{name}}}")
            return "(?:" + expand(fragments[name], depth + 1) + ")"

        return regex.sub(r"\{([A-Z][A-Z0-9_]*)\}", sub, pattern)

    return expand(template, 0)


def compile_regex(source: str, where: str, flags: int = 0):
    """regex.compile(source, flags); a bad regex is a PatternError that says where it comes from."""
    try:
        return regex.compile(source, flags)
    except regex.error as exc:
        raise PatternError(f"{where}: bad regex: {exc}") from None


# The pieces of regex syntax group_names steps over: an escape, a set (with
# escapes and POSIX classes inside), a comment, a group opening that names its
# group, and any other parenthesis.
_SYNTAX = regex.compile(r"""
    \\.                                            # an escaped character
  | \[\^?\]?(?:\[:\^?[a-z]+:\]|\\.|[^\]])*+\]         # a set: "[^]a-z\]]", "[[:alpha:]]"
  | \(\?\#[^)]*\)                                   # a comment
  | \(\?P?<(?P<name>[^\W\d]\w*)>                    # "(?P<name>" or "(?<name>"
  | (?P<open>\()
  | (?P<close>\))
""", regex.VERBOSE | regex.DOTALL)


def group_names(source: str) -> set[str] | None:
    """The names of the groups of the regex `source`, read from its text without compiling it.

    Compiling a rule only to check its groups cost ~1.5 ms a rule at start-up.
    None when the parentheses do not balance: then the text cannot be put
    inside a larger regex as it is, and compile_regex says what is wrong.
    (Written for the templates of patterns/: no verbose-mode comments.)
    """
    names, depth = set(), 0
    for m in _SYNTAX.finditer(source):
        if m.group("name") is not None or m.group("open") is not None:
            depth += 1
            if m.group("name") is not None:
                names.add(m.group("name"))
        elif m.group("close") is not None:
            depth -= 1
            if depth < 0:
                return None
    return names if depth == 0 else None
