"""Figures laid out for a phone (`figures.render(..., narrow=True)`, 390 px wide: the width the
dashboard draws them at): every figure with panels has such a layout, its panels stacked full
width and far enough apart, its words inside the picture (heading, panel titles, labels,
milestones, footer), milestone labels apart, date ticks that fit, and the legend below the
plot and above the footer."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import plotly.graph_objects as go
import pytest

from scamstats import figures
from scamstats.figures import panels, theme
from scamstats.figures.marks import text_width
from scamstats.figures.registry import narrow_legend_px
from scamstats.package import load_package
from scamstats.paths import PACKAGE_DIR


def _x_axes(figure: go.Figure) -> list[str]:
    return sorted(name for name in figure.layout if name.startswith("xaxis"))


@pytest.fixture(scope="module")
def shipped():
    return load_package(PACKAGE_DIR)


@pytest.fixture(scope="module")
def with_panels(shipped) -> list[str]:
    """The figures drawn in more than one panel."""
    return [i for i in figures.figure_ids() if len(_x_axes(figures.render(i, shipped).figure)) > 1]


@pytest.fixture(scope="module")
def narrow(shipped, with_panels) -> dict[str, go.Figure]:
    return {i: figures.render(i, shipped, narrow=True).figure for i in with_panels}


def _plot_box(figure: go.Figure) -> tuple[float, float, float, float]:
    """Left, right, top and bottom of the plot area, in pixels from the top left."""
    layout = figure.layout
    return layout.margin.l, layout.width - layout.margin.r, layout.margin.t, layout.height - layout.margin.b


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _x_pixel(figure: go.Figure, xref: str, x) -> float | None:
    """Where x is drawn, in pixels from the left (None on a category axis)."""
    left, right, _, _ = _plot_box(figure)
    if xref in ("paper", None):
        return left + float(x) * (right - left)
    axis = figure.layout[f"xaxis{xref[1:]}"]
    low, high = axis.domain or (0, 1)
    x0, x1 = left + low * (right - left), left + high * (right - left)
    if axis.type == "date":
        first, last = (_date(v) for v in axis.range)
        return x0 + (_date(x) - first).days / (last - first).days * (x1 - x0)
    if axis.range is None or isinstance(x, str):
        return None
    return x0 + (float(x) - axis.range[0]) / (axis.range[1] - axis.range[0]) * (x1 - x0)


def _lines(text: str) -> list[str]:
    return re.sub(r"<(?!br>)[^>]*>", "", text).split("<br>")


def _sized_lines(text: str, size: float) -> list[tuple[str, float]]:
    """Each line of a text with its font size (a span's font-size where one is open)."""
    found, current = [], size
    for raw in text.split("<br>"):
        opened = re.findall(r"font-size:(\d+)px", raw)
        current = float(opened[-1]) if opened else current
        found.append((re.sub(r"<[^>]*>", "", raw), current))
        if "</span>" in raw and not re.search(r"<span[^>]*>[^<]*$", raw):
            current = size
    return found


def _annotation_box(figure: go.Figure, note) -> tuple[float, float] | None:
    """Left and right edge of an annotation's text, in pixels."""
    at = _x_pixel(figure, note.xref, note.x)
    if at is None:
        return None
    width = max(text_width(line, size) for line, size in _sized_lines(note.text, note.font.size or 14))
    at += note.xshift or 0
    anchor = note.xanchor if note.xanchor not in (None, "auto") else "center"
    left = at if anchor == "left" else at - width if anchor == "right" else at - width / 2
    return left, left + width


def test_every_figure_with_panels_has_a_phone_layout(shipped, with_panels, narrow):
    assert {"official-tallies-crackdown", "returns-by-nationality", "compounds-after-raids",
            "headline-numbers"} <= set(with_panels)
    for figure_id in with_panels:
        assert figures.get(figure_id).has_narrow_layout, figure_id
        assert narrow[figure_id].layout.width == theme.NARROW_WIDTH
    # A figure without panels has none and comes as it is.
    assert not figures.get("raids-by-province").has_narrow_layout
    assert figures.render("raids-by-province", shipped, narrow=True).figure.layout.width in (None, theme.WIDTH)


def test_panels_are_stacked_full_width_and_far_enough_apart(narrow):
    for figure_id, figure in narrow.items():
        assert all(tuple(figure.layout[name].domain or (0, 1)) == (0, 1) for name in _x_axes(figure)), figure_id
        _, _, top, bottom = _plot_box(figure)
        domains = sorted((tuple(figure.layout[n].domain or (0, 1)) for n in figure.layout if n.startswith("yaxis")),
                         reverse=True)
        for upper, lower in itertools.pairwise(domains):
            gap = (upper[0] - lower[1]) * (bottom - top)
            assert gap >= 70, (figure_id, round(gap))  # the upper panel's ticks, the lower one's title


def test_words_stay_inside_the_picture(narrow):
    for figure_id, figure in narrow.items():
        width = figure.layout.width
        for line, size in _sized_lines(figure.layout.title.text, figure.layout.title.font.size):
            assert 12 + text_width(line, size) <= width, (figure_id, line)
        for note in figure.layout.annotations:
            box = _annotation_box(figure, note)
            if box is not None:
                assert box[0] >= -2 and box[1] <= width + 2, (figure_id, note.text[:60], [round(b) for b in box])


def test_milestone_labels_stand_apart(narrow):
    for figure_id, figure in narrow.items():
        labels = [(note.yshift, _annotation_box(figure, note)) for note in figure.layout.annotations
                  if note.name == "milestone"]
        for i, (row, (a0, a1)) in enumerate(labels):
            for other_row, (b0, b1) in labels[i + 1:]:
                assert row != other_row or a1 <= b0 or b1 <= a0, figure_id


def test_date_ticks_fit_their_panel(narrow):
    for figure_id, figure in narrow.items():
        for name in _x_axes(figure):
            axis = figure.layout[name]
            if axis.type != "date":
                continue
            first, last = (_date(v) for v in axis.range)
            months = (last.year - first.year) * 12 + last.month - first.month
            ticks = months / int(axis.dtick[1:]) + 1
            assert ticks * panels.TICK_PX <= panels.panel_px(figure, int(name[5:] or 1)) + panels.TICK_PX, \
                (figure_id, name, axis.dtick)


def test_the_legend_is_below_the_plot_and_above_the_footer(narrow):
    for figure_id, figure in narrow.items():
        layout = figure.layout
        footer = next(n for n in layout.annotations if f"figure {figure_id} ·" in n.text)
        legend_px = narrow_legend_px(figure, layout.width - layout.margin.l - layout.margin.r)
        if legend_px:
            assert layout.legend.orientation == "h" and layout.legend.yref == "container", figure_id
            legend_top = layout.height * (1 - layout.legend.y)  # pixels from the top
            assert legend_top >= layout.height - layout.margin.b, figure_id  # below the plot area
        # The footer starts below the legend.
        assert -footer.yshift >= legend_px, figure_id
