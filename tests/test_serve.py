"""newsfacts serve: Datasette on a free loopback port, as a journalist's browser sees it.

Over HTTP: the home page, the articles table, searchable sentences with the match
highlighted, the sentence link of every fact row, the canned queries and charts; the
Host header guard (DNS rebinding) and a clean stop on SIGTERM. In headless Chromium at
1400x1000: screenshots, and the chart drawn by datasette-vega with no network.
"""
from __future__ import annotations

import html
import http.client
import json
import re
import socket
import struct
import urllib.parse
import urllib.request
import zlib
from pathlib import Path

import pytest

from pipeline.cli import main as newsfacts
from pipeline.store.serve import HostGuard, allowed_hosts, host_name, metadata_for

pytest.importorskip("datasette", reason="Datasette is not installed (pip install 'newsfacts[serve]')")

from pipeline.store.screenshots import PAGES, Server, find_chromium, free_port, rendered_dom, screenshot  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "records_sample.jsonl"
RECORDS = {r["doc_id"]: r for r in map(json.loads, SAMPLE.read_text(encoding="utf-8").splitlines())}


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("serve") / "facts.db"
    assert newsfacts(["load", str(SAMPLE), "--db", str(db), "--quiet"]) == 0
    return db


@pytest.fixture(scope="module")
def server(store):
    with Server(store) as running:
        yield running
    assert running.returncode == 0, running.output


def get(server, path: str, host: str | None = None) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.putrequest("GET", path, skip_host=True)
    conn.putheader("Host", host if host is not None else f"127.0.0.1:{server.port}")
    conn.endheaders()
    response = conn.getresponse()
    body = response.read().decode("utf-8", "replace")
    conn.close()
    return response.status, body


def get_json(server, path: str, **params):
    status, body = get(server, path + ("?" + urllib.parse.urlencode(params) if params else ""))
    assert status == 200, body[:500]
    return json.loads(body)


def cells(page: str, column: str) -> list[str]:
    """The inner HTML of the table cells of one column."""
    return re.findall(rf'<td class="col-{re.escape(column)}(?: [^"]*)?">(.*?)</td>', page, re.S)


# ---------------------------------------------------------------- the Host guard and SIGTERM

@pytest.mark.parametrize("host, status", [
    ("evil.example", 400), ("evil.example:{port}", 400), ("127.0.0.1.evil.example:{port}", 400),
    ("localhost.evil.example", 400), ("10.0.0.7:{port}", 400), ("127.0.0.1:{port}", 200), ("localhost:{port}", 200),
    ("LOCALHOST:{port}", 200), ("127.0.0.1", 200), ("[::1]:{port}", 200), ("127.0.0.1:{port}:1", 400), ("", 400)])
def test_only_the_host_names_it_listens_on_are_answered(server, host, status):
    code, body = get(server, "/facts/articles.json", host=host.format(port=server.port))
    assert code == status
    if status == 400:
        assert "answers only to" in body and "rows" not in body


def test_a_request_without_host_is_refused(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"GET /facts/articles.json HTTP/1.0\r\n\r\n")
        reply = sock.recv(200)
    assert reply.startswith(b"HTTP/1.1 400")


def test_host_rules():
    names, any_ip = allowed_hosts("127.0.0.1")
    assert names == {"127.0.0.1", "localhost", "::1"} and not any_ip
    names, any_ip = allowed_hosts("0.0.0.0", ["facts.newsroom.lan"])
    assert any_ip and {"localhost", socket.gethostname().lower(), "facts.newsroom.lan"} <= names
    guard = HostGuard(None, names, any_ip)
    assert guard.accepts("192.168.1.20:8001") and guard.accepts("[fe80::1]") and guard.accepts("FACTS.newsroom.lan")
    assert not guard.accepts("attacker.example") and not guard.accepts(None) and not guard.accepts("a b")
    assert allowed_hosts("192.168.1.5") == ({"192.168.1.5"}, False)
    assert [host_name(h) for h in ("localhost:80", "[::1]:8001", "[::1]", "x:y", "[::1]x", "")] == \
        ["localhost", "::1", "::1", None, None, None]


def test_sigterm_stops_it_cleanly_and_frees_the_port(store):
    with Server(store) as running:
        assert get(running, "/")[0] == 200
    assert running.returncode == 0, running.output
    assert "stopped (SIGTERM)" in running.output and "Traceback" not in running.output
    with socket.socket() as sock:  # nothing listens there any more
        assert sock.connect_ex(("127.0.0.1", running.port)) != 0


