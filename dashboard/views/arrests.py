"""The arrests page: published counts over time by metric, nationality, sex, scope and
baseline, each figure with who says so; nationalities compared (a ranking and small
multiples over time); the official tallies, returns by nationality and the share of women."""

from __future__ import annotations

import datetime as dt

import polars as pl
import streamlit as st
from charts import chart, registry_figure, series_disagreements, series_figure
from widgets import (
    ALL,
    Version,
    View,
    date_filters,
    empty,
    fitted_height,
    memo,
    section,
    seed,
    table,
)

from scamstats import labels, stats
from scamstats.reference import SEXES

DEFAULT_METRICS = ["arrested", "detained"]
SEX_OPTIONS = ["all", *SEXES]
SECTIONS = {
    "series": "Counts over time",
    "compare": "Nationalities compared",
    "official": "Official tallies",
    "returns": "Deportations and returns",
    "women": "Women",
}
COMPARED_AT_FIRST = 4  # nationalities compared when the link names none: the most reported


def show(version: Version) -> View:
    view = View("arrests", version)
    package = version.package
    arrests = package.tables["arrests"]
    st.title("Arrests and deportations")
    st.markdown("Published counts over time, one line per metric and **baseline** (the date a count runs "
                "from). Where sources disagree on the same date the chart draws a bar from the lowest "
                "to the highest figure, and the lines under the chart say who gives which number.")
    if not arrests.height:
        empty("This package has no counts yet.")
        return view
    shown = section(view, SECTIONS)

    # Settings shared by every part of the page
    present = set(arrests["metric"])
    metric_options = [m for m in labels.METRIC_LABELS if m in present]
    dates = arrests["as_of"].drop_nulls()
    default_metrics = [m for m in DEFAULT_METRICS if m in metric_options]
    seed("arrests.metric", default_metrics, many=True, valid=metric_options)
    if shown in ("series", "compare"):
        metrics = st.multiselect("Metric", metric_options, key="arrests.metric", format_func=labels.metric_label,
                                 placeholder="Choose one or more metrics")
        view.filter("metric", metrics, default_metrics,
                    ", ".join(labels.metric_label(m) for m in metrics) or "none")
    else:
        metrics = default_metrics
    start, end = date_filters(view, "arrests", dates.min(), dates.max(), "Counts dated")
    if start > end:
        empty("The start date is after the end date: nothing to show.")
        return view
    dated = package.with_tables(arrests=arrests.filter(pl.col("as_of").is_between(start, end)))
    key = view.key()

    if shown == "series":
        return series_part(view, metrics, metric_options, start, end)
    if shown == "compare":
        return compare_part(view, metrics, dated, key)
    figure_ids = {"official": ("official-tallies-crackdown", "official-tallies-deportations"),
                  "returns": ("returns-by-nationality",), "women": ("share-of-women",)}[shown]
    for figure_id in figure_ids:
        rendered = registry_figure(view, figure_id, dated, key)
        chart(view, rendered, figure_id, rows_behind(view, rendered.data),
              disagreements=series_disagreements(view, rendered.data)
              if "sources_disagree" in rendered.data.columns else None)
    return view


def rows_behind(view: View, data: pl.DataFrame) -> pl.DataFrame:
    """The arrests rows a figure draws (its observation ids), with their sources."""
    ids = data["observation_ids"].explode() if "observation_ids" in data.columns else (
        data["observation_id"] if "observation_id" in data.columns else pl.Series([], dtype=pl.String))
    wanted = ids.drop_nulls().unique().sort().to_list()
    return memo(view.version, "arrests-rows", tuple(wanted), lambda: stats.with_source_details(
        view.package, view.package.tables["arrests"].filter(pl.col("observation_id").is_in(wanted))).sort(
        "as_of", descending=True).select(
        labels.count_texts(pl.col("value"), pl.col("qualifier")).alias("figure"), "metric",
        labels.dates_at_precision(pl.col("as_of"), pl.col("as_of_precision")).alias("as of"),
        "nationality", "publisher", "quote", "note", "url", "observation_id"))


