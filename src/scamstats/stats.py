"""Statistics: pure functions over validated polars frames. No I/O, no plotting.

Every function takes a loaded `Package` and returns a tidy polars frame with a fixed schema
(the same columns and types when the data are empty), so figures and the dashboard can rely
on it as rows are added. Figures are never added across baselines, sources or qualifiers
unless a function says so; where sources disagree both values are kept (low and high, and
the sources behind each).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

import polars as pl
import pycountry

from scamstats.package import Package
from scamstats.reference import PROVINCES

# The date column that places each resource's rows in time.
TIME_COLUMN = {
    "sources": "published",
    "compounds": "first_reported",
    "raids": "date",
    "arrests": "as_of",
    "survivors": "period_end",
    "timeline": "date",
}

# Cells of a derived cross-tabulation below this are shown as "<5" (never the count).
SMALL_CELL_THRESHOLD = 5
SMALL_CELL_LABEL = f"<{SMALL_CELL_THRESHOLD}"

PERSON_METRICS = (
    "arrested", "detained", "deported", "repatriated", "prosecuted", "convicted", "rescued",
    "released_or_escaped", "estimated_held",
)
SITE_METRICS = ("sites_raided", "sites_sealed", "sites_identified", "sites_suspected")
DETENTION_METRICS = ("detained", "arrested")
RETURN_METRICS = ("deported", "repatriated")
COMPOUND_STATUSES = ("operating", "raided", "sealed", "closed", "relocated", "unknown")

METRIC_LABELS = {
    "arrested": "arrested",
    "detained": "detained",
    "deported": "deported",
    "repatriated": "repatriated",
    "prosecuted": "prosecuted",
    "convicted": "convicted",
    "rescued": "rescued",
    "released_or_escaped": "released or escaped",
    "sites_raided": "sites raided",
    "sites_sealed": "sites sealed",
    "estimated_held": "estimated held",
    "sites_identified": "compounds identified",
    "sites_suspected": "further suspected sites",
}
QUALIFIER_WORDS = {"exact": "", "at_least": "at least", "about": "about", "at_most": "up to"}

# Short English names where ISO's official name reads awkwardly in a chart.
COUNTRY_NAMES = {
    "KOR": "South Korea", "PRK": "North Korea", "VNM": "Vietnam", "LAO": "Laos",
    "TWN": "Taiwan", "RUS": "Russia", "IRN": "Iran", "SYR": "Syria", "TZA": "Tanzania",
    "BOL": "Bolivia", "VEN": "Venezuela", "MDA": "Moldova", "CZE": "Czechia",
    "GBR": "United Kingdom", "USA": "United States", "TUR": "Türkiye",
}

# --------------------------------------------------------------------------------------
# Small shared helpers


def country_name(code: str | None) -> str:
    """Return a readable English name for an ISO 3166-1 alpha-3 code ('All' when empty)."""
    if not code:
        return "All nationalities"
    if code in COUNTRY_NAMES:
        return COUNTRY_NAMES[code]
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return code
    return getattr(country, "common_name", None) or country.name


def province_name(code: str | None) -> str:
    """Return the English name of an ISO 3166-2:KH code (the code itself when unknown)."""
    return PROVINCES.get(code or "", code or "unknown")


def format_count(value: int | None, qualifier: str | None = "exact") -> str:
    """Return a count as people read it: 'at least 1,000', 'about 190', '2,137'."""
    if value is None:
        return "no figure"
    word = QUALIFIER_WORDS.get(qualifier or "exact", "")
    return f"{word} {value:,}".strip()


def format_date(day: dt.date | None, precision: str | None = "day") -> str:
    """Return a date at its stated precision: '14 July 2025', 'July 2025' or '2025'."""
    if day is None:
        return "undated"
    if precision == "year":
        return f"{day.year}"
    if precision == "month":
        return f"{day:%B} {day.year}"
    return f"{day.day} {day:%B} {day.year}"


def baseline_label(baseline: dt.date | None) -> str:
    """Return how a series' baseline is named in tables and charts."""
    return f"since {format_date(baseline)}" if baseline else "no baseline stated"


def combine_qualifiers(qualifiers: Iterable[str | None]) -> str:
    """Return the qualifier of a sum: at_least if any part is a floor, about if any is rough."""
    found = {q or "exact" for q in qualifiers}
    if "at_least" in found:
        return "at_least"
    if "about" in found or ("at_most" in found and len(found) > 1):
        return "about"
    return "at_most" if found == {"at_most"} else "exact"


def suppress_small_cells(
    frame: pl.DataFrame, count_columns: Iterable[str], threshold: int = SMALL_CELL_THRESHOLD
) -> pl.DataFrame:
    """Return the frame with each count column as text, cells below `threshold` shown as "<5".

    Zero stays "0" (an empty cell reveals nobody); nulls stay null. For every count column a
    boolean `<column>_suppressed` is added so charts can mark those cells.
    """
    columns = []
    for column in count_columns:
        value = pl.col(column)
        hidden = (value > 0) & (value < threshold)
        columns += [
            pl.when(hidden).then(pl.lit(f"<{threshold}")).otherwise(value.cast(pl.String)).alias(column),
            hidden.fill_null(False).alias(f"{column}_suppressed"),
        ]
    return frame.with_columns(columns)


def _empty(schema: dict) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)


def _frame(rows: list[dict], schema: dict) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else _empty(schema)


def _table(package: Package, name: str) -> pl.DataFrame:
    return package.tables.get(name, pl.DataFrame())


