"""How every figure looks: the colour-blind-safe palette, greys, fonts, the default size, the
marker shape of each qualifier, the plotly template the registry applies to each figure, and
the colour registry: one colour per baseline, per nationality, per kind of milestone and per
outcome, the same in every figure and in the dashboard (`baseline_colour`,
`nationality_colour`, `milestone_colour`)."""

from __future__ import annotations

import datetime as dt

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
# A phone's width in CSS pixels (the dashboard draws figures this narrow), and the side margins
# of a figure laid out for it (`figures.render(..., narrow=True)`).
NARROW_WIDTH = 390
NARROW_MARGIN = {"l": 62, "r": 16}
# The smallest text a figure prints (a footer or a label at print size).
MIN_FONT = 11
# At most this many series (legend entries that are data, not keys) in one chart.
MAX_SERIES = 8

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


# ------------------------------------------------------------------------------------------
# The colour registry: fixed, so that a baseline or a nationality has one colour everywhere.
# Keys not listed are drawn in OTHER (grey) and labelled where they are drawn.

OTHER = "#8A8A8A"

# The official baselines of the 2025-26 crackdown and the others most often stated
# (codebook, "Baselines of the official series"); None is "no baseline stated".
BASELINE_COLOURS: dict[dt.date | None, str] = {
    dt.date(2025, 6, 27): "#0072B2",   # the Ad Hoc Commission's first meeting
    dt.date(2025, 7, 14): "#E69F00",   # the Prime Minister's directive
    dt.date(2026, 1, 1): "#009E73",    # the 2026 campaign
    dt.date(2025, 1, 1): "#D55E00",    # the year 2025
    dt.date(2025, 7, 27): "#CC79A7",   # "since 27 July" (a misprint of 27 June in some reports)
    dt.date(2025, 12, 1): "#56B4E9",
    None: "#000000",
}

# The nationalities most often broken down in the arrests table, and all nationalities.
NATIONALITY_COLOURS: dict[str, str] = {
    "CHN": "#0072B2", "VNM": "#D55E00", "KOR": "#009E73", "IDN": "#E69F00", "THA": "#CC79A7",
    "IND": "#56B4E9", "PHL": "#882255", "ALL": "#000000",
}

# Kinds of milestone (`reference.TIMELINE_CATEGORIES`) in at most seven colours: kinds that
# read alike share one, and the legend names them together (`MILESTONE_GROUPS`).
MILESTONE_GROUPS: dict[str, str] = {
    "directive": "directive or law", "law": "directive or law", "operation": "operation",
    "arrest": "arrest or extradition", "extradition": "arrest or extradition", "sanctions": "sanctions",
    "report": "report or statement", "statement": "report or statement", "release": "release", "other": "other",
}
MILESTONE_COLOURS: dict[str, str] = {
    "directive or law": "#0072B2", "operation": "#E69F00", "arrest or extradition": "#000000",
    "sanctions": "#D55E00", "report or statement": "#CC79A7", "release": "#009E73", "other": OTHER,
}


def baseline_colour(baseline: dt.date | None) -> str:
    """Return the colour of a baseline in every figure (grey when it has none of its own)."""
    return BASELINE_COLOURS.get(baseline, OTHER)


def has_own_colour(baseline: dt.date | None) -> bool:
    """Return True when a baseline has a colour of its own (else it is grey and labelled)."""
    return baseline in BASELINE_COLOURS


def nationality_colour(code: str | None) -> str:
    """Return the colour of a nationality (alpha-3 code; 'ALL' for all) in every figure."""
    return NATIONALITY_COLOURS.get(code or "ALL", OTHER)


def milestone_colour(category: str) -> str:
    """Return the colour of a kind of milestone (its group's) in every figure."""
    return MILESTONE_COLOURS[MILESTONE_GROUPS.get(category, "other")]


def colour_map(keys: list, palette: list[str] = PALETTE) -> dict:
    """Return a colour for each key, in order, the palette repeating past its length."""
    return {k: palette[i % len(palette)] for i, k in enumerate(keys)}


def subtitled(title: str, subtitle: str) -> str:
    """Return a figure heading: the title in bold, the subtitle below it in grey when given."""
    below = f"<br><span style='font-size:14px;color:{GREY}'>{subtitle}</span>" if subtitle else ""
    return f"<b>{title}</b>{below}"
