"""How every figure looks: the colour-blind-safe palette, greys, fonts, the default size, the
marker shape of each qualifier and the plotly template the registry applies to each figure."""

from __future__ import annotations

import plotly.graph_objects as go

# Okabe & Ito's colour-blind-safe palette (black last, for text-like marks).
# Yellow (#F0E442) is left out: too pale on white for marks.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#000000"]
GREY = "#767676"
LIGHT_GREY = "#D9D9D9"
GRID = "#EBEBEB"
INK = "#222222"
FONT = "Liberation Sans, DejaVu Sans, Khmer OS, Arial, sans-serif"
# Light enough at its darkest for dark text on every cell.
HEAT = [[0.0, "#EEF5FB"], [0.5, "#A6CDE8"], [1.0, "#5B9FD1"]]
WIDTH, HEIGHT = 1000, 620

QUALIFIER_SYMBOL = {"exact": "circle", "about": "diamond", "at_least": "triangle-up", "at_most": "triangle-down"}

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT, "size": 14, "color": INK},
        colorway=PALETTE,
        paper_bgcolor="white",
        plot_bgcolor="white",
        title={"x": 0.0, "xanchor": "left", "xref": "container", "y": 0.97, "yanchor": "top", "pad": {"l": 24},
               "font": {"size": 21, "color": INK}},
        xaxis={"showgrid": False, "linecolor": GREY, "ticks": "outside", "tickcolor": GREY, "zeroline": False,
               "automargin": True, "title": {"standoff": 8}},
        yaxis={"showgrid": True, "gridcolor": GRID, "linecolor": GREY, "zeroline": False, "automargin": True,
               "title": {"standoff": 8}},
        legend={"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1, "yanchor": "top",
                "bgcolor": "rgba(255,255,255,0)", "font": {"size": 12}, "tracegroupgap": 2},
        hoverlabel={"font": {"family": FONT}},
        margin={"l": 80, "r": 40, "t": 100, "b": 130},
        width=WIDTH,
        height=HEIGHT,
    )
)


def colour_map(keys: list, palette: list[str] = PALETTE) -> dict:
    """Return a colour for each key, in order, the palette repeating past its length."""
    return {k: palette[i % len(palette)] for i, k in enumerate(keys)}


def subtitled(title: str, subtitle: str) -> str:
    """Return a figure heading: the title in bold, the subtitle below it in grey when given."""
    below = f"<br><span style='font-size:14px;color:{GREY}'>{subtitle}</span>" if subtitle else ""
    return f"<b>{title}</b>{below}"