def first_report(frame: pl.DataFrame, key: str, link: str) -> pl.Expr:
    """The row each row of `frame` is counted under: the one its `link` column names, when that
    row is in the frame, else itself (a frame without the column links nothing)."""
    if link not in frame.columns:
        return pl.col(key)
    known = frame[key].to_list()
    return pl.when(pl.col(link).is_in(known)).then(pl.col(link)).otherwise(pl.col(key))


def with_first_report(frame: pl.DataFrame, key: str, link: str) -> pl.DataFrame:
    """`frame` with `_first`, the row each row is counted under (`first_report`), and
    `_linked`, whether that is another row."""
    first = first_report(frame, key, link)
    return frame.with_columns(first.alias("_first"), (pl.col(key) != first).alias("_linked"))


def reports_listed(reports: pl.DataFrame, key: str, *order: str) -> pl.DataFrame:
    """One row per `_first` of `with_first_report` rows: `source_ids` and `row_ids` of its
    reports (that row's first, then by `order` and `key`), `reports` how many there are."""
    return (
        reports.sort(["_first", "_linked", *order, key])
        .group_by("_first", maintain_order=True)
        .agg(pl.col("source_id").unique(maintain_order=True).alias("source_ids"),
             pl.col(key).alias("row_ids"), pl.len().alias("reports"))
    )


def _sources(package: Package) -> dict[str, dict]:
    frame = _table(package, "sources")
    return {row["source_id"]: row for row in frame.iter_rows(named=True)} if frame.height else {}


def national_totals(package: Package, metrics: Iterable[str] | None = None) -> pl.DataFrame:
    """Return the arrests rows that are national totals (no nationality, no sex breakdown)."""
    arrests = _table(package, "arrests")
    if not arrests.height:
        return arrests
    keep = (pl.col("scope") == "national") & pl.col("nationality").is_null() & pl.col("sex").is_null()
    if metrics is not None:
        keep = keep & pl.col("metric").is_in(list(metrics))
    return arrests.filter(keep)


# --------------------------------------------------------------------------------------
# Coverage


def table_coverage(package: Package) -> pl.DataFrame:
    """Return one row per resource: its name, row count and first and last date."""
    rows = []
    for name, frame in package.tables.items():
        column = TIME_COLUMN.get(name)
        dates = frame.get_column(column).drop_nulls() if column in frame.columns else pl.Series([], dtype=pl.Date)
        rows.append({
            "resource": name,
            "rows": frame.height,
            "first_date": dates.min() if len(dates) else None,
            "last_date": dates.max() if len(dates) else None,
        })
    return pl.DataFrame(rows, schema={"resource": pl.String, "rows": pl.Int64, "first_date": pl.Date, "last_date": pl.Date})


# --------------------------------------------------------------------------------------
# Official cumulative series

OFFICIAL_SERIES_SCHEMA = {
    "metric": pl.String,
    "baseline": pl.Date,
    "baseline_label": pl.String,
    "as_of": pl.Date,
    "as_of_precision": pl.String,
    "value_low": pl.Int64,
    "qualifier_low": pl.String,
    "sources_low": pl.List(pl.String),
    "value_high": pl.Int64,
    "qualifier_high": pl.String,
    "sources_high": pl.List(pl.String),
    "sources_disagree": pl.Boolean,
    "source_ids": pl.List(pl.String),
    "observation_ids": pl.List(pl.String),
}


def official_series(
    package: Package, metrics: Iterable[str] | None = None, scope: str = "national"
) -> pl.DataFrame:
    """Return cumulative totals by metric, baseline and date: low and high value with sources.

    One row per (metric, baseline, as_of) for totals of the given scope (no nationality or sex
    breakdown). Baselines are never mixed: `baseline` is the `period_start` the sources
    state, null when they state none (its own series). Where several sources give a figure
    for the same date, `value_low`/`value_high` are the lowest and highest, with the sources
    behind each (`sources_disagree` is true when they differ).
    """
    arrests = _table(package, "arrests")
    if not arrests.height:
        return _empty(OFFICIAL_SERIES_SCHEMA)
    keep = (pl.col("scope") == scope) & pl.col("nationality").is_null() & pl.col("sex").is_null()
    if metrics is not None:
        keep = keep & pl.col("metric").is_in(list(metrics))
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in arrests.filter(keep).iter_rows(named=True):
        groups[(row["metric"], row["period_start"], row["as_of"])].append(row)
    rows = []
    for (metric, baseline, as_of), members in groups.items():
        low = min(m["value"] for m in members)
        high = max(m["value"] for m in members)
        at_low = [m for m in members if m["value"] == low]
        at_high = [m for m in members if m["value"] == high]
        precisions = sorted({m["as_of_precision"] for m in members}, key=["day", "month", "year"].index)
        rows.append({
            "metric": metric,
            "baseline": baseline,
            "baseline_label": baseline_label(baseline),
            "as_of": as_of,
            "as_of_precision": precisions[-1],  # the coarsest, to be safe
            "value_low": low,
            "qualifier_low": combine_qualifiers(m["qualifier"] for m in at_low),
            "sources_low": sorted({m["source_id"] for m in at_low}),
            "value_high": high,
            "qualifier_high": combine_qualifiers(m["qualifier"] for m in at_high),
            "sources_high": sorted({m["source_id"] for m in at_high}),
            "sources_disagree": low != high,
            "source_ids": sorted({m["source_id"] for m in members}),
            "observation_ids": sorted(m["observation_id"] for m in members),
        })
    return _frame(rows, OFFICIAL_SERIES_SCHEMA).sort(
        ["metric", "baseline", "as_of"], nulls_last=True
    )


