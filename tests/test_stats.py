"""newsfacts stats: counts checked against records built here, and the charts as real images."""
from __future__ import annotations

import json
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from pipeline.cli import main as newsfacts
from tests.record_builder import news_records


def write_records(path: Path, records: list[dict], extra_lines: list[str] = ()) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in records] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def stats_json(path: Path, capsys, *flags) -> dict:
    assert newsfacts(["stats", str(path), "--json", *flags]) == 0
    return json.loads(capsys.readouterr().out)


def test_counts_of_the_test_articles(tmp_path, capsys):
    got = stats_json(write_records(tmp_path / "r.jsonl", news_records()), capsys)
    assert got["records"] == {"articles": 5, "failed": 2, "invalid_lines": 0}
    assert got["languages"] == {"en": 2, "de": 1, "fr": 1, "vi": 1}
    assert got["fact_types"] == {
        "authors": {"facts": 1, "mentions": 1, "articles": 1},
        "codes": {"facts": 6, "mentions": 8, "articles": 4},
        "dates": {"facts": 6, "mentions": 6, "articles": 4},
        "periods": {"facts": 3, "mentions": 3, "articles": 2},
        "officials": {"facts": 4, "mentions": 4, "articles": 4},
        "provinces": {"facts": 6, "mentions": 7, "articles": 4}}
    assert got["document_types"] == [
        {"type": "NQ", "label": "resolution", "documents": 1, "citations": 3, "mentions": 4},
        {"type": "CT", "label": "directive", "documents": 1, "citations": 1, "mentions": 2},
        {"type": "KL", "label": "conclusion", "documents": 1, "citations": 1, "mentions": 1},
        {"type": "QD", "label": "decision", "documents": 1, "citations": 1, "mentions": 1}]


def test_provinces_as_named_and_by_merged_unit(tmp_path, capsys):
    got = stats_json(write_records(tmp_path / "r.jsonl", news_records()), capsys)
    assert got["provinces_as_named"] == [
        {"name": "Bac Giang", "merged_into": "Bac Ninh", "articles": 2, "mentions": 3},
        {"name": "Bac Ninh", "merged_into": "Bac Ninh", "articles": 1, "mentions": 1},
        {"name": "Ben Tre", "merged_into": "Vinh Long", "articles": 1, "mentions": 1},
        {"name": "Hoa Binh", "merged_into": "Phu Tho", "articles": 1, "mentions": 1},
        {"name": "Lai Chau", "merged_into": "Lai Chau", "articles": 1, "mentions": 1}]
    # a1 names Bac Giang and Bac Ninh: one article for the merged unit, not two
    assert got["provinces_by_merged_unit"] == [
        {"name": "Bac Ninh", "named_as": ["Bac Giang", "Bac Ninh"], "articles": 2, "mentions": 4},
        {"name": "Lai Chau", "named_as": ["Lai Chau"], "articles": 1, "mentions": 1},
        {"name": "Phu Tho", "named_as": ["Hoa Binh"], "articles": 1, "mentions": 1},
        {"name": "Vinh Long", "named_as": ["Ben Tre"], "articles": 1, "mentions": 1}]


def test_months_documents_officials_warnings_errors(tmp_path, capsys):
    got = stats_json(write_records(tmp_path / "r.jsonl", news_records()), capsys)
    assert got["months"] == {
        "published": {"by_month": {"2024-12": 1, "2025-03": 1, "2025-05": 2}, "undated": 1},
        "cited_dates": {"by_month": {"2024-12": 1, "2025-03": 1, "2025-04": 1, "2025-05": 3}, "undated": 0},
        "documents_issued": {"by_month": {"2016-05": 1, "2024-12": 1, "2025-04": 1}, "undated": 3},
        "documents_cited": {"by_month": {"2025-03": 1, "2025-05": 3}, "undated": 2}}
    assert got["documents_most_cited"][:2] == [
        {"code": "57-NQ/TW", "issued": "2024-12-22", "label": "resolution", "articles": 3, "mentions": 4},
        {"code": "05-CT/TW", "issued": "2016-05-15", "label": "directive", "articles": 1, "mentions": 2}]
    assert got["documents_distinct"] == 4
    assert got["officials_most_cited"] == [
        {"name": "Nguyen Van Gau", "key": "nguyen van gau", "articles": 2, "mentions": 2},
        {"name": "Le Hoai Trung", "key": "le hoai trung", "articles": 1, "mentions": 1},
        {"name": "Tran Thanh Lam", "key": "tran thanh lam", "articles": 1, "mentions": 1}]
    assert got["warnings_by_kind"] == {"dates: no year for …": 2,
                                       "code …: the cue word … before it suggests …, the code says …": 1}
    assert got["errors_by_kind"] == {"decode": 1, "timeout": 1}


