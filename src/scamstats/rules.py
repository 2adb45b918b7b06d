"""The checks of the domain rules: each gives, per row of a typed frame, whether the row keeps
the rule (True), with what a rule needs beyond the frame in a `RuleContext`.

Which rule applies to which resource, on which field and with which message, is declared in
`scamstats.schemas`; the checks of quotes are in `scamstats.quotes`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from scamstats.reference import COUNTRY_CODES, EARLIEST_DATE, PROVINCES

# Keys of a series of one metric, as published by one source from one baseline.
SERIES_KEYS = ["source_id", "metric", "period_start", "scope", "nationality", "sex"]
# Keys under which a breakdown (by nationality or sex) belongs to its total.
BREAKDOWN_KEYS = ["source_id", "metric", "as_of", "period_start", "scope"]


@dataclass(frozen=True)
class RuleContext:
    """What rules need beyond one frame: today's date and other tables' keys."""

    today: dt.date
    compound_ids: frozenset[str] = frozenset()


def date_in_range(field: str) -> Callable[[pl.DataFrame, RuleContext], pl.Series]:
    """A rule: the date in `field` is between EARLIEST_DATE and today (empty passes)."""
    def ok(frame: pl.DataFrame, ctx: RuleContext) -> pl.Series:
        column = pl.col(field)
        inside = column.is_between(pl.lit(EARLIEST_DATE), pl.lit(ctx.today))
        return frame.select((column.is_null() | inside).fill_null(True)).to_series()

    return ok


def period_end(field: str, precision: str | None) -> pl.Expr:
    """The last day a date can stand for, given its precision (2025-07 month -> 2025-07-31)."""
    date = pl.col(field)
    if precision is None:
        return date
    return (
        pl.when(pl.col(precision) == "month").then(date.dt.month_end())
        .when(pl.col(precision) == "year").then(date.dt.replace(month=12, day=31))
        .otherwise(date)
    )


def ordered(
    earlier: str, later: str, later_precision: str | None = None
) -> Callable[[pl.DataFrame, RuleContext], pl.Series]:
    """A rule: `earlier` is not after `later` (at `later`'s precision, if it has one)."""
    def ok(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
        latest = period_end(later, later_precision)
        return frame.select((pl.col(earlier) <= latest).fill_null(True)).to_series()

    return ok


def in_bbox(field: str, low: float, high: float) -> Callable[[pl.DataFrame, RuleContext], pl.Series]:
    """A rule: `field` lies between `low` and `high` (empty passes)."""
    def ok(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
        return frame.select(pl.col(field).is_between(low, high).fill_null(True)).to_series()

    return ok


def geo_precision_matches(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
    """Coordinates and geo_precision come together: both or neither."""
    has_coords = pl.col("latitude").is_not_null() & pl.col("longitude").is_not_null()
    no_coords = pl.col("latitude").is_null() & pl.col("longitude").is_null()
    has_precision = pl.col("geo_precision").is_not_null()
    return frame.select((has_coords & has_precision) | (no_coords & ~has_precision)).to_series()


def qualifier_given(count: str) -> Callable[[pl.DataFrame, RuleContext], pl.Series]:
    """A rule: `<count>_qualifier` is given exactly when `count` is."""
    def ok(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
        qualifier = pl.col(f"{count}_qualifier")
        return frame.select(pl.col(count).is_null() == qualifier.is_null()).to_series()

    return ok


def country_code_known(field: str) -> Callable[[pl.DataFrame, RuleContext], pl.Series]:
    """A rule: `field` is empty or an ISO 3166-1 alpha-3 code."""
    def ok(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
        column = pl.col(field)
        return frame.select(column.is_null() | column.is_in(sorted(COUNTRY_CODES))).to_series()

    return ok


def scope_known(frame: pl.DataFrame, ctx: RuleContext) -> pl.Series:
    """scope is 'national', a province code, or a compound_id in compounds."""
    known = ["national", *PROVINCES, *sorted(ctx.compound_ids)]
    return frame.select(pl.col("scope").is_null() | pl.col("scope").is_in(known)).to_series()


def survivor_category_fits(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
    """category fits dimension: 'all' for total, alpha-3 for nationality, female/male for sex,
    'distinct' for nationalities."""
    dimension, category = pl.col("dimension"), pl.col("category")
    fits = (
        pl.when(dimension == "total").then(category == "all")
        .when(dimension == "nationality").then(category.is_in(sorted(COUNTRY_CODES)))
        .when(dimension == "sex").then(category.is_in(["female", "male"]))
        .when(dimension == "age_group").then(category.str.contains(r"^[a-z0-9_]+$"))
        .when(dimension == "nationalities").then(category == "distinct")
        .otherwise(True)
    )
    return frame.select(fits.fill_null(True)).to_series()


IS_TOTAL = pl.col("nationality").is_null() & pl.col("sex").is_null()
IS_NATIONALITY = pl.col("nationality").is_not_null() & pl.col("sex").is_null()


def breakdown_within_total(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
    """A breakdown never exceeds its total (same metric, date, source, baseline and scope)."""
    is_total = frame.select(IS_TOTAL).to_series()
    if is_total.all():
        return is_total  # no breakdowns: nothing to compare with a total
    total = pl.col("value").filter(IS_TOTAL).max().over(BREAKDOWN_KEYS)
    single_ok = IS_TOTAL | total.is_null() | (pl.col("value") <= total)
    return frame.select(single_ok.fill_null(True)).to_series()


def breakdowns_sum_within_total(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
    """Exact nationality breakdowns never sum above an exact (or at-most) total."""
    no_nationality = frame.select(~IS_NATIONALITY).to_series()
    if no_nationality.all():
        return no_nationality  # no nationality breakdowns: no sum to compare with a total
    is_total, is_nationality = IS_TOTAL, IS_NATIONALITY
    exact_total = (
        pl.col("value").filter(is_total & pl.col("qualifier").is_in(["exact", "at_most"]))
        .min().over(BREAKDOWN_KEYS)
    )
    exact_sum = (
        pl.col("value").filter(is_nationality & (pl.col("qualifier") == "exact"))
        .sum().over(BREAKDOWN_KEYS)
    )
    sum_ok = ~is_nationality | exact_total.is_null() | (exact_sum <= exact_total)
    return frame.select(sum_ok.fill_null(True)).to_series()


def cumulative_never_falls(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
    """Within one series (source, metric, baseline, scope, nationality, sex), a count at a
    later as_of is never below the highest count at an earlier as_of."""
    indexed = frame.with_row_index("_row").filter(pl.col("period_start").is_not_null())
    if indexed.is_empty():
        return pl.Series([True] * frame.height, dtype=pl.Boolean)
    per_date = (
        indexed.group_by([*SERIES_KEYS, "as_of"])
        .agg(pl.col("value").max().alias("_date_max"))
        .sort("as_of")
        .with_columns(
            pl.col("_date_max").cum_max().shift(1).over(SERIES_KEYS, order_by="as_of")
            .alias("_earlier_max")
        )
    )
    checked = indexed.join(
        per_date, on=[*SERIES_KEYS, "as_of"], how="left", nulls_equal=True
    ).select("_row", (pl.col("_earlier_max").is_null() | (pl.col("value") >= pl.col("_earlier_max"))).alias("_ok"))
    bad_rows = set(checked.filter(~pl.col("_ok"))["_row"].to_list())
    return pl.Series([i not in bad_rows for i in range(frame.height)], dtype=pl.Boolean)


def _linked_rows(frame: pl.DataFrame, key: str, link: str, *fields: str) -> pl.DataFrame:
    """Each row's `link` and `fields` beside the `fields` (prefixed `_target_`) and the `link`
    (`_target_link`) of the row it points to; nulls when it points nowhere or to no row."""
    targets = frame.select(
        pl.col(key).alias(link),
        *(pl.col(f).alias(f"_target_{f}") for f in fields),
        pl.col(link).alias("_target_link"),
        pl.lit(True).alias("_target_found"),
    ).filter(pl.col(link).is_not_null()).unique(link, keep="first")
    return frame.select(link, *fields).join(targets, on=link, how="left", maintain_order="left")


def link_fits(
    key: str, link: str, *, province: bool = True, days: int | None = 0
) -> Callable[[pl.DataFrame, RuleContext], pl.Series]:
    """A rule: a row whose `link` names another row (by its `key`) fits that row. With
    `province`, both are in one province; with `days`, their dates can be at most that many
    days apart at either row's precision (0: the same day; 2024-03 month fits 2024-03-09).
    Dangling links pass here: the foreign-key check reports them."""
    fields = [*(("date", "date_precision") if days is not None else ()), *(("province_code",) if province else ())]

    def ok(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
        joined = _linked_rows(frame, key, link, *fields)
        fits = pl.lit(True)
        if province:
            fits = fits & (pl.col("province_code") == pl.col("_target_province_code"))
        if days is not None:
            slack = pl.duration(days=days)
            fits = fits & (pl.col("date") <= period_end("_target_date", "_target_date_precision") + slack) & (
                pl.col("_target_date") <= period_end("date", "date_precision") + slack)
        return joined.select((pl.col(link).is_null() | pl.col("_target_found").is_null() | fits)
                             .fill_null(True)).to_series()

    return ok


def not_chained(key: str, link: str) -> Callable[[pl.DataFrame, RuleContext], pl.Series]:
    """The row a linked row points to is itself a first report (its `link` empty)."""
    def ok(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
        joined = _linked_rows(frame, key, link)
        return joined.select((pl.col(link).is_null() | pl.col("_target_link").is_null()).fill_null(True)).to_series()

    return ok


# Another report of an operation: same province, a date that can be the same day.
same_operation_fits = link_fits("raid_id", "same_operation_as")
same_operation_not_chained = not_chained("raid_id", "same_operation_as")
