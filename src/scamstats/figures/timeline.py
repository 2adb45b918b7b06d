"""Figures of the timeline table: the milestones, one row each however many sources report
them, coloured by category. (Other figures mark milestones on their date axes with
`marks.milestones`.)"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from scamstats import stats
from scamstats.figures.marks import (
    MILESTONE_PRIORITY,
    Plotted,
    date_range,
    empty_result,
    left_labels,
    pad_dates,
    short,
)
from scamstats.figures.registry import register
from scamstats.figures.theme import GREY, HEIGHT, colour_map
from scamstats.labels import format_date
from scamstats.package import Package

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
def plot_timeline(package: Package) -> Plotted:
    events = stats.latest_milestones(package, TIMELINE_LIMIT)
    if not events.height:
        return empty_result("no milestones")
    labels = [f"{format_date(r['date'], r['date_precision'])} · {short(r['label'], 54)}"
              for r in events.iter_rows(named=True)]
    events = events.with_columns(pl.Series("axis_label", labels))
    categories = [c for c in MILESTONE_PRIORITY if c in set(events["category"])]
    colours = {**colour_map([c for c in categories if c != "other"]), "other": GREY}
    figure = go.Figure()
    for category in categories:
        part = events.filter(pl.col("category") == category)
        figure.add_trace(go.Scatter(
            x=part["date"].to_list(), y=part["axis_label"].to_list(), mode="markers", name=category,
            marker={"size": 12, "color": colours[category], "line": {"color": "white", "width": 1}},
            hovertext=[f"{r['axis_label']}<br>{short(r['event'], 120)}<br>{', '.join(r['source_ids'])}"
                       for r in part.iter_rows(named=True)], hoverinfo="text",
        ))
    start, end = date_range(events["date"].to_list())
    pad_dates(figure, start, end)
    figure.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed", showgrid=True,
                        tickfont={"size": 11})
    figure.update_xaxes(title_text="date", side="bottom")
    figure.update_layout(height=max(HEIGHT, 280 + 24 * events.height), margin={"r": 150})
    left_labels(figure, labels)
    return figure, events, [s for ids in events["source_ids"].to_list() for s in ids]
