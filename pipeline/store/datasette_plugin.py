"""What `newsfacts serve` adds to Datasette (registered by serve.py; Datasette 0.64/0.65 hooks).

- SQL functions: `escape_fts()` -- the one Datasette's search boxes call -- is
  replaced by one that folds the query like the index (Đảng = Dang) and reads
  `word*` as a prefix (fulltext.py); `newsfacts_code_key(code)` normalizes a
  code as `newsfacts search --code` does; `newsfacts_mark(text, start, end)`
  marks a mention in its sentence for the canned queries.
- Cells: sentences show the match highlighted -- the `_search` words in the
  sentences table, the mention and the query words in canned queries, the
  fact in the sentence link of every fact and mention row -- cut to a window
  around it. A `doc_id` in query results links to its article's page.
- The home page (templates/index.html) lists `articles` first, the search
  boxes, the canned queries and charts, then every table with its description.
- A canned query with a chart in the metadata (plugins.newsfacts.charts) opens
  with that datasette-vega chart drawn.
"""
from __future__ import annotations

import contextvars
import json
from urllib.parse import parse_qs

import markupsafe
from datasette import hookimpl
from datasette.utils import tilde_encode

from .fact_tables import code_key, written_columns
from .fulltext import QueryError, find_terms, fts_query, phrase_regex, phrases
from .search_output import mark_spans

MARK_ON, MARK_OFF = "\ue000", "\ue001"   # private-use characters: newsfacts_mark() output, never in articles
SENTENCE_WIDTH = 400                     # characters shown around the first highlight
LABEL_WIDTH = 160                        # the sentence shown in a fact row's link
QUERY_WORD_ARGS = ("_search", "words")   # request arguments whose words are highlighted

# The query string of the request being answered: render_cell (0.65) is not given the request.
_REQUEST_ARGS: contextvars.ContextVar[dict] = contextvars.ContextVar("newsfacts_request_args", default={})


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def remember_args(scope, receive, send):
            if scope["type"] == "http":
                query = scope.get("query_string", b"").decode("utf-8", "replace")
                _REQUEST_ARGS.set(parse_qs(query))
            await app(scope, receive, send)
        return remember_args
    return wrap


def folded_escape_fts(query: str) -> str:
    try:
        return fts_query(query) or '""'
    except QueryError:   # too long: match nothing rather than fail the page
        return '""'


def mark(text, start, end):
    if not isinstance(text, str) or not isinstance(start, int) or not isinstance(end, int):
        return text
    return text[:start] + MARK_ON + text[start:end] + MARK_OFF + text[end:]


@hookimpl(trylast=True)   # after Datasette's own escape_fts, so this one is the one kept
def prepare_connection(conn):
    conn.create_function("escape_fts", 1, folded_escape_fts, deterministic=True)
    conn.create_function("newsfacts_code_key", 1, lambda c: code_key(c) if isinstance(c, str) else None,
                         deterministic=True)
    conn.create_function("newsfacts_mark", 3, mark, deterministic=True)


# ---------------------------------------------------------------- cells

def _query_pattern():
    words = " ".join(v for key in QUERY_WORD_ARGS for v in _REQUEST_ARGS.get().get(key, []))
    try:
        return phrase_regex(phrases(words))
    except QueryError:
        return None


def _take_marks(text: str) -> tuple[str, list[list[int]]]:
    """The text without newsfacts_mark() characters, and the spans they marked."""
    pieces, spans, length = [], [], 0
    for i, piece in enumerate(text.split(MARK_ON)):
        inside, closed, rest = piece.partition(MARK_OFF) if i else ("", "", piece)
        if closed:
            spans.append([length, length + len(inside)])
        pieces += [inside, rest]
        length += len(inside) + len(rest)
    return "".join(pieces), spans


def highlighted(text: str, pattern, width: int) -> markupsafe.Markup:
    """`text` as HTML: newsfacts_mark() spans and `pattern` matches in <mark>, cut to `width`."""
    clean, spans = _take_marks(text)
    spans += [[a, b] for a, b, _ in find_terms(clean, pattern)]
    return markupsafe.Markup(mark_spans(clean, spans, "<mark>", "</mark>", width,
                                        escape=lambda piece: str(markupsafe.escape(piece))))


def _written(row, table: str | None) -> str | None:
    """The value the row's sentence writes: a mention's text, or the fact table's `written` column."""
    column = "text" if (table or "").endswith("_mentions") else written_columns().get(table or "")
    value = row[column] if column and column in row.keys() else None
    return value if isinstance(value, str) else None


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if column == "sentence_id" and isinstance(value, dict) and isinstance(value.get("label"), str):
        # A fact or mention row's sentence: the fact highlighted in it, one click to the sentence row.
        written = _written(row, table)
        try:
            pattern = phrase_regex(phrases(f'"{written}"')) if written else None
        except QueryError:
            pattern = None
        href = datasette.urls.row(database, "sentences", str(value["value"]))
        return markupsafe.Markup(f'<a href="{markupsafe.escape(href)}">'
                                 f'{highlighted(value["label"], pattern, LABEL_WIDTH)}</a>')
    if not isinstance(value, str):
        return None
    if (table == "sentences" and column == "text") or (table is None and column == "sentence"):
        return highlighted(value, _query_pattern(), SENTENCE_WIDTH)
    if table is None and column == "doc_id":
        href = datasette.urls.row(database, "articles", tilde_encode(value))
        return markupsafe.Markup(f'<a href="{markupsafe.escape(href)}">{markupsafe.escape(value)}</a>')
    return None


# ---------------------------------------------------------------- pages

def _chart(datasette, database: str, query: str) -> str | None:
    charts = (datasette.plugin_config("newsfacts", database=database) or {}).get("charts") or {}
    return charts.get(query)


@hookimpl
def extra_body_script(template, database, request, datasette):
    """On a canned query with a chart, draw it (datasette-vega reads its settings from the URL fragment)."""
    if template != "query.html" or request is None or not database:
        return None
    fragment = _chart(datasette, database, request.url_vars.get("table", ""))
    if not fragment:
        return None
    return f"if (!location.hash) {{ history.replaceState(null, '', '#' + {json.dumps(fragment)}); }}"


@hookimpl
def extra_template_vars(template, datasette):
    if template != "index.html":
        return None

    async def home():
        return {"newsfacts_home": [await _database_home(datasette, name) for name, db in datasette.databases.items()
                                   if not db.is_memory and name != "_internal"]}
    return home


async def _database_home(datasette, name: str) -> dict:
    db = datasette.get_database(name)
    counts = await db.table_counts(5)
    described = datasette.metadata("tables", database=name) or {}
    names = [t for t in described if t in counts] + sorted(t for t in counts if t not in described)
    tables = [{"name": t, "count": counts.get(t), "description": (described.get(t) or {}).get("description", "")}
              for t in names if not (described.get(t) or {}).get("hidden") and not t.endswith(("_fts", "_data", "_idx",
                                                                                            "_docsize", "_config",
                                                                                            "_content"))]
    queries = [{"name": q["name"], "title": q.get("title") or q["name"], "description": q.get("description", ""),
                "chart": bool(_chart(datasette, name, q["name"]))}
               for q in (await datasette.get_canned_queries(name, None)).values()]
    return {"name": name, "tables": tables, "queries": queries, "articles": counts.get("articles")}
