"""Figures of the survivors table: published demographics of survivor groups, each breakdown
drawn over its source's own total, under the small-cell rule (counts of 1 to 4 read "<5" and
are not drawn)."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from scamstats import stats
from scamstats.figures.marks import Plotted, empty_result, hidden_cells_note, left_labels, short
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
    "(grey); the grey part is people the source did not place in a category. Counts of 1 to 4 "
    "read '<5' and are not drawn.",
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
        tuple(r[c] for c in BAR): f"{short(r['population'], 54)} · {DIMENSION_WORDS[r['dimension']]}"
        for r in bars.iter_rows(named=True)
    }
    order = list(label_of.values())
    # Cells the rule hides are neither drawn nor stacked on (their size would show): each bar
    # names them instead, after its total or, when the total is hidden too, after its parts.
    hidden: dict[str, list[str]] = {y: [] for y in order}
    for r in shown.filter(pl.col("count_suppressed")).iter_rows(named=True):
        hidden[label_of[tuple(r[c] for c in BAR)]].append(f"{r['category_label']} {SMALL_CELL_LABEL}")
    total_hidden = dict(zip(order, totals["source_total_suppressed"], strict=True))
    figure = go.Figure(go.Bar(
        y=order, x=[None if total_hidden[y] else v for y, v in zip(order, bars["source_total"], strict=True)],
        orientation="h", name="source's total", marker_color=LIGHT_GREY,
        text=["" if total_hidden[y] else " · ".join([f"total {v:,}", *hidden[y]])
              for y, v in zip(order, bars["source_total"], strict=True)],
        textposition="outside", cliponaxis=False, hovertemplate="%{y}<br>total %{x:,}<extra></extra>",
    ))
    drawn = shown.filter(~pl.col("count_suppressed"))
    categories = parts.select(["dimension", "category", "category_label"]).unique().sort(["dimension", "category"]).rows()
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
            text=[f"{category_label}: {format_count(v, q)}" for v, q in zip(counts, part["qualifier"], strict=True)],
            textposition="inside", insidetextanchor="middle", textangle=0, textfont={"color": "white", "size": 12},
            hovertemplate="%{y}<br>%{text}<extra></extra>",
        ))
    for y in order:
        if total_hidden[y]:
            hidden_cells_note(figure, y, " · ".join([f"total {SMALL_CELL_LABEL}", *hidden[y]]), x=ends.get(y, 0))
    widest = max([1, *ends.values(), *(v for y, v in zip(order, bars["source_total"], strict=True) if not total_hidden[y])])
    figure.update_layout(barmode="overlay", height=max(HEIGHT, 280 + 52 * len(order)), margin={"r": 170})
    figure.update_yaxes(autorange="reversed", showgrid=False, tickfont={"size": 12})
    figure.update_xaxes(title_text="people", tickformat=",", showgrid=True, gridcolor=GRID, range=[0, widest * 1.15])
    left_labels(figure, order)
    return figure, shown, parts["source_id"].to_list()
