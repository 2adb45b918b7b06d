"""Timeline milestones on a chart's date axes: a dotted line on the day of a milestone dated
to the day, a pale band across the month or year of one dated only to that (never a line on
its first day), and its label in a strip above the plot, in up to three rows: labels never
cover the data nor each other, and are never cut (one that cannot be placed whole is left
out with its line).

Call it once the panels' date ranges and the margins are set: it places labels in pixels.
"""

from __future__ import annotations

import datetime as dt
import itertools

import plotly.graph_objects as go

from scamstats import stats
from scamstats.figures.marks import text_width
from scamstats.figures.panels import axis_name
from scamstats.figures.theme import GREY, WIDTH
from scamstats.labels import format_date_short
from scamstats.package import Package

# Which kind of milestone wins when several are too close to label apart (every category of
# `reference.TIMELINE_CATEGORIES`, most telling first).
MILESTONE_PRIORITY = ["directive", "law", "operation", "release", "sanctions", "report", "statement",
                      "arrest", "extradition", "other"]

ROW_HEIGHT = 17  # pixels per row of labels
MAX_ROWS = 3
LABEL_SIZE = 11
GAP = 10  # pixels kept free between two labels of a row


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


class _Panel:
    """Pixel geometry of one panel's date axis."""

    def __init__(self, figure: go.Figure, column: int):
        layout = figure.layout
        axis = layout[f"xaxis{column if column > 1 else ''}"]
        width = int(layout.width or WIDTH)
        left = layout.margin.l if layout.margin.l is not None else 80
        right = layout.margin.r if layout.margin.r is not None else 40
        domain = axis.domain or (0, 1)
        self.top = (layout[f"yaxis{column if column > 1 else ''}"].domain or (0, 1))[1]
        self.first, self.last = (_date(v) for v in axis.range)
        self.x0 = left + domain[0] * (width - left - right)
        self.x1 = left + domain[1] * (width - left - right)
        self.column = column

    def covers(self, day: dt.date) -> bool:
        return self.first <= day <= self.last

    def pixel(self, day: dt.date) -> float:
        return self.x0 + (day - self.first).days / max(1, (self.last - self.first).days) * (self.x1 - self.x0)


def _chosen(package: Package, start: dt.date, end: dt.date, limit: int) -> list[dict]:
    """The milestones to mark: one per cluster (closer than a thirtieth of the span), the most
    telling kind winning; at most `limit`, by priority; in date order."""
    span = max(end - start, dt.timedelta(days=30))
    events = stats.milestones(package, start, end)
    rank = {c: i for i, c in enumerate(MILESTONE_PRIORITY)}
    chosen: list[dict] = []
    for row in events.sort(["date", "event_id"]).iter_rows(named=True):
        row["rank"] = rank.get(row["category"], 99)
        row["first"], row["last"] = stats.period_of(row["date"], row["date_precision"])
        if chosen and row["first"] - chosen[-1]["last"] < span / 30:
            if row["rank"] < chosen[-1]["rank"]:
                chosen[-1] = row
            continue
        chosen.append(row)
    return sorted(sorted(chosen, key=lambda r: (r["rank"], r["date"]))[:limit], key=lambda r: r["date"])


def _free(boxes: list[tuple[int, float, float, float]], row: int, left: float, right: float, stem: float) -> bool:
    """Whether a label can go in `row` from `left` to `right` (pixels), its stem at `stem`: it
    overlaps no label of its row, covers no stem rising past it to a higher row, and its own
    stem crosses no label of a lower row."""
    for other_row, a, b, other_stem in boxes:
        if other_row == row and not (right + GAP <= a or left >= b + GAP):
            return False
        if other_row > row and left - 4 <= other_stem <= right + 4:
            return False
        if other_row < row and a - 4 <= stem <= b + 4:
            return False
    return True