def baselines(package: Package, metrics: Iterable[str] | None = None) -> pl.DataFrame:
    """Return each (metric, baseline) series with its number of dates and its date span."""
    series = official_series(package, metrics)
    return series.group_by(["metric", "baseline", "baseline_label"], maintain_order=True).agg(
        pl.len().cast(pl.Int64).alias("dates"),
        pl.col("as_of").min().alias("first_as_of"),
        pl.col("as_of").max().alias("last_as_of"),
    )


# --------------------------------------------------------------------------------------
# Detentions by nationality, share of women

BREAKDOWN_SCHEMA = {
    "metric": pl.String,
    "baseline": pl.Date,
    "baseline_label": pl.String,
    "as_of": pl.Date,
    "as_of_precision": pl.String,
    "scope": pl.String,
    "nationality": pl.String,
    "nationality_name": pl.String,
    "value": pl.Int64,
    "qualifier": pl.String,
    "total_value": pl.Int64,
    "total_qualifier": pl.String,
    "share_of_total": pl.Float64,
    "source_id": pl.String,
    "observation_id": pl.String,
}


def _breakdowns(package: Package, metrics: Iterable[str], column: str) -> pl.DataFrame:
    """Breakdown rows (non-null `column`) joined to their total (same source, metric, date,
    baseline and scope, no breakdown), as the codebook defines a breakdown."""
    arrests = _table(package, "arrests")
    if not arrests.height:
        return _empty(BREAKDOWN_SCHEMA)
    arrests = arrests.filter(pl.col("metric").is_in(list(metrics)))
    totals = {}
    for row in arrests.filter(pl.col("nationality").is_null() & pl.col("sex").is_null()).iter_rows(named=True):
        totals[(row["source_id"], row["metric"], row["as_of"], row["period_start"], row["scope"])] = row
    other = "sex" if column == "nationality" else "nationality"
    rows = []
    for row in arrests.filter(pl.col(column).is_not_null() & pl.col(other).is_null()).iter_rows(named=True):
        total = totals.get((row["source_id"], row["metric"], row["as_of"], row["period_start"], row["scope"]))
        share = row["value"] / total["value"] if total and total["value"] else None
        rows.append({
            "metric": row["metric"],
            "baseline": row["period_start"],
            "baseline_label": baseline_label(row["period_start"]),
            "as_of": row["as_of"],
            "as_of_precision": row["as_of_precision"],
            "scope": row["scope"],
            "nationality": row["nationality"] if column == "nationality" else row["sex"],
            "nationality_name": country_name(row["nationality"]) if column == "nationality" else row["sex"],
            "value": row["value"],
            "qualifier": row["qualifier"],
            "total_value": total["value"] if total else None,
            "total_qualifier": total["qualifier"] if total else None,
            "share_of_total": share,
            "source_id": row["source_id"],
            "observation_id": row["observation_id"],
        })
    return _frame(rows, BREAKDOWN_SCHEMA).sort(["as_of", "metric", "value"], descending=[False, False, True])


def detentions_by_nationality(
    package: Package, metrics: Iterable[str] = DETENTION_METRICS
) -> pl.DataFrame:
    """Return every published nationality breakdown of detentions/arrests, over time.

    One row per breakdown figure, with the total it belongs to (same source, metric, date,
    baseline and scope) and its share of that total when the total is known.
    """
    return _breakdowns(package, metrics, "nationality")


def latest_nationality_breakdown(
    package: Package, metrics: Iterable[str] = DETENTION_METRICS, scope: str = "national"
) -> pl.DataFrame:
    """Return the most recent published nationality breakdown (one source, one date).

    The latest date with a breakdown of the given scope; if several sources broke down that
    date, the one with the most nationalities (then the first source id). When the total is
    known, a row with nationality "OTHER" holds the part the source did not break down.
    """
    frame = detentions_by_nationality(package, metrics).filter(pl.col("scope") == scope)
    if not frame.height:
        return frame
    latest = frame.filter(pl.col("as_of") == pl.col("as_of").max())
    sizes = latest.group_by(["source_id", "metric", "baseline"]).len().sort(
        ["len", "source_id", "metric"], descending=[True, False, False]
    )
    pick = sizes.row(0, named=True)
    chosen = latest.filter(
        (pl.col("source_id") == pick["source_id"]) & (pl.col("metric") == pick["metric"])
        & (pl.col("baseline").eq_missing(pick["baseline"]))
    ).sort("value", descending=True)
    first = chosen.row(0, named=True)
    if first["total_value"] is not None:
        rest = first["total_value"] - chosen["value"].sum()
        if rest > 0:
            other = dict(first, nationality="OTHER", nationality_name="Other or not stated",
                         value=rest, qualifier=combine_qualifiers(chosen["qualifier"]),
                         share_of_total=rest / first["total_value"], observation_id=None)
            chosen = pl.concat([chosen, pl.DataFrame([other], schema=BREAKDOWN_SCHEMA, orient="row")])
    return chosen


SHARE_SCHEMA = {
    "resource": pl.String,
    "metric": pl.String,
    "population": pl.String,
    "baseline": pl.Date,
    "as_of": pl.Date,
    "as_of_precision": pl.String,
    "women": pl.Int64,
    "women_qualifier": pl.String,
    "total": pl.Int64,
    "total_qualifier": pl.String,
    "share_women": pl.Float64,
    "share_qualifier": pl.String,
    "source_id": pl.String,
}


