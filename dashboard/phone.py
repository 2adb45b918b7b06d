"""What a chart must fit on a phone (390 px wide), the narrowest screen the dashboard is read on.

A chart on the page is as wide as the page, its words always the same size. So what must stand
apart on a phone is chosen for a phone's width, from the share of it each panel takes, and a
wider screen shows the same with room to spare: date ticks that stand apart (`fit_date_ticks`),
heat map cells whose counts fit them (`fit_heatmap_cells`), a right-hand axis that leaves room
for the last figures of lines (`clear_end_labels`) and map labels apart (`fit_map_labels`).
Layout only: no number changes.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re

import plotly.graph_objects as go

from scamstats.figures import map_labels, maps
from scamstats.figures.marks import text_width
from scamstats.figures.panels import TICK_MONTHS

PHONE_PX = 358  # a chart's width on a phone 390 px wide: the page pads it 16 px on each side
FONT_PX = 14  # the size of a figure's text where it sets none (`figures.theme.TEMPLATE`)
TICK_GAP = 8  # pixels kept between two tick labels
MARGIN_ROOM = 12  # pixels a tick label may reach into the margin beside its panel
YEAR = re.compile(r"\d{4}")


def plot_px(figure: go.Figure) -> float:
    """The width of a figure's plot on a phone: the chart's, less its side margins."""
    margin = figure.layout.margin
    return PHONE_PX - (margin.l or 0) - (margin.r or 0)


def panel_px(figure: go.Figure, axis) -> float:
    """The width on a phone of the panel an x axis spans (its share of the plot)."""
    low, high = axis.domain or (0, 1)
    return plot_px(figure) * (high - low)


def font_px(figure: go.Figure, font=None) -> float:
    """The size of a font of the figure (`font`: an axis's tick font), else of its text."""
    own = font.size if font is not None else None
    return own or figure.layout.font.size or figure.layout.template.layout.font.size or FONT_PX


# ------------------------------------------------------------------------------------------
# Date ticks


def _day(value) -> dt.date:
    return dt.date.fromisoformat(str(value)[:10])


def month_ticks(first: dt.date, last: dt.date, months: int) -> list[dt.date]:
    """The days from `first` to `last` that a tick every `months` months falls on: the first
    of a month, counted from January 2000 (as plotly counts from its `tick0`)."""
    start = first.year * 12 + first.month - 1 + (first.day > 1)
    end = last.year * 12 + last.month - 1
    return [dt.date(index // 12, index % 12 + 1, 1) for index in range(start, end + 1)
            if (index - 2000 * 12) % months == 0]


def labels_apart(ticks: list[dt.date], first: dt.date, last: dt.date, px: float, label_px: float,
                 room: tuple[float, float] = (0, 0)) -> bool:
    """Whether labels `label_px` wide, centred on these days of a panel `px` wide from `first`
    to `last`, stand `TICK_GAP` apart, reaching no further past its sides than `room` (left, right)."""
    span = max(1, (last - first).days)
    at = [(day - first).days / span * px for day in ticks]
    within = all(-room[0] <= x - label_px / 2 and x + label_px / 2 <= px + room[1] for x in at)
    return within and all(b - a >= label_px + TICK_GAP for a, b in itertools.pairwise(at))


def tick_choices(size: float) -> list[tuple[int, str, float]]:
    """Every (months between ticks, label format, label width in pixels) a date axis may take,
    most ticks first: month above year for steps under a year, the year, then its last two digits."""
    year, short = text_width("2025", size), text_width("’25", size)
    return [(months, form, width) for months in TICK_MONTHS
            for form, width in ((("%b<br>%Y", year),) if months < 12 else (("%Y", year), ("’%y", short)))]


def phone_date_ticks(first: dt.date, last: dt.date, px: float, size: float,
                     room: tuple[float, float] = (0, 0)) -> dict:
    """Tick settings for a date axis from `first` to `last`, `px` wide on a phone, labels `size`
    px reaching at most `room` past its sides: the most ticks whose labels stand apart
    (`tick_choices`), never slanted. Where no step does, one tick at the month nearest the middle."""
    for months, form, width in tick_choices(size):
        ticks = month_ticks(first, last, months)
        if ticks and labels_apart(ticks, first, last, px, width, room):
            return {"tickmode": "linear", "dtick": f"M{months}", "tick0": "2000-01-01", "tickformat": form,
                    "tickangle": 0, "nticks": None, "tickvals": None}
    middle = first + (last - first) / 2
    nearest = dt.date(middle.year, middle.month, 1)
    if middle.day > 15:
        nearest = (nearest + dt.timedelta(days=31)).replace(day=1)
    return {"tickmode": "array", "tickvals": [nearest.isoformat()],
            "tickformat": "%b<br>%Y", "tickangle": 0, "dtick": None, "nticks": None}


def is_time_panel(axis) -> bool:
    """Whether an x axis draws a fixed span of dates (a time panel of the figures)."""
    dated = axis.type == "date" or (isinstance(axis.dtick, str) and axis.dtick.startswith("M"))
    return dated and axis.range is not None


def room_beside(figure: go.Figure, axis) -> tuple[float, float]:
    """The pixels a tick label may reach past the left and right of its panel on a phone: half
    the space to a panel beside it (less half a gap), else `MARGIN_ROOM` into the margin."""
    low, high = axis.domain or (0, 1)
    domains = [tuple(other.domain or (0, 1)) for other in figure.select_xaxes()]
    before = [h for _, h in domains if h <= low]
    after = [lo for lo, _ in domains if lo >= high]
    px = plot_px(figure)
    left = (low - max(before)) * px / 2 - TICK_GAP / 2 if before else MARGIN_ROOM
    right = (min(after) - high) * px / 2 - TICK_GAP / 2 if after else MARGIN_ROOM
    return max(0.0, left), max(0.0, right)


def fit_date_ticks(figure: go.Figure) -> None:
    """Give every time panel's date axis the ticks that stand apart on a phone (`phone_date_ticks`),
    from its span and the share of a phone's width its panel takes."""
    for axis in figure.select_xaxes():
        if is_time_panel(axis):
            first, last = (_day(value) for value in axis.range)
            axis.update(phone_date_ticks(first, last, panel_px(figure, axis), font_px(figure, axis.tickfont),
                                         room_beside(figure, axis)), tickformatstops=[])


# ------------------------------------------------------------------------------------------
# Heat maps


LABEL_PX = 12  # a heat map's row and column labels
CELL_PAD = 2  # pixels kept free on each side of a count in its cell
SMALLEST_COUNT_PX = 10  # a count in a cell no smaller than this, or not written
HIDDEN_COUNTS = ("Counts are not written in the cells at this width: they are in the table of the data "
                 "behind the chart and show when a cell is touched.")


def count_px(texts: list[str], cell_px: float, largest: float) -> int | None:
    """The largest font size, up to `largest`, at which every text fits a cell `cell_px` wide
    (None when not even `SMALLEST_COUNT_PX` does)."""
    widest = max(texts, key=len, default="")
    return next((size for size in range(int(largest), SMALLEST_COUNT_PX - 1, -1)
                 if text_width(widest, size) + 2 * CELL_PAD <= cell_px), None)


def short_years(columns: list[str], pitch_px: float) -> list[str] | None:
    """Column labels for a phone: years by their last two digits ('’16') where a full year does
    not fit a column `pitch_px` wide; None when the full labels fit or are not years."""
    if not columns or not all(YEAR.fullmatch(c) for c in columns):
        return None
    return None if text_width("2025", LABEL_PX) + TICK_GAP <= pitch_px else [f"’{c[2:]}" for c in columns]


def fit_heatmap_cells(figure: go.Figure) -> None:
    """Fit each heat map that writes counts in its cells to a phone: its row labels at
    `LABEL_PX` in a margin as wide as the longest needs, no margin on the right (its colour
    scale is not drawn), its counts at the largest size up to its own that fits a cell
    (`count_px`), years over its columns shortened where full ones do not fit (`short_years`).
    Counts that fit no cell at a legible size are left out, and a note below says so."""
    for trace in figure.data:
        if trace.type != "heatmap" or not trace.texttemplate or trace.text is None:
            continue
        rows, columns = [str(y) for y in trace.y], [str(x) for x in trace.x]
        left = math.ceil(max(text_width(row, LABEL_PX) for row in rows)) + 12
        figure.update_layout(margin={"l": left, "r": 8})
        xaxis = figure.layout[(trace.xaxis or "x").replace("x", "xaxis", 1)]
        yaxis = figure.layout[(trace.yaxis or "y").replace("y", "yaxis", 1)]
        yaxis.tickfont.size = LABEL_PX
        xaxis.tickfont.size = LABEL_PX
        pitch = plot_px(figure) / max(1, len(columns))
        size = count_px([str(t) for row in trace.text for t in row if t], pitch - (trace.xgap or 0),
                        trace.textfont.size or font_px(figure))
        if size is None:
            trace.texttemplate = ""
            figure.add_annotation(text=HIDDEN_COUNTS, xref="paper", yref="paper", x=0, y=0, showarrow=False)
        else:
            trace.textfont.size = size
        shortened = short_years(columns, pitch)
        if shortened:
            xaxis.update(tickmode="array", tickvals=columns, ticktext=shortened, tickangle=0)
        else:  # words too long for a column stand upright where they do not fit (on a phone), never slanted
            xaxis.autotickangles = [0, 90]


# ------------------------------------------------------------------------------------------
# A right-hand axis and the last figures of lines


LABEL_HIGH_PX = 17  # the height of a line of a label or tick label at 12 to 14 px


def plot_height_px(figure: go.Figure) -> float:
    """The height of the plot: the figure's, less its margins and the legend below it (as
    `screen.for_screen` leaves it room: 18 px an entry, where there are more than four)."""
    entries = sum(1 for trace in figure.data if trace.showlegend is not False and trace.name)
    margin = figure.layout.margin
    return (figure.layout.height or 560) - (margin.t or 0) - (margin.b or 0) - (18 * entries if entries > 4 else 0)


def nice_ticks(low: float, high: float, px: float) -> list[float]:
    """The values plotly ticks a linear axis from `low` to `high`, `px` high: a step of 1, 2 or
    5 times a power of ten, about one every 40 px (5 to 10 of them)."""
    rough = (high - low) / (min(max(px / 40, 4), 9) + 1)
    power = 10 ** math.floor(math.log10(rough)) if rough > 0 else 1
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    return [k * step for k in range(math.ceil(low / step), math.floor(high / step) + 1)]


def end_labels_past(figure: go.Figure, xaxis_name: str, yaxis_name: str) -> list:
    """The labels written from a mark rightwards (a line's last figure) in a panel that reach
    past its right side on a phone, where a right-hand axis writes its tick labels."""
    xaxis = figure.layout[xaxis_name.replace("x", "xaxis", 1)]
    if not is_time_panel(xaxis):
        return []
    first, last = (_day(value) for value in xaxis.range)
    px, span = panel_px(figure, xaxis), max(1, (last - first).days)
    found = []
    for note in figure.layout.annotations:
        if note.xref == xaxis_name and note.yref == yaxis_name and note.xanchor == "left" and note.text:
            at = (_day(note.x) - first).days / span * px + (note.xshift or 0)
            if at + text_width(note.text, note.font.size or 12) > px:
                found.append(note)
    return found


def clear_end_labels(figure: go.Figure) -> None:
    """On a right-hand y axis, leave out the tick labels (not the grid lines) that a line's last
    figure, reaching past the panel's right side on a phone, would run into: that figure says
    its value itself."""
    for yaxis in figure.select_yaxes():
        if yaxis.side != "right" or yaxis.range is None or yaxis.type not in (None, "linear", "-"):
            continue
        name = "y" + yaxis.plotly_name[5:]
        labels = end_labels_past(figure, (yaxis.anchor or "x"), name)
        if not labels:
            continue
        low, high = yaxis.range
        px = plot_height_px(figure) * ((yaxis.domain or (0, 1))[1] - (yaxis.domain or (0, 1))[0])
        band = LABEL_HIGH_PX * (high - low) / max(1.0, px)
        ticks = nice_ticks(low, high, px)
        yaxis.update(tickmode="array", tickvals=ticks,
                     ticktext=["" if any(abs(v - float(note.y)) < band for note in labels) else f"{v:,.0f}"
                               for v in ticks])


# ------------------------------------------------------------------------------------------
# Maps


MAP_NAME_PX = 10  # a province's name on a phone's map (11 in print, on a map twice as large)
MOVED_PX = 24  # how far a name written off its province may move from where the map writes it
UNNAMED = "Some provinces are not named at this width: touch one to see its name."


def phone_map_scale(figure: go.Figure) -> float:
    """Pixels per map unit on a phone: the plot as wide as a phone leaves it (its colour scale
    lies below it), as high as the figure, whichever is the tighter for the map's ranges."""
    layout = figure.layout
    (x0, x1), (y0, y1) = layout.xaxis.range, layout.yaxis.range
    high = (layout.height or 480) - (layout.margin.t or 0) - (layout.margin.b or 0)
    return min(plot_px(figure) / (x1 - x0), high / (y1 - y0))


def crowded_names(figure: go.Figure, scale: float) -> set[str]:
    """The province names to leave out so that no label overlaps another at `scale`: of two
    names, the one placed later (it found no free spot); of a name and a place, the name."""
    left_out: set[str] = set()
    for a, b in map_labels.overlapping(figure, scale):
        if a in left_out or b in left_out or "name:" in (a, b):  # a name left out already is no label
            continue
        if b.startswith("name:"):
            left_out.add(b)
        elif a.startswith("name:"):
            left_out.add(a)
    return {name.split(":", 1)[1] for name in left_out}


def darkness_by_name(figure: go.Figure) -> dict[str, float]:
    """How dark each province is filled (0 white to 1 black: its count on the map's scale), by
    the name the map writes for it. A map draws its provinces first, one a feature, in order."""
    found = {}
    for feature, trace in zip(maps.province_geojson()["features"], figure.data, strict=False):
        found[maps.name_spot(feature)[2]] = maps.darkness(str(trace.fillcolor))
    return found


def fit_map_labels(figure: go.Figure) -> None:
    """Place a province map's labels again at the scale a phone draws it (`phone_map_scale`),
    as `map_labels.place_labels` places them in print, each name `MAP_NAME_PX` high, starting
    from its province's middle (a leader line back to it where it moves out); names that still
    find no free spot are left out, and a note below says so."""
    names = map_labels.role_trace(figure, "names")
    if names is None or figure.layout.xaxis.range is None:
        return
    scale = phone_map_scale(figure)
    spots = maps.name_spots(list(names.text))
    # The provinces with the most first (the darkest): where names are crowded, those of none give way.
    shades = darkness_by_name(figure)
    order = sorted(range(len(spots)), key=lambda i: (-shades.get(names.text[i], 0), i))
    colours = names.textfont.color
    names.update(x=[spots[i][0] for i in order], y=[spots[i][1] for i in order], text=[names.text[i] for i in order],
                 textfont={"size": MAP_NAME_PX, "color": [colours[i] for i in order]
                           if isinstance(colours, (list, tuple)) else colours})
    figure.data = [trace for trace in figure.data if trace is not map_labels.role_trace(figure, "leaders")]
    map_labels.place_labels(figure, None, [spots[i][2] for i in order], scale)
    # A name written off its province has no leader line: moved far, it would name another place.
    names.text = ["" if spots[i][2] is None and math.hypot(x - spots[i][0], y - spots[i][1]) * scale > MOVED_PX
                  else text for i, x, y, text in zip(order, names.x, names.y, names.text, strict=True)]
    while crowded := crowded_names(figure, scale):
        names.text = ["" if text in crowded else text for text in names.text]
    if "" in names.text:
        figure.add_annotation(text=UNNAMED, xref="paper", yref="paper", x=0, y=0, showarrow=False)
