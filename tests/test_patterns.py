"""The pattern loader: every file checked against pipeline/pattern_files.py, languages from their folders."""
import json

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.names import NameShape, byline_syllable
from pipeline.pattern_files import CLEAN_WORD_LISTS, FILES
from pipeline.patterns import (PatternError, first_class_codes, language_codes, language_file, languages,
                               patterns_dir, read_json, read_rows, with_language_words)


def test_every_pattern_file_is_listed_and_reads_clean():
    """Every JSON and JSON Lines file under patterns/ has an entry and passes its check."""
    root = patterns_dir()
    seen = 0
    for path in sorted(root.rglob("*.json*")):
        rel = path.relative_to(root).as_posix()
        reader = read_rows if rel.endswith(".jsonl") else read_json
        assert reader(rel) is not None
        seen += 1
    assert seen >= len([k for k in FILES if not k.startswith("<lang>")])


def test_the_languages_are_the_folders_with_a_language_json():
    codes = language_codes()
    assert codes == tuple(language.code for language in languages())
    folders = {p.name for p in patterns_dir().iterdir() if (p / "language.json").is_file()}
    assert set(codes) == folders and {"names", "sources"}.isdisjoint(codes)
    assert set(first_class_codes()) <= set(codes)
    orders = [language.order for language in languages()]
    assert orders == sorted(orders)


def test_a_misspelt_key_names_the_file_the_place_and_the_allowed_keys(patterns_copy):
    path = patterns_copy / "fr" / "dates.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["rules"][0]["tempalte"] = data["rules"][0].pop("template")
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PatternError) as info:
        read_json("fr/dates.json")
    message = str(info.value)
    assert "fr/dates.json rules[0]" in message and "tempalte" in message and "template" in message
    # A key that must be there
    data["rules"][0]["template"] = data["rules"][0].pop("tempalte")
    data.pop("months")
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PatternError, match=r"fr/dates.json: missing key\(s\) \['months'\]"):
        read_json("fr/dates.json")


def test_comments_are_allowed_anywhere(patterns_copy):
    path = patterns_copy / "fr" / "links.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["_comment_mine"] = "a note"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert read_json("fr/links.json")["_comment_mine"] == "a note"


def test_a_file_nobody_declared_or_a_folder_that_is_no_language_is_refused(patterns_copy):
    (patterns_copy / "notes.json").write_text("{}")
    with pytest.raises(PatternError, match="not a known pattern file"):
        read_json("notes.json")
    (patterns_copy / "xx").mkdir()
    (patterns_copy / "xx" / "dates.json").write_text("{}")
    with pytest.raises(PatternError, match="xx/ is not a language folder"):
        language_file("xx", "dates.json")
    assert "xx" not in language_codes()


def test_jsonl_rows_are_checked_line_by_line(patterns_copy):
    path = patterns_copy / "vi" / "titles.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = json.dumps(dict(json.loads(lines[2]), needs_bodi=True))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PatternError, match="vi/titles.jsonl:3: unknown key.*needs_bodi"):
        read_rows("vi/titles.jsonl")


def test_a_language_folder_adds_its_words_to_the_shared_lists(patterns_copy):
    # A new folder's words count as soon as it is a language folder (the folder is read once per process).
    (patterns_copy / "es").mkdir()
    (patterns_copy / "es" / "language.json").write_text(
        json.dumps({"name": "Spanish", "first_class": False, "order": 9}))
    (patterns_copy / "es" / "clean.json").write_text(json.dumps({"byline_labels": ["Texto y fotos"]}))
    merged = with_language_words("clean.json")
    assert "Texto y fotos" in merged["byline_labels"]
    assert language_codes()[-1] == "es" and "es" not in first_class_codes()
    for key in CLEAN_WORD_LISTS:
        words = set(merged.get(key, []))
        assert set(read_json("clean.json").get(key, [])) <= words
        for lang in language_codes():
            assert set((language_file(lang, "clean.json") or {}).get(key, [])) <= words
    assert {"Fuente", "Quelle", "Nguồn"} <= set(merged["source_labels"])


