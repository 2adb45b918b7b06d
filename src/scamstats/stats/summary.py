"""Statistics that cross topics: the headline numbers (the crackdown's latest tallies among
them, and survivor figures under the small-cell rule), each table's coverage in rows and
dates, and how many rows cite each source."""

from __future__ import annotations

import datetime as dt

import polars as pl

from scamstats.labels import format_count_range, headline_label, reports_label
from scamstats.package import Package
from scamstats.privacy import SMALL_CELL_LABEL, suppress_small_cells
from scamstats.reference import METRIC_UNITS
from scamstats.stats.claims import claims, latest_from_strongest, one_figure
from scamstats.stats.common import TALLY_METRICS, TIME_COLUMN, rows_frame, sources_by_id, table
from scamstats.stats.spans import period_of
from scamstats.stats.survivors import survivor_demographics

# --------------------------------------------------------------------------------------
# Coverage


def table_coverage(package: Package) -> pl.DataFrame:
    """Return one row per resource: its name, row count and first and last date."""
    rows = []
    for name, frame in package.tables.items():
        column = TIME_COLUMN.get(name)
        dates = frame.get_column(column).drop_nulls() if column in frame.columns else pl.Series([], dtype=pl.Date)
        rows.append({
            "resource": name,
            "rows": frame.height,
            "first_date": dates.min() if len(dates) else None,
            "last_date": dates.max() if len(dates) else None,
        })
    return pl.DataFrame(rows, schema={"resource": pl.String, "rows": pl.Int64, "first_date": pl.Date, "last_date": pl.Date})


# The tables whose rows are counts, with the date column and its precision column.
COUNT_DATES = {"arrests": ("as_of", "as_of_precision", "observation_id"),
               "raids": ("date", "date_precision", "raid_id")}


def covered_until(package: Package) -> dict | None:
    """Return the latest count in the package, by the last day its date may be (a count dated
    to March 2026 may be as late as 31 March): `date` and `precision` as the row gives them,
    `last_day`, `resource` and `row_id`; None when no count is dated. It says how far the
    record runs, so that a reader does not take the silence after it for an end of enforcement."""
    latest = None
    for resource, (date_column, precision_column, id_column) in COUNT_DATES.items():
        frame = table(package, resource)
        if not frame.height or date_column not in frame.columns:
            continue
        for day, precision, row_id in frame.select(date_column, precision_column, id_column).iter_rows():
            last_day = period_of(day, precision)[1]
            if last_day is None:
                continue
            candidate = (last_day, resource, row_id)
            if latest is None or candidate > latest[0]:
                latest = (candidate, {"date": day, "precision": precision or "day", "last_day": last_day,
                                      "resource": resource, "row_id": row_id})
    return latest[1] if latest else None


# --------------------------------------------------------------------------------------
# Headline numbers

HEADLINE_SCHEMA = {
    "headline": pl.String,
    "label": pl.String,
    "value": pl.Int64,
    "value_high": pl.Int64,
    "qualifier": pl.String,
    "value_text": pl.String,
    "unit": pl.String,
    "metric": pl.String,
    "baseline": pl.Date,
    "as_of": pl.Date,
    "as_of_precision": pl.String,
    "population": pl.String,
    "source_ids": pl.List(pl.String),
    "row_ids": pl.List(pl.String),
    "reports": pl.Int64,
    "origins": pl.List(pl.String),
    "reports_label": pl.String,
    "reliability": pl.String,
    "series_baseline": pl.Date,
    "baseline_month": pl.Date,
}

SURVIVOR_HEADLINES = {
    ("total", None): "survivors_total",
    ("nationalities", None): "survivors_nationalities",
    ("age_group", "under_18"): "survivors_children",
    ("sex", "female"): "survivors_women",
}
# The kinds of headline that stand beside an official series' latest tally.
BESIDE_LATEST = ("later_weaker_source", "later_without_day_baseline")


