"""`newsfacts serve` as a journalist sees it: pages in headless Chromium at 1400x1000.

    python -m pipeline.store.screenshots OUT_DIR RECORDS.jsonl [RECORDS.jsonl ...]

loads the records into a throwaway store, serves it on a free loopback port,
and saves OUT_DIR/datasette-<page>.png for every page of PAGES (the README
pictures are datasette-articles.png and datasette-chart.png). The browser
tests use the same pieces: `Server` runs `newsfacts serve` as a child process,
`screenshot` and `rendered_dom` drive Chromium with no network but the server.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

WIDTH, HEIGHT = 1400, 1000
JS_BUDGET_MS = 8000   # virtual time Chromium gives the page's scripts (the chart fetches its data)

# page name -> path ({db}: the database name, {doc}: the newest article's doc_id)
PAGES = {
    "home": "/",
    "articles": "/{db}/articles",
    "sentences": "/{db}/sentences?_search=politbur*",
    "documents": "/{db}/documents",
    "citing": "/{db}/articles_citing_document?code=57-nq/tw",
    "words": "/{db}/sentences_with_words?words=Politburo",
    "chart": "/{db}/documents_cited_per_month",
    "provinces": "/{db}/articles_by_province",
    "officials": "/{db}/officials_by_province",
    "article": "/{db}/articles/{doc}",
    "sentence": "/{db}/sentences/1",
}


def find_chromium() -> str | None:
    from ..review import find_chromium as find

    return find()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`newsfacts serve` in a child process, for as long as the `with` block lasts.

    `returncode` is its exit status after it was stopped with SIGTERM."""

    def __init__(self, db: Path, *extra_args: str, startup: float = 90):
        self.db, self.extra_args, self.startup = Path(db), extra_args, startup
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.returncode: int | None = None
        self.output = ""

    def __enter__(self) -> "Server":
        root = Path(__file__).resolve().parents[2]
        self.proc = subprocess.Popen([sys.executable, "-m", "pipeline", "serve", "--db", str(self.db),
                                      "--port", str(self.port), *self.extra_args],
                                     cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + self.startup
        while True:
            try:
                with urllib.request.urlopen(self.base + "/-/versions.json", timeout=10):
                    return self
            except (urllib.error.URLError, ConnectionError, OSError):
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"newsfacts serve did not start:\n{self.output}")
                time.sleep(0.3)

    def stop(self, timeout: float = 20) -> int | None:
        """SIGTERM, as a service manager would; SIGKILL (and None) if it does not stop in time."""
        if self.proc is None or self.returncode is not None:
            return self.returncode
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            self.returncode = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.output = self.proc.stdout.read().decode("utf-8", "replace")
        return self.returncode

    def __exit__(self, *exc) -> None:
        self.stop()


def _chromium(url: str, *args: str, width: int = WIDTH, height: int = HEIGHT, timeout: float = 120) -> bytes:
    chromium = find_chromium()
    if chromium is None:
        raise FileNotFoundError("chromium is not installed (tools/install-system-deps.sh installs it)")
    with tempfile.TemporaryDirectory(prefix="newsfacts-chromium-") as profile:
        done = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                               "--disable-background-networking", "--disable-component-update", "--disable-sync",
                               "--disable-quic", "--hide-scrollbars", f"--user-data-dir={profile}",
                               f"--window-size={width},{height}", f"--virtual-time-budget={JS_BUDGET_MS}",
                               *args, url], capture_output=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"chromium failed on {url}: {done.stderr.decode('utf-8', 'replace')[-2000:]}")
    return done.stdout


def screenshot(url: str, png: Path, width: int = WIDTH, height: int = HEIGHT) -> Path:
    """Save what Chromium shows of `url` in a width x height window, scripts run."""
    png.parent.mkdir(parents=True, exist_ok=True)
    _chromium(url, f"--screenshot={png.resolve()}", width=width, height=height)
    if not png.is_file() or png.stat().st_size == 0:
        raise RuntimeError(f"chromium wrote no screenshot of {url} to {png}")
    return png


def rendered_dom(url: str) -> str:
    """The page's HTML after its scripts ran (the chart drawn, for instance)."""
    return _chromium(url, "--dump-dom").decode("utf-8", "replace")


def main(argv: list[str]) -> int:
    import sqlite3

    from datasette.utils import tilde_encode

    from .records import LoadStats, read_records
    from .sqlite import load

    if len(argv) < 2:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    out = Path(argv[0])
    with tempfile.TemporaryDirectory(prefix="newsfacts-shots-") as tmp:
        db = Path(tmp) / "facts.db"
        load(read_records(argv[1:], LoadStats()), db)
        with sqlite3.connect(db) as conn:
            newest = conn.execute("SELECT doc_id FROM articles ORDER BY published DESC LIMIT 1").fetchone()
        with Server(db) as server:
            for name, path in PAGES.items():
                url = server.base + path.format(db=db.stem, doc=tilde_encode(newest[0] if newest else ""))
                png = screenshot(url, out / f"datasette-{name}.png")
                print(png, file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
