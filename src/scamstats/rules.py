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
# What two rows that report one claim give alike (two unlinked rows of different sources giving
# all of it are one claim reported twice).
CLAIM_KEYS = ["metric", "value", "as_of", "scope", "nationality", "sex", "period_start"]
# Metrics a total and its breakdown may be coded with: one count of people arrested worded
# "detained" for some of them.
SAME_PEOPLE = ("arrested", "detained")
# Reports of one claim are dated at most this many days apart (at either row's precision).
SAME_CLAIM_DAYS = 100
# Two figures of one count (same_count_as) are dated at most this many days apart.
SAME_COUNT_DAYS = 31


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


def _with_total(frame: pl.DataFrame) -> pl.DataFrame:
    """Each row's total_id beside the metric, value, qualifier, scope, nationality and sex of the
    row it names (`_total_*`, null when it names none or no row)."""
    fields = ["metric", "value", "qualifier", "scope", "nationality", "sex"]
    return _linked_rows(frame, "observation_id", "total_id", *fields)


def total_id_fits(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
    """A row naming a total (`total_id`) is a breakdown (a nationality or a sex) of it: the total
    is of the same metric (or the other of "arrested" and "detained") and scope, and gives no
    other nationality or sex (none, or the row's own: a sex breakdown of one nationality names
    that nationality's row, a subgroup of one nationality that nationality's total). Dangling
    names pass here: the foreign-key check reports them."""
    if _links_none(frame, "total_id"):
        return pl.Series([True] * frame.height, dtype=pl.Boolean)
    joined = _with_total(frame)
    metric_fits = (pl.col("metric") == pl.col("_target_metric")) | (
        pl.col("metric").is_in(SAME_PEOPLE) & pl.col("_target_metric").is_in(SAME_PEOPLE))
    fits = (
        (pl.col("nationality").is_not_null() | pl.col("sex").is_not_null()) & metric_fits
        & (pl.col("scope") == pl.col("_target_scope"))
        & (pl.col("_target_nationality").is_null() | (pl.col("_target_nationality") == pl.col("nationality")))
        & (pl.col("_target_sex").is_null() | (pl.col("_target_sex") == pl.col("sex")))
    )
    ok = pl.col("total_id").is_null() | pl.col("_target_found").is_null() | fits
    return joined.select(ok.fill_null(True)).to_series()  # a cell that failed its own check passes here


def breakdown_within_total(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
    """A breakdown never exceeds the total its total_id names."""
    if _links_none(frame, "total_id"):
        return pl.Series([True] * frame.height, dtype=pl.Boolean)
    joined = _with_total(frame)
    return joined.select((pl.col("_target_value").is_null() | (pl.col("value") <= pl.col("_target_value")))
                         .fill_null(True)).to_series()


def breakdowns_sum_within_total(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
    """The exact breakdowns of one total along one dimension (nationalities; or sexes) never sum
    above an exact (or at-most) total. A row that repeats a claim (`same_claim_as`) is counted
    once, under the claim's first row."""
    if _links_none(frame, "total_id"):
        return pl.Series([True] * frame.height, dtype=pl.Boolean)
    repeat = frame["same_claim_as"].is_not_null() if "same_claim_as" in frame.columns else [False] * frame.height
    joined = _with_total(frame).with_columns(pl.Series("_repeat", repeat, dtype=pl.Boolean))
    dimension = pl.when(pl.col("sex").is_not_null()).then(pl.lit("sex")).otherwise(pl.lit("nationality"))
    counted = (pl.col("qualifier") == "exact") & ~pl.col("_repeat")
    parts = pl.col("value").filter(counted).sum().over(["total_id", dimension])
    several = counted.sum().over(["total_id", dimension]) > 1  # one part alone is `breakdown_within_total`'s
    capped = pl.col("_target_qualifier").is_in(["exact", "at_most"])
    ok = (pl.col("total_id").is_null() | pl.col("_target_value").is_null() | ~capped | ~several
          | (parts <= pl.col("_target_value")))
    return joined.select(ok.fill_null(True)).to_series()


def survivor_parts_within_total(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
    """A survivor breakdown (sex, nationality, age group) never exceeds the total of the same
    source and population."""
    total = pl.col("count").filter(pl.col("dimension") == "total").max().over(["source_id", "population"])
    part = pl.col("dimension").is_in(["sex", "nationality", "age_group"])
    return frame.select((~part | total.is_null() | (pl.col("count") <= total)).fill_null(True)).to_series()


def survivor_parts_sum_within_total(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
    """The exact survivor breakdowns of one dimension (two or more) never sum above an exact (or
    at-most) total of the same source and population."""
    group = ["source_id", "population"]
    is_total = (pl.col("dimension") == "total") & pl.col("qualifier").is_in(["exact", "at_most"])
    total = pl.col("count").filter(is_total).min().over(group)
    exact = pl.col("qualifier") == "exact"
    parts = pl.col("count").filter(exact).sum().over([*group, "dimension"])
    several = exact.sum().over([*group, "dimension"]) > 1
    part = pl.col("dimension").is_in(["sex", "nationality", "age_group"])
    return frame.select((~part | ~several | total.is_null() | (parts <= total)).fill_null(True)).to_series()


def claim_link_fits(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
    """A row linked by same_claim_as reports the claim of the row it names: the same value, and
    the same scope, nationality and sex where both rows give one ('national' names no province;
    a relay may leave out what the first report says). The metric, qualifier and baseline may
    differ: an outlet's other verb or hedge, or a misprint, is a conflict the statistics list."""
    if _links_none(frame, "same_claim_as"):
        return pl.Series([True] * frame.height, dtype=pl.Boolean)
    joined = _linked_rows(frame, "observation_id", "same_claim_as", "value", "scope", "nationality", "sex")

    def agrees(column: str, vague: object = None) -> pl.Expr:
        mine, theirs = pl.col(column), pl.col(f"_target_{column}")
        if vague is None:
            return mine.is_null() | theirs.is_null() | (mine == theirs)
        return (mine == vague) | (theirs == vague) | mine.eq_missing(theirs)

    fits = (pl.col("value") == pl.col("_target_value")) & agrees("scope", "national") & agrees("nationality") & agrees("sex")
    ok = pl.col("same_claim_as").is_null() | pl.col("_target_found").is_null() | fits
    return joined.select(ok.fill_null(True)).to_series()  # a cell that failed its own check passes here


def claims_unlinked(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
    """No two unlinked rows (no same_claim_as) of different sources give the same metric, value,
    as_of, scope, nationality, sex and baseline: the later is one claim reported twice, to be
    linked to the first by same_claim_as."""
    if "same_claim_as" not in frame.columns:
        return pl.Series([True] * frame.height, dtype=pl.Boolean)
    unlinked = pl.col("same_claim_as").is_null()
    shared = (frame.filter(unlinked).group_by(pl.struct(CLAIM_KEYS).hash().alias("_key"))
              .agg(pl.col("source_id").n_unique().alias("_sources")).filter(pl.col("_sources") > 1))
    if shared.is_empty():  # no key given by two sources: nothing repeated (the usual case, quickly)
        return pl.Series([True] * frame.height, dtype=pl.Boolean)
    first_source = pl.col("source_id").filter(unlinked).first().over(CLAIM_KEYS)
    first_row = pl.col("observation_id").filter(unlinked).first().over(CLAIM_KEYS)
    repeated = unlinked & (pl.col("observation_id") != first_row) & (pl.col("source_id") != first_source)
    return frame.select((~repeated).fill_null(True)).to_series()


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
    named = frame.get_column(link).drop_nulls().unique()
    targets = frame.filter(pl.col(key).is_in(named.implode())).select(
        pl.col(key).alias(link),
        *(pl.col(f).alias(f"_target_{f}") for f in fields),
        pl.col(link).alias("_target_link"),
        pl.lit(True).alias("_target_found"),
    ).filter(pl.col(link).is_not_null()).unique(link, keep="first")
    return frame.select(link, *fields).join(targets, on=link, how="left", maintain_order="left")


def _links_none(frame: pl.DataFrame, link: str) -> bool:
    """Whether no row of `frame` fills `link` (or it has no such column): every link rule holds."""
    return link not in frame.columns or frame.get_column(link).null_count() == frame.height


def link_fits(
    key: str, link: str, *, province: bool = True, days: int | None = 0, date: str = "date"
) -> Callable[[pl.DataFrame, RuleContext], pl.Series]:
    """A rule: a row whose `link` names another row (by its `key`) fits that row. With
    `province`, both are in one province; with `days`, their dates (`date`, with its
    `<date>_precision`, or `date_precision` for `date`) can be at most that many days apart at
    either row's precision (0: the same day; 2024-03 month fits 2024-03-09). Dangling links pass
    here: the foreign-key check reports them."""
    precision = "date_precision" if date == "date" else f"{date}_precision"
    fields = [*((date, precision) if days is not None else ()), *(("province_code",) if province else ())]

    def ok(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
        if _links_none(frame, link):
            return pl.Series([True] * frame.height, dtype=pl.Boolean)
        joined = _linked_rows(frame, key, link, *fields)
        fits = pl.lit(True)
        if province:
            fits = fits & (pl.col("province_code") == pl.col("_target_province_code"))
        if days is not None:
            slack = pl.duration(days=days)
            fits = fits & (pl.col(date) <= period_end(f"_target_{date}", f"_target_{precision}") + slack) & (
                pl.col(f"_target_{date}") <= period_end(date, precision) + slack)
        return joined.select((pl.col(link).is_null() | pl.col("_target_found").is_null() | fits)
                             .fill_null(True)).to_series()

    return ok


def not_chained(key: str, link: str) -> Callable[[pl.DataFrame, RuleContext], pl.Series]:
    """The row a linked row points to is itself a first report (its `link` empty)."""
    def ok(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
        if _links_none(frame, link):
            return pl.Series([True] * frame.height, dtype=pl.Boolean)
        joined = _linked_rows(frame, key, link)
        return joined.select((pl.col(link).is_null() | pl.col("_target_link").is_null()).fill_null(True)).to_series()

    return ok


def same_group_fits(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
    """A survivors row linked by same_group_as counts what the row it names counts: the same
    dimension and category (its number may differ: that is a disagreement, shown as one)."""
    if _links_none(frame, "same_group_as"):
        return pl.Series([True] * frame.height, dtype=pl.Boolean)
    joined = _linked_rows(frame, "group_id", "same_group_as", "dimension", "category")
    fits = (pl.col("dimension") == pl.col("_target_dimension")) & (pl.col("category") == pl.col("_target_category"))
    return joined.select((pl.col("same_group_as").is_null() | pl.col("_target_found").is_null() | fits)
                         .fill_null(True)).to_series()


def count_link_fits(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
    """A row linked by same_count_as counts what the row it names counts, as another source:
    the same people (the same metric, or the other of "arrested" and "detained"), scope,
    nationality and sex, and another source_id (two numbers of one source are a range, not a
    disagreement). Dangling links pass here: the foreign-key check reports them."""
    if _links_none(frame, "same_count_as"):
        return pl.Series([True] * frame.height, dtype=pl.Boolean)
    joined = _linked_rows(frame, "observation_id", "same_count_as", "metric", "scope", "nationality", "sex",
                          "source_id")
    metric_fits = (pl.col("metric") == pl.col("_target_metric")) | (
        pl.col("metric").is_in(SAME_PEOPLE) & pl.col("_target_metric").is_in(SAME_PEOPLE))
    fits = (metric_fits & (pl.col("scope") == pl.col("_target_scope"))
            & pl.col("nationality").eq_missing(pl.col("_target_nationality"))
            & pl.col("sex").eq_missing(pl.col("_target_sex")) & (pl.col("source_id") != pl.col("_target_source_id")))
    ok = pl.col("same_count_as").is_null() | pl.col("_target_found").is_null() | fits
    return joined.select(ok.fill_null(True)).to_series()  # a cell that failed its own check passes here


def count_link_differs(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
    """A row linked by same_count_as gives another value than the row it names: the same value
    is one figure relayed, linked by same_claim_as."""
    if _links_none(frame, "same_count_as"):
        return pl.Series([True] * frame.height, dtype=pl.Boolean)
    joined = _linked_rows(frame, "observation_id", "same_count_as", "value")
    ok = pl.col("same_count_as").is_null() | pl.col("_target_found").is_null() | (pl.col("value") != pl.col("_target_value"))
    return joined.select(ok.fill_null(True)).to_series()


def count_link_to_first_report(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
    """The row a same_count_as names is the first report of its figure: it links to nothing
    (neither same_count_as nor same_claim_as)."""
    if _links_none(frame, "same_count_as"):
        return pl.Series([True] * frame.height, dtype=pl.Boolean)
    relays = "same_claim_as" in frame.columns
    joined = _linked_rows(frame, "observation_id", "same_count_as", *(["same_claim_as"] if relays else []))
    first = pl.col("_target_link").is_null() & (pl.col("_target_same_claim_as").is_null() if relays else pl.lit(True))
    return joined.select((pl.col("same_count_as").is_null() | pl.col("_target_found").is_null() | first)
                         .fill_null(True)).to_series()


# Another report of an operation: same province, a date that can be the same day.
same_operation_fits = link_fits("raid_id", "same_operation_as")
same_operation_not_chained = not_chained("raid_id", "same_operation_as")
# Another report of a claim: dated within SAME_CLAIM_DAYS of the first, not itself linked on.
same_claim_date_fits = link_fits("observation_id", "same_claim_as", province=False, days=SAME_CLAIM_DAYS, date="as_of")
same_claim_not_chained = not_chained("observation_id", "same_claim_as")
# Another figure of one count: dated within SAME_COUNT_DAYS of the first.
same_count_date_fits = link_fits("observation_id", "same_count_as", province=False, days=SAME_COUNT_DAYS, date="as_of")
