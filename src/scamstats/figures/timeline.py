"""Figures of the timeline table: the milestones, one row each however many sources report
them, coloured by kind (kinds that read alike share a colour: `theme.MILESTONE_GROUPS`). A
milestone dated to the day is a dot on its day; one dated only to the month or the year is a
bar across that month or year. (Other figures mark milestones with `figures.milestones`.)"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from scamstats import stats
from scamstats.figures.marks import Plotted, coarse, empty_result, key_entry, left_labels, wrapped
from scamstats.figures.panels import date_range, pad_dates
from scamstats.figures.registry import register
from scamstats.figures.theme import GREY, HEIGHT, MILESTONE_COLOURS, MILESTONE_GROUPS
from scamstats.labels import format_date, format_date_short
from scamstats.package import Package

TIMELINE_LIMIT = 40


@register(
    "timeline",
    "Milestones: directives, reports, arrests and releases",
    "Dated events recorded in the package, one row each, coloured by kind",
    f"Each row is one dated milestone from the timeline resource (the latest {TIMELINE_LIMIT} when "
    "there are more), with its sources: reports of the same milestone from several sources are one "
    "row, at the date of the first report. A dot is a milestone dated to the day; a bar spans the "
    "month or year of one dated only to that.",
    "Timeline of milestones about Cambodia's scam compounds, one row per milestone, coloured by "
    "kind: dots for milestones dated to the day, bars across the month for those dated only to a month.",
)
def plot_timeline(package: Package) -> Plotted:
    events = stats.latest_milestones(package, TIMELINE_LIMIT)
    if not events.height:
        return empty_result("no milestones")
    events = stats.with_spans(events, "date", "date_precision", baseline=None)
    labels = [f"{format_date_short(r['date'], r['date_precision'])} · {r['label']}" for r in events.iter_rows(named=True)]
    events = events.with_columns(pl.Series("axis_label", labels),
                                 pl.col("category").replace_strict(MILESTONE_GROUPS, default="other").alias("kind"))
    figure = go.Figure()
    for kind, colour in MILESTONE_COLOURS.items():
        part = events.filter(pl.col("kind") == kind)
        if not part.height:
            continue
        hover = [f"{format_date(r['date'], r['date_precision'])}: {wrapped(r['event'], 70)}<br>{', '.join(r['source_ids'])}"
                 for r in part.iter_rows(named=True)]
        spans = coarse(part, "date_precision")
        if spans.height:
            xs, ys = [], []
            for r in spans.iter_rows(named=True):
                xs += [r["period_first"], r["period_last"], None]
                ys += [r["axis_label"], r["axis_label"], None]
            figure.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line={"color": colour, "width": 9}, name=kind,
                                        legendgroup=kind, showlegend=False, hoverinfo="skip", meta={"role": "span"}))
        days = part.filter(pl.col("date_precision") == "day")
        if days.height:
            figure.add_trace(go.Scatter(
                x=days["date"].to_list(), y=days["axis_label"].to_list(), mode="markers", name=kind, legendgroup=kind,
                marker={"size": 12, "color": colour, "line": {"color": "white", "width": 1}},
                hovertext=[h for h, p in zip(hover, part["date_precision"], strict=True) if p == "day"], hoverinfo="text",
                meta={"role": "points", "precisions": ["day"] * days.height,
                      "periods": [[d.isoformat(), d.isoformat()] for d in days["date"]]},
            ))
        else:
            key_entry(figure, kind, marker={"size": 12, "color": colour})
            figure.data[-1].meta = None  # a kind shown only as bars: still a series of the legend
            figure.data[-1].legendgroup = kind
    if coarse(events, "date_precision").height:
        key_entry(figure, "bar: dated to the month", line={"color": GREY, "width": 9})
    start, end = date_range(events["period_first"].to_list() + events["period_last"].to_list())
    pad_dates(figure, start, end)
    figure.update_yaxes(categoryorder="array", categoryarray=labels, autorange="reversed", showgrid=True,
                        tickfont={"size": 12})
    figure.update_xaxes(title_text="date", side="bottom", tickformat="%b<br>%Y", dtick="M3", tickangle=0)
    figure.update_layout(height=max(HEIGHT, 280 + 24 * events.height), margin={"r": 200},
                         legend={"title": {"text": "kind of milestone"}})
    left_labels(figure, labels)
    return figure, events.drop("kind"), [s for ids in events["source_ids"].to_list() for s in ids]
