"""The fact types and the languages are listed in patterns/ only, never written out in code.

A literal tuple, list, set or dict in pipeline/ holding three or more fact
fields ("codes", "dates", "periods"...) or three or more language codes
("fr", "de", "en"...) is such a list: adding a fact type or a language would
then mean finding and editing it. The code asks pipeline/registry.py and
pipeline/patterns.py instead.
"""
from __future__ import annotations

import ast
from pathlib import Path

from pipeline.patterns import language_codes
from pipeline.registry import fields

PIPELINE = Path(__file__).resolve().parent.parent / "pipeline"
ENOUGH = 3   # two names together may be a pair the code is about; three are a list

# Folders of pipeline/ left out of the search (none: the store's tables come from the manifest too).
NOT_SEARCHED: set = set()


def _strings(node) -> list[str]:
    items = node.keys if isinstance(node, ast.Dict) else node.elts
    return [item.value for item in items if isinstance(item, ast.Constant) and isinstance(item.value, str)]


def lists_in(source: str, names: set[str]) -> list[tuple[int, list[str]]]:
    """(line, the names) of each literal collection in the source holding ENOUGH of the names."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set, ast.Dict)):
            named = [s for s in _strings(node) if s in names]
            if len(set(named)) >= ENOUGH:
                found.append((node.lineno, named))
    return found


def _modules():
    for path in sorted(PIPELINE.rglob("*.py")):
        if NOT_SEARCHED.isdisjoint(path.relative_to(PIPELINE).parts[:-1]):
            yield path


def test_the_check_finds_such_lists():
    # (it must find what it is for, and leave pairs and unrelated strings alone)
    names = {"codes", "dates", "periods", "fr", "de", "en"}
    assert lists_in('X = ("codes", "dates", "periods")', names) == [(1, ["codes", "dates", "periods"])]
    assert lists_in('for lang in ["fr", "de", "en", "vi"]: pass', names) == [(1, ["fr", "de", "en"])]
    assert lists_in('K = {"codes": "code", "dates": "value", "periods": "value"}', names)
    assert not lists_in('X = ("codes", "dates")', names)
    assert not lists_in('X = ("codes", "codes", "codes")', names)
    assert not lists_in('X = ("code", "date", "period")', names)


def test_no_list_of_fact_types_in_code():
    found = {str(path.relative_to(PIPELINE)): hits for path in _modules()
             if (hits := lists_in(path.read_text(encoding="utf-8"), set(fields())))}
    assert not found, f"fact types written out in code (read pipeline.registry.fact_types()): {found}"


def test_no_list_of_languages_in_code():
    found = {str(path.relative_to(PIPELINE)): hits for path in _modules()
             if (hits := lists_in(path.read_text(encoding="utf-8"), set(language_codes())))}
    assert not found, f"languages written out in code (read pipeline.patterns.languages()): {found}"
