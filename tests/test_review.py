"""newsfacts review: one page per article with every mention highlighted, an index,
and a screenshot of the index in headless Chromium."""
from __future__ import annotations

import html
import json
import re
import struct
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.cli import main as newsfacts
from pipeline.review import chromium_command, displacy_spans, find_chromium, kinds, mentions_of, screenshot
from tests.record_builder import code, error_record, news_records, official, province, record

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
        assert len(mentions) == sum(len(f["mentions"]) for k, (field, _, _) in kinds().items()
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


PAYLOAD = "<img src=x onerror=alert(1)><script>alert(2)</script>\"'&"


def write_records(path: Path, records: list[dict], extra_lines: list[str] = ()) -> Path:
    lines = [json.dumps(r, ensure_ascii=False) for r in records] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


class Tags(HTMLParser):
    """Every start tag of a page, and the rows of its tables (cell texts, with the row's attributes)."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.tables: dict[str, list[tuple[dict, list[str]]]] = {}
        self._table, self._row, self._cell, self._count = None, None, None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "table":
            self._count += 1
            self._table = attrs.get("id") or f"table{self._count}"
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self._row = (attrs, [])
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""
        elif tag == "div" and self._cell is not None:  # a line of its own inside the cell
            self._cell += " "

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row[1].append(" ".join(self._cell.split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def tags_of(path: Path) -> Tags:
    parser = Tags()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def review(records: list[dict], tmp_path: Path, name: str = "review") -> Path:
    out = tmp_path / name
    assert newsfacts(["review", str(write_records(tmp_path / f"{name}.jsonl", records)), "-o", str(out), "--quiet"]) == 0
    return out


# ---------------------------------------------------------------- hostile records

@pytest.mark.parametrize("url, is_link", [
    ("https://nhandan.vn/a-post881826.html", True), ("http://example.vn/a?b=1&c=2", True),
    ("HTTPS://EXAMPLE.VN/A", True),
    ("javascript:alert(document.cookie)", False), ("JavaScript:alert(1)", False), (" javascript:alert(1)", False),
    ("java\tscript:alert(1)", False), ("\x01javascript:alert(1)", False), ("data:text/html,<script>alert(1)</script>", False),
    ("vbscript:msgbox(1)", False), ("//evil.example/x", False), ("ftp://example.vn/f", False),
    ("https://example.vn/a\nb", False), ("https:", False)])
def test_only_http_urls_become_links(url, is_link, tmp_path):
    out = review([record("u", "Nghị quyết 57-NQ/TW.", lang="vi", url=url,
                         codes=[code("57-NQ/TW", "NQ", "resolution")])], tmp_path)
    links = [attrs["href"] for tag, attrs in tags_of(out / "articles" / "u.html").tags if tag == "a"]
    assert links[0] == "../index.html"
    assert links[1:] == ([url] if is_link else [])
    assert all(re.match(r"(?i)https?://", href) for href in links[1:])
    page = (out / "articles" / "u.html").read_text(encoding="utf-8")
    assert html.escape(url) in page  # shown either way, as text when it is not a link


def _poison(value):
    """Every string of a record with PAYLOAD added (keys and numbers kept, so it stays a valid record)."""
    if isinstance(value, str):
        return PAYLOAD + value
    if isinstance(value, list):
        return [_poison(v) for v in value]
    if isinstance(value, dict):
        return {k: v if k in ("published", "issued", "value") else _poison(v) for k, v in value.items()}
    return value


def test_no_string_of_a_record_becomes_markup(tmp_path):
    records = [_poison(r) for r in news_records()]
    out = review(records, tmp_path)
    pages = [out / "index.html", *sorted((out / "articles").iterdir())]
    assert len(pages) == len(records) + 1
    for page in pages:
        tags = tags_of(page).tags
        assert not [t for t, _ in tags if t == "img"], page
        scripts = [a.get("src") for t, a in tags if t == "script"]
        assert scripts == (["review.js"] if page.name == "index.html" else []), page
        assert not [(t, k) for t, a in tags for k in a if k.startswith("on")], page
        assert not [a["href"] for t, a in tags if t == "a" and "href" in a and "javascript" in a["href"].lower()]
    assert PAYLOAD.replace("<", "&lt;")[:20] in (out / "index.html").read_text(encoding="utf-8")


def test_a_symlink_at_a_page_path_is_replaced_not_followed(tmp_path):
    out = tmp_path / "review"
    (out / "articles").mkdir(parents=True)
    victims = {}
    for planted in ("articles/a1-vi.html", "index.html", "review.css", "review.js"):
        victim = tmp_path / f"victim-{planted.replace('/', '-')}"
        victim.write_text("keep me", encoding="utf-8")
        (out / planted).symlink_to(victim)
        victims[planted] = victim
    assert newsfacts(["review", str(write_records(tmp_path / "r.jsonl", news_records())), "-o", str(out), "-q"]) == 0
    for planted, victim in victims.items():
        assert victim.read_text(encoding="utf-8") == "keep me", planted
        assert not (out / planted).is_symlink() and (out / planted).stat().st_size > 100, planted
    assert not [p for p in out.rglob(".*.tmp")]


def test_a_symlinked_articles_folder_is_refused(tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "review"
    out.mkdir()
    (out / "articles").symlink_to(elsewhere, target_is_directory=True)
    assert newsfacts(["review", str(write_records(tmp_path / "r.jsonl", news_records())), "-o", str(out)]) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert list(elsewhere.iterdir()) == []


def test_bad_lines_are_skipped_and_named(tmp_path, capsys):
    path = write_records(tmp_path / "r.jsonl", news_records(),
                         ["not json", '{"schema_version": 1, "doc_id": "m", "codes": [{"code": "1", "mentions": 5}]}',
                          '{"schema_version": 1, "doc_id": "t", "text": 5}'])
    assert newsfacts(["review", str(path), "-o", str(tmp_path / "out")]) == 3
    err = capsys.readouterr().err
    assert "r.jsonl:8: not JSON" in err and "r.jsonl:9: codes[0].mentions is not a list of objects" in err
    assert "r.jsonl:10: text is not a string" in err
    assert len(list((tmp_path / "out" / "articles").iterdir())) == len(news_records())


# ---------------------------------------------------------------- the index

def test_index_lists_every_article_with_its_counts(tmp_path):
    records = news_records()
    out = review(records, tmp_path)
    index = tags_of(out / "index.html")
    header, *rows = index.tables["nf-articles"]
    assert header[1] == ["title", "published", "lang", "codes", "dates", "periods", "officials", "provinces",
                         "authors", "warnings", "error"]
    assert len(rows) == len(records)
    by_id = {cells[0].split()[-1]: (attrs, cells) for attrs, cells in rows}
    attrs, cells = by_id["a1-vi"]
    assert cells == ["Bắc Giang quán triệt Nghị quyết 57 a1-vi", "2025-03-12", "vi", "1", "2", "1", "1", "2", "0", "0", ""]
    assert attrs["data-lang"] == "vi" and attrs["data-status"] == "ok"
    assert set(attrs["data-facets"].split("|")) == {"p:Bac Giang", "p:Bac Ninh", "u:Bac Ninh", "c:57-NQ/TW",
                                                     "m:2024-12", "o:nguyen van gau"}
    assert by_id["a3-de"][1][0] == "a3-de a3-de"  # no title: the id stands in
    assert by_id["a3-de"][0]["data-status"] == "ok warnings"
    assert by_id["a5-en"][0]["data-status"] == "ok nofacts"
    assert by_id["a6-broken"][1][-1] == "decode" and by_id["a6-broken"][0]["data-status"] == "error"
    for doc_id, (attrs, _) in by_id.items():  # every row links its page
        page = [a["href"] for t, a in index.tags if t == "a" and a.get("href", "").startswith(f"articles/{doc_id}")]
        assert page == [f"articles/{doc_id}.html"]


def test_index_counts_provinces_documents_and_officials(tmp_path):
    out = review(news_records(), tmp_path)
    tables = list(tags_of(out / "index.html").tables.values())
    cells = [[c for c in row] for table in tables for _, row in table]
    assert ["57-NQ/TW", "resolution", "2024-12-22", "3", "4"] in cells  # the document most cited
    assert ["Bac Giang", "Bac Ninh", "2", "3"] in cells  # as named: two articles, three mentions
    assert ["Bac Ninh", "2", "4", "Bac Giang, Bac Ninh"] in cells  # merged unit: a1 names both, counted once
    assert ["Vinh Long", "1", "1", "Ben Tre"] in cells
    assert ["Nguyen Van Gau", "2", "2"] in cells
    page = (out / "index.html").read_text(encoding="utf-8")
    months = re.findall(r'title="(\d{4}-\d{2}): (\d+) citation', page)
    assert months == [("2016-05", "1"), ("2024-12", "1"), ("2025-04", "1")]
    assert len(re.findall(r'class="nf-col(?: nf-facet)?"', page)) == 12 * 9  # 2016-05 .. 2025-04, empty months too


@pytest.fixture(scope="module")
def big_review(tmp_path_factory):
    """The review of 2,000 articles, made once for the tests that need that many."""
    records = thousands(2000)
    return records, review(records, tmp_path_factory.mktemp("big"))


def test_a_large_index_is_no_wall_of_ids(big_review):
    """At 2,000 articles each id appears in its own row only, and the page stays small."""
    records, out = big_review
    page = (out / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr data-q="[^"]* (doc-\d+)".*?</tr>', page)
    assert rows == [r["doc_id"] for r in records]
    for row in re.findall(r'<tr data-q=.*?</tr>', page)[::97]:
        doc_id = re.search(r"doc-\d+", row).group(0)
        assert page.count(doc_id) == row.count(doc_id) == 3  # search text, link, id under the title
    assert len(page.encode()) < 1200 * len(records)


def thousands(n: int) -> list[dict]:
    """n short articles with varied languages, provinces, documents and officials."""
    langs = ["fr", "de", "en", "vi"]
    places = [("Bac Giang", "Bac Ninh"), ("Bac Ninh", "Bac Ninh"), ("Ben Tre", "Vinh Long"), ("Lai Chau", "Lai Chau"),
              ("Ha Nam", "Ninh Binh")]
    records = []
    for i in range(n):
        place, unit = places[i % len(places)]
        doc = f"{i % 37 + 1}-NQ/TW"
        text = f"Le Comité de {place} applique la résolution {doc}. Le secrétaire Nguyen Van An{i % 11} parle."
        records.append(record(f"doc-{i:05d}", text, lang=langs[i % 4], published=f"2025-{i % 12 + 1:02d}-15",
                              title=f"{place} applique la résolution {doc} (n° {i})",
                              codes=[code(doc, "NQ", "resolution", issued=f"2024-{i % 37 % 12 + 1:02d}-01")],
                              officials=[official(f"Nguyen Van An{i % 11}", f"Nguyen Van An{i % 11}")],
                              provinces=[province(place, unit)]))
    records[7] = error_record("doc-00007", "timeout", "too slow")
    return records


TEST_SCRIPT = """<script>
(function () {
  function ids() {
    return Array.prototype.filter.call(document.querySelectorAll("#nf-articles tbody tr"), function (r) {
      return !r.hidden; }).map(function (r) { return r.querySelector(".nf-id").textContent; });
  }
  function set(id, value, event) { var e = document.getElementById(id); e.value = value; e.dispatchEvent(new Event(event)); }
  function header(name) {
    return Array.prototype.filter.call(document.querySelectorAll("#nf-articles th"), function (th) {
      return th.textContent === name; })[0];
  }
  var out = {all: ids().length, count: document.getElementById("nf-count").textContent};
  set("nf-q", "BEN tre N° 12", "input"); out.words = ids(); set("nf-q", "", "input");
  set("nf-lang", "de", "change"); out.de = ids().length; set("nf-lang", "", "change");
  set("nf-status", "error", "change"); out.failed = ids(); set("nf-status", "", "change");
  document.querySelector('[data-facet="u:Ninh Binh"]').click();
  out.unit = ids().length; out.chip = document.getElementById("nf-facet-label").textContent;
  set("nf-lang", "vi", "change"); out.unit_vi = ids().length; out.count_vi = document.getElementById("nf-count").textContent;
  document.getElementById("nf-facet-clear").click(); set("nf-lang", "", "change"); out.cleared = ids().length;
  document.querySelector('[data-facet="c:5-NQ/TW"]').click(); out.document = ids().length;
  document.querySelector('.nf-col[data-facet="m:2024-03"]').click(); out.month = ids().length;
  document.getElementById("nf-facet-clear").click();
  header("title").click(); out.by_title = ids().slice(0, 2);
  header("published").click(); out.first_published = ids()[0];
  header("published").click(); out.last_published = ids()[0];
  var pre = document.createElement("pre"); pre.id = "nf-test-result"; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>"""


def test_index_sorts_and_filters_in_chromium(big_review):
    if find_chromium() is None:
        pytest.skip("chromium is not installed: run tools/install-system-deps.sh")
    records, out = big_review
    page = (out / "index.html").read_text(encoding="utf-8")
    (out / "test.html").write_text(page.replace("</body>", TEST_SCRIPT + "</body>"), encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="newsfacts-chromium-") as profile:
        dom = subprocess.run(chromium_command(profile, "--dump-dom", (out / "test.html").as_uri()),
                             capture_output=True, timeout=120, check=True).stdout.decode()
    result = json.loads(html.unescape(re.search(r'<pre id="nf-test-result">(.*?)</pre>', dom, re.S).group(1)))
    ok = [r for r in records if "error" not in r]
    assert result["all"] == 2000 and result["count"] == "2000 articles"
    words = ["ben", "tre", "n°", "12"]  # every word somewhere in the title or the id, any case
    assert result["words"] == [r["doc_id"] for r in ok if all(w in f"{r['title']} {r['doc_id']}".lower() for w in words)]
    assert result["de"] == sum(r.get("language", {}).get("code") == "de" for r in records)
    assert result["failed"] == ["doc-00007"]
    in_unit = [r for r in ok if r["provinces"][0]["merged_into"] == "Ninh Binh"]
    assert result["unit"] == len(in_unit) and result["chip"] == "merged unit Ninh Binh"
    unit_vi = sum(r["language"]["code"] == "vi" for r in in_unit)
    assert result["unit_vi"] == unit_vi and result["count_vi"] == f"{unit_vi} of 2000 articles"
    assert result["cleared"] == 2000
    assert result["document"] == sum(r["codes"][0]["code"] == "5-NQ/TW" for r in ok)
    assert result["month"] == sum(r["codes"][0]["issued"].startswith("2024-03") for r in ok)
    by_title = sorted(ok, key=lambda r: r["title"].casefold())
    assert result["by_title"] == [r["doc_id"] for r in by_title[:2]]
    dated = sorted(ok, key=lambda r: (r["published"], int(r["doc_id"][4:])))
    assert result["first_published"] == dated[0]["doc_id"]
    assert records[int(result["last_published"][4:])]["published"] == dated[-1]["published"]


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_screenshot_of_the_index(corpus_records_path, tmp_path):
    if find_chromium() is None:
        pytest.skip("chromium is not installed: run tools/install-system-deps.sh")
    out = tmp_path / "review"
    assert newsfacts(["review", str(corpus_records_path), "-o", str(out), "--quiet"]) == 0
    png = ROOT / "outputs" / "review-index.png"
    png.unlink(missing_ok=True)
    screenshot(out / "index.html", png)
    assert png_size(png) == (1400, 1000) and png.stat().st_size > 20_000
