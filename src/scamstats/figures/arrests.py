"""Figures of the arrests table by nationality and sex: who was detained by nationality
(latest and over time), the share of women among those counted, and returns by nationality.
The official cumulative series are in `figures.lines`."""

from __future__ import annotations

import math

import plotly.graph_objects as go
import polars as pl

from scamstats import stats
from scamstats.figures.marks import (
    Plotted,
    coarse,
    empty_result,
    hidden_cells_note,
    key_entry,
    left_labels,
    legend_entry,
    points_trace,
    qualifier_legend,
    span_trace,
    wrapped,
)
from scamstats.figures.milestones import milestones
from scamstats.figures.panels import (
    NARROW_GAP_PX,
    NARROW_PANEL_PX,
    axis,
    axis_name,
    era_ranges,
    era_title,
    narrow_layout,
    on_panel,
    panel_widths,
    panels,
    set_time_axis,
    stacked,
    stacked_px,
)
from scamstats.figures.registry import register
from scamstats.figures.theme import (
    GREY,
    GRID,
    HEIGHT,
    LIGHT_GREY,
    NATIONALITY_COLOURS,
    OTHER,
    PALETTE,
    QUALIFIER_SYMBOL,
    nationality_colour,
)
from scamstats.labels import METRIC_LABELS, baseline_label, country_name, format_count, format_date
from scamstats.package import Package
from scamstats.privacy import SMALL_CELL_LABEL

# ------------------------------------------------------------------------------------------
# Detentions by nationality


@register(
    "detentions-by-nationality-latest",
    "Who was detained: the latest published breakdown by nationality",
    "People arrested or detained nationwide, by nationality, from one source on one date",
    "Bars show the most recent nationwide breakdown by nationality in the package, from a single "
    "source; 'Other or not stated' is the part of that source's total it did not break down. "
    "'At least' figures are labelled as such. Each nationality has its colour of every figure.",
    "Horizontal bar chart of people detained in Cambodia's scam-compound raids by nationality, "
    "from the latest published nationwide breakdown.",
)
def plot_nationality_latest(package: Package) -> Plotted:
    frame = stats.latest_nationality_breakdown(package)
    if not frame.height:
        return empty_result("no nationwide breakdown of detentions by nationality")
    frame = frame.sort("value")
    first = frame.row(0, named=True)
    colours = [LIGHT_GREY if n == "OTHER" else nationality_colour(n) for n in frame["nationality"]]
    labels = [format_count(v, q) for v, q in zip(frame["value"], frame["qualifier"], strict=True)]
    figure = go.Figure(go.Bar(
        x=frame["value"].to_list(), y=frame["nationality_name"].to_list(), orientation="h",
        marker_color=colours, text=labels, textposition="outside", cliponaxis=False,
        hovertemplate="%{y}: %{text}<extra></extra>",
    ))
    total = first["total_value"]
    what = f"{METRIC_LABELS[first['metric']]} {first['baseline_label']}, as of " \
           f"{format_date(first['as_of'], first['as_of_precision'])}"
    if total is not None:
        what += f"; total {format_count(total, first['total_qualifier'])}"
        if stats.breakdown_parts_exceed_total(frame):
            what += " (the parts published exceed it; both shown as published)"
    figure.add_annotation(text=what, xref="paper", yref="paper", x=1, y=0.02, xanchor="right",
                          showarrow=False, font={"size": 12, "color": GREY})
    figure.update_xaxes(title_text="people", tickformat=",", showgrid=True, gridcolor=GRID,
                        range=[0, frame["value"].max() * 1.18])
    figure.update_yaxes(showgrid=False)
    figure.update_layout(showlegend=False, height=max(HEIGHT, 260 + 34 * frame.height))
    left_labels(figure, frame["nationality_name"].to_list())
    return figure, frame, [first["source_id"]]


