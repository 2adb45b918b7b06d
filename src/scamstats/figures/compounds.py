"""Figures of the compounds table: named compounds (each counted once) on a map and per
province, their last reported status by province (a cross-tabulation under the small-cell
rule), and what became of the compounds that were raided."""

from __future__ import annotations

import plotly.graph_objects as go

from scamstats import stats
from scamstats.figures.marks import (
    Plotted,
    choropleth,
    crosstab_heatmap,
    empty_result,
    province_bars,
)
from scamstats.figures.registry import register
from scamstats.figures.theme import LIGHT_GREY, PALETTE
from scamstats.package import Package
from scamstats.reference import COMPOUND_STATUSES

# One colour per outcome of `stats.OUTCOMES_AFTER_RAIDS`: still operating stands out, sealed
# and closed look alike, not known is grey.
OUTCOME_COLOURS = {
    "still operating": PALETTE[3], "raided": PALETTE[1], "sealed": PALETTE[2], "closed": PALETTE[2],
    "relocated": PALETTE[4], "not known after the raid": LIGHT_GREY,
}


@register(
    "compounds-map",
    "Where named compounds are: a map by province",
    "Sites named in public reporting; dots where a source places a site",
    "Shading counts the compounds named in this package per province; dots are sites a public "
    "source places (their precision varies: exact, town, district or province). Amnesty "
    "International's full list of 53 compounds is not public and is not here.",
    "Map of Cambodia's provinces shaded by the number of named scam compounds, with dots for located sites.",
)
def plot_compounds_map(package: Package) -> Plotted:
    frame = stats.compounds_by_province(package)
    if not frame["compounds"].sum():
        return empty_result("no named compounds", stats.COMPOUNDS_PROVINCE_SCHEMA)
    figure = choropleth(frame, "compounds", "compounds")
    located = stats.located_compounds(package)
    if located.height:
        figure.add_trace(go.Scattermap(
            lat=located["latitude"].to_list(), lon=located["longitude"].to_list(), mode="markers",
            marker={"size": 8, "color": PALETTE[3]}, name="located site",
            hovertext=[f"{r['name']} ({r['geo_precision']})" for r in located.iter_rows(named=True)], hoverinfo="text",
        ))
    return figure, frame.sort("province_code"), stats.source_ids_citing(package, "compounds")


@register(
    "compounds-by-province",
    "Named compounds and suspected sites by province",
    "Sites named in public reporting, all 25 provinces",
    "Only compounds named in public sources are counted; Amnesty International identified at "
    "least 53 compounds and 45 further suspected sites but did not publish its list.",
    "Horizontal bar chart of named scam compounds in each of Cambodia's 25 provinces.",
)
def plot_compounds_by_province(package: Package) -> Plotted:
    frame = stats.compounds_by_province(package)
    if not frame["compounds"].sum():
        return empty_result("no named compounds", stats.COMPOUNDS_PROVINCE_SCHEMA)
    figure = province_bars(frame, "compounds", "named compounds", PALETTE[2])
    return figure, frame, stats.source_ids_citing(package, "compounds")


@register(
    "compounds-status-by-province",
    "Status of named compounds, by province",
    "Last reported status of each named compound; cells under 5 shown as '<5'",
    "A cross-tabulation of the latest status recorded for each compound. Cells with 1 to 4 "
    "compounds are shown as '<5' and shaded alike; empty cells are none.",
    "Heat map of named scam compounds by province and last reported status (operating, raided, "
    "sealed, closed, relocated, unknown), with small counts shown as fewer than five.",
    small_cells=("compounds",),
)
def plot_compounds_status(package: Package) -> Plotted:
    frame = stats.compounds_by_province_and_status(package)
    if not frame.height:
        return empty_result("no named compounds")
    figure = crosstab_heatmap(frame, "province_name", "status", "compounds", "compounds")
    figure.update_xaxes(categoryorder="array", categoryarray=list(COMPOUND_STATUSES))
    return figure, frame, stats.source_ids_citing(package, "compounds")


@register(
    "compounds-after-raids",
    "What became of compounds after raids",
    "Named compounds that were raided, by the status last reported after the operation",
    "A compound counts as still operating when a source dated on or after its last reported "
    "operation says it operates. Amnesty International reported that more than two-thirds of the "
    "compounds it identified kept operating after police raids; its list is not public.",
    "Bar chart of raided compounds by status reported after the raid: still operating, sealed, "
    "closed, relocated, or not known.",
)
def plot_compounds_after_raids(package: Package) -> Plotted:
    raided = stats.compounds_after_raids(package)
    if not raided.height:
        return empty_result("no named compound linked to a raid")
    counts = stats.compounds_by_outcome_after_raids(package)
    figure = go.Figure(go.Bar(
        x=counts["outcome"].to_list(), y=counts["compounds"].to_list(),
        marker_color=[OUTCOME_COLOURS[o] for o in counts["outcome"]],
        text=counts["compounds"].to_list(), textposition="outside", cliponaxis=False,
        hovertemplate="%{x}: %{y}<extra></extra>",
    ))
    share = stats.share_still_operating_after_raids(package).row(0, named=True)
    if share["share_still_operating"] is not None:
        figure.add_annotation(
            text=f"{share['still_operating']} of {share['status_known_after_raid']} raided compounds with a "
                 f"known later status still operating ({share['share_still_operating']:.0%})",
            xref="paper", yref="paper", x=1, y=1, xanchor="right", showarrow=False, font={"size": 13},
        )
    figure.update_yaxes(title_text="named compounds", rangemode="tozero", dtick=1 if counts["compounds"].max() < 8 else None)
    figure.update_layout(showlegend=False)
    sources = [s for ids in raided["source_ids"].to_list() for s in ids]
    return figure, stats.compound_outcomes_after_raids(package), sources
