"""Marks and helpers every topic's figures share: text that fits (wrapping, shortening, what
the export fonts can print), source notes, the "No data yet" figure, timeline milestones,
series lines and the qualifier legend, date axes, province bars, cross-tabulation heat maps,
notes for cells the small-cell rule hides, and the offline province maps.

Pure drawing: every number comes from `stats`, already computed.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from functools import cache
from importlib import resources

import plotly.graph_objects as go
import polars as pl

from scamstats import stats
from scamstats.figures.theme import GREY, GRID, HEAT, HEIGHT, INK, QUALIFIER_SYMBOL
from scamstats.labels import QUALIFIER_WORDS, format_count, format_date
from scamstats.package import Package
from scamstats.privacy import SMALL_CELL_LABEL
from scamstats.reference import PROVINCES, QUALIFIERS

# What a plot function returns: the figure, exactly the data drawn, the sources behind it.
Plotted = tuple[go.Figure, pl.DataFrame, list[str]]

# ------------------------------------------------------------------------------------------
# Text


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


def publisher(sources: dict[str, dict], source_id: str) -> str:
    """Return the printable name of a source's publisher (its id when unknown or unprintable)."""
    row = sources.get(source_id)
    return printable(row["publisher"], source_id) if row else source_id


def source_note(package: Package, source_ids: list[str], limit: int = 6) -> str:
    """Return 'Sources: Publisher (date); …' naming the documents behind a figure."""
    if not source_ids:
        return "Sources: none yet in this package version."
    sources = stats.sources_by_id(package)
    publishers: dict[str, int] = {}
    for source_id in source_ids:
        name = publisher(sources, source_id)
        publishers[name] = publishers.get(name, 0) + 1
    names = sorted(publishers, key=lambda n: (-publishers[n], n))
    shown = [f"{n} ({publishers[n]})" if publishers[n] > 1 else n for n in names[:limit]]
    more = len(names) - limit
    tail = f" and {more} other publisher{'s' if more > 1 else ''}" if more > 0 else ""
    count = len(source_ids)
    return f"Sources ({count} document{'s' if count > 1 else ''}): {'; '.join(shown)}{tail}."


def wrap(text: str, width: int) -> list[str]:
    """Return the text as lines of at most `width` characters, broken between words."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + ([line] if line else [])


def short(text: str, width: int) -> str:
    """Return the text cut to `width` characters, an ellipsis marking the cut."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


# ------------------------------------------------------------------------------------------
# Layout


def footer_offset(figure: go.Figure) -> int:
    """Pixels below the plot area where the footer starts (below the x axis and its title)."""
    if figure.layout.map.style is not None or not figure.layout.xaxis.visible and figure.layout.xaxis.visible is not None:
        return 12
    return 66 if figure.layout.xaxis.title.text else 40


def left_labels(figure: go.Figure, labels: list[str], minimum: int = 80) -> None:
    """Fix the left margin to fit horizontal-bar labels (so the footer can align to it)."""
    longest = max((len(str(label)) for label in labels), default=0)
    figure.update_layout(margin={"l": max(minimum, min(460, 28 + int(7.2 * longest)))})
    figure.update_yaxes(automargin=False)


def date_range(dates: list[dt.date]) -> tuple[dt.date | None, dt.date | None]:
    """Return the first and last of the dates given (None, None when there are none)."""
    dates = [d for d in dates if d is not None]
    return (min(dates), max(dates)) if dates else (None, None)


def pad_dates(figure: go.Figure, start: dt.date | None, end: dt.date | None, right: float = 0.05) -> None:
    """Fix the date axis range (annotations would otherwise widen plotly's autorange)."""
    if start is None or end is None:
        return
    span = max(end - start, dt.timedelta(days=30))
    figure.update_xaxes(range=[(start - span * 0.04).isoformat(), (end + span * right).isoformat()])