def _place(events: list[dict], geometry: list[_Panel], prefer: str = "middle") -> list[tuple[dict, int]]:
    """Each event that fits, with its row: the lowest row where its label fits, on the side of
    its stem `prefer` says ('middle': toward the panel's middle; 'left', 'right') or else the
    other, in the order given."""
    boxes: list[tuple[int, float, float, float]] = []
    placed: list[tuple[dict, int]] = []
    for source in events:
        event = dict(source)
        home = next((p for p in geometry if p.covers(event["first"]) or p.covers(event["last"])), None)
        if home is None:
            continue
        text = f"{format_date_short(event['date'], event['date_precision'])}: {event['label']}"
        width = text_width(text, LABEL_SIZE) + 6
        at = home.pixel(max(event["first"], home.first))
        # A label reads toward the middle of its panel: right of its stem in the left half,
        # left of it in the right half (the other side when that one has no room).
        both = [(at, at + width), (at - width, at)]
        if prefer == "left" or (prefer == "middle" and at > (home.x0 + home.x1) / 2):
            both.reverse()
        sides = [(left, right) for left, right in both if left >= home.x0 - 30 and right <= home.x1 + 30]
        spot = next(((row, left, right) for row in range(MAX_ROWS) for left, right in sides
                     if _free(boxes, row, left, right, at)), None)
        if spot is None:
            continue
        row, left, right = spot
        boxes.append((row, left, right, at))
        event["anchor"] = "left" if left == at else "right"
        event["text"] = text
        placed.append((event, row))
    return sorted(placed, key=lambda p: p[0]["date"])


def milestones(figure: go.Figure, package: Package, columns: tuple[int, ...] = (1,), limit: int = 4) -> list[str]:
    """Draw the milestones inside the date ranges of the panels `columns`, labelled once (in
    the first panel that shows them) in a strip above the plot. Panels stacked below others
    get the lines of the milestones labelled above (where their dates cover them), no labels
    of their own. Returns their source ids."""
    every = [_Panel(figure, c) for c in columns]
    geometry = [p for p in every if p.top >= max(q.top for q in every) - 1e-9]  # the top row
    start = min(p.first for p in geometry)
    end = max(p.last for p in geometry)
    chosen = _chosen(package, start, end, limit * len(geometry))
    # Orders to place labels in: every order of a few milestones (else the most telling and
    # latest first, or by date either way), labels toward the middle or all on one side of
    # their stems. The placing with the most labels wins; then the most telling, then the latest.
    orders = (list(itertools.permutations(chosen)) if len(chosen) <= 6 else
              [sorted(chosen, key=lambda e: (e["rank"], -e["date"].toordinal())), chosen, chosen[::-1]])
    placings = (_place(list(order), geometry, prefer) for order in orders for prefer in ("middle", "left", "right"))
    placed = max(placings, key=lambda found: (len(found), -sum(e["rank"] for e, _ in found),
                                               sum(e["date"].toordinal() for e, _ in found)), default=[])
    if not placed:
        return []
    strip = ROW_HEIGHT * (1 + max(row for _, row in placed)) + 6
    for annotation in figure.layout.annotations:  # panel titles and notes above the plot move up
        if annotation.yref == "paper" and (annotation.y or 0) >= 1 and annotation.yanchor == "bottom":
            annotation.yshift = (annotation.yshift or 0) + strip
    margin_top = figure.layout.margin.t if figure.layout.margin.t is not None else 100
    figure.update_layout(margin={"t": margin_top + strip})
    sources: list[str] = []
    for event, row in placed:
        precision = event["date_precision"] if event["date_precision"] in ("month", "year") else "day"
        for panel in every:
            if not (panel.covers(event["first"]) or panel.covers(event["last"])):
                continue
            # Across its own panel only (panels stacked one above another have other dates).
            xref, yref = axis_name(panel.column), f"{axis_name(panel.column, 'y')} domain"
            if precision == "day":
                figure.add_shape(type="line", x0=event["date"], x1=event["date"], xref=xref, yref=yref, y0=0, y1=1,
                                 line={"color": GREY, "width": 1, "dash": "dot"}, layer="below", name="milestone:day")
            else:
                figure.add_shape(type="rect", x0=event["first"], x1=event["last"] + dt.timedelta(days=1), xref=xref,
                                 yref=yref, y0=0, y1=1, fillcolor=GREY, opacity=0.16, line={"width": 0},
                                 layer="below", name=f"milestone:{precision}")
        home = next(p for p in geometry if p.covers(event["first"]) or p.covers(event["last"]))
        x = max(event["first"], home.first)
        lift = 3 + row * ROW_HEIGHT
        figure.add_shape(type="line", x0=x, x1=x, xref=axis_name(home.column), yref="paper", ysizemode="pixel",
                         yanchor=1, y0=0, y1=lift + 4, line={"color": GREY, "width": 1}, name="milestone:stem")
        figure.add_annotation(
            x=x, xref=axis_name(home.column), yref="paper", y=1, yanchor="bottom", yshift=lift,
            xanchor=event["anchor"], xshift=2 if event["anchor"] == "left" else -2, text=event["text"],
            showarrow=False, font={"size": LABEL_SIZE, "color": GREY}, name="milestone",
        )
        sources += event["source_ids"]
    return sources
