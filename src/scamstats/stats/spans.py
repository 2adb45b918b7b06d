"""Where a dated count may be drawn on a time axis (codebook, "How dates are drawn").

- A date known to the day is drawn on that day. A date known only to the month or the year
  stands for its whole period: `period_first` to `period_last`, never a day of it; a mark
  for it sits at the end of the period (`drawn_on`), by when the count had been reached.
- Nothing is drawn before its series' baseline: a period that starts before the baseline
  starts at the baseline.
- A cumulative line joins only comparable points: the same metric, baseline and qualifier,
  and never downwards. An 'at least' or 'about' figure is a mark off the exact line; a point
  that would make its line fall is a mark too (`off_line` says why).
- Time axes are cut into eras (`ERA_START`): counts before 2025 and those of the 2025-26
  crackdown are drawn in panels of their own rather than on one ten-year axis.

Pure functions over the frames other statistics return; no I/O, no plotting.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable

import polars as pl

# The crackdown era starts here: counts dated before it belong to the earlier era.
ERA_START = dt.date(2025, 1, 1)
ERAS = ("before 2025", "2025-26")

OFF_LINE_HEDGED = "hedged figure: not joined to the line of exact figures"
OFF_LINE_LOWER = "lower than a figure drawn before it: not joined"

SPAN_COLUMNS = {"period_first": pl.Date, "period_last": pl.Date, "drawn_on": pl.Date}
LINE_COLUMNS = {**SPAN_COLUMNS, "on_line": pl.Boolean, "line_qualifier": pl.String, "off_line": pl.String,
                "era": pl.String}


def period_of(day: dt.date | None, precision: str | None,
              baseline: dt.date | None = None) -> tuple[dt.date | None, dt.date | None]:
    """Return the first and last day a date of this precision may be (a month's first and
    last day, a year's...), the first day never before `baseline`."""
    if day is None:
        return None, None
    if precision == "year":
        first, last = dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)
    elif precision == "month":
        first = dt.date(day.year, day.month, 1)
        last = dt.date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    else:
        first = last = day
    if baseline is not None and first < baseline <= last:
        first = baseline
    return first, last


def era_of(day: dt.date | None) -> str | None:
    """Return the era a day belongs to: 'before 2025' or '2025-26' (`ERAS`)."""
    if day is None:
        return None
    return ERAS[0] if day < ERA_START else ERAS[1]


def with_spans(frame: pl.DataFrame, date: str = "as_of", precision: str = "as_of_precision",
               baseline: str | None = "baseline") -> pl.DataFrame:
    """Return the frame with `period_first`, `period_last` (the span its date's precision
    allows, from the baseline at the earliest) and `drawn_on` (the span's last day, where a
    mark for it is drawn; the day itself for a day) and `era` (`era_of(drawn_on)`)."""
    firsts, lasts = [], []
    baselines = frame[baseline].to_list() if baseline and baseline in frame.columns else [None] * frame.height
    precisions = frame[precision].to_list() if precision in frame.columns else ["day"] * frame.height
    for day, prec, base in zip(frame[date].to_list(), precisions, baselines, strict=True):
        first, last = period_of(day, prec, base)
        firsts.append(first)
        lasts.append(last)
    return frame.with_columns(
        pl.Series("period_first", firsts, dtype=pl.Date),
        pl.Series("period_last", lasts, dtype=pl.Date),
        pl.Series("drawn_on", lasts, dtype=pl.Date),
        pl.Series("era", [era_of(d) for d in lasts], dtype=pl.String),
    )


def _rising(values: list[int], weights: list[int]) -> set[int]:
    """Indexes of the heaviest subsequence of `values` that never falls (ties: the earliest)."""
    best: list[int] = []
    previous: list[int | None] = []
    for i, value in enumerate(values):
        score, before = weights[i], None
        for j in range(i):
            if values[j] <= value and best[j] + weights[i] > score:
                score, before = best[j] + weights[i], j
        best.append(score)
        previous.append(before)
    if not values:
        return set()
    end = max(range(len(values)), key=lambda i: (best[i], -i))
    kept: set[int] = set()
    while end is not None:
        kept.add(end)
        end = previous[end]
    return kept


def line_points(series: pl.DataFrame) -> pl.DataFrame:
    """Return `official_series` rows with where each is drawn (`with_spans`) and whether a
    cumulative line joins it (`on_line`), by the codebook's rules.

    Per metric and baseline, a line joins the points of one qualifier (`line_qualifier`): the
    exact figures, or, when the series has none, those of its most frequent qualifier. Their
    highest value (`value_high`) in order of `drawn_on` must never fall: of the points that
    would make it fall, the fewest are left off, day-dated points kept before coarser ones.
    Every other point is a mark off the line, `off_line` saying why.
    """
    frame = with_spans(series)
    if not frame.height:
        return frame.with_columns(*[pl.lit(None, t).alias(n) for n, t in LINE_COLUMNS.items() if n not in frame.columns])
    frame = frame.with_row_index("_row")
    on_line: dict[int, bool] = {}
    qualifier_of: dict[int, str] = {}
    why: dict[int, str | None] = {}
    for _, group in frame.group_by(["metric", "baseline"], maintain_order=True):
        qualifiers = group["qualifier_high"].to_list()
        line_qualifier = "exact" if "exact" in qualifiers else max(
            sorted(set(qualifiers)), key=qualifiers.count)
        joined = group.filter(pl.col("qualifier_high") == line_qualifier).sort(["drawn_on", "as_of", "value_high"])
        rows = joined["_row"].to_list()
        weights = [2 if p == "day" else 1 for p in joined["as_of_precision"]]
        kept = {rows[i] for i in _rising(joined["value_high"].to_list(), weights)}
        for row, qualifier in zip(group["_row"], qualifiers, strict=True):
            qualifier_of[row] = line_qualifier
            on_line[row] = row in kept
            why[row] = None if row in kept else (OFF_LINE_HEDGED if qualifier != line_qualifier else OFF_LINE_LOWER)
    rows = frame["_row"].to_list()
    return frame.with_columns(
        pl.Series("on_line", [on_line[r] for r in rows], dtype=pl.Boolean),
        pl.Series("line_qualifier", [qualifier_of[r] for r in rows], dtype=pl.String),
        pl.Series("off_line", [why[r] for r in rows], dtype=pl.String),
    ).drop("_row")


def eras_present(days: Iterable[dt.date | None]) -> list[str]:
    """Return the eras (`ERAS`, in order) that hold at least one of the days."""
    found = {era_of(d) for d in days if d is not None}
    return [era for era in ERAS if era in found]
