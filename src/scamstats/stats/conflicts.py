"""Conflicts found by code: the claims of the arrests table that say different things about
the same count, the claims whose reports word them differently, and the raid operations
reported with different counts. Each is listed by group (`conflicts`, `operation_conflicts`)
and side by side (`conflict_sides`, `operation_conflict_sides`: who says each)."""

from __future__ import annotations

import polars as pl

from scamstats.package import Package
from scamstats.stats.claims import arrests_rows, claims, sources_disagree
from scamstats.stats.common import empty_frame, rows_frame, table

# What a conflict is about: the claim's key, the same in the conflicts and in their sides.
CONFLICT_KEY_SCHEMA = {
    "conflict_id": pl.String,
    "kind": pl.String,
    "metric": pl.String,
    "baseline": pl.Date,
    "as_of": pl.Date,
    "as_of_precision": pl.String,
    "scope": pl.String,
    "nationality": pl.String,
    "sex": pl.String,
}

CONFLICT_SIDES_SCHEMA = {
    **CONFLICT_KEY_SCHEMA,
    "claim_id": pl.String,
    "side_id": pl.String,
    "value": pl.Int64,
    "qualifier": pl.String,
    "reported_metric": pl.String,
    "reported_baseline": pl.Date,
    "reported_as_of": pl.Date,
    "reported_as_of_precision": pl.String,
    "reported_scope": pl.String,
    "reported_nationality": pl.String,
    "reported_sex": pl.String,
    "differs": pl.List(pl.String),
    "row_ids": pl.List(pl.String),
    "source_ids": pl.List(pl.String),
    "reports": pl.Int64,
    "origins": pl.List(pl.String),
}
CONFLICT_KINDS = ("claims_disagree", "reports_disagree")
# What a report of a claim may give otherwise than the claim's first report, as `differs`
# names it, and the column it is.
REPORT_FIELDS = {"metric": "metric", "value": "value", "qualifier": "qualifier", "baseline": "period_start",
                 "as_of": "as_of", "scope": "scope", "nationality": "nationality", "sex": "sex"}
# What makes two claims claims of the same thing.
CLAIM_KEY = ["metric", "period_start", "baseline_month", "as_of", "as_of_precision", "scope", "nationality", "sex",
             "_operation"]


def conflict_sides(package: Package) -> pl.DataFrame:
    """Return every disagreement among the counts of the arrests table, one row per side.

    Two kinds, each group named by `conflict_id`:
    - `claims_disagree`: claims of the same thing (metric, baseline, as_of at its precision,
      scope, nationality and sex; a baseline known only to the month by its month; for counts
      tied to a raid, the same operation) of which two with no source in common give different
      values; one row per claim of the group (`side_id` is the claim's id; `row_ids`,
      `source_ids`, `reports` and `origins` are its reports'). Two values of one source (a range,
      "8,000 to 10,000", is two rows) disagree with nothing, and counts that cover only a
      described part of enforcement (`subset`, no raid) are each their own thing. A claim
      counted with another (`same_count_as`, `claims.count_id`) is a claim of that one's thing,
      whatever its own words: its `reported_*` columns are its first report's, and `differs`
      names, besides "value", what that report gives otherwise than the group's key ("metric"
      for "arrested" against "detained", "baseline" for a start date it does not state).
    - `reports_disagree`: a claim whose reports word it differently; one row per report, the
      claim's first report included, with `differs` naming what the report gives otherwise
      than the first ("metric" for "arrested" against "detained", "baseline" for a misprinted
      baseline, "as_of", "qualifier", "scope"...) and its own `reported_*` metric, baseline,
      date (at its precision, `reported_as_of_precision`), scope, nationality and sex.
    The key columns (metric, baseline, as_of, scope...) are the claim's (for `reports_disagree`,
    as its first report gives them). Sorted by kind, metric and date.
    """
    every = claims(package)
    if not every.height:
        return empty_frame(CONFLICT_SIDES_SCHEMA)
    reports = {r["observation_id"]: r for r in arrests_rows(package).iter_rows(named=True)}
    rows = _claims_disagreeing(package, every, reports) + _reports_disagreeing(package, every, reports)
    return rows_frame(rows, CONFLICT_SIDES_SCHEMA).sort(
        ["kind", "metric", "as_of", "conflict_id", "value", "side_id"], nulls_last=True)


CONFLICTS_SCHEMA = {
    **CONFLICT_KEY_SCHEMA,
    "value_low": pl.Int64,
    "value_high": pl.Int64,
    "values": pl.List(pl.Int64),
    "differs": pl.List(pl.String),
    "claim_ids": pl.List(pl.String),
    "row_ids": pl.List(pl.String),
    "source_ids": pl.List(pl.String),
    "reports": pl.Int64,
    "origins": pl.List(pl.String),
}


