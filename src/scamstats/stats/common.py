"""What every topic's statistics share: fixed-schema frames, table access, the publisher
lookup, folding linked reports into the row they are counted under, national totals, the
groups of metrics, the smallest denominator of a share, how strong a source is, and how
qualifiers combine."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable

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


# What each metric is for the statistics. A tally is a cumulative count an authority announces
# (a national series may be drawn from it); a stock counts people held on one date; cases,
# designations, estimates and study findings are no tallies either.
TALLY_METRICS = (
    "arrested", "detained", "deported", "repatriated", "prosecuted", "convicted", "rescued",
    "released_or_escaped", "sites_raided", "sites_sealed",
)
STOCK_METRICS = ("awaiting_return",)
DETENTION_METRICS = ("detained", "arrested")
RETURN_METRICS = ("deported", "repatriated")

# No share or rate is given for a group smaller than this: its denominator is too small for a
# percentage to mean much (and a share and its total would give a small count back).
MIN_SHARE_DENOMINATOR = 20

# How strong a source is, strongest first (the descriptor's `reliability`).
RELIABILITY_ORDER = ("primary", "attributed", "unattributed")


def share(part: int | None, total: int | None) -> float | None:
    """Return part / total, or None when either is missing or the total is under
    MIN_SHARE_DENOMINATOR."""
    if part is None or total is None or total < MIN_SHARE_DENOMINATOR:
        return None
    return part / total


def reliability_rank(reliability: str | None) -> int:
    """Return how strong a source is: 0 for primary, 1 attributed, 2 unattributed, 3 unknown."""
    return RELIABILITY_ORDER.index(reliability) if reliability in RELIABILITY_ORDER else len(RELIABILITY_ORDER)


def last_day(day: dt.date | None, precision: str | None) -> dt.date | None:
    """Return the last day a date can stand for at its precision (2025-07 month: 31 July 2025)."""
    if day is None or precision not in ("month", "year"):
        return day
    if precision == "year":
        return dt.date(day.year, 12, 31)
    return dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def empty_frame(schema: dict) -> pl.DataFrame:
    """Return a frame with no rows and the given schema."""
    return pl.DataFrame(schema=schema)


def rows_frame(rows: list[dict], schema: dict) -> pl.DataFrame:
    """Return the rows as a frame of the given schema (the empty frame when there are none)."""
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else empty_frame(schema)


def table(package: Package, name: str) -> pl.DataFrame:
    """Return a resource's frame, or an empty frame when the package has no such resource."""
    return package.tables.get(name, pl.DataFrame())


def sources_by_id(package: Package) -> dict[str, dict]:
    """Return each source's row (publisher, title, dates, URL...) by its source_id."""
    frame = table(package, "sources")
    return {row["source_id"]: row for row in frame.iter_rows(named=True)} if frame.height else {}


def with_source_details(package: Package, frame: pl.DataFrame) -> pl.DataFrame:
    """Return the rows of `frame` with their source's `publisher`, `title`, `source_published`
    and `url` beside them (empty where the source is unknown; the columns even with no rows)."""
    sources = table(package, "sources").select(
        "source_id", "publisher", "title", pl.col("published").alias("source_published"), "url")
    if frame.height:
        return frame.join(sources, on="source_id", how="left")
    return frame.with_columns(*[pl.lit(None, dtype).alias(name) for name, dtype in sources.schema.items()
                                if name != "source_id"])


def source_ids_citing(package: Package, resource: str) -> list[str]:
    """Return the source_id of every row of a resource (every report, linked ones too),
    sorted and each once: the sources behind a figure drawn from that resource."""
    frame = table(package, resource)
    return sorted(set(frame["source_id"].drop_nulls().to_list())) if frame.height else []


def first_report(frame: pl.DataFrame, key: str, link: str) -> pl.Expr:
    """The row each row of `frame` is counted under: the one its `link` column names, when that
    row is in the frame, else itself (a frame without the column links nothing)."""
    if link not in frame.columns:
        return pl.col(key)
    known = frame[key].to_list()
    return pl.when(pl.col(link).is_in(known)).then(pl.col(link)).otherwise(pl.col(key))


def with_first_report(frame: pl.DataFrame, key: str, link: str) -> pl.DataFrame:
    """`frame` with `_first`, the row each row is counted under (`first_report`), and
    `_linked`, whether that is another row."""
    first = first_report(frame, key, link)
    return frame.with_columns(first.alias("_first"), (pl.col(key) != first).alias("_linked"))


def reports_listed(reports: pl.DataFrame, key: str, *order: str) -> pl.DataFrame:
    """One row per `_first` of `with_first_report` rows: `source_ids` and `row_ids` of its
    reports (that row's first, then by `order` and `key`), `reports` how many there are."""
    return (
        reports.sort(["_first", "_linked", *order, key])
        .group_by("_first", maintain_order=True)
        .agg(pl.col("source_id").unique(maintain_order=True).alias("source_ids"),
             pl.col(key).alias("row_ids"), pl.len().alias("reports"))
    )


def national_totals(package: Package, metrics: Iterable[str] | None = None) -> pl.DataFrame:
    """Return the arrests rows that are national totals (no nationality, no sex breakdown)."""
    arrests = table(package, "arrests")
    if not arrests.height:
        return arrests
    keep = (pl.col("scope") == "national") & pl.col("nationality").is_null() & pl.col("sex").is_null()
    if metrics is not None:
        keep = keep & pl.col("metric").is_in(list(metrics))
    return arrests.filter(keep)


def combine_qualifiers(qualifiers: Iterable[str | None]) -> str:
    """Return the qualifier of a sum: at_least if any part is a floor, about if any is rough
    (or if ceilings are mixed with other figures), at_most if every part is a ceiling."""
    found = {q or "exact" for q in qualifiers}
    if "at_least" in found:
        return "at_least"
    if "about" in found or ("at_most" in found and len(found) > 1):
        return "about"
    return "at_most" if found == {"at_most"} else "exact"


def difference_qualifier(total: str | None, parts: str | None) -> str:
    """Return the qualifier of a total minus its parts: a floor of a total leaves a floor, a
    floor of the parts leaves a ceiling, anything rough leaves something rough."""
    total, parts = total or "exact", parts or "exact"
    if total == parts == "exact":
        return "exact"
    if {total, parts} <= {"exact", "at_least"} and total != parts:
        return "at_least" if total == "at_least" else "at_most"
    if {total, parts} <= {"exact", "at_most"} and total != parts:
        return "at_most" if total == "at_most" else "at_least"
    return "about"
