"""The registry of figures: each with a stable id, title, subtitle, caption, alt text and a
pure function Package -> (plotly figure, the data drawn, its sources); and `render`, which
builds one with its title, source note and footer applied.

The topic modules (`figures.arrests`, `figures.raids`, ...) register their figures here when
`scamstats.figures` is imported; `ORDER` fixes the order they are listed and built in.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

import plotly.graph_objects as go
import polars as pl

from scamstats.figures.marks import Plotted, footer_offset, source_note, text_width, wrap
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

    @property
    def has_narrow_layout(self) -> bool:
        """Whether the figure lays itself out for a phone (its plot takes `narrow`)."""
        return "narrow" in inspect.signature(self.plot).parameters


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


def render(figure_id: str, package: Package, narrow: bool = False) -> RenderedFigure:
    """Return the figure with its title, subtitle and source note applied, and its data.

    `narrow`: laid out for a phone (`theme.NARROW_WIDTH` pixels): panels stacked full width,
    heading and footer wrapped to the width, the legend below the plot. Figures that have no
    layout of their own for it (`FigureSpec.has_narrow_layout`) come as they are."""
    spec = get(figure_id)
    narrow = narrow and spec.has_narrow_layout
    figure, data, source_ids = spec.plot(package, narrow=True) if narrow else spec.plot(package)
    unchecked = [c for c in spec.small_cells if c in data.columns and f"{c}_suppressed" not in data.columns]
    if unchecked:
        raise ValueError(f"figure {figure_id!r}: {', '.join(unchecked)} did not go through the small-cell rule")
    source_ids = sorted({s for s in source_ids if s})
    # Fixed trace uids: plotly otherwise draws random ones into SVG class names and ids.
    for number, trace in enumerate(figure.data):
        trace.uid = f"{number:06x}"
    note = source_note(package, source_ids)
    frame_figure(figure, spec, note, package, narrow)
    return RenderedFigure(spec, figure, data, source_ids, note)


# The pixels a print heading (title and subtitle) takes of the top margin, and a phone's: its
# lines (wrapped) and sizes.
HEADING_PX = 64
NARROW_TITLE_SIZE, NARROW_SUBTITLE_SIZE = 19, 13


def frame_figure(figure: go.Figure, spec: FigureSpec, note: str, package: Package, narrow: bool = False) -> None:
    """Apply the theme and the heading, and write the caption, source note and figure id below;
    for a phone (`narrow`), the heading wrapped and the legend below the plot, above the footer."""
    figure.update_layout(template=TEMPLATE, title={"text": subtitled(spec.title, spec.subtitle)})
    width = int(figure.layout.width or WIDTH)
    margin = figure.layout.margin
    left = margin.l if margin.l is not None else 80
    right = margin.r if margin.r is not None else 40
    top = margin.t if margin.t is not None else 100
    inset = 12 if narrow else 24  # the footer's left edge, in pixels (a phone's: the legend's)
    chars = int((width - 2 * inset) / 6.3)
    lines = wrap(spec.caption, chars) + wrap(note, chars)
    ident = f"scamstats data package {package.version} · figure {spec.id} · CC BY 4.0"
    # Too long for a phone: two lines, "figure <id> ·" kept whole (readers and the dashboard look for it).
    lines += [ident] if len(ident) <= chars else [f"scamstats data package {package.version}",
                                                  f"figure {spec.id} · CC BY 4.0"]
    offset = footer_offset(figure)
    if narrow:  # each key its own legend group: plotly flows groups across rows, a group's entries down
        for trace in figure.data:
            if isinstance(trace.meta, dict) and trace.meta.get("role") == "key":
                trace.legendgroup = f"key: {trace.name}"
    legend_px = narrow_legend_px(figure, width - left - right) if narrow else 0
    bottom = offset + legend_px + 15 * len(lines) + 16
    if figure.layout.yaxis.scaleanchor or narrow:  # a map keeps its scale, a phone's plot its height: the footer adds height
        old_bottom = margin.b if margin.b is not None else 130
        figure.update_layout(height=int(figure.layout.height or HEIGHT) + bottom - old_bottom)
    figure.update_layout(margin={"l": left, "r": right, "b": bottom})
    if narrow:
        title = wrap(spec.title, int((width - 40) / (NARROW_TITLE_SIZE * 0.6)))
        subtitle = wrap(spec.subtitle, int((width - 40) / (NARROW_SUBTITLE_SIZE * 0.56)))
        # Every line of the heading takes the title's line height (plotly spaces lines by the
        # title's font); its top 12 pixels from the figure's (plotly anchors a line's middle).
        heading = 14 + NARROW_TITLE_SIZE * 1.38 * (len(title) + len(subtitle)) + 8
        top += max(0, int(heading) - HEADING_PX)
        height = int(figure.layout.height) + top - (margin.t if margin.t is not None else 100)
        figure.update_layout(
            height=height, margin={"t": top},
            title={"text": f"<b>{'<br>'.join(title)}</b><br><span style='font-size:{NARROW_SUBTITLE_SIZE}px;"
                           f"color:{GREY}'>{'<br>'.join(subtitle)}</span>",
                   "font": {"size": NARROW_TITLE_SIZE}, "y": 1 - 30 / height, "yanchor": "top", "pad": {"l": 12, "t": 0}},
            legend={"orientation": "h", "xref": "container", "x": 12 / width, "xanchor": "left", "yref": "container",
                    "y": (bottom - offset) / height, "yanchor": "top", "font": {"size": 12}})
    figure.add_annotation(
        text=f"<span style='color:{GREY}'>{'<br>'.join(lines)}</span>", xref="paper", yref="paper",
        x=(inset - left) / max(1, width - left - right), y=0, xanchor="left", yanchor="top",
        yshift=-offset - legend_px, showarrow=False, align="left", font={"size": 11},
    )


LEGEND_ROW_PX = 21


def legend_entries(figure: go.Figure) -> list[str]:
    """The names a figure's legend shows, in order."""
    if figure.layout.showlegend is False:
        return []
    shown = [t for t in figure.data if t.name and t.showlegend is not False]
    return [t.name for t in shown] if len(figure.data) > 1 or any(t.showlegend for t in shown) else []


def narrow_legend_px(figure: go.Figure, plot_width: int) -> int:
    """The pixels a legend below the plot takes: its entries (one a legend group) laid in rows
    as wide as the plot, as plotly lays them."""
    rows, used = 0, plot_width
    for name in legend_entries(figure):
        entry = 44 + text_width(name, 12)
        if used + entry > plot_width:
            rows, used = rows + 1, 0
        used += entry
    return rows * LEGEND_ROW_PX + (8 if rows else 0)
