"""Published findings that the package's rows cannot recount, set beside what the rows show:
a study's share of the compounds it identified still operating after police raids (Amnesty
International's "more than two-thirds"; its list of compounds is not public). The share is a
row of `arrests` (metric `sites_operating_after_raids_pct`, whole per cent, quoted), the count
of compounds its study identified the `sites_identified` row of the same origin and date."""

from __future__ import annotations

import re

import polars as pl

from scamstats.labels import QUALIFIER_WORDS
from scamstats.package import Package
from scamstats.stats.common import empty_frame, table

SHARE_AFTER_RAIDS = "sites_operating_after_raids_pct"

PUBLISHED_SHARE_SCHEMA = {
    "publisher": pl.String,  # whose finding it is (the row's origin)
    "reported_by": pl.String,  # the publisher of the page it was read in
    "source_id": pl.String,
    "observation_id": pl.String,
    "published": pl.Date,
    "statement": pl.String,
    "share": pl.Float64,
    "share_words": pl.String,
    "qualifier": pl.String,
    "of_what": pl.String,
    "of_count": pl.Int64,
    "of_qualifier": pl.String,
}

# A share as the quote words it: a hedge and a fraction in words.
SHARE_WORDS = re.compile(r"\b(?:(?:more than|over|at least|nearly|almost|about|around|some)\s+)?"
                         r"(?:half|(?:a|one|two)[ -]thirds?|(?:a|one|three)[ -]quarters?)\b", re.IGNORECASE)


def share_words(quote: str, percent: int, qualifier: str) -> str:
    """The share as the quote words it ("more than two-thirds"), else in per cent ("at least 67%")."""
    found = SHARE_WORDS.search(quote or "")
    if found:
        return found.group(0).lower()
    hedge = "" if qualifier == "exact" else f"{QUALIFIER_WORDS[qualifier]} "
    return f"{hedge}{percent}%"


def published_after_raids(package: Package) -> pl.DataFrame:
    """Return the published shares of compounds still operating after raids, one row per
    `sites_operating_after_raids_pct` row: `share` (a fraction; a floor when `qualifier` is
    'at_least'), as the quote words it, of `of_count` compounds (the study's `sites_identified`
    row of the same origin and date, if any), with the quote and who published and relayed it."""
    arrests = table(package, "arrests")
    if not arrests.height:
        return empty_frame(PUBLISHED_SHARE_SCHEMA)
    shares = arrests.filter(pl.col("metric") == SHARE_AFTER_RAIDS)
    identified = arrests.filter(pl.col("metric") == "sites_identified")
    sources = table(package, "sources")
    publishers = dict(zip(sources["source_id"], sources["publisher"], strict=True)) if sources.height else {}
    rows = []
    for row in shares.sort(["as_of", "observation_id"]).iter_rows(named=True):
        study = identified.filter(pl.col("origin").eq_missing(row["origin"]) & (pl.col("as_of") == row["as_of"]))
        base = study.sort("observation_id").row(0, named=True) if study.height else None
        rows.append({
            "publisher": row["origin"] or publishers.get(row["source_id"]),
            "reported_by": publishers.get(row["source_id"]),
            "source_id": row["source_id"],
            "observation_id": row["observation_id"],
            "published": row["as_of"],
            "statement": row["quote"],
            "share": row["value"] / 100,
            "share_words": share_words(row["quote"], row["value"], row["qualifier"]),
            "qualifier": row["qualifier"],
            "of_what": "compounds it identified",
            "of_count": base["value"] if base else None,
            "of_qualifier": base["qualifier"] if base else None,
        })
    return pl.DataFrame(rows, schema=PUBLISHED_SHARE_SCHEMA, orient="row") if rows \
        else empty_frame(PUBLISHED_SHARE_SCHEMA)
