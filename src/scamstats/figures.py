"""A registry of figures: each with a stable id, title, subtitle, caption, alt text, a source
note and a pure function Package -> plotly Figure. No I/O beyond the shipped province
GeoJSON (package data), no Streamlit.

Every figure is built by `render(figure_id, package)`, which returns the plotly figure, the
frame of exactly the data plotted (exported as CSV next to the image) and the sources behind
it. A figure whose data are thin still builds: it shows a "No data yet" note instead.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import plotly.graph_objects as go
import polars as pl

from scamstats import stats
from scamstats.labels import (
    METRIC_LABELS,
    QUALIFIER_WORDS,
    baseline_label,
    country_name,
    format_count,
    format_date,
)
from scamstats.package import Package
from scamstats.privacy import SMALL_CELL_LABEL
from scamstats.reference import COMPOUND_STATUSES, PROVINCES

# ------------------------------------------------------------------------------------------
# Theme

# Okabe & Ito's colour-blind-safe palette (black last, for text-like marks).
# Yellow (#F0E442) is left out: too pale on white for marks.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000"]
GREY = "#767676"
LIGHT_GREY = "#D9D9D9"
INK = "#222222"
FONT = "Liberation Sans, DejaVu Sans, Khmer OS, Arial, sans-serif"
SEQUENTIAL = [[0.0, "#F7FBFF"], [0.25, "#C6DBEF"], [0.5, "#6BAED6"], [0.75, "#2171B5"], [1.0, "#08306B"]]
# Light enough at its darkest for dark text on every cell.
HEAT = [[0.0, "#EEF5FB"], [0.5, "#A6CDE8"], [1.0, "#5B9FD1"]]
WIDTH, HEIGHT = 1000, 620

QUALIFIER_SYMBOL = {"exact": "circle", "about": "diamond", "at_least": "triangle-up", "at_most": "triangle-down"}

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT, "size": 14, "color": INK},
        colorway=PALETTE,
        paper_bgcolor="white",
        plot_bgcolor="white",
        title={"x": 0.0, "xanchor": "left", "xref": "container", "y": 0.97, "yanchor": "top", "pad": {"l": 24},
                   "font": {"size": 21, "color": INK}},
        xaxis={"showgrid": False, "linecolor": GREY, "ticks": "outside", "tickcolor": GREY, "zeroline": False,
                   "automargin": True, "title": {"standoff": 8}},
        yaxis={"showgrid": True, "gridcolor": "#EBEBEB", "linecolor": GREY, "zeroline": False, "automargin": True,
                   "title": {"standoff": 8}},
        legend={"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top",
                    "bgcolor": "rgba(255,255,255,0)", "font": {"size": 12}, "tracegroupgap": 2},
        hoverlabel={"font": {"family": FONT}},
        margin={"l": 80, "r": 40, "t": 100, "b": 130},
        width=WIDTH,
        height=HEIGHT,
    )
)


# ------------------------------------------------------------------------------------------
# Registry


@dataclass(frozen=True)
class FigureSpec:
    """A registered figure: what it shows, in words, and the function that draws it."""

    id: str
    title: str
    subtitle: str
    caption: str
    alt: str
    plot: Callable[[Package], tuple[go.Figure, pl.DataFrame, list[str]]] = field(repr=False)

    def figure(self, package: Package) -> go.Figure:
        """Return the plotly figure for this package."""
        return render(self.id, package).figure


@dataclass(frozen=True)
class RenderedFigure:
    """A figure built from a package: the plotly figure, the plotted data, its sources."""

    spec: FigureSpec
    figure: go.Figure
    data: pl.DataFrame
    source_ids: list[str]
    source_note: str


REGISTRY: dict[str, FigureSpec] = {}


def register(id: str, title: str, subtitle: str, caption: str, alt: str):
    """Decorator: register a plot function under a stable id."""

    def wrap(plot):
        if id in REGISTRY:
            raise ValueError(f"figure id {id!r} registered twice")
        REGISTRY[id] = FigureSpec(id, title, subtitle, caption, alt, plot)
        return plot

    return wrap


class UnknownFigure(KeyError):
    """No figure has this id."""

    def __str__(self) -> str:
        return f"no figure with id {self.args[0]!r}; known: {', '.join(sorted(REGISTRY))}"


def figure_ids() -> list[str]:
    """Return the registered figure ids, in registry order."""
    return list(REGISTRY)


def get(figure_id: str) -> FigureSpec:
    """Return the spec of one figure, or raise UnknownFigure."""
    try:
        return REGISTRY[figure_id]
    except KeyError:
        raise UnknownFigure(figure_id) from None


def render(figure_id: str, package: Package) -> RenderedFigure:
    """Return the figure with its title, subtitle and source note applied, and its data."""
    spec = get(figure_id)
    figure, data, source_ids = spec.plot(package)
    source_ids = sorted({s for s in source_ids if s})
    # Fixed trace uids: plotly otherwise draws random ones into SVG class names and ids.
    for number, trace in enumerate(figure.data):
        trace.uid = f"{number:06x}"
    note = source_note(package, source_ids)
    _frame_figure(figure, spec, note, package)
    return RenderedFigure(spec, figure, data, source_ids, note)


def printable(text: str, fallback: str) -> str:
    """Return text without characters the export fonts lack (CJK, Thai...), or the fallback.

    The static export has Latin, Vietnamese, Khmer and CJK (Chinese, Japanese, Korean) fonts; a
    publisher named in another script (Thai, say) is shown by its source id instead of empty boxes."""

    def shown(ch: str) -> bool:
        code = ord(ch)
        return (code < 0x0530 or 0x1780 <= code <= 0x17FF or 0x1E00 <= code <= 0x1EFF or 0x2000 <= code <= 0x206F
                or 0x3000 <= code <= 0x30FF or 0x3400 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF
                or 0xFF00 <= code <= 0xFFEF)

    kept = "".join(ch for ch in text if shown(ch))
    kept = " ".join(kept.replace("()", "").split()).strip(" ,;:/")
    return kept if kept == text else fallback


def source_note(package: Package, source_ids: list[str], limit: int = 6) -> str:
    """Return 'Sources: Publisher (date); …' naming the documents behind a figure."""
    if not source_ids:
        return "Sources: none yet in this package version."
    sources = package.tables.get("sources", pl.DataFrame())
    found = {r["source_id"]: r for r in sources.iter_rows(named=True)} if sources.height else {}
    publishers: dict[str, int] = {}
    for source_id in source_ids:
        row = found.get(source_id)
        name = printable(row["publisher"], source_id) if row else source_id
        publishers[name] = publishers.get(name, 0) + 1
    names = sorted(publishers, key=lambda n: (-publishers[n], n))
    shown = [f"{n} ({publishers[n]})" if publishers[n] > 1 else n for n in names[:limit]]
    more = len(names) - limit
    tail = f" and {more} other publisher{'s' if more > 1 else ''}" if more > 0 else ""
    count = len(source_ids)
    return f"Sources ({count} document{'s' if count > 1 else ''}): {'; '.join(shown)}{tail}."


def _frame_figure(figure: go.Figure, spec: FigureSpec, note: str, package: Package) -> None:
    figure.update_layout(
        template=TEMPLATE,
        title={"text": f"<b>{spec.title}</b><br><span style='font-size:14px;color:{GREY}'>{spec.subtitle}</span>"},
    )
    width = int(figure.layout.width or WIDTH)
    margin = figure.layout.margin
    left = margin.l if margin.l is not None else 80
    right = margin.r if margin.r is not None else 40
    chars = int((width - 48) / 6.3)
    lines = _wrap(spec.caption, chars) + _wrap(note, chars)
    lines.append(f"scamstats data package {package.version} · figure {spec.id} · CC BY 4.0")
    offset = _footer_offset(figure)
    figure.update_layout(margin={"l": left, "r": right, "b": offset + 15 * len(lines) + 16})
    figure.add_annotation(
        text=f"<span style='color:{GREY}'>{'<br>'.join(lines)}</span>", xref="paper", yref="paper",
        x=(24 - left) / max(1, width - left - right), y=0, xanchor="left", yanchor="top",
        yshift=-offset, showarrow=False, align="left", font={"size": 11},
    )


def _footer_offset(figure: go.Figure) -> int:
    """Pixels below the plot area where the footer starts (below the x axis and its title)."""
    if figure.layout.map.style is not None or not figure.layout.xaxis.visible and figure.layout.xaxis.visible is not None:
        return 12
    return 66 if figure.layout.xaxis.title.text else 40


def _left_labels(figure: go.Figure, labels: list[str], minimum: int = 80) -> None:
    """Fix the left margin to fit horizontal-bar labels (so the footer can align to it)."""
    longest = max((len(str(label)) for label in labels), default=0)
    figure.update_layout(margin={"l": max(minimum, min(460, 28 + int(7.2 * longest)))})
    figure.update_yaxes(automargin=False)


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + ([line] if line else [])


# ------------------------------------------------------------------------------------------
# Shared drawing helpers


def _no_data(figure: go.Figure, what: str) -> go.Figure:
    figure.add_annotation(
        text=f"<b>No data yet</b><br>{what}", xref="paper", yref="paper", x=0.5, y=0.5,
        showarrow=False, font={"size": 16, "color": GREY},
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return figure


def _empty_result(what: str, columns: dict | None = None) -> tuple[go.Figure, pl.DataFrame, list[str]]:
    return _no_data(go.Figure(), what), pl.DataFrame(schema=columns or {"note": pl.String}), []


MILESTONE_PRIORITY = ["directive", "law", "operation", "release", "sanctions", "report", "statement",
                      "arrest", "extradition", "other"]


def _milestones(figure: go.Figure, package: Package, start: dt.date | None, end: dt.date | None,
                limit: int = 4, axes: tuple[str, ...] = ("x",)) -> list[str]:
    """Draw timeline milestones inside [start, end] as dotted lines with short labels.

    Milestones closer than a thirtieth of the span are one mark (the highest-priority one),
    at most `limit` of them; labels sit left of their line in the right third of the chart.
    Returns the source ids of the milestones drawn.
    """
    if start is None or end is None:
        return []
    span = max(end - start, dt.timedelta(days=30))
    events = stats.milestones(package, start - span / 40, end + span / 40)
    if not events.height:
        return []
    rank = {c: i for i, c in enumerate(MILESTONE_PRIORITY)}
    chosen: list[dict] = []
    for row in events.sort(["date", "event_id"]).iter_rows(named=True):
        row["rank"] = rank.get(row["category"], 99)
        if chosen and row["date"] - chosen[-1]["date"] < span / 30:
            if row["rank"] < chosen[-1]["rank"]:
                chosen[-1] = row
            continue
        chosen.append(row)
    chosen = sorted(sorted(chosen, key=lambda r: (r["rank"], r["date"]))[:limit], key=lambda r: r["date"])
    for i, row in enumerate(chosen):
        x = row["date"].isoformat()
        right_side = (row["date"] - start) > span * 0.62
        width = 44 if len(axes) == 1 else 26
        label = f"{format_date(row['date'], row['date_precision'])}: {_short(row['label'], width)}"
        for axis in axes:
            figure.add_shape(type="line", x0=x, x1=x, xref=axis, yref="paper", y0=0, y1=1,
                             line={"color": GREY, "width": 1, "dash": "dot"}, layer="below")
        figure.add_annotation(
            x=x, xref=axes[0], yref="paper", y=1 - 0.065 * i, yanchor="top",
            xanchor="right" if right_side else "left", xshift=-3 if right_side else 3,
            text=label, showarrow=False, font={"size": 11, "color": GREY}, bgcolor="rgba(255,255,255,0.85)",
        )
    return [s for r in chosen for s in r["source_ids"]]


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _qualified(value: int | None, qualifier: str | None) -> str:
    return format_count(value, qualifier)


def _qualifier_legend(figure: go.Figure, qualifiers: set[str]) -> None:
    """Legend entries that explain the marker shapes (exact, at least, about, up to)."""
    for qualifier in ["exact", "at_least", "about", "at_most"]:
        if qualifier in qualifiers:
            figure.add_trace(go.Scatter(
                x=[None], y=[None], mode="markers", name=f"marker: {QUALIFIER_WORDS[qualifier]}",
                marker={"symbol": QUALIFIER_SYMBOL[qualifier], "color": GREY, "size": 10,
                            "line": {"color": GREY, "width": 1}},
                hoverinfo="skip", legendgroup="qualifiers",
            ))


def _colour_map(keys: list, palette: list[str] = PALETTE) -> dict:
    return {k: palette[i % len(palette)] for i, k in enumerate(keys)}


def _date_range(dates: list[dt.date]) -> tuple[dt.date | None, dt.date | None]:
    dates = [d for d in dates if d is not None]
    return (min(dates), max(dates)) if dates else (None, None)


def _pad_dates(figure: go.Figure, start: dt.date | None, end: dt.date | None, right: float = 0.05) -> None:
    """Fix the date axis range (annotations would otherwise widen plotly's autorange)."""
    if start is None or end is None:
        return
    span = max(end - start, dt.timedelta(days=30))
    figure.update_xaxes(range=[(start - span * 0.04).isoformat(), (end + span * right).isoformat()])


def _spread(values: list[float], gap: float) -> list[float]:
    """Return label positions moved apart so that neighbours are at least `gap` apart."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    placed = list(values)
    for previous, current in itertools.pairwise(order):
        if placed[current] - placed[previous] < gap:
            placed[current] = placed[previous] + gap
    return placed


# ------------------------------------------------------------------------------------------
# Figures: official tallies


def _series_figure(package: Package, metrics: tuple[str, ...], since: dt.date | None,
                   what: str) -> tuple[go.Figure, pl.DataFrame, list[str]]:
    """One panel per metric; one line per baseline (never joined across baselines)."""
    from plotly.subplots import make_subplots

    series = stats.official_series(package, metrics).filter(pl.col("baseline").is_not_null())
    if since is not None:
        series = series.filter(pl.col("baseline") >= since)
    if not series.height:
        return _empty_result(what)
    present = [m for m in metrics if m in set(series["metric"])]
    figure = make_subplots(rows=1, cols=len(present), horizontal_spacing=0.09,
                           subplot_titles=[METRIC_LABELS[m].capitalize() for m in present])
    baselines = sorted(set(series["baseline"]))
    colours = _colour_map(baselines)
    qualifiers: set[str] = set()
    start, end = _date_range(series["as_of"].to_list())
    for column, metric in enumerate(present, start=1):
        panel = series.filter(pl.col("metric") == metric)
        top = max(1, panel["value_high"].max())
        ends = []
        for baseline in baselines:
            part = panel.filter(pl.col("baseline") == baseline).sort("as_of")
            if not part.height:
                continue
            label = baseline_label(baseline)
            name = label[0].upper() + label[1:]
            colour = colours[baseline]
            low, high = part["value_low"].to_list(), part["value_high"].to_list()
            qualifiers |= set(part["qualifier_low"].to_list()) | set(part["qualifier_high"].to_list())
            hover = [
                f"{METRIC_LABELS[metric]} {baseline_label(baseline)}<br>as of "
                f"{format_date(r['as_of'], r['as_of_precision'])}: "
                + (_qualified(r["value_low"], r["qualifier_low"]) if not r["sources_disagree"]
                   else f"{r['value_low']:,} to {r['value_high']:,} (sources disagree)")
                + f"<br>{', '.join(r['source_ids'])}"
                for r in part.iter_rows(named=True)
            ]
            disagree = [h - lo for h, lo in zip(high, low, strict=True)]
            figure.add_trace(go.Scatter(
                x=part["as_of"].to_list(), y=high, mode="lines+markers", name=name, legendgroup=str(baseline),
                showlegend=column == 1 or baseline not in set(series.filter(pl.col("metric") == present[0])["baseline"]),
                # Past the palette's length colours repeat: a dashed line tells the two apart.
                line={"color": colour, "width": 2.5,
                      "dash": "dash" if baselines.index(baseline) >= len(PALETTE) else "solid"},
                marker={"size": 11, "color": colour, "symbol": [QUALIFIER_SYMBOL[q] for q in part["qualifier_high"]],
                            "line": {"color": "white", "width": 1}},
                error_y={"type": "data", "symmetric": False, "array": [0] * len(high), "arrayminus": disagree,
                             "color": colour, "thickness": 2, "width": 6, "visible": any(disagree)},
                hovertext=hover, hoverinfo="text",
            ), row=1, col=column)
            last = part.row(-1, named=True)
            ends.append((last["value_high"], last, colour))
        positions = _spread([e[0] for e in ends], top * 0.055)
        for (value, last, colour), y in zip(ends, positions, strict=True):
            figure.add_annotation(
                x=last["as_of"].isoformat(), y=y, xref=f"x{column if column > 1 else ''}",
                yref=f"y{column if column > 1 else ''}", text=_qualified(value, last["qualifier_high"]),
                showarrow=False, xanchor="left", xshift=8, font={"size": 12, "color": colour},
            )
        figure.update_yaxes(rangemode="tozero", tickformat=",", row=1, col=column,
                            range=[0, top * 1.12 + top * 0.055 * max(0, len(ends) - 1)])
        figure.update_xaxes(row=1, col=column, tickformat="%b %Y", nticks=6)
    _qualifier_legend(figure, qualifiers)
    axes = tuple(f"x{c if c > 1 else ''}" for c in range(1, len(present) + 1))
    milestone_sources = _milestones(figure, package, start, end, limit=3 if len(axes) > 1 else 4, axes=axes)
    _pad_dates(figure, start, end, right=0.14)
    figure.update_yaxes(title_text="people (cumulative, as announced)", row=1, col=1)
    figure.update_layout(width=1100, margin={"r": 210})
    data = series.filter(pl.col("metric").is_in(present))
    sources = sorted({s for ids in data["source_ids"].to_list() for s in ids}) + milestone_sources
    return figure, data, sources


CRACKDOWN_START = dt.date(2025, 6, 1)


@register(
    "official-tallies-crackdown",
    "Official tallies of the 2025–26 crackdown, by baseline",
    "People arrested or detained, cumulative, as announced; one line per metric and baseline",
    "Each line is one official series counted from one stated start date (baseline); series with "
    "different baselines are never added. Triangles mark 'at least' figures; a vertical bar spans "
    "the lowest and highest figure when sources disagree for the same date. Baselines from June 2025; "
    "dotted lines are milestones (labelled in the first panel).",
    "Line chart of cumulative official counts of people arrested and detained in Cambodia's 2025–26 "
    "crackdown on scam compounds, one line per baseline (for example since 27 June 2025 and since "
    "the 14 July 2025 directive), with milestones marked.",
)
def plot_official_tallies(package: Package):
    return _series_figure(package, ("arrested", "detained"), CRACKDOWN_START,
                          "no official arrest or detention totals with a stated baseline since June 2025")


@register(
    "official-tallies-deportations",
    "Deportations and repatriations: published cumulative totals",
    "People deported from Cambodia or repatriated home, counted from a stated baseline",
    "Each line is one series with its own stated start date; totals with different baselines or "
    "with no stated baseline are not combined (the latter are in 'returns by nationality'). "
    "Triangles mark 'at least' figures; bars span disagreeing sources.",
    "Line chart of cumulative published totals of people deported from Cambodia or repatriated, "
    "one line per metric and baseline.",
)
def plot_official_deportations(package: Package):
    return _series_figure(package, stats.RETURN_METRICS, None,
                          "no deportation or repatriation totals with a stated baseline")


# ------------------------------------------------------------------------------------------
# Detentions by nationality


@register(
    "detentions-by-nationality-latest",
    "Who was detained: the latest published breakdown by nationality",
    "People arrested or detained nationwide, by nationality, from one source on one date",
    "Bars show the most recent nationwide breakdown by nationality in the package, from a single "
    "source; 'Other or not stated' is the part of that source's total it did not break down. "
    "'At least' figures are labelled as such.",
    "Horizontal bar chart of people detained in Cambodia's scam-compound raids by nationality, "
    "from the latest published nationwide breakdown.",
)
def plot_nationality_latest(package: Package):
    frame = stats.latest_nationality_breakdown(package)
    if not frame.height:
        return _empty_result("no nationwide breakdown of detentions by nationality")
    frame = frame.sort("value")
    first = frame.row(0, named=True)
    colours = [LIGHT_GREY if n == "OTHER" else PALETTE[0] for n in frame["nationality"]]
    labels = [_qualified(v, q) for v, q in zip(frame["value"], frame["qualifier"], strict=True)]
    figure = go.Figure(go.Bar(
        x=frame["value"].to_list(), y=frame["nationality_name"].to_list(), orientation="h",
        marker_color=colours, text=labels, textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    total = first["total_value"]
    what = f"{METRIC_LABELS[first['metric']]} {first['baseline_label']}, as of " \
           f"{format_date(first['as_of'], first['as_of_precision'])}"
    if total is not None:
        what += f"; total {_qualified(total, first['total_qualifier'])}"
        if frame.filter(pl.col("nationality") != "OTHER")["value"].sum() > total:
            what += " (the parts published exceed it; both shown as published)"
    figure.add_annotation(text=what, xref="paper", yref="paper", x=1, y=0.02, xanchor="right",
                          showarrow=False, font={"size": 12, "color": GREY})
    figure.update_xaxes(title_text="people", tickformat=",", showgrid=True, gridcolor="#EBEBEB",
                        range=[0, frame["value"].max() * 1.18])
    figure.update_yaxes(showgrid=False)
    figure.update_layout(showlegend=False, height=max(HEIGHT, 260 + 34 * frame.height))
    _left_labels(figure, frame["nationality_name"].to_list())
    return figure, frame, [first["source_id"]]


@register(
    "detentions-by-nationality-over-time",
    "Nationalities among those arrested or detained, as published over time",
    "Each mark is one published nationwide figure for one nationality",
    "Counts come from different sources and baselines; read each mark with its date and baseline, "
    "not as one series. Triangles mark 'at least' figures. The six most often reported "
    "nationalities have their own colour; others are grey.",
    "Dot chart over time of published counts of people arrested or detained in Cambodia, by nationality.",
)
def plot_nationality_over_time(package: Package):
    frame = stats.detentions_by_nationality(package).filter(pl.col("scope") == "national")
    if not frame.height:
        return _empty_result("no nationwide counts by nationality")
    top = frame.group_by("nationality").agg(pl.len().alias("n"), pl.col("value").max().alias("m")) \
        .sort(["n", "m", "nationality"], descending=[True, True, False])["nationality"].head(6).to_list()
    figure = go.Figure()
    colours = _colour_map(top)
    for code in top + ["OTHERS"]:
        part = frame.filter(pl.col("nationality") == code) if code != "OTHERS" else frame.filter(~pl.col("nationality").is_in(top))
        if not part.height:
            continue
        name = country_name(code) if code != "OTHERS" else "Other nationalities"
        figure.add_trace(go.Scatter(
            x=part["as_of"].to_list(), y=part["value"].to_list(), mode="markers", name=name,
            marker={"size": 11, "color": colours.get(code, GREY), "opacity": 0.9,
                        "symbol": [QUALIFIER_SYMBOL[q] for q in part["qualifier"]], "line": {"color": "white", "width": 1}},
            hovertext=[f"{r['nationality_name']}: {_qualified(r['value'], r['qualifier'])} {r['metric']} "
                       f"({r['baseline_label']}), {r['as_of']}<br>{r['source_id']}" for r in part.iter_rows(named=True)],
            hoverinfo="text",
        ))
    _qualifier_legend(figure, set(frame["qualifier"]))
    start, end = _date_range(frame["as_of"].to_list())
    milestone_sources = _milestones(figure, package, start, end, limit=3)
    _pad_dates(figure, start, end)
    figure.update_yaxes(title_text="people (as published)", tickformat=",", rangemode="tozero")
    figure.update_xaxes(title_text="date of the count")
    return figure, frame, frame["source_id"].to_list() + milestone_sources


# ------------------------------------------------------------------------------------------
# Women


@register(
    "share-of-women",
    "Women among those counted",
    "Published counts of women as a share of the total they belong to",
    "Each bar is one source's count of women divided by the same source's total for the same "
    "date and baseline (or the same survivor population). 'At least' shares are floors.",
    "Horizontal bar chart of the share of women among people detained or among survivors, per published figure.",
)
def plot_share_of_women(package: Package):
    frame = stats.share_of_women(package).filter(pl.col("share_women").is_not_null())
    if not frame.height:
        return _empty_result("no published count of women with a matching total")
    labels = []
    for r in frame.iter_rows(named=True):
        if r["resource"] == "arrests":
            labels.append(f"{METRIC_LABELS[r['metric']].capitalize()}, {baseline_label(r['baseline'])}"
                          f" ({format_date(r['as_of'], r['as_of_precision'])})")
        else:
            labels.append(_short(r["population"], 48))
    text = [f"{'at least ' if r['share_qualifier'] == 'at_least' else ''}{r['share_women']:.0%}: "
            f"{_qualified(r['women'], r['women_qualifier'])} of {_qualified(r['total'], r['total_qualifier'])}"
            for r in frame.iter_rows(named=True)]
    figure = go.Figure(go.Bar(
        x=frame["share_women"].to_list(), y=labels, orientation="h", marker_color=PALETTE[4],
        text=text, textposition="outside", cliponaxis=False, hovertemplate="%{y}<br>%{text}<extra></extra>",
    ))
    figure.update_xaxes(title_text="share of women", tickformat=".0%", showgrid=True, gridcolor="#EBEBEB",
                        range=[0, min(1.0, max(0.3, frame["share_women"].max() * 1.8))])
    figure.update_layout(showlegend=False, height=max(HEIGHT, 260 + 40 * frame.height))
    _left_labels(figure, labels)
    data = frame.with_columns(pl.Series("label", labels))
    return figure, data, frame["source_id"].to_list()


# ------------------------------------------------------------------------------------------
# Raids


@register(
    "raids-per-month",
    "Enforcement operations per month",
    "Raids, rescues, sealings and inspections reported in public sources, by month",
    "Counts what was published, not what happened: an operation no source reported is missing; "
    "one several sources report counts once. Operations dated only to the year are left out. "
    "Milestones from the timeline are marked.",
    "Bar chart of the number of reported enforcement operations at scam compounds in Cambodia per month.",
)
def plot_raids_per_month(package: Package):
    frame = stats.raids_per_month(package)
    if not frame.height:
        return _empty_result("no raids dated to the month", stats.RAIDS_MONTH_SCHEMA)
    figure = go.Figure(go.Bar(
        x=frame["month"].to_list(), y=frame["operations"].to_list(), marker_color=PALETTE[0],
        hovertemplate="%{x|%B %Y}: %{y} operations<extra></extra>", name="operations", xperiod="M1",
        xperiodalignment="middle",
    ))
    start, end = frame["month"].min(), frame["month"].max()
    milestone_sources = _milestones(figure, package, start, end + dt.timedelta(days=27))
    figure.update_xaxes(range=[(start - dt.timedelta(days=45)).isoformat(), (end + dt.timedelta(days=45)).isoformat()])
    undated = stats.raids_undated_to_month(package)
    if undated:
        figure.add_annotation(text=f"{undated} operation{'s' if undated > 1 else ''} dated only to the year not shown",
                              xref="paper", yref="paper", x=0, y=1.01, yanchor="bottom", xanchor="left",
                              showarrow=False, font={"size": 11, "color": GREY})
    figure.update_yaxes(title_text="operations reported", rangemode="tozero", dtick=1 if frame["operations"].max() < 8 else None)
    figure.update_xaxes(title_text="month", dtick="M12" if frame.height > 36 else ("M3" if frame.height > 12 else "M1"),
                        tickformat="%b %Y")
    figure.update_layout(showlegend=False, bargap=0.15)
    raids = package.tables["raids"]
    sources = raids["source_id"].to_list() if raids.height else []
    return figure, frame, sources + milestone_sources


def _province_bars(frame: pl.DataFrame, column: str, axis_title: str, colour: str) -> go.Figure:
    frame = frame.sort([column, "province_name"], descending=[False, True])
    figure = go.Figure(go.Bar(
        x=frame[column].to_list(), y=frame["province_name"].to_list(), orientation="h", marker_color=colour,
        text=[str(v) if v else "" for v in frame[column]], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x}<extra></extra>",
    )).update_xaxes(title_text=axis_title, showgrid=True, gridcolor="#EBEBEB", rangemode="tozero") \
      .update_yaxes(showgrid=False, tickfont={"size": 12}) \
      .update_layout(showlegend=False, height=800)
    figure.update_xaxes(range=[0, max(1, frame[column].max()) * 1.1])
    _left_labels(figure, frame["province_name"].to_list())
    return figure


@register(
    "raids-by-province",
    "Enforcement operations by province",
    "Raids, rescues, sealings and inspections reported in public sources, all 25 provinces",
    "Counts what was published, not what happened; provinces with no reported operation show none, and "
    "an operation several sources report counts once. KH-25 Tboung Khmum is listed separately from Kampong Cham (split in 2013).",
    "Horizontal bar chart of reported enforcement operations at scam compounds in each of Cambodia's 25 provinces.",
)
def plot_raids_by_province(package: Package):
    frame = stats.raids_by_province(package)
    if not frame["operations"].sum():
        return _empty_result("no reported operations", stats.RAIDS_PROVINCE_SCHEMA)
    raids = package.tables["raids"]
    return _province_bars(frame, "operations", "operations reported", PALETTE[0]), frame, raids["source_id"].to_list()


@register(
    "raids-by-province-and-year",
    "Enforcement operations by province and year",
    "Reported raids, rescues, sealings and inspections; cells under 5 shown as '<5'",
    "A cross-tabulation: to avoid implying precision from very few reports, cells with 1 to 4 "
    "operations are shown as '<5' and shaded alike; blank cells are none. Only provinces with an operation appear; "
    "an operation several sources report counts once.",
    "Heat map of reported enforcement operations by province and year, with small counts shown as fewer than five.",
)
def plot_raids_province_year(package: Package):
    frame = stats.raids_by_province_and_year(package)
    if not frame.height:
        return _empty_result("no reported operations")
    return _crosstab_heatmap(frame, "province_name", "year", "operations", "operations"), frame, \
        package.tables["raids"]["source_id"].to_list()


def _crosstab_heatmap(frame: pl.DataFrame, row: str, column: str, value: str, what: str) -> go.Figure:
    rows = sorted(set(frame[row]))
    columns = sorted(set(frame[column]), key=lambda c: (str(type(c)), c))
    if columns and all(isinstance(c, int) for c in columns):
        columns = list(range(columns[0], columns[-1] + 1))  # years without a report stay visible
    cells = {(r[row], r[column]): r for r in frame.iter_rows(named=True)}
    z, text = [], []
    for r in rows:
        z_row, t_row = [], []
        for c in columns:
            cell = cells.get((r, c))
            if cell is None or cell[value] in (None, "0"):
                z_row.append(None)
                t_row.append("")
            elif cell[f"{value}_suppressed"]:
                z_row.append(2.5)  # one shade for every hidden cell, not its count
                t_row.append(SMALL_CELL_LABEL)
            else:
                z_row.append(float(cell[value]))
                t_row.append(cell[value])
        z.append(z_row)
        text.append(t_row)
    figure = go.Figure(go.Heatmap(
        z=z, x=[str(c) for c in columns], y=rows, text=text, texttemplate="%{text}", colorscale=HEAT,
        zmin=0, zmax=max(10.0, max((v for row_ in z for v in row_ if v is not None), default=0)),
        showscale=False, xgap=2, ygap=2, hovertemplate="%{y}, %{x}: %{text} " + what + "<extra></extra>",
        textfont={"size": 13, "color": INK},
    ))
    figure.update_xaxes(side="top", type="category", showline=False, ticks="")
    figure.update_yaxes(autorange="reversed", showgrid=False, showline=False, ticks="")
    figure.update_layout(height=max(HEIGHT, 260 + 30 * len(rows)))
    _left_labels(figure, rows)
    return figure


# ------------------------------------------------------------------------------------------
# Maps (offline: MapLibre with a blank style and the shipped GeoJSON)


@cache
def province_geojson() -> dict:
    """Return the shipped Cambodia province GeoJSON (Natural Earth; see geo/README.md)."""
    text = resources.files("scamstats.geo").joinpath("cambodia_provinces.geojson").read_text(encoding="utf-8")
    return json.loads(text)


def province_feature_ids() -> dict[str, str]:
    """Return, for each of the 25 province codes, the id of the map feature that draws it.

    Natural Earth has no separate Tboung Khmum: KH-3 and KH-25 share one feature, 'KH-3+KH-25'.
    """
    mapping = {}
    for feature in province_geojson()["features"]:
        for code in feature["properties"]["province_codes"]:
            mapping[code] = feature["id"]
    return mapping


def _map_frame(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """Per map feature: the summed count and a hover text listing each province's own count."""
    ids = province_feature_ids()
    rows: dict[str, dict] = {}
    for r in frame.iter_rows(named=True):
        feature = ids[r["province_code"]]
        entry = rows.setdefault(feature, {"feature_id": feature, column: 0, "provinces": []})
        entry[column] += r[column]
        entry["provinces"].append(f"{r['province_name']} ({r['province_code']}): {r[column]}")
    return pl.DataFrame([{**e, "provinces": "; ".join(e["provinces"])} for e in rows.values()],
                        schema={"feature_id": pl.String, column: pl.Int64, "provinces": pl.String}, orient="row")


def _zero_apart(top: int) -> list:
    """A sequential scale where zero is pale grey and one already a clear blue."""
    one = 1 / top if top else 1.0
    return [[0.0, "#F2F2F2"], [one * 0.999, "#F2F2F2"], [one, "#C6DBEF"], [1.0, "#08306B"]] if top > 1 \
        else [[0.0, "#F2F2F2"], [0.999, "#F2F2F2"], [1.0, "#2171B5"]]


def _choropleth(frame: pl.DataFrame, column: str, what: str) -> go.Figure:
    mapped = _map_frame(frame, column).sort("feature_id")
    top = max(1, int(mapped[column].max() or 0))
    figure = go.Figure(go.Choroplethmap(
        geojson=province_geojson(), locations=mapped["feature_id"].to_list(), featureidkey="id",
        z=mapped[column].to_list(), zmin=0, zmax=top, colorscale=_zero_apart(top),
        marker={"line": {"color": "white", "width": 0.8}},
        colorbar={"title": {"text": what, "side": "right"}, "thickness": 14, "len": 0.7, "tickformat": "d",
                      "outlinewidth": 0},
        hovertext=mapped["provinces"].to_list(), hoverinfo="text",
    ))
    figure.update_layout(map={"style": "white-bg", "center": {"lat": 12.45, "lon": 104.95}, "zoom": 6.05},
                         margin={"l": 24, "r": 24, "t": 100, "b": 130}, height=720)
    figure.add_annotation(text="Kampong Cham and Tboung Khmum (KH-25) are drawn as one area: the open boundary "
                               "data (Natural Earth) predate their 2013 split.", xref="paper", yref="paper",
                          x=0, y=0.01, yanchor="bottom", xanchor="left", showarrow=False, font={"size": 11, "color": GREY},
                          bgcolor="rgba(255,255,255,0.8)")
    return figure


@register(
    "raids-map",
    "Where enforcement operations were reported",
    "Reported raids, rescues, sealings and inspections per province",
    "Shading shows the number of operations reported per province (one several sources report counts "
    "once); the CSV gives each province separately. Counts what was published, not what happened.",
    "Map of Cambodia's provinces shaded by the number of reported enforcement operations at scam compounds.",
)
def plot_raids_map(package: Package):
    frame = stats.raids_by_province(package)
    if not frame["operations"].sum():
        return _empty_result("no reported operations", stats.RAIDS_PROVINCE_SCHEMA)
    return _choropleth(frame, "operations", "operations"), frame.sort("province_code"), \
        package.tables["raids"]["source_id"].to_list()


@register(
    "compounds-map",
    "Where named compounds are: a map by province",
    "Sites named in public reporting; dots where a source places a site",
    "Shading counts the compounds named in this package per province; dots are sites a public "
    "source places (their precision varies: exact, town, district or province). Amnesty "
    "International's full list of 53 compounds is not public and is not here.",
    "Map of Cambodia's provinces shaded by the number of named scam compounds, with dots for located sites.",
)
def plot_compounds_map(package: Package):
    frame = stats.compounds_by_province(package)
    compounds = package.tables.get("compounds", pl.DataFrame())
    if not frame["compounds"].sum():
        return _empty_result("no named compounds", stats.COMPOUNDS_PROVINCE_SCHEMA)
    figure = _choropleth(frame, "compounds", "compounds")
    located = compounds.filter(pl.col("latitude").is_not_null() & pl.col("longitude").is_not_null())
    if located.height:
        figure.add_trace(go.Scattermap(
            lat=located["latitude"].to_list(), lon=located["longitude"].to_list(), mode="markers",
            marker={"size": 8, "color": PALETTE[3]}, name="located site",
            hovertext=[f"{r['name']} ({r['geo_precision']})" for r in located.iter_rows(named=True)], hoverinfo="text",
        ))
    data = frame.sort("province_code")
    return figure, data, compounds["source_id"].to_list()


# ------------------------------------------------------------------------------------------
# Compounds


@register(
    "compounds-by-province",
    "Named compounds and suspected sites by province",
    "Sites named in public reporting, all 25 provinces",
    "Only compounds named in public sources are counted; Amnesty International identified at "
    "least 53 compounds and 45 further suspected sites but did not publish its list.",
    "Horizontal bar chart of named scam compounds in each of Cambodia's 25 provinces.",
)
def plot_compounds_by_province(package: Package):
    frame = stats.compounds_by_province(package)
    if not frame["compounds"].sum():
        return _empty_result("no named compounds", stats.COMPOUNDS_PROVINCE_SCHEMA)
    compounds = package.tables["compounds"]
    return _province_bars(frame, "compounds", "named compounds", PALETTE[2]), frame, compounds["source_id"].to_list()


@register(
    "compounds-status-by-province",
    "Status of named compounds, by province",
    "Last reported status of each named compound; cells under 5 shown as '<5'",
    "A cross-tabulation of the latest status recorded for each compound. Cells with 1 to 4 "
    "compounds are shown as '<5' and shaded alike; empty cells are none.",
    "Heat map of named scam compounds by province and last reported status (operating, raided, "
    "sealed, closed, relocated, unknown), with small counts shown as fewer than five.",
)
def plot_compounds_status(package: Package):
    frame = stats.compounds_by_province_and_status(package)
    if not frame.height:
        return _empty_result("no named compounds")
    figure = _crosstab_heatmap(frame, "province_name", "status", "compounds", "compounds")
    figure.update_xaxes(categoryorder="array", categoryarray=list(COMPOUND_STATUSES))
    return figure, frame, package.tables["compounds"]["source_id"].to_list()


@register(
    "compounds-after-raids",
    "What became of compounds after raids",
    "Named compounds that were raided, by the status last reported after the operation",
    "A compound counts as still operating when a source dated on or after its last reported "
    "operation says it operates. Amnesty International reported that more than two-thirds of the "
    "compounds it identified kept operating after police raids; its list is not public.",
    "Bar chart of raided compounds by status reported after the raid: still operating, sealed, "
    "closed, relocated, or not known.",
)
def plot_compounds_after_raids(package: Package):
    frame = stats.compounds_after_raids(package)
    if not frame.height:
        return _empty_result("no named compound linked to a raid")
    outcome = frame.with_columns(
        pl.when(~pl.col("status_known_after_raid")).then(pl.lit("not known after the raid"))
        .when(pl.col("status") == "operating").then(pl.lit("still operating"))
        .otherwise(pl.col("status")).alias("outcome")
    )
    order = ["still operating", "raided", "sealed", "closed", "relocated", "not known after the raid"]
    counts = outcome.group_by("outcome").agg(pl.len().cast(pl.Int64).alias("compounds"))
    counts = pl.DataFrame({"outcome": order}).join(counts, on="outcome", how="left").fill_null(0)
    colours = [PALETTE[3], PALETTE[1], PALETTE[2], PALETTE[2], PALETTE[4], LIGHT_GREY]
    figure = go.Figure(go.Bar(
        x=counts["outcome"].to_list(), y=counts["compounds"].to_list(), marker_color=colours,
        text=counts["compounds"].to_list(), textposition="outside", cliponaxis=False,
        hovertemplate="%{x}: %{y}<extra></extra>",
    ))
    share = stats.share_still_operating_after_raids(package).row(0, named=True)
    if share["share_still_operating"] is not None:
        figure.add_annotation(
            text=f"{share['still_operating']} of {share['status_known_after_raid']} raided compounds with a "
                 f"known later status still operating ({share['share_still_operating']:.0%})",
            xref="paper", yref="paper", x=1, y=1, xanchor="right", showarrow=False, font={"size": 13},
        )
    figure.update_yaxes(title_text="named compounds", rangemode="tozero", dtick=1 if counts["compounds"].max() < 8 else None)
    figure.update_layout(showlegend=False)
    data = outcome.select(["compound_id", "name", "province_code", "operations", "last_operation", "status",
                           "status_date", "outcome"])
    sources = [s for ids in frame["source_ids"].to_list() for s in ids]
    return figure, data, sources


# ------------------------------------------------------------------------------------------
# Returns


@register(
    "returns-by-nationality",
    "Deportations and repatriations by nationality, as published",
    "Each mark is one published count of people deported from Cambodia or repatriated home",
    "Figures differ in coverage (nationwide or one province), period and baseline, so they are "
    "shown as separate marks, not summed. Filled marks: deported; open marks: repatriated. "
    "Logarithmic scale: equal steps are equal ratios.",
    "Dot chart over time of published counts of people deported from or repatriated out of Cambodia, by nationality.",
)
def plot_returns(package: Package):
    frame = stats.returns_by_nationality(package).filter(pl.col("value") > 0)
    if not frame.height:
        return _empty_result("no deportation or repatriation counts")
    top = frame.filter(pl.col("nationality") != "ALL").group_by("nationality").agg(pl.len().alias("n")) \
        .sort(["n", "nationality"], descending=[True, False])["nationality"].head(6).to_list()
    keys = ["ALL", *top, "OTHERS"]
    colours = {"ALL": "#000000", **_colour_map(top), "OTHERS": GREY}
    figure = go.Figure()
    for key in keys:
        part = frame.filter(~pl.col("nationality").is_in(["ALL", *top])) if key == "OTHERS" \
            else frame.filter(pl.col("nationality") == key)
        if not part.height:
            continue
        name = "Other nationalities" if key == "OTHERS" else country_name(None if key == "ALL" else key)
        for metric, fill in (("deported", True), ("repatriated", False)):
            sub = part.filter(pl.col("metric") == metric)
            if not sub.height:
                continue
            figure.add_trace(go.Scatter(
                x=sub["as_of"].to_list(), y=sub["value"].to_list(), mode="markers", name=name,
                legendgroup=key, showlegend=metric == part["metric"][0],
                marker={"size": 10, "symbol": [QUALIFIER_SYMBOL[q] + ("" if fill else "-open") for q in sub["qualifier"]],
                            "color": colours[key], "line": {"width": 1.5, "color": colours[key]}},
                hovertext=[f"{r['nationality_name']}: {_qualified(r['value'], r['qualifier'])} {r['metric']} "
                           f"({r['baseline_label']}; scope {r['scope']}), {r['as_of']}<br>{r['source_id']}"
                           for r in sub.iter_rows(named=True)], hoverinfo="text",
            ))
    for label, symbol in (("deported (filled)", "circle"), ("repatriated (open)", "circle-open")):
        figure.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=label, hoverinfo="skip",
                                    marker={"symbol": symbol, "size": 10, "color": GREY, "line": {"color": GREY, "width": 1.5}}))
    _qualifier_legend(figure, set(frame["qualifier"]))
    start, end = _date_range(frame["as_of"].to_list())
    milestone_sources = _milestones(figure, package, start, end, limit=3)
    _pad_dates(figure, start, end)
    figure.update_yaxes(title_text="people (log scale)", type="log", tickformat=",")
    figure.update_xaxes(title_text="date of the count")
    return figure, frame, frame["source_id"].to_list() + milestone_sources


