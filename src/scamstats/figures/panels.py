"""Time panels: date axes fixed to the days they show (with ticks that fit the panel's width,
never slanted), panels by era (`stats.ERAS`) side by side or stacked full width (a phone's
layout, `narrow`), and their axes. A figure sizes its layout first (`narrow_layout`), then sets
its panels' ranges here, then lets `figures.milestones` place labels: each step reads pixels.
"""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from scamstats import stats
from scamstats.figures.theme import NARROW_MARGIN, NARROW_WIDTH, WIDTH

TICK_PX = 48  # pixels a date tick's label needs ("2025", "Sep" above "2025") with room between
TICK_MONTHS = (1, 2, 3, 6, 12, 24, 60)
# A phone's layout (`narrow`): panels stacked full width, each this high, this far apart (the
# upper one's date ticks and the lower one's title between them).
NARROW_PANEL_PX = 240
NARROW_GAP_PX = 84


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




def date_ticks(start: dt.date, end: dt.date, px: float | None = None) -> dict:
    """Tick settings for a date axis from start to end, never slanted: years on a long one,
    months (month above year) on a short one, a tick every 1, 2, 3 or 6 months or 1, 2 or 5
    years, the finest whose labels fit the panel's `px` pixels (`TICK_PX` a label)."""
    days = (end - start).days
    finest = 12 if days > 3 * 365 else 3 if days > 400 else 2 if days > 150 else 1
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    fit = max(2, int(px // TICK_PX)) if px else None
    step = next((s for s in TICK_MONTHS if s >= finest and (fit is None or months / s + 1 <= fit)), TICK_MONTHS[-1])
    return {"tickformat": "%Y" if step >= 12 else "%b<br>%Y", "dtick": f"M{step}", "tickangle": 0}


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


def panels(titles: list[str], widths: list[float] | None = None, spacing: float = 0.08,
           narrow: bool = False) -> go.Figure:
    """Return a figure of side-by-side panels (one row), titled; for a phone (`narrow`), the
    panels stacked full width (`narrow_layout` sizes it). Panel k's axes are x{k} and y{k}
    either way (`axis`, `axis_name`)."""
    if narrow and len(titles) > 1:
        return stacked(titles, [1.0] * len(titles), NARROW_GAP_PX, stacked_px([NARROW_PANEL_PX] * len(titles)))
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
        annotation.update(x=0, xanchor="left", align="left", font={"size": 14})
    return figure


def stacked_px(heights: list[float], gap_px: float = NARROW_GAP_PX) -> float:
    """The pixels a column of stacked panels of these heights takes, gaps included."""
    return sum(heights) + gap_px * (len(heights) - 1)


def narrow_layout(figure: go.Figure, plot_px: float, top: float = 100) -> None:
    """Size a figure for a phone: its width, side margins, `top` pixels above a plot of
    `plot_px` (the registry's narrow frame keeps that height and adds the footer)."""
    figure.update_layout(width=NARROW_WIDTH, height=int(top + plot_px + 130), margin={**NARROW_MARGIN, "t": top, "b": 130})


def axis_name(column: int, letter: str = "x") -> str:
    """The name of the axis of panel `column` as traces and annotations refer to it ('x', 'x2'...)."""
    return letter if column == 1 else f"{letter}{column}"


def axis(figure: go.Figure, column: int, letter: str = "x"):
    """The layout axis of panel `column` (its x or y axis), wherever the panel sits."""
    return figure.layout[f"{letter}axis{column if column > 1 else ''}"]


def on_panel(trace, column: int):
    """The trace drawn on panel `column`'s axes (side by side or stacked alike)."""
    trace.update(xaxis=axis_name(column), yaxis=axis_name(column, "y"))
    return trace


def panel_px(figure: go.Figure, column: int) -> float:
    """Roughly how many pixels wide panel `column` is drawn (its share of the plot's width)."""
    layout = figure.layout
    left = layout.margin.l if layout.margin.l is not None else 80
    right = layout.margin.r if layout.margin.r is not None else 40
    low, high = axis(figure, column).domain or (0, 1)
    return ((layout.width or WIDTH) - left - right) * (high - low)


def set_time_axis(figure: go.Figure, column: int, start: dt.date, end: dt.date, right: float = 0.06) -> None:
    """Fix one panel's date axis to the days it shows, padded a little, with ticks that fit."""
    if end - start < dt.timedelta(days=90):  # a lone date: a quarter around it, so a month tick shows
        middle = start + (end - start) / 2
        start, end = middle - dt.timedelta(days=45), middle + dt.timedelta(days=45)
    span = end - start
    first, last = start - span * 0.05, end + span * right
    axis(figure, column).update(type="date", range=[first.isoformat(), last.isoformat()],
                                **date_ticks(first, last, panel_px(figure, column)))