def spread(values: list[float], gap: float) -> list[float]:
    """Return label positions moved apart so that neighbours are at least `gap` apart."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    placed = list(values)
    for previous, current in itertools.pairwise(order):
        if placed[current] - placed[previous] < gap:
            placed[current] = placed[previous] + gap
    return placed


# ------------------------------------------------------------------------------------------
# No data


def no_data(figure: go.Figure, what: str) -> go.Figure:
    """Return the figure with a "No data yet" note saying what is missing, axes hidden."""
    figure.add_annotation(
        text=f"<b>No data yet</b><br>{what}", xref="paper", yref="paper", x=0.5, y=0.5,
        showarrow=False, font={"size": 16, "color": GREY},
    )
    figure.update_xaxes(visible=False)
    figure.update_yaxes(visible=False)
    return figure


def empty_result(what: str, columns: dict | None = None) -> Plotted:
    """Return what a plot function returns when it has nothing to draw."""
    return no_data(go.Figure(), what), pl.DataFrame(schema=columns or {"note": pl.String}), []


# ------------------------------------------------------------------------------------------
# Milestones

# Which kind of milestone wins when several are too close to label apart (every category of
# `reference.TIMELINE_CATEGORIES`, most telling first).
MILESTONE_PRIORITY = ["directive", "law", "operation", "release", "sanctions", "report", "statement",
                      "arrest", "extradition", "other"]


def milestones(figure: go.Figure, package: Package, start: dt.date | None, end: dt.date | None,
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
        label = f"{format_date(row['date'], row['date_precision'])}: {short(row['label'], width)}"
        for axis in axes:
            figure.add_shape(type="line", x0=x, x1=x, xref=axis, yref="paper", y0=0, y1=1,
                             line={"color": GREY, "width": 1, "dash": "dot"}, layer="below")
        figure.add_annotation(
            x=x, xref=axes[0], yref="paper", y=1 - 0.065 * i, yanchor="top",
            xanchor="right" if right_side else "left", xshift=-3 if right_side else 3,
            text=label, showarrow=False, font={"size": 11, "color": GREY}, bgcolor="rgba(255,255,255,0.85)",
        )
    return [s for r in chosen for s in r["source_ids"]]


# ------------------------------------------------------------------------------------------
# Series and qualifiers


def qualifier_legend(figure: go.Figure, qualifiers: set[str]) -> None:
    """Legend entries that explain the marker shapes (exact, at least, about, up to)."""
    for qualifier in QUALIFIERS:
        if qualifier in qualifiers:
            figure.add_trace(go.Scatter(
                x=[None], y=[None], mode="markers", name=f"marker: {QUALIFIER_WORDS[qualifier]}",
                marker={"symbol": QUALIFIER_SYMBOL[qualifier], "color": GREY, "size": 10,
                        "line": {"color": GREY, "width": 1}},
                hoverinfo="skip", legendgroup="qualifiers",
            ))


def series_line(part: pl.DataFrame, heading: str, colour: str, **trace) -> go.Scatter:
    """Return one series of `stats.official_series` rows (one metric, one baseline) as a line.

    Each mark is the highest figure for its date, shaped by its qualifier; where sources
    disagree a bar reaches down to the lowest. The hover text opens with `heading`; `trace`
    gives the name, mode, line and legend settings."""
    hover = [
        f"{heading}<br>as of {format_date(r['as_of'], r['as_of_precision'])}: "
        + (format_count(r["value_low"], r["qualifier_low"]) if not r["sources_disagree"]
           else f"{r['value_low']:,} to {r['value_high']:,} (sources disagree)")
        + f"<br>{', '.join(r['source_ids'])}"
        for r in part.iter_rows(named=True)
    ]
    low, high = part["value_low"].to_list(), part["value_high"].to_list()
    disagree = [h - lo for h, lo in zip(high, low, strict=True)]
    return go.Scatter(
        x=part["as_of"].to_list(), y=high,
        marker={"size": 11, "color": colour, "symbol": [QUALIFIER_SYMBOL.get(q, "circle") for q in part["qualifier_high"]],
                "line": {"color": "white", "width": 1}},
        error_y={"type": "data", "symmetric": False, "array": [0] * len(high), "arrayminus": disagree,
                 "color": colour, "thickness": 2, "width": 6, "visible": any(disagree)},
        hovertext=hover, hoverinfo="text", **trace,
    )


# ------------------------------------------------------------------------------------------
# Bars, heat maps and hidden cells


def province_bars(frame: pl.DataFrame, column: str, axis_title: str, colour: str) -> go.Figure:
    """Return horizontal bars of one count per province (all of them, most at the top)."""
    frame = frame.sort([column, "province_name"], descending=[False, True])
    figure = go.Figure(go.Bar(
        x=frame[column].to_list(), y=frame["province_name"].to_list(), orientation="h", marker_color=colour,
        text=[str(v) if v else "" for v in frame[column]], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{x}<extra></extra>",
    )).update_xaxes(title_text=axis_title, showgrid=True, gridcolor=GRID, rangemode="tozero") \
      .update_yaxes(showgrid=False, tickfont={"size": 12}) \
      .update_layout(showlegend=False, height=800)
    figure.update_xaxes(range=[0, max(1, frame[column].max()) * 1.1])
    left_labels(figure, frame["province_name"].to_list())
    return figure


def crosstab_heatmap(frame: pl.DataFrame, row: str, column: str, value: str, what: str) -> go.Figure:
    """Return a heat map of a cross-tabulation whose `value` went through the small-cell rule:
    hidden cells read "<5" and share one shade (never their count); blank cells are none."""
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
    left_labels(figure, rows)
    return figure


def hidden_cells_note(figure: go.Figure, y: str, text: str, x: float = 0) -> None:
    """Write what a bar does not draw (cells the small-cell rule hides) on its row, from `x`."""
    figure.add_annotation(x=x, y=y, xref="x", yref="y", text=text, showarrow=False, xanchor="left", xshift=4)


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


def all_province_codes_mapped() -> bool:
    """Return True when every one of the 25 province codes has a map feature."""
    return set(province_feature_ids()) == set(PROVINCES)


def map_frame(frame: pl.DataFrame, column: str) -> pl.DataFrame:
    """Per map feature: the summed count and a hover text listing each province's own count.

    The map, not the statistic, merges provinces: Natural Earth draws KH-3 and KH-25 as one."""
    ids = province_feature_ids()
    rows: dict[str, dict] = {}
    for r in frame.iter_rows(named=True):
        feature = ids[r["province_code"]]
        entry = rows.setdefault(feature, {"feature_id": feature, column: 0, "provinces": []})
        entry[column] += r[column]
        entry["provinces"].append(f"{r['province_name']} ({r['province_code']}): {r[column]}")
    return pl.DataFrame([{**e, "provinces": "; ".join(e["provinces"])} for e in rows.values()],
                        schema={"feature_id": pl.String, column: pl.Int64, "provinces": pl.String}, orient="row")


def zero_apart(top: int) -> list:
    """A sequential scale where zero is pale grey and one already a clear blue."""
    one = 1 / top if top else 1.0
    return [[0.0, "#F2F2F2"], [one * 0.999, "#F2F2F2"], [one, "#C6DBEF"], [1.0, "#08306B"]] if top > 1 \
        else [[0.0, "#F2F2F2"], [0.999, "#F2F2F2"], [1.0, "#2171B5"]]


def choropleth(frame: pl.DataFrame, column: str, what: str) -> go.Figure:
    """Return a map of the provinces shaded by one count per province (`province_code`)."""
    mapped = map_frame(frame, column).sort("feature_id")
    top = max(1, int(mapped[column].max() or 0))
    figure = go.Figure(go.Choroplethmap(
        geojson=province_geojson(), locations=mapped["feature_id"].to_list(), featureidkey="id",
        z=mapped[column].to_list(), zmin=0, zmax=top, colorscale=zero_apart(top),
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