@register(
    "detentions-by-nationality-over-time",
    "Nationalities among those arrested or detained, as published over time",
    "Each mark is one published nationwide figure for one nationality",
    "Counts come from different sources and baselines; read each mark with its date and baseline, "
    "not as one series. Figures before 2025 are in a panel of their own. Triangles mark 'at least' "
    "figures; a figure dated only to a month is a pale bar across it, its mark at the month's end. "
    "The seven nationalities most often broken down in the package keep one colour in every figure; "
    "others are grey.",
    "Dot chart over time of published counts of people arrested or detained in Cambodia, by "
    "nationality, in a panel for figures before 2025 and one for 2025–26.",
)
def plot_nationality_over_time(package: Package, narrow: bool = False) -> Plotted:
    frame = stats.detentions_by_nationality(package).filter(pl.col("scope") == "national")
    if not frame.height:
        return empty_result("no nationwide counts by nationality")
    frame = stats.with_spans(frame)
    ranges = era_ranges(frame["drawn_on"].to_list())
    titles = [f"{s.year}–{t.year}" if s.year != t.year else str(s.year) for s, t in ranges.values()]
    widths = panel_widths([frame.filter(pl.col("era") == era).height for era in ranges])
    figure = panels(titles if len(ranges) > 1 else [""], widths, spacing=0.07, narrow=narrow)
    if narrow:
        narrow_layout(figure, stacked_px([NARROW_PANEL_PX] * len(ranges)))
    else:
        figure.update_layout(margin={"r": 200})
    keys = [c for c in NATIONALITY_COLOURS if c in set(frame["nationality"])] + ["OTHERS"]
    shown: set[str] = set()
    for column, (era, (start, end)) in enumerate(ranges.items(), start=1):
        panel = frame.filter(pl.col("era") == era)
        for code in keys:
            part = panel.filter(~pl.col("nationality").is_in(keys)) if code == "OTHERS" \
                else panel.filter(pl.col("nationality") == code)
            if not part.height:
                continue
            name = country_name(code) if code != "OTHERS" else "Other nationalities"
            colour = nationality_colour(code) if code != "OTHERS" else OTHER
            if coarse(part).height:
                figure.add_trace(on_panel(span_trace(part, "value", colour, name=name, legendgroup=code,
                                                     showlegend=False), column))
            hover = [f"{r['nationality_name']}: {format_count(r['value'], r['qualifier'])} {r['metric']} "
                     f"({r['baseline_label']}), {format_date(r['as_of'], r['as_of_precision'])}<br>{r['source_id']}"
                     for r in part.iter_rows(named=True)]
            figure.add_trace(on_panel(points_trace(part, "value", "qualifier", colour, hover, size=10, name=name,
                                                   legendgroup=code, showlegend=code not in shown, opacity=0.9,
                                                   legendrank=keys.index(code)), column))
            shown.add(code)
        set_time_axis(figure, column, min(start, panel["period_first"].min()), end)
        axis(figure, column, "y").update(tickformat=",", rangemode="tozero")
        if narrow or column == 1:
            axis(figure, column, "y").title.text = "people (as published)"
    qualifier_legend(figure, set(frame["qualifier"]), coarse=bool(coarse(frame).height))
    milestone_sources = milestones(figure, package, tuple(range(1, len(ranges) + 1)), limit=3)
    return figure, frame, frame["source_id"].to_list() + milestone_sources


# ------------------------------------------------------------------------------------------
# Women


def _share_text(row: dict, shown: dict) -> str:
    """A bar's label: the share and the counts it comes from, or the hidden counts alone."""
    women = SMALL_CELL_LABEL if shown["women_suppressed"] else format_count(row["women"], row["women_qualifier"])
    total = SMALL_CELL_LABEL if shown["total_suppressed"] else format_count(row["total"], row["total_qualifier"])
    if shown["share_women"] is None:
        return f"{women} of {total} (share not shown)"
    floor = "at least " if row["share_qualifier"] == "at_least" else ""
    return f"{floor}{row['share_women']:.0%}: {women} of {total}"


