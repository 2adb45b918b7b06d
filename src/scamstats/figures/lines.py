"""Figures of the official cumulative series (the crackdown's arrests and detentions,
deportations and repatriations) and `count_series_figure`, a chart of any selection of series
(the dashboard's arrests page), all drawn by the codebook's date rules (`stats.line_points`):
a line per metric and baseline through comparable points only, never falling; figures dated
to a month drawn across it; hedged figures as marks; counts before 2025 in a panel of their own.
"""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl

from scamstats import stats
from scamstats.figures.marks import (
    Plotted,
    coarse,
    cumulative_series,
    empty_result,
    key_entry,
    no_data,
    qualifier_legend,
    spread,
    text_width,
)
from scamstats.figures.milestones import milestones
from scamstats.figures.panels import (
    NARROW_PANEL_PX,
    axis,
    axis_name,
    era_ranges,
    era_title,
    narrow_layout,
    panel_px,
    panel_widths,
    panels,
    set_time_axis,
    stacked_px,
)
from scamstats.figures.registry import register
from scamstats.figures.theme import OTHER, TEMPLATE, baseline_colour, has_own_colour, subtitled
from scamstats.labels import METRIC_LABELS, baseline_label, format_count, format_date_short
from scamstats.package import Package

DASHES = ("solid", "dash", "longdash", "dashdot")


def _panels_of(points: pl.DataFrame, metrics: list[str]) -> list[tuple[str, str, dt.date, dt.date]]:
    """(metric, era, first day, last day) of every panel: each metric in each era it has points
    in, its axis running over the days of its own marks and periods."""
    ranges = era_ranges(points["drawn_on"].to_list())
    found = []
    for metric in metrics:
        for era in ranges:
            here = points.filter((pl.col("metric") == metric) & (pl.col("era") == era))
            if here.height:
                found.append((metric, era, min(here["period_first"].min(), here["drawn_on"].min()),
                              here["drawn_on"].max()))
    return found


def _end_labels(figure: go.Figure, ends: list[tuple[dict, str, bool]], column: int, top: float) -> float:
    """Write each series' last figure at its last mark, moved apart so that none overlap; a
    grey series (a baseline with no colour of its own) is named there too. Returns how many
    pixels the widest reaches right of its mark."""
    positions = spread([row["value_high"] for row, _, _ in ends], top * 0.06)
    reach = 0.0
    for (row, colour, named), y in zip(ends, positions, strict=True):
        value = format_count(row["value_high"], row["qualifier_high"])
        text = f"{value} (since {format_date_short(row['baseline'])})" if named else value
        figure.add_annotation(x=row["drawn_on"], y=y, xref=axis_name(column), yref=axis_name(column, "y"),
                              text=text, showarrow=False, xanchor="left", xshift=8,
                              font={"size": 12, "color": colour if colour != OTHER else "#555555"})
        reach = max(reach, 8 + text_width(text, 12) + 4)
    return reach


