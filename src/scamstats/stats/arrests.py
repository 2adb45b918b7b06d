"""Counts of the arrests table by nationality: how many published figures each nationality
has, and the counts of people deported or repatriated. Each claim is counted once however
many pages relay it (`claims`); the official series are in `series`, the breakdowns by
nationality and sex in `breakdowns`."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from scamstats.labels import baseline_label, country_name
from scamstats.package import Package
from scamstats.stats.breakdowns import most_reported
from scamstats.stats.claims import claims
from scamstats.stats.common import RETURN_METRICS, empty_frame, rows_frame

FIGURES_PER_NATIONALITY_SCHEMA = {"nationality": pl.String, "figures": pl.Int64}


def figures_per_nationality(package: Package) -> pl.DataFrame:
    """Return each nationality that published figures are broken down by, with how many
    claims give one (`figures`, a figure several pages relay counting once): most first, then
    by code (the order a picker lists them)."""
    every = claims(package)
    if not every.height:
        return empty_frame(FIGURES_PER_NATIONALITY_SCHEMA)
    return (
        every.filter(pl.col("nationality").is_not_null())
        .group_by("nationality").agg(pl.len().cast(pl.Int64).alias("figures"))
        .sort(["figures", "nationality"], descending=[True, False])
        .cast(FIGURES_PER_NATIONALITY_SCHEMA)
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
    "subset": pl.String,
    "source_id": pl.String,
    "observation_id": pl.String,
    "source_ids": pl.List(pl.String),
    "row_ids": pl.List(pl.String),
    "reports": pl.Int64,
    "origins": pl.List(pl.String),
}


def returns_by_nationality(package: Package, metrics: Iterable[str] = RETURN_METRICS) -> pl.DataFrame:
    """Return every published count of people deported or repatriated, by nationality and date.

    One row per claim (a count several pages relay counts once, under its first report's
    metric, value, baseline and date; `source_ids`, `row_ids`, `reports` and `origins` say who
    carries it). `nationality` "ALL" marks a count over all nationalities; `subset` says when a
    count covers one flight, handover or batch. Counts with different baselines or no baseline
    are separate figures: sum nothing across them.
    """
    every = claims(package)
    if not every.height:
        return empty_frame(RETURNS_SCHEMA)
    frame = every.filter(pl.col("metric").is_in(list(metrics)) & pl.col("sex").is_null())
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
        "subset": r["subset"],
        "source_id": r["source_id"],
        "observation_id": r["observation_id"],
        "source_ids": r["source_ids"],
        "row_ids": r["row_ids"],
        "reports": r["reports"],
        "origins": r["origins"],
    } for r in frame.iter_rows(named=True)]
    return rows_frame(rows, RETURNS_SCHEMA).sort(["as_of", "metric", "nationality"])


def return_nationalities_most_reported(package: Package, limit: int = 6) -> pl.DataFrame:
    """Return the `limit` nationalities with the most published counts of people deported or
    repatriated (`returns_by_nationality`, counts above zero; "ALL" is not a nationality): most
    counts first, then by code. `figures` counts them, `largest_value` is the largest."""
    frame = returns_by_nationality(package).filter((pl.col("value") > 0) & (pl.col("nationality") != "ALL"))
    return most_reported(frame, limit, ["figures", "nationality"])
