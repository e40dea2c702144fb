"""docs/extending.md's checklists, each done on a copy of patterns/ and run through the command.

(A new language and a new fact type have their tests in tests/test_registry.py:
test_a_new_language_is_a_copied_folder_and_needs_no_code and
test_a_fact_type_added_to_the_manifest_reaches_every_part.)
"""
import json

from .conftest import run_cli

NEWS = ("Hanoi, June 14, 2025 - Harbour Master Nguyen Van Thanh inspected the port of Hai Phong on Friday "
        "under the quay charter No. 15/2025/QCH-CP of the Government. The harbour master plan was not discussed.\n")


def _extract(tmp_path, text=NEWS) -> dict:
    inputs = tmp_path / "in"
    inputs.mkdir(exist_ok=True)
    (inputs / "port.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "records.jsonl"
    run_cli("extract", inputs, "-o", out, "--quiet", check=True)
    return json.loads(out.read_text(encoding="utf-8"))


def _edit_json(path, change):
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def test_add_a_post_title(patterns_copy, tmp_path):
    assert _extract(tmp_path)["officials"] == []
    with (patterns_copy / "en" / "titles.jsonl").open("a", encoding="utf-8") as titles:
        titles.write(json.dumps({"id": "harbour_master", "label": "POST", "pattern": "Harbour Master"}) + "\n")
    [official] = _extract(tmp_path)["officials"]
    assert (official["name"], official["posts"]) == ("Nguyen Van Thanh", ["Harbour Master"])
    assert [m["rule"] for m in official["mentions"]] == ["officials.en.title_before_name"]


def test_add_a_document_type(patterns_copy, tmp_path):
    [code] = _extract(tmp_path)["codes"]
    assert (code["type"], code["mentions"][0]["rule"]) == (None, "codes.any.letter")   # an unknown type: a letter
    _edit_json(patterns_copy / "codes.json",
               lambda d: d["types"].update(QCH={"label": "quay charter", "vi": "quy chế cảng", "family": ["state"]}))
    _edit_json(patterns_copy / "en" / "codes.json", lambda d: d["cues"].update({"quay charter": ["QCH"]}))
    record = _extract(tmp_path)
    [code] = record["codes"]
    assert (code["code"], code["type"], code["type_label"]) == ("15/2025/QCH-CP", "QCH", "quay charter")
    assert code["mentions"][0]["rule"] == "codes.any.state"
    assert record["warnings"] == []   # the cue word agrees with the type