def share_of_women(package: Package) -> pl.DataFrame:
    """Return each published count of women next to its total, and the share it makes.

    From arrests (rows with sex 'female' and their total) and survivors (category 'female'
    and the same population's total). A floor over an exact total is a floor share
    ('at_least'); a rough part gives a rough share.
    """
    rows = []
    for row in _breakdowns(package, PERSON_METRICS, "sex").filter(pl.col("nationality") == "female").iter_rows(named=True):
        rows.append({
            "resource": "arrests", "metric": row["metric"], "population": None,
            "baseline": row["baseline"], "as_of": row["as_of"], "as_of_precision": row["as_of_precision"],
            "women": row["value"], "women_qualifier": row["qualifier"],
            "total": row["total_value"], "total_qualifier": row["total_qualifier"],
            "share_women": row["share_of_total"],
            "share_qualifier": _share_qualifier(row["qualifier"], row["total_qualifier"]),
            "source_id": row["source_id"],
        })
    demographics = survivor_demographics(package).filter(pl.col("category") == "female")
    for row in demographics.iter_rows(named=True):
        rows.append({
            "resource": "survivors", "metric": None, "population": row["population"],
            "baseline": row["period_start"], "as_of": row["period_end"], "as_of_precision": None,
            "women": row["count"], "women_qualifier": row["qualifier"],
            "total": row["source_total"], "total_qualifier": row["source_total_qualifier"],
            "share_women": row["share_of_total"],
            "share_qualifier": _share_qualifier(row["qualifier"], row["source_total_qualifier"]),
            "source_id": row["source_id"],
        })
    return _frame(rows, SHARE_SCHEMA).sort("as_of", nulls_last=True)


def _share_qualifier(part: str | None, total: str | None) -> str | None:
    if total is None:
        return None
    if part == "exact" and total == "exact":
        return "exact"
    if part == "at_least" and total in ("exact", "at_most"):
        return "at_least"
    if part == "at_most" and total in ("exact", "at_least"):
        return "at_most"
    return "about"


# --------------------------------------------------------------------------------------
# Raids

RAIDS_MONTH_SCHEMA = {
    "month": pl.Date,
    "operations": pl.Int64,
    "persons_detained": pl.Int64,
    "operations_with_detained_count": pl.Int64,
    "persons_rescued": pl.Int64,
    "operations_with_rescued_count": pl.Int64,
}


def _raid_reports(package: Package, event_types: Iterable[str] | None) -> pl.DataFrame:
    """The raids rows (every report) of the given event types, with `operation_id`: the raid_id
    of the row each report is counted under (its `same_operation_as`, else its own raid_id).
    A report of a whole whose parts are reported (rows whose `part_of` names it) is left out:
    its parts stand for it, so that its total is not added to theirs."""
    raids = _table(package, "raids")
    if event_types is not None:
        raids = raids.filter(pl.col("event_type").is_in(list(event_types)))
    if "part_of" in raids.columns:
        wholes = raids["part_of"].drop_nulls().unique().to_list()
        raids = raids.filter(~pl.col("raid_id").is_in(wholes))
    linked = pl.col("same_operation_as") if "same_operation_as" in raids.columns else pl.lit(None, pl.String)
    return raids.with_columns(pl.coalesce(linked, pl.col("raid_id")).alias("operation_id"))


def raid_operations(package: Package, event_types: Iterable[str] | None = None) -> pl.DataFrame:
    """Return one raids row per enforcement operation: each operation counts once.

    An operation reported by several sources is several raids rows, linked by
    `same_operation_as` to the row it is counted under; that row (the first report) stands for
    the operation, with its date, place and figures. Linked reports whose figures differ stay in
    the raids table, never averaged or summed here. If the row pointed to is not in the
    package's selection (say, filtered out by event type), the first linked report left stands in.
    """
    if not _table(package, "raids").height:
        return _table(package, "raids")
    raids = _raid_reports(package, event_types)
    ranked = raids.with_row_index("_order").with_columns(
        pl.col("raid_id").ne(pl.col("operation_id")).alias("_linked")
    )
    return (
        ranked.sort(["_linked", "_order"])
        .unique("operation_id", keep="first", maintain_order=True)
        .sort("_order")
        .drop("_order", "_linked", "operation_id")
    )


def raids_per_month(package: Package, event_types: Iterable[str] | None = None) -> pl.DataFrame:
    """Return operations per calendar month, every month from the first to the last (zeros
    included), with the people detained and rescued where the sources give a number.

    Each operation counts once (`raid_operations`): an operation several sources report is one
    operation, and its people are the figures of its first report (the row the others point to
    with `same_operation_as`); linked reports with other figures are kept in the raids table.
    Operations dated only to the year are left out (see `raids_undated_to_month`). Sums of
    people are floors: operations without a published count add nothing.
    """
    raids = raid_operations(package, event_types)
    if not raids.height:
        return _empty(RAIDS_MONTH_SCHEMA)
    dated = raids.filter(pl.col("date_precision").is_in(["day", "month"]) & pl.col("date").is_not_null())
    if not dated.height:
        return _empty(RAIDS_MONTH_SCHEMA)
    counts = dated.with_columns(pl.col("date").dt.month_start().alias("month")).group_by("month").agg(
        pl.len().cast(pl.Int64).alias("operations"),
        pl.col("persons_detained").sum().cast(pl.Int64),
        pl.col("persons_detained").is_not_null().sum().cast(pl.Int64).alias("operations_with_detained_count"),
        pl.col("persons_rescued").sum().cast(pl.Int64),
        pl.col("persons_rescued").is_not_null().sum().cast(pl.Int64).alias("operations_with_rescued_count"),
    )
    months = pl.date_range(counts["month"].min(), counts["month"].max(), "1mo", eager=True).alias("month")
    return (
        pl.DataFrame({"month": months}).join(counts, on="month", how="left")
        .with_columns(pl.exclude("month").fill_null(0))
        .select(list(RAIDS_MONTH_SCHEMA))
        .cast(RAIDS_MONTH_SCHEMA)
    )