def headline_numbers(package: Package) -> pl.DataFrame:
    """Return the headline figures, each with value, qualifier, readable text and sources.

    Every figure of the arrests table is a claim counted once (`claims`): `source_ids` and
    `row_ids` list every report, `reports` and `origins` say how many pages carry it from how
    many independent origins (`reports_label` words it; both empty for survivor aggregates,
    which are no claims of the arrests table). Rules, so that headlines stay put as rows are
    added:
    - `study_sites`: each national claim of compounds identified or suspected;
    - `official_first`: for each tally metric and stated baseline (`claims.tally_claims`:
      never a subset, a count tied to a raid, a stock, cases, designations or estimates), the
      first date's figure (value = low, value_high = high when claims disagree);
    - `official_latest`: the latest claim of the series from its strongest sources (primary,
      then attributed, then unattributed; `reliability`), low and high among those on that date;
    - beside it (`series_baseline` names the series): `later_weaker_source`, the series' latest
      figure when weaker sources give one after it; `later_without_day_baseline`, each later
      claim of the metric whose source gives the baseline only to the month of the series'
      baseline (no `period_start`; `baseline_month` is the month the note states);
    - `latest_no_baseline`: for each tally metric, the latest claim with no baseline from its
      strongest sources (and a `later_weaker_source` beside it);
    - `latest_stock`: the latest count of people awaiting return (a stock, not a tally);
      `latest_estimate`: the latest estimate of people held;
    - `survivors_total`, `survivors_nationalities`, `survivors_children`, `survivors_women`:
      each published survivor aggregate of that kind, with its population.
    """
    rows = []
    national = claims(package).filter((pl.col("scope") == "national") & pl.col("nationality").is_null()
                                      & pl.col("sex").is_null())
    for r in national.filter(pl.col("metric").is_in(["sites_identified", "sites_suspected"])).iter_rows(named=True):
        rows.append(_headline("study_sites", one_figure([r]), "sites", r["period_start"], population=r["subset"]))
    tallies = national.filter(pl.col("metric").is_in(list(TALLY_METRICS)) & pl.col("subset").is_null()
                              & pl.col("raid_id").is_null())
    by_series = tallies.sort(["metric", "period_start"], nulls_last=True).partition_by(
        ["metric", "period_start"], maintain_order=True, as_dict=True)
    for (metric, baseline), group in by_series.items():
        members = list(group.iter_rows(named=True))
        unit = METRIC_UNITS[metric]
        latest = latest_from_strongest(members)
        if baseline is None:
            rows.append(_headline("latest_no_baseline", latest, unit, None))
        else:
            earliest = min(m["as_of"] for m in members)
            rows.append(_headline("official_first", one_figure([m for m in members if m["as_of"] == earliest]), unit, baseline))
            rows.append(_headline("official_latest", latest, unit, baseline, series=baseline))
        later = [m for m in members if m["as_of"] > latest["as_of"]]
        if later:
            last = max(m["as_of"] for m in later)
            rows.append(_headline("later_weaker_source", one_figure([m for m in later if m["as_of"] == last]), unit,
                                  baseline, series=baseline))
        if baseline is not None:
            month = baseline.replace(day=1)
            for m in tallies.filter((pl.col("metric") == metric) & pl.col("period_start").is_null()
                                    & (pl.col("baseline_month") == month) & (pl.col("as_of") > latest["as_of"])
                                    ).sort("as_of").iter_rows(named=True):
                rows.append(_headline("later_without_day_baseline", one_figure([m]), unit, None, series=baseline,
                                      month=month))
    for kind, metric in (("latest_stock", "awaiting_return"), ("latest_estimate", "estimated_held")):
        members = list(national.filter(pl.col("metric") == metric).iter_rows(named=True))
        if members:
            rows.append(_headline(kind, latest_from_strongest(members), METRIC_UNITS[metric], None))
    rows += _survivor_headlines(package)
    return rows_frame(rows, HEADLINE_SCHEMA)


