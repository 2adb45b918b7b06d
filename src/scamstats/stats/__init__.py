"""Statistics: pure functions over validated polars frames. No I/O, no plotting.

Every function takes a loaded `Package` and returns a tidy polars frame with a fixed schema
(the same columns and types when the data are empty), so figures and the dashboard can rely
on it as rows are added. Figures are never added across baselines, sources or qualifiers
unless a function says so; where sources disagree both values are kept (low and high, and
the sources behind each).

One module per topic, all of them importable from here (`stats.official_series(...)`):

- `common`: fixed-schema frames, table access, the publisher lookup (`sources_by_id`),
  folding linked reports (`first_report`, `with_first_report`, `reports_listed`),
  `national_totals`, `combine_qualifiers`, `TIME_COLUMN`;
- `arrests`: official cumulative series and their baselines, breakdowns by nationality and
  sex (`breakdown_series`, `detentions_by_nationality`, `latest_nationality_breakdown`,
  `share_of_women`), people deported or repatriated (`returns_by_nationality`);
- `raids`: enforcement operations, each counted once, by month, province and year;
- `compounds`: named compounds, each counted once, by province and status, and what
  became of those raided;
- `survivors`: survivor aggregates next to their source's total;
- `timeline`: milestones;
- `summary`: what crosses topics: headline numbers, table coverage, rows per source.

Display wording (labels, names, formats) lives in `scamstats.labels`, the small-cell rule in
`scamstats.privacy`, the descriptor's vocabularies in `scamstats.reference`.
"""

from scamstats.stats.arrests import (
    BREAKDOWN_SCHEMA,
    DETENTION_METRICS,
    OFFICIAL_SERIES_SCHEMA,
    RETURN_METRICS,
    RETURNS_SCHEMA,
    SHARE_SCHEMA,
    baselines,
    breakdown_series,
    detentions_by_nationality,
    latest_nationality_breakdown,
    official_series,
    returns_by_nationality,
    share_of_women,
)
from scamstats.stats.common import (
    TIME_COLUMN,
    combine_qualifiers,
    first_report,
    national_totals,
    reports_listed,
    sources_by_id,
    with_first_report,
)
from scamstats.stats.compounds import (
    AFTER_RAIDS_SCHEMA,
    COMPOUNDS_PROVINCE_SCHEMA,
    COMPOUNDS_SCHEMA,
    compounds_after_raids,
    compounds_by_province,
    compounds_by_province_and_status,
    compounds_known,
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
    HEADLINE_SCHEMA,
    headline_numbers,
    rows_per_source,
    table_coverage,
)
from scamstats.stats.survivors import SURVIVORS_SCHEMA, survivor_demographics
from scamstats.stats.timeline import MILESTONES_SCHEMA, milestones

__all__ = [
    "AFTER_RAIDS_SCHEMA", "BREAKDOWN_SCHEMA", "CITING_RESOURCES", "COMPOUNDS_PROVINCE_SCHEMA",
    "COMPOUNDS_SCHEMA", "DETENTION_METRICS", "HEADLINE_SCHEMA", "MILESTONES_SCHEMA",
    "OFFICIAL_SERIES_SCHEMA", "RAIDS_MONTH_SCHEMA", "RAIDS_PROVINCE_SCHEMA", "RETURNS_SCHEMA",
    "RETURN_METRICS", "SHARE_SCHEMA", "SURVIVORS_SCHEMA", "TIME_COLUMN",
    "baselines", "breakdown_series", "combine_qualifiers", "compounds_after_raids",
    "compounds_by_province", "compounds_by_province_and_status", "compounds_known",
    "detentions_by_nationality", "first_report", "headline_numbers", "latest_nationality_breakdown",
    "milestones", "national_totals", "official_series", "raid_operations", "raids_by_province",
    "raids_by_province_and_year", "raids_per_month", "raids_undated_to_month", "reports_listed",
    "returns_by_nationality", "rows_per_source", "share_of_women",
    "share_still_operating_after_raids", "sources_by_id", "survivor_demographics", "table_coverage",
    "with_first_report",
]
