"""The registry of figures: each with a stable id, title, subtitle, caption, alt text and a
pure function Package -> (plotly figure, the data drawn, its sources); and `render`, which
builds one with its title, source note and footer applied.

The topic modules (`figures.arrests`, `figures.raids`, ...) register their figures here when
`scamstats.figures` is imported; `ORDER` fixes the order they are listed and built in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import plotly.graph_objects as go
import polars as pl

from scamstats.figures.marks import Plotted, footer_offset, source_note, wrap
from scamstats.figures.theme import GREY, HEIGHT, TEMPLATE, WIDTH, subtitled
from scamstats.package import Package

# The order figures are listed, built and written into the manifest (fixed, so that a rebuild
# gives the same manifest whatever order the topic modules are imported in).
ORDER = (
    "official-tallies-crackdown", "official-tallies-deportations", "detentions-by-nationality-latest",
    "detentions-by-nationality-over-time", "share-of-women", "raids-per-month", "raids-by-province",
    "raids-by-province-and-year", "raids-map", "compounds-map", "compounds-by-province",
    "compounds-status-by-province", "compounds-after-raids", "returns-by-nationality",
    "survivor-demographics", "headline-numbers", "timeline",
)


@dataclass(frozen=True)
class FigureSpec:
    """A registered figure: what it shows, in words, and the function that draws it.

    `small_cells` names the columns of its data that hold counts under the small-cell rule
    (`privacy.suppress_small_cells`); `render` refuses data in which they did not go through it.
    """

    id: str
    title: str
    subtitle: str
    caption: str
    alt: str
    plot: Callable[[Package], Plotted] = field(repr=False)
    small_cells: tuple[str, ...] = ()

    def figure(self, package: Package) -> go.Figure:
        """Return the plotly figure for this package."""
        return render(self.id, package).figure


@dataclass(frozen=True)
class RenderedFigure:
    """A figure built from a package: the plotly figure, the plotted data, its sources.

    `data` is exactly what is drawn, list columns (source_ids, row_ids...) kept as lists; the
    CSV writer (`export.csv_bytes`) joins them."""

    spec: FigureSpec
    figure: go.Figure
    data: pl.DataFrame
    source_ids: list[str]
    source_note: str


REGISTRY: dict[str, FigureSpec] = {}


class UnknownFigure(KeyError):
    """No figure has this id."""

    def __str__(self) -> str:
        return f"no figure with id {self.args[0]!r}; known: {', '.join(sorted(REGISTRY))}"


def register(id: str, title: str, subtitle: str, caption: str, alt: str, small_cells: tuple[str, ...] = ()):
    """Decorator: register a plot function under a stable id (one listed in `ORDER`)."""

    def wrap_plot(plot):
        if id in REGISTRY:
            raise ValueError(f"figure id {id!r} registered twice")
        if id not in ORDER:
            raise ValueError(f"figure id {id!r} is not in registry.ORDER: add it where it should be listed")
        REGISTRY[id] = FigureSpec(id, title, subtitle, caption, alt, plot, small_cells)
        return plot

    return wrap_plot


def figure_ids() -> list[str]:
    """Return the registered figure ids, in the order of `ORDER`."""
    return [figure_id for figure_id in ORDER if figure_id in REGISTRY]


def get(figure_id: str) -> FigureSpec:
    """Return the spec of one figure, or raise UnknownFigure."""
    try:
        return REGISTRY[figure_id]
    except KeyError:
        raise UnknownFigure(figure_id) from None


def render(figure_id: str, package: Package) -> RenderedFigure:
    """Return the figure with its title, subtitle and source note applied, and its data."""
    spec = get(figure_id)
    figure, data, source_ids = spec.plot(package)
    unchecked = [c for c in spec.small_cells if c in data.columns and f"{c}_suppressed" not in data.columns]
    if unchecked:
        raise ValueError(f"figure {figure_id!r}: {', '.join(unchecked)} did not go through the small-cell rule")
    source_ids = sorted({s for s in source_ids if s})
    # Fixed trace uids: plotly otherwise draws random ones into SVG class names and ids.
    for number, trace in enumerate(figure.data):
        trace.uid = f"{number:06x}"
    note = source_note(package, source_ids)
    frame_figure(figure, spec, note, package)
    return RenderedFigure(spec, figure, data, source_ids, note)


def frame_figure(figure: go.Figure, spec: FigureSpec, note: str, package: Package) -> None:
    """Apply the theme and the heading, and write the caption, source note and figure id below."""
    figure.update_layout(template=TEMPLATE, title={"text": subtitled(spec.title, spec.subtitle)})
    width = int(figure.layout.width or WIDTH)
    margin = figure.layout.margin
    left = margin.l if margin.l is not None else 80
    right = margin.r if margin.r is not None else 40
    chars = int((width - 48) / 6.3)
    lines = wrap(spec.caption, chars) + wrap(note, chars)
    lines.append(f"scamstats data package {package.version} · figure {spec.id} · CC BY 4.0")
    offset = footer_offset(figure)
    bottom = offset + 15 * len(lines) + 16
    if figure.layout.yaxis.scaleanchor:  # a map keeps its scale (its labels are placed on it): the footer adds height
        old_bottom = margin.b if margin.b is not None else 130
        figure.update_layout(height=int(figure.layout.height or HEIGHT) + bottom - old_bottom)
    figure.update_layout(margin={"l": left, "r": right, "b": bottom})
    figure.add_annotation(
        text=f"<span style='color:{GREY}'>{'<br>'.join(lines)}</span>", xref="paper", yref="paper",
        x=(24 - left) / max(1, width - left - right), y=0, xanchor="left", yanchor="top",
        yshift=-offset, showarrow=False, align="left", font={"size": 11},
    )
