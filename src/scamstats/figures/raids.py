"""Figures of the raids table: enforcement operations (each counted once) per month, per
province, per province and year (a cross-tabulation under the small-cell rule) and on a map."""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go

from scamstats import stats
from scamstats.figures.maps import province_map
from scamstats.figures.marks import Plotted, crosstab_heatmap, empty_result, province_bars
from scamstats.figures.milestones import milestones
from scamstats.figures.registry import register
from scamstats.figures.theme import GREY, PALETTE
from scamstats.package import Package


@register(
    "raids-per-month",
    "Enforcement operations per month",
    "Raids, rescues, sealings and inspections reported in public sources, by month",
    "Counts what was published, not what happened: an operation no source reported is missing; "
    "one several sources report counts once. Operations dated only to the year are left out. "
    "Milestones from the timeline are marked.",
    "Bar chart of the number of reported enforcement operations at scam compounds in Cambodia per month.",
)
def plot_raids_per_month(package: Package) -> Plotted:
    frame = stats.raids_per_month(package)
    if not frame.height:
        return empty_result("no raids dated to the month", stats.RAIDS_MONTH_SCHEMA)
    figure = go.Figure(go.Bar(
        x=frame["month"].to_list(), y=frame["operations"].to_list(), marker_color=PALETTE[0],
        hovertemplate="%{x|%B %Y}: %{y} operations<extra></extra>", name="operations", xperiod="M1",
        xperiodalignment="middle",
    ))
    start, end = frame["month"].min(), frame["month"].max()
    figure.update_xaxes(range=[(start - dt.timedelta(days=45)).isoformat(), (end + dt.timedelta(days=45)).isoformat()])
    undated = stats.raids_undated_to_month(package)
    if undated:
        figure.add_annotation(text=f"{undated} operation{'s' if undated > 1 else ''} dated only to the year not shown",
                              xref="paper", yref="paper", x=0, y=1.0, yanchor="bottom", xanchor="left", yshift=4,
                              showarrow=False, font={"size": 11, "color": GREY})
    span_months = (end.year - start.year) * 12 + end.month - start.month
    figure.update_yaxes(title_text="operations reported", rangemode="tozero", dtick=1 if frame["operations"].max() < 8 else None)
    figure.update_xaxes(title_text="month", dtick="M12" if span_months > 36 else ("M3" if span_months > 12 else "M1"),
                        tickformat="%Y" if span_months > 36 else "%b %Y")
    figure.update_layout(showlegend=False, bargap=0.15, margin={"t": 120})
    milestone_sources = milestones(figure, package, (1,), limit=5)
    return figure, frame, stats.source_ids_citing(package, "raids") + milestone_sources


@register(
    "raids-by-province",
    "Enforcement operations by province",
    "Raids, rescues, sealings and inspections reported in public sources, all 25 provinces",
    "Counts what was published, not what happened; provinces with no reported operation show none, and "
    "an operation several sources report counts once. KH-25 Tboung Khmum is listed separately from Kampong Cham (split in 2013).",
    "Horizontal bar chart of reported enforcement operations at scam compounds in each of Cambodia's 25 provinces.",
)
def plot_raids_by_province(package: Package) -> Plotted:
    frame = stats.raids_by_province(package)
    if not frame["operations"].sum():
        return empty_result("no reported operations", stats.RAIDS_PROVINCE_SCHEMA)
    figure = province_bars(frame, "operations", "operations reported", PALETTE[0])
    return figure, frame, stats.source_ids_citing(package, "raids")


@register(
    "raids-by-province-and-year",
    "Enforcement operations by province and year",
    "Reported raids, rescues, sealings and inspections; cells under 5 shown as '<5'",
    "A cross-tabulation: to avoid implying precision from very few reports, cells with 1 to 4 "
    "operations are shown as '<5' and shaded alike; blank cells are none. Only provinces with an operation appear; "
    "an operation several sources report counts once.",
    "Heat map of reported enforcement operations by province and year, with small counts shown as fewer than five.",
    small_cells=("operations",),
)
def plot_raids_province_year(package: Package) -> Plotted:
    frame = stats.raids_by_province_and_year(package)
    if not frame.height:
        return empty_result("no reported operations")
    figure = crosstab_heatmap(frame, "province_name", "year", "operations", "operations")
    return figure, frame, stats.source_ids_citing(package, "raids")


@register(
    "raids-map",
    "Where enforcement operations were reported",
    "Reported raids, rescues, sealings and inspections per province",
    "Shading shows the number of operations reported per province (one several sources report counts "
    "once); the CSV gives each province separately. Counts what was published, not what happened.",
    "Map of Cambodia's 25 provinces, each named, shaded by the number of reported enforcement operations at scam compounds.",
)
def plot_raids_map(package: Package) -> Plotted:
    frame = stats.raids_by_province(package)
    if not frame["operations"].sum():
        return empty_result("no reported operations", stats.RAIDS_PROVINCE_SCHEMA)
    figure = province_map(frame, "operations", "operations")
    return figure, frame.sort("province_code"), stats.source_ids_citing(package, "raids")