def _survivor_headlines(package: Package) -> list[dict]:
    """One headline per group of survivors: rows that count the same group (`same_group_as`)
    are one headline with every source, `value` the lowest and `value_high` the highest count."""
    sources = sources_by_id(package)
    survivors = table(package, "survivors")
    first_of = ({r: f for r, f in survivors.select("group_id", "same_group_as").iter_rows() if f}
                if "same_group_as" in survivors.columns else {})
    groups: dict[str, list[dict]] = {}
    for r in survivor_demographics(package).iter_rows(named=True):
        groups.setdefault(first_of.get(r["group_id"], r["group_id"]), []).append(r)
    rows = []
    for members in groups.values():
        r = members[0]
        kind = SURVIVOR_HEADLINES.get((r["dimension"], None)) or SURVIVOR_HEADLINES.get((r["dimension"], r["category"]))
        if kind is None:
            continue
        source = sources.get(r["source_id"]) or {}
        # A study's period end is a day; otherwise the figure dates from its source's publication.
        as_of, precision = ((r["period_end"], "day") if r["period_end"]
                            else (r["published"], source.get("published_precision", "day")))
        publishers = [(sources.get(m["source_id"]) or {}).get("publisher") for m in members]
        figure = {
            "metric": None, "value": min(m["count"] for m in members), "value_high": max(m["count"] for m in members),
            "qualifier": r["qualifier"], "as_of": as_of, "as_of_precision": precision,
            "source_ids": list(dict.fromkeys(m["source_id"] for m in members)),
            "row_ids": [m["group_id"] for m in members], "reports": None,
            "origins": list(dict.fromkeys(p for p in publishers if p)), "reliability": source.get("reliability"),
        }
        unit = "nationalities" if r["dimension"] == "nationalities" else "persons"
        rows.append(_headline(kind, figure, unit, r["period_start"], population=r["population"]))
    return rows


def _headline(kind: str, figure: dict, unit: str, baseline: dt.date | None, population: str | None = None,
              series: dt.date | None = None, month: dt.date | None = None) -> dict:
    value_text = format_count_range(figure["value"], figure["value_high"], figure["qualifier"])
    as_of, precision = figure["as_of"], figure["as_of_precision"]
    return {
        "headline": kind,
        "label": headline_label(kind, value_text, figure["metric"], baseline, as_of, precision, population,
                                baseline_month=month, counted_by=" and ".join(figure["origins"]) or None),
        "value": figure["value"], "value_high": figure["value_high"], "qualifier": figure["qualifier"],
        "value_text": value_text, "unit": unit, "metric": figure["metric"], "baseline": baseline, "as_of": as_of,
        "as_of_precision": precision if as_of else None, "population": population,
        "source_ids": figure["source_ids"], "row_ids": figure["row_ids"], "reports": figure["reports"],
        "origins": figure["origins"],
        "reports_label": reports_label(figure["reports"], len(figure["origins"])) if figure["reports"] else None,
        "reliability": figure["reliability"], "series_baseline": series, "baseline_month": month,
    }


FINDING_HEADLINES = ("study_sites", "survivors_total")


def headline_findings(package: Package, limit: int = 24) -> pl.DataFrame:
    """Return the `headline_numbers` of studies and survivor groups as published (kinds
    `study_sites` and `survivors_total`): survivor totals first, then study findings, each
    kind smallest first; at most `limit` rows, the last ones (the smallest survivor totals
    are the first left out)."""
    frame = headline_numbers(package).filter(pl.col("headline").is_in(list(FINDING_HEADLINES)))
    return frame.sort(["headline", "value"], descending=[True, False]).tail(limit)


# The official baselines of the 2025-26 crackdown (codebook, "Baselines of the official series"),
# and the tallies of people announced from each.
CRACKDOWN_BASELINES = (dt.date(2025, 6, 27), dt.date(2025, 7, 14), dt.date(2026, 1, 1))
CRACKDOWN_METRICS = ("arrested", "detained", "deported")


