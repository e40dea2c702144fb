"""newsfacts serve: Datasette on a free loopback port, queried through its JSON API."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from pipeline.cli import main as newsfacts
from pipeline.store.serve import metadata_for

pytest.importorskip("datasette", reason="Datasette is not installed (pip install 'newsfacts[serve]')")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "records_sample.jsonl"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_json(base: str, path: str, **params):
    url = base + path + ("?" + urllib.parse.urlencode(params) if params else "")
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read().decode("utf-8"))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = tmp_path_factory.mktemp("serve") / "facts.db"
    assert newsfacts(["load", str(SAMPLE), "--db", str(db), "--quiet"]) == 0
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--db", str(db), "--port", str(port)],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            get_json(base, "/-/versions.json")
            break
        except (urllib.error.URLError, ConnectionError, OSError):
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise AssertionError(f"datasette did not start: {proc.stdout.read().decode(errors='replace')}")
            time.sleep(0.3)
    yield base, proc, port
    proc.send_signal(signal.SIGTERM)   # newsfacts serve passes it on to Datasette
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise AssertionError("newsfacts serve did not stop on SIGTERM")
    # Datasette (the child) stopped too: nothing listens on the port any more
    for _ in range(50):
        if not _listening(port):
            break
        time.sleep(0.1)
    else:
        os.killpg(proc.pid, signal.SIGKILL)
        raise AssertionError("Datasette still listens after newsfacts serve stopped")


def _listening(port: int) -> list[str]:
    """Local addresses (hex, as in /proc/net/tcp) with a socket listening on `port`."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.append(address)
    return found


def test_canned_query_articles_citing_a_document(server):
    base, _, _ = server
    rows = get_json(base, "/facts/articles_citing_document.json", code="57 - nq/tw", _shape="array")
    assert [r["doc_id"] for r in rows] == ["000_8183ee4659814c0f", "900_vi_sample", "004_8d8f46d2654e681f"]
    by_doc = {r["doc_id"]: r for r in rows}
    assert by_doc["004_8d8f46d2654e681f"]["mentions"] == 2
    assert by_doc["004_8d8f46d2654e681f"]["issued"] == "2024-12-22"
    assert "57-NQ/TW" in by_doc["000_8183ee4659814c0f"]["first_sentence"]
    rows = get_json(base, "/facts/articles_citing_document.json", code="204-QĐ/TW", _shape="array")
    assert {r["doc_id"] for r in rows} == {"000_8183ee4659814c0f", "003_e228c1ef6803ec34", "900_vi_sample"}


def test_other_canned_queries(server):
    base, _, _ = server
    officials = get_json(base, "/facts/officials_by_province.json", _shape="array")
    gau = [r for r in officials if r["name"] == "Nguyen Van Gau"]
    assert gau == [{"province": "Bac Giang", "merged_into": "Bac Ninh", "name": "Nguyen Van Gau",
                    "post_types": gau[0]["post_types"], "articles": 2}]
    assert set(gau[0]["post_types"].split(",")) == {"member", "secretary"}
    monthly = get_json(base, "/facts/documents_cited_most_by_month.json", _shape="array")
    assert {"month": "2025-05", "code": "57-NQ/TW"}.items() <= [r for r in monthly if r["month"] == "2025-05"
                                                               and r["code"] == "57-NQ/TW"][0].items()
    assert monthly[-1]["month"] == "undated"


def test_facets_search_and_descriptions(server):
    base, _, _ = server
    documents = get_json(base, "/facts/documents.json", _extra="facet_results")
    facets = documents["facet_results"]
    facets = facets.get("results", facets)
    assert {"type_label", "issuer", "family"} <= set(facets)
    found = get_json(base, "/facts/articles.json", _search="Dang", _shape="array", _col="doc_id")
    assert "900_vi_sample" in [r["doc_id"] for r in found]
    meta = get_json(base, "/-/metadata.json")
    tables = meta["databases"]["facts"]["tables"]
    assert tables["documents"]["columns"]["code"].startswith("Canonical code")
    assert set(meta["databases"]["facts"]["queries"]) == {
        "articles_citing_document", "officials_by_province", "documents_cited_most_by_month"}


def test_listens_on_loopback_only_by_default(server, tmp_path):
    _, proc, port = server
    assert proc.poll() is None
    if not Path("/proc/net/tcp").exists():
        pytest.skip("no /proc/net/tcp to read listening sockets from")
    assert _listening(port) == ["0100007F"]  # 127.0.0.1 only
    meta = metadata_for(tmp_path / "my-store.db")
    assert list(meta["databases"]) == ["my-store"]
    with pytest.raises(SystemExit):
        newsfacts(["serve", "--port", "70000"])


def test_serve_without_a_store_is_a_usage_error(tmp_path, capsys):
    assert newsfacts(["serve", "--db", str(tmp_path / "none.db")]) == 2
    assert "no such store" in capsys.readouterr().err
