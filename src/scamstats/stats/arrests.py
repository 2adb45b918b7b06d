"""Official figures from the arrests table: cumulative series by metric and baseline, the
breakdowns by nationality and sex (with the share of women), and the counts of people
deported or repatriated."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

import polars as pl

from scamstats.labels import OTHER_NATIONALITIES_NAME, baseline_label, country_name
from scamstats.package import Package
from scamstats.reference import DATE_PRECISIONS, PERSON_METRICS
from scamstats.stats.common import combine_qualifiers, empty_frame, rows_frame, table
from scamstats.stats.survivors import survivor_demographics

DETENTION_METRICS = ("detained", "arrested")
RETURN_METRICS = ("deported", "repatriated")

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
    arrests = table(package, "arrests")
    if not arrests.height:
        return empty_frame(OFFICIAL_SERIES_SCHEMA)
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
        precisions = sorted({m["as_of_precision"] for m in members}, key=DATE_PRECISIONS.index)
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
    return rows_frame(rows, OFFICIAL_SERIES_SCHEMA).sort(
        ["metric", "baseline", "as_of"], nulls_last=True
    )


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

    Exactly `official_series` (baselines never mixed; where sources disagree on a date, the
    lowest and highest figure with the sources behind each), computed over the published
    breakdown rows of one nationality and/or sex instead of the totals; None means "all" (the
    totals). Adds the `nationality` and `sex` the series is for.
    """
    arrests = table(package, "arrests")
    if arrests.height:
        # The breakdown's rows stand in for the totals, so `official_series` reads them.
        package = package.with_tables(arrests=arrests.filter(
            pl.col("nationality").eq_missing(pl.lit(nationality, pl.String))
            & pl.col("sex").eq_missing(pl.lit(sex, pl.String))
        ).with_columns(pl.lit(None, pl.String).alias("nationality"), pl.lit(None, pl.String).alias("sex")))
    return official_series(package, metrics, scope).with_columns(
        pl.lit(nationality, pl.String).alias("nationality"), pl.lit(sex, pl.String).alias("sex")
    )


FIGURES_PER_NATIONALITY_SCHEMA = {"nationality": pl.String, "figures": pl.Int64}


def figures_per_nationality(package: Package) -> pl.DataFrame:
    """Return each nationality that published figures are broken down by, with how many
    arrests rows give one (`figures`): most first, then by code (the order a picker lists them)."""
    arrests = table(package, "arrests")
    if not arrests.height:
        return empty_frame(FIGURES_PER_NATIONALITY_SCHEMA)
    return (
        arrests.filter(pl.col("nationality").is_not_null())
        .group_by("nationality").agg(pl.len().cast(pl.Int64).alias("figures"))
        .sort(["figures", "nationality"], descending=[True, False])
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
    arrests = table(package, "arrests")
    if not arrests.height:
        return empty_frame(BREAKDOWN_SCHEMA)
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
    return rows_frame(rows, BREAKDOWN_SCHEMA).sort(["as_of", "metric", "value"], descending=[False, False, True])


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
            other = dict(first, nationality="OTHER", nationality_name=OTHER_NATIONALITIES_NAME,
                         value=rest, qualifier=combine_qualifiers(chosen["qualifier"]),
                         share_of_total=rest / first["total_value"], observation_id=None)
            chosen = pl.concat([chosen, pl.DataFrame([other], schema=BREAKDOWN_SCHEMA, orient="row")])
    return chosen


def breakdown_parts_exceed_total(breakdown: pl.DataFrame) -> bool:
    """Return True when the published parts of a `latest_nationality_breakdown` (every
    nationality but "OTHER") add up to more than the total they break down."""
    if not breakdown.height or breakdown["total_value"][0] is None:
        return False
    return breakdown.filter(pl.col("nationality") != "OTHER")["value"].sum() > breakdown["total_value"][0]


MOST_REPORTED_SCHEMA = {
    "nationality": pl.String, "nationality_name": pl.String, "figures": pl.Int64, "largest_value": pl.Int64,
}


def _most_reported(frame: pl.DataFrame, limit: int, order: list[str]) -> pl.DataFrame:
    """The `limit` nationalities of a breakdown frame with the most figures, ranked by `order`."""
    if not frame.height:
        return empty_frame(MOST_REPORTED_SCHEMA)
    ranked = frame.group_by("nationality").agg(
        pl.col("nationality_name").first(), pl.len().cast(pl.Int64).alias("figures"),
        pl.col("value").max().cast(pl.Int64).alias("largest_value"),
    )
    descending = [column != "nationality" for column in order]
    return ranked.sort(order, descending=descending).head(limit).select(list(MOST_REPORTED_SCHEMA))


def detention_nationalities_most_reported(
    package: Package, limit: int = 6, scope: str = "national"
) -> pl.DataFrame:
    """Return the `limit` nationalities with the most published figures of people detained or
    arrested (`detentions_by_nationality`, of one scope): most figures first, then the largest
    figure, then by code. `figures` counts the figures, `largest_value` is the largest."""
    frame = detentions_by_nationality(package).filter(pl.col("scope") == scope)
    return _most_reported(frame, limit, ["figures", "largest_value", "nationality"])


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
    return rows_frame(rows, SHARE_SCHEMA).sort("as_of", nulls_last=True)


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
    arrests = table(package, "arrests")
    if not arrests.height:
        return empty_frame(RETURNS_SCHEMA)
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
    return rows_frame(rows, RETURNS_SCHEMA).sort(["as_of", "metric", "nationality"])


def return_nationalities_most_reported(package: Package, limit: int = 6) -> pl.DataFrame:
    """Return the `limit` nationalities with the most published counts of people deported or
    repatriated (`returns_by_nationality`, counts above zero; "ALL" is not a nationality): most
    counts first, then by code. `figures` counts them, `largest_value` is the largest."""
    frame = returns_by_nationality(package).filter((pl.col("value") > 0) & (pl.col("nationality") != "ALL"))
    return _most_reported(frame, limit, ["figures", "nationality"])
