"""Figures that cross topics: the headline figures of studies and survivor groups, each as
published and with who published it (survivor counts under the small-cell rule)."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import polars as pl

from scamstats import stats
from scamstats.figures.marks import (
    Plotted,
    empty_result,
    hidden_cells_note,
    left_labels,
    publisher,
    short,
)
from scamstats.figures.registry import register
from scamstats.figures.theme import GRID, HEIGHT, PALETTE
from scamstats.labels import METRIC_LABELS
from scamstats.package import Package


def _finding_label(row: dict, sources: dict[str, dict]) -> str:
    """A bar's name: what was counted (or the group), who published it and the year."""
    who = ", ".join(publisher(sources, s) for s in row["source_ids"])
    what = METRIC_LABELS[row["metric"]] if row["metric"] else short(row["population"], 40)
    year = f", {row['as_of'].year}" if row["as_of"] else ""
    return f"{what[0].upper()}{what[1:]} ({short(who, 22)}{year})"


@register(
    "headline-numbers",
    "Headline figures and who published them",
    "Study findings and survivor groups as published, each with its qualifier",
    "Each bar is one published figure, labelled as published ('at least', 'about'); figures "
    "that disagree (for example 336 and 365 records reviewed) are both shown. Survivor counts of "
    "1 to 4 read '<5' and are not drawn.",
    "Horizontal bar chart of headline figures about Cambodia's scam compounds: compounds identified, "
    "suspected sites and survivors interviewed, each with its source.",
    small_cells=("value",),  # value_high, the same count, goes with it
)
def plot_headlines(package: Package) -> Plotted:
    frame = stats.headline_findings(package)
    if not frame.height:
        return empty_result("no study findings or survivor totals")
    shown = stats.suppress_small_survivor_headlines(frame)
    sources = stats.sources_by_id(package)
    labels = []
    for r in frame.iter_rows(named=True):
        label = _finding_label(r, sources)
        while label in labels:  # two figures must never share a bar
            label += " "
        labels.append(label)
    hidden = shown["value_suppressed"].to_list()
    colours = [PALETTE[2] if h == "study_sites" else PALETTE[0] for h in frame["headline"]]
    figure = go.Figure(go.Bar(
        x=[None if small else v for v, small in zip(frame["value"], hidden, strict=True)], y=labels,
        orientation="h", marker_color=colours, text=shown["value_text"].to_list(), textposition="outside",
        cliponaxis=False, hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    for label, text, small in zip(labels, shown["value_text"], hidden, strict=True):
        if small:  # not drawn: its length would give back the count the rule hides
            hidden_cells_note(figure, label, text)
    # A hidden count counts as 1 for the scale, whatever it is, so the scale cannot tell it either.
    values = [v for v, small in zip(frame["value"], hidden, strict=True) if not small] + ([1] if any(hidden) else [])
    top = max(values)
    log = top > 50 * max(1, min(values))
    figure.update_xaxes(title_text="count as published (sites or people)", tickformat=",", showgrid=True,
                        gridcolor=GRID, type="log" if log else "linear")
    figure.update_xaxes(range=[0, math.log10(top) + 0.35] if log else [0, top * 1.2])
    figure.update_yaxes(showgrid=False, tickfont={"size": 12})
    figure.update_layout(showlegend=False, height=max(HEIGHT, 260 + 32 * frame.height))
    left_labels(figure, labels)
    data = shown.with_columns(pl.Series("label", labels))
    return figure, data, [s for ids in frame["source_ids"].to_list() for s in ids]
