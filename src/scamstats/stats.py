"""Statistics: pure functions over validated polars frames. No I/O, no plotting."""

from __future__ import annotations

import polars as pl

from scamstats.package import Package

# The date column that places each resource's rows in time.
TIME_COLUMN = {
    "sources": "published",
    "compounds": "first_reported",
    "raids": "date",
    "arrests": "as_of",
    "survivors": "period_end",
    "timeline": "date",
}


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