def raids_undated_to_month(package: Package, event_types: Iterable[str] | None = None) -> int:
    """Return how many operations are dated only to the year (left out of monthly counts)."""
    raids = raid_operations(package, event_types)
    return int(raids.filter(pl.col("date_precision") == "year").height) if raids.height else 0


RAIDS_PROVINCE_SCHEMA = {
    "province_code": pl.String,
    "province_name": pl.String,
    "operations": pl.Int64,
    "persons_detained": pl.Int64,
    "persons_rescued": pl.Int64,
}


def raids_by_province(package: Package, event_types: Iterable[str] | None = None) -> pl.DataFrame:
    """Return operations per province, all 25 provinces (zeros included), most first.

    Each operation counts once, its people from its first report (see `raids_per_month`)."""
    raids = raid_operations(package, event_types)
    rows = []
    for code, name in PROVINCES.items():
        here = raids.filter(pl.col("province_code") == code) if raids.height else raids
        rows.append({
            "province_code": code,
            "province_name": name,
            "operations": here.height,
            "persons_detained": int(here["persons_detained"].sum()) if here.height else 0,
            "persons_rescued": int(here["persons_rescued"].sum()) if here.height else 0,
        })
    return _frame(rows, RAIDS_PROVINCE_SCHEMA).sort(["operations", "province_code"], descending=[True, False])


def raids_by_province_and_year(package: Package, event_types: Iterable[str] | None = None) -> pl.DataFrame:
    """Return a province × year cross-tabulation of operations, small cells shown as "<5".

    Each operation counts once (see `raid_operations`).
    Only provinces and years with at least one operation; `operations` is text ("<5" or the
    count) and `operations_suppressed` marks hidden cells.
    """
    schema = {"province_code": pl.String, "province_name": pl.String, "year": pl.Int64,
              "operations": pl.Int64}
    raids = raid_operations(package, event_types)
    if not raids.height:
        return suppress_small_cells(_empty(schema), ["operations"])
    table = (
        raids.filter(pl.col("date").is_not_null())
        .group_by(["province_code", pl.col("date").dt.year().cast(pl.Int64).alias("year")])
        .agg(pl.len().cast(pl.Int64).alias("operations"))
        .with_columns(pl.col("province_code").replace_strict(PROVINCES, default="unknown").alias("province_name"))
        .select(list(schema)).sort(["province_code", "year"])
    )
    return suppress_small_cells(table, ["operations"])


# --------------------------------------------------------------------------------------
# Compounds

COMPOUNDS_PROVINCE_SCHEMA = {"province_code": pl.String, "province_name": pl.String, "compounds": pl.Int64}

COMPOUNDS_SCHEMA = {
    "compound_id": pl.String, "name": pl.String, "aliases": pl.String, "province_code": pl.String,
    "status": pl.String, "status_date": pl.Date, "status_date_precision": pl.String,
    "source_ids": pl.List(pl.String), "row_ids": pl.List(pl.String), "reports": pl.UInt32,
}


def compounds_known(package: Package) -> pl.DataFrame:
    """Return the named compounds, one row each: rows linked by `same_compound_as` (other
    sources' records of the same compound) are folded into the row they point to, which
    gives the name and province; the status is the latest dated one among the reports (the
    first row's when none is dated); `source_ids` and `row_ids` list every report's."""
    compounds = _table(package, "compounds")
    if not compounds.height:
        return _empty(COMPOUNDS_SCHEMA)
    reports = with_first_report(compounds, "compound_id", "same_compound_as")
    latest = (
        reports.sort(["_first", pl.col("status_date").is_null(), "status_date", "_linked"],
                     descending=[False, False, True, False], nulls_last=True)
        .group_by("_first", maintain_order=True)
        .agg(pl.col("status").first(), pl.col("status_date").first(), pl.col("status_date_precision").first())
    )
    first = reports.filter(~pl.col("_linked")).select("compound_id", "name", "aliases", "province_code")
    frame = (first.join(latest, left_on="compound_id", right_on="_first", how="left")
             .join(reports_listed(reports, "compound_id"), left_on="compound_id", right_on="_first", how="left"))
    return frame.select(list(COMPOUNDS_SCHEMA)).cast(COMPOUNDS_SCHEMA).sort("compound_id")


def compounds_by_province(package: Package) -> pl.DataFrame:
    """Return named compounds and suspected sites per province, all 25 (zeros included);
    a compound several sources record is counted once (`compounds_known`)."""
    compounds = compounds_known(package)
    rows = [
        {"province_code": code, "province_name": name,
         "compounds": compounds.filter(pl.col("province_code") == code).height if compounds.height else 0}
        for code, name in PROVINCES.items()
    ]
    return _frame(rows, COMPOUNDS_PROVINCE_SCHEMA).sort(["compounds", "province_code"], descending=[True, False])


