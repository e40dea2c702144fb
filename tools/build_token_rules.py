"""Write patterns/tokenizer.json: the punctuation rules words are split by.

    python tools/build_token_rules.py          # (re)write the file from the installed spaCy
    python tools/build_token_rules.py --check  # exit 1 if the file differs from spaCy's rules

The phrase matchers (pipeline/tokens.py) split text into tokens the way
spaCy's multi-language tokenizer does -- the same prefix, suffix and infix
rules -- but without importing spaCy: the rules are kept here as data. They
are spaCy's own (spacy.lang.punctuation, MIT licence), copied from the blank
"xx" pipeline of the spaCy version named in the file. After upgrading spaCy,
run this tool; tests/test_tokens.py checks the file against the installed
spaCy, so a change in its rules cannot go unnoticed.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from generated import write_or_check  # (tools/ is on the path when run as a script)

OUT = Path(__file__).resolve().parent.parent / "patterns" / "tokenizer.json"


def rules_from_spacy() -> dict:
    import spacy

    tokenizer = spacy.blank("xx").tokenizer
    return {
        "_comment": ("Prefix, suffix and infix rules of spaCy's multi-language tokenizer (spacy.lang.punctuation, "
                   "MIT licence, (c) ExplosionAI GmbH), as Python `re` patterns; written by "
                   "tools/build_token_rules.py, do not edit by hand."),
        "spacy_version": spacy.__version__,
        "prefix": tokenizer.prefix_search.__self__.pattern,
        "suffix": tokenizer.suffix_search.__self__.pattern,
        "infix": tokenizer.infix_finditer.__self__.pattern,
    }


def render(rules: dict) -> str:
    return json.dumps(rules, ensure_ascii=False, indent=1) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    return write_or_check(OUT, render(rules_from_spacy()), args.check,
                          "differs from the installed spaCy's rules: run tools/build_token_rules.py")


if __name__ == "__main__":
    sys.exit(main())
