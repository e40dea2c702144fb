"""Built extractors kept on disk between runs (pipeline/build_cache.py)."""
import json
import os
import pickle

import pytest

from pipeline import build_cache
from pipeline.extract.dates import DatesExtractor
from pipeline.extract.officials import OfficialsExtractor
from pipeline.process import Pipeline
from tests.conftest import ROOT, run_cli

FR = ("Le 12 mars 2025, le secrétaire du Comité provincial du Parti de Hoa Binh, Nguyen Van Gau, a présenté "
      "le plan n° 02-KH/BCĐTW et la résolution 57-NQ/TW pour la période 2025-2030.")
VI = ("Ngày 5/7/2025, đồng chí Trần Cẩm Tú, Ủy viên Bộ Chính trị, Thường trực Ban Bí thư đã làm việc với "
      "Tỉnh ủy Quảng Ninh về Nghị quyết 57-NQ/TW.")


def _facts(pipeline: Pipeline) -> list[str]:
    return [json.dumps(pipeline.run_text(text, doc_id=str(i)), sort_keys=True) for i, text in enumerate([FR, VI])]


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("NEWSFACTS_CACHE_DIR", str(folder))
    return folder


def _refuse_building(monkeypatch, *classes):
    """From now on, building these classes fails: a Pipeline can only have loaded them."""
    def refuse(self, *args, **kwargs):
        raise AssertionError(f"{type(self).__name__} was built, not loaded")
    for cls in classes:
        monkeypatch.setattr(cls, "__init__", refuse)


def test_a_second_pipeline_loads_what_the_first_built_and_finds_the_same_facts(cache, monkeypatch):
    built = Pipeline()
    names = sorted(p.name.split("-", 1)[1] for p in cache.iterdir())
    assert names == ["clean.pickle", "codes.pickle", "dates.pickle", "officials.pickle", "periods.pickle",
                     "provinces.pickle"]
    assert oct(cache.stat().st_mode & 0o777) == "0o700"
    _refuse_building(monkeypatch, DatesExtractor, OfficialsExtractor)
    loaded = Pipeline()
    assert _facts(loaded) == _facts(built)
    assert "57-NQ/TW" in _facts(loaded)[0] and "Nguyen Van Gau" in _facts(loaded)[0]


def test_a_changed_pattern_file_means_a_new_build(cache, patterns_copy, tmp_path):
    # (A process reads its pattern files once: each run is a process of its own, as for a user.)
    article = tmp_path / "in" / "port.txt"
    article.parent.mkdir()
    article.write_text("Hanoi, June 14, 2025 - Harbour Master Nguyen Van Thanh inspected the port of Hai Phong on "
                       "Friday and asked the crews to keep the channel clear during the storm season.",
                       encoding="utf-8")
    out = tmp_path / "records.jsonl"

    def officials() -> list[str]:
        run_cli("extract", article.parent, "-o", out, "-q", "--restart", check=True)
        return [o["name"] for o in json.loads(out.read_text(encoding="utf-8"))["officials"]]

    assert officials() == []
    first = {p.name for p in cache.iterdir()}
    with (patterns_copy / "en" / "titles.jsonl").open("a", encoding="utf-8") as titles:
        titles.write(json.dumps({"id": "harbour_master", "label": "POST", "pattern": "Harbour Master"}) + "\n")
    assert officials() == ["Nguyen Van Thanh"]
    assert {p.name for p in cache.iterdir()} > first          # a new key beside the old one


def test_a_change_to_the_code_means_a_new_key(cache, monkeypatch, tmp_path):
    root = build_cache.patterns_root()
    key = build_cache._key(root)
    package = tmp_path / "pipeline"
    package.mkdir()
    (package / "extra.py").write_text("X = 1\n")
    monkeypatch.setattr(build_cache, "_PACKAGE", package)
    other = build_cache._key(root)
    (package / "extra.py").write_text("X = 2\n")
    assert len({key, other, build_cache._key(root)}) == 3


def test_a_damaged_file_is_built_again_and_written_again(cache):
    Pipeline()
    damaged = next(cache.glob("*-dates.pickle"))
    damaged.write_bytes(damaged.read_bytes()[:1000])
    pipeline = Pipeline()
    assert _facts(pipeline)[0].count('"2025-03-12"') >= 1
    assert isinstance(pickle.loads(damaged.read_bytes()), DatesExtractor)


def test_a_folder_others_may_write_is_never_read(cache, monkeypatch):
    Pipeline()
    os.chmod(cache, 0o777)
    _refuse_building(monkeypatch, DatesExtractor)
    with pytest.raises(AssertionError, match="DatesExtractor was built"):
        Pipeline()


def test_a_file_others_may_write_is_never_read(cache, monkeypatch):
    Pipeline()
    os.chmod(next(cache.glob("*-dates.pickle")), 0o666)
    _refuse_building(monkeypatch, DatesExtractor)
    with pytest.raises(AssertionError, match="DatesExtractor was built"):
        Pipeline()


def test_a_link_in_place_of_a_file_is_not_followed_and_gets_replaced(cache, monkeypatch, tmp_path):
    Pipeline()
    path = next(cache.glob("*-dates.pickle"))
    elsewhere = tmp_path / "elsewhere.pickle"
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    pipeline = Pipeline()          # built (the link is not read), then written in the link's place
    assert path.is_file() and not path.is_symlink() and elsewhere.is_file()
    assert '"2025-03-12"' in _facts(pipeline)[0]


def test_the_cache_can_be_turned_off(cache, monkeypatch):
    monkeypatch.setenv("NEWSFACTS_CACHE_DIR", "off")
    Pipeline()
    assert not cache.exists()


def test_an_extractor_from_outside_the_package_is_built_every_time(cache):
    from tests.quotes_extractor import QuotesExtractor

    made = build_cache.load_or_build("quotes", QuotesExtractor.__module__, QuotesExtractor)
    assert isinstance(made, QuotesExtractor) and not cache.exists()


def test_only_the_newest_keys_are_kept(cache):
    cache.mkdir(mode=0o700)
    for n in range(build_cache.KEEP_KEYS + 3):
        path = cache / f"key{n:02d}-dates.pickle"
        build_cache._store(cache, path, {"n": n})
        os.utime(path, (1_000_000 + n, 1_000_000 + n))
    kept = sorted(p.name for p in cache.iterdir())
    assert kept == [f"key{n:02d}-dates.pickle" for n in range(3, build_cache.KEEP_KEYS + 3)]


def test_extract_gives_the_same_records_built_and_loaded(cache, tmp_path):
    outputs = []
    for run in ("built", "loaded"):
        out = tmp_path / f"{run}.jsonl"
        run_cli("extract", ROOT / "corpus", "-o", out, "-q", check=True)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] and len(list(cache.glob("*.pickle"))) == 6


def test_a_dangling_link_in_the_patterns_folder_only_means_no_cache(cache, patterns_copy):
    (patterns_copy / "notes.txt").symlink_to(patterns_copy / "gone.txt")
    made = build_cache.load_or_build("dates", DatesExtractor.__module__, DatesExtractor)
    assert isinstance(made, DatesExtractor) and not cache.exists()