@register(
    "share-of-women",
    "Women among those counted",
    "Published counts of women as a share of the total they belong to",
    "Each bar is one source's count of women divided by the same source's total for the same "
    "date and baseline (or the same survivor population). 'At least' shares are floors. Survivor "
    "counts of 1 to 4 read '<5'; their share is not shown.",
    "Horizontal bar chart of the share of women among people detained or among survivors, per published figure.",
    small_cells=("women", "total"),
)
def plot_share_of_women(package: Package) -> Plotted:
    frame = stats.share_of_women(package).filter(pl.col("share_women").is_not_null())
    if not frame.height:
        return empty_result("no published count of women with a matching total")
    shown = stats.suppress_small_survivor_shares(frame)
    labels = []
    for r in frame.iter_rows(named=True):
        if r["resource"] == "arrests":
            labels.append(f"{METRIC_LABELS[r['metric']].capitalize()}, {baseline_label(r['baseline'])}"
                          f" ({format_date(r['as_of'], r['as_of_precision'])})")
        else:
            labels.append(wrapped(r["population"], 64))
    rows = list(zip(frame.iter_rows(named=True), shown.iter_rows(named=True), strict=True))
    figure = go.Figure(go.Bar(
        x=shown["share_women"].to_list(), y=labels, orientation="h", marker_color=PALETTE[4],
        text=[_share_text(r, s) for r, s in rows], textposition="outside", cliponaxis=False,
        hovertemplate="%{y}<br>%{text}<extra></extra>",
    ))
    for label, (r, s) in zip(labels, rows, strict=True):
        if s["share_women"] is None:  # the bar is not drawn: its counts are written instead
            hidden_cells_note(figure, label, _share_text(r, s))
    figure.update_xaxes(title_text="share of women", tickformat=".0%", showgrid=True, gridcolor=GRID,
                        range=[0, min(1.0, max(0.3, shown["share_women"].max() * 1.8))])
    # Rows are evenly spaced: each gets the room of the tallest label.
    row_px = max(36, 17 * max(label.count("<br>") + 1 for label in labels) + 14)
    figure.update_layout(showlegend=False, height=max(HEIGHT, 280 + row_px * len(labels)))
    figure.update_yaxes(tickfont={"size": 12})
    left_labels(figure, labels)
    data = shown.with_columns(pl.Series("label", [label.replace("<br>", " ") for label in labels]))
    return figure, data, frame["source_id"].to_list()


# ------------------------------------------------------------------------------------------
# Returns


# Pixels of one panel of returns (all nationalities; one nationality), in print and on a phone.
RETURNS_PANEL_PX = {True: 130, False: 230}
NARROW_RETURNS_PANEL_PX = {True: 120, False: 200}


def _log_range(values: list[int]) -> tuple[list[float], list[int]]:
    """A log axis's range (log10 units, a little past the values) and its ticks (1, 2, 5, 10...)."""
    low, high = math.log10(min(values)), math.log10(max(values))
    ticks = [m * 10 ** e for e in range(7) for m in (1, 2, 5) if low - 0.2 <= math.log10(m * 10 ** e) <= high + 0.2]
    return [low - 0.2, high + 0.2], ticks


def _return_marks(figure: go.Figure, part: pl.DataFrame, key: str, name: str, colour: str, panel: int) -> None:
    """The counts of one key (a nationality, all, or the others) in one panel: the periods of
    month-dated counts, filled marks for deportations and open marks for repatriations."""
    if coarse(part).height:
        figure.add_trace(on_panel(span_trace(part, "value", colour, name=name, legendgroup=key, showlegend=False), panel))
    for metric, fill in (("deported", True), ("repatriated", False)):
        sub = part.filter(pl.col("metric") == metric)
        if not sub.height:
            continue
        hover = [f"{r['nationality_name']}: {format_count(r['value'], r['qualifier'])} {r['metric']} "
                 f"({r['baseline_label']}; scope {r['scope']}), {format_date(r['as_of'], r['as_of_precision'])}"
                 f"<br>{r['source_id']}" for r in sub.iter_rows(named=True)]
        trace = points_trace(sub, "value", "qualifier", colour, hover, size=10, name=name, legendgroup=key,
                             showlegend=False)
        trace.marker.symbol = [QUALIFIER_SYMBOL[q] + ("" if fill else "-open") for q in sub["qualifier"]]
        trace.marker.line = {"width": 1.5, "color": colour}
        figure.add_trace(on_panel(trace, panel))


