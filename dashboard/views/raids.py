"""The raids page: enforcement operations by type, province and date: per month, provinces
side by side, on a map; each report with its source and the compound it names, and the
operations that sources report with different numbers."""

from __future__ import annotations

import polars as pl
import streamlit as st
from charts import chart, operation_lines, registry_figure
from widgets import Version, View, date_filters, empty, fitted_height, memo, section, seed, table

from scamstats import labels, stats
from scamstats.reference import EVENT_TYPES, PROVINCES

SECTIONS = {"month": "Per month", "provinces": "Provinces compared", "map": "Map"}
FIGURES = {"month": ("raids-per-month",), "provinces": ("raids-by-province", "raids-by-province-and-year"),
           "map": ("raids-map",)}


def province_label(code: str) -> str:
    """'Preah Sihanouk (KH-18)': a province by name and code, so either can be typed."""
    return f"{labels.province_name(code)} ({code})"


def show(version: Version) -> View:
    view = View("raids", version)
    package = version.package
    raids = package.tables["raids"]
    st.title("Raids")
    st.markdown("Enforcement operations reported in public sources: raids, rescues, sealings and inspections. "
                "They count what was published, not what happened; an operation several sources report "
                "counts once.")
    if not raids.height:
        empty("This package has no operations yet.")
        return view
    shown_part = section(view, SECTIONS)
    province_options = list(PROVINCES)
    dates = raids["date"].drop_nulls()
    seed("raids.type", list(EVENT_TYPES), many=True, valid=EVENT_TYPES)
    seed("raids.province", [], many=True, valid=province_options)
    first, second = st.columns(2)
    with first:
        types = st.multiselect("Operation type", list(EVENT_TYPES), key="raids.type",
                               placeholder="Choose one or more types")
    with second:
        provinces = st.multiselect("Provinces (side by side; none: all)", province_options, key="raids.province",
                                   format_func=province_label, placeholder="All provinces")
    start, end = date_filters(view, "raids", dates.min(), dates.max(), "Operations dated")
    view.filter("type", types, list(EVENT_TYPES), ", ".join(types) or "none")
    view.filter("province", provinces, [], ", ".join(labels.province_name(p) for p in provinces) or "all")
    if not types:
        empty("Choose at least one operation type.")
        return view

    selected = raids.filter(pl.col("event_type").is_in(types) & pl.col("date").is_between(start, end))
    if provinces:
        selected = selected.filter(pl.col("province_code").is_in(provinces))
    if not selected.height:
        empty("No operation matches these filters.")
        return view
    selection = package.with_tables(raids=selected)
    key = view.key()
    reports = memo(version, "raid-reports", key, lambda: reports_table(selection))
    quotes = reports.select(labels.dates_at_precision(pl.col("date"), pl.col("date_precision")).alias("date"),
                            "event_type", "place", "compound", "persons_detained", "persons_rescued",
                            "quote", "note", "publisher", "url", "raid_id", "persons_detained_qualifier",
                            "persons_rescued_qualifier")
    disagreements = operation_lines(view, selection, key)
    for figure_id in FIGURES[shown_part]:
        chart(view, registry_figure(view, figure_id, selection, key), figure_id, quotes,
              disagreements=disagreements if figure_id in ("raids-per-month", "raids-by-province") else None)

    operations = memo(version, "raid-operations", key, lambda: stats.raid_operations(selection).height)
    st.subheader(f"{operations} operations" if operations == selected.height
                 else f"{operations} operations in {selected.height} reports")
    st.caption("Newest first, one row per report: an operation several sources report has a row for each, "
               "and 'same operation as' gives the raid_id of the report it is counted under. "
               "A compound's link opens it on the Compounds page.")
    table(reports, key="raids-table", height=fitted_height(reports.height),
          compound_link=st.column_config.LinkColumn("compound page", display_text="open compound"),
          same_operation_as=st.column_config.TextColumn(
              "same operation as", help="raid_id of the report this operation is counted under; empty for the first report"))
    view.data, view.data_name = reports, "raids"
    return view


def reports_table(selection) -> pl.DataFrame:
    """Every selected report with its source, province name and compound, newest first."""
    compounds = selection.tables["compounds"].select("compound_id", pl.col("name").alias("compound"))
    return stats.with_source_details(selection, selection.tables["raids"]).join(
        compounds, on="compound_id", how="left").select(
        "date", "event_type", labels.province_names_stated(pl.col("province_code")).alias("province"),
        "place", "persons_detained", "persons_rescued", "publisher", "quote", "note", "url", "compound",
        pl.when(pl.col("compound_id").is_not_null())
        .then(pl.lit("?page=compounds&q=") + pl.col("compound_id")).alias("compound_link"),
        "agency", "date_precision", "persons_detained_qualifier", "persons_rescued_qualifier",
        "raid_id", "same_operation_as", "compound_id", "source_id",
    ).sort("date", descending=True)
