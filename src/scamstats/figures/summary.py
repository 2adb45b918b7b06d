"""Figures that cross topics: the headline figures of studies and survivor groups, each as
published and with who published it, one panel per unit (sites, people), drawn as dots with
their figure written beside them (survivor counts under the small-cell rule)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from scamstats import stats
from scamstats.figures.marks import Plotted, empty_result, left_labels, publisher, wrapped
from scamstats.figures.panels import NARROW_GAP_PX, narrow_layout, stacked, stacked_px
from scamstats.figures.registry import register
from scamstats.figures.theme import GREY, GRID, INK, PALETTE
from scamstats.labels import METRIC_LABELS
from scamstats.package import Package

# A phone's layout: each row a label's lines and, below them, its dot.
LABEL_LINE_PX = 16
NARROW_DOT_ROW_PX = 30

# The panels, in order: a unit of `stats.headline_numbers`, its panel title and axis title.
UNITS = {
    "sites": ("Sites: compounds and suspected sites identified by studies", "sites"),
    "persons": ("People: survivor groups and people counted by studies", "people"),
}


def _finding_label(row: dict, sources: dict[str, dict], chars: int = 56) -> str:
    """A row's name: what was counted (or the group), wrapped, then who counted it (when not
    its publisher), who published it and when."""
    published = ", ".join(publisher(sources, s) for s in row["source_ids"])
    counted = " and ".join(row.get("origins") or []) if row["metric"] else ""  # a study: its counter
    who = published if not counted or counted in published else f"{counted}, via {published}"
    what = METRIC_LABELS[row["metric"]] if row["metric"] else row["population"]
    if row["metric"] and row["population"]:  # a study's count of some compounds, not of all
        what += f": {row['population']}"
    year = f", {row['as_of'].year}" if row["as_of"] else ""
    return f"{wrapped(what[0].upper() + what[1:], chars)}<br><span style='color:{GREY}'>{wrapped(who + year, chars)}</span>"


def labels_above_rows(figure: go.Figure, labels: list[str], axis: str, shift: int) -> None:
    """Write each row's label above its dots, from the left edge (a phone has no room for a
    left margin of labels); the axis's own tick labels are hidden."""
    for label in labels:
        figure.add_annotation(text=label.rstrip(), x=0, xref="paper", xanchor="left", y=label, yref=axis,
                              yanchor="bottom", yshift=shift, showarrow=False, align="left", font={"size": 12})


@register(
    "headline-numbers",
    "Headline figures and who published them",
    "Study findings and survivor groups as published, each with its qualifier, one panel per unit",
    "Each dot is one published figure, written beside it as published ('at least', 'about'); sites "
    "and people are in separate panels, each on its own scale from zero. Figures that disagree (for "
    "example 336 and 365 records reviewed) are both shown. Survivor counts of 1 to 4 read '<5' and "
    "are not drawn.",
    "Dot chart in two panels of headline figures about Cambodia's scam compounds: compounds and "
    "suspected sites identified by studies, and survivor groups and people counted, each with its "
    "source and year.",
    small_cells=("value",),  # value_high, the same count, goes with it
)
def plot_headlines(package: Package, narrow: bool = False) -> Plotted:
    frame = stats.headline_findings(package)
    if not frame.height:
        return empty_result("no study findings or survivor totals")
    shown = stats.suppress_small_survivor_headlines(frame)
    sources = stats.sources_by_id(package)
    labels = []
    for r in frame.iter_rows(named=True):
        label = _finding_label(r, sources, 46 if narrow else 56)
        while label in labels:  # two figures must never share a row
            label += " "
        labels.append(label)
    frame = frame.with_columns(pl.Series("_label", labels), shown["value_suppressed"].alias("_hidden"),
                               shown["value_text"].alias("_text"))
    units = [u for u in UNITS if u in set(frame["unit"])] + sorted(set(frame["unit"]) - set(UNITS))
    lines = {u: sum(label.count("<br>") + 1 for label in frame.filter(pl.col("unit") == u)["_label"]) for u in units}
    titles = [UNITS.get(u, (u, u))[0] for u in units]
    if narrow:  # labels above their dots: each row as high as its panel's tallest label and a dot
        most = {u: max(label.count("<br>") + 1 for label in frame.filter(pl.col("unit") == u)["_label"]) for u in units}
        row_px = {u: LABEL_LINE_PX * most[u] + NARROW_DOT_ROW_PX for u in units}
        heights = [row_px[u] * frame.filter(pl.col("unit") == u).height for u in units]
        figure = stacked([wrapped(t, 44) for t in titles], heights, NARROW_GAP_PX + 30, stacked_px(heights, NARROW_GAP_PX + 30))
        narrow_layout(figure, stacked_px(heights, NARROW_GAP_PX + 30), top=110)
    else:
        height = 320 + 18 * sum(lines.values()) + 18 * frame.height
        figure = make_subplots(rows=len(units), cols=1, vertical_spacing=130 / (height - 250) if len(units) > 1 else 0,
                               row_heights=[lines[u] + 3 for u in units], subplot_titles=titles)
        figure.update_layout(height=height, margin={"t": 140})
    for annotation in figure.layout.annotations:
        annotation.update(x=0, xanchor="left", align="left", font={"size": 14})
    for row, unit in enumerate(units, start=1):
        part = frame.filter(pl.col("unit") == unit).sort("value")
        hidden = part["_hidden"].to_list()
        xs = [None if small else v for v, small in zip(part["value"], hidden, strict=True)]
        colour = PALETTE[2] if unit == "sites" else PALETTE[0]
        figure.add_trace(go.Scatter(
            x=xs, y=part["_label"].to_list(), mode="markers+text", text=part["_text"].to_list(),
            textposition="middle right", textfont={"size": 14, "color": INK}, cliponaxis=False,
            marker={"size": 13, "color": colour, "line": {"color": "white", "width": 1}}, showlegend=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        ), row=row, col=1)
        axis = "" if row == 1 else str(row)
        for label, text, small in zip(part["_label"], part["_text"], hidden, strict=True):
            if small:  # not drawn: its place would give back the count the rule hides
                figure.add_annotation(x=0, y=label, xref=f"x{axis}", yref=f"y{axis}", text=text, showarrow=False,
                                      xanchor="left", xshift=4, font={"size": 14})
        top = max([v for v in xs if v is not None], default=1)
        figure.update_xaxes(range=[0, top * (1.35 if narrow else 1.18)], tickformat=",", showgrid=True, gridcolor=GRID,
                            row=row, col=1, title_text=UNITS.get(unit, (unit, unit))[1], rangemode="tozero")
        figure.update_yaxes(showgrid=True, gridcolor="#F4F4F4", tickfont={"size": 12}, row=row, col=1)
        if narrow:
            n, most_px = part.height, row_px[unit]
            figure.update_yaxes(showticklabels=False, ticks="", range=[-0.5, n - 1 + (most_px - 12) / most_px],
                                row=row, col=1)
            labels_above_rows(figure, part["_label"].to_list(), f"y{axis}", 10)
    figure.update_layout(showlegend=False)
    if not narrow:
        left_labels(figure, labels)
    data = shown.with_columns(pl.Series("label", [_plain(label) for label in labels]))
    return figure, data, [s for ids in frame["source_ids"].to_list() for s in ids]


def _plain(label: str) -> str:
    """The label without its markup (for the CSV)."""
    text = label.replace("<br>", " ").replace("</span>", "")
    while "<span" in text:
        start = text.index("<span")
        text = text[:start] + "— " + text[text.index(">", start) + 1:]
    return " ".join(text.split())
