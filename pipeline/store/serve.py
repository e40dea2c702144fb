"""Browse the store in Datasette (the optional `serve` extra), run in this process under uvicorn.

- The metadata (descriptions, facets, full-text search, canned queries,
  charts) lives in datasette_metadata.json under the placeholder database name
  DATABASE; it is given to Datasette under the database's real name.
- datasette_plugin.py (cells, folded search, the home page) is registered
  here; the home page template is in datasette_templates/.
- Requests must name this server in their Host header (HostGuard): a web page
  the journalist visits cannot reach the store by pointing its own domain at
  127.0.0.1 (DNS rebinding).
- Ctrl-C or SIGTERM stop the server cleanly (exit 0).
"""
from __future__ import annotations

import importlib.util
import ipaddress
import json
import signal
import socket
import sys
from pathlib import Path

from .fact_tables import datasette_tables, fact_tables

METADATA_FILE = Path(__file__).with_name("datasette_metadata.json")
TEMPLATES = Path(__file__).with_name("datasette_templates")
SETTINGS = {"truncate_cells_html": 160, "default_page_size": 50}
WILDCARDS = {"0.0.0.0", "::", ""}


def metadata_for(db: Path) -> dict:
    """The metadata with the database key set to the name Datasette gives `db`, and the fact types' tables
    and count columns (the "@fact tables" and "@counts" places of the file) described from the manifest."""
    meta = json.loads(METADATA_FILE.read_text(encoding="utf-8"))
    database = meta["databases"]["DATABASE"]
    database["tables"] = _spliced(database["tables"], "@fact tables",
                                  lambda entry: datasette_tables(entry["mention_columns"]))
    articles = database["tables"]["articles"]
    articles["columns"] = _spliced(articles["columns"], "@counts",
                                   lambda _: {t.field: t.count for t in fact_tables() if t.count})
    meta["databases"] = {db.stem: database}
    return meta


def _spliced(mapping: dict, place: str, generate) -> dict:
    """`mapping` with its `place` key replaced by the entries generate(its value) returns, in its place."""
    out = {}
    for key, value in mapping.items():
        out.update(generate(value) if key == place else {key: value})
    return out


def datasette_available() -> bool:
    return importlib.util.find_spec("datasette") is not None and importlib.util.find_spec("uvicorn") is not None


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _is_loopback(name: str) -> bool:
    return name == "localhost" or (_is_ip(name) and ipaddress.ip_address(name).is_loopback)


def allowed_hosts(bound: str, extra=()) -> tuple[set[str], bool]:
    """(host names accepted in the Host header, whether any IP address is accepted too).

    Bound to one address: that address (and `localhost` for a loopback one).
    Bound to all interfaces (0.0.0.0, ::): any IP address, localhost and this
    machine's names. An IP address cannot be rebound, so it is always safe to
    accept one the server really listens on. `extra` adds names (--allow-host)."""
    bound = bound.strip("[]").lower()
    names = {bound} | {n.lower() for n in extra}
    if _is_loopback(bound):
        names |= {"localhost", "127.0.0.1", "::1"}
    any_ip = bound in WILDCARDS
    if any_ip:
        names |= {"localhost", socket.gethostname().lower(), socket.getfqdn().lower()}
    return names, any_ip


def host_name(header: str) -> str | None:
    """The host of a Host header without its port: 'localhost:8001' -> 'localhost', '[::1]:80' -> '::1'."""
    header = header.strip().lower()
    if header.startswith("["):
        end = header.find("]")
        rest = header[end + 1:]
        if end < 0 or (rest and not (rest.startswith(":") and rest[1:].isdigit())):
            return None
        return header[1:end]
    name, colon, port = header.partition(":")
    if colon and (not port.isdigit() or ":" in port):
        return None
    return name or None


class HostGuard:
    """ASGI middleware: answer 400 to a request whose Host header is not one of ours."""

    def __init__(self, app, names: set[str], any_ip: bool):
        self.app, self.names, self.any_ip = app, names, any_ip

    def accepts(self, header: str | None) -> bool:
        name = host_name(header) if header else None
        return name is not None and (name in self.names or (self.any_ip and _is_ip(name)))

    async def __call__(self, scope, receive, send):
        if scope["type"] in ("http", "websocket"):
            header = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"host"), None)
            if not self.accepts(header):
                body = (f"newsfacts serve answers only to {', '.join(sorted(self.names))}"
                        f"{' or an IP address' if self.any_ip else ''}, not to Host {header!r}. "
                        "Start it with --allow-host NAME to add a name.\n").encode("utf-8")
                if scope["type"] == "websocket":
                    await send({"type": "websocket.close", "code": 1008})
                    return
                await send({"type": "http.response.start", "status": 400,
                            "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                        (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)


def build_app(db: Path, host: str, extra_hosts=()):
    """Datasette for `db` with the newsfacts metadata, plugin and templates, behind the HostGuard."""
    from datasette.app import Datasette
    from datasette.plugins import pm

    from . import datasette_plugin

    if not pm.is_registered(datasette_plugin):
        pm.register(datasette_plugin, name="newsfacts")
    datasette = Datasette(files=[str(db)], metadata=metadata_for(db), settings=SETTINGS, template_dir=str(TEMPLATES))
    names, any_ip = allowed_hosts(host, extra_hosts)
    return HostGuard(datasette.app(), names, any_ip)


def serve(db: Path, host: str = "127.0.0.1", port: int = 8001, extra_hosts=()) -> int:
    """Serve until Ctrl-C or SIGTERM; 0 when stopped that way, 2 when the server could not start."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(build_app(db, host, extra_hosts), host=host, port=port,
                                           log_level="warning", access_log=False, lifespan="off"))
    shown = f"[{host}]" if ":" in host else host
    print(f"newsfacts serve: http://{shown}:{port}/ -- Ctrl-C to stop", file=sys.stderr)
    # uvicorn stops on SIGINT/SIGTERM, then raises the signal again once the
    # previous handlers are back: these take it, so the stop is a clean exit.
    stopped: list[int] = []
    previous = {sig: signal.signal(sig, lambda signum, _frame: stopped.append(signum))
                for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        server.run()
    except SystemExit as exc:  # uvicorn exits when it cannot bind (port taken, address not ours)
        if exc.code:
            print(f"newsfacts serve: could not listen on {shown}:{port} (see above)", file=sys.stderr)
            return 2
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if stopped:
        print(f"newsfacts serve: stopped ({signal.Signals(stopped[0]).name})", file=sys.stderr)
    return 0
