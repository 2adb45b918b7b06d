"""The sources page: every public document the package cites, searchable, with how many
rows of each resource cite it."""

from __future__ import annotations

import polars as pl
import streamlit as st
from widgets import Version, View, empty, fitted_height, memo, seed, table

from scamstats import labels, stats
from scamstats.reference import RELIABILITIES

SEARCHED_COLUMNS = ("source_id", "publisher", "title", "url", "via")


def show(version: Version) -> View:
    view = View("sources", version)
    package = version.package
    sources = package.tables["sources"]
    st.title("Sources")
    st.markdown("Every public document the package cites, with how many of its rows cite each.")
    if not sources.height:
        empty("This package has no sources yet.")
        return view
    types = sorted(set(sources["source_type"].drop_nulls()))
    reliabilities = list(RELIABILITIES)
    seed("sources.q", "")
    seed("sources.type", types, many=True, valid=types)
    seed("sources.reliability", reliabilities, many=True, valid=reliabilities)
    first, second, third = st.columns([3, 2, 2])
    with first:
        query = st.text_input("Search publisher, title, URL or id (any language)", key="sources.q",
                              placeholder="e.g. Amnesty, Khmer Times, 柬埔寨")
    with second:
        chosen_types = st.multiselect("Type", types, key="sources.type", format_func=lambda t: t.replace("_", " "))
    with third:
        chosen_rel = st.multiselect("Reliability", reliabilities, key="sources.reliability")
    view.filter("q", query, "", query or "none")
    view.filter("type", chosen_types, types, ", ".join(chosen_types) or "none")
    view.filter("reliability", chosen_rel, reliabilities, ", ".join(chosen_rel) or "none")

    counts = memo(version, "rows-per-source", (), lambda: stats.rows_per_source(package))
    selected = sources.filter(pl.col("source_type").is_in(chosen_types) & pl.col("reliability").is_in(chosen_rel))
    if query.strip():
        found = [row["source_id"] for row in selected.iter_rows(named=True)
                 if stats.match_spans(" | ".join(row[c] or "" for c in SEARCHED_COLUMNS), query)]
        selected = selected.filter(pl.col("source_id").is_in(found))
    if not selected.height:
        empty("No source matches this search.")
        return view
    shown = selected.join(counts, on="source_id", how="left").select(
        "publisher", "rows", "title",
        labels.dates_at_precision(pl.col("published"), pl.col("published_precision")).alias("published"),
        "source_type", "language", "reliability",
        *[f"{name}_rows" for name in stats.CITING_RESOURCES], "url", "via", "source_id",
        pl.col("published").alias("_published"),
    ).sort(["rows", "_published"], descending=[True, True]).drop("_published")
    st.caption(f"{shown.height} of {sources.height} sources; cited by {int(shown['rows'].sum()):,} rows.")
    table(shown, key="sources-table", height=fitted_height(shown.height, 700),
          rows=st.column_config.NumberColumn("rows citing it", help="Rows of all resources that cite this source"))
    view.data, view.data_name = shown, "sources"
    return view
