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
  `national_totals`, `combine_qualifiers`, `TIME_COLUMN`;
- `arrests`: official cumulative series and their baselines, breakdowns by nationality and
  sex (`breakdown_series`, `detentions_by_nationality`, `latest_nationality_breakdown`,
  `share_of_women`, `figures_per_nationality`), people deported or repatriated
  (`returns_by_nationality`);
- `raids`: enforcement operations, each counted once, by month, province and year;
- `compounds`: named compounds, each counted once, by province and status, and what
  became of those raided;
- `survivors`: survivor aggregates next to their source's total, and what of them a table
  may show or a chart draw under the small-cell rule;
- `timeline`: milestones;
- `summary`: what crosses topics: headline numbers (the crackdown's latest tallies, survivor
  headlines under the small-cell rule), table coverage, rows per source.

Display wording (labels, names, formats) lives in `scamstats.labels`, the small-cell rule in
`scamstats.privacy`, the descriptor's vocabularies in `scamstats.reference`.
"""

from scamstats.stats.arrests import (
    BREAKDOWN_SCHEMA,
    DETENTION_METRICS,
    MOST_REPORTED_SCHEMA,
    OFFICIAL_SERIES_SCHEMA,
    RETURN_METRICS,
    RETURNS_SCHEMA,
    SHARE_SCHEMA,
    baselines,
    breakdown_parts_exceed_total,
    breakdown_series,
    detention_nationalities_most_reported,
    detentions_by_nationality,
    figures_per_nationality,
    latest_nationality_breakdown,
    official_series,
    official_series_with_baseline,
    return_nationalities_most_reported,
    returns_by_nationality,
    share_of_women,
)
from scamstats.stats.common import (
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
from scamstats.stats.raids import (
    RAIDS_MONTH_SCHEMA,
    RAIDS_PROVINCE_SCHEMA,
    raid_operations,
    raids_by_province,
    raids_by_province_and_year,
    raids_per_month,
    raids_undated_to_month,
)
from scamstats.stats.summary import (
    CITING_RESOURCES,
    CRACKDOWN_BASELINES,
    FINDING_HEADLINES,
    HEADLINE_SCHEMA,
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
    "AFTER_RAIDS_SCHEMA", "BREAKDOWN_DIMENSIONS", "BREAKDOWN_GROUPS_SCHEMA", "BREAKDOWN_SCHEMA",
    "CITING_RESOURCES", "COMPOUNDS_PROVINCE_SCHEMA", "COMPOUNDS_SCHEMA", "CRACKDOWN_BASELINES",
    "DETENTION_METRICS", "FINDING_HEADLINES", "HEADLINE_SCHEMA", "LOCATED_SCHEMA",
    "MILESTONES_SCHEMA", "MOST_REPORTED_SCHEMA", "OFFICIAL_SERIES_SCHEMA", "OUTCOMES_AFTER_RAIDS",
    "OUTCOMES_SCHEMA", "RAIDS_MONTH_SCHEMA", "RAIDS_PROVINCE_SCHEMA", "RETURNS_SCHEMA",
    "RETURN_METRICS", "SHARE_SCHEMA", "SURVIVORS_SCHEMA", "TIME_COLUMN", "baselines",
    "breakdown_parts_exceed_total", "breakdown_series", "combine_qualifiers",
    "compound_outcomes_after_raids", "compounds_after_raids", "compounds_by_outcome_after_raids",
    "compounds_by_province", "compounds_by_province_and_status", "compounds_known",
    "detention_nationalities_most_reported", "detentions_by_nationality", "figures_per_nationality",
    "first_report", "headline_findings", "headline_numbers", "latest_crackdown_tallies",
    "latest_milestones", "latest_nationality_breakdown", "located_compounds", "milestones",
    "national_totals", "official_series", "official_series_with_baseline", "raid_operations",
    "raids_by_province", "raids_by_province_and_year", "raids_per_month", "raids_undated_to_month",
    "reports_listed", "return_nationalities_most_reported", "returns_by_nationality",
    "rows_per_source", "share_of_women", "share_still_operating_after_raids", "source_ids_citing",
    "sources_by_id", "suppress_small_survivor_cells", "suppress_small_survivor_headlines",
    "suppress_small_survivor_shares", "survivor_breakdown_groups", "survivor_breakdowns",
    "survivor_demographics", "survivor_rows_to_draw", "table_coverage", "with_first_report",
    "with_source_details",
]
