"""Charts of `newsfacts stats --plot DIR`, drawn with matplotlib (the [plot] extra), PNG and SVG each.

    documents_cited_per_month   citations of documents per month: when the citing articles
                                were published, and when the documents were issued
    mentions_per_province       mentions per province as named, and per merged unit
    officials_most_cited        the officials named in the most articles

They draw the dict of stats.compute, so a chart shows exactly the numbers
`newsfacts stats --json` prints. matplotlib's object API (Figure, no pyplot)
renders off-screen with Agg: no display and no global state.
"""
from __future__ import annotations

from pathlib import Path

from .safefile import replacing
from .stats import every_month

INSTALL_HINT = "charts need matplotlib: pip install 'newsfacts[plot]'"
FORMATS = ("png", "svg")
BAR = "#4c72b0"
BAR_2 = "#dd8452"
DPI = 120


def plotting_available() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def write_charts(result: dict, out_dir: str | Path) -> list[Path]:
    """Draw every chart of `result` (stats.compute) into out_dir; returns the files written."""
    import matplotlib

    matplotlib.rcParams["svg.hashsalt"] = "newsfacts"  # the same SVG ids on every run
    matplotlib.rcParams["svg.fonttype"] = "none"  # SVG text stays text: searchable, editable, smaller
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, draw in (("documents_cited_per_month", _documents_per_month),
                       ("mentions_per_province", _mentions_per_province),
                       ("officials_most_cited", _officials)):
        figure = draw(result)
        for fmt in FORMATS:
            path = out / f"{name}.{fmt}"
            with replacing(path) as fh:  # never through a symlink planted at the chart's path
                figure.savefig(fh, format=fmt, dpi=DPI, metadata={"Date": None} if fmt == "svg" else None)
            written.append(path)
    return written


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _month_bars(ax, months: dict, title: str, empty: str, colour: str) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.set_title(title, loc="left", fontsize=11)
    if not months["by_month"]:
        ax.text(0.5, 0.5, empty, ha="center", va="center", transform=ax.transAxes, color="#777")
        ax.set_xticks([])
        ax.set_yticks([])
        return
    by_month = every_month(months["by_month"])
    labels = list(by_month)
    ax.bar(range(len(labels)), list(by_month.values()), color=colour, width=0.8)
    step = -(-len(labels) // 24)  # at most 24 month labels
    ax.set_xticks(range(0, len(labels), step), labels[::step], rotation=90, fontsize=8)
    ax.set_xlim(-0.6, len(labels) - 0.4)
    ax.set_ylabel("citations")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.5 ticks
    ax.grid(axis="y", color="#ddd")
    ax.set_axisbelow(True)
    if months["undated"]:
        ax.text(1, 1.02, f"+ {months['undated']:,} with no date", ha="right", va="bottom",
                transform=ax.transAxes, fontsize=9, color="#555")


def _documents_per_month(result: dict):
    figure = _figure(11, 7)
    top, bottom = figure.subplots(2, 1)
    _month_bars(top, result["months"]["documents_cited"], "Documents cited, by month the article was published",
                "no citing article has a publication date", BAR)
    _month_bars(bottom, result["months"]["documents_issued"], "Documents cited, by month the document was issued",
                "no cited document has an issue date", BAR_2)
    figure.suptitle("Documents cited per month", fontsize=13, fontweight="bold")
    return figure


def _hbars(ax, names: list[str], values: list[int], title: str, xlabel: str, colour: str) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.set_title(title, loc="left", fontsize=11)
    if not names:
        ax.text(0.5, 0.5, "none", ha="center", va="center", transform=ax.transAxes, color="#777")
        ax.set_xticks([])
        ax.set_yticks([])
        return
    positions = range(len(names))
    ax.barh(positions, values, color=colour, height=0.75)
    ax.set_yticks(positions, names, fontsize=8)
    ax.invert_yaxis()  # the largest first, at the top
    ax.set_ylim(len(names) - 0.5, -0.5)
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="x", color="#ddd")
    ax.set_axisbelow(True)


def _mentions_per_province(result: dict):
    named, units = result["provinces_as_named"], result["provinces_by_merged_unit"]
    rows = max(len(named), len(units), 8)
    figure = _figure(11, 1.4 + 0.17 * rows)
    left, right = figure.subplots(1, 2)
    _hbars(left, [d["name"] for d in named], [d["mentions"] for d in named],
           "As named (units before 1 July 2025)", "mentions", BAR)
    _hbars(right, [d["name"] for d in units], [d["mentions"] for d in units],
           "By merged unit (after 1 July 2025)", "mentions", BAR_2)
    figure.suptitle("Mentions per province", fontsize=13, fontweight="bold")
    return figure


def _officials(result: dict):
    officials = result["officials_most_cited"]
    figure = _figure(9, 1.4 + 0.25 * max(len(officials), 8))
    ax = figure.subplots()
    _hbars(ax, [d["name"] for d in officials], [d["articles"] for d in officials],
           f"The {len(officials)} named in the most articles, of {result['officials_distinct']:,} officials",
           "articles", BAR)
    for i, d in enumerate(officials):
        label = f"{d['articles']} ({d['mentions']} mention{'s' * (d['mentions'] != 1)})"
        ax.annotate(label, (d["articles"], i), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
    if officials:
        ax.set_xlim(0, max(d["articles"] for d in officials) * 1.25)
    figure.suptitle("Officials most cited", fontsize=13, fontweight="bold")
    return figure
