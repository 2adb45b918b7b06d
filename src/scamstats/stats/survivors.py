"""Survivor aggregates: every published count of survivors by nationality, sex or age, next
to the source's own total and the share it makes; and what of them may be shown or drawn under
the small-cell rule."""

from __future__ import annotations

import polars as pl

from scamstats.labels import survivor_category_label
from scamstats.package import Package
from scamstats.privacy import COMPLEMENT_LABEL, complements_to_hide, suppress_small_cells
from scamstats.reference import SURVIVOR_DIMENSIONS
from scamstats.stats.common import empty_frame, rows_frame, share, sources_by_id, table

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

    The total is the row of dimension 'total' with the same source and population (a subgroup
    of a population is a population of its own, with its own total). `share_of_total` is given
    only for counts of people (not for 'nationalities', a count of countries) and only when the
    total is at least `common.MIN_SHARE_DENOMINATOR` (20): no share of a group that small.
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
        part_share = None
        if total and r["dimension"] not in ("total", "nationalities"):
            part_share = share(r["count"], total["count"])
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
            "share_of_total": part_share,
            "source_id": r["source_id"],
            "published": (sources.get(r["source_id"]) or {}).get("published"),
        })
    return rows_frame(rows, SURVIVORS_SCHEMA)


def suppress_small_survivor_cells(demographics: pl.DataFrame) -> pl.DataFrame:
    """Return `survivor_demographics` rows as a table may show them: `count` and
    `source_total` through the small-cell rule (`privacy.suppress_small_cells`: 1 to 4 read
    "<5", flagged in `count_suppressed` and `source_total_suppressed`); in a breakdown with one
    small cell, its smallest other part too ("not shown", `privacy.complements_to_hide`), since
    the total minus the parts shown would give the small cell back; and `share_of_total` emptied
    where either is hidden, since a share and its total give the count back."""
    complement = complement_hidden(demographics)
    shown = suppress_small_cells(demographics, ["count", "source_total"]).with_columns(
        pl.when(complement).then(pl.lit(COMPLEMENT_LABEL)).otherwise(pl.col("count")).alias("count"),
        (pl.col("count_suppressed") | complement).alias("count_suppressed"))
    hidden = pl.col("count_suppressed") | pl.col("source_total_suppressed")
    return shown.with_columns(pl.when(~hidden).then(pl.col("share_of_total")).alias("share_of_total"))


def complement_hidden(survivors: pl.DataFrame) -> pl.Series:
    """For each row of a survivors frame (`source_id`, `population`, `dimension`, `count`):
    whether it is the part a breakdown hides besides its small cell (`privacy.complements_to_hide`)."""
    hidden = [False] * survivors.height
    if not {"source_id", "population", "dimension"} <= set(survivors.columns):
        return pl.Series("complement_hidden", hidden, dtype=pl.Boolean)  # no breakdown to read
    groups: dict[tuple, list[int]] = {}
    for index, row in enumerate(survivors.select("source_id", "population", "dimension").iter_rows()):
        if row[2] in BREAKDOWN_DIMENSIONS:
            groups.setdefault(row, []).append(index)
    counts = survivors["count"].to_list()
    for members in groups.values():
        for position in complements_to_hide([counts[i] for i in members]):
            hidden[members[position]] = True
    return pl.Series("complement_hidden", hidden, dtype=pl.Boolean)


def suppress_small_survivor_shares(shares: pl.DataFrame) -> pl.DataFrame:
    """Return `share_of_women` rows as a table may show them: the survivor rows' `women` and
    `total` through the small-cell rule (`privacy.suppress_small_cells`: 1 to 4 read "<5",
    flagged in `women_suppressed` and `total_suppressed`), and `share_women` and
    `share_qualifier` emptied where either is hidden, since a share and one of its terms give
    the other back. Official tallies (the arrests rows) stay as published; both columns
    become text."""
    survivor = shares["resource"] == "survivors"
    cells = suppress_small_cells(shares.select("women", "total"), ["women", "total"])
    hidden = survivor & (cells["women_suppressed"] | cells["total_suppressed"])
    columns = []
    for name in ("women", "total"):
        columns += [pl.when(survivor).then(cells[name]).otherwise(pl.col(name).cast(pl.String)).alias(name),
                    (survivor & cells[f"{name}_suppressed"]).alias(f"{name}_suppressed")]
    return shares.with_columns(
        *columns, *[pl.when(~hidden).then(pl.col(name)).alias(name) for name in ("share_women", "share_qualifier")]
    )


def survivor_rows_to_draw(survivors: pl.DataFrame) -> pl.DataFrame:
    """Return the rows of the survivors table a chart may draw: those whose count the
    small-cell rule (`privacy.suppress_small_cells`) leaves as it is (0, or 5 and more), less
    the part a breakdown with one small cell hides besides it (`complement_hidden`)."""
    hidden = suppress_small_cells(survivors.select("count"), ["count"])["count_suppressed"]
    return survivors.filter(~(hidden | complement_hidden(survivors)))


# The dimensions that break a group of people down (a total is none, and 'nationalities'
# counts countries, not people).
BREAKDOWN_DIMENSIONS = tuple(d for d in SURVIVOR_DIMENSIONS if d not in ("total", "nationalities"))

BREAKDOWN_GROUPS_SCHEMA = {
    "source_id": pl.String, "population": pl.String, "dimension": pl.String, "parts": pl.Int64,
    "source_total": pl.Int64,
}


def _breakdown_parts(package: Package) -> pl.DataFrame:
    """The `survivor_demographics` rows that break a group down and have the group's total."""
    frame = survivor_demographics(package)
    return frame.filter(pl.col("dimension").is_in(list(BREAKDOWN_DIMENSIONS)) & pl.col("source_total").is_not_null())


def survivor_breakdown_groups(package: Package, limit: int = 12) -> pl.DataFrame:
    """Return the `limit` largest breakdowns of a survivor group (one per source, population
    and dimension of `BREAKDOWN_DIMENSIONS`, with a published total): the largest total
    first, then by source, population and dimension. `parts` counts its published parts."""
    parts = _breakdown_parts(package)
    if not parts.height:
        return empty_frame(BREAKDOWN_GROUPS_SCHEMA)
    return (
        parts.group_by(["source_id", "population", "dimension"])
        .agg(pl.len().cast(pl.Int64).alias("parts"), pl.col("source_total").first())
        .sort(["source_total", "source_id", "population", "dimension"], descending=[True, False, False, False])
        .head(limit).select(list(BREAKDOWN_GROUPS_SCHEMA))
    )


def survivor_breakdowns(package: Package, limit: int = 12) -> pl.DataFrame:
    """Return the `survivor_demographics` rows of the breakdowns `survivor_breakdown_groups`
    picks (the same `limit`), in the order of `survivor_demographics`."""
    groups = survivor_breakdown_groups(package, limit)
    return _breakdown_parts(package).join(groups.select(["source_id", "population", "dimension"]),
                                          on=["source_id", "population", "dimension"], how="semi")
