"""The overview page: the crackdown's latest official tallies, what studies found, every
headline figure and the timeline of milestones."""

from __future__ import annotations

import polars as pl
import streamlit as st
from widgets import View, chart, empty, figure_citation, plain, table

from scamstats import figures, labels, stats
from scamstats.package import Package


def show(package: Package) -> View:
    view = View("overview")
    st.title("Cambodia's scam compounds, in sourced numbers")
    st.markdown(
        "Every number here comes from a public document and carries a short verbatim quote that "
        "contains it. Figures that disagree are shown side by side, never averaged. Official counts "
        "are announcements, not audits, and each runs from its own start date (**baseline**): never "
        "add figures from different baselines."
    )
    # Survivor figures of 1 to 4 read "<5" wherever they are shown (the small-cell rule).
    headlines = stats.suppress_small_survivor_headlines(stats.headline_numbers(package))
    if not headlines.height:
        empty("This package has no headline figures yet.")
        return view

    st.subheader("Latest official tallies of the 2025–26 crackdown")
    headline_cards(package, stats.latest_crackdown_tallies(headlines), "official")
    st.caption("Each card is the latest published figure of one official series; the series run from "
               "different baselines and must not be added. A range (900–5,771) means sources disagree "
               "for that date. The full series are on the *Arrests and deportations* page; other baselines are under 'All headline figures'.")

    st.subheader("What studies found")
    studies = headlines.filter(pl.col("headline").is_in(["study_sites", "survivors_total"])).head(4)
    headline_cards(package, studies, "study")

    with st.expander(f"All {headlines.height} headline figures"):
        shown = headlines.select("label", "value_text", "as_of", pl.col("source_ids").list.join(" "),
                                 pl.col("row_ids").list.join(" "))
        table(shown, key="headlines-table", height=400)

    st.subheader("Timeline")
    rendered = figures.render("timeline", package)
    quotes = stats.with_source_details(package, package.tables["timeline"].filter(
        pl.col("event_id").is_in(rows_behind(rendered.data)))).select(
        "date", "event", "quote", "publisher", "url", "event_id").sort("date", descending=True)
    chart(rendered.figure, "overview-timeline", figure_citation(package, "timeline", view), quotes, alt=rendered.spec.alt)
    view.data, view.data_name = headlines, "headline-numbers"
    return view


def rows_behind(data: pl.DataFrame) -> list[str]:
    """The ids of the rows behind a rendered figure's data (its `row_ids`, a list per mark)."""
    return data["row_ids"].explode().drop_nulls().to_list()


def headline_cards(package: Package, frame: pl.DataFrame, key: str, per_row: int = 4) -> None:
    """One card per headline figure, with its source and quote one click away."""
    if not frame.height:
        empty("No such figures in this package version.")
        return
    rows = list(frame.iter_rows(named=True))
    for start in range(0, len(rows), per_row):
        columns = st.columns(per_row)
        for column, row in zip(columns, rows[start:start + per_row], strict=False):
            with column.container(border=True, height="stretch"):
                st.markdown(f"### {plain(row['value_text'])}")
                if row["metric"] and row["headline"] != "study_sites":
                    what = f"{labels.metric_label(row['metric'])}, {labels.baseline_label(row['baseline'])}"
                elif row["metric"]:
                    what = labels.metric_label(row["metric"])
                else:
                    what = row["population"] or row["headline"]
                st.markdown(plain(what))
                if row["as_of"]:
                    st.caption(f"as of {labels.format_date(row['as_of'], row['as_of_precision'])}")
                with st.popover("Source and quote", icon=":material/format_quote:", width="stretch"):
                    quote_rows(package, row["row_ids"])


def quote_rows(package: Package, row_ids: list[str]) -> None:
    """The rows behind a figure: each quote, escaped, with its source."""
    rows = []
    for name, id_column in (("arrests", "observation_id"), ("survivors", "group_id")):
        behind = package.tables[name].filter(pl.col(id_column).is_in(row_ids))
        rows += stats.with_source_details(package, behind).iter_rows(named=True)
    for row in rows:
        st.markdown(f"> {plain(row['quote'])}")
        st.caption(plain(f"{row['publisher']} · {row['title']} · {labels.format_date(row['source_published'])}"))
        st.code(row["url"], language=None, wrap_lines=True)