def conflicts(package: Package) -> pl.DataFrame:
    """Return every group of `conflict_sides`, one row per group: what is claimed (the key
    columns), the lowest and highest value and every distinct value, what the sides differ in
    (`differs`), and every claim, report row, source and origin behind it (`reports` counts
    the rows). Kinds and order as in `conflict_sides`."""
    sides = conflict_sides(package)
    if not sides.height:
        return empty_frame(CONFLICTS_SCHEMA)
    keys = ["kind", "metric", "baseline", "as_of", "as_of_precision", "scope", "nationality", "sex"]

    def flat(column: str) -> pl.Expr:
        return pl.col(column).list.explode(keep_nulls=False, empty_as_null=False).unique(maintain_order=True).alias(column)

    return (
        sides.group_by("conflict_id", maintain_order=True)
        .agg(*[pl.col(k).first() for k in keys],
             pl.col("value").min().alias("value_low"), pl.col("value").max().alias("value_high"),
             pl.col("value").unique().sort().alias("values"),
             flat("differs"), pl.col("claim_id").unique(maintain_order=True).alias("claim_ids"),
             flat("row_ids"), flat("source_ids"), pl.col("reports").sum().alias("reports"), flat("origins"))
        .select(list(CONFLICTS_SCHEMA)).cast(CONFLICTS_SCHEMA)
    )


def _operation_of(package: Package) -> dict[str, str]:
    """Each raid row's operation: the raid_id of the report it is counted under."""
    raids = table(package, "raids")
    if not raids.height:
        return {}
    linked = raids["same_operation_as"].to_list() if "same_operation_as" in raids.columns else [None] * raids.height
    return {raid: link or raid for raid, link in zip(raids["raid_id"], linked, strict=True)}


# What a claim counted with another may give otherwise than that claim, as `differs` names it.
KEY_FIELDS = {name: column for name, column in REPORT_FIELDS.items() if name not in ("value", "qualifier")}


def _claims_disagreeing(package: Package, every: pl.DataFrame, reports: dict[str, dict]) -> list[dict]:
    operation = _operation_of(package)
    raid = pl.col("raid_id")
    comparable = every.filter(pl.col("subset").is_null() | raid.is_not_null()).with_columns(
        (raid.replace(operation) if operation else raid).alias("_operation"))
    groups = comparable.group_by(CLAIM_KEY, maintain_order=True).agg(
        pl.col("observation_id"), pl.col("value").n_unique().alias("_values")).filter(pl.col("_values") > 1)
    by_id = {r["observation_id"]: r for r in comparable.iter_rows(named=True)}
    rows = []
    for group in groups.iter_rows(named=True):
        members = [by_id[claim_id] for claim_id in group["observation_id"]]
        if not sources_disagree(members):
            continue
        for claim in members:
            # A claim counted with another says what its own first report says.
            said = reports[claim["observation_id"]]
            differs = ["value", *[name for name, column in KEY_FIELDS.items() if said[column] != claim[column]]]
            rows.append(_side("claims:" + members[0]["observation_id"], "claims_disagree", claim, said, differs,
                              claim["row_ids"], claim["source_ids"], claim["reports"], claim["origins"]))
    return rows


def _reports_disagreeing(package: Package, every: pl.DataFrame, reports: dict[str, dict]) -> list[dict]:
    sources = table(package, "sources")
    publisher = dict(zip(sources["source_id"], sources["publisher"], strict=True)) if sources.height else {}
    rows = []
    for counted in every.filter(pl.col("reports") > 1).iter_rows(named=True):
        # The claim as its first report gives it (a claim counted with another keeps its words here).
        claim = {**counted, **{column: reports[counted["observation_id"]][column] for column in REPORT_FIELDS.values()}}
        members = [reports[row_id] for row_id in claim["row_ids"]]
        differs = [[name for name, column in REPORT_FIELDS.items() if member[column] != claim[column]]
                   for member in members]
        if not any(differs):
            continue
        for member, different in zip(members, differs, strict=True):
            origin = member["origin"] or publisher.get(member["source_id"])
            rows.append(_side("reports:" + claim["observation_id"], "reports_disagree", claim, member, different,
                              [member["observation_id"]], [member["source_id"]], 1, [origin] if origin else []))
    return rows


