"""Survivor aggregates: every published count of survivors by nationality, sex or age, next
to the source's own total and the share it makes."""

from __future__ import annotations

import polars as pl

from scamstats.labels import survivor_category_label
from scamstats.package import Package
from scamstats.stats.common import empty_frame, rows_frame, sources_by_id, table

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


def survivor_demographics(package: Package) -> pl.DataFrame:
    """Return every published survivor aggregate next to the source's own total.

    The total is the row of dimension 'total' with the same source and population; the share
    is computed only for counts of people (not for 'nationalities', a count of countries).
    """
    survivors = table(package, "survivors")
    if not survivors.height:
        return empty_frame(SURVIVORS_SCHEMA)
    sources = sources_by_id(package)
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
            "category_label": survivor_category_label(r["dimension"], r["category"]),
            "count": r["count"],
            "qualifier": r["qualifier"],
            "source_total": total["count"] if total else None,
            "source_total_qualifier": total["qualifier"] if total else None,
            "share_of_total": share,
            "source_id": r["source_id"],
            "published": (sources.get(r["source_id"]) or {}).get("published"),
        })
    return rows_frame(rows, SURVIVORS_SCHEMA)

