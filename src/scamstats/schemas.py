"""Domain rules: one pandera schema per resource (polars backend), plus cross-table context.

Each rule is declared once as a `DomainRule`: the field it reports on, a check id, a polars
expression that is true for a good row, and the message for a bad one. `domain_schema` turns
a resource's rules into a `pandera.polars.DataFrameSchema`. The spec layer (types, required,
enums, keys) lives in `validate.py`; these rules run on frames already cast to their types.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from scamstats.reference import BBOX, COUNTRY_CODES, EARLIEST_DATE, PROVINCES

if TYPE_CHECKING:
    import pandera.polars as pa

QUOTE_MAX_WORDS = 30

# Keys of a series of one metric, as published by one source from one baseline.
SERIES_KEYS = ["source_id", "metric", "period_start", "scope", "nationality", "sex"]
# Keys under which a breakdown (by nationality or sex) belongs to its total.
BREAKDOWN_KEYS = ["source_id", "metric", "as_of", "period_start", "scope"]

DATE_FIELDS = {
    "sources": ["published"],
    "compounds": ["first_reported", "status_date"],
    "raids": ["date"],
    "arrests": ["period_start", "as_of"],
    "survivors": ["period_start", "period_end"],
    "timeline": ["date"],
}
# The count fields whose number the quote must contain.
COUNT_FIELDS = {
    "raids": ["persons_detained", "persons_rescued"],
    "arrests": ["value"],
    "survivors": ["count"],
}

NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100,
    "dozen": 12, "a dozen": 12, "two dozen": 24, "a thousand": 1000,
}
SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# Small numerals in other languages the sources use (Vietnamese, Indonesian/Malay, Tagalog, Chinese).
OTHER_NUMBER_WORDS = {
    "một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10,
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7, "delapan": 8,
    "sembilan": 9, "sepuluh": 10,
    # Tagalog, with the linker -ng where it joins a noun ("dalawang Pilipino")
    "dalawa": 2, "dalawang": 2, "tatlo": 3, "tatlong": 3, "apat": 4, "limang": 5, "anim": 6,
    "pito": 7, "pitong": 7, "walo": 8, "walong": 8, "siyam": 9, "sampu": 10, "sampung": 10,
}
CJK_SCALES = {"千": 1_000, "萬": 10_000, "万": 10_000, "億": 100_000_000, "亿": 100_000_000}
THAI_SCALES = {"พัน": 1_000, "หมื่น": 10_000, "แสน": 100_000, "ล้าน": 1_000_000}
CJK_NUMERALS = {"一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}

# Thousands separators between digit groups: 1,234 / 1.234 / 1 234 (no-break or thin space).
# The group ends at a non-digit, not a word boundary: "11,240名" has no boundary before 名.
THOUSANDS = r"(\d)[,.\u00a0\u202f](\d{3})(\D|$)"


@dataclass(frozen=True)
class RuleContext:
    """What rules need beyond one frame: today's date and other tables' keys."""

    today: dt.date
    compound_ids: frozenset[str] = frozenset()


@dataclass(frozen=True)
class DomainRule:
    """A rule on one resource, reported on `field` as `check`."""

    field: str
    check: str
    ok: Callable[[pl.DataFrame, RuleContext], pl.Series]
    message: Callable[[dict], str]


def numbers_in_text(text: str) -> set[int]:
    """Return every whole number a quote states, in digits or in English words."""
    lowered = text.lower()
    found: set[int] = set()
    normalised = re.sub(THOUSANDS, r"\1\2\3", re.sub(THOUSANDS, r"\1\2\3", lowered))
    for match in re.finditer(r"(\d+(?:[.,]\d+)?)\s*(thousand|million|billion)\b", normalised):
        found.add(round(float(match.group(1).replace(",", ".")) * SCALES[match.group(2)]))
    found.update(int(d) for d in re.findall(r"\d+", normalised))
    # Some languages (Russian, French) group thousands with a plain space: "13 500".
    spaced = re.sub(r"\b(\d{1,3})(?: (\d{3}))+\b", lambda m: m.group(0).replace(" ", ""), normalised)
    found.update(int(d) for d in re.findall(r"\d+", spaced))
    words = r"\b(" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")\b"
    for match in re.finditer(words + r"(?:[\s-]+(thousand|million))?", lowered):
        value = NUMBER_WORDS[match.group(1)]
        found.add(value * SCALES[match.group(2)] if match.group(2) else value)
    for match in re.finditer(r"(\d+(?:\.\d+)?)\s*([萬万千億亿])", normalised):
        found.add(round(float(match.group(1)) * CJK_SCALES[match.group(2)]))
    for match in re.finditer(r"(\d+(?:\.\d+)?)\s*(พัน|หมื่น|แสน|ล้าน)", normalised):  # Thai: "2 พันกว่าคน"
        found.add(round(float(match.group(1)) * THAI_SCALES[match.group(2)]))
    others = r"\b(" + "|".join(OTHER_NUMBER_WORDS) + r")\b"
    found.update(OTHER_NUMBER_WORDS[m.group(1)] for m in re.finditer(others, lowered))
    found.update(value for char, value in CJK_NUMERALS.items() if char in text)
    for match in re.finditer(r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-"
                             r"(one|two|three|four|five|six|seven|eight|nine)\b", lowered):
        found.add(NUMBER_WORDS[match.group(1)] + NUMBER_WORDS[match.group(2)])
    # "one hundred ninety", "two hundred and thirty-three", "three hundred"
    units = "one|two|three|four|five|six|seven|eight|nine"
    rest = r"(?:\s+and)?\s+([a-z]+(?:-(?:" + units + r"))?)"
    for match in re.finditer(r"\b(" + units + r")\s+hundred(?:" + rest + r")?\b", lowered):
        value = NUMBER_WORDS[match.group(1)] * 100
        tens, _, unit = (match.group(2) or "").partition("-")
        if tens in NUMBER_WORDS and NUMBER_WORDS[tens] < 100 and (not unit or NUMBER_WORDS[tens] % 10 == 0):
            value += NUMBER_WORDS[tens] + (NUMBER_WORDS[unit] if unit else 0)
        found.add(value)
    return found


def quote_contains(frame: pl.DataFrame, count_field: str) -> pl.Series:
    """Return, per row, whether the quote states the row's count (null counts pass).

    Worked out once per distinct (quote, count) pair: a breakdown's rows share its quote."""
    keyed = frame.select(pl.col("quote").hash().alias("_quote_hash"), "quote", count_field)
    pairs = keyed.unique(["_quote_hash", count_field])
    if pairs.height == frame.height:
        return quote_contains_each(frame, count_field)
    checked = pairs.select(
        "_quote_hash", count_field, quote_contains_each(pairs, count_field).alias("_ok")
    )
    if checked["_ok"].null_count() == 0 and checked["_ok"].all():
        return pl.repeat(True, frame.height, eager=True).alias("_ok")  # every row's pair passed
    return keyed.select("_quote_hash", count_field).join(
        checked, on=["_quote_hash", count_field], how="left", nulls_equal=True, maintain_order="left"
    )["_ok"]