def series_figure(package: Package, metrics: tuple[str, ...], since: dt.date | None, what: str,
                  narrow: bool = False) -> Plotted:
    """One panel per metric (and per era it has figures in); one line per baseline. Side by
    side, or for a phone (`narrow`) stacked full width."""
    series = stats.official_series_with_baseline(package, metrics, since)
    if not series.height:
        return empty_result(what)
    points = stats.line_points(series)
    present = [m for m in metrics if m in set(points["metric"])]
    layout = _panels_of(points, present)
    several_eras = len({era for _, era, _, _ in layout}) > 1
    titles = [METRIC_LABELS[m].capitalize() + (f", {era_title(e, s, t)}" if several_eras else "")
              for m, e, s, t in layout]
    sizes = [points.filter((pl.col("metric") == m) & (pl.col("era") == e)).height for m, e, _, _ in layout]
    figure = panels(titles, panel_widths(sizes), spacing=0.1, narrow=narrow)
    if narrow:
        narrow_layout(figure, stacked_px([NARROW_PANEL_PX] * len(layout)), top=110)
    else:
        figure.update_layout(width=1100, margin={"l": 80, "r": 240, "t": 110})
    in_legend: set = set()
    grey = False
    for column, (metric, era, start, end) in enumerate(layout, start=1):
        panel = points.filter((pl.col("metric") == metric) & (pl.col("era") == era))
        top = max(1, panel["value_high"].max())
        ends = []
        for baseline in sorted(set(panel["baseline"])):
            part = panel.filter(pl.col("baseline") == baseline)
            label = baseline_label(baseline)
            own = has_own_colour(baseline)
            grey = grey or not own
            colour = baseline_colour(baseline)
            cumulative_series(figure, part, label[0].upper() + label[1:], colour, column,
                              showlegend=own and baseline not in in_legend, group=str(baseline))
            in_legend.add(baseline)
            ends.append((part.sort(["drawn_on", "value_high"]).row(-1, named=True), colour, not own))
        reach = _end_labels(figure, ends, column, top)
        axis(figure, column, "y").update(rangemode="tozero", tickformat=",",
                                         range=[0, top * 1.1 + top * 0.06 * max(0, len(ends) - 1)])
        right = 0.22 if column == len(layout) else 0.14
        if narrow:  # room right of the last marks for their labels, whose pixels a phone has few of
            width = panel_px(figure, column)
            right = max(right, 1.05 * reach / max(1.0, width - reach))
        set_time_axis(figure, column, start, end, right=right)
        if narrow:
            axis(figure, column, "y").title.text = "people, cumulative"
    qualifier_legend(figure, set(points["qualifier_high"]), coarse=bool(coarse(points).height))
    if grey:
        key_entry(figure, "other baselines (named at the end)", line={"color": OTHER, "width": 2.5})
    if not narrow:
        figure.update_yaxes(title_text="people (cumulative, as announced)", row=1, col=1)
    milestone_sources = milestones(figure, package, tuple(range(1, len(layout) + 1)), limit=3)
    data = points.filter(pl.col("metric").is_in(present))
    sources = sorted({s for ids in data["source_ids"].to_list() for s in ids}) + milestone_sources
    return figure, data, sources


CRACKDOWN_START = dt.date(2025, 6, 1)


@register(
    "official-tallies-crackdown",
    "Official tallies of the 2025–26 crackdown, by baseline",
    "People arrested or detained, cumulative, as announced; one line per metric and baseline",
    "Each line is one official series counted from one stated start date (baseline); series with "
    "different baselines are never added. A line joins exact figures only and never falls: "
    "'at least' (triangle) and 'about' (diamond) figures, and a figure lower than one drawn before "
    "it, are marks off the line. A figure dated only to a month is a pale bar across that month, "
    "its mark at the month's end. A vertical bar spans disagreeing sources. Baselines from June 2025; "
    "milestones are dotted lines (a grey band for one dated to a month), labelled above the first panel.",
    "Line chart in two panels, people arrested and people detained in Cambodia's 2025–26 crackdown "
    "on scam compounds, one line per baseline (since 27 June 2025, since the 14 July 2025 directive, "
    "since 1 January 2026 and others), with milestones marked above the plot.",
)
def plot_official_tallies(package: Package, narrow: bool = False) -> Plotted:
    return series_figure(package, ("arrested", "detained"), CRACKDOWN_START,
                         "no official arrest or detention totals with a stated baseline since June 2025", narrow)


@register(
    "official-tallies-deportations",
    "Deportations and repatriations: published cumulative totals",
    "People deported from Cambodia or repatriated home, counted from a stated baseline",
    "Each line is one series with its own stated start date; totals with different baselines or "
    "with no stated baseline are not combined (the latter are in 'returns by nationality'). Totals "
    "before 2025 are in a panel of their own. A line joins exact figures only and never falls; "
    "triangles mark 'at least' figures; bars span disagreeing sources.",
    "Line chart of cumulative published totals of people deported from Cambodia or repatriated, "
    "one line per baseline, in a panel for totals before 2025 and one for 2025–26.",
)
def plot_official_deportations(package: Package, narrow: bool = False) -> Plotted:
    return series_figure(package, stats.RETURN_METRICS, None,
                         "no deportation or repatriation totals with a stated baseline", narrow)


# ------------------------------------------------------------------------------------------
# A selection drawn as series (the dashboard's arrests page)


OFF_SCALE_RATIO = 3  # a series this many times higher than every other would flatten them


def off_scale_cap(panel: pl.DataFrame) -> float | None:
    """The top of a panel's scale when one series (metric and baseline) runs more than
    OFF_SCALE_RATIO times higher than every other (a count since 2018 beside the crackdown's):
    a little above the next highest series, so that the others keep their shape; else None."""
    tops = (panel.group_by(["metric", "baseline"]).agg(pl.col("value_high").max())["value_high"]
            .drop_nulls().sort(descending=True).to_list())
    if len(tops) < 2 or tops[0] <= OFF_SCALE_RATIO * tops[1]:
        return None
    return tops[1] * 1.25


