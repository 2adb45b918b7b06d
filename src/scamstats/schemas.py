"""Domain rules, declared: per resource, the rules its rows keep (`RULES`), as pandera schemas.

Each rule is declared once as a `DomainRule`: the field it reports on, a check id, the function
that is true for a good row (in `rules.py`, or `quotes.py` for quotes), and the message for a
bad one. `domain_schema` turns a resource's rules into a `pandera.polars.DataFrameSchema`. The
spec layer (types, required, enums, keys) lives in `scamstats.validation.tables`; these rules
run on frames already cast to their types.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import polars as pl

from scamstats.quotes import (
    QUOTE_MAX_WORDS,
    count_in_quote,
    qualifier_fits_hedge,
    quote_words_ok,
    year_baseline_named,
)
from scamstats.reference import BBOX, EARLIEST_DATE
from scamstats.rules import (
    SAME_CLAIM_DAYS,
    SAME_COUNT_DAYS,
    RuleContext,
    breakdown_within_total,
    breakdowns_sum_within_total,
    claim_link_fits,
    claims_unlinked,
    count_link_differs,
    count_link_fits,
    count_link_to_first_report,
    country_code_known,
    cumulative_never_falls,
    date_in_range,
    geo_precision_matches,
    in_bbox,
    link_fits,
    not_chained,
    ordered,
    qualifier_given,
    same_claim_date_fits,
    same_claim_not_chained,
    same_count_date_fits,
    same_group_fits,
    same_operation_fits,
    same_operation_not_chained,
    scope_known,
    survivor_category_fits,
    survivor_parts_sum_within_total,
    survivor_parts_within_total,
    total_id_fits,
)

if TYPE_CHECKING:
    import pandera.polars as pa

# Sources date one milestone a day or a week apart.
SAME_EVENT_DAYS = 31


@dataclass(frozen=True)
class DomainRule:
    """A rule on one resource, reported on `field` as `check`.

    `message` is the text for a bad row, with the row's cells filled in by name
    ("got {value}", "{part_of!r}")."""

    field: str
    check: str
    ok: Callable[[pl.DataFrame, RuleContext], pl.Series]
    message: str

    def describe(self, row: dict) -> str:
        """Return the message for a bad row."""
        return self.message.format_map(row)


def dates_in_range(*fields: str) -> list[DomainRule]:
    """Return one rule per date field: between EARLIEST_DATE and today."""
    return [
        DomainRule(field, "date-range", date_in_range(field),
                   f"must be between {EARLIEST_DATE} and today (got {{{field}}})")
        for field in fields
    ]


def counts_in_quote(*fields: str) -> list[DomainRule]:
    """Return one rule per count field: the quote states the count."""
    return [
        DomainRule("quote", "quote-number", count_in_quote(field),
                   f"quote does not contain {field} {{{field}}}")
        for field in fields
    ]


def qualifiers_given(*counts: str) -> list[DomainRule]:
    """Return one rule per count: its qualifier is given exactly when the count is."""
    return [
        DomainRule(f"{count}_qualifier", "qualifier", qualifier_given(count),
                   f"{count}_qualifier must be given exactly when {count} is")
        for count in counts
    ]


def hedges_fit(*counts: str) -> list[DomainRule]:
    """Return one rule per count: the hedge word next to it in the quote fits its qualifier."""
    return [
        DomainRule(qualifier, "qualifier-word", qualifier_fits_hedge(count, qualifier),
                   f"{qualifier} {{{qualifier}}} does not fit the hedge word next to {count} {{{count}}} in the quote "
                   "(codebook, Coding table: 'more than' at_least, 'about' about, 'up to' at_most)")
        for count, qualifier in counts
    ]


YEAR_BASELINE = DomainRule(
    "period_start", "year-baseline", year_baseline_named,
    "period_start {period_start} is a 1 January that neither the quote nor the note names as a calendar year "
    "('in 2025', 'this year', 'since 1 January'): a baseline given only as a year stays empty")


def inside_cambodia(field: str, low: float, high: float) -> DomainRule:
    """Return the rule that a coordinate lies within Cambodia's bounding box."""
    return DomainRule(field, "bbox", in_bbox(field, low, high),
                      f"outside Cambodia ({low} to {high}; got {{{field}}})")


QUOTE_LENGTH = DomainRule("quote", "quote-length", quote_words_ok,
                          f"quote has more than {QUOTE_MAX_WORDS} words")