@pytest.mark.parametrize("change, message", [
    ({"onset": ["B"]}, r"unknown key\(s\) \['onset'\]"),
    ({"finals": None}, r"missing key\(s\) \['finals'\]"),
    ({"onsets": ["Ng", "B-"]}, "ASCII letters"),
    ({"minority_finals": ["ŋ"]}, "ASCII letters"),
])
def test_the_syllable_shape_is_checked_for_both_of_its_readers(change, message):
    """names/syllables.json feeds the officials' name finder and the bylines' word shape:
    a slip in it is reported the same way by both."""
    cfg = {k: v for k, v in {**read_json("names/syllables.json"), **change}.items() if v is not None}
    for reader in (NameShape, byline_syllable):
        with pytest.raises(PatternError, match=message):
            reader(cfg)


def test_a_title_token_with_a_space_inside_is_refused_with_the_row(patterns_copy):
    # A token never holds a space in the article's tokens, so such a row could never match.
    from pipeline.extract.officials.pieces import Vocabulary
    from pipeline.extract.officials.posts import PostFinder
    from pipeline.patterns import language_file

    path = patterns_copy / "en" / "titles.jsonl"
    row = {"id": "vice_president", "pattern": [{"LOWER": "vice president"}]}
    path.write_text(path.read_text(encoding="utf-8") + json.dumps(row) + "\n", encoding="utf-8")
    n = len(path.read_text(encoding="utf-8").splitlines())
    with pytest.raises(PatternError, match=f"en/titles.jsonl:{n}: a token holds white space"):
        PostFinder("en", Vocabulary(language_file("en", "officials.json")))


# -- group_names: a regex's groups read from its text (dates rules are not compiled alone) --

_ATOMS = ["x", "[()]", "[]()]", "[^]()]", "[[:alpha:]()]", "[\\]()]", "\\(", "\\)", "\\\\", "\\p{Lu}", "(?#x(?P<no>)",
          "x*", "x?"]
_OPENERS = ["(", "(?:", "(?P<a>", "(?<b>", "(?P<c_1>", "(?<=", "(?<!", "(?=", "(?!", "(?i:"]
# Regexes made of the syntax group_names must step over: sets holding parentheses, escapes,
# comments, lookarounds, named and unnamed groups, nested, in alternations.
_REGEXES = st.recursive(
    st.sampled_from(_ATOMS),
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(_OPENERS), inner).map(lambda t: t[0] + t[1] + ")"),
        st.lists(inner, min_size=2, max_size=4).map("".join),
        st.lists(inner, min_size=2, max_size=3).map("|".join)),
    max_leaves=12)


def test_group_names_reads_the_groups_of_every_date_rule():
    """Every rule of every dates file: the names read from the text are the names the compiler finds."""
    from pipeline.extract.dates import DatesExtractor
    from pipeline.patterns import group_names

    extractor = DatesExtractor()
    rules = extractor.numeric_rules + [r for language in extractor.languages.values() for r in language.rules]
    assert len(rules) > 20
    for rule in rules:
        assert group_names(rule.source) == set(regex.compile(rule.source, rule.flags).groupindex), rule.rule_id


@pytest.mark.parametrize("source,names", [
    (r"(?P<date>(?P<day>[0-9]{1,2})\s+(?<month>\p{Lu}\w+))", {"date", "day", "month"}),
    (r"(?<=(?<!\w)x)(?P<a>[(]\)|[^])(?P<no>]+)", {"a"}),        # parentheses in sets and escaped are not groups
    (r"(?#(?P<no>)(?P<yes>x)(?P=yes)", {"yes"}),                 # a comment ends at its first ")"
    (r"[[:alpha:]](?P<v>[^]a)]+)", {"v"}),
    (r"(?P<a>x", None), (r"x)|(y", None),                        # unbalanced: None, the compiler will say why
])
def test_group_names_on_hand_written_regexes(source, names):
    from pipeline.patterns import group_names

    assert group_names(source) == names


@settings(max_examples=300, deadline=None)
@given(_REGEXES, st.sampled_from(["", ")", "(", "x)|(x"]))
def test_group_names_agrees_with_the_compiler(source, damage):
    """Wherever the regex module compiles a text, group_names finds the same names; where
    the parentheses do not balance, it says so (None), as the regex module refuses the text."""
    from pipeline.patterns import group_names

    source += damage
    try:
        compiled = regex.compile(source)
    except regex.error:
        assert damage and group_names(source) is None
        return
    assert group_names(source) == set(compiled.groupindex)
