"""The manifest of fact types (patterns/manifest.json) and the language folders, as the program reads them."""
import json
import shutil
import subprocess
import sys

import pytest

from pipeline import record_schema
from pipeline.patterns import PatternError, language_codes
from pipeline.process import Pipeline
from pipeline.registry import fact_types, fields, load_extractors, run_order

from .conftest import ROOT


def _manifest(patterns):
    return json.loads((patterns / "manifest.json").read_text(encoding="utf-8"))


def _write_manifest(patterns, manifest):
    (patterns / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")


def test_every_extractor_runs_after_what_it_requires():
    order = [t.field for t in run_order()]
    for t in run_order():
        assert all(order.index(r) < order.index(t.field) for r in t.requires if r in order), t.field
    assert {t.field for t in fact_types() if t.stage == "extract"} == set(order)


def test_the_published_schema_is_the_schema_of_the_manifest():
    assert record_schema.is_current(), "run python -m pipeline.record_schema"
    result = subprocess.run([sys.executable, "-m", "pipeline", "schema", "--check"], cwd=ROOT, capture_output=True)
    assert result.returncode == 0, result.stderr.decode()


def test_schema_check_fails_when_the_manifest_changed(patterns_copy):
    manifest = _manifest(patterns_copy)
    manifest["fact_types"][0]["description"] += " (changed)"
    _write_manifest(patterns_copy, manifest)
    result = subprocess.run([sys.executable, "-m", "pipeline", "schema", "--check"], cwd=ROOT, capture_output=True)
    assert result.returncode == 1 and b"stale" in result.stderr


def test_the_schema_lists_every_fact_type_where_its_stage_puts_it():
    schema = record_schema.build()
    record = schema["$defs"]["record"]
    names = list(record["properties"])
    for t in fact_types():
        assert t.field in names and t.field in record["required"]
        items = record["properties"][t.field]["items"]
        assert items["required"][-1] == "mentions" and t.value in items["properties"]
        assert names.index(t.field) < names.index("language") if t.stage == "clean" else \
            names.index(t.field) > names.index("language")


def test_records_do_not_depend_on_the_order_of_independent_extractors(corpus_records_path):
    """Only `requires` orders the extractors: any order that respects it gives the same records."""
    from pipeline.read import Input
    from pipeline.record import dumps

    paths = sorted((ROOT / "corpus").glob("*.txt"))
    expected = corpus_records_path.read_text(encoding="utf-8").splitlines()
    pipeline = Pipeline()
    steps = {step.entity: step for step in pipeline.extractors}
    # The other order that respects the requirements: latest in the manifest first.
    reordered, done = [], set()
    waiting = list(reversed(run_order()))
    while waiting:
        ready = next(t for t in waiting if set(t.requires) <= done)
        reordered.append(steps[ready.field])
        done.add(ready.field)
        waiting.remove(ready)
    assert [s.entity for s in reordered] != [s.entity for s in pipeline.extractors]
    pipeline.extractors = reordered

    got = [dumps(pipeline.run_input(Input(doc_id=p.stem, path=str(p.relative_to(ROOT))))).rstrip("\n")
           for p in paths]
    assert [json.loads(line) | {"source": None} for line in got] == \
        [json.loads(line) | {"source": None} for line in expected]


def test_each_extractor_reads_only_the_facts_it_requires():
    """find() with only the required facts in article.facts gives what it gives with all of them."""
    from pipeline.article import Article
    from pipeline.facts import group_hits

    pipeline = Pipeline()
    articles = []
    stages = pipeline._stages

    def keep(article: Article):
        record = stages(article)
        articles.append(article)
        return record

    pipeline._stages = keep
    for path in sorted((ROOT / "corpus").glob("*.txt")) + sorted((ROOT / "tests" / "data" / "multilingual").glob("*.txt")):
        pipeline.run_text(path.read_text(encoding="utf-8"))
    from pipeline.tokens import TokenView

    for article in articles:
        article.tokens = TokenView(article.folded)
        every = dict(article.facts)
        for step in pipeline.extractors:
            article.facts = {field: facts for field, facts in every.items() if field in step.fact_type.requires}
            article.warnings = []
            alone = group_hits(step.find(article), article.text, step.key_field, **({"merge": step.merge} if step.merge else {}))
            assert [f[step.key_field] for f in alone] == [f[step.key_field] for f in every[step.entity]], step.entity
        article.facts = every


@pytest.mark.parametrize("change, message", [
    (lambda m: m["fact_types"][1].update(requires=["codes", "nothing"]), "requires 'nothing', which is no fact type"),
    (lambda m: m["fact_types"][0].update(requires=["dates"]), "go round in a circle"),
    (lambda m: m["fact_types"][0].update(stage="late"), "stage is one of"),
    (lambda m: m["fact_types"][0].pop("extractor"), "names its extractor"),
    (lambda m: m["fact_types"][0].update(value="number_of"), "must hold the value field 'number_of'"),
    (lambda m: m["fact_types"][0].update(colour_="#000"), "unknown key.*colour_"),
    (lambda m: m["fact_types"].append(dict(m["fact_types"][0])), "listed twice"),
])
def test_a_broken_manifest_is_refused_with_a_reason(patterns_copy, change, message):
    manifest = _manifest(patterns_copy)
    change(manifest)
    _write_manifest(patterns_copy, manifest)
    with pytest.raises(PatternError, match=message):
        fields()


def test_an_extractor_that_cannot_be_loaded_is_named(patterns_copy):
    manifest = _manifest(patterns_copy)
    manifest["fact_types"][0]["extractor"] = "pipeline.extract.codes:NoSuchClass"
    _write_manifest(patterns_copy, manifest)
    with pytest.raises(PatternError, match="codes: cannot load extractor 'pipeline.extract.codes:NoSuchClass'"):
        load_extractors(["codes"])


# -- a language is a folder ----------------------------------------------------------

ROMANIAN = {"1": ["ianuarie", "ian."], "2": ["februarie", "feb."], "3": ["martie"], "4": ["aprilie"], "5": ["mai"],
            "6": ["iunie"], "7": ["iulie"], "8": ["august"], "9": ["septembrie"], "10": ["octombrie"],
            "11": ["noiembrie"], "12": ["decembrie"]}
ROMANIAN_TEXT = ("Comitetul Central al Partidului s-a reunit pe 14 iunie 2025 la Hanoi pentru a discuta planul "
                 "de dezvoltare economică al provinciei.\n\nȘedința următoare va avea loc pe 3 iulie 2025, după "
                 "cum au anunțat oficialii partidului în cadrul unei conferințe de presă.\n")


def test_a_new_language_is_a_copied_folder_and_needs_no_code(patterns_copy, tmp_path):
    """Copy fr/ to ro/, give it Romanian month names (data only): Romanian text gets dates.ro.* facts."""
    shutil.copytree(patterns_copy / "fr", patterns_copy / "ro")
    language = {"name": "Romanian", "first_class": True, "order": 5}
    (patterns_copy / "ro" / "language.json").write_text(json.dumps(language), encoding="utf-8")
    dates = json.loads((patterns_copy / "ro" / "dates.json").read_text(encoding="utf-8"))
    dates["months"] = ROMANIAN
    (patterns_copy / "ro" / "dates.json").write_text(json.dumps(dates, ensure_ascii=False), encoding="utf-8")
    article = tmp_path / "ro.txt"
    article.write_text(ROMANIAN_TEXT, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(article), "-o", "-"],
                            cwd=ROOT, capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    record = json.loads(result.stdout)
    assert record["language"]["code"] == "ro"
    assert [(d["value"], d["mentions"][0]["rule"]) for d in record["dates"]] == [
        ("2025-06-14", "dates.ro.day_month"), ("2025-07-03", "dates.ro.day_month")]
    assert not any("not supported" in w for w in record["warnings"])


def test_a_language_folder_without_a_file_a_fact_type_reads_is_reported_once(patterns_copy, tmp_path):
    (patterns_copy / "ro").mkdir()
    (patterns_copy / "ro" / "language.json").write_text(json.dumps({"name": "Romanian", "first_class": False,
                                                                      "order": 5}))
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in range(3):
        (inputs / f"{name}.txt").write_text(ROMANIAN_TEXT, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(inputs), "-o", str(tmp_path / "o.jsonl"),
                             "--workers", "2"], cwd=ROOT, capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    err = result.stderr.decode()
    for t in fact_types():
        if t.language_files:
            assert err.count(f"patterns/ro/ has no {' or '.join(t.language_files)}: {t.field} ") == 1, (t.field, err)
    assert "patterns/fr/" not in err


QUOTES = {
    "field": "quotes", "label": "quote", "value": "text", "stage": "extract",
    "extractor": "tests.quotes_extractor:QuotesExtractor", "requires": [],
    "description": "Slogans the article quotes (a test fact type).", "colour": "#bbeeff", "evaluate": "text",
    "fact": {"required": ["text", "words"],
             "properties": {"text": {"type": "string"}, "words": {"type": "integer", "minimum": 1}}},
    "store": {"table": "quotes", "fact_id": "quote_id", "description": "Slogans an article quotes.",
              "count": "Distinct slogans quoted", "written": "text",
              "columns": [{"name": "text", "sql": "TEXT NOT NULL", "description": "The slogan's words"},
                          {"name": "sentence_id"},
                          {"name": "word_count", "sql": "INTEGER", "from": "words"}],
              "indexes": {"text": "text"},
              "mentions": {"table": "quote_mentions", "description": "Each place a slogan is written."}},
}
QUOTED_TEXT = ("Hà Nội, 14/06/2025 - Le secrétaire général a rappelé le mot d'ordre « Tout pour le peuple » "
               "devant le Comité central. Un « non » bref ne compte pas, « Tout pour le peuple » revient.\n")


def test_a_fact_type_added_to_the_manifest_reaches_every_part(patterns_copy, tmp_path):
    """docs/extending.md, "Add a fact type": one manifest entry and its extractor, no other edit."""
    import jsonschema

    from pipeline.cli import main as newsfacts
    from pipeline.review import kinds

    manifest = _manifest(patterns_copy)
    manifest["fact_types"].append(QUOTES)
    _write_manifest(patterns_copy, manifest)
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "slogan.txt").write_text(QUOTED_TEXT, encoding="utf-8")
    records = tmp_path / "records.jsonl"
    result = subprocess.run([sys.executable, "-m", "pipeline", "extract", str(inputs), "-o", str(records)],
                            cwd=ROOT, capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    # the summary
    assert " quotes=1," in result.stderr.decode()
    # the record: one fact, both mentions, the rule id of the convention; the other facts as before
    record = json.loads(records.read_text(encoding="utf-8"))
    assert list(record)[-1] == "quotes" or list(record).index("quotes") > list(record).index("authors")
    [quote] = record["quotes"]
    assert quote["text"] == "Tout pour le peuple" and quote["words"] == 4
    assert [QUOTED_TEXT[m["start"]:m["end"]] for m in quote["mentions"]] == ["« Tout pour le peuple »"] * 2
    assert {m["rule"] for m in quote["mentions"]} == {"quotes.any.quote"}
    assert record["dates"][0]["value"] == "2025-06-14"
    # the schema: generated with the new field, and the record fits it
    schema = record_schema.build()
    assert "quotes" in schema["$defs"]["record"]["required"]
    jsonschema.validate(record, schema)
    # the review pages: highlighted in its colour, counted in the index
    assert kinds()["quote"] == ("quotes", "text", "#bbeeff")
    out = tmp_path / "review"
    assert newsfacts(["review", str(records), "-o", str(out), "--quiet"]) == 0
    pages = "".join(p.read_text(encoding="utf-8") for p in out.rglob("*.html"))
    assert "#bbeeff" in pages and "quote: Tout pour le peuple" in pages
    assert 'title="distinct quotes in the article">quotes</th>' in pages
    # evaluate: scored like the other fields
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"doc_id": record["doc_id"], "language": "fr",
                                "quotes": [{"text": "Tout pour le peuple"}, {"text": "Vive le Vietnam"}]}) + "\n")
    result = subprocess.run([sys.executable, "-m", "pipeline", "evaluate", "--gold", str(gold), "--pred", str(records),
                             "--json"], cwd=ROOT, capture_output=True, timeout=300)
    scores = json.loads(result.stdout)["fields"]["quotes"]
    assert (scores["tp"], scores["fp"], scores["fn"]) == (1, 0, 1)
    # the store: its table, mentions and count column, each mention in its sentence; Datasette describes them
    import sqlite3

    from pipeline.store.serve import metadata_for

    db = tmp_path / "facts.db"
    assert newsfacts(["load", str(records), "--db", str(db), "--quiet"]) == 0
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT quotes, dates FROM articles").fetchone() == (1, len(record["dates"]))
    [(quote_id, text, words, sentence)] = conn.execute(
        "SELECT q.id, q.text, q.word_count, s.text FROM quotes q JOIN sentences s ON s.id = q.sentence_id").fetchall()
    assert (text, words) == ("Tout pour le peuple", 4) and "« Tout pour le peuple »" in sentence
    mentions = conn.execute("SELECT m.text, m.rule FROM quote_mentions m JOIN sentences s ON s.id = m.sentence_id "
                            "WHERE m.quote_id = ? AND s.text LIKE '%' || m.text || '%'", [quote_id]).fetchall()
    assert mentions == [("« Tout pour le peuple »", "quotes.any.quote")] * 2
    assert conn.execute("SELECT count(*) FROM dates").fetchone()[0] == len(record["dates"])
    tables = metadata_for(db)["databases"]["facts"]["tables"]
    assert tables["quotes"]["description"] == "Slogans an article quotes."
    assert tables["quote_mentions"]["columns"]["rule"] and tables["articles"]["columns"]["quotes"]
    # a store built before the fact type was added is refused, with what to do
    manifest["fact_types"].pop()
    _write_manifest(patterns_copy, manifest)
    old_store = tmp_path / "old.db"
    result = subprocess.run([sys.executable, "-m", "pipeline", "load", str(records), "--db", str(old_store)],
                            cwd=ROOT, capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    manifest["fact_types"].append(QUOTES)
    _write_manifest(patterns_copy, manifest)
    result = subprocess.run([sys.executable, "-m", "pipeline", "load", str(records), "--db", str(old_store)],
                            cwd=ROOT, capture_output=True, timeout=300)
    assert result.returncode != 0
    assert "the store has no articles.quotes, quotes, quote_mentions: it was built for other fact types" \
        in result.stderr.decode()


@pytest.mark.parametrize("change, message", [
    (lambda store: store["columns"][0].update({"from": "nothing"}), "column code: its fact has no 'nothing'"),
    (lambda store: store["columns"].pop(1), "columns list sentence_id once"),
    (lambda store: store["columns"][2].update(convert="upper"), "convert is one of"),
    (lambda store: store.update(written="colour"), "written names no column"),
    (lambda store: store["mentions"].update(table="documents"), "store table \\['documents'\\] named twice"),
    (lambda store: store.update(colour="red"), "unknown key.*colour"),
])
def test_a_broken_store_entry_is_refused_with_a_reason(patterns_copy, change, message):
    from pipeline.store.fact_tables import fact_tables

    manifest = _manifest(patterns_copy)
    change(manifest["fact_types"][0]["store"])
    _write_manifest(patterns_copy, manifest)
    with pytest.raises(PatternError, match=message):
        fact_tables()


def test_every_rule_id_names_its_fact_type_and_language(corpus_records):
    """Rule ids are <fact type>.<language code or any>.<rule> (docs/extending.md)."""
    import re

    shape = re.compile(rf"(?P<fact>\w+)\.(?P<lang>{'|'.join(language_codes())}|any)\.[a-z0-9_]+")
    rules = {(field, m["rule"]) for r in corpus_records for field in fields() for f in r.get(field, [])
             for m in f["mentions"]}
    assert {field for field, _ in rules} >= {"codes", "dates", "officials", "provinces"}
    for field, rule in rules:
        m = shape.fullmatch(rule)
        assert m and m["fact"] == field, rule