@register(
    "returns-by-nationality",
    "Deportations and repatriations by nationality, as published",
    "Each mark is one published count of people deported from Cambodia or repatriated home",
    "Figures differ in coverage (nationwide or one province), period and baseline, so they are "
    "shown as separate marks, not summed. Filled marks: deported; open marks: repatriated. Counts "
    "for all nationalities and counts for one nationality have panels of their own, and so do the "
    "2025–26 crackdown and the years before it, each panel on its own scale. Counts for one "
    "nationality run from a handful to thousands: their panels are on a logarithmic scale (equal "
    "steps are equal ratios), as their axis titles say.",
    "Dot charts over time of published counts of people deported from or repatriated out of Cambodia: "
    "totals over all nationalities and counts by nationality, in panels for 2025–26 and for the years before.",
)
def plot_returns(package: Package, narrow: bool = False) -> Plotted:
    frame = stats.returns_by_nationality(package).filter(pl.col("value") > 0)
    if not frame.height:
        return empty_result("no deportation or repatriation counts")
    frame = stats.with_spans(frame)
    present = set(frame["nationality"])
    top = [c for c in NATIONALITY_COLOURS if c != "ALL" and c in present][:6]
    keys = ["ALL", *top, "OTHERS"]
    ranges = era_ranges(frame["drawn_on"].to_list())
    # The crackdown on top (milestones are labelled above it), then the years before it; in
    # each era the totals over all nationalities, then each nationality's counts.
    layout = [(era, whole) for era in reversed(ranges) for whole in (True, False)
              if frame.filter((pl.col("era") == era) & ((pl.col("nationality") == "ALL") == whole)).height]
    titles = [f"{era_title(era, *ranges[era])}: " + ("all nationalities" if whole else "by nationality")
              for era, whole in layout]
    heights = [(NARROW_RETURNS_PANEL_PX if narrow else RETURNS_PANEL_PX)[whole] for _, whole in layout]
    figure = stacked(titles, heights, NARROW_GAP_PX, stacked_px(heights))
    if narrow:
        narrow_layout(figure, stacked_px(heights))
    else:
        figure.update_layout(margin={"r": 200, "t": 100}, height=int(100 + stacked_px(heights) + 130))
    for key in keys:
        if (key == "OTHERS" and present - {"ALL", *top}) or key in present:
            name = "Other nationalities" if key == "OTHERS" else country_name(None if key == "ALL" else key)
            legend_entry(figure, name, OTHER if key == "OTHERS" else nationality_colour(key), key, keys.index(key))
    for row, (era, whole) in enumerate(layout, start=1):
        era_rows = frame.filter(pl.col("era") == era)
        panel = era_rows.filter((pl.col("nationality") == "ALL") == whole)
        for key in (["ALL"] if whole else keys[1:]):
            part = panel.filter(~pl.col("nationality").is_in(["ALL", *top])) if key == "OTHERS" \
                else panel.filter(pl.col("nationality") == key)
            if part.height:
                name = "Other nationalities" if key == "OTHERS" else country_name(None if key == "ALL" else key)
                _return_marks(figure, part, key, name, OTHER if key == "OTHERS" else nationality_colour(key), row)
        # Both panels of an era share its dates (one axis matches the other), so their marks line up.
        set_time_axis(figure, row, min(ranges[era][0], era_rows["period_first"].min()), ranges[era][1])
        first_of_era = next(n for n, (e, _) in enumerate(layout, start=1) if e == era)
        if first_of_era != row:
            figure.layout[f"xaxis{row}"].matches = axis_name(first_of_era)
        values = panel["value"].to_list()
        if whole:
            axis(figure, row, "y").update(title_text="people", tickformat=",", range=[0, max(values) * 1.12])
            # The largest total named: it sets the scale the others are read on.
            largest = panel.sort(["value", "drawn_on"]).row(-1, named=True)
            figure.add_annotation(x=largest["drawn_on"], y=largest["value"], xref=axis_name(row),
                                  yref=axis_name(row, "y"), xanchor="right", xshift=-9, showarrow=False,
                                  text=format_count(largest["value"], largest["qualifier"]), font={"size": 12})
        else:
            span, ticks = _log_range(values)
            axis(figure, row, "y").update(title_text="people, log scale", type="log", range=span, tickvals=ticks,
                                          tickformat=",")
    for label, symbol in (("deported (filled)", "circle"), ("repatriated (open)", "circle-open")):
        key_entry(figure, label, marker={"symbol": symbol, "size": 10, "color": GREY, "line": {"color": GREY, "width": 1.5}})
    qualifier_legend(figure, set(frame["qualifier"]), coarse=bool(coarse(frame).height))
    top_era = [row for row, (era, _) in enumerate(layout, start=1) if era == layout[0][0]]
    milestone_sources = milestones(figure, package, tuple(top_era), limit=4)
    return figure, frame, frame["source_id"].to_list() + milestone_sources
