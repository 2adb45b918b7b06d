"""Marks and helpers every topic's figures share: text that fits (wrapping, what the export
fonts can print, never an ellipsis), source notes, the "No data yet" figure, series drawn by
the codebook's date rules (spans for months and years, cumulative lines that never fall,
hedged figures as marks), the legend's keys, province bars, cross-tabulation heat maps and
notes for cells the small-cell rule hides. Date axes and time panels are in `figures.panels`,
milestones in `figures.milestones`, maps in `figures.maps`.

Every trace a figure draws on a time axis says what it is in `meta` (tests read it):
`{"role": "line", "baseline": ...}` a cumulative line (its y never falls, no x before the
baseline); `{"role": "points", "precisions": [...], "periods": [[first, last], ...]}` marks
(a month- or year-dated mark sits at its period's last day); `{"role": "span"}` the periods
themselves; `{"role": "key"}` legend entries that explain marks rather than show a series.

Pure drawing: every number comes from `stats`, already computed.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

import plotly.graph_objects as go
import polars as pl

from scamstats import stats
from scamstats.figures.theme import GREY, GRID, HEAT, HEIGHT, INK, QUALIFIER_SYMBOL
from scamstats.labels import QUALIFIER_WORDS, format_count, format_date
from scamstats.package import Package
from scamstats.privacy import SMALL_CELL_LABEL
from scamstats.reference import QUALIFIERS

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


def wrapped(text: str, width: int) -> str:
    """Return the text broken between words into lines of at most `width` characters, joined
    by `<br>` (plotly's line break): a long label is wrapped, never cut."""
    return "<br>".join(wrap(text, width))


def text_width(text: str, size: float = 11) -> float:
    """Return roughly how many pixels a line of text takes at a font size (Liberation Sans)."""
    lines = re.sub(r"<(?!br>)[^>]*>", "", str(text)).split("<br>")
    return max((len(line) for line in lines), default=0) * size * 0.56


# ------------------------------------------------------------------------------------------
# Layout


def footer_offset(figure: go.Figure) -> int:
    """Pixels below the plot area where the footer starts: below the lowest x axis, its tick
    labels (two lines for month ticks) and its title."""
    axes = [figure.layout[name] for name in figure.layout if name.startswith("xaxis")] or [figure.layout.xaxis]
    shown = [a for a in axes if a.visible is not False]
    if figure.layout.map.style is not None or not shown:
        return 12
    return max((40 + (18 if "<br>" in (a.tickformat or "") else 0) + (26 if a.title.text else 0)) for a in shown)


def left_labels(figure: go.Figure, labels: list[str], minimum: int = 80, size: float = 12) -> None:
    """Fix the left margin to fit horizontal-bar labels, each line of a wrapped one (so the
    footer can align to it); labels are wrapped before, never cut."""
    longest = max((text_width(label, size) for label in labels), default=0)
    figure.update_layout(margin={"l": max(minimum, min(520, 30 + int(longest * 1.08)))})
    figure.update_yaxes(automargin=False)


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
# Series, spans and keys


def key_entry(figure: go.Figure, name: str, marker: dict | None = None, line: dict | None = None) -> None:
    """Add a legend entry that explains a mark (a shape, a bar across a month), not a series."""
    figure.add_trace(go.Scatter(
        x=[None], y=[None], mode="lines" if line and not marker else "markers", name=name, marker=marker,
        line=line, hoverinfo="skip", legendgroup="keys", meta={"role": "key"},
    ))


def legend_entry(figure: go.Figure, name: str, colour: str, group: str, rank: int) -> None:
    """Add a legend entry for a series whose marks vary in shape (a plain dot in its colour)."""
    figure.add_trace(go.Scatter(
        x=[None], y=[None], mode="markers", name=name, legendgroup=group, legendrank=rank,
        marker={"symbol": "circle", "size": 10, "color": colour}, hoverinfo="skip", meta={"role": "legend"},
    ))


def qualifier_legend(figure: go.Figure, qualifiers: set[str], coarse: bool = False) -> None:
    """Legend keys for the marker shapes (exact, at least, about, up to) and, when `coarse`,
    for the bar drawn across a month or year a figure is dated to."""
    for qualifier in QUALIFIERS:
        if qualifier in qualifiers:
            key_entry(figure, f"marker: {QUALIFIER_WORDS[qualifier]}",
                      marker={"symbol": QUALIFIER_SYMBOL[qualifier], "color": GREY, "size": 10,
                              "line": {"color": GREY, "width": 1}})
    if coarse:
        key_entry(figure, "pale bar: the month or year a figure is dated to", line={"color": "#9DB8D0", "width": 7})


def coarse(rows: pl.DataFrame, precision: str = "as_of_precision") -> pl.DataFrame:
    """The rows dated only to a month or a year."""
    return rows.filter(pl.col(precision).is_in(["month", "year"])) if precision in rows.columns else rows.clear()


def span_trace(rows: pl.DataFrame, value: str, colour: str, precision: str = "as_of_precision", **trace) -> go.Scatter:
    """Return the periods of month- or year-dated rows (`stats.with_spans`) as bars across them,
    at their value: the period is what the date says, not a day in it."""
    xs: list = []
    ys: list = []
    for r in coarse(rows, precision).iter_rows(named=True):
        xs += [r["period_first"], r["period_last"], None]
        ys += [r[value], r[value], None]
    return go.Scatter(x=xs, y=ys, mode="lines", line={"color": colour, "width": 7}, opacity=0.35,
                      hoverinfo="skip", meta={"role": "span"}, **trace)


def points_trace(rows: pl.DataFrame, value: str, qualifier: str, colour: str, hover: list[str],
                 low: str | None = None, precision: str = "as_of_precision", size: int = 11, **trace) -> go.Scatter:
    """Return marks for rows placed by `stats.with_spans` (each at `drawn_on`), shaped by their
    qualifier; where `low` is given and lower, a bar reaches down to it (sources disagree)."""
    high = rows[value].to_list()
    disagree = [h - lo for h, lo in zip(high, rows[low].to_list(), strict=True)] if low else [0] * len(high)
    precisions = rows[precision].to_list() if precision in rows.columns else ["day"] * rows.height
    return go.Scatter(
        x=rows["drawn_on"].to_list(), y=high, mode="markers", cliponaxis=False,
        marker={"size": size, "color": colour, "symbol": [QUALIFIER_SYMBOL.get(q, "circle") for q in rows[qualifier]],
                "line": {"color": "white", "width": 1}},
        error_y={"type": "data", "symmetric": False, "array": [0] * len(high), "arrayminus": disagree,
                 "color": colour, "thickness": 2, "width": 6, "visible": any(disagree)},
        hovertext=hover, hoverinfo="text",
        meta={"role": "points", "precisions": precisions,
              "periods": [[f.isoformat(), la.isoformat()] for f, la in zip(rows["period_first"], rows["period_last"], strict=True)]},
        **trace,
    )


def series_hover(rows: pl.DataFrame, heading: str) -> list[str]:
    """Hover texts of `stats.official_series` rows: the heading, the date as published, the
    figure (or the range where sources disagree) and the sources."""
    return [
        f"{heading}<br>as of {format_date(r['as_of'], r['as_of_precision'])}: "
        + (format_count(r["value_low"], r["qualifier_low"]) if not r["sources_disagree"]
           else f"{r['value_low']:,} to {r['value_high']:,} (sources disagree)")
        + ("" if r["on_line"] else f"<br>{r['off_line']}")
        + f"<br>{', '.join(r['source_ids'])}"
        for r in rows.iter_rows(named=True)
    ]


def cumulative_series(figure: go.Figure, rows: pl.DataFrame, name: str, colour: str, column: int,
                      showlegend: bool, group: str, dash: str = "solid") -> None:
    """Draw one cumulative series (`stats.line_points` rows of one metric and baseline) in a
    panel: its line through the points the rules join, the periods of coarse dates, and every
    figure as a mark shaped by its qualifier."""
    rows = rows.sort(["drawn_on", "as_of"])
    suffix = "" if column == 1 else str(column)
    place = {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}  # panel `column`, side by side or stacked
    baseline = rows["baseline"][0]
    meta_baseline = baseline.isoformat() if baseline else None
    common = {"name": name, "legendgroup": group}
    if coarse(rows).height:
        figure.add_trace(span_trace(rows, "value_high", colour, showlegend=False, **common, **place))
    for qualifier in sorted(set(rows.filter(pl.col("on_line"))["line_qualifier"])):
        line = rows.filter(pl.col("on_line") & (pl.col("line_qualifier") == qualifier))
        if line.height > 1 and baseline is not None:
            figure.add_trace(go.Scatter(
                x=line["drawn_on"].to_list(), y=line["value_high"].to_list(), mode="lines", showlegend=False,
                line={"color": colour, "width": 2.5, "dash": dash if qualifier == "exact" else "dot"},
                hoverinfo="skip", meta={"role": "line", "baseline": meta_baseline}, **common, **place))
    rank = (baseline - dt.date(2000, 1, 1)).days // 30 if baseline else 999  # legend: baselines in date order
    figure.add_trace(points_trace(rows, "value_high", "qualifier_high", colour, series_hover(rows, name),
                                  low="value_low", showlegend=showlegend, legendrank=rank, **common, **place))
    figure.data[-1].meta = {**figure.data[-1].meta, "baseline": meta_baseline}


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


