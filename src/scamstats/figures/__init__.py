"""Figures: a registry of figures, each with a stable id, title, subtitle, caption, alt text, a
source note and a pure function Package -> plotly Figure. No I/O beyond the shipped province
GeoJSON (package data), no Streamlit.

Every figure is built by `render(figure_id, package)`, which returns the plotly figure, the
frame of exactly the data plotted (exported as CSV next to the image) and the sources behind
it. A figure whose data are thin still builds: it shows a "No data yet" note instead. A figure
asks `stats` for its numbers and only draws; counts under the small-cell rule reach it already
through `privacy.suppress_small_cells`.

- `registry`: FigureSpec, RenderedFigure, register, get, figure_ids, render, UnknownFigure;
- `theme`: palette, fonts, the template, the default size and the colour registry (one colour
  per baseline, nationality and kind of milestone in every figure and the dashboard);
- `marks`: what the topics share (text that fits, series drawn by the codebook's date rules,
  legend keys, province bars, heat maps, source notes, "No data yet");
- `panels`: date axes and time panels by era, side by side or stacked full width;
- `milestones`: timeline milestones on date axes, labelled above the plot;
- `maps`: offline province maps drawn as shapes, with named provinces and place dots, their
  labels placed by `map_labels` so that none overlap;
- one module per topic, named as in `stats`: `arrests` (with `lines` for the official
  cumulative series), `raids`, `compounds`, `survivors`, `timeline`, `summary`. Importing this
  package imports them all, so every figure registers.
"""

from scamstats.figures import arrests, compounds, lines, raids, summary, survivors, theme, timeline
from scamstats.figures.lines import count_series_figure
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
    "figure_ids", "get", "lines", "raids", "register", "render", "summary", "survivors", "theme", "timeline",
]
