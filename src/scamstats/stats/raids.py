"""Enforcement operations from the raids table: one row per operation however many sources
report it, counted per month, per province and per province and year."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from scamstats.labels import province_name, province_names
from scamstats.package import Package
from scamstats.privacy import suppress_small_cells
from scamstats.reference import PROVINCES
from scamstats.stats.common import empty_frame, table

RAIDS_MONTH_SCHEMA = {
    "month": pl.Date,
    "operations": pl.Int64,
    "persons_detained": pl.Int64,
    "persons_detained_qualifier": pl.String,
    "operations_with_detained_count": pl.Int64,
    "persons_rescued": pl.Int64,
    "persons_rescued_qualifier": pl.String,
    "operations_with_rescued_count": pl.Int64,
}


def sum_qualifier(count: str) -> pl.Expr:
    """The qualifier of the sum of `count` over a group (`common.combine_qualifiers` as an
    expression): at_least if a figure summed is a floor, about if one is rough, at_most if all
    are ceilings, exact otherwise; empty when no figure is summed."""
    qualifier = pl.col(f"{count}_qualifier").filter(pl.col(count).is_not_null()).fill_null("exact")
    return (
        pl.when(qualifier.len() == 0).then(pl.lit(None, pl.String))
        .when((qualifier == "at_least").any()).then(pl.lit("at_least"))
        .when((qualifier == "about").any() | ((qualifier == "at_most").any() & (qualifier != "at_most").any()))
        .then(pl.lit("about"))
        .when((qualifier == "at_most").all()).then(pl.lit("at_most"))
        .otherwise(pl.lit("exact"))
        .alias(f"{count}_qualifier")
    )


def raid_reports(package: Package, event_types: Iterable[str] | None) -> pl.DataFrame:
    """The raids rows (every report) of the given event types, with `operation_id`: the raid_id
    of the row each report is counted under (its `same_operation_as`, else its own raid_id).
    A report of a whole whose parts are reported (rows whose `part_of` names it) is left out:
    its parts stand for it, so that its total is not added to theirs."""
    raids = table(package, "raids")
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
    if not table(package, "raids").height:
        return table(package, "raids")
    raids = raid_reports(package, event_types)
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
    people are floors: operations without a published count add nothing. A sum that adds an
    "at least" or "about" figure is itself "at least" or "about" (`persons_*_qualifier`, empty
    when no operation of the month gives a count).
    """
    raids = raid_operations(package, event_types)
    if not raids.height:
        return empty_frame(RAIDS_MONTH_SCHEMA)
    dated = raids.filter(pl.col("date_precision").is_in(["day", "month"]) & pl.col("date").is_not_null())
    if not dated.height:
        return empty_frame(RAIDS_MONTH_SCHEMA)
    counts = dated.with_columns(pl.col("date").dt.month_start().alias("month")).group_by("month").agg(
        pl.len().cast(pl.Int64).alias("operations"),
        pl.col("persons_detained").sum().cast(pl.Int64), sum_qualifier("persons_detained"),
        pl.col("persons_detained").is_not_null().sum().cast(pl.Int64).alias("operations_with_detained_count"),
        pl.col("persons_rescued").sum().cast(pl.Int64), sum_qualifier("persons_rescued"),
        pl.col("persons_rescued").is_not_null().sum().cast(pl.Int64).alias("operations_with_rescued_count"),
    )
    months = pl.date_range(counts["month"].min(), counts["month"].max(), "1mo", eager=True).alias("month")
    return (
        pl.DataFrame({"month": months}).join(counts, on="month", how="left")
        .with_columns(pl.exclude("month", "persons_detained_qualifier", "persons_rescued_qualifier").fill_null(0))
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
    "persons_detained_qualifier": pl.String,
    "persons_rescued": pl.Int64,
    "persons_rescued_qualifier": pl.String,
}



def raids_by_province(package: Package, event_types: Iterable[str] | None = None) -> pl.DataFrame:
    """Return operations per province, all 25 provinces (zeros included), most first.

    Each operation counts once, its people from its first report, and a sum with an "at least"
    or "about" figure in it says so in its qualifier (see `raids_per_month`)."""
    provinces = pl.DataFrame({"province_code": list(PROVINCES), "province_name": [province_name(c) for c in PROVINCES]})
    raids = raid_operations(package, event_types)
    if raids.height:
        counts = raids.group_by("province_code").agg(
            pl.len().cast(pl.Int64).alias("operations"),
            pl.col("persons_detained").sum().cast(pl.Int64), sum_qualifier("persons_detained"),
            pl.col("persons_rescued").sum().cast(pl.Int64), sum_qualifier("persons_rescued"),
        )
        provinces = provinces.join(counts, on="province_code", how="left")
    else:
        provinces = provinces.with_columns(*[pl.lit(None, dtype).alias(name) for name, dtype in RAIDS_PROVINCE_SCHEMA.items()
                                             if name not in provinces.columns])
    return (
        provinces.with_columns(pl.col("operations", "persons_detained", "persons_rescued").fill_null(0))
        .select(list(RAIDS_PROVINCE_SCHEMA)).cast(RAIDS_PROVINCE_SCHEMA)
        .sort(["operations", "province_code"], descending=[True, False])
    )


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
        return suppress_small_cells(empty_frame(schema), ["operations"])
    crosstab = (
        raids.filter(pl.col("date").is_not_null())
        .group_by(["province_code", pl.col("date").dt.year().cast(pl.Int64).alias("year")])
        .agg(pl.len().cast(pl.Int64).alias("operations"))
        .with_columns(province_names(pl.col("province_code")).alias("province_name"))
        .select(list(schema)).sort(["province_code", "year"])
    )
    return suppress_small_cells(crosstab, ["operations"])

