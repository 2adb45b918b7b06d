"""Figures: a registry of figures, each with a stable id, title, subtitle, caption, alt text, a
source note and a pure function Package -> plotly Figure. No I/O beyond the shipped province
GeoJSON (package data), no Streamlit.

Every figure is built by `render(figure_id, package)`, which returns the plotly figure, the
frame of exactly the data plotted (exported as CSV next to the image) and the sources behind
it. A figure whose data are thin still builds: it shows a "No data yet" note instead. A figure
asks `stats` for its numbers and only draws; counts under the small-cell rule reach it already
through `privacy.suppress_small_cells`.

- `registry`: FigureSpec, RenderedFigure, register, get, figure_ids, render, UnknownFigure;
- `theme`: palette, fonts, the template and the default size;
- `marks`: what the topics share (milestones, series lines, the qualifier legend, province
  bars, heat maps, maps, text helpers, source notes, the "No data yet" figure);
- one module per topic, named as in `stats`: `arrests`, `raids`, `compounds`, `survivors`,
  `timeline`, `summary`. Importing this package imports them all, so every figure registers.
"""

from scamstats.figures import arrests, compounds, raids, summary, survivors, timeline
from scamstats.figures.arrests import count_series_figure
from scamstats.figures.registry import (
    FigureSpec,
    RenderedFigure,
    UnknownFigure,
    figure_ids,
    get,
    register,
    render,
)

__all__ = [
    "FigureSpec", "RenderedFigure", "UnknownFigure", "arrests", "compounds", "count_series_figure",
    "figure_ids", "get", "raids", "register", "render", "summary", "survivors", "timeline",
]
