"""Labels on the province maps that never overlap: each place's label goes on the side of its
dot where it covers no other label or dot, and each province's name at its middle or, where
that is taken, nudged to the nearest free spot (with a thin leader line back to its middle
when it moves far). Deterministic: the same map gives the same placing.

Boxes are estimated in pixels from the font size and the characters (`marks.text_width`) on
the map's fixed scale (`map_scale`); `label_boxes` reads them back from a drawn figure, which
is what the tests check.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import plotly.graph_objects as go

from scamstats.figures.marks import text_width
from scamstats.figures.theme import GREY, WIDTH

NAME_SIZE = 11
PLACE_SIZE = 12
LINE_HEIGHT = 1.25  # a line of text, in font sizes
COLOUR_BAR_PX = 90  # what the colour bar takes from the plot's width
GAP = 2  # pixels kept free around a label
BOLD = 1.1  # bold text is about a tenth wider
# Where a place's label may go, in the order tried after the side it prefers.
SIDES = ("middle right", "middle left", "top center", "bottom center")
# Nudges tried for a province name, in label widths (dx) and heights (dy), nearest first.
NUDGES = [(dx / 4, dy) for dx in range(-6, 7) for dy in range(-4, 5)]


@dataclass(frozen=True)
class Box:
    """A rectangle in pixels (y upward)."""

    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box, gap: float = GAP) -> bool:
        return not (self.x1 + gap <= other.x0 or other.x1 + gap <= self.x0
                    or self.y1 + gap <= other.y0 or other.y1 + gap <= self.y0)

    def inside(self, other: Box) -> bool:
        return other.x0 <= self.x0 and self.x1 <= other.x1 and other.y0 <= self.y0 and self.y1 <= other.y1


def map_scale(figure: go.Figure) -> float:
    """Pixels per map unit: the y axis is anchored to the x axis at one scale, set by whichever
    of the plot's height and width (less the colour bar) is the tighter for its range."""
    layout = figure.layout
    width = layout.width or WIDTH
    plot_w = width - (layout.margin.l or 0) - (layout.margin.r or 0) - COLOUR_BAR_PX
    plot_h = layout.height - (layout.margin.t or 0) - (layout.margin.b or 0)
    (x0, x1), (y0, y1) = layout.xaxis.range, layout.yaxis.range
    return min(plot_w / (x1 - x0), plot_h / (y1 - y0))


def text_size(text: str, size: float) -> tuple[float, float]:
    """The width and height in pixels of a label (lines split at <br>, bold parts wider)."""
    lines = str(text).split("<br>")
    widths = []
    for line in lines:
        bold = "".join(re.findall(r"<b>(.*?)</b>", line))
        widths.append(text_width(line, size) + len(bold) * size * 0.56 * (BOLD - 1))
    return max(widths), len(lines) * size * LINE_HEIGHT


def text_box(x: float, y: float, text: str, size: float, position: str = "middle center", radius: float = 0) -> Box:
    """The box of a label at (x, y) pixels, placed as plotly's `textposition` places it beside
    a dot of `radius` pixels."""
    width, height = text_size(text, size)
    vertical, horizontal = position.split()
    offset = radius + 3
    if horizontal == "right":
        left = x + offset
    elif horizontal == "left":
        left = x - offset - width
    else:
        left = x - width / 2
    if vertical == "top" and horizontal == "center":
        bottom = y + offset
    elif vertical == "bottom" and horizontal == "center":
        bottom = y - offset - height
    else:
        bottom = y - height / 2
    return Box(left, bottom, left + width, bottom + height)


def dot_box(x: float, y: float, radius: float) -> Box:
    return Box(x - radius, y - radius, x + radius, y + radius)


def role_trace(figure: go.Figure, role: str):
    """The trace of a map that plays a role (`meta.role`: "names", "places", "leaders"), else None."""
    return next((t for t in figure.data if isinstance(t.meta, dict) and t.meta.get("role") == role), None)


def _as_list(value, length: int) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value] * length


def label_boxes(figure: go.Figure, scale: float | None = None) -> list[tuple[str, Box]]:
    """Every label and dot of a drawn map as (what, box in pixels): 'name:...' for province
    names, 'place:...' for place labels and 'dot:...' for place dots; at `scale` pixels per map
    unit when given (a screen's), else at the figure's (`map_scale`)."""
    scale = scale or map_scale(figure)
    found = []
    names = role_trace(figure, "names")
    if names is not None:
        for x, y, text in zip(names.x, names.y, names.text, strict=True):
            found.append((f"name:{text}", text_box(x * scale, y * scale, text, names.textfont.size)))
    places = role_trace(figure, "places")
    if places is not None:
        count = len(places.x)
        positions = _as_list(places.textposition or "middle center", count)
        for x, y, text, size, position in zip(places.x, places.y, places.text, _as_list(places.marker.size, count),
                                              positions, strict=True):
            found.append((f"place:{text}", text_box(x * scale, y * scale, text, places.textfont.size, position, size / 2)))
            found.append((f"dot:{text}", dot_box(x * scale, y * scale, size / 2)))
    return found


