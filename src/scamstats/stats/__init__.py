"""Statistics: pure functions over validated polars frames. No I/O, no plotting.

Every function takes a loaded `Package` and returns a tidy polars frame with a fixed schema
(the same columns and types when the data are empty), so figures and the dashboard can rely
on it as rows are added. Figures are never added across baselines, sources or qualifiers
unless a function says so; where sources disagree both values are kept (low and high, and
the sources behind each).

One module per topic, all of them importable from here (`stats.official_series(...)`):

- `common`: fixed-schema frames, table access, the publisher lookup (`sources_by_id`,
  `with_source_details`),
  folding linked reports (`first_report`, `with_first_report`, `reports_listed`),
  `national_totals`, `combine_qualifiers`, the metric groups (`TALLY_METRICS`...), the
  smallest denominator of a share (`MIN_SHARE_DENOMINATOR`), `TIME_COLUMN`;
- `claims`: each announced figure of the arrests table counted once however many pages relay
  it (`claims`, `tally_claims`), with its reports and independent origins, and another
  source's different number for the same count counted with it (`count_id`);
- `conflicts`: conflicts found by code: claims of the same thing with different values,
  claims whose reports word them differently (`conflicts`, `conflict_sides`), raid
  operations reported with different counts (`operation_conflicts`, `operation_conflict_sides`);
- `series`: official cumulative series and their baselines (`official_series`,
  `breakdown_series`, `baselines`);
- `breakdowns`: breakdowns by nationality and sex next to the total they name
  (`detentions_by_nationality`, `latest_nationality_breakdown`, `share_of_women`);
- `arrests`: figures per nationality (`figures_per_nationality`), people deported or
  repatriated (`returns_by_nationality`);
- `raids`: enforcement operations, each counted once, by month, province and year;
- `compounds`: named compounds, each counted once, by province and status, and what
  became of those raided;
- `survivors`: survivor aggregates next to their source's total, and what of them a table
  may show or a chart draw under the small-cell rule;
- `timeline`: milestones;
- `search`: quote search over every quote and source title, in any script (`search_quotes`);
- `summary`: what crosses topics: headline numbers (the crackdown's latest tallies, survivor
  headlines under the small-cell rule), table coverage, rows per source;
- `sensitivity`: how the headline totals move under simple rules (`sensitivity`).

Display wording (labels, names, formats) lives in `scamstats.labels`, the small-cell rule in
`scamstats.privacy`, the descriptor's vocabularies in `scamstats.reference`.
"""

from scamstats.stats.arrests import (
    RETURNS_SCHEMA,
    figures_per_nationality,
    return_nationalities_most_reported,
    returns_by_nationality,
)
from scamstats.stats.breakdowns import (
    BREAKDOWN_SCHEMA,
    MOST_REPORTED_SCHEMA,
    SHARE_SCHEMA,
    breakdown_parts_exceed_total,
    detention_nationalities_most_reported,
    detentions_by_nationality,
    latest_nationality_breakdown,
    share_of_women,
)
from scamstats.stats.claims import CLAIMS_SCHEMA, claims, tally_claims
from scamstats.stats.common import (
    DETENTION_METRICS,
    MIN_SHARE_DENOMINATOR,
    RETURN_METRICS,
    STOCK_METRICS,
    TALLY_METRICS,
    TIME_COLUMN,
    combine_qualifiers,
    first_report,
    national_totals,
    reports_listed,
    source_ids_citing,
    sources_by_id,
    with_first_report,
    with_source_details,
)
from scamstats.stats.compounds import (
    AFTER_RAIDS_SCHEMA,
    COMPOUNDS_PROVINCE_SCHEMA,
    COMPOUNDS_SCHEMA,
    LOCATED_SCHEMA,
    OUTCOMES_AFTER_RAIDS,
    OUTCOMES_SCHEMA,
    compound_outcomes_after_raids,
    compounds_after_raids,
    compounds_by_outcome_after_raids,
    compounds_by_province,
    compounds_by_province_and_status,
    compounds_known,
    located_compounds,
    share_still_operating_after_raids,
)
from scamstats.stats.conflicts import (
    CONFLICT_SIDES_SCHEMA,
    CONFLICTS_SCHEMA,
    OPERATION_CONFLICT_SIDES_SCHEMA,
    OPERATION_CONFLICTS_SCHEMA,
    conflict_sides,
    conflicts,
    operation_conflict_sides,
    operation_conflicts,
)
from scamstats.stats.places import PLACES_SCHEMA, compound_places, unplaced_compounds
from scamstats.stats.published import PUBLISHED_SHARE_SCHEMA, published_after_raids
from scamstats.stats.raids import (
    RAIDS_MONTH_SCHEMA,
    RAIDS_PROVINCE_SCHEMA,
    raid_operations,
    raids_by_province,
    raids_by_province_and_year,
    raids_per_month,
    raids_undated_to_month,
)
from scamstats.stats.search import (
    SEARCH_SCHEMA,
    fold_query,
    match_spans,
    number_spans,
    query_number,
    search_quotes,
)
from scamstats.stats.sensitivity import SENSITIVITY_RULES, SENSITIVITY_SCHEMA, sensitivity
from scamstats.stats.series import (
    OFFICIAL_SERIES_SCHEMA,
    baselines,
    breakdown_series,
    official_series,
    official_series_with_baseline,
)
from scamstats.stats.spans import (
    ERA_START,
    ERAS,
    OFF_LINE_HEDGED,
    OFF_LINE_LOWER,
    era_of,
    eras_present,
    line_points,
    period_of,
    with_spans,
)
from scamstats.stats.summary import (
    BESIDE_LATEST,
    CITING_RESOURCES,
    CRACKDOWN_BASELINES,
    FINDING_HEADLINES,
    HEADLINE_SCHEMA,
    covered_until,
    headline_findings,
    headline_numbers,
    latest_crackdown_tallies,
    rows_per_source,
    suppress_small_survivor_headlines,
    table_coverage,
)
from scamstats.stats.survivors import (
    BREAKDOWN_DIMENSIONS,
    BREAKDOWN_GROUPS_SCHEMA,
    SURVIVORS_SCHEMA,
    suppress_small_survivor_cells,
    suppress_small_survivor_shares,
    survivor_breakdown_groups,
    survivor_breakdowns,
    survivor_demographics,
    survivor_rows_to_draw,
)
from scamstats.stats.timeline import (
    MILESTONES_SCHEMA,
    latest_milestones,
    milestones,
)

