"""Browse the store in Datasette (the optional `serve` extra).

The metadata (descriptions, facets, full-text search, canned queries) lives in
datasette_metadata.json under the placeholder database name DATABASE; it is
written out under the database's real name (the file's stem) for each run.
"""
from __future__ import annotations

import importlib.util
import json
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

METADATA_FILE = Path(__file__).with_name("datasette_metadata.json")


def metadata_for(db: Path) -> dict:
    """The metadata with the database key set to the name Datasette gives `db`."""
    meta = json.loads(METADATA_FILE.read_text(encoding="utf-8"))
    meta["databases"] = {db.stem: meta["databases"]["DATABASE"]}
    return meta


def datasette_available() -> bool:
    return importlib.util.find_spec("datasette") is not None


def datasette_command(db: Path, metadata: Path, host: str, port: int) -> list[str]:
    return [sys.executable, "-m", "datasette", "serve", str(db), "--metadata", str(metadata),
            "--host", host, "--port", str(port)]


def serve(db: Path, host: str = "127.0.0.1", port: int = 8001) -> int:
    """Run Datasette in the foreground until it stops (Ctrl-C, SIGTERM)."""
    with tempfile.TemporaryDirectory(prefix="newsfacts-serve-") as tmp:
        metadata = Path(tmp) / "metadata.json"
        metadata.write_text(json.dumps(metadata_for(db), ensure_ascii=False, indent=1), encoding="utf-8")
        child = subprocess.Popen(datasette_command(db, metadata, host, port))

        def forward(signum, _frame):
            child.send_signal(signum)

        previous = signal.signal(signal.SIGTERM, forward)
        try:
            return child.wait()
        except KeyboardInterrupt:
            child.send_signal(signal.SIGINT)
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
            return 0
        finally:
            signal.signal(signal.SIGTERM, previous)
            if child.poll() is None:
                child.kill()
                child.wait()