def overlapping(figure: go.Figure, scale: float | None = None) -> list[tuple[str, str]]:
    """The pairs of labels (or a label and another place's dot) that overlap on a drawn map (at
    `scale` pixels per map unit when given)."""
    boxes = label_boxes(figure, scale)
    pairs = []
    for i, (a, box_a) in enumerate(boxes):
        for b, box_b in boxes[i + 1:]:
            if a.startswith("dot:") and b.startswith("dot:"):
                continue  # dots may touch: they mark places, not words
            if a.split(":", 1)[1] == b.split(":", 1)[1] and "dot:" in (a[:4], b[:4]):
                continue  # a label beside its own dot
            if box_a.overlaps(box_b, gap=0):
                pairs.append((a, b))
    return pairs


def inside_rings(x: float, y: float, rings: list[list[tuple[float, float]]]) -> bool:
    """Whether the point lies inside one of the rings (even-odd rule)."""
    inside = False
    for ring in rings:
        for (ax, ay), (bx, by) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (ay > y) != (by > y) and x < ax + (y - ay) * (bx - ax) / (by - ay):
                inside = not inside
    return inside


def place_labels(figure: go.Figure, prefer: list[str] | None = None,
                 homes: list[list[list[tuple[float, float]]] | None] | None = None, scale: float | None = None) -> None:
    """Place the map's labels so that no two overlap: place labels first (largest dots first,
    each on the first free side, its preferred side tried first), then province names, each at
    the nearest free spot to its middle inside its own province (`homes`: its rings on the
    map's plane, None where a name may sit outside); a name with no free spot there goes to the
    nearest free spot off the land (over no other province), else the nearest free one, with a
    thin leader line back to its province's middle. At `scale` pixels per map unit when given
    (a screen's), else at the figure's (`map_scale`)."""
    scale = scale or map_scale(figure)
    (x0, x1), (y0, y1) = figure.layout.xaxis.range, figure.layout.yaxis.range
    frame = Box(x0 * scale, y0 * scale, x1 * scale, y1 * scale)
    taken: list[Box] = []
    places = role_trace(figure, "places")
    if places is not None:
        count = len(places.x)
        sizes = _as_list(places.marker.size, count)
        dots = [dot_box(x * scale, y * scale, s / 2) for x, y, s in zip(places.x, places.y, sizes, strict=True)]
        taken += dots
        chosen = list(prefer or _as_list(places.textposition or "middle right", count))
        for i in sorted(range(count), key=lambda i: (-sizes[i], i)):
            x, y = places.x[i] * scale, places.y[i] * scale
            sides = [chosen[i]] + [s for s in SIDES if s != chosen[i]]
            boxes = [(side, text_box(x, y, places.text[i], places.textfont.size, side, sizes[i] / 2)) for side in sides]
            free = [(side, box) for side, box in boxes if box.inside(frame)
                    and not any(box.overlaps(other) for j, other in enumerate(taken) if other is not dots[i])]
            chosen[i], box = (free or boxes)[0]
            taken.append(box)
        places.textposition = chosen
    names = role_trace(figure, "names")
    if names is None:
        return
    xs, ys = list(names.x), list(names.y)
    land = [ring for home in homes or [] if home for ring in home]
    leaders_x: list = []
    leaders_y: list = []
    for i, text in enumerate(names.text):
        width, height = text_size(text, names.textfont.size)
        x, y = xs[i] * scale, ys[i] * scale
        home = homes[i] if homes else None
        spots = sorted(((x + dx * width, y + dy * height) for dx, dy in NUDGES),
                       key=lambda spot: (math.hypot(spot[0] - x, spot[1] - y), spot))
        boxes = [(spot, text_box(*spot, text, names.textfont.size)) for spot in spots]
        free = [(spot, box) for spot, box in boxes if box.inside(frame) and not any(box.overlaps(o) for o in taken)]
        at_home = [(spot, box) for spot, box in free if home is None or inside_rings(spot[0] / scale, spot[1] / scale, home)]
        off_land = [(spot, box) for spot, box in free if not any(
            inside_rings(cx / scale, cy / scale, land) for cx in (box.x0, box.x1) for cy in (box.y0, box.y1))]
        (sx, sy), box = (at_home or off_land or free or boxes)[0]
        taken.append(box)
        if home is not None and not at_home:
            # From the province's middle to the nearest edge of the moved name.
            ex, ey = min(max(x, box.x0), box.x1), min(max(y, box.y0), box.y1)
            leaders_x += [xs[i], round(ex / scale, 5), None]
            leaders_y += [ys[i], round(ey / scale, 5), None]
        xs[i], ys[i] = round(sx / scale, 5), round(sy / scale, 5)
    names.x, names.y = xs, ys
    if leaders_x:
        figure.add_trace(go.Scatter(x=leaders_x, y=leaders_y, mode="lines", line={"color": GREY, "width": 0.8},
                                    hoverinfo="skip", showlegend=False, meta={"role": "leaders"}))