__all__ = [
    "AFTER_RAIDS_SCHEMA", "BESIDE_LATEST", "BREAKDOWN_DIMENSIONS", "BREAKDOWN_GROUPS_SCHEMA",
    "BREAKDOWN_SCHEMA", "CITING_RESOURCES", "CLAIMS_SCHEMA", "COMPOUNDS_PROVINCE_SCHEMA",
    "COMPOUNDS_SCHEMA", "CONFLICTS_SCHEMA", "CONFLICT_SIDES_SCHEMA", "CRACKDOWN_BASELINES",
    "DETENTION_METRICS", "ERAS", "ERA_START", "FINDING_HEADLINES", "HEADLINE_SCHEMA",
    "LOCATED_SCHEMA", "MILESTONES_SCHEMA", "MIN_SHARE_DENOMINATOR", "MOST_REPORTED_SCHEMA",
    "OFFICIAL_SERIES_SCHEMA", "OFF_LINE_HEDGED", "OFF_LINE_LOWER", "OPERATION_CONFLICTS_SCHEMA",
    "OPERATION_CONFLICT_SIDES_SCHEMA", "OUTCOMES_AFTER_RAIDS", "OUTCOMES_SCHEMA", "PLACES_SCHEMA",
    "PUBLISHED_SHARE_SCHEMA", "RAIDS_MONTH_SCHEMA", "RAIDS_PROVINCE_SCHEMA", "RETURNS_SCHEMA",
    "RETURN_METRICS", "SEARCH_SCHEMA", "SENSITIVITY_RULES", "SENSITIVITY_SCHEMA", "SHARE_SCHEMA",
    "STOCK_METRICS", "SURVIVORS_SCHEMA", "TALLY_METRICS", "TIME_COLUMN", "baselines",
    "breakdown_parts_exceed_total", "breakdown_series", "claims", "combine_qualifiers",
    "compound_outcomes_after_raids", "compound_places", "compounds_after_raids",
    "compounds_by_outcome_after_raids", "compounds_by_province", "compounds_by_province_and_status",
    "compounds_known", "conflict_sides", "conflicts", "covered_until",
    "detention_nationalities_most_reported",
    "detentions_by_nationality", "era_of", "eras_present", "figures_per_nationality",
    "first_report", "fold_query", "headline_findings", "headline_numbers",
    "latest_crackdown_tallies", "latest_milestones", "latest_nationality_breakdown", "line_points",
    "located_compounds", "match_spans", "milestones", "national_totals", "number_spans",
    "official_series", "official_series_with_baseline", "operation_conflict_sides",
    "operation_conflicts", "period_of", "published_after_raids", "query_number", "raid_operations",
    "raids_by_province", "raids_by_province_and_year", "raids_per_month", "raids_undated_to_month",
    "reports_listed", "return_nationalities_most_reported", "returns_by_nationality",
    "rows_per_source", "search_quotes", "sensitivity", "share_of_women",
    "share_still_operating_after_raids", "source_ids_citing", "sources_by_id",
    "suppress_small_survivor_cells", "suppress_small_survivor_headlines",
    "suppress_small_survivor_shares", "survivor_breakdown_groups", "survivor_breakdowns",
    "survivor_demographics", "survivor_rows_to_draw", "table_coverage", "tally_claims",
    "unplaced_compounds", "with_first_report", "with_source_details", "with_spans",
]
