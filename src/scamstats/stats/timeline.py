"""Timeline milestones: one row per milestone however many sources report it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl

from scamstats.package import Package
from scamstats.stats.common import empty_frame, reports_listed, table, with_first_report

MILESTONES_SCHEMA = {
    "event_id": pl.String, "date": pl.Date, "date_precision": pl.String, "category": pl.String,
    "label": pl.String, "event": pl.String, "source_id": pl.String,
    "source_ids": pl.List(pl.String), "row_ids": pl.List(pl.String), "reports": pl.UInt32,
}


def milestones(package: Package, start: dt.date | None = None, end: dt.date | None = None,
               categories: Iterable[str] | None = None) -> pl.DataFrame:
    """Return the timeline's milestones within a span, one row each: rows linked by
    `same_event_as` (other reports of the same milestone) are folded into the row they point
    to, which gives the date, category, label and event; `source_ids` and `row_ids` list every
    report's source and event_id (that row's first), `reports` how many there are."""
    timeline = table(package, "timeline")
    if not timeline.height:
        return empty_frame(MILESTONES_SCHEMA)
    if "label" not in timeline.columns:
        timeline = timeline.with_columns(pl.col("event").alias("label"))
    reports = reports_listed(with_first_report(timeline, "event_id", "same_event_as"), "event_id", "date")
    frame = timeline.join(reports, left_on="event_id", right_on="_first", how="inner").select(list(MILESTONES_SCHEMA))
    if start is not None:
        frame = frame.filter(pl.col("date") >= start)
    if end is not None:
        frame = frame.filter(pl.col("date") <= end)
    if categories is not None:
        frame = frame.filter(pl.col("category").is_in(list(categories)))
    return frame.cast(MILESTONES_SCHEMA).sort(["date", "event_id"])


def latest_milestones(package: Package, limit: int) -> pl.DataFrame:
    """Return the latest `limit` of `milestones` (all of them when there are fewer), oldest first."""
    return milestones(package).tail(limit)