def test_top_limits_the_lists(tmp_path, capsys):
    got = stats_json(write_records(tmp_path / "r.jsonl", news_records()), capsys, "--top", "1")
    assert [o["name"] for o in got["officials_most_cited"]] == ["Nguyen Van Gau"] and got["officials_distinct"] == 3
    assert [d["code"] for d in got["documents_most_cited"]] == ["57-NQ/TW"]


def test_text_output(tmp_path, capsys):
    assert newsfacts(["stats", str(write_records(tmp_path / "r.jsonl", news_records()))]) == 0
    lines = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert ["5", "articles,", "2", "failed,", "0", "invalid", "lines"] in lines
    assert ["codes", "6", "8", "4"] in lines
    assert ["NQ", "resolution", "3", "1", "4"] in lines
    assert ["Bac", "Ninh", "2", "4", "Bac", "Giang,", "Bac", "Ninh"] in lines
    assert ["2025-05", "2"] in lines and ["undated", "3"] in lines
    assert ["Nguyen", "Van", "Gau", "2", "2"] in lines
    assert ["timeout", "1"] in lines


def test_bad_lines_are_counted_and_exit_3(tmp_path, capsys):
    path = write_records(tmp_path / "r.jsonl", news_records(), ["{oops", '{"schema_version": 1, "doc_id": 7}'])
    assert newsfacts(["stats", str(path), "--json"]) == 3
    captured = capsys.readouterr()
    got = json.loads(captured.out)
    assert got["records"] == {"articles": 5, "failed": 2, "invalid_lines": 2}
    assert "r.jsonl:8: not JSON" in captured.err and "r.jsonl:9: no doc_id" in captured.err


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_plots_are_valid_png_and_svg(tmp_path, capsys):
    pytest.importorskip("matplotlib", reason="matplotlib is not installed (pip install 'newsfacts[plot]')")
    records = write_records(tmp_path / "r.jsonl", news_records())
    charts = tmp_path / "charts"
    assert newsfacts(["stats", str(records), "--plot", str(charts)]) == 0
    names = ["documents_cited_per_month", "mentions_per_province", "officials_most_cited"]
    assert sorted(p.name for p in charts.iterdir()) == sorted(f"{n}.{ext}" for n in names for ext in ("png", "svg"))
    for name in names:
        width, height = png_size(charts / f"{name}.png")
        assert 600 <= width <= 2000 and 300 <= height <= 4000, (name, width, height)
        root = ET.parse(charts / f"{name}.svg").getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
    svg = (charts / "mentions_per_province.svg").read_text(encoding="utf-8")
    assert ">Bac Giang<" in svg and ">Vinh Long<" in svg  # the labels are text, not drawn as paths
    first = {p.name: p.read_bytes() for p in charts.glob("*.svg")}
    assert newsfacts(["stats", str(records), "--plot", str(charts)]) == 0
    assert {p.name: p.read_bytes() for p in charts.glob("*.svg")} == first  # the same records, the same files


def test_plot_without_matplotlib_is_a_usage_error(tmp_path, capsys, monkeypatch):
    from pipeline import charts

    monkeypatch.setattr(charts, "plotting_available", lambda: False)
    records = write_records(tmp_path / "r.jsonl", news_records())
    assert newsfacts(["stats", str(records), "--plot", str(tmp_path / "c")]) == 2
    assert "pip install 'newsfacts[plot]'" in capsys.readouterr().err