def latest_crackdown_tallies(headlines: pl.DataFrame, beside: bool = False) -> pl.DataFrame:
    """Return the `headline_numbers` rows that are the latest official tally of people
    arrested, detained or deported from a baseline of the 2025-26 crackdown, by baseline then
    metric (each from its own baseline: never to be added); with `beside`, each followed by
    the later figures that stand beside it (kinds `later_weaker_source` and
    `later_without_day_baseline`, oldest first; `series_baseline` names the card's baseline),
    which are not the series' latest tally and say so in their `headline` and `label`."""
    kinds = ["official_latest", *BESIDE_LATEST] if beside else ["official_latest"]
    order = {kind: index for index, kind in enumerate(kinds)}
    return headlines.filter(
        pl.col("headline").is_in(kinds) & pl.col("metric").is_in(list(CRACKDOWN_METRICS))
        & pl.col("series_baseline").is_in(CRACKDOWN_BASELINES)
    ).with_columns(pl.col("headline").replace_strict(order, return_dtype=pl.Int64).alias("_kind")) \
        .sort(["series_baseline", "metric", "_kind", "as_of"]).drop("_kind")


SURVIVOR_HEADLINE_KINDS = tuple(SURVIVOR_HEADLINES.values())


def suppress_small_survivor_headlines(headlines: pl.DataFrame) -> pl.DataFrame:
    """Return `headline_numbers` as a table may show them: survivor figures through the
    small-cell rule (`privacy.suppress_small_cells`), so that a survivor count of 1 to 4 reads
    "<5" in `value`, `value_high`, `value_text` and `label`, flagged in `value_suppressed`.

    `value` and `value_high` become text (the numbers of other headlines written as they are).
    """
    survivor = headlines["headline"].is_in(SURVIVOR_HEADLINE_KINDS)
    cells = suppress_small_cells(headlines.select("value", "value_high"), ["value", "value_high"])
    hidden = survivor & cells["value_suppressed"]
    words = [
        headline_label(r["headline"], SMALL_CELL_LABEL, r["metric"], r["baseline"], r["as_of"],
                       r["as_of_precision"], r["population"], baseline_month=r["baseline_month"])
        if small else r["label"]
        for r, small in zip(headlines.iter_rows(named=True), hidden, strict=True)
    ]
    return headlines.with_columns(
        pl.Series("label", words, dtype=pl.String),
        *[pl.when(survivor).then(cells[name]).otherwise(pl.col(name).cast(pl.String)).alias(name)
          for name in ("value", "value_high")],
        pl.when(hidden).then(pl.lit(SMALL_CELL_LABEL)).otherwise(pl.col("value_text")).alias("value_text"),
        hidden.alias("value_suppressed"),
    )


# --------------------------------------------------------------------------------------
# Rows citing each source (added for the dashboard's sources page)

CITING_RESOURCES = ("compounds", "raids", "arrests", "survivors", "timeline")


def rows_per_source(package: Package) -> pl.DataFrame:
    """Return every source with how many rows of each resource cite it, and in all.

    Columns: `source_id`, one `<resource>_rows` per citing resource, `rows` (their sum).
    Sources no row cites have zeros."""
    sources = table(package, "sources")
    ids = sources["source_id"].to_list() if sources.height else []
    frame = pl.DataFrame({"source_id": ids}, schema={"source_id": pl.String})
    for name in CITING_RESOURCES:
        citing = table(package, name)
        counts = (citing.group_by("source_id").agg(pl.len().cast(pl.Int64).alias(f"{name}_rows"))
                  if citing.height else pl.DataFrame(schema={"source_id": pl.String, f"{name}_rows": pl.Int64}))
        frame = frame.join(counts, on="source_id", how="left").with_columns(pl.col(f"{name}_rows").fill_null(0))
    return frame.with_columns(
        pl.sum_horizontal([f"{name}_rows" for name in CITING_RESOURCES]).cast(pl.Int64).alias("rows")
    )