# ------------------------------------------------------------------------------------------
# Survivors and study findings


@register(
    "survivor-demographics",
    "Survivors: published demographics, with each source's own total",
    "Children, women and nationalities among survivor groups as their authors published them",
    "Only aggregates published by their authors; never an individual. Each bar is one breakdown "
    "of the group named on the left (age, sex or nationality), drawn over that source's own total "
    "(grey); the grey part is people the source did not place in a category.",
    "Bar chart of survivor groups' published totals with the children, women and nationality "
    "counts their authors reported.",
)
def plot_survivors(package: Package):
    frame = stats.survivor_demographics(package)
    parts = frame.filter(pl.col("dimension").is_in(["age_group", "sex", "nationality"]) & pl.col("source_total").is_not_null())
    if not parts.height:
        return _empty_result("no survivor breakdown with a published total")
    # At most 12 bars (group × dimension), groups with the most parts first, to stay legible.
    bars = parts.group_by(["source_id", "population", "dimension"]).agg(
        pl.len().alias("n"), pl.col("source_total").first()
    ).sort(["source_total", "source_id", "population", "dimension"], descending=[True, False, False, False]).head(12)
    keep = parts.join(bars.select(["source_id", "population", "dimension"]),
                      on=["source_id", "population", "dimension"], how="semi")
    dimension_word = {"age_group": "by age", "sex": "by sex", "nationality": "by nationality"}
    label_of = {
        (r["source_id"], r["population"], r["dimension"]): f"{_short(r['population'], 54)} · {dimension_word[r['dimension']]}"
        for r in bars.iter_rows(named=True)
    }
    order = list(label_of.values())
    figure = go.Figure(go.Bar(
        y=order, x=bars["source_total"].to_list(), orientation="h", name="source's total", marker_color=LIGHT_GREY,
        text=[f"total {v:,}" for v in bars["source_total"]], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}<br>total %{x:,}<extra></extra>",
    ))
    categories = keep.select(["dimension", "category", "category_label"]).unique().sort(["dimension", "category"]).rows()
    colours = _colour_map(categories)
    bases: dict[str, int] = {}
    for dimension, category, category_label in categories:
        part = keep.filter((pl.col("dimension") == dimension) & (pl.col("category") == category))
        ys = [label_of[(r["source_id"], r["population"], r["dimension"])] for r in part.iter_rows(named=True)]
        base = [bases.get(y, 0) for y in ys]
        for y, value in zip(ys, part["count"], strict=True):
            bases[y] = bases.get(y, 0) + value
        figure.add_trace(go.Bar(
            y=ys, x=part["count"].to_list(), base=base, orientation="h", name=category_label,
            marker={"color": colours[(dimension, category, category_label)], "line": {"color": "white", "width": 1}},
            text=[f"{category_label}: {_qualified(v, q)}" for v, q in zip(part["count"], part["qualifier"], strict=True)],
            textposition="inside", insidetextanchor="middle", textangle=0, textfont={"color": "white", "size": 12},
            hovertemplate="%{y}<br>%{text}<extra></extra>",
        ))
    figure.update_layout(barmode="overlay", height=max(HEIGHT, 280 + 52 * len(order)), margin={"r": 170})
    figure.update_yaxes(autorange="reversed", showgrid=False, tickfont={"size": 12})
    figure.update_xaxes(title_text="people", tickformat=",", showgrid=True, gridcolor="#EBEBEB",
                        range=[0, max(1, bars["source_total"].max()) * 1.15])
    _left_labels(figure, order)
    return figure, keep, keep["source_id"].to_list()


