"""Published findings that the package's rows cannot recount, set beside what the rows show:
Amnesty International's share of compounds still operating after police raids (its list of
compounds is not public, so no row holds it)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from scamstats.package import Package
from scamstats.stats.common import empty_frame, table

PUBLISHED_SHARE_SCHEMA = {
    "publisher": pl.String,
    "source_id": pl.String,
    "published": pl.Date,
    "statement": pl.String,
    "share": pl.Float64,
    "qualifier": pl.String,
    "of_what": pl.String,
    "of_count": pl.Int64,
    "of_qualifier": pl.String,
}

# As Digital Journal's copy of 26 June 2025 words Amnesty's finding (the report's own date).
AFTER_RAIDS_FINDINGS = (
    {"publisher": "Amnesty International", "source_id": "amnesty-20250626-report",
     "published": dt.date(2025, 6, 26),
     "statement": "More than two-thirds of the scamming compounds identified continue to operate after police raids.",
     "share": 2 / 3, "qualifier": "at_least", "of_what": "compounds it identified",
     "of_count": 53, "of_qualifier": "at_least"},
)


def published_after_raids(package: Package) -> pl.DataFrame:
    """Return the published shares of compounds still operating after raids (`share`, a floor
    when `qualifier` is 'at_least', of `of_count` compounds), for the sources in this package."""
    sources = table(package, "sources")
    known = set(sources["source_id"]) if sources.height else set()
    rows = [row for row in AFTER_RAIDS_FINDINGS if row["source_id"] in known]
    return pl.DataFrame(rows, schema=PUBLISHED_SHARE_SCHEMA, orient="row") if rows \
        else empty_frame(PUBLISHED_SHARE_SCHEMA)