def compounds_by_province_and_status(package: Package) -> pl.DataFrame:
    """Return a province × status cross-tabulation of named compounds, small cells as "<5".

    Only provinces with at least one compound; every status appears for each of them.
    `compounds` is text ("<5", "0" or the count); `compounds_suppressed` marks hidden cells.
    """
    schema = {"province_code": pl.String, "province_name": pl.String, "status": pl.String, "compounds": pl.Int64}
    compounds = compounds_known(package)
    rows = []
    if compounds.height:
        for code in sorted(set(compounds["province_code"].drop_nulls()), key=lambda c: int(c[3:])):
            here = compounds.filter(pl.col("province_code") == code)
            for status in COMPOUND_STATUSES:
                rows.append({"province_code": code, "province_name": province_name(code), "status": status,
                             "compounds": here.filter(pl.col("status") == status).height})
    return suppress_small_cells(_frame(rows, schema), ["compounds"])


AFTER_RAIDS_SCHEMA = {
    "compound_id": pl.String,
    "name": pl.String,
    "province_code": pl.String,
    "operations": pl.Int64,
    "first_operation": pl.Date,
    "last_operation": pl.Date,
    "status": pl.String,
    "status_date": pl.Date,
    "status_known_after_raid": pl.Boolean,
    "still_operating": pl.Boolean,
    "source_ids": pl.List(pl.String),
}


def compounds_after_raids(package: Package) -> pl.DataFrame:
    """Return each named compound that was raided, rescued from or sealed, with its status.

    `status_known_after_raid` is true when the compound's status is dated on or after its
    last operation; `still_operating` when that status is 'operating'. `operations` counts each
    operation once however many reports name the compound; `source_ids` lists every report's.
    """
    compounds = compounds_known(package)
    raids = _table(package, "raids")
    if not (compounds.height and raids.height):
        return _empty(AFTER_RAIDS_SCHEMA)
    rows = []
    by_compound = _raid_reports(package, ["raid", "rescue", "sealing"]).filter(pl.col("compound_id").is_not_null())
    for compound in compounds.iter_rows(named=True):
        operations = by_compound.filter(pl.col("compound_id").is_in(compound["row_ids"]))
        if not operations.height:
            continue
        last = operations["date"].max()
        known = compound["status_date"] is not None and last is not None and compound["status_date"] >= last \
            and compound["status"] != "unknown"
        rows.append({
            "compound_id": compound["compound_id"],
            "name": compound["name"],
            "province_code": compound["province_code"],
            "operations": operations["operation_id"].n_unique(),
            "first_operation": operations["date"].min(),
            "last_operation": last,
            "status": compound["status"],
            "status_date": compound["status_date"],
            "status_known_after_raid": known,
            "still_operating": known and compound["status"] == "operating",
            "source_ids": sorted({*compound["source_ids"], *operations["source_id"].to_list()}),
        })
    return _frame(rows, AFTER_RAIDS_SCHEMA).sort("compound_id")


def share_still_operating_after_raids(package: Package) -> pl.DataFrame:
    """Return one row: compounds raided, those whose later status is known, those still
    operating, and the share still operating among those known (null when none known)."""
    frame = compounds_after_raids(package)
    known = int(frame["status_known_after_raid"].sum()) if frame.height else 0
    operating = int(frame["still_operating"].sum()) if frame.height else 0
    return pl.DataFrame(
        [{"compounds_raided": frame.height, "status_known_after_raid": known,
          "still_operating": operating, "share_still_operating": operating / known if known else None}],
        schema={"compounds_raided": pl.Int64, "status_known_after_raid": pl.Int64,
                "still_operating": pl.Int64, "share_still_operating": pl.Float64},
    )


# --------------------------------------------------------------------------------------
# Deportations and repatriations

RETURNS_SCHEMA = {
    "metric": pl.String,
    "nationality": pl.String,
    "nationality_name": pl.String,
    "baseline": pl.Date,
    "baseline_label": pl.String,
    "as_of": pl.Date,
    "as_of_precision": pl.String,
    "scope": pl.String,
    "value": pl.Int64,
    "qualifier": pl.String,
    "source_id": pl.String,
    "observation_id": pl.String,
}


def returns_by_nationality(package: Package, metrics: Iterable[str] = RETURN_METRICS) -> pl.DataFrame:
    """Return every published count of people deported or repatriated, by nationality and date.

    `nationality` "ALL" marks a count over all nationalities. Counts with different baselines
    or no baseline are separate figures: sum nothing across them.
    """
    arrests = _table(package, "arrests")
    if not arrests.height:
        return _empty(RETURNS_SCHEMA)
    frame = arrests.filter(pl.col("metric").is_in(list(metrics)) & pl.col("sex").is_null())
    rows = [{
        "metric": r["metric"],
        "nationality": r["nationality"] or "ALL",
        "nationality_name": country_name(r["nationality"]),
        "baseline": r["period_start"],
        "baseline_label": baseline_label(r["period_start"]),
        "as_of": r["as_of"],
        "as_of_precision": r["as_of_precision"],
        "scope": r["scope"],
        "value": r["value"],
        "qualifier": r["qualifier"],
        "source_id": r["source_id"],
        "observation_id": r["observation_id"],
    } for r in frame.iter_rows(named=True)]
    return _frame(rows, RETURNS_SCHEMA).sort(["as_of", "metric", "nationality"])


# --------------------------------------------------------------------------------------
# Survivors

