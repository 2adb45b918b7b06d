"""The compounds page: named compounds and suspected sites by province (names or codes),
status, former use and a search over names, aliases, towns and provinces; on a map, provinces
side by side, and what became of them after raids."""

from __future__ import annotations

import polars as pl
import streamlit as st
from charts import chart, publishers, registry_figure
from widgets import Version, View, empty, fitted_height, memo, plain, section, seed, table

from scamstats import labels, stats
from scamstats.reference import COMPOUND_STATUSES, FORMER_USES, PROVINCES

SECTIONS = {"map": "Map", "provinces": "Provinces compared", "after": "Status after raids"}
FIGURES = {"map": ("compounds-map",), "provinces": ("compounds-by-province", "compounds-status-by-province"),
           "after": ("compounds-after-raids",)}


def province_label(code: str) -> str:
    """'Preah Sihanouk (KH-18)': a province by name and code, so either can be typed."""
    return f"{labels.province_name(code)} ({code})"


def searchable(row: dict) -> str:
    """What the search reads of a compound: id, name, aliases, town, province name and code."""
    code = row.get("province_code") or ""
    return " | ".join(part or "" for part in (row["compound_id"], row["name"], row.get("aliases"), row.get("town"),
                                              labels.province_name(code) if code else "", code))


def show(version: Version) -> View:
    view = View("compounds", version)
    package = version.package
    compounds = package.tables["compounds"]
    st.title("Compounds")
    st.markdown(plain(intro(view)))
    if not compounds.height:
        empty("This package has no named compounds yet.")
        return view
    shown_part = section(view, SECTIONS)
    statuses, uses, provinces = list(COMPOUND_STATUSES), list(FORMER_USES), list(PROVINCES)
    seed("compounds.province", [], name="province", many=True, valid=provinces)
    seed("compounds.status", statuses, many=True, valid=statuses)
    seed("compounds.use", uses, many=True, valid=uses)
    seed("compounds.q", "")
    first, second = st.columns(2)
    with first:
        chosen_provinces = st.multiselect("Province (name or code; none: all)", provinces, key="compounds.province",
                                          format_func=province_label, placeholder="All provinces")
    with second:
        query = st.text_input("Search name, alias, town or province", key="compounds.q",
                              placeholder="e.g. Bavet, Sihanouk, KH-18, casino")
    third, fourth = st.columns(2)
    with third:
        status = st.multiselect("Status", statuses, key="compounds.status", placeholder="Choose statuses")
    with fourth:
        chosen_uses = st.multiselect("Former use", uses, key="compounds.use", placeholder="Choose uses")
    view.filter("province", chosen_provinces, [], ", ".join(labels.province_name(p) for p in chosen_provinces) or "all")
    view.filter("q", query, "", query or "none")
    view.filter("status", status, statuses, ", ".join(status) or "none")
    view.filter("use", chosen_uses, uses, ", ".join(chosen_uses) or "none")

    selected = compounds.filter(pl.col("status").is_in(status) & pl.col("former_use").is_in(chosen_uses))
    if chosen_provinces:
        selected = selected.filter(pl.col("province_code").is_in(chosen_provinces))
    if query.strip():
        found = [row["compound_id"] for row in selected.iter_rows(named=True)
                 if stats.match_spans(searchable(row), query)]
        selected = selected.filter(pl.col("compound_id").is_in(found))
    if not selected.height:
        empty("No compound matches these filters.")
        return view
    selection = package.with_tables(compounds=selected)
    key = view.key()
    records = memo(version, "compound-records", key, lambda: records_table(selection))
    quotes = records.select("name", "status", "quote", "note", "publisher", "url", "compound_id")
    if shown_part == "after":
        after_raids(view, selection, key)
    for figure_id in FIGURES[shown_part]:
        chart(view, registry_figure(view, figure_id, selection, key), figure_id, quotes)

    known = memo(version, "compounds-known", key, lambda: stats.compounds_known(selection).height)
    st.subheader(f"{known} named compounds and sites"
                 + (f" ({selected.height} records: some compounds are recorded by two sources)"
                    if known != selected.height else ""))
    table(records, key="compounds-table", height=fitted_height(records.height))
    view.data, view.data_name = records, "compounds"
    return view


def intro(view: View) -> str:
    """The page's opening words; the study's count of compounds comes from the data."""
    text = "Compounds and suspected sites named in public reporting, with their former use and last reported status."
    studies = memo(view.version, "headlines-raw", (), lambda: stats.headline_numbers(view.package)).filter(
        (pl.col("headline") == "study_sites") & (pl.col("metric") == "sites_identified")).sort("value", descending=True)
    if studies.height:
        row = studies.row(0, named=True)
        text += (f" {publishers(view, row['source_ids'])} identified {row['value_text']} compounds but did not "
                 "publish its list: only sites named in public sources are here.")
    return text


def records_table(selection) -> pl.DataFrame:
    """Every selected compound record with its province's name and its source, by province."""
    records = stats.with_source_details(selection, selection.tables["compounds"]).join(
        selection.tables["sources"].select("source_id", "published_precision"), on="source_id", how="left")
    return records.select(
        "name", "aliases", labels.province_names_stated(pl.col("province_code")).alias("province"),
        "province_code", "town", "former_use", "status",
        labels.dates_at_precision(pl.col("status_date"), pl.col("status_date_precision")).alias("status_date"),
        labels.dates_at_precision(pl.col("first_reported"), pl.col("first_reported_precision")).alias("first_reported"),
        "publisher", "quote", "note", "url", "compound_id",
    ).sort(["province", "name"], nulls_last=True)


def after_raids(view: View, selection, key: tuple) -> None:
    """Each raided compound of the selection with its status after the raid, and how it is known."""
    after = memo(view.version, "after-raids", key, lambda: stats.compound_outcomes_after_raids(selection))
    if not after.height:
        empty("None of the selected compounds was raided, rescued from or sealed in a reported operation.")
        return
    shown = after.select(
        "name", labels.province_names_stated(pl.col("province_code")).alias("province"), "operations",
        labels.dates_at_precision(pl.col("last_operation"), pl.col("last_operation_precision")).alias("last operation"),
        pl.col("outcome").alias("status after raids"), pl.col("status").alias("status last reported"),
        labels.dates_at_precision(pl.col("status_date"), pl.col("status_date_precision")).alias("status dated"),
        "compound_id")
    st.markdown(f"##### {after.height} raided compounds and their status after the last operation")
    st.caption("A status counts as 'after the raid' only when a source dated on or after the compound's last "
               "reported operation gives it; otherwise it is 'not known after the raid'.")
    table(shown, key="after-raids-table", height=fitted_height(shown.height))
