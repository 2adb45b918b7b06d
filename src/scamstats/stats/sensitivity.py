"""How the headline totals move under simple rules: the latest official tallies, the people
detained in raids and the people returned, each worked out as the headline does and by the
lowest figure, the highest, primary sources only and the latest report."""

from __future__ import annotations

import polars as pl

from scamstats.labels import format_count
from scamstats.package import Package
from scamstats.stats.claims import latest_from_strongest, one_figure, tally_claims
from scamstats.stats.common import (
    RETURN_METRICS,
    combine_qualifiers,
    empty_frame,
    rows_frame,
    sources_by_id,
)
from scamstats.stats.raids import raid_reports

# The rules, in the order a table lists them: `headline` is the rule the headlines use.
SENSITIVITY_RULES = ("headline", "lowest", "highest", "primary_only", "latest_report")

SENSITIVITY_SCHEMA = {
    "total": pl.String,
    "metric": pl.String,
    "series_baseline": pl.Date,
    "rule": pl.String,
    "value": pl.Int64,
    "qualifier": pl.String,
    "value_text": pl.String,
    "change": pl.Int64,
    "baseline": pl.Date,
    "as_of": pl.Date,
    "as_of_precision": pl.String,
    "counted": pl.Int64,
    "source_ids": pl.List(pl.String),
    "row_ids": pl.List(pl.String),
}


def sensitivity(package: Package) -> pl.DataFrame:
    """Return how each headline total moves under simple rules: one row per total and rule.

    Totals (`total`):
    - `official_tally`: each tally series with a stated baseline (`metric`, `series_baseline`;
      national claims of `claims.tally_claims`), its latest figure;
    - `raid_detainees`: the people detained in every raid operation, summed (each operation once);
    - `returns`: for each of deported and repatriated, the latest national tally whatever its
      baseline (`baseline` says which the figure counts from): how many were returned.
    Rules (`rule`, in the order of SENSITIVITY_RULES):
    - `headline`: as the headlines do (the latest claim from the strongest sources; each
      operation's first report);
    - `lowest` / `highest`: the lowest or highest figure of the latest date (of each operation);
    - `primary_only`: only figures a primary source gives (empty when there is none);
    - `latest_report`: the figure of the most recently published report.
    `change` is the value minus the headline rule's; `counted` how many claims (or operations)
    the value rests on; a sum with an "at least" or "about" figure in it is itself one.
    """
    rows = []
    tallies = tally_claims(package).filter((pl.col("scope") == "national") & pl.col("nationality").is_null()
                                           & pl.col("sex").is_null())
    series = tallies.filter(pl.col("period_start").is_not_null()).sort(["metric", "period_start"])
    for (metric, baseline), group in series.partition_by(["metric", "period_start"], maintain_order=True,
                                                          as_dict=True).items():
        rows += _rules("official_tally", metric, baseline, list(group.iter_rows(named=True)))
    for metric in RETURN_METRICS:
        members = list(tallies.filter(pl.col("metric") == metric).iter_rows(named=True))
        if members:
            rows += _rules("returns", metric, None, members)
    rows += _raid_rules(package)
    return rows_frame(rows, SENSITIVITY_SCHEMA) if rows else empty_frame(SENSITIVITY_SCHEMA)


def _rules(total: str, metric: str, series_baseline, members: list[dict]) -> list[dict]:
    """The rows of one total worked out from its claims under every rule."""
    latest = max(m["as_of"] for m in members)
    on_latest = [m for m in members if m["as_of"] == latest]
    primary = [m for m in members if m["reliability"] == "primary"]
    newest = max(m["last_published"] or m["as_of"] for m in members)
    figures = {
        "headline": latest_from_strongest(members),
        "lowest": one_figure([min(on_latest, key=lambda m: m["value"])]),
        "highest": one_figure([max(on_latest, key=lambda m: m["value"])]),
        "primary_only": latest_from_strongest(primary) if primary else None,
        "latest_report": latest_from_strongest([m for m in members if (m["last_published"] or m["as_of"]) == newest]),
    }
    rows = []
    for rule in SENSITIVITY_RULES:
        figure = figures[rule]
        rows.append(_row(total, metric, series_baseline, rule, figure, figures["headline"]["value"]))
    return rows


def _row(total, metric, series_baseline, rule, figure, headline_value) -> dict:
    if figure is None:
        return {"total": total, "metric": metric, "series_baseline": series_baseline, "rule": rule,
                "value_text": "no figure", "source_ids": [], "row_ids": [], "counted": 0}
    return {
        "total": total, "metric": metric, "series_baseline": series_baseline, "rule": rule,
        "value": figure["value"], "qualifier": figure["qualifier"],
        "value_text": format_count(figure["value"], figure["qualifier"]),
        "change": figure["value"] - headline_value if headline_value is not None else None,
        "baseline": figure.get("baseline"), "as_of": figure["as_of"], "as_of_precision": figure["as_of_precision"],
        "counted": figure["claims"], "source_ids": figure["source_ids"], "row_ids": figure["row_ids"],
    }


def _raid_rules(package: Package) -> list[dict]:
    """The people detained in raids, summed over operations under every rule."""
    reports = raid_reports(package, None)
    if not reports.height:
        return []
    sources = sources_by_id(package)
    reports = reports.with_columns(
        (pl.col("raid_id") == pl.col("operation_id")).alias("_counted"),
        pl.col("source_id").replace_strict({k: v.get("reliability") for k, v in sources.items()}, default=None,
                                           return_dtype=pl.String).alias("_reliability"),
        pl.col("source_id").replace_strict({k: v.get("published") for k, v in sources.items()}, default=None,
                                           return_dtype=pl.Date).alias("_published"),
    ).filter(pl.col("persons_detained").is_not_null())
    operations = reports.partition_by("operation_id", maintain_order=True)
    pickers = {
        # The first report when it gives a count (as the monthly sums do), else none.
        "headline": lambda op: op.filter(pl.col("_counted")),
        "lowest": lambda op: op.sort("persons_detained").head(1),
        "highest": lambda op: op.sort("persons_detained", descending=True).head(1),
        "primary_only": lambda op: op.filter(pl.col("_reliability") == "primary").head(1),
        "latest_report": lambda op: op.sort("_published", descending=True, nulls_last=True).head(1),
    }
    figures = {}
    for rule, pick in pickers.items():
        chosen = pl.concat([pick(op) for op in operations]) if operations else reports.head(0)
        figures[rule] = None if not chosen.height else {
            "value": int(chosen["persons_detained"].sum()),
            "qualifier": combine_qualifiers(chosen["persons_detained_qualifier"]), "baseline": None,
            "as_of": chosen["date"].max(), "as_of_precision": "day", "claims": chosen.height,
            "source_ids": list(dict.fromkeys(chosen["source_id"])), "row_ids": chosen["raid_id"].to_list(),
        }
    headline = figures["headline"]["value"] if figures["headline"] else None
    return [_row("raid_detainees", None, None, rule, figures[rule], headline) for rule in SENSITIVITY_RULES]
