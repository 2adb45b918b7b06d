"""Figures of the survivors table: published demographics of survivor groups, each breakdown
drawn over its source's own total, under the small-cell rule (counts of 1 to 4 read "<5" and
are not drawn)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from scamstats import stats
from scamstats.figures.marks import Plotted, empty_result, hidden_cells_note, left_labels, wrapped
from scamstats.figures.registry import register
from scamstats.figures.theme import GRID, HEIGHT, LIGHT_GREY, colour_map
from scamstats.labels import format_count
from scamstats.package import Package
from scamstats.privacy import SMALL_CELL_LABEL, suppress_small_cells

# How a bar names the dimension it breaks its group down by (`stats.BREAKDOWN_DIMENSIONS`).
DIMENSION_WORDS = {"age_group": "by age", "sex": "by sex", "nationality": "by nationality"}

BAR = ["source_id", "population", "dimension"]


@register(
    "survivor-demographics",
    "Survivors: published demographics, with each source's own total",
    "Children, women and nationalities among survivor groups as their authors published them",
    "Only aggregates published by their authors; never an individual. Each bar is one breakdown "
    "of the group named on the left (age, sex or nationality), drawn over that source's own total "
    "(grey), its figures written beside it; the grey part is people the source did not place in a "
    "category. Counts of 1 to 4 read '<5' and are not drawn; beside a single one, the breakdown's "
    "smallest other part reads 'not shown', or the total would give it back.",
    "Bar chart of survivor groups' published totals with the children, women and nationality "
    "counts their authors reported.",
    small_cells=("count", "source_total"),
)
def plot_survivors(package: Package) -> Plotted:
    parts = stats.survivor_breakdowns(package)
    if not parts.height:
        return empty_result("no survivor breakdown with a published total")
    # At most 12 bars (group × dimension), the largest groups first, to stay legible.
    bars = stats.survivor_breakdown_groups(package)
    totals = suppress_small_cells(bars, ["source_total"])
    shown = stats.suppress_small_survivor_cells(parts)
    label_of = {
        tuple(r[c] for c in BAR): wrapped(f"{r['population']} · {DIMENSION_WORDS[r['dimension']]}", 46)
        for r in bars.iter_rows(named=True)
    }
    order = list(label_of.values())
    # Each bar's figures are written beside it, in words ("total 65 · female 8 · male 57"), not
    # inside thin segments. Cells the rule hides are neither drawn nor stacked on (their size
    # would show): they are named there too, after the total or, when it is hidden, after the parts.
    words: dict[str, list[str]] = {y: [] for y in order}
    categories = parts.select(["dimension", "category", "category_label"]).unique().sort(["dimension", "category"]).rows()
    for _, category, _ in categories:
        for r in shown.filter(pl.col("category") == category).iter_rows(named=True):
            # A hidden cell reads as the rule words it: "<5", or "not shown" for the part hidden beside it.
            count = r["count"] if r["count_suppressed"] else format_count(int(r["count"]), r["qualifier"])
            words[label_of[tuple(r[c] for c in BAR)]].append(f"{r['category_label'].lower()}: {count}")
    total_hidden = dict(zip(order, totals["source_total_suppressed"], strict=True))
    figure = go.Figure(go.Bar(
        y=order, x=[None if total_hidden[y] else v for y, v in zip(order, bars["source_total"], strict=True)],
        orientation="h", name="source's total", marker_color=LIGHT_GREY,
        text=["" if total_hidden[y] else " · ".join([f"total {v:,}", *words[y]])
              for y, v in zip(order, bars["source_total"], strict=True)],
        textposition="outside", cliponaxis=False, textfont={"size": 13},
        hovertemplate="%{y}<br>total %{x:,}<extra></extra>",
    ))
    drawn = shown.filter(~pl.col("count_suppressed"))
    colours = colour_map(categories)
    ends: dict[str, int] = {}
    for dimension, category, category_label in categories:
        part = drawn.filter((pl.col("dimension") == dimension) & (pl.col("category") == category))
        if not part.height:
            continue
        ys = [label_of[tuple(r[c] for c in BAR)] for r in part.iter_rows(named=True)]
        counts = [int(v) for v in part["count"]]
        base = [ends.get(y, 0) for y in ys]
        for y, value in zip(ys, counts, strict=True):
            ends[y] = ends.get(y, 0) + value
        figure.add_trace(go.Bar(
            y=ys, x=counts, base=base, orientation="h", name=category_label,
            marker={"color": colours[(dimension, category, category_label)], "line": {"color": "white", "width": 1}},
            hovertext=[f"{category_label}: {format_count(v, q)}" for v, q in zip(counts, part["qualifier"], strict=True)],
            hovertemplate="%{y}<br>%{hovertext}<extra></extra>",
        ))
    for y in order:
        if total_hidden[y]:
            hidden_cells_note(figure, y, " · ".join([f"total {SMALL_CELL_LABEL}", *words[y]]), x=ends.get(y, 0))
    widest = max([1, *ends.values(), *(v for y, v in zip(order, bars["source_total"], strict=True) if not total_hidden[y])])
    lines = sum(y.count("<br>") + 1 for y in order)
    figure.update_layout(barmode="overlay", height=max(HEIGHT, 300 + 24 * lines + 26 * len(order)),
                         margin={"r": 250, "t": 130},
                         legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.01, "yanchor": "bottom",
                                 "title": {"text": "part of the total:"}})
    figure.update_yaxes(autorange="reversed", showgrid=False, tickfont={"size": 12})
    figure.update_xaxes(title_text="people", tickformat=",", showgrid=True, gridcolor=GRID, range=[0, widest * 1.05])
    left_labels(figure, order)
    return figure, shown, parts["source_id"].to_list()