@register(
    "headline-numbers",
    "Headline figures and who published them",
    "Study findings and survivor groups as published, each with its qualifier",
    "Each bar is one published figure, labelled as published ('at least', 'about'); figures "
    "that disagree (for example 336 and 365 records reviewed) are both shown.",
    "Horizontal bar chart of headline figures about Cambodia's scam compounds: compounds identified, "
    "suspected sites and survivors interviewed, each with its source.",
)
def plot_headlines(package: Package):
    frame = stats.headline_numbers(package).filter(pl.col("headline").is_in(["study_sites", "survivors_total"]))
    if not frame.height:
        return _empty_result("no study findings or survivor totals")
    frame = frame.sort(["headline", "value"], descending=[True, False]).tail(24)
    sources = package.tables["sources"]
    publisher = {r["source_id"]: r["publisher"] for r in sources.iter_rows(named=True)}
    labels = []
    for r in frame.iter_rows(named=True):
        who = ", ".join(printable(publisher.get(s, s), s) for s in r["source_ids"])
        what = METRIC_LABELS[r["metric"]] if r["metric"] else _short(r["population"], 40)
        year = f", {r['as_of'].year}" if r["as_of"] else ""
        label = f"{what[0].upper()}{what[1:]} ({_short(who, 22)}{year})"
        while label in labels:  # two figures must never share a bar
            label += " "
        labels.append(label)
    colours = [PALETTE[2] if h == "study_sites" else PALETTE[0] for h in frame["headline"]]
    figure = go.Figure(go.Bar(
        x=frame["value"].to_list(), y=labels, orientation="h", marker_color=colours,
        text=frame["value_text"].to_list(), textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    figure.update_xaxes(title_text="count as published (sites or people)", tickformat=",", showgrid=True,
                        gridcolor="#EBEBEB", type="log" if frame["value"].max() > 50 * max(1, frame["value"].min()) else "linear")
    log = figure.layout.xaxis.type == "log"
    top = frame["value"].max()
    figure.update_xaxes(range=[0, math.log10(top) + 0.35] if log else [0, top * 1.2])
    figure.update_yaxes(showgrid=False, tickfont={"size": 12})
    figure.update_layout(showlegend=False, height=max(HEIGHT, 260 + 32 * frame.height))
    _left_labels(figure, labels)
    data = frame.with_columns(pl.col("source_ids").list.join(" "), pl.col("row_ids").list.join(" "),
                              pl.Series("label", labels))
    return figure, data, [s for ids in frame["source_ids"].to_list() for s in ids]


TIMELINE_LIMIT = 40


@register(
    "timeline",
    "Milestones: directives, reports, arrests and releases",
    "Dated events recorded in the package, one row each, coloured by kind",
    f"Each mark is one dated milestone from the timeline resource (the latest {TIMELINE_LIMIT} when "
    "there are more), with its sources: reports of the same milestone from several sources are one "
    "mark, at the date of the first report; milestones dated only to the month or year sit on the "
    "first day of it.",
    "Timeline of milestones about Cambodia's scam compounds, one row per milestone, coloured by category.",
)
def plot_timeline(package: Package):
    events = stats.milestones(package)
    if not events.height:
        return _empty_result("no milestones")
    events = events.tail(TIMELINE_LIMIT)
    labels = [f"{format_date(r['date'], r['date_precision'])} · {_short(r['label'], 54)}"
              for r in events.iter_rows(named=True)]
    events = events.with_columns(pl.Series("axis_label", labels))
    categories = [c for c in MILESTONE_PRIORITY if c in set(events["category"])]
    colours = {**_colour_map([c for c in categories if c != "other"]), "other": GREY}
    figure = go.Figure()
    for category in categories:
        part = events.filter(pl.col("category") == category)
        figure.add_trace(go.Scatter(
            x=part["date"].to_list(), y=part["axis_label"].to_list(), mode="markers", name=category,
            marker={"size": 12, "color": colours[category], "line": {"color": "white", "width": 1}},
            hovertext=[f"{r['axis_label']}<br>{_short(r['event'], 120)}<br>{', '.join(r['source_ids'])}"
                       for r in part.iter_rows(named=True)], hoverinfo="text",
        ))
    start, end = _date_range(events["date"].to_list())
    _pad_dates(figure, start, end)
    figure.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed", showgrid=True,
                        tickfont={"size": 11})
    figure.update_xaxes(title_text="date", side="bottom")
    figure.update_layout(height=max(HEIGHT, 280 + 24 * events.height), margin={"r": 150})
    _left_labels(figure, labels)
    data = events.with_columns(pl.col("source_ids").list.join(" "), pl.col("row_ids").list.join(" "))
    return figure, data, [s for ids in events["source_ids"].to_list() for s in ids]


def all_province_codes_mapped() -> bool:
    """Return True when every one of the 25 province codes has a map feature."""
    return set(province_feature_ids()) == set(PROVINCES)


# ------------------------------------------------------------------------------------------
# A selection drawn as series (added for the dashboard's arrests page)


def count_series_figure(series: pl.DataFrame, title: str, subtitle: str = "") -> go.Figure:
    """Return a chart of a `stats.official_series` or `stats.breakdown_series` frame.

    One line per metric and baseline (never joined across baselines); figures with no stated
    baseline are unjoined marks; where sources disagree on a date a bar spans the lowest to
    the highest figure; marker shapes give the qualifier. Shows 'No data yet' when empty.
    """
    figure = go.Figure()
    if not series.height:
        _no_data(figure, "no published figure matches this selection")
    else:
        keys = series.select(["metric", "baseline"]).unique(maintain_order=True).rows()
        colours = _colour_map(keys)
        qualifiers: set[str] = set()
        for metric, baseline in keys:
            part = series.filter(
                (pl.col("metric") == metric) & pl.col("baseline").eq_missing(pl.lit(baseline, pl.Date))
            ).sort("as_of")
            low, high = part["value_low"].to_list(), part["value_high"].to_list()
            qualifiers |= set(part["qualifier_high"].to_list())
            hover = [
                f"{METRIC_LABELS.get(metric, metric)}, {baseline_label(baseline)}<br>as of "
                f"{format_date(r['as_of'], r['as_of_precision'])}: "
                + (_qualified(r["value_low"], r["qualifier_low"]) if not r["sources_disagree"]
                   else f"{r['value_low']:,} to {r['value_high']:,} (sources disagree)")
                + f"<br>{', '.join(r['source_ids'])}"
                for r in part.iter_rows(named=True)
            ]
            disagree = [h - lo for h, lo in zip(high, low, strict=True)]
            figure.add_trace(go.Scatter(
                x=part["as_of"].to_list(), y=high, mode="lines+markers" if baseline is not None else "markers",
                name=f"{METRIC_LABELS.get(metric, metric).capitalize()}, {baseline_label(baseline)}",
                line={"color": colours[(metric, baseline)], "width": 2.5},
                marker={"size": 11, "color": colours[(metric, baseline)], "line": {"color": "white", "width": 1},
                            "symbol": [QUALIFIER_SYMBOL.get(q, "circle") for q in part["qualifier_high"]]},
                error_y={"type": "data", "symmetric": False, "array": [0] * len(high), "arrayminus": disagree,
                             "color": colours[(metric, baseline)], "thickness": 2, "width": 6, "visible": any(disagree)},
                hovertext=hover, hoverinfo="text",
            ))
        _qualifier_legend(figure, qualifiers)
        figure.update_yaxes(title_text="count as published", tickformat=",", rangemode="tozero")
        figure.update_xaxes(title_text="date of the count")
        _pad_dates(figure, *_date_range(series["as_of"].to_list()))  # one date would get clock ticks
    heading = f"<b>{title}</b>" + (f"<br><span style='font-size:14px;color:{GREY}'>{subtitle}</span>" if subtitle else "")
    figure.update_layout(template=TEMPLATE, title={"text": heading}, width=None, height=520,
                         margin={"l": 80, "r": 40, "t": 90, "b": 60})
    return figure
