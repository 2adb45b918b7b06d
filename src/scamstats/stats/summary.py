"""Statistics that cross topics: the headline numbers (the crackdown's latest tallies among
them, and survivor figures under the small-cell rule), each table's coverage in rows and
dates, and how many rows cite each source."""

from __future__ import annotations

import datetime as dt

import polars as pl

from scamstats.labels import format_count_range, headline_label
from scamstats.package import Package
from scamstats.privacy import SMALL_CELL_LABEL, suppress_small_cells
from scamstats.reference import METRIC_UNITS
from scamstats.stats.arrests import official_series
from scamstats.stats.common import TIME_COLUMN, national_totals, rows_frame, sources_by_id, table
from scamstats.stats.survivors import survivor_demographics

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
        unit = METRIC_UNITS[metric]
        if baseline is None:
            picks = [("latest_no_baseline", group.row(-1, named=True))]
        else:
            picks = [("official_first", group.row(0, named=True)), ("official_latest", group.row(-1, named=True))]
        for kind, r in picks:
            rows.append(_headline(kind, metric, r["value_low"], r["value_high"], r["qualifier_low"], unit,
                                  baseline, (r["as_of"], r["as_of_precision"]), None, r["source_ids"],
                                  r["observation_ids"]))
    sources = sources_by_id(package)
    for r in survivor_demographics(package).iter_rows(named=True):
        kind = SURVIVOR_HEADLINES.get((r["dimension"], None)) or SURVIVOR_HEADLINES.get((r["dimension"], r["category"]))
        if kind is None:
            continue
        unit = "nationalities" if r["dimension"] == "nationalities" else "persons"
        # A study's period end is a day; otherwise the figure dates from its source's publication.
        when = ((r["period_end"], "day") if r["period_end"]
                else (r["published"], (sources.get(r["source_id"]) or {}).get("published_precision", "day")))
        rows.append(_headline(kind, None, r["count"], r["count"], r["qualifier"], unit, r["period_start"],
                              when, r["population"], [r["source_id"]], [r["group_id"]]))
    return rows_frame(rows, HEADLINE_SCHEMA)


def _headline(kind, metric, low, high, qualifier, unit, baseline, dated, population, source_ids, row_ids) -> dict:
    as_of, precision = dated
    value_text = format_count_range(low, high, qualifier)
    return {
        "headline": kind, "label": headline_label(kind, value_text, metric, baseline, as_of, precision, population), "value": low, "value_high": high, "qualifier": qualifier,
        "value_text": value_text, "unit": unit, "metric": metric, "baseline": baseline, "as_of": as_of,
        "as_of_precision": precision if as_of else None, "population": population, "source_ids": list(source_ids), "row_ids": list(row_ids),
    }


FINDING_HEADLINES = ("study_sites", "survivors_total")


def headline_findings(package: Package, limit: int = 24) -> pl.DataFrame:
    """Return the `headline_numbers` of studies and survivor groups as published (kinds
    `study_sites` and `survivors_total`): survivor totals first, then study findings, each
    kind smallest first; at most `limit` rows, the last ones (the smallest survivor totals
    are the first left out)."""
    frame = headline_numbers(package).filter(pl.col("headline").is_in(list(FINDING_HEADLINES)))
    return frame.sort(["headline", "value"], descending=[True, False]).tail(limit)


# The official baselines of the 2025-26 crackdown (codebook, "Baselines of the official series"),
# and the tallies of people announced from each.
CRACKDOWN_BASELINES = (dt.date(2025, 6, 27), dt.date(2025, 7, 14), dt.date(2026, 1, 1))
CRACKDOWN_METRICS = ("arrested", "detained", "deported")


def latest_crackdown_tallies(headlines: pl.DataFrame) -> pl.DataFrame:
    """Return the `headline_numbers` rows that are the latest official tally of people
    arrested, detained or deported from a baseline of the 2025-26 crackdown, by baseline then
    metric (each from its own baseline: never to be added)."""
    return headlines.filter(
        (pl.col("headline") == "official_latest") & pl.col("metric").is_in(list(CRACKDOWN_METRICS))
        & pl.col("baseline").is_in(CRACKDOWN_BASELINES)
    ).sort(["baseline", "metric"])


SURVIVOR_HEADLINE_KINDS = tuple(SURVIVOR_HEADLINES.values())


def suppress_small_survivor_headlines(headlines: pl.DataFrame) -> pl.DataFrame:
    """Return `headline_numbers` as a table may show them: survivor figures through the
    small-cell rule (`privacy.suppress_small_cells`), so that a survivor count of 1 to 4 reads
    "<5" in `value`, `value_high`, `value_text` and `label`, flagged in `value_suppressed`.

    `value` and `value_high` become text (the numbers of other headlines written as they are).
    """
    survivor = headlines["headline"].is_in(SURVIVOR_HEADLINE_KINDS)
    cells = suppress_small_cells(headlines.select("value", "value_high"), ["value", "value_high"])
    hidden = survivor & cells["value_suppressed"]
    words = [
        headline_label(r["headline"], SMALL_CELL_LABEL, r["metric"], r["baseline"], r["as_of"],
                       r["as_of_precision"], r["population"]) if small else r["label"]
        for r, small in zip(headlines.iter_rows(named=True), hidden, strict=True)
    ]
    return headlines.with_columns(
        pl.Series("label", words, dtype=pl.String),
        *[pl.when(survivor).then(cells[name]).otherwise(pl.col(name).cast(pl.String)).alias(name)
          for name in ("value", "value_high")],
        pl.when(hidden).then(pl.lit(SMALL_CELL_LABEL)).otherwise(pl.col("value_text")).alias("value_text"),
        hidden.alias("value_suppressed"),
    )


# --------------------------------------------------------------------------------------
# Rows citing each source (added for the dashboard's sources page)

CITING_RESOURCES = ("compounds", "raids", "arrests", "survivors", "timeline")


def rows_per_source(package: Package) -> pl.DataFrame:
    """Return every source with how many rows of each resource cite it, and in all.

    Columns: `source_id`, one `<resource>_rows` per citing resource, `rows` (their sum).
    Sources no row cites have zeros."""
    sources = table(package, "sources")
    ids = sources["source_id"].to_list() if sources.height else []
    frame = pl.DataFrame({"source_id": ids}, schema={"source_id": pl.String})
    for name in CITING_RESOURCES:
        citing = table(package, name)
        counts = (citing.group_by("source_id").agg(pl.len().cast(pl.Int64).alias(f"{name}_rows"))
                  if citing.height else pl.DataFrame(schema={"source_id": pl.String, f"{name}_rows": pl.Int64}))
        frame = frame.join(counts, on="source_id", how="left").with_columns(pl.col(f"{name}_rows").fill_null(0))
    return frame.with_columns(
        pl.sum_horizontal([f"{name}_rows" for name in CITING_RESOURCES]).cast(pl.Int64).alias("rows")
    )
