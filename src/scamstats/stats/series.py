"""Official cumulative series from the arrests table: one announced tally is one series
whatever verb an outlet used, each claim counted once, baselines never mixed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

import polars as pl

from scamstats.labels import baseline_label
from scamstats.package import Package
from scamstats.reference import DATE_PRECISIONS
from scamstats.stats.claims import sources_disagree, tally_claims
from scamstats.stats.common import combine_qualifiers, empty_frame, rows_frame

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
    "claim_ids": pl.List(pl.String),
    "claims": pl.Int64,
    "reports": pl.Int64,
    "origins": pl.List(pl.String),
}


def _series(claims: pl.DataFrame) -> pl.DataFrame:
    """The claims grouped by (metric, baseline, as_of): lowest and highest value and who says each.
    Claims with no stated baseline whose sources give its month (`baseline_month`: "over the
    past seven months") are grouped by that month too: counts from different starts are no
    disagreement (as in `conflicts`)."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in claims.iter_rows(named=True):
        groups[(row["metric"], row["period_start"], row["as_of"], row["baseline_month"])].append(row)
    rows = []
    for (metric, baseline, as_of, _), members in groups.items():
        low = min(m["value"] for m in members)
        high = max(m["value"] for m in members)
        at_low = [m for m in members if m["value"] == low]
        at_high = [m for m in members if m["value"] == high]
        precisions = sorted({m["as_of_precision"] for m in members}, key=DATE_PRECISIONS.index)
        rows.append({
            "metric": metric,
            "baseline": baseline,
            "baseline_label": baseline_label(baseline),
            "as_of": as_of,
            "as_of_precision": precisions[-1],  # the coarsest, to be safe
            "value_low": low,
            "qualifier_low": combine_qualifiers(m["qualifier"] for m in at_low),
            "sources_low": sorted({s for m in at_low for s in m["source_ids"]}),
            "value_high": high,
            "qualifier_high": combine_qualifiers(m["qualifier"] for m in at_high),
            "sources_high": sorted({s for m in at_high for s in m["source_ids"]}),
            "sources_disagree": sources_disagree(members),
            "source_ids": sorted({s for m in members for s in m["source_ids"]}),
            "observation_ids": sorted(r for m in members for r in m["row_ids"]),
            "claim_ids": sorted(m["observation_id"] for m in members),
            "claims": len(members),
            "reports": sum(m["reports"] for m in members),
            "origins": sorted({o for m in members for o in m["origins"]}),
        })
    if not rows:
        return empty_frame(OFFICIAL_SERIES_SCHEMA)
    return rows_frame(rows, OFFICIAL_SERIES_SCHEMA).sort(["metric", "baseline", "as_of"], nulls_last=True)


def official_series(
    package: Package, metrics: Iterable[str] | None = None, scope: str = "national"
) -> pl.DataFrame:
    """Return cumulative tallies by metric, baseline and date: low and high value with sources.

    One row per (metric, baseline, as_of) for the tally claims (`claims.tally_claims`: no
    subset, no count tied to a raid, no stock, case count, designation or estimate) of the
    given scope with no nationality or sex breakdown. Each claim counts once, under its first
    report's metric, baseline and date, so that one announced tally is one series whatever verb
    an outlet used and a misprinted baseline is no series of its own. Baselines are never
    mixed: `baseline` is the `period_start` the claim states, null when it states none (its own
    series). Where several claims give a figure for the same date, `value_low`/`value_high` are
    the lowest and highest, with the sources behind each (`sources_disagree` when they differ).
    `observation_ids` lists every report behind the row, `claim_ids` the claims, `claims` and
    `reports` count them and `origins` names their independent origins.
    """
    frame = tally_claims(package, metrics).filter(
        (pl.col("scope") == scope) & pl.col("nationality").is_null() & pl.col("sex").is_null())
    return _series(frame)


def official_series_with_baseline(
    package: Package, metrics: Iterable[str] | None = None, since: dt.date | None = None
) -> pl.DataFrame:
    """Return the `official_series` rows whose sources state a baseline (those that can be drawn
    as a line), only baselines on or after `since` when it is given."""
    series = official_series(package, metrics).filter(pl.col("baseline").is_not_null())
    return series.filter(pl.col("baseline") >= since) if since is not None else series


def baselines(package: Package, metrics: Iterable[str] | None = None) -> pl.DataFrame:
    """Return each (metric, baseline) series with its number of dates and its date span."""
    series = official_series(package, metrics)
    return series.group_by(["metric", "baseline", "baseline_label"], maintain_order=True).agg(
        pl.len().cast(pl.Int64).alias("dates"),
        pl.col("as_of").min().alias("first_as_of"),
        pl.col("as_of").max().alias("last_as_of"),
    )


def breakdown_series(
    package: Package, metrics: Iterable[str] | None = None, nationality: str | None = None,
    sex: str | None = None, scope: str = "national",
) -> pl.DataFrame:
    """Return counts by metric, baseline and date for one nationality and/or sex, low and high.

    Exactly `official_series` (tally claims only, each once; baselines never mixed; where
    claims disagree on a date, the lowest and highest figure with the sources behind each),
    computed over the published breakdowns of one nationality and/or sex instead of the
    totals; None means "all" (the totals). Adds the `nationality` and `sex` the series is for.
    """
    frame = tally_claims(package, metrics).filter(
        (pl.col("scope") == scope) & pl.col("nationality").eq_missing(pl.lit(nationality, pl.String))
        & pl.col("sex").eq_missing(pl.lit(sex, pl.String)))
    return _series(frame).with_columns(
        pl.lit(nationality, pl.String).alias("nationality"), pl.lit(sex, pl.String).alias("sex")
    )
