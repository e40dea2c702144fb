"""`newsfacts evaluate` gives the same figures as the shared scorer."""
import json
import subprocess
import sys

from tests.conftest import GOLD, SCORER, run_cli


def test_evaluate_agrees_with_the_shared_scorer(corpus_records_path, gold_available):
    ours = json.loads(run_cli("evaluate", "--gold", GOLD, "--pred", corpus_records_path, "--json", check=True).stdout)
    theirs = json.loads(subprocess.run([sys.executable, str(SCORER), "--gold", str(GOLD), "--pred", str(corpus_records_path), "--json"],
                                       capture_output=True, text=True, check=True).stdout)
    for key in ("articles", "missing_records", "language_accuracy", "published_accuracy", "by_language", "overall_f1"):
        assert ours[key] == theirs[key], key
    assert ours["fields"] == theirs["fields"]
    flat = sorted((f, d, k, v) for f, errs in theirs["errors"].items() for d, k, v in errs)
    assert sorted(tuple(e) for e in ours["errors"]) == flat


def test_evaluate_agrees_on_a_deliberately_wrong_prediction(tmp_path, gold_available):
    gold = [json.loads(l) for l in GOLD.read_text(encoding="utf-8").splitlines() if l.strip()]
    pred = []
    for i, g in enumerate(gold):
        p = {"doc_id": g["doc_id"], "language": {"code": "de" if i == 0 else g["language"]}, "published": None,
             "codes": [{"code": c.lower()} for c in g["codes"][1:]] + [{"code": "1-XX/TW"}],
             "dates": g["dates"][:1], "periods": ["2020 – 2025"], "officials": [{"name": n.upper()} for n in g["officials"]],
             "provinces": [{"name": p.replace(" ", "-")} for p in g["provinces"]], "authors": []}
        if i != 2:
            pred.append(p)
    path = tmp_path / "pred.jsonl"
    path.write_text("".join(json.dumps(p) + "\n" for p in pred))
    ours = json.loads(run_cli("evaluate", "--gold", GOLD, "--pred", path, "--json", check=True).stdout)
    theirs = json.loads(subprocess.run([sys.executable, str(SCORER), "--gold", str(GOLD), "--pred", str(path), "--json"],
                                       capture_output=True, text=True, check=True).stdout)
    assert ours["fields"] == theirs["fields"] and ours["overall_f1"] == theirs["overall_f1"]
    assert ours["language_accuracy"] == theirs["language_accuracy"] < 1
    text = run_cli("evaluate", "--gold", GOLD, "--pred", path, "--errors", check=True).stdout.decode()
    assert "codes\t" in text and "missed" in text and "spurious" in text
