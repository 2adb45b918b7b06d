"""The scamstats dashboard: explore the figures over time, trace each number to its source,
download what is on screen and cite it.

Thin on purpose: each page is settings → stats → figure → display. Statistics come from
`scamstats.stats`, charts from `scamstats.figures`, citations from `scamstats.cite`; the app
only selects rows (the filters) and lays things out. Filters live in the URL, so a link
restores a view. Text from the CSVs goes through st.dataframe, st.code or `plain()` (markdown
escaped); never through unsafe HTML.

Run:  scamstats dashboard   (or: streamlit run dashboard/app.py)
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import polars as pl
import streamlit as st

from scamstats import cite, figures, labels, privacy, stats
from scamstats.package import Package, load_package, resource_file
from scamstats.paths import DIST_DIR, PACKAGE_DIR
from scamstats.reference import COMPOUND_STATUSES

PAGES = {
    "overview": "Overview",
    "arrests": "Arrests and deportations",
    "raids": "Raids",
    "compounds": "Compounds",
    "survivors": "Survivors",
    "sources": "Sources",
    "download": "Download and cite",
}
ALL = "ALL"
# The official baselines of the 2025-26 crackdown (codebook, "Baselines of the official series").
OFFICIAL_BASELINES = (dt.date(2025, 6, 27), dt.date(2025, 7, 14), dt.date(2026, 1, 1))
DEFAULT_METRICS = ["arrested", "detained"]
EVENT_TYPES = ("raid", "rescue", "sealing", "inspection")
FORMER_USES = ("casino", "hotel", "resort", "sez", "office", "residential", "other", "unknown")


# ------------------------------------------------------------------------------------------
# Data: one cached loader


@st.cache_data(show_spinner="Loading the data package…")
def load(package_dir: str) -> Package:
    """Return the data package (read once per server; the CSVs are the source of truth)."""
    return load_package(Path(package_dir))


def package_dir() -> str:
    """The shipped package, unless SCAMSTATS_PACKAGE points elsewhere (tests use this)."""
    return os.environ.get("SCAMSTATS_PACKAGE") or str(PACKAGE_DIR)


def view_of(package: Package, **tables: pl.DataFrame) -> Package:
    """Return the package with some tables replaced by a selection of their rows."""
    return Package(package.descriptor, {**package.tables, **tables}, package.directory)


# ------------------------------------------------------------------------------------------
# Filters in the URL


def _parse_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def seed(key: str, default, *, name: str | None = None, parse: Callable = str, many: bool = False,
         valid: Iterable | Callable | None = None) -> None:
    """Put a filter's starting value in session state: from the URL when the link carries a
    valid one (a shared link restores the view), else the default. Runs once per widget."""
    if key in st.session_state:
        return
    value = default
    raw = st.query_params.get_all(name or key.split(".")[-1])
    if raw:
        try:
            parsed = [parse(v) for v in raw] if many else parse(raw[-1])
        except (ValueError, TypeError):
            parsed = None
        ok = callable(valid) and valid(parsed) if callable(valid) else (
            parsed is not None and (valid is None or (
                all(p in list(valid) for p in parsed) if many else parsed in list(valid))))
        if ok:
            value = parsed
    st.session_state[key] = value


@dataclass
class View:
    """What a page shows: its filters (for the URL and the citation) and the table on screen."""

    page: str
    params: dict[str, str | list[str]] = field(default_factory=dict)  # non-default filters
    filters: dict[str, str] = field(default_factory=dict)  # the same, in words
    data: pl.DataFrame | None = None
    data_name: str = "view"

    def filter(self, name: str, value, default, words: str) -> None:
        """Record one filter; it goes into the URL only when it differs from the default."""
        if value != default:
            self.params[name] = [str(v) for v in value] if isinstance(value, list) else str(value)
        self.filters[name] = words

    def query(self) -> str:
        return urlencode({"page": self.page, **self.params}, doseq=True)

    def link(self) -> str:
        base = (st.context.url or "").split("?")[0] if hasattr(st.context, "url") else ""
        return f"{base}?{self.query()}"

    def citation(self, package: Package) -> str:
        return cite.view_citation(package, PAGES[self.page], self.filters, dt.date.today().isoformat(),
                                  self.link())


def publish(view: View) -> None:
    """Write the page and its non-default filters into the URL (replacing the previous page's)."""
    wanted = {"page": view.page, **view.params}
    current = {k: st.query_params.get_all(k) for k in st.query_params}
    normal = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if current != normal:
        st.query_params.from_dict(wanted)


# ------------------------------------------------------------------------------------------
# Display helpers (no statistics here)

MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def plain(text: str | None) -> str:
    """Return data text escaped for st.markdown: shown as written, never interpreted."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text or "")


def metric_label(metric: str) -> str:
    return labels.METRIC_LABELS.get(metric, metric.replace("_", " "))


def with_sources(package: Package, frame: pl.DataFrame) -> pl.DataFrame:
    """Return the rows with their source's publisher, title, date and URL beside them."""
    sources = package.tables["sources"].select(
        "source_id", "publisher", "title", pl.col("published").alias("source_published"), "url")
    return frame.join(sources, on="source_id", how="left") if frame.height else frame.with_columns(
        *[pl.lit(None, dtype).alias(name) for name, dtype in sources.schema.items() if name != "source_id"])


def csv_bytes(frame: pl.DataFrame) -> bytes:
    """The table as CSV, list cells joined with spaces."""
    lists = [name for name, dtype in frame.schema.items() if isinstance(dtype, pl.List)]
    return frame.with_columns(pl.col(lists).list.join(" ")).write_csv().encode("utf-8")


LINK = st.column_config.LinkColumn("source URL", display_text="open source", width="small")


def table(frame: pl.DataFrame, key: str, height: int | str = "auto", **config) -> None:
    """Show a table (escaped by Streamlit); URLs as links."""
    column_config = {"url": LINK, "quote": st.column_config.TextColumn("quote", width="large"), **config}
    # Dates as written (ISO 8601), not as midnight timestamps.
    frame = frame.with_columns(pl.col(pl.Date).cast(pl.String))
    st.dataframe(frame, hide_index=True, width="stretch", height=height, key=key,
                 column_config={k: v for k, v in column_config.items() if k in frame.columns})


def chart(figure, key: str, citation: str, quotes: pl.DataFrame | None, quotes_note: str = "",
          alt: str | None = None) -> None:
    """Show a plotly chart with its "cite this figure" text and the quotes behind it."""
    figure.update_layout(width=None, autosize=True)
    st.plotly_chart(figure, theme=None, width="stretch", key=key, config={"displaylogo": False}, alt=alt)
    with st.expander("Cite this figure · the quotes behind its numbers"):
        st.caption("Cite this figure")
        st.code(citation, language=None, wrap_lines=True)
        if quotes is None:
            st.caption(quotes_note or "The quotes are in the table below.")
        elif not quotes.height:
            st.caption("No rows behind this figure in the current selection.")
        else:
            st.caption(f"{quotes.height} rows behind this figure, each with the words of its source")
            table(quotes, key=f"{key}-quotes", height=min(420, 38 + 35 * quotes.height))


def figure_citation(package: Package, figure_id: str, view: View) -> str:
    """Citation of a registered figure; when filtered, the view's filters too."""
    text = cite.figure_citation(package, figure_id)
    if view.params:
        shown = "; ".join(f"{k}: {v}" for k, v in view.filters.items())
        text += f" Filtered view ({shown}), accessed {dt.date.today().isoformat()}: {view.link()}"
    return text


def offer_download(package: Package, view: View) -> None:
    """The table on screen as CSV, with a citation recording the filters, date and version."""
    st.session_state["last_view"] = view
    if view.data is None:
        return
    st.divider()
    st.subheader("Download this view")
    citation = view.citation(package)
    left, right = st.columns([1, 3])
    with left:
        st.download_button(f"CSV of this table ({view.data.height} rows)", csv_bytes(view.data),
                           file_name=f"scamstats-{package.version}-{view.data_name}.csv", mime="text/csv",
                           key=f"download-{view.page}", icon=":material/download:")
        st.download_button("Citation (text)", citation.encode("utf-8"),
                           file_name=f"scamstats-{package.version}-{view.data_name}-citation.txt",
                           mime="text/plain", key=f"cite-{view.page}")
    with right:
        st.code(citation, language=None, wrap_lines=True)


def empty(message: str) -> None:
    st.info(message, icon=":material/filter_alt_off:")


def date_filters(view: View, prefix: str, first: dt.date, last: dt.date, label: str) -> tuple[dt.date, dt.date]:
    """Two date inputs (from, to) bounded by the data; kept in the URL as from= and to=."""
    inside = lambda d: isinstance(d, dt.date) and first <= d <= last
    seed(f"{prefix}.from", first, parse=_parse_date, valid=inside)
    seed(f"{prefix}.to", last, parse=_parse_date, valid=inside)
    a, b = st.columns(2)
    start = a.date_input(f"{label} from", min_value=first, max_value=last, key=f"{prefix}.from", format="YYYY-MM-DD")
    end = b.date_input(f"{label} to", min_value=first, max_value=last, key=f"{prefix}.to", format="YYYY-MM-DD")
    view.filter("from", start, first, start.isoformat())
    view.filter("to", end, last, end.isoformat())
    return start, end


# ------------------------------------------------------------------------------------------
# Pages


def page_overview(package: Package) -> View:
    view = View("overview")
    st.title("Cambodia's scam compounds, in sourced numbers")
    st.markdown(
        "Every number here comes from a public document and carries a short verbatim quote that "
        "contains it. Figures that disagree are shown side by side, never averaged. Official counts "
        "are announcements, not audits, and each runs from its own start date (**baseline**): never "
        "add figures from different baselines."
    )
    headlines = stats.headline_numbers(package)
    if not headlines.height:
        empty("This package has no headline figures yet.")
        return view

    st.subheader("Latest official tallies of the 2025–26 crackdown")
    latest = headlines.filter(
        (pl.col("headline") == "official_latest") & pl.col("metric").is_in(["arrested", "detained", "deported"])
        & pl.col("baseline").is_in(OFFICIAL_BASELINES)
    ).sort(["baseline", "metric"])
    headline_cards(package, latest, "official")
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
    reports = [i for ids in rendered.data["row_ids"].to_list() for i in ids.split()]
    quotes = with_sources(package, package.tables["timeline"].filter(pl.col("event_id").is_in(reports))).select(
        "date", "event", "quote", "publisher", "url", "event_id").sort("date", descending=True)
    chart(rendered.figure, "overview-timeline", figure_citation(package, "timeline", view), quotes, alt=rendered.spec.alt)
    view.data, view.data_name = stats.headline_numbers(package), "headline-numbers"
    return view


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
                    what = f"{metric_label(row['metric'])}, {labels.baseline_label(row['baseline'])}"
                elif row["metric"]:
                    what = metric_label(row["metric"])
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
        table_ = package.tables[name]
        rows += with_sources(package, table_.filter(pl.col(id_column).is_in(row_ids))).iter_rows(named=True)
    for row in rows:
        st.markdown(f"> {plain(row['quote'])}")
        st.caption(plain(f"{row['publisher']} · {row['title']} · {labels.format_date(row['source_published'])}"))
        st.code(row["url"], language=None, wrap_lines=True)


def page_arrests(package: Package) -> View:
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
    nationality_options = [ALL, *arrests.filter(pl.col("nationality").is_not_null())["nationality"]
                           .value_counts(sort=True, name="n").sort(["n", "nationality"], descending=[True, False])
                           ["nationality"].to_list()]
    scope_options = ["national", *sorted(set(arrests["scope"]) - {"national"}, key=lambda s: (len(s), s))]
    baseline_options = ["any", "none", *sorted({d.isoformat() for d in arrests["period_start"].drop_nulls()})]
    dates = arrests["as_of"].drop_nulls()

    seed("arrests.metric", [m for m in DEFAULT_METRICS if m in metric_options], many=True, valid=metric_options)
    seed("arrests.nationality", ALL, valid=nationality_options)
    seed("arrests.sex", "all", valid=["all", "female", "male"])
    seed("arrests.scope", "national", valid=scope_options)
    seed("arrests.baseline", "any", valid=baseline_options)

    nationality = st.pills("Nationality", nationality_options, key="arrests.nationality", required=True,
                           format_func=lambda c: "All nationalities" if c == ALL else labels.country_name(c))
    first, second, third = st.columns([3, 2, 2])
    with first:
        metrics = st.multiselect("Metric", metric_options, key="arrests.metric", format_func=metric_label,
                                 placeholder="Choose one or more metrics")
    with second:
        sex = st.segmented_control("Sex", ["all", "female", "male"], key="arrests.sex", required=True,
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

    view.filter("metric", metrics, [m for m in DEFAULT_METRICS if m in metric_options],
                ", ".join(metric_label(m) for m in metrics) or "none")
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
    behind = arrests.filter(pl.col("observation_id").is_in(
        [i for ids in series["observation_ids"].to_list() for i in ids]))

    # Figure
    who = labels.country_name(None if nationality == ALL else nationality)
    title = f"{who}{'' if sex == 'all' else f', {sex}'}: " + ", ".join(metric_label(m) for m in metrics)
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
    shown = with_sources(package, behind).select(
        pl.struct("value", "qualifier").map_elements(lambda r: labels.format_count(r["value"], r["qualifier"]),
                                                     return_dtype=pl.String).alias("figure"),
        "metric",
        pl.col("period_start").map_elements(labels.baseline_label, return_dtype=pl.String, skip_nulls=False)
        .alias("baseline"),
        "as_of", "publisher", "quote", "url", "scope", "nationality", "sex", "source_published", "note",
        "observation_id", "source_id",
    ).sort(["as_of", "metric"], descending=[True, False]) if behind.height else pl.DataFrame()
    st.subheader(f"Who says so: {behind.height} published figure{'s' if behind.height != 1 else ''}")
    if behind.height:
        st.caption("Newest first. 'figure' is the count as worded by the source (at least, about, up to). "
                   "Open a source to read it in full.")
        table(shown, key="arrests-table", height=min(600, 38 + 35 * shown.height))
    view.data, view.data_name = shown, "arrests"
    return view


def page_raids(package: Package) -> View:
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
    selection = view_of(package, raids=selected)
    compounds = package.tables["compounds"].select("compound_id", pl.col("name").alias("compound"))
    quotes = with_sources(package, selected).join(compounds, on="compound_id", how="left").select(
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
    shown = with_sources(package, selected).join(compounds, on="compound_id", how="left").select(
        "date", "event_type",
        pl.col("province_code").map_elements(labels.province_name, return_dtype=pl.String).alias("province"),
        "place", "persons_detained", "persons_rescued", "publisher", "quote", "url", "compound",
        pl.when(pl.col("compound_id").is_not_null())
        .then(pl.lit("?page=compounds&q=") + pl.col("compound_id")).alias("compound_link"),
        "agency", "date_precision", "persons_detained_qualifier", "persons_rescued_qualifier",
        "raid_id", "same_operation_as", "compound_id", "source_id",
    ).sort("date", descending=True)
    table(shown, key="raids-table", height=min(600, 38 + 35 * shown.height),
          compound_link=st.column_config.LinkColumn("compound page", display_text="open compound"),
          same_operation_as=st.column_config.TextColumn(
              "same operation as", help="raid_id of the report this operation is counted under; empty for the first report"))
    view.data, view.data_name = shown, "raids"
    return view


def page_compounds(package: Package) -> View:
    view = View("compounds")
    compounds = package.tables["compounds"]
    st.title("Compounds")
    st.markdown("Compounds and suspected sites named in public reporting, with their former use and last "
                "reported status. Amnesty International identified at least 53 compounds but did not publish "
                "its list: only sites named in public sources are here.")
    if not compounds.height:
        empty("This package has no named compounds yet.")
        return view
    statuses = list(COMPOUND_STATUSES)
    seed("compounds.status", statuses, many=True, valid=statuses)
    seed("compounds.use", list(FORMER_USES), many=True, valid=FORMER_USES)
    seed("compounds.q", "")
    first, second, third = st.columns([2, 2, 2])
    with first:
        status = st.multiselect("Status", statuses, key="compounds.status", placeholder="Choose statuses")
    with second:
        uses = st.multiselect("Former use", list(FORMER_USES), key="compounds.use", placeholder="Choose uses")
    with third:
        query = st.text_input("Search name, town or id", key="compounds.q", placeholder="e.g. Bavet, casino")
    view.filter("status", status, statuses, ", ".join(status) or "none")
    view.filter("use", uses, list(FORMER_USES), ", ".join(uses) or "none")
    view.filter("q", query, "", query or "none")

    selected = compounds.filter(pl.col("status").is_in(status) & pl.col("former_use").is_in(uses))
    if query.strip():
        needle = query.strip().lower()
        selected = selected.filter(pl.any_horizontal(
            pl.col(c).fill_null("").str.to_lowercase().str.contains(needle, literal=True)
            for c in ("compound_id", "name", "aliases", "town")))
    if not selected.height:
        empty("No compound matches these filters.")
        return view
    quotes = with_sources(package, selected).select("name", "status", "quote", "publisher", "url", "compound_id")
    rendered = figures.render("compounds-map", view_of(package, compounds=selected))
    chart(rendered.figure, "compounds-map", figure_citation(package, "compounds-map", view), quotes, alt=rendered.spec.alt)
    known = stats.compounds_known(view_of(package, compounds=selected)).height  # one per compound
    st.subheader(f"{known} named compounds and sites"
                 + (f" ({selected.height} records: some compounds are recorded by two sources)"
                    if known != selected.height else ""))
    shown = with_sources(package, selected).select(
        "name", "aliases",
        pl.col("province_code").map_elements(labels.province_name, return_dtype=pl.String).alias("province"),
        "town", "former_use", "status", "status_date", "first_reported", "publisher", "quote", "url", "note",
        "compound_id",
    ).sort(["province", "name"])
    table(shown, key="compounds-table", height=min(600, 38 + 35 * shown.height))
    view.data, view.data_name = shown, "compounds"
    return view


def page_survivors(package: Package) -> View:
    view = View("survivors")
    st.title("Survivors")
    st.markdown("Survivor demographics exactly as their authors published them: aggregates only, never an "
                "individual. Counts of 1 to 4 are suppressed: not drawn in the chart, shown as **<5** and "
                "marked in the table.")
    demographics = stats.survivor_demographics(package)
    if not demographics.height:
        empty("This package has no survivor figures yet.")
        return view
    sources = package.tables["sources"]
    publisher = {r["source_id"]: r["publisher"] for r in sources.iter_rows(named=True)}
    studies = [ALL, *sorted(set(demographics["source_id"]))]
    dimensions = sorted(set(demographics["dimension"]))
    seed("survivors.study", ALL, valid=studies)
    seed("survivors.dimension", dimensions, many=True, valid=dimensions)
    first, second = st.columns([3, 2])
    with first:
        study = st.selectbox("Study or source", studies, key="survivors.study",
                             format_func=lambda s: "All studies" if s == ALL else f"{publisher.get(s, s)} ({s})")
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
    rows = stats.survivor_demographics(view_of(package, survivors=selected)).filter(pl.col("dimension").is_in(chosen))
    if not rows.height:
        empty("No survivor figure matches these filters.")
        return view
    # Small cells are not drawn either: the chart gets only counts of 0 or at least the threshold.
    drawable = selected.filter(~pl.col("count").is_between(1, privacy.SMALL_CELL_THRESHOLD - 1))
    rendered = figures.render("survivor-demographics", view_of(package, survivors=drawable))
    quotes = with_sources(package, survivors.filter(pl.col("group_id").is_in(rows["group_id"].to_list()))).select(
        "population", "dimension", "category", "quote", "publisher", "url", "group_id")
    chart(rendered.figure, "survivors-chart", figure_citation(package, "survivor-demographics", view), quotes, alt=rendered.spec.alt)
    suppressed = privacy.suppress_small_cells(rows, ["count"])
    hidden = int(suppressed["count_suppressed"].sum())
    st.subheader("Demographics per study")
    if hidden:
        st.warning(f"{hidden} cell{'s' if hidden != 1 else ''} below {privacy.SMALL_CELL_THRESHOLD} "
                   f"suppressed: shown as {privacy.SMALL_CELL_LABEL}, marked in the 'suppressed' column.",
                   icon=":material/visibility_off:")
    shown = with_sources(package, suppressed).select(
        "population", "dimension", "category_label", "count",
        pl.when(pl.col("count_suppressed")).then(pl.lit(f"yes ({privacy.SMALL_CELL_LABEL})"))
        .otherwise(pl.lit("")).alias("suppressed"),
        "qualifier", "source_total", (pl.col("share_of_total") * 100).round(1).alias("share_of_total_percent"),
        "publisher", "url", "group_id",
    )
    table(shown, key="survivors-table", height=min(600, 38 + 35 * shown.height))
    view.data, view.data_name = shown, "survivors"
    return view


def page_sources(package: Package) -> View:
    view = View("sources")
    sources = package.tables["sources"]
    st.title("Sources")
    st.markdown("Every public document the package cites, with how many of its rows cite each.")
    if not sources.height:
        empty("This package has no sources yet.")
        return view
    types = sorted(set(sources["source_type"].drop_nulls()))
    reliabilities = ["primary", "attributed", "unattributed"]
    seed("sources.q", "")
    seed("sources.type", types, many=True, valid=types)
    seed("sources.reliability", reliabilities, many=True, valid=reliabilities)
    first, second, third = st.columns([3, 2, 2])
    with first:
        query = st.text_input("Search publisher, title, URL or id", key="sources.q", placeholder="e.g. Amnesty")
    with second:
        chosen_types = st.multiselect("Type", types, key="sources.type", format_func=lambda t: t.replace("_", " "))
    with third:
        chosen_rel = st.multiselect("Reliability", reliabilities, key="sources.reliability")
    view.filter("q", query, "", query or "none")
    view.filter("type", chosen_types, types, ", ".join(chosen_types) or "none")
    view.filter("reliability", chosen_rel, reliabilities, ", ".join(chosen_rel) or "none")

    counts = stats.rows_per_source(package)
    selected = sources.filter(pl.col("source_type").is_in(chosen_types) & pl.col("reliability").is_in(chosen_rel))
    if query.strip():
        needle = query.strip().lower()
        selected = selected.filter(pl.any_horizontal(
            pl.col(c).fill_null("").str.to_lowercase().str.contains(needle, literal=True)
            for c in ("source_id", "publisher", "title", "url", "via")))
    if not selected.height:
        empty("No source matches this search.")
        return view
    shown = selected.join(counts, on="source_id", how="left").select(
        "publisher", "rows", "title", "published", "source_type", "language", "reliability",
        *[f"{name}_rows" for name in stats.CITING_RESOURCES], "url", "via", "source_id",
    ).sort(["rows", "published"], descending=[True, True])
    st.caption(f"{shown.height} of {sources.height} sources; cited by {int(shown['rows'].sum()):,} rows.")
    table(shown, key="sources-table", height=min(700, 38 + 35 * shown.height),
          rows=st.column_config.NumberColumn("rows citing it", help="Rows of all resources that cite this source"))
    view.data, view.data_name = shown, "sources"
    return view


def page_download(package: Package) -> View:
    view = View("download")
    st.title("Download and cite")
    st.subheader("The full release")
    name = f"{package.descriptor.get('name', 'package')}-{package.version}.zip"
    release = DIST_DIR / name
    if release.is_file():
        st.download_button(f"Release zip: {name} ({release.stat().st_size / 1e6:.1f} MB)", release.read_bytes(),
                           file_name=name, mime="application/zip", icon=":material/folder_zip:", key="release")
        st.caption("Data package, CSVs and Parquet copies, codebook, citation, licences and every figure.")
    else:
        st.info(f"The release zip ({name}) has not been built on this machine. Build it with "
                "`scamstats release`, then reload this page. The data files are below.")
    st.subheader("The data files")
    columns = st.columns(3)
    for index, resource in enumerate(package.descriptor["resources"]):
        path = resource_file(package.directory, resource)
        with columns[index % 3]:
            st.download_button(f"{resource['name']}.csv ({package.tables[resource['name']].height} rows)",
                               path.read_bytes(), file_name=Path(resource["path"]).name, mime="text/csv",
                               key=f"resource-{resource['name']}", width="stretch")
    st.subheader("Cite the package")
    st.code(cite.citation(package, style="plain"), language=None, wrap_lines=True)
    with st.expander("BibTeX"):
        st.code(cite.citation(package, style="bibtex"), language="bibtex")
    st.caption("When you quote a figure, cite its original source too (the Sources page).")

    st.subheader("The view you were looking at")
    last: View | None = st.session_state.get("last_view")
    if last is None or last.data is None or last.page == "download":
        st.info("Open a page, set its filters, and come back: the table on screen and its citation "
                "(filters, date, package version) will be here. Each page also offers them at its foot.")
    else:
        st.markdown(f"**{PAGES[last.page]}**, filters: " + plain("; ".join(f"{k}: {v}" for k, v in last.filters.items())))
        st.download_button(f"CSV of that table ({last.data.height} rows)", csv_bytes(last.data),
                           file_name=f"scamstats-{package.version}-{last.data_name}.csv", mime="text/csv",
                           key="download-last", icon=":material/download:")
        st.code(last.citation(package), language=None, wrap_lines=True)
    return view


PAGE_FUNCTIONS = {
    "overview": page_overview,
    "arrests": page_arrests,
    "raids": page_raids,
    "compounds": page_compounds,
    "survivors": page_survivors,
    "sources": page_sources,
    "download": page_download,
}


# ------------------------------------------------------------------------------------------
# App


def main() -> None:
    st.set_page_config(page_title="scamstats · Cambodia's scam compounds", page_icon=":bar_chart:",
                       layout="wide", initial_sidebar_state="expanded")
    package = load(package_dir())
    seed("page", "overview", valid=PAGES)
    with st.sidebar:
        st.markdown("### scamstats")
        page = st.radio("Page", list(PAGES), key="page", format_func=PAGES.get, label_visibility="collapsed")
        st.divider()
        st.caption(f"Data package {package.descriptor.get('name', '')} version {package.version}. "
                   "Data CC BY 4.0; code MIT. Every figure links to its source.")
    view = PAGE_FUNCTIONS[page](package)
    publish(view)
    if page != "download":
        offer_download(package, view)


main()