# The rules of each resource, in the order they run (rules on one field and check are
# reported in this order).
RULES: dict[str, list[DomainRule]] = {
    "sources": [
        *dates_in_range("published"),
    ],
    "compounds": [
        *dates_in_range("first_reported", "status_date"),
        QUOTE_LENGTH,
        inside_cambodia("latitude", BBOX["lat_min"], BBOX["lat_max"]),
        inside_cambodia("longitude", BBOX["lon_min"], BBOX["lon_max"]),
        DomainRule("geo_precision", "geo-precision", geo_precision_matches,
                   "geo_precision must be given exactly when latitude and longitude are"),
        DomainRule("same_compound_as", "same-compound",
                   link_fits("compound_id", "same_compound_as", days=None),
                   "points to {same_compound_as!r}, a compound in another province"),
        DomainRule("same_compound_as", "same-compound-chain", not_chained("compound_id", "same_compound_as"),
                   "points to {same_compound_as!r}, which itself points to another row: point to the first record"),
    ],
    "raids": [
        *dates_in_range("date"),
        QUOTE_LENGTH,
        *counts_in_quote("persons_detained", "persons_rescued"),
        *qualifiers_given("persons_detained", "persons_rescued"),
        *hedges_fit(("persons_detained", "persons_detained_qualifier"), ("persons_rescued", "persons_rescued_qualifier")),
        DomainRule("same_operation_as", "same-operation", same_operation_fits,
                   "points to {same_operation_as!r}, a row of another date or province"),
        DomainRule("part_of", "part-of", link_fits("raid_id", "part_of"),
                   "points to {part_of!r}, a report of another date or province"),
        DomainRule("part_of", "part-of-chain", not_chained("raid_id", "part_of"),
                   "points to {part_of!r}, which is itself a part of another row"),
        DomainRule("same_operation_as", "same-operation-chain", same_operation_not_chained,
                   "points to {same_operation_as!r}, which itself points to another row: point to the first report"),
    ],
    "arrests": [
        *dates_in_range("period_start", "as_of"),
        QUOTE_LENGTH,
        *counts_in_quote("value"),
        DomainRule("period_start", "period-order", ordered("period_start", "as_of", "as_of_precision"),
                   "period_start {period_start} is after as_of {as_of}"),
        DomainRule("nationality", "country-code", country_code_known("nationality"),
                   "not an ISO 3166-1 alpha-3 code (got {nationality})"),
        DomainRule("scope", "scope", scope_known,
                   "not 'national', a province code or a compound_id (got {scope})"),
        *hedges_fit(("value", "qualifier")),
        YEAR_BASELINE,
        DomainRule("value", "breakdown-total", breakdown_within_total,
                   "breakdown {value} exceeds the total its total_id {total_id!r} names"),
        DomainRule("value", "breakdown-sum", breakdowns_sum_within_total,
                   "the exact breakdowns of total {total_id!r} along one dimension sum above it"),
        DomainRule("value", "cumulative", cumulative_never_falls,
                   "cumulative series falls to {value} on {as_of}"),
        DomainRule("total_id", "total-id", total_id_fits,
                   "names {total_id!r}, which is no total of this row: the row is no breakdown, or the total is of "
                   "another metric or scope, or gives another nationality or sex"),
        DomainRule("same_claim_as", "same-claim", claim_link_fits,
                   "points to {same_claim_as!r}, a row with another value, or another scope, nationality or sex"),
        DomainRule("same_claim_as", "same-claim-date", same_claim_date_fits,
                   f"points to {{same_claim_as!r}}, a row dated more than {SAME_CLAIM_DAYS} days away"),
        DomainRule("same_claim_as", "same-claim-chain", same_claim_not_chained,
                   "points to {same_claim_as!r}, which itself points to another row: point to the first report"),
        DomainRule("same_claim_as", "same-claim-unlinked", claims_unlinked,
                   "gives the metric, value, date, scope, nationality, sex and baseline of a row of another source "
                   "that it is not linked to: one claim reported twice is linked by same_claim_as"),
        DomainRule("same_count_as", "same-count", count_link_fits,
                   "points to {same_count_as!r}, which is no other source's count of the same people, scope, "
                   "nationality and sex"),
        DomainRule("same_count_as", "same-count-value", count_link_differs,
                   "points to {same_count_as!r}, a row with the same value {value}: one figure relayed is linked by "
                   "same_claim_as"),
        DomainRule("same_count_as", "same-count-date", same_count_date_fits,
                   f"points to {{same_count_as!r}}, a row dated more than {SAME_COUNT_DAYS} days away"),
        DomainRule("same_count_as", "same-count-chain", count_link_to_first_report,
                   "points to {same_count_as!r}, which itself points to another row: point to the first report of "
                   "the other figure"),
    ],
    "survivors": [
        *dates_in_range("period_start", "period_end"),
        QUOTE_LENGTH,
        *counts_in_quote("count"),
        *hedges_fit(("count", "qualifier")),
        YEAR_BASELINE,
        DomainRule("period_start", "period-order", ordered("period_start", "period_end"),
                   "period_start {period_start} is after period_end {period_end}"),
        DomainRule("category", "category", survivor_category_fits,
                   "category {category!r} does not fit dimension {dimension!r}"),
        DomainRule("count", "breakdown-total", survivor_parts_within_total,
                   "{dimension} {category} {count} exceeds the total of the same source and population"),
        DomainRule("count", "breakdown-sum", survivor_parts_sum_within_total,
                   "the exact {dimension} breakdowns of the same source and population sum above its total"),
        DomainRule("same_group_as", "same-group", same_group_fits,
                   "points to {same_group_as!r}, a row of another dimension or category"),
        DomainRule("same_group_as", "same-group-chain", not_chained("group_id", "same_group_as"),
                   "points to {same_group_as!r}, which itself points to another row: point to the first report"),
    ],
    "timeline": [
        *dates_in_range("date"),
        QUOTE_LENGTH,
        DomainRule("same_event_as", "same-event",
                   link_fits("event_id", "same_event_as", province=False, days=SAME_EVENT_DAYS),
                   f"points to {{same_event_as!r}}, a milestone dated more than {SAME_EVENT_DAYS} days away"),
        DomainRule("same_event_as", "same-event-chain", not_chained("event_id", "same_event_as"),
                   "points to {same_event_as!r}, which itself points to another row: point to the first report"),
    ],
}
# A resource the package does not usually hold: its quotes, if it has any, are still kept short.
UNLISTED_RESOURCE_RULES = [QUOTE_LENGTH]


def rules_for(resource: str) -> list[DomainRule]:
    """Return the domain rules of one resource."""
    return RULES.get(resource, UNLISTED_RESOURCE_RULES)


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
