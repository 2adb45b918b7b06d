"""The arrests page: published counts over time by metric, nationality, sex, scope and
baseline, each figure with who says so."""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st
from widgets import ALL, View, chart, date_filters, empty, fitted_height, seed, table

from scamstats import figures, labels, stats
from scamstats.package import Package
from scamstats.reference import SEXES

DEFAULT_METRICS = ["arrested", "detained"]
SEX_OPTIONS = ["all", *SEXES]


def show(package: Package) -> View:
    view = View("arrests")
    arrests = package.tables["arrests"]
    st.title("Arrests and deportations")
    st.markdown("Published counts over time, one line per metric and **baseline** (the date a count runs "
                "from). Where sources disagree on the same date the chart draws a bar from the lowest "
                "to the highest figure. The table lists every figure with who says so.")
    if not arrests.height:
        empty("This package has no counts yet.")
        return view

    # Settings
    present = set(arrests["metric"])
    metric_options = [m for m in labels.METRIC_LABELS if m in present]
    nationality_options = [ALL, *stats.figures_per_nationality(package)["nationality"].to_list()]
    scope_options = ["national", *sorted(set(arrests["scope"]) - {"national"}, key=lambda s: (len(s), s))]
    baseline_options = ["any", "none", *sorted({d.isoformat() for d in arrests["period_start"].drop_nulls()})]
    dates = arrests["as_of"].drop_nulls()
    default_metrics = [m for m in DEFAULT_METRICS if m in metric_options]

    seed("arrests.metric", default_metrics, many=True, valid=metric_options)
    seed("arrests.nationality", ALL, valid=nationality_options)
    seed("arrests.sex", "all", valid=SEX_OPTIONS)
    seed("arrests.scope", "national", valid=scope_options)
    seed("arrests.baseline", "any", valid=baseline_options)

    nationality = st.pills("Nationality", nationality_options, key="arrests.nationality", required=True,
                           format_func=lambda c: "All nationalities" if c == ALL else labels.country_name(c))
    first, second, third = st.columns([3, 2, 2])
    with first:
        metrics = st.multiselect("Metric", metric_options, key="arrests.metric", format_func=labels.metric_label,
                                 placeholder="Choose one or more metrics")
    with second:
        sex = st.segmented_control("Sex", SEX_OPTIONS, key="arrests.sex", required=True,
                                   format_func=str.capitalize)
    with third:
        scope = st.selectbox("Scope", scope_options, key="arrests.scope",
                             format_func=lambda s: "Nationwide" if s == "national" else labels.province_name(s))
    fourth, fifth = st.columns([2, 4])
    with fourth:
        baseline = st.selectbox(
            "Baseline", baseline_options, key="arrests.baseline",
            format_func=lambda b: {"any": "Any baseline", "none": "No baseline stated"}.get(b)
            or labels.baseline_label(dt.date.fromisoformat(b)))
    with fifth:
        start, end = date_filters(view, "arrests", dates.min(), dates.max(), "Counts dated")

    view.filter("metric", metrics, default_metrics, ", ".join(labels.metric_label(m) for m in metrics) or "none")
    view.filter("nationality", nationality, ALL, labels.country_name(None if nationality == ALL else nationality))
    view.filter("sex", sex, "all", sex)
    view.filter("scope", scope, "national", "nationwide" if scope == "national" else labels.province_name(scope))
    view.filter("baseline", baseline, "any", {"any": "any", "none": "none stated"}.get(baseline) or baseline)

    if not metrics:
        empty("Choose at least one metric to see its figures.")
        return view
    if start > end:
        empty("The start date is after the end date: nothing to show.")
        return view

    # Statistics
    series = stats.breakdown_series(package, metrics, None if nationality == ALL else nationality,
                                    None if sex == "all" else sex, scope)
    series = series.filter(pl.col("as_of").is_between(start, end))
    if baseline == "none":
        series = series.filter(pl.col("baseline").is_null())
    elif baseline != "any":
        series = series.filter(pl.col("baseline") == dt.date.fromisoformat(baseline))
    behind = arrests.filter(pl.col("observation_id").is_in(series["observation_ids"].explode().drop_nulls().to_list()))

    # Figure
    who = labels.country_name(None if nationality == ALL else nationality)
    title = f"{who}{'' if sex == 'all' else f', {sex}'}: " + ", ".join(labels.metric_label(m) for m in metrics)
    subtitle = f"{view.filters['scope'].capitalize()}; counts dated {start:%d %b %Y} to {end:%d %b %Y}; " \
               "cumulative as announced, one line per baseline"
    figure = figures.count_series_figure(series, title, subtitle)

    # Display
    if not series.height:
        empty("No published figure matches these filters. Try another nationality, metric, scope or "
              "a wider date range.")
    chart(figure, "arrests-series", view.citation(package), None,
          "The quotes are in the table below, one row per published figure.",
          alt=f"Chart of published counts over time: {title}; {subtitle}.")
    shown = stats.with_source_details(package, behind).select(
        labels.count_texts(pl.col("value"), pl.col("qualifier")).alias("figure"),
        "metric",
        labels.baseline_labels(pl.col("period_start")).alias("baseline"),
        "as_of", "publisher", "quote", "url", "scope", "nationality", "sex", "source_published", "note",
        "observation_id", "source_id",
    ).sort(["as_of", "metric"], descending=[True, False]) if behind.height else pl.DataFrame()
    st.subheader(f"Who says so: {behind.height} published figure{'s' if behind.height != 1 else ''}")
    if behind.height:
        st.caption("Newest first. 'figure' is the count as worded by the source (at least, about, up to). "
                   "Open a source to read it in full.")
        table(shown, key="arrests-table", height=fitted_height(shown.height))
    view.data, view.data_name = shown, "arrests"
    return view
