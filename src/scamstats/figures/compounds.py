"""Figures of the compounds table: named compounds (each counted once) on a map (by province,
and at the towns sources place them) and per province, their last reported status by province
(a cross-tabulation under the small-cell rule), and what became of the compounds that were
raided, beside Amnesty International's published finding."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from scamstats import stats
from scamstats.figures.maps import province_map
from scamstats.figures.marks import (
    Plotted,
    crosstab_heatmap,
    empty_result,
    left_labels,
    province_bars,
    wrapped,
)
from scamstats.figures.panels import narrow_layout, stacked, stacked_px
from scamstats.figures.registry import register
from scamstats.figures.theme import GREY, INK, LIGHT_GREY, PALETTE
from scamstats.labels import format_date
from scamstats.package import Package
from scamstats.reference import COMPOUND_STATUSES

# One colour per outcome of `stats.OUTCOMES_AFTER_RAIDS`: still operating stands out, sealed
# and closed look alike, not known is grey.
OUTCOME_COLOURS = {
    "still operating": PALETTE[3], "raided": PALETTE[1], "sealed": PALETTE[2], "closed": PALETTE[2],
    "relocated": PALETTE[4], "not known after the raid": LIGHT_GREY,
}
# A phone's layout: the published bar's panel, each outcome's row (its name above its squares)
# and the gap between the panels (the bar's axis and the next panel's wrapped title).
NARROW_BAR_PX, NARROW_ROW_PX, NARROW_AFTER_RAIDS_GAP_PX = 80, 56, 170

# How a row names an outcome: a later source saying "raided" reports another raid.
OUTCOME_WORDS = {"raided": "raided again"}


@register(
    "compounds-map",
    "Where named compounds are: a map by province and town",
    "Named compounds per province (shading) and at the towns sources place them (dots)",
    "Shading counts the compounds named in this package per province. A dot is a town a source "
    "names (for one compound, the seat of the district it names), its area proportional to the "
    "named compounds placed there; no compound is placed more precisely than its town, and "
    "compounds whose place is not found are only in the shading. Amnesty International's full "
    "list of 53 compounds is not public and is not here.",
    "Map of Cambodia's 25 provinces, each named, shaded by the number of named scam compounds, "
    "with a labelled dot for each town where compounds are placed, sized by their number.",
)
def plot_compounds_map(package: Package) -> Plotted:
    frame = stats.compounds_by_province(package)
    if not frame["compounds"].sum():
        return empty_result("no named compounds", stats.COMPOUNDS_PROVINCE_SCHEMA)
    places = stats.compound_places(package)
    figure = province_map(frame, "compounds", "named compounds", places)
    data = frame.sort("province_code").with_columns(pl.lit("province").alias("layer"))
    if places.height:
        placed = int(places["compounds"].sum())
        district = int(places.filter(pl.col("geo_precision") == "district")["compounds"].sum())
        note = (f"Dots: {placed} of {placed + stats.unplaced_compounds(package)} named compounds, placed at "
                f"the town a source names" + (f" ({district} at a district's seat)" if district else "")
                + "; none more precisely.")
        figure.add_annotation(text=note, xref="paper", yref="paper", x=0, y=1, yanchor="bottom", xanchor="left",
                              showarrow=False, font={"size": 12, "color": INK})
        data = pl.concat([data, places.with_columns(pl.lit("place").alias("layer"))], how="diagonal_relaxed")
    return figure, data, stats.source_ids_citing(package, "compounds")


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
    "Amnesty International's published finding, and the few raided compounds this package can follow",
    "Top: Amnesty International's finding of 26 June 2025, quoted from the report of it this "
    "package cites; its list of compounds is not public, so it cannot be recounted here. Bottom: every named compound in this package that "
    "was raided, one square each, by what a source dated after its last operation says of it; for "
    "most, no later source says. Too few are known to give a share.",
    "Two panels: a bar of Amnesty International's published share, more than two-thirds of the "
    "compounds it identified still operating after police raids; and one square per raided named "
    "compound in this package, coloured by its status after the raid, most of them not known.",
)
def plot_compounds_after_raids(package: Package, narrow: bool = False) -> Plotted:
    outcomes = stats.compound_outcomes_after_raids(package)
    if not outcomes.height:
        return empty_result("no named compound linked to a raid")
    counts = stats.compounds_by_outcome_after_raids(package).filter(pl.col("compounds") > 0)
    published = stats.published_after_raids(package)
    rows = 2 if published.height else 1
    finding = published.row(0, named=True) if rows == 2 else None
    chars = 46 if narrow else 120
    titles = [wrapped(f"This package: the {outcomes.height} named compounds raided, by what a later source says", chars)]
    if finding:
        quote = f"\u201c{finding['statement']}\u201d"
        relayed = f", as reported by {finding['reported_by']}" if finding["reported_by"] not in (None, finding["publisher"]) else ""
        heading = f"Published: {finding['publisher']}, {format_date(finding['published'])}{relayed}"
        titles.insert(0, f"{wrapped(heading, chars)}<br>"
                         f"<span style='font-size:13px;color:{GREY}'>{wrapped(quote, chars if narrow else chars + 8)}</span>")
    if narrow:  # the outcomes' names above their squares; panels as high as they need
        heights = [NARROW_BAR_PX, NARROW_ROW_PX * counts.height][-rows:]
        figure = stacked(titles, heights, NARROW_AFTER_RAIDS_GAP_PX, stacked_px(heights, NARROW_AFTER_RAIDS_GAP_PX))
        narrow_layout(figure, stacked_px(heights, NARROW_AFTER_RAIDS_GAP_PX), top=140)
        figure.update_layout(margin={"l": 16, "r": 26})
    else:
        figure = make_subplots(rows=rows, cols=1, row_heights=[0.3, 0.7][-rows:], vertical_spacing=0.3,
                               subplot_titles=titles)
        figure.update_layout(height=600 if rows == 2 else 420, margin={"t": 150})
    for annotation in figure.layout.annotations:
        annotation.update(x=0, xanchor="left", font={"size": 14}, align="left")
    sources = [s for ids in stats.compounds_after_raids(package)["source_ids"].to_list() for s in ids]
    if finding:
        share = finding["share"]
        figure.add_trace(go.Bar(x=[share], y=[""], orientation="h", marker_color=PALETTE[3], showlegend=False,
                                hovertext=finding["statement"], hoverinfo="text", width=0.7), row=1, col=1)
        figure.add_trace(go.Bar(x=[1 - share], y=[""], base=[share], orientation="h", showlegend=False,
                                marker={"color": "white", "line": {"color": GREY, "width": 1}},
                                hoverinfo="skip", width=0.7), row=1, col=1)
        count = finding["of_count"]
        whole = f"of the {count}{'+' if finding['of_qualifier'] == 'at_least' else ''} " if count else "of the "
        whole += finding["of_what"]
        figure.add_annotation(x=share, y=0, xref="x", yref="y", xanchor="right", xshift=-8, showarrow=False,
                              text=f"<b>{finding['share_words']}</b>{'' if narrow else ' ' + whole}",
                              font={"size": 14, "color": "white"})
        figure.add_annotation(x=(1 + share) / 2, y=0, xref="x", yref="y", showarrow=False,
                              text="not stated" if narrow else "the rest: not stated", font={"size": 12, "color": GREY})
        if narrow:  # below the bar: of what the share is
            figure.update_xaxes(title_text=f"share {whole}", title_font={"size": 13}, row=1, col=1)
        figure.update_xaxes(range=[0, 1], tickformat=".0%", row=1, col=1, showgrid=False, dtick=0.25)
        figure.update_yaxes(showticklabels=False, showgrid=False, row=1, col=1)
        sources.append(finding["source_id"])
    row = rows
    widest = max(counts["compounds"].max(), 10)
    size = max(9, min(22, int((330 if narrow else 600) / widest)))
    labels = []
    for outcome, count in counts.iter_rows():
        label = f"{OUTCOME_WORDS.get(outcome, outcome)} ({count})"
        labels.append(label)
        names = outcomes.filter(pl.col("outcome") == outcome)["name"].to_list()
        figure.add_trace(go.Scatter(
            x=[i + 1 for i in range(count)], y=[label] * count, mode="markers", showlegend=False, name=outcome,
            hovertext=names, hoverinfo="text",
            marker={"symbol": "square", "size": size, "color": OUTCOME_COLOURS[outcome],
                    "line": {"color": GREY, "width": 0.5}},
        ), row=row, col=1)
    figure.update_xaxes(range=[0.3, widest + 0.7], row=row, col=1, showgrid=False, zeroline=False,
                        title_text="named compounds, one square each", tickmode="array",
                        tickvals=[v for v in (1, 5, 10, 15, 20, 25, 30, 40, 50) if v <= widest])
    figure.update_yaxes(categoryorder="array", categoryarray=labels[::-1], showgrid=False, row=row, col=1,
                        tickfont={"size": 13})
    if narrow:
        axis_of_row = "y" if row == 1 else f"y{row}"
        figure.update_yaxes(showticklabels=False, ticks="", range=[-0.5, len(labels) - 0.3], row=row, col=1)
        for label in labels:
            figure.add_annotation(text=label, x=0, xref="paper", xanchor="left", y=label, yref=axis_of_row,
                                  yanchor="bottom", yshift=size // 2 + 2, showarrow=False, font={"size": 13})
    else:
        left_labels(figure, labels, size=13)  # the footer then knows where the plot starts
    figure.update_layout(showlegend=False, bargap=0.2, barmode="overlay")
    data = pl.concat([outcomes.with_columns(pl.lit("this package").alias("layer")),
                      published.with_columns(pl.lit("published").alias("layer"))], how="diagonal_relaxed")
    return figure, data, sources
