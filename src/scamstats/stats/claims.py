"""Claims: each announced figure of the arrests table counted once however many pages relay it.

A figure announced once is often relayed by several pages. Each page is an arrests row (a
*report*); `same_claim_as` links every later report to the row that first reports the *claim*.
A claim is that row and every row pointing to it: statistics count it once, with the first
row's metric, value, qualifier, baseline, date and scope (an outlet's other verb, hedge,
misprinted baseline or later date does not make another figure), and say how many reports
carry it and from how many independent origins.

Two claims can also be two numbers for one *count*: another source's different figure for what
a claim counts (AP's 2,137 detained and PTS's 2,270 arrested in the same three weeks).
`same_count_as` links the later figure's first report to the other's; the claims stay two (each
number keeps its sources), but the later is counted under the other's metric, baseline and date
(`count_id` names the claim it is counted with), so that statistics show the two as one figure,
a range from the lower to the higher, and never add them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

import polars as pl

from scamstats.package import Package
from scamstats.reference import DATE_PRECISIONS
from scamstats.stats.common import (
    RELIABILITY_ORDER,
    TALLY_METRICS,
    empty_frame,
    reliability_rank,
    table,
    with_first_report,
)

ARRESTS_COLUMNS = {
    "observation_id": pl.String, "metric": pl.String, "value": pl.Int64, "qualifier": pl.String,
    "period_start": pl.Date, "as_of": pl.Date, "as_of_precision": pl.String, "scope": pl.String,
    "nationality": pl.String, "sex": pl.String, "raid_id": pl.String, "source_id": pl.String,
    "quote": pl.String, "note": pl.String, "same_claim_as": pl.String, "origin": pl.String,
    "total_id": pl.String, "subset": pl.String, "same_count_as": pl.String,
}

# What a claim carries besides its first row: every report's source and row, how many reports
# there are, the independent origins behind them, the strongest source among them, when they
# were published, and the month a baseline stated only to the month falls in.
CLAIM_COLUMNS = {
    "source_ids": pl.List(pl.String), "row_ids": pl.List(pl.String), "reports": pl.Int64,
    "origins": pl.List(pl.String), "reliability": pl.String, "first_published": pl.Date,
    "last_published": pl.Date, "baseline_month": pl.Date, "count_id": pl.String,
}
# What a claim counted with another (`same_count_as`) takes from that claim: what is counted,
# from when, until when, where, of whom.
COUNT_KEY = ["metric", "period_start", "baseline_month", "as_of", "as_of_precision", "scope", "nationality", "sex",
             "raid_id", "subset"]
CLAIMS_SCHEMA = {**ARRESTS_COLUMNS, **CLAIM_COLUMNS}


def arrests_rows(package: Package) -> pl.DataFrame:
    """Return the arrests table with every column of ARRESTS_COLUMNS (a column a package does
    not have is empty), typed."""
    arrests = table(package, "arrests")
    if not arrests.height:
        return empty_frame(ARRESTS_COLUMNS)
    missing = [pl.lit(None, dtype).alias(name) for name, dtype in ARRESTS_COLUMNS.items() if name not in arrests.columns]
    return arrests.with_columns(missing).select(list(ARRESTS_COLUMNS)).cast(ARRESTS_COLUMNS)


def claims(package: Package) -> pl.DataFrame:
    """Return one row per claim of the arrests table, in the table's order.

    Each row is the claim's first report (its observation_id is the claim's id; its metric,
    value, qualifier, period_start, as_of and scope are the claim's), with `source_ids` and
    `row_ids` of every report (the first report's first), `reports` (how many rows carry it),
    `origins` (the distinct origins behind it, a report without an `origin` counting its
    source's publisher; "N reports from K independent origins" is `reports` and the length of
    `origins`), `reliability` (the strongest source among its reports: primary, attributed,
    unattributed), `first_published`/`last_published` (its reports' sources) and
    `baseline_month` (for a count without `period_start`, the first day of the month the note
    says it runs from: "since 2025-06", "since June 2025", "over the past seven months").
    `total_id` is the claim of the total a breakdown breaks down: the claim of the row its (or,
    when the first report names none, a later report's) `total_id` names. `count_id` is the
    claim a claim is counted with: the claim a report of it names in `same_count_as` (another
    source's different number for the same count), else itself; a claim counted with another
    gives that claim's metric, baseline (and `baseline_month`), date, scope, nationality, sex,
    raid and subset (`COUNT_KEY`), and keeps its own value, qualifier and reports.
    """
    arrests = arrests_rows(package)
    if not arrests.height:
        return empty_frame(CLAIMS_SCHEMA)
    sources = table(package, "sources")
    details = (sources.select("source_id", "publisher", "reliability", "published") if sources.height
               else empty_frame({"source_id": pl.String, "publisher": pl.String, "reliability": pl.String,
                                 "published": pl.Date}))
    ranks = {name: index for index, name in enumerate(RELIABILITY_ORDER)}
    reports = (
        with_first_report(arrests, "observation_id", "same_claim_as").with_row_index("_order")
        .join(details, on="source_id", how="left")
        .with_columns(pl.coalesce("origin", "publisher").alias("_origin"),
                      pl.col("reliability").replace_strict(ranks, default=len(ranks), return_dtype=pl.Int64).alias("_rank"))
    )
    listed = (
        reports.sort(["_first", "_linked", "as_of", "_order"], nulls_last=True)
        .group_by("_first", maintain_order=True)
        .agg(pl.col("source_id").unique(maintain_order=True).alias("source_ids"),
             pl.col("observation_id").alias("row_ids"), pl.len().cast(pl.Int64).alias("reports"),
             pl.col("_origin").drop_nulls().unique(maintain_order=True).alias("origins"),
             pl.col("_rank").min().alias("_rank"), pl.col("published").min().alias("first_published"),
             pl.col("published").max().alias("last_published"),
             pl.col("total_id").drop_nulls().first().alias("_any_total"))
    )
    claim_of = dict(zip(reports["observation_id"], reports["_first"], strict=True))
    names = dict(enumerate(RELIABILITY_ORDER))
    frame = (
        reports.filter(~pl.col("_linked")).select(*ARRESTS_COLUMNS, "_order")
        .join(listed, left_on="observation_id", right_on="_first", how="left")
        .with_columns(
            pl.coalesce("total_id", "_any_total").replace_strict(claim_of, default=None, return_dtype=pl.String)
            .alias("total_id"),
            pl.col("_rank").replace_strict(names, default=None, return_dtype=pl.String).alias("reliability"),
        )
        .sort("_order")
    )
    months = [stated_baseline_month(r["note"], r["as_of"], r["as_of_precision"]) if r["period_start"] is None else None
              for r in frame.select("period_start", "note", "as_of", "as_of_precision").iter_rows(named=True)]
    frame = frame.with_columns(pl.Series("baseline_month", months, dtype=pl.Date))
    return _with_counts(frame, reports, claim_of).select(list(CLAIMS_SCHEMA)).cast(CLAIMS_SCHEMA)


def _with_counts(frame: pl.DataFrame, reports: pl.DataFrame, claim_of: dict[str, str]) -> pl.DataFrame:
    """The claims with `count_id` (the claim each is counted with, followed to the first) and,
    for a claim counted with another, that claim's COUNT_KEY. A link to a row the package
    does not hold (a filtered view) links nothing."""
    links: dict[str, str] = {}
    linked = reports.filter(pl.col("same_count_as").is_not_null()).sort("_order")
    for row_id, target in linked.select("observation_id", "same_count_as").iter_rows():
        claim, other = claim_of[row_id], claim_of.get(target)
        if other is not None and other != claim:
            links.setdefault(claim, other)

    def first(claim: str) -> str:
        seen = {claim}
        while links.get(claim) is not None and links[claim] not in seen:  # no chains, but never loop
            claim = links[claim]
            seen.add(claim)
        return claim

    frame = frame.with_columns(pl.Series("count_id", [first(c) for c in frame["observation_id"]], dtype=pl.String))
    if not links:
        return frame
    keys = frame.select(pl.col("observation_id").alias("count_id"), *[pl.col(c).alias(f"_count_{c}") for c in COUNT_KEY])
    return frame.join(keys, on="count_id", how="left", maintain_order="left").with_columns(
        [pl.col(f"_count_{c}").alias(c) for c in COUNT_KEY]).drop([f"_count_{c}" for c in COUNT_KEY])


def sources_disagree(members: list[dict]) -> bool:
    """Whether two of some claims give different values from sources with none in common: two
    values of one source ("about 190" and "nearly 200" in one story) are a range, not a
    disagreement (`conflicts`, and the series' bars)."""
    return any(a["value"] != b["value"] and not set(a["source_ids"]) & set(b["source_ids"])
               for a in members for b in members)


def tally_claims(package: Package, metrics: Iterable[str] | None = None) -> pl.DataFrame:
    """Return the `claims` that may be part of a cumulative series: tallies (`TALLY_METRICS`,
    only those of `metrics` when given) that are neither a subset (`subset` empty) nor tied to
    one raid (`raid_id` empty). Stocks, cases, designations, estimates and study findings are
    no tallies."""
    wanted = [m for m in TALLY_METRICS if metrics is None or m in set(metrics)]
    return claims(package).filter(pl.col("metric").is_in(wanted) & pl.col("subset").is_null()
                                  & pl.col("raid_id").is_null())


def one_figure(members: list[dict]) -> dict:
    """Return claims (`claims` rows) of one date as one figure: the lowest value (`value`, with its
    qualifier) and the highest (`value_high`), the coarsest date precision, and every source,
    report row, origin and the strongest reliability behind them (`reports` sums the reports)."""
    low = min(members, key=lambda m: m["value"])
    high = max(members, key=lambda m: m["value"])
    precisions = sorted({m["as_of_precision"] for m in members}, key=DATE_PRECISIONS.index)
    return {
        "metric": low["metric"], "value": low["value"], "value_high": high["value"], "qualifier": low["qualifier"],
        "baseline": low["period_start"], "as_of": low["as_of"], "as_of_precision": precisions[-1], "claims": len(members),
        "source_ids": list(dict.fromkeys(s for m in members for s in m["source_ids"])),
        "row_ids": [r for m in members for r in m["row_ids"]], "reports": sum(m["reports"] for m in members),
        "origins": list(dict.fromkeys(o for m in members for o in m["origins"])),
        "reliability": min((m["reliability"] for m in members), key=reliability_rank),
    }


def latest_from_strongest(members: list[dict]) -> dict:
    """Return the latest of some claims from the strongest sources among them (primary, then
    attributed, then unattributed), as `one_figure` of those on that date: what a headline
    calls a series' latest. A claim of those comes with the other numbers of its count
    (`count_id`), whatever their sources: a disagreement is shown, not settled by the stronger
    source."""
    def count(m: dict) -> str | None:
        return m.get("count_id") or m.get("observation_id")

    strongest = min(reliability_rank(m["reliability"]) for m in members)
    counts = {count(m) for m in members if reliability_rank(m["reliability"]) == strongest}
    candidates = [m for m in members if count(m) in counts]
    latest = max(m["as_of"] for m in candidates)
    return one_figure([m for m in candidates if m["as_of"] == latest])


MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
          "october", "november", "december")
SMALL_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}


def stated_baseline_month(note: str | None, as_of: dt.date | None, precision: str | None = "day") -> dt.date | None:
    """Return the first day of the month a note says a count runs from, when the baseline is
    known only to the month: "since 2025-06", "since June 2025", "(over the) past seven
    months" (counted back from `as_of`); None when the note says none of these."""
    text = (note or "").lower()
    found = re.search(r"since (\d{4})-(\d{2})\b", text)
    if found:
        return dt.date(int(found.group(1)), int(found.group(2)), 1)
    found = re.search(r"since (" + "|".join(MONTHS) + r") (\d{4})\b", text)
    if found:
        return dt.date(int(found.group(2)), MONTHS.index(found.group(1)) + 1, 1)
    found = re.search(r"\b(?:past|last) (\d{1,2}|" + "|".join(SMALL_NUMBERS) + r") months\b", text)
    if found and as_of is not None:
        months = int(found.group(1)) if found.group(1).isdigit() else SMALL_NUMBERS[found.group(1)]
        index = as_of.year * 12 + as_of.month - 1 - months
        return dt.date(index // 12, index % 12 + 1, 1)
    return None