def series_part(view: View, metrics: list[str], metric_options: list[str], start: dt.date, end: dt.date) -> View:
    package = view.package
    arrests = package.tables["arrests"]
    nationality_options = [ALL, *memo(view.version, "nationalities", (), lambda: stats.figures_per_nationality(
        package)["nationality"].to_list())]
    scope_options = ["national", *sorted(set(arrests["scope"]) - {"national"}, key=lambda s: (len(s), s))]
    baseline_options = ["any", "none", *sorted({d.isoformat() for d in arrests["period_start"].drop_nulls()})]
    seed("arrests.nationality", ALL, valid=nationality_options)
    seed("arrests.sex", "all", valid=SEX_OPTIONS)
    seed("arrests.scope", "national", valid=scope_options)
    seed("arrests.baseline", "any", valid=baseline_options)
    nationality = st.pills("Nationality", nationality_options, key="arrests.nationality", required=True,
                           format_func=lambda c: "All nationalities" if c == ALL else labels.country_name(c))
    first, second, third = st.columns(3)
    with first:
        sex = st.segmented_control("Sex", SEX_OPTIONS, key="arrests.sex", required=True, format_func=str.capitalize)
    with second:
        scope = st.selectbox("Scope", scope_options, key="arrests.scope",
                             format_func=lambda s: "Nationwide" if s == "national" else labels.province_name(s))
    with third:
        baseline = st.selectbox(
            "Baseline", baseline_options, key="arrests.baseline",
            format_func=lambda b: {"any": "Any baseline", "none": "No baseline stated"}.get(b)
            or labels.baseline_label(dt.date.fromisoformat(b)))
    view.filter("nationality", nationality, ALL, labels.country_name(None if nationality == ALL else nationality))
    view.filter("sex", sex, "all", sex)
    view.filter("scope", scope, "national", "nationwide" if scope == "national" else labels.province_name(scope))
    view.filter("baseline", baseline, "any", {"any": "any", "none": "none stated"}.get(baseline)
                or labels.baseline_label(dt.date.fromisoformat(baseline)))
    if not metrics:
        empty("Choose at least one metric to see its figures.")
        return view
    key = view.key()

    def compute() -> tuple[pl.DataFrame, pl.DataFrame]:
        series = stats.breakdown_series(package, metrics, None if nationality == ALL else nationality,
                                        None if sex == "all" else sex, scope)
        series = series.filter(pl.col("as_of").is_between(start, end))
        if baseline == "none":
            series = series.filter(pl.col("baseline").is_null())
        elif baseline != "any":
            series = series.filter(pl.col("baseline") == dt.date.fromisoformat(baseline))
        ids = series["observation_ids"].explode().drop_nulls().to_list()
        behind = arrests.filter(pl.col("observation_id").is_in(ids))
        shown = stats.with_source_details(package, behind).join(
            package.tables["sources"].select("source_id", "published_precision"), on="source_id", how="left"
        ).select(
            labels.count_texts(pl.col("value"), pl.col("qualifier")).alias("figure"),
            "metric", labels.baseline_labels(pl.col("period_start")).alias("baseline"),
            labels.dates_at_precision(pl.col("as_of"), pl.col("as_of_precision")).alias("as of"),
            "publisher", "quote", "note", "url", "origin", "same_claim_as", "same_count_as", "scope", "nationality",
            "sex",
            labels.dates_at_precision(pl.col("source_published"), pl.col("published_precision")).alias("published"),
            "observation_id", "source_id", pl.col("as_of").alias("_as_of"),
        ).sort(["_as_of", "metric"], descending=[True, False]).drop("_as_of")
        return series, shown

    series, shown = memo(view.version, "arrests-series", key, compute)
    who = labels.country_name(None if nationality == ALL else nationality)
    title = f"{who}{'' if sex == 'all' else f', {sex}'}: " + ", ".join(labels.metric_label(m) for m in metrics)
    subtitle = (f"{view.filters['scope'].capitalize()}; counts dated {labels.format_date(start)} to "
                f"{labels.format_date(end)}; cumulative as announced, one line per baseline")
    if not series.height:
        empty("No published figure matches these filters. Try another nationality, metric, scope or "
              "a wider date range.")
    chart(view, series_figure(view, series, title, subtitle, key), "arrests-series", None,
          "The quotes are in the table below, one row per published figure.",
          disagreements=series_disagreements(view, series))
    st.subheader(f"Who says so: {shown.height} published figure{'s' if shown.height != 1 else ''}")
    if shown.height:
        st.caption("Newest first. 'figure' is the count as worded by the source (at least, about, up to); "
                   "'same claim as' names the first report of a figure several pages relay; 'same count as' "
                   "the first report of another source's different number for the same count. Open a source "
                   "to read it in full.")
        table(shown, key="arrests-table", height=fitted_height(shown.height),
              same_claim_as=st.column_config.TextColumn("same claim as"),
              same_count_as=st.column_config.TextColumn("same count as"))
    view.data, view.data_name = shown, "arrests"
    return view


