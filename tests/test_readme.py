"""The commands README.md shows must work as written on a fresh clone.

Every `newsfacts ...` (or `.venv/bin/newsfacts`, `python -m pipeline`) command in
its code blocks must parse with the real argument parser, and every file of the
repository a command names (corpus/, tests/data/..., bench/...) must exist.
"""
import re
import shlex

import pytest

from tests.conftest import ROOT

README = ROOT / "README.md"
REPO_DIRS = ("corpus", "tests/", "docs/", "bench/", "tools/", "patterns/", "pipeline/")
SHELL_BLOCKS = ("sh", "bash", "console", "shell", "")


def shell_lines() -> list[str]:
    """The lines of README's shell code blocks (fenced with ```sh, ```bash or a bare ```)."""
    lines, language = [], None
    for line in README.read_text(encoding="utf-8").splitlines():
        fence = line.strip()
        if fence.startswith("```"):
            language = fence[3:].strip() if language is None else None
            continue
        if language in SHELL_BLOCKS:
            lines.append(line.strip())
    return lines


def readme_commands() -> list[list[str]]:
    commands = []
    for line in shell_lines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        for part in re.split(r"\s*(?:&&|\|\||\||;)\s*", line):
            try:
                words = _without_redirections(shlex.split(part))
            except ValueError:
                continue
            if words[:1] in (["newsfacts"], [".venv/bin/newsfacts"]):
                commands.append(words[1:])
            elif words[1:3] == ["-m", "pipeline"]:
                commands.append(words[3:])
    return commands


def _without_redirections(words: list[str]) -> list[str]:
    out, skip = [], False
    for word in words:
        if skip:
            skip = False
        elif word in (">", ">>", "<", "2>"):
            skip = True
        elif not re.match(r"^\d?[<>]", word):
            out.append(word)
    return out


@pytest.fixture(scope="module")
def commands():
    found = readme_commands()
    assert len(found) >= 10, "README's code blocks should show the commands"
    return found


def test_every_readme_command_parses(commands):
    from pipeline.cli import _parser

    parser = _parser()
    for words in commands:
        try:
            parser.parse_args(words)
        except SystemExit as exc:  # --help and --version exit 0 once they have printed
            if exc.code == 0:
                continue
            pytest.fail(f"README: `newsfacts {shlex.join(words)}` is not a valid command (exit {exc.code})")


def test_repository_files_named_by_readme_commands_exist(commands):
    for words in commands:
        for word in words:
            if word.startswith(REPO_DIRS) and not word.startswith("outputs"):
                assert (ROOT / word).exists(), f"README: `newsfacts {shlex.join(words)}` names {word}, not in the repository"
