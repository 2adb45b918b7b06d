"""Time panels: date axes fixed to the days they show (with ticks that fit a narrow panel,
never slanted), panels by era (`stats.ERAS`) side by side or stacked full width, and the names
of their axes. A figure sets its panels' ranges here before `figures.milestones` places labels.
"""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from scamstats import stats


def date_range(dates: list[dt.date]) -> tuple[dt.date | None, dt.date | None]:
    """Return the first and last of the dates given (None, None when there are none)."""
    dates = [d for d in dates if d is not None]
    return (min(dates), max(dates)) if dates else (None, None)


def pad_dates(figure: go.Figure, start: dt.date | None, end: dt.date | None, right: float = 0.05) -> None:
    """Fix the date axis range (annotations would otherwise widen plotly's autorange)."""
    if start is None or end is None:
        return
    span = max(end - start, dt.timedelta(days=30))
    figure.update_xaxes(range=[(start - span * 0.04).isoformat(), (end + span * right).isoformat()])




def date_ticks(start: dt.date, end: dt.date) -> dict:
    """Tick settings for a date axis from start to end that fit a narrow panel, never slanted:
    years on a long one, months (month above year) on a short one."""
    days = (end - start).days
    if days > 3 * 365:
        return {"tickformat": "%Y", "dtick": "M12", "tickangle": 0}
    if days > 400:
        return {"tickformat": "%b<br>%Y", "dtick": "M6", "tickangle": 0}
    return {"tickformat": "%b<br>%Y", "dtick": "M2" if days > 150 else "M1", "tickangle": 0}


def era_title(era: str, start: dt.date, end: dt.date) -> str:
    """A panel's name for an era: its years as drawn ('2017–2022', '2025–26')."""
    if start.year == end.year:
        return str(start.year)
    return f"{start.year}–{str(end.year)[-2:]}" if start.year // 100 == end.year // 100 and era == stats.ERAS[1] \
        else f"{start.year}–{end.year}"


def era_ranges(days: list[dt.date | None]) -> dict[str, tuple[dt.date, dt.date]]:
    """Return, for each era the days fall in (`stats.ERAS`), the first and last of its days."""
    ranges: dict[str, tuple[dt.date, dt.date]] = {}
    for era in stats.eras_present(days):
        inside = [d for d in days if d is not None and stats.era_of(d) == era]
        ranges[era] = (min(inside), max(inside))
    return ranges


def panel_widths(points: list[int]) -> list[float]:
    """Relative widths of time panels: wider for the panels with more points (where the data
    is), none under three tenths."""
    weights = [max(1, n) ** 0.5 for n in points]
    shares = [max(0.3, w / sum(weights)) for w in weights]
    return [s / sum(shares) for s in shares]


def panels(titles: list[str], widths: list[float] | None = None, spacing: float = 0.08) -> go.Figure:
    """Return a figure of side-by-side panels (one row), titled."""
    if len(titles) == 1:
        figure = make_subplots(rows=1, cols=1, subplot_titles=titles)
    else:
        figure = make_subplots(rows=1, cols=len(titles), column_widths=widths, horizontal_spacing=spacing,
                               subplot_titles=titles)
    for annotation in figure.layout.annotations:
        annotation.font = {"size": 14}
    return figure


def stacked(titles: list[str], heights: list[float], gap_px: float, plot_px: float) -> go.Figure:
    """Return a figure of full-width panels stacked in one column (one per title, top first),
    `gap_px` pixels apart for a panel's date ticks and the next one's title: at any width each
    panel keeps the whole width, where side by side a phone would leave each a sliver."""
    figure = make_subplots(rows=len(titles), cols=1, row_heights=heights, subplot_titles=titles,
                           vertical_spacing=min(0.3, gap_px / max(1.0, plot_px)) if len(titles) > 1 else 0)
    for annotation in figure.layout.annotations:
        annotation.update(x=0, xanchor="left", font={"size": 14})
    return figure


def axis_name(column: int, letter: str = "x") -> str:
    """The name of the axis of panel `column` as traces and annotations refer to it ('x', 'x2'...)."""
    return letter if column == 1 else f"{letter}{column}"


def set_time_axis(figure: go.Figure, column: int, start: dt.date, end: dt.date, right: float = 0.06) -> None:
    """Fix one panel's date axis to the days it shows, padded a little, with ticks that fit."""
    if end - start < dt.timedelta(days=90):  # a lone date: a quarter around it, so a month tick shows
        middle = start + (end - start) / 2
        start, end = middle - dt.timedelta(days=45), middle + dt.timedelta(days=45)
    span = end - start
    figure.layout[f"xaxis{column if column > 1 else ''}"].update(
        type="date", range=[(start - span * 0.05).isoformat(), (end + span * right).isoformat()], **date_ticks(start, end))
