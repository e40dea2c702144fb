"""newsfacts review: one page per article with every mention highlighted, an index,
and a screenshot of the index in headless Chromium."""
from __future__ import annotations

import html
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.cli import main as newsfacts
from pipeline.review import KINDS, displacy_spans, find_chromium, mentions_of, screenshot

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "records_sample.jsonl"


class Marks(HTMLParser):
    """Collects the highlighted pieces (<mark data-start data-end title>) and the chips of a page."""

    def __init__(self):
        super().__init__()
        self.marks: list[dict] = []
        self.chips: list[str] = []
        self._mark = None
        self._in_chip = False
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "mark":
            self._mark = {"start": int(attrs["data-start"]), "end": int(attrs["data-end"]),
                          "title": attrs["title"], "text": ""}
        elif tag == "span" and attrs.get("class") == "nf-chip":
            self._in_chip = True
            self.chips.append("")
        elif tag == "a" and "href" in attrs:
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "mark" and self._mark is not None:
            self.marks.append(self._mark)
            self._mark = None
        elif tag == "span" and self._in_chip:
            self._in_chip = False

    def handle_data(self, data):
        if self._in_chip:
            self.chips[-1] += data
        elif self._mark is not None:
            self._mark["text"] += data


def parse(path: Path) -> Marks:
    parser = Marks()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def check_pages(records_path: Path, out: Path) -> int:
    """Every mention of every record is highlighted on its page, with its value on hover."""
    assert newsfacts(["review", str(records_path), "-o", str(out), "--quiet"]) == 0
    index = parse(out / "index.html")
    checked = 0
    for line in records_path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        page = out / "articles" / f"{record['doc_id']}.html"
        assert f"articles/{record['doc_id']}.html" in index.links
        content = page.read_text(encoding="utf-8")
        if "error" in record:
            assert html.escape(record["error"]["message"]) in content
            continue
        marks = parse(page)
        text = record["text"]
        for mark in marks.marks:
            assert mark["text"] == text[mark["start"]:mark["end"]]
        mentions = mentions_of(record)
        assert len(mentions) == sum(len(f["mentions"]) for k, (field, _, _) in KINDS.items()
                                    for f in record.get(field) or [])
        for m in mentions:
            pieces = [k for k in marks.marks if m["start"] <= k["start"] and k["end"] <= m["end"]]
            assert "".join(k["text"] for k in sorted(pieces, key=lambda k: k["start"])) == m["text"], m
            assert all(f"{m['kind']}: {m['value']}" in k["title"] for k in pieces)
            checked += 1
        assert sorted(marks.chips) == sorted(m["kind"] for m in mentions)
    return checked


def test_sample_pages_highlight_every_mention(tmp_path):
    assert check_pages(SAMPLE, tmp_path / "review") > 80


def test_corpus_pages_highlight_every_mention(corpus_records_path, tmp_path):
    assert check_pages(corpus_records_path, tmp_path / "review") > 50


def test_overlapping_mentions_are_both_highlighted():
    text = "Đồng chí Nguyễn Văn Gấu, Bí thư Tỉnh ủy Bắc Giang, phát biểu."
    official = text.index("Nguyễn")
    province = text.index("Bắc Giang")
    record = {"doc_id": "x", "text": text,
              "officials": [{"name": "Nguyen Van Gau", "posts": ["Bí thư Tỉnh ủy Bắc Giang"], "province": "Bac Giang",
                             "mentions": [{"start": official, "end": province + 9, "text": text[official:province + 9]}]}],
              "provinces": [{"name": "Bac Giang", "merged_into": "Bac Ninh",
                             "mentions": [{"start": province, "end": province + 9, "text": "Bắc Giang"}]}]}
    spans = displacy_spans(mentions_of(record))
    assert [(s["start"], s["end"], s["label"]) for s in spans] == [(official, province, "official"),
                                                                    (province, province + 9, "province")]
    inner_title = html.unescape(spans[1]["params"]["title"])
    assert "official: Nguyen Van Gau" in inner_title and "province: Bac Giang (since 2025 part of Bac Ninh)" in inner_title
    assert "official" in spans[0]["params"]["chip"] and "province" in spans[1]["params"]["chip"]


def test_index_counts_provinces_and_orders_the_timeline(tmp_path):
    out = tmp_path / "review"
    assert newsfacts(["review", str(SAMPLE), "-o", str(out), "--quiet"]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    # merged unit Bac Ninh gathers Bac Giang (002: 4 mentions, 900: 3) and Bac Ninh (002: 4)
    assert "<tr><td>Bac Ninh</td><td>2</td><td>11</td><td>Bac Giang, Bac Ninh</td></tr>" in page
    assert "<tr><td>Bac Giang</td><td>Bac Ninh</td><td>2</td><td>7</td>" in page
    dates = ["2021-06-08", "2021-07-15", "2024-11-29", "2024-12-22", "2025-04-08", "2025-06-19"]
    positions = [page.index(f'<span class="nf-date">{d}</span>') for d in dates]
    assert positions == sorted(positions)
    assert page.index("<b>55/QD-BXD</b>") > page.index("Issue date not stated")


def test_text_is_escaped(tmp_path):
    record = {"schema_version": 1, "doc_id": "evil", "title": "<script>alert(1)</script>",
              "text": "<img src=x onerror=alert(1)> 57-NQ/TW",
              "codes": [{"code": "57-NQ/TW", "mentions": [{"start": 30, "end": 38, "text": "57-NQ/TW"}]}]}
    path = tmp_path / "evil.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    assert newsfacts(["review", str(path), "-o", str(tmp_path / "out"), "--quiet"]) == 0
    content = (tmp_path / "out" / "articles" / "evil.html").read_text(encoding="utf-8")
    assert "<script>" not in content and "<img" not in content
    assert "&lt;img src=x onerror=alert(1)&gt;" in content


def test_screenshot_of_the_index(corpus_records_path, tmp_path):
    if find_chromium() is None:
        pytest.skip("chromium is not installed: run tools/install-system-deps.sh")
    out = tmp_path / "review"
    assert newsfacts(["review", str(corpus_records_path), "-o", str(out), "--quiet"]) == 0
    png = ROOT / "outputs" / "review-index.png"
    png.unlink(missing_ok=True)
    screenshot(out / "index.html", png)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
