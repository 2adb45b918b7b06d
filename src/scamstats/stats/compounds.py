"""Named compounds: one row per compound however many sources record it, counted by
province and status, and what became of the compounds that were raided."""

from __future__ import annotations

import datetime as dt

import polars as pl

from scamstats.labels import province_name
from scamstats.package import Package
from scamstats.privacy import suppress_small_cells
from scamstats.reference import COMPOUND_STATUSES, PROVINCES
from scamstats.stats.common import (
    empty_frame,
    last_day,
    reports_listed,
    rows_frame,
    share,
    sources_by_id,
    table,
    with_first_report,
)
from scamstats.stats.raids import raid_reports

# The operations that act on a compound (an inspection leaves it as it was).
OPERATIONS_ON_A_COMPOUND = ("raid", "rescue", "sealing")

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
    compounds = table(package, "compounds")
    if not compounds.height:
        return empty_frame(COMPOUNDS_SCHEMA)
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
        {"province_code": code, "province_name": province_name(code),
         "compounds": compounds.filter(pl.col("province_code") == code).height if compounds.height else 0}
        for code in PROVINCES
    ]
    return rows_frame(rows, COMPOUNDS_PROVINCE_SCHEMA).sort(["compounds", "province_code"], descending=[True, False])


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
    return suppress_small_cells(rows_frame(rows, schema), ["compounds"])


AFTER_RAIDS_SCHEMA = {
    "compound_id": pl.String,
    "name": pl.String,
    "province_code": pl.String,
    "operations": pl.Int64,
    "first_operation": pl.Date,
    "last_operation": pl.Date,
    "last_operation_precision": pl.String,
    "status": pl.String,
    "status_date": pl.Date,
    "status_date_precision": pl.String,
    "status_known_after_raid": pl.Boolean,
    "still_operating": pl.Boolean,
    "later_reports": pl.Int64,
    "status_source_id": pl.String,
    "source_ids": pl.List(pl.String),
}


def compounds_after_raids(package: Package) -> pl.DataFrame:
    """Return each named compound that was raided, rescued from or sealed, with its later status.

    A status after a raid comes only from a record of the compound (a compounds row, linked
    records included) whose source is dated after the compound's last operation, at both
    dates' precision (a source of the raid's own month is not after a raid that month), and
    is not itself a report of an operation on the compound: the raid report is no evidence of
    what became of the compound. `later_reports` counts such records; `status`, `status_date`
    (and its precision) and `status_source_id` are those of the latest of them
    (`status_known_after_raid`), else the compound's own status with no source (not known after
    the raid). `still_operating` is true when the later status is 'operating'. `operations`
    counts each operation once however many reports name the compound; `last_operation` is its
    latest date, at the finest precision a report gives it (`last_operation_precision`: day,
    month or year); `source_ids` lists every report's and record's source.
    """
    compounds = compounds_known(package)
    raids = table(package, "raids")
    if not (compounds.height and raids.height):
        return empty_frame(AFTER_RAIDS_SCHEMA)
    sources = sources_by_id(package)
    records = table(package, "compounds")
    rows = []
    by_compound = raid_reports(package, OPERATIONS_ON_A_COMPOUND).filter(pl.col("compound_id").is_not_null())
    for compound in compounds.iter_rows(named=True):
        operations = by_compound.filter(pl.col("compound_id").is_in(compound["row_ids"]))
        if not operations.height:
            continue
        last = operations["date"].max()
        precisions = set(operations.filter(pl.col("date") == last)["date_precision"].drop_nulls())
        ends = [last_day(d, p) for d, p in zip(operations["date"], operations["date_precision"], strict=True) if d]
        raid_sources = set(operations["source_id"].to_list())
        later = [r for r in records.filter(pl.col("compound_id").is_in(compound["row_ids"])).iter_rows(named=True)
                 if _status_after(r, max(ends) if ends else None, last, raid_sources, sources)]
        latest = max(later, key=lambda r: r["status_date"]) if later else None
        rows.append({
            "compound_id": compound["compound_id"],
            "name": compound["name"],
            "province_code": compound["province_code"],
            "operations": operations["operation_id"].n_unique(),
            "first_operation": operations["date"].min(),
            "last_operation": last,
            "last_operation_precision": next((p for p in ("day", "month", "year") if p in precisions),
                                             "day" if last else None),
            "status": latest["status"] if latest else compound["status"],
            "status_date": latest["status_date"] if latest else compound["status_date"],
            "status_date_precision": (latest or compound)["status_date_precision"],
            "status_known_after_raid": latest is not None,
            "still_operating": latest is not None and latest["status"] == "operating",
            "later_reports": len(later),
            "status_source_id": latest["source_id"] if latest else None,
            "source_ids": sorted({*compound["source_ids"], *operations["source_id"].to_list()}),
        })
    return rows_frame(rows, AFTER_RAIDS_SCHEMA).sort("compound_id")


