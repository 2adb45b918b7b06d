"""The dashboard's figures at a phone's width, read from their layout (no browser): a figure
readied for the screen (`dashboard/screen.for_screen`) is drawn as wide as the page, so what
must stand apart is checked at a phone's: date tick labels, a heat map's counts and the year
over each of its columns, a map's labels, and the gaps between stacked panels. The browser
checks the same on the page (`test_dashboard_browser.py::test_a_phone_sized_screen`)."""

from __future__ import annotations

import datetime as dt
import itertools
import sys

import plotly.graph_objects as go
import pytest
from conftest import REPO_DIR

from scamstats import figures, stats
from scamstats.figures import map_labels
from scamstats.figures.marks import text_width
from scamstats.package import load_package
from scamstats.paths import PACKAGE_DIR

sys.path.insert(0, str(REPO_DIR / "dashboard"))
from screen import for_screen  # the dashboard's modules import each other by name

PHONE_PX = 358  # a chart on a 390 px phone: the page pads it 16 px on each side
APART_PX = 6  # the least room between two tick labels


@pytest.fixture(scope="module")
def shipped():
    return load_package(PACKAGE_DIR)


@pytest.fixture(scope="module")
def on_screen(shipped) -> dict[str, go.Figure]:
    shown = {i: for_screen(figures.render(i, shipped).figure, i) for i in figures.figure_ids()}
    series = stats.breakdown_series(shipped, ["arrested", "detained"], "IDN")  # the arrests page's chart
    shown["count-series"] = for_screen(figures.count_series_figure(series, "Indonesia", "arrested, detained"))
    return shown


def _plot_px(figure: go.Figure) -> float:
    return PHONE_PX - figure.layout.margin.l - figure.layout.margin.r


def _day(value) -> dt.date:
    return dt.date.fromisoformat(str(value)[:10])


def _ticks(axis) -> list[dt.date]:
    """The days a date axis ticks (its fixed step from its tick0, or its listed values)."""
    first, last = (_day(v) for v in axis.range)
    if axis.tickvals:
        return [d for d in map(_day, axis.tickvals) if first <= d <= last]
    assert isinstance(axis.dtick, str) and axis.dtick.startswith("M"), f"no fixed step: {axis.dtick!r}"
    step, start = int(axis.dtick[1:]), _day(axis.tick0 or "2000-01-01")
    months = range((first.year - start.year) * 12 - 12, (last.year - start.year) * 12 + 13)
    days = [dt.date(start.year + (start.month - 1 + m) // 12, (start.month - 1 + m) % 12 + 1, 1) for m in months]
    return [d for d in days if first <= d <= last and ((d.year - start.year) * 12 + d.month - start.month) % step == 0]


def _label_px(axis, size: float) -> float:
    """The width of a date tick's widest line as its format writes it."""
    form = axis.tickformat or "%b<br>%Y"
    return max(text_width(dt.date(2025, 9, 1).strftime(line.replace("’", "'")), size) for line in form.split("<br>"))


def test_date_tick_labels_stand_apart_at_a_phones_width(on_screen):
    for figure_id, figure in on_screen.items():
        for axis in figure.select_xaxes():
            if axis.type != "date" and not (isinstance(axis.dtick, str) and axis.dtick.startswith("M")):
                continue
            first, last = (_day(v) for v in axis.range)
            low, high = axis.domain or (0, 1)
            px = _plot_px(figure) * (high - low)
            at = [(d - first).days / (last - first).days * px for d in _ticks(axis)]
            assert at, (figure_id, axis.plotly_name, "no tick")
            label = _label_px(axis, axis.tickfont.size or 14)
            gaps = [b - a - label for a, b in itertools.pairwise(at)]
            assert all(gap >= APART_PX for gap in gaps), (figure_id, axis.plotly_name, axis.dtick, [round(g) for g in gaps])
            assert axis.tickangle in (0, None), (figure_id, axis.plotly_name)  # never slanted


def test_heat_map_counts_fit_their_cells_at_a_phones_width(on_screen):
    maps = {i: f for i, f in on_screen.items() if any(t.type == "heatmap" for t in f.data)}
    assert {"raids-by-province-and-year", "compounds-status-by-province"} <= set(maps)
    for figure_id, figure in maps.items():
        heat = next(t for t in figure.data if t.type == "heatmap")
        pitch = _plot_px(figure) / len(heat.x)
        written = [str(text) for row in heat.text for text in row if text]
        assert heat.texttemplate and written
        size = heat.textfont.size
        assert size >= 10, figure_id  # legible
        widest = max(text_width(text, size) for text in written)
        assert widest + 2 <= pitch - heat.xgap, (figure_id, size, round(widest), round(pitch))
        rows = max(text_width(str(y), figure.layout.yaxis.tickfont.size or 14) for y in heat.y)
        assert rows <= figure.layout.margin.l, figure_id  # the row labels in the margin kept for them
        columns = [str(c) for c in figure.layout.xaxis.ticktext or heat.x]
        if all(c[-2:].isdigit() for c in columns):  # years side by side, never slanted, 4 px apart at least
            widest = max(text_width(c.lstrip("’"), 12) + 3 * c.startswith("’") for c in columns)  # ’: a quarter em
            assert widest + 4 <= pitch, (figure_id, columns[:2], round(pitch))


def test_map_labels_stand_apart_at_a_phones_width(on_screen):
    for figure_id in ("raids-map", "compounds-map"):
        probe = go.Figure(on_screen[figure_id])
        # At a phone's scale: `map_scale` takes the colour bar off the width; on a screen it lies below.
        probe.layout.width = PHONE_PX + map_labels.COLOUR_BAR_PX
        clashing = [pair for pair in map_labels.overlapping(probe) if "name:" not in pair]  # "name:": left out
        assert not clashing, (figure_id, clashing[:3])
        names = next(t for t in probe.data if (t.meta or {}).get("role") == "names")
        assert sum(1 for name in names.text if name) >= 2 / 3 * len(names.text), figure_id  # most still named


def test_stacked_panels_keep_room_between_them(on_screen):
    figure = on_screen["returns-by-nationality"]
    layout = figure.layout
    entries = sum(1 for t in figure.data if t.showlegend is not False and t.name)
    plot = layout.height - layout.margin.t - layout.margin.b - (18 * entries if entries > 4 else 0)
    domains = sorted((tuple(a.domain) for a in figure.select_yaxes()), reverse=True)
    assert len(domains) == 4
    for upper, lower in itertools.pairwise(domains):
        assert (upper[0] - lower[1]) * plot >= 70, round((upper[0] - lower[1]) * plot)  # ticks, then a title