def compare_part(view: View, metrics: list[str], dated, key: tuple) -> View:
    """Nationalities side by side: a ranking, and one small chart per nationality on one scale."""
    ranking = memo(view.version, "nationality-ranking", key,
                   lambda: stats.detention_nationalities_most_reported(dated, limit=1000))
    options = ranking["nationality"].to_list()
    default = options[:COMPARED_AT_FIRST]
    seed("arrests.compare", default, name="compare", many=True, valid=options)
    chosen = st.multiselect("Nationalities to compare", options, key="arrests.compare", max_selections=8,
                            format_func=labels.country_name, placeholder="Choose nationalities")
    view.filter("compare", chosen, default, ", ".join(labels.country_name(c) for c in chosen) or "none")
    if not metrics or not chosen:
        empty("Choose at least one metric and one nationality to compare.")
        return view
    st.markdown("##### Ranking: nationwide figures published for each nationality")
    st.caption("Ranked by the largest single figure any source published for the nationality (people "
               "arrested or detained, nationwide); 'figures' counts how many were published. Figures come "
               "from different sources, dates and baselines: compare them, never add them.")
    shown = ranking.filter(pl.col("nationality").is_in(chosen)).sort("largest_value", descending=True).select(
        pl.col("nationality_name").alias("nationality"), "largest_value", "figures", pl.col("nationality").alias("code"))
    table(shown, key="arrests-ranking", height=fitted_height(shown.height),
          largest_value=st.column_config.NumberColumn("largest figure published", format="localized"))
    rendered = registry_figure(view, "detentions-by-nationality-latest", dated, key)
    chart(view, rendered, "nationality-latest", rows_behind(view, rendered.data))

    st.markdown("##### Over time, one chart per nationality")
    st.caption("Each small chart is one nationality's published counts, one line per metric and baseline, "
               "all on the same scale so they can be compared at a glance.")
    series = {code: memo(view.version, "nationality-series", (code, tuple(metrics), key),
                         lambda code=code: stats.breakdown_series(dated, metrics, code))
              for code in chosen}
    highest = max([1, *[int(s["value_high"].max() or 0) for s in series.values() if s.height]])
    days = [d for s in series.values() for d in s["as_of"].drop_nulls()]
    span = ((min(days) - dt.timedelta(days=20)).isoformat(), (max(days) + dt.timedelta(days=20)).isoformat()) \
        if days else None
    columns = st.columns(2)
    for index, code in enumerate(chosen):
        with columns[index % 2]:
            small = series_figure(view, series[code], labels.country_name(code),
                                  ", ".join(labels.metric_label(m) for m in metrics), (code, *key),
                                  off_scale=False)  # one scale for all: none drawn off it
            chart(view, small, f"small-{code}", None, "The quotes are under 'Counts over time' with this "
                  "nationality chosen.", disagreements=series_disagreements(view, series[code]),
                  y_range=(0, highest * 1.08), x_range=span)
    rendered = registry_figure(view, "detentions-by-nationality-over-time", dated, key)
    chart(view, rendered, "nationality-over-time", rows_behind(view, rendered.data))
    view.data, view.data_name = shown, "nationalities-compared"
    return view
