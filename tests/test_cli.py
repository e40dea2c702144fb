"""The CLI: commands, help with examples, stdin/stdout, schema, exit codes."""
import json

import jsonschema
import pytest

from pipeline.record import schema
from tests.conftest import ROOT, run_cli

FRENCH = ("Le secrétaire du Comité provincial du Parti de Hoa Binh a présenté la résolution n° 57-NQ/TW, "
          "datée du 22 décembre 2024 du Politburo, lors de la conférence du 14 juin 2025.\n").encode()


@pytest.mark.parametrize("command", ["extract", "schema", "evaluate"])
def test_help_has_an_example(command):
    result = run_cli(command, "--help")
    assert result.returncode == 0
    assert b"example" in result.stdout


def test_stdin_to_stdout():
    result = run_cli("extract", "-", "-o", "-", input=FRENCH, check=True)
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["doc_id"] == "stdin" and record["language"]["code"] == "fr"
    assert [c["code"] for c in record["codes"]] == ["57-NQ/TW"]
    assert [p["name"] for p in record["provinces"]] == ["Hoa Binh"]
    summary = result.stderr.decode()
    assert "1 articles" in summary and "codes=1" in summary and "errors" in summary


def test_schema_command_prints_the_shipped_schema():
    result = run_cli("schema", check=True)
    printed = json.loads(result.stdout)
    assert printed == schema()
    jsonschema.Draft202012Validator.check_schema(printed)


def test_missing_input_is_a_usage_error(tmp_path):
    result = run_cli("extract", tmp_path / "nope", "-o", tmp_path / "out.jsonl")
    assert result.returncode == 2 and b"no such file" in result.stderr


def test_python_m_and_console_script_agree(tmp_path):
    import shutil
    import subprocess
    script = shutil.which("newsfacts", path=str(ROOT / ".venv" / "bin"))
    if script is None:
        pytest.skip("console script not installed (run tools/venv.sh)")
    a = subprocess.run([script, "extract", "-", "-o", "-", "-q"], input=FRENCH, capture_output=True, check=True).stdout
    b = run_cli("extract", "-", "-o", "-", "-q", input=FRENCH, check=True).stdout
    assert a == b


def test_duplicate_doc_id_is_an_error_naming_both_paths(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "same.txt").write_bytes(FRENCH)
    (tmp_path / "b" / "same.txt").write_bytes(FRENCH)
    out = tmp_path / "out.jsonl"
    result = run_cli("extract", tmp_path / "a", tmp_path / "b", "-o", out)
    records = [json.loads(l) for l in out.read_text().splitlines()]
    assert len(records) == 2 and "error" not in records[0]
    err = records[1]["error"]
    assert err["kind"] == "duplicate_id" and "a/same.txt" in err["message"] and "b/same.txt" in err["message"]
    assert result.returncode == 3


def test_api_extract_text_and_files():
    from pipeline import extract_files, extract_text
    record = extract_text(FRENCH.decode(), doc_id="note", metadata={"url": "https://example.vn/a", "published": "2025-06-20"})
    assert record["doc_id"] == "note" and record["source"]["url"] == "https://example.vn/a"
    assert record["published"] == "2025-06-20"
    ids = [r["doc_id"] for r in extract_files([str(ROOT / "corpus")])]
    assert ids == sorted(ids) and len(ids) == 5