def test_a_port_in_use_is_a_clear_error(store, capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert newsfacts(["serve", "--db", str(store), "--port", str(port)]) == 2
    assert f"could not listen on 127.0.0.1:{port}" in capsys.readouterr().err


@pytest.mark.parametrize("db, message", [("postgresql://me@localhost/facts", "SQLite store only"),
                                         ("{tmp}/none.db", "no such store"), ("{tmp}/empty.db", "not a newsfacts store")])
def test_what_cannot_be_served(tmp_path, capsys, db, message):
    (tmp_path / "empty.db").write_bytes(b"")
    assert newsfacts(["serve", "--db", db.format(tmp=tmp_path), "--port", str(free_port())]) == 2
    assert message in capsys.readouterr().err


# ---------------------------------------------------------------- pages

def test_home_page_starts_with_articles_and_the_search_boxes(server):
    status, page = get(server, "/")
    assert status == 200
    links = re.findall(r'<a href="/facts/([a-z_]+)"', page)
    assert links[0] == "articles"
    tables = [t for t in links if t in ("articles", "sentences", "documents", "officials", "article_details")]
    assert tables == ["articles", "sentences", "documents", "officials", "article_details"]
    assert 'action="/facts/articles"' in page and 'action="/facts/sentences"' in page
    assert 'action="/facts/articles_citing_document"' in page and "Search 6 articles" in page
    assert "Documents cited per month</a> (chart)" in page and "Articles by province</a> (chart)" in page


def test_articles_table_shows_what_a_reader_wants(server):
    status, page = get(server, "/facts/articles")
    assert status == 200
    headers = re.findall(r'<th [^>]*class="col-([a-z_]+)"', page)
    assert headers[:12] == ["doc_id", "title", "published", "publisher", "language", "codes", "officials", "provinces",
                            "dates", "periods", "url", "error_kind"]
    assert not {"text", "record_sha256", "source_sha256"} & set(headers)
    titles = [html.unescape(c).strip() for c in cells(page, "title")]
    assert RECORDS["000_8183ee4659814c0f"]["title"] in titles
    body = RECORDS["000_8183ee4659814c0f"]["text"]
    assert body[2000:2100] not in html.unescape(page)  # no article text in the list
    assert "What the columns mean" in page  # the descriptions fold away


def test_sentences_are_searchable_with_the_match_highlighted(server):
    status, page = get(server, "/facts/sentences?" + urllib.parse.urlencode({"_search": "politbur*"}))
    assert status == 200
    texts = cells(page, "text")
    assert texts and all("<mark>Politbur" in t for t in texts)
    # diacritics optional both ways: Dang finds Đảng, Đảng finds it too
    for typed in ("Dang", "Đảng"):
        status, page = get(server, "/facts/sentences?" + urllib.parse.urlencode({"_search": typed}))
        assert "<mark>Đảng</mark>" in page, typed
    # the marks escape the text around them
    assert "<script" not in "".join(texts)


def test_every_fact_row_links_to_its_sentence_with_the_fact_highlighted(server):
    for table, marked in (("documents", "57 - NQ/TW"), ("officials", "Nguyễn Văn Gấu"), ("article_provinces", "Bắc Giang"),
                          ("document_mentions", "57 - NQ/TW"), ("periods", "2025-2030")):
        status, page = get(server, f"/facts/{table}?doc_id=900_vi_sample")
        assert status == 200
        links = cells(page, "sentence_id")
        assert links and all(re.match(r'<a href="/facts/sentences/\d+">', c) for c in links), table
        assert any(f"<mark>{marked}</mark>" in c for c in links), table


def test_canned_query_articles_citing_a_document(server):
    rows = get_json(server, "/facts/articles_citing_document.json", code="57 - nq/tw", _shape="array")
    assert [r["doc_id"] for r in rows] == ["000_8183ee4659814c0f", "900_vi_sample", "004_8d8f46d2654e681f"]
    by_doc = {r["doc_id"]: r for r in rows}
    assert by_doc["004_8d8f46d2654e681f"]["mentions"] == 2 and by_doc["004_8d8f46d2654e681f"]["published"] == "undated"
    assert by_doc["900_vi_sample"]["title"] == RECORDS["900_vi_sample"]["title"]
    status, page = get(server, "/facts/articles_citing_document?" + urllib.parse.urlencode({"code": "204-QĐ/TW"}))
    sentences = cells(page, "sentence")
    assert len(sentences) == 3 and all("<mark>204-Q" in s for s in sentences)
    assert '<a href="/facts/articles/900_vi_sample">900_vi_sample</a>' in page


def test_canned_query_sentences_with_words(server):
    status, page = get(server, "/facts/sentences_with_words?words=chuyen+doi+so")
    sentences = cells(page, "sentence")
    assert len(sentences) == 1 and "<mark>chuyển</mark> <mark>đổi</mark> <mark>số</mark>" in sentences[0]
    assert RECORDS["900_vi_sample"]["title"] in html.unescape(page)


def test_chart_queries(server):
    monthly = get_json(server, "/facts/documents_cited_per_month.json", _shape="array")
    assert [r["month"] for r in monthly] == ["2025-03", "2025-04", "2025-05", "2025-06", "2025-07"]
    assert [r["documents"] for r in monthly if r["month"] in ("2025-04", "2025-06")] == [0, 0]  # gaps stay visible
    assert {r["family"] for r in monthly if r["documents"]} == {"party"}
    provinces = get_json(server, "/facts/articles_by_province.json", _shape="array")
    bac_giang = [r for r in provinces if r["province"] == "Bac Giang"][0]
    assert bac_giang == {"province": "Bac Giang", "merged_into": "Bac Ninh", "articles": 2,
                         "mentions": bac_giang["mentions"]}
    status, page = get(server, "/facts/documents_cited_per_month")
    assert "datasette_vega" in page and "g.mark=bar&amp;g.x_column=month" not in page
    assert "history.replaceState(null, '', '#' + \"g.mark=bar&g.x_column=month" in page


def test_other_canned_queries_and_metadata(server):
    officials = get_json(server, "/facts/officials_by_province.json", _shape="array")
    gau = [r for r in officials if r["name"] == "Nguyen Van Gau"]
    assert gau == [{"province": "Bac Giang", "merged_into": "Bac Ninh", "name": "Nguyen Van Gau",
                    "post_types": gau[0]["post_types"], "articles": 2}]
    meta = get_json(server, "/-/metadata.json")
    tables = meta["databases"]["facts"]["tables"]
    assert tables["sentences"]["fts_table"] == "sentences_fts" and tables["articles"]["fts_table"] == "articles_fts"
    assert set(meta["databases"]["facts"]["queries"]) == {
        "articles_citing_document", "sentences_with_words", "documents_cited_per_month", "articles_by_province",
        "officials_by_province", "documents_cited_most_by_month"}
    assert list(metadata_for(Path("my-store.db"))["databases"]) == ["my-store"]


@pytest.mark.parametrize("name", sorted(PAGES))
def test_every_page_answers(server, name):
    status, page = get(server, PAGES[name].format(db="facts", doc="900_vi_sample"))
    assert status == 200 and "Traceback" not in page and "Error" not in page.split("<body")[1][:3000]


# ---------------------------------------------------------------- in Chromium

def _png_size_and_colours(png: Path) -> tuple[int, int, int]:
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return width, height, len(set(zlib.decompress(idat)[:400_000]))


@pytest.fixture(scope="module")
def chromium():
    if find_chromium() is None:
        pytest.skip("chromium is not installed: run tools/install-system-deps.sh")


def test_screenshot_of_the_articles_page(server, chromium, tmp_path):
    png = screenshot(server.base + "/facts/articles", tmp_path / "articles.png")
    width, height, colours = _png_size_and_colours(png)
    assert (width, height) == (1400, 1000) and colours > 50  # a page, not a blank window


def test_the_chart_is_drawn_offline_in_the_browser(server, chromium):
    dom = rendered_dom(server.base + "/facts/documents_cited_per_month")
    assert 'class="marks"' in dom  # datasette-vega drew its canvas from the query's JSON
    assert "g.x_column=month" in dom


def test_the_browser_sees_articles_first_and_highlighted_sentences(server, chromium):
    dom = rendered_dom(server.base + "/")
    assert re.findall(r'<a href="/facts/([a-z_]+)"', dom)[0] == "articles"
    dom = rendered_dom(server.base + "/facts/sentences?_search=Politburo")
    assert "<mark>Politburo</mark>" in dom
