"""The overview page: the crackdown's latest official tallies and what studies found, one card
per claim with every source that gives it; the headline figures and the timeline."""

from __future__ import annotations

import polars as pl
import streamlit as st
from charts import chart, claim_cards, registry_figure
from widgets import Version, View, empty, folded, memo, plain, seed, table

from scamstats import labels, stats


def show(version: Version) -> View:
    view = View("overview", version)
    package = version.package
    st.title("Cambodia's scam compounds, in sourced numbers")
    st.markdown(
        "Every number here comes from a public document and carries a short verbatim quote that "
        "contains it. Figures that disagree are shown side by side, never averaged. Official counts "
        "are announcements, not audits, and each runs from its own start date (**baseline**): never "
        "add figures from different baselines."
    )
    # How far the record runs, so that the silence after it is not read as an end of enforcement.
    covered = memo(version, "covered-until", (), lambda: stats.covered_until(package))
    st.info(plain(labels.covered_until_note(covered)), icon=":material/calendar_month:")
    # Survivor figures of 1 to 4 read "<5" wherever they are shown (the small-cell rule).
    headlines = memo(version, "headlines", (), lambda: stats.suppress_small_survivor_headlines(
        stats.headline_numbers(package)))
    if not headlines.height:
        empty("This package has no headline figures yet.")
        return view

    st.subheader("Latest official tallies of the 2025–26 crackdown")
    # Each series' latest tally, and beside it any later figure that is not one (a weaker source,
    # a start known only to the month), which says so in its own words.
    tallies = stats.latest_crackdown_tallies(headlines, beside=True)
    if tallies.height:
        claim_cards(view, tallies, "official")
        st.caption(plain(tallies_caption(tallies)))
    else:
        empty("No official tally of the crackdown in this package version.")

    st.subheader("What studies found")
    studies = headlines.filter(pl.col("headline").is_in(list(stats.FINDING_HEADLINES))).head(6)
    if studies.height:
        claim_cards(view, studies, "study")
    else:
        empty("No study figures in this package version.")

    # The cards above are the claims; the chart of every headline figure would show them a
    # second time, so it waits one click away with its table (and the page's first chart, the
    # timeline, comes sooner).
    seed("overview.headlines", False, name="show", parse=lambda shown: shown == "headlines")  # a link opens it
    box = folded(f"All {headlines.height} headline figures: chart and table", "overview.headlines")
    if box is not None:
        with box:
            rendered = registry_figure(view, "headline-numbers")
            chart(view, rendered, "overview-headlines", None, "Each bar's sources are listed in the table below.")
            shown = headlines.select(
                "label", "value_text", labels.dates_at_precision(pl.col("as_of"), pl.col("as_of_precision")).alias("as of"),
                pl.col("source_ids").list.join(" "), pl.col("row_ids").list.join(" "))
            table(shown, key="headlines-table", height=400)

    st.subheader("Timeline")
    rendered = registry_figure(view, "timeline")
    ids = rendered.data["row_ids"].explode().drop_nulls().to_list()
    quotes = memo(version, "timeline-quotes", (), lambda: stats.with_source_details(
        package, package.tables["timeline"].filter(pl.col("event_id").is_in(ids))).sort("date", descending=True).select(
        labels.dates_at_precision(pl.col("date"), pl.col("date_precision")).alias("date"),
        "event", "quote", "note", "publisher", "url", "event_id"))
    chart(view, rendered, "overview-timeline", quotes)
    view.data, view.data_name = headlines, "headline-numbers"
    return view


def tallies_caption(tallies: pl.DataFrame) -> str:
    """What the cards show, in words computed from them: the baselines they run from and,
    when sources disagree on a card's date, that card's range."""
    latest = tallies.filter(pl.col("headline") == "official_latest")
    baselines = [labels.baseline_label(b) for b in sorted(set(latest["baseline"].drop_nulls()))]
    text = (f"Each card is the latest published figure of one official series ({latest.height} series, "
            f"{'; '.join(baselines)}); series from different baselines must not be added.")
    if latest.height != tallies.height:
        text += f" {tallies.height - latest.height} later figures that are not a series' tally stand beside them."
    ranges = [f"{row['value_text']} ({labels.metric_label(row['metric'])}, {labels.baseline_label(row['baseline'])})"
              for row in tallies.iter_rows(named=True) if str(row["value_high"]) != str(row["value"])]
    if ranges:
        text += f" Sources disagree on {len(ranges)} of them: {'; '.join(ranges)}; each card says who gives which number."
    else:
        text += " On each card's date the sources agree."
    return text + " The full series are on the Arrests and deportations page."