def _status_after(record: dict, raid_end: dt.date | None, raid: dt.date | None, raid_sources: set[str],
                  sources: dict[str, dict]) -> bool:
    """Whether a compound record tells its status after the raid: a known, dated status from a
    source that is not a report of the raid and is published after the raid's last possible day."""
    source = sources.get(record["source_id"]) or {}
    published = source.get("published")
    if raid_end is None or published is None or record["source_id"] in raid_sources:
        return False
    if record["status"] == "unknown" or record["status_date"] is None:
        return False
    status_end = last_day(record["status_date"], record["status_date_precision"])
    return published > raid_end and status_end >= raid


# What became of a raided compound, in the order a chart lists it: its later status, with
# 'operating' read as still operating and a status not dated after the raid as not known.
OUTCOMES_AFTER_RAIDS = ("still operating", "raided", "sealed", "closed", "relocated", "not known after the raid")

OUTCOMES_SCHEMA = {
    "compound_id": pl.String, "name": pl.String, "province_code": pl.String, "operations": pl.Int64,
    "last_operation": pl.Date, "last_operation_precision": pl.String, "status": pl.String, "status_date": pl.Date,
    "status_date_precision": pl.String, "outcome": pl.String,
}


def compound_outcomes_after_raids(package: Package) -> pl.DataFrame:
    """Return each compound of `compounds_after_raids` with its `outcome` (one of
    `OUTCOMES_AFTER_RAIDS`): 'not known after the raid' unless a source dated after its last
    operation (not a report of it) gives its status, 'still operating' when that status is
    'operating', else the status."""
    frame = compounds_after_raids(package)
    if not frame.height:
        return empty_frame(OUTCOMES_SCHEMA)
    return frame.with_columns(
        pl.when(~pl.col("status_known_after_raid")).then(pl.lit("not known after the raid"))
        .when(pl.col("status") == "operating").then(pl.lit("still operating"))
        .otherwise(pl.col("status")).alias("outcome")
    ).select(list(OUTCOMES_SCHEMA))


def compounds_by_outcome_after_raids(package: Package) -> pl.DataFrame:
    """Return how many raided compounds had each outcome (`compound_outcomes_after_raids`),
    every outcome of `OUTCOMES_AFTER_RAIDS` in its order (zeros included)."""
    outcomes = compound_outcomes_after_raids(package)
    counts = outcomes.group_by("outcome").agg(pl.len().cast(pl.Int64).alias("compounds"))
    return (pl.DataFrame({"outcome": list(OUTCOMES_AFTER_RAIDS)}).join(counts, on="outcome", how="left")
            .fill_null(0).cast({"outcome": pl.String, "compounds": pl.Int64}))


LOCATED_SCHEMA = {
    "compound_id": pl.String, "name": pl.String, "latitude": pl.Float64, "longitude": pl.Float64,
    "geo_precision": pl.String,
}


def located_compounds(package: Package) -> pl.DataFrame:
    """Return every compounds row (each source's record) that gives coordinates, with how
    precisely a source places it (`geo_precision`: exact, town, district or province)."""
    compounds = table(package, "compounds")
    if not compounds.height:
        return empty_frame(LOCATED_SCHEMA)
    located = compounds.filter(pl.col("latitude").is_not_null() & pl.col("longitude").is_not_null())
    return located.select(list(LOCATED_SCHEMA)).cast(LOCATED_SCHEMA)


def share_still_operating_after_raids(package: Package) -> pl.DataFrame:
    """Return one row: compounds raided, those whose later status is known from a source dated
    after the raid (n), those still operating, and the share still operating among the n known
    (null when n is under `common.MIN_SHARE_DENOMINATOR`, 20: no share of so few)."""
    frame = compounds_after_raids(package)
    known = int(frame["status_known_after_raid"].sum()) if frame.height else 0
    operating = int(frame["still_operating"].sum()) if frame.height else 0
    return pl.DataFrame(
        [{"compounds_raided": frame.height, "status_known_after_raid": known,
          "still_operating": operating, "share_still_operating": share(operating, known)}],
        schema={"compounds_raided": pl.Int64, "status_known_after_raid": pl.Int64,
                "still_operating": pl.Int64, "share_still_operating": pl.Float64},
    )