def quote_contains_each(frame: pl.DataFrame, count_field: str) -> pl.Series:
    """Return, per row, whether the quote states the row's count (null counts pass)."""
    digits = (
        pl.col("quote")
        .str.replace_all(THOUSANDS, "${1}${2}${3}")
        .str.replace_all(THOUSANDS, "${1}${2}${3}")
        .str.extract_all(r"\d+")
        .list.contains(pl.col(count_field).cast(pl.String))
    )
    fast = frame.select(
        (pl.col(count_field).is_null() | pl.col("quote").is_null() | digits).fill_null(False)
    ).to_series()
    if fast.all():
        return fast
    # Words and scales ("nine children", "1.2 million") only for the rows digits missed.
    slow = frame.select("quote", count_field).to_dicts()
    return pl.Series(
        [
            passed or row[count_field] in numbers_in_text(row["quote"])
            for passed, row in zip(fast.to_list(), slow, strict=True)
        ],
        dtype=pl.Boolean,
    )


def quote_words_ok(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
    """Return, per row, whether the quote has at most QUOTE_MAX_WORDS words."""
    # Fewer spaces than QUOTE_MAX_WORDS means at most that many words: count words only if
    # some quote has more spaces (counting spaces is three times faster than splitting).
    few_spaces = (pl.col("quote").str.count_matches(" ", literal=True) < QUOTE_MAX_WORDS).fill_null(True)
    sample = frame.get_column("quote").head(4096)
    if frame.height and sample.n_unique() * 4 <= sample.len():  # quotes repeat: look at each once
        if frame.select(pl.col("quote").unique()).select(few_spaces).to_series().all():
            return pl.repeat(True, frame.height, eager=True).alias("quote")
    else:
        spaced = frame.select(few_spaces).to_series()
        if spaced.all():
            return spaced
    words = pl.col("quote").str.split(" ").list.eval(pl.element().filter(pl.element() != "")).list.len()
    return frame.select((words <= QUOTE_MAX_WORDS).fill_null(True)).to_series()


def date_in_range(field: str) -> Callable[[pl.DataFrame, RuleContext], pl.Series]:
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
    def ok(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
        latest = period_end(later, later_precision)
        return frame.select((pl.col(earlier) <= latest).fill_null(True)).to_series()

    return ok


def in_bbox(field: str, low: float, high: float) -> Callable[[pl.DataFrame, RuleContext], pl.Series]:
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
    def ok(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
        qualifier = pl.col(f"{count}_qualifier")
        return frame.select(pl.col(count).is_null() == qualifier.is_null()).to_series()

    return ok


def country_code_known(field: str) -> Callable[[pl.DataFrame, RuleContext], pl.Series]:
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
# Sources date one milestone a day or a week apart.
SAME_EVENT_DAYS = 31


def count_in_quote(field: str) -> Callable[[pl.DataFrame, RuleContext], pl.Series]:
    def ok(frame: pl.DataFrame, _: RuleContext) -> pl.Series:
        return quote_contains(frame, field)

    return ok


def rules_for(resource: str) -> list[DomainRule]:
    """Return the domain rules of one resource."""
    rules: list[DomainRule] = []
    for field in DATE_FIELDS.get(resource, []):
        rules.append(DomainRule(
            field, "date-range", date_in_range(field),
            lambda row, f=field: f"must be between {EARLIEST_DATE} and today (got {row[f]})",
        ))
    if resource != "sources":
        rules.append(DomainRule(
            "quote", "quote-length", quote_words_ok,
            lambda row: f"quote has more than {QUOTE_MAX_WORDS} words",
        ))
    for field in COUNT_FIELDS.get(resource, []):
        rules.append(DomainRule(
            "quote", "quote-number", count_in_quote(field),
            lambda row, f=field: f"quote does not contain {f} {row[f]}",
        ))
    if resource == "compounds":
        for field, low, high in [
            ("latitude", BBOX["lat_min"], BBOX["lat_max"]),
            ("longitude", BBOX["lon_min"], BBOX["lon_max"]),
        ]:
            rules.append(DomainRule(
                field, "bbox", in_bbox(field, low, high),
                lambda row, f=field, lo=low, hi=high: f"outside Cambodia ({lo} to {hi}; got {row[f]})",
            ))
        rules.append(DomainRule(
            "geo_precision", "geo-precision", geo_precision_matches,
            lambda row: "geo_precision must be given exactly when latitude and longitude are",
        ))
    if resource == "raids":
        for count in ["persons_detained", "persons_rescued"]:
            rules.append(DomainRule(
                f"{count}_qualifier", "qualifier", qualifier_given(count),
                lambda row, c=count: f"{c}_qualifier must be given exactly when {c} is",
            ))
        rules += [
            DomainRule("same_operation_as", "same-operation", same_operation_fits,
                       lambda row: f"points to {row['same_operation_as']!r}, a row of another date or province"),
            DomainRule("part_of", "part-of", link_fits("raid_id", "part_of"),
                       lambda row: f"points to {row['part_of']!r}, a report of another date or province"),
            DomainRule("part_of", "part-of-chain", not_chained("raid_id", "part_of"),
                       lambda row: f"points to {row['part_of']!r}, which is itself a part of another row"),
            DomainRule("same_operation_as", "same-operation-chain", same_operation_not_chained,
                       lambda row: f"points to {row['same_operation_as']!r}, which itself points to another row: "
                                   "point to the first report"),
        ]
    if resource == "compounds":
        rules += [
            DomainRule("same_compound_as", "same-compound", link_fits("compound_id", "same_compound_as", days=None),
                       lambda row: f"points to {row['same_compound_as']!r}, a compound in another province"),
            DomainRule("same_compound_as", "same-compound-chain", not_chained("compound_id", "same_compound_as"),
                       lambda row: f"points to {row['same_compound_as']!r}, which itself points to another row: "
                                   "point to the first record"),
        ]
    if resource == "timeline":
        rules += [
            DomainRule("same_event_as", "same-event",
                       link_fits("event_id", "same_event_as", province=False, days=SAME_EVENT_DAYS),
                       lambda row: f"points to {row['same_event_as']!r}, a milestone dated more than "
                                   f"{SAME_EVENT_DAYS} days away"),
            DomainRule("same_event_as", "same-event-chain", not_chained("event_id", "same_event_as"),
                       lambda row: f"points to {row['same_event_as']!r}, which itself points to another row: "
                                   "point to the first report"),
        ]
    if resource == "arrests":
        rules += [
            DomainRule("period_start", "period-order", ordered("period_start", "as_of", "as_of_precision"),
                       lambda row: f"period_start {row['period_start']} is after as_of {row['as_of']}"),
            DomainRule("nationality", "country-code", country_code_known("nationality"),
                       lambda row: f"not an ISO 3166-1 alpha-3 code (got {row['nationality']})"),
            DomainRule("scope", "scope", scope_known,
                       lambda row: f"not 'national', a province code or a compound_id (got {row['scope']})"),
            DomainRule("value", "breakdown-total", breakdown_within_total,
                       lambda row: f"breakdown {row['value']} exceeds the total of the same metric, date, source and baseline"),
            DomainRule("value", "breakdown-sum", breakdowns_sum_within_total,
                       lambda row: "nationality breakdowns of the same metric, date, source and baseline sum above their total"),
            DomainRule("value", "cumulative", cumulative_never_falls,
                       lambda row: f"cumulative series falls to {row['value']} on {row['as_of']}"),
        ]
    if resource == "survivors":
        rules += [
            DomainRule("period_start", "period-order", ordered("period_start", "period_end"),
                       lambda row: f"period_start {row['period_start']} is after period_end {row['period_end']}"),
            DomainRule("category", "category", survivor_category_fits,
                       lambda row: f"category {row['category']!r} does not fit dimension {row['dimension']!r}"),
        ]
    return rules


def domain_schema(resource: str, ctx: RuleContext) -> pa.DataFrameSchema:
    """Return the pandera schema holding a resource's domain rules, one check per rule.

    pandera is imported here, not with the module: it imports pandas and numpy (half a second),
    and validation needs it only to report the rows of a rule that failed."""
    import pandera.polars as pa

    columns: dict[str, pa.Column] = {}
    for index, rule in enumerate(rules_for(resource)):
        def check(data, rule=rule):
            frame = data.lazyframe.collect()
            return pl.LazyFrame({"ok": rule.ok(frame, ctx)})

        column = columns.setdefault(rule.field, pa.Column(nullable=True, required=True, checks=[]))
        column.checks.append(pa.Check(check, error=str(index), name=rule.check))
    return pa.DataFrameSchema(columns, strict=False, coerce=False, name=resource)
