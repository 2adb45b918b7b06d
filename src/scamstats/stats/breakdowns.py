"""Breakdowns of the arrests table by nationality and sex, each next to the total it names
(`total_id`, never a key two totals could share), and the share of women among those counted."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from scamstats.labels import OTHER_NATIONALITIES_NAME, baseline_label, country_name
from scamstats.package import Package
from scamstats.reference import PERSON_METRICS
from scamstats.stats.claims import claims
from scamstats.stats.common import (
    DETENTION_METRICS,
    combine_qualifiers,
    difference_qualifier,
    empty_frame,
    rows_frame,
    share,
)
from scamstats.stats.survivors import survivor_demographics

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
    "total_id": pl.String,
    "total_value": pl.Int64,
    "total_qualifier": pl.String,
    "share_of_total": pl.Float64,
    "subset": pl.String,
    "source_id": pl.String,
    "observation_id": pl.String,
    "source_ids": pl.List(pl.String),
    "row_ids": pl.List(pl.String),
    "reports": pl.Int64,
    "origins": pl.List(pl.String),
}


def _breakdowns(package: Package, metrics: Iterable[str], column: str) -> pl.DataFrame:
    """Breakdown claims (non-null `column`, the other breakdown column empty), each counted once,
    next to the claim of the total its `total_id` names (none when the total is not a row)."""
    every = claims(package)
    if not every.height:
        return empty_frame(BREAKDOWN_SCHEMA)
    totals = {row["observation_id"]: row for row in every.iter_rows(named=True)}
    other = "sex" if column == "nationality" else "nationality"
    parts = every.filter(pl.col("metric").is_in(list(metrics)) & pl.col(column).is_not_null() & pl.col(other).is_null())
    rows = []
    for row in parts.iter_rows(named=True):
        total = totals.get(row["total_id"]) if row["total_id"] else None
        rows.append({
            "metric": row["metric"],
            "baseline": row["period_start"],
            "baseline_label": baseline_label(row["period_start"]),
            "as_of": row["as_of"],
            "as_of_precision": row["as_of_precision"],
            "scope": row["scope"],
            "nationality": row[column],
            "nationality_name": country_name(row["nationality"]) if column == "nationality" else row["sex"],
            "value": row["value"],
            "qualifier": row["qualifier"],
            "total_id": total["observation_id"] if total else None,
            "total_value": total["value"] if total else None,
            "total_qualifier": total["qualifier"] if total else None,
            "share_of_total": share(row["value"], total["value"]) if total else None,
            "subset": row["subset"] or (total["subset"] if total else None),
            "source_id": row["source_id"],
            "observation_id": row["observation_id"],
            "source_ids": row["source_ids"],
            "row_ids": row["row_ids"],
            "reports": row["reports"],
            "origins": row["origins"],
        })
    return rows_frame(rows, BREAKDOWN_SCHEMA).sort(["as_of", "metric", "value"], descending=[False, False, True])


def detentions_by_nationality(
    package: Package, metrics: Iterable[str] = DETENTION_METRICS
) -> pl.DataFrame:
    """Return every published nationality breakdown of detentions/arrests, over time.

    One row per claim (a figure several pages relay counts once; `source_ids`, `row_ids`,
    `reports` and `origins` say who carries it), with the total it names (`total_id`, the
    claim of the row the breakdown's `total_id` points to) and its share of that total.
    `share_of_total` is empty when the total is unknown or smaller than
    `common.MIN_SHARE_DENOMINATOR` (20): no share of a group that small. `subset` says what
    part of enforcement the count or its total covers, when only a part.
    """
    return _breakdowns(package, metrics, "nationality")


def latest_nationality_breakdown(
    package: Package, metrics: Iterable[str] = DETENTION_METRICS, scope: str = "national"
) -> pl.DataFrame:
    """Return the most recent published breakdown by nationality of one total (one date).

    The latest date with a breakdown of the given scope that is no subset; the breakdown of one
    total (`total_id`; a breakdown naming no total is grouped by source, metric and baseline);
    if several totals were broken down that date, the one with the most nationalities (then the
    first total id). When the total is known, a row with nationality "OTHER" holds the part the
    source did not break down (its qualifier that of a difference, its share empty under 20).
    """
    frame = detentions_by_nationality(package, metrics).filter((pl.col("scope") == scope) & pl.col("subset").is_null())
    if not frame.height:
        return frame
    latest = frame.filter(pl.col("as_of") == pl.col("as_of").max()).with_columns(
        pl.coalesce("total_id", pl.concat_str([pl.col("source_id"), pl.col("metric"), pl.col("baseline").cast(pl.String)],
                                              separator="|", ignore_nulls=True)).alias("_group"))
    sizes = latest.group_by("_group").len().sort(["len", "_group"], descending=[True, False])
    chosen = latest.filter(pl.col("_group") == sizes["_group"][0]).drop("_group").sort("value", descending=True)
    first = chosen.row(0, named=True)
    if first["total_value"] is not None:
        rest = first["total_value"] - chosen["value"].sum()
        if rest > 0:
            qualifier = difference_qualifier(first["total_qualifier"], combine_qualifiers(chosen["qualifier"]))
            other = dict(first, nationality="OTHER", nationality_name=OTHER_NATIONALITIES_NAME, value=rest,
                         qualifier=qualifier, share_of_total=share(rest, first["total_value"]), observation_id=None,
                         row_ids=[], reports=0, origins=[], source_ids=[first["source_id"]])
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


def most_reported(frame: pl.DataFrame, limit: int, order: list[str]) -> pl.DataFrame:
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
    arrested (`detentions_by_nationality`, of one scope, each claim once): most figures first,
    then the largest figure, then by code. `figures` counts the figures, `largest_value` is the
    largest."""
    frame = detentions_by_nationality(package).filter(pl.col("scope") == scope)
    return most_reported(frame, limit, ["figures", "largest_value", "nationality"])


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

    From arrests (claims with sex 'female' and no nationality, next to the total their
    `total_id` names) and survivors (category 'female' and the same population's total). A
    floor over an exact total is a floor share ('at_least'); a rough part gives a rough share.
    `share_women` (and its qualifier) is empty when the total is smaller than
    `common.MIN_SHARE_DENOMINATOR` (20): no share of a group that small.
    """
    rows = []
    for row in _breakdowns(package, PERSON_METRICS, "sex").filter(pl.col("nationality") == "female").iter_rows(named=True):
        rows.append({
            "resource": "arrests", "metric": row["metric"], "population": None,
            "baseline": row["baseline"], "as_of": row["as_of"], "as_of_precision": row["as_of_precision"],
            "women": row["value"], "women_qualifier": row["qualifier"],
            "total": row["total_value"], "total_qualifier": row["total_qualifier"],
            "share_women": row["share_of_total"],
            "share_qualifier": _share_qualifier(row["qualifier"], row["total_qualifier"], row["share_of_total"]),
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
            "share_qualifier": _share_qualifier(row["qualifier"], row["source_total_qualifier"], row["share_of_total"]),
            "source_id": row["source_id"],
        })
    return rows_frame(rows, SHARE_SCHEMA).sort("as_of", nulls_last=True)


def _share_qualifier(part: str | None, total: str | None, value: float | None) -> str | None:
    if total is None or value is None:
        return None
    if part == "exact" and total == "exact":
        return "exact"
    if part == "at_least" and total in ("exact", "at_most"):
        return "at_least"
    if part == "at_most" and total in ("exact", "at_least"):
        return "at_most"
    return "about"