def _side(conflict_id, kind, claim, member, differs, row_ids, source_ids, reports, origins) -> dict:
    return {
        "conflict_id": conflict_id, "kind": kind, "metric": claim["metric"], "baseline": claim["period_start"],
        "as_of": claim["as_of"], "as_of_precision": claim["as_of_precision"], "scope": claim["scope"],
        "nationality": claim["nationality"], "sex": claim["sex"], "claim_id": claim["observation_id"],
        "side_id": member["observation_id"], "value": member["value"], "qualifier": member["qualifier"],
        "reported_metric": member["metric"], "reported_baseline": member["period_start"],
        "reported_as_of": member["as_of"], "reported_as_of_precision": member["as_of_precision"],
        "reported_scope": member["scope"],
        "reported_nationality": member["nationality"], "reported_sex": member["sex"], "differs": differs, "row_ids": list(row_ids),
        "source_ids": list(source_ids), "reports": reports, "origins": list(origins),
    }


# --------------------------------------------------------------------------------------
# Raid operations

OPERATION_CONFLICT_SIDES_SCHEMA = {
    "operation_id": pl.String,
    "raid_id": pl.String,
    "counted": pl.Boolean,
    "event_type": pl.String,
    "date": pl.Date,
    "date_precision": pl.String,
    "province_code": pl.String,
    "place": pl.String,
    "persons_detained": pl.Int64,
    "persons_detained_qualifier": pl.String,
    "persons_rescued": pl.Int64,
    "persons_rescued_qualifier": pl.String,
    "differs": pl.List(pl.String),
    "source_id": pl.String,
}
COUNTS = ("persons_detained", "persons_rescued")


def operation_conflict_sides(package: Package) -> pl.DataFrame:
    """Return every raid operation its reports give different counts for, one row per report.

    An operation is a raids row and the rows linked to it by `same_operation_as`; it is listed
    when its reports give two or more different `persons_detained` or `persons_rescued` (a
    report giving no number disagrees with none). `counted` marks the report the operation is
    counted under (the row the others point to); `differs` names the counts in dispute.
    """
    raids = table(package, "raids")
    if not raids.height:
        return empty_frame(OPERATION_CONFLICT_SIDES_SCHEMA)
    reports = raids.with_row_index("_order").with_columns(
        pl.col("raid_id").replace_strict(_operation_of(package), return_dtype=pl.String).alias("operation_id"))
    disputed = reports.group_by("operation_id").agg(*[(pl.col(c).drop_nulls().n_unique() > 1).alias(c) for c in COUNTS])
    disputed = disputed.with_columns(
        pl.concat_list([pl.when(pl.col(c)).then(pl.lit(c)) for c in COUNTS]).list.drop_nulls().alias("differs")
    ).filter(pl.col("differs").list.len() > 0).select("operation_id", "differs")
    frame = reports.join(disputed, on="operation_id", how="inner").with_columns(
        (pl.col("raid_id") == pl.col("operation_id")).alias("counted"))
    return frame.sort(["date", "operation_id", "_order"], nulls_last=True) \
        .select(list(OPERATION_CONFLICT_SIDES_SCHEMA)).cast(OPERATION_CONFLICT_SIDES_SCHEMA)


OPERATION_CONFLICTS_SCHEMA = {
    "operation_id": pl.String,
    "event_type": pl.String,
    "date": pl.Date,
    "date_precision": pl.String,
    "province_code": pl.String,
    "place": pl.String,
    "persons_detained_low": pl.Int64,
    "persons_detained_high": pl.Int64,
    "persons_rescued_low": pl.Int64,
    "persons_rescued_high": pl.Int64,
    "differs": pl.List(pl.String),
    "row_ids": pl.List(pl.String),
    "source_ids": pl.List(pl.String),
    "reports": pl.Int64,
}


def operation_conflicts(package: Package) -> pl.DataFrame:
    """Return every operation of `operation_conflict_sides`, one row each: the event type,
    date, province and place of the report it is counted under, the lowest and highest count
    of people detained and rescued its reports give, the counts in dispute (`differs`), and
    every report's raid_id (`row_ids`, the counted one first) and source."""
    sides = operation_conflict_sides(package)
    if not sides.height:
        return empty_frame(OPERATION_CONFLICTS_SCHEMA)
    first = ["event_type", "date", "date_precision", "province_code", "place", "differs"]
    return (
        sides.sort(["operation_id", "counted"], descending=[False, True], maintain_order=True)
        .group_by("operation_id", maintain_order=True)
        .agg(*[pl.col(c).first() for c in first],
             *[getattr(pl.col(c), how)().alias(f"{c}_{name}") for c in COUNTS
               for how, name in (("min", "low"), ("max", "high"))],
             pl.col("raid_id").alias("row_ids"), pl.col("source_id").unique(maintain_order=True).alias("source_ids"),
             pl.len().alias("reports"))
        .sort(["date", "operation_id"], nulls_last=True)
        .select(list(OPERATION_CONFLICTS_SCHEMA)).cast(OPERATION_CONFLICTS_SCHEMA)
    )