def mark_off_scale(figure: go.Figure, rows: pl.DataFrame, column: int, cap: float,
                   days: tuple[dt.date, dt.date]) -> None:
    """Point an arrow at a panel's top edge for each figure above its scale, with the figure,
    its metric and its baseline written under it (shown, only not to scale)."""
    middle = days[0] + (days[1] - days[0]) / 2
    for row in rows.sort("drawn_on").iter_rows(named=True):
        since = f"since {format_date_short(row['baseline'])}" if row["baseline"] else "no baseline stated"
        words = (f"{format_count(row['value_high'], row['qualifier_high'])} "
                 f"{METRIC_LABELS.get(row['metric'], row['metric'])}<br>{since}<br>(off the scale)")
        figure.add_annotation(x=row["drawn_on"], y=cap, xref=axis_name(column), yref=axis_name(column, "y"),
                              text=words, showarrow=True, arrowhead=2, arrowsize=1.2, arrowcolor="#555555",
                              ax=0, ay=44, yanchor="top", align="left" if row["drawn_on"] <= middle else "right",
                              xanchor="left" if row["drawn_on"] <= middle else "right",
                              font={"size": 12, "color": "#555555"})


def count_series_figure(series: pl.DataFrame, title: str, subtitle: str = "", off_scale: bool = True) -> go.Figure:
    """Return a chart of a `stats.official_series` or `stats.breakdown_series` frame.

    One line per metric and baseline (never joined across baselines, through comparable points
    only: `stats.line_points`); figures with no stated baseline are unjoined marks; a figure
    dated to a month is a bar across it; where sources disagree on a date a bar spans the
    lowest to the highest figure; marker shapes give the qualifier; each baseline has its
    colour of every figure, each metric its dash; counts before 2025 have a panel of their own.
    A series more than OFF_SCALE_RATIO times every other in its panel is drawn off the scale
    (an arrow at the top edge with its figure), unless `off_scale` is False: charts drawn on one
    shared scale, to be compared side by side, keep every figure on it.
    Shows 'No data yet' when empty.
    """
    if not series.height:
        figure = no_data(go.Figure(), "no published figure matches this selection")
    else:
        points = stats.line_points(series)
        ranges = era_ranges(points["drawn_on"].to_list())
        figure = panels([f"{era_title(e, s, t)}" for e, (s, t) in ranges.items()] if len(ranges) > 1 else [""],
                        panel_widths([points.filter(pl.col("era") == e).height for e in ranges]))
        metrics = list(dict.fromkeys(points["metric"]))
        shown: set = set()
        for column, (era, (start, end)) in enumerate(ranges.items(), start=1):
            panel = points.filter(pl.col("era") == era)
            for metric, baseline in panel.select(["metric", "baseline"]).unique(maintain_order=True).rows():
                part = panel.filter((pl.col("metric") == metric)
                                    & pl.col("baseline").eq_missing(pl.lit(baseline, pl.Date)))
                name = f"{METRIC_LABELS.get(metric, metric).capitalize()}, {baseline_label(baseline)}"
                cumulative_series(figure, part, name, baseline_colour(baseline), column,
                                  showlegend=(metric, baseline) not in shown, group=name,
                                  dash=DASHES[metrics.index(metric) % len(DASHES)])
                shown.add((metric, baseline))
            first = min(start, panel["period_first"].min())
            set_time_axis(figure, column, first, end)
            figure.update_yaxes(tickformat=",", rangemode="tozero", row=1, col=column)
            cap = off_scale_cap(panel) if off_scale else None
            if cap is not None:
                figure.update_yaxes(range=[0, cap], row=1, col=column)
                mark_off_scale(figure, panel.filter(pl.col("value_high") > cap), column, cap, (first, end))
        qualifier_legend(figure, set(points["qualifier_high"]), coarse=bool(coarse(points).height))
        figure.update_yaxes(title_text="count as published", row=1, col=1)
    figure.update_layout(template=TEMPLATE, title={"text": subtitled(title, subtitle)}, width=None, height=520,
                         margin={"l": 80, "r": 40, "t": 90, "b": 60})
    return figure
