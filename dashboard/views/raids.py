"""The raids page: enforcement operations by type, province and date, per month and per
province, each report with its source and the compound it names."""

from __future__ import annotations

import polars as pl
import streamlit as st
from widgets import (
    ALL,
    View,
    chart,
    date_filters,
    empty,
    figure_citation,
    fitted_height,
    seed,
    table,
)

from scamstats import figures, labels, stats
from scamstats.package import Package
from scamstats.reference import EVENT_TYPES


def show(package: Package) -> View:
    view = View("raids")
    raids = package.tables["raids"]
    st.title("Raids")
    st.markdown("Enforcement operations reported in public sources: raids, rescues, sealings and inspections. "
                "They count what was published, not what happened.")
    if not raids.height:
        empty("This package has no operations yet.")
        return view
    province_options = [ALL, *sorted(set(raids["province_code"].drop_nulls()), key=lambda c: int(c[3:]))]
    dates = raids["date"].drop_nulls()
    seed("raids.type", list(EVENT_TYPES), many=True, valid=EVENT_TYPES)
    seed("raids.province", ALL, valid=province_options)
    first, second = st.columns([3, 2])
    with first:
        types = st.multiselect("Operation type", list(EVENT_TYPES), key="raids.type",
                               placeholder="Choose one or more types")
    with second:
        province = st.selectbox("Province", province_options, key="raids.province",
                                format_func=lambda c: "All provinces" if c == ALL else labels.province_name(c))
    start, end = date_filters(view, "raids", dates.min(), dates.max(), "Operations dated")
    view.filter("type", types, list(EVENT_TYPES), ", ".join(types) or "none")
    view.filter("province", province, ALL, "all" if province == ALL else labels.province_name(province))
    if not types:
        empty("Choose at least one operation type.")
        return view

    selected = raids.filter(pl.col("event_type").is_in(types) & pl.col("date").is_between(start, end))
    if province != ALL:
        selected = selected.filter(pl.col("province_code") == province)
    if not selected.height:
        empty("No operation matches these filters.")
        return view
    selection = package.with_tables(raids=selected)
    compounds = package.tables["compounds"].select("compound_id", pl.col("name").alias("compound"))
    reports = stats.with_source_details(package, selected).join(compounds, on="compound_id", how="left")
    quotes = reports.select(
        "date", "event_type", "place", "compound", "persons_detained", "persons_rescued", "quote",
        "publisher", "url", "raid_id").sort("date", descending=True)

    rendered = figures.render("raids-per-month", selection)
    chart(rendered.figure, "raids-month", figure_citation(package, "raids-per-month", view), quotes, alt=rendered.spec.alt)
    rendered = figures.render("raids-by-province", selection)
    chart(rendered.figure, "raids-province", figure_citation(package, "raids-by-province", view), quotes, alt=rendered.spec.alt)

    operations = stats.raid_operations(selection).height
    st.subheader(f"{operations} operations" if operations == selected.height
                 else f"{operations} operations in {selected.height} reports")
    st.caption("Newest first, one row per report: an operation several sources report has a row for each, "
               "and 'same operation as' gives the raid_id of the report it is counted under. "
               "A compound's link opens it on the Compounds page.")
    shown = reports.select(
        "date", "event_type", labels.province_names_stated(pl.col("province_code")).alias("province"),
        "place", "persons_detained", "persons_rescued", "publisher", "quote", "url", "compound",
        pl.when(pl.col("compound_id").is_not_null())
        .then(pl.lit("?page=compounds&q=") + pl.col("compound_id")).alias("compound_link"),
        "agency", "date_precision", "persons_detained_qualifier", "persons_rescued_qualifier",
        "raid_id", "same_operation_as", "compound_id", "source_id",
    ).sort("date", descending=True)
    table(shown, key="raids-table", height=fitted_height(shown.height),
          compound_link=st.column_config.LinkColumn("compound page", display_text="open compound"),
          same_operation_as=st.column_config.TextColumn(
              "same operation as", help="raid_id of the report this operation is counted under; empty for the first report"))
    view.data, view.data_name = shown, "raids"
    return view
