"""The survivors page: survivor demographics as their authors published them, by study and
breakdown, every cell through the small-cell rule (`privacy.suppress_small_cells`, applied by
`stats.suppress_small_survivor_cells` and `stats.survivor_rows_to_draw`)."""

from __future__ import annotations

import polars as pl
import streamlit as st
from charts import chart, registry_figure
from widgets import ALL, Version, View, empty, fitted_height, seed, table

from scamstats import privacy, stats


def show(version: Version) -> View:
    view = View("survivors", version)
    package = version.package
    st.title("Survivors")
    st.markdown("Survivor demographics exactly as their authors published them: aggregates only, never an "
                "individual. Counts of 1 to 4 are suppressed: not drawn in the chart, shown as **<5** and "
                "marked in the table; beside a single one, its breakdown's smallest other part reads **not "
                "shown**, since the total minus the parts shown would give it back.")
    demographics = stats.survivor_demographics(package)
    if not demographics.height:
        empty("This package has no survivor figures yet.")
        return view
    sources = stats.sources_by_id(package)
    studies = [ALL, *sorted(set(demographics["source_id"]))]
    dimensions = sorted(set(demographics["dimension"]))
    seed("survivors.study", ALL, valid=studies)
    seed("survivors.dimension", dimensions, many=True, valid=dimensions)
    first, second = st.columns([3, 2])
    with first:
        study = st.selectbox("Study or source", studies, key="survivors.study",
                             format_func=lambda s: "All studies" if s == ALL else f"{publisher(sources, s)} ({s})")
    with second:
        chosen = st.multiselect("Breakdown", dimensions, key="survivors.dimension",
                                format_func=lambda d: d.replace("_", " "), placeholder="Choose breakdowns")
    view.filter("study", study, ALL, "all" if study == ALL else study)
    view.filter("dimension", chosen, dimensions, ", ".join(chosen) or "none")
    if not chosen:
        empty("Choose at least one breakdown.")
        return view
    survivors = package.tables["survivors"]
    selected = survivors if study == ALL else survivors.filter(pl.col("source_id") == study)
    # A breakdown's share needs its total: keep the totals in the selection, hide them in the table.
    selected = selected.filter(pl.col("dimension").is_in([*chosen, "total"]))
    rows = stats.survivor_demographics(package.with_tables(survivors=selected)).filter(pl.col("dimension").is_in(chosen))
    if not rows.height:
        empty("No survivor figure matches these filters.")
        return view
    # Small cells are not drawn either: the chart gets only the rows the small-cell rule leaves.
    rendered = registry_figure(view, "survivor-demographics",
                               package.with_tables(survivors=stats.survivor_rows_to_draw(selected)), view.key())
    behind = survivors.filter(pl.col("group_id").is_in(rows["group_id"].to_list()))
    quotes = stats.with_source_details(package, behind).select(
        "population", "dimension", "category", "quote", "note", "publisher", "url", "group_id")
    chart(view, rendered, "survivors-chart", quotes)
    suppressed = stats.suppress_small_survivor_cells(rows)
    hidden = int(suppressed["count_suppressed"].sum())
    st.subheader("Demographics per study")
    if hidden:
        st.warning(f"{hidden} cell{'s' if hidden != 1 else ''} suppressed: below {privacy.SMALL_CELL_THRESHOLD} "
                   f"shown as {privacy.SMALL_CELL_LABEL}, or '{privacy.COMPLEMENT_LABEL}' beside a single one; "
                   "marked in the 'suppressed' column.",
                   icon=":material/visibility_off:")
    shown = stats.with_source_details(package, suppressed).select(
        "population", "dimension", "category_label", "count",
        pl.when(pl.col("count_suppressed")).then(pl.format("yes ({})", pl.col("count")))
        .otherwise(pl.lit("")).alias("suppressed"),
        "qualifier", "source_total", (pl.col("share_of_total") * 100).round(1).alias("share_of_total_percent"),
        "publisher", "url", "group_id",
    )
    table(shown, key="survivors-table", height=fitted_height(shown.height))
    view.data, view.data_name = shown, "survivors"
    return view


def publisher(sources: dict[str, dict], source_id: str) -> str:
    """The publisher of a source (its id when the package does not list it)."""
    return (sources.get(source_id) or {}).get("publisher") or source_id