SURVIVORS_SCHEMA = {
    "group_id": pl.String,
    "population": pl.String,
    "period_start": pl.Date,
    "period_end": pl.Date,
    "dimension": pl.String,
    "category": pl.String,
    "category_label": pl.String,
    "count": pl.Int64,
    "qualifier": pl.String,
    "source_total": pl.Int64,
    "source_total_qualifier": pl.String,
    "share_of_total": pl.Float64,
    "source_id": pl.String,
    "published": pl.Date,
}

AGE_GROUP_LABELS = {"under_18": "Under 18", "18_plus": "18 and over", "adult": "Adults"}


def _category_label(dimension: str, category: str) -> str:
    if dimension == "nationality":
        return country_name(category)
    if dimension == "age_group":
        return AGE_GROUP_LABELS.get(category, category.replace("_", " "))
    if dimension == "nationalities":
        return "distinct nationalities"
    if dimension == "total":
        return "total"
    return category.replace("_", " ").capitalize()


def survivor_demographics(package: Package) -> pl.DataFrame:
    """Return every published survivor aggregate next to the source's own total.

    The total is the row of dimension 'total' with the same source and population; the share
    is computed only for counts of people (not for 'nationalities', a count of countries).
    """
    survivors = _table(package, "survivors")
    if not survivors.height:
        return _empty(SURVIVORS_SCHEMA)
    sources = _sources(package)
    totals = {
        (r["source_id"], r["population"]): r
        for r in survivors.filter(pl.col("dimension") == "total").iter_rows(named=True)
    }
    rows = []
    for r in survivors.iter_rows(named=True):
        total = totals.get((r["source_id"], r["population"]))
        share = None
        if total and total["count"] and r["dimension"] not in ("total", "nationalities"):
            share = r["count"] / total["count"]
        rows.append({
            "group_id": r["group_id"],
            "population": r["population"],
            "period_start": r["period_start"],
            "period_end": r["period_end"],
            "dimension": r["dimension"],
            "category": r["category"],
            "category_label": _category_label(r["dimension"], r["category"]),
            "count": r["count"],
            "qualifier": r["qualifier"],
            "source_total": total["count"] if total else None,
            "source_total_qualifier": total["qualifier"] if total else None,
            "share_of_total": share,
            "source_id": r["source_id"],
            "published": (sources.get(r["source_id"]) or {}).get("published"),
        })
    return _frame(rows, SURVIVORS_SCHEMA)


# --------------------------------------------------------------------------------------
# Timeline


MILESTONES_SCHEMA = {
    "event_id": pl.String, "date": pl.Date, "date_precision": pl.String, "category": pl.String,
    "label": pl.String, "event": pl.String, "source_id": pl.String,
    "source_ids": pl.List(pl.String), "row_ids": pl.List(pl.String), "reports": pl.UInt32,
}


def milestones(package: Package, start: dt.date | None = None, end: dt.date | None = None,
               categories: Iterable[str] | None = None) -> pl.DataFrame:
    """Return the timeline's milestones within a span, one row each: rows linked by
    `same_event_as` (other reports of the same milestone) are folded into the row they point
    to, which gives the date, category, label and event; `source_ids` and `row_ids` list every
    report's source and event_id (that row's first), `reports` how many there are."""
    timeline = _table(package, "timeline")
    if not timeline.height:
        return _empty(MILESTONES_SCHEMA)
    if "label" not in timeline.columns:
        timeline = timeline.with_columns(pl.col("event").alias("label"))
    reports = reports_listed(with_first_report(timeline, "event_id", "same_event_as"), "event_id", "date")
    frame = timeline.join(reports, left_on="event_id", right_on="_first", how="inner").select(list(MILESTONES_SCHEMA))
    if start is not None:
        frame = frame.filter(pl.col("date") >= start)
    if end is not None:
        frame = frame.filter(pl.col("date") <= end)
    if categories is not None:
        frame = frame.filter(pl.col("category").is_in(list(categories)))
    return frame.cast(MILESTONES_SCHEMA).sort(["date", "event_id"])


# --------------------------------------------------------------------------------------
# Headline numbers

HEADLINE_SCHEMA = {
    "headline": pl.String,
    "label": pl.String,
    "value": pl.Int64,
    "value_high": pl.Int64,
    "qualifier": pl.String,
    "value_text": pl.String,
    "unit": pl.String,
    "metric": pl.String,
    "baseline": pl.Date,
    "as_of": pl.Date,
    "as_of_precision": pl.String,
    "population": pl.String,
    "source_ids": pl.List(pl.String),
    "row_ids": pl.List(pl.String),
}

SURVIVOR_HEADLINES = {
    ("total", None): "survivors_total",
    ("nationalities", None): "survivors_nationalities",
    ("age_group", "under_18"): "survivors_children",
    ("sex", "female"): "survivors_women",
}


