"""newsfacts load --db postgresql://...: the same tables and rows as SQLite, against
a real PostgreSQL server started for these tests on a free loopback port.

The server binaries come from Debian's postgresql package
(tools/install-system-deps.sh installs it); without them the tests skip and say so.
"""
from __future__ import annotations

import copy
import glob
import json
import os
import pwd
import shutil
import socket
import sqlite3
import subprocess
import tempfile
from pathlib import Path

import pytest

from pipeline.cli import main as newsfacts
from pipeline.store.records import tables
from tests.test_store import MALFORMED

psycopg = pytest.importorskip("psycopg", reason="psycopg is not installed (pip install 'newsfacts[postgres]')")

SAMPLE = Path(__file__).parent / "data" / "records_sample.jsonl"


def _server_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server():
    bindir = _server_bin()
    if bindir is None or not (bindir / "pg_ctl").exists():
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl): run tools/install-system-deps.sh")
    as_user: list[str] = []
    workdir = Path(tempfile.mkdtemp(prefix="newsfacts-pg-"))
    if os.geteuid() == 0:  # the server refuses to run as root: run it as the postgres user
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            shutil.rmtree(workdir)
            pytest.skip("running as root and there is no 'postgres' user to run the server as")
        runuser = shutil.which("runuser")
        if runuser is None:
            shutil.rmtree(workdir)
            pytest.skip("running as root and runuser is missing, cannot start the server as 'postgres'")
        as_user = [runuser, "-u", "postgres", "--"]
        os.chown(workdir, user.pw_uid, user.pw_gid)
    workdir.chmod(0o700)
    data, log, port = workdir / "data", workdir / "server.log", _free_port()

    def run(*cmd):
        result = subprocess.run([*as_user, *map(str, cmd)], capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"{cmd[0]} failed: {result.stdout}{result.stderr}"
                               f"{log.read_text() if log.exists() else ''}")

    try:
        run(bindir / "initdb", "-D", data, "-U", "newsfacts", "-A", "trust", "-E", "UTF8", "--no-locale",
            "--no-sync")
        run(bindir / "pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "-o",
            f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off", "start")
    except Exception:
        shutil.rmtree(workdir, ignore_errors=True)
        raise
    try:
        with psycopg.connect(f"postgresql://newsfacts@127.0.0.1:{port}/postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE facts")
        yield f"postgresql://newsfacts@127.0.0.1:{port}"
    finally:
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(workdir, ignore_errors=True)


@pytest.fixture()
def database(server):
    """A fresh database per test."""
    name = f"t{os.urandom(4).hex()}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pg-compare") / "facts.db"
    assert newsfacts(["load", str(SAMPLE), "--db", str(path), "--quiet"]) == 0
    return path


def table_rows(conn, table: str, columns: tuple[str, ...]) -> list[tuple]:
    rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {columns[0]}").fetchall()
    # SQLite keeps booleans as 0/1
    return [tuple(int(v) if isinstance(v, bool) else v for v in row) for row in rows]


def test_postgres_holds_the_same_rows_as_sqlite(database, sqlite_store):
    assert newsfacts(["load", str(SAMPLE), "--db", database, "--quiet"]) == 0
    lite = sqlite3.connect(sqlite_store)
    with psycopg.connect(database) as pg:
        for table, columns in tables().items():
            assert table_rows(pg, table, columns) == table_rows(lite, table, columns), table
        assert pg.execute("SELECT count(*) FROM provinces").fetchone()[0] == 97
        view = "SELECT code, type, issuer, issued, articles, mentions FROM cited_documents ORDER BY code"
        assert pg.execute(view).fetchall() == lite.execute(view).fetchall()


def test_postgres_schema_has_keys_and_full_text(database):
    assert newsfacts(["load", str(SAMPLE), "--db", database, "--quiet"]) == 0
    with psycopg.connect(database) as pg:
        fks = pg.execute("SELECT count(*) FROM information_schema.table_constraints "
                         "WHERE constraint_type = 'FOREIGN KEY'").fetchone()[0]
        assert fks == 36
        found = pg.execute("SELECT doc_id FROM article_details WHERE to_tsvector('simple', coalesce(text, '')) "
                           "@@ plainto_tsquery('simple', 'Abwicklung')").fetchall()
        assert found == [("003_e228c1ef6803ec34",)]
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            pg.execute("INSERT INTO documents (id, doc_id, code, code_key) VALUES (-1, 'no-such-article', 'X', 'X')")


def test_postgres_reload_is_idempotent_and_replaces_changed_articles(database, tmp_path, capsys):
    assert newsfacts(["load", str(SAMPLE), "--db", database, "--quiet"]) == 0
    with psycopg.connect(database) as pg:
        before = {t: table_rows(pg, t, c) for t, c in tables().items()}
    assert newsfacts(["load", str(SAMPLE), "--db", database]) == 0
    assert "0 new, 0 replaced, 6 unchanged" in capsys.readouterr().err
    with psycopg.connect(database) as pg:
        assert {t: table_rows(pg, t, c) for t, c in tables().items()} == before

    records = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    records[0]["codes"] = records[0]["codes"][:1]
    records[0]["text"] = records[0]["text"].replace("Le chef", "Le\x00chef", 1)  # NUL: kept as U+FFFD
    changed = tmp_path / "changed.jsonl"
    changed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    assert newsfacts(["load", str(changed), "--db", database]) == 0
    assert "0 new, 1 replaced, 5 unchanged" in capsys.readouterr().err
    with psycopg.connect(database) as pg:
        assert pg.execute("SELECT code FROM documents WHERE doc_id = %s", [records[0]["doc_id"]]).fetchall() == \
            [(records[0]["codes"][0]["code"],)]
        assert pg.execute("SELECT count(*) FROM articles").fetchone()[0] == 6
        text = pg.execute("SELECT text FROM article_details WHERE doc_id = %s", [records[0]["doc_id"]]).fetchone()[0]
        assert len(text) == len(records[0]["text"]) and "Le\ufffdchef" in text


def test_malformed_records_are_skipped_and_the_others_loaded(database, tmp_path, capsys):
    records = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    for n, case in enumerate(sorted(MALFORMED)):
        bad = copy.deepcopy(records[3])
        MALFORMED[case](bad)
        if isinstance(bad.get("doc_id"), str) and bad["doc_id"] == records[3]["doc_id"]:
            bad["doc_id"] = f"bad-{n}"
        lines.append(json.dumps(bad))
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert newsfacts(["load", str(path), "--db", database]) == 3
    err = capsys.readouterr().err
    assert f"{len(MALFORMED)} lines skipped" in err and "Traceback" not in err
    with psycopg.connect(database) as pg:
        stored = {r[0] for r in pg.execute("SELECT doc_id FROM articles")}
    assert stored == {r["doc_id"] for r in records}


@pytest.mark.parametrize("command", [["search", "x"], ["serve"]])
def test_search_and_serve_say_plainly_they_need_sqlite(database, command, capsys):
    assert newsfacts(["load", str(SAMPLE), "--db", database, "--quiet"]) == 0
    assert newsfacts([*command, "--db", database]) == 2
    err = capsys.readouterr().err
    assert "SQLite store only" in err and "newsfacts load RECORDS.jsonl --db outputs/facts.db" in err


def test_unreachable_server_is_a_usage_error(capsys):
    port = _free_port()  # nothing listens there
    assert newsfacts(["load", str(SAMPLE), "--db", f"postgresql://nobody@127.0.0.1:{port}/x"]) == 2
    assert "cannot connect to PostgreSQL" in capsys.readouterr().err
