"""The compounds page: named compounds and suspected sites by status, former use and a
search, on a map and in a table."""

from __future__ import annotations

import polars as pl
import streamlit as st
from widgets import View, chart, empty, figure_citation, fitted_height, seed, table

from scamstats import figures, labels, stats
from scamstats.package import Package
from scamstats.reference import COMPOUND_STATUSES, FORMER_USES

SEARCHED_COLUMNS = ("compound_id", "name", "aliases", "town")


def show(package: Package) -> View:
    view = View("compounds")
    compounds = package.tables["compounds"]
    st.title("Compounds")
    st.markdown("Compounds and suspected sites named in public reporting, with their former use and last "
                "reported status. Amnesty International identified at least 53 compounds but did not publish "
                "its list: only sites named in public sources are here.")
    if not compounds.height:
        empty("This package has no named compounds yet.")
        return view
    statuses, uses = list(COMPOUND_STATUSES), list(FORMER_USES)
    seed("compounds.status", statuses, many=True, valid=statuses)
    seed("compounds.use", uses, many=True, valid=uses)
    seed("compounds.q", "")
    first, second, third = st.columns([2, 2, 2])
    with first:
        status = st.multiselect("Status", statuses, key="compounds.status", placeholder="Choose statuses")
    with second:
        chosen_uses = st.multiselect("Former use", uses, key="compounds.use", placeholder="Choose uses")
    with third:
        query = st.text_input("Search name, town or id", key="compounds.q", placeholder="e.g. Bavet, casino")
    view.filter("status", status, statuses, ", ".join(status) or "none")
    view.filter("use", chosen_uses, uses, ", ".join(chosen_uses) or "none")
    view.filter("q", query, "", query or "none")

    selected = compounds.filter(pl.col("status").is_in(status) & pl.col("former_use").is_in(chosen_uses))
    if query.strip():
        needle = query.strip().lower()
        selected = selected.filter(pl.any_horizontal(
            pl.col(c).fill_null("").str.to_lowercase().str.contains(needle, literal=True) for c in SEARCHED_COLUMNS))
    if not selected.height:
        empty("No compound matches these filters.")
        return view
    selection = package.with_tables(compounds=selected)
    records = stats.with_source_details(package, selected)
    quotes = records.select("name", "status", "quote", "publisher", "url", "compound_id")
    rendered = figures.render("compounds-map", selection)
    chart(rendered.figure, "compounds-map", figure_citation(package, "compounds-map", view), quotes, alt=rendered.spec.alt)
    known = stats.compounds_known(selection).height  # one per compound
    st.subheader(f"{known} named compounds and sites"
                 + (f" ({selected.height} records: some compounds are recorded by two sources)"
                    if known != selected.height else ""))
    shown = records.select(
        "name", "aliases", labels.province_names_stated(pl.col("province_code")).alias("province"),
        "town", "former_use", "status", "status_date", "first_reported", "publisher", "quote", "url", "note",
        "compound_id",
    ).sort(["province", "name"])
    table(shown, key="compounds-table", height=fitted_height(shown.height))
    view.data, view.data_name = shown, "compounds"
    return view