def headline_numbers(package: Package) -> pl.DataFrame:
    """Return the headline figures, each with value, qualifier, readable text and sources.

    Rules, so that headlines stay put as rows are added:
    - `study_sites`: each source's national count of compounds identified or suspected;
    - `official_first` / `official_latest`: for each metric and stated baseline, the first and
      the latest published national total (value = low, value_high = high when sources
      disagree on that date);
    - `latest_no_baseline`: for each metric, the latest national total with no baseline;
    - `survivors_total`, `survivors_nationalities`, `survivors_children`, `survivors_women`:
      each published survivor aggregate of that kind, with its population.
    """
    rows = []
    for r in national_totals(package, ("sites_identified", "sites_suspected")).iter_rows(named=True):
        rows.append(_headline("study_sites", r["metric"], r["value"], r["value"], r["qualifier"], "sites",
                              None, (r["as_of"], r["as_of_precision"]), None, [r["source_id"]], [r["observation_id"]]))
    series = official_series(package)
    for (metric, baseline), group in series.group_by(["metric", "baseline"], maintain_order=True):
        group = group.sort("as_of")
        unit = "sites" if metric in SITE_METRICS else "persons"
        if baseline is None:
            picks = [("latest_no_baseline", group.row(-1, named=True))]
        else:
            picks = [("official_first", group.row(0, named=True)), ("official_latest", group.row(-1, named=True))]
        for kind, r in picks:
            rows.append(_headline(kind, metric, r["value_low"], r["value_high"], r["qualifier_low"], unit,
                                  baseline, (r["as_of"], r["as_of_precision"]), None, r["source_ids"],
                                  r["observation_ids"]))
    sources = _table(package, "sources")
    published_precision = (dict(zip(sources["source_id"], sources["published_precision"], strict=True))
                           if sources.height else {})
    for r in survivor_demographics(package).iter_rows(named=True):
        kind = SURVIVOR_HEADLINES.get((r["dimension"], None)) or SURVIVOR_HEADLINES.get((r["dimension"], r["category"]))
        if kind is None:
            continue
        unit = "nationalities" if r["dimension"] == "nationalities" else "persons"
        # A study's period end is a day; otherwise the figure dates from its source's publication.
        when = ((r["period_end"], "day") if r["period_end"]
                else (r["published"], published_precision.get(r["source_id"], "day")))
        rows.append(_headline(kind, None, r["count"], r["count"], r["qualifier"], unit, r["period_start"],
                              when, r["population"], [r["source_id"]], [r["group_id"]]))
    return _frame(rows, HEADLINE_SCHEMA)


def _headline(kind, metric, low, high, qualifier, unit, baseline, dated, population, source_ids, row_ids) -> dict:
    as_of, precision = dated
    value_text = format_count(low, qualifier) if low == high else f"{low:,}–{high:,}"
    if kind == "study_sites":
        label = f"{value_text} {METRIC_LABELS[metric]}"
    elif kind.startswith("official") or kind == "latest_no_baseline":
        label = f"{value_text} {METRIC_LABELS[metric]} ({baseline_label(baseline)}, as of {format_date(as_of, precision)})"
    elif kind == "survivors_nationalities":
        label = f"{value_text} nationalities among: {population}"
    elif kind == "survivors_children":
        label = f"{value_text} children among: {population}"
    elif kind == "survivors_women":
        label = f"{value_text} women among: {population}"
    else:
        label = f"{value_text}: {population}"
    return {
        "headline": kind, "label": label, "value": low, "value_high": high, "qualifier": qualifier,
        "value_text": value_text, "unit": unit, "metric": metric, "baseline": baseline, "as_of": as_of,
        "as_of_precision": precision if as_of else None, "population": population, "source_ids": list(source_ids), "row_ids": list(row_ids),
    }


# --------------------------------------------------------------------------------------
# One breakdown as a series (added for the dashboard's arrests page)


def breakdown_series(
    package: Package, metrics: Iterable[str] | None = None, nationality: str | None = None,
    sex: str | None = None, scope: str = "national",
) -> pl.DataFrame:
    """Return counts by metric, baseline and date for one nationality and/or sex, low and high.

    Exactly `official_series` (baselines never mixed; where sources disagree on a date, the
    lowest and highest figure with the sources behind each), computed over the published
    breakdown rows of one nationality and/or sex instead of the totals; None means "all" (the
    totals). Adds the `nationality` and `sex` the series is for.
    """
    arrests = _table(package, "arrests")
    if arrests.height:
        arrests = arrests.filter(
            pl.col("nationality").eq_missing(pl.lit(nationality, pl.String))
            & pl.col("sex").eq_missing(pl.lit(sex, pl.String))
        ).with_columns(pl.lit(None, pl.String).alias("nationality"), pl.lit(None, pl.String).alias("sex"))
    view = Package(package.descriptor, {**package.tables, "arrests": arrests}, package.directory)
    return official_series(view, metrics, scope).with_columns(
        pl.lit(nationality, pl.String).alias("nationality"), pl.lit(sex, pl.String).alias("sex")
    )


# --------------------------------------------------------------------------------------
# Rows citing each source (added for the dashboard's sources page)

CITING_RESOURCES = ("compounds", "raids", "arrests", "survivors", "timeline")


def rows_per_source(package: Package) -> pl.DataFrame:
    """Return every source with how many rows of each resource cite it, and in all.

    Columns: `source_id`, one `<resource>_rows` per citing resource, `rows` (their sum).
    Sources no row cites have zeros."""
    sources = _table(package, "sources")
    ids = sources["source_id"].to_list() if sources.height else []
    frame = pl.DataFrame({"source_id": ids}, schema={"source_id": pl.String})
    for name in CITING_RESOURCES:
        table = _table(package, name)
        counts = (table.group_by("source_id").agg(pl.len().cast(pl.Int64).alias(f"{name}_rows"))
                  if table.height else pl.DataFrame(schema={"source_id": pl.String, f"{name}_rows": pl.Int64}))
        frame = frame.join(counts, on="source_id", how="left").with_columns(pl.col(f"{name}_rows").fill_null(0))
    return frame.with_columns(
        pl.sum_horizontal([f"{name}_rows" for name in CITING_RESOURCES]).cast(pl.Int64).alias("rows")
    )
